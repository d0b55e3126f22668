// The say-what-you-know screen (DESIGN "The page", "Test hooks"): chips
// lit while typing with the words that lit them, the merchant's taps kept
// while typing, one value a fact, Continue with nothing, answer sources,
// deep-link facts pressed, add more, the static first screen before the
// wasm, the words never stored, keyboard and axe-core, and a step a safety
// rule holds back.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import AxeBuilder from '@axe-core/playwright';
import {
  missingDist, launch, serve, readyOpening, readyWords, state, answerButton, scenarios, scenarioFiles, inCleanContext, useSite
} from '../lib.mjs';

const missing = missingDist();
if (missing) {
  test('the built site (dist/) is there', () => assert.fail(missing));
} else {
  const site = useSite();
  const { withPage } = site;
  const AXE_OWN_STYLES = [/^Applying inline style violates/, /^CSP violation: style-src-elem blocked inline/];
  const stories = scenarioFiles().flatMap((f) => scenarios(f));

  const chip = (page, id) => page.locator(`[data-opening] [data-observation="${id}"]`);
  const pressed = async (page, id) => (await chip(page, id).getAttribute('aria-pressed')) === 'true';
  const chipIds = (page, sel = '') => page.locator(`[data-opening] [data-observation]${sel}`)
    .evaluateAll((els) => els.map((e) => e.dataset.observation));
  /** Two animation frames: the extraction of what was typed has run. */
  const settle = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  async function type(page, text) {
    await readyWords(page);
    await page.locator('[data-story]').fill(text);
    await settle(page);
  }
  /** Shows the "more" chips, if there are any. */
  async function showMore(page) {
    const more = page.locator('[data-chips-more]');
    if (await more.count() && (await more.getAttribute('aria-expanded')) !== 'true') await more.click();
  }
  /** The first public story whose text lights a chip, and what it lit. */
  async function lightingStory(page) {
    for (const s of stories) {
      await type(page, s.story);
      const lit = await chipIds(page, '[data-understood]');
      if (lit.length) return { story: s, lit };
    }
    assert.fail('no public story lights a single chip');
  }
  const answers = (page) => page.locator('[data-answer]')
    .evaluateAll((els) => Object.fromEntries(els.map((e) => [e.dataset.fact, `${e.dataset.value}:${e.dataset.source}`])));

  test('a fresh session opens on the screen: the box, chips by topic, Continue; nothing recommended yet', { timeout: 60000 }, async () => {
    await withPage({}, async (page) => {
      await page.goto(site.url);
      await readyOpening(page);
      assert.equal((await state(page)).kind, 'opening');
      assert.equal(await page.locator('[data-opening] [data-story]').count(), 1);
      assert.equal(await page.locator('[data-opening] textarea[data-story]').count(), 1);
      assert.equal(await page.locator('[data-opening-done]').count(), 1);
      assert.equal(await page.locator('[data-question], [data-next]').count(), 0);
      assert.ok((await chipIds(page)).length > 0, 'the knowledge base has observation chips');
      assert.equal(await page.locator('[data-observation]:not([aria-pressed="false"])').count(), 0, 'nothing pressed yet');
      // The box is labelled in the page's language.
      assert.equal(await page.locator('label[for="pd-story"]').textContent(), '说说怎么回事');
    });
  });

  test('chips light while typing with the words that lit them; a tapped chip keeps the merchant\'s choice; one value a fact', { timeout: 90000 }, async () => {
    await withPage({}, async (page) => {
      await page.goto(site.url);
      await readyOpening(page);
      const { story, lit } = await lightingStory(page);
      const status = await page.locator('[data-opening] [role="status"]').textContent();
      for (const id of lit) {
        assert.ok(await pressed(page, id), `${id} lit and pressed`);
        const words = await chip(page, id).locator('.pd-chip-words').textContent();
        const quoted = /“(.*)”/.exec(words);
        assert.ok(quoted && story.story.includes(quoted[1]), `${id}: "${words}" is from the story`);
        const text = await chip(page, id).locator('.pd-chip-text').textContent();
        assert.ok(status.includes(text), `the live region names ${text}: ${status}`);
      }

      // Released by the merchant: stays released while they go on typing.
      const released = lit[0];
      await chip(page, released).click();
      assert.equal(await pressed(page, released), false);
      assert.equal(await chip(page, released).getAttribute('data-understood'), '', 'still understood');
      await type(page, `${story.story}。`);
      assert.equal(await pressed(page, released), false, 'the merchant\'s release is kept');

      // Tapped by the merchant: stays pressed when the words go.
      const litFacts = new Set(lit.map((id) => id.split('=')[0]));
      await showMore(page);
      const other = (await chipIds(page)).find((id) => !litFacts.has(id.split('=')[0]));
      assert.ok(other, 'a chip of another fact');
      await chip(page, other).click();
      assert.ok(await pressed(page, other));
      await type(page, '');
      assert.ok(await pressed(page, other), 'the merchant\'s tap is kept');
      assert.equal((await chipIds(page, '[data-understood]')).length, 0, 'nothing understood in an empty box');
      assert.equal(await page.locator('[data-opening] [role="status"]').textContent(), '');

      // One value a fact: pressing one releases the others.
      const all = await chipIds(page);
      const byFact = new Map();
      for (const id of all) byFact.set(id.split('=')[0], [...(byFact.get(id.split('=')[0]) || []), id]);
      const [a, b] = [...byFact.values()].find((ids) => ids.length > 1) || [];
      assert.ok(a && b, 'a fact with two chips');
      await chip(page, a).click();
      await chip(page, b).click();
      assert.deepEqual([await pressed(page, a), await pressed(page, b)], [false, true]);
    });
  });

  test('traditional characters and a pronoun for the agent light chips, each quoting the merchant\'s own words', { timeout: 60000 }, async () => {
    await withPage({}, async (page) => {
      await page.goto(site.url);
      await readyOpening(page);
      const cases = [
        // Cantonese typed in traditional characters (Hong Kong, Macau).
        ['喺App度續咗費，顯示成功，但係屏幕仲係話停機', ['paid_via=official_app', 'payment_result=success', 'screen_message=suspended']],
        // The agent named first, then paid as 他.
        ['新机器是业务员拿来的，服务费都交给他了', ['paid_via=agent']],
        ['Got the terminal from our agent and paid him the fee', ['paid_via=agent']],
      ];
      for (const [text, ids] of cases) {
        await type(page, text);
        for (const id of ids) {
          assert.ok(await pressed(page, id), `${text}: ${id} lit`);
          // The quote is what the merchant typed, not its folded reading.
          const quoted = /“(.*)”/.exec(await chip(page, id).locator('.pd-chip-words').textContent());
          assert.ok(quoted && text.includes(quoted[1]), `${text}: ${id} quotes "${quoted && quoted[1]}"`);
        }
      }
    });
  });

  test('the cue phrases are prepared when the merchant goes to the box, not while the page starts', { timeout: 60000 }, async () => {
    await withPage({}, async (page) => {
      await page.goto(site.url);
      await readyOpening(page);
      await readyWords(page);
      assert.equal(await page.locator('pos-doctor').getAttribute('data-words'), 'ready');
      const prepared = () => page.evaluate(() => document.querySelector('pos-doctor')._reader.prepared);
      // A tap on a chip does not need them.
      await chip(page, 'payment_result=success').click();
      await settle(page);
      assert.equal(await prepared(), false, 'not prepared at start nor by a chip');
      await page.locator('[data-story]').focus();
      assert.equal(await prepared(), true, 'prepared when the box gets focus');
      await type(page, '钱扣了，屏幕还是显示停机');
      assert.ok(await pressed(page, 'money_deducted=yes'), 'typed words still light chips');
      assert.ok(await pressed(page, 'screen_message=suspended'));
    });
  });

  test('cue phrases that cannot be prepared leave the chips working and say the words cannot be read', { timeout: 60000 }, async () => {
    await withPage({}, async (page) => {
      await page.goto(site.url);
      await readyOpening(page);
      await readyWords(page);
      await page.evaluate(() => {
        document.querySelector('pos-doctor')._reader.prepare = () => { throw new Error('test: prepare failed'); };
      });
      await page.locator('[data-story]').focus();
      await page.waitForSelector('pos-doctor[data-words="failed"]', { state: 'attached', timeout: 10000 });
      assert.equal(await page.locator('pos-doctor').getAttribute('data-ready'), '', 'the page did not fail');
      await chip(page, 'payment_result=success').click();
      await settle(page);
      assert.ok(await pressed(page, 'payment_result=success'), 'a chip still works');
    });
  });

  test('Continue with nothing chosen: no answer, the first question', { timeout: 60000 }, async () => {
    await withPage({}, async (page) => {
      await page.goto(site.url);
      await readyOpening(page);
      await page.locator('[data-opening-done]').click();
      assert.equal((await state(page)).kind, 'question');
      assert.equal(await page.locator('[data-answer], [data-opening]').count(), 0);
      // Focus moves to the question.
      assert.ok(await page.evaluate(() => document.querySelector('pos-doctor').shadowRoot.activeElement.matches('[data-question] h2')));
      // A reload goes on with the questions.
      await page.reload();
      await readyOpening(page);
      assert.equal((await state(page)).kind, 'question');
    });
  });

  test('data-source: link, opening, question; a changed answer becomes question; deep-link facts show pressed; add more', { timeout: 60000 }, async () => {
    await withPage({}, async (page) => {
      await page.goto(site.url);
      await readyOpening(page);
      await showMore(page);
      const ids = await chipIds(page);
      const linked = ids[0];
      const chosen = ids.find((id) => id.split('=')[0] !== linked.split('=')[0]);
      const [lf, lv] = linked.split('=');
      // A fresh context: the deep link's fact is an answer and a pressed chip.
      await withPage({}, async (p) => {
        await p.goto(`${site.url}#f.${lf}=${lv}`);
        await readyOpening(p);
        assert.ok(await pressed(p, linked), 'the link\'s fact shows pressed');
        await chip(p, chosen).click();
        await p.locator('[data-opening-done]').click();
        const [cf, cv] = chosen.split('=');
        assert.deepEqual(await answers(p), { [lf]: `${lv}:link`, [cf]: `${cv}:opening` });
        // Changed: asked again, answered again: the question's (whatever
        // the engine recommends next, a question or a step).
        await p.locator(`[data-change-answer="${cf}"]`).click();
        assert.equal((await state(p)).fact, cf);
        await answerButton(p, cf, 'not_sure').click();
        assert.equal((await answers(p))[cf], 'not_sure:question');
        await p.locator(`[data-change-answer="${cf}"]`).click();
        const again = await state(p);
        assert.equal(again.fact, cf);
        await answerButton(p, cf, cv).click();
        assert.equal((await answers(p))[cf], `${cv}:question`);
        // Saved progress keeps them.
        const before = await answers(p);
        await p.reload();
        await readyOpening(p);
        assert.deepEqual(await answers(p), before);

        // Add more: the screen again with the answers pressed.
        await p.locator('[data-add-more]').click();
        assert.equal((await state(p)).kind, 'opening');
        assert.ok(await pressed(p, linked) && await pressed(p, chosen));
        const third = (await chipIds(p)).find((id) => !(id.split('=')[0] in before));
        if (third) await chip(p, third).click();
        await p.locator('[data-opening-done]').click();
        const after = await answers(p);
        assert.equal(after[lf], `${lv}:link`);
        if (third) assert.equal(after[third.split('=')[0]], `${third.split('=')[1]}:opening`);
      });
    });
  });

  test('the words typed are never stored; chip taps before Continue are', { timeout: 60000 }, async () => {
    await withPage({}, async (page) => {
      await page.goto(site.url);
      await readyOpening(page);
      const marker = '暗号ZQX-4711';
      const tapped = (await chipIds(page))[0];
      await type(page, `${stories[0].story} ${marker}`);
      await chip(page, tapped).click();
      const stored = () => page.evaluate(() => Object.keys(localStorage).map((k) => `${k}=${localStorage.getItem(k)}`).join('\n'));
      assert.doesNotMatch(await stored(), /暗号|ZQX|4711/);
      // The tap is saved: a reload shows it pressed (and the words are gone).
      const wasPressed = await pressed(page, tapped);
      await page.reload();
      await readyOpening(page);
      assert.equal(await pressed(page, tapped), wasPressed);
      assert.equal(await page.locator('[data-story]').inputValue(), '');
      await type(page, `${stories[0].story} ${marker}`);
      await page.locator('[data-opening-done]').click();
      assert.doesNotMatch(await stored(), /暗号|ZQX|4711/);
    });
  });

  test('the static first screen: on screen before the wasm, typing and taps on it applied once ready', { timeout: 60000 }, async () => {
    await withPage({ serviceWorkers: 'block' }, async (page) => {
      let release;
      const held = new Promise((resolve) => { release = resolve; });
      await page.route('**/*.wasm', async (route) => { await held; await route.continue(); });
      await page.goto(site.url);
      const box = page.locator('textarea[data-pre-story]');
      await box.waitFor({ timeout: 20000 });
      assert.equal(await page.locator('pos-doctor[data-ready]').count(), 0, 'the engine is not running yet');
      assert.equal(await page.locator('[data-opening], [data-observation]').count(), 0, 'the static screen carries no test hooks');
      const first = page.locator('[data-pre-observation]').first();
      const id = await first.getAttribute('data-pre-observation');
      await first.click();
      assert.equal(await first.getAttribute('aria-pressed'), 'true', 'pressed at once');
      const text = stories[0].story;
      await box.click();
      await page.keyboard.type(text.slice(0, 6));
      await box.fill(text);
      release();
      await readyOpening(page);
      assert.equal(await page.locator('[data-pre-observation], textarea[data-pre-story]').count(), 0, 'the static screen is gone');
      assert.equal(await page.locator('[data-story]').inputValue(), text, 'the words are kept');
      assert.ok(await pressed(page, id), 'the tap is kept');
      assert.notEqual(await page.locator('[data-opening] [role="status"]').textContent(), '', 'the words were understood');
      await page.locator('[data-opening-done]').click();
      // Continue waits for the knowledge base's texts when they are still on
      // their way (as below): read the answers once they are drawn.
      await page.locator('[data-answer]').first().waitFor({ timeout: 10000 });
      const [f, v] = id.split('=');
      assert.equal((await answers(page))[f], `${v}:opening`);
    });
    // Continue pressed before the wasm: applied once ready.
    await withPage({ serviceWorkers: 'block' }, async (page) => {
      let release;
      const held = new Promise((resolve) => { release = resolve; });
      await page.route('**/*.wasm', async (route) => { await held; await route.continue(); });
      await page.goto(site.url);
      const first = page.locator('[data-pre-observation]').first();
      await first.waitFor({ timeout: 20000 });
      const id = await first.getAttribute('data-pre-observation');
      await first.click();
      await page.locator('[data-pre-opening-done]').click();
      release();
      await readyOpening(page);
      await page.locator('[data-answer]').first().waitFor({ timeout: 10000 });
      assert.equal(await page.locator('[data-opening]').count(), 0);
      const [f, v] = id.split('=');
      assert.equal((await answers(page))[f], `${v}:opening`);
    });
  });

  test('by keyboard alone: type, press a chip with Space, Continue with Enter', { timeout: 60000 }, async () => {
    await withPage({}, async (page) => {
      await page.goto(site.url);
      await readyOpening(page);
      const focused = (sel) => page.evaluate((s) => {
        const a = document.querySelector('pos-doctor').shadowRoot.activeElement;
        return Boolean(a && a.matches(s));
      }, sel);
      async function tabTo(sel) {
        for (let i = 0; i < 80; i++) {
          if (await focused(sel)) return;
          await page.keyboard.press('Tab');
        }
        assert.fail(`Tab never reached ${sel}`);
      }
      await tabTo('[data-story]');
      await page.keyboard.type('还是停机');
      const id = (await chipIds(page))[0];
      await tabTo(`[data-observation="${id}"]`);
      await page.keyboard.press('Space');
      assert.ok(await pressed(page, id));
      assert.ok(await focused(`[data-observation="${id}"]`), 'focus stays on the chip');
      await tabTo('[data-opening-done]');
      await page.keyboard.press('Enter');
      assert.ok(await focused('[data-question] h2, [data-next] h3'), 'focus follows the flow');
    });
  });

  for (const [locale, text] of [['zh-CN', null], ['en-US', 'Paid the renewal this morning and the money was taken, the screen still says no network.']]) {
    test(`axe-core: 0 violations on the screen, ${locale}, with typed words and all chips shown`, { timeout: 60000 }, async () => {
      await withPage({ locale }, async (page, t) => {
        await page.goto(site.url);
        await readyOpening(page);
        const check = async (what) => {
          const result = await t.allowing(AXE_OWN_STYLES, () => new AxeBuilder({ page }).analyze());
          const summary = result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
          assert.deepEqual(summary, [], `axe violations in ${what}`);
          assert.ok(result.passes.length > 10, 'axe ran');
        };
        await check('the fresh screen');
        if (text) await type(page, text);
        else await lightingStory(page);
        await showMore(page);
        await check('typed words, all chips');
      });
    });
  }

  test('a step a safety rule holds back: shown as todo, data-blocked with what to do first, never next', { timeout: 60000 }, async () => {
    // The money was taken and it is not said which fee: every step that
    // pays the fee again is held back (DESIGN "The safety predicate").
    await withPage({}, async (page) => {
      await page.goto(`${site.url}#f.money_deducted=yes`);
      await readyOpening(page);
      await page.locator('[data-opening-done]').click();
      const blocked = page.locator('[data-action][data-blocked]');
      assert.ok(await blocked.count() > 0, 'a paying step is held back');
      for (const item of await blocked.all()) {
        assert.equal(await item.getAttribute('data-state'), 'todo');
        assert.equal(await item.getAttribute('data-next'), null);
        assert.equal(await item.locator('[data-outcome]').count(), 0, 'no outcome to mark yet');
        assert.match(await item.textContent(), /钱已经扣了：先联系服务商核对这笔续费，别重复付款|先在官方App里查一下续费记录和机器状态/);
      }
      assert.equal(await page.locator('[data-blocked][data-next]').count(), 0);
    });
  });
}
