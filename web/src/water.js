// 水环境: the zone's surface-water sections — each section's GB 3838 class month by month
// (GET /water/classes, the server's classes: this screen computes none), and one section's
// monthly values of its items against its target class's limits (GET /water/sections/{id}).
import { api, serverNowBj, syncClock } from './api.js';
import { lang, t } from './i18n.js';
import { cell, esc, h, raw, table } from './ui.js';

const app = () => document.getElementById('app');
const CLASS_N = { I: 1, II: 2, III: 3, IV: 4, V: 5, '劣V': 6 };
// A class cell: the class as people write it, coloured by the bulletins' convention.
const classCell = (c, testid = '') => cell(c || '—', { class: c ? `wq wq-${CLASS_N[c]}` : 'muted', 'data-testid': testid });
// The items drawn in the trend, when present: the ones that decide most sections' class.
const TREND_ITEMS = ['NH3-N', 'CODMn', 'COD', 'TP', 'DO'];

export async function water(arg, query, { card, chart }) {
  await syncClock();
  const year = Number(query.get('year')) || Number(serverNowBj().slice(0, 4));
  const cls = await api(`water/classes?year=${year}`);
  const rows = cls.data || [];
  app().replaceChildren(h(`<div class="grid" data-testid="screen-water"></div>`));
  const grid = app().firstElementChild;
  const months = Array.from({ length: 12 }, (_, i) => `${i + 1}${t('monthSuffix')}`);
  const tag = (r) => [r.compensation ? t('waterComp') : '', r.drinking ? t('waterDrinking') : ''].filter(Boolean).join(' ');
  const classes = table([
    ['name', t('waterSection'), (v, r) => raw(`<a href="#/water?year=${year}&section=${encodeURIComponent(r.code)}">${esc(v)}</a> <small class="muted">${esc(tag(r))}</small>`)],
    ['target', t('target'), (v) => classCell(v)],
    ...months.map((m, i) => [`m${i + 1}`, m, (v, r) => classCell(r.months[i], `water-${r.code}-m${i + 1}`)]),
    ['class_year', t('waterYear'), (v, r) => classCell(v, `water-${r.code}-year`)],
    ['meets_target', t('status'), (v, r) => (!r.class_year ? '—' : raw(v ? `<span class="rag rag-green">${esc(t('waterMet'))}</span>` : `<span class="rag rag-red">${esc(t('waterMissed'))}</span>`))],
  ], rows, 'table-water-classes', (r) => ` data-testid="water-row-${esc(r.code)}"`);
  grid.append(h(`<section class="card wide" data-testid="card-water-classes"><div class="card-head"><h2>${esc(t('waterClasses').replace('{y}', year))}</h2>
    <div class="card-tools"><a class="csv" href="/api/v1/water/classes?year=${year}&format=csv" download>${t('csv')}</a></div></div>
    <div class="scroll-x">${classes}</div>
    <p class="muted">${esc(t('waterNote'))}</p></section>`));
  if (!rows.length) return;

  // One section's months: its items' monthly values against the target class's limits.
  const code = rows.some((r) => r.code === query.get('section')) ? query.get('section') : rows[0].code;
  const sec = rows.find((r) => r.code === code);
  // Months up to the last with a class in any section (the year so far).
  const last = Math.max(1, ...rows.map((r) => r.months.reduce((n, c, i) => (c ? i + 1 : n), 0)));
  const docs = await Promise.all(Array.from({ length: last }, (_, i) => api(`water/sections/${encodeURIComponent(code)}?year=${year}&month=${i + 1}`)));
  const present = TREND_ITEMS.filter((it) => docs.some((d) => d.items.some((x) => x.item === it)));
  const value = (d, it) => d.items.find((x) => x.item === it)?.value ?? null;
  const limit = (it) => docs.map((d) => d.items.find((x) => x.item === it)?.limit).find((v) => v !== undefined && v !== null) ?? null;
  const el = card({
    id: 'water-trend', title: `${sec.name}${t('waterTrend')}（${t('target')} ${sec.target ?? '—'}）`, csv: `water/classes?year=${year}`, height: 300, wide: true,
    cols: [['month', t('month')], ...present.map((it) => [it, it]), ['class', t('waterClass')]],
    rows: docs.map((d, i) => ({ month: months[i], class: d.class ?? '—', ...Object.fromEntries(present.map((it) => [it, value(d, it) ?? '—'])) })),
  });
  el.querySelector('.chart').dataset.testid = 'water-trend-chart';
  el.querySelector('.chart').dataset.items = present.join(',');
  grid.append(el);
  chart(el, {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 48, right: 24, top: 36, bottom: 28 },
    xAxis: { type: 'category', data: months.slice(0, last) },
    yAxis: { type: 'log', name: 'mg/L', logBase: 10 },
    series: present.map((it) => ({
      // A log axis has no place for 0 (a result of 0 is drawn as a gap).
      type: 'line', name: it, data: docs.map((d) => value(d, it) || null), connectNulls: false,
      markLine: limit(it) !== null ? { symbol: 'none', label: { position: 'insideEndTop', formatter: `${it} ${lang === 'en' ? 'limit' : '限值'} ${limit(it)}` }, data: [{ yAxis: limit(it) }], lineStyle: { type: 'dashed' } } : undefined,
    })),
  });
}
