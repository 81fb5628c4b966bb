// The logic of the composite action (action.yml), as a script so it can be tested
// locally: check with annotations and the job summary, SARIF for code scanning, and
// on pull requests the threat-model diff in the summary and, optionally, as a comment.
//
// Inputs arrive as environment variables (TM_*), never interpolated into shell
// code; every process is started with execFile and an argument array.
//   node scripts/action/run.ts
import { execFile } from 'node:child_process';
import { appendFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { escapeData } from '../../src/core/reporters/github.ts';

export const COMMENT_MARKER = '<!-- threatmark:diff -->';
/** GitHub rejects comments over 65,536 characters; the diff is shortened below that. */
export const COMMENT_MAX_BYTES = 65_000;

const HERE = dirname(fileURLToPath(import.meta.url));
export const BIN = resolve(HERE, '..', '..', 'bin', 'threatmark.mjs');

export interface ActionInputs {
  workingDirectory: string;
  paths: string[];
  failOn?: string;
  today?: string;
  sarif: string;
  summary: boolean;
  diff: 'auto' | 'true' | 'false';
  base?: string;
  comment: boolean;
}

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export type Exec = (command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; input?: string }) => Promise<ExecResult>;

export const exec: Exec = (command, args, options) =>
  new Promise((done) => {
    const child = execFile(command, args, { cwd: options.cwd, env: options.env, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      const failure = error as (NodeJS.ErrnoException & { code?: string | number }) | null;
      const code = !failure ? 0 : typeof failure.code === 'number' ? failure.code : 127;
      done({ code, stdout, stderr: stderr || (failure && typeof failure.code !== 'number' ? failure.message : '') });
    });
    // A child that exits without reading its input must not crash us with EPIPE.
    child.stdin?.on('error', () => {});
    child.stdin?.end(options.input ?? '');
  });

function flag(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value.trim() === '') return fallback;
  return /^(true|yes|1|on)$/i.test(value.trim());
}

export function readInputs(env: NodeJS.ProcessEnv): ActionInputs {
  const diff = (env.TM_DIFF ?? 'auto').trim().toLowerCase();
  if (!['auto', 'true', 'false'].includes(diff)) throw new Error(`input diff must be auto, true or false (got ${JSON.stringify(env.TM_DIFF)})`);
  const inputs: ActionInputs = {
    workingDirectory: env.TM_WORKING_DIRECTORY?.trim() || '.',
    paths: (env.TM_PATHS ?? '').split(/\s+/).filter(Boolean),
    sarif: env.TM_SARIF?.trim() ?? 'threatmark.sarif',
    summary: flag(env.TM_SUMMARY, true),
    diff: diff as ActionInputs['diff'],
    comment: flag(env.TM_COMMENT, false),
  };
  if (env.TM_FAIL_ON?.trim()) inputs.failOn = env.TM_FAIL_ON.trim();
  if (env.TM_TODAY?.trim()) inputs.today = env.TM_TODAY.trim();
  if (env.TM_BASE?.trim()) inputs.base = env.TM_BASE.trim();
  return inputs;
}

/** The arguments of the three runs. */
export function checkArgs(inputs: ActionInputs, format: 'github' | 'sarif'): string[] {
  const args = [BIN, 'check', '--format', format];
  if (format === 'sarif') args.push('--output', inputs.sarif);
  if (inputs.failOn) args.push('--fail-on', inputs.failOn);
  if (inputs.today) args.push('--today', inputs.today);
  if (inputs.paths.length) args.push('--', ...inputs.paths);
  return args;
}

/** `base` undefined: the merge base with the default branch. */
export function diffArgs(inputs: ActionInputs, base: string | undefined, format: 'markdown' | 'json', output: string): string[] {
  const args = [BIN, 'diff', '--format', format, '--output', output];
  if (format === 'markdown') args.push('--max-bytes', String(COMMENT_MAX_BYTES));
  if (inputs.today) args.push('--today', inputs.today);
  if (base) args.push('--', base);
  return args;
}

