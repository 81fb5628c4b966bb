// The checking pipeline: discover model files, read and parse each one,
// validate, resolve, run every check, then the cross-file checks.
import { stat } from 'node:fs/promises';
import { relative, resolve, sep } from 'node:path';
import { glob } from 'tinyglobby';
import { MODEL_CHECKS, PROJECT_CHECKS, allRules } from './checks/index.ts';
import type { ModelCheck, ModelCheckContext, Place, ProjectEntry, ReportOptions } from './checks/types.ts';
import { ALWAYS_EXCLUDED, displayPath, loadConfig, type ResolvedConfig } from './config.ts';
import { todayUtc } from './dates.ts';
import { DiagnosticSink, sortDiagnostics, type RuleMeta } from './diagnostics.ts';
import { locate, parseModelText, type ParsedFile } from './parse.ts';
import { modelIdFromPath, resolveModel } from './resolve.ts';
import { ID_SECTIONS, MODEL_ID_PATTERN, modelSchema } from './schema.ts';
import { readSource } from './source.ts';
import type { Diagnostic, Range, ResolvedModel } from './types.ts';
import { validateAgainst } from './validate.ts';

export interface CheckOptions {
  /** Working directory: paths in diagnostics are relative to it. Default: process.cwd(). */
  cwd?: string;
  /** Files or folders to check instead of the configured sources. */
  paths?: string[];
  /** Explicit configuration file. */
  configFile?: string;
  /** Source root overriding the configuration's (`threatmark build --source`). */
  source?: string;
  /** Evaluate dates as of this day (YYYY-MM-DD). */
  today?: string;
  /** Configuration overrides from the command line. */
  overrides?: Partial<Pick<ResolvedConfig, 'failOn' | 'strict'>>;
  /** Extra checks (the rules engine plugs in here). */
  extraChecks?: ModelCheck[];
  /** Called after each file, for progress output. */
  onProgress?: (done: number, total: number) => void;
}

export interface ProjectSummary {
  files: number;
  models: number;
  errors: number;
  warnings: number;
  infos: number;
}

export interface ProjectResult {
  config: ResolvedConfig;
  models: ResolvedModel[];
  diagnostics: Diagnostic[];
  summary: ProjectSummary;
  /** The gate passes: no errors (and, in strict mode, no warnings). */
  ok: boolean;
  today: string;
  rules: RuleMeta[];
}

interface FileOutcome {
  parsed?: ParsedFile;
  model?: ResolvedModel;
  explicitId: boolean;
  sink: DiagnosticSink;
}

export async function checkProject(options: CheckOptions = {}): Promise<ProjectResult> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const today = options.today ?? todayUtc();
  const extraChecks = options.extraChecks ?? [];
  const rules = allRules(extraChecks);
  const { config, diagnostics: configDiagnostics } = await loadConfig(cwd, options.configFile, rules.map((r) => r.id));
  if (options.source) config.root = resolve(cwd, options.source);
  if (options.overrides?.failOn) config.failOn = options.overrides.failOn;
  if (options.overrides?.strict !== undefined) config.strict = options.overrides.strict;

  const { files, missing } = await discover(cwd, config, options.paths);
  const diagnostics: Diagnostic[] = [...configDiagnostics];
  for (const path of missing) {
    const sink = new DiagnosticSink(path);
    const zero = { line: 1, column: 1, offset: 0 };
    sink.report('file-unreadable', 'error', 'no such file or folder', { start: zero, end: zero });
    diagnostics.push(...sink.diagnostics);
  }

  const outcomes: FileOutcome[] = new Array(files.length);
  let done = 0;
  await pool(files, 16, async (absolute, index) => {
    const outcome = await checkFile(absolute, cwd, config, today, extraChecks);
    // The position-keeping YAML document is large; the project checks rarely need it
    // again, and `locate` rebuilds it on demand, so memory stays flat across thousands of files.
    if (outcome.parsed) outcome.parsed.document = undefined;
    outcomes[index] = outcome;
    options.onProgress?.(++done, files.length);
  });

  const entries: ProjectEntry[] = [];
  for (const outcome of outcomes) {
    if (!outcome.model || !outcome.parsed) continue;
    const ctx = makeReporter(outcome.parsed, outcome.sink, extraChecks);
    entries.push({ model: outcome.model, file: outcome.parsed, explicitId: outcome.explicitId, report: ctx });
  }
  for (const check of PROJECT_CHECKS) check.checkProject(entries, config);

  const models: ResolvedModel[] = [];
  for (const outcome of outcomes) {
    diagnostics.push(...outcome.sink.diagnostics);
    if (!outcome.model) continue;
    const counts = outcome.model.summaryCounts;
    for (const d of outcome.sink.diagnostics) {
      if (d.severity === 'error') counts.errors++;
      else if (d.severity === 'warning') counts.warnings++;
      else counts.infos++;
    }
    outcome.model.valid = counts.errors === 0;
    models.push(outcome.model);
  }
  models.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.file < b.file ? -1 : 1));
  sortDiagnostics(diagnostics);
  const summary: ProjectSummary = {
    files: files.length,
    models: models.length,
    errors: diagnostics.filter((d) => d.severity === 'error').length,
    warnings: diagnostics.filter((d) => d.severity === 'warning').length,
    infos: diagnostics.filter((d) => d.severity === 'info').length,
  };
  const ok = summary.errors === 0 && (!config.strict || summary.warnings === 0);
  return { config, models, diagnostics, summary, ok, today, rules };
}

