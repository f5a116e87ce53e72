// Browser tests of the office screens: the closed loop of a public report from the report
// form to 已销号, as the public, the bureau and two units see it, and the plan ledger.
// Debian's Chromium driven by playwright-core against a real `envwatch serve` ($ENVWATCH) on
// a temporary database, accounts made with `envwatch user add`, the clock pinned at
// 2025-06-10T10:00:00+08:00 (inside the plan's 2023–2025 period, so that deadlines lie ahead).
// Then the administrator's screens: accounts and the audit log of everything before.
// Each actor has its own browser context (its own cookies). Every screen must load without
// console errors; a screenshot of each goes to test-artifacts/ for review.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { freePort, launchChromium, waitFor } from './lib.mjs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';

const root = process.env.ENVWATCH_ROOT || join(dirname(fileURLToPath(import.meta.url)), '../..');
const artifacts = join(root, 'test-artifacts');
const NOW = '2025-06-10T10:00:00';
const PASSWORD = 'correct horse battery';
// Units of the default plan (data/plan): 区建设局 is a responsible unit of tasks T02, T08,
// T09, T13 and T18; 区社会事业局 of none of those.
const UNIT_A = { name: 'jianshe1', org: 'jianshe', zh: '区建设局' };
const UNIT_B = { name: 'shehui1', org: 'shehui', zh: '区社会事业局' };
// A unit with no account yet: the administrator creates one through the accounts screen.
const UNIT_C = { name: 'yingji1', org: 'yingji', zh: '区应急管理局', display: '应急管理局 李工', password: '应急密码' };
const LOCATION = '航海东路与第八大街交叉口东北角工地';

