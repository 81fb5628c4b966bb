// `threatmark suggest`: the stubs it prints are valid format v1, and pasting
// them into the model answers every finding they were printed for.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_RULES } from '../../src/core/rules/index.ts';
import { insertStubs, threatStubs, yamlScalar } from '../../src/core/rules/stub.ts';
import { DEFAULT_RISK_SCALE } from '../../src/core/risk.ts';
import { byRule, checkFixture, checkModelText, cli, FIXTURES, REPO, SCHEMA_RULES } from './helpers.ts';

/** Pastes the CLI output as a user would: into the frontmatter, under `threats:` when the model has one. */
function paste(text: string, output: string): string {
  const lines = text.split('\n');
  const close = lines.findIndex((l, i) => i > 0 && l === '---');
  if (output.split('\n').includes('threats:')) {
    lines.splice(close, 0, ...output.trimEnd().split('\n'));
  } else {
    const at = lines.findIndex((l, i) => i < close && l === 'threats:');
    lines.splice(at + 1, 0, ...output.trimEnd().split('\n'));
  }
  return lines.join('\n');
}

const fixtures = readdirSync(join(FIXTURES, 'builtin')).map((rule) => `test/fixtures/rules/builtin/${rule}/fires.md`);
const bundled = readdirSync(join(REPO, 'threat-models'))
  .filter((f) => f.endsWith('.md'))
  .map((f) => `threat-models/${f}`);

describe('stubs round-trip through the checker', () => {
  it.each([...fixtures, ...bundled, 'test/fixtures/rules/comparison/profile-upload.md', 'test/fixtures/rules/comparison/pytm-sample.md'])('%s', async (path) => {
    const text = readFileSync(join(REPO, path), 'utf8');
    const before = checkModelText(text, {}, path);
    const unanswered = before.model.findings.filter((f) => !f.answer);
    const result = await cli(['suggest', path]);
    expect(result.code).toBe(0);
    if (unanswered.length === 0) {
      expect(result.stdout).toContain('every finding is answered');
      return;
    }
    expect(result.stdout).toContain(`${unanswered.length} unanswered finding`);
    const after = checkModelText(paste(text, result.stdout), {}, path);
    expect(byRule(after.diagnostics, 'unanswered-finding')).toEqual([]);
    expect(after.diagnostics.filter((d) => SCHEMA_RULES.includes(d.rule) || d.rule === 'stale-finding-answer')).toEqual([]);
    for (const finding of unanswered) {
      const answered = after.model.findings.find((f) => f.id === finding.id)!;
      expect(answered.answer).toEqual({ kind: 'threat', threat: `${finding.rule}.${finding.target}` });
      const threat = after.model.threats.find((t) => t.id === `${finding.rule}.${finding.target}`)!;
      expect(threat).toMatchObject({ rule: finding.rule, targets: [finding.target], status: 'open', likelihood: finding.likelihood, impact: finding.impact });
      expect(threat.refs.map((r) => r.id)).toEqual(BUILTIN_RULES.find((r) => r.id === finding.rule)!.refs);
    }
  });
});

