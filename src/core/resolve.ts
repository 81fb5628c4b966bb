// Builds the ResolvedModel from frontmatter data. Tolerant on purpose: invalid
// entries are reported by the schema check, and everything still usable is
// resolved so the other checks can report their problems in the same run.
import { basename } from 'node:path';
import type { ResolvedConfig } from './config.ts';
import { addDays, daysBetween } from './dates.ts';
import { linddunFor, strideFor } from './methodology.ts';
import { locate, scanSection, type ParsedFile, type YamlPath } from './parse.ts';
import { rate } from './risk.ts';
import { classifyRef } from './refs.ts';
import {
  AI_KINDS,
  CATEGORIES,
  CLASSIFICATIONS,
  ELEMENT_TYPES,
  isValidDate,
  METHODOLOGIES,
  MODEL_ID_PATTERN,
  MODEL_STATUSES,
  PARSED_FORMATS,
  STORE_KINDS,
  THREAT_STATUSES,
  TRUST_LEVELS,
} from './schema.ts';
import type {
  Acceptance,
  AcceptanceState,
  Category,
  Coverage,
  CoverageRow,
  ElementAttributes,
  Mitigation,
  ModelSummary,
  NotApplicableEntry,
  ResolvedBoundary,
  ResolvedDataAsset,
  ResolvedElement,
  ResolvedFlow,
  ResolvedModel,
  ResolvedThreat,
  ReviewState,
  SourceRef,
  ThreatStatus,
} from './types.ts';
import { SEVERITIES } from './types.ts';

type Raw = Record<string, unknown>;

const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const nonEmpty = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);
const date = (v: unknown): string | undefined => (typeof v === 'string' && isValidDate(v) ? v : undefined);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);
const oneOf = <T extends string>(values: readonly T[], v: unknown): T | undefined => (typeof v === 'string' && (values as readonly string[]).includes(v) ? (v as T) : undefined);
const field = (o: Raw, key: string): unknown => (Object.hasOwn(o, key) ? o[key] : undefined);
/** Own entries of a mapping; never walks the prototype chain. */
const entriesOf = (v: unknown): [string, Raw][] => (isObject(v) ? Object.entries(v).filter((e): e is [string, Raw] => isObject(e[1])) : []);

export function modelIdFromPath(path: string): string {
  const name = basename(path).replace(/\.threat\.md$/i, '').replace(/\.md$/i, '');
  return name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'model';
}

export interface ResolveContext {
  file: ParsedFile;
  /** Path relative to the source root (POSIX). */
  relativePath: string;
  config: ResolvedConfig;
  today: string;
}

