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
//! - A question is asked only when it is worth its cost: value of
//!   information, looked three moves ahead. Each move is a question (the
//!   merchant answers with probability P(known) and is "not sure"
//!   otherwise, which costs the move and changes nothing) or a step (which
//!   fixes it, or fails and updates the beliefs); after the last move the
//!   static plan's ECR counts. Asking q now is compared with doing the
//!   plan's first step now, both with the same look-ahead after them, so
//!   neither side is favoured: a cheap step worth trying before asking is
//!   tried first. Below the top only the most promising moves are played
//!   out further (beams), which keeps a decision near 1 ms on the default
//!   knowledge base; bigger knowledge bases look fewer moves ahead.
//!
//! - After the say-what-you-know screen (`decide_after_opening`), a fact
//!   the screen offered as a chip and the merchant did not tell is less
//!   likely known, so asking it is worth less; beliefs are untouched.
//!
//! - Safety rules beat expected cost (`safety`): steps a rule holds back
//!   (paying again, paying after a suspicious message) are taken out
//!   before any of the above, and what lifts a rule comes first (the
//!   question that may lift one, which fee was paid, only when the steps
//!   its answers would allow are worth its cost).
//!
//! Everything is deterministic: ties break by knowledge-base order.

use crate::kb::Kb;

pub mod safety;

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

/// Why a safety rule holds a paying step back (DESIGN "Safety rules beat
/// expected cost"); the page says what to do first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Block {
    /// The money for this fee was already taken: support sorts out the
    /// first payment before anything is paid again.
    AlreadyPaid,
    /// The payment or the notice came through a link, SMS, chat or call:
    /// check the real status in the official app (`Safety::verify`) first.
    Unverified,
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
    /// Steps a safety rule holds back now, with the reason; they are in
    /// no plan and never recommended.
    pub blocked: Vec<(usize, Block)>,
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
    // Insertion sort or heapsort by hand: the order is total (ties break by the unique
    // index), so any correct sort gives the same result, and this one is a
    // few hundred bytes of wasm where the standard library's sort is
    // several kilobytes.
    fn before(a: (f64, usize), b: (f64, usize)) -> bool {
        b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).is_lt()
    }
    // A heap with the item that comes last at the root.
    fn sift_down(items: &mut [(f64, usize)], mut root: usize, end: usize) {
        loop {
            let mut child = 2 * root + 1;
            if child >= end {
                return;
            }
            if child + 1 < end && before(items[child], items[child + 1]) {
                child += 1;
            }
            if !before(items[root], items[child]) {
                return;
            }
            items.swap(root, child);
            root = child;
        }
    }
    let n = items.len();
    if n <= 24 {
        // Short lists (the engine's inner loops): insertion is fastest.
        for i in 1..n {
            let mut j = i;
            while j > 0 && before(items[j], items[j - 1]) {
                items.swap(j, j - 1);
                j -= 1;
            }
        }
        return;
    }
    for root in (0..n / 2).rev() {
        sift_down(items, root, n);
    }
    for end in (1..n).rev() {
        items.swap(0, end);
        sift_down(items, 0, end);
    }
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
    plan_from(kb, p, open, None)
}

