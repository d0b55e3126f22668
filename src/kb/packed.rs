//! A compact binary form of a validated knowledge base, for the browser:
//! the build packs the default KB once (`posdoctor pack`), so phones
//! neither download nor run a JSON parser and validator for it. Provider
//! KBs from `kb-url` are validated (by the validator module) and packed the
//! same way. Probabilities stay exact f64, so the browser decides exactly
//! as `posdoctor eval` does.
//!
//! `decode` checks everything the engine relies on (indices in range, rows
//! of the right length, probabilities in [0, 1]) and never panics.

use super::{Action, Answer, Cause, CostModel, Kb, Question, Text, TextList, Tip};

const MAGIC: &[u8; 4] = b"PDKB";
const VERSION: u8 = 2;

struct Writer(Vec<u8>);

impl Writer {
    fn n(&mut self, mut x: usize) {
        loop {
            let b = (x & 0x7f) as u8;
            x >>= 7;
            if x == 0 {
                self.0.push(b);
                return;
            }
            self.0.push(b | 0x80);
        }
    }
    fn s(&mut self, s: &str) {
        self.n(s.len());
        self.0.extend_from_slice(s.as_bytes());
    }
    fn t(&mut self, t: &Text) {
        self.s(&t.zh);
        self.s(&t.en);
    }
    fn f(&mut self, x: f64) {
        self.0.extend_from_slice(&x.to_le_bytes());
    }
    fn opt_t(&mut self, t: &Option<Text>) {
        match t {
            Some(t) => {
                self.0.push(1);
                self.t(t);
            }
            None => self.0.push(0),
        }
    }
}

pub fn encode(kb: &Kb) -> Vec<u8> {
    let mut w = Writer(MAGIC.to_vec());
    w.0.push(VERSION);
    w.s(&kb.id);
    w.s(&kb.version);
    w.t(&kb.title);
    w.f(kb.cost_model.per_step);
    w.f(kb.cost_model.per_minute);
    w.n(kb.causes.len());
    for c in &kb.causes {
        w.s(&c.id);
        w.0.push(u8::from(c.seed));
        w.t(&c.name);
        w.t(&c.detail);
        w.f(c.prior);
    }
    w.n(kb.questions.len());
    for q in &kb.questions {
        w.s(&q.id);
        w.t(&q.text);
        w.opt_t(&q.help);
        w.f(q.p_known);
        w.f(q.minutes);
        w.n(q.answers.len());
        for a in &q.answers {
            w.s(&a.value);
            w.t(&a.text);
            match &a.picture {
                Some(p) => {
                    w.0.push(1);
                    w.s(p);
                }
                None => w.0.push(0),
            }
        }
        // Most causes share the default row: store distinct rows once.
        let mut rows: Vec<&Vec<f64>> = Vec::new();
        let index: Vec<usize> = q
            .likelihood
            .iter()
            .map(|row| match rows.iter().position(|r| *r == row) {
                Some(i) => i,
                None => {
                    rows.push(row);
                    rows.len() - 1
                }
            })
            .collect();
        w.n(rows.len());
        for row in &rows {
            row.iter().for_each(|&p| w.f(p));
        }
        index.iter().for_each(|&i| w.n(i));
        w.n(q.skip_if_known.len());
        q.skip_if_known.iter().for_each(|&o| w.n(o));
    }
    w.n(kb.actions.len());
    for a in &kb.actions {
        w.s(&a.id);
        w.t(&a.title);
        for list in [&a.how.zh, &a.how.en] {
            w.n(list.len());
            list.iter().for_each(|s| w.s(s));
        }
        w.t(&a.why);
        w.f(a.minutes);
        w.n(a.fixes.len());
        for &(c, p) in &a.fixes {
            w.n(c);
            w.f(p);
        }
    }
    w.n(kb.tips.len());
    for t in &kb.tips {
        w.s(&t.id);
        w.t(&t.text);
        w.n(t.causes.len());
        t.causes.iter().for_each(|&c| w.n(c));
    }
    w.0
}

struct Reader<'a> {
    bytes: &'a [u8],
}

