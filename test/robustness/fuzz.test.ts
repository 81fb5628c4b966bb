// Property tests: random and mutated models never crash the checker, never
// hang, and every diagnostic points inside the file (1-based line and column).
//
// Each property starts from valid models (the golden `valid` fixture, the
// spec's example) and applies random mutations: delete or duplicate lines, swap
// characters, insert YAML tokens or random Unicode, truncate, re-indent,
// change line endings. A failing case is printed by fast-check with its seed
// (`fc.assert` reports `{ seed, path }`; pass them back to replay it).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeSource } from '../../src/core/source.ts';
import { checkString, expectPositionsInside, MINIMAL_MODEL, prototypeSnapshot, SEED_MODELS } from './helpers.ts';

/** Upper bound for one check of a small text: far above the few milliseconds it takes, far below a hang. */
const RUN_BUDGET_MS = 5_000;
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);

const YAML_TOKENS = [
  ':', ': ', '- ', '-', '[', ']', '{', '}', ',', '?', '? ', '&a ', '*a', '&b ', '*b', '<<: *a', '!!str ', '!!map ', '!foo ',
  '|', '|-', '>', '"', "'", '#', ' #', '%YAML 1.2', '---', '...', '\t', '  ', '\n', '\r', '\r\n', '\n---\n',
  '~', 'null', 'true', '0x1F', '1e400', '-.inf', '.nan', '2026-02-30', '__proto__', 'constructor', 'prototype',
  '__proto__: { polluted: true }', 'toString', 'hasOwnProperty', '\u0000', '\ufeff', '\u2028', '\u200b', '😀', 'é', '\\', '@',
  '`', '%', '=', 'threatmark: 2', 'elements: []', 'threats: ~', 'status: open', 'likelihood: high', 'impact: high',
];

type Mutation =
  | { kind: 'delete-line'; at: number }
  | { kind: 'duplicate-line'; at: number }
  | { kind: 'swap-chars'; at: number }
  | { kind: 'insert-token'; at: number; token: string }
  | { kind: 'insert-unicode'; at: number; text: string }
  | { kind: 'truncate'; at: number }
  | { kind: 'indent-line'; at: number; by: string }
  | { kind: 'line-endings'; to: '\r\n' | '\r' | '\n' };

