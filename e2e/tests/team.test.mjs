// The team lead's and staff's pages that no other browser test visits: workload (/team), thresholds, hand-over
// (both of its steps), the municipality's scale-down requests, the intake inbox, and the notification list and
// preferences. Each is reached through the navigation or a link where there is one, shows its heading, and
// has zero axe violations.
//
// Read-only: other files share the demo server and its data, so nothing is sent here (the hand-over's first
// step is a GET form). The pages' actions are walked in case.test.mjs and in the HTTP tests.
// SPDX-License-Identifier: EUPL-1.2
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TEST_TIMEOUT, axeCheck, launchBrowser, login, newPage, pathOf } from '../lib.mjs';

describe('team lead and staff pages', { timeout: TEST_TIMEOUT * 3 }, () => {
  let browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  test('the team lead\'s pages: zero axe violations', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page } = await newPage(browser);
    try {
      await login(page, 'team_lead');
      const nav = page.getByRole('navigation').first();
      const visits = [
        { path: '/intake', h1: /^Nieuwe toewijzingen$/ },
        { path: '/team', h1: /^Werkverdeling / },
        { path: '/scale-down-requests', h1: /^Afschaalverzoeken van de gemeente$/ },
        { path: '/iwmo', h1: /^Berichtenverkeer \(iWmo\)$/ },
        { path: '/declarations', h1: /^Declaraties$/ },
        { path: '/notifications', h1: /^Meldingen$/ },
      ];
      for (const v of visits) {
        // Through the navigation when it has the link under that name, else straight to the address.
        const link = nav.locator(`a[href="${v.path}"]`);
        if ((await link.count()) > 0) await link.first().click();
        else await page.goto(v.path);
        assert.equal(pathOf(page), v.path);
        assert.match((await page.locator('h1').innerText()).trim(), v.h1, `${v.path}: heading`);
        await axeCheck(page, { label: `${v.path} (team lead)` });
      }

      await page.goto('/team/thresholds');
      assert.match(await page.locator('h1').innerText(), /Drempels van signalen/);
      await axeCheck(page, { label: '/team/thresholds' });

      await page.goto('/account/notifications');
      assert.match(await page.locator('h1').innerText(), /Meldingen instellen/);
      await axeCheck(page, { label: '/account/notifications (team lead)' });

      // Hand-over, step 1 (whose caseload) and step 2 (which residents, to whom) — a GET form, nothing is saved.
      await page.goto('/team/handover');
      assert.match(await page.locator('h1').innerText(), /^Overdragen$/);
      await axeCheck(page, { label: '/team/handover' });
      const from = page.getByLabel('Van begeleider');
      const first = await from.locator('option').evaluateAll((os) => os.map((o) => o.value).find((v) => v !== ''));
      assert.ok(first, 'there is a professional to hand over from');
      await from.selectOption(first);
      await page.getByRole('button', { name: 'Verder' }).click();
      assert.equal(pathOf(page), '/team/handover');
      assert.equal(await page.getByLabel('Naar begeleider').count(), 1, 'step 2 asks to whom');
      await axeCheck(page, { label: '/team/handover (step 2)' });
    } finally {
      await context.close();
    }
  });

  test('the contract manager follows last month\'s declarations: granted, refused with why, budget by the hour; zero axe violations', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page } = await newPage(browser);
    try {
      await login(page, 'contract_manager');
      await page.getByRole('navigation').first().locator('a[href="/declarations"]').first().click();
      assert.equal(pathOf(page), '/declarations');
      assert.match(await page.locator('h1').innerText(), /^Declaraties$/);
      // The demo declared last month and the municipality answered: rows with amounts, one refused line per
      // declaration with hours, with the municipality's reason (9308).
      const rows = page.locator('table.waakvlam-declarations tbody tr');
      assert.ok((await rows.count()) > 0, 'declarations per provider and municipality');
      assert.match(await rows.first().locator('[data-granted]').innerText(), /^€ [\d.]+,\d\d$/);
      assert.match(await page.locator('table.waakvlam-declarations-refused').innerText(), /9308: Einddatum prestatie ligt niet tussen/);
      await axeCheck(page, { label: '/declarations (contract manager)' });
    } finally {
      await context.close();
    }
  });

  test('notifications and their preferences for the professional and the consultant: zero axe violations', { timeout: TEST_TIMEOUT }, async () => {
    for (const role of ['professional', 'consultant']) {
      const { context, page } = await newPage(browser);
      try {
        await login(page, role);
        await page.getByRole('navigation').first().locator('a[href="/notifications"]').first().click();
        assert.equal(pathOf(page), '/notifications');
        await axeCheck(page, { label: `/notifications (${role})` });
        await page.getByRole('link', { name: 'Kies hoe u meldingen krijgt' }).click();
        assert.equal(pathOf(page), '/account/notifications');
        await axeCheck(page, { label: `/account/notifications (${role})` });
      } finally {
        await context.close();
      }
    }
  });
});
