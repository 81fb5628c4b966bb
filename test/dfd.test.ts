import { describe, expect, it, beforeAll } from 'vitest';
import DOMPurify from 'dompurify';
import fc from 'fast-check';
import { label, toMermaid, toMermaidWithMap } from '../src/core/dfd.ts';
import type {
  ResolvedBoundary,
  ResolvedElement,
  ResolvedFlow,
  ResolvedModel,
  ResolvedThreat,
  Severity,
} from '../src/core/types.ts';

// Mermaid in Node: `mermaid.parse` needs no DOM except for DOMPurify, which mermaid calls
// (addHook + sanitize) while it collects labels. Without a `window`, DOMPurify's default
// export is a bare object with neither method. It is the same module instance mermaid
// imports, so giving it pass-through methods before mermaid is loaded is enough to parse;
// the tests then inspect mermaid's own parse result (its flowchart db), which is exactly
// what mermaid would render after its sanitiser runs in a browser.
interface MermaidVertex { id: string; text?: string; type?: string; classes: string[]; link?: string; labelType?: string }
interface MermaidEdge { id?: string; start: string; end: string; text: string; type?: string; classes: string[] }
interface MermaidSubGraph { id: string; title: string; nodes: string[]; classes: string[] }
interface FlowDb {
  getVertices(): Map<string, MermaidVertex>;
  getEdges(): MermaidEdge[];
  getSubGraphs(): MermaidSubGraph[];
  getTooltip(id: string): string | undefined;
}
interface MermaidLike {
  initialize(config: Record<string, unknown>): void;
  parse(text: string): Promise<unknown>;
  mermaidAPI: { getDiagramFromText(text: string): Promise<{ db: unknown }> };
}
let mermaid: MermaidLike;

beforeAll(async () => {
  const purify = DOMPurify as unknown as Record<string, unknown>;
  if (typeof purify.sanitize !== 'function') {
    purify.addHook = () => undefined;
    purify.sanitize = (dirty: unknown) => String(dirty);
  }
  mermaid = (await import('mermaid')).default as unknown as MermaidLike;
  mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
});

async function parsed(source: string): Promise<FlowDb> {
  await mermaid.parse(source); // throws on a syntax error
  return (await mermaid.mermaidAPI.getDiagramFromText(source)).db as FlowDb;
}

/** Mermaid's stored label → the text a reader sees (placeholders → entities → characters). */
function shown(text: string): string {
  return text
    .replace(/ﬂ°°/g, '&#')
    .replace(/ﬂ°/g, '&')
    .replace(/¶ß/g, ';')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)));
}

// --- a ResolvedModel built by hand (no core parser exports one yet) -------------------

const at = { line: 1, column: 1 };

function element(id: string, type: ResolvedElement['type'], extra: Partial<ResolvedElement> = {}): ResolvedElement {
  return { id, type, title: id, trust: 'trusted', tags: [], data: [], attributes: {}, personal: false, source: at, ...extra };
}
function boundary(id: string, ancestry: string[], extra: Partial<ResolvedBoundary> = {}): ResolvedBoundary {
  const parent = ancestry.length > 1 ? ancestry[ancestry.length - 2] : undefined;
  return { id, title: id, trust: 'trusted', ancestry, source: at, ...(parent ? { parent } : {}), ...extra };
}
function flow(id: string, from: string, to: string, extra: Partial<ResolvedFlow> = {}): ResolvedFlow {
  return { id, from, to, title: id, data: [], crossesBoundary: false, personal: false, source: at, ...extra };
}
function threat(id: string, targets: string[], severity: Severity, mitigated = false): ResolvedThreat {
  return {
    id, title: id, categories: ['spoofing'], targets, status: mitigated ? 'mitigated' : 'open', severity,
    mitigations: [], refs: [], mitigated, source: at,
  };
}
function model(parts: Partial<ResolvedModel>): ResolvedModel {
  return {
    id: 'm', file: 'threat-models/m.md', title: 'M', owner: '@team', status: 'draft', reviewers: [],
    reviewState: 'never-reviewed', covers: [], methodologies: ['stride'], tags: [], links: [], assumptions: [],
    data: [], boundaries: [], elements: [], flows: [], threats: [], notApplicable: [],
    coverage: { rows: [], answered: 0, total: 0, percent: 100 }, findings: [], body: '', bodyLine: 1,
    summaryCounts: {
      threats: 0, unresolved: 0, errors: 0, warnings: 0, infos: 0,
      byStatus: { open: 0, planned: 0, mitigated: 0, accepted: 0, transferred: 0, 'not-applicable': 0 },
      bySeverity: { note: 0, low: 0, medium: 0, high: 0, critical: 0 },
    },
    valid: true,
    ...parts,
  };
}

