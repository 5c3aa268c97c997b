// The resident portal (issue 5): check in, ring the bell, my plan, messages, who sees my plan, who looked
// at my data, choose my helper, and logging in with an activation code. Plus the quality bar for residents:
// zero axe violations, no jargon, touch targets of at least 44 px, no horizontal scroll at 320 px and at 200 %
// zoom, keyboard only, and everything without JavaScript. Screenshots at phone width: docs/screenshots/portal-*.png.
//
// Mutating tests use the second demo resident (inwoner2@demo.waakvlam.nl, on Sanne de Wit's caseload);
// Kees van Dam (resident@demo.waakvlam.nl) is only read, since professional.test.mjs relies on him.
// SPDX-License-Identifier: EUPL-1.2
import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import {
  DEMO_PASSWORD,
  TEST_TIMEOUT,
  axeCheck,
  focused,
  hasFocusIndicator,
  launchBrowser,
  login,
  logout,
  newPage,
  pathOf,
  saveScreenshot,
  scrollWidth,
  submitLogin,
} from '../lib.mjs';

const SECOND = 'inwoner2@demo.waakvlam.nl';
const TRUSTED = 'trusted_person@demo.waakvlam.nl';
const RESIDENT_PAGES = ['/me', '/me/help', '/me/plan', '/me/messages', '/me/sharing', '/me/log', '/me/helper'];
/** Words residents should never meet: jargon of the trade (checked case-insensitively, as whole words or stems). */
const BANNED = [/indicatie/i, /\bwmo\b/i, /escalat/i, /consulent/i, /caseload/i, /beschikking/i, /signaal/i, /zorgaanbieder/i, /\btraject/i, /\bBSN\b/, /\bAGB\b/];

async function loginAs(page, email, password = DEMO_PASSWORD) {
  await page.goto('/login');
  await submitLogin(page, email, password);
}

/** The text a resident reads on the page (main, header, navigation, footer). */
async function visibleText(page) {
  return page.evaluate(() => document.body.innerText);
}

