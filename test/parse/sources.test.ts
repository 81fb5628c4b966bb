// Entry positions come from a fast line scan for block-style sections and from
// the position-keeping YAML document otherwise; both must agree everywhere.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/core/config.ts';
import { locate, locateInDocument, parseModelText } from '../../src/core/parse.ts';
import { checkText } from '../../src/core/project.ts';
import type { SourceRef } from '../../src/core/types.ts';

const root = new URL('../..', import.meta.url).pathname;
const modelsDir = join(root, 'threat-models');

const HANDWRITTEN = `---
threatmark: 1
title: Layouts
owner: "@me"
status: draft
data: {d1: {title: Inline}}
boundaries:
    wide: { title: Four-space indent }
    # a comment at the entry indentation
    'quoted': { title: Quoted key }
elements:
  a:
    type: process
    title: title
  title: { type: store, title: An element called title }
  c: {type: external, title: C}
flows:
  f1: { from: a, to: title, title: F }
threats:
  T-1:
    title: x
    category: spoofing
    targets: [a]
    likelihood: low
    impact: low
    status: open
not_applicable:
- targets: [c]
  categories: [repudiation]
  reason: r
-   { targets: [a], categories: [tampering], reason: r }
---
`;

function sourcesOf(text: string, name: string) {
  const config = defaultConfig(root);
  const outcome = checkText(text, { display: name, relativePath: name, config, today: '2026-12-04' });
  const model = outcome.model!;
  const fresh = parseModelText(name, text);
  const pairs: { path: (string | number)[]; got: SourceRef }[] = [
    ...model.data.map((d) => ({ path: ['data', d.id], got: d.source })),
    ...model.boundaries.map((b) => ({ path: ['boundaries', b.id], got: b.source })),
    ...model.elements.map((e) => ({ path: ['elements', e.id], got: e.source })),
    ...model.flows.map((f) => ({ path: ['flows', f.id], got: f.source })),
    ...model.threats.map((t) => ({ path: ['threats', t.id], got: t.source })),
    ...model.notApplicable.map((n, i) => ({ path: ['not_applicable', i], got: n.source })),
  ];
  return pairs.map(({ path, got }) => {
    const { start } = locateInDocument(fresh, path, 'key').range;
    // The fast key lookup in `locate` must give the document's whole key range.
    if (path.length === 2 && typeof path[1] === 'string') expect(locate(fresh, path, 'key').range, path.join('.')).toEqual(locateInDocument(fresh, path, 'key').range);
    // A plain data property means the line scan found it; a getter means the document was used.
    const scanned = Object.getOwnPropertyDescriptor(got, 'line')?.get === undefined;
    return { path: path.join('.'), scanned, got: { line: got.line, column: got.column }, expected: { line: start.line, column: start.column } };
  });
}

describe('entry sources', () => {
  const files = readdirSync(modelsDir).filter((f) => f.endsWith('.md'));
  it.each(files)('agree with the YAML document in threat-models/%s', (file) => {
    const rows = sourcesOf(readFileSync(join(modelsDir, file), 'utf8'), file);
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.filter((r) => r.scanned).length).toBe(rows.length);
    for (const row of rows) expect(row.got, row.path).toEqual(row.expected);
  });

  it('agree for flow style, odd indentation, quoted keys, comments and CRLF', () => {
    for (const text of [HANDWRITTEN, HANDWRITTEN.replace(/\n/g, '\r\n')]) {
      const rows = sourcesOf(text, 'layouts.md');
      expect(rows.map((r) => r.path)).toContain('elements.title');
      // Flow-style `data: {…}` cannot be scanned and goes through the document.
      expect(rows.find((r) => r.path === 'data.d1')?.scanned).toBe(false);
      expect(rows.find((r) => r.path === 'elements.title')?.scanned).toBe(true);
      expect(rows.find((r) => r.path === 'not_applicable.0')?.scanned).toBe(true);
      for (const row of rows) expect(row.got, row.path).toEqual(row.expected);
    }
  });
});

describe('body headings', () => {
  const files = readdirSync(modelsDir).filter((f) => f.endsWith('.md'));
  const variants = (text: string) => [text, text.replace(/\n/g, '\r\n'), `\uFEFF${text}`.slice(1)];
  it.each(files)('are the same with and without the reduced frontmatter in threat-models/%s', (file) => {
    for (const text of variants(readFileSync(join(modelsDir, file), 'utf8'))) {
      const fast = parseModelText(file, text);
      const full = parseModelText(file, text, { reduceFrontmatter: false });
      expect(fast.headings.length).toBeGreaterThan(3);
      expect(fast.headings).toEqual(full.headings);
      expect(fast.bodyStart).toBe(full.bodyStart);
      expect(fast.yamlSource).toBe(full.yamlSource);
    }
  });
});
