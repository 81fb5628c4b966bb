// STRIDE-per-element and LINDDUN coverage: which targets and categories apply,
// out-of-scope elements, log stores, exclusions, and the coverage diagnostics.
import { describe, expect, it } from 'vitest';
import type { CoverageRow } from '../../src/core/types.ts';
import { brief, check, model } from './helpers.ts';

const cells = (row: CoverageRow) => row.cells.map((c) => `${c.category}:${c.state}`).join(' ');
const table = (rows: CoverageRow[]) => Object.fromEntries(rows.map((r) => [r.target, cells(r)]));

describe('STRIDE-per-element', () => {
  const text = model(
    'status: draft',
    'elements:',
    '  user: { type: external, title: User }',
    '  api: { type: process, title: API }',
    '  db: { type: store, kind: sql, title: DB }',
    '  audit: { type: store, kind: log, title: Audit log }',
    '  legacy: { type: process, title: Legacy, out_of_scope: Retired. }',
    '  partner: { type: external, title: Partner, out_of_scope: Theirs. }',
    '  blank: { type: process, title: Blank reason, out_of_scope: "" }',
    'flows:',
    '  call: { from: user, to: api, title: Call }',
    '  write: { from: api, to: audit, title: Write }',
    '  sync: { from: legacy, to: partner, title: Both ends out of scope }',
    '  feed: { from: legacy, to: api, title: One end out of scope }',
    'threats:',
    '  T-1: { title: t, category: [spoofing, repudiation], targets: [user, user], likelihood: low, impact: low, status: open }',
    '  T-2: { title: t, category: tampering, targets: [db, call], likelihood: low, impact: low, status: not-applicable }',
    'not_applicable:',
    '  - { targets: [db, audit], categories: [information-disclosure], reason: Public data. }',
  );

  it('rows for in-scope elements and flows only, with the categories of their type', () => {
    const { model: resolved } = check(text);
    expect(table(resolved.coverage.rows)).toEqual({
      user: 'spoofing:covered repudiation:covered',
      api: 'spoofing:gap tampering:gap repudiation:gap information-disclosure:gap denial-of-service:gap elevation-of-privilege:gap',
      db: 'tampering:covered information-disclosure:excluded denial-of-service:gap',
      audit: 'tampering:gap repudiation:gap information-disclosure:excluded denial-of-service:gap',
      // An empty out_of_scope reason is no reason: the element stays in scope (and the schema reports the empty text).
      blank: 'spoofing:gap tampering:gap repudiation:gap information-disclosure:gap denial-of-service:gap elevation-of-privilege:gap',
      call: 'tampering:covered information-disclosure:gap denial-of-service:gap',
      write: 'tampering:gap information-disclosure:gap denial-of-service:gap',
      feed: 'tampering:gap information-disclosure:gap denial-of-service:gap',
    });
    expect(resolved.flows.find((f) => f.id === 'sync')!.outOfScope).toBe('both ends are out of scope (legacy, partner)');
  });

  it('counts answered cells; a threat listing a target twice counts once; any status answers', () => {
    const { model: resolved } = check(text);
    const { answered, total, percent } = resolved.coverage;
    expect([answered, total, percent]).toEqual([6, 30, 20]);
    expect(resolved.coverage.rows[0]!.cells[0]!.threats).toEqual(['T-1']);
  });

  it('reports one warning per target in a draft, at the entry key, naming the gaps in order', () => {
    const { diagnostics } = check(text);
    expect(diagnostics.filter((d) => d.rule === 'stride-coverage').map(brief)).toEqual([
      '8:3 warning stride-coverage process `api` has no threat or exclusion for spoofing, tampering, repudiation, information disclosure, denial of service, elevation of privilege (STRIDE-per-element)',
      '9:3 warning stride-coverage store `db` has no threat or exclusion for denial of service (STRIDE-per-element)',
      '10:3 warning stride-coverage store `audit` has no threat or exclusion for tampering, repudiation, denial of service (STRIDE-per-element)',
      '13:3 warning stride-coverage process `blank` has no threat or exclusion for spoofing, tampering, repudiation, information disclosure, denial of service, elevation of privilege (STRIDE-per-element)',
      '15:3 warning stride-coverage flow `call` has no threat or exclusion for information disclosure, denial of service (STRIDE-per-element)',
      '16:3 warning stride-coverage flow `write` has no threat or exclusion for tampering, information disclosure, denial of service (STRIDE-per-element)',
      '18:3 warning stride-coverage flow `feed` has no threat or exclusion for tampering, information disclosure, denial of service (STRIDE-per-element)',
    ]);
  });

  it('gaps are errors in an approved model', () => {
    const { diagnostics } = check(text.replace('status: draft', 'status: approved\nreviewed: 2026-11-01'));
    const severities = new Set(diagnostics.filter((d) => d.rule === 'stride-coverage').map((d) => d.severity));
    expect([...severities]).toEqual(['error']);
  });

  it('an empty model section gives 100 %', () => {
    const { model: resolved } = check(model('status: draft', 'elements:', '  old: { type: process, title: Old, out_of_scope: Retired. }'));
    expect(resolved.coverage).toEqual({ rows: [], answered: 0, total: 0, percent: 100 });
  });

  it('an element whose type is invalid is not analysed as a process', () => {
    const { diagnostics } = check(model('status: draft', 'elements:', '  user: { type: externl, title: User }', 'not_applicable:', '  - { targets: [user], categories: [spoofing, repudiation], reason: r }'));
    expect(diagnostics.map(brief)).toEqual(['7:17 error invalid-value `elements.user.type` must be one of external, process, store; found `externl`; did you mean `external`?']);
  });
});

