// `threatmark export threats`: one flat object per threat, the shape CI
// pipelines filter with jq (`severity == "HIGH" and (.mitigated | not)`).
import { CATEGORY_LABELS } from './methodology.ts';
import type { Category, ResolvedModel, ThreatStatus } from './types.ts';

export interface ThreatExport {
  id: string;
  model: string;
  modelTitle: string;
  file: string;
  line: number;
  name: string;
  description: string;
  category: Category[];
  categoryLabels: string[];
  targets: { id: string; type: string; title: string }[];
  status: ThreatStatus;
  likelihood: string | null;
  impact: string | null;
  score: number | null;
  severity: 'NOTE' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL' | null;
  mitigated: boolean;
  mitigations: { title: string; ref?: string; url?: string }[];
  ticket: string | null;
  acceptance: { owner: string | null; rationale: string | null; accepted: string | null; expires: string | null; ticket: string | null; state: string } | null;
  transfer: { to: string | null; rationale: string | null } | null;
  refs: string[];
  rule: string | null;
  owner: string;
}

export function exportThreats(models: readonly ResolvedModel[]): ThreatExport[] {
  const out: ThreatExport[] = [];
  for (const model of models) {
    const targets = new Map<string, { type: string; title: string }>([
      ...model.elements.map((e) => [e.id, { type: e.type, title: e.title }] as const),
      ...model.flows.map((f) => [f.id, { type: 'flow', title: f.title }] as const),
    ]);
    for (const threat of model.threats) {
      out.push({
        id: threat.id,
        model: model.id,
        modelTitle: model.title,
        file: model.file,
        line: threat.source.line,
        name: threat.title,
        description: [threat.description, threat.prose].filter(Boolean).join('\n\n'),
        category: threat.categories,
        categoryLabels: threat.categories.map((c) => CATEGORY_LABELS[c]),
        targets: threat.targets.map((id) => ({ id, type: targets.get(id)?.type ?? 'unknown', title: targets.get(id)?.title ?? id })),
        status: threat.status,
        likelihood: threat.likelihood ?? null,
        impact: threat.impact ?? null,
        score: threat.score ?? null,
        severity: threat.severity ? (threat.severity.toUpperCase() as ThreatExport['severity']) : null,
        mitigated: threat.mitigated,
        mitigations: threat.mitigations,
        ticket: threat.ticket ?? null,
        acceptance: threat.acceptance
          ? {
              owner: threat.acceptance.owner ?? null,
              rationale: threat.acceptance.rationale ?? null,
              accepted: threat.acceptance.accepted ?? null,
              expires: threat.acceptance.expires ?? null,
              ticket: threat.acceptance.ticket ?? null,
              state: threat.acceptanceState ?? 'incomplete',
            }
          : null,
        transfer: threat.transfer ? { to: threat.transfer.to ?? null, rationale: threat.transfer.rationale ?? null } : null,
        refs: threat.refs.map((r) => r.id),
        rule: threat.rule ?? null,
        owner: model.owner,
      });
    }
  }
  return out;
}
