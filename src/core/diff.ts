// `threatmark diff BASE`: how the threat picture changed between a commit and the
// working tree — models, threats, accepted risks, coverage, findings, diagnostics,
// and code that changed without its model. Both sides are checked by the same
// pipeline (BASE's files are read from git and checked with `checkText`, with the
// repository checks reading BASE's tree), then compared by model and threat id.
import { join, relative, resolve, sep } from 'node:path';
import { PROJECT_CHECKS } from './checks/index.ts';
import type { ProjectEntry } from './checks/types.ts';
import { ALWAYS_EXCLUDED, displayPath, type ResolvedConfig } from './config.ts';
import { todayUtc } from './dates.ts';
import { DiagnosticSink, sortDiagnostics } from './diagnostics.ts';
import { toMermaid } from './dfd.ts';
import {
  compileCover,
  countLines,
  git,
  globMatcher,
  gitSync,
  isInside,
  PathIndex,
  repoInfo,
  splitNul,
  useRepoView,
  type Matcher,
  type PathKind,
  type RepoInfo,
  type RepoView,
} from './git.ts';
import { CATEGORY_LABELS } from './methodology.ts';

import { checkProject, checkText, makeReporter } from './project.ts';
import { escapeCode, escapeMessage, escapeText } from './reporters/markdown.ts';
import { plural as n } from './reporters/stylish.ts';
import { DEFAULT_MAX_FILE_BYTES, decodeSource, formatBytes } from './source.ts';
import { SEVERITIES, type Category, type Diagnostic, type Finding, type ResolvedModel, type ResolvedThreat, type Severity, type ThreatStatus } from './types.ts';

// ---------------------------------------------------------------------------
// Result shapes (also the JSON output)

export interface DiffOptions {
  /** Working directory (default process.cwd()). */
  cwd?: string;
  /** A git revision; default: the merge base of HEAD with the default branch. */
  base?: string;
  configFile?: string;
  today?: string;
}

/** A failure that is the user's to fix (not a repository, BASE missing…): exit 2 with the message. */
export class DiffError extends Error {}

export type ThreatField = 'status' | 'severity' | 'likelihood' | 'impact' | 'acceptance owner' | 'acceptance expiry';

export interface ThreatChange {
  field: ThreatField;
  from?: string;
  to?: string;
}

export interface ThreatSnapshot {
  id: string;
  title: string;
  status: ThreatStatus;
  severity?: Severity;
  likelihood?: string;
  impact?: string;
  targets: string[];
  acceptance?: { owner?: string; expires?: string; rationale?: string };
}

export interface ThreatDiff {
  kind: 'added' | 'removed' | 'changed';
  /** The threat now (or, when removed, at BASE). */
  threat: ThreatSnapshot;
  changes: ThreatChange[];
}

export interface AcceptedRisk {
  model: string;
  threat: string;
  title: string;
  severity?: Severity;
  owner?: string;
  expires?: string;
  rationale?: string;
  /** Status at BASE; absent when the threat is new. */
  previousStatus?: ThreatStatus;
}

export interface CoverageCellRef {
  target: string;
  targetKind: 'element' | 'flow';
  category: Category;
}

export interface CoverageDiff {
  before?: { answered: number; total: number; percent: number };
  after?: { answered: number; total: number; percent: number };
  newGaps: CoverageCellRef[];
  closedGaps: CoverageCellRef[];
}

export interface FindingRef {
  id: string;
  rule: string;
  target: string;
  title: string;
  severity: Severity;
  answered: boolean;
}

export interface FindingsDiff {
  added: FindingRef[];
  removed: FindingRef[];
  /** Unanswered at BASE, answered now. */
  answered: FindingRef[];
  /** Answered at BASE, unanswered now. */
  unanswered: FindingRef[];
}

export type DiagnosticRef = Pick<Diagnostic, 'file' | 'line' | 'column' | 'severity' | 'rule' | 'message' | 'model'>;

export interface IdChanges {
  added: string[];
  removed: string[];
  changed: string[];
}

export interface ModelDiff {
  id: string;
  title: string;
  /** Path now (or at BASE when removed), relative to the working directory. */
  file: string;
  /** Path at BASE when the model moved. */
  movedFrom?: string;
  kind: 'added' | 'removed' | 'changed' | 'unchanged';
  threats: ThreatDiff[];
  /** Threat count of an added or removed model. */
  threatCount: number;
  newlyAccepted: AcceptedRisk[];
  elements: IdChanges;
  flows: IdChanges;
  /** Other things that changed: `status draft → approved`, `narrative`, … */
  other: string[];
  coverage: CoverageDiff;
  findings: FindingsDiff;
  diagnostics: { introduced: DiagnosticRef[]; fixed: DiagnosticRef[] };
  errors: { before: number; after: number };
  warnings: { before: number; after: number };
  /** Mermaid DFD of the model now, new and changed elements and flows highlighted (added and changed models). */
  dfd?: string;
}

export interface UntouchedModel {
  model: string;
  title: string;
  /** The model file (relative to the working directory). */
  file: string;
  /** Changed files its `covers` match, repository-relative. */
  files: string[];
  /** The `covers` globs that matched them. */
  covers: string[];
}

export interface DiffResult {
  base: { ref: string; commit: string; how: 'given' | 'merge-base'; branch?: string };
  head: { commit?: string; shallow: boolean };
  today: string;
  headline: string;
  counts: DiffCounts;
  /** Models that changed (unchanged ones are left out). */
  models: ModelDiff[];
  /** Models whose covered code changed in this change while the model file did not. */
  untouched: UntouchedModel[];
  /** Diagnostics not attached to a model (files that are not valid models). */
  diagnostics: { introduced: DiagnosticRef[]; fixed: DiagnosticRef[] };
  /** Files changed between BASE and the working tree, repository-relative. */
  changedFiles: number;
}

export interface DiffCounts {
  modelsAdded: number;
  modelsRemoved: number;
  modelsChanged: number;
  threatsAdded: number;
  threatsRemoved: number;
  threatsChanged: number;
  newlyAccepted: number;
  newGaps: number;
  closedGaps: number;
  findingsAdded: number;
  findingsUnanswered: number;
  errorsIntroduced: number;
  errorsFixed: number;
  warningsIntroduced: number;
  warningsFixed: number;
  untouched: number;
}

