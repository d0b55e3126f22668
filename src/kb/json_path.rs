//! The one JSON-path checker behind every file posdoctor validates (the
//! knowledge base, `kb/validate.rs`, and provider profiles,
//! `profile.rs`): paths written the same way (`$.a.b[2]["zh-CN"]`), the
//! same messages for a value of the wrong type, a missing or unknown key
//! and a file that is not JSON, and at most `MAX_ERRORS` errors kept.
//! Each file's own rules are methods its module adds to `JsonChecker`.

use super::KbError;
use serde_json::{Map, Value};

/// A pathological file could hold millions of errors; past this many the
/// author has enough to work on (the rest are counted, see `finish`).
const MAX_ERRORS: usize = 500;

/// Appends a key to a JSON path, bracketed when it is not a plain name.
pub(crate) fn key_path(base: &str, key: &str) -> String {
    let plain = key.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain {
        format!("{base}.{key}")
    } else {
        format!("{base}[{}]", Value::String(key.to_string()))
    }
}

pub(crate) fn index_path(base: &str, i: usize) -> String {
    format!("{base}[{i}]")
}

/// What a JSON value is, for messages ("expected a number, found a string").
pub(crate) fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A file that is not JSON, at `$`, with its line and column.
pub(crate) fn parse_error(e: &serde_json::Error) -> KbError {
    let what = match e.classify() {
        serde_json::error::Category::Eof => "the file ends too early",
        serde_json::error::Category::Syntax => "invalid JSON",
        serde_json::error::Category::Data | serde_json::error::Category::Io => "unreadable JSON",
    };
    let msg = e.to_string();
    // serde_json appends " at line L column C"; say it our way instead.
    let detail = msg.split(" at line ").next().unwrap_or(&msg);
    KbError { path: "$".into(), message: format!("{what} at line {}, column {}: {detail}", e.line(), e.column()) }
}

/// Collects every error of one file with its JSON path.
#[derive(Default)]
pub(crate) struct JsonChecker {
    pub errors: Vec<KbError>,
    /// Errors past `MAX_ERRORS`: counted, not kept.
    pub dropped: usize,
    /// Whether a `note` listed as required must be there (an author's
    /// source); otherwise it may be left out.
    pub notes_required: bool,
}

impl JsonChecker {
    pub fn err(&mut self, path: impl Into<String>, message: impl Into<String>) {
        if self.errors.len() < MAX_ERRORS {
            self.errors.push(KbError { path: path.into(), message: message.into() });
        } else {
            self.dropped += 1;
        }
    }

    /// An object with exactly the given keys (required, optional); reports
    /// missing and unknown keys.
    pub fn object<'v>(&mut self, v: &'v Value, path: &str, required: &[&str], optional: &[&str]) -> Option<&'v Map<String, Value>> {
        let Value::Object(map) = v else {
            self.err(path, format!("expected an object, found {}", type_name(v)));
            return None;
        };
        for key in required {
            if *key == "note" && !self.notes_required {
                continue;
            }
            if !map.contains_key(*key) {
                self.err(key_path(path, key), "missing field");
            }
        }
        for key in map.keys() {
            if !required.contains(&key.as_str()) && !optional.contains(&key.as_str()) {
                let mut known: Vec<&str> = required.iter().chain(optional).copied().collect();
                known.sort_unstable();
                self.err(key_path(path, key), format!("unknown field (known: {})", known.join(", ")));
            }
        }
        Some(map)
    }

    /// The errors, with a last one saying how many more there were.
    pub fn finish(mut self) -> Vec<KbError> {
        if self.dropped > 0 {
            let more = KbError { path: "$".into(), message: format!("… and {} more errors", self.dropped) };
            self.errors.push(more);
        }
        self.errors
    }
}
