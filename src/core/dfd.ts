// Data flow diagram of a model as mermaid `flowchart` source.
//
// Every label is author text, and the diagram is rendered on the published site, so
// labels go through `label()`: letters, digits, a few harmless ASCII punctuation marks and
// printable non-ASCII characters pass through; everything else becomes a mermaid entity
// code `#<code point>;`, which mermaid turns into `&#<code point>;` after parsing
// (encodeEntities/decodeEntities in mermaid 12). That leaves no `"` to close a label, no
// `%%{` for a directive (mermaid looks for those anywhere in the text), no backtick for a
// markdown string, no `<`/`&` for HTML, no `:`/`;` that would let mermaid's
// `style…:…#…;` pre-processing eat a character, and no newline to start a statement.
// Mermaid ids are generated (n*, f*, b*), never author ids.
//
// Entity codes are decoded only in HTML labels (mermaid's default for flowcharts); with
// `htmlLabels: false` mermaid 12 shows them literally (`&#34;`), so keep HTML labels on.
import type { ResolvedBoundary, ResolvedElement, ResolvedFlow, ResolvedModel, Severity } from './types.ts';
import { SEVERITIES } from './types.ts';

export interface DfdOptions {
  /** Element/flow ids to mark for `threatmark diff`. */
  highlight?: { added?: string[]; changed?: string[]; removed?: string[] };
  /** Emit `click … href` links to the model page's sections (default true). */
  links?: boolean;
}

export interface DfdTarget {
  kind: 'element' | 'flow' | 'boundary';
  id: string;
}

export interface DfdResult {
  source: string;
  /** Mermaid id (node `n*`, edge `f*`, subgraph `b*`) → what it draws. */
  nodes: Record<string, DfdTarget>;
}