// ---------------------------------------------------------------------------
// Git side: the BASE commit, its files, what changed

const HEX = /^[0-9a-f]{40,64}$/;

/**
 * `git fetch` hint for a revision that is missing from the clone. `origin/main` becomes
 * `git fetch --depth=1 origin main` when the remote's refspec stores that branch as
 * `origin/main` (as actions/checkout sets it up); a single-branch clone does not, so it
 * gets the explicit destination.
 */
export function fetchHint(ref: string, remotes: readonly string[], refspecs: (remote: string) => readonly string[] = () => []): string {
  const name = ref.replace(/^refs\/remotes\//, '');
  const slash = name.indexOf('/');
  const remote = slash > 0 ? name.slice(0, slash) : '';
  if (remote && (remotes.includes(remote) || (remotes.length === 0 && /^(origin|upstream)$/.test(remote)))) {
    const branch = name.slice(slash + 1);
    const target = `refs/remotes/${remote}/${branch}`;
    const specs = refspecs(remote).map((s) => s.replace(/^\+/, ''));
    const mapped = specs.length === 0 || specs.some((s) => s === `refs/heads/*:refs/remotes/${remote}/*` || s === `refs/heads/${branch}:${target}`);
    return `git fetch --depth=1 ${remote} ${mapped ? branch : `${branch}:${target}`}`;
  }
  const fallback = remotes.includes('origin') ? 'origin' : (remotes[0] ?? 'origin');
  return `git fetch --depth=1 ${fallback} ${ref.replace(/^refs\/heads\//, '')}`;
}

async function remotes(top: string): Promise<{ names: string[]; refspecs: Map<string, string[]> }> {
  const out = await git(['config', '--get-regexp', '^remote\\..*\\.(url|fetch)$'], top);
  const names = new Set<string>();
  const refspecs = new Map<string, string[]>();
  for (const line of out.code === 0 ? out.stdout.toString('utf8').split('\n') : []) {
    const m = /^remote\.(.+)\.(url|fetch) (.*)$/.exec(line);
    if (!m) continue;
    names.add(m[1]!);
    if (m[2] === 'fetch') refspecs.set(m[1]!, [...(refspecs.get(m[1]!) ?? []), m[3]!]);
  }
  return { names: [...names], refspecs };
}

/** Resolves a user-given revision to a commit id, or undefined when it is not in the clone. */
async function resolveCommit(top: string, ref: string): Promise<string | undefined> {
  if (ref.startsWith('-') || /[\0\n]/.test(ref)) throw new DiffError(`BASE ${JSON.stringify(ref)} is not a git revision`);
  const out = await git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], top);
  const id = out.stdout.toString('utf8').trim();
  return out.code === 0 && HEX.test(id) ? id : undefined;
}

/** The default branch: GitHub's PR base, origin/HEAD, then the usual names. */
async function defaultBranch(top: string): Promise<string | undefined> {
  const candidates: string[] = [];
  const prBase = process.env.GITHUB_BASE_REF;
  if (prBase) candidates.push(`origin/${prBase}`);
  const head = await git(['symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD'], top);
  if (head.code === 0) candidates.push(head.stdout.toString('utf8').trim());
  candidates.push('origin/main', 'origin/master', 'main', 'master');
  for (const candidate of candidates) if (candidate && (await resolveCommit(top, candidate))) return candidate;
  return undefined;
}

async function findBase(top: string, repo: RepoInfo, ref: string | undefined): Promise<DiffResult['base']> {
  if (ref !== undefined) {
    const commit = await resolveCommit(top, ref);
    if (!commit) {
      const known = await remotes(top);
      throw new DiffError(`BASE \`${ref}\` is not in this clone: fetch it first, e.g. \`${fetchHint(ref, known.names, (r) => known.refspecs.get(r) ?? [])}\``);
    }
    return { ref, commit, how: 'given' };
  }
  const branch = await defaultBranch(top);
  if (!branch) {
    throw new DiffError('no default branch to compare with (tried origin/HEAD, origin/main, origin/master, main, master): pass BASE, e.g. `threatmark diff origin/main` after `git fetch --depth=1 origin main`');
  }
  const out = await git(['merge-base', 'HEAD', branch], top);
  const commit = out.stdout.toString('utf8').trim();
  if (out.code !== 0 || !HEX.test(commit)) {
    const why = repo.shallow ? 'this clone is shallow, so the commit where HEAD branched off is not in it' : 'HEAD and it have no common history';
    throw new DiffError(`cannot find the merge base of HEAD and \`${branch}\`: ${why}. Pass BASE explicitly (\`threatmark diff ${branch}\`), or fetch more history (\`git fetch --deepen=100\`)`);
  }
  return { ref: branch, commit, how: 'merge-base', branch };
}

interface TreeEntry {
  path: string;
  sha: string;
  size: number;
}

/** Every file of a commit, repository-relative: `git ls-tree -r -l -z`. */
async function listTree(top: string, commit: string): Promise<TreeEntry[]> {
  const out = await git(['ls-tree', '-r', '-l', '-z', '--full-tree', commit], top);
  if (out.code !== 0) throw new DiffError(`cannot list the files of ${commit.slice(0, 12)}: ${out.stderr.trim()}`);
  const entries: TreeEntry[] = [];
  for (const line of splitNul(out.stdout)) {
    const tab = line.indexOf('\t');
    const [, type, sha, size] = line.slice(0, tab).split(/\s+/);
    if (type !== 'blob' || !sha) continue;
    entries.push({ path: line.slice(tab + 1), sha, size: Number(size) });
  }
  return entries;
}

/** Blob contents by id, with one `git cat-file --batch`. */
async function readBlobs(top: string, shas: readonly string[]): Promise<Map<string, Buffer>> {
  const blobs = new Map<string, Buffer>();
  if (shas.length === 0) return blobs;
  const out = await git(['cat-file', '--batch'], top, `${shas.join('\n')}\n`);
  const buffer = out.stdout;
  let at = 0;
  while (at < buffer.length) {
    const eol = buffer.indexOf(10, at);
    if (eol < 0) break;
    const [sha, type, size] = buffer.subarray(at, eol).toString('utf8').split(' ');
    at = eol + 1;
    if (type === 'missing' || !sha || size === undefined) continue;
    const length = Number(size);
    blobs.set(sha, buffer.subarray(at, at + length));
    at += length + 1;
  }
  return blobs;
}

