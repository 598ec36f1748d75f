// Drives a running Entraide node (started with `serve --demo`) in headless Chromium, as a
// volunteer and as the demo coordinator would, at phone and desktop sizes, with JavaScript
// turned off (the pages must work without it). On every page it runs axe-core (WCAG 2.0/2.1 A
// and AA) and checks that nothing overflows sideways and that controls are big enough to touch.
// Phone screenshots of the key pages are saved to OUTDIR.
//
//   node check.mjs BASE_URL [OUTDIR]        exit 0 when all is well, 1 otherwise
//
// The node sends its emails to an SMTP server that stores them in the Maildir named by
// $ENTRAIDE_MAILDIR (tests/web.rs starts aiosmtpd for it): the links a person would follow
// (confirm an address, reset a password, accept an invitation) are read from those emails.
//
// Chromium is Debian's (/usr/bin/chromium, or $CHROMIUM); playwright-core never downloads one.

import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [base, outDir = 'screenshots'] = process.argv.slice(2);
if (!base) {
  console.error('usage: node check.mjs BASE_URL [OUTDIR]');
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
// The Maildir where the SMTP server the node sends to stores each email as a file.
const MAILDIR = process.env.ENTRAIDE_MAILDIR;
const DEMO = { user: 'demo', password: 'demo-entraide' }; // src/demo.rs
const VOLUNTEER = { user: 'camille', password: 'demo-entraide' }; // src/demo.rs
// The node's administrator, made before the demo's accounts (tests/web.rs), as `name:password`.
const [adminUser, ...adminPassword] = (process.env.ENTRAIDE_ADMIN || '').split(':');
const ADMIN = { user: adminUser, password: adminPassword.join(':') };
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

const sizes = [
  // Phone: French, as the node's default; scale 1 keeps the screenshots small.
  // `card`: which of the association's missions the volunteer signs up for (one each, so that
  // the two runs do not meet).
  { name: 'phone', lang: 'fr', shots: true, card: 0, fullName: 'Anne Kerhervé', former: 'ancien·ne bénévole',
    context: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true, locale: 'fr-FR' } },
  // Desktop: a browser that prefers English gets English pages.
  { name: 'desktop', lang: 'en', shots: false, card: 1, fullName: 'Yann Le Gall', former: 'former volunteer', context: { viewport: { width: 1280, height: 800 }, locale: 'en-GB' } },
];

const failures = [];
let pagesAudited = 0;

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(what)), ms); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function check(condition, what) {
  if (!condition) throw new Error(what);
}

