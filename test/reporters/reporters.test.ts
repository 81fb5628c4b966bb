// The SARIF, GitHub and Markdown reporters on results built in-process, where
// hostile or oversized diagnostics are easy to inject.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Html, Root, Table } from 'mdast';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkProject, type ProjectResult } from '../../src/core/project.ts';
import { escapeData, escapeProperty, formatGithubAnnotations, workflowCommand } from '../../src/core/reporters/github.ts';
import { escapeMessage, escapeText, formatMarkdown } from '../../src/core/reporters/markdown.ts';
import { formatSarif } from '../../src/core/reporters/sarif.ts';
import type { Diagnostic } from '../../src/core/types.ts';
import { FIXTURES, TODAY, cleanup, tempDir } from '../cli/helpers.ts';
import { githubProblems, sarifSchemaErrors } from '../cli/sarif-validate.ts';

type Json = Record<string, any>;

let invalid: ProjectResult;
let valid: ProjectResult;

afterAll(cleanup);

beforeAll(async () => {
  invalid = await checkProject({ cwd: join(FIXTURES, 'invalid'), today: TODAY });
  valid = await checkProject({ cwd: join(FIXTURES, 'valid'), today: TODAY });
});

/** A copy of `base` with other diagnostics (counts recomputed). */
function withDiagnostics(base: ProjectResult, diagnostics: Diagnostic[]): ProjectResult {
  const count = (s: Diagnostic['severity']) => diagnostics.filter((d) => d.severity === s).length;
  const summary = { ...base.summary, errors: count('error'), warnings: count('warning'), infos: count('info') };
  return { ...base, diagnostics, summary, ok: summary.errors === 0 };
}

function diagnostic(overrides: Partial<Diagnostic> = {}): Diagnostic {
  return {
    file: 'threat-models/login.md',
    line: 3,
    column: 5,
    endLine: 3,
    endColumn: 9,
    severity: 'error',
    rule: 'unknown-key',
    message: 'unknown key `x`',
    url: 'https://threatmark.dev/docs/checks/#unknown-key',
    model: 'login',
    ...overrides,
  };
}

const HOSTILE = 'bad 100% value, key: `x|y` <script>alert(1)</script>\r\n::error::injected @everyone $x$ **b** [l](javascript:alert(1))';

describe('github annotations', () => {
  it('escapes data and properties exactly like actions/toolkit command.ts', () => {
    expect(escapeData('a%b\r\nc:d,e')).toBe('a%25b%0D%0Ac:d,e');
    expect(escapeProperty('a%b\r\nc:d,e')).toBe('a%25b%0D%0Ac%3Ad%2Ce');
    // `%` first, so an already-escaped sequence is not decoded by the runner.
    expect(escapeData('%0A')).toBe('%250A');
    expect(workflowCommand('error', { file: 'a,b:c%.md', line: 3, col: undefined, title: 't: x, y' }, 'm%,:\n::warning::x')).toBe(
      '::error file=a%2Cb%3Ac%25.md,line=3,title=t%3A x%2C y::m%25,:%0A::warning::x',
    );
    expect(workflowCommand('notice', {}, 'plain')).toBe('::notice::plain');
  });

  it('a hostile message stays on one line and inside its own command', () => {
    const out = formatGithubAnnotations(withDiagnostics(valid, [diagnostic({ message: HOSTILE })]));
    const lines = out.split('\n').filter(Boolean);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^::error file=threat-models\/login\.md,line=3,endLine=3,col=5,endColumn=9,title=threatmark\(unknown-key\)%3A [^:]*::bad 100%25 value, key: `x\|y` <script>alert\(1\)<\/script>%0D%0A::error::injected/);
    expect(lines[1]).toMatch(/^threatmark: 1 error, 0 warnings, 0 notices in 1 file; the gate fails\./);
  });

  it('drops the columns of a region that spans lines, and uses notice for info', () => {
    const out = formatGithubAnnotations(withDiagnostics(valid, [diagnostic({ severity: 'info', line: 2, endLine: 6, column: 3, endColumn: 4 })]));
    expect(out.split('\n')[0]).toMatch(/^::notice file=threat-models\/login\.md,line=2,endLine=6,title=/);
  });

  it('says when there was nothing to check', () => {
    const empty = { ...valid, models: [], diagnostics: [], summary: { files: 0, models: 0, errors: 0, warnings: 0, infos: 0 } };
    expect(formatGithubAnnotations(empty)).toBe('threatmark: no threat models found (looked for threat-models/**/*.md, **/*.threat.md); the gate passes.\n');
  });

  it('past 10 of a kind, says that GitHub shows only 10 and where the rest is', () => {
    const many = Array.from({ length: 12 }, (_, i) => diagnostic({ line: i + 1, endLine: i + 1, severity: 'warning' }));
    const out = formatGithubAnnotations(withDiagnostics(valid, many));
    const lines = out.trimEnd().split('\n');
    expect(lines.filter((l) => l.startsWith('::warning '))).toHaveLength(12);
    expect(lines.at(-1)).toBe(
      'threatmark: 0 errors, 12 warnings, 0 notices in 1 file; the gate passes. GitHub shows only 10 annotations of each kind per step: the full list is in the job summary and in the SARIF report (threatmark check --format sarif).',
    );
  });
});

