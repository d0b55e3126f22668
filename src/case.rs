//! The case code: a merchant's session in a short code a merchant reads
//! aloud over the phone and a support agent opens as `#case=CODE` (or
//! pastes into the page). Crockford base32 (0–9, A–Z without I, L, O, U),
//! upper case, in groups of 4 joined by dashes, at most 40 symbols: a
//! version symbol, the body, and a 10-bit CRC in the last two symbols.
//! Decoding ignores case, dashes and spaces and reads I/L as 1 and O as 0.
//!
//! The body holds indices into the knowledge base, never free text beyond
//! a short model name: a fingerprint of the knowledge base (so a code of
//! another KB is refused, not misread), the language, the provider (its
//! place in the built-in profile table), the terminal model, the answers,
//! where they came from, and the step outcomes. What does not fit is left
//! out, in this order: the answers' sources, the model, the latest steps,
//! the latest answers; the summary text carries everything.
//!
//! Codes of the first layout ('A' and URL-safe base64, mixed case) are told
//! apart by their first character before any case folding, and still open.

use crate::engine::Outcome;
use crate::kb::{Kb, Lang};
use crate::profile::Profile;
use crate::session::{Session, Source, NOT_SURE};

/// The layout's version: the value of every code's first symbol ('2'; the
/// first layout's codes began with 'A').
const VERSION: u32 = 2;
/// Symbols a code has at most, dashes not counted.
pub const MAX_SYMBOLS: usize = 40;
const CHECK_BITS: usize = 10;
/// Body bits at most: what is left of 40 symbols after version and CRC.
const MAX_BODY_BITS: usize = MAX_SYMBOLS * 5 - 5 - CHECK_BITS;
const FINGERPRINT_BITS: usize = 10;
const PROVIDER_BITS: usize = 4;
/// "The provider is not in the built-in table" (and so not named).
const PROVIDER_OTHER: u32 = (1 << PROVIDER_BITS) - 1;
/// A model name the code carries: up to 7 of these characters.
const MODEL_CHARS: &[u8; 64] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-.";
const MODEL_MAX: usize = 7;
const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseError {
    /// Not a case code, or damaged (checksum, length, alphabet).
    Damaged,
    /// A case code of a version this build does not read.
    Version,
    /// Made with another knowledge base.
    OtherKb,
}

/// FNV-1a over the ids the code's indices point at: same ids in the same
/// order, same fingerprint.
pub fn fingerprint(kb: &Kb) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    let mut eat = |s: &str| {
        for b in s.bytes().chain(std::iter::once(0)) {
            h ^= u32::from(b);
            h = h.wrapping_mul(0x0100_0193);
        }
    };
    eat(&kb.id);
    for q in &kb.questions {
        eat(&q.id);
        q.answers.iter().for_each(|a| eat(&a.value));
    }
    kb.actions.iter().for_each(|a| eat(&a.id));
    h
}

/// Bits needed for the values 0..n.
fn width(n: usize) -> usize {
    (usize::BITS - n.saturating_sub(1).leading_zeros()) as usize
}

#[derive(Default)]
struct Bits(Vec<bool>);

impl Bits {
    fn push(&mut self, value: u32, width: usize) {
        (0..width).rev().for_each(|i| self.0.push((value >> i) & 1 == 1));
    }
}

/// CRC-10 (x^10 + x^9 + x^5 + x^4 + x + 1): any error within 10 bits
/// (two neighbouring symbols) is caught, others but for 1 in 1024.
fn crc10(bits: &[bool]) -> u32 {
    let mut crc: u32 = 0;
    for &b in bits {
        let top = (crc >> 9) & 1 == 1;
        crc = (crc << 1) & 0x3FF;
        if top != b {
            crc ^= 0x233;
        }
    }
    crc
}

/// The session's facts as the code holds them.
struct Content {
    lang: bool,
    provider: u32,
    model: Option<Vec<u32>>,
    /// (question, value: 0 not sure, 1 + answer index, source)
    answers: Vec<(usize, u32, Source)>,
    steps: Vec<(usize, u32)>,
    sources: bool,
}

