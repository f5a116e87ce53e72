// The bureau's and the units' screens: login, the plan ledger (台账), a unit's worklist, the
// case list and a case with its timeline. What a user may see and do is the server's
// decision (service/auth.c); these screens show what the API returns and offer the actions
// it lists in allowed_actions.
import { api, isBureau, login, role, session, uploadAll } from './api.js';
import { lang, t, why } from './i18n.js';
import { CATEGORIES } from './public.js';
import { attachment, cmpText, day, deadline, esc, finalCard, fmt, h, hm, onSubmit, progressBar, rag, raw, rulesText, supervision, table, targetStatus, tval, yuan } from './ui.js';
import { caseAlerts } from './source.js';

const app = () => document.getElementById('app');
const STATES = ['reported', 'rejected', 'accepted', 'assigned', 'rectifying', 'rectified', 'closed', 'reopened'];

// ---- Login ----------------------------------------------------------------------------

export async function loginScreen() {
  const el = h(`<div class="narrow" data-testid="screen-login"><section class="card">
    <div class="card-head"><h2>${t('login')}</h2></div>
    ${session.user ? `<p class="muted">${t('loggedInAs')} ${esc(session.user.display || session.user.name)}</p>` : ''}
    <form class="form" data-testid="login-form">
      <label>${t('userName')} <input name="name" autocomplete="username" required data-testid="login-name"></label>
      <label>${t('password')} <input name="password" type="password" autocomplete="current-password" required data-testid="login-password"></label>
      <p class="error" role="alert" data-testid="login-error" hidden></p>
      <button type="submit" class="primary" data-testid="login-submit">${t('login')}</button>
    </form></section></div>`);
  app().replaceChildren(el);
  onSubmit(el.querySelector('form'), el.querySelector('[data-testid=login-error]'), async (f) => {
    await login(f.name.value.trim(), f.password.value);
    const back = sessionStorage.getItem('envwatch.returnTo');
    sessionStorage.removeItem('envwatch.returnTo');
    window.dispatchEvent(new Event('envwatch-session'));
    // Each role's home: an enterprise its own outlets, everyone else the worklist.
    location.hash = back && !back.startsWith('#/login') ? back : role() === 'enterprise' ? '#/sources' : '#/work';
  });
}

// Days to a deadline, or past it: "剩余 N 天" / "逾期 N 天", never a negative count.
const daysText = (n) => (n < 0 ? t('daysOverdue').replace('{n}', -n) : t('daysLeft').replace('{n}', n));
// A task's days: none once the ledger is closed (its status is final, nothing counts on).
const taskDays = (task) => (task.closed || task.days_left === undefined || task.days_left === null ? '' : ` · ${esc(daysText(task.days_left))}`);

// ---- Plan overview (规划总览) ----------------------------------------------------------

const unitNames = (units) => {
  const m = new Map(units.map((u) => [u.id, u.name]));
  return (ids) => (ids || []).map((id) => m.get(id) ?? id).join('、') || '—';
};
const targetName = (x) => (lang === 'en' && x.name_en ? x.name_en : typeof x.name === 'object' ? x.name?.[lang] ?? x.name?.zh : x.name);

// The ledger's targets; those the network measures take value, projection and status from
// GET /api/v1/targets (mon: id -> its row), as the overview does, so both screens agree.
function targetsTable(targets, testid, mon = new Map()) {
  const m = (r) => (r.source === 'monitoring' ? mon.get(r.id) : null);
  return table([
    ['name', t('indicator'), (v, r) => targetName(r)],
    ['value', t('currentValue'), (v, r) => raw(`<span data-testid="plan-${esc(r.id)}-value">${esc(tval(m(r) ? m(r).value : v, r.unit))}</span>`)],
    ['comparator', t('comparator'), (v) => cmpText(v)],
    ['target', t('target'), (v, r) => (r.comparator === 'done' ? '' : `${tval(v, r.unit)} ${r.unit ?? ''}`)],
    ['projected', t('projected'), (v, r) => tval(m(r) ? m(r).projected : v, r.unit)],
    ['rag', t('status'), (v, r) => raw(m(r) ? targetStatus(m(r), `plan-${r.id}-status`) : rag(v))],
    ['source', t('source'), (v) => t(`src_${v}`)],
    ['deadline', t('deadline'), (v) => day(v)],
  ], targets, testid);
}

