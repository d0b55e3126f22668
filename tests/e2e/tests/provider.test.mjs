// The provider kit in a real browser: profiles chosen by attribute or deep
// link (name, where to find support, no made-up hotline, colour), the embed
// example, and the case code: copied in one browser, opened in another.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  missingDist, ready, state, answerButton, outcomeButton,
  hostPage, elementScript, allProblems, CJK, useSite } from '../lib.mjs';

const missing = missingDist();
if (missing) {
  test('the built site (dist/) is there', () => assert.fail(missing));
} else {
  /** A host page that themes the element itself (a stylesheet: the CSP allows no inline style). */
  const themedHost = () => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Themed host</title>
<link rel="icon" href="data:,"><link rel="stylesheet" href="/fixtures/themed.css">
<script type="module" src="${elementScript()}"></script></head>
<body><main><pos-doctor lang="en" provider="example"></pos-doctor></main></body></html>`;

  const html = (body) => ({ body, type: 'text/html; charset=utf-8' });
  const site = useSite({
    routes: {
      '/fixtures/lakala.html': html(hostPage({ provider: 'lakala', lang: 'zh-CN' })),
      '/fixtures/unknown-provider.html': html(hostPage({ provider: 'no-such-provider', lang: 'en' })),
      '/fixtures/example-provider.html': html(hostPage({ provider: 'example', lang: 'en' })),
      '/fixtures/plain.html': html(hostPage({})),
      '/fixtures/themed.html': html(themedHost()),
      '/fixtures/themed.css': { body: 'pos-doctor { --pd-accent: #8c2f00; }', type: 'text/css; charset=utf-8' },
    },
  });
  const withPage = site.withPage;

  const text = (page, sel) => page.locator(sel).first().textContent();
  /** The computed accent: the open question's border, as the embed test reads it. */
  const accent = (page) => page.evaluate(() => getComputedStyle(
    document.querySelector('pos-doctor').shadowRoot.querySelector('.pd-question')).borderTopColor);
  const stripe = (page) => page.evaluate(() => getComputedStyle(
    document.querySelector('pos-doctor').shadowRoot.querySelector('.pd')).borderTopColor);
  const answersShown = (page) => page.locator('[data-answer]').evaluateAll(
    (els) => els.map((e) => `${e.dataset.fact}=${e.dataset.value}`).sort());
  const doneStates = (page) => page.locator('[data-action]:not([data-state="todo"])').evaluateAll(
    (els) => els.map((e) => `${e.dataset.action}:${e.dataset.state}`).sort());

  test('provider attribute: the profile name, where to find support by name, no hotline', { timeout: 60000 }, async () => {
    await withPage({}, async (page) => {
      await page.goto(`${site.url}fixtures/lakala.html`);
      await ready(page);
      await page.locator('[data-contact]').click();
      assert.equal(await text(page, '[data-provider]'), '拉卡拉');
      const where = await text(page, '[data-where]');
      assert.match(where, /标签/, 'the label on the terminal');
      assert.match(where, /拉卡拉的官方App/, 'the official app, by the provider name');
      assert.equal(await page.locator('[data-hotline], a[href^="tel:"]').count(), 0, 'no number the profile does not have');
      assert.equal(await page.locator('[data-activation-wait]').count(), 0, 'no activation time the profile does not have');
      assert.match(await text(page, '.pd-summary'), /服务商: 拉卡拉/);
    });
  });

  test('deep link provider=…: the profile in English, and the link wins over no attribute', { timeout: 60000 }, async () => {
    await withPage({ locale: 'en-US' }, async (page) => {
      await page.goto(`${site.url}fixtures/plain.html#model=P3&provider=shengfutong&lang=en`);
      await ready(page);
      await page.locator('[data-contact]').click();
      assert.equal(await text(page, '[data-provider]'), 'Shengfutong (盛付通)');
      assert.match(await text(page, '[data-where]'), /label on the back of the terminal/);
      assert.equal(await page.locator('[data-hotline]').count(), 0);
      assert.match(await text(page, '.pd-summary'), /Model: P3/);
    });
  });

  test('an unknown provider: the neutral profile, where-to-find text, no hotline, default colour', { timeout: 60000 }, async () => {
    await withPage({ colorScheme: 'light' }, async (page) => {
      await page.goto(`${site.url}fixtures/unknown-provider.html`);
      await ready(page);
      assert.equal(await page.locator('[data-notice]').count(), 0, 'an unknown provider is no error');
      await page.locator('[data-contact]').click();
      assert.equal(await text(page, '[data-provider]'), 'Your POS provider');
      const where = await text(page, '[data-where]');
      assert.match(where, /label on the back of the terminal/);
      assert.match(where, /official app/);
      assert.equal(await page.locator('[data-hotline], a[href^="tel:"]').count(), 0);
      assert.equal(await accent(page), 'rgb(11, 87, 208)', 'the default accent');
      assert.equal(await page.evaluate(() => document.querySelector('pos-doctor').style.getPropertyValue('--pd-profile-color')), '');
    });
  });

  test('a profile colour is the accent, unless the host page sets --pd-accent', { timeout: 60000 }, async () => {
    await withPage({ colorScheme: 'light' }, async (page) => {
      await page.goto(`${site.url}fixtures/example-provider.html`);
      await ready(page);
      assert.equal(await accent(page), 'rgb(0, 105, 92)', 'the profile colour #00695c');
      assert.equal(await stripe(page), 'rgb(0, 105, 92)');
      await page.locator('[data-contact]').click();
      assert.equal(await text(page, '[data-provider]'), 'Example provider');
      assert.match(await text(page, '[data-where]'), /official app “Example Provider app”/);
      assert.equal(await text(page, '[data-activation-wait]'),
        'When your provider says a renewal takes effect: as stated in the Example Provider app');
      // Another provider from the attribute: the colour goes with the profile.
      await page.evaluate(() => document.querySelector('pos-doctor').setAttribute('provider', 'lakala'));
      await page.waitForFunction(() => document.querySelector('pos-doctor').hasAttribute('data-ready')
        && !document.querySelector('pos-doctor').style.getPropertyValue('--pd-profile-color'));
      assert.equal(await accent(page), 'rgb(11, 87, 208)');
    });
    await withPage({ colorScheme: 'dark' }, async (page) => {
      await page.goto(`${site.url}fixtures/example-provider.html`);
      await ready(page);
      // A dark brand colour is no accent on a dark background: the dark
      // scheme keeps its readable accent; the brand stripe stays.
      assert.equal(await accent(page), 'rgb(168, 199, 250)');
      assert.equal(await stripe(page), 'rgb(0, 105, 92)');
    });
    await withPage({ colorScheme: 'light' }, async (page) => {
      await page.goto(`${site.url}fixtures/themed.html`);
      await ready(page);
      assert.equal(await accent(page), 'rgb(140, 47, 0)', "the host page's --pd-accent wins");
      assert.equal(await stripe(page), 'rgb(140, 47, 0)');
    });
  });

  test('the embed example: profile name, app, the host colour, events reach the host page', { timeout: 60000 }, async () => {
    await withPage({ locale: 'en-US', colorScheme: 'light' }, async (page) => {
      await page.goto(`${site.url}examples/embed.html`);
      await ready(page);
      assert.match(await page.locator('h1').textContent(), CJK);
      assert.equal(await accent(page), 'rgb(0, 105, 92)');
      await page.locator('[data-contact]').click();
      assert.equal(await text(page, '[data-provider]'), '示例服务商');
      assert.match(await text(page, '[data-where]'), /示例服务商App/);
      assert.equal(await page.locator('[data-hotline]').count(), 0);
      await page.locator('#host-events li').first().waitFor();
      assert.equal(await page.locator('#host-events li').first().textContent(), 'posdoctor:contact {}');
    });
  });

  test('a case code copied in one browser opens the same case in another', { timeout: 90000 }, async () => {
    let code, answers, states, causes;
    await withPage({ locale: 'en-US', permissions: ['clipboard-read', 'clipboard-write'] }, async (page) => {
      await page.goto(`${site.url}#provider=lakala`);
      await ready(page);
      const facts = { payment_result: 'success', money_deducted: 'yes', time_since_payment: '1h_to_24h' };
      let marked = 0;
      for (let i = 0; i < 14 && marked < 2; i++) {
        const s = await state(page);
        if (s.kind === 'question') {
          const v = facts[s.fact] && s.values.includes(facts[s.fact]) ? facts[s.fact] : 'not_sure';
          await answerButton(page, s.fact, v).click();
        } else {
          assert.equal(s.kind, 'step');
          await outcomeButton(page, s.action, marked === 0 ? 'not_fixed' : 'cannot_do').click();
          marked++;
        }
      }
      assert.equal(marked, 2, 'two steps marked');
      answers = await answersShown(page);
      states = await doneStates(page);
      assert.ok(answers.length >= 1 && states.length === 2, `${answers} ${states}`);
      await page.locator('[data-contact]').click();
      await page.locator('[data-copy]').click();
      await page.locator('.pd-copied:not(:empty)').waitFor();
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      const m = copied.match(/^Case code: ([A-Za-z0-9_-]+)$/m);
      assert.ok(m, `the copied summary has the case code:\n${copied}`);
      code = m[1];
      assert.equal(code, await page.locator('[data-case-code]').getAttribute('data-case-code'));
      assert.ok(code.length < 200);
      causes = await page.locator('[data-cause]').evaluateAll((els) => els.map((e) => `${e.dataset.cause}=${e.dataset.p}`));
    });
    // A fresh browser context: no storage, nothing shared but the code.
    await withPage({ locale: 'zh-CN' }, async (page) => {
      await page.goto(`${site.url}#case=${code}`);
      await ready(page);
      assert.equal(await page.locator('.pd').getAttribute('data-mode'), 'support');
      assert.equal(await page.locator('.pd').getAttribute('lang'), 'en', 'the case keeps the language it was made in');
      assert.deepEqual(await answersShown(page), answers, 'the same answers');
      assert.deepEqual(await doneStates(page), states, 'the same step states');
      const here = await page.locator('[data-cause]').evaluateAll((els) => els.map((e) => `${e.dataset.cause}=${e.dataset.p}`));
      assert.deepEqual(here, causes, 'the same likely causes');
      assert.equal(await page.locator('[data-outcome], [data-question], [data-change-answer]').count(), 0, 'read-only');
      assert.equal(await page.locator('[data-case-code]').getAttribute('data-case-code'), code);
      assert.equal(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('posdoctor:session')).length), 0,
        'opening a case saves no progress of its own');
    });
  });

  test('a damaged or foreign case code: a clear notice, nothing shown as the case, the page still works', { timeout: 60000 }, async () => {
    let code;
    await withPage({ locale: 'en-US' }, async (page) => {
      await page.goto(`${site.url}#f.payment_result=success`);
      await ready(page);
      code = await page.locator('[data-case-code]').getAttribute('data-case-code');
    });
    const flip = (c, i) => c.slice(0, i) + (c[i] === 'A' ? 'B' : 'A') + c.slice(i + 1);
    for (const bad of [flip(code, code.length - 2), code.slice(0, -3), `Z${code.slice(1)}`, '%3Cb%3Ex']) {
      await withPage({ locale: 'en-US' }, async (page) => {
        await page.goto(`${site.url}#case=${bad}`);
        await ready(page);
        const notice = page.locator('[data-notice="link"]');
        assert.equal(await notice.count(), 1, `a notice for ${bad}`);
        assert.match(await notice.textContent(), /case code cannot be read/);
        assert.equal(await page.locator('.pd').getAttribute('data-mode'), 'merchant');
        assert.equal(await page.locator('[data-answer]').count(), 0, 'nothing is shown as the case');
        assert.equal((await state(page)).kind, 'question', 'the merchant can start as usual');
      });
    }
  });

  test('no console errors, page errors, CSP violations or requests to other origins in any test above', () => {
    assert.deepEqual(allProblems, []);
  });
}
