// Every public story, completed by taps through the test hooks, each in a
// fresh browser context: the page must fix it within 6 steps and take the
// very steps `posdoctor eval` takes.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  missingDist, launch, serve, openContext, ready, state, answerButton, outcomeButton,
  evalReport, scenarios,
} from '../lib.mjs';

const missing = missingDist();
if (missing) {
  test('the built site (dist/) is there', () => assert.fail(missing));
} else {
  const stories = scenarios();
  let report, browser, srv;

  before(async () => {
    report = evalReport();
    srv = await serve();
    browser = await launch();
  });
  after(async () => {
    if (browser) await browser.close();
    if (srv) await srv.close();
  });

  for (const story of stories) {
    test(`story ${story.id} (${story.cause}): fixed within 6 steps by taps, same steps as posdoctor eval`, { timeout: 60000 }, async () => {
      const expected = report.scenarios.find((s) => s.id === story.id);
      assert.ok(expected, `posdoctor eval has no result for ${story.id}`);
      const t = await openContext(browser, srv.url);
      try {
        const page = await t.page();
        await page.goto(srv.url);
        await ready(page);
        const trace = [];
        let fixed = false;
        while (!fixed && trace.length < 12) {
          const s = await state(page);
          if (s.kind === 'question') {
            const told = story.facts[s.fact];
            const value = told && s.values.includes(told) ? told : 'not_sure';
            assert.ok(s.values.includes('not_sure'), `question ${s.fact} has no not_sure answer`);
            await answerButton(page, s.fact, value).click();
            trace.push({ question: s.fact, answer: value });
            // The answer now shows in the summary, outside the question.
            assert.equal(await page.locator(`[data-answer][data-fact="${s.fact}"]`).count(), 1);
            assert.equal(await page.locator('[data-question] [data-answer]').count(), 0);
          } else if (s.kind === 'step') {
            fixed = story.fixed_by.includes(s.action);
            const outcome = fixed ? 'fixed' : 'not_fixed';
            await outcomeButton(page, s.action, outcome).click();
            trace.push({ step: s.action, outcome });
            assert.equal(await page.locator(`[data-action="${s.action}"]`).getAttribute('data-state'), outcome);
          } else {
            assert.fail(`neither a question nor a step is recommended: ${JSON.stringify(s)} after ${JSON.stringify(trace)}`);
          }
        }
        assert.deepEqual(trace, expected.trace, 'the page and posdoctor eval took different steps');
        assert.ok(fixed, `${story.id} not fixed after ${trace.length} steps`);
        assert.ok(trace.length <= 6, `${story.id} took ${trace.length} steps (more than 6)`);

        // Resolved: the banner, no question, no next step.
        const after = await state(page);
        assert.equal(after.status, 'resolved');
        assert.equal(await page.locator('[data-question], [data-next]').count(), 0);

        // Events: one posdoctor:step per mark, posdoctor:resolved after the fixing one.
        const events = await page.evaluate(() => window.__pdEvents);
        const steps = trace.filter((x) => x.step);
        const expectedEvents = steps.map((x) => ({ type: 'posdoctor:step', detail: { action: x.step, outcome: x.outcome } }));
        expectedEvents.push({ type: 'posdoctor:resolved', detail: { action: steps[steps.length - 1].step } });
        assert.deepEqual(events, expectedEvents);
        t.assertClean();
      } finally {
        await t.close();
      }
    });
  }
}
