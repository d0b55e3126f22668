//! Measurements for `posdoctor bench`: engine decision time on the default
//! knowledge base and on synthetic ones of growing size, and decision
//! quality against the optimal policy on small random knowledge bases, and
//! the extractor's time on a 300-character story.
//! Medians of repeated runs; nothing here is a test.

use crate::engine::{beliefs, decide, Evidence, Next, Outcome};
use crate::kb::{Action, Answer, Cause, CostModel, Kb, Question, Text, TextList};
use std::time::Instant;

/// A small deterministic generator (xorshift), so every run measures the
/// same knowledge bases.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    /// Uniform in [0, 1).
    pub fn f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
}

fn text(s: &str) -> Text {
    Text { zh: s.into(), en: s.into() }
}

/// A synthetic step: only its cost and what it fixes matter here.
fn action(id: String, minutes: f64, fixes: Vec<(usize, f64)>) -> Action {
    Action { id, title: text("a"), how: TextList { zh: vec!["x".into()], en: vec!["x".into()] }, why: text("a"), minutes, fixes, pays: None, shows: None }
}

/// A synthetic knowledge base shaped like a real one: each action fixes a
/// few causes, one last-resort action fixes every cause, each question has
/// three answers and informs about a handful of causes.
pub fn synthetic_kb(causes: usize, actions: usize, questions: usize, seed: u64) -> Kb {
    let mut rng = Rng::new(seed);
    let causes_v: Vec<Cause> = (0..causes)
        .map(|i| Cause { id: format!("c{i}"), seed: true, name: text("c"), detail: text("c"), prior: 0.1 + rng.f64() })
        .collect();
    let mut actions_v: Vec<Action> = (0..actions.saturating_sub(1))
        .map(|i| {
            let mut fixes: Vec<(usize, f64)> = Vec::new();
            // Every cause is fixable by some ordinary action.
            for c in (i..causes).step_by(actions.max(2) - 1) {
                fixes.push((c, 0.5 + 0.5 * rng.f64()));
            }
            for _ in 0..2 {
                let c = rng.below(causes);
                if !fixes.iter().any(|f| f.0 == c) {
                    fixes.push((c, 0.1 + 0.5 * rng.f64()));
                }
            }
            fixes.sort_by_key(|f| f.0);
            action(format!("a{i}"), 1.0 + 20.0 * rng.f64(), fixes)
        })
        .collect();
    // The last resort fixes every cause, at a price.
    actions_v.push(action("contact".into(), 40.0, (0..causes).map(|c| (c, 0.8)).collect()));
    let questions_v: Vec<Question> = (0..questions)
        .map(|i| {
            let mut likelihood = vec![vec![0.6, 0.3, 0.1]; causes];
            for _ in 0..(causes / 10).clamp(2, 10) {
                let (a, b) = (rng.f64(), rng.f64());
                let (lo, hi) = if a < b { (a, b) } else { (b, a) };
                likelihood[rng.below(causes)] = vec![lo, hi - lo, 1.0 - hi];
            }
            Question {
                id: format!("q{i}"),
                text: text("q"),
                help: None,
                p_known: 0.3 + 0.7 * rng.f64(),
                minutes: 0.5,
                answers: (0..3).map(|j| Answer { value: format!("v{j}"), text: text("v"), picture: None }).collect(),
                likelihood,
                skip_if_known: Vec::new(),
                offered_in: None,
            }
        })
        .collect();
    Kb {
        id: format!("synthetic-{causes}"),
        version: "1".into(),
        title: text("synthetic"),
        cost_model: CostModel { per_step: 1.0, per_minute: 0.2 },
        causes: causes_v,
        questions: questions_v,
        actions: actions_v,
        tips: vec![],
        observations: vec![],
        safety: None,
        shop_words: Default::default(),
    }
}

