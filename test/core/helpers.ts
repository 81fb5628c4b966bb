// Helpers of the core unit tests: check a model text with a configuration.
import { defaultConfig, type ResolvedConfig } from '../../src/core/config.ts';
import { checkText } from '../../src/core/project.ts';
import type { Diagnostic, ResolvedModel } from '../../src/core/types.ts';

export const TODAY = '2026-12-04';

export function config(overrides: Partial<ResolvedConfig> = {}): ResolvedConfig {
  return { ...defaultConfig('/nonexistent-threatmark-test-root'), ...overrides };
}

export interface Checked {
  model: ResolvedModel;
  diagnostics: Diagnostic[];
}

/** Checks a model text; the model must resolve (frontmatter present and `threatmark: 1`). */
export function check(text: string, options: { config?: ResolvedConfig; today?: string; file?: string } = {}): Checked {
  const file = options.file ?? 'threat-models/model.md';
  const outcome = checkText(text, { display: file, relativePath: file, config: options.config ?? config(), today: options.today ?? TODAY });
  if (!outcome.model) throw new Error(`the model did not resolve: ${outcome.sink.diagnostics.map((d) => d.message).join('; ')}`);
  return { model: outcome.model, diagnostics: outcome.sink.diagnostics };
}

/** A model text from frontmatter lines (without the fences). */
export function model(...lines: string[]): string {
  return ['---', 'threatmark: 1', 'title: Test model', 'owner: "@team"', ...lines, '---', ''].join('\n');
}

export const brief = (d: Diagnostic) => `${d.line}:${d.column} ${d.severity} ${d.rule} ${d.message}`;
