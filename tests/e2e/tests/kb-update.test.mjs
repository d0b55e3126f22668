// A provider's knowledge base (kb-url) under the service worker: a corrected
// file reaches a returning merchant on their next online visit, and after
// the FIRST online visit an offline reload still uses the provider's
// knowledge base (not the built-in one, no kb-fallback notice), from the
// same origin or from another one that allows CORS.
//
// The provider's page sits next to index.html (the worker's scope) and opts
// in to the worker, as docs/EMBED.md describes. Each knowledge base marks
// every cause name, so the page shows which one it runs.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request as httpRequest } from 'node:http';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { missingDist, launch, serve, openContext, ready, hostPage, repoKb, allProblems, DIST } from '../lib.mjs';

/** Waits until a service worker controls the page. */
async function controlled(page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
    }
  });
}

/** The repo's knowledge base with `mark` after its title and every chip's
 * label, as a provider's own (corrected) file would differ from the
 * built-in one. (Not the cause names: no cause is shown before the
 * merchant has said or done anything.) */
function kbMarked(mark) {
  const kb = repoKb();
  kb.version = `${kb.version}-${mark}`;
  for (const texts of [kb.title, ...kb.observations.map((o) => o.text)]) {
    for (const lang of Object.keys(texts)) texts[lang] = `${texts[lang]} ${mark}`;
  }
  return JSON.stringify(kb);
}

/** A provider's page next to index.html: the widget with `kbUrl`, and the
 * service worker switched on. */
function providerPage(kbUrl) {
  const html = hostPage({ 'kb-url': kbUrl, lang: 'zh-CN' });
  assert.match(html, /<meta charset="utf-8">/);
  return html.replace('<meta charset="utf-8">', '<meta charset="utf-8">\n<meta name="posdoctor-sw" content="on">');
}

/** The title and the chip labels the page shows (the chips only while the
 * say-what-you-know screen is up). */
async function causeNames(page) {
  return [...await page.locator('h1').allTextContents(), ...await page.locator('[data-observation] .pd-chip-text').allTextContents()];
}

/** Asserts the page runs the knowledge base marked `mark` (every cause
 * name carries it) and says nothing about a fallback. */
async function assertRuns(page, mark, when) {
  const names = await causeNames(page);
  assert.ok(names.length > 0, `${when}: no title shown`);
  const unmarked = names.filter((n) => !n.endsWith(` ${mark}`));
  assert.deepEqual(unmarked, [], `${when}: texts not from the provider's knowledge base ${mark} (built-in, or another version)`);
  assert.equal(await page.locator('[data-notice="kb-fallback"]').count(), 0, `${when}: the kb-fallback notice shows`);
}

/** Polls `check` in the page (an async function of `arg`) until it is true
 * or `ms` have passed; says whether it became true. */
async function eventually(page, check, arg, ms) {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await page.evaluate(check, arg)) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Waits (up to `ms`) until `url` is in one of the page's caches, i.e. the
 * worker kept it; goes on either way (the assertions after say what broke). */
async function kept(page, url, ms = 15000) {
  await eventually(page, async (u) => Boolean(await caches.match(u, { ignoreVary: true })), url, ms);
}

/**
 * A pass-through proxy in front of the static server: the same site on
 * another port, with `connect-src` also allowing `connectOrigin` (a host
 * whose policy admits its kb-url's origin, on every response: the page's
 * and sw.js's). Set `delays[path]` (ms) to answer a path late, and `down`
 * to drop every connection (the network is gone, whatever the browser's
 * offline emulation covers).
 */
