// (f) Screenshots for the documentation: docs/screenshots/login.png and docs/screenshots/caseload.png (1280×800),
// docs/screenshots/caseload-phone.png (the caseload as cards on a 360×740 phone).
// SPDX-License-Identifier: EUPL-1.2
import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { TEST_TIMEOUT, launchBrowser, login, newPage, saveScreenshot } from '../lib.mjs';

describe('(f) screenshots', { timeout: TEST_TIMEOUT * 3 }, () => {
  let browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  test('login page → docs/screenshots/login.png', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 1280, height: 800 } });
    try {
      await page.goto('/login');
      const path = await saveScreenshot(page, 'login');
      assert.ok((await stat(path)).size > 1000, `${path} should be a real picture`);
    } finally {
      await context.close();
    }
  });

  test('professional\'s caseload → docs/screenshots/caseload.png', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 1280, height: 800 } });
    try {
      await login(page, 'professional');
      const path = await saveScreenshot(page, 'caseload');
      assert.ok((await stat(path)).size > 1000, `${path} should be a real picture`);
    } finally {
      await context.close();
    }
  });

  test('professional\'s caseload on a phone → docs/screenshots/caseload-phone.png', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 360, height: 740 } });
    try {
      await login(page, 'professional');
      // The list of cards, not the header: scroll the first resident to the top.
      await page.evaluate(() => document.getElementById('caseload-order').scrollIntoView({ block: 'start' }));
      const path = await saveScreenshot(page, 'caseload-phone');
      assert.ok((await stat(path)).size > 1000, `${path} should be a real picture`);
    } finally {
      await context.close();
    }
  });
});
