#!/usr/bin/env node
// Threatmark's command. The sources are TypeScript run by Node's type
// stripping (Node ≥ 22.18); on an older Node, re-run on the Node 24 that the
// project pins as a dependency, or explain what is needed.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [major, minor] = process.versions.node.split('.').map(Number);
const supported = major > 22 || (major === 22 && minor >= 18);
const here = dirname(fileURLToPath(import.meta.url));

if (!supported) {
  const pinned = [join(here, '..', 'node_modules', 'node', 'bin', 'node'), join(here, '..', '..', 'node', 'bin', 'node')].find((p) => existsSync(p));
  if (pinned && !process.env.THREATMARK_REEXEC) {
    const result = spawnSync(pinned, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit', env: { ...process.env, THREATMARK_REEXEC: '1' } });
    process.exit(result.status ?? 2);
  }
  process.stderr.write(`threatmark: needs Node.js 24 (found ${process.versions.node}). Run it through npm (npx threatmark, npm run …) so the pinned runtime is used, or install Node 24.\n`);
  process.exit(2);
}

// Caches compiled (and type-stripped) modules between runs: most of a small check's time is start-up.
const { enableCompileCache } = await import('node:module');
enableCompileCache?.();

// A reader that stops early (`threatmark check --format json | head`) is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

// Installed as a package, run the compiled JavaScript in lib/ (Node does not strip
// types under node_modules); in a checkout, run the TypeScript sources directly.
const installed = /[\\/]node_modules[\\/]/.test(here);
const compiled = join(here, '..', 'lib', 'cli', 'main.js');
const { main } = await import(installed && existsSync(compiled) ? compiled : '../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
