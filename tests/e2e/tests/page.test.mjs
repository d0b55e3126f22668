// The page in a real browser: languages, saved progress, the deep link,
// the support view, the keyboard, axe-core, provider knowledge bases,
// the support hand-off, headers, screenshots, and no errors anywhere.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import {
  missingDist, launch, serve, openContext, ready, readyOpening, readyWords, state, answerButton, outcomeButton, untilStep,
  hostPage, repoKb, allProblems, REPO, CJK, scenarios, inCleanContext } from '../lib.mjs';

const missing = missingDist();
if (missing) {
  test('the built site (dist/) is there', () => assert.fail(missing));
} else {
  let browser, srv;
  const providerTitle = '<img src=x> Provider & “KB” </pre>';

  before(async () => {
    const kb = repoKb();
    kb.id = 'provider-test';
    kb.title = { 'zh-CN': `服务商 ${providerTitle}`, en: providerTitle };
    srv = await serve(undefined, {
      '/fixtures/lang-en.html': { body: hostPage({ lang: 'en' }), type: 'text/html; charset=utf-8' },
      '/fixtures/kb-404.html': { body: hostPage({ 'kb-url': './no-such-kb.json' }), type: 'text/html; charset=utf-8' },
      '/fixtures/kb-invalid.html': { body: hostPage({ 'kb-url': './kb-invalid.json', lang: 'en' }), type: 'text/html; charset=utf-8' },
      '/fixtures/kb-provider.html': { body: hostPage({ 'kb-url': './kb-provider.json', lang: 'en', provider: 'demo' }), type: 'text/html; charset=utf-8' },
      '/fixtures/kb-provider.json': { body: JSON.stringify(kb), type: 'application/json' },
    });
    browser = await launch();
  });
  after(async () => {
    if (browser) await browser.close();
    if (srv) await srv.close();
  });

  /** Runs `fn(page, t)` in a fresh context and checks it stayed clean. */
  const withPage = (options, fn) => inCleanContext(browser, srv.url, options, fn);

  // What a merchant might type (screenshots): a story of public.json, and
  // the same in English.
  const STORY_WORDS = {
    'zh-CN': '昨天在App上续的费，显示续费成功，钱也扣了，可机器屏幕还是显示无网络。',
    en: 'I renewed in the app yesterday, it said the renewal went through and the money was taken, but the screen still says no network.',
  };
  const AXE_OWN_STYLES = [/^Applying inline style violates/, /^CSP violation: style-src-elem blocked inline/];
  const h1 = (page) => page.locator('h1').textContent();
  const answersShown = (page) => page.locator('[data-answer]').evaluateAll((els) => els.map((e) => `${e.dataset.fact}=${e.dataset.value}`));
  const stepStates = (page) => page.locator('[data-action]').evaluateAll((els) => els.map((e) => `${e.dataset.action}:${e.dataset.state}`).sort());

  test('a mis-tapped answer can be changed: asked again at once, the new answer counts, steps kept', { timeout: 60000 }, async () => {
    await withPage({ locale: 'zh-CN' }, async (page) => {
      await page.goto(srv.url);
      await ready(page);
      const first = await state(page);
      await answerButton(page, first.fact, first.values[0]).click();
      assert.deepEqual(await answersShown(page), [`${first.fact}=${first.values[0]}`]);
      const change = page.locator(`[data-change-answer="${first.fact}"]`);
      assert.match(await change.textContent(), CJK);
      await change.click();
      const again = await state(page);
      assert.equal(again.kind, 'question');
      assert.equal(again.fact, first.fact, 'the same question, asked again');
      assert.deepEqual(await answersShown(page), [], 'the old answer is gone');
      // Focus moves to the question asked again (keyboard and screen readers).
      const focused = await page.evaluate(() => document.querySelector('pos-doctor').shadowRoot.activeElement?.closest('[data-question]')?.dataset.question);
      assert.equal(focused, first.fact);
      await answerButton(page, first.fact, first.values[1]).click();
      assert.deepEqual(await answersShown(page), [`${first.fact}=${first.values[1]}`]);
      assert.notEqual((await state(page)).fact, first.fact, 'not asked a third time');
      // Kept over a reload.
      await page.reload();
      await ready(page);
      assert.deepEqual(await answersShown(page), [`${first.fact}=${first.values[1]}`]);
    });
  });

  test('zh-CN by default, the language switch changes the text and keeps progress', { timeout: 60000 }, async () => {
    await withPage({ locale: 'zh-CN' }, async (page) => {
      await page.goto(srv.url);
      await ready(page);
      assert.match(await h1(page), CJK, 'a Chinese browser gets Chinese');
      const first = await state(page);
      await answerButton(page, first.fact, first.values[0]).click();
      const before = await answersShown(page);
      const questionBefore = await state(page);
      const zhAnswerText = await page.locator('[data-answer]').first().textContent();
      assert.match(zhAnswerText, CJK);

      await page.locator('[data-lang="en"]').click();
      assert.doesNotMatch(await h1(page), CJK, 'English after the switch');
      assert.doesNotMatch(await page.locator('[data-answer]').first().textContent(), CJK);
      assert.deepEqual(await answersShown(page), before, 'answers kept');
      assert.deepEqual(await state(page), questionBefore, 'same question or step');
      assert.equal(await page.locator('[data-lang="zh-CN"]').count(), 1, 'switch now offers Chinese');
      const focused = await page.evaluate(() => document.querySelector('pos-doctor').shadowRoot.activeElement?.dataset.lang);
      assert.equal(focused, 'zh-CN', 'focus stays on the language switch');

      // The choice survives a reload.
      await page.reload();
      await ready(page);
      assert.doesNotMatch(await h1(page), CJK);
      assert.deepEqual(await answersShown(page), before);

      await page.locator('[data-lang="zh-CN"]').click();
      assert.match(await h1(page), CJK);
      assert.deepEqual(await answersShown(page), before);
    });
  });

  test('an English browser gets English; lang="en" on the element gives English in a Chinese browser', { timeout: 60000 }, async () => {
    await withPage({ locale: 'en-US' }, async (page) => {
      await page.goto(srv.url);
      await ready(page);
      assert.doesNotMatch(await h1(page), CJK);
    });
    await withPage({ locale: 'zh-CN' }, async (page) => {
      await page.goto(`${srv.url}fixtures/lang-en.html`);
      await ready(page);
      assert.doesNotMatch(await h1(page), CJK);
      assert.equal(await page.locator('[data-lang="zh-CN"]').count(), 1);
      assert.equal(await page.locator('.pd').getAttribute('lang'), 'en');
      // Embedded without the opt-in meta: no service worker.
      assert.equal(await page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length), 0);
    });
  });

  test('reload keeps progress: answers and step states', { timeout: 60000 }, async () => {
    await withPage({}, async (page) => {
      await page.goto(srv.url);
      await ready(page);
      const s = await untilStep(page);
      await outcomeButton(page, s.action, 'not_fixed').click();
      const answers = await answersShown(page);
      const states = await stepStates(page);
      const now = await state(page);
      assert.ok(answers.length >= 1);
      assert.ok(states.includes(`${s.action}:not_fixed`));

      await page.reload();
      await ready(page);
      assert.deepEqual(await answersShown(page), answers);
      assert.deepEqual(await stepStates(page), states);
      assert.deepEqual(await state(page), now);

      // Start over clears it and opens the say-what-you-know screen, and
      // that too survives a reload.
      await page.locator('[data-restart]').click();
      await page.locator('[data-confirm]').click();
      assert.equal(await page.locator('[data-answer]').count(), 0);
      assert.equal((await state(page)).kind, 'opening');
      await page.reload();
      await readyOpening(page);
      assert.equal((await state(page)).kind, 'opening');
      assert.equal(await page.locator('[data-answer]').count(), 0);
      assert.equal(await page.locator('[data-state="not_fixed"]').count(), 0);
    });
  });

  test('a deep link pre-fills facts, ignores junk with a notice, and a new link on a live page applies', { timeout: 60000 }, async () => {
    await withPage({}, async (page) => {
      await page.goto(`${srv.url}#model=X&provider=Y&f.payment_result=success&junk=<b>x</b>&f.bogus=1`);
      await ready(page);
      assert.equal(await page.locator('[data-answer][data-fact="payment_result"][data-value="success"]').count(), 1);
      assert.equal(await page.locator('[data-notice="link"]').count(), 1);
      assert.equal(await page.locator('[data-question="payment_result"]').count(), 0, 'not asked again');
      assert.equal(await page.locator('[data-question] [data-answer]').count(), 0);
      assert.equal(await page.evaluate(() => document.querySelector('pos-doctor').shadowRoot.querySelectorAll('b').length), 0);
      // The page still works.
      const s = await state(page);
      assert.ok(s.kind === 'question' || s.kind === 'step');
      if (s.kind === 'question') await answerButton(page, s.fact, 'not_sure').click();
      else await outcomeButton(page, s.action, 'not_fixed').click();
      assert.ok((await answersShown(page)).length + (await page.locator('[data-state="not_fixed"]').count()) >= 2);

      // A new link opened on the live page (same terminal): fills what is unanswered.
      await page.evaluate(() => { location.hash = '#model=X&provider=Y&f.time_since_payment=under_1h'; });
      await page.locator('[data-answer][data-fact="time_since_payment"]').waitFor();
      assert.equal(await page.locator('[data-answer][data-fact="payment_result"][data-value="success"]').count(), 1);
      assert.equal(await page.locator('pos-doctor[data-ready]').count(), 1);
    });
  });

  test('#case=CODE opens a read-only support view and leaves the merchant\'s own progress alone', { timeout: 60000 }, async () => {
    await withPage({ locale: 'en-US' }, async (page) => {
      // Which wasm modules each page fetched: the merchant's page module
      // leaves the case decoder out; a case link loads the support module.
      const wasmFetched = (p) => {
        const urls = [];
        p.on('request', (r) => { if (r.url().endsWith('.wasm')) urls.push(new URL(r.url()).pathname); });
        return urls;
      };
      const merchantWasm = wasmFetched(page);
      await page.goto(srv.url);
      await ready(page);
      assert.equal(merchantWasm.filter((u) => u.includes('posdoctor_support')).length, 0, merchantWasm.join());
      assert.equal(merchantWasm.filter((u) => /\/posdoctor_bg\./.test(u)).length, 1, merchantWasm.join());
      const s = await untilStep(page, { payment_result: 'success' });
      await outcomeButton(page, s.action, 'not_fixed').click();
      await page.locator('[data-contact]').click();
      const code = await page.locator('[data-case-code]').getAttribute('data-case-code');
      assert.match(code, /^[A-Za-z0-9_-]{1,199}$/);
      assert.equal(await page.locator('[data-case-code]').textContent(), code);
      const answers = await answersShown(page);
      const states = await stepStates(page);

      // Support staff open the code in a browser of their own.
      await withPage({ locale: 'en-US' }, async (support) => {
        const supportWasm = wasmFetched(support);
        await support.goto(`${srv.url}#case=${code}`);
        await ready(support);
        assert.equal(supportWasm.filter((u) => u.includes('posdoctor_support_bg.')).length, 1, supportWasm.join());
        assert.equal(await support.locator('[data-question], [data-outcome], [data-next], [data-restart]').count(), 0, 'read-only');
        assert.deepEqual(await answersShown(support), answers);
        assert.ok((await stepStates(support)).includes(`${s.action}:not_fixed`));
        assert.ok(await support.locator('[data-cause]').count() >= 1);
        assert.equal(await support.locator('[data-case-code]').getAttribute('data-case-code'), code);
        assert.equal(await support.locator('.pd').getAttribute('data-mode'), 'support');
      });

      // The same code in the merchant's own browser (a hash change: the
      // page switches to the support module): own progress untouched.
      await page.goto(`${srv.url}#case=${code}`);
      await page.waitForFunction(() => document.querySelector('pos-doctor').shadowRoot.querySelector('.pd[data-mode="support"]'));
      await ready(page);
      assert.equal(await page.locator('[data-outcome]').count(), 0);
      assert.ok(merchantWasm.some((u) => u.includes('posdoctor_support_bg.')), merchantWasm.join());
      await page.goto(srv.url);
      await ready(page);
      assert.deepEqual(await answersShown(page), answers);
      assert.deepEqual(await stepStates(page), states);

      // A broken code says so and breaks nothing.
      await page.goto(`${srv.url}#case=!!<script>`);
      await ready(page);
      assert.equal(await page.locator('[data-notice="link"]').count(), 1);
    });
  });

  test('the whole flow by keyboard alone (Tab, Enter, Space)', { timeout: 90000 }, async () => {
    const story = scenarios().find((x) => x.id === 'p04') || scenarios()[0];
    await withPage({}, async (page) => {
      await page.goto(srv.url);
      await readyOpening(page);
      const focusedMatches = (sel) => page.evaluate((s) => {
        const a = document.querySelector('pos-doctor').shadowRoot.activeElement;
        return Boolean(a && a.matches(s));
      }, sel);
      async function tabTo(sel) {
        for (let i = 0; i < 80; i++) {
          if (await focusedMatches(sel)) return;
          await page.keyboard.press('Tab');
        }
        assert.fail(`Tab never reached ${sel}`);
      }
      // Past the say-what-you-know screen with nothing chosen.
      await tabTo('[data-opening-done]');
      await page.keyboard.press('Enter');
      assert.ok(await focusedMatches('[data-question] h2'), 'focus moves to the first question');
      let fixed = false;
      let keys = 0;
      for (let n = 0; n < 12 && !fixed; n++) {
        const s = await state(page);
        let sel;
        if (s.kind === 'question') {
          const told = story.facts[s.fact];
          const value = told && s.values.includes(told) ? told : 'not_sure';
          sel = `[data-fact="${s.fact}"][data-value="${value}"]`;
        } else {
          assert.equal(s.kind, 'step');
          fixed = story.fixed_by.includes(s.action);
          sel = `[data-action="${s.action}"][data-next] [data-outcome="${fixed ? 'fixed' : 'not_fixed'}"]`;
        }
        await tabTo(sel);
        await page.keyboard.press(keys++ % 2 ? 'Space' : 'Enter');
        if (!fixed) {
          // Focus moves to what comes next: the question's heading or the next step's title.
          assert.ok(await focusedMatches('[data-question] h2, [data-next] h3'), 'focus follows the flow');
        }
      }
      assert.ok(fixed, 'fixed by keyboard');
      assert.equal((await state(page)).status, 'resolved');
      // The support hand-off opens by keyboard too.
      await tabTo('[data-contact]');
      await page.keyboard.press('Enter');
      assert.equal(await page.locator('[data-contact]').getAttribute('aria-expanded'), 'true');
      assert.ok(await page.locator('[data-case-code]').isVisible());
    });
  });

  for (const [locale, colorScheme] of [['zh-CN', 'light'], ['en-US', 'light'], ['en-US', 'dark'], ['zh-CN', 'dark']]) {
    test(`axe-core: 0 violations, ${locale} ${colorScheme}, question state and step state`, { timeout: 90000 }, async () => {
      await withPage({ locale, colorScheme }, async (page, t) => {
        const check = async (what) => {
          // axe-core adds <style> elements of its own while it measures;
          // the strict CSP blocks them. Those reports are axe's, not the page's.
          const result = await t.allowing(AXE_OWN_STYLES, () => new AxeBuilder({ page }).analyze());
          const summary = result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
          assert.deepEqual(summary, [], `axe violations in ${what}`);
          assert.ok(result.passes.length > 10, 'axe ran');
        };
        await page.goto(srv.url);
        await ready(page);
        assert.equal((await state(page)).kind, 'question');
        await check('question state');
        const s = await untilStep(page, { payment_result: 'success' });
        await page.locator('[data-contact]').click();
        await page.locator('[data-more] > summary').click();
        await check(`step state (${s.action}, support open, more steps open)`);
        await outcomeButton(page, s.action, 'fixed').click();
        await check('resolved state');
      });
    });
  }

  test('the embed example: a host page themes the element with CSS custom properties, no service worker', { timeout: 60000 }, async () => {
    await withPage({ locale: 'en-US' }, async (page, t) => {
      await page.goto(`${srv.url}examples/embed.html`);
      await ready(page);
      assert.match(await h1(page), CJK, 'lang="zh-CN" on the element wins over an English browser');
      const border = await page.evaluate(() => getComputedStyle(
        document.querySelector('pos-doctor').shadowRoot.querySelector('.pd-question')).borderTopColor);
      assert.equal(border, 'rgb(0, 105, 92)', '--pd-accent from the host page');
      assert.equal(await page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length), 0);
      const result = await t.allowing(AXE_OWN_STYLES, () => new AxeBuilder({ page }).analyze());
      assert.deepEqual(result.violations.map((v) => v.id), []);
    });
  });

  test('kb-url answering 404: the built-in knowledge base is used, with a kb-fallback notice', { timeout: 60000 }, async () => {
    await withPage({ allow: [/404.*no-such-kb\.json|no-such-kb\.json.*404/] }, async (page) => {
      const warnings = [];
      page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
      await page.goto(`${srv.url}fixtures/kb-404.html`);
      await ready(page);
      assert.equal(await page.locator('[data-notice="kb-fallback"]').count(), 1);
      assert.equal((await state(page)).kind, 'question');
      assert.ok(warnings.some((w) => w.includes('404')), 'the reason is in the console');
    });
  });

  test('kb-url with invalid JSON: the built-in knowledge base is used, with a kb-fallback notice', { timeout: 60000 }, async () => {
    await withPage({}, async (page) => {
      await page.goto(`${srv.url}fixtures/kb-invalid.html`);
      await ready(page);
      assert.equal(await page.locator('[data-notice="kb-fallback"]').count(), 1);
      const s = await state(page);
      assert.equal(s.kind, 'question');
      await answerButton(page, s.fact, 'not_sure').click();
      assert.equal(await page.locator(`[data-answer][data-fact="${s.fact}"]`).count(), 1);
    });
  });

  test('a valid provider kb-url is used, and its text is shown as text, never as HTML', { timeout: 60000 }, async () => {
    await withPage({}, async (page) => {
      // A provider's KB comes whole: the built-in text and cue packs are never fetched.
      const textPacks = [];
      page.on('request', (req) => { if (/kb-(text|cues)\.[0-9a-f]+\.bin$/.test(req.url())) textPacks.push(req.url()); });
      await page.goto(`${srv.url}fixtures/kb-provider.html`);
      await ready(page);
      assert.equal(await page.locator('pos-doctor').getAttribute('data-details'), 'ready');
      assert.deepEqual(textPacks, []);
      assert.equal(await page.locator('[data-notice="kb-fallback"]').count(), 0);
      assert.equal(await h1(page), providerTitle);
      assert.equal(await page.evaluate(() => document.querySelector('pos-doctor').shadowRoot.querySelectorAll('img').length), 0);
    });
  });

  test('a provider kb-url: the merchant\'s words are read with its cue phrases (the extractor module reads the KB in use)', { timeout: 60000 }, async () => {
    await withPage({}, async (page) => {
      await page.goto(`${srv.url}fixtures/kb-provider.html`);
      await readyOpening(page);
      await page.locator('[data-story]').fill('The screen says no network');
      await page.locator('[data-observation="screen_message=no_network"][data-understood]').waitFor({ timeout: 10000 });
      assert.equal(await page.locator('pos-doctor').getAttribute('data-words'), 'ready');
    });
  });

  test('support hand-off: posdoctor:contact, provider, where to find the number, summary, copy, case code', { timeout: 60000 }, async () => {
    await withPage({ locale: 'en-US', permissions: ['clipboard-read', 'clipboard-write'] }, async (page) => {
      await page.goto(`${srv.url}#provider=demo`);
      await ready(page);
      const s = await untilStep(page, { payment_result: 'success' });
      await outcomeButton(page, s.action, 'cannot_do').click();
      assert.equal(await page.locator(`[data-action="${s.action}"]`).getAttribute('data-state'), 'cannot_do');
      assert.equal(await page.locator('[data-case-code]').isVisible(), false, 'closed at first');
      await page.locator('[data-contact]').click();
      assert.ok(await page.locator('[data-case-code]').isVisible());
      assert.ok(await page.locator('.pd-where').isVisible(), 'no hotline in the profile: says where to find it');
      assert.equal(await page.locator('.pd-hotline').count(), 0, 'never a made-up hotline');
      assert.ok(await page.locator('.pd-ready li').count() >= 4);
      const summary = await page.locator('.pd-summary').textContent();
      const code = await page.locator('[data-case-code]').getAttribute('data-case-code');
      assert.ok(summary.includes(code));
      await page.locator('[data-copy]').click();
      await page.locator('.pd-copied:not(:empty)').waitFor();
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), summary);
      const events = await page.evaluate(() => window.__pdEvents);
      assert.deepEqual(events.filter((e) => e.type === 'posdoctor:contact'), [{ type: 'posdoctor:contact', detail: {} }]);
      assert.deepEqual(events.filter((e) => e.type === 'posdoctor:step'), [{ type: 'posdoctor:step', detail: { action: s.action, outcome: 'cannot_do' } }]);
      // Print: buttons hidden, summary shown.
      await page.emulateMedia({ media: 'print' });
      assert.equal(await page.locator('[data-copy]').isVisible(), false);
      assert.ok(await page.locator('.pd-summary').isVisible());
      await page.emulateMedia({ media: 'screen' });
    });
  });

  test('signal bars are drawn for the network icon question', { timeout: 60000 }, async () => {
    await withPage({}, async (page) => {
      await page.goto(`${srv.url}#f.payment_result=success`);
      await ready(page);
      for (let i = 0; i < 10; i++) {
        const s = await state(page);
        if (s.kind === 'question' && s.fact === 'network_icon') break;
        if (s.kind === 'question') await answerButton(page, s.fact, 'not_sure').click();
        else await outcomeButton(page, s.action, 'not_fixed').click();
      }
      const s = await state(page);
      assert.equal(s.fact, 'network_icon', 'the network icon question came up');
      for (const [value, bars] of [['none', 0], ['weak', 1], ['normal', 4]]) {
        const on = await answerButton(page, 'network_icon', value).locator('svg rect.on').count();
        assert.equal(on, bars, `${value}: ${bars} bars`);
      }
    });
  });

  test('an English browser gets the loading line in English, not the Chinese snapshot, then the English question', { timeout: 60000 }, async () => {
    await withPage({ locale: 'en-US', serviceWorkers: 'block' }, async (page) => {
      let release;
      const held = new Promise((resolve) => { release = resolve; });
      await page.route('**/*.wasm', async (route) => { await held; await route.continue(); });
      await page.goto(srv.url);
      await page.locator('.pd-loading').waitFor({ timeout: 20000 });
      assert.match(await page.locator('.pd-loading').textContent(), /Loading/);
      assert.equal(await page.locator('[data-pre-story], [data-pre-observation]').count(), 0, 'the Chinese static screen is gone');
      release();
      await ready(page);
      assert.doesNotMatch(await page.locator('[data-question] .pd-question-text').textContent(), CJK);
      assert.equal(await page.locator('.pd').count(), 1);
    });
  });

  test('if the wasm cannot load: a friendly message in the page language with a reload button', { timeout: 60000 }, async () => {
    for (const [locale, words] of [['zh-CN', CJK], ['en-US', /reload/i]]) {
      await withPage({ locale, serviceWorkers: 'block', allow: [/ERR_FAILED.*\.wasm|\.wasm.*ERR_FAILED|net::ERR_FAILED/] }, async (page) => {
        await page.route('**/*.wasm', (route) => route.abort('failed'));
        await page.goto(srv.url);
        const notice = page.locator('[data-notice="error"]');
        await notice.waitFor({ timeout: 20000 });
        assert.match(await notice.textContent(), words);
        assert.equal(await notice.locator('button').count(), 1);
        assert.equal(await page.locator('pos-doctor[data-ready]').count(), 0);
        // The button reloads the page.
        await Promise.all([page.waitForEvent('load'), notice.locator('button').click()]);
        await notice.waitFor({ timeout: 20000 });
      });
    }
  });

  test('served with the strict CSP, the right types and caching', async () => {
    const index = await fetch(srv.url);
    const csp = index.headers.get('content-security-policy');
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
    assert.equal(index.headers.get('cache-control'), 'no-cache');
    const html = await index.text();
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script');
    assert.doesNotMatch(html, /\sstyle=/, 'no style attribute');
    // One <style>: the static first screen's, listed in the CSP by its hash.
    const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]);
    assert.equal(styles.length, 1, 'one <style>, for the static first screen');
    assert.equal((html.match(/<style/g) || []).length, 1);
    const hash = createHash('sha256').update(styles[0], 'utf8').digest('base64');
    assert.ok(csp.includes(`style-src 'self' 'sha256-${hash}'`), csp);
    assert.doesNotMatch(csp, /unsafe-inline/);
    const wasmHref = html.match(/href="([^"]+\.wasm)"/)[1];
    const wasm = await fetch(new URL(wasmHref, srv.url));
    assert.equal(wasm.headers.get('content-type'), 'application/wasm');
    assert.match(wasm.headers.get('cache-control'), /immutable/);
    await wasm.arrayBuffer();
    const sw = await fetch(new URL('sw.js', srv.url));
    assert.equal(sw.headers.get('cache-control'), 'no-cache');
    const swText = await sw.text();
    assert.doesNotMatch(swText, /__VERSION__|__PRECACHE__/, 'dist filled in sw.js');
    const manifest = await fetch(new URL('manifest.webmanifest', srv.url));
    assert.match(manifest.headers.get('content-type'), /^application\/manifest\+json/);
    const m = await manifest.json();
    const sizes = m.icons.map((i) => i.sizes);
    assert.ok(sizes.includes('192x192') && sizes.includes('512x512'));
    for (const icon of m.icons) {
      const r = await fetch(new URL(icon.src, new URL('manifest.webmanifest', srv.url)));
      assert.equal(r.status, 200, icon.src);
      assert.equal(r.headers.get('content-type'), 'image/png');
      const png = Buffer.from(await r.arrayBuffer());
      const [w, h] = icon.sizes.split('x').map(Number);
      assert.equal(png.readUInt32BE(16), w);
      assert.equal(png.readUInt32BE(20), h);
    }
    assert.equal((await fetch(new URL('no/such/file', srv.url))).status, 404);
    assert.equal((await fetch(new URL('..%2f..%2fetc/passwd', srv.url))).status >= 400, true);
  });

  test('screenshots at 390×844, zh-CN and en: the opening screen with chips lit from typed words, question and step state', { timeout: 90000 }, async () => {
    const update = process.env.UPDATE_SCREENSHOTS === '1';
    const dir = update ? path.join(REPO, 'docs', 'screenshots') : path.join(REPO, 'tests', 'e2e', 'test-results');
    mkdirSync(dir, { recursive: true });
    for (const [locale, name] of [['zh-CN', 'zh-CN'], ['en-US', 'en']]) {
      await withPage({ locale, viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 }, async (page) => {
        await page.goto(srv.url);
        await readyOpening(page);
        await page.evaluate(() => document.fonts.ready);
        await readyWords(page);
        await page.locator('[data-story]').fill(STORY_WORDS[name]);
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
        await page.screenshot({ path: path.join(dir, `opening-${name}.png`) });
        await page.locator('[data-story]').fill('');
        await page.locator('[data-opening-done]').click();
        await page.mouse.move(0, 0); // no hover left on the answer under Continue
        await page.screenshot({ path: path.join(dir, `question-${name}.png`) });
        await untilStep(page, { payment_result: 'success', screen_message: 'no_network', time_since_payment: '1h_to_24h' });
        await page.evaluate(() => {
          const heading = document.querySelector('pos-doctor').shadowRoot.querySelector('#pd-steps-h');
          window.scrollTo(0, heading.getBoundingClientRect().top + window.scrollY - 12);
        });
        await page.screenshot({ path: path.join(dir, `step-${name}.png`) });
      });
    }
  });

  test('no console errors, page errors, CSP violations or requests to other origins in any test above', () => {
    assert.deepEqual(allProblems, []);
  });
}
