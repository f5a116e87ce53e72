// Browser tests of the heavy-pollution warning screen (重污染应对) over the demo's setup: the
// devices of data/demo/devices.csv with six days of hourly history (`simulate --history`,
// the devices' own 2061 hour data), the demo's emergency list (data/demo/emergency-list.csv)
// and an orange warning from four days ago to yesterday, declared by the bureau through the
// API. The compliance job (`serve --escalate-every 1`) judges the list on the CEMS data and
// opens the cases; the screen must show exactly the server's verdicts, figures and cases.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { apiToken, freePort, launchChromium, logInPage, newPage as openPage, waitFor } from './lib.mjs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = process.env.ENVWATCH_ROOT || join(dirname(fileURLToPath(import.meta.url)), '../..');
const artifacts = join(root, 'test-artifacts');
const PASSWORD = 'correct horse battery';
const ID_TOKEN = /[a-z]+_[a-z_]+/g;
// The demo's C-grade foundry must stop in orange and keeps its furnace running.
const STOPS = '郑州中原精密铸造有限公司';
const bjDay = (daysAgo) => new Date(Date.now() + 8 * 3600_000 - daysAgo * 86400_000).toISOString().slice(0, 10);

let server, browser, base, tmp, warningId;

const token = (name) => apiToken(base, name, PASSWORD);
async function call(name, method, path, body) {
  const r = await fetch(`${base}/api/v1/${path}`, {
    method, headers: { Authorization: `Bearer ${await token(name)}`, 'Content-Type': 'application/json' }, body: body && JSON.stringify(body),
  });
  return { status: r.status, body: await r.json().catch(() => null) };
}

before(async () => {
  execFileSync('bash', [join(root, 'scripts/web-build.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
  tmp = mkdtempSync(join(tmpdir(), 'envwatch-emergency-'));
  const db = join(tmp, 'em.db');
  const devices = join(root, 'data/demo/devices.csv');
  execFileSync(process.env.ENVWATCH, ['simulate', '--devices-file', devices, '--history', '--db', db, '--from', bjDay(6)]);
  execFileSync(process.env.ENVWATCH, ['import', 'emergency-list', '--db', db, join(root, 'data/demo/emergency-list.csv')]);
  execFileSync(process.env.ENVWATCH, ['import', 'river-plans', '--db', db, join(root, 'data/demo/river-plans.json')]);
  for (const [name, role, org] of [['bureau1', 'bureau', 'sthj'], ['qiye', 'enterprise', '郑州宏远汽车零部件有限公司']]) {
    execFileSync(process.env.ENVWATCH, ['user', 'add', name, '--db', db, '--role', role, '--org', org], { input: `${PASSWORD}\n` });
  }
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(process.env.ENVWATCH, ['serve', '--db', db, '--hj212', `127.0.0.1:${await freePort()}`,
    '--http', `127.0.0.1:${port}`, '--static', join(root, 'web/dist'), '--devices', devices, '--escalate-every', '1'], { stdio: 'ignore' });
  await waitFor(`${base}/api/v1/health`);
  const w = await call('bureau1', 'POST', 'warnings', {
    level: 'orange', start: `${bjDay(4)} 00:00`, end: `${bjDay(1)} 00:00`, notice: '郑州市重污染天气橙色预警（Ⅱ级应急响应）', basis: 'forecast', aqi: 236,
  });
  assert.equal(w.status, 201, JSON.stringify(w.body));
  warningId = w.body.id;
  // Yesterday's satellite feed: two points of one fire 200 m apart, one elsewhere.
  const point = (lon, lat, time, confidence, source) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [lon, lat] }, properties: { time: `${bjDay(1)} ${time}`, confidence, source } });
  const ev = await call('bureau1', 'POST', 'events', { type: 'FeatureCollection', features: [
    point(113.8010, 34.6600, '10:05:00', 82, 'FY-3D'), point(113.8010, 34.6618, '11:10:00', 76, 'NPP'), point(113.9050, 34.6950, '15:40:00', 71, 'FY-3D')] });
  assert.deepEqual(ev.body, { received: 3, stored: 3, cases_opened: 2 });
  browser = await launchChromium(root);
  mkdirSync(artifacts, { recursive: true });
});

after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

// The report once the job has stored the breach of the foundry (a pass a second).
async function report() {
  for (let i = 0; i < 100; i++) {
    const r = (await call('bureau1', 'GET', `warnings/${warningId}/report`)).body;
    if (r.enterprises.find((e) => e.enterprise === STOPS)?.emission.case_id) return r;
    await new Promise((res) => setTimeout(res, 200));
  }
  assert.fail('no emission case for the foundry');
}

const newPage = (viewport) => openPage(browser, viewport);
async function ready(page, name) {
  await page.waitForSelector('#app[data-state="ready"]', { timeout: 15000 });
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(artifacts, `emergency-${name}.png`), fullPage: true });
}
const login = (page, name) => logInPage(page, base, name, PASSWORD, ready);

