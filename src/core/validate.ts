// Turns zod issues into positioned diagnostics: the offending key or value in
// the original file, a missing key at its parent, "did you mean" for typos.
import type { z } from 'zod';
import { didYouMean, quote, type DiagnosticSink, type RuleMeta } from './diagnostics.ts';
import { locate, type ParsedFile, type PathSegment } from './parse.ts';
import { ID_PATTERN } from './schema.ts';

export const SCHEMA_RULES: RuleMeta[] = [
  {
    id: 'missing-key',
    severity: 'error',
    title: 'A required key is missing',
    description: 'Format v1 requires this key; without it the entry cannot be checked or published.',
    help: 'Add the key named in the message to the mapping the diagnostic points at.',
  },
  {
    id: 'unknown-key',
    severity: 'error',
    title: 'A key is not part of format v1',
    description: 'Unknown keys are usually typos; a silently ignored key would lose what the author meant.',
    help: 'Fix the spelling (the message suggests the closest known key) or remove the key.',
  },
  {
    id: 'invalid-value',
    severity: 'error',
    title: 'A value has the wrong type or is not one of the allowed values',
    description: 'Each key of format v1 has a type (string, boolean, list, date, one of a set of values).',
    help: 'Use a value of the type the message names; for a set of values, pick one of those listed.',
  },
  {
    id: 'invalid-id',
    severity: 'error',
    title: 'An id does not match the id pattern',
    description: 'Ids are used in anchors, references and finding ids, so they are restricted to ^[A-Za-z0-9][A-Za-z0-9._-]*$ (model ids: lower-case slugs).',
    help: 'Rename the entry using letters, digits, ".", "_" and "-", starting with a letter or digit.',
  },
];

type ZodIssue = z.core.$ZodIssue;
type AnySchema = z.core.$ZodType;

export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z0-9_-]+$/.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out || '(frontmatter)';
}

/** Validates `data` against `schema` and reports every issue at its place in `file`. */
export function validateAgainst(schema: AnySchema, data: unknown, file: ParsedFile, sink: DiagnosticSink, idSections: readonly string[] = []): number {
  const result = (schema as z.ZodType).safeParse(data, { reportInput: true });
  let count = reportInvalidIds(data, idSections, file, sink);
  // zod's records skip a `__proto__` key without a word; it is never a valid key.
  // Only text that spells it out, or could through an escape, can produce the key.
  if (file.yamlSource.includes('__proto__') || file.yamlSource.includes('\\')) count += reportProtoKeys(schema, data, file, sink, idSections);
  if (result.success) return count;
  for (const issue of result.error.issues) count += reportIssue(issue, [], schema, data, file, sink);
  return count;
}

function reportMissing(path: PathSegment[], file: ParsedFile, sink: DiagnosticSink): number {
  const key = path[path.length - 1];
  const parentPath = path.slice(0, -1);
  const parent = parentPath.length ? ` in \`${formatPath(parentPath)}\`` : '';
  sink.report('missing-key', 'error', `missing required key \`${String(key)}\`${parent}`, locate(file, parentPath, 'key').range);
  return 1;
}

