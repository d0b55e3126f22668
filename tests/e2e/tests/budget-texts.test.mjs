// The text pack (kb-text.bin: how-to, why, causes' details, help, tips) is
// off the critical path (issue 14): the page is ready without it, shows a
// step's title and "loading details…" until it lands, then the how-to; a
// failed fetch shows a notice and the titles; offline after the first
// visit it is there (precached).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  missingDist, useSite, serve, openContext, readyOpening, skipOpening, untilStep, allProblems,
} from '../lib.mjs';

const TEXTS = /\/assets\/kb-text\.[0-9a-f]+\.bin$/;
const CUES = /\/assets\/kb-cues\.[0-9a-f]+\.bin$/;
// The cue pack (kb-cues.bin: the chips' cue phrases, read by the extractor
// module alone) and the extractor module (its glue and its wasm), fetched
// with the text pack.
const EXTRACTOR = /\/assets\/posdoctor_extractor(_bg)?\.[0-9a-f]+\.(js|wasm)$/;

/** Holds every request for the text pack (or for `what`) until `release()`. */
async function holdTexts(context, what = TEXTS) {
  let release;
  const gate = new Promise((resolve) => { release = resolve; });
  const seen = [];
  await context.route(what, async (route) => {
    seen.push(route.request().url());
    await gate;
    await route.continue();
  });
  return { release, seen };
}

/** A fresh context without a service worker (the routes see every
 * request), the text pack (or `what`) held, a page at `hash` ready on the
 * opening screen: { t, held, page }. */
async function heldPage(site, hash = '', what = TEXTS) {
  const t = await openContext(site.browser, site.url, { serviceWorkers: 'block' });
  const held = await holdTexts(t.context, what);
  const page = await t.page();
  await page.goto(`${site.url}${hash}`);
  await readyOpening(page);
  return { t, held, page };
}

/** The recommended step's title, how-to items and loading line. */
function nextStep(page) {
  return page.evaluate(() => {
    const step = document.querySelector('pos-doctor').shadowRoot.querySelector('.pd-step[data-next]');
    return step && {
      title: step.querySelector('h3').textContent,
      how: step.querySelectorAll('.pd-how li').length,
      loading: step.querySelectorAll('[data-details-loading]').length,
      why: step.querySelectorAll('.pd-why').length,
    };
  });
}

