// The dashboard in a real browser: Debian's chromium driven by playwright-core (installed by
// `make test` from the committed lockfile), against the real `kharuul serve` that
// test_dashboard_browser.cpp started. Usage: node dashboard_test.js PLAN.json SCENARIO
//   PLAN: {"base": "http://127.0.0.1:PORT", "artifacts": DIR, "tokens": {...}, "sms": PATH}
// Prints one line per step; exits 1 naming the failed step (and saves failed-SCENARIO.png),
// 2 when chromium cannot be started: nothing is skipped.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

const plan = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const scenario = process.argv[3];
const BASE = plan.base;
const CHROMIUM = process.env.KHARUUL_CHROMIUM || '/usr/bin/chromium';
const STEP_TIMEOUT = 15000;

function check(ok, what) {
  if (!ok) throw new Error(what);
}

function step(text) {
  console.log(`  - ${text}`);
}

// A screenshot in the artifacts folder: the whole page, or with `viewport` what the window shows.
async function shot(page, name, viewport = false) {
  const file = path.join(plan.artifacts, `${name}.png`);
  await page.screenshot({ path: file, fullPage: !viewport });
  step(`screenshot ${file}`);
  return file;
}

// Posts an SMS to the generic channel as a provider would; the gateway's JSON answer.
async function sms(from, text) {
  const res = await fetch(BASE + plan.sms, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ from, text }).toString(),
  });
  const answer = await res.text();
  check(res.status === 200, `POST ${plan.sms} answered ${res.status}: ${answer}`);
  return JSON.parse(answer);
}

async function signIn(page, token) {
  await page.waitForSelector('#token');
  await page.fill('#token', token);
  await page.press('#token', 'Enter');
  await page.waitForSelector('#signout:not([hidden])');
}

