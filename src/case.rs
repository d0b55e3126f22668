//! The case code: a merchant's session in a short, URL-safe, versioned
//! string (`A-Za-z0-9_-`, well under 200 characters) that a support agent
//! opens as `#case=CODE`. It holds indices into the knowledge base, never
//! free text: facts answered, step outcomes, language, and a fingerprint of
//! the knowledge base so a code from another KB is refused, not misread.

use crate::engine::Outcome;
use crate::kb::{Kb, Lang};
use crate::session::{parse_outcome, Session, Source, NOT_SURE};

/// Bumped when the layout changes; the first character of every code.
const CASE_VERSION: char = 'A';
const NOT_SURE_BYTE: u8 = 0xFF;
/// Answers plus steps a code holds at most: 7 + 2 × 62 bytes, plus 16
/// bytes of answer sources, is 197 characters. The default KB has under 60
/// facts and steps in all.
const MAX_PAIRS: usize = 62;

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

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

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

#[cfg(feature = "support")]
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

/// Encodes the session. Entries the KB does not know are left out.
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
            let o = match parse_outcome(&s.outcome)? {
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

fn source_bits(s: Source) -> u8 {
    match s {
        Source::Question => 0,
        Source::Opening => 1,
        Source::Link => 2,
    }
}

/// Decodes a case code into a session of `kb`. Never panics.
#[cfg(feature = "support")]
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

/// The merchant's page module is built without the decoder (feature
/// `support`): only support agents open case links, and the page loads the
/// support module for them (www/pos-doctor.js). Should a case link reach
/// this module anyway, it is one it cannot read: the `link` notice says so.
#[cfg(not(feature = "support"))]
pub fn decode(_kb: &Kb, _code: &str) -> Result<(Session, Lang), CaseError> {
    Err(CaseError::Damaged)
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
    fn answer_indices_past_254_are_left_out_not_misread() {
        let kb = big_kb(1, 300, 1);
        for j in [0, 254, 255, 299] {
            let mut s = Session::new(&kb);
            assert!(s.answer(&kb, "q0", &format!("v{j}")));
            let (back, _) = decode(&kb, &encode(&kb, &s, Lang::En)).unwrap();
            let expected = if j < 255 { s.answers.clone() } else { Vec::new() };
            assert_eq!(back.answers, expected, "answer v{j}");
        }
    }

    #[test]
    fn large_sessions_are_cut_short_not_corrupted() {
        let kb = big_kb(300, 2, 300);
        for (answered, marked) in [(300, 300), (40, 300), (0, 300), (69, 1)] {
            let mut s = Session::new(&kb);
            (0..answered).for_each(|i| assert!(s.answer(&kb, &format!("q{i}"), "v1")));
            (0..marked).for_each(|i| assert!(s.mark(&kb, &format!("act{i}"), Outcome::NotFixed)));
            let code = encode(&kb, &s, Lang::Zh);
            assert!(code.len() < 200, "{} characters", code.len());
            let (back, _) = decode(&kb, &code).expect("a code of a large session decodes");
            let n = answered.min(MAX_PAIRS);
            assert_eq!(back.answers, s.answers[..n]);
            assert_eq!(back.steps, s.steps[..marked.min(MAX_PAIRS - n)]);
        }
    }
}