// A w×h RGB PNG (PNG spec: signature, IHDR, one IDAT of filtered scanlines, IEND), of one
// colour [r, g, b] or of colour(x, y) per pixel.
function png(w, h, colour) {
  const at = typeof colour === 'function' ? colour : () => colour;
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => { let c = 0xffffffff; for (const x of buf) c = crcTable[(c ^ x) & 0xff] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
  const chunk = (type, data) => {
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(td.length + 8);
    out.writeUInt32BE(data.length, 0);
    td.copy(out, 4);
    out.writeUInt32BE(crc(td), td.length + 4);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; ihdr[9] = 2; // 8 bits, truecolour
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) raw.set(at(x, y), y * (w * 3 + 1) + 1 + x * 3);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

let server, browser, base, tmp, photo, evidence;
const shared = {}; // what one step leaves for the next: tracking code, case id

before(async () => {
  execFileSync('bash', [join(root, 'scripts/web-build.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
  tmp = mkdtempSync(join(tmpdir(), 'envwatch-office-'));
  photo = join(tmp, 'burning.png');
  writeFileSync(photo, png(64, 48, [200, 90, 30]));
  evidence = join(tmp, 'fixed.png');
  writeFileSync(evidence, png(64, 48, [40, 160, 80]));
  const db = join(tmp, 'office.db');
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const hj = await freePort();
  server = spawn(process.env.ENVWATCH, ['serve', '--db', db, '--hj212', `127.0.0.1:${hj}`,
    '--http', `127.0.0.1:${port}`, '--static', join(root, 'web/dist')], { env: { ...process.env, ENVWATCH_NOW: NOW }, stdio: 'ignore' });
  await waitFor(`${base}/api/v1/health`);
  // Two air stations, the case map's reference markers (beside the running server, as the
  // accounts below).
  execFileSync('sqlite3', [db], { input: `INSERT INTO site(id, mn, pw, kind, name, town, lon, lat, enterprise_id, status, created_utc) VALUES
    (1, '1320A', '123456', 'air', '经开区管委', '明湖街道', 113.727, 34.7187, NULL, 'active', 0),
    (2, 'JK0002', '123456', 'air', '九龙站', '潮河街道', 113.80, 34.70, NULL, 'active', 0);` });
  // Accounts beside the running server (WAL: it sees them at the next login).
  const add = (name, r, org) => execFileSync(process.env.ENVWATCH, ['user', 'add', name, '--db', db, '--role', r, ...(org ? ['--org', org] : [])], { input: `${PASSWORD}\n` });
  add('admin1', 'admin');
  add('bureau1', 'bureau');
  add(UNIT_A.name, 'unit', UNIT_A.org);
  add(UNIT_B.name, 'unit', UNIT_B.org);
  browser = await launchChromium(root);
  mkdirSync(artifacts, { recursive: true });
});

after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

// One actor: a browser context of its own, pages that record console errors.
async function actor(opts = {}) {
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN', ...opts });
  const page = await ctx.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  return { ctx, page, errors };
}

// Go to a screen and wait until that screen (not the one before) has rendered.
async function go(page, hash, screen) {
  await page.goto(`${base}/?lang=zh${hash}`);
  await at(page, hash, screen);
}
// Waits for the screen of this route to be ready. A change of the hash alone keeps the
// document and the previous screen's "ready" until the hashchange handler runs: waiting for
// the route, not only the state, keeps a test from reading the old screen or the blank one.
async function at(page, hash, screen) {
  await page.waitForSelector(`#app[data-route="${hash}"][data-screen="${screen}"][data-state="ready"]`, { timeout: 15000 });
}
async function ready(page, screen) {
  await page.waitForSelector(`#app[data-screen="${screen}"][data-state="ready"]`, { timeout: 15000 });
}
async function shot(page, name) {
  await page.waitForTimeout(150); // images and fonts
  await page.screenshot({ path: join(artifacts, `web-office-${name}.png`), fullPage: true });
}
async function loginAs(page, name) {
  await page.fill('[data-testid=login-name]', name);
  await page.fill('[data-testid=login-password]', PASSWORD);
  await page.click('[data-testid=login-submit]');
  await page.waitForSelector('[data-testid=user-chip]');
}
// Do one of the case's allowed actions through its form.
async function act(page, action, fill = async () => {}) {
  await page.click(`[data-testid=act-${action}]`);
  await fill();
  await page.click('[data-testid=action-confirm]');
  await page.waitForSelector(`[data-testid=event][data-action=${action}]`);
}

test('(a) the public reports a problem with a photo and gets a tracking code', async () => {
  const pub = await actor({ geolocation: { longitude: 113.7512, latitude: 34.7221 }, permissions: ['geolocation'] });
  const { page, errors } = pub;
  await go(page, '#/report', 'report');
  // Anonymous: the published screens and the report form, nothing of the office.
  assert.deepEqual(await page.locator('nav a').evaluateAll((as) => as.map((a) => a.dataset.testid)),
    ['nav-overview', 'nav-air', 'nav-station', 'nav-report', 'nav-track']);
  assert.equal(await page.textContent('[data-testid=login-link]'), '登录');
  // A file over the cap that is no picture is refused when chosen, before anything is sent
  // (a picture would be scaled down: test (i)).
  await page.setInputFiles('[data-testid=report-photo]', { name: 'big.png', mimeType: 'image/png', buffer: Buffer.alloc(8 * 1024 * 1024 + 1) });
  await page.waitForFunction(() => /无法读取该照片/.test(document.querySelector('[data-testid=report-error]')?.textContent ?? ''));
  await page.setInputFiles('[data-testid=report-photo]', photo);
  assert.equal(await page.isHidden('[data-testid=report-error]'), true);
  await page.selectOption('[data-testid=report-category]', 'open_burning');
  await page.fill('[data-testid=report-location]', LOCATION);
  await page.click('[data-testid=report-geo]');
  await page.waitForFunction(() => document.querySelector('[data-testid=report-lon]').value !== '');
  assert.equal(await page.inputValue('[data-testid=report-lon]'), '113.751200');
  assert.equal(await page.inputValue('[data-testid=report-lat]'), '34.722100');
  await page.fill('[data-testid=report-description]', '工地内焚烧建筑垃圾，浓烟很大');
  await page.fill('[data-testid=report-name]', '王先生');
  await page.fill('[data-testid=report-contact]', '13800000000');
  assert.match(await page.textContent('[data-testid=report-form] fieldset'), /仅生态环境分局工作人员可见/);
  await shot(page, 'report');
  await page.click('[data-testid=report-submit]');
  const code = (await page.textContent('[data-testid=tracking-code]', { timeout: 10000 })).trim();
  // 12 symbols of the 31-letter alphabet without 0/O/1/I/L (service/case.h).
  assert.match(code, /^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
  shared.tracking = code;
  await shot(page, 'report-done');
  await page.click('[data-testid=tracking-link]');
  await ready(page, 'track');
  assert.equal(await page.textContent('[data-testid=track-state]'), '待受理');
  await shot(page, 'track');
  assert.deepEqual(errors, []);
  await pub.ctx.close();
});

test('(b) the bureau logs in, finds the case, accepts it and assigns it to unit A', async () => {
  assert.ok(shared.tracking, 'needs (a)');
  const { ctx, page, errors } = await actor();
  // A screen that needs a login goes to the login and comes back after it.
  await page.goto(`${base}/?lang=zh#/cases`);
  await ready(page, 'login');
  await shot(page, 'login');
  await loginAs(page, 'bureau1');
  await ready(page, 'cases');
  assert.match(await page.textContent('[data-testid=user-chip]'), /分局工作人员/);
  // The office screens, the water and warning screens, the monthly and annual reports, the
  // rewards and the audit log; the accounts are the admin's alone.
  assert.equal(await page.locator('nav a').count(), 17);
  assert.equal(await page.locator('[data-testid=nav-emergency]').count(), 1);
  assert.equal(await page.locator('[data-testid=nav-annual]').count(), 1);
  assert.equal(await page.locator('[data-testid=nav-audit]').count(), 1);
  assert.equal(await page.locator('[data-testid=nav-users]').count(), 0);
  // The header clock is the server's (ENVWATCH_NOW), not the browser's.
  assert.equal(await page.textContent('[data-testid=clock]'), `${NOW.slice(0, 10)} ${NOW.slice(11, 16)} (UTC+8)`);
  const row = page.locator('[data-testid=case-row]', { hasText: LOCATION });
  assert.equal(await row.count(), 1);
  assert.match(await row.textContent(), /露天焚烧/);
  assert.match(await row.textContent(), /待受理/);
  shared.caseId = await row.getAttribute('data-case-id');
  // A case with no place given (an inspection note), for the case map to count as unlocated.
  const made = await page.evaluate(async () => {
    const { csrf } = await (await fetch('/api/v1/session')).json();
    return (await fetch('/api/v1/cases', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify({ source: 'inspection', category: 'dust', location: '第九大街沿线<b>x</b>', description: '道路扬尘' }) })).status;
  });
  assert.equal(made, 201);
  // The state filter goes to the server: closed cases do not include it.
  await page.selectOption('[data-testid=filter-state]', 'closed');
  await at(page, '#/cases?state=closed', 'cases');
  assert.equal(await page.locator('[data-testid=case-row]').count(), 0);
  await page.selectOption('[data-testid=filter-state]', 'reported');
  await page.waitForSelector(`[data-testid=case-row][data-case-id="${shared.caseId}"]`);
  // What people write stays text: markup in a place name is shown as written, not obeyed.
  const marked = page.locator('[data-testid=case-row]', { hasText: '第九大街沿线<b>x</b>' });
  assert.equal(await marked.count(), 1);
  assert.equal(await marked.locator('b').count(), 0);
  await shot(page, 'cases');
  // The case map of this filter: the public report where (a) located it, the inspection note
  // counted under the chart, as the API lists them.
  const listed = (await page.evaluate(async () => (await fetch('/api/v1/cases?state=reported&limit=200')).json())).data;
  const located = listed.filter((c) => c.lon !== null);
  assert.deepEqual(located.map((c) => [c.tracking, c.lon, c.lat]), [[shared.tracking, 113.7512, 34.7221]]);
  assert.equal(listed.length - located.length, 1);
  await page.waitForSelector('[data-testid=card-case-map] .chart canvas');
  assert.equal(await page.textContent('[data-testid=case-map-unlocated]'), `${listed.filter((c) => c.lon === null).length} 件未标注位置`);
  await page.locator('[data-testid=card-case-map]').screenshot({ path: join(artifacts, 'web-office-case-map.png') });
  await page.click('[data-testid=toggle-case-map]');
  assert.deepEqual(await page.locator('[data-testid=table-case-map] tbody tr').evaluateAll((rs) => rs.map((r) => r.cells[1].textContent)),
    located.map((c) => c.tracking));
  await page.click(`[data-testid=case-row][data-case-id="${shared.caseId}"] [data-testid=case-link]`);
  await ready(page, 'case');
  assert.equal(await page.textContent('[data-testid=case-state]'), '待受理');
  assert.match(await page.textContent('[data-testid=case-reporter]'), /王先生 · 13800000000/);
  assert.equal(await page.locator('[data-testid=case-photos] img').count(), 1);
  assert.equal(await page.locator('[data-testid=case-photos] img').evaluate((i) => i.complete && i.naturalWidth), 64);
  await act(page, 'accept');
  assert.equal(await page.textContent('[data-testid=case-state]'), '已受理');
  // Assigning needs a unit and a deadline; the form asks for both.
  await act(page, 'assign', async () => {
    await page.selectOption('[data-testid=action-unit]', UNIT_A.org);
    await page.fill('[data-testid=action-deadline]', '2025-06-20');
  });
  assert.equal(await page.textContent('[data-testid=case-state]'), '已交办');
  assert.equal(await page.textContent('[data-testid=case-unit]'), UNIT_A.zh);
  assert.match(await page.textContent('[data-testid=case-deadline]'), /^2025-06-20/);
  assert.match(await page.textContent('[data-testid=event][data-action=assign]'), /bureau1.*区建设局.*2025-06-20/s);
  await shot(page, 'case-assigned');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('(c) unit A signs and submits with evidence; unit B cannot see the case', async () => {
  assert.ok(shared.caseId, 'needs (b)');
  const a = await actor();
  await go(a.page, '#/login', 'login');
  await loginAs(a.page, UNIT_A.name);
  await ready(a.page, 'work');
  assert.deepEqual(await a.page.locator('nav a').evaluateAll((as) => as.map((x) => x.dataset.testid)),
    ['nav-overview', 'nav-plan', 'nav-work', 'nav-cases', 'nav-sources', 'nav-scores', 'nav-air', 'nav-station', 'nav-water', 'nav-quality', 'nav-report', 'nav-track']);
  const link = a.page.locator(`[data-testid=bucket-toSign] a[href="#/case/${shared.caseId}"]`);
  assert.equal(await link.count(), 1);
  // Unit A reports progress on task T08 (区建设局 is a responsible unit) with evidence.
  const task = a.page.locator('[data-testid=work-task][data-task-id=T08]');
  assert.equal(await task.count(), 1);
  await task.locator('[data-testid=task-progress]').fill('40');
  await task.locator('[data-testid=task-note]').fill('完成施工工地扬尘在线监测全覆盖');
  await task.locator('[data-testid=task-evidence]').setInputFiles(evidence);
  await task.locator('[data-testid=task-report-submit]').click();
  await a.page.waitForFunction(() => document.querySelector('[data-testid=work-task][data-task-id=T08] [data-testid=task-report-msg]').textContent !== '');
  assert.equal(await task.locator('[data-testid=task-report-msg]').textContent(), '已提交');
  assert.match(await task.locator('[data-testid=task-summary]').textContent(), /40%/);
  await shot(a.page, 'work-unit-a');
  await link.click();
  await ready(a.page, 'case');
  // Units never see the reporter (docs/access.md).
  assert.equal(await a.page.locator('[data-testid=case-reporter]').count(), 0);
  await act(a.page, 'sign');
  assert.equal(await a.page.textContent('[data-testid=case-state]'), '整改中');
  await act(a.page, 'submit', async () => {
    await a.page.setInputFiles('[data-testid=action-evidence]', evidence);
    await a.page.fill('[data-testid=action-reason]', '已清理焚烧物并设置围挡');
  });
  assert.equal(await a.page.textContent('[data-testid=case-state]'), '已整改待核查');
  assert.equal(await a.page.locator('[data-testid=event][data-action=submit] img').count(), 1);
  await shot(a.page, 'case-submitted');
  assert.deepEqual(a.errors, []);
  await a.ctx.close();

  const b = await actor();
  await go(b.page, '#/login', 'login');
  await loginAs(b.page, UNIT_B.name);
  await ready(b.page, 'work');
  assert.equal(await b.page.locator(`a[href="#/case/${shared.caseId}"]`).count(), 0);
  await go(b.page, '#/cases', 'cases');
  assert.equal(await b.page.locator(`[data-testid=case-row][data-case-id="${shared.caseId}"]`).count(), 0);
  await go(b.page, `#/case/${shared.caseId}`, 'case');
  assert.match(await b.page.textContent('[data-testid=case-not-found]'), /未找到该案件/);
  await shot(b.page, 'case-unit-b');
  // The one expected error: the browser logs the API's 404 for the case unit B may not read.
  assert.deepEqual(b.errors.filter((e) => !/status of 404/.test(e)), []);
  assert.equal(b.errors.length, 1);
  await b.ctx.close();
});

test('(d) the bureau verifies and the public tracking screen shows 已销号', async () => {
  assert.ok(shared.caseId, 'needs (c)');
  const { ctx, page, errors } = await actor();
  await go(page, '#/login', 'login');
  await loginAs(page, 'bureau1');
  await ready(page, 'work');
  assert.equal(await page.locator(`[data-testid=bucket-toVerify] a[href="#/case/${shared.caseId}"]`).count(), 1);
  await shot(page, 'work-bureau');
  await go(page, `#/case/${shared.caseId}`, 'case');
  // A public report's case may close without a finding; the bureau records one here.
  await act(page, 'verify', async () => {
    assert.equal(await page.locator('[data-testid=action-finding]').getAttribute('required'), null);
    await page.selectOption('[data-testid=action-finding]', 'confirmed');
  });
  assert.equal(await page.textContent('[data-testid=case-state]'), '已销号');
  assert.equal(await page.textContent('[data-testid=case-finding]'), '属实');
  assert.equal(await page.textContent('[data-testid=event][data-action=verify] [data-testid=event-finding]'), '属实');
  // create, accept, assign, sign, submit, verify
  assert.deepEqual(await page.locator('[data-testid=event]').evaluateAll((es) => es.map((e) => e.dataset.action)),
    ['create', 'accept', 'assign', 'sign', 'submit', 'verify']);
  await shot(page, 'case-closed');
  await page.click('[data-testid=logout]');
  await page.waitForSelector('[data-testid=login-link]');
  assert.deepEqual(errors, []);
  await ctx.close();

  const pub = await actor();
  await go(pub.page, `#/track?code=${encodeURIComponent(shared.tracking.toLowerCase())}`, 'track');
  assert.equal(await pub.page.textContent('[data-testid=track-state]'), '已销号');
  const timeline = await pub.page.textContent('[data-testid=track-timeline]');
  assert.match(timeline, /已核查销号/);
  // Never staff names, units or the reporter's contact.
  for (const secret of ['bureau1', UNIT_A.name, UNIT_A.zh, '13800000000', '王先生']) assert.equal(timeline.includes(secret), false, secret);
  await shot(pub.page, 'track-closed');
  assert.deepEqual(pub.errors, []);
  await pub.ctx.close();
});

test('(e) the plan overview shows 10 actions, 21 tasks with RAG badges and the report in the history', async () => {
  const { ctx, page, errors } = await actor();
  await go(page, '#/plan', 'plan');
  // Anonymous: the targets, and a note that the ledger needs a login.
  assert.match(await page.textContent('[data-testid=screen-plan-public]'), /仅对工作人员开放/);
  await shot(page, 'plan-public');
  await go(page, '#/login', 'login');
  await loginAs(page, UNIT_A.name);
  await go(page, '#/plan', 'plan');
  assert.equal(await page.locator('[data-testid=action]').count(), 10);
  assert.equal(await page.locator('[data-testid=task-row]').count(), 21);
  const badges = await page.locator('[data-testid=task-row] .rag').evaluateAll((bs) => bs.map((b) => b.dataset.rag));
  assert.equal(badges.length, 21);
  for (const b of badges) assert.ok(['green', 'yellow', 'red'].includes(b), b);
  const sum = ['green', 'yellow', 'red'].map((k) => badges.filter((b) => b === k).length);
  const shown = await Promise.all(['green', 'yellow', 'red'].map(async (k) => Number(await page.textContent(`[data-testid=sum-${k}]`))));
  assert.equal(shown.reduce((x, y) => x + y, 0) >= 21, true);
  assert.equal(sum.reduce((x, y) => x + y, 0), 21);
  const t08 = page.locator('[data-testid=task-row][data-task-id=T08]');
  assert.match(await t08.textContent(), /区建设局/);
  assert.match(await t08.textContent(), /40%/);
  await t08.locator('[data-testid=task-open]').click();
  await page.waitForSelector('[data-testid=table-history]');
  const hist = await page.textContent('[data-testid=table-history]');
  assert.match(hist, /完成施工工地扬尘在线监测全覆盖/);
  assert.match(hist, new RegExp(UNIT_A.name));
  await shot(page, 'plan');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('(f) the bureau records a reward, the public sees it, then it is paid and listed', async () => {
  assert.ok(shared.caseId, 'needs (d)');
  const { ctx, page, errors } = await actor();
  await go(page, '#/login', 'login');
  await loginAs(page, 'bureau1');
  // The confirmed report waits in the bureau's worklist for a reward decision.
  await go(page, '#/work', 'work');
  assert.match(await page.textContent('[data-testid=bucket-toReward]'), /待定举报奖励 \(1\)/);
  assert.equal(await page.textContent('[data-testid=table-toReward] [data-testid=case-link]'), String(shared.caseId));
  await go(page, `#/case/${shared.caseId}`, 'case');
  // A closed public report without a reward yet: the form, no record.
  assert.equal(await page.locator('[data-testid=reward-current]').count(), 0);
  await page.selectOption('[data-testid=reward-status-input]', 'due');
  // Yuan with more than two decimals is refused before anything is sent.
  await page.fill('[data-testid=reward-amount-input]', '12.345');
  await page.click('[data-testid=reward-submit]');
  assert.match(await page.textContent('[data-testid=reward-msg]'), /最多两位小数/);
  assert.equal(await page.locator('[data-testid=reward-current]').count(), 0);
  await page.fill('[data-testid=reward-amount-input]', '50');
  await page.fill('[data-testid=reward-note-input]', '线索属实，按举报奖励办法核定');
  await page.click('[data-testid=reward-submit]');
  await page.waitForSelector('[data-testid=case-reward-status][data-status=due]');
  assert.equal(await page.textContent('[data-testid=case-reward-status]'), '应予奖励');
  assert.equal(await page.textContent('[data-testid=case-reward-amount]'), '¥50.00');
  // What the server stored: 50 yuan = 5000 fen.
  const stored = await page.evaluate(async (id) => (await (await fetch(`/api/v1/cases/${id}`)).json()).data.reward, shared.caseId);
  assert.equal(stored.status, 'due');
  assert.equal(stored.amount_fen, 5000);
  assert.equal(stored.decided_by, 'bureau1');

  const pub = await actor();
  await go(pub.page, `#/track?code=${encodeURIComponent(shared.tracking)}`, 'track');
  assert.equal(await pub.page.textContent('[data-testid=track-reward]'), '应予奖励');
  assert.equal(await pub.page.textContent('[data-testid=track-reward-amount]'), '¥50.00');
  // The note is the bureau's: the public sees status and amount only.
  assert.equal((await pub.page.textContent('[data-testid=screen-track]')).includes('核定'), false);
  assert.deepEqual(pub.errors, []);

  // Paid: the form keeps the amount; only the status changes.
  assert.equal(await page.inputValue('[data-testid=reward-amount-input]'), '50.00');
  await page.selectOption('[data-testid=reward-status-input]', 'paid');
  await page.click('[data-testid=reward-submit]');
  await page.waitForSelector('[data-testid=case-reward-status][data-status=paid]');
  assert.equal(await page.textContent('[data-testid=case-reward-amount]'), '¥50.00');
  await shot(page, 'case-reward');
  // The same address again: a reload, not a same-document navigation.
  await pub.page.reload();
  await ready(pub.page, 'track');
  assert.equal(await pub.page.textContent('[data-testid=track-reward]'), '已发放');
  await shot(pub.page, 'track-reward');
  assert.deepEqual(pub.errors, []);
  await pub.ctx.close();

  await page.click('[data-testid=nav-rewards]');
  await ready(page, 'rewards');
  const row = page.locator(`[data-testid=reward-row][data-case-id="${shared.caseId}"]`);
  assert.equal(await row.count(), 1);
  assert.equal(await row.locator('[data-testid=reward-status]').getAttribute('data-status'), 'paid');
  assert.equal(await row.locator('[data-testid=reward-amount]').textContent(), '¥50.00');
  assert.match(await row.textContent(), new RegExp(shared.tracking));
  // The only reward of this database: 50 yuan paid, nothing due.
  assert.equal(await page.textContent('[data-testid=rewards-paid]'), '¥50.00');
  assert.equal(await page.textContent('[data-testid=rewards-due]'), '¥0.00');
  const csv = await page.evaluate(async (href) => (await fetch(href)).text(), await page.getAttribute('[data-testid=rewards-csv]', 'href'));
  assert.match(csv, /case_id,tracking,status,amount_fen/);
  assert.match(csv, new RegExp(`${shared.caseId},${shared.tracking},paid,5000`));
  await shot(page, 'rewards');
  await row.locator('[data-testid=reward-case]').click();
  await ready(page, 'case');
  assert.equal(await page.getAttribute('[data-testid=screen-case]', 'data-case-id'), String(shared.caseId));
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('(g) the scores screen ranks the units as the API does, with unit A credited for its case', async () => {
  assert.ok(shared.caseId, 'needs (d)');
  const { ctx, page, errors } = await actor();
  await go(page, '#/login', 'login');
  await loginAs(page, 'bureau1');
  await page.click('[data-testid=nav-scores]');
  await ready(page, 'scores');
  // The default period: 1 January of the server's year to the server's today, in the URL's
  // absence; the API counts [from, to), so the screen asks for the day after `to`.
  const year = NOW.slice(0, 4);
  assert.equal(await page.inputValue('[data-testid=scores-from]'), `${year}-01-01`);
  assert.equal(await page.inputValue('[data-testid=scores-to]'), NOW.slice(0, 10));
  const api = await page.evaluate(async (y) => (await fetch(`/api/v1/scores?from=${y}-01-01&to=2025-06-11`)).json(), year);
  assert.ok(api.data.length > 0);
  // The ranking as the API orders it, every total as the API computes it.
  const rows = await page.locator('[data-testid=score-row]').evaluateAll((rs) => rs.map((r) => [r.dataset.unit, Number(r.querySelector('[data-testid=score-total]').textContent)]));
  assert.deepEqual(rows, api.data.map((u) => [u.unit, u.total]));
  // The rules, with their texts.
  const ruleTexts = await page.locator('[data-testid=score-rule]').evaluateAll((rs) => rs.map((r) => r.cells[0].textContent));
  assert.deepEqual(ruleTexts, api.rules.map((r) => r.text));
  assert.ok(ruleTexts.length > 0);
  // Unit A's case was verified within its deadline: the rule for that, once, on its tracking
  // code, with the rule's points; the total is the base plus every application.
  const rule = api.rules.find((r) => r.id === 'case_closed_on_time');
  assert.ok(rule, 'the API lists the rule for cases closed on time');
  const a = api.data.find((u) => u.unit === UNIT_A.org);
  assert.ok(a, 'unit A is scored');
  const caseHits = a.hits.filter((x) => x.object === shared.tracking);
  assert.deepEqual(caseHits.map((x) => [x.rule, x.points]), [[rule.id, rule.points]]);
  assert.equal(a.total, a.base + a.hits.reduce((s, x) => s + x.points, 0));
  const unitA = page.locator(`[data-testid=score-unit][data-unit="${UNIT_A.org}"]`);
  assert.match(await unitA.textContent(), new RegExp(UNIT_A.zh));
  assert.equal(Number(await page.locator(`[data-testid=score-row][data-unit="${UNIT_A.org}"] [data-testid=score-total]`).textContent()), a.total);
  const hit = unitA.locator(`[data-testid=hit][data-rule=${rule.id}]`);
  assert.equal(await hit.count(), 1);
  assert.match(await hit.textContent(), new RegExp(rule.text.replace(/[+()]/g, '\\$&')));
  assert.equal(await hit.locator('[data-testid=hit-case]').getAttribute('href'), `#/case/${shared.caseId}`);
  assert.equal(await unitA.locator('[data-testid=hit]').count(), a.hits.length);
  // The CSV link gives the same applications, one row each.
  const csvHref = await page.getAttribute('[data-testid=scores-csv]', 'href');
  const csv = await page.evaluate(async (u) => (await fetch(u)).text(), csvHref);
  assert.ok(csv.split('\n').some((l) => l.startsWith(`${UNIT_A.org},`) && l.includes(`,${rule.id},`) && l.includes(shared.tracking)),
    'the CSV has unit A\'s case application');
  // Unit B answers for no case: its total has no case rule in it.
  const b = api.data.find((u) => u.unit === UNIT_B.org);
  if (b) assert.equal(b.hits.some((x) => x.rule.startsWith('case_')), false);
  await shot(page, 'scores');
  // A task's or target's application opens its change history on the plan overview (at the
  // pinned date unit A has one: the red sewage-coverage target of a task it answers for).
  const planHit = a.hits.find((x) => !x.rule.startsWith('case_'));
  if (planHit) {
    const link = unitA.locator(`[data-testid=hit][data-rule=${planHit.rule}] a`).first();
    assert.equal(await link.getAttribute('href'), `#/plan?history=${encodeURIComponent(planHit.object)}`);
    await link.click();
    await at(page, `#/plan?history=${encodeURIComponent(planHit.object)}`, 'plan');
    await page.waitForSelector('[data-testid=table-history]');
    assert.match(await page.textContent('[data-testid=history-panel] h2'), new RegExp(planHit.object));
  }
  // The period is kept in the URL: a narrower period gives the API's figures for it.
  await go(page, '#/scores?from=2025-06-11&to=2025-06-11', 'scores');
  assert.equal(await page.inputValue('[data-testid=scores-from]'), '2025-06-11');
  const later = await page.evaluate(async () => (await fetch('/api/v1/scores?from=2025-06-11&to=2025-06-12')).json());
  const aLater = later.data.find((u) => u.unit === UNIT_A.org);
  assert.equal(aLater.hits.some((x) => x.object === shared.tracking), false);
  assert.equal(Number(await page.locator(`[data-testid=score-row][data-unit="${UNIT_A.org}"] [data-testid=score-total]`).textContent()), aLater.total);
  // English labels.
  await page.click('#lang');
  await ready(page, 'scores');
  assert.equal(await page.textContent('[data-testid=nav-scores]'), 'Scores');
  assert.match(await page.textContent('[data-testid=card-score-rules] h2'), /^Scoring rules/);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('(h) the admin creates a unit account, which logs in; the audit log shows the logins and pages', async () => {
  const { ctx, page, errors } = await actor();
  const posts = [];
  page.on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith('/api/v1/users')) posts.push(r.postDataJSON()); });
  await go(page, '#/login', 'login');
  await loginAs(page, 'admin1');
  assert.match(await page.textContent('[data-testid=user-chip]'), /管理员/);
  const nav = await page.locator('nav a').evaluateAll((as) => as.map((a) => a.dataset.testid));
  assert.deepEqual(nav.slice(-2), ['nav-users', 'nav-audit']);
  await page.click('[data-testid=nav-users]');
  await at(page, '#/users', 'users');
  // The accounts made in the setup, by name; a unit's org shown as the plan's unit name.
  const names = () => page.locator('[data-testid=user-row]').evaluateAll((rs) => rs.map((r) => r.dataset.name));
  assert.deepEqual(await names(), ['admin1', 'bureau1', UNIT_A.name, UNIT_B.name]);
  const rowA = page.locator(`[data-testid=user-row][data-name="${UNIT_A.name}"]`);
  assert.equal(await rowA.locator('[data-testid=user-row-role]').textContent(), '责任单位');
  assert.match(await rowA.locator('[data-testid=user-row-org]').textContent(), new RegExp(`^${UNIT_A.zh}`));
  assert.equal(await page.textContent('[data-testid=user-row][data-name=bureau1] [data-testid=user-row-role]'), '分局工作人员');

  // The org is a choice of the plan's units for a unit account; free text for an enterprise.
  await page.fill('[data-testid=new-user-name]', UNIT_C.name);
  await page.fill('[data-testid=new-user-display]', UNIT_C.display);
  await page.selectOption('[data-testid=new-user-role]', 'enterprise');
  assert.equal(await page.isVisible('[data-testid=new-user-org-text]'), true);
  assert.equal(await page.isVisible('[data-testid=new-user-org-unit]'), false);
  await page.selectOption('[data-testid=new-user-role]', 'unit');
  assert.equal(await page.isVisible('[data-testid=new-user-org-text]'), false);
  const orgs = await page.locator('[data-testid=new-user-org-unit] option').evaluateAll((os) => os.map((o) => o.value));
  assert.ok(orgs.includes(UNIT_C.org) && orgs.includes(UNIT_A.org), orgs.join(','));
  // Leadership bodies hold no accounts.
  assert.equal(orgs.includes('dangongwei'), false);
  await page.selectOption('[data-testid=new-user-org-unit]', UNIT_C.org);
  // 7 bytes: one short of the minimum; refused before anything is sent.
  await page.fill('[data-testid=new-user-password]', 'short12');
  await page.click('[data-testid=new-user-submit]');
  assert.match(await page.textContent('[data-testid=new-user-msg]'), /8–256 字节/);
  // Bytes, not characters: two Chinese characters are 6 bytes of UTF-8.
  await page.fill('[data-testid=new-user-password]', '密码');
  await page.click('[data-testid=new-user-submit]');
  assert.match(await page.textContent('[data-testid=new-user-msg]'), /8–256 字节/);
  assert.equal(posts.length, 0);
  // The new account's password is 4 characters but 12 bytes: long enough. A name the server
  // refuses (22 characters pass the input's maxlength but are 66 bytes, over the server's
  // 64): its 422 message is shown as given.
  await page.fill('[data-testid=new-user-name]', '账号'.repeat(11));
  await page.fill('[data-testid=new-user-password]', UNIT_C.password);
  await page.click('[data-testid=new-user-submit]');
  await page.waitForFunction(() => /64 bytes/.test(document.querySelector('[data-testid=new-user-msg]').textContent));
  assert.equal(await page.textContent('[data-testid=new-user-msg]'), '提交内容有误：name (1-64 bytes) is required');
  assert.equal(posts.length, 1);
  assert.equal(await page.locator('[data-testid=user-row]').count(), 4);

  await page.fill('[data-testid=new-user-name]', UNIT_C.name);
  await page.click('[data-testid=new-user-submit]');
  await page.waitForSelector(`[data-testid=user-row][data-name="${UNIT_C.name}"]`);
  assert.equal(posts.length, 2);
  assert.deepEqual(posts[1], { name: UNIT_C.name, role: 'unit', org: UNIT_C.org, display: UNIT_C.display, password: UNIT_C.password });
  assert.match(await page.textContent('[data-testid=new-user-msg]'), new RegExp(`已新建账号 ${UNIT_C.name}`));
  const rowC = page.locator(`[data-testid=user-row][data-name="${UNIT_C.name}"]`);
  assert.match(await rowC.textContent(), new RegExp(UNIT_C.display));
  assert.equal(await rowC.locator('[data-testid=user-row-role]').textContent(), '责任单位');
  assert.match(await rowC.locator('[data-testid=user-row-org]').textContent(), new RegExp(`^${UNIT_C.zh}`));
  assert.match(await rowC.textContent(), /正常/);
  assert.match(await rowC.textContent(), /2025-06-10 10:00:00/);
  assert.equal(await page.textContent('[data-testid=users-count]'), '5');
  // An existing name is not overwritten (the API would replace its password and role).
  await page.fill('[data-testid=new-user-name]', UNIT_A.name);
  await page.selectOption('[data-testid=new-user-role]', 'unit');
  await page.selectOption('[data-testid=new-user-org-unit]', UNIT_C.org);
  await page.fill('[data-testid=new-user-password]', UNIT_C.password);
  await page.click('[data-testid=new-user-submit]');
  assert.match(await page.textContent('[data-testid=new-user-msg]'), new RegExp(`${UNIT_A.name} 已存在`));
  assert.equal(posts.length, 2);
  await shot(page, 'users');

  // The new account logs in through the login screen: a wrong password first.
  const c = await actor();
  await go(c.page, '#/login', 'login');
  await c.page.fill('[data-testid=login-name]', UNIT_C.name);
  await c.page.fill('[data-testid=login-password]', 'not the password');
  await c.page.click('[data-testid=login-submit]');
  await c.page.waitForSelector('[data-testid=login-error]:not([hidden])');
  assert.equal(await c.page.textContent('[data-testid=login-error]'), '账号或密码错误');
  await c.page.fill('[data-testid=login-password]', UNIT_C.password);
  await c.page.click('[data-testid=login-submit]');
  await c.page.waitForSelector('[data-testid=user-chip]');
  await ready(c.page, 'work');
  assert.equal(await c.page.textContent('[data-testid=user-name]'), UNIT_C.display);
  assert.match(await c.page.textContent('[data-testid=user-chip]'), /责任单位/);
  // A unit has neither the accounts nor the audit log.
  assert.equal(await c.page.locator('[data-testid=nav-users], [data-testid=nav-audit]').count(), 0);
  // The one expected error: the browser logs the 401 of the wrong password.
  assert.deepEqual(c.errors.filter((e) => !/status of 401/.test(e)), []);
  assert.equal(c.errors.length, 1);
  await c.ctx.close();

  // The audit log, newest first: the new account's login after its failed one, after the
  // admin created it.
  await page.click('[data-testid=nav-audit]');
  await ready(page, 'audit');
  const api = await page.evaluate(async () => (await fetch('/api/v1/audit?limit=50&offset=0')).json());
  const total = api.page.total;
  assert.equal(await page.textContent('[data-testid=audit-total]'), String(total));
  const rows = () => page.locator('[data-testid=audit-row]').evaluateAll((rs) => rs.map((r) => [r.dataset.actor, r.dataset.action, r.cells[2].textContent, r.cells[3].textContent]));
  const shown = await rows();
  assert.equal(shown.length, Math.min(total, 50));
  assert.deepEqual(shown.slice(0, 3), [
    [UNIT_C.name, 'login', '登录', '—'],
    [UNIT_C.name, 'login_failed', '登录失败', '—'],
    ['admin1', 'user.add', '新建账号', UNIT_C.name],
  ]);
  assert.match(await page.textContent('[data-testid=audit-row]:nth-child(3)'), /role=unit org=yingji/);
  // Earlier in the run: the admin's own login, the bureau's logout (test d), a reward, and
  // the accounts of the setup made with `envwatch user add`.
  const all = (await page.evaluate(async () => (await fetch('/api/v1/audit?limit=1000')).json())).data;
  assert.equal(all.length, total);
  for (const [actor, action] of [['admin1', 'login'], ['bureau1', 'logout'], ['bureau1', 'reward.put'], ['bureau1', 'login']]) {
    assert.ok(all.some((x) => x.actor === actor && x.action === action), `${actor} ${action}`);
  }
  assert.equal(all.filter((x) => x.action === 'user.add' && x.actor === 'cli').length, 4);
  // 50 a page: the next page exists exactly when the API says there are more entries.
  assert.equal(await page.isDisabled('[data-testid=audit-prev]'), true);
  assert.equal(await page.isDisabled('[data-testid=audit-next]'), total <= 50);
  assert.equal(api.page.next_offset, total > 50 ? 50 : null);
  assert.equal(await page.getAttribute('[data-testid=audit-csv]', 'href'), '/api/v1/audit?limit=50&offset=0&format=csv');
  await shot(page, 'audit');
  // Paging, on pages of 5 (the limit is kept in the URL beside the offset): page 2 is the
  // API's entries 6–10, and previous returns to the first.
  assert.ok(total > 10, `only ${total} audit entries`);
  await go(page, '#/audit?limit=5', 'audit');
  assert.deepEqual((await rows()).map((r) => r.slice(0, 2)), all.slice(0, 5).map((x) => [x.actor, x.action]));
  await page.click('[data-testid=audit-next]');
  await at(page, '#/audit?limit=5&offset=5', 'audit');
  assert.deepEqual((await rows()).map((r) => r.slice(0, 2)), all.slice(5, 10).map((x) => [x.actor, x.action]));
  assert.equal(await page.textContent('[data-testid=audit-range]'), `6–10 / ${total}`);
  assert.equal(await page.isDisabled('[data-testid=audit-prev]'), false);
  const csv = await page.evaluate(async (href) => (await fetch(href)).text(), await page.getAttribute('[data-testid=audit-csv]', 'href'));
  const lines = csv.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
  assert.equal(lines[0], 'at,actor,action,object,detail,addr');
  assert.equal(lines.length, 6);
  assert.ok(lines[1].includes(`,${all[5].actor},${all[5].action},`), lines[1]);
  await page.click('[data-testid=audit-prev]');
  await at(page, '#/audit?limit=5&offset=0', 'audit');
  assert.deepEqual((await rows()).map((r) => r.slice(0, 2)), all.slice(0, 5).map((x) => [x.actor, x.action]));

  // Disabling the new account from its row ends its session at once; enabling it with a new
  // password lets it in with that password only. The admin's own row offers neither.
  await go(page, '#/users', 'users');
  const own = page.locator('[data-testid=user-row][data-name="admin1"]');
  assert.equal(await own.locator('[data-testid=user-toggle], [data-testid=user-password]').count(), 0);
  const d = await actor();
  await go(d.page, '#/login', 'login');
  await d.page.fill('[data-testid=login-name]', UNIT_C.name);
  await d.page.fill('[data-testid=login-password]', UNIT_C.password);
  await d.page.click('[data-testid=login-submit]');
  await ready(d.page, 'work');
  await page.click(`[data-testid=user-row][data-name="${UNIT_C.name}"] [data-testid=user-toggle]`);
  await page.waitForSelector(`[data-testid=user-row][data-name="${UNIT_C.name}"][data-disabled="1"]`);
  assert.match(await page.textContent('[data-testid=new-user-msg]'), new RegExp(`已修改账号 ${UNIT_C.name}`));
  assert.equal(await d.page.evaluate(async () => (await fetch('/api/v1/worklist')).status), 401);
  await d.ctx.close();
  page.once('dialog', (dlg) => dlg.accept('新的应急密码2'));
  await page.click(`[data-testid=user-row][data-name="${UNIT_C.name}"] [data-testid=user-password]`);
  await page.waitForSelector('[data-testid=new-user-msg]:has-text("已修改账号")');
  await page.click(`[data-testid=user-row][data-name="${UNIT_C.name}"] [data-testid=user-toggle]`);
  await page.waitForSelector(`[data-testid=user-row][data-name="${UNIT_C.name}"][data-disabled="0"]`);
  const tryLogin = (pw) => page.evaluate(async ([n, p]) => (await fetch('/api/v1/login', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: n, password: p }),
  })).status, [UNIT_C.name, pw]);
  assert.equal(await tryLogin(UNIT_C.password), 401);
  assert.equal(await tryLogin('新的应急密码2'), 200);
  // The expected errors: the 422 of the name that is too long, the disabled session's 401
  // (in the other browser) and the old password's 401.
  assert.deepEqual(errors.filter((e) => !/status of (422|401)/.test(e)), []);
  await ctx.close();
});

test('(i) a phone photo over the public 4 MiB is scaled down to a JPEG before it is sent', async () => {
  // 3000×2000 of noise: a PNG no compressor can shrink under the cap.
  const bytes = randomBytes(3000 * 2000 * 3);
  const big = png(3000, 2000, (x, y) => bytes.subarray((y * 3000 + x) * 3, (y * 3000 + x) * 3 + 3));
  assert.ok(big.length > 8 * 1024 * 1024, `${big.length} bytes`);
  const pub = await actor();
  const uploads = [];
  pub.page.on('request', (r) => { if (r.url().endsWith('/api/v1/attachments')) uploads.push(r.headers()['content-type']); });
  await go(pub.page, '#/report', 'report');
  await pub.page.setInputFiles('[data-testid=report-photo]', { name: 'phone.png', mimeType: 'image/png', buffer: big });
  await pub.page.selectOption('[data-testid=report-category]', 'dust');
  await pub.page.fill('[data-testid=report-location]', LOCATION);
  await pub.page.fill('[data-testid=report-description]', '工地裸土未覆盖，扬尘明显');
  await pub.page.click('[data-testid=report-submit]');
  const code = (await pub.page.textContent('[data-testid=tracking-code]', { timeout: 20000 })).trim();
  assert.deepEqual(uploads, ['image/jpeg']);
  assert.deepEqual(pub.errors, []);
  await pub.ctx.close();
  // The bureau reads the stored photo: a JPEG within the cap, its longer side one of the steps.
  const { ctx, page, errors } = await actor();
  await go(page, '#/login', 'login');
  await loginAs(page, 'bureau1');
  const stored = await page.evaluate(async (tracking) => {
    const list = (await (await fetch('/api/v1/cases?limit=500')).json()).data;
    const c = (await (await fetch(`/api/v1/cases/${list.find((x) => x.tracking === tracking).id}`)).json()).data;
    const res = await fetch(`/api/v1/attachments/${c.attachments[0]}`);
    const blob = await res.blob();
    const bmp = await createImageBitmap(blob);
    return { type: res.headers.get('content-type'), size: blob.size, w: bmp.width, h: bmp.height, n: c.attachments.length };
  }, code);
  assert.equal(stored.n, 1);
  assert.equal(stored.type, 'image/jpeg');
  assert.ok(stored.size <= 4 * 1024 * 1024, `${stored.size} bytes`);
  assert.ok([2560, 1920, 1280].includes(stored.w), `${stored.w}×${stored.h}`);
  assert.equal(Math.round(stored.w * 2 / 3), stored.h);
  assert.deepEqual(errors, []);
  await ctx.close();
});
