// Pollution sources (污染源监管), and an enterprise's own home (我的企业): outlets with their
// permitted limits and latest hourly values, the monitoring alerts raised on them (each with
// its evidence hour by hour), and the marks (标记) filed over their data. Everything comes
// from GET /outlets, /alerts, /alerts/{id}, /marks and /sites/{id}/latest, which already
// limit an enterprise to its own outlets; nothing is judged here (the rules are the server's:
// the judged value of an alert is its converted value, the latest values are as measured).
import { api, isStaff, role, uploadAll } from './api.js';
import { ownWarningsCard } from './emergency.js';
import { t } from './i18n.js';
import { attachment, esc, fmt, h, hm, onSubmit, PARAM_NAMES, raw, table } from './ui.js';

const app = () => document.getElementById('app');
// data_silent's alerts are of every factor at once (param "all").
const paramName = (p) => (p === 'all' ? t('paramAll') : PARAM_NAMES[p] ?? p);
// Staff may read cases (GET /cases/{id}); an enterprise sees the case number only.
const readsCases = isStaff;

// Who may file a mark (POST /marks): the bureau and admins on any outlet, an enterprise on its
// own; the server decides, this only spares others a form they could not send.
const filesMarks = () => ['admin', 'bureau', 'enterprise'].includes(role());
// The mark classes POST /marks accepts (standards/exceed.h, the national platform's classes).
const MARK_CLASSES = ['device_maint', 'param_maint', 'comm_break', 'manual_value', 'treatment', 'production', 'cems_switch', 'non_liability'];

// One limit as people write it: 烟尘 ≤ 20 mg/m³（小时均值，折算至 O₂ 3.5 %）.
function limitText(l) {
  const u = l.unit ?? '';
  const bound = l.kind === 'range' ? `${fmt(l.lo, 2)}–${fmt(l.hi, 2)}` : `≤ ${fmt(l.max, 2)}${u ? ` ${u}` : ''}`;
  const o2 = l.o2_ref === null || l.o2_ref === undefined ? '' : `，${t('o2Converted').replace('{o2}', fmt(l.o2_ref))}`;
  return `${paramName(l.param)} ${bound}（${t(`limitPeriod_${l.period}`)}${o2}）`;
}

const caseCell = (id) => (id === null || id === undefined ? '—'
  : readsCases() ? raw(`<a href="#/case/${esc(id)}" data-testid="alert-case-link">${esc(t('caseNo'))} ${esc(id)}</a>`)
    : `${t('caseNo')} ${id}`);

function alertCols(outletName) {
  return [
    ['id', t('alertNo'), (v) => raw(`<a href="#/alert/${esc(v)}" data-testid="alert-link">${esc(v)}</a>`)],
    ['site_id', t('outlet'), (v) => outletName(v)],
    ...(role() === 'enterprise' ? [] : [['enterprise', t('enterpriseName'), (v) => v ?? '—']]),
    ['rule', t('rule'), (v) => t(`rule_${v}`)],
    ['param', t('param'), (v) => paramName(v)],
    // A window within one day shows its end's time only; a longer one (a silence) its date too.
    ['from', t('window'), (v, r) => `${hm(v)} – ${hm(r.to).slice(hm(v).slice(0, 10) === hm(r.to).slice(0, 10) ? 11 : 0)}`],
    // data_gap's figures are the day's effective rate and the rate required, in percent;
    // data_silent's the hours without data and the threshold.
    ['value', t('maxValue'), (v, r) => (r.rule === 'data_gap' ? `${fmt(v, 1)}%` : r.rule === 'data_silent' ? t('hoursN').replace('{n}', fmt(v, 0)) : fmt(v, 2))],
    ['limit', t('limitV'), (v, r) => (r.rule === 'data_gap' ? `≥ ${fmt(v, 1)}%` : r.rule === 'data_silent' ? `≥ ${t('hoursN').replace('{n}', fmt(v, 0))}` : fmt(v, 2))],
    ['multiple', t('multiple'), (v) => fmt(v, 2)],
    ['state', t('state'), (v) => t(`astate_${v}`)],
    ['case_id', t('caseNo'), (v) => caseCell(v)],
  ];
}

