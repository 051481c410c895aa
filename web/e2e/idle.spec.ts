// The idle timeout (issue 9, item 2): a note being typed survives the trip through the
// login screen and is never sent without a session. The app leaves for the login screen
// 15 s before the server's idle timeout (`expires_in` of the login, [sessions]
// idle_timeout_minutes: 15 min in the demo); rather than wait that long, the page's
// clock is Playwright's fake one, moved forward past it, so the step costs seconds and
// the server's settings stay those of the other specs.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Request } from 'playwright-core';
import { screenshot } from './browser.js';
import { expect } from './expect.js';
import type { DemoAccount } from './server.js';
import { account, logIn, suite } from './suite.js';

/**
 * A physician no other spec logs in as (the first two, and the first of the other
 * practice, already used up TOTP steps, so their next fresh code could mean waiting).
 */
function unusedPhysician(): DemoAccount {
  const physicians = suite().server.accounts.filter((a) => a.role === 'physician');
  const used = new Set(physicians.slice(0, 2));
  for (const mine of physicians.slice(0, 2)) {
    const other = physicians.find((a) => a.organization !== mine.organization);
    if (other) used.add(other);
  }
  return physicians.find((a) => !used.has(a)) ?? account('physician', 1);
}

describe('idle timeout', { concurrency: false }, () => {
  test('an idle session returns to the login screen; the draft is kept, unsent, then saved', async () => {
    const who = unusedPhysician();
    const { page } = await suite().chromium.newUser();
    await page.clock.install();
    await page.goto(suite().server.url + '/');
    await logIn(page, who);
    await page.locator('table.patients tbody tr a').first().click();
    const text = `Brouillon inactif ${Date.now()} : tension à recontrôler.`;
    await page.getByLabel('Texte de la note').fill(text);

    // Every request that carries the draft, and whether a session had been re-opened by then.
    let loggedInAgain = false;
    const carriers: { url: string; afterLogin: boolean }[] = [];
    // A note's text travels base64-encoded (attachment.data): its first 18 ASCII characters
    // give the first 24 of the encoding.
    const marks = [text.slice(0, 18), Buffer.from(text.slice(0, 18)).toString('base64')];
    page.on('request', (request: Request) => {
      const body = request.postData() ?? '';
      if (marks.some((mark) => body.includes(mark))) carriers.push({ url: request.url(), afterLogin: loggedInAgain });
    });

    // 15 minutes without a key or a click.
    await page.clock.fastForward('15:00');
    await expect(page.getByLabel('Identifiant')).toBeVisible();
    await expect(page.getByRole('status')).toContainText('note non envoyée est conservée');
    await screenshot(page, 'idle-timeout');
    const me = await page.evaluate(async () => (await fetch('/auth/me')).status);
    assert.equal(me, 401, 'the app ended the session on the server too');

    await logIn(page, who);
    loggedInAgain = true;
    await expect(page.getByLabel('Texte de la note')).toBeVisible();
    assert.equal(await page.getByLabel('Texte de la note').inputValue(), text);
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await expect(page.locator('ol.timeline')).toContainText(text);
    assert.ok(carriers.length > 0, 'the draft was sent once logged in again');
    assert.deepEqual(
      carriers.filter((c) => !c.afterLogin),
      [],
      'no request carried the draft before logging in again',
    );
    await page.context().close();
  });
});
