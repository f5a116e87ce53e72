// Small helpers shared by the screens: HTML from template strings (every value through
// esc()), the one table, number and time formatting, badges.
import { t } from './i18n.js';

export const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
export const fmt = (v, d = 1) => (v === null || v === undefined || v === '' ? '—' : typeof v !== 'number' ? String(v) : Number.isInteger(v) ? String(v) : v.toFixed(d));
// A target's number in its unit: a GB 3838 class (unit 类, Ⅰ = 1 … 劣Ⅴ = 6, as
// water.section_class reports it) as people write it, anything else as fmt does.
const CLASSES = ['Ⅰ', 'Ⅱ', 'Ⅲ', 'Ⅳ', 'Ⅴ', '劣Ⅴ'];
export const tval = (v, unit) => (unit === '类' && Number.isInteger(v) && v >= 1 && v <= 6 ? CLASSES[v - 1] : fmt(v));
// HJ 212 factor codes as people name them (the station, outlet and alert screens).
export const PARAM_NAMES = {
  a34004: 'PM2.5', a34002: 'PM10', a21026: 'SO₂', a21004: 'NO₂', a21005: 'CO', a05024: 'O₃',
  a05001: 'CO₂', a34013: '烟尘', a21002: 'NOx', a19001: 'O₂', a00000: '废气流量', a01012: '烟温',
  w01018: 'COD', w21003: 'NH₃-N', w21011: 'TP', w21001: 'TN', w01001: 'pH', w00000: '废水流量',
  a24088: '非甲烷总烃', a21001: 'NH₃', a20057: '汞', a01011: '烟气流速', a01013: '烟气压力', a01014: '烟气湿度', w01017: 'BOD₅', w01012: 'SS',
};
export const hm = (iso) => (iso ? iso.slice(0, 16).replace('T', ' ') : '—');
// With seconds, for the audit log, where the order of events within a minute matters.
export const hms = (iso) => (iso ? iso.slice(0, 19).replace('T', ' ') : '—');
export const day = (iso) => (iso ? iso.slice(0, 10) : '—');
// Money is kept in fen (分, whole numbers) and shown in yuan: ¥12.30.
export const yuan = (fen) => (fen === null || fen === undefined ? '—' : `¥${Math.trunc(fen / 100)}.${String(Math.abs(fen % 100)).padStart(2, '0')}`);

export function h(html) {
  const tpl = document.createElement('template');
  tpl.innerHTML = html.trim();
  return tpl.content.firstElementChild;
}

// Red/amber/green as the ledger computes it; anything else (no data yet) is grey.
export function rag(v, testid = '') {
  const k = ['green', 'yellow', 'red'].includes(v) ? v : 'none';
  return `<span class="rag rag-${k}"${testid ? ` data-testid="${esc(testid)}"` : ''} data-rag="${k}">${esc(t(`rag_${k}`))}</span>`;
}

// Where a target of GET /api/v1/targets stands, one rendering for every screen (the
// overview's tiles and tables, the plan screen, the reports) and the same words as
// `envwatch targets`: the row's status token from the service (service/targets.h). No value
// is grey "no data", never a colour of success; a projection that misses is amber while the
// target can still be met, red once it cannot, and a year that is over is met or missed.
const STATUS = { on_track: ['green', 'onTrack'], at_risk: ['yellow', 'offTrack'], cannot: ['red', 'tgCannot'],
  met: ['green', 'tgMet'], missed: ['red', 'tgMissed'] };
const statusOf = (row) => STATUS[row?.status] ?? ['none', 'noData'];
// The status words alone, for documents without badges (the reports).
export function targetStatusText(row) {
  return t(statusOf(row)[1]);
}
export function targetStatus(row, testid = '') {
  const k = statusOf(row)[0];
  const text = targetStatusText(row);
  return `<span class="rag rag-${k}"${testid ? ` data-testid="${esc(testid)}"` : ''} data-rag="${k}">${esc(text)}</span>`;
}

// The year of a plan's last deadline: the end of its period (GET /targets rows).
export const planEndYear = (rows) => Math.max(0, ...(rows || []).map((r) => Number(String(r.deadline ?? '').slice(0, 4)) || 0)) || null;

// Which edition of HJ 633 judged the days of a /targets answer (days_by_edition: [2012, 2026]).
export function rulesText(tg) {
  const [a, b] = tg?.days_by_edition || [0, 0];
  if (a && b) return 'HJ 633—2012 / HJ 633—2026';
  return b ? 'HJ 633—2026' : a ? 'HJ 633—2012' : '—';
}

