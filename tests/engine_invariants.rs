//! Invariants of the engine that ARCHITECTURE.md states, each by a test
//! that can fail: decisions are deterministic (the same KB and evidence
//! give the same decision whatever ran before, in which order, on which
//! thread, from which copy of the KB); the look-ahead's own sort and its
//! own expected cost of repair agree with `rank` and `ecr_static`; exactly
//! one recommendation at a time; contradictory evidence is not fatal.

use posdoctor::engine::{beliefs, decide, decide_after_opening, ecr_static, probe, question_scores, rank, Decision, Evidence, Next, Outcome};
use posdoctor::app::{App, MemoryStore, StartInput};
use posdoctor::kb::{self, packed, Kb};
use proptest::prelude::*;

mod hand_built;

/// A small deterministic generator (xorshift64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Evidence across the KB: every single answer (and "not sure"), every
/// single step outcome, and `mixed` random mixtures of a few of each.
fn evidence_set(kb: &Kb, mixed: usize) -> Vec<Evidence> {
    let mut all = vec![Evidence::default()];
    for (q, question) in kb.questions.iter().enumerate() {
        for j in (0..question.answers.len()).map(Some).chain([None]) {
            all.push(Evidence { answers: vec![(q, j)], outcomes: vec![] });
        }
    }
    for a in 0..kb.actions.len() {
        for o in [Outcome::NotFixed, Outcome::CannotDo, Outcome::Fixed] {
            all.push(Evidence { answers: vec![], outcomes: vec![(a, o)] });
        }
    }
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for _ in 0..mixed {
        let mut ev = Evidence::default();
        for _ in 0..1 + rng.below(4) {
            let q = rng.below(kb.questions.len());
            if ev.answers.iter().all(|&(o, _)| o != q) {
                let n = kb.questions[q].answers.len();
                let j = rng.below(n + 1);
                ev.answers.push((q, (j < n).then_some(j)));
            }
        }
        for _ in 0..rng.below(3) {
            let a = rng.below(kb.actions.len());
            if ev.outcomes.iter().all(|&(o, _)| o != a) {
                ev.outcomes.push((a, if rng.below(4) == 0 { Outcome::CannotDo } else { Outcome::NotFixed }));
            }
        }
        all.push(ev);
    }
    all
}

fn decisions(kb: &Kb, evidence: &[Evidence]) -> Vec<Decision> {
    evidence.iter().map(|ev| decide(kb, ev)).collect()
}

#[test]
fn deterministic() {
    let evidence = evidence_set(&kb::default_kb().unwrap(), 60);
    // Independent copies of the KB: loaded twice, and through the pack.
    let first_kb = kb::default_kb().unwrap();
    let second_kb = kb::default_kb().unwrap();
    let packed_kb = packed::decode_with_cues(&packed::encode(&first_kb)).unwrap();
    let forward = decisions(&first_kb, &evidence);
    // Backwards: each decision follows a different one than before.
    let mut backward: Vec<Decision> = evidence.iter().rev().map(|ev| decide(&second_kb, ev)).collect();
    backward.reverse();
    // On another thread, from the packed copy, every other one twice.
    let threaded = std::thread::spawn(move || {
        evidence
            .iter()
            .enumerate()
            .map(|(i, ev)| {
                if i % 2 == 0 {
                    decide(&packed_kb, ev);
                }
                decide(&packed_kb, ev)
            })
            .collect::<Vec<_>>()
    })
    .join()
    .unwrap();
    for (i, d) in forward.iter().enumerate() {
        // Whole decisions, f64 for f64: beliefs, plan, ECR, next, blocked.
        assert_eq!(d, &backward[i], "evidence #{i}: another order of decisions");
        assert_eq!(d, &threaded[i], "evidence #{i}: another thread and KB copy");
    }
    // The set is varied enough to mean something: several different
    // recommendations.
    let mut nexts: Vec<String> = forward.iter().map(|d| format!("{:?}", d.next)).collect();
    nexts.sort();
    nexts.dedup();
    assert!(nexts.len() >= 5, "{nexts:?}");
}

