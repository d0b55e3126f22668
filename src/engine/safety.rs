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
//! recommended: the fee question if it was never asked, else the verify
//! step if it is still open. And a paying step is never recommended while
//! the `paid` fact was never asked: that question comes first ("not sure"
//! then allows the step).

use super::{Block, Evidence, Outcome};
use crate::kb::Kb;

/// The merchant's answer to question `q`: `None` never asked, `Some(None)`
/// "not sure". The latest answer counts if it was asked again.
pub fn answer_of(ev: &Evidence, q: usize) -> Option<Option<usize>> {
    ev.answers.iter().rev().find(|(asked, _)| *asked == q).map(|&(_, answer)| answer)
}

/// The verify step was done (it fixed it or not); set aside is not done.
fn verified(ev: &Evidence, verify: usize) -> bool {
    ev.outcomes.iter().any(|&(a, o)| a == verify && o != Outcome::CannotDo)
}

/// Which rules hold step `a` back now: (already paid, unverified).
pub fn rules_holding(kb: &Kb, ev: &Evidence, a: usize) -> (bool, bool) {
    let (Some(safety), Some(fee)) = (&kb.safety, kb.actions.get(a).and_then(|x| x.pays)) else {
        return (false, false);
    };
    let paid = answer_of(ev, safety.paid.0) == Some(Some(safety.paid.1));
    let already_paid = paid
        && match answer_of(ev, safety.fee) {
            None | Some(None) => true,
            Some(Some(answered)) => answered == fee,
        };
    let untrusted = safety.untrusted.iter().any(|&(q, v)| answer_of(ev, q) == Some(Some(v)));
    let unverified = untrusted && !verified(ev, safety.verify);
    (already_paid, unverified)
}

/// Why step `a` is held back now, if it is (the money already taken first).
pub fn block_of(kb: &Kb, ev: &Evidence, a: usize) -> Option<Block> {
    match rules_holding(kb, ev, a) {
        (true, _) => Some(Block::AlreadyPaid),
        (false, true) => Some(Block::Unverified),
        (false, false) => None,
    }
}

/// The steps among `open` a rule holds back, with the reason, by index.
pub fn blocked_steps(kb: &Kb, ev: &Evidence, open: &[usize]) -> Vec<(usize, Block)> {
    if kb.safety.is_none() {
        return Vec::new();
    }
    open.iter().filter_map(|&a| block_of(kb, ev, a).map(|b| (a, b))).collect()
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
/// it can: the fee question if never asked, then the verify step.
pub fn lift_of(kb: &Kb, ev: &Evidence, allowed: &[usize], rules: (bool, bool)) -> Option<Lift> {
    let safety = kb.safety.as_ref()?;
    match rules {
        (true, _) => (answer_of(ev, safety.fee).is_none()).then_some(Lift::Ask(safety.fee)),
        (false, true) => allowed.contains(&safety.verify).then_some(Lift::Do(safety.verify)),
        (false, false) => None,
    }
}

/// A paying step about to be recommended while the `paid` fact was never
/// asked: that question, to ask first.
pub fn ask_paid_first(kb: &Kb, ev: &Evidence, step: usize) -> Option<usize> {
    let safety = kb.safety.as_ref()?;
    kb.actions.get(step)?.pays?;
    answer_of(ev, safety.paid.0).is_none().then_some(safety.paid.0)
}
