// Catalogue and tariffs (issue 4): the region's contract manager sets a tariff, abolishes an own contribution
// from a date and sees both rows; a per-hour tariff without a ceiling is refused next to the field; the page has
// zero axe violations and works at 320 px; a consultant reads it without forms.
// Uses only next year's prices of BT and BTS, which no other test file reads.
// SPDX-License-Identifier: EUPL-1.2
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AXE_TAGS_22, TEST_TIMEOUT, axeCheck, isoDay, launchBrowser, login, newPage, pathOf, scrollWidth } from '../lib.mjs';

const NEXT_YEAR = String(Number(isoDay(0).slice(0, 4)) + 1);

/** The rows of a product's table (`tariffs` or `contributions`) as arrays of cell texts. */
async function rows(page, kind, code) {
  return page.locator(`table.waakvlam-${kind}[data-product="${code}"] tbody tr`).evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td, th')].map((c) => c.innerText.trim())),
  );
}

async function submit(page, formAction) {
  await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    page.locator(`form[action="${formAction}"] button[type="submit"]`).click(),
  ]);
}

describe('catalogue and tariffs', { timeout: TEST_TIMEOUT * 6 }, () => {
  let browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  test('the contract manager sets a tariff and abolishes an own contribution from a date', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page } = await newPage(browser);
    try {
      await login(page, 'contract_manager');
      assert.equal(pathOf(page), '/catalogue');
      assert.equal((await page.locator('h1').innerText()).trim(), 'Catalogus en tarieven');
      await axeCheck(page, { label: '/catalogue (contract manager)' });

      // A tariff per month for Reimerswaal next year, typed the Dutch way.
      await page.locator('#tariff-product').selectOption('BT');
      await page.locator('#tariff-municipality').selectOption('0703');
      await page.locator('#tariff-year').fill(NEXT_YEAR);
      await page.locator('#tariff-variant').selectOption('per_unit');
      await page.locator('#tariff-unit_period').selectOption('month');
      await page.locator('#tariff-amount').fill('€ 1.234,50');
      await submit(page, '/catalogue/tariffs');
      assert.equal(pathOf(page), '/catalogue');
      assert.match(await page.getByRole('status').innerText(), /Het tarief is opgeslagen/);
      const bt = await rows(page, 'tariffs', 'BT');
      assert.ok(
        bt.some((r) => r[0] === NEXT_YEAR && r[1] === 'Reimerswaal' && r[2] === 'per eenheid: maand' && r[3] === '€ 1.234,50 per maand'),
        `the new tariff is listed: ${JSON.stringify(bt.filter((r) => r[0] === NEXT_YEAR))}`,
      );
      assert.ok(bt.some((r) => r[0] === NEXT_YEAR && r[1] === 'Hele regio'), 'the region-wide tariff stays');

      // Abolish the region-wide BTS own contribution from 1 January next year: both rows show.
      await page.locator('#abolish-product').selectOption('BTS');
      await page.locator('#abolish-municipality').selectOption('region');
      await page.locator('#abolish-valid_from').fill(`${NEXT_YEAR}-01-01`);
      await submit(page, '/catalogue/own-contributions/abolish');
      assert.match(await page.getByRole('status').innerText(), /afgeschaft vanaf de gekozen datum/);
      const bts = await rows(page, 'contributions', 'BTS');
      assert.deepEqual(
        bts.filter((r) => r[0] === 'Hele regio'),
        [
          ['Hele regio', '01-01-2019', '€ 19,00'],
          ['Hele regio', `01-01-${NEXT_YEAR}`, '€ 0,00 (afgeschaft)'],
        ],
        'the old amount stays, the €0 row is added',
      );

      // The history says who changed what, from what to what.
      const history = await page.locator('table.waakvlam-history tbody tr').evaluateAll((trs) =>
        trs.slice(0, 2).map((tr) => [...tr.querySelectorAll('td')].map((c) => c.innerText.trim())),
      );
      assert.deepEqual(history[0].slice(1), ['Lotte Minderhoud', 'BTS', `Eigen bijdrage Hele regio vanaf 01-01-${NEXT_YEAR}`, '—', '€ 0,00']);
      assert.deepEqual(history[1].slice(1), ['Lotte Minderhoud', 'BT', `Tarief ${NEXT_YEAR}, Reimerswaal`, '—', '€ 1.234,50 per maand']);
      await axeCheck(page, { label: '/catalogue after saving' });
    } finally {
      await context.close();
    }
  });

  test('a per-hour tariff without a budget ceiling is refused next to the field, keeping the input', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page } = await newPage(browser);
    try {
      await login(page, 'contract_manager');
      await page.locator('#tariff-product').selectOption('BTS');
      await page.locator('#tariff-year').fill(NEXT_YEAR);
      await page.locator('#tariff-variant').selectOption('per_hour');
      await page.locator('#tariff-amount').fill('80,10');
      await submit(page, '/catalogue/tariffs');
      const error = page.locator('#tariff-budget_ceiling-error');
      assert.equal(await error.innerText(), 'Bij bekostiging per uur is een budgetplafond verplicht, bijvoorbeeld 12.000,00.');
      const field = page.locator('#tariff-budget_ceiling');
      assert.equal(await field.getAttribute('aria-invalid'), 'true');
      assert.match(await field.getAttribute('aria-describedby'), /tariff-budget_ceiling-error/);
      assert.equal(await page.locator('#tariff-amount').inputValue(), '80,10', 'the form keeps the input');
      assert.equal(await page.locator('#tariff-variant').inputValue(), 'per_hour');
      assert.equal(await page.getByRole('alert').locator('a[href="#tariff-budget_ceiling"]').count(), 1, 'the summary links to the field');
      await axeCheck(page, { label: '/catalogue with an error' });
      const bts = await rows(page, 'tariffs', 'BTS');
      assert.ok(!bts.some((r) => r[3].startsWith('€ 80,10')), 'nothing was saved');
    } finally {
      await context.close();
    }
  });

  test('a product with a bad code and category is refused next to the fields', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page } = await newPage(browser);
    try {
      await login(page, 'contract_manager');
      await page.getByRole('link', { name: 'Product toevoegen' }).click();
      assert.equal(pathOf(page), '/catalogue/products/new');
      await page.locator('#product-code').fill('X-1');
      await page.locator('#product-category').fill('2');
      await page.locator('#product-name').fill('Proef');
      await submit(page, '/catalogue/products');
      assert.equal(await page.locator('#product-code-error').innerText(), 'Vul een productcode in van 1 tot 5 letters of cijfers, bijvoorbeeld WVL.');
      assert.equal(await page.locator('#product-category-error').innerText(), 'Vul de iWmo-categorie in als 2 cijfers, bijvoorbeeld 02.');
      assert.equal(await page.locator('#product-name').inputValue(), 'Proef', 'the form keeps the input');
      await axeCheck(page, { label: '/catalogue/products/new with errors' });
    } finally {
      await context.close();
    }
  });

  test('works at 320 px without horizontal scrolling', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 320, height: 640 } });
    try {
      await login(page, 'contract_manager');
      assert.ok((await scrollWidth(page)) <= 320, `scroll width ${await scrollWidth(page)} at 320 px`);
      await page.locator('#abolish-valid_from').scrollIntoViewIfNeeded();
      assert.ok(await page.locator('#abolish-valid_from').isVisible());
    } finally {
      await context.close();
    }
  });

  test('a consultant reads the catalogue without forms', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page } = await newPage(browser);
    try {
      await login(page, 'consultant');
      await page.goto('/catalogue');
      assert.equal((await page.locator('h1').innerText()).trim(), 'Catalogus en tarieven');
      assert.equal(await page.locator('form[action^="/catalogue"]').count(), 0, 'no forms for a consultant');
      const wvl = await rows(page, 'tariffs', 'WVL');
      assert.ok(wvl.some((r) => r[1] === 'Hele regio' && r[3] === '€ 705,69'), JSON.stringify(wvl.slice(0, 3)));
      await axeCheck(page, { label: '/catalogue (consultant)' });
    } finally {
      await context.close();
    }
  });

  test('a long page: "Op deze pagina" at the top, every link lands, each product leads back (issue 14)', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 360, height: 740 } });
    try {
      await login(page, 'contract_manager');
      await page.goto('/catalogue');
      const nav = page.getByRole('navigation', { name: 'Op deze pagina' });
      const navTop = (await nav.boundingBox()).y;
      assert.ok(navTop < (await page.locator('section').first().boundingBox()).y, 'before the first section');
      const targets = await nav.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      assert.ok(targets.length >= 5, `${targets}`);
      for (const href of targets) {
        assert.match(href, /^#/);
        assert.equal(await page.locator(href).count(), 1, `${href} exists`);
      }
      const products = await page.locator('section.waakvlam-catalogue-product').count();
      assert.equal(await page.locator('section.waakvlam-catalogue-product a[href="#contents-heading"]').count(), products, 'each product leads back');
      await page.locator('section.waakvlam-catalogue-product a[href="#contents-heading"]').last().click();
      assert.ok(Math.abs((await page.locator('#contents-heading').boundingBox()).y) < 50, 'back at the list');
      await axeCheck(page, { label: '/catalogue at 360 px', tags: AXE_TAGS_22 });
    } finally {
      await context.close();
    }
  });
});
