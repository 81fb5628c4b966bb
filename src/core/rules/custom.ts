// Team-defined rules: YAML or JSON files found through `custom_rules:` globs.
// They are data in the same condition language as the built-in rules — no
// code is loaded or evaluated. Every problem is a positioned diagnostic in
// the rule file; a rule with problems is not used.
import { resolve } from 'node:path';
import { glob } from 'tinyglobby';
import { z } from 'zod';
import { DiagnosticSink, didYouMean, quote, type RuleMeta } from '../diagnostics.ts';
import { locate, parseYamlText, type ParsedFile, type PathSegment } from '../parse.ts';
import { classifyRef, suggestRef } from '../refs.ts';
import { CATEGORIES, RULE_ID_PATTERN } from '../schema.ts';
import { readSource } from '../source.ts';
import type { Category, Diagnostic } from '../types.ts';
import { validateAgainst } from '../validate.ts';
import { compilePattern } from './evaluate.ts';
import { ATTRIBUTES, type Context } from './facts.ts';
import { LEVELS, RULE_TARGETS, type Condition, type RuleDefinition, type RuleTarget } from './types.ts';

export const CUSTOM_RULE_RULES: RuleMeta[] = [
  {
    id: 'custom-rule-invalid',
    severity: 'error',
    title: 'A custom rule file is invalid',
    description:
      'Custom rules (found through `custom_rules:` in the configuration) are data in the rules condition language. A rule with an unknown attribute, an operator in the wrong place, a value of the wrong type, an invalid reference or an id that is taken is reported and not used.',
    help: 'Fix the rule at the position given; `threatmark rules` lists the built-in rules, whose conditions are written in the same language.',
  },
];

const OPERATORS = ['all', 'any', 'not', 'from', 'to', 'inbound', 'outbound', 'data', 'attribute'] as const;
const TEST_KEYS = ['equals', 'in', 'matches', 'present', 'if_unknown'] as const;
const MAX_PATTERN = 200;
const MAX_DEPTH = 32;

const text = z.string().min(1, { message: 'must not be empty' });
const ruleSchema = z.strictObject({
  id: z.string().regex(RULE_ID_PATTERN, { message: 'rule ids are kebab-case: lower-case letters, digits and "-"' }),
  title: text,
  categories: z.array(z.enum(CATEGORIES)).min(1, { message: 'list at least one category' }),
  applies_to: z.array(z.enum(RULE_TARGETS as [RuleTarget, ...RuleTarget[]])).min(1, { message: 'list at least one of external, process, store, flow' }),
  when: text.optional(),
  condition: z.unknown().refine((v) => v !== undefined, { message: 'a rule needs a condition' }),
  likelihood: z.enum(LEVELS as ['low', 'medium', 'high']),
  impact: z.enum(LEVELS as ['low', 'medium', 'high']),
  explanation: text,
  mitigations: z.array(text).optional(),
  refs: z.array(z.string()).optional(),
});
const fileSchema = z.strictObject({ rules: z.array(ruleSchema) });