fn source_bits(s: Source) -> u32 {
    match s {
        Source::Question => 0,
        Source::Opening => 1,
        Source::Link => 2,
    }
}

fn body(kb: &Kb, c: &Content) -> Bits {
    let mut bits = Bits::default();
    bits.push(fingerprint(kb) & ((1 << FINGERPRINT_BITS) - 1), FINGERPRINT_BITS);
    bits.push(u32::from(c.lang), 1);
    bits.push(c.provider, PROVIDER_BITS);
    match &c.model {
        Some(m) => {
            bits.push(m.len() as u32, width(MODEL_MAX + 1));
            m.iter().for_each(|&ch| bits.push(ch, 6));
        }
        None => bits.push(0, width(MODEL_MAX + 1)),
    }
    // Answers: one value a question in KB order (0 unanswered), or, when
    // shorter, a count and (question, value) pairs.
    let nq = kb.questions.len();
    let value_width = |q: usize| width(kb.questions[q].answers.len() + 2);
    let dense: usize = (0..nq).map(value_width).sum();
    let sparse = width(nq + 1) + c.answers.iter().map(|&(q, _, _)| width(nq) + value_width(q)).sum::<usize>();
    if dense <= sparse {
        bits.push(0, 1);
        for q in 0..nq {
            let v = c.answers.iter().find(|a| a.0 == q).map_or(0, |a| a.1 + 1);
            bits.push(v, value_width(q));
        }
    } else {
        bits.push(1, 1);
        bits.push(c.answers.len() as u32, width(nq + 1));
        for &(q, v, _) in &c.answers {
            bits.push(q as u32, width(nq));
            bits.push(v + 1, value_width(q));
        }
    }
    bits.push(u32::from(c.sources), 1);
    if c.sources {
        // In the order the answers were written above.
        let mut order: Vec<&(usize, u32, Source)> = c.answers.iter().collect();
        if dense <= sparse {
            order.sort_by_key(|a| a.0);
        }
        order.iter().for_each(|a| bits.push(source_bits(a.2), 2));
    }
    let na = kb.actions.len();
    bits.push(c.steps.len() as u32, width(na + 1));
    for &(a, o) in &c.steps {
        bits.push(a as u32, width(na));
        bits.push(o, 2);
    }
    bits
}

fn model_symbols(model: &str) -> Option<Vec<u32>> {
    if model.is_empty() || model.len() > MODEL_MAX {
        return None;
    }
    model.bytes().map(|b| MODEL_CHARS.iter().position(|&c| c == b).map(|i| i as u32)).collect()
}

/// Encodes the session in groups of 4 joined by dashes. Entries the KB
/// does not know are left out; so is what does not fit (see above).
pub fn encode(kb: &Kb, session: &Session, lang: Lang) -> String {
    let provider = match &session.provider {
        None => 0,
        Some(id) => Profile::builtin_index(id).and_then(|i| u32::try_from(i + 1).ok()).filter(|&i| i < PROVIDER_OTHER).unwrap_or(PROVIDER_OTHER),
    };
    let mut answers: Vec<(usize, u32, Source)> = Vec::new();
    for a in &session.answers {
        let Some(q) = kb.question_index(&a.fact) else { continue };
        let v = if a.value == NOT_SURE {
            0
        } else {
            match kb.questions[q].answers.iter().position(|x| x.value == a.value) {
                Some(j) => j as u32 + 1,
                None => continue,
            }
        };
        if !answers.iter().any(|x| x.0 == q) {
            answers.push((q, v, a.source));
        }
    }
    let steps: Vec<(usize, u32)> = session
        .steps
        .iter()
        .filter_map(|s| {
            let a = kb.action_index(&s.action)?;
            let o = match s.outcome {
                Outcome::Fixed => 0,
                Outcome::NotFixed => 1,
                Outcome::CannotDo => 2,
            };
            Some((a, o))
        })
        .collect();
    let sources = answers.iter().any(|a| a.2 != Source::Question);
    let model = session.model.as_deref().and_then(model_symbols);
    let mut c = Content { lang: lang == Lang::En, provider, model, answers, steps, sources };
    let mut bits = body(kb, &c);
    while bits.0.len() > MAX_BODY_BITS {
        if c.sources {
            c.sources = false;
        } else if c.model.is_some() {
            c.model = None;
        } else if c.steps.pop().is_none() && c.answers.pop().is_none() {
            break;
        }
        bits = body(kb, &c);
    }
    let mut all = Bits::default();
    all.push(VERSION, 5);
    all.0.extend(bits.0);
    while all.0.len() % 5 != 0 {
        all.0.push(false);
    }
    let crc = crc10(&all.0);
    all.push(crc, CHECK_BITS);
    let mut code = String::new();
    for (i, five) in all.0.chunks(5).enumerate() {
        if i > 0 && i % 4 == 0 {
            code.push('-');
        }
        let v = five.iter().fold(0usize, |v, &b| (v << 1) | usize::from(b));
        code.push(CROCKFORD[v] as char);
    }
    code
}