describe('stubs', () => {
  it('carry title, categories of the methodologies in use, target, rule, rating, status, the finding as description, refs and the mitigations as comments', () => {
    const { model } = checkFixture('builtin/unencrypted-boundary-crossing/fires.md');
    const stub = threatStubs(model, BUILTIN_RULES, DEFAULT_RISK_SCALE).find((s) => s.finding.rule === 'unencrypted-boundary-crossing');
    expect(stub!.yaml.split('\n').slice(0, 8)).toEqual([
      '  unencrypted-boundary-crossing.send:',
      '    title: "Data crosses a trust boundary without encryption (send)"',
      '    category: [tampering, information-disclosure]',
      '    targets: [send]',
      '    rule: unencrypted-boundary-crossing',
      '    likelihood: medium',
      '    impact: high',
      '    status: open',
    ]);
    expect(stub!.yaml).toContain('    refs: [CWE-319, CAPEC-157, T1557, A04:2025]');
    expect(stub!.yaml).toContain('    #   - Use TLS 1.2+ (or mTLS between services) on the flow and state `encrypted: true`.');
  });

  it('only list categories of the methodologies the model uses', () => {
    const { model } = checkFixture('builtin/data-to-third-party/fires.md');
    expect(threatStubs(model, BUILTIN_RULES, DEFAULT_RISK_SCALE)[0]!.yaml).toContain('    category: information-disclosure\n');
  });

  it('get threat ids that do not collide with existing ones', () => {
    const { text } = checkFixture('builtin/store-without-backup/fires.md');
    const taken = text.replace('---\n\nFixture', 'threats:\n  store-without-backup.db: { title: Other, category: tampering, targets: [db], likelihood: low, impact: low, status: open }\n---\n\nFixture');
    const { model } = checkModelText(taken);
    expect(threatStubs(model, BUILTIN_RULES, DEFAULT_RISK_SCALE).map((s) => s.threatId)).toEqual(['store-without-backup.db-2']);
  });

  it('insertStubs adds a `threats:` block, or extends one, matching its indentation', () => {
    const { model, text } = checkFixture('builtin/store-without-backup/fires.md');
    const stubs = threatStubs(model, BUILTIN_RULES, DEFAULT_RISK_SCALE);
    const inserted = insertStubs(text, stubs)!;
    expect(byRule(checkModelText(inserted).diagnostics, 'unanswered-finding')).toEqual([]);
    const fourSpaces = text.replace('---\n\nFixture', 'threats:\n    T-1: { title: Other, category: spoofing, targets: [db], likelihood: low, impact: low, status: open }\n---\n\nFixture');
    const extended = insertStubs(fourSpaces, stubs)!;
    expect(extended).toContain('\n    store-without-backup.db:\n      title:');
    const checked = checkModelText(extended);
    expect(checked.diagnostics.filter((d) => SCHEMA_RULES.includes(d.rule))).toEqual([]);
    expect(byRule(checked.diagnostics, 'unanswered-finding')).toEqual([]);
    expect(insertStubs(text.replace('---\n\nFixture', 'threats: {}\n---\n\nFixture'), stubs)).toBeUndefined();
  });

  it('quote ids and values that YAML would read as something else', () => {
    expect(yamlScalar('api')).toBe('api');
    expect(yamlScalar('1.5')).toBe('"1.5"');
    expect(yamlScalar('true')).toBe('"true"');
    expect(yamlScalar('A04:2025')).toBe('A04:2025');
    expect(yamlScalar('a: b')).toBe('"a: b"');
  });
});

describe('the command', () => {
  it('prints a `threats:` block for a model without threats, and JSON on request', async () => {
    const path = 'test/fixtures/rules/builtin/store-without-backup/fires.md';
    const yaml = await cli(['suggest', path]);
    const lines = yaml.stdout.split('\n');
    expect(lines[0]).toMatch(/^# .*fires\.md \(model `store-without-backup-fires`\): 1 unanswered finding\.$/);
    expect(lines.slice(3, 5)).toEqual(['threats:', '  store-without-backup.db:']);
    const json = JSON.parse((await cli(['suggest', path, '--format', 'json'])).stdout) as { model: string; stubs: { threat: string; finding: { id: string } }[] }[];
    expect(json.map((m) => [m.model, m.stubs.map((s) => [s.threat, s.finding.id])])).toEqual([['store-without-backup-fires', [['store-without-backup.db', 'store-without-backup@db']]]]);
  });

  it('says so when every finding is answered, and fails on a file that is not a model', async () => {
    expect((await cli(['suggest', 'test/fixtures/rules/builtin/store-without-backup/quiet.md'])).stdout).toContain('every finding is answered');
    const broken = await cli(['suggest', 'test/fixtures/rules/README-not-a-model.txt']);
    expect(broken.code).toBe(1);
  });

  it('rejects unknown options', async () => {
    const r = await cli(['suggest', '--bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Unknown option '--bogus'");
  });
});

describe('threatmark rules', () => {
  it('lists every rule with its categories and title', async () => {
    const r = await cli(['rules']);
    expect(r.code).toBe(0);
    for (const rule of BUILTIN_RULES) expect(r.stdout).toMatch(new RegExp(`^${rule.id} +[A-Za-z ]+ +${rule.title.replace(/[()?]/g, '.')}$`, 'm'));
    expect(r.stdout).toContain(`${BUILTIN_RULES.length} rules.`);
  });

  it('explains one rule, its condition printed in the rules language', async () => {
    const r = await cli(['rules', 'unauthenticated-entry']);
    expect(r.stdout).toContain('unauthenticated-entry — Unauthenticated input from a less trusted zone');
    expect(r.stdout).toContain('Default:     likelihood medium × impact high → high');
    expect(r.stdout).toContain('    - attribute: from_less_trusted\n      equals: true');
    expect(r.stdout).toContain('  - CWE-306  https://cwe.mitre.org/data/definitions/306.html');
  });

  it('suggests the closest id for a typo, and prints JSON catalogue data', async () => {
    const typo = await cli(['rules', 'prompt-injektion']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('did you mean `prompt-injection`?');
    const json = JSON.parse((await cli(['rules', '--format', 'json'])).stdout) as { id: string }[];
    expect(json.map((r) => r.id)).toEqual(BUILTIN_RULES.map((r) => r.id));
    const attributes = await cli(['rules', '--attributes']);
    expect(attributes.stdout).toMatch(/^ {2}reachable_from_untrusted +derived: /m);
  });
});
