// Pagefind over the built site. HTML pages are indexed from disk (model pages
// and guides opt in with `data-pagefind-body`); every threat also gets its own
// record that lands on its anchor (`/models/<id>/#threat-<tid>`), with filters
// for model, category, status and severity.
import { join } from 'node:path';
import * as pagefind from 'pagefind';
import { basePath, type SiteData } from './site-data.ts';
import { categoryLabel, SEVERITY_LABELS, STATUS_LABELS } from './views.ts';

export interface IndexResult {
  pages: number;
  records: number;
}

export function htmlToText(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

export interface ThreatRecord {
  url: string;
  content: string;
  language: string;
  meta: Record<string, string>;
  filters: Record<string, string[]>;
}

export function threatRecords(data: SiteData): ThreatRecord[] {
  const base = basePath(data.site.url);
  const records: ThreatRecord[] = [];
  for (const site of data.models) {
    const { model } = site;
    const names = new Map<string, string>([
      ...model.elements.map((e) => [e.id, e.title] as const),
      ...model.flows.map((f) => [f.id, f.title] as const),
    ]);
    for (const threat of model.threats) {
      const html = site.threatHtml[threat.id] ?? {};
      const parts = [
        `${threat.id} ${threat.title}`,
        threat.categories.map(categoryLabel).join(', '),
        `Targets: ${threat.targets.map((t) => names.get(t) ?? t).join(', ')}`,
        html.description ? htmlToText(html.description) : '',
        html.prose ? htmlToText(html.prose) : '',
        threat.mitigations.map((m) => m.title).join('. '),
        threat.acceptance?.rationale ?? '',
        threat.transfer?.rationale ?? '',
        threat.refs.map((r) => r.id).join(' '),
      ];
      const filters: Record<string, string[]> = {
        type: ['Threat'],
        model: [model.title],
        category: threat.categories.map(categoryLabel),
        status: [STATUS_LABELS[threat.status]],
      };
      if (threat.severity) filters.severity = [SEVERITY_LABELS[threat.severity]];
      records.push({
        url: `${base}models/${encodeURIComponent(model.id)}/#threat-${encodeURIComponent(threat.id)}`,
        content: parts.filter(Boolean).join('\n'),
        language: 'en',
        meta: {
          title: `${threat.id} ${threat.title}`,
          model: model.title,
          status: STATUS_LABELS[threat.status],
          ...(threat.severity ? { severity: SEVERITY_LABELS[threat.severity] } : {}),
        },
        filters,
      });
    }
  }
  return records;
}

/** A Pagefind index being filled: the threat records go in while Astro renders the pages. */
export interface PendingIndex {
  /** Adds the built pages from `dir`, writes `<dir>/pagefind/` and stops Pagefind. Throws with Pagefind's messages when it reports errors. */
  finish(dir: string): Promise<IndexResult>;
  /** Stops Pagefind without writing anything (the build failed). */
  abandon(): Promise<void>;
}

const pending = new Set<PendingIndex>();

/**
 * Starts an index with every threat record. Pagefind indexes in its own
 * process, and each record costs more the more it already holds (1,000 models,
 * 40,000 records: about 20 s), so the records are sent now, all at once, and
 * indexed while Astro renders; `finish` adds the pages once they are written.
 * The records go in before the pages, so the index comes out the same however
 * long the rendering takes.
 */
export function startIndex(data: SiteData): PendingIndex {
  const records = threatRecords(data);
  const filled = (async () => {
    const created = await pagefind.createIndex({ forceLanguage: 'en' });
    const index = created.index;
    if (!index) throw new Error(`Pagefind: ${created.errors.join('; ')}`);
    const responses = await Promise.all(records.map((record) => index.addCustomRecord(record)));
    return { index, errors: [...created.errors, ...responses.flatMap((r) => r.errors)] };
  })();
  // Awaited by finish or abandon; until then a failure must not surface as an unhandled rejection.
  filled.catch(() => undefined);
  const stop = async (self: PendingIndex) => {
    pending.delete(self);
    await pagefind.close();
  };
  const self: PendingIndex = {
    async finish(dir) {
      try {
        const { index, errors } = await filled;
        const added = await index.addDirectory({ path: dir });
        errors.push(...added.errors);
        const written = await index.writeFiles({ outputPath: join(dir, 'pagefind') });
        errors.push(...written.errors);
        if (errors.length > 0) throw new Error(`Pagefind: ${errors.join('; ')}`);
        return { pages: added.page_count, records: records.length };
      } finally {
        await stop(self);
      }
    },
    async abandon() {
      // Closing fails the records still waiting, which ends `filled`.
      await stop(self);
      await filled.catch(() => undefined);
    },
  };
  pending.add(self);
  return self;
}

/** Stops every index that was started and not finished (a build that failed after `astro:build:start`). */
export async function abandonIndexes(): Promise<void> {
  await Promise.all([...pending].map((index) => index.abandon()));
}

/** Writes `<dir>/pagefind/`. Throws with Pagefind's messages when it reports errors. */
export async function indexSite(dir: string, data: SiteData): Promise<IndexResult> {
  return startIndex(data).finish(dir);
}
