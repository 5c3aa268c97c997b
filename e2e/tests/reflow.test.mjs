// Reflow (WCAG 1.4.10): no horizontal scrolling at 320 CSS px, which is also 1280 px at 400 % zoom;
// and 640 CSS px, which is 1280 px at 200 % zoom.
// SPDX-License-Identifier: EUPL-1.2
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TEST_TIMEOUT, launchBrowser, login, newPage, scrollWidth } from '../lib.mjs';

describe('reflow', { timeout: TEST_TIMEOUT * 4 }, () => {
  let browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  for (const width of [320, 640]) {
    test(`(e) the login page at ${width} px has no horizontal scroll`, { timeout: TEST_TIMEOUT }, async () => {
      const { context, page } = await newPage(browser, { viewport: { width, height: 800 } });
      try {
        await page.goto('/login');
        const sw = await scrollWidth(page);
        assert.ok(sw <= width, `/login at ${width} px: document scrollWidth is ${sw}, should be <= ${width}`);
      } finally {
        await context.close();
      }
    });
  }

  test('the professional\'s caseload at 320 px has no horizontal scroll', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 320, height: 800 } });
    try {
      await login(page, 'professional');
      const sw = await scrollWidth(page);
      assert.ok(sw <= 320, `/caseload at 320 px: document scrollWidth is ${sw}, should be <= 320 (wide tables belong in a .waakvlam-table-scroll container)`);
    } finally {
      await context.close();
    }
  });
});
