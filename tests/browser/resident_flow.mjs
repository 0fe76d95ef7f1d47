// Headless Chromium walk through the whole promise of Police Square, as people use it:
// a resident submits a Chinese appeal on a phone and gets a tracking code; a handler
// signs in on a desktop, finds it, accepts and replies; the resident asks for a
// one-time code (read here from the log transport's file), verifies, reads the reply
// and rates it. Screenshots of every step go to SCREENSHOT_DIR.
//
// Environment:
//   BASE_URL        server under test, e.g. http://127.0.0.1:40123
//   NOTIFY_LOG      JSON-lines file of police_square_notify::LogTransport
//   STAFF_USER      a handler of the unit the appeal reaches (爱山派出所)
//   STAFF_PASSWORD
//   SCREENSHOT_DIR  default target/browser
//   CHROMIUM        default /usr/bin/chromium
//
// Exit code 0 when every step passed; any failure throws (non-zero exit).

import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';

function need(name) {
  const v = process.env[name];
  if (!v) throw new Error(`environment variable ${name} is required`);
  return v;
}

const BASE = need('BASE_URL').replace(/\/$/, '');
const NOTIFY_LOG = need('NOTIFY_LOG');
const STAFF_USER = need('STAFF_USER');
const STAFF_PASSWORD = need('STAFF_PASSWORD');
const SHOTS = process.env.SCREENSHOT_DIR || 'target/browser';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

const PHONE = '13812345678';
const MARK = `测试${Date.now() % 100000}`;
const TEXT =
  `爱山派出所附近红旗路口的红绿灯坏了三天（${MARK}），早晚高峰车辆乱穿，` +
  '老人小孩过马路很危险，希望尽快派人疏导并联系修复。';
const REPLY = '您好，我所已安排民警早晚高峰在红旗路口疏导交通，并已通知交通设施养护单位，红绿灯已于今日修复。感谢您的反映！';

fs.mkdirSync(SHOTS, { recursive: true });
let step = 0;
async function shot(page, name) {
  step += 1;
  const file = path.join(SHOTS, `${String(step).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`screenshot ${file}`);
}

function log(msg) {
  console.log(`[resident_flow] ${msg}`);
}

/** The newest one-time code sent to `phone`, polling the log file (the outbox worker
 *  delivers within a second or two). */
async function readOtp(phone, notBefore) {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (fs.existsSync(NOTIFY_LOG)) {
      const lines = fs.readFileSync(NOTIFY_LOG, 'utf8').split('\n').filter(Boolean);
      const found = lines
        .map((l) => {
          try {
            return JSON.parse(l);
          } catch {
            return null;
          }
        })
        .filter((m) => m && m.template === 'otp' && m.to === phone);
      if (found.length > notBefore) {
        const body = found[found.length - 1].body;
        const m = body.match(/(\d{6})/);
        if (!m) throw new Error(`no 6-digit code in OTP message: ${body}`);
        return m[1];
      }
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no one-time code for ${phone} in ${NOTIFY_LOG} within 20 s`);
}

function countOtps(phone) {
  if (!fs.existsSync(NOTIFY_LOG)) return 0;
  return fs
    .readFileSync(NOTIFY_LOG, 'utf8')
    .split('\n')
    .filter(Boolean)
    .filter((l) => {
      try {
        const m = JSON.parse(l);
        return m.template === 'otp' && m.to === phone;
      } catch {
        return false;
      }
    }).length;
}

async function expectOk(response, what) {
  if (!response) throw new Error(`${what}: no response`);
  if (response.status() >= 400) {
    throw new Error(`${what}: HTTP ${response.status()} ${await response.text()}`);
  }
}

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});

