// Tumen's dashboard: the pages of one dataset, drawn from the server's API.
// Maps, timelines and reports are the ones the report crate draws (served
// as SVG and HTML); this script fetches them with the token, places them,
// lets the maps pan and zoom, lists events, chains and alerts, and follows
// the live alert stream. No library, nothing fetched from elsewhere.
'use strict';

const TOKEN_KEY = 'tumen-token';
const page = document.getElementById('page');

// ---- the token -------------------------------------------------------------

// `tumen serve` prints a link with the token in the fragment (never sent to
// any server); keep it for this tab and take it out of the address bar.
(function takeTokenFromLink() {
  const m = location.hash.match(/^#token=([A-Za-z0-9_-]{16,})$/);
  if (m) {
    sessionStorage.setItem(TOKEN_KEY, m[1]);
    history.replaceState(null, '', location.pathname + location.search);
  }
})();

function token() {
  return sessionStorage.getItem(TOKEN_KEY) || '';
}

function showSignIn(message) {
  const box = document.getElementById('sign-in');
  box.hidden = false;
  page.hidden = true;
  document.getElementById('sign-in-error').textContent = message || '';
}

document.querySelector('#sign-in form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, ev.target.token.value.trim());
  document.getElementById('sign-in').hidden = true;
  page.hidden = false;
  route();
  followAlerts();
});

class Unauthorised extends Error {}

// GETs an API path with the token: JSON, or text (`as: 'text'`).
async function api(path, as = 'json') {
  const response = await fetch(path, { headers: { Authorization: 'Bearer ' + token() } });
  if (response.status === 401) {
    showSignIn(token() ? 'That token was refused.' : '');
    throw new Unauthorised('sign in');
  }
  if (!response.ok) {
    const body = await response.json().catch(() => ({ error: response.statusText }));
    throw new Error(body.error || response.statusText);
  }
  return as === 'json' ? response.json() : response.text();
}

// ---- building the page -------------------------------------------------------

