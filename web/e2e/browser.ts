// Debian's Chromium driven by playwright-core (no browser is downloaded). Each browser
// context is a separate user: its own cookies and session storage.
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

// web/artifacts, from web/node_modules/.cache/e2e where the compiled tests run.
const artifacts = resolve(dirname(fileURLToPath(import.meta.url)), '../../../artifacts');

export interface Chromium {
  browser: Browser;
  /** A fresh user at 1280×800 (or `viewport`), trusting the demo's self-signed certificate. */
  newUser(viewport?: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page }>;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<Chromium> {
  // launch() gives the browser a fresh --user-data-dir of its own (a temporary
  // profile, removed on close); the other flags keep Chromium from calling home.
  const args = [
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ];
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args,
  });
  return {
    browser,
    async newUser(viewport = { width: 1280, height: 800 }) {
      const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport, locale: 'fr-FR' });
      const page = await context.newPage();
      return { context, page };
    },
    async close() {
      await browser.close();
    },
  };
}

/** Saves a full-page screenshot as web/artifacts/NAME.png (git-ignored). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}
