//! Safety rules (DESIGN "Safety rules beat expected cost"): some steps must
//! never be recommended in some states, whatever the arithmetic says. The
//! KB names the facts (`Kb::safety`) and which steps pay which fee
//! (`Action::pays`); this module only reads them, before any expected-cost
//! arithmetic, so a held-back step is in no plan and no look-ahead.
//!
//! A step that pays fee X is held back when
//! 1. the `paid` fact holds (the money was already taken) and the fee
//!    question is unanswered, "not sure" or answered X: support sorts out
//!    the first payment before anything is paid again; or
//! 2. an `untrusted` fact holds (payment or notice through a link, SMS,
//!    chat or call) and the `verify` step has not been done (fixed or not
//!    fixed; "cannot do" is not done).
//!
//! What lifts a rule comes first when a held-back step would otherwise be
//! recommended: the fee question if it was never asked and its answers are
//! worth its cost (`engine::decide` weighs the steps each answer would
//! allow; not asking keeps the steps held back, so this is not a safety
//! matter), else the verify step if it is still open. And a paying step is
//! never recommended while the `paid` fact was never asked, or an
//! `untrusted` fact that beliefs make plausible was never asked before the
//! verify step: that question comes first ("not sure" then allows the
//! step).

use super::{Block, Evidence, Outcome};
use crate::kb::Kb;

/// The merchant's answer to question `q`: `None` never asked, `Some(None)`
/// "not sure". The latest answer counts if it was asked again.
pub fn answer_of(ev: &Evidence, q: usize) -> Option<Option<usize>> {
    // Plain loops here and below: this runs in the page module, where
    // iterator adapters cost wasm bytes.
    for &(asked, answer) in ev.answers.iter().rev() {
        if asked == q {
            return Some(answer);
        }
    }
    None
}

/// Which rules hold step `a` back now: (already paid, unverified).
pub fn rules_holding(kb: &Kb, ev: &Evidence, a: usize) -> (bool, bool) {
    let (Some(safety), Some(fee)) = (&kb.safety, kb.actions[a].pays) else {
        return (false, false);
    };
    let said = |(q, v): (usize, usize)| answer_of(ev, q) == Some(Some(v));
    // Paid, and the fee is not known to be another one.
    let already_paid = said(safety.paid) && !matches!(answer_of(ev, safety.fee), Some(Some(other)) if other != fee);
    let mut untrusted = false;
    for &pair in &safety.untrusted {
        untrusted |= said(pair);
    }
    // Verified: done, fixed or not ("cannot do" is not done).
    let mut verified = false;
    for &(done, outcome) in &ev.outcomes {
        verified |= done == safety.verify && outcome != Outcome::CannotDo;
    }
    (already_paid, untrusted && !verified)
}

/// Why step `a` is held back now, if it is (the money already taken first).
pub fn block_of(kb: &Kb, ev: &Evidence, a: usize) -> Option<Block> {
    match rules_holding(kb, ev, a) {
        (true, _) => Some(Block::AlreadyPaid),
        (false, true) => Some(Block::Unverified),
        (false, false) => None,
    }
}

/// What lifts the rule holding a step back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lift {
    /// Ask this question (the fee question, never asked).
    Ask(usize),
    /// Do this step (the verify step, still open and not held back).
    Do(usize),
}

/// How rule `(already_paid, unverified)` on a step can be lifted now, if
/// it can: the fee question if never asked, then the verify step if it is
/// among the `allowed` steps.
pub fn lift_of(kb: &Kb, ev: &Evidence, allowed: &[usize], rules: (bool, bool)) -> Option<Lift> {
    let safety = kb.safety.as_ref()?;
    match rules {
        (true, _) => answer_of(ev, safety.fee).is_none().then_some(Lift::Ask(safety.fee)),
        (false, true) => {
            let mut open = false;
            for &a in allowed {
                open |= a == safety.verify;
            }
            open.then_some(Lift::Do(safety.verify))
        }
        (false, false) => None,
    }
}

/// P(an `untrusted` fact holds) above which a paying step waits for its
/// question: about one chance in ten that the merchant was led to pay by a
/// scam, which happens once a fake notice is a plausible cause (under the
/// other causes a message link or SMS notice is 2-5 % likely). Measured
/// with `eval --opening none` on public.json: asked always (τ = 0), 16/16
/// 4.00 steps → 11/16 4.75, no unsafe step avoided on any tuning set;
/// τ = 0.1 with one "not sure" ending the asking: 16/16 4.06.
const UNTRUSTED_WORTH_ASKING: f64 = 0.1;

/// The same when the merchant said no money was taken yet: the paying step
/// would be the first payment, the very moment a fake notice takes the
/// money, so the question is worth it at a lower plausibility. Measured with
/// `eval --opening none`: own-tune10 (sixth round) had a merchant who got a
/// fake notice by chat and asked before paying; at 0.1 the engine
/// recommended three paying steps (unsafe by DESIGN's predicate, the notice
/// unasked); at 0.065 for this state only, 0 unsafe on every set and no set
/// loses a story within 6 steps, at +0.02 to +0.08 steps (public 3.94 →
/// 4.00; own-tune10 5.35 → 5.25); 0.065 everywhere cost about one story
/// within 6 steps on every set.
const UNTRUSTED_WORTH_ASKING_BEFORE_PAYING: f64 = 0.065;

/// A paying step about to be recommended while a fact the rules read was
/// never asked: that question, to ask first. The `paid` fact always. Then,
/// unless the verify step is done, the most plausible `untrusted` fact
/// under beliefs `p`, when P > `UNTRUSTED_WORTH_ASKING`: without it rule 2
/// could never hold back a step a scam led to. "Not sure" to an untrusted
/// question ends the asking and allows the step: a merchant who cannot say
/// how they paid is not asked about the notice too, and every paying
/// step's how-to (always in the decision pack, never waiting for the text
/// pack) says to pay only in the official app, never through a link from
/// a message or call. A chip the opening screen showed and the merchant
/// did not tell is no answer: words typed or dictated may say it in a way
/// the extractor misses (a word for a link it has no cue for), so the
/// question is still asked. (An earlier exemption for such chips let a
/// SIM fee be recommended after a payment through a message's link; asking
/// costs +0.03 steps with chips or story on the tuning sets.)
pub fn ask_before_paying(kb: &Kb, ev: &Evidence, p: &[f64], step: usize) -> Option<usize> {
    let safety = kb.safety.as_ref()?;
    kb.actions[step].pays?;
    if answer_of(ev, safety.paid.0).is_none() {
        return Some(safety.paid.0);
    }
    for &(done, outcome) in &ev.outcomes {
        if done == safety.verify && outcome != Outcome::CannotDo {
            return None;
        }
    }
    let nothing_taken = matches!(answer_of(ev, safety.paid.0), Some(Some(v)) if v != safety.paid.1);
    let worth = if nothing_taken { UNTRUSTED_WORTH_ASKING_BEFORE_PAYING } else { UNTRUSTED_WORTH_ASKING };
    let mut best: Option<(f64, usize)> = None;
    for &(q, v) in &safety.untrusted {
        match answer_of(ev, q) {
            Some(None) => return None,
            Some(Some(_)) => continue,
            None => {}
        }
        let mut likely = 0.0;
        for (c, pc) in p.iter().enumerate() {
            likely += pc * kb.questions[q].likelihood[c][v];
        }
        if likely > worth && best.is_none_or(|(b, _)| likely > b) {
            best = Some((likely, q));
        }
    }
    best.map(|(_, q)| q)
}