// An element with attributes and children (strings become text: data from
// the API never becomes markup).
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null) node.setAttribute(name, value);
  }
  for (const child of children.flat()) {
    if (child !== undefined && child !== null) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function link(href, text, attributes = {}) {
  return el('a', { href, 'data-route': '', ...attributes }, text);
}

// An SVG drawn by the server, placed with pan and zoom when it is a map.
function placeSvg(container, text) {
  const parsed = new DOMParser().parseFromString(text, 'image/svg+xml');
  const svg = document.importNode(parsed.documentElement, true);
  container.replaceChildren(svg);
  if (svg.classList.contains('map')) panZoom(svg);
  return svg;
}

function failed(container, error) {
  if (error instanceof Unauthorised) return;
  container.replaceChildren(el('p', { class: 'error' }, String(error.message || error)));
}

// ---- pan and zoom --------------------------------------------------------------

// Wheel or the buttons zoom (about the pointer), dragging pans, a double
// click (or ⟲) goes back to the whole map. Works on the SVG's viewBox, so
// the drawing stays vector-sharp at every zoom.
function panZoom(svg) {
  const home = svg.getAttribute('viewBox').split(/[\s,]+/).map(Number);
  let [x, y, w, h] = home;
  const apply = () => svg.setAttribute('viewBox', `${x} ${y} ${w} ${h}`);
  const zoom = (factor, fx = 0.5, fy = 0.5) => {
    const nw = Math.min(home[2], Math.max(home[2] / 64, w * factor));
    const nh = (nw * h) / w;
    x += (w - nw) * fx;
    y += (h - nh) * fy;
    w = nw;
    h = nh;
    x = Math.min(Math.max(x, home[0] - w / 2), home[0] + home[2] - w / 2);
    y = Math.min(Math.max(y, home[1] - h / 2), home[1] + home[3] - h / 2);
    apply();
  };
  svg.addEventListener('wheel', (ev) => {
    ev.preventDefault();
    const box = svg.getBoundingClientRect();
    zoom(Math.exp(ev.deltaY * 0.0015), (ev.clientX - box.left) / box.width, (ev.clientY - box.top) / box.height);
  }, { passive: false });
  let drag = null;
  svg.addEventListener('pointerdown', (ev) => {
    if (ev.button !== 0 || ev.target.closest('a')) return;
    drag = { x: ev.clientX, y: ev.clientY, vx: x, vy: y };
    svg.setPointerCapture(ev.pointerId);
    svg.classList.add('dragging');
  });
  svg.addEventListener('pointermove', (ev) => {
    if (!drag) return;
    const box = svg.getBoundingClientRect();
    x = drag.vx - ((ev.clientX - drag.x) * w) / box.width;
    y = drag.vy - ((ev.clientY - drag.y) * h) / box.height;
    apply();
  });
  const stop = () => { drag = null; svg.classList.remove('dragging'); };
  svg.addEventListener('pointerup', stop);
  svg.addEventListener('pointercancel', stop);
  const reset = () => { [x, y, w, h] = home; apply(); };
  svg.addEventListener('dblclick', reset);
  const wrapper = el('div', { class: 'zoomable' });
  svg.replaceWith(wrapper);
  const button = (label, title, action) => {
    const b = el('button', { type: 'button', title, 'aria-label': title }, label);
    b.addEventListener('click', action);
    return b;
  };
  wrapper.append(svg, el('div', { class: 'zoom-buttons' },
    button('+', 'zoom in', () => zoom(0.5)),
    button('−', 'zoom out', () => zoom(2)),
    button('⟲', 'whole map', reset)));
}

// ---- routes ------------------------------------------------------------------------

document.addEventListener('click', (ev) => {
  const a = ev.target.closest('a[data-route]');
  if (!a || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.button !== 0) return;
  ev.preventDefault();
  history.pushState(null, '', a.getAttribute('href'));
  route();
});
window.addEventListener('popstate', route);

function route() {
  const path = location.pathname;
  let m;
  window.scrollTo(0, 0);
  if ((m = path.match(/^\/ui\/chains\/([A-Za-z0-9_-]+)$/))) return reportPage('chain', m[1]);
  if ((m = path.match(/^\/ui\/vessels\/(\d{1,9})$/))) return reportPage('vessel', m[1]);
  if (path === '/ui/vessels') return vesselSearchPage(new URLSearchParams(location.search).get('q') || '');
  return overview();
}

// ---- the overview ---------------------------------------------------------------------

const FILTERS = ['kind', 'place', 'mmsi', 'from', 'to'];

async function overview() {
  document.title = 'Tumen — overview';
  const chosen = new URLSearchParams(location.search);
  const form = el('form', { class: 'filters', id: 'filters' });
  const kind = el('select', { name: 'kind' }, el('option', { value: '' }, 'every kind'));
  const place = el('select', { name: 'place' }, el('option', { value: '' }, 'anywhere'));
  form.append(
    el('label', {}, 'Kind', kind),
    el('label', {}, 'Place', place),
    el('label', {}, 'MMSI', el('input', { name: 'mmsi', inputmode: 'numeric', size: 11, value: chosen.get('mmsi') || '' })),
    el('label', {}, 'From', el('input', { name: 'from', type: 'date', value: chosen.get('from') || '' })),
    el('label', {}, 'To', el('input', { name: 'to', type: 'date', value: chosen.get('to') || '' })),
    el('button', {}, 'Show'));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const query = new URLSearchParams();
    for (const name of FILTERS) {
      const value = form.elements[name].value.trim();
      if (value) query.set(name, value);
    }
    history.pushState(null, '', '/' + (query.toString() ? '?' + query : ''));
    route();
  });
  const map = el('div', { id: 'overview-map' }, el('p', { class: 'muted' }, 'Drawing the map…'));
  const timeline = el('div', { id: 'overview-timeline' });
  const events = el('div', { class: 'events-table', id: 'events' });
  const chains = el('div', { id: 'chains' });
  const alerts = el('ul', { id: 'alerts' });
  page.replaceChildren(
    el('h1', {}, 'Overview'),
    form,
    el('div', { class: 'grid' },
      el('div', {},
        el('section', { class: 'panel' }, el('h2', {}, 'Map'), map,
          el('p', { class: 'note' }, 'Scroll or use + and − to zoom, drag to pan, double-click for the whole map. Click a mark for its row below.')),
        el('section', { class: 'panel' }, el('h2', {}, 'Timeline'), timeline),
        el('section', { class: 'panel' }, el('h2', {}, 'Events'), events)),
      el('div', {},
        el('section', { class: 'panel' }, el('h2', {}, 'Suspected shipments'), chains),
        el('section', { class: 'panel' }, el('h2', {}, 'Alerts'), alerts))));

  const query = new URLSearchParams();
  for (const name of FILTERS) if (chosen.get(name)) query.set(name, chosen.get(name));
  const shown = new URLSearchParams(query);
  shown.set('limit', '2000');
  // The filter's choices.
  api('/api/openapi.json').then((doc) => {
    const kinds = doc.paths['/api/events'].get.parameters.find((p) => p.name === 'kind').schema.enum || [];
    for (const k of kinds) kind.append(el('option', { value: k }, k.replaceAll('_', ' ')));
    kind.value = chosen.get('kind') || '';
  }).catch(() => {});
  const placesRead = api('/api/places').then((places) => places.features.map((f) => f.properties)).catch(() => []);
  placesRead.then((places) => {
    const sorted = [...places].sort((a, b) => a.name.localeCompare(b.name));
    for (const p of sorted) place.append(el('option', { value: p.id }, p.name));
    place.value = chosen.get('place') || '';
  });
  api('/api/events/map.svg?' + shown, 'text').then((svg) => placeSvg(map, svg)).catch((e) => failed(map, e));
  api('/api/events/timeline.svg?' + shown, 'text').then((svg) => placeSvg(timeline, svg)).catch((e) => failed(timeline, e));
  api('/api/events?' + shown).then((list) => eventsTable(events, list)).catch((e) => failed(events, e));
  Promise.all([api('/api/chains'), placesRead])
    .then(([list, places]) => chainsList(chains, list, new Map(places.map((p) => [p.id, p.name]))))
    .catch((e) => failed(chains, e));
  api('/api/alerts').then((list) => {
    alertsShown = alerts;
    for (const a of list.slice(-100)) alerts.prepend(alertItem(a, false));
    if (!list.length) alerts.append(el('li', { class: 'muted none' }, 'No alerts yet. New ones appear here as they are raised.'));
  }).catch((e) => failed(alerts, e));
}

