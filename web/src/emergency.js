// 重污染应对: the heavy-pollution warnings the bureau declared (GET /warnings) and one
// warning's report (GET /warnings/{id}/report) — every listed enterprise judged by the
// server's three rules (production power, flue-gas emission, sites gone silent), the zone's
// estimated cut against the share the level requires, the AQI during and before, and the
// listed enterprises' sites on a plain lon/lat plane coloured by their verdict. Nothing is
// judged here: the verdicts and figures are the server's (service/emergency).
import { api, isBureau, isStaff } from './api.js';
import { t } from './i18n.js';
import { esc, fmt, h, hm, onSubmit, raw, table } from './ui.js';

const app = () => document.getElementById('app');
// Warning colours as the notices print them; verdict colours as every other RAG cell.
const LEVEL_COLOUR = { yellow: '#e0a100', orange: '#e8590c', red: '#c92a2a' };
const VERDICT_COLOUR = { complied: '#1a7f5a', breached: '#d64545', no_data: '#9aa5b1' };
const VERDICT_RAG = { complied: 'rag-green', breached: 'rag-red', no_data: 'rag-none' };

const levelHtml = (l) => `<span class="rag" style="background:${LEVEL_COLOUR[l] ?? '#9aa5b1'};color:#fff" data-testid="level-${esc(l)}">${esc(t(`level_${l}`))}</span>`;
const levelBadge = (l) => raw(levelHtml(l));
const verdictCell = (v, testid) => raw(`<span class="rag ${VERDICT_RAG[v] ?? 'rag-none'}" data-testid="${esc(testid)}">${esc(t(`verdict_${v}`))}</span>`);
const caseLink = (id) => (!id ? '' : isStaff() ? ` <a href="#/case/${esc(id)}" data-testid="em-case-link">${esc(t('caseNo'))} ${esc(id)}</a>` : ` ${esc(t('caseNo'))} ${esc(id)}`);
const pct = (v) => (v === null || v === undefined ? '—' : `${fmt(v, 1)}%`);
// A figure to a fixed number of decimals, so a column reads alike (fmt keeps integers bare).
const fixed = (v, d) => (typeof v === 'number' ? v.toFixed(d) : '—');
// "mean / allowed", with the rule's breach and case beside it.
const versus = (mean, allowed, unit, rule, digits) => {
  const txt = `${fixed(mean, digits)} / ${fixed(allowed, digits)} ${unit}`;
  return rule.breached ? raw(`<span class="bad">${esc(txt)}</span>${caseLink(rule.case_id)}`) : txt;
};

