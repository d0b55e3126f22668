//! Hand-built knowledge-base parts for the tests that compute by hand
//! (`tests/engine.rs`, `tests/safety.rs`, `tests/eval.rs`, `tests/app.rs`):
//! one home for the struct literals, so a field added to `kb` is added here
//! once. Every text is its id in both languages; a test that needs more
//! sets it with struct update syntax (`Question { minutes: 0.1, ..question(…) }`).
#![allow(dead_code)]

use posdoctor::kb::{Action, Answer, Cause, CostModel, Kb, Observation, Question, Text, TextList};

pub fn text(s: &str) -> Text {
    Text { zh: s.into(), en: s.into() }
}

pub fn list(zh: &[&str], en: &[&str]) -> TextList {
    TextList { zh: zh.iter().map(|s| s.to_string()).collect(), en: en.iter().map(|s| s.to_string()).collect() }
}

/// Causes `c0`, `c1`, … with these priors.
pub fn causes(priors: &[f64]) -> Vec<Cause> {
    priors
        .iter()
        .enumerate()
        .map(|(i, &p)| Cause { id: format!("c{i}"), seed: true, name: text("c"), detail: text("c"), prior: p })
        .collect()
}

/// A question with these answer values and P(answer | cause) rows, one per
/// cause; everyone knows the answer and it takes no time.
pub fn question(id: &str, values: &[&str], likelihood: Vec<Vec<f64>>) -> Question {
    Question {
        id: id.into(),
        text: text(id),
        help: None,
        p_known: 1.0,
        minutes: 0.0,
        answers: values.iter().map(|v| Answer { value: (*v).into(), text: text(v), picture: None }).collect(),
        likelihood,
        skip_if_known: vec![],
        offered_in: None,
    }
}

/// A step of one how-to line that pays nothing and shows nothing from the
/// provider's profile.
pub fn action(id: &str, minutes: f64, fixes: Vec<(usize, f64)>) -> Action {
    Action { id: id.into(), title: text(id), how: list(&["x"], &["x"]), why: text(id), minutes, fixes, pays: None, shows: None }
}

/// The chip for `question`'s answer `answer`: in the first topic, with no
/// cues, hours or anchors, not behind "more".
pub fn chip(question: usize, answer: usize) -> Observation {
    Observation {
        question,
        answer,
        topic: 0,
        text: text("chip"),
        cues: TextList::default(),
        negated: None,
        more: false,
        hours: None,
        anchors: TextList::default(),
    }
}

/// A KB of these parts, without tips, chips or a safety section.
pub fn kb(cost_model: CostModel, priors: &[f64], questions: Vec<Question>, actions: Vec<Action>) -> Kb {
    Kb {
        id: "t".into(),
        version: "1".into(),
        title: text("t"),
        cost_model,
        causes: causes(priors),
        questions,
        actions,
        tips: vec![],
        observations: vec![],
        safety: None,
        shop_words: Default::default(),
    }
}
