//! `eval` (DESIGN "Scenario files"): opening costs, the safety predicate,
//! wasted provider calls, the oracle, the extractor's score and the JSON
//! shape of `--opening all`, on tiny hand-built KBs computed by hand.

use posdoctor::engine::{safe_plan, Evidence, Outcome};
use posdoctor::eval::{
    evaluate, evaluate_opening, oracle_steps, run_engine, run_story, score_extraction, unsafe_recommendation, ExtractionScore, Opening,
    Scenario, TraceItem, STEP_CAP,
};
use posdoctor::extract::{Extraction, Found};
use posdoctor::kb::{self, CostModel, Kb, Observation, Safety};
use std::collections::BTreeMap;
use std::process::Command;

mod hand_built;
use hand_built::{action, list, question};

/// A chip with a cue, behind "more" or not.
fn chip(question: usize, answer: usize, more: bool) -> Observation {
    Observation { cues: list(&["x"], &["x"]), more, ..hand_built::chip(question, answer) }
}

fn kb_of(priors: &[f64], questions: Vec<kb::Question>, actions: Vec<kb::Action>) -> Kb {
    // Steps only: every tap costs 1 whatever the minutes.
    hand_built::kb(CostModel { per_step: 1.0, per_minute: 0.0 }, priors, questions, actions)
}

