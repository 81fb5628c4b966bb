// `threatmark dev` end to end: the command runs as its own process on a copy of
// the fixture site; headless Chromium opens a model page; the test breaks the
// model (the diagnostic shows in the terminal and in the overlay, as text, and
// the page keeps the last version that passed), works the overlay with the
// keyboard, fixes the model (the overlay goes, the page shows the new content
// without a restart). The dev process is always killed at the end.
// Skipped (with a message) when no Chromium is installed.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { copyFixture, REPO, TODAY } from './helpers.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasBrowser = existsSync(CHROMIUM);
if (!hasBrowser) {
  console.warn(`[site dev] skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
}

const NODE = join(REPO, 'node_modules/.bin/node');
const BIN = join(REPO, 'bin/threatmark.mjs');
const MODEL = 'threat-models/profile-upload.md';
const OVERLAY = '#threatmark-dev-overlay';

/** The test's environment without vitest's variables: Astro's dev server serves nothing under VITEST. */
function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('VITEST') || key === 'TEST' || key === 'NODE_ENV') delete env[key];
  return env;
}

/** The dev process and everything it prints. */
class DevProcess {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  private exited = false;

  constructor(cwd: string) {
    this.child = spawn(NODE, [BIN, 'dev', '--port', '0', '--host', '127.0.0.1', '--today', TODAY], {
      cwd,
      // Its own process group, so the whole group can be killed whatever it spawned.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...childEnv(), NO_COLOR: '1', FORCE_COLOR: '0', CI: '1' },
    });
    this.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (this.stdout += chunk));
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.child.on('exit', () => (this.exited = true));
  }

  get running(): boolean {
    return !this.exited;
  }

  /** Resolves when `pattern` appears in stdout after `from`; fails after `timeout` ms or if the process ends. */
  async waitFor(pattern: RegExp, from = 0, timeout = 60_000): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const match = pattern.exec(this.stdout.slice(from));
      if (match) return match;
      if (this.exited) throw new Error(`threatmark dev exited (${this.child.exitCode}) before printing ${pattern}\nstdout (end):\n${this.stdout.slice(-2000)}\nstderr:\n${this.stderr.slice(-2000)}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}\nstdout (end):\n${this.stdout.slice(-2000)}\nstderr:\n${this.stderr.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** SIGTERM to the group, SIGKILL if it is still there after a grace period. */
  async kill(): Promise<void> {
    const pid = this.child.pid;
    if (pid === undefined || this.exited) return;
    const signal = (name: NodeJS.Signals) => {
      try {
        process.kill(-pid, name);
      } catch {
        // Already gone.
      }
    };
    signal('SIGTERM');
    const deadline = Date.now() + 10_000;
    while (!this.exited && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    signal('SIGKILL');
  }
}

/** Every module `entry` loads statically (type-only imports are erased; `await import()` is on demand). */
function staticImports(entry: string): Set<string> {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(/^\s*(?:import|export)\s+(?!type\s)(?:[^;'"]*?\sfrom\s+)?['"]([^'"]+)['"]/gm)) {
      const specifier = match[1]!;
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier));
      else packages.add(specifier);
    }
  };
  visit(entry);
  return packages;
}

describe('the dev command', () => {
  it('is loaded on demand: `threatmark check` loads neither Astro nor Vite', () => {
    for (const entry of ['src/cli/main.ts', 'src/cli/check.ts', 'src/cli/dev.ts']) {
      const packages = [...staticImports(join(REPO, entry))];
      expect(packages.filter((p) => /^(astro|vite|@astrojs\/)/.test(p)), entry).toEqual([]);
    }
    expect(readFileSync(join(REPO, 'src/cli/main.ts'), 'utf8')).toMatch(/dev: \{[^\n]*load: async \(\) => \(await import\('\.\/dev\.ts'\)\)\.devCommand/);
  });

  it('answers --help and refuses a bad port with exit 2', () => {
    const help = spawnSync(NODE, [BIN, 'dev', '--help'], { encoding: 'utf8', env: childEnv() });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: threatmark dev/);
    const bad = spawnSync(NODE, [BIN, 'dev', '--port', 'http'], { encoding: 'utf8', env: childEnv() });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--port must be a number');
  });
});

