// The shapes every part of Threatmark shares. A ResolvedModel is the single
// source that the reporters, exports, the site and the rules engine render from.

export type Severity = 'note' | 'low' | 'medium' | 'high' | 'critical';
export const SEVERITIES: readonly Severity[] = ['note', 'low', 'medium', 'high', 'critical'];

export type DiagnosticSeverity = 'error' | 'warning' | 'info';

export interface Point {
  /** 1-based line in the original file (frontmatter lines included). */
  line: number;
  /** 1-based column, in UTF-16 code units. */
  column: number;
  /** 0-based offset into the file text (BOM removed). */
  offset: number;
}

export interface Range {
  start: Point;
  end: Point;
}

export interface Diagnostic {
  /** Path as given to the checker, relative to the working directory, POSIX separators. */
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: DiagnosticSeverity;
  /** Stable rule id, kebab-case (e.g. `unknown-key`). */
  rule: string;
  message: string;
  /** Link to the rule's documentation. */
  url?: string;
  /** Id of the model the diagnostic belongs to, when known. */
  model?: string;
  /** Stable identity of the thing the diagnostic is about (threat id, element id, …), for fingerprints. */
  subject?: string;
}

export type ModelStatus = 'draft' | 'in-review' | 'approved';
export type Methodology = 'stride' | 'linddun';
export type ElementType = 'external' | 'process' | 'store';
export type Trust = 'untrusted' | 'semi-trusted' | 'trusted';
export type Classification = 'public' | 'internal' | 'confidential' | 'restricted';
export type ThreatStatus = 'open' | 'planned' | 'mitigated' | 'accepted' | 'transferred' | 'not-applicable';

export type StrideCategory =
  | 'spoofing'
  | 'tampering'
  | 'repudiation'
  | 'information-disclosure'
  | 'denial-of-service'
  | 'elevation-of-privilege';
export type LinddunCategory =
  | 'linking'
  | 'identifying'
  | 'non-repudiation'
  | 'detecting'
  | 'data-disclosure'
  | 'unawareness'
  | 'non-compliance';
export type Category = StrideCategory | LinddunCategory;

export type ParsedFormat = 'json' | 'xml' | 'yaml' | 'serialized' | 'files' | 'html' | 'templates' | 'sql';
export type AiKind = 'llm' | 'agent' | 'rag' | 'ml-model';
export type StoreKind = 'sql' | 'nosql' | 'object' | 'file' | 'cache' | 'queue' | 'secrets' | 'log' | 'search';

/** Where a resolved entry was written, so later checks and pages can point at it. */
export interface SourceRef {
  line: number;
  column: number;
}

export interface ResolvedDataAsset {
  id: string;
  title: string;
  description?: string;
  classification: Classification;
  personal: boolean;
  credentials: boolean;
  source: SourceRef;
}

export interface ResolvedBoundary {
  id: string;
  title: string;
  description?: string;
  parent?: string;
  trust: Trust;
  /** Boundary ids from the outermost ancestor down to this one (cycles cut). */
  ancestry: string[];
  source: SourceRef;
}

/** Facts stated about an element. `undefined` means unknown, never false. */
export interface ElementAttributes {
  human?: boolean;
  authenticates?: boolean;
  authorizes?: boolean;
  validates_input?: boolean;
  logs?: boolean;
  rate_limited?: boolean;
  privileged?: boolean;
  parses?: ParsedFormat[];
  ai?: AiKind;
  kind?: StoreKind;
  encrypted?: boolean;
  backed_up?: boolean;
}

export interface ResolvedElement {
  id: string;
  type: ElementType;
  title: string;
  description?: string;
  boundary?: string;
  /** Trust of the element's zone: its boundary's, or `untrusted` outside any boundary. */
  trust: Trust;
  tech?: string;
  tags: string[];
  data: string[];
  outOfScope?: string;
  attributes: ElementAttributes;
  /** True when any of its data assets is personal. */
  personal: boolean;
  source: SourceRef;
}

export interface ResolvedFlow {
  id: string;
  from: string;
  to: string;
  title: string;
  description?: string;
  protocol?: string;
  data: string[];
  encrypted?: boolean;
  authenticated?: boolean;
  bidirectional?: boolean;
  /** True when the two ends sit in different boundaries (or one is outside every boundary). */
  crossesBoundary: boolean;
  personal: boolean;
  /** A flow is out of scope when both ends are. */
  outOfScope?: string;
  source: SourceRef;
}

