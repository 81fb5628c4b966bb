// The rules engine through the real checker: stable finding ids, unknown
// versus false, answers (threat, exclusion, stale, unknown rule), severities
// by model status, configuration (off, severity), methodologies, risk scale.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.ts';
import { byRule, checkFixture, checkModelText, edit, ids } from './helpers.ts';

const BASE = `---
threatmark: 1
id: shop
title: Shop
owner: "@shop-team"
status: draft
methodologies: [stride]
boundaries:
  internet: { title: Internet, trust: untrusted }
  internal: { title: Internal network }
elements:
  browser: { type: external, title: Browser, human: true, boundary: internet }
  api: { type: process, title: API, boundary: internal, parses: [json], validates_input: true, rate_limited: true, privileged: false, logs: true, authorizes: true }
  db: { type: store, kind: sql, title: Orders DB, boundary: internal, encrypted: true, backed_up: true }
flows:
  req: { from: browser, to: api, title: Request, protocol: HTTPS }
  write: { from: api, to: db, title: Write orders, protocol: PostgreSQL wire (TLS), authenticated: true }
---

Body.
`;

const withThreats = (text: string, yaml: string) => edit(text, '---\n\nBody.', `${yaml.trimEnd()}\n---\n\nBody.`);

describe('findings', () => {
  it('are derived from the facts, with ids rule-id@target-id, sorted', () => {
    expect(ids(checkModelText(BASE))).toEqual(['query-injection@api', 'unauthenticated-entry@req']);
  });

  it('fill ResolvedModel.findings for the site: rule, target, kind, categories, rating, message, unknowns', () => {
    const [query, entry] = checkModelText(BASE).model.findings;
    expect(query).toMatchObject({ rule: 'query-injection', target: 'api', targetKind: 'element', categories: ['tampering', 'information-disclosure'], likelihood: 'medium', impact: 'high', severity: 'high', unknowns: [] });
    expect(query!.message).toContain('flow `write` from `api` to `db`');
    expect(entry).toMatchObject({ targetKind: 'flow', severity: 'high' });
    expect(entry!.answer).toBeUndefined();
  });

  it('keep their ids when elements are reordered and unrelated elements and flows are added', () => {
    const before = checkModelText(BASE);
    const reordered = edit(
      edit(BASE, '  browser: { type: external, title: Browser, human: true, boundary: internet }\n', ''),
      '  db: { type: store',
      '  batch: { type: process, title: Batch, boundary: internal, parses: [], logs: true, privileged: false }\n  docs: { type: store, kind: object, title: Docs, boundary: internal, encrypted: true, backed_up: true }\n  browser: { type: external, title: Browser, human: true, boundary: internet }\n  db: { type: store',
    );
    const more = edit(reordered, '  req: {', '  archive: { from: batch, to: docs, title: Archive, protocol: HTTPS, authenticated: true }\n  req: {');
    const after = checkModelText(more);
    const original = new Set(['browser', 'api', 'db', 'req', 'write']);
    expect(ids(after).filter((id) => original.has(id.split('@')[1]!))).toEqual(ids(before));
    for (const id of ids(after)) expect(id).toMatch(/^[a-z0-9-]+@[A-Za-z0-9._-]+$/);
  });
});

describe('unknown is not false', () => {
  it('an absent fact is unknown: the rule fires and says which facts would settle it', () => {
    const finding = checkModelText(BASE).model.findings.find((f) => f.rule === 'unauthenticated-entry')!;
    expect(finding.unknowns).toEqual(['flows.req.authenticated', 'elements.api.authenticates']);
    expect(finding.message).toContain('Not settled: `flows.req.authenticated`, `elements.api.authenticates` are unknown; state them to settle this finding');
  });

  it('stating one fact as false leaves only the other unknown', () => {
    const text = edit(BASE, 'protocol: HTTPS }', 'protocol: HTTPS, authenticated: false }');
    expect(checkModelText(text).model.findings.find((f) => f.rule === 'unauthenticated-entry')!.unknowns).toEqual(['elements.api.authenticates']);
  });

  it('facts stated as false make a settled finding with no unknowns', () => {
    const text = edit(edit(BASE, 'protocol: HTTPS }', 'protocol: HTTPS, authenticated: false }'), 'boundary: internal, parses', 'boundary: internal, authenticates: false, parses');
    const finding = checkModelText(text).model.findings.find((f) => f.rule === 'unauthenticated-entry')!;
    expect(finding.unknowns).toEqual([]);
    expect(finding.message).not.toContain('Not settled');
  });

  it('a fact stated as true settles the finding away', () => {
    const text = edit(BASE, 'protocol: HTTPS }', 'protocol: HTTPS, authenticated: true }');
    expect(ids(checkModelText(text))).toEqual(['query-injection@api']);
  });

  it('a rule can assume a value for an unknown fact (if_unknown): an absent `parses` gives one finding asking for it, not one per parser rule', () => {
    const text = edit(BASE, 'parses: [json], ', '');
    const found = ids(checkModelText(text));
    expect(found).toContain('undeclared-parsers@api');
    for (const rule of ['xml-external-entities', 'unsafe-deserialization', 'malicious-file-upload', 'template-injection', 'unsafe-yaml-loading']) expect(found).not.toContain(`${rule}@api`);
  });

  it('the protocol settles `transport_encrypted` when `encrypted` is not stated, and only then', () => {
    const model = (protocol: string, extra = '') =>
      checkModelText(
        edit(BASE, '  req: { from: browser, to: api, title: Request, protocol: HTTPS }', `  req: { from: browser, to: api, title: Request, protocol: ${protocol}${extra}, authenticated: true }`),
      ).model.findings.find((f) => f.id === 'unencrypted-boundary-crossing@req');
    expect(model('HTTPS')).toBeUndefined();
    expect(model('HTTP/1.1')?.unknowns).toEqual([]);
    expect(model('AMQP')?.unknowns).toEqual(['flows.req.encrypted']);
    expect(model('SMTP / HTTPS')?.unknowns).toEqual(['flows.req.encrypted']);
    expect(model('HTTP/1.1', ', encrypted: true')).toBeUndefined();
  });
});

