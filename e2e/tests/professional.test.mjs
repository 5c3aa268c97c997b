// The professional's workspace (issue 3): the caseload ranked by need of attention, the resident page,
// logging a contact, the resident's bell, and a scale-up request reaching the municipality.
// These tests change the demo data; they are written to hold in any order and on a fresh demo database.
// SPDX-License-Identifier: EUPL-1.2
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TEST_TIMEOUT, axeCheck, isoDay, launchBrowser, login, newPage, pathOf } from '../lib.mjs';

/** The caseload's rows as { name, reasons, href }. */
async function caseloadRows(page) {
  return page.locator('table.waakvlam-caseload tbody tr').evaluateAll((rows) =>
    rows.map((row) => ({
      name: row.querySelector('th a')?.innerText.trim() ?? '',
      href: row.querySelector('th a')?.getAttribute('href') ?? '',
      reasons: [...row.querySelectorAll('.waakvlam-reasons li')].map((li) => li.innerText.trim()),
    })),
  );
}

describe('professional workspace', { timeout: TEST_TIMEOUT * 6 }, () => {
  let browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  test('a bell rung by the resident appears at the top of the caseload with its reason', { timeout: TEST_TIMEOUT }, async () => {
    const resident = await newPage(browser);
    try {
      await login(resident.page, 'resident');
      await resident.page.getByRole('link', { name: 'Ik wil hulp' }).click();
      assert.equal(pathOf(resident.page), '/me/help');
      await resident.page.getByLabel('Wil je iets vertellen?').fill('Het gaat niet goed vandaag.');
      await resident.page.getByRole('button', { name: 'Ja, ik wil hulp' }).click();
      assert.equal(pathOf(resident.page), '/me');
      const status = resident.page.getByRole('status').filter({ hasText: 'We hebben je vraag gekregen.' });
      assert.match(await status.innerText(), /Sanne de Wit belt je uiterlijk/);
    } finally {
      await resident.context.close();
    }

    const pro = await newPage(browser);
    try {
      await login(pro.page, 'professional');
      const rows = await caseloadRows(pro.page);
      const withBell = rows.findIndex((r) => !r.reasons.some((x) => x.startsWith('Belde om hulp') || x.startsWith('Belde ')));
      const bellRows = withBell === -1 ? rows : rows.slice(0, withBell);
      const kees = rows.find((r) => r.name === 'Dam, K. van');
      assert.ok(kees, 'the demo resident is on the caseload');
      assert.ok(bellRows.includes(kees), `residents with an open bell come first; got ${JSON.stringify(rows.slice(0, 4))}`);
      assert.ok(
        kees.reasons.some((r) => /^Belde om hulp .* geleden, nog niet opgepakt$/.test(r)),
        `the reason is said in plain words: ${JSON.stringify(kees.reasons)}`,
      );
      assert.ok(rows.slice(withBell === -1 ? rows.length : withBell).every((r) => !r.reasons.some((x) => x.startsWith('Belde'))));
      await axeCheck(pro.page, { label: '/caseload' });

      // The resident page shows the bell; picking it up takes it off the top.
      await pro.page.goto(kees.href);
      await axeCheck(pro.page, { label: kees.href });
      await pro.page.getByRole('button', { name: 'Oppakken' }).click();
      assert.match(await pro.page.getByRole('status').first().innerText(), /Hulpvraag bijgewerkt/);
      await pro.page.getByLabel('Wat is er gedaan?').fill('Gebeld, morgen huisbezoek.');
      await pro.page.getByRole('button', { name: 'Afronden' }).click();
      await pro.page.goto('/caseload');
      const after = (await caseloadRows(pro.page)).find((r) => r.name === 'Dam, K. van');
      assert.ok(!after.reasons.some((r) => r.startsWith('Belde')), `after picking it up: ${JSON.stringify(after.reasons)}`);
    } finally {
      await pro.context.close();
    }
  });

  test('logging a contact removes the "overdue" signal', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page } = await newPage(browser);
    try {
      await login(page, 'professional');
      await page.goto('/caseload?signal=contact_overdue');
      const overdue = await caseloadRows(page);
      assert.ok(overdue.length > 0, 'the demo caseload has a resident whose contact is overdue');
      const target = overdue[0];
      assert.ok(target.reasons.some((r) => r.startsWith('Laatste contact')), JSON.stringify(target.reasons));

      await page.goto(target.href);
      await page.getByLabel('Hoe').selectOption('phone');
      await page.getByLabel('Welbevinden 1–5 (niet verplicht)').fill('4');
      await page.getByLabel('Notitie (niet verplicht)').fill('Even gebeld, gaat goed.');
      await page.getByRole('button', { name: 'Contact opslaan' }).click();
      assert.match(await page.getByRole('status').first().innerText(), /Contact vastgelegd/);
      // With JavaScript htmx updated the page in place: no navigation happened.
      assert.equal(new URL(page.url()).search, '', 'saved in place');
      // The focus is on the updated part (the notice of what was saved), not on <body>.
      await page.waitForFunction(() => document.activeElement?.id === 'notice');
      const timeline = await page.locator('.waakvlam-timeline li').first().innerText();
      assert.match(timeline, /Contact \(Telefoon\)/);

      await page.goto('/caseload');
      const row = (await caseloadRows(page)).find((r) => r.name === target.name);
      assert.ok(row, 'still on the caseload');
      assert.ok(!row.reasons.some((r) => r.startsWith('Laatste contact')), `overdue is gone: ${JSON.stringify(row.reasons)}`);
    } finally {
      await context.close();
    }
  });

  test('without JavaScript, logging a contact works as a plain form', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page } = await newPage(browser, { javaScriptEnabled: false });
    try {
      await login(page, 'professional');
      const first = (await caseloadRows(page))[0];
      await page.goto(first.href);
      await page.getByLabel('Notitie (niet verplicht)').fill('Zonder JavaScript vastgelegd.');
      await page.getByRole('button', { name: 'Contact opslaan' }).click();
      assert.equal(new URL(page.url()).searchParams.get('done'), 'contact', 'a normal post, redirect and get');
      // (A scheduled successor indication can sit above it, dated in the future.)
      assert.equal(await page.locator('.waakvlam-timeline li', { hasText: 'Zonder JavaScript vastgelegd' }).count(), 1);
      // A wellbeing outside 1–5 is refused by the server, in Dutch at its field (the form is novalidate, so the
      // browser's own bubble does not hide it), with the focus on the summary.
      const wellbeing = page.getByLabel('Welbevinden 1–5 (niet verplicht)');
      await wellbeing.fill('9');
      await page.getByRole('button', { name: 'Contact opslaan' }).click();
      assert.equal(new URL(page.url()).pathname, `${new URL(first.href, page.url()).pathname}/contacts`, 'a plain post');
      assert.equal(await wellbeing.getAttribute('aria-invalid'), 'true');
      assert.equal(await page.locator('#contact-wellbeing-error').innerText(), 'Kies een welbevinden van 1 tot en met 5.');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'contact-error-summary');
    } finally {
      await context.close();
    }
  });

  test('a scale-up request appears in the consultant\'s worklist', { timeout: TEST_TIMEOUT }, async () => {
    const pro = await newPage(browser);
    const reason = `Terugval: schulden lopen op (${Date.now()})`;
    try {
      await login(pro.page, 'professional');
      const kees = (await caseloadRows(pro.page)).find((r) => r.name === 'Dam, K. van');
      await pro.page.goto(kees.href);
      await pro.page.getByLabel('Richting').selectOption('up');
      await pro.page.getByLabel('Naar product').selectOption('BT');
      await pro.page.getByLabel('Spoed').selectOption('urgent');
      await pro.page.getByLabel('Reden').fill(reason);
      await pro.page.getByRole('button', { name: 'Verzoek versturen' }).click();
      assert.match(await pro.page.getByRole('status').first().innerText(), /Verzoek verstuurd naar de gemeente/);
      assert.match(await pro.page.locator('.waakvlam-client-now').innerText(), /Opschalen naar BT/);
    } finally {
      await pro.context.close();
    }

    const consultant = await newPage(browser);
    try {
      await login(consultant.page, 'consultant');
      const row = consultant.page.locator('tr', { hasText: reason });
      assert.equal(await row.count(), 1, 'the request is on the worklist');
      const text = await row.innerText();
      assert.match(text, /Dam, K\. van/);
      assert.match(text, /Opschalen → BT/);
      assert.match(text, /Spoed/);
      await axeCheck(consultant.page, { label: '/worklist' });

      // Approved end to end: the old indication ends the day before the new one starts.
      await row.getByRole('link', { name: /Beoordelen/ }).click();
      assert.match(pathOf(consultant.page), /^\/worklist\/requests\/\d+$/);
      await axeCheck(consultant.page, { label: 'the decision page' });
      await consultant.page.getByLabel('Startdatum').fill(isoDay(0));
      await consultant.page.getByLabel('Gepland afschaalmoment').fill(isoDay(182));
      await consultant.page.getByRole('button', { name: 'Toekennen' }).click();
      assert.equal(pathOf(consultant.page), '/worklist');
      assert.match(await consultant.page.getByRole('status').first().innerText(), /toegekend/);
      assert.equal(await consultant.page.locator('tr', { hasText: reason }).count(), 0, 'decided requests leave the worklist');
    } finally {
      await consultant.context.close();
    }

    const again = await newPage(browser);
    try {
      await login(again.page, 'professional');
      const kees = (await caseloadRows(again.page)).find((r) => r.name === 'Dam, K. van');
      await again.page.goto(kees.href);
      const timeline = await again.page.locator('.waakvlam-timeline').innerText();
      assert.match(timeline, /Verzoek Opschalen: toegekend/);
      assert.match(timeline, /Indicatie BT gestart/);
    } finally {
      await again.context.close();
    }
  });
  test('the team lead gives a new allocation from "Nieuwe toewijzingen" to a professional', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page } = await newPage(browser);
    try {
      await login(page, 'team_lead');
      await page.getByRole('link', { name: 'Nieuwe toewijzingen' }).first().click();
      assert.equal(pathOf(page), '/intake');
      await axeCheck(page, { label: '/intake' });
      const cards = page.locator('[data-allocation]');
      const waiting = await cards.count();
      assert.ok(waiting >= 1, 'the demo has new allocations waiting');
      const first = cards.first();
      const name = (await first.locator('h2').innerText()).trim();
      // Nothing chosen yet: the error is at the field.
      await first.getByRole('button', { name: 'Toewijzen' }).click();
      assert.match(await page.getByRole('alert').first().innerText(), /Kies een begeleider/);
      await axeCheck(page, { label: '/intake refused' });
      const again = page.locator('[data-allocation]').first();
      const select = again.getByLabel(`Begeleider voor ${name}`);
      const options = await select.locator('option').allInnerTexts();
      assert.equal(options[0], 'Kies een begeleider', 'the choice starts empty');
      assert.match(options[1], /\(.+\) — \d+ inwoners/, 'each professional with their caseload size');
      await select.selectOption({ index: 1 });
      await again.getByRole('button', { name: 'Toewijzen' }).click();
      assert.equal(pathOf(page), '/intake');
      assert.match(await page.getByRole('status').innerText(), new RegExp(`${name} staat nu op de caseload`));
      assert.equal(await page.locator('[data-allocation]').count(), waiting - 1);
    } finally {
      await context.close();
    }
  });
  test('the team lead sees the workload and hands a resident over with a note', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page } = await newPage(browser);
    try {
      await login(page, 'team_lead');
      await page.getByRole('link', { name: 'Team', exact: true }).first().click();
      assert.equal(pathOf(page), '/team');
      await axeCheck(page, { label: '/team' });
      // Someone other than the demo professional, whose caseload other tests use.
      const cards = page.locator('[data-professional]');
      const count = await cards.count();
      assert.ok(count >= 2, 'the demo team has several professionals');
      let link = null;
      for (let i = 0; i < count; i += 1) {
        const card = cards.nth(i);
        const name = (await card.locator('h2').innerText()).trim();
        const handover = card.getByRole('link', { name: /overdragen$/ });
        if (!name.startsWith('Sanne de Wit') && (await handover.count()) === 1) {
          link = handover;
          break;
        }
      }
      assert.ok(link, 'a professional with residents to hand over');
      await link.click();
      assert.equal(pathOf(page), '/team/handover');
      await axeCheck(page, { label: '/team/handover' });
      const residents = page.getByLabel('Welke inwoners');
      await residents.selectOption({ index: 1 });
      const resident = (await residents.locator('option:checked').innerText()).trim();
      await page.getByLabel('Overdracht', { exact: true }).fill('Belt graag op dinsdag.');
      // Nobody chosen to take over: the error is at the field, and what was typed stays.
      await page.getByRole('button', { name: 'Draag over' }).click();
      assert.match(await page.getByRole('alert').first().innerText(), /Kies aan welke begeleider u overdraagt/);
      assert.equal(await page.getByLabel('Naar begeleider').getAttribute('aria-invalid'), 'true');
      assert.equal(await page.getByLabel('Overdracht', { exact: true }).inputValue(), 'Belt graag op dinsdag.');
      await axeCheck(page, { label: '/team/handover refused' });
      const to = page.getByLabel('Naar begeleider');
      await to.selectOption({ index: 1 });
      const toName = (await to.locator('option:checked').innerText()).split(' (')[0].trim();
      await page.getByRole('button', { name: 'Draag over' }).click();
      assert.equal(pathOf(page), '/team');
      assert.match(await page.getByRole('status').innerText(), new RegExp(`overgedragen aan ${toName}`));
      assert.ok(resident.length > 0);
    } finally {
      await context.close();
    }
  });
});
