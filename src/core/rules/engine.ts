// Runs the rules over a resolved model: one finding per rule and target at
// most (id `rule-id@target-id`, independent of order or of unrelated
// elements), each matched with its answer — a threat naming the rule and
// the target, or a `not_applicable` entry naming the rule for the target.
import type { ResolvedConfig } from '../config.ts';
import { isLinddun, isStride } from '../methodology.ts';
import { rate, type RiskScale } from '../risk.ts';
import type { Finding, ResolvedModel, Severity } from '../types.ts';
import { evaluate, type Outcome, type Subject } from './evaluate.ts';
import { indexModel, type FlowView } from './facts.ts';
import type { Level, RuleDefinition } from './types.ts';

/** The rules in force: built-in and custom, minus those turned off in the configuration. */
export function activeRules(rules: readonly RuleDefinition[], config: Pick<ResolvedConfig, 'rules'>): RuleDefinition[] {
  return rules.filter((r) => !(Object.hasOwn(config.rules, r.id) && config.rules[r.id] === 'off'));
}

/** A rule applies to a model when one of its categories belongs to a methodology the model uses. */
export function ruleAppliesToModel(rule: RuleDefinition, model: Pick<ResolvedModel, 'methodologies'>): boolean {
  return rule.categories.some((c) => (isStride(c) && model.methodologies.includes('stride')) || (isLinddun(c) && model.methodologies.includes('linddun')));
}

/** A default level of a rule on the configured scale (low/medium/high map onto the scale's ends and middle). */
export function levelOn(levels: readonly string[], level: Level): string {
  if (levels.includes(level)) return level;
  const last = levels.length - 1;
  const index = level === 'low' ? 0 : level === 'high' ? last : Math.floor(last / 2);
  return levels[index] ?? level;
}

export function ruleRating(rule: Pick<RuleDefinition, 'likelihood' | 'impact'>, scale: RiskScale): { likelihood: string; impact: string; severity: Severity } {
  const likelihood = levelOn(scale.likelihood, rule.likelihood);
  const impact = levelOn(scale.impact, rule.impact);
  return { likelihood, impact, severity: rate(scale, likelihood, impact)?.severity ?? 'medium' };
}

function targetSubjects(model: ResolvedModel, rule: RuleDefinition): { id: string; kind: 'element' | 'flow'; subjects: Subject[]; label: string }[] {
  const index = indexModel(model);
  const out: { id: string; kind: 'element' | 'flow'; subjects: Subject[]; label: string }[] = [];
  for (const element of model.elements) {
    if (element.outOfScope || !rule.appliesTo.includes(element.type)) continue;
    out.push({ id: element.id, kind: 'element', subjects: [{ kind: 'element', element }], label: `${element.type} \`${element.id}\`` });
  }
  if (rule.appliesTo.includes('flow')) {
    for (const flow of model.flows) {
      if (flow.outOfScope) continue;
      const from = index.elements.get(flow.from);
      const to = index.elements.get(flow.to);
      if (!from || !to) continue;
      const views: FlowView[] = [{ flow, from, to, reversed: false }];
      if (flow.bidirectional) views.push({ flow, from: to, to: from, reversed: true });
      out.push({ id: flow.id, kind: 'flow', subjects: views.map((view) => ({ kind: 'flow', view })), label: `flow \`${flow.id}\`` });
    }
  }
  return out;
}

const MAX_WITNESSES = 3;

function message(rule: RuleDefinition, label: string, outcome: Outcome): string {
  const witnesses = outcome.witnesses.slice(0, MAX_WITNESSES);
  const more = outcome.witnesses.length - witnesses.length;
  const via = witnesses.length > 0 ? ` (${witnesses.join('; ')}${more > 0 ? `; ${more} more` : ''})` : '';
  let text = `${label}: ${rule.when}${via}`;
  if (outcome.value === 'unknown') {
    const facts = outcome.unknowns.map((f) => `\`${f}\``).join(', ');
    text += `. Not settled: ${facts} ${outcome.unknowns.length === 1 ? 'is' : 'are'} unknown; state ${outcome.unknowns.length === 1 ? 'it' : 'them'} to settle this finding`;
  }
  return text;
}

/** Evaluates the rules on one model; answers are attached. Deterministic: sorted by finding id. */
export function findingsFor(model: ResolvedModel, rules: readonly RuleDefinition[], config: Pick<ResolvedConfig, 'rules' | 'risk'>): Finding[] {
  const index = indexModel(model);
  const findings: Finding[] = [];
  for (const rule of activeRules(rules, config)) {
    if (!ruleAppliesToModel(rule, model)) continue;
    const rating = ruleRating(rule, config.risk);
    for (const target of targetSubjects(model, rule)) {
      const outcomes = target.subjects.map((s) => evaluate(index, s, rule.condition));
      const outcome = outcomes.find((o) => o.value === 'true') ?? outcomes.find((o) => o.value === 'unknown');
      if (!outcome) continue;
      findings.push({
        id: `${rule.id}@${target.id}`,
        rule: rule.id,
        target: target.id,
        targetKind: target.kind,
        title: rule.title,
        categories: [...rule.categories],
        likelihood: rating.likelihood,
        impact: rating.impact,
        severity: rating.severity,
        message: message(rule, target.label, outcome),
        unknowns: outcome.value === 'unknown' ? outcome.unknowns : [],
      });
    }
  }
  findings.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const finding of findings) {
    const threat = model.threats.find((t) => t.rule === finding.rule && t.targets.includes(finding.target));
    if (threat) {
      finding.answer = { kind: 'threat', threat: threat.id };
      continue;
    }
    const exclusion = model.notApplicable.find((n) => n.rules.includes(finding.rule) && n.targets.includes(finding.target));
    if (exclusion) finding.answer = { kind: 'not-applicable', reason: exclusion.reason };
  }
  return findings;
}
