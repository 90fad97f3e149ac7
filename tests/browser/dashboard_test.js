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

async function shot(page, name) {
  const file = path.join(plan.artifacts, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
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
  check(res.status === 200, `POST ${plan.sms} answered ${res.status}: ${await res.text()}`);
  return res.json();
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
