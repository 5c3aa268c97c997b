// session.js on the real app: the idle warning, "Ingelogd blijven" and "Nu uitloggen".
// Time is faked with Playwright's clock, so the test does not wait for the real idle timeout.
// SPDX-License-Identifier: EUPL-1.2
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TEST_TIMEOUT, axeCheck, focused, launchBrowser, login, newPage, pathOf } from '../lib.mjs';

const WARNING = 'Je wordt over 2 minuten uitgelogd omdat je een tijdje niets hebt gedaan.';

/** Log in as the professional with a fake clock; returns the idle seconds, or null when the page has none. */
async function loginWithClock(page) {
  await page.clock.install();
  await login(page, 'professional');
  const content = await page.locator('meta[name="waakvlam-idle-seconds"]').getAttribute('content').catch(() => null);
  const idle = Number.parseInt(content ?? '', 10);
  return Number.isFinite(idle) && idle > 0 ? idle : null;
}

describe('session timeout warning (session.js)', { timeout: TEST_TIMEOUT * 3 }, () => {
  let browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  test('warns two minutes early; "Ingelogd blijven" extends; then the timeout ends on /login?expired=1', { timeout: TEST_TIMEOUT }, async (t) => {
    const { context, page } = await newPage(browser);
    try {
      const idle = await loginWithClock(page);
      if (idle === null) {
        t.skip('the start page has no <meta name="waakvlam-idle-seconds">: session.js is not active');
        return;
      }
      assert.ok(idle > 120, `waakvlam-idle-seconds should be more than 120, is ${idle}`);
      const dialog = page.getByRole('alertdialog');
      assert.equal(await dialog.count(), 0, 'no warning right after logging in');

      await page.clock.fastForward((idle - 120) * 1000 + 1000);
      await dialog.waitFor({ state: 'visible' });
      assert.match(await dialog.innerText(), new RegExp(WARNING.replace(/[.?]/g, '\\$&')));
      const active = await focused(page);
      assert.equal(active.text, 'Ingelogd blijven', `focus should move into the dialog, on "Ingelogd blijven"; got ${JSON.stringify(active)}`);
      await axeCheck(page, { label: '/caseload with the session warning open' });

      const [response] = await Promise.all([
        page.waitForResponse((r) => new URL(r.url()).pathname === '/session/extend'),
        dialog.getByRole('button', { name: 'Ingelogd blijven', exact: true }).click(),
      ]);
      assert.equal(response.request().method(), 'POST', '/session/extend is POSTed');
      assert.match(response.request().postData() ?? '', /^csrf_token=[^&]+$/, 'the body is csrf_token=<token>');
      assert.equal(response.status(), 204, 'POST /session/extend should answer 204');
      await dialog.waitFor({ state: 'hidden' });
      assert.equal(pathOf(page), '/caseload', 'still on the caseload after extending');

      // The timer starts again: the full idle time later, the browser goes to /login?expired=1.
      await Promise.all([
        page.waitForURL((url) => url.pathname === '/login' && url.searchParams.get('expired') === '1'),
        page.clock.fastForward(idle * 1000 + 1000),
      ]);
    } finally {
      await context.close();
    }
  });

  test('"Nu uitloggen" submits the logout form', { timeout: TEST_TIMEOUT }, async (t) => {
    const { context, page } = await newPage(browser);
    try {
      const idle = await loginWithClock(page);
      if (idle === null) {
        t.skip('the start page has no <meta name="waakvlam-idle-seconds">: session.js is not active');
        return;
      }
      await page.clock.fastForward((idle - 120) * 1000 + 1000);
      const dialog = page.getByRole('alertdialog');
      await dialog.waitFor({ state: 'visible' });
      await Promise.all([
        page.waitForURL((url) => url.pathname === '/login'),
        dialog.getByRole('button', { name: 'Nu uitloggen', exact: true }).click(),
      ]);
      await page.goto('/caseload');
      assert.equal(pathOf(page), '/login', 'after "Nu uitloggen" the caseload redirects to /login');
    } finally {
      await context.close();
    }
  });
});