function vesselLinks(mmsis) {
  const links = (mmsis || []).flatMap((m, i) => [i ? ', ' : '', link(`/ui/vessels/${m}`, String(m), { class: 'vessel', 'data-mmsi': String(m) })]);
  queueMicrotask(nameVessels);
  return links;
}

// Vessel links show the MMSI at once and the broadcast name when it is
// known: each vessel's identity is asked for once per page load, for at
// most NAMES_ASKED vessels (a filter can list thousands).
const NAMES_ASKED = 80;
const vesselNames = new Map();
function nameVessels() {
  const unnamed = [...document.querySelectorAll('a.vessel[data-mmsi]:not([data-named])')];
  for (const a of unnamed) {
    const mmsi = a.dataset.mmsi;
    if (!vesselNames.has(mmsi)) {
      if (vesselNames.size >= NAMES_ASKED) continue;
      vesselNames.set(mmsi, api(`/api/vessels/${mmsi}`).then((v) => {
        const names = (v.identity || []).filter((s) => s.field === 'name');
        return names.length ? names[names.length - 1].value : null;
      }).catch(() => null));
    }
    a.dataset.named = 'asked';
    vesselNames.get(mmsi).then((name) => { if (name) a.textContent = `${mmsi} ${name}`; });
  }
}

function eventsTable(container, list) {
  if (!list.length) {
    container.replaceChildren(el('p', { class: 'muted' }, 'No events match.'));
    return;
  }
  const rows = list.map((e) => el('tr', { id: e.id },
    el('td', {}, e.start.replace('T', ' ').replace('Z', '')),
    el('td', {}, e.kind.replaceAll('_', ' ')),
    el('td', {}, vesselLinks(e.mmsis)),
    el('td', {}, e.place || ''),
    el('td', {}, e.confidence ?? ''),
    el('td', {}, el('code', {}, e.id))));
  container.replaceChildren(el('p', { class: 'muted' }, `${list.length} events${list.length >= 2000 ? ' (the first 2000: narrow the filter)' : ''}`),
    el('table', {}, el('tr', {}, ['Start (UTC)', 'Kind', 'Vessels', 'Place', 'Confidence', 'Event'].map((h) => el('th', {}, h))), rows));
}

