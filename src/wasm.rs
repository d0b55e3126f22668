//! wasm-bindgen bindings: the only file that touches the browser. It holds
//! no logic: it hands the page's inputs to `app::App`, supplies
//! localStorage as the `Store`, and returns view models as plain JS objects.

use crate::app::{App, StartInput, Store};
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(start)]
pub fn init() {
    console_error_panic_hook::set_once();
}

/// The one error conversion: anything displayable becomes a JS Error.
fn js_error(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(js_error)
}

/// localStorage; every failure (disabled, private mode, quota, a sandboxed
/// frame) surfaces as an error so the app can fall back to memory.
struct LocalStore;

impl LocalStore {
    fn storage() -> Result<web_sys::Storage, String> {
        let window = web_sys::window().ok_or("no window")?;
        match window.local_storage() {
            Ok(Some(s)) => Ok(s),
            _ => Err("localStorage unavailable".into()),
        }
    }
}

impl Store for LocalStore {
    fn get(&self, key: &str) -> Result<Option<String>, String> {
        Self::storage()?.get_item(key).map_err(|_| "localStorage read failed".into())
    }
    fn set(&mut self, key: &str, value: &str) -> Result<(), String> {
        Self::storage()?.set_item(key, value).map_err(|_| "localStorage write failed".into())
    }
    fn remove(&mut self, key: &str) -> Result<(), String> {
        Self::storage()?.remove_item(key).map_err(|_| "localStorage remove failed".into())
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct StartOptions {
    lang: Option<String>,
    provider: Option<String>,
    hash: String,
    kb_text: Option<String>,
    kb_error: Option<String>,
}

#[wasm_bindgen]
pub struct Doctor {
    app: App<LocalStore>,
}

#[wasm_bindgen]
impl Doctor {
    /// `options`: `{lang?, provider?, hash, kbText?, kbError?}`.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<Doctor, JsError> {
        let o: StartOptions = serde_wasm_bindgen::from_value(options).map_err(js_error)?;
        let navigator_lang = web_sys::window().and_then(|w| w.navigator().language());
        let input = StartInput {
            lang_attr: o.lang,
            provider_attr: o.provider,
            hash: o.hash,
            navigator_lang,
            kb_text: o.kb_text,
            kb_fetch_error: o.kb_error,
            now_ms: js_sys::Date::now(),
        };
        let app = App::start(input, LocalStore).map_err(|errors| {
            js_error(errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"))
        })?;
        Ok(Doctor { app })
    }

    pub fn view(&self) -> Result<JsValue, JsError> {
        to_js(&self.app.view())
    }

    /// Records an answer; returns whether it was taken.
    pub fn answer(&mut self, fact: &str, value: &str) -> bool {
        self.app.answer(fact, value)
    }

    /// Marks a step; returns whether it was taken.
    pub fn mark(&mut self, action: &str, outcome: &str) -> bool {
        self.app.mark(action, outcome).is_some()
    }

    #[wasm_bindgen(js_name = setLang)]
    pub fn set_lang(&mut self, lang: &str) -> bool {
        self.app.set_lang(lang)
    }

    pub fn restart(&mut self) {
        self.app.restart(js_sys::Date::now());
    }

    /// The provider knowledge base's errors (JSON paths), for the console.
    #[wasm_bindgen(js_name = kbErrors)]
    pub fn kb_errors(&self) -> Vec<String> {
        self.app.kb_errors.clone()
    }
}
