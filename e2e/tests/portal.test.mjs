// The resident portal (issue 5): check in, ring the bell, my plan, messages, who sees my plan, who looked
// at my data, choose my helper, and logging in with an activation code. Plus the quality bar for residents:
// zero axe violations, no jargon, touch targets of at least 44 px, no horizontal scroll at 320 px and at 200 %
// zoom, keyboard only, and everything without JavaScript. Screenshots at phone width: docs/screenshots/portal-*.png.
// Issue 14 (a cheap phone, 360 × 740): the bell and the check-in on the first screen, faces told apart without
// colour, no error border before anything was typed, the access log grouped, removing a share confirmed, dates in
// words, and axe with the WCAG 2.2 AA tags: docs/screenshots/resident-home-phone.png.
//
// Mutating tests use the second demo resident (inwoner2@demo.waakvlam.nl, on Sanne de Wit's caseload);
// Kees van Dam (resident@demo.waakvlam.nl) is only read, since professional.test.mjs relies on him.
// SPDX-License-Identifier: EUPL-1.2
import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import {
  AXE_TAGS_22,
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
      name: row.querySelector('th a')?.innerText.trim() ?? '',
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
          await axeCheck(page, { label: path, tags: AXE_TAGS_22 });
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
        // At phone width the six pages are one "Menu" (a <details>): skip link, Waakvlam, English, Uitloggen,
        // Menu and at least the page's own link or control.
        assert.ok(seen.length >= 6, `${path}: only ${seen.length} Tab stops`);
        assert.ok(seen.some((k) => k.startsWith('summary#')), `${path}: the menu is reached by Tab`);
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
        items.some((t) => /Sanne de Wit, Team Goes-Kapelle/.test(t) && /Bekeek |Keek \d+ keer naar je gegevens/.test(t)),
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
        // First it asks, saying what stops and what stays.
        assert.equal((await resident2.page.locator('h1').innerText()).trim(), 'Weet je het zeker?');
        assert.match(await resident2.page.locator('main').innerText(), /Bram \(broer\) kan je plan niet meer lezen/);
        await resident2.page.getByRole('button', { name: 'Ja, weghalen' }).click();
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

// Issue 14: the resident on a cheap phone (360 × 740). Kees is only read here, except for looks at his page.
describe('resident portal on a 360 × 740 phone', { timeout: TEST_TIMEOUT * 8 }, () => {
  const PHONE = { width: 360, height: 740 };
  const MONTHS = 'januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december';
  const DAY_IN_WORDS = new RegExp(`(maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag) \\d{1,2} (${MONTHS})`);
  let browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  /** Top and bottom (CSS px from the top of the page) of the first element matching `selector`. */
  async function box(page, selector) {
    return page.locator(selector).first().evaluate((el) => {
      const r = el.getBoundingClientRect();
      return { top: r.top + window.scrollY, bottom: r.bottom + window.scrollY, width: r.width, height: r.height };
    });
  }

  test('/me: the bell, the first face and "Versturen" on the first screen; the bell stands out; the menu opens without script', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page } = await newPage(browser, { viewport: PHONE, javaScriptEnabled: false });
    try {
      await login(page, 'resident');
      for (const [what, selector] of [
        ['the bell', '#bell'],
        ['the first face', 'label[for="checkin-wellbeing-1"]'],
        ['the last face', 'label[for="checkin-wellbeing-5"]'],
        ['"Versturen"', '.portal-checkin button[type="submit"]'],
      ]) {
        const b = await box(page, selector);
        assert.ok(b.bottom <= PHONE.height, `${what} ends at ${Math.round(b.bottom)} px, below the first ${PHONE.height} px`);
      }
      // The bell is a control of its own: not the send button's colour or size, not underlined link text.
      const style = (selector) =>
        page.locator(selector).first().evaluate((el) => {
          const s = getComputedStyle(el);
          return { bg: s.backgroundColor, deco: s.textDecorationLine, size: parseFloat(s.fontSize) };
        });
      const bell = await style('#bell');
      const send = await style('.portal-checkin button[type="submit"]');
      assert.notEqual(bell.bg, send.bg, 'the bell has its own colour');
      assert.equal(bell.deco, 'none', 'the bell is not underlined');
      assert.ok(bell.size > send.size, `the bell's text (${bell.size} px) is larger than "Versturen" (${send.size} px)`);
      const bellBox = await box(page, '#bell');
      const sendBox = await box(page, '.portal-checkin button[type="submit"]');
      assert.ok(bellBox.height >= 56 && bellBox.width > sendBox.width, `the bell is the biggest control: ${JSON.stringify({ bellBox, sendBox })}`);
      assert.equal((await page.locator('#bell').innerText()).trim(), 'Ik wil hulp');

      // Navigation: one "Menu" on the phone; it opens without JavaScript and leads on.
      assert.equal(await page.locator('.portal-nav__row').isVisible(), false, 'the row of six is folded away');
      const menu = page.locator('summary.portal-nav__toggle');
      assert.ok(await menu.isVisible());
      assert.ok((await box(page, 'summary.portal-nav__toggle')).height >= 44);
      assert.equal(await page.getByRole('link', { name: 'Wie ziet mijn plan' }).count(), 0, 'closed: no links shown');
      await saveScreenshot(page, 'resident-home-phone');
      await menu.click();
      await page.getByRole('link', { name: 'Wie ziet mijn plan' }).click();
      assert.equal(pathOf(page), '/me/sharing');
      await page.locator('summary.portal-nav__toggle').click();
      assert.deepEqual(await smallTargets(page), []);

      // No session notice for a fresh session, and no "Ingelogd blijven" form for residents.
      assert.equal(await page.locator('.session-notice').count(), 0);
      assert.doesNotMatch(await visibleText(page), /uitgelogd|Ingelogd blijven/);
      // At 1280 px the six pages are a row again.
      await page.setViewportSize({ width: 1280, height: 800 });
      assert.ok(await page.locator('.portal-nav__row').isVisible());
      assert.equal(await page.locator('summary.portal-nav__toggle').isVisible(), false);
    } finally {
      await context.close();
    }
    // axe needs script in the page: the same pages, closed and open menu, in a context with JavaScript.
    const withScript = await newPage(browser, { viewport: PHONE });
    try {
      await login(withScript.page, 'resident');
      await axeCheck(withScript.page, { label: '/me at 360 × 740', tags: AXE_TAGS_22 });
      await withScript.page.locator('summary.portal-nav__toggle').click();
      await axeCheck(withScript.page, { label: '/me with the menu open', tags: AXE_TAGS_22 });
    } finally {
      await withScript.context.close();
    }
  });

  test('the five faces differ in their pictures, not only in colour, and keep their labels', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page } = await newPage(browser, { viewport: PHONE });
    try {
      await login(page, 'resident');
      const faces = await page.locator('.portal-face').evaluateAll((labels) =>
        labels.map((l) => ({ svg: l.querySelector('svg').innerHTML.replace(/\s+/g, ' ').trim(), label: l.innerText.trim() })),
      );
      assert.deepEqual(faces.map((f) => f.label), ['Heel slecht', 'Slecht', 'Gaat wel', 'Goed', 'Heel goed']);
      assert.equal(new Set(faces.map((f) => f.svg)).size, 5, 'no two pictures alike');
      // Neighbours differ by more than the mouth: count the shapes.
      const shapes = (svg) => (svg.match(/<(path|circle)/g) ?? []).length;
      assert.notEqual(shapes(faces[0].svg), shapes(faces[1].svg), 'face 1 has more than face 2 (eyebrows, a tear)');
      assert.notEqual(faces[3].svg.includes('<circle cx="17"'), faces[4].svg.includes('<circle cx="17"'), 'face 5 has other eyes than face 4');
    } finally {
      await context.close();
    }
  });

  test('required text boxes: no error border on a fresh page, only after a failed submit', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page } = await newPage(browser, { viewport: PHONE });
    try {
      await login(page, 'resident');
      const border = (selector) =>
        page.locator(selector).evaluate((el) => {
          const now = getComputedStyle(el).borderColor;
          // The same box without `required` shows the normal border.
          el.removeAttribute('required');
          const normal = getComputedStyle(el).borderColor;
          el.setAttribute('required', '');
          return { now, normal };
        });
      for (const [path, selector] of [
        ['/me/messages', '#message-body'],
        ['/me/plan', '#proposal-text'],
        ['/me/plan', '#note-text'],
      ]) {
        await page.goto(path);
        const { now, normal } = await border(selector);
        assert.equal(now, normal, `${path} ${selector}: an error border before anything was typed`);
      }
      // A failed submit (the browser's own check) marks it.
      await page.goto('/me/messages');
      const before = await page.locator('#message-body').evaluate((el) => getComputedStyle(el).borderColor);
      await page.getByRole('button', { name: 'Versturen' }).click();
      assert.equal(pathOf(page), '/me/messages');
      const afterSubmit = await page.locator('#message-body').evaluate((el) => getComputedStyle(el).borderColor);
      assert.notEqual(afterSubmit, before, 'after a failed submit the box is marked');
    } finally {
      await context.close();
    }
  });

  test('the access log: one line per person per day, the day in words; the download stays', { timeout: TEST_TIMEOUT }, async () => {
    const pro = await newPage(browser);
    try {
      await login(pro.page, 'professional');
      await pro.page.goto('/caseload');
      const href = await pro.page.locator('table.waakvlam-caseload tbody tr th a', { hasText: 'Dam, K. van' }).first().getAttribute('href');
      for (let i = 0; i < 3; i += 1) await pro.page.goto(href);
    } finally {
      await pro.context.close();
    }
    const { context, page } = await newPage(browser, { viewport: PHONE });
    try {
      await login(page, 'resident');
      await page.goto('/me/log');
      const items = await page.locator('ol.portal-log > li').allInnerTexts();
      const sanne = items.filter((t) => /Sanne de Wit/.test(t) && /Keek \d+ keer naar je gegevens/.test(t));
      assert.ok(sanne.length >= 1, `Sanne's looks are grouped: ${JSON.stringify(items.slice(0, 5))}`);
      assert.match(sanne[0], DAY_IN_WORDS);
      // Looks never repeat a person on a day.
      const looks = items
        .filter((t) => /(Bekeek|Keek) /.test(t))
        .map((t) => t.split('\n').map((x) => x.trim()).filter(Boolean).slice(0, 2).join('|').replace(/, \d{2}:\d{2}/, ''));
      assert.equal(new Set(looks).size, looks.length, `one line per person per day: ${JSON.stringify(looks)}`);
      await axeCheck(page, { label: '/me/log', tags: AXE_TAGS_22 });
      assert.equal(await page.getByRole('link', { name: 'Deze lijst downloaden' }).count(), 1);
    } finally {
      await context.close();
    }
  });

  test('removing a share asks first, without JavaScript, saying what stops and what stays', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page } = await newPage(browser, { viewport: PHONE, javaScriptEnabled: false });
    try {
      await login(page, 'resident');
      await page.goto('/me/sharing');
      const main = await page.locator('main').innerText();
      assert.doesNotMatch(main, /want dat is nodig|Die hulp heb je nu/);
      const buttons = page.getByRole('button', { name: /^Weghalen: / });
      const before = await buttons.count();
      assert.ok(before >= 1, 'Kees shares his plan');
      const name = (await buttons.first().getAttribute('aria-label')).replace('Weghalen: ', '');
      await buttons.first().click();
      assert.equal((await page.locator('h1').innerText()).trim(), 'Weet je het zeker?');
      const ask = await page.locator('main').innerText();
      assert.match(ask, /Wat stopt/);
      assert.match(ask, /Wat blijft/);
      assert.ok(ask.includes(`${name} kan je plan niet meer lezen`), ask);
      assert.deepEqual(await smallTargets(page), []);
      // "Nee, terug" changes nothing.
      await page.getByRole('link', { name: 'Nee, terug' }).click();
      assert.equal(pathOf(page), '/me/sharing');
      assert.equal(await page.getByRole('button', { name: /^Weghalen: / }).count(), before);
    } finally {
      await context.close();
    }
    const withScript = await newPage(browser, { viewport: PHONE });
    try {
      await login(withScript.page, 'resident');
      await withScript.page.goto('/me/sharing');
      await withScript.page.getByRole('button', { name: /^Weghalen: / }).first().click();
      assert.equal((await withScript.page.locator('h1').innerText()).trim(), 'Weet je het zeker?');
      await axeCheck(withScript.page, { label: 'the confirmation', tags: AXE_TAGS_22 });
    } finally {
      await withScript.context.close();
    }
  });

  test('dates in words on every resident page, never 07-11-2026', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page } = await newPage(browser, { viewport: PHONE });
    try {
      await login(page, 'resident');
      let words = 0;
      for (const path of RESIDENT_PAGES) {
        await page.goto(path);
        const text = await page.locator('main').innerText();
        assert.doesNotMatch(text, /\b\d{2}-\d{2}-\d{4}\b/, `${path}: a date in digits`);
        if (new RegExp(`\\d{1,2} (${MONTHS})`).test(text)) words += 1;
      }
      assert.ok(words >= 3, `dates in words on at least three pages, got ${words}`);
    } finally {
      await context.close();
    }
  });
});
