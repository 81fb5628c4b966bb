// `threatmark build [--source DIR] [--out DIR]`: check every model with the same
// pipeline as `threatmark check` and stop before Astro starts if the gate fails;
// otherwise build the static site with Astro and index it with Pagefind.
// Exit codes: 0 built, 1 the gate failed, 2 the build itself failed.
import { readdir, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, parse as parsePath, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkProject, type ProjectResult } from '../core/project.ts';
import { formatStylish, useColor } from '../core/reporters/stylish.ts';

export interface BuildOptions {
  /** Working directory (default: process.cwd()); `source` and `out` are relative to it. */
  cwd?: string;
  /** Source root with the models (default: the configuration's, else the working directory). */
  source?: string;
  /** Output directory (default: `dist`). */
  out?: string;
  /** Evaluate review and expiry dates as of this day (YYYY-MM-DD). */
  today?: string;
  /** Only errors on the terminal. */
  quiet?: boolean;
}

export async function build(options: BuildOptions = {}): Promise<number> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const started = performance.now();
  let project: ProjectResult;
  try {
    project = await checkProject({
      cwd,
      ...(options.source !== undefined ? { source: options.source } : {}),
      ...(options.today !== undefined ? { today: options.today } : {}),
    });
  } catch (error) {
    process.stderr.write(`threatmark build: checking the models failed: ${message(error)}\n`);
    return 2;
  }
  const shown = options.quiet ? project.diagnostics.filter((d) => d.severity === 'error') : project.diagnostics;
  if (shown.length > 0) {
    process.stderr.write(`${formatStylish(shown, { color: useColor(process.stderr), files: project.summary.files })}\n`);
  }
  if (!project.ok) {
    const why = project.summary.errors > 0 ? `${project.summary.errors} error(s)` : `${project.summary.warnings} warning(s) in strict mode`;
    process.stderr.write(`threatmark build: not building the site: the threat models fail the gate (${why}).\n`);
    return 1;
  }

  const outDir = resolve(cwd, options.out ?? 'dist');
  const refused = await prepareOutDir(outDir, [cwd, project.config.root, PACKAGE_ROOT, homedir()]);
  if (refused) {
    process.stderr.write(`threatmark build: ${refused}\n`);
    return 2;
  }
  // Astro must not phone home, and the site makes no third-party requests either.
  process.env.ASTRO_TELEMETRY_DISABLED = '1';
  process.env.ASTRO_DISABLE_UPDATE_CHECK = '1';
  try {
    const [{ build: astroBuild }, { siteConfig }] = await Promise.all([import('astro'), import('../astro/config.ts')]);
    await astroBuild({
      ...siteConfig({ project, outDir, logLevel: options.quiet ? 'error' : 'warn' }),
      configFile: false,
      mode: 'production',
    });
    await writeFile(join(outDir, MARKER), 'Written by `threatmark build`; the next build replaces this folder.\n');
  } catch (error) {
    // The search index is filled while Astro renders: stop Pagefind so the process can exit.
    await import('../astro/search-index.ts').then((m) => m.abandonIndexes()).catch(() => undefined);
    process.stderr.write(`threatmark build: the site build failed: ${message(error)}\n`);
    if (process.env.THREATMARK_DEBUG && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    return 2;
  }
  if (!options.quiet) {
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const rel = relative(cwd, outDir);
    const where = rel === '' ? '.' : rel.startsWith('..') ? outDir : rel;
    process.stdout.write(`threatmark build: ${project.summary.models} model(s) → ${where}/ in ${seconds} s\n`);
  }
  return 0;
}

/** Marks an output folder as Threatmark's, so a later build may empty it. */
export const MARKER = '.threatmark-site';
const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Empties the output folder, but only one the site may own: never a folder that
 * holds the sources, the working directory or the home directory, and never a
 * non-empty folder that a previous build did not write.
 */
export async function prepareOutDir(outDir: string, protect: string[]): Promise<string | undefined> {
  if (outDir === parsePath(outDir).root) return `refusing to write the site to ${outDir}`;
  for (const dir of protect) {
    const inside = dir === outDir || dir.startsWith(outDir.endsWith(sep) ? outDir : outDir + sep);
    if (inside) return `refusing to write the site to ${outDir}: it contains ${dir}; choose another --out`;
  }
  let entries: string[];
  try {
    entries = await readdir(outDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return `cannot use ${outDir} for the site: ${message(error)}`;
  }
  if (entries.length === 0) return undefined;
  // Ours: the marker, or an Astro build (its `_astro/` assets folder).
  if (!entries.includes(MARKER) && !entries.includes('_astro')) {
    return `refusing to replace ${outDir}: it is not empty and was not written by threatmark build; choose another --out or empty it`;
  }
  await rm(outDir, { recursive: true, force: true });
  return undefined;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
