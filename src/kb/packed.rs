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
const VERSION: u8 = 4;

/// The pack is five streams, one after the other, so that brotli sees like
/// beside like: the structure (counts and flags), the numbers, the ids, all
/// Chinese text and all English text; each string ends with END instead of
/// carrying its length. Version 3 interleaved them all with lengths: 10,432
/// B brotli against 9,242 B now for the default KB (measured).
const STRUCTURE: usize = 0;
const NUMBERS: usize = 1;
const IDS: usize = 2;
const ZH: usize = 3;
const EN: usize = 4;
const STREAMS: usize = 5;
/// Ends every string: a byte that never occurs in UTF-8.
const END: u8 = 0xff;

#[derive(Default)]
struct Writer([Vec<u8>; STREAMS]);

impl Writer {
    fn varint(&mut self, stream: usize, mut x: usize) {
        loop {
            let b = (x & 0x7f) as u8;
            x >>= 7;
            if x == 0 {
                self.0[stream].push(b);
                return;
            }
            self.0[stream].push(b | 0x80);
        }
    }
    fn n(&mut self, x: usize) {
        self.varint(STRUCTURE, x);
    }
    fn flag(&mut self, b: bool) {
        self.0[STRUCTURE].push(u8::from(b));
    }
    /// A string in `stream`, ended by END (no UTF-8 string holds it).
    fn str_in(&mut self, stream: usize, s: &str) {
        self.0[stream].extend_from_slice(s.as_bytes());
        self.0[stream].push(END);
    }
    fn s(&mut self, s: &str) {
        self.str_in(IDS, s);
    }
    fn t(&mut self, t: &Text) {
        self.str_in(ZH, &t.zh);
        self.str_in(EN, &t.en);
    }
    /// A number: as n / 10^k when that division gives exactly `x` (every
    /// short decimal the KB is written in: a few bytes that compress well),
    /// otherwise tag 0xff and the 8 bytes of the f64.
    fn f(&mut self, x: f64) {
        if x.is_sign_positive() {
            for (k, &ten) in POWERS_OF_TEN.iter().enumerate() {
                let n = (x * ten).round();
                // n up to MAX_LEN: what `Reader::n` accepts.
                if n <= MAX_LEN as f64 && n / ten == x {
                    self.0[NUMBERS].push(k as u8);
                    self.varint(NUMBERS, n as usize);
                    return;
                }
            }
        }
        self.0[NUMBERS].push(0xff);
        self.0[NUMBERS].extend_from_slice(&x.to_le_bytes());
    }
    fn opt_t(&mut self, t: &Option<Text>) {
        self.flag(t.is_some());
        if let Some(t) = t {
            self.t(t);
        }
    }
    /// Magic, version, the length of every stream but the last, the streams.
    fn finish(self) -> Vec<u8> {
        let mut head = Writer::default();
        for stream in &self.0[..STREAMS - 1] {
            head.n(stream.len());
        }
        let mut out = MAGIC.to_vec();
        out.push(VERSION);
        out.append(&mut head.0[STRUCTURE]);
        self.0.iter().for_each(|stream| out.extend_from_slice(stream));
        out
    }
}