/** The format spec's example, resolved by hand. */
function upload(): ResolvedModel {
  return model({
    boundaries: [
      boundary('internet', ['internet'], { title: 'Internet', trust: 'untrusted' }),
      boundary('internal', ['internal'], { title: 'Internal network' }),
      boundary('vpc', ['internal', 'vpc'], { title: 'Private VPC' }),
    ],
    elements: [
      element('browser', 'external', { title: 'User browser', boundary: 'internet', trust: 'untrusted' }),
      element('gateway', 'process', { title: 'API gateway', boundary: 'internal' }),
      element('upload', 'process', { title: 'Upload service', boundary: 'vpc' }),
      element('bucket', 'store', { title: 'S3 bucket', boundary: 'vpc' }),
      element('cdn', 'external', { title: 'CDN', outOfScope: 'Managed by the platform team' }),
    ],
    flows: [
      flow('upload-request', 'browser', 'gateway', { title: 'Upload request', protocol: 'HTTPS', encrypted: true }),
      flow('forwarded', 'gateway', 'upload', { title: 'Forwarded upload', protocol: 'HTTP' }),
      flow('store-image', 'upload', 'bucket', { title: 'Store image', bidirectional: true }),
    ],
    threats: [
      threat('UP-1', ['upload', 'browser'], 'high', true),
      threat('UP-2', ['upload'], 'high'),
      threat('UP-3', ['upload', 'upload'], 'critical'),
      threat('UP-4', ['bucket'], 'medium'),
      threat('UP-5', ['gateway'], 'low'),
      threat('UP-6', ['gateway'], 'note'),
      threat('UP-7', ['forwarded'], 'high'),
    ],
  });
}

const HOSTILE = [
  '"]);click n0 call alert(1)%%{init: {}}%%<script>alert(1)</script>',
  '`**bold**` and `code`',
  '# heading #35; #quot; &amp; &#60;',
  'line one\nline two\r\nclick n1 href "javascript:alert(1)"\n%%{init: {"securityLevel": "loose"}}%%',
  'end',
  'subgraph x\nend',
  'Ünïcödé 日本語 🙂 ß ﬂ°°60¶ß ° ¶ \u202Eevil\u202C',
  '--> |x| -.-> ==> ((o)) [(x)] {{y}} a:::b ; style n0 fill:#f00;',
  '<img src=x onerror=alert(1)>',
  'x'.repeat(500),
  '"',
  '',
];

function hostileModel(text: string): ResolvedModel {
  return model({
    boundaries: [
      boundary('zone', ['zone'], { title: text, trust: 'untrusted' }),
      boundary('inner', ['zone', 'inner'], { title: text }),
    ],
    elements: [
      element('a', 'external', { title: text, boundary: 'zone' }),
      element('b', 'process', { title: text, boundary: 'inner' }),
      element('c', 'store', { title: text }),
    ],
    flows: [
      flow('f', 'a', 'b', { title: text, protocol: text, encrypted: true }),
      flow('g', 'b', 'c', { title: text, bidirectional: true }),
    ],
    threats: [threat('T1', ['a', 'f'], 'critical')],
  });
}

