// The rules engine in the checker: derives findings from the model's facts,
// fills `model.findings`, and requires every finding to be answered — by a
// threat with `rule:` whose targets include the finding's target, or by a
// `not_applicable` entry naming the rule for that target. Answers that name
// an unknown rule, or a rule that does not fire there, are reported too.
import { didYouMean } from '../diagnostics.ts';
import { isStride } from '../methodology.ts';
import { activeRules, findingsFor, ruleAppliesToModel } from '../rules/engine.ts';
import { CUSTOM_RULE_RULES } from '../rules/custom.ts';
import { allRuleDefinitions } from '../rules/index.ts';
import type { DiagnosticSeverity } from '../types.ts';
import type { ModelCheck } from './types.ts';

export const findingsCheck: ModelCheck = {
  rules: [
    {
      id: 'unanswered-finding',
      severity: 'error',
      title: 'A finding of the rules engine is not answered',
      description:
        'The rules engine derives threats from the model\'s facts (attributes, data classifications, boundaries). Each finding `rule-id@target-id` must be answered by a threat with `rule: <rule-id>` that targets it, or by a `not_applicable` entry naming the rule for the target with a reason. Unanswered findings are errors in approved models and warnings otherwise; `rules:` in the configuration sets another severity per rule or turns a rule off.',
      help: 'Run `threatmark suggest <model>` for ready-to-paste threat stubs, or add `{targets: [<target>], rules: [<rule-id>], reason: …}` to `not_applicable`. When the finding rests on an unknown fact, stating the fact may settle it.',
    },
    {
      id: 'stale-finding-answer',
      severity: 'warning',
      title: 'An answer names a rule that does not fire there',
      description: 'A threat with `rule:` whose rule fires on none of its targets, or a `not_applicable` entry naming a rule for a target where it does not fire, answers nothing: the model changed, or the answer points at the wrong target.',
      help: 'Remove the `rule:` (or the exclusion), or correct its targets.',
    },
    {
      id: 'unknown-rule',
      severity: 'error',
      title: 'An answer names a rule that does not exist',
      description: '`rule:` on a threat and `rules:` in a `not_applicable` entry name rules of the rules engine (built-in or custom).',
      help: 'Use an id listed by `threatmark rules` (the message suggests the closest one).',
    },
    ...CUSTOM_RULE_RULES,
  ],
  check({ model, data, config, report }) {
    const definitions = allRuleDefinitions(config.customRuleDefinitions);
    const findings = findingsFor(model, definitions, config);
    model.findings = findings;

    for (const finding of findings) {
      if (finding.answer) continue;
      const override = Object.hasOwn(config.rules, finding.rule) ? config.rules[finding.rule] : undefined;
      const severity: DiagnosticSeverity = override && override !== 'off' ? override : model.status === 'approved' ? 'error' : 'warning';
      report(
        'unanswered-finding',
        `finding \`${finding.id}\` (${finding.title}; ${finding.severity}) is not answered: ${finding.message}. Answer with a threat \`rule: ${finding.rule}\` or a \`not_applicable\` entry (\`threatmark suggest\` prints one)`,
        [finding.targetKind === 'flow' ? 'flows' : 'elements', finding.target],
        { severity, part: 'key', subject: finding.id },
      );
    }

    const known = definitions.map((r) => r.id);
    const evaluated = new Set(activeRules(definitions, config).filter((r) => ruleAppliesToModel(r, model)).map((r) => r.id));
    const fired = new Set(findings.map((f) => f.id));
    const notThere = (rule: string) => {
      if (evaluated.has(rule)) return '';
      const definition = definitions.find((r) => r.id === rule);
      const methods = [...new Set(definition?.categories.map((c) => (isStride(c) ? 'stride' : 'linddun')) ?? [])];
      return ` (it applies only to models whose methodologies include ${methods.join(' or ')})`;
    };
    for (const threat of model.threats) {
      const rule = threat.rule;
      if (rule === undefined) continue;
      if (!known.includes(rule)) {
        report('unknown-rule', `threat \`${threat.id}\` answers rule \`${rule}\`, which does not exist${didYouMean(rule, known)}`, ['threats', threat.id, 'rule'], { subject: threat.id });
        continue;
      }
      const off = Object.hasOwn(config.rules, rule) && config.rules[rule] === 'off';
      if (off) continue;
      if (!threat.targets.some((t) => fired.has(`${rule}@${t}`))) {
        const where = threat.targets.map((t) => `\`${t}\``).join(', ');
        report(
          'stale-finding-answer',
          `threat \`${threat.id}\` answers rule \`${rule}\`, but the rule does not fire on ${threat.targets.length === 1 ? 'its target' : 'any of its targets'} (${where})${notThere(rule)}: the answer is stale`,
          ['threats', threat.id, 'rule'],
          { subject: threat.id },
        );
      }
    }
    // Positions in the file: resolve skips entries that are not mappings, so map back to the raw list.
    const rawExclusions = Object.hasOwn(data, 'not_applicable') && Array.isArray(data.not_applicable) ? (data.not_applicable as unknown[]) : [];
    const rawIndex = rawExclusions.flatMap((raw, i) => (typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? [i] : []));
    model.notApplicable.forEach((entry, position) => {
      const index = rawIndex[position] ?? position;
      entry.rules.forEach((rule, j) => {
        if (!known.includes(rule)) {
          report('unknown-rule', `this exclusion names rule \`${rule}\`, which does not exist${didYouMean(rule, known)}`, ['not_applicable', index, 'rules', j], { subject: `not_applicable[${index}]` });
          return;
        }
        if (Object.hasOwn(config.rules, rule) && config.rules[rule] === 'off') return;
        const idle = entry.targets.filter((t) => !fired.has(`${rule}@${t}`));
        if (idle.length > 0) {
          report(
            'stale-finding-answer',
            `rule \`${rule}\` does not fire on ${idle.map((t) => `\`${t}\``).join(', ')}${notThere(rule)}, so this exclusion of it there excludes nothing`,
            ['not_applicable', index, 'rules', j],
            { subject: `not_applicable[${index}]` },
          );
        }
      });
    });
  },
};
