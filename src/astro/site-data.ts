// Everything the site renders, prepared once in Node before Astro starts: the
// checked models, their Markdown rendered and sanitised, their DFD source, and
// their diagnostics. Pages read it from the `virtual:threatmark/site` module.
import type { DfdTarget } from '../core/dfd.ts';
import { toMermaidWithMap } from '../core/dfd.ts';
import type { CheckLevel } from '../core/config.ts';
import type { ProjectResult } from '../core/project.ts';
import type { RuleDefinition } from '../core/rules/types.ts';
import type { RiskScale } from '../core/risk.ts';
import type { Diagnostic, ResolvedModel, Severity } from '../core/types.ts';
import { type BodySection, createSlugger, renderMarkdown, splitBody } from './markdown.ts';

export interface SiteModel {
  model: ResolvedModel;
  /** Mermaid `flowchart` source of the DFD. */
  mermaid: string;
  /** Mermaid node id → the element, flow or boundary it draws. */
  mermaidMap: Record<string, DfdTarget>;
  /** The body, split along the four questions, as sanitised HTML. */
  body: Record<BodySection, string>;
  /** Sanitised HTML of each threat's description and body prose. */
  threatHtml: Record<string, { description?: string; prose?: string }>;
  diagnostics: Diagnostic[];
  /** Link to edit the model file, when `site.editUrl` is configured. */
  editUrl?: string;
}

export interface SiteData {
  site: { title: string; url?: string; editUrl?: string };
  /** The evaluation day (review and expiry states depend on it). */
  today: string;
  risk: RiskScale;
  failOn: Severity;
  expiryWarningDays: number;
  summary: ProjectResult['summary'];
  ok: boolean;
  models: SiteModel[];
  /** Diagnostics that belong to no model (configuration, unreadable files…). */
  otherDiagnostics: Diagnostic[];
  /** The rules engine's project side: custom rules (config `custom_rules`) and `rules:` settings, for /rules/. */
  rules: { custom: RuleDefinition[]; settings: Record<string, CheckLevel> };
}

export function isHttpUrl(value: string | undefined): value is string {
  return typeof value === 'string' && /^https?:\/\/[^\s"'<>`]+$/i.test(value);
}

/** `site.editUrl` + the model's path (relative to the source root). */
export function editUrlFor(editUrl: string | undefined, file: string): string | undefined {
  if (!isHttpUrl(editUrl)) return undefined;
  const base = editUrl.endsWith('/') ? editUrl : `${editUrl}/`;
  return base + file.split('/').map(encodeURIComponent).join('/');
}

export async function prepareModel(model: ResolvedModel, diagnostics: Diagnostic[], editUrl?: string): Promise<SiteModel> {
  const slugger = createSlugger();
  const split = splitBody(
    model.body,
    model.threats.map((t) => t.id),
  );
  const titles = new Map(model.threats.map((t) => [t.id, t.title]));
  const body = {} as Record<BodySection, string>;
  for (const [section, parts] of Object.entries(split) as [BodySection, (typeof split)[BodySection]][]) {
    let html = '';
    for (const part of parts) {
      if (part.kind === 'markdown') html += await renderMarkdown(part.markdown, slugger);
      else {
        const title = titles.get(part.id) ?? '';
        html += `<p class="threat-ref">→ <a href="#threat-${escapeAttr(part.id)}">${escapeHtml(part.id)} ${escapeHtml(title)}</a>: its prose is shown with the threat.</p>`;
      }
    }
    body[section] = html;
  }
  const threatHtml: SiteModel['threatHtml'] = {};
  for (const threat of model.threats) {
    const entry: { description?: string; prose?: string } = {};
    if (threat.description) entry.description = await renderMarkdown(threat.description, slugger);
    if (threat.prose) entry.prose = await renderMarkdown(threat.prose, slugger);
    threatHtml[threat.id] = entry;
  }
  const dfd = toMermaidWithMap(model);
  const site: SiteModel = { model, mermaid: dfd.source, mermaidMap: dfd.nodes, body, threatHtml, diagnostics };
  const edit = editUrlFor(editUrl, model.file);
  if (edit) site.editUrl = edit;
  return site;
}

export async function prepareSite(project: ProjectResult): Promise<SiteData> {
  const { config } = project;
  const byModel = new Map<string, Diagnostic[]>();
  const other: Diagnostic[] = [];
  const ids = new Set(project.models.map((m) => m.id));
  for (const d of project.diagnostics) {
    if (d.model !== undefined && ids.has(d.model)) {
      const list = byModel.get(d.model);
      if (list) list.push(d);
      else byModel.set(d.model, [d]);
    } else other.push(d);
  }
  const models: SiteModel[] = [];
  const sorted = [...project.models].sort((a, b) => compare(a.id, b.id));
  for (const model of sorted) models.push(await prepareModel(model, byModel.get(model.id) ?? [], config.site.editUrl));
  const site: SiteData['site'] = { title: config.site.title };
  if (isHttpUrl(config.site.url)) site.url = config.site.url;
  if (isHttpUrl(config.site.editUrl)) site.editUrl = config.site.editUrl;
  return {
    site,
    today: project.today,
    risk: config.risk,
    failOn: config.failOn,
    expiryWarningDays: config.expiryWarningDays,
    summary: project.summary,
    ok: project.ok,
    models,
    otherDiagnostics: other,
    rules: { custom: config.customRuleDefinitions, settings: config.rules },
  };
}

export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export const escapeAttr = escapeHtml;

/** The path the site is served under, from `site.url` (`https://x.github.io/repo/` → `/repo/`). */
export function basePath(url: string | undefined): string {
  if (!isHttpUrl(url)) return '/';
  try {
    const path = new URL(url).pathname;
    return path.endsWith('/') ? path : `${path}/`;
  } catch {
    return '/';
  }
}
