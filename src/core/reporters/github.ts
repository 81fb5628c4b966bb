// GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` line
// per diagnostic, so each shows as an annotation on the file in the pull
// request. Escaping follows actions/toolkit `packages/core/src/command.ts`.
import type { RuleMeta } from '../diagnostics.ts';
import type { ProjectResult } from '../project.ts';
import type { Diagnostic, DiagnosticSeverity } from '../types.ts';
import { plural } from './stylish.ts';

/** GitHub displays at most this many annotations of each level per step. */
export const ANNOTATIONS_SHOWN_PER_LEVEL = 10;

const COMMANDS: Record<DiagnosticSeverity, 'error' | 'warning' | 'notice'> = { error: 'error', warning: 'warning', info: 'notice' };

/** toolkit `escapeData`: the message after `::`. */
export function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** toolkit `escapeProperty`: a `key=value` before `::`. */
export function escapeProperty(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** toolkit `Command.toString()`. */
export function workflowCommand(command: string, properties: Record<string, string | number | undefined>, message: string): string {
  const entries = Object.entries(properties).filter((entry): entry is [string, string | number] => entry[1] !== undefined && entry[1] !== '');
  const props = entries.map(([key, value]) => `${key}=${escapeProperty(String(value))}`).join(',');
  return `::${command}${props ? ` ${props}` : ''}::${escapeData(message)}`;
}

function annotation(d: Diagnostic, rule: RuleMeta | undefined): string {
  const sameLine = d.endLine === d.line;
  // Columns only count when the annotation stays on one line (toolkit: startColumn
  // and endColumn "cannot be sent when startLine and endLine are different").
  const properties = {
    file: d.file,
    line: d.line,
    endLine: d.endLine >= d.line ? d.endLine : d.line,
    col: sameLine ? d.column : undefined,
    endColumn: sameLine && d.endColumn > d.column ? d.endColumn : undefined,
    title: `threatmark(${d.rule})${rule?.title ? `: ${rule.title}` : ''}`,
  };
  const lines = [d.message];
  if (rule?.help) lines.push(`How to fix: ${rule.help}`);
  if (d.url) lines.push(d.url);
  return workflowCommand(COMMANDS[d.severity] ?? 'warning', properties, lines.join('\n'));
}

export function formatGithubAnnotations(result: ProjectResult): string {
  const rules = new Map(result.rules.map((r) => [r.id, r]));
  const lines = result.diagnostics.map((d) => annotation(d, rules.get(d.rule)));
  const { errors, warnings, infos, files } = result.summary;
  const counts = [plural(errors, 'error'), plural(warnings, 'warning'), plural(infos, 'notice')].join(', ');
  const gate = result.ok ? 'the gate passes' : 'the gate fails';
  let total = `threatmark: ${counts} in ${plural(files, 'file')}; ${gate}.`;
  if (files === 0 && result.diagnostics.length === 0) total = `threatmark: no threat models found (looked for ${result.config.include.join(', ')}); ${gate}.`;
  if (errors > ANNOTATIONS_SHOWN_PER_LEVEL || warnings > ANNOTATIONS_SHOWN_PER_LEVEL || infos > ANNOTATIONS_SHOWN_PER_LEVEL) {
    total += ` GitHub shows only ${ANNOTATIONS_SHOWN_PER_LEVEL} annotations of each kind per step: the full list is in the job summary and in the SARIF report (threatmark check --format sarif).`;
  } else if (result.diagnostics.length > 0) {
    total += ' The full list is also in the job summary and in the SARIF report (threatmark check --format sarif).';
  }
  lines.push(total);
  return `${lines.join('\n')}\n`;
}
