// TypeScript declarations for <pos-doctor>, the posdoctor widget
// (www/pos-doctor.js). See docs/EMBED.md. The element registers itself when
// the module is loaded:
//
//   <script type="module" src="/posdoctor/assets/pos-doctor.HASH.js"></script>
//   <pos-doctor lang="zh-CN" provider="lakala"></pos-doctor>
//
// A host page that bundles TypeScript can reference this file
// (/// <reference path="pos-doctor.d.ts" />) for typed attributes, events
// and document.querySelector('pos-doctor').

/** The languages the widget speaks. */
export type PosDoctorLang = 'zh-CN' | 'en';

/** How a checklist step turned out, as the merchant marked it. */
export type PosDoctorOutcome = 'fixed' | 'not_fixed' | 'cannot_do';

/** `posdoctor:step`: the merchant marked a checklist step. */
export interface PosDoctorStepDetail {
  /** The step's id from the knowledge base, e.g. "action.restart". */
  readonly action: string;
  readonly outcome: PosDoctorOutcome;
}

/** `posdoctor:resolved`: a step fixed it (fired after its `posdoctor:step`). */
export interface PosDoctorResolvedDetail {
  /** The step that fixed it. */
  readonly action: string;
}

/** `posdoctor:contact`: the merchant opened the support hand-off. Empty. */
export type PosDoctorContactDetail = Record<string, never>;

/** Every event the element fires: bubbling, composed (they leave the
 * shadow root), not cancelable. `detail` holds ids only, never personal
 * data or anything the merchant typed. */
export interface PosDoctorEventMap {
  'posdoctor:step': CustomEvent<PosDoctorStepDetail>;
  'posdoctor:resolved': CustomEvent<PosDoctorResolvedDetail>;
  'posdoctor:contact': CustomEvent<PosDoctorContactDetail>;
}

export interface PosDoctorElement extends HTMLElement {
  /** Attribute `lang`: "zh-CN" or "en" (any zh-* / en-* tag is accepted).
   * Without it: the deep link's lang=, then the browser's language. */
  lang: string;
  /** The open shadow root holds the whole widget (see the test hooks in DESIGN.md). */
  readonly shadowRoot: ShadowRoot;

  getAttribute(name: 'lang'): PosDoctorLang | string | null;
  /** A provider profile id (kb/providers.json); unknown ids show the neutral profile. */
  getAttribute(name: 'provider'): string | null;
  /** A same-origin URL of the provider's own knowledge base JSON. */
  getAttribute(name: 'kb-url'): string | null;
  /** Set on the element once it is interactive. */
  getAttribute(name: 'data-ready'): '' | null;
  getAttribute(name: string): string | null;

  setAttribute(name: 'lang', value: PosDoctorLang): void;
  setAttribute(name: 'provider' | 'kb-url', value: string): void;
  setAttribute(name: string, value: string): void;

  addEventListener<K extends keyof PosDoctorEventMap>(
    type: K,
    listener: (this: PosDoctorElement, ev: PosDoctorEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener<K extends keyof HTMLElementEventMap>(
    type: K,
    listener: (this: PosDoctorElement, ev: HTMLElementEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;

  removeEventListener<K extends keyof PosDoctorEventMap>(
    type: K,
    listener: (this: PosDoctorElement, ev: PosDoctorEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener<K extends keyof HTMLElementEventMap>(
    type: K,
    listener: (this: PosDoctorElement, ev: HTMLElementEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

declare global {
  interface HTMLElementTagNameMap {
    'pos-doctor': PosDoctorElement;
  }
  /** The events bubble and are composed, so a listener on document or
   * window (or any ancestor of the element) receives them too. */
  interface DocumentEventMap extends PosDoctorEventMap {}
  interface WindowEventMap extends PosDoctorEventMap {}
  interface HTMLElementEventMap extends PosDoctorEventMap {}
}