function reportIssue(issue: ZodIssue, prefix: PathSegment[], root: AnySchema, data: unknown, file: ParsedFile, sink: DiagnosticSink): number {
  const path = [...prefix, ...(issue.path as PathSegment[])];
  const where = formatPath(path);
  // Whatever the schema expected, an absent key is a missing key, reported at its parent.
  if (issue.code !== 'unrecognized_keys' && issue.code !== 'invalid_key' && path.length > 0 && !hasPath(data, path) && hasPath(data, path.slice(0, -1))) {
    return reportMissing(path, file, sink);
  }
  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = keysAt(root, path);
      for (const key of issue.keys) {
        const at = locate(file, [...path, key], 'key').range;
        const parent = path.length ? ` in \`${where}\`` : '';
        sink.report('unknown-key', 'error', `unknown key \`${key}\`${parent}${didYouMean(key, allowed)}`, at);
      }
      return issue.keys.length;
    }
    case 'invalid_union': {
      const branch = pickBranch(issue.errors as ZodIssue[][], valueAt(data, path));
      if (branch) {
        let n = 0;
        for (const inner of branch) n += reportIssue(inner, path, root, data, file, sink);
        return n;
      }
      const expected = (issue.errors as ZodIssue[][])
        .map((errors) => {
          const first = errors[0];
          if (!first) return undefined;
          if (first.code === 'invalid_type') return typeName(String(first.expected));
          if (first.code === 'invalid_value') return `one of ${listValues(first.values.map(String))}`;
          return undefined;
        })
        .filter((e): e is string => Boolean(e));
      const found = describe(valueAt(data, path));
      sink.report('invalid-value', 'error', `\`${where}\` must be ${expected.join(' or ') || 'a different value'}, found ${found}`, locate(file, path).range);
      return 1;
    }
    case 'invalid_key': {
      const key = path[path.length - 1];
      const inner = (issue.issues as ZodIssue[])[0];
      const reason = inner?.message ?? 'invalid id';
      sink.report('invalid-id', 'error', `invalid id ${quote(String(key))} in \`${formatPath(path.slice(0, -1))}\`: ${reason}`, locate(file, path, 'key').range);
      return 1;
    }
    case 'invalid_type': {
      const value = valueAt(data, path);
      if (value === null) {
        sink.report('missing-key', 'error', `\`${where}\` has no value; expected ${typeName(String(issue.expected))}`, locate(file, path).range);
        return 1;
      }
      sink.report('invalid-value', 'error', `\`${where}\` must be ${typeName(String(issue.expected))}, found ${describe(value)}`, locate(file, path).range);
      return 1;
    }
    case 'invalid_value': {
      const value = valueAt(data, path);
      const values = issue.values.map(String);
      if (typeof value === 'string') {
        sink.report(
          'invalid-value',
          'error',
          `\`${where}\` must be one of ${values.join(', ')}; found ${quote(value)}${didYouMean(value, values)}`,
          locate(file, path).range,
        );
      } else {
        sink.report('invalid-value', 'error', `\`${where}\` must be one of ${values.join(', ')}; found ${describe(value)}`, locate(file, path).range);
      }
      return 1;
    }
    case 'invalid_format': {
      const isId = issue.format === 'regex' && /ids? /.test(issue.message);
      sink.report(isId ? 'invalid-id' : 'invalid-value', 'error', `\`${where}\`: ${issue.message} (found ${describe(valueAt(data, path))})`, locate(file, path).range);
      return 1;
    }
    case 'too_small':
    case 'too_big':
    case 'custom':
    default: {
      const value = valueAt(data, path);
      const found = value !== null && typeof value !== 'object' && value !== undefined ? ` (found ${describe(value)})` : '';
      const message = issue.message.startsWith('Invalid') ? `\`${where}\` is invalid: ${issue.message}` : `\`${where}\`: ${issue.message}${found}`;
      sink.report('invalid-value', 'error', message, locate(file, path).range);
      return 1;
    }
  }
}

/** Keys of the id sections must match the id pattern. */
function reportInvalidIds(data: unknown, sections: readonly string[], file: ParsedFile, sink: DiagnosticSink): number {
  if (data === null || typeof data !== 'object') return 0;
  let count = 0;
  for (const section of sections) {
    const map = Object.hasOwn(data, section) ? (data as Record<string, unknown>)[section] : undefined;
    if (map === null || typeof map !== 'object' || Array.isArray(map)) continue;
    for (const key of Object.keys(map)) {
      if (ID_PATTERN.test(key)) continue;
      sink.report('invalid-id', 'error', `invalid id ${quote(key)} in \`${section}\`: ids start with a letter or digit and use only letters, digits, ".", "_" and "-"`, locate(file, [section, key], 'key').range);
      count++;
    }
  }
  return count;
}