/// `plan`, with `first` (one of `open`) put first whatever its efficiency:
/// a safety rule's lift (the verify step) comes before the rest.
fn plan_from(kb: &Kb, p: &[f64], open: &[usize], first: Option<usize>) -> (Vec<PlanStep>, f64) {
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
            if steps.is_empty() && first == Some(a) {
                best = Some((i, f64::INFINITY));
                break;
            }
            let eff = gain[i] / kb.action_cost(a);
            if best.is_none_or(|(_, b)| eff > b) {
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

/// (answer j, P(answer j | beliefs p), the posterior after it), for each
/// answer that can be given.
fn answer_branches(kb: &Kb, p: &[f64], q: usize) -> Vec<(usize, f64, Vec<f64>)> {
    let question = &kb.questions[q];
    (0..question.answers.len())
        .filter_map(|j| {
            let mut post: Vec<f64> = p.iter().enumerate().map(|(c, pc)| pc * question.likelihood[c][j]).collect();
            let pj: f64 = post.iter().sum();
            if pj <= 0.0 {
                return None;
            }
            post.iter_mut().for_each(|x| *x /= pj);
            Some((j, pj, post))
        })
        .collect()
}

/// How much asking question `q` is expected to save against acting now,
/// if no other question followed (negative: asking costs more than it
/// saves). The merchant is "not sure" with probability 1 − P(known), which
/// costs the question and changes nothing.
pub fn question_saving(kb: &Kb, p: &[f64], open: &[usize], q: usize, ecr_now: f64, scratch: &mut Vec<(f64, usize)>) -> f64 {
    let expected: f64 =
        answer_branches(kb, p, q).iter().map(|(_, pj, post)| pj * ecr_static(kb, post, open, scratch)).sum();
    kb.questions[q].p_known * (ecr_now - expected) - kb.question_cost(q)
}

/// P(a merchant who knows a fact says it on the say-what-you-know screen,
/// when the screen offers a chip for it). No field data; the chip is in
/// front of them and one tap, so most who know it tell it: 0.9 (even odds,
/// 0.5, kept asking facts the merchant had just passed over: a "not sure"
/// in one story of four after the opening). It is what lowers P(known)
/// after the opening (`p_known`). Measured with `eval --opening chips` /
/// `story`, 0.5 → 0.9: own dev 3.34 → 3.19 / 2.44 → 2.29 steps, own test
/// 3.27 → 3.15 / 2.32 → 2.20, own holdout 3.42 → 3.25 / 3.25 → 3.05,
/// public-v2 3.09 → 2.95 / 2.21 → 2.07; `--opening none` is untouched.
const TOLD_IF_KNOWN: f64 = 0.9;

/// P(known) of question `q` for this merchant. After an opening where the
/// merchant told something (`opened`), a fact the screen offered as a chip
/// and that they did not tell is less likely known: by Bayes' rule,
/// P(known | not told) = k(1 − t) / (k(1 − t) + 1 − k), with k the KB's
/// P(known) and t = `TOLD_IF_KNOWN`. This changes only how much asking is
/// worth, never a belief: "not sure", and not telling, update nothing.
fn p_known(kb: &Kb, q: usize, opened: bool) -> f64 {
    let k = kb.questions[q].p_known;
    let offered = kb.observations.iter().any(|o| o.question == q);
    if !(opened && offered) {
        return k;
    }
    let known_untold = k * (1.0 - TOLD_IF_KNOWN);
    let total = known_untold + (1.0 - k);
    if total > 0.0 {
        known_untold / total
    } else {
        k
    }
}

/// Moves (questions or steps) the look-ahead plays out before it falls back
/// on the static plan's expected cost of repair: ask, do, ask.
const DEPTH: usize = 3;
/// Below the top, only the questions that look best one move ahead are
/// played out further; the others keep their one-move value.
const QUESTION_BEAM: usize = 2;
/// At every node the most efficient step is played out too: acting first
/// and asking later is a move like any other.
const STEP_BEAM: usize = 1;
/// At the top, the questions that look best one move ahead are played out
/// to the full depth.
const TOP_BEAM: usize = 2;
/// Above this much work (see `work`) the look-ahead is cut one move
/// shorter, down to a single move, to stay within the latency budget
/// (the default knowledge base needs about 100,000 and decides in about
/// 1 ms; a KB of 100 causes and 20 questions is cut to two moves).
const WORK_LIMIT: f64 = 200_000.0;

/// Depth-limited expectimax over questions and steps (Heckerman et al.'s
/// value of information, looked further ahead). Every node may act by the
/// static plan, ask a question, or do one of its most efficient steps;
/// leaves are valued by the static plan's expected cost of repair. Scratch
/// buffers are kept per depth, so a decision allocates almost nothing.
struct Search<'a> {
    kb: &'a Kb,
    /// For `ecr`: (efficiency, action) and survival per cause.
    order: Vec<(f64, usize)>,
    survive: Vec<f64>,
    /// Per depth: a posterior, an open list, a ranking.
    post: Vec<Vec<f64>>,
    open: Vec<Vec<usize>>,
    ranked: Vec<Vec<(f64, usize)>>,
    steps: Vec<Vec<(f64, usize)>>,
    /// Questions that skip `q` once `q` is answered, by `q`.
    dependents: Vec<Vec<usize>>,
    /// Each step's cost, and each question's likelihoods by answer (one
    /// slice over the causes per answer): the inner loops read them
    /// hundreds of thousands of times per decision.
    step_cost: Vec<f64>,
    answer_likelihood: Vec<Vec<Vec<f64>>>,
    /// Each question's P(known) for this merchant (`p_known`).
    p_known: Vec<f64>,
    qbeam: usize,
    sbeam: usize,
}

impl<'a> Search<'a> {
    fn new(kb: &'a Kb, depth: usize, opened: bool) -> Search<'a> {
        let mut dependents = vec![Vec::new(); kb.questions.len()];
        for (d, question) in kb.questions.iter().enumerate() {
            for &q in &question.skip_if_known {
                dependents[q].push(d);
            }
        }
        Search {
            kb,
            order: Vec::with_capacity(kb.actions.len()),
            survive: vec![1.0; kb.causes.len()],
            post: vec![vec![0.0; kb.causes.len()]; depth + 1],
            open: vec![Vec::with_capacity(kb.actions.len()); depth + 1],
            ranked: vec![Vec::with_capacity(kb.questions.len()); depth + 1],
            steps: vec![Vec::with_capacity(kb.actions.len()); depth + 1],
            dependents,
            step_cost: (0..kb.actions.len()).map(|a| kb.action_cost(a)).collect(),
            answer_likelihood: kb
                .questions
                .iter()
                .map(|q| (0..q.answers.len()).map(|j| q.likelihood.iter().map(|row| row[j]).collect()).collect())
                .collect(),
            p_known: (0..kb.questions.len()).map(|q| p_known(kb, q, opened)).collect(),
            qbeam: QUESTION_BEAM,
            sbeam: STEP_BEAM,
        }
    }

    /// `ecr_static` without allocating.
    fn ecr(&mut self, p: &[f64], open: &[usize]) -> f64 {
        let kb = self.kb;
        let mut order = std::mem::take(&mut self.order);
        self.most_efficient(p, open, &mut order);
        self.order = order;
        self.survive.iter_mut().for_each(|s| *s = 1.0);
        // Homogeneous in `p`: unnormalised beliefs give a scaled cost.
        let (mut ecr, mut reach) = (0.0, p.iter().sum::<f64>());
        for &(_, a) in &self.order {
            ecr += self.step_cost[a] * reach;
            for &(c, f) in &kb.actions[a].fixes {
                reach -= p[c] * self.survive[c] * f;
                self.survive[c] *= 1.0 - f;
            }
            if reach <= 0.0 {
                break;
            }
        }
        ecr
    }

    /// Expected cost to go from beliefs `p`, looking `depth` moves ahead.
    fn value(&mut self, p: &[f64], open: &[usize], asked: &mut [bool], depth: usize) -> f64 {
        let ecr = self.ecr(p, open);
        if depth == 0 || open.is_empty() {
            return ecr;
        }
        let mut one = std::mem::take(&mut self.ranked[depth]);
        self.one_move(p, open, asked, ecr, &mut one);
        let v = self.value_given(p, open, asked, depth, ecr, &one);
        self.ranked[depth] = one;
        v
    }

    /// Every unasked question's one-move cost at `p`, as (−cost, question),
    /// best first.
    fn one_move(&mut self, p: &[f64], open: &[usize], asked: &mut [bool], ecr: f64, out: &mut Vec<(f64, usize)>) {
        out.clear();
        for q in 0..asked.len() {
            if !asked[q] {
                out.push((-self.ask(p, open, asked, q, 1, ecr, None), q));
            }
        }
        rank(out);
    }

    /// `value`, given the static cost `ecr` and the one-move question
    /// costs `one` at `p` (entries for questions asked since are skipped:
    /// a "not sure" leaves the beliefs, and so the other questions' one-move
    /// costs, as they were).
    fn value_given(&mut self, p: &[f64], open: &[usize], asked: &mut [bool], depth: usize, ecr: f64, one: &[(f64, usize)]) -> f64 {
        let mut best = ecr;
        let mut expanded = 0;
        for &(neg, q) in one {
            if asked[q] {
                continue;
            }
            best = best.min(-neg);
            if depth > 1 && expanded < self.qbeam {
                expanded += 1;
                best = best.min(self.ask(p, open, asked, q, depth, ecr, Some(one)));
            }
        }
        let mut steps = std::mem::take(&mut self.steps[depth]);
        self.most_efficient(p, open, &mut steps);
        for &(_, a) in steps.iter().take(self.sbeam) {
            best = best.min(self.act(p, open, asked, a, depth));
        }
        self.steps[depth] = steps;
        best
    }

    /// Open steps by efficiency under `p`, best first.
    fn most_efficient(&self, p: &[f64], open: &[usize], out: &mut Vec<(f64, usize)>) {
        out.clear();
        for &a in open {
            let gain: f64 = self.kb.actions[a].fixes.iter().map(|&(c, f)| p[c] * f).sum();
            out.push((gain / self.step_cost[a], a));
        }
        insertion_rank(out);
    }

    /// Expected cost of asking `q` now and going on `depth − 1` moves.
    /// `ecr_p` is the static plan's cost under `p`, `one` (if known) the
    /// one-move question costs there: what "not sure" leaves.
    #[allow(clippy::too_many_arguments)]
    fn ask(&mut self, p: &[f64], open: &[usize], asked: &mut [bool], q: usize, depth: usize, ecr_p: f64, one: Option<&[(f64, usize)]>) -> f64 {
        let kb = self.kb;
        asked[q] = true;
        // "Not sure": nothing learnt, one move spent.
        let unsure = match (depth, one) {
            (1, _) => ecr_p,
            (_, Some(one)) => self.value_given(p, open, asked, depth - 1, ecr_p, one),
            (_, None) => self.value(p, open, asked, depth - 1),
        };
        // A known answer also rules out the questions that would repeat it.
        let mut marked: [usize; 8] = [usize::MAX; 8];
        let mut n_marked = 0;
        for i in 0..self.dependents[q].len() {
            let d = self.dependents[q][i];
            if !asked[d] && n_marked < marked.len() {
                asked[d] = true;
                marked[n_marked] = d;
                n_marked += 1;
            }
        }
        let mut post = std::mem::take(&mut self.post[depth]);
        // The answers other questions offer inside this one (at most 8 are
        // weighed; `Kb::offered_answers` in a fixed array: no allocation in
        // the look-ahead's inner loop).
        let mut offered = [(0, 0); 8];
        let mut n_offered = 0;
        for (f, question) in kb.questions.iter().enumerate() {
            let Some(o) = &question.offered_in else { continue };
            for &j in &o.answers {
                if o.question == q && n_offered < offered.len() {
                    offered[n_offered] = (f, j);
                    n_offered += 1;
                }
            }
        }
        let k = self.p_known[q];
        // Each answer is a branch: the question's own (known with P k),
        // then those other questions offer inside it, for a merchant who
        // cannot give its own (1 − k, times that question's P(known)); the
        // rest is "not sure". (Offered shares add up: one offering question
        // in the KBs we know; with more, their overlap is ignored.)
        let (mut known, mut offered_known, mut unsure_share) = (0.0, 0.0, 1.0);
        let n_own = kb.questions[q].answers.len();
        for b in 0..n_own + n_offered {
            let (f, j, share) = if b < n_own { (q, b, 1.0) } else { (offered[b - n_own].0, offered[b - n_own].1, self.p_known[offered[b - n_own].0]) };
            let likelihood = std::mem::take(&mut self.answer_likelihood[f][j]);
            let mut pj = 0.0;
            for ((x, pc), l) in post.iter_mut().zip(p).zip(&likelihood) {
                *x = pc * l;
                pj += *x;
            }
            self.answer_likelihood[f][j] = likelihood;
            if b >= n_own {
                unsure_share -= share * pj;
            }
            if pj <= 0.0 {
                continue;
            }
            let v = if depth == 1 {
                // pj · ecr(post / pj), without the division.
                self.ecr(&post, open)
            } else {
                post.iter_mut().for_each(|x| *x /= pj);
                pj * self.value(&post, open, asked, depth - 1)
            };
            if b < n_own {
                known += v;
            } else {
                offered_known += share * v;
            }
        }
        self.post[depth] = post;
        for &d in &marked[..n_marked] {
            asked[d] = false;
        }
        asked[q] = false;
        kb.question_cost(q) + k * known + (1.0 - k) * (offered_known + unsure_share.max(0.0) * unsure)
    }

    /// Expected cost of doing step `a` now and going on `depth − 1` moves
    /// if it does not fix it.
    fn act(&mut self, p: &[f64], open: &[usize], asked: &mut [bool], a: usize, depth: usize) -> f64 {
        let kb = self.kb;
        let mut post = std::mem::take(&mut self.post[depth]);
        post.copy_from_slice(p);
        for &(c, f) in &kb.actions[a].fixes {
            post[c] *= 1.0 - f;
        }
        let fail: f64 = post.iter().sum();
        let mut rest = std::mem::take(&mut self.open[depth]);
        rest.clear();
        rest.extend(open.iter().copied().filter(|&o| o != a));
        let after = if fail > 1e-12 {
            post.iter_mut().for_each(|x| *x /= fail);
            fail * self.value(&post, &rest, asked, depth - 1)
        } else {
            0.0
        };
        self.post[depth] = post;
        self.open[depth] = rest;
        kb.action_cost(a) + after
    }
}

/// `rank` for the short lists of the look-ahead's inner loop: the same
/// order (value highest first, ties by index), by insertion.
fn insertion_rank(items: &mut [(f64, usize)]) {
    for i in 1..items.len() {
        let x = items[i];
        let mut j = i;
        while j > 0 && (items[j - 1].0 < x.0 || (items[j - 1].0 == x.0 && items[j - 1].1 > x.1)) {
            items[j] = items[j - 1];
            j -= 1;
        }
        items[j] = x;
    }
}

/// Rough work of a decision looking `depth` moves ahead: plan evaluations
/// (each over the open steps and the causes) the search makes, with
/// `answers` the mean number of answers per question.
fn work(unasked: usize, answers: f64, open: usize, causes: usize, depth: usize) -> f64 {
    let one = unasked as f64 * answers + STEP_BEAM as f64;
    let two = one + QUESTION_BEAM as f64 * (answers * one + 1.0) + STEP_BEAM as f64 * one;
    let evals = match depth {
        0 | 1 => one,
        2 => one + TOP_BEAM as f64 * (answers + 1.0) * one + one,
        _ => one + TOP_BEAM as f64 * (answers + 1.0) * two + two,
    };
    evals * (open + causes) as f64
}

/// The question worth asking now, if any: the one whose look-ahead cost is
/// lowest, when that is below the cost of doing the plan's first step now
/// (with the same look-ahead after it).
/// The numbers behind the choice between asking and acting: what the
/// decision compares, so `posdoctor session --explain` prints exactly them.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionScores {
    /// How many moves the look-ahead saw (fewer when the KB is large).
    pub depth: usize,
    /// Expected cost of doing the next step now (and asking later if it pays).
    pub act_now: f64,
    /// Each question not yet asked, in the look-ahead's order: (question,
    /// expected cost if asked now one move ahead, and at full depth for the
    /// first `beam`).
    pub asked: Vec<(usize, f64, Option<f64>)>,
    /// Only the first `beam` questions compete (at depth 1, all of them).
    pub beam: usize,
}

impl QuestionScores {
    /// The question to ask: the cheapest whose expected cost beats acting now.
    pub fn best(&self) -> Option<usize> {
        let mut best: Option<(usize, f64)> = None;
        for &(q, shallow, deep) in self.asked.iter().take(self.beam) {
            let cost = deep.unwrap_or(shallow);
            if cost < self.act_now - MIN_SAVING && best.is_none_or(|(_, b)| cost < b) {
                best = Some((q, cost));
            }
        }
        best.map(|(q, _)| q)
    }
}

fn best_question(kb: &Kb, ev: &Evidence, opened: bool, p: &[f64], open: &[usize], first: usize) -> Option<usize> {
    question_scores_of(kb, ev, opened, p, open, first).and_then(|s| s.best())
}

fn question_scores_of(kb: &Kb, ev: &Evidence, opened: bool, p: &[f64], open: &[usize], first: usize) -> Option<QuestionScores> {
    // A question offered inside another is never asked on its own.
    let mut asked: Vec<bool> = kb.questions.iter().map(|q| q.offered_in.is_some()).collect();
    for &(q, answer) in &ev.answers {
        asked[q] = true;
        if answer.is_some() {
            for (d, question) in kb.questions.iter().enumerate() {
                if question.skip_if_known.contains(&q) {
                    asked[d] = true;
                }
            }
        }
    }
    let unasked = asked.iter().filter(|a| !**a).count();
    if unasked == 0 {
        return None;
    }
    let answers = kb.questions.iter().map(|q| q.answers.len()).sum::<usize>() as f64 / kb.questions.len() as f64;
    let mut depth = DEPTH;
    while depth > 1 && work(unasked, answers, open.len(), kb.causes.len(), depth) > WORK_LIMIT {
        depth -= 1;
    }
    let mut search = Search::new(kb, depth, opened);
    let ecr_now = search.ecr(p, open);
    let act_now = search.act(p, open, &mut asked, first, depth).min(ecr_now);
    // Every question one move ahead first; the best few then at full depth.
    let mut ranked: Vec<(f64, usize)> = Vec::with_capacity(unasked);
    search.one_move(p, open, &mut asked, ecr_now, &mut ranked);
    let beam = if depth > 1 { TOP_BEAM } else { ranked.len() };
    let mut scored = Vec::with_capacity(ranked.len());
    for (i, &(shallow, q)) in ranked.iter().enumerate() {
        let deep = (depth > 1 && i < beam).then(|| search.ask(p, open, &mut asked, q, depth, ecr_now, Some(&ranked)));
        // One move ahead, `shallow` is minus the expected cost of asking.
        scored.push((q, -shallow, deep));
    }
    Some(QuestionScores { depth, act_now, asked: scored, beam })
}

/// The numbers `decide` (or, with `opened`, `decide_after_opening`) weighs
/// when choosing between asking a question and doing the plan's first step;
/// `None` when no question is left or no step is open.
pub fn question_scores(kb: &Kb, ev: &Evidence, opened: bool) -> Option<QuestionScores> {
    let p = beliefs(kb, ev);
    let (SafePlan { plan, .. }, allowed) = safe_plan_of(kb, ev, &p, open_actions(kb, ev));
    let first = plan.first()?.action;
    question_scores_of(kb, ev, opened, &p, &allowed, first)
}

/// The plan after the safety rules, and what they decided.
#[derive(Debug, Clone, PartialEq)]
pub struct SafePlan {
    /// Open steps no rule holds back, in plan order.
    pub plan: Vec<PlanStep>,
    pub ecr: f64,
    /// Open steps a rule holds back, with the reason.
    pub blocked: Vec<(usize, Block)>,
    /// A held-back step would come first were it not held back, and this
    /// lifts its rule (if it is the verify step, it leads the plan).
    pub lift: Option<safety::Lift>,
}

/// Efficiency of step `a` under beliefs `p`: P(fixed) / cost.
fn efficiency(kb: &Kb, p: &[f64], a: usize) -> f64 {
    let mut gain = 0.0;
    for &(c, f) in &kb.actions[a].fixes {
        gain += p[c] * f;
    }
    gain / kb.action_cost(a)
}

/// The steps still open that no safety rule holds back, ranked, before any
/// question is weighed (`decide` adds the look-ahead and the questions the
/// rules ask first). `p` are the beliefs under `ev`, `open` its open steps.
fn safe_plan_of(kb: &Kb, ev: &Evidence, p: &[f64], open: Vec<usize>) -> (SafePlan, Vec<usize>) {
    let mut blocked = Vec::new();
    let mut allowed = Vec::with_capacity(open.len());
    // The plan's first step is the most efficient allowed one (ties by KB
    // order: `open` is ascending).
    let mut top: Option<(f64, usize)> = None;
    for &a in &open {
        if let Some(why) = safety::block_of(kb, ev, a) {
            blocked.push((a, why));
        } else {
            allowed.push(a);
            let e = efficiency(kb, p, a);
            if top.is_none_or(|(t, _)| e > t) {
                top = Some((e, a));
            }
        }
    }
    // A held-back step ahead of that one would lead were it not held back:
    // of those whose rule can be lifted now, the most efficient decides
    // what comes first.
    let mut lead: Option<(f64, safety::Lift)> = None;
    for &(b, _) in &blocked {
        let e = efficiency(kb, p, b);
        let ahead = top.is_none_or(|(t, ta)| e > t || (e == t && b < ta));
        if ahead && lead.is_none_or(|(l, _)| e > l) {
            if let Some(lift) = safety::lift_of(kb, ev, &allowed, safety::rules_holding(kb, ev, b)) {
                lead = Some((e, lift));
            }
        }
    }
    let lift = lead.map(|(_, lift)| lift);
    let first = match lift {
        Some(safety::Lift::Do(a)) => Some(a),
        _ => None,
    };
    let (plan, ecr) = plan_from(kb, p, &allowed, first);
    (SafePlan { plan, ecr, blocked, lift }, allowed)
}

/// The plan after the safety rules for this evidence (no look-ahead): what
/// `decide` ranks its steps by. `eval`'s oracle follows its first step.
pub fn safe_plan(kb: &Kb, ev: &Evidence) -> SafePlan {
    let p = beliefs(kb, ev);
    safe_plan_of(kb, ev, &p, open_actions(kb, ev)).0
}

/// The engine's one recommendation, with the beliefs and plan behind it.
/// Safety rules come first: held-back steps are in no plan and no
/// look-ahead; what lifts a rule (the fee question when it is worth
/// asking, `lift_worth_asking`), or a question the rules read (the `paid`
/// fact, the `untrusted` ones) before a paying step, is asked or done
/// before the step.
pub fn decide(kb: &Kb, ev: &Evidence) -> Decision {
    decide_for(kb, ev, false)
}

/// `decide` for a merchant who told at least one fact on the
/// say-what-you-know screen (chips or their own words; not facts from a
/// deep link): the facts that screen offered and they did not tell are
/// less likely known (`p_known`), so asking them is worth less.
pub fn decide_after_opening(kb: &Kb, ev: &Evidence) -> Decision {
    decide_for(kb, ev, true)
}

/// Whether asking `q`, the question that can lift a safety rule (which fee
/// was paid), is worth its cost: its answers may allow held-back steps, which
/// the look-ahead (over the allowed steps only) cannot see. Compared as
/// `question_saving` does, with the steps each answer allows: asking is
/// never needed for safety (not asking keeps the steps held back), so it
/// is weighed like any other question. A known approximation: the two
/// expected costs are over different step sets, and `ecr_static` charges
/// nothing for the belief no step reaches, so a held-back step counts only
/// where it would rank ahead of an allowed one, never for the causes only
/// it fixes; the question then waits until the allowed steps run out.
fn lift_worth_asking(kb: &Kb, ev: &Evidence, opened: bool, p: &[f64], allowed: &[usize], q: usize) -> bool {
    let mut scratch = Vec::new();
    let stay = ecr_static(kb, p, allowed, &mut scratch);
    let open = open_actions(kb, ev);
    let mut told = ev.clone();
    told.answers.push((q, None));
    let mut known = 0.0;
    for (j, pj, post) in answer_branches(kb, p, q) {
        if let Some(last) = told.answers.last_mut() {
            *last = (q, Some(j));
        }
        let allowed_after: Vec<usize> = open.iter().copied().filter(|&a| safety::block_of(kb, &told, a).is_none()).collect();
        known += pj * ecr_static(kb, &post, &allowed_after, &mut scratch);
    }
    let k = p_known(kb, q, opened);
    kb.question_cost(q) + k * known + (1.0 - k) * stay < stay - MIN_SAVING
}

fn decide_for(kb: &Kb, ev: &Evidence, opened: bool) -> Decision {
    let p = beliefs(kb, ev);
    let (SafePlan { plan, ecr, blocked, lift }, allowed) = safe_plan_of(kb, ev, &p, open_actions(kb, ev));
    let ask_to_lift = match lift {
        Some(safety::Lift::Ask(q)) if allowed.is_empty() || lift_worth_asking(kb, ev, opened, &p, &allowed, q) => Some(q),
        _ => None,
    };
    let next = if let Some(&(a, _)) = ev.outcomes.iter().find(|(_, o)| *o == Outcome::Fixed) {
        Next::Resolved(a)
    } else if allowed.is_empty() {
        ask_to_lift.map_or(Next::Exhausted, Next::Question)
    } else {
        let first = plan[0].action;
        match best_question(kb, ev, opened, &p, &allowed, first).or(ask_to_lift).or_else(|| safety::ask_before_paying(kb, ev, &p, first)) {
            Some(q) => Next::Question(q),
            None => Next::Step(first),
        }
    };
    Decision { beliefs: p, plan, next, ecr, blocked }
}

/// The look-ahead's insides, for tests/engine_invariants.rs only (not an
/// API): its own sort and its own expected cost of repair, which must
/// agree with `rank` and `ecr_static`.
#[doc(hidden)]
pub mod probe {
    use super::{insertion_rank, Search};
    use crate::kb::Kb;

    pub fn look_ahead_rank(items: &mut [(f64, usize)]) {
        insertion_rank(items)
    }

    /// The expected cost of repair the look-ahead values its leaves by.
    pub fn look_ahead_ecr(kb: &Kb, p: &[f64], open: &[usize]) -> f64 {
        Search::new(kb, 1, false).ecr(p, open)
    }
}
