//! The simulated merchant of DESIGN.md ("Scenario files"): answers a question
//! from the story's facts, or "not sure" where the story does not say; does
//! the step the engine recommends; the problem is fixed when that step is
//! in the story's `fixed_by`. Alongside runs the article's own order of
//! solutions, with no questions, as the baseline.

use crate::engine::{decide, Evidence, Next, Outcome};
use crate::kb::Kb;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Steps after which a story counts as unfixed.
pub const STEP_CAP: usize = 12;
/// A story is solved when fixed within this many steps.
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

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(untagged)]
pub enum TraceItem {
    Question { question: String, answer: String },
    Step { step: String, outcome: String },
}

#[derive(Debug, Clone, Serialize)]
pub struct ScenarioResult {
    pub id: String,
    pub solved: bool,
    pub steps: usize,
    /// Merchant minutes spent (questions and steps, by the KB's costs).
    pub minutes: f64,
    pub baseline_steps: usize,
    pub trace: Vec<TraceItem>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub total: usize,
    pub solved: usize,
    pub mean_steps: f64,
    pub mean_minutes: f64,
    pub baseline_solved: usize,
    pub baseline_mean_steps: f64,
    pub baseline_mean_minutes: f64,
    pub scenarios: Vec<ScenarioResult>,
}

pub fn parse_scenarios(text: &str) -> Result<Vec<Scenario>, String> {
    serde_json::from_str::<ScenarioFile>(text).map(|f| f.scenarios).map_err(|e| format!("scenario file: {e}"))
}

/// Runs one story with the engine. Unfixed stories count `STEP_CAP` steps.
pub fn run_engine(kb: &Kb, s: &Scenario) -> ScenarioResult {
    let mut ev = Evidence::default();
    let mut trace = Vec::new();
    let mut minutes = 0.0;
    let mut fixed = false;
    while trace.len() < STEP_CAP && !fixed {
        match decide(kb, &ev).next {
            Next::Question(q) => {
                let question = &kb.questions[q];
                let told = s.facts.get(&question.id);
                let j = told.and_then(|v| question.answers.iter().position(|a| &a.value == v));
                ev.answers.push((q, j));
                minutes += question.minutes;
                let answer = j.map_or("not_sure".to_string(), |j| question.answers[j].value.clone());
                trace.push(TraceItem::Question { question: question.id.clone(), answer });
            }
            Next::Step(a) => {
                let action = &kb.actions[a];
                minutes += action.minutes;
                fixed = s.fixed_by.contains(&action.id);
                let outcome = if fixed { Outcome::Fixed } else { Outcome::NotFixed };
                ev.outcomes.push((a, outcome));
                trace.push(TraceItem::Step {
                    step: action.id.clone(),
                    outcome: crate::session::outcome_id(outcome).to_string(),
                });
            }
            Next::Resolved(_) | Next::Exhausted => break,
        }
    }
    let steps = if fixed { trace.len() } else { STEP_CAP };
    ScenarioResult {
        id: s.id.clone(),
        solved: fixed && steps <= SOLVED_WITHIN,
        steps,
        minutes,
        baseline_steps: 0,
        trace,
    }
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

pub fn evaluate(kb: &Kb, scenarios: &[Scenario]) -> Report {
    let mut results = Vec::new();
    let (mut base_solved, mut base_steps, mut base_minutes) = (0, 0usize, 0.0);
    for s in scenarios {
        let mut r = run_engine(kb, s);
        let (bs, bm) = run_baseline(kb, s);
        r.baseline_steps = bs;
        if bs <= SOLVED_WITHIN {
            base_solved += 1;
        }
        base_steps += bs;
        base_minutes += bm;
        results.push(r);
    }
    let n = scenarios.len().max(1) as f64;
    Report {
        total: scenarios.len(),
        solved: results.iter().filter(|r| r.solved).count(),
        mean_steps: results.iter().map(|r| r.steps as f64).sum::<f64>() / n,
        mean_minutes: results.iter().map(|r| r.minutes).sum::<f64>() / n,
        baseline_solved: base_solved,
        baseline_mean_steps: base_steps as f64 / n,
        baseline_mean_minutes: base_minutes / n,
        scenarios: results,
    }
}
