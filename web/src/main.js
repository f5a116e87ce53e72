// The dashboard: screens over the /api/v1 endpoints, hash-routed, no framework. The
// monitoring screens are here; the plan ledger, worklist and cases are in office.js, the
// public report form and tracking in public.js. Every chart sits in a card whose "table"
// button shows the same numbers and whose "CSV" link downloads them from the API
// (?format=csv), so a figure is never more than one click from its data.
import * as echarts from 'echarts/core';
import { BarChart, GaugeChart, HeatmapChart, LineChart, ScatterChart } from 'echarts/charts';
import {
  CalendarComponent, DataZoomComponent, GridComponent, LegendComponent, MarkLineComponent,
  TitleComponent, TooltipComponent, VisualMapComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { audit, users } from './admin.js';
import { api, isStaff, loadSession, logout, role, serverNowBj, session, syncClock } from './api.js';
import { lang, setLang, t, tr } from './i18n.js';
import { caseDetail, cases, loginScreen, plan, work } from './office.js';
import { report, track } from './public.js';
import { rewards, scores } from './scores.js';
import { water } from './water.js';
import { emergency } from './emergency.js';
import { annual, monthly } from './report.js';
import { alertDetail, sources } from './source.js';
import { cmpText, esc, finalCard, fmt, h, hm, planEndYear, PARAM_NAMES, rulesText, table, targetStatus, targetStatusText, tval } from './ui.js';

echarts.use([BarChart, GaugeChart, HeatmapChart, LineChart, ScatterChart, CalendarComponent,
  DataZoomComponent, GridComponent, LegendComponent, MarkLineComponent, TitleComponent,
  TooltipComponent, VisualMapComponent, CanvasRenderer]);

// How often the live parts update; ?refresh_ms=N in the page's address overrides it (tests).
const REFRESH_MS = Number(new URLSearchParams(location.search).get('refresh_ms')) || 60_000;
// HJ 633 Table 2 / Appendix A colours of the six AQI levels.
const LEVEL_COLOURS = ['#00e400', '#ffff00', '#ff7e00', '#ff0000', '#99004c', '#7e0023'];

// Site kinds (store: air, ghg, gas_outlet, water_outlet, dust, water_section) as people say them.
const kindName = (k) => (k ? t(`kind_${k}`) : '');

const app = document.getElementById('app');
let charts = [];
let timer = null;

const levelColour = (lvl) => LEVEL_COLOURS[(lvl || 1) - 1];

// A card with a chart, its table and its CSV link. rows: array of objects; cols: [key, label].
function card({ id, title, csv, cols, rows, height = 320, wide = false }) {
  const el = h(`<section class="card${wide ? ' wide' : ''}" data-testid="card-${id}">
    <div class="card-head"><h2>${esc(title)}</h2><div class="card-tools">
      <button type="button" class="toggle" data-testid="toggle-${id}">${t('table')}</button>
      ${csv ? `<a class="csv" href="/api/v1/${csv}${csv.includes('?') ? '&' : '?'}format=csv" download>${t('csv')}</a> <a class="csv" href="/api/v1/${csv}${csv.includes('?') ? '&' : '?'}format=xlsx" download>${t('xlsx')}</a>` : ''}
    </div></div>
    <div class="chart" style="height:${height}px"></div>
    <div class="table" hidden></div></section>`);
  const tableDiv = el.querySelector('.table');
  tableDiv.innerHTML = table(cols, rows, `table-${id}`);
  el.querySelector('.toggle').addEventListener('click', (e) => {
    const show = tableDiv.hidden;
    tableDiv.hidden = !show;
    el.querySelector('.chart').hidden = show;
    e.target.textContent = show ? t('chart') : t('table');
  });
  return el;
}

function chart(cardEl, option) {
  const c = echarts.init(cardEl.querySelector('.chart'), null, { renderer: 'canvas' });
  c.setOption({ animation: false, textStyle: { fontFamily: 'inherit' }, ...option });
  charts.push(c);
  return c;
}

// ---- Overview -------------------------------------------------------------------------

function gaugeOption(tg) {
  const max = tg.unit === '%' ? 100 : Math.max(tg.target * 2, (tg.value ?? 0) * 1.2, 1);
  const good = tg.on_track === true;
  const none = tg.on_track === null || tg.value === null;
  return {
    series: [{
      type: 'gauge', min: 0, max, radius: '88%', startAngle: 210, endAngle: -30,
      progress: { show: true, width: 14, itemStyle: { color: none ? '#9aa5b1' : good ? '#1a7f5a' : '#d64545' } },
      axisLine: { lineStyle: { width: 14, color: [[1, '#e6ebf0']] } },
      axisTick: { show: false }, splitLine: { length: 8 }, axisLabel: { distance: 16, fontSize: 10 },
      pointer: { show: false },
      title: { show: false },
      detail: { valueAnimation: false, offsetCenter: [0, '10%'], fontSize: 26, formatter: () => `${fmt(tg.value)}${tg.unit === '%' ? '%' : ''}` },
      data: [{ value: tg.value ?? 0 }],
      markLine: undefined,
    }],
  };
}

// The AQI tile's texts of a GET /aqi/now answer, by the test id of the element showing each:
// drawn once by the overview, then updated in place by liveAqi.
function tileTexts(now) {
  const z = now.zone;
  return {
    'zone-time': hm(now.time),
    'zone-edition': String(z?.edition ?? ''),
    'zone-aqi': fmt(z?.aqi),
    'zone-category': tr(z?.category ?? ''),
    'zone-primary': z?.primary?.length ? z.primary.join('、') : t('none'),
    'zone-pm25': `${fmt(z?.pm25)} µg/m³`,
    'zone-o3': `${fmt(z?.o3)} µg/m³`,
    'zone-pm10': `${fmt(z?.pm10)} µg/m³`,
  };
}

// The parts of the overview that change by themselves, updated in place: the rest of the
// screen stays as drawn, so a reader keeps their place and only the tile is announced.
async function liveAqi() {
  const now = await api('aqi/now');
  for (const [id, text] of Object.entries(tileTexts(now))) {
    const el = app.querySelector(`[data-testid=${id}]`);
    if (el && el.textContent !== text) el.textContent = text;
  }
  const badge = app.querySelector('[data-testid=card-aqi-now] .aqi-badge');
  if (badge) badge.style.background = levelColour(now.zone?.level);
}

// The data-quality screen's silent devices, updated in place (the count is announced).
async function liveOffline() {
  const off = await api('devices/offline');
  const count = app.querySelector('[data-testid=offline-count]');
  if (count && count.textContent !== String(off.data.length)) count.textContent = String(off.data.length);
  const old = app.querySelector('[data-testid=table-offline]');
  if (old) old.replaceWith(h(offlineTable(off.data)));
}

const offlineTable = (rows) => table([['name', t('site')], ['mn', 'MN'], ['town', t('town')], ['last_seen', t('lastSeen'), hm], ['silent_s', t('silent'), (v) => (v === null ? '—' : `${(v / 3600).toFixed(1)} h`)]], rows, 'table-offline');

async function overview() {
  const [now, targets] = await Promise.all([api('aqi/now'), api('targets')]);
  const z = now.zone;
  const year = Number(targets.year);
  const end = planEndYear(targets.data);
  const fin = end && year > end ? await api(`targets?year=${end}`) : null;
  const headline = targets.data.filter((x) => x.source === 'monitoring' && x.id.match(/pm25|good|heavy/));
  app.replaceChildren(h(`<div class="grid" data-testid="screen-overview"></div>`));
  const grid = app.firstElementChild;
  // The tile is a live region: its values change in place (liveAqi) and are announced.
  const tile = tileTexts(now);
  grid.append(h(`<section class="card hero" data-testid="card-aqi-now">
    <div class="card-head"><h2>${t('zoneAqiNow')}</h2><div class="card-tools"><span class="muted">${t('updated')} <span data-testid="zone-time">${esc(tile['zone-time'])}</span> · ${t('rules')} HJ 633—<span data-testid="zone-edition">${esc(tile['zone-edition'])}</span></span>
      <a class="csv" href="/api/v1/aqi/now?format=csv" download>${t('csv')}</a></div></div>
    <div class="aqi-now" role="status" aria-live="polite" aria-atomic="true" data-testid="zone-live">
      <div class="aqi-badge" style="background:${levelColour(z?.level)}"><span data-testid="zone-aqi">${esc(tile['zone-aqi'])}</span><small data-testid="zone-category">${esc(tile['zone-category'])}</small></div>
      <dl><dt>${t('primary')}</dt><dd data-testid="zone-primary">${esc(tile['zone-primary'])}</dd>
      <dt>PM2.5</dt><dd data-testid="zone-pm25">${esc(tile['zone-pm25'])}</dd>
      <dt>O₃</dt><dd data-testid="zone-o3">${esc(tile['zone-o3'])}</dd><dt>PM10</dt><dd data-testid="zone-pm10">${esc(tile['zone-pm10'])}</dd></dl>
    </div></section>`));
  if (fin) grid.append(h(finalCard(fin, end, 'overview-final')));
  for (const tg of headline) {
    const name = `${lang === 'en' ? tg.name_en : tg.name}（${t('shownYear').replace('{y}', year).replace('{r}', rulesText(targets))}）`;
    const el = card({
      id: `target-${tg.id}`, title: name, csv: 'targets', height: 200,
      cols: [['target', t('target')], ['value', t('value')], ['projected', t('projected')], ['rest_needed', t('restNeeded')]],
      rows: [tg],
    });
    el.append(h(`<div class="target-foot"><span>${t('target')} ${esc(cmpText(tg.comparator))} <b>${fmt(tg.target)}</b> ${esc(tg.unit)}</span>
      <span>${t('projected')} <b data-testid="target-${tg.id}-projected">${fmt(tg.projected)}</b></span>
      ${targetStatus(tg, `target-${tg.id}-status`)}</div>`));
    el.querySelector('.chart').dataset.testid = `target-${tg.id}-value`;
    el.querySelector('.chart').dataset.value = tg.value ?? '';
    grid.append(el);
    chart(el, gaugeOption(tg));
  }
  const all = h(`<section class="card wide" data-testid="card-targets"><div class="card-head"><h2>${t('allTargets')} (${targets.data.length})</h2>
    <a class="csv" href="/api/v1/targets?format=csv" download>${t('csv')}</a> <a class="csv" href="/api/v1/targets?format=xlsx" download data-testid="targets-xlsx">${t('xlsx')}</a></div></section>`);
  all.append(h(table([['name', t('name'), (v, r) => (lang === 'en' ? r.name_en : v)], ['comparator', t('comparator'), (v) => cmpText(v)], ['target', t('target'), (v, r) => tval(v, r.unit)], ['unit', t('unit')],
    ['value', t('value'), (v, r) => tval(v, r.unit)], ['projected', t('projected'), (v, r) => tval(v, r.unit)],
    ['status', t('status'), (v, r) => targetStatusText(r)]], targets.data, 'table-targets')));
  grid.append(all);
  // Dust fall is the bureau's monitoring data (data.read: admin, bureau, auditor).
  if (['admin', 'bureau', 'auditor'].includes(role())) {
    const find = (st) => targets.data.find((x) => x.statistic === st);
    await dustCard(grid, find('dust.dustfall_monthly_mean'), year);
    await ecoflowCard(grid, find('water.eco_flow_compliance'), year);
    await drinkingCard(grid, find('water.drinking_source_compliance'), year);
    await blackCard(grid, find('water.black_odorous_bodies_built_up'), year);
    await ghgCard(grid);
  }
}

// A bar series against a plan target drawn as a dashed line that the axis always reaches.
function barsAgainst(cats, values, name, unit, tg) {
  return {
    tooltip: { trigger: 'axis' },
    grid: { left: 48, right: 16, top: 24, bottom: 28 },
    xAxis: { type: 'category', data: cats },
    yAxis: { type: 'value', name: unit, max: tg ? (v) => Math.ceil(Math.max(v.max, tg.target) * 1.15) : null },
    series: [{
      type: 'bar', name, data: values,
      markLine: tg ? { symbol: 'none', data: [{ yAxis: tg.target, name: t('target') }], lineStyle: { color: '#c0392b', type: 'dashed' } } : undefined,
    }],
  };
}

// The year's ecological-flow compliance of every control section against the plan's rate.
async function ecoflowCard(grid, tg, year) {
  const d = await api(`ecoflow?year=${year}`);
  const el = card({
    id: 'ecoflow', title: `${t('ecoflow')}（${t('yearShown').replace('{y}', year)}）`, csv: `ecoflow?year=${year}`, height: 240, wide: true,
    cols: [['name', t('name')], ['base_m3s', t('ecoBase')], ['valid', t('ecoValid')], ['compliant', t('ecoCompliant')], ['missing', t('ecoMissing')],
      ['rate', t('ecoRate'), (v) => fmt(v)]],
    rows: d.data,
  });
  el.append(h(`<div class="target-foot"><span>${t('asOf')} ${esc(d.as_of ?? '—')}</span>
    ${tg ? `<span>${t('ecoLowest')} <b data-testid="ecoflow-value">${fmt(tg.value)}</b> %</span><span>${t('target')} ${esc(cmpText(tg.comparator))} <b>${fmt(tg.target)}</b> %</span>${targetStatus(tg, 'ecoflow-status')}` : ''}</div>`));
  grid.append(el);
  chart(el, barsAgainst(d.data.map((r) => r.name), d.data.map((r) => r.rate), t('ecoRate'), '%', tg));
}

// The drinking-water sources of the year: each source's compliant share of its monitoring
// events against 100 %, the plan's rate (by sources) beside.
async function drinkingCard(grid, tg, year) {
  const d = await api(`water/drinking?year=${year}`);
  const el = card({
    id: 'drinking', title: `${t('drinking')}（${t('yearShown').replace('{y}', year)}）`, csv: `water/drinking?year=${year}`, height: 220, wide: true,
    cols: [['name', t('name')], ['events', t('dwEvents')], ['compliant_events', t('dwCompliantEvents')],
      ['compliant', t('status'), (v) => (v ? t('dwOk') : t('dwFail'))], ['failed', t('dwFailed'), (v) => (v?.length ? v.join('、') : '—')]],
    rows: d.data,
  });
  el.append(h(`<div class="target-foot"><span>${t('dwBySource')} <b data-testid="drinking-value">${fmt(d.rate_by_source)}</b> %（${d.compliant_sources}/${d.sources}）</span>
    <span>${t('dwByEvent')} <b>${fmt(d.rate_by_event)}</b> %</span>
    ${tg ? `<span>${t('target')} ${esc(cmpText(tg.comparator))} <b>${fmt(tg.target)}</b> %</span>${targetStatus(tg, 'drinking-status')}` : ''}</div>`));
  grid.append(el);
  chart(el, barsAgainst(d.data.map((r) => r.name), d.data.map((r) => (r.events ? Math.round((1000 * r.compliant_events) / r.events) / 10 : null)), t('dwByEvent'), '%', tg));
}

// The black-odorous list: each body's grade from its latest campaign, its black-odorous
// points drawn per body, the built-up count against the plan's target beside.
async function blackCard(grid, tg, year) {
  const d = await api(`water/black-odorous?year=${year}`);
  const el = card({
    id: 'black', title: `${t('blackTitle')}（${t('yearShown').replace('{y}', year)}）`, csv: `water/black-odorous?year=${year}`, height: 200, wide: true,
    cols: [['name', t('name')], ['area', t('blackArea'), (v) => t(v === 'rural' ? 'blackRural' : 'blackBuiltUp')], ['level_zh', t('blackLevel'), (v, r) => (lang === 'en' ? r.level : v) ?? t('noData')],
      ['points', t('blackPoints')], ['last_sampling', t('blackLast'), (v) => v ?? '—']],
    rows: d.data,
  });
  el.append(h(`<div class="target-foot"><span>${t('blackBuiltUpCount')} <b data-testid="black-value">${fmt(d.black_built_up)}</b></span>
    ${tg ? `<span>${t('target')} ${esc(cmpText(tg.comparator))} <b>${fmt(tg.target)}</b></span>${targetStatus(tg, 'black-status')}` : ''}</div>`));
  grid.append(el);
  chart(el, barsAgainst(d.data.map((r) => r.name), d.data.map((r) => r.heavy_points + r.light_points), t('blackPointsBlack'), '', null));
}

// Greenhouse-gas stations this month: CO2, CH4 (and N2O where mapped) means of the normal hours and the
// enhancement over the background station, as GET /ghg computes them.
async function ghgCard(grid) {
  const d = await api('ghg');
  if (!d.data.length) return;
  const el = card({
    id: 'ghg', title: `${t('ghgTitle')}（${(d.from ?? '').slice(0, 7)}）`, csv: 'ghg', height: 220, wide: true,
    cols: [['name', t('name')], ['gas', t('ghgGas')], ['mean', t('ghgMean'), (v, r) => `${fmt(v, 2)} ${r.unit}`], ['enhancement', t('ghgEnhancement'), (v, r) => (v === null ? '—' : `${fmt(v, 2)} ${r.unit}`)],
      ['valid_hours', t('ghgValid')], ['calibration_hours', t('ghgCalib')]],
    rows: d.data,
  });
  grid.append(el);
  const co2 = d.data.filter((r) => r.gas === 'CO2');
  chart(el, barsAgainst(co2.map((r) => r.name), co2.map((r) => r.enhancement), `ΔCO2 (ppm)`, 'ppm', null));
}

// The zone's monthly dust fall of the year against the plan's limit, the year's mean beside.
async function dustCard(grid, tg, year) {
  const d = await api(`dustfall?year=${year}`);
  const el = card({
    id: 'dustfall', title: `${t('dustfall')}（${t('yearShown').replace('{y}', year)}）`, csv: `dustfall?year=${year}`, height: 260, wide: true,
    cols: [['month', t('month')], ['mean', t('dustMean'), (v) => fmt(v)], ['max', t('max'), (v) => fmt(v)], ['min', t('min'), (v) => fmt(v)],
      ['used', t('dustPoints')], ['rejected', t('dustRejected')]],
    rows: d.data,
  });
  el.append(h(`<div class="target-foot"><span>${t('dustAnnual')} <b data-testid="dustfall-annual">${fmt(d.annual_mean)}</b> ${esc(d.unit)}</span>
    ${tg ? `<span>${t('target')} ${esc(cmpText(tg.comparator))} <b>${fmt(tg.target)}</b></span>${targetStatus(tg, 'dustfall-status')}` : ''}</div>`));
  grid.append(el);
  chart(el, barsAgainst(d.data.map((r) => `${r.month}${t('monthSuffix')}`), d.data.map((r) => r.mean), t('dustMean'), d.unit, tg));
}

// ---- Air ------------------------------------------------------------------------------

async function air() {
  const year = (await api('health')).time.slice(0, 4);
  const [daily, now, ranking] = await Promise.all([
    api(`aqi/daily?from=${year}-01-01&limit=400`), api('aqi/now'), api('ranking'),
  ]);
  app.replaceChildren(h(`<div class="grid" data-testid="screen-air"></div>`));
  const grid = app.firstElementChild;
  const days = daily.data;
  const cal = card({
    id: 'aqi-calendar', title: `${t('aqiCalendar')} ${year}`, csv: `aqi/daily?from=${year}-01-01&limit=400`, wide: true, height: 240,
    cols: [['date', t('date')], ['aqi', 'AQI'], ['category', t('category'), (v) => tr(v)], ['primary', t('primary'), (v) => v.join('、') || '—'], ['edition', t('edition')]],
    rows: days,
  });
  grid.append(cal);
  chart(cal, {
    tooltip: { formatter: (p) => `${p.value[0]}<br>AQI ${p.value[1]}` },
    visualMap: { type: 'piecewise', orient: 'horizontal', left: 'center', bottom: 0, pieces: [
      { min: 0, max: 50, color: LEVEL_COLOURS[0] }, { min: 51, max: 100, color: LEVEL_COLOURS[1] },
      { min: 101, max: 150, color: LEVEL_COLOURS[2] }, { min: 151, max: 200, color: LEVEL_COLOURS[3] },
      { min: 201, max: 300, color: LEVEL_COLOURS[4] }, { min: 301, color: LEVEL_COLOURS[5] }] },
    calendar: { range: year, top: 30, left: 40, right: 20, cellSize: ['auto', 18], dayLabel: { nameMap: lang === 'zh' ? 'ZH' : 'EN' }, monthLabel: { nameMap: lang === 'zh' ? 'ZH' : 'EN' }, yearLabel: { show: false } },
    series: [{ type: 'heatmap', coordinateSystem: 'calendar', data: days.filter((d) => d.aqi !== null).map((d) => [d.date, d.aqi]) }],
  });

  const trend = card({
    id: 'trends', title: t('trends'), csv: `aqi/daily?from=${year}-01-01&limit=400`, wide: true, height: 300,
    cols: [['date', t('date')], ['pm25', 'PM2.5 µg/m³'], ['o3_8h', 'O₃-8h µg/m³']], rows: days,
  });
  grid.append(trend);
  chart(trend, {
    tooltip: { trigger: 'axis' }, legend: { top: 0 }, grid: { left: 48, right: 20, top: 36, bottom: 56 },
    dataZoom: [{ type: 'slider', bottom: 8 }],
    xAxis: { type: 'category', data: days.map((d) => d.date) }, yAxis: { type: 'value', name: 'µg/m³' },
    series: [{ name: 'PM2.5', type: 'line', showSymbol: false, data: days.map((d) => d.pm25), connectNulls: false },
      { name: 'O₃-8h', type: 'line', showSymbol: false, data: days.map((d) => d.o3_8h), connectNulls: false }],
  });

  const st = now.data;
  const cmp = card({
    id: 'station-compare', title: `${t('stationCompare')} · ${hm(now.time)}`, csv: 'aqi/now', height: 300,
    cols: [['name', t('site')], ['aqi', 'AQI'], ['category', t('category'), (v) => tr(v)], ['pm25', 'PM2.5'], ['o3', 'O₃']], rows: st,
  });
  grid.append(cmp);
  chart(cmp, {
    tooltip: { trigger: 'axis' }, grid: { left: 90, right: 30, top: 10, bottom: 30 },
    xAxis: { type: 'value' }, yAxis: { type: 'category', data: st.map((s) => s.name) },
    series: [{ type: 'bar', data: st.map((s) => ({ value: s.aqi, itemStyle: { color: levelColour(s.level) } })), label: { show: true, position: 'right' } }],
  });

  // Stations on a plain lon/lat plane (no online map tiles: the dashboard works offline),
  // coloured by their AQI now.
  const sites = (await api('sites?kind=air')).data.filter((x) => x.lon !== null && x.lat !== null);
  const byId = new Map(st.map((x) => [x.site_id, x]));
  const map = card({
    id: 'station-map', title: t('stationMap'), csv: 'sites?kind=air', height: 300,
    cols: [['name', t('site')], ['town', t('town')], ['lon', 'lon'], ['lat', 'lat'], ['id', 'AQI', (v) => fmt(byId.get(v)?.aqi)]], rows: sites,
  });
  grid.append(map);
  chart(map, {
    tooltip: { formatter: (p) => `${esc(p.data.name)}<br>AQI ${fmt(p.data.aqi)}` },
    grid: { left: 60, right: 30, top: 20, bottom: 40 },
    // Room around the outermost stations for their labels.
    xAxis: { type: 'value', name: '°E', min: (v) => +(v.min - 0.02).toFixed(2), max: (v) => +(v.max + 0.04).toFixed(2), axisLabel: { formatter: (v) => v.toFixed(2) } },
    yAxis: { type: 'value', name: '°N', min: (v) => +(v.min - 0.01).toFixed(2), max: (v) => +(v.max + 0.01).toFixed(2), axisLabel: { formatter: (v) => v.toFixed(3) } },
    series: [{ type: 'scatter', symbolSize: 22, label: { show: true, position: 'right', formatter: (p) => p.data.name },
      data: sites.map((x) => { const a = byId.get(x.id); return { name: x.name, aqi: a?.aqi ?? null, value: [x.lon, x.lat], itemStyle: { color: a?.level ? levelColour(a.level) : '#9aa5b1', borderColor: '#333' } }; }) }],
  });

  const rk = card({
    id: 'town-ranking', title: `${t('townRanking')} (${ranking.from} – ${ranking.to})`, csv: 'ranking', height: 300,
    cols: [['rank', t('rank')], ['town', t('town')], ['stations', t('stations')], ['pm25', 'PM2.5 µg/m³'], ['mean_aqi', t('meanAqi')], ['good_ratio_pct', t('goodRatio')]],
    rows: ranking.data,
  });
  grid.append(rk);
  chart(rk, {
    tooltip: { trigger: 'axis' }, grid: { left: 90, right: 30, top: 10, bottom: 30 },
    xAxis: { type: 'value', name: 'PM2.5' }, yAxis: { type: 'category', inverse: true, data: ranking.data.map((r) => `${r.rank}. ${r.town}`) },
    series: [{ type: 'bar', data: ranking.data.map((r) => r.pm25), itemStyle: { color: '#2f6fb0' }, label: { show: true, position: 'right' } }],
  });
}

// ---- Station --------------------------------------------------------------------------

// Put a series on an hourly grid so that missing hours are null (a visible gap) rather
// than a line drawn across them.
function hourlyGrid(points, fromMs, toMs) {
  const byT = new Map(points.map((p) => [Date.parse(p.time), p]));
  const out = [];
  for (let ms = fromMs; ms < toMs; ms += 3600_000) out.push([ms, byT.get(ms) ?? null]);
  return out;
}

async function station(id) {
  const sites = (await api('sites')).data;
  if (!id && sites.length) id = sites[0].id;
  const site = sites.find((s) => String(s.id) === String(id));
  app.replaceChildren(h(`<div class="grid" data-testid="screen-station"></div>`));
  const grid = app.firstElementChild;
  const picker = h(`<section class="card wide picker"><label>${t('site')} <select data-testid="site-select">${sites.map((s) => `<option value="${s.id}"${String(s.id) === String(id) ? ' selected' : ''}>${esc(s.name)} (${esc(s.mn)})</option>`).join('')}</select></label>
    <span class="muted">${esc(site?.town ?? '')} · ${esc(kindName(site?.kind))} ${site?.enterprise ? '· ' + esc(site.enterprise) : ''}</span></section>`);
  picker.querySelector('select').addEventListener('change', (e) => { location.hash = `#/station/${e.target.value}`; });
  grid.append(picker);
  if (!site) return;
  const latest = (await api(`sites/${id}/latest`)).data;
  const params = [...new Set(latest.filter((l) => l.period === 'hour' || l.period === 'min').map((l) => l.param))];
  const lt = h(`<section class="card wide" data-testid="card-latest"><div class="card-head"><h2>${t('latest')}</h2><a class="csv" href="/api/v1/sites/${id}/latest?format=csv" download>${t('csv')}</a></div></section>`);
  lt.append(h(table([['param', t('param'), (v) => PARAM_NAMES[v] ?? v], ['period', t('period'), (v) => t(`period_${v}`)], ['time', t('time'), hm], ['value', t('val'), (v) => fmt(v, 3)], ['flag', t('flag')]], latest, 'table-latest')));
  grid.append(lt);
  for (const p of params) {
    const s = await api(`sites/${id}/series?param=${p}&period=hour&limit=2000`);
    const fromMs = Date.parse(s.from);
    // The server's clock, not the browser's; the hour in progress is not a gap yet.
    const endMs = Math.floor(Date.parse(s.to) / 3600_000) * 3600_000;
    const cells = hourlyGrid(s.data, Math.ceil(fromMs / 3600_000) * 3600_000, endMs);
    const gaps = cells.filter(([, v]) => v === null).length;
    const flagged = s.data.filter((x) => x.flag && x.flag !== 'N');
    const el = card({
      id: `series-${p}`, title: `${PARAM_NAMES[p] ?? p} · ${t('series')} · ${t('gaps')} ${gaps} · ${t('flagged')} ${flagged.length}`,
      csv: `sites/${id}/series?param=${p}&period=hour&limit=2000`, height: 220,
      cols: [['time', t('time'), hm], ['value', t('val'), (v) => fmt(v, 3)], ['flag', t('flag')]], rows: s.data,
    });
    grid.append(el);
    chart(el, {
      tooltip: { trigger: 'axis' }, grid: { left: 48, right: 20, top: 16, bottom: 28 },
      xAxis: { type: 'time', axisLabel: { formatter: '{MM}-{dd}' } }, yAxis: { type: 'value', scale: true },
      series: [
        { name: PARAM_NAMES[p] ?? p, type: 'line', showSymbol: false, connectNulls: false, data: cells.map(([ms, v]) => [ms, v ? v.value : null]) },
        { name: t('flagged'), type: 'scatter', symbolSize: 9, itemStyle: { color: '#d64545' }, data: flagged.map((x) => [Date.parse(x.time), x.value, x.flag]) },
      ],
    });
  }
}

// ---- Data quality ---------------------------------------------------------------------

async function quality() {
  if (!isStaff()) {
    // Device status and completeness of every site are for staff (AUTH_DATA_READ).
    sessionStorage.setItem('envwatch.returnTo', '#/quality');
    app.replaceChildren(h(`<section class="card narrow" data-testid="screen-quality-login"><p class="notice">${t('qualityLogin')}</p>
      <a href="#/login" data-testid="quality-login">${t('login')}</a></section>`));
    return;
  }
  const [comp, off] = await Promise.all([api('completeness'), api('devices/offline')]);
  app.replaceChildren(h(`<div class="grid" data-testid="screen-quality"></div>`));
  const grid = app.firstElementChild;
  const rows = comp.data;
  const c = card({
    id: 'completeness', title: `${t('completeness')} · ${hm(comp.from)} – ${hm(comp.to)}`, csv: 'completeness', wide: true, height: 60 + rows.length * 32,
    cols: [['name', t('site')], ['kind', t('kind'), kindName], ['hours_present', t('hoursPresent')], ['hours_expected', t('hoursExpected')], ['completeness_pct', t('percent')], ['last_seen', t('lastSeen'), hm], ['online', t('status'), (v) => (v ? t('online') : t('isOffline'))]],
    rows,
  });
  grid.append(c);
  chart(c, {
    tooltip: { trigger: 'axis' }, grid: { left: 150, right: 40, top: 10, bottom: 30 },
    xAxis: { type: 'value', max: 100, name: '%' }, yAxis: { type: 'category', inverse: true, data: rows.map((r) => r.name) },
    series: [{ type: 'bar', data: rows.map((r) => ({ value: r.completeness_pct, itemStyle: { color: r.completeness_pct >= 90 ? '#1a7f5a' : r.completeness_pct >= 75 ? '#e0a100' : '#d64545' } })), label: { show: true, position: 'right', formatter: '{c}%' } }],
  });
  const o = h(`<section class="card wide" data-testid="card-offline"><div class="card-head"><h2>${t('offline')} (<span data-testid="offline-count" role="status" aria-live="polite">${off.data.length}</span>)</h2><a class="csv" href="/api/v1/devices/offline?format=csv" download>${t('csv')}</a></div></section>`);
  o.append(h(offlineTable(off.data)));
  grid.append(o);
}

// ---- Router ---------------------------------------------------------------------------

const routes = { '': overview, air, station, water, monthly, annual, quality, plan, work, cases, case: caseDetail, sources, alert: alertDetail, emergency, scores, rewards, report, track, users, audit, login: loginScreen };

// Screens that only make sense logged in: go to the login first rather than ask the API.
const NEEDS_LOGIN = new Set(['work', 'cases', 'case', 'scores', 'rewards', 'users', 'audit', 'water', 'monthly', 'annual', 'sources', 'alert', 'emergency']);

// The screens each role may use (docs/access.md): the public sees what is published and
// the report form; staff also the ledger, their work and the cases; the data-quality, water
// and heavy-pollution warning screens need AUTH_DATA_READ; the scores every ledger reader
// (AUTH_LEDGER_READ); the rewards list the bureau, auditors and administrators, as the audit
// log (AUTH_AUDIT_READ); the accounts administrators alone (AUTH_USER_MANAGE).
function navFor(r) {
  const pub = ['', 'air', 'station', 'report', 'track'];
  // An enterprise's home is its own outlets, alerts and marks (我的企业).
  if (r === 'enterprise') return ['sources', ...pub];
  if (r === 'unit') return ['', 'plan', 'work', 'cases', 'sources', 'scores', 'air', 'station', 'water', 'quality', 'report', 'track'];
  const office = ['', 'plan', 'work', 'cases', 'sources', 'emergency', 'scores', 'rewards', 'air', 'station', 'water', 'quality', 'monthly', 'annual', 'report', 'track'];
  if (r === 'admin') return [...office, 'users', 'audit'];
  if (['bureau', 'auditor'].includes(r)) return [...office, 'audit'];
  return pub;
}

function renderNav(active) {
  const nav = document.getElementById('nav');
  const cur = active === 'case' ? 'cases' : active === 'alert' ? 'sources' : active;
  const label = (r) => (r === 'sources' && role() === 'enterprise' ? t('myEnterprise') : t(r || 'overview'));
  nav.replaceChildren(...navFor(role()).map((r) => h(`<a href="#/${r}" class="${r === cur ? 'active' : ''}" data-testid="nav-${r || 'overview'}">${label(r)}</a>`)));
}

function renderUser() {
  const box = document.getElementById('user');
  const u = session.user;
  box.replaceChildren(u
    ? h(`<span class="chip" data-testid="user-chip"><span data-testid="user-name">${esc(u.display || u.name)}</span> <small>${esc(t(`role_${u.role}`))}</small>
        <button type="button" data-testid="logout">${t('logout')}</button></span>`)
    : h(`<a class="chip" href="#/login" data-testid="login-link">${t('login')}</a>`));
  box.querySelector('[data-testid=logout]')?.addEventListener('click', async () => {
    try { await logout(); } catch { /* the session is gone either way */ }
    renderUser();
    location.hash = '#/';
    render();
  });
}

// Each render is numbered: a render overtaken by a later one (a quick second hash change)
// must not mark the screen ready, or a reader would take the old screen for the new one.
// Screens draw into #app as their data arrive, so an overtaken render that finishes after
// the current one has drawn over it: the current screen is then drawn again.
let renders = 0;
let finished = 0; // the number of the last render that completed

function overtaken() {
  if (finished === renders) render();
}

async function render() {
  const generation = ++renders;
  const [path, qs = ''] = location.hash.replace(/^#/, '').split('?');
  const [, name = '', arg] = path.split('/');
  const query = new URLSearchParams(qs);
  for (const c of charts) c.dispose();
  charts = [];
  clearTimeout(timer);
  renderNav(name);
  app.dataset.state = 'loading';
  app.dataset.screen = name || 'overview';
  // The route this screen shows, query included: two visits of one screen with different
  // queries are told apart by it.
  app.dataset.route = location.hash || '#/';
  app.replaceChildren(h(`<p class="muted">${t('loading')}</p>`));
  try {
    if (NEEDS_LOGIN.has(name) && !session.user) throw Object.assign(new Error('login'), { status: 401 });
    // Screens in other modules draw their charts through card() and chart() too, so that
    // every chart is resized with the window and disposed when the screen changes.
    await (routes[name] || overview)(arg, query, { card, chart });
    if (generation !== renders) return overtaken();
    finished = generation;
    app.dataset.state = 'ready';
  } catch (e) {
    if (generation !== renders) return overtaken();
    finished = generation;
    if (e.status === 401 && name !== 'login') {
      // The session expired or never was: log in, then come back here.
      sessionStorage.setItem('envwatch.returnTo', location.hash);
      if (session.user) { session.user = null; session.csrf = null; renderUser(); }
      location.hash = '#/login';
      return;
    }
    app.replaceChildren(h(`<p class="error" role="alert" data-testid="screen-error">${t('error')}: ${esc(e.message)}</p>`));
    app.dataset.state = 'error';
  }
  // Live values: the overview and the data-quality screen update their live parts in place.
  const live = { '': liveAqi, quality: liveOffline }[name];
  if (live && app.dataset.state === 'ready') {
    const again = async () => {
      if (generation !== renders) return;
      try {
        await live();
        app.dataset.refreshed = String(Number(app.dataset.refreshed || 0) + 1);
      } catch {
        // A failed update leaves the values shown; the next one tries again.
      }
      if (generation === renders) timer = setTimeout(again, REFRESH_MS);
    };
    timer = setTimeout(again, REFRESH_MS);
  }
}

// The header clock shows the server's now (api.js clock), so that a demo on historical data
// (ENVWATCH_NOW) reads the same time as every screen's figures.
async function tick() {
  await syncClock();
  const el = document.getElementById('clock');
  el.textContent = `${serverNowBj().replace('T', ' ')} (UTC+8)`;
}

document.getElementById('lang').addEventListener('click', () => {
  setLang(lang === 'zh' ? 'en' : 'zh');
  document.getElementById('lang').textContent = lang === 'zh' ? 'EN' : '中文';
  renderUser();
  render();
});
window.addEventListener('hashchange', render);
window.addEventListener('resize', () => charts.forEach((c) => c.resize()));
window.addEventListener('envwatch-session', renderUser);
setLang(lang);
document.getElementById('lang').textContent = lang === 'zh' ? 'EN' : '中文';
tick();
setInterval(tick, 30_000);
loadSession().then(() => { renderUser(); render(); });