try {
  // ── 1. the resident, on a phone ──────────────────────────────────────
  const phoneCtx = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 1,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
  });
  const r = await phoneCtx.newPage();
  await expectOk(await r.goto(`${BASE}/`), 'home');
  await r.getByText('110').first().waitFor();
  await shot(r, 'resident-home');

  await r.click('a.btn.big[href="/appeals/new"]');
  await r.waitForURL('**/appeals/new');
  await r.locator('label.choice', { hasText: '求助' }).click();
  await r.fill('#text', TEXT);
  await r.fill('#address', '吴兴区红旗路与人民路交叉口');
  await r.fill('#contact_phone', PHONE);
  await r.fill('#name', '王小明');
  await shot(r, 'resident-form');
  await Promise.all([r.waitForURL('**/appeals/new'), r.click('button[type=submit]')]);
  const codeEl = r.locator('#tracking-code');
  await codeEl.waitFor();
  const code = await codeEl.getAttribute('data-code');
  const shown = (await codeEl.innerText()).trim();
  if (!/^[0-9A-Z]{16}$/.test(code || '')) throw new Error(`bad tracking code ${code}`);
  if (!/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/.test(shown)) {
    throw new Error(`tracking code not shown in groups: ${shown}`);
  }
  log(`tracking code ${shown}`);
  await shot(r, 'resident-submitted');

  // ── 2. the handler, on a desktop ─────────────────────────────────────
  const deskCtx = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: 'zh-CN',
  });
  const s = await deskCtx.newPage();
  await expectOk(await s.goto(`${BASE}/staff`), 'staff');
  await s.waitForURL('**/staff/login**');
  await s.fill('#username', STAFF_USER);
  await s.fill('#password', STAFF_PASSWORD);
  await shot(s, 'staff-login');
  await Promise.all([s.waitForURL(`${BASE}/staff`), s.click('button[type=submit]')]);
  const row = s.locator('a.case', { hasText: MARK });
  await row.waitFor();
  await shot(s, 'staff-inbox');

  await Promise.all([s.waitForURL('**/staff/appeals/*'), row.click()]);
  await s.getByText(MARK).first().waitFor();
  await shot(s, 'staff-detail');
  await Promise.all([s.waitForURL('**done=accept'), s.click('#accept')]);
  await s.locator('#notice').waitFor();
  await s.fill('#reply-text', REPLY);
  await Promise.all([s.waitForURL('**done=reply'), s.click('#reply-submit')]);
  const status = (await s.locator('#status').innerText()).trim();
  if (status !== '已答复') throw new Error(`status after reply is ${status}`);
  await shot(s, 'staff-replied');

  // The other console pages this handler uses, for the record.
  await expectOk(await s.goto(`${BASE}/staff/hotline`), 'hotline');
  await shot(s, 'staff-hotline');
  await expectOk(await s.goto(`${BASE}/staff/dashboard?period=month`), 'dashboard');
  await s.locator('#rates').waitFor();
  await shot(s, 'staff-dashboard');
  // 民意库: the opinion view counts the appeal just submitted, with its trend chart.
  await expectOk(await s.goto(`${BASE}/staff/opinion?period=7d`), 'opinion');
  const total = (await s.locator('#opinion-total').innerText()).trim();
  if (Number(total) < 1) throw new Error(`opinion view total is ${total}`);
  await s.locator('figure.chart svg polyline').waitFor();
  await shot(s, 'staff-opinion');
  await expectOk(await s.goto(`${BASE}/staff/alerts`), 'alerts');
  await shot(s, 'staff-alerts');

  // The console on a phone as well (handlers answer from the street too).
  const staffPhone = await phoneCtx.browser().newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    storageState: await deskCtx.storageState(),
  });
  const sp = await staffPhone.newPage();
  await expectOk(await sp.goto(`${BASE}/staff`), 'staff inbox on a phone');
  await shot(sp, 'staff-inbox-phone');
  await staffPhone.close();

  // ── 3. the resident verifies and rates ───────────────────────────────
  await expectOk(await r.goto(`${BASE}/track/${code}`), 'track');
  await r.locator('#status').waitFor();
  await shot(r, 'resident-track');
  const before = countOtps(PHONE);
  await r.click('#send-code');
  await r.locator('#otp').waitFor();
  const otp = await readOtp(PHONE, before);
  log('one-time code read from the notify log');
  await r.fill('#otp', otp);
  await shot(r, 'resident-otp');
  await Promise.all([r.waitForURL(`**/track/${code}`), r.click('#verify-submit')]);
  const reply = r.locator('#reply');
  await reply.waitFor();
  const replyText = (await reply.innerText()).trim();
  if (!replyText.includes('红绿灯已于今日修复')) throw new Error(`reply not shown: ${replyText}`);
  await shot(r, 'resident-reply');

  await r.locator('label.choice', { hasText: '已解决' }).click();
  await r.locator('label.choice', { hasText: /^\s*满意\s*$/ }).click();
  await Promise.all([r.waitForURL('**thanks=1'), r.click('#rate-submit')]);
  await r.getByText('感谢您的评价').waitFor();
  await shot(r, 'resident-thanks');

  // And the English switch, once.
  await expectOk(await r.goto(`${BASE}/?lang=en`), 'home in English');
  await r.getByText('Submit an appeal').first().waitFor();
  await shot(r, 'resident-home-en');

  await phoneCtx.close();
  await deskCtx.close();
  log('PASS');
} catch (e) {
  // Leave a picture of every open page for whoever reads the failure.
  let i = 0;
  for (const ctx of browser.contexts()) {
    for (const page of ctx.pages()) {
      i += 1;
      const file = path.join(SHOTS, `failure-${i}.png`);
      await page.screenshot({ path: file, fullPage: true }).catch(() => {});
      console.log(`failure screenshot ${file} (${page.url()})`);
    }
  }
  throw e;
} finally {
  await browser.close();
}
