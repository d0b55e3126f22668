//! The decision engine: decision-theoretic troubleshooting (Heckerman, Breese
//! & Rommelse, CACM 1995) over any validated knowledge base.
//!
//! - Single fault: exactly one cause is active; beliefs are a distribution
//!   over causes, starting from the priors.
//! - An answer updates beliefs by Bayes' rule; "not sure" changes nothing.
//! - A step that was done and did not fix it: P(c) ∝ P(c)·(1 − P(fixed | c)).
//!   A step the merchant cannot do is set aside without updating anything.
//! - Steps are ordered by efficiency P(fixed | evidence) / cost, recomputed
//!   after each hypothetical failure (the plan).
//! - A question is asked only when its myopic value of information is
//!   positive: cost(q) + Σ P(answer)·ECR(after answer) < ECR(now), where the
//!   merchant answers with probability P(known) and is "not sure" otherwise.
//!
//! Everything is deterministic: ties break by knowledge-base order.

use crate::kb::Kb;

/// What became of a step the merchant was shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Fixed,
    NotFixed,
    CannotDo,
}

/// What the merchant has said and done, by knowledge-base index.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Evidence {
    /// (question, answer index); `None` is "not sure".
    pub answers: Vec<(usize, Option<usize>)>,
    pub outcomes: Vec<(usize, Outcome)>,
}

/// One step of the plan, with why it is there.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanStep {
    pub action: usize,
    /// P(this step fixes it | the steps before it in the plan did not).
    pub p_fix: f64,
    /// The causes this step can fix, with their current probabilities,
    /// most likely first.
    pub addresses: Vec<(usize, f64)>,
}

/// The one thing the engine recommends now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    Question(usize),
    Step(usize),
    /// This step fixed it.
    Resolved(usize),
    /// Nothing left to try: every step was done or set aside.
    Exhausted,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// P(cause | evidence), by cause index; sums to 1.
    pub beliefs: Vec<f64>,
    /// Steps not yet done, in the order the engine recommends them.
    pub plan: Vec<PlanStep>,
    pub next: Next,
    /// Expected cost of repair of the plan from here (cost-model units).
    pub ecr: f64,
}

/// A factor this small keeps an answer that contradicts every cause from
/// wiping out all beliefs: merchants sometimes misreport.
const FLOOR: f64 = 1e-9;
/// Savings below this are rounding noise, not a reason to ask.
const MIN_SAVING: f64 = 1e-9;

/// Sorts (value, index) pairs by value, highest first, ties by index: the
/// one ordering everything here uses. (One sort routine, not one per call
/// site, also keeps the wasm small.)
pub fn rank(items: &mut [(f64, usize)]) {
    fn by_value_desc(a: &(f64, usize), b: &(f64, usize)) -> std::cmp::Ordering {
        b.0.total_cmp(&a.0).then(a.1.cmp(&b.1))
    }
    items.sort_unstable_by(by_value_desc);
}

/// P(cause | evidence), normalised.
pub fn beliefs(kb: &Kb, ev: &Evidence) -> Vec<f64> {
    let mut p: Vec<f64> = kb.causes.iter().map(|c| c.prior).collect();
    for &(q, answer) in &ev.answers {
        if let Some(j) = answer {
            for (c, pc) in p.iter_mut().enumerate() {
                *pc *= kb.questions[q].likelihood[c][j].max(FLOOR);
            }
        }
    }
    for &(a, outcome) in &ev.outcomes {
        if outcome == Outcome::NotFixed {
            for &(c, f) in &kb.actions[a].fixes {
                p[c] *= (1.0 - f).max(FLOOR);
            }
        }
    }
    normalise(&mut p);
    p
}

fn normalise(p: &mut [f64]) {
    let total: f64 = p.iter().sum();
    if total > 0.0 && total.is_finite() {
        p.iter_mut().for_each(|x| *x /= total);
    } else {
        let n = p.len().max(1) as f64;
        p.iter_mut().for_each(|x| *x = 1.0 / n);
    }
}

/// Steps still to try: not done, not set aside.
fn open_actions(kb: &Kb, ev: &Evidence) -> Vec<usize> {
    (0..kb.actions.len()).filter(|a| !ev.outcomes.iter().any(|(done, _)| done == a)).collect()
}

