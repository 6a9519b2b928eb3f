// The portal side of the token handshake (README "Embedding with tokens"):
// answer the dashboard's `engagement-dashboard:token-request` with a fresh token
// from the portal's backend, only to the dashboard's own origin and window.
// Here the backend is `window.mintToken()`, which the test exposes (it signs with
// the tenant's private key); `window.portal` counts what happened, for the test.
const params = new URLSearchParams(location.search);
const dashboardUrl = new URL(params.get('dashboard'));
const DASHBOARD_ORIGIN = dashboardUrl.origin;
const frame = document.getElementById('dashboard');

window.portal = { requests: 0, answered: 0 };

window.addEventListener('message', async (event) => {
  if (event.origin !== DASHBOARD_ORIGIN || event.source !== frame.contentWindow) return;
  const m = event.data;
  if (!m || typeof m !== 'object' || m.type !== 'engagement-dashboard:token-request') return;
  window.portal.requests += 1;
  if (typeof window.mintToken !== 'function') return;
  const token = await window.mintToken();
  if (!token) return; // a silent portal
  window.portal.answered += 1;
  frame.contentWindow.postMessage({ type: 'engagement-dashboard:token', token }, DASHBOARD_ORIGIN);
});

frame.src = dashboardUrl.href;
