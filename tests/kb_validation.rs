//! Every class of knowledge-base error is reported with its exact JSON path,
//! all at once, and nothing panics whatever the bytes.

use posdoctor::kb::{self, KbError, Shows};
use proptest::prelude::*;
use serde_json::{json, Value};

fn tiny() -> Value {
    serde_json::from_str(include_str!("fixtures/tiny-kb.json")).unwrap()
}

fn errors_of(v: &Value) -> Vec<KbError> {
    kb::load_source(v.to_string().as_bytes()).expect_err("expected validation errors")
}

/// Asserts that `v` fails with an error at exactly `path` whose message
/// contains `needle`.
fn expect(v: &Value, path: &str, needle: &str) {
    let errors = errors_of(v);
    assert!(
        errors.iter().any(|e| e.path == path && e.message.contains(needle)),
        "no error at {path} containing {needle:?}; got:\n{}",
        errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn fixture_and_default_kb_validate() {
    assert!(kb::load(&tiny().to_string()).is_ok());
    let kb = kb::default_kb().expect("default KB validates");
    assert!(kb.causes.len() >= 19 && kb.actions.len() >= 15 && kb.questions.len() >= 17);
}

#[test]
fn parse_errors_give_line_and_column() {
    let e = kb::load("{\n  \"schema\": 1,\n  oops\n}").unwrap_err();
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].path, "$");
    assert!(e[0].message.contains("line 3, column 3"), "{}", e[0]);
}

#[test]
fn empty_truncated_and_binary_input() {
    for bytes in [&b""[..], b"{\"schema\": 1, \"causes\": [", b"\x00\xff\xfe garbage \x80", b"null", b"[]", b"42"] {
        let e = kb::load_bytes(bytes).unwrap_err();
        assert!(!e.is_empty());
        assert_eq!(e[0].path, "$", "{:?}", e[0]);
    }
    let e = kb::load("").unwrap_err();
    assert!(e[0].message.contains("ends too early"), "{}", e[0]);
}

#[test]
fn wrong_type() {
    let mut v = tiny();
    v["causes"][0]["prior"] = json!("high");
    expect(&v, "$.causes[0].prior", "expected a number, found a string");
    let mut v = tiny();
    v["actions"] = json!({"a": 1});
    expect(&v, "$.actions", "expected an array, found an object");
}

#[test]
fn unknown_field_and_missing_field() {
    let mut v = tiny();
    v["causes"][0]["colour"] = json!("red");
    expect(&v, "$.causes[0].colour", "unknown field");
    let mut v = tiny();
    v["questions"][0].as_object_mut().unwrap().remove("p_known");
    expect(&v, "$.questions[0].p_known", "missing field");
}

#[test]
fn unknown_cause_id() {
    let mut v = tiny();
    v["questions"][0]["likelihoods"]["zz"] = json!({"yes": 0.5, "no": 0.5});
    expect(&v, "$.questions[0].likelihoods.zz", "unknown cause id \"zz\"");
    let mut v = tiny();
    v["actions"][0]["fixes"]["bank.x"] = json!(0.5);
    expect(&v, "$.actions[0].fixes[\"bank.x\"]", "unknown cause id");
    let mut v = tiny();
    v["tips"][0]["causes"] = json!(["a", "nope"]);
    expect(&v, "$.tips[0].causes[1]", "unknown cause id \"nope\"");
}

#[test]
fn duplicate_ids() {
    let mut v = tiny();
    v["causes"][1]["id"] = json!("a");
    expect(&v, "$.causes[1].id", "duplicate id \"a\" (first at $.causes[0])");
    let mut v = tiny();
    v["actions"][2]["id"] = json!("fix_a");
    expect(&v, "$.actions[2].id", "duplicate id");
    let mut v = tiny();
    v["questions"][0]["answers"][1]["value"] = json!("yes");
    expect(&v, "$.questions[0].answers[1].value", "duplicate answer value");
}

#[test]
fn probabilities_out_of_range_and_bad_priors() {
    let mut v = tiny();
    v["actions"][0]["fixes"]["a"] = json!(1.5);
    expect(&v, "$.actions[0].fixes.a", "outside [0, 1]");
    let mut v = tiny();
    v["questions"][0]["p_known"] = json!(-0.1);
    expect(&v, "$.questions[0].p_known", "outside [0, 1]");
    let mut v = tiny();
    v["causes"][2]["prior"] = json!(0);
    expect(&v, "$.causes[2].prior", "must be greater than 0");
    let mut v = tiny();
    v["causes"][2]["prior"] = json!(-3);
    expect(&v, "$.causes[2].prior", "must be greater than 0");
}

