// The one configuration source read by the CLI and the site:
// `threatmark.config.yaml` at the repository root, validated like a model.
import { existsSync } from 'node:fs';
import { dirname, resolve, relative, isAbsolute } from 'node:path';
import { z } from 'zod';
import { DiagnosticSink, didYouMean, type RuleMeta } from './diagnostics.ts';
import { locate, parseYamlText } from './parse.ts';
import { DEFAULT_RISK_SCALE, type RiskScale } from './risk.ts';
import { readSource } from './source.ts';
import { loadCustomRules } from './rules/custom.ts';
import { BUILTIN_RULES, type RuleDefinition } from './rules/index.ts';
import { SEVERITIES, type Diagnostic, type DiagnosticSeverity, type Severity } from './types.ts';
import { validateAgainst } from './validate.ts';

export const CONFIG_FILE_NAMES = ['threatmark.config.yaml', 'threatmark.config.yml'];

export const DEFAULT_INCLUDE = ['threat-models/**/*.md', '**/*.threat.md'];
/** Never searched, whatever the configuration says. */
export const ALWAYS_EXCLUDED = ['**/node_modules/**', '**/.git/**', '**/dist/**', '**/.astro/**', '**/.*/**'];

export type CheckLevel = DiagnosticSeverity | 'off';

export interface ResolvedConfig {
  /** Absolute source root. */
  root: string;
  include: string[];
  exclude: string[];
  failOn: Severity;
  strict: boolean;
  maxAcceptanceDays: number;
  expiryWarningDays: number;
  reviewIntervalDays: number;
  risk: RiskScale;
  site: { title: string; url?: string; editUrl?: string };
  /** Severity overrides per diagnostic rule id. */
  checks: Record<string, CheckLevel>;
  /** Rules-engine settings per rule id (used by the rules engine). */
  rules: Record<string, CheckLevel>;
  /** Files with team-defined rules (rules engine). */
  customRules: string[];
  /** The valid rules loaded from `customRules` (rules engine). */
  customRuleDefinitions: RuleDefinition[];
  /** The configuration file, when there is one (absolute). */
  configFile?: string;
}

export const CONFIG_RULES: RuleMeta[] = [
  {
    id: 'config-invalid',
    severity: 'error',
    title: 'The configuration is inconsistent',
    description: 'A configuration value that parses but cannot work, such as a risk matrix that misses a cell or a source root that does not exist.',
    help: 'Fix the value the message points at.',
  },
];

const level = z.enum(['error', 'warning', 'info', 'off']);
const httpUrl = z.string().regex(/^https?:\/\/\S+$/i, { message: 'only http(s) URLs are allowed' });

export const configSchema = z.strictObject({
  root: z.string().min(1).optional(),
  include: z.array(z.string().min(1)).optional(),
  exclude: z.array(z.string().min(1)).optional(),
  fail_on: z.enum(SEVERITIES as [Severity, ...Severity[]]).optional(),
  strict: z.boolean().optional(),
  max_acceptance_days: z.number().int().positive().optional(),
  expiry_warning_days: z.number().int().nonnegative().optional(),
  review_interval_days: z.number().int().positive().optional(),
  risk: z
    .strictObject({
      likelihood: z.array(z.string().min(1)).min(2, { message: 'a scale needs at least two levels' }),
      impact: z.array(z.string().min(1)).min(2, { message: 'a scale needs at least two levels' }),
      matrix: z.record(z.string(), z.record(z.string(), z.enum(SEVERITIES as [Severity, ...Severity[]]))),
    })
    .optional(),
  site: z.strictObject({ title: z.string().min(1).optional(), url: httpUrl.optional(), edit_url: httpUrl.optional() }).optional(),
  checks: z.record(z.string(), level).optional(),
  rules: z.record(z.string(), level).optional(),
  custom_rules: z.array(z.string().min(1)).optional(),
});

export type ConfigInput = z.infer<typeof configSchema>;

