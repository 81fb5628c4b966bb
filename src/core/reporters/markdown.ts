// A summary for a pull-request comment or $GITHUB_STEP_SUMMARY: a headline, a
// table per model, the diagnostics per file, and the accepted risks that expire
// soon. Everything written by model authors (titles, ids, paths, and the values
// quoted in messages) is escaped so it cannot break a table, inject HTML or
// mention people. The output is deterministic (no clock: `result.today` only)
// and kept under GitHub's 1 MiB step-summary limit.
import { resolve } from 'node:path';
import { daysBetween } from '../dates.ts';
import type { ProjectResult } from '../project.ts';
import type { Diagnostic, DiagnosticSeverity, ResolvedModel, ResolvedThreat } from '../types.ts';
import { plural } from './stylish.ts';

export interface MarkdownOptions {
  /** Diagnostic rows before the list is cut (default 1,000). */
  maxRows?: number;
  /** Byte budget for the whole document (default 1,000,000: under 1 MiB with room to spare). */
  maxBytes?: number;
}

const DEFAULT_MAX_ROWS = 1000;
const DEFAULT_MAX_BYTES = 1_000_000;
/** Longest cell text kept, in characters, before it is shortened with `…`. */
const MAX_CELL = 400;

// ---------------------------------------------------------------------------
// Escaping

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '|': '&#124;',
  '`': '&#96;',
  '\\': '&#92;',
  '*': '&#42;',
  _: '&#95;',
  '[': '&#91;',
  ']': '&#93;',
  '~': '&#126;',
  '@': '&#64;',
  '$': '&#36;',
};