#[test]
fn likelihoods_must_sum_to_one() {
    let mut v = tiny();
    v["questions"][0]["likelihoods"]["a"] = json!({"yes": 0.9, "no": 0.2});
    expect(&v, "$.questions[0].likelihoods.a", "sum to 1.1, not 1");
    let mut v = tiny();
    v["questions"][0]["likelihoods"]["default"] = json!({"yes": 0.5});
    expect(&v, "$.questions[0].likelihoods.default.no", "missing probability");
    let mut v = tiny();
    v["questions"][0]["likelihoods"]["b"] = json!({"yes": 0.5, "no": 0.4, "maybe": 0.1});
    expect(&v, "$.questions[0].likelihoods.b.maybe", "unknown answer value");
}

#[test]
fn cause_no_action_can_fix() {
    let mut v = tiny();
    v["actions"][2]["fixes"] = json!({"a": 0.9, "b": 0.9});
    expect(&v, "$.causes[2]", "no action can fix cause \"c\"");
}

#[test]
fn action_that_fixes_nothing() {
    let mut v = tiny();
    v["actions"][1]["fixes"] = json!({});
    expect(&v, "$.actions[1].fixes", "fixes nothing");
    let mut v = tiny();
    v["actions"][1]["fixes"] = json!({"b": 0});
    expect(&v, "$.actions[1].fixes", "fixes nothing");
}

#[test]
fn question_that_cannot_change_any_belief() {
    let mut v = tiny();
    v["questions"][0]["likelihoods"] = json!({"default": {"yes": 0.3, "no": 0.7}});
    expect(&v, "$.questions[0].likelihoods", "cannot change any belief");
}

#[test]
fn missing_or_empty_translation() {
    let mut v = tiny();
    v["causes"][0]["name"].as_object_mut().unwrap().remove("en");
    expect(&v, "$.causes[0].name.en", "missing en text");
    let mut v = tiny();
    v["actions"][0]["how"]["zh-CN"] = json!([]);
    expect(&v, "$.actions[0].how[\"zh-CN\"]", "empty zh-CN text");
    let mut v = tiny();
    v["title"]["zh-CN"] = json!("  ");
    expect(&v, "$.title[\"zh-CN\"]", "empty zh-CN text");
}

#[test]
fn notes_are_required_in_sources_only() {
    let mut v = tiny();
    v["actions"][1].as_object_mut().unwrap().remove("note");
    expect(&v, "$.actions[1].note", "missing field");
    assert!(kb::load(&v.to_string()).is_ok(), "runtime loading accepts a KB stripped of notes");
    assert!(kb::load_source(include_bytes!("../kb/pos-renewal.json")).is_ok(), "the default KB source validates with its notes");
}

#[test]
fn ids_without_spaces_and_a_size_limit() {
    let mut v = tiny();
    v["causes"][1]["id"] = json!("b b");
    expect(&v, "$.causes[1].id", "must not contain spaces");
    let mut v = tiny();
    v["questions"][0]["answers"][0]["value"] = json!("y\u{7}es");
    expect(&v, "$.questions[0].answers[0].value", "must not contain spaces");
    let huge = vec![b' '; kb::MAX_KB_BYTES + 1];
    let e = kb::load_bytes(&huge).unwrap_err();
    assert!(e[0].path == "$" && e[0].message.contains("at most"), "{}", e[0]);
}

#[test]
fn skip_if_known_names_other_facts() {
    let mut v = tiny();
    v["questions"][0]["skip_if_known"] = json!(["nope"]);
    expect(&v, "$.questions[0].skip_if_known[0]", "unknown fact \"nope\"");
    let mut v = tiny();
    v["questions"][0]["skip_if_known"] = json!(["light"]);
    expect(&v, "$.questions[0].skip_if_known[0]", "cannot skip itself");
    let mut v = tiny();
    v["questions"][0]["skip_if_known"] = json!("light");
    expect(&v, "$.questions[0].skip_if_known", "expected an array of fact ids");
}

#[test]
fn not_sure_is_reserved_and_schema_version_checked() {
    let mut v = tiny();
    v["questions"][0]["answers"][0]["value"] = json!("not_sure");
    expect(&v, "$.questions[0].answers[0].value", "not_sure");
    let mut v = tiny();
    v["schema"] = json!(2);
    expect(&v, "$.schema", "unsupported schema");
}

#[test]
fn every_error_is_reported_at_once() {
    let mut v = tiny();
    v["causes"][0]["prior"] = json!(0);
    v["actions"][0]["fixes"]["a"] = json!(2);
    v["tips"][0]["text"].as_object_mut().unwrap().remove("zh-CN");
    v["cost_model"]["per_step"] = json!("one");
    let paths: Vec<String> = errors_of(&v).into_iter().map(|e| e.path).collect();
    for p in ["$.causes[0].prior", "$.actions[0].fixes.a", "$.tips[0].text[\"zh-CN\"]", "$.cost_model.per_step"] {
        assert!(paths.iter().any(|x| x == p), "{p} missing from {paths:?}");
    }
}