/** Files that differ between BASE and the working tree (and untracked ones), repository-relative. */
async function changedFiles(top: string, commit: string): Promise<string[]> {
  const [diff, untracked] = await Promise.all([
    git(['diff', '--name-only', '-z', '--no-renames', '--no-ext-diff', '--no-textconv', commit, '--'], top),
    git(['ls-files', '-z', '--others', '--exclude-standard'], top),
  ]);
  if (diff.code !== 0) throw new DiffError(`git diff against ${commit.slice(0, 12)} failed: ${diff.stderr.trim()}`);
  return [...new Set([...splitNul(diff.stdout), ...(untracked.code === 0 ? splitNul(untracked.stdout) : [])])].sort();
}

/** The repository as it was at BASE, for the covers and mitigation-ref checks. */
class CommitView implements RepoView {
  readonly root: string;
  private readonly index: PathIndex;
  private readonly entries: Map<string, TreeEntry>;
  private readonly stats = new Map<string, PathKind | undefined>();

  constructor(top: string, entries: TreeEntry[]) {
    this.root = top;
    this.entries = new Map(entries.map((e) => [e.path, e]));
    this.index = new PathIndex(this.entries.keys());
  }

  files(): PathIndex {
    return this.index;
  }

  stat(path: string): PathKind | undefined {
    if (this.stats.has(path)) return this.stats.get(path);
    let kind: PathKind | undefined;
    const entry = this.entries.get(path);
    if (entry) {
      const out = gitSync(['cat-file', 'blob', entry.sha], this.root);
      kind = { kind: 'file', lines: countLines(out?.code === 0 ? out.stdout : Buffer.alloc(0)) };
    } else if (this.index.isDirectory(path)) kind = { kind: 'directory' };
    this.stats.set(path, kind);
    return kind;
  }

  history(): undefined {
    return undefined;
  }
}

// ---------------------------------------------------------------------------
// Checking BASE's models with the same pipeline as the working tree

/** The discovery rule of `checkProject` (tinyglobby over the source root), as a predicate on root-relative paths. */
function discoveryMatcher(config: ResolvedConfig): Matcher {
  const include = globMatcher(config.include, { dot: false });
  const ignore = globMatcher([...ALWAYS_EXCLUDED, ...config.exclude], { dot: true });
  return (path) => include(path) && !ignore(path);
}

interface Side {
  models: ResolvedModel[];
  diagnostics: Diagnostic[];
}

async function checkBase(cwd: string, top: string, config: ResolvedConfig, today: string, tree: TreeEntry[]): Promise<Side> {
  const rootRel = relative(top, config.root).split(sep).join('/');
  const prefix = rootRel === '' ? '' : `${rootRel}/`;
  const discovered = discoveryMatcher(config);
  const files = tree.filter((e) => e.path.startsWith(prefix) && discovered(e.path.slice(prefix.length)));
  const small = files.filter((e) => e.size <= DEFAULT_MAX_FILE_BYTES);
  const blobs = await readBlobs(top, small.map((e) => e.sha));
  const diagnostics: Diagnostic[] = [];
  const models: ResolvedModel[] = [];
  const entries: ProjectEntry[] = [];
  const sinks: DiagnosticSink[] = [];
  for (const file of files) {
    const display = displayPath(cwd, join(top, file.path));
    let modelId: string | undefined;
    const sink = new DiagnosticSink(display, config.checks, () => modelId);
    sinks.push(sink);
    const zero = { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } };
    const bytes = blobs.get(file.sha);
    if (file.size > DEFAULT_MAX_FILE_BYTES) {
      sink.report('file-too-large', 'error', `file is ${formatBytes(file.size)}, over the ${formatBytes(DEFAULT_MAX_FILE_BYTES)} limit for a threat model; split it into several models`, zero);
      continue;
    }
    if (!bytes) {
      sink.report('file-unreadable', 'error', 'cannot read the file from git', zero);
      continue;
    }
    const read = decodeSource(bytes);
    if (!read.ok) {
      sink.report(read.rule, 'error', read.message, zero);
      continue;
    }
    const outcome = checkText(read.text, { display, relativePath: file.path.slice(prefix.length), config, today, sink, setModelId: (id) => (modelId = id) });
    if (outcome.model && outcome.parsed) {
      models.push(outcome.model);
      entries.push({ model: outcome.model, file: outcome.parsed, explicitId: outcome.explicitId, report: makeReporter(outcome.parsed, sink) });
    }
  }
  for (const check of PROJECT_CHECKS) check.checkProject(entries, config);
  for (const sink of sinks) diagnostics.push(...sink.diagnostics);
  return { models, diagnostics: sortDiagnostics(diagnostics) };
}

// ---------------------------------------------------------------------------
// Comparing

function snapshot(threat: ResolvedThreat): ThreatSnapshot {
  return {
    id: threat.id,
    title: threat.title,
    status: threat.status,
    ...(threat.severity ? { severity: threat.severity } : {}),
    ...(threat.likelihood ? { likelihood: threat.likelihood } : {}),
    ...(threat.impact ? { impact: threat.impact } : {}),
    targets: threat.targets,
    ...(threat.acceptance && threat.status === 'accepted'
      ? {
          acceptance: {
            ...(threat.acceptance.owner ? { owner: threat.acceptance.owner } : {}),
            ...(threat.acceptance.expires ? { expires: threat.acceptance.expires } : {}),
            ...(threat.acceptance.rationale ? { rationale: threat.acceptance.rationale } : {}),
          },
        }
      : {}),
  };
}

function threatChanges(before: ResolvedThreat, after: ResolvedThreat): ThreatChange[] {
  const pairs: [ThreatField, string | undefined, string | undefined][] = [
    ['status', before.status, after.status],
    ['severity', before.severity, after.severity],
    ['likelihood', before.likelihood, after.likelihood],
    ['impact', before.impact, after.impact],
    ['acceptance owner', before.acceptance?.owner, after.acceptance?.owner],
    ['acceptance expiry', before.acceptance?.expires, after.acceptance?.expires],
  ];
  return pairs.filter(([, a, b]) => a !== b).map(([field, from, to]) => ({ field, ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) }));
}

