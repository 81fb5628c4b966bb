// Parsing a model file with positions: a unified pipeline (remark-parse +
// remark-frontmatter) splits frontmatter from body, the `yaml` package parses
// the frontmatter keeping node ranges, and every range maps back to the file.
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkFrontmatter from 'remark-frontmatter';
import { toString } from 'mdast-util-to-string';
import { isMap, isPair, isScalar, isSeq, parseDocument, visit, type Document, type Node as YamlNode } from 'yaml';
import type { Root, Heading } from 'mdast';
import { load as loadYamlFast, CORE_SCHEMA, YAMLException } from 'js-yaml';
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

// Anchors and aliases go through the \`yaml\` package, which bounds alias expansion.
const ANCHOR_OR_ALIAS = /(?:^|[\s[{,:-])[&*][^\s,[\]{}]/;

/**
 * Reads the frontmatter's data. Most models are plain YAML without anchors:
 * js-yaml reads those about ten times faster than the \`yaml\` package, whose
 * document (with node ranges) is then built only when a position is needed.
 * Anything unusual — a syntax error, a duplicate key, anchors, deep nesting —
 * takes the \`yaml\` package's path, so the diagnostics come from one parser.
 */
function parseFrontmatter(parsed: ParsedFile, source: string): void {
  parsed.yamlSource = source;
  if (!ANCHOR_OR_ALIAS.test(source)) {
    try {
      parsed.data = loadYamlFast(source, { schema: CORE_SCHEMA, json: false }) ?? null;
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
      file.document = parseDocument(file.yamlSource, { prettyErrors: false, uniqueKeys: true, strict: true, keepSourceTokens: false });
    } catch {
      return undefined;
    }
  }
  return file.document;
}

function parseYaml(parsed: ParsedFile, source: string): void {
  const base = parsed.yamlStart;
  const at = (pos: readonly [number, number] | undefined) =>
    parsed.lines.range(base + (pos?.[0] ?? 0), base + (pos?.[1] ?? pos?.[0] ?? 0));
  let document: Document.Parsed;
  try {
    document = parseDocument(source, { prettyErrors: false, uniqueKeys: true, strict: true, keepSourceTokens: false });
  } catch (error) {
    parsed.yamlProblems.push({ rule: 'yaml-syntax', message: yamlCrashMessage(error), range: at([0, 0]) });
    return;
  }
  parsed.document = document;
  for (const error of document.errors) {
    parsed.yamlProblems.push({
      rule: error.code === 'DUPLICATE_KEY' ? 'duplicate-key' : 'yaml-syntax',
      message: error.code === 'DUPLICATE_KEY' ? duplicateKeyMessage(document, error.pos) : cleanYamlMessage(error.message),
      range: at(error.pos),
    });
  }
  // Duplicate keys leave a usable document; real syntax errors do not.
  if (parsed.yamlProblems.some((p) => p.rule === 'yaml-syntax')) return;
  try {
    parsed.data = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    parsed.yamlProblems.push({ rule: 'yaml-syntax', message: yamlCrashMessage(error), range: at(firstAliasRange(document)) });
  }
}

function yamlCrashMessage(error: unknown): string {
  if (error instanceof RangeError) return 'frontmatter is nested too deeply to read';
  const message = error instanceof Error ? error.message : String(error);
  if (/alias/i.test(message)) return `frontmatter expands too many aliases (more than ${MAX_ALIAS_COUNT}): refusing a possible "billion laughs" document`;
  return `frontmatter could not be read: ${cleanYamlMessage(message)}`;
}

function firstAliasRange(document: Document.Parsed): [number, number] {
  let found: [number, number] = [0, 0];
  try {
    visit(document, {
      Alias(_key, node) {
        if (node.range) found = [node.range[0], node.range[1]];
        return visit.BREAK;
      },
    });
  } catch {
    // Too deep to walk: the start of the frontmatter will do.
  }
  return found;
}

function cleanYamlMessage(message: string): string {
  // The yaml package appends a source excerpt after " at line N, column M:"; we print our own positions.
  return message.replace(/ at line \d+, column \d+:[\s\S]*$/, '').replace(/\s+/g, ' ').trim();
}

function duplicateKeyMessage(document: Document.Parsed, pos: readonly [number, number]): string {
  const key = findKeyAt(document.contents, pos[0]);
  return key !== undefined ? `duplicate key \`${key}\`: a key may appear only once in a mapping` : 'duplicate key: a key may appear only once in a mapping';
}

function findKeyAt(node: unknown, offset: number): string | undefined {
  const stack: unknown[] = [node];
  let guard = 0;
  while (stack.length > 0 && guard++ < 100000) {
    const current = stack.pop();
    if (isMap(current)) {
      for (const item of current.items) {
        const key = item.key as YamlNode | null;
        if (key && isScalar(key) && key.range && key.range[0] === offset) return String(key.value);
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