#[test]
fn text_accepts_any_unicode() {
    let mut v = tiny();
    v["causes"][0]["name"]["en"] = json!("<img src=x onerror=alert(1)> & \"quotes\" \u{202e}rtl");
    let kb = kb::load(&v.to_string()).unwrap();
    assert!(kb.causes[0].name.en.starts_with("<img"));
}

/// Asserts that `v` fails with exactly `message` at exactly `path`.
fn expect_exact(v: &Value, path: &str, message: &str) {
    let errors = errors_of(v);
    assert!(
        errors.iter().any(|e| e.path == path && e.message == message),
        "no error \"{path}: {message}\"; got:\n{}",
        errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n")
    );
}

fn yes_no(id: &str, values: [&str; 2], row: (&str, f64)) -> Value {
    let answer = |v: &str| json!({"value": v, "text": {"zh-CN": v, "en": v}});
    json!({"id": id, "text": {"zh-CN": id, "en": id}, "p_known": 0.9, "cost": 0.2,
        "answers": [answer(values[0]), answer(values[1])],
        "likelihoods": {"default": {values[0]: 0.5, values[1]: 0.5}, row.0: {values[0]: row.1, values[1]: 1.0 - row.1}},
        "note": "n"})
}

/// The tiny fixture with every optional section: paying steps, the safety
/// section and observation chips (one with an `hours` range).
fn full() -> Value {
    let mut v = tiny();
    let questions = v["questions"].as_array_mut().unwrap();
    questions.push(yes_no("deducted", ["yes", "no"], ("a", 0.9)));
    questions.push(yes_no("fee", ["service", "sim"], ("b", 0.8)));
    questions.push(yes_no("via", ["app", "link"], ("c", 0.2)));
    questions.push(yes_no("since", ["under_1h", "over_1h"], ("a", 0.8)));
    v["actions"].as_array_mut().unwrap().push(json!({"id": "verify", "title": {"zh-CN": "查", "en": "Check"},
        "how": {"zh-CN": ["查"], "en": ["Check"]}, "why": {"zh-CN": "骗", "en": "Scam"}, "cost": 2, "fixes": {"c": 0.5}, "note": "n"}));
    v["actions"][0]["pays"] = json!("service");
    v["actions"][1]["pays"] = json!("sim");
    v["safety"] = json!({"paid": {"fact": "deducted", "value": "yes"}, "fee": "fee",
        "untrusted": [{"fact": "via", "value": "link"}], "verify": "verify", "note": "why the rules hold"});
    v["actions"][2]["shows"] = json!("activation_wait");
    v["actions"][2]["wait_since"] = json!("since");
    v["actions"][3]["shows"] = json!("status_url");
    v["observations"] = json!([
        {"fact": "deducted", "value": "yes", "topic": "payment", "text": {"zh-CN": "扣了钱", "en": "Money taken"},
         "cues": {"zh-CN": ["扣了钱", "扣款"], "en": ["money was taken"]}, "negated": "no"},
        {"fact": "deducted", "value": "no", "topic": "payment", "text": {"zh-CN": "没扣钱", "en": "No money taken"},
         "cues": {"zh-CN": ["没扣钱"], "en": ["no money taken"]}, "more": true},
        {"fact": "since", "value": "under_1h", "topic": "time", "text": {"zh-CN": "一小时内", "en": "Within an hour"},
         "cues": {"zh-CN": [], "en": []}, "hours": [0, 1], "anchors": {"zh-CN": ["交"], "en": ["paid"]}},
        {"fact": "via", "value": "link", "topic": "notices", "text": {"zh-CN": "链接付的", "en": "Paid by a link"},
         "cues": {"zh-CN": ["链接"], "en": ["a link"]}, "note": "how merchants say it"},
        {"fact": "light", "value": "yes", "topic": "screen", "text": {"zh-CN": "灯亮", "en": "Light on"},
         "cues": {"zh-CN": ["灯亮"], "en": ["light is on", "a link"]}, "more": false}
    ]);
    v
}

