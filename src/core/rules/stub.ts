// Threat stubs for unanswered findings: format v1 YAML, ready to paste under
// `threats:`. Pasting them answers the findings (each stub names the rule and
// targets the finding's target); the values are the rule's defaults, to review.
import { parse as parseYaml } from 'yaml';
import type { RiskScale } from '../risk.ts';
import { isLinddun, isStride } from '../methodology.ts';
import type { Category, Finding, ResolvedModel } from '../types.ts';
import type { RuleDefinition } from './types.ts';

/** A YAML scalar: plain when it reads back as the same string, otherwise double-quoted. */
export function yamlScalar(value: string): string {
  if (/^[A-Za-z0-9][A-Za-z0-9._/:@-]*$/.test(value) && !/:\s|:$/.test(value)) {
    try {
      if (parseYaml(value) === value) return value;
    } catch {
      // fall through to quoting
    }
  }
  return JSON.stringify(value);
}

const list = (items: readonly string[]) => `[${items.map(yamlScalar).join(', ')}]`;

export interface Stub {
  threatId: string;
  finding: Finding;
  yaml: string;
}

/** Categories of the rule that the model's methodologies use (all of them when none is used). */
function stubCategories(rule: RuleDefinition, model: Pick<ResolvedModel, 'methodologies'>): Category[] {
  const used = rule.categories.filter((c) => (isStride(c) && model.methodologies.includes('stride')) || (isLinddun(c) && model.methodologies.includes('linddun')));
  return used.length > 0 ? used : [...rule.categories];
}

/** One stub per unanswered finding, with threat ids that do not collide with the model's. */
export function threatStubs(model: ResolvedModel, rules: readonly RuleDefinition[], scale: RiskScale, indent = '  '): Stub[] {
  const byId = new Map(rules.map((r) => [r.id, r]));
  const taken = new Set(model.threats.map((t) => t.id));
  const stubs: Stub[] = [];
  for (const finding of model.findings) {
    if (finding.answer) continue;
    const rule = byId.get(finding.rule);
    if (!rule) continue;
    let threatId = `${finding.rule}.${finding.target}`;
    for (let n = 2; taken.has(threatId); n++) threatId = `${finding.rule}.${finding.target}-${n}`;
    taken.add(threatId);
    const categories = stubCategories(rule, model);
    const likelihood = scale.likelihood.includes(finding.likelihood) ? finding.likelihood : scale.likelihood[0]!;
    const impact = scale.impact.includes(finding.impact) ? finding.impact : scale.impact[0]!;
    const i1 = indent;
    const i2 = indent + '  ';
    const lines = [
      `${i1}${yamlScalar(threatId)}:`,
      `${i2}title: ${JSON.stringify(`${rule.title} (${finding.target})`)}`,
      `${i2}category: ${categories.length === 1 ? categories[0] : list(categories)}`,
      `${i2}targets: ${list([finding.target])}`,
      `${i2}rule: ${finding.rule}`,
      `${i2}likelihood: ${yamlScalar(likelihood)}`,
      `${i2}impact: ${yamlScalar(impact)}`,
      `${i2}status: open`,
      `${i2}description: ${JSON.stringify(`${finding.message}. ${rule.explanation}`)}`,
    ];
    if (rule.refs.length > 0) lines.push(`${i2}refs: ${list(rule.refs)}`);
    if (rule.mitigations.length > 0) {
      lines.push(`${i2}# Suggested mitigations (add them under \`mitigations:\` once they are in place):`);
      for (const m of rule.mitigations) lines.push(`${i2}#   - ${m.replace(/\s+/g, ' ')}`);
    }
    stubs.push({ threatId, finding, yaml: lines.join('\n') });
  }
  return stubs;
}

/**
 * Inserts stub YAML into a model's text: right after the `threats:` line of the
 * frontmatter when there is one in block style, otherwise as a new `threats:`
 * block before the closing fence. Returns undefined when the frontmatter cannot
 * be found or `threats:` is written in flow style.
 */
export function insertStubs(text: string, stubs: readonly Stub[]): string | undefined {
  if (stubs.length === 0) return text;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  if (lines[0]?.replace(/^\uFEFF/, '').trim() !== '---') return undefined;
  const close = lines.findIndex((l, i) => i > 0 && /^---\s*$/.test(l));
  if (close < 0) return undefined;
  const block = stubs.map((s) => s.yaml).join(eol).split(eol);
  const at = lines.findIndex((l, i) => i > 0 && i < close && /^threats:/.test(l));
  if (at >= 0) {
    if (!/^threats:\s*(#.*)?$/.test(lines[at]!)) return undefined;
    // Match the indentation of the existing entries.
    const next = lines.slice(at + 1, close).find((l) => l.trim() !== '' && !l.trim().startsWith('#'));
    const indent = next !== undefined ? (/^(\s+)/.exec(next)?.[1] ?? '  ') : '  ';
    lines.splice(at + 1, 0, ...block.map((l) => (l.startsWith('  ') ? indent + l.slice(2) : l)));
  } else {
    lines.splice(close, 0, 'threats:', ...block);
  }
  return lines.join(eol);
}
