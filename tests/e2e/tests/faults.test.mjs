// Faults: saved progress that is damaged or from another format version,
// storage that throws, two tabs writing, a kb-url that never answers or
// answers with an invalid knowledge base, an unknown provider, and a panic
// inside the wasm. The merchant never loses more than the fault itself
// took, never sees a blank page, and always gets a notice that says why.
//
// The panic test needs a site built with the test-hooks feature (a
// debugPanic() the release build does not have): POSDOCTOR_HOOKS_DIST, or
// dist-hooks/ at the repo root (./build.sh test builds it), built here if
// missing.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { missingDist, openContext, ready, skipOpening, state, hostPage, repoKb, allProblems, REPO, CJK, useSite } from '../lib.mjs';
import { startServer } from '../server.mjs';

const KEY = 'posdoctor:session:pos-renewal';
const HTML = 'text/html; charset=utf-8';
const HOOKS_DIST = path.resolve(process.env.POSDOCTOR_HOOKS_DIST || path.join(REPO, 'dist-hooks'));

/** Builds the test-hooks site when it is not there (a few minutes). */
function hooksDist() {
  if (!existsSync(path.join(HOOKS_DIST, 'index.html'))) {
    const r = spawnSync('./build.sh', ['dist'], {
      cwd: REPO,
      encoding: 'utf8',
      env: { ...process.env, POSDOCTOR_FEATURES: 'test-hooks', DIST_DIR: HOOKS_DIST, PKG_DIR: path.join(path.dirname(HOOKS_DIST), 'pkg-hooks') },
      maxBuffer: 64 * 1024 * 1024,
    });
    if (r.status !== 0) throw new Error(`building the test-hooks site failed:\n${r.stderr}`);
  }
  return HOOKS_DIST;
}

/** Saved progress that is no saved progress: damaged, foreign, or of
 * another format version (the JSON of the first releases included). */
const DAMAGED = [
  ['not JSON, not text', '{not json'],
  ['control characters', '\u0000\u0001\u0002'],
  ['truncated line', 'posdoctor-session 1\nkb pos-renewal 1\na payment_result'],
  ['no kb line', 'posdoctor-session 1\na payment_result success\n'],
  ['binary junk', '\uFFFD\uD7FF\u202E<script>window.__pwned=1</script>'],
  ['older format version (JSON, "v":0)', '{"v":0,"kb":"pos-renewal","kb_version":"1","answers":[{"fact":"payment_result","value":"success"}]}'],
  ['the JSON format of version 1', '{"v":1,"kb":"pos-renewal","kb_version":"1","answers":[{"fact":"payment_result","value":"success"}],"steps":[]}'],
  ['older text format version', 'posdoctor-session 0\nkb pos-renewal 1\na payment_result success\n'],
  ['newer format version', 'posdoctor-session 99\nkb pos-renewal 1\na payment_result success\n'],
  ['an enormous record', `posdoctor-session 1\nkb pos-renewal 1\n${'a payment_result success\n'.repeat(50000)}x`],
];

