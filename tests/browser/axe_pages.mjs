// axe-core accessibility pass over the resident pages (home, form, confirmation,
// tracking page) and the main staff console pages, in headless Chromium. Every page is
// checked as rendered with data on it (the Rust driver, crates/server/tests/
// browser_axe.rs, seeds appeals in several states first). Any violation of impact
// "serious" or "critical" fails the run; every violation is printed with its nodes.
//
// Environment:
//   BASE_URL        server under test
//   STAFF_PASSWORD  password of every fixture account
//   STAFF_PAGES     JSON list of [username, path] pairs: the staff pages to check,
//                   each signed in as the account that works on it
//   SCREENSHOT_DIR  default target/browser
//   CHROMIUM        default /usr/bin/chromium
//
// Prints "[axe] <page> violations=N serious=S" per page and
// "[axe] TOTAL pages=P violations=N serious_or_critical=S" at the end; exit code 1
// when S > 0.

import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

function need(name) {
  const v = process.env[name];
  if (!v) throw new Error(`environment variable ${name} is required`);
  return v;
}

const BASE = need('BASE_URL').replace(/\/$/, '');
const PASSWORD = need('STAFF_PASSWORD');
const STAFF_PAGES = JSON.parse(need('STAFF_PAGES'));
const SHOTS = process.env.SCREENSHOT_DIR || 'target/browser';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

fs.mkdirSync(SHOTS, { recursive: true });

const BLOCKING = new Set(['serious', 'critical']);
let pages = 0;
let violations = 0;
let blocking = 0;

async function expectOk(response, what) {
  if (!response) throw new Error(`${what}: no response`);
  if (response.status() >= 400) {
    throw new Error(`${what}: HTTP ${response.status()} ${await response.text()}`);
  }
}

/** Runs axe-core on the page as it stands and tallies what it finds. */
async function check(page, name) {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    axe.run(document, { resultTypes: ['violations'] }),
  );
  pages += 1;
  let serious = 0;
  for (const v of result.violations) {
    violations += 1;
    const isBlocking = BLOCKING.has(v.impact);
    if (isBlocking) serious += 1;
    console.log(`[axe]   ${name}: ${v.impact} ${v.id} — ${v.help} (${v.nodes.length} nodes)`);
    for (const n of v.nodes.slice(0, 5)) {
      console.log(`[axe]     ${n.target.join(' ')} ${n.failureSummary?.split('\n').slice(1, 2).join(' ') ?? ''}`);
    }
  }
  blocking += serious;
  console.log(`[axe] ${name} violations=${result.violations.length} serious=${serious}`);
  await page.screenshot({ path: path.join(SHOTS, `axe-${name}.png`), fullPage: true });
}

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});

try {
  // ── the resident, on a phone ──────────────────────────────────────────
  const phone = await browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    // axe-core is injected as a script; the pages' CSP (rightly) forbids that.
    bypassCSP: true,
  });
  const r = await phone.newPage();
  await expectOk(await r.goto(`${BASE}/`), 'home');
  await check(r, 'resident-home');
  await expectOk(await r.goto(`${BASE}/appeals/new`), 'form');
  await check(r, 'resident-form');
  await r.locator('label.choice', { hasText: '咨询' }).click();
  await r.fill('#text', '请问在吴兴区补办身份证需要带哪些材料，周六能不能办理？');
  await r.fill('#contact_phone', '13800000123');
  await Promise.all([r.waitForURL('**/appeals/new'), r.click('button[type=submit]')]);
  const codeEl = r.locator('#tracking-code');
  await codeEl.waitFor();
  await check(r, 'resident-confirmation');
  const code = await codeEl.getAttribute('data-code');
  await expectOk(await r.goto(`${BASE}/track`), 'track form');
  await check(r, 'resident-track-form');
  await expectOk(await r.goto(`${BASE}/track/${code}`), 'track');
  await check(r, 'resident-track');

  // ── staff, on a desktop ───────────────────────────────────────────────
  const login = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', bypassCSP: true });
  const l = await login.newPage();
  await expectOk(await l.goto(`${BASE}/staff/login`), 'login');
  await check(l, 'staff-login');
  await login.close();

  for (const [user, where] of STAFF_PAGES) {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', bypassCSP: true });
    const s = await ctx.newPage();
    await expectOk(await s.goto(`${BASE}/staff/login`), 'login');
    await s.fill('#username', user);
    await s.fill('#password', PASSWORD);
    await Promise.all([s.waitForURL(`${BASE}/staff`), s.click('button[type=submit]')]);
    await expectOk(await s.goto(`${BASE}${where}`), where);
    const name = `staff${where.replace(/[^a-z0-9]+/gi, '-').replace(/-$/, '')}`;
    await check(s, name);
    await ctx.close();
  }
} finally {
  await browser.close();
}

console.log(`[axe] TOTAL pages=${pages} violations=${violations} serious_or_critical=${blocking}`);
if (blocking > 0) {
  console.log('[axe] FAIL');
  process.exit(1);
}
console.log('[axe] PASS');
