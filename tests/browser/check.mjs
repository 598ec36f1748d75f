// Drives a running Entraide node (started with `serve --demo`) in headless Chromium, as a
// volunteer and as the demo coordinator would, at phone and desktop sizes, with JavaScript
// turned off (the pages must work without it). On every page it runs axe-core (WCAG 2.0/2.1 A
// and AA) and checks that nothing overflows sideways and that controls are big enough to touch.
// Phone screenshots of the key pages are saved to OUTDIR.
//
//   node check.mjs BASE_URL [OUTDIR]        exit 0 when all is well, 1 otherwise
//
// Chromium is Debian's (/usr/bin/chromium, or $CHROMIUM); playwright-core never downloads one.

import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const [base, outDir = 'screenshots'] = process.argv.slice(2);
if (!base) {
  console.error('usage: node check.mjs BASE_URL [OUTDIR]');
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
// The node's SQLite file, where the registration scenario reads the confirmation link (the demo
// node sends no email: the email is recorded, with its link, in the `notification` table).
const DB = process.env.ENTRAIDE_DB;
const DEMO = { user: 'demo', password: 'demo-entraide' }; // src/demo.rs
const VOLUNTEER = { user: 'camille', password: 'demo-entraide' }; // src/demo.rs
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

const sizes = [
  // Phone: French, as the node's default; scale 1 keeps the screenshots small.
  // `card`: which of the association's missions the volunteer signs up for (one each, so that
  // the two runs do not meet).
  { name: 'phone', lang: 'fr', shots: true, card: 0,
    context: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true, locale: 'fr-FR' } },
  // Desktop: a browser that prefers English gets English pages.
  { name: 'desktop', lang: 'en', shots: false, card: 1, context: { viewport: { width: 1280, height: 800 }, locale: 'en-GB' } },
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
  check((await page.locator('script').count()) === 0, `${where}: the page has a <script>, it must work without JavaScript`);
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

async function run(browser, size) {
  const context = await browser.newContext({ ...size.context, javaScriptEnabled: false });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  const auditContext = await browser.newContext(size.context);
  size.auditor = await auditContext.newPage();
  size.auditor.setDefaultTimeout(15000);
  await size.auditor.goto(base + '/static/style.css');
  try {
    // A volunteer: home, an association, a mission.
    await visit(page, base + '/');
    await audit(page, size, 'home');
    check(await page.locator('.cards .card').count() > 0, 'home: no mission card (was the node started with --demo?)');
    await shot(page, size, 'home');

    const assoHref = await page.locator('section[aria-labelledby="h-assos"] a').first().getAttribute('href');
    const assoName = assoHref.split('/').pop();
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
    await page.fill('#home_latitude', 'au nord');
    res = await submit(page, 'main form button[type=submit]');
    check(res.status() === 422, `bad profile: HTTP ${res.status()}, expected 422`);
    check(await page.locator('#home_latitude-error').isVisible(), 'bad profile: no error next to the latitude');
    await audit(page, size, 'profile with errors');
    await page.fill('#home_latitude', size.lang === 'en' ? '48.39' : '48,39');
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
    // The administrators' page (a 403 page for anyone else): either way, readable.
    const admin = await page.goto(base + '/admin/associations');
    check([200, 403].includes(admin.status()), `admin associations: HTTP ${admin.status()}`);
    await audit(page, size, 'admin associations');
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
    await context.close();
    await auditContext.close();
  }
}

/// The link of the last confirmation email to `email`, read from the node's database.
function confirmationLink(email) {
  check(DB, 'ENTRAIDE_DB is not set: the registration scenario reads the link from the database');
  const sql = `SELECT body_text FROM notification WHERE kind = 'acc_confirm' AND recipient = '${email}' ORDER BY id DESC LIMIT 1`;
  const body = execFileSync('sqlite3', [DB, sql], { encoding: 'utf8' });
  const link = body.match(/https?:\/\/\S+\/register\/confirm\?token=[A-Za-z0-9_-]+/);
  check(link, `no confirmation link for ${email} in the database: ${body}`);
  return link[0];
}

/// Someone new: registers from the login page (a refused form first), logs in, cannot sign up
/// before confirming, follows the emailed link, confirms, then signs up for a slot.
async function registration(browser, size) {
  const context = await browser.newContext({ ...size.context, javaScriptEnabled: false });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  const auditContext = await browser.newContext(size.context);
  size.auditor = await auditContext.newPage();
  size.auditor.setDefaultTimeout(15000);
  await size.auditor.goto(base + '/static/style.css');
  const who = { user: `newcomer-${size.name}`, email: `newcomer-${size.name}@example.org`, password: 'a long passphrase' };
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
    await page.fill('#full_name', 'Anne Kerhervé');
    await page.fill('#email', who.email);
    await page.fill('#password', who.password);
    res = await submit(page, 'main form button[type=submit]');
    check(res.status() === 200, `registration: HTTP ${res.status()}`);
    await audit(page, size, 'registered');

    // Logged in, but the sign-up waits for the confirmation.
    await visit(page, base + '/login');
    await page.fill('#name', who.user);
    await page.fill('#password', who.password);
    res = await submit(page, 'main form button[type=submit]');
    check(res.status() === 200, `newcomer login: HTTP ${res.status()}`);
    await visit(page, base + '/');
    await page.locator('.cards .card h3 a').nth(size.card).click();
    const missionUrl = page.url();
    res = await submit(page, 'main form[action$="/signup"] button');
    check(page.url().endsWith('/me/account?refused=unconfirmed'), `sign-up before confirming: landed on ${page.url()}`);
    check(await page.locator('main form[action="/me/account/resend"]').count() + await page.locator('#h-unconfirmed').count() >= 1, 'account: no word about the confirmation');
    await audit(page, size, 'account, unconfirmed');
    await shot(page, size, 'account-unconfirmed');

    // The emailed link opens a page whose button confirms.
    const link = new URL(confirmationLink(who.email));
    await visit(page, base + link.pathname + link.search);
    await audit(page, size, 'confirm');
    res = await submit(page, 'main form[action="/register/confirm"] button');
    check(res.status() === 200, `confirming: HTTP ${res.status()}`);
    await audit(page, size, 'confirmed');
    res = await page.goto(base + link.pathname + link.search);
    res = await submit(page, 'main form[action="/register/confirm"] button');
    check(res.status() === 410, `a link used twice: HTTP ${res.status()}, expected 410`);
    await audit(page, size, 'link used twice');

    await visit(page, missionUrl);
    res = await submit(page, 'main form[action$="/signup"] button');
    check(page.url().endsWith('?done=signed_up') || page.url().endsWith('?done=pending'), `sign-up after confirming: landed on ${page.url()}`);
    await audit(page, size, 'newcomer signed up');

    await visit(page, base + '/me/account');
    await audit(page, size, 'my account');
    await shot(page, size, 'account');
    await submit(page, '.top form[action="/logout"] button');
    await visit(page, base + '/password/forgot');
    await audit(page, size, 'forgotten password');
    if (size.lang === 'fr') {
      await visit(page, base + '/guide/compte');
      await audit(page, size, 'account guide');
    }
  } finally {
    await context.close();
    await auditContext.close();
  }
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  for (const size of sizes) {
    try {
      await run(browser, size);
      await registration(browser, size);
      console.log(`${size.name}: flows passed`);
    } catch (e) {
      failures.push(`${size.name}: ${e.message}`);
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
