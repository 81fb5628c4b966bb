// Every built-in rule has a firing and a non-firing fixture, run through the
// real parser and checker. The table is built from BUILTIN_RULES, so a rule
// without both fixtures (or a fixture without a rule) fails here.
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { LINDDUN, STRIDE } from '../../src/core/methodology.ts';
import { classifyRef } from '../../src/core/refs.ts';
import { loadCustomRules } from '../../src/core/rules/custom.ts';
import { BUILTIN_RULES } from '../../src/core/rules/index.ts';
import { LEVELS, RULE_TARGETS } from '../../src/core/rules/types.ts';
import { CATEGORIES, RULE_ID_PATTERN } from '../../src/core/schema.ts';
import { checkFixture, FIXTURES } from './helpers.ts';

const BUILTIN = join(FIXTURES, 'builtin');
const MODULES = new URL('../../src/core/rules/builtin/', import.meta.url);

describe('the catalogue', () => {
  it('has at least 40 rules with unique kebab-case ids, one module per rule named after its id', () => {
    expect(BUILTIN_RULES.length).toBeGreaterThanOrEqual(40);
    const ids = BUILTIN_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(RULE_ID_PATTERN);
    const modules = readdirSync(MODULES).filter((f) => f.endsWith('.ts')).map((f) => f.replace(/\.ts$/, ''));
    expect(modules.sort()).toEqual([...ids].sort());
  });

  it('covers all six STRIDE categories (repudiation included) and every LINDDUN category', () => {
    const used = new Set(BUILTIN_RULES.flatMap((r) => r.categories));
    for (const c of [...STRIDE, ...LINDDUN]) expect(used, c).toContain(c);
  });

  it('has rules for AI systems citing MITRE ATLAS, and rules that use trust boundaries', () => {
    const atlas = BUILTIN_RULES.filter((r) => r.refs.some((ref) => classifyRef(ref).kind === 'atlas'));
    expect(atlas.length).toBeGreaterThanOrEqual(6);
    const uses = (attr: string) => BUILTIN_RULES.filter((r) => JSON.stringify(r.condition).includes(`"${attr}"`)).map((r) => r.id);
    expect(uses('crosses_boundary').length).toBeGreaterThanOrEqual(5);
    expect(uses('from_less_trusted').length).toBeGreaterThanOrEqual(5);
    expect(uses('ai').length).toBeGreaterThanOrEqual(7);
  });

  it.each(BUILTIN_RULES.map((r) => [r.id, r] as const))('%s: metadata is complete and references are valid', (_, rule) => {
    expect(rule.title.length).toBeGreaterThan(5);
    expect(rule.when.length).toBeGreaterThan(10);
    expect(rule.explanation.length).toBeGreaterThan(40);
    expect(rule.mitigations.length).toBeGreaterThan(0);
    expect(rule.refs.length).toBeGreaterThan(0);
    for (const ref of rule.refs) expect(classifyRef(ref).kind, ref).not.toBe('unknown');
    for (const c of rule.categories) expect(CATEGORIES).toContain(c);
    for (const t of rule.appliesTo) expect(RULE_TARGETS).toContain(t);
    expect(LEVELS).toContain(rule.likelihood);
    expect(LEVELS).toContain(rule.impact);
    expect(rule.source).toBe('builtin');
  });

  it('every built-in rule is expressible in the custom-rule file format: written out as YAML, the loader accepts all of them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'threatmark-rules-'));
    const rules = BUILTIN_RULES.map((r) => ({
      id: `x-${r.id}`,
      title: r.title,
      categories: r.categories,
      applies_to: r.appliesTo,
      when: r.when,
      condition: r.condition,
      likelihood: r.likelihood,
      impact: r.impact,
      explanation: r.explanation,
      mitigations: r.mitigations,
      refs: r.refs,
    }));
    writeFileSync(join(dir, 'all.yaml'), stringify({ rules }));
    const loaded = await loadCustomRules(dir, ['*.yaml'], (p) => p, []);
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.rules.map((r) => r.condition)).toEqual(BUILTIN_RULES.map((r) => r.condition));
  });
});

describe('fixtures', () => {
  it('every fixture folder belongs to a rule', () => {
    const ids = new Set(BUILTIN_RULES.map((r) => r.id));
    for (const folder of readdirSync(BUILTIN)) expect(ids, `fixture folder ${folder}`).toContain(folder);
  });

  describe.each(BUILTIN_RULES.map((r) => [r.id] as const))('%s', (id) => {
    it('has a firing and a non-firing fixture', () => {
      expect(existsSync(join(BUILTIN, id, 'fires.md')), `${id}/fires.md`).toBe(true);
      expect(existsSync(join(BUILTIN, id, 'quiet.md')), `${id}/quiet.md`).toBe(true);
    });

    it('fires on its target in fires.md, which is otherwise a valid model', () => {
      const { model, diagnostics, text } = checkFixture(`builtin/${id}/fires.md`);
      const expected = [...text.matchAll(/^# expect: (\S+)$/gm)].map((m) => m[1]!);
      expect(expected.length, 'fires.md names the finding it expects with `# expect: rule@target`').toBeGreaterThan(0);
      const found = model.findings.filter((f) => f.rule === id).map((f) => f.id);
      expect(found).toEqual(expected);
      expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      // The unanswered finding is reported at the target's definition.
      const finding = model.findings.find((f) => f.id === expected[0])!;
      const diagnostic = diagnostics.find((d) => d.rule === 'unanswered-finding' && d.subject === finding.id)!;
      expect(diagnostic.severity).toBe('warning');
      const line = text.split('\n')[diagnostic.line - 1]!;
      expect(line.slice(diagnostic.column - 1)).toMatch(new RegExp(`^${finding.target.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:`));
    });

    it('does not fire in quiet.md, where the deciding fact is stated the other way', () => {
      const { model, diagnostics } = checkFixture(`builtin/${id}/quiet.md`);
      expect(model.findings.filter((f) => f.rule === id)).toEqual([]);
      expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(readFileSync(join(BUILTIN, id, 'quiet.md'), 'utf8')).toContain(`# expect-none: ${id}`);
    });
  });
});
