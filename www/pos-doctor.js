// <pos-doctor>: the page of posdoctor. Rust compiled to WebAssembly decides
// everything (questions, step order, saved progress, deep link, language);
// this file only draws the view model it returns and forwards taps.
//
// Rules kept here: knowledge-base text is only ever set as text (textContent
// / createTextNode), never as HTML; no inline styles in markup (CSS custom
// properties set through the CSSOM only); no other origins.
//
// Attributes: lang (zh-CN | en), provider, kb-url.
// Events (bubbling, composed): posdoctor:step {action, outcome},
// posdoctor:resolved {action}, posdoctor:contact {}.

import initPage, { Doctor as PageDoctor } from './posdoctor.js';

const CSS_URL = new URL('./pos-doctor.css', import.meta.url).href;
const WASM_URL = new URL('./posdoctor_bg.wasm', import.meta.url);
const SVG_NS = 'http://www.w3.org/2000/svg';

// The only words that live in JS: for when the wasm cannot load (so there
// is no view model), and the service worker's update notice (the worker is
// the page's business, not the engine's).
const FALLBACK = {
  'zh-CN': {
    loading: '正在加载…',
    error: '页面没能加载完成。请检查网络后重新加载。',
    crashed: '出了点问题。请重新加载页面，已保存的进度不会丢失。',
    reload: '重新加载',
    update: '有新版本可用。',
    update_button: '重新加载以更新',
  },
  en: {
    loading: 'Loading…',
    error: 'The page could not finish loading. Check your connection and reload.',
    crashed: 'Something went wrong. Reload the page: your saved progress is kept.',
    reload: 'Reload',
    update: 'A new version is available.',
    update_button: 'Reload to update',
  },
};

const SUPPORT_WASM_URL = new URL('./posdoctor_support_bg.wasm', import.meta.url);
const KB_URL = new URL('./kb.bin', import.meta.url);
// The built-in knowledge base's texts the first screen never needs (how-to,
// why, details, help, tips): fetched once the page is ready.
const KB_TEXT_URL = new URL('./kb-text.bin', import.meta.url);
// The built-in knowledge base's cue phrases, which only the extractor
// module reads (after data-ready too).
const KB_CUES_URL = new URL('./kb-cues.bin', import.meta.url);
// A kb-url that does not answer within this long is given up on (the
// built-in knowledge base is used), so a merchant never waits on it.
const KB_URL_TIMEOUT_MS = 8000;
const VALIDATOR_WASM_URL = new URL('./posdoctor_validator_bg.wasm', import.meta.url);
// The extractor, which reads the merchant's words: a module of its own,
// fetched with the text pack once the page is ready (it is about a fifth of
// the engine's wasm, and the first screen can be used without it).
const EXTRACTOR_WASM_URL = new URL('./posdoctor_extractor_bg.wasm', import.meta.url);

/** Whether the link is a case link (`#case=CODE`): those need the support
 * module, the page module with the case-code decoder; every other visit
 * loads the page module, which leaves the decoder out. */
function isCaseLink() {
  return /[#&]case=/.test(location.hash);
}

const ownModules = {};
/** A wasm module with its glue, once per page; a failed load is tried
 * again by the next call. `glue` imports it (a literal path, so the
 * build can rename it; the page module's glue is bundled). */
function loadOwnModule(name, glue, wasmUrl) {
  if (!ownModules[name]) {
    ownModules[name] = glue().then(async (m) => {
      await m.default({ module_or_path: wasmUrl });
      return m;
    });
    ownModules[name].catch(() => { delete ownModules[name]; });
  }
  return ownModules[name];
}

const packs = {};
/** The bytes of a pack at `url`, once per page; a failed fetch is tried
 * again by the next call. */
function loadPack(url, what) {
  if (!packs[url]) {
    packs[url] = fetch(url).then((res) => {
      if (!res.ok) throw new Error(`${what}: HTTP ${res.status}`);
      return res.arrayBuffer();
    }).then((bytes) => new Uint8Array(bytes));
    packs[url].catch(() => { delete packs[url]; });
  }
  return packs[url];
}

/** Loads a wasm module (the page's, or the support module for a case link)
 * and the packed built-in knowledge base once per page, in parallel,
 * shared by every element. */
function loadWasm(support) {
  // The page module's glue is imported statically (bundled, and its unused
  // exports left out); the support module's only when needed.
  const mod = support
    ? loadOwnModule('support', () => import('./posdoctor_support.js'), SUPPORT_WASM_URL)
    : loadOwnModule('page', () => Promise.resolve({ default: initPage, Doctor: PageDoctor }), WASM_URL);
  return Promise.all([mod, loadPack(KB_URL, 'knowledge base')]).then(([m, kb]) => ({ mod: m, kb }));
}

/** Resolves in a task of its own: the long pieces of work at start (the
 * module's first calls, the extractor's cue phrases) each get their own
 * task, so none blocks input long (Lighthouse's total blocking time). */
const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));
/** A loss the page carries on from (a pack or module that did not come,
 * cue phrases that could not be prepared): said once, in the console. */
const warn = (err) => console.warn('posdoctor:', err && err.message ? err.message : err);

/** The built-in knowledge base's text pack (after the first element is
 * ready: it is off the critical path). */
const loadTexts = () => loadPack(KB_TEXT_URL, 'knowledge base texts');
/** The built-in knowledge base's cue pack, for the extractor module. */
const loadCues = () => loadPack(KB_CUES_URL, 'knowledge base cue phrases');

/** The extractor module (after the first element is ready). */
const loadExtractor = () => loadOwnModule('extractor', () => import('./posdoctor_extractor.js'), EXTRACTOR_WASM_URL);
/** The validator module, only for pages that set kb-url: it checks the
 * provider's JSON and packs it for the page module. */
const loadValidator = () => loadOwnModule('validator', () => import('./posdoctor_validator.js'), VALIDATOR_WASM_URL);

/** Creates an element. `attrs` values: string (attribute), true (empty
 * attribute), false/null/undefined (skipped). Children: nodes or strings
 * (strings become text nodes). */
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === false || v === null || v === undefined) continue;
      el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
  return el;
}

function svg(tag, attrs) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
  return el;
}

/** A link from a provider profile: https only (checked in Rust too),
 * opened without handing this page to it; its words set as text. */