test('the report judges the list on the devices\' hourly CEMS data: the foundry that should stop breaches, with its case', async () => {
  const r = await report();
  assert.equal(r.enterprises.length, 4);
  const by = Object.fromEntries(r.enterprises.map((e) => [e.enterprise, e]));
  // Every listed enterprise has a flue-gas outlet sending hour data: an emission for each.
  for (const e of r.enterprises) {
    assert.ok(e.emission.mean_kgh > 0 && e.emission.hours >= 60, `${e.enterprise}: ${JSON.stringify(e.emission)}`);
    assert.ok(e.emission.before_kgh > 0);
    assert.equal(e.mean_kw, null); // no power meters in the demo
  }
  // Orange for a C grade is a stop: allowance 0 kg/h, and the furnace kept emitting.
  assert.equal(by[STOPS].emission.allowed_kgh, 0);
  assert.equal(by[STOPS].verdict, 'breached');
  // The A grade's own measures (cut 0) and the B grade's 20 % are within the demo's output.
  assert.equal(by['郑州经开热力有限公司'].verdict, 'complied');
  assert.equal(by['郑州宏远汽车零部件有限公司'].verdict, 'complied');
  assert.equal(r.reduction.required_pct, 20);
  assert.equal(typeof r.reduction.vs_base_pct, 'number');
  // The case is the town's (属地) and tells what was found.
  const c = (await call('bureau1', 'GET', `cases/${by[STOPS].emission.case_id}`)).body;
  const file = c.data ?? c;
  assert.equal(file.location, '九龙办事处');
  assert.match(file.description, /^重污染天气橙色预警期间 郑州中原精密铸造有限公司 .*排放速率均值 [\d.]+ kg\/h，超过减排要求 0\.00 kg\/h/);
});

