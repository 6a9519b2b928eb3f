// Token minting for the e2e tests: what a portal's backend does (README, "Minting
// tokens"), with node:crypto's Ed25519 and the per-run keys of `relay gen-key`.
import { createPrivateKey, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { requireEnv, withPage } from './helpers.mjs';

const b64 = (v) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

/**
 * An Ed25519 private key from PKCS#8 PEM. `relay gen-key` writes PKCS#8 v2 (the
 * public key included), which this Node's OpenSSL does not read: take the 32-byte
 * seed (after `04 22 04 20`) and wrap it as PKCS#8 v1.
 */
function ed25519Key(pem) {
  try {
    return createPrivateKey(pem);
  } catch {
    const der = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
    const at = der.indexOf(Buffer.from([0x04, 0x22, 0x04, 0x20]));
    if (at < 0) throw new Error('not an Ed25519 PKCS#8 key');
    const seed = der.subarray(at + 4, at + 36);
    const v1 = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
    return createPrivateKey({ key: v1, format: 'der', type: 'pkcs8' });
  }
}

const keys = new Map();
function privateKey(tenant) {
  if (!keys.has(tenant)) {
    const pem = readFileSync(path.join(requireEnv('AUTH_KEYS_DIR'), `${tenant}.pem`), 'utf8');
    keys.set(tenant, ed25519Key(pem));
  }
  return keys.get(tenant);
}

/**
 * A signed embed token. `lifetime` in seconds; `age` moves iat (and exp) into the
 * past, so `age > lifetime + 60` gives a token the relay refuses as expired.
 */
export function mint({
  tenant = 'acme', sub = 'ann', name, scope = 'counts messages', teams, lifetime = 600, age = 0, kid = 'k1',
} = {}) {
  const now = Math.floor(Date.now() / 1000) - age;
  const claims = {
    tid: tenant, iss: `https://portal.${tenant}.test`, aud: 'engagement-dashboard', sub,
    iat: now, exp: now + lifetime, scope,
  };
  if (teams) claims.teams = teams;
  if (name) claims.name = name;
  const input = `${b64({ alg: 'EdDSA', typ: 'JWT', kid })}.${b64(claims)}`;
  return `${input}.${sign(null, Buffer.from(input), privateKey(tenant)).toString('base64url')}`;
}

/** The portal page embedding the token-auth dashboard with `params`. */
export function portalUrl(params = {}) {
  const d = new URL(`${requireEnv('AUTH_DASHBOARD_URL')}/`);
  for (const [k, v] of Object.entries(params)) d.searchParams.set(k, String(v));
  const u = new URL(`${requireEnv('PORTAL_URL')}/`);
  u.searchParams.set('dashboard', d.href);
  return u.href;
}

/** The dashboard's frame inside the portal page. */
export async function dashboardFrame(page) {
  const origin = new URL(requireEnv('AUTH_DASHBOARD_URL')).origin;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const f = page.frames().find((fr) => fr.url().startsWith(origin));
    if (f) return f;
    if (Date.now() > deadline) throw new Error('the dashboard frame never appeared');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Opens the portal in a fresh context whose backend answers token requests with
 * `tokens()` (called once per request; return null to stay silent). Records every
 * relay request's Authorization header and every relay response status.
 */
export async function withPortal(t, browser, { params = {}, tokens }, fn) {
  const relay = requireEnv('RELAY_URL');
  return withPage(t, browser, 'about:blank', async (ctx) => {
    const { page } = ctx;
    const calls = [];
    page.on('request', (r) => {
      if (r.url().startsWith(relay) && r.method() !== 'OPTIONS') {
        calls.push({ url: r.url(), method: r.method(), auth: r.headers().authorization ?? null, status: null });
      }
    });
    page.on('response', (r) => {
      const req = r.request();
      if (!req.url().startsWith(relay) || req.method() === 'OPTIONS') return;
      const c = calls.find((x) => x.url === req.url() && x.status === null && x.auth === (req.headers().authorization ?? null));
      if (c) c.status = r.status();
    });
    let minted = 0;
    await page.exposeFunction('mintToken', () => {
      minted += 1;
      return tokens(minted);
    });
    await page.goto(portalUrl(params), { waitUntil: 'load' });
    const frame = await dashboardFrame(page);
    return fn({ ...ctx, frame, calls, minted: () => minted });
  });
}

/** Everything a page's origin keeps: web storage, IndexedDB, cookies, URL and DOM. */
export async function everythingStored(frame) {
  return frame.evaluate(async () => {
    const out = [location.href, document.cookie, document.documentElement.outerHTML];
    for (const s of [localStorage, sessionStorage]) {
      for (let i = 0; i < s.length; i += 1) out.push(`${s.key(i)}=${s.getItem(s.key(i))}`);
    }
    for (const info of await indexedDB.databases()) {
      const db = await new Promise((res, rej) => {
        const r = indexedDB.open(info.name);
        r.onsuccess = () => res(r.result);
        r.onerror = () => rej(r.error);
      });
      for (const store of db.objectStoreNames) {
        const all = await new Promise((res) => {
          const r = db.transaction(store).objectStore(store).getAll();
          r.onsuccess = () => res(r.result);
          r.onerror = () => res([]);
        });
        out.push(JSON.stringify(all));
      }
      db.close();
    }
    return out;
  });
}

/** The `source` of every count cached in IndexedDB (the fact store's records are JSON strings). */
export function factSources(stored) {
  const out = [];
  for (const s of stored) {
    if (!s.startsWith('[')) continue;
    let list;
    try { list = JSON.parse(s); } catch { continue; }
    for (const r of list) {
      try {
        const rec = typeof r === 'string' ? JSON.parse(r) : r;
        if (rec && typeof rec.source === 'string' && 'endpoint' in rec) out.push(rec.source);
      } catch { /* not a fact */ }
    }
  }
  return out;
}

/** Waits (up to 5 s) until counts of `tenant` are in IndexedDB; returns everythingStored(). */
export async function storedAfterSave(frame, tenant) {
  // Until the tenant's counts are there and two reads in a row agree (a write
  // may still be under way when the first one lands).
  let stored = [];
  let last = null;
  for (let i = 0; i < 50; i += 1) {
    stored = await everythingStored(frame);
    const now = JSON.stringify(stored);
    if (now === last && factSources(stored).some((s) => s.endsWith(`|tid=${tenant}`))) break;
    last = now;
    await new Promise((r) => setTimeout(r, 100));
  }
  return stored;
}