export async function emergency(arg, query, { card, chart }) {
  const warnings = (await api('warnings')).data || [];
  app().replaceChildren(h(`<div class="grid" data-testid="screen-emergency"></div>`));
  const grid = app().firstElementChild;
  const wanted = Number(query.get('w'));
  const cur = warnings.find((w) => w.id === wanted) ?? warnings[0];
  grid.append(h(`<section class="card wide" data-testid="card-warnings"><div class="card-head"><h2>${esc(t('warningsT'))} (${warnings.length})</h2>
    <div class="card-tools"><a class="csv" href="/api/v1/warnings?format=csv" download>${t('csv')}</a></div></div>
    <div class="scroll-x">${table([
    ['id', '#', (v) => raw(`<a href="#/emergency?w=${esc(v)}" data-testid="warning-link-${esc(v)}">${esc(v)}</a>`)],
    ['level', t('warnLevel'), (v) => levelBadge(v)],
    ['start', t('from'), hm], ['end', t('to'), hm], ['notice', t('warnNotice')],
    ['basis', t('warnBasis'), (v, r) => `${t(`basis_${v}`)} AQI ${r.basis_aqi}`],
    ['declared_by', t('declaredBy')],
  ], warnings, 'table-warnings', (r) => (r.id === cur?.id ? ' class="current"' : ''))}</div>
    ${warnings.length ? '' : `<p class="muted" data-testid="no-warnings">${esc(t('noWarnings'))}</p>`}</section>`));
  if (isBureau()) grid.append(declareForm());
  if (!cur) {
    await fires(grid, { card, chart });
    await rivers(grid);
    return;
  }

  const rep = await api(`warnings/${cur.id}/report`);
  const s = rep.summary;
  const red = rep.reduction;
  const met = red.vs_base_pct !== null && red.required_pct !== null ? red.vs_base_pct >= red.required_pct : null;
  grid.append(h(`<section class="card wide" data-testid="card-warning-report"><div class="card-head"><h2>${esc(t('warningReport'))} #${esc(cur.id)}</h2></div>
    <p data-testid="em-warning-line">${levelHtml(cur.level)} ${esc(hm(cur.start))} – ${esc(hm(cur.end))} · ${esc(cur.notice)}</p>
    <div class="summary">
      <div class="count rag-green"><b data-testid="em-complied">${s.complied}</b>${esc(t('verdict_complied'))}</div>
      <div class="count rag-red"><b data-testid="em-breached">${s.breached}</b>${esc(t('verdict_breached'))}</div>
      <div class="count rag-none"><b data-testid="em-no-data">${s.no_data}</b>${esc(t('verdict_no_data'))}</div>
      <div class="count ${met === null ? 'rag-none' : met ? 'rag-green' : 'rag-red'}"><b data-testid="em-reduction">${pct(red.vs_base_pct)}</b>${esc(t('reductionVsBase'))}（${esc(t('required'))} ${pct(red.required_pct)}）</div>
      <div class="count"><b data-testid="em-reduction-before">${pct(red.vs_before_24h_pct)}</b>${esc(t('reductionVsBefore'))}</div>
      <div class="count"><b data-testid="em-aqi">${fmt(rep.aqi.during, 0)} / ${fmt(rep.aqi.before_3_days, 0)}</b>${esc(t('aqiDuringBefore'))}</div>
    </div>
    <div class="scroll-x">${table([
    ['enterprise', t('enterpriseName')], ['town', t('town')], ['grade', t('grade')], ['cut_pct', t('cutPct'), (v) => pct(v)],
    ['mean_kw', t('powerVs'), (v, r) => versus(v, r.allowed_kw, 'kW', r.power, 0)],
    ['emission', t('emissionVs'), (v) => (v.base_kgh ? versus(v.mean_kgh, v.allowed_kgh, 'kg/h', v, 2) : t('noBaseline'))],
    ['emission', t('emissionBefore'), (v) => (v.before_kgh === null ? '—' : `${fixed(v.before_kgh, 2)} kg/h`)],
    ['silent', t('silentSites'), (v) => (v.breached ? raw(`<span class="bad">${esc(`${v.sites_silent} / ${v.sites_before}`)}</span>${caseLink(v.case_id)}`) : `${v.sites_silent} / ${v.sites_before}`)],
    ['verdict', t('verdict'), (v, r) => verdictCell(v, `verdict-${r.enterprise}`)],
  ], rep.enterprises, 'table-em-report')}</div>
    <p class="muted">${esc(t('emRulesNote'))}</p></section>`));

  // The listed enterprises' sites, coloured by their enterprise's verdict.
  const verdictOf = new Map(rep.enterprises.map((e) => [e.enterprise, e.verdict]));
  const sites = ((await api('sites')).data || []).filter((x) => verdictOf.has(x.enterprise) && x.lon !== null && x.lat !== null);
  const map = card({
    id: 'em-map', title: t('emMap'), height: 320, wide: true,
    cols: [['name', t('site')], ['enterprise', t('enterpriseName')], ['town', t('town')], ['lon', 'lon'], ['lat', 'lat'], ['enterprise', t('verdict'), (v) => t(`verdict_${verdictOf.get(v)}`)]],
    rows: sites,
  });
  map.querySelector('.chart').dataset.testid = 'em-map-chart';
  map.querySelector('.chart').dataset.points = sites.map((x) => `${x.enterprise}:${verdictOf.get(x.enterprise)}`).join(',');
  grid.append(map);
  chart(map, {
    tooltip: { formatter: (p) => `${esc(p.data.name)}<br>${esc(p.data.enterprise)} · ${esc(t(`verdict_${p.data.verdict}`))}` },
    grid: { left: 60, right: 30, top: 20, bottom: 40 },
    xAxis: { type: 'value', name: '°E', min: (v) => +(v.min - 0.02).toFixed(2), max: (v) => +(v.max + 0.04).toFixed(2), axisLabel: { formatter: (v) => v.toFixed(2) } },
    yAxis: { type: 'value', name: '°N', min: (v) => +(v.min - 0.01).toFixed(2), max: (v) => +(v.max + 0.01).toFixed(2), axisLabel: { formatter: (v) => v.toFixed(3) } },
    // One label per enterprise (its first site): an enterprise's outlets stand side by side.
    series: [{ type: 'scatter', symbolSize: 18, label: { show: true, position: 'right', formatter: (p) => (p.data.first ? p.data.enterprise : '') },
      data: sites.map((x, i) => { const v = verdictOf.get(x.enterprise); return { name: x.name, enterprise: x.enterprise, verdict: v, first: sites.findIndex((y) => y.enterprise === x.enterprise) === i, value: [x.lon, x.lat], itemStyle: { color: VERDICT_COLOUR[v], borderColor: '#333' } }; }) }],
  });
  await fires(grid, { card, chart });
  await rivers(grid);
}