/// Values with many ties, as efficiencies are (non-negative and finite),
/// with unique indices in any order, as the look-ahead's are.
fn ranked_items() -> impl Strategy<Value = Vec<(f64, usize)>> {
    prop::collection::vec(prop_oneof![Just(0.0), Just(0.25), Just(1.0 / 3.0), 0.0..10.0f64], 0..40)
        .prop_flat_map(|values| {
            let indices: Vec<usize> = (0..values.len()).collect();
            (Just(values), Just(indices).prop_shuffle())
        })
        .prop_map(|(values, indices)| values.into_iter().zip(indices).collect())
}

proptest! {
    /// The look-ahead's insertion sort orders exactly as `rank` (whose
    /// heapsort serves lists longer than 24) and as a plain reference
    /// sort: value highest first, ties by index.
    #[test]
    fn insertion_rank_orders_as_rank(items in ranked_items()) {
        let mut by_insertion = items.clone();
        probe::look_ahead_rank(&mut by_insertion);
        let mut by_rank = items.clone();
        rank(&mut by_rank);
        let mut reference = items;
        reference.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap().then(a.1.cmp(&b.1)));
        prop_assert_eq!(&by_insertion, &reference);
        prop_assert_eq!(&by_rank, &reference);
    }
}

#[test]
fn insertion_rank_by_hand() {
    let mut items = vec![(0.5, 2), (1.0, 4), (0.5, 0), (0.0, 1), (1.0, 3)];
    probe::look_ahead_rank(&mut items);
    assert_eq!(items, vec![(1.0, 3), (1.0, 4), (0.5, 0), (0.5, 2), (0.0, 1)]);
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1.0)
}

/// The look-ahead values its leaves with its own, allocation-free copy of
/// the static plan's expected cost of repair; `ecr_static` is what
/// `question_saving` and the docs describe. On beliefs that sum to 1 they
/// must give the same number (up to rounding), and the look-ahead's copy
/// scales with unnormalised beliefs as it claims.
#[test]
fn look_ahead_ecr_is_ecr_static() {
    for kb in [kb::default_kb().unwrap(), kb::load(include_str!("fixtures/tiny-kb.json")).unwrap()] {
        let mut rng = Rng(42);
        let mut scratch = Vec::new();
        let mut compared = 0;
        for ev in evidence_set(&kb, 40) {
            let p = beliefs(&kb, &ev);
            // All steps open, and a random half.
            let all: Vec<usize> = (0..kb.actions.len()).collect();
            let some: Vec<usize> = all.iter().copied().filter(|_| rng.below(2) == 0).collect();
            for open in [&all, &some] {
                let static_ecr = ecr_static(&kb, &p, open, &mut scratch);
                let look_ahead = probe::look_ahead_ecr(&kb, &p, open);
                assert!(close(static_ecr, look_ahead), "{ev:?} {open:?}: ecr_static {static_ecr} ≠ look-ahead {look_ahead}");
                let scaled: Vec<f64> = p.iter().map(|x| x * 0.37).collect();
                let look_ahead_scaled = probe::look_ahead_ecr(&kb, &scaled, open);
                assert!(close(0.37 * static_ecr, look_ahead_scaled), "{ev:?}: scaled {look_ahead_scaled}");
                compared += usize::from(static_ecr > 0.0);
            }
        }
        assert!(compared > 50, "only {compared} states with a cost");
    }
}

/// `posdoctor session --explain` prints `question_scores`; they must be the
/// numbers the decision used: whenever they pick a question, the decision
/// asks it (with and without the opening screen), and when the decision
/// asks a question they picked none of, a safety rule asked it.
#[test]
fn explained_scores_are_the_decisions() {
    let kb = kb::default_kb().unwrap();
    let mut picked = 0;
    for ev in evidence_set(&kb, 60) {
        if ev.outcomes.iter().any(|&(_, o)| o == Outcome::Fixed) {
            continue;
        }
        for opened in [false, true] {
            let d = if opened { decide_after_opening(&kb, &ev) } else { decide(&kb, &ev) };
            let best = question_scores(&kb, &ev, opened).and_then(|s| s.best());
            if let Some(q) = best {
                picked += 1;
                assert_eq!(d.next, Next::Question(q), "{ev:?} opened={opened}");
            } else if let Next::Question(q) = d.next {
                let guard = ["money_deducted", "paid_via", "notice_source", "fee_paid"];
                assert!(guard.contains(&kb.questions[q].id.as_str()), "{ev:?} opened={opened}: {} asked, no score picked it", kb.questions[q].id);
            }
        }
    }
    assert!(picked > 50, "the scores picked a question only {picked} times");
}