/// Median wall time of `decide` in microseconds, over `runs` runs, on a
/// mid-session state (one answer, one failed step) so that no shortcut
/// applies.
pub fn time_decision(kb: &Kb, runs: usize) -> f64 {
    let mut ev = Evidence::default();
    if !kb.questions.is_empty() {
        ev.answers.push((0, Some(0)));
    }
    ev.outcomes.push((0, Outcome::NotFixed));
    let mut times: Vec<f64> = (0..runs.max(1))
        .map(|_| {
            let t = Instant::now();
            let d = decide(kb, &ev);
            std::hint::black_box(&d);
            t.elapsed().as_secs_f64() * 1e6
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

/// Expected cost of repair of the engine's policy (no questions) against
/// the optimal order, by brute force, on a random small KB where several
/// steps may address the same cause. Returns (engine, optimal).
pub fn quality_case(rng: &mut Rng) -> (f64, f64) {
    let causes = 2 + rng.below(4);
    let actions = 2 + rng.below(5);
    let mut kb = synthetic_kb(causes, 1, 0, rng.next_u64());
    kb.actions.clear();
    for i in 0..actions {
        let mut fixes: Vec<(usize, f64)> = Vec::new();
        for c in 0..causes {
            if rng.f64() < 0.4 || c == i % causes {
                fixes.push((c, 0.1 + 0.9 * rng.f64()));
            }
        }
        kb.actions.push(action(format!("a{i}"), 1.0 + 10.0 * rng.f64(), fixes));
    }
    let p = beliefs(&kb, &Evidence::default());
    // The engine's policy: decide, fail, decide again.
    let mut ev = Evidence::default();
    let mut order = Vec::new();
    while let Next::Step(a) = decide(&kb, &ev).next {
        order.push(a);
        ev.outcomes.push((a, Outcome::NotFixed));
    }
    let engine = ecr_of(&kb, &p, &order);
    let mut best = f64::INFINITY;
    permute(&mut (0..actions).collect::<Vec<_>>(), 0, &mut |o| best = best.min(ecr_of(&kb, &p, o)));
    (engine, best)
}

fn ecr_of(kb: &Kb, p: &[f64], order: &[usize]) -> f64 {
    let mut survive = p.to_vec();
    let mut ecr = 0.0;
    for &a in order {
        ecr += kb.action_cost(a) * survive.iter().sum::<f64>();
        for &(c, f) in &kb.actions[a].fixes {
            survive[c] *= 1.0 - f;
        }
    }
    ecr
}

fn permute(items: &mut Vec<usize>, k: usize, visit: &mut dyn FnMut(&[usize])) {
    if k == items.len() {
        visit(items);
        return;
    }
    for i in k..items.len() {
        items.swap(k, i);
        permute(items, k + 1, visit);
        items.swap(k, i);
    }
}

/// Stories of about 300 characters for timing the extractor, written to
/// touch many rules at once (clauses, negation, reported speech, times).
/// Not tuning data.
pub const EXTRACT_STORIES: [(crate::kb::Lang, &str); 2] = [
    (
        crate::kb::Lang::Zh,
        "师傅你好，我是城南开小超市的，机器是去年找业务员办的。我这台POS机昨天在App里续费了，显示支付成功，钱也扣了一百九十八，可是今天早上开店还是提示已停机。我重启过两次，信号是满格的，连的不是Wi-Fi是插的流量卡。客服说可能要等几个小时，让我再重启一下试试，但是到现在三个多小时了还是不行。屏幕上也没有别的提示，就写着停机。我不知道是不是要签到，也没看到要升级的提示。之前从来没遇到过这种情况，机器一直天天在用，上个月还刷了好多笔。银行那边我问了，说没有维护。我也没有收到什么短信或者电话，就是自己在官方App里交的。麻烦帮我看看到底怎么回事，店里客人在等着刷卡，急死了，谢谢！咋整啊，木有办法了",
    ),
    (
        crate::kb::Lang::En,
        "Hi, I renewed the terminal in the official app yesterday and it went through, the money was taken, but the screen still says suspended. I've restarted it twice and it shows full bars. It uses the SIM, not wifi. Support said I should wait a few hours, but it's been more than three hours now. I didn't get any text or call, I paid in the app myself.",
    ),
];

/// Median wall time of `Cues::new` in microseconds, over `runs`: what the
/// extractor module does once when it loads, before it reads any word.
pub fn time_preparing_cues(kb: &Kb, runs: usize) -> f64 {
    let mut times: Vec<f64> = (0..runs.max(1))
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(crate::extract::Cues::new(kb));
            t.elapsed().as_secs_f64() * 1e6
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

/// Median wall time of `extract_with` in microseconds on `text`, over
/// `runs`, as the page reads words: with the cue phrases of both languages,
/// prepared once (the extractor module does it when it loads).
pub fn time_extraction(kb: &Kb, text: &str, runs: usize) -> f64 {
    let cues = crate::extract::Cues::new(kb);
    let mut times: Vec<f64> = (0..runs.max(1))
        .map(|_| {
            let t = Instant::now();
            let e = crate::extract::extract_with(&cues, text, None);
            std::hint::black_box(&e);
            t.elapsed().as_secs_f64() * 1e6
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}
