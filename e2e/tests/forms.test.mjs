// Staff forms as their users need them (issue 14, professionals, team leads, consultants, contract managers):
// every error in Dutch at its field (aria-invalid, aria-describedby), the summary at the top in the form's order
// with the focus on it and in view, all errors of a form at once, no 405 when a refused form's URL is loaded again,
// a confirmation with a chosen outcome before a waakvlam ends, an empty assign control with caseload sizes, past
// scale-down moments said in words, the catalogue's history in Dutch. Zero axe violations on each refused page.
// Changes no demo data for good: the bell it rings is resolved, the waakvlam is not ended.
// SPDX-License-Identifier: EUPL-1.2
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TEST_TIMEOUT, axeCheck, isoDay, launchBrowser, login, newPage, pathOf } from '../lib.mjs';

/** Words of English rule texts that must never reach a Dutch page. */
const ENGLISH = /\b(must|required|whole number|say what|per_hour|per_unit|ceiling|months)\b|wellbeing:|every:/;

/**
 * The refused form as the browser shows it: the focused element, where the summary is, its items, and each
 * marked field with the text of the error that describes it.
 */
async function refused(page) {
  return page.evaluate(() => {
    const summary = document.querySelector('.waakvlam-error-summary');
    const box = summary?.getBoundingClientRect();
    return {
      focused: document.activeElement?.id ?? '',
      summaryId: summary?.id ?? '',
      inView: Boolean(box && box.top >= 0 && box.top < window.innerHeight),
      items: summary ? [...summary.querySelectorAll('li')].map((li) => li.innerText.trim()) : [],
      links: summary ? [...summary.querySelectorAll('li a')].map((a) => a.getAttribute('href')) : [],
      marked: [...document.querySelectorAll('[aria-invalid="true"]')].map((el) => {
        const ids = (el.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
        const error = ids.map((id) => document.getElementById(id)).find((e) => e?.classList.contains('utrecht-form-field-error-message'));
        return { id: el.id, error: error?.innerText.trim() ?? '' };
      }),
    };
  });
}

/** Asserts a refused form: the summary has the focus and is in view, and every item is Dutch. */
function assertRefused(state, what) {
  assert.ok(state.summaryId, `${what}: an error summary is shown`);
  assert.equal(state.focused, state.summaryId, `${what}: the focus is on the summary: ${JSON.stringify(state)}`);
  assert.ok(state.inView, `${what}: the summary is in view`);
  for (const item of state.items) {
    assert.doesNotMatch(item, ENGLISH, `${what}: Dutch, not a rule's English: ${item}`);
  }
  for (const m of state.marked) {
    assert.ok(m.error, `${what}: #${m.id} is described by its error message`);
  }
}

/** Every form on the page as the browser sends it without its own checks (the server's are tested here). */
async function noBrowserChecks(page) {
  await page.evaluate(() => document.querySelectorAll('form').forEach((f) => { f.noValidate = true; }));
}

async function keesPage(page) {
  await page.goto('/caseload');
  const href = await page.locator('table.waakvlam-caseload tbody tr th a', { hasText: 'Dam, K. van' }).getAttribute('href');
  assert.ok(href, 'the demo resident is on the caseload');
  await page.goto(href);
  return href;
}

/** A waakvlam resident of the professional that no other test file picks (the last on the filtered caseload). */
async function waakvlamPage(page) {
  await page.goto('/caseload?product=WVL');
  const links = await page.locator('table.waakvlam-caseload tbody tr th a').evaluateAll((as) =>
    as.map((a) => ({ name: a.innerText.trim(), href: a.getAttribute('href') })),
  );
  const pick = links.filter((l) => l.name !== 'Dam, K. van' && l.name !== 'Berg, F. de').at(-1);
  assert.ok(pick, `a waakvlam resident: ${JSON.stringify(links)}`);
  await page.goto(pick.href);
  return pick.href;
}

describe('staff forms', { timeout: TEST_TIMEOUT * 8 }, () => {
  let browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  test('the contact, rhythm and bell forms say every error in Dutch at its field, with the focus on the summary', { timeout: TEST_TIMEOUT * 2 }, async () => {
    // The resident rings, so that there is a bell to resolve.
    const resident = await newPage(browser);
    try {
      await login(resident.page, 'resident');
      await resident.page.getByRole('link', { name: 'Ik wil hulp' }).click();
      await resident.page.getByRole('button', { name: 'Ja, ik wil hulp' }).click();
    } finally {
      await resident.context.close();
    }

    const { context, page } = await newPage(browser);
    try {
      await login(page, 'professional');
      const href = await keesPage(page);

      // Contact (sent with htmx): a day in the future and a wellbeing of 9, both at once, in the form's order.
      await page.locator('#contact-date').fill(isoDay(3));
      await page.locator('#contact-wellbeing').fill('9');
      await page.getByRole('button', { name: 'Contact opslaan' }).click();
      await page.locator('#contact-error-summary').waitFor();
      let state = await refused(page);
      assertRefused(state, 'contact');
      assert.equal(pathOf(page), href, 'htmx kept the page address');
      assert.deepEqual(state.links, ['#contact-date', '#contact-wellbeing'], 'the summary follows the form');
      assert.match(state.items[0], /^Datum: .*toekomst/);
      assert.equal(state.items[1], 'Welbevinden 1–5 (niet verplicht): Kies een welbevinden van 1 tot en met 5.');
      assert.deepEqual(state.marked.map((m) => m.id), ['contact-date', 'contact-wellbeing']);
      assert.equal(state.marked[1].error, 'Kies een welbevinden van 1 tot en met 5.');
      await axeCheck(page, { label: 'refused contact form' });

      // Rhythm (a plain POST): "0" weeks.
      await page.goto(href);
      await noBrowserChecks(page);
      await page.locator('#rhythm-every').fill('0');
      await page.getByRole('button', { name: 'Ritme opslaan' }).click();
      state = await refused(page);
      assertRefused(state, 'rhythm');
      assert.equal(pathOf(page), `${href}/rhythm`);
      assert.deepEqual(state.marked, [{ id: 'rhythm-every', error: 'Kies een ritme van 1 tot en met 365 dagen.' }]);
      assert.equal(state.items[0], 'Elke: Kies een ritme van 1 tot en met 365 dagen.');
      await axeCheck(page, { label: 'refused rhythm form' });
      // Loading the refused form's address again leads to the page, never to 405.
      const again = await page.goto(page.url());
      assert.equal(again.status(), 200);
      assert.equal(pathOf(page), href);

      // Bell: "Afronden" without saying what was done.
      await noBrowserChecks(page);
      const bellForm = page.locator('form').filter({ has: page.getByRole('button', { name: 'Afronden' }) }).first();
      await bellForm.getByRole('button', { name: 'Afronden' }).click();
      state = await refused(page);
      assertRefused(state, 'bell');
      assert.equal(state.marked.length, 1);
      assert.equal(state.marked[0].error, 'Schrijf op wat er is gedaan.');
      assert.equal(state.items[0], 'Wat is er gedaan?: Schrijf op wat er is gedaan.');
      // Resolved after all, so the demo has no extra open bell.
      const resolution = page.locator(`#${state.marked[0].id}`);
      await resolution.fill('Gebeld, het gaat weer.');
      await page.locator('form', { has: resolution }).getByRole('button', { name: 'Afronden' }).click();
      assert.match(await page.getByRole('status').first().innerText(), /Hulpvraag bijgewerkt/);
      assert.match(await page.locator('main').innerText(), /vanaf .*, zonder einddatum|van .* tot /);
      assert.doesNotMatch(await page.locator('main').innerText(), /tot geen einddatum/);
    } finally {
      await context.close();
    }
  });

  test('ending a waakvlam asks for the outcome and a confirmation; nothing is chosen for the professional', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page } = await newPage(browser);
    try {
      await login(page, 'professional');
      const href = await waakvlamPage(page);
      const outcome = page.locator('#end-outcome');
      assert.equal(await outcome.inputValue(), '', 'the outcome starts at "Kies…"');
      assert.equal(await page.locator('#end-result').inputValue(), '');

      // One click with what the form holds: every missing answer at once, nothing ended.
      await noBrowserChecks(page);
      await page.getByRole('button', { name: 'Beëindigen…' }).click();
      const state = await refused(page);
      assertRefused(state, 'end');
      assert.deepEqual(state.links, ['#end-outcome', '#end-result', '#end-result_note']);
      assert.deepEqual(state.marked.map((m) => m.id), ['end-outcome', 'end-result', 'end-result_note']);
      assert.match(state.items[0], /^Uitkomst: Kies hoe de waakvlam afloopt\.$/);
      await axeCheck(page, { label: 'refused end form' });

      // Filled in: a page that says what will be recorded, and lets the professional go back.
      await page.locator('#end-outcome').selectOption('independent');
      await page.locator('#end-result').selectOption('reached');
      await page.locator('#end-result_note').fill('Redt het zelf, met de buren.');
      await page.getByRole('button', { name: 'Beëindigen…' }).click();
      assert.equal(await page.locator('h1').innerText(), 'Waakvlam beëindigen?');
      const facts = await page.locator('.waakvlam-facts').innerText();
      assert.match(facts, /Zelfstandig verder/);
      assert.match(facts, /Bereikt: Redt het zelf, met de buren\./);
      await axeCheck(page, { label: 'end confirmation' });
      await page.getByRole('link', { name: 'Nee, terug naar de inwoner' }).click();
      assert.equal(pathOf(page), href);
      assert.equal(await page.locator('#end-outcome').count(), 1, 'the waakvlam still runs');
    } finally {
      await context.close();
    }
  });

  test('the assign control starts empty, shows each caseload size, and asks for a choice', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page } = await newPage(browser);
    try {
      await login(page, 'team_lead');
      const form = page.locator('form[action="/caseload/assign"]').first();
      assert.equal(await form.count(), 1, 'the demo team has a resident waiting for a professional');
      const select = form.locator('select');
      assert.equal(await select.inputValue(), '', 'no professional is preselected');
      const options = await select.locator('option').allInnerTexts();
      assert.equal(options[0], 'Kies een begeleider');
      assert.ok(options.length > 2, JSON.stringify(options));
      for (const o of options.slice(1)) {
        assert.match(o, /^.+ — \d+ inwoners?$/, `each professional with their caseload size: ${o}`);
      }
      await form.getByRole('button', { name: 'Wijs toe' }).click();
      const state = await refused(page);
      assertRefused(state, 'assign');
      assert.equal(state.marked.length, 1);
      assert.equal(state.marked[0].error, 'Kies een begeleider.');
      await axeCheck(page, { label: 'refused assignment' });
    } finally {
      await context.close();
    }
  });

  test('a new indication reports every error at once; products are named once; past scale-down moments stand out', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page } = await newPage(browser);
    try {
      await login(page, 'consultant');
      // Past moments in the scale-down inventory say so in words, future ones do not.
      const moments = await page.locator('table').filter({ has: page.getByRole('button', { name: /Vraag aanbieder te plannen/ }) })
        .locator('tbody tr td:nth-child(3)').allInnerTexts();
      assert.ok(moments.some((m) => /voorbij, \d+ dagen? geleden/.test(m)), `a past moment is marked: ${JSON.stringify(moments)}`);
      for (const text of moments) {
        const [dd, mm, yyyy] = text.slice(0, 10).split('-');
        const past = `${yyyy}-${mm}-${dd}` < isoDay(0);
        assert.equal(/voorbij/.test(text), past, `marked exactly when past: ${text}`);
      }

      await page.goto('/residents/1');
      assert.equal(await page.locator('h1').innerText(), 'Traject van Kees van Dam');
      await page.getByRole('link', { name: 'Nieuwe indicatie' }).click();
      const products = await page.locator('#field-product_code option').allInnerTexts();
      assert.ok(products.some((p) => p.startsWith('WVL — Waakvlam ·')), JSON.stringify(products));
      assert.ok(!products.some((p) => /\(Waakvlam\)|\(Individueel|\(Intensief/.test(p)), `no level a second time: ${JSON.stringify(products)}`);

      // BT ending before it starts and without a scale-down moment: both errors in one go.
      await page.locator('#field-product_code').selectOption('BT');
      await page.locator('#field-provider').selectOption({ index: 1 });
      await page.locator('#field-start_date').fill(isoDay(10));
      await page.locator('#field-end_date').fill(isoDay(2));
      await page.getByRole('button', { name: 'Opslaan' }).click();
      const state = await refused(page);
      assertRefused(state, 'indication');
      // (When another test gave this resident a BT already, its overlap warning comes last, in the same answer.)
      const dates = ['#field-end_date', '#field-planned_scale_down_date'];
      assert.deepEqual(state.links.filter((l) => l !== '#field-overlap'), dates);
      assert.ok(state.links.indexOf('#field-overlap') === -1 || state.links.indexOf('#field-overlap') === 2, JSON.stringify(state.links));
      assert.deepEqual(state.marked.map((x) => `#${x.id}`).filter((l) => l !== '#field-overlap'), dates);
      await axeCheck(page, { label: 'refused indication' });
      const again = await page.goto(page.url());
      assert.equal(again.status(), 200, 'the refused form\'s address answers a reload');
    } finally {
      await context.close();
    }
  });

  test('a new indication without a provider still warns of an overlap, with its other errors in the form\'s order', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page } = await newPage(browser);
    try {
      await login(page, 'consultant');
      // Kees van Dam has a running waakvlam: a second one from today overlaps, whatever else is missing.
      await page.goto('/residents/1/indications/new');
      await noBrowserChecks(page);
      await page.locator('#field-product_code').selectOption('WVL');
      await page.locator('#field-provider').selectOption('');
      await page.locator('#field-issued_on').fill('');
      await page.locator('#field-start_date').fill(isoDay(0));
      await page.getByRole('button', { name: 'Opslaan' }).click();
      const state = await refused(page);
      assertRefused(state, 'indication without a provider');
      // Top to bottom as on the form: provider, the missing decision date, then the overlap at the end.
      assert.deepEqual(state.links, ['#field-provider', '#field-issued_on', '#field-overlap'], JSON.stringify(state));
      assert.match(state.items[2], /al een indicatie van dezelfde soort in die periode: WVL/);
      assert.ok(await page.locator('#field-overlap').isVisible(), 'the confirmation is offered at once');
      await axeCheck(page, { label: 'refused indication with an overlap' });
    } finally {
      await context.close();
    }
  });

  test('the catalogue shows a refused tariff in view and its history in Dutch words', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page } = await newPage(browser);
    try {
      await login(page, 'contract_manager');
      await page.locator('#tariff-product').selectOption('BTS');
      await page.locator('#tariff-variant').selectOption('per_hour');
      await page.locator('#tariff-amount').fill('72,36');
      await page.getByRole('button', { name: 'Tarief opslaan' }).click();
      const state = await refused(page);
      assertRefused(state, 'tariff');
      assert.deepEqual(state.links, ['#tariff-budget_ceiling']);
      await axeCheck(page, { label: 'refused tariff' });
      const again = await page.goto(page.url());
      assert.equal(again.status(), 200);
      assert.equal(pathOf(page), '/catalogue');

      const history = await page.locator('table').filter({ hasText: 'Wordt' }).last().innerText();
      assert.match(history, /€ 72,36 per uur, plafond € 12\.000,00/);
      assert.doesNotMatch(history, /per_hour|per_unit|per_indication|ceiling|as long as needed/);
    } finally {
      await context.close();
    }
  });
});
