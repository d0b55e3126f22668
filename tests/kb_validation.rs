//! Every class of knowledge-base error is reported with its exact JSON path,
//! all at once, and nothing panics whatever the bytes.

use posdoctor::kb::{self, KbError};
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
        match kb::load(&v.to_string()) {
            Ok(_) => {}
            Err(errors) => {
                prop_assert!(!errors.is_empty());
                for e in errors {
                    prop_assert!(e.path.starts_with('$'));
                }
            }
        }
    }
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
