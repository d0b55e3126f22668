//! wasm-bindgen bindings: the only file that touches the browser. It holds
//! no logic: it hands the page's inputs to `app::App`, supplies
//! localStorage as the `Store`, and returns view models as plain JS objects
//! (JSON text from `json::ToJson`, parsed by the browser).
//!
//! Each binding is a feature that only adds. The page module (feature
//! `page`) runs the doctor on a packed knowledge base; the validator module
//! (feature `validator`) turns a provider's `kb-url` JSON into a packed
//! knowledge base, and is downloaded only by pages that set `kb-url`, so
//! the first visit carries no JSON parser or validator. The extractor
//! module (feature `extractor`) reads the merchant's words; the page loads
//! it after it is ready and hands what it found to the page module.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(start)]
pub fn init() {
    // Built with panic=immediate-abort (build.sh, on nightly) a panic traps
    // before any hook could run: leave the hook and its formatting out.
    #[cfg(not(posdoctor_trap_panics))]
    console_error_panic_hook::set_once();
}

/// The one error conversion: a message becomes a JS Error.
#[cfg_attr(not(any(feature = "page", feature = "extractor")), allow(dead_code))]
fn js_error(message: &str) -> JsError {
    JsError::new(message)
}

#[cfg(feature = "validator")]
pub use validator::pack_kb;

#[cfg(feature = "validator")]
mod validator {
    use wasm_bindgen::prelude::*;

    /// Validates a knowledge base's JSON text and returns its packed form;
    /// throws an array of `$.path: message` strings.
    #[wasm_bindgen(js_name = packKb)]
    pub fn pack_kb(text: &str) -> Result<Vec<u8>, JsValue> {
        match crate::kb::load(text) {
            Ok(kb) => Ok(crate::kb::packed::encode(&kb)),
            Err(errors) => {
                let list = js_sys::Array::new();
                for e in errors {
                    list.push(&JsValue::from_str(&e.to_string()));
                }
                Err(list.into())
            }
        }
    }
}

#[cfg(feature = "extractor")]
pub use reader::Extractor;

#[cfg(feature = "extractor")]
mod reader {
    use super::js_error;
    use crate::kb::packed;
    use wasm_bindgen::prelude::*;

    /// The extractor on the knowledge base the page uses. Its module is
    /// loaded after the page is ready, with the cue pack (the chips' cue
    /// phrases): about a fifth of the page module's wasm off the critical
    /// path, and no reader of the rest of the KB.
    #[wasm_bindgen]
    pub struct Extractor {
        cues: crate::extract::LazyCues,
    }

    #[wasm_bindgen]
    impl Extractor {
        /// `kb`: the built-in decision pack (`kb.bin`) with its cue pack
        /// `cues` (`kb-cues.bin`), or a provider's whole packed knowledge
        /// base and no `cues`.
        #[wasm_bindgen(constructor)]
        pub fn new(kb: &[u8], cues: Option<Vec<u8>>) -> Result<Extractor, JsError> {
            packed::decode_cues(kb, cues.as_deref())
                .map(|p| Extractor { cues: crate::extract::LazyCues::new(p) })
                .ok_or_else(|| js_error("the knowledge base is damaged"))
        }

        /// Prepares the cue phrases now (the first `read` does otherwise):
        /// the page calls it when the merchant goes to the box.
        pub fn prepare(&self) {
            self.cues.prepare();
        }

        /// Whether the cue phrases are prepared (for the page's tests).
        #[wasm_bindgen(getter)]
        pub fn prepared(&self) -> bool {
            self.cues.is_prepared()
        }

        /// What is understood in `text`: observation, byte start, byte end
        /// of each, one after the other (for `Doctor.understand`).
        pub fn read(&self, text: &str) -> Vec<u32> {
            let mut out = Vec::new();
            for f in crate::extract::extract_with(self.cues.prepare(), text, None).found {
                out.extend([f.observation as u32, f.start as u32, f.end as u32]);
            }
            out
        }
    }
}

#[cfg(feature = "page")]
pub use doctor::Doctor;

