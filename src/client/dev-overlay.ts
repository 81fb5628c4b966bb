// `threatmark dev` only: a panel over the page listing the diagnostics that fail
// the gate (`file:line:col severity rule message`), shown while the models are
// invalid and removed as soon as a check passes. Everything from the models is
// set as text. The state comes from the dev server: fetched on load, pushed on
// every check (HMR event `threatmark:status`). Dismissing collapses the panel to
// a button until the diagnostics change.

import type { DevStatus } from '../astro/dev-server.ts';

interface HotContext {
  on(event: string, callback: (data: unknown) => void): void;
}

const ROOT_ID = 'threatmark-dev-overlay';
const STYLE_ID = 'threatmark-dev-overlay-style';
const DISMISSED_KEY = 'threatmark-dev-overlay-dismissed';
const base = document.documentElement.dataset.base ?? '/';
const prefix = base.endsWith('/') ? base : `${base}/`;

let current: DevStatus | undefined;

function isStatus(value: unknown): value is DevStatus {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<DevStatus>;
  return typeof v.seq === 'number' && typeof v.ok === 'boolean' && Array.isArray(v.diagnostics);
}

/** Identifies a set of diagnostics, so a dismissal lasts until they change. */
function signature(status: DevStatus): string {
  return JSON.stringify([status.failure ?? '', status.diagnostics.map((d) => [d.file, d.line, d.column, d.rule, d.message])]);
}

function dismissed(status: DevStatus): boolean {
  try {
    return sessionStorage.getItem(DISMISSED_KEY) === signature(status);
  } catch {
    return false;
  }
}

function setDismissed(status: DevStatus | undefined): void {
  try {
    if (status) sessionStorage.setItem(DISMISSED_KEY, signature(status));
    else sessionStorage.removeItem(DISMISSED_KEY);
  } catch {
    // Storage may be unavailable; the panel then reappears with the next check.
  }
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  for (const child of children) node.append(child);
  return node;
}