export function defaultConfig(root: string): ResolvedConfig {
  return {
    root,
    include: [...DEFAULT_INCLUDE],
    exclude: [],
    failOn: 'high',
    strict: false,
    maxAcceptanceDays: 365,
    expiryWarningDays: 30,
    reviewIntervalDays: 180,
    risk: DEFAULT_RISK_SCALE,
    site: { title: 'Threat models' },
    checks: {},
    rules: {},
    customRules: [],
    customRuleDefinitions: [],
  };
}

export interface LoadedConfig {
  config: ResolvedConfig;
  diagnostics: Diagnostic[];
}

/** Finds the configuration file for `cwd` (or takes `explicit`) and validates it. */
export async function loadConfig(cwd: string, explicit?: string, knownChecks: readonly string[] = []): Promise<LoadedConfig> {
  const file = explicit ? resolve(cwd, explicit) : CONFIG_FILE_NAMES.map((name) => resolve(cwd, name)).find((path) => existsSync(path));
  const config = defaultConfig(cwd);
  if (!file) return { config, diagnostics: [] };
  config.configFile = file;
  const display = displayPath(cwd, file);
  const sink = new DiagnosticSink(display);
  const read = await readSource(file);
  if (!read.ok) {
    const point = { line: read.line ?? 1, column: read.column ?? 1, offset: read.offset ?? 0 };
    sink.report(read.rule, 'error', explicit && read.rule === 'file-unreadable' ? `configuration file ${display}: ${read.message}` : read.message, { start: point, end: point });
    return { config, diagnostics: sink.diagnostics };
  }
  const parsed = parseYamlText(display, read.text);
  for (const problem of parsed.yamlProblems) sink.report(problem.rule, 'error', problem.message, problem.range);
  if (parsed.yamlProblems.some((p) => p.rule === 'yaml-syntax')) return { config, diagnostics: sink.diagnostics };
  const data = parsed.data ?? {};
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    sink.report('invalid-value', 'error', 'the configuration must be a mapping of keys to values', parsed.fenceRange);
    return { config, diagnostics: sink.diagnostics };
  }
  validateAgainst(configSchema, data, parsed, sink);
  const input = data as Record<string, unknown>;
  const take = <T>(key: string, check: (v: unknown) => boolean): T | undefined => (Object.hasOwn(input, key) && check(input[key]) ? (input[key] as T) : undefined);
  const isStringList = (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === 'string' && s.length > 0);
  const isPositiveInt = (v: unknown) => Number.isInteger(v) && (v as number) > 0;

  const root = take<string>('root', (v) => typeof v === 'string' && v.length > 0);
  if (root !== undefined) {
    config.root = resolve(cwd, root);
    if (!existsSync(config.root)) sink.report('config-invalid', 'error', `source root \`${root}\` does not exist`, locate(parsed, ['root']).range);
  }
  config.include = take<string[]>('include', isStringList) ?? config.include;
  config.exclude = take<string[]>('exclude', isStringList) ?? config.exclude;
  const failOn = take<Severity>('fail_on', (v) => (SEVERITIES as readonly unknown[]).includes(v));
  if (failOn) config.failOn = failOn;
  config.strict = take<boolean>('strict', (v) => typeof v === 'boolean') ?? config.strict;
  config.maxAcceptanceDays = take<number>('max_acceptance_days', isPositiveInt) ?? config.maxAcceptanceDays;
  config.expiryWarningDays = take<number>('expiry_warning_days', (v) => Number.isInteger(v) && (v as number) >= 0) ?? config.expiryWarningDays;
  config.reviewIntervalDays = take<number>('review_interval_days', isPositiveInt) ?? config.reviewIntervalDays;

  const site = take<Record<string, unknown>>('site', (v) => typeof v === 'object' && v !== null && !Array.isArray(v));
  if (site) {
    if (typeof site.title === 'string' && site.title) config.site.title = site.title;
    if (typeof site.url === 'string' && /^https?:\/\//i.test(site.url)) config.site.url = site.url;
    if (typeof site.edit_url === 'string' && /^https?:\/\//i.test(site.edit_url)) config.site.editUrl = site.edit_url;
  }

  const risk = take<Record<string, unknown>>('risk', (v) => typeof v === 'object' && v !== null && !Array.isArray(v));
  if (risk && isStringList(risk.likelihood) && isStringList(risk.impact) && risk.matrix && typeof risk.matrix === 'object') {
    const scale: RiskScale = { likelihood: risk.likelihood as string[], impact: risk.impact as string[], matrix: {} };
    const matrix = risk.matrix as Record<string, unknown>;
    let complete = true;
    for (const l of scale.likelihood) {
      const row = Object.hasOwn(matrix, l) ? matrix[l] : undefined;
      if (!row || typeof row !== 'object') {
        sink.report('config-invalid', 'error', `risk.matrix has no row for likelihood \`${l}\``, locate(parsed, ['risk', 'matrix'], 'key').range);
        complete = false;
        continue;
      }
      scale.matrix[l] = {};
      for (const i of scale.impact) {
        const cell = Object.hasOwn(row, i) ? (row as Record<string, unknown>)[i] : undefined;
        if (typeof cell !== 'string' || !(SEVERITIES as readonly string[]).includes(cell)) {
          if (cell === undefined) sink.report('config-invalid', 'error', `risk.matrix.${l} has no severity for impact \`${i}\``, locate(parsed, ['risk', 'matrix', l], 'key').range);
          complete = false;
          continue;
        }
        scale.matrix[l]![i] = cell as Severity;
      }
      for (const key of Object.keys(row)) {
        if (!scale.impact.includes(key)) sink.report('config-invalid', 'error', `risk.matrix.${l}.${key} is not an impact level${didYouMean(key, scale.impact)}`, locate(parsed, ['risk', 'matrix', l, key], 'key').range);
      }
    }
    for (const key of Object.keys(matrix)) {
      if (!scale.likelihood.includes(key)) sink.report('config-invalid', 'error', `risk.matrix.${key} is not a likelihood level${didYouMean(key, scale.likelihood)}`, locate(parsed, ['risk', 'matrix', key], 'key').range);
    }
    if (complete) config.risk = scale;
  }

  for (const [key, target] of [
    ['checks', config.checks],
    ['rules', config.rules],
  ] as const) {
    const map = take<Record<string, unknown>>(key, (v) => typeof v === 'object' && v !== null && !Array.isArray(v));
    if (!map) continue;
    for (const [id, value] of Object.entries(map)) {
      if (typeof value === 'string' && ['error', 'warning', 'info', 'off'].includes(value)) target[id] = value as CheckLevel;
      if (key === 'checks' && knownChecks.length > 0 && !knownChecks.includes(id)) {
        sink.report('config-invalid', 'error', `checks.${id}: there is no check with this id${didYouMean(id, knownChecks)}`, locate(parsed, ['checks', id], 'key').range);
      }
    }
  }
  config.customRules = take<string[]>('custom_rules', isStringList) ?? [];
  // Rules engine: custom rule files (relative to the configuration file), and `rules:` ids that name no rule.
  const ruleDiagnostics: Diagnostic[] = [];
  if (config.customRules.length > 0) {
    const loaded = await loadCustomRules(dirname(file), config.customRules, (path) => displayPath(cwd, path), BUILTIN_RULES.map((r) => r.id));
    config.customRuleDefinitions = loaded.rules;
    ruleDiagnostics.push(...loaded.diagnostics);
    for (const i of loaded.unmatched) sink.report('custom-rule-invalid', 'warning', `custom_rules[${i}]: no file matches \`${config.customRules[i]}\``, locate(parsed, ['custom_rules', i]).range);
  }
  const ruleIds = [...BUILTIN_RULES.map((r) => r.id), ...config.customRuleDefinitions.map((r) => r.id)];
  for (const id of Object.keys(config.rules)) {
    if (!ruleIds.includes(id)) sink.report('config-invalid', 'error', `rules.${id}: there is no rule with this id${didYouMean(id, ruleIds)}`, locate(parsed, ['rules', id], 'key').range);
  }
  return { config, diagnostics: [...sink.diagnostics, ...ruleDiagnostics] };
}

export function displayPath(cwd: string, file: string): string {
  const rel = isAbsolute(file) ? relative(cwd, file) : file;
  const shown = rel === '' ? '.' : rel.startsWith('..') ? file : rel;
  return shown.split('\\').join('/');
}