export async function plan(arg, query) {
  if (!session.user) {
    // The ledger is for staff; the public sees where the zone stands against the targets.
    const targets = (await api('targets')).data;
    app().replaceChildren(h(`<div class="grid" data-testid="screen-plan-public">
      <section class="card wide"><p class="notice">${t('planPublicNote')} <a href="#/login" data-testid="plan-login">${t('login')}</a></p></section>
      <section class="card wide"><div class="card-head"><h2>${t('allTargets')} (${targets.length})</h2></div>
      ${table([['name', t('indicator'), (v, r) => targetName(r)], ['comparator', t('comparator'), (v) => cmpText(v)], ['target', t('target'), (v, r) => (r.comparator === 'done' ? '' : `${tval(v, r.unit)} ${r.unit ?? ''}`)],
        ['value', t('currentValue'), (v, r) => tval(v, r.unit)], ['projected', t('projected'), (v, r) => tval(v, r.unit)], ['on_track', t('status'), (v, r) => raw(targetStatus(r))]], targets, 'table-targets')}</section></div>`));
    return;
  }
  const [led, mt] = await Promise.all([api('ledger'), api('targets')]);
  const mon = new Map((mt?.data || []).map((x) => [x.id, x]));
  // The table is the year in progress; once the plan's period is over, its last year's final
  // results come first.
  // The ledger says whether the plan's period is over (then it is closed at its end).
  const end = led.plan?.over ? Number(String(led.plan.end).slice(0, 4)) : null;
  const fin = end && Number(mt?.year) > end ? await api(`targets?year=${end}`) : null;
  const names = unitNames(led.units || []);
  const s = led.summary || {};
  const el = h(`<div class="grid" data-testid="screen-plan">
    <section class="card wide"><div class="card-head"><h2>${esc(led.plan?.title ?? t('plan'))}</h2><span class="muted">${t('planPeriod')} ${esc(day(led.plan?.start))} — ${esc(day(led.plan?.end))} · ${t('asOf')} ${hm(led.now)}</span></div>
      ${led.plan?.over ? `<p class="notice" data-testid="ledger-closed">${esc(t('ledgerClosed').replace('{d}', day(led.plan.end)))}</p>` : ''}
      <div class="summary">
        <div class="count rag-green"><b data-testid="sum-green">${s.green ?? 0}</b>${t('rag_green')}</div>
        <div class="count rag-yellow"><b data-testid="sum-yellow">${s.yellow ?? 0}</b>${t('rag_yellow')}</div>
        <div class="count rag-red"><b data-testid="sum-red">${s.red ?? 0}</b>${t('rag_red')}</div></div></section>
    ${fin ? finalCard(fin, end, 'plan-final') : ''}
    <section class="card wide" data-testid="card-targets"><div class="card-head"><h2>${t('allTargets')} (${(led.targets || []).length}) · ${esc(t('shownYear').replace('{y}', mt?.year ?? '').replace('{r}', rulesText(mt)))}</h2>
      <a class="csv" href="/api/v1/ledger/warnings?format=csv" download>${t('warningsCsv')}</a></div>
      <div class="table">${targetsTable(led.targets || [], 'table-targets', mon)}</div></section>
    <div class="wide actions" data-testid="actions"></div>
    <aside class="panel" data-testid="history-panel" hidden></aside></div>`);
  const box = el.querySelector('[data-testid=actions]');
  for (const a of led.actions || []) {
    const sec = h(`<section class="card" data-testid="action" data-action="${esc(a.id)}">
      <div class="card-head"><h2>${esc(t('actionNo').replace('{n}', a.no))} ${esc(a.name)}</h2>
        <span class="muted">${rag('green')} ${a.green ?? 0} ${rag('yellow')} ${a.yellow ?? 0} ${rag('red')} ${a.red ?? 0}</span></div>
      ${table([
        ['no', '#'],
        ['title', t('task'), (v, r) => raw(`<button type="button" class="link" data-task="${esc(r.id)}" data-testid="task-open">${esc(v)}</button>`)],
        ['lead', t('leadUnits'), (v) => names(v)],
        ['responsible', t('responsibleUnits'), (v) => names(v)],
        ['deadline', t('deadline'), (v) => day(v)],
        ['progress', t('progress'), (v, r) => raw(progressBar(r.done ? 100 : v))],
        ['rag', t('status'), (v, r) => raw(`${rag(v, `rag-${r.id}`)}${r.why ? ` <small class="muted">${esc(why(r.why))}</small>` : ''}`)],
      ], a.tasks || [], `tasks-${a.id}`, (r) => ` data-testid="task-row" data-task-id="${esc(r.id)}"`)}</section>`);
    box.append(sec);
  }
  const panel = el.querySelector('[data-testid=history-panel]');
  el.addEventListener('click', async (e) => {
    const b = e.target.closest('[data-task]');
    if (b) await showHistory(panel, b.dataset.task, b.textContent);
    if (e.target.closest('[data-testid=history-close]')) panel.hidden = true;
  });
  app().replaceChildren(el);
  // #/plan?history=ID (from the scores screen): open that task's or target's history.
  const hid = query?.get('history');
  if (hid) {
    const task = (led.actions || []).flatMap((a) => a.tasks || []).find((x) => x.id === hid);
    const tg = (led.targets || []).find((x) => x.id === hid);
    await showHistory(panel, hid, task ? task.title : tg ? targetName(tg) : '');
  }
}

