//! A compact binary form of a validated knowledge base, for the browser:
//! the build packs the default KB once (`posdoctor pack`), so phones
//! neither download nor run a JSON parser and validator for it. Provider
//! KBs from `kb-url` are validated (by the validator module) and packed the
//! same way. Probabilities stay exact f64, so the browser decides exactly
//! as `posdoctor eval` does.
//!
//! `decode` checks everything the engine relies on (indices in range, rows
//! of the right length, probabilities in [0, 1]) and then the rules
//! `kb::load` holds a KB to (`kb/rules.rs`), and never panics.

use super::{Action, Answer, Cause, CostModel, Kb, Observation, OfferedIn, Question, Safety, ShopWords, Shows, Text, TextList, Tip, TOPICS};

const MAGIC: &[u8; 4] = b"PDKB";
/// The text pack's (`encode_split`).
const TEXTS_MAGIC: &[u8; 4] = b"PDTX";
/// The cue pack's (`encode_cues`).
const CUES_MAGIC: &[u8; 4] = b"PDCU";
/// 5: paying steps, the safety section and the observation chips. 6: the
/// texts the first screen never needs in a pack of their own, every
/// stream's length given (so a pack ends where its streams do). 7: the
/// steps' profile markers (`shows`). 8: a paying step's how-to and why
/// in the decision pack. 9: a question's `offered_in`. 10: the chips' cue
/// phrases and anchors in the text pack. 11: the KB's shop words. 12: the
/// chips' cue phrases, anchors and the shop words in a pack of their own,
/// read by the extractor module alone. 13: the shop words' banks and
/// other payments.
const VERSION: u8 = 14;

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
    /// A list per language, each in its language's stream.
    fn lists(&mut self, l: &TextList) {
        for (stream, list) in [(ZH, &l.zh), (EN, &l.en)] {
            self.n(list.len());
            list.iter().for_each(|s| self.str_in(stream, s));
        }
    }
    /// An optional index as one count: 0 for none, else index + 1.
    fn opt_n(&mut self, x: Option<usize>) {
        self.n(x.map_or(0, |x| x + 1));
    }
    fn opt_t(&mut self, t: &Option<Text>) {
        self.flag(t.is_some());
        if let Some(t) = t {
            self.t(t);
        }
    }
    /// Magic, version, `tie` (a text pack's: the decision pack it belongs
    /// to), the length of every stream, the streams.
    fn finish(self, magic: &[u8; 4], tie: Option<u64>) -> Vec<u8> {
        let mut head = Writer::default();
        for stream in &self.0 {
            head.n(stream.len());
        }
        let mut out = magic.to_vec();
        out.push(VERSION);
        if let Some(tie) = tie {
            out.extend_from_slice(&tie.to_le_bytes());
        }
        out.append(&mut head.0[STRUCTURE]);
        self.0.iter().for_each(|stream| out.extend_from_slice(stream));
        out
    }
}

/// The packed KB in one piece: the decision pack followed by its text pack
/// and its cue pack (a provider's `kb-url` KB, which the page gets whole).
pub fn encode(kb: &Kb) -> Vec<u8> {
    let (mut bytes, texts) = encode_split(kb);
    let cues = encode_cues(kb, &bytes);
    bytes.extend_from_slice(&texts);
    bytes.extend_from_slice(&cues);
    bytes
}

/// The cue pack (`kb-cues.bin`): the chips' cue phrases and time anchors
/// and the shop words, with what of each chip the extractor reads (its
/// fact and value, topic, negated value, hours) and how many values each
/// fact has. The extractor module reads this pack alone, so it carries no
/// reader for the rest of the KB. Tied to `decisions` like a text pack.
pub fn encode_cues(kb: &Kb, decisions: &[u8]) -> Vec<u8> {
    let mut w = Writer::default();
    w.n(kb.questions.len());
    kb.questions.iter().for_each(|q| w.n(q.answers.len()));
    w.n(kb.observations.len());
    for o in &kb.observations {
        write_pair(&mut w, (o.question, o.answer));
        w.n(o.topic);
        w.opt_n(o.negated);
        write_hours(&mut w, o.hours);
        w.lists(&o.cues);
        w.lists(&o.anchors);
    }
    w.lists(&kb.shop_words.sales);
    w.lists(&kb.shop_words.router);
    w.lists(&kb.shop_words.providers);
    w.lists(&kb.shop_words.banks);
    w.lists(&kb.shop_words.other_payments);
    w.lists(&kb.shop_words.agents);
    w.finish(CUES_MAGIC, Some(tie(decisions)))
}

