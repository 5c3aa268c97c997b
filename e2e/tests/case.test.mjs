// The whole case, end to end in a real browser (the "Done when"): the consultant registers a resident
// and issues a BT with a scale-down moment → the provider's team lead finds it in the intake inbox and assigns
// it → it is on the professional's caseload → the resident (activated with a code) rings the bell → the
// professional receives the e-mail, which names nobody → picks the bell up → the resident sees that → at the
// scale-down moment the professional asks for waakvlam → the consultant approves → the plan gets a new goal →
// the waakvlam ends with its result assessed. Zero axe violations on every page the walk visits. Afterwards
// `waakvlam iwmo export` hands over the two WMO301 messages the consultant's decisions produced and the
// provider's WMO317 request, WMO305 and WMO307 for the waakvlam's start and stop, each XSD-valid.
//
// The walk needs e-mail, which the shared demo server of the other tests has not got, so this file starts its
// own: a real SMTP server on loopback (Debian's `python3 -m aiosmtpd`, keeping what it receives in a maildir)
// and a fresh `waakvlam demo` that mails to it. The walk runs on SQLite, and again on PostgreSQL when
// WAAKVLAM_TEST_POSTGRES_URL is set (a fresh database, dropped afterwards). The binary: WAAKVLAM_BIN, else the
// newer of target/release/waakvlam and target/debug/waakvlam.
// SPDX-License-Identifier: EUPL-1.2
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  REPO_ROOT,
  TEST_TIMEOUT,
  axeCheck,
  emailFor,
  isoDay,
  launchBrowser,
  login,
  logout,
  newPage,
  nlDate,
  pathOf,
  submitLogin,
} from '../lib.mjs';

