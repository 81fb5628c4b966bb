// The GitHub integration, as far as it runs locally: action.yml's shape, the
// script it runs (in a shallow pull-request checkout, with a fake `gh`), and the
// pre-commit hook definition.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { checkArgs, COMMENT_MARKER, diffBase, outputLine, readInputs, runAction, type Log } from '../../scripts/action/run.ts';
import { cli, GIT_ENV, Repo, ROOT, runGit, tempDir } from '../git/repo.ts';
import { modelText, TODAY, uploadModel } from './scenario.ts';

/** Real git and CLI processes: generous under a loaded CI machine. */
const GIT_TIMEOUT = 60_000;

interface ActionYaml {
  name: string;
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: { name: string; id?: string; uses?: string; run?: string; shell?: string; env?: Record<string, string>; with?: Record<string, string> }[] };
}

const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as ActionYaml;

describe('action.yml', { timeout: GIT_TIMEOUT }, () => {
  it('is a composite action with documented inputs and outputs', () => {
    expect(action.runs.using).toBe('composite');
    expect(Object.keys(action.inputs).sort()).toEqual(['base', 'comment', 'diff', 'fail-on', 'github-token', 'node-version', 'paths', 'sarif', 'summary', 'today', 'working-directory']);
    for (const [name, input] of Object.entries(action.inputs)) {
      expect(input.description, name).toBeTruthy();
      expect(input.required ?? false, name).toBe(false);
    }
    expect(action.inputs.comment!.default).toBe('false');
    expect(action.inputs.sarif!.default).toBe('threatmark.sarif');
    for (const output of Object.values(action.outputs)) expect(output.value).toMatch(/^\$\{\{ steps\.threatmark\.outputs\.[a-z-]+ \}\}$/);
  });

  it('passes every input through the environment, never into shell code', () => {
    const steps = action.runs.steps;
    for (const step of steps) {
      if (step.run) {
        expect(step.run, step.name).not.toContain('${{');
        expect(step.shell, step.name).toBe('bash');
      }
    }
    const main = steps.find((s) => s.id === 'threatmark')!;
    expect(main.run).toBe('node "$GITHUB_ACTION_PATH/scripts/action/run.ts"');
    expect(existsSync(join(ROOT, 'scripts', 'action', 'run.ts'))).toBe(true);
    const passed = Object.values(main.env!).join('\n');
    for (const name of Object.keys(action.inputs).filter((n) => n !== 'node-version')) expect(passed, name).toContain(`inputs.${name} }}`);
    expect(steps[0]!.uses).toMatch(/^actions\/setup-node@v\d+$/);
  });

  it('the example workflows use the action and are not active workflows', () => {
    const examples = join(ROOT, 'docs', 'examples');
    const pr = parse(readFileSync(join(examples, 'threatmark-pull-request.yml'), 'utf8')) as { on: Record<string, unknown>; permissions: Record<string, string>; jobs: Record<string, { steps: { uses?: string; with?: Record<string, unknown>; if?: string }[] }> };
    expect(Object.keys(pr.on)).toContain('pull_request');
    expect(pr.permissions).toMatchObject({ contents: 'read', 'pull-requests': 'write', 'security-events': 'write' });
    const steps = Object.values(pr.jobs).flatMap((j) => j.steps);
    const own = steps.find((s) => s.uses?.includes('threatmark'))!;
    expect(own.with).toMatchObject({ comment: true });
    const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif'))!;
    expect(upload.if).toBe('always()');
    const pages = parse(readFileSync(join(examples, 'threatmark-pages.yml'), 'utf8')) as { permissions: Record<string, string>; jobs: Record<string, { steps: { uses?: string }[] }> };
    expect(pages.permissions).toMatchObject({ pages: 'write', 'id-token': 'write' });
    const uses = Object.values(pages.jobs).flatMap((j) => j.steps.map((s) => s.uses ?? ''));
    expect(uses.some((u) => u.startsWith('actions/upload-pages-artifact'))).toBe(true);
    expect(uses.some((u) => u.startsWith('actions/deploy-pages'))).toBe(true);
    expect(existsSync(join(ROOT, '.github', 'workflows', 'threatmark-pull-request.yml'))).toBe(false);
  });
});