/** Interactive elements smaller than 44×44 CSS px (a radio or checkbox counts by its label). */
async function smallTargets(page) {
  return page.evaluate(() => {
    const out = [];
    for (const el of document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')) {
      if (el.closest('.waakvlam-skip-link') || el.classList.contains('waakvlam-skip-link')) continue;
      const style = getComputedStyle(el);
      if (style.display === 'none' || style.visibility === 'hidden') continue;
      const target = (el.type === 'radio' || el.type === 'checkbox') && el.closest('label') ? el.closest('label') : el;
      const r = target.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (r.width < 44 - 0.5 || r.height < 44 - 0.5) {
        out.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} "${(el.innerText || el.value || el.name || '').trim().slice(0, 30)}" ${Math.round(r.width)}×${Math.round(r.height)}`);
      }
    }
    return out;
  });
}

/** The caseload rows of the logged-in professional as { name, href, reasons }. */
async function caseloadRows(page) {
  await page.goto('/caseload');
  return page.locator('table.waakvlam-caseload tbody tr').evaluateAll((rows) =>
    rows.map((row) => ({
      name: row.querySelector('th')?.innerText.trim() ?? '',
      href: row.querySelector('th a')?.getAttribute('href') ?? '',
      reasons: [...row.querySelectorAll('.waakvlam-reasons li')].map((li) => li.innerText.trim()),
    })),
  );
}

describe('resident portal', { timeout: TEST_TIMEOUT * 14 }, () => {
  let browser;
  let secondName = '';
  let secondHref = '';
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  /** Find the second resident's page on Sanne's caseload (by family name, then by the page's heading). */
  async function secondResidentHref(page) {
    if (secondHref) return secondHref;
    const family = secondName.split(' ').at(-1);
    const rows = (await caseloadRows(page)).filter((r) => r.name.startsWith(`${family},`));
    for (const r of rows) {
      await page.goto(r.href);
      if ((await page.locator('h1').innerText()).trim() === secondName) {
        secondHref = r.href;
        return r.href;
      }
    }
    assert.fail(`${secondName} is not on the professional's caseload: ${JSON.stringify(rows)}`);
  }

  test('every resident page: zero axe violations, no jargon, 44 px targets, reflow at 320 px and 200 %, phone screenshots', { timeout: TEST_TIMEOUT * 2 }, async () => {
    for (const width of [375, 320, 640]) {
      const { context, page } = await newPage(browser, { viewport: { width, height: 800 } });
      try {
        await login(page, 'resident');
        for (const path of RESIDENT_PAGES) {
          await page.goto(path);
          assert.equal(pathOf(page), path);
          const sw = await scrollWidth(page);
          assert.ok(sw <= width, `${path} at ${width} px: scrollWidth ${sw}`);
          if (width !== 375) continue;
          await axeCheck(page, { label: path });
          const text = await visibleText(page);
          for (const word of BANNED) assert.doesNotMatch(text, word, `${path} uses jargon (${word})`);
          const small = await smallTargets(page);
          assert.deepEqual(small, [], `${path}: touch targets under 44 px`);
          const name = path === '/me' ? 'portal-home' : `portal-${path.split('/').pop()}`;
          const shot = await saveScreenshot(page, name, { fullPage: true });
          assert.ok((await stat(shot)).size > 1000);
        }
      } finally {
        await context.close();
      }
    }
    // The activation page, before logging in.
    const { context, page } = await newPage(browser, { viewport: { width: 320, height: 800 } });
    try {
      await page.goto('/activate');
      await axeCheck(page, { label: '/activate' });
      assert.ok((await scrollWidth(page)) <= 320);
      assert.deepEqual(await smallTargets(page), []);
      const text = await visibleText(page);
      for (const word of BANNED) assert.doesNotMatch(text, word, `/activate uses jargon (${word})`);
    } finally {
      await context.close();
    }
  });

  test('every resident page can be walked by keyboard, each stop with a visible focus indicator', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 375, height: 800 } });
    try {
      await login(page, 'resident');
      for (const path of RESIDENT_PAGES) {
        await page.goto(path);
        const seen = [];
        for (let i = 0; i < 60; i += 1) {
          await page.keyboard.press('Tab');
          const info = await focused(page);
          if (info.tag === 'body') break;
          const key = `${info.tag}#${info.id}|${info.name}|${info.href}|${info.text}`;
          if (seen.includes(key)) break;
          seen.push(key);
          assert.ok(hasFocusIndicator(info), `${path}: no visible focus on ${JSON.stringify(info)}`);
        }
        assert.ok(seen.length >= 8, `${path}: only ${seen.length} Tab stops`);
      }
    } finally {
      await context.close();
    }
  });

  test('check in and see it on the professional\'s resident page; the visit shows in the resident\'s access log', { timeout: TEST_TIMEOUT }, async () => {
    const resident = await newPage(browser, { viewport: { width: 375, height: 800 } });
    try {
      await loginAs(resident.page, SECOND);
      assert.equal(pathOf(resident.page), '/me');
      secondName = (await resident.page.locator('.waakvlam-header__name').innerText()).trim();
      await resident.page.getByText('Slecht', { exact: true }).click();
      await resident.page.getByLabel('Wil je er iets over zeggen?').fill('Ik slaap slecht deze week.');
      await resident.page.getByRole('button', { name: 'Versturen' }).click();
      assert.equal(pathOf(resident.page), '/me');
      assert.match(await resident.page.getByRole('status').first().innerText(), /Je hulpverlener ziet hoe het met je gaat/);
      assert.match(await resident.page.locator('main').innerText(), /Je laatste antwoord: Slecht/);
    } finally {
      await resident.context.close();
    }

    const pro = await newPage(browser);
    try {
      await login(pro.page, 'professional');
      const href = await secondResidentHref(pro.page);
      await pro.page.goto(href);
      const timeline = await pro.page.locator('.waakvlam-timeline').innerText();
      assert.match(timeline, /Ik slaap slecht deze week\./, 'the check-in and its sentence are on the resident page');
    } finally {
      await pro.context.close();
    }

    const again = await newPage(browser, { viewport: { width: 375, height: 800 } });
    try {
      await loginAs(again.page, SECOND);
      await again.page.goto('/me/log');
      const items = await again.page.locator('ol.portal-log > li').allInnerTexts();
      assert.ok(
        items.some((t) => /Sanne de Wit, Team Goes-Kapelle/.test(t) && /Bekeek /.test(t)),
        `the professional's visit is listed in plain words: ${JSON.stringify(items.slice(0, 5))}`,
      );
    } finally {
      await again.context.close();
    }
  });

  test('ring the bell and see it at the top of the caseload', { timeout: TEST_TIMEOUT }, async () => {
    const resident = await newPage(browser, { viewport: { width: 375, height: 800 } });
    try {
      await loginAs(resident.page, SECOND);
      await resident.page.getByRole('link', { name: 'Ik wil hulp' }).click();
      await resident.page.getByRole('button', { name: 'Ja, ik wil hulp' }).click();
      assert.match(await resident.page.getByRole('status').first().innerText(), /Sanne de Wit belt je uiterlijk/);
    } finally {
      await resident.context.close();
    }
    const pro = await newPage(browser);
    try {
      await login(pro.page, 'professional');
      const rows = await caseloadRows(pro.page);
      const firstWithout = rows.findIndex((r) => !r.reasons.some((x) => x.startsWith('Belde')));
      const top = firstWithout === -1 ? rows : rows.slice(0, firstWithout);
      const family = secondName.split(' ').at(-1);
      assert.ok(
        top.some((r) => r.name.startsWith(`${family},`) && r.reasons.some((x) => /^Belde om hulp .* nog niet opgepakt$/.test(x))),
        `${secondName} is among the residents with an open bell at the top: ${JSON.stringify(top.slice(0, 4))}`,
      );
    } finally {
      await pro.context.close();
    }
  });

  test('plan notes and messages, by keyboard and without JavaScript; the professional answers from the resident page', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 375, height: 800 }, javaScriptEnabled: false });
    try {
      await loginAs(page, SECOND);
      // Check in by keyboard alone.
      await page.goto('/me');
      await page.locator('#checkin-wellbeing-4').focus();
      await page.keyboard.press('Space');
      await page.keyboard.press('Tab');
      await page.keyboard.type('Beter dan gisteren.');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await page.waitForURL((u) => u.search.includes('done=check-in'));
      assert.match(await page.locator('main').innerText(), /Je laatste antwoord: Goed/);

      await page.goto('/me/plan');
      await page.getByLabel('Hier wil ik hulp bij').check();
      await page.getByLabel('Wat wil je vertellen?').fill('Een brief van de bank.');
      await page.getByRole('button', { name: 'Opslaan' }).click();
      assert.match(await page.getByRole('status').innerText(), /Opgeslagen/);
      assert.match(await page.locator('.portal-notes').innerText(), /Jij[\s\S]*Hier wil ik hulp bij: Een brief van de bank\./);

      await page.goto('/me/messages');
      await page.getByLabel('Jouw bericht').fill('Kun je mij bellen over de brief?');
      await page.getByRole('button', { name: 'Versturen' }).click();
      assert.match(await page.getByRole('status').innerText(), /Je bericht is verstuurd/);
    } finally {
      await context.close();
    }

    const pro = await newPage(browser);
    try {
      await login(pro.page, 'professional');
      const href = await secondResidentHref(pro.page);
      await pro.page.goto(href);
      assert.match(await pro.page.locator('#portal-messages + *').innerText(), /Kun je mij bellen over de brief\?/);
      assert.match(await pro.page.locator('main').innerText(), /Hier wil ik hulp bij: Een brief van de bank\./);
      await pro.page.getByLabel('Antwoord').fill('Ik bel je morgen om 10 uur.');
      await pro.page.getByRole('button', { name: 'Versturen', exact: true }).click();
      assert.match(await pro.page.getByRole('status').first().innerText(), /Bericht verstuurd/);
      await axeCheck(pro.page, { label: href });
    } finally {
      await pro.context.close();
    }

    const back = await newPage(browser, { viewport: { width: 375, height: 800 } });
    try {
      await loginAs(back.page, SECOND);
      await back.page.goto('/me/messages');
      assert.match(await back.page.locator('.portal-thread').innerText(), /Sanne de Wit[\s\S]*Ik bel je morgen om 10 uur\./);
    } finally {
      await back.context.close();
    }
  });

  test('invite a trusted person, who reads the plan; after removal the access is gone at once', { timeout: TEST_TIMEOUT }, async () => {
    const email = `bram.${Date.now()}@example.nl`;
    const resident = await newPage(browser, { viewport: { width: 375, height: 800 } });
    let code;
    try {
      await loginAs(resident.page, SECOND);
      await resident.page.goto('/me/sharing');
      await resident.page.getByLabel('Iemand van mijn familie').check();
      await resident.page.getByLabel('Naam').fill('Bram (broer)');
      await resident.page.getByLabel('E-mailadres').fill(email);
      await resident.page.getByRole('button', { name: 'Toevoegen' }).click();
      code = (await resident.page.locator('.portal-code__value').innerText()).trim();
      assert.match(code, /^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
      await axeCheck(resident.page, { label: '/me/sharing after inviting' });
    } finally {
      await resident.context.close();
    }

    const trusted = await newPage(browser, { viewport: { width: 375, height: 800 } });
    try {
      // Pending until accepted: Bram accepts on the login page's "Uitnodiging aannemen".
      await trusted.page.goto('/login');
      await trusted.page.getByRole('link', { name: 'Uitnodiging aannemen' }).click();
      assert.equal(pathOf(trusted.page), '/invitation');
      await trusted.page.getByLabel('De code die je kreeg').fill(code.toLowerCase());
      await trusted.page.getByLabel('Kies een wachtwoord').fill('bram leest mee');
      await trusted.page.getByLabel('Typ het wachtwoord nog een keer').fill('bram leest mee');
      await trusted.page.getByRole('button', { name: 'Uitnodiging aannemen' }).click();
      assert.match(await trusted.page.getByRole('status').innerText(), /Gelukt/);
      await axeCheck(trusted.page, { label: '/invitation accepted' });
      await loginAs(trusted.page, email, 'bram leest mee');
      assert.equal(pathOf(trusted.page), '/shared');
      await trusted.page.getByRole('link', { name: secondName }).click();
      const planUrl = pathOf(trusted.page);
      assert.match(planUrl, /^\/shared\/\d+$/);
      assert.match(await trusted.page.locator('h1').innerText(), new RegExp(`Het plan van ${secondName}`));
      assert.match(await trusted.page.locator('main').innerText(), /Hier wil ik hulp bij: Een brief van de bank\.|Mijn doelen/);
      await axeCheck(trusted.page, { label: planUrl });
      // "Die persoon kan je plan lezen. Meer niet.": no message thread, no form to write in it.
      assert.equal(await trusted.page.locator('.portal-thread').count(), 0, 'the thread is not shown');
      assert.equal(await trusted.page.getByLabel('Jouw bericht').count(), 0, 'nothing to write');
      // Only what was shared: the resident's own pages and the professional's pages stay closed.
      for (const closed of ['/me', '/me/messages', secondHref || '/clients/1', '/caseload']) {
        const resp = await trusted.page.goto(closed);
        assert.equal(resp.status(), 403, `${closed} is closed to a trusted person`);
      }

      const resident2 = await newPage(browser, { viewport: { width: 375, height: 800 } });
      try {
        await loginAs(resident2.page, SECOND);
        await resident2.page.goto('/me/sharing');
        await resident2.page.getByRole('button', { name: 'Weghalen: Bram (broer)' }).click();
        assert.match(await resident2.page.getByRole('status').innerText(), /Bram \(broer\) kan je plan nu niet meer zien/);
      } finally {
        await resident2.context.close();
      }

      const resp = await trusted.page.goto(planUrl);
      assert.equal(resp.status(), 403, 'the removed person loses access at once');
      await trusted.page.goto('/shared');
      assert.match(await trusted.page.locator('main').innerText(), /Niemand deelt nu een plan met jou/);
    } finally {
      await trusted.context.close();
    }
  });

  test('the demo trusted person reads Kees\'s plan', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 375, height: 800 } });
    try {
      await loginAs(page, TRUSTED);
      assert.equal(pathOf(page), '/shared');
      await page.getByRole('link', { name: 'Kees van Dam' }).click();
      assert.match(await page.locator('h1').innerText(), /Het plan van Kees van Dam/);
      // His plan, and nothing more: not the thread between Kees and his professional.
      assert.match(await page.locator('main').innerText(), /Mijn doelen/);
      assert.equal(await page.locator('.portal-thread').count(), 0);
      assert.doesNotMatch(await page.locator('main').innerText(), /Donderdag is goed\. Tot dan!/);
      await axeCheck(page);
      assert.deepEqual(await smallTargets(page), []);
    } finally {
      await context.close();
    }
  });

  test('activation code from the professional → set a password → log in with it', { timeout: TEST_TIMEOUT }, async () => {
    const pro = await newPage(browser);
    let code;
    let loginName;
    try {
      await login(pro.page, 'professional');
      const href = await secondResidentHref(pro.page);
      await pro.page.goto(href);
      await pro.page.getByRole('button', { name: 'Nieuwe code maken' }).click();
      code = (await pro.page.locator('#activation-code').innerText()).trim();
      loginName = (await pro.page.locator('#activation-login').innerText()).trim();
      assert.equal(loginName, SECOND);
      await axeCheck(pro.page, { label: 'activation letter' });
    } finally {
      await pro.context.close();
    }
    const { context, page } = await newPage(browser, { viewport: { width: 375, height: 800 } });
    try {
      await page.goto('/login');
      await page.getByRole('link', { name: 'Code gebruiken' }).click();
      await page.getByLabel('Jouw code').fill(code);
      await page.getByLabel('Kies een wachtwoord').fill('mijn kat heet Tijger');
      await page.getByLabel('Typ het wachtwoord nog een keer').fill('mijn kat heet Tiger');
      await page.getByRole('button', { name: 'Wachtwoord opslaan' }).click();
      assert.match(await page.getByRole('alert').innerText(), /niet hetzelfde/);
      await page.getByLabel('Kies een wachtwoord').fill('mijn kat heet Tijger');
      await page.getByLabel('Typ het wachtwoord nog een keer').fill('mijn kat heet Tijger');
      await page.getByRole('button', { name: 'Wachtwoord opslaan' }).click();
      assert.equal(pathOf(page), '/me');
      await logout(page);
      await submitLogin(page, loginName, 'mijn kat heet Tijger');
      assert.equal(pathOf(page), '/me');
      // The code worked once.
      await logout(page);
      await page.goto('/activate');
      await page.getByLabel('Jouw code').fill(code);
      await page.getByLabel('Kies een wachtwoord').fill('nog een keer proberen');
      await page.getByLabel('Typ het wachtwoord nog een keer').fill('nog een keer proberen');
      await page.getByRole('button', { name: 'Wachtwoord opslaan' }).click();
      assert.match(await page.getByRole('alert').innerText(), /Deze code werkt niet/);
    } finally {
      await context.close();
    }
  });

  test('choose a helper; the team lead confirms and the helper becomes the contact person', { timeout: TEST_TIMEOUT }, async () => {
    const password = 'mijn kat heet Tijger';
    const resident = await newPage(browser, { viewport: { width: 375, height: 800 } });
    let chosen;
    try {
      await loginAs(resident.page, SECOND, password);
      await resident.page.goto('/me/helper');
      await resident.page.getByLabel('Talen').selectOption('Turks');
      await resident.page.getByRole('button', { name: 'Laten zien' }).click();
      const cards = resident.page.locator('.portal-helpers > li');
      assert.equal(await cards.count(), 1, 'the language filter leaves one helper');
      chosen = (await cards.locator('h3').innerText()).trim();
      await cards.getByRole('button', { name: `Kiezen: ${chosen}` }).click();
      assert.match(await resident.page.getByRole('status').innerText(), /Je keuze is verstuurd/);
      assert.match(await resident.page.locator('main').innerText(), new RegExp(`Je hebt ${chosen} gekozen`));
    } finally {
      await resident.context.close();
    }
    const lead = await newPage(browser);
    try {
      await login(lead.page, 'team_lead');
      await lead.page.getByRole('link', { name: 'Keuze hulpverlener' }).click();
      await axeCheck(lead.page);
      await lead.page.getByRole('button', { name: /^Bevestigen: / }).first().click();
      assert.match(await lead.page.getByRole('status').innerText(), /Bevestigd/);
    } finally {
      await lead.context.close();
    }
    const after = await newPage(browser, { viewport: { width: 375, height: 800 } });
    try {
      await loginAs(after.page, SECOND, password);
      assert.match(await after.page.locator('main').innerText(), new RegExp(`Jouw contactpersoon\\s+${chosen}`));
    } finally {
      await after.context.close();
    }
  });
});
