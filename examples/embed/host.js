// The portal side of the embedding protocol (ui-hooks.md "Embedding"):
// - listen for `engagement-dashboard:ready` and `engagement-dashboard:height`, taking
//   messages only from the dashboard's origin AND from our iframe's window;
// - size the iframe to the reported height;
// - send `engagement-dashboard:set-range` to the dashboard, with its exact origin as
//   targetOrigin (never "*": the iframe may have navigated elsewhere);
// - answer `engagement-dashboard:token-request` with a fresh embed token that the
//   portal's backend mints for the signed-in user (POST /token, same origin; see
//   portal-server.mjs), posted to the dashboard's exact origin. The token is kept
//   nowhere: not in storage, not in the DOM, not in the URL.

const params = new URLSearchParams(location.search);
const dashboardUrl = new URL(params.get('dashboard') ?? 'https://dashboard.partner.example/');
// Kiosk mode: the portal drives the range, so the dashboard hides its picker.
if (!dashboardUrl.searchParams.has('kiosk')) dashboardUrl.searchParams.set('kiosk', '1');
const DASHBOARD_ORIGIN = dashboardUrl.origin;

const frame = document.getElementById('dashboard');
const list = document.getElementById('messages');
/** Every accepted message, in order (tests read this). */
const messages = [];

window.addEventListener('message', (event) => {
  if (event.origin !== DASHBOARD_ORIGIN || event.source !== frame.contentWindow) return;
  const m = event.data;
  if (!m || typeof m !== 'object' || typeof m.type !== 'string') return;
  if (m.type === 'engagement-dashboard:token-request') {
    tokenRequests += 1;
    if (window.embedHost.answerTokenRequests) sendToken();
  } else if (m.type === 'engagement-dashboard:ready') {
    frame.dataset.ready = 'true';
  } else if (m.type === 'engagement-dashboard:height') {
    const h = Number(m.height);
    // Bounded, so a misbehaving page cannot make the portal absurdly tall.
    if (Number.isFinite(h) && h > 0) frame.style.height = `${Math.min(Math.ceil(h), 20000)}px`;
  } else {
    return;
  }
  messages.push(m);
  const li = document.createElement('li');
  li.dataset.type = m.type;
  li.textContent = JSON.stringify(m);
  list.append(li);
});

let tokenRequests = 0;

/** Fetch a token from the portal's backend and hand it to the dashboard. */
async function sendToken() {
  let token;
  try {
    const r = await fetch('/token', { method: 'POST', credentials: 'same-origin' });
    // Signed out (or no backend): no answer; the dashboard shows its sign-in error.
    if (!r.ok) return;
    token = (await r.json()).token;
  } catch {
    return;
  }
  if (typeof token === 'string') {
    frame.contentWindow?.postMessage({ type: 'engagement-dashboard:token', token }, DASHBOARD_ORIGIN);
  }
}

/** Ask the dashboard to show a range: `from`/`to` as in its URL (`now-7d`, ISO, epoch ms). */
function setRange(from, to, interval) {
  const msg = { type: 'engagement-dashboard:set-range', from: String(from), to: String(to) };
  if (interval) msg.interval = String(interval);
  frame.contentWindow?.postMessage(msg, DASHBOARD_ORIGIN);
}

const form = document.getElementById('range');
form.addEventListener('submit', (e) => {
  e.preventDefault();
  const f = new FormData(form);
  setRange(f.get('from'), f.get('to'), f.get('interval'));
});
for (const b of form.querySelectorAll('button[data-range]')) {
  b.addEventListener('click', () => setRange(...b.dataset.range.split(',')));
}

window.embedHost = {
  setRange,
  messages,
  dashboardOrigin: DASHBOARD_ORIGIN,
  /** How many token requests the dashboard sent (tests). */
  get tokenRequests() {
    return tokenRequests;
  },
  /** Set false to play a portal that never answers (tests of the sign-in error). */
  answerTokenRequests: true,
};
frame.src = dashboardUrl.href;
