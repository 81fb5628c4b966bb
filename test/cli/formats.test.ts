// Every --format of `threatmark check`, through the real command.
import { copyFileSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Html, Root, Table, TableCell } from 'mdast';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES, TODAY, check, cleanup, fixture, run, tempDir } from './helpers.ts';
import { githubProblems, sarifSchemaErrors } from './sarif-validate.ts';

afterAll(cleanup);

type Json = Record<string, any>;

const REQUIRED_DIAGNOSTIC_KEYS = ['file', 'line', 'column', 'endLine', 'endColumn', 'severity', 'rule', 'message'];
const OPTIONAL_DIAGNOSTIC_KEYS = ['model', 'url', 'subject'];

describe('--format json', () => {
  it('has diagnostics with exactly the documented fields, the resolved models and a summary', () => {
    const r = check('invalid', ['--format', 'json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as Json;
    expect(Object.keys(out).sort()).toEqual(['diagnostics', 'models', 'summary']);
    expect(out.diagnostics).toHaveLength(12);
    for (const d of out.diagnostics as Json[]) {
      for (const key of REQUIRED_DIAGNOSTIC_KEYS) expect(d, key).toHaveProperty(key);
      for (const key of Object.keys(d)) expect([...REQUIRED_DIAGNOSTIC_KEYS, ...OPTIONAL_DIAGNOSTIC_KEYS]).toContain(key);
      expect(typeof d.file).toBe('string');
      for (const key of ['line', 'column', 'endLine', 'endColumn']) expect(Number.isInteger(d[key]) && d[key] >= 1, key).toBe(true);
      expect(['error', 'warning', 'info']).toContain(d.severity);
      expect(d.rule).toMatch(/^[a-z][a-z0-9-]*$/);
      expect(d.message.length).toBeGreaterThan(0);
      if (d.url !== undefined) expect(d.url).toBe(`https://threatmark.dev/docs/checks/#${d.rule}`);
    }
    const first = (out.diagnostics as Json[]).find((d) => d.rule === 'unmitigated-threat')!;
    expect(first).toMatchObject({ file: 'threat-models/payments.md', line: 21, column: 13, endLine: 21, endColumn: 17, severity: 'error', model: 'payments' });
    expect((out.diagnostics as Json[]).find((d) => d.rule === 'not-a-threat-model')).toMatchObject({ file: 'threat-models/notes.md', line: 1, column: 1 });
    expect(out.models.map((m: Json) => m.id)).toEqual(['payments']);
    expect(out.models[0]).toMatchObject({ id: 'payments', file: 'threat-models/payments.md', status: 'draft', valid: false });
    expect(out.models[0].threats.map((t: Json) => t.id)).toEqual(['PAY-1', 'PAY-2', 'PAY-3', 'PAY-4']);
    expect(out.summary).toEqual({ files: 2, models: 1, errors: 6, warnings: 6, infos: 0, ok: false, failOn: 'high', strict: false, today: TODAY });
  });

  it('reports the gate settings used, and ok for valid models', () => {
    const out = JSON.parse(check('valid', ['--format', 'json', '--fail-on', 'critical', '--strict']).stdout) as Json;
    expect(out.diagnostics).toEqual([]);
    expect(out.summary).toEqual({ files: 1, models: 1, errors: 0, warnings: 0, infos: 0, ok: true, failOn: 'critical', strict: true, today: TODAY });
  });
});

describe('--format sarif', () => {
  const sarif = (name: string, args: string[] = []) => {
    const r = check(name, ['--format', 'sarif', ...args]);
    return { ...r, log: JSON.parse(r.stdout) as Json };
  };

  it('validates against the official SARIF 2.1.0 schema and meets GitHub code scanning requirements', () => {
    for (const name of ['invalid', 'valid', 'warnings', 'high-open']) {
      const { log } = sarif(name);
      expect(sarifSchemaErrors(log), name).toEqual([]);
      expect(githubProblems(log), name).toEqual([]);
    }
  });

  it('the validator is not a rubber stamp', () => {
    const { log } = sarif('invalid');
    const broken = structuredClone(log);
    broken.runs[0].results[0].level = 'fatal';
    broken.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
    expect(sarifSchemaErrors(broken).length).toBeGreaterThan(0);
    const hollow = structuredClone(log);
    hollow.runs[0].tool.driver.rules[0].help.text = '';
    delete hollow.runs[0].results[0].partialFingerprints;
    expect(githubProblems(hollow)).toEqual(expect.arrayContaining(['rules[0].help.text', 'results[0].partialFingerprints.primaryLocationLineHash']));
  });

  it('describes the tool, every rule and one result per diagnostic', () => {
    const { log, code, cwd } = sarif('invalid');
    expect(code).toBe(1);
    const json = JSON.parse(run(['check', '--format', 'json', '--today', TODAY], { cwd }).stdout) as Json;
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as Json;
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.runs).toHaveLength(1);
    const [runEntry] = log.runs as Json[];
    expect(runEntry!.tool.driver).toMatchObject({ name: 'threatmark', semanticVersion: pkg.version, informationUri: 'https://threatmark.dev/' });
    expect(runEntry!.automationDetails).toEqual({ id: 'threatmark/' });
    expect(runEntry!.columnKind).toBe('utf16CodeUnits');
    const rules = runEntry!.tool.driver.rules as Json[];
    expect(rules.map((r) => r.id)).toEqual(expect.arrayContaining(['unmitigated-threat', 'unknown-key', 'not-a-threat-model', 'stride-coverage', 'acceptance-expiring']));
    const gate = rules.find((r) => r.id === 'unmitigated-threat')!;
    expect(gate).toMatchObject({
      shortDescription: { text: 'An open or planned threat is at or above the fail-on severity' },
      helpUri: 'https://threatmark.dev/docs/checks/#unmitigated-threat',
      defaultConfiguration: { level: 'error' },
      properties: { tags: ['security', 'threat-model'], precision: 'very-high', 'security-severity': '8.0' },
    });
    expect(gate.help.markdown).toContain('[Documentation](https://threatmark.dev/docs/checks/#unmitigated-threat)');
    expect(rules.find((r) => r.id === 'acceptance-expiring')!.defaultConfiguration.level).toBe('warning');

    const results = runEntry!.results as Json[];
    expect(results).toHaveLength(json.diagnostics.length);
    results.forEach((result, i) => {
      const d = json.diagnostics[i] as Json;
      expect(result.ruleId).toBe(d.rule);
      expect(result.level).toBe({ error: 'error', warning: 'warning', info: 'note' }[d.severity as string]);
      expect(result.message.text).toBe(d.message);
      expect(result.locations[0].physicalLocation).toEqual({
        artifactLocation: { uri: d.file, uriBaseId: '%SRCROOT%' },
        region: { startLine: d.line, startColumn: d.column, endLine: d.endLine, endColumn: d.endColumn },
      });
    });
  });

  it('gives threat results the security-severity of their threat', () => {
    const { log } = sarif('invalid');
    const results = log.runs[0].results as Json[];
    const of = (rule: string) => results.find((r) => r.ruleId === rule)!.properties;
    // PAY-1 medium × high = HIGH; PAY-3 high × high = CRITICAL; PAY-4 high × medium = HIGH.
    expect(of('unmitigated-threat')).toMatchObject({ model: 'payments', subject: 'PAY-1', threatSeverity: 'high', 'security-severity': '8.0' });
    expect(of('missing-mitigations')).toMatchObject({ subject: 'PAY-3', threatSeverity: 'critical', 'security-severity': '9.5' });
    expect(of('acceptance-expired')).toMatchObject({ subject: 'PAY-4', 'security-severity': '8.0' });
    // Not about a threat's treatment: no security-severity of its own.
    expect(of('unknown-key')?.['security-severity']).toBeUndefined();
    expect(of('stride-coverage')?.['security-severity']).toBeUndefined();
  });

  it('the format.md example (approved, coverage incomplete) fails, and its rules-engine findings carry their severity', () => {
    const cwd = tempDir('spec');
    mkdirSync(join(cwd, 'threat-models'));
    copyFileSync(join(FIXTURES, 'spec-example.md'), join(cwd, 'threat-models', 'profile-upload.md'));
    const r = run(['check', '--format', 'sarif', '--today', TODAY], { cwd });
    expect(r.code).toBe(1);
    const log = JSON.parse(r.stdout) as Json;
    expect(sarifSchemaErrors(log)).toEqual([]);
    expect(githubProblems(log)).toEqual([]);
    const results = log.runs[0].results as Json[];
    expect(results.some((x) => x.ruleId === 'stride-coverage' && x.level === 'error')).toBe(true);
    const findings = results.filter((x) => x.ruleId === 'unanswered-finding');
    expect(findings.length).toBeGreaterThan(0);
    const scores: Record<string, string | undefined> = { critical: '9.5', high: '8.0', medium: '5.5', low: '2.0', note: undefined };
    for (const finding of findings) {
      expect(finding.properties.subject).toMatch(/^[a-z0-9-]+@[A-Za-z0-9._-]+$/);
      expect(Object.keys(scores)).toContain(finding.properties.findingSeverity);
      expect(finding.properties['security-severity']).toBe(scores[finding.properties.findingSeverity as string]);
    }
  });

  it('a lower fail_on lowers the rule default: medium → 5.5, and low open threats carry 2.0', () => {
    const { log } = sarif('valid', ['--fail-on', 'low']);
    const gate = (log.runs[0].tool.driver.rules as Json[]).find((r) => r.id === 'unmitigated-threat')!;
    expect(gate.properties['security-severity']).toBe('2.0');
    const result = (log.runs[0].results as Json[]).find((r) => r.ruleId === 'unmitigated-threat')!;
    expect(result.properties).toMatchObject({ subject: 'LOGIN-4', threatSeverity: 'low', 'security-severity': '2.0' });
    const medium = sarif('valid', ['--fail-on', 'medium']).log;
    expect((medium.runs[0].tool.driver.rules as Json[]).find((r) => r.id === 'unmitigated-threat')!.properties['security-severity']).toBe('5.5');
  });

  it('fingerprints are unique and survive unrelated edits that move every line', () => {
    const cwd = fixture('invalid');
    const fingerprints = () => {
      const log = JSON.parse(run(['check', '--format', 'sarif', '--today', TODAY], { cwd }).stdout) as Json;
      const results = log.runs[0].results as Json[];
      const prints = results.map((r) => r.partialFingerprints.primaryLocationLineHash as string);
      expect(new Set(prints).size).toBe(prints.length);
      for (const p of prints) expect(p).toMatch(/^[0-9a-f]{32}:\d+$/);
      return new Map(results.map((r) => [`${r.ruleId} ${r.properties?.subject ?? r.message.text}`, { print: r.partialFingerprints.primaryLocationLineHash as string, uri: r.locations[0].physicalLocation.artifactLocation.uri as string, line: r.locations[0].physicalLocation.region.startLine as number }]));
    };
    const before = fingerprints();
    const file = join(cwd, 'threat-models', 'payments.md');
    const text = readFileSync(file, 'utf8');
    // New lines near the top, a re-rated threat, and one day later.
    const edited = text
      .replace('status: draft\n', 'status: draft\nsummary: Card payments.\ntags: [payments, pci]\nassumptions:\n  - The PSP is PCI compliant.\n  - Cards never touch our servers.\n')
      .replace(/(PAY-1:\n(?:.*\n)*?\s+likelihood:) medium/, '$1 high');
    expect(edited).not.toBe(text);
    writeFileSync(file, edited);
    const after = fingerprints();
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [key, { print, uri, line }] of before) {
      expect(after.get(key)!.print, key).toBe(print);
      expect(after.get(key)!.line, key).toBe(uri === 'threat-models/payments.md' ? line + 5 : line);
    }
    // The re-rated threat is now CRITICAL: same alert, higher security-severity.
    const log = JSON.parse(run(['check', '--format', 'sarif', '--today', '2026-12-05'], { cwd }).stdout) as Json;
    const gate = (log.runs[0].results as Json[]).find((r) => r.ruleId === 'unmitigated-threat')!;
    expect(gate.message.text).toContain('CRITICAL');
    expect(gate.properties['security-severity']).toBe('9.5');
    expect(gate.partialFingerprints.primaryLocationLineHash).toBe(before.get('unmitigated-threat PAY-1')!.print);
    const expiring = (log.runs[0].results as Json[]).find((r) => r.ruleId === 'acceptance-expiring')!;
    expect(expiring.message.text).toContain('in 15 days');
    expect(expiring.partialFingerprints.primaryLocationLineHash).toBe(before.get('acceptance-expiring PAY-2')!.print);
  });

  it('encodes odd file names as URI references', () => {
    const cwd = fixture('invalid');
    renameSync(join(cwd, 'threat-models', 'payments.md'), join(cwd, 'threat-models', 'pay ments #1 (100%).md'));
    const log = JSON.parse(run(['check', '--format', 'sarif', '--today', TODAY], { cwd }).stdout) as Json;
    expect(sarifSchemaErrors(log)).toEqual([]);
    const uris = new Set((log.runs[0].results as Json[]).map((r) => r.locations[0].physicalLocation.artifactLocation.uri));
    expect(uris).toEqual(new Set(['threat-models/notes.md', 'threat-models/pay%20ments%20%231%20(100%25).md']));
  });
});

