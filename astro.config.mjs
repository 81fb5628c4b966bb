// `astro build` / `astro dev` in this repository: the bundled threat-models/
// (or THREATMARK_SOURCE) are checked first, exactly as `threatmark build` does.
// `threatmark build` does not read this file; it passes the same configuration inline.
import { defineConfig } from 'astro/config';
import { siteConfig } from './src/astro/config.ts';

export default defineConfig(siteConfig());
