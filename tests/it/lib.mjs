// Helpers shared by the browser tests (web*.mjs); this file holds no test of its own.
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { join } from 'node:path';

// A TCP port nobody listens on now.
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
    s.on('error', reject);
  });
}

// Wait until url answers 2xx (a server starting up).
export async function waitFor(url, ms = 15000) {
  const end = Date.now() + ms;
  for (;;) {
    try { const r = await fetch(url); if (r.ok) return; } catch { /* not up yet */ }
    if (Date.now() > end) throw new Error(`server did not answer ${url}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// Debian's Chromium, headless, through the playwright-core of web/package.json.
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export function launchChromium(root) {
  const { chromium } = createRequire(join(root, 'web/package.json'))('playwright-core');
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
}

// A fresh browser context (its own cookies) at a viewport, Chinese locale, collecting the
// page's uncaught errors: every screen must load without one.
export async function newPage(browser, viewport = { width: 1440, height: 900 }) {
  const context = await browser.newContext({ viewport, locale: 'zh-CN' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  return { page, errors, context };
}

// An API session token of account name (POST /login), for the tests' own API calls.
export async function apiToken(base, name, password) {
  const r = await fetch(`${base}/api/v1/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name, password }) });
  return (await r.json()).token;
}

// Log in through the dashboard's login screen as a person does; ready(page, name) is the
// test's wait-and-screenshot step.
export async function logInPage(page, base, name, password, ready) {
  await page.goto(`${base}/?lang=zh#/login`);
  await ready(page, 'login');
  await page.fill('[data-testid=login-name]', name);
  await page.fill('[data-testid=login-password]', password);
  await page.click('[data-testid=login-submit]');
  await page.waitForSelector('[data-testid=user-chip]');
}
