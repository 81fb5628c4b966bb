// Risk rating on the default and a custom scale; acceptance and review states
// around their boundaries; the treatment and review messages.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allRules } from '../../src/core/checks/index.ts';
import { loadConfig } from '../../src/core/config.ts';
import { addDays, daysBetween } from '../../src/core/dates.ts';
import { acceptanceStateOf, isMitigated } from '../../src/core/resolve.ts';
import { atLeast, DEFAULT_RISK_SCALE, rate, severityRank } from '../../src/core/risk.ts';
import type { Acceptance, ResolvedThreat } from '../../src/core/types.ts';
import { brief, check, config, model, TODAY } from './helpers.ts';

describe('risk rating, default 3×3 (OWASP)', () => {
  it.each([
    ['low', 'low', 1, 'note'],
    ['low', 'medium', 2, 'low'],
    ['medium', 'low', 2, 'low'],
    ['low', 'high', 3, 'medium'],
    ['high', 'low', 3, 'medium'],
    ['medium', 'medium', 4, 'medium'],
    ['medium', 'high', 6, 'high'],
    ['high', 'medium', 6, 'high'],
    ['high', 'high', 9, 'critical'],
  ])('likelihood %s × impact %s = %i, %s', (likelihood, impact, score, severity) => {
    expect(rate(DEFAULT_RISK_SCALE, likelihood, impact)).toEqual({ likelihood, impact, score, severity });
  });

  it('does not rate unknown labels, other types, or a missing side', () => {
    expect(rate(DEFAULT_RISK_SCALE, 'hihg', 'high')).toBeUndefined();
    expect(rate(DEFAULT_RISK_SCALE, 'high', undefined)).toBeUndefined();
    expect(rate(DEFAULT_RISK_SCALE, 3, 3)).toBeUndefined();
    expect(rate(DEFAULT_RISK_SCALE, 'constructor', 'toString')).toBeUndefined();
  });

  it('orders severities and compares them with fail_on', () => {
    expect(['note', 'low', 'medium', 'high', 'critical'].map((s) => severityRank(s as never))).toEqual([0, 1, 2, 3, 4]);
    expect(atLeast('high', 'high')).toBe(true);
    expect(atLeast('critical', 'high')).toBe(true);
    expect(atLeast('medium', 'high')).toBe(false);
    expect(atLeast(undefined, 'note')).toBe(false);
  });
});

describe('risk rating with a custom 4×4 scale from the configuration', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'threatmark-risk-'));
    await writeFile(
      join(dir, 'threatmark.config.yaml'),
      [
        'fail_on: medium',
        'risk:',
        '  likelihood: [rare, unlikely, likely, certain]',
        '  impact: [minor, moderate, major, severe]',
        '  matrix:',
        '    rare: { minor: note, moderate: note, major: low, severe: medium }',
        '    unlikely: { minor: note, moderate: low, major: medium, severe: high }',
        '    likely: { minor: low, moderate: medium, major: high, severe: critical }',
        '    certain: { minor: medium, moderate: high, major: critical, severe: critical }',
      ].join('\n'),
    );
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads without diagnostics and rates every cell from the matrix, score = weight × weight', async () => {
    const { config: loaded, diagnostics } = await loadConfig(dir, undefined, allRules().map((r) => r.id));
    expect(diagnostics).toEqual([]);
    expect(loaded.failOn).toBe('medium');
    const scale = loaded.risk;
    expect(scale.likelihood).toEqual(['rare', 'unlikely', 'likely', 'certain']);
    const table = scale.likelihood.map((l) => scale.impact.map((i) => `${rate(scale, l, i)!.score}:${rate(scale, l, i)!.severity}`).join(' '));
    expect(table).toEqual([
      '1:note 2:note 3:low 4:medium',
      '2:note 4:low 6:medium 8:high',
      '3:low 6:medium 9:high 12:critical',
      '4:medium 8:high 12:critical 16:critical',
    ]);
    expect(rate(scale, 'high', 'high')).toBeUndefined();
  });

  it('threats use the scale: severities, the gate at fail_on medium, and the labels in messages', async () => {
    const { config: loaded } = await loadConfig(dir);
    const text = model(
      'status: draft',
      'elements:',
      '  user: { type: external, title: User }',
      'threats:',
      '  R-1: { title: a, category: spoofing, targets: [user], likelihood: certain, impact: severe, status: open }',
      '  R-2: { title: b, category: repudiation, targets: [user], likelihood: unlikely, impact: major, status: open }',
      '  R-3: { title: c, category: spoofing, targets: [user], likelihood: rare, impact: major, status: open }',
      '  R-4: { title: d, category: spoofing, targets: [user], likelihood: medium, impact: high, status: open }',
    );
    const { model: resolved, diagnostics } = check(text, { config: loaded });
    expect(resolved.threats.map((t) => `${t.id} ${t.score ?? '-'} ${t.severity ?? '-'}`)).toEqual(['R-1 16 critical', 'R-2 6 medium', 'R-3 3 low', 'R-4 - -']);
    expect(diagnostics.filter((d) => d.rule === 'unmitigated-threat').map((d) => d.message)).toEqual([
      'threat `R-1` is open with severity CRITICAL (likelihood certain × impact severe), at or above fail_on medium: fix before release, or accept or transfer the risk',
      'threat `R-2` is open with severity MEDIUM (likelihood unlikely × impact major), at or above fail_on medium: fix before release, or accept or transfer the risk',
    ]);
    expect(diagnostics.filter((d) => d.rule === 'invalid-value').map((d) => d.message)).toEqual([
      '`threats.R-4.likelihood` must be one of rare, unlikely, likely, certain; found `medium`',
      '`threats.R-4.impact` must be one of minor, moderate, major, severe; found `high`',
    ]);
    expect(resolved.summaryCounts.bySeverity).toMatchObject({ critical: 1, medium: 1, low: 1 });
  });
});

