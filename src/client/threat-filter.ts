// Client-side filters for /threats/. The table is complete without JavaScript;
// filters only hide rows. The selection is kept in the query string.
const KEYS = ['model', 'status', 'severity', 'category', 'owner'] as const;
type Key = (typeof KEYS)[number];

export function setupThreatFilters(): void {
  const form = document.querySelector<HTMLFormElement>('[data-threat-filters]');
  const rows = [...document.querySelectorAll<HTMLTableRowElement>('#all-threats tbody tr')];
  const count = document.querySelector<HTMLElement>('[data-filter-count]');
  if (!form) return;

  const params = new URLSearchParams(location.search);
  for (const key of KEYS) {
    const select = form.elements.namedItem(key) as HTMLSelectElement | null;
    const value = params.get(key);
    if (select && value && [...select.options].some((o) => o.value === value)) select.value = value;
  }

  const apply = (): void => {
    const selected = {} as Record<Key, string>;
    for (const key of KEYS) selected[key] = (form.elements.namedItem(key) as HTMLSelectElement | null)?.value ?? '';
    let shown = 0;
    for (const row of rows) {
      const d = row.dataset;
      const match =
        (!selected.model || d.model === selected.model) &&
        (!selected.status || d.status === selected.status) &&
        (!selected.severity || d.severity === selected.severity) &&
        (!selected.category || (d.category ?? '').split(' ').includes(selected.category)) &&
        (!selected.owner || d.owner === selected.owner);
      row.hidden = !match;
      if (match) shown++;
    }
    if (count) {
      const active = KEYS.filter((k) => selected[k]).length;
      count.textContent = `${shown} of ${rows.length} threat${rows.length === 1 ? '' : 's'}${active ? ` match ${active} filter${active === 1 ? '' : 's'}` : ''}.`;
    }
    const query = new URLSearchParams();
    for (const key of KEYS) if (selected[key]) query.set(key, selected[key]);
    const search = query.toString();
    history.replaceState(null, '', search ? `?${search}` : location.pathname);
  };
  form.addEventListener('change', apply);
  form.addEventListener('reset', () => setTimeout(apply, 0));
  form.addEventListener('submit', (event) => event.preventDefault());
  apply();
}