#[test]
fn a_kb_with_every_new_section_loads() {
    let v = full();
    // The mutation test below picks among all of its nodes.
    let mut nodes = 0;
    mutate(&mut v.clone(), usize::MAX, &mut nodes, &Value::Null);
    assert!(nodes < 400, "{nodes} nodes: raise the mutation test's range");
    let kb = kb::load_source(v.to_string().as_bytes()).unwrap_or_else(|e| panic!("{e:?}"));
    let q = |id: &str| kb.question_index(id).unwrap();
    let safety = kb.safety.clone().expect("safety section");
    assert_eq!(safety.paid, (q("deducted"), 0));
    assert_eq!(safety.fee, q("fee"));
    assert_eq!(safety.untrusted, vec![(q("via"), 1)]);
    assert_eq!(safety.verify, kb.action_index("verify").unwrap());
    let pays: Vec<Option<usize>> = kb.actions.iter().map(|a| a.pays).collect();
    assert_eq!(pays, [Some(0), Some(1), None, None]);
    let shows: Vec<Option<Shows>> = kb.actions.iter().map(|a| a.shows).collect();
    assert_eq!(shows, [None, None, Some(Shows::ActivationWait { since: Some(q("since")) }), Some(Shows::StatusUrl)]);
    assert_eq!(kb.observations.len(), 5);
    let o = &kb.observations[0];
    assert_eq!((o.question, o.answer, o.topic, o.negated, o.more), (q("deducted"), 0, 0, Some(1), false));
    assert_eq!(o.cues.zh, ["扣了钱", "扣款"]);
    let t = &kb.observations[2];
    assert_eq!((t.topic, t.hours, t.anchors.en.clone()), (1, Some((0.0, 1.0)), vec!["paid".to_string()]));
    assert!(kb.observations[1].more && kb.observations[2].cues.zh.is_empty());
    // The same cue for two different facts is no contradiction ("a link").
    assert_eq!(kb.observations[4].cues.en[1], "a link");
    // The page gets it packed: the same KB after the round trip.
    assert_eq!(kb::packed::decode_with_cues(&kb::packed::encode(&kb)).as_ref(), Some(&kb));
    // The schema's types take it too (unknown fields denied).
    let raw: Result<kb::RawKb, _> = serde_json::from_str(&v.to_string());
    assert!(raw.is_ok(), "{:?}", raw.err());
    // An empty untrusted list is allowed; the sections are optional.
    let mut v = full();
    v["safety"]["untrusted"] = json!([]);
    assert_eq!(kb::load(&v.to_string()).unwrap().safety.unwrap().untrusted, vec![]);
    let mut v = full();
    v.as_object_mut().unwrap().remove("observations");
    // (The wait reads the time from the chips.)
    v["actions"][2].as_object_mut().unwrap().remove("wait_since");
    assert!(kb::load(&v.to_string()).unwrap().observations.is_empty());
}

#[test]
fn pays_needs_the_safety_section_and_one_of_its_fees() {
    let mut v = full();
    v.as_object_mut().unwrap().remove("safety");
    expect_exact(&v, "$.actions[0].pays", "a step that pays \"service\" needs $.safety");
    expect_exact(&v, "$.actions[1].pays", "a step that pays \"sim\" needs $.safety");
    let mut v = full();
    v["actions"][1]["pays"] = json!("gas");
    expect_exact(&v, "$.actions[1].pays", "unknown value \"gas\" of the fee question \"fee\" (answers: service, sim)");
    let mut v = full();
    v["actions"][1]["pays"] = json!(3);
    expect_exact(&v, "$.actions[1].pays", "expected a string, found a number");
}

#[test]
fn safety_names_known_facts_values_and_steps() {
    let mut v = full();
    v["safety"]["paid"]["fact"] = json!("nope");
    v["safety"]["fee"] = json!("fees");
    v["safety"]["untrusted"][0]["value"] = json!("sms");
    v["safety"]["verify"] = json!("action.nope");
    expect_exact(&v, "$.safety.paid.fact", "unknown fact \"nope\"");
    expect_exact(&v, "$.safety.fee", "unknown fact \"fees\"");
    expect_exact(&v, "$.safety.untrusted[0].value", "unknown value \"sms\" of fact \"via\" (answers: app, link)");
    expect_exact(&v, "$.safety.verify", "unknown action \"action.nope\"");
    let mut v = full();
    v["safety"]["paid"]["value"] = json!("not_sure");
    expect_exact(&v, "$.safety.paid.value", "unknown value \"not_sure\" of fact \"deducted\" (answers: yes, no); \"not_sure\" is no fact to state");
}

#[test]
fn safety_wrong_types_and_fields() {
    let mut v = full();
    v["safety"] = json!([]);
    expect_exact(&v, "$.safety", "expected an object, found an array");
    let mut v = full();
    v["safety"]["untrusted"] = json!({"fact": "via", "value": "link"});
    v["safety"]["paid"] = json!("deducted=yes");
    expect_exact(&v, "$.safety.untrusted", "expected an array, found an object");
    expect_exact(&v, "$.safety.paid", "expected an object, found a string");
    let mut v = full();
    v["safety"]["colour"] = json!("red");
    v["safety"]["untrusted"][0]["why"] = json!("x");
    v["safety"].as_object_mut().unwrap().remove("verify");
    v["safety"].as_object_mut().unwrap().remove("note");
    expect_exact(&v, "$.safety.colour", "unknown field (known: fee, note, paid, untrusted, verify)");
    expect_exact(&v, "$.safety.untrusted[0].why", "unknown field (known: fact, value)");
    expect_exact(&v, "$.safety.verify", "missing field");
    expect_exact(&v, "$.safety.note", "missing field");
}