/// A code's symbols, as typed: case, dashes and spaces ignored, I and L
/// read as 1, O as 0. None for anything else.
#[cfg(feature = "support")]
fn symbols(code: &str) -> Option<Vec<u32>> {
    let mut out = Vec::new();
    for c in code.chars() {
        let c = match c.to_ascii_uppercase() {
            '-' | ' ' | '\u{3000}' | '\t' | '\n' | '\r' => continue,
            'I' | 'L' => '1',
            'O' => '0',
            c => c,
        };
        let v = CROCKFORD.iter().position(|&x| char::from(x) == c)?;
        out.push(v as u32);
        if out.len() > MAX_SYMBOLS {
            return None;
        }
    }
    Some(out)
}

#[cfg(feature = "support")]
struct Reader<'a> {
    bits: &'a [bool],
    at: usize,
}

#[cfg(feature = "support")]
impl Reader<'_> {
    fn read(&mut self, width: usize) -> Result<u32, CaseError> {
        let end = self.at.checked_add(width).filter(|&e| e <= self.bits.len()).ok_or(CaseError::Damaged)?;
        let v = self.bits[self.at..end].iter().fold(0u32, |v, &b| (v << 1) | u32::from(b));
        self.at = end;
        Ok(v)
    }
}

/// Decodes a case code into a session of `kb` (with its provider and
/// model, when the code carries them) and the language it was made in.
/// Never panics.
#[cfg(feature = "support")]
pub fn decode(kb: &Kb, code: &str) -> Result<(Session, Lang), CaseError> {
    let code = code.trim();
    // The first layout: told apart by its first character, before any
    // case folding.
    if code.starts_with('A') {
        return v1::decode(kb, code);
    }
    let symbols = symbols(code).ok_or(CaseError::Damaged)?;
    let (&version, _) = symbols.split_first().ok_or(CaseError::Damaged)?;
    if version != VERSION {
        return Err(CaseError::Version);
    }
    if symbols.len() < 4 {
        return Err(CaseError::Damaged);
    }
    let mut bits = Vec::with_capacity(symbols.len() * 5);
    symbols.iter().for_each(|&s| (0..5).rev().for_each(|i| bits.push((s >> i) & 1 == 1)));
    let (data, check) = bits.split_at(bits.len() - CHECK_BITS);
    let crc = check.iter().fold(0u32, |v, &b| (v << 1) | u32::from(b));
    if crc10(data) != crc {
        return Err(CaseError::Damaged);
    }
    let mut r = Reader { bits: data, at: 5 };
    if r.read(FINGERPRINT_BITS)? != fingerprint(kb) & ((1 << FINGERPRINT_BITS) - 1) {
        return Err(CaseError::OtherKb);
    }
    let lang = if r.read(1)? == 1 { Lang::En } else { Lang::Zh };
    let mut session = Session::new(kb);
    let provider = r.read(PROVIDER_BITS)?;
    if provider != 0 && provider != PROVIDER_OTHER {
        session.provider = Some(Profile::builtin_id(provider as usize - 1).ok_or(CaseError::Damaged)?.to_string());
    }
    let model_len = r.read(width(MODEL_MAX + 1))? as usize;
    if model_len > MODEL_MAX {
        return Err(CaseError::Damaged);
    }
    if model_len > 0 {
        let mut m = String::new();
        for _ in 0..model_len {
            m.push(char::from(MODEL_CHARS[r.read(6)? as usize]));
        }
        session.model = Some(m);
    }
    let nq = kb.questions.len();
    let value_width = |q: usize| width(kb.questions[q].answers.len() + 2);
    let mut answers: Vec<(usize, u32)> = Vec::new();
    if r.read(1)? == 0 {
        for q in 0..nq {
            let v = r.read(value_width(q))?;
            if v > 0 {
                answers.push((q, v - 1));
            }
        }
    } else {
        for _ in 0..r.read(width(nq + 1))? {
            let q = r.read(width(nq))? as usize;
            if q >= nq {
                return Err(CaseError::Damaged);
            }
            let v = r.read(value_width(q))?;
            if v == 0 {
                return Err(CaseError::Damaged);
            }
            answers.push((q, v - 1));
        }
    }
    for &(q, v) in &answers {
        let question = &kb.questions[q];
        let value = if v == 0 { NOT_SURE } else { &question.answers.get(v as usize - 1).ok_or(CaseError::Damaged)?.value };
        let fact = question.id.clone();
        if !session.answer(kb, &fact, value) {
            return Err(CaseError::Damaged);
        }
    }
    if r.read(1)? == 1 {
        for a in session.answers.iter_mut() {
            a.source = match r.read(2)? {
                0 => Source::Question,
                1 => Source::Opening,
                2 => Source::Link,
                _ => return Err(CaseError::Damaged),
            };
        }
    }
    let na = kb.actions.len();
    for _ in 0..r.read(width(na + 1))? {
        let action = kb.actions.get(r.read(width(na))? as usize).ok_or(CaseError::Damaged)?;
        let outcome = match r.read(2)? {
            0 => Outcome::Fixed,
            1 => Outcome::NotFixed,
            2 => Outcome::CannotDo,
            _ => return Err(CaseError::Damaged),
        };
        let id = action.id.clone();
        session.mark(kb, &id, outcome);
    }
    // Only the padding to a whole symbol is left, all zero.
    let rest = &data[r.at..];
    if rest.len() >= 5 || rest.iter().any(|&b| b) {
        return Err(CaseError::Damaged);
    }
    Ok((session, lang))
}