const scenarios = {
  // The files, the sign-in form, the keyboard, the language switch: no API session needed.
  async static(page, watch) {
    const res = await page.goto(`${BASE}/`);
    check(res.status() === 200, `GET / answered ${res.status()}`);
    const csp = res.headers()['content-security-policy'] || '';
    check(csp.includes("default-src 'self'"), `GET / without the dashboard's CSP: "${csp}"`);
    step('GET / is the dashboard, with its CSP');
    await page.waitForSelector('#token');
    check((await page.textContent('h1')) === 'Sign in', 'the sign-in heading is not English');
    check((await page.getAttribute('#token', 'type')) === 'password', 'the token field is not a password field');
    step('the sign-in form is shown, in English');
    check(await page.evaluate(() => document.activeElement.id === 'token'), 'the token field does not have the focus');
    // Back from the token field: the language buttons, then the skip link, the first of the page.
    const order = [];
    for (let i = 0; i < 3; i += 1) {
      await page.keyboard.press('Shift+Tab');
      order.push(await page.evaluate(() => document.activeElement.id || document.activeElement.dataset.lang || document.activeElement.tagName));
    }
    check(order.join(' ') === 'mn en skip', `Shift+Tab from the token field went to ${order.join(', ')}, not mn, en, skip`);
    await page.keyboard.press('Enter');
    check(await page.evaluate(() => document.activeElement && document.activeElement.id === 'main'),
      'the skip link does not move the focus to the content');
    check(!(await page.evaluate(() => location.hash)), 'the skip link changed the page address');
    step('keyboard: the language buttons and the skip link are in the tab order; the skip link moves the focus to the content');
    await shot(page, 'signin-en');
    await page.click('button[data-lang="mn"]');
    await page.waitForFunction(() => document.querySelector('h1').textContent === 'Нэвтрэх');
    check((await page.getAttribute('html', 'lang')) === 'mn', 'html lang is not mn after the switch');
    await page.reload();
    await page.waitForSelector('#token');
    check((await page.textContent('h1')) === 'Нэвтрэх', 'Mongolian is not remembered across a reload');
    check((await page.getAttribute('button[data-lang="mn"]', 'aria-pressed')) === 'true', 'the Mongolian button is not pressed');
    step('switched to Mongolian; remembered after a reload');
    await page.fill('#token', 'not-a-token');
    await page.press('#token', 'Enter');
    await page.waitForFunction(() => document.getElementById('signin-error').textContent.length > 0);
    check(!(await page.evaluate(() => location.href)).includes('not-a-token'), 'the token is in the address');
    step(`a wrong token is refused: "${await page.textContent('#signin-error')}"`);
    await page.setViewportSize({ width: 360, height: 740 });
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    check(width <= 360, `the sign-in page is ${width} px wide on a 360 px phone screen`);
    await shot(page, 'signin-mn-phone');
    step('readable on a 360 px phone screen (no sideways scrolling)');
    watch.done();
  },

  // A coordinator signs in, sees a report posted to the SMS endpoint appear in the live log
  // without a reload, opens its case and its alert, sees the ACK a team member texts, switches to
  // Mongolian and sees the figures' chart; then a team of another area sees nothing of it and a
  // viewer sees only the figures, small cells suppressed.
  async live(page, watch, context) {
    const { coordinator, other_team: otherTeam, viewer } = plan.tokens;
    await page.goto(`${BASE}/`);
    await signIn(page, coordinator);
    const cookies = await context.cookies(BASE);
    const session = cookies.find((c) => c.name === 'kharuul_session');
    check(session && session.httpOnly && session.sameSite === 'Strict', `the session cookie is not HttpOnly and SameSite=Strict: ${JSON.stringify(cookies)}`);
    const kept = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + location.href + document.cookie);
    check(!kept.includes(coordinator), 'the token is kept by the page (storage, address or a readable cookie)');
    step('signed in with a coordinator token: an HttpOnly SameSite=Strict cookie, the token kept nowhere');
    await page.waitForSelector('#live[data-state="on"]');
    check((await page.evaluate(() => location.hash)) === '#/log', 'a coordinator does not land on the message log');
    await page.evaluate(() => { window.kharuulNotReloaded = true; });

    const id = await sms('+97699000001', 'ID ALT 2B 12 MINE SHAFT');
    check(id.status === 'accepted', `the ID report was not accepted: ${JSON.stringify(id)}`);
    const alertNumber = (id.reply.match(/#(\d+)/) || [])[1];
    const codes = id.reply.match(/\b\d{6}\b/g) || [];
    check(alertNumber && codes.length === 2, `the reply names no alert or not two cases: ${id.reply}`);
    step(`posted "ID ALT 2B 12 MINE SHAFT" to ${plan.sms}: message ${id.message_id}, cases ${codes.join(' ')}, alert #${alertNumber}`);
    const row = `#log-rows tr[data-id="${id.message_id}"]`;
    await page.waitForSelector(row);
    check(await page.evaluate(() => window.kharuulNotReloaded === true), 'the page was reloaded');
    check((await page.textContent(`${row} td[data-col="text"]`)).includes('ID ALT 2B 12 MINE SHAFT'), 'the new row does not show the message');
    check((await page.getAttribute('#log-rows tr:first-child', 'data-id')) === String(id.message_id), 'the new message is not at the top');
    step('the message appeared at the top of the live log without a reload');
    await shot(page, 'live-log');

    await page.click('nav a[data-nav="alerts"]');
    const alertLink = `a.alert-link[href="#/alerts/${alertNumber}"]`;
    await page.waitForSelector(alertLink);
    await page.click(`a.case-link[href="#/cases/${codes[0]}"]`);
    await page.waitForSelector('#case-facts');
    check((await page.textContent('h1')).includes(codes[0]), 'the case page is not the case');
    check((await page.textContent('#case-facts')).includes('ALT'), 'the case page does not name its site');
    step(`opened case ${codes[0]} from the alert list: its facts and history`);
    await shot(page, 'case');

    await page.goto(`${BASE}/#/alerts/${alertNumber}`);
    await page.waitForSelector('#alert-state');
    check((await page.textContent('#alert-state')) === 'open', `alert #${alertNumber} is not open`);
    await page.evaluate(() => { window.kharuulNotReloaded = true; });
    const ack = await sms('+97699000102', `ACK ${alertNumber}`);
    step(`a team member texted ACK ${alertNumber}: ${ack.reply}`);
    await page.waitForFunction(() => document.getElementById('alert-state') && document.getElementById('alert-state').textContent === 'acknowledged');
    check(await page.evaluate(() => window.kharuulNotReloaded === true), 'the page was reloaded');
    check((await page.textContent('#alert-facts')).includes('+97699000102'), 'the alert does not say who acknowledged it');
    step('the alert page shows the acknowledgement, without a reload');
    await shot(page, 'alert-acknowledged');

    await page.click('button[data-lang="mn"]');
    await page.click('nav a[data-nav="report"]');
    await page.waitForSelector('#chart-identified rect.bar');
    check((await page.textContent('h1')) === 'Тоон мэдээ', 'the figures page is not in Mongolian');
    const bar = await page.$('#chart-identified rect.bar[data-series="B"]');
    check(bar && (await bar.getAttribute('data-value')) === '2', 'the chart has no bar of 2 boys');
    check((await page.textContent('#chart-identified')).includes('ALT'), 'the chart has no ALT row');
    step('in Mongolian, the figures\' chart shows the 2 boys at ALT');
    await shot(page, 'figures-mn', true);

    await page.click('#signout');
    await page.waitForSelector('#token');
    await signIn(page, otherTeam);
    await page.waitForSelector('#live[data-state="on"]');
    await page.waitForSelector('.empty');
    check((await page.$$('#log-rows tr')).length === 0, 'a team of another area sees messages of ALT');
    await page.click('nav a[data-nav="alerts"]');
    await page.waitForSelector('#h-open');
    check(!(await page.$(alertLink)), `a team of another area sees alert #${alertNumber}`);
    await page.goto(`${BASE}/#/alerts/${alertNumber}`);
    await page.waitForSelector('main .error');
    await page.goto(`${BASE}/#/cases/${codes[0]}`);
    await page.waitForSelector('main .error');
    check(!(await page.$('#case-facts')), 'a team of another area sees the case');
    await page.goto(`${BASE}/#/report`);
    await page.waitForSelector('#report-body .indicator, #report-body .empty:not(:empty)');
    await page.waitForFunction(() => !document.querySelector('#report-body').textContent.includes('…'));
    check(!(await page.$('#chart-identified')), 'a team of another area sees the ALT children in the chart');
    step('a team token of another area sees no message, alert, case or figure of ALT');
    await shot(page, 'other-team');

    await page.click('#signout');
    await page.waitForSelector('#token');
    await signIn(page, viewer);
    await page.waitForSelector('#chart-identified rect.bar');
    check((await page.$$eval('nav a', (as) => as.map((a) => a.dataset.nav))).join(' ') === 'report', 'a viewer sees pages other than the figures');
    check(await page.$('#chart-identified rect.bar.suppressed'), 'the viewer\'s 2 boys are not suppressed');
    check(!(await page.textContent('#report-body')).includes(codes[0]), 'the viewer sees a case code');
    step('a viewer sees only the figures, the cell of 2 shown as <3, no case codes');
    await shot(page, 'viewer-figures');
    watch.done();
  },
};

(async () => {
  fs.mkdirSync(plan.artifacts, { recursive: true });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'kharuul-chromium-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      locale: 'en-US',
      viewport: { width: 1200, height: 900 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  } catch (e) {
    console.error(`chromium (${CHROMIUM}) did not start: ${e.message}`);
    fs.rmSync(profile, { recursive: true, force: true });
    process.exit(2);
  }
  context.setDefaultTimeout(STEP_TIMEOUT);
  const page = context.pages()[0] || await context.newPage();
  // What the page must never do: break its CSP, throw, or ask anyone but the gateway.
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of (401|404)/.test(m.text())) problems.push(`console error: ${m.text()}`);
  });
  page.on('request', (r) => {
    if (!r.url().startsWith(BASE) && !r.url().startsWith('data:')) problems.push(`request outside the gateway: ${r.url()}`);
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
  const watch = {
    done() {
      check(problems.length === 0, problems.join('\n'));
    },
  };
  let failed = false;
  console.log(`scenario ${scenario}`);
  try {
    check(scenarios[scenario], `no scenario "${scenario}"`);
    await scenarios[scenario](page, watch, context);
    watch.done();
  } catch (e) {
    failed = true;
    console.error(`FAILED: ${e.message}`);
    if (problems.length) console.error(problems.join('\n'));
    try {
      await shot(page, `failed-${scenario}`);
    } catch {
      // the page is gone; the message says enough
    }
  }
  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
  process.exit(failed ? 1 : 0);
})();