/// Everything a page must satisfy, whatever it is.
async function audit(page, size, label) {
  const where = `${size.name} ${label} (${page.url()})`;
  check((await page.getAttribute('html', 'lang')) === size.lang, `${where}: <html lang> is not ${size.lang}`);
  // Pages work without JavaScript (this browser runs with it off); a script may only add help,
  // as one of this site's files loaded with `defer` (place completion), never inline.
  const scripts = await page.locator('script').evaluateAll((list) =>
    list.map((s) => ({ src: s.getAttribute('src') || '', defer: s.defer, inline: s.textContent.trim() !== '' })));
  for (const s of scripts) {
    check(s.src.startsWith('/static/') && s.defer && !s.inline, `${where}: a <script> that is not one of this site's deferred files (${s.src || 'inline'})`);
  }
  check((await page.locator('h1').count()) === 1, `${where}: expected exactly one <h1>`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 0, `${where}: the page is ${overflow}px wider than the screen`);
  if (size.name === 'phone') {
    // Buttons, form fields and menu links at least 44 px high (WCAG 2.5.5's size, and Apple's
    // and Android's guidance); other standalone links at least 24 px (WCAG 2.2's 2.5.8). Links
    // inside sentences are exempt.
    const small = await page.evaluate(() => {
      const rules = [
        ['button, .button, .top a, select, textarea, input:not([type=hidden]):not([type=checkbox]):not([type=radio]), .links a, .subnav a, summary, .danger-link, .week .cell', 44],
        ['.check', 44],
        ['.cards h3 a, .mine-item a', 24],
      ];
      const out = [];
      for (const [selector, min] of rules) {
        for (const el of document.querySelectorAll(selector)) {
          const h = el.getBoundingClientRect().height;
          if (el.offsetParent !== null && h < min) {
            out.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} "${(el.textContent || '').trim().slice(0, 30)}" ${Math.round(h)}px < ${min}px`);
          }
        }
      }
      return out;
    });
    check(small.length === 0, `${where}: touch targets too small: ${small.join('; ')}`);
  }
  // axe-core needs timers, which stop when JavaScript is off: the page's HTML is audited in a
  // twin page of the same size with JavaScript on, at the same origin so the styles load.
  const auditor = size.auditor;
  await auditor.setContent(await page.content(), { waitUntil: 'load' });
  await auditor.evaluate(axeSource);
  const { violations } = await withTimeout(
    auditor.evaluate((tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }), TAGS),
    30000, `${where}: axe did not finish`);
  pagesAudited += 1;
  for (const v of violations) {
    const nodes = v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ');
    const line = `${where}: axe ${v.impact} ${v.id}: ${v.help} [${nodes}]`;
    console.log(line);
    if (v.impact === 'serious' || v.impact === 'critical') failures.push(line);
  }
}

async function shot(page, size, name) {
  if (size.shots) await page.screenshot({ path: join(outDir, `${name}.png`), fullPage: true });
}

async function visit(page, url, status = 200) {
  const res = await page.goto(url);
  check(res && res.status() === status, `GET ${url}: HTTP ${res?.status()}, expected ${status}`);
  return res;
}

/// Clicks a submit button and returns the response of the POST that follows, after redirects.
async function submit(page, button) {
  const target = typeof button === 'string' ? page.locator(button) : button;
  const [res] = await Promise.all([page.waitForNavigation(), target.click()]);
  return res;
}

/// A new browser session (its own cookies) with JavaScript off, at the size's viewport.
async function session(browser, size) {
  const context = await browser.newContext({ ...size.context, javaScriptEnabled: false });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  return page;
}

async function logIn(page, who, status = 200) {
  await visit(page, base + '/login');
  await page.fill('#name', who.user);
  await page.fill('#password', who.password);
  const res = await submit(page, 'main form button[type=submit]');
  check(res.status() === status, `login as ${who.user}: HTTP ${res.status()}, expected ${status} (${page.url()})`);
  return res;
}

async function logOut(page) {
  await submit(page, '.top form[action="/logout"] button');
}

async function run(browser, size) {
  const page = await session(browser, size);
  try {
    // A volunteer: home, an association, a mission.
    await visit(page, base + '/');
    await audit(page, size, 'home');
    check(await page.locator('.cards .card').count() > 0, 'home: no mission card (was the node started with --demo?)');
    await shot(page, size, 'home');
    // Search: the home form sent, its results; a refused filter said next to its field.
    await page.fill('#q', '');
    await submit(page, 'form[action="/search"] button[type="submit"]');
    await audit(page, size, 'search results');
    check(await page.locator('.search-results .card').count() > 0, 'search: nothing found on the demo node');
    await visit(page, base + '/search?lat=48.39&radius=10', 422);
    await audit(page, size, 'search refused');
    await visit(page, base + '/');

    const assoHref = await page.locator('section[aria-labelledby="h-assos"] a').first().getAttribute('href');
    const assoName = assoHref.split('/').pop();
    size.assoName = assoName;
    await visit(page, base + assoHref);
    await audit(page, size, 'association');
    const handle = (await page.locator('.handle.big').innerText()).trim();
    check(handle === `@${assoName}@${new URL(base).host}`, `association: follow address is "${handle}"`);
    check(await page.locator('a.button[href$="/missions/new"]').count() === 0, 'association: a visitor sees the publish button');
    await shot(page, size, 'association');

    await page.locator('.cards .card h3 a').nth(size.card).click();
    check(/\/m\/[0-9a-f-]+$/.test(page.url()), `mission link led to ${page.url()}`);
    await audit(page, size, 'mission');
    const facts = await page.locator('.facts dt').allInnerTexts();
    check(facts.length >= 6, `mission: only ${facts.length} facts (${facts.join(', ')})`);
    await shot(page, size, 'mission');

    // Someone with a Mastodon account: an address that cannot be right is refused in words;
    // a used or unknown link says so (web/fediverse.rs).
    const fediMission = page.url();
    const fediForm = 'main form[action$="/fediverse"] >> nth=0';
    check(await page.locator(fediForm).count() === 1, 'mission: no form for a Mastodon address');
    await page.locator(`${fediForm} >> input[name=handle]`).fill('pas une adresse');
    const fediRes = await submit(page, `${fediForm} >> button`);
    check(fediRes.status() === 422, `bad Mastodon address: HTTP ${fediRes.status()}, expected 422`);
    check(await page.locator('[role=alert]').isVisible(), 'bad Mastodon address: no visible error message');
    await audit(page, size, 'Mastodon address refused');
    await visit(page, base + '/confirm/' + 'A'.repeat(43), 410);
    await audit(page, size, 'used or unknown link');
    await visit(page, fediMission);

    // A volunteer: "Se connecter pour s'inscrire" on the mission, back to it, one click to sign up.
    const missionUrl = page.url();
    const missionTitle = (await page.locator('h1').innerText()).trim();
    const loginToSignUp = page.locator('main a.button[href^="/login?next="]').first();
    check(await loginToSignUp.count() === 1, 'mission: a visitor is not offered to log in to sign up');
    await loginToSignUp.click();
    await page.fill('#name', VOLUNTEER.user);
    await page.fill('#password', VOLUNTEER.password);
    let res = await submit(page, 'main form button[type=submit]');
    check(res.status() === 200 && page.url() === missionUrl, `volunteer login: landed on ${page.url()}, expected ${missionUrl}`);
    res = await submit(page, 'main form[action$="/signup"] button');
    check(res.status() === 200 && page.url().endsWith('?done=signed_up'), `sign-up: landed on ${page.url()} (HTTP ${res.status()})`);
    check(await page.locator('.notice').isVisible(), 'sign-up: no confirmation');
    check(await page.locator('main form[action$="/withdraw"] button').count() === 1, 'sign-up: no button to leave the slot');
    await audit(page, size, 'mission, signed up');
    await shot(page, size, 'mission-signed-up');

    await page.locator('.top a[href="/me/slots"]').click();
    await audit(page, size, 'my slots');
    check(await page.locator('main .cards .card').count() >= 1, 'my slots: the sign-up is not listed');
    await shot(page, size, 'my-slots');

    await page.locator('.subnav a[href="/me/profile"]').click();
    await audit(page, size, 'profile');
    await shot(page, size, 'profile');
    // The home town is looked up among the communes: an unknown one is refused next to its
    // field with suggestions, a known one saved.
    await page.fill('#home_town', 'Plouzanet');
    res = await submit(page, 'main form button[type=submit]');
    check(res.status() === 422, `bad profile: HTTP ${res.status()}, expected 422`);
    check(await page.locator('#home_town-error').isVisible(), 'bad profile: no error next to the home town');
    check((await page.locator('#home_town-error').innerText()).includes('Plouzané'), 'bad profile: no suggestion for the home town');
    await audit(page, size, 'profile with errors');
    await page.fill('#home_town', 'Plouzané');
    res = await submit(page, 'main form button[type=submit]');
    check(res.status() === 200 && page.url().endsWith('?done=profile_saved'), `profile: landed on ${page.url()}`);

    await page.locator('.subnav a[href="/me/matches"]').click();
    await audit(page, size, 'matches');
    check(await page.locator('main .why').count() > 0, 'matches: no reasons shown');
    await shot(page, size, 'matches');

    // Volunteer hours: an impossible duration is refused next to its field, then recorded.
    await page.locator('.subnav a[href="/me/hours"]').click();
    await audit(page, size, 'my hours');
    await page.fill('#log-minutes', '30');
    await page.fill('#log-distance_km', size.lang === 'en' ? '12.5' : '12,5');
    res = await submit(page, 'main form[action="/me/hours"] button[type=submit]');
    check(res.status() === 422, `30 hours in a day: HTTP ${res.status()}, expected 422`);
    check(await page.locator('#log-minutes-error').isVisible(), 'hours: no error next to the duration');
    await audit(page, size, 'my hours with errors');
    await page.fill('#log-minutes', '2');
    res = await submit(page, 'main form[action="/me/hours"] button[type=submit]');
    check(res.status() === 200 && page.url().endsWith('?done=logged_pending'), `hours: landed on ${page.url()}`);
    check(await page.locator('main .cards .card').count() >= 1, 'hours: the action is not listed');
    await audit(page, size, 'my hours, recorded');
    await shot(page, size, 'my-hours');
    if (size.lang === 'fr') {
      // The guide exists in French only (its page says lang="fr").
      await page.locator('main a[href="/guide/heures"]').click();
      await audit(page, size, 'hours guide');
    }

    // Leave the slot, then take it again (the coordinator will see the volunteer on it).
    await visit(page, base + '/me/slots');
    const mine = () => page.locator('main .card', { hasText: missionTitle });
    res = await submit(page, mine().locator('form[action$="/withdraw"] button'));
    check(res.status() === 200 && page.url().endsWith('?done=withdrawn'), `leaving: landed on ${page.url()}`);
    check(await mine().locator('form[action$="/withdraw"]').count() === 0, 'leaving: the button to leave is still there');
    await visit(page, missionUrl);
    res = await submit(page, 'main form[action$="/signup"] button');
    check(page.url().endsWith('?done=signed_up'), `signing up again: landed on ${page.url()}`);

    // My data: the archive's link, the deletion refused with a wrong password (kept: the
    // other size's run needs this volunteer), and the privacy page from the footer.
    await visit(page, base + '/me/slots');
    await page.locator('.subnav a[href="/me/data"]').click();
    await audit(page, size, 'my data');
    check(await page.locator('main a[href="/me/data/export"]').count() === 1, 'my data: no export link');
    await page.fill('#password', 'not the password');
    res = await submit(page, 'main form[action="/me/delete"] button[type=submit]');
    check(res.status() === 403, `deletion with a wrong password: HTTP ${res.status()}, expected 403`);
    check(await page.locator('[role=alert]').isVisible(), 'deletion refused: no visible error message');
    await audit(page, size, 'my data, deletion refused');
    await shot(page, size, 'my-data');
    await page.locator('footer a[href="/privacy"]').click();
    await audit(page, size, 'privacy');
    await shot(page, size, 'privacy');
    await submit(page, '.top form[action="/logout"] button');

    // The coordinator: a wrong password, then the right one.
    await visit(page, base + '/login');
    await audit(page, size, 'login');
    await shot(page, size, 'login');
    await page.fill('#name', DEMO.user);
    await page.fill('#password', 'not the password');
    res = await submit(page, 'main form button[type=submit]');
    check(res.status() === 401, `wrong password: HTTP ${res.status()}, expected 401`);
    check(await page.locator('[role=alert]').isVisible(), 'wrong password: no visible error message');
    check((await page.inputValue('#name')) === DEMO.user, 'wrong password: the user name was not kept');
    await audit(page, size, 'login failed');
    await page.fill('#password', DEMO.password);
    res = await submit(page, 'main form button[type=submit]');
    check(res.status() === 200 && new URL(page.url()).pathname === '/', `login: landed on ${page.url()} (HTTP ${res.status()})`);
    check(await page.locator('#h-mine').isVisible(), 'login: the home page shows no "Mes associations"');
    check(await page.locator('.mine a.button[href$="/missions/new"]').count() > 0, 'login: no publish link among my associations');
    await audit(page, size, 'home, logged in');
    await shot(page, size, 'home-coordinator');

    // Publishing: from the association page, an invalid form first, then a valid one.
    await visit(page, base + assoHref);
    await page.locator('main a.button[href$="/missions/new"]').click();
    check(page.url().endsWith(`/g/${assoName}/missions/new`), `publish button led to ${page.url()}`);
    await audit(page, size, 'publish form');
    await shot(page, size, 'publish-form');
    await page.fill('#title', '');
    await page.fill('#description', 'Tenir le stand et accueillir les passants.');
    await page.fill('#capacity', '0');
    res = await submit(page, 'main form button[value=publish]');
    check(res.status() === 422, `invalid form: HTTP ${res.status()}, expected 422`);
    check(await page.locator('.error-box').isVisible(), 'invalid form: no error summary');
    for (const field of ['title', 'start_time', 'end_time', 'locality', 'capacity']) {
      check(await page.locator(`#${field}-error`).isVisible(), `invalid form: no error next to ${field}`);
      check((await page.getAttribute(`#${field}`, 'aria-invalid')) === 'true', `invalid form: ${field} not marked invalid`);
    }
    check((await page.inputValue('#description')) === 'Tenir le stand et accueillir les passants.', 'invalid form: the description was lost');
    check((await page.inputValue('#capacity')) === '0', 'invalid form: the capacity was lost');
    await audit(page, size, 'publish form with errors');
    await shot(page, size, 'publish-form-errors');

    const year = new Date().getFullYear() + 1;
    const title = size.name === 'phone' ? 'Stand au marché Saint-Louis' : 'Stand au marché Saint-Martin';
    await page.fill('#title', title);
    await page.selectOption('#category', 'community');
    await page.fill('#start_time', `${year}-05-14T09:00`);
    await page.fill('#end_time', `${year}-05-14T12:30`);
    await page.fill('#place_name', 'Halles Saint-Louis');
    await page.fill('#locality', 'Brest');
    await page.fill('#capacity', '4');
    await page.fill('#skills', 'accueil, bonne humeur');
    await page.fill('#contact', 'Annie, 06 12 34 56 78');
    await page.check('#reduced_mobility');
    res = await submit(page, 'main form button[value=publish]');
    check(res.status() === 200 && /\/m\/[0-9a-f-]+\?published=1$/.test(page.url()), `valid form: landed on ${page.url()} (HTTP ${res.status()})`);
    check((await page.locator('h1').innerText()).trim() === title, 'new mission: wrong title');
    check(await page.locator('.notice').isVisible(), 'new mission: no confirmation');
    const facts2 = (await page.locator('.facts').innerText()).replace(/\s+/g, ' ');
    const expected = size.lang === 'en' ? ['4 places left of 4', 'accueil, bonne humeur', '09:00 to 12:30', 'Annie, 06 12 34 56 78', 'reduced mobility']
      : ['4 places restantes sur 4', 'accueil, bonne humeur', 'de 9 h à 12 h 30', 'Annie, 06 12 34 56 78', 'mobilité réduite'];
    for (const text of expected) check(facts2.includes(text), `new mission: "${text}" missing from ${facts2}`);
    await audit(page, size, 'new mission');
    await shot(page, size, 'mission-published');
    size.missionUrl = page.url().split('?')[0];

    await visit(page, base + assoHref);
    check(await page.locator('.cards h3 a', { hasText: title }).count() === 1, 'the new mission is not on the association page');

    // The association's settings, linked from the dashboard: a refused field first.
    await visit(page, base + `/g/${assoName}/dashboard`);
    await page.locator(`main a[href="/g/${assoName}/settings"]`).click();
    check(page.url().endsWith(`/g/${assoName}/settings`), `settings link led to ${page.url()}`);
    await audit(page, size, 'association settings');
    check(await page.locator('fieldset#categories legend').count() === 1, 'settings: the fields of action have no legend');
    await page.fill('#website', 'pas un site');
    res = await submit(page, `main form[action="/g/${assoName}/settings"] button[type=submit]`);
    check(res.status() === 422, `settings with a bad website: HTTP ${res.status()}, expected 422`);
    check(await page.locator('#website-error').isVisible(), 'settings: no error next to the website');
    check((await page.inputValue('#website')) === 'pas un site', 'settings: the website typed was lost');
    await audit(page, size, 'association settings with errors');
    await shot(page, size, 'association-settings');
    // Asking for a new association, from the menu: a refused field first.
    await page.locator('.top a[href="/associations/new"]').click();
    check(page.url().endsWith('/associations/new'), `menu led to ${page.url()}`);
    await audit(page, size, 'new association form');
    check(await page.locator('fieldset#categories legend').count() === 1, 'new association: the fields of action have no legend');
    await page.fill('#display_name', 'Jardin partagé');
    await page.fill('#name', 'Pas Valide !');
    res = await submit(page, 'main form[action="/associations/new"] button[type=submit]');
    check(res.status() === 422, `new association with a bad name: HTTP ${res.status()}, expected 422`);
    check(await page.locator('#name-error').isVisible(), 'new association: no error next to the name');
    check((await page.inputValue('#display_name')) === 'Jardin partagé', 'new association: the name shown was lost');
    await audit(page, size, 'new association form with errors');
    await shot(page, size, 'association-new');
    const wanted = `jardin-partage-${size.name}`;
    await page.fill('#name', wanted);
    await page.fill('#summary', 'Un jardin ouvert à tout le quartier, le samedi matin.');
    res = await submit(page, 'main form[action="/associations/new"] button[type=submit]');
    check(res.status() === 200 && page.url().endsWith('/associations/requests?done=sent'), `association request: landed on ${page.url()} (HTTP ${res.status()})`);
    await audit(page, size, 'association requests');
    // The administrators' pages (the node's administrator, not the demo coordinator: demo
    // accounts are never administrators): the request waits there with its buttons; accounts
    // waiting (none on an open node).
    await logOut(page);
    await logIn(page, ADMIN);
    await visit(page, base + '/admin/associations');
    check(await page.locator('main section.card', { hasText: `/g/${wanted}` }).locator('form[action$="/approve"]').count() === 1, 'admin associations: the request is not there to approve');
    await audit(page, size, 'admin associations');
    await shot(page, size, 'admin-associations');
    await page.locator('main a[href="/admin/accounts"]').click();
    check(page.url().endsWith('/admin/accounts'), `admin link led to ${page.url()}`);
    await audit(page, size, 'admin accounts');
    await shot(page, size, 'admin-accounts');
    await logOut(page);
    await logIn(page, DEMO);
    await visit(page, base + assoHref);

    // The dashboard: the new mission, a slot added (a refused form first), then cancelled.
    const block = () => page.locator('article.mission-block', { hasText: title });
    await page.locator('main a.button[href$="/dashboard"]').click();
    check(page.url().endsWith(`/g/${assoName}/dashboard`), `dashboard button led to ${page.url()}`);
    await audit(page, size, 'dashboard');
    // The work list first: the hours the volunteer recorded wait for validation, counted.
    check(await page.locator('section[aria-labelledby="h-work"] .work-work_hours').count() === 1, 'dashboard: the hours waiting are not in the work list');
    check(await page.locator('section[aria-labelledby="h-work"] a[href$="/reservations"]').count() >= 1, 'dashboard: no link to the reservations');
    // The form opened the mission's first slot with its places.
    check(await block().locator('.fill-bar').count() === 1, 'dashboard: the new mission has no first slot');
    await shot(page, size, 'dashboard');
    // The association's hours: validate what the volunteer recorded; the report has a chart.
    await page.locator('main a.button[href$="/hours"]').click();
    check(page.url().endsWith(`/g/${assoName}/hours`), `hours button led to ${page.url()}`);
    await audit(page, size, 'association hours');
    res = await submit(page, page.locator('main form[action$="/validate"] button').first());
    check(res.status() === 200 && page.url().endsWith('?done=validated'), `validating hours: landed on ${page.url()}`);
    check(await page.locator('svg.chart').count() >= 1, 'association hours: no chart');
    await audit(page, size, 'association hours, validated');
    await shot(page, size, 'association-hours');
    // Each bar of the charts is as high as its value says (no style sheet sizes it).
    const misfits = await page.$$eval('svg.chart rect.bar', (rects) => rects.filter((r) => Math.abs(r.getBBox().height - parseFloat(r.getAttribute('height'))) > 0.5).length);
    check(misfits === 0, `association hours: ${misfits} chart bar(s) not as high as their value`);
    await visit(page, base + `/g/${assoName}/dashboard`);
    await block().locator('a.button[href$="/slots"]').click();
    await audit(page, size, 'slots form');
    await page.fill('#slot_capacity', '');
    res = await submit(page, 'section[aria-labelledby="h-one"] button[type=submit]');
    check(res.status() === 422, `slot without capacity: HTTP ${res.status()}, expected 422`);
    check(await page.locator('#slot_capacity-error').isVisible(), 'slot without capacity: no error next to the field');
    await audit(page, size, 'slots form with errors');
    await shot(page, size, 'slots-form-errors');
    await page.fill('#slot_capacity', '2');
    res = await submit(page, 'section[aria-labelledby="h-one"] button[type=submit]');
    check(res.status() === 200 && page.url().includes('?done=slots_added'), `slot added: landed on ${page.url()}`);
    check(await block().locator('.fill-bar').count() === 2, 'dashboard: the new slot has no filling bar');
    await audit(page, size, 'dashboard with a new slot');
    await block().locator('a.danger-link').last().click();
    await audit(page, size, 'cancel a slot');
    await shot(page, size, 'slot-cancel');
    res = await submit(page, 'main button.danger');
    check(res.status() === 200 && page.url().endsWith('?done=slot_cancelled'), `slot cancelled: landed on ${page.url()}`);
    await block().locator('a[href$="/edit"]').click();
    check(await page.inputValue('#title') === title, 'edit form: the title is not filled in');
    await audit(page, size, 'edit form');

    // An address that names nothing: a page in words, not the server's plain text.
    await visit(page, base + '/nulle-part', 404);
    await audit(page, size, 'page not found');
    await visit(page, base + '/missions/abc', 404);

    // Shared equipment: the search, a resource with its month of availability, a request
    // refused then sent, the owner's reservations (accepted there), the reservation and its
    // printable agreement. Each size asks for other dates (the sound system is one item).
    await visit(page, base + '/resources');
    await audit(page, size, 'equipment search');
    await shot(page, size, 'equipment-resources');
    await page.locator('.cards h3 a', { hasText: 'Sono' }).click();
    check(/\/resources\/\d+$/.test(page.url()), `resource link led to ${page.url()}`);
    check(await page.locator('table.month td .free').count() >= 28, 'resource: no month of availability');
    await audit(page, size, 'resource');
    await shot(page, size, 'equipment-resource');
    const when = new Date(Date.now() + (12 + 7 * sizes.indexOf(size)) * 86400000).toISOString().slice(0, 10);
    await page.fill('#start_date', when);
    await page.fill('#end_date', when);
    await page.fill('#start_time', '10:00');
    await page.fill('#end_time', '08:00');
    res = await submit(page, 'main form[action$="/reserve"] button');
    check(res.status() === 422, `request returning before the pickup: HTTP ${res.status()}, expected 422`);
    check(await page.locator('#end_date-error').isVisible(), 'request: no error next to the return');
    await audit(page, size, 'resource request with errors');
    await page.fill('#end_time', '18:00');
    res = await submit(page, 'main form[action$="/reserve"] button');
    check(res.status() === 200 && /\/reservations\/\d+\?done=requested$/.test(page.url()), `request sent: landed on ${page.url()} (HTTP ${res.status()})`);
    const rid = page.url().split('/reservations/')[1].split('?')[0];
    await audit(page, size, 'reservation requested');
    await visit(page, base + '/g/littoral-plouzane/reservations');
    await audit(page, size, 'association reservations');
    await shot(page, size, 'equipment-reservations');
    res = await submit(page, `main form[action$="/reservations/${rid}/accept"] button`);
    check(res.status() === 200 && page.url().endsWith(`/reservations/${rid}?done=accept`), `accepting: landed on ${page.url()} (HTTP ${res.status()})`);
    await audit(page, size, 'reservation accepted');
    await shot(page, size, 'equipment-reservation');
    await page.locator('main a[href$="/agreement"]').click();
    check((await page.locator('h1').innerText()).includes('Convention de prêt'), 'agreement: wrong heading');
    await audit(page, size, 'agreement');
    await shot(page, size, 'equipment-agreement');
  } finally {
    await page.context().close();
  }
}

/// Every email the SMTP server stored, oldest first: `{ to, subject, body, … }` (the reader
/// the Rust tests use too; Python's `email` package decodes the transfer encoding).
// The map of the search (issue 15), with JavaScript on: Leaflet from the node itself, the
// tiles from the tile server of [map] (tests/web.rs points it at TILES, answered here by a
// one-pixel PNG: no network), markers, axe on the page as the script made it, and the list
// following the map when it is moved with the keyboard.
const TILES = 'http://tiles.entraide.test/';
const TILE_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNk+A8AAQUBAScY42YAAAAASUVORK5CYII=', 'base64');

async function mapCheck(browser, size) {
  const context = await browser.newContext({ ...size.context, javaScriptEnabled: true });
  await context.route(TILES + '**', (route) => route.fulfill({ status: 200, contentType: 'image/png', body: TILE_PNG }));
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  const scripts = [];
  page.on('request', (r) => { if (r.resourceType() === 'script') scripts.push(r.url()); });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    await visit(page, base + '/search?q=');
    await page.waitForSelector('#search-map .leaflet-marker-icon', { state: 'attached' });
    check(scripts.some((u) => u.startsWith(base + '/static/vendor/leaflet/leaflet.js?v=')), `map: Leaflet not loaded from the node (${scripts.join(', ')})`);
    check(scripts.every((u) => u.startsWith(base + '/static/')), `map: a script from elsewhere (${scripts.join(', ')})`);
    await page.waitForSelector('#search-map img.leaflet-tile-loaded', { state: 'attached' });
    check(await page.locator('#search-map .leaflet-control-attribution a[href="https://www.openstreetmap.org/copyright"]').count() === 1, 'map: no OpenStreetMap credit');
    await shot(page, size, 'search-map');
    await page.evaluate(axeSource);
    const { violations } = await withTimeout(
      page.evaluate((tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }), TAGS),
      30000, 'map: axe did not finish');
    pagesAudited += 1;
    for (const v of violations) {
      const line = `${size.name} search map: axe ${v.impact} ${v.id}: ${v.help} [${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}]`;
      console.log(line);
      if (v.impact === 'serious' || v.impact === 'critical') failures.push(line);
    }
    // Keyboard: the map takes the focus, its arrows move it, Tab leaves it (no trap).
    await page.focus('#search-map');
    for (let i = 0; i < 4; i += 1) await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Equal');
    await page.waitForFunction(() => window.location.search.includes('bbox=') && document.getElementById('results').dataset.bbox);
    const url = page.url();
    const shown = await page.locator('#results .card h3').allInnerTexts();
    const fresh = await page.evaluate(async (u) => {
      const doc = new DOMParser().parseFromString(await (await fetch(u)).text(), 'text/html');
      return Array.from(doc.querySelectorAll('#results .card h3')).map((h) => h.innerText || h.textContent.trim());
    }, url);
    check(JSON.stringify(shown.map((s) => s.trim())) === JSON.stringify(fresh.map((s) => s.trim())), `map: the list does not follow the map (${url}: ${shown} vs ${fresh})`);
    check((await page.locator('link[rel=alternate][type="application/atom+xml"]').getAttribute('href')).includes('bbox='), 'map: the feed does not follow the map');
    await page.focus('#search-map');
    await page.keyboard.press('Shift+Tab');
    check(await page.evaluate(() => document.activeElement.closest('#search-map') === null), 'map: Shift+Tab does not leave the map');
    check(errors.length === 0, `map: script errors: ${errors.join('; ')}`);
  } finally {
    await context.close();
  }
}

const READ_MAILS = fileURLToPath(new URL('../common/read_maildir.py', import.meta.url));

function mails() {
  check(MAILDIR, 'ENTRAIDE_MAILDIR is not set: the links to follow are read from the emails the node sent');
  return JSON.parse(execFileSync('python3', [READ_MAILS, MAILDIR], { encoding: 'utf8' }));
}

const sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

/// The link to `path` (followed by its token) in the newest email to `to`, as a path on this
/// node. The node's mail worker sends within a poll interval: wait for it, 30 s at most.
async function emailedLink(to, path) {
  const escaped = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`https?://[^\\s<>"]+?${escaped}[A-Za-z0-9_=-]+`);
  for (let i = 0; i < 150; i += 1) {
    for (const mail of mails().reverse()) {
      if (!mail.to.includes(to)) continue;
      const found = mail.body.match(pattern);
      if (found) {
        const link = new URL(found[0]);
        check(link.origin === new URL(base).origin, `the email to ${to} links to ${link.origin}, not to the node`);
        return link.pathname + link.search;
      }
    }
    await sleep(200);
  }
  throw new Error(`no email to ${to} with a link to ${path} (emails: ${mails().map((m) => `${m.to}: ${m.subject}`).join('; ')})`);
}

