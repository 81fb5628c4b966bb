// Golden tests: the backbone of the suite.
//
// Every folder under test/fixtures/golden/ is a tiny project: model files
// (found by the default discovery, `threat-models/**/*.md`), sometimes a
// `threatmark.config.yaml`, an optional `fixture.json` (see FixtureManifest),
// and the golden file `expected.txt`: the exact diagnostics `checkProject`
// reports for it, one per line, as
//
//     file:line:column-endLine:endColumn severity rule message
//
// with `today` fixed at 2026-12-04 (`expected.<day>.txt` for the extra days a
// fixture lists in `todays`). Any drift of a position, severity, rule or
// message fails the test.
//
// Folders named after a rule id hold at least one model that breaks that rule;
// a test below makes sure every rule of allRules() has such a folder and that
// the folder really produces the rule, so a new rule cannot ship without one.
//
// To regenerate the goldens after an intended change:
//
//     UPDATE_GOLDEN=1 npx vitest run test/golden
//
// then READ `git diff test/fixtures/golden`: every changed line must be
// checked by hand (line and column point at the offending key or value, a
// missing key at its parent; rule, severity and message are right).
//
// Some goldens were written by hand to the behaviour the format spec asks for
// and fail until the core does it: their fixture.json says `pinned` and why.
// UPDATE_GOLDEN=1 leaves pinned goldens alone (they are still compared);
// UPDATE_GOLDEN=all rewrites them too, once the core is fixed or the spec changed.
import { cp, mkdir, mkdtemp, open, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { allRules } from '../../src/core/checks/index.ts';
import { checkProject } from '../../src/core/project.ts';
import type { Diagnostic } from '../../src/core/types.ts';
import { MINIMAL_MODEL } from '../robustness/helpers.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/golden/', import.meta.url));
const TODAY = '2026-12-04';
const UPDATE = process.env.UPDATE_GOLDEN === '1' || process.env.UPDATE_GOLDEN === 'all';
const UPDATE_PINNED = process.env.UPDATE_GOLDEN === 'all';

interface GeneratedFile {
  /** Path inside the fixture. */
  path: string;
  /** Exact size in bytes. */
  bytes: number;
  /** `zeros`: a sparse file of NUL bytes; `model`: a valid model padded with body text. */
  fill: 'zeros' | 'model';
}

interface FixtureManifest {
  comment?: string;
  /** Why the golden was written by hand: UPDATE_GOLDEN=1 does not rewrite it (UPDATE_GOLDEN=all does). */
  pinned?: string;
  /** Check these paths (relative to the fixture) instead of discovering the sources. */
  paths?: string[];
  /** Extra days to evaluate the fixture on, each with its own golden `expected.<day>.txt`. */
  todays?: string[];
  /** Files too big to commit, created in the temporary copy of the fixture. */
  generate?: GeneratedFile[];
  /** Makes the temporary copy a git work tree with these commits (fixed authors and dates: stable hashes). */
  git?: GitCommit[];
}

interface GitCommit {
  /** Author and committer date, ISO 8601. */
  date: string;
  message: string;
  /** Files to write (path → content) before committing; they are added. */
  write?: Record<string, string>;
  /** Paths of the fixture to add. */
  add?: string[];
}

interface Run {
  fixture: string;
  today: string;
  golden: string;
}

/** One diagnostic as a golden line. */
export function formatDiagnostic(d: Diagnostic): string {
  const message = d.message.replace(/\\/g, '\\\\').replace(/\r/g, '\\r').replace(/\n/g, '\\n');
  return `${d.file}:${d.line}:${d.column}-${d.endLine}:${d.endColumn} ${d.severity} ${d.rule} ${message}`;
}

function formatGolden(diagnostics: readonly Diagnostic[]): string {
  return diagnostics.map((d) => `${formatDiagnostic(d)}\n`).join('');
}

const fixtureNames = (await readdir(FIXTURES, { withFileTypes: true }))
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

async function manifestOf(fixture: string): Promise<FixtureManifest> {
  const file = join(FIXTURES, fixture, 'fixture.json');
  return existsSync(file) ? (JSON.parse(await readFile(file, 'utf8')) as FixtureManifest) : {};
}

const runs: Run[] = [];
for (const fixture of fixtureNames) {
  runs.push({ fixture, today: TODAY, golden: 'expected.txt' });
  for (const today of (await manifestOf(fixture)).todays ?? []) runs.push({ fixture, today, golden: `expected.${today}.txt` });
}

const scratch = await mkdtemp(join(tmpdir(), 'threatmark-golden-'));
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

// A valid model followed by a blank line; padding text is appended after it.
const PADDED_MODEL_HEAD = `${MINIMAL_MODEL}\n`;

async function generate(root: string, file: GeneratedFile): Promise<void> {
  const handle = await open(join(root, file.path), 'w');
  try {
    if (file.fill === 'model') {
      const line = 'Padding text, so that the file reaches the size under test.\n';
      const room = file.bytes - Buffer.byteLength(PADDED_MODEL_HEAD);
      await handle.writeFile(PADDED_MODEL_HEAD + line.repeat(Math.ceil(room / line.length)).slice(0, room));
    } else {
      await handle.truncate(file.bytes);
    }
  } finally {
    await handle.close();
  }
  expect((await stat(join(root, file.path))).size).toBe(file.bytes);
}

