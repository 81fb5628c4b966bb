// End to end in headless Chromium: the built fixture site served from
// 127.0.0.1. The DFD renders, search finds a threat by its title and lands on
// its anchor, search and table filters work, no console errors, no request
// leaves the site. Skipped (with a message) when no Chromium is installed.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildFixture } from './helpers.ts';
import { serve, type StaticServer } from './server.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasBrowser = existsSync(CHROMIUM);
if (!hasBrowser) {
  console.warn(`[site e2e] skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
}

describe.skipIf(!hasBrowser)('site in a browser', () => {
  let server: StaticServer;
  let browser: Browser;
  let context: BrowserContext;
  const consoleErrors: string[] = [];
  const external: string[] = [];
  const dialogs: string[] = [];

  beforeAll(async () => {
    const dist = await buildFixture('site-e2e');
    server = await serve(dist);
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--disable-component-update', '--no-first-run'],
    });
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce' });
    // Anything not served by the test server is recorded and refused.
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(`${server.url}/`) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
      external.push(url);
      return route.abort();
    });
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  async function open(path: string): Promise<Page> {
    const page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(`${path}: ${message.text()}`);
    });
    page.on('pageerror', (error) => consoleErrors.push(`${path}: ${error.message}`));
    page.on('dialog', (dialog) => {
      dialogs.push(`${path}: ${dialog.message()}`);
      void dialog.dismiss();
    });
    await page.goto(server.url + path, { waitUntil: 'networkidle' });
    return page;
  }

  it('renders the DFD as an SVG whose nodes link to the element rows', async () => {
    const page = await open('/models/profile-upload/');
    await page.waitForSelector('[data-dfd][data-rendered="true"] svg', { timeout: 30_000 });
    const nodes = page.locator('[data-dfd-canvas] g.node');
    expect(await nodes.count()).toBe(4);
    const labels = await nodes.allTextContents();
    for (const title of ['User browser', 'API gateway', 'Upload service', 'S3 bucket']) {
      expect(labels.some((l) => l.includes(title)), title).toBe(true);
    }
    // Four edges for three flows? No: one edge per flow.
    expect(await page.locator('[data-dfd-canvas] .edgeLabel').count()).toBeGreaterThanOrEqual(3);
    for (const node of await nodes.all()) await node.hover();
    const browserNode = page.locator('[data-dfd-canvas] g.node[data-target="#element-browser"]');
    await browserNode.click();
    await expect.poll(() => page.evaluate(() => location.hash), { timeout: 10_000 }).toBe('#element-browser');
    // Keyboard: nodes are focusable links (mermaid's SVG <a>).
    const bucket = page.locator('[data-dfd-canvas] a:has(> g.node[data-target="#element-bucket"])');
    await bucket.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => location.hash), { timeout: 10_000 }).toBe('#element-bucket');
    await page.close();
  });

  it('draws the hostile model without running anything from it', async () => {
    const page = await open('/models/hostile/');
    await page.waitForSelector('[data-dfd][data-rendered="true"] svg', { timeout: 30_000 });
    expect(await page.locator('[data-dfd-canvas] g.node').count()).toBe(3);
    // Entity-coded labels show the characters the author wrote, as text.
    const labels = (await page.locator('[data-dfd-canvas] g.node').allTextContents()).join('\n');
    expect(labels).toContain('<script>');
    expect(labels).toContain('<b>bold</b>');
    expect(labels).not.toContain('&#');
    expect(await page.locator('[data-dfd-canvas] script, main script:not([src])').count()).toBe(0);
    expect(await page.locator('h1').textContent()).toBe("Hostile <script>alert('title')</script> model");
    await page.close();
  });

  it('search finds a threat by its title and lands on its anchor', async () => {
    const page = await open('/');
    await page.keyboard.press('/');
    const input = page.locator('#search-input');
    await expect.poll(() => input.evaluate((el) => el === document.activeElement), { timeout: 10_000 }).toBe(true);
    await input.fill('Malicious file parsed');
    const first = page.locator('#search-results a.result-title').first();
    await first.waitFor({ timeout: 15_000 });
    expect(await first.textContent()).toBe('UP-2 Malicious file parsed by the image library');
    expect(await first.getAttribute('href')).toBe('/models/profile-upload/#threat-UP-2');
    await first.click();
    await page.waitForURL('**/models/profile-upload/#threat-UP-2');
    await expect.poll(() => page.locator('#threat-UP-2').isVisible(), { timeout: 10_000 }).toBe(true);
    const inView = () =>
      page.locator('#threat-UP-2').evaluate((el) => {
        const r = el.getBoundingClientRect();
        return r.top >= 0 && r.top < window.innerHeight;
      });
    await expect.poll(inView, { timeout: 10_000 }).toBe(true);
    await page.close();
  });

  it('search shows hostile titles as text', async () => {
    const page = await open('/');
    await page.keyboard.press('/');
    await page.locator('#search-input').fill('XSS in title');
    const first = page.locator('#search-results a.result-title').first();
    await first.waitFor({ timeout: 15_000 });
    expect(await first.textContent()).toBe("H-1 <script>alert('threat')</script> XSS in title");
    expect(await page.locator('#search-results script, #search-results img').count()).toBe(0);
    await page.close();
  });

  it('search filters by status and model; Ctrl+K opens it', async () => {
    const page = await open('/threats/');
    await page.keyboard.press('Control+k');
    await page.locator('#search-dialog[open]').waitFor();
    const status = page.locator('#search-filter-status');
    await status.waitFor({ timeout: 15_000 });
    await status.selectOption('Accepted');
    const summary = page.locator('#search-results .search-status');
    await expect.poll(() => summary.textContent(), { timeout: 10_000 }).toBe('5 results.');
    await page.locator('#search-filter-model').selectOption('Payments');
    await expect.poll(() => summary.textContent(), { timeout: 10_000 }).toBe('3 results.');
    const titles = await page.locator('#search-results a.result-title').allTextContents();
    expect(titles.map((t) => t.split(' ')[0]).sort()).toEqual(['PAY-2', 'PAY-5', 'PAY-6']);
    await page.locator('#search-filter-severity').selectOption('Medium');
    await expect.poll(() => summary.textContent(), { timeout: 10_000 }).toBe('1 result.');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('#search-dialog').evaluate((d) => (d as HTMLDialogElement).open), { timeout: 10_000 }).toBe(false);
    await page.close();
  });

  it('the threats table filters by model, status, severity, category and owner', async () => {
    const page = await open('/threats/');
    const visible = () => page.locator('#all-threats tbody tr:not([hidden])').count();
    expect(await visible()).toBe(15);
    await page.selectOption('select[name="status"]', 'accepted');
    expect(await visible()).toBe(5);
    await page.selectOption('select[name="model"]', 'payments');
    expect(await visible()).toBe(3);
    expect(await page.locator('[data-filter-count]').textContent()).toBe('3 of 15 threats match 2 filters.');
    expect(await page.evaluate(() => location.search)).toBe('?model=payments&status=accepted');
    await page.click('button[type="reset"]');
    await expect.poll(visible, { timeout: 10_000 }).toBe(15);
    await page.selectOption('select[name="category"]', 'tampering');
    const categories = await page.locator('#all-threats tbody tr:not([hidden])').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.category));
    expect(categories.length).toBeGreaterThan(0);
    for (const c of categories) expect(c?.split(' ')).toContain('tampering');
    await page.selectOption('select[name="category"]', '');
    await page.selectOption('select[name="owner"]', '@media-team');
    expect(await visible()).toBe(6);
    await page.selectOption('select[name="severity"]', 'high');
    expect(await visible()).toBe(3);
    // The filters survive a reload through the query string.
    await page.reload({ waitUntil: 'networkidle' });
    expect(await visible()).toBe(3);
    await page.close();
  });

  it('toggles the colour theme and remembers it', async () => {
    const page = await open('/');
    const theme = () => page.evaluate(() => document.documentElement.getAttribute('data-theme'));
    expect(await theme()).toBe(null);
    await page.click('[data-theme-toggle]');
    expect(await theme()).toBe('light');
    await page.click('[data-theme-toggle]');
    expect(await theme()).toBe('dark');
    await page.reload({ waitUntil: 'networkidle' });
    expect(await theme()).toBe('dark');
    await page.click('[data-theme-toggle]');
    expect(await theme()).toBe(null);
    await page.close();
  });

  it('keyboard: the skip link is the first stop and moves to the content', async () => {
    const page = await open('/risks/accepted/');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id), { timeout: 10_000 }).toBe('main');
    await page.close();
  });

  it('saves screenshots of the dashboard, a model page and the register, light and dark', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      const page = await context.newPage();
      await page.emulateMedia({ colorScheme: scheme });
      for (const [name, path] of [
        ['dashboard', '/'],
        ['model', '/models/profile-upload/'],
        ['register', '/risks/accepted/'],
      ] as const) {
        await page.goto(server.url + path, { waitUntil: 'networkidle' });
        if (name === 'model') await page.waitForSelector('[data-dfd][data-rendered="true"] svg', { timeout: 30_000 });
        await page.screenshot({ path: `/tmp/threatmark-${name}-${scheme}.png`, fullPage: true });
      }
      await page.close();
    }
  });

  it('had no console errors, no dialogs and no request leaving the site', () => {
    expect(consoleErrors).toEqual([]);
    expect(dialogs).toEqual([]);
    expect(external).toEqual([]);
  });
});
