// The site part of the benchmark (`npm run bench -- --site`): what `threatmark
// build` writes, measured from the output folder — its size by kind, the page
// weight of a model page, and which pages load JavaScript. Figures only.
import { existsSync } from 'node:fs';
import { readdir, readFile, stat, symlink } from 'node:fs/promises';
import { extname, join, posix, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * A generated repository as a project that installs Threatmark: Astro's
 * prerender bundle, written into the output folder, resolves its dependencies
 * from the nearest node_modules, as it would in a repository with
 * `npm install -D threatmark`.
 */
export async function linkDependencies(dir: string, packageRoot: string): Promise<void> {
  const link = join(dir, 'node_modules');
  if (!existsSync(link)) await symlink(join(packageRoot, 'node_modules'), link, 'dir');
}

export type Kind = 'html' | 'css' | 'js' | 'search' | 'other';

export interface DistSizes {
  files: number;
  total: number;
  byKind: Record<Kind, number>;
}

async function files(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)).split('\\').join('/'));
}

function kindOf(path: string): Kind {
  if (path.startsWith('pagefind/')) return 'search';
  const ext = extname(path);
  if (ext === '.html') return 'html';
  if (ext === '.css') return 'css';
  if (ext === '.js' || ext === '.mjs') return 'js';
  return 'other';
}

/** Bytes in the output folder (file sizes, not disk blocks), in total and by kind; Pagefind's files are the search index. */
export async function distSizes(dist: string): Promise<DistSizes> {
  const byKind: Record<Kind, number> = { html: 0, css: 0, js: 0, search: 0, other: 0 };
  const list = await files(dist);
  let total = 0;
  for (const path of list) {
    const { size } = await stat(join(dist, path));
    byKind[kindOf(path)] += size;
    total += size;
  }
  return { files: list.length, total, byKind };
}

/** The page's URL path for an HTML file of the output (`models/x/index.html` → `/models/x/`). */
export function pagePath(file: string): string {
  return `/${file.replace(/(^|\/)index\.html$/, '$1')}`;
}

const SCRIPT_SRC = /<script\b[^>]*\bsrc="([^"]+)"/g;
const INLINE_SCRIPT = /<script\b(?![^>]*\bsrc=)(?![^>]*\btype="application\/(?:ld\+)?json")[^>]*>/g;

/** The scripts an HTML page loads (src attributes, plus `inline` for each inline script). */
export function pageScripts(html: string): string[] {
  const scripts = [...html.matchAll(SCRIPT_SRC)].map((m) => m[1]!);
  for (const _ of html.matchAll(INLINE_SCRIPT)) scripts.push('inline');
  return scripts;
}

export interface ScriptGroup {
  scripts: string[];
  pages: string[];
}

/** Pages grouped by the set of scripts they load, largest group first. */
export async function scriptsByPage(dist: string): Promise<ScriptGroup[]> {
  const groups = new Map<string, ScriptGroup>();
  for (const file of (await files(dist)).filter((f) => f.endsWith('.html')).sort()) {
    const scripts = pageScripts(await readFile(join(dist, file), 'utf8')).map((s) => s.replace(/^.*\//, ''));
    const key = scripts.join('\n');
    const group = groups.get(key) ?? { scripts, pages: [] };
    group.pages.push(pagePath(file));
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) => b.pages.length - a.pages.length);
}

export interface Weight {
  raw: number;
  gzip: number;
}

export interface PageWeight {
  html: Weight;
  css: Weight;
  /** Every script the page loads, with what those load (modules, mermaid's diagram chunks). */
  js: Weight;
  /** Everything else the page loads (favicon, fonts, images). */
  other: Weight;
  /** How the loaded files were found: a headless browser, or following static imports. */
  method: 'browser' | 'static';
  loaded: string[];
}

const add = (a: Weight, b: Weight): Weight => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip });

async function weigh(dist: string, path: string): Promise<Weight> {
  const bytes = await readFile(join(dist, path));
  return { raw: bytes.length, gzip: gzipSync(bytes).length };
}