const MAX_TITLE = 60;
const MAX_PROTOCOL = 24;
/** Model ids as format v1 allows them; anything else gets no link rather than an escaped href. */
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** ASCII that cannot mean anything to mermaid, HTML or markdown inside a quoted label. */
const SAFE_ASCII = /^[A-Za-z0-9 .,_/()'?!+@-]$/;
/** Bidi controls could make a label read differently from what it says. */
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu;

// Fills and text colours are explicit so the diagram reads the same on light and dark
// themes; hue and lightness both change from step to step.
const NODE_CLASSES: Record<Severity | 'none', string> = {
  critical: 'fill:#991b1b,stroke:#450a0a,stroke-width:3px,color:#ffffff',
  high: 'fill:#c2410c,stroke:#7c2d12,stroke-width:2px,color:#ffffff',
  medium: 'fill:#fde047,stroke:#a16207,color:#1c1917',
  low: 'fill:#bfdbfe,stroke:#1d4ed8,color:#0f172a',
  note: 'fill:#e5e7eb,stroke:#6b7280,color:#111827',
  none: 'stroke-width:1px',
};
// Edge class styles are applied to the path itself, so a fill would flood the curve.
const FLOW_CLASSES: Record<Severity, string> = {
  critical: 'stroke:#dc2626,stroke-width:3px',
  high: 'stroke:#ea580c,stroke-width:2px',
  medium: 'stroke:#ca8a04,stroke-width:2px',
  low: 'stroke:#3b82f6',
  note: 'stroke:#9ca3af',
};
const OTHER_CLASSES: [string, string][] = [
  ['boundary', 'stroke:#6b7280,stroke-width:2px,stroke-dasharray:8 4'],
  ['untrusted', 'stroke:#dc2626'],
  ['out-of-scope', 'stroke-dasharray:4 3,opacity:0.55'],
  ['added', 'stroke:#16a34a,stroke-width:4px'],
  ['changed', 'stroke:#2563eb,stroke-width:4px'],
  ['removed', 'stroke:#dc2626,stroke-width:4px,stroke-dasharray:6 3,opacity:0.7'],
];
const HIGHLIGHT_TEXT = { added: 'new', changed: 'changed', removed: 'removed' } as const;

/**
 * Non-ASCII letters, symbols and emoji stay readable (mermaid's syntax is all ASCII); only
 * format, private-use and unassigned code points are encoded with the ASCII punctuation.
 */
function safe(c: string): boolean {
  if (SAFE_ASCII.test(c)) return true;
  return (c.codePointAt(0) ?? 0) > 0x7f && !/\p{C}/u.test(c);
}

/** Author text → a label body safe inside `"…"`, collapsed to one line and cut to `max` characters. */
export function label(text: string, max = MAX_TITLE): string {
  const flat = text
    .replace(/\p{Cs}/gu, '\uFFFD')
    .replace(BIDI, '')
    // Mermaid marks entities as `ﬂ°°60¶ß` and turns every such sequence back into `&#60;`, even
    // in the finished SVG; breaking the sequence keeps author text from forging one.
    .replace(/\uFB02/g, 'fl')
    .replace(/¶(?=ß)/g, '¶\u2060')
    .replace(/[\s\p{Cc}]+/gu, ' ')
    .trim();
  let chars = Array.from(flat);
  if (chars.length > max) chars = [...Array.from(chars.slice(0, max - 1).join('').trimEnd()), '…'];
  return chars.map((c) => (safe(c) ? c : `#${c.codePointAt(0)};`)).join('');
}

/** A title for display; mermaid rejects some empty shapes (`("")`), so fall back to the id. */
function titleOf(item: { id: string; title: string }): string {
  return label(item.title) || label(item.id) || '#160;';
}

interface Exposure {
  worst?: Severity;
  counts: Record<Severity, number>;
}

/** Per target id: the unresolved (not `mitigated`) threats by severity. */
function exposure(model: ResolvedModel): Map<string, Exposure> {
  const out = new Map<string, Exposure>();
  for (const threat of model.threats) {
    if (threat.mitigated || !threat.severity) continue;
    for (const target of new Set(threat.targets)) {
      let e = out.get(target);
      if (!e) {
        e = { counts: { note: 0, low: 0, medium: 0, high: 0, critical: 0 } };
        out.set(target, e);
      }
      e.counts[threat.severity] += 1;
      if (!e.worst || SEVERITIES.indexOf(threat.severity) > SEVERITIES.indexOf(e.worst)) e.worst = threat.severity;
    }
  }
  return out;
}

/** "⚠ 1 critical, 2 high": colour is never the only signal for what must be fixed. */
function marker(e: Exposure | undefined): string | undefined {
  if (!e) return undefined;
  const parts = (['critical', 'high'] as const).filter((s) => e.counts[s] > 0).map((s) => `${e.counts[s]} ${s}`);
  return parts.length ? `⚠ ${parts.join(', ')}` : undefined;
}

/** Model order (boundaries, elements, flows) rather than drawing order, for readable output. */
function byMermaidId(a: string, b: string): number {
  const rank = (id: string): number => 'bnf'.indexOf(id[0] ?? '');
  return rank(a) - rank(b) || Number(a.slice(1)) - Number(b.slice(1));
}

function shape(element: ResolvedElement, text: string): string {
  if (element.type === 'process') return `("${text}")`;
  if (element.type === 'store') return `[("${text}")]`;
  return `["${text}"]`;
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function toMermaid(model: ResolvedModel, options: DfdOptions = {}): string {
  return toMermaidWithMap(model, options).source;
}

export function toMermaidWithMap(model: ResolvedModel, options: DfdOptions = {}): DfdResult {
  const links = options.links ?? true;
  const highlight = new Map<string, keyof typeof HIGHLIGHT_TEXT>();
  // Later kinds win when an id is listed twice: removed > changed > added.
  for (const kind of ['added', 'changed', 'removed'] as const) {
    for (const id of options.highlight?.[kind] ?? []) highlight.set(id, kind);
  }
  const risk = exposure(model);
  const nodes: Record<string, DfdTarget> = {};
  const classes = new Map<string, string[]>();
  const addClass = (cls: string, mid: string): void => {
    const list = classes.get(cls);
    if (list) list.push(mid);
    else classes.set(cls, [mid]);
  };
  const lines: string[] = ['flowchart LR'];
  lines.push(
    `  accDescr: Data flow diagram with ${count(model.elements.length, 'element')}, ${count(model.flows.length, 'flow')} and ${count(model.boundaries.length, 'trust boundary', 'trust boundaries')}`,
  );

  // Element and boundary ids are resolved first so edges and nesting can refer to them.
  const elementIds = new Map<string, string>();
  model.elements.forEach((element, i) => {
    if (!elementIds.has(element.id)) elementIds.set(element.id, `n${i}`);
  });
  const boundaryIds = new Map<string, string>();
  model.boundaries.forEach((boundary, i) => {
    if (!boundaryIds.has(boundary.id)) boundaryIds.set(boundary.id, `b${i}`);
  });

  const children = new Map<string, ResolvedBoundary[]>();
  const members = new Map<string, ResolvedElement[]>();
  const roots: ResolvedBoundary[] = [];
  for (const boundary of model.boundaries) {
    const parent = boundary.ancestry.length > 1 ? boundary.ancestry[boundary.ancestry.length - 2] : undefined;
    if (parent !== undefined && parent !== boundary.id && boundaryIds.has(parent)) {
      children.set(parent, [...(children.get(parent) ?? []), boundary]);
    } else {
      roots.push(boundary);
    }
  }
  const loose: ResolvedElement[] = [];
  for (const element of model.elements) {
    if (element.boundary !== undefined && boundaryIds.has(element.boundary)) {
      members.set(element.boundary, [...(members.get(element.boundary) ?? []), element]);
    } else {
      loose.push(element);
    }
  }

  const drawn = new Set<string>();
  const drawElement = (element: ResolvedElement, indent: string): void => {
    const mid = elementIds.get(element.id);
    if (mid === undefined || drawn.has(mid)) return;
    drawn.add(mid);
    nodes[mid] = { kind: 'element', id: element.id };
    const e = risk.get(element.id);
    const mark = highlight.get(element.id);
    const text = [
      titleOf(element),
      ...[marker(e), mark && HIGHLIGHT_TEXT[mark]].filter((s) => s !== undefined).map((s) => label(s)),
    ].join('<br/>');
    lines.push(`${indent}${mid}${shape(element, text)}`);
    addClass(`sev-${e?.worst ?? 'none'}`, mid);
    if (element.outOfScope !== undefined) addClass('out-of-scope', mid);
    if (mark) addClass(mark, mid);
  };
  const visited = new Set<string>();
  const drawBoundary = (boundary: ResolvedBoundary, indent: string): void => {
    const bid = boundaryIds.get(boundary.id);
    if (bid === undefined || visited.has(bid)) return;
    visited.add(bid);
    nodes[bid] = { kind: 'boundary', id: boundary.id };
    lines.push(`${indent}subgraph ${bid}["${titleOf(boundary)} ${label(`(${boundary.trust})`)}"]`);
    for (const child of children.get(boundary.id) ?? []) drawBoundary(child, `${indent}  `);
    for (const element of members.get(boundary.id) ?? []) drawElement(element, `${indent}  `);
    lines.push(`${indent}end`);
    addClass('boundary', bid);
    if (boundary.trust === 'untrusted') addClass('untrusted', bid);
  };
  for (const boundary of roots) drawBoundary(boundary, '  ');
  // Boundaries caught in a parent cycle have no root; draw them at the top level.
  for (const boundary of model.boundaries) drawBoundary(boundary, '  ');
  for (const element of loose) drawElement(element, '  ');

  model.flows.forEach((flow: ResolvedFlow, i) => {
    const from = elementIds.get(flow.from);
    const to = elementIds.get(flow.to);
    if (from === undefined || to === undefined) return; // dangling: the checker reports it
    const fid = `f${i}`;
    nodes[fid] = { kind: 'flow', id: flow.id };
    const e = risk.get(flow.id);
    const mark = highlight.get(flow.id);
    let text = titleOf(flow);
    const protocol = label(flow.protocol ?? '', MAX_PROTOCOL);
    // Say "encrypted" only where the protocol does not already say so (no emoji: fonts lack them offline).
    const encrypted = flow.encrypted === true && !/https|tls|ssl|wss|ssh|sftp/i.test(flow.protocol ?? '');
    const details = [protocol, encrypted ? 'encrypted' : ''].filter(Boolean).join(', ');
    if (details) text += ` (${details})`;
    const extra = [marker(e), mark && HIGHLIGHT_TEXT[mark]].filter((s) => s !== undefined);
    if (extra.length) text += `<br/>${extra.map((s) => label(s)).join('<br/>')}`;
    lines.push(`  ${from} ${fid}@${flow.bidirectional ? '<-->' : '-->'}|"${text}"| ${to}`);
    if (e?.worst) addClass(`flow-sev-${e.worst}`, fid);
    if (flow.outOfScope !== undefined) addClass('out-of-scope', fid);
    if (mark) addClass(mark, fid);
  });

  for (const severity of [...SEVERITIES].reverse()) lines.push(`  classDef sev-${severity} ${NODE_CLASSES[severity]}`);
  lines.push(`  classDef sev-none ${NODE_CLASSES.none}`);
  for (const severity of [...SEVERITIES].reverse()) lines.push(`  classDef flow-sev-${severity} ${FLOW_CLASSES[severity]}`);
  for (const [name, style] of OTHER_CLASSES) lines.push(`  classDef ${name} ${style}`);
  // Applied in this order so diff highlights override severity, matching the classDef order.
  const order = ['boundary', 'untrusted', ...SEVERITIES.map((s) => `sev-${s}`), 'sev-none', ...SEVERITIES.map((s) => `flow-sev-${s}`)];
  for (const cls of [...order, 'out-of-scope', 'added', 'changed', 'removed']) {
    const ids = classes.get(cls);
    if (ids?.length) lines.push(`  class ${[...ids].sort(byMermaidId).join(',')} ${cls}`);
  }

  if (links) {
    // `click … href` survives securityLevel 'strict' (only `call` callbacks need 'loose');
    // mermaid has no click on edges, so flows are linked by the site through `nodes`.
    for (const [mid, target] of Object.entries(nodes).sort(([a], [b]) => byMermaidId(a, b))) {
      if (target.kind === 'element' && ID_PATTERN.test(target.id)) lines.push(`  click ${mid} href "#element-${target.id}"`);
    }
  }
  return { source: `${lines.join('\n')}\n`, nodes };
}