function acceptedRisk(model: ResolvedModel, threat: ResolvedThreat, previous?: ResolvedThreat): AcceptedRisk {
  return {
    model: model.id,
    threat: threat.id,
    title: threat.title,
    ...(threat.severity ? { severity: threat.severity } : {}),
    ...(threat.acceptance?.owner ? { owner: threat.acceptance.owner } : {}),
    ...(threat.acceptance?.expires ? { expires: threat.acceptance.expires } : {}),
    ...(threat.acceptance?.rationale ? { rationale: threat.acceptance.rationale } : {}),
    ...(previous ? { previousStatus: previous.status } : {}),
  };
}

/** An entry's content without where it was written, to tell real changes from moved lines. */
function fingerprint(value: object): string {
  return JSON.stringify(value, (key, v: unknown) => (key === 'source' ? undefined : v));
}

function idChanges<T extends { id: string }>(before: readonly T[], after: readonly T[]): IdChanges {
  const old = new Map(before.map((e) => [e.id, fingerprint(e)]));
  const now = new Map(after.map((e) => [e.id, fingerprint(e)]));
  return {
    added: [...now.keys()].filter((id) => !old.has(id)),
    removed: [...old.keys()].filter((id) => !now.has(id)),
    changed: [...now.keys()].filter((id) => old.has(id) && old.get(id) !== now.get(id)),
  };
}

function coverageDiff(before: ResolvedModel | undefined, after: ResolvedModel | undefined): CoverageDiff {
  const cells = (model: ResolvedModel | undefined) => {
    const map = new Map<string, { ref: CoverageCellRef; gap: boolean }>();
    for (const row of model?.coverage.rows ?? []) {
      for (const cell of row.cells) map.set(`${row.target}\0${cell.category}`, { ref: { target: row.target, targetKind: row.targetKind, category: cell.category }, gap: cell.state === 'gap' });
    }
    return map;
  };
  const old = cells(before);
  const now = cells(after);
  const stats = (m: ResolvedModel | undefined) => (m ? { answered: m.coverage.answered, total: m.coverage.total, percent: m.coverage.percent } : undefined);
  const b = stats(before);
  const a = stats(after);
  return {
    ...(b ? { before: b } : {}),
    ...(a ? { after: a } : {}),
    newGaps: [...now].filter(([key, cell]) => cell.gap && before !== undefined && !old.get(key)?.gap).map(([, cell]) => cell.ref),
    closedGaps: [...old].filter(([key, cell]) => cell.gap && now.has(key) && !now.get(key)!.gap).map(([, cell]) => cell.ref),
  };
}

function findingRef(f: Finding): FindingRef {
  return { id: f.id, rule: f.rule, target: f.target, title: f.title, severity: f.severity, answered: f.answer !== undefined };
}

function findingsDiff(before: readonly Finding[], after: readonly Finding[]): FindingsDiff {
  const old = new Map(before.map((f) => [f.id, f]));
  const now = new Map(after.map((f) => [f.id, f]));
  return {
    added: after.filter((f) => !old.has(f.id)).map(findingRef),
    removed: before.filter((f) => !now.has(f.id)).map(findingRef),
    answered: after.filter((f) => f.answer !== undefined && old.has(f.id) && old.get(f.id)!.answer === undefined).map(findingRef),
    unanswered: after.filter((f) => f.answer === undefined && old.has(f.id) && old.get(f.id)!.answer !== undefined).map(findingRef),
  };
}

/** Rules whose BASE side cannot be computed (it needs the history after BASE): left out entirely. */
const HISTORY_RULES = new Set(['stale-review']);
/** Counted, but not listed as new or fixed: the coverage section reports gaps cell by cell. */
const NOT_COMPARED = new Set(['stride-coverage', 'linddun-coverage']);

function diagnosticKey(d: Diagnostic): string {
  return [d.model ?? `file:${d.file}`, d.rule, d.subject ?? '', d.severity, d.message].join('\0');
}

function diagnosticRef(d: Diagnostic): DiagnosticRef {
  return { file: d.file, line: d.line, column: d.column, severity: d.severity, rule: d.rule, message: d.message, ...(d.model ? { model: d.model } : {}) };
}

/** Diagnostics only in `after` (introduced) and only in `before` (fixed), matched as multisets by model, rule, subject and message. */
function diagnosticsDiff(allBefore: readonly Diagnostic[], allAfter: readonly Diagnostic[]): { introduced: DiagnosticRef[]; fixed: DiagnosticRef[] } {
  const before = allBefore.filter((d) => !NOT_COMPARED.has(d.rule));
  const after = allAfter.filter((d) => !NOT_COMPARED.has(d.rule));
  const count = new Map<string, number>();
  for (const d of before) count.set(diagnosticKey(d), (count.get(diagnosticKey(d)) ?? 0) + 1);
  const introduced: DiagnosticRef[] = [];
  for (const d of after) {
    const key = diagnosticKey(d);
    const left = count.get(key) ?? 0;
    if (left > 0) count.set(key, left - 1);
    else introduced.push(diagnosticRef(d));
  }
  const fixed: DiagnosticRef[] = [];
  for (const d of before) {
    const key = diagnosticKey(d);
    const left = count.get(key) ?? 0;
    if (left > 0) {
      count.set(key, left - 1);
      fixed.push(diagnosticRef(d));
    }
  }
  return { introduced, fixed };
}

/** What changed besides threats, elements and flows, in words. */
function otherChanges(before: ResolvedModel, after: ResolvedModel): string[] {
  const out: string[] = [];
  const scalar = (label: string, a: string | undefined, b: string | undefined) => {
    if (a !== b) out.push(`${label} ${a ?? '(none)'} → ${b ?? '(none)'}`);
  };
  scalar('status', before.status, after.status);
  scalar('owner', before.owner, after.owner);
  scalar('reviewed', before.reviewed, after.reviewed);
  const fields: [string, (m: ResolvedModel) => unknown][] = [
    ['title', (m) => m.title],
    ['summary', (m) => m.summary],
    ['reviewers', (m) => m.reviewers],
    ['review date', (m) => m.reviewBy],
    ['covers', (m) => m.covers],
    ['methodologies', (m) => m.methodologies],
    ['tags', (m) => m.tags],
    ['links', (m) => m.links],
    ['assumptions', (m) => m.assumptions],
    ['data assets', (m) => m.data],
    ['trust boundaries', (m) => m.boundaries],
    ['coverage exclusions', (m) => m.notApplicable],
    ['narrative', (m) => m.body],
  ];
  for (const [label, get] of fields) if (fingerprint({ v: get(before) }) !== fingerprint({ v: get(after) })) out.push(label);
  // Threats present on both sides whose other fields changed (mitigations, description, targets, refs…).
  const old = new Map(before.threats.map((t) => [t.id, t]));
  const details = after.threats.some((t) => {
    const previous = old.get(t.id);
    return previous !== undefined && threatChanges(previous, t).length === 0 && fingerprint(previous) !== fingerprint(t);
  });
  if (details) out.push('threat details (mitigations, descriptions, targets or refs)');
  return out;
}

