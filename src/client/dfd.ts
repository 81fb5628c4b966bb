// Renders the DFD with the bundled mermaid (strict security level, dagre layout)
// and turns its nodes into keyboard-accessible links to the model's tables.
import mermaid from 'mermaid';

interface DfdTarget {
  kind: 'element' | 'flow' | 'boundary';
  id: string;
}

function isDark(): boolean {
  const theme = document.documentElement.getAttribute('data-theme');
  if (theme === 'dark') return true;
  if (theme === 'light') return false;
  return window.matchMedia('(prefers-color-scheme: dark)').matches;
}

let counter = 0;

function initialize(dark: boolean): void {
  mermaid.initialize({
    startOnLoad: false,
    securityLevel: 'strict',
    theme: dark ? 'dark' : 'default',
    // dagre: mermaid 12 defaults to ELK, which is larger and slower for small DFDs.
    layout: 'dagre',
    // HTML labels (sanitised by mermaid's DOMPurify): the DFD's labels carry entity codes
    // (`#60;` for `<`) that only HTML labels turn back into the characters.
    htmlLabels: true,
    flowchart: { useMaxWidth: true },
    fontFamily: 'system-ui, sans-serif',
  });
}

async function renderOne(figure: HTMLElement, dark: boolean): Promise<void> {
  const canvas = figure.querySelector<HTMLElement>('[data-dfd-canvas]');
  const print = figure.querySelector<HTMLElement>('[data-dfd-print]');
  const source = figure.querySelector<HTMLElement>('[data-dfd-source]')?.textContent ?? '';
  if (!canvas || !source.trim()) return;
  let map: Record<string, DfdTarget> = {};
  try {
    map = JSON.parse(canvas.dataset.dfdMap ?? '{}') as Record<string, DfdTarget>;
  } catch {
    map = {};
  }
  try {
    // bindFunctions is not called: it only wires tooltips and click callbacks, which the
    // DFD does not use (and strict mode disables).
    initialize(dark);
    const { svg } = await mermaid.render(`dfd-svg-${++counter}`, source);
    canvas.innerHTML = svg;
    canvas.removeAttribute('role');
    linkNodes(canvas, map);
    // Paper is white: in dark mode, keep a light rendering for print.
    if (print) {
      if (dark) {
        initialize(false);
        print.innerHTML = (await mermaid.render(`dfd-svg-${++counter}`, source)).svg;
      } else {
        print.replaceChildren();
      }
    }
    figure.dataset.rendered = 'true';
  } catch (error) {
    const status = document.createElement('p');
    status.className = 'dfd-status dfd-error';
    status.textContent = `The diagram could not be drawn (${error instanceof Error ? error.message.split('\n')[0] : 'mermaid error'}); see the tables below.`;
    canvas.replaceChildren(status);
    figure.dataset.rendered = 'error';
  }
}

/** Mermaid node ids look like `flowchart-n3-12` (or `dfd-svg-1-flowchart-n3-12`). */
function linkNodes(canvas: HTMLElement, map: Record<string, DfdTarget>): void {
  for (const node of canvas.querySelectorAll<SVGGElement>('g.node')) {
    const match = /flowchart-([A-Za-z0-9_]+)-\d+$/.exec(node.id);
    const target = match ? map[match[1]!] : undefined;
    if (!target || target.kind === 'boundary') continue;
    const hash = `#${target.kind}-${target.id}`;
    const label = node.textContent?.trim() || target.id;
    node.dataset.target = hash;
    // Mermaid wraps a node with a `click … href` in an SVG <a>: already a keyboard-focusable link.
    const parent = node.parentElement;
    if (parent && parent.tagName.toLowerCase() === 'a') {
      parent.setAttribute('aria-label', `${label} (${target.kind})`);
      continue;
    }
    node.setAttribute('tabindex', '0');
    node.setAttribute('role', 'link');
    node.setAttribute('aria-label', `${label} (${target.kind})`);
    const go = () => {
      location.hash = hash;
    };
    node.addEventListener('click', go);
    node.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        go();
      }
    });
  }
}

export async function renderDiagrams(): Promise<void> {
  const figures = [...document.querySelectorAll<HTMLElement>('[data-dfd]')];
  const dark = isDark();
  for (const figure of figures) await renderOne(figure, dark);
}

// Re-draw with the other theme when the reader switches it.
let pending = false;
const rerender = () => {
  if (pending) return;
  pending = true;
  queueMicrotask(() => {
    pending = false;
    void renderDiagrams();
  });
};
document.addEventListener('threatmark:theme', rerender);
window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', rerender);