describe('answers', () => {
  const answered = withThreats(
    BASE,
    `threats:
  T-1:
    title: Spoofed requests
    category: spoofing
    targets: [req, api]
    rule: unauthenticated-entry
    likelihood: medium
    impact: high
    status: mitigated
    mitigations: [JWT verified at the API]
not_applicable:
  - targets: [api]
    rules: [query-injection]
    reason: Every query is built with the query builder; no string concatenation.
`,
  );

  it('a threat naming the rule and targeting the target answers a finding; so does an exclusion naming the rule', () => {
    const { model, diagnostics } = checkModelText(answered);
    expect(model.findings.map((f) => [f.id, f.answer])).toEqual([
      ['query-injection@api', { kind: 'not-applicable', reason: 'Every query is built with the query builder; no string concatenation.' }],
      ['unauthenticated-entry@req', { kind: 'threat', threat: 'T-1' }],
    ]);
    expect(byRule(diagnostics, 'unanswered-finding')).toEqual([]);
    expect(byRule(diagnostics, 'stale-finding-answer')).toEqual([]);
  });

  it("the answering threat's own status still goes through the gate", () => {
    const open = edit(edit(answered, 'status: mitigated', 'status: open'), '    mitigations: [JWT verified at the API]\n', '');
    const { diagnostics } = checkModelText(open);
    expect(byRule(diagnostics, 'unanswered-finding')).toEqual([]);
    expect(byRule(diagnostics, 'unmitigated-threat').map((d) => d.subject)).toEqual(['T-1']);
  });

  it('a threat whose rule fires on none of its targets is a stale answer, reported at its `rule`', () => {
    const text = edit(answered, 'targets: [req, api]', 'targets: [api]');
    const { diagnostics } = checkModelText(text);
    const [stale] = byRule(diagnostics, 'stale-finding-answer');
    expect(stale).toMatchObject({ severity: 'warning', line: 23, column: 11, subject: 'T-1' });
    expect(stale!.message).toBe('threat `T-1` answers rule `unauthenticated-entry`, but the rule does not fire on its target (`api`): the answer is stale');
    expect(byRule(diagnostics, 'unanswered-finding').map((d) => d.subject)).toEqual(['unauthenticated-entry@req']);
  });

  it('an exclusion naming a rule for a target where it does not fire is stale, reported at the rule', () => {
    const text = edit(answered, 'targets: [api]\n    rules: [query-injection]', 'targets: [api, db]\n    rules: [query-injection]');
    const [stale] = byRule(checkModelText(text).diagnostics, 'stale-finding-answer');
    expect(stale).toMatchObject({ severity: 'warning', line: 30, column: 13 });
    expect(stale!.message).toBe('rule `query-injection` does not fire on `db`, so this exclusion of it there excludes nothing');
  });

  it('an answer naming a rule that does not exist is an error with a suggestion', () => {
    const text = edit(answered, 'rule: unauthenticated-entry', 'rule: unauthenticated-entri');
    const [unknown] = byRule(checkModelText(text).diagnostics, 'unknown-rule');
    expect(unknown).toMatchObject({ severity: 'error', line: 23, column: 11 });
    expect(unknown!.message).toBe('threat `T-1` answers rule `unauthenticated-entri`, which does not exist; did you mean `unauthenticated-entry`?');
  });

  it('one threat answers the same rule on several targets', () => {
    const text = withThreats(
      edit(BASE, '  write: {', '  req2: { from: browser, to: api, title: Second entry, protocol: HTTPS }\n  write: {'),
      `threats:
  T-1:
    title: Spoofed requests
    category: spoofing
    targets: [req, req2]
    rule: unauthenticated-entry
    likelihood: low
    impact: high
    status: open
`,
    );
    const { model } = checkModelText(text);
    expect(model.findings.filter((f) => f.rule === 'unauthenticated-entry').map((f) => [f.id, f.answer?.kind])).toEqual([
      ['unauthenticated-entry@req', 'threat'],
      ['unauthenticated-entry@req2', 'threat'],
    ]);
  });
});