describe('the action script: inputs', { timeout: GIT_TIMEOUT }, () => {
  it('reads TM_* variables with defaults', () => {
    expect(readInputs({})).toEqual({ workingDirectory: '.', paths: [], sarif: 'threatmark.sarif', summary: true, diff: 'auto', comment: false });
    const inputs = readInputs({ TM_PATHS: ' a.md  b/ ', TM_FAIL_ON: 'critical', TM_SARIF: '', TM_SUMMARY: 'false', TM_DIFF: 'TRUE', TM_COMMENT: 'true', TM_BASE: 'origin/dev' });
    expect(inputs).toEqual({ workingDirectory: '.', paths: ['a.md', 'b/'], failOn: 'critical', sarif: '', summary: false, diff: 'true', comment: true, base: 'origin/dev' });
    expect(() => readInputs({ TM_DIFF: 'maybe' })).toThrow('input diff must be auto, true or false');
  });

  it('puts paths after `--`, so a path cannot be read as an option', () => {
    expect(checkArgs(readInputs({ TM_PATHS: '--output=/etc/x' }), 'github').slice(1)).toEqual(['check', '--format', 'github', '--', '--output=/etc/x']);
  });

  it('diffs on pull requests, or when asked', () => {
    expect(diffBase(readInputs({}), { GITHUB_BASE_REF: 'main' })).toBe('origin/main');
    expect(diffBase(readInputs({}), {})).toBeUndefined();
    expect(diffBase(readInputs({ TM_DIFF: 'true' }), {})).toBe('');
    expect(diffBase(readInputs({ TM_DIFF: 'false' }), { GITHUB_BASE_REF: 'main' })).toBeUndefined();
    expect(diffBase(readInputs({ TM_BASE: 'v1.0' }), { GITHUB_BASE_REF: 'main' })).toBe('v1.0');
  });

  it('writes outputs with a delimiter the value cannot close', () => {
    expect(outputLine('headline', 'a\nTHREATMARK_EOF\nb')).toBe('headline<<THREATMARK_EOF_\na\nTHREATMARK_EOF\nb\nTHREATMARK_EOF_\n');
  });
});

describe('the action script in a pull-request checkout', { timeout: GIT_TIMEOUT }, () => {
  const cleanup: string[] = [];
  let origin: Repo;
  beforeAll(() => {
    origin = Repo.init('action-origin');
    cleanup.push(origin.dir);
    origin.write('threat-models/upload.md', modelText(uploadModel())).write('src/upload/auth.ts', 'a\nb\n').commit('base', '2026-11-01');
    origin.git('checkout', '-q', '-b', 'feature');
    const model = uploadModel();
    model.threats['UP-4'] = { title: 'Scanner bypass', category: 'tampering', targets: ['api'], likelihood: 'low', impact: 'medium', status: 'open' };
    origin.write('threat-models/upload.md', modelText(model)).commit('feature', '2026-11-20');
  }, GIT_TIMEOUT);
  afterAll(() => {
    for (const dir of cleanup) new Repo(dir).cleanup();
  });

  /** A checkout as actions/checkout makes it (depth 1, base branch not fetched), a fake `gh`, and the runner's files. */
  function setup(gh: { existing?: string; fail?: boolean } = {}) {
    const dir = tempDir('action');
    cleanup.push(dir);
    const workspace = join(dir, 'workspace');
    runGit(dir, ['init', '-q', 'workspace']);
    runGit(workspace, ['remote', 'add', 'origin', `file://${origin.dir}`]);
    runGit(workspace, ['fetch', '-q', '--depth=1', 'origin', 'feature']);
    runGit(workspace, ['checkout', '-q', 'FETCH_HEAD']);
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    const log = join(dir, 'gh.log');
    // The fake gh records its arguments and standard input, and answers the comment listing.
    writeFileSync(
      join(bin, 'gh'),
      `#!/bin/sh\nprintf '%s\\n' "ARGS $*" >> "${log}"\nif [ "$3" = "--method" ] || [ "$2" = "--method" ]; then cat >> "${log}"; printf '\\n' >> "${log}"; fi\n${gh.fail ? 'echo "HTTP 403: Resource not accessible by integration" >&2; exit 1\n' : ''}case "$*" in *--paginate*) ${gh.existing ? `echo ${gh.existing}` : 'true'} ;; esac\n`,
    );
    chmodSync(join(bin, 'gh'), 0o755);
    writeFileSync(join(dir, 'event.json'), JSON.stringify({ number: 7, pull_request: { number: 7 } }));
    const env: NodeJS.ProcessEnv = {
      ...GIT_ENV,
      PATH: `${bin}:${process.env.PATH}`,
      GITHUB_WORKSPACE: workspace,
      GITHUB_STEP_SUMMARY: join(dir, 'summary.md'),
      GITHUB_OUTPUT: join(dir, 'output.txt'),
      GITHUB_EVENT_PATH: join(dir, 'event.json'),
      GITHUB_REPOSITORY: 'acme/app',
      GITHUB_BASE_REF: 'main',
      RUNNER_TEMP: dir,
      GH_TOKEN: 'token',
      TM_TODAY: TODAY,
      TM_COMMENT: 'true',
    };
    const printed: string[] = [];
    const sink: Log = { out: (t) => printed.push(t) };
    return { dir, workspace, env, log, sink, printed, read: (name: string) => (existsSync(join(dir, name)) ? readFileSync(join(dir, name), 'utf8') : '') };
  }

  it('annotates, writes SARIF and the summary, fetches the base branch, and updates its comment', async () => {
    const t = setup({ existing: '4242' });
    const result = await runAction(t.env, undefined, t.sink);
    // UP-2 is an open HIGH threat: the check fails the step, after everything else ran.
    expect(result).toEqual({ code: 1, comment: 'updated' });
    const printed = t.printed.join('');
    expect(printed).toMatch(/^::error file=threat-models\/upload\.md,line=\d+,endLine=\d+,col=\d+,endColumn=\d+,title=threatmark\(unmitigated-threat\)/m);
    const sarif = JSON.parse(readFileSync(join(t.workspace, 'threatmark.sarif'), 'utf8')) as { version: string; runs: unknown[] };
    expect(sarif.version).toBe('2.1.0');
    const summary = t.read('summary.md');
    expect(summary).toContain('## Threat model changes');
    expect(summary.indexOf('## Threat model changes')).toBeGreaterThan(0); // after the check's own summary
    const outputs = t.read('output.txt');
    expect(outputs).toContain('headline<<THREATMARK_EOF\n1 new threat\nTHREATMARK_EOF\n');
    expect(outputs).toMatch(/errors<<THREATMARK_EOF\n[1-9]\d*\n/);
    expect(outputs).toContain(`sarif-file<<THREATMARK_EOF\n${join(t.workspace, 'threatmark.sarif')}\n`);
    expect(runGit(t.workspace, ['rev-parse', '--verify', 'refs/remotes/origin/main']).trim()).toMatch(/^[0-9a-f]{40}$/);
    const gh = t.read('gh.log');
    expect(gh).toContain('ARGS api --paginate repos/acme/app/issues/7/comments --jq');
    expect(gh).toContain('ARGS api --method PATCH repos/acme/app/issues/comments/4242 --input -');
    const body = JSON.parse(gh.split('\n').find((l) => l.startsWith('{'))!) as { body: string };
    expect(body.body.startsWith(`${COMMENT_MARKER}\n## Threat model changes\n\n**1 new threat**`)).toBe(true);
  });

  it('creates the comment the first time', async () => {
    const t = setup();
    const result = await runAction(t.env, undefined, t.sink);
    expect(result.comment).toBe('created');
    expect(t.read('gh.log')).toContain('ARGS api --method POST repos/acme/app/issues/7/comments --input -');
  });

  it('a read-only token (fork) only warns; the check result stands', async () => {
    const t = setup({ fail: true });
    const result = await runAction(t.env, undefined, t.sink);
    expect(result).toEqual({ code: 1, comment: 'failed' });
    expect(t.printed.join('')).toContain("::warning title=threatmark::could not list the pull request's comments (HTTP 403: Resource not accessible by integration)");
  });

  it('outside a pull request: no diff and no comment unless asked', async () => {
    const t = setup();
    const env = { ...t.env, GITHUB_BASE_REF: '', TM_SARIF: '', TM_SUMMARY: 'false' };
    const result = await runAction(env, undefined, t.sink);
    expect(result).toEqual({ code: 1 });
    expect(t.read('gh.log')).toBe('');
    expect(t.read('summary.md')).toBe('');
    expect(existsSync(join(t.workspace, 'threatmark.sarif'))).toBe(false);
  });
});