async function showHistory(panel, id, title) {
  panel.hidden = false;
  panel.replaceChildren(h(`<p class="muted">${t('loading')}</p>`));
  try {
    const r = await api(`ledger/history?object_id=${encodeURIComponent(id)}&limit=200`);
    panel.replaceChildren(h(`<div><div class="card-head"><h2>${t('history')} · ${esc(id)} ${esc(title)}</h2>
      <button type="button" data-testid="history-close">${t('close')}</button></div>
      ${table([['at', t('time'), (v) => hm(v)], ['actor', t('actor'), (v, x) => raw(`${esc(v)} <small class="muted">${esc(t(`role_${x.role}`))}</small>`)],
        ['unit', t('unit'), (v) => v ?? ''], ['field', t('field'), (v) => v ?? ''], ['old_value', t('oldValue'), (v) => fmt(v)], ['new_value', t('newValue'), (v) => fmt(v)],
        ['note', t('note'), (v) => v ?? ''], ['evidence', t('evidence'), (v) => raw((Array.isArray(v) ? v : String(v || '').split(' ').filter(Boolean)).map(attachment).join(''))]],
      r.data, 'table-history')}</div>`));
  } catch (ex) {
    panel.replaceChildren(h(`<p class="error" role="alert">${esc(ex.message)}</p>`));
  }
}

// ---- Worklist (我的工作) ---------------------------------------------------------------

const caseCols = () => [
  ['id', t('caseNo'), (v) => raw(`<a href="#/case/${esc(v)}" data-testid="case-link">${esc(v)}</a>`)],
  ['category_zh', t('category'), (v, r) => v ?? r.category],
  ['state_zh', t('state'), (v, r) => raw(`<span class="state state-${esc(r.state)}">${esc(v ?? r.state)}</span>`)],
  ['location', t('location'), (v) => v ?? ''],
  ['unit_name', t('assignedUnit'), (v, r) => v ?? r.unit ?? '—'],
  ['deadline', t('deadline'), (v, r) => raw(`${esc(deadline(v))}${r.overdue ? ` <span class="overdue">${esc(t('overdue'))}</span>` : ''}`)],
  ['supervision', t('supervision'), (v) => raw(supervision(v))],
  ['created', t('created'), (v) => hm(v)],
];

// What a worklist groups cases by: the next thing this user has to do.
function caseBuckets(cases) {
  const groups = isBureau()
    ? [['toAccept', (c) => c.state === 'reported'], ['toVerify', (c) => c.state === 'rectified'], ['overdueCases', (c) => c.overdue], ['toReward', (c) => c.reward_pending]]
    : [['toSign', (c) => c.state === 'assigned' || c.state === 'reopened'], ['toRectify', (c) => c.state === 'rectifying']];
  const seen = new Set();
  const out = groups.map(([k, f]) => { const rows = cases.filter(f); rows.forEach((c) => seen.add(c.id)); return [k, rows]; });
  const rest = cases.filter((c) => !seen.has(c.id));
  if (rest.length) out.push(['otherCases', rest]);
  return out;
}

export async function work() {
  const w = await api('worklist');
  const el = h(`<div class="grid" data-testid="screen-work"><section class="card wide"><div class="card-head"><h2>${t('myCases')} (<span data-testid="work-case-count">${(w.cases || []).length}</span>)</h2>
    <a href="#/cases">${t('allCases')}</a></div><div data-testid="work-cases"></div></section></div>`);
  const cbox = el.querySelector('[data-testid=work-cases]');
  for (const [k, rows] of caseBuckets(w.cases || [])) {
    cbox.append(h(`<div class="bucket" data-testid="bucket-${k}"><h3>${t(k)} (${rows.length})</h3>${table(caseCols(), rows, `table-${k}`)}</div>`));
  }
  if ((w.tasks || []).length || !isBureau()) {
    const sec = h(`<section class="card wide" data-testid="work-tasks"><div class="card-head"><h2>${t('myTasks')} (${(w.tasks || []).length})</h2></div></section>`);
    if (!(w.tasks || []).length) sec.append(h(`<p class="muted">${t('noData')}</p>`));
    for (const task of w.tasks || []) sec.append(taskForm(task));
    el.append(sec);
  }
  if ((w.targets || []).length) {
    const sec = h(`<section class="card wide" data-testid="work-targets"><div class="card-head"><h2>${t('myTargets')} (${w.targets.length})</h2></div></section>`);
    for (const tg of w.targets) sec.append(targetForm(tg));
    el.append(sec);
  }
  app().replaceChildren(el);
}

function taskRowHtml(task) {
  return `<div class="task-head"><b>${esc(task.id)}</b> ${esc(task.title)} ${rag(task.rag)}
    <span class="muted">${t('deadline')} ${esc(day(task.deadline))}${taskDays(task)}</span>
    ${progressBar(task.done ? 100 : task.progress)}${task.why ? ` <small class="muted">${esc(why(task.why))}</small>` : ''}</div>`;
}

function taskForm(task) {
  const el = h(`<div class="item" data-testid="work-task" data-task-id="${esc(task.id)}">
    <div data-testid="task-summary">${taskRowHtml(task)}</div>
    <form class="form inline" data-testid="task-report-form">
      <label>${t('progress')} % <input name="progress" type="number" min="0" max="100" step="1" value="${esc(task.progress ?? 0)}" required data-testid="task-progress"></label>
      <label class="check"><input name="done" type="checkbox"${task.done ? ' checked' : ''} data-testid="task-done"> ${t('done')}</label>
      <label class="grow">${t('note')} <input name="note" maxlength="2000" data-testid="task-note"></label>
      <label>${t('evidence')} <input name="evidence" type="file" multiple accept="image/jpeg,image/png,image/webp,application/pdf" data-testid="task-evidence"></label>
      <button type="submit" class="primary" data-testid="task-report-submit">${t('fileReport')}</button>
      <span class="msg" role="status" data-testid="task-report-msg"></span></form></div>`);
  const form = el.querySelector('form');
  onSubmit(form, el.querySelector('[data-testid=task-report-msg]'), async (f) => {
    const evidence = await uploadAll(f.evidence);
    const r = await api(`ledger/tasks/${encodeURIComponent(task.id)}/reports`, { method: 'POST', body: { progress: Number(f.progress.value), done: f.done.checked, note: f.note.value.trim(), evidence } });
    if (r?.data) el.querySelector('[data-testid=task-summary]').innerHTML = taskRowHtml(r.data);
    const progress = f.progress.value;
    form.reset();
    f.progress.value = r?.data?.progress ?? progress;
    return t('saved');
  });
  return el;
}

