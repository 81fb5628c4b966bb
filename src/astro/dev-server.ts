// `threatmark dev`'s live site: the models are checked once at start and again
// whenever a model, the configuration or a custom rule file changes. Every check
// is printed in the terminal and pushed to the browser, where the overlay
// (src/client/dev-overlay.ts) lists what fails the gate. A passing check
// replaces the site data (`virtual:threatmark/site`) and reloads the page; a
// failing one keeps the last passing data, so the server never goes down.
// Loaded only by `threatmark dev`, never by `check` or `build`.
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Plugin, ViteDevServer } from 'vite';
import { ALWAYS_EXCLUDED, CONFIG_FILE_NAMES } from '../core/config.ts';
import { globMatcher, type Matcher } from '../core/git.ts';
import { checkProject, type ProjectResult } from '../core/project.ts';
import { formatStylish, plural } from '../core/reporters/stylish.ts';
import type { Diagnostic } from '../core/types.ts';
import { PACKAGE_ROOT } from './config.ts';
import { VIRTUAL_ID, type LiveSiteHooks } from './integration.ts';
import { prepareSite, type SiteData } from './site-data.ts';

const RESOLVED_ID = `\0${VIRTUAL_ID}`;
/** Where the overlay asks for the current state (under the site's base path). */
export const STATUS_PATH = '__threatmark/status';
/** The HMR event that pushes a new state to the overlay. */
export const STATUS_EVENT = 'threatmark:status';
/** The browser side of the overlay. */
export const OVERLAY_ENTRY = resolve(PACKAGE_ROOT, 'src/client/dev-overlay.ts');

/** One diagnostic as the overlay shows it. */
export type DevDiagnostic = Pick<Diagnostic, 'file' | 'line' | 'column' | 'severity' | 'rule' | 'message'>;

/** What the overlay renders: the outcome of the latest check. */
export interface DevStatus {
  /** Increases with every check; the overlay ignores older states. */
  seq: number;
  /** The gate passes: the overlay is hidden. */
  ok: boolean;
  errors: number;
  warnings: number;
  files: number;
  /** The diagnostics that fail the gate: errors (and warnings in strict mode). */
  diagnostics: DevDiagnostic[];
  /** Threatmark itself failed (not the models). */
  failure?: string;
  /** The site shows the data of an earlier passing check (false: what could be read at start). */
  lastPassing: boolean;
}

export interface LiveSiteOptions {
  cwd: string;
  source?: string;
  /** Fixed evaluation day; default: today (UTC) at each check. */
  today?: string;
  /** The terminal. */
  out: NodeJS.WritableStream & { isTTY?: boolean };
  color: boolean;
  /** Clear the terminal before each report (default: when `out` is a TTY). */
  clear?: boolean;
  /** Quiet period after the last file event before re-checking. */
  debounceMs?: number;
}

export class LiveSite implements LiveSiteHooks {
  readonly clientEntry = OVERLAY_ENTRY;
  /** The URL the server listens on, once known (printed with each report). */
  url = '';
  private readonly options: LiveSiteOptions;
  private project: ProjectResult | undefined;
  private data: SiteData | undefined;
  private status: DevStatus = { seq: 0, ok: true, errors: 0, warnings: 0, files: 0, diagnostics: [], lastPassing: false };
  /** The site data comes from a passing check. */
  private passing = false;
  private server: ViteDevServer | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private watched = new Set<string>();
  private relevantPath: (path: string) => boolean = () => false;

  constructor(options: LiveSiteOptions) {
    this.options = options;
  }

  get site(): SiteData | undefined {
    return this.data;
  }

  /** The first check, before the server starts. Never throws for invalid models. */
  async start(): Promise<DevStatus> {
    await this.check(false);
    return this.status;
  }