export interface LoadedCustomRules {
  rules: RuleDefinition[];
  diagnostics: Diagnostic[];
  /** Indexes of the globs that matched no file. */
  unmatched: number[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Finds, reads and validates custom rule files. `base` is the directory globs are relative to. */
export async function loadCustomRules(base: string, globs: readonly string[], display: (absolute: string) => string, reservedIds: readonly string[]): Promise<LoadedCustomRules> {
  const out: LoadedCustomRules = { rules: [], diagnostics: [], unmatched: [] };
  const files = new Set<string>();
  for (const [i, pattern] of globs.entries()) {
    const found = await glob([pattern], { cwd: base, absolute: true, onlyFiles: true, dot: false, ignore: ['**/node_modules/**', '**/.git/**'] });
    if (found.length === 0) out.unmatched.push(i);
    for (const f of found) files.add(resolve(f));
  }
  const seen = new Map<string, string>();
  for (const absolute of [...files].sort()) {
    const path = display(absolute);
    const sink = new DiagnosticSink(path);
    const read = await readSource(absolute);
    if (!read.ok) {
      const point = { line: read.line ?? 1, column: read.column ?? 1, offset: read.offset ?? 0 };
      sink.report(read.rule, 'error', read.message, { start: point, end: point });
      out.diagnostics.push(...sink.diagnostics);
      continue;
    }
    const parsed = parseYamlText(path, read.text);
    for (const problem of parsed.yamlProblems) sink.report(problem.rule, 'error', problem.message, problem.range);
    if (!parsed.yamlProblems.some((p) => p.rule === 'yaml-syntax')) {
      out.rules.push(...validateFile(parsed, sink, reservedIds, seen));
    }
    out.diagnostics.push(...sink.diagnostics);
  }
  return out;
}

function validateFile(parsed: ParsedFile, sink: DiagnosticSink, reservedIds: readonly string[], seen: Map<string, string>): RuleDefinition[] {
  const data = parsed.data;
  const report = (message: string, path: readonly PathSegment[], part: 'key' | 'value' = 'value') => sink.report('custom-rule-invalid', 'error', message, locate(parsed, path, part).range);
  if (!isObject(data)) {
    sink.report('custom-rule-invalid', 'error', 'a custom rules file is a mapping with a `rules:` list', parsed.fenceRange);
    return [];
  }
  validateAgainst(fileSchema, data, parsed, sink);
  const list = Object.hasOwn(data, 'rules') && Array.isArray(data.rules) ? (data.rules as unknown[]) : [];
  const rules: RuleDefinition[] = [];
  list.forEach((raw, index) => {
    const at: PathSegment[] = ['rules', index];
    const before = sink.diagnostics.length;
    // Not a mapping: the schema check above has reported it.
    if (!isObject(raw)) return;
    const id = typeof raw.id === 'string' ? raw.id : undefined;
    if (id !== undefined && reservedIds.includes(id)) report(`rule id \`${id}\` is a built-in rule; custom rules cannot replace built-in ones (turn it off in \`rules:\` and give yours another id)`, [...at, 'id']);
    else if (id !== undefined && seen.has(id)) report(`rule id \`${id}\` is already defined in ${seen.get(id)}`, [...at, 'id']);
    const targets = Array.isArray(raw.applies_to) ? (raw.applies_to as unknown[]).filter((t): t is RuleTarget => (RULE_TARGETS as readonly unknown[]).includes(t)) : [];
    const hasFlow = targets.includes('flow');
    const hasElement = targets.some((t) => t !== 'flow');
    if (hasFlow && hasElement) report('`applies_to` mixes flows and elements; a condition is written either for flows or for elements, so make two rules', [...at, 'applies_to']);
    const context: Context = hasFlow ? 'flow' : 'element';
    if (Object.hasOwn(raw, 'condition') && raw.condition !== undefined) checkCondition(raw.condition, context, [...at, 'condition'], parsed, sink, 0);
    if (Array.isArray(raw.refs)) {
      (raw.refs as unknown[]).forEach((ref, j) => {
        if (typeof ref === 'string' && classifyRef(ref).kind === 'unknown') {
          const suggestion = suggestRef(ref);
          report(`\`${ref}\` is not a CWE, CAPEC, ATT&CK, ATLAS, OWASP Top 10 or ASVS id, nor an http(s) URL${suggestion ? `; did you mean \`${suggestion}\`?` : ''}`, [...at, 'refs', j]);
        }
      });
    }
    if (sink.diagnostics.length > before || id === undefined || !ruleSchema.safeParse(raw).success) return;
    seen.set(id, `${parsed.path}:${locate(parsed, [...at, 'id']).range.start.line}`);
    const start = locate(parsed, at).range.start;
    rules.push({
      id,
      title: raw.title as string,
      categories: raw.categories as Category[],
      appliesTo: targets,
      when: typeof raw.when === 'string' ? raw.when : `matches the condition of custom rule \`${id}\``,
      condition: raw.condition as Condition,
      likelihood: raw.likelihood as RuleDefinition['likelihood'],
      impact: raw.impact as RuleDefinition['impact'],
      explanation: raw.explanation as string,
      mitigations: Array.isArray(raw.mitigations) ? (raw.mitigations as string[]) : [],
      refs: Array.isArray(raw.refs) ? (raw.refs as string[]) : [],
      source: { file: parsed.path, line: start.line },
    });
  });
  return rules;
}

function checkCondition(node: unknown, context: Context, path: PathSegment[], parsed: ParsedFile, sink: DiagnosticSink, depth: number): void {
  const report = (message: string, at: readonly PathSegment[] = path, part: 'key' | 'value' = 'value') => sink.report('custom-rule-invalid', 'error', message, locate(parsed, at, part).range);
  if (depth > MAX_DEPTH) return report(`conditions nest at most ${MAX_DEPTH} levels deep`);
  if (!isObject(node)) return report('a condition is a mapping: `all:`, `any:`, `not:`, `from:`, `to:`, `inbound:`, `outbound:`, `data:` or an `attribute:` test');
  const keys = Object.keys(node);
  const operators = keys.filter((k) => (OPERATORS as readonly string[]).includes(k));
  for (const key of keys) {
    const allowed: readonly string[] = operators.includes('attribute') ? ['attribute', ...TEST_KEYS] : operators.some((o) => o === 'inbound' || o === 'outbound') ? [...operators, 'at_least'] : OPERATORS;
    if (!allowed.includes(key)) report(`unknown key \`${key}\` in a condition${didYouMean(key, allowed.length > 0 ? allowed : OPERATORS)}`, [...path, key], 'key');
  }
  if (operators.length === 0) return report('a condition needs one of `all`, `any`, `not`, `from`, `to`, `inbound`, `outbound`, `data` or `attribute`');
  if (operators.length > 1) return report(`a condition has exactly one operator; this one has ${operators.map((o) => `\`${o}\``).join(', ')} (combine them with \`all:\` or \`any:\`)`);
  const op = operators[0]!;
  const inner = node[op];
  switch (op) {
    case 'all':
    case 'any':
      if (!Array.isArray(inner) || inner.length === 0) return report(`\`${op}\` takes a non-empty list of conditions`, [...path, op]);
      inner.forEach((c, i) => checkCondition(c, context, [...path, op, i], parsed, sink, depth + 1));
      return;
    case 'not':
      return checkCondition(inner, context, [...path, op], parsed, sink, depth + 1);
    case 'from':
    case 'to':
      if (context !== 'flow') return report(`\`${op}\` reads the ${op === 'from' ? 'source' : 'destination'} of a flow, so it only works where the subject is a flow (in a rule for flows, or inside \`inbound\`/\`outbound\`)`, [...path, op], 'key');
      return checkCondition(inner, 'element', [...path, op], parsed, sink, depth + 1);
    case 'inbound':
    case 'outbound': {
      if (context !== 'element') return report(`\`${op}\` quantifies over the flows of an element, so it only works where the subject is an element`, [...path, op], 'key');
      if (Object.hasOwn(node, 'at_least') && !(Number.isInteger(node.at_least) && (node.at_least as number) >= 1)) report('`at_least` is a whole number, 1 or more', [...path, 'at_least']);
      return checkCondition(inner, 'flow', [...path, op], parsed, sink, depth + 1);
    }
    case 'data':
      if (context === 'data') return report('`data` reads the data assets of an element or a flow; the subject here is already a data asset', [...path, op], 'key');
      return checkCondition(inner, 'data', [...path, op], parsed, sink, depth + 1);
    case 'attribute':
      return checkTest(node, context, path, report);
  }
}

function checkTest(node: Record<string, unknown>, context: Context, path: PathSegment[], report: (message: string, at?: readonly PathSegment[], part?: 'key' | 'value') => void): void {
  const name = node.attribute;
  const catalogue = ATTRIBUTES[context];
  if (typeof name !== 'string') return report('`attribute` names a fact, such as `authenticates` or `crosses_boundary`', [...path, 'attribute']);
  const info = Object.hasOwn(catalogue, name) ? catalogue[name] : undefined;
  if (!info) {
    const where = context === 'element' ? 'an element' : context === 'flow' ? 'a flow' : 'a data asset';
    return report(`\`${name}\` is not an attribute of ${where}${didYouMean(name, Object.keys(catalogue))}; known: ${Object.keys(catalogue).join(', ')}`, [...path, 'attribute']);
  }
  const tests = TEST_KEYS.filter((k) => k !== 'if_unknown' && Object.hasOwn(node, k));
  if (tests.length > 1) return report(`an attribute test uses one of \`equals\`, \`in\`, \`matches\`, \`present\`; this one has ${tests.map((t) => `\`${t}\``).join(', ')}`);
  if (tests.length === 0 && info.type !== 'boolean') return report(`\`${name}\` is not true/false; say what to compare with \`equals\`, \`in\`, \`matches\` or \`present\``);
  if (Object.hasOwn(node, 'if_unknown')) {
    if (typeof node.if_unknown !== 'boolean') report('`if_unknown` is true or false: what to assume when the fact is not stated', [...path, 'if_unknown']);
    else if (tests[0] === 'present') report('`present` is never unknown, so `if_unknown` has no effect here', [...path, 'if_unknown'], 'key');
    else if (info.known) report(`\`${name}\` is always known, so \`if_unknown\` has no effect here`, [...path, 'if_unknown'], 'key');
  }
  const checkScalar = (value: unknown, at: readonly PathSegment[]) => {
    const scalarType = info.type === 'list' ? 'string' : info.type;
    if (typeof value !== scalarType) return report(`\`${name}\` is compared with ${scalarType === 'boolean' ? 'true or false' : scalarType === 'string' ? 'text' : 'a number'}, found ${quote(value)}`, at);
    if (info.values && typeof value === 'string' && !info.values.includes(value)) report(`\`${name}\` is one of ${info.values.join(', ')}; found ${quote(value)}${didYouMean(value, info.values)}`, at);
  };
  switch (tests[0]) {
    case 'equals':
      return checkScalar(node.equals, [...path, 'equals']);
    case 'in':
      if (!Array.isArray(node.in) || node.in.length === 0) return report('`in` takes a non-empty list of values', [...path, 'in']);
      node.in.forEach((v, i) => checkScalar(v, [...path, 'in', i]));
      return;
    case 'matches': {
      const pattern = node.matches;
      if (typeof pattern !== 'string' || pattern.length === 0) return report('`matches` takes a regular expression as text', [...path, 'matches']);
      if (pattern.length > MAX_PATTERN) return report(`patterns are at most ${MAX_PATTERN} characters`, [...path, 'matches']);
      if (compilePattern(pattern) === null) return report(`\`${pattern}\` is not a valid regular expression`, [...path, 'matches']);
      return;
    }
    case 'present':
      if (typeof node.present !== 'boolean') report('`present` is true (the fact is stated) or false (it is not)', [...path, 'present']);
      return;
  }
}