pub fn encode(kb: &Kb) -> Vec<u8> {
    let mut w = Writer::default();
    w.s(&kb.id);
    w.s(&kb.version);
    w.t(&kb.title);
    w.f(kb.cost_model.per_step);
    w.f(kb.cost_model.per_minute);
    w.n(kb.causes.len());
    for c in &kb.causes {
        w.s(&c.id);
        w.flag(c.seed);
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
            w.flag(a.picture.is_some());
            if let Some(p) = &a.picture {
                w.s(p);
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
        for (stream, list) in [(ZH, &a.how.zh), (EN, &a.how.en)] {
            w.n(list.len());
            list.iter().for_each(|s| w.str_in(stream, s));
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
    w.finish()
}

/// Reads the packed form. A read past the end or a value out of range marks
/// the whole input damaged and empties it, so every later read fails at
/// once (and every later count is 0); `decode` checks `ok` at the end.
/// (No early returns: the wasm carries one exit instead of a clean-up path
/// for every partly built value.) Every list stops at the first damage
/// (`list`), so a damaged input costs no more work than its own length.
struct Reader<'a> {
    /// The structure stream; the others are cut from it by `decode`.
    bytes: &'a [u8],
    numbers: &'a [u8],
    ids: &'a [u8],
    zh: &'a [u8],
    en: &'a [u8],
    ok: bool,
}

/// Lists longer than this are not a knowledge base but damage.
const MAX_LEN: usize = 1 << 20;

/// 10^k, exact in an f64, for numbers written as n / 10^k.
const POWERS_OF_TEN: [f64; 16] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

// The three helpers below stay out of line: inlined at every call site
// they cost about 150 B brotli of wasm (measured).

/// The first `len` bytes of `stream`, which keeps the rest; short (and
/// `ok` false) when it has fewer. A damaged input's `ok` never comes back.
#[inline(never)]
fn split<'a>(stream: &mut &'a [u8], len: usize, ok: &mut bool) -> &'a [u8] {
    *ok &= stream.len() >= len;
    let (head, rest) = stream.split_at(len.min(stream.len()));
    *stream = rest;
    head
}

/// A varint from `stream`, at most `max`.
#[inline(never)]
fn varint(stream: &mut &[u8], ok: &mut bool, max: usize) -> usize {
    let mut x: usize = 0;
    for shift in (0..35).step_by(7) {
        let b = split(stream, 1, ok).first().copied().unwrap_or(0);
        x |= usize::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            *ok &= x <= max;
            return if *ok { x } else { 0 };
        }
    }
    *ok = false;
    0
}

/// A UTF-8 string from `stream`, up to its END.
#[inline(never)]
fn string(stream: &mut &[u8], ok: &mut bool) -> String {
    let len = stream.iter().position(|&b| b == END);
    *ok &= len.is_some();
    let text = String::from_utf8(split(stream, len.unwrap_or(0), ok).to_vec());
    *ok &= text.is_ok();
    split(stream, 1, ok);
    text.unwrap_or_default()
}

impl<'a> Reader<'a> {
    /// Marks the input damaged unless `good`.
    fn check(&mut self, good: bool) {
        if !good {
            self.ok = false;
            self.bytes = &[];
        }
    }
    fn take(&mut self, len: usize) -> &'a [u8] {
        let head = split(&mut self.bytes, len, &mut self.ok);
        self.check(self.ok);
        head
    }
    fn byte(&mut self) -> u8 {
        self.take(1).first().copied().unwrap_or(0)
    }
    fn n(&mut self) -> usize {
        let x = varint(&mut self.bytes, &mut self.ok, MAX_LEN);
        self.check(self.ok);
        x
    }
    fn s(&mut self) -> String {
        string(&mut self.ids, &mut self.ok)
    }
    fn zh(&mut self) -> String {
        string(&mut self.zh, &mut self.ok)
    }
    fn en(&mut self) -> String {
        string(&mut self.en, &mut self.ok)
    }
    fn t(&mut self) -> Text {
        Text { zh: self.zh(), en: self.en() }
    }
    fn f(&mut self) -> f64 {
        let k = split(&mut self.numbers, 1, &mut self.ok).first().copied().unwrap_or(0);
        let x = if k == 0xff {
            let mut b = [0u8; 8];
            let bytes = split(&mut self.numbers, 8, &mut self.ok);
            if bytes.len() == 8 {
                b.copy_from_slice(bytes);
            }
            f64::from_le_bytes(b)
        } else {
            self.check(usize::from(k) < POWERS_OF_TEN.len());
            varint(&mut self.numbers, &mut self.ok, MAX_LEN) as f64 / POWERS_OF_TEN[usize::from(k).min(POWERS_OF_TEN.len() - 1)]
        };
        self.check(x.is_finite());
        x
    }
    fn p(&mut self) -> f64 {
        let x = self.f();
        self.check((0.0..=1.0).contains(&x));
        x
    }
    /// `n` items read by `item`, stopping at the first damage (so a
    /// damaged count costs no more work than the input's own length).
    fn list<T>(&mut self, n: usize, mut item: impl FnMut(&mut Self) -> T) -> Vec<T> {
        let mut items = Vec::new();
        for _ in 0..n {
            if !self.ok {
                break;
            }
            items.push(item(self));
        }
        items
    }
    /// A count, then that many items.
    fn counted<T>(&mut self, item: impl FnMut(&mut Self) -> T) -> Vec<T> {
        let n = self.n();
        self.list(n, item)
    }
    fn flag(&mut self) -> bool {
        let b = self.byte();
        self.check(b <= 1);
        b == 1
    }
}

