// What the public uses without an account: the report form (随手拍) and following a report by
// its tracking code. The reporter's name and contact go only to the bureau (docs/access.md).
import { api, upload, uploadCap } from './api.js';
import { t } from './i18n.js';
import { esc, h, hm, onSubmit, say, yuan } from './ui.js';

// service/case.h's categories, in its order.
export const CATEGORIES = ['dust', 'open_burning', 'exceedance', 'data_falsification', 'black_odorous_water', 'fireworks', 'scattered_coal', 'other'];
const app = () => document.getElementById('app');

export async function report() {
  const el = h(`<div class="narrow" data-testid="screen-report"><section class="card">
    <div class="card-head"><h2>${t('reportTitle')}</h2></div>
    <p class="muted">${t('reportIntro')}</p>
    <form data-testid="report-form" class="form" novalidate>
      <label>${t('category')} <select name="category" required data-testid="report-category">
        ${CATEGORIES.map((c) => `<option value="${c}">${esc(t(`cat_${c}`))}</option>`).join('')}</select></label>
      <label>${t('photo')} <input type="file" name="photo" accept="image/jpeg,image/png,image/webp" data-testid="report-photo">
        <small class="muted">${t('photoHint')}</small></label>
      <label>${t('location')} <input name="location" required maxlength="200" placeholder="${esc(t('locationHint'))}" data-testid="report-location"></label>
      <div class="row"><button type="button" data-testid="report-geo">${t('useMyLocation')}</button>
        <label>${t('lon')} <input name="lon" type="number" step="any" min="-180" max="180" data-testid="report-lon"></label>
        <label>${t('lat')} <input name="lat" type="number" step="any" min="-90" max="90" data-testid="report-lat"></label></div>
      <label>${t('description')} <textarea name="description" required maxlength="2000" rows="4" data-testid="report-description"></textarea></label>
      <fieldset><legend>${t('contactOptional')}</legend>
        <label>${t('yourName')} <input name="name" maxlength="50" data-testid="report-name"></label>
        <label>${t('contact')} <input name="contact" maxlength="50" data-testid="report-contact"></label>
        <small class="muted">${t('contactWhoSees')}</small></fieldset>
      <p class="error" role="alert" data-testid="report-error" hidden></p>
      <button type="submit" class="primary" data-testid="report-submit">${t('submit')}</button>
    </form>
    <div data-testid="report-done" hidden></div></section></div>`);
  app().replaceChildren(el);
  const form = el.querySelector('form');
  const err = el.querySelector('[data-testid=report-error]');
  const fail = (m) => say(err, m, Boolean(m));
  const photo = form.elements.photo;
  // A phone's photo is often larger than the cap: it is scaled down here, once, when chosen,
  // and a file that is no picture the browser can read is refused before anything is sent.
  let fitted = null;
  photo.addEventListener('change', async () => {
    fitted = null;
    const f = photo.files[0];
    fail('');
    if (!f) return;
    try {
      fitted = fitPhoto(f, uploadCap());
      await fitted;
    } catch (ex) {
      fail(ex.message);
    }
  });
  el.querySelector('[data-testid=report-geo]').addEventListener('click', () => {
    if (!navigator.geolocation) { fail(t('noGeolocation')); return; }
    navigator.geolocation.getCurrentPosition(
      (p) => { form.elements.lon.value = p.coords.longitude.toFixed(6); form.elements.lat.value = p.coords.latitude.toFixed(6); fail(''); },
      () => fail(t('noGeolocation')), { timeout: 10000 });
  });
  onSubmit(form, err, async (f) => {
    if (!f.location.value.trim() || !f.description.value.trim()) throw new Error(t('fillRequired'));
    const file = photo.files[0] ? await (fitted ?? fitPhoto(photo.files[0], uploadCap())) : null;
    const body = { category: f.category.value, location: f.location.value.trim(), description: f.description.value.trim(), attachments: [] };
    if (f.lon.value !== '' && f.lat.value !== '') { body.lon = Number(f.lon.value); body.lat = Number(f.lat.value); }
    if (f.name.value.trim()) body.name = f.name.value.trim();
    if (f.contact.value.trim()) body.contact = f.contact.value.trim();
    if (file) body.attachments.push(await upload(file));
    const r = await api('public/reports', { method: 'POST', body });
    form.hidden = true;
    const done = el.querySelector('[data-testid=report-done]');
    done.hidden = false;
    done.append(h(`<div class="done"><p>${esc(t('reportThanks'))}</p>
      <p class="tracking">${esc(t('trackingCode'))}: <b data-testid="tracking-code">${esc(r.tracking)}</b></p>
      <p class="muted">${esc(t('trackingKeep'))}</p>
      <a href="#/track?code=${encodeURIComponent(r.tracking)}" data-testid="tracking-link">${esc(t('track'))}</a></div>`));
  });
}