/// Someone new: registers from the login page (a refused form first), logs in, cannot sign up
/// before confirming, follows the link of the email that arrived, confirms, then signs up for
/// the mission the coordinator published; then forgets the password and sets a new one through
/// the emailed link. Returns who they are.
async function registration(browser, size) {
  const page = await session(browser, size);
  const who = { user: `newcomer-${size.name}`, email: `newcomer-${size.name}@example.org`, password: 'a long passphrase', fullName: size.fullName };
  try {
    await visit(page, base + '/login');
    check(await page.locator('main a[href="/password/forgot"]').count() === 1, 'login: no link for a forgotten password');
    await page.locator('main a[href="/register"]').click();
    check(page.url().endsWith('/register'), `registration link led to ${page.url()}`);
    await audit(page, size, 'register');
    await shot(page, size, 'register');
    await page.fill('#username', 'Not Valid');
    await page.fill('#email', 'nope');
    await page.fill('#password', 'short');
    let res = await submit(page, 'main form button[type=submit]');
    check(res.status() === 422, `bad registration: HTTP ${res.status()}, expected 422`);
    for (const field of ['username', 'email', 'password']) {
      check(await page.locator(`#${field}-error`).isVisible(), `bad registration: no error next to ${field}`);
    }
    check((await page.inputValue('#password')) === '', 'bad registration: the password is shown again');
    await audit(page, size, 'register with errors');
    await shot(page, size, 'register-errors');
    await page.fill('#username', who.user);
    await page.fill('#full_name', who.fullName);
    await page.fill('#email', who.email);
    await page.fill('#password', who.password);
    res = await submit(page, 'main form button[type=submit]');
    check(res.status() === 200, `registration: HTTP ${res.status()}`);
    await audit(page, size, 'registered');

    // Logged in, but the sign-up waits for the confirmation.
    await logIn(page, who);
    await visit(page, size.missionUrl);
    const places = await page.locator('.facts').innerText();
    res = await submit(page, 'main form[action$="/signup"] button');
    check(page.url().endsWith('/me/account?refused=unconfirmed'), `sign-up before confirming: landed on ${page.url()}`);
    check(await page.locator('main form[action="/me/account/resend"]').count() + await page.locator('#h-unconfirmed').count() >= 1, 'account: no word about the confirmation');
    await audit(page, size, 'account, unconfirmed');
    await shot(page, size, 'account-unconfirmed');

    // The link of the email that arrived opens a page whose button confirms.
    const link = await emailedLink(who.email, '/register/confirm?token=');
    await visit(page, base + link);
    await audit(page, size, 'confirm');
    res = await submit(page, 'main form[action="/register/confirm"] button');
    check(res.status() === 200, `confirming: HTTP ${res.status()}`);
    await audit(page, size, 'confirmed');
    await shot(page, size, 'confirmed');
    await visit(page, base + link);
    res = await submit(page, 'main form[action="/register/confirm"] button');
    check(res.status() === 410, `a link used twice: HTTP ${res.status()}, expected 410`);
    await audit(page, size, 'link used twice');

    await visit(page, size.missionUrl);
    res = await submit(page, 'main form[action$="/signup"] button');
    check(page.url().endsWith('?done=signed_up'), `sign-up after confirming: landed on ${page.url()}`);
    check((await page.locator('.facts').innerText()) !== places, 'sign-up: the places left did not change');
    size.places = places;
    await audit(page, size, 'newcomer signed up');

    await visit(page, base + '/me/account');
    check(await page.locator('#h-unconfirmed').count() === 0, 'my account: still says the address is not confirmed');
    await audit(page, size, 'my account');
    await shot(page, size, 'account');
    await logOut(page);

    // A forgotten password: the emailed link, a new password (a too short one first), the
    // old one refused from then on.
    await visit(page, base + '/login');
    await page.locator('main a[href="/password/forgot"]').click();
    await audit(page, size, 'forgotten password');
    await page.fill('#email', who.email);
    res = await submit(page, 'main form[action="/password/forgot"] button[type=submit]');
    check(res.status() === 200, `asking for a reset link: HTTP ${res.status()}`);
    await audit(page, size, 'reset link sent');
    await visit(page, base + await emailedLink(who.email, '/password/reset?token='));
    await audit(page, size, 'new password');
    await shot(page, size, 'password-reset');
    await page.fill('#password', 'short');
    res = await submit(page, 'main form[action="/password/reset"] button[type=submit]');
    check(res.status() === 422, `a too short new password: HTTP ${res.status()}, expected 422`);
    check(await page.locator('#password-error').isVisible(), 'new password: no error next to the field');
    await audit(page, size, 'new password with errors');
    const old = who.password;
    who.password = 'a brand new passphrase';
    await page.fill('#password', who.password);
    res = await submit(page, 'main form[action="/password/reset"] button[type=submit]');
    check(res.status() === 200, `new password: HTTP ${res.status()}`);
    await audit(page, size, 'password changed');
    await logIn(page, { ...who, password: old }, 401);
    await logIn(page, who);
    await logOut(page);
    if (size.lang === 'fr') {
      await visit(page, base + '/guide/compte');
      await audit(page, size, 'account guide');
      check(await page.locator('main a[href="/guide/heures"]').count() >= 1, 'account guide: no link to the hours guide');
    }
    return who;
  } finally {
    await page.context().close();
  }
}