/// Decodes a packed knowledge base; `None` for anything damaged.
pub fn decode(bytes: &[u8]) -> Option<Kb> {
    let mut r = Reader { bytes, numbers: &[], ids: &[], zh: &[], en: &[], ok: true };
    let magic = r.take(4) == MAGIC;
    r.check(magic);
    let version = r.byte();
    r.check(version == VERSION);
    // The streams follow the header; every length but the last is given.
    // A stream may be longer than any one list or string (MAX_LEN).
    let mut length = || varint(&mut r.bytes, &mut r.ok, usize::MAX);
    let lengths = [length(), length(), length(), length()];
    let mut rest = r.bytes;
    r.bytes = split(&mut rest, lengths[STRUCTURE], &mut r.ok);
    r.numbers = split(&mut rest, lengths[NUMBERS], &mut r.ok);
    r.ids = split(&mut rest, lengths[IDS], &mut r.ok);
    r.zh = split(&mut rest, lengths[ZH], &mut r.ok);
    r.en = rest;
    r.check(r.ok);
    let id = r.s();
    let version = r.s();
    let title = r.t();
    let cost_model = CostModel { per_step: r.f(), per_minute: r.f() };
    r.check(cost_model.per_step >= 0.0 && cost_model.per_minute >= 0.0 && cost_model.per_step + cost_model.per_minute > 0.0);
    let n_causes = r.n();
    r.check(n_causes > 0);
    let causes = r.list(n_causes, |r| {
        let cause = Cause { id: r.s(), seed: r.flag(), name: r.t(), detail: r.t(), prior: r.p() };
        r.check(cause.prior > 0.0);
        cause
    });
    let questions = r.counted(|r| {
        let id = r.s();
        let text = r.t();
        let help = r.flag().then(|| r.t());
        let p_known = r.p();
        let minutes = r.f().max(0.0);
        let n_answers = r.n();
        r.check(n_answers > 0);
        let answers = r.list(n_answers, |r| Answer { value: r.s(), text: r.t(), picture: r.flag().then(|| r.s()) });
        let rows = r.counted(|r| {
            let row = r.list(n_answers, Reader::p);
            r.check((row.iter().sum::<f64>() - 1.0).abs() <= 1e-6);
            row
        });
        let likelihood = r.list(n_causes, |r| {
            let row = r.n();
            r.check(row < rows.len());
            rows.get(row).cloned().unwrap_or_default()
        });
        let skip_if_known = r.counted(Reader::n);
        Question { id, text, help, p_known, minutes, answers, likelihood, skip_if_known }
    });
    // Skips point at other questions.
    let n_questions = questions.len();
    let skips_ok = questions.iter().enumerate().all(|(i, q)| q.skip_if_known.iter().all(|&o| o < n_questions && o != i));
    r.check(skips_ok);
    let actions = r.counted(|r| {
        let id = r.s();
        let title = r.t();
        let how = TextList { zh: r.counted(Reader::zh), en: r.counted(Reader::en) };
        let why = r.t();
        let minutes = r.f();
        r.check(minutes > 0.0);
        let fixes = r.counted(|r| (r.n(), r.p()));
        // Causes in range and in increasing order (the engine looks them up).
        let in_order = fixes.iter().all(|&(c, _)| c < n_causes) && fixes.windows(2).all(|w| w[0].0 < w[1].0);
        r.check(in_order);
        Action { id, title, how, why, minutes, fixes, pays: None }
    });
    r.check(!actions.is_empty());
    let tips = r.counted(|r| {
        let id = r.s();
        let text = r.t();
        let causes = r.counted(Reader::n);
        let in_range = causes.iter().all(|&c| c < n_causes);
        r.check(in_range);
        Tip { id, text, causes }
    });
    let read_all = [r.bytes, r.numbers, r.ids, r.zh, r.en].iter().all(|stream| stream.is_empty());
    r.check(read_all);
    r.ok.then_some(Kb { id, version, title, cost_model, causes, questions, actions, tips, observations: Vec::new(), safety: None })
}

