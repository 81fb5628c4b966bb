// Derived views over the site data: the register, the dashboard lists, the
// risk matrix and the CSV export. Pure functions, shared by pages and tests.
import { CATEGORY_LABELS } from '../core/methodology.ts';
import type { RiskScale } from '../core/risk.ts';
import type {
  AcceptanceState,
  ResolvedModel,
  ResolvedThreat,
  ReviewState,
  Severity,
  ThreatStatus,
} from '../core/types.ts';
import { SEVERITIES } from '../core/types.ts';
import { compare, type SiteData } from './site-data.ts';

export const THREAT_STATUSES: readonly ThreatStatus[] = [
  'open',
  'planned',
  'mitigated',
  'accepted',
  'transferred',
  'not-applicable',
];

export const STATUS_LABELS: Record<ThreatStatus, string> = {
  open: 'Open',
  planned: 'Planned',
  mitigated: 'Mitigated',
  accepted: 'Accepted',
  transferred: 'Transferred',
  'not-applicable': 'Not applicable',
};

export const REVIEW_LABELS: Record<ReviewState, string> = {
  current: 'Current',
  'due-soon': 'Due soon',
  overdue: 'Overdue',
  'never-reviewed': 'Never reviewed',
};

export const ACCEPTANCE_LABELS: Record<AcceptanceState, string> = {
  valid: 'Valid',
  expiring: 'Expires soon',
  expired: 'Expired',
  'too-long': 'Too long',
  incomplete: 'Incomplete',
};

export const SEVERITY_LABELS: Record<Severity, string> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  note: 'Note',
};

/** Most severe first. */
export const SEVERITIES_DESC: readonly Severity[] = [...SEVERITIES].reverse();

export function severityRank(severity: Severity | undefined): number {
  return severity === undefined ? -1 : SEVERITIES.indexOf(severity);
}

export function categoryLabel(category: string): string {
  return (CATEGORY_LABELS as Record<string, string>)[category] ?? category;
}

export interface ThreatRow {
  model: ResolvedModel;
  threat: ResolvedThreat;
}

export function allThreats(data: SiteData): ThreatRow[] {
  const rows: ThreatRow[] = [];
  for (const { model } of data.models) for (const threat of model.threats) rows.push({ model, threat });
  return rows;
}

/** Threats by severity (most severe first), then model and threat id. */
export function sortBySeverity(rows: ThreatRow[]): ThreatRow[] {
  return [...rows].sort(
    (a, b) =>
      severityRank(b.threat.severity) - severityRank(a.threat.severity) ||
      compare(a.model.id, b.model.id) ||
      compare(a.threat.id, b.threat.id),
  );
}

export function counts(data: SiteData): { bySeverity: Record<Severity, number>; byStatus: Record<ThreatStatus, number> } {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const byStatus = Object.fromEntries(THREAT_STATUSES.map((s) => [s, 0])) as Record<ThreatStatus, number>;
  for (const { threat } of allThreats(data)) {
    if (threat.severity) bySeverity[threat.severity] += 1;
    byStatus[threat.status] += 1;
  }
  return { bySeverity, byStatus };
}

/** Unresolved (open or planned) threats rated high or critical. */
export function openHighThreats(data: SiteData): ThreatRow[] {
  return sortBySeverity(
    allThreats(data).filter(
      ({ threat }) =>
        (threat.status === 'open' || threat.status === 'planned') && severityRank(threat.severity) >= severityRank('high'),
    ),
  );
}

export function reviewsDue(data: SiteData): ResolvedModel[] {
  const order: ReviewState[] = ['overdue', 'never-reviewed', 'due-soon'];
  return data.models
    .map((m) => m.model)
    .filter((m) => order.includes(m.reviewState))
    .sort(
      (a, b) =>
        order.indexOf(a.reviewState) - order.indexOf(b.reviewState) ||
        compare(a.reviewBy ?? '', b.reviewBy ?? '') ||
        compare(a.id, b.id),
    );
}

export interface AcceptedRow extends ThreatRow {
  state: AcceptanceState | undefined;
}

/**
 * Every accepted risk, soonest expiry first. Acceptances without an expiry date
 * (an error) come first: they never run out on their own.
 */
export function acceptedRegister(data: SiteData): AcceptedRow[] {
  return allThreats(data)
    .filter(({ threat }) => threat.status === 'accepted')
    .map((row) => ({ ...row, state: row.threat.acceptanceState }))
    .sort((a, b) => {
      const ea = a.threat.acceptance?.expires;
      const eb = b.threat.acceptance?.expires;
      if (ea === undefined && eb !== undefined) return -1;
      if (eb === undefined && ea !== undefined) return 1;
      return compare(ea ?? '', eb ?? '') || compare(a.model.id, b.model.id) || compare(a.threat.id, b.threat.id);
    });
}

/** Acceptances that have expired or run out within the warning window. */
export function acceptancesExpiring(data: SiteData): AcceptedRow[] {
  return acceptedRegister(data).filter((row) => row.state === 'expired' || row.state === 'expiring');
}

/** Days from `today` to `date` (both YYYY-MM-DD); negative when past. */
export function daysUntil(date: string | undefined, today: string): number | undefined {
  if (!date || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
  const ms = Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`);
  return Number.isFinite(ms) ? Math.round(ms / 86_400_000) : undefined;
}

// ---------------------------------------------------------------------------
// Risk matrix

export interface MatrixCell {
  likelihood: string;
  impact: string;
  severity: Severity | undefined;
  threats: ThreatRow[];
}

/** Rows from the most to the least likely, columns from the least to the most severe impact. */
export function riskMatrix(scale: RiskScale, rows: ThreatRow[]): MatrixCell[][] {
  const likelihoods = [...scale.likelihood].reverse();
  return likelihoods.map((likelihood) =>
    scale.impact.map((impact) => ({
      likelihood,
      impact,
      severity: scale.matrix[likelihood]?.[impact],
      threats: rows
        .filter(({ threat }) => threat.likelihood === likelihood && threat.impact === impact)
        .sort((a, b) => compare(a.model.id, b.model.id) || compare(a.threat.id, b.threat.id)),
    })),
  );
}

// ---------------------------------------------------------------------------
// CSV

/**
 * One CSV cell. Cells that a spreadsheet would read as a formula (starting with
 * `=`, `+`, `-`, `@`, or a tab/CR that hides one) get a leading `'`; every cell
 * is quoted, with quotes doubled (RFC 4180).
 */
export function csvCell(value: string | number | undefined): string {
  let text = value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

export function toCsv(rows: (string | number | undefined)[][]): string {
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

export const ACCEPTED_CSV_HEADER = [
  'threat',
  'title',
  'model',
  'severity',
  'owner',
  'rationale',
  'accepted',
  'expires',
  'ticket',
  'state',
] as const;

export function acceptedCsv(data: SiteData): string {
  const rows: (string | undefined)[][] = [[...ACCEPTED_CSV_HEADER]];
  for (const { model, threat, state } of acceptedRegister(data)) {
    const a = threat.acceptance ?? {};
    rows.push([
      threat.id,
      threat.title,
      model.id,
      threat.severity,
      a.owner,
      a.rationale,
      a.accepted,
      a.expires,
      a.ticket ?? threat.ticket,
      state,
    ]);
  }
  return toCsv(rows);
}