const missing = missingDist();
if (missing) {
  test('the built site (dist/) is there', () => assert.fail(missing));
} else {
  const site = useSite();

  test('ready without the text pack; a step shows its title, then its how-to when the pack lands; resumed progress too', { timeout: 90000 }, async () => {
    const opened = await heldPage(site);
    const { t, page } = opened;
    let { held } = opened;
    try {
      // Ready while the text pack is still held: it is not on the critical path.
      assert.equal(await page.locator('pos-doctor').getAttribute('data-details'), 'loading');
      await skipOpening(page);
      await untilStep(page);
      const waiting = await nextStep(page);
      assert.ok(waiting.title.trim(), 'the title is shown');
      assert.equal(waiting.how, 0);
      assert.equal(waiting.loading, 1, 'a "loading details…" line');
      held.release();
      await page.waitForSelector('pos-doctor[data-details="ready"]', { state: 'attached', timeout: 10000 });
      const arrived = await nextStep(page);
      assert.equal(arrived.title, waiting.title);
      assert.ok(arrived.how > 0, 'the how-to is there once the pack lands');
      assert.equal(arrived.loading, 0);
      assert.equal(held.seen.length, 1);

      // Saved progress that lands straight on the step: the same, on a reload.
      await t.context.unroute(TEXTS);
      held = await holdTexts(t.context);
      await page.reload();
      await readyOpening(page);
      await page.waitForFunction(() => document.querySelector('pos-doctor').shadowRoot.querySelector('.pd-step[data-next]'));
      const resumed = await nextStep(page);
      assert.equal(resumed.title, waiting.title);
      assert.deepEqual([resumed.how, resumed.loading], [0, 1]);
      held.release();
      await page.waitForSelector('pos-doctor[data-details="ready"]', { state: 'attached', timeout: 10000 });
      assert.ok((await nextStep(page)).how > 0);
      t.assertClean();
    } finally {
      await t.close();
    }
  });

  test('a paying step is never shown without its how-to, even while the text pack is held (zh-CN and en)', { timeout: 90000 }, async () => {
    for (const [lang, official] of [['zh-CN', '官方'], ['en', 'official']]) {
      // The payment failed and no money was taken: paying again comes first.
      const { t, held, page } = await heldPage(site, `#lang=${lang}&f.payment_result=failed&f.money_deducted=no`);
      try {
        await skipOpening(page);
        await page.waitForFunction(() => document.querySelector('pos-doctor').shadowRoot.querySelector('.pd-step[data-next]'));
        assert.equal(await page.locator('pos-doctor').getAttribute('data-details'), 'loading');
        const how = await page.evaluate(() => [...document.querySelector('pos-doctor').shadowRoot
          .querySelectorAll('.pd-step[data-next] .pd-how li')].map((li) => li.textContent));
        assert.ok(how.some((x) => x.includes(official)), `${lang}: the paying step's how-to says to pay in the official app: ${how}`);
        held.release();
        t.assertClean();
      } finally {
        await t.close();
      }
    }
  });

  test('a merchant already in the box when the extractor lands gets its cue phrases prepared then, before typing', { timeout: 60000 }, async () => {
    const { t, held, page } = await heldPage(site, '', EXTRACTOR);
    try {
      assert.equal(await page.locator('pos-doctor').getAttribute('data-words'), 'loading');
      await page.locator('[data-story]').focus();
      held.release();
      await page.waitForSelector('pos-doctor[data-words="ready"]', { state: 'attached', timeout: 10000 });
      await page.waitForFunction(() => document.querySelector('pos-doctor')._reader.prepared, null, { timeout: 5000 });
      assert.equal(await page.locator('[data-story]').inputValue(), '', 'nothing was typed: prepared on focus, not by a reading');
      t.assertClean();
    } finally {
      await t.close();
    }
  });

  test('the chips\' cue phrases come with the cue pack and the extractor module: words typed before both land light their chips when they do, and Continue pressed before waits so the words count', { timeout: 120000 }, async () => {
    const words = '刚才在App里交的续费，显示成功了，钱也扣了';
    for (const [what, pressContinue] of [[CUES, false], [CUES, true], [EXTRACTOR, false], [EXTRACTOR, true]]) {
      const { t, held, page } = await heldPage(site, '', what);
      try {
        assert.equal(await page.locator('pos-doctor').getAttribute('data-details'), 'loading');
        assert.equal(await page.locator('pos-doctor').getAttribute('data-words'), 'loading');
        await page.locator('[data-story]').fill(words);
        await page.waitForTimeout(200);
        // Nothing is read before the cue phrases and anchors land (a time
        // word would go to the wrong fact without them).
        assert.equal(await page.locator('[data-observation][data-understood]').count(), 0, 'no cue phrases yet');
        // Not "nothing understood": the words will be read in a moment.
        assert.match(await page.locator('[data-opening] [role="status"]').textContent(), /正在加载/);
        if (pressContinue) {
          await page.locator('[data-opening-done]').click();
          assert.equal(await page.locator('[data-opening-done]').getAttribute('aria-busy'), 'true', 'Continue waits');
          assert.equal(await page.locator('[data-opening]').count(), 1, 'still on the opening screen');
        }
        held.release();
        await page.waitForSelector('pos-doctor[data-details="ready"][data-words="ready"]', { state: 'attached', timeout: 10000 });
        assert.ok(held.seen.length >= 1, `${what} was asked for`);
        if (pressContinue) {
          await page.locator('[data-answer]').first().waitFor({ timeout: 10000 });
          assert.equal(await page.locator('[data-opening]').count(), 0);
          const told = await page.evaluate(() => [...document.querySelector('pos-doctor').shadowRoot
            .querySelectorAll('[data-answer]')].map((a) => `${a.dataset.fact}=${a.dataset.value}:${a.dataset.source}`));
          assert.ok(told.includes('payment_result=success:opening') && told.includes('money_deducted=yes:opening'), told.join(', '));
        } else {
          await page.locator('[data-observation="payment_result=success"][data-understood]').waitFor({ timeout: 10000 });
          assert.equal(await page.locator('[data-story]').inputValue(), words, 'the words are kept');
        }
        t.assertClean();
      } finally {
        await t.close();
      }
    }
  });

  /** A fresh context without a service worker where `what` answers 503, a
   * page in a `locale` browser ready on the opening screen: { t, page }. */
  async function downPage(what, locale = 'zh-CN') {
    const t = await openContext(site.browser, site.url, {
      serviceWorkers: 'block',
      locale,
      // The browser reports the failed request itself; the page warns.
      allow: [/Failed to load resource/, /posdoctor:/],
    });
    await t.context.route(what, (route) => route.fulfill({ status: 503, body: 'down' }));
    const page = await t.page();
    await page.goto(site.url);
    await readyOpening(page);
    return { t, page };
  }

  test('a cue pack or extractor module that fails to load: the opening screen says the words cannot be read, never "in a moment" (zh-CN and en)', { timeout: 120000 }, async () => {
    const langs = [['zh-CN', '屏幕上显示无网络', /读不了/, /正在加载/], ['en-US', 'The screen says no network', /can't be read/, /in a moment/]];
    for (const what of [CUES, EXTRACTOR]) {
      for (const [locale, words, unreadable, waiting] of langs) {
        const { t, page } = await downPage(what, locale);
        try {
          await page.waitForSelector('pos-doctor[data-words="failed"]', { state: 'attached', timeout: 10000 });
          await page.locator('[data-story]').fill(words);
          await page.locator('[data-opening] [role="status"]:not(:empty)').waitFor({ timeout: 10000 });
          const line = await page.locator('[data-opening] [role="status"]').textContent();
          assert.match(line, unreadable, `${what} ${locale}: ${line}`);
          assert.doesNotMatch(line, waiting);
          // The chips still work: the merchant taps what applies and goes on.
          await page.locator('[data-observation="screen_message=no_network"]').click();
          await page.locator('[data-opening-done]').click();
          await page.locator('[data-answer][data-fact="screen_message"]').waitFor({ timeout: 10000 });
          t.assertClean();
        } finally {
          await t.close();
        }
      }
    }
  });

  test('a text pack that fails to load: a notice and the titles, never a blank card; typed words are still read', { timeout: 90000 }, async () => {
    const { t, page } = await downPage(TEXTS);
    try {
      await page.waitForSelector('pos-doctor[data-details="failed"]', { state: 'attached', timeout: 10000 });
      // The cue phrases are a pack of their own: typed words are still read.
      await page.waitForSelector('pos-doctor[data-words="ready"]', { state: 'attached', timeout: 10000 });
      await page.locator('[data-story]').fill('屏幕上显示无网络');
      await page.locator('[data-observation="screen_message=no_network"][data-understood]').waitFor({ timeout: 10000 });
      await page.locator('[data-story]').fill('');
      await skipOpening(page);
      await untilStep(page);
      assert.equal(await page.locator('[data-notice="details"]').count(), 1);
      const step = await nextStep(page);
      assert.ok(step.title.trim());
      assert.deepEqual([step.how, step.loading], [0, 0]);
      // Its outcome buttons are there: the merchant can still go on.
      assert.equal(await page.locator('.pd-step[data-next] [data-outcome]').count(), 3);
      t.assertClean();
    } finally {
      await t.close();
    }
  });

  test('offline after the first visit: a reload shows a step\'s how-to (the text pack is precached) and reads typed words (so is the extractor module)', { timeout: 90000 }, async () => {
    const own = await serve();
    const t = await openContext(site.browser, own.url);
    try {
      const page = await t.page();
      await page.goto(own.url);
      await readyOpening(page);
      await page.evaluate(async () => {
        await navigator.serviceWorker.ready;
        if (!navigator.serviceWorker.controller) {
          await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
        }
      });
      await skipOpening(page);
      await untilStep(page);
      const online = await nextStep(page);
      await own.close();
      await t.context.setOffline(true);
      await page.reload();
      await readyOpening(page);
      await page.waitForSelector('pos-doctor[data-details="ready"]', { state: 'attached', timeout: 10000 });
      const offline = await nextStep(page);
      assert.equal(offline.title, online.title);
      assert.ok(offline.how > 0, 'the how-to, offline');
      // "Add what you know": the words are read offline too.
      await page.locator('[data-add-more]').click();
      await page.locator('[data-story]').fill('屏幕上显示无网络');
      await page.locator('[data-observation="screen_message=no_network"][data-understood]').waitFor({ timeout: 10000 });
      assert.equal(await page.locator('pos-doctor').getAttribute('data-words'), 'ready');
      t.assertClean();
    } finally {
      await t.close();
      await own.close();
    }
  });

  test('no console errors, page errors, CSP violations or requests to other origins in any test above', () => {
    assert.deepEqual(allProblems, []);
  });
}