#[cfg(test)]
mod tests {
    use super::{Reader, Writer, NUMBERS};
    use proptest::prelude::*;

    fn round_trip(x: f64) -> (f64, usize) {
        let mut w = Writer::default();
        w.f(x);
        let len = w.0[NUMBERS].len();
        let mut r = Reader { bytes: &[], numbers: &w.0[NUMBERS], ids: &[], zh: &[], en: &[], ok: true };
        let back = r.f();
        assert!(r.ok && r.numbers.is_empty());
        (back, len)
    }

    #[test]
    fn short_decimals_take_a_few_bytes_and_come_back_exactly() {
        for (x, len) in [(0.95, 2), (0.1, 2), (40.0, 2), (0.0, 2), (1.0, 2), (0.333, 3), (0.123456, 4)] {
            let (back, n) = round_trip(x);
            assert_eq!(back.to_bits(), x.to_bits(), "{x}");
            assert_eq!(n, len, "{x}");
        }
        // Not a short decimal: the f64's own 8 bytes.
        assert_eq!(round_trip(1.0 / 3.0), (1.0 / 3.0, 9));
        assert_eq!(round_trip(-0.5).1, 9);
        assert_eq!(round_trip(-0.0).0.to_bits(), (-0.0f64).to_bits());
    }

    #[test]
    fn a_string_that_is_not_utf8_or_has_no_end_is_damage() {
        let kb = crate::kb::default_kb().unwrap();
        let bytes = super::encode(&kb);
        assert_eq!(super::decode(&bytes), Some(kb.clone()));
        // The first Chinese character of the title, in the ZH stream: its
        // lead byte replaced by a continuation byte.
        let at = bytes.windows(3).position(|w| w == kb.title.zh[..3].as_bytes()).unwrap();
        let mut bad = bytes.clone();
        bad[at] = 0x80;
        assert!(super::decode(&bad).is_none());
        // The last string's END removed: it runs off its stream.
        let mut cut = bytes.clone();
        assert_eq!(cut.pop(), Some(super::END));
        assert!(super::decode(&cut).is_none());
    }

    #[test]
    fn a_stream_may_be_longer_than_any_one_string() {
        // 19 details of 100,000 bytes: the Chinese stream is past MAX_LEN.
        let mut kb = crate::kb::default_kb().unwrap();
        kb.causes.iter_mut().for_each(|c| c.detail.zh = "长".repeat(100_000 / 3));
        let bytes = super::encode(&kb);
        assert!(bytes.len() > super::MAX_LEN);
        assert!(super::decode(&bytes) == Some(kb));
    }

    proptest! {
        #[test]
        fn every_finite_number_comes_back_bit_for_bit(bits in any::<u64>(), decimal in 0u32..2_000_000, k in 0usize..8) {
            let x = f64::from_bits(bits);
            if x.is_finite() {
                prop_assert_eq!(round_trip(x).0.to_bits(), x.to_bits());
            }
            let d = f64::from(decimal) / 10f64.powi(k as i32);
            prop_assert_eq!(round_trip(d).0.to_bits(), d.to_bits());
        }
    }
}