// The latest hourly value of every limited factor of one outlet, beside its limit.
async function latestRows(o) {
  const latest = (await api(`sites/${o.id}/latest`)).data || [];
  const hourOf = new Map(latest.filter((x) => x.period === 'hour').map((x) => [x.param, x]));
  return (o.limits || []).map((l) => ({ outlet: o.name, param: l.param, limit: limitText(l), standard: l.standard, ...(hourOf.get(l.param) ?? { time: null, value: null }) }));
}

function marksCard(rows, outletName) {
  return `<section class="card wide" data-testid="card-marks"><div class="card-head"><h2>${t('marksT')} (<span data-testid="mark-count">${rows.length}</span>)</h2></div>
    <div class="table">${table([['site_id', t('outlet'), (v) => outletName(v)], ['from', t('from'), (v) => hm(v)], ['to', t('to'), (v) => hm(v)],
      ['class', t('markClass'), (v) => t(`mark_${v}`)], ['reason', t('reason')], ['who', t('markedBy')],
      ['evidence', t('markProof'), (v) => (v ? raw(attachment(v)) : '—')], ['state', t('state'), (v) => t(`mstate_${v}`)]], rows, 'table-marks')}</div></section>`;
}

// Filing a mark: outlet, class, the Beijing-time window it covers, the reason in words and an
// optional proof (a photo or PDF of the maintenance record). A mark is never edited; the list
// above is read again once the server has stored it.
function markForm(outlets, outletName) {
  const el = h(`<section class="card wide" data-testid="card-mark-form"><div class="card-head"><h2>${t('fileMark')}</h2></div>
    <p class="muted">${esc(t('fileMarkNote'))}</p>
    <form class="form" data-testid="mark-form">
      <label>${t('outlet')} <select name="outlet" required data-testid="mark-outlet">${outlets.map((o) => `<option value="${esc(o.id)}">${esc(o.name)}</option>`).join('')}</select></label>
      <label>${t('markClass')} <select name="cls" required data-testid="mark-class">${MARK_CLASSES.map((c) => `<option value="${c}">${esc(t(`mark_${c}`))}</option>`).join('')}</select></label>
      <label>${t('from')}（${t('bjTime')}） <input name="from" type="datetime-local" required data-testid="mark-from"></label>
      <label>${t('to')}（${t('bjTime')}） <input name="to" type="datetime-local" required data-testid="mark-to"></label>
      <label class="grow">${t('reason')} <input name="reason" maxlength="500" required data-testid="mark-reason"></label>
      <label>${t('markProof')} <input name="evidence" type="file" accept="image/jpeg,image/png,image/webp,application/pdf" data-testid="mark-evidence"></label>
      <button type="submit" class="primary" data-testid="mark-submit">${t('fileMark')}</button>
      <span class="msg" role="status" data-testid="mark-msg"></span></form></section>`);
  const form = el.querySelector('form');
  onSubmit(form, el.querySelector('[data-testid=mark-msg]'), async (f) => {
    // datetime-local values are "YYYY-MM-DDTHH:MM", which compare as text and which the
    // server reads as Beijing time.
    if (f.to.value <= f.from.value) throw new Error(t('markToAfterFrom'));
    const [evidence] = await uploadAll(f.evidence);
    const r = await api('marks', { method: 'POST', body: { outlet: Number(f.outlet.value), class: f.cls.value, from: f.from.value, to: f.to.value, reason: f.reason.value.trim(), evidence: evidence ?? null } });
    const marks = await api('marks?limit=200');
    document.querySelector('[data-testid=card-marks]')?.replaceWith(h(marksCard(marks.data || [], outletName)));
    form.reset();
    return t('markFiled').replace('{id}', r?.id ?? '');
  });
  return el;
}