async function startProxy(target, connectOrigin = null) {
  const to = new URL(target);
  const proxy = { delays: {}, down: false };
  const server = createServer((req, res) => {
    if (proxy.down) {
      res.destroy();
      return;
    }
    const forward = () => {
      const upstream = httpRequest({ host: to.hostname, port: to.port, path: req.url, method: req.method, headers: req.headers }, (up) => {
        const headers = { ...up.headers };
        if (connectOrigin && headers['content-security-policy']) {
          headers['content-security-policy'] = headers['content-security-policy']
            .replace("connect-src 'self'", `connect-src 'self' ${connectOrigin}`);
        }
        res.writeHead(up.statusCode, headers);
        up.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    };
    const delay = proxy.delays[new URL(req.url, to).pathname];
    if (delay) setTimeout(forward, delay); else forward();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = server.address().port;
  return Object.assign(proxy, {
    url: `http://127.0.0.1:${port}/`,
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  });
}

/** A second origin that serves only /provider-kb.json, `body()`, readable
 * through CORS by the origin `allowOrigin()` (both read per request). */
async function startKbOrigin(body, allowOrigin) {
  const kbOrigin = { down: false };
  const server = createServer((req, res) => {
    if (kbOrigin.down) {
      res.destroy();
      return;
    }
    if (new URL(req.url, 'http://127.0.0.1').pathname !== '/provider-kb.json') {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('not found\n');
      return;
    }
    res.writeHead(200, {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-cache',
      'Access-Control-Allow-Origin': allowOrigin(),
      Vary: 'Origin',
    });
    res.end(body());
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = server.address().port;
  return Object.assign(kbOrigin, {
    origin: `http://127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}/provider-kb.json`,
    close: () => new Promise((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  });
}

const missing = missingDist();
if (missing) {
  test('the built site (dist/) is there', () => assert.fail(missing));
} else {
  let browser;
  const dirs = [];
  // Requests to another origin that a test makes on purpose (the
  // cross-origin kb-url); anything else foreign is still a problem.
  const foreignAllowed = [];
  before(async () => { browser = await launch(); });
  after(async () => {
    if (browser) await browser.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  /** A private copy of dist/ with the provider's page and knowledge base. */
  function siteWith(kbUrl, kbBody) {
    const dir = mkdtempSync(path.join(tmpdir(), 'posdoctor-dist-'));
    dirs.push(dir);
    cpSync(DIST, dir, { recursive: true });
    writeFileSync(path.join(dir, 'provider.html'), providerPage(kbUrl));
    if (kbBody) writeFileSync(path.join(dir, 'provider-kb.json'), kbBody);
    return dir;
  }

  test('a corrected provider knowledge base reaches a returning merchant on the next online visit', { timeout: 120000 }, async () => {
    const dir = siteWith('./provider-kb.json', kbMarked('[KB-A]'));
    const srv = await serve(dir);
    const t = await openContext(browser, srv.url);
    try {
      const page = await t.page();
      await page.goto(`${srv.url}provider.html`);
      await ready(page);
      await assertRuns(page, '[KB-A]', 'first visit');
      await controlled(page);
      // A returning visit, now under the worker.
      await page.reload();
      await ready(page);
      await assertRuns(page, '[KB-A]', 'second visit');

      // The provider corrects its file; posdoctor itself is not redeployed.
      writeFileSync(path.join(dir, 'provider-kb.json'), kbMarked('[KB-B]'));
      await page.reload();
      await ready(page);
      await assertRuns(page, '[KB-B]', 'the visit after the correction');

      // Offline, the last copy is the corrected one.
      await srv.close();
      await t.context.setOffline(true);
      await page.reload();
      await ready(page);
      await assertRuns(page, '[KB-B]', 'offline after the correction');
      t.assertClean();
    } finally {
      await t.close();
      await srv.close();
    }
  });

  test('first visit online with kb-url, then an offline reload: the provider\'s knowledge base, no fallback', { timeout: 120000 }, async () => {
    const srv = await serve(siteWith('./provider-kb.json', kbMarked('[KB-A]')));
    const t = await openContext(browser, srv.url);
    try {
      const page = await t.page();
      await page.goto(`${srv.url}provider.html`);
      await ready(page);
      await assertRuns(page, '[KB-A]', 'first visit');
      await controlled(page);
      await kept(page, `${srv.url}provider-kb.json`);

      await srv.close();
      await t.context.setOffline(true);
      await page.reload();
      await ready(page);
      await assertRuns(page, '[KB-A]', 'offline reload after the first visit');
      // The page is the provider's (not index.html served in its place).
      assert.equal(await page.title(), "A provider's help page embedding posdoctor");
      t.assertClean();
    } finally {
      await t.close();
      await srv.close();
    }
  });

  test('a kb-url on another origin that allows CORS: offline after the first visit, updated on the next', { timeout: 120000 }, async () => {
    let body = kbMarked('[KB-A]');
    let allow = 'null';
    // Ports are known once listening: the knowledge base's origin first (the
    // page names its URL), then the site, then its origin goes into the CORS
    // header.
    const kbSrv = await startKbOrigin(() => body, () => allow);
    const srv = await serve(siteWith(kbSrv.url, null));
    const site = await startProxy(srv.url, kbSrv.origin);
    allow = site.origin;
    foreignAllowed.push(kbSrv.origin);
    const t = await openContext(browser, site.url);
    try {
      const page = await t.page();
      await page.goto(`${site.url}provider.html`);
      await ready(page);
      await assertRuns(page, '[KB-A]', 'first visit');
      await controlled(page);
      await kept(page, kbSrv.url);

      site.down = true;
      kbSrv.down = true;
      await t.context.setOffline(true);
      await page.reload();
      await ready(page);
      await assertRuns(page, '[KB-A]', 'offline reload after the first visit');

      // Back online; the provider corrects its file.
      site.down = false;
      kbSrv.down = false;
      await t.context.setOffline(false);
      body = kbMarked('[KB-B]');
      await page.reload();
      await ready(page);
      await assertRuns(page, '[KB-B]', 'the visit after the correction');
      const foreign = (p) => p.startsWith(`request to another origin: ${kbSrv.origin}/`);
      assert.ok(t.problems.some(foreign), 'the knowledge base came from the other origin');
      assert.deepEqual(t.problems.filter((p) => !foreign(p)), []);
    } finally {
      await t.close();
      await site.close();
      await srv.close();
      await kbSrv.close();
    }
  });

  test('a slow network: the last copy after a few seconds (no fallback), and the late answer refreshes it', { timeout: 120000 }, async () => {
    const dir = siteWith('./provider-kb.json', kbMarked('[KB-A]'));
    const srv = await serve(dir);
    const site = await startProxy(srv.url);
    const t = await openContext(browser, site.url);
    try {
      const page = await t.page();
      await page.goto(`${site.url}provider.html`);
      await ready(page);
      await controlled(page);
      const kbUrl = `${site.url}provider-kb.json`;
      await kept(page, kbUrl);

      // The corrected file is there, but answers later than the page waits
      // for a kb-url (8 s): the worker's copy must answer before that.
      writeFileSync(path.join(dir, 'provider-kb.json'), kbMarked('[KB-B]'));
      site.delays['/provider-kb.json'] = 10000;
      await page.reload();
      await ready(page);
      await assertRuns(page, '[KB-A]', 'slow network');
      const keptB = await eventually(page, async (u) => {
        const copy = await caches.match(u, { ignoreVary: true });
        return Boolean(copy) && (await copy.text()).includes('[KB-B]');
      }, kbUrl, 20000);
      assert.ok(keptB, 'the late answer replaced the copy');

      site.down = true;
      await t.context.setOffline(true);
      await page.reload();
      await ready(page);
      await assertRuns(page, '[KB-B]', 'offline after the late answer');
      t.assertClean();
    } finally {
      await t.close();
      await site.close();
      await srv.close();
    }
  });

  test('no console errors, page errors, CSP violations or requests to other origins in any test above', () => {
    const foreign = (p) => foreignAllowed.some((o) => p.startsWith(`request to another origin: ${o}/`));
    assert.deepEqual(allProblems.filter((p) => !foreign(p)), []);
  });
}
