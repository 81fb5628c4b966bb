// `npm run bench`: generated repositories of 10, 100, 1,000 and 10,000 models;
// times `threatmark check` as a whole process beside the bare baseline
// (read + YAML-parse the same files) in the same run, and prints per-model
// cost, the ratio to the baseline and peak memory. Figures only: nothing here
// passes or fails.
//   npm run bench -- --sizes 10,100 --runs 3
//
// `npm run bench -- --site` adds the site part (sizes 10, 100, 1,000 by
// default; `--no-check` skips the check part): `threatmark build` timed as a
// whole process — validation, Astro and Pagefind — with its peak memory, the
// output folder's size by kind, the weight of a model page (its HTML + CSS, and
// with everything it loads, measured in headless Chromium when CHROMIUM_PATH or
// /usr/bin/chromium exists), and which pages load JavaScript.
//   npm run bench -- --site --no-check --sizes 1000 --runs 2
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateRepository } from './generate.ts';
import { distSizes, linkDependencies, pageWeight, scriptsByPage, total, type Weight } from './site.ts';

const { values } = parseArgs({
  options: { sizes: { type: 'string' }, runs: { type: 'string' }, site: { type: 'boolean' }, check: { type: 'boolean', default: true } },
  allowNegative: true,
});
const sizesOr = (fallback: string) => (values.sizes ?? fallback).split(',').map(Number);
const runs = Number(values.runs ?? 3);
const root = new URL('..', import.meta.url).pathname;
// Outside this repository, so the generated repositories are not part of its git work tree.
const out = join(tmpdir(), 'threatmark-bench');
const node = process.execPath;
const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

interface Sample {
  seconds: number;
  peakMb?: number;
  status: number | null;
}

