// The generated references: /docs/checks/ (every diagnostic rule of allRules(),
// the target of every diagnostic's docs URL) and /rules/ (the rules engine's
// catalogue, built-in and custom rules), and the links to them from model pages.
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Element, Root } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { toText } from 'hast-util-to-text';
import { visit } from 'unist-util-visit';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHECK_GROUPS, groupChecks, OTHER_GROUP } from '../../src/astro/reference.ts';
import { allRules } from '../../src/core/checks/index.ts';
import { DOCS_BASE_URL, docsUrl } from '../../src/core/diagnostics.ts';
import { BUILTIN_RULES } from '../../src/core/rules/index.ts';
import { copyFixture, read, runBuild, TODAY } from './helpers.ts';

let dist: string;

const CUSTOM_RULES = `rules:
  - id: team-hostile-rule
    title: "Team rule <script>alert(1)</script>"
    categories: [information-disclosure]
    applies_to: [store]
    when: stores anything at all
    condition: { attribute: type, equals: store }
    likelihood: low
    impact: low
    explanation: A custom rule of the fixture's team.
    mitigations: [Do the <b>thing</b>.]
    refs: [CWE-200, "https://example.com/team-rule"]
`;

beforeAll(async () => {
  const source = await copyFixture('site-reference');
  await mkdir(join(source, 'rules'), { recursive: true });
  await writeFile(join(source, 'rules/team.yaml'), CUSTOM_RULES);
  await appendFile(join(source, 'threatmark.config.yaml'), '\ncustom_rules: [rules/*.yaml]\nrules:\n  store-without-backup: off\n');
  dist = join(source, 'dist');
  const result = await runBuild({ cwd: source, out: dist, today: TODAY, quiet: true });
  if (result.code !== 0) throw new Error(`fixture build failed (${result.code}):\n${result.stderr}`);
});

function elements(tree: Root, test: (el: Element) => boolean): Element[] {
  const found: Element[] = [];
  visit(tree, 'element', (node: Element) => {
    if (test(node)) found.push(node);
  });
  return found;
}

const withId = (tree: Root, id: string) => elements(tree, (el) => el.properties?.id === id);
const text = (node: Element) => toText(node).replace(/\s+/g, ' ').trim();

