// The fixture site, built with `threatmark build`: pages, tables, anchors,
// register order, CSV safety, escaping of hostile input, machine-readable files,
// the gate, and byte-identical output.
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Element, Root } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { toText } from 'hast-util-to-text';
import { visit } from 'unist-util-visit';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportThreats } from '../../src/core/export.ts';
import { checkProject } from '../../src/core/project.ts';
import { toMermaid } from '../../src/core/dfd.ts';
import { buildFixture, copyFixture, FIXTURE, listFiles, read, runBuild, tempDir, TODAY } from './helpers.ts';

let dist: string;

const hastText = (node: Root | Element): string => toText(node).replace(/\s+/g, ' ').trim();

function parse(html: string): Root {
  return fromHtml(html);
}

function all(tree: Root, test: (el: Element) => boolean): Element[] {
  const found: Element[] = [];
  visit(tree, 'element', (node: Element) => {
    if (test(node)) found.push(node);
  });
  return found;
}

const byId = (tree: Root, id: string) => all(tree, (el) => el.properties?.id === id);

async function page(path: string): Promise<Root> {
  return parse(await read(dist, path));
}

beforeAll(async () => {
  dist = await buildFixture('site-build');
});

describe('pages', () => {
  it('writes every page and machine-readable file', async () => {
    const files = await listFiles(dist);
    for (const path of [
      'index.html',
      '404.html',
      'threats/index.html',
      'risks/accepted/index.html',
      'risks/accepted.csv',
      'threats.json',
      'docs/index.html',
      'models/index.html',
      'pagefind/pagefind.js',
      'theme-init.js',
      'favicon.svg',
    ]) {
      expect(files, path).toContain(path);
    }
    for (const id of ['hostile', 'payments', 'profile-upload']) {
      expect(files).toContain(`models/${id}/index.html`);
      expect(files).toContain(`models/${id}.json`);
      expect(files).toContain(`models/${id}.mmd`);
    }
  });

  it('dashboard lists every model with owner, status, review state; and the open high threats', async () => {
    const tree = await page('index.html');
    const text = hastText(tree);
    expect(text).toContain('@media-team');
    expect(text).toContain('@payments-team');
    expect(text).toContain('Overdue');
    const openHigh = byId(tree, 'open-high')[0];
    expect(openHigh).toBeDefined();
    const html = await read(dist, 'index.html');
    expect(html).toContain('href="/models/payments/#threat-PAY-1"');
    // Expired and expiring acceptances are both listed, and marked in text.
    expect(html).toMatch(/is-expired[\s\S]*PAY-6[\s\S]*Expired/);
    expect(html).toMatch(/is-expiring[\s\S]*PAY-2[\s\S]*Expires soon/);
    // Site-wide risk matrix.
    expect(all(tree, (el) => el.tagName === 'table' && String(el.properties?.className ?? '').includes('matrix'))).toHaveLength(1);
  });

  it('model page follows the four questions, with anchors for threats, elements and flows', async () => {
    const tree = await page('models/profile-upload/index.html');
    const headings = all(tree, (el) => el.tagName === 'h2').map(hastText);
    expect(headings.slice(0, 4)).toEqual([
      '1. What are we working on?',
      '2. What can go wrong?',
      '3. What are we going to do about it?',
      '4. Did we do a good job?',
    ]);
    for (const id of ['UP-1', 'UP-2', 'UP-3', 'UP-4', 'UP-5', 'UP-6']) expect(byId(tree, `threat-${id}`), id).toHaveLength(1);
    for (const id of ['browser', 'gateway', 'upload', 'bucket']) expect(byId(tree, `element-${id}`), id).toHaveLength(1);
    for (const id of ['upload-request', 'forwarded', 'store-image']) expect(byId(tree, `flow-${id}`), id).toHaveLength(1);
    // The threat's prose from the body is attached to the threat.
    const up1 = byId(tree, 'threat-UP-1')[0]!;
    expect(up1.tagName).toBe('h4');
    const html = await read(dist, 'models/profile-upload/index.html');
    expect(html).toMatch(/id="threat-UP-1"[\s\S]*replays a stolen session token[\s\S]*id="threat-UP-2"/);
    // Edit link from site.edit_url.
    expect(html).toContain('href="https://example.com/edit/main/threat-models/profile-upload.md"');
    // The DFD source is in the page for readers without JavaScript.
    expect(html).toContain('data-dfd-source');
    expect(html).toContain('flowchart LR');
  });

  it('threat table has a header row and one row per threat with every column', async () => {
    const tree = await page('models/profile-upload/index.html');
    const table = byId(tree, 'threats')[0]!;
    expect(table).toBeDefined();
    const tables = all(tree, (el) => el.tagName === 'table');
    const threats = tables.find((t) => all(t as unknown as Root, (el) => el.tagName === 'th').map(hastText).join('|').startsWith('ID|Threat|Category|Targets|Likelihood|Impact|Severity|Status'));
    expect(threats).toBeDefined();
    const rows = all(threats as unknown as Root, (el) => el.tagName === 'tr').slice(1);
    expect(rows).toHaveLength(6);
    expect(hastText(rows[1]!)).toContain('Malicious file parsed by the image library');
    expect(hastText(rows[1]!)).toContain('Tampering, Elevation of privilege');
  });

  it('coverage matrix has a row per element and flow and links cells to threats, exclusions or gaps', async () => {
    const tree = await page('models/profile-upload/index.html');
    const coverage = all(tree, (el) => el.tagName === 'table' && String(el.properties?.className ?? '').includes('coverage'))[0]!;
    const rows = all(coverage as unknown as Root, (el) => el.tagName === 'tr').slice(1);
    expect(rows).toHaveLength(7); // 4 elements + 3 flows
    const html = await read(dist, 'models/profile-upload/index.html');
    expect(html).toContain('href="#coverage-na-1"');
    expect(html).toContain('The gateway is a managed service');
    const gaps = await read(dist, 'models/payments/index.html');
    expect(gaps).toContain('state-gap');
    expect(hastText(parse(gaps))).toContain('Gap');
  });

  it('lists the rules engine findings with their answers', async () => {
    const tree = await page('models/profile-upload/index.html');
    const text = (id: string) => hastText(byId(tree, id)[0]!);
    expect(text('finding-malicious-file-upload@upload')).toContain('Threat UP-2');
    expect(text('finding-store-without-backup@bucket')).toContain('Not applicable: Photos can be uploaded again by their owners.');
    expect(text('finding-path-traversal@upload')).toContain('Unanswered');
  });

  it('model page risk matrix puts threat ids in their cells', async () => {
    const tree = await page('models/profile-upload/index.html');
    const matrix = all(tree, (el) => el.tagName === 'table' && String(el.properties?.className ?? '').includes('matrix'))[0]!;
    const cells = all(matrix as unknown as Root, (el) => el.tagName === 'td' && String(el.properties?.className ?? '').includes('sev-'));
    const text = cells.map(hastText);
    // Rows from high to low likelihood; columns low → high impact. UP-5: high × medium.
    expect(text[1]).toContain('UP-5');
    // UP-1, UP-2: medium × high.
    expect(text[5]).toContain('UP-1');
    expect(text[5]).toContain('UP-2');
  });

  it('threats page is one complete table with filter data on each row', async () => {
    const html = await read(dist, 'threats/index.html');
    const tree = parse(html);
    const rows = all(tree, (el) => el.tagName === 'tr' && el.properties?.dataModel !== undefined);
    expect(rows).toHaveLength(15);
    const first = rows[0]!;
    expect(first.properties?.dataSeverity).toBe('high');
    expect(html).toContain('data-threat-filters');
  });
});