/// The first layout ('A', then URL-safe base64 of: 3 bytes of fingerprint,
/// language, answers, steps, sources, checksum): decoded only, so codes
/// already handed out still open.
#[cfg(feature = "support")]
mod v1 {
    use super::{fingerprint, CaseError};
    use crate::engine::Outcome;
    use crate::kb::{Kb, Lang};
    use crate::session::{Session, Source, NOT_SURE};

    const CASE_VERSION: char = 'A';
    const NOT_SURE_BYTE: u8 = 0xFF;
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    fn b64_decode(s: &str) -> Option<Vec<u8>> {
        if s.len() % 4 == 1 {
            return None;
        }
        let mut out = Vec::with_capacity(s.len() * 3 / 4);
        for chunk in s.as_bytes().chunks(4) {
            let mut n = 0u32;
            for (i, &c) in chunk.iter().enumerate() {
                let v = ALPHABET.iter().position(|&a| a == c)? as u32;
                n |= v << (18 - 6 * i);
            }
            for i in 0..chunk.len() - 1 {
                out.push((n >> (16 - 8 * i)) as u8);
            }
        }
        Some(out)
    }

    fn checksum(bytes: &[u8]) -> u8 {
        bytes.iter().fold(0x5Au8, |acc, &b| acc.rotate_left(3) ^ b)
    }