function targetForm(tg) {
  const done = tg.comparator === 'done';
  const el = h(`<div class="item" data-testid="work-target" data-target-id="${esc(tg.id)}">
    <div><b>${esc(targetName(tg))}</b> ${rag(tg.rag)} <span class="muted">${t('target')} ${done ? esc(t('cmpDone')) : `${esc(cmpText(tg.comparator))} ${esc(fmt(tg.target))} ${esc(tg.unit ?? '')}`} · ${t('currentValue')} <span data-testid="target-value">${esc(fmt(tg.value))}</span>
      ${tg.reported_at ? ` · ${t('reportedBy')} ${esc(tg.reported_by ?? '')} ${esc(hm(tg.reported_at))}` : ''}</span></div>
    <form class="form inline">
      <label>${t('reportValue')} ${done ? `<select name="value"><option value="0">${t('notDone')}</option><option value="1">${t('done')}</option></select>`
        : `<input name="value" type="number" step="any" required data-testid="target-input">`}</label>
      <label class="grow">${t('note')} <input name="note" maxlength="2000"></label>
      <label>${t('evidence')} <input name="evidence" type="file" multiple accept="image/jpeg,image/png,image/webp,application/pdf"></label>
      <button type="submit" class="primary">${t('fileReport')}</button><span class="msg" role="status"></span></form></div>`);
  onSubmit(el.querySelector('form'), el.querySelector('.msg'), async (f) => {
    const evidence = await uploadAll(f.evidence);
    const r = await api(`ledger/targets/${encodeURIComponent(tg.id)}/reports`, { method: 'POST', body: { value: Number(f.value.value), note: f.note.value.trim(), evidence } });
    if (r?.data) el.querySelector('[data-testid=target-value]').textContent = fmt(r.data.value);
    return t('saved');
  });
  return el;
}

// ---- Case list (案件) -------------------------------------------------------------------

// Marker colours of the states on the case map; rejected is the darker grey, the stations
// are the lighter grey triangles.
const STATE_COLOURS = {
  reported: '#e0a100', rejected: '#5b6470', accepted: '#6f42c1', assigned: '#0e7490',
  rectifying: '#e07a00', rectified: '#2f6fb0', closed: '#1a7f5a', reopened: '#d64545',
};
const MAP_GRID = { left: 64, right: 24, top: 40, bottom: 48 };

// Axis ranges that show every point with one scale on both axes: on the ground a degree of
// longitude is cos(latitude) of a degree of latitude, so the longitude axis is stretched by
// that factor and a kilometre east looks as long as a kilometre north. w, h: the plot area in
// pixels. Points closer together than ~1 km are shown across at least that much.
function equalAspect(pts, w, h) {
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  const cx = (Math.min(...xs) + Math.max(...xs)) / 2;
  const cy = (Math.min(...ys) + Math.max(...ys)) / 2;
  const k = Math.cos((cy * Math.PI) / 180);
  const sx = Math.max((Math.max(...xs) - Math.min(...xs)) * k, 0.01) * 1.2; // in degrees of latitude
  const sy = Math.max(Math.max(...ys) - Math.min(...ys), 0.01) * 1.2;
  const px = Math.min(w / sx, h / sy); // pixels per degree of latitude
  const hx = w / px / k / 2;
  const hy = h / px / 2;
  // Decimals enough to tell about five ticks apart (ECharts steps 1, 2, 3 or 5 × 10ⁿ).
  const digits = (span) => Math.min(4, Math.max(2, Math.ceil(-Math.log10(span / 5))));
  const ax = (c, half) => ({ min: c - half, max: c + half, axisLabel: { formatter: (v) => v.toFixed(digits(2 * half)) } });
  return { xAxis: ax(cx, hx), yAxis: ax(cy, hy) };
}

