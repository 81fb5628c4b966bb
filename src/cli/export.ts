// `threatmark export threats`: the threats of all models as one JSON array.
import { exportThreats } from '../core/export.ts';
import { checkProject } from '../core/project.ts';
import { formatStylish } from '../core/reporters/stylish.ts';
import { parse, parseToday, UsageError, writeOutput, type Command } from './args.ts';

export const exportCommand: Command = {
  help: `Usage: threatmark export threats [PATH…] [options]

Print every threat of the models as a JSON array: id, model, name, description,
category, targets, status, likelihood, impact, score, severity (NOTE, LOW,
MEDIUM, HIGH, CRITICAL), mitigated (true when no action is owed before
release), mitigations, acceptance, refs…

  jq -e '[.[] | select(.severity == "HIGH" and (.mitigated | not))] | length == 0'

Options:
  --output FILE       write to FILE instead of standard output
  --today YYYY-MM-DD  evaluate acceptance expiry as of that day
  --config FILE       configuration file
  -h, --help          show this help

Models with errors are still exported; the diagnostics go to standard error
and the exit code is 1.
`,
  async run(argv, io) {
    const { values, positionals } = parse(argv, { output: { type: 'string' }, today: { type: 'string' }, config: { type: 'string' } });
    const [what, ...paths] = positionals;
    if (what !== 'threats') throw new UsageError(what === undefined ? 'say what to export: `threatmark export threats`' : `cannot export \`${what}\`; only \`threats\``);
    const today = parseToday(values.today);
    const result = await checkProject({ paths, ...(values.config ? { configFile: values.config } : {}), ...(today ? { today } : {}) });
    const json = `${JSON.stringify(exportThreats(result.models), null, 2)}\n`;
    if (values.output) await writeOutput(values.output, json);
    else io.stdout.write(json);
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0) io.stderr.write(formatStylish(errors, { files: result.summary.files }));
    return errors.length > 0 ? 1 : 0;
  },
};