fn story(facts: &[(&str, &str)], fixed_by: &[&str]) -> Scenario {
    Scenario {
        id: "s".into(),
        story: String::new(),
        facts: facts.iter().map(|(f, v)| (f.to_string(), v.to_string())).collect(),
        cause: String::new(),
        fixed_by: fixed_by.iter().map(|a| a.to_string()).collect(),
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

/// Two causes; `signal` (a/b) points at c0 when a; `colour` (x/y) tells
/// nothing. fix0 fixes c0, fix1 c1; c1 is likelier a priori. Chips:
/// signal=a, colour=x (behind "more"), colour=y.
fn chips_kb() -> Kb {
    let mut kb = kb_of(
        &[0.3, 0.7],
        vec![
            question("signal", &["a", "b"], vec![vec![0.9, 0.1], vec![0.1, 0.9]]),
            question("colour", &["x", "y"], vec![vec![0.5, 0.5], vec![0.5, 0.5]]),
        ],
        vec![action("fix0", 2.0, vec![(0, 1.0)]), action("fix1", 3.0, vec![(1, 1.0)])],
    );
    kb.observations = vec![chip(0, 0, false), chip(1, 0, true), chip(1, 1, false)];
    kb
}

#[test]
fn chips_cost_the_screen_and_each_chip_and_are_entered_before_any_question() {
    let kb = chips_kb();
    // `size` has no chip (and no question): left to the questions.
    let s = story(&[("signal", "a"), ("colour", "x"), ("size", "big")], &["fix0"]);
    let r = run_engine(&kb, &s, Opening::Chips);
    // Screen 1 + 2 chips × 0.25, then fix0 straight away (signal=a makes
    // c0 .27 against c1 .07): 2.5 steps; minutes .5 + 2.
    assert!(close(r.steps, 2.5), "{}", r.steps);
    assert!(close(r.minutes, 2.5), "{}", r.minutes);
    assert!(r.solved);
    assert_eq!(
        r.trace,
        vec![
            TraceItem::Told { told: "signal".into(), value: "a".into(), via: "chip".into() },
            TraceItem::Told { told: "colour".into(), value: "x".into(), via: "chip".into() },
            TraceItem::Step { step: "fix0".into(), outcome: Outcome::Fixed },
        ]
    );
    // Without an opening the merchant is asked (or fix1, likelier, is tried
    // first): never fewer than 2 whole steps.
    let none = run_engine(&kb, &s, Opening::None);
    assert!(none.steps >= 2.0 && none.steps.fract() == 0.0, "{}", none.steps);
}

#[test]
fn a_story_opening_enters_what_is_right_and_charges_removing_the_rest() {
    let kb = chips_kb();
    let s = story(&[("signal", "a"), ("colour", "x")], &["fix0"]);
    let found = |observation: usize, question: usize, answer: usize| Found { observation, question, answer, start: 0, end: 1 };
    // signal=a right; colour=y wrong (the story says x).
    let ex = Extraction { found: vec![found(0, 0, 0), found(2, 1, 1)] };
    let r = run_story(&kb, &s, &ex);
    // 1 (telling) + 0.5 (removing colour=y) + fix0: 2.5 steps; 1 + 2 minutes.
    assert!(close(r.steps, 2.5), "{}", r.steps);
    assert!(close(r.minutes, 3.0), "{}", r.minutes);
    assert_eq!(r.trace[0], TraceItem::Told { told: "signal".into(), value: "a".into(), via: "story".into() });
    assert_eq!(r.trace[1], TraceItem::Removed { removed: "colour".into(), value: "y".into() });
    assert_eq!(r.trace.len(), 3);
    // A wrong value is removed, not entered: the engine then goes on
    // exactly as with no opening, 1.5 steps later. (Entered, signal=a
    // would send it to fix0 first, which does not fix this story.)
    let s = story(&[("signal", "b"), ("colour", "x")], &["fix1"]);
    let wrong = Extraction { found: vec![found(0, 0, 0)] };
    let r = run_story(&kb, &s, &wrong);
    let none = run_engine(&kb, &s, Opening::None);
    assert_eq!(r.trace[0], TraceItem::Removed { removed: "signal".into(), value: "a".into() });
    assert_eq!(r.trace[1..], none.trace[..]);
    assert!(close(r.steps, none.steps + 1.5), "{} {}", r.steps, none.steps);
    let entered = run_engine(&kb, &story(&[("signal", "a"), ("colour", "x")], &["fix1"]), Opening::Chips);
    assert!(entered.trace.iter().any(|t| matches!(t, TraceItem::Step { step, .. } if step == "fix0")), "{:?}", entered.trace);
    assert!(!r.trace.iter().any(|t| matches!(t, TraceItem::Step { step, .. } if step == "fix0")), "{:?}", r.trace);
}

#[test]
fn extraction_scores_pool_over_fact_value_pairs() {
    let kb = chips_kb();
    let s = story(&[("signal", "a"), ("colour", "x"), ("size", "big")], &["fix0"]);
    let found = |question: usize, answer: usize| Found { observation: 0, question, answer, start: 0, end: 1 };
    // signal=a (right, twice: counted once), colour=y (wrong). Expected:
    // signal=a and colour=x have chips, size=big has none.
    let ex = Extraction { found: vec![found(0, 0), found(0, 0), found(1, 1)] };
    assert_eq!(score_extraction(&kb, &s, &ex), (2, 1, 2));
    let mut score = ExtractionScore::default();
    assert_eq!((score.precision, score.recall), (None, None));
    score.add(2, 1, 2);
    score.add(3, 3, 4);
    // Micro-average: 4 of 5 found are right, 4 of 6 expected were found.
    assert_eq!((score.found, score.correct, score.expected), (5, 4, 6));
    assert!(close(score.precision.unwrap(), 0.8));
    assert!(close(score.recall.unwrap(), 4.0 / 6.0));
}

fn facts(list: &[(&str, &str)]) -> BTreeMap<String, String> {
    list.iter().map(|(f, v)| (f.to_string(), v.to_string())).collect()
}

#[test]
fn the_safety_predicate_on_the_storys_facts() {
    // A KB without any safety data: DESIGN's list names the paying steps.
    let mut kb = kb_of(
        &[0.5, 0.5],
        vec![],
        vec![
            action("action.top_up_and_retry", 1.0, vec![(0, 1.0)]),
            action("action.pay_sim_fee", 1.0, vec![(1, 1.0)]),
            action("action.restart", 1.0, vec![(1, 0.5)]),
        ],
    );
    let paid = facts(&[("money_deducted", "yes")]);
    assert!(unsafe_recommendation(&kb, &paid, false, 0));
    assert!(unsafe_recommendation(&kb, &paid, false, 1), "fee_paid not stated: either fee");
    assert!(!unsafe_recommendation(&kb, &paid, false, 2), "restart pays nothing");
    let paid_sim = facts(&[("money_deducted", "yes"), ("fee_paid", "sim_fee")]);
    assert!(unsafe_recommendation(&kb, &paid_sim, false, 1));
    assert!(!unsafe_recommendation(&kb, &paid_sim, false, 0), "the service fee is still due");
    assert!(!unsafe_recommendation(&kb, &facts(&[("money_deducted", "no")]), false, 0));
    for scam in [facts(&[("paid_via", "link_in_message")]), facts(&[("notice_source", "sms_or_call")])] {
        assert!(unsafe_recommendation(&kb, &scam, false, 0));
        assert!(!unsafe_recommendation(&kb, &scam, true, 0), "verified in the official app");
    }
    // A KB marks another paying step with `pays`: the fee is its value.
    kb.questions = vec![question("fee_paid", &["service_fee", "sim_fee"], vec![vec![0.5, 0.5]; 2])];
    kb.actions[2].pays = Some(1);
    kb.safety = Some(Safety { paid: (0, 0), fee: 0, untrusted: vec![], verify: 2 });
    assert!(unsafe_recommendation(&kb, &paid_sim, false, 2));
    assert!(!unsafe_recommendation(&kb, &facts(&[("money_deducted", "yes"), ("fee_paid", "service_fee")]), false, 2));
}

#[test]
fn unsafe_recommendations_are_counted_in_a_run() {
    // Top-up is the engine's first step (and no safety section holds it
    // back); the story says the money was taken.
    let kb = kb_of(
        &[0.6, 0.4],
        vec![],
        vec![action("action.top_up_and_retry", 1.0, vec![(0, 1.0)]), action("action.restart", 1.0, vec![(1, 1.0)])],
    );
    let s = story(&[("money_deducted", "yes")], &["action.restart"]);
    let r = evaluate(&kb, &[s]);
    assert_eq!(r.unsafe_recommendations, 1);
    assert_eq!(r.scenarios[0].unsafe_recommendations, 1);
    let s = story(&[("money_deducted", "no")], &["action.restart"]);
    assert_eq!(evaluate(&kb, &[s]).unsafe_recommendations, 0);
}

#[test]
fn wasted_provider_calls_are_steps_through_the_provider_that_did_not_fix_it() {
    // Efficiency order: contact_provider, request_new_sim, restart,
    // submit_risk_appeal (all cost 1 step).
    let kb = kb_of(
        &[0.4, 0.3, 0.2, 0.1],
        vec![],
        vec![
            action("action.contact_provider", 1.0, vec![(0, 1.0)]),
            action("action.request_new_sim", 1.0, vec![(1, 1.0)]),
            action("action.restart", 1.0, vec![(2, 1.0)]),
            action("action.submit_risk_appeal", 1.0, vec![(3, 1.0)]),
        ],
    );
    // Two provider steps fail, restart fails (not a provider step), the
    // appeal fixes it (not wasted).
    let r = evaluate(&kb, &[story(&[], &["action.submit_risk_appeal"])]);
    assert_eq!(r.scenarios[0].steps, 4.0);
    assert_eq!(r.wasted_provider_calls, 2);
    let r = evaluate(&kb, &[story(&[], &["action.contact_provider"])]);
    assert_eq!(r.wasted_provider_calls, 0);
    // Over the set.
    let r = evaluate(&kb, &[story(&[], &["action.submit_risk_appeal"]), story(&[], &["action.restart"])]);
    assert_eq!(r.wasted_provider_calls, 4);
}

/// Three causes (.5, .3, .2), one step each (1 step), and a question that
/// names the cause.
fn oracle_kb() -> Kb {
    kb_of(
        &[0.5, 0.3, 0.2],
        vec![question("which", &["c0", "c1", "c2"], vec![vec![1.0, 0.0, 0.0], vec![0.0, 1.0, 0.0], vec![0.0, 0.0, 1.0]])],
        vec![action("fix0", 1.0, vec![(0, 1.0)]), action("fix1", 1.0, vec![(1, 1.0)]), action("fix2", 1.0, vec![(2, 1.0)])],
    )
}

#[test]
fn the_oracle_takes_the_fewest_steps_by_hand() {
    let kb = oracle_kb();
    // Cause c2: the plan alone goes fix0, fix1, fix2 (3 steps); answering
    // `which` first puts fix2 first: 1 + 1 = 2.
    assert_eq!(oracle_steps(&kb, &story(&[("which", "c2")], &["fix2"])), 2);
    // The story does not say: the oracle cannot answer, 3 steps.
    assert_eq!(oracle_steps(&kb, &story(&[], &["fix2"])), 3);
    // Cause c0: the plan's first step, no question needed.
    assert_eq!(oracle_steps(&kb, &story(&[("which", "c0")], &["fix0"])), 1);
    // Nothing in the KB fixes it: the cap.
    assert_eq!(oracle_steps(&kb, &story(&[("which", "c1")], &["other"])), STEP_CAP);
}

#[test]
fn the_oracle_follows_the_plan_after_the_safety_rules() {
    let mut kb = oracle_kb();
    kb.questions.push(question("money_deducted", &["yes", "no"], vec![vec![0.5, 0.5]; 3]));
    kb.questions.push(question("fee_paid", &["service_fee", "sim_fee"], vec![vec![0.5, 0.5]; 3]));
    kb.actions[0].pays = Some(0);
    kb.safety = Some(Safety { paid: (1, 0), fee: 2, untrusted: vec![], verify: 2 });
    // Told that the money was taken (fee unknown), fix0 is held back: the
    // oracle, needing fix0, does not tell it; 1 step.
    let s = story(&[("which", "c0"), ("money_deducted", "yes")], &["fix0"]);
    assert_eq!(oracle_steps(&kb, &s), 1);
    // Cause c1 with the money taken: telling money_deducted holds fix0 back,
    // so fix1 leads: 1 + 1 = 2, as telling `which` does.
    let s = story(&[("money_deducted", "yes")], &["fix1"]);
    assert_eq!(oracle_steps(&kb, &s), 2);
    // Without those facts: fix0 then fix1.
    assert_eq!(oracle_steps(&kb, &story(&[], &["fix1"])), 2);
    // Where the one telling fact also holds the fixing step back: money
    // taken makes c2 likely, but fix2 pays (fee unknown), so telling it
    // does not help: fix0, fix1, fix2. (Without the rules: 1 + 1.)
    let mut telling = kb.clone();
    telling.questions[1].likelihood = vec![vec![0.1, 0.9], vec![0.1, 0.9], vec![0.9, 0.1]];
    telling.actions[0].pays = None;
    telling.actions[2].pays = Some(0);
    let s = story(&[("money_deducted", "yes")], &["fix2"]);
    assert_eq!(oracle_steps(&telling, &s), 3);
    telling.safety = None;
    assert_eq!(oracle_steps(&telling, &s), 2);
    // The engine's own run never steps into fix0 after money_deducted=yes
    // was said in an opening.
    kb.observations = vec![chip(1, 0, false)];
    let r = run_engine(&kb, &story(&[("money_deducted", "yes")], &["fix1"]), Opening::Chips);
    assert!(!r.trace.iter().any(|t| matches!(t, TraceItem::Step { step, .. } if step == "fix0")), "{:?}", r.trace);
}

#[test]
fn report_figures_are_the_stories_figures() {
    let kb = chips_kb();
    let stories = vec![
        story(&[("signal", "a"), ("colour", "x")], &["fix0"]),
        story(&[("signal", "b")], &["fix1"]),
        story(&[], &["nothing"]),
    ];
    let r = evaluate_opening(&kb, &stories, Opening::Chips);
    assert_eq!(r.opening, Opening::Chips);
    assert_eq!(r.total, 3);
    // The unfixable story counts 12 and is not solved.
    assert_eq!(r.scenarios[2].steps, STEP_CAP as f64);
    assert!(!r.scenarios[2].solved);
    let mean: f64 = r.scenarios.iter().map(|s| s.steps).sum::<f64>() / 3.0;
    assert!(close(r.mean_steps, mean));
    let oracle: f64 = r.scenarios.iter().map(|s| s.oracle_steps as f64).sum::<f64>() / 3.0;
    assert!(close(r.oracle_mean_steps, oracle));
    assert!(close(r.oracle_distance, r.mean_steps - r.oracle_mean_steps));
    assert!(r.extraction.is_none(), "extraction is for story runs");
    let not_sure: usize = r.scenarios.iter().map(|s| s.not_sure).sum();
    assert!(close(r.not_sure_per_story, not_sure as f64 / 3.0));
}

fn cli(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_posdoctor")).args(args).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

#[test]
fn opening_all_json_has_three_runs_shaped_like_one() {
    let scenarios = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/scenarios/public.json");
    let (code, out, err) = cli(&["eval", "--scenarios", scenarios, "--json", "--opening", "all"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let runs = v["runs"].as_object().expect("runs");
    let mut names: Vec<&str> = runs.keys().map(String::as_str).collect();
    names.sort_unstable();
    assert_eq!(names, ["chips", "none", "story"]);
    let (code, single, _) = cli(&["eval", "--scenarios", scenarios, "--json", "--opening", "chips"]);
    assert_eq!(code, 0);
    let single: serde_json::Value = serde_json::from_str(&single).unwrap();
    assert_eq!(runs["chips"], single, "a run inside `all` is the single run");
    for (name, run) in runs {
        assert_eq!(run["opening"], name.as_str());
        for key in [
            "total",
            "solved",
            "mean_steps",
            "mean_minutes",
            "baseline_solved",
            "baseline_mean_steps",
            "baseline_mean_minutes",
            "not_sure_per_story",
            "wasted_provider_calls",
            "unsafe_recommendations",
            "oracle_mean_steps",
            "oracle_distance",
            "scenarios",
        ] {
            assert!(run.get(key).is_some(), "{name}: missing {key}");
        }
        let first = &run["scenarios"][0];
        assert!(first["steps"].is_f64(), "{name}: steps are numbers with fractions");
        assert!(first["oracle_steps"].is_u64());
        assert_eq!(run.get("extraction").is_some(), name == "story", "{name}");
    }
    for key in ["precision", "recall", "found", "correct", "expected"] {
        assert!(runs["story"]["extraction"].get(key).is_some(), "extraction.{key}");
    }
    let (code, _, err) = cli(&["eval", "--scenarios", scenarios, "--opening", "some"]);
    assert_eq!(code, 2);
    assert!(err.contains("--opening"), "{err}");
}

#[test]
fn solved_within_six_steps_counts_fractions() {
    // Five causes, one step each in KB order (likeliest first), and a
    // question nobody can answer (never asked, but a fact to tell).
    let mut unknowable = question("q", &["x", "y"], vec![vec![0.5, 0.5]; 5]);
    unknowable.p_known = 0.0;
    let kb = kb_of(
        &[0.3, 0.25, 0.2, 0.15, 0.1],
        vec![unknowable],
        (0..5).map(|i| action(&format!("fix{i}"), 1.0, vec![(i, 1.0)])).collect(),
    );
    let s = story(&[("q", "x")], &["fix4"]);
    let found = |answer: usize| Extraction { found: vec![Found { observation: 0, question: 0, answer, start: 0, end: 1 }] };
    // Telling (1) + five steps: 6, solved.
    let r = run_story(&kb, &s, &found(0));
    assert_eq!(r.steps, 6.0);
    assert!(r.solved);
    // Telling, removing a wrong fact (0.5), five steps: 6.5, not solved.
    let r = run_story(&kb, &s, &found(1));
    assert_eq!(r.steps, 6.5);
    assert!(!r.solved);
}

/// The oracle by brute force: every order of telling the story's facts
/// and following the plan, depth first, without merging states.
fn oracle_brute(kb: &Kb, s: &Scenario, told: &mut Vec<(usize, Option<usize>)>, done: &mut Vec<(usize, Outcome)>, depth: usize, limit: usize) -> Option<usize> {
    if depth >= limit {
        return None;
    }
    let mut best: Option<usize> = None;
    let ev = Evidence { answers: told.clone(), outcomes: done.clone() };
    if let Some(first) = safe_plan(kb, &ev).plan.first() {
        if s.fixed_by.contains(&kb.actions[first.action].id) {
            return Some(depth + 1);
        }
        done.push((first.action, Outcome::NotFixed));
        best = oracle_brute(kb, s, told, done, depth + 1, limit);
        done.pop();
    }
    for (fact, value) in &s.facts {
        let Some(q) = kb.question_index(fact) else { continue };
        let Some(a) = kb.questions[q].answers.iter().position(|x| &x.value == value) else { continue };
        if told.iter().any(|t| t.0 == q) {
            continue;
        }
        told.push((q, Some(a)));
        let r = oracle_brute(kb, s, told, done, depth + 1, limit);
        told.pop();
        best = match (best, r) {
            (Some(b), Some(r)) => Some(b.min(r)),
            (b, r) => b.or(r),
        };
    }
    best
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 500, ..proptest::prelude::ProptestConfig::default() })]

    /// The breadth-first oracle (which merges states with the same facts
    /// told and steps done) finds what trying every order finds.
    #[test]
    fn the_oracle_matches_brute_force(
        priors in proptest::collection::vec(0.05f64..1.0, 4),
        rows in proptest::collection::vec(proptest::collection::vec(0.05f64..1.0, 2), 12),
        steps in proptest::collection::vec((0usize..4, 0.2f64..1.0, 0.5f64..5.0, 0.0f64..0.8), 4),
        told in proptest::collection::vec(0usize..3, 3),
        fixer in 0usize..4,
        paying in proptest::option::of(0usize..4),
    ) {
        let norm = |r: &Vec<f64>| { let t: f64 = r.iter().sum(); r.iter().map(|x| x / t).collect::<Vec<f64>>() };
        let questions: Vec<kb::Question> = (0..3)
            .map(|i| question(&format!("f{i}"), &["a", "b"], (0..4).map(|c| norm(&rows[i * 4 + c])).collect()))
            .collect();
        // Each step fixes one cause, some a second one too (by cause index).
        let actions = steps
            .iter()
            .enumerate()
            .map(|(i, &(c, f, m, g))| {
                let mut fixes = vec![(c, f)];
                if g > 0.4 {
                    fixes.push(((c + 1) % 4, g));
                    fixes.sort_by_key(|x| x.0);
                }
                action(&format!("s{i}"), m, fixes)
            })
            .collect();
        let mut kb = kb_of(&priors, questions, actions);
        // Sometimes a safety section: f0=a is "money taken", f1 the fee.
        if let Some(p) = paying {
            kb.actions[p].pays = Some(0);
            kb.safety = Some(Safety { paid: (0, 0), fee: 1, untrusted: vec![(2, 1)], verify: (p + 1) % 4 });
        }
        // The story tells f_i = a or b, or not (2).
        let facts: Vec<(String, &str)> = told.iter().enumerate().filter(|(_, &v)| v < 2).map(|(i, &v)| (format!("f{i}"), ["a", "b"][v])).collect();
        let facts: Vec<(&str, &str)> = facts.iter().map(|(f, v)| (f.as_str(), *v)).collect();
        let s = story(&facts, &[&format!("s{fixer}")]);
        let limit = 7;
        let brute = oracle_brute(&kb, &s, &mut Vec::new(), &mut Vec::new(), 0, limit);
        let bfs = oracle_steps(&kb, &s);
        match brute {
            Some(b) => proptest::prop_assert_eq!(bfs, b),
            None => proptest::prop_assert!(bfs >= limit, "bfs {} but nothing within {}", bfs, limit),
        }
    }
}

/// `result` (ok/bad) is asked; `seen` (yes/no) is never asked on its own:
/// its "no" is offered inside `result`. Both point at c0 / c1 the same way;
/// each step takes long, so asking pays.
fn offered_kb() -> Kb {
    let rows = vec![vec![0.9, 0.1], vec![0.1, 0.9]];
    let result = kb::Question { p_known: 0.5, skip_if_known: vec![1], ..question("result", &["ok", "bad"], rows.clone()) };
    let seen = kb::Question {
        skip_if_known: vec![0],
        offered_in: Some(kb::OfferedIn { question: 0, answers: vec![1] }),
        ..question("seen", &["yes", "no"], rows)
    };
    hand_built::kb(
        CostModel { per_step: 1.0, per_minute: 1.0 },
        &[0.5, 0.5],
        vec![result, seen],
        vec![action("fix0", 5.0, vec![(0, 1.0)]), action("fix1", 5.0, vec![(1, 1.0)])],
    )
}

#[test]
fn an_offered_answer_is_one_answer_of_the_question_it_is_offered_in() {
    let kb = offered_kb();
    // The merchant does not know the result but never saw it go through:
    // one question, answered with the offered value, not "not sure".
    let r = run_engine(&kb, &story(&[("seen", "no")], &["fix1"]), Opening::None);
    assert_eq!(
        r.trace[0],
        TraceItem::Question { question: "result".into(), answer: "no".into(), fact: Some("seen".into()) }
    );
    assert_eq!(r.trace[1], TraceItem::Step { step: "fix1".into(), outcome: Outcome::Fixed });
    assert!(close(r.steps, 2.0) && r.not_sure == 0, "{r:?}");
    // A merchant who knows neither says "not sure" to `result`, and `seen`
    // is never asked on its own.
    let r = run_engine(&kb, &story(&[], &["fix1"]), Opening::None);
    assert_eq!(r.trace[0], TraceItem::Question { question: "result".into(), answer: "not_sure".into(), fact: None });
    assert!(r.trace.iter().all(|t| !matches!(t, TraceItem::Question { question, .. } if question == "seen")), "{:?}", r.trace);
    assert_eq!(r.not_sure, 1);
}
