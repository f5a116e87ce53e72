// Browser tests of the dashboard: Debian's Chromium driven by playwright-core against a real
// server on a temporary database (tests/tools/http_fixture.sql), the clock pinned at
// 2026-03-10T12:30:00+08:00. Each screen must load without console errors and show the
// figures the API returns; a screenshot of each goes to test-artifacts/ for review.
//
// The server is `envwatch serve` ($ENVWATCH); with $ENVWATCH_HTTP_ONLY set, that program
// (tests/tools/http_only.c) serves the API alone instead.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { freePort, waitFor } from './lib.mjs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = process.env.ENVWATCH_ROOT || join(dirname(fileURLToPath(import.meta.url)), '../..');
const artifacts = join(root, 'test-artifacts');
const NOW = '2026-03-10T12:30:00';
const PASSWORD = 'correct horse battery';

let server, context, base, tmp, token;
// The API as staff see it (a bearer token: some answers are for logged-in staff only).
const api = async (path) => (await fetch(`${base}/api/v1/${path}`, { headers: { Authorization: `Bearer ${token}` } })).json();

before(async () => {
  // The dashboard build (npm ci + esbuild), idempotent.
  execFileSync('bash', [join(root, 'scripts/web-build.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
  tmp = mkdtempSync(join(tmpdir(), 'envwatch-web-'));
  const db = join(tmp, 'web.db');
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const env = { ...process.env, ENVWATCH_NOW: NOW };
  const dist = join(root, 'web/dist');
  const fixture = readFileSync(join(root, 'tests/tools/http_fixture.sql'));
  if (process.env.ENVWATCH_HTTP_ONLY) {
    execFileSync(process.env.ENVWATCH_HTTP_ONLY, ['--init', db]);
    execFileSync('sqlite3', [db], { input: fixture });
    server = spawn(process.env.ENVWATCH_HTTP_ONLY, [db, `127.0.0.1:${port}`, dist], { env, stdio: 'ignore' });
  } else {
    // serve creates and migrates the database; the fixture goes in beside the running
    // server (WAL lets its readers see the new rows).
    const hj = await freePort();
    server = spawn(process.env.ENVWATCH, ['serve', '--db', db, '--hj212', `127.0.0.1:${hj}`,
      '--http', `127.0.0.1:${port}`, '--static', dist], { env, stdio: 'ignore' });
    await waitFor(`${base}/api/v1/health`);
    execFileSync('sqlite3', [db], { input: fixture });
  }
  await waitFor(`${base}/api/v1/health`);
  // A bureau account for the screens that need a login (AUTH_DATA_READ).
  execFileSync(process.env.ENVWATCH, ['user', 'add', 'bureau1', '--db', db, '--role', 'bureau'], { input: `${PASSWORD}\n` });
  const res = await fetch(`${base}/api/v1/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'bureau1', password: PASSWORD }) });
  assert.equal(res.status, 200);
  token = (await res.json()).token;
  const require = createRequire(join(root, 'web/package.json'));
  const { chromium } = require('playwright-core');
  // A fresh profile directory each run (Playwright passes it as --user-data-dir).
  context = await chromium.launchPersistentContext(join(tmp, 'profile'), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1440, height: 1000 },
    locale: 'zh-CN',
  });
  mkdirSync(artifacts, { recursive: true });
});

after(async () => {
  await context?.close();
  server?.kill('SIGTERM');
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

// Open a screen, wait until it has rendered, fail on any console error or failed request.
async function open(hash, name, lang = 'zh', extra = '') {
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
  await page.goto(`${base}/?lang=${lang}${extra}${hash}`);
  await page.waitForSelector('#app[data-state="ready"]', { timeout: 15000 });
  await page.waitForTimeout(300); // let ECharts paint before the screenshot
  await page.screenshot({ path: join(artifacts, `web-${name}.png`), fullPage: true });
  return { page, errors };
}

test('overview shows the zone AQI, primary pollutant and target gauges from the API', async () => {
  const { page, errors } = await open('#/', 'overview');
  const now = await api('aqi/now');
  assert.equal(await page.textContent('[data-testid=zone-aqi]'), String(now.zone.aqi));
  assert.equal(now.zone.aqi, 119); // HJ 633—2026: PM2.5 80 → 100 + 50·20/55 → 119
  assert.equal(await page.textContent('[data-testid=zone-primary]'), 'PM2.5');
  const targets = (await api('targets')).data;
  const pm = targets.find((t) => t.id === 'pm25_annual_mean');
  assert.equal(await page.getAttribute('[data-testid=target-pm25_annual_mean-value]', 'data-value'), String(pm.value));
  // PM2.5 80 so far, projected 80 > 40, can still be made up: amber 有风险, not green.
  assert.equal(pm.status, 'at_risk');
  assert.equal(await page.textContent('[data-testid=target-pm25_annual_mean-status]'), '有风险');
  assert.equal(await page.getAttribute('[data-testid=target-pm25_annual_mean-status]', 'data-rag'), 'yellow');
  assert.equal(await page.locator('[data-testid=table-targets] tbody tr').count(), targets.length);
  assert.match(await page.textContent('header'), /经开区生态环境监测平台/);
  assert.deepEqual(errors, []);
  await page.close();
});

// The live parts update in place: the same nodes, the values of the API, the rest of the screen
// untouched; only they are live regions (never the whole <main>, which would be read out
// whenever anything changed).
test('the overview updates its AQI tile in place and announces only the tile', async () => {
  const { page, errors } = await open('#/', 'overview-live', 'zh', '&refresh_ms=300');
  assert.equal(await page.getAttribute('main', 'aria-live'), null);
  assert.equal(await page.getAttribute('[data-testid=zone-live]', 'role'), 'status');
  // The count of updates when the tile is spoiled: the test waits for a later one (updates
  // every 300 ms may already have run while the screen was being opened).
  const before = await page.evaluate(() => {
    document.querySelector('[data-testid=card-aqi-now]').dataset.mark = 'kept';
    document.querySelector('[data-testid=zone-aqi]').textContent = 'stale';
    document.querySelector('[data-testid=card-targets]').dataset.mark = 'kept';
    return Number(document.getElementById('app').dataset.refreshed || 0);
  });
  await page.waitForFunction((n) => Number(document.getElementById('app').dataset.refreshed || 0) > n, before, { timeout: 5000 });
  const now = await api('aqi/now');
  assert.equal(await page.getAttribute('[data-testid=card-aqi-now]', 'data-mark'), 'kept');
  assert.equal(await page.getAttribute('[data-testid=card-targets]', 'data-mark'), 'kept');
  assert.equal(await page.textContent('[data-testid=zone-aqi]'), String(now.zone.aqi));
  assert.equal(await page.getAttribute('#app', 'data-state'), 'ready');
  assert.equal(await page.locator('[aria-live]').count(), 1);
  assert.deepEqual(errors, []);
  await page.close();
});

test('air screen draws the calendar, trends, stations and town ranking with their tables', async () => {
  const { page, errors } = await open('#/air', 'air');
  for (const id of ['aqi-calendar', 'trends', 'station-compare', 'station-map', 'town-ranking']) {
    assert.equal(await page.locator(`[data-testid=card-${id}] canvas`).count() > 0, true, `${id} has a chart`);
  }
  const ranking = (await api('ranking')).data;
  await page.click('[data-testid=toggle-town-ranking]');
  const first = await page.locator('[data-testid=table-town-ranking] tbody tr').first().locator('td').allTextContents();
  assert.equal(first[1], ranking[0].town);
  assert.equal(first[1], '潮河街道'); // PM2.5 40 beats 80
  const days = (await api('aqi/daily?from=2026-01-01&limit=400')).data;
  assert.equal(await page.locator('[data-testid=table-aqi-calendar] tbody tr').count(), days.length);
  assert.deepEqual(errors, []);
  await page.close();
});

test('station screen shows every parameter with its flags', async () => {
  const { page, errors } = await open('#/station/1', 'station');
  const latest = (await api('sites/1/latest')).data;
  assert.equal(await page.locator('[data-testid=table-latest] tbody tr').count(), latest.length);
  for (const l of latest) assert.equal(await page.locator(`[data-testid=card-series-${l.param}] canvas`).count() > 0, true);
  // The maintenance-flagged PM2.5 hour is counted in the card's title.
  assert.match(await page.textContent('[data-testid=card-series-a34004] h2'), /缺测 0 · 异常标记 1/);
  assert.deepEqual(errors, []);
  await page.close();
  // Station 2 fell silent after the hour starting 08:00: 09:00, 10:00 and 11:00 are gaps.
  const s2 = await open('#/station/2', 'station-gaps');
  assert.match(await s2.page.textContent('[data-testid=card-series-a34004] h2'), /缺测 3 · 异常标记 0/);
  assert.deepEqual(s2.errors, []);
  await s2.page.close();
});

test('data-quality screen asks the public to log in, then lists completeness and the offline devices', async () => {
  // Completeness and device status are for staff (docs/access.md): the public gets a prompt.
  const anon = await open('#/quality', 'quality-anonymous');
  await anon.page.waitForSelector('[data-testid=screen-quality-login]');
  assert.equal(await anon.page.locator('[data-testid=nav-quality]').count(), 0);
  assert.equal(await anon.page.locator('[data-testid=table-offline]').count(), 0);
  await anon.page.click('[data-testid=quality-login]');
  await anon.page.waitForSelector('#app[data-screen="login"][data-state="ready"]');
  await anon.page.fill('[data-testid=login-name]', 'bureau1');
  await anon.page.fill('[data-testid=login-password]', PASSWORD);
  await anon.page.click('[data-testid=login-submit]');
  // Back to the screen that asked, now with its data.
  await anon.page.waitForSelector('#app[data-screen="quality"][data-state="ready"] [data-testid=screen-quality]');
  assert.deepEqual(anon.errors, []);
  await anon.page.close();
  const { page, errors } = await open('#/quality', 'quality');
  const off = (await api('devices/offline')).data;
  assert.equal(await page.textContent('[data-testid=offline-count]'), String(off.length));
  assert.equal(off.length, 2);
  const rows = await page.locator('[data-testid=table-offline] tbody tr').allTextContents();
  assert.equal(rows.some((r) => r.includes('九龙站')), true);
  assert.deepEqual(errors, []);
  await page.close();
});

test('English is one click away', async () => {
  const { page, errors } = await open('#/', 'overview-en', 'en');
  assert.match(await page.textContent('nav'), /Overview/);
  await page.click('#lang');
  await page.waitForSelector('#app[data-state="ready"]');
  assert.match(await page.textContent('nav'), /总览/);
  assert.deepEqual(errors, []);
  await page.close();
});