describe('toMermaid', () => {
  it('draws elements with DFD shapes and generated ids', () => {
    const src = toMermaid(upload());
    expect(src.startsWith('flowchart LR\n')).toBe(true);
    expect(src).toContain('n0["User browser"]');
    expect(src).toContain('n1("API gateway")');
    expect(src).toContain('n2("Upload service');
    expect(src).toContain('n3[("S3 bucket")]');
    expect(src).toContain('n4["CDN"]');
    expect(src).toMatch(/^  class .*\bn4\b.* out-of-scope$/m);
    expect(src).not.toMatch(/\bbrowser\[|\bgateway\(/);
  });

  it('nests trust boundaries by parent and labels them with title and trust', async () => {
    const src = toMermaid(upload());
    expect(src).toContain('subgraph b0["Internet (untrusted)"]');
    expect(src).toContain('subgraph b1["Internal network (trusted)"]');
    const lines = src.split('\n');
    const open = lines.indexOf('  subgraph b1["Internal network (trusted)"]');
    const inner = lines.indexOf('    subgraph b2["Private VPC (trusted)"]');
    expect(open).toBeGreaterThan(-1);
    expect(inner).toBeGreaterThan(open);
    expect(src).toMatch(/^  class b0,b1,b2 boundary$/m);
    const db = await parsed(src);
    const sub = Object.fromEntries(db.getSubGraphs().map((s) => [s.id, s]));
    expect(sub.b1?.nodes).toEqual(expect.arrayContaining(['b2', 'n1']));
    expect(sub.b2?.nodes).toEqual(expect.arrayContaining(['n2', 'n3']));
    expect(sub.b0?.nodes).toEqual(['n0']);
    expect(sub.b0?.classes).toContain('boundary');
  });

  it('labels flows with title and protocol, and draws bidirectional flows both ways', async () => {
    const src = toMermaid(upload());
    expect(src).toContain('  n0 f0@-->|"Upload request (HTTPS)"| n1');
    expect(src).toContain('  n2 f2@<-->|"Store image"| n3');
    const edges = (await parsed(src)).getEdges();
    expect(edges.map((e) => [e.id, e.start, e.end, e.type])).toEqual([
      ['f0', 'n0', 'n1', 'arrow_point'],
      ['f1', 'n1', 'n2', 'arrow_point'],
      ['f2', 'n2', 'n3', 'double_arrow_point'],
    ]);
    expect(shown(edges[0]!.text)).toBe('Upload request (HTTPS)');
  });

  it('tints nodes by the highest unresolved severity, with a text marker for high and critical', async () => {
    const src = toMermaid(upload());
    expect(src).toMatch(/^  class n2 sev-critical$/m);
    expect(src).toMatch(/^  class n3 sev-medium$/m);
    expect(src).toMatch(/^  class n1 sev-low$/m);
    expect(src).toMatch(/^  class n0,n4 sev-none$/m); // UP-1 is mitigated
    expect(src).toMatch(/^  class f1 flow-sev-high$/m);
    for (const s of ['critical', 'high', 'medium', 'low', 'note', 'none']) expect(src).toMatch(new RegExp(`^  classDef sev-${s} \\S`, 'm'));
    const db = await parsed(src);
    expect(shown(db.getVertices().get('n2')!.text!)).toBe('Upload service<br/>⚠ 1 critical, 1 high');
    expect(shown(db.getVertices().get('n1')!.text!)).toBe('API gateway'); // low: colour plus no alarm
    expect(shown(db.getEdges()[1]!.text)).toBe('Forwarded upload (HTTP)<br/>⚠ 1 high');
    expect(db.getVertices().get('n2')!.classes).toContain('sev-critical');
    expect(db.getEdges()[1]!.classes).toContain('flow-sev-high');
  });

  it('links each element to its section, and can leave links out', async () => {
    const src = toMermaid(upload());
    expect(src).toContain('  click n0 href "#element-browser"');
    expect(src).toContain('  click n3 href "#element-bucket"');
    const db = await parsed(src);
    expect(db.getVertices().get('n0')!.link).toBe('#element-browser');
    expect(toMermaid(upload(), { links: false })).not.toMatch(/click/);
    // An id outside the format's id pattern gets no link instead of an escaped one.
    const odd = model({ elements: [element('a b"', 'process')] });
    expect(toMermaid(odd)).not.toMatch(/click/);
  });

  it('maps mermaid ids back to model ids', () => {
    const { nodes } = toMermaidWithMap(upload());
    expect(nodes.n0).toEqual({ kind: 'element', id: 'browser' });
    expect(nodes.f2).toEqual({ kind: 'flow', id: 'store-image' });
    expect(nodes.b2).toEqual({ kind: 'boundary', id: 'vpc' });
  });

  it('marks diff highlights with classes and a word', async () => {
    const src = toMermaid(upload(), {
      links: false,
      highlight: { added: ['bucket', 'store-image'], changed: ['gateway'], removed: ['cdn', 'nope'] },
    });
    expect(src).toMatch(/^  class n3,f2 added$/m);
    expect(src).toMatch(/^  class n1 changed$/m);
    expect(src).toMatch(/^  class n4 removed$/m);
    const db = await parsed(src);
    expect(shown(db.getVertices().get('n3')!.text!)).toBe('S3 bucket<br/>new');
    expect(db.getEdges()[2]!.classes).toContain('added');
    // The highlight comes after the severity class, so its stroke wins.
    expect(db.getVertices().get('n1')!.classes).toEqual(['sev-low', 'changed']);
  });

  it('is deterministic', () => {
    const a = toMermaid(upload(), { highlight: { added: ['bucket'] } });
    const b = toMermaid(structuredClone(upload()), { highlight: { added: ['bucket'] } });
    expect(a).toBe(b);
    expect(toMermaid(hostileModel(HOSTILE[0]!))).toBe(toMermaid(hostileModel(HOSTILE[0]!)));
  });

  it('copes with boundary cycles, unknown boundaries and dangling flows', async () => {
    const m = model({
      boundaries: [boundary('x', ['y', 'x']), boundary('y', ['x', 'y'])],
      elements: [element('a', 'process', { boundary: 'x' }), element('b', 'store', { boundary: 'ghost' })],
      flows: [flow('f', 'a', 'missing'), flow('g', 'a', 'b')],
    });
    const src = toMermaid(m);
    expect(src.match(/subgraph/g)).toHaveLength(2);
    expect(src).not.toContain('f0@');
    expect(src).toContain('n0 f1@-->');
    await parsed(src);
  });

  it('parses in mermaid 12 for a normal model', async () => {
    await expect(mermaid.parse(toMermaid(upload()))).resolves.toBeTruthy();
    await expect(mermaid.parse(toMermaid(model({ elements: [element('only', 'process')] })))).resolves.toBeTruthy();
    // Whitespace-only titles and protocols: mermaid rejects an empty `("")`.
    const blank = model({
      boundaries: [boundary('z', ['z'], { title: ' ' })],
      elements: [element('p', 'process', { title: '\n', boundary: 'z' }), element('s', 'store', { title: '' })],
      flows: [flow('f', 'p', 's', { title: '', protocol: ' ' })],
    });
    const src = toMermaid(blank);
    expect(src).toContain('n0("p")');
    expect(src).toContain('|"f"|');
    await parsed(src);
  });
});

describe('hostile labels', () => {
  it.each(HOSTILE.map((h) => [JSON.stringify(h).slice(0, 60), h]))('%s', async (_name, text) => {
    const src = toMermaid(hostileModel(text));
    // Nothing the author wrote can reach mermaid's syntax.
    expect(src).not.toMatch(/<script|<img|%%|`|javascript:/i);
    expect(src).not.toContain('&');
    expect(src.split('\n').filter((l) => /^\s*click\b/.test(l))).toEqual([
      '  click n0 href "#element-a"',
      '  click n1 href "#element-b"',
      '  click n2 href "#element-c"',
    ]);
    for (const line of src.split('\n')) {
      // Every quote is one of ours: each label is exactly one "…" pair.
      expect((line.match(/"/g) ?? []).length % 2).toBe(0);
      expect(line).not.toMatch(/\r/);
    }
    expect(src).not.toMatch(/<(?!br\/>|-->)/);

    const db = await parsed(src);
    const vertices = [...db.getVertices().values()];
    expect(vertices.map((v) => v.id).sort()).toEqual(['n0', 'n1', 'n2']);
    expect(db.getSubGraphs().map((s) => s.id).sort()).toEqual(['b0', 'b1']);
    expect(db.getEdges().map((e) => e.id)).toEqual(['f0', 'f1']);
    for (const v of vertices) {
      expect(v.labelType).not.toBe('markdown');
      expect(v.link).toBe(`#element-${{ n0: 'a', n1: 'b', n2: 'c' }[v.id]}`);
      expect(db.getTooltip(v.id)).toBeUndefined();
    }
    // The reader sees the author's text (flattened to one line, shortened), not markup.
    const expected = label(text) || 'c'; // an empty title falls back to the id
    const title = shown(db.getVertices().get('n2')!.text ?? '');
    expect(title).toBe(shown(expected.replace(/#(\d+);/g, '&#$1;')));
    const flat = text
      .replace(/[\u202A-\u202E]/g, '')
      .replace(/\s+/g, ' ')
      .trim()
      .replace(/ﬂ/g, 'fl')
      .replace(/¶ß/g, '¶\u2060ß');
    if (flat.length <= 60) expect(title).toBe(flat || 'c');
    else expect(Array.from(title).length).toBeLessThanOrEqual(60);
  });

  it('keeps the diagram structure for any author text (property)', async () => {
    const syntax = fc.constantFrom('"', '`', '#', ';', ':', '%%', '{', '}', '[', ']', '(', ')', '|', '<', '>', '&', '\n', '\r',
      'end', 'subgraph', 'click', 'href', 'call', 'style', 'classDef', '-->', '==>', '@', '\\', 'ﬂ°°', '¶ß', 'quot', '60', ' ');
    const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 80 }), fc.array(syntax, { maxLength: 30 }).map((a) => a.join('')));
    await fc.assert(
      fc.asyncProperty(text, async (t) => {
        const src = toMermaid(hostileModel(t));
        const db = await parsed(src);
        expect([...db.getVertices().keys()].sort()).toEqual(['n0', 'n1', 'n2']);
        expect(db.getEdges().map((e) => e.id)).toEqual(['f0', 'f1']);
        expect(db.getSubGraphs().map((s) => s.id).sort()).toEqual(['b0', 'b1']);
        expect(src.split('\n').filter((l) => /^\s*click\b/.test(l))).toHaveLength(3);
        expect(src).not.toMatch(/%%|`|&/);
      }),
      { numRuns: 150, seed: 20260101 },
    );
  });

  it('escapes every character mermaid, HTML or markdown could read', () => {
    expect(label('a"b#c%d`e<f>g&h:i;j|k[l]m{n}o\\p*q~r=s$t^u')).toBe(
      'a#34;b#35;c#37;d#96;e#60;f#62;g#38;h#58;i#59;j#124;k#91;l#93;m#123;n#125;o#92;p#42;q#126;r#61;s#36;t#94;u',
    );
    expect(label('ﬂ°°60¶ß')).toBe('fl°°60¶#8288;ß'); // no forged mermaid entity placeholder
    expect(label('  two\n\tlines  ')).toBe('two lines');
    expect(label('Grüße, 日本 (v2) - ok!')).toBe('Grüße, 日本 (v2) - ok!');
    expect(label('🙂 ⚠ “quoted” ＂')).toBe('🙂 ⚠ “quoted” ＂'); // mermaid's syntax is ASCII
    expect(label('a\u200Bb\uE000c\uD800')).toBe('a#8203;b#57344;c\uFFFD');
    expect(label('abcdefghij', 5)).toBe('abcd…');
    expect(label('abc   defghij', 5)).toBe('abc…');
  });
});
