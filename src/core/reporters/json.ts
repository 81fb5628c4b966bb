// Machine-readable output: diagnostics, resolved models and a summary.
import type { ProjectResult } from '../project.ts';

export function formatJson(result: ProjectResult): string {
  return `${JSON.stringify(
    {
      diagnostics: result.diagnostics.map((d) => ({
        file: d.file,
        line: d.line,
        column: d.column,
        endLine: d.endLine,
        endColumn: d.endColumn,
        severity: d.severity,
        rule: d.rule,
        message: d.message,
        ...(d.model ? { model: d.model } : {}),
        ...(d.subject ? { subject: d.subject } : {}),
        ...(d.url ? { url: d.url } : {}),
      })),
      models: result.models,
      summary: { ...result.summary, ok: result.ok, failOn: result.config.failOn, strict: result.config.strict, today: result.today },
    },
    null,
    2,
  )}\n`;
}