const PG_URL = process.env.WAAKVLAM_TEST_POSTGRES_URL;
/** Debian's python3 has python3-aiosmtpd; a python3 of pyenv earlier on the PATH may not. */
const PYTHON = process.env.WAAKVLAM_TEST_PYTHON || (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
/** Seeding the demo region on 2 cores takes a while (longer on PostgreSQL and with a debug build). */
const STARTUP_MS = 180_000;
/** The notification worker mails at once after the bell's transaction commits; at the latest on its minute tick. */
const MAIL_WAIT_MS = 90_000;
const PROFESSIONAL = 'Sanne de Wit';
const PROVIDER = 'Zeeuwse Zorgcoöperatie';

// --- Servers --------------------------------------------------------------------------------------------------

/** A free TCP port on loopback: the kernel picks one, the server takes it over. */
function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

function canConnect(port) {
  return new Promise((done) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/** A child process with the tail of its output kept for error messages; the pipes are always drained. */
function startProcess(command, args) {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = [];
  const keep = (chunk) => {
    lines.push(...chunk.toString().split('\n'));
    if (lines.length > 400) lines.splice(0, lines.length - 400);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((done) => child.once('exit', (code, signal) => done({ code, signal })));
  let spawnError = null;
  child.once('error', (e) => {
    spawnError = e;
  });
  return {
    child,
    exited,
    log: (n = 60) => lines.slice(-n).join('\n'),
    isRunning: () => child.exitCode === null && child.signalCode === null && !spawnError,
    spawnError: () => spawnError,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null || spawnError) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/**
 * A real SMTP server on loopback that keeps every message in a maildir. `messages()` reads them as
 * { to, subject, from, body }, with quoted-printable or base64 undone.
 */
async function startSmtp() {
  const dir = mkdtempSync(join(tmpdir(), 'waakvlam-e2e-mail-'));
  const maildir = join(dir, 'mail');
  const port = await freePort();
  const proc = startProcess(PYTHON, ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${port}`, '-c', 'aiosmtpd.handlers.Mailbox', maildir]);
  const deadline = Date.now() + 20_000;
  while (!(await canConnect(port))) {
    if (!proc.isRunning() || Date.now() > deadline) {
      await proc.stop();
      throw new Error(
        `cannot start \`${PYTHON} -m aiosmtpd\` on port ${port} (apt-get install python3-aiosmtpd): ` +
          `${proc.spawnError()?.message ?? ''}\n${proc.log()}`,
      );
    }
    await sleep(50);
  }
  return {
    port,
    messages() {
      const folder = join(maildir, 'new');
      if (!existsSync(folder)) return [];
      return readdirSync(folder)
        .sort()
        .map((f) => parseMail(readFileSync(join(folder, f))));
    },
    async stop() {
      await proc.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** RFC 2047 encoded words in a header (=?utf-8?b?…?= and =?utf-8?q?…?=). */
function decodeWords(value) {
  return value.replace(/=\?([^?]+)\?([bBqQ])\?([^?]*)\?=/g, (_, _charset, enc, text) =>
    enc.toLowerCase() === 'b'
      ? Buffer.from(text, 'base64').toString('utf8')
      : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (__, h) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'),
  );
}

/** One stored message: headers (unfolded, lower-case names) and the decoded text body. */
function parseMail(raw) {
  const text = raw.toString('latin1').replace(/\r\n/g, '\n');
  const split = text.indexOf('\n\n');
  const head = split === -1 ? text : text.slice(0, split);
  const rawBody = split === -1 ? '' : text.slice(split + 2);
  const headers = {};
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = decodeWords(line.slice(colon + 1).trim());
  }
  const encoding = (headers['content-transfer-encoding'] ?? '').toLowerCase();
  let bytes;
  if (encoding === 'base64') {
    bytes = Buffer.from(rawBody.replace(/\s+/g, ''), 'base64');
  } else if (encoding === 'quoted-printable') {
    const soft = rawBody.replace(/=\n/g, '');
    bytes = Buffer.from(soft.replace(/=([0-9A-Fa-f]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16))), 'latin1');
  } else {
    bytes = Buffer.from(rawBody, 'latin1');
  }
  return {
    to: headers['x-rcptto'] ?? headers.to ?? '',
    from: headers.from ?? '',
    subject: headers.subject ?? '',
    body: bytes.toString('utf8'),
    raw: text,
  };
}

/** The app binary: WAAKVLAM_BIN, else the newer of target/release/waakvlam and target/debug/waakvlam. */
function appBinary() {
  if (process.env.WAAKVLAM_BIN) return resolve(process.env.WAAKVLAM_BIN);
  const built = ['release', 'debug']
    .map((profile) => resolve(REPO_ROOT, 'target', profile, 'waakvlam'))
    .filter((path) => existsSync(path))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (built.length === 0) {
    throw new Error('no waakvlam binary: build it (cargo build --release) or set WAAKVLAM_BIN');
  }
  return built[0];
}

/** `waakvlam demo` on `databaseUrl`, mailing to the SMTP server on `smtpPort`; resolves once GET /login answers 200. */
async function startApp(databaseUrl, smtpPort) {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const args = ['demo', '--addr', `127.0.0.1:${port}`, '--database-url', databaseUrl];
  args.push('--smtp-url', `smtp://127.0.0.1:${smtpPort}`, '--mail-from', 'Waakvlam <waakvlam@localhost>', '--public-url', baseUrl);
  if (process.env.WAAKVLAM_TODAY) args.push('--today', process.env.WAAKVLAM_TODAY);
  const proc = startProcess(appBinary(), args);
  const started = Date.now();
  for (;;) {
    if (!proc.isRunning()) {
      throw new Error(`the demo server exited before answering GET /login: ${proc.spawnError()?.message ?? ''}\n${proc.log()}`);
    }
    try {
      const response = await fetch(`${baseUrl}/login`, { signal: AbortSignal.timeout(5_000) });
      if (response.status === 200) break;
    } catch {
      // Not listening yet, or still seeding.
    }
    if (Date.now() - started > STARTUP_MS) {
      await proc.stop();
      throw new Error(`the demo server did not answer GET /login with 200 within ${STARTUP_MS / 1000} s\n${proc.log()}`);
    }
    await sleep(500);
  }
  return { baseUrl, seconds: Math.round((Date.now() - started) / 1000), log: proc.log, stop: () => proc.stop() };
}

/** A fresh PostgreSQL database next to the one WAAKVLAM_TEST_POSTGRES_URL names; `drop()` removes it. */
function createPostgresDatabase() {
  const name = `waakvlam_e2e_case_${Date.now()}_${randomInt(1000, 9999)}`;
  const psql = (sql) => execFileSync('psql', [PG_URL, '-v', 'ON_ERROR_STOP=1', '-Atqc', sql], { stdio: ['ignore', 'pipe', 'pipe'] });
  psql(`CREATE DATABASE ${name}`);
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

// --- Test data ------------------------------------------------------------------------------------------------

/** A random BSN that passes the 11-check: sum(d_i × (9..2)) − d_9 ≡ 0 (mod 11). */
function randomBsn() {
  for (;;) {
    const digits = [randomInt(1, 10), ...Array.from({ length: 7 }, () => randomInt(0, 10))];
    const last = digits.reduce((sum, d, i) => sum + d * (9 - i), 0) % 11;
    if (last <= 9) return [...digits, last].join('');
  }
}

/** A new resident whose every detail is unique to this run, so a rerun on the same database cannot collide. */
function newResident() {
  // Letters only: a stamp that reads as a (strange) name.
  const stamp = (Date.now() * 100 + randomInt(0, 100)).toString(26).replace(/[0-9]/g, (d) => 'qrstuvwxyz'[d]);
  const family = `Vlaming${stamp}`;
  return {
    bsn: randomBsn(),
    givenNames: 'Ilse Marit',
    initials: 'I.M.',
    family,
    birthDate: '1961-05-17',
    phone: `06-${randomInt(10_000_000, 99_999_999)}`,
    email: `ilse.${stamp}@example.nl`,
    address: `Lange Kerkstraat ${randomInt(2, 200)}, 4461 HM Goes`,
    password: `de tuin van ${stamp}`,
    helpText: `Ik durf de brief van de woningcorporatie niet te openen ${stamp}`,
  };
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Wait until the mailbox holds a message that `matches`; fail listing what did arrive. */
async function waitForMail(mailbox, matches, what) {
  const deadline = Date.now() + MAIL_WAIT_MS;
  for (;;) {
    const found = mailbox.messages().find(matches);
    if (found) return found;
    if (Date.now() > deadline) {
      const seen = mailbox.messages().map((m) => `${m.to}: ${m.subject}`);
      assert.fail(`no mail ${what} within ${MAIL_WAIT_MS / 1000} s; the mailbox holds ${seen.length}: ${JSON.stringify(seen.slice(-20))}`);
    }
    await sleep(500);
  }
}

// --- The walk -------------------------------------------------------------------------------------------------

/** The whole case on the app at `baseURL`, whose mail goes to `mailbox`. */
async function walk(browser, baseURL, mailbox, diagnostic) {
  const r = newResident();
  const today = isoDay(0);
  const btStart = isoDay(-150);
  const btEnd = isoDay(180);
  const agreed = 'Zelf de post en de rekeningen bijhouden';
  const scaleReason = `Het gaat stabiel; waakvlam is genoeg (${r.family})`;
  const goal = `Ik open elke maandag zelf mijn post (${r.family})`;
  const resultSentence = `Ilse houdt haar post nu zelf bij (${r.family})`;
  const staff = (options = {}) => newPage(browser, { baseURL, ...options });
  const phone = () => newPage(browser, { baseURL, viewport: { width: 375, height: 800 } });
  let residentId;
  let btId;
  let login2;

  // 1. The consultant registers the resident and issues a BT with a scale-down moment of today.
  {
    const { context, page } = await staff();
    try {
      await login(page, 'consultant');
      await page.getByRole('link', { name: 'Nieuwe inwoner inschrijven' }).click();
      assert.equal(pathOf(page), '/residents/new');
      await axeCheck(page, { label: '/residents/new' });
      await page.getByLabel('BSN', { exact: true }).fill(r.bsn);
      await page.getByLabel('Voornamen', { exact: true }).fill(r.givenNames);
      await page.getByLabel('Voorletters', { exact: true }).fill(r.initials);
      await page.getByLabel('Achternaam', { exact: true }).fill(r.family);
      await page.getByLabel('Geboortedatum', { exact: true }).fill(r.birthDate);
      const municipality = page.getByLabel('Gemeente', { exact: true });
      if ((await municipality.inputValue()) === '') await municipality.selectOption({ label: 'Goes' });
      await page.getByLabel('Telefoonnummer', { exact: true }).fill(r.phone);
      await page.getByLabel('E-mailadres', { exact: true }).fill(r.email);
      await page.getByLabel('Adres', { exact: true }).fill(r.address);
      await page.getByRole('button', { name: 'Inschrijven' }).click();
      assert.match(pathOf(page), /^\/residents\/\d+$/, `registered: ${await page.locator('main').innerText()}`);
      residentId = pathOf(page).split('/').pop();
      assert.match(await page.getByRole('status').first().innerText(), /De inwoner is ingeschreven/);
      await axeCheck(page, { label: '/residents/{id} (new resident)' });

      await page.getByRole('link', { name: 'Nieuwe indicatie' }).click();
      assert.equal(pathOf(page), `/residents/${residentId}/indications/new`);
      await axeCheck(page, { label: '/residents/{id}/indications/new' });
      await page.getByLabel('Product', { exact: true }).selectOption('BT');
      const provider = page.getByLabel('Aanbieder', { exact: true });
      const zzc = await provider.locator('option', { hasText: PROVIDER }).first().getAttribute('value');
      assert.ok(zzc, `${PROVIDER} is among the providers`);
      await provider.selectOption(zzc);
      await page.getByLabel('Startdatum', { exact: true }).fill(btStart);
      await page.getByLabel('Einddatum', { exact: true }).fill(btEnd);
      await page.getByLabel('Gepland afschaalmoment', { exact: true }).fill(today);
      await page.getByLabel('Afgesproken resultaat', { exact: true }).fill(agreed);
      await page.getByRole('button', { name: 'Opslaan' }).click();
      assert.match(pathOf(page), /^\/indications\/\d+$/, `the BT was saved: ${await page.locator('main').innerText()}`);
      btId = pathOf(page).split('/').pop();
      const facts = await page.locator('.waakvlam-facts').innerText();
      for (const day of [btStart, btEnd, today]) assert.match(facts, new RegExp(nlDate(day)), `the BT's facts show ${day}`);
      await axeCheck(page, { label: '/indications/{id} (the new BT)' });
    } finally {
      await context.close();
    }
  }
  diagnostic(`resident ${residentId} registered and BT ${btId} issued`);

  // 2. The team lead finds the allocation in the intake inbox and gives it to Sanne de Wit.
  {
    const { context, page } = await staff();
    try {
      await login(page, 'team_lead');
      await page.getByRole('link', { name: 'Naar de nieuwe toewijzingen' }).click();
      assert.equal(pathOf(page), '/intake');
      await axeCheck(page, { label: '/intake' });
      const card = page.locator('li.waakvlam-card', { hasText: r.family });
      assert.equal(await card.count(), 1, `the allocation of ${r.family} is in the inbox once`);
      const text = await card.innerText();
      assert.match(text, /BT — /, 'the product');
      assert.match(text, new RegExp(`${nlDate(btStart)}[\\s\\S]*${nlDate(btEnd)}`), 'the period');
      assert.match(text, new RegExp(`Gepland afschaalmoment\\s+${nlDate(today)}`), 'the scale-down moment');
      assert.match(text, new RegExp(escapeRegExp(agreed)), 'the agreed result');
      const select = card.getByRole('combobox');
      const sanne = await select.locator('option', { hasText: PROFESSIONAL }).first().getAttribute('value');
      assert.ok(sanne, `${PROFESSIONAL} can be chosen`);
      await select.selectOption(sanne);
      await card.getByRole('button', { name: 'Toewijzen' }).click();
      assert.equal(pathOf(page), '/intake');
      assert.match(await page.getByRole('status').first().innerText(), /staat nu op de caseload van de gekozen begeleider/);
      assert.equal(await page.locator('li.waakvlam-card', { hasText: r.family }).count(), 0, 'it left the inbox');
      await axeCheck(page, { label: '/intake after assigning' });
    } finally {
      await context.close();
    }
  }

  // 3. The resident is on Sanne's caseload; she makes an activation code for the resident's first login.
  let code;
  {
    const { context, page } = await staff();
    try {
      await login(page, 'professional');
      const row = page.locator('table.waakvlam-caseload tbody tr', { has: page.locator(`a[href="/clients/${residentId}"]`) });
      assert.equal(await row.count(), 1, `resident ${residentId} is on ${PROFESSIONAL}'s caseload`);
      assert.match(await row.innerText(), /BT/);
      await axeCheck(page, { label: '/caseload' });
      await row.getByRole('link').first().click();
      assert.equal(pathOf(page), `/clients/${residentId}`);
      const now = await page.locator('.waakvlam-client-now .waakvlam-facts').innerText();
      assert.match(now, new RegExp(escapeRegExp(agreed)), 'the agreed result on the resident page');
      assert.match(now, new RegExp(`Afschaalmoment\\s+${nlDate(today)}`), 'the scale-down moment on the resident page');
      await axeCheck(page, { label: '/clients/{id}' });
      await page.getByRole('button', { name: 'Nieuwe code maken' }).click();
      code = (await page.locator('#activation-code').innerText()).trim();
      login2 = (await page.locator('#activation-login').innerText()).trim();
      assert.ok(code && login2, 'the letter shows a code and a login name');
      await axeCheck(page, { label: 'the activation letter' });
    } finally {
      await context.close();
    }
  }

  // 4. The resident activates the account on a phone and rings the bell.
  {
    const { context, page } = await phone();
    try {
      await page.goto('/login');
      await page.getByRole('link', { name: 'Code gebruiken' }).click();
      assert.equal(pathOf(page), '/activate');
      await axeCheck(page, { label: '/activate' });
      await page.getByLabel('Jouw code').fill(code);
      await page.getByLabel('Kies een wachtwoord').fill(r.password);
      await page.getByLabel('Typ het wachtwoord nog een keer').fill(r.password);
      await page.getByRole('button', { name: 'Wachtwoord opslaan' }).click();
      assert.equal(pathOf(page), '/me');
      await axeCheck(page, { label: '/me' });
      await page.getByRole('link', { name: 'Ik wil hulp' }).click();
      assert.equal(pathOf(page), '/me/help');
      await axeCheck(page, { label: '/me/help' });
      await page.getByLabel('Wil je iets vertellen?').fill(r.helpText);
      await page.getByRole('button', { name: 'Ja, ik wil hulp' }).click();
      assert.equal(pathOf(page), '/me');
      const status = await page.getByRole('status').first().innerText();
      assert.match(status, /We hebben je vraag gekregen/);
      assert.match(status, new RegExp(`${PROFESSIONAL} belt je uiterlijk`));
      assert.match(await page.locator('#bell-seen').innerText(), /nog niet gezien/);
      await axeCheck(page, { label: '/me after ringing' });
    } finally {
      await context.close();
    }
  }

  // 5. Sanne receives an e-mail that links to the resident's page and names nobody.
  const link = `${baseURL}/clients/${residentId}`;
  const rung = Date.now();
  const mail = await waitForMail(
    mailbox,
    (m) => m.to.includes(emailFor('professional')) && m.body.includes(link),
    `to ${emailFor('professional')} linking to ${link}`,
  );
  assert.equal(mail.subject, 'Hulpvraag in Waakvlam');
  assert.match(mail.from, /waakvlam@localhost/);
  assert.match(mail.body, new RegExp(`Er staat een hulpvraag voor je klaar\\. Open Waakvlam: ${escapeRegExp(link)}\\s`));
  for (const secret of [r.bsn, ...r.givenNames.split(' '), r.family, r.phone, r.email, r.address, r.helpText, 'woningcorporatie']) {
    // Both as sent and decoded (the body may travel quoted-printable or base64).
    const whole = `${mail.raw}\n${mail.subject}\n${mail.body}`;
    assert.ok(!whole.includes(secret), `the mail must not contain ${JSON.stringify(secret)}:\n${mail.raw}`);
  }
  diagnostic(`the bell mail arrived after ${((Date.now() - rung) / 1000).toFixed(1)} s`);

  // 6. Sanne opens the link from the mail and picks the bell up.
  {
    const { context, page } = await staff();
    try {
      await login(page, 'professional');
      await page.goto('/notifications');
      const item = page.locator('.waakvlam-notifications li', { hasText: 'Een inwoner vraagt om hulp' }).first();
      assert.match(await item.innerText(), /Gemaild op/, 'the notification says it was mailed');
      await axeCheck(page, { label: '/notifications' });
      await page.goto(link);
      assert.equal(pathOf(page), `/clients/${residentId}`);
      const bell = page.locator('li.waakvlam-bell');
      assert.equal(await bell.count(), 1, 'one open bell');
      assert.match(await bell.innerText(), new RegExp(escapeRegExp(r.helpText)), 'with what the resident wrote');
      await bell.getByRole('button', { name: 'Oppakken' }).click();
      assert.match(await page.getByRole('status').first().innerText(), /Hulpvraag bijgewerkt/);
      assert.match(await page.locator('li.waakvlam-bell').innerText(), /Opgepakt op/);
      await axeCheck(page, { label: '/clients/{id} with the bell picked up' });
    } finally {
      await context.close();
    }
  }

  // 7. The resident sees that the bell was seen.
  {
    const { context, page } = await phone();
    try {
      await page.goto('/login');
      await submitLogin(page, login2, r.password);
      assert.equal(pathOf(page), '/me');
      // "op woensdag 2 december om 14:05": today, in words (this year's days without the year).
      const inWords = new Intl.DateTimeFormat('nl-NL', { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' })
        .format(new Date(`${today}T12:00:00Z`));
      assert.match(await page.locator('#bell-seen').innerText(), new RegExp(`^Je hulpverlener heeft je vraag gezien op ${inWords} om \\d{2}:\\d{2}\\.$`));
      await axeCheck(page, { label: '/me with the bell seen' });
    } finally {
      await context.close();
    }
  }

  // 8. Sanne rounds the bell off, and at the scale-down moment asks the municipality for waakvlam.
  {
    const { context, page } = await staff();
    try {
      await login(page, 'professional');
      await page.goto(`/clients/${residentId}`);
      const bell = page.locator('li.waakvlam-bell');
      await bell.getByLabel('Wat is er gedaan?').fill('Gebeld; samen de brief gelezen.');
      await bell.getByRole('button', { name: 'Afronden' }).click();
      assert.match(await page.getByRole('status').first().innerText(), /Hulpvraag bijgewerkt/);
      assert.equal(await page.locator('li.waakvlam-bell').count(), 0, 'no open bell left');

      await page.getByLabel('Richting').selectOption('down');
      await page.getByLabel('Naar product').selectOption('WVL');
      await page.getByLabel('Gewenste startdatum').fill(today);
      await page.getByLabel('Reden', { exact: true }).fill(scaleReason);
      await page.getByRole('button', { name: 'Verzoek versturen' }).click();
      assert.match(await page.getByRole('status').first().innerText(), /Verzoek verstuurd naar de gemeente/);
      assert.match(await page.locator('main').innerText(), /Verzoeken die wachten op de gemeente/);
      await axeCheck(page, { label: '/clients/{id} with a scale-down request' });
    } finally {
      await context.close();
    }
  }

  // 9. The consultant approves the request on the worklist.
  let wvlId;
  {
    const { context, page } = await staff();
    try {
      await login(page, 'consultant');
      const row = page.locator('tr', { hasText: scaleReason });
      assert.equal(await row.count(), 1, 'the request is on the worklist');
      await row.getByRole('link', { name: /Beoordelen/ }).click();
      assert.match(pathOf(page), /^\/worklist\/requests\/\d+$/);
      assert.match(await page.locator('main').innerText(), new RegExp(escapeRegExp(scaleReason)));
      await axeCheck(page, { label: '/worklist/requests/{id}' });
      await page.getByLabel('Startdatum', { exact: true }).fill(today);
      await page.getByRole('button', { name: 'Toekennen' }).click();
      assert.equal(pathOf(page), '/worklist');
      assert.match(await page.getByRole('status').first().innerText(), /Het verzoek is toegekend/);
      await axeCheck(page, { label: '/worklist after approving' });

      await page.goto(`/residents/${residentId}`);
      const steps = await page.locator('.waakvlam-pathway__step').evaluateAll((lis) =>
        lis.map((li) => ({ id: li.dataset.indication, text: li.innerText })),
      );
      const bt = steps.find((s) => s.id === btId);
      const wvl = steps.find((s) => /^WVL —/.test(s.text));
      assert.ok(bt && wvl, `the pathway holds the BT and the new waakvlam: ${JSON.stringify(steps)}`);
      assert.match(bt.text, new RegExp(`t/m ${nlDate(isoDay(-1))}`), 'the BT ends the day before the waakvlam');
      assert.match(wvl.text, new RegExp(`Volgt op #${btId}`), 'the waakvlam follows the BT');
      wvlId = wvl.id;
    } finally {
      await context.close();
    }
  }

  // 10. The plan gets a new goal, which the resident reads on "my plan".
  {
    const { context, page } = await staff();
    try {
      await login(page, 'professional');
      await page.goto(`/clients/${residentId}`);
      assert.match(await page.locator('.waakvlam-client-now .waakvlam-facts').innerText(), /WVL|Waakvlam/, 'the waakvlam runs now');
      // The start of support, confirmed by the professional: the municipality gets a WMO305.
      await page.getByLabel('Eerste dag van de hulp').fill(today);
      await page.getByRole('button', { name: 'Start melden' }).click();
      assert.match(await page.getByRole('status').first().innerText(), /Start van de hulp vastgelegd/);
      assert.equal(await page.getByRole('button', { name: 'Start melden' }).count(), 0, 'told once: the form is gone');
      await page.getByLabel('Soort').selectOption('goal');
      await page.locator('#plan-text').fill(goal);
      await page.getByRole('button', { name: 'Toevoegen' }).click();
      assert.match(await page.getByRole('status').first().innerText(), /Het plan is bijgewerkt/);
      assert.equal(await page.locator('.waakvlam-plan-item', { hasText: goal }).count(), 1, 'the goal is on the plan');
      await axeCheck(page, { label: '/clients/{id} with the new goal' });
    } finally {
      await context.close();
    }
  }
  {
    const { context, page } = await phone();
    try {
      await page.goto('/login');
      await submitLogin(page, login2, r.password);
      await page.goto('/me/plan');
      assert.match(await page.locator('main').innerText(), new RegExp(escapeRegExp(goal)), 'the resident reads the goal');
      await axeCheck(page, { label: '/me/plan' });
      await logout(page);
    } finally {
      await context.close();
    }
  }

  // 11. The waakvlam ends with its result assessed; the consultant reads the result on the indication page.
  {
    const { context, page } = await staff();
    try {
      await login(page, 'professional');
      await page.goto(`/clients/${residentId}`);
      await page.getByLabel('Laatste dag').fill(today);
      await page.getByLabel('Uitkomst').selectOption('independent');
      await page.getByLabel('Is het afgesproken resultaat bereikt?').selectOption('reached');
      await page.getByLabel('In één zin: waarom?').fill(resultSentence);
      await page.getByRole('button', { name: 'Beëindigen…' }).click();
      assert.match(await page.locator('h1').innerText(), /Waakvlam beëindigen\?/);
      await axeCheck(page, { label: 'the end confirmation' });
      await page.getByRole('button', { name: 'Ja, beëindigen' }).click();
      assert.match(await page.getByRole('status').first().innerText(), /De waakvlam is beëindigd/);
      const past = await page.locator('.waakvlam-past-results').innerText();
      assert.match(past, new RegExp(`WVL tot ${nlDate(today)}: Bereikt\\. ${escapeRegExp(resultSentence)}`));
      await axeCheck(page, { label: '/clients/{id} after the end' });
    } finally {
      await context.close();
    }
  }
  {
    const { context, page } = await staff();
    try {
      await login(page, 'consultant');
      await page.goto(`/residents/${residentId}`);
      const step = page.locator(`[data-indication="${wvlId}"]`);
      assert.match(await step.innerText(), /Uitkomst: Zelfstandig verder/);
      assert.match(await step.innerText(), new RegExp(`Resultaat bij einde: Bereikt.*${escapeRegExp(resultSentence)}`));
      await axeCheck(page, { label: '/residents/{id} with the ended waakvlam' });
      await step.locator('h3 a').click();
      assert.equal(pathOf(page), `/indications/${wvlId}`);
      const facts = await page.locator('.waakvlam-facts').innerText();
      assert.match(facts, /Bereikt/, `the result on the indication page: ${facts}`);
      assert.match(facts, new RegExp(escapeRegExp(resultSentence)));
      // The provider's start and end of delivery, on the municipality's page.
      assert.match(facts, new RegExp(`Start van de levering\\s+${escapeRegExp(nlDate(today))}`), facts);
      assert.match(facts, new RegExp(`Einde van de levering\\s+${escapeRegExp(nlDate(today))}`), facts);
      await axeCheck(page, { label: '/indications/{id} (the ended waakvlam)' });
      await page.goto('/notifications');
      await axeCheck(page, { label: '/notifications (consultant)' });
      // The message log holds the WMO301s of the consultant's decisions and the provider's start and stop, ready
      // to send; the newest (the stop) opens with its XML.
      await page.getByRole('navigation').first().getByRole('link', { name: 'Berichtenverkeer' }).click();
      assert.equal(pathOf(page), '/iwmo');
      const log = await page.locator('table.waakvlam-iwmo-log').innerText();
      assert.match(log, /WMO301 toewijzing[\s\S]*Klaar om te versturen/);
      assert.match(log, /WMO305 start zorg/);
      assert.match(log, /WMO307 stop zorg/);
      await axeCheck(page, { label: '/iwmo' });
      await page.locator('table.waakvlam-iwmo-log a').first().click();
      assert.match(pathOf(page), /^\/iwmo\/\d+$/);
      assert.match(await page.locator('pre.waakvlam-xml').innerText(), /<Bericht xmlns="http:\/\/www\.istandaarden\.nl\/iwmo\/3_2\/wmo307\/schema"/);
      await axeCheck(page, { label: '/iwmo/{id}' });
      // Without a transport connection: received files are read in on /iwmo/upload, each answered in words.
      await page.goto('/iwmo');
      await page.getByRole('link', { name: 'Ontvangen berichten inlezen' }).click();
      assert.equal(pathOf(page), '/iwmo/upload');
      await axeCheck(page, { label: '/iwmo/upload' });
      await page.getByLabel('Berichtbestanden (XML)').setInputFiles({
        name: 'notitie.txt',
        mimeType: 'text/plain',
        buffer: Buffer.from('Dit is geen bericht.'),
      });
      await page.getByRole('button', { name: 'Inlezen' }).click();
      assert.equal(pathOf(page), '/iwmo/upload');
      const results = await page.locator('#upload-results').innerText();
      assert.match(results, /notitie\.txt/);
      assert.match(results, /geen iWmo 3\.2-bericht/, results);
      await axeCheck(page, { label: '/iwmo/upload with results' });
    } finally {
      await context.close();
    }
  }
  return { bsn: r.bsn, family: r.family };
}

/**
 * `waakvlam iwmo export` after the walk: the consultant's two decisions (the BT, and the approved scale-down that
 * ends it and starts the waakvlam) went to the provider as two WMO301 messages; the provider's scale-down request to
 * the municipality as a WMO317, and the start and stop of the waakvlam as a WMO305 and a WMO307 — each valid against
 * its XSD, for this resident; a second export writes nothing.
 */
function exportMessages(databaseUrl, resident, diagnostic) {
  const out = mkdtempSync(join(tmpdir(), 'waakvlam-e2e-iwmo-'));
  try {
    const run = () => execFileSync(appBinary(), ['iwmo', 'export', '--out', out, '--database-url', databaseUrl], { encoding: 'utf8' });
    const first = run();
    const files = readdirSync(out).filter((f) => f.endsWith('.xml')).sort();
    const mine = files.filter((f) => readFileSync(join(out, f), 'utf8').includes(`<Bsn>${resident.bsn}</Bsn>`));
    const kinds = mine.map((f) => f.slice(0, 'WMO301'.length));
    assert.deepEqual(kinds, ['WMO301', 'WMO301', 'WMO305', 'WMO307', 'WMO317'], `the resident's messages: ${files.join(', ')}\n${first}`);
    for (const f of mine) {
      assert.match(f, /^WMO3(0[157]|17)_WVL\d{9}\.xml$/);
      const xsd = resolve(REPO_ROOT, `crates/iwmo/xsd/${f.slice(0, 'WMO301'.length)}.xsd`);
      execFileSync('xmllint', ['--noout', '--nonet', '--schema', xsd, join(out, f)], { stdio: ['ignore', 'pipe', 'pipe'] });
    }
    const [bt, change, start, stop, request] = mine.map((f) => readFileSync(join(out, f), 'utf8'));
    assert.equal(bt.match(/<ToegewezenProduct>/g).length, 1, 'the first names the BT');
    assert.equal(change.match(/<ToegewezenProduct>/g).length, 2, 'the second ends the BT and starts the waakvlam');
    assert.match(change, /<RedenWijziging>12<\/RedenWijziging>/);
    assert.match(start, /<iwmo:Code>WVL<\/iwmo:Code>/, 'the start is the waakvlam\'s');
    assert.match(stop, /<RedenBeeindiging>19<\/RedenBeeindiging>/, 'ended as planned: independent');
    // The professional's scale-down request went as a WMO317, and the approval's WMO301 names it.
    const reference = request.match(/<ReferentieAanbieder>([^<]+)<\/ReferentieAanbieder>/)[1];
    assert.match(request, /<iwmo:Code>WVL<\/iwmo:Code>/, 'asking for the waakvlam');
    assert.ok(change.includes(`<ReferentieAanbieder>${reference}</ReferentieAanbieder>`), 'the approval names the request');
    assert.match(run(), /^0 message\(s\) written/m, 'a second export writes nothing');
    diagnostic(`iwmo export: ${files.length} message(s), ${mine.length} for this resident (${kinds.join(', ')}), XSD-valid`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

// --- The runs -------------------------------------------------------------------------------------------------

describe('the whole case, end to end, with e-mail', { timeout: TEST_TIMEOUT * 10 }, () => {
  let browser;
  let mailbox;
  before(async () => {
    browser = await launchBrowser();
    mailbox = await startSmtp();
  });
  after(async () => {
    await browser?.close();
    await mailbox?.stop();
  });

  /** Start the demo on `databaseUrl`, walk the case, stop it (also when the walk fails). */
  async function run(t, databaseUrl) {
    const app = await startApp(databaseUrl, mailbox.port);
    t.diagnostic(`demo server ready at ${app.baseUrl} after ${app.seconds} s`);
    const started = Date.now();
    let resident;
    try {
      resident = await walk(browser, app.baseUrl, mailbox, (text) => t.diagnostic(text));
    } catch (e) {
      e.message += `\n---- last lines of the demo server's log ----\n${app.log(40)}`;
      throw e;
    } finally {
      await app.stop();
    }
    t.diagnostic(`walk took ${Math.round((Date.now() - started) / 1000)} s`);
    exportMessages(databaseUrl, resident, (text) => t.diagnostic(text));
  }

  test('on SQLite', { timeout: STARTUP_MS + TEST_TIMEOUT * 3 }, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'waakvlam-e2e-case-'));
    try {
      await run(t, `sqlite://${join(dir, 'case.db')}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test(
    'on PostgreSQL',
    {
      timeout: STARTUP_MS + TEST_TIMEOUT * 3,
      skip: PG_URL ? false : 'WAAKVLAM_TEST_POSTGRES_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/postgres)',
    },
    async (t) => {
      const db = createPostgresDatabase();
      try {
        await run(t, db.url);
      } finally {
        db.drop();
      }
    },
  );
});
