// Offline and updates, through the service worker: a reload after the first
// visit works with the server gone, and a new build waits for the page's
// go-ahead ("update" notice), then takes over and drops the old cache.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { missingDist, launch, serve, openContext, ready, state, answerButton, allProblems, DIST } from '../lib.mjs';

/** Waits until a service worker controls the page. */
async function controlled(page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
    }
  });
}

const missing = missingDist();
if (missing) {
  test('the built site (dist/) is there', () => assert.fail(missing));
} else {
  let browser;
  const dirs = [];
  before(async () => { browser = await launch(); });
  after(async () => {
    if (browser) await browser.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  /** A private copy of dist/, so a test can change it or stop serving it. */
  function copyOfDist() {
    const dir = mkdtempSync(path.join(tmpdir(), 'posdoctor-dist-'));
    dirs.push(dir);
    cpSync(DIST, dir, { recursive: true });
    return dir;
  }

  test('a case link works offline once its support module was loaded under the worker', { timeout: 90000 }, async () => {
    const srv = await serve(copyOfDist());
    const t = await openContext(browser, srv.url);
    try {
      const page = await t.page();
      await page.goto(srv.url);
      await ready(page);
      await controlled(page);
      const s = await state(page);
      await answerButton(page, s.fact, s.values[0]).click();
      await page.locator('[data-contact]').click();
      const code = await page.locator('[data-case-code]').getAttribute('data-case-code');
      // The support module is not precached (agents only): the worker keeps
      // it when the page first fetches it.
      await page.goto(`${srv.url}#case=${code}`);
      await page.waitForFunction(() => document.querySelector('pos-doctor').shadowRoot.querySelector('.pd[data-mode="support"]'));
      await ready(page);

      await srv.close();
      await t.context.setOffline(true);
      await page.goto(`${srv.url}?again#case=${code}`);
      await ready(page);
      assert.equal(await page.locator('.pd').getAttribute('data-mode'), 'support');
      assert.equal(await page.locator(`[data-answer][data-fact="${s.fact}"]`).count(), 1);
      t.assertClean();
    } finally {
      await t.close();
      await srv.close();
    }
  });

  test('offline reload after the first visit: served by the service worker, progress kept', { timeout: 90000 }, async () => {
    const srv = await serve(copyOfDist());
    const t = await openContext(browser, srv.url);
    try {
      const page = await t.page();
      await page.goto(srv.url);
      await ready(page);
      await controlled(page);
      const s = await state(page);
      await answerButton(page, s.fact, s.values[0]).click();
      const answered = `${s.fact}=${s.values[0]}`;

      // Server gone and the browser offline.
      await srv.close();
      await t.context.setOffline(true);
      const started = Date.now();
      await page.reload();
      await ready(page);
      const ms = Date.now() - started;
      const answers = await page.locator('[data-answer]').evaluateAll((els) => els.map((e) => `${e.dataset.fact}=${e.dataset.value}`));
      assert.deepEqual(answers, [answered]);
      assert.ok(['question', 'step'].includes((await state(page)).kind));
      // A deep link opened offline works too (same page, new hash: a fresh load).
      await page.goto(`${srv.url}?from=qr#f.payment_result=success`);
      await ready(page);
      assert.equal(await page.locator('[data-answer][data-fact="payment_result"]').count(), 1);
      // The page by its file name (a provider's link may say index.html):
      // only './' is precached, and the worker answers with it.
      await page.goto(`${srv.url}index.html`);
      await ready(page);
      assert.equal(await page.locator('[data-answer][data-fact="payment_result"]').count(), 1);
      t.assertClean();
      console.log(`# offline reload to data-ready: ${ms} ms`);
    } finally {
      await t.close();
      await srv.close();
    }
  });

  test('a new build installs in the background, shows the update notice, and takes over on reload', { timeout: 90000 }, async () => {
    const dir = copyOfDist();
    const srv = await serve(dir);
    const t = await openContext(browser, srv.url);
    try {
      const page = await t.page();
      await page.goto(srv.url);
      await ready(page);
      await controlled(page);
      const cachesBefore = await page.evaluate(() => caches.keys());
      assert.equal(cachesBefore.filter((k) => k.startsWith('posdoctor-')).length, 1);
      assert.equal(await page.locator('[data-notice="update"]').count(), 0);

      // "Deploy" a new build: only sw.js's VERSION differs.
      const swPath = path.join(dir, 'sw.js');
      const sw = readFileSync(swPath, 'utf8');
      // (sw.js is minified: VERSION="…" — match either quote and spacing.)
      const found = sw.match(/VERSION\s*=\s*(["'])([0-9a-f]+)\1/);
      assert.ok(found, 'sw.js declares VERSION');
      const [declared, quote, version] = found;
      writeFileSync(swPath, sw.replace(declared, `VERSION=${quote}${version}-next${quote}`));

      await page.reload();
      await ready(page);
      await page.locator('[data-notice="update"] button').waitFor({ timeout: 30000 });
      // Still the old version in control until the merchant says so.
      assert.deepEqual((await page.evaluate(() => caches.keys())).filter((k) => k.startsWith('posdoctor-')).sort(),
        [`posdoctor-${version}`, `posdoctor-${version}-next`].sort());

      await Promise.all([
        page.waitForEvent('load'),
        page.locator('[data-notice="update"] button').click(),
      ]);
      await ready(page);
      await page.waitForFunction((v) => caches.keys().then((k) => k.filter((x) => x.startsWith('posdoctor-')).join() === `posdoctor-${v}-next`), version);
      assert.equal(await page.locator('[data-notice="update"]').count(), 0);
      t.assertClean();
    } finally {
      await t.close();
      await srv.close();
    }
  });

  test('no console errors, page errors, CSP violations or requests to other origins in any test above', () => {
    assert.deepEqual(allProblems, []);
  });
}