/// What the extractor reads (`decode_cues`): the chips with their cue
/// phrases and anchors (labels empty), the shop words, and how many facts
/// the KB has.
#[derive(Debug, Clone, PartialEq)]
pub struct CuePack {
    pub facts: usize,
    pub observations: Vec<Observation>,
    pub shop_words: ShopWords,
}

fn read_cues(r: &mut Reader) -> CuePack {
    let facts = r.n();
    let answers = r.list(facts, |r| r.n());
    let observations = r.counted(|r| {
        let (question, answer) = (r.n(), r.n());
        let values = answers.get(question).copied().unwrap_or(0);
        r.check(answer < values);
        let topic = r.n();
        r.check(topic < TOPICS.len());
        let negated = r.opt_n();
        r.check(negated.is_none_or(|v| v < values && v != answer));
        let hours = read_hours(r);
        let (cues, anchors) = (r.lists(), r.lists());
        Observation { question, answer, topic, text: Text::default(), cues, negated, more: false, hours, anchors }
    });
    let shop_words = ShopWords { sales: r.lists(), router: r.lists(), providers: r.lists(), banks: r.lists(), other_payments: r.lists(), agents: r.lists() };
    CuePack { facts, observations, shop_words }
}

/// The cue pack for the decision pack `decisions`: `cues` (the built-in
/// KB's `kb-cues.bin`), or, when `None`, the one that ends a KB in one
/// piece (`encode`; found by the packs' own lengths, nothing else read).
/// `None` for anything damaged, of another decision pack, or breaking the
/// rules over cue phrases (`rules::cues_hold`).
pub fn decode_cues(decisions: &[u8], cues: Option<&[u8]>) -> Option<CuePack> {
    let (decisions, cues) = match cues {
        Some(cues) => (decisions, cues),
        None => {
            let (first, _, rest) = Reader::open(decisions, MAGIC, false);
            let (texts, _, cues) = Reader::open(rest, TEXTS_MAGIC, true);
            (first.ok && texts.ok).then_some(())?;
            (&decisions[..decisions.len() - rest.len()], cues)
        }
    };
    let (mut r, id, rest) = Reader::open(cues, CUES_MAGIC, true);
    r.check(id == tie(decisions) && rest.is_empty());
    let pack = read_cues(&mut r);
    r.check_read_all();
    (r.ok && super::rules::cues_hold(&pack.observations, &pack.shop_words)).then_some(pack)
}

/// The packed KB as the page loads the built-in one: the decision pack
/// (`kb.bin`: everything the engine and the first screen need: numbers,
/// ids, questions and answers, step titles, chips, and the paying steps'
/// how-to and why) and the text pack (`kb-text.bin`: causes' details,
/// questions' help, the other steps' how-to and why, tips), fetched after
/// the page is ready (the chips' cue phrases are the cue pack's:
/// `encode_cues`). The text pack carries a hash of its decision pack, so
/// it never joins another.
pub fn encode_split(kb: &Kb) -> (Vec<u8>, Vec<u8>) {
    let mut w = Writer::default();
    write_decisions(&mut w, kb);
    let decisions = w.finish(MAGIC, None);
    let mut w = Writer::default();
    write_texts(&mut w, kb);
    let texts = w.finish(TEXTS_MAGIC, Some(tie(&decisions)));
    (decisions, texts)
}

/// FNV-1a over a decision pack: the id its text pack carries. Not a
/// defence against forgery (both come from the same host), only against a
/// text pack from another build joining this one.
fn tie(decisions: &[u8]) -> u64 {
    decisions.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// Which decision pack a KB came from (`decode_decisions`): the text pack
/// that may join it (`join_texts`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextPackId(u64);

/// Why a text pack did not join a KB.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextPackError {
    /// A well-formed text pack of another decision pack (another build).
    OtherKb,
    /// Cut, damaged or not a text pack.
    Damaged,
}

/// The KB as its decision pack alone gives it: the text pack's texts empty.
/// (`read_texts` from a damaged reader, which reads every text empty: one
/// walk over the texts in the page module, not two.)
pub fn strip_texts(kb: &mut Kb) {
    let mut r = Reader { bytes: &[], numbers: &[], ids: &[], zh: &[], en: &[], ok: false };
    read_texts(&mut r, kb);
}

