// What every spec shares: one demo server and one browser for the whole run (started
// by run.ts before the first spec, stopped after the last), and the steps specs have
// in common (logging in).
import { expect } from './expect.js';
import { launchChromium, screenshot, type Chromium } from './browser.js';
import { startDemo, type DemoAccount, type DemoServer } from './server.js';
import { totp, totpStep } from './totp.js';
import type { Page } from 'playwright-core';

export interface Suite {
  server: DemoServer;
  chromium: Chromium;
}

let current: Suite | null = null;

/** Two practices, so that one practice's physician meets the other's patients. */
export const DEMO_ARGS = ['--patients', '240', '--practices', '2', '--seed', '7'];

export async function startSuite(): Promise<void> {
  const [server, chromium] = await Promise.all([startDemo(DEMO_ARGS), launchChromium()]);
  current = { server, chromium };
}

export async function stopSuite(): Promise<void> {
  if (!current) return;
  await current.chromium.close();
  await current.server.stop();
  current = null;
}

export function suite(): Suite {
  if (!current) throw new Error('the suite is not started (run the specs through run.ts)');
  return current;
}

export function account(role: string, index = 0, organization?: string): DemoAccount {
  const found = suite().server.accounts.filter(
    (a) => a.role === role && (organization === undefined || a.organization === organization),
  );
  if (!found[index]) throw new Error(`no demo account #${index} with role ${role}`);
  return found[index];
}

/**
 * Logs `who` in through the login screen. The code is the previous TOTP step's (still
 * accepted): the current and next steps stay free for a step-up, since the server takes
 * each step once per account.
 */
export async function logIn(page: Page, who: DemoAccount, screenshotName?: string): Promise<void> {
  await page.goto(suite().server.url + '/');
  await page.getByLabel('Identifiant').fill(who.username);
  await page.getByLabel('Mot de passe').fill(who.password);
  if (screenshotName) await screenshot(page, `${screenshotName}-password`);
  await page.getByRole('button', { name: 'Continuer' }).click();
  const code = page.getByLabel('Code à 6 chiffres de votre application');
  await code.fill(totp(who.totp_secret, totpStep() - 1));
  if (screenshotName) await screenshot(page, `${screenshotName}-code`);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('button', { name: 'Se déconnecter' })).toBeVisible();
}
