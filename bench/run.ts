// `npm run bench`: generated repositories of 10, 100, 1,000 and 10,000 models;
// times `threatmark check` as a whole process beside the bare baseline
// (read + YAML-parse the same files) in the same run, and prints per-model
// cost, the ratio to the baseline and peak memory. Figures only: nothing here
// passes or fails.
//   npm run bench -- --sizes 10,100 --runs 3
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateRepository } from './generate.ts';

const { values } = parseArgs({ options: { sizes: { type: 'string' }, runs: { type: 'string' }, site: { type: 'boolean' } } });
const sizes = (values.sizes ?? '10,100,1000,10000').split(',').map(Number);
const runs = Number(values.runs ?? 3);
const root = new URL('..', import.meta.url).pathname;
// Outside this repository, so the generated repositories are not part of its git work tree.
const out = join(tmpdir(), 'threatmark-bench');
const node = process.execPath;
const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

interface Sample {
  seconds: number;
  peakMb?: number;
  status: number | null;
}

function measure(args: string[], cwd: string): Sample {
  // GNU time gives the child's peak RSS; without it, wall time only.
  const command = timeBin ? [timeBin, '-f', '__TIME__ %e %M', node, ...args] : [node, ...args];
  const started = process.hrtime.bigint();
  const result = spawnSync(command[0]!, command.slice(1), { cwd, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } });
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  const line = /__TIME__ ([\d.]+) (\d+)/.exec(result.stderr ?? '');
  return { seconds: elapsed, ...(line ? { peakMb: Number(line[2]) / 1024 } : {}), status: result.status };
}

function best(samples: Sample[]): Sample {
  return samples.reduce((a, b) => (b.seconds < a.seconds ? b : a));
}

const rows: string[][] = [];
const header = ['models', 'check (s)', 'per model (ms)', 'peak (MB)', 'baseline (s)', 'ratio', 'baseline peak (MB)'];
for (const size of sizes) {
  const dir = join(out, String(size));
  process.stderr.write(`generating ${size} models…\n`);
  await generateRepository(dir, size);
  const check: Sample[] = [];
  const base: Sample[] = [];
  // Warm the compile cache once so every measured run starts the same way.
  measure([join(root, 'bin', 'threatmark.mjs'), 'check', '--today', '2026-12-04', '--format', 'json', '--output', join(dir, 'result.json')], dir);
  for (let r = 0; r < runs; r++) {
    process.stderr.write(`  run ${r + 1}/${runs}\r`);
    check.push(measure([join(root, 'bin', 'threatmark.mjs'), 'check', '--today', '2026-12-04', '--format', 'json', '--output', join(dir, 'result.json')], dir));
    base.push(measure([join(root, 'bench', 'baseline.ts'), dir], dir));
  }
  const c = best(check);
  const b = best(base);
  if (c.status !== 0 && c.status !== 1) process.stderr.write(`threatmark check exited with ${c.status} on ${size} models\n`);
  rows.push([String(size), c.seconds.toFixed(3), ((c.seconds * 1000) / size).toFixed(2), c.peakMb?.toFixed(0) ?? '?', b.seconds.toFixed(3), (c.seconds / b.seconds).toFixed(2), b.peakMb?.toFixed(0) ?? '?']);
}

const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const format = (cells: string[]) => cells.map((cell, i) => cell.padStart(widths[i]!)).join('  ');
process.stdout.write(`\nthreatmark check vs bare read + YAML parse (best of ${runs}, whole processes, ${process.version})\n`);
process.stdout.write(`${format(header)}\n${rows.map(format).join('\n')}\n`);