describe('LINDDUN', () => {
  const text = (methodologies: string) =>
    model(
      'status: draft',
      `methodologies: ${methodologies}`,
      'data:',
      '  email: { title: Email, personal: true }',
      '  stats: { title: Stats }',
      'elements:',
      '  user: { type: external, title: User, data: [email] }',
      '  api: { type: process, title: API, data: [stats, email] }',
      '  metrics: { type: store, title: Metrics, data: [stats] }',
      '  old: { type: store, title: Old, data: [email], out_of_scope: Retired. }',
      'flows:',
      '  signup: { from: user, to: api, title: Sign-up, data: [email] }',
      '  count: { from: api, to: metrics, title: Count, data: [stats] }',
      'threats:',
      '  P-1: { title: p, category: [linking, unawareness], targets: [user, api], likelihood: low, impact: low, status: open }',
    );

  it('applies to in-scope targets with personal data, with the categories of their type', () => {
    const { model: resolved } = check(text('[linddun]'));
    expect(table(resolved.coverage.rows)).toEqual({
      user: 'linking:covered identifying:gap unawareness:covered',
      api: 'linking:covered identifying:gap non-repudiation:gap detecting:gap data-disclosure:gap non-compliance:gap',
      metrics: '',
      signup: 'linking:gap identifying:gap non-repudiation:gap detecting:gap data-disclosure:gap non-compliance:gap',
      count: '',
    });
    expect(resolved.elements.map((e) => `${e.id}:${e.personal}`)).toEqual(['user:true', 'api:true', 'metrics:false', 'old:true']);
  });

  it('with both methodologies, STRIDE categories come first', () => {
    const { model: resolved } = check(text('[stride, linddun]'));
    expect(cells(resolved.coverage.rows.find((r) => r.target === 'user')!)).toBe('spoofing:gap repudiation:gap linking:covered identifying:gap unawareness:covered');
  });

  it('personal data without linddun: one warning, at `methodologies`', () => {
    const { diagnostics } = check(text('[stride]'));
    expect(diagnostics.filter((d) => d.rule.startsWith('linddun')).map(brief)).toEqual(['6:1 warning linddun-not-enabled data asset `email` is personal, but `linddun` is not among the methodologies']);
  });
});
