// Hostile content: a provider knowledge base (kb-url) whose every text
// field carries a script or HTML payload, one whose ids do, and deep links
// and element attributes that carry the same payloads. The page must show
// the payloads as inert text, run nothing (window.__pwned stays undefined),
// inject no element (the shadow root holds exactly the elements it holds
// for a clean KB in the same state), stay usable (answer, mark a step,
// reload), and log no console error and no CSP violation.
//
// The counts of payloads × fields tried are printed at the end (for
// docs/SECURITY.md).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { missingDist, ready, readyOpening, skipOpening, state, hostPage, repoKb, allProblems, useSite } from '../lib.mjs';

export const PAYLOADS = [
  ['img-onerror', '<img src=x onerror=window.__pwned=1>'],
  ['script', '<script>window.__pwned=1</script>'],
  ['javascript-url', 'javascript:window.__pwned=1'],
  ['svg-onload', '"><svg onload=window.__pwned=1>'],
  ['10000-chars', 'W'.repeat(10000)],
  ['rtl-override', '\u202Egnp.exe\u202C \u2067<b>isolate</b>\u2069 \u200F&amp; \u202Dltr'],
];

const HTML = 'text/html; charset=utf-8';
const JSON_TYPE = 'application/json';

/** Is `v` a text of the KB ({"zh-CN", "en"}, strings or lists of strings)? */
function isText(v) {
  return v && typeof v === 'object' && !Array.isArray(v) && 'zh-CN' in v && 'en' in v
    && Object.keys(v).length === 2;
}

/** A copy of `kb` whose every text (and note) is `payload`; returns it
 * with the number of strings replaced that the page can show. */
function payloadKb(kb, payload) {
  let fields = 0;
  const walk = (v) => {
    if (Array.isArray(v)) return v.map(walk);
    if (isText(v)) {
      const out = {};
      for (const [lang, t] of Object.entries(v)) {
        if (Array.isArray(t)) {
          out[lang] = t.map(() => payload);
          fields += t.length;
        } else {
          out[lang] = payload;
          fields += 1;
        }
      }
      return out;
    }
    if (v && typeof v === 'object') {
      const out = {};
      // Cue phrases, anchors and the shop words are what the extractor
      // looks for, never shown (the validator also refuses one cue for two
      // chips). Notes are never shown either: the 10,000-character payload
      // in every note or shop word too would take the KB past its 8 MiB limit.
      for (const [k, x] of Object.entries(v)) {
        if (k === 'note') out[k] = payload.length > 1000 ? x : payload;
        else out[k] = k === 'cues' || k === 'anchors' || k === 'shop_words' ? x : walk(x);
      }
      return out;
    }
    return v;
  };
  const out = walk(kb);
  out.id = 'hostile';
  return { kb: out, fields };
}

/** Suffixes that make ids hostile: markup, quotes, lookalikes, bidi. No
 * whitespace in saved ids (facts, answer values, actions): the saved form
 * separates by spaces (see src/session.rs); cause ids may hold any. */
const ID_SUFFIXES = ['"><b>x</b>', "'<img/src=x/onerror=window.__pwned=1>", '<script>window.__pwned=1</script>', '\u202E', '\u0430', '&quot;&#x3C;'];
// Ids may not contain spaces (the validator refuses them: they are saved in
// progress and case codes), so the attribute breakout uses '/' instead.
const CAUSE_SUFFIXES = [...ID_SUFFIXES, "'/onmouseover='window.__pwned=1"];
/** Facts whose pictures depend on the fact and value: kept, so the page's
 * structure matches the clean KB's. */
const KEEP_FACTS = new Set(['network_icon', 'screen_message']);

/** A copy of `kb` whose cause, fact, answer value, action and tip ids all
 * carry hostile suffixes (references renamed alike). */
