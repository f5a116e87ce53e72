// Administration: the accounts (账号管理, GET/POST /users, administrators only) and the audit
// log (审计日志, GET /audit: administrators, the bureau and auditors). Who may read or change
// what is the server's decision (service/auth.c: AUTH_USER_MANAGE, AUTH_AUDIT_READ); these
// screens show what the API returns and its refusals as it words them.
import { api, session } from './api.js';
import { lang, t } from './i18n.js';
import { esc, h, hms, onSubmit, raw, say, table } from './ui.js';

const app = () => document.getElementById('app');

// The roles an account can be given here (service/auth.h); "public" needs no account.
const ROLES = ['admin', 'bureau', 'unit', 'enterprise', 'auditor'];
// The server refuses passwords outside 8–256 bytes (AUTH_PASSWORD_MIN/MAX); the browser says
// so before sending one. Bytes, as the server counts them: UTF-8, not characters.
const PASSWORD_MIN = 8;
const PASSWORD_MAX = 256;
const bytes = (s) => new TextEncoder().encode(s).length;

// Accounts belong to a unit of the plan (unit staff; bureau staff to their department). The
// form offers departments and offices, not the leadership or the catch-all groups; the table
// names whatever unit an account has.
const holdsAccounts = (u) => u.kind !== 'leadership' && u.kind !== 'group';
const planUnits = async () => (await api('plan')).units || [];
const unitLabel = (u) => (lang === 'en' && u.name_en ? u.name_en : u.name);

// ---- Accounts (账号管理) ----------------------------------------------------------------

export async function users() {
  await drawUsers();
}

// Draws the screen; `flash` is the message to show in the form's status line (after a create).
async function drawUsers(flash = '') {
  const [list, units] = await Promise.all([api('users'), planUnits()]);
  const byId = new Map(units.map((u) => [u.id, u]));
  const rows = list.data || [];
  // Units' and the bureau's org is a plan unit: show its name; an enterprise's is its own name.
  const orgName = (v, r) => {
    const u = (r.role === 'unit' || r.role === 'bureau') && byId.get(v);
    return u ? `${esc(unitLabel(u))} <small class="muted">${esc(v)}</small>` : esc(v ?? '—');
  };
  const el = h(`<div class="grid" data-testid="screen-users">
    <section class="card wide" data-testid="card-users"><div class="card-head"><h2>${t('accounts')} (<span data-testid="users-count">${rows.length}</span>)</h2>
      <div class="card-tools"><a class="csv" href="/api/v1/users?format=csv" download>${t('csv')}</a></div></div>
      <div class="table tall">${table([
        ['name', t('userName'), (v) => raw(`<b data-testid="user-row-name">${esc(v)}</b>`)],
        ['display', t('displayName')],
        ['role', t('role'), (v) => raw(`<span data-testid="user-row-role">${esc(t(`role_${v}`))}</span>`)],
        ['org', t('org'), (v, r) => raw(`<span data-testid="user-row-org">${orgName(v, r)}</span>`)],
        ['disabled', t('status'), (v) => raw(v ? `<span class="pill bad">${esc(t('disabled'))}</span>` : `<span class="pill ok">${esc(t('active'))}</span>`)],
        ['created', t('created'), (v) => hms(v)],
        // Disable/enable and a new password (POST /users/{name}); not on one's own row: the
        // server refuses an administrator disabling themself.
        ['name', t('userActions'), (v, r) => (v === session.user?.name ? '' : raw(`<span class="row-tools">
          <button type="button" data-act="toggle" data-testid="user-toggle">${esc(r.disabled ? t('enable') : t('disable'))}</button>
          <button type="button" data-act="password" data-testid="user-password">${esc(t('resetPassword'))}</button></span>`))],
      ], rows, 'table-users', (r) => ` data-testid="user-row" data-name="${esc(r.name)}" data-disabled="${r.disabled ? 1 : 0}"`)}</div>
      <span class="msg" role="status" data-testid="users-msg"></span></section>
    <section class="card wide" data-testid="card-user-new"><div class="card-head"><h2>${t('newAccount')}</h2></div>
      <form class="form inline" data-testid="new-user-form" autocomplete="off">
        <label>${t('userName')} <input name="name" required maxlength="64" autocomplete="off" data-testid="new-user-name"></label>
        <label>${t('displayName')} <input name="display" maxlength="64" data-testid="new-user-display"></label>
        <label>${t('role')} <select name="role" required data-testid="new-user-role">
          <option value="">${t('choose')}</option>${ROLES.map((r) => `<option value="${r}">${esc(t(`role_${r}`))}</option>`).join('')}</select></label>
        <label data-testid="new-user-org-unit-label" hidden>${t('org')} <select name="orgUnit" data-testid="new-user-org-unit">
          <option value="">${t('choose')}</option>${units.filter(holdsAccounts).map((u) => `<option value="${esc(u.id)}">${esc(unitLabel(u))}</option>`).join('')}</select></label>
        <label data-testid="new-user-org-text-label" hidden>${t('enterpriseName')} <input name="orgText" maxlength="128" data-testid="new-user-org-text"></label>
        <label>${t('password')} <input name="password" type="password" autocomplete="new-password" required data-testid="new-user-password">
          <small class="muted">${t('passwordRule')}</small></label>
        <button type="submit" class="primary" data-testid="new-user-submit">${t('create')}</button>
        <span class="msg" role="status" data-testid="new-user-msg">${esc(flash)}</span>
      </form></section></div>`);
  const form = el.querySelector('form');
  const f = form.elements;
  const unitLabelEl = el.querySelector('[data-testid=new-user-org-unit-label]');
  const textLabelEl = el.querySelector('[data-testid=new-user-org-text-label]');
  // Units must name their unit; the bureau may name its department; an enterprise its name
  // as its sites carry it (data.read_own matches it); administrators and auditors have none.
  const showOrg = () => {
    const r = f.role.value;
    unitLabelEl.hidden = !(r === 'unit' || r === 'bureau');
    f.orgUnit.required = r === 'unit';
    textLabelEl.hidden = r !== 'enterprise';
    f.orgText.required = r === 'enterprise';
  };
  f.role.addEventListener('change', showOrg);
  // Row actions: the server decides and words any refusal.
  el.querySelector('[data-testid=table-users]').addEventListener('click', async (e) => {
    const btn = e.target.closest('button[data-act]');
    if (!btn) return;
    const row = btn.closest('[data-testid=user-row]');
    const name = row.dataset.name;
    const msg = el.querySelector('[data-testid=users-msg]');
    let body;
    if (btn.dataset.act === 'toggle') {
      body = { disabled: row.dataset.disabled !== '1' };
    } else {
      const pw = window.prompt(t('newPasswordFor').replace('{name}', name)) ?? '';
      if (!pw) return;
      const n = bytes(pw);
      if (n < PASSWORD_MIN || n > PASSWORD_MAX) { say(msg, t('passwordRule'), true); return; }
      body = { password: pw };
    }
    try {
      await api(`users/${encodeURIComponent(name)}`, { method: 'POST', body });
      await drawUsers(t('accountChanged').replace('{name}', name));
    } catch (ex) {
      say(msg, ex.message, true);
    }
  });
  // The server's own words on a refusal: 422 names the field and the fault.
  onSubmit(form, el.querySelector('[data-testid=new-user-msg]'), async () => {
    const name = f.name.value.trim();
    const role = f.role.value;
    const org = role === 'unit' || role === 'bureau' ? f.orgUnit.value : role === 'enterprise' ? f.orgText.value.trim() : '';
    const pw = f.password.value;
    const n = bytes(pw);
    if (n < PASSWORD_MIN || n > PASSWORD_MAX) throw new Error(t('passwordRule'));
    // An existing name: the server would answer 409; say so without the round trip.
    if (rows.some((r) => r.name === name)) throw new Error(t('accountExists').replace('{name}', name));
    const body = { name, role, password: pw };
    const display = f.display.value.trim();
    if (display) body.display = display;
    if (org) body.org = org;
    await api('users', { method: 'POST', body });
    await drawUsers(t('accountCreated').replace('{name}', name));
  });
  app().replaceChildren(el);
}