describe.skipIf(!hasBrowser)('threatmark dev in a browser', () => {
  let dir: string;
  let dev: DevProcess | undefined;
  let url: string;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;
  let original: string;
  const pageErrors: string[] = [];
  // Whatever happens to the test process, the dev server does not outlive it.
  const killOnExit = () => {
    const pid = dev?.child.pid;
    if (pid !== undefined && dev?.running) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  };

  beforeAll(async () => {
    process.on('exit', killOnExit);
    dir = await copyFixture('site-dev');
    original = await readFile(join(dir, MODEL), 'utf8');
    dev = new DevProcess(dir);
    const match = await dev.waitFor(/serving (http:\/\/127\.0\.0\.1:\d+\/)/, 0, 120_000);
    url = match[1]!;
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--disable-component-update', '--no-first-run'],
    });
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce' });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(`console: ${message.text()}`);
    });
    page.on('dialog', (dialog) => {
      pageErrors.push(`dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
  });

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await dev?.kill();
    process.off('exit', killOnExit);
    expect(dev?.running).toBe(false);
  });

  /** Polls a function of the page, tolerating reloads in between. */
  async function until<T>(read: () => Promise<T>, accept: (value: T) => boolean, what: string, timeout = 45_000): Promise<T> {
    const deadline = Date.now() + timeout;
    let last: T | undefined;
    for (;;) {
      try {
        last = await read();
        if (accept(last)) return last;
      } catch {
        // The page is navigating (full reload); try again.
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})\nstdout (end):\n${dev?.stdout.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  const heading = () => page.locator('h1').first().textContent();
  const overlayState = () => page.evaluate((sel) => document.querySelector(sel)?.getAttribute('data-state') ?? 'none', OVERLAY);

  it('serves the model page, with no overlay while the models pass', async () => {
    expect(dev!.stdout).toContain('✔ all models pass');
    await page.goto(`${url}models/profile-upload/`, { waitUntil: 'load' });
    expect(await heading()).toBe('Profile photo upload');
    await until(() => page.evaluate(() => document.querySelectorAll('script[type="module"]').length), (n) => n > 0, 'the page scripts');
    expect(await overlayState()).toBe('none');
  });

  it('breaking the model shows the positioned diagnostic in the terminal and in the overlay, as text', async () => {
    const from = dev!.stdout.length;
    const broken = original.replace(/^status: approved$/m, 'status: "<img src=x onerror=alert(1)>"');
    expect(broken).not.toBe(original);
    await writeFile(join(dir, MODEL), broken);

    await dev!.waitFor(/profile-upload\.md\n\s+7:9\s+error\s+`status` must be one of/, from);
    await until(overlayState, (s) => s === 'open', 'the overlay');
    const overlay = page.locator(OVERLAY);
    const item = overlay.locator('li').first();
    expect(await overlay.locator('li').count()).toBe(1);
    const text = (await item.textContent())?.replace(/\s+/g, ' ');
    expect(text).toContain(`${MODEL}:7:9 error invalid-value`);
    expect(text).toContain('status must be one of draft, in-review, approved; found <img src=x onerror=alert(1)>');
    expect(await item.locator('.tm-msg code').allTextContents()).toEqual(['status', '<img src=x onerror=alert(1)>']);
    // The message is text: no element from it, nothing ran.
    expect(await overlay.locator('img').count()).toBe(0);
    expect(await item.locator('a').getAttribute('href')).toBe('/docs/checks/#invalid-value');
    expect(await page.locator(`${OVERLAY} h2`).textContent()).toContain('1 error');
    // The page keeps the last version that passed; the server is still up.
    expect(await heading()).toBe('Profile photo upload');
    expect(dev!.running).toBe(true);
    await page.screenshot({ path: '/tmp/threatmark-dev-overlay.png' });
  });

  it('the overlay is a keyboard-operable panel: Tab reaches Dismiss, Escape and Enter work', async () => {
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.hasAttribute('data-threatmark-overlay-dismiss'))).toBe(true);
    await page.keyboard.press('Enter');
    await until(overlayState, (s) => s === 'collapsed', 'the collapsed overlay');
    await page.screenshot({ path: '/tmp/threatmark-dev-overlay-collapsed.png' });
    // The "show" button has the focus; Enter opens the panel again, Escape closes it.
    expect(await page.evaluate(() => document.activeElement?.hasAttribute('data-threatmark-overlay-show'))).toBe(true);
    await page.keyboard.press('Enter');
    await until(overlayState, (s) => s === 'open', 'the reopened overlay');
    await page.keyboard.press('Escape');
    await until(overlayState, (s) => s === 'collapsed', 'the overlay closed with Escape');
    await page.locator('[data-threatmark-overlay-show]').click();
    await until(overlayState, (s) => s === 'open', 'the overlay opened again');
  });

  it('fixing the model clears the overlay and the page shows the new content, without a restart', async () => {
    const from = dev!.stdout.length;
    const pid = dev!.child.pid;
    const fixed = original.replace(/^title: Profile photo upload$/m, 'title: Profile photo upload, revised');
    expect(fixed).not.toBe(original);
    await writeFile(join(dir, MODEL), fixed);

    await dev!.waitFor(/✔ all models pass/, from);
    await until(heading, (h) => h === 'Profile photo upload, revised', 'the new title');
    await until(overlayState, (s) => s === 'none', 'the overlay to go');
    expect(dev!.running).toBe(true);
    expect(dev!.child.pid).toBe(pid);
    // The new content is everywhere the data goes, e.g. the models list.
    await page.goto(`${url}models/`, { waitUntil: 'load' });
    expect(await page.content()).toContain('Profile photo upload, revised');
    expect(await overlayState()).toBe('none');
  });

  it('had no page or console errors and no dialog', () => {
    expect(pageErrors).toEqual([]);
    expect(dev!.stderr).not.toMatch(/internal error|Error:/);
  });
});