    /// Decodes a case code into a session of `kb`. Never panics.
    pub fn decode(kb: &Kb, code: &str) -> Result<(Session, Lang), CaseError> {
        let code = code.trim_ascii();
        let mut chars = code.chars();
        match chars.next() {
            Some(CASE_VERSION) => {}
            Some(c) if c.is_ascii_uppercase() => return Err(CaseError::Version),
            _ => return Err(CaseError::Damaged),
        }
        if code.len() > 400 {
            return Err(CaseError::Damaged);
        }
        let bytes = b64_decode(chars.as_str()).ok_or(CaseError::Damaged)?;
        let (&sum, body) = bytes.split_last().ok_or(CaseError::Damaged)?;
        if body.len() < 6 || checksum(body) != sum {
            return Err(CaseError::Damaged);
        }
        if body[..3] != fingerprint(kb).to_be_bytes()[..3] {
            return Err(CaseError::OtherKb);
        }
        let lang = if body[3] == 1 { Lang::En } else { Lang::Zh };
        let mut session = Session::new(kb);
        let mut rest = &body[4..];
        let take_pairs = |rest: &mut &[u8]| -> Result<Vec<(u8, u8)>, CaseError> {
            let (&n, tail) = rest.split_first().ok_or(CaseError::Damaged)?;
            let n = usize::from(n);
            if tail.len() < 2 * n {
                return Err(CaseError::Damaged);
            }
            let pairs = tail[..2 * n].chunks(2).map(|p| (p[0], p[1])).collect();
            *rest = &tail[2 * n..];
            Ok(pairs)
        };
        let answers = take_pairs(&mut rest)?;
        for (q, j) in answers.iter().copied() {
            let question = kb.questions.get(usize::from(q)).ok_or(CaseError::Damaged)?;
            let value = if j == NOT_SURE_BYTE {
                NOT_SURE
            } else {
                &question.answers.get(usize::from(j)).ok_or(CaseError::Damaged)?.value
            };
            let fact = question.id.clone();
            session.answer(kb, &fact, value);
        }
        for (a, o) in take_pairs(&mut rest)? {
            let action = kb.actions.get(usize::from(a)).ok_or(CaseError::Damaged)?;
            let outcome = match o {
                0 => Outcome::Fixed,
                1 => Outcome::NotFixed,
                2 => Outcome::CannotDo,
                _ => return Err(CaseError::Damaged),
            };
            let id = action.id.clone();
            session.mark(kb, &id, outcome);
        }
        // The answers' sources, if the code has them (see `encode`).
        if !rest.is_empty() {
            if rest.len() != answers.len().div_ceil(4) || answers.len() != session.answers.len() {
                return Err(CaseError::Damaged);
            }
            for (i, a) in session.answers.iter_mut().enumerate() {
                a.source = match (rest[i / 4] >> (2 * (i % 4))) & 3 {
                    0 => Source::Question,
                    1 => Source::Opening,
                    2 => Source::Link,
                    _ => return Err(CaseError::Damaged),
                };
            }
        }
        Ok((session, lang))
    }

