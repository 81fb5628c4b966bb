// Reading files: line/column arithmetic, UTF-8 validation, the size limit.
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_FILE_BYTES, decodeSource, firstInvalidUtf8, formatBytes, LineIndex, readSource } from '../../src/core/source.ts';

const p = (index: LineIndex, offset: number) => {
  const point = index.point(offset);
  return `${point.line}:${point.column}@${point.offset}`;
};

describe('LineIndex', () => {
  it('numbers lines and columns from 1 with LF endings', () => {
    const index = new LineIndex('ab\ncd\n\nx');
    expect([0, 1, 2, 3, 5, 6, 7, 8].map((o) => p(index, o))).toEqual(['1:1@0', '1:2@1', '1:3@2', '2:1@3', '2:3@5', '3:1@6', '4:1@7', '4:2@8']);
    expect(index.starts).toEqual([0, 3, 6, 7]);
  });

  it('treats CRLF as one line ending (the CR belongs to the line before)', () => {
    const index = new LineIndex('ab\r\ncd\r\n');
    expect([0, 2, 3, 4, 6, 8].map((o) => p(index, o))).toEqual(['1:1@0', '1:3@2', '1:4@3', '2:1@4', '2:3@6', '3:1@8']);
  });

  it('treats a lone CR as a line ending, and mixed endings line by line', () => {
    const index = new LineIndex('a\rb\nc\r\nd');
    expect(index.starts).toEqual([0, 2, 4, 7]);
    expect([1, 2, 4, 7].map((o) => p(index, o))).toEqual(['1:2@1', '2:1@2', '3:1@4', '4:1@7']);
  });

  it('counts columns in UTF-16 code units (an emoji is two)', () => {
    const text = 'é😀x';
    const index = new LineIndex(text);
    expect(p(index, text.indexOf('x'))).toBe('1:4@3');
  });

  it('clamps offsets outside the text', () => {
    const index = new LineIndex('ab\ncd');
    expect(p(index, -5)).toBe('1:1@0');
    expect(p(index, 99)).toBe('2:3@5');
  });

  it('handles the empty text and a text of line endings only', () => {
    expect(p(new LineIndex(''), 0)).toBe('1:1@0');
    const index = new LineIndex('\n\r\n\r');
    expect(index.starts).toEqual([0, 1, 3, 4]);
    expect(p(index, 4)).toBe('4:1@4');
  });

  it('ranges never end before they start; fileStart is 1:1', () => {
    const index = new LineIndex('abc\ndef');
    const range = index.range(5, 2);
    expect([range.start.line, range.start.column, range.end.line, range.end.column]).toEqual([2, 2, 2, 2]);
    const start = index.fileStart();
    expect([start.start.line, start.start.column, start.end.line, start.end.column]).toEqual([1, 1, 1, 1]);
  });

  it('agrees with a naive line split for any text (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'é', '😀', '\n', '\r', '\r\n', ' '), maxLength: 40 }), fc.nat(), (text, n) => {
        const offset = text.length === 0 ? 0 : n % (text.length + 1);
        // Naive oracle: walk the text; LF ends a line, CR ends one unless an LF follows.
        let line = 1;
        let lineStart = 0;
        for (let i = 0; i < offset; i++) {
          if (text[i] === '\n' || (text[i] === '\r' && text[i + 1] !== '\n')) {
            line++;
            lineStart = i + 1;
          }
        }
        const point = new LineIndex(text).point(offset);
        expect([point.line, point.column]).toEqual([line, offset - lineStart + 1]);
      }),
    );
  });
});

