// Parsing a model file with positions: a unified pipeline (remark-parse +
// remark-frontmatter) splits frontmatter from body, the `yaml` package parses
// the frontmatter keeping node ranges, and every range maps back to the file.
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkFrontmatter from 'remark-frontmatter';
import { toString } from 'mdast-util-to-string';
import { isMap, isPair, isScalar, isSeq, parseDocument, visit, type Document, type Node as YamlNode } from 'yaml';
import type { Root, Heading } from 'mdast';
import { load as loadYamlFast, FAILSAFE_SCHEMA, Type, YAMLException } from 'js-yaml';
import { LineIndex } from './source.ts';
import type { Range } from './types.ts';

export type PathSegment = string | number;
export type YamlPath = readonly PathSegment[];

export interface BodyHeading {
  depth: number;
  text: string;
  range: Range;
  /** Offset in the file where the section under this heading ends (next heading of same or higher level). */
  sectionEnd: number;
  /** Offset just after the heading line. */
  contentStart: number;
}

export interface YamlProblem {
  rule: 'yaml-syntax' | 'duplicate-key';
  message: string;
  range: Range;
}

export interface ParsedFile {
  /** Display path (relative to the working directory, POSIX). */
  path: string;
  text: string;
  lines: LineIndex;
  /** Frontmatter state: absent, unclosed (opening fence only), or parsed. */
  frontmatter: 'absent' | 'unclosed' | 'present';
  /** Offset of the frontmatter's first content character (after the opening fence line). */
  yamlStart: number;
  /** Range of the opening `---` fence. */
  fenceRange: Range;
  /** The frontmatter source, for the position-keeping parse made on demand. */
  yamlSource: string;
  /** The `yaml` package's document with node ranges; see `ensureDocument`. */
  document?: Document.Parsed;
  /** The frontmatter took the plain path (see `needsCarefulParse`), so its block layout can be scanned. */
  plainLayout?: boolean;
  /** Entry positions found by `scanSection`, per section. */
  scans?: Map<string, Map<string, ScannedEntry>>;
  /** The frontmatter as plain data (undefined when YAML failed badly). */
  data: unknown;
  yamlProblems: YamlProblem[];
  body: string;
  bodyStart: number;
  headings: BodyHeading[];
}

const processor = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']);

// Aliases expand on conversion; a handful is plenty for a threat model and
// this stops "billion laughs" documents early.
const MAX_ALIAS_COUNT = 50;

export function parseModelText(path: string, text: string, options: { reduceFrontmatter?: boolean } = {}): ParsedFile {
  const lines = new LineIndex(text);
  const { tree, shift } = options.reduceFrontmatter === false ? { tree: processor.parse(text) as Root, shift: 0 } : parseMarkdown(text);
  const first = tree.children[0];
  const parsed: ParsedFile = {
    path,
    text,
    lines,
    frontmatter: 'absent',
    yamlStart: 0,
    fenceRange: lines.range(0, Math.min(3, text.length)),
    yamlSource: '',
    data: undefined,
    yamlProblems: [],
    body: text,
    bodyStart: 0,
    headings: [],
  };

  let bodyStart = 0;
  if (first && first.type === 'yaml' && first.position) {
    const closeEnd = (first.position.end.offset ?? text.length) + shift;
    const fenceEnd = lineEnd(text, 0);
    const yamlStart = nextLineStart(text, fenceEnd);
    const closeStart = lineStartOf(text, closeEnd);
    const yamlEnd = Math.max(yamlStart, closeStart);
    parsed.frontmatter = 'present';
    parsed.yamlStart = yamlStart;
    parseFrontmatter(parsed, text.slice(yamlStart, yamlEnd));
    bodyStart = nextLineStart(text, closeEnd);
  } else if (/^---[ \t]*(\r\n|\r|\n|$)/.test(text)) {
    parsed.frontmatter = 'unclosed';
  }

  parsed.bodyStart = Math.min(bodyStart, text.length);
  parsed.body = text.slice(parsed.bodyStart);
  parsed.headings = collectHeadings(tree, text, lines, shift);
  return parsed;
}