function hostileIdsKb(kb) {
  const k = JSON.parse(JSON.stringify(kb));
  k.id = 'hostile-ids';
  let ids = 0;
  const cause = new Map();
  k.causes.forEach((c, i) => { cause.set(c.id, c.id + CAUSE_SUFFIXES[i % CAUSE_SUFFIXES.length]); c.id = cause.get(c.id); ids++; });
  const renameKeys = (obj, f) => Object.fromEntries(Object.entries(obj).map(([key, v]) => [f(key), v]));
  const fact = new Map();
  k.questions.forEach((q, i) => {
    const keep = KEEP_FACTS.has(q.id);
    const old = q.id;
    if (!keep) { q.id += ID_SUFFIXES[i % ID_SUFFIXES.length]; ids++; }
    fact.set(old, q.id);
    const value = new Map();
    q.answers.forEach((a, j) => {
      value.set(a.value, keep ? a.value : a.value + ID_SUFFIXES[(i + j) % ID_SUFFIXES.length]);
      if (!keep) ids++;
      a.value = value.get(a.value);
    });
    q.likelihoods = renameKeys(q.likelihoods, (c) => (c === 'default' ? c : cause.get(c)));
    for (const row of Object.keys(q.likelihoods)) q.likelihoods[row] = renameKeys(q.likelihoods[row], (v) => value.get(v));
    if (q.offered_in) q.offered_in.answers = q.offered_in.answers.map((v) => value.get(v));
  });
  // Questions refer to other facts by id too.
  k.questions.forEach((q) => { if (q.skip_if_known) q.skip_if_known = q.skip_if_known.map((f) => fact.get(f)); });
  k.questions.forEach((q) => { if (q.offered_in) q.offered_in.question = fact.get(q.offered_in.question); });
  k.actions.forEach((a, i) => {
    a.id += ID_SUFFIXES[i % ID_SUFFIXES.length];
    ids++;
    a.fixes = renameKeys(a.fixes, (c) => cause.get(c));
    // The wait step names the fact that says when the merchant paid.
    if (a.wait_since) a.wait_since = fact.get(a.wait_since);
  });
  k.tips.forEach((t, i) => { t.id += ID_SUFFIXES[i % ID_SUFFIXES.length]; ids++; t.causes = t.causes.map((c) => cause.get(c)); });
  // Observation chips, the safety rules and paying steps name facts, values and steps too.
  const values = new Map(k.questions.map((q) => [q.id, q]));
  const renamedValue = (oldFact, oldValue) => {
    const q = kb.questions.find((x) => x.id === oldFact);
    const j = q ? q.answers.findIndex((a) => a.value === oldValue) : -1;
    return j < 0 ? oldValue : values.get(fact.get(oldFact)).answers[j].value;
  };
  const pair = (p) => ({ ...p, fact: fact.get(p.fact) || p.fact, value: renamedValue(p.fact, p.value) });
  for (const o of k.observations || []) {
    const [f, v] = [o.fact, o.value];
    o.fact = fact.get(f) || f;
    o.value = renamedValue(f, v);
    if (o.negated) o.negated = renamedValue(f, o.negated);
  }
  const action = new Map(kb.actions.map((a, i) => [a.id, k.actions[i].id]));
  if (k.safety) {
    const fee = k.safety.fee;
    if (k.safety.paid) k.safety.paid = pair(k.safety.paid);
    if (k.safety.untrusted) k.safety.untrusted = k.safety.untrusted.map(pair);
    if (k.safety.verify) k.safety.verify = action.get(k.safety.verify) || k.safety.verify;
    k.safety.fee = fact.get(fee) || fee;
    k.actions.forEach((a) => { if (a.pays) a.pays = renamedValue(fee, a.pays); });
  }
  return { kb: k, ids };
}

/** What the shadow root holds: a histogram of element names (without the
 * notices, when `skipNotices`: a link may bring one or two). */
function histogram(page, skipNotices = false) {
  return page.evaluate((skip) => {
    const h = {};
    for (const el of document.querySelector('pos-doctor').shadowRoot.querySelectorAll('*')) {
      if (skip && el.closest('.pd-notices')) continue;
      h[el.localName] = (h[el.localName] || 0) + 1;
    }
    return h;
  }, skipNotices);
}

/** Anything a payload could have made: elements, handlers, javascript: links. */
function dangers(page) {
  return page.evaluate(() => {
    const root = document.querySelector('pos-doctor').shadowRoot;
    const all = [...root.querySelectorAll('*'), ...document.querySelectorAll('*')];
    return {
      pwned: typeof window.__pwned,
      img: root.querySelectorAll('img').length,
      script: root.querySelectorAll('script').length + document.querySelectorAll('script:not([src])').length,
      b: root.querySelectorAll('b').length,
      iframe: all.filter((e) => /^(iframe|object|embed|form|base|meta|style)$/.test(e.localName) && root.contains(e)).length,
      svgOnload: all.filter((e) => e.localName === 'svg' && e.hasAttribute('onload')).length,
      onAttrs: all.filter((e) => [...e.attributes].some((a) => a.name.toLowerCase().startsWith('on'))).length,
      jsUrls: all.filter((e) => [...e.attributes].some((a) => /^\s*javascript:/i.test(a.value) && /^(href|src|action|formaction|xlink:href)$/.test(a.name))).length,
      csp: window.__cspViolations,
    };
  });
}