#[test]
fn the_verify_step_must_not_pay() {
    let mut v = full();
    v["actions"][3]["pays"] = json!("sim");
    expect_exact(&v, "$.safety.verify", "the verify step \"verify\" must not itself pay (it pays \"sim\")");
}

/// The steps' profile markers: known names only, one wait step, none on a
/// step that pays, and the wait reads a fact whose chips give `hours`.
#[test]
fn step_markers_are_known_and_where_they_fit() {
    type Edit = fn(&mut Value);
    let cases: [(Edit, &str, &str); 7] = [
        (|v| v["actions"][3]["shows"] = json!("status_page"), "$.actions[3].shows",
         "unknown marker \"status_page\" (markers: activation_wait, status_url, service_url)"),
        (|v| v["actions"][3]["shows"] = json!("activation_wait"), "$.actions[3].shows",
         "only one step may show \"activation_wait\" (first at $.actions[2])"),
        (|v| v["actions"][1]["shows"] = json!("service_url"), "$.actions[1].shows",
         "a step that pays (\"sim\") shows nothing from the provider's profile"),
        (|v| v["actions"][3]["wait_since"] = json!("since"), "$.actions[3].wait_since",
         "only a step with \"shows\": \"activation_wait\" reads when the merchant paid"),
        (|v| v["actions"][2]["wait_since"] = json!("nope"), "$.actions[2].wait_since", "unknown fact \"nope\""),
        (|v| v["actions"][2]["wait_since"] = json!("deducted"), "$.actions[2].wait_since",
         "fact \"deducted\" has no chip with \"hours\""),
        (|v| v["actions"][2]["shows"] = json!(true), "$.actions[2].shows", "expected a string, found a boolean"),
    ];
    for (edit, path, message) in cases {
        let mut v = full();
        edit(&mut v);
        expect(&v, path, message);
    }
    // Any number of steps may show a link; the wait needs no fact.
    let mut v = full();
    v["actions"][2].as_object_mut().unwrap().remove("wait_since");
    v["actions"][2]["shows"] = json!("service_url");
    v["actions"][3]["shows"] = json!("service_url");
    let kb = kb::load(&v.to_string()).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!((kb.actions[2].shows, kb.actions[3].shows), (Some(Shows::ServiceUrl), Some(Shows::ServiceUrl)));
    let mut v = full();
    v["actions"][2].as_object_mut().unwrap().remove("wait_since");
    let kb = kb::load(&v.to_string()).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(kb.actions[2].shows, Some(Shows::ActivationWait { since: None }));
}

#[test]
fn observation_names_a_known_fact_and_value() {
    let mut v = full();
    v["observations"][0]["fact"] = json!("nope");
    v["observations"][1]["value"] = json!("maybe");
    v["observations"][3]["value"] = json!("not_sure");
    expect_exact(&v, "$.observations[0].fact", "unknown fact \"nope\"");
    expect_exact(&v, "$.observations[1].value", "unknown value \"maybe\" of fact \"deducted\" (answers: yes, no)");
    expect_exact(&v, "$.observations[3].value", "unknown value \"not_sure\" of fact \"via\" (answers: app, link); \"not_sure\" is no fact to state");
}

#[test]
fn observation_duplicate_chip() {
    let mut v = full();
    v["observations"][3]["fact"] = json!("deducted");
    v["observations"][3]["value"] = json!("yes");
    expect_exact(&v, "$.observations[3].value", "duplicate chip \"deducted=yes\" (first at $.observations[0])");
}

#[test]
fn observation_empty_cue() {
    let mut v = full();
    v["observations"][0]["cues"]["en"] = json!(["ok", " \t"]);
    v["observations"][1]["cues"]["zh-CN"] = json!([""]);
    expect_exact(&v, "$.observations[0].cues.en[1]", "empty cue");
    expect_exact(&v, "$.observations[1].cues[\"zh-CN\"][0]", "empty cue");
}

#[test]
fn observation_cue_of_a_contradicting_value() {
    let mut v = full();
    v["observations"][1]["cues"]["en"] = json!([" Money WAS taken "]);
    expect_exact(
        &v,
        "$.observations[1].cues.en[0]",
        "cue \"Money WAS taken\" also stands for deducted=yes at $.observations[0].cues.en[0]",
    );
    // The same words in the other language are not the same cue.
    let mut v = full();
    v["observations"][1]["cues"]["zh-CN"] = json!(["money was taken"]);
    assert!(kb::load(&v.to_string()).is_ok());
}

