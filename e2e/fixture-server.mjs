// A tiny static server for the asset self-test (tests/assets.test.mjs): serves ../assets and fixtures/ with a
// strict Content-Security-Policy, and stubs the few endpoints session.js talks to. Not the app.
// SPDX-License-Identifier: EUPL-1.2

import { createServer } from 'node:http';
import { readFile, readdir } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { E2E_DIR, REPO_ROOT } from './lib.mjs';

const ASSETS = resolve(REPO_ROOT, 'assets');
const FIXTURES = resolve(E2E_DIR, 'fixtures');
const TYPES = { '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.html': 'text/html; charset=utf-8' };
export const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'";

/** The directory of a vendored package, for example utrecht-component-library-css-9.0.4 (exactly one expected). */
export async function vendorDir(prefix) {
  const dirs = (await readdir(resolve(ASSETS, 'vendor'))).filter((d) => d.startsWith(`${prefix}-`));
  if (dirs.length !== 1) throw new Error(`expected one assets/vendor/${prefix}-<version>/, found ${JSON.stringify(dirs)}`);
  return dirs[0];
}

/** Start the server on a free loopback port. Resolves to { url, requests, close }. */
export async function startFixtureServer() {
  const utrecht = await vendorDir('utrecht-component-library-css');
  const htmx = await vendorDir('htmx.org');
  const requests = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', async () => {
      const url = new URL(req.url, 'http://fixture');
      requests.push({ method: req.method, path: url.pathname, search: url.search, body, headers: req.headers });
      const send = (status, headers, content = '') => {
        res.writeHead(status, { 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff', ...headers });
        res.end(content);
      };
      try {
        if (req.method === 'POST' && url.pathname === '/session/extend') {
          return send(new URLSearchParams(body).get('csrf_token') === 'fixture-token' ? 204 : 403, {});
        }
        if (req.method === 'POST' && url.pathname === '/logout') return send(303, { Location: '/login' });
        if (url.pathname === '/favicon.ico') return send(204, {});
        let file;
        if (url.pathname === '/login') file = join(FIXTURES, 'login.html');
        else if (url.pathname === '/caseload' || url.pathname === '/') file = join(FIXTURES, 'shell.html');
        else if (url.pathname.startsWith('/assets/')) {
          const rel = url.pathname
            .slice('/assets/'.length)
            .replace(/^vendor\/utrecht-component-library-css\//, `vendor/${utrecht}/`)
            .replace(/^vendor\/htmx\.org\//, `vendor/${htmx}/`);
          file = normalize(join(ASSETS, rel));
          if (!file.startsWith(ASSETS)) return send(403, {});
        } else return send(404, { 'Content-Type': 'text/plain' }, 'not found');
        const content = await readFile(file);
        return send(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' }, content);
      } catch {
        return send(404, { 'Content-Type': 'text/plain' }, 'not found');
      }
    });
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((ok) => server.close(ok)),
  };
}