describe('accepted-risk register', () => {
  it('lists every accepted risk sorted by expiry, expired and expiring marked', async () => {
    const tree = await page('risks/accepted/index.html');
    const rows = all(tree, (el) => el.tagName === 'tr' && el.properties?.dataThreat !== undefined);
    expect(rows.map((r) => r.properties?.dataThreat)).toEqual([
      'payments/PAY-6', // 2026-11-01, expired
      'payments/PAY-2', // 2026-12-20, within 30 days
      'hostile/H-2', // 2027-02-01
      'profile-upload/UP-5', // 2027-05-20
      'payments/PAY-5', // 2027-08-01
    ]);
    expect(String(rows[0]!.properties?.className)).toContain('is-expired');
    expect(hastText(rows[0]!)).toContain('Expired');
    expect(String(rows[1]!.properties?.className)).toContain('is-expiring');
    expect(hastText(rows[1]!)).toContain('Expires soon');
    expect(rows[2]!.properties?.className ?? '').toBe('');
    // Columns: threat, model, severity, owner, rationale, accepted, expires, ticket.
    const cells = rows[3]!.children.filter((c): c is Element => c.type === 'element').map(hastText);
    expect(cells[0]).toContain('UP-5');
    expect(cells[1]).toBe('Profile photo upload');
    expect(cells[2]).toContain('High');
    expect(cells[3]).toBe('@alice');
    expect(cells[4]).toContain('10 MB limit');
    expect(cells[5]).toBe('2026-11-20');
    expect(cells[6]).toContain('2027-05-20');
    expect(cells[7]).toBe('https://example.com/issues/UP-5');
  });

  it('CSV has the same order and neutralises formulas', async () => {
    const csv = await read(dist, 'risks/accepted.csv');
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('"threat","title","model","severity","owner","rationale","accepted","expires","ticket","state"');
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['"PAY-6"', '"PAY-2"', '"H-2"', '"UP-5"', '"PAY-5"']);
    const hostile = lines.find((l) => l.startsWith('"H-2"'))!;
    expect(hostile).toContain(`"'-2+3 formula"`);
    expect(hostile).toContain(`"'=cmd|' /C calc'!A0"`);
    expect(lines[1]).toContain('"expired"');
  });
});