#[test]
fn observation_unknown_topic() {
    let mut v = full();
    v["observations"][2]["topic"] = json!("weather");
    expect_exact(&v, "$.observations[2].topic", "unknown topic \"weather\" (topics: payment, time, network, screen, notices, account)");
}

#[test]
fn observation_negated_is_another_known_value() {
    let mut v = full();
    v["observations"][0]["negated"] = json!("yes");
    v["observations"][1]["negated"] = json!("perhaps");
    expect_exact(&v, "$.observations[0].negated", "negated must be another value of fact \"deducted\", not the chip's own \"yes\"");
    expect_exact(&v, "$.observations[1].negated", "unknown value \"perhaps\" of fact \"deducted\" (answers: yes, no)");
}

#[test]
fn observation_bad_hours() {
    let cases = [
        (json!([1, 1]), "$.observations[2].hours", "lo 1 must be below hi 1"),
        (json!([5, 2]), "$.observations[2].hours", "lo 5 must be below hi 2"),
        (json!([-1, 2]), "$.observations[2].hours[0]", "hours -1 must not be negative"),
        (json!([0]), "$.observations[2].hours", "expected [lo, hi], found 1 numbers"),
        (json!("1h"), "$.observations[2].hours", "expected [lo, hi], found a string"),
        (json!([0, "x"]), "$.observations[2].hours[1]", "expected a number, found a string"),
    ];
    for (hours, path, message) in cases {
        let mut v = full();
        v["observations"][2]["hours"] = hours;
        expect_exact(&v, path, message);
    }
}

#[test]
fn observation_needs_a_cue_or_hours() {
    let mut v = full();
    v["observations"][0]["cues"] = json!({"zh-CN": [], "en": []});
    expect_exact(&v, "$.observations[0].cues", "needs at least one cue (zh-CN or en) or an \"hours\" range");
    // Hours alone will do (observations[2] has no cue).
    assert!(kb::load(&full().to_string()).is_ok());
}

#[test]
fn observation_anchors_need_hours() {
    let mut v = full();
    v["observations"][0]["anchors"] = json!({"zh-CN": ["交"], "en": []});
    expect_exact(&v, "$.observations[0].anchors", "anchors only apply to a chip with \"hours\"");
}

#[test]
fn observation_caps() {
    let mut v = full();
    let chips = v["observations"].as_array_mut().unwrap();
    let extra = chips[4].clone();
    chips.extend(std::iter::repeat_n(extra, 196));
    expect_exact(&v, "$.observations", "at most 200 observations, found 201");
    let mut v = full();
    let many: Vec<String> = (0..60).map(|i| format!("扣{i}")).collect();
    v["observations"][0]["cues"]["zh-CN"] = json!(many);
    v["observations"][0]["cues"]["en"] = json!(["a", "b", "c", "d", "e"]);
    expect_exact(&v, "$.observations[0].cues", "at most 64 cues per chip (both languages together), found 65");
    // 64 is allowed.
    v["observations"][0]["cues"]["en"] = json!(["a", "b", "c", "d"]);
    assert!(kb::load(&v.to_string()).is_ok());
}

#[test]
fn observation_wrong_types_and_fields() {
    let mut v = full();
    v["observations"] = json!({"deducted": "yes"});
    expect_exact(&v, "$.observations", "expected an array, found an object");
    let mut v = full();
    v["observations"][0]["more"] = json!("yes");
    v["observations"][1]["colour"] = json!("red");
    v["observations"][2].as_object_mut().unwrap().remove("topic");
    v["observations"][3]["cues"].as_object_mut().unwrap().remove("en");
    v["observations"][4]["cues"]["en"] = json!("light is on");
    expect_exact(&v, "$.observations[0].more", "expected a boolean, found a string");
    expect_exact(
        &v,
        "$.observations[1].colour",
        "unknown field (known: anchors, cues, fact, hours, more, negated, note, text, topic, value)",
    );
    expect_exact(&v, "$.observations[2].topic", "missing field");
    expect_exact(&v, "$.observations[3].cues.en", "missing field");
    expect_exact(&v, "$.observations[4].cues.en", "expected an array of strings, found a string");
}