const position = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete-line' as const), at: position }),
  fc.record({ kind: fc.constant('duplicate-line' as const), at: position }),
  fc.record({ kind: fc.constant('swap-chars' as const), at: position }),
  fc.record({ kind: fc.constant('insert-token' as const), at: position, token: fc.constantFrom(...YAML_TOKENS) }),
  fc.record({ kind: fc.constant('insert-unicode' as const), at: position, text: fc.string({ unit: 'binary', maxLength: 8 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: position }),
  fc.record({ kind: fc.constant('indent-line' as const), at: position, by: fc.constantFrom(' ', '  ', '\t', '    ') }),
  fc.record({ kind: fc.constant('line-endings' as const), to: fc.constantFrom('\r\n' as const, '\r' as const, '\n' as const) }),
);

function index(at: number, length: number): number {
  return Math.min(length, Math.floor(at * (length + 1)));
}

export function mutate(text: string, m: Mutation): string {
  switch (m.kind) {
    case 'delete-line':
    case 'duplicate-line':
    case 'indent-line': {
      const lines = text.split('\n');
      const i = Math.min(lines.length - 1, Math.floor(m.at * lines.length));
      if (m.kind === 'delete-line') lines.splice(i, 1);
      else if (m.kind === 'duplicate-line') lines.splice(i, 0, lines[i]!);
      else lines[i] = m.by + lines[i]!;
      return lines.join('\n');
    }
    case 'swap-chars': {
      if (text.length < 2) return text;
      const i = Math.min(text.length - 2, Math.floor(m.at * (text.length - 1)));
      return text.slice(0, i) + text[i + 1] + text[i] + text.slice(i + 2);
    }
    case 'insert-token':
    case 'insert-unicode': {
      const i = index(m.at, text.length);
      return text.slice(0, i) + (m.kind === 'insert-token' ? m.token : m.text) + text.slice(i);
    }
    case 'truncate':
      return text.slice(0, index(m.at, text.length));
    case 'line-endings':
      return text.replace(/\r\n|\r|\n/g, m.to);
  }
}

const mutatedModel = fc
  .tuple(fc.constantFrom(...SEED_MODELS, MINIMAL_MODEL), fc.array(mutation, { minLength: 1, maxLength: 6 }))
  .map(([seed, mutations]) => mutations.reduce(mutate, seed));

/** Checks a text and asserts the robustness contract; returns nothing, throws on violation. */
function checkRobustly(text: string): void {
  const before = prototypeSnapshot();
  const started = performance.now();
  let diagnostics;
  try {
    diagnostics = checkString(text);
  } catch (error) {
    throw new Error(`checkText threw on ${JSON.stringify(text.slice(0, 400))}…: ${(error as Error).stack}`);
  }
  const elapsed = performance.now() - started;
  expect(elapsed, `one check took ${Math.round(elapsed)} ms`).toBeLessThan(RUN_BUDGET_MS);
  expectPositionsInside(text, diagnostics);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(prototypeSnapshot()).toBe(before);
}

describe('fuzzing the checker', () => {
  it('the seed models are valid (so mutations start from a clean model)', () => {
    for (const seed of [SEED_MODELS[0]!, SEED_MODELS[1]!, MINIMAL_MODEL]) {
      const diagnostics = checkString(seed).filter((d) => d.rule !== 'covers-matches-nothing' && d.rule !== 'mitigation-ref-missing');
      expect(diagnostics).toEqual([]);
    }
  });

  it('mutated valid models: no crash, no hang, positions inside the file', () => {
    fc.assert(fc.property(mutatedModel, checkRobustly), { numRuns: RUNS });
  });

  it('random text after a frontmatter fence', () => {
    const arbitrary = fc.tuple(fc.constantFrom('---\n', '---\r\n', '---\r', '---\nthreatmark: 1\n'), fc.string({ unit: 'binary', maxLength: 300 }), fc.constantFrom('', '\n---\n', '\r\n---\r\n', '\n---'));
    fc.assert(fc.property(arbitrary, ([head, body, tail]) => checkRobustly(head + body + tail)), { numRuns: RUNS });
  });

  it('random YAML token soup inside a frontmatter', () => {
    const soup = fc.array(fc.oneof(fc.constantFrom(...YAML_TOKENS), fc.string({ unit: 'grapheme-ascii', maxLength: 6 })), { maxLength: 60 }).map((parts) => parts.join(''));
    fc.assert(fc.property(soup, (yaml) => checkRobustly(`---\nthreatmark: 1\n${yaml}\n---\n`)), { numRuns: RUNS });
  });

  it('random structured frontmatter (JSON values as YAML flow)', () => {
    const key = fc.oneof(fc.constantFrom('threatmark', 'title', 'owner', 'status', 'elements', 'threats', 'flows', 'data', 'boundaries', 'not_applicable', '__proto__', 'constructor', 'type', 'targets', 'category'), fc.string({ maxLength: 8 }));
    const value = fc.letrec<{ value: unknown }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.constantFrom(1, 2, 'draft', 'external', 'process', 'store', 'open', 'accepted', 'high', 'spoofing', null, true, 'user', '2026-12-04'),
        fc.string({ maxLength: 10 }),
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(key, tie('value'), { maxKeys: 5 }),
      ),
    })).value;
    const frontmatter = fc.dictionary(key, value, { maxKeys: 8 }).map((data) => `---\nthreatmark: 1\n${Object.entries(data).map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join('\n')}\n---\n`);
    fc.assert(fc.property(frontmatter, checkRobustly), { numRuns: RUNS });
  });

  it('random bytes: decoding never throws; file-encoding positions are inside the file', () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      // Mostly valid UTF-8 with a few stray bytes.
      fc.tuple(fc.string({ unit: 'binary', maxLength: 80 }), fc.uint8Array({ minLength: 1, maxLength: 3 }), fc.string({ unit: 'binary', maxLength: 20 })).map(([a, bad, b]) => {
        const head = new TextEncoder().encode(a);
        const tail = new TextEncoder().encode(b);
        const out = new Uint8Array(head.length + bad.length + tail.length);
        out.set(head, 0);
        out.set(bad, head.length);
        out.set(tail, head.length + bad.length);
        return out;
      }),
    );
    fc.assert(
      fc.property(bytes, (raw) => {
        const result = decodeSource(raw);
        if (result.ok) {
          checkRobustly(result.text);
          return;
        }
        expect(result.rule).toBe('file-encoding');
        expect(result.offset).toBeGreaterThanOrEqual(0);
        expect(result.offset).toBeLessThan(raw.length);
        // The position is counted in the valid prefix: its line and column must exist there (+1 column for the bad byte itself).
        const prefix = new TextDecoder('utf-8').decode(raw.subarray(0, result.offset));
        // LF, CRLF and a lone CR each end a line, as in the checker.
        const lines = prefix.split(/\r\n|\r|\n/);
        expect(result.line).toBeGreaterThanOrEqual(1);
        expect(result.line).toBeLessThanOrEqual(lines.length);
        expect(result.column).toBeGreaterThanOrEqual(1);
        expect(result.column).toBeLessThanOrEqual(lines[(result.line ?? 1) - 1]!.replace(/^\ufeff/, '').length + 1);
      }),
      { numRuns: RUNS },
    );
  });
});
