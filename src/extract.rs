//! The extractor: the merchant's own words → fact=value, with the words
//! that triggered each (DESIGN "What the merchant already knows comes
//! first", "The page"). Pure Rust, no browser types; driven by the KB's
//! observations (their cue phrases per language), so it knows nothing about
//! POS terminals itself: only language (clauses, negation, contrast,
//! reported speech, time expressions, numbers, width and case).
//!
//! STUB: the interface is fixed; the implementation lands with the
//! say-what-you-know issue.

use crate::kb::{Kb, Lang};

/// One understood fact=value.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// The observation (index into `Kb::observations`) whose fact=value
    /// this is; its `question` and `answer` are the fact and the value.
    pub observation: usize,
    /// The fact (question index) and value (answer index).
    pub question: usize,
    pub answer: usize,
    /// Byte range in the input text of the words that triggered it.
    pub start: usize,
    pub end: usize,
}

/// What was understood: at most one value per fact, in text order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Extraction {
    pub found: Vec<Found>,
}

/// The language a text is written in: Chinese when it holds any Han
/// character, English otherwise.
pub fn detect_lang(text: &str) -> Lang {
    if text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) {
        Lang::Zh
    } else {
        Lang::En
    }
}

/// Understands `text` against the KB's observations. `lang`: `None`
/// detects it from the text. Never panics, deterministic.
pub fn extract(kb: &Kb, text: &str, lang: Option<Lang>) -> Extraction {
    let _ = (kb, text, lang);
    Extraction::default()
}
