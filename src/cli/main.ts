// The `threatmark` command: a table of subcommands, each in its own module and
// loaded on demand, so `check` never loads Astro.
import { readFileSync } from 'node:fs';
import { RunError, UsageError, type Command } from './args.ts';

const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  check: { summary: 'validate threat models and gate CI on them', load: async () => (await import('./check.ts')).checkCommand },
  export: { summary: 'export threats as JSON (`export threats`)', load: async () => (await import('./export.ts')).exportCommand },
  new: { summary: 'scaffold a new threat model that passes check', load: async () => (await import('./new.ts')).newCommand },
  build: { summary: 'validate, then build the static site with search', load: async () => (await import('./build-command.ts')).buildCommand },
  schema: { summary: 'print the JSON Schema of the frontmatter', load: async () => (await import('./schema.ts')).schemaCommand },
  rules: { summary: 'list the rules engine\'s rules, or explain one (`rules ID`)', load: async () => (await import('./rules.ts')).rulesCommand },
  suggest: { summary: 'print threat stubs for findings no threat answers yet', load: async () => (await import('./suggest.ts')).suggestCommand },
  diff: { summary: 'what changed in the threat models since a git revision (PR comment)', load: async () => (await import('./diff.ts')).diffCommand },
  dev: { summary: 'serve the site in watch mode: saving a model re-checks it, diagnostics in the browser', load: async () => (await import('./dev.ts')).devCommand },
};

/** Other modules add commands here (rules engine, diff, dev). */
export function registerCommand(name: string, summary: string, load: () => Promise<Command>): void {
  COMMANDS[name] = { summary, load };
}

export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  return [
    'Usage: threatmark <command> [options]',
    '',
    'Threat modeling as code: validate Markdown threat models and publish them as a site.',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'Options:',
    '  -h, --help     show help (also `threatmark <command> --help`)',
    '  -v, --version  print the version',
    '',
    'Exit codes: 0 no errors · 1 the models have errors · 2 usage error or Threatmark failure',
    '',
  ].join('\n');
}

export async function main(argv: string[], io: { stdout?: NodeJS.WritableStream; stderr?: NodeJS.WritableStream } = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    if (name === 'help' && rest[0] && COMMANDS[rest[0]]) return main([rest[0], '--help'], io);
    stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  if (name === '-v' || name === '--version') {
    stdout.write(`${version()}\n`);
    return 0;
  }
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!entry) {
    const { didYouMean } = await import('../core/diagnostics.ts');
    stderr.write(`threatmark: unknown command \`${name}\`${didYouMean(name, Object.keys(COMMANDS))}\nRun \`threatmark --help\` for the list.\n`);
    return 2;
  }
  try {
    const command = await entry.load();
    if (rest.includes('--help') || rest.includes('-h')) {
      stdout.write(command.help);
      return 0;
    }
    return await command.run(rest, { stdout, stderr });
  } catch (error) {
    if (error instanceof UsageError) {
      stderr.write(`threatmark ${name}: ${error.message}\nRun \`threatmark ${name} --help\` for usage.\n`);
      return 2;
    }
    if (error instanceof RunError) {
      stderr.write(`threatmark ${name}: ${error.message}\n`);
      return 2;
    }
    stderr.write(`threatmark: internal error: ${(error as Error)?.stack ?? String(error)}\nThis is a bug in Threatmark, not in your models; please report it.\n`);
    return 2;
  }
}
