// What a merchant meets on the phone, the rest of issue 13: the link's
// provider and model at the top (trust), a wait step that gives time and
// uses when the merchant paid, a provider's status and service links, the
// Chinese a screen really shows in English, where the merchant number is,
// the serial number field, and one language picker (the saved choice
// wins in JS as in Rust). Selectors as docs/EMBED.md lists them.
// UPDATE_SCREENSHOTS=1 writes the screenshots to docs/screenshots.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import {
  missingDist, ready, readyOpening, state, answerButton, REPO, useSite
} from '../lib.mjs';

const LANGS = [['zh-CN', 'zh-CN'], ['en-US', 'en']];
const SHOTS = process.env.UPDATE_SCREENSHOTS === '1'
  ? path.join(REPO, 'docs', 'screenshots') : path.join(REPO, 'tests', 'e2e', 'test-results');

/** A screenshot of the viewport, `el` (a locator) scrolled to its top. */
async function shot(page, name, el) {
  mkdirSync(SHOTS, { recursive: true });
  await page.mouse.move(0, 0);
  if (el) {
    await el.evaluate((e) => window.scrollTo(0, e.getBoundingClientRect().top + window.scrollY - 12));
  }
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

/** Opens "more steps" if the step `action` is folded under it. */
async function unfold(page, action) {
  const inMore = page.locator(`[data-more] [data-action="${action}"]`);
  if (await inMore.count()) {
    const more = page.locator('[data-more]');
    if (!(await more.evaluate((d) => d.open))) await page.locator('[data-more] > summary').click();
  }
  return page.locator(`[data-action="${action}"]`).first();
}

/** No element wider than the screen (nothing to scroll sideways). */
async function noSidewaysScroll(page) {
  const over = await page.evaluate(() => {
    const root = document.querySelector('pos-doctor').shadowRoot;
    const width = document.documentElement.clientWidth;
    return [...root.querySelectorAll('*')]
      .filter((e) => { const r = e.getBoundingClientRect(); return r.width > 0 && r.right > width + 1; })
      .map((e) => `${e.tagName.toLowerCase()}.${e.className}`);
  });
  assert.deepEqual(over, [], 'elements past the right edge');
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth));
}

