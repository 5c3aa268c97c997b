// Plans written together (issue 12): the resident proposes a goal on /me/plan, the professional accepts it
// on the resident page and writes a goal of their own, each change with its history; the plan prints
// without forms. Zero axe violations on every page touched.
//
// Uses the second demo resident (inwoner2@demo.waakvlam.nl, on Sanne de Wit's caseload), like the portal
// tests' mutating steps; the texts carry a unique stamp, so the test holds on a demo that was used before.
// SPDX-License-Identifier: EUPL-1.2
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEMO_PASSWORD, TEST_TIMEOUT, axeCheck, launchBrowser, login, newPage, pathOf, submitLogin } from '../lib.mjs';

const SECOND = 'inwoner2@demo.waakvlam.nl';

describe('plans written together', { timeout: TEST_TIMEOUT * 3 }, () => {
  let browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  test('the resident proposes a goal, the professional accepts it and writes one', { timeout: TEST_TIMEOUT * 2 }, async () => {
    const stamp = Date.now().toString(36);
    const proposal = `Ik wil zelf mijn post openen ${stamp}.`;
    const reworded = `Ik open elke dag zelf mijn post ${stamp}.`;
    const written = `We bellen elke maandag ${stamp}.`;
    let name = '';

    const resident = await newPage(browser);
    try {
      await resident.page.goto('/login');
      await submitLogin(resident.page, SECOND, DEMO_PASSWORD);
      name = (await resident.page.locator('.waakvlam-header__name').innerText()).trim();
      await resident.page.goto('/me/plan');
      await resident.page.getByLabel('Wat wil je bereiken?').fill(proposal);
      await resident.page.getByRole('button', { name: 'Voorstel sturen' }).click();
      assert.equal(pathOf(resident.page), '/me/plan');
      await resident.page.getByRole('status').filter({ hasText: 'Je voorstel is verstuurd.' }).waitFor();
      assert.match(await resident.page.locator('main').innerText(), /Je hulpverlener heeft nog niet gereageerd/);
      await axeCheck(resident.page, { label: '/me/plan with a proposal' });
    } finally {
      await resident.context.close();
    }

    const pro = await newPage(browser);
    try {
      await login(pro.page, 'professional');
      // Find the resident on the caseload by family name, then by the page's heading.
      const family = name.split(' ').at(-1);
      const hrefs = await pro.page
        .locator('table.waakvlam-caseload tbody tr th a')
        .evaluateAll((links, family) => links.filter((a) => a.innerText.startsWith(`${family},`)).map((a) => a.getAttribute('href')), family);
      let found = '';
      for (const href of hrefs) {
        await pro.page.goto(href);
        if ((await pro.page.locator('h1').innerText()).trim() === name) {
          found = href;
          break;
        }
      }
      assert.ok(found, `${name} is on the professional's caseload`);
      const main = pro.page.locator('main');
      assert.match(await main.innerText(), /Afgesproken resultaat/);
      const item = pro.page.locator('.waakvlam-plan-proposals li').filter({ hasText: proposal });
      await item.getByLabel('Als doel, in jullie woorden').fill(reworded);
      await item.getByRole('button', { name: 'Overnemen als doel' }).click();
      await pro.page.getByRole('status').filter({ hasText: 'Het voorstel is een doel geworden.' }).waitFor();

      await pro.page.getByLabel('Soort').selectOption('agreement');
      await pro.page.locator('#plan-text').fill(written);
      await pro.page.getByRole('button', { name: 'Toevoegen' }).click();
      await pro.page.getByRole('status').filter({ hasText: 'Het plan is bijgewerkt.' }).waitFor();
      const goal = pro.page.locator('.waakvlam-plan-item').filter({ hasText: reworded });
      await goal.locator('.waakvlam-plan-history summary').click();
      assert.match(await goal.locator('.waakvlam-plan-history').innerText(), /voorgesteld: “Ik wil zelf mijn post openen/);
      await axeCheck(pro.page, { label: `${found} with the plan` });

      await pro.page.getByRole('link', { name: 'Plan afdrukken' }).click();
      assert.equal(pathOf(pro.page), `${found}/plan/print`);
      const print = await pro.page.locator('main').innerText();
      assert.ok(print.includes(reworded) && print.includes(written), print);
      assert.equal(await pro.page.locator('main form').count(), 0, 'the printed plan has no forms');
      await axeCheck(pro.page, { label: `${found}/plan/print` });
    } finally {
      await pro.context.close();
    }

    const again = await newPage(browser);
    try {
      await again.page.goto('/login');
      await submitLogin(again.page, SECOND, DEMO_PASSWORD);
      await again.page.goto('/me/plan');
      const text = await again.page.locator('main').innerText();
      assert.match(text, /Het is nu een doel in je plan/);
      assert.ok(text.includes(reworded) && text.includes(written), text);
      await again.page.goto('/me/plan/print');
      assert.equal(await again.page.locator('main form').count(), 0);
      await axeCheck(again.page, { label: '/me/plan/print' });
    } finally {
      await again.context.close();
    }
  });
});