export async function sources() {
  const [outlets, alerts, marks] = await Promise.all([api('outlets'), api('alerts?limit=200'), api('marks?limit=200')]);
  const byId = new Map((outlets.data || []).map((o) => [o.id, o]));
  const outletName = (id) => byId.get(id)?.name ?? `#${id}`;
  const mine = role() === 'enterprise';
  const title = mine ? t('myEnterprise') : t('sources');
  const el = h(`<div class="grid" data-testid="screen-sources"></div>`);
  const ents = [...new Set((outlets.data || []).map((o) => o.enterprise).filter(Boolean))];
  el.append(h(`<section class="card wide"><div class="card-head"><h2>${esc(title)}${mine && ents.length ? ` · <span data-testid="my-enterprise">${esc(ents.join('、'))}</span>` : ''}</h2></div>
    <p class="muted">${esc(t('sourcesIntro'))}</p>
    <div class="table">${table([
      ['name', t('outlet'), (v, r) => raw(`<a href="#/station/${esc(r.id)}" data-testid="outlet-link">${esc(v)}</a>`)],
      ...(mine ? [] : [['enterprise', t('enterpriseName'), (v) => v ?? '—']]),
      ['kind', t('kind'), (v) => t(`kind_${v}`)],
      ['town', t('town'), (v) => v ?? '—'],
      ['limits', t('limits'), (v) => (v || []).length ? raw(v.map((l) => `<div>${esc(limitText(l))} <small class="muted">${esc(l.standard)}</small></div>`).join('')) : t('noLimits')],
    ], outlets.data || [], 'table-outlets')}</div></section>`));
  // Latest values against the limits: for an enterprise's few outlets (the bureau reads a
  // zone's worth of outlets through each station screen instead).
  if (mine) {
    const rows = (await Promise.all((outlets.data || []).map(latestRows))).flat();
    el.append(h(`<section class="card wide" data-testid="card-latest-limits"><div class="card-head"><h2>${t('latestVsLimit')}</h2></div>
      <p class="muted">${esc(t('latestVsLimitNote'))}</p>
      <div class="table">${table([['outlet', t('outlet')], ['param', t('param'), (v) => paramName(v)], ['time', t('time'), (v) => hm(v)],
        ['value', t('measured'), (v) => fmt(v, 2)], ['limit', t('limitV')], ['standard', t('standard')]], rows, 'table-latest-limits')}</div></section>`));
    // Its part in the heavy-pollution response, when it is on the emergency list.
    const own = await ownWarningsCard();
    if (own) el.append(own);
  }
  el.append(h(`<section class="card wide" data-testid="card-alerts"><div class="card-head"><h2>${t('alertsT')} (<span data-testid="alert-count">${(alerts.data || []).length}</span>)</h2></div>
    <div class="table">${table(alertCols(outletName), alerts.data || [], 'table-alerts')}</div></section>`));
  el.append(h(marksCard(marks.data || [], outletName)));
  if (filesMarks() && (outlets.data || []).length) el.append(markForm(outlets.data, outletName));
  app().replaceChildren(el);
}

// A data-gap alert's day, factor by factor: values due, exempt (stop marks, the analysers'
// daily check), received and valid, and the effective rate the rule compared.
function gapCard(ev) {
  const pct = (v) => `${fmt(v * 100, 1)}%`;
  return `<section class="card wide" data-testid="card-gap"><div class="card-head"><h2>${t('gapItems')}</h2></div>
    <div class="table">${table([['param', t('param'), (v) => paramName(v)], ['expected', t('gapExpected')], ['exempt', t('gapExempt')],
      ['received', t('gapReceived')], ['valid', t('gapValid')], ['transmission', t('gapTransmission'), pct], ['effective', t('gapEffective'), pct]], ev.items, 'table-gap')}</div></section>`;
}

