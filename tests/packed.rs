//! The packed knowledge base (`kb.bin`) is a second way to a `Kb`: the page
//! module decodes it instead of validating JSON. These tests tie it to the
//! one full set of checks, `kb::load`: decode ∘ encode gives back the
//! validated KB, and whatever decode accepts, damaged or not, written back
//! as knowledge-base JSON passes `kb::load` too.

use posdoctor::kb::{self, packed, Kb, Shows, Text, TextList};
use proptest::prelude::*;
use serde_json::{json, Map, Value};

fn text(t: &Text) -> Value {
    json!({"zh-CN": t.zh, "en": t.en})
}

fn list(l: &TextList) -> Value {
    json!({"zh-CN": l.zh, "en": l.en})
}

/// `kb` written as knowledge-base JSON (every likelihood row by cause, no
/// notes), for `kb::load`.
fn to_json(kb: &Kb) -> Value {
    let cause_id = |c: usize| kb.causes[c].id.clone();
    let fact_value = |(q, a): (usize, usize)| {
        json!({"fact": kb.questions[q].id, "value": kb.questions[q].answers[a].value})
    };
    let causes: Vec<Value> = kb
        .causes
        .iter()
        .map(|c| {
            json!({"id": c.id, "from": if c.seed { "seed" } else { "ext" }, "name": text(&c.name),
                   "detail": text(&c.detail), "prior": c.prior})
        })
        .collect();
    let questions: Vec<Value> = kb
        .questions
        .iter()
        .map(|q| {
            let answers: Vec<Value> = q
                .answers
                .iter()
                .map(|a| {
                    let mut v = json!({"value": a.value, "text": text(&a.text)});
                    if let Some(p) = &a.picture {
                        v["picture"] = json!(p);
                    }
                    v
                })
                .collect();
            let mut likelihoods = Map::new();
            for (c, row) in q.likelihood.iter().enumerate() {
                let row: Map<String, Value> = q.answers.iter().zip(row).map(|(a, p)| (a.value.clone(), json!(p))).collect();
                likelihoods.insert(cause_id(c), Value::Object(row));
            }
            let mut v = json!({"id": q.id, "text": text(&q.text), "p_known": q.p_known, "cost": q.minutes,
                               "answers": answers, "likelihoods": likelihoods});
            if let Some(h) = &q.help {
                v["help"] = text(h);
            }
            if !q.skip_if_known.is_empty() {
                let skips: Vec<&str> = q.skip_if_known.iter().map(|&o| kb.questions[o].id.as_str()).collect();
                v["skip_if_known"] = json!(skips);
            }
            if let Some(o) = &q.offered_in {
                let values: Vec<&str> = o.answers.iter().map(|&j| q.answers[j].value.as_str()).collect();
                v["offered_in"] = json!({"question": kb.questions[o.question].id, "answers": values});
            }
            v
        })
        .collect();
    let actions: Vec<Value> = kb
        .actions
        .iter()
        .map(|a| {
            let fixes: Map<String, Value> = a.fixes.iter().map(|&(c, p)| (cause_id(c), json!(p))).collect();
            let mut v = json!({"id": a.id, "title": text(&a.title), "how": list(&a.how), "why": text(&a.why),
                               "cost": a.minutes, "fixes": fixes});
            if let (Some(p), Some(s)) = (a.pays, &kb.safety) {
                v["pays"] = json!(kb.questions[s.fee].answers[p].value);
            }
            if let Some(shows) = a.shows {
                v["shows"] = json!(shows.name());
            }
            if let Some(Shows::ActivationWait { since: Some(q) }) = a.shows {
                // Out of range: a name no fact has, which the full checks refuse.
                v["wait_since"] = json!(kb.questions.get(q).map_or("#no-such-fact", |q| q.id.as_str()));
            }
            v
        })
        .collect();
    let tips: Vec<Value> = kb
        .tips
        .iter()
        .map(|t| json!({"id": t.id, "text": text(&t.text), "causes": t.causes.iter().map(|&c| cause_id(c)).collect::<Vec<_>>()}))
        .collect();
    let observations: Vec<Value> = kb
        .observations
        .iter()
        .map(|o| {
            let q = &kb.questions[o.question];
            let mut v = json!({"fact": q.id, "value": q.answers[o.answer].value, "topic": kb::TOPICS[o.topic],
                               "text": text(&o.text), "cues": list(&o.cues)});
            if let Some(n) = o.negated {
                v["negated"] = json!(q.answers[n].value);
            }
            if o.more {
                v["more"] = json!(true);
            }
            if let Some((lo, hi)) = o.hours {
                v["hours"] = json!([lo, hi]);
            }
            if !(o.anchors.zh.is_empty() && o.anchors.en.is_empty()) {
                v["anchors"] = list(&o.anchors);
            }
            v
        })
        .collect();
    let mut root = json!({"schema": 1, "id": kb.id, "version": kb.version, "title": text(&kb.title),
        "cost_model": {"per_step": kb.cost_model.per_step, "per_minute": kb.cost_model.per_minute},
        "causes": causes, "questions": questions, "actions": actions, "tips": tips, "observations": observations});
    if let Some(s) = &kb.safety {
        root["safety"] = json!({"paid": fact_value(s.paid), "fee": kb.questions[s.fee].id,
            "untrusted": s.untrusted.iter().map(|&p| fact_value(p)).collect::<Vec<_>>(),
            "verify": kb.actions[s.verify].id, "note": "-"});
    }
    let words = &kb.shop_words;
    if !(words.sales.zh.is_empty() && words.sales.en.is_empty() && words.router.zh.is_empty() && words.router.en.is_empty()) {
        root["shop_words"] = json!({"sales": list(&words.sales), "router": list(&words.router), "providers": list(&words.providers),
            "banks": list(&words.banks), "other_payments": list(&words.other_payments), "agents": list(&words.agents)});
    }
    root
}