/** Text in which `backtick spans` (as Threatmark's messages write them) become <code>; everything stays text. */
function codeSpans(text: string): (Node | string)[] {
  const parts = text.split('`');
  return parts.map((part, i) => (i % 2 === 1 && i < parts.length - 1 ? el('code', {}, part) : i % 2 === 1 ? `\`${part}` : part));
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function ensureStyle(): void {
  if (document.getElementById(STYLE_ID)) return;
  const style = el('style', { id: STYLE_ID });
  style.textContent = `
#${ROOT_ID} { position: fixed; z-index: 2147483000; inset: auto 1rem 1rem auto; max-width: min(46rem, calc(100vw - 2rem)); max-height: min(70vh, 40rem);
  display: flex; flex-direction: column; background: var(--bg, Canvas); color: var(--fg, CanvasText); border: 2px solid var(--bad, #b91c1c);
  border-radius: 8px; box-shadow: 0 12px 40px rgb(0 0 0 / 0.35); font: 0.95rem/1.45 var(--font, system-ui, sans-serif); }
#${ROOT_ID} .tm-head { display: flex; align-items: center; gap: 0.75rem; padding: 0.6rem 0.9rem; border-bottom: 1px solid var(--border, #ccc); }
#${ROOT_ID} h2 { margin: 0; font-size: 1.05rem; color: var(--bad, #b91c1c); flex: 1; }
#${ROOT_ID} .tm-note { margin: 0; padding: 0.5rem 0.9rem 0; color: var(--fg-soft, GrayText); font-size: 0.85rem; }
#${ROOT_ID} ol { list-style: none; margin: 0; padding: 0.5rem 0.9rem 0.8rem; overflow: auto; }
#${ROOT_ID} li { padding: 0.4rem 0.6rem; margin: 0.3rem 0; border-left: 4px solid var(--bad, #b91c1c); background: var(--bg-soft, transparent); overflow-wrap: anywhere; }
#${ROOT_ID} li.warning { border-left-color: var(--warn, #a16207); }
#${ROOT_ID} .tm-where { font-family: var(--mono, monospace); font-size: 0.85rem; }
#${ROOT_ID} .tm-sev { font-weight: 700; color: var(--bad, #b91c1c); }
#${ROOT_ID} li.warning .tm-sev { color: var(--warn, #a16207); }
#${ROOT_ID} .tm-msg { display: block; margin-top: 0.15rem; }
#${ROOT_ID} button { font: inherit; cursor: pointer; }
#${ROOT_ID}.tm-collapsed { inset: auto 1rem 1rem auto; border-width: 2px; }
#${ROOT_ID}.tm-collapsed button { border: 0; background: transparent; color: var(--bad, #b91c1c); font-weight: 700; padding: 0.5rem 0.8rem; }
@media (prefers-reduced-motion: no-preference) { #${ROOT_ID} { animation: tm-in 120ms ease-out; } @keyframes tm-in { from { opacity: 0; transform: translateY(0.5rem); } } }
`;
  document.head.append(style);
}

/** Removes the panel; when it goes for good and had the focus, the focus moves to the content (without scrolling). */
function remove(restoreFocus = false): void {
  const root = document.getElementById(ROOT_ID);
  if (!root) return;
  const hadFocus = root.contains(document.activeElement);
  root.remove();
  if (hadFocus && restoreFocus) document.getElementById('main')?.focus({ preventScroll: true });
}

function headline(status: DevStatus): string {
  if (status.failure && status.diagnostics.length === 0) return 'Threatmark could not check the models';
  const errors = status.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = status.diagnostics.length - errors;
  const parts = [errors > 0 ? plural(errors, 'error') : '', warnings > 0 ? plural(warnings, 'warning') : ''].filter(Boolean);
  return `Threatmark: ${parts.join(' and ') || 'problems'} in the threat models`;
}

function renderCollapsed(status: DevStatus): void {
  remove();
  ensureStyle();
  const button = el('button', { type: 'button', 'aria-expanded': 'false', 'aria-controls': ROOT_ID, 'data-threatmark-overlay-show': '' }, `⚠ ${headline(status)} — show`);
  button.addEventListener('click', () => {
    setDismissed(undefined);
    renderPanel(status, true);
  });
  const root = el('div', { id: ROOT_ID, class: 'tm-collapsed', 'data-state': 'collapsed' }, button);
  document.body.prepend(root);
}

function renderPanel(status: DevStatus, focus: boolean): void {
  remove();
  ensureStyle();
  const title = el('h2', { id: `${ROOT_ID}-title` }, headline(status));
  const close = el('button', { type: 'button', 'data-threatmark-overlay-dismiss': '', 'aria-label': 'Dismiss the Threatmark diagnostics' }, 'Dismiss');
  const list = el('ol', { 'aria-label': 'Diagnostics' });
  for (const d of status.diagnostics) {
    const rule = el('a', { href: `${prefix}docs/checks/#${encodeURIComponent(d.rule)}`, class: 'tm-rule' }, el('code', {}, d.rule));
    list.append(
      el(
        'li',
        { class: d.severity, 'data-rule': d.rule },
        el('span', { class: 'tm-where' }, `${d.file}:${d.line}:${d.column}`),
        ' ',
        el('span', { class: 'tm-sev' }, d.severity),
        ' ',
        rule,
        el('span', { class: 'tm-msg' }, ...codeSpans(d.message)),
      ),
    );
  }
  const showing = status.lastPassing ? 'The page shows the last version that passed.' : 'The page shows what could be read from the models.';
  const note = status.failure ?? `${showing} Fix the file and save: this panel goes away and the page reloads.`;
  const root = el(
    'section',
    { id: ROOT_ID, role: 'dialog', 'aria-modal': 'false', 'aria-labelledby': title.id, 'data-state': 'open', tabindex: '-1' },
    el('div', { class: 'tm-head' }, title, close),
    el('p', { class: 'tm-note' }, note),
    list,
  );
  const dismiss = () => {
    setDismissed(status);
    renderCollapsed(status);
    document.querySelector<HTMLButtonElement>(`#${ROOT_ID} button`)?.focus();
  };
  close.addEventListener('click', dismiss);
  root.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      dismiss();
    }
  });
  // First in the document, so keyboard users reach it before the page.
  document.body.prepend(root);
  if (focus) root.focus();
}

function render(status: DevStatus): void {
  if (current && status.seq < current.seq) return;
  const first = current === undefined;
  current = status;
  // A page that loads with passing models says nothing; later changes are announced.
  if (!first || !status.ok || status.failure) announce(status);
  if (status.ok && !status.failure) {
    setDismissed(undefined);
    remove(true);
    return;
  }
  if (dismissed(status)) renderCollapsed(status);
  else renderPanel(status, false);
}

/** Screen readers hear each change of state, without the focus moving. */
function announce(status: DevStatus): void {
  let region = document.getElementById(`${ROOT_ID}-live`);
  if (!region) {
    region = el('div', { id: `${ROOT_ID}-live`, class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
    document.body.append(region);
  }
  const text = status.ok && !status.failure ? 'Threatmark: all models pass.' : `${headline(status)}.`;
  if (region.textContent !== text) region.textContent = text;
}

async function load(): Promise<void> {
  try {
    const response = await fetch(`${prefix}__threatmark/status`, { cache: 'no-store' });
    if (!response.ok) return;
    const status: unknown = await response.json();
    if (isStatus(status)) render(status);
  } catch {
    // The dev server is gone or restarting; the next push brings the state.
  }
}

const hot = (import.meta as ImportMeta & { hot?: HotContext }).hot;
hot?.on('threatmark:status', (data) => {
  if (isStatus(data)) render(data);
});
hot?.on('vite:ws:connect', () => void load());
void load();
