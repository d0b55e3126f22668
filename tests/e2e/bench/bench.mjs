// posdoctor benchmarks: bytes, load time, Lighthouse, engine speed and
// decision quality, measured side by side in one run (`./build.sh bench`).
// Prints one plain-text table and writes the same table, the commands and
// the machine to docs/BENCHMARKS.md (between the bench:start/end markers, so
// the hand-written header stays). Measurement only: nothing here fails on a
// missed budget; the table says pass or FAIL beside each.
//
// Environment:
//   POSDOCTOR_DIST        the site to measure (default dist/)
//   POSDOCTOR_PKG         the wasm-bindgen output with posdoctor_bg.unopt.wasm (default pkg/)
//   POSDOCTOR_BENCH_OUT   the markdown file to write (default docs/BENCHMARKS.md; "-" = none)
//   POSDOCTOR_BENCH_RUNS  load runs per profile (default 5)
//   POSDOCTOR_LH_RUNS     Lighthouse runs (default 3; 0 skips Lighthouse)
//   POSDOCTOR_CHROMIUM    the browser (default /usr/bin/chromium)
//   CARGO_TARGET_DIR      passed through to cargo

import { chromium } from 'playwright-core';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync, constants as Z } from 'node:zlib';
import { startServer } from '../server.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const E2E = path.resolve(HERE, '..');
const REPO = path.resolve(E2E, '..', '..');
const DIST = path.resolve(process.env.POSDOCTOR_DIST || path.join(REPO, 'dist'));
const PKG = path.resolve(process.env.POSDOCTOR_PKG || path.join(REPO, 'pkg'));
const OUT = process.env.POSDOCTOR_BENCH_OUT === '-' ? null
  : path.resolve(process.env.POSDOCTOR_BENCH_OUT || path.join(REPO, 'docs', 'BENCHMARKS.md'));
const RUNS = Number(process.env.POSDOCTOR_BENCH_RUNS || 5);
const LH_RUNS = Number(process.env.POSDOCTOR_LH_RUNS ?? 3);
const CHROMIUM = process.env.POSDOCTOR_CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const SCENARIOS = path.resolve(REPO, '..', 'shared', 'scenarios', 'public.json');
const LIGHTHOUSE_VERSION = '12.8.2';

// DevTools' presets, as DESIGN.md quotes them (bytes per second), with
// DESIGN's budgets: the opening screen visible after one round trip
// (`visible`, zh-CN browsers; an English browser sees the same Chinese
// static screen until the script switches it) and answerable (`data-ready`)
// within 1.1 × the floor and never over `ready`.
const PROFILES = [
  { name: 'Slow 3G', latency: 2000, down: 50000, up: 50000, ready: 6000, visible: 2600 },
  { name: 'Slow 3G, English browser', latency: 2000, down: 50000, up: 50000, ready: 6000, visible: 2600, locale: 'en-US' },
  { name: 'Fast 3G', latency: 562.5, down: 180000, up: 84375, ready: 1800, visible: 900 },
  { name: 'Fast 3G, English browser', latency: 562.5, down: 180000, up: 84375, ready: 1800, visible: 900, locale: 'en-US' },
];
const BUDGET = {
  criticalBr: 50000,     // bytes as sent, every body finished before data-ready
  firstVisitBr: 70000,   // bytes as sent, every URL of the first visit once, precache included
  wasmRaw: 150000,       // bytes, the page wasm after wasm-opt
  floorFactor: 1.1,      // answerable ≤ 1.1 × (2 round trips + critical bytes ÷ bandwidth)
  warm: 300,             // ms, offline reload from the service worker
  lighthouse: 100,       // every category, every run
  decisionDefaultUs: 1000,
  decision1000Us: 50000,
};

const log = (...a) => console.error('bench:', ...a);
const median = (xs) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmtInt = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a');
const fmtMs = (n) => (Number.isFinite(n) ? `${fmtInt(n)} ms` : 'n/a');
const fmtUs = (n) => (!Number.isFinite(n) ? 'n/a' : n >= 100 ? `${fmtInt(n)} µs` : `${n.toFixed(n >= 10 ? 1 : 2)} µs`);
const verdict = (ok) => (ok === null ? '' : ok ? 'pass' : 'FAIL');

function sizes(buf) {
  return {
    raw: buf.length,
    gzip: gzipSync(buf, { level: 9 }).length,
    br: brotliCompressSync(buf, {
      params: { [Z.BROTLI_PARAM_QUALITY]: 11, [Z.BROTLI_PARAM_SIZE_HINT]: buf.length },
    }).length,
  };
}

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
  return r.status === 0 ? r.stdout.trim() : null;
}

