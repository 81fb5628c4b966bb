// Real temporary git repositories for the tests: fixed names, e-mails and dates, so
// commit ids (and the golden outputs that show them) are the same on every run.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Git isolated from the machine's configuration (no global hooks, signing or default branch). */
export const GIT_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_TERMINAL_PROMPT: '0',
  LC_ALL: 'C',
};
delete GIT_ENV.GIT_DIR;
delete GIT_ENV.GIT_WORK_TREE;
delete GIT_ENV.GIT_INDEX_FILE;

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = join(ROOT, 'bin', 'threatmark.mjs');

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `threatmark-${prefix}-`));
}

export function runGit(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): string {
  return execFileSync('git', args, { cwd, env: { ...GIT_ENV, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export class Repo {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  static init(prefix = 'repo'): Repo {
    const repo = new Repo(tempDir(prefix));
    repo.git('init', '-q', '-b', 'main');
    repo.git('config', 'user.name', 'Test Author');
    repo.git('config', 'user.email', 'author@example.com');
    repo.git('config', 'commit.gpgsign', 'false');
    repo.git('config', 'core.autocrlf', 'false');
    return repo;
  }

  git(...args: string[]): string {
    return runGit(this.dir, args);
  }

  write(path: string, text: string): this {
    const file = join(this.dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    return this;
  }

  remove(path: string): this {
    rmSync(join(this.dir, path), { force: true });
    return this;
  }

  /** Commits everything with author and committer date `date` (YYYY-MM-DD, noon UTC). */
  commit(message: string, date: string): string {
    this.git('add', '-A');
    const when = `${date}T12:00:00Z`;
    runGit(this.dir, ['commit', '-q', '--allow-empty', '-m', message], { GIT_AUTHOR_DATE: when, GIT_COMMITTER_DATE: when });
    return this.git('rev-parse', 'HEAD').trim();
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real command (Node 24 from node_modules) in `cwd`. */
export function cli(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): CliResult {
  const node = join(ROOT, 'node_modules', '.bin', 'node');
  const result = spawnSync(node, [BIN, ...args], { cwd, env: { ...GIT_ENV, NO_COLOR: '1', GITHUB_BASE_REF: '', ...env }, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
