// `astro build` / `astro dev` in this repository: the bundled threat-models/
// (or THREATMARK_SOURCE) are checked first, exactly as `threatmark build` does.
// `threatmark build` does not read this file; it passes the same configuration inline.
import { defineConfig } from 'astro/config';

// The site and its build make no third-party requests; neither does Astro.
process.env.ASTRO_TELEMETRY_DISABLED = '1';
import { siteConfig } from './src/astro/config.ts';
import { loadConfig } from './src/core/config.ts';

// Only `site.url` is needed up front (it sets Astro's base); the integration checks
// the models and reports every diagnostic, the configuration's included.
const { config } = await loadConfig(process.cwd());

export default defineConfig(siteConfig({ siteUrl: config.site.url }));