test('the bureau\'s warning screen shows the server\'s verdicts, figures and cases, and the sites coloured by verdict', async () => {
  const r = await report();
  const { page, errors, context } = await newPage();
  await login(page, 'bureau1');
  await page.click('[data-testid=nav-emergency]');
  await page.waitForSelector('[data-testid=card-warning-report]');
  await ready(page, 'report');
  assert.equal((await page.textContent('[data-testid=table-warnings] [data-testid=level-orange]')).trim(), '橙色（Ⅱ级）');
  assert.equal((await page.textContent('[data-testid=em-complied]')).trim(), String(r.summary.complied));
  assert.equal((await page.textContent('[data-testid=em-breached]')).trim(), String(r.summary.breached));
  assert.equal((await page.textContent('[data-testid=em-reduction]')).trim(), `${r.reduction.vs_base_pct.toFixed(1)}%`);
  const words = { complied: '已落实', breached: '未落实', no_data: '无数据' };
  for (const e of r.enterprises) {
    assert.equal((await page.textContent(`[data-testid="verdict-${e.enterprise}"]`)).trim(), words[e.verdict], e.enterprise);
  }
  const row = page.locator('[data-testid=table-em-report] tr', { hasText: STOPS });
  const stops = r.enterprises.find((e) => e.enterprise === STOPS);
  assert.match(await row.textContent(), new RegExp(`${stops.emission.mean_kgh.toFixed(2)} / 0\\.00 kg/h 案件 ${stops.emission.case_id}`));
  // The map: one point per site of a listed enterprise (宏远 has a wastewater outlet too),
  // each with its enterprise's verdict.
  const verdict = new Map(r.enterprises.map((e) => [e.enterprise, e.verdict]));
  const sites = (await call('bureau1', 'GET', 'sites')).body.data.filter((x) => verdict.has(x.enterprise));
  assert.equal(sites.length, 5);
  const points = (await page.getAttribute('[data-testid=em-map-chart]', 'data-points')).split(',').sort();
  assert.deepEqual(points, sites.map((x) => `${x.enterprise}:${verdict.get(x.enterprise)}`).sort());
  // Yesterday's fire points, each with the case it opened or joined.
  const fires = (await call('bureau1', 'GET', 'fires')).body.data;
  assert.equal(fires.length, 3);
  assert.equal(await page.getAttribute('[data-testid=fires-chart]', 'data-points'), '3');
  await page.click('[data-testid=toggle-fires]');
  const cells = await page.locator('[data-testid=table-fires] tbody tr').allTextContents();
  assert.deepEqual(cells.map((c) => c.match(/案件 (\d+)/)?.[1]), fires.map((x) => String(x.case_id)));
  assert.equal(new Set(fires.map((x) => x.case_id)).size, 2);
  // The rivers' plans as GET /rivers gives them: sections in order, contacts, stocks.
  const rivers = (await call('bureau1', 'GET', 'rivers')).body.data;
  assert.equal(rivers.length, 3);
  for (const r of rivers) {
    assert.equal((await page.textContent(`[data-testid=river-sections-${r.code}]`)).trim(), `断面（上游 → 下游）：${r.sections.join(' → ')}`);
    assert.equal(await page.locator(`[data-testid=table-contacts-${r.code}] tbody tr`).count(), r.contacts.length);
  }
  assert.match(await page.textContent('[data-testid=table-materials-chaohe]'), /围油栏300 m潮河办事处应急物资库/);
  // No internal identifier in what a person reads.
  const ids = ((await page.evaluate(() => document.getElementById('app').innerText)).match(ID_TOKEN) || []);
  assert.deepEqual(ids, []);
  // The bureau declares the next warning on the screen: a red one from tomorrow on a
  // forecast; the screen then shows it, as GET /warnings stores it.
  const tomorrow = bjDay(-1), after = bjDay(-2);
  await page.selectOption('[data-testid=declare-level]', 'red');
  await page.fill('[data-testid=declare-start]', `${tomorrow}T00:00`);
  await page.fill('[data-testid=declare-end]', `${after}T12:00`);
  await page.fill('[data-testid=declare-aqi]', '320');
  await page.fill('[data-testid=declare-notice]', '郑州市重污染天气红色预警（Ⅰ级应急响应）');
  await page.click('[data-testid=declare-submit]');
  await page.waitForFunction(() => /[?&]w=\d+/.test(location.hash) && document.querySelector('#app')?.dataset.state === 'ready');
  const listed = (await call('bureau1', 'GET', 'warnings')).body.data;
  assert.equal(listed.length, 2);
  assert.deepEqual([listed[0].level, listed[0].start, listed[0].end, listed[0].basis_aqi], ['red', `${tomorrow}T00:00:00+08:00`, `${after}T12:00:00+08:00`, 320]);
  await page.waitForSelector(`text=预警减排核查 #${listed[0].id}`);
  assert.match(await page.textContent('[data-testid=em-warning-line]'), /红色（Ⅰ级）/);
  await page.goto(`${base}/?lang=zh#/emergency?w=${warningId}`);
  await page.waitForSelector('[data-testid=card-warning-report]');
  await ready(page, 'report-again');
  // From the breach to its case.
  await row.locator('[data-testid=em-case-link]').click();
  await page.waitForFunction((id) => location.hash === `#/case/${id}`, stops.emission.case_id);
  await ready(page, 'case');
  assert.match(await page.textContent('#app'), /九龙办事处/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('an enterprise has no warning screen and reads only its own entry of the report', async () => {
  const { page, errors, context } = await newPage();
  await login(page, 'qiye');
  await ready(page, 'enterprise');
  assert.equal(await page.locator('[data-testid=nav-emergency]').count(), 0);
  const own = await call('qiye', 'GET', `warnings/${warningId}/report`);
  assert.equal(own.status, 200);
  assert.deepEqual(own.body.enterprises.map((e) => e.enterprise), ['郑州宏远汽车零部件有限公司']);
  assert.equal(own.body.reduction.vs_base_pct, null);
  assert.equal((await call('qiye', 'GET', 'rivers')).status, 403);
  // Its home shows its measures per level and its verdict in the warning, as the API gives it.
  await page.waitForSelector('[data-testid=card-own-warnings]');
  await page.screenshot({ path: join(artifacts, 'emergency-enterprise-home.png'), fullPage: true });
  assert.equal(await page.locator('[data-testid=table-own-measures] tbody tr').count(), 3);
  assert.match(await page.textContent('[data-testid=table-own-measures]'), /涂装线限产20%；禁用国四车辆（减排比例 20%）/);
  assert.equal((await page.textContent(`[data-testid=own-verdict-${warningId}]`)).trim(), { complied: '已落实', breached: '未落实', no_data: '无数据' }[own.body.enterprises[0].verdict]);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a public report of a burning beside a fire point joins its case, and both screens say so', async () => {
  // A camera's point an hour ago at a new place, then a 随手拍 80 m from it.
  const hourAgo = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
  const ev = await call('bureau1', 'POST', 'events', { events: [{ time: hourAgo, lon: 113.95, lat: 34.60, confidence: 90, source: '蓝天卫士' }] });
  assert.deepEqual(ev.body, { received: 1, stored: 1, cases_opened: 1 });
  const posted = await fetch(`${base}/api/v1/public/reports`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ category: 'open_burning', location: '九龙镇南地头', lon: 113.9507, lat: 34.6003, description: '地里在烧秸秆，烟很大' }),
  });
  const rep = await posted.json();
  assert.equal(posted.status, 201);
  assert.equal(rep.joined, true);
  const pub = await newPage();
  await pub.page.goto(`${base}/?lang=zh#/track?code=${encodeURIComponent(rep.tracking)}`);
  await pub.page.waitForSelector('[data-testid=track-joined]');
  assert.match(await pub.page.textContent('[data-testid=track-joined]'), /同一火点案件/);
  await pub.context.close();
  const cases = (await call('bureau1', 'GET', 'cases?source=public_report&limit=200')).body.data;
  const mine = cases.find((c) => c.tracking === rep.tracking);
  assert.ok(mine, 'the report has its own case');
  const { page, errors, context } = await newPage();
  await login(page, 'bureau1');
  await page.goto(`${base}/?lang=zh#/case/${mine.id}`);
  await ready(page, 'report-joined');
  await page.click('[data-testid=case-fire-link]');
  await page.waitForSelector('[data-testid=case-fire-reports]');
  assert.match(await page.textContent('[data-testid=case-fire-reports]'), new RegExp(`案件 ?${mine.id}`));
  assert.deepEqual(errors, []);
  await context.close();
});