// 案件分布: the located cases of the list on a plain lon/lat plane (no map tiles: the server
// has no internet), coloured by state, supervised or overdue ones larger and ringed, the air
// stations as grey reference markers; a click opens the case. Cases the reporter gave no
// place for are counted under the chart.
function caseMap(view, rows, sites, csvQuery) {
  const located = rows.filter((r) => r.lon !== null && r.lat !== null);
  const unlocated = rows.length - located.length;
  const el = view.card({
    id: 'case-map', title: t('caseMap'), csv: `cases?${csvQuery}`, wide: true, height: 380,
    cols: [['id', t('caseNo')], ['tracking', t('trackingCode')], ['category_zh', t('category')], ['state_zh', t('state')],
      ['unit_name', t('assignedUnit'), (v) => v ?? '—'], ['deadline', t('deadline'), (v, r) => `${deadline(v)}${r.overdue ? ` ${t('overdue')}` : ''}`],
      ['supervision', t('supervision'), (v) => (v ? t(`sup${v}`) : '—')], ['lon', t('lon')], ['lat', t('lat')]],
    rows: located,
  });
  el.append(h(`<p class="map-note muted"><span data-testid="case-map-unlocated" data-count="${unlocated}">${esc(t('unlocatedN').replace('{n}', unlocated))}</span>
    · ${esc(t('mapRing'))}</p>`));
  const pts = [...located.map((r) => [r.lon, r.lat]), ...sites.map((s) => [s.lon, s.lat])];
  if (!pts.length) {
    el.querySelector('.chart').replaceChildren(h(`<p class="muted">${t('noLocatedCases')}</p>`));
    return { el, draw: () => {} };
  }
  const stressed = (r) => r.overdue || r.supervision > 0;
  const series = STATES.filter((s) => located.some((r) => r.state === s)).map((s) => ({
    name: t(`st_${s}`), type: 'scatter', z: 3, itemStyle: { color: STATE_COLOURS[s] },
    data: located.filter((r) => r.state === s).map((r) => ({
      value: [r.lon, r.lat], caseRow: r, symbolSize: stressed(r) ? 20 : 12,
      itemStyle: stressed(r) ? { borderColor: '#b42318', borderWidth: r.supervision > 1 ? 4 : 2.5 } : { borderColor: '#fff', borderWidth: 1 },
    })),
  }));
  series.push({
    name: t('stationRef'), type: 'scatter', symbol: 'triangle', symbolSize: 9, z: 2, itemStyle: { color: '#b8c0c8' },
    data: sites.map((s) => ({ value: [s.lon, s.lat], site: s })),
  });
  const tip = (p) => {
    const r = p.data.caseRow;
    if (!r) return `${esc(p.data.site.name)}<br><small>${esc(p.data.site.town ?? '')}</small>`;
    return `<b>${esc(r.tracking)}</b> · ${esc(r.category_zh ?? r.category)}<br>${esc(r.state_zh ?? r.state)}${r.supervision ? ` · ${esc(t(`sup${r.supervision}`))}` : ''}
      <br>${t('assignedUnit')} ${esc(r.unit_name ?? '—')}<br>${t('deadline')} ${esc(deadline(r.deadline))}${r.overdue ? ` <b style="color:#d64545">${t('overdue')}</b>` : ''}`;
  };
  const axis = (name, gap) => ({
    type: 'value', name, nameLocation: 'middle', nameGap: gap, splitLine: { lineStyle: { type: 'dashed' } },
    axisLabel: { showMinLabel: false, showMaxLabel: false },
  });
  const box = el.querySelector('.chart');
  const draw = () => {
    const c = view.chart(el, {
      tooltip: { formatter: tip }, legend: { top: 0, type: 'scroll' }, grid: MAP_GRID,
      xAxis: axis(t('lon'), 28), yAxis: axis(t('lat'), 52), series,
    });
    c.on('click', (p) => { if (p.data?.caseRow) location.hash = `#/case/${p.data.caseRow.id}`; });
    // Keep one scale on both axes whatever size the card takes (window, layout).
    const fit = () => {
      if (c.isDisposed()) { ro.disconnect(); return; }
      const w = box.clientWidth - MAP_GRID.left - MAP_GRID.right;
      const hh = box.clientHeight - MAP_GRID.top - MAP_GRID.bottom;
      if (w <= 0 || hh <= 0) return;
      c.resize();
      c.setOption(equalAspect(pts, w, hh));
    };
    const ro = new ResizeObserver(fit);
    ro.observe(box);
    fit();
  };
  return { el, draw };
}

