// The repository checks in `threatmark check`: stale-review (git history),
// covers-matches-nothing and mitigation-ref-missing (files), in real git repositories.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkProject } from '../../src/core/project.ts';
import { gitStats } from '../../src/core/git.ts';
import type { Diagnostic } from '../../src/core/types.ts';
import { cli, GIT_ENV, Repo, runGit, tempDir } from './repo.ts';

/** Real git and CLI processes: generous under a loaded CI machine. */
const GIT_TIMEOUT = 60_000;

const REPO_RULES = new Set(['stale-review', 'covers-matches-nothing', 'mitigation-ref-missing']);

function model(options: { id?: string; reviewed?: string; covers?: string[]; refs?: string[] } = {}): string {
  const lines = ['---', 'threatmark: 1', `id: ${options.id ?? 'upload'}`, 'title: Photo upload', 'owner: "@media-team"', 'status: draft'];
  if (options.reviewed) lines.push(`reviewed: ${options.reviewed}`);
  if (options.covers) lines.push('covers:', ...options.covers.map((c) => `  - ${JSON.stringify(c)}`));
  lines.push('elements:', '  api: { type: process, title: Upload API }', 'threats:', '  UP-1:', '    title: Upload as another user', '    category: spoofing', '    targets: [api]');
  lines.push('    likelihood: low', '    impact: low', '    status: mitigated', '    mitigations:');
  for (const ref of options.refs ?? ['none']) lines.push(ref === 'none' ? '      - Verify the token' : `      - { title: Verify the token, ref: ${JSON.stringify(ref)} }`);
  lines.push('---', '', 'Body.', '');
  return lines.join('\n');
}

function repoDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => REPO_RULES.has(d.rule));
}

const repos: Repo[] = [];
beforeAll(() => {
  process.env.GIT_CONFIG_GLOBAL = GIT_ENV.GIT_CONFIG_GLOBAL;
  process.env.GIT_CONFIG_NOSYSTEM = '1';
});
afterAll(() => {
  for (const repo of repos) repo.cleanup();
});

function newRepo(): Repo {
  const repo = Repo.init('checks');
  repos.push(repo);
  return repo;
}

describe('stale-review', { timeout: GIT_TIMEOUT }, () => {
  it('counts commits after the review day that touch covered code, at the covers entry', async () => {
    const repo = newRepo();
    repo.write('src/upload/handler.ts', 'export {};\n').write('src/other/x.ts', '1\n');
    repo.write('threat-models/upload.md', model({ reviewed: '2026-03-10', covers: ['src/upload/**', 'src/other/**'] }));
    repo.commit('initial', '2026-03-01');
    repo.write('src/upload/handler.ts', 'export const a = 1;\n').commit('same day as the review', '2026-03-10');
    repo.write('src/upload/handler.ts', 'export const a = 2;\n').commit('after review 1', '2026-04-01');
    repo.write('src/upload/sniff.ts', 'x\n').commit('after review 2', '2026-05-01');
    const last = repo.write('src/upload/deep/a.ts', 'x\n').commit('after review 3', '2026-06-01');
    repo.write('README.md', 'unrelated\n').commit('unrelated', '2026-07-01');

    const result = await checkProject({ cwd: repo.dir, today: '2026-08-01' });
    const stale = result.diagnostics.filter((d) => d.rule === 'stale-review');
    expect(stale).toHaveLength(1);
    expect(stale[0]!.message).toBe(`3 commits since review (2026-03-10) touch src/upload/** (latest ${last.slice(0, 7)} on 2026-06-01): review the model and update \`reviewed\``);
    expect(stale[0]).toMatchObject({ file: 'threat-models/upload.md', line: 9, column: 5, endLine: 9, endColumn: 20, severity: 'warning', model: 'upload' });
  });

  it('is quiet when the model was reviewed after the last change, or has no review date', async () => {
    const repo = newRepo();
    repo.write('src/upload/a.ts', 'x\n').write('threat-models/a.md', model({ id: 'a', reviewed: '2026-05-01', covers: ['src/upload/**'] }));
    repo.write('threat-models/b.md', model({ id: 'b', covers: ['src/upload/**'] }));
    repo.commit('initial', '2026-04-01');
    const result = await checkProject({ cwd: repo.dir, today: '2026-06-01' });
    expect(repoDiagnostics(result.diagnostics)).toEqual([]);
  });

  it('runs one git log (and one ls-files) for a whole run of many models', async () => {
    const repo = newRepo();
    for (let i = 0; i < 30; i++) repo.write(`threat-models/m${i}.md`, model({ id: `m${i}`, reviewed: `2026-0${1 + (i % 5)}-15`, covers: [`src/s${i % 7}/**`], refs: [`src/s${i % 7}/f.ts#L1`] }));
    for (let i = 0; i < 7; i++) repo.write(`src/s${i}/f.ts`, 'x\n');
    repo.commit('initial', '2026-01-01');
    for (let c = 0; c < 10; c++) repo.write(`src/s${c % 7}/f.ts`, `${c}\n`).commit(`change ${c}`, `2026-0${1 + (c % 8)}-20`);
    const before = gitStats.calls;
    const result = await checkProject({ cwd: repo.dir, today: '2026-12-01' });
    // rev-parse (is this a work tree?), ls-files, log
    expect(gitStats.calls - before).toBe(3);
    expect(result.diagnostics.filter((d) => d.rule === 'stale-review').length).toBeGreaterThan(0);
    expect(result.diagnostics.filter((d) => d.rule === 'covers-matches-nothing' || d.rule === 'mitigation-ref-missing')).toEqual([]);
  });

  it('skips the edge commit of a shallow clone (its file list is the whole tree) and says "at least"', async () => {
    const origin = newRepo();
    origin.write('src/upload/a.ts', 'x\n').write('threat-models/upload.md', model({ reviewed: '2026-02-01', covers: ['src/upload/**'] }));
    origin.commit('initial', '2026-01-01');
    for (let i = 1; i <= 4; i++) origin.write('src/upload/a.ts', `${i}\n`).commit(`change ${i}`, `2026-03-0${i}`);
    const dir = tempDir('shallow');
    runGit(dir, ['clone', '-q', '--depth=3', `file://${origin.dir}`, 'clone']);
    const clone = new Repo(join(dir, 'clone'));
    repos.push(new Repo(dir));
    const result = await checkProject({ cwd: clone.dir, today: '2026-04-01' });
    const stale = result.diagnostics.filter((d) => d.rule === 'stale-review');
    expect(stale).toHaveLength(1);
    // Depth 3 fetches changes 2–4; change 2 is the shallow edge and is not counted.
    expect(stale[0]!.message).toMatch(/^at least 2 commits since review \(2026-02-01\) touch src\/upload\/\*\* /);
  });
});

