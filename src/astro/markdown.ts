// Renders author-written Markdown (model bodies, threat descriptions and prose)
// to safe HTML with @astrojs/markdown-remark's unified processor.
//
// Everything an author writes is untrusted: raw HTML is parsed (rehype-raw) and
// then reduced to GitHub's allow-list (rehype-sanitize), which drops scripts,
// event handlers, `style`, iframes and every URL whose protocol is not
// http(s)/mailto (so `javascript:`, `data:` and `vbscript:` links disappear).
// Images become text or links: the site makes no third-party requests.
import { createMarkdownProcessor, type MarkdownRenderer } from '@astrojs/markdown-remark';
import GithubSlugger from 'github-slugger';
import type { Element, ElementContent, Root as HastRoot } from 'hast';
import type { Heading, Root as MdastRoot, RootContent } from 'mdast';
import { toString } from 'mdast-util-to-string';
import rehypeRaw from 'rehype-raw';
import rehypeSanitize, { defaultSchema } from 'rehype-sanitize';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { leadingToken } from '../core/resolve.ts';
import { visit } from 'unist-util-visit';

/** The sanitize schema: GitHub's, without `id`/`name` clobbering and with only safe URL protocols. */
export const SANITIZE_SCHEMA = {
  ...defaultSchema,
  // `user-content-` keeps author ids from colliding with the page's own anchors.
  clobberPrefix: 'user-content-',
  protocols: {
    href: ['http', 'https', 'mailto'],
    cite: ['http', 'https'],
    src: ['http', 'https'],
    longDesc: ['http', 'https'],
  },
};

type Slugger = { slug(value: string): string };

/** Prefix for heading ids from author Markdown, so they never collide with `#threat-…`, `#element-…`. */
export const HEADING_ID_PREFIX = 'md-';

function rehypeSiteHeadings() {
  return (tree: HastRoot, file: { data: { astro?: { frontmatter?: Record<string, unknown> } } }) => {
    const slugger = (file.data.astro?.frontmatter?.slugger as Slugger | undefined) ?? new GithubSlugger();
    visit(tree, 'element', (node: Element) => {
      if (!/^h[1-6]$/.test(node.tagName)) return;
      node.properties ??= {};
      node.properties.id = HEADING_ID_PREFIX + slugger.slug(textOf(node));
    });
  };
}

function textOf(node: ElementContent | Element): string {
  if (node.type === 'text') return node.value;
  if (node.type === 'element') return node.children.map(textOf).join('');
  return '';
}

/**
 * Images become text: a remote image would be a third-party request, and a
 * relative one points into the repository, whose files are not published.
 * Remote images keep a link to the image.
 */
function rehypeImagesToText() {
  return (tree: HastRoot) => {
    visit(tree, 'element', (node: Element, index, parent) => {
      if (node.tagName !== 'img' || !parent || index === undefined) return;
      const src = typeof node.properties?.src === 'string' ? node.properties.src : '';
      const alt = typeof node.properties?.alt === 'string' && node.properties.alt ? node.properties.alt : src || 'image';
      const text: ElementContent = { type: 'text', value: `[Image: ${alt}]` };
      const replacement: Element = /^https?:\/\//i.test(src)
        ? { type: 'element', tagName: 'a', properties: { href: src, className: ['remote-image'] }, children: [text] }
        : { type: 'element', tagName: 'span', properties: { className: ['image-placeholder'] }, children: [text] };
      (parent.children as ElementContent[])[index] = replacement;
    });
  };
}

let processor: Promise<MarkdownRenderer> | undefined;

function getProcessor(): Promise<MarkdownRenderer> {
  processor ??= createMarkdownProcessor({
    syntaxHighlight: false,
    smartypants: false,
    gfm: true,
    rehypePlugins: [
      rehypeRaw,
      [rehypeSanitize, SANITIZE_SCHEMA],
      rehypeImagesToText,
      rehypeSiteHeadings,
    ],
  });
  return processor;
}

