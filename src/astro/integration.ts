// The Threatmark Astro integration: checks the models with the same pipeline as
// `threatmark check` before Astro renders anything, hands the prepared site data
// to the pages as `virtual:threatmark/site`, and indexes the site with Pagefind
// (the threat records while the pages render, the pages once they are written).
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import type { Plugin } from 'vite';
import { checkProject, type ProjectResult } from '../core/project.ts';
import { formatStylish, useColor } from '../core/reporters/stylish.ts';
import { startIndex, type PendingIndex } from './search-index.ts';
import { prepareSite, type SiteData } from './site-data.ts';

export interface ThreatmarkIntegrationOptions {
  /** An already checked project (from `threatmark build`); checked here when absent. */
  project?: ProjectResult;
  /** Source root to check when `project` is absent. */
  source?: string;
  /** Evaluation day, YYYY-MM-DD (default: today, UTC). */
  today?: string;
  /** Skip the Pagefind step (tests that only look at HTML). */
  search?: boolean;
  /** `threatmark dev`: live site data, re-checks on change and the diagnostics overlay (src/astro/dev-server.ts). */
  live?: LiveSiteHooks;
}

/** What `threatmark dev` plugs in instead of a one-off check. */
export interface LiveSiteHooks {
  /** Serves `virtual:threatmark/site` from the latest passing check and re-checks when models change. */
  vitePlugin(): Plugin;
  /** Absolute path of the browser module loaded on every page (the diagnostics overlay). */
  clientEntry: string;
}

export const VIRTUAL_ID = 'virtual:threatmark/site';
const RESOLVED_ID = `\0${VIRTUAL_ID}`;

export class GateError extends Error {
  readonly project: ProjectResult;
  constructor(project: ProjectResult) {
    super(`threat models failed the gate: ${project.summary.errors} error(s)`);
    this.name = 'GateError';
    this.project = project;
  }
}

// The pages render in this process (Astro's prerenderer imports the server bundle
// here, as does `astro dev`), so they read the prepared site data from a registry
// on globalThis instead of a copy serialised into the bundle: at 1,000 models that
// copy was a 100 MB module for Vite to bundle and Node to compile, about 15 s of a
// build. Every build gets its own key, so the module's code (and its chunk's hash)
// differs between builds and a rebuild in the same process never reuses a cached
// module holding the previous build's data.
const REGISTRY = Symbol.for('threatmark.site-data');

function registry(): Map<string, SiteData> {
  const global = globalThis as { [REGISTRY]?: Map<string, SiteData> };
  return (global[REGISTRY] ??= new Map());
}

/** Registers the site data for the pages of one build; returns its key. */
export function shareSiteData(data: SiteData): string {
  const key = randomUUID();
  registry().set(key, data);
  return key;
}

/** Forgets a build's site data once its pages are written. */
export function releaseSiteData(key: string): void {
  registry().delete(key);
}

/** The source of `virtual:threatmark/site` for the build registered under `key`. */
export function siteDataModule(key: string): string {
  return [
    `const data = globalThis[Symbol.for(${JSON.stringify(REGISTRY.description)})]?.get(${JSON.stringify(key)});`,
    `if (!data) throw new Error('threatmark: the site data of this build is not loaded in this process; pages must render where the threatmark integration ran');`,
    'export default data;',
    '',
  ].join('\n');
}

export function threatmark(options: ThreatmarkIntegrationOptions = {}): AstroIntegration {
  let data: SiteData | undefined;
  let key: string | undefined;
  let indexing: PendingIndex | undefined;
  return {
    name: 'threatmark',
    hooks: {
      'astro:config:setup': async ({ updateConfig, logger, command, addWatchFile, injectScript }) => {
        // `astro preview` only serves the built output: nothing to check or render.
        if (command === 'preview') return;
        if (options.live && command === 'dev') {
          // The live site checks, watches and never fails the server: invalid models show in the overlay.
          updateConfig({ vite: { plugins: [options.live.vitePlugin()] } });
          injectScript('page', `import ${JSON.stringify(options.live.clientEntry)};`);
          return;
        }
        let project = options.project;
        if (!project) {
          const source = options.source ?? process.env.THREATMARK_SOURCE;
          const today = options.today ?? process.env.THREATMARK_TODAY;
          project = await checkProject({ ...(source ? { source } : {}), ...(today ? { today } : {}) });
          if (project.diagnostics.length > 0) {
            const text = formatStylish(project.diagnostics, { color: useColor(process.stderr), files: project.summary.files });
            process.stderr.write(`${text}\n`);
          }
          if (!project.ok) throw new GateError(project);
        }
        data = await prepareSite(project);
        if (command === 'dev') {
          // `astro dev` restarts (and re-checks) when a model or the configuration changes.
          for (const model of project.models) addWatchFile(join(project.config.root, model.file));
          if (project.config.configFile) addWatchFile(project.config.configFile);
        }
        logger.info(`${data.models.length} threat model(s) from ${project.config.root}`);
        if (key) releaseSiteData(key);
        const current = (key = shareSiteData(data));
        updateConfig({
          vite: {
            plugins: [
              {
                name: 'threatmark:site-data',
                resolveId(id: string) {
                  return id === VIRTUAL_ID ? RESOLVED_ID : undefined;
                },
                load(id: string) {
                  return id === RESOLVED_ID ? siteDataModule(current) : undefined;
                },
              },
            ],
          },
        });
      },
      'astro:build:start': async () => {
        // An earlier build with this integration that failed half-way.
        await indexing?.abandon();
        indexing = undefined;
        // The threat records are indexed (by Pagefind, in its own process) while Astro renders.
        if (options.search === false || !data) return;
        indexing = startIndex(data);
      },
      'astro:build:done': async ({ dir, logger }) => {
        // Every page is written: the pages' copy of the site data can go.
        if (key) releaseSiteData(key);
        key = undefined;
        const search = indexing;
        indexing = undefined;
        if (!search) return;
        const started = performance.now();
        const result = await search.finish(fileURLToPath(dir));
        logger.info(
          `Pagefind indexed ${result.pages} page(s) and ${result.records} threat record(s); the pages took ${Math.round(performance.now() - started)} ms after the build`,
        );
      },
    },
  };
}
