//! The simulated merchant of DESIGN.md ("Scenario files"): answers a question
//! from the story's facts, or "not sure" where the story does not say; does
//! the step the engine recommends; the problem is fixed when that step is
//! in the story's `fixed_by`. Before the first question an opening may
//! enter what the merchant already knows (observation chips, or the story's
//! own words through the extractor). Alongside run the article's own order
//! of solutions, with no questions, as the baseline, and an oracle that
//! knows the cause and the story's facts, as the floor.

use crate::engine::{decide, decide_after_opening, safe_plan, Evidence, Next, Outcome};
use crate::extract::{extract, Extraction};
use crate::kb::Kb;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};

/// Steps after which a story counts as unfixed (opening costs included).
pub const STEP_CAP: usize = 12;
/// A story is solved when fixed within this many steps (fractions count).
pub const SOLVED_WITHIN: usize = 6;

/// The article's order of solutions (DESIGN.md).
pub const BASELINE_ORDER: [&str; 11] = [
    "action.recheck_details_and_renew",
    "action.follow_guide_and_renew",
    "action.check_router",
    "action.move_to_better_signal",
    "action.retry_after_bank_maintenance",
    "action.top_up_and_retry",
    "action.restart",
    "action.update_software",
    "action.contact_provider",
    "action.check_account_status",
    "action.check_announcements",
];

/// Opening costs (DESIGN "Openings"), in steps and minutes.
pub const CHIPS_SCREEN_STEPS: f64 = 1.0;
pub const CHIPS_SCREEN_MINUTES: f64 = 0.5;
pub const CHIP_STEPS: f64 = 0.25;
pub const STORY_STEPS: f64 = 1.0;
pub const STORY_MINUTES: f64 = 1.0;
/// Removing a wrongly understood fact=value.
pub const REMOVE_STEPS: f64 = 0.5;

/// The safety predicate's paying steps and the fee each pays (DESIGN "The
/// safety predicate"); a KB may mark others with `pays`.
pub const PAYING_STEPS: [(&str, &str); 5] = [
    ("action.recheck_details_and_renew", "service_fee"),
    ("action.follow_guide_and_renew", "service_fee"),
    ("action.top_up_and_retry", "service_fee"),
    ("action.retry_after_bank_maintenance", "service_fee"),
    ("action.pay_sim_fee", "sim_fee"),
];
/// The step that checks the real status in the official app.
pub const VERIFY_STEP: &str = "action.verify_in_official_app";

#[derive(Debug, Clone, Deserialize)]
pub struct ScenarioFile {
    pub scenarios: Vec<Scenario>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Scenario {
    pub id: String,
    #[serde(default)]
    pub story: String,
    #[serde(default)]
    pub facts: BTreeMap<String, String>,
    #[serde(default)]
    pub cause: String,
    pub fixed_by: Vec<String>,
}

/// How the merchant starts: questions only, observation chips, or their
/// own words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Opening {
    None,
    Chips,
    Story,
}

impl Opening {
    pub const ALL: [Opening; 3] = [Opening::None, Opening::Chips, Opening::Story];

    pub fn id(self) -> &'static str {
        match self {
            Opening::None => "none",
            Opening::Chips => "chips",
            Opening::Story => "story",
        }
    }

    pub fn parse(s: &str) -> Option<Opening> {
        Opening::ALL.into_iter().find(|o| o.id() == s)
    }
}

/// An outcome as saved progress spells it (`session::outcome_id`).
fn outcome_text<S: serde::Serializer>(o: &Outcome, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(crate::session::outcome_id(*o))
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(untagged)]
pub enum TraceItem {
    /// `fact` is set when the answer was one another question offers
    /// inside this one (`offered_in`): the value is that fact's.
    Question {
        question: String,
        answer: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        fact: Option<String>,
    },
    Step {
        step: String,
        #[serde(serialize_with = "outcome_text")]
        outcome: Outcome,
    },
    /// Entered by the opening before the first question (`via`: chip or
    /// story).
    Told { told: String, value: String, via: String },
    /// Understood from the story but not what it says: the merchant
    /// removed it.
    Removed { removed: String, value: String },
}

