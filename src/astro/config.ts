// The Astro configuration of the Threatmark site, shared by `astro.config.mjs`
// (plain `astro build`/`astro dev` in this repository) and `threatmark build`
// (which passes an already checked project and an output directory).
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import mdx from '@astrojs/mdx';
import type { AstroInlineConfig } from 'astro';
import { threatmark, type ThreatmarkIntegrationOptions } from './integration.ts';
import { basePath, isHttpUrl } from './site-data.ts';

/** The package root: where `src/pages`, `public` and `content/` live. */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface SiteConfigOptions extends ThreatmarkIntegrationOptions {
  /** Output directory (absolute or relative to the working directory); default `<package>/dist`. */
  outDir?: string;
  logLevel?: AstroInlineConfig['logLevel'];
  /** `site.url` from threatmark.config (default: the checked project's); its path becomes Astro's `base`. */
  siteUrl?: string;
}

export function siteConfig(options: SiteConfigOptions = {}): AstroInlineConfig {
  const config: AstroInlineConfig = {
    root: PACKAGE_ROOT,
    srcDir: resolve(PACKAGE_ROOT, 'src'),
    publicDir: resolve(PACKAGE_ROOT, 'public'),
    outDir: options.outDir ? resolve(options.outDir) : resolve(PACKAGE_ROOT, 'dist'),
    trailingSlash: 'ignore',
    build: { format: 'directory', inlineStylesheets: 'never' },
    devToolbar: { enabled: false },
    prefetch: false,
    integrations: [mdx(), threatmark(options)],
    vite: {
      // No script or asset is inlined into the HTML: the CSP allows scripts from 'self' only.
      build: { assetsInlineLimit: 0, chunkSizeWarningLimit: 4096 },
      logLevel: 'warn',
    },
  };
  if (options.logLevel) config.logLevel = options.logLevel;
  // Parallel builds (tests) each get their own Vite/content cache.
  if (process.env.THREATMARK_CACHE_DIR) config.cacheDir = resolve(process.env.THREATMARK_CACHE_DIR);
  // Set here, not from the integration: Astro fixes import.meta.env.BASE_URL before integrations run.
  const siteUrl = options.siteUrl ?? options.project?.config.site.url;
  if (isHttpUrl(siteUrl)) {
    config.site = siteUrl;
    config.base = basePath(siteUrl);
  }
  return config;
}