/// The JSON Schema for editors agrees with the loader: the default KB
/// deserialises into the schema's types with unknown fields denied.
#[test]
fn schema_types_match_the_default_kb() {
    let source = include_str!("../kb/pos-renewal.json");
    let raw: Result<kb::RawKb, _> = serde_json::from_str(source);
    assert!(raw.is_ok(), "{:?}", raw.err());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn never_panics_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = kb::load_bytes(&bytes);
    }

    /// Cut the valid fixture anywhere: an error at `$`, never a panic.
    #[test]
    fn never_panics_on_truncation(cut in 0usize..2000) {
        let text = include_str!("fixtures/tiny-kb.json");
        let cut = cut.min(text.len());
        if text.is_char_boundary(cut) && cut < text.trim_end().len() {
            let e = kb::load(&text[..cut]).unwrap_err();
            prop_assert!(!e.is_empty());
        }
    }

    /// Replace any one value in the fixture with junk: errors with paths,
    /// or a valid KB, never a panic.
    #[test]
    fn never_panics_on_mutation(pick in 0usize..400, junk in prop_oneof![
        Just(json!(null)), Just(json!(-1)), Just(json!(2.5)), Just(json!("")), Just(json!([])), Just(json!({})),
        Just(json!("<script>")), Just(json!(1e308)), Just(json!([1, "x", null]))
    ]) {
        let mut v = tiny();
        let mut n = 0;
        mutate(&mut v, pick, &mut n, &junk);
        check_mutated(&v)?;
    }

    /// The same on the KB with safety, paying steps and observations.
    #[test]
    fn never_panics_on_mutation_of_every_section(pick in 0usize..400, junk in prop_oneof![
        Just(json!(null)), Just(json!(-1)), Just(json!(2.5)), Just(json!("")), Just(json!([])), Just(json!({})),
        Just(json!("yes")), Just(json!("verify")), Just(json!([1, 0])), Just(json!({"zh-CN": [" "], "en": []}))
    ]) {
        let mut v = full();
        let mut n = 0;
        mutate(&mut v, pick, &mut n, &junk);
        check_mutated(&v)?;
    }
}

/// A mutated KB loads (and packs to the same KB), or fails with errors
/// that each have a path.
fn check_mutated(v: &Value) -> Result<(), TestCaseError> {
    match kb::load(&v.to_string()) {
        Ok(kb) => prop_assert_eq!(kb::packed::decode_with_cues(&kb::packed::encode(&kb)), Some(kb)),
        Err(errors) => {
            prop_assert!(!errors.is_empty());
            for e in errors {
                prop_assert!(e.path.starts_with('$'));
            }
        }
    }
    Ok(())
}

fn mutate(v: &mut Value, pick: usize, n: &mut usize, junk: &Value) {
    if *n == pick {
        *v = junk.clone();
        *n += 1;
        return;
    }
    *n += 1;
    match v {
        Value::Array(items) => items.iter_mut().for_each(|x| mutate(x, pick, n, junk)),
        Value::Object(map) => map.values_mut().for_each(|x| mutate(x, pick, n, junk)),
        _ => {}
    }
}

/// An answer's `picture` names a drawing the page has; the page knows no
/// fact ids, so a name it cannot draw is an error, not a silent blank.
#[test]
fn unknown_picture() {
    for good in ["signal-none", "signal-weak", "signal-full", "screen-suspended"] {
        let mut v = tiny();
        v["questions"][0]["answers"][0]["picture"] = json!(good);
        assert!(kb::load(&v.to_string()).is_ok(), "{good}");
    }
    for bad in ["signal-strong", "screen-", "screen-a b", "bars"] {
        let mut v = tiny();
        v["questions"][0]["answers"][0]["picture"] = json!(bad);
        expect(&v, "$.questions[0].answers[0].picture", "the page draws no picture");
    }
    let mut v = tiny();
    v["questions"][0]["answers"][0]["picture"] = json!(" ");
    expect(&v, "$.questions[0].answers[0].picture", "must not be empty");
}

/// The default KB's source, whose renewal_confirmed (question 14) is
/// offered in payment_result (question 0).
fn default_source() -> Value {
    serde_json::from_str(include_str!("../kb/pos-renewal.json")).unwrap()
}

#[test]
fn offered_in_names_a_host_asked_on_its_own_and_own_answers() {
    let v = default_source();
    assert_eq!(v["questions"][14]["id"], "renewal_confirmed");
    assert_eq!(v["questions"][14]["offered_in"], json!({"question": "payment_result", "answers": ["no"]}));
    let path = "$.questions[14].offered_in";
    let with = |offer: Value| {
        let mut v = default_source();
        v["questions"][14]["offered_in"] = offer;
        v
    };
    expect(&with(json!({"question": "nope", "answers": ["no"]})), &format!("{path}.question"), "unknown fact \"nope\"");
    expect(&with(json!({"question": "renewal_confirmed", "answers": ["no"]})), &format!("{path}.question"), "cannot be offered in itself");
    expect(&with(json!({"question": "payment_result", "answers": ["maybe"]})), &format!("{path}.answers[0]"), "\"maybe\" is not an answer of \"renewal_confirmed\"");
    expect(&with(json!({"question": "payment_result", "answers": ["no", "no"]})), &format!("{path}.answers[1]"), "duplicate answer \"no\"");
    expect(&with(json!({"question": "payment_result", "answers": []})), &format!("{path}.answers"), "needs at least one answer");
    expect(&with(json!({"question": "payment_result", "answers": [1]})), &format!("{path}.answers[0]"), "expected an answer value");
    expect(&with(json!({"question": "payment_result"})), &format!("{path}.answers"), "missing field");
    expect(&with(json!("payment_result")), path, "expected an object");
    // The host must skip it once answered, or it would be asked again.
    expect(&with(json!({"question": "moved_recently", "answers": ["no"]})), &format!("{path}.question"), "\"moved_recently\" must list \"renewal_confirmed\" in its skip_if_known");
    // No chains: a host is asked on its own.
    let mut v = default_source();
    v["questions"][0]["offered_in"] = json!({"question": "renewal_confirmed", "answers": ["failed"]});
    expect(&v, "$.questions[14].offered_in.question", "\"payment_result\" is itself offered in another question");
    // The safety rules ask their facts directly.
    let mut v = default_source();
    v["questions"][1]["offered_in"] = json!({"question": "payment_result", "answers": ["no"]});
    v["questions"][0]["skip_if_known"] = json!(["renewal_confirmed", "money_deducted"]);
    expect(&v, "$.safety.paid", "the rules ask \"money_deducted\" before a paying step");
}

