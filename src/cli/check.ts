// `threatmark check`: validate models, print diagnostics, gate CI.
import { appendFile } from 'node:fs/promises';
import { checkProject } from '../core/project.ts';
import { formatJson } from '../core/reporters/json.ts';
import { formatStylish, useColor } from '../core/reporters/stylish.ts';
import { oneOf, parse, parseSeverity, parseToday, writeOutput, type Command } from './args.ts';

const FORMATS = ['stylish', 'json', 'sarif', 'github', 'markdown'] as const;

export const checkCommand: Command = {
  help: `Usage: threatmark check [PATH…] [options]

Validate threat models (files or folders; default: the configured sources,
threat-models/**/*.md and **/*.threat.md) and fail when one is invalid or
leaves a threat unmitigated at or above fail_on.

Options:
  --format FORMAT     stylish (default), json, sarif, github, markdown
  --output FILE       write the report to FILE instead of standard output
  --fail-on SEVERITY  note, low, medium, high (default), critical
  --strict            warnings fail the check too
  --today YYYY-MM-DD  evaluate dates (expiry, reviews) as of that day
  --config FILE       configuration file (default: threatmark.config.yaml)
  --quiet             report errors only
  --no-color          no colours (also NO_COLOR=1)
  -h, --help          show this help

Exit codes: 0 no errors · 1 the models have errors · 2 usage error or Threatmark failure
`,
  async run(argv, io) {
    const { values, positionals } = parse(argv, {
      format: { type: 'string' },
      output: { type: 'string' },
      'fail-on': { type: 'string' },
      strict: { type: 'boolean' },
      today: { type: 'string' },
      config: { type: 'string' },
      quiet: { type: 'boolean', short: 'q' },
      'no-color': { type: 'boolean' },
    });
    const format = oneOf(values.format, FORMATS, '--format') ?? 'stylish';
    const failOn = parseSeverity(values['fail-on'], '--fail-on');
    const today = parseToday(values.today);
    const overrides = { ...(failOn ? { failOn } : {}), ...(values.strict ? { strict: true } : {}) };
    const interactive = format === 'stylish' && !values.output && Boolean((io.stderr as { isTTY?: boolean }).isTTY) && !values.quiet;
    const result = await checkProject({
      paths: positionals,
      ...(values.config ? { configFile: values.config } : {}),
      ...(today ? { today } : {}),
      overrides,
      onProgress: interactive
        ? (done, total) => {
            if (total >= 200 && (done % 100 === 0 || done === total)) io.stderr.write(`\rchecking ${done}/${total} files…${done === total ? '\n' : ''}`);
          }
        : undefined,
    });
    // --quiet keeps errors only, in every format.
    if (values.quiet) {
      result.diagnostics = result.diagnostics.filter((d) => d.severity === 'error');
    }
    let output: string;
    switch (format) {
      case 'json':
        output = formatJson(result);
        break;
      case 'sarif':
        output = (await import('../core/reporters/sarif.ts')).formatSarif(result);
        break;
      case 'markdown':
        output = (await import('../core/reporters/markdown.ts')).formatMarkdown(result);
        break;
      case 'github': {
        const github = await import('../core/reporters/github.ts');
        output = github.formatGithubAnnotations(result);
        const summaryFile = process.env.GITHUB_STEP_SUMMARY;
        if (summaryFile) await appendFile(summaryFile, (await import('../core/reporters/markdown.ts')).formatMarkdown(result));
        break;
      }
      default: {
        const color = !values['no-color'] && !values.output && useColor(io.stdout as { isTTY?: boolean });
        output = result.diagnostics.length === 0 && values.quiet ? '' : formatStylish(result.diagnostics, { color, quiet: Boolean(values.quiet), files: result.summary.files });
        if (result.summary.files === 0 && positionals.length === 0) {
          output = `No threat models found under ${result.config.root} (looked for ${result.config.include.join(', ')}).\nCreate one with \`threatmark new <id>\`.\n`;
        }
      }
    }
    if (values.output) await writeOutput(values.output, output);
    else io.stdout.write(output);
    return result.ok ? 0 : 1;
  },
};
