// Self-test of our own front-end assets (theme.css, app.css, session.js, the vendored Utrecht CSS) on static
// fixture pages served by fixture-server.mjs under a strict CSP. Needs no app: it checks the assets and the
// harness (chromium launch + axe) on their own.
// SPDX-License-Identifier: EUPL-1.2
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startFixtureServer } from '../fixture-server.mjs';
import { TEST_TIMEOUT, axeCheck, focused, hasFocusIndicator, launchBrowser, newPage, pathOf, scrollWidth } from '../lib.mjs';

describe('front-end assets (fixture pages, no app needed)', { timeout: TEST_TIMEOUT * 8 }, () => {
  let browser;
  let server;
  before(async () => {
    server = await startFixtureServer();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  /** A page on the fixture server that records console errors and page errors (CSP violations show there). */
  async function open(path, options = {}) {
    const { context, page } = await newPage(browser, { baseURL: server.url, ...options });
    const problems = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
    });
    page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
    page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()}`));
    if (options.clock) await page.clock.install();
    const response = await page.goto(path);
    assert.equal(response?.status(), 200, `GET ${path}`);
    return { context, page, problems };
  }

  test('the styles load and apply the theme', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, problems } = await open('/caseload');
    try {
      const styles = await page.evaluate(() => {
        const button = getComputedStyle(document.querySelector('.utrecht-button--primary-action'));
        const body = getComputedStyle(document.body);
        return { buttonBg: button.backgroundColor, buttonColor: button.color, bodyColor: body.color, font: body.fontFamily };
      });
      assert.equal(styles.buttonBg, 'rgb(29, 78, 116)', 'primary button background from theme.css');
      assert.equal(styles.buttonColor, 'rgb(255, 255, 255)', 'primary button text colour from theme.css');
      assert.equal(styles.bodyColor, 'rgb(27, 33, 39)', 'document colour from theme.css');
      assert.match(styles.font, /system-ui/, 'theme font stack');
      assert.deepEqual(problems, [], 'no console errors, CSP violations or failed requests');
    } finally {
      await context.close();
    }
  });

  for (const path of ['/caseload', '/login']) {
    test(`${path} fixture has zero axe violations`, { timeout: TEST_TIMEOUT }, async () => {
      const { context, page, problems } = await open(path);
      try {
        await axeCheck(page, { label: `fixture ${path}` });
        assert.deepEqual(problems, [], 'no console errors, CSP violations or failed requests');
      } finally {
        await context.close();
      }
    });

    for (const width of [320, 640]) {
      test(`${path} fixture reflows at ${width} px`, { timeout: TEST_TIMEOUT }, async () => {
        const { context, page } = await open(path, { viewport: { width, height: 800 } });
        try {
          const sw = await scrollWidth(page);
          assert.ok(sw <= width, `scrollWidth ${sw} should be <= ${width}`);
        } finally {
          await context.close();
        }
      });
    }
  }

  test('keyboard: skip link first, a visible focus indicator on every Tab stop', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page } = await open('/caseload');
    try {
      const stops = [];
      for (let i = 0; i < 40; i += 1) {
        await page.keyboard.press('Tab');
        const info = await focused(page);
        if (info.tag === 'body' || (stops.length > 0 && info.text === stops[0].text && info.tag === stops[0].tag)) break;
        stops.push(info);
      }
      assert.equal(stops[0].text, 'Naar de inhoud', 'first Tab stop is the skip link');
      const missing = stops.filter((s) => !hasFocusIndicator(s));
      assert.deepEqual(missing, [], 'every focused element shows an outline or ring');
      // The skip link is visible while focused (in the viewport) and moves focus to <main>.
      await page.goto('/caseload');
      await page.keyboard.press('Tab');
      const box = await page.locator('.waakvlam-skip-link').boundingBox();
      assert.ok(box && box.y >= 0 && box.height >= 44, `the focused skip link is on screen and >= 44 px tall: ${JSON.stringify(box)}`);
      await page.keyboard.press('Enter');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'main', 'the skip link moves focus to <main>');
    } finally {
      await context.close();
    }
  });

  test('touch targets: nav links, header links and buttons are at least 44×44 px', { timeout: TEST_TIMEOUT }, async () => {
    for (const width of [1280, 320]) {
      const { context, page } = await open('/caseload', { viewport: { width, height: 800 } });
      try {
        const small = await page.evaluate(() =>
          [...document.querySelectorAll('.waakvlam-nav a, .waakvlam-header a, .waakvlam-header button, main button')]
            .map((el) => {
              const r = el.getBoundingClientRect();
              return { text: el.textContent.trim(), width: Math.round(r.width), height: Math.round(r.height) };
            })
            .filter((r) => r.width < 44 || r.height < 44),
        );
        assert.deepEqual(small, [], `targets smaller than 44×44 at ${width} px`);
      } finally {
        await context.close();
      }
    }
  });

  test('session.js: warning two minutes early, "Ingelogd blijven" extends, timeout goes to /login?expired=1', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, problems } = await open('/caseload', { clock: true });
    try {
      const dialog = page.getByRole('alertdialog');
      await page.clock.fastForward(170_000); // idle 300 s: nothing yet at 170 s
      assert.equal(await dialog.count(), 0, 'no dialog before the warning time');
      await page.clock.fastForward(15_000); // 185 s: past 300 - 120
      await dialog.waitFor({ state: 'visible' });
      assert.match(await dialog.innerText(), /Je wordt over 2 minuten uitgelogd omdat je een tijdje niets hebt gedaan\./);
      assert.equal((await focused(page)).text, 'Ingelogd blijven', 'focus moves to "Ingelogd blijven"');
      await axeCheck(page, { label: 'fixture /caseload with the session dialog' });

      const before = server.requests.length;
      await dialog.getByRole('button', { name: 'Ingelogd blijven', exact: true }).click();
      await dialog.waitFor({ state: 'hidden' });
      const extend = server.requests.slice(before).find((r) => r.path === '/session/extend');
      assert.ok(extend, 'POST /session/extend was sent');
      assert.equal(extend.method, 'POST');
      assert.equal(extend.body, 'csrf_token=fixture-token');
      assert.match(extend.headers['content-type'] ?? '', /^application\/x-www-form-urlencoded/);

      // Restarted: no dialog 170 s later, the dialog again at 185 s, the login page after 300 s.
      await page.clock.fastForward(170_000);
      assert.equal(await dialog.isVisible(), false, 'the timer restarted after extending');
      await page.clock.fastForward(15_000);
      await dialog.waitFor({ state: 'visible' });
      await Promise.all([
        page.waitForURL((url) => url.pathname === '/login' && url.searchParams.get('expired') === '1'),
        page.clock.fastForward(120_000),
      ]);
      assert.deepEqual(problems, [], 'no console errors, CSP violations or failed requests');
    } finally {
      await context.close();
    }
  });

  test('session.js: Escape counts as "Ingelogd blijven"; "Nu uitloggen" submits form#logout-form', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page } = await open('/caseload', { clock: true });
    try {
      const dialog = page.getByRole('alertdialog');
      await page.clock.fastForward(185_000);
      await dialog.waitFor({ state: 'visible' });
      const before = server.requests.length;
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
      assert.ok(server.requests.slice(before).some((r) => r.path === '/session/extend'), 'Escape extends the session');

      await page.clock.fastForward(185_000);
      await dialog.waitFor({ state: 'visible' });
      await Promise.all([
        page.waitForURL((url) => url.pathname === '/login'),
        dialog.getByRole('button', { name: 'Nu uitloggen', exact: true }).click(),
      ]);
      const logoutPost = server.requests.find((r) => r.path === '/logout' && r.method === 'POST');
      assert.ok(logoutPost, 'the logout form was POSTed');
      assert.equal(new URLSearchParams(logoutPost.body).get('csrf_token'), 'fixture-token');
      assert.equal(pathOf(page), '/login');
    } finally {
      await context.close();
    }
  });
});
