// The caseload as professionals need it (issue 14): it explains its order (a legend above the list, and per
// resident the signal that put them at their place, in words), flags what a resident did that the professional has
// not seen yet ("Nieuw bericht", "Nieuwe hulpvraag"), in text, until they look, and on a 360 × 740 phone it is a
// list of cards without horizontal scrolling. Zero axe violations at both widths.
// Changes demo data only by adding a message and a plan note of the demo resident (Kees van Dam).
// SPDX-License-Identifier: EUPL-1.2
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TEST_TIMEOUT, axeCheck, launchBrowser, login, newPage, scrollWidth } from '../lib.mjs';

/** The caseload's rows as the reader sees them. */
async function rows(page) {
  return page.locator('table.waakvlam-caseload tbody tr').evaluateAll((trs) =>
    trs.map((tr) => ({
      rank: tr.querySelector('.waakvlam-rank')?.innerText.trim() ?? '',
      name: tr.querySelector('th a')?.innerText.trim() ?? '',
      href: tr.querySelector('th a')?.getAttribute('href') ?? '',
      why: tr.querySelector('.waakvlam-why')?.innerText.trim() ?? '',
      reasons: [...tr.querySelectorAll('.waakvlam-reasons li')].map((li) => li.innerText.trim()),
      flags: [...tr.querySelectorAll('.waakvlam-flags li')].map((li) => li.innerText.trim()),
    })),
  );
}

