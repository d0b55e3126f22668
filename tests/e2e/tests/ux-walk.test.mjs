// The walk-through of issue 13: three merchants on a 390×844 phone, each
// going through the page as a merchant would — their own sentence typed
// into the opening screen, the chips they know tapped, Continue, each
// question answered from what they know ("not sure" otherwise), each
// recommended step done and marked — until the fix. Every tap is
// counted and bounded; each screen is photographed (docs/screenshots/
// walk-*.png with UPDATE_SCREENSHOTS=1) and the route is printed as a
// test diagnostic.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  missingDist, readyOpening, readyWords, state, answerButton, outcomeButton, REPO, useSite
} from '../lib.mjs';

const SHOTS = process.env.UPDATE_SCREENSHOTS === '1'
  ? path.join(REPO, 'docs', 'screenshots') : path.join(REPO, 'tests', 'e2e', 'test-results');

/** The three merchants of issue 13. `knows`: what they would answer if
 * asked (anything else is "not sure"); `chips`: chips they tap on the
 * opening screen if the words did not light them; `fixes`: the steps
 * that really fix their terminal (for merchant a, a restart: the plain
 * restart, or the wait step, whose how-to ends in one and which says the
 * usual wait is over when they paid over an hour ago); `maxTaps`: the
 * bound the test holds. */
const MERCHANTS = [
  {
    id: 'a',
    who: 'zh-CN, paid an hour ago, a restart fixes it',
    locale: 'zh-CN',
    words: '一个多小时前在App里续的费，显示续费成功了，钱也扣了，可机器还是显示停机',
    chips: [],
    knows: {
      payment_result: 'success', money_deducted: 'yes', time_since_payment: '1h_to_24h', restarted_since: 'no',
      network_icon: 'normal', connection: 'sim', screen_message: 'suspended', paid_via: 'official_app',
      fee_paid: 'service_fee', renewal_confirmed: 'yes', details_match: 'yes', notice_source: 'terminal_screen',
    },
    fixes: ['action.restart', 'action.wait_activation'],
    maxTaps: 5,
  },
  {
    id: 'b',
    who: 'zh-CN, unsure of most answers, the shop\'s Wi-Fi is down',
    locale: 'zh-CN',
    // Says little and is unsure of the payment and the account; reads
    // what the terminal's screen shows when asked.
    words: '机器又用不了了，不知道怎么回事',
    chips: [],
    knows: { connection: 'wifi', other_devices_online: 'no', network_icon: 'none', screen_message: 'no_network' },
    fixes: ['action.check_router'],
    maxTaps: 8,
  },
  {
    id: 'c',
    who: 'en, the bank payment failed',
    locale: 'en-US',
    words: 'I tried to pay the renewal this morning but the bank payment failed, no money was taken',
    chips: [],
    knows: {
      payment_result: 'failed', money_deducted: 'no', time_since_payment: 'under_1h', balance_enough: 'no',
      bank_notice: 'no', details_match: 'yes', paid_via: 'official_app', fee_paid: 'service_fee',
      screen_message: 'suspended', network_icon: 'normal', notice_source: 'terminal_screen',
    },
    fixes: ['action.top_up_and_retry'],
    maxTaps: 5,
  },
];

const missing = missingDist();
if (missing) {
  test('the built site (dist/) is there', () => assert.fail(missing));
} else {
  const site = useSite();
  const routes = {};

  for (const m of MERCHANTS) {
    test(`walk-through ${m.id} (${m.who}): the fix within ${m.maxTaps} taps, a screenshot per screen`, { timeout: 120000 }, async (t) => {
      await site.withPage({ locale: m.locale, viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, timezoneId: 'Asia/Shanghai' }, async (page) => {
        mkdirSync(SHOTS, { recursive: true });
        let taps = 0, screen = 0;
        const route = [];
        const tap = async (locator) => { await locator.click(); taps++; };
        /** The screen as the merchant sees it: the top of what is asked or recommended. */
        const shot = async (what, target) => {
          screen++;
          await page.mouse.move(0, 0);
          if (target && await target.count()) {
            await target.first().evaluate((e) => window.scrollTo(0, e.getBoundingClientRect().top + window.scrollY - 12));
          }
          await page.evaluate(() => document.fonts.ready);
          await page.screenshot({ path: path.join(SHOTS, `walk-${m.id}-${String(screen).padStart(2, '0')}-${what}.png`) });
        };

        await page.goto(site.url);
        await readyOpening(page);
        assert.equal(await page.locator('.pd').getAttribute('lang'), m.locale === 'en-US' ? 'en' : 'zh-CN');
        await readyWords(page);
        await page.locator('[data-story]').fill(m.words);
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
        const understood = await page.locator('[data-opening] [data-observation][aria-pressed="true"]')
          .evaluateAll((els) => els.map((e) => e.dataset.observation));
        route.push(`typed: understood ${understood.join(', ') || 'nothing'}`);
        await shot('opening', page.locator('[data-opening]'));
        for (const c of m.chips) {
          const chip = page.locator(`[data-opening] [data-observation="${c}"]`);
          if (await chip.getAttribute('aria-pressed') !== 'true') {
            await tap(chip);
            route.push(`tapped chip ${c}`);
          }
        }
        await tap(page.locator('[data-opening-done]'));
        await page.locator('[data-opening]').waitFor({ state: 'detached' });

        let fixed = false;
        for (let i = 0; i < 30 && !fixed; i++) {
          const s = await state(page);
          if (s.kind === 'question') {
            await shot(`q-${s.fact}`, page.locator('[data-question]'));
            const v = m.knows[s.fact] && s.values.includes(m.knows[s.fact]) ? m.knows[s.fact] : 'not_sure';
            await tap(answerButton(page, s.fact, v));
            route.push(`asked ${s.fact}: ${v}`);
          } else if (s.kind === 'step') {
            await shot(`step-${s.action.replace(/^action\./, '')}`, page.locator('[data-next]'));
            fixed = m.fixes.includes(s.action);
            await tap(outcomeButton(page, s.action, fixed ? 'fixed' : 'not_fixed'));
            route.push(`step ${s.action}: ${fixed ? 'fixed' : 'not fixed'}`);
          } else {
            assert.fail(`stuck: ${JSON.stringify(s)} after ${route.join('; ')}`);
          }
        }
        assert.ok(fixed, `not fixed: ${route.join('; ')}`);
        assert.equal((await state(page)).status, 'resolved');
        await shot('resolved', page.locator('[data-banner]'));
        routes[m.id] = { who: m.who, taps, screens: screen, route };
        t.diagnostic(`${m.id}: ${taps} taps, ${screen} screens — ${route.join('; ')}`);
        assert.ok(taps <= m.maxTaps, `${taps} taps, bound ${m.maxTaps}: ${route.join('; ')}`);
      });
    });
  }

  test('the walk-through routes are written for the report', () => {
    assert.deepEqual(Object.keys(routes).sort(), MERCHANTS.map((m) => m.id));
    mkdirSync(path.join(REPO, 'tests', 'e2e', 'test-results'), { recursive: true });
    writeFileSync(path.join(REPO, 'tests', 'e2e', 'test-results', 'walk.json'), `${JSON.stringify(routes, null, 2)}\n`);
  });
}
