//! Progress saved by earlier builds still opens: the saved text of step
//! outcomes (`fixed`, `not_fixed`, `cannot_do`) is a contract with every
//! phone that saved progress, whatever the session holds in memory.

use posdoctor::engine::Outcome;
use posdoctor::kb;
use posdoctor::session::restore;

/// Written by the build before `SavedStep` held an `Outcome` (its text
/// form, by hand, as `Session::to_text` wrote it).
const SAVED: &str = "posdoctor-session 1
kb pos-renewal 2026.11.2
started 1764000000000
opened
a payment_result success
a money_deducted yes opening
s action.wait_activation not_fixed
s action.restart cannot_do
s action.sign_in_again fixed
";

#[test]
fn progress_saved_before_still_opens_and_saves_the_same() {
    let kb = kb::default_kb().unwrap();
    let (session, dropped) = restore(&kb, SAVED).unwrap();
    assert_eq!(dropped, 0);
    assert_eq!(session.outcome_of("action.wait_activation"), Some(Outcome::NotFixed));
    assert_eq!(session.outcome_of("action.restart"), Some(Outcome::CannotDo));
    assert_eq!(session.outcome_of("action.sign_in_again"), Some(Outcome::Fixed));
    // Saved again byte for byte (with the KB version of today's build).
    assert_eq!(session.to_text(), SAVED.replace("2026.11.2", &kb.version));
    let (ev, unknown) = session.evidence(&kb);
    assert!(unknown.is_empty());
    assert_eq!(ev.outcomes.len(), 3);
}

#[test]
fn an_unknown_outcome_is_dropped_as_before() {
    let kb = kb::default_kb().unwrap();
    let text = SAVED.replace("s action.restart cannot_do", "s action.restart exploded");
    let (session, dropped) = restore(&kb, &text).unwrap();
    assert_eq!(dropped, 1);
    assert_eq!(session.outcome_of("action.restart"), None);
    assert_eq!(session.steps.len(), 2);
    // A later line for the same step replaces the earlier, even an unknown one.
    let text = format!("{SAVED}s action.sign_in_again exploded\n");
    let (session, dropped) = restore(&kb, &text).unwrap();
    assert_eq!((dropped, session.outcome_of("action.sign_in_again")), (1, None));
    // Only a step with an unknown outcome: still past the opening screen.
    let only = "posdoctor-session 1\nkb pos-renewal 2026.11.2\ns action.restart exploded\n";
    let (session, dropped) = restore(&kb, only).unwrap();
    assert_eq!(dropped, 1);
    assert!(session.opened && session.steps.is_empty());
}