function chainsList(container, list, placeNames) {
  const name = (id) => placeNames.get(id) || id;
  if (!list.length) {
    container.replaceChildren(el('p', { class: 'muted' }, 'No chains: `tumen run` links them.'));
    return;
  }
  const sorted = [...list].sort((a, b) => b.confidence - a.confidence);
  container.replaceChildren(el('table', {},
    el('tr', {}, el('th', {}, 'Confidence'), el('th', {}, 'From → to'), el('th', {}, 'Vessels')),
    sorted.map((c) => el('tr', {},
      el('td', {}, c.confidence.toFixed(2)),
      el('td', {}, link(`/ui/chains/${c.id}`, `${name(c.origin)} → ${name(c.destination)}`, { class: 'chain' }),
        el('div', { class: 'muted' }, `${c.loading_from.slice(0, 10)} – ${c.landing_to.slice(0, 10)}`)),
      el('td', {}, vesselLinks(c.vessels))))));
}

// ---- alerts ----------------------------------------------------------------------------

let alertsShown = null;

function alertItem(a, fresh) {
  // An alert on a chain opens the chain; one on an event names it.
  const subject = !a.subject ? ''
    : a.subject.startsWith('chain-') ? link(`/ui/chains/${a.subject}`, 'the suspected shipment', { class: 'chain' })
    : el('code', {}, a.subject);
  return el('li', { class: fresh ? 'fresh' : '' },
    el('div', { class: 'when' }, `${a.time} · ${a.rule}`),
    el('div', {}, a.message || a.when),
    el('div', {}, vesselLinks(a.mmsis), a.mmsis && a.mmsis.length && subject ? ' · ' : '', subject));
}

// Follows /api/alerts/stream for as long as the page is open (fetch, not
// EventSource, so the token travels in a header), resuming after the last
// event seen when the connection drops.
let following = false;
async function followAlerts() {
  if (following || !token()) return;
  following = true;
  const live = document.getElementById('live');
  let lastId = null;
  for (;;) {
    try {
      const headers = { Authorization: 'Bearer ' + token() };
      if (lastId) headers['Last-Event-ID'] = lastId;
      const response = await fetch('/api/alerts/stream', { headers });
      if (response.status === 401) { following = false; live.textContent = 'alerts: sign in'; return; }
      if (!response.ok) throw new Error(response.statusText);
      live.textContent = 'alerts: live';
      live.classList.add('on');
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = { data: [] };
          for (const line of block.split('\n')) {
            const colon = line.indexOf(':');
            if (colon <= 0) continue;
            const field = line.slice(0, colon);
            const text = line.slice(colon + 1).replace(/^ /, '');
            if (field === 'data') event.data.push(text);
            else event[field] = text;
          }
          if (event.event === 'alert' && event.data.length) {
            lastId = event.id || lastId;
            const alert = JSON.parse(event.data.join('\n'));
            if (alertsShown && document.contains(alertsShown)) {
              alertsShown.querySelector('.none')?.remove();
              alertsShown.prepend(alertItem(alert, true));
            }
            live.textContent = `alerts: live · last ${alert.time}`;
          }
        }
      }
    } catch (e) {
      // Dropped: try again shortly, from the last event seen.
    }
    live.textContent = 'alerts: reconnecting…';
    live.classList.remove('on');
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