/** Text as character references: nothing in it is Markdown, HTML or a table separator. */
function entities(text: string): string {
  return text.replace(/[&<>|`\\*_[\]~@$]/g, (c) => ENTITIES[c]!);
}

function shorten(text: string, max = MAX_CELL): string {
  const flat = text.replace(/[\r\n\t\u2028\u2029]+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/**
 * Plain author text for a table cell: HTML and Markdown specials become
 * character references, line breaks become spaces, and `@name` is shown as
 * code so a pull-request comment does not notify the people named in a model.
 */
export function escapeText(text: string): string {
  return shorten(text)
    .split(/((?<![\w@])@[A-Za-z0-9][\w./-]*)/)
    .map((part, i) => (i % 2 === 1 ? `<code>${entities(part)}</code>` : entities(part)))
    .join('');
}

/** Author text shown as code (ids, paths, values). */
export function escapeCode(text: string): string {
  return `<code>${entities(shorten(text))}</code>`;
}

/**
 * A diagnostic message: the checker writes quoted values between backticks,
 * which become `<code>`; everything else is escaped text. An unpaired backtick
 * (one inside a quoted value) shows as a literal backtick, never as Markdown.
 */
export function escapeMessage(message: string): string {
  const parts = shorten(message, MAX_CELL * 2).split('`');
  const paired = parts.length % 2 === 1 ? parts.length : parts.length - 1;
  let out = '';
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (i >= paired) out += `&#96;${escapeText(part)}`;
    else out += i % 2 === 1 ? `<code>${entities(part)}</code>` : escapeText(part);
  }
  return out;
}

/** A link only when the URL is plain http(s); otherwise the text alone. */
function link(label: string, url: string | undefined): string {
  if (!url || !/^https?:\/\/[^\s<>"'`|()[\]\\]+$/i.test(url)) return label;
  return `[${label}](${url})`;
}

// ---------------------------------------------------------------------------
// Pieces

const SEVERITY_LABEL: Record<DiagnosticSeverity, string> = { error: '❌ error', warning: '⚠️ warning', info: 'ℹ️ info' };

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function modelGate(model: ResolvedModel, strict: boolean): { rank: number; label: string } {
  const { errors, warnings } = model.summaryCounts;
  if (errors > 0 || (strict && warnings > 0)) return { rank: 0, label: '❌ fails' };
  if (warnings > 0) return { rank: 1, label: '⚠️ passes with warnings' };
  return { rank: 2, label: '✅ passes' };
}

/** Maps a diagnostic's file (relative to the working directory) to its model, if it became one. */
function modelFinder(result: ProjectResult): (file: string) => ResolvedModel | undefined {
  const byPath = new Map(result.models.map((m) => [resolve(result.config.root, m.file), m]));
  return (file) => {
    const exact = byPath.get(resolve(file));
    if (exact) return exact;
    return result.models.find((m) => file === m.file || file.endsWith(`/${m.file}`));
  };
}

function headline(result: ProjectResult): string {
  const { errors, warnings, files, models } = result.summary;
  if (files === 0 && result.diagnostics.length === 0) return '## ⚠️ No threat models found';
  if (result.ok) {
    const tail = warnings > 0 ? ` (${plural(warnings, 'warning')})` : '';
    return `## ✅ ${plural(models, 'threat model')} ${models === 1 ? 'passes' : 'pass'} the gate${tail}`;
  }
  const findModel = modelFinder(result);
  const failing = result.diagnostics.filter((d) => d.severity === 'error' || (result.config.strict && d.severity === 'warning'));
  const failingFiles = new Set(failing.map((d) => d.file));
  const what = errors > 0 ? plural(errors, 'error') : `${plural(warnings, 'warning')} (strict mode)`;
  if ([...failingFiles].every((f) => findModel(f) !== undefined)) return `## ❌ ${what} in ${failingFiles.size} of ${plural(models, 'model')}`;
  return `## ❌ ${what} in ${plural(failingFiles.size, 'file')} (${plural(models, 'model')} checked)`;
}

function gateLine(result: ProjectResult): string {
  const { errors, warnings, infos } = result.summary;
  const counts = [plural(errors, 'error'), plural(warnings, 'warning')];
  if (infos > 0) counts.push(plural(infos, 'info', 'infos'));
  return `${counts.join(' · ')} · fail_on **${result.config.failOn}**${result.config.strict ? ' · strict (warnings fail)' : ''} · evaluated on ${result.today}`;
}

function modelsTable(result: ProjectResult, budget: Budget): string[] {
  const entries = result.models
    .map((model) => ({ model, gate: modelGate(model, result.config.strict) }))
    .sort((a, b) => a.gate.rank - b.gate.rank || compare(a.model.id, b.model.id) || compare(a.model.file, b.model.file));
  // Files with errors that never became a model (unreadable, not a threat model, broken YAML).
  const findModel = modelFinder(result);
  const strays = [...new Set(result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.file))].filter((f) => !findModel(f)).sort(compare);
  if (entries.length === 0 && strays.length === 0) return [];
  const lines = ['### Models', '', row(['Model', 'Status', 'Threats', 'Unresolved', 'Coverage', 'Errors', 'Warnings']), row(['---', '---', '---:', '---:', '---:', '---:', '---:'])];
  const rows = [
    ...strays.map((file) => {
      const config = result.config.configFile?.split('\\').join('/');
      const isConfig = config !== undefined && (resolve(file) === resolve(config) || config.endsWith(`/${file}`));
      const status = isConfig ? '❌ invalid configuration' : '❌ not a valid model';
      return row([escapeCode(file), status, '—', '—', '—', String(countFor(result, file, 'error')), String(countFor(result, file, 'warning'))]);
    }),
    ...entries.map(({ model, gate }) => {
      const c = model.summaryCounts;
      const name = `${escapeText(model.title)}<br>${escapeCode(model.id)} · ${escapeText(model.status)}`;
      const coverage = model.coverage.total === 0 ? '—' : `${model.coverage.percent}%`;
      return row([name, gate.label, String(c.threats), String(c.unresolved), coverage, String(c.errors), String(c.warnings)]);
    }),
  ];
  let shown = 0;
  for (const line of rows) {
    if (!budget.take(line)) break;
    lines.push(line);
    shown++;
  }
  if (shown < rows.length) lines.push('', `_${plural(rows.length - shown, 'more row')} not shown: the summary would exceed GitHub's size limit._`);
  lines.push('');
  return lines;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function countFor(result: ProjectResult, file: string, severity: DiagnosticSeverity): number {
  return result.diagnostics.filter((d) => d.file === file && d.severity === severity).length;
}

function diagnosticsSection(result: ProjectResult, budget: Budget, maxRows: number): string[] {
  if (result.diagnostics.length === 0) return [];
  const byFile = new Map<string, Diagnostic[]>();
  for (const d of result.diagnostics) {
    const list = byFile.get(d.file) ?? [];
    list.push(d);
    byFile.set(d.file, list);
  }
  const lines = ['### Diagnostics', ''];
  let rows = 0;
  let cut = false;
  for (const [file, list] of byFile) {
    if (cut) break;
    const header = [`#### ${escapeCode(file)}`, '', row(['Location', 'Severity', 'Rule', 'Message']), row(['---', '---', '---', '---'])];
    if (!budget.take(header.join('\n'))) {
      cut = true;
      break;
    }
    lines.push(...header);
    for (const d of list) {
      const line = row([
        escapeCode(`${d.file}:${d.line}:${d.column}`),
        SEVERITY_LABEL[d.severity] ?? d.severity,
        link(escapeCode(d.rule), d.url),
        escapeMessage(d.message),
      ]);
      if (rows >= maxRows || !budget.take(line)) {
        cut = true;
        break;
      }
      lines.push(line);
      rows++;
    }
    lines.push('');
  }
  if (cut) {
    const rest = result.diagnostics.length - rows;
    lines.push(`_${plural(rest, 'more diagnostic')} not shown (the summary lists at most ${Math.min(maxRows, rows)}). Run \`threatmark check\` for the full list, or upload \`threatmark check --format sarif\` to code scanning._`, '');
  }
  return lines;
}

function expiringSection(result: ProjectResult, budget: Budget): string[] {
  const window = result.config.expiryWarningDays;
  const soon: { model: ResolvedModel; threat: ResolvedThreat; days: number }[] = [];
  for (const model of result.models) {
    for (const threat of model.threats) {
      const expires = threat.acceptance?.expires;
      if (threat.status !== 'accepted' || !expires || !/^\d{4}-\d{2}-\d{2}$/.test(expires)) continue;
      const days = daysBetween(result.today, expires);
      if (Number.isFinite(days) && days >= 0 && days <= window) soon.push({ model, threat, days });
    }
  }
  if (soon.length === 0) return [];
  soon.sort((a, b) => a.days - b.days || compare(a.model.id, b.model.id) || compare(a.threat.id, b.threat.id));
  const lines = [`### Accepted risks expiring within ${plural(window, 'day')}`, '', row(['Model', 'Threat', 'Severity', 'Owner', 'Expires']), row(['---', '---', '---', '---', '---'])];
  let shown = 0;
  for (const { model, threat, days } of soon) {
    const when = days === 0 ? 'today' : days === 1 ? 'tomorrow' : `in ${days} days`;
    const line = row([
      escapeCode(model.id),
      `${escapeCode(threat.id)} ${escapeText(threat.title)}`,
      threat.severity ? threat.severity.toUpperCase() : '—',
      threat.acceptance?.owner ? escapeText(threat.acceptance.owner) : '—',
      `${threat.acceptance!.expires} (${when})`,
    ]);
    if (!budget.take(line)) break;
    lines.push(line);
    shown++;
  }
  if (shown < soon.length) lines.push('', `_${plural(soon.length - shown, 'more acceptance')} not shown._`);
  lines.push('');
  return lines;
}

/** Counts bytes as lines are added, keeping a reserve for the closing notes. */
class Budget {
  private used = 0;
  private readonly limit: number;
  constructor(limit: number) {
    this.limit = limit;
  }
  take(text: string): boolean {
    const size = Buffer.byteLength(text, 'utf8') + 1;
    if (this.used + size > this.limit) return false;
    this.used += size;
    return true;
  }
}

export function formatMarkdown(result: ProjectResult, options: MarkdownOptions = {}): string {
  const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
  // 8 KB stay in reserve for headings and "not shown" notes.
  const budget = new Budget(Math.max(0, (options.maxBytes ?? DEFAULT_MAX_BYTES) - 8192));
  const lines = [headline(result), '', gateLine(result), ''];
  // The expiring acceptances are short and actionable: they come before the long list.
  const models = modelsTable(result, budget);
  const expiring = expiringSection(result, budget);
  const diagnostics = diagnosticsSection(result, budget, maxRows);
  lines.push(...models, ...expiring, ...diagnostics);
  lines.push('<sub>Generated by Threatmark.</sub>', '');
  return lines.join('\n');
}
