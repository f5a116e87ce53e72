// 月报: the bureau's printable monthly report — the zone's air quality of the month (HJ 663,
// GET /assessment), where every plan target stands (GET /targets, as every screen shows it),
// each water section's class of the month (GET /water/classes), the month's dust fall and the
// case loop's state — one page that prints on A4 (the browser's print, or "save as PDF").
// Every figure is the server's; the report computes none.
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

export async function monthly(arg, query) {
  await syncClock();
  const today = serverNowBj().slice(0, 10);
  const month = isMonth(query.get('month')) ? query.get('month') : previousMonth(today);
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  const from = `${month}-01`;
  const to = `${month}-${String(lastDay(y, m)).padStart(2, '0')}`;
  const [as, tg, wc, dust, cs] = await Promise.all([
    api(`assessment?from=${from}&to=${to}`).catch(() => null), api(`targets?year=${y}`), api(`water/classes?year=${y}`),
    api(`dustfall?year=${y}`), api('cases/summary'),
  ]);
  const a = as?.data;
  const over = Number(today.slice(0, 4)) > y;
  const title = t('monthlyTitle').replace('{y}', y).replace('{m}', m);
  const air = a ? table([
    ['name_zh', t('pollutant'), (v, r) => (lang === 'en' ? r.name : v)], ['value', t('monthlyValue'), (v, r) => `${fmt(v)} ${r.unit ?? ""}`],
    ['limit', t('monthlyLimit'), (v, r) => `${fmt(v)} ${r.unit ?? ""}`], ['compliant', t('status'), (v) => (v ? t('monthlyOk') : t('monthlyOver'))],
  ], a.pollutants, 'monthly-air') : `<p class="muted">${esc(t('noData'))}</p>`;
  const targets = table([
    ['name', t('indicator'), (v, r) => (lang === 'en' ? r.name_en : v)], ['value', t('value'), (v, r) => `${tval(v, r.unit)} ${r.value === null ? '' : r.unit ?? ''}`],
    ['target', t('target'), (v, r) => (r.comparator === 'done' ? cmpText('done') : `${cmpText(r.comparator)} ${tval(v, r.unit)} ${r.unit ?? ''}`)],
    ['on_track', t('status'), (v, r) => targetStatusText(r, over)],
  ], (tg.data || []).filter((r) => r.source === 'monitoring'), 'monthly-targets');
  const water = table([
    ['name', t('waterSection')], ['target', t('target')],
    ['months', t('monthlyClass'), (v) => v[m - 1]],
    ['class_year', t('waterYear')],
  ], wc.data || [], 'monthly-water');
  const dm = (dust.data || []).find((r) => r.month === m);
  const open = Object.entries(cs.by_state || {}).filter(([k]) => !['closed', 'rejected'].includes(k)).reduce((n, [, v]) => n + v, 0);
  app().replaceChildren(h(`<article class="report" data-testid="screen-monthly">
    <div class="report-tools no-print"><label>${esc(t('month'))} <input type="month" value="${esc(month)}" data-testid="monthly-month"></label>
      <button type="button" data-testid="monthly-print">${esc(t('print'))}</button></div>
    <h1 data-testid="monthly-title">${esc(title)}</h1>
    <p class="muted">${esc(t('monthlyPeriod').replace('{from}', from).replace('{to}', a?.period?.data_end ?? to))} · ${esc(t('monthlyMade'))} ${esc(serverNowBj().slice(0, 16).replace('T', ' '))}</p>
    <section data-testid="monthly-section-air"><h2>${esc(t('monthlyAir'))}</h2>
      ${a ? `<p data-testid="monthly-air-summary">${esc(t('monthlyAirSummary').replace('{good}', a.days.good).replace('{valid}', a.days.valid).replace('{ratio}', fmt(a.days.good_ratio)).replace('{heavy}', a.days.heavy).replace('{ci}', fmt(a.composite_index, 2)).replace('{main}', a.main_pollutant ?? '—'))}</p>` : ''}
      ${air}<p class="muted">${esc(a ? `${a.rules.limits} · ${t('rules')} HJ 633—${a.rules.limits_edition}` : '')}</p></section>
    <section data-testid="monthly-section-targets"><h2>${esc(t('monthlyTargets').replace('{y}', y))}</h2>${targets}</section>
    <section data-testid="monthly-section-water"><h2>${esc(t('monthlyWater'))}</h2>${water}</section>
    <section data-testid="monthly-section-dust"><h2>${esc(t('monthlyDustTitle'))}</h2>
      <p data-testid="monthly-dust">${dm && dm.mean !== null ? esc(t('monthlyDust').replace('{v}', fmt(dm.mean)).replace('{n}', dm.used)) : esc(t('noData'))}</p></section>
    <section data-testid="monthly-section-cases"><h2>${esc(t('monthlyCases'))}</h2>
      <p data-testid="monthly-cases">${esc(t('monthlyCasesText').replace('{open}', open).replace('{closed}', cs.by_state?.closed ?? 0).replace('{overdue}', cs.overdue ?? 0).replace('{duban}', cs.duban ?? 0))}</p></section>
  </article>`));
  app().querySelector('[data-testid=monthly-print]').addEventListener('click', () => window.print());
  app().querySelector('[data-testid=monthly-month]').addEventListener('change', (e) => {
    if (isMonth(e.target.value)) location.hash = `#/monthly?month=${e.target.value}`;
  });
}
