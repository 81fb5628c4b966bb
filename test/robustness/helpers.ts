// Shared helpers of the robustness tests: check a text or a file, and verify
// that every diagnostic points inside the file it is about.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { defaultConfig } from '../../src/core/config.ts';
import { checkText } from '../../src/core/project.ts';
import type { Diagnostic } from '../../src/core/types.ts';

export const TODAY = '2026-12-04';
export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const NODE = fileURLToPath(new URL('../../node_modules/.bin/node', import.meta.url));
export const CLI = fileURLToPath(new URL('../../bin/threatmark.mjs', import.meta.url));

const config = defaultConfig(fileURLToPath(new URL('../fixtures/golden/valid/', import.meta.url)));

/** Valid models to mutate: the golden `valid` fixture and the spec's example. */
export const SEED_MODELS: readonly string[] = [
  readFileSync(new URL('../fixtures/golden/valid/threat-models/newsletter.md', import.meta.url), 'utf8'),
  readFileSync(new URL('../fixtures/golden/valid/threat-models/billing/invoices.md', import.meta.url), 'utf8'),
  readFileSync(new URL('../fixtures/golden/spec-example/threat-models/profile-upload.md', import.meta.url), 'utf8'),
];

/** A small valid model (draft, one external element, coverage answered). */
export const MINIMAL_MODEL = [
  '---',
  'threatmark: 1',
  'title: Minimal',
  'owner: "@team"',
  'status: draft',
  'elements:',
  '  user: { type: external, title: User }',
  'not_applicable:',
  '  - targets: [user]',
  '    categories: [spoofing, repudiation]',
  '    reason: Toy model.',
  '---',
  '',
].join('\n');

/** Runs the whole single-file pipeline on a text (as read from a file, BOM removed). */
export function checkString(text: string, display = 'model.md'): Diagnostic[] {
  return checkText(text, { display, relativePath: display, config, today: TODAY }).sink.diagnostics;
}

/**
 * The lengths (UTF-16 units, without the line terminator) of the lines of a
 * text, splitting as the checker does: LF, CRLF, and a lone CR.
 */
export function lineLengths(text: string): number[] {
  return text.split(/\r\n|\r|\n/).map((line) => line.length);
}

export function describeDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column}-${d.endLine}:${d.endColumn} ${d.severity} ${d.rule} ${d.message}`;
}

/** Every diagnostic has a 1-based start and end inside `text`, end not before start. */
export function expectPositionsInside(text: string, diagnostics: readonly Diagnostic[]): void {
  const lengths = lineLengths(text);
  for (const d of diagnostics) {
    const where = `${describeDiagnostic(d)}\n(in a text of ${lengths.length} lines)`;
    for (const [line, column] of [
      [d.line, d.column],
      [d.endLine, d.endColumn],
    ] as const) {
      expect(Number.isInteger(line) && Number.isInteger(column), where).toBe(true);
      expect(line, where).toBeGreaterThanOrEqual(1);
      expect(line, where).toBeLessThanOrEqual(lengths.length);
      expect(column, where).toBeGreaterThanOrEqual(1);
      expect(column, where).toBeLessThanOrEqual(lengths[line - 1]! + 1);
    }
    expect(d.endLine > d.line || (d.endLine === d.line && d.endColumn >= d.column), where).toBe(true);
    expect(typeof d.message === 'string' && d.message.length > 0, where).toBe(true);
    expect(d.message, where).not.toMatch(/\n {4}at /);
  }
}

/** Own property names of the built-in prototypes, to detect pollution. */
export function prototypeSnapshot(): string {
  const names = (o: object) => Reflect.ownKeys(o).map(String).sort().join(',');
  return [names(Object.prototype), names(Array.prototype), names(Function.prototype), names(String.prototype)].join('|');
}
