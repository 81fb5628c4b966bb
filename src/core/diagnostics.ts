// Diagnostics in the style of remark-lint: vfile messages with a stable rule
// id, a source, a docs URL and a place in the original file.
import { VFile } from 'vfile';
import type { VFileMessage } from 'vfile-message';
import type { Diagnostic, DiagnosticSeverity, Range } from './types.ts';

export const DOCS_BASE_URL = 'https://threatmark.dev/docs/checks/';

export interface RuleMeta {
  /** Stable, kebab-case. Never reuse an id for a different meaning. */
  id: string;
  /** Default severity; some checks choose per occurrence (e.g. coverage in approved models). */
  severity: DiagnosticSeverity;
  /** One line: what the rule reports. */
  title: string;
  /** Why it matters. */
  description: string;
  /** How to fix it. */
  help: string;
}

export function docsUrl(rule: string): string {
  return `${DOCS_BASE_URL}#${rule}`;
}

/** Collects the diagnostics of one file as vfile messages. */
export class DiagnosticSink {
  readonly vfile: VFile;
  readonly diagnostics: Diagnostic[] = [];
  private readonly overrides: Readonly<Record<string, DiagnosticSeverity | 'off'>>;
  private readonly model: () => string | undefined;

  constructor(path: string, overrides: Readonly<Record<string, DiagnosticSeverity | 'off'>> = {}, model: () => string | undefined = () => undefined) {
    this.vfile = new VFile({ path });
    this.overrides = overrides;
    this.model = model;
  }

  report(rule: string, severity: DiagnosticSeverity, message: string, range: Range, subject?: string): void {
    const override = Object.hasOwn(this.overrides, rule) ? this.overrides[rule] : undefined;
    if (override === 'off') return;
    const finalSeverity = override ?? severity;
    const vmessage: VFileMessage = this.vfile.message(message, {
      place: { start: strip(range.start), end: strip(range.end) },
      ruleId: rule,
      source: 'threatmark',
    });
    vmessage.fatal = finalSeverity === 'error' ? true : finalSeverity === 'warning' ? false : undefined;
    vmessage.url = docsUrl(rule);
    const model = this.model();
    this.diagnostics.push({
      file: this.vfile.path,
      line: range.start.line,
      column: range.start.column,
      endLine: range.end.line,
      endColumn: range.end.column,
      severity: finalSeverity,
      rule,
      message,
      url: vmessage.url,
      ...(model ? { model } : {}),
      ...(subject ? { subject } : {}),
    });
  }
}

function strip(point: { line: number; column: number; offset?: number }) {
  return { line: point.line, column: point.column, offset: point.offset };
}

const SEVERITY_ORDER: Record<DiagnosticSeverity, number> = { error: 0, warning: 1, info: 2 };

/** Stable order: file, position, severity, rule, message. */
export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.line - b.line ||
      a.column - b.column ||
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0) ||
      (a.message < b.message ? -1 : a.message > b.message ? 1 : 0),
  );
}

// ---------------------------------------------------------------------------
// "Did you mean …"

/** Edit distance where swapping two adjacent letters counts as one typo (optimal string alignment). */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      row[j] = best;
    }
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/** The closest candidate, if it is close enough to be a plausible typo. Ties go to the longest shared start. */
export function closest(input: string, candidates: readonly string[]): string | undefined {
  if (input.length > 64) return undefined;
  const needle = input.toLowerCase().replace(/[_\s]/g, '-');
  let best: string | undefined;
  let bestDistance = Infinity;
  let bestPrefix = -1;
  for (const candidate of candidates) {
    const hay = candidate.toLowerCase().replace(/[_\s]/g, '-');
    const distance = hay === needle ? 0 : levenshtein(needle, hay);
    const prefix = commonPrefix(needle, hay);
    if (distance < bestDistance || (distance === bestDistance && prefix > bestPrefix)) {
      bestDistance = distance;
      bestPrefix = prefix;
      best = candidate;
    }
  }
  // Short ids are too easily "close" to each other for a suggestion to help.
  const limit = input.length < 3 ? 0 : Math.max(1, Math.floor(input.length / 3));
  return best !== undefined && bestDistance <= limit ? best : undefined;
}

export function didYouMean(input: string, candidates: readonly string[]): string {
  const match = closest(input, candidates);
  return match !== undefined ? `; did you mean \`${match}\`?` : '';
}

/** Quotes a user-written value for a message, shortened and on one line. */
export function quote(value: unknown): string {
  let text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  text = text.replace(/\s+/g, ' ');
  if (text.length > 60) text = `${text.slice(0, 57)}…`;
  return `\`${text}\``;
}