/** Renders Markdown to sanitised HTML. Pass one slugger per page so heading ids stay unique on it. */
export async function renderMarkdown(markdown: string, slugger: Slugger = new GithubSlugger()): Promise<string> {
  if (!markdown.trim()) return '';
  const renderer = await getProcessor();
  const result = await renderer.render(markdown, { frontmatter: { slugger } });
  return result.code;
}

export function createSlugger(): Slugger {
  return new GithubSlugger();
}

// ---------------------------------------------------------------------------
// Splitting a model body along the four questions.

export type BodySection = 'intro' | 'q1' | 'q2' | 'q3' | 'q4' | 'notes';

/** A piece of a section: author Markdown, or a reference to a threat whose prose moved to the threat. */
export type BodyPart = { kind: 'markdown'; markdown: string } | { kind: 'threat'; id: string; heading: string };

const QUESTIONS: [BodySection, RegExp][] = [
  ['q1', /^(q1\b|1\.?\s*)?what\s+are\s+we\s+(working\s+on|building)\b/],
  ['q2', /^(q2\b|2\.?\s*)?what\s+can\s+go\s+wrong\b/],
  ['q3', /^(q3\b|3\.?\s*)?what\s+are\s+we\s+(going\s+to|gonna)\s+do\s+about\s+it\b/],
  ['q4', /^(q4\b|4\.?\s*)?did\s+we\s+do\s+a\s+good(\s+enough)?\s+job\b/],
];

export function questionOf(heading: string): BodySection | undefined {
  const text = heading.trim().toLowerCase().replace(/[’']/g, "'").replace(/\s+/g, ' ');
  for (const [section, pattern] of QUESTIONS) if (pattern.test(text)) return section;
  return undefined;
}

/** The threat id a heading starts with (`### UP-1 Upload as another user`), by the core's own rule. */
export function threatOfHeading(heading: string, threatIds: readonly string[]): string | undefined {
  const token = leadingToken(heading.trim());
  return token !== undefined && threatIds.includes(token) ? token : undefined;
}

/**
 * Splits a model body into the four-question sections (headings named after a
 * question move their content to that question's section; other top-level
 * sections go to `notes`) and cuts out threat sections (`### UP-1 …`), whose
 * prose the page shows with the threat itself.
 */
export function splitBody(body: string, threatIds: readonly string[]): Record<BodySection, BodyPart[]> {
  const sections: Record<BodySection, BodyPart[]> = { intro: [], q1: [], q2: [], q3: [], q4: [], notes: [] };
  const tree = unified().use(remarkParse).use(remarkGfm).parse(body) as MdastRoot;
  const children = tree.children;
  const headings = children.filter((node): node is Heading => node.type === 'heading');
  const questionDepth = Math.min(
    ...headings.filter((h) => questionOf(toString(h)) !== undefined).map((h) => h.depth),
    Number.POSITIVE_INFINITY,
  );
  let current: BodySection = 'intro';
  let chunkStart: number | undefined;
  let chunkEnd = 0;
  const flush = () => {
    if (chunkStart !== undefined) {
      const markdown = body.slice(chunkStart, chunkEnd);
      if (markdown.trim()) sections[current].push({ kind: 'markdown', markdown });
    }
    chunkStart = undefined;
  };
  const offsets = (node: RootContent) => [node.position?.start.offset ?? 0, node.position?.end.offset ?? 0] as const;
  for (let i = 0; i < children.length; i++) {
    const node = children[i]!;
    if (node.type === 'heading') {
      const text = toString(node);
      const threat = threatOfHeading(text, threatIds);
      if (threat) {
        flush();
        sections[current].push({ kind: 'threat', id: threat, heading: text });
        // Skip the threat's prose: everything up to the next heading of the same or a higher level.
        while (i + 1 < children.length) {
          const next = children[i + 1]!;
          if (next.type === 'heading' && next.depth <= node.depth) break;
          i++;
        }
        continue;
      }
      if (Number.isFinite(questionDepth) && node.depth <= questionDepth) {
        flush();
        const question = questionOf(text);
        current = question ?? 'notes';
        if (question) continue; // the page draws the question heading itself
      }
    }
    const [start, end] = offsets(node);
    chunkStart ??= start;
    chunkEnd = end;
  }
  flush();
  return sections;
}
