//! The rules every `Kb` keeps beyond its indices being in range, as one
//! yes/no over a built `Kb`. `kb::load` reports each rule it breaks with
//! its JSON path as it reads the file, and then asks `holds` too, so no
//! `Kb` leaves it that this refuses; `packed::decode`, which has no paths
//! to give, refuses a pack for which `holds` is false. So both ways to a
//! `Kb` end in the same checks (tests/packed.rs ties them).

use super::validate::{MAX_CUES, MAX_OBSERVATIONS};
use super::{Kb, Observation, ShopWords, Shows, Text, TextList, NOT_SURE};

/// Ids and answer values are saved in progress and case codes: no spaces,
/// no control characters.
pub(crate) fn is_plain_id(s: &str) -> bool {
    !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// The pictures `www/pos-doctor.js` draws beside an answer (`pictureFor`):
/// signal bars, and any screen message drawn as the terminal shows it.
pub(crate) const DRAWN_PICTURES: &str = "signal-none, signal-weak, signal-normal, signal-full, screen-NAME";

pub(crate) fn is_drawn_picture(name: &str) -> bool {
    matches!(name, "signal-none" | "signal-weak" | "signal-normal" | "signal-full")
        || name.strip_prefix("screen-").is_some_and(|rest| !rest.is_empty() && is_plain_id(rest))
}

fn filled(s: &str) -> bool {
    !s.trim().is_empty()
}

fn id_ok(s: &str) -> bool {
    filled(s) && is_plain_id(s)
}

fn text_ok(t: &Text) -> bool {
    filled(&t.zh) && filled(&t.en)
}

/// Cue phrases: any number per language, none empty.
fn phrases_ok(l: &TextList) -> bool {
    l.zh.iter().chain(&l.en).all(|s| filled(s)) && l.zh.len() + l.en.len() <= MAX_CUES
}

/// No two of `ids` alike.
fn unique<'a>(ids: impl Iterator<Item = &'a str>) -> bool {
    let mut seen: Vec<&str> = ids.collect();
    let n = seen.len();
    seen.sort_unstable();
    seen.dedup();
    seen.len() == n
}

/// Whether `kb` keeps every rule `kb::load` checks that a well-formed pack
/// could still break.
pub fn holds(kb: &Kb) -> bool {
    decisions_hold(kb) && texts_hold(kb) && cues_hold(&kb.observations, &kb.shop_words)
}

/// The rules over the texts of the text pack (`packed::encode_split`):
/// causes' details, questions' help, steps' how-to and why, tips (a paying
/// step's are in the decision pack, checked by `decisions_hold` too).
pub fn texts_hold(kb: &Kb) -> bool {
    kb.causes.iter().all(|c| text_ok(&c.detail))
        && kb.questions.iter().all(|q| q.help.as_ref().is_none_or(text_ok))
        && kb.actions.iter().all(how_ok)
        && kb.tips.iter().all(|t| text_ok(&t.text))
}

/// A step's how-to and why are there (a paying step's in the decision
/// pack, the others' in the text pack).
fn how_ok(a: &super::Action) -> bool {
    text_ok(&a.why) && !a.how.zh.is_empty() && !a.how.en.is_empty() && a.how.zh.iter().chain(&a.how.en).all(|s| filled(s))
}