export interface Mitigation {
  title: string;
  ref?: string;
  url?: string;
}

export interface Acceptance {
  owner?: string;
  rationale?: string;
  accepted?: string;
  expires?: string;
  ticket?: string;
}

/** The state of an acceptance on the evaluation day. */
export type AcceptanceState = 'valid' | 'expiring' | 'expired' | 'too-long' | 'incomplete';

export interface RefInfo {
  id: string;
  kind: 'cwe' | 'capec' | 'attack' | 'atlas' | 'owasp-top10' | 'asvs' | 'url' | 'unknown';
  url?: string;
}

export interface RiskRating {
  likelihood: string;
  impact: string;
  score: number;
  severity: Severity;
}

export interface ResolvedThreat {
  id: string;
  title: string;
  categories: Category[];
  targets: string[];
  description?: string;
  status: ThreatStatus;
  likelihood?: string;
  impact?: string;
  /** likelihood × impact on the configured scale; absent when either is missing or invalid. */
  score?: number;
  severity?: Severity;
  mitigations: Mitigation[];
  ticket?: string;
  acceptance?: Acceptance;
  acceptanceState?: AcceptanceState;
  transfer?: { to?: string; rationale?: string };
  residual?: RiskRating;
  refs: RefInfo[];
  rule?: string;
  /** True when no action is owed before release (see `isMitigated`). */
  mitigated: boolean;
  /** Markdown prose from body headings that start with the threat id. */
  prose?: string;
  source: SourceRef;
}

export interface NotApplicableEntry {
  /** Position of the entry in the `not_applicable` list as written. */
  index: number;
  targets: string[];
  categories: Category[];
  rules: string[];
  reason: string;
  source: SourceRef;
}

export type CoverageState = 'covered' | 'excluded' | 'gap';

export interface CoverageCell {
  category: Category;
  state: CoverageState;
  /** Threat ids answering this category on this target. */
  threats: string[];
  /** The exclusion's reason when `excluded`. */
  reason?: string;
}

export interface CoverageRow {
  target: string;
  targetKind: 'element' | 'flow';
  /** Element type, or `flow`. */
  type: ElementType | 'flow';
  cells: CoverageCell[];
}

export interface Coverage {
  rows: CoverageRow[];
  /** Cells that are covered or excluded. */
  answered: number;
  total: number;
  /** 0–100, rounded down; 100 when there is nothing to cover. */
  percent: number;
}

export type ReviewState = 'current' | 'due-soon' | 'overdue' | 'never-reviewed';

export interface ModelSummary {
  threats: number;
  byStatus: Record<ThreatStatus, number>;
  bySeverity: Record<Severity, number>;
  /** Threats still owing action (not `mitigated`). */
  unresolved: number;
  errors: number;
  warnings: number;
  infos: number;
}

/** A threat the rules engine derives from the model's facts; it must be answered. */
export interface Finding {
  /** Stable: `rule-id@target-id`. */
  id: string;
  rule: string;
  target: string;
  targetKind: 'element' | 'flow' | 'model';
  title: string;
  categories: Category[];
  likelihood: string;
  impact: string;
  severity: Severity;
  /** Why it fires here, naming the facts it relied on. */
  message: string;
  /** Facts that are unknown (absent) and would settle the finding once stated. */
  unknowns: string[];
  answer?: { kind: 'threat'; threat: string } | { kind: 'not-applicable'; reason: string };
}

export interface ResolvedModel {
  id: string;
  /** Path of the model file relative to the source root, POSIX separators. */
  file: string;
  title: string;
  summary?: string;
  owner: string;
  status: ModelStatus;
  reviewed?: string;
  reviewers: string[];
  reviewBy?: string;
  reviewState: ReviewState;
  covers: string[];
  methodologies: Methodology[];
  tags: string[];
  links: { title: string; url: string }[];
  assumptions: string[];
  data: ResolvedDataAsset[];
  boundaries: ResolvedBoundary[];
  elements: ResolvedElement[];
  flows: ResolvedFlow[];
  threats: ResolvedThreat[];
  notApplicable: NotApplicableEntry[];
  coverage: Coverage;
  /** Findings of the rules engine, with their answers (empty when the engine is off). */
  findings: Finding[];
  /** The Markdown body as written (after the frontmatter). */
  body: string;
  /** 1-based line where the body starts in the file, so rendered headings can link back. */
  bodyLine: number;
  summaryCounts: ModelSummary;
  /** True when the model has no error diagnostics. */
  valid: boolean;
}
