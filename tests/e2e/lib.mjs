// Shared helpers for the browser tests: the built site, Debian's chromium
// through playwright-core (never a downloaded browser), a context that
// records every console error, page error, CSP violation and request to
// another origin, and small drivers for the page's test hooks.

import { chromium } from 'playwright-core';
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { before, after } from 'node:test';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(HERE, '..', '..');
export const DIST = path.resolve(process.env.POSDOCTOR_DIST || path.join(REPO, 'dist'));
export const SCENARIOS = path.resolve(process.env.POSDOCTOR_SCENARIOS || path.join(REPO, '..', 'shared', 'scenarios', 'public.json'));
export const FIXTURES = path.join(HERE, 'fixtures');
export const CHROMIUM = process.env.POSDOCTOR_CHROMIUM || '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** Why the tests cannot run, or null. */
export function missingDist() {
  if (!existsSync(path.join(DIST, 'index.html'))) {
    return `${DIST}/index.html is missing: build the site first with ./build.sh dist`;
  }
  if (!existsSync(path.join(DIST, 'sw.js'))) return `${DIST}/sw.js is missing: run ./build.sh dist`;
  return null;
}

export async function launch() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** Every problem seen in any context, for the closing check. */
export const allProblems = [];

/** The script URLs index.html loads, so host pages can embed the element. */
export function elementScript() {
  const html = readFileSync(path.join(DIST, 'index.html'), 'utf8');
  const m = html.match(/<script type="module" src="([^"]+)"><\/script>/);
  assert.ok(m, 'dist/index.html has no <script type="module" src="…">');
  return m[1].replace(/^\.\//, '/');
}