function measure(args: string[], cwd: string, env: Record<string, string> = {}): Sample {
  // GNU time gives the child's peak RSS (the largest of it and the processes it waited for); without it, wall time only.
  const command = timeBin ? [timeBin, '-f', '__TIME__ %e %M', node, ...args] : [node, ...args];
  const started = process.hrtime.bigint();
  const result = spawnSync(command[0]!, command.slice(1), { cwd, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1', ...env } });
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  const line = /__TIME__ ([\d.]+) (\d+)/.exec(result.stderr ?? '');
  if (result.status !== 0 && result.status !== 1) process.stderr.write(`${result.stderr.slice(-2000)}\n`);
  return { seconds: elapsed, ...(line ? { peakMb: Number(line[2]) / 1024 } : {}), status: result.status };
}

function best(samples: Sample[]): Sample {
  return samples.reduce((a, b) => (b.seconds < a.seconds ? b : a));
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const format = (cells: string[]) => cells.map((cell, i) => cell.padStart(widths[i]!)).join('  ');
  return `${format(header)}\n${rows.map(format).join('\n')}\n`;
}

const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
process.stdout.write(`load average at the start: ${load()}\n`);
if (values.check) await benchCheck(sizesOr('10,100,1000,10000'));
if (values.site) await benchSite(sizesOr('10,100,1000'));
process.stdout.write(`load average at the end: ${load()}\n`);

async function benchCheck(sizes: number[]): Promise<void> {
  const rows: string[][] = [];
  const header = ['models', 'check (s)', 'per model (ms)', 'peak (MB)', 'baseline (s)', 'ratio', 'baseline peak (MB)'];
  for (const size of sizes) {
    const dir = join(out, String(size));
    process.stderr.write(`generating ${size} models…\n`);
    await generateRepository(dir, size);
    const check: Sample[] = [];
    const base: Sample[] = [];
    // Warm the compile cache once so every measured run starts the same way.
    measure([join(root, 'bin', 'threatmark.mjs'), 'check', '--today', '2026-12-04', '--format', 'json', '--output', join(dir, 'result.json')], dir);
    for (let r = 0; r < runs; r++) {
      process.stderr.write(`  run ${r + 1}/${runs}\r`);
      check.push(measure([join(root, 'bin', 'threatmark.mjs'), 'check', '--today', '2026-12-04', '--format', 'json', '--output', join(dir, 'result.json')], dir));
      base.push(measure([join(root, 'bench', 'baseline.ts'), dir], dir));
    }
    const c = best(check);
    const b = best(base);
    if (c.status !== 0 && c.status !== 1) process.stderr.write(`threatmark check exited with ${c.status} on ${size} models\n`);
    rows.push([String(size), c.seconds.toFixed(3), ((c.seconds * 1000) / size).toFixed(2), c.peakMb?.toFixed(0) ?? '?', b.seconds.toFixed(3), (c.seconds / b.seconds).toFixed(2), b.peakMb?.toFixed(0) ?? '?']);
  }

  process.stdout.write(`\nthreatmark check vs bare read + YAML parse (best of ${runs}, whole processes, ${process.version})\n`);
  process.stdout.write(table(header, rows));
}

async function benchSite(sizes: number[]): Promise<void> {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  const kb = (bytes: number) => (bytes / 1000).toFixed(1);
  const mb = (bytes: number) => (bytes / 1e6).toFixed(2);
  const pair = (w: Weight) => `${kb(w.raw)} / ${kb(w.gzip)}`;
  // Each repository gets its own Astro cache, apart from other builds on the machine.
  const build = (dir: string) =>
    measure([join(root, 'bin', 'threatmark.mjs'), 'build', '--today', '2026-12-04', '--out', 'dist'], dir, { THREATMARK_CACHE_DIR: join(dir, '.astro-cache') });
  const timing: string[][] = [];
  const output: string[][] = [];
  const weight: string[][] = [];
  const scripts: string[] = [];
  let method = '';
  let warmed = false;
  for (const size of sizes) {
    const dir = join(out, `site-${size}`);
    process.stderr.write(`generating ${size} models…\n`);
    await generateRepository(dir, size);
    await linkDependencies(dir, root);
    if (!warmed) {
      // Warm the compile cache once so every measured run starts the same way.
      build(dir);
      warmed = true;
    }
    const samples: Sample[] = [];
    for (let r = 0; r < runs; r++) {
      process.stderr.write(`  build ${r + 1}/${runs}\r`);
      samples.push(build(dir));
    }
    const b = best(samples);
    if (b.status !== 0) {
      process.stderr.write(`threatmark build exited with ${b.status} on ${size} models\n`);
      timing.push([String(size), `failed (${b.status})`, '', '', '', '']);
      continue;
    }
    const dist = join(dir, 'dist');
    const sizesOf = await distSizes(dist);
    const groups = await scriptsByPage(dist);
    const pages = groups.reduce((n, g) => n + g.pages.length, 0);
    const model = await pageWeight(dist, 'models/model-0/index.html', chromium);
    method = model.method;
    const threatsPage = (await distSizes(join(dist, 'threats'))).byKind.html;
    timing.push([String(size), b.seconds.toFixed(1), ((b.seconds * 1000) / size).toFixed(0), b.peakMb?.toFixed(0) ?? '?', String(pages), String(sizesOf.files)]);
    const k = sizesOf.byKind;
    output.push([String(size), mb(sizesOf.total), mb(k.html), mb(k.css), mb(k.js), mb(k.search), mb(k.other), mb(threatsPage)]);
    weight.push([String(size), pair(model.html), pair(model.css), pair(total(model, 'html', 'css')), pair(model.js), pair(total(model, 'html', 'css', 'js', 'other')), String(model.loaded.length)]);
    scripts.length = 0;
    const withJs = groups.filter((g) => g.scripts.length > 0).reduce((n, g) => n + g.pages.length, 0);
    scripts.push(`JavaScript by page at ${size} models: ${withJs} of ${pages} pages load a script`);
    for (const g of groups) {
      const examples = g.pages.slice(0, 4).join(' ') + (g.pages.length > 4 ? ' …' : '');
      scripts.push(`  ${String(g.pages.length).padStart(5)} page(s): ${g.scripts.length ? g.scripts.join(', ') : 'no script'}\n         e.g. ${examples}`);
    }
  }

  process.stdout.write(`\nthreatmark build: validation + Astro + Pagefind as one process (best of ${runs}, ${process.version}; peak = largest process RSS)\n`);
  process.stdout.write(table(['models', 'build (s)', 'per model (ms)', 'peak (MB)', 'pages', 'files'], timing));
  process.stdout.write('\noutput folder, MB (10^6 bytes, file sizes): total and by kind; search index = pagefind/\n');
  process.stdout.write(table(['models', 'dist', 'HTML', 'CSS', 'JS', 'search index', 'other', '/threats/ HTML'], output));
  process.stdout.write(`\nmodel page /models/model-0/, KB (10^3 bytes) raw / gzip; loads found by ${method === 'browser' ? 'headless Chromium until the diagram is drawn' : 'following static imports (no browser)'}\n`);
  process.stdout.write(table(['models', 'HTML', 'CSS', 'HTML + CSS', 'JS', 'everything', 'files loaded'], weight));
  process.stdout.write(`\n${scripts.join('\n')}\n`);
}