/// The rules over everything else: what the decision pack holds.
pub fn decisions_hold(kb: &Kb) -> bool {
    let ids_ok = filled(&kb.id)
        && filled(&kb.version)
        && text_ok(&kb.title)
        && kb.causes.iter().all(|c| id_ok(&c.id))
        && kb.questions.iter().all(|q| id_ok(&q.id))
        && kb.actions.iter().all(|a| id_ok(&a.id))
        && kb.tips.iter().all(|t| id_ok(&t.id))
        && unique(kb.causes.iter().map(|c| c.id.as_str()))
        && unique(kb.questions.iter().map(|q| q.id.as_str()))
        && unique(kb.actions.iter().map(|a| a.id.as_str()))
        && unique(kb.tips.iter().map(|t| t.id.as_str()));
    let causes_ok = kb.causes.iter().all(|c| text_ok(&c.name))
        // Every cause can be fixed by some step.
        && (0..kb.causes.len()).all(|c| kb.actions.iter().any(|a| a.fixes.iter().any(|&(f, _)| f == c)));
    let questions_ok = kb.questions.iter().all(|q| {
        text_ok(&q.text)
            && q.help.as_ref().is_none_or(text_ok)
            && q.answers.iter().all(|a| {
                id_ok(&a.value) && a.value != NOT_SURE && text_ok(&a.text) && a.picture.as_deref().is_none_or(is_drawn_picture)
            })
            && unique(q.answers.iter().map(|a| a.value.as_str()))
            // A question that cannot change any belief is no question.
            && q.likelihood.iter().any(|row| *row != q.likelihood[0])
    });
    let actions_ok = kb.actions.iter().all(|a| {
        text_ok(&a.title)
            && !a.fixes.is_empty()
            && a.fixes.iter().all(|&(_, p)| p > 0.0)
            && (a.pays.is_none() || how_ok(a))
    });
    kb.observations.len() <= MAX_OBSERVATIONS
        && ids_ok
        && causes_ok
        && questions_ok
        && actions_ok
        && observations_ok(kb)
        && markers_ok(kb)
}

/// One wait step at most, no marker on a step that pays, and the fact a
/// wait reads has a chip with `hours` (which says how long ago).
fn markers_ok(kb: &Kb) -> bool {
    let waits = kb.actions.iter().filter(|a| matches!(a.shows, Some(Shows::ActivationWait { .. }))).count();
    waits <= 1
        && kb.actions.iter().all(|a| match a.shows {
            None => true,
            Some(_) if a.pays.is_some() => false,
            Some(Shows::ActivationWait { since: Some(q) }) => {
                kb.observations.iter().any(|o| o.question == q && o.hours.is_some())
            }
            Some(_) => true,
        })
}

/// The chips as the decision pack gives them (their cues come with the
/// cue pack: `cues_hold`).
fn observations_ok(kb: &Kb) -> bool {
    kb.observations.iter().enumerate().all(|(i, o)| {
        text_ok(&o.text)
            // One chip per fact=value.
            && !kb.observations[..i].iter().any(|p| (p.question, p.answer) == (o.question, o.answer))
    })
}

/// The chips' cue phrases and anchors, and the shop words (the cue pack,
/// which the extractor module reads and checks alone).
pub fn cues_hold(observations: &[Observation], words: &ShopWords) -> bool {
    let chips_ok = observations.iter().all(|o| {
        let has_anchors = !(o.anchors.zh.is_empty() && o.anchors.en.is_empty());
        phrases_ok(&o.cues)
            && phrases_ok(&o.anchors)
            && (o.hours.is_some() || !has_anchors)
            && (o.hours.is_some() || !(o.cues.zh.is_empty() && o.cues.en.is_empty()))
    });
    // A cue stands for one value of its fact (compared as `kb::load` does:
    // trimmed, ASCII case folded), in each language.
    let cues_ok = observations.iter().enumerate().all(|(i, o)| {
        observations[..i].iter().filter(|p| p.question == o.question && p.answer != o.answer).all(|p| {
            [(&o.cues.zh, &p.cues.zh), (&o.cues.en, &p.cues.en)].iter().all(|(mine, theirs)| {
                mine.iter().all(|m| theirs.iter().all(|t| !m.trim().eq_ignore_ascii_case(t.trim())))
            })
        })
    });
    let shop_ok = [&words.sales, &words.router, &words.providers, &words.banks, &words.other_payments, &words.agents].iter().all(|l| phrases_ok(l));
    chips_ok && cues_ok && shop_ok
}
