// The security officer's side of the scenario (issue 9, item 7): in a second browser
// context the officer watches the live alerts; a physician (first context) breaks the
// glass on another practice's patient, and the alert appears without a reload, with
// its explanation; one click ends the physician's sessions, and the physician's page is
// refused from its next request (back to the login screen). Then each console screen
// (the art. 34 list handed over as a file; every account that reached the patient
// contained at once) and the admin accounts screen, with a screenshot of each in
// web/artifacts/.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { ApiSession } from './api.js';
import { screenshot } from './browser.js';
import { expect } from './expect.js';
import type { DemoAccount } from './server.js';
import { account, confirmStepUp, logIn, suite } from './suite.js';

/**
 * Waits for `done` to show; answers the step-up prompt first if the server asks for a
 * fresh code (a sensitive action more than 10 minutes after the last code, or the risk
 * scorer's demand).
 */
async function confirmIfAsked(page: Page, who: DemoAccount, done: Locator): Promise<void> {
  const stepUp = page.getByRole('dialog', { name: 'Confirmez votre identité' });
  await stepUp.or(done).first().waitFor({ timeout: 15_000 });
  if (await stepUp.isVisible()) await confirmStepUp(page, who);
  await expect(done).toBeVisible();
}

// What the browser refused or failed at on the console's and admin's pages: they must
// need nothing the Content-Security-Policy forbids (uPlot included), and throw nothing.
const problems: string[] = [];
function watch(page: Page): Page {
  page.on('console', (message) => {
    if (message.type() === 'error' && !/status of 40[13]/.test(message.text())) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(String(error)));
  return page;
}

describe('security console', { concurrency: false }, () => {
  let officerPage: Page;
  let clinicianPage: Page;
  let clinician: DemoAccount;
  let clinicianId = '';
  // The other practice's patient whose file the clinician opened by breaking the glass.
  let patientId = '';
  const officer = () => account('security_officer', 0);

  test('the officer opens the live alerts', async () => {
    officerPage = watch((await suite().chromium.newUser()).page);
    await logIn(officerPage, officer());
    await officerPage.goto(`${suite().server.url}/#/console/alerts`);
    await expect(officerPage.getByRole('heading', { name: 'Alertes en direct' })).toBeVisible();
    await expect(officerPage.getByTestId('stream-status')).toContainText('connecté');
    await screenshot(officerPage, 'console-alerts');
  });

  test('sees a break-the-glass alert appear live, with its explanation', async () => {
    // A physician other than the clinician spec's, and a patient of another practice.
    const physicians = suite().server.accounts.filter((a) => a.role === 'physician');
    assert.ok(physicians.length >= 3, 'the demo has physicians in two practices');
    clinician = physicians[1];
    const other = physicians.find((a) => a.organization !== clinician.organization);
    assert.ok(other);
    const theirs = await (await ApiSession.open(suite().server, other)).get('/fhir/Patient?_count=1');
    assert.equal(theirs.status, 200);
    const patient = theirs.body.entry[0].resource;
    patientId = patient.id;

    clinicianPage = (await suite().chromium.newUser()).page;
    await logIn(clinicianPage, clinician);
    clinicianId = await clinicianPage.evaluate(
      async () => ((await (await fetch('/auth/me')).json()) as { id: string }).id,
    );
    await clinicianPage.goto(`${suite().server.url}/#/patients/${patient.id}`);
    await clinicianPage.getByRole('button', { name: 'Briser la glace…' }).click();
    const dialog = clinicianPage.getByRole('alertdialog');
    await dialog.getByLabel('Finalité').selectOption('ETREAT');
    await dialog.getByLabel(/Motif/).fill('Patient amené inconscient, dossier introuvable.');
    await dialog.getByRole('button', { name: 'Ouvrir le dossier' }).click();
    await confirmIfAsked(
      clinicianPage,
      clinician,
      clinicianPage.getByRole('heading', { name: 'Consultations et notes' }),
    );

    // No reload: the officer's page got it over the event stream.
    const card = officerPage.locator(`li[data-alert-kind="break-glass"]`, { hasText: clinician.username });
    await expect(card).toBeVisible(10_000);
    await expect(card).toContainText('inconscient');
    await screenshot(officerPage, 'console-alert-live');
  });

  test('contains the account in one click; the physician is refused at once', async () => {
    const card = officerPage.locator(`li[data-alert-kind="break-glass"]`, { hasText: clinician.username }).first();
    await card.getByRole('button', { name: `Couper ses sessions — ${clinician.username}`, exact: true }).click();
    await confirmIfAsked(officerPage, officer(), card.getByText('Mesure « couper les sessions » appliquée'));
    await screenshot(officerPage, 'console-contained');
    // Readable on a tablet too.
    await officerPage.setViewportSize({ width: 820, height: 1180 });
    await screenshot(officerPage, 'console-alerts-tablet');
    await officerPage.setViewportSize({ width: 1280, height: 800 });

    // The physician's very next request is refused: back to the login screen.
    await clinicianPage.reload();
    await expect(clinicianPage.getByLabel('Identifiant')).toBeVisible();
    const me = await clinicianPage.evaluate(async () => (await fetch('/auth/me')).status);
    assert.equal(me, 401);
    await screenshot(clinicianPage, 'clinician-refused');
  });

  test('plots the account’s activity with the alert marked', async () => {
    await officerPage.goto(`${suite().server.url}/#/console/accounts/${clinicianId}?hours=1`);
    await expect(officerPage.getByRole('heading', { name: `Activité de ${clinician.username}` })).toBeVisible();
    await expect(officerPage.getByTestId('activity-plot').locator('canvas')).toBeVisible();
    await expect(officerPage.locator('ul.marks')).toContainText('bris de glace');
    await screenshot(officerPage, 'console-activity');
  });

  test('searches the audit log beside the signed tree head', async () => {
    await officerPage.goto(`${suite().server.url}/#/console/audit`);
    await expect(officerPage.getByTestId('verification')).toContainText('last signed head');
    await officerPage.getByLabel('Nom d’utilisateur').fill(clinician.username);
    // From an hour ago, in the browser's local time as the date picker gives it.
    const hourAgo = new Date(Date.now() - 3_600_000 - new Date().getTimezoneOffset() * 60_000);
    await officerPage.getByLabel('Depuis').fill(hourAgo.toISOString().slice(0, 16));
    await officerPage.getByRole('button', { name: 'Rechercher', exact: true }).click();
    await expect(officerPage.locator('table.audit-table')).toContainText('bris de glace');
    // Outcomes in French too: the refusal's reason, not the server's English.
    await expect(officerPage.locator('table.audit-table')).toContainText('succès (HTTP 201)');
    await screenshot(officerPage, 'console-audit');
  });

  test('builds the breach report with its downloads', async () => {
    await officerPage.goto(`${suite().server.url}/#/console/breach?account=${clinicianId}`);
    await officerPage.getByRole('button', { name: 'Établir le rapport' }).click();
    await expect(officerPage.getByTestId('breach-summary')).toBeVisible(60_000);
    await expect(officerPage.getByRole('link', { name: 'Rapport CSV' })).toBeVisible();
    const csv = await officerPage.evaluate(async (id) => {
      const r = await fetch(`/security/breach-report?account=${id}&format=csv`);
      return { status: r.status, disposition: r.headers.get('Content-Disposition') ?? '' };
    }, clinicianId);
    assert.equal(csv.status, 200);
    assert.match(csv.disposition, /attachment/);
    await screenshot(officerPage, 'console-breach');
  });

  test('hands over the art. 34 list of patients to notify as a file, after a fresh code', async () => {
    const saving = officerPage.waitForEvent('download');
    await officerPage.getByRole('button', { name: 'Télécharger la liste (CSV)' }).click();
    await confirmIfAsked(officerPage, officer(), officerPage.getByTestId('notify-saved'));
    const file = await saving;
    assert.equal(file.suggestedFilename(), 'patients-to-notify.csv');
    const csv = readFileSync(await file.path(), 'utf8');
    assert.match(csv.split('\n')[0], /patient/i);
    assert.ok(csv.includes(patientId), 'the patient reached by breaking the glass is listed');
    await screenshot(officerPage, 'console-notify');
  });

  test('contains every account that reached a set of patients', async () => {
    await officerPage.goto(`${suite().server.url}/#/console/contain-patients`);
    await officerPage.getByLabel(/^Patients \(id/).fill(`Patient/${patientId}`);
    await officerPage.getByRole('button', { name: 'Trouver les comptes' }).click();
    await expect(officerPage.getByTestId('touched-accounts')).toContainText(clinician.username);
    await officerPage.getByRole('button', { name: /^Appliquer à \d+ compte/ }).click();
    await confirmIfAsked(officerPage, officer(), officerPage.getByTestId('touched-done'));
    await expect(officerPage.getByTestId('touched-done')).toContainText('Mesure appliquée à');
    await screenshot(officerPage, 'console-contain-patients');
  });

  test('shows the self-check', async () => {
    await officerPage.goto(`${suite().server.url}/#/console/selfcheck`);
    await expect(officerPage.getByTestId('findings')).toContainText('journal d’audit');
    await screenshot(officerPage, 'console-selfcheck');
  });

  test('the administrator lists and creates accounts, without patient data', async () => {
    const admin = account('admin', 0);
    const page = watch((await suite().chromium.newUser()).page);
    await logIn(page, admin);
    await page.goto(`${suite().server.url}/#/admin/accounts`);
    await expect(page.getByTestId('accounts')).toContainText(clinician.username);
    const username = `secretariat-${Date.now() % 100000}`;
    await page.getByLabel('Nom d’utilisateur').fill(username);
    await page.getByLabel('Rôle').selectOption('secretary');
    await page.getByLabel('Organisation (id)').fill(clinician.organization);
    await page.getByRole('button', { name: 'Créer', exact: true }).click();
    await confirmIfAsked(page, admin, page.getByTestId('one-time-password'));
    await expect(page.getByTestId('one-time-password')).toContainText(username);
    await expect(page.getByTestId('accounts')).toContainText(username);
    await screenshot(page, 'admin-accounts');
  });

  test('met nothing the Content-Security-Policy refused, and no script error', () => {
    assert.deepEqual(problems, []);
  });
});
