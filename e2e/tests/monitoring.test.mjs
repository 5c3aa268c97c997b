// /monitoring (issue 6): accessible for the analyst and the consultant, filters work without JavaScript, a CSV
// export downloads, and the analyst never sees a resident. Reads only; changes no demo data.
// SPDX-License-Identifier: EUPL-1.2
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { TEST_TIMEOUT, axeCheck, launchBrowser, login, newPage, pathOf, saveScreenshot } from '../lib.mjs';

describe('monitoring', { timeout: TEST_TIMEOUT * 6 }, () => {
  let browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  test('analyst: charts with tables, zero axe violations, no resident anywhere', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page } = await newPage(browser);
    try {
      await login(page, 'analyst');
      await page.goto('/monitoring?year=2025');
      assert.equal((await page.locator('h1').innerText()).trim(), 'Monitoring');
      const charts = page.locator('svg[role="img"]');
      assert.ok((await charts.count()) >= 5, 'server-rendered charts');
      // Every chart has its title and description, and a table with the same figures follows it.
      for (const chart of await charts.all()) {
        const labelledby = (await chart.getAttribute('aria-labelledby')).split(' ');
        assert.equal(labelledby.length, 2);
        for (const id of labelledby) assert.ok((await page.locator(`#${id}`).textContent()).trim().length > 0);
      }
      assert.ok((await page.locator('table caption').count()) >= 10, 'one table per figure');
      const text = await page.locator('main').innerText();
      for (const name of ['Kees', 'van Dam', 'Sanne de Wit', 'Marco Kaya']) {
        assert.ok(!text.includes(name), `the analyst's page shows ${name}`);
      }
      assert.equal(await page.locator('a[href^="/clients/"]').count(), 0, 'no links to residents');
      assert.match(text, /Afgeschaald naar waakvlam/);
      await axeCheck(page, { label: '/monitoring (analyst)' });
      await saveScreenshot(page, 'monitoring-analyst', { fullPage: false });
    } finally {
      await context.close();
    }
  });

  test('filters work without JavaScript', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page } = await newPage(browser, { javaScriptEnabled: false });
    try {
      await login(page, 'analyst');
      await page.getByLabel('Gemeente', { exact: true }).selectOption({ label: 'Goes' });
      await page.getByLabel('Jaar', { exact: true }).selectOption('2025');
      await Promise.all([
        page.waitForNavigation({ waitUntil: 'load' }),
        page.getByRole('button', { name: 'Toon cijfers', exact: true }).click(),
      ]);
      assert.equal(pathOf(page), '/monitoring');
      const url = new URL(page.url());
      assert.equal(url.searchParams.get('municipality'), '0664');
      assert.equal(url.searchParams.get('year'), '2025');
      const issued = page.locator('#table-issued');
      const rows = await issued.locator('tbody th[scope="row"]').allInnerTexts();
      assert.ok(rows.length > 0, 'rows for the chosen municipality');
      const issuedText = await issued.innerText();
      assert.match(issuedText, /Goes/);
      assert.doesNotMatch(issuedText, /Borsele|Tholen/);
      assert.equal(await page.getByLabel('Gemeente', { exact: true }).inputValue(), '0664', 'the filter stays chosen');
    } finally {
      await context.close();
    }
  });

  test('a CSV export downloads with the same filters', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page } = await newPage(browser, { acceptDownloads: true });
    try {
      await login(page, 'analyst');
      await page.goto('/monitoring?year=2025');
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Download "Doorstroom" als CSV', exact: true }).click(),
      ]);
      assert.equal(download.suggestedFilename(), 'waakvlam-flows-2025-01-01-2025-12-31.csv');
      const body = await readFile(await download.path(), 'utf8');
      assert.match(body, /^flow,count,share_pct\n/);
      assert.match(body, /\nscaled_down,\d+,/);
      assert.match(body, /\nscaled_up,\d+,/);
    } finally {
      await context.close();
    }
  });

  test('consultant: own municipality, zero axe violations', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page } = await newPage(browser);
    try {
      await login(page, 'consultant');
      await page.goto('/monitoring?year=2025');
      assert.match(await page.locator('main').innerText(), /U ziet uw gemeente\./);
      const municipalities = await page.getByLabel('Gemeente', { exact: true }).locator('option').allInnerTexts();
      assert.deepEqual(municipalities, ['Alle', 'Goes']);
      await axeCheck(page, { label: '/monitoring (consultant)' });
    } finally {
      await context.close();
    }
  });
});
