// Risk scoring: likelihood × impact on a configurable scale, severity from a matrix.
import type { RiskRating, Severity } from './types.ts';
import { SEVERITIES } from './types.ts';

export interface RiskScale {
  /** Likelihood labels from least to most likely; position + 1 is the weight. */
  likelihood: string[];
  /** Impact labels from least to most severe; position + 1 is the weight. */
  impact: string[];
  /** matrix[likelihood][impact] → severity. */
  matrix: Record<string, Record<string, Severity>>;
}

/** The OWASP 3×3 matrix: score 9 critical, 6 high, 3–4 medium, 2 low, 1 note. */
export const DEFAULT_RISK_SCALE: RiskScale = {
  likelihood: ['low', 'medium', 'high'],
  impact: ['low', 'medium', 'high'],
  matrix: {
    low: { low: 'note', medium: 'low', high: 'medium' },
    medium: { low: 'low', medium: 'medium', high: 'high' },
    high: { low: 'medium', medium: 'high', high: 'critical' },
  },
};

export function rate(scale: RiskScale, likelihood: unknown, impact: unknown): RiskRating | undefined {
  if (typeof likelihood !== 'string' || typeof impact !== 'string') return undefined;
  const l = scale.likelihood.indexOf(likelihood);
  const i = scale.impact.indexOf(impact);
  if (l < 0 || i < 0) return undefined;
  const severity = scale.matrix[likelihood]?.[impact];
  if (!severity) return undefined;
  return { likelihood, impact, score: (l + 1) * (i + 1), severity };
}

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

export function atLeast(severity: Severity | undefined, threshold: Severity): boolean {
  return severity !== undefined && severityRank(severity) >= severityRank(threshold);
}