#[derive(Debug, Clone, Serialize)]
pub struct ScenarioResult {
    pub id: String,
    pub solved: bool,
    /// Questions answered + steps done + opening costs; `STEP_CAP` if not
    /// fixed.
    pub steps: f64,
    /// Merchant minutes spent (opening, questions and steps, by the KB's
    /// costs).
    pub minutes: f64,
    pub baseline_steps: usize,
    pub not_sure: usize,
    pub wasted_provider_calls: usize,
    pub unsafe_recommendations: usize,
    pub oracle_steps: usize,
    pub trace: Vec<TraceItem>,
}

/// The extractor against the stories' facts, pooled over fact=value pairs.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Default)]
pub struct ExtractionScore {
    /// correct / found; `None` (null) when nothing was found.
    pub precision: Option<f64>,
    /// correct / expected; `None` when nothing was expected.
    pub recall: Option<f64>,
    /// fact=value pairs understood.
    pub found: usize,
    /// ... of which the story's facts hold.
    pub correct: usize,
    /// The story's fact=value pairs the KB has a chip for.
    pub expected: usize,
}

impl ExtractionScore {
    /// Adds one story's counts; the ratios are recomputed from the totals.
    pub fn add(&mut self, found: usize, correct: usize, expected: usize) {
        self.found += found;
        self.correct += correct;
        self.expected += expected;
        let ratio = |a: usize, b: usize| (b > 0).then(|| a as f64 / b as f64);
        self.precision = ratio(self.correct, self.found);
        self.recall = ratio(self.correct, self.expected);
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub opening: Opening,
    pub total: usize,
    pub solved: usize,
    pub mean_steps: f64,
    pub mean_minutes: f64,
    pub baseline_solved: usize,
    pub baseline_mean_steps: f64,
    pub baseline_mean_minutes: f64,
    /// "Not sure" answers given, per story.
    pub not_sure_per_story: f64,
    /// Steps through the provider done and not fixing, over the set.
    pub wasted_provider_calls: usize,
    /// Recommendations breaking the safety predicate, over the set.
    pub unsafe_recommendations: usize,
    pub oracle_mean_steps: f64,
    /// `mean_steps − oracle_mean_steps` (negative: the opening beat a
    /// questions-only oracle).
    pub oracle_distance: f64,
    /// Story runs only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extraction: Option<ExtractionScore>,
    pub scenarios: Vec<ScenarioResult>,
}

pub fn parse_scenarios(text: &str) -> Result<Vec<Scenario>, String> {
    serde_json::from_str::<ScenarioFile>(text).map(|f| f.scenarios).map_err(|e| format!("scenario file: {e}"))
}

/// The story's fact=value as (question, answer) indices, where the KB asks
/// about that fact and has that value.
fn story_pair(kb: &Kb, fact: &str, value: &str) -> Option<(usize, usize)> {
    let q = kb.question_index(fact)?;
    let a = kb.questions[q].answers.iter().position(|x| x.value == value)?;
    Some((q, a))
}

fn holds(kb: &Kb, s: &Scenario, q: usize, a: usize) -> bool {
    let question = &kb.questions[q];
    s.facts.get(&question.id) == Some(&question.answers[a].value)
}

/// Steps that go through the provider (DESIGN: `contact_provider`, every
/// `request_*`, `submit_risk_appeal`).
pub fn through_provider(action_id: &str) -> bool {
    action_id == "action.contact_provider" || action_id.starts_with("action.request_") || action_id == "action.submit_risk_appeal"
}

/// The fee step `a` pays: DESIGN's list first, else the KB's `pays`.
fn fee_paid_by(kb: &Kb, a: usize) -> Option<String> {
    let action = &kb.actions[a];
    if let Some((_, fee)) = PAYING_STEPS.iter().find(|(id, _)| *id == action.id) {
        return Some((*fee).to_string());
    }
    let safety = kb.safety.as_ref()?;
    let fee = kb.questions.get(safety.fee)?.answers.get(action.pays?)?;
    Some(fee.value.clone())
}

/// DESIGN's safety predicate, judged on the story's facts: recommending
/// step `a` is unsafe when it pays fee F and (1) `money_deducted=yes` and
/// `fee_paid` is F or not stated, or (2) the payment or notice came
/// through a message or call and the verify step has not been done.
pub fn unsafe_recommendation(kb: &Kb, facts: &BTreeMap<String, String>, verified: bool, a: usize) -> bool {
    let Some(fee) = fee_paid_by(kb, a) else { return false };
    let is = |fact: &str, value: &str| facts.get(fact).is_some_and(|v| v == value);
    let already_paid = is("money_deducted", "yes") && facts.get("fee_paid").is_none_or(|f| *f == fee);
    let untrusted = is("paid_via", "link_in_message") || is("notice_source", "sms_or_call");
    already_paid || (untrusted && !verified)
}

/// What the opening enters before the first question, in steps and
/// minutes, with the extractor's counts for a story opening.
struct Opened {
    steps: f64,
    minutes: f64,
    trace: Vec<TraceItem>,
    answers: Vec<(usize, Option<usize>)>,
    /// (found, correct, expected) for a story opening.
    extraction: Option<(usize, usize, usize)>,
}

/// The story's fact=value pairs the KB has a chip for, as (question,
/// answer), each once, in chip order.
fn chips_for(kb: &Kb, s: &Scenario) -> Vec<(usize, usize)> {
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for o in &kb.observations {
        let pair = (o.question, o.answer);
        if o.question < kb.questions.len() && o.answer < kb.questions[o.question].answers.len() && holds(kb, s, o.question, o.answer) && !pairs.contains(&pair) {
            pairs.push(pair);
        }
    }
    pairs
}

fn told(kb: &Kb, q: usize, a: usize, via: &str) -> TraceItem {
    TraceItem::Told { told: kb.questions[q].id.clone(), value: kb.questions[q].answers[a].value.clone(), via: via.into() }
}

/// Scores an extraction against a story: (found, correct, expected).
pub fn score_extraction(kb: &Kb, s: &Scenario, ex: &Extraction) -> (usize, usize, usize) {
    let mut seen: Vec<(usize, usize)> = Vec::new();
    let mut correct = 0;
    for f in &ex.found {
        if f.question >= kb.questions.len() || f.answer >= kb.questions[f.question].answers.len() || seen.contains(&(f.question, f.answer)) {
            continue;
        }
        seen.push((f.question, f.answer));
        if holds(kb, s, f.question, f.answer) {
            correct += 1;
        }
    }
    (seen.len(), correct, chips_for(kb, s).len())
}

fn open(kb: &Kb, s: &Scenario, opening: Opening) -> Opened {
    let mut o = Opened { steps: 0.0, minutes: 0.0, trace: Vec::new(), answers: Vec::new(), extraction: None };
    match opening {
        Opening::None => {}
        Opening::Chips => {
            o.steps = CHIPS_SCREEN_STEPS;
            o.minutes = CHIPS_SCREEN_MINUTES;
            for (q, a) in chips_for(kb, s) {
                o.steps += CHIP_STEPS;
                o.answers.push((q, Some(a)));
                o.trace.push(told(kb, q, a, "chip"));
            }
        }
        Opening::Story => return open_story(kb, s, &extract(kb, &s.story, None)),
    }
    o
}

/// The story opening, given what the extractor understood: correct
/// fact=value pairs are entered, the others removed by the merchant.
fn open_story(kb: &Kb, s: &Scenario, ex: &Extraction) -> Opened {
    let mut o = Opened { steps: STORY_STEPS, minutes: STORY_MINUTES, trace: Vec::new(), answers: Vec::new(), extraction: None };
    o.extraction = Some(score_extraction(kb, s, ex));
    let mut seen: Vec<(usize, usize)> = Vec::new();
    for f in &ex.found {
        let (q, a) = (f.question, f.answer);
        if q >= kb.questions.len() || a >= kb.questions[q].answers.len() || seen.contains(&(q, a)) {
            continue;
        }
        seen.push((q, a));
        if holds(kb, s, q, a) {
            o.answers.push((q, Some(a)));
            o.trace.push(told(kb, q, a, "story"));
        } else {
            o.steps += REMOVE_STEPS;
            let question = &kb.questions[q];
            o.trace.push(TraceItem::Removed { removed: question.id.clone(), value: question.answers[a].value.clone() });
        }
    }
    o
}

/// Runs one story with the story opening, given the extractor's result
/// (tests hand-make it).
pub fn run_story(kb: &Kb, s: &Scenario, ex: &Extraction) -> ScenarioResult {
    run_opened(kb, s, open_story(kb, s, ex)).0
}

/// Runs one story with the engine after the given opening. Unfixed
/// stories count `STEP_CAP` steps. `oracle_steps` and `baseline_steps`
/// are left at 0 (see `evaluate`).
pub fn run_engine(kb: &Kb, s: &Scenario, opening: Opening) -> ScenarioResult {
    run_opened(kb, s, open(kb, s, opening)).0
}

fn run_opened(kb: &Kb, s: &Scenario, opened: Opened) -> (ScenarioResult, Option<(usize, usize, usize)>) {
    let Opened { mut steps, mut minutes, mut trace, answers, extraction } = opened;
    // The merchant told something on the opening screen.
    let opened = !answers.is_empty();
    let mut ev = Evidence { answers, outcomes: Vec::new() };
    let (mut not_sure, mut wasted, mut unsafe_count) = (0, 0, 0);
    let mut verified = false;
    let mut fixed = false;
    // A move costs one step; none is made that would pass the cap.
    while !fixed && steps + 1.0 <= STEP_CAP as f64 {
        let decision = if opened { decide_after_opening(kb, &ev) } else { decide(kb, &ev) };
        match decision.next {
            Next::Question(q) => {
                let question = &kb.questions[q];
                minutes += question.minutes;
                let told = s.facts.get(&question.id);
                let j = told.and_then(|v| question.answers.iter().position(|a| &a.value == v));
                // Without the question's own answer, the merchant takes an
                // answer another question offers here, when the story says it.
                let offered = if j.is_none() { kb.offered_answers(q).into_iter().find(|&(f, a)| holds(kb, s, f, a)) } else { None };
                if let Some((f, a)) = offered {
                    ev.answers.push((f, Some(a)));
                    let fact = &kb.questions[f];
                    trace.push(TraceItem::Question {
                        question: question.id.clone(),
                        answer: fact.answers[a].value.clone(),
                        fact: Some(fact.id.clone()),
                    });
                } else {
                    ev.answers.push((q, j));
                    not_sure += usize::from(j.is_none());
                    let answer = j.map_or(crate::kb::NOT_SURE.to_string(), |j| question.answers[j].value.clone());
                    trace.push(TraceItem::Question { question: question.id.clone(), answer, fact: None });
                }
            }
            Next::Step(a) => {
                let action = &kb.actions[a];
                unsafe_count += usize::from(unsafe_recommendation(kb, &s.facts, verified, a));
                minutes += action.minutes;
                fixed = s.fixed_by.contains(&action.id);
                wasted += usize::from(!fixed && through_provider(&action.id));
                verified |= action.id == VERIFY_STEP;
                let outcome = if fixed { Outcome::Fixed } else { Outcome::NotFixed };
                ev.outcomes.push((a, outcome));
                trace.push(TraceItem::Step { step: action.id.clone(), outcome });
            }
            Next::Resolved(_) | Next::Exhausted => break,
        }
        steps += 1.0;
    }
    let steps = if fixed { steps } else { STEP_CAP as f64 };
    let result = ScenarioResult {
        id: s.id.clone(),
        solved: fixed && steps <= SOLVED_WITHIN as f64,
        steps,
        minutes,
        baseline_steps: 0,
        not_sure,
        wasted_provider_calls: wasted,
        unsafe_recommendations: unsafe_count,
        oracle_steps: 0,
        trace,
    };
    (result, extraction)
}

/// Steps and minutes the article's order takes on a story.
pub fn run_baseline(kb: &Kb, s: &Scenario) -> (usize, f64) {
    let mut minutes = 0.0;
    let mut steps = 0;
    for id in BASELINE_ORDER {
        let Some(a) = kb.action_index(id) else { continue };
        steps += 1;
        minutes += kb.actions[a].minutes;
        if s.fixed_by.iter().any(|f| f == id) {
            return (steps, minutes);
        }
        if steps >= STEP_CAP {
            break;
        }
    }
    (STEP_CAP, minutes)
}

/// The oracle (DESIGN "Figures"): the fewest steps for a merchant who
/// knows the cause and the story's facts, who may answer any question the
/// story answers (1 step each, in any order, interleaved with steps) and
/// may do only the step the KB's plan, after the safety rules, ranks first
/// at that moment. `STEP_CAP` where nothing fixes it within the cap.
///
/// Breadth-first over (facts told, steps done): beliefs, the rules and so
/// the plan depend on the evidence as a set, not its order, so each such
/// state needs visiting once, and the first fix found is the fewest steps.
pub fn oracle_steps(kb: &Kb, s: &Scenario) -> usize {
    let facts: Vec<(usize, usize)> = s.facts.iter().filter_map(|(f, v)| story_pair(kb, f, v)).collect();
    // Far more facts than a story holds would make 2^n states: told in
    // KB order, at most this many are considered.
    let facts = &facts[..facts.len().min(16)];
    let mut seen: HashSet<(u32, Vec<usize>)> = HashSet::new();
    let mut level: Vec<(u32, Vec<usize>)> = vec![(0, Vec::new())];
    seen.insert((0, Vec::new()));
    for depth in 1..=STEP_CAP {
        let mut next_level = Vec::new();
        for (mask, done) in &level {
            let ev = Evidence {
                answers: facts.iter().enumerate().filter(|(i, _)| mask & (1 << i) != 0).map(|(_, &(q, a))| (q, Some(a))).collect(),
                outcomes: done.iter().map(|&a| (a, Outcome::NotFixed)).collect(),
            };
            if let Some(first) = safe_plan(kb, &ev).plan.first() {
                let a = first.action;
                if s.fixed_by.contains(&kb.actions[a].id) {
                    return depth;
                }
                let mut after = done.clone();
                after.push(a);
                after.sort_unstable();
                if seen.insert((*mask, after.clone())) {
                    next_level.push((*mask, after));
                }
            }
            for i in 0..facts.len() {
                let told = mask | (1 << i);
                if told != *mask && seen.insert((told, done.clone())) {
                    next_level.push((told, done.clone()));
                }
            }
        }
        level = next_level;
    }
    STEP_CAP
}

/// Runs every story with questions only (no opening), with the baseline
/// and the oracle alongside.
pub fn evaluate(kb: &Kb, scenarios: &[Scenario]) -> Report {
    evaluate_opening(kb, scenarios, Opening::None)
}

/// `evaluate` after the given opening.
pub fn evaluate_opening(kb: &Kb, scenarios: &[Scenario], opening: Opening) -> Report {
    evaluate_with(kb, scenarios, opening, &|s: &Scenario| oracle_steps(kb, s))
}

/// `evaluate` for several openings, computing each story's oracle once.
pub fn evaluate_all(kb: &Kb, scenarios: &[Scenario], openings: &[Opening]) -> Vec<Report> {
    let oracle: BTreeMap<&str, usize> = scenarios.iter().map(|s| (s.id.as_str(), oracle_steps(kb, s))).collect();
    let lookup = |s: &Scenario| oracle.get(s.id.as_str()).copied().unwrap_or(STEP_CAP);
    openings.iter().map(|&o| evaluate_with(kb, scenarios, o, &lookup)).collect()
}

fn evaluate_with(kb: &Kb, scenarios: &[Scenario], opening: Opening, oracle: &dyn Fn(&Scenario) -> usize) -> Report {
    let mut results = Vec::new();
    let (mut base_solved, mut base_steps, mut base_minutes) = (0, 0usize, 0.0);
    let mut extraction = (opening == Opening::Story).then(ExtractionScore::default);
    for s in scenarios {
        let (mut r, counts) = run_opened(kb, s, open(kb, s, opening));
        if let (Some(score), Some((found, correct, expected))) = (extraction.as_mut(), counts) {
            score.add(found, correct, expected);
        }
        let (bs, bm) = run_baseline(kb, s);
        r.baseline_steps = bs;
        r.oracle_steps = oracle(s);
        if bs <= SOLVED_WITHIN {
            base_solved += 1;
        }
        base_steps += bs;
        base_minutes += bm;
        results.push(r);
    }
    let n = scenarios.len().max(1) as f64;
    let mean_steps = results.iter().map(|r| r.steps).sum::<f64>() / n;
    let oracle_mean_steps = results.iter().map(|r| r.oracle_steps as f64).sum::<f64>() / n;
    Report {
        opening,
        total: scenarios.len(),
        solved: results.iter().filter(|r| r.solved).count(),
        mean_steps,
        mean_minutes: results.iter().map(|r| r.minutes).sum::<f64>() / n,
        baseline_solved: base_solved,
        baseline_mean_steps: base_steps as f64 / n,
        baseline_mean_minutes: base_minutes / n,
        not_sure_per_story: results.iter().map(|r| r.not_sure).sum::<usize>() as f64 / n,
        wasted_provider_calls: results.iter().map(|r| r.wasted_provider_calls).sum(),
        unsafe_recommendations: results.iter().map(|r| r.unsafe_recommendations).sum(),
        oracle_mean_steps,
        oracle_distance: mean_steps - oracle_mean_steps,
        extraction,
        scenarios: results,
    }
}
