// Frontmatter parsing (YAML 1.2 semantics, the same data on every parser path)
// and the schema's messages for missing and mistyped keys.
import fc from 'fast-check';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseModelText } from '../../src/core/parse.ts';
import { brief, check, model } from './helpers.ts';

describe('frontmatter data follows YAML 1.2 (core schema)', () => {
  /** The data the position-keeping parser (the `yaml` package, YAML 1.2) reads, or undefined when it reports an error. */
  function yaml12(source: string): unknown {
    const doc = parseDocument(source, { strict: true, uniqueKeys: true });
    return doc.errors.length > 0 ? undefined : doc.toJS({ maxAliasCount: 50 });
  }
  /** The yaml package accepts a collection as a key only with a warning (it stringifies it). */
  function yaml12Warns(source: string): boolean {
    return parseDocument(source, { strict: true, uniqueKeys: true }).warnings.length > 0;
  }
  const frontmatterOf = (text: string) => parseModelText('m.md', text).data;

  it.each([
    ['0b101 is a string in YAML 1.2 (binary integers are YAML 1.1)', 'title: 0b101', { title: '0b101' }],
    ['0o17 is an octal integer', 'title: 0o17', { title: 15 }],
    ['012 is the integer 12', 'title: 012', { title: 12 }],
    ['yes and on are strings', 'a: yes\nb: on', { a: 'yes', b: 'on' }],
    ['2026-12-04 is a string, not a date', 'reviewed: 2026-12-04', { reviewed: '2026-12-04' }],
    ['~ and null are null', 'a: ~\nb: null', { a: null, b: null }],
  ])('%s', (_name, yaml, expected) => {
    expect(frontmatterOf(`---\n${yaml}\n---\n`)).toEqual(expected);
  });

  it('`title: 0b101` is valid text, and `threatmark: 0b1` is not version 1', () => {
    const { diagnostics } = check(model('status: draft', 'summary: 0b101', 'elements:', '  user: { type: external, title: 0b1 }', 'not_applicable:', '  - { targets: [user], categories: [spoofing, repudiation], reason: r }'));
    expect(diagnostics.map(brief)).toEqual([]);
    const version = parseModelText('m.md', '---\nthreatmark: 0b1\n---\n').data as Record<string, unknown>;
    expect(version.threatmark).toBe('0b1');
  });

  it('mutated models without anchors: the frontmatter data equals what YAML 1.2 reads (property)', () => {
    const seed = model(
      'status: draft',
      'summary: "A \\"quoted\\" summary: with colons"',
      "tags: ['single', plain, 12, 0x1F, 1e3, .inf, true, ~]",
      'links:',
      '  - { title: Doc, url: "https://example.com" }',
      'elements:',
      '  user: { type: external, title: User }',
      '  api:',
      '    type: process',
      '    title: >-',
      '      Folded',
      '      text',
      '    description: |',
      '      Literal',
      '      text',
      'threats:',
      '  T-1: { title: t, category: [spoofing], targets: [user], likelihood: low, impact: low, status: open }',
    );
    const tokens = ['0b1', '0o7', '07', '1_000', '+1', '-0', '.5', '1.', 'Yes', 'NO', 'Null', 'TRUE', '2026-01-01', '12:30', '"\\x41"', "'a''b'", '|', '>', '? ', '[', ']', '{', '}', ',', ':', '- ', '#', ' ', '\n', '\t'];
    const arbitrary = fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), fc.constantFrom(...tokens)), { minLength: 1, maxLength: 4 }).map((inserts) => {
      let text = seed;
      for (const [at, token] of inserts) {
        const body = text.indexOf('\n---\n');
        const i = 4 + Math.floor(at * (body - 4));
        text = text.slice(0, i) + token + text.slice(i);
      }
      return text;
    });
    fc.assert(
      fc.property(arbitrary, (text) => {
        const parsed = parseModelText('m.md', text);
        if (parsed.frontmatter !== 'present') return;
        const source = text.slice(parsed.yamlStart, text.indexOf('\n---', parsed.yamlStart) + 1);
        const expected = yaml12(source);
        if (expected === undefined) {
          // YAML 1.2 rejects it: the checker must not accept it silently.
          expect(parsed.yamlProblems.length, JSON.stringify(source)).toBeGreaterThan(0);
          return;
        }
        // Where YAML 1.2 only warns (a collection used as a key), the checker may refuse outright.
        if (parsed.yamlProblems.length > 0 && yaml12Warns(source)) return;
        expect(parsed.data, JSON.stringify(source)).toEqual(expected);
      }),
      { numRuns: 1500 },
    );
  });
});

describe('messages for missing keys', () => {
  it('a missing required key that takes one of a set of values is a missing key at its parent', () => {
    const { diagnostics } = check(
      model(
        'elements:',
        '  user: { title: User }',
        'threats:',
        '  T-1:',
        '    title: t',
        '    targets: [user]',
        '    likelihood: low',
        '    impact: low',
        '    residual: { likelihood: low }',
      ),
    );
    expect(diagnostics.filter((d) => d.severity === 'error').map(brief)).toEqual([
      '1:1 error missing-key missing required key `status`',
      '6:3 error missing-key missing required key `type` in `elements.user`',
      '8:3 error missing-key missing required key `category` in `threats.T-1`',
      '8:3 error missing-key missing required key `status` in `threats.T-1`',
      '13:5 error missing-key missing required key `impact` in `threats.T-1.residual`',
    ]);
  });

  it('a category that is neither a category key nor a list says both are allowed', () => {
    const { diagnostics } = check(model('status: draft', 'elements:', '  user: { type: external, title: User }', 'threats:', '  T-1: { title: t, category: 7, targets: [user], likelihood: low, impact: low, status: open }'));
    const message = diagnostics.find((d) => d.rule === 'invalid-value')!.message;
    expect(message).toMatch(/^`threats\.T-1\.category` must be /);
    // The part after the path must allow a single category, not only "a list".
    expect(message.replace('`threats.T-1.category`', '')).toMatch(/spoofing|category/);
  });
});
