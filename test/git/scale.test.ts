// `threatmark check` stays fast with the repository checks: 1,000 models with
// `covers` and code references, in a repository with 600 commits of history.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { checkProject } from '../../src/core/project.ts';
import { coversCheck } from '../../src/core/checks/covers.ts';
import { mitigationRefsCheck } from '../../src/core/checks/mitigation-refs.ts';
import { gitStats } from '../../src/core/git.ts';
import { cli, GIT_ENV, Repo } from './repo.ts';

const MODELS = 1000;
const AREAS = 100;
const COMMITS = 600;

function modelText(i: number): string {
  const area = i % AREAS;
  return [
    '---',
    'threatmark: 1',
    `id: model-${i}`,
    `title: Service ${i}`,
    'owner: "@team"',
    'status: draft',
    `reviewed: 2026-0${1 + (i % 6)}-01`,
    `covers: [src/area${area}/**, "src/shared/*.ts"]`,
    'elements:',
    '  api: { type: process, title: API }',
    'threats:',
    '  T-1:',
    '    title: Spoofed caller',
    '    category: spoofing',
    '    targets: [api]',
    '    likelihood: low',
    '    impact: low',
    '    status: mitigated',
    `    mitigations: [{ title: Token check, ref: "src/area${area}/auth.ts#L2" }, { title: Audit, ref: src/area${area}/audit.ts }, { title: Ticket, ref: SEC-${i} }]`,
    '---',
    '',
  ].join('\n');
}

/** Builds the history with one `git fast-import` (thousands of `git commit` calls would take minutes). */
function buildRepository(repo: Repo): void {
  const chunks: string[] = [];
  const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  const start = Date.parse('2026-01-01T00:00:00Z') / 1000;
  chunks.push('commit refs/heads/main\n', `committer Test Author <author@example.com> ${start} +0000\n`, data('initial'));
  for (let i = 0; i < MODELS; i++) chunks.push(`M 644 inline threat-models/model-${i}.md\n`, data(modelText(i)));
  for (let a = 0; a < AREAS; a++) {
    chunks.push(`M 644 inline src/area${a}/auth.ts\n`, data('import x from "y";\nexport const auth = x;\n'));
    chunks.push(`M 644 inline src/area${a}/audit.ts\n`, data('export {};\n'));
  }
  chunks.push('M 644 inline src/shared/util.ts\n', data('export {};\n'));
  for (let c = 1; c <= COMMITS; c++) {
    chunks.push('commit refs/heads/main\n', `committer Test Author <author@example.com> ${start + c * 36_000} +0000\n`, data(`change ${c}`));
    chunks.push(`M 644 inline src/area${(c * 7) % AREAS}/audit.ts\n`, data(`export const v = ${c};\n`));
    if (c % 10 === 0) chunks.push('M 644 inline src/shared/util.ts\n', data(`export const u = ${c};\n`));
  }
  execFileSync('git', ['fast-import', '--quiet'], { cwd: repo.dir, input: chunks.join(''), env: GIT_ENV });
  repo.git('reset', '-q', '--hard', 'main');
}

let repo: Repo;
beforeAll(() => {
  process.env.GIT_CONFIG_GLOBAL = GIT_ENV.GIT_CONFIG_GLOBAL;
  process.env.GIT_CONFIG_NOSYSTEM = '1';
  repo = Repo.init('perf');
  buildRepository(repo);
}, 60_000);
afterAll(() => repo?.cleanup());

describe('repository checks at scale', () => {
  // Timings are printed for the record, never asserted (they belong to `npm run bench`).
  it(`checks ${MODELS} models with covers and code refs with 3 git calls in all`, async () => {
    // Time spent inside the two repository checks (git calls included: they run lazily inside).
    let inChecks = 0;
    const restore: (() => void)[] = [];
    for (const check of [coversCheck, mitigationRefsCheck]) {
      const inner = check.check;
      check.check = (ctx) => {
        const t = performance.now();
        inner.call(check, ctx);
        inChecks += performance.now() - t;
      };
      restore.push(() => (check.check = inner));
    }
    // A first full run warms up module loading and the JIT, so the figure is the check itself
    // (the process figure below includes start-up).
    await checkProject({ cwd: repo.dir, today: '2026-12-04' });
    inChecks = 0;
    const calls = gitStats.calls;
    const cpu = process.cpuUsage();
    const started = performance.now();
    const result = await checkProject({ cwd: repo.dir, today: '2026-12-04' });
    const ms = performance.now() - started;
    const cpuMs = (process.cpuUsage(cpu).user + process.cpuUsage(cpu).system) / 1000;
    for (const undo of restore) undo();
    expect(result.summary.models).toBe(MODELS);
    expect(gitStats.calls - calls).toBe(3);
    const stale = result.diagnostics.filter((d) => d.rule === 'stale-review');
    expect(stale.length).toBeGreaterThan(MODELS);
    expect(result.diagnostics.filter((d) => d.rule === 'covers-matches-nothing' || d.rule === 'mitigation-ref-missing')).toEqual([]);
    process.stdout.write(
      `[perf] checkProject: ${MODELS} models, ${COMMITS} commits: ${ms.toFixed(0)} ms wall, ${cpuMs.toFixed(0)} ms CPU; repository checks ${inChecks.toFixed(0)} ms (${stale.length} stale-review warnings)\n`,
    );
  }, 60_000);

  it('the whole `threatmark check` process, for the record', () => {
    const started = performance.now();
    const result = cli(repo.dir, ['check', '--today', '2026-12-04', '--format', 'json', '--output', 'result.json']);
    const ms = performance.now() - started;
    expect(result.code).toBe(0);
    process.stdout.write(`[perf] threatmark check (process): ${MODELS} models: ${ms.toFixed(0)} ms\n`);
  }, 60_000);
});
