// Performance scores (绩效考核, plan §四(二): the plan's tasks are part of the zone's
// performance assessment) and the rewards of public reports (举报奖励). The scores are the
// server's (service/ledger.c: ledger_score_unit); this screen shows them, ranked, with every
// rule application and the rules themselves, for the period in the URL.
import { api, serverNowBj, syncClock } from './api.js';
import { t } from './i18n.js';
import { day, esc, h, hm, raw, table, yuan } from './ui.js';

const app = () => document.getElementById('app');
const DAY_MS = 86_400_000;
const isDay = (s) => /^\d{4}-\d{2}-\d{2}$/.test(s || '') && Number.isFinite(Date.parse(`${s}T00:00:00Z`));
// The API takes `to` as an instant and counts [from, to): a date is the start of that day. The
// screen's "to" is an inclusive day, so the API gets the start of the next one.
const nextDay = (s) => new Date(Date.parse(`${s}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
const signed = (n) => (n > 0 ? `+${n}` : String(n));

export async function scores(arg, query) {
  await syncClock();
  const today = serverNowBj().slice(0, 10);
  const from = isDay(query.get('from')) ? query.get('from') : `${today.slice(0, 4)}-01-01`;
  const to = isDay(query.get('to')) ? query.get('to') : today;
  const [s, led] = await Promise.all([api(`scores?from=${from}&to=${nextDay(to)}`), api('ledger').catch(() => null)]);
  const units = s.data || [];
  // Tasks and targets by name, as the plan names them (ids are the plan file's business).
  const names = new Map();
  for (const a of led?.actions || []) for (const x of a.tasks || []) names.set(x.id, `${x.id} ${x.title}`);
  for (const x of led?.targets || []) names.set(x.id, typeof x.name === 'object' ? x.name?.zh : x.name);
  const named = (id) => names.get(id) ?? id;
  // Each hit names its object's kind; case hits carry the case id when this user may open it.
  const objectLink = (x) => {
    const k = x.object_kind;
    if (k === 'case') {
      return x.case_id === undefined ? esc(x.object) : `<a href="#/case/${esc(x.case_id)}" data-testid="hit-case">${esc(x.object)}</a>`;
    }
    // Tasks and targets: the plan overview opens its change history (ledger/history).
    return `<a href="#/plan?history=${encodeURIComponent(x.object)}" data-testid="hit-${k}">${esc(named(x.object))}</a>`;
  };
  let rank = 0;
  let prev = null;
  const ranked = units.map((u, i) => {
    if (u.total !== prev) { rank = i + 1; prev = u.total; } // equal totals share a rank
    return { ...u, rank, sum: (u.hits || []).reduce((a, x) => a + x.points, 0) };
  });
  const el = h(`<div class="grid" data-testid="screen-scores">
    <section class="card wide"><form class="row filters" data-testid="scores-period">
      <label>${t('periodFrom')} <input type="date" name="from" value="${esc(from)}" required data-testid="scores-from"></label>
      <label>${t('periodTo')} <input type="date" name="to" value="${esc(to)}" required data-testid="scores-to"></label>
      <span class="muted" data-testid="scores-range">${t('scoresPeriod')} ${esc(day(s.from))} – ${esc(to)}</span></form>
      <p class="muted">${t('scoresNote')}</p></section>
    <section class="card wide" data-testid="card-scores"><div class="card-head"><h2>${t('scoreRank')} (${units.length})</h2><div class="card-tools">
      <a class="csv" href="/api/v1/scores?from=${from}&to=${nextDay(to)}&format=csv" download data-testid="scores-csv">${t('csv')}</a></div></div>
      ${table([
        ['rank', t('rank')],
        ['name', t('unit'), (v, r) => raw(`<a href="#score-${esc(r.unit)}">${esc(v)}</a>`)],
        ['base', t('base')],
        ['sum', t('points'), (v) => signed(v)],
        ['total', t('total'), (v) => raw(`<b data-testid="score-total">${esc(v)}</b>`)],
      ], ranked, 'table-scores', (r) => ` data-testid="score-row" data-unit="${esc(r.unit)}"`)}</section>
    <section class="card wide" data-testid="card-score-detail"><div class="card-head"><h2>${t('scoreDetail')}</h2></div>
      ${ranked.map((u) => `<details class="item" id="score-${esc(u.unit)}" data-testid="score-unit" data-unit="${esc(u.unit)}"${(u.hits || []).length ? ' open' : ''}>
        <summary><b>${esc(u.rank)}. ${esc(u.name)}</b> <span class="muted">${t('base')} ${esc(u.base)} · ${t('points')} ${esc(signed(u.sum))} · ${t('total')} ${esc(u.total)}</span></summary>
        ${(u.hits || []).length ? table([
          ['text', t('rule')],
          ['object', t('object'), (v, x) => raw(objectLink(x))],
          ['points', t('points'), (v) => signed(v)],
        ], u.hits, `hits-${u.unit}`, (x) => ` data-testid="hit" data-rule="${esc(x.rule)}"`) : `<p class="muted">${t('noHits')}</p>`}</details>`).join('')}</section>
    <section class="card wide" data-testid="card-score-rules"><div class="card-head"><h2>${t('scoreRules')} (${(s.rules || []).length})</h2></div>
      ${table([['text', t('rule')], ['points', t('points'), (v) => signed(v)]], s.rules || [], 'table-score-rules',
        (r) => ` data-testid="score-rule" data-rule="${esc(r.id)}"`)}</section></div>`);
  // The period lives in the URL: a changed date is a new query (and a link one can share).
  el.querySelector('[data-testid=scores-period]').addEventListener('change', (e) => {
    const f = e.currentTarget.elements;
    if (!isDay(f.from.value) || !isDay(f.to.value) || f.from.value > f.to.value) return;
    location.hash = `#/scores?from=${f.from.value}&to=${f.to.value}`;
  });
  // In-page links to a unit's details without leaving the route.
  el.querySelector('[data-testid=table-scores]').addEventListener('click', (e) => {
    const a = e.target.closest('a[href^="#score-"]');
    if (!a) return;
    e.preventDefault();
    const d = el.querySelector(`[id="${CSS.escape(a.getAttribute('href').slice(1))}"]`);
    if (d) { d.open = true; d.scrollIntoView({ block: 'start' }); }
  });
  app().replaceChildren(el);
}