describe('covers-matches-nothing', { timeout: GIT_TIMEOUT }, () => {
  it('warns at the entry, names the missing folder and suggests a close one', async () => {
    const repo = newRepo();
    repo.write('src/upload/a.ts', 'x\n').write('threat-models/upload.md', model({ covers: ['src/upload/**', 'src/uplod/**', 'src/upload/*.py', 'src/upload'] }));
    repo.commit('initial', '2026-01-01');
    const result = await checkProject({ cwd: repo.dir, today: '2026-02-01' });
    const found = result.diagnostics.filter((d) => d.rule === 'covers-matches-nothing');
    expect(found.map((d) => [d.line, d.column, d.message])).toEqual([
      [9, 5, '`src/uplod/**` matches no file in the repository (there is no folder `src/uplod`; did you mean `src/upload`?)'],
      [10, 5, '`src/upload/*.py` matches no file in the repository'],
    ]);
  });

  it('counts untracked files, not ignored or deleted ones', async () => {
    const repo = newRepo();
    repo.write('.gitignore', 'build/\n').write('gone/a.ts', 'x\n').write('threat-models/upload.md', model({ covers: ['new/**', 'build/**', 'gone/**'] }));
    repo.commit('initial', '2026-01-01');
    repo.write('new/a.ts', 'x\n').write('build/out.js', 'x\n').remove('gone/a.ts');
    const result = await checkProject({ cwd: repo.dir, today: '2026-02-01' });
    expect(result.diagnostics.filter((d) => d.rule === 'covers-matches-nothing').map((d) => d.message)).toEqual([
      '`build/**` matches no file in the repository (`build` holds no file that git tracks)',
      '`gone/**` matches no file in the repository (`gone` holds no file that git tracks)',
    ]);
  });

  it('works outside git on the files under the source root, without stale-review', async () => {
    const dir = tempDir('nogit');
    repos.push(new Repo(dir));
    mkdirSync(join(dir, 'threat-models'), { recursive: true });
    mkdirSync(join(dir, 'src', 'upload'), { recursive: true });
    writeFileSync(join(dir, 'src', 'upload', 'auth.ts'), 'a\nb\n');
    writeFileSync(join(dir, 'threat-models', 'upload.md'), model({ reviewed: '2020-01-01', covers: ['src/upload/**', 'src/missing/**'], refs: ['src/upload/auth.ts#L3'] }));
    const result = await checkProject({ cwd: dir, today: '2026-02-01' });
    expect(repoDiagnostics(result.diagnostics).map((d) => `${d.rule}: ${d.message}`)).toEqual([
      'covers-matches-nothing: `src/missing/**` matches no file in the repository (there is no folder `src/missing`)',
      'mitigation-ref-missing: `src/upload/auth.ts#L3`: `src/upload/auth.ts` has 2 lines, so line 3 is out of range',
    ]);
  });

  it('still checks files when git is not installed', () => {
    const repo = newRepo();
    repo.write('src/upload/a.ts', 'x\n').write('threat-models/upload.md', model({ reviewed: '2020-01-01', covers: ['src/upload/**', 'nope/**'] }));
    repo.commit('initial', '2026-01-01');
    repo.write('src/upload/a.ts', 'y\n').commit('later', '2026-01-02');
    const result = cli(repo.dir, ['check', '--today', '2026-02-01', '--format', 'json'], { PATH: '/nonexistent' });
    expect(result.stderr).toBe('');
    const rules = (JSON.parse(result.stdout) as { diagnostics: Diagnostic[] }).diagnostics.map((d) => d.rule).filter((r) => REPO_RULES.has(r));
    expect(rules).toEqual(['covers-matches-nothing']);
  });
});