/**
 * Runs the unified pipeline over the file. micromark scans frontmatter one
 * character at a time, which is most of the cost for a model whose
 * frontmatter is long; the YAML is read by the YAML parsers anyway, so the
 * pipeline gets the file with the frontmatter's content reduced to its line
 * breaks. Lines stay where they are; body offsets move back by `shift`.
 * If remark does not then see exactly that frontmatter, it gets the full text.
 */
function parseMarkdown(text: string): { tree: Root; shift: number } {
  const open = /^---[ \t]*(?:\r\n|\r|\n)/.exec(text);
  const close = open ? /(?:\r\n|\r|\n)---[ \t]*(?=\r\n|\r|\n|$)/.exec(text.slice(open[0].length - 1)) : null;
  if (open && close) {
    const contentStart = open[0].length;
    const contentEnd = open[0].length - 1 + close.index;
    const breaks = text.slice(contentStart, contentEnd).match(/\r\n|\r|\n/g)?.join('') ?? '';
    const shift = contentEnd - contentStart - breaks.length;
    const reduced = text.slice(0, contentStart) + breaks + text.slice(contentEnd);
    const tree = processor.parse(reduced) as Root;
    const first = tree.children[0];
    const expectedEnd = contentEnd + close[0].length - shift;
    if (first?.type === 'yaml' && first.position?.end.offset === expectedEnd) return { tree, shift };
  }
  return { tree: processor.parse(text) as Root, shift: 0 };
}

/** Parses a plain YAML file (the configuration) with the same positions and problems as frontmatter. */
export function parseYamlText(path: string, text: string): ParsedFile {
  const lines = new LineIndex(text);
  const parsed: ParsedFile = {
    path,
    text,
    lines,
    frontmatter: 'present',
    yamlStart: 0,
    fenceRange: lines.range(0, 0),
    yamlSource: text,
    data: undefined,
    yamlProblems: [],
    body: '',
    bodyStart: text.length,
    headings: [],
  };
  parseYaml(parsed, text);
  return parsed;
}

// Anchors and aliases go through the `yaml` package, which bounds alias expansion.
// js-yaml's core schema still reads YAML 1.1 forms (0b101); this one resolves
// plain scalars exactly as YAML 1.2's core schema does, like the `yaml` package.
const CORE_12 = FAILSAFE_SCHEMA.extend({
  implicit: [
    new Type('tag:yaml.org,2002:null', { kind: 'scalar', resolve: (s: string) => /^(?:~|null|Null|NULL)?$/.test(s ?? ''), construct: () => null }),
    new Type('tag:yaml.org,2002:bool', { kind: 'scalar', resolve: (s: string) => /^(?:true|True|TRUE|false|False|FALSE)$/.test(s), construct: (s: string) => s[0] === 't' || s[0] === 'T' }),
    new Type('tag:yaml.org,2002:int', {
      kind: 'scalar',
      resolve: (s: string) => /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/.test(s),
      construct: (s: string) => (s.startsWith('0o') ? parseInt(s.slice(2), 8) : s.startsWith('0x') ? parseInt(s.slice(2), 16) : parseInt(s, 10)),
    }),
    new Type('tag:yaml.org,2002:float', {
      kind: 'scalar',
      resolve: (s: string) => /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/.test(s),
      construct: (s: string) => (/\.(?:inf|Inf|INF)$/.test(s) ? (s.startsWith('-') ? -Infinity : Infinity) : /\.(?:nan|NaN|NAN)$/.test(s) ? NaN : parseFloat(s)),
    }),
  ],
});

/**
 * Lines at column 0 of plain frontmatter are keys, list items, comments or
 * blank. Anything else (a continued quoted string, a flow collection spread
 * over lines) is where parsers differ most, so it takes the `yaml` package.
 */
