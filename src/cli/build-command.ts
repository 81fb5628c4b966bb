// `threatmark build`: validate, then build the site (Astro is loaded only here).
import { parse, parseToday, type Command } from './args.ts';

export const buildCommand: Command = {
  help: `Usage: threatmark build [options]

Validate every model with the same checks as \`threatmark check\` (failing with
all diagnostics before the site is built), then build the static site and its
search index.

Options:
  --source DIR        folder with the models (default: the configured root, .)
  --out DIR           output folder (default: dist)
  --today YYYY-MM-DD  evaluate dates as of that day
  --quiet             print errors only
  -h, --help          show this help
`,
  async run(argv) {
    const { values } = parse(argv, { source: { type: 'string' }, out: { type: 'string' }, today: { type: 'string' }, quiet: { type: 'boolean' } }, false);
    const today = parseToday(values.today);
    const { build } = await import('./build.ts');
    return build({ ...(values.source ? { source: values.source } : {}), ...(values.out ? { out: values.out } : {}), ...(today ? { today } : {}), quiet: Boolean(values.quiet) });
  },
};
