// Helpers for the rules-engine tests: every model goes through the real
// parser and checker (checkText / checkProject), never a hand-built object.
import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.ts';
import { defaultConfig, type ResolvedConfig } from '../../src/core/config.ts';
import { checkText } from '../../src/core/project.ts';
import type { Diagnostic, ResolvedModel } from '../../src/core/types.ts';

export const TODAY = '2026-12-01';
export const FIXTURES = fileURLToPath(new URL('../fixtures/rules/', import.meta.url));
export const REPO = fileURLToPath(new URL('../../', import.meta.url));

export interface Checked {
  model: ResolvedModel;
  diagnostics: Diagnostic[];
}

export function checkModelText(text: string, config: Partial<ResolvedConfig> = {}, display = 'model.md'): Checked {
  const outcome = checkText(text, { display, relativePath: display, config: { ...defaultConfig(FIXTURES), ...config }, today: TODAY });
  if (!outcome.model) throw new Error(`not a model: ${outcome.sink.diagnostics.map((d) => d.message).join('; ')}`);
  return { model: outcome.model, diagnostics: outcome.sink.diagnostics };
}

export function checkFixture(relative: string, config: Partial<ResolvedConfig> = {}): Checked & { text: string } {
  const text = readFileSync(FIXTURES + relative, 'utf8');
  return { ...checkModelText(text, config, relative), text };
}

/** The model file with one frontmatter line replaced (the line must occur once). */
export function edit(text: string, from: string, to: string): string {
  if (text.split(from).length !== 2) throw new Error(`\`${from}\` must occur exactly once`);
  return text.replace(from, to);
}

export function ids(checked: Checked): string[] {
  return checked.model.findings.map((f) => f.id);
}

export function byRule(diagnostics: Diagnostic[], rule: string): Diagnostic[] {
  return diagnostics.filter((d) => d.rule === rule);
}

/** Runs the CLI in-process. */
export async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (c) => (stdout += String(c)));
  err.on('data', (c) => (stderr += String(c)));
  const code = await main(argv, { stdout: out, stderr: err });
  return { code, stdout, stderr };
}

export const SCHEMA_RULES = ['yaml-syntax', 'duplicate-key', 'unknown-key', 'missing-key', 'invalid-value', 'invalid-id', 'invalid-ref', 'dangling-reference', 'unknown-rule'];
