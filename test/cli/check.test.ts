// `threatmark check` as a CI job runs it: exit codes, flags, colour, output file.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ANSI, BIN, NODE, TODAY, check, cleanup, fixture, run, tempDir } from './helpers.ts';

afterAll(cleanup);

describe('exit codes', () => {
  it('0 for valid models, with a one-line total', () => {
    const r = check('valid');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('✔ 0 errors, 0 warnings in 1 file\n');
  });

  it('1 for models with errors, listing each with its place and rule', () => {
    const r = check('invalid');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('threat-models/payments.md');
    expect(r.stdout).toMatch(/21:13 +error +threat `PAY-1` is open with severity HIGH .* unmitigated-threat/);
    expect(r.stdout).toMatch(/1:1 +error +no frontmatter.*not-a-threat-model/);
    expect(r.stdout).toContain('✖ 6 errors, 6 warnings in 2 files');
  });

  it('1 when one explicit path does not exist', () => {
    const r = check('valid', ['threat-models/login.md', 'threat-models/missing.md']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/threat-models\/missing\.md\n +1:1 +error +no such file or folder +file-unreadable/);
  });

  it.each([
    ['an unknown format', ['check', '--format', 'nope'], /--format must be one of stylish, json, sarif, github, markdown \(got "nope"\)/],
    ['an impossible --today', ['check', '--today', '2026-13-40'], /--today must be a date written as YYYY-MM-DD \(got "2026-13-40"\)/],
    ['an unknown flag', ['check', '--bogus'], /Unknown option '--bogus'/],
    ['an unknown --fail-on', ['check', '--fail-on', 'severe'], /--fail-on must be one of note, low, medium, high, critical/],
    ['a flag without its value', ['check', '--output'], /--output/],
    ['an unknown command', ['chek'], /unknown command `chek`; did you mean `check`\?/],
    ['export without what', ['export'], /say what to export/],
    ['schema with an argument', ['schema', 'extra'], /Unexpected argument|positional/i],
  ])('2 for a usage error: %s', (_label, args, message) => {
    const r = run(args, { cwd: fixture('valid') });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toMatch(/internal error|at .*\.ts:\d+/);
  });

  it('2 and the usage when no command is given', () => {
    const r = run([], { cwd: fixture('valid') });
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^Usage: threatmark <command>/);
  });
});

describe('gate flags', () => {
  it('warnings alone pass, and --strict turns them into exit 1', () => {
    const plain = check('warnings');
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/warning +the acceptance of `LOGIN-3` expires on 2026-12-20 \(in 16 days\) +acceptance-expiring/);
    const strict = check('warnings', ['--strict']);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toBe(plain.stdout);
  });

  it('--fail-on critical lets a HIGH open threat pass; the default (high) does not', () => {
    expect(check('high-open').code).toBe(1);
    const relaxed = check('high-open', ['--fail-on', 'critical']);
    expect(relaxed.code).toBe(0);
    expect(relaxed.stdout).not.toContain('unmitigated-threat');
    const stricter = check('valid', ['--fail-on', 'low']);
    expect(stricter.code).toBe(1);
    expect(stricter.stdout).toMatch(/threat `LOGIN-4` is open with severity LOW .* at or above fail_on low/);
  });

  it('--fail-on is case-insensitive', () => {
    expect(check('high-open', ['--fail-on', 'CRITICAL']).code).toBe(0);
  });

  it('--today moves the evaluation day: the acceptance has expired a year later', () => {
    const cwd = fixture('valid');
    const later = run(['check', '--today', '2027-06-01'], { cwd });
    expect(later.code).toBe(1);
    expect(later.stdout).toMatch(/the acceptance of `LOGIN-3` by @alice expired on 2027-03-01 \(92 days ago\) +acceptance-expired/);
  });
});

