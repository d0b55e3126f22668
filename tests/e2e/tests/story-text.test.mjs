// Every public story's own text typed into the say-what-you-know box
// (public.json and public-v2.json), each in a fresh browser context: the
// merchant releases the lit chips the story does not hold, continues with
// the rest, and the page must then take the very steps of
// `posdoctor eval --opening story`, whose simulated merchant does the same.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import {
  REPO, missingDist, openContext, readyOpening, readyWords, evalReport, scenarios, scenarioFiles, playStory, tapsOf, useSite
} from '../lib.mjs';

/** The chips pressed now, as FACT=VALUE. */
export const pressedChips = (page) => page.locator('[data-observation][aria-pressed="true"]')
  .evaluateAll((els) => els.map((e) => e.dataset.observation));

/**
 * Types `text` into the box and waits until it is understood: once the
 * extractor module and the text pack are in (after data-ready; the words
 * are read again then) and the live region speaks (the extraction runs on
 * the next animation frame). Returns the lit chips, as FACT=VALUE.
 */
async function typeAndRead(page, text) {
  await page.locator('[data-story]').fill(text);
  await readyWords(page);
  await page.locator('[data-opening] [role="status"]:not(:empty)').waitFor({ timeout: 10000 });
  return page.locator('[data-observation][data-understood]')
    .evaluateAll((els) => els.map((e) => e.dataset.observation));
}

const missing = missingDist();
if (missing) {
  test('the built site (dist/) is there', () => assert.fail(missing));
} else {
  const site = useSite();
  const reports = new Map();


  for (const file of scenarioFiles()) {
    for (const story of scenarios(file)) {
      test(`${path.basename(file)} story ${story.id}: its text typed in the box, wrong chips released, then the same steps as posdoctor eval --opening story`, { timeout: 60000 }, async () => {
        if (!reports.has(file)) reports.set(file, evalReport(file, 'story'));
        const expected = reports.get(file).scenarios.find((s) => s.id === story.id);
        assert.ok(expected, `posdoctor eval --opening story has no result for ${story.id}`);
        const t = await openContext(site.browser, site.url);
        try {
          const page = await t.page();
          await page.goto(site.url);
          await readyOpening(page);
          const lit = await typeAndRead(page, story.story);
          // Every lit chip is pressed (nothing was tapped), shows the words
          // that lit it, and those words are the merchant's own.
          assert.deepEqual((await pressedChips(page)).sort(), [...lit].sort());
          for (const chip of lit) {
            const words = await page.locator(`[data-observation="${chip}"] .pd-chip-words`).textContent();
            const quoted = /“(.*)”/.exec(words);
            assert.ok(quoted && story.story.includes(quoted[1]), `${chip}: "${words}" is not from the story`);
          }
          // The merchant releases what the story does not hold.
          const kept = [];
          for (const chip of lit) {
            const [fact, value] = chip.split('=');
            if (story.facts[fact] === value) {
              kept.push(chip);
            } else {
              await page.locator(`[data-observation="${chip}"]`).click();
              assert.equal(await page.locator(`[data-observation="${chip}"]`).getAttribute('aria-pressed'), 'false');
            }
          }
          assert.deepEqual((await pressedChips(page)).sort(), [...kept].sort());
          // eval's merchant understood, kept and removed the same (its
          // trace says what it was told and what it removed).
          const told = expected.trace.filter((x) => x.told !== undefined).map((x) => `${x.told}=${x.value}`);
          const removed = expected.trace.filter((x) => x.removed !== undefined).map((x) => `${x.removed}=${x.value}`);
          assert.deepEqual([...new Set(kept)].sort(), told.sort(), 'kept on the page, told in eval');
          assert.deepEqual([...new Set(lit.filter((c) => !kept.includes(c)))].sort(), removed.sort(), 'released on the page, removed in eval');
          await page.locator('[data-opening-done]').click();
          assert.equal(await page.locator('[data-opening]').count(), 0);
          // What was kept is entered as answers from the opening.
          const entered = await page.locator('[data-answer]')
            .evaluateAll((els) => els.map((e) => `${e.dataset.fact}=${e.dataset.value}:${e.dataset.source}`));
          assert.deepEqual(entered.sort(), kept.map((c) => `${c}:opening`).sort());

          const { trace } = await playStory(page, story);
          assert.deepEqual(trace, tapsOf(expected.trace), 'the page and posdoctor eval --opening story took different steps');
          t.assertClean();
        } finally {
          await t.close();
        }
      });
    }
  }

  // Times told the merchant's way: a clock time read against the clock time
  // said for now, an English one without articles, a time of another deed
  // beside the payment's. The page lights exactly the chips
  // `posdoctor extract` reads (tests/wasm.rs compares the module itself;
  // this is what the merchant sees in the box's chips).
  for (const text of [
    '我十点多在App上交的服务费，现在都两点了',
    "I paid service fee in app around 5, it's 8 now",
    '前天在App交的续费成功了今天早上开店还是不行',
  ]) {
    test(`typed words with times ("${text.slice(0, 14)}…") light the chips posdoctor extract reads`, { timeout: 60000 }, async () => {
      const r = spawnSync('cargo', ['run', '-q', '--release', '--', 'extract', '--json', '--', text], { cwd: REPO, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const want = Object.entries(JSON.parse(r.stdout).facts).map(([f, v]) => `${f}=${v}`).sort();
      assert.ok(want.some((c) => c.startsWith('time_since_payment=')), `posdoctor extract reads a time in "${text}"`);
      const t = await openContext(site.browser, site.url);
      try {
        const page = await t.page();
        await page.goto(site.url);
        await readyOpening(page);
        const lit = await typeAndRead(page, text);
        assert.deepEqual([...lit].sort(), want);
        t.assertClean();
      } finally {
        await t.close();
      }
    });
  }
}
