// `threatmark suggest [MODEL…]`: for every unanswered finding, a threat stub in
// format v1 YAML, ready to paste under `threats:`.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { checkProject } from '../core/project.ts';
import { allRuleDefinitions } from '../core/rules/index.ts';
import { threatStubs } from '../core/rules/stub.ts';
import { oneOf, parse, parseToday, type Command } from './args.ts';

const FORMATS = ['yaml', 'json'] as const;

export const suggestCommand: Command = {
  help: `Usage: threatmark suggest [MODEL…] [options]

Print, for each finding of the rules engine that no threat or exclusion
answers, a threat stub (title, category, targets, rule, refs, suggested
likelihood and impact) to paste under \`threats:\`. Review every value: the
status is \`open\` and the rating is the rule's default. Default: every model
of the configured sources.

Options:
  --format FORMAT     yaml (default) or json (the unanswered findings with their stubs)
  --today YYYY-MM-DD  evaluate dates as of that day
  --config FILE       configuration file (default: threatmark.config.yaml)
  -h, --help          show this help

Exit codes: 0 stubs printed (or nothing to answer) · 1 a model could not be read · 2 usage error
`,
  async run(argv, io) {
    const { values, positionals } = parse(argv, { format: { type: 'string' }, today: { type: 'string' }, config: { type: 'string' } });
    const format = oneOf(values.format, FORMATS, '--format') ?? 'yaml';
    const today = parseToday(values.today);
    const result = await checkProject({ paths: positionals, ...(values.config ? { configFile: values.config } : {}), ...(today ? { today } : {}) });
    const rules = allRuleDefinitions(result.config.customRuleDefinitions);
    let failed = false;
    // Files that did not become models (syntax errors, not a threat model).
    for (const d of result.diagnostics) {
      if (d.severity === 'error' && ['yaml-syntax', 'not-a-threat-model', 'frontmatter-unclosed', 'unsupported-version', 'file-unreadable'].includes(d.rule)) {
        io.stderr.write(`${d.file}:${d.line}:${d.column}: ${d.message} (${d.rule}); run \`threatmark check\`\n`);
        failed = true;
      }
    }
    const json: unknown[] = [];
    const out: string[] = [];
    for (const model of result.models) {
      const stubs = threatStubs(model, rules, result.config.risk);
      const path = resolve(result.config.root, model.file);
      if (format === 'json') {
        json.push({ model: model.id, file: model.file, stubs: stubs.map((s) => ({ threat: s.threatId, finding: s.finding, yaml: s.yaml })) });
        continue;
      }
      if (stubs.length === 0) {
        out.push(`# ${model.file} (model \`${model.id}\`): every finding is answered.`, '');
        continue;
      }
      let hasThreats = true;
      try {
        const text = await readFile(path, 'utf8');
        const front = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---/.exec(text)?.[1] ?? '';
        hasThreats = /^threats:/m.test(front);
      } catch {
        // Keep the default; the header below says where the stubs go.
      }
      out.push(
        `# ${model.file} (model \`${model.id}\`): ${stubs.length} unanswered finding${stubs.length === 1 ? '' : 's'}.`,
        `# Paste ${hasThreats ? 'under `threats:`' : 'into the frontmatter'} and review every value (status, likelihood, impact, mitigations),`,
        '# or answer a finding with `not_applicable: [{targets: [TARGET], rules: [RULE], reason: …}]` instead.',
      );
      if (!hasThreats) out.push('threats:');
      for (const stub of stubs) out.push(stub.yaml);
      out.push('');
    }
    io.stdout.write(format === 'json' ? `${JSON.stringify(json, null, 2)}\n` : out.join('\n'));
    return failed ? 1 : 0;
  },
};
