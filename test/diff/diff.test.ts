// `threatmark diff` in real git repositories: one golden Markdown summary per
// scenario (test/fixtures/diff/*.md; UPDATE_GOLDEN=1 rewrites them).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { diffProject, formatDiffJson, formatDiffMarkdown, DiffError, type DiffResult } from '../../src/core/diff.ts';
import { cli, GIT_ENV, Repo, runGit, tempDir } from '../git/repo.ts';
import { expectGolden, modelText, TODAY, uploadModel, type ModelSpec } from './scenario.ts';

/** Real git and CLI processes: generous under a loaded CI machine. */
const GIT_TIMEOUT = 60_000;

const repos: Repo[] = [];
beforeAll(() => {
  process.env.GIT_CONFIG_GLOBAL = GIT_ENV.GIT_CONFIG_GLOBAL;
  process.env.GIT_CONFIG_NOSYSTEM = '1';
  delete process.env.GITHUB_BASE_REF;
});
afterAll(() => {
  for (const repo of repos) repo.cleanup();
});

/** main: the upload model and its code; then a `feature` branch where `change` runs and is committed. */
function project(change: (repo: Repo, model: ModelSpec) => void, extra?: (repo: Repo) => void): Repo {
  const repo = Repo.init('diff');
  repos.push(repo);
  const model = uploadModel();
  repo.write('threat-models/upload.md', modelText(model));
  repo.write('src/upload/auth.ts', 'import { verify } from "jose";\nexport const check = verify;\n');
  repo.write('src/upload/handler.ts', 'export function handle() {}\n');
  extra?.(repo);
  repo.commit('Add the upload service and its threat model', '2026-11-01');
  repo.git('checkout', '-q', '-b', 'feature');
  change(repo, model);
  repo.commit('Change on the feature branch', '2026-11-20');
  return repo;
}

async function diff(repo: Repo, base = 'main'): Promise<DiffResult> {
  return diffProject({ cwd: repo.dir, base, today: TODAY });
}