describe('severity of unanswered findings', () => {
  const approved = edit(BASE, 'status: draft', 'status: approved\nreviewed: 2026-11-20');

  it.each([
    ['draft', BASE, 'warning'],
    ['in-review', edit(BASE, 'status: draft', 'status: in-review'), 'warning'],
    ['approved', approved, 'error'],
  ])('%s models: %s', (_, text, severity) => {
    const diagnostics = byRule(checkModelText(text).diagnostics, 'unanswered-finding');
    expect(diagnostics.map((d) => [d.subject, d.severity])).toEqual([
      ['query-injection@api', severity],
      ['unauthenticated-entry@req', severity],
    ]);
  });

  it('diagnostics point at the target key in the frontmatter', () => {
    const diagnostics = byRule(checkModelText(BASE).diagnostics, 'unanswered-finding');
    expect(diagnostics.map((d) => `${d.line}:${d.column}-${d.endLine}:${d.endColumn}`)).toEqual(['13:3-13:6', '16:3-16:6']);
  });
});

describe('configuration', () => {
  it('`off` removes a rule: no finding, no diagnostic, and answers naming it are not stale', () => {
    const text = withThreats(BASE, `threats:\n  T-1: { title: X, category: spoofing, targets: [api], rule: unauthenticated-entry, likelihood: low, impact: low, status: open }\n`);
    const { model, diagnostics } = checkModelText(text, { rules: { 'unauthenticated-entry': 'off' } });
    expect(ids({ model, diagnostics })).toEqual(['query-injection@api']);
    expect(byRule(diagnostics, 'stale-finding-answer')).toEqual([]);
  });

  it('a configured severity replaces the default by status, either way', () => {
    const approved = edit(BASE, 'status: draft', 'status: approved\nreviewed: 2026-11-20');
    const relaxed = byRule(checkModelText(approved, { rules: { 'query-injection': 'info' } }).diagnostics, 'unanswered-finding');
    expect(relaxed.map((d) => [d.subject, d.severity])).toEqual([
      ['query-injection@api', 'info'],
      ['unauthenticated-entry@req', 'error'],
    ]);
    const strict = byRule(checkModelText(BASE, { rules: { 'unauthenticated-entry': 'error' } }).diagnostics, 'unanswered-finding');
    expect(strict.map((d) => [d.subject, d.severity])).toEqual([
      ['query-injection@api', 'warning'],
      ['unauthenticated-entry@req', 'error'],
    ]);
  });

  it('the configuration file is validated: a rule id that does not exist is a positioned error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'threatmark-config-'));
    writeFileSync(join(dir, 'threatmark.config.yaml'), 'rules:\n  prompt-injection: error\n  query-injektion: off\n');
    const { config, diagnostics } = await loadConfig(dir);
    expect(config.rules).toEqual({ 'prompt-injection': 'error', 'query-injektion': 'off' });
    expect(diagnostics.map((d) => `${d.line}:${d.column} ${d.severity} ${d.rule} ${d.message}`)).toEqual([
      '3:3 error config-invalid rules.query-injektion: there is no rule with this id; did you mean `query-injection`?',
    ]);
  });

  it('ratings follow a configured risk scale: low, medium and high map onto its ends and middle', () => {
    const risk = {
      likelihood: ['rare', 'unlikely', 'likely', 'certain'],
      impact: ['minor', 'moderate', 'major', 'severe'],
      matrix: Object.fromEntries(['rare', 'unlikely', 'likely', 'certain'].map((l) => [l, Object.fromEntries(['minor', 'moderate', 'major', 'severe'].map((i) => [i, l === 'certain' && i === 'severe' ? 'critical' : 'medium']))])) as Record<string, Record<string, 'medium' | 'critical'>>,
    };
    const finding = checkModelText(BASE, { risk }).model.findings.find((f) => f.rule === 'query-injection')!;
    expect([finding.likelihood, finding.impact, finding.severity]).toEqual(['unlikely', 'severe', 'medium']);
  });
});

describe('methodologies', () => {
  it('LINDDUN rules apply only when the model uses LINDDUN; an answer naming one elsewhere is stale and says why', () => {
    const { text } = checkFixture('builtin/personal-data-retention/fires.md');
    const strideOnly = edit(text, 'methodologies: [stride, linddun]', 'methodologies: [stride]');
    const withAnswer = edit(strideOnly, '---\n\nFixture', 'not_applicable:\n  - { targets: [db], rules: [personal-data-retention], reason: Kept for the statutory period only. }\n---\n\nFixture');
    const { model, diagnostics } = checkModelText(withAnswer);
    expect(model.findings.filter((f) => f.rule === 'personal-data-retention')).toEqual([]);
    expect(byRule(diagnostics, 'stale-finding-answer')[0]!.message).toBe(
      'rule `personal-data-retention` does not fire on `db` (it applies only to models whose methodologies include linddun), so this exclusion of it there excludes nothing',
    );
  });
});