const UNUSUAL_TOP_LINE = /^(?![ \t]|#|- |-$|$|[A-Za-z0-9_][A-Za-z0-9_. -]*:(?:[ \t]|$)|"[^"\\\n]*":(?:[ \t]|$)|'[^'\n]*':(?:[ \t]|$))/m;

const ANCHOR_OR_ALIAS = /(?:^|[\s[{,:-])[&*][^\s,[\]{}]/;

const QUOTED = /"(?:[^"\\\r\n]|\\.)*"|'(?:[^'\r\n]|'')*'/g;
const OPENING_QUOTE = /(?:^|[:[{,]\s|^\s*-\s)\s*["']/;

/**
 * Frontmatter where js-yaml and the `yaml` package might disagree: anchors and
 * aliases, odd lines at column 0, flow collections or quoted strings that go
 * on over several lines. These take the `yaml` package's path.
 */
function needsCarefulParse(source: string): boolean {
  if (ANCHOR_OR_ALIAS.test(source) || UNUSUAL_TOP_LINE.test(source)) return true;
  // The document itself starts at column 0.
  if (/^(?:[ \t]*(?:#.*)?(?:\r\n|\r|\n))*[ \t]/.test(source)) return true;
  for (const raw of source.split(/\r\n|\r|\n/)) {
    if (!/["'[{]/.test(raw)) continue;
    const line = raw.replace(QUOTED, '""').replace(/\s#.*$/, '');
    if (OPENING_QUOTE.test(line.replace(/""/g, ''))) return true;
    let depth = 0;
    for (const ch of line) {
      if (ch === '[' || ch === '{') depth++;
      else if (ch === ']' || ch === '}') depth--;
    }
    if (depth !== 0) return true;
  }
  return false;
}

/**
 * Reads the frontmatter's data. Most models are plain YAML without anchors:
 * js-yaml reads those about ten times faster than the \`yaml\` package, whose
 * document (with node ranges) is then built only when a position is needed.
 * Anything unusual — a syntax error, a duplicate key, anchors, deep nesting —
 * takes the \`yaml\` package's path, so the diagnostics come from one parser.
 */
function parseFrontmatter(parsed: ParsedFile, source: string): void {
  parsed.yamlSource = source;
  if (!needsCarefulParse(source)) {
    try {
      parsed.data = loadYamlFast(source, { schema: CORE_12, json: false }) ?? null;
      parsed.plainLayout = true;
      return;
    } catch (error) {
      if (!(error instanceof YAMLException) && !(error instanceof RangeError)) throw error;
      parseYaml(parsed, source);
      if (parsed.yamlProblems.length === 0 && error instanceof YAMLException) {
        // The two parsers disagree: keep the stricter verdict, at js-yaml's position.
        const offset = parsed.yamlStart + (error.mark?.position ?? 0);
        parsed.yamlProblems.push({ rule: 'yaml-syntax', message: error.reason || 'invalid YAML', range: parsed.lines.range(offset, offset) });
        parsed.data = undefined;
      }
      return;
    }
  }
  parseYaml(parsed, source);
}

/** The position-keeping document, parsed on first use. */
export function ensureDocument(file: ParsedFile): Document.Parsed | undefined {
  if (!file.document && file.frontmatter === 'present' && file.yamlProblems.length === 0) {
    try {
      file.document = parseDocument(forYamlPackage(file.yamlSource), YAML_OPTIONS);
    } catch {
      return undefined;
    }
  }
  return file.document;
}

/** The `yaml` package does not end lines at a lone CR; LF in its place keeps every offset. */
function forYamlPackage(source: string): string {
  return source.includes('\r') ? source.replace(/\r(?!\n)/g, '\n') : source;
}

const YAML_OPTIONS = { prettyErrors: false, uniqueKeys: true, strict: true, keepSourceTokens: false } as const;

function parseYaml(parsed: ParsedFile, source: string): void {
  const base = parsed.yamlStart;
  const at = (pos: readonly [number, number] | undefined) =>
    parsed.lines.range(base + (pos?.[0] ?? 0), base + (pos?.[1] ?? pos?.[0] ?? 0));
  let document: Document.Parsed;
  try {
    document = parseDocument(forYamlPackage(source), YAML_OPTIONS);
  } catch (error) {
    parsed.yamlProblems.push({ rule: 'yaml-syntax', message: yamlCrashMessage(error), range: at([0, 0]) });
    return;
  }
  parsed.document = document;
  for (const error of document.errors) {
    if (error.code === 'DUPLICATE_KEY') {
      const key = findKeyAt(document.contents, error.pos[0]);
      parsed.yamlProblems.push({
        rule: 'duplicate-key',
        message: key ? `duplicate key \`${key.name}\`: a key may appear only once in a mapping (the later value would silently win)` : 'duplicate key: a key may appear only once in a mapping',
        range: at(key?.range ?? error.pos),
      });
    } else {
      const overflow = /call stack/i.test(error.message);
      parsed.yamlProblems.push({ rule: 'yaml-syntax', message: overflow ? NESTED_TOO_DEEP : cleanYamlMessage(error.message), range: at(overflow ? [0, 0] : error.pos) });
    }
  }
  // Duplicate keys leave a usable document; real syntax errors do not.
  if (parsed.yamlProblems.some((p) => p.rule === 'yaml-syntax')) return;
  try {
    parsed.data = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const unresolved = /Unresolved alias/i.exec(message);
    if (unresolved) {
      const alias = firstAlias(document, (name) => !hasAnchor(document, name));
      parsed.yamlProblems.push({
        rule: 'yaml-syntax',
        message: alias ? `alias \`*${alias.name}\` refers to no anchor \`&${alias.name}\` defined before it` : cleanYamlMessage(message),
        range: at(alias?.range ?? [0, 0]),
      });
    } else {
      parsed.yamlProblems.push({ rule: 'yaml-syntax', message: yamlCrashMessage(error), range: at(error instanceof RangeError ? [0, 0] : (firstAlias(document)?.range ?? [0, 0])) });
    }
  }
}

const NESTED_TOO_DEEP = 'frontmatter is nested too deeply to read';

function yamlCrashMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof RangeError || /call stack/i.test(message)) return NESTED_TOO_DEEP;
  if (/excessive alias count/i.test(message)) return `frontmatter expands too many aliases (more than ${MAX_ALIAS_COUNT}): refusing a possible "billion laughs" document`;
  return `frontmatter could not be read: ${cleanYamlMessage(message)}`;
}

function firstAlias(document: Document.Parsed, accept: (name: string) => boolean = () => true): { name: string; range: [number, number] } | undefined {
  let found: { name: string; range: [number, number] } | undefined;
  try {
    visit(document, {
      Alias(_key, node) {
        if (!accept(node.source)) return undefined;
        found = { name: node.source, range: node.range ? [node.range[0], node.range[1]] : [0, 0] };
        return visit.BREAK;
      },
    });
  } catch {
    // Too deep to walk: the start of the frontmatter will do.
  }
  return found;
}

function hasAnchor(document: Document.Parsed, name: string): boolean {
  let found = false;
  try {
    visit(document, {
      Node(_key, node) {
        if ((node as { anchor?: string }).anchor === name) {
          found = true;
          return visit.BREAK;
        }
        return undefined;
      },
    });
  } catch {
    return false;
  }
  return found;
}

function cleanYamlMessage(message: string): string {
  // The yaml package appends a source excerpt after " at line N, column M:"; we print our own positions.
  return message.replace(/ at line \d+, column \d+:[\s\S]*$/, '').replace(/\s+/g, ' ').trim();
}

function findKeyAt(node: unknown, offset: number): { name: string; range: [number, number] } | undefined {
  const stack: unknown[] = [node];
  let guard = 0;
  while (stack.length > 0 && guard++ < 100000) {
    const current = stack.pop();
    if (isMap(current)) {
      for (const item of current.items) {
        const key = item.key as YamlNode | null;
        if (key && isScalar(key) && key.range && key.range[0] === offset) return { name: String(key.value), range: [key.range[0], key.range[1]] };
        stack.push(item.value);
      }
    } else if (isSeq(current)) {
      for (const item of current.items) stack.push(item);
    }
  }
  return undefined;
}

function collectHeadings(tree: Root, text: string, lines: LineIndex, shift: number): BodyHeading[] {
  const headings: BodyHeading[] = [];
  const top = tree.children;
  for (let i = 0; i < top.length; i++) {
    const node = top[i]!;
    if (node.type !== 'heading' || !node.position) continue;
    const heading = node as Heading;
    const start = (heading.position!.start.offset ?? 0) + shift;
    const end = (heading.position!.end.offset ?? start - shift) + shift;
    let sectionEnd = text.length;
    for (let j = i + 1; j < top.length; j++) {
      const next = top[j]!;
      if (next.type === 'heading' && (next as Heading).depth <= heading.depth) {
        sectionEnd = next.position?.start.offset !== undefined ? next.position.start.offset + shift : text.length;
        break;
      }
    }
    headings.push({
      depth: heading.depth,
      text: toString(heading).trim(),
      range: lines.range(start, end),
      sectionEnd,
      contentStart: nextLineStart(text, end),
    });
  }
  return headings;
}

function lineEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}

function nextLineStart(text: string, from: number): number {
  let i = lineEnd(text, from);
  if (text[i] === '\r') i++;
  if (text[i] === '\n') i++;
  return i;
}

function lineStartOf(text: string, offset: number): number {
  let i = Math.min(offset, text.length);
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

// ---------------------------------------------------------------------------
// Locating YAML nodes by path.

export type LocatePart = 'key' | 'value' | 'pair';

/**
 * The range of the node at `path` in the frontmatter. For a key that is
 * absent, the closest present ancestor is returned (a missing key is reported
 * at its parent), with `exact: false`.
 */
export function locate(file: ParsedFile, path: YamlPath, part: LocatePart = 'value'): { range: Range; exact: boolean } {
  // Most diagnostics point at an entry's key (`elements.api`): a line scan finds it without the document.
  if (part === 'key' && path.length === 2 && typeof path[0] === 'string' && typeof path[1] === 'string') {
    const hit = scanSection(file, path[0]).get(path[1]);
    if (hit && !hit.sequence) return { range: file.lines.range(file.yamlStart + hit.offset, file.yamlStart + hit.offset + hit.length), exact: true };
  }
  return locateInDocument(file, path, part);
}

/** `locate` through the position-keeping YAML document only. */
export function locateInDocument(file: ParsedFile, path: YamlPath, part: LocatePart = 'value'): { range: Range; exact: boolean } {
  const doc = ensureDocument(file);
  if (!doc) return { range: file.fenceRange, exact: false };
  let node: unknown = doc.contents;
  let keyNode: YamlNode | undefined;
  let lastGood: { key?: YamlNode; value: unknown } = { value: node };
  for (let depth = 0; depth < path.length; depth++) {
    const segment = path[depth]!;
    let found = false;
    if (isMap(node) && typeof segment === 'string') {
      for (const item of node.items) {
        if (!isPair(item)) continue;
        const key = item.key as YamlNode | null;
        if (key && isScalar(key) && String(key.value) === segment) {
          keyNode = key;
          node = item.value;
          found = true;
          break;
        }
      }
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (item !== undefined) {
        keyNode = undefined;
        node = item;
        found = true;
      }
    }
    if (!found) return { range: rangeOf(file, lastGood.key ?? (lastGood.value as YamlNode)), exact: false };
    lastGood = { key: keyNode, value: node };
  }
  if (path.length === 0) return { range: file.fenceRange, exact: true };
  if (part === 'key' && keyNode) return { range: rangeOf(file, keyNode), exact: true };
  if (part === 'pair' && keyNode) {
    const valueRange = (node as YamlNode | null)?.range;
    const start = keyNode.range?.[0] ?? 0;
    const end = valueRange ? valueRange[1] : (keyNode.range?.[1] ?? start);
    return { range: file.lines.range(file.yamlStart + start, file.yamlStart + end), exact: true };
  }
  // A key with an empty value (`title:`) has a null node: point at the key.
  const value = node as YamlNode | null;
  if (!value || !value.range || value.range[0] === value.range[1]) {
    if (keyNode) return { range: rangeOf(file, keyNode), exact: true };
  }
  return { range: rangeOf(file, value ?? keyNode), exact: true };
}

function rangeOf(file: ParsedFile, node: YamlNode | null | undefined): Range {
  if (!node || !node.range) return file.fenceRange;
  // range = [start, valueEnd, nodeEnd]: use valueEnd so trailing comments are excluded.
  return file.lines.range(file.yamlStart + node.range[0], file.yamlStart + node.range[1]);
}

// ---------------------------------------------------------------------------
// Scanning block-style sections.

export interface ScannedEntry {
  /** Offset of the key (or of a sequence item's node) in the frontmatter source. */
  offset: number;
  /** Length of the key; 0 for sequence items. */
  length: number;
  sequence: boolean;
}

const PLAIN_KEY = /^([A-Za-z0-9][A-Za-z0-9._-]*)[ \t]*:(?:[ \t]|$)/;
const NO_ENTRIES: Map<string, ScannedEntry> = new Map();

/**
 * The entries of a top-level block section (`elements:` followed by indented
 * `id: …` lines, or `- …` items), found by reading lines. Only for
 * frontmatter on the plain path, whose layout the YAML parsers agree on;
 * elsewhere it finds nothing and callers use the document.
 */
export function scanSection(file: ParsedFile, name: string): Map<string, ScannedEntry> {
  if (!file.plainLayout) return NO_ENTRIES;
  file.scans ??= new Map();
  const cached = file.scans.get(name);
  if (cached) return cached;
  const found = new Map<string, ScannedEntry>();
  file.scans.set(name, found);
  const source = file.yamlSource;
  const header = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[ \\t]*:[ \\t]*(?:#[^\\r\\n]*)?\\r?$`, 'm').exec(source);
  if (!header) return found;
  let offset = header.index + header[0].length;
  let indent = -1;
  let sequenceIndex = 0;
  while (offset < source.length) {
    const lineStart = source[offset] === '\r' && source[offset + 1] === '\n' ? offset + 2 : offset + 1;
    if (lineStart >= source.length) break;
    let lineEnd = source.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = source.length;
    const line = source.slice(lineStart, lineEnd).replace(/\r$/, '');
    offset = lineEnd;
    const content = line.trimStart();
    if (content === '' || content.startsWith('#')) continue;
    const depth = line.length - content.length;
    // Block sequences may sit at column 0 under their key.
    if (depth === 0 && !(content.startsWith('- ') && (indent < 0 || indent === 0))) break;
    if (/\t/.test(line.slice(0, depth))) break;
    if (indent < 0) indent = depth;
    if (depth !== indent) continue;
    if (content.startsWith('- ')) {
      // A sequence item: located where its node starts, after the dash (as the YAML document does).
      const item = content.slice(2).trimStart();
      if (item === '' || item.startsWith('#')) break;
      found.set(String(sequenceIndex++), { offset: lineStart + depth + (content.length - item.length), length: 0, sequence: true });
      continue;
    }
    const key = PLAIN_KEY.exec(content);
    if (!key || found.has(key[1]!)) continue;
    found.set(key[1]!, { offset: lineStart + depth, length: key[1]!.length, sequence: false });
  }
  return found;
}