function reportProtoKeys(schema: AnySchema, data: unknown, file: ParsedFile, sink: DiagnosticSink, idSections: readonly string[]): number {
  let count = 0;
  const visit = (node: unknown, path: PathSegment[], candidates: AnySchema[]) => {
    if (node === null || typeof node !== 'object' || path.length > 8) return;
    const records = candidates.flatMap(unwrap).filter((c) => (c._zod.def as { type: string }).type === 'record');
    const handled = path.length === 1 && idSections.includes(String(path[0]));
    if (records.length > 0 && !handled && !Array.isArray(node) && Object.hasOwn(node, '__proto__')) {
      sink.report('unknown-key', 'error', `\`__proto__\` is not allowed as a key in \`${formatPath(path)}\``, locate(file, [...path, '__proto__'], 'key').range);
      count++;
    }
    for (const [key, value] of Object.entries(node)) {
      if (key === '__proto__') continue;
      const segment: PathSegment = Array.isArray(node) ? Number(key) : key;
      const next = childSchemas(candidates, segment);
      if (next.length > 0) visit(value, [...path, segment], next);
    }
  };
  visit(data, [], [schema]);
  return count;
}

function childSchemas(candidates: AnySchema[], segment: PathSegment): AnySchema[] {
  const next: AnySchema[] = [];
  for (const candidate of candidates.flatMap(unwrap)) {
    const def = candidate._zod.def as unknown as Record<string, unknown> & { type: string };
    if (def.type === 'object' && typeof segment === 'string') {
      const shape = def.shape as Record<string, AnySchema>;
      if (Object.hasOwn(shape, segment)) next.push(shape[segment]!);
    } else if (def.type === 'record') next.push(def.valueType as AnySchema);
    else if (def.type === 'array' && typeof segment === 'number') next.push(def.element as AnySchema);
  }
  return next;
}

function pickBranch(branches: ZodIssue[][], value: unknown): ZodIssue[] | undefined {
  // A branch whose issues are all deeper than the union matched the value's shape.
  const deep = branches.filter((issues) => issues.every((i) => i.path.length > 0));
  if (deep.length > 0) return deep.sort((a, b) => a.length - b.length)[0];
  // Otherwise prefer an enum complaint about a string over "expected array".
  if (typeof value === 'string') return branches.find((issues) => issues.every((i) => i.code === 'invalid_value' || i.code === 'too_small' || i.code === 'invalid_format'));
  return undefined;
}

function listValues(values: string[]): string {
  return values.length > 6 ? `${values.slice(0, 6).join(', ')}, …` : values.join(', ');
}

function typeName(expected: string): string {
  switch (expected) {
    case 'boolean':
      return 'true or false';
    case 'array':
      return 'a list';
    case 'object':
      return 'a mapping (key: value)';
    case 'string':
      return 'text';
    case 'number':
      return 'a number';
    case 'record':
      return 'a mapping (id: entry)';
    default:
      return expected;
  }
}

function describe(value: unknown): string {
  if (value === null) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `text ${quote(value)}`;
  return `${typeof value} ${quote(value)}`;
}

function valueAt(data: unknown, path: readonly PathSegment[]): unknown {
  let current = data;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    if (!Object.hasOwn(current, segment)) return undefined;
    current = (current as Record<PathSegment, unknown>)[segment];
  }
  return current;
}

function hasPath(data: unknown, path: readonly PathSegment[]): boolean {
  let current = data;
  for (const segment of path) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, segment)) return false;
    current = (current as Record<PathSegment, unknown>)[segment];
  }
  return true;
}

/** The keys an object schema at `path` accepts, for "did you mean". */
export function keysAt(schema: AnySchema, path: readonly PathSegment[]): string[] {
  let candidates: AnySchema[] = [schema];
  for (const segment of path) candidates = childSchemas(candidates, segment);
  const keys = new Set<string>();
  for (const candidate of candidates.flatMap(unwrap)) {
    const def = candidate._zod.def as unknown as Record<string, unknown> & { type: string };
    if (def.type === 'object') for (const key of Object.keys(def.shape as object)) keys.add(key);
  }
  return [...keys];
}

function unwrap(schema: AnySchema): AnySchema[] {
  const def = schema._zod.def as unknown as Record<string, unknown> & { type: string };
  if (def.type === 'optional' || def.type === 'nullable' || def.type === 'default') return unwrap(def.innerType as AnySchema);
  if (def.type === 'union') return (def.options as AnySchema[]).flatMap(unwrap);
  return [schema];
}