// The last Beijing day before an exclusive end (an ISO time with its +08:00 offset).
const lastDay = (iso) => new Date(Date.parse(iso) - 1000 + 8 * 3600_000).toISOString().slice(0, 10);

// The fire points of the last 7 days (GET /fires): where, when, from which source and the
// case each opened or joined (one fire, one case: the server clusters them).
async function fires(grid, { card, chart }) {
  const f = await api('fires');
  const rows = f.data || [];
  const el = card({
    id: 'fires', title: `${t('firesT')} · ${hm(f.from).slice(0, 10)} – ${lastDay(f.to)} (${rows.length})`, csv: 'fires', height: 300, wide: true,
    cols: [['time', t('time'), hm], ['town', t('town')], ['source', t('fireSource')], ['confidence', t('confidence')], ['lon', 'lon'], ['lat', 'lat'],
      ['case_id', t('caseNo'), (v) => (v ? raw(caseLink(v).trim()) : '—')]],
    rows,
  });
  el.querySelector('.chart').dataset.testid = 'fires-chart';
  el.querySelector('.chart').dataset.points = String(rows.length);
  grid.append(el);
  if (!rows.length) return;
  // Each case its own colour, so the points of one fire read as one.
  const palette = ['#c92a2a', '#e8590c', '#5f3dc4', '#1864ab', '#087f5b', '#862e9c'];
  const cases = [...new Set(rows.map((r) => r.case_id))];
  chart(el, {
    tooltip: { formatter: (p) => `${esc(hm(p.data.time))} ${esc(p.data.town)}<br>${esc(p.data.source)} · ${esc(t('confidence'))} ${p.data.confidence}<br>${esc(t('caseNo'))} ${p.data.case_id}` },
    grid: { left: 60, right: 30, top: 20, bottom: 40 },
    // Room around the outermost points for their labels.
    xAxis: { type: 'value', name: '°E', min: (v) => +(v.min - 0.02).toFixed(2), max: (v) => +(v.max + 0.04).toFixed(2), axisLabel: { formatter: (v) => v.toFixed(2) } },
    yAxis: { type: 'value', name: '°N', min: (v) => +(v.min - 0.01).toFixed(2), max: (v) => +(v.max + 0.01).toFixed(2), axisLabel: { formatter: (v) => v.toFixed(3) } },
    // The town and case beside the first point of each fire.
    series: [{ type: 'scatter', symbolSize: (v, p) => 8 + p.data.confidence / 8,
      label: { show: true, position: 'right', formatter: (p) => (rows.findIndex((r) => r.case_id === p.data.case_id) === p.dataIndex ? `${p.data.town} · ${t('caseNo')} ${p.data.case_id}` : '') },
      data: rows.map((r) => ({ ...r, value: [r.lon, r.lat], itemStyle: { color: palette[cases.indexOf(r.case_id) % palette.length], borderColor: '#333' } })) }],
  });
}

// The rivers' emergency plans (GET /rivers): sections upstream → downstream, the plan, who
// to notify, the stocks, the drills, and each sudden incident with its case.
async function rivers(grid) {
  const plans = (await api('rivers')).data || [];
  const one = (p) => `<div class="item" data-testid="river-${esc(p.code)}">
    <div class="task-head"><b>${esc(p.name)}</b><span class="muted">${esc(p.document)} · ${esc(t('incidentAt').replace('{k}', fmt(p.incident_multiple, 1)))}</span></div>
    <p data-testid="river-sections-${esc(p.code)}">${esc(t('riverSections'))}：${p.sections.map((c) => esc(c)).join(' → ')}</p>
    ${table([['name', t('contactName')], ['org', t('contactOrg'), (v) => v ?? '—'], ['duty', t('contactDuty'), (v) => v ?? '—'], ['phone', t('contactPhone')]], p.contacts, `table-contacts-${p.code}`)}
    ${p.materials.length ? table([['item', t('materialItem')], ['quantity', t('materialQty'), (v, r) => `${fmt(v, 1)} ${r.unit}`], ['place', t('materialPlace')]], p.materials, `table-materials-${p.code}`) : ''}
    ${p.drills.length ? table([['date', t('drillDate')], ['title', t('drillTitle')], ['findings', t('drillFindings'), (v) => v ?? '—']], p.drills, `table-drills-${p.code}`) : ''}
    ${p.incidents.length ? table([['hour', t('time'), hm], ['section', t('waterSection')], ['item', t('param')], ['ratio', t('incidentRatio'), (v, r) => `${fmt(r.value, 3)} / ${fmt(r.limit, 3)}（${fmt(v, 1)}×）`],
      ['case_id', t('caseNo'), (v) => raw(caseLink(v).trim())]], p.incidents, `table-incidents-${p.code}`) : `<p class="muted">${esc(t('noIncidents'))}</p>`}</div>`;
  grid.append(h(`<section class="card wide" data-testid="card-rivers"><div class="card-head"><h2>${esc(t('riversT'))} (${plans.length})</h2></div>
    ${plans.length ? plans.map(one).join('') : `<p class="muted">${esc(t('noRivers'))}</p>`}</section>`));
}

