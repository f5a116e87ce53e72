// 月报 and 年报: the bureau's printable monthly and annual reports — the zone's air quality of
// the period (HJ 663, GET /assessment), where every plan target stands (GET /targets, as every
// screen shows it; a year that is over shows each target met or missed), each water section's
// class of the month or the year (GET /water/classes), dust fall (GET /dustfall) and the case
// loop's state — pages that print on A4 (the browser's print, or "save as PDF"). Every figure
// is the server's; the reports compute none.
import { api, serverNowBj, syncClock } from './api.js';
import { lang, t } from './i18n.js';
import { cmpText, esc, fmt, h, table, targetStatusText, tval } from './ui.js';

const app = () => document.getElementById('app');
const isMonth = (s) => /^\d{4}-(0[1-9]|1[0-2])$/.test(s || '');

// The month before the one holding day (YYYY-MM-DD): the last complete month.
function previousMonth(day) {
  const y = Number(day.slice(0, 4));
  const m = Number(day.slice(5, 7));
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

const lastDay = (y, m) => new Date(Date.UTC(y, m, 0)).getUTCDate();

const airTable = (a, testid) => (a ? table([
  ['name_zh', t('pollutant'), (v, r) => (lang === 'en' ? r.name : v)], ['value', t('monthlyValue'), (v, r) => `${fmt(v)} ${r.unit ?? ''}`],
  ['limit', t('monthlyLimit'), (v, r) => `${fmt(v)} ${r.unit ?? ''}`], ['compliant', t('status'), (v) => (v ? t('monthlyOk') : t('monthlyOver'))],
], a.pollutants, testid) : `<p class="muted">${esc(t('noData'))}</p>`);

const airSummary = (a, testid) => (a ? `<p data-testid="${esc(testid)}">${esc(t('monthlyAirSummary').replace('{good}', a.days.good).replace('{valid}', a.days.valid).replace('{ratio}', fmt(a.days.good_ratio)).replace('{heavy}', a.days.heavy).replace('{ci}', fmt(a.composite_index, 2)).replace('{main}', a.main_pollutant ?? '—'))}</p>` : '');

const targetsTable = (tg, testid) => table([
  ['name', t('indicator'), (v, r) => (lang === 'en' ? r.name_en : v)], ['value', t('value'), (v, r) => `${tval(v, r.unit)} ${r.value === null ? '' : r.unit ?? ''}`],
  ['target', t('target'), (v, r) => (r.comparator === 'done' ? cmpText('done') : `${cmpText(r.comparator)} ${tval(v, r.unit)} ${r.unit ?? ''}`)],
  ['on_track', t('status'), (v, r) => targetStatusText(r)],
], (tg.data || []).filter((r) => r.source === 'monitoring'), testid);

const casesText = (cs) => {
  const open = Object.entries(cs.by_state || {}).filter(([k]) => !['closed', 'rejected'].includes(k)).reduce((n, [, v]) => n + v, 0);
  return t('monthlyCasesText').replace('{open}', open).replace('{closed}', cs.by_state?.closed ?? 0).replace('{overdue}', cs.overdue ?? 0).replace('{duban}', cs.duban ?? 0);
};

// What both reports read: the air assessment of [from, to] (null when the period has no
// day to assess), and the year's targets, water classes, dust fall, and the case loop now.
async function reportData(from, to, y) {
  const [as, tg, wc, dust, cs] = await Promise.all([
    api(`assessment?from=${from}&to=${to}`).catch(() => null), api(`targets?year=${y}`), api(`water/classes?year=${y}`),
    api(`dustfall?year=${y}`), api('cases/summary'),
  ]);
  return { a: as?.data, tg, wc, dust, cs };
}

// A report's page: its tools (the period's field and print), title, period line, the air
// section and the sections [id, heading, html] after it, then the case loop. pick(value)
// gives the address of the period a changed field names, or null to stay.
function reportPage({ pre, field, title, from, to, d, sections, pick }) {
  const { a, cs } = d;
  const air = `${airSummary(a, `${pre}-air-summary`)}${airTable(a, `${pre}-air`)}
    <p class="muted">${esc(a ? `${a.rules.limits} · ${t('rules')} HJ 633—${a.rules.limits_edition}` : '')}</p>`;
  const all = [['air', t('monthlyAir'), air], ...sections, ['cases', t('monthlyCases'), `<p data-testid="${pre}-cases">${esc(casesText(cs))}</p>`]];
  app().replaceChildren(h(`<article class="report" data-testid="screen-${pre}">
    <div class="report-tools no-print"><label>${field}</label>
      <button type="button" data-testid="${pre}-print">${esc(t('print'))}</button></div>
    <h1 data-testid="${pre}-title">${esc(title)}</h1>
    <p class="muted">${esc(t('monthlyPeriod').replace('{from}', from).replace('{to}', a?.period?.data_end ?? to))} · ${esc(t('monthlyMade'))} ${esc(serverNowBj().slice(0, 16).replace('T', ' '))}</p>
    ${all.map(([id, heading, body]) => `<section data-testid="${pre}-section-${id}"><h2>${esc(heading)}</h2>${body}</section>`).join('\n')}
  </article>`));
  app().querySelector(`[data-testid=${pre}-print]`).addEventListener('click', () => window.print());
  app().querySelector('.report-tools input').addEventListener('change', (e) => {
    const next = pick(e.target.value);
    if (next) location.hash = next;
  });
}

export async function monthly(arg, query) {
  await syncClock();
  const today = serverNowBj().slice(0, 10);
  const month = isMonth(query.get('month')) ? query.get('month') : previousMonth(today);
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  const from = `${month}-01`;
  const to = `${month}-${String(lastDay(y, m)).padStart(2, '0')}`;
  const d = await reportData(from, to, y);
  const water = table([
    ['name', t('waterSection')], ['target', t('target')],
    ['months', t('monthlyClass'), (v) => v[m - 1]],
    ['class_year', t('waterYear')],
  ], d.wc.data || [], 'monthly-water');
  const dm = (d.dust.data || []).find((r) => r.month === m);
  reportPage({
    pre: 'monthly',
    field: `${esc(t('month'))} <input type="month" value="${esc(month)}" data-testid="monthly-month">`,
    title: t('monthlyTitle').replace('{y}', y).replace('{m}', m),
    from, to, d,
    sections: [
      ['targets', t('monthlyTargets').replace('{y}', y), targetsTable(d.tg, 'monthly-targets')],
      ['water', t('monthlyWater'), water],
      ['dust', t('monthlyDustTitle'), `<p data-testid="monthly-dust">${dm && dm.mean !== null ? esc(t('monthlyDust').replace('{v}', fmt(dm.mean)).replace('{n}', dm.used)) : esc(t('noData'))}</p>`],
    ],
    pick: (v) => (isMonth(v) ? `#/monthly?month=${v}` : null),
  });
}

const isYear = (s) => /^\d{4}$/.test(s || '');

// 年报: a year's report. Air over the year (GB 3095 annual values, HJ 663), the plan's targets
// of that year (met or missed once it is over), each section's class of the year, dust fall
// month by month with the year's mean. Default: the last complete year.
export async function annual(arg, query) {
  await syncClock();
  const today = serverNowBj().slice(0, 10);
  const y = isYear(query.get('year')) ? Number(query.get('year')) : Number(today.slice(0, 4)) - 1;
  const from = `${y}-01-01`;
  // The year so far when it is the current one: the assessment covers the days with data.
  const to = `${y}-12-31` < today ? `${y}-12-31` : today;
  const d = await reportData(from, to, y);
  const over = Number(today.slice(0, 4)) > y;
  const water = table([
    ['name', t('waterSection')], ['target', t('target')], ['class_year', t('waterYear')],
    ['meets_target', t('status'), (v, r) => (!r.class_year ? '—' : v ? t('waterMet') : t('waterMissed'))],
  ], d.wc.data || [], 'annual-water');
  const dustRows = table([
    ['month', t('month'), (v) => `${v}${t('monthSuffix')}`], ['mean', t('dustMean'), (v) => fmt(v)], ['used', t('dustPoints')],
  ], d.dust.data || [], 'annual-dust');
  const mean = d.dust.annual_mean;
  reportPage({
    pre: 'annual',
    field: `${esc(t('year'))} <input type="number" min="2000" max="2100" step="1" value="${esc(y)}" data-testid="annual-year">`,
    title: t('annualTitle').replace('{y}', y),
    from, to, d,
    sections: [
      ['targets', t(over ? 'annualTargetsFinal' : 'monthlyTargets').replace('{y}', y), targetsTable(d.tg, 'annual-targets')],
      ['water', t('monthlyWater'), water],
      ['dust', t('monthlyDustTitle'), `<p data-testid="annual-dust">${mean !== null && mean !== undefined ? esc(t('annualDust').replace('{v}', fmt(mean)).replace('{n}', d.dust.months_with_value)) : esc(t('noData'))}</p>${dustRows}`],
    ],
    pick: (v) => (isYear(v) ? `#/annual?year=${v}` : null),
  });
}