describe('escaping and sanitising', () => {
  it('no page carries author script, event handlers, unsafe URLs or frames', async () => {
    const files = (await listFiles(dist)).filter((f) => f.endsWith('.html'));
    const unsafe = /^(javascript|vbscript|data|file):/i;
    for (const file of files) {
      const html = await read(dist, file);
      const tree = parse(html);
      for (const el of all(tree, () => true)) {
        const where = `${file} <${el.tagName}>`;
        expect(['iframe', 'frame', 'object', 'embed', 'base', 'form'].includes(el.tagName) && el.tagName !== 'form', where).toBe(false);
        for (const [key, value] of Object.entries(el.properties ?? {})) {
          expect(/^on/i.test(key), `${where} ${key}`).toBe(false);
          if (['href', 'src', 'action', 'formAction', 'xLinkHref', 'poster', 'cite'].includes(key)) {
            expect(String(value).replace(/[\s\u0000-\u001f]/g, ''), `${where} ${key}`).not.toMatch(unsafe);
          }
        }
        // Every script is an external file from this site: no inline script for the CSP to allow.
        if (el.tagName === 'script') {
          expect(String(el.properties?.src ?? ''), where).toMatch(/^\/(?!\/)/);
          expect(el.children, where).toHaveLength(0);
        }
        // Images only from this site (author images with relative paths stay relative).
        if (el.tagName === 'img') expect(String(el.properties?.src ?? ''), where).not.toMatch(/^([a-z][a-z0-9+.-]*:|\/\/)/i);
      }
      expect(html, file).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self' 'wasm-unsafe-eval'`);
    }
  });

  it('shows hostile text as text', async () => {
    const html = await read(dist, 'models/hostile/index.html');
    const tree = parse(html);
    expect(hastText(all(tree, (el) => el.tagName === 'h1')[0]!)).toBe("Hostile <script>alert('title')</script> model");
    expect(html).toContain('&lt;script&gt;');
    // Raw HTML in the body is reduced to the allow-list: bold and details stay.
    expect(html).toContain('<b>kept bold</b>');
    expect(html).toMatch(/<details><summary>Open<\/summary>Safe details<\/details>/);
    // A remote image becomes a link (no third-party request).
    expect(html).toContain('class="remote-image"');
    // Author ids cannot clobber the page's anchors.
    expect(byId(tree, 'threat-H-1')).toHaveLength(1);
    expect(byId(tree, 'user-content-threat-H-1')).toHaveLength(1);
    // Tickets that are not http(s) are shown as text, never as links.
    expect(html).toContain('javascript&#39;'.slice(0, 0) + "alert('ticket')".replace(/'/g, '&#39;'));
    expect(all(tree, (el) => el.tagName === 'a' && /^\s*javascript/i.test(String(el.properties?.href ?? '')))).toHaveLength(0);
    // Only http(s), mailto, relative and same-page links remain.
    for (const a of all(tree, (el) => el.tagName === 'a')) {
      expect(String(a.properties?.href ?? '')).toMatch(/^(https?:|mailto:|\/|#|$)/);
    }
  });

  it('the mermaid source keeps hostile labels inert', async () => {
    const mmd = await read(dist, 'models/hostile.mmd');
    expect(mmd).not.toMatch(/javascript:|<script|<svg/i);
  });
});

describe('scripts', () => {
  it('loads the bundled mermaid only on pages with a diagram', async () => {
    const scripts = async (path: string) => [...(await read(dist, path)).matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1]!);
    const dashboard = await scripts('index.html');
    const model = await scripts('models/profile-upload/index.html');
    expect(dashboard.some((s) => s.includes('Dfd'))).toBe(false);
    expect(model.some((s) => s.includes('Dfd'))).toBe(true);
    // Everything is served from this site.
    for (const src of [...dashboard, ...model]) expect(src).toMatch(/^\/(?!\/)/);
    const dfd = model.find((s) => s.includes('Dfd'))!;
    const code = await read(dist, dfd.slice(1));
    expect(code).not.toMatch(/https?:\/\/cdn|unpkg\.com|jsdelivr/);
  });
});

describe('machine-readable output', () => {
  it('threats.json is the export, models/<id>.json the resolved model, .mmd the DFD', async () => {
    const project = await checkProject({ cwd: FIXTURE, today: TODAY });
    expect(await read(dist, 'threats.json')).toBe(`${JSON.stringify(exportThreats(project.models), null, 2)}\n`);
    for (const model of project.models) {
      expect(JSON.parse(await read(dist, `models/${model.id}.json`))).toEqual(JSON.parse(JSON.stringify(model)));
      expect((await read(dist, `models/${model.id}.mmd`)).trimEnd()).toBe(toMermaid(model).trimEnd());
    }
  });
});

describe('the gate', () => {
  it('stops before Astro with every positioned diagnostic', async () => {
    const source = await copyFixture('site-gate');
    const path = join(source, 'threat-models/profile-upload.md');
    const text = await readFile(path, 'utf8');
    // Two errors in one file: an unknown key and a dangling target.
    await writeFile(path, text.replace('owner: "@media-team"', 'owner: "@media-team"\nownr: typo').replace('targets: [upload]', 'targets: [nowhere]'));
    const out = join(source, 'dist');
    const result = await runBuild({ cwd: source, out, today: TODAY });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/threat-models\/profile-upload\.md/);
    expect(result.stderr).toMatch(/\d+:\d+\s+error\s+.*ownr/);
    expect(result.stderr).toMatch(/\d+:\d+\s+error\s+.*nowhere/);
    expect(result.stderr).toContain('not building the site');
    await expect(stat(out)).rejects.toThrow();
    await rm(source, { recursive: true, force: true });
  });
});

describe('served under a path', () => {
  it('prefixes every internal link with the path of site.url', async () => {
    const source = await copyFixture('site-base');
    const config = join(source, 'threatmark.config.yaml');
    await writeFile(config, (await readFile(config, 'utf8')).replace('site:\n', 'site:\n  url: https://example.github.io/threats/\n'));
    const out = join(source, 'dist');
    const result = await runBuild({ cwd: source, out, today: TODAY, quiet: true });
    expect(result.code, result.stderr).toBe(0);
    const html = await readFile(join(out, 'index.html'), 'utf8');
    expect(html).toContain('data-base="/threats/"');
    expect(html).toContain('href="/threats/models/payments/#threat-PAY-1"');
    expect(html).toContain('src="/threats/theme-init.js"');
    for (const [, url] of html.matchAll(/(?:href|src)="(\/[^"]*)"/g)) expect(url).toMatch(/^\/threats\//);
    await rm(source, { recursive: true, force: true });
  });
});

describe('determinism', () => {
  it('the same input builds byte-identical files', async () => {
    const second = await buildFixture('site-build-again');
    const a = await listFiles(dist);
    const b = await listFiles(second);
    expect(b).toEqual(a);
    const different: string[] = [];
    for (const file of a) {
      const [x, y] = await Promise.all([readFile(join(dist, file)), readFile(join(second, file))]);
      if (!x.equals(y)) different.push(file);
    }
    expect(different).toEqual([]);
  });
});

describe('the output folder', () => {
  it('build() returns 2 when the output cannot be written', async () => {
    const dir = await tempDir('site-bad-out');
    const file = join(dir, 'not-a-dir');
    await writeFile(file, 'x');
    const result = await runBuild({ cwd: FIXTURE, out: join(file, 'dist'), today: TODAY, quiet: true });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('threatmark build:');
  });

  it('never replaces the sources or a folder it did not write', async () => {
    const here = await runBuild({ cwd: FIXTURE, out: '.', today: TODAY, quiet: true });
    expect(here.code).toBe(2);
    expect(here.stderr).toContain('refusing to write the site');
    const parent = await runBuild({ cwd: FIXTURE, out: '..', today: TODAY, quiet: true });
    expect(parent.code).toBe(2);
    const dir = await tempDir('site-foreign-out');
    await writeFile(join(dir, 'precious.txt'), 'keep me');
    const foreign = await runBuild({ cwd: FIXTURE, out: dir, today: TODAY, quiet: true });
    expect(foreign.code).toBe(2);
    expect(foreign.stderr).toContain('not empty');
    expect(await readFile(join(dir, 'precious.txt'), 'utf8')).toBe('keep me');
  });

  it('replaces its own previous output, stale pages included', async () => {
    await writeFile(join(dist, 'stale.html'), 'old');
    const dir = join(dist, '..');
    const result = await runBuild({ cwd: FIXTURE, out: join(dir, 'dist'), today: TODAY, quiet: true });
    expect(result.code, result.stderr).toBe(0);
    await expect(stat(join(dist, 'stale.html'))).rejects.toThrow();
    expect((await stat(join(dist, '.threatmark-site'))).isFile()).toBe(true);
  });
});