/** A plain host page embedding <pos-doctor> with `attrs` (no service worker). */
export function hostPage(attrs) {
  const template = readFileSync(path.join(FIXTURES, 'host.html'), 'utf8');
  const attrText = Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${String(v).replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"`)
    .join('');
  return template.replace('{{SCRIPT}}', elementScript()).replace('{{ATTRS}}', attrText);
}

/** Starts the static server on dist/ plus test fixtures under /fixtures/. */
export async function serve(dir = DIST, routes = {}) {
  return startServer(dir, 0, { mounts: { '/fixtures/': FIXTURES }, routes });
}

/** The KB shipped in the repo, for provider-KB fixtures. */
export function repoKb() {
  return JSON.parse(readFileSync(path.join(REPO, 'kb', 'pos-renewal.json'), 'utf8'));
}

/**
 * A new browser context that watches for trouble. `allow`: regexps of
 * console errors a test provokes on purpose (a kb-url that answers 404).
 */
export async function openContext(browser, baseUrl, options = {}) {
  const { allow = [], ...contextOptions } = options;
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    locale: 'zh-CN',
    ...contextOptions,
  });
  const origin = new URL(baseUrl).origin;
  const problems = [];
  const allowNow = [];
  const note = (p) => { problems.push(p); allProblems.push(p); };
  await context.addInitScript(() => {
    window.__pdEvents = [];
    for (const name of ['posdoctor:step', 'posdoctor:resolved', 'posdoctor:contact']) {
      document.addEventListener(name, (e) => window.__pdEvents.push({ type: name, detail: e.detail }));
    }
    window.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || '(inline)'}`);
    }, true);
  });
  context.on('request', (req) => {
    const url = req.url();
    if (/^(data|blob|about):/.test(url)) return;
    let o;
    try { o = new URL(url).origin; } catch { o = url; }
    if (o !== origin) note(`request to another origin: ${url}`);
  });
  const watch = (page) => {
    page.on('console', (msg) => {
      if (msg.type() !== 'error') return;
      const where = msg.location() && msg.location().url ? ` (${msg.location().url})` : '';
      const text = `${msg.text()}${where}`;
      if (allow.some((re) => re.test(text)) || allowNow.some((re) => re.test(text))) return;
      note(`console error: ${text}`);
    });
    page.on('pageerror', (err) => note(`page error: ${err.message}`));
  };
  context.on('page', watch);
  return {
    context,
    problems,
    async page() {
      const page = await context.newPage();
      return page;
    },
    /** Runs `fn` while also allowing console errors matching `res`. */
    async allowing(res, fn) {
      allowNow.push(...res);
      try {
        return await fn();
      } finally {
        allowNow.length = 0;
      }
    },
    assertClean() {
      assert.deepEqual(problems, [], 'console errors, page errors, CSP violations or foreign requests');
    },
    async close() {
      await context.close();
    },
  };
}

/** The engine runs and its view is drawn (on a fresh session: the
 * say-what-you-know screen). */
export async function readyOpening(page) {
  await page.waitForSelector('pos-doctor[data-ready]', { state: 'attached', timeout: 20000 });
}

/** The merchant's words can be read: the extractor module and the text
 * pack came after data-ready (words typed before are read again then). */
export async function readyWords(page) {
  await page.waitForSelector('pos-doctor:not([data-words="loading"])', { state: 'attached', timeout: 20000 });
}

/** Continues past the say-what-you-know screen with nothing chosen, if it
 * shows (what a merchant who just wants the questions does). */
export async function skipOpening(page) {
  if (await page.locator('[data-opening]').count()) {
    await page.locator('[data-opening-done]').click();
    await page.locator('[data-opening]').waitFor({ state: 'detached', timeout: 10000 });
  }
}

/** Ready, and past the say-what-you-know screen with nothing chosen: the
 * state most tests start from. */
export async function ready(page) {
  await readyOpening(page);
  await skipOpening(page);
  // The text pack (how-to, why, tips) and the extractor module land after
  // data-ready and redraw the view: wait for them, so a test never holds an
  // element that redraw removes.
  await page.waitForSelector('pos-doctor:not([data-details="loading"]):not([data-words="loading"])', { state: 'attached', timeout: 10000 });
}

/** What the page recommends now, read through the test hooks. */
export async function state(page) {
  return page.evaluate(() => {
    const root = document.querySelector('pos-doctor').shadowRoot;
    const q = root.querySelector('[data-question]');
    const n = root.querySelector('[data-next]');
    const status = root.querySelector('.pd') && root.querySelector('.pd').dataset.status;
    if (q && n) return { kind: 'both', status };
    if (q) {
      return {
        kind: 'question',
        fact: q.dataset.question,
        values: [...q.querySelectorAll('[data-fact][data-value]')].map((b) => b.dataset.value),
        // Every button's fact=value: a button may answer another fact
        // offered inside this question (the KB's `offered_in`).
        answers: [...q.querySelectorAll('[data-fact][data-value]')].map((b) => ({ fact: b.dataset.fact, value: b.dataset.value })),
        status,
      };
    }
    if (n) return { kind: 'step', action: n.dataset.action, status };
    if (root.querySelector('[data-opening]')) return { kind: 'opening', status };
    return { kind: 'none', status };
  });
}

/** The button answering `fact=value` in question `question` (default: the
 * question's own fact; another when the fact is offered inside it). */
export function answerButton(page, fact, value, question = fact) {
  return page.locator(`[data-question="${question}"] [data-fact="${fact}"][data-value="${value}"]`);
}

export function outcomeButton(page, action, outcome) {
  return page.locator(`[data-action="${action}"][data-next] [data-outcome="${outcome}"]`);
}

/** Answers with not_sure until the page recommends a step. */
export async function untilStep(page, facts = {}, limit = 12) {
  for (let i = 0; i < limit; i++) {
    const s = await state(page);
    if (s.kind === 'step') return s;
    assert.equal(s.kind, 'question', `expected a question or a step, got ${JSON.stringify(s)}`);
    const v = facts[s.fact] && s.values.includes(facts[s.fact]) ? facts[s.fact] : 'not_sure';
    await answerButton(page, s.fact, v).click();
  }
  assert.fail('no step recommended');
}

/**
 * Plays a story from the current state as the simulated merchant of
 * `posdoctor eval` does: answers each question with the story's value (or
 * not_sure), does each recommended step (fixed when it is in fixed_by),
 * at most 12 steps. Returns { trace, fixed }; trace as in eval's --json.
 */
export async function playStory(page, story) {
  const trace = [];
  let fixed = false;
  while (!fixed && trace.length < 12) {
    const s = await state(page);
    if (s.kind === 'question') {
      // The question's own answer if the story says it; else an answer
      // offered inside it for another fact the story says (as eval does).
      const own = s.answers.find((a) => a.fact === s.fact && a.value === story.facts[s.fact]);
      const offered = s.answers.find((a) => a.fact !== s.fact && story.facts[a.fact] === a.value);
      const { fact, value } = own || offered || { fact: s.fact, value: 'not_sure' };
      assert.ok(s.values.includes('not_sure'), `question ${s.fact} has no not_sure answer`);
      await answerButton(page, fact, value, s.fact).click();
      trace.push(fact === s.fact ? { question: s.fact, answer: value } : { question: s.fact, answer: value, fact });
      // The answer now shows in the summary, outside the question.
      assert.equal(await page.locator(`[data-answer][data-fact="${fact}"]`).count(), 1);
      assert.equal(await page.locator(`[data-answer][data-fact="${fact}"]`).getAttribute('data-source'), 'question');
      assert.equal(await page.locator('[data-question] [data-answer]').count(), 0);
    } else if (s.kind === 'step') {
      fixed = story.fixed_by.includes(s.action);
      const outcome = fixed ? 'fixed' : 'not_fixed';
      await outcomeButton(page, s.action, outcome).click();
      trace.push({ step: s.action, outcome });
      assert.equal(await page.locator(`[data-action="${s.action}"]`).getAttribute('data-state'), outcome);
    } else if (s.kind === 'none' && (s.status === 'exhausted' || s.status === 'resolved')) {
      break;
    } else {
      assert.fail(`neither a question nor a step is recommended: ${JSON.stringify(s)} after ${JSON.stringify(trace)}`);
    }
  }
  return { trace, fixed };
}

/** The questions and steps of an eval trace (what the page's taps are). */
export function tapsOf(trace) {
  return trace.filter((x) => x.question !== undefined || x.step !== undefined);
}

export async function hostText(page, selector) {
  return page.locator(selector).first().textContent();
}

/** The `posdoctor eval --json` report on `file` (default: the scenario
 * file of POSDOCTOR_SCENARIOS), with `--opening OPENING` when given: from
 * POSDOCTOR_EVAL_JSON for the default file and opening, else by running
 * the CLI. */
export function evalReport(file = SCENARIOS, opening = null) {
  if (process.env.POSDOCTOR_EVAL_JSON && file === SCENARIOS && !opening) {
    return JSON.parse(readFileSync(process.env.POSDOCTOR_EVAL_JSON, 'utf8'));
  }
  const args = ['run', '-q', '--release', '--', 'eval', '--scenarios', file, '--json'];
  if (opening) args.push('--opening', opening);
  const r = spawnSync('cargo', args, {
    cwd: REPO, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) {
    throw new Error(`posdoctor eval failed (exit ${r.status}):\n${r.stderr}`);
  }
  return JSON.parse(r.stdout);
}

export function scenarios(file = SCENARIOS) {
  return JSON.parse(readFileSync(file, 'utf8')).scenarios;
}

/** The scenario files every story test runs: POSDOCTOR_SCENARIOS if set,
 * else public.json (vocabulary v1) and public-v2.json (v2). */
export function scenarioFiles() {
  if (process.env.POSDOCTOR_SCENARIOS) return [SCENARIOS];
  const dir = path.join(REPO, '..', 'shared', 'scenarios');
  return ['public.json', 'public-v2.json'].map((f) => path.join(dir, f)).filter((f) => existsSync(f));
}

export const CJK = /[\u3400-\u9fff]/;

/** Runs `fn(page, t)` in a fresh context of `browser` on `url` (see
 * openContext; `options.initScript` runs before any page script) and
 * checks that it stayed clean: no console error, page
 * error, CSP violation or foreign request. */
export async function inCleanContext(browser, url, options, fn) {
  const { initScript, ...contextOptions } = options || {};
  const t = await openContext(browser, url, contextOptions);
  if (initScript) await t.context.addInitScript(initScript);
  try {
    const page = await t.page();
    await fn(page, t);
    t.assertClean();
  } finally {
    await t.close();
  }
}

/** The frame most browser test files share: one server for `dir` (the
 * built site by default, with `routes`) and one Chromium for the file's
 * tests, started before them and closed after. `site.url` and
 * `site.browser` are there once the tests run; `site.withPage(options,
 * fn)` runs `fn` on a page in a clean context. */
export function useSite({ dir, routes, pageDefaults = {} } = {}) {
  const site = {
    srv: null,
    browser: null,
    get url() { return site.srv.url; },
    withPage: (options, fn) => inCleanContext(site.browser, site.srv.url, { ...pageDefaults, ...options }, fn),
  };
  before(async () => {
    site.srv = await serve(dir, routes);
    site.browser = await launch();
  });
  after(async () => {
    if (site.browser) await site.browser.close();
    if (site.srv) await site.srv.close();
  });
  return site;
}
