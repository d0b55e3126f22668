// The size gate (tests/e2e/tools/size-gate.mjs) counts bytes from the built
// files, without a browser: this checks its model against a real first
// visit. Every same-origin file the page loads before it is data-ready is on
// the gate's critical list (nothing fetched early escapes the count), and
// every URL a first visit loads, the service worker's precache included, is
// on its first-visit list.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { missingDist, useSite, DIST } from '../lib.mjs';
import { criticalFiles, firstVisitFiles } from '../tools/size-gate.mjs';

const missing = missingDist();
if (missing) {
  test('the built site (dist/) is there', () => assert.fail(missing));
} else {
  const site = useSite();

  /** One first visit in `locale`: the paths whose responses finished before
   * data-ready (resource timing against a stamp taken inside the page when
   * data-ready is set), and every path requested by the page or its worker. */
  async function visit(locale) {
    const context = await site.browser.newContext({ locale, viewport: { width: 390, height: 844 } });
    await context.addInitScript(() => {
      new MutationObserver((_, mo) => {
        if (document.querySelector('pos-doctor[data-ready]')) {
          window.__readyAt = performance.now();
          mo.disconnect();
        }
      }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-ready'] });
    });
    const all = new Set();
    const origin = new URL(site.url).origin;
    const rel = (url) => {
      const u = new URL(url);
      return u.origin === origin ? (u.pathname.slice(1) || 'index.html') : null;
    };
    context.on('requestfinished', (req) => {
      const p = rel(req.url());
      if (p) all.add(p);
    });
    try {
      const page = await context.newPage();
      await page.goto(site.url);
      await page.waitForSelector('pos-doctor[data-ready]', { timeout: 60000 });
      await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
      await page.waitForTimeout(500);
      const urls = await page.evaluate(() => performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
        .filter((e) => e.responseEnd <= window.__readyAt).map((e) => e.name));
      return { finished: urls.map(rel).filter(Boolean), all: [...all] };
    } finally {
      await context.close();
    }
  }

  for (const locale of ['zh-CN', 'en-US']) {
    test(`${locale}: what loads before data-ready is on the gate's critical list; every first-visit URL on its first-visit list`, { timeout: 90000 }, async () => {
      const critical = new Set(criticalFiles(DIST));
      const firstVisit = new Set(firstVisitFiles(DIST));
      const { finished, all } = await visit(locale);
      assert.ok(finished.includes('index.html') && finished.some((p) => p.endsWith('.wasm')), `saw the page and its wasm: ${finished}`);
      for (const p of finished) assert.ok(critical.has(p), `${p} loaded before data-ready but is not counted as critical`);
      for (const p of all) assert.ok(firstVisit.has(p), `${p} loaded on a first visit but is not counted in the first visit`);
    });
  }
}