/** Compares one model at BASE with the working tree (either may be missing); `sides` are its diagnostics. */
export function diffModel(before: ResolvedModel | undefined, after: ResolvedModel | undefined, sides: { before: Diagnostic[]; after: Diagnostic[] }, cwdFile: (m: ResolvedModel) => string): ModelDiff {
  const model = (after ?? before)!;
  const threats: ThreatDiff[] = [];
  const newlyAccepted: AcceptedRisk[] = [];
  const old = new Map((before?.threats ?? []).map((t) => [t.id, t]));
  const now = new Set((after?.threats ?? []).map((t) => t.id));
  if (before && after) {
    for (const threat of after.threats) {
      const previous = old.get(threat.id);
      if (!previous) threats.push({ kind: 'added', threat: snapshot(threat), changes: [] });
      else {
        const changes = threatChanges(previous, threat);
        if (changes.length > 0) threats.push({ kind: 'changed', threat: snapshot(threat), changes });
      }
    }
    for (const threat of before.threats) if (!now.has(threat.id)) threats.push({ kind: 'removed', threat: snapshot(threat), changes: [] });
  }
  for (const threat of after?.threats ?? []) {
    const previous = old.get(threat.id);
    if (threat.status === 'accepted' && previous?.status !== 'accepted') newlyAccepted.push(acceptedRisk(after!, threat, previous));
  }
  // A removed model's problems are gone, not fixed.
  const diagnostics = after ? diagnosticsDiff(sides.before, sides.after) : { introduced: [], fixed: [] };
  const elements = idChanges(before?.elements ?? [], after?.elements ?? []);
  const flows = idChanges(before?.flows ?? [], after?.flows ?? []);
  const other = before && after ? otherChanges(before, after) : [];
  const coverage = coverageDiff(before, after);
  const findings = findingsDiff(before?.findings ?? [], after?.findings ?? []);
  const count = (list: Diagnostic[], severity: Diagnostic['severity']) => list.filter((d) => d.severity === severity).length;
  const changed =
    threats.length + newlyAccepted.length + other.length + coverage.newGaps.length + coverage.closedGaps.length > 0 ||
    [elements, flows].some((c) => c.added.length + c.removed.length + c.changed.length > 0) ||
    Object.values(findings).some((l: FindingRef[]) => l.length > 0) ||
    diagnostics.introduced.length + diagnostics.fixed.length > 0 ||
    (before !== undefined && after !== undefined && cwdFile(before) !== cwdFile(after));
  const kind = !before ? 'added' : !after ? 'removed' : changed ? 'changed' : 'unchanged';
  const diff: ModelDiff = {
    id: model.id,
    title: model.title,
    file: cwdFile(model),
    ...(before && after && cwdFile(before) !== cwdFile(after) ? { movedFrom: cwdFile(before) } : {}),
    kind,
    threats,
    threatCount: model.threats.length,
    newlyAccepted,
    elements,
    flows,
    other,
    coverage,
    findings,
    diagnostics,
    errors: { before: count(sides.before, 'error'), after: count(sides.after, 'error') },
    warnings: { before: count(sides.before, 'warning'), after: count(sides.after, 'warning') },
  };
  if (after && (kind === 'added' || kind === 'changed')) {
    diff.dfd = toMermaid(after, { highlight: kind === 'added' ? {} : { added: [...elements.added, ...flows.added], changed: [...elements.changed, ...flows.changed] }, links: false });
  }
  return diff;
}

function groupByModel(diagnostics: readonly Diagnostic[]): { byModel: Map<string, Diagnostic[]>; loose: Diagnostic[] } {
  const byModel = new Map<string, Diagnostic[]>();
  const loose: Diagnostic[] = [];
  for (const d of diagnostics) {
    if (HISTORY_RULES.has(d.rule)) continue;
    if (!d.model) {
      loose.push(d);
      continue;
    }
    const list = byModel.get(d.model);
    if (list) list.push(d);
    else byModel.set(d.model, [d]);
  }
  return { byModel, loose };
}

/** Models whose `covers` match changed files while their own file did not change. */
function untouchedModels(models: readonly ResolvedModel[], changed: readonly string[], modelFiles: ReadonlySet<string>, repoPath: (m: ResolvedModel) => string, cwdFile: (m: ResolvedModel) => string): UntouchedModel[] {
  const changedSet = new Set(changed);
  const code = new PathIndex(changed.filter((p) => !modelFiles.has(p)));
  const out: UntouchedModel[] = [];
  for (const model of models) {
    if (changedSet.has(repoPath(model))) continue;
    const files = new Set<string>();
    const covers: string[] = [];
    for (const glob of model.covers) {
      if (glob.trim() === '' || glob.trim().startsWith('!')) continue;
      const matched = code.matches(compileCover(glob));
      if (matched.length === 0) continue;
      covers.push(glob);
      for (const f of matched) files.add(f);
    }
    if (files.size > 0) out.push({ model: model.id, title: model.title, file: cwdFile(model), files: [...files].sort(), covers });
  }
  return out;
}

// ---------------------------------------------------------------------------
// The whole comparison

