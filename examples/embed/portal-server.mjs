// The example portal's backend: serves this folder (the portal page that embeds
// the dashboard) and mints embed tokens for the portal's signed-in user.
//
// This is what a partner's own backend does, in ~40 lines of Node with no
// dependencies: sign a short-lived JWT (Ed25519, a `kid` naming the key so keys
// can be rotated) for the user of the current session, and hand it to the page.
// The private key stays here; the relay holds only the public key.
//
//   PORTAL_KEY_FILE=ed25519.pem PORTAL_KID=2026-11 PORTAL_TENANT=acme \
//   PORTAL_ISSUER=https://portal.acme.example node examples/embed/portal-server.mjs
//
// Env: PORTAL_ADDR (default 127.0.0.1:8090), PORTAL_KEY_FILE (PKCS#8 PEM),
// PORTAL_KID, PORTAL_TENANT, PORTAL_ISSUER, PORTAL_AUDIENCE (default
// engagement-dashboard), PORTAL_SCOPE (default "counts messages views"),
// PORTAL_TTL_SECS (default 600), PORTAL_USER / PORTAL_USER_NAME / PORTAL_TEAMS
// (the demo user; a real portal takes these from its session).
//
// Tests import { mintToken } to sign tokens the same way.

import { createPrivateKey, sign } from 'node:crypto';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const b64url = (buf) => Buffer.from(buf).toString('base64url');

/**
 * A signed embed token (compact JWS, EdDSA) for one user.
 * @param {{ privateKeyPem: string, kid: string, tid: string, iss: string, sub: string,
 *           aud?: string, scope?: string, ttlSecs?: number, teams?: string[], name?: string,
 *           now?: number }} o
 */
export function mintToken(o) {
  const now = o.now ?? Math.floor(Date.now() / 1000);
  const header = { alg: 'EdDSA', typ: 'JWT', kid: o.kid };
  const claims = {
    tid: o.tid,
    iss: o.iss,
    aud: o.aud ?? 'engagement-dashboard',
    sub: o.sub,
    scope: o.scope ?? 'counts messages views',
    iat: now,
    exp: now + (o.ttlSecs ?? 600),
  };
  if (o.teams?.length) claims.teams = o.teams;
  if (o.name) claims.name = o.name;
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  // Ed25519 takes no separate hash: the algorithm argument is null.
  const signature = sign(null, Buffer.from(input), createPrivateKey(o.privateKeyPem));
  return `${input}.${b64url(signature)}`;
}

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css' };

/** Start the portal; resolves to its base URL once listening. */
export async function startPortal(env = process.env) {
  const root = dirname(fileURLToPath(import.meta.url));
  const privateKeyPem = await readFile(env.PORTAL_KEY_FILE, 'utf8');
  const [host, port] = (env.PORTAL_ADDR ?? '127.0.0.1:8090').split(':');
  const user = {
    sub: env.PORTAL_USER ?? 'dev-user',
    name: env.PORTAL_USER_NAME ?? 'Dev User',
    teams: (env.PORTAL_TEAMS ?? 'support').split(',').filter(Boolean),
  };
  const server = createServer(async (req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    const noStore = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };
    if (path === '/token') {
      // Same-origin only (no CORS headers): the portal's own page asks for it.
      // A real portal checks its session here and answers 401 when signed out.
      if (req.method !== 'POST') {
        res.writeHead(405, { allow: 'POST', ...noStore }).end();
        return;
      }
      const token = mintToken({
        privateKeyPem,
        kid: env.PORTAL_KID,
        tid: env.PORTAL_TENANT,
        iss: env.PORTAL_ISSUER,
        aud: env.PORTAL_AUDIENCE,
        scope: env.PORTAL_SCOPE,
        ttlSecs: Number(env.PORTAL_TTL_SECS ?? 600),
        ...user,
      });
      res.writeHead(200, { 'content-type': 'application/json', ...noStore }).end(JSON.stringify({ token }));
      return;
    }
    const file = path === '/' ? 'index.html' : path.slice(1);
    if (!/^[a-z-]+\.(html|js|css)$/.test(file) || file === 'portal-server.mjs') {
      res.writeHead(404, noStore).end('not found');
      return;
    }
    try {
      const body = await readFile(join(root, file));
      res.writeHead(200, { 'content-type': TYPES[extname(file)], ...noStore }).end(body);
    } catch {
      res.writeHead(404, noStore).end('not found');
    }
  });
  await new Promise((ok) => server.listen(Number(port), host, ok));
  const a = server.address();
  return { url: `http://${a.address}:${a.port}`, close: () => server.close() };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { url } = await startPortal();
  // Scripts parse this exact line.
  console.log(`portal listening on ${url}`);
}