function resolveUrl(from: string, url: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('//')) return undefined;
  const path = url.startsWith('/') ? url : posix.join(posix.dirname(`/${from}`), url);
  return posix.normalize(path).replace(/^\//, '').replace(/[?#].*$/, '');
}

/** The files a page loads without running it: stylesheets, icons, scripts and their static imports. */
async function staticLoads(dist: string, page: string): Promise<string[]> {
  const html = await readFile(join(dist, page), 'utf8');
  const found = new Set<string>();
  const queue: string[] = [];
  for (const m of html.matchAll(/<link\b[^>]*\bhref="([^"]+)"/g)) {
    const path = resolveUrl(page, m[1]!);
    if (path) found.add(path);
  }
  for (const src of pageScripts(html)) {
    const path = src === 'inline' ? undefined : resolveUrl(page, src);
    if (path && !found.has(path)) (found.add(path), queue.push(path));
  }
  while (queue.length > 0) {
    const script = queue.pop()!;
    const code = await readFile(join(dist, script), 'utf8').catch(() => '');
    for (const m of code.matchAll(/(?:^|[;\s}])(?:import|export)\s*(?:[\w*${}\s,]+from\s*)?["']([^"']+)["']/g)) {
      const path = resolveUrl(script, m[1]!);
      if (path && !found.has(path)) (found.add(path), queue.push(path));
    }
  }
  return [...found].filter((p) => existsSync(join(dist, p)));
}

/**
 * What a page loads when opened in headless Chromium (served from the output
 * folder, nothing else reachable), until the network is idle and the diagram,
 * if any, has rendered. Search is loaded on demand and is not counted.
 */
async function browserLoads(dist: string, page: string, chromium: string): Promise<string[]> {
  const { chromium: launcher } = await import('playwright-core');
  const browser = await launcher.launch({ executablePath: chromium, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] });
  try {
    const origin = 'http://threatmark.bench';
    const context = await browser.newContext();
    const loaded = new Set<string>();
    await context.route('**/*', async (route) => {
      const url = new URL(route.request().url());
      if (url.origin !== origin) return route.abort();
      let path = decodeURIComponent(url.pathname).replace(/^\//, '');
      if (path === '' || path.endsWith('/')) path += 'index.html';
      if (!existsSync(join(dist, path))) return route.fulfill({ status: 404 });
      loaded.add(path);
      return route.fulfill({ path: join(dist, path) });
    });
    const tab = await context.newPage();
    await tab.goto(`${origin}${pagePath(page)}`, { waitUntil: 'networkidle' });
    await tab.waitForSelector('[data-dfd][data-rendered="true"] svg', { timeout: 30_000 }).catch(() => undefined);
    await tab.waitForLoadState('networkidle');
    return [...loaded];
  } finally {
    await browser.close();
  }
}

export async function pageWeight(dist: string, page: string, chromium?: string): Promise<PageWeight> {
  const method = chromium && existsSync(chromium) ? 'browser' : 'static';
  const loaded = method === 'browser' ? await browserLoads(dist, page, chromium!) : [page, ...(await staticLoads(dist, page))];
  const zero = (): Weight => ({ raw: 0, gzip: 0 });
  const weight = { html: zero(), css: zero(), js: zero(), other: zero() };
  for (const path of new Set([page, ...loaded])) {
    const w = await weigh(dist, path);
    const kind = path === page ? 'html' : kindOf(path) === 'css' ? 'css' : kindOf(path) === 'js' ? 'js' : 'other';
    weight[kind] = add(weight[kind], w);
  }
  return { ...weight, method, loaded: loaded.filter((p) => p !== page).sort() };
}

export function total(w: PageWeight, ...kinds: ('html' | 'css' | 'js' | 'other')[]): Weight {
  return kinds.reduce((sum, kind) => add(sum, w[kind]), { raw: 0, gzip: 0 });
}