/// The coordinator invites someone by email as a coordinator; that person, without an account,
/// follows the emailed link, creates an account from the invitation's page, logs in, comes back
/// to it and accepts: they coordinate the association.
async function invitation(browser, size) {
  const page = await session(browser, size);
  const invited = { user: `invited-${size.name}`, email: `invited-${size.name}@example.org`, password: 'yet another passphrase' };
  const settings = `/g/${size.assoName}/settings`;
  try {
    await logIn(page, DEMO);
    await visit(page, base + settings);
    await page.fill('#invite-email', invited.email);
    await page.selectOption('#invite-role', 'coordinator');
    let res = await submit(page, `main form[action="${settings}/invitations"] button[type=submit]`);
    check(res.status() === 200 && new URL(page.url()).pathname === settings, `inviting: landed on ${page.url()} (HTTP ${res.status()})`);
    check(await page.locator('main table tr', { hasText: invited.email }).count() === 1, 'settings: the invitation is not among those waiting');
    await audit(page, size, 'association settings, invitation sent');
    await logOut(page);

    const link = await emailedLink(invited.email, '/invitations/');
    await visit(page, base + link);
    await audit(page, size, 'invitation');
    await shot(page, size, 'invitation');
    await page.locator('main a[href^="/register?next="]').click();
    await audit(page, size, 'register from an invitation');
    await page.fill('#username', invited.user);
    await page.fill('#email', invited.email);
    await page.fill('#password', invited.password);
    res = await submit(page, 'main form button[type=submit]');
    check(res.status() === 200, `registration from an invitation: HTTP ${res.status()}`);
    await audit(page, size, 'registered from an invitation');
    await page.locator('main a.button[href^="/login?next="]').click();
    await page.fill('#name', invited.user);
    await page.fill('#password', invited.password);
    res = await submit(page, 'main form button[type=submit]');
    check(res.status() === 200 && page.url() === base + link, `logging in from an invitation: landed on ${page.url()}, expected ${base + link}`);
    res = await submit(page, `main form[action="${link}"] button[type=submit]`);
    check(res.status() === 200 && new URL(page.url()).pathname === `/g/${size.assoName}`, `accepting: landed on ${page.url()} (HTTP ${res.status()})`);
    check(await page.locator('main a.button[href$="/dashboard"]').count() >= 1, 'the invited person does not coordinate the association');
    await audit(page, size, 'association, invitation accepted');
    await visit(page, base + link);
    check(await page.locator(`main form[action="${link}"]`).count() === 0, 'a used invitation can be accepted again');
    await audit(page, size, 'invitation used');
  } finally {
    await page.context().close();
  }
}