describe('mitigation-ref-missing', { timeout: GIT_TIMEOUT }, () => {
  it('checks paths and line anchors, at the ref value; leaves other references alone', async () => {
    const repo = newRepo();
    repo.write('src/upload/auth.ts', 'one\ntwo\nthree\n').write('Dockerfile', 'FROM x\n').write('docs/adr.md', '# ADR\n');
    const refs = [
      'src/upload/auth.ts',
      'src/upload/auth.ts#L3',
      'src/upload/auth.ts#L2-L3',
      './src/upload/auth.ts#L1-3',
      'docs/adr.md#decision',
      'src/upload',
      'JIRA-123',
      'ADR 12',
      'https://example.com/x.ts',
      'src/upload/auth.ts#L4',
      'src/upload/auth.ts#L3-L2',
      'src/upload/auth.ts#L0',
      'src/upload/auht.ts',
      'src/upload#L2',
      '../outside.ts',
      'infra/main.tf#L1',
    ];
    repo.write('threat-models/upload.md', model({ refs }));
    repo.commit('initial', '2026-01-01');
    const result = await checkProject({ cwd: repo.dir, today: '2026-02-01' });
    const found = result.diagnostics.filter((d) => d.rule === 'mitigation-ref-missing');
    expect(found.map((d) => d.message)).toEqual([
      '`src/upload/auth.ts#L4`: `src/upload/auth.ts` has 3 lines, so line 4 is out of range',
      '`src/upload/auth.ts#L3-L2`: the range ends (line 2) before it starts (line 3)',
      '`src/upload/auth.ts#L0`: lines are numbered from 1',
      '`src/upload/auht.ts` does not exist in the repository; did you mean `src/upload/auth.ts`?',
      '`src/upload#L2`: `src/upload` is a folder, so a line anchor cannot point into it',
      '`../outside.ts` points outside the repository; write the path relative to the repository root',
      '`infra/main.tf#L1`: `infra/main.tf` does not exist in the repository',
    ]);
    // Positioned at the value of `ref` (the 10th mitigation is on line 24: list starts at line 15).
    const first = found[0]!;
    const text = (await import('node:fs')).readFileSync(join(repo.dir, 'threat-models/upload.md'), 'utf8').split('\n');
    expect(text[first.line - 1]!.slice(first.column - 1, first.endColumn - 1)).toBe('"src/upload/auth.ts#L4"');
    expect(found.every((d) => d.severity === 'warning' && d.subject === 'UP-1')).toBe(true);
  });

  it('can be turned off in the configuration like any check', async () => {
    const repo = newRepo();
    repo.write('threatmark.config.yaml', 'checks:\n  mitigation-ref-missing: off\n  covers-matches-nothing: error\n');
    repo.write('threat-models/upload.md', model({ covers: ['nothing/**'], refs: ['src/missing.ts'] }));
    repo.commit('initial', '2026-01-01');
    const result = await checkProject({ cwd: repo.dir, today: '2026-02-01' });
    expect(repoDiagnostics(result.diagnostics).map((d) => [d.rule, d.severity])).toEqual([['covers-matches-nothing', 'error']]);
  });
});
