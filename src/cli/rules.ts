// `threatmark rules [ID]`: the rule catalogue, or one rule explained with its
// condition printed in the rules language (nothing about a rule is hidden in code).
import { stringify } from 'yaml';
import { loadConfig } from '../core/config.ts';
import { didYouMean } from '../core/diagnostics.ts';
import { CATEGORY_CODES, CATEGORY_LABELS } from '../core/methodology.ts';
import { classifyRef } from '../core/refs.ts';
import { ATTRIBUTES } from '../core/rules/facts.ts';
import { allRuleDefinitions, ruleRating } from '../core/rules/index.ts';
import type { RuleDefinition } from '../core/rules/types.ts';
import { oneOf, parse, UsageError, type Command } from './args.ts';

const FORMATS = ['text', 'json'] as const;

function status(rule: RuleDefinition, overrides: Record<string, string>): string {
  const o = Object.hasOwn(overrides, rule.id) ? overrides[rule.id] : undefined;
  return o === 'off' ? 'off' : o ? `unanswered: ${o}` : '';
}

function explain(rule: RuleDefinition, overrides: Record<string, string>, scale: Parameters<typeof ruleRating>[1]): string {
  const rating = ruleRating(rule, scale);
  const lines = [
    `${rule.id} — ${rule.title}`,
    '',
    `Categories:  ${rule.categories.map((c) => CATEGORY_LABELS[c]).join(', ')}`,
    `Applies to:  ${rule.appliesTo.join(', ')}`,
    `Fires when:  the ${rule.appliesTo.join(' or ')} ${rule.when}`,
    `Default:     likelihood ${rating.likelihood} × impact ${rating.impact} → ${rating.severity}`,
    `Source:      ${rule.source === 'builtin' ? 'built in' : `${rule.source.file}:${rule.source.line}`}`,
  ];
  const s = status(rule, overrides);
  if (s) lines.push(`Configured:  ${s}`);
  lines.push('', 'Why it matters:', `  ${rule.explanation}`, '', 'Condition (an absent fact is unknown; an unknown result still fires and names the facts that would settle it):');
  lines.push(...stringify(rule.condition, { indent: 2, lineWidth: 0, aliasDuplicateObjects: false }).trimEnd().split('\n').map((l) => `  ${l}`));
  if (rule.mitigations.length > 0) lines.push('', 'Mitigations:', ...rule.mitigations.map((m) => `  - ${m}`));
  if (rule.refs.length > 0) lines.push('', 'References:', ...rule.refs.map((r) => `  - ${r}${classifyRef(r).url && classifyRef(r).url !== r ? `  ${classifyRef(r).url}` : ''}`));
  lines.push(
    '',
    'Answer a finding with a threat that names the rule and targets the element or flow:',
    `  threats: { <id>: { …, rule: ${rule.id}, targets: [<target>] } }`,
    'or with an exclusion and the reason it does not apply:',
    `  not_applicable: [{ targets: [<target>], rules: [${rule.id}], reason: … }]`,
    '',
  );
  return lines.join('\n');
}

export const rulesCommand: Command = {
  help: `Usage: threatmark rules [ID] [options]

List the rules of the rules engine (built-in and custom), or explain one:
its categories, what it applies to, its condition, default rating,
mitigations and references. Findings of the rules are answered in models
with a threat (\`rule: ID\`) or a \`not_applicable\` entry (\`rules: [ID]\`).

Options:
  --format FORMAT  text (default) or json (the catalogue data)
  --attributes     list the facts conditions can test
  --config FILE    configuration file (default: threatmark.config.yaml)
  -h, --help       show this help
`,
  async run(argv, io) {
    const { values, positionals } = parse(argv, { format: { type: 'string' }, config: { type: 'string' }, attributes: { type: 'boolean' } });
    const format = oneOf(values.format, FORMATS, '--format') ?? 'text';
    if (positionals.length > 1) throw new UsageError('give at most one rule id');
    const { config, diagnostics } = await loadConfig(process.cwd(), values.config);
    for (const d of diagnostics) io.stderr.write(`${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message} (${d.rule})\n`);
    const rules = allRuleDefinitions(config.customRuleDefinitions);
    if (values.attributes) {
      if (format === 'json') io.stdout.write(`${JSON.stringify(ATTRIBUTES, null, 2)}\n`);
      else {
        for (const [context, attributes] of Object.entries(ATTRIBUTES)) {
          io.stdout.write(`${context}:\n`);
          for (const [name, info] of Object.entries(attributes)) io.stdout.write(`  ${name.padEnd(26)} ${info.doc}${info.values ? ` (${info.values.join(', ')})` : ''}\n`);
        }
      }
      return 0;
    }
    const id = positionals[0];
    if (id !== undefined) {
      const rule = rules.find((r) => r.id === id);
      if (!rule) {
        io.stderr.write(`threatmark rules: no rule \`${id}\`${didYouMean(id, rules.map((r) => r.id))}\n`);
        return 2;
      }
      io.stdout.write(format === 'json' ? `${JSON.stringify(rule, null, 2)}\n` : explain(rule, config.rules, config.risk));
      return 0;
    }
    if (format === 'json') {
      io.stdout.write(`${JSON.stringify(rules, null, 2)}\n`);
      return 0;
    }
    const idWidth = Math.max(...rules.map((r) => r.id.length));
    const cats = rules.map((r) => r.categories.map((c) => CATEGORY_CODES[c]).join(' '));
    const catWidth = Math.max(...cats.map((c) => c.length), 'CATEGORIES'.length);
    const out = [`${'ID'.padEnd(idWidth)}  ${'CATEGORIES'.padEnd(catWidth)}  TITLE`];
    rules.forEach((r, i) => {
      const extra = [r.source === 'builtin' ? '' : 'custom', status(r, config.rules)].filter(Boolean).join(', ');
      out.push(`${r.id.padEnd(idWidth)}  ${cats[i]!.padEnd(catWidth)}  ${r.title}${extra ? ` (${extra})` : ''}`);
    });
    out.push('', `${rules.length} rules. Categories: S T R I D E = STRIDE; L Id Nr De DD U Nc = LINDDUN. \`threatmark rules ID\` explains one.`, '');
    io.stdout.write(out.join('\n'));
    return 0;
  },
};
