// `threatmark diff [BASE]`: what changed in the threat picture, for a pull request.
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DEFAULT_MAX_BYTES, DiffError, diffProject, formatDiffJson, formatDiffMarkdown } from '../core/diff.ts';
import { oneOf, parse, parseToday, UsageError, type Command } from './args.ts';

const FORMATS = ['markdown', 'json'] as const;

export const diffCommand: Command = {
  help: `Usage: threatmark diff [BASE] [options]

Compare the threat models at BASE (a git revision) with the working tree: models
added and removed; threats added, removed and changed (status, severity,
likelihood/impact, acceptance owner or expiry); newly accepted risks; coverage,
findings and diagnostics that appeared or went away; the data flow diagram of
each changed model with new and changed elements and flows highlighted; and
models whose covered code changed while the model did not.

BASE defaults to the merge base of HEAD with the default branch ($GITHUB_BASE_REF
on a GitHub pull request, origin/HEAD, origin/main, origin/master, main, master).
In a shallow CI clone, fetch BASE first and name it:

  git fetch --depth=1 origin main
  threatmark diff origin/main --output threatmark-diff.md

Options:
  --format FORMAT     markdown (default; for a PR comment or job summary), json
  --output FILE       write to FILE instead of standard output
  --max-bytes N       shorten the Markdown to N bytes (default ${DEFAULT_MAX_BYTES};
                      use 65000 for a pull-request comment)
  --today YYYY-MM-DD  evaluate dates (expiry, reviews) as of that day
  --config FILE       configuration file (default: threatmark.config.yaml)
  -h, --help          show this help

Exit codes: 0 the comparison was written · 2 usage error, BASE not in the clone,
not a git work tree, or Threatmark failure
`,
  async run(argv, io) {
    const { values, positionals } = parse(argv, {
      format: { type: 'string' },
      output: { type: 'string' },
      'max-bytes': { type: 'string' },
      today: { type: 'string' },
      config: { type: 'string' },
    });
    if (positionals.length > 1) throw new UsageError(`expected at most one BASE revision, got ${positionals.length}`);
    const format = oneOf(values.format, FORMATS, '--format') ?? 'markdown';
    const today = parseToday(values.today);
    let maxBytes: number | undefined;
    if (values['max-bytes'] !== undefined) {
      maxBytes = Number(values['max-bytes']);
      if (!Number.isInteger(maxBytes) || maxBytes < 1000) throw new UsageError(`--max-bytes must be a whole number of at least 1000 (got ${JSON.stringify(values['max-bytes'])})`);
    }
    let output: string;
    try {
      const result = await diffProject({
        ...(positionals[0] !== undefined ? { base: positionals[0] } : {}),
        ...(values.config ? { configFile: values.config } : {}),
        ...(today ? { today } : {}),
      });
      output = format === 'json' ? formatDiffJson(result) : formatDiffMarkdown(result, maxBytes !== undefined ? { maxBytes } : {});
    } catch (error) {
      if (error instanceof DiffError) {
        io.stderr.write(`threatmark diff: ${error.message}\n`);
        return 2;
      }
      throw error;
    }
    if (values.output) await writeFile(resolve(values.output), output);
    else io.stdout.write(output);
    return 0;
  },
};