/// Fills `kb` (from the decision pack `id` names) with its text pack's
/// texts. On any error `kb` is left as it was: without them.
pub fn join_texts(kb: &mut Kb, id: TextPackId, bytes: &[u8]) -> Result<(), TextPackError> {
    let (mut r, tie, rest) = Reader::open(bytes, TEXTS_MAGIC, true);
    if r.ok && tie != id.0 {
        return Err(TextPackError::OtherKb);
    }
    read_texts(&mut r, kb);
    r.check(rest.is_empty());
    r.check_read_all();
    if r.ok && super::rules::texts_hold(kb) {
        Ok(())
    } else {
        strip_texts(kb);
        Err(TextPackError::Damaged)
    }
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
    fn lists(&mut self) -> TextList {
        TextList { zh: self.counted(Reader::zh), en: self.counted(Reader::en) }
    }
    /// An optional index written by `Writer::opt_n`.
    fn opt_n(&mut self) -> Option<usize> {
        self.n().checked_sub(1)
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

impl<'a> Reader<'a> {
    /// Opens a pack at the start of `bytes`: its magic and version, its
    /// tie (a text pack's, when `tied`), its five streams. Returns what
    /// follows the pack beside.
    fn open(bytes: &'a [u8], magic: &[u8; 4], tied: bool) -> (Reader<'a>, u64, &'a [u8]) {
        let mut r = Reader { bytes, numbers: &[], ids: &[], zh: &[], en: &[], ok: true };
        let magic_ok = r.take(4) == magic;
        r.check(magic_ok);
        let version = r.byte();
        r.check(version == VERSION);
        let mut tie = [0u8; 8];
        if tied {
            let bytes = r.take(8);
            if bytes.len() == 8 {
                tie.copy_from_slice(bytes);
            }
        }
        // A stream may be longer than any one list or string (MAX_LEN).
        let mut length = || varint(&mut r.bytes, &mut r.ok, usize::MAX);
        let lengths = [length(), length(), length(), length(), length()];
        let mut rest = r.bytes;
        r.bytes = split(&mut rest, lengths[STRUCTURE], &mut r.ok);
        r.numbers = split(&mut rest, lengths[NUMBERS], &mut r.ok);
        r.ids = split(&mut rest, lengths[IDS], &mut r.ok);
        r.zh = split(&mut rest, lengths[ZH], &mut r.ok);
        r.en = split(&mut rest, lengths[EN], &mut r.ok);
        r.check(r.ok);
        (r, u64::from_le_bytes(tie), rest)
    }

    /// Damage unless every stream was read to its end.
    fn check_read_all(&mut self) {
        let read_all = [self.bytes, self.numbers, self.ids, self.zh, self.en].iter().all(|stream| stream.is_empty());
        self.check(read_all);
    }
}

/// Decodes a packed knowledge base in one piece (`encode`) as the page
/// module reads it: the decision and text packs, and a cue pack of theirs
/// after them, whose words it leaves to the extractor module
/// (`decode_cues`): the KB's chips come without cue phrases, anchors or
/// shop words. `None` for anything damaged.
pub fn decode(bytes: &[u8]) -> Option<Kb> {
    let (mut kb, id, rest) = read_decisions(bytes)?;
    let (_, _, cues) = Reader::open(rest, TEXTS_MAGIC, true);
    join_texts(&mut kb, id, &rest[..rest.len() - cues.len()]).ok()?;
    let (r, tie, after) = Reader::open(cues, CUES_MAGIC, true);
    (r.ok && tie == id.0 && after.is_empty()).then_some(kb)
}

/// `decode` with the cue pack's words too: the whole KB, as `kb::load`
/// gave it (tests, fuzzing). The cue pack must agree with the decision
/// pack's chips.
pub fn decode_with_cues(bytes: &[u8]) -> Option<Kb> {
    let mut kb = decode(bytes)?;
    let pack = decode_cues(bytes, None)?;
    let same_chips = pack.facts == kb.questions.len()
        && pack.observations.len() == kb.observations.len()
        && pack.observations.iter().zip(&kb.observations).all(|(p, o)| {
            (p.question, p.answer, p.topic, p.negated, p.hours) == (o.question, o.answer, o.topic, o.negated, o.hours)
        });
    same_chips.then_some(())?;
    for (o, p) in kb.observations.iter_mut().zip(pack.observations) {
        (o.cues, o.anchors) = (p.cues, p.anchors);
    }
    kb.shop_words = pack.shop_words;
    Some(kb)
}

/// Decodes a decision pack (`encode_split`): the KB without the text
/// pack's texts (as `strip_texts` leaves them), and the id its text pack
/// must carry; `None` for anything damaged.
pub fn decode_decisions(bytes: &[u8]) -> Option<(Kb, TextPackId)> {
    read_decisions(bytes).filter(|(_, _, rest)| rest.is_empty()).map(|(kb, id, _)| (kb, id))
}

/// Decodes the two packs of `encode_split` into the whole KB; `None` for
/// anything damaged or a text pack of another decision pack.
pub fn decode_split(decisions: &[u8], texts: &[u8]) -> Option<Kb> {
    let (mut kb, id) = decode_decisions(decisions)?;
    join_texts(&mut kb, id, texts).ok()?;
    Some(kb)
}

// The two packs' walks over a KB: each writer beside its reader, the
// reader checking what it read. What each kind of item puts in each pack
// is in that item's section below.

/// The decision pack's part of `kb`, in the order `read_decisions` reads it.
fn write_decisions(w: &mut Writer, kb: &Kb) {
    w.s(&kb.id);
    w.s(&kb.version);
    w.t(&kb.title);
    write_cost_model(w, &kb.cost_model);
    w.n(kb.causes.len());
    kb.causes.iter().for_each(|c| write_cause(w, c));
    write_questions(w, &kb.questions);
    w.n(kb.actions.len());
    kb.actions.iter().for_each(|a| write_action(w, a));
    w.n(kb.tips.len());
    kb.tips.iter().for_each(|t| write_tip(w, t));
    write_safety(w, &kb.safety);
    w.n(kb.observations.len());
    kb.observations.iter().for_each(|o| write_observation(w, o));
}

/// The decision pack at the start of `bytes`, and what follows it. Out of
/// line: inlined into both callers the page module would carry it twice.
#[inline(never)]
fn read_decisions(bytes: &[u8]) -> Option<(Kb, TextPackId, &[u8])> {
    let (mut r, _, rest) = Reader::open(bytes, MAGIC, false);
    let id = r.s();
    let version = r.s();
    let title = r.t();
    let cost_model = read_cost_model(&mut r);
    let n_causes = r.n();
    r.check(n_causes > 0);
    let causes = r.list(n_causes, read_cause);
    let questions = read_questions(&mut r, n_causes);
    let actions = r.counted(|r| read_action(r, n_causes));
    r.check(!actions.is_empty());
    let tips = r.counted(|r| read_tip(r, n_causes));
    let safety = read_safety(&mut r, &questions, &actions);
    let observations = r.counted(|r| read_observation(r, &questions));
    r.check_read_all();
    let id_of_pack = TextPackId(tie(&bytes[..bytes.len() - rest.len()]));
    // The rules `kb::load` holds a KB to beyond the above (ids, texts, chips);
    // the text pack's own when it joins (`join_texts`).
    let shop_words = ShopWords::default();
    r.ok.then_some(Kb { id, version, title, cost_model, causes, questions, actions, tips, observations, safety, shop_words })
        .filter(super::rules::decisions_hold)
        .map(|kb| (kb, id_of_pack, rest))
}

/// The text pack's texts, in the order `read_texts` reads them.
fn write_texts(w: &mut Writer, kb: &Kb) {
    kb.causes.iter().for_each(|c| write_cause_texts(w, c));
    kb.questions.iter().for_each(|q| write_question_texts(w, q));
    kb.actions.iter().for_each(|a| write_action_texts(w, a));
    kb.tips.iter().for_each(|t| write_tip_texts(w, t));
}

/// `write_texts` backwards, into the KB the decision pack gave.
fn read_texts(r: &mut Reader, kb: &mut Kb) {
    kb.causes.iter_mut().for_each(|c| read_cause_texts(r, c));
    kb.questions.iter_mut().for_each(|q| read_question_texts(r, q));
    kb.actions.iter_mut().for_each(|a| read_action_texts(r, a));
    kb.tips.iter_mut().for_each(|t| read_tip_texts(r, t));
}

// The cost model.

fn write_cost_model(w: &mut Writer, c: &CostModel) {
    w.f(c.per_step);
    w.f(c.per_minute);
}

fn read_cost_model(r: &mut Reader) -> CostModel {
    let c = CostModel { per_step: r.f(), per_minute: r.f() };
    r.check(c.per_step >= 0.0 && c.per_minute >= 0.0 && c.per_step + c.per_minute > 0.0);
    c
}

// A cause: its detail in the text pack.

fn write_cause(w: &mut Writer, c: &Cause) {
    w.s(&c.id);
    w.flag(c.seed);
    w.t(&c.name);
    w.f(c.prior);
}

fn read_cause(r: &mut Reader) -> Cause {
    let cause = Cause { id: r.s(), seed: r.flag(), name: r.t(), detail: Text::default(), prior: r.p() };
    r.check(cause.prior > 0.0);
    cause
}

fn write_cause_texts(w: &mut Writer, c: &Cause) {
    w.t(&c.detail);
}

fn read_cause_texts(r: &mut Reader, c: &mut Cause) {
    c.detail = r.t();
}

// The questions, with their answers and likelihood rows: their help in the
// text pack.

fn write_questions(w: &mut Writer, questions: &[Question]) {
    w.n(questions.len());
    questions.iter().for_each(|q| write_question(w, q));
}

fn read_questions(r: &mut Reader, n_causes: usize) -> Vec<Question> {
    let questions = r.counted(|r| read_question(r, n_causes));
    // Skips point at other questions.
    let n_questions = questions.len();
    let skips_ok = questions.iter().enumerate().all(|(i, q)| q.skip_if_known.iter().all(|&o| o < n_questions && o != i));
    r.check(skips_ok);
    // An offered-in host is another question, itself asked on its own, and
    // the offered answers are this question's.
    let offers_ok = questions.iter().enumerate().all(|(i, q)| {
        q.offered_in.as_ref().is_none_or(|o| {
            o.question < n_questions
                && o.question != i
                && questions[o.question].offered_in.is_none()
                && !o.answers.is_empty()
                && o.answers.iter().all(|&j| j < q.answers.len())
        })
    });
    r.check(offers_ok);
    questions
}

fn write_question(w: &mut Writer, q: &Question) {
    w.s(&q.id);
    w.t(&q.text);
    w.f(q.p_known);
    w.f(q.minutes);
    w.n(q.answers.len());
    q.answers.iter().for_each(|a| write_answer(w, a));
    write_likelihood(w, &q.likelihood);
    w.n(q.skip_if_known.len());
    q.skip_if_known.iter().for_each(|&o| w.n(o));
    w.opt_n(q.offered_in.as_ref().map(|o| o.question));
    if let Some(o) = &q.offered_in {
        w.n(o.answers.len());
        o.answers.iter().for_each(|&j| w.n(j));
    }
}

/// A question of `n_causes` rows (its skips checked by `read_questions`).
fn read_question(r: &mut Reader, n_causes: usize) -> Question {
    let id = r.s();
    let text = r.t();
    let p_known = r.p();
    let minutes = r.f().max(0.0);
    let n_answers = r.n();
    r.check(n_answers > 0);
    let answers = r.list(n_answers, read_answer);
    let likelihood = read_likelihood(r, n_answers, n_causes);
    let skip_if_known = r.counted(Reader::n);
    let offered_in = r.opt_n().map(|question| OfferedIn { question, answers: r.counted(Reader::n) });
    Question { id, text, help: None, p_known, minutes, answers, likelihood, skip_if_known, offered_in }
}

fn write_question_texts(w: &mut Writer, q: &Question) {
    w.opt_t(&q.help);
}

fn read_question_texts(r: &mut Reader, q: &mut Question) {
    q.help = r.flag().then(|| r.t());
}

fn write_answer(w: &mut Writer, a: &Answer) {
    w.s(&a.value);
    w.t(&a.text);
    w.flag(a.picture.is_some());
    if let Some(p) = &a.picture {
        w.s(p);
    }
}

fn read_answer(r: &mut Reader) -> Answer {
    Answer { value: r.s(), text: r.t(), picture: r.flag().then(|| r.s()) }
}

/// A question's likelihood, a row per cause. Most causes share the default
/// row: the distinct rows once, then each cause's row as an index.
fn write_likelihood(w: &mut Writer, likelihood: &[Vec<f64>]) {
    let mut rows: Vec<&Vec<f64>> = Vec::new();
    let index: Vec<usize> = likelihood
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
}

/// Rows of `n_answers` probabilities summing to 1, one per cause.
fn read_likelihood(r: &mut Reader, n_answers: usize, n_causes: usize) -> Vec<Vec<f64>> {
    let rows = r.counted(|r| {
        let row = r.list(n_answers, Reader::p);
        r.check((row.iter().sum::<f64>() - 1.0).abs() <= 1e-6);
        row
    });
    r.list(n_causes, |r| {
        let row = r.n();
        r.check(row < rows.len());
        rows.get(row).cloned().unwrap_or_default()
    })
}

// A step: its how-to and why in the text pack, unless it pays.

fn write_action(w: &mut Writer, a: &Action) {
    w.s(&a.id);
    w.t(&a.title);
    w.f(a.minutes);
    w.n(a.fixes.len());
    for &(c, p) in &a.fixes {
        w.n(c);
        w.f(p);
    }
    w.opt_n(a.pays);
    write_shows(w, a.shows);
    // A paying step's how-to and why come with the decisions: they say
    // to check the money was not already taken and to pay only in the
    // official app, which the step must never be shown without (DESIGN
    // "Safety rules"), not even while the text pack is on its way.
    if a.pays.is_some() {
        write_how_why(w, a);
    }
}

/// A step fixing some of `n_causes` causes.
fn read_action(r: &mut Reader, n_causes: usize) -> Action {
    let id = r.s();
    let title = r.t();
    let minutes = r.f();
    r.check(minutes > 0.0);
    let fixes = r.counted(|r| (r.n(), r.p()));
    // Causes in range and in increasing order (the engine looks them up).
    let in_order = fixes.iter().all(|&(c, _)| c < n_causes) && fixes.windows(2).all(|w| w[0].0 < w[1].0);
    r.check(in_order);
    let pays = r.opt_n();
    let shows = read_shows(r);
    let mut action = Action { id, title, how: TextList::default(), why: Text::default(), minutes, fixes, pays, shows };
    if pays.is_some() {
        read_how_why(r, &mut action);
    }
    action
}

fn write_action_texts(w: &mut Writer, a: &Action) {
    if a.pays.is_none() {
        write_how_why(w, a);
    }
}

fn read_action_texts(r: &mut Reader, a: &mut Action) {
    if a.pays.is_none() {
        read_how_why(r, a);
    }
}

fn write_how_why(w: &mut Writer, a: &Action) {
    w.lists(&a.how);
    w.t(&a.why);
}

fn read_how_why(r: &mut Reader, a: &mut Action) {
    a.how = r.lists();
    a.why = r.t();
}

/// The profile marker as one count (0: none), then the wait's fact.
fn write_shows(w: &mut Writer, shows: Option<Shows>) {
    w.n(match shows {
        None => 0,
        Some(Shows::ActivationWait { .. }) => 1,
        Some(Shows::StatusUrl) => 2,
        Some(Shows::ServiceUrl) => 3,
    });
    if let Some(Shows::ActivationWait { since }) = shows {
        w.opt_n(since);
    }
}

fn read_shows(r: &mut Reader) -> Option<Shows> {
    match r.n() {
        0 => None,
        1 => Some(Shows::ActivationWait { since: r.opt_n() }),
        2 => Some(Shows::StatusUrl),
        3 => Some(Shows::ServiceUrl),
        _ => {
            r.check(false);
            None
        }
    }
}

// A tip: its text in the text pack.

fn write_tip(w: &mut Writer, t: &Tip) {
    w.s(&t.id);
    w.n(t.causes.len());
    t.causes.iter().for_each(|&c| w.n(c));
}

fn read_tip(r: &mut Reader, n_causes: usize) -> Tip {
    let id = r.s();
    let causes = r.counted(Reader::n);
    let in_range = causes.iter().all(|&c| c < n_causes);
    r.check(in_range);
    Tip { id, text: Text::default(), causes }
}

fn write_tip_texts(w: &mut Writer, t: &Tip) {
    w.t(&t.text);
}

fn read_tip_texts(r: &mut Reader, t: &mut Tip) {
    t.text = r.t();
}

// A fact=value pair (the safety section's, a chip's).

fn write_pair(w: &mut Writer, (q, a): (usize, usize)) {
    w.n(q);
    w.n(a);
}

/// A fact=value pair in range.
fn read_pair(r: &mut Reader, questions: &[Question]) -> (usize, usize) {
    let (q, a) = (r.n(), r.n());
    r.check(a < answer_count(questions, q));
    (q, a)
}

/// How many answers question `q` has: 0 for none.
fn answer_count(questions: &[Question], q: usize) -> usize {
    questions.get(q).map_or(0, |q| q.answers.len())
}

// The safety section.

fn write_safety(w: &mut Writer, safety: &Option<Safety>) {
    w.flag(safety.is_some());
    if let Some(s) = safety {
        w.n(s.untrusted.len());
        write_pair(w, s.paid);
        s.untrusted.iter().for_each(|&pair| write_pair(w, pair));
        w.n(s.fee);
        w.n(s.verify);
    }
}

/// The safety section over `questions` and `actions`, and the check that
/// every paying step names an answer of its fee question.
fn read_safety(r: &mut Reader, questions: &[Question], actions: &[Action]) -> Option<Safety> {
    let safety = r.flag().then(|| {
        let n_untrusted = r.n();
        let paid = read_pair(r, questions);
        let untrusted = r.list(n_untrusted, |r| read_pair(r, questions));
        let (fee, verify) = (r.n(), r.n());
        // The verify step is one a rule never holds back.
        r.check(fee < questions.len() && actions.get(verify).is_some_and(|a| a.pays.is_none()));
        Safety { paid, fee, untrusted, verify }
    });
    // Every paying step names an answer of the fee question.
    let fees = safety.as_ref().map_or(0, |s| answer_count(questions, s.fee));
    r.check(actions.iter().all(|a| a.pays.is_none_or(|p| p < fees)));
    safety
}

// An observation (a chip), with its cues.

fn write_observation(w: &mut Writer, o: &Observation) {
    write_pair(w, (o.question, o.answer));
    w.n(o.topic);
    w.t(&o.text);
    w.opt_n(o.negated);
    w.flag(o.more);
    write_hours(w, o.hours);
}

/// A time chip's range of hours (`Observation::hours`), in either pack.
fn write_hours(w: &mut Writer, hours: Option<(f64, f64)>) {
    w.flag(hours.is_some());
    if let Some((lo, hi)) = hours {
        w.f(lo);
        w.f(hi);
    }
}

fn read_hours(r: &mut Reader) -> Option<(f64, f64)> {
    let hours = r.flag().then(|| (r.f(), r.f()));
    r.check(hours.is_none_or(|(lo, hi)| lo >= 0.0 && lo < hi));
    hours
}

fn read_observation(r: &mut Reader, questions: &[Question]) -> Observation {
    let (question, answer) = read_pair(r, questions);
    let topic = r.n();
    r.check(topic < TOPICS.len());
    let text = r.t();
    let negated = r.opt_n();
    r.check(negated.is_none_or(|v| v < answer_count(questions, question) && v != answer));
    let more = r.flag();
    let hours = read_hours(r);
    Observation { question, answer, topic, text, cues: TextList::default(), negated, more, hours, anchors: TextList::default() }
}

#[cfg(test)]
mod tests {
    use super::{decode_with_cues as decode, encode, Reader, Writer, NUMBERS};
    use crate::kb::{Kb, Observation, Safety, ShopWords, Text, TextList, TOPICS};
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
        assert_eq!(super::decode_with_cues(&bytes), Some(kb.clone()));
        // The first Chinese character of the title, in the ZH stream: its
        // lead byte replaced by a continuation byte.
        let at = bytes.windows(3).position(|w| w == &kb.title.zh.as_bytes()[..3]).unwrap();
        let mut bad = bytes.clone();
        bad[at] = 0x80;
        assert!(super::decode_with_cues(&bad).is_none());
        // The last string's END removed: it runs off its stream.
        let mut cut = bytes.clone();
        assert_eq!(cut.pop(), Some(super::END));
        assert!(super::decode_with_cues(&cut).is_none());
    }

    #[test]
    fn a_stream_may_be_longer_than_any_one_string() {
        // 19 details of 100,000 bytes: the Chinese stream is past MAX_LEN.
        let mut kb = crate::kb::default_kb().unwrap();
        kb.causes.iter_mut().for_each(|c| c.detail.zh = "长".repeat(100_000 / 3));
        let bytes = super::encode(&kb);
        assert!(bytes.len() > super::MAX_LEN);
        assert!(super::decode_with_cues(&bytes) == Some(kb));
    }

    /// The default KB with every section the packer carries: paying steps,
    /// the safety section, chips with cues, negation, hours and anchors.
    fn full_kb() -> Kb {
        let mut kb = crate::kb::default_kb().unwrap();
        let text = |zh: &str, en: &str| Text { zh: zh.into(), en: en.into() };
        let list = |zh: &[&str], en: &[&str]| TextList {
            zh: zh.iter().map(|s| s.to_string()).collect(),
            en: en.iter().map(|s| s.to_string()).collect(),
        };
        let verify = kb.actions.len() - 1;
        kb.actions.iter_mut().for_each(|a| a.pays = None);
        kb.actions[0].pays = Some(0);
        kb.actions[1].pays = Some(1);
        // A paying step shows nothing from the provider's profile.
        kb.actions[..2].iter_mut().for_each(|a| a.shows = None);
        kb.safety = Some(Safety { paid: (1, 0), fee: 0, untrusted: vec![(2, 1), (3, 0)], verify });
        let chip = |question, answer, topic| Observation {
            question,
            answer,
            topic,
            text: text("扣了钱", "Money taken"),
            cues: list(&["扣了", "扣款"], &["money was taken"]),
            negated: None,
            more: false,
            hours: None,
            anchors: TextList::default(),
        };
        kb.observations = vec![
            Observation { negated: Some(1), ..chip(1, 0, 0) },
            Observation { more: true, cues: list(&[], &["no money taken"]), ..chip(1, 1, 0) },
            Observation { hours: Some((0.0, 1.0)), cues: TextList::default(), anchors: list(&["交"], &["paid"]), ..chip(2, 0, 1) },
            Observation { hours: Some((24.0, 1e6)), cues: list(&["昨天交的"], &[]), ..chip(2, 1, 1) },
            chip(3, 1, TOPICS.len() - 1),
        ];
        kb.shop_words = ShopWords { sales: list(&["一刷卡就"], &["every card"]), router: list(&["路由器"], &[]), providers: list(&["随行付"], &["lakala"]), banks: list(&["建行"], &[]), other_payments: list(&["货款"], &["rent"]), agents: list(&["业务员"], &["agent"]) };
        kb
    }

    /// The fuzzer's seed of this KB is this KB in today's format; after a
    /// format change, `POSDOCTOR_WRITE_SEED=1 cargo test --lib full_seed`
    /// writes it again.
    #[test]
    fn full_seed_is_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz/seeds/kb_packed/full.bin");
        if std::env::var_os("POSDOCTOR_WRITE_SEED").is_some() {
            std::fs::write(path, encode(&full_kb())).unwrap();
        }
        assert_eq!(std::fs::read(path).ok(), Some(encode(&full_kb())), "re-write it: POSDOCTOR_WRITE_SEED=1 cargo test --lib full_seed");
    }

    #[test]
    fn every_new_section_comes_back() {
        let kb = full_kb();
        let bytes = encode(&kb);
        assert_eq!(decode(&bytes), Some(kb));
        // Cut anywhere: refused. A byte flipped: refused or a KB, never a
        // panic. (Every 5th byte: all of them take half a minute in debug.)
        for cut in (0..bytes.len()).step_by(5) {
            assert!(decode(&bytes[..cut]).is_none(), "cut at {cut}");
        }
        for i in (0..bytes.len()).step_by(5) {
            let mut damaged = bytes.clone();
            damaged[i] ^= 0x5a;
            let _ = decode(&damaged);
        }
    }

    /// Every index and range the engine and the extractor rely on is checked.
    #[test]
    fn out_of_range_new_fields_are_damage() {
        let n_answers = |kb: &Kb, q: usize| kb.questions[q].answers.len();
        type Spoil = fn(&mut Kb);
        let damage: [(&str, Spoil); 18] = [
            ("pays without safety", |kb| kb.safety = None),
            ("pays past the fee's answers", |kb| kb.actions[0].pays = Some(kb.questions[0].answers.len())),
            ("verify pays", |kb| {
                let v = kb.safety.as_ref().unwrap().verify;
                kb.actions[v].pays = Some(0);
            }),
            ("verify past the actions", |kb| kb.safety.as_mut().unwrap().verify = kb.actions.len()),
            // With no paying step, so that only the fee's own check can see it.
            ("fee past the questions", |kb| {
                kb.actions.iter_mut().for_each(|a| a.pays = None);
                kb.safety.as_mut().unwrap().fee = kb.questions.len();
            }),
            ("paid question past the questions", |kb| kb.safety.as_mut().unwrap().paid.0 = kb.questions.len()),
            ("untrusted answer past the answers", |kb| {
                let q = kb.safety.as_ref().unwrap().untrusted[1].0;
                kb.safety.as_mut().unwrap().untrusted[1].1 = kb.questions[q].answers.len();
            }),
            ("chip question past the questions", |kb| kb.observations[4].question = kb.questions.len()),
            ("chip answer past the answers", |kb| kb.observations[4].answer = kb.questions[3].answers.len()),
            ("topic past the topics", |kb| kb.observations[1].topic = TOPICS.len()),
            ("negated is the chip's own value", |kb| kb.observations[0].negated = Some(0)),
            ("negated past the answers", |kb| kb.observations[0].negated = Some(kb.questions[1].answers.len())),
            ("hours empty", |kb| kb.observations[2].hours = Some((1.0, 1.0))),
            ("hours negative", |kb| kb.observations[2].hours = Some((-1.0, 1.0))),
            ("empty shop word", |kb| kb.shop_words.router.en.push(" ".into())),
            ("empty bank name", |kb| kb.shop_words.banks.zh.push(" ".into())),
            ("empty other payment", |kb| kb.shop_words.other_payments.en.push(String::new())),
            ("empty agent word", |kb| kb.shop_words.agents.zh.push(String::new())),
        ];
        assert!(n_answers(&full_kb(), 0) >= 2 && n_answers(&full_kb(), 3) >= 2);
        for (what, spoil) in damage {
            let mut kb = full_kb();
            spoil(&mut kb);
            assert_eq!(decode(&encode(&kb)), None, "{what}");
        }
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