const missing = missingDist();
if (missing) {
  test('the built site (dist/) is there', () => assert.fail(missing));
} else {
  const counted = { storage: 0, network: 0, tabs: 0, panic: 0, provider: 0 };
  const invalidKb = repoKb();
  invalidKb.id = 'provider-invalid';
  invalidKb.causes[0].prior = 2;
  delete invalidKb.questions[1].likelihoods;
  invalidKb.actions[2].fixes = { 'no.such.cause': 0.5 };
  // A kb-url that never answers: the request is held until the test ends.
  const hung = [];

  const site = useSite({
    routes: {
      '/fixtures/blank.html': { body: '<!doctype html><title>blank</title><link rel="icon" href="data:,">', type: HTML },
      '/fixtures/kb-hang.html': { body: hostPage({ 'kb-url': './hang.json', lang: 'en' }), type: HTML },
      '/fixtures/kb-invalid-kb.html': { body: hostPage({ 'kb-url': './invalid-kb.json', lang: 'en' }), type: HTML },
      '/fixtures/invalid-kb.json': { body: JSON.stringify(invalidKb), type: 'application/json' },
      '/fixtures/kb-html.html': { body: hostPage({ 'kb-url': './html-kb.json' }), type: HTML },
      '/fixtures/html-kb.json': { body: '<!doctype html><h1>502 Bad Gateway</h1>', type: HTML },
      '/fixtures/provider-unknown.html': { body: hostPage({ provider: 'no-such-provider' }), type: HTML },
    },
  });
  after(() => {
    for (const route of hung) route.abort().catch(() => {});
  });

  const withPage = site.withPage;

  const answers = (page) => page.locator('[data-answer]').evaluateAll((els) => els.map((e) => `${e.dataset.fact}=${e.dataset.value}`));
  const notices = (page) => page.locator('[data-notice]').evaluateAll((els) => els.map((e) => e.dataset.notice));

  /** Sets saved progress before the page loads (from a blank page of the same origin). */
  async function seed(page, value) {
    await page.goto(`${site.url}fixtures/blank.html`);
    await page.evaluate(([k, v]) => localStorage.setItem(k, v), [KEY, value]);
  }

  for (const [what, junk] of DAMAGED) {
    test(`saved progress: ${what} → a fresh start with the saved-progress notice, then saving works again`, { timeout: 60000 }, async () => {
      await withPage({}, async (page) => {
        await seed(page, junk);
        await page.goto(site.url);
        await ready(page);
        assert.deepEqual(await notices(page), ['saved-progress']);
        assert.deepEqual(await answers(page), [], 'fresh');
        const s = await state(page);
        assert.equal(s.kind, 'question');
        await page.locator('[data-question] [data-value="not_sure"]').click();
        const now = await answers(page);
        await page.reload();
        await ready(page);
        assert.deepEqual(await notices(page), [], 'the damaged record was replaced by a good one');
        assert.deepEqual(await answers(page), now);
        assert.equal(await page.evaluate(() => typeof window.__pwned), 'undefined');
        counted.storage += 1;
      });
    });
  }

  test('saved progress naming facts and steps the KB no longer has: kept what it knows, with a notice', { timeout: 60000 }, async () => {
    await withPage({}, async (page) => {
      await seed(page, 'posdoctor-session 1\nkb pos-renewal 0\na payment_result success\na gone.fact x\ns action.gone fixed\nmodel <b>x</b>\n');
      await page.goto(site.url);
      await ready(page);
      assert.deepEqual(await notices(page), ['saved-progress']);
      assert.deepEqual(await answers(page), ['payment_result=success']);
      counted.storage += 1;
    });
  });

  // Storage that throws: blocked (private mode, a sandboxed frame, cookies
  // off), or full (quota) on write only.
  const THROWING = {
    'getItem and setItem throw (private mode)': () => {
      const deny = () => { throw new DOMException('The operation is insecure.', 'SecurityError'); };
      Storage.prototype.getItem = deny;
      Storage.prototype.setItem = deny;
      Storage.prototype.removeItem = deny;
    },
    'window.localStorage itself throws (storage blocked)': () => {
      Object.defineProperty(window, 'localStorage', {
        configurable: true,
        get() { throw new DOMException('Access is denied for this document.', 'SecurityError'); },
      });
    },
    'setItem throws QuotaExceededError (storage full)': () => {
      Storage.prototype.setItem = () => { throw new DOMException('The quota has been exceeded.', 'QuotaExceededError'); };
    },
  };
  for (const [what, script] of Object.entries(THROWING)) {
    test(`storage: ${what} → works in memory with the storage notice`, { timeout: 60000 }, async () => {
      await withPage({}, async (page, t) => {
        await t.context.addInitScript(script);
        await page.goto(site.url);
        await ready(page);
        assert.deepEqual(await notices(page), ['storage']);
        // Usable: answers and steps work, in memory.
        for (let i = 0; i < 12 && (await state(page)).kind === 'question'; i++) {
          await page.locator('[data-question] [data-value="not_sure"]').click();
        }
        assert.equal((await state(page)).kind, 'step');
        await page.locator('[data-next] [data-outcome="not_fixed"]').click();
        assert.equal(await page.locator('[data-state="not_fixed"]').count(), 1);
        assert.ok((await answers(page)).length >= 1);
        assert.deepEqual(await notices(page), ['storage'], 'one notice, not one per tap');
        await page.locator('[data-lang="en"]').click();
        assert.deepEqual(await notices(page), ['storage']);
        // Nothing was saved, so a reload starts fresh, with the notice again.
        await page.reload();
        await ready(page);
        assert.deepEqual(await notices(page), ['storage']);
        counted.storage += 1;
      });
    });
  }

  test('two tabs answering differently: the last write wins, and a reload shows one consistent record', { timeout: 90000 }, async () => {
    await withPage({}, async (a, t) => {
      await a.goto(site.url);
      await ready(a);
      const b = await t.page();
      await b.goto(site.url);
      await ready(b);
      const first = await state(a);
      assert.equal(first.kind, 'question');
      const [va, vb] = [first.values.find((v) => v !== 'not_sure'), 'not_sure'];
      // Both tabs show the same first question; each answers it its way.
      await a.locator(`[data-question] [data-value="${va}"]`).click();
      await b.locator(`[data-question] [data-value="${vb}"]`).click();
      // B wrote last: a reload of either tab shows B's record, whole.
      const bRecord = await answers(b);
      await a.reload();
      await ready(a);
      assert.deepEqual(await answers(a), bRecord, 'tab A after reload: the last write (B)');
      assert.deepEqual(await notices(a), [], 'not a damaged record');
      // Then A (now on B's record) goes on; B, still showing its own state, writes again.
      await a.locator('[data-question] [data-value="not_sure"]').click();
      const s = await state(b);
      if (s.kind === 'question') {
        await b.locator(`[data-question] [data-value="${s.values.find((v) => v !== 'not_sure')}"]`).click();
      } else {
        await b.locator('[data-next] [data-outcome="cannot_do"]').click();
      }
      const bLast = { answers: await answers(b), steps: await b.locator('[data-state]:not([data-state="todo"])').count() };
      const saved = await a.evaluate((k) => localStorage.getItem(k), KEY);
      assert.match(saved, /^posdoctor-session 1\nkb pos-renewal /, 'a well-formed record');
      for (const tab of [a, b]) {
        await tab.reload();
        await ready(tab);
        assert.deepEqual(await notices(tab), []);
        assert.deepEqual(await answers(tab), bLast.answers, 'B\'s last state, not a mix of both tabs');
        assert.equal(await tab.locator('[data-state]:not([data-state="todo"])').count(), bLast.steps);
      }
      counted.tabs += 1;
    });
  });

  test('kb-url that never answers: the built-in KB within a bounded time, with the kb-fallback notice', { timeout: 60000 }, async () => {
    await withPage({}, async (page) => {
      const warnings = [];
      page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
      await page.route('**/fixtures/hang.json', (route) => { hung.push(route); });
      const t0 = Date.now();
      await page.goto(`${site.url}fixtures/kb-hang.html`);
      await page.waitForSelector('pos-doctor[data-ready]', { state: 'attached', timeout: 20000 });
      const waited = Date.now() - t0;
      assert.ok(waited >= 7000 && waited < 14000, `fell back after ${waited} ms (timeout 8 s)`);
      assert.equal(hung.length, 1, 'the kb-url was requested');
      assert.deepEqual(await notices(page), ['kb-fallback']);
      // A fresh session: the say-what-you-know screen, then the questions.
      assert.equal((await state(page)).kind, 'opening');
      await skipOpening(page);
      assert.equal((await state(page)).kind, 'question');
      assert.ok(warnings.some((w) => /kb-url: no answer within 8 s/.test(w)), `the reason is in the console: ${warnings}`);
      counted.network += 1;
    });
  });

  test('kb-url with valid JSON but an invalid KB: the built-in KB, the notice, and every error with its JSON path as a console warning', { timeout: 60000 }, async () => {
    await withPage({}, async (page) => {
      const warnings = [];
      page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
      await page.goto(`${site.url}fixtures/kb-invalid-kb.html`);
      await ready(page);
      assert.deepEqual(await notices(page), ['kb-fallback']);
      const s = await state(page);
      assert.equal(s.kind, 'question');
      await page.locator('[data-question] [data-value="not_sure"]').click();
      for (const path of ['$.causes[0].prior', '$.questions[1].likelihoods', '$.actions[2].fixes["no.such.cause"]']) {
        assert.ok(warnings.some((w) => w.includes(path)), `console warning naming ${path}: ${warnings.join(' | ')}`);
      }
      counted.network += 1;
    });
  });

  test('kb-url answering an HTML error page: the built-in KB with the notice', { timeout: 60000 }, async () => {
    await withPage({}, async (page) => {
      await page.goto(`${site.url}fixtures/kb-html.html`);
      await ready(page);
      assert.deepEqual(await notices(page), ['kb-fallback']);
      counted.network += 1;
    });
  });

  test('an unknown provider, in the link or the attribute: the neutral profile', { timeout: 60000 }, async () => {
    await withPage({ locale: 'en-US' }, async (page) => {
      const support = async () => {
        await page.locator('[data-contact]').click();
        return { provider: await page.locator('.pd-provider').textContent(), where: await page.locator('.pd-where').textContent(), hotline: await page.locator('.pd-hotline').count() };
      };
      await page.goto(site.url);
      await ready(page);
      const neutral = await support();
      for (const url of [`${site.url}#provider=no-such-provider`, `${site.url}fixtures/provider-unknown.html`]) {
        await page.goto('about:blank');
        await page.goto(url);
        await ready(page);
        assert.deepEqual(await support(), neutral, url);
        assert.equal(neutral.hotline, 0, 'never a made-up hotline');
        counted.provider += 1;
      }
    });
  });

  test('a release build has no panic trigger: #debug-panic is an ignored parameter', { timeout: 60000 }, async () => {
    await withPage({}, async (page) => {
      await page.goto(`${site.url}#debug-panic`);
      await ready(page);
      assert.equal(await page.locator('[data-notice="error"]').count(), 0);
      assert.equal(await page.evaluate(() => typeof document.querySelector('pos-doctor')._doctor.debugPanic), 'undefined');
      assert.equal((await state(page)).kind, 'question');
    });
  });

  for (const [locale, words, notWords] of [['zh-CN', CJK, /Something went wrong/], ['en-US', /Something went wrong/, CJK]]) {
    test(`a panic inside the wasm (${locale}): a friendly message with a reload button, the panic text in the console, progress kept`, { timeout: 600000 }, async () => {
      const dir = hooksDist();
      const hooks = await startServer(dir, 0);
      try {
        const errors = [];
        const t = await openContext(site.browser, hooks.url, { locale, allow: [/posdoctor test panic/, /RuntimeError: unreachable/] });
        try {
          const page = await t.page();
          page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
          await page.goto(hooks.url);
          await ready(page);
          await page.locator('[data-question] [data-value="not_sure"]').click();
          const before = await answers(page);
          // The trigger on a live page (a hash change re-creates the doctor).
          await page.evaluate(() => { location.hash = '#debug-panic'; });
          const notice = page.locator('[data-notice="error"]');
          await notice.waitFor({ timeout: 20000 });
          const text = await notice.textContent();
          assert.match(text, words, `in the page's language: ${text}`);
          assert.doesNotMatch(text, notWords);
          assert.equal(await notice.locator('button[data-reload]').count(), 1, 'a reload button');
          assert.equal(await page.locator('pos-doctor[data-ready]').count(), 0, 'no longer claims to be ready');
          assert.ok(errors.some((e) => e.includes('posdoctor test panic')), `the panic text in the console: ${errors}`);
          assert.equal(await page.locator('[data-question], [data-action]').count(), 0, 'nothing half-working left');
          // Reload (without the trigger): progress is still there.
          await page.evaluate(() => { history.replaceState(null, '', location.pathname); });
          await Promise.all([page.waitForEvent('load'), notice.locator('button').click()]);
          await ready(page);
          assert.deepEqual(await answers(page), before);
          assert.deepEqual(await notices(page), []);
          t.assertClean();
          counted.panic += 1;
        } finally {
          await t.close();
        }
      } finally {
        await hooks.close();
      }
    });
  }

  test('no console errors, page errors, CSP violations or requests to other origins in any test above', () => {
    assert.deepEqual(allProblems, []);
    const total = Object.values(counted).reduce((x, y) => x + y, 0);
    console.log(`fault cases: ${counted.storage} saved-progress/storage, ${counted.tabs} two-tab, ${counted.network} kb-url, `
      + `${counted.provider} unknown provider, ${counted.panic} panic; ${total} in all`);
  });
}