#[cfg(feature = "page")]
mod doctor {
    use super::js_error;
    use crate::app::{App, ProviderKb, StartInput, Store};
    use crate::kb::packed;
    use crate::json::ToJson;
    use wasm_bindgen::prelude::*;

    // The few browser calls the page module makes, imported by name. Through
    // web-sys, `window()` looks for the global object four ways first: about
    // 1.4 KB brotli of wasm and glue on every first visit (measured).
    #[wasm_bindgen]
    extern "C" {
        #[wasm_bindgen(catch, js_namespace = localStorage, js_name = getItem)]
        fn storage_get(key: &str) -> Result<Option<String>, JsValue>;
        #[wasm_bindgen(catch, js_namespace = localStorage, js_name = setItem)]
        fn storage_set(key: &str, value: &str) -> Result<(), JsValue>;
        #[wasm_bindgen(catch, js_namespace = localStorage, js_name = removeItem)]
        fn storage_remove(key: &str) -> Result<(), JsValue>;
        #[wasm_bindgen(js_namespace = Date)]
        fn now() -> f64;
        #[wasm_bindgen(catch, js_namespace = JSON)]
        fn parse(text: &str) -> Result<JsValue, JsValue>;
    }

    /// localStorage; every failure (disabled, private mode, quota, a
    /// sandboxed frame, no localStorage at all) surfaces as an error so the
    /// app can fall back to memory.
    pub struct LocalStore;

    impl Store for LocalStore {
        fn get(&self, key: &str) -> Result<Option<String>, String> {
            storage_get(key).map_err(|_| "localStorage read failed".into())
        }
        fn set(&mut self, key: &str, value: &str) -> Result<(), String> {
            storage_set(key, value).map_err(|_| "localStorage write failed".into())
        }
        fn remove(&mut self, key: &str) -> Result<(), String> {
            storage_remove(key).map_err(|_| "localStorage remove failed".into())
        }
    }

    #[wasm_bindgen]
    pub struct Doctor {
        app: App<LocalStore>,
    }

    #[wasm_bindgen]
    impl Doctor {
        /// `kb`: the built-in knowledge base's decision pack (`kb.bin`; its
        /// text pack joins later through `addTexts`). `provider_kb`: a
        /// provider's packed knowledge base from `kb-url`, or
        /// `provider_kb_errors`: why it could not be had, one error a line.
        /// (Text, not string arrays, across the boundary: fewer wasm bytes.)
        /// `navigator_lang`: `navigator.language`.
        #[wasm_bindgen(constructor)]
        pub fn new(
            lang: Option<String>,
            provider: Option<String>,
            hash: String,
            kb: &[u8],
            provider_kb: Option<Vec<u8>>,
            provider_kb_errors: Option<String>,
            navigator_lang: Option<String>,
        ) -> Result<Doctor, JsError> {
            let (builtin, builtin_texts) =
                packed::decode_decisions(kb).ok_or_else(|| js_error("the built-in knowledge base is damaged"))?;
            let provider_kb = match (provider_kb, provider_kb_errors) {
                (Some(bytes), _) => match packed::decode(&bytes) {
                    Some(kb) => ProviderKb::Loaded(kb),
                    None => ProviderKb::Failed(vec!["the provider's knowledge base is damaged".into()]),
                },
                (None, Some(errors)) => {
                    ProviderKb::Failed(crate::pieces(&errors, b'\n').filter(|e| !e.is_empty()).map(str::to_string).collect())
                }
                (None, None) => ProviderKb::None,
            };
            let input = StartInput {
                lang_attr: lang,
                provider_attr: provider,
                hash,
                navigator_lang,
                provider_kb,
                now_ms: now(),
                utc_offset_min: 0,
                builtin_texts: Some(builtin_texts),
            };
            Ok(Doctor { app: App::start(builtin, input, LocalStore) })
        }

