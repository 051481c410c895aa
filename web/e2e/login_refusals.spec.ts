// Login refusals as the user reads them. Imported last by run.ts: the failures slow
// down every login from this address (127.0.0.1) for a while.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { screenshot } from './browser.js';
import { suite } from './suite.js';

describe('login refusals', () => {
  test('wrong passwords get a clear message, then the backoff says how long to wait', async () => {
    const { page: guess } = await suite().chromium.newUser();
    await guess.goto(suite().server.url + '/');
    const messages: string[] = [];
    // Two failures are free, the third starts a backoff (1 s, 2 s, …) that the next
    // attempt runs into.
    for (let attempt = 0; attempt < 5 && !/^Trop/.test(messages.at(-1) ?? ''); attempt++) {
      await guess.getByLabel('Identifiant').fill('dr.nobody');
      await guess.getByLabel('Mot de passe').fill(`not the password ${attempt}`);
      await Promise.all([
        guess.waitForResponse((r) => r.url().endsWith('/auth/login')),
        guess.getByRole('button', { name: 'Continuer' }).click(),
      ]);
      // The answer is shown once the form is usable again.
      await guess.waitForFunction(
        () =>
          !document.querySelector('button[type=submit]')?.hasAttribute('disabled') &&
          !!document.querySelector('[role=alert]'),
      );
      messages.push(await guess.getByRole('alert').innerText());
    }
    assert.equal(messages[0], 'Identifiant ou mot de passe incorrect.');
    assert.match(messages.at(-1) ?? '', /^Trop de tentatives\. Réessayez dans \d+ s\.$/);
    await screenshot(guess, 'login-backoff');
    await guess.context().close();
  });
});