const missing = missingDist();
if (missing) {
  test('the built site (dist/) is there', () => assert.fail(missing));
} else {
  const site = useSite({ pageDefaults: { deviceScaleFactor: 1 } });
  const { withPage } = site;

  test('trust: a link with provider and model shows both at the top, the name on the profile colour; a page naming neither shows no such line', { timeout: 90000 }, async () => {
    for (const [locale, name] of LANGS) {
      await withPage({ locale }, async (page) => {
        await page.goto(`${site.url}#model=A8&provider=example`);
        await readyOpening(page);
        const provider = page.locator('header [data-brand] [data-brand-provider]');
        assert.equal(await provider.textContent(), name === 'en' ? 'Example provider' : '示例服务商');
        assert.equal(await provider.evaluate((e) => getComputedStyle(e).backgroundColor), 'rgb(0, 105, 92)', 'the profile colour');
        assert.equal(await provider.evaluate((e) => getComputedStyle(e).color), 'rgb(255, 255, 255)');
        const model = page.locator('header [data-brand-model]');
        assert.equal(await model.getAttribute('data-brand-model'), 'A8');
        assert.match(await model.textContent(), /A8$/);
        // Above the title, on the first screen, through the whole session.
        const box = await page.locator('[data-brand]').boundingBox();
        assert.ok(box.y < (await page.locator('h1').boundingBox()).y);
        await shot(page, `ux-brand-${name}`);
        await page.locator('[data-opening-done]').click();
        assert.equal(await page.locator('[data-brand-provider]').count(), 1);
      });
    }
    await withPage({}, async (page) => {
      // A provider without a colour: its name still shows, in neutral colours.
      await page.goto(`${site.url}#provider=lakala`);
      await readyOpening(page);
      assert.equal(await page.locator('[data-brand-provider]').textContent(), '拉卡拉');
      assert.equal(await page.locator('[data-brand-model]').count(), 0);
    });
    await withPage({}, async (page) => {
      await page.goto(`${site.url}#f.payment_result=success`);
      await readyOpening(page);
      assert.equal(await page.locator('[data-brand]').count(), 0, 'nothing named, nothing shown');
    });
  });

  test('the wait step: the KB gives usual waits as "usually"; paid over a day ago it says the wait is over and what to do; a stated wait is said', { timeout: 90000 }, async () => {
    for (const [locale, name] of LANGS) {
      await withPage({ locale }, async (page) => {
        await page.goto(`${site.url}#provider=lakala&f.time_since_payment=under_1h`);
        await ready(page);
        let step = await unfold(page, 'action.wait_activation');
        assert.equal(await step.locator('[data-wait]').count(), 0, 'within the hour: no line');
        const how = await step.locator('.pd-how').textContent();
        assert.match(how, name === 'en' ? /usually .*minutes.*working days/ : /通常.*分钟.*工作日/);

        // "It has been more than a day" changes the advice.
        await page.locator('[data-change-answer="time_since_payment"]').click();
        await answerButton(page, 'time_since_payment', 'over_24h').click();
        step = await unfold(page, 'action.wait_activation');
        const line = step.locator('[data-wait]');
        assert.equal(await line.count(), 1);
        assert.match(await line.textContent(), name === 'en' ? /more than a day ago: the usual wait is over.*Restart.*contact your provider/ : /超过1天.*通常的等待时间已经过了.*重启.*联系服务商/);
        await shot(page, `ux-wait-${name}`, step);
      });
    }
    await withPage({ locale: 'zh-CN' }, async (page) => {
      await page.goto(`${site.url}#provider=example&f.time_since_payment=1h_to_24h`);
      await ready(page);
      const step = await unfold(page, 'action.wait_activation');
      const lines = await step.locator('[data-wait]').allTextContents();
      assert.deepEqual(lines.length, 2);
      assert.equal(lines[0], '服务商说明的续费生效时间：以示例服务商App里的说明为准');
      assert.match(lines[1], /^您付款已超过1小时：如果服务商说明的时间也已经过了/);
      // Marked done, the step says no more about waiting.
      await step.locator('.pd-how > summary').click();
      await step.locator('[data-outcome="not_fixed"]').click();
      assert.equal(await page.locator('[data-action="action.wait_activation"] [data-wait]').count(), 0);
    });
  });

  test('a profile\'s status link on the status-check step and its service link in the hand-off: https, rel=noopener, text as text; none for real profiles', { timeout: 90000 }, async () => {
    for (const [locale, name] of LANGS) {
      await withPage({ locale }, async (page) => {
        await page.goto(`${site.url}#provider=example`);
        await ready(page);
        const step = await unfold(page, 'action.check_sim_status');
        const link = step.locator('a[data-step-link]');
        assert.equal(await link.getAttribute('href'), 'https://status.example.com/pos');
        assert.match(await link.getAttribute('rel'), /\bnoopener\b/);
        assert.equal(await link.textContent(), name === 'en' ? 'Check the renewal and SIM status online' : '在线查续费和流量卡状态');
        assert.equal(await link.locator('*').count(), 0, 'text only');
        await shot(page, `ux-status-link-${name}`, step);
        await page.locator('[data-contact]').click();
        const service = page.locator('a[data-service-link]');
        assert.equal(await service.getAttribute('href'), 'https://service.example.com/chat');
        assert.match(await service.getAttribute('rel'), /\bnoopener\b/);
      });
    }
    await withPage({}, async (page) => {
      await page.goto(`${site.url}#provider=lakala`);
      await ready(page);
      await page.locator('[data-more] > summary').click();
      await page.locator('[data-contact]').click();
      assert.equal(await page.locator('[data-step-link], [data-service-link]').count(), 0, 'never invented');
    });
  });

  test('the renewal-confirmed question is never asked on its own: "never saw a result" is an answer of the payment question; it records renewal_confirmed=no, the payment question is not asked again, and changing it brings the payment question back', { timeout: 90000 }, async () => {
    for (const [locale, name] of LANGS) {
      await withPage({ locale }, async (page) => {
        await page.goto(site.url);
        await ready(page);
        // "Not sure" until the payment question comes; renewal_confirmed never does.
        for (let i = 0; i < 12; i++) {
          const s = await state(page);
          assert.equal(s.kind, 'question', `the payment question never came: ${JSON.stringify(s)}`);
          assert.notEqual(s.fact, 'renewal_confirmed', 'asked on its own');
          if (s.fact === 'payment_result') break;
          await answerButton(page, s.fact, 'not_sure').click();
        }
        const s = await state(page);
        assert.deepEqual(s.answers.map((a) => `${a.fact}=${a.value}`), [
          'payment_result=success', 'payment_result=failed', 'payment_result=pending',
          'renewal_confirmed=no', 'payment_result=not_sure',
        ]);
        const never = answerButton(page, 'renewal_confirmed', 'no', 'payment_result');
        assert.equal((await never.textContent()).trim(), name === 'en' ? 'Never saw a result (the page closed or I left)' : '没看到结果（页面没了或中途退出）');
        await shot(page, `ux-payment-${name}`, page.locator('[data-question]'));
        await never.click();
        const answer = page.locator('[data-answer][data-fact="renewal_confirmed"]');
        assert.equal(await answer.getAttribute('data-value'), 'no');
        assert.equal(await answer.getAttribute('data-source'), 'question');
        assert.equal(await page.locator('[data-answer][data-fact="payment_result"]').count(), 0, 'no "not sure" recorded for the payment');
        // Neither question is asked again while the answer stands.
        for (let i = 0; i < 6; i++) {
          const t = await state(page);
          if (t.kind !== 'question') break;
          assert.ok(!['payment_result', 'renewal_confirmed'].includes(t.fact), `${t.fact} asked again`);
          await answerButton(page, t.fact, 'not_sure').click();
        }
        // Changing the answer asks the payment question again, with the offered answer in it.
        await page.locator('[data-change-answer="renewal_confirmed"]').click();
        const again = await state(page);
        assert.equal(again.kind, 'question');
        assert.equal(again.fact, 'payment_result');
        assert.ok(again.answers.some((a) => a.fact === 'renewal_confirmed' && a.value === 'no'));
      });
    }
  });

  test('in English a screen message shows the Chinese the terminal displays with its meaning beside; the merchant number says where to find it; the SN field fills the summary and stays on the device', { timeout: 90000 }, async () => {
    for (const [locale, name] of LANGS) {
      await withPage({ locale, timezoneId: 'Asia/Shanghai' }, async (page) => {
        await page.goto(`${site.url}#model=A8`);
        await ready(page);
        // Not sure until the screen question comes.
        for (let i = 0; i < 12; i++) {
          const s = await state(page);
          if (s.kind === 'question' && s.fact === 'screen_message') break;
          assert.equal(s.kind, 'question', `the screen question never came: ${JSON.stringify(s)}`);
          await answerButton(page, s.fact, 'not_sure').click();
        }
        const suspended = answerButton(page, 'screen_message', 'suspended');
        assert.equal(await suspended.locator('.pd-lcd').textContent(), '已停机 / 请续费', 'the words on the screen, in Chinese');
        if (name === 'en') {
          assert.equal(await suspended.locator('.pd-lcd').getAttribute('lang'), 'zh-CN');
          assert.equal(await suspended.locator('.pd-meaning').textContent(), 'Suspended / please renew');
        } else {
          assert.equal(await suspended.locator('.pd-meaning').count(), 0, 'in Chinese the screen says it all');
        }
        await shot(page, `ux-screen-${name}`, page.locator('[data-question]'));
        await suspended.click();

        await page.locator('[data-contact]').click();
        const ready_ = await page.locator('.pd-ready').textContent();
        assert.match(ready_, name === 'en' ? /Merchant number \(printed on your card receipts; also under/ : /商户编号（印在刷卡小票上；也可在服务商官方App/);
        const code = await page.locator('[data-case-code]').getAttribute('data-case-code');
        const sn = page.locator('[data-sn]');
        await sn.click();
        await sn.pressSequentially('n86 0012');
        // Typed into the summary at once; the box keeps focus while typing.
        assert.match(await page.locator('[data-summary]').textContent(), name === 'en' ? /^Serial number \(SN\): N860012$/m : /^序列号\(SN\): N860012$/m);
        assert.equal(await sn.evaluate((e) => e.getRootNode().activeElement === e), true);
        assert.equal(await page.locator('[data-case-code]').getAttribute('data-case-code'), code, 'not in the case code');
        assert.match(await page.locator('#pd-sn-hint').textContent(), name === 'en' ? /not into the case code/ : /不在排查码里/);
        await sn.blur();
        await shot(page, `ux-sn-${name}`, page.locator('.pd-sn-field'));
        // Saved on this device.
        await page.reload();
        await ready(page);
        await page.locator('[data-contact]').click();
        assert.equal(await page.locator('[data-sn]').inputValue(), 'N860012');
        assert.match(await page.locator('[data-summary]').textContent(), /N860012/);
        const stored = await page.evaluate(() => Object.keys(localStorage).map((k) => localStorage.getItem(k)).join('\n'));
        assert.match(stored, /^sn N860012$/m);
      });
    }
  });

  test('one language picker: the saved choice wins in JS as in Rust (loading line, error notice, view), over the browser, the attribute and #lang=', { timeout: 90000 }, async () => {
    const saveEn = () => { try { localStorage.setItem('posdoctor:lang', 'en'); } catch (_) { /* none */ } };
    // The wasm held back: the loading line is already in the saved language.
    await withPage({ locale: 'zh-CN', initScript: saveEn }, async (page, t) => {
      let release;
      const held = new Promise((r) => { release = r; });
      await t.context.route(/posdoctor_bg\.[0-9a-f]+\.wasm$/, async (route) => { await held; await route.continue(); });
      await page.goto(`${site.url}#lang=zh-CN`);
      await page.locator('.pd-loading').waitFor();
      assert.equal(await page.locator('.pd-loading').textContent(), 'Loading…');
      assert.equal(await page.locator('.pd').first().getAttribute('lang'), 'en');
      release();
      await readyOpening(page);
      assert.equal(await page.locator('.pd').getAttribute('lang'), 'en', 'Rust picks the same');
    });
    // The wasm does not arrive: the error is in the saved language.
    await withPage({ locale: 'zh-CN', initScript: saveEn, allow: [/Failed to load resource|posdoctor|WebAssembly|wasm/i] }, async (page, t) => {
      await t.context.route(/posdoctor_bg\.[0-9a-f]+\.wasm$/, (route) => route.abort());
      await page.goto(site.url);
      const notice = page.locator('[data-notice="error"]');
      await notice.waitFor();
      assert.match(await notice.textContent(), /The page could not finish loading/);
    });
    // Chosen with the language button in an English browser: after a
    // reload the static Chinese screen stays up while the engine loads (it
    // was dropped for an English loading line before).
    await withPage({ locale: 'en-US' }, async (page, t) => {
      // Routed from the start (a route added later misses the cached
      // wasm); held only on the second load.
      let release, loads = 0;
      const held = new Promise((r) => { release = r; });
      await t.context.route(/posdoctor_bg\.[0-9a-f]+\.wasm$/, async (route) => {
        if (++loads > 1) await held;
        await route.continue();
      });
      await page.goto(site.url);
      await readyOpening(page);
      assert.equal(await page.locator('.pd').getAttribute('lang'), 'en');
      await page.locator('[data-lang="zh-CN"]').click();
      await page.reload({ waitUntil: 'domcontentloaded' });
      await page.locator('[data-pre-opening-done]').waitFor();
      assert.deepEqual(await page.locator('.pd').evaluateAll((els) => els.map((e) => e.getAttribute('lang'))).then((l) => [...new Set(l)]), ['zh-CN']);
      assert.equal(await page.locator('.pd-loading:visible').count(), 0);
      release();
      await readyOpening(page);
      assert.equal(await page.locator('.pd').getAttribute('lang'), 'zh-CN');
    });
  });

  test('the new elements in dark mode, on a 320 px screen and at 200 % text: readable, nothing past the edge', { timeout: 120000 }, async () => {
    await withPage({ colorScheme: 'dark', locale: 'en-US' }, async (page) => {
      await page.goto(`${site.url}#model=A8&provider=example&f.time_since_payment=over_24h`);
      await ready(page);
      const provider = page.locator('[data-brand-provider]');
      assert.equal(await provider.evaluate((e) => getComputedStyle(e).backgroundColor), 'rgb(0, 105, 92)');
      assert.equal(await provider.evaluate((e) => getComputedStyle(e).color), 'rgb(255, 255, 255)');
      await shot(page, 'ux-dark-brand-en');
      const step = await unfold(page, 'action.wait_activation');
      await shot(page, 'ux-dark-wait-en', step);
    });
    for (const [width, height, scale] of [[320, 568, 1], [390, 844, 2]]) {
      await withPage({ viewport: { width, height }, locale: 'en-US' }, async (page) => {
        await page.goto(`${site.url}#model=A8-LONG-MODEL-NAME-0123456789&provider=example&f.time_since_payment=over_24h`);
        await page.evaluate((s) => { document.documentElement.style.fontSize = `${s * 100}%`; }, scale);
        await ready(page);
        await noSidewaysScroll(page);
        await unfold(page, 'action.wait_activation');
        await unfold(page, 'action.check_sim_status');
        await page.locator('[data-contact]').click();
        await page.locator('[data-sn]').fill('N860012');
        await noSidewaysScroll(page);
        const tag = scale === 1 ? `${width}` : '200pct';
        await shot(page, `ux-${tag}-brand-en`, page.locator('header'));
        await shot(page, `ux-${tag}-sn-en`, page.locator('.pd-sn-field'));
      });
    }
  });
}