/// Exactly one recommendation: at every point of many random walks through
/// the default KB (answers, "not sure", step outcomes, with and without the
/// opening screen), the view shows a question or one next step, or neither
/// once resolved or exhausted; never both, never two steps.
#[test]
fn exactly_one_recommendation() {
    let mut rng = Rng(0x5eed_0001);
    let mut seen = [0usize; 3];
    let kb = kb::default_kb().unwrap();
    for walk in 0..30 {
        let input = StartInput { now_ms: 1.0e12, ..StartInput::default() };
        let mut app = App::start(kb::default_kb().unwrap(), input, MemoryStore::default());
        if walk % 2 == 0 {
            app.finish_opening();
        }
        for _ in 0..40 {
            let view = app.view();
            let next: Vec<_> = view.steps.iter().filter(|s| s.next).collect();
            match view.status {
                "question" => assert!(view.question.is_some() && next.is_empty(), "walk {walk}: a question and {} next steps", next.len()),
                "step" => assert!(view.question.is_none() && next.len() == 1, "walk {walk}: {} next steps", next.len()),
                other => assert!(view.question.is_none() && next.is_empty(), "walk {walk}: {other} with a recommendation"),
            }
            if let Some(q) = &view.question {
                seen[0] += 1;
                // A question offered inside another is never asked on its own.
                let asked = kb.question_index(&q.fact).expect("a KB question");
                assert!(kb.questions[asked].offered_in.is_none(), "walk {walk}: {} asked on its own", q.fact);
                // A button may answer a fact offered inside the question.
                let answer = &q.answers[rng.below(q.answers.len())];
                let (fact, value) = (answer.fact.clone(), answer.value.clone());
                assert!(app.answer(&fact, &value));
            } else if let Some(step) = next.first() {
                seen[1] += 1;
                let outcome = ["fixed", "not_fixed", "not_fixed", "cannot_do"][rng.below(4)];
                assert!(app.mark(&step.id.clone(), outcome).is_some());
            } else {
                seen[2] += 1;
                break;
            }
        }
    }
    assert!(seen.iter().all(|&n| n >= 10), "the walks saw too few questions, steps or ends: {seen:?}");
}

/// Contradictory evidence is floored, not fatal: answers and outcomes that
/// no cause explains still give finite beliefs that sum to 1 and a decision.
#[test]
fn contradictory_evidence_is_floored_not_fatal() {
    // Each answer rules out the other cause; each step surely fixes its cause.
    let names = hand_built::question("which", &["c0", "c1"], vec![vec![1.0, 0.0], vec![0.0, 1.0]]);
    let steps = vec![hand_built::action("fix0", 1.0, vec![(0, 1.0)]), hand_built::action("fix1", 1.0, vec![(1, 1.0)])];
    let kb = hand_built::kb(kb::CostModel { per_step: 1.0, per_minute: 0.0 }, &[0.5, 0.5], vec![names], steps);
    // "It is c0", yet fixing c0 did not help, nor did fixing c1.
    let ev = Evidence { answers: vec![(0, Some(0))], outcomes: vec![(0, Outcome::NotFixed), (1, Outcome::NotFixed)] };
    let p = beliefs(&kb, &ev);
    assert!(p.iter().all(|x| x.is_finite() && *x >= 0.0), "{p:?}");
    assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-9, "{p:?}");
    assert_eq!(decide(&kb, &ev).next, Next::Exhausted);
    // Only the answer contradicts the failed step: still a decision.
    let ev = Evidence { answers: vec![(0, Some(0))], outcomes: vec![(0, Outcome::NotFixed)] };
    assert_eq!(decide(&kb, &ev).next, Next::Step(1));
}