export async function cases(arg, query, view = {}) {
  const q = new URLSearchParams();
  for (const k of ['state', 'category', 'supervision', 'unit', 'source']) if (query.get(k)) q.set(k, query.get(k));
  q.set('limit', '200');
  // The stations are reference only: without them the map still shows the cases.
  const [list, sum, sites] = await Promise.all([api(`cases?${q}`), api(`cases/summary?${q}`),
    view.chart ? api('sites?kind=air').then((r) => r.data.filter((s) => s.lon !== null && s.lat !== null), () => []) : []]);
  const by = sum.by_state || {};
  const opt = (v, label, cur) => `<option value="${esc(v)}"${v === (cur || '') ? ' selected' : ''}>${esc(label)}</option>`;
  const el = h(`<div class="grid" data-testid="screen-cases">
    <section class="card wide"><div class="summary">
      ${STATES.filter((s) => by[s]).map((s) => `<a class="count" href="#/cases?state=${s}" data-testid="sum-${s}"><b>${by[s]}</b>${esc(t(`st_${s}`))}</a>`).join('')}
      <div class="count rag-red"><b data-testid="sum-overdue">${sum.overdue ?? 0}</b>${t('overdue')}</div>
      <a class="count" href="#/cases?supervision=1"><b data-testid="sum-duban">${sum.duban ?? 0}</b>${t('sup1')}</a>
      <a class="count" href="#/cases?supervision=2"><b data-testid="sum-listed">${sum.listed ?? 0}</b>${t('sup2')}</a></div></section>
    <section class="card wide"><form class="row filters" data-testid="case-filters">
      <label>${t('state')} <select name="state" data-testid="filter-state">${opt('', t('all'), query.get('state'))}${STATES.map((s) => opt(s, t(`st_${s}`), query.get('state'))).join('')}</select></label>
      <label>${t('category')} <select name="category" data-testid="filter-category">${opt('', t('all'), query.get('category'))}${CATEGORIES.map((c) => opt(c, t(`cat_${c}`), query.get('category'))).join('')}</select></label>
      <label>${t('supervision')} <select name="supervision" data-testid="filter-supervision">${opt('', t('all'), query.get('supervision'))}${opt('1', t('sup1'), query.get('supervision'))}${opt('2', t('sup2'), query.get('supervision'))}</select></label>
      <a class="csv" href="/api/v1/cases?${esc(q.toString())}&format=csv" download>${t('csv')}</a> <a class="csv" href="/api/v1/cases?${esc(q.toString())}&format=xlsx" download data-testid="cases-xlsx">${t('xlsx')}</a></form>
      <div class="table tall">${table(caseCols(), list.data, 'table-cases', (r) => ` data-testid="case-row" data-case-id="${esc(r.id)}"`)}</div></section></div>`);
  el.querySelector('form').addEventListener('change', (e) => {
    const p = new URLSearchParams();
    for (const s of e.currentTarget.querySelectorAll('select')) if (s.value) p.set(s.name, s.value);
    location.hash = `#/cases${p.toString() ? `?${p}` : ''}`;
  });
  const map = view.card && view.chart ? caseMap(view, list.data, sites, q.toString()) : null;
  if (map) el.children[0].after(map.el);
  app().replaceChildren(el);
  // Drawn once in the page, where the chart has its size.
  map?.draw();
}

// ---- Case detail ----------------------------------------------------------------------

// Yuan as typed ("50", "12.5", "12.50") to whole fen, without binary fractions; null when
// it is not an amount >= 0 with at most two decimals.
function fenOf(s) {
  const m = /^\s*(\d{1,9})(?:\.(\d{1,2}))?\s*$/.exec(s);
  return m ? Number(m[1]) * 100 + Number((m[2] || '').padEnd(2, '0')) : null;
}

// The reward of a public report (举报奖励): what is recorded, and for the bureau, once the
// report is verified and closed, the form that records it (POST /cases/{id}/reward).
function rewardCard(c) {
  const rw = c.reward;
  const may = isBureau() && c.source === 'public_report' && c.state === 'closed';
  if (!rw && !may) return '';
  const cur = rw
    ? `<dl class="fields" data-testid="reward-current"><dt>${t('rewardStatus')}</dt><dd><span data-testid="case-reward-status" data-status="${esc(rw.status)}">${esc(t(`reward_${rw.status}`))}</span></dd>
      <dt>${t('amount')}</dt><dd data-testid="case-reward-amount">${esc(yuan(rw.amount_fen))}</dd>
      <dt>${t('decidedBy')}</dt><dd>${esc(rw.decided_by || '—')} · ${esc(hm(rw.decided))}</dd>
      ${rw.paid ? `<dt>${t('paidAt')}</dt><dd>${esc(hm(rw.paid))}</dd>` : ''}
      ${rw.note ? `<dt>${t('note')}</dt><dd class="text">${esc(rw.note)}</dd>` : ''}</dl>`
    : `<p class="muted">${t('rewardEligible')}</p>`;
  const amount = rw ? `${Math.trunc(rw.amount_fen / 100)}.${String(rw.amount_fen % 100).padStart(2, '0')}` : '';
  const opt = (v) => `<option value="${v}"${(rw?.status ?? 'due') === v ? ' selected' : ''}>${esc(t(`reward_${v}`))}</option>`;
  return `<section class="card wide" data-testid="case-reward"><div class="card-head"><h2>${t('reward')}</h2><a href="#/rewards">${t('rewards')}</a></div>${cur}
    ${may ? `<form class="form inline" data-testid="reward-form">
      <label>${t('rewardStatus')} <select name="status" data-testid="reward-status-input">${['due', 'paid', 'declined'].map(opt).join('')}</select></label>
      <label>${t('amountYuan')} <input name="amount" inputmode="decimal" value="${esc(amount)}" required data-testid="reward-amount-input"></label>
      <label class="grow">${t('note')} <input name="note" maxlength="2000" value="${esc(rw?.note ?? '')}" data-testid="reward-note-input"></label>
      <button type="submit" class="primary" data-testid="reward-submit">${t('recordReward')}</button>
      <span class="msg" role="status" data-testid="reward-msg"></span></form>` : ''}</section>`;
}

