// Runs the real `threatmark` command in a child process, on a temporary copy
// of a fixture folder (test/fixtures/cli/<name>), with a clean environment.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The Node 24 the project pins (never the system node). */
export const NODE = join(ROOT, 'node_modules', '.bin', 'node');
export const BIN = join(ROOT, 'bin', 'threatmark.mjs');
export const FIXTURES = join(ROOT, 'test', 'fixtures', 'cli');
export const TODAY = '2026-12-04';

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const made: string[] = [];

/** A fresh temporary copy of a fixture folder; removed by `cleanup()`. */
export function fixture(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `threatmark-cli-${name}-`));
  cpSync(join(FIXTURES, name), dir, { recursive: true });
  made.push(dir);
  return dir;
}

/** An empty temporary folder; removed by `cleanup()`. */
export function tempDir(label = 'tmp'): string {
  const dir = mkdtempSync(join(tmpdir(), `threatmark-cli-${label}-`));
  made.push(dir);
  return dir;
}

export function cleanup(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** The environment without anything that changes output (colour, GitHub Actions). */
function baseEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of ['FORCE_COLOR', 'NO_COLOR', 'GITHUB_STEP_SUMMARY', 'GITHUB_ACTIONS', 'CI', 'TERM']) delete env[key];
  return env;
}

export function run(args: string[], options: { cwd: string; env?: Record<string, string | undefined> }): RunResult {
  const env = baseEnv();
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  const result = spawnSync(NODE, [BIN, ...args], { cwd: options.cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `threatmark check … --today 2026-12-04` in a copy of the fixture. */
export function check(name: string, args: string[] = [], env?: Record<string, string | undefined>): RunResult & { cwd: string } {
  const cwd = fixture(name);
  return { ...run(['check', ...args, '--today', TODAY], { cwd, ...(env ? { env } : {}) }), cwd };
}

// eslint-disable-next-line no-control-regex
export const ANSI = /\u001b\[[0-9;]*m/;