// ---- Rewards (举报奖励) ------------------------------------------------------------------

export async function rewards() {
  const r = await api('rewards?limit=100000');
  const rows = r.data || [];
  const sum = (st) => rows.filter((x) => x.status === st).reduce((a, x) => a + (x.amount_fen || 0), 0);
  const count = (st) => rows.filter((x) => x.status === st).length;
  const el = h(`<div class="grid" data-testid="screen-rewards">
    <section class="card wide"><div class="summary">
      <div class="count"><b data-testid="rewards-due">${esc(yuan(sum('due')))}</b>${t('totalDue')} (${count('due')})</div>
      <div class="count rag-green"><b data-testid="rewards-paid">${esc(yuan(sum('paid')))}</b>${t('totalPaid')} (${count('paid')})</div>
      <div class="count"><b data-testid="rewards-declined">${count('declined')}</b>${t('declinedCount')}</div></div>
      <p class="muted">${t('rewardEligible')}</p></section>
    <section class="card wide"><div class="card-head"><h2>${t('rewards')} (${esc(r.page?.total ?? rows.length)})</h2>
      <a class="csv" href="/api/v1/rewards?limit=100000&format=csv" download data-testid="rewards-csv">${t('csv')}</a></div>
      <div class="table tall">${table([
        ['case_id', t('caseNo'), (v) => raw(`<a href="#/case/${esc(v)}" data-testid="reward-case">${esc(v)}</a>`)],
        ['tracking', t('trackingCode'), (v) => v ?? ''],
        ['status', t('rewardStatus'), (v) => raw(`<span data-testid="reward-status" data-status="${esc(v)}">${esc(t(`reward_${v}`))}</span>`)],
        ['amount_fen', t('amount'), (v) => raw(`<span data-testid="reward-amount">${esc(yuan(v))}</span>`)],
        ['decided_by', t('decidedBy'), (v) => v ?? ''],
        ['decided', t('decided'), (v) => hm(v)],
        ['paid', t('paidAt'), (v) => hm(v)],
        ['note', t('note'), (v) => v ?? ''],
      ], rows, 'table-rewards', (x) => ` data-testid="reward-row" data-case-id="${esc(x.case_id)}"`)}</div></section></div>`);
  app().replaceChildren(el);
}
