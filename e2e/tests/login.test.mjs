// The login page: accessibility, wrong password, keyboard order, language switch.
// SPDX-License-Identifier: EUPL-1.2
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  ROLES,
  TEST_TIMEOUT,
  axeCheck,
  emailFor,
  focused,
  hasFocusIndicator,
  launchBrowser,
  newPage,
  pathOf,
  submitLogin,
} from '../lib.mjs';

describe('login page', { timeout: TEST_TIMEOUT * 4 }, () => {
  let browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  test('(a) is Dutch, has the labelled form and zero axe violations', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page } = await newPage(browser);
    try {
      const response = await page.goto('/login');
      assert.equal(response?.status(), 200, 'GET /login should answer 200');
      assert.equal(await page.locator('html').getAttribute('lang'), 'nl', '<html lang> should be "nl"');
      const form = page.locator('form[action="/login"]');
      assert.equal(await form.count(), 1, 'there should be one form posting to /login');
      assert.equal((await form.getAttribute('method'))?.toLowerCase(), 'post', 'the login form should use POST');
      assert.equal(await form.locator('input[type="hidden"][name="csrf_token"]').count(), 1, 'hidden csrf_token input');
      const email = page.getByLabel('E-mailadres', { exact: true });
      const password = page.getByLabel('Wachtwoord', { exact: true });
      assert.equal(await email.getAttribute('name'), 'email', 'the field labelled "E-mailadres" is name="email"');
      assert.equal(await password.getAttribute('name'), 'password', 'the field labelled "Wachtwoord" is name="password"');
      assert.equal(await password.getAttribute('type'), 'password', 'the password field has type="password"');
      assert.ok(await page.getByRole('button', { name: 'Inloggen', exact: true }).isVisible(), 'button "Inloggen"');
      await axeCheck(page);
    } finally {
      await context.close();
    }
  });

  test('(c) a wrong password shows an error and does not log in', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page } = await newPage(browser);
    try {
      await page.goto('/login');
      await submitLogin(page, emailFor('professional'), 'dit-is-niet-het-wachtwoord');
      assert.equal(pathOf(page), '/login', 'after a wrong password the browser should still be on /login');
      const alert = page.getByRole('alert').filter({ hasText: 'klopt niet' });
      assert.equal(await alert.count(), 1, 'an element with role="alert" containing "klopt niet" should be shown');
      assert.ok(await alert.isVisible(), 'the error message should be visible');
      await axeCheck(page, { label: '/login with the wrong-password error' });
      // No session was made: the start page still sends the browser to the login page.
      await page.goto(ROLES.professional.path);
      assert.equal(pathOf(page), '/login', `${ROLES.professional.path} should redirect to /login without a session`);
    } finally {
      await context.close();
    }
  });

  test('(d) keyboard: skip link first, then e-mail, password and the button in order', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page } = await newPage(browser);
    try {
      await page.goto('/login');
      await page.keyboard.press('Tab');
      const first = await focused(page);
      assert.equal(first.tag, 'a', `the first Tab stop should be the skip link, got ${JSON.stringify(first)}`);
      assert.equal(first.text, 'Naar de inhoud', 'the skip link reads "Naar de inhoud"');
      assert.ok(hasFocusIndicator(first), `the skip link should show a focus indicator: ${JSON.stringify(first)}`);
      assert.match(first.href ?? '', /^#./, 'the skip link points to an anchor on the page');
      assert.equal(await page.locator(first.href).count(), 1, `the skip link's target ${first.href} should exist`);

      // Walk on with Tab and note where the three controls come.
      const stops = [];
      for (let i = 0; i < 30; i += 1) {
        await page.keyboard.press('Tab');
        const info = await focused(page);
        stops.push(info);
        if (info.tag === 'button' && info.text === 'Inloggen') break;
      }
      const describe = stops.map((s) => `${s.tag}${s.name ? `[name=${s.name}]` : ''}${s.text ? ` "${s.text}"` : ''}`);
      const emailAt = stops.findIndex((s) => s.tag === 'input' && s.name === 'email');
      const passwordAt = stops.findIndex((s) => s.tag === 'input' && s.name === 'password');
      const buttonAt = stops.findIndex((s) => s.tag === 'button' && s.text === 'Inloggen');
      const order = `Tab order after the skip link: ${describe.join(' → ')}`;
      assert.ok(emailAt >= 0, `the e-mail field is reachable by Tab. ${order}`);
      assert.ok(passwordAt > emailAt, `the password field comes after the e-mail field. ${order}`);
      assert.ok(buttonAt > passwordAt, `the "Inloggen" button comes after the password field. ${order}`);
      for (const at of [emailAt, passwordAt, buttonAt]) {
        assert.ok(hasFocusIndicator(stops[at]), `visible focus indicator on ${describe[at]}: ${JSON.stringify(stops[at])}`);
      }
    } finally {
      await context.close();
    }
  });

  test('the language switch "English" sets English', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page } = await newPage(browser);
    try {
      await page.goto('/login');
      await Promise.all([
        page.waitForNavigation({ waitUntil: 'load' }),
        page.getByRole('link', { name: 'English', exact: true }).click(),
      ]);
      assert.equal(await page.locator('html').getAttribute('lang'), 'en', '<html lang> should be "en" after choosing English');
      if (pathOf(page) !== '/login') await page.goto('/login');
      assert.equal(await page.locator('html').getAttribute('lang'), 'en', 'English is remembered on /login');
      assert.ok(await page.getByRole('button', { name: 'Log in', exact: true }).isVisible(), 'the login button reads "Log in"');
      await axeCheck(page, { label: '/login in English' });
    } finally {
      await context.close();
    }
  });
});
