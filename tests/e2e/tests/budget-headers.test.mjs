// dist/_headers (the file Netlify and Cloudflare Pages read) is the one
// source of the site's headers: the test server sends exactly what it
// declares for every file of the site, compressed or not, and it declares
// DESIGN's policy: the CSP with the static screen's style hash (never
// 'unsafe-inline'), immutable caching for content-hashed files, no-cache
// for the page, the worker and the manifest.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DIST, missingDist } from '../lib.mjs';
import { startServer } from '../server.mjs';

/** Reads _headers on its own terms (not with the server's parser): rules of
 * a path pattern (`*` = anything) and its indented `Name: value` lines. */
function declared(text, urlPath) {
  const out = new Map();
  let applies = false;
  for (const line of text.split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      const re = new RegExp(`^${line.trim().split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
      applies = re.test(urlPath);
    } else if (applies) {
      const [, name, value] = line.trim().match(/^([^:]+):\s*(.*)$/);
      const key = name.toLowerCase();
      out.set(key, out.has(key) ? `${out.get(key)}, ${value}` : value);
    }
  }
  return out;
}

const missing = missingDist() || (existsSync(path.join(DIST, '_headers')) ? null : `${DIST}/_headers is missing: run ./build.sh dist`);
if (missing) {
  test('the built site (dist/) with its _headers is there', () => assert.fail(missing));
} else {
  const text = readFileSync(path.join(DIST, '_headers'), 'utf8');
  const paths = ['/', '/index.html', '/sw.js', '/manifest.webmanifest',
    ...readdirSync(path.join(DIST, 'assets')).map((f) => `/assets/${f}`)];
  const servers = [];
  before(async () => {
    servers.push(await startServer(DIST, 0), await startServer(DIST, 0, { compress: true }));
  });
  after(async () => { for (const s of servers) await s.close(); });

  test('_headers declares the strict CSP with the static screen\'s style hash, and caching per path', () => {
    const html = readFileSync(path.join(DIST, 'index.html'), 'utf8');
    const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]);
    assert.equal(styles.length, 1);
    const hash = createHash('sha256').update(styles[0], 'utf8').digest('base64');
    for (const p of paths) {
      const h = declared(text, p);
      const csp = h.get('content-security-policy');
      assert.ok(csp, `${p}: a CSP`);
      assert.ok(csp.includes(`style-src 'self' 'sha256-${hash}'`), `${p}: ${csp}`);
      assert.match(csp, /default-src 'none'/);
      assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'(;|$)/);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval'(?<!wasm-unsafe-eval')/);
      assert.equal(h.get('x-content-type-options'), 'nosniff');
      assert.equal(h.get('cache-control'), p.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache', p);
    }
  });

  test('the server sends exactly the headers _headers declares, for every file, compressed or not', async () => {
    for (const srv of servers) {
      for (const p of paths) {
        const res = await fetch(new URL(p, srv.url), { headers: { 'accept-encoding': 'br, gzip' } });
        await res.arrayBuffer();
        assert.equal(res.status, 200, p);
        const want = declared(text, p);
        for (const [name, value] of want) assert.equal(res.headers.get(name), value, `${p}: ${name}`);
        // Nothing else of the kind the file decides: no caching or policy header it does not declare.
        for (const name of ['cache-control', 'content-security-policy', 'referrer-policy', 'x-content-type-options']) {
          assert.ok(want.has(name), `${p}: the server sent ${name}, which _headers does not declare`);
        }
      }
    }
  });

  test('the server reads the file: a header changed in _headers is what it sends', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'posdoctor-headers-'));
    try {
      cpSync(DIST, dir, { recursive: true });
      writeFileSync(path.join(dir, '_headers'), text.replace(/^\/sw\.js\n  Cache-Control: no-cache$/m, '/sw.js\n  Cache-Control: no-store'));
      const srv = await startServer(dir, 0);
      try {
        const res = await fetch(new URL('/sw.js', srv.url));
        await res.arrayBuffer();
        assert.equal(res.headers.get('cache-control'), 'no-store');
      } finally {
        await srv.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the headers file itself is not served', async () => {
    assert.equal((await fetch(new URL('/_headers', servers[0].url))).status, 404);
  });
}
