// The API client and the session. The session cookie is HttpOnly: the page never sees the
// token, only who is logged in and the CSRF token (GET /session), which every request that
// changes something carries in X-CSRF-Token (docs/access.md).
import { lang } from './i18n.js';

// POST /attachments refuses more (413 too_large): 8 MiB signed in, 4 MiB without login
// (GET /meta names both).
export const MAX_UPLOAD = 8 * 1024 * 1024;
export const MAX_UPLOAD_PUBLIC = 4 * 1024 * 1024;
export const uploadCap = () => (session.user ? MAX_UPLOAD : MAX_UPLOAD_PUBLIC);

export const session = { user: null, csrf: null, expires: null };

export class ApiError extends Error {
  // message: what the user reads (in the page's language); detail: the server's own words.
  constructor(status, code, message, detail) {
    super(message);
    this.status = status;
    this.code = code;
    this.detail = detail;
  }
}

// The server words its refusals in English with the specifics (docs/api.md error codes); the
// page says what each code means in the user's language. Where the specifics matter (which
// field, which rule) they follow the explanation.
const ERR_ZH = {
  bad_credentials: '账号或密码错误',
  throttled: '登录失败次数过多，请 {s} 秒后再试',
  rate_limited: '提交过于频繁，请 {s} 秒后再试',
  csrf: '页面已过期，请刷新后重试',
  login_required: '请先登录',
  forbidden: '无权进行此操作',
  not_found: '未找到（不存在或无权查看）',
  too_large: '文件超过 8 MiB',
  unsupported_media_type: '仅支持 JPEG、PNG、WebP 图片或 PDF 文件',
  invalid_transition: '当前状态下不能进行此操作',
  conflict: '已存在',
  storage_full: '服务器存储空间已满，本次提交未保存，请 {s} 秒后重试',
  database_error: '服务器数据库出错，本次提交未保存，请稍后重试或联系管理员',
};
const DETAILED = new Set(['forbidden', 'invalid_transition', 'conflict', 'invalid', 'refused', 'bad_body', 'bad_parameter']);

function explain(code, detail, retryAfter) {
  if (lang !== 'zh') return detail;
  const base = ERR_ZH[code]?.replace('{s}', retryAfter || '—');
  if (!base) return DETAILED.has(code) ? `提交内容有误：${detail}` : detail;
  return DETAILED.has(code) ? `${base}：${detail}` : base;
}

async function answer(res) {
  const text = await res.text();
  if (res.status === 204) return null;
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch { /* not JSON: an error page */ }
  if (!res.ok) {
    const e = body?.error;
    const code = e?.code || String(res.status);
    const detail = e?.message || res.statusText || String(res.status);
    throw new ApiError(res.status, code, explain(code, detail, res.headers.get('Retry-After')), detail);
  }
  return body;
}

function headers(method, extra = {}) {
  const hd = { Accept: 'application/json', ...extra };
  if (method !== 'GET' && session.csrf) hd['X-CSRF-Token'] = session.csrf;
  return hd;
}

export async function api(path, { method = 'GET', body } = {}) {
  const init = { method, headers: headers(method, body === undefined ? {} : { 'Content-Type': 'application/json' }), credentials: 'same-origin' };
  if (body !== undefined) init.body = JSON.stringify(body);
  return answer(await fetch(`/api/v1/${path}`, init));
}

// Upload one file as the raw body with its own type; returns the attachment's key.
export async function upload(file) {
  if (file.size > uploadCap()) throw new ApiError(413, 'too_large', `${file.name}: > ${uploadCap() / 1048576} MiB`);
  const res = await fetch('/api/v1/attachments', {
    method: 'POST', body: file, credentials: 'same-origin',
    headers: headers('POST', { 'Content-Type': file.type || 'application/octet-stream' }),
  });
  return (await answer(res)).key;
}

export async function uploadAll(input) {
  const keys = [];
  for (const f of input?.files ?? []) keys.push(await upload(f));
  return keys;
}

export async function loadSession() {
  try {
    const s = await api('session');
    session.user = s?.user ?? null;
    session.csrf = s?.csrf ?? null;
    session.expires = s?.expires ?? null;
  } catch {
    // A server without accounts, or a transient failure: browse as the public.
    session.user = null;
    session.csrf = null;
  }
  return session;
}

export async function login(name, password) {
  const r = await api('login', { method: 'POST', body: { name, password } });
  session.user = r.user;
  session.csrf = r.csrf;
  session.expires = r.expires;
  return r;
}

export async function logout() {
  try { await api('logout', { method: 'POST' }); } finally {
    session.user = null;
    session.csrf = null;
    session.expires = null;
  }
}

export const role = () => session.user?.role ?? 'public';
// Staff who may read the ledger, cases and all monitoring data (AUTH_LEDGER_READ, AUTH_DATA_READ).
export const isStaff = () => ['admin', 'bureau', 'unit', 'auditor'].includes(role());
export const isBureau = () => ['admin', 'bureau'].includes(role());

// The server's clock, not the browser's: the API's "now" (ENVWATCH_NOW pins it for tests
// and demos on historical data), so that the header and every default date agree with what
// the server computes. clock.offset is server minus browser, in ms; synced from
// /api/v1/health (open to everyone, always fresh) at start and every few minutes.
export const clock = { offset: 0, synced: 0 };
const CLOCK_RESYNC_MS = 5 * 60_000;

export async function syncClock(force = false) {
  if (!force && clock.synced && Date.now() - clock.synced < CLOCK_RESYNC_MS) return clock;
  try {
    const ms = Date.parse((await api('health')).time);
    if (Number.isFinite(ms)) { clock.offset = ms - Date.now(); clock.synced = Date.now(); }
  } catch { /* keep the last offset: the header clock is not worth an error */ }
  return clock;
}

// Now in Beijing time as "YYYY-MM-DDThh:mm" (the server's now, as last synced).
export const serverNowBj = () => new Date(Date.now() + clock.offset + 8 * 3600_000).toISOString().slice(0, 16);