// One alert with its evidence: the hours judged, each as measured, its O2 and the value
// judged (converted to the reference O2 where the limit says so), against the limit.
export async function alertDetail(id) {
  let a;
  try {
    a = await api(`alerts/${encodeURIComponent(id)}`);
  } catch (ex) {
    if (ex.status !== 404) throw ex;
    app().replaceChildren(h(`<div data-testid="screen-alert"><section class="card"><p class="error" role="alert" data-testid="alert-not-found">${t('alertNotFound')}</p><a href="#/sources">${t('sources')}</a></section></div>`));
    return;
  }
  a = a.data ?? a;
  const outlets = (await api('outlets')).data || [];
  const o = outlets.find((x) => x.id === a.site_id);
  const ev = typeof a.evidence === 'object' && a.evidence ? a.evidence : {};
  // A data-gap alert's figures are rates of the day, its evidence the day's counts.
  const gap = Array.isArray(ev.items);
  // A silence has no hours to show: its evidence is the last value and the hours counted.
  const silent = a.rule === 'data_silent';
  const hrs = (v) => t('hoursN').replace('{n}', fmt(v, 0));
  const el = h(`<div class="grid" data-testid="screen-alert" data-alert-id="${esc(a.id)}">
    <section class="card wide"><div class="card-head"><h2>${t('alertNo')} ${esc(a.id)} · ${esc(t(`rule_${a.rule}`))}</h2><a href="#/sources">${esc(role() === 'enterprise' ? t('myEnterprise') : t('sources'))}</a></div>
      <dl class="fields">
        <dt>${t('enterpriseName')}</dt><dd data-testid="alert-enterprise">${esc(a.enterprise ?? o?.enterprise ?? '—')}</dd>
        <dt>${t('outlet')}</dt><dd><a href="#/station/${esc(a.site_id)}" data-testid="alert-outlet">${esc(o?.name ?? `#${a.site_id}`)}</a></dd>
        <dt>${t('param')}</dt><dd data-testid="alert-param">${esc(paramName(a.param))}</dd>
        <dt>${t('window')}</dt><dd>${esc(hm(a.from))} – ${esc(hm(a.to))}</dd>
        ${silent ? `<dt>${t('lastValue')}</dt><dd data-testid="alert-last-value">${esc(hm(ev.last_value))}</dd>
        <dt>${t('silentHours')}</dt><dd data-testid="alert-value">${esc(hrs(a.value))}</dd>
        <dt>${t('exemptHours')}</dt><dd>${esc(hrs(ev.exempt_hours ?? 0))}</dd>
        <dt>${t('silentThreshold')}</dt><dd data-testid="alert-limit">≥ ${esc(hrs(a.limit))}</dd>` : gap ? `<dt>${t('gapEffective')}</dt><dd data-testid="alert-value">${esc(fmt(a.value, 1))}%</dd>
        <dt>${t('gapRequired')}</dt><dd data-testid="alert-limit">≥ ${esc(fmt(a.limit, 1))}%</dd>` : `<dt>${t('maxValue')}</dt><dd data-testid="alert-value">${esc(fmt(a.value, 2))}</dd>
        <dt>${t('limitV')}</dt><dd data-testid="alert-limit">${esc(fmt(a.limit, 2))}${ev.o2_ref !== null && ev.o2_ref !== undefined ? ` <small class="muted">${esc(t('o2Converted').replace('{o2}', fmt(ev.o2_ref)))}</small>` : ''}</dd>`}
        <dt>${t('standard')}</dt><dd data-testid="alert-standard">${esc(ev.standard ?? '—')}</dd>
        <dt>${t('multiple')}</dt><dd>${esc(fmt(a.multiple, 2))}</dd>
        <dt>${t('state')}</dt><dd data-testid="alert-state">${esc(t(`astate_${a.state}`))}</dd>
        <dt>${t('caseNo')}</dt><dd>${a.case_id ? (readsCases() ? `<a href="#/case/${esc(a.case_id)}" data-testid="alert-case-link">${esc(t('caseNo'))} ${esc(a.case_id)}</a>` : esc(`${t('caseNo')} ${a.case_id}`)) : '—'}</dd>
        ${(ev.marks || []).length ? `<dt>${t('marksT')}</dt><dd>${ev.marks.map((m) => esc(t(`mark_${m}`))).join('、')}</dd>` : ''}
      </dl></section>
    ${silent ? '' : gap ? gapCard(ev) : `<section class="card wide" data-testid="card-evidence"><div class="card-head"><h2>${t('evidenceHours')}</h2></div>
      <div class="table">${table([['t', t('time'), (v) => hm(v)], ['raw', t('measured'), (v) => fmt(v, 2)], ['o2', 'O₂ %', (v) => fmt(v, 1)],
        ['judged', t('judged'), (v) => fmt(v, 2)], ['multiple', t('multiple'), (v) => fmt(v, 2)]], ev.hours || [], 'table-evidence')}</div></section>`}</div>`);
  app().replaceChildren(el);
}

// A monitoring-alert case's way back to its alert: the outlet, the data and the evidence.
export async function caseAlerts(caseId) {
  try {
    return (await api(`alerts?case=${encodeURIComponent(caseId)}`)).data || [];
  } catch {
    return []; // a viewer who may not read alerts sees the case alone
  }
}
