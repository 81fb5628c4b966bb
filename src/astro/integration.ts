// The Threatmark Astro integration: checks the models with the same pipeline as
// `threatmark check` before Astro renders anything, hands the prepared site data
// to the pages as `virtual:threatmark/site`, and indexes the built site with
// Pagefind when the build is done.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import type { Plugin } from 'vite';
import { checkProject, type ProjectResult } from '../core/project.ts';
import { formatStylish, useColor } from '../core/reporters/stylish.ts';
import { indexSite } from './search-index.ts';
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

export function threatmark(options: ThreatmarkIntegrationOptions = {}): AstroIntegration {
  let data: SiteData | undefined;
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
        const json = JSON.stringify(data);
        updateConfig({
          vite: {
            plugins: [
              {
                name: 'threatmark:site-data',
                resolveId(id: string) {
                  return id === VIRTUAL_ID ? RESOLVED_ID : undefined;
                },
                load(id: string) {
                  // JSON.parse of a string literal is faster to compile than an object literal.
                  return id === RESOLVED_ID ? `export default JSON.parse(${JSON.stringify(json)});` : undefined;
                },
              },
            ],
          },
        });
      },
      'astro:build:done': async ({ dir, logger }) => {
        if (options.search === false || !data) return;
        const started = performance.now();
        const result = await indexSite(fileURLToPath(dir), data);
        logger.info(
          `Pagefind indexed ${result.pages} page(s) and ${result.records} threat record(s) in ${Math.round(performance.now() - started)} ms`,
        );
      },
    },
  };
}
