// `threatmark dev`: the site in watch mode. Saving a model re-runs the checks;
// the diagnostics are printed in the terminal and shown over the page, and the
// page reloads with the new content once the models pass again. Invalid models
// never stop the server. Astro is loaded only here (and by `build`).
import { resolve } from 'node:path';
import { useColor } from '../core/reporters/stylish.ts';
import { parse, parseToday, RunError, UsageError, type Command, type CommandIo } from './args.ts';

export interface DevOptions {
  /** Working directory (default: process.cwd()); `source` is relative to it. */
  cwd?: string;
  source?: string;
  today?: string;
  /** 0 picks a free port. Default 4321 (the next free one if taken). */
  port?: number;
  /** Address to listen on (default localhost; 0.0.0.0 for every address). */
  host?: string;
}

export const devCommand: Command = {
  help: `Usage: threatmark dev [options]

Serve the site in watch mode. Every time a model, the configuration or a custom
rule file is saved, the models are checked again: the diagnostics are printed
here and shown over the page in the browser, and the page reloads with the new
content as soon as the models pass. Invalid models never stop the server; the
site keeps showing the last version that passed.

Options:
  --port N            port to listen on (default 4321, or the next free one; 0: any free port)
  --host HOST         address to listen on (default localhost; 0.0.0.0 for every address)
  --source DIR        folder with the models (default: the configured root, .)
  --today YYYY-MM-DD  evaluate dates as of that day
  -h, --help          show this help

Stop it with Ctrl+C.
`,
  async run(argv, io) {
    const { values } = parse(argv, { port: { type: 'string' }, host: { type: 'string' }, source: { type: 'string' }, today: { type: 'string' } }, false);
    const today = parseToday(values.today);
    let port: number | undefined;
    if (values.port !== undefined) {
      port = Number(values.port);
      if (!/^\d+$/.test(values.port) || port > 65535) throw new UsageError(`--port must be a number from 0 to 65535 (got ${JSON.stringify(values.port)})`);
    }
    if (values.host !== undefined && values.host.trim() === '') throw new UsageError('--host needs an address');
    return runDev(
      {
        ...(values.source !== undefined ? { source: values.source } : {}),
        ...(today !== undefined ? { today } : {}),
        ...(port !== undefined ? { port } : {}),
        ...(values.host !== undefined ? { host: values.host } : {}),
      },
      io,
    );
  },
};

/** Runs the dev server until SIGINT or SIGTERM; resolves with the exit code. */
export async function runDev(options: DevOptions, io: CommandIo): Promise<number> {
  const cwd = resolve(options.cwd ?? process.cwd());
  // Astro must not phone home, as in `threatmark build`.
  process.env.ASTRO_TELEMETRY_DISABLED = '1';
  process.env.ASTRO_DISABLE_UPDATE_CHECK = '1';
  const out = io.stdout as NodeJS.WritableStream & { isTTY?: boolean };
  const { LiveSite } = await import('../astro/dev-server.ts');
  const live = new LiveSite({
    cwd,
    ...(options.source !== undefined ? { source: options.source } : {}),
    ...(options.today !== undefined ? { today: options.today } : {}),
    out,
    color: useColor(out),
  });
  await live.start();
  const [{ dev }, { siteConfig }] = await Promise.all([import('astro'), import('../astro/config.ts')]);
  const siteUrl = live.site?.site.url;
  let server: Awaited<ReturnType<typeof dev>>;
  try {
    server = await dev({
      ...siteConfig({ live, ...(siteUrl ? { siteUrl } : {}), logLevel: 'warn' }),
      configFile: false,
      mode: 'development',
      server: { port: options.port ?? 4321, host: options.host ?? 'localhost' },
    });
  } catch (error) {
    live.stop();
    throw new RunError(`the dev server did not start: ${error instanceof Error ? error.message : String(error)}`);
  }
  const host = options.host && options.host !== '0.0.0.0' && options.host !== '::' ? options.host : 'localhost';
  const base = siteUrl ? new URL(siteUrl).pathname.replace(/\/?$/, '/') : '/';
  // Vite's URL is the origin; the site lives under its base path (from site.url).
  const origin = server.resolvedUrls.local[0] ?? `http://${host.includes(':') ? `[${host}]` : host}:${server.address.port}/`;
  const url = new URL(base, origin).href;
  live.url = url;
  out.write(`threatmark dev: serving ${url} — saving a model re-checks it (Ctrl+C to stop)\n`);

  return new Promise<number>((resolveExit) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      live.stop();
      out.write(`\nthreatmark dev: stopping (${signal})\n`);
      // Whatever Astro or the watcher leave behind must not keep the process alive.
      setTimeout(() => process.exit(process.exitCode ?? 0), 3000).unref();
      server.stop().then(
        () => resolveExit(0),
        (error: unknown) => {
          io.stderr.write(`threatmark dev: stopping the server failed: ${error instanceof Error ? error.message : String(error)}\n`);
          resolveExit(2);
        },
      );
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