function run(cmd, args, opts = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

// ---- the machine ----------------------------------------------------------

function machine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = (cpuinfo.match(/^model name\s*:\s*(.+)$/m) || [])[1] || os.cpus()[0]?.model || 'unknown';
  const memKb = Number((readFileSync('/proc/meminfo', 'utf8').match(/^MemTotal:\s+(\d+)/m) || [])[1]);
  const commit = sh('git', ['-C', REPO, 'rev-parse', '--short', 'HEAD']);
  const dirty = sh('git', ['-C', REPO, 'status', '--porcelain', '--untracked-files=no']);
  return {
    nproc: sh('nproc', []) || String(os.cpus().length),
    cpu: model.trim(),
    memory: `${(memKb / 1024 / 1024).toFixed(1)} GiB`,
    chromium: sh(CHROMIUM, ['--version']) || 'unknown',
    node: process.version,
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    commit: commit ? `${commit}${dirty ? ' (with uncommitted changes)' : ''}` : 'unknown',
    load: os.loadavg().map((x) => x.toFixed(2)).join(' '),
  };
}

// ---- engine and decision quality (native) --------------------------------

async function cargo(args) {
  const r = await run('cargo', ['run', '-q', '--release', '--', ...args], { cwd: REPO });
  if (r.code !== 0) throw new Error(`cargo run -- ${args.join(' ')} failed (exit ${r.code}):\n${r.err}`);
  return JSON.parse(r.out);
}

// ---- the page probe ----------------------------------------------------------