async function checkFile(absolute: string, cwd: string, config: ResolvedConfig, today: string, extraChecks: ModelCheck[]): Promise<FileOutcome> {
  const display = displayPath(cwd, absolute);
  let modelId: string | undefined;
  const sink = new DiagnosticSink(display, config.checks, () => modelId);
  const outcome: FileOutcome = { sink, explicitId: false };
  const read = await readSource(absolute);
  if (!read.ok) {
    const point = { line: read.line ?? 1, column: read.column ?? 1, offset: read.offset ?? 0 };
    sink.report(read.rule, 'error', read.message, { start: point, end: point });
    return outcome;
  }
  return checkText(read.text, { display, relativePath: relativePosix(config.root, absolute), config, today, extraChecks, sink, setModelId: (id) => (modelId = id) });
}

export interface CheckTextOptions {
  display: string;
  relativePath: string;
  config: ResolvedConfig;
  today: string;
  extraChecks?: ModelCheck[];
  sink?: DiagnosticSink;
  setModelId?: (id: string) => void;
}

/** Checks one model given as text. Used by checkProject, the dev server and tests. */
export function checkText(text: string, options: CheckTextOptions): FileOutcome {
  let modelId: string | undefined;
  const setModelId = (id: string) => {
    modelId = id;
    options.setModelId?.(id);
  };
  const sink = options.sink ?? new DiagnosticSink(options.display, options.config.checks, () => modelId);
  const outcome: FileOutcome = { sink, explicitId: false };
  let parsed: ParsedFile;
  try {
    parsed = parseModelText(options.display, text);
  } catch (error) {
    // The Markdown parser itself gave up (pathological input): report, do not crash.
    const zero = { line: 1, column: 1, offset: 0 };
    sink.report('yaml-syntax', 'error', `the file could not be parsed: ${(error as Error).message}`, { start: zero, end: zero });
    return outcome;
  }
  outcome.parsed = parsed;
  const report = makeReporter(parsed, sink, options.extraChecks);

  if (parsed.frontmatter === 'unclosed') {
    report('frontmatter-unclosed', 'the frontmatter opened on line 1 is never closed with a `---` line', parsed.fenceRange);
    return outcome;
  }
  if (parsed.frontmatter === 'absent') {
    report('not-a-threat-model', 'no frontmatter: a threat model starts with `---`, then `threatmark: 1`', parsed.lines.fileStart());
    return outcome;
  }
  for (const problem of parsed.yamlProblems) report(problem.rule, problem.message, problem.range);
  if (parsed.yamlProblems.some((p) => p.rule === 'yaml-syntax')) return outcome;

  const data = parsed.data;
  if (data === null || data === undefined || typeof data !== 'object' || Array.isArray(data)) {
    report('not-a-threat-model', 'the frontmatter is not a mapping with `threatmark: 1`', parsed.fenceRange);
    return outcome;
  }
  const raw = data as Record<string, unknown>;
  if (!Object.hasOwn(raw, 'threatmark')) {
    report('not-a-threat-model', 'the frontmatter has no `threatmark: 1`, so this is not a threat model (exclude the file if that is intended)', parsed.fenceRange);
    return outcome;
  }
  if (raw.threatmark !== 1) {
    const message = raw.threatmark === null ? '`threatmark` has no value; write `threatmark: 1`' : `format version ${JSON.stringify(raw.threatmark)} is not supported; this Threatmark reads \`threatmark: 1\``;
    report('unsupported-version', message, ['threatmark']);
    return outcome;
  }

  // Known before validation, so schema diagnostics carry the model id too.
  setModelId(typeof raw.id === 'string' && MODEL_ID_PATTERN.test(raw.id) ? raw.id : modelIdFromPath(options.relativePath));
  validateAgainst(schemaFor(options.config), raw, parsed, sink, ID_SECTIONS);
  const model = resolveModel(raw, { file: parsed, relativePath: options.relativePath, config: options.config, today: options.today });
  setModelId(model.id);
  outcome.model = model;
  outcome.explicitId = typeof raw.id === 'string' && raw.id === model.id;

  const ctx: ModelCheckContext = { file: parsed, data: raw, model, config: options.config, today: options.today, report };
  for (const check of [...MODEL_CHECKS, ...(options.extraChecks ?? [])]) check.check(ctx);
  return outcome;
}