    /// The first layout's encoder, for the tests only: codes like those
    /// handed out before must still open.
    #[cfg(test)]
    const MAX_PAIRS: usize = 62;
    #[cfg(test)]
    fn b64_encode(bytes: &[u8]) -> String {
        let mut out = String::with_capacity(bytes.len() * 4 / 3 + 3);
        for chunk in bytes.chunks(3) {
            let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | (u32::from(b) << (16 - 8 * i)));
            for i in 0..=chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            }
        }
        out
    }

    /// Encodes the session. Entries the KB does not know are left out.
    #[cfg(test)]
    pub fn encode(kb: &Kb, session: &Session, lang: Lang) -> String {
        let mut bytes = fingerprint(kb).to_be_bytes()[..3].to_vec();
        bytes.push(u8::from(lang == Lang::En));
        let answers: Vec<(u8, u8, Source)> = session
            .answers
            .iter()
            .filter_map(|a| {
                let q = kb.question_index(&a.fact)?;
                let j = if a.value == NOT_SURE {
                    NOT_SURE_BYTE
                } else {
                    // An index past 254 does not fit (255 is "not sure"): left
                    // out rather than misread as another answer.
                    let j = kb.questions[q].answers.iter().position(|x| x.value == a.value)?;
                    u8::try_from(j).ok().filter(|&j| j != NOT_SURE_BYTE)?
                };
                Some((u8::try_from(q).ok()?, j, a.source))
            })
            // A session of a very large KB is cut short: the code stays a QR
            // code's size (and within what `decode` accepts).
            .take(MAX_PAIRS)
            .collect();
        bytes.push(answers.len() as u8);
        answers.iter().for_each(|&(q, j, _)| bytes.extend([q, j]));
        let steps: Vec<(u8, u8)> = session
            .steps
            .iter()
            .filter_map(|s| {
                let a = u8::try_from(kb.action_index(&s.action)?).ok()?;
                let o = match s.outcome {
                    Outcome::Fixed => 0,
                    Outcome::NotFixed => 1,
                    Outcome::CannotDo => 2,
                };
                Some((a, o))
            })
            .take(MAX_PAIRS - answers.len())
            .collect();
        bytes.push(steps.len() as u8);
        steps.iter().for_each(|&(a, o)| bytes.extend([a, o]));
        // Where each answer came from, two bits each, four a byte; left out
        // when every answer came from a question (codes of the first layout,
        // which had no sources, read the same way).
        if answers.iter().any(|&(_, _, s)| s != Source::Question) {
            for four in answers.chunks(4) {
                bytes.push(four.iter().enumerate().fold(0u8, |b, (i, &(_, _, s))| b | (source_bits(s) << (2 * i))));
            }
        }
        bytes.push(checksum(&bytes));
        let mut code = String::from(CASE_VERSION);
        code.push_str(&b64_encode(&bytes));
        code
    }

    #[cfg(test)]
    fn source_bits(s: Source) -> u8 {
        match s {
            Source::Question => 0,
            Source::Opening => 1,
            Source::Link => 2,
        }
    }

}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb;
    use serde_json::json;

    /// A valid KB of `questions` questions of `answers` answers each.
    fn big_kb(questions: usize, answers: usize, actions: usize) -> Kb {
        let text = json!({"zh-CN": "x", "en": "x"});
        let answer_list: Vec<_> = (0..answers).map(|j| json!({"value": format!("v{j}"), "text": text})).collect();
        let row = |first: f64| {
            let rest = (1.0 - first) / (answers - 1) as f64;
            (0..answers).map(|j| (format!("v{j}"), json!(if j == 0 { first } else { rest }))).collect::<serde_json::Map<_, _>>()
        };
        let kb = json!({
            "schema": 1, "id": "big", "version": "1", "title": text,
            "cost_model": {"per_step": 1.0, "per_minute": 0.1},
            "causes": [
                {"id": "a", "from": "seed", "name": text, "detail": text, "prior": 0.5},
                {"id": "b", "from": "seed", "name": text, "detail": text, "prior": 0.5}
            ],
            "questions": (0..questions).map(|i| json!({
                "id": format!("q{i}"), "text": text, "p_known": 1.0, "cost": 1,
                "answers": answer_list, "likelihoods": {"a": row(0.5), "b": row(0.25)}
            })).collect::<Vec<_>>(),
            "actions": (0..actions).map(|i| json!({
                "id": format!("act{i}"), "title": text, "how": {"zh-CN": ["x"], "en": ["x"]}, "why": text,
                "cost": 1, "fixes": {"a": 0.5, "b": 0.5}
            })).collect::<Vec<_>>(),
            "tips": []
        });
        kb::load(&kb.to_string()).expect("valid")
    }

    #[test]
    fn answer_indices_of_large_questions_round_trip() {
        let kb = big_kb(1, 300, 1);
        for j in [0, 254, 255, 299] {
            let mut s = Session::new(&kb);
            assert!(s.answer(&kb, "q0", &format!("v{j}")));
            let (back, _) = decode(&kb, &encode(&kb, &s, Lang::En)).unwrap();
            assert_eq!(back.answers, s.answers, "answer v{j}");
        }
    }

    #[test]
    fn large_sessions_are_cut_short_not_corrupted() {
        let kb = big_kb(300, 2, 300);
        for (answered, marked) in [(300, 300), (40, 300), (0, 300), (69, 1), (3, 2)] {
            let mut s = Session::new(&kb);
            (0..answered).for_each(|i| assert!(s.answer(&kb, &format!("q{i}"), "v1")));
            (0..marked).for_each(|i| assert!(s.mark(&kb, &format!("act{i}"), Outcome::NotFixed)));
            let code = encode(&kb, &s, Lang::Zh);
            assert!(code.chars().filter(|&c| c != '-').count() <= MAX_SYMBOLS, "{code}");
            let (back, _) = decode(&kb, &code).expect("a code of a large session decodes");
            // What is kept is the session's beginning, unchanged.
            assert_eq!(back.answers, s.answers[..back.answers.len()]);
            assert_eq!(back.steps, s.steps[..back.steps.len()]);
            if answered + marked <= 5 {
                assert_eq!((back.answers.len(), back.steps.len()), (answered, marked), "a small session fits whole");
            }
        }
    }

    fn sample(kb: &Kb) -> Session {
        let mut s = Session::new(kb);
        s.model = Some("A8".into());
        s.provider = Some("lakala".into());
        assert!(s.answer_from(kb, "payment_result", "success", Source::Link));
        assert!(s.answer(kb, "restarted_since", "yes"));
        assert!(s.mark(kb, "action.restart", Outcome::NotFixed));
        s
    }

    #[test]
    fn codes_are_crockford_in_dashed_groups_of_four_and_carry_provider_and_model() {
        let kb = kb::default_kb().unwrap();
        let s = sample(&kb);
        let code = encode(&kb, &s, Lang::En);
        let groups: Vec<&str> = code.split('-').collect();
        assert!(groups[..groups.len() - 1].iter().all(|g| g.len() == 4), "{code}");
        assert!(code.bytes().all(|c| c == b'-' || CROCKFORD.contains(&c)), "{code}");
        assert!(code.len() - groups.len() < MAX_SYMBOLS);
        assert!(code.starts_with('2'), "the version symbol");
        let (back, lang) = decode(&kb, &code).unwrap();
        assert_eq!(lang, Lang::En);
        assert_eq!((back.model.as_deref(), back.provider.as_deref()), (Some("A8"), Some("lakala")));
        assert_eq!((back.answers.clone(), back.steps.clone()), (s.answers.clone(), s.steps.clone()));
        // Read aloud and typed back: any case, spaces, I/L for 1, O for 0.
        let typed = code.to_lowercase().replace('-', " ").replace('1', "l").replace('0', "O");
        assert_eq!(decode(&kb, &typed).unwrap().0, back);
        // A model name too long for the code is left out; the rest stays.
        let mut long = s.clone();
        long.model = Some("Super-Terminal 9000".into());
        assert_eq!(decode(&kb, &encode(&kb, &long, Lang::Zh)).unwrap().0.model, None);
    }

    #[test]
    fn every_single_symbol_typo_is_caught() {
        let kb = kb::default_kb().unwrap();
        let code: Vec<u8> = encode(&kb, &sample(&kb), Lang::Zh).bytes().filter(|&c| c != b'-').collect();
        for i in 0..code.len() {
            for &c in CROCKFORD.iter().filter(|&&c| c != code[i]) {
                let mut typo = code.clone();
                typo[i] = c;
                let typo = String::from_utf8(typo).unwrap();
                assert!(decode(&kb, &typo).is_err(), "{typo}");
            }
        }
        // Two neighbouring symbols swapped are caught too.
        for i in 1..code.len() - 1 {
            let mut swap = code.clone();
            swap.swap(i, i + 1);
            if swap != code {
                assert!(decode(&kb, &String::from_utf8(swap).unwrap()).is_err());
            }
        }
    }

    #[test]
    fn first_layout_codes_still_open_and_other_versions_say_so() {
        let kb = kb::default_kb().unwrap();
        let s = sample(&kb);
        let old = v1::encode(&kb, &s, Lang::En);
        assert!(old.starts_with('A') && old.bytes().any(|c| c.is_ascii_lowercase()), "{old}");
        let (back, lang) = decode(&kb, &old).unwrap();
        assert_eq!((back.answers, back.steps, lang), (s.answers.clone(), s.steps.clone(), Lang::En));
        let new = encode(&kb, &s, Lang::En);
        let other = format!("3{}", &new[1..]);
        assert_eq!(decode(&kb, &other), Err(CaseError::Version));
    }
}