/// Lists longer than this are not a knowledge base but damage.
const MAX_LEN: usize = 1 << 20;

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Option<u8> {
        let (&b, rest) = self.bytes.split_first()?;
        self.bytes = rest;
        Some(b)
    }
    fn n(&mut self) -> Option<usize> {
        let mut x: usize = 0;
        for shift in (0..35).step_by(7) {
            let b = self.byte()?;
            x |= usize::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return (x <= MAX_LEN).then_some(x);
            }
        }
        None
    }
    fn take(&mut self, len: usize) -> Option<&'a [u8]> {
        if self.bytes.len() < len {
            return None;
        }
        let (head, rest) = self.bytes.split_at(len);
        self.bytes = rest;
        Some(head)
    }
    fn s(&mut self) -> Option<String> {
        let len = self.n()?;
        String::from_utf8(self.take(len)?.to_vec()).ok()
    }
    fn t(&mut self) -> Option<Text> {
        Some(Text { zh: self.s()?, en: self.s()? })
    }
    fn f(&mut self) -> Option<f64> {
        let b: [u8; 8] = self.take(8)?.try_into().ok()?;
        let x = f64::from_le_bytes(b);
        x.is_finite().then_some(x)
    }
    fn p(&mut self) -> Option<f64> {
        self.f().filter(|x| (0.0..=1.0).contains(x))
    }
    fn flag(&mut self) -> Option<bool> {
        match self.byte()? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }
}

/// Decodes a packed knowledge base; `None` for anything damaged.
pub fn decode(bytes: &[u8]) -> Option<Kb> {
    let mut r = Reader { bytes };
    if r.take(4)? != MAGIC || r.byte()? != VERSION {
        return None;
    }
    let id = r.s()?;
    let version = r.s()?;
    let title = r.t()?;
    let cost_model = CostModel { per_step: r.f()?, per_minute: r.f()? };
    if cost_model.per_step < 0.0 || cost_model.per_minute < 0.0 || cost_model.per_step + cost_model.per_minute <= 0.0 {
        return None;
    }
    let n_causes = r.n()?;
    if n_causes == 0 {
        return None;
    }
    let mut causes = Vec::new();
    for _ in 0..n_causes {
        let cause = Cause { id: r.s()?, seed: r.flag()?, name: r.t()?, detail: r.t()?, prior: r.p()? };
        if cause.prior <= 0.0 {
            return None;
        }
        causes.push(cause);
    }
    let mut questions = Vec::new();
    for _ in 0..r.n()? {
        let id = r.s()?;
        let text = r.t()?;
        let help = if r.flag()? { Some(r.t()?) } else { None };
        let p_known = r.p()?;
        let minutes = r.f()?.max(0.0);
        let n_answers = r.n()?;
        if n_answers == 0 {
            return None;
        }
        let mut answers = Vec::new();
        for _ in 0..n_answers {
            let value = r.s()?;
            let text = r.t()?;
            let picture = if r.flag()? { Some(r.s()?) } else { None };
            answers.push(Answer { value, text, picture });
        }
        let mut rows = Vec::new();
        for _ in 0..r.n()? {
            let row: Option<Vec<f64>> = (0..n_answers).map(|_| r.p()).collect();
            let row = row?;
            if (row.iter().sum::<f64>() - 1.0).abs() > 1e-6 {
                return None;
            }
            rows.push(row);
        }
        let likelihood: Option<Vec<Vec<f64>>> = (0..n_causes).map(|_| rows.get(r.n()?).cloned()).collect();
        let skip_if_known: Option<Vec<usize>> = (0..r.n()?).map(|_| r.n()).collect();
        questions.push(Question { id, text, help, p_known, minutes, answers, likelihood: likelihood?, skip_if_known: skip_if_known? });
    }
    // Skips point at other questions.
    let n_questions = questions.len();
    if questions.iter().enumerate().any(|(i, q)| q.skip_if_known.iter().any(|&o| o >= n_questions || o == i)) {
        return None;
    }
    let mut actions = Vec::new();
    for _ in 0..r.n()? {
        let id = r.s()?;
        let title = r.t()?;
        let mut lists = [Vec::new(), Vec::new()];
        for list in &mut lists {
            for _ in 0..r.n()? {
                list.push(r.s()?);
            }
        }
        let [zh, en] = lists;
        let why = r.t()?;
        let minutes = r.f()?;
        if minutes <= 0.0 {
            return None;
        }
        let mut fixes = Vec::new();
        for _ in 0..r.n()? {
            let c = r.n()?;
            let p = r.p()?;
            if c >= n_causes || fixes.last().is_some_and(|&(last, _)| last >= c) {
                return None;
            }
            fixes.push((c, p));
        }
        actions.push(Action { id, title, how: TextList { zh, en }, why, minutes, fixes });
    }
    if actions.is_empty() {
        return None;
    }
    let mut tips = Vec::new();
    for _ in 0..r.n()? {
        let id = r.s()?;
        let text = r.t()?;
        let causes: Option<Vec<usize>> = (0..r.n()?).map(|_| r.n().filter(|&c| c < n_causes)).collect();
        tips.push(Tip { id, text, causes: causes? });
    }
    if !r.bytes.is_empty() {
        return None;
    }
    Some(Kb { id, version, title, cost_model, causes, questions, actions, tips })
}
