// Waiting assertions on Playwright locators (playwright-core has no expect()): each
// polls until it holds or its time runs out, then fails with what it saw.
import type { Locator } from 'playwright-core';

const TIMEOUT_MS = 15_000;

export function expect(locator: Locator) {
  return {
    async toBeVisible(timeout = TIMEOUT_MS): Promise<void> {
      await locator.first().waitFor({ state: 'visible', timeout });
    },
    async toContainText(text: string, timeout = TIMEOUT_MS): Promise<void> {
      const deadline = Date.now() + timeout;
      let seen = '';
      while (Date.now() < deadline) {
        seen = (await locator.allInnerTexts()).join('\n');
        if (seen.includes(text)) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`expected ${locator} to contain ${JSON.stringify(text)}; it read:\n${seen}`);
    },
  };
}