describe('threatmark diff: golden summaries', { timeout: GIT_TIMEOUT }, () => {
  it('new threat (and a new element and flow, highlighted in the diagram)', async () => {
    const repo = project((r, model) => {
      model.elements.scanner = '{ type: process, title: Malware scanner }';
      model.flows!.scan = '{ from: api, to: scanner, title: Scan upload }';
      model.threats['UP-4'] = { title: 'Malicious file reaches the scanner', category: 'tampering', targets: ['scanner', 'scan'], likelihood: 'medium', impact: 'medium', status: 'planned', extra: ['mitigations: [Run the scanner in a sandbox]', 'ticket: SEC-42'] };
      r.write('threat-models/upload.md', modelText(model));
    });
    const result = await diff(repo);
    // The new element and flow bring coverage cells that the new threat answers only in part.
    expect(result.headline).toBe('1 new threat, 7 new coverage gaps');
    const upload = result.models[0]!;
    expect(upload.elements.added).toEqual(['scanner']);
    expect(upload.flows.added).toEqual(['scan']);
    expect(upload.dfd).toContain('class n3,f2 added');
    expectGolden('new-threat.md', formatDiffMarkdown(result));
  });

  it('newly accepted HIGH risk', async () => {
    const repo = project((r, model) => {
      model.threats['UP-2']!.status = 'accepted';
      model.threats['UP-2']!.extra = ['acceptance:', '  owner: "@alice"', '  rationale: 10 MB limit at the gateway; storage alarms page on-call.', '  accepted: 2026-11-20', '  expires: 2027-03-01'];
      r.write('threat-models/upload.md', modelText(model));
    });
    const result = await diff(repo);
    expect(result.headline).toBe('1 newly accepted HIGH risk by @alice until 2027-03-01, 1 fixed error');
    expect(result.models[0]!.newlyAccepted).toEqual([
      { model: 'upload', threat: 'UP-2', title: 'Huge uploads exhaust storage', severity: 'high', owner: '@alice', expires: '2027-03-01', rationale: '10 MB limit at the gateway; storage alarms page on-call.', previousStatus: 'open' },
    ]);
    expectGolden('newly-accepted-high.md', formatDiffMarkdown(result));
  });

  it('removed model', async () => {
    const billing: ModelSpec = {
      id: 'billing',
      title: 'Billing',
      elements: { user: '{ type: external, title: Customer }', api: '{ type: process, title: Billing API }' },
      flows: { pay: '{ from: user, to: api, title: Pay }' },
      threats: { 'BI-1': { title: 'Replay a payment', category: 'tampering', targets: ['pay'], likelihood: 'low', impact: 'medium', status: 'open' } },
    };
    const repo = project(
      (r) => r.remove('threat-models/billing.md'),
      (r) => r.write('threat-models/billing.md', modelText(billing)),
    );
    const result = await diff(repo);
    expect(result.headline).toBe('1 removed model');
    expect(result.models.map((m) => [m.id, m.kind, m.threatCount])).toEqual([['billing', 'removed', 1]]);
    expectGolden('removed-model.md', formatDiffMarkdown(result));
  });

  it('changed severity', async () => {
    const repo = project((r, model) => {
      model.threats['UP-3']!.likelihood = 'medium';
      r.write('threat-models/upload.md', modelText(model));
    });
    const result = await diff(repo);
    expect(result.headline).toBe('1 changed threat, 1 new error');
    expect(result.models[0]!.threats).toEqual([
      {
        kind: 'changed',
        threat: { id: 'UP-3', title: 'Photo bucket readable by anyone', status: 'open', severity: 'high', likelihood: 'medium', impact: 'high', targets: ['bucket'] },
        changes: [
          { field: 'severity', from: 'medium', to: 'high' },
          { field: 'likelihood', from: 'low', to: 'medium' },
        ],
      },
    ]);
    expect(result.models[0]!.diagnostics.introduced.map((d) => d.rule)).toEqual(['unmitigated-threat']);
    expectGolden('changed-severity.md', formatDiffMarkdown(result));
  });

  it('code touched without the model', async () => {
    const repo = project((r) => {
      r.write('src/upload/handler.ts', 'export function handle(size: number) { return size < 10; }\n');
      r.write('src/upload/limits.ts', 'export const MAX = 10;\n');
      r.write('docs/readme.md', 'unrelated\n');
    });
    const result = await diff(repo);
    expect(result.headline).toBe('1 model not updated although its code changed');
    expect(result.models).toEqual([]);
    expect(result.untouched).toEqual([{ model: 'upload', title: 'Photo upload', file: 'threat-models/upload.md', files: ['src/upload/handler.ts', 'src/upload/limits.ts'], covers: ['src/upload/**'] }]);
    expectGolden('code-touched-without-model.md', formatDiffMarkdown(result));
  });

  it('base not fetched in a shallow clone: exit 2 with the fetch command; after fetching it, the summary', () => {
    const origin = project((r, model) => {
      model.threats['UP-4'] = { title: 'Scanner bypass', category: 'tampering', targets: ['api'], likelihood: 'low', impact: 'medium', status: 'open' };
      r.write('threat-models/upload.md', modelText(model));
    });
    const dir = tempDir('ci');
    repos.push(new Repo(dir));
    // As actions/checkout does it: a remote with the default refspec, one commit fetched.
    const clone = join(dir, 'clone');
    runGit(dir, ['init', '-q', 'clone']);
    runGit(clone, ['remote', 'add', 'origin', `file://${origin.dir}`]);
    runGit(clone, ['fetch', '-q', '--depth=1', 'origin', 'feature']);
    runGit(clone, ['checkout', '-q', 'FETCH_HEAD']);
    expect(runGit(clone, ['rev-parse', '--is-shallow-repository']).trim()).toBe('true');

    const missing = cli(clone, ['diff', 'origin/main', '--today', TODAY]);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toBe('threatmark diff: BASE `origin/main` is not in this clone: fetch it first, e.g. `git fetch --depth=1 origin main`\n');

    // Without BASE, the merge base cannot be found in a shallow clone either.
    runGit(clone, ['fetch', '-q', '--depth=1', 'origin', 'main']);
    const noMergeBase = cli(clone, ['diff', '--today', TODAY]);
    expect(noMergeBase.code).toBe(2);
    expect(noMergeBase.stderr).toMatch(/^threatmark diff: cannot find the merge base of HEAD and `origin\/main`: this clone is shallow/);

    const fetched = cli(clone, ['diff', 'origin/main', '--today', TODAY]);
    expect(fetched.stderr).toBe('');
    expect(fetched.code).toBe(0);
    expectGolden('shallow-clone-after-fetch.md', fetched.stdout);
  });

  it('a single-branch shallow clone gets a fetch command that creates origin/main', () => {
    const origin = project(() => {});
    const dir = tempDir('single');
    repos.push(new Repo(dir));
    runGit(dir, ['clone', '-q', '--depth=1', '--branch', 'feature', `file://${origin.dir}`, 'clone']);
    const clone = join(dir, 'clone');
    const missing = cli(clone, ['diff', 'origin/main', '--today', TODAY]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('threatmark diff: BASE `origin/main` is not in this clone: fetch it first, e.g. `git fetch --depth=1 origin main:refs/remotes/origin/main`\n');
    runGit(clone, ['fetch', '-q', '--depth=1', 'origin', 'main:refs/remotes/origin/main']);
    const fetched = cli(clone, ['diff', 'origin/main', '--today', TODAY]);
    expect(fetched.code).toBe(0);
    expect(fetched.stdout).toContain('**No change to the threat models**');
  });
});

describe('threatmark diff: behaviour', { timeout: GIT_TIMEOUT }, () => {
  it('defaults to the merge base with the default branch, and sees uncommitted and untracked changes', async () => {
    const repo = project(() => {});
    // main moves on after the branch point: that change must not show up.
    repo.git('checkout', '-q', 'main');
    repo.write('threat-models/later.md', modelText({ ...uploadModel(), id: 'later', title: 'Later on main' })).commit('later on main', '2026-11-25');
    repo.git('checkout', '-q', 'feature');
    const model = uploadModel();
    model.threats['UP-9'] = { title: 'Uncommitted threat', category: 'repudiation', targets: ['browser'], likelihood: 'low', impact: 'low', status: 'open' };
    repo.write('threat-models/upload.md', modelText(model));
    repo.write('threat-models/draft.md', modelText({ ...uploadModel(), id: 'draft', title: 'Untracked draft', covers: [] }));
    const result = await diffProject({ cwd: repo.dir, today: TODAY });
    expect(result.base).toMatchObject({ ref: 'main', how: 'merge-base', branch: 'main' });
    expect(result.models.map((m) => [m.id, m.kind])).toEqual([
      ['draft', 'added'],
      ['upload', 'changed'],
    ]);
    // The draft's open HIGH threat (UP-2) is an error of the new model.
    expect(result.headline).toBe('1 new model, 4 new threats, 2 unanswered findings, 1 new error');
  });

  it('JSON output carries the whole comparison', async () => {
    const repo = project((r, model) => {
      delete model.threats['UP-1'];
      model.threats['UP-2']!.status = 'mitigated';
      model.threats['UP-2']!.extra = ['mitigations: [10 MB limit]'];
      r.write('threat-models/upload.md', modelText(model));
    });
    const json = JSON.parse(formatDiffJson(await diff(repo))) as DiffResult;
    expect(json.counts).toMatchObject({ threatsRemoved: 1, threatsChanged: 1, modelsChanged: 1, errorsFixed: 1, newGaps: 1 });
    expect(json.models[0]!.coverage.newGaps).toEqual([{ target: 'api', targetKind: 'element', category: 'spoofing' }]);
    expect(json.models[0]!.findings).toEqual({ added: [], removed: [], answered: [], unanswered: [] });
    expect(json.base.commit).toMatch(/^[0-9a-f]{40}$/);
  });

  it('reports nothing when nothing changed', async () => {
    const repo = project(() => {});
    const result = await diff(repo);
    expect(result.headline).toBe('No change to the threat models');
    expect(formatDiffMarkdown(result)).toContain('**No change to the threat models**');
  });

  it('refuses what is not a revision, and directories outside git', async () => {
    const repo = project(() => {});
    await expect(diff(repo, '--output=/tmp/x')).rejects.toThrow(DiffError);
    await expect(diff(repo, 'no-such-branch')).rejects.toThrow('BASE `no-such-branch` is not in this clone: fetch it first, e.g. `git fetch --depth=1 origin no-such-branch`');
    const dir = tempDir('plain');
    repos.push(new Repo(dir));
    await expect(diffProject({ cwd: dir, base: 'main' })).rejects.toThrow(/not inside a git work tree/);
  });

  it('keeps the Markdown under --max-bytes: diagrams go first, then whole models', async () => {
    const repo = project((r) => {
      for (let i = 0; i < 12; i++) r.write(`threat-models/m${i}.md`, modelText({ ...uploadModel(), id: `m${i}`, title: `Model ${i}`, covers: [] }));
    });
    const result = await diff(repo);
    const full = formatDiffMarkdown(result);
    expect(full).toContain('```mermaid');
    const small = formatDiffMarkdown(result, { maxBytes: 4000 });
    expect(Buffer.byteLength(small)).toBeLessThanOrEqual(4000);
    expect(small).not.toContain('```mermaid');
    expect(small).toMatch(/_\d+ more models changed; the output was shortened to fit/);
    expect(small.startsWith('## Threat model changes\n\n**12 new models, 36 new threats')).toBe(true);
  });

  it('escapes author text: no HTML, links or mentions from model titles', async () => {
    const repo = project((r, model) => {
      model.threats['UP-5'] = { title: '"<img src=x onerror=alert(1)> [click](javascript:x) @everyone | `code`"', category: 'spoofing', targets: ['browser'], likelihood: 'low', impact: 'low', status: 'open' };
      r.write('threat-models/upload.md', modelText(model));
    });
    const md = formatDiffMarkdown(await diff(repo));
    const row = md.split('\n').find((l) => l.includes('UP-5'))!;
    expect(row).toContain('&lt;img src=x onerror=alert(1)&gt; &#91;click&#93;(javascript:x) <code>&#64;everyone</code> &#124; &#96;code&#96;');
    expect(row).not.toContain('<img');
    expect(row.split(' | ')).toHaveLength(5);
  });

  it('the CLI writes the file given by --output and rejects bad options', () => {
    const repo = project(() => {});
    const ok = cli(repo.dir, ['diff', 'main', '--format', 'json', '--output', 'out.json', '--today', TODAY]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe('');
    const bad = cli(repo.dir, ['diff', 'main', '--format', 'html']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--format must be one of markdown, json');
  });
});

describe('findings (filled by the rules engine)', { timeout: GIT_TIMEOUT }, () => {
  it('reports new, resolved, newly answered and no longer answered findings', async () => {
    const { checkText } = await import('../../src/core/project.ts');
    const { defaultConfig } = await import('../../src/core/config.ts');
    const { diffModel } = await import('../../src/core/diff.ts');
    const config = defaultConfig(tempDir('findings'));
    const load = () => checkText(modelText(uploadModel()), { display: 'upload.md', relativePath: 'upload.md', config, today: TODAY }).model!;
    const finding = (id: string, answered: boolean) => ({
      id,
      rule: id.split('@')[0]!,
      target: id.split('@')[1]!,
      targetKind: 'element' as const,
      title: `Finding ${id}`,
      categories: ['tampering' as const],
      likelihood: 'medium',
      impact: 'high',
      severity: 'high' as const,
      message: 'because',
      unknowns: [],
      ...(answered ? { answer: { kind: 'threat' as const, threat: 'UP-1' } } : {}),
    });
    const before = load();
    const after = load();
    before.findings = [finding('gone@api', false), finding('fixed@api', false), finding('broken@api', true)];
    after.findings = [finding('fixed@api', true), finding('broken@api', false), finding('new@bucket', false)];
    const diff = diffModel(before, after, { before: [], after: [] }, (m) => m.file);
    expect(diff.kind).toBe('changed');
    expect(diff.findings.added.map((f) => f.id)).toEqual(['new@bucket']);
    expect(diff.findings.removed.map((f) => f.id)).toEqual(['gone@api']);
    expect(diff.findings.answered.map((f) => f.id)).toEqual(['fixed@api']);
    expect(diff.findings.unanswered.map((f) => f.id)).toEqual(['broken@api']);
    // An empty list on both sides is no change.
    before.findings = [];
    after.findings = [];
    expect(diffModel(before, after, { before: [], after: [] }, (m) => m.file).kind).toBe('unchanged');
  });
});