export function resolveModel(data: Raw, ctx: ResolveContext): ResolvedModel {
  const where = sourceFinder(ctx.file);
  const rawId = str(field(data, 'id'));
  const id = rawId && MODEL_ID_PATTERN.test(rawId) ? rawId : modelIdFromPath(ctx.relativePath);
  const methodologies = strings(field(data, 'methodologies')).filter((m): m is 'stride' | 'linddun' => (METHODOLOGIES as readonly string[]).includes(m));
  if (!Object.hasOwn(data, 'methodologies')) methodologies.push('stride');

  const dataAssets: ResolvedDataAsset[] = entriesOf(field(data, 'data')).map(([assetId, raw]) => ({
    id: assetId,
    title: str(field(raw, 'title')) ?? assetId,
    ...(str(field(raw, 'description')) !== undefined ? { description: str(field(raw, 'description')) } : {}),
    classification: oneOf(CLASSIFICATIONS, field(raw, 'classification')) ?? 'internal',
    personal: bool(field(raw, 'personal')) ?? false,
    credentials: bool(field(raw, 'credentials')) ?? false,
    source: where(['data', assetId]),
  }));
  const assetById = new Map(dataAssets.map((a) => [a.id, a]));
  const isPersonal = (ids: string[]) => ids.some((d) => assetById.get(d)?.personal === true);

  const rawBoundaries = entriesOf(field(data, 'boundaries'));
  const parentOf = new Map(rawBoundaries.map(([bid, raw]) => [bid, str(field(raw, 'parent'))]));
  const boundaries: ResolvedBoundary[] = rawBoundaries.map(([bid, raw]) => {
    const ancestry = [bid];
    const seen = new Set([bid]);
    let parent = parentOf.get(bid);
    while (parent !== undefined && parentOf.has(parent) && !seen.has(parent)) {
      ancestry.unshift(parent);
      seen.add(parent);
      parent = parentOf.get(parent);
    }
    const p = str(field(raw, 'parent'));
    return {
      id: bid,
      title: str(field(raw, 'title')) ?? bid,
      ...(str(field(raw, 'description')) !== undefined ? { description: str(field(raw, 'description')) } : {}),
      ...(p !== undefined ? { parent: p } : {}),
      trust: oneOf(TRUST_LEVELS, field(raw, 'trust')) ?? 'trusted',
      ancestry,
      source: where(['boundaries', bid]),
    };
  });
  const boundaryById = new Map(boundaries.map((b) => [b.id, b]));

  // Elements without a valid type are reported by the schema check and left out of coverage.
  const untyped = new Set<string>();
  const elements: ResolvedElement[] = entriesOf(field(data, 'elements')).map(([eid, raw]) => {
    if (!oneOf(ELEMENT_TYPES, field(raw, 'type'))) untyped.add(eid);
    const boundary = str(field(raw, 'boundary'));
    const attributes: ElementAttributes = {};
    for (const key of ['human', 'authenticates', 'authorizes', 'validates_input', 'logs', 'rate_limited', 'privileged', 'encrypted', 'backed_up'] as const) {
      const value = bool(field(raw, key));
      if (value !== undefined) attributes[key] = value;
    }
    if (Array.isArray(field(raw, 'parses'))) attributes.parses = strings(field(raw, 'parses')).filter((p) => (PARSED_FORMATS as readonly string[]).includes(p)) as ElementAttributes['parses'];
    const ai = oneOf(AI_KINDS, field(raw, 'ai'));
    if (ai) attributes.ai = ai;
    const kind = oneOf(STORE_KINDS, field(raw, 'kind'));
    if (kind) attributes.kind = kind;
    const dataIds = strings(field(raw, 'data'));
    const outOfScope = nonEmpty(field(raw, 'out_of_scope'));
    return {
      id: eid,
      type: oneOf(ELEMENT_TYPES, field(raw, 'type')) ?? 'process',
      title: str(field(raw, 'title')) ?? eid,
      ...(str(field(raw, 'description')) !== undefined ? { description: str(field(raw, 'description')) } : {}),
      ...(boundary !== undefined ? { boundary } : {}),
      trust: (boundary !== undefined && boundaryById.get(boundary)?.trust) || 'untrusted',
      ...(str(field(raw, 'tech')) !== undefined ? { tech: str(field(raw, 'tech')) } : {}),
      tags: strings(field(raw, 'tags')),
      data: dataIds,
      ...(outOfScope !== undefined ? { outOfScope } : {}),
      attributes,
      personal: isPersonal(dataIds),
      source: where(['elements', eid]),
    };
  });
  const elementById = new Map(elements.map((e) => [e.id, e]));

  const flows: ResolvedFlow[] = entriesOf(field(data, 'flows')).map(([fid, raw]) => {
    const from = str(field(raw, 'from')) ?? '';
    const to = str(field(raw, 'to')) ?? '';
    const a = elementById.get(from);
    const b = elementById.get(to);
    const dataIds = strings(field(raw, 'data'));
    const flow: ResolvedFlow = {
      id: fid,
      from,
      to,
      title: str(field(raw, 'title')) ?? fid,
      data: dataIds,
      crossesBoundary: (a?.boundary ?? null) !== (b?.boundary ?? null),
      personal: isPersonal(dataIds),
      source: where(['flows', fid]),
    };
    for (const key of ['description', 'protocol'] as const) {
      const value = str(field(raw, key));
      if (value !== undefined) flow[key] = value;
    }
    for (const key of ['encrypted', 'authenticated', 'bidirectional'] as const) {
      const value = bool(field(raw, key));
      if (value !== undefined) flow[key] = value;
    }
    if (a?.outOfScope && b?.outOfScope) flow.outOfScope = `both ends are out of scope (${a.id}, ${b.id})`;
    return flow;
  });

  const prose = collectProse(ctx.file);
  const threats: ResolvedThreat[] = entriesOf(field(data, 'threats')).map(([tid, raw]) => resolveThreat(tid, raw, ctx, where(['threats', tid]), prose.get(tid)));

  const notApplicable: NotApplicableEntry[] = [];
  const rawExclusions = field(data, 'not_applicable');
  if (Array.isArray(rawExclusions)) {
    rawExclusions.forEach((raw, index) => {
      if (!isObject(raw)) return;
      notApplicable.push({
        index,
        targets: strings(field(raw, 'targets')),
        categories: strings(field(raw, 'categories')).filter((c): c is Category => (CATEGORIES as readonly string[]).includes(c)),
        rules: strings(field(raw, 'rules')),
        reason: str(field(raw, 'reason')) ?? '',
        source: where(['not_applicable', index]),
      });
    });
  }

  const status = oneOf(MODEL_STATUSES, field(data, 'status')) ?? 'draft';
  const reviewed = date(field(data, 'reviewed'));
  const reviewBy = date(field(data, 'review_by')) ?? (reviewed ? addDays(reviewed, ctx.config.reviewIntervalDays) : undefined);
  const summary = str(field(data, 'summary'));
  const links = Array.isArray(field(data, 'links'))
    ? (field(data, 'links') as unknown[]).filter(isObject).flatMap((l) => {
        const url = str(field(l, 'url'));
        return url && /^https?:\/\//i.test(url) ? [{ title: str(field(l, 'title')) ?? url, url }] : [];
      })
    : [];

  const model: ResolvedModel = {
    id,
    file: ctx.relativePath,
    title: str(field(data, 'title')) ?? id,
    ...(summary !== undefined ? { summary } : {}),
    owner: str(field(data, 'owner')) ?? '',
    status,
    ...(reviewed ? { reviewed } : {}),
    reviewers: strings(field(data, 'reviewers')),
    ...(reviewBy ? { reviewBy } : {}),
    reviewState: reviewStateOf(reviewed, reviewBy, ctx),
    covers: strings(field(data, 'covers')),
    methodologies,
    tags: strings(field(data, 'tags')),
    links,
    assumptions: strings(field(data, 'assumptions')),
    data: dataAssets,
    boundaries,
    elements,
    flows,
    threats,
    notApplicable,
    coverage: { rows: [], answered: 0, total: 0, percent: 100 },
    findings: [],
    body: ctx.file.body,
    bodyLine: ctx.file.lines.point(ctx.file.bodyStart).line,
    summaryCounts: summarize(threats),
    valid: true,
  };
  model.coverage = computeCoverage(model, untyped);
  return model;
}