export async function diffProject(options: DiffOptions = {}): Promise<DiffResult> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const today = options.today ?? todayUtc();
  const repo = await repoInfo(cwd);
  if (!repo) throw new DiffError('not inside a git work tree (or `git` is not installed): `threatmark diff` compares against a git commit');
  const top = repo.top;
  const base = await findBase(top, repo, options.base);

  const head = await checkProject({ cwd, ...(options.configFile ? { configFile: options.configFile } : {}), today });
  const config = head.config;
  if (!isInside(top, config.root)) throw new DiffError(`the source root ${config.root} is outside the git work tree ${top}`);

  // BASE is checked with the same configuration, reading BASE's tree for the repository checks.
  const baseConfig: ResolvedConfig = { ...config, checks: { ...config.checks } };
  const [tree, changed, headCommit] = await Promise.all([listTree(top, base.commit), changedFiles(top, base.commit), git(['rev-parse', '--verify', '--quiet', 'HEAD'], top)]);
  useRepoView(baseConfig, new CommitView(top, tree));
  const before = await checkBase(cwd, top, baseConfig, today, tree);

  const rootRel = relative(top, config.root).split(sep).join('/');
  const repoPath = (m: ResolvedModel) => (rootRel ? `${rootRel}/${m.file}` : m.file);
  const cwdFile = (m: ResolvedModel) => displayPath(cwd, join(config.root, m.file));
  const configDisplay = config.configFile ? displayPath(cwd, config.configFile) : undefined;
  const afterDiagnostics = head.diagnostics.filter((d) => d.file !== configDisplay);

  const oldSide = groupByModel(before.diagnostics);
  const newSide = groupByModel(afterDiagnostics);
  const oldModels = new Map(before.models.map((m) => [m.id, m]));
  const newModels = new Map(head.models.map((m) => [m.id, m]));
  const ids = [...new Set([...newModels.keys(), ...oldModels.keys()])].sort();
  const models = ids
    .map((id) => diffModel(oldModels.get(id), newModels.get(id), { before: oldSide.byModel.get(id) ?? [], after: newSide.byModel.get(id) ?? [] }, cwdFile))
    .filter((m) => m.kind !== 'unchanged');

  const modelFiles = new Set([...head.models.map(repoPath), ...before.models.map(repoPath)]);
  const untouched = untouchedModels(head.models, changed, modelFiles, repoPath, cwdFile);
  const diagnostics = diagnosticsDiff(oldSide.loose, newSide.loose);
  const counts = countAll(models, untouched, diagnostics);
  const headText = headCommit.stdout.toString('utf8').trim();
  return {
    base,
    head: { ...(HEX.test(headText) ? { commit: headText } : {}), shallow: repo.shallow },
    today,
    headline: headline(counts, models),
    counts,
    models,
    untouched,
    diagnostics,
    changedFiles: changed.length,
  };
}

function countAll(models: readonly ModelDiff[], untouched: readonly UntouchedModel[], loose: { introduced: DiagnosticRef[]; fixed: DiagnosticRef[] }): DiffCounts {
  const sum = (f: (m: ModelDiff) => number) => models.reduce((n, m) => n + f(m), 0);
  const all = { introduced: [...loose.introduced, ...models.flatMap((m) => m.diagnostics.introduced)], fixed: [...loose.fixed, ...models.flatMap((m) => m.diagnostics.fixed)] };
  return {
    modelsAdded: models.filter((m) => m.kind === 'added').length,
    modelsRemoved: models.filter((m) => m.kind === 'removed').length,
    modelsChanged: models.filter((m) => m.kind === 'changed').length,
    threatsAdded: sum((m) => (m.kind === 'added' ? m.threatCount : m.threats.filter((t) => t.kind === 'added').length)),
    threatsRemoved: sum((m) => m.threats.filter((t) => t.kind === 'removed').length),
    // A newly accepted risk is counted as that, not again as a changed threat.
    threatsChanged: sum((m) => m.threats.filter((t) => t.kind === 'changed' && !m.newlyAccepted.some((r) => r.threat === t.threat.id)).length),
    newlyAccepted: sum((m) => m.newlyAccepted.length),
    newGaps: sum((m) => m.coverage.newGaps.length),
    closedGaps: sum((m) => m.coverage.closedGaps.length),
    findingsAdded: sum((m) => m.findings.added.length),
    findingsUnanswered: sum((m) => m.findings.added.filter((f) => !f.answered).length + m.findings.unanswered.length),
    errorsIntroduced: all.introduced.filter((d) => d.severity === 'error').length,
    errorsFixed: all.fixed.filter((d) => d.severity === 'error').length,
    warningsIntroduced: all.introduced.filter((d) => d.severity === 'warning').length,
    warningsFixed: all.fixed.filter((d) => d.severity === 'warning').length,
    untouched: untouched.length,
  };
}

// ---------------------------------------------------------------------------
// Headline: the one line a reviewer reads

function acceptedPhrase(risk: AcceptedRisk): string {
  return [risk.severity?.toUpperCase(), risk.owner && `by ${risk.owner}`, risk.expires && `until ${risk.expires}`].filter(Boolean).join(' ');
}

export function headline(counts: DiffCounts, models: readonly ModelDiff[]): string {
  const parts: string[] = [];
  const accepted = models.flatMap((m) => m.newlyAccepted);
  if (counts.modelsAdded) parts.push(n(counts.modelsAdded, 'new model'));
  if (counts.threatsAdded) parts.push(n(counts.threatsAdded, 'new threat'));
  if (accepted.length === 1) {
    const risk = accepted[0]!;
    parts.push(`1 newly accepted ${[risk.severity?.toUpperCase(), 'risk', risk.owner && `by ${risk.owner}`, risk.expires && `until ${risk.expires}`].filter(Boolean).join(' ')}`);
  } else if (accepted.length > 1 && accepted.length <= 3) {
    parts.push(`${accepted.length} newly accepted risks (${accepted.map(acceptedPhrase).join('; ')})`);
  } else if (accepted.length > 3) {
    const bySeverity = new Map<string, number>();
    for (const r of accepted) bySeverity.set(r.severity?.toUpperCase() ?? 'UNRATED', (bySeverity.get(r.severity?.toUpperCase() ?? 'UNRATED') ?? 0) + 1);
    const rank = (label: string) => -SEVERITIES.indexOf(label.toLowerCase() as Severity);
    parts.push(`${accepted.length} newly accepted risks (${[...bySeverity].sort(([a], [b]) => rank(a) - rank(b)).map(([s, c]) => `${c} ${s}`).join(', ')})`);
  }
  if (counts.threatsChanged) parts.push(n(counts.threatsChanged, 'changed threat'));
  if (counts.threatsRemoved) parts.push(n(counts.threatsRemoved, 'removed threat'));
  if (counts.modelsRemoved) parts.push(n(counts.modelsRemoved, 'removed model'));
  if (counts.newGaps) parts.push(n(counts.newGaps, 'new coverage gap'));
  if (counts.findingsUnanswered) parts.push(n(counts.findingsUnanswered, 'unanswered finding'));
  if (counts.errorsIntroduced) parts.push(n(counts.errorsIntroduced, 'new error'));
  if (counts.errorsFixed) parts.push(n(counts.errorsFixed, 'fixed error'));
  if (counts.untouched) parts.push(`${n(counts.untouched, 'model')} not updated although ${counts.untouched === 1 ? 'its' : 'their'} code changed`);
  if (parts.length === 0) return counts.modelsChanged ? `${n(counts.modelsChanged, 'model')} changed, no change to threats or risks` : 'No change to the threat models';
  return parts.join(', ');
}

