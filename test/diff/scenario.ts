// A small project whose threat model evolves on a branch, for the diff tests.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import { ROOT } from '../git/repo.ts';

export const TODAY = '2026-12-04';

export interface ThreatSpec {
  title: string;
  category: string;
  targets: string[];
  likelihood: string;
  impact: string;
  status: string;
  extra?: string[];
}

export interface ModelSpec {
  id: string;
  title: string;
  covers?: string[];
  elements: Record<string, string>;
  flows?: Record<string, string>;
  threats: Record<string, ThreatSpec>;
}

export function modelText(spec: ModelSpec): string {
  const lines = ['---', 'threatmark: 1', `id: ${spec.id}`, `title: ${spec.title}`, 'owner: "@media-team"', 'status: in-review'];
  if (spec.covers) lines.push(`covers: [${spec.covers.join(', ')}]`);
  lines.push('elements:', ...Object.entries(spec.elements).map(([id, e]) => `  ${id}: ${e}`));
  if (spec.flows) lines.push('flows:', ...Object.entries(spec.flows).map(([id, f]) => `  ${id}: ${f}`));
  if (Object.keys(spec.threats).length > 0) lines.push('threats:');
  for (const [id, t] of Object.entries(spec.threats)) {
    lines.push(`  ${id}:`, `    title: ${t.title}`, `    category: ${t.category}`, `    targets: [${t.targets.join(', ')}]`, `    likelihood: ${t.likelihood}`, `    impact: ${t.impact}`, `    status: ${t.status}`);
    for (const e of t.extra ?? []) lines.push(`    ${e}`);
  }
  lines.push('---', '', `# ${spec.title}`, '', 'What we are working on.', '');
  return lines.join('\n');
}

/** The upload model at BASE. */
export function uploadModel(): ModelSpec {
  return {
    id: 'upload',
    title: 'Photo upload',
    covers: ['src/upload/**'],
    elements: {
      browser: '{ type: external, title: User browser, human: true }',
      api: '{ type: process, title: Upload API }',
      bucket: '{ type: store, kind: object, title: Photo bucket }',
    },
    flows: {
      put: '{ from: browser, to: api, title: Upload request, protocol: HTTPS, encrypted: true }',
      store: '{ from: api, to: bucket, title: Store photo }',
    },
    threats: {
      'UP-1': {
        title: 'Upload as another user',
        category: 'spoofing',
        targets: ['api'],
        likelihood: 'medium',
        impact: 'high',
        status: 'mitigated',
        extra: ['mitigations: [{ title: Verify the token, ref: "src/upload/auth.ts#L2" }]'],
      },
      'UP-2': { title: 'Huge uploads exhaust storage', category: 'denial-of-service', targets: ['bucket'], likelihood: 'high', impact: 'medium', status: 'open' },
      'UP-3': { title: 'Photo bucket readable by anyone', category: 'information-disclosure', targets: ['bucket'], likelihood: 'low', impact: 'high', status: 'open' },
    },
  };
}

const GOLDEN = join(ROOT, 'test', 'fixtures', 'diff');

/** Compares with test/fixtures/diff/NAME; `UPDATE_GOLDEN=1` rewrites the file. */
export function expectGolden(name: string, actual: string): void {
  const file = join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
  }
  expect(existsSync(file), `${file} is missing: run with UPDATE_GOLDEN=1 to create it`).toBe(true);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}