// The photo as it will be sent: itself when within cap bytes, else redrawn as a JPEG whose
// longer side is at most 2560, 1920 or 1280 px (the first that fits). Throws the reason in the
// page's words when the file cannot be read as a picture or does not fit even then.
async function fitPhoto(file, cap) {
  if (file.size <= cap) return file;
  let bitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new Error(t('photoUnreadable'));
  }
  let last = 0;
  for (const side of [2560, 1920, 1280]) {
    const k = Math.min(1, side / Math.max(bitmap.width, bitmap.height));
    if (k === last) continue; // a picture already smaller than this step: the same redraw again
    last = k;
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(bitmap.width * k);
    canvas.height = Math.round(bitmap.height * k);
    canvas.getContext('2d').drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise((res) => canvas.toBlob(res, 'image/jpeg', 0.85));
    if (blob && blob.size <= cap) return new File([blob], file.name.replace(/\.[^.]*$/, '') + '.jpg', { type: 'image/jpeg' });
  }
  throw new Error(t('photoTooLarge'));
}

export async function track(arg, query) {
  const code = query.get('code') || '';
  const el = h(`<div class="narrow" data-testid="screen-track"><section class="card">
    <div class="card-head"><h2>${t('track')}</h2></div>
    <form class="row" data-testid="track-form"><label>${t('trackingCode')} <input name="code" value="${esc(code)}" placeholder="XXXX-XXXX-XXXX" data-testid="track-code" autocomplete="off"></label>
      <button type="submit" class="primary" data-testid="track-submit">${t('lookUp')}</button></form>
    <div data-testid="track-result"></div></section></div>`);
  app().replaceChildren(el);
  el.querySelector('form').addEventListener('submit', (e) => {
    e.preventDefault();
    location.hash = `#/track?code=${encodeURIComponent(e.target.elements.code.value.trim())}`;
  });
  if (!code) return;
  const out = el.querySelector('[data-testid=track-result]');
  let r;
  try {
    r = await api(`public/reports/${encodeURIComponent(code)}`);
  } catch (ex) {
    if (ex.status !== 404) throw ex;
    out.append(h(`<p class="error" role="alert" data-testid="track-not-found">${t('trackNotFound')}</p>`));
    return;
  }
  out.append(h(`<div><dl class="fields">
      <dt>${t('trackingCode')}</dt><dd>${esc(r.tracking)}</dd>
      <dt>${t('category')}</dt><dd>${esc(r.category_zh ?? r.category)}</dd>
      <dt>${t('state')}</dt><dd><span class="state state-${esc(r.state)}" data-testid="track-state">${esc(r.state_zh)}</span></dd>
      <dt>${t('created')}</dt><dd>${hm(r.created)}</dd><dt>${t('updatedAt')}</dt><dd>${hm(r.updated)}</dd>
      ${r.closed ? `<dt>${t('closed')}</dt><dd>${hm(r.closed)}</dd>` : ''}
      ${r.joined ? `<dt>${t('sameFire')}</dt><dd data-testid="track-joined">${t('trackJoined')}</dd>` : ''}
      ${r.reward ? `<dt>${t('reward')}</dt><dd><span data-testid="track-reward" data-status="${esc(r.reward.status)}">${esc(t(`reward_${r.reward.status}`))}</span>${r.reward.amount_fen ? ` · <span data-testid="track-reward-amount">${esc(yuan(r.reward.amount_fen))}</span>` : ''}</dd>` : ''}
    </dl>
    <h3>${t('timeline')}</h3>
    <ol class="timeline" data-testid="track-timeline">${(r.timeline || []).map((ev) => `<li><span class="muted">${hm(ev.at)}</span> <b>${esc(t(`act_${ev.action}`))}</b> → ${esc(ev.state_zh)}${ev.note ? ` <span class="note">${esc(ev.note)}</span>` : ''}</li>`).join('')}</ol></div>`));
}