function runGit(root: string, args: string[], date?: string): void {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GIT_AUTHOR_NAME: 'Golden Fixture',
    GIT_AUTHOR_EMAIL: 'golden@example.com',
    GIT_COMMITTER_NAME: 'Golden Fixture',
    GIT_COMMITTER_EMAIL: 'golden@example.com',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    ...(date ? { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : {}),
  };
  execFileSync('git', ['-c', 'commit.gpgsign=false', '-c', 'core.autocrlf=false', ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
}

async function makeRepository(root: string, commits: readonly GitCommit[]): Promise<void> {
  runGit(root, ['init', '-q', '-b', 'main']);
  for (const commit of commits) {
    const paths = [...(commit.add ?? [])];
    for (const [path, content] of Object.entries(commit.write ?? {})) {
      await mkdir(dirname(join(root, path)), { recursive: true });
      await writeFile(join(root, path), content);
      paths.push(path);
    }
    runGit(root, ['add', '--', ...paths]);
    runGit(root, ['commit', '-q', '--no-verify', '-m', commit.message], commit.date);
  }
}

/** Copies the fixture to a scratch folder (so generated files never land in the repository), then checks it. */
const prepared = new Map<string, Promise<string>>();
function prepare(fixture: string): Promise<string> {
  let promise = prepared.get(fixture);
  if (!promise) {
    promise = (async () => {
      const root = join(scratch, fixture);
      await cp(join(FIXTURES, fixture), root, { recursive: true });
      const manifest = await manifestOf(fixture);
      for (const file of manifest.generate ?? []) await generate(root, file);
      if (manifest.git) await makeRepository(root, manifest.git);
      return root;
    })();
    prepared.set(fixture, promise);
  }
  return promise;
}

const results = new Map<string, Promise<Diagnostic[]>>();
function diagnosticsOf(fixture: string, today: string): Promise<Diagnostic[]> {
  const key = `${fixture}@${today}`;
  let promise = results.get(key);
  if (!promise) {
    promise = (async () => {
      const root = await prepare(fixture);
      const manifest = await manifestOf(fixture);
      const result = await checkProject({ cwd: root, today, ...(manifest.paths ? { paths: manifest.paths } : {}) });
      return result.diagnostics;
    })();
    results.set(key, promise);
  }
  return promise;
}

describe('golden diagnostics', () => {
  it.each(runs.map((run) => [`${run.fixture}/${run.golden}`, run] as const))('%s', async (_name, run) => {
    const actual = formatGolden(await diagnosticsOf(run.fixture, run.today));
    const goldenPath = join(FIXTURES, run.fixture, run.golden);
    const pinned = (await manifestOf(run.fixture)).pinned;
    if (UPDATE && (!pinned || UPDATE_PINNED)) {
      const previous = existsSync(goldenPath) ? await readFile(goldenPath, 'utf8') : undefined;
      if (previous !== actual) await writeFile(goldenPath, actual);
      return;
    }
    expect(existsSync(goldenPath), `${run.fixture}/${run.golden} is missing: run UPDATE_GOLDEN=1 npx vitest run test/golden and review it`).toBe(true);
    const expected = await readFile(goldenPath, 'utf8');
    // Compare line by line so a drift shows as a one-line diff.
    expect(actual.split('\n'), pinned ? `pinned golden: ${pinned}` : undefined).toEqual(expected.split('\n'));
  });
});

describe('golden coverage of the rules', () => {
  const ruleIds = allRules().map((rule) => rule.id);

  it('lists the rules (sanity)', () => {
    expect(ruleIds.length).toBeGreaterThan(30);
    expect(new Set(ruleIds).size).toBe(ruleIds.length);
  });

  it.each(ruleIds)('rule %s has a golden fixture folder that produces it', async (rule) => {
    expect(fixtureNames, `add test/fixtures/golden/${rule}/ with a model that breaks ${rule}`).toContain(rule);
    const produced = (await diagnosticsOf(rule, TODAY)).map((d) => d.rule);
    expect(produced, `test/fixtures/golden/${rule}/ does not produce ${rule}`).toContain(rule);
  });

  it('every golden diagnostic names a known rule', async () => {
    const known = new Set(ruleIds);
    for (const run of runs) {
      for (const d of await diagnosticsOf(run.fixture, run.today)) expect(known.has(d.rule), `${run.fixture}: ${d.rule}`).toBe(true);
    }
  });

  it('every fixture has its goldens', () => {
    if (UPDATE) return;
    const missing = runs.filter((run) => !existsSync(join(FIXTURES, run.fixture, run.golden))).map((run) => `${run.fixture}/${run.golden}`);
    expect(missing).toEqual([]);
  });
});

describe('golden invariants', () => {
  it('the valid fixture produces no diagnostics at all', async () => {
    expect(await diagnosticsOf('valid', TODAY)).toEqual([]);
  });

  it('every diagnostic of every fixture has 1-based positions with end ≥ start', async () => {
    for (const run of runs) {
      for (const d of await diagnosticsOf(run.fixture, run.today)) {
        const where = `${run.fixture}: ${formatDiagnostic(d)}`;
        expect(d.line, where).toBeGreaterThanOrEqual(1);
        expect(d.column, where).toBeGreaterThanOrEqual(1);
        expect(d.endLine > d.line || (d.endLine === d.line && d.endColumn >= d.column), where).toBe(true);
      }
    }
  });

  it('the oversized file is refused by its size, not read', async () => {
    const diagnostics = await diagnosticsOf('file-too-large', TODAY);
    const huge = diagnostics.filter((d) => d.file === 'threat-models/huge.md');
    // A file of NUL bytes that was read would be reported as binary (file-encoding).
    expect(huge.map((d) => d.rule)).toEqual(['file-too-large']);
  });
});
