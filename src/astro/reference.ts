// The two generated references of the site: /docs/checks/ (every diagnostic
// rule of `allRules()`, grouped) and /rules/ (the rules engine's catalogue).
// Pure functions over the core's data, shared by the pages and the tests.
import { stringify } from 'yaml';
import type { RuleMeta } from '../core/diagnostics.ts';
import { CATEGORY_LABELS, LINDDUN, STRIDE } from '../core/methodology.ts';
import { classifyRef } from '../core/refs.ts';
import type { Condition, RuleDefinition, RuleTarget } from '../core/rules/types.ts';
import type { Category } from '../core/types.ts';

export interface CheckGroup {
  id: string;
  title: string;
  intro: string;
  /** Rule ids, in reading order. */
  rules: readonly string[];
}

/** The groups of /docs/checks/. A rule missing here lands in "Other checks" (and a unit test complains). */
export const CHECK_GROUPS: readonly CheckGroup[] = [
  {
    id: 'file',
    title: 'File and YAML',
    intro: 'Whether a discovered file can be read and parsed as a threat model at all.',
    rules: ['file-unreadable', 'file-too-large', 'file-encoding', 'not-a-threat-model', 'unsupported-version', 'frontmatter-unclosed', 'yaml-syntax', 'duplicate-key'],
  },
  {
    id: 'schema',
    title: 'Schema',
    intro: 'Whether the frontmatter has the shape of format v1: required keys, known keys, value types and id patterns.',
    rules: ['missing-key', 'unknown-key', 'invalid-value', 'invalid-id'],
  },
  {
    id: 'references',
    title: 'References and identity',
    intro: 'Whether the ids a model uses point at something that exists, and whether ids are unique.',
    rules: ['dangling-reference', 'id-clash', 'boundary-cycle', 'self-flow', 'invalid-ref', 'unknown-heading-threat', 'duplicate-model-id'],
  },
  {
    id: 'coverage',
    title: 'Coverage',
    intro: 'Whether every element and flow is examined for every STRIDE (and, with personal data, LINDDUN) category, or excluded with a reason.',
    rules: ['stride-coverage', 'linddun-coverage', 'linddun-not-enabled', 'unused-exclusion', 'empty-exclusion'],
  },
  {
    id: 'gate',
    title: 'Gate and treatment',
    intro: 'Whether each threat is rated and treated: mitigated, planned, accepted with an owner and an expiry, or transferred.',
    rules: [
      'unmitigated-threat',
      'missing-risk-rating',
      'missing-mitigations',
      'missing-ticket',
      'missing-acceptance',
      'acceptance-expired',
      'acceptance-expiring',
      'acceptance-too-long',
      'missing-transfer',
      'unused-treatment',
    ],
  },
  {
    id: 'review',
    title: 'Review',
    intro: 'Whether approved models are reviewed, and reviewed again in time.',
    rules: ['missing-review-date', 'review-overdue'],
  },
  {
    id: 'rules-engine',
    title: 'Rules engine',
    intro: 'Whether the findings the rules engine derives from the model are answered, and whether custom rules load.',
    rules: ['unanswered-finding', 'stale-finding-answer', 'unknown-rule', 'custom-rule-invalid'],
  },
  {
    id: 'repository',
    title: 'Repository and git',
    intro: 'Whether the code a model covers and its mitigations point at is there, and whether it changed after the review.',
    rules: ['covers-matches-nothing', 'mitigation-ref-missing', 'stale-review'],
  },
  {
    id: 'config',
    title: 'Configuration',
    intro: 'Whether threatmark.config.yaml is consistent.',
    rules: ['config-invalid'],
  },
];

export const OTHER_GROUP: CheckGroup = { id: 'other', title: 'Other checks', intro: 'Checks not yet sorted into a group.', rules: [] };

export interface GroupedChecks {
  group: CheckGroup;
  rules: RuleMeta[];
}

/** Every rule exactly once, in its group's order; empty groups are dropped. */
export function groupChecks(rules: readonly RuleMeta[]): GroupedChecks[] {
  const byId = new Map<string, RuleMeta>();
  for (const rule of rules) if (!byId.has(rule.id)) byId.set(rule.id, rule);
  const placed = new Set<string>();
  const out: GroupedChecks[] = [];
  for (const group of CHECK_GROUPS) {
    const list: RuleMeta[] = [];
    for (const id of group.rules) {
      const rule = byId.get(id);
      if (rule && !placed.has(id)) {
        list.push(rule);
        placed.add(id);
      }
    }
    if (list.length > 0) out.push({ group, rules: list });
  }
  const rest = [...byId.values()].filter((r) => !placed.has(r.id));
  if (rest.length > 0) out.push({ group: OTHER_GROUP, rules: rest });
  return out;
}

export const TARGET_LABELS: Record<RuleTarget, string> = {
  external: 'external entities',
  process: 'processes',
  store: 'data stores',
  flow: 'data flows',
};

/** `processes and data stores`. */
export function appliesToText(targets: readonly RuleTarget[]): string {
  const words = targets.map((t) => TARGET_LABELS[t]);
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/** The condition in the rules language, as custom rule files write it. */
export function conditionYaml(condition: Condition): string {
  return stringify(condition, { indent: 2, lineWidth: 0, aliasDuplicateObjects: false }).trimEnd();
}

export interface RefLink {
  id: string;
  /** http(s) URL of the catalogue entry, when the reference has one. */
  url?: string;
}

export function refLinks(refs: readonly string[]): RefLink[] {
  return refs.map((id) => {
    const { url } = classifyRef(id);
    return url ? { id, url } : { id };
  });
}

export function categoryFamily(category: Category): 'STRIDE' | 'LINDDUN' | undefined {
  if ((STRIDE as readonly string[]).includes(category)) return 'STRIDE';
  if ((LINDDUN as readonly string[]).includes(category)) return 'LINDDUN';
  return undefined;
}

export function categoryText(categories: readonly Category[]): string {
  return categories.map((c) => CATEGORY_LABELS[c]).join(', ');
}

/** Where a rule comes from, for the catalogue. */
export function ruleSourceText(rule: Pick<RuleDefinition, 'source'>): string {
  return rule.source === 'builtin' ? 'built in' : `${rule.source.file}:${rule.source.line}`;
}
