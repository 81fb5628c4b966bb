// Git, for `threatmark diff` and the repository checks (covers, mitigation refs,
// review staleness). Every call goes through execFile with an argument array (no
// shell); user-given revisions are resolved once with `--end-of-options` and only the
// resulting object id is passed on. Git output is read NUL-separated (`-z`), so any
// file name survives.
//
// The checks are synchronous, so the repository facts they need (file list, history)
// are read lazily with the synchronous variant, once per run and cached: one
// `git ls-files` and one `git log` for the whole repository, never one per model.
import { execFile, execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { ResolvedConfig } from './config.ts';
import { addDays } from './dates.ts';

// ---------------------------------------------------------------------------
// Running git

export interface GitOutput {
  stdout: Buffer;
  stderr: string;
  /** Exit status; 0 is success. */
  code: number;
}

/** Raised when the `git` executable cannot be run at all. */
export class GitMissingError extends Error {}

const MAX_BUFFER = 1024 * 1024 * 1024;
const TIMEOUT_MS = 120_000;

/** A stable environment: C messages, no pager, no prompts, no optional index locks. */
function gitEnv(): NodeJS.ProcessEnv {
  return { ...process.env, LC_ALL: 'C', LANG: 'C', GIT_PAGER: 'cat', GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' };
}

/** Configuration that must not change what git prints for us. */
const FIXED_CONFIG = ['-c', 'core.quotePath=false', '-c', 'log.showSignature=false', '-c', 'color.ui=false'];

/** How many git processes this process started (tests assert the checks batch their calls). */
export const gitStats = { calls: 0 };

export async function git(args: readonly string[], cwd: string, input?: string | Buffer): Promise<GitOutput> {
  gitStats.calls++;
  return new Promise((resolvePromise, reject) => {
    const child = execFile(
      'git',
      [...FIXED_CONFIG, ...args],
      { cwd, env: gitEnv(), encoding: 'buffer', maxBuffer: MAX_BUFFER, timeout: TIMEOUT_MS, windowsHide: true },
      (error, stdout, stderr) => {
        const errno = error as (NodeJS.ErrnoException & { code?: string | number }) | null;
        if (errno && errno.code === 'ENOENT') {
          reject(new GitMissingError('`git` was not found on the PATH'));
          return;
        }
        if (errno && typeof errno.code !== 'number' && errno.code !== undefined) {
          reject(new Error(`git ${args[0] ?? ''} failed: ${errno.message}`));
          return;
        }
        resolvePromise({ stdout, stderr: stderr.toString('utf8'), code: errno ? Number(errno.code ?? 1) : 0 });
      },
    );
    if (input !== undefined) child.stdin?.end(input);
    else child.stdin?.end();
  });
}

/** Synchronous git for the checks; undefined when git is missing or cannot run. */
export function gitSync(args: readonly string[], cwd: string): GitOutput | undefined {
  gitStats.calls++;
  try {
    const stdout = execFileSync('git', [...FIXED_CONFIG, ...args], {
      cwd,
      env: gitEnv(),
      maxBuffer: MAX_BUFFER,
      timeout: TIMEOUT_MS,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    return { stdout, stderr: '', code: 0 };
  } catch (error) {
    const failed = error as NodeJS.ErrnoException & { status?: number | null; stdout?: Buffer; stderr?: Buffer };
    if (typeof failed.status === 'number') return { stdout: failed.stdout ?? Buffer.alloc(0), stderr: failed.stderr?.toString('utf8') ?? '', code: failed.status };
    return undefined;
  }
}

export function splitNul(buffer: Buffer): string[] {
  const text = buffer.toString('utf8');
  return text.split('\0').filter((s) => s.length > 0);
}

// ---------------------------------------------------------------------------
// Repositories

export interface RepoInfo {
  /** Absolute top-level directory of the work tree. */
  top: string;
  shallow: boolean;
  /** Commits at the edge of a shallow clone: their parents are missing, so their file lists are whole trees. */
  shallowCommits: Set<string>;
}

function parseRepoInfo(output: GitOutput | undefined, readShallow: (gitDir: string) => string): RepoInfo | undefined {
  if (!output || output.code !== 0) return undefined;
  const [top, shallow, gitDir] = output.stdout.toString('utf8').split('\n');
  if (!top || !gitDir) return undefined;
  const info: RepoInfo = { top: resolve(top), shallow: shallow === 'true', shallowCommits: new Set() };
  if (info.shallow) {
    const text = readShallow(gitDir);
    for (const line of text.split('\n')) if (/^[0-9a-f]{40,64}$/.test(line.trim())) info.shallowCommits.add(line.trim());
  }
  return info;
}

const INFO_ARGS = ['rev-parse', '--show-toplevel', '--is-shallow-repository', '--absolute-git-dir'];

function readShallowFile(gitDir: string): string {
  try {
    return readFileSync(join(gitDir, 'shallow'), 'utf8');
  } catch {
    return '';
  }
}

/** The work tree `dir` is in, or undefined (not a repository, a bare one, or no git). */
export async function repoInfo(dir: string): Promise<RepoInfo | undefined> {
  let output: GitOutput;
  try {
    output = await git(INFO_ARGS, dir);
  } catch {
    return undefined;
  }
  return parseRepoInfo(output, readShallowFile);
}

export function repoInfoSync(dir: string): RepoInfo | undefined {
  return parseRepoInfo(gitSync(INFO_ARGS, dir), readShallowFile);
}

/** Files of the work tree as git sees them: tracked and untracked-but-not-ignored, minus deleted ones. */
export function parseLsFiles(buffer: Buffer): string[] {
  const present = new Set<string>();
  const deleted = new Set<string>();
  for (const entry of splitNul(buffer)) {
    const tag = entry.slice(0, 1);
    const path = entry.slice(2);
    if (tag === 'R') deleted.add(path);
    else present.add(path);
  }
  return [...present].filter((p) => !deleted.has(p));
}

export const LS_FILES_ARGS = ['ls-files', '-z', '-t', '--cached', '--others', '--deleted', '--exclude-standard'];

// ---------------------------------------------------------------------------
// Globs and sorted path lists

export type Matcher = (path: string) => boolean;
interface ScanResult {
  base: string;
  isGlob: boolean;
  negated: boolean;
}
interface Picomatch {
  (glob: string | string[], options?: Record<string, unknown>): Matcher;
  scan(glob: string, options?: Record<string, unknown>): ScanResult;
}
// picomatch ships CommonJS without types; this is the part of its API we use.
const picomatch = createRequire(import.meta.url)('picomatch') as Picomatch;

/** A glob (or several) as a predicate on POSIX paths. */
export function globMatcher(globs: string | string[], options: { dot: boolean }): Matcher {
  return picomatch(globs, options);
}

/** A `covers` glob, relative to the repository root. */
export interface CoverGlob {
  /** As written. */
  glob: string;
  /** Directory every match lies under ('' for the whole repository); for a plain path, the path. */
  base: string;
  /** A plain path (no wildcards): it names a file or a folder. */
  plain: boolean;
  match: Matcher;
}

/**
 * Compiles a `covers` entry. `./` and a leading `/` are dropped (entries are relative to
 * the repository root); an entry without glob characters also covers everything under
 * it, so `src/upload` and `src/upload/` mean `src/upload/**`. Hidden files match.
 */
export function compileCover(glob: string): CoverGlob {
  let compiled = coverCache.get(glob);
  if (!compiled) {
    if (coverCache.size >= 10_000) coverCache.clear();
    compiled = compileCoverUncached(glob);
    coverCache.set(glob, compiled);
  }
  return compiled;
}

const coverCache = new Map<string, CoverGlob>();

function compileCoverUncached(glob: string): CoverGlob {
  let pattern = glob.trim().replace(/^(\.\/)+/, '').replace(/^\/+/, '');
  const scan = picomatch.scan(pattern);
  if (!scan.isGlob) {
    pattern = pattern.replace(/\/+$/, '');
    const exact = picomatch(pattern, { dot: true });
    const under = picomatch(`${pattern}/**`, { dot: true });
    return { glob, base: pattern, plain: true, match: (p) => exact(p) || under(p) };
  }
  const match = picomatch(pattern, { dot: true });
  return { glob, base: scan.base.replace(/\/+$/, ''), plain: false, match };
}

/** Sorted unique paths, searchable by directory prefix. */
export class PathIndex {
  readonly paths: readonly string[];
  constructor(paths: Iterable<string>) {
    this.paths = [...new Set(paths)].sort();
  }

  /** Index of the first path ≥ `key`. */
  private lowerBound(key: string): number {
    let lo = 0;
    let hi = this.paths.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.paths[mid]! < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Paths equal to `dir` or under it ('' is everything). */
  *under(dir: string): Generator<string> {
    if (dir === '') {
      yield* this.paths;
      return;
    }
    let i = this.lowerBound(dir);
    if (this.paths[i] === dir) yield this.paths[i++]!;
    const prefix = `${dir}/`;
    for (i = Math.max(i, this.lowerBound(prefix)); i < this.paths.length && this.paths[i]!.startsWith(prefix); i++) yield this.paths[i]!;
  }

  has(path: string): boolean {
    return this.paths[this.lowerBound(path)] === path;
  }

  isDirectory(path: string): boolean {
    if (path === '') return true;
    const prefix = `${path.replace(/\/+$/, '')}/`;
    return this.paths[this.lowerBound(prefix)]?.startsWith(prefix) ?? false;
  }

  /** Matches of a cover glob. */
  matches(cover: CoverGlob): string[] {
    const out: string[] = [];
    for (const path of this.under(cover.base)) if (cover.match(path)) out.push(path);
    return out;
  }
}

// ---------------------------------------------------------------------------
// History

export interface Commit {
  hash: string;
  /** Committer time, Unix seconds. */
  time: number;
  files: string[];
}

/** Parses `git log --format=%x1e%H%x1f%ct -z --name-only`. */
export function parseLog(buffer: Buffer): Commit[] {
  const commits: Commit[] = [];
  for (const record of buffer.toString('utf8').split('\x1e')) {
    if (!record) continue;
    const headerEnd = record.indexOf('\0');
    const header = headerEnd < 0 ? record : record.slice(0, headerEnd);
    const [hash, time] = header.trim().split('\x1f');
    if (!hash || !time) continue;
    const files = headerEnd < 0 ? [] : record.slice(headerEnd + 1).replace(/^\n/, '').split('\0').filter((f) => f.length > 0);
    commits.push({ hash, time: Number(time), files });
  }
  return commits;
}

export function logArgs(sinceSeconds: number | undefined): string[] {
  return ['log', '--no-merges', '--no-renames', '--no-show-signature', '--format=%x1e%H%x1f%ct', '-z', '--name-only', ...(sinceSeconds !== undefined ? [`--since=@${sinceSeconds}`] : []), 'HEAD', '--'];
}

/** Commits of the current branch, indexed by the files they touch. */
export class History {
  readonly shallow: boolean;
  /** Commits newest first; shallow-edge commits are left out (their file lists are whole trees). */
  readonly commits: Commit[];
  /** Earliest committer time this history is complete from (Unix seconds). */
  readonly since: number;
  private readonly index: PathIndex;
  private readonly byPath = new Map<string, number[]>();
  private readonly cache = new Map<string, number[]>();

  constructor(commits: Commit[], since: number, info: Pick<RepoInfo, 'shallow' | 'shallowCommits'>) {
    this.shallow = info.shallow;
    this.since = since;
    this.commits = commits.filter((c) => !info.shallowCommits.has(c.hash));
    this.commits.forEach((commit, i) => {
      for (const file of commit.files) {
        const list = this.byPath.get(file);
        if (list) list.push(i);
        else this.byPath.set(file, [i]);
      }
    });
    this.index = new PathIndex(this.byPath.keys());
  }

  /** Commits after `afterSeconds` that touch a file the glob matches, newest first. */
  touching(cover: CoverGlob, afterSeconds: number): Commit[] {
    let all = this.cache.get(cover.glob);
    if (!all) {
      const set = new Set<number>();
      for (const path of this.index.matches(cover)) for (const i of this.byPath.get(path)!) set.add(i);
      all = [...set].sort((a, b) => a - b);
      this.cache.set(cover.glob, all);
    }
    return all.map((i) => this.commits[i]!).filter((c) => c.time > afterSeconds);
  }
}

// ---------------------------------------------------------------------------
// The repository as the checks see it

export type PathKind = { kind: 'file'; lines: number } | { kind: 'directory' };

/** What the covers and mitigation-ref checks read: a work tree, or a commit (for `diff`). */
export interface RepoView {
  /** Absolute directory that `covers` and mitigation refs are relative to. */
  root: string;
  /** Set when `root` is a git work tree's top level. */
  repo?: RepoInfo;
  /** Every file, repository-relative. */
  files(): PathIndex;
  /** What a repository-relative path names, or undefined when nothing is there. */
  stat(path: string): PathKind | undefined;
  /** History complete from `day` (YYYY-MM-DD), or undefined when there is none to read. */
  history(day: string): History | undefined;
}

const MAX_COUNTED_BYTES = 64 * 1024 * 1024;
/** How long a work-tree view may be reused by a long-lived process (the dev server). */
const VIEW_TTL_MS = 10_000;
/** The first `git log` reaches back this far beyond the earliest date asked for, so one call usually serves a run. */
const HISTORY_SLACK_DAYS = 730;

/** Lines in a file: a last line without a newline counts. */
export function countLines(bytes: Buffer): number {
  if (bytes.length === 0) return 0;
  let lines = 0;
  for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) lines++;
  return bytes[bytes.length - 1] === 10 ? lines : lines + 1;
}

export function dayToSeconds(day: string): number {
  return Math.floor(Date.parse(`${day}T00:00:00Z`) / 1000);
}

/** The work tree (or, outside git, the source root on disk). */
export class WorkTreeView implements RepoView {
  readonly root: string;
  readonly repo?: RepoInfo;
  readonly created = Date.now();
  private fileIndex?: PathIndex;
  private readonly stats = new Map<string, PathKind | undefined>();
  private log?: History;
  private readonly today: string;

  constructor(sourceRoot: string, today: string, repo: RepoInfo | undefined) {
    this.repo = repo;
    this.root = repo ? repo.top : sourceRoot;
    this.today = today;
  }

  files(): PathIndex {
    if (!this.fileIndex) {
      const listed = this.repo ? gitSync(LS_FILES_ARGS, this.root) : undefined;
      this.fileIndex = new PathIndex(listed && listed.code === 0 ? parseLsFiles(listed.stdout) : walk(this.root));
    }
    return this.fileIndex;
  }

  stat(path: string): PathKind | undefined {
    if (this.stats.has(path)) return this.stats.get(path);
    let kind: PathKind | undefined;
    const absolute = resolve(this.root, path);
    if (isInside(this.root, absolute)) {
      try {
        const info = statSync(absolute);
        if (info.isDirectory()) kind = { kind: 'directory' };
        // Lines of a huge file (a binary, a data dump) are not counted: any line passes.
        else if (info.isFile()) kind = { kind: 'file', lines: info.size > MAX_COUNTED_BYTES ? Number.MAX_SAFE_INTEGER : countLines(readFileSync(absolute)) };
      } catch {
        kind = undefined;
      }
    }
    this.stats.set(path, kind);
    return kind;
  }

  history(day: string): History | undefined {
    if (!this.repo) return undefined;
    const wanted = dayToSeconds(day);
    if (this.log && this.log.since <= wanted) return this.log;
    const from = addDays(this.log ? day : minDay(day, this.today), -HISTORY_SLACK_DAYS);
    const since = dayToSeconds(from);
    const output = gitSync(logArgs(since), this.root);
    // No commits yet, or git failed: an empty history (nothing is stale).
    const commits = output && output.code === 0 ? parseLog(output.stdout) : [];
    this.log = new History(commits, since, this.repo);
    return this.log;
  }
}

function minDay(a: string, b: string): string {
  return a < b ? a : b;
}

export function isInside(root: string, absolute: string): boolean {
  const rel = relative(root, absolute);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

const WALK_SKIP = new Set(['node_modules', 'dist']);

/** Files under `root` (outside git): hidden folders, node_modules and build output skipped. */
function walk(root: string): string[] {
  const out: string[] = [];
  const stack: string[] = [''];
  let budget = 200_000;
  while (stack.length > 0 && budget > 0) {
    const dir = stack.pop()!;
    let entries;
    try {
      entries = readdirSync(join(root, dir), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (--budget <= 0) break;
      const path = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('.') && !WALK_SKIP.has(entry.name)) stack.push(path);
      } else if (entry.isFile()) out.push(path.split(sep).join('/'));
    }
  }
  return out;
}

const overrides = new WeakMap<ResolvedConfig, RepoView>();
const views = new WeakMap<ResolvedConfig, WorkTreeView>();

/** Makes checks run with this configuration read `view` (diff checks BASE this way). */
export function useRepoView(config: ResolvedConfig, view: RepoView): void {
  overrides.set(config, view);
}

/**
 * The repository the checks of a run read. A run loads its configuration afresh, so the
 * view (file list, history) is shared by all the models of one run and never reused by
 * the next; a long-lived configuration gets a fresh view every few seconds.
 */
export function repoViewFor(config: ResolvedConfig, today: string): RepoView {
  const override = overrides.get(config);
  if (override) return override;
  let view = views.get(config);
  if (!view || Date.now() - view.created > VIEW_TTL_MS) {
    const info = repoInfoSync(config.root);
    view = new WorkTreeView(config.root, today, info && isInside(info.top, config.root) ? info : undefined);
    views.set(config, view);
  }
  return view;
}