const SAFE = { pwned: 'undefined', img: 0, script: 0, b: 0, iframe: 0, svgOnload: 0, onAttrs: 0, jsUrls: 0, csp: 0 };

/** Answers "not sure" until a step is recommended, then marks it not fixed. */
async function useIt(page) {
  let s = await state(page);
  assert.ok(s.kind === 'question' || s.kind === 'step', `usable: ${JSON.stringify(s)}`);
  for (let i = 0; i < 12 && s.kind === 'question'; i++) {
    await page.locator('[data-question] [data-value="not_sure"]').click();
    s = await state(page);
  }
  assert.equal(s.kind, 'step');
  const before = await page.locator('[data-state="not_fixed"]').count();
  await page.locator('[data-next] [data-outcome="not_fixed"]').click();
  assert.equal(await page.locator('[data-state="not_fixed"]').count(), before + 1, 'the step was marked');
}

const missing = missingDist();
if (missing) {
  test('the built site (dist/) is there', () => assert.fail(missing));
} else {
  const tried = { kbFields: 0, kbLoads: 0, ids: 0, linkParams: 0, attrs: 0 };
  const routes = {};
  const clean = repoKb();
  clean.id = 'hostile';
  routes['/fixtures/clean.json'] = { body: JSON.stringify(clean), type: JSON_TYPE };
  routes['/fixtures/clean.html'] = { body: hostPage({ 'kb-url': './clean.json' }), type: HTML };
  const fieldsOf = {};
  for (const [name, payload] of PAYLOADS) {
    const { kb, fields } = payloadKb(repoKb(), payload);
    fieldsOf[name] = fields;
    routes[`/fixtures/hostile-${name}.json`] = { body: JSON.stringify(kb), type: JSON_TYPE };
    routes[`/fixtures/hostile-${name}.html`] = { body: hostPage({ 'kb-url': `./hostile-${name}.json` }), type: HTML };
  }
  const idsKb = hostileIdsKb(repoKb());
  const cleanIds = repoKb();
  cleanIds.id = 'hostile-ids';
  routes['/fixtures/hostile-ids.json'] = { body: JSON.stringify(idsKb.kb), type: JSON_TYPE };
  routes['/fixtures/hostile-ids.html'] = { body: hostPage({ 'kb-url': './hostile-ids.json' }), type: HTML };
  routes['/fixtures/clean-ids.json'] = { body: JSON.stringify(cleanIds), type: JSON_TYPE };
  routes['/fixtures/clean-ids.html'] = { body: hostPage({ 'kb-url': './clean-ids.json' }), type: HTML };
  for (const [name, payload] of PAYLOADS) {
    routes[`/fixtures/attrs-${name}.html`] = { body: hostPage({ lang: payload, provider: payload }), type: HTML };
  }

  const countCspViolations = () => {
    window.__cspViolations = 0;
    window.addEventListener('securitypolicyviolation', () => { window.__cspViolations += 1; }, true);
  };
  const site = useSite({ routes, pageDefaults: { initScript: countCspViolations } });
  const withPage = (fn) => site.withPage({}, fn);

  /** The page's shape in three states: start, after one answer, after a
   * step was marked (the same taps on any KB of the same numbers). */
  async function shapes(page, url) {
    await page.goto(url);
    await ready(page);
    const out = [await histogram(page)];
    await page.locator('[data-question] [data-value="not_sure"]').click();
    out.push(await histogram(page));
    await useIt(page);
    out.push(await histogram(page));
    return out;
  }

  let cleanShapes;
  test('the clean KB through kb-url: the reference shapes', { timeout: 60000 }, async () => {
    await withPage(async (page) => {
      cleanShapes = await shapes(page, `${site.url}fixtures/clean.html`);
      assert.equal(await page.locator('[data-notice="kb-fallback"]').count(), 0);
      assert.deepEqual(await dangers(page), { ...SAFE, b: 0 });
    });
  });

  for (const [name, payload] of PAYLOADS) {
    test(`every text field of a kb-url KB is "${name}": shown as text, runs nothing, injects nothing, stays usable`, { timeout: 90000 }, async () => {
      await withPage(async (page) => {
        await page.goto(`${site.url}fixtures/hostile-${name}.html`);
        await readyOpening(page);
        tried.kbLoads += 1;
        assert.equal(await page.locator('[data-notice="kb-fallback"]').count(), 0, 'the KB is valid and used');
        // The say-what-you-know screen: every chip label is the payload, as text.
        await page.locator('[data-chips-more]').click();
        const chips = await page.locator('[data-observation] .pd-chip-text').evaluateAll((els) => els.map((e) => e.textContent));
        assert.ok(chips.length > 0, 'chips are on the page');
        for (const t of chips) assert.equal(t, payload, 'a chip shows the payload as text');
        await page.locator('[data-story]').fill(payload);
        await page.waitForTimeout(100);
        assert.deepEqual(await dangers(page), SAFE);
        await skipOpening(page);
        // Shown as text, exactly, in every place KB text goes.
        const texts = await page.evaluate(() => {
          const root = document.querySelector('pos-doctor').shadowRoot;
          const sel = ['h1', '.pd-question-text', '.pd-help', '[data-question] [data-value]:not([data-value="not_sure"]) .pd-label',
            '.pd-step h3', '.pd-step > .pd-why', '.pd-how ol li', '.pd-tips li'];
          return Object.fromEntries(sel.map((s) => [s, [...root.querySelectorAll(s)].map((e) => e.textContent)]));
        });
        for (const [sel, list] of Object.entries(texts)) {
          assert.ok(list.length > 0, `${sel} is on the page`);
          for (const t of list) assert.equal(t, payload, `${sel} shows the payload as text`);
        }
        assert.ok(await page.locator('h1').isVisible(), 'the title is visible');
        // No horizontal scrolling, even for 10,000 characters without a space.
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
        await page.waitForTimeout(200); // an injected <img onerror> would have fired by now
        assert.deepEqual(await dangers(page), SAFE);
        // Same elements as the clean KB, in every state, and usable.
        const got = [await histogram(page)];
        await page.locator('[data-question] [data-value="not_sure"]').click();
        got.push(await histogram(page));
        // Causes show once the merchant has answered something.
        for (const sel of ['.pd-cause-name', '.pd-cause-detail']) {
          const list = await page.locator(sel).allTextContents();
          assert.ok(list.length > 0, `${sel} is on the page after an answer`);
          for (const t of list) assert.equal(t, payload, `${sel} shows the payload as text`);
        }
        await useIt(page);
        got.push(await histogram(page));
        assert.deepEqual(got, cleanShapes, 'no element added or lost');
        // The support summary (copied and printed) holds the text as text.
        await page.locator('[data-contact]').click();
        assert.ok((await page.locator('.pd-summary').textContent()).includes(payload.slice(0, 200)));
        // Progress survives a reload.
        const states = await page.locator('[data-state="not_fixed"]').count();
        await page.reload();
        await ready(page);
        assert.equal(await page.locator('[data-state="not_fixed"]').count(), states);
        assert.deepEqual(await dangers(page), SAFE);
        tried.kbFields += fieldsOf[name];
      });
    });
  }

  test('hostile ids (markup, quotes, lookalikes, bidi) end up only in attribute values', { timeout: 90000 }, async () => {
    let reference;
    await withPage(async (page) => {
      reference = await shapes(page, `${site.url}fixtures/clean-ids.html`);
    });
    await withPage(async (page) => {
      await page.goto(`${site.url}fixtures/hostile-ids.html`);
      await ready(page);
      assert.equal(await page.locator('[data-notice="kb-fallback"]').count(), 0, 'ids are free strings: the KB is valid');
      const kbIds = {
        cause: new Set(idsKb.kb.causes.map((c) => c.id)),
        action: new Set(idsKb.kb.actions.map((a) => a.id)),
        fact: new Set(idsKb.kb.questions.map((q) => q.id)),
      };
      const idsShown = () => page.evaluate(() => {
        const root = document.querySelector('pos-doctor').shadowRoot;
        const of = (sel, key) => [...root.querySelectorAll(sel)].map((e) => e.dataset[key]);
        return { cause: of('[data-cause]', 'cause'), action: of('[data-action]', 'action'), fact: of('[data-question]', 'question') };
      });
      const checkIds = (attrs, kinds) => {
        for (const kind of kinds) {
          assert.ok(attrs[kind].length > 0, `${kind} ids on the page`);
          for (const id of attrs[kind]) assert.ok(kbIds[kind].has(id), `${kind} id kept exactly: ${JSON.stringify(id)}`);
        }
      };
      checkIds(await idsShown(), ['action', 'fact']);
      assert.deepEqual(await dangers(page), SAFE);
      const got = [await histogram(page)];
      await page.locator('[data-question] [data-value="not_sure"]').click();
      // Causes show once the merchant has answered something.
      checkIds(await idsShown(), ['cause']);
      got.push(await histogram(page));
      await useIt(page);
      got.push(await histogram(page));
      assert.deepEqual(got, reference, 'no element added or lost');
      // Saved and restored with those ids.
      const answered = await page.locator('[data-answer]').evaluateAll((els) => els.map((e) => `${e.dataset.fact}=${e.dataset.value}`));
      await page.reload();
      await ready(page);
      assert.deepEqual(await page.locator('[data-answer]').evaluateAll((els) => els.map((e) => `${e.dataset.fact}=${e.dataset.value}`)), answered);
      assert.equal(await page.locator('[data-state="not_fixed"]').count(), 1);
      assert.equal(await page.locator('[data-notice="saved-progress"]').count(), 0);
      assert.deepEqual(await dangers(page), SAFE);
      tried.ids += idsKb.ids;
    });
  });

  for (const [name, payload] of PAYLOADS) {
    for (const encoding of ['encoded', 'raw']) {
      test(`every deep-link parameter is "${name}" (${encoding}): ignored with a notice, nothing runs, progress kept`, { timeout: 60000 }, async () => {
        const enc = encoding === 'encoded' ? encodeURIComponent : (s) => s;
        const p = enc(payload);
        const params = [`model=${p}`, `provider=${p}`, `lang=${p}`, `f.payment_result=${p}`, `f.${p}=success`, `${p}=${p}`, `case=${p}`];
        await withPage(async (page) => {
          // Progress first, on a clean page.
          await page.goto(site.url);
          await ready(page);
          const first = await state(page);
          await page.locator(`[data-question] [data-value="not_sure"]`).click();
          // The reference: a harmless junk parameter, same progress.
          await page.goto(`${site.url}#junk=1`);
          await ready(page);
          assert.equal(await page.locator('[data-notice="link"]').count(), 1);
          const reference = await histogram(page, true);
          // Then the hostile link on the same device.
          await page.goto('about:blank');
          await page.goto(`${site.url}#${params.join('&')}`);
          await ready(page);
          assert.deepEqual(await histogram(page, true), reference, 'no element added or lost');
          // One notice for the ignored parameters, one for the bad case code.
          assert.ok(await page.locator('[data-notice="link"]').count() >= 1, 'a link notice');
          assert.equal(await page.locator(`[data-answer][data-value="not_sure"]`).count(), 1, `saved progress kept (${first.fact})`);
          await page.waitForTimeout(100);
          assert.deepEqual(await dangers(page), SAFE);
          assert.equal(await page.locator('.pd').getAttribute('data-mode'), 'merchant');
          const text = await page.evaluate(() => document.querySelector('pos-doctor').shadowRoot.textContent);
          assert.ok(!text.includes(payload.slice(0, 40)) || name === 'javascript-url', 'link values are not shown');
          await useIt(page);
          assert.deepEqual(await dangers(page), SAFE);
          // Each alone, too (case= alone takes another path).
          for (const one of params) {
            await page.goto(`${site.url}#${one}`);
            await ready(page);
            // (A raw payload's own "&" splits it into more parameters.)
            assert.ok(await page.locator('[data-notice="link"]').count() >= 1, `notice for ${one.slice(0, 40)}`);
            assert.deepEqual(await dangers(page), SAFE);
          }
          tried.linkParams += params.length * 2;
        });
      });
    }
  }

  test('the element\'s lang and provider attributes carry the payloads: ignored, neutral profile', { timeout: 90000 }, async () => {
    await withPage(async (page) => {
      for (const [name, payload] of PAYLOADS) {
        await page.goto(`${site.url}fixtures/attrs-${name}.html`);
        await ready(page);
        assert.deepEqual(await dangers(page), SAFE);
        await page.locator('[data-contact]').click();
        const provider = await page.locator('.pd-provider').textContent();
        assert.ok(!provider.includes(payload.slice(0, 40)), 'an unknown provider is the neutral profile');
        assert.ok(await page.locator('.pd-where').isVisible(), 'the neutral profile says where to find the number');
        tried.attrs += 2;
      }
    });
  });

  test('no console errors, page errors, CSP violations or requests to other origins in any test above', () => {
    assert.deepEqual(allProblems, []);
    const total = tried.kbFields + tried.ids + tried.linkParams + tried.attrs;
    console.log(`hostile cases: ${tried.kbLoads} payload KBs × their text fields = ${tried.kbFields} payload×field, `
      + `${tried.ids} hostile ids, ${tried.linkParams} payload×link-parameter loads, ${tried.attrs} payload×attribute; `
      + `${total} in all (${PAYLOADS.length} payloads)`);
  });
}
