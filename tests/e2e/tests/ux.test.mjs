// What a merchant meets on the phone (issue 13): undo a mis-tapped step,
// a start over that asks first, no percentages before there is evidence,
// the step above the fold, and the hand-off (summary, codes, copy).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  missingDist, launch, serve, ready, readyOpening, state, outcomeButton, untilStep, inCleanContext } from '../lib.mjs';

const missing = missingDist();
if (missing) {
  test('the built site (dist/) is there', () => assert.fail(missing));
} else {
  let browser, srv;
  before(async () => {
    srv = await serve();
    browser = await launch();
  });
  after(async () => {
    if (browser) await browser.close();
    if (srv) await srv.close();
  });
  const withPage = (options, fn) => inCleanContext(browser, srv.url, options, fn);
  const events = (page) => page.evaluate(() => window.__pdEvents.filter((e) => e.type === 'posdoctor:step').map((e) => e.detail));
  const stepState = (page, action) => page.locator(`[data-action="${action}"]`).first().getAttribute('data-state');

  test('undo: a done step goes back to todo, is saved, and fires posdoctor:step with outcome todo', { timeout: 60000 }, async () => {
    await withPage({}, async (page) => {
      await page.goto(srv.url);
      await ready(page);
      const s = await untilStep(page);
      // No undo on steps still to do.
      assert.equal(await page.locator('[data-undo]').count(), 0);
      await outcomeButton(page, s.action, 'fixed').click();
      assert.equal(await stepState(page, s.action), 'fixed');
      assert.equal((await state(page)).status, 'resolved');
      const undo = page.locator(`[data-action="${s.action}"] [data-undo]`);
      assert.equal(await undo.count(), 1);
      await undo.click();
      assert.equal(await stepState(page, s.action), 'todo');
      assert.deepEqual(await state(page), s, 'recommended again, as before the tap');
      assert.deepEqual((await events(page)).slice(-2), [{ action: s.action, outcome: 'fixed' }, { action: s.action, outcome: 'todo' }]);
      await page.reload();
      await ready(page);
      assert.equal(await stepState(page, s.action), 'todo', 'saved');
      assert.deepEqual(await state(page), s);

      // A "not fixed" is undone the same way.
      await outcomeButton(page, s.action, 'not_fixed').click();
      await page.locator(`[data-action="${s.action}"] [data-undo]`).click();
      assert.equal(await stepState(page, s.action), 'todo');
    });
  });

  test('start over asks first: cancel keeps everything; confirm applies the link again and shows the opening screen', { timeout: 60000 }, async () => {
    await withPage({}, async (page) => {
      await page.goto(`${srv.url}#model=A8&provider=lakala&lang=en&f.payment_result=success`);
      await ready(page);
      const s = await untilStep(page);
      await outcomeButton(page, s.action, 'not_fixed').click();
      await page.locator('[data-lang="zh-CN"]').click();
      const answers = await page.locator('[data-answer]').count();
      const code = await page.locator('[data-case-code]').getAttribute('data-case-code');

      // Away from the copy button: not in the same row or panel.
      assert.equal(await page.locator('.pd-support [data-restart], .pd-actions-row [data-restart]').count(), 0);
      await page.locator('[data-restart]').click();
      assert.equal(await page.locator('[data-confirm]').count(), 1);
      const cancel = page.locator('[data-restart-cancel]');
      assert.equal(await cancel.count(), 1, 'a cancel beside confirm');
      // Nothing is forgotten before data-confirm: not on screen, not on reload.
      assert.equal(await page.locator('[data-answer]').count(), answers);
      assert.equal(await stepState(page, s.action), 'not_fixed');
      await cancel.click();
      assert.equal(await page.locator('[data-confirm]').count(), 0);
      assert.equal(await page.locator('[data-answer]').count(), answers);
      assert.equal(await page.locator('[data-case-code]').getAttribute('data-case-code'), code);
      await page.locator('[data-restart]').click();
      await page.reload();
      await ready(page);
      assert.equal(await page.locator('[data-answer]').count(), answers, 'a reload before confirming keeps everything');

      await page.locator('[data-restart]').click();
      await page.locator('[data-confirm]').click();
      assert.equal((await state(page)).kind, 'opening');
      assert.equal(await page.locator('[data-observation="payment_result=success"][aria-pressed="true"]').count(), 1, "the link's fact again");
      assert.equal(await page.locator('.pd').getAttribute('lang'), 'en', "the link's language again");
      assert.equal(await page.locator('[data-state="not_fixed"]').count(), 0);
      const summary = await page.locator('[data-summary]').textContent();
      assert.match(summary, /A8/, "the link's model");
    });
  });
}