function reviewStateOf(reviewed: string | undefined, reviewBy: string | undefined, ctx: ResolveContext): ReviewState {
  if (!reviewed && !reviewBy) return 'never-reviewed';
  if (!reviewBy) return 'current';
  const left = daysBetween(ctx.today, reviewBy);
  if (left < 0) return 'overdue';
  if (left <= ctx.config.expiryWarningDays) return 'due-soon';
  return 'current';
}

function resolveThreat(id: string, raw: Raw, ctx: ResolveContext, source: SourceRef, prose: string | undefined): ResolvedThreat {
  const rawCategory = field(raw, 'category');
  const categories = (Array.isArray(rawCategory) ? rawCategory : [rawCategory]).filter((c): c is Category => (CATEGORIES as readonly string[]).includes(c as string));
  const status: ThreatStatus = oneOf(THREAT_STATUSES, field(raw, 'status')) ?? 'open';
  const rating = rate(ctx.config.risk, field(raw, 'likelihood'), field(raw, 'impact'));
  const mitigations: Mitigation[] = Array.isArray(field(raw, 'mitigations'))
    ? (field(raw, 'mitigations') as unknown[]).flatMap((m): Mitigation[] => {
        if (typeof m === 'string') return m.trim() ? [{ title: m }] : [];
        if (!isObject(m) || !nonEmpty(field(m, 'title'))) return [];
        const out: Mitigation = { title: str(field(m, 'title'))! };
        const ref = str(field(m, 'ref'));
        const url = str(field(m, 'url'));
        if (ref) out.ref = ref;
        if (url && /^https?:\/\//i.test(url)) out.url = url;
        return [out];
      })
    : [];
  const rawAcceptance = field(raw, 'acceptance');
  let acceptance: Acceptance | undefined;
  if (isObject(rawAcceptance)) {
    acceptance = {};
    for (const key of ['owner', 'rationale', 'ticket'] as const) {
      const value = nonEmpty(field(rawAcceptance, key));
      if (value !== undefined) acceptance[key] = value;
    }
    for (const key of ['accepted', 'expires'] as const) {
      const value = date(field(rawAcceptance, key));
      if (value !== undefined) acceptance[key] = value;
    }
  }
  const acceptanceState = acceptance ? acceptanceStateOf(acceptance, ctx) : undefined;
  const rawTransfer = field(raw, 'transfer');
  const rawResidual = field(raw, 'residual');
  const residual = isObject(rawResidual) ? rate(ctx.config.risk, field(rawResidual, 'likelihood'), field(rawResidual, 'impact')) : undefined;
  const threat: ResolvedThreat = {
    id,
    title: str(field(raw, 'title')) ?? id,
    categories,
    targets: strings(field(raw, 'targets')),
    status,
    mitigations,
    refs: strings(field(raw, 'refs')).map(classifyRef),
    mitigated: false,
    source,
  };
  const description = str(field(raw, 'description'));
  if (description !== undefined) threat.description = description;
  if (rating) {
    threat.likelihood = rating.likelihood;
    threat.impact = rating.impact;
    threat.score = rating.score;
    threat.severity = rating.severity;
  } else {
    const l = oneOf(ctx.config.risk.likelihood, field(raw, 'likelihood'));
    const i = oneOf(ctx.config.risk.impact, field(raw, 'impact'));
    if (l) threat.likelihood = l;
    if (i) threat.impact = i;
  }
  const ticket = nonEmpty(field(raw, 'ticket'));
  if (ticket) threat.ticket = ticket;
  if (acceptance) threat.acceptance = acceptance;
  if (acceptanceState) threat.acceptanceState = acceptanceState;
  if (isObject(rawTransfer)) {
    threat.transfer = {};
    const to = nonEmpty(field(rawTransfer, 'to'));
    const rationale = nonEmpty(field(rawTransfer, 'rationale'));
    if (to) threat.transfer.to = to;
    if (rationale) threat.transfer.rationale = rationale;
  }
  if (residual) threat.residual = residual;
  const rule = str(field(raw, 'rule'));
  if (rule) threat.rule = rule;
  if (prose) threat.prose = prose;
  threat.mitigated = isMitigated(threat);
  return threat;
}

export function acceptanceStateOf(acceptance: Acceptance, ctx: { today: string; config: ResolvedConfig }): AcceptanceState {
  if (!acceptance.owner || !acceptance.rationale || !acceptance.expires) return 'incomplete';
  if (daysBetween(ctx.today, acceptance.expires) < 0) return 'expired';
  if (daysBetween(acceptance.accepted ?? ctx.today, acceptance.expires) > ctx.config.maxAcceptanceDays) return 'too-long';
  if (daysBetween(ctx.today, acceptance.expires) <= ctx.config.expiryWarningDays) return 'expiring';
  return 'valid';
}

/**
 * No action is owed before release: mitigated, transferred, not applicable,
 * or accepted with a complete, unexpired acceptance within the maximum term.
 */
export function isMitigated(threat: Pick<ResolvedThreat, 'status' | 'acceptanceState' | 'mitigations' | 'transfer'>): boolean {
  switch (threat.status) {
    case 'mitigated':
      return threat.mitigations.length > 0;
    case 'transferred':
      return Boolean(threat.transfer?.to && threat.transfer.rationale);
    case 'not-applicable':
      return true;
    case 'accepted':
      return threat.acceptanceState === 'valid' || threat.acceptanceState === 'expiring';
    default:
      return false;
  }
}

function summarize(threats: ResolvedThreat[]): ModelSummary {
  const byStatus = Object.fromEntries(THREAT_STATUSES.map((s) => [s, 0])) as ModelSummary['byStatus'];
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as ModelSummary['bySeverity'];
  let unresolved = 0;
  for (const threat of threats) {
    byStatus[threat.status]++;
    if (threat.severity) bySeverity[threat.severity]++;
    if (!threat.mitigated) unresolved++;
  }
  return { threats: threats.length, byStatus, bySeverity, unresolved, errors: 0, warnings: 0, infos: 0 };
}

/** STRIDE-per-element (and LINDDUN for personal data) coverage of every in-scope element and flow. */
export function computeCoverage(model: ResolvedModel, skip: ReadonlySet<string> = new Set()): Coverage {
  const stride = model.methodologies.includes('stride');
  const linddun = model.methodologies.includes('linddun');
  const threatsByTarget = new Map<string, ResolvedThreat[]>();
  for (const threat of model.threats) {
    for (const target of new Set(threat.targets)) {
      const list = threatsByTarget.get(target) ?? [];
      list.push(threat);
      threatsByTarget.set(target, list);
    }
  }
  const rows: CoverageRow[] = [];
  const targets: { id: string; kind: 'element' | 'flow'; type: CoverageRow['type']; personal: boolean; storeKind?: ElementAttributes['kind'] }[] = [
    ...model.elements.filter((e) => !e.outOfScope && !skip.has(e.id)).map((e) => ({ id: e.id, kind: 'element' as const, type: e.type, personal: e.personal, storeKind: e.attributes.kind })),
    ...model.flows.filter((f) => !f.outOfScope).map((f) => ({ id: f.id, kind: 'flow' as const, type: 'flow' as const, personal: f.personal })),
  ];
  let answered = 0;
  let total = 0;
  for (const target of targets) {
    const categories: Category[] = [...(stride ? strideFor(target.type, target.storeKind) : []), ...(linddun && target.personal ? linddunFor(target.type) : [])];
    const threats = threatsByTarget.get(target.id) ?? [];
    const cells = categories.map((category) => {
      const answering = threats.filter((t) => t.categories.includes(category)).map((t) => t.id);
      if (answering.length > 0) return { category, state: 'covered' as const, threats: answering };
      const exclusion = model.notApplicable.find((n) => n.targets.includes(target.id) && n.categories.includes(category));
      if (exclusion) return { category, state: 'excluded' as const, threats: [], reason: exclusion.reason };
      return { category, state: 'gap' as const, threats: [] };
    });
    total += cells.length;
    answered += cells.filter((c) => c.state !== 'gap').length;
    rows.push({ target: target.id, targetKind: target.kind, type: target.type, cells });
  }
  return { rows, answered, total, percent: total === 0 ? 100 : Math.floor((answered / total) * 100) };
}

/**
 * Where entries were written. Entries of block-style sections (`elements:`
 * followed by indented `id:` lines, the usual layout) are found by scanning
 * lines, which avoids building the position-keeping YAML document for a model
 * that has nothing to report; anything else is located through that document,
 * on first use.
 */
function sourceFinder(file: ParsedFile): (path: YamlPath) => SourceRef {
  return (path) => {
    if (path.length === 2 && typeof path[0] === 'string') {
      const found = scanSection(file, path[0]).get(String(path[1]));
      if (found) {
        const point = file.lines.point(file.yamlStart + found.offset);
        return { line: point.line, column: point.column };
      }
    }
    return lazySource(file, path);
  };
}

function lazySource(file: ParsedFile, path: YamlPath): SourceRef {
  let cached: SourceRef | undefined;
  const get = (): SourceRef => {
    if (!cached) {
      const { start } = locate(file, path, 'key').range;
      cached = { line: start.line, column: start.column };
    }
    return cached;
  };
  return Object.defineProperties({} as SourceRef, {
    line: { enumerable: true, get: () => get().line },
    column: { enumerable: true, get: () => get().column },
  });
}

/** Body sections whose heading starts with a threat id, keyed by that id. */
function collectProse(file: ParsedFile): Map<string, string> {
  const prose = new Map<string, string>();
  for (const heading of file.headings) {
    const id = leadingToken(heading.text);
    if (!id) continue;
    const text = file.text.slice(heading.contentStart, heading.sectionEnd).trim();
    if (!text) continue;
    prose.set(id, prose.has(id) ? `${prose.get(id)}\n\n${text}` : text);
  }
  return prose;
}

/** The first word of a heading, without a trailing colon or period. */
export function leadingToken(text: string): string | undefined {
  const match = /^([A-Za-z0-9][A-Za-z0-9._-]*?)[:.]?(?:\s|$)/.exec(text);
  return match?.[1];
}