/// The greedy plan: repeatedly the most efficient step given that every
/// step before it failed. Under the single-fault assumption with each step
/// addressing its own cause this order has the least expected cost of
/// repair (Kadane & Simon); in general it is the standard heuristic.
/// Returns the plan and its expected cost of repair.
pub fn plan(kb: &Kb, p: &[f64], open: &[usize]) -> (Vec<PlanStep>, f64) {
    // mass[c] = P(c and every planned step so far failed).
    let mut mass = p.to_vec();
    // gain[i] = P(open[i] fixes it and every planned step so far failed).
    let mut gain: Vec<f64> = open
        .iter()
        .map(|&a| kb.actions[a].fixes.iter().map(|&(c, f)| mass[c] * f).sum())
        .collect();
    let mut left: Vec<bool> = vec![true; open.len()];
    let mut reach: f64 = mass.iter().sum();
    let mut steps = Vec::with_capacity(open.len());
    let mut ecr = 0.0;
    for _ in 0..open.len() {
        let mut best: Option<(usize, f64)> = None;
        for (i, &a) in open.iter().enumerate() {
            if !left[i] {
                continue;
            }
            let eff = gain[i] / kb.action_cost(a);
            if best.map_or(true, |(_, b)| eff > b) {
                best = Some((i, eff));
            }
        }
        let Some((i, _)) = best else { break };
        left[i] = false;
        let a = open[i];
        ecr += kb.action_cost(a) * reach.max(0.0);
        let p_fix = if reach > 0.0 { (gain[i] / reach).clamp(0.0, 1.0) } else { 0.0 };
        let mut ranked: Vec<(f64, usize)> = kb.actions[a].fixes.iter().map(|&(c, _)| (p[c], c)).collect();
        rank(&mut ranked);
        let addresses = ranked.into_iter().map(|(pc, c)| (c, pc)).collect();
        steps.push(PlanStep { action: a, p_fix, addresses });
        // This step failed: take what it would have fixed out of every
        // other step's gain.
        for &(c, f) in &kb.actions[a].fixes {
            let removed = mass[c] * f;
            mass[c] -= removed;
            reach -= removed;
            for (k, &other) in open.iter().enumerate() {
                if left[k] {
                    if let Ok(pos) = kb.actions[other].fixes.binary_search_by_key(&c, |&(ci, _)| ci) {
                        gain[k] -= removed * kb.actions[other].fixes[pos].1;
                    }
                }
            }
        }
    }
    (steps, ecr)
}

/// Expected cost of repair of the static efficiency order under beliefs
/// `p`. Cheaper than `plan` (no re-ranking after each failure): it is what
/// the value of information compares, on both sides of the comparison.
pub fn ecr_static(kb: &Kb, p: &[f64], open: &[usize], scratch: &mut Vec<(f64, usize)>) -> f64 {
    scratch.clear();
    for &a in open {
        let gain: f64 = kb.actions[a].fixes.iter().map(|&(c, f)| p[c] * f).sum();
        scratch.push((gain / kb.action_cost(a), a));
    }
    // Highest efficiency first; ties by knowledge-base order.
    rank(scratch);
    let mut ecr = 0.0;
    let mut reach = 1.0;
    // Survival of each cause through the failed steps so far, kept sparse:
    // only causes touched by a step change.
    let mut survive: Vec<f64> = vec![1.0; p.len()];
    for &(_, a) in scratch.iter() {
        ecr += kb.action_cost(a) * reach;
        for &(c, f) in &kb.actions[a].fixes {
            let removed = p[c] * survive[c] * f;
            reach -= removed;
            survive[c] *= 1.0 - f;
        }
        if reach <= 0.0 {
            break;
        }
    }
    ecr
}

/// P(answer j | beliefs p) and the posterior after it, for each answer.
fn answer_branches(kb: &Kb, p: &[f64], q: usize) -> Vec<(f64, Vec<f64>)> {
    let question = &kb.questions[q];
    (0..question.answers.len())
        .filter_map(|j| {
            let mut post: Vec<f64> = p.iter().enumerate().map(|(c, pc)| pc * question.likelihood[c][j]).collect();
            let pj: f64 = post.iter().sum();
            if pj <= 0.0 {
                return None;
            }
            post.iter_mut().for_each(|x| *x /= pj);
            Some((pj, post))
        })
        .collect()
}

/// How much asking question `q` is expected to save against acting now,
/// if no other question followed (negative: asking costs more than it
/// saves). The merchant is "not sure" with probability 1 − P(known), which
/// costs the question and changes nothing.
pub fn question_saving(kb: &Kb, p: &[f64], open: &[usize], q: usize, ecr_now: f64, scratch: &mut Vec<(f64, usize)>) -> f64 {
    let expected: f64 =
        answer_branches(kb, p, q).iter().map(|(pj, post)| pj * ecr_static(kb, post, open, scratch)).sum();
    kb.questions[q].p_known * (ecr_now - expected) - kb.question_cost(q)
}

