// "Did you mean": edit distance, the closest candidate, message formatting.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closest, didYouMean, levenshtein, quote } from '../../src/core/diagnostics.ts';

const TOP_LEVEL = ['threatmark', 'id', 'title', 'summary', 'owner', 'status', 'reviewed', 'reviewers', 'review_by', 'covers', 'methodologies', 'tags', 'links', 'assumptions', 'data', 'boundaries', 'elements', 'flows', 'threats', 'not_applicable'];
const FLOW_KEYS = ['from', 'to', 'title', 'description', 'protocol', 'data', 'encrypted', 'authenticated', 'bidirectional'];
const ELEMENT_KEYS = ['type', 'title', 'description', 'boundary', 'tech', 'tags', 'data', 'out_of_scope', 'human', 'authenticates', 'authorizes', 'validates_input', 'logs', 'rate_limited', 'privileged', 'parses', 'ai', 'kind', 'encrypted', 'backed_up'];

describe('levenshtein', () => {
  it.each([
    ['', '', 0],
    ['', 'abc', 3],
    ['kitten', 'sitting', 3],
    ['title', 'title', 0],
    ['humen', 'human', 1],
  ])('%s ↔ %s = %i', (a, b, d) => {
    expect(levenshtein(a, b)).toBe(d);
  });

  it('is a metric: symmetric, zero only for equal strings, triangle inequality (property)', () => {
    const s = fc.string({ maxLength: 8 });
    fc.assert(
      fc.property(s, s, s, (a, b, c) => {
        expect(levenshtein(a, b)).toBe(levenshtein(b, a));
        expect(levenshtein(a, b) === 0).toBe(a === b);
        expect(levenshtein(a, c)).toBeLessThanOrEqual(levenshtein(a, b) + levenshtein(b, c));
      }),
    );
  });
});

describe('closest', () => {
  it.each([
    ['one letter wrong', 'humen', ELEMENT_KEYS, 'human'],
    ['a letter missing', 'methodologie', TOP_LEVEL, 'methodologies'],
    ['a letter too many', 'statuss', TOP_LEVEL, 'status'],
    ['case differs', 'Title', TOP_LEVEL, 'title'],
    ['dash instead of underscore', 'rate-limited', ELEMENT_KEYS, 'rate_limited'],
    ['space instead of underscore', 'out of scope', ELEMENT_KEYS, 'out_of_scope'],
    ['far off', 'zzz_totally_unrelated', TOP_LEVEL, undefined],
    ['no candidates', 'title', [], undefined],
    ['two-letter input gets no guess', 'tl', ['to', 'ai'], undefined],
    ['input longer than 64 characters gets no guess', `${'title'.repeat(13)}x`, TOP_LEVEL, undefined],
  ])('%s', (_name, input, candidates, expected) => {
    expect(closest(input, candidates)).toBe(expected);
  });

  it.each([
    ['titel', 'title', TOP_LEVEL],
    ['stauts', 'status', TOP_LEVEL],
    ['huamn', 'human', ELEMENT_KEYS],
    ['hihg', 'high', ['low', 'medium', 'high']],
    ['emial', 'email', ['email', 'phone']],
    ['drfat', 'draft', ['draft', 'in-review', 'approved']],
  ])('a transposition of two letters counts as one typo: %s → %s', (input, expected, candidates) => {
    expect(closest(input, candidates)).toBe(expected);
  });

  it('prefers the candidate that shares the word stem: `encryption` on a flow is `encrypted`, not `description`', () => {
    expect(closest('encryption', FLOW_KEYS)).toBe('encrypted');
  });

  it('always returns one of the candidates or nothing (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.array(fc.string({ maxLength: 12 }), { maxLength: 6 }), (input, candidates) => {
        const guess = closest(input, candidates);
        if (guess !== undefined) expect(candidates).toContain(guess);
      }),
    );
  });

  it('an exact match (ignoring case and separators) always wins (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ELEMENT_KEYS), (key) => {
        expect(closest(key.toUpperCase(), ELEMENT_KEYS)).toBe(key);
      }),
    );
  });
});

describe('didYouMean and quote', () => {
  it('formats the suggestion for a message, or nothing', () => {
    expect(didYouMean('humen', ELEMENT_KEYS)).toBe('; did you mean `human`?');
    expect(didYouMean('zzzzzz', ELEMENT_KEYS)).toBe('');
  });

  it('quotes user text on one line, shortened to 60 characters', () => {
    expect(quote('a\n  b')).toBe('`a b`');
    expect(quote('x'.repeat(100))).toBe(`\`${'x'.repeat(57)}…\``);
    expect(quote(42)).toBe('`42`');
    expect(quote(null)).toBe('`null`');
  });
});
