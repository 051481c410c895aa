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

const lastStep = new Map<string, number>();

/**
 * A TOTP code `who` has not used yet: the server takes each 30-second step once per
 * account and accepts the previous, current and next step. Starts one step back, so that
 * a login followed at once by a step-up needs no wait.
 */
export async function freshCode(who: DemoAccount): Promise<string> {
  const step = Math.max((lastStep.get(who.username) ?? 0) + 1, totpStep() - 1);
  while (step > totpStep() + 1) await new Promise((r) => setTimeout(r, 1000));
  lastStep.set(who.username, step);
  return totp(who.totp_secret, step);
}

/** Fills the login screen for `who` (password, then a fresh code) and waits for the app. */
export async function logIn(page: Page, who: DemoAccount, screenshotName?: string): Promise<void> {
  if (!page.url().startsWith(suite().server.url)) await page.goto(suite().server.url + '/');
  await page.getByLabel('Identifiant').fill(who.username);
  await page.getByLabel('Mot de passe').fill(who.password);
  if (screenshotName) await screenshot(page, `${screenshotName}-password`);
  await page.getByRole('button', { name: 'Continuer' }).click();
  await page.getByLabel('Code à 6 chiffres de votre application').fill(await freshCode(who));
  if (screenshotName) await screenshot(page, `${screenshotName}-code`);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('button', { name: 'Se déconnecter' })).toBeVisible();
}

/** Answers the step-up prompt (which must open) with a fresh code of `who`. */
export async function confirmStepUp(page: Page, who: DemoAccount, screenshotName?: string): Promise<void> {
  const dialog = page.getByRole('dialog', { name: 'Confirmez votre identité' });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Code à 6 chiffres').fill(await freshCode(who));
  if (screenshotName) await screenshot(page, screenshotName);
  await dialog.getByRole('button', { name: 'Confirmer' }).click();
  await dialog.waitFor({ state: 'hidden' });
}
