// Browser tests of the pollution-source screens: an enterprise's home (我的企业) and the
// bureau's 污染源监管, over the demo's outlets (data/demo/devices.csv) with their hourly
// history since 2026-06-01 (`simulate --history`, deterministic per device and hour) and the
// demo's limits file (data/demo/limits.csv). `serve --scan-every 1 --scan-first-days 3660`
// judges the whole history at start, so the alerts are the engine's, not a fixture's.
// They check what each person sees: the enterprise its own outlets, alerts and evidence and
// nothing of any other owner; the bureau every outlet, and the way from an alert to its case
// and back.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { apiToken, freePort, launchChromium, logInPage, newPage as openPage, waitFor } from './lib.mjs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = process.env.ENVWATCH_ROOT || join(dirname(fileURLToPath(import.meta.url)), '../..');
const artifacts = join(root, 'test-artifacts');
const PASSWORD = 'correct horse battery';
const MINE = '郑州宏远汽车零部件有限公司';
const ID_TOKEN = /[a-z]+_[a-z_]+/g;
// HJ 212 factor codes (a34013, w01018): a person reads the factor's name.
const CODE = /\b[aw]\d{5}\b/g;

let server, browser, base, tmp, outlets;

before(async () => {
  execFileSync('bash', [join(root, 'scripts/web-build.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
  tmp = mkdtempSync(join(tmpdir(), 'envwatch-source-'));
  const db = join(tmp, 'source.db');
  // The demo's outlets and one air station (the header and comments kept).
  const lines = readFileSync(join(root, 'data/demo/devices.csv'), 'utf8').split('\n');
  const keep = lines.filter((l) => l.startsWith('mn,') || /,(gas_outlet|water_outlet),/.test(l) || l.startsWith('EWAQN1320A'));
  outlets = keep.filter((l) => /,(gas_outlet|water_outlet),/.test(l)).map((l) => { const f = l.split(','); return { mn: f[0], name: f[3], enterprise: f[7] }; });
  const devices = join(tmp, 'devices.csv');
  writeFileSync(devices, keep.join('\n') + '\n');
  // The demo's faults (scripts/demo.sh): zero SO2, diluted flue gas, frozen SO2, lost hours,
  // an outlet gone silent 30 hours ago.
  execFileSync(process.env.ENVWATCH, ['simulate', '--devices-file', devices, '--history', '--db', db, '--from', '2026-06-01',
    '--fault', 'zero:EWGAS00000000000000ZZ001', '--fault', 'dilution:EWGAS00000000000000RL001',
    '--fault', 'constant:EWGAS00000000000000RF001', '--fault', 'gap:EWWAT00000000000000YK001',
    '--fault', 'silent:EWWAT00000000000000WS001']);
  for (const [name, role, org] of [['bureau1', 'bureau', 'sthj'], ['qiye', 'enterprise', MINE]]) {
    execFileSync(process.env.ENVWATCH, ['user', 'add', name, '--db', db, '--role', role, '--org', org], { input: `${PASSWORD}\n` });
  }
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(process.env.ENVWATCH, ['serve', '--db', db, '--hj212', `127.0.0.1:${await freePort()}`,
    '--http', `127.0.0.1:${port}`, '--static', join(root, 'web/dist'), '--devices', devices,
    '--limits', join(root, 'data/demo/limits.csv'), '--scan-every', '1', '--scan-first-days', '3660'], { stdio: 'ignore' });
  await waitFor(`${base}/api/v1/health`);
  browser = await launchChromium(root);
  mkdirSync(artifacts, { recursive: true });
});

after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const token = (name) => apiToken(base, name, PASSWORD);
async function apiAs(name, path) {
  const r = await fetch(`${base}/api/v1/${path}`, { headers: { Authorization: `Bearer ${await token(name)}` } });
  assert.equal(r.status, 200, path);
  return r.json();
}
// The first scan runs at start, outlet by outlet; wait until it has raised the alerts and
// their number has stopped growing.
async function alertsOf(name) {
  let last = -1;
  for (let i = 0; i < 100; i++) {
    const a = (await apiAs(name, 'alerts?limit=500')).data;
    if (a.length && a.length === last) return a;
    last = a.length;
    await new Promise((r) => setTimeout(r, 300));
  }
  return [];
}

const newPage = (viewport) => openPage(browser, viewport);
async function ready(page, name) {
  await page.waitForSelector('#app[data-state="ready"]', { timeout: 15000 });
  await page.waitForTimeout(200);
  await page.screenshot({ path: join(artifacts, `source-${name}.png`), fullPage: true });
}
const login = (page, name) => logInPage(page, base, name, PASSWORD, ready);
const text = (page) => page.evaluate(() => document.body.innerText);

test('an enterprise lands on its own home: its outlets, latest values, limits and alerts, nothing of others', async () => {
  const api = await alertsOf('qiye');
  assert.ok(api.length >= 1, 'the demo history holds at least one alert of the enterprise');
  assert.ok(api.every((a) => a.enterprise === MINE));
  const { page, errors, context } = await newPage();
  await login(page, 'qiye');
  await page.waitForFunction(() => location.hash === '#/sources');
  await ready(page, 'enterprise-home');
  assert.equal((await page.textContent('[data-testid=nav-sources]')).trim(), '我的企业');
  assert.equal((await page.textContent('[data-testid=my-enterprise]')).trim(), MINE);
  const own = outlets.filter((o) => o.enterprise === MINE).map((o) => o.name).sort();
  const shown = (await page.locator('[data-testid=table-outlets] [data-testid=outlet-link]').allTextContents()).sort();
  assert.deepEqual(shown, own);
  // Its limits in words, with the standard: the painting line's permit figure for 烟尘.
  assert.match(await page.textContent('[data-testid=table-outlets]'), /烟尘 ≤ 10 mg\/m³（小时均值）/);
  assert.match(await page.textContent('[data-testid=table-outlets]'), /GB\/T 31962-2015 B级/);
  // Latest hourly values beside the limits: a row per limited factor, a number wherever the
  // device sends that factor (GB 16297's NMHC is limited but not measured: no value, '—').
  const mine = (await apiAs('qiye', 'outlets')).data;
  let limited = 0, measured = 0;
  for (const o of mine) {
    const hours = new Set((await apiAs('qiye', `sites/${o.id}/latest`)).data.filter((x) => x.period === 'hour').map((x) => x.param));
    limited += o.limits.length;
    measured += o.limits.filter((l) => hours.has(l.param)).length;
  }
  const values = (await page.locator('[data-testid=table-latest-limits] tbody tr td:nth-child(4)').allTextContents()).map((v) => v.trim());
  assert.equal(values.length, limited);
  assert.ok(measured >= 4, `${measured} measured factors`);
  assert.equal(values.filter((v) => /^\d+(\.\d+)?$/.test(v)).length, measured);
  assert.equal(values.filter((v) => v === '—').length, limited - measured);
  assert.equal(Number(await page.textContent('[data-testid=alert-count]')), api.length);
  assert.equal(await page.locator('[data-testid=table-alerts] tbody tr').count(), api.length);
  // Nothing of any other owner anywhere on the screen.
  const body = await text(page);
  for (const o of outlets.filter((x) => x.enterprise !== MINE)) {
    assert.ok(!body.includes(o.enterprise), `another enterprise shown: ${o.enterprise}`);
  }
  assert.deepEqual(body.match(ID_TOKEN) ?? [], []);
  assert.deepEqual(body.match(CODE) ?? [], []);
  // The station picker lists its own outlets and the public stations only.
  await page.click('[data-testid=outlet-link] >> nth=0');
  await ready(page, 'enterprise-station');
  const options = await page.locator('[data-testid=site-select] option').allTextContents();
  for (const o of outlets.filter((x) => x.enterprise !== MINE)) assert.ok(!options.some((s) => s.includes(o.mn)), `${o.name} (${o.mn}) in the picker`);
  for (const o of outlets.filter((x) => x.enterprise === MINE)) assert.ok(options.some((s) => s.includes(o.mn)), `own ${o.mn} missing`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('an alert shows its evidence hour by hour against the limit and its standard', async () => {
  const [first] = await alertsOf('qiye');
  const detail = await apiAs('qiye', `alerts/${first.id}`);
  const ev = (detail.data ?? detail).evidence;
  const { page, errors, context } = await newPage();
  await login(page, 'qiye');
  // An enterprise lands on its home after login: go to the alert only once it has, or the
  // landing may come after and replace the alert's page.
  await page.waitForFunction(() => location.hash === '#/sources');
  await page.goto(`${base}/?lang=zh#/alert/${first.id}`);
  await ready(page, 'enterprise-alert');
  assert.equal((await page.textContent('[data-testid=alert-enterprise]')).trim(), MINE);
  assert.equal((await page.textContent('[data-testid=alert-param]')).trim(), '烟尘');
  assert.equal((await page.textContent('[data-testid=alert-limit]')).trim(), '10');
  assert.equal((await page.textContent('[data-testid=alert-standard]')).trim(), ev.standard);
  assert.equal((await page.textContent('[data-testid=alert-state]')).trim(), '已立案');
  assert.equal(await page.locator('[data-testid=table-evidence] tbody tr').count(), ev.hours.length);
  assert.ok(ev.hours.length >= 1);
  // An enterprise may not read cases: the number is shown, not a link that would be refused.
  assert.equal(await page.locator('[data-testid=alert-case-link]').count(), 0);
  assert.match(await text(page), new RegExp(`案件 ${first.case_id}`));
  // Another enterprise's alert is not found, as one that does not exist.
  const other = (await apiAs('bureau1', 'alerts?limit=200')).data.find((a) => a.enterprise !== MINE);
  assert.ok(other, 'the demo has alerts of other enterprises');
  await page.goto(`${base}/?lang=zh#/alert/${other.id}`);
  await ready(page, 'enterprise-alert-other');
  assert.equal(await page.locator('[data-testid=alert-not-found]').count(), 1);
  assert.ok(!(await text(page)).includes(other.enterprise));
  assert.deepEqual(errors, []);
  await context.close();
});

test('a screen left before its data arrived does not draw over the next one', async () => {
  const [first] = await alertsOf('qiye');
  const { page, errors, context } = await newPage();
  await login(page, 'qiye');
  await page.waitForFunction(() => location.hash === '#/sources');
  // The home's marks arrive 2 s late (a slow server): the reader has gone to an alert by then.
  await page.route('**/api/v1/marks*', async (route) => {
    await new Promise((r) => setTimeout(r, 2000));
    await route.continue();
  });
  await page.evaluate(() => { location.hash = '#/sources?again=1'; });
  await page.evaluate((id) => { location.hash = `#/alert/${id}`; }, first.id);
  await page.waitForTimeout(3000);
  await page.waitForSelector('#app[data-state="ready"]', { timeout: 15000 });
  assert.equal(await page.getAttribute('#app', 'data-screen'), 'alert');
  assert.equal(await page.locator('[data-testid=alert-enterprise]').count(), 1);
  assert.equal(await page.locator('[data-testid=table-outlets]').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the bureau sees every outlet and goes from an alert to its case and back', async () => {
  const all = await alertsOf('bureau1');
  const { page, errors, context } = await newPage();
  await login(page, 'bureau1');
  await page.goto(`${base}/?lang=zh#/sources`);
  await ready(page, 'bureau-sources');
  assert.equal((await page.textContent('[data-testid=nav-sources]')).trim(), '污染源监管');
  assert.equal(await page.locator('[data-testid=table-outlets] tbody tr').count(), outlets.length);
  assert.equal(Number(await page.textContent('[data-testid=alert-count]')), all.length);
  assert.deepEqual((await text(page)).match(ID_TOKEN) ?? [], []);
  assert.deepEqual((await text(page)).match(CODE) ?? [], []);
  const a = all.find((x) => x.case_id && x.rule === 'exceedance_hourly');
  await page.click(`[data-testid=table-alerts] a[href="#/alert/${a.id}"]`);
  await ready(page, 'bureau-alert');
  await page.click('[data-testid=alert-case-link]');
  await ready(page, 'bureau-alert-case');
  assert.equal(await page.getAttribute('[data-testid=screen-case]', 'data-case-id'), String(a.case_id));
  assert.match(await text(page), /小时均值超过排放限值/);
  assert.equal(await page.getAttribute('[data-testid=case-alert-link]', 'href'), `#/alert/${a.id}`);
  assert.equal(await page.getAttribute('[data-testid=case-outlet-link]', 'href'), `#/station/${a.site_id}`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the demo faults are caught: a zero run, diluted flue gas, a frozen value and a day short of data', async () => {
  const all = await alertsOf('bureau1');
  const rules = new Set(all.map((a) => a.rule));
  for (const r of ['zero_value', 'o2_dilution', 'constant_value', 'data_gap']) assert.ok(rules.has(r), `no ${r} alert`);
  for (const a of all) assert.ok(a.rule_zh, `${a.rule} has no Chinese name`);
  const { page, errors, context } = await newPage();
  await login(page, 'bureau1');
  // The day short of data: each factor's counts, and the rate the rule compared.
  const gap = all.find((a) => a.rule === 'data_gap');
  const ev = (await apiAs('bureau1', `alerts/${gap.id}`)).evidence;
  await page.goto(`${base}/?lang=zh#/alert/${gap.id}`);
  await ready(page, 'bureau-alert-gap');
  assert.match(await page.textContent('h2'), /有效传输率不足/);
  assert.equal((await page.textContent('[data-testid=alert-value]')).trim(), `${gap.value.toFixed(1)}%`);
  assert.equal(await page.locator('[data-testid=card-evidence]').count(), 0);
  assert.equal(await page.locator('[data-testid=table-gap] tbody tr').count(), ev.items.length);
  const worst = Math.min(...ev.items.map((x) => x.effective));
  assert.ok(worst < 0.9, `effective ${worst}`);
  assert.match(await page.textContent('[data-testid=table-gap]'), new RegExp(`${(worst * 100).toFixed(1)}%`));
  assert.deepEqual((await text(page)).match(ID_TOKEN) ?? [], []);
  // A zero run: its hours, each measured at 0, against the limit.
  const zero = all.find((a) => a.rule === 'zero_value');
  const zev = (await apiAs('bureau1', `alerts/${zero.id}`)).evidence;
  await page.goto(`${base}/?lang=zh#/alert/${zero.id}`);
  await ready(page, 'bureau-alert-zero');
  assert.match(await page.textContent('h2'), /零值/);
  assert.ok(zev.hours.length >= 4 && zev.hours.every((x) => x.raw === 0));
  assert.equal(await page.locator('[data-testid=table-evidence] tbody tr').count(), zev.hours.length);
  assert.deepEqual((await text(page)).match(CODE) ?? [], []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('an outlet that stopped sending 30 hours ago is caught as 数据中断, with its last value', async () => {
  const all = await alertsOf('bureau1');
  const silent = all.filter((a) => a.rule === 'data_silent');
  assert.equal(silent.length, 1);
  const a = silent[0];
  assert.equal(a.param, 'all');
  assert.ok(a.value >= 30 && a.value <= 31, `silent ${a.value} hours`);
  assert.ok(a.case_id, 'the silence has its case');
  const ev = (await apiAs('bureau1', `alerts/${a.id}`)).evidence;
  const { page, errors, context } = await newPage();
  await login(page, 'bureau1');
  await page.goto(`${base}/?lang=zh#/alert/${a.id}`);
  await ready(page, 'bureau-alert-silent');
  assert.match(await page.textContent('h2'), /数据中断/);
  assert.equal((await page.textContent('[data-testid=alert-param]')).trim(), '全部监测因子');
  assert.equal((await page.textContent('[data-testid=alert-last-value]')).trim(), ev.last_value.slice(0, 16).replace('T', ' '));
  assert.equal((await page.textContent('[data-testid=alert-value]')).trim(), `${a.value} 小时`);
  assert.equal((await page.textContent('[data-testid=alert-limit]')).trim(), '≥ 24 小时');
  assert.equal(await page.locator('[data-testid=card-evidence]').count(), 0);
  assert.deepEqual((await text(page)).match(ID_TOKEN) ?? [], []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the enterprise home fits a phone: no horizontal scrolling at 390 px', async () => {
  const { page, errors, context } = await newPage({ width: 390, height: 844 });
  await login(page, 'qiye');
  await page.waitForFunction(() => location.hash === '#/sources');
  await ready(page, 'enterprise-home-phone');
  const [sw, iw] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert.ok(sw <= iw, `scrollWidth ${sw} > innerWidth ${iw}`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('an enterprise files a mark with its proof; a window that ends before it starts is refused', async () => {
  const before = (await apiAs('qiye', 'marks?limit=200')).data;
  const { page, errors, context } = await newPage();
  await login(page, 'qiye');
  await page.waitForFunction(() => location.hash === '#/sources');
  await ready(page, 'enterprise-mark-form');
  // Only its own outlets can be chosen.
  const own = outlets.filter((o) => o.enterprise === MINE).map((o) => o.name).sort();
  assert.deepEqual((await page.locator('[data-testid=mark-outlet] option').allTextContents()).sort(), own);
  const [outletId] = await page.locator('[data-testid=mark-outlet] option').evaluateAll((os) => os.slice(1, 2).map((o) => o.value));
  await page.selectOption('[data-testid=mark-outlet]', outletId);
  await page.selectOption('[data-testid=mark-class]', 'param_maint');
  // The window lies before the history, so no alert of the other tests changes with it.
  await page.fill('[data-testid=mark-from]', '2026-05-20T08:00');
  await page.fill('[data-testid=mark-to]', '2026-05-20T06:00');
  await page.fill('[data-testid=mark-reason]', '更换采样探头');
  await page.click('[data-testid=mark-submit]');
  await page.waitForFunction(() => document.querySelector('[data-testid=mark-msg]')?.textContent.trim());
  assert.equal((await page.textContent('[data-testid=mark-msg]')).trim(), '结束时间须晚于开始时间');
  assert.equal((await apiAs('qiye', 'marks?limit=200')).data.length, before.length);
  await page.fill('[data-testid=mark-to]', '2026-05-20T10:00');
  await page.setInputFiles('[data-testid=mark-evidence]', { name: 'record.png', mimeType: 'image/png', buffer: await page.screenshot() });
  await page.click('[data-testid=mark-submit]');
  await page.waitForFunction(() => /已提交标记/.test(document.querySelector('[data-testid=mark-msg]')?.textContent ?? ''));
  const after = (await apiAs('qiye', 'marks?limit=200')).data;
  assert.equal(after.length, before.length + 1);
  const m = after.find((x) => !before.some((b) => b.id === x.id));
  assert.equal((await page.textContent('[data-testid=mark-msg]')).trim(), `已提交标记 ${m.id}`);
  assert.equal(m.site_id, Number(outletId));
  assert.equal(m.class, 'param_maint');
  assert.equal(m.reason, '更换采样探头');
  assert.equal(m.who, 'qiye');
  assert.equal(Date.parse(m.from), Date.parse('2026-05-20T08:00:00+08:00'));
  assert.equal(Date.parse(m.to), Date.parse('2026-05-20T10:00:00+08:00'));
  assert.ok(m.evidence, 'the proof is stored with the mark');
  // The list shows the new mark with its proof, which its uploader may open.
  assert.equal(Number(await page.textContent('[data-testid=mark-count]')), after.length);
  assert.match(await page.textContent('[data-testid=table-marks]'), /更换采样探头/);
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=table-marks] img')].some((i) => i.complete && i.naturalWidth > 0));
  assert.deepEqual((await text(page)).match(ID_TOKEN) ?? [], []);
  // The bureau reads the same mark, and may file marks too.
  assert.ok((await apiAs('bureau1', 'marks?limit=200')).data.some((x) => x.id === m.id && x.reason === '更换采样探头'));
  assert.deepEqual(errors, []);
  await context.close();
  const b = await newPage();
  await login(b.page, 'bureau1');
  await b.page.goto(`${base}/?lang=zh#/sources`);
  await ready(b.page, 'bureau-mark-form');
  assert.equal(await b.page.locator('[data-testid=mark-form]').count(), 1);
  assert.equal(await b.page.locator('[data-testid=mark-outlet] option').count(), outlets.length);
  assert.deepEqual(b.errors, []);
  await b.context.close();
});