  /** Re-checks now (file events call this through a debounce). */
  async recheck(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.check(true);
      } while (this.again);
    })().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async check(live: boolean): Promise<void> {
    const { cwd, source, today } = this.options;
    const seq = this.status.seq + 1;
    let project: ProjectResult;
    try {
      project = await checkProject({ cwd, ...(source !== undefined ? { source } : {}), ...(today !== undefined ? { today } : {}) });
    } catch (error) {
      const failure = error instanceof Error ? error.message : String(error);
      this.status = { seq, ok: false, errors: 0, warnings: 0, files: 0, diagnostics: [], failure, lastPassing: this.passing };
      this.report(undefined);
      if (live) this.push(false);
      return;
    }
    this.project = project;
    this.updateWatch(project);
    const failing = project.diagnostics.filter((d) => d.severity === 'error' || (project.config.strict && d.severity === 'warning'));
    this.status = {
      seq,
      ok: project.ok,
      errors: project.summary.errors,
      warnings: project.summary.warnings,
      files: project.summary.files,
      diagnostics: failing.map((d) => ({ file: d.file, line: d.line, column: d.column, severity: d.severity, rule: d.rule, message: d.message })),
      lastPassing: false,
    };
    // A passing check replaces the site; a failing one keeps the last passing site
    // (until a check has passed, the site shows whatever could be read, so there is one to look at).
    let reload = false;
    if (project.ok || !this.passing) {
      try {
        this.data = await prepareSite(project);
        this.passing = project.ok;
        reload = true;
      } catch (error) {
        if (!this.data) this.data = await prepareSite({ ...project, models: [], diagnostics: [] });
        this.status.failure = `the site data could not be prepared: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
    this.status.lastPassing = !project.ok && this.passing;
    this.report(project);
    if (live) this.push(reload);
  }

  /** Clears the terminal and prints the check, as `threatmark check` would. */
  private report(project: ProjectResult | undefined): void {
    const { out, color } = this.options;
    const clear = this.options.clear ?? Boolean(out.isTTY);
    const lines: string[] = [];
    if (clear) lines.push('\u001b[2J\u001b[3J\u001b[H');
    const time = new Date().toTimeString().slice(0, 8);
    lines.push(`threatmark dev${this.url ? ` · ${this.url}` : ''} · checked at ${time}\n\n`);
    if (this.status.failure) lines.push(`threatmark dev: ${this.status.failure}\n`);
    if (project) {
      // While something fails, only the errors (they are what to fix now); then everything, as `check` prints it.
      const quiet = project.summary.errors > 0;
      if (project.diagnostics.length > 0) lines.push(`${formatStylish(project.diagnostics, { color, quiet, files: project.summary.files })}\n`);
      if (quiet && project.summary.warnings > 0) lines.push(`(${plural(project.summary.warnings, 'warning')} not shown until the errors are fixed)\n`);
      if (project.ok) lines.push(`${color ? '\u001b[32m✔ all models pass\u001b[39m' : '✔ all models pass'} (${plural(project.summary.models, 'model')})\n`);
      else if (this.status.lastPassing) lines.push('The site keeps showing the last version that passed until the models pass again.\n');
      else lines.push('The site shows what could be read from the models until they pass.\n');
    }
    out.write(lines.join(''));
  }

  /** Sends the state to the browser; after a passing check, refreshes the data and reloads the page. */
  private push(reload: boolean): void {
    const server = this.server;
    if (!server) return;
    if (reload) invalidateSiteData(server);
    const client = server.environments.client;
    client?.hot.send(STATUS_EVENT, this.status);
    if (reload) client?.hot.send({ type: 'full-reload', path: '*' });
  }

  /** Watches the source root, the configuration and the custom rule files; decides which events matter. */
  private updateWatch(project: ProjectResult): void {
    const { config } = project;
    const cwd = resolve(this.options.cwd);
    const configFiles = new Set(CONFIG_FILE_NAMES.map((n) => resolve(cwd, n)));
    if (config.configFile) configFiles.add(config.configFile);
    const posix = (path: string) => path.split(sep).join('/');
    const within = (base: string, path: string): string | undefined => {
      const rel = relative(base, path);
      return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? undefined : posix(rel);
    };
    const include = globMatcher(config.include, { dot: false });
    const exclude = globMatcher([...ALWAYS_EXCLUDED, ...config.exclude], { dot: true });
    const ruleBase = config.configFile ? dirname(config.configFile) : cwd;
    const rules: Matcher | undefined = config.customRules.length > 0 ? globMatcher(config.customRules, { dot: false }) : undefined;
    const root = config.root;
    this.relevantPath = (path: string) => {
      const absolute = resolve(path);
      if (configFiles.has(absolute)) return true;
      const inRoot = within(root, absolute);
      if (inRoot !== undefined && include(inRoot) && !exclude(inRoot)) return true;
      const inRules = rules ? within(ruleBase, absolute) : undefined;
      return inRules !== undefined && rules !== undefined && rules(inRules);
    };
    const wanted = [root, ...configFiles];
    if (rules) wanted.push(ruleBase);
    const server = this.server;
    if (!server) return;
    const fresh = wanted.filter((p) => !this.watched.has(p));
    if (fresh.length > 0) {
      server.watcher.add(fresh);
      for (const p of fresh) this.watched.add(p);
    }
  }

  private onFileEvent(path: string): void {
    if (!this.relevantPath(path)) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.recheck();
    }, this.options.debounceMs ?? 60);
  }

  /** The Vite plugin: serves the site data, the status endpoint, and listens to the watcher. */
  vitePlugin(): Plugin {
    const live = this;
    return {
      name: 'threatmark:live-site',
      resolveId(id: string) {
        return id === VIRTUAL_ID ? RESOLVED_ID : undefined;
      },
      load(id: string) {
        if (id !== RESOLVED_ID) return undefined;
        const json = JSON.stringify(live.data ?? null);
        return `export default JSON.parse(${JSON.stringify(json)});`;
      },
      configureServer(server: ViteDevServer) {
        live.server = server;
        if (live.project) live.updateWatch(live.project);
        const onEvent = (path: string) => live.onFileEvent(path);
        server.watcher.on('add', onEvent);
        server.watcher.on('change', onEvent);
        server.watcher.on('unlink', onEvent);
        server.middlewares.use((req: IncomingMessage, res: ServerResponse, next: () => void) => {
          const path = (req.url ?? '').split('?')[0] ?? '';
          if (!path.endsWith(`/${STATUS_PATH}`)) return next();
          res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
          res.end(JSON.stringify(live.status));
        });
      },
    };
  }
}

/**
 * Drops `virtual:threatmark/site` and everything that imports it from the server
 * environments (as Astro does for SSR-only modules), and clears Astro's route
 * cache so `getStaticPaths()` sees added or removed models.
 */
export function invalidateSiteData(server: ViteDevServer): void {
  const timestamp = Date.now();
  for (const [name, environment] of Object.entries(server.environments)) {
    if (name === 'client') continue;
    const module = environment.moduleGraph.getModuleById(RESOLVED_ID);
    if (module) {
      const invalidated = new Set<typeof module>();
      environment.moduleGraph.invalidateModule(module, invalidated, timestamp, true);
      const runner = (environment as { runner?: { evaluatedModules: { getModuleById(id: string): unknown; invalidateModule(node: unknown): void } } }).runner;
      if (runner) {
        for (const mod of invalidated) {
          if (!mod.id) continue;
          const evaluated = runner.evaluatedModules.getModuleById(mod.id);
          if (evaluated) runner.evaluatedModules.invalidateModule(evaluated);
        }
      }
    }
    environment.hot.send('astro:content-changed', {});
  }
}
