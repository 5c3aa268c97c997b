// Shared helpers for Waakvlam's browser tests.
// Debian's chromium driven by playwright-core (no Playwright browser download), axe-core for WCAG 2.1 AA.
// SPDX-License-Identifier: EUPL-1.2

import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

export const E2E_DIR = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(E2E_DIR, '..');
/** Where screenshots go: docs/screenshots/ in the repository, or WAAKVLAM_SCREENSHOT_DIR (for trial runs). */
export const SCREENSHOT_DIR = process.env.WAAKVLAM_SCREENSHOT_DIR
  ? resolve(process.env.WAAKVLAM_SCREENSHOT_DIR)
  : resolve(REPO_ROOT, 'docs', 'screenshots');

/** Timeout for one test (ms): a cold demo server on 2 cores hashes passwords slowly. */
export const TEST_TIMEOUT = 120_000;

/**
 * The demo server's today as YYYY-MM-DD, shifted by `days`: WAAKVLAM_TODAY when the server was started with
 * `--today`, otherwise the real date in the Netherlands. Tests date their input from it, never from a fixed day.
 */
export function isoDay(days = 0) {
  const today = process.env.WAAKVLAM_TODAY
    ?? new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(new Date());
  const day = new Date(`${today}T12:00:00Z`);
  day.setUTCDate(day.getUTCDate() + days);
  return day.toISOString().slice(0, 10);
}

/** YYYY-MM-DD as the pages write it: DD-MM-YYYY. */
export function nlDate(iso) {
  const [y, m, d] = iso.split('-');
  return `${d}-${m}-${y}`;
}

export const DEMO_PASSWORD = 'waakvlam-demo';

/** Each demo role, its account and the page it lands on after logging in. */
export const ROLES = {
  admin: { path: '/admin', h1: 'Beheer' },
  consultant: { path: '/worklist', h1: 'Werkvoorraad' },
  professional: { path: '/caseload', h1: 'Mijn caseload' },
  team_lead: { path: '/caseload', h1: 'Caseload van het team' },
  analyst: { path: '/monitoring', h1: 'Monitoring' },
  resident: { path: '/me', h1: 'Hoe gaat het met je?' },
  contract_manager: { path: '/catalogue', h1: 'Catalogus en tarieven' },
};

export function emailFor(role) {
  return `${role}@demo.waakvlam.nl`;
}

/** The app's base URL, from WAAKVLAM_BASE_URL (for example http://127.0.0.1:18080). */
export function baseUrl() {
  const url = process.env.WAAKVLAM_BASE_URL;
  if (!url) {
    throw new Error(
      'WAAKVLAM_BASE_URL is not set: start the app (waakvlam demo --addr 127.0.0.1:18080 …) and run ' +
        'WAAKVLAM_BASE_URL=http://127.0.0.1:18080 node --test tests/',
    );
  }
  return url.replace(/\/+$/, '');
}

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launch Debian's chromium (CHROMIUM_PATH overrides /usr/bin/chromium). */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
}

/**
 * A fresh context (own cookies) and page. Options: viewport, baseURL (default: the app's), and any other
 * Playwright context option.
 */
export async function newPage(browser, options = {}) {
  const { baseURL = baseUrl(), viewport = { width: 1280, height: 800 }, ...rest } = options;
  const context = await browser.newContext({ baseURL, viewport, locale: 'nl-NL', ...rest });
  context.setDefaultTimeout(30_000);
  context.setDefaultNavigationTimeout(60_000);
  const page = await context.newPage();
  return { context, page };
}

/** Path of the page's current URL, for example "/caseload". */
export function pathOf(page) {
  return new URL(page.url()).pathname;
}

/** Fill in and submit the login form (the page must show it). */
export async function submitLogin(page, email, password) {
  await page.getByLabel('E-mailadres', { exact: true }).fill(email);
  await page.getByLabel('Wachtwoord', { exact: true }).fill(password);
  await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    page.getByRole('button', { name: 'Inloggen', exact: true }).click(),
  ]);
}

/** Log in as a demo role and wait for the role's start page. */
export async function login(page, role) {
  const expected = ROLES[role];
  assert.ok(expected, `unknown role ${role}`);
  await page.goto('/login');
  await submitLogin(page, emailFor(role), DEMO_PASSWORD);
  assert.equal(pathOf(page), expected.path, `${role}: after logging in the browser should be on ${expected.path}`);
}

/** Log out with the page's logout form and wait for the login page. */
export async function logout(page) {
  const form = page.locator('form#logout-form');
  assert.equal(await form.count(), 1, 'a logged-in page should have exactly one form#logout-form');
  await Promise.all([
    page.waitForURL((url) => url.pathname === '/login', { waitUntil: 'load' }),
    form.getByRole('button', { name: 'Uitloggen', exact: true }).click(),
  ]);
}

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
/** AXE_TAGS and WCAG 2.2 AA (target size, focus not obscured, …): what every axe check asks by default (issue 14). */
export const AXE_TAGS_22 = [...AXE_TAGS, 'wcag22aa'];

/** Format axe violations: one block per rule, with its impact, help and the offending nodes. */
export function formatViolations(violations) {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .map((n) => `    - ${n.target.join(' ')}${n.failureSummary ? `\n      ${n.failureSummary.replace(/\n/g, '\n      ')}` : ''}`)
        .join('\n');
      return `  * ${v.id} [${v.impact ?? 'unknown impact'}]: ${v.help}\n    ${v.helpUrl}\n${nodes}`;
    })
    .join('\n');
}

/** Run axe (WCAG 2.0, 2.1 and 2.2 A and AA, or `tags`) on the page as it is now and fail listing every violation. */
export async function axeCheck(page, { label, tags = AXE_TAGS_22 } = {}) {
  const results = await new AxeBuilder({ page }).withTags(tags).analyze();
  const where = label ?? pathOf(page);
  if (results.violations.length > 0) {
    assert.fail(
      `axe found ${results.violations.length} violation(s) of ${tags.join(', ')} on ${where}:\n${formatViolations(results.violations)}`,
    );
  }
  return results;
}

/** Save a screenshot of the viewport as docs/screenshots/<name>.png (relative to the repository root). */
export async function saveScreenshot(page, name, { fullPage = false } = {}) {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const path = resolve(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}

/** Describe the focused element: tag, name/id, type and its accessible text. */
export async function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { tag: 'body' };
    const style = getComputedStyle(el);
    return {
      tag: el.tagName.toLowerCase(),
      id: el.id || null,
      name: el.getAttribute('name'),
      type: el.getAttribute('type'),
      href: el.getAttribute('href'),
      text: (el.innerText || el.value || '').trim(),
      outlineStyle: style.outlineStyle,
      outlineWidth: style.outlineWidth,
      boxShadow: style.boxShadow,
    };
  });
}

/** True when the focused element shows a focus indicator (an outline or a box-shadow ring). */
export function hasFocusIndicator(info) {
  const outline = info.outlineStyle && info.outlineStyle !== 'none' && info.outlineWidth !== '0px';
  const ring = info.boxShadow && info.boxShadow !== 'none';
  return Boolean(outline || ring);
}

/** Horizontal overflow of the page: the document's scroll width (CSS px). */
export async function scrollWidth(page) {
  return page.evaluate(() => document.scrollingElement.scrollWidth);
}