/// `shop_words`: optional; both lists required when it is there, each
/// phrase a non-empty string, errors named by path.
#[test]
fn shop_words_errors_have_paths() {
    let mut v = full();
    v["shop_words"] = json!({"sales": {"zh-CN": ["一刷卡就"], "en": ["every card"]}, "router": {"zh-CN": ["路由器"], "en": []}, "note": "n"});
    let loaded = kb::load(&v.to_string()).expect("a well-formed shop_words loads");
    assert_eq!(loaded.shop_words.sales.en, vec!["every card".to_string()]);
    assert_eq!(loaded.shop_words.router.zh, vec!["路由器".to_string()]);
    let mut bad = v.clone();
    bad["shop_words"]["sales"]["en"][0] = json!(" ");
    expect_exact(&bad, "$.shop_words.sales.en[0]", "empty sales word");
    let mut bad = v.clone();
    bad["shop_words"]["router"]["zh-CN"] = json!("路由器");
    expect_exact(&bad, "$.shop_words.router[\"zh-CN\"]", "expected an array of strings, found a string");
    let mut bad = v.clone();
    bad["shop_words"].as_object_mut().unwrap().remove("router");
    expect(&bad, "$.shop_words.router", "missing field");
    let mut bad = v.clone();
    bad["shop_words"]["till"] = json!([]);
    expect(&bad, "$.shop_words.till", "unknown field");
    let mut bad = v.clone();
    bad["shop_words"]["providers"] = json!({"zh-CN": ["随行付", ""], "en": []});
    expect_exact(&bad, "$.shop_words.providers[\"zh-CN\"][1]", "empty provider name");
    // The banks and other payments: optional lists like the providers.
    let mut both = v.clone();
    both["shop_words"]["banks"] = json!({"zh-CN": ["建行"], "en": []});
    both["shop_words"]["other_payments"] = json!({"zh-CN": ["货款"], "en": ["rent"]});
    both["shop_words"]["agents"] = json!({"zh-CN": ["业务员"], "en": ["agent"]});
    let loaded = kb::load(&both.to_string()).expect("banks, other payments and agents load");
    assert_eq!(loaded.shop_words.banks.zh, vec!["建行".to_string()]);
    assert_eq!(loaded.shop_words.other_payments.en, vec!["rent".to_string()]);
    assert_eq!(loaded.shop_words.agents.zh, vec!["业务员".to_string()]);
    assert!(kb::load(&v.to_string()).unwrap().shop_words.banks.zh.is_empty(), "absent lists are empty");
    let mut bad = v.clone();
    bad["shop_words"]["banks"] = json!({"zh-CN": ["银行", 3], "en": []});
    expect_exact(&bad, "$.shop_words.banks[\"zh-CN\"][1]", "expected a string, found a number");
    let mut bad = v.clone();
    bad["shop_words"]["other_payments"] = json!({"zh-CN": [], "en": [""]});
    expect_exact(&bad, "$.shop_words.other_payments.en[0]", "empty other payment");
    let mut bad = v.clone();
    bad["shop_words"]["other_payments"] = json!({"zh-CN": []});
    expect(&bad, "$.shop_words.other_payments.en", "missing field");
    let mut bad = v.clone();
    bad["shop_words"]["agents"] = json!({"zh-CN": ["业务员", " "], "en": []});
    expect_exact(&bad, "$.shop_words.agents[\"zh-CN\"][1]", "empty agent word");
    let mut bad = v;
    let many: Vec<String> = (0..65).map(|i| format!("刷{i}")).collect();
    bad["shop_words"]["sales"]["zh-CN"] = json!(many);
    expect_exact(&bad, "$.shop_words.sales", "at most 64 sales words per list (both languages together), found 66");
}
