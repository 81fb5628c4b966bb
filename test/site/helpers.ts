// Shared helpers for the site tests: build the fixture site once per test file.
import { cp, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from '../../src/cli/build.ts';

export const REPO = resolve(fileURLToPath(import.meta.url), '../../..');
export const FIXTURE = join(REPO, 'test/fixtures/site');
export const TODAY = '2026-12-01';

// Each test file (a forked process) builds with its own Astro cache.
process.env.THREATMARK_CACHE_DIR ??= join(REPO, 'test/.tmp', `astro-cache-${process.pid}`);

export interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `threatmark build` in-process, capturing what it writes. */
export async function runBuild(options: Parameters<typeof build>[0]): Promise<Captured> {
  const out: string[] = [];
  const err: string[] = [];
  const writeOut = process.stdout.write.bind(process.stdout);
  const writeErr = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array) => (out.push(String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => (err.push(String(chunk)), true)) as typeof process.stderr.write;
  try {
    const code = await build(options);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    process.stdout.write = writeOut;
    process.stderr.write = writeErr;
  }
}

/** A fresh folder under test/.tmp (ignored by git). */
export async function tempDir(name: string): Promise<string> {
  const dir = join(REPO, 'test/.tmp', `${name}-${process.pid}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  return dir;
}

export async function buildFixture(name: string, source = FIXTURE): Promise<string> {
  const dir = await tempDir(name);
  const out = join(dir, 'dist');
  const result = await runBuild({ cwd: source, out, today: TODAY, quiet: true });
  if (result.code !== 0) throw new Error(`fixture build failed (${result.code}):\n${result.stderr}`);
  return out;
}

export async function copyFixture(name: string): Promise<string> {
  const dir = await tempDir(name);
  await cp(FIXTURE, dir, { recursive: true });
  return dir;
}

export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split('\\').join('/'))
    .sort();
}

export function read(dir: string, path: string): Promise<string> {
  return readFile(join(dir, path), 'utf8');
}