// ---- a chain's or a vessel's page: its report ------------------------------------------

async function reportPage(kind, id) {
  document.title = `Tumen — ${kind} ${id}`;
  const body = el('div', { id: 'report' }, el('p', { class: 'muted' }, 'Reading the dataset…'));
  const download = el('button', { type: 'button' }, 'Save the report (HTML)');
  page.replaceChildren(el('div', { class: 'toolbar' }, link('/', '← Overview'), download), body);
  const path = kind === 'chain' ? `/api/chains/${id}/report` : `/api/vessels/${id}/report`;
  try {
    const html = await api(path, 'text');
    const report = new DOMParser().parseFromString(html, 'text/html');
    const main = report.querySelector('main');
    body.replaceChildren(...[...main.childNodes].map((n) => document.importNode(n, true)));
    document.title = 'Tumen — ' + (report.title || id);
    for (const svg of body.querySelectorAll('svg.map')) panZoom(svg);
    download.addEventListener('click', () => {
      const a = el('a', { href: URL.createObjectURL(new Blob([html], { type: 'text/html' })), download: `${id}.html` });
      document.body.append(a);
      a.click();
      a.remove();
    });
    // Each vessel's heading opens the vessel's own page.
    for (const heading of body.querySelectorAll('#vessels h3')) {
      const m = heading.textContent.match(/^(\d{9})\b/);
      if (m && kind === 'chain') heading.replaceChildren(link(`/ui/vessels/${m[1]}`, heading.textContent, { class: 'vessel' }));
    }
  } catch (e) {
    failed(body, e);
  }
}

// ---- vessel search ------------------------------------------------------------------------

document.getElementById('vessel-search').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const q = ev.target.q.value.trim();
  if (!q) return;
  history.pushState(null, '', '/ui/vessels?q=' + encodeURIComponent(q));
  route();
});

async function vesselSearchPage(q) {
  document.title = 'Tumen — vessels';
  const results = el('div', {}, el('p', { class: 'muted' }, 'Searching…'));
  page.replaceChildren(el('h1', {}, `Vessels matching “${q}”`), results);
  const query = /^\d{9}$/.test(q) ? `mmsi=${q}` : /^(IMO)?\d{7}$/i.test(q) ? `imo=${q.replace(/^IMO/i, '')}` : `q=${encodeURIComponent(q)}`;
  try {
    const list = await api('/api/vessels?limit=200&' + query);
    if (!list.length) {
      results.replaceChildren(el('p', { class: 'muted' }, 'No vessel broadcast that.'));
      return;
    }
    const last = (v, field) => v.identity.filter((s) => s.field === field).map((s) => s.value).pop() || '';
    results.replaceChildren(el('table', {},
      el('tr', {}, ['MMSI', 'Name', 'IMO', 'Call sign', 'Flag (MID)'].map((h) => el('th', {}, h))),
      list.map((v) => el('tr', {},
        el('td', {}, link(`/ui/vessels/${v.mmsi}`, String(v.mmsi), { class: 'vessel' })),
        el('td', {}, last(v, 'name')),
        el('td', {}, last(v, 'imo')),
        el('td', {}, last(v, 'call_sign')),
        el('td', {}, v.flag_name || '')))));
  } catch (e) {
    failed(results, e);
  }
}

// ---- start ------------------------------------------------------------------------------------

if (token()) {
  route();
  followAlerts();
} else {
  showSignIn();
}