/// Expected cost to go from beliefs `p` when at most one more question may
/// be asked (chosen myopically) before acting.
fn cost_to_go_one_question(kb: &Kb, p: &[f64], open: &[usize], asked: &[bool], scratch: &mut Vec<(f64, usize)>) -> f64 {
    let ecr = ecr_static(kb, p, open, scratch);
    let mut best_saving = 0.0f64;
    for (q, &done) in asked.iter().enumerate() {
        if !done {
            best_saving = best_saving.max(question_saving(kb, p, open, q, ecr, scratch));
        }
    }
    ecr - best_saving
}

/// Marks as asked the questions whose `skip_if_known` names `q`.
fn skip_dependents(kb: &Kb, q: usize, asked: &mut [bool]) {
    for (d, question) in kb.questions.iter().enumerate() {
        if question.skip_if_known.contains(&q) {
            asked[d] = true;
        }
    }
}

/// Above this much work (questions² × answers² × actions) the two-question
/// look-ahead would blow the latency budget, and the engine looks one
/// question ahead only.
const LOOKAHEAD_WORK_LIMIT: usize = 400_000;

/// Expected cost when asking `q` now, looking ahead: after each answer (and
/// after "not sure") the best single further question may still be asked.
/// This sees the worth of questions that only help in pairs (a Wi-Fi
/// terminal *and* no signal), which a one-question look-ahead misses.
fn cost_if_asked(kb: &Kb, p: &[f64], open: &[usize], q: usize, asked: &mut [bool], unsure_cost: f64, scratch: &mut Vec<(f64, usize)>) -> f64 {
    asked[q] = true;
    // A known answer also rules out the questions that would repeat it.
    let before = asked.to_vec();
    skip_dependents(kb, q, asked);
    let known: f64 = answer_branches(kb, p, q)
        .iter()
        .map(|(pj, post)| pj * cost_to_go_one_question(kb, post, open, asked, scratch))
        .sum();
    asked.copy_from_slice(&before);
    asked[q] = false;
    let k = kb.questions[q].p_known;
    kb.question_cost(q) + k * known + (1.0 - k) * unsure_cost
}

/// The question worth asking now, if any: the one with the lowest expected
/// cost, when that is below the cost of acting now.
fn best_question(kb: &Kb, ev: &Evidence, p: &[f64], open: &[usize]) -> Option<usize> {
    let mut scratch = Vec::with_capacity(open.len());
    let mut asked = vec![false; kb.questions.len()];
    for &(q, answer) in &ev.answers {
        asked[q] = true;
        if answer.is_some() {
            skip_dependents(kb, q, &mut asked);
        }
    }
    let ecr_now = ecr_static(kb, p, open, &mut scratch);
    let savings: Vec<Option<f64>> = (0..kb.questions.len())
        .map(|q| (!asked[q]).then(|| question_saving(kb, p, open, q, ecr_now, &mut scratch)))
        .collect();
    let unasked = savings.iter().flatten().count();
    let answers = kb.questions.iter().map(|q| q.answers.len()).max().unwrap_or(0);
    let lookahead = unasked * unasked * answers * answers * open.len().max(1) <= LOOKAHEAD_WORK_LIMIT;

    let mut best: Option<(usize, f64)> = None;
    for q in 0..kb.questions.len() {
        let Some(saving) = savings[q] else { continue };
        let cost = if lookahead {
            // "Not sure" leaves the beliefs as they are; the best other
            // question may still follow.
            let other_best = savings
                .iter()
                .enumerate()
                .filter(|&(o, _)| o != q)
                .filter_map(|(_, s)| *s)
                .fold(0.0f64, f64::max);
            cost_if_asked(kb, p, open, q, &mut asked, ecr_now - other_best, &mut scratch)
        } else {
            ecr_now - saving
        };
        if cost < ecr_now - MIN_SAVING && best.map_or(true, |(_, b)| cost < b) {
            best = Some((q, cost));
        }
    }
    best.map(|(q, _)| q)
}

/// The engine's one recommendation, with the beliefs and plan behind it.
pub fn decide(kb: &Kb, ev: &Evidence) -> Decision {
    let p = beliefs(kb, ev);
    let open = open_actions(kb, ev);
    let (plan, ecr) = plan(kb, &p, &open);
    if let Some(&(a, _)) = ev.outcomes.iter().find(|(_, o)| *o == Outcome::Fixed) {
        return Decision { beliefs: p, plan, next: Next::Resolved(a), ecr };
    }
    if open.is_empty() {
        return Decision { beliefs: p, plan, next: Next::Exhausted, ecr };
    }
    let next = match best_question(kb, ev, &p, &open) {
        Some(q) => Next::Question(q),
        None => Next::Step(plan[0].action),
    };
    Decision { beliefs: p, plan, next, ecr }
}