describe('output', () => {
  it('--quiet prints errors only (and nothing at all when there are none)', () => {
    const quiet = check('invalid', ['--quiet']);
    expect(quiet.code).toBe(1);
    expect(quiet.stdout).toContain('unmitigated-threat');
    expect(quiet.stdout).not.toMatch(/ warning /);
    expect(quiet.stdout).not.toContain('stride-coverage');
    expect(quiet.stdout).not.toContain('acceptance-expiring');
    const none = check('warnings', ['--quiet']);
    expect(none.code).toBe(0);
    expect(none.stdout).not.toContain('acceptance-expiring');
    expect(check('valid', ['-q']).stdout).toBe('');
  });

  it('--output FILE writes the report there and nothing to standard output', () => {
    const cwd = fixture('invalid');
    const r = run(['check', '--format', 'json', '--output', 'out.json', '--today', TODAY], { cwd });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('');
    expect(JSON.parse(readFileSync(join(cwd, 'out.json'), 'utf8')).summary.errors).toBe(6);
  });

  it('--output is relative to the working directory and overwrites the file', () => {
    const cwd = fixture('valid');
    run(['check', '--format', 'markdown', '--output', 'summary.md', '--today', TODAY], { cwd });
    const first = readFileSync(join(cwd, 'summary.md'), 'utf8');
    run(['check', '--format', 'markdown', '--output', 'summary.md', '--today', TODAY], { cwd });
    expect(readFileSync(join(cwd, 'summary.md'), 'utf8')).toBe(first);
    expect(first).toMatch(/^## ✅ 1 threat model passes the gate/);
  });

  it('--output writes stylish without colour even when colour is forced', () => {
    const cwd = fixture('invalid');
    const r = run(['check', '--output', 'report.txt', '--today', TODAY], { cwd, env: { FORCE_COLOR: '1' } });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const text = readFileSync(join(cwd, 'report.txt'), 'utf8');
    expect(text).toContain('unmitigated-threat');
    expect(text).not.toMatch(ANSI);
  });

  it('no escape codes when standard output is not a terminal, or with NO_COLOR / --no-color', () => {
    expect(check('invalid').stdout).not.toMatch(ANSI);
    // FORCE_COLOR proves the check can see colour at all…
    expect(check('invalid', [], { FORCE_COLOR: '1' }).stdout).toMatch(ANSI);
    // …and NO_COLOR or --no-color still wins over it.
    expect(check('invalid', [], { FORCE_COLOR: '1', NO_COLOR: '1' }).stdout).not.toMatch(ANSI);
    expect(check('invalid', ['--no-color'], { FORCE_COLOR: '1' }).stdout).not.toMatch(ANSI);
  });

  it.skipIf(!existsSync('/usr/bin/script'))('colours in a real terminal, none there with NO_COLOR', () => {
    const cwd = fixture('invalid');
    const command = `${JSON.stringify(NODE)} ${JSON.stringify(BIN)} check --today ${TODAY}`;
    const tty = (env: NodeJS.ProcessEnv) => spawnSync('script', ['-qec', command, '/dev/null'], { cwd, env, encoding: 'utf8' }).stdout;
    const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm' };
    delete env.FORCE_COLOR;
    delete env.NO_COLOR;
    expect(tty(env)).toMatch(ANSI);
    expect(tty({ ...env, NO_COLOR: '1' })).not.toMatch(ANSI);
  });

  it('says where it looked when no model is found', () => {
    const r = run(['check', '--today', TODAY], { cwd: tempDir('empty') });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/No threat models found under .* \(looked for threat-models\/\*\*\/\*\.md, \*\*\/\*\.threat\.md\)/);
  });
});

describe('help and version', () => {
  const commands = run(['--help'], { cwd: ROOT_CWD() })
    .stdout.split('\n')
    .map((line) => /^ {2}([a-z][a-z-]*) {2,}\S/.exec(line)?.[1])
    .filter((name): name is string => Boolean(name));

  it('lists the commands', () => {
    expect(commands).toEqual(expect.arrayContaining(['check', 'export', 'schema']));
  });

  it.each(['--help', '-h'])('`threatmark %s` prints the usage and exits 0', (flag) => {
    const r = run([flag], { cwd: ROOT_CWD() });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: threatmark <command>/);
  });

  it('every command answers --help with its own usage, exit 0', () => {
    for (const name of commands) {
      const r = run([name, '--help'], { cwd: ROOT_CWD() });
      expect(r.code, name).toBe(0);
      expect(r.stdout, name).toMatch(new RegExp(`^Usage: threatmark ${name}\\b`));
      expect(r.stderr, name).toBe('');
    }
  });

  it('`help check` is the same as `check --help`', () => {
    expect(run(['help', 'check'], { cwd: ROOT_CWD() }).stdout).toBe(run(['check', '--help'], { cwd: ROOT_CWD() }).stdout);
  });

  it.each(['--version', '-v'])('%s prints the package version', (flag) => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const r = run([flag], { cwd: ROOT_CWD() });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${pkg.version}\n`);
  });
});

function ROOT_CWD(): string {
  return fixture('valid');
}