// ---- Audit log (审计日志) -----------------------------------------------------------------

const PAGE = 50;
// The actions the server and `envwatch user` record (net/http_office.c, cli/cmd_user.c);
// any other is shown as sent.
const ACTIONS = ['login', 'login_failed', 'logout', 'user.add', 'user.put', 'user.update', 'user.passwd', 'user.disable', 'reward.put'];
const actionLabel = (a) => (ACTIONS.includes(a) ? t(`aud_${a}`) : a);
const intArg = (s, def, min, max) => {
  const n = Number(s);
  return s !== null && /^\d+$/.test(s) && n >= min && n <= max ? n : def;
};

export async function audit(arg, query) {
  // The page is in the URL (#/audit?offset=50): reload and the back button keep it.
  const limit = intArg(query.get('limit'), PAGE, 1, 1000);
  const offset = intArg(query.get('offset'), 0, 0, Number.MAX_SAFE_INTEGER);
  const qs = `limit=${limit}&offset=${offset}`;
  const r = await api(`audit?${qs}`);
  const rows = r.data || [];
  const pg = r.page || {};
  const total = pg.total ?? rows.length;
  const href = (o) => `#/audit?${limit === PAGE ? '' : `limit=${limit}&`}offset=${o}`;
  const first = rows.length ? offset + 1 : 0;
  const el = h(`<div class="grid" data-testid="screen-audit">
    <section class="card wide" data-testid="card-audit"><div class="card-head"><h2>${t('auditLog')} (<span data-testid="audit-total">${esc(total)}</span>)</h2>
      <div class="card-tools"><a class="csv" href="/api/v1/audit?${qs}&format=csv" download data-testid="audit-csv">${t('csv')}</a></div></div>
      <p class="muted">${t('auditNote')}</p>
      ${table([
        ['at', t('time'), (v) => hms(v)],
        ['actor', t('actor')],
        ['action', t('action'), (v) => raw(`<span class="audit-action" data-action="${esc(v)}">${esc(actionLabel(v))}</span>`)],
        ['object', t('object')],
        ['detail', t('detail')],
        ['addr', t('addr')],
      ], rows, 'table-audit', (x) => ` data-testid="audit-row" data-action="${esc(x.action)}" data-actor="${esc(x.actor)}"`)}
      <div class="pager">
        <button type="button" data-testid="audit-prev"${offset > 0 ? '' : ' disabled'}>${t('prevPage')}</button>
        <span class="muted" data-testid="audit-range">${esc(first)}–${esc(offset + rows.length)} / ${esc(total)}</span>
        <button type="button" data-testid="audit-next"${pg.next_offset === null || pg.next_offset === undefined ? ' disabled' : ''}>${t('nextPage')}</button>
      </div></section></div>`);
  el.querySelector('[data-testid=audit-prev]').addEventListener('click', () => { location.hash = href(Math.max(0, offset - limit)); });
  el.querySelector('[data-testid=audit-next]').addEventListener('click', () => { location.hash = href(pg.next_offset); });
  app().replaceChildren(el);
}