/// The overall hours of the association's report this year ("3 h (1 action)").
async function totalHours(page, assoName) {
  await visit(page, base + `/g/${assoName}/hours`);
  return (await page.locator('main dl.totals dd').first().innerText()).trim();
}

/// The newcomer records hours, the coordinator validates them; the newcomer downloads their
/// data and deletes their account: their place is free again, and the association's totals
/// keep the hours, now a former volunteer's.
async function departure(browser, size, who) {
  const page = await session(browser, size);
  try {
    await logIn(page, who);
    await visit(page, base + '/me/hours');
    await page.selectOption('#log-association', size.assoName);
    await page.fill('#log-minutes', '3');
    let res = await submit(page, 'main form[action="/me/hours"] button[type=submit]');
    check(res.status() === 200 && page.url().endsWith('?done=logged_pending'), `newcomer's hours: landed on ${page.url()}`);
    await logOut(page);

    await logIn(page, DEMO);
    const before = await totalHours(page, size.assoName);
    const card = page.locator('section[aria-labelledby="h-pending"] .card', { hasText: new RegExp(`${who.fullName}|${who.user}`) });
    check(await card.count() === 1, `association hours: the newcomer's hours are not waiting (${await card.count()})`);
    res = await submit(page, card.locator('form[action$="/validate"] button'));
    check(res.status() === 200 && page.url().endsWith('?done=validated'), `validating: landed on ${page.url()}`);
    const validated = await totalHours(page, size.assoName);
    check(validated !== before, `the totals did not count the validated hours (${before})`);
    await logOut(page);

    // My data: the archive downloaded, with what the node holds about me.
    await logIn(page, who);
    await visit(page, base + '/me/data');
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('main a[href="/me/data/export"]').click()]);
    check(/^entraide-.+\.zip$/.test(download.suggestedFilename()), `export: the file is named ${download.suggestedFilename()}`);
    const data = execFileSync('python3', ['-c', 'import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read("data.json").decode())', await download.path()], { encoding: 'utf8' });
    for (const held of [who.user, who.email, who.fullName]) check(data.includes(held), `export: data.json does not hold ${held}`);
    await page.fill('#password', who.password);
    res = await submit(page, 'main form[action="/me/delete"] button[type=submit]');
    check(res.status() === 200, `deleting the account: HTTP ${res.status()}`);
    check(await page.locator('.top form[action="/logout"]').count() === 0, 'deleted: still logged in');
    await audit(page, size, 'account deleted');
    await shot(page, size, 'account-deleted');
    await logIn(page, who, 401);

    // The place is free again; the hours stay in the totals, without the person's name.
    await visit(page, size.missionUrl);
    check((await page.locator('.facts').innerText()) === size.places, 'deleted: the place was not freed');
    await logIn(page, DEMO);
    const after = await totalHours(page, size.assoName);
    check(after === validated, `the totals changed with the deletion: ${validated} then ${after}`);
    const report = await page.locator('main section[aria-labelledby="h-report"]').innerText();
    check(report.includes(size.former), `association hours: no "${size.former}" in the report`);
    check(!report.includes(who.fullName) && !report.includes(who.user), 'association hours: the deleted person is still named');
    await audit(page, size, 'association hours after a deletion');
  } finally {
    await page.context().close();
  }
}

