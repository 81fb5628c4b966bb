// Validation of a SARIF log: the official OASIS SARIF 2.1.0 schema, plus the
// properties GitHub code scanning additionally requires or limits.
//
// schema/sarif-2.1.0.schema.json is vendored verbatim from the OASIS TC's
// repository, oasis-tcs/sarif-spec, file Schemata/sarif-schema-2.1.0.json at
// commit 0a8091f7d4057e57b6d8d9b56129e5f918747b34, whose `id` is
// https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json
// (SARIF 2.1.0 Errata 01, OASIS Standard). No npm package ships that final
// schema (@microsoft/jest-sarif carries the older rtm.5 draft). It is written
// in JSON Schema draft-04 (`id`, `$schema` draft-04), so it is compiled with
// Ajv's draft-04 class, with ajv-formats for `uri`, `uri-reference` and
// `date-time`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv04Module from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import { ROOT } from './helpers.ts';

type AjvCtor = new (options: Record<string, unknown>) => {
  compile(schema: unknown): ((data: unknown) => boolean) & { errors?: unknown[] | null };
};
const Ajv04 = ((Ajv04Module as unknown as { default?: AjvCtor }).default ?? Ajv04Module) as unknown as AjvCtor;
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (ajv: unknown) => void;

export const SARIF_SCHEMA = JSON.parse(readFileSync(join(ROOT, 'schema', 'sarif-2.1.0.schema.json'), 'utf8')) as Record<string, unknown>;

let validator: ReturnType<InstanceType<AjvCtor>['compile']> | undefined;

/** Schema errors (empty when the log is valid SARIF 2.1.0). */
export function sarifSchemaErrors(log: unknown): unknown[] {
  if (!validator) {
    const ajv = new Ajv04({ allErrors: true, strict: false });
    addFormats(ajv);
    validator = ajv.compile(SARIF_SCHEMA);
  }
  return validator(log) ? [] : [...(validator.errors ?? [])];
}

type Json = Record<string, unknown>;

const nonEmpty = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';
const positiveInt = (value: unknown): boolean => Number.isInteger(value) && (value as number) >= 1;

/** What GitHub code scanning requires beyond the schema (docs: "SARIF support for code scanning"). */
export function githubProblems(log: Json): string[] {
  const problems: string[] = [];
  const need = (ok: boolean, what: string) => {
    if (!ok) problems.push(what);
  };
  need(nonEmpty(log.$schema), '$schema');
  need(log.version === '2.1.0', 'version');
  const runs = log.runs as Json[] | undefined;
  need(Array.isArray(runs) && runs.length >= 1 && runs.length <= 20, 'runs: 1–20');
  for (const [r, run] of (runs ?? []).entries()) {
    const driver = (run.tool as Json | undefined)?.driver as Json | undefined;
    need(driver !== undefined, `runs[${r}].tool.driver`);
    need(nonEmpty(driver?.name), `runs[${r}].tool.driver.name`);
    const rules = driver?.rules as Json[] | undefined;
    need(Array.isArray(rules) && rules.length <= 25_000, `runs[${r}].tool.driver.rules`);
    const ids = new Set<string>();
    for (const [i, rule] of (rules ?? []).entries()) {
      const at = `rules[${i}]`;
      need(nonEmpty(rule.id), `${at}.id`);
      need(!ids.has(rule.id as string), `${at}.id unique`);
      ids.add(rule.id as string);
      for (const key of ['shortDescription', 'fullDescription', 'help'] as const) {
        need(nonEmpty((rule[key] as Json | undefined)?.text), `${at}.${key}.text`);
      }
      need(String((rule.shortDescription as Json | undefined)?.text ?? '').length <= 1024, `${at}.shortDescription ≤ 1024`);
      need(String((rule.fullDescription as Json | undefined)?.text ?? '').length <= 1024, `${at}.fullDescription ≤ 1024`);
      if (rule.name !== undefined) need(nonEmpty(rule.name) && (rule.name as string).length <= 255, `${at}.name ≤ 255`);
      const level = (rule.defaultConfiguration as Json | undefined)?.level;
      if (level !== undefined) need(['note', 'warning', 'error'].includes(level as string), `${at}.defaultConfiguration.level`);
      const props = (rule.properties ?? {}) as Json;
      if (props.tags !== undefined) need(Array.isArray(props.tags) && props.tags.length <= 20, `${at}.properties.tags ≤ 20`);
      if (props['security-severity'] !== undefined) need(validSecuritySeverity(props['security-severity']), `${at}.security-severity`);
    }
    const results = run.results as Json[] | undefined;
    need(Array.isArray(results) && results.length <= 25_000, `runs[${r}].results`);
    for (const [i, result] of (results ?? []).entries()) {
      const at = `results[${i}]`;
      need(nonEmpty((result.message as Json | undefined)?.text), `${at}.message.text`);
      need(nonEmpty(result.ruleId) && ids.has(result.ruleId as string), `${at}.ruleId declared`);
      if (result.ruleIndex !== undefined) need(rules?.[result.ruleIndex as number]?.id === result.ruleId, `${at}.ruleIndex points at ruleId`);
      const locations = result.locations as Json[] | undefined;
      need(Array.isArray(locations) && locations.length >= 1 && locations.length <= 10, `${at}.locations: 1–10`);
      const physical = locations?.[0]?.physicalLocation as Json | undefined;
      need(nonEmpty((physical?.artifactLocation as Json | undefined)?.uri), `${at} artifactLocation.uri`);
      const region = (physical?.region ?? {}) as Json;
      for (const key of ['startLine', 'startColumn', 'endLine', 'endColumn']) need(positiveInt(region[key]), `${at}.region.${key}`);
      need((region.endLine as number) >= (region.startLine as number), `${at}.region endLine ≥ startLine`);
      need(nonEmpty((result.partialFingerprints as Json | undefined)?.primaryLocationLineHash), `${at}.partialFingerprints.primaryLocationLineHash`);
      const props = (result.properties ?? {}) as Json;
      if (props['security-severity'] !== undefined) need(validSecuritySeverity(props['security-severity']), `${at}.security-severity`);
    }
  }
  // "Empty strings are rejected for required properties": none anywhere.
  walk(log, '', (path, value) => need(value !== '', `empty string at ${path}`));
  return problems;
}

function validSecuritySeverity(value: unknown): boolean {
  return typeof value === 'string' && /^\d+(\.\d+)?$/.test(value) && Number(value) > 0 && Number(value) <= 10;
}

function walk(value: unknown, path: string, visit: (path: string, value: unknown) => void): void {
  visit(path, value);
  if (Array.isArray(value)) value.forEach((item, i) => walk(item, `${path}[${i}]`, visit));
  else if (value && typeof value === 'object') for (const [key, item] of Object.entries(value)) walk(item, `${path}.${key}`, visit);
}
