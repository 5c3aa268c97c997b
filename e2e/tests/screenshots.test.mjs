// (f) Screenshots for the documentation: docs/screenshots/login.png and docs/screenshots/caseload.png (1280×800).
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
});