/** Where the diff starts: the input, or the pull request's base branch. */
export function diffBase(inputs: ActionInputs, env: NodeJS.ProcessEnv): string | undefined {
  if (inputs.diff === 'false') return undefined;
  if (inputs.base) return inputs.base;
  const prBase = env.GITHUB_BASE_REF?.trim();
  if (prBase) return `origin/${prBase}`;
  return inputs.diff === 'true' ? '' : undefined;
}

/** Ref names safe to hand to `git fetch` as part of a refspec. */
const BRANCH = /^(?!-)(?!.*\.\.)[A-Za-z0-9._/-]+$/;

/** The pull request number from the event payload. */
export async function pullRequestNumber(env: NodeJS.ProcessEnv): Promise<number | undefined> {
  if (!env.GITHUB_EVENT_PATH) return undefined;
  try {
    const event = JSON.parse(await readFile(env.GITHUB_EVENT_PATH, 'utf8')) as { pull_request?: { number?: unknown }; number?: unknown };
    const n = event.pull_request?.number ?? event.number;
    return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

/** Counts of a SARIF log by level. */
export function sarifCounts(text: string): { errors: number; warnings: number; notes: number } {
  const counts = { errors: 0, warnings: 0, notes: 0 };
  const log = JSON.parse(text) as { runs?: { results?: { level?: string }[] }[] };
  for (const run of log.runs ?? []) {
    for (const result of run.results ?? []) {
      if (result.level === 'error') counts.errors++;
      else if (result.level === 'warning') counts.warnings++;
      else counts.notes++;
    }
  }
  return counts;
}

/** A `name<<delimiter` block for $GITHUB_OUTPUT, safe for any value. */
export function outputLine(name: string, value: string): string {
  let delimiter = 'THREATMARK_EOF';
  while (value.includes(delimiter)) delimiter += '_';
  return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
}

export interface Log {
  out(text: string): void;
}

export interface ActionResult {
  /** The step's exit code: the check's (0 ok, 1 model errors, 2 failure). */
  code: number;
  comment?: 'created' | 'updated' | 'skipped' | 'failed';
}

/** Posts the diff as a pull-request comment, or updates the one posted before (found by its marker). */
export async function postComment(markdown: string, env: NodeJS.ProcessEnv, run: Exec, cwd: string, log: Log): Promise<ActionResult['comment']> {
  const repository = env.GITHUB_REPOSITORY ?? '';
  const number = await pullRequestNumber(env);
  if (!/^[\w.-]+\/[\w.-]+$/.test(repository) || number === undefined) {
    log.out('::notice title=threatmark::no pull request to comment on (comment: true needs a pull_request event)\n');
    return 'skipped';
  }
  const ghEnv = { ...env, GH_TOKEN: env.GH_TOKEN || env.GITHUB_TOKEN || '' };
  const list = await run('gh', ['api', '--paginate', `repos/${repository}/issues/${number}/comments`, '--jq', `.[] | select(.body | contains("${COMMENT_MARKER}")) | .id`], { cwd, env: ghEnv });
  if (list.code !== 0) {
    log.out(`::warning title=threatmark::could not list the pull request's comments (${oneLine(list.stderr)}); a pull request from a fork gets a read-only token\n`);
    return 'failed';
  }
  const existing = list.stdout.split('\n').map((s) => s.trim()).find((s) => /^\d+$/.test(s));
  const body = JSON.stringify({ body: `${COMMENT_MARKER}\n${markdown}` });
  const write = existing
    ? await run('gh', ['api', '--method', 'PATCH', `repos/${repository}/issues/comments/${existing}`, '--input', '-'], { cwd, env: ghEnv, input: body })
    : await run('gh', ['api', '--method', 'POST', `repos/${repository}/issues/${number}/comments`, '--input', '-'], { cwd, env: ghEnv, input: body });
  if (write.code !== 0) {
    log.out(`::warning title=threatmark::could not post the threat-model diff as a comment (${oneLine(write.stderr)})\n`);
    return 'failed';
  }
  return existing ? 'updated' : 'created';
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, 300);
}

export async function runAction(env: NodeJS.ProcessEnv, run: Exec = exec, log: Log = { out: (t) => process.stdout.write(t) }): Promise<ActionResult> {
  const inputs = readInputs(env);
  const cwd = resolve(env.GITHUB_WORKSPACE ?? process.cwd(), inputs.workingDirectory);
  const node = process.execPath;
  const summaryFile = inputs.summary ? env.GITHUB_STEP_SUMMARY : undefined;
  const childEnv: NodeJS.ProcessEnv = { ...env, GITHUB_STEP_SUMMARY: summaryFile ?? '' };
  if (!summaryFile) delete childEnv.GITHUB_STEP_SUMMARY;
  const outputs: string[] = [];

  // 1. Annotations (and, from `check`, the job summary).
  const check = await run(node, checkArgs(inputs, 'github'), { cwd, env: childEnv });
  log.out(check.stdout);
  if (check.stderr) log.out(check.stderr);

  // 2. SARIF for code scanning.
  if (inputs.sarif) {
    const sarif = await run(node, checkArgs(inputs, 'sarif'), { cwd, env: { ...childEnv, GITHUB_STEP_SUMMARY: '' } });
    if (sarif.code === 2) log.out(`::error title=threatmark::writing SARIF failed: ${escapeData(sarif.stderr.trim())}\n`);
    else {
      const counts = sarifCounts(await readFile(resolve(cwd, inputs.sarif), 'utf8'));
      outputs.push(outputLine('sarif-file', resolve(cwd, inputs.sarif)), outputLine('errors', String(counts.errors)), outputLine('warnings', String(counts.warnings)));
    }
  }

  // 3. The diff, on pull requests (or when asked for).
  const result: ActionResult = { code: check.code };
  const base = diffBase(inputs, env);
  if (base !== undefined) {
    // In a shallow PR checkout the base branch is not fetched yet: fetch its tip.
    const branch = base.startsWith('origin/') ? base.slice('origin/'.length) : undefined;
    if (branch && BRANCH.test(branch)) {
      const known = await run('git', ['rev-parse', '--verify', '--quiet', `refs/remotes/origin/${branch}`], { cwd, env });
      if (known.code !== 0) {
        const fetched = await run('git', ['fetch', '--no-tags', '--depth=1', 'origin', `+refs/heads/${branch}:refs/remotes/origin/${branch}`], { cwd, env });
        if (fetched.code !== 0) log.out(`::warning title=threatmark::could not fetch the base branch ${branch}: ${escapeData(oneLine(fetched.stderr))}\n`);
      }
    }
    // Kept after the step (RUNNER_TEMP lives as long as the job) for later steps to use.
    const dir = env.RUNNER_TEMP || tmpdir();
    const markdownFile = join(dir, 'threatmark-diff.md');
    const jsonFile = join(dir, 'threatmark-diff.json');
    const md = await run(node, diffArgs(inputs, base || undefined, 'markdown', markdownFile), { cwd, env });
    if (md.code !== 0) {
      log.out(`::warning title=threatmark::threatmark diff failed: ${escapeData(md.stderr.trim())}\n`);
    } else {
      const markdown = await readFile(markdownFile, 'utf8');
      outputs.push(outputLine('diff-file', markdownFile));
      const json = await run(node, diffArgs(inputs, base || undefined, 'json', jsonFile), { cwd, env });
      if (json.code === 0) outputs.push(outputLine('diff-json', jsonFile), outputLine('headline', (JSON.parse(await readFile(jsonFile, 'utf8')) as { headline: string }).headline));
      if (summaryFile) await appendFile(summaryFile, `\n${markdown}`);
      if (inputs.comment) result.comment = await postComment(markdown, env, run, cwd, log);
    }
  }

  if (env.GITHUB_OUTPUT && outputs.length) await appendFile(env.GITHUB_OUTPUT, outputs.join(''));
  return result;
}

// Run as a script (not when imported by the tests).
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runAction(process.env)
    .then((result) => {
      process.exitCode = result.code;
    })
    .catch((error: unknown) => {
      process.stdout.write(`::error title=threatmark::${escapeData((error as Error)?.stack ?? String(error))}\n`);
      process.exitCode = 2;
    });
}