// Installed before any page script: records performance.now() (ms since
// navigation start) when the first screen is in the DOM and visible, and
// when <pos-doctor> gets data-ready. Mutation observers on the document and
// on every shadow root catch the exact task; a requestAnimationFrame poll
// catches anything they miss (a declarative shadow root, say).
function probe() {
  const B = { visible: null, ready: null };
  window.__pdBench = B;
  const question = () => {
    const el = document.querySelector('pos-doctor');
    // The first screen: the say-what-you-know screen, live or the
    // build-time snapshot of it that index.html carries (or, in a
    // session already past it, the question).
    const first = '[data-opening], .pd-opening, [data-question], .pd-question';
    const q = (el && el.shadowRoot && el.shadowRoot.querySelector(first)) || document.querySelector(first);
    if (!q || !q.isConnected) return false;
    const r = q.getBoundingClientRect();
    return q.checkVisibility({ visibilityProperty: true, opacityProperty: true }) && r.width > 0 && r.height > 0;
  };
  const check = () => {
    const now = performance.now();
    if (B.visible === null && question()) B.visible = now;
    if (B.ready === null && document.querySelector('pos-doctor[data-ready]')) B.ready = now;
    return B.visible !== null && B.ready !== null;
  };
  const observers = [];
  const observe = (node) => {
    const mo = new MutationObserver(() => {
      if (check()) observers.forEach((o) => o.disconnect());
    });
    mo.observe(node, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-ready', 'hidden', 'class', 'style'] });
    observers.push(mo);
  };
  observe(document);
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function attachShadow(init) {
    const root = attach.call(this, init);
    observe(root);
    return root;
  };
  const tick = () => { if (!check()) requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
}

async function newContext(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', ...options });
  await context.addInitScript(probe);
  return context;
}

async function waitMarks(page, timeout = 90000) {
  await page.waitForFunction(() => window.__pdBench && window.__pdBench.ready !== null && window.__pdBench.visible !== null,
    null, { timeout, polling: 50 });
  return page.evaluate(() => ({ ...window.__pdBench }));
}

// ---- bytes: what a first visit loads ---------------------------------------

function distFile(urlPath) {
  let rel = decodeURIComponent(urlPath);
  if (rel.endsWith('/')) rel += 'index.html';
  const file = path.join(DIST, path.normalize(rel));
  return file.startsWith(DIST + path.sep) && existsSync(file) ? file : null;
}

async function firstVisit(browser, base) {
  const context = await newContext(browser);
  const seen = new Map(); // path → {fetches, pageTypes, swFetches, status}
  context.on('response', (res) => {
    const req = res.request();
    const u = new URL(req.url());
    if (u.origin !== new URL(base).origin) return;
    const e = seen.get(u.pathname) || { fetches: 0, pageTypes: new Set(), swFetches: 0, status: res.status() };
    e.fetches += 1;
    if (req.serviceWorker()) e.swFetches += 1;
    else e.pageTypes.add(req.resourceType());
    seen.set(u.pathname, e);
  });
  const page = await context.newPage();
  await page.goto(base, { waitUntil: 'load' });
  const marks = await waitMarks(page);
  // The service worker's install fetches every precached file: wait for it.
  const sw = await page.evaluate(() => Promise.race([
    navigator.serviceWorker.ready.then((r) => (r.active ? r.active.state : 'none')),
    new Promise((resolve) => setTimeout(() => resolve('timeout'), 30000)),
  ]));
  await page.waitForTimeout(1000);
  // The engine inside wasm, in the loaded page: answer one question, then
  // time the element's Rust object deciding and building the view.
  const engine = await page.evaluate(async () => {
    const el = document.querySelector('pos-doctor');
    // Past the say-what-you-know screen with nothing chosen, to the first question.
    const done = el.shadowRoot.querySelector('[data-opening-done]');
    if (done) {
      done.click();
      await new Promise((r) => setTimeout(r, 50));
    }
    const btn = el.shadowRoot.querySelector('[data-question] [data-fact][data-value]');
    const answered = btn ? `${btn.dataset.fact}=${btn.dataset.value}` : null;
    if (btn) btn.click();
    await new Promise((r) => setTimeout(r, 50));
    const d = el._doctor;
    if (!d || typeof d.view !== 'function') return { error: 'no el._doctor.view()' };
    for (let i = 0; i < 20; i++) d.view(); // warm-up (JIT, caches)
    // performance.now() is coarsened (100 µs) without cross-origin
    // isolation; time batches of k calls so each sample spans ≥ ~2 ms.
    let t0 = performance.now();
    for (let i = 0; i < 50; i++) d.view();
    const est = (performance.now() - t0) / 50;
    const k = Math.max(1, Math.min(100, Math.ceil(2 / Math.max(est, 0.001))));
    const single = [];
    const batched = [];
    for (let s = 0; s < 200; s++) {
      t0 = performance.now();
      d.view();
      single.push(performance.now() - t0);
    }
    for (let s = 0; s < 200; s++) {
      t0 = performance.now();
      for (let i = 0; i < k; i++) d.view();
      batched.push((performance.now() - t0) / k);
    }
    const med = (xs) => { const s = [...xs].sort((a, b) => a - b); return (s[99] + s[100]) / 2; };
    return { answered, k, singleMs: med(single), batchedMs: med(batched) };
  });
  await context.close();
  return { seen, sw, marks, engine };
}

// ---- load: cold with network emulation, and warm offline ---------------------

// `bodyOf(path)`: the body the server sent for that path (as sent: brotli
// for text, wasm and .bin), from its own record of every response.
async function coldRun(browser, base, profile, bodyOf) {
  const context = await newContext(browser, { serviceWorkers: 'block', ...(profile.locale ? { locale: profile.locale } : {}) });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: profile.latency,
    downloadThroughput: profile.down,
    uploadThroughput: profile.up,
  });
  const reqs = new Map();
  cdp.on('Network.requestWillBeSent', (e) => {
    if (!/^https?:/.test(e.request.url)) return;
    reqs.set(e.requestId, { url: e.request.url, start: e.timestamp, type: e.type, cached: false });
  });
  cdp.on('Network.requestServedFromCache', (e) => { const r = reqs.get(e.requestId); if (r) r.cached = true; });
  cdp.on('Network.responseReceived', (e) => {
    const r = reqs.get(e.requestId);
    if (r && (e.response.fromDiskCache || e.response.fromPrefetchCache || e.response.fromServiceWorker)) r.cached = true;
    if (r) r.encoding = (e.response.headers['content-encoding'] || e.response.headers['Content-Encoding'] || '');
  });
  cdp.on('Network.loadingFinished', (e) => { const r = reqs.get(e.requestId); if (r) { r.end = e.timestamp; r.bytes = e.encodedDataLength; } });
  await page.goto(base, { waitUntil: 'commit', timeout: 60000 });
  const marks = await waitMarks(page);
  // The page speaks the browser's language when it is ready (not, say, a
  // Chinese page that switches later).
  const lang = await page.evaluate(() => document.querySelector('pos-doctor').shadowRoot.querySelector('.pd').getAttribute('lang'));
  if (profile.locale && lang.slice(0, 2) !== profile.locale.slice(0, 2)) {
    throw new Error(`${profile.name}: the page was ready in ${lang}, not ${profile.locale}`);
  }
  await context.close();
  const list = [...reqs.values()].filter((r) => !r.cached && r.bytes > 0);
  const doc = list.find((r) => new URL(r.url).pathname === '/') || list.sort((a, b) => a.start - b.start)[0];
  const t0 = doc.start;
  // The critical path: every response whose body was finished before the
  // page was ready (CDP timestamps from the document's request, page marks
  // from navigation start: a few ms apart at most).
  const before = list.filter((r) => r.end !== undefined && (r.end - t0) * 1000 <= marks.ready).sort((a, b) => a.start - b.start);
  const body = (r) => bodyOf(new URL(r.url).pathname) ?? r.bytes;
  // Rounds: a request that starts at least half a latency after the current
  // round began cannot have been sent in parallel with it (a response takes
  // a full latency), so it opens a new sequential round.
  const rounds = [];
  for (const r of before) {
    const last = rounds[rounds.length - 1];
    if (!last || (r.start - last.start) * 1000 >= profile.latency / 2) rounds.push({ start: r.start, files: [r] });
    else last.files.push(r);
  }
  return {
    visible: marks.visible,
    ready: marks.ready,
    bytes: before.reduce((s, r) => s + body(r), 0),
    critical: before.map((r) => `${shortName(r.url)} ${fmtInt(body(r))}`),
    paths: before.map((r) => new URL(r.url).pathname),
    later: list.filter((r) => !before.includes(r)).map((r) => shortName(r.url)),
    encodings: [...new Set(before.map((r) => r.encoding || 'identity'))],
    rounds: rounds.map((g) => ({ at: (g.start - t0) * 1000, files: g.files.map((r) => shortName(r.url)) })),
  };
}

