// Every demo role: log in, land on the role's start page, no axe violations, log out, start page is closed.
// SPDX-License-Identifier: EUPL-1.2
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ROLES, TEST_TIMEOUT, axeCheck, launchBrowser, login, logout, newPage, pathOf } from '../lib.mjs';

describe('(b) demo roles', { timeout: TEST_TIMEOUT * 8 }, () => {
  let browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  for (const [role, { path, h1 }] of Object.entries(ROLES)) {
    test(`${role}: ${path} with h1 "${h1}", accessible, logs out`, { timeout: TEST_TIMEOUT }, async () => {
      const { context, page } = await newPage(browser);
      try {
        await login(page, role);
        const headings = page.locator('h1');
        assert.equal(await headings.count(), 1, `${path} should have exactly one h1`);
        assert.equal((await headings.innerText()).trim(), h1, `${role}'s start page h1`);
        assert.equal(await page.locator('html').getAttribute('lang'), 'nl', `${path}: <html lang="nl">`);
        await axeCheck(page, { label: `${path} (${role})` });

        await logout(page);
        assert.equal(pathOf(page), '/login', 'after logging out the browser should be on /login');
        await page.goto(path);
        assert.equal(pathOf(page), '/login', `after logging out, ${path} should redirect to /login`);
      } finally {
        await context.close();
      }
    });
  }
});
