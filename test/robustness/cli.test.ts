// The CLI on the nastiest files, as a spawned process on the pinned Node 24:
// `threatmark check FILE --today 2026-12-04` must exit 1 (the model has
// errors) and print diagnostics, never a stack trace or an "internal error".
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, MINIMAL_MODEL, NODE, TODAY } from './helpers.ts';

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'threatmark-cli-robustness-'));
  await mkdir(join(scratch, 'models'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCli(args: string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(NODE, [CLI, ...args], { cwd: scratch, timeout: 60_000, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const laughs = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
for (let i = 1; i < 10; i++) laughs.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array.from({ length: 9 }, () => `*${String.fromCharCode(96 + i)}`).join(', ')}]`);

const NASTY: Record<string, () => string | Uint8Array> = {
  'alias-bomb.md': () => `---\nthreatmark: 1\n${laughs.join('\n')}\n---\n`,
  'deep-flow.md': () => `---\nthreatmark: 1\ntitle: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n---\n`,
  'deep-block.md': () => `---\nthreatmark: 1\n${Array.from({ length: 3_000 }, (_, i) => `${'  '.repeat(i)}a:`).join('\n')} 1\n---\n`,
  'deep-dashes.md': () => `---\nthreatmark: 1\ntags:\n  ${'- '.repeat(20_000)}x\n---\n`,
  'binary.md': () => Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0xff, 0xfe]),
  'latin1.md': () => Uint8Array.from([...Buffer.from('---\nthreatmark: 1\ntitle: Caf'), 0xe9, ...Buffer.from('\n---\n')]),
  'proto.md': () =>
    MINIMAL_MODEL.replace('title: Minimal', '__proto__: { polluted: yes }\ntitle: Minimal').replace('  user:', '  constructor: { type: external, title: C, __proto__: { x: 1 } }\n  user:'),
  'unclosed.md': () => '---\nthreatmark: 1\ntitle: never closed\n',
  'scalar.md': () => '---\njust a scalar\n---\n',
  'only-fences.md': () => '---\n---',
  'empty.md': () => '',
  'version-2.md': () => '---\nthreatmark: 2\n---\n',
  'lone-cr.md': () => MINIMAL_MODEL.replace('status: draft', 'status: drafty').replace(/\n/g, '\r'),
  'null-exclusion.md': () => MINIMAL_MODEL.replace('not_applicable:\n', 'not_applicable:\n  - null\n  - {}\n'),
  'long-line.md': () => MINIMAL_MODEL.replace('title: Minimal', `title: ${'x'.repeat(1_500_000)}`).replace('status: draft', 'status: drafty'),
};

describe('the check command on hostile files', () => {
  it.each(Object.keys(NASTY))('%s: exit code 1, no stack trace', async (name) => {
    const path = join(scratch, 'models', name);
    await writeFile(path, NASTY[name]!());
    const outcome = await runCli(['check', `models/${name}`, '--today', TODAY]);
    const output = `${outcome.stdout}\n${outcome.stderr}`;
    expect(output, output.slice(0, 2000)).not.toMatch(/^ {4}at /m);
    expect(output).not.toMatch(/internal error/i);
    expect(outcome.code, output.slice(0, 2000)).toBe(1);
    expect(outcome.stdout).toContain(`models/${name}`);
  });

  it('a 50 MB file: exit code 1, file-too-large, no stack trace', async () => {
    const path = join(scratch, 'models', 'huge.md');
    const handle = await open(path, 'w');
    await handle.truncate(50 * 1024 * 1024);
    await handle.close();
    const outcome = await runCli(['check', 'models/huge.md', '--today', TODAY, '--format', 'json']);
    expect(`${outcome.stdout}\n${outcome.stderr}`).not.toMatch(/^ {4}at /m);
    expect(outcome.code).toBe(1);
    const report = JSON.parse(outcome.stdout) as { diagnostics: { rule: string; file: string }[] };
    expect(report.diagnostics.map((d) => `${d.file} ${d.rule}`)).toEqual(['models/huge.md file-too-large']);
  });

  it('all of them at once, in JSON: every diagnostic has 1-based positions', async () => {
    for (const [name, make] of Object.entries(NASTY)) await writeFile(join(scratch, 'models', name), make());
    const outcome = await runCli(['check', 'models', '--today', TODAY, '--format', 'json']);
    expect(`${outcome.stdout}\n${outcome.stderr}`).not.toMatch(/^ {4}at /m);
    expect(outcome.code, outcome.stderr.slice(0, 2000)).toBe(1);
    const report = JSON.parse(outcome.stdout) as { diagnostics: { file: string; line: number; column: number; endLine: number; endColumn: number }[] };
    const files = new Set(report.diagnostics.map((d) => d.file));
    for (const name of Object.keys(NASTY)) expect(files.has(`models/${name}`), name).toBe(true);
    for (const d of report.diagnostics) {
      expect(d.line).toBeGreaterThanOrEqual(1);
      expect(d.column).toBeGreaterThanOrEqual(1);
      expect(d.endLine).toBeGreaterThanOrEqual(d.line);
    }
  });
});