describe('firstInvalidUtf8', () => {
  const b = (...bytes: number[]) => Uint8Array.from(bytes);

  it.each([
    ['empty', b(), -1],
    ['ASCII', b(0x41, 0x7f), -1],
    ['2-byte U+0080 and U+07FF', b(0xc2, 0x80, 0xdf, 0xbf), -1],
    ['3-byte U+0800, U+D7FF, U+E000, U+FFFF', b(0xe0, 0xa0, 0x80, 0xed, 0x9f, 0xbf, 0xee, 0x80, 0x80, 0xef, 0xbf, 0xbf), -1],
    ['4-byte U+10000 and U+10FFFF', b(0xf0, 0x90, 0x80, 0x80, 0xf4, 0x8f, 0xbf, 0xbf), -1],
    ['a lone continuation byte', b(0x41, 0x80), 1],
    ['C0 and C1 are always overlong', b(0xc0, 0x80), 0],
    ['C1 lead', b(0x41, 0xc1, 0xbf), 1],
    ['an overlong 3-byte sequence', b(0xe0, 0x9f, 0xbf), 0],
    ['a surrogate (U+D800)', b(0x41, 0x41, 0xed, 0xa0, 0x80), 2],
    ['an overlong 4-byte sequence', b(0xf0, 0x8f, 0xbf, 0xbf), 0],
    ['above U+10FFFF', b(0xf4, 0x90, 0x80, 0x80), 0],
    ['F5 and above never start a sequence', b(0xf5, 0x80, 0x80, 0x80), 0],
    ['FF', b(0xff), 0],
    ['a truncated 2-byte sequence at the end', b(0x41, 0xc3), 1],
    ['a truncated 4-byte sequence at the end', b(0xf0, 0x9f, 0x98), 0],
    ['a sequence interrupted by ASCII', b(0xe2, 0x41, 0x82), 0],
  ])('%s → %i', (_name, bytes, expected) => {
    expect(firstInvalidUtf8(bytes)).toBe(expected);
  });

  it('agrees with a fatal TextDecoder, and the prefix before the reported byte is valid (property)', () => {
    const fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    const valid = (bytes: Uint8Array) => {
      try {
        fatal.decode(bytes);
        return true;
      } catch {
        return false;
      }
    };
    const mostlyUtf8 = fc.oneof(
      fc.uint8Array({ maxLength: 24 }),
      fc.tuple(fc.string({ unit: 'binary', maxLength: 10 }), fc.uint8Array({ maxLength: 3 }), fc.string({ unit: 'binary', maxLength: 10 })).map(([a, x, c]) => Uint8Array.from([...Buffer.from(a), ...x, ...Buffer.from(c)])),
    );
    fc.assert(
      fc.property(mostlyUtf8, (bytes) => {
        const bad = firstInvalidUtf8(bytes);
        expect(bad === -1).toBe(valid(bytes));
        if (bad >= 0) {
          expect(valid(bytes.subarray(0, bad))).toBe(true);
          expect(valid(bytes.subarray(0, Math.min(bytes.length, bad + 4)))).toBe(false);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('decodeSource', () => {
  const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((x) => (typeof x === 'string' ? Buffer.from(x) : Buffer.from(x))));

  it('removes a BOM, keeps CRLF', () => {
    const result = decodeSource(bytes([0xef, 0xbb, 0xbf], '---\r\nx\r\n'));
    expect(result).toEqual({ ok: true, text: '---\r\nx\r\n' });
  });

  it('reports NUL bytes (binary) before invalid UTF-8, at the NUL', () => {
    const result = decodeSource(bytes([0xff], 'a\nbc', [0x00]));
    expect(result).toMatchObject({ ok: false, rule: 'file-encoding', line: 2, column: 3, offset: 5 });
    expect(result.ok ? '' : result.message).toMatch(/NUL/);
  });

  it('reports the first invalid byte with its hex value; the column ignores a BOM', () => {
    const result = decodeSource(bytes([0xef, 0xbb, 0xbf], 'ab', [0xfe]));
    expect(result).toMatchObject({ ok: false, rule: 'file-encoding', line: 1, column: 3, offset: 5 });
    expect(result.ok ? '' : result.message).toBe('file is not valid UTF-8 (invalid byte 0xfe)');
  });

  it('numbers lines after CRLF like the checker does', () => {
    expect(decodeSource(bytes('a\r\nb\r\n', [0xc3]))).toMatchObject({ line: 3, column: 1 });
  });

  it('numbers lines after a lone CR like the checker does', () => {
    // LineIndex (and so every other diagnostic) treats a lone CR as a line break.
    expect(decodeSource(bytes('a\rb\r', [0xc3]))).toMatchObject({ line: 3, column: 1 });
  });
});

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1024, '1.0 KiB'],
    [1536, '1.5 KiB'],
    [2 * 1024 * 1024, '2.0 MiB'],
    [50 * 1024 * 1024, '50.0 MiB'],
  ])('%i → %s', (n, text) => {
    expect(formatBytes(n)).toBe(text);
  });
});

describe('readSource and the size limit', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'threatmark-source-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const sized = async (name: string, size: number) => {
    const path = join(dir, name);
    const handle = await open(path, 'w');
    await handle.truncate(size);
    await handle.close();
    return path;
  };

  it('reads a file of exactly the limit', async () => {
    const path = join(dir, 'exact.md');
    await writeFile(path, 'x'.repeat(DEFAULT_MAX_FILE_BYTES));
    const result = await readSource(path);
    expect(result.ok).toBe(true);
  });

  it('refuses a file one byte over the limit, before reading it', async () => {
    const result = await readSource(await sized('over.md', DEFAULT_MAX_FILE_BYTES + 1));
    expect(result).toMatchObject({ ok: false, rule: 'file-too-large' });
  });

  it('says by how much a file one byte over the limit is too large (not "2.0 MiB, over the 2.0 MiB limit")', async () => {
    const result = await readSource(await sized('over-message.md', DEFAULT_MAX_FILE_BYTES + 1));
    const message = result.ok ? '' : result.message;
    const sizes = [...message.matchAll(/(\d+(?:\.\d+)?\s*(?:B|KiB|MiB|bytes))/g)].map((m) => m[1]);
    expect(sizes.length, message).toBeGreaterThanOrEqual(2);
    expect(sizes[0], message).not.toBe(sizes[1]);
  });

  it('refuses a missing file and a folder with file-unreadable', async () => {
    expect(await readSource(join(dir, 'missing.md'))).toMatchObject({ ok: false, rule: 'file-unreadable', message: 'cannot read the file (ENOENT)' });
    expect(await readSource(dir)).toMatchObject({ ok: false, rule: 'file-unreadable', message: 'not a regular file' });
  });
});