function safeLink(url, text, attrs) {
  if (typeof url !== 'string' || !/^https:\/\/[^\s/@]+(?:[/?#]\S*)?$/.test(url)) return null;
  return h('a', { href: url, rel: 'noopener noreferrer', target: '_blank', ...attrs }, text);
}

/** Signal bars: 0 (none, crossed), 1 (weak) or 4 (full) of 4 bars. */
function signalBars(level) {
  const s = svg('svg', { viewBox: '0 0 32 24', class: 'pd-signal', 'aria-hidden': 'true', focusable: 'false' });
  for (let i = 0; i < 4; i++) {
    const height = 6 + i * 5;
    s.append(svg('rect', {
      x: 2 + i * 7, y: 22 - height, width: 5, height, rx: 1,
      class: i < level ? 'on' : 'off',
    }));
  }
  if (level === 0) {
    s.append(svg('path', { d: 'M20 3 L30 13 M30 3 L20 13', class: 'cross' }));
  }
  return s;
}

/** The drawing for an answer, from the `picture` the KB names for it (the
 * page knows no fact ids): an SVG node, 'screen' (the label drawn as the
 * terminal's screen shows it), or null. */
function pictureFor(answer) {
  const pic = answer.picture || '';
  if (pic.startsWith('signal-')) {
    const level = { none: 0, weak: 1, normal: 4, full: 4 }[pic.slice(7)];
    return level === undefined ? null : signalBars(level);
  }
  if (pic.startsWith('screen')) return 'screen';
  return null;
}

/** The language the merchant chose with the language button (saved by
 * Rust under this key), or null; storage may be unusable. */
function savedLang() {
  try {
    return localStorage.getItem('posdoctor:lang');
  } catch (_) {
    return null;
  }
}

/** The language for the few words JS has of its own, picked as Rust
 * picks it (app.rs, App::start): the merchant's saved choice, the lang
 * attribute, the link's lang=, the browser; zh-CN. */
function pageLang(el) {
  const link = /[#&]lang=([^&]*)/.exec(location.hash);
  for (const l of [savedLang(), el.getAttribute('lang'), link && link[1], navigator.language]) {
    const x = (l || '').toLowerCase();
    if (x.startsWith('en')) return 'en';
    if (x.startsWith('zh')) return 'zh-CN';
  }
  return 'zh-CN';
}

function fire(el, name, detail) {
  el.dispatchEvent(new CustomEvent(name, { bubbles: true, composed: true, detail }));
}

const STATE_KEYS = { fixed: 'state_fixed', not_fixed: 'state_not_fixed', cannot_do: 'state_cannot_do' };

class PosDoctor extends HTMLElement {
  static get observedAttributes() { return ['lang', 'provider', 'kb-url']; }

  constructor() {
    super();
    // A snapshot of the first question may come in the HTML, rendered at
    // build time (declarative shadow DOM): it is on screen after one round
    // trip and stays until the live view is ready; a tap on one of its
    // answers is remembered and replayed then.
    const snapshot = this.shadowRoot;
    if (!snapshot) this.attachShadow({ mode: 'open' });
    this._snapshot = snapshot ? [...snapshot.childNodes] : null;
    this._earlyTap = null;
    this._doctor = null;
    this._view = null;
    this._kb = null;            // {kbPacked} | {kbErrors} | {}
    this._texts = 'loading';    // the text pack: 'loading' | 'ready' | 'failed'
    this._textBytes = null;     // the text pack, kept for the next Doctor
    // The merchant's words can be read: 'loading' | 'ready' | 'failed'
    // (ready once the text pack and the extractor module are here).
    this._words = 'loading';
    this._reader = null;        // the extractor on the KB in use (an Extractor)
    this._readerKb = null;      // the packed KB it reads with
    this._started = false;
    this._run = 0;              // guards against overlapping starts
    this._supportOpen = false;
    this._moreOpen = false;
    this._howOpen = new Set();  // step ids whose how-to the user opened
    this._howClosed = new Set(); // next steps whose how-to the user closed
    this._causeOpen = new Set();
    this._copied = false;
    this._confirmRestart = false; // "start over" asked, not yet confirmed
    this._updateWorker = null;
    this._chipsMore = false;    // the "more" chips shown
    this._storyFrame = 0;       // the extraction waiting for the next frame
    // Chip taps and Continue on the static first screen, before the wasm
    // runs: applied, in order, once it does.
    this._earlyChips = [];
    this._earlyDone = false;
    // A link to or from a case needs the other wasm module: start again.
    this._onHash = () => (isCaseLink() === this._caseModule ? this._restartDoctor(null) : this._start());
    this._build();
  }

  connectedCallback() {
    window.addEventListener('hashchange', this._onHash);
    instances.add(this);
    if (waitingWorker) this.showUpdate(waitingWorker);
    if (!this._started) {
      this._started = true;
      this._start();
    }
  }

  disconnectedCallback() {
    window.removeEventListener('hashchange', this._onHash);
    instances.delete(this);
  }

  attributeChangedCallback(name, oldValue, newValue) {
    if (!this._doctor || oldValue === newValue) return;
    if (name === 'lang') {
      if (newValue) this._call(() => this._doctor.setLang(newValue));
      this._render();
    } else {
      // Another provider or knowledge base: start again from the attributes.
      this._kb = null;
      this._start();
    }
  }

  // ---- setup -------------------------------------------------------------

  _build() {
    const root = this.shadowRoot;
    this._cssLoaded = new Promise((resolve) => {
      const link = h('link', { rel: 'stylesheet', href: CSS_URL });
      link.addEventListener('load', resolve, { once: true });
      link.addEventListener('error', resolve, { once: true });
      root.append(link);
    });
    this._root = h('div', { class: 'pd', part: 'root' });
    // Unstyled content would jump when the stylesheet arrives (layout
    // shift): show the loading state only once it is styled.
    this._root.style.visibility = 'hidden';
    this._cssLoaded.then(() => { this._root.style.visibility = ''; });
    this._header = h('header', { class: 'pd-header' });
    this._notices = h('div', { class: 'pd-notices' });
    // The open question lives in a region that is never replaced, so screen
    // readers announce each new question.
    this._live = h('div', { class: 'pd-live', 'aria-live': 'polite' });
    // The say-what-you-know screen, outside the question's live region (a
    // chip lighting up is no new question); built once, so the box keeps
    // its words, focus and caret while the chips are redrawn.
    this._openingHost = h('div', { class: 'pd-opening-host' });
    this._body = h('div', { class: 'pd-body' });
    this._root.append(this._header, this._notices, this._openingHost, this._live, this._body);
    root.append(this._root);
    root.addEventListener('click', (e) => this._onClick(e));
    root.addEventListener('toggle', (e) => this._onToggle(e), true);
    if (this._snapshot) {
      this._root.hidden = true;
      root.addEventListener('click', (e) => {
        if (!this._snapshot) return;
        const el = e.target instanceof Element ? e.target : null;
        const btn = el && el.closest('[data-pre-fact]');
        if (btn) {
          this._earlyTap = { fact: btn.getAttribute('data-pre-fact'), value: btn.getAttribute('data-pre-value') };
          btn.setAttribute('aria-pressed', 'true');
        }
        const chip = el && el.closest('[data-pre-observation]');
        if (chip) this._earlyChip(chip);
        const more = el && el.closest('[data-pre-chips-more]');
        if (more) {
          // The "more" chips are not in the static screen: keep the wish.
          this._chipsMore = !this._chipsMore;
          more.setAttribute('aria-expanded', String(this._chipsMore));
        }
        const done = el && el.closest('[data-pre-opening-done]');
        if (done) {
          this._earlyDone = true;
          done.setAttribute('aria-busy', 'true');
          done.disabled = true;
        }
      });
    }
    const lang = pageLang(this);
    // The snapshot is in the page's own language (zh-CN): a browser in
    // another reads the loading line in its language instead of a question
    // it may not read.
    const shot = this._snapshot && this._snapshot.find((n) => n instanceof Element && n.classList.contains('pd'));
    if (shot && shot.getAttribute('lang') !== lang) this._dropSnapshot();
    this._root.setAttribute('lang', lang);
    this._root.setAttribute('aria-busy', 'true');
    // The loading line sits where the first question will appear, so the
    // page below it does not move when the question arrives.
    this._live.append(h('p', { class: 'pd-loading' }, FALLBACK[lang].loading));
  }

  async _fetchKb() {
    const url = this.getAttribute('kb-url');
    if (!url) return {};
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), KB_URL_TIMEOUT_MS);
    try {
      const res = await fetch(new URL(url, document.baseURI), { credentials: 'same-origin', signal: abort.signal });
      if (!res.ok) return { kbErrors: [`kb-url: HTTP ${res.status}`] };
      const text = await res.text();
      clearTimeout(timer);
      const validator = await loadValidator();
      try {
        return { kbPacked: validator.packKb(text) };
      } catch (errors) {
        return { kbErrors: Array.isArray(errors) ? errors.map(String) : [String(errors)] };
      }
    } catch (err) {
      if (abort.signal.aborted) return { kbErrors: [`kb-url: no answer within ${KB_URL_TIMEOUT_MS / 1000} s`] };
      return { kbErrors: [`kb-url: ${err && err.message ? err.message : 'fetch failed'}`] };
    } finally {
      clearTimeout(timer);
    }
  }

  async _start() {
    const run = ++this._run;
    this.removeAttribute('data-ready');
    try {
      const support = isCaseLink();
      const [mod, kb] = await Promise.all([loadWasm(support), this._kb || this._fetchKb(), this._cssLoaded]);
      // The module was just instantiated in this task; the engine's first
      // decision and the first drawing go in the next.
      await nextTask();
      if (run !== this._run) return;
      this._kb = kb;
      this._mod = mod;
      this._caseModule = support;
      this._restartDoctor(null);
      if (!this._doctor) return;
      // Why a provider's KB was not used (JSON paths), for its author.
      for (const e of kb.kbErrors || []) console.warn('posdoctor: provider knowledge base:', e);
    } catch (err) {
      if (run !== this._run) return;
      this._fail(err);
    }
  }

  /** (Re)creates the Rust side from the attributes, the hash and the KB. */
  _restartDoctor(focus) {
    if (!this._mod) return;
    try {
      const kb = this._kb || {};
      const next = new this._mod.mod.Doctor(
        this.getAttribute('lang') || undefined,
        this.getAttribute('provider') || undefined,
        location.hash,
        this._mod.kb,
        kb.kbPacked,
        kb.kbErrors && kb.kbErrors.join('\n'),
        navigator.language,
      );
      // The summary's time on the phone's clock (Rust has no time zones).
      if (typeof next.setUtcOffset === 'function') next.setUtcOffset(-new Date().getTimezoneOffset());
      if (this._doctor) this._doctor.free();
      this._doctor = next;
      // A provider's KB came whole: it waits for no text pack, and the
      // extractor reads with it alone.
      this._builtinKb = next.textsAwaited();
      const kbBytes = this._builtinKb ? this._mod.kb : kb.kbPacked;
      if (this._reader && this._readerKb !== kbBytes) {
        this._reader.free();
        this._reader = null;
      }
      // A Doctor made again (a hash change, new attributes) gets the texts
      // at once when they are here, before it draws.
      this._setTexts(!this._builtinKb ? 'ready'
        : this._textBytes ? (next.addTexts(this._textBytes) ? 'ready' : 'failed') : 'loading');
      this._setWords(this._reader ? 'ready' : 'loading');
      // A Doctor made again with the words' reader already here reads at once.
      if (this._reader) next.wordsReady();
      this._failed = false;
      this._finishWhenTexts = false;
      this._supportOpen = false;
      this._confirmRestart = false;
      this._render(focus);
      if (this._failed) return;
      this._root.removeAttribute('aria-busy');
      const early = this._snapshotStory();
      this._dropSnapshot();
      this._replayOpening(early);
      this.setAttribute('data-ready', '');
      // In a task of its own, after everything data-ready sets off: off
      // the critical path, and never a race with what waits for ready.
      if (this._texts === 'loading' || !this._reader) setTimeout(() => this._joinTexts(next, kbBytes), 0);
      startServiceWorkerOnce();
      this._replayEarlyTap();
      // Test builds only (feature test-hooks): a panic on demand. Release
      // builds have no debugPanic, so no link can make them panic.
      if (location.hash.includes('debug-panic') && typeof next.debugPanic === 'function') {
        this._call(() => next.debugPanic());
      }
    } catch (err) {
      this._fail(err);
    }
  }

  /** Fetches what comes after the page is ready, in parallel: the text
   * and cue packs (for the built-in KB) and the extractor module; gives them to
   * `doctor` (still the current one), then draws again. A failure shows a
   * notice, the steps' titles stay. `kbBytes`: the packed KB in use. */
  _joinTexts(doctor, kbBytes) {
    const texts = this._texts === 'loading' ? loadTexts() : Promise.resolve(null);
    const cues = this._reader || !this._builtinKb ? Promise.resolve(null) : loadCues();
    Promise.allSettled([texts, this._reader ? null : loadExtractor(), cues]).then(async ([t, x, c]) => {
      // The extractor module was just instantiated: its cue phrases are
      // prepared in a task of their own, and the drawing in the next.
      await nextTask();
      if (this._doctor !== doctor || this._failed) return;
      if (this._texts === 'loading') {
        if (t.status === 'rejected') warn(t.reason);
        const joined = t.status === 'fulfilled' && this._call(() => doctor.addTexts(t.value));
        if (this._failed) return;
        if (joined) this._textBytes = t.value;
        this._setTexts(joined ? 'ready' : 'failed');
      }
      if (x.status === 'rejected') warn(x.reason);
      if (c.status === 'rejected') warn(c.reason);
      // The built-in KB's cue phrases come in their own pack; a provider's
      // KB holds its own.
      if (!this._reader && x.value && (!this._builtinKb || c.value)) {
        try {
          this._reader = new x.value.Extractor(kbBytes, this._builtinKb ? c.value : undefined);
          this._readerKb = kbBytes;
        } catch (err) {
          warn(err);
        }
        await nextTask();
        if (this._doctor !== doctor || this._failed) return;
      }
      this._setWords(this._reader ? 'ready' : 'failed');
      this._call(() => (this._reader ? doctor.wordsReady() : doctor.wordsUnreadable()));
      if (this._story && this.shadowRoot.activeElement === this._story) setTimeout(() => this._prepareWords(), 0);
      // On the opening screen the words typed so far are read again, as a
      // keystroke would (the box is kept across redraws). Elsewhere the
      // redraw keeps keyboard focus on the element it was on (found again
      // by its first data-* hook).
      if (this._view && this._view.opening) {
        if (this._finishWhenTexts) {
          this._finishWhenTexts = false;
          this._finishOpening();
          return;
        }
        const text = this._words === 'ready' && this._story ? this._story.value : '';
        if (text && this._understand(text)) this._render();
        return;
      }
      const active = this.shadowRoot.activeElement;
      const hook = active && active.dataset ? Object.entries(active.dataset)[0] : null;
      this._render();
      if (!hook) return;
      const name = hook[0].replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
      const again = this.shadowRoot.querySelector(`[data-${name}="${CSS.escape(hook[1])}"]`);
      if (again && again !== this.shadowRoot.activeElement) again.focus({ preventScroll: true });
    });
  }

  /** Prepares the extractor's cue phrases, if it is here and they are not. */
  _prepareWords() {
    if (this._reader && !this._reader.prepared) {
      try {
        this._reader.prepare();
      } catch (err) {
        // As when the reader could not be made: the chips still work.
        warn(err);
        this._reader = null;
        this._setWords('failed');
        this._call(() => this._doctor.wordsUnreadable());
        if (!this._failed) this._render();
      }
    }
  }

  /** The merchant's words to the engine, with what the extractor found in
   * them (nothing while it is on its way: the view says the words will be
   * read in a moment, and they are read again when it lands). */
  _understand(text) {
    const d = this._doctor;
    const r = this._reader;
    // A provider's KB waits for no text pack: its words wait in the box.
    if (!r && this._words === 'loading' && !this._builtinKb) return false;
    return this._call(() => d.understand(text, r && text ? r.read(text) : new Uint32Array(0)));
  }

  /** Replaces the build-time snapshot with the live view. */
  _dropSnapshot() {
    if (!this._snapshot) return;
    for (const node of this._snapshot) node.remove();
    this._snapshot = null;
    this._root.hidden = false;
  }

  /** A chip tapped on the static first screen: pressed or released there
   * at once (one value a fact, as the engine does it), applied later. */
  _earlyChip(chip) {
    const [fact, value] = chip.getAttribute('data-pre-observation').split('=');
    const pressing = chip.getAttribute('aria-pressed') !== 'true';
    for (const other of this.shadowRoot.querySelectorAll('[data-pre-observation]')) {
      if (other.getAttribute('data-pre-observation').split('=')[0] === fact) other.setAttribute('aria-pressed', 'false');
    }
    chip.setAttribute('aria-pressed', String(pressing));
    this._earlyChips.push(chip.getAttribute('data-pre-observation'));
  }

  /** The chip FACT=VALUE of the view (ids may hold '=': looked up, not split). */
  _chipOf(id) {
    const o = this._view && this._view.opening;
    for (const topic of (o ? o.topics : [])) {
      for (const c of topic.chips) if (`${c.fact}=${c.value}` === id) return c;
    }
    return null;
  }

  /** The static first screen's box: its words, and where the caret was. */
  _snapshotStory() {
    const box = this._snapshot ? this.shadowRoot.querySelector('textarea[data-pre-story]') : null;
    if (!box) return null;
    return {
      text: box.value,
      focused: this.shadowRoot.activeElement === box,
      start: box.selectionStart,
      end: box.selectionEnd,
    };
  }

  /** What the merchant did on the static first screen, applied now that
   * the engine runs: chip taps in order, then the words, then Continue. */
  _replayOpening(early) {
    const d = this._doctor;
    const chips = this._earlyChips;
    const done = this._earlyDone;
    this._earlyChips = [];
    this._earlyDone = false;
    if (!d || !this._story || !this._view || !this._view.opening) return;
    for (const id of chips) {
      const c = this._chipOf(id);
      if (c) this._call(() => d.chip(c.fact, c.value));
    }
    // The static screen's words, or (the engine started again: a new link,
    // another provider) those already in the box.
    if (early && early.text) this._story.value = early.text;
    const text = this._story.value;
    if (text) this._understand(text);
    if (done) {
      this._finishOpening();
      return;
    }
    if (chips.length || text) this._render();
    if (early && early.focused && this._story.isConnected) {
      this._story.focus();
      try { this._story.setSelectionRange(early.start, early.end); } catch (_) { /* not a text box */ }
    }
  }

  /** Continue on the say-what-you-know screen. */
  _finishOpening() {
    const d = this._doctor;
    if (!d) return;
    if (this._storyFrame) cancelAnimationFrame(this._storyFrame);
    this._storyFrame = 0;
    const text = this._story ? this._story.value : '';
    // Words typed before they can be read (the text pack with the chips'
    // cue phrases and the extractor come after ready): Continue waits for
    // them, so the words count.
    if (text.trim() && this._words === 'loading') {
      this._finishWhenTexts = true;
      if (this._doneButton) this._doneButton.setAttribute('aria-busy', 'true');
      return;
    }
    if (text) this._understand(text);
    // The words are kept nowhere: not even in the box once it is left.
    if (this._story) this._story.value = '';
    if (this._call(() => d.openingDone())) this._render('next');
  }

  /** The words in the box, understood at most once an animation frame. */
  _onStory() {
    if (this._storyFrame) return;
    this._storyFrame = requestAnimationFrame(() => {
      this._storyFrame = 0;
      const d = this._doctor;
      if (d && this._story && this._understand(this._story.value)) this._render();
    });
  }

  /** An answer tapped on the snapshot, if it still answers the question now asked. */
  _replayEarlyTap() {
    const tap = this._earlyTap;
    this._earlyTap = null;
    if (!tap) return;
    // (A button may answer a fact offered inside the question: `a.fact`.)
    const q = this.shadowRoot.querySelector('[data-question]');
    const btn = q && q.querySelector(`[data-fact="${CSS.escape(tap.fact)}"][data-value="${CSS.escape(tap.value)}"]`);
    if (btn) btn.click();
  }

  _fail(err) {
    this._dropSnapshot();
    // A wasm trap (a Rust panic; stable builds print its message first)
    // leaves the module unusable: do not call into it again, not even free().
    const trapped = err instanceof WebAssembly.RuntimeError;
    const running = Boolean(this._doctor);
    console.warn(running ? 'posdoctor: stopped' : 'posdoctor: could not start', err);
    if (this._doctor && !trapped) {
      try { this._doctor.free(); } catch (_) { /* already gone */ }
    }
    this._doctor = null;
    this._failed = true;
    // The language the merchant was reading, else the page's.
    const lang = this._view && FALLBACK[this._view.lang] ? this._view.lang : pageLang(this);
    const f = FALLBACK[lang];
    this._root.setAttribute('lang', lang);
    this._root.removeAttribute('aria-busy');
    this.removeAttribute('data-ready');
    this._header.replaceChildren();
    this._live.replaceChildren();
    this._body.replaceChildren();
    const reload = h('button', { type: 'button', class: 'primary', 'data-reload': true }, f.reload);
    this._notices.replaceChildren(
      h('div', { class: 'pd-notice', role: 'alert', 'data-notice': 'error' },
        h('span', null, running || trapped ? f.crashed : f.error), reload),
    );
  }

  /** Runs a call into the wasm; a throw (or a trap) shows the error notice. */
  _call(fn) {
    try {
      return fn();
    } catch (err) {
      this._fail(err);
      return undefined;
    }
  }

  // ---- service worker update ---------------------------------------------

  showUpdate(worker) {
    this._updateWorker = worker;
    // After a failure the error notice (with its reload button) stays.
    if (!this._failed) this._renderNotices();
  }

  // ---- taps --------------------------------------------------------------

  _onToggle(e) {
    const d = e.target;
    if (!(d instanceof HTMLDetailsElement)) return;
    if (d.dataset.how) {
      // Remember only where the user differs from the default (the next
      // step's how-to is open, the others closed).
      const id = d.dataset.how;
      const byDefault = Boolean(d.closest('[data-next]'));
      this._howOpen.delete(id);
      this._howClosed.delete(id);
      if (d.open !== byDefault) (d.open ? this._howOpen : this._howClosed).add(id);
    } else if (d.dataset.more !== undefined) {
      this._moreOpen = d.open;
    } else if (d.dataset.causeDetail) {
      if (d.open) this._causeOpen.add(d.dataset.causeDetail); else this._causeOpen.delete(d.dataset.causeDetail);
    }
  }

  _onClick(e) {
    const btn = e.target instanceof Element ? e.target.closest('button') : null;
    if (!btn) return;
    if (btn.hasAttribute('data-reload')) {
      location.reload();
      return;
    }
    if (btn.hasAttribute('data-update')) {
      const worker = this._updateWorker;
      if (worker) {
        let reloaded = false;
        navigator.serviceWorker.addEventListener('controllerchange', () => {
          if (!reloaded) { reloaded = true; location.reload(); }
        });
        worker.postMessage({ type: 'SKIP_WAITING' });
      } else {
        location.reload();
      }
      return;
    }
    const d = this._doctor;
    if (!d) return;
    if (btn.dataset.observation) {
      const c = this._chipOf(btn.dataset.observation);
      if (c && this._call(() => d.chip(c.fact, c.value))) this._render();
    } else if (btn.hasAttribute('data-opening-done')) {
      this._finishOpening();
    } else if (btn.hasAttribute('data-chips-more')) {
      this._chipsMore = !this._chipsMore;
      this._render('chips-more');
    } else if (btn.hasAttribute('data-add-more')) {
      if (this._call(() => d.addMore())) this._render('opening');
    } else if (btn.dataset.fact && btn.dataset.value) {
      if (this._call(() => d.answer(btn.dataset.fact, btn.dataset.value))) this._render('next');
    } else if (btn.dataset.changeAnswer) {
      if (this._call(() => d.change(btn.dataset.changeAnswer))) this._render('next');
    } else if (btn.dataset.outcome) {
      const item = btn.closest('[data-action]');
      const action = item && item.dataset.action;
      const outcome = btn.dataset.outcome;
      if (action && this._call(() => d.mark(action, outcome))) {
        this._render('next');
        fire(this, 'posdoctor:step', { action, outcome });
        if (outcome === 'fixed') fire(this, 'posdoctor:resolved', { action });
      }
    } else if (btn.hasAttribute('data-undo')) {
      const item = btn.closest('[data-action]');
      const action = item && item.dataset.action;
      if (action && this._call(() => d.undo(action))) {
        this._render('next');
        fire(this, 'posdoctor:step', { action, outcome: 'todo' });
      }
    } else if (btn.dataset.lang) {
      if (this._call(() => d.setLang(btn.dataset.lang))) this._render('lang');
    } else if (btn.hasAttribute('data-contact')) {
      const opening = !this._supportOpen;
      this._supportOpen = opening;
      this._render('support');
      if (opening) fire(this, 'posdoctor:contact', {});
    } else if (btn.hasAttribute('data-copy')) {
      this._copy(this._view ? this._view.support.summary : '', '.pd-summary');
    } else if (btn.hasAttribute('data-copy-code')) {
      this._copy(this._view ? this._view.support.case_code : '', '[data-case-code]');
    } else if (btn.hasAttribute('data-copy-link')) {
      // This page's address with the case: what an agent opens.
      const code = this._view ? this._view.support.case_code : '';
      this._copy(`${location.href.split('#')[0]}#case=${code}`, '[data-case-code]');
    } else if (btn.hasAttribute('data-case-open')) {
      const box = this.shadowRoot.querySelector('[data-case-input]');
      const code = box ? box.value.trim().replace(/\s+/g, '') : '';
      // The support module reads it (or says why not) on the hash change.
      if (code) {
        this._pastedCase = true;
        location.hash = `case=${encodeURIComponent(code)}`;
      }
    } else if (btn.hasAttribute('data-print')) {
      window.print();
    } else if (btn.hasAttribute('data-restart')) {
      this._confirmRestart = true;
      this._render('confirm');
    } else if (btn.hasAttribute('data-restart-cancel')) {
      this._confirmRestart = false;
      this._render('restart');
    } else if (btn.hasAttribute('data-confirm')) {
      this._confirmRestart = false;
      this._call(() => d.restart());
      if (this._story) this._story.value = '';
      this._supportOpen = false;
      this._moreOpen = false;
      this._chipsMore = false;
      this._howOpen.clear();
      this._howClosed.clear();
      this._render('next');
    }
  }

  /** Copies `text`; without clipboard access, selects `selector`'s text so
   * the merchant can copy it by hand. */
  async _copy(text, selector) {
    let ok = false;
    try {
      if (navigator.clipboard && window.isSecureContext) {
        await navigator.clipboard.writeText(text);
        ok = true;
      }
    } catch (_) {
      ok = false;
    }
    if (!ok) {
      // No clipboard access: select the text so the merchant can copy it.
      const pre = this.shadowRoot.querySelector(selector);
      if (pre) {
        pre.focus();
        const sel = window.getSelection();
        if (sel) sel.selectAllChildren(pre);
      }
      return;
    }
    this._copied = true;
    this._render('copy');
    setTimeout(() => {
      this._copied = false;
      if (this._doctor) this._render('copy');
    }, 2500);
  }

  // ---- drawing -----------------------------------------------------------

  /** Draws the whole view; `focus` says where keyboard focus goes after a tap. */
  _render(focus) {
    if (!this._doctor) return;
    const v = this._call(() => this._doctor.view());
    if (!v) return;
    this._view = v;
    const ui = (k) => (v.ui && v.ui[k]) || k;
    const merchant = v.mode !== 'support';
    this._root.setAttribute('lang', v.lang);
    this._root.dataset.status = v.status;
    this._root.dataset.mode = v.mode;
    // The provider profile's colour, on the host so that pos-doctor.css can
    // use it as the accent wherever the host page has not set --pd-accent.
    const color = v.support && v.support.color;
    const colorOk = Boolean(color && /^#[0-9a-fA-F]{6}$/.test(color));
    if (colorOk) this.style.setProperty('--pd-profile-color', color);
    else this.style.removeProperty('--pd-profile-color');

    // Header
    const other = v.lang === 'en' ? 'zh-CN' : 'en';
    // Whose help this is and for which terminal (a QR link names both):
    // the provider's name on its profile colour, and the model.
    const b = v.brand;
    const brand = b ? h('p', { class: `pd-brand${colorOk && b.provider ? ' pd-brand-colored' : ''}`, 'data-brand': true },
      b.provider ? h('span', { class: 'pd-brand-provider', 'data-brand-provider': true }, b.provider) : null,
      b.model ? h('span', { class: 'pd-brand-model', 'data-brand-model': b.model }, `${ui('label_model')}: ${b.model}`) : null) : null;
    this._header.replaceChildren(
      h('div', { class: 'pd-header-text' },
        brand,
        h('h1', null, v.title || ui('app_title')),
        merchant ? h('p', { class: 'pd-intro' }, ui('intro')) : null),
      h('button', { type: 'button', class: 'pd-lang', 'data-lang': other, lang: other }, ui('lang_switch')),
    );

    this._renderNotices();

    // A pasted case code that did not open: why (the notice above), and
    // the box for another code; never the merchant's questions.
    if (this._pastedCase && merchant && isCaseLink()) {
      this._openingHost.replaceChildren();
      this._live.replaceChildren();
      this._body.replaceChildren(
        h('div', { class: 'pd-banner', 'data-status': 'support', 'data-case-failed': true },
          h('h2', { 'data-banner': true, tabindex: '-1' }, ui('case_bad_title'))),
        this._caseBox(ui, true));
      this._focus(focus);
      return;
    }

    // Say what you know (a fresh session), else the open question
    const opening = merchant ? v.opening : null;
    if (opening) this._renderOpening(opening, ui);
    else this._openingHost.replaceChildren();
    const q = merchant && !opening && v.status === 'question' ? v.question : null;
    if (q) {
      const headingId = 'pd-q-heading';
      const answers = h('ul', { class: 'pd-answers' });
      for (const a of q.answers) {
        const pic = pictureFor(a);
        // A screen shows Chinese whatever the page's language: the words as
        // the terminal shows them, with their meaning beside them.
        const label = pic === 'screen'
          ? h('span', { class: 'pd-label pd-screen' },
            h('span', { class: 'pd-lcd', lang: a.native ? 'zh-CN' : null }, a.native || a.label),
            a.native ? h('span', { class: 'pd-meaning' }, a.label) : null)
          : h('span', { class: 'pd-label' }, a.label);
        answers.append(h('li', null,
          h('button', { type: 'button', 'data-fact': a.fact, 'data-value': a.value }, pic === 'screen' ? null : pic, label)));
      }
      this._live.replaceChildren(
        h('section', { class: 'pd-question', 'data-question': q.fact, 'aria-labelledby': headingId },
          h('h2', { id: headingId, tabindex: '-1' }, `${ui('question_heading')} ${q.number}`),
          h('p', { class: 'pd-question-text' }, q.text),
          q.help ? h('p', { class: 'pd-help' }, q.help) : null,
          answers),
      );
    } else {
      this._live.replaceChildren();
    }

    const body = [];
    // While the merchant says what they know, nothing is recommended yet:
    // only the support hand-off is there for them.
    if (opening) {
      body.push(this._support(v, ui, merchant));
      this._body.replaceChildren(...body);
      this._focus(focus);
      return;
    }

    // Banner
    if (!merchant) {
      body.push(h('div', { class: 'pd-banner', 'data-status': 'support' }, h('h2', null, ui('support_view_title'))));
    } else if (v.status === 'resolved' || v.status === 'exhausted') {
      body.push(h('div', { class: 'pd-banner', role: 'status', 'data-status': v.status },
        h('h2', { tabindex: '-1', 'data-banner': true }, ui(`${v.status}_title`)),
        h('p', null, ui(`${v.status}_text`))));
    }

    // Checklist: the plan in view order; folded steps under "more steps";
    // steps already done after them.
    const showOutcomes = merchant && v.status !== 'resolved';
    const main = [], folded = [], done = [];
    for (const s of v.steps) {
      if (s.state !== 'todo') done.push(s);
      else if ((s.folded || v.status === 'resolved') && !s.next) folded.push(s);
      else main.push(s);
    }
    if (v.steps.length) {
      // Nothing left to do (after a fix): the steps done are the heading's
      // list, not an empty "steps to fix it".
      const onlyDone = merchant && !main.length;
      const section = h('section', { class: 'pd-section', 'aria-labelledby': 'pd-steps-h' },
        h('h2', { id: 'pd-steps-h' }, onlyDone ? ui('label_steps') : merchant ? ui('steps_heading') : ui('support_next')));
      if (onlyDone && done.length) section.append(h('ol', { class: 'pd-steps-done' }, done.map((s) => this._step(s, ui, false, merchant))));
      if (main.length) section.append(h('ol', { class: 'pd-steps' }, main.map((s) => this._step(s, ui, showOutcomes))));
      if (folded.length) {
        section.append(h('details', { class: 'pd-more', 'data-more': true, open: this._moreOpen },
          h('summary', null, `${ui('more_steps')} (${folded.length})`),
          h('ol', { class: 'pd-steps' }, folded.map((s) => this._step(s, ui, showOutcomes)))));
      }
      if (done.length && !onlyDone) {
        section.append(h('h3', { class: 'pd-done-heading' }, ui('label_steps')),
          h('ol', { class: 'pd-steps-done' }, done.map((s) => this._step(s, ui, false, merchant))));
      }
      body.push(section);
    }

    // Likely causes, after the steps: on a small screen the step to do
    // comes first (once it is fixed, the merchant needs them no more)
    if (v.causes.length && !(merchant && v.status === 'resolved')) {
      const list = h('ul', { class: 'pd-causes' });
      for (const c of v.causes) {
        const fill = h('span', { class: 'pd-bar-fill' });
        fill.style.setProperty('--p', String(Math.max(0, Math.min(1, Number(c.p) || 0))));
        list.append(h('li', { class: 'pd-cause', 'data-cause': c.id, 'data-p': String(c.p) },
          h('details', { 'data-cause-detail': c.id, open: this._causeOpen.has(c.id) },
            h('summary', null,
              h('span', { class: 'pd-cause-row' },
                h('span', { class: 'pd-cause-name' }, c.name),
                h('span', { class: 'pd-pct' }, `${c.pct}%`)),
              h('span', { class: 'pd-bar', 'aria-hidden': 'true' }, fill)),
            c.detail ? h('p', { class: 'pd-cause-detail' }, c.detail) : this._detailsLoading())));
      }
      body.push(h('section', { class: 'pd-section', 'aria-labelledby': 'pd-causes-h' },
        h('h2', { id: 'pd-causes-h' }, ui('causes_heading')), list));
    }

    // What the merchant said
    if (v.answers.length) {
      body.push(h('section', { class: 'pd-section', 'aria-labelledby': 'pd-answers-h' },
        h('h2', { id: 'pd-answers-h' }, ui('answers_heading')),
        h('ul', { class: 'pd-answered' }, v.answers.map((a) =>
          h('li', { 'data-answer': true, 'data-fact': a.fact, 'data-value': a.value, 'data-source': a.source },
            h('span', { class: 'q' }, a.question), h('span', { class: 'a' }, a.answer),
            // A mis-tapped answer is asked again (merchant view only).
            merchant ? h('button', {
              type: 'button', class: 'pd-change', 'data-change-answer': a.fact,
              'aria-label': `${ui('change_answer')}: ${a.question}`,
            }, ui('change_answer')) : null))),
        merchant ? h('button', { type: 'button', class: 'pd-add-more', 'data-add-more': true }, ui('add_more')) : null));
    }

    // Prevention tips
    // (Their words come with the text pack: the loading line until it lands.)
    const tips = v.tips.filter((t) => t.text);
    const tipsLoading = v.tips.length && !tips.length ? this._detailsLoading() : null;
    if (merchant && (tips.length || tipsLoading)) {
      body.push(h('section', { class: 'pd-section', 'aria-labelledby': 'pd-tips-h' },
        h('h2', { id: 'pd-tips-h' }, ui('tips_heading')),
        tips.length ? h('ul', { class: 'pd-tips' }, tips.map((t) => h('li', { 'data-tip': t.id }, t.text))) : tipsLoading));
    }

    // Start over sits above the hand-off, away from its copy buttons, and
    // asks first: nothing is forgotten before data-confirm.
    if (merchant) {
      body.push(this._confirmRestart
        ? h('div', { class: 'pd-footer pd-confirm', role: 'group', 'aria-labelledby': 'pd-restart-q' },
          h('p', { id: 'pd-restart-q' }, ui('restart_question')),
          h('div', { class: 'pd-actions-row' },
            h('button', { type: 'button', class: 'danger', 'data-confirm': true }, ui('restart_confirm')),
            h('button', { type: 'button', 'data-restart-cancel': true }, ui('restart_cancel'))))
        : h('div', { class: 'pd-footer' },
          h('button', { type: 'button', 'data-restart': true }, ui('start_over'))));
    }

    body.push(this._support(v, ui, merchant));
    this._body.replaceChildren(...body);
    this._focus(focus);
  }

  /** The say-what-you-know screen: the box (built once), the chips by
   * topic, what was understood (a live region), and Continue. */
  _renderOpening(o, ui) {
    if (!this._opening) {
      const hintId = 'pd-story-hint';
      this._story = h('textarea', {
        id: 'pd-story', class: 'pd-story', 'data-story': true, rows: '3', 'aria-describedby': hintId,
        autocomplete: 'off', spellcheck: 'false',
      });
      this._story.addEventListener('input', () => this._onStory());
      // The cue phrases are prepared when the merchant goes to the box
      // (while the keyboard comes up), not while the page starts.
      this._story.addEventListener('focus', () => this._prepareWords());
      this._storyLabel = h('label', { for: 'pd-story', class: 'pd-story-label' });
      this._storyHint = h('p', { id: hintId, class: 'pd-hint' });
      this._understood = h('p', { class: 'pd-understood', role: 'status' });
      this._chipsHeading = h('h3', { id: 'pd-chips-h', class: 'pd-chips-heading' });
      this._chips = h('div', { class: 'pd-chips', role: 'group', 'aria-labelledby': 'pd-chips-h' });
      this._openingHeading = h('h2', { id: 'pd-opening-h', tabindex: '-1' });
      this._doneButton = h('button', { type: 'button', class: 'primary pd-opening-done', 'data-opening-done': true });
      this._opening = h('section', { class: 'pd-opening', 'data-opening': true, 'aria-labelledby': 'pd-opening-h' },
        this._openingHeading, this._storyLabel, this._story, this._storyHint, this._understood,
        this._chipsHeading, this._chips, this._doneButton);
    }
    this._openingHeading.textContent = o.adding ? ui('add_more') : ui('opening_heading');
    this._storyLabel.textContent = ui('opening_heading');
    this._storyHint.textContent = ui('story_hint');
    if (this._understood.textContent !== o.understood) this._understood.textContent = o.understood;
    this._chipsHeading.textContent = ui('chips_heading');
    this._chipsHeading.hidden = !o.topics.length;
    this._doneButton.textContent = ui('opening_done');

    // A chip with keyboard focus keeps it across the redraw.
    const active = this.shadowRoot.activeElement;
    const focused = active && active.dataset ? active.dataset.observation : null;
    const groups = [];
    let hidden = 0;
    for (const topic of o.topics) {
      const chips = [];
      for (const c of topic.chips) {
        if (c.more && !this._chipsMore) { hidden++; continue; }
        chips.push(h('li', null, h('button', {
          type: 'button', class: 'pd-chip', 'data-observation': `${c.fact}=${c.value}`,
          'aria-pressed': c.pressed ? 'true' : 'false', 'data-understood': c.understood,
        }, h('span', { class: 'pd-chip-text' }, c.text),
        // The merchant's own words that lit this chip.
        c.words ? h('span', { class: 'pd-chip-words' }, `${ui('heard')}“${c.words}”`) : null)));
      }
      if (!chips.length) continue;
      const id = `pd-topic-${topic.id}`;
      groups.push(h('div', { class: 'pd-topic', role: 'group', 'aria-labelledby': id },
        h('h4', { id }, topic.title), h('ul', { class: 'pd-chip-list' }, chips)));
    }
    if (hidden || this._chipsMore) {
      groups.push(h('button', {
        type: 'button', class: 'pd-chips-more', 'data-chips-more': true, 'aria-expanded': this._chipsMore ? 'true' : 'false',
      }, this._chipsMore ? ui('more_chips') : `${ui('more_chips')} (${hidden})`));
    }
    this._chips.replaceChildren(...groups);
    if (!this._opening.isConnected) this._openingHost.replaceChildren(this._opening);
    if (focused) {
      const again = this._chips.querySelector(`[data-observation="${CSS.escape(focused)}"]`);
      if (again) again.focus();
    }
  }

  _renderNotices() {
    const v = this._view;
    const items = [];
    if (v) {
      for (const n of v.notices) {
        items.push(h('p', { class: 'pd-notice', role: 'status', 'data-notice': n.kind }, h('span', null, n.text)));
      }
    }
    if (v && this._texts === 'failed') {
      items.push(h('p', { class: 'pd-notice', role: 'status', 'data-notice': 'details' }, h('span', null, v.ui.details_failed)));
    }
    if (this._updateWorker) {
      const lang = v ? v.lang : pageLang(this);
      const f = FALLBACK[lang] || FALLBACK['zh-CN'];
      items.push(h('div', { class: 'pd-notice', role: 'status', 'data-notice': 'update' },
        h('span', null, f.update),
        h('button', { type: 'button', class: 'primary', 'data-update': true }, f.update_button)));
    }
    this._notices.replaceChildren(...items);
  }

  _step(s, ui, showOutcomes, undo) {
    const titleId = `pd-step-${s.id.replace(/[^A-Za-z0-9_-]/g, '_')}`;
    const item = h('li', {
      class: 'pd-step', 'data-action': s.id, 'data-state': s.state, 'data-next': s.next,
      'data-blocked': Boolean(s.blocked),
    });
    const head = h('div', { class: 'pd-step-head' },
      h('h3', { id: titleId, tabindex: '-1' }, s.title),
      s.next ? h('span', { class: 'pd-badge' }, ui('next_badge')) : null,
      s.state !== 'todo' ? h('span', { class: 'pd-state' }, ui(STATE_KEYS[s.state])) : null,
      // A mis-tapped outcome is taken back (merchant view only).
      undo && s.state !== 'todo' ? h('button', {
        type: 'button', class: 'pd-undo', 'data-undo': true, 'aria-label': `${ui('undo')}: ${s.title}`,
      }, ui('undo')) : null);
    item.append(head);
    // What it may fix, and its chance of fixing it now in words (never a
    // bare percentage, which reads as the chance the step works at all).
    if (s.addresses.length) {
      item.append(h('p', { class: 'pd-addresses' }, ui('why_prefix'), s.addresses.map((a) => a.name).join(ui('list_separator'))));
    }
    if (s.chance) {
      item.append(h('p', { class: 'pd-chance', 'data-chance': true }, ui('chance_prefix'), h('strong', null, s.chance)));
    }
    // Held back by a safety rule: what to do first, before anything else.
    if (s.blocked) item.append(h('p', { class: 'pd-blocked', role: 'note' }, s.blocked));
    // The wait step: the provider's stated wait, and whether it is over.
    for (const line of s.wait || []) item.append(h('p', { class: 'pd-wait', 'data-wait': true }, line));
    if (s.why) item.append(h('p', { class: 'pd-why' }, s.why));
    const link = s.link && safeLink(s.link.url, s.link.text, { class: 'pd-step-link', 'data-step-link': true });
    if (link) item.append(h('p', null, link));
    // Outcome buttons: always visible on the recommended step; on the other
    // steps inside their how-to, for a merchant who did one of them anyway.
    const outcomes = showOutcomes && s.state === 'todo' && !s.blocked
      ? h('div', { class: 'pd-outcomes', role: 'group', 'aria-labelledby': titleId },
        h('button', { type: 'button', class: 'primary', 'data-outcome': 'fixed' }, ui('outcome_fixed')),
        h('button', { type: 'button', 'data-outcome': 'not_fixed' }, ui('outcome_not_fixed')),
        h('button', { type: 'button', 'data-outcome': 'cannot_do' }, ui('outcome_cannot_do')))
      : null;
    if (s.how.length) {
      const open = this._howOpen.has(s.id) || (s.next && !this._howClosed.has(s.id));
      item.append(h('details', { class: 'pd-how', 'data-how': s.id, open },
        h('summary', null, ui('how_heading')),
        h('ol', null, s.how.map((x) => h('li', null, x))),
        s.next ? null : outcomes));
    } else {
      append(item, [this._detailsLoading()]);
    }
    // (Not moved out of the how-to while it is on its way: no jump.)
    if (outcomes && (s.next || (!s.how.length && this._texts !== 'loading'))) item.append(outcomes);
    return item;
  }

  /** The text pack's state, also on the element (data-details: loading,
   * ready or failed) for hosts and tests. */
  _setTexts(state) {
    this._texts = state;
    this.setAttribute('data-details', state);
  }

  /** Whether the merchant's words can be read, also on the element
   * (data-words: loading, ready or failed) for hosts and tests. */
  _setWords(state) {
    this._words = state;
    this.setAttribute('data-words', state);
  }

  /** Where a text of the text pack goes while it is on its way. */
  _detailsLoading() {
    if (this._texts !== 'loading' || !this._view) return null;
    return h('p', { class: 'pd-details-loading', 'data-details-loading': true }, this._view.ui.details_loading);
  }

  _support(v, ui, merchant) {
    const s = v.support;
    const open = this._supportOpen || !merchant || v.status === 'exhausted';
    const panelId = 'pd-support-panel';
    const panel = h('div', { class: `pd-support-panel${open ? ' open' : ''}`, id: panelId });
    panel.append(h('p', { class: 'pd-provider', 'data-provider': true }, s.provider));
    if (!merchant && s.model) panel.append(h('p', { class: 'pd-model', 'data-model': s.model }, `${ui('label_model')}: ${s.model}`));
    if (!merchant && s.agent_checks.length) {
      panel.append(h('h3', null, ui('agent_checks')),
        h('ul', { class: 'pd-agent-checks', 'data-agent-checks': true }, s.agent_checks.map((x) => h('li', null, x))));
    }
    // A hotline only when the provider's profile has one; where to find it
    // (the terminal's label, the official app by name) always.
    if (s.hotline) {
      panel.append(h('p', { class: 'pd-hotline', 'data-hotline': true }, ui('hotline'),
        h('a', { href: `tel:${s.hotline.replace(/[^0-9+]/g, '')}` }, s.hotline)));
    }
    panel.append(h('p', { class: 'pd-where', 'data-where': true }, s.where_to_find));
    const service = safeLink(s.service_url, ui('service_link'), { 'data-service-link': true });
    if (service) panel.append(h('p', { class: 'pd-service' }, service));
    if (s.activation_wait) {
      panel.append(h('p', { class: 'pd-wait', 'data-activation-wait': true }, ui('activation_wait'), s.activation_wait));
    }
    panel.append(
      h('h3', null, ui('have_ready')),
      // The merchant types the serial number into the list's first item.
      h('ul', { class: 'pd-ready' }, merchant ? this._snField(s, ui) : null, s.have_ready.map((x) => h('li', null, x))),
      h('h3', { id: 'pd-summary-h' }, ui('summary_heading')),
      h('pre', { class: 'pd-summary', tabindex: '-1', 'data-summary': true }, s.summary),
      h('p', { class: 'pd-case' }, `${ui('case_code')}: `, h('code', { 'data-case-code': s.case_code }, s.case_code)),
      h('p', { class: 'pd-why' }, ui('case_code_help')),
      h('div', { class: 'pd-actions-row' },
        h('button', { type: 'button', class: 'primary', 'data-copy': true }, ui('copy')),
        h('button', { type: 'button', 'data-copy-code': true }, ui('copy_code')),
        h('button', { type: 'button', 'data-copy-link': true }, ui('copy_link')),
        h('button', { type: 'button', 'data-print': true }, ui('print')),
        h('span', { class: 'pd-copied', role: 'status' }, this._copied ? ui('copied') : '')),
    );
    return h('section', { class: 'pd-section pd-support', 'aria-labelledby': 'pd-support-h' },
      h('h2', { id: 'pd-support-h' }, ui('support_heading')),
      merchant ? h('button', {
        type: 'button', 'data-contact': true, 'aria-expanded': open ? 'true' : 'false', 'aria-controls': panelId,
      }, ui('open_support')) : null,
      panel, this._caseBox(ui, !merchant));
  }

  /** The terminal's serial number: typed once, kept on this phone, in the
   * summary at once (the summary is updated in place, so the box keeps
   * focus and caret while the merchant types). */
  _snField(s, ui) {
    const input = h('input', {
      id: 'pd-sn', type: 'text', class: 'pd-sn', 'data-sn': true, autocomplete: 'off', spellcheck: 'false',
      autocapitalize: 'characters', maxlength: '40', 'aria-describedby': 'pd-sn-hint',
    });
    input.value = s.sn || '';
    input.addEventListener('input', () => {
      const d = this._doctor;
      if (!d || !this._call(() => d.setSn(input.value))) return;
      const v = this._call(() => d.view());
      if (!v) return;
      this._view = v;
      const pre = this.shadowRoot.querySelector('[data-summary]');
      if (pre) pre.textContent = v.support.summary;
    });
    // The cleaned form (upper case, no spaces) once the merchant leaves it.
    input.addEventListener('change', () => {
      const v = this._view;
      if (v && v.support) input.value = v.support.sn || '';
    });
    return h('li', { class: 'pd-sn-field' },
      h('label', { for: 'pd-sn' }, ui('sn_label')), input,
      h('p', { id: 'pd-sn-hint', class: 'pd-hint' }, ui('sn_hint')));
  }

  /** The box where an agent pastes a case code: open in the support view,
   * folded away at the end of the merchant's. */
  _caseBox(ui, open) {
    return h('details', { class: 'pd-case-box', open },
      h('summary', null, ui('case_input')),
      h('div', { class: 'pd-actions-row' },
        h('input', {
          type: 'text', class: 'pd-case-input', 'data-case-input': true, autocomplete: 'off', spellcheck: 'false',
          autocapitalize: 'characters', 'aria-label': ui('case_input'),
        }),
        h('button', { type: 'button', 'data-case-open': true }, ui('case_open'))));
  }

  _focus(focus) {
    if (!focus) return;
    const root = this.shadowRoot;
    let target = null;
    if (focus === 'next') {
      target = root.querySelector('[data-opening] h2')
        || root.querySelector('[data-question] h2')
        || root.querySelector('[data-next] h3')
        || root.querySelector('[data-banner]')
        || root.querySelector('h1');
    } else if (focus === 'opening') {
      target = root.querySelector('[data-opening] h2');
    } else if (focus === 'chips-more') {
      target = root.querySelector('[data-chips-more]');
    } else if (focus === 'confirm') {
      target = root.querySelector('[data-confirm]');
    } else if (focus === 'restart') {
      target = root.querySelector('[data-restart]');
    } else if (focus === 'lang') {
      target = root.querySelector('[data-lang]');
    } else if (focus === 'support') {
      target = root.querySelector('[data-contact]');
    } else if (focus === 'copy') {
      const active = root.activeElement;
      if (!active || !active.isConnected) target = root.querySelector('[data-copy]');
    }
    if (target) target.focus({ preventScroll: false });
    if (target && focus === 'next' && typeof target.scrollIntoView === 'function') {
      target.scrollIntoView({ block: 'nearest' });
    }
    // Everything has been tried: the hand-off, not the banner six screens
    // above it, is what the merchant needs now.
    const pd = root.querySelector('.pd');
    if (focus === 'next' && pd && pd.dataset.status === 'exhausted' && pd.dataset.mode === 'merchant') {
      const support = root.querySelector('.pd-support');
      const contact = root.querySelector('[data-contact]');
      if (contact) contact.focus({ preventScroll: true });
      if (support && typeof support.scrollIntoView === 'function') support.scrollIntoView({ block: 'start' });
    }
  }
}

// ---- service worker: only on pages that ask for it -------------------------

const instances = new Set();
let waitingWorker = null;

function announceUpdate(worker) {
  waitingWorker = worker;
  for (const el of instances) el.showUpdate(worker);
}

function registerServiceWorker() {
  if (!('serviceWorker' in navigator)) return;
  if (!/^https?:$/.test(location.protocol)) return;
  const meta = document.querySelector('meta[name="posdoctor-sw"]');
  if (!meta || meta.getAttribute('content') !== 'on') return;
  const swUrl = new URL('./sw.js', document.baseURI);
  navigator.serviceWorker.register(swUrl).then((reg) => {
    keepKbOffline();
    const track = (worker) => {
      if (!worker) return;
      worker.addEventListener('statechange', () => {
        if (worker.state === 'installed' && navigator.serviceWorker.controller) announceUpdate(worker);
      });
    };
    if (reg.waiting && navigator.serviceWorker.controller) announceUpdate(reg.waiting);
    track(reg.installing);
    reg.addEventListener('updatefound', () => track(reg.installing));
  }).catch((err) => {
    // No offline copy, but the page works as before.
    console.warn('posdoctor: service worker not registered', err);
  });
}

/** Asks the service worker to keep what a kb-url page needs offline: the
 * page, its kb-url and the validator module. On a first visit all of them
 * were fetched before the worker controlled the page, so it never saw them
 * (it keeps the rest of the widget itself). */
function keepKbOffline() {
  const kbUrls = [...instances].map((el) => el.getAttribute('kb-url')).filter(Boolean);
  if (!kbUrls.length) return;
  const page = location.href.split('#')[0];
  const urls = [page, new URL('./posdoctor_validator.js', import.meta.url).href, VALIDATOR_WASM_URL.href];
  for (const u of kbUrls) {
    try {
      urls.push(new URL(u, document.baseURI).href);
    } catch {
      // Not a URL: the page shows the kb-fallback notice already.
    }
  }
  navigator.serviceWorker.ready.then((reg) => {
    if (reg.active) reg.active.postMessage({ type: 'KEEP_OFFLINE', page, urls });
  }).catch(() => {});
}

let swStarted = false;
/** Registers the service worker once the first element is interactive, so
 * its precache does not compete with the first load for bandwidth. */
function startServiceWorkerOnce() {
  if (swStarted) return;
  swStarted = true;
  registerServiceWorker();
}

if (!customElements.get('pos-doctor')) {
  customElements.define('pos-doctor', PosDoctor);
}
