// Both languages on the main screens (issue 9, item 6): French by default, English after
// choosing it, and in neither a label left as its dictionary key (t() shows the key when
// a label is missing). npm run unit checks the dictionaries themselves; this checks
// that the screens use them.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { screenshot } from './browser.js';
import { expect } from './expect.js';
import { account, freshCode, logIn, suite } from './suite.js';
import type { DemoAccount } from './server.js';

// A dictionary key as t() would show it: one of the dictionaries' prefixes, a dot, a name.
const RAW_KEY =
  /\b(app|nav|role|login|stepUp|patient|patients|today|search|glass|record|write|measure|console|contain|severity|finding|admin\.(accounts|action)|error|status|alertKind|riskLevel|feature|check|interaction|category)\.[A-Za-z][\w-]*/;

async function assertNoRawKey(page: Page, screen: string): Promise<void> {
  const text = await page.locator('body').innerText();
  const raw = RAW_KEY.exec(text);
  assert.equal(raw, null, `${screen} shows the raw key ${raw?.[0]}`);
  // Labels of controls and regions too (aria-label, placeholder, title).
  const attributes = await page.evaluate(() =>
    [...document.querySelectorAll('[aria-label],[placeholder],[title]')].map((e) =>
      ['aria-label', 'placeholder', 'title'].map((a) => e.getAttribute(a) ?? '').join(' '),
    ),
  );
  for (const value of attributes) assert.doesNotMatch(value, RAW_KEY, `${screen}: attribute ${value}`);
}

async function logInInEnglish(page: Page, who: DemoAccount): Promise<void> {
  await page.getByLabel('Username').fill(who.username);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('6-digit code from your app').fill(await freshCode(who));
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
}

describe('languages', { concurrency: false }, () => {
  let page: Page;
  // Not the first physician nor the first nurse: the other specs contain the one and re-enrol the other.
  const physician = () => account('physician', 1);

  test('French by default on the login, patient list and patient file, no raw key', async () => {
    page = (await suite().chromium.newUser()).page;
    await page.goto(suite().server.url + '/');
    await expect(page.getByRole('heading', { name: 'Connexion' })).toBeVisible();
    await assertNoRawKey(page, 'login (fr)');
    await logIn(page, physician());
    await expect(page.getByRole('heading', { name: 'Patients du jour' })).toBeVisible();
    await assertNoRawKey(page, 'patient list (fr)');
    await page.locator('table.patients tbody tr a').first().click();
    await expect(page.getByRole('heading', { name: 'Consultations et notes' })).toBeVisible();
    await assertNoRawKey(page, 'patient file (fr)');
  });

  test('English once chosen: the same screens in English, no raw key', async () => {
    await page.getByLabel('Langue').selectOption('en');
    await expect(page.getByRole('heading', { name: 'Encounters and notes' })).toBeVisible();
    await assertNoRawKey(page, 'patient file (en)');
    await screenshot(page, 'patient-file-en');
    await page.getByRole('link', { name: 'Today’s patients' }).click();
    await expect(page.getByRole('heading', { name: 'Today’s patients' })).toBeVisible();
    await assertNoRawKey(page, 'patient list (en)');
    await page.getByRole('button', { name: 'Log out' }).click();
    // The choice is kept (a preference, in localStorage).
    await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
    await assertNoRawKey(page, 'login (en)');
    await screenshot(page, 'login-en');
  });

  test('the security console in English, no raw key', async () => {
    await logInInEnglish(page, account('security_officer', 0));
    // The physician's last screen is not the officer's: go to the console's home.
    await page.goto(`${suite().server.url}/#/console/alerts`);
    await expect(page.getByRole('heading', { name: 'Live alerts' })).toBeVisible();
    await assertNoRawKey(page, 'alerts (en)');
    await page.getByRole('link', { name: 'Self-check' }).click();
    await expect(page.getByTestId('findings')).toContainText('audit log');
    await assertNoRawKey(page, 'self-check (en)');
    await screenshot(page, 'console-selfcheck-en');
    await page.getByLabel('Language').selectOption('fr');
  });
});