// The final results of the plan's last year, once its period is over (fin: GET
// /targets?year=END): the measured targets, each met or missed. testid prefix: pre.
export function finalCard(fin, end, pre) {
  const rows = (fin?.data || []).filter((r) => r.source === 'monitoring' && r.value !== null);
  const body = table([
    ['name', t('indicator')],
    ['value', t('finalValue'), (v, r) => `${tval(v, r.unit)} ${r.unit ?? ''}`],
    ['target', t('target'), (v, r) => `${cmpText(r.comparator)} ${tval(v, r.unit)}`],
    ['on_track', t('status'), (v, r) => raw(targetStatus(r, `${pre}-${r.id}-status`))],
  ], rows, `${pre}-table`);
  return `<section class="card wide" data-testid="${esc(pre)}"><div class="card-head"><h2>${esc(t('planFinal').replace('{y}', end))}</h2>
    <span class="muted">${esc(t('rules'))} ${esc(rulesText(fin))} · ${esc(t('asOf'))} ${esc(fin?.as_of ?? '—')}</span></div>
    <p class="notice">${esc(t('planOver').replaceAll('{y}', end))}</p>
    ${body}</section>`;
}

// A plan comparator as people write it.
export const cmpText = (c) => ({ '<=': '≤', '>=': '≥', '<': '<', '>': '>', '=': '=', '==': '=', done: t('cmpDone') })[c] ?? c;

export function progressBar(pct) {
  const p = Math.max(0, Math.min(100, Number(pct) || 0));
  return `<span class="bar" title="${p}%"><span style="width:${p}%"></span></span><span class="bar-label">${p}%</span>`;
}

// 督办 / 挂牌督办: the case's supervision level (0, 1, 2).
export function supervision(level, testid = 'supervision') {
  if (!level) return '';
  return `<span class="sup sup-${Number(level)}" data-testid="${esc(testid)}">${esc(t(`sup${Number(level)}`))}</span>`;
}

// Markup a helper built, escaping what it put in (badges, links, bars): kept as is where
// text would be escaped. Anything else a table cell or a field is given is text.
const RAW = Symbol('raw');
export const raw = (html) => ({ [RAW]: String(html) });
// A cell's content as HTML: raw() markup as it is, every other value escaped (null: '—').
const cellHtml = (v) => (v !== null && typeof v === 'object' && RAW in v ? v[RAW] : esc(v ?? '—'));
// A table cell with attributes of its own (a class, a test id): content as for cellHtml,
// attribute values escaped; an attribute whose value is '' or null is left out.
const CELL = Symbol('cell');
export const cell = (content, attrs = {}) => ({ [CELL]: { content, attrs } });
const td = (v) => {
  if (v === null || typeof v !== 'object' || !(CELL in v)) return `<td>${cellHtml(v)}</td>`;
  const { content, attrs } = v[CELL];
  const a = Object.entries(attrs).filter(([, x]) => x !== '' && x !== null && x !== undefined).map(([k, x]) => ` ${k}="${esc(x)}"`).join('');
  return `<td${a}>${cellHtml(content)}</td>`;
};

// The one table of the screens: cols [key, label, render?]. render(value, row) returns text
// (escaped here), raw(html) or cell(content, attrs); without one the value is shown as it
// is. rowAttr(row) returns the row's attributes, already escaped. testid names the table.
export function table(cols, rows, testid, rowAttr = () => '') {
  const head = cols.map(([, l]) => `<th>${esc(l)}</th>`).join('');
  const body = rows.length
    ? rows.map((r) => `<tr${rowAttr(r)}>${cols.map(([k, , f]) => td(f ? f(r[k], r) : r[k])).join('')}</tr>`).join('')
    : `<tr><td colspan="${cols.length}" class="muted">${esc(t('noData'))}</td></tr>`;
  return `<table data-testid="${esc(testid)}"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

// A form's message line (a status <span class="msg" role="status"> or an error
// <p class="error" role="alert">): text shown, or hidden when empty; bad marks an error.
export function say(msg, text, bad = false) {
  if (!msg) return;
  msg.textContent = text ?? '';
  msg.classList.toggle('error', bad);
  msg.hidden = !text;
}

// The one way a form is sent: the default prevented, the message line cleared and the submit
// button disabled while handler(form.elements) runs; what it returns (text, or nothing) is
// said, what it throws is said as an error in its own words (a check that fails throws
// new Error(reason); the server's refusals arrive from api() worded by the server). The
// button is enabled again afterwards (harmless when the handler drew the screen anew).
export function onSubmit(form, msg, handler) {
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const btn = form.querySelector('[type=submit]');
    if (btn) btn.disabled = true;
    say(msg, '');
    try {
      const text = await handler(form.elements);
      if (text) say(msg, text);
    } catch (ex) {
      say(msg, ex.message, true);
    } finally {
      if (btn) btn.disabled = false;
    }
  });
}

// An attachment: a thumbnail that opens the file (the server decides who may read it).
export function attachment(key) {
  const url = `/api/v1/attachments/${encodeURIComponent(key)}`;
  return `<a class="thumb" href="${esc(url)}" target="_blank" rel="noopener"><img src="${esc(url)}" alt="${esc(t('attachment'))}" loading="lazy" data-testid="attachment"></a>`;
}

// A deadline given as a day means the end of that day: the server stores the next midnight
// (Beijing time), which is shown as the day it ends; any other instant as date and time.
export function deadline(iso) {
  if (!iso) return '—';
  if (!/T00:00(:00)?(\.0+)?(\+08:00)?$/.test(iso)) return hm(iso);
  return new Date(Date.parse(iso) - 1 + 8 * 3600_000).toISOString().slice(0, 10);
}