        /// The built-in knowledge base's text pack (`kb-text.bin`), fetched
        /// after the page is ready; returns whether the KB in use has its
        /// texts now (false: damaged, or another build's).
        #[wasm_bindgen(js_name = addTexts)]
        pub fn add_texts(&mut self, bytes: &[u8]) -> bool {
            self.app.add_texts(bytes).is_ok()
        }

        /// The page could not load the cue pack or the extractor module:
        /// the opening screen says the words cannot be read.
        #[wasm_bindgen(js_name = wordsUnreadable)]
        pub fn words_unreadable(&mut self) {
            self.app.words_unreadable();
        }

        /// The cue pack and the extractor module have landed: the words
        /// are read from now on.
        #[wasm_bindgen(js_name = wordsReady)]
        pub fn words_ready(&mut self) {
            self.app.words_ready();
        }

        /// Whether the KB in use still waits for the built-in text pack
        /// (false for a provider's KB, which came whole).
        #[wasm_bindgen(js_name = textsAwaited)]
        pub fn texts_awaited(&self) -> bool {
            self.app.texts_awaited()
        }

        pub fn view(&self) -> Result<JsValue, JsError> {
            // JSON text, parsed by the browser: far fewer wasm bytes than
            // building the object field by field through serde.
            parse(&self.app.view().to_json()).map_err(|_| js_error("view is not JSON"))
        }

        /// Records an answer; returns whether it was taken.
        pub fn answer(&mut self, fact: &str, value: &str) -> bool {
            self.app.answer(fact, value)
        }

        /// Forgets an answer so its question is asked again; returns
        /// whether it was taken.
        pub fn change(&mut self, fact: &str) -> bool {
            self.app.change(fact)
        }

        /// Marks a step; returns whether it was taken.
        pub fn mark(&mut self, action: &str, outcome: &str) -> bool {
            self.app.mark(action, outcome).is_some()
        }

        /// The phone's offset from UTC in minutes,
        /// `-new Date().getTimezoneOffset()`: the summary's time is local.
        #[wasm_bindgen(js_name = setUtcOffset)]
        pub fn set_utc_offset(&mut self, minutes: i32) {
            self.app.set_utc_offset(minutes);
        }

        /// The terminal's serial number as typed (empty clears it); returns
        /// whether it was taken.
        #[wasm_bindgen(js_name = setSn)]
        pub fn set_sn(&mut self, typed: &str) -> bool {
            self.app.set_sn(typed)
        }

        /// Takes a step's outcome back; returns whether it was taken.
        pub fn undo(&mut self, action: &str) -> bool {
            self.app.undo(action)
        }

        /// The merchant's words on the say-what-you-know screen (kept
        /// nowhere) and what `Extractor.read` understood in them: lights
        /// those chips.
        pub fn understand(&mut self, text: &str, found: &[u32]) -> bool {
            let mut spans = Vec::new();
            for f in found.chunks_exact(3) {
                spans.push((f[0] as usize, f[1] as usize, f[2] as usize));
            }
            self.app.understood(text, &spans)
        }

        /// A chip tapped on the say-what-you-know screen; returns whether
        /// it was taken.
        pub fn chip(&mut self, fact: &str, value: &str) -> bool {
            self.app.chip(fact, value)
        }

        /// Continue: the chosen facts become answers.
        #[wasm_bindgen(js_name = openingDone)]
        pub fn opening_done(&mut self) -> bool {
            self.app.finish_opening()
        }

        /// Reopens the say-what-you-know screen to add more.
        #[wasm_bindgen(js_name = addMore)]
        pub fn add_more(&mut self) -> bool {
            self.app.add_more()
        }

        #[wasm_bindgen(js_name = setLang)]
        pub fn set_lang(&mut self, lang: &str) -> bool {
            self.app.set_lang(lang)
        }

        pub fn restart(&mut self) {
            self.app.restart(now());
        }

        /// Test builds only (feature `test-hooks`): a panic on demand, so
        /// the browser tests can check what the page shows after one.
        #[cfg(feature = "test-hooks")]
        #[wasm_bindgen(js_name = debugPanic)]
        pub fn debug_panic(&self) {
            panic!("posdoctor test panic")
        }
    }
}