// ---------------------------------------------------------------------------

interface Annotation {
  command: string;
  properties: Record<string, string>;
  message: string;
}

/** Parses workflow commands the way the Actions runner does (ActionCommand.TryParseV2). */
function parseAnnotations(stdout: string): { annotations: Annotation[]; plain: string[] } {
  const annotations: Annotation[] = [];
  const plain: string[] = [];
  for (const line of stdout.split('\n')) {
    if (line === '') continue;
    const match = /^::([a-z-]+)(?: ([^:]*))?::(.*)$/.exec(line);
    if (!match) {
      plain.push(line);
      continue;
    }
    const properties: Record<string, string> = {};
    for (const pair of (match[2] ?? '').split(',').filter(Boolean)) {
      const eq = pair.indexOf('=');
      properties[pair.slice(0, eq)] = unescapeProperty(pair.slice(eq + 1));
    }
    annotations.push({ command: match[1]!, properties, message: unescapeData(match[3]!) });
  }
  return { annotations, plain };
}

const unescapeData = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
const unescapeProperty = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');

describe('--format github', () => {
  it('prints one annotation per diagnostic, then the totals', () => {
    const r = check('invalid', ['--format', 'github']);
    expect(r.code).toBe(1);
    const json = JSON.parse(run(['check', '--format', 'json', '--today', TODAY], { cwd: r.cwd }).stdout) as Json;
    const { annotations, plain } = parseAnnotations(r.stdout);
    expect(annotations).toHaveLength(json.diagnostics.length);
    annotations.forEach((a, i) => {
      const d = json.diagnostics[i] as Json;
      expect(a.command).toBe({ error: 'error', warning: 'warning', info: 'notice' }[d.severity as string]);
      expect(a.properties.file).toBe(d.file);
      expect(a.properties.line).toBe(String(d.line));
      expect(a.properties.endLine).toBe(String(d.endLine));
      expect(a.properties.title).toMatch(new RegExp(`^threatmark\\(${d.rule}\\)`));
      expect(a.message.split('\n')[0]).toBe(d.message);
      expect(a.message).toContain(d.url);
    });
    const gate = annotations.find((a) => a.message.includes('`PAY-1`'))!;
    expect(gate).toMatchObject({ command: 'error', properties: { file: 'threat-models/payments.md', line: '21', col: '13', endLine: '21', endColumn: '17', title: 'threatmark(unmitigated-threat): An open or planned threat is at or above the fail-on severity' } });
    expect(plain).toEqual([expect.stringMatching(/^threatmark: 6 errors, 6 warnings, 0 notices in 2 files; the gate fails\. The full list is also in the job summary/)]);
  });

  it('escapes hostile file names and values exactly like actions/toolkit', () => {
    const cwd = fixture('invalid');
    const hostile = 'a,b: 100%\nc.md';
    renameSync(join(cwd, 'threat-models', 'notes.md'), join(cwd, 'threat-models', hostile));
    const r = run(['check', '--format', 'github', '--today', TODAY], { cwd });
    const lines = r.stdout.split('\n').filter(Boolean);
    // One line per annotation: the newline in the name did not split a command.
    expect(lines.filter((l) => l.startsWith('::'))).toHaveLength(12);
    const raw = lines.find((l) => l.includes('not-a-threat-model'))!;
    expect(raw).toContain('file=threat-models/a%2Cb%3A 100%25%0Ac.md,line=1,');
    const unknownKey = lines.find((l) => l.includes('unknown-key'))!;
    // The key `weird%,:key` is in the message: `%` escaped, `,` and `:` left alone there.
    expect(unknownKey).toContain('::unknown key `weird%25,:key`%0AHow to fix');
    const { annotations } = parseAnnotations(r.stdout);
    expect(annotations.find((a) => a.properties.title?.includes('not-a-threat-model'))!.properties.file).toBe(`threat-models/${hostile}`);
    expect(annotations.find((a) => a.properties.title?.includes('unknown-key'))!.message.split('\n')[0]).toBe('unknown key `weird%,:key`');
  });

  it('appends the Markdown summary to $GITHUB_STEP_SUMMARY', () => {
    const cwd = fixture('invalid');
    const summary = join(cwd, 'step-summary.md');
    writeFileSync(summary, '# Earlier step\n\n');
    const r = run(['check', '--format', 'github', '--today', TODAY], { cwd, env: { GITHUB_STEP_SUMMARY: summary } });
    expect(r.code).toBe(1);
    const markdown = run(['check', '--format', 'markdown', '--today', TODAY], { cwd }).stdout;
    expect(readFileSync(summary, 'utf8')).toBe(`# Earlier step\n\n${markdown}`);
    expect(markdown).toMatch(/^## ❌ 6 errors in 2 files/);
  });

  it('writes no summary file without $GITHUB_STEP_SUMMARY, and passes quietly on valid models', () => {
    const r = check('valid', ['--format', 'github']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('threatmark: 0 errors, 0 warnings, 0 notices in 1 file; the gate passes.\n');
  });
});

// ---------------------------------------------------------------------------

function parseMarkdown(text: string): Root {
  return unified().use(remarkParse).use(remarkGfm).parse(text) as Root;
}

function cellText(cell: TableCell): string {
  let out = '';
  visit(cell, (node) => {
    if (node.type === 'text' || node.type === 'inlineCode') out += (node as { value: string }).value;
  });
  return out;
}

describe('--format markdown', () => {
  it('reads as a pull-request summary: headline, models, expiring acceptances, diagnostics', () => {
    const r = check('invalid', ['--format', 'markdown']);
    expect(r.code).toBe(1);
    const md = r.stdout;
    expect(md.split('\n')[0]).toBe('## ❌ 6 errors in 2 files (1 model checked)');
    expect(md).toContain('6 errors · 6 warnings · fail_on **high** · evaluated on 2026-12-04');
    expect(md).toContain('### Models');
    expect(md).toContain('### Accepted risks expiring within 30 days');
    expect(md).toMatch(/\| <code>payments<\/code> \| <code>PAY-2<\/code> Replayed payment \| MEDIUM \| <code>&#64;bob<\/code> \| 2026-12-20 \(in 16 days\) \|/);
    expect(md).toContain('#### <code>threat-models/payments.md</code>');
    expect(md).toContain('[<code>unmitigated-threat</code>](https://threatmark.dev/docs/checks/#unmitigated-threat)');
  });

  it('every table row has the header’s cell count, and the only HTML is <code>, <br> and <sub>', () => {
    const md = check('invalid', ['--format', 'markdown']).stdout;
    const tree = parseMarkdown(md);
    const tables: Table[] = [];
    visit(tree, 'table', (t: Table) => {
      tables.push(t);
    });
    expect(tables.length).toBe(4);
    for (const table of tables) {
      const width = table.children[0]!.children.length;
      for (const row of table.children) expect(row.children.length).toBe(width);
    }
    visit(tree, 'html', (node: Html) => {
      expect(node.value).toMatch(/^<\/?(code|br|sub)>$/);
    });
    // Author text comes back as text, intact.
    const models = tables[0]!;
    expect(cellText(models.children[2]!.children[0]!)).toBe('Payments | <img src=x onerror=alert(1)> `tick` **bold**payments · draft');
    const diagnostics = tables.flatMap((t) => t.children.slice(1)).map((row) => row.children.map(cellText));
    expect(diagnostics).toContainEqual(['threat-models/payments.md:53:1', '❌ error', 'unknown-key', 'unknown key weird%,:key']);
    expect(diagnostics).toContainEqual(['threat-models/payments.md:52:16', '❌ error', 'acceptance-expired', 'the acceptance of PAY-4 by @carol expired on 2026-10-01 (64 days ago)']);
  });

  it('models are listed failing first, with status, counts and coverage', () => {
    const md = check('invalid', ['--format', 'markdown']).stdout;
    expect(md).toContain('| <code>threat-models/notes.md</code> | ❌ not a valid model | — | — | — | 1 | 0 |');
    expect(md).toMatch(/\| Payments .*<br><code>payments<\/code> · draft \| ❌ fails \| 4 \| 3 \| 23% \| 5 \| 6 \|/);
  });

  it('passing models: a green headline, no diagnostics section', () => {
    const md = check('valid', ['--format', 'markdown']).stdout;
    expect(md.split('\n')[0]).toBe('## ✅ 1 threat model passes the gate');
    expect(md).toContain('| Login page<br><code>login</code> · draft | ✅ passes | 6 | 1 | 100% | 0 | 0 |');
    expect(md).not.toContain('### Diagnostics');
    expect(md).not.toContain('### Accepted risks');
  });

  it('strict mode: warnings fail and the headline says why', () => {
    const md = check('warnings', ['--format', 'markdown', '--strict']).stdout;
    expect(md.split('\n')[0]).toBe('## ❌ 1 warning (strict mode) in 1 of 1 model');
  });

  it('is deterministic', () => {
    const cwd = fixture('invalid');
    const once = run(['check', '--format', 'markdown', '--today', TODAY], { cwd }).stdout;
    expect(run(['check', '--format', 'markdown', '--today', TODAY], { cwd }).stdout).toBe(once);
  });
});