// What each action asks for (service/case.h): a reason, a unit, a deadline, evidence, a
// finding (required for a monitoring alert's case: it feeds the rule's false-alarm count).
const NEEDS = {
  accept: {}, sign: {}, verify: { reason: 'opt', finding: 'opt' },
  reject: { reason: 'req' }, send_back: { reason: 'req' }, return: { reason: 'req' }, escalate: { reason: 'req' },
  assign: { unit: 'req', deadline: 'req' }, reopen: { reason: 'req', deadline: 'req', unit: 'opt' },
  extend: { reason: 'req', deadline: 'req' }, submit: { evidence: 'req', reason: 'opt' },
};

function findingSelect(required) {
  const opts = ['confirmed', 'explained', 'false_alarm'].map((v) => `<option value="${v}">${esc(t(`fd_${v}`))}</option>`).join('');
  return `<label>${t('finding')} <select name="finding" data-testid="action-finding"${required ? ' required' : ''}><option value="">${required ? t('choose') : t('findingNone')}</option>${opts}</select></label>`;
}

let planUnits = null;
async function units() {
  if (!planUnits) planUnits = ((await api('plan')).units || []).filter((u) => u.kind !== 'leadership');
  return planUnits;
}

export async function caseDetail(id) {
  let c;
  try {
    c = (await api(`cases/${encodeURIComponent(id)}`)).data;
  } catch (ex) {
    if (ex.status !== 404) throw ex;
    app().replaceChildren(h(`<div data-testid="screen-case"><section class="card"><p class="error" role="alert" data-testid="case-not-found">${t('caseNotFound')}</p><a href="#/cases">${t('allCases')}</a></section></div>`));
    return;
  }
  const us = (c.allowed_actions || []).some((a) => NEEDS[a]?.unit) ? await units() : [];
  // A monitoring alert's case leads back to the alert: its outlet, data, limit and evidence.
  const alerts = c.source === 'monitoring_alert' ? await caseAlerts(c.id) : [];
  const uname = new Map(us.map((u) => [u.id, u.name]));
  const el = h(`<div class="grid" data-testid="screen-case" data-case-id="${esc(c.id)}">
    <section class="card wide"><div class="card-head"><h2>${t('caseNo')} ${esc(c.id)} · ${esc(c.category_zh ?? c.category)}
      <span class="state state-${esc(c.state)}" data-testid="case-state">${esc(c.state_zh ?? c.state)}</span> ${supervision(c.supervision, 'case-supervision')}
      ${c.overdue ? `<span class="overdue">${t('overdue')}</span>` : ''}</h2><a href="#/cases">${t('allCases')}</a></div>
      <dl class="fields">
        <dt>${t('trackingCode')}</dt><dd>${esc(c.tracking ?? '—')}</dd>
        <dt>${t('source')}</dt><dd>${esc(t(`csrc_${c.source}`))}</dd>
        <dt>${t('location')}</dt><dd>${esc(c.location)}${c.lon || c.lat ? ` <small class="muted">(${esc(c.lon)}, ${esc(c.lat)})</small>` : ''}</dd>
        <dt>${t('description')}</dt><dd class="text">${esc(c.description)}</dd>
        ${alerts.length ? `<dt>${t('alertsT')}</dt><dd data-testid="case-alerts">${alerts.map((a) => `<a href="#/alert/${esc(a.id)}" data-testid="case-alert-link">${esc(t('alertNo'))} ${esc(a.id)}</a> · <a href="#/station/${esc(a.site_id)}" data-testid="case-outlet-link">${esc(t('outletData'))}</a>`).join('<br>')}</dd>` : ''}
        <dt>${t('assignedUnit')}</dt><dd data-testid="case-unit">${esc(c.unit_name ?? c.unit ?? '—')}</dd>
        <dt>${t('deadline')}</dt><dd data-testid="case-deadline">${esc(deadline(c.deadline))}</dd>
        <dt>${t('created')}</dt><dd>${esc(hm(c.created))} · ${esc(c.created_by ?? '')}</dd>
        <dt>${t('updatedAt')}</dt><dd>${esc(hm(c.updated))}</dd>
        ${c.closed ? `<dt>${t('closed')}</dt><dd>${esc(hm(c.closed))}</dd>` : ''}
        ${c.finding ? `<dt>${t('finding')}</dt><dd data-testid="case-finding">${esc(t(`fd_${c.finding}`))}</dd>` : ''}
        ${c.reopen_count ? `<dt>${t('reopenCount')}</dt><dd>${esc(c.reopen_count)}</dd>` : ''}
        ${c.fire_case ? `<dt>${t('sameFire')}</dt><dd><a href="#/case/${esc(c.fire_case)}" data-testid="case-fire-link">${t('caseNo')} ${esc(c.fire_case)}</a></dd>` : ''}
        ${(c.public_reports || []).length ? `<dt>${t('fireReports')}</dt><dd data-testid="case-fire-reports">${c.public_reports.map((id) => `<a href="#/case/${esc(id)}">${t('caseNo')} ${esc(id)}</a>`).join(' · ')}</dd>` : ''}
        ${c.reporter ? `<dt>${t('reporter')}</dt><dd data-testid="case-reporter">${esc(c.reporter.name ?? '—')} · ${esc(c.reporter.contact ?? '—')} <small class="muted">${t('reporterPrivate')}</small></dd>` : ''}
      </dl>
      <div class="photos" data-testid="case-photos">${(c.attachments || []).map(attachment).join('')}</div></section>
    ${rewardCard(c)}
    <section class="card wide" data-testid="case-actions"><div class="card-head"><h2>${t('actions')}</h2></div>
      <div class="row">${(c.allowed_actions || []).map((a) => `<button type="button" data-act="${esc(a)}" data-testid="act-${esc(a)}">${esc(t(`act_${a}`))}</button>`).join('') || `<span class="muted">${t('noActions')}</span>`}</div>
      <form class="form action-form" data-testid="action-form" hidden></form>
      <p class="error" role="alert" data-testid="action-error" hidden></p></section>
    <section class="card wide"><div class="card-head"><h2>${t('timeline')}</h2></div>
      <ol class="timeline" data-testid="case-timeline">${(c.events || []).map((ev) => `<li data-testid="event" data-action="${esc(ev.action)}">
        <span class="muted">${esc(hm(ev.at))}</span> <b>${esc(t(`act_${ev.action}`))}</b>
        ${ev.from && ev.to && ev.from !== ev.to ? `<span class="muted">${esc(t(`st_${ev.from}`))} → ${esc(t(`st_${ev.to}`))}</span>` : ''}
        · ${esc(ev.actor)} <small class="muted">${esc(t(`role_${ev.role}`))}</small>
        ${ev.unit ? ` · ${t('assignedUnit')} ${esc(uname.get(ev.unit) ?? (ev.unit === c.unit ? c.unit_name : ev.unit))}` : ''}
        ${ev.deadline ? ` · ${t('deadline')} ${esc(deadline(ev.deadline))}` : ''}
        ${ev.level ? ` · ${supervision(ev.level, 'event-level')}` : ''}
        ${ev.finding ? ` · ${t('finding')} <span data-testid="event-finding">${esc(t(`fd_${ev.finding}`))}</span>` : ''}
        ${ev.reason ? `<div class="note">${esc(ev.reason)}</div>` : ''}
        ${(ev.evidence || []).length ? `<div class="photos">${ev.evidence.map(attachment).join('')}</div>` : ''}</li>`).join('')}</ol></section></div>`);
  const form = el.querySelector('[data-testid=action-form]');
  const err = el.querySelector('[data-testid=action-error]');
  el.querySelector('[data-testid=case-actions] .row').addEventListener('click', (e) => {
    const b = e.target.closest('[data-act]');
    if (!b) return;
    const a = b.dataset.act;
    const n = NEEDS[a] || {};
    err.hidden = true;
    form.hidden = false;
    form.dataset.action = a;
    form.innerHTML = `<h3>${esc(t(`act_${a}`))}</h3>
      ${n.unit ? `<label>${t('assignedUnit')} <select name="unit" data-testid="action-unit"${n.unit === 'req' ? ' required' : ''}><option value="">${n.unit === 'req' ? t('choose') : t('sameUnit')}</option>${us.map((u) => `<option value="${esc(u.id)}">${esc(u.name)}</option>`).join('')}</select></label>` : ''}
      ${n.finding ? findingSelect(c.source === 'monitoring_alert') : ''}
      ${n.deadline ? `<label>${t('deadline')} <input name="deadline" type="date" required data-testid="action-deadline"></label>` : ''}
      ${n.reason ? `<label>${n.reason === 'req' ? t('reason') : t('noteOptional')} <textarea name="reason" rows="2" maxlength="2000"${n.reason === 'req' ? ' required' : ''} data-testid="action-reason"></textarea></label>` : ''}
      ${n.evidence ? `<label>${t('evidence')} <input name="evidence" type="file" multiple accept="image/jpeg,image/png,image/webp,application/pdf" data-testid="action-evidence"></label>` : ''}
      <div class="row"><button type="submit" class="primary" data-testid="action-confirm">${t('confirm')}</button><button type="button" data-testid="action-cancel">${t('cancel')}</button></div>`;
    form.querySelector('[data-testid=action-cancel]').addEventListener('click', () => { form.hidden = true; });
  });
  const rewardForm = el.querySelector('[data-testid=reward-form]');
  if (rewardForm) {
    onSubmit(rewardForm, rewardForm.querySelector('[data-testid=reward-msg]'), async (f) => {
      const fen = fenOf(f.amount.value);
      if (fen === null) throw new Error(t('badAmount'));
      const body = { status: f.status.value, amount_fen: fen };
      if (f.note.value.trim()) body.note = f.note.value.trim();
      await api(`cases/${encodeURIComponent(c.id)}/reward`, { method: 'POST', body });
      await caseDetail(c.id);
    });
  }
  // The server's refusal (invalid_transition, forbidden, invalid) is shown as it words it.
  onSubmit(form, err, async (f) => {
    const body = { action: form.dataset.action };
    if (f.reason?.value.trim()) body.reason = f.reason.value.trim();
    if (f.unit?.value) body.unit = f.unit.value;
    if (f.deadline?.value) body.deadline = f.deadline.value;
    if (f.finding?.value) body.finding = f.finding.value;
    if (f.evidence) body.evidence = await uploadAll(f.evidence);
    await api(`cases/${encodeURIComponent(c.id)}/actions`, { method: 'POST', body });
    await caseDetail(c.id);
  });
  app().replaceChildren(el);
}