// ---------------------------------------------------------------------------
// Markdown (pull-request comment, job summary)

const KIND_MARK = { added: '🆕 new', removed: '🗑️ removed', changed: '✏️ changed' } as const;
const SEVERITY_LABEL = (s: Severity | undefined) => (s ? s.toUpperCase() : '—');

function threatRow(t: ThreatDiff): string {
  const sev = t.changes.find((c) => c.field === 'severity');
  const status = t.changes.find((c) => c.field === 'status');
  const severity = sev ? `${SEVERITY_LABEL(sev.from as Severity | undefined)} → **${SEVERITY_LABEL(sev.to as Severity | undefined)}**` : SEVERITY_LABEL(t.threat.severity);
  const statusText = status ? `${status.from ?? '—'} → **${status.to ?? '—'}**` : t.threat.status;
  const rest = t.changes
    .filter((c) => c.field !== 'severity' && c.field !== 'status')
    .map((c) => {
      return `${c.field} ${c.from !== undefined ? escapeText(c.from) : '—'} → ${c.to !== undefined ? escapeText(c.to) : '—'}`;
    })
    .join('; ');
  return `| ${KIND_MARK[t.kind]} | ${escapeCode(t.threat.id)} ${escapeText(t.threat.title)} | ${severity} | ${statusText} | ${rest} |`;
}

function cellText(c: CoverageCellRef): string {
  return `${c.targetKind === 'flow' ? 'flow' : 'element'} ${escapeCode(c.target)}: ${CATEGORY_LABELS[c.category].toLowerCase()}`;
}

function listOf<T>(items: readonly T[], render: (item: T) => string, max = 20): string[] {
  const shown = items.slice(0, max).map((i) => `- ${render(i)}`);
  if (items.length > max) shown.push(`- … and ${items.length - max} more`);
  return shown;
}

/** A diagnostic; fixed ones are shown without a position (it was in BASE's version of the file). */
function diagnosticLine(d: DiagnosticRef, fixed = false): string {
  const icon = d.severity === 'error' ? '❌' : d.severity === 'warning' ? '⚠️' : 'ℹ️';
  return `${icon} ${escapeCode(fixed ? d.file : `${d.file}:${d.line}:${d.column}`)} ${escapeMessage(d.message)} (${escapeCode(d.rule)})`;
}

function percent(c: CoverageDiff['before']): string {
  return c ? `${c.percent}% (${c.answered}/${c.total})` : '—';
}

function delta(before: number, after: number): string {
  const d = after - before;
  return d === 0 ? `${after}` : `${after} (${d > 0 ? '+' : '−'}${Math.abs(d)})`;
}

function modelSection(m: ModelDiff, withDfd: boolean): string {
  const lines: string[] = [];
  const kind = m.kind === 'added' ? ' (new model)' : m.kind === 'removed' ? ' (removed)' : '';
  lines.push(`### ${escapeCode(m.id)} ${escapeText(m.title)}${kind}`, '');
  const facts = [escapeCode(m.file)];
  if (m.movedFrom) facts.push(`moved from ${escapeCode(m.movedFrom)}`);
  if (m.kind === 'added' || m.kind === 'removed') facts.push(n(m.threatCount, 'threat'));
  if (m.other.length) facts.push(`also changed: ${m.other.map(escapeText).join(', ')}`);
  lines.push(facts.join(' · '), '');

  if (m.threats.length > 0) {
    lines.push('| | Threat | Severity | Status | Other changes |', '|---|---|---|---|---|');
    const order = { added: 0, changed: 1, removed: 2 } as const;
    for (const t of [...m.threats].sort((a, b) => order[a.kind] - order[b.kind])) lines.push(threatRow(t));
    lines.push('');
  }
  if (m.newlyAccepted.length > 0) {
    lines.push('**Newly accepted risks**', '');
    lines.push(
      ...listOf(m.newlyAccepted, (r) => {
        const who = [r.owner && `by ${escapeText(r.owner)}`, r.expires && `until ${r.expires}`].filter(Boolean).join(' ');
        const was = r.previousStatus ? ` (was ${r.previousStatus})` : ' (new threat)';
        return `${escapeCode(r.threat)} ${escapeText(r.title)}: **${SEVERITY_LABEL(r.severity)}**, accepted ${who}${was}${r.rationale ? ` — ${escapeText(r.rationale)}` : ''}`;
      }),
      '',
    );
  }
  const c = m.coverage;
  if (m.kind !== 'removed' && (c.before?.percent !== c.after?.percent || c.newGaps.length || c.closedGaps.length)) {
    lines.push(`**Coverage** ${m.kind === 'added' ? percent(c.after) : `${percent(c.before)} → ${percent(c.after)}`}`, '');
    if (c.newGaps.length) lines.push('New gaps:', ...listOf(c.newGaps, cellText), '');
    if (c.closedGaps.length) lines.push('Closed gaps:', ...listOf(c.closedGaps, cellText), '');
  }
  const f = m.findings;
  if (f.added.length + f.removed.length + f.answered.length + f.unanswered.length > 0) {
    lines.push('**Findings**', '');
    const finding = (x: FindingRef) => `${escapeCode(x.id)} ${escapeText(x.title)} (${SEVERITY_LABEL(x.severity)})`;
    lines.push(...listOf(f.added, (x) => `🆕 ${finding(x)}${x.answered ? ', answered' : ', **unanswered**'}`));
    lines.push(...listOf(f.unanswered, (x) => `⚠️ ${finding(x)} is no longer answered`));
    lines.push(...listOf(f.answered, (x) => `✅ ${finding(x)} is now answered`));
    lines.push(...listOf(f.removed, (x) => `🗑️ ${finding(x)} no longer applies`));
    lines.push('');
  }
  if (m.diagnostics.introduced.length + m.diagnostics.fixed.length > 0) {
    lines.push(`**Diagnostics** errors ${delta(m.errors.before, m.errors.after)}, warnings ${delta(m.warnings.before, m.warnings.after)}`, '');
    lines.push(...listOf(m.diagnostics.introduced, (d) => `new: ${diagnosticLine(d)}`));
    lines.push(...listOf(m.diagnostics.fixed, (d) => `fixed: ${diagnosticLine(d, true)}`));
    lines.push('');
  }
  const removedParts = [...m.elements.removed.map((id) => `element ${escapeCode(id)}`), ...m.flows.removed.map((id) => `flow ${escapeCode(id)}`)];
  if (m.kind === 'changed' && removedParts.length) lines.push(`Removed from the diagram: ${removedParts.join(', ')}`, '');
  if (withDfd && m.dfd) {
    const highlighted = m.elements.added.length + m.elements.changed.length + m.flows.added.length + m.flows.changed.length;
    const title =
      m.kind === 'added' || highlighted === 0 ? 'Data flow diagram' : `Data flow diagram (${n(highlighted, 'new or changed element or flow', 'new or changed elements and flows')} highlighted)`;
    lines.push('<details>', `<summary>${title}</summary>`, '', '```mermaid', m.dfd.trimEnd(), '```', '', '</details>', '');
  }
  return lines.join('\n');
}

