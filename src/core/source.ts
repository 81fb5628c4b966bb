// Reading a file safely and turning offsets into 1-based line/column points.
import { readFile, stat } from 'node:fs/promises';
import type { Point, Range } from './types.ts';

/** Files larger than this are refused before they are read. */
export const DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024;

export class LineIndex {
  readonly starts: number[];
  readonly length: number;
  constructor(text: string) {
    const starts = [0];
    if (text.includes('\r')) {
      for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        if (code === 10) starts.push(i + 1);
        // A lone CR (old Mac endings) also ends a line, as YAML and micromark treat it.
        else if (code === 13 && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
      }
    } else {
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    }
    this.starts = starts;
    this.length = text.length;
  }

  point(offset: number): Point {
    const clamped = Math.max(0, Math.min(offset, this.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= clamped) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: clamped - this.starts[lo]! + 1, offset: clamped };
  }

  range(start: number, end: number): Range {
    return { start: this.point(start), end: this.point(Math.max(start, end)) };
  }

  /** The start of the file, for problems that concern the whole file. */
  fileStart(): Range {
    return this.range(0, 0);
  }
}

export type ReadResult =
  | { ok: true; text: string }
  | { ok: false; rule: 'file-too-large' | 'file-encoding' | 'file-unreadable'; message: string; offset?: number; line?: number; column?: number };

/** Reads a model file as UTF-8 text: refuses oversized, binary and invalid UTF-8 files with a reason. */
export async function readSource(path: string, maxBytes = DEFAULT_MAX_FILE_BYTES): Promise<ReadResult> {
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) return { ok: false, rule: 'file-unreadable', message: 'not a regular file' };
    size = info.size;
  } catch (error) {
    return { ok: false, rule: 'file-unreadable', message: `cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  if (size > maxBytes) {
    return {
      ok: false,
      rule: 'file-too-large',
      // Rounded sizes can look equal just over the limit: then give exact byte counts.
      message:
        formatBytes(size) === formatBytes(maxBytes)
          ? `file is ${size} bytes, over the limit of ${maxBytes} bytes for a threat model; split it into several models`
          : `file is ${formatBytes(size)}, over the ${formatBytes(maxBytes)} limit for a threat model; split it into several models`,
    };
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    return { ok: false, rule: 'file-unreadable', message: `cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  return decodeSource(bytes);
}

export function decodeSource(bytes: Uint8Array): ReadResult {
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    const at = bytePosition(bytes, nul);
    return { ok: false, rule: 'file-encoding', message: 'file contains NUL bytes: it looks binary, not UTF-8 text', offset: nul, ...at };
  }
  const bad = firstInvalidUtf8(bytes);
  if (bad >= 0) {
    const at = bytePosition(bytes, bad);
    return { ok: false, rule: 'file-encoding', message: `file is not valid UTF-8 (invalid byte 0x${bytes[bad]!.toString(16).padStart(2, '0')})`, offset: bad, ...at };
  }
  let text = new TextDecoder('utf-8').decode(bytes);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { ok: true, text };
}

function bytePosition(bytes: Uint8Array, index: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < index; i++) {
    // LF, CRLF and a lone CR each end a line, as everywhere else in the checker.
    if (bytes[i] === 10 || (bytes[i] === 13 && bytes[i + 1] !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  // Columns count characters, so decode the valid part of the line before the bad byte.
  const prefix = new TextDecoder('utf-8').decode(bytes.subarray(lineStart, index));
  return { line, column: prefix.length + 1 };
}

/** Index of the first byte that breaks UTF-8, or -1. Overlongs, surrogates and > U+10FFFF are invalid. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    let cp: number;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
      cp = b & 0x1f;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
      cp = b & 0x0f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
      cp = b & 0x07;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}
