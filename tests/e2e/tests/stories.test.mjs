// Every public story (public.json and public-v2.json), completed by taps
// through the test hooks, each in a fresh browser context: the merchant
// continues past the say-what-you-know screen with nothing chosen (eval's
// default opening, none), and the page must take the very steps
// `posdoctor eval` takes, and fire the step events.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  missingDist, openContext, readyOpening, state, evalReport, scenarios, scenarioFiles, playStory, tapsOf,
  useSite
} from '../lib.mjs';

const missing = missingDist();
if (missing) {
  test('the built site (dist/) is there', () => assert.fail(missing));
} else {
  const site = useSite();
  const reports = new Map();


  for (const file of scenarioFiles()) {
    for (const story of scenarios(file)) {
      test(`${path.basename(file)} story ${story.id} (${story.cause}): nothing chosen on the opening screen, then the same steps as posdoctor eval`, { timeout: 60000 }, async () => {
        if (!reports.has(file)) reports.set(file, evalReport(file));
        const expected = reports.get(file).scenarios.find((s) => s.id === story.id);
        assert.ok(expected, `posdoctor eval has no result for ${story.id}`);
        const t = await openContext(site.browser, site.url);
        try {
          const page = await t.page();
          await page.goto(site.url);
          await readyOpening(page);
          // A fresh session opens on the say-what-you-know screen: no
          // question and no step recommended yet.
          assert.equal((await state(page)).kind, 'opening');
          await page.locator('[data-opening-done]').click();
          assert.equal(await page.locator('[data-opening]').count(), 0);
          assert.equal(await page.locator('[data-answer]').count(), 0, 'nothing chosen, nothing entered');

          const { trace, fixed } = await playStory(page, story);
          assert.deepEqual(trace, tapsOf(expected.trace), 'the page and posdoctor eval took different steps');

          if (fixed) {
            // Resolved: the banner, no question, no next step.
            const after = await state(page);
            assert.equal(after.status, 'resolved');
            assert.equal(await page.locator('[data-question], [data-next]').count(), 0);
          }

          // Events: one posdoctor:step per mark, posdoctor:resolved after the fixing one.
          const events = await page.evaluate(() => window.__pdEvents);
          const steps = trace.filter((x) => x.step);
          const expectedEvents = steps.map((x) => ({ type: 'posdoctor:step', detail: { action: x.step, outcome: x.outcome } }));
          if (fixed) expectedEvents.push({ type: 'posdoctor:resolved', detail: { action: steps[steps.length - 1].step } });
          assert.deepEqual(events, expectedEvents);
          t.assertClean();
        } finally {
          await t.close();
        }
      });
    }
  }
}
