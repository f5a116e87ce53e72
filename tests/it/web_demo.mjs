// Browser tests over the demo's data: the devices of data/demo/devices.csv with their hourly
// history up to the current hour (`simulate --history`, the bulk path of `make demo`), on
// the real clock. They check what a person sees first: a number in the real-time AQI tile,
// one status for a target on the overview and the plan screen, the public screens and a
// unit's worklist at phone width without horizontal scrolling, and no internal identifier
// (snake_case tokens) in the visible text of any screen.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { freePort, launchChromium, newPage as openPage, waitFor } from './lib.mjs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = process.env.ENVWATCH_ROOT || join(dirname(fileURLToPath(import.meta.url)), '../..');
const artifacts = join(root, 'test-artifacts');
const PASSWORD = 'correct horse battery';
const ID_TOKEN = /[a-z]+_[a-z_]+/g;

let server, browser, base, tmp;

before(async () => {
  execFileSync('bash', [join(root, 'scripts/web-build.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
  tmp = mkdtempSync(join(tmpdir(), 'envwatch-demo-'));
  const db = join(tmp, 'demo.db');
  const devices = join(root, 'data/demo/devices.csv');
  // Three weeks are enough for every screen and take well under a second.
  const from = new Date(Date.now() + 8 * 3600_000 - 21 * 86400_000).toISOString().slice(0, 10);
  execFileSync(process.env.ENVWATCH, ['simulate', '--devices-file', devices, '--history', '--db', db, '--from', from]);
  for (const [name, role, org] of [['bureau1', 'bureau', 'sthj'], ['unit1', 'unit', 'jianshe']]) {
    execFileSync(process.env.ENVWATCH, ['user', 'add', name, '--db', db, '--role', role, '--org', org], { input: `${PASSWORD}\n` });
  }
  const port = await freePort();
  const hj = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(process.env.ENVWATCH, ['serve', '--db', db, '--hj212', `127.0.0.1:${hj}`,
    '--http', `127.0.0.1:${port}`, '--static', join(root, 'web/dist'), '--devices', devices], { stdio: 'ignore' });
  await waitFor(`${base}/api/v1/health`);
  browser = await launchChromium(root);
  mkdirSync(artifacts, { recursive: true });
});

after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const newPage = (viewport) => openPage(browser, viewport);

async function show(page, hash, name) {
  await page.goto(`${base}/?lang=zh${hash}`);
  await page.waitForSelector('#app[data-state="ready"]', { timeout: 15000 });
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(artifacts, `demo-${name}.png`), fullPage: true });
}

async function login(page, name) {
  await show(page, '#/login', 'login');
  await page.fill('[data-testid=login-name]', name);
  await page.fill('[data-testid=login-password]', PASSWORD);
  await page.click('[data-testid=login-submit]');
  await page.waitForSelector('[data-testid=user-chip]');
}

// snake_case tokens in what a person reads (the page's text, not its markup).
const idsIn = async (page) => (await page.evaluate(() => document.body.innerText)).match(ID_TOKEN) ?? [];
// Lower-case English words in the Chinese screens' content: raw tokens such as done or hour.
const wordsIn = async (page) => (await page.evaluate(() => document.getElementById('app').innerText)).match(/\b[a-z]{3,}\b/g) ?? [];

test('the overview shows a real-time AQI number from the demo data', async () => {
  const { page, errors, context } = await newPage();
  await show(page, '#/', 'overview');
  const aqi = (await page.textContent('[data-testid=zone-aqi]')).trim();
  assert.match(aqi, /^\d+$/, `the AQI tile shows a number, not '${aqi}'`);
  assert.deepEqual(await idsIn(page), []);
  assert.deepEqual(errors, []);
  await context.close();
});

// The colour of each status of GET /targets (docs/api.md, "Targets").
const RAG = { on_track: 'green', met: 'green', at_risk: 'yellow', cannot: 'red', missed: 'red', no_data: 'none' };

test('PM2.5 value, projection and status agree between the overview and the plan screen', async () => {
  const { page, errors, context } = await newPage();
  await login(page, 'bureau1');
  await show(page, '#/', 'overview-bureau');
  const id = 'pm25_annual_mean';
  const ov = {
    status: (await page.textContent(`[data-testid=target-${id}-status]`)).trim(),
    rag: await page.getAttribute(`[data-testid=target-${id}-status]`, 'data-rag'),
    projected: (await page.textContent(`[data-testid=target-${id}-projected]`)).trim(),
  };
  await show(page, '#/plan', 'plan');
  const pl = {
    status: (await page.textContent(`[data-testid=plan-${id}-status]`)).trim(),
    rag: await page.getAttribute(`[data-testid=plan-${id}-status]`, 'data-rag'),
  };
  assert.equal(pl.status, ov.status);
  assert.equal(pl.rag, ov.rag);
  // Both are the API's status, and a projection above the target is never green.
  const pm = (await (await fetch(`${base}/api/v1/targets`)).json()).data.find((r) => r.id === id);
  assert.equal(ov.rag, RAG[pm.status]);
  if (pm.projected !== null && pm.projected > pm.target) assert.notEqual(ov.rag, 'green', `PM2.5 projected ${pm.projected} > ${pm.target} shown as ${ov.status}`);
  // The canal's class is measured in the demo and shown as the class people write.
  const canal = (await page.evaluate(async () => (await (await fetch('/api/v1/targets')).json()))).data.find((r) => r.id === 'snbd_main_canal_class');
  assert.ok(Number.isInteger(canal.value), `canal value ${canal.value}`);
  assert.equal((await page.textContent('[data-testid=plan-snbd_main_canal_class-value]')).trim(), ['Ⅰ', 'Ⅱ', 'Ⅲ', 'Ⅳ', 'Ⅴ', '劣Ⅴ'][canal.value - 1]);
  const row = page.locator('[data-testid=table-targets] tr', { has: page.locator(`[data-testid=plan-${id}-status]`) });
  assert.equal((await row.locator('td').nth(4).textContent()).trim(), ov.projected);
  // No data is never shown in a colour of success.
  for (const s of await page.locator('[data-testid=table-targets] .rag').evaluateAll((b) => b.map((x) => [x.dataset.rag, x.textContent]))) {
    if (s[1] === '暂无数据' || s[1] === '无数据') assert.equal(s[0], 'none');
  }
  assert.doesNotMatch(await page.evaluate(() => document.body.innerText), /剩余 -\d+ 天/);
  // Past the plan's period (2023–2025) the screen says so and shows the last year's results.
  const year = (await (await fetch(`${base}/api/v1/targets`)).json()).year;
  if (year > 2025) {
    const fin = await page.textContent('[data-testid=plan-final]');
    assert.match(fin, /2025 年/);
    assert.match(fin, /HJ 633|—/);
    // The ledger is closed at the period's end: it says so, and no task counts overdue days
    // on (no task of the demo was reported done, so each ended undone).
    const text = (await page.textContent('[data-testid=ledger-closed]')).trim();
    assert.match(text, /规划期已于 2025-12-31 结束/);
    const body = await page.evaluate(() => document.body.innerText);
    assert.doesNotMatch(body, /逾期 \d+ 天/);
    assert.match(body, /规划期末未完成/);
    const led = await page.evaluate(async () => (await (await fetch('/api/v1/ledger')).json()));
    assert.equal(led.plan.over, true);
    assert.equal(led.plan.year, 2025);
    assert.ok(led.actions.flatMap((a) => a.tasks).every((t) => t.closed && t.days_left === -1));
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test('the bureau sees the zone\'s dust fall, eco-flow, drinking-water sources and black-odorous water against the plan targets; the public does not', async () => {
  const { page, errors, context } = await newPage();
  await show(page, '#/', 'overview-public-nodust');
  assert.equal(await page.locator('[data-testid=card-dustfall]').count(), 0);
  assert.equal(await page.locator('[data-testid=card-ecoflow]').count(), 0);
  assert.equal(await page.locator('[data-testid=card-drinking]').count(), 0);
  assert.equal(await page.locator('[data-testid=card-black]').count(), 0);
  assert.equal(await page.locator('[data-testid=card-ghg]').count(), 0);
  await login(page, 'bureau1');
  await show(page, '#/', 'overview-dustfall');
  const annual = (await page.textContent('[data-testid=dustfall-annual]')).trim();
  assert.match(annual, /^\d+(\.\d+)?$/, `the year's dust fall is a number, not '${annual}'`);
  // The card's figure and status are the ones of GET /targets (one truth for a target).
  const tg = await page.evaluate(async () => (await (await fetch('/api/v1/targets')).json()).data.find((x) => x.id === 'dustfall_city_mean'));
  assert.equal(annual, Number.isInteger(tg.value) ? String(tg.value) : tg.value.toFixed(1)); // shown to 0.1, as bulletins do
  const rag = await page.getAttribute('[data-testid=dustfall-status]', 'data-rag');
  assert.equal(rag, RAG[tg.status]);
  await page.click('[data-testid=toggle-dustfall]');
  assert.ok(await page.locator('[data-testid=table-dustfall] tbody tr').count() >= 1);
  // Eco-flow: the lowest section's rate is the target's value, with the same status.
  const eco = await page.evaluate(async () => (await (await fetch('/api/v1/targets')).json()).data.find((x) => x.statistic === 'water.eco_flow_compliance'));
  assert.equal((await page.textContent('[data-testid=ecoflow-value]')).trim(), Number.isInteger(eco.value) ? String(eco.value) : eco.value.toFixed(1));
  assert.equal(await page.getAttribute('[data-testid=ecoflow-status]', 'data-rag'), RAG[eco.status]);
  await page.click('[data-testid=toggle-ecoflow]');
  assert.equal(await page.locator('[data-testid=table-ecoflow] tbody tr').count(), 3);
  // Drinking-water sources: the rate by sources is the target's value, with its status.
  const dw = await page.evaluate(async () => (await (await fetch('/api/v1/targets')).json()).data.find((x) => x.statistic === 'water.drinking_source_compliance'));
  assert.equal((await page.textContent('[data-testid=drinking-value]')).trim(), Number.isInteger(dw.value) ? String(dw.value) : dw.value.toFixed(1));
  assert.equal(await page.getAttribute('[data-testid=drinking-status]', 'data-rag'), RAG[dw.status]);
  await page.click('[data-testid=toggle-drinking]');
  assert.equal(await page.locator('[data-testid=table-drinking] tbody tr').count(), 2);
  // Black-odorous water: the built-up count is the target's value, with its status.
  const bo = await page.evaluate(async () => (await (await fetch('/api/v1/targets')).json()).data.find((x) => x.statistic === 'water.black_odorous_bodies_built_up'));
  assert.equal((await page.textContent('[data-testid=black-value]')).trim(), bo.value === null ? '—' : String(bo.value));
  assert.equal(await page.getAttribute('[data-testid=black-status]', 'data-rag'), RAG[bo.status]);
  await page.click('[data-testid=toggle-black]');
  assert.equal(await page.locator('[data-testid=table-black] tbody tr').count(), 2);
  // Greenhouse gases: one row per station and gas, as GET /ghg gives them.
  const ghg = await page.evaluate(async () => (await (await fetch('/api/v1/ghg')).json()));
  await page.click('[data-testid=toggle-ghg]');
  assert.equal(await page.locator('[data-testid=table-ghg] tbody tr').count(), ghg.data.length);
  assert.equal(ghg.data.length, 4);
  assert.deepEqual(await idsIn(page), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the water screen shows every section\'s classes as the API gives them, and a section\'s trend against its limits', async () => {
  const { page, errors, context } = await newPage();
  await show(page, '#/water', 'water-anon');
  assert.equal(await page.locator('[data-testid=screen-water]').count(), 0); // staff only
  await login(page, 'bureau1');
  await show(page, '#/water', 'water');
  const api = await page.evaluate(async () => (await (await fetch('/api/v1/water/classes')).json()));
  assert.equal(await page.locator('[data-testid=table-water-classes] tbody tr').count(), api.data.length);
  assert.ok(api.data.length >= 6, `${api.data.length} sections`);
  for (const r of api.data) {
    for (let m = 1; m <= 12; m++) {
      assert.equal((await page.textContent(`[data-testid=water-${r.code}-m${m}]`)).trim(), r.months[m - 1] ?? '—', `${r.code} month ${m}`);
    }
    assert.equal((await page.textContent(`[data-testid=water-${r.code}-year]`)).trim(), r.class_year ?? '—');
  }
  // The trend draws the first section's items that the bulletins watch, with its limits.
  const items = await page.getAttribute('[data-testid=water-trend-chart]', 'data-items');
  assert.match(items, /NH3-N/);
  // Another section by the link in its row.
  const canal = api.data.find((r) => r.code === 'NSBD-ZZ');
  await page.click('[data-testid=water-row-NSBD-ZZ] a');
  await page.waitForSelector('#app[data-state="ready"][data-route*="section=NSBD-ZZ"]');
  assert.match(await page.textContent('[data-testid=card-water-trend] h2'), new RegExp(canal.name));
  assert.deepEqual(await idsIn(page), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the monthly report shows the month\'s figures as the API gives them and prints to a PDF', async () => {
  const { page, errors, context } = await newPage();
  await login(page, 'bureau1');
  // The month of the demo's history (three weeks back): the current month.
  const month = (await (await fetch(`${base}/api/v1/health`)).json()).time.slice(0, 7);
  await show(page, `#/monthly?month=${month}`, 'monthly');
  assert.match(await page.textContent('[data-testid=monthly-title]'), new RegExp(`${Number(month.slice(0, 4))} 年 ${Number(month.slice(5))} 月`));
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5));
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const as = await page.evaluate(async (q) => (await (await fetch(`/api/v1/assessment?${q}`)).json()).data, `from=${month}-01&to=${month}-${last}`);
  // The air table: one row per pollutant, each value the assessment's.
  const cells = await page.locator('[data-testid=monthly-air] tbody tr').evaluateAll((rs) => rs.map((r) => r.children[1].textContent.trim()));
  assert.deepEqual(cells, as.pollutants.map((p) => `${Number.isInteger(p.value) ? p.value : p.value.toFixed(1)} ${p.unit}`));
  assert.match(await page.textContent('[data-testid=monthly-air-summary]'), new RegExp(`优良 ${as.days.good} 天`));
  // The water table: each section's class of this month, from the same table as the water screen.
  const wc = await page.evaluate(async (yy) => (await (await fetch(`/api/v1/water/classes?year=${yy}`)).json()).data, y);
  const wcells = await page.locator('[data-testid=monthly-water] tbody tr').evaluateAll((rs) => rs.map((r) => r.children[2].textContent.trim()));
  assert.deepEqual(wcells, wc.map((r) => r.months[m - 1] ?? '—'));
  // Printed: the header and the tools are left out, the report is a PDF of a page or more.
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('header.top').isVisible(), false);
  assert.equal(await page.locator('[data-testid=monthly-print]').isVisible(), false);
  const pdf = await page.pdf({ format: 'A4', printBackground: true, path: join(artifacts, 'demo-monthly.pdf') });
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  assert.ok(pdf.length > 20000, `PDF of ${pdf.length} bytes`);
  assert.deepEqual(await idsIn(page), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the annual report shows the year as the API gives it and prints to a PDF', async () => {
  const { page, errors, context } = await newPage();
  await login(page, 'bureau1');
  const today = (await (await fetch(`${base}/api/v1/health`)).json()).time.slice(0, 10);
  const y = Number(today.slice(0, 4));
  await show(page, `#/annual?year=${y}`, 'annual');
  assert.equal(await page.textContent('[data-testid=annual-title]'), `经开区生态环境质量年报（${y} 年）`);
  assert.match(await page.textContent('[data-testid=screen-annual] > p.muted'), new RegExp(`^统计时段 ${y}-01-01 至 `));
  const get = (q) => page.evaluate(async (u) => (await (await fetch(`/api/v1/${u}`)).json()), q);
  // The year so far: the assessment from 1 January to today, one row per pollutant.
  const as = (await get(`assessment?from=${y}-01-01&to=${today}`)).data;
  const cells = await page.locator('[data-testid=annual-air] tbody tr').evaluateAll((rs) => rs.map((r) => r.children[1].textContent.trim()));
  assert.deepEqual(cells, as.pollutants.map((p) => `${Number.isInteger(p.value) ? p.value : p.value.toFixed(1)} ${p.unit}`));
  assert.match(await page.textContent('[data-testid=annual-air-summary]'), new RegExp(`有效监测 ${as.days.valid} 天，优良 ${as.days.good} 天`));
  // The plan's measured targets of the year, each with the status every screen shows.
  const tg = (await get(`targets?year=${y}`)).data.filter((r) => r.source === 'monitoring');
  assert.equal(await page.locator('[data-testid=annual-targets] tbody tr').count(), tg.length || 1);
  // Each section's class of the year; dust fall month by month and the year's mean.
  const wc = (await get(`water/classes?year=${y}`)).data;
  const wcells = await page.locator('[data-testid=annual-water] tbody tr').evaluateAll((rs) => rs.map((r) => r.children[2].textContent.trim()));
  assert.deepEqual(wcells, wc.length ? wc.map((r) => r.class_year ?? '—') : ['暂无数据']);
  const dust = await get(`dustfall?year=${y}`);
  assert.equal(await page.locator('[data-testid=annual-dust] tbody tr').count(), dust.data.length || 1);
  if (dust.annual_mean !== null) assert.match(await page.textContent('[data-testid=annual-dust]'), new RegExp(`年均值 ${Number.isInteger(dust.annual_mean) ? dust.annual_mean : dust.annual_mean.toFixed(1)} `));
  // Another year is one change of the field away; printed, the tools are left out.
  await page.fill('[data-testid=annual-year]', String(y - 1));
  await page.dispatchEvent('[data-testid=annual-year]', 'change');
  await page.waitForSelector(`#app[data-state="ready"][data-route="#/annual?year=${y - 1}"]`);
  assert.equal(await page.textContent('[data-testid=annual-title]'), `经开区生态环境质量年报（${y - 1} 年）`);
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('[data-testid=annual-print]').isVisible(), false);
  const pdf = await page.pdf({ format: 'A4', printBackground: true, path: join(artifacts, 'demo-annual.pdf') });
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  assert.deepEqual(await idsIn(page), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('public screens and the unit worklist fit a 390 px phone without horizontal scrolling', async () => {
  const phone = { width: 390, height: 844 };
  const { page, errors, context } = await newPage(phone);
  const fits = () => page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  for (const [hash, name] of [['#/report', 'report-phone'], ['#/track', 'track-phone'], ['#/', 'overview-phone']]) {
    await show(page, hash, name);
    const [sw, iw] = await fits();
    assert.ok(sw <= iw, `${hash}: scrollWidth ${sw} > innerWidth ${iw}`);
    assert.deepEqual(await idsIn(page), [], `${hash} shows internal ids`);
  }
  await login(page, 'unit1');
  await show(page, '#/work', 'work-phone');
  const [sw, iw] = await fits();
  assert.ok(sw <= iw, `#/work: scrollWidth ${sw} > innerWidth ${iw}`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('no screen of the bureau shows an internal id', async () => {
  const { page, errors, context } = await newPage();
  await login(page, 'bureau1');
  const found = {};
  for (const hash of ['#/', '#/air', '#/station', '#/quality', '#/plan', '#/work', '#/cases', '#/scores', '#/emergency']) {
    await show(page, hash, `ids-${hash.slice(2) || 'overview'}`);
    const ids = [...await idsIn(page), ...await wordsIn(page)];
    if (ids.length) found[hash] = [...new Set(ids)];
  }
  // The data-quality screen: every device of the demo reported within the last two hours.
  await show(page, '#/quality', 'quality');
  assert.equal((await page.textContent('[data-testid=offline-count]')).trim(), '0');
  assert.deepEqual(found, {});
  assert.deepEqual(errors, []);
  await context.close();
});
