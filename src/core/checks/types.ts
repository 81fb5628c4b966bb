// The contract of a check module: rule metadata plus a function over one
// model (or over the whole project, for cross-file rules).
import type { ResolvedConfig } from '../config.ts';
import type { RuleMeta } from '../diagnostics.ts';
import type { LocatePart, ParsedFile, YamlPath } from '../parse.ts';
import type { DiagnosticSeverity, Range, ResolvedModel } from '../types.ts';

export interface ReportOptions {
  severity?: DiagnosticSeverity;
  part?: LocatePart;
  /** What the diagnostic is about (threat/element id), for stable fingerprints. */
  subject?: string;
}

export type Place = YamlPath | Range;

export interface ModelCheckContext {
  file: ParsedFile;
  /** The frontmatter as written (own properties only may be trusted). */
  data: Record<string, unknown>;
  model: ResolvedModel;
  config: ResolvedConfig;
  today: string;
  report(rule: string, message: string, at: Place, options?: ReportOptions): void;
}

export interface ModelCheck {
  rules: RuleMeta[];
  check(ctx: ModelCheckContext): void;
}

export interface ProjectEntry {
  model: ResolvedModel;
  file: ParsedFile;
  /** Whether the model's id was written in the file (rather than derived from its name). */
  explicitId: boolean;
  report(rule: string, message: string, at: Place, options?: ReportOptions): void;
}

export interface ProjectCheck {
  rules: RuleMeta[];
  checkProject(entries: ProjectEntry[], config: ResolvedConfig): void;
}