describe('acceptance states around the boundaries', () => {
  const ctx = (today = TODAY, overrides = {}) => ({ today, config: config(overrides) });
  const full = (expires: string, accepted?: string): Acceptance => ({ owner: '@a', rationale: 'r', expires, ...(accepted ? { accepted } : {}) });

  it.each([
    ['expires today: still valid (expiring, not expired)', full(TODAY, '2026-06-01'), 'expiring'],
    ['expired yesterday', full('2026-12-03', '2026-06-01'), 'expired'],
    ['expires in exactly 30 days: expiring', full(addDays(TODAY, 30), '2026-06-01'), 'expiring'],
    ['expires in 31 days: valid', full(addDays(TODAY, 31), '2026-06-01'), 'valid'],
    ['runs exactly 365 days: fine', full(addDays('2026-12-01', 365), '2026-12-01'), 'valid'],
    ['runs 366 days: too long', full(addDays('2026-12-01', 366), '2026-12-01'), 'too-long'],
    ['no accepted date: counted from today (365 ok)', full(addDays(TODAY, 365)), 'valid'],
    ['no accepted date: counted from today (366 too long)', full(addDays(TODAY, 366)), 'too-long'],
    ['expired and too long: expired wins', full('2026-01-01', '2024-01-01'), 'expired'],
    ['no owner', { rationale: 'r', expires: '2027-06-01' }, 'incomplete'],
    ['no rationale', { owner: 'o', expires: '2027-06-01' }, 'incomplete'],
    ['no expiry', { owner: 'o', rationale: 'r' }, 'incomplete'],
  ] as [string, Acceptance, string][])('%s', (_name, acceptance, state) => {
    expect(acceptanceStateOf(acceptance, ctx())).toBe(state);
  });

  it('follows the configured maximum and warning window', () => {
    const strict = ctx(TODAY, { maxAcceptanceDays: 90, expiryWarningDays: 10 });
    expect(acceptanceStateOf(full(addDays('2026-12-01', 90), '2026-12-01'), strict)).toBe('valid');
    expect(acceptanceStateOf(full(addDays('2026-12-01', 91), '2026-12-01'), strict)).toBe('too-long');
    expect(acceptanceStateOf(full(addDays(TODAY, 10), '2026-12-01'), strict)).toBe('expiring');
    expect(acceptanceStateOf(full(addDays(TODAY, 11), '2026-12-01'), strict)).toBe('valid');
  });

  it('dates are whole UTC days, also across a leap day', () => {
    expect(daysBetween('2028-02-28', '2028-03-01')).toBe(2);
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(daysBetween('2026-12-04', '2026-12-03')).toBe(-1);
  });

  it('isMitigated: what owes no action before release', () => {
    const t = (threat: Partial<ResolvedThreat>) => isMitigated({ status: 'open', mitigations: [], ...threat } as ResolvedThreat);
    expect(t({ status: 'open' })).toBe(false);
    expect(t({ status: 'planned', mitigations: [{ title: 'm' }] })).toBe(false);
    expect(t({ status: 'mitigated', mitigations: [] })).toBe(false);
    expect(t({ status: 'mitigated', mitigations: [{ title: 'm' }] })).toBe(true);
    expect(t({ status: 'not-applicable' })).toBe(true);
    expect(t({ status: 'transferred', transfer: { to: 'x' } })).toBe(false);
    expect(t({ status: 'transferred', transfer: { to: 'x', rationale: 'y' } })).toBe(true);
    for (const state of ['valid', 'expiring'] as const) expect(t({ status: 'accepted', acceptanceState: state })).toBe(true);
    for (const state of ['expired', 'too-long', 'incomplete'] as const) expect(t({ status: 'accepted', acceptanceState: state })).toBe(false);
  });
});

