// On every page: theme toggle, search dialog (/ or Ctrl+K), print helpers.
const root = document.documentElement;
root.classList.add('js');

// ---- Theme: auto → light → dark → auto
type Theme = 'auto' | 'light' | 'dark';
const THEME_KEY = 'threatmark-theme';
function currentTheme(): Theme {
  const t = root.getAttribute('data-theme');
  return t === 'light' || t === 'dark' ? t : 'auto';
}
function applyTheme(theme: Theme): void {
  if (theme === 'auto') root.removeAttribute('data-theme');
  else root.setAttribute('data-theme', theme);
  try {
    if (theme === 'auto') localStorage.removeItem(THEME_KEY);
    else localStorage.setItem(THEME_KEY, theme);
  } catch {
    // storage may be disabled
  }
  const label = { auto: 'Auto', light: 'Light', dark: 'Dark' }[theme];
  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-theme-toggle]')) {
    button.setAttribute('aria-label', `Colour theme: ${label.toLowerCase()}`);
    const span = button.querySelector('[data-theme-label]');
    if (span) span.textContent = label;
  }
  document.dispatchEvent(new CustomEvent('threatmark:theme'));
}
applyTheme(currentTheme());
for (const button of document.querySelectorAll<HTMLButtonElement>('[data-theme-toggle]')) {
  button.addEventListener('click', () => {
    const next: Record<Theme, Theme> = { auto: 'light', light: 'dark', dark: 'auto' };
    applyTheme(next[currentTheme()]);
  });
}

// ---- Search dialog
const dialog = document.getElementById('search-dialog') as HTMLDialogElement | null;
const input = document.getElementById('search-input') as HTMLInputElement | null;
let searchReady: Promise<void> | undefined;
let opener: Element | null = null;

function openSearch(): void {
  if (!dialog || !input) return;
  opener = document.activeElement;
  if (!dialog.open) dialog.showModal();
  input.focus();
  input.select();
  searchReady ??= import('./search.ts').then((m) => m.setupSearch(dialog, input));
}
function closeSearch(): void {
  if (dialog?.open) dialog.close();
}
dialog?.addEventListener('close', () => {
  if (opener instanceof HTMLElement) opener.focus();
});
// A click on the backdrop (outside the panel) closes the dialog.
dialog?.addEventListener('click', (event) => {
  if (event.target === dialog) closeSearch();
});
for (const button of document.querySelectorAll('[data-open-search]')) button.addEventListener('click', openSearch);
for (const button of document.querySelectorAll('[data-close-search]')) button.addEventListener('click', closeSearch);

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}
document.addEventListener('keydown', (event) => {
  const ctrlK = (event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k';
  const slash = event.key === '/' && !event.ctrlKey && !event.metaKey && !event.altKey && !isTyping(event.target);
  if (ctrlK || slash) {
    event.preventDefault();
    openSearch();
  }
});
// Deep link: /?search=term opens the dialog with the term.
const initial = new URLSearchParams(location.search).get('search');
if (initial && input) {
  input.value = initial;
  openSearch();
}

// ---- Print: open every <details> so the report is complete.
const reopened: HTMLDetailsElement[] = [];
window.addEventListener('beforeprint', () => {
  for (const details of document.querySelectorAll<HTMLDetailsElement>('main details:not([open])')) {
    details.open = true;
    reopened.push(details);
  }
});
window.addEventListener('afterprint', () => {
  for (const details of reopened.splice(0)) details.open = false;
});