export interface MarkdownOptions {
  /** Upper bound on the output in UTF-8 bytes (GitHub: 65,536 characters per comment, 1 MiB per job summary). */
  maxBytes?: number;
}

export const DEFAULT_MAX_BYTES = 1_000_000;

export function formatDiffMarkdown(result: DiffResult, options: MarkdownOptions = {}): string {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const head: string[] = [];
  head.push('## Threat model changes', '');
  head.push(`**${escapeText(result.headline)}**`, '');
  const baseName = result.base.how === 'merge-base' ? `the merge base with ${escapeCode(result.base.ref)}` : escapeCode(result.base.ref);
  head.push(`Compared with ${baseName} (${escapeCode(result.base.commit.slice(0, 12))}) · ${n(result.changedFiles, 'file')} changed · dates as of ${result.today}`, '');

  if (result.untouched.length > 0) {
    head.push('> [!WARNING]', '> **Code changed, its threat model did not.** Review these models against the change:');
    for (const u of result.untouched) {
      const files = u.files.slice(0, 10).map(escapeCode).join(', ') + (u.files.length > 10 ? ` and ${u.files.length - 10} more` : '');
      head.push(`> - ${escapeCode(u.model)} (${escapeCode(u.file)}) covers ${u.covers.map(escapeCode).join(', ')}; changed: ${files}`);
    }
    head.push('');
  }

  if (result.models.length > 0) {
    head.push('| Model | Change | Threats | Coverage | Errors | Warnings |', '|---|---|---|---|---|---|');
    for (const m of result.models) {
      const added = m.kind === 'added' ? m.threatCount : m.threats.filter((t) => t.kind === 'added').length;
      const removed = m.kind === 'removed' ? m.threatCount : m.threats.filter((t) => t.kind === 'removed').length;
      const changed = m.threats.filter((t) => t.kind === 'changed').length;
      const threats = [added && `+${added}`, removed && `−${removed}`, changed && `~${changed}`].filter(Boolean).join(' ') || '—';
      const coverage = m.kind === 'removed' ? '—' : m.kind === 'added' ? `${m.coverage.after?.percent ?? 0}%` : m.coverage.before?.percent === m.coverage.after?.percent ? `${m.coverage.after?.percent ?? 0}%` : `${m.coverage.before?.percent ?? 0}% → ${m.coverage.after?.percent ?? 0}%`;
      const kind = m.kind === 'added' ? 'new' : m.kind;
      head.push(`| ${escapeCode(m.id)} ${escapeText(m.title)} | ${kind} | ${threats} | ${coverage} | ${delta(m.errors.before, m.errors.after)} | ${delta(m.warnings.before, m.warnings.after)} |`);
    }
    head.push('');
  }
  if (result.diagnostics.introduced.length + result.diagnostics.fixed.length > 0) {
    head.push('**Files that are not valid models**', '');
    head.push(...listOf(result.diagnostics.introduced, (d) => `new: ${diagnosticLine(d)}`), ...listOf(result.diagnostics.fixed, (d) => `fixed: ${diagnosticLine(d, true)}`), '');
  }

  const footer = '<sub>Generated by `threatmark diff`.</sub>\n';
  const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
  const top = `${head.join('\n')}\n`;
  // Budget: drop diagrams first, then whole model sections from the end.
  for (const withDfd of [true, false]) {
    const sections = result.models.map((m) => modelSection(m, withDfd));
    let body = '';
    let shown = 0;
    for (const section of sections) {
      const note = shown + 1 < sections.length ? truncationNote(sections.length - shown - 1) : '';
      if (bytes(top) + bytes(body) + bytes(section) + bytes(note) + bytes(footer) + 2 > maxBytes) break;
      body += `${section}\n`;
      shown++;
    }
    if (shown === sections.length || !withDfd) {
      const note = shown < sections.length ? truncationNote(sections.length - shown) : '';
      const out = `${top}${body}${note}${footer}`;
      return bytes(out) <= maxBytes ? out : cut(out, maxBytes);
    }
  }
  return cut(top, maxBytes);
}

function truncationNote(hidden: number): string {
  return `_${n(hidden, 'more model')} changed; the output was shortened to fit. Run \`threatmark diff --format json\` for everything._\n\n`;
}

function cut(text: string, maxBytes: number): string {
  const marker = '\n\n_(truncated)_\n';
  let out = Buffer.from(text, 'utf8').subarray(0, Math.max(0, maxBytes - Buffer.byteLength(marker))).toString('utf8');
  out = out.replace(/\uFFFD$/, '');
  return `${out}${marker}`;
}

export function formatDiffJson(result: DiffResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}
