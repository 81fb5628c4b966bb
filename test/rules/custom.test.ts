// Custom rules: YAML and JSON files found through `custom_rules:`, validated
// with positioned diagnostics, used by the checker and listed by the CLI.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkProject } from '../../src/core/project.ts';
import { cli, FIXTURES, TODAY } from './helpers.ts';

const project = (name: string) => checkProject({ cwd: join(FIXTURES, 'custom', name), today: TODAY });
const line = (d: { file: string; line: number; column: number; endLine: number; endColumn: number; severity: string; rule: string; message: string }) =>
  `${d.file}:${d.line}:${d.column}-${d.endLine}:${d.endColumn} ${d.severity} ${d.rule} ${d.message}`;

describe('valid custom rules', () => {
  it('YAML and JSON rule files are loaded and their findings are checked like built-in ones', async () => {
    const result = await project('valid');
    expect(result.config.customRuleDefinitions.map((r) => [r.id, r.source])).toEqual([
      ['pci-store-unencrypted', { file: 'rules/pci.json', line: 3 }],
      ['plaintext-redis', { file: 'rules/team.yaml', line: 3 }],
    ]);
    const [model] = result.models;
    expect(model!.findings.map((f) => [f.id, f.unknowns])).toEqual([
      ['pci-store-unencrypted@cards', ['elements.cards.encrypted']],
      ['plaintext-redis@session', ['flows.session.encrypted']],
    ]);
    // `rules: {pci-store-unencrypted: error}` raises it in a draft; `store-without-backup: off` silences `cards`.
    expect(result.diagnostics.filter((d) => d.rule === 'unanswered-finding').map((d) => [d.subject, d.severity, `${d.line}:${d.column}`])).toEqual([
      ['pci-store-unencrypted@cards', 'error', '12:3'],
      ['plaintext-redis@session', 'warning', '14:3'],
    ]);
    expect(result.diagnostics.filter((d) => d.rule === 'custom-rule-invalid' || d.rule === 'config-invalid')).toEqual([]);
  });

  it('`threatmark rules` lists custom rules and explains them, condition included', async () => {
    const config = join(FIXTURES, 'custom/valid/threatmark.config.yaml');
    const list = await cli(['rules', '--config', config]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^plaintext-redis +I T +Redis traffic without TLS \(custom\)$/m);
    expect(list.stdout).toMatch(/^pci-store-unencrypted +I +Cardholder-data store without encryption at rest \(custom, unanswered: error\)$/m);
    expect(list.stdout).toMatch(/^store-without-backup +D T +Durable store without a backup \(off\)$/m);
    const one = await cli(['rules', 'plaintext-redis', '--config', config]);
    expect(one.stdout).toMatch(/^Source: +(.*\/)?rules\/team\.yaml:3$/m);
    expect(one.stdout).toContain('matches: \\bredis\\b');
  });
});

describe('invalid custom rules', () => {
  it('every problem is a positioned diagnostic in the rule file, and broken rules are not used', async () => {
    const result = await project('invalid');
    const relevant = result.diagnostics.filter((d) => d.rule !== 'stride-coverage').map(line);
    expect(relevant).toEqual([
      'rules/bad.yaml:2:9-2:25 error custom-rule-invalid rule id `prompt-injection` is a built-in rule; custom rules cannot replace built-in ones (turn it off in `rules:` and give yours another id)',
      expect.stringMatching(/^rules\/bad\.yaml:6:29-6:41 error custom-rule-invalid `authenticate` is not an attribute of an element; did you mean `authenticates`\?; known: id, type, /),
      'rules/bad.yaml:16:11-16:15 error custom-rule-invalid `from` reads the source of a flow, so it only works where the subject is a flow (in a rule for flows, or inside `inbound`/`outbound`)',
      'rules/bad.yaml:18:19-18:23 error custom-rule-invalid `kind` is one of sql, nosql, object, file, cache, queue, secrets, log, search; found `sqll`; did you mean `sql`?',
      'rules/bad.yaml:19:39-19:46 error custom-rule-invalid `([a-z` is not a valid regular expression',
      'rules/bad.yaml:23:12-23:18 error custom-rule-invalid `CWE287` is not a CWE, CAPEC, ATT&CK, ATLAS, OWASP Top 10 or ASVS id, nor an http(s) URL; did you mean `CWE-287`?',
      'rules/bad.yaml:24:9-24:22 error invalid-id `rules[2].id`: rule ids are kebab-case: lower-case letters, digits and "-" (found text `Mixed-Targets`)',
      'rules/bad.yaml:27:17-27:30 error custom-rule-invalid `applies_to` mixes flows and elements; a condition is written either for flows or for elements, so make two rules',
      'rules/bad.yaml:28:16-28:36 error custom-rule-invalid a condition has exactly one operator; this one has `any`, `all` (combine them with `all:` or `any:`)',
      'rules/bad.yaml:29:17-29:24 error invalid-value `rules[2].likelihood` must be one of low, medium, high; found `extreme`',
      'rules/bad.yaml:32:5-32:13 error unknown-key unknown key `severity` in `rules[2]`',
      'threatmark.config.yaml:3:5-3:20 warning custom-rule-invalid custom_rules[1]: no file matches `policies/*.yaml`',
      'threatmark.config.yaml:5:3-5:15 error config-invalid rules.no-such-rule: there is no rule with this id',
    ]);
    expect(result.config.customRuleDefinitions).toEqual([]);
    expect(result.ok).toBe(false);
  });
});
