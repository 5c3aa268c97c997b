// /monitoring (issue 6): accessible for the analyst and the consultant, filters work without JavaScript, a CSV
// export downloads, and the analyst never sees a resident. Issue 14: charts read at 360 px (HTML text, no overflow),
// time series in time order with the unfinished period marked, a CSV for Dutch spreadsheets, "Op deze pagina" at the
// top, no heading said twice; docs/screenshots/monitoring-phone.png and monitoring-phone-charts.png. Reads only; changes no demo data.
// SPDX-License-Identifier: EUPL-1.2
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { AXE_TAGS_22, TEST_TIMEOUT, axeCheck, isoDay, launchBrowser, login, newPage, pathOf, saveScreenshot, scrollWidth } from '../lib.mjs';

const THIS_YEAR = isoDay(0).slice(0, 4);
const PHONE = { width: 360, height: 740 };

describe('monitoring', { timeout: TEST_TIMEOUT * 12 }, () => {
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
      const charts = page.locator('.waakvlam-chart[role="img"]');
      assert.ok((await charts.count()) >= 5, 'server-rendered charts');
      // Every chart has its title and description, and a table with the same figures follows it.
      for (const chart of await charts.all()) {
        const labelledby = (await chart.getAttribute('aria-labelledby')).split(' ');
        assert.equal(labelledby.length, 2);
        for (const id of labelledby) assert.ok((await page.locator(`#${id}`).textContent()).trim().length > 0);
      }
      assert.ok((await page.locator('table[aria-labelledby^="tbl-"]').count()) >= 10, 'one table per figure');
      const text = await page.locator('main').innerText();
      for (const name of ['Kees', 'van Dam', 'Sanne de Wit', 'Marco Kaya']) {
        assert.ok(!text.includes(name), `the analyst's page shows ${name}`);
      }
      assert.equal(await page.locator('a[href^="/clients/"]').count(), 0, 'no links to residents');
      assert.match(text, /Afgeschaald naar waakvlam/);
      await axeCheck(page, { label: '/monitoring (analyst)', tags: AXE_TAGS_22 });
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
      await axeCheck(page, { label: '/monitoring (consultant)', tags: AXE_TAGS_22 });
    } finally {
      await context.close();
    }
  });

  test('at 360 px: chart text is real text of at least 12 px, nothing overflows, zero axe violations', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page } = await newPage(browser, { viewport: PHONE });
    try {
      await login(page, 'analyst');
      await page.goto(`/monitoring?year=${THIS_YEAR}`);
      const charts = await page.locator('.waakvlam-chart').evaluateAll((els) =>
        els.map((chart) => {
          const texts = [...chart.querySelectorAll('.waakvlam-chart__label, .waakvlam-chart__value, .waakvlam-chart__marker, .waakvlam-chart__axis')]
            .filter((el) => el.innerText.trim() !== '')
            .map((el) => {
              // Rendered size: the computed size times any scaling of the box (an SVG viewBox, a transform).
              const box = el.getBoundingClientRect();
              const scale = el.offsetWidth > 0 ? box.width / el.offsetWidth : 1;
              return { text: el.innerText.trim(), px: parseFloat(getComputedStyle(el).fontSize) * scale, right: box.right };
            });
          const box = chart.getBoundingClientRect();
          return {
            id: chart.id,
            svgTexts: chart.querySelectorAll('svg text').length,
            texts,
            overflow: chart.scrollWidth - chart.clientWidth,
            right: box.right,
          };
        }),
      );
      assert.ok(charts.length >= 5, `charts: ${charts.map((c) => c.id)}`);
      for (const c of charts) {
        assert.equal(c.svgTexts, 0, `${c.id}: no text drawn in SVG (it scales with the picture)`);
        assert.ok(c.texts.length > 0, `${c.id} has labels`);
        for (const t of c.texts) {
          assert.ok(t.px >= 12, `${c.id}: "${t.text}" is ${t.px.toFixed(1)} px`);
          assert.ok(t.right <= PHONE.width, `${c.id}: "${t.text}" runs off the screen (${t.right})`);
        }
        assert.ok(c.overflow <= 0, `${c.id} overflows by ${c.overflow} px`);
        assert.ok(c.right <= PHONE.width, `${c.id} ends at ${c.right} px`);
      }
      assert.ok((await scrollWidth(page)) <= PHONE.width, 'the page does not scroll sideways');
      // On a phone the time series is a list from old (top) to new (bottom), bars beside their values.
      const tops = await page.locator('#chart-quarters .waakvlam-chart__item').evaluateAll((items) => items.map((i) => i.getBoundingClientRect().top));
      assert.deepEqual([...tops].sort((a, b) => a - b), tops, 'quarters top to bottom');
      assert.ok(await page.locator('#chart-quarters .waakvlam-chart__bar--row').first().isVisible());
      await axeCheck(page, { label: '/monitoring at 360 px', tags: AXE_TAGS_22 });
      // The first screen on a phone: docs/screenshots/monitoring-phone.png.
      await page.evaluate(() => window.scrollTo(0, 0));
      await saveScreenshot(page, 'monitoring-phone');
      // And a screen of charts: docs/screenshots/monitoring-phone-charts.png.
      await page.locator('#tbl-quarters').evaluate((h) => h.scrollIntoView({ block: 'start' }));
      await saveScreenshot(page, 'monitoring-phone-charts');
    } finally {
      await context.close();
    }
  });

  test('time series in time order, the unfinished period marked in words and drawn differently', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 1280, height: 800 } });
    try {
      await login(page, 'analyst');
      await page.goto(`/monitoring?year=${THIS_YEAR}`);
      for (const id of ['quarters', 'pulse_months']) {
        const items = page.locator(`#chart-${id} .waakvlam-chart__item`);
        const labels = (await items.locator('.waakvlam-chart__label').allInnerTexts()).map((l) => l.replace(/\s*\(.*\)$/, '').trim());
        assert.ok(labels.length >= 2, `${id}: ${labels}`);
        assert.deepEqual([...labels].sort(), labels, `${id}: oldest first`);
        // Columns: left to right, standing on one line.
        const boxes = await items.evaluateAll((els) => els.map((el) => el.querySelector('.waakvlam-chart__bar--column').getBoundingClientRect()));
        for (let i = 1; i < boxes.length; i++) {
          assert.ok(boxes[i].left > boxes[i - 1].left, `${id}: column ${i} right of ${i - 1}`);
          assert.equal(Math.round(boxes[i].bottom), Math.round(boxes[0].bottom), `${id}: one baseline`);
        }
        // This year's last period has not ended: said in words, hatched and outlined.
        const last = items.last();
        assert.match(await last.innerText(), /\(nog niet compleet\)/, `${id}: the last period is marked`);
        assert.equal(await items.filter({ hasText: 'nog niet compleet' }).count(), 1, `${id}: only the last one`);
        const rect = last.locator('.waakvlam-chart__bar--column > rect');
        assert.match(await rect.getAttribute('fill'), /^url\(#hatch-/);
        assert.notEqual(await rect.evaluate((r) => getComputedStyle(r).strokeDasharray), 'none', 'outlined');
        assert.match(await page.locator(`#chart-${id} .waakvlam-chart__axis`).innerText(), /van oud naar nieuw\. Gearceerd/);
        // The table says it too.
        const heads = await page.locator(`#table-${id} tbody th`).allInnerTexts();
        assert.match(heads.at(-1), /\(nog niet compleet\)$/);
      }
      // A chosen period that cuts a quarter says so at that quarter.
      await page.goto('/monitoring?from=2025-02-01&to=2025-05-31');
      const cut = page.locator('#chart-quarters .waakvlam-chart__item');
      assert.match(await cut.first().innerText(), /2025-Q1 \(deels in de gekozen periode\)/);
      assert.match(await cut.last().innerText(), /2025-Q2 \(deels in de gekozen periode\)/);
      // A year that is over has no unfinished period.
      await page.goto('/monitoring?year=2025');
      assert.equal(await page.getByText('(nog niet compleet)').count(), 0);
      assert.equal(await page.locator('#chart-quarters .waakvlam-chart__item').count(), 4);
      await axeCheck(page, { label: `/monitoring?year=${THIS_YEAR}`, tags: AXE_TAGS_22 });
    } finally {
      await context.close();
    }
  });

  test('a CSV for Dutch spreadsheets beside the machine-readable one', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page } = await newPage(browser, { acceptDownloads: true });
    try {
      await login(page, 'analyst');
      await page.goto('/monitoring?year=2025');
      const link = page.getByRole('link', { name: 'Download "Doorstroom" als CSV voor Excel (Nederlands)', exact: true });
      assert.match(await link.getAttribute('href'), /^\/monitoring\/export\/flows\.csv\?year=2025&format=nl$/);
      assert.equal(await page.getByRole('link', { name: /als CSV voor Excel \(Nederlands\)$/ }).count(), await page.locator('table[id^="table-"]').count(), 'one per table');
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
      assert.equal(download.suggestedFilename(), 'waakvlam-flows-2025-01-01-2025-12-31-nl.csv');
      const bytes = await readFile(await download.path());
      assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a UTF-8 BOM');
      const body = bytes.subarray(3).toString('utf8');
      assert.match(body, /^Stroom;Aantal;Aandeel\r\n/);
      assert.match(body, /\r\nAfgeschaald naar waakvlam;\d+;\d+,\d\r\n/, 'Dutch labels, a decimal comma');
    } finally {
      await context.close();
    }
  });

  test('a long page: "Op deze pagina" at the top, every link lands, no heading said twice', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page } = await newPage(browser, { viewport: PHONE });
    try {
      await login(page, 'analyst');
      await page.goto('/monitoring?year=2025');
      const nav = page.getByRole('navigation', { name: 'Op deze pagina' });
      const navTop = (await nav.boundingBox()).y;
      assert.ok(navTop < (await page.locator('#mon-filters').boundingBox()).y, 'before the filters');
      assert.ok(navTop < PHONE.height, `on the first screen (${navTop} px)`);
      const targets = await nav.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      assert.ok(targets.length >= 6, `${targets}`);
      for (const href of targets) {
        assert.match(href, /^#/);
        assert.equal(await page.locator(href).count(), 1, `${href} exists`);
      }
      // Following a link moves the page there; each section leads back.
      await nav.getByRole('link', { name: 'Kosten', exact: true }).click();
      assert.ok(Math.abs((await page.locator('#sec-costs').boundingBox()).y) < 50, 'scrolled to the section');
      assert.equal(await page.locator('section a[href="#mon-contents"]').count(), targets.length - 1);

      const { headings, captions } = await page.locator('main').evaluate((main) => ({
        headings: [...main.querySelectorAll('h1, h2, h3, h4, h5, h6')].map((h) => h.innerText.trim()),
        captions: [...main.querySelectorAll('caption')].map((c) => c.innerText.trim()),
      }));
      for (const c of captions) assert.ok(!headings.includes(c), `"${c}" is a heading and a caption`);
      for (let i = 1; i < headings.length; i++) {
        assert.notEqual(headings[i], headings[i - 1], `"${headings[i]}" twice in a row`);
      }
      // Every table is named by its heading.
      for (const table of await page.locator('table[id^="table-"]').all()) {
        const by = await table.getAttribute('aria-labelledby');
        assert.equal(await page.locator(`h3#${by}`).count(), 1, `${by} names its table`);
      }
    } finally {
      await context.close();
    }
  });
});
