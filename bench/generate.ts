// Synthetic repositories for the benchmark: N models of ~20 elements, ~30
// flows and ~40 threats each, deterministic, valid format v1.
import { mkdir, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '../src/core/config.ts';
import { checkText } from '../src/core/project.ts';

const CATEGORIES = ['spoofing', 'tampering', 'repudiation', 'information-disclosure', 'denial-of-service', 'elevation-of-privilege'];
const LEVELS = ['low', 'medium', 'high'];
const STATUSES = ['mitigated', 'mitigated', 'accepted', 'transferred', 'not-applicable', 'open'];

function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

export function modelText(index: number): string {
  const random = rng(index + 1);
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
  const lines: string[] = ['---', 'threatmark: 1', `id: model-${index}`, `title: Synthetic service ${index}`, `summary: Generated model number ${index} for the benchmark.`, `owner: "@team-${index % 17}"`, 'status: in-review', 'methodologies: [stride]', 'data:'];
  for (let d = 0; d < 4; d++) lines.push(`  d${d}: { title: Data asset ${d}, classification: ${pick(['public', 'internal', 'confidential', 'restricted'])}, credentials: ${d === 0} }`);
  lines.push('boundaries:', '  internet: { title: Internet, trust: untrusted }', '  dmz: { title: DMZ, trust: semi-trusted }', '  core: { title: Core, parent: dmz }');
  lines.push('elements:');
  const elements: string[] = [];
  const types: string[] = [];
  for (let e = 0; e < 20; e++) {
    const type = e < 3 ? 'external' : e < 14 ? 'process' : 'store';
    const id = `e${e}`;
    elements.push(id);
    types.push(type);
    const boundary = type === 'external' ? 'internet' : pick(['dmz', 'core']);
    const attrs = type === 'process' ? `, authenticates: ${random() > 0.5}, logs: true, parses: [json]` : type === 'store' ? `, kind: ${pick(['sql', 'object', 'cache'])}, encrypted: true` : ', human: true';
    lines.push(`  ${id}: { type: ${type}, title: Element ${e} of model ${index}, boundary: ${boundary}, data: [d${e % 4}]${attrs} }`);
  }
  lines.push('flows:');
  const flowIds: string[] = [];
  for (let f = 0; f < 30; f++) {
    flowIds.push(`f${f}`);
    const from = elements[f % 20]!;
    const to = elements[(f * 7 + 3) % 20] === from ? elements[(f + 1) % 20]! : elements[(f * 7 + 3) % 20]!;
    lines.push(`  f${f}: { from: ${from}, to: ${to}, title: Flow ${f}, protocol: HTTPS, encrypted: true, data: [d${f % 4}] }`);
  }
  lines.push('threats:');
  const covered = new Set<string>();
  for (let t = 0; t < 40; t++) {
    covered.add(`e${t % 20}/${CATEGORIES[t % 6]}`);
    covered.add(`f${t % 30}/${CATEGORIES[t % 6]}`);
    const status = pick(STATUSES);
    const likelihood = status === 'open' ? 'low' : pick(LEVELS);
    lines.push(`  T-${t}:`, `    title: Threat ${t} against element ${t % 20}`, `    category: ${CATEGORIES[t % 6]}`, `    targets: [e${t % 20}, f${t % 30}]`, `    likelihood: ${likelihood}`, `    impact: ${status === 'open' ? 'low' : pick(LEVELS)}`, `    status: ${status}`);
    if (status === 'mitigated') lines.push('    mitigations: [Input validation, { title: Rate limiting, ref: src/limits.ts }]', '    refs: [CWE-20, CAPEC-66]');
    if (status === 'accepted') lines.push('    acceptance: { owner: "@alice", rationale: Low exposure., accepted: 2026-11-01, expires: 2027-06-01 }');
    if (status === 'transferred') lines.push('    transfer: { to: Cloud provider, rationale: Managed service. }');
  }
  // Answer the rest of STRIDE-per-element so the model passes, as a finished model would.
  const applicable: Record<string, string[]> = {
    external: ['spoofing', 'repudiation'],
    process: CATEGORIES,
    store: ['tampering', 'information-disclosure', 'denial-of-service'],
    flow: ['tampering', 'information-disclosure', 'denial-of-service'],
  };
  lines.push('not_applicable:');
  const targets = [...elements.map((id, i) => [id, types[i]!] as const), ...flowIds.map((id) => [id, 'flow'] as const)];
  for (const [id, type] of targets) {
    const open = applicable[type]!.filter((c) => !covered.has(`${id}/${c}`));
    if (open.length > 0) lines.push(`  - { targets: [${id}], categories: [${open.join(', ')}], reason: Covered by the platform baseline for ${id}. }`);
  }
  answerFindings(lines);
  lines.push('---', '', `# Synthetic service ${index}`, '', '## What are we working on?', '', 'A generated model for measuring Threatmark.', '', '### T-1 Threat 1', '', 'Prose attached to T-1.', '');
  return lines.join('\n');
}

/**
 * Answers the rules engine's findings with exclusions, as a finished model
 * answers them, so the benchmark measures a repository that passes cleanly.
 * The findings are computed once per model shape by Threatmark itself.
 */
function answerFindings(lines: string[]): void {
  const text = [...lines, '---', ''].join('\n');
  const outcome = checkText(text, { display: 'model.md', relativePath: 'model.md', config: defaultConfig(tmpdir()), today: '2026-12-04' });
  const byTarget = new Map<string, string[]>();
  for (const finding of outcome.model?.findings ?? []) {
    if (finding.answer) continue;
    byTarget.set(finding.target, [...(byTarget.get(finding.target) ?? []), finding.rule]);
  }
  for (const [target, rules] of byTarget) lines.push(`  - { targets: [${target}], rules: [${rules.join(', ')}], reason: Handled by the platform baseline for ${target}. }`);
}

export async function generateRepository(dir: string, count: number): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  const models = join(dir, 'threat-models');
  await mkdir(models, { recursive: true });
  // The code the mitigations point at, so their refs resolve.
  await mkdir(join(dir, 'src'), { recursive: true });
  await writeFile(join(dir, 'src', 'limits.ts'), 'export const MAX_BODY = 10_000_000;\n');
  for (let start = 0; start < count; start += 200) {
    await Promise.all(Array.from({ length: Math.min(200, count - start) }, (_, k) => writeFile(join(models, `model-${start + k}.md`), modelText(start + k))));
  }
}