describe('check reference (/docs/checks/)', () => {
  it('is where every diagnostic links, by rule id', () => {
    expect(DOCS_BASE_URL.endsWith('/docs/checks/')).toBe(true);
    expect(docsUrl('yaml-syntax')).toBe(`${DOCS_BASE_URL}#yaml-syntax`);
  });

  it('has one anchored section per rule of allRules(), with severity, description and fix', async () => {
    const tree = fromHtml(await read(dist, 'docs/checks/index.html'));
    const rules = allRules();
    expect(rules.length).toBeGreaterThan(30);
    for (const rule of rules) {
      const found = withId(tree, rule.id);
      expect(found, rule.id).toHaveLength(1);
      const section = text(found[0]!);
      expect(section, rule.id).toContain(rule.title);
      expect(section, rule.id).toContain(`Default severity: ${rule.severity[0]!.toUpperCase()}${rule.severity.slice(1)}`);
      expect(section, rule.id).toContain('How to fix:');
      // Backtick spans become <code>, so compare the words without them.
      expect(section, rule.id).toContain(rule.help.replace(/`/g, '').replace(/\s+/g, ' ').trim());
    }
    const ids = elements(tree, (el) => typeof el.properties?.id === 'string').map((el) => el.properties.id as string);
    expect(new Set(ids).size, 'ids on the page are unique').toBe(ids.length);
  });

  it('groups the rules under headings, every rule in a named group', async () => {
    const html = await read(dist, 'docs/checks/index.html');
    for (const title of ['File and YAML', 'Schema', 'References and identity', 'Coverage', 'Gate and treatment', 'Review', 'Rules engine', 'Repository and git', 'Configuration']) {
      expect(html).toContain(`>${title}</h2>`);
    }
    const grouped = groupChecks(allRules());
    expect(grouped.flatMap((g) => g.rules.map((r) => r.id)).sort()).toEqual(allRules().map((r) => r.id).sort());
    const other = grouped.find((g) => g.group === OTHER_GROUP);
    expect(other?.rules.map((r) => r.id) ?? [], 'add new rules to CHECK_GROUPS in src/astro/reference.ts').toEqual([]);
    const known = new Set(allRules().map((r) => r.id));
    for (const group of CHECK_GROUPS) for (const id of group.rules) expect(known.has(id), `${group.id}: ${id} is no rule`).toBe(true);
  });

  it('is linked from the guides index, the guides navigation and model diagnostics', async () => {
    expect(await read(dist, 'docs/index.html')).toContain('href="/docs/checks/"');
    expect(await read(dist, 'docs/format/index.html')).toContain('href="/docs/checks/"');
    const payments = await read(dist, 'models/payments/index.html');
    expect(payments).toMatch(/href="\/docs\/checks\/#[a-z-]+"/);
  });
});

describe('rule catalogue (/rules/)', () => {
  it('has an anchor per built-in rule with categories, when, condition, rating, mitigations and refs', async () => {
    const tree = fromHtml(await read(dist, 'rules/index.html'));
    expect(BUILTIN_RULES.length).toBeGreaterThan(30);
    for (const rule of BUILTIN_RULES) {
      const found = withId(tree, rule.id);
      expect(found, rule.id).toHaveLength(1);
      const article = found[0]!;
      const body = text(article);
      expect(body, rule.id).toContain(rule.title);
      expect(body, rule.id).toContain('Categories');
      expect(body, rule.id).toContain(rule.when.replace(/`/g, ''));
      expect(body, rule.id).toContain(`likelihood ${rule.likelihood} × impact ${rule.impact}`);
      expect(elements(article as unknown as Root, (el) => el.tagName === 'details'), rule.id).toHaveLength(1);
      for (const m of rule.mitigations) expect(body, rule.id).toContain(m.replace(/`/g, '').replace(/\s+/g, ' ').trim());
      for (const ref of rule.refs) expect(body, rule.id).toContain(ref);
    }
    const html = await read(dist, 'rules/index.html');
    // The condition as YAML; refs with a catalogue URL are links.
    expect(html).toMatch(/id="unsafe-yaml-loading"[\s\S]*?attribute: parses[\s\S]*?<\/article>/);
    expect(html).toContain('href="https://cwe.mitre.org/data/definitions/502.html"');
  });

  it('lists the project\'s custom rules, marked as custom, hostile text as text', async () => {
    const tree = fromHtml(await read(dist, 'rules/index.html'));
    const custom = withId(tree, 'team-hostile-rule');
    expect(custom).toHaveLength(1);
    const body = text(custom[0]!);
    expect(body).toContain('Team rule <script>alert(1)</script>');
    expect(body).toContain('Custom');
    expect(body).toContain('rules/team.yaml:2');
    expect(body).toContain('Do the <b>thing</b>.');
    expect(elements(tree, (el) => el.tagName === 'script' && !el.properties?.src)).toHaveLength(0);
    expect(elements(tree, (el) => el.tagName === 'b')).toHaveLength(0);
    const html = await read(dist, 'rules/index.html');
    expect(html).toContain('href="https://example.com/team-rule"');
    // `rules: { store-without-backup: off }` shows on the rule.
    expect(text(withId(tree, 'store-without-backup')[0]!)).toContain('Turned off');
  });

  it('is in the main navigation', async () => {
    for (const path of ['index.html', 'threats/index.html', 'rules/index.html']) {
      const tree = fromHtml(await read(dist, path));
      const nav = elements(tree, (el) => el.tagName === 'nav' && el.properties?.ariaLabel === 'Main')[0]!;
      const links = elements(nav as unknown as Root, (el) => el.tagName === 'a');
      expect(links.map((a) => [text(a), a.properties.href]), path).toContainEqual(['Rules', '/rules/']);
    }
  });

  it('model pages link each finding to its rule', async () => {
    const tree = fromHtml(await read(dist, 'models/profile-upload/index.html'));
    const rows = elements(tree, (el) => el.tagName === 'tr' && String(el.properties?.id ?? '').startsWith('finding-'));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const rule = String(row.properties.id).slice('finding-'.length).split('@')[0]!;
      const links = elements(row as unknown as Root, (el) => el.tagName === 'a' && el.properties?.href === `/rules/#${rule}`);
      expect(links, rule).toHaveLength(1);
    }
    const catalogue = fromHtml(await read(dist, 'rules/index.html'));
    expect(withId(catalogue, 'malicious-file-upload')).toHaveLength(1);
    expect(rows.some((r) => String(r.properties.id) === 'finding-malicious-file-upload@upload')).toBe(true);
  });
});
