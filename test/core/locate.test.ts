// locate(): the place of a YAML node by path, in the original file's lines and columns.
import { describe, expect, it } from 'vitest';
import { locate, parseModelText, parseYamlText, type LocatePart, type YamlPath } from '../../src/core/parse.ts';

const MODEL = [
  '---', //                                                    1
  'threatmark: 1', //                                          2
  'title: Locate', //                                          3
  'owner:', //                                                 4
  'status: draft # a comment', //                              5
  'elements:', //                                              6
  '  user: { type: external, title: "Ü 😀", human: true }', // 7
  '  api:', //                                                 8
  '    type: process', //                                      9
  '    title: API', //                                         10
  'threats:', //                                               11
  '  T-1:', //                                                 12
  '    targets: [user, api]', //                               13
  '    mitigations:', //                                       14
  '      - First', //                                          15
  '      - { title: Second, ref: "src/a.ts#L1" }', //          16
  '---', //                                                    17
  '',
].join('\n');

function where(text: string, path: YamlPath, part?: LocatePart): string {
  const file = parseModelText('m.md', text);
  const { range, exact } = locate(file, path, part);
  return `${range.start.line}:${range.start.column}-${range.end.line}:${range.end.column}${exact ? '' : ' (parent)'}`;
}

describe('locate', () => {
  it.each<[string, YamlPath, LocatePart | undefined, string]>([
    ['a top-level value', ['title'], undefined, '3:8-3:14'],
    ['a top-level key', ['title'], 'key', '3:1-3:6'],
    ['a key and its value', ['title'], 'pair', '3:1-3:14'],
    ['a value followed by a comment (the comment is not included)', ['status'], undefined, '5:9-5:14'],
    ['an empty value points at its key', ['owner'], undefined, '4:1-4:6'],
    ['a flow mapping entry after a multi-byte string (UTF-16 columns)', ['elements', 'user', 'human'], undefined, '7:49-7:53'],
    ['a flow mapping key', ['elements', 'user', 'human'], 'key', '7:42-7:47'],
    ['an entry key', ['elements', 'api'], 'key', '8:3-8:6'],
    ['a block value', ['elements', 'api', 'title'], undefined, '10:12-10:15'],
    ['a list item', ['threats', 'T-1', 'targets', 1], undefined, '13:21-13:24'],
    ['a mapping inside a list', ['threats', 'T-1', 'mitigations', 1, 'ref'], undefined, '16:31-16:44'],
    ['a plain list item', ['threats', 'T-1', 'mitigations', 0], undefined, '15:9-15:14'],
    ['"key" of a list item falls back to the item itself', ['threats', 'T-1', 'mitigations', 0], 'key', '15:9-15:14'],
    ['the whole frontmatter is the opening fence', [], undefined, '1:1-1:4'],
  ])('%s', (_name, path, part, expected) => {
    expect(where(MODEL, path, part)).toBe(expected);
  });

  it.each<[string, YamlPath, string]>([
    ['a missing top-level key: the document (not exact)', ['summary'], '2:1-17:1 (parent)'],
    ['a missing key under an entry: the entry key', ['elements', 'api', 'tech'], '8:3-8:6 (parent)'],
    ['a missing key under a flow entry: the entry key', ['elements', 'user', 'tech'], '7:3-7:7 (parent)'],
    ['an index past the end of a list: the list key', ['threats', 'T-1', 'targets', 5], '13:5-13:12 (parent)'],
    ['a path through a scalar: the scalar key', ['title', 'x'], '3:1-3:6 (parent)'],
    ['a string segment on a list: the list key', ['threats', 'T-1', 'targets', 'x'], '13:5-13:12 (parent)'],
  ])('%s', (_name, path, expected) => {
    expect(where(MODEL, path)).toBe(expected);
  });

  it('gives the same places with CRLF line endings and a BOM removed', () => {
    const crlf = MODEL.replace(/\n/g, '\r\n');
    for (const path of [['title'], ['elements', 'user', 'human'], ['threats', 'T-1', 'mitigations', 1, 'ref']] as YamlPath[]) {
      expect(where(crlf, path)).toBe(where(MODEL, path));
    }
  });

  it('gives the same places with lone CR line endings', () => {
    const cr = MODEL.replace(/\n/g, '\r');
    for (const path of [['title'], ['elements', 'user', 'human'], ['threats', 'T-1', 'mitigations', 1, 'ref']] as YamlPath[]) {
      expect(where(cr, path)).toBe(where(MODEL, path));
    }
  });

  it('works on plain YAML files (the configuration): the whole file is the document', () => {
    const file = parseYamlText('threatmark.config.yaml', 'fail_on: high\nrisk:\n  matrix:\n    low: { low: note }\n');
    const range = locate(file, ['risk', 'matrix', 'low', 'low']).range;
    expect(`${range.start.line}:${range.start.column}-${range.end.line}:${range.end.column}`).toBe('4:17-4:21');
  });

  it('keys that are numbers or booleans in YAML are found by their text', () => {
    const text = '---\nthreatmark: 1\nelements:\n  1: { type: external }\n  true: { type: store }\n---\n';
    expect(where(text, ['elements', '1', 'type'])).toBe('4:14-4:22');
    expect(where(text, ['elements', 'true', 'type'])).toBe('5:17-5:22');
  });

  it('without a YAML document (no frontmatter) falls back to the fence range', () => {
    expect(where('# no frontmatter\n', ['title'])).toBe('1:1-1:4 (parent)');
  });
});