// ---------------------------------------------------------------------------

function tablesOf(markdown: string): { tree: Root; tables: Table[] } {
  const tree = unified().use(remarkParse).use(remarkGfm).parse(markdown) as Root;
  const tables: Table[] = [];
  visit(tree, 'table', (t: Table) => {
    tables.push(t);
  });
  return { tree, tables };
}

function onlySafeHtml(tree: Root): void {
  visit(tree, 'html', (node: Html) => {
    expect(node.value).toMatch(/^<\/?(code|br|sub)>$/);
  });
  visit(tree, 'link', (node: { url: string }) => {
    expect(node.url).toMatch(/^https:\/\/threatmark\.dev\//);
  });
}

describe('markdown', () => {
  it('escapes author text so it cannot break a table, inject HTML, link or mention', () => {
    for (const text of [HOSTILE, '`unpaired', 'a ` b ` c `', '|||', '\\|', '<img src=x onerror=alert(1)>', '&lt;script&gt;', 'x\ny\r\nz\u2028w']) {
      const markdown = ['| A | B |', '| --- | --- |', `| ${escapeMessage(text)} | ${escapeText(text)} |`, ''].join('\n');
      const { tree, tables } = tablesOf(markdown);
      expect(tables, text).toHaveLength(1);
      expect(tables[0]!.children, text).toHaveLength(2);
      expect(tables[0]!.children[1]!.children, text).toHaveLength(2);
      onlySafeHtml(tree);
      // No `$` left for GitHub's math rendering.
      expect(markdown.split('\n')[2]!.includes('$'), text).toBe(false);
      // Nothing is lost: the cell's text is the author's text (line breaks flattened, backticks from quoting aside).
      let plain = '';
      visit(tables[0]!.children[1]!.children[1]!, 'text', (n: { value: string }) => {
        plain += n.value;
      });
      expect(plain, text).toBe(text.replace(/[\r\n\u2028]+/g, ' '));
    }
  });

  it('shows mentions as code so a PR comment notifies nobody', () => {
    expect(escapeText('owner @payments-team and @alice')).toBe('owner <code>&#64;payments-team</code> and <code>&#64;alice</code>');
    // An e-mail address is not a mention.
    expect(escapeText('bob@example.com')).toBe('bob&#64;example.com');
  });

  it('a whole summary with hostile diagnostics keeps its tables intact', () => {
    const hostile = withDiagnostics(invalid, [...invalid.diagnostics, diagnostic({ file: 'threat-models/a|b`<i>.md', message: HOSTILE, rule: 'x|y', url: 'javascript:alert(1)' })]);
    const { tree, tables } = tablesOf(formatMarkdown(hostile));
    onlySafeHtml(tree);
    for (const table of tables) for (const row of table.children) expect(row.children.length).toBe(table.children[0]!.children.length);
  });

  it('cuts the diagnostics after 1,000 rows with a note', () => {
    const many = Array.from({ length: 5000 }, (_, i) => diagnostic({ line: i + 1, endLine: i + 1, message: `problem ${i}` }));
    const markdown = formatMarkdown(withDiagnostics(valid, many));
    const rows = markdown.split('\n').filter((l) => l.startsWith('| <code>threat-models/login.md:'));
    expect(rows).toHaveLength(1000);
    expect(markdown).toContain('_4000 more diagnostics not shown (the summary lists at most 1000).');
    expect(markdown.split('\n')[0]).toBe('## ❌ 5000 errors in 1 of 1 model');
  });

  it('stays under 1 MiB however long the messages are', () => {
    const huge = Array.from({ length: 3000 }, (_, i) => diagnostic({ file: `threat-models/${'deep/'.repeat(40)}m${i}.md`, line: i + 1, endLine: i + 1, message: `${'x'.repeat(20_000)} ${i}` }));
    const markdown = formatMarkdown(withDiagnostics(valid, huge));
    expect(Buffer.byteLength(markdown)).toBeLessThan(1024 * 1024);
    expect(markdown).toMatch(/more diagnostics not shown/);
    const { tables } = tablesOf(markdown);
    for (const table of tables) for (const row of table.children) expect(row.children.length).toBe(table.children[0]!.children.length);
  });

  it('is deterministic', () => {
    expect(formatMarkdown(invalid)).toBe(formatMarkdown(invalid));
  });

  it('lists accepted risks that expire within the window, soonest first, and not the others', () => {
    const later = { ...valid, today: '2027-02-20' };
    const markdown = formatMarkdown(later);
    expect(markdown).toContain('### Accepted risks expiring within 30 days');
    expect(markdown).toContain('| <code>login</code> | <code>LOGIN-3</code> Login flood | LOW | <code>&#64;alice</code> | 2027-03-01 (in 9 days) |');
    expect(formatMarkdown(valid)).not.toContain('Accepted risks');
    expect(formatMarkdown({ ...valid, today: '2027-03-02' })).not.toContain('Accepted risks');
  });

  it('names an invalid configuration file as such in the models table', async () => {
    const dir = tempDir('config');
    mkdirSync(join(dir, 'threat-models'));
    copyFileSync(join(FIXTURES, 'valid', 'threat-models', 'login.md'), join(dir, 'threat-models', 'login.md'));
    writeFileSync(join(dir, 'threatmark.config.yaml'), 'fail_on: hgh\n');
    const result = await checkProject({ cwd: dir, today: TODAY });
    const markdown = formatMarkdown(result);
    expect(markdown.split('\n')[0]).toBe('## ❌ 1 error in 1 file (1 model checked)');
    expect(markdown).toContain('| <code>threatmark.config.yaml</code> | ❌ invalid configuration | — | — | — | 1 | 0 |');
    expect(markdown).toContain('did you mean <code>high</code>?');
  });

  it('says so when no model was found', () => {
    const empty = { ...valid, models: [], diagnostics: [], summary: { files: 0, models: 0, errors: 0, warnings: 0, infos: 0 } };
    expect(formatMarkdown(empty).split('\n')[0]).toBe('## ⚠️ No threat models found');
  });
});

// ---------------------------------------------------------------------------

describe('sarif', () => {
  const parse = (result: ProjectResult) => JSON.parse(formatSarif(result)) as Json;

  it('is valid for odd input: a path outside the project, an undeclared rule, a backwards range', () => {
    const odd = withDiagnostics(valid, [
      diagnostic({ file: '/elsewhere/my models/x.md', model: undefined }),
      diagnostic({ rule: 'custom-rule', url: undefined }),
      diagnostic({ line: 9, endLine: 4, column: 7, endColumn: 1 }),
      diagnostic({ line: 0, column: 0, endLine: 0, endColumn: 0, message: '' }),
    ]);
    const log = parse(odd);
    expect(sarifSchemaErrors(log)).toEqual([]);
    expect(githubProblems(log)).toEqual([]);
    const results = log.runs[0].results as any[];
    expect(results[0].locations[0].physicalLocation.artifactLocation).toEqual({ uri: 'file:///elsewhere/my%20models/x.md' });
    const rules = log.runs[0].tool.driver.rules as any[];
    expect(rules[results[1].ruleIndex].id).toBe('custom-rule');
    expect(results[2].locations[0].physicalLocation.region).toEqual({ startLine: 9, startColumn: 7, endLine: 9, endColumn: 7 });
    expect(results[3].locations[0].physicalLocation.region).toEqual({ startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 });
    expect(results[3].message.text).toBe('A key is not part of format v1');
  });

  it('fingerprints ignore positions and numbers, and tell identical findings apart by occurrence', () => {
    const prints = (ds: Diagnostic[]) => (parse(withDiagnostics(valid, ds)).runs[0].results as Json[]).map((r) => r.partialFingerprints.primaryLocationLineHash as string);
    const [a] = prints([diagnostic({ line: 3, endLine: 3, message: 'review overdue since 2026-08-28 (98 days)', rule: 'review-overdue' })]);
    const [b] = prints([diagnostic({ line: 40, endLine: 41, column: 1, message: 'review overdue since 2026-08-29 (99 days)', rule: 'review-overdue' })]);
    expect(b).toBe(a);
    const [c] = prints([diagnostic({ line: 3, endLine: 3, message: 'review overdue since 2026-08-28 (98 days)', rule: 'review-overdue', model: 'other' })]);
    expect(c).not.toBe(a);
    const twins = prints([diagnostic({ line: 3 }), diagnostic({ line: 8 })]);
    expect(twins[0]).toMatch(/:1$/);
    expect(twins[1]).toBe(twins[0]!.replace(/:1$/, ':2'));
    // With a subject, the message may change without making a new alert.
    const [d] = prints([diagnostic({ rule: 'stride-coverage', subject: 'api', message: 'process `api` has no threat for spoofing, tampering' })]);
    const [e] = prints([diagnostic({ rule: 'stride-coverage', subject: 'api', message: 'process `api` has no threat for tampering' })]);
    expect(e).toBe(d);
  });

  it('declares every rule of the result once, each with help and a docs link', () => {
    const log = parse(invalid);
    const rules = log.runs[0].tool.driver.rules as Json[];
    expect(rules.map((r) => r.id)).toEqual([...new Set(invalid.rules.map((r) => r.id))]);
    for (const rule of rules) {
      expect(rule.helpUri).toBe(`https://threatmark.dev/docs/checks/#${rule.id}`);
      expect(rule.help.text).toContain('How to fix: ');
      expect(rule.name).toMatch(/^[A-Z][A-Za-z0-9]*$/);
    }
  });
});
