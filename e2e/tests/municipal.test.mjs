// The municipality workspace (issue 4): a scale-up approved end to end and read back on the pathway,
// a waakvlam extended, a form with a missing scale-down moment refused, and zero axe violations on the
// worklist and the indication pages. Changes demo data; holds on a fresh demo database in any order.
// SPDX-License-Identifier: EUPL-1.2
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TEST_TIMEOUT, axeCheck, isoDay, launchBrowser, login, newPage, nlDate, pathOf } from '../lib.mjs';

/** dd-mm-yyyy as the pages show dates. */
describe('municipality workspace', { timeout: TEST_TIMEOUT * 6 }, () => {
  let browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  test('a scale-up is approved end to end and the pathway shows two linked indications', { timeout: TEST_TIMEOUT }, async () => {
    const reason = `Terugval na ontslag (${Date.now()})`;
    const start = isoDay(14);
    const scaleDown = isoDay(196);
    let name;
    const pro = await newPage(browser);
    try {
      await login(pro.page, 'professional');
      // A Goes resident on waakvlam, not one another test uses.
      await pro.page.goto('/caseload?product=WVL&municipality=0664');
      const links = await pro.page.locator('table.waakvlam-caseload tbody tr th a').evaluateAll((as) =>
        as.map((a) => ({ name: a.innerText.trim(), href: a.getAttribute('href') })),
      );
      const pick = links.find((l) => l.name !== 'Dam, K. van' && l.name !== 'Berg, F. de');
      assert.ok(pick, `a waakvlam resident in Goes: ${JSON.stringify(links)}`);
      name = pick.name;
      await pro.page.goto(pick.href);
      await pro.page.getByLabel('Richting').selectOption('up');
      await pro.page.getByLabel('Naar product').selectOption('BT');
      await pro.page.getByLabel('Gewenste startdatum').fill(start);
      await pro.page.getByLabel('Reden').fill(reason);
      await pro.page.getByRole('button', { name: 'Verzoek versturen' }).click();
      assert.match(await pro.page.getByRole('status').first().innerText(), /Verzoek verstuurd naar de gemeente/);
    } finally {
      await pro.context.close();
    }

    const c = await newPage(browser);
    try {
      await login(c.page, 'consultant');
      const row = c.page.locator('tr', { hasText: reason });
      await row.getByRole('link', { name: /Beoordelen/ }).click();
      await c.page.getByLabel('Startdatum').fill(start);
      await c.page.getByLabel('Gepland afschaalmoment').fill(scaleDown);
      await c.page.getByRole('button', { name: 'Toekennen' }).click();
      assert.equal(pathOf(c.page), '/worklist');

      // Find the resident and read the pathway.
      await c.page.getByRole('link', { name: 'Inwoners' }).click();
      await c.page.getByLabel('Zoek op naam').fill(name.split(',')[0]);
      await c.page.getByRole('button', { name: 'Zoeken' }).click();
      await axeCheck(c.page, { label: '/residents' });
      await c.page.getByRole('link', { name, exact: true }).first().click();
      assert.match(pathOf(c.page), /^\/residents\/\d+$/);
      await axeCheck(c.page, { label: 'the pathway page' });
      const steps = await c.page.locator('.waakvlam-pathway__step').evaluateAll((lis) =>
        lis.map((li) => ({ id: li.dataset.indication, text: li.innerText })),
      );
      const bt = steps.findLastIndex((s) => /^BT —/.test(s.text));
      assert.ok(bt > 0, `the BT step follows another: ${JSON.stringify(steps)}`);
      const [old, successor] = [steps[bt - 1], steps[bt]];
      assert.match(old.text, /^WVL —/);
      assert.match(old.text, new RegExp(`t/m ${nlDate(isoDay(13))}`), 'the old indication ends the day before');
      assert.match(old.text, new RegExp(reason.replace(/[()]/g, '\\$&')), 'the request sits between the two');
      assert.match(old.text, /toegekend/);
      assert.match(successor.text, new RegExp(`^BT — .*\\n?.*${nlDate(start)} t/m`, 's'));
      assert.match(successor.text, new RegExp(`Volgt op #${old.id}`), 'linked to its predecessor');

      // The successor's page: details, cost and history, accessible.
      await c.page.locator(`[data-indication="${successor.id}"] h3 a`).click();
      assert.equal(pathOf(c.page), `/indications/${successor.id}`);
      assert.match(await c.page.locator('.waakvlam-facts').innerText(), new RegExp(nlDate(scaleDown)));
      await axeCheck(c.page, { label: '/indications/{id}' });
    } finally {
      await c.context.close();
    }
  });

  test('a waakvlam ending within 60 days is extended with a reason', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page } = await newPage(browser);
    try {
      await login(page, 'consultant');
      const ending = page.locator('#ending tbody tr').first();
      const endText = await ending.locator('td').first().innerText();
      // Within the year a waakvlam may last, whatever day the tests run on.
      const newEnd = isoDay(120);
      await ending.getByRole('link', { name: /Verlengen of beëindigen/ }).click();
      assert.match(pathOf(page), /^\/indications\/\d+$/);
      // Without a reason the browser does not send it (the server refuses it too: see the HTTP tests).
      await page.getByLabel('Nieuwe einddatum').fill(newEnd);
      await page.getByRole('button', { name: 'Verlengen' }).click();
      assert.equal(await page.getByLabel('Waarom verlengt u?').evaluate((el) => el.validity.valueMissing), true);
      assert.equal(await page.getByRole('status').count(), 0, 'nothing was saved');
      await axeCheck(page, { label: '/indications/{id} (waakvlam)' });
      await page.getByLabel('Nieuwe einddatum').fill(newEnd);
      await page.getByLabel('Waarom verlengt u?').fill('Nog kwetsbaar; het netwerk is klein.');
      await page.getByRole('button', { name: 'Verlengen' }).click();
      assert.match(await page.getByRole('status').first().innerText(), /De indicatie is verlengd/);
      const facts = await page.locator('.waakvlam-facts').innerText();
      assert.match(facts, new RegExp(nlDate(newEnd)));
      const extensions = await page.locator('#extensions').innerText();
      assert.match(extensions, new RegExp(`verlengd van ${endText} tot ${nlDate(newEnd)}: Nog kwetsbaar`));
      assert.match(await page.locator('#history-heading + * , table').last().innerText(), new RegExp(`Einddatum: .* → ${newEnd}`));
      // It leaves the ending list.
      await page.goto('/worklist');
      assert.equal(await page.locator('#ending tbody tr', { hasText: endText }).count(), 0);
    } finally {
      await context.close();
    }
  });

  test('a new BT without a scale-down moment is refused with a clear message', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page } = await newPage(browser);
    try {
      await login(page, 'consultant');
      await page.goto('/residents?q=Dam');
      await page.getByRole('link', { name: 'Dam, K. van' }).click();
      await page.getByRole('link', { name: 'Nieuwe indicatie' }).click();
      await axeCheck(page, { label: 'new indication form' });
      await page.getByLabel('Product').selectOption('BT');
      // Each provider is listed with the products it is contracted for.
      const provider = page.getByLabel('Aanbieder');
      const zzc = await provider.locator('option', { hasText: 'Zeeuwse Zorgcoöperatie' }).first().getAttribute('value');
      await provider.selectOption(zzc);
      await page.getByLabel('Startdatum').fill(isoDay(34));
      await page.getByLabel('Einddatum').fill(isoDay(395));
      await page.getByLabel('Afgesproken resultaat').fill('Weer grip op geldzaken');
      await page.getByRole('button', { name: 'Opslaan' }).click();
      const alert = await page.getByRole('alert').innerText();
      assert.match(alert, /Gepland afschaalmoment: verplicht bij individuele en intensieve begeleiding/);
      const field = page.getByLabel('Gepland afschaalmoment');
      assert.equal(await field.getAttribute('aria-invalid'), 'true');
      assert.equal(await page.getByLabel('Afgesproken resultaat').inputValue(), 'Weer grip op geldzaken', 'input is kept');
      await axeCheck(page, { label: 'new indication form with an error' });
      // The link in the error summary takes keyboard users to the field.
      await page.getByRole('link', { name: /Gepland afschaalmoment: verplicht/ }).click();
      await field.fill(isoDay(215));
      await page.getByRole('button', { name: 'Opslaan' }).click();
      assert.match(pathOf(page), /^\/indications\/\d+$/);
      assert.match(await page.getByRole('status').first().innerText(), /De indicatie is aangemaakt/);
    } finally {
      await context.close();
    }
  });

  test('the worklist asks a provider to plan a scale-down in one click', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page } = await newPage(browser);
    try {
      await login(page, 'consultant');
      await axeCheck(page, { label: '/worklist' });
      const row = page.locator('#inventory-heading ~ div tbody tr', { has: page.getByRole('button', { name: /Vraag aanbieder te plannen/ }) }).first();
      const who = await row.locator('th').innerText();
      await row.getByRole('button', { name: /Vraag aanbieder te plannen/ }).click();
      assert.match(await page.getByRole('status').first().innerText(), /De aanbieder is gevraagd het afschalen te plannen/);
      const done = page.locator('#inventory-heading ~ div tbody tr', { hasText: who }).first();
      assert.match(await done.innerText(), /Gevraagd op/);
    } finally {
      await context.close();
    }
  });
});