/// "Aidez-moi à trouver" (issue 16): a visitor asks for help from the home page (a refused
/// form first); the administrator names the demo coordinator référent; the référent sees the
/// request in the list, takes it and proposes a ranked mission; the emailed one-click link
/// leads a visitor without an account to registration.
async function helpRequests(browser, size) {
  const page = await session(browser, size);
  const person = `Maryvonne ${size.name}`;
  const email = `aide-${size.name}@example.org`;
  try {
    await visit(page, base + '/');
    await page.locator('main a[href="/help"]').click();
    check(page.url().endsWith('/help'), `help link led to ${page.url()}`);
    await audit(page, size, 'help form');
    await shot(page, size, 'help-form');
    let res = await submit(page, 'main form[action="/help"] button[type=submit]');
    check(res.status() === 422, `empty help request: HTTP ${res.status()}, expected 422`);
    check(await page.locator('.error-box[role=alert]').isVisible(), 'help request: no error summary');
    await audit(page, size, 'help form with errors');
    await page.fill('#help_name', person);
    await page.fill('#help_wishes', "Aider à l'épicerie solidaire, accueillir les personnes");
    await page.check('#interest-solidarity');
    await page.check('#availability-5-morning');
    await page.fill('#home_town', 'Brest');
    await page.fill('#help_email', email);
    await page.check('#help_consent');
    res = await submit(page, 'main form[action="/help"] button[type=submit]');
    check(res.status() === 200, `help request: HTTP ${res.status()}, expected 200`);
    await audit(page, size, 'help request sent');

    // The administrator names the référent (the demo coordinator).
    await logIn(page, ADMIN);
    await visit(page, base + '/admin/referents');
    await audit(page, size, 'admin référents');
    await page.fill('#name', DEMO.user);
    res = await submit(page, 'main form[action="/admin/referents/add"] button[type=submit]');
    check(res.status() === 200 && page.url().includes('done=referent_added'), `naming a référent: ${page.url()} (HTTP ${res.status()})`);
    check(await page.locator('main table', { hasText: DEMO.user }).count() === 1, 'admin référents: the référent is not listed');
    await audit(page, size, 'admin référent named');
    await shot(page, size, 'admin-referents');
    await logOut(page);

    // The référent: the list, the request, take it, propose the best-ranked mission.
    await logIn(page, DEMO);
    await visit(page, base + '/help/requests');
    await audit(page, size, 'help requests');
    await shot(page, size, 'help-requests');
    await page.locator('main .requests a', { hasText: person }).click();
    check(/\/help\/requests\/\d+$/.test(page.url()), `request link led to ${page.url()}`);
    await audit(page, size, 'help request');
    res = await submit(page, 'main form[action$="/state"] button >> nth=0');
    check(res.status() === 200, `taking the request: HTTP ${res.status()}`);
    check(await page.locator('[role=status]').isVisible(), 'taking the request: no notice');
    const ranked = page.locator('main input[name="missions"]');
    check(await ranked.count() > 0, 'help request: the matching ranks no mission on the demo node');
    await ranked.first().check();
    res = await submit(page, 'main form[action$="/propose"] button[type=submit]');
    check(res.status() === 200, `proposing: HTTP ${res.status()}`);
    check(await page.locator('main a[href*="/help/go/"]').count() === 1, 'proposal: no one-click link shown');
    await audit(page, size, 'help proposal made');
    await shot(page, size, 'help-request');
    await logOut(page);

    // The person's emailed link, without an account: registration, coming back to the slot.
    await visit(page, base + await emailedLink(email, '/help/go/'));
    check(page.url().includes('/register?next='), `one-click link without an account led to ${page.url()}`);
    await audit(page, size, 'register from a proposal');
  } finally {
    await page.context().close();
  }
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  for (const size of sizes) {
    // axe-core audits each page's HTML in this context, with JavaScript on (see `audit`).
    const auditContext = await browser.newContext(size.context);
    size.auditor = await auditContext.newPage();
    size.auditor.setDefaultTimeout(15000);
    await size.auditor.goto(base + '/static/style.css');
    try {
      await run(browser, size);
      await mapCheck(browser, size);
      const newcomer = await registration(browser, size);
      await invitation(browser, size);
      await helpRequests(browser, size);
      await departure(browser, size, newcomer);
      console.log(`${size.name}: flows passed`);
    } catch (e) {
      failures.push(`${size.name}: ${e.message}`);
    } finally {
      await auditContext.close();
    }
  }
} finally {
  await browser.close();
}
console.log(`${pagesAudited} page(s) audited; phone screenshots in ${outDir}`);
if (failures.length) {
  console.log(`FAILED, ${failures.length} problem(s):\n- ${failures.join('\n- ')}`);
  process.exit(1);
}
console.log('all browser checks passed');