describe('caseload: order explained, new activity flagged, cards on a phone', { timeout: TEST_TIMEOUT * 4 }, () => {
  let browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  test('a legend says the order and each resident says why they stand where they do', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page } = await newPage(browser);
    try {
      await login(page, 'professional');
      const legend = page.locator('#caseload-order');
      assert.ok(await legend.isVisible(), 'the order is explained above the list');
      const text = await legend.innerText();
      assert.match(text, /^Volgorde: bovenaan staat wie nu de meeste aandacht nodig heeft/);
      // The heaviest signal first, in the engine's order.
      const order = ['Hulpvraag open', 'Welbevinden daalt', 'Nog geen contact', 'Contact te lang geleden', 'Check-in gemist', 'Indicatie loopt af', 'Afschaalmoment bereikt'];
      const at = order.map((label) => text.indexOf(label));
      assert.ok(at.every((i, k) => i > 0 && (k === 0 || i > at[k - 1])), `${text}`);
      assert.equal(await page.locator('table.waakvlam-caseload').getAttribute('aria-describedby'), 'caseload-order');

      const list = await rows(page);
      assert.ok(list.length > 3, 'the demo caseload has residents');
      list.forEach((r, i) => assert.equal(r.rank, `${i + 1}.`, `numbered in order: ${JSON.stringify(r)}`));
      const why = /^(Bel niet opgepakt \(.+\)|Welbevinden daalt \(.+\)|Nog geen contact sinds de start op \d+ \w+( \d{4})?|Geen contact sinds \d+ \w+( \d{4})?|(Nog )?[Gg]een check-in sinds( de start op)? \d+ \w+( \d{4})?|Indicatie loopt af op \d+ \w+( \d{4})?|Afschaalmoment (is vandaag|voorbij sinds \d+ \w+( \d{4})?)|Geen signalen: op naam)$/;
      for (const r of list) {
        assert.match(r.why, why, `${r.name}: why at this place, in words with its date`);
      }
      // Residents without a signal come last, by name.
      const quiet = list.findIndex((r) => r.why === 'Geen signalen: op naam');
      if (quiet !== -1) {
        const rest = list.slice(quiet);
        assert.ok(rest.every((r) => r.why === 'Geen signalen: op naam'), JSON.stringify(rest.map((r) => r.why)));
        const names = rest.map((r) => r.name.toLowerCase());
        assert.deepEqual(names, [...names].sort((a, b) => a.localeCompare(b)));
      }
      // A resident with a signal shows its full sentence too.
      assert.ok(list.filter((r) => r.why !== 'Geen signalen: op naam').every((r) => r.reasons.length > 0));
      await axeCheck(page, { label: '/caseload with its order explained' });
    } finally {
      await context.close();
    }
  });

  test('a resident\'s message and request for help are flagged until the professional looks', { timeout: TEST_TIMEOUT }, async () => {
    const pro = await newPage(browser);
    try {
      // Seen: no flag to start with.
      await login(pro.page, 'professional');
      let kees = (await rows(pro.page)).find((r) => r.name === 'Dam, K. van');
      assert.ok(kees, 'the demo resident is on the caseload');
      await pro.page.goto(kees.href);
      await pro.page.goto('/caseload');
      kees = (await rows(pro.page)).find((r) => r.name === 'Dam, K. van');
      assert.deepEqual(kees.flags.filter((f) => f.startsWith('Nieuw')), [], 'nothing new after looking');

      const resident = await newPage(browser);
      try {
        await login(resident.page, 'resident');
        await resident.page.goto('/me/messages');
        await resident.page.getByLabel('Jouw bericht').fill('Kun je mij bellen over de huur?');
        await resident.page.getByRole('button', { name: 'Versturen' }).click();
        assert.match(await resident.page.getByRole('status').innerText(), /Je bericht is verstuurd/);
        await resident.page.goto('/me/plan');
        await resident.page.getByLabel('Hier wil ik hulp bij').check();
        await resident.page.getByLabel('Wat wil je vertellen?').fill('De huurtoeslag.');
        await resident.page.getByRole('button', { name: 'Opslaan' }).click();
        assert.match(await resident.page.getByRole('status').innerText(), /Opgeslagen/);
      } finally {
        await resident.context.close();
      }

      await pro.page.goto('/caseload');
      kees = (await rows(pro.page)).find((r) => r.name === 'Dam, K. van');
      assert.ok(kees.flags.includes('Nieuw bericht'), JSON.stringify(kees));
      assert.ok(kees.flags.includes('Nieuwe hulpvraag'), JSON.stringify(kees));
      // In words, in a list named for what it is, not colour alone.
      assert.equal(await pro.page.locator('table.waakvlam-caseload tbody tr', { has: pro.page.locator(`a[href="${kees.href}"]`) })
        .locator('.waakvlam-flags').getAttribute('aria-label'), 'Nieuw van de inwoner');
      await axeCheck(pro.page, { label: '/caseload with new activity' });

      // Looking at the resident's page clears them.
      await pro.page.goto(kees.href);
      await pro.page.goto('/caseload');
      kees = (await rows(pro.page)).find((r) => r.name === 'Dam, K. van');
      assert.ok(!kees.flags.includes('Nieuw bericht') && !kees.flags.includes('Nieuwe hulpvraag'), JSON.stringify(kees));
    } finally {
      await pro.context.close();
    }
  });

  test('at 360 × 740 the caseload is a list of cards without horizontal scrolling', { timeout: TEST_TIMEOUT }, async () => {
    for (const role of ['professional', 'team_lead']) {
      const { context, page } = await newPage(browser, { viewport: { width: 360, height: 740 } });
      try {
        await login(page, role);
        await page.goto('/caseload');
        assert.ok(await scrollWidth(page) <= 360, `${role}: no horizontal scroll (${await scrollWidth(page)} px)`);
        const cards = await page.locator('table.waakvlam-caseload tbody tr').evaluateAll((trs) => trs.map((tr) => {
          const box = tr.getBoundingClientRect();
          const cells = [...tr.querySelectorAll('td')].filter((td) => getComputedStyle(td).display !== 'none');
          return {
            display: getComputedStyle(tr).display,
            left: box.left,
            right: box.right,
            top: box.top,
            bottom: box.bottom,
            border: getComputedStyle(tr).borderTopStyle,
            labels: cells.map((td) => getComputedStyle(td, '::before').content),
            // Everything of the resident inside their card (no text running over the next one).
            inside: [...tr.children].every((cell) => {
              const c = cell.getBoundingClientRect();
              return c.height === 0 || (c.top >= box.top - 1 && c.bottom <= box.bottom + 1);
            }),
          };
        }));
        assert.ok(cards.length > 1, `${role}: residents on the caseload`);
        for (const [i, c] of cards.entries()) {
          assert.equal(c.display, 'block', `${role}: each resident is a card`);
          assert.notEqual(c.border, 'none', `${role}: a card has a border`);
          assert.ok(c.left >= 0 && c.right <= 360, `${role}: card ${i} fits the screen: ${JSON.stringify(c)}`);
          assert.ok(c.right - c.left > 300, `${role}: card ${i} takes the width`);
          assert.ok(c.inside, `${role}: card ${i} holds all its text`);
          assert.ok(c.labels.every((l) => /^".+: "$/.test(l)), `${role}: each value says its column: ${c.labels}`);
          if (i > 0) assert.ok(c.top >= cards[i - 1].bottom, `${role}: cards are stacked: ${JSON.stringify([cards[i - 1], c])}`);
        }
        // The column headings are for screen readers only on a phone.
        const head = await page.locator('table.waakvlam-caseload thead').boundingBox();
        assert.ok(!head || head.height <= 1, `${role}: no squeezed header row`);
        await axeCheck(page, { label: `/caseload at 360 px (${role})` });
      } finally {
        await context.close();
      }
    }
  });
});