/// What `kb::load` says of a KB that `packed::decode` accepted.
fn full_checks(kb: &Kb) -> Result<Kb, String> {
    kb::load(&to_json(kb).to_string()).map_err(|errors| errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"))
}

#[test]
fn decode_of_encode_is_the_validated_kb() {
    let kb = kb::default_kb().unwrap();
    assert_eq!(packed::decode_with_cues(&packed::encode(&kb)).as_ref(), Some(&kb));
    let tiny = kb::load(include_str!("fixtures/tiny-kb.json")).unwrap();
    assert_eq!(packed::decode_with_cues(&packed::encode(&tiny)).as_ref(), Some(&tiny));
    // The writer above is faithful: the validated KB comes back through it.
    assert_eq!(full_checks(&kb), Ok(kb));
    assert_eq!(full_checks(&tiny), Ok(tiny));
}

#[test]
fn the_writer_is_checked_too() {
    // A test writer that dropped what it was given would make the
    // property below vacuous: a KB the full checks refuse stays refused.
    let mut kb = kb::default_kb().unwrap();
    kb.actions[1].id = kb.actions[0].id.clone();
    assert!(full_checks(&kb).unwrap_err().contains("duplicate id"));
}

/// Asserts the property on one input: no panic (the test would fail), and
/// a KB decode accepts passes the full checks.
fn decoded_passes_full_checks(bytes: &[u8]) -> Result<(), TestCaseError> {
    if let Some(kb) = packed::decode_with_cues(bytes) {
        if let Err(errors) = full_checks(&kb) {
            return Err(TestCaseError::fail(format!("decode accepted a KB the full checks refuse:\n{errors}")));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// A few bytes of the default pack changed, dropped or added.
    #[test]
    fn damaged_packs_are_refused_or_pass_the_full_checks(
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..4), 1..4)
    ) {
        let mut bytes = packed::encode(&kb::default_kb().unwrap());
        for (at, byte, how) in edits {
            let i = at.index(bytes.len());
            match how {
                0 => bytes[i] = byte,
                1 => bytes[i] ^= 1 << (byte % 8),
                2 => { bytes.remove(i); }
                _ => bytes.insert(i, byte),
            }
        }
        decoded_passes_full_checks(&bytes)?;
    }

    /// Arbitrary bytes behind a valid header.
    #[test]
    fn arbitrary_bytes_are_refused_or_pass_the_full_checks(tail in prop::collection::vec(any::<u8>(), 0..512)) {
        let mut bytes = packed::encode(&kb::load(include_str!("fixtures/tiny-kb.json")).unwrap())[..5].to_vec();
        bytes.extend(tail);
        decoded_passes_full_checks(&bytes)?;
    }
}

type Damage = fn(&mut Kb);

/// The step the default KB marks to show the activation wait.
fn wait_step(kb: &Kb) -> usize {
    kb.actions.iter().position(|a| matches!(a.shows, Some(Shows::ActivationWait { .. }))).expect("a wait step")
}

/// Damage that keeps the pack well formed but breaks a rule of the full
/// checks: what a provider's hand-made or tampered `kb.bin` could hold.
#[test]
fn packs_of_kbs_the_full_checks_refuse_are_refused() {
    let base = kb::default_kb().unwrap();
    let damage: Vec<(&str, Damage)> = vec![
        ("empty title", |kb| kb.title.en = " ".into()),
        ("empty id", |kb| kb.id = String::new()),
        ("duplicate cause id", |kb| kb.causes[1].id = kb.causes[0].id.clone()),
        ("duplicate action id", |kb| kb.actions[1].id = kb.actions[0].id.clone()),
        ("id with a space", |kb| kb.questions[0].id = "a b".into()),
        ("duplicate answer value", |kb| kb.questions[0].answers[1].value = kb.questions[0].answers[0].value.clone()),
        ("not_sure as an answer", |kb| kb.questions[0].answers[0].value = "not_sure".into()),
        ("empty how-to list", |kb| kb.actions[0].how.en.clear()),
        ("a cause no step fixes", |kb| kb.actions.iter_mut().for_each(|a| a.fixes.retain(|&(c, _)| c != 0))),
        ("a question that changes no belief", |kb| {
            let row = kb.questions[0].likelihood[0].clone();
            kb.questions[0].likelihood.iter_mut().for_each(|r| *r = row.clone());
        }),
        ("a duplicate chip", |kb| {
            let o = kb.observations[0].clone();
            kb.observations.push(o);
        }),
        ("anchors without hours", |kb| {
            let o = &mut kb.observations[0];
            o.hours = None;
            o.anchors = TextList { zh: vec!["x".into()], en: vec![] };
        }),
        ("two wait steps", |kb| kb.actions[1].shows = Some(Shows::ActivationWait { since: None })),
        ("a paying step with a profile link", |kb| {
            let a = kb.actions.iter().position(|a| a.pays.is_some()).unwrap();
            kb.actions[a].shows = Some(Shows::ServiceUrl);
        }),
        ("a wait since a fact without hours", |kb| {
            let w = wait_step(kb);
            kb.actions[w].shows = Some(Shows::ActivationWait { since: Some(kb.safety.as_ref().unwrap().fee) });
        }),
        ("a wait since a fact past the questions", |kb| {
            let w = wait_step(kb);
            kb.actions[w].shows = Some(Shows::ActivationWait { since: Some(kb.questions.len()) });
        }),
    ];
    let mut accepted = Vec::new();
    for (what, damage) in damage {
        let mut kb = base.clone();
        damage(&mut kb);
        assert!(full_checks(&kb).is_err(), "{what}: the full checks accept it, so it tests nothing");
        if packed::decode_with_cues(&packed::encode(&kb)).is_some() {
            accepted.push(what);
        }
    }
    assert!(accepted.is_empty(), "decode accepts packs the full checks refuse: {accepted:?}");
}