// An enterprise's own part (我的企业): its list entry's measures per level and, for the
// warnings of the last 30 days, its own verdicts (the report gives an enterprise its entry
// alone). null when the enterprise is not on the list.
export async function ownWarningsCard() {
  const entry = ((await api('emergency-list')).data || [])[0];
  if (!entry) return null;
  const since = Date.now() - 30 * 86400_000;
  const recent = ((await api('warnings')).data || []).filter((w) => Date.parse(w.end) >= since).slice(0, 3);
  const rows = [];
  for (const w of recent) {
    const v = (await api(`warnings/${w.id}/report`)).enterprises[0];
    if (v) rows.push({ ...v, w });
  }
  return h(`<section class="card wide" data-testid="card-own-warnings"><div class="card-head"><h2>${esc(t('ownWarningsT'))} · ${esc(t('grade'))} ${esc(entry.grade)}</h2></div>
    <div class="table">${table([['level', t('warnLevel'), (v) => levelBadge(v)], ['measures', t('measuresT')]],
    ['yellow', 'orange', 'red'].map((l) => ({ level: l, measures: `${entry[`measures_${l}`]}（${t('cutPct')} ${pct(entry[`cut_${l}_pct`])}）` })), 'table-own-measures')}</div>
    ${rows.length ? `<div class="table">${table([
    ['w', t('warningsT'), (w) => raw(`${levelHtml(w.level)} ${esc(hm(w.start))} – ${esc(hm(w.end))}`)],
    ['mean_kw', t('powerVs'), (v, r) => versus(v, r.allowed_kw, 'kW', r.power, 0)],
    ['emission', t('emissionVs'), (v) => (v.base_kgh ? versus(v.mean_kgh, v.allowed_kgh, 'kg/h', v, 2) : t('noBaseline'))],
    ['silent', t('silentSites'), (v) => `${v.sites_silent} / ${v.sites_before}`],
    ['verdict', t('verdict'), (v, r) => verdictCell(v, `own-verdict-${r.w.id}`)],
  ], rows, 'table-own-warnings')}</div>` : `<p class="muted" data-testid="no-recent-warnings">${esc(t('noRecentWarnings'))}</p>`}</section>`);
}

// Declaring a warning (bureau, admins): its level, window (Beijing time), the issuing notice
// and what justified it — a forecast AQI, or the zone's AQI now, which the server reads
// itself. The server checks and stores it; the screen then shows the new warning.
function declareForm() {
  const el = h(`<section class="card wide" data-testid="card-declare"><div class="card-head"><h2>${esc(t('declareT'))}</h2></div>
    <form class="form" data-testid="declare-form"><div class="row">
      <label>${esc(t('warnLevel'))} <select name="level" data-testid="declare-level">${['yellow', 'orange', 'red'].map((l) => `<option value="${l}">${esc(t(`level_${l}`))}</option>`).join('')}</select></label>
      <label>${esc(t('from'))}（${esc(t('bjTime'))}） <input name="start" type="datetime-local" required data-testid="declare-start"></label>
      <label>${esc(t('to'))}（${esc(t('bjTime'))}） <input name="end" type="datetime-local" required data-testid="declare-end"></label>
      <label>${esc(t('warnBasis'))} <select name="basis" data-testid="declare-basis"><option value="forecast">${esc(t('basis_forecast'))}</option><option value="observation">${esc(t('basis_observation'))}</option></select></label>
      <label>AQI <input name="aqi" type="number" min="1" max="500" data-testid="declare-aqi"></label></div>
      <label class="grow">${esc(t('warnNotice'))} <input name="notice" maxlength="300" required data-testid="declare-notice"></label>
      <button type="submit" class="primary" data-testid="declare-submit">${esc(t('declareT'))}</button>
      <span class="msg" role="status" data-testid="declare-msg"></span></form></section>`);
  const form = el.querySelector('form');
  onSubmit(form, el.querySelector('[data-testid=declare-msg]'), async (f) => {
    // datetime-local values are "YYYY-MM-DDTHH:MM", which compare as text and which the
    // server reads as Beijing time.
    if (f.end.value <= f.start.value) throw new Error(t('markToAfterFrom'));
    const r = await api('warnings', { method: 'POST', body: { level: f.level.value, start: f.start.value, end: f.end.value, notice: f.notice.value.trim(), basis: f.basis.value, aqi: Number(f.aqi.value) || 0 } });
    location.hash = `#/emergency?w=${r.id}`;
  });
  return el;
}
