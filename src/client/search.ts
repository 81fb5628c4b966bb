// Search over the Pagefind index written after the build (`/pagefind/`).
// Results are built with DOM APIs (textContent), never from HTML strings, except
// for Pagefind's <mark> highlighting, which is re-created element by element.

interface PagefindSubResult {
  title: string;
  url: string;
  excerpt: string;
}
interface PagefindResultData {
  url: string;
  excerpt: string;
  meta: Record<string, string>;
  filters: Record<string, string[]>;
  sub_results: PagefindSubResult[];
}
interface PagefindSearch {
  results: { id: string; data(): Promise<PagefindResultData> }[];
  unfilteredResultCount: number;
}
interface Pagefind {
  options(options: Record<string, unknown>): Promise<void>;
  init(): Promise<void>;
  filters(): Promise<Record<string, Record<string, number>>>;
  debouncedSearch(term: string | null, options?: { filters?: Record<string, string> }, ms?: number): Promise<PagefindSearch | null>;
}

const FILTER_ORDER = ['type', 'model', 'category', 'status', 'severity'];
const FILTER_LABELS: Record<string, string> = {
  type: 'Type',
  model: 'Model',
  category: 'Category',
  status: 'Status',
  severity: 'Severity',
};
const MAX_RESULTS = 20;

/** Pagefind excerpts are HTML with <mark>; keep the text and the marks only. */
export function appendExcerpt(parent: HTMLElement, excerpt: string): void {
  const parts = excerpt.split(/(<mark>|<\/mark>)/);
  let mark: HTMLElement | null = null;
  for (const part of parts) {
    if (part === '<mark>') mark = document.createElement('mark');
    else if (part === '</mark>') {
      if (mark) parent.append(mark);
      mark = null;
    } else if (part) {
      const text = document.createTextNode(decodeEntities(part.replace(/<[^>]*>/g, '')));
      (mark ?? parent).append(text);
    }
  }
  if (mark) parent.append(mark);
}

function decodeEntities(text: string): string {
  const area = document.createElement('textarea');
  area.innerHTML = text;
  return area.value;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export async function setupSearch(dialog: HTMLDialogElement, input: HTMLInputElement): Promise<void> {
  const results = dialog.querySelector<HTMLElement>('#search-results')!;
  const filterBox = dialog.querySelector<HTMLElement>('#search-filters')!;
  const base = document.documentElement.dataset.base ?? '/';
  const status = el('p', 'search-status', 'Loading the search index…');
  results.replaceChildren(status);

  let pagefind: Pagefind;
  try {
    const url = `${base}pagefind/pagefind.js`;
    pagefind = (await import(/* @vite-ignore */ url)) as Pagefind;
    await pagefind.options({ baseUrl: base, excerptLength: 24 });
    await pagefind.init();
  } catch {
    status.textContent = 'Search is not available: the index was not built.';
    return;
  }

  const selected: Record<string, string> = {};
  const available = await pagefind.filters();
  const keys = Object.keys(available).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  for (const key of keys) {
    const values = Object.keys(available[key] ?? {}).sort((a, b) => a.localeCompare(b));
    if (values.length === 0) continue;
    const select = el('select');
    select.name = key;
    select.id = `search-filter-${key}`;
    select.setAttribute('aria-label', FILTER_LABELS[key] ?? key);
    select.append(new Option(`${FILTER_LABELS[key] ?? key}: any`, ''));
    for (const value of values) select.append(new Option(value, value));
    select.addEventListener('change', () => {
      if (select.value) selected[key] = select.value;
      else delete selected[key];
      void run();
    });
    filterBox.append(select);
  }

  let generation = 0;
  async function run(): Promise<void> {
    const term = input.value.trim();
    const hasFilters = Object.keys(selected).length > 0;
    const mine = ++generation;
    if (!term && !hasFilters) {
      results.replaceChildren(el('p', 'search-status', 'Type to search threats, models and guides. Filters narrow the results.'));
      return;
    }
    const search = await pagefind.debouncedSearch(term || null, { filters: { ...selected } }, 150);
    if (search === null || mine !== generation) return;
    const data = await Promise.all(search.results.slice(0, MAX_RESULTS).map((r) => r.data()));
    if (mine !== generation) return;
    render(data, search.results.length);
  }

  function render(data: PagefindResultData[], total: number): void {
    const summary = el(
      'p',
      'search-status',
      total === 0 ? 'No results.' : `${total} result${total === 1 ? '' : 's'}${total > MAX_RESULTS ? ` (first ${MAX_RESULTS} shown)` : ''}.`,
    );
    summary.setAttribute('role', 'status');
    const list = el('ol');
    for (const item of data) {
      const li = el('li', 'result');
      const link = el('a', 'result-title', item.meta.title ?? item.url);
      link.href = item.url;
      li.append(link);
      const meta = [item.meta.model, item.meta.severity, item.meta.status].filter(Boolean).join(' · ');
      if (meta) li.append(el('div', 'result-meta', meta));
      const excerpt = el('p', 'result-excerpt');
      appendExcerpt(excerpt, item.excerpt);
      li.append(excerpt);
      const subs = item.sub_results.filter((s) => s.url !== item.url && s.url.includes('#')).slice(0, 3);
      if (subs.length > 0) {
        const ul = el('ul', 'subs');
        for (const sub of subs) {
          const subLi = el('li');
          const a = el('a', undefined, sub.title);
          a.href = sub.url;
          subLi.append(a);
          ul.append(subLi);
        }
        li.append(ul);
      }
      list.append(li);
    }
    results.replaceChildren(summary, list);
  }

  input.addEventListener('input', () => void run());
  // Enter opens the first result; arrow keys move between result links.
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      const first = results.querySelector<HTMLAnchorElement>('a.result-title');
      if (first) {
        event.preventDefault();
        first.click();
      }
    } else if (event.key === 'ArrowDown') {
      const first = results.querySelector<HTMLAnchorElement>('a');
      if (first) {
        event.preventDefault();
        first.focus();
      }
    }
  });
  results.addEventListener('keydown', (event) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const links = [...results.querySelectorAll<HTMLAnchorElement>('a')];
    const index = links.indexOf(document.activeElement as HTMLAnchorElement);
    if (index < 0) return;
    event.preventDefault();
    const next = event.key === 'ArrowDown' ? links[index + 1] : index === 0 ? input : links[index - 1];
    next?.focus();
  });
  // Following a result on the same page: close the dialog so the anchor is visible.
  results.addEventListener('click', (event) => {
    const link = (event.target as HTMLElement).closest('a');
    if (link && link.pathname === location.pathname && link.hash) dialog.close();
  });
  await run();
}

function rank(key: string): number {
  const i = FILTER_ORDER.indexOf(key);
  return i < 0 ? FILTER_ORDER.length : i;
}