function shortName(url) {
  const p = new URL(url).pathname;
  if (p === '/') return '/';
  return path.basename(p).replace(/\.[0-9a-f]{10}\./, '.');
}

async function warmRun(browser, base) {
  const context = await newContext(browser);
  const page = await context.newPage();
  await page.goto(base, { waitUntil: 'load' });
  await waitMarks(page);
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  await page.reload({ waitUntil: 'load' });
  await waitMarks(page);
  const controlled = await page.evaluate(() => Boolean(navigator.serviceWorker.controller));
  await context.setOffline(true);
  await page.reload({ waitUntil: 'commit' });
  const marks = await waitMarks(page, 30000);
  await context.close();
  return { ...marks, controlled };
}

// ---- Lighthouse ------------------------------------------------------------

async function lighthouse(base, runs) {
  const cli = path.join(E2E, 'node_modules', 'lighthouse', 'cli', 'index.js');
  if (!existsSync(cli)) return { error: 'lighthouse is not installed (cd tests/e2e && npm ci)' };
  const version = JSON.parse(readFileSync(path.join(E2E, 'node_modules', 'lighthouse', 'package.json'), 'utf8')).version;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'posdoctor-lh-'));
  const reports = [];
  try {
    for (let i = 0; i < runs; i++) {
      const out = path.join(dir, `lh-${i}.json`);
      const r = await run(process.execPath, [cli, base,
        '--output=json', `--output-path=${out}`, '--quiet',
        '--only-categories=performance,accessibility,best-practices,seo',
        '--chrome-flags=--headless --no-sandbox --disable-gpu',
      ], { env: { ...process.env, CHROME_PATH: CHROMIUM } });
      if (r.code !== 0 || !existsSync(out)) {
        log(`lighthouse run ${i + 1} failed (exit ${r.code}): ${r.err.slice(-500)}`);
        continue;
      }
      reports.push(JSON.parse(readFileSync(out, 'utf8')));
      log(`lighthouse run ${i + 1}/${runs}: ${Object.values(reports.at(-1).categories).map((c) => Math.round(c.score * 100)).join(' ')}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (!reports.length) return { error: 'every Lighthouse run failed', version };
  const cats = ['performance', 'accessibility', 'best-practices', 'seo'];
  const result = { version, runs: reports.length, categories: {} };
  for (const id of cats) {
    const scores = reports.map((r) => (r.categories[id] && r.categories[id].score !== null ? r.categories[id].score * 100 : NaN));
    // Failing audits: those that count towards the category and score
    // below 1 in any run (with their display value, if any).
    const failing = new Map();
    for (const r of reports) {
      const cat = r.categories[id];
      if (!cat) continue;
      for (const ref of cat.auditRefs) {
        const a = r.audits[ref.id];
        if (!a || a.score === null || a.score >= 1) continue;
        if (ref.weight === 0 && a.scoreDisplayMode !== 'binary') continue;
        if (a.scoreDisplayMode === 'informative' || a.scoreDisplayMode === 'notApplicable' || a.scoreDisplayMode === 'manual') continue;
        if (!failing.has(ref.id)) failing.set(ref.id, a.displayValue ? `${ref.id} (${a.displayValue})` : ref.id);
      }
    }
    // Zero-weight diagnostics that point at the cause (performance only).
    const hints = new Set();
    if (id === 'performance') {
      for (const r of reports) {
        for (const ref of r.categories[id]?.auditRefs || []) {
          const a = r.audits[ref.id];
          if (ref.weight === 0 && a && a.score !== null && a.score < 0.9
            && ['metricSavings', 'numeric', 'binary'].includes(a.scoreDisplayMode)) {
            hints.add(a.displayValue ? `${ref.id} (${a.displayValue})` : ref.id);
          }
        }
      }
    }
    result.categories[id] = { score: median(scores), scores, failing: [...failing.values()], hints: [...hints] };
  }
  const perf = reports.map((r) => r.audits);
  result.metrics = {
    fcp: median(perf.map((a) => a['first-contentful-paint']?.numericValue)),
    lcp: median(perf.map((a) => a['largest-contentful-paint']?.numericValue)),
    tbt: median(perf.map((a) => a['total-blocking-time']?.numericValue)),
  };
  result.cls = perf.map((a) => a['cumulative-layout-shift']?.numericValue);
  return result;
}

// ---- the table ---------------------------------------------------------------

const HEAD = ['Area', 'Measure', 'Result', 'Detail', 'Budget', 'OK'];

function plainTable(rows) {
  const w = HEAD.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => String(c).padEnd(w[i])).join('  ').trimEnd();
  return [line(HEAD), w.map((n) => '-'.repeat(n)).join('  '), ...rows.map(line)].join('\n');
}

function markdownTable(rows) {
  const esc = (c) => String(c).replace(/\|/g, '\\|');
  return [
    `| ${HEAD.join(' | ')} |`,
    `|${HEAD.map((h, i) => (i === 2 ? '---:' : '---')).join('|')}|`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}

// ---- main ----------------------------------------------------------------------

async function main() {
  if (!existsSync(path.join(DIST, 'index.html'))) {
    console.error(`${DIST}/index.html is missing: run ./build.sh dist first`);
    process.exit(1);
  }
  const started = Date.now();
  const host = machine();
  log(`machine: ${host.nproc} × ${host.cpu}, ${host.memory}, ${host.chromium}; load ${host.load}`);
  const rows = [];
  const notes = [];

  // Engine and quality first: cargo builds before the browser runs, so the
  // compiler does not disturb the load timings.
  log('engine: cargo run --release -- bench --json');
  const engine = await cargo(['bench', '--json']);
  log('quality: cargo run --release -- eval --scenarios ../shared/scenarios/public.json --json');
  const evalReport = await cargo(['eval', '--scenarios', SCENARIOS, '--json']);

  const server = await startServer(DIST, 0, { compress: true });
  const base = server.url;
  // What the server really sent, per path: responses, body bytes, coding.
  const wire = new Map();
  const lastBody = new Map();
  server.server.on('request', (req, res) => {
    // The handler awaits fs.stat before it writes, so this wrapper is in
    // place before writeHead is called.
    const writeHead = res.writeHead;
    res.writeHead = function wrapped(status, headers, ...rest) {
      const h = Object.fromEntries(Object.entries(headers || {}).map(([k, v]) => [k.toLowerCase(), v]));
      const p = new URL(req.url, base).pathname;
      const e = wire.get(p) || { count: 0, bytes: 0, encodings: new Set() };
      e.count += 1;
      e.bytes += Number(h['content-length'] || 0);
      lastBody.set(p, Number(h['content-length'] || 0));
      e.encodings.add(h['content-encoding'] || 'identity');
      wire.set(p, e);
      return writeHead.call(this, status, headers, ...rest);
    };
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  let visit;
  const cold = {};
  const warm = [];
  try {
    // ---- bytes
    log('bytes: a first visit in a fresh context (service worker allowed)');
    wire.clear();
    visit = await firstVisit(browser, base);
    const sent = new Map(wire);
    const files = [];
    for (const [p, e] of [...visit.seen].sort((a, b) => a[0].localeCompare(b[0]))) {
      const file = distFile(p);
      if (!file) { notes.push(`first visit requested ${p} (HTTP ${e.status}), which is not in dist/`); continue; }
      const s = sizes(readFileSync(file));
      const w = sent.get(p);
      const coding = w ? [...w.encodings].join('+') : 'br';
      // As served: brotli for text, wasm and .bin; PNGs as they are.
      const served = w && w.count ? w.bytes / w.count : s.br;
      files.push({ path: p, ...e, ...s, served, coding });
    }
    const total = files.reduce((t, f) => ({ raw: t.raw + f.raw, gzip: t.gzip + f.gzip, br: t.br + f.br, served: t.served + f.served }),
      { raw: 0, gzip: 0, br: 0, served: 0 });
    const wireTotal = [...sent.values()].reduce((t, e) => t + e.bytes, 0);
    const wireCount = [...sent.values()].reduce((t, e) => t + e.count, 0);
    for (const f of files) {
      const who = [f.pageTypes.size ? `page (${[...f.pageTypes].join(', ')})` : null, f.swFetches ? 'SW precache' : null]
        .filter(Boolean).join(' + ');
      rows.push(['Bytes', f.path, `${fmtInt(f.served)} B ${f.coding === 'identity' ? 'raw' : f.coding}`,
        `raw ${fmtInt(f.raw)} · gzip ${fmtInt(f.gzip)} · br ${fmtInt(f.br)} · ${who} · ${f.fetches} fetch${f.fetches > 1 ? 'es' : ''}`, '', '']);
    }
    rows.push(['Bytes', `first visit total (${files.length} URLs, as served)`, `${fmtInt(total.served)} B`,
      `raw ${fmtInt(total.raw)} · gzip ${fmtInt(total.gzip)} · br ${fmtInt(total.br)} (PNGs are served raw)`,
      `≤ ${fmtInt(BUDGET.firstVisitBr)} B`, verdict(total.served <= BUDGET.firstVisitBr)]);
    rows.push(['Bytes', 'first visit on the wire (bodies, every response)', `${fmtInt(wireTotal)} B`,
      `${wireCount} responses: the page's own fetches plus the service worker's precache fetches`, '', '']);
    // wasm before and after wasm-opt
    const wasmDist = readdirSync(path.join(DIST, 'assets')).find((f) => /^posdoctor_bg\.[0-9a-f]+\.wasm$/.test(f));
    const unopt = path.join(PKG, 'posdoctor_bg.unopt.wasm');
    if (existsSync(unopt)) {
      const s = sizes(readFileSync(unopt));
      rows.push(['Bytes', 'page wasm before wasm-opt (pkg/…unopt.wasm)', `${fmtInt(s.raw)} B raw`, `gzip ${fmtInt(s.gzip)} · br ${fmtInt(s.br)}`, '', '']);
      const built = path.join(PKG, 'posdoctor_bg.wasm');
      if (wasmDist && existsSync(built) && !readFileSync(built).equals(readFileSync(path.join(DIST, 'assets', wasmDist)))) {
        notes.push(`${PKG}/posdoctor_bg.wasm differs from dist/assets/${wasmDist}: the unoptimised size may be from another build`);
      }
    } else {
      notes.push(`${unopt} is missing: no before-wasm-opt size`);
    }
    if (wasmDist) {
      const s = sizes(readFileSync(path.join(DIST, 'assets', wasmDist)));
      const toolchainFile = path.join(PKG, 'posdoctor.toolchain');
      const toolchain = existsSync(toolchainFile) ? ` · built with ${readFileSync(toolchainFile, 'utf8').trim()}` : '';
      rows.push(['Bytes', 'page wasm after wasm-opt -Oz (dist)', `${fmtInt(s.raw)} B raw`, `gzip ${fmtInt(s.gzip)} · br ${fmtInt(s.br)}${toolchain}`,
        `≤ ${fmtInt(BUDGET.wasmRaw)} B raw`, verdict(s.raw <= BUDGET.wasmRaw)]);
    }
    // The floor: the knowledge base's own text, without notes, minified.
    const stripNotes = (v) => (Array.isArray(v) ? v.map(stripNotes)
      : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'note').map(([k, x]) => [k, stripNotes(x)]))
        : v);
    const kbText = Buffer.from(JSON.stringify(stripNotes(JSON.parse(readFileSync(path.join(REPO, 'kb', 'pos-renewal.json'), 'utf8')))));
    const kbs = sizes(kbText);
    rows.push(['Bytes', 'floor: KB text (no notes, minified JSON)', `${fmtInt(kbs.br)} B br`,
      `raw ${fmtInt(kbs.raw)} · gzip ${fmtInt(kbs.gzip)} · first visit = ${(total.served / kbs.br).toFixed(1)}× floor`, '', '']);
    if (!['activated', 'activating'].includes(visit.sw)) notes.push(`service worker after the first visit: ${visit.sw}`);

    // ---- load, cold
    const iconHref = (readFileSync(path.join(DIST, 'index.html'), 'utf8').match(/<link rel="icon" href="\.\/([^"]+)"/) || [])[1];
    const icon = iconHref && distFile(`/${iconHref}`) ? { path: `/${iconHref}`, br: sizes(readFileSync(distFile(`/${iconHref}`))).br } : null;
    for (const profile of PROFILES) {
      const runs = [];
      for (let i = 0; i < RUNS; i++) {
        const r = await coldRun(browser, base, profile, (p) => lastBody.get(p));
        // The page's icon is on the critical path in a real browser (it is
        // fetched with the page); headless Chromium does not ask for it.
        if (icon && !r.paths.includes(icon.path)) {
          r.bytes += icon.br;
          r.critical.push(`${shortName(base + icon.path.slice(1))} ${fmtInt(icon.br)} (counted: headless Chromium does not fetch the icon)`);
        }
        log(`${profile.name} cold run ${i + 1}/${RUNS}: visible ${fmtMs(r.visible)}, ready ${fmtMs(r.ready)}, ${fmtInt(r.bytes)} B, ${r.rounds.length} rounds`);
        runs.push(r);
      }
      cold[profile.name] = runs;
    }
    // ---- warm, offline from the service worker
    for (let i = 0; i < RUNS; i++) {
      const r = await warmRun(browser, base);
      log(`warm offline run ${i + 1}/${RUNS}: visible ${fmtMs(r.visible)}, ready ${fmtMs(r.ready)}${r.controlled ? '' : ' (NOT controlled by the SW)'}`);
      warm.push(r);
    }
  } finally {
    await browser.close();
  }

  for (const profile of PROFILES) {
    const runs = cold[profile.name];
    const bytes = median(runs.map((r) => r.bytes));
    const roundsSeen = median(runs.map((r) => r.rounds.length));
    const needed = 2; // the HTML, then everything else in parallel (DESIGN.md)
    const floor = needed * profile.latency + (bytes / profile.down) * 1000;
    const vis = median(runs.map((r) => r.visible));
    const rdy = median(runs.map((r) => r.ready));
    const detail = (t) => `floor ${fmtMs(floor)} = ${needed} × ${profile.latency} ms + ${fmtInt(bytes)} B ÷ ${fmtInt(profile.down)} B/s · ${(t / floor).toFixed(2)}× floor · ${roundsSeen} rounds seen`;
    // The snapshot in the HTML is the page's own (zh-CN) say-what-you-know screen.
    const snapshotNote = profile.locale ? ' · the Chinese static screen in the HTML; the script replaces it with the loading line, in English at data-ready' : '';
    rows.push(['Load', `${profile.name} cold → opening screen visible`, fmtMs(vis),
      `runs ${runs.map((r) => fmtInt(r.visible)).join(', ')}${snapshotNote}`,
      `≤ ${fmtInt(profile.visible)} ms`, verdict(vis <= profile.visible)]);
    const limit = Math.min(profile.ready, BUDGET.floorFactor * floor);
    rows.push(['Load', `${profile.name} cold → answerable (data-ready)`, fmtMs(rdy), `${detail(rdy)} · runs ${runs.map((r) => fmtInt(r.ready)).join(', ')}`,
      `≤ ${fmtInt(limit)} ms (${BUDGET.floorFactor} × floor, ≤ ${fmtInt(profile.ready)})`, verdict(rdy <= limit)]);
    rows.push(['Bytes', `critical path, ${profile.name} (bodies finished before data-ready)`, `${fmtInt(bytes)} B`,
      `median of ${runs.length} runs · runs ${runs.map((r) => fmtInt(r.bytes)).join(', ')}`,
      `≤ ${fmtInt(BUDGET.criticalBr)} B`, verdict(bytes <= BUDGET.criticalBr)]);
    const typical = runs.find((r) => r.rounds.length === roundsSeen) || runs[0];
    notes.push(`${profile.name} rounds (first run with the median count; start after navigation): ${typical.rounds
      .map((g, i) => `R${i + 1} @${fmtInt(g.at)} ms: ${g.files.join(', ')}`).join(' · ')}; encodings ${typical.encodings.join(', ')}; `
      + `critical bodies: ${typical.critical.join(' + ')}; after data-ready: ${typical.later.join(', ') || 'none'}`);
  }
  const wv = median(warm.map((r) => r.visible));
  const wr = median(warm.map((r) => r.ready));
  rows.push(['Load', 'warm offline (service worker) → first screen visible', fmtMs(wv), `median of ${warm.length} reloads`, '', '']);
  rows.push(['Load', 'warm offline (service worker) → data-ready', fmtMs(wr), `median of ${warm.length} reloads`, `≤ ${BUDGET.warm} ms`, verdict(wr <= BUDGET.warm)]);
  if (warm.some((r) => !r.controlled)) notes.push('a warm run was not controlled by the service worker before going offline');

  // ---- Lighthouse (after the browser closed: it launches its own chromium)
  let lh = { error: 'skipped (POSDOCTOR_LH_RUNS=0)' };
  if (LH_RUNS > 0) {
    log(`Lighthouse ${LIGHTHOUSE_VERSION} mobile, ${LH_RUNS} runs`);
    lh = await lighthouse(base, LH_RUNS);
  }
  await server.close();
  if (lh.error) {
    rows.push(['Lighthouse', 'mobile', 'n/a', lh.error, '100 each', 'FAIL']);
  } else {
    if (lh.version !== LIGHTHOUSE_VERSION) notes.push(`Lighthouse is ${lh.version}, not ${LIGHTHOUSE_VERSION}`);
    for (const [id, c] of Object.entries(lh.categories)) {
      const extra = id === 'performance'
        ? ` · CLS per run ${lh.cls.map((x) => (Number.isFinite(x) ? x.toFixed(3) : 'n/a')).join(', ')}`
          + ` · median FCP ${fmtMs(lh.metrics.fcp)}, LCP ${fmtMs(lh.metrics.lcp)}, TBT ${fmtMs(lh.metrics.tbt)} (simulated)` : '';
      // The budget is 100 in every run, not the median.
      const worst = Math.min(...c.scores.map((x) => (Number.isFinite(x) ? x : -1)));
      rows.push(['Lighthouse', `${lh.version} mobile: ${id} (worst run)`, fmtInt(worst),
        `runs ${c.scores.map(fmtInt).join(', ')}${extra}${c.failing.length ? ` · failing: ${c.failing.join(', ')}` : ''}`,
        `${BUDGET.lighthouse} each run`, verdict(worst >= BUDGET.lighthouse)]);
      if (c.hints.length) notes.push(`Lighthouse ${id} diagnostics below 0.9: ${c.hints.join(', ')}`);
    }
  }

  // ---- engine
  for (const d of engine.decisions) {
    const shape = `${d.causes} causes × ${d.actions} actions × ${d.questions} questions`;
    let budget = '';
    let ok = null;
    if (d.kb === 'default KB') { budget = `≤ ${fmtUs(BUDGET.decisionDefaultUs)}`; ok = d.median_us <= BUDGET.decisionDefaultUs; }
    if (d.causes === 1000 && d.actions === 300 && d.questions === 200) { budget = `≤ ${fmtUs(BUDGET.decision1000Us)}`; ok = d.median_us <= BUDGET.decision1000Us; }
    rows.push(['Engine', `native decision, ${d.kb}`, fmtUs(d.median_us), shape, budget, verdict(ok)]);
  }
  const e = visit.engine;
  if (e.error) {
    rows.push(['Engine', 'wasm in the browser: el._doctor.view()', 'n/a', e.error, '', '']);
  } else {
    rows.push(['Engine', 'wasm in the browser: el._doctor.view()', fmtUs(e.batchedMs * 1000),
      `decision + view after answering ${e.answered}; median of 200 samples of ${e.k} calls (single calls: ${fmtUs(e.singleMs * 1000)}, timer 100 µs)`, '', '']);
  }

  // ---- decision quality
  const q = engine.quality;
  rows.push(['Quality', 'public stories solved within 6 steps', `${evalReport.solved}/${evalReport.total}`,
    `article-order baseline ${evalReport.baseline_solved}/${evalReport.total}`, '', '']);
  rows.push(['Quality', 'mean steps', evalReport.mean_steps.toFixed(2), `baseline ${evalReport.baseline_mean_steps.toFixed(2)}`, '', '']);
  rows.push(['Quality', 'mean merchant minutes', evalReport.mean_minutes.toFixed(1), `baseline ${evalReport.baseline_mean_minutes.toFixed(1)}`, '', '']);
  rows.push(['Quality', `engine ECR ÷ optimal ECR (${q.cases} random small KBs)`, `mean ${q.mean_ratio.toFixed(4)}`,
    `worst ${q.worst_ratio.toFixed(4)} · optimal in ${q.optimal_cases}/${q.cases}`, '', '']);

  const seconds = Math.round((Date.now() - started) / 1000);
  const machineLines = [
    `- date: ${host.date}; commit ${host.commit}; run took ${seconds} s`,
    `- machine: ${host.nproc} CPUs (\`nproc\`), ${host.cpu}, ${host.memory} RAM; load average at start ${host.load} (shared and noisy: medians only)`,
    `- ${host.chromium}; node ${host.node}; site ${DIST.startsWith(REPO + path.sep) ? path.relative(REPO, DIST) : DIST}/`,
  ];
  const plain = plainTable(rows);
  console.log(plain);
  console.log('');
  for (const n of notes) console.log(`note: ${n}`);
  for (const l of machineLines) console.log(l.replace(/^- /, ''));

  if (OUT) {
    const body = [
      '<!-- bench:start (generated by tests/e2e/bench/bench.mjs: edit above or below) -->',
      '',
      markdownTable(rows),
      '',
      ...notes.map((n) => `- ${n}`),
      ...machineLines,
      '',
      'Commands: `./build.sh bench` = `./build.sh dist`, then `node tests/e2e/bench/bench.mjs`, which runs',
      '`cargo run -q --release -- bench --json`, `cargo run -q --release -- eval --scenarios ../shared/scenarios/public.json --json`,',
      `playwright-core on ${CHROMIUM} against \`tests/e2e/server.mjs\` with \`{compress: true}\` (brotli 11), and`,
      `\`lighthouse ${lh.version || LIGHTHOUSE_VERSION}\` (mobile defaults; \`CHROME_PATH=${CHROMIUM}\`, \`--chrome-flags="--headless --no-sandbox --disable-gpu"\`).`,
      '',
      '<!-- bench:end -->',
    ].join('\n');
    let doc;
    const start = '<!-- bench:start';
    const end = '<!-- bench:end -->';
    if (existsSync(OUT)) {
      const old = readFileSync(OUT, 'utf8');
      const a = old.indexOf(start);
      const b = old.indexOf(end);
      doc = a >= 0 && b > a ? old.slice(0, a) + body + old.slice(b + end.length) : `${old.trimEnd()}\n\n${body}\n`;
    } else {
      doc = `# Benchmarks\n\nGenerated by \`./build.sh bench\`.\n\n${body}\n`;
    }
    writeFileSync(OUT, doc);
    log(`wrote ${path.relative(process.cwd(), OUT)}`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