// Building a zod schema compiles its parsers: build one per risk scale, not one per file.
const schemaCache = new Map<string, ReturnType<typeof modelSchema>>();
function schemaFor(config: ResolvedConfig): ReturnType<typeof modelSchema> {
  const key = JSON.stringify([config.risk.likelihood, config.risk.impact]);
  let schema = schemaCache.get(key);
  if (!schema) {
    schema = modelSchema({ levels: { likelihood: config.risk.likelihood, impact: config.risk.impact } });
    schemaCache.set(key, schema);
  }
  return schema;
}

const severityCache = new WeakMap<readonly ModelCheck[], Map<string, RuleMeta['severity']>>();
const NO_EXTRA: readonly ModelCheck[] = [];

function defaultSeverities(extra: readonly ModelCheck[] = NO_EXTRA): Map<string, RuleMeta['severity']> {
  let map = severityCache.get(extra);
  if (!map) {
    map = new Map(allRules(extra).map((r) => [r.id, r.severity]));
    severityCache.set(extra, map);
  }
  return map;
}

/** A check's `report` for one file: YAML paths become ranges, severities default to the rule's. */
export function makeReporter(parsed: ParsedFile, sink: DiagnosticSink, extra?: readonly ModelCheck[]) {
  const severities = defaultSeverities(extra);
  return (rule: string, message: string, at: Place, options: ReportOptions = {}): void => {
    const range: Range = isRange(at) ? at : locate(parsed, at, options.part ?? 'value').range;
    sink.report(rule, options.severity ?? severities.get(rule) ?? 'error', message, range, options.subject);
  };
}

function isRange(place: Place): place is Range {
  return !Array.isArray(place);
}

function relativePosix(root: string, file: string): string {
  return relative(root, file).split(sep).join('/');
}

/** Files to check: explicit paths (files as given, folders searched for Markdown), or the configured sources. */
export async function discover(cwd: string, config: ResolvedConfig, paths?: string[]): Promise<{ files: string[]; missing: string[] }> {
  const ignore = [...ALWAYS_EXCLUDED, ...config.exclude];
  if (!paths || paths.length === 0) {
    const found = await glob(config.include, { cwd: config.root, ignore, absolute: true, onlyFiles: true, dot: false, followSymbolicLinks: false });
    return { files: [...new Set(found)].sort(), missing: [] };
  }
  const files = new Set<string>();
  const missing: string[] = [];
  for (const path of paths) {
    const absolute = resolve(cwd, path);
    let info;
    try {
      info = await stat(absolute);
    } catch {
      missing.push(path);
      continue;
    }
    if (info.isDirectory()) {
      const patterns = absolute === config.root ? config.include : ['**/*.md'];
      for (const file of await glob(patterns, { cwd: absolute, ignore, absolute: true, onlyFiles: true, dot: false, followSymbolicLinks: false })) files.add(file);
    } else files.add(absolute);
  }
  return { files: [...files].sort(), missing };
}

async function pool<T>(items: T[], size: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(size, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index]!, index);
    }
  });
  await Promise.all(runners);
}