describe('acceptance and treatment diagnostics', () => {
  const threat = (acceptance: string) =>
    model(
      'status: draft',
      'elements:',
      '  user: { type: external, title: User }',
      'threats:',
      '  A-1:',
      '    title: Accepted',
      '    category: [spoofing, repudiation]',
      '    targets: [user]',
      '    likelihood: high',
      '    impact: high',
      '    status: accepted',
      `    acceptance: ${acceptance}`,
    );

  it('an acceptance that expires today is in force: no diagnostic but the expiry warning, and no gate error', () => {
    const { model: resolved, diagnostics } = check(threat(`{ owner: "@a", rationale: r, accepted: 2026-06-01, expires: ${TODAY} }`));
    expect(diagnostics.map(brief)).toEqual(['16:77 warning acceptance-expiring the acceptance of `A-1` expires on 2026-12-04 (in 0 days)']);
    expect(resolved.threats[0]!.mitigated).toBe(true);
  });

  it('a whitespace-only rationale is reported (it does not make the acceptance complete)', () => {
    const { model: resolved, diagnostics } = check(threat('{ owner: "@a", rationale: "   ", accepted: 2026-06-01, expires: 2027-01-30 }'));
    expect(resolved.threats[0]!.acceptanceState).toBe('incomplete');
    expect(diagnostics.map(brief).join('\n')).toMatch(/rationale/);
  });

  it('says "1 day", not "1 days"', () => {
    const expired = check(threat('{ owner: "@a", rationale: r, accepted: 2026-06-01, expires: 2026-12-03 }')).diagnostics;
    expect(expired.map((d) => d.message)).toEqual(['the acceptance of `A-1` by @a expired on 2026-12-03 (1 day ago)']);
    const expiring = check(threat('{ owner: "@a", rationale: r, accepted: 2026-06-01, expires: 2026-12-05 }')).diagnostics;
    expect(expiring.map((d) => d.message)).toEqual(['the acceptance of `A-1` expires on 2026-12-05 (in 1 day)']);
  });
});

describe('review states', () => {
  const reviewed = (...lines: string[]) =>
    model('status: approved', ...lines, 'elements:', '  user: { type: external, title: User }', 'not_applicable:', '  - { targets: [user], categories: [spoofing, repudiation], reason: r }');

  it.each([
    ['never reviewed (no dates)', [], 'never-reviewed', undefined],
    ['reviewed recently: current', ['reviewed: 2026-11-01'], 'current', '2027-04-30'],
    ['review due in 30 days: due soon', [`reviewed: ${addDays(TODAY, 30 - 180)}`], 'due-soon', addDays(TODAY, 30)],
    ['review due in 31 days: current', [`reviewed: ${addDays(TODAY, 31 - 180)}`], 'current', addDays(TODAY, 31)],
    ['review due today: due soon, not overdue', [`reviewed: ${addDays(TODAY, -180)}`], 'due-soon', TODAY],
    ['review due yesterday: overdue', [`reviewed: ${addDays(TODAY, -181)}`], 'overdue', '2026-12-03'],
    ['review_by overrides the interval', ['reviewed: 2026-11-01', 'review_by: 2026-12-01'], 'overdue', '2026-12-01'],
    ['review_by alone', ['review_by: 2027-06-01'], 'current', '2027-06-01'],
  ] as [string, string[], string, string | undefined][])('%s', (_name, lines, state, reviewBy) => {
    const { model: resolved } = check(reviewed(...lines));
    expect(resolved.reviewState).toBe(state);
    expect(resolved.reviewBy).toBe(reviewBy);
  });

  it('the interval comes from the configuration', () => {
    const { model: resolved, diagnostics } = check(reviewed('reviewed: 2026-10-01'), { config: config({ reviewIntervalDays: 30 }) });
    expect(resolved.reviewBy).toBe('2026-10-31');
    expect(diagnostics.map(brief)).toEqual(['6:11 warning review-overdue review overdue since 2026-10-31 (34 days), last reviewed 2026-10-01']);
  });

  it('an approved model without `reviewed` is an error at its status; a draft without it is fine', () => {
    expect(check(reviewed()).diagnostics.map(brief)).toEqual(['5:9 error missing-review-date the model is approved but has no `reviewed` date']);
    expect(check(reviewed().replace('status: approved', 'status: draft')).diagnostics).toEqual([]);
  });
});