describe('.pre-commit-hooks.yaml', { timeout: GIT_TIMEOUT }, () => {
  const hooks = parse(readFileSync(join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as { id: string; entry: string; files: string; pass_filenames: boolean; language: string }[];

  it('defines threatmark-check on model files, passing their names', () => {
    expect(hooks).toHaveLength(1);
    const hook = hooks[0]!;
    expect(hook).toMatchObject({ id: 'threatmark-check', entry: 'threatmark check', pass_filenames: true, language: 'node' });
    const files = new RegExp(hook.files);
    for (const yes of ['threat-models/a.md', 'threat-models/team/b.md', 'src/upload/upload.threat.md', 'x.threat.md']) expect(files.test(yes), yes).toBe(true);
    for (const no of ['README.md', 'threat-models/a.txt', 'src/threat.md.bak', 'docs/threat-models.md']) expect(files.test(no), no).toBe(false);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(Object.keys(pkg.bin)).toContain(hook.entry.split(' ')[0]);
  });

  it('the hook command checks exactly the staged files it is given', () => {
    const repo = Repo.init('precommit');
    try {
      repo.write('threat-models/ok.md', modelText({ ...uploadModel(), id: 'ok', threats: {} })).write('threat-models/broken.md', '---\nthreatmark: 1\ntitle: [\n---\n');
      repo.commit('models', '2026-11-01');
      const ok = cli(repo.dir, ['check', 'threat-models/ok.md', '--today', TODAY]);
      expect(ok.code).toBe(0);
      expect(ok.stdout).toMatch(/in 1 file\n$/);
      const both = cli(repo.dir, ['check', 'threat-models/ok.md', 'threat-models/broken.md', '--today', TODAY]);
      expect(both.code).toBe(1);
      expect(both.stdout).toContain('threat-models/broken.md');
    } finally {
      repo.cleanup();
    }
  });
});
