//! The widget's controller natively: saved progress, deep links, storage
//! faults, case codes, languages; and the CLI's contract.

use posdoctor::app::{App, MemoryStore, ProviderKb, StartInput, Store};
use posdoctor::case;
use posdoctor::eval::{evaluate, parse_scenarios};
use posdoctor::kb::{self, Lang};
use posdoctor::session::{restore, Link, RestoreError, Session};
use proptest::prelude::*;
use std::process::Command;

mod hand_built;

fn start(hash: &str, store: MemoryStore) -> App<MemoryStore> {
    App::start(kb::default_kb().unwrap(), StartInput { hash: hash.into(), now_ms: 1.0e12, ..StartInput::default() }, store)
}

/// A store whose every call fails, like Safari's private mode.
struct BrokenStore;
impl Store for BrokenStore {
    fn get(&self, _: &str) -> Result<Option<String>, String> {
        Err("denied".into())
    }
    fn set(&mut self, _: &str, _: &str) -> Result<(), String> {
        Err("denied".into())
    }
    fn remove(&mut self, _: &str) -> Result<(), String> {
        Err("denied".into())
    }
}

fn saved(app: &App<MemoryStore>) -> MemoryStore {
    MemoryStore(std::collections::BTreeMap::from([(
        format!("posdoctor:session:{}", app.kb().id),
        app.session().to_text(),
    )]))
}

#[test]
fn progress_survives_a_reload() {
    let mut app = start("", MemoryStore::default());
    assert!(app.answer("payment_result", "success"));
    assert!(app.mark("action.restart", "not_fixed").is_some());
    let again = start("", saved(&app));
    assert_eq!(again.session().answer_of("payment_result"), Some("success"));
    assert_eq!(again.view().steps.iter().find(|s| s.id == "action.restart").unwrap().state, "not_fixed");
    assert!(again.view().notices.is_empty());
}

#[test]
fn corrupted_saved_progress_starts_fresh_with_a_notice() {
    let app = start("", MemoryStore::default());
    for junk in ["{not json", "{\"v\":1}", "null", "{\"v\":99,\"kb\":\"pos-renewal\"}", "\u{0}\u{1}"] {
        let mut store = saved(&app);
        store.set(&format!("posdoctor:session:{}", app.kb().id), junk).unwrap();
        let fresh = start("", store);
        assert!(fresh.session().answers.is_empty());
        let kinds: Vec<&str> = fresh.view().notices.iter().map(|n| n.kind).collect();
        assert_eq!(kinds, vec!["saved-progress"], "for {junk:?}");
    }
}

#[test]
fn storage_that_throws_runs_in_memory_with_a_notice() {
    let mut app = App::start(kb::default_kb().unwrap(), StartInput::default(), BrokenStore);
    assert!(app.answer("payment_result", "failed"));
    let view = app.view();
    assert_eq!(view.answers.len(), 1);
    assert!(view.notices.iter().any(|n| n.kind == "storage"));
}

#[test]
fn deep_link_prefills_and_ignores_junk() {
    let app = start("#model=A8&provider=neutral&lang=en&f.payment_result=success&f.bogus=1&junk=%3Cb%3E&f.network_icon=purple", MemoryStore::default());
    assert_eq!(app.session().answer_of("payment_result"), Some("success"));
    assert_eq!(app.session().answers.len(), 1);
    assert_eq!(app.lang(), Lang::En);
    let view = app.view();
    assert_eq!(view.notices.iter().filter(|n| n.kind == "link").count(), 1);
    assert_eq!(view.answers[0].fact, "payment_result");
    // While the opening screen shows, the hand-off's likely causes come
    // from the link's facts (beliefs only, no decision), the same as once
    // the merchant continues.
    assert!(view.opening.is_some() && !view.causes.is_empty());
    let mut app = app;
    assert!(app.finish_opening());
    let p = |v: &posdoctor::view::View| v.causes.iter().map(|c| (c.id.clone(), c.p)).collect::<Vec<_>>();
    assert_eq!(p(&view), p(&app.view()));
}

#[test]
fn a_link_for_another_terminal_starts_fresh_otherwise_fills_gaps() {
    let mut app = start("#model=A8", MemoryStore::default());
    app.answer("payment_result", "failed");
    // Same model: the link's fact does not overwrite the merchant's answer.
    let same = start("#model=A8&f.payment_result=success&f.restarted_since=yes", saved(&app));
    assert_eq!(same.session().answer_of("payment_result"), Some("failed"));
    assert_eq!(same.session().answer_of("restarted_since"), Some("yes"));
    // Another model: a fresh session.
    let other = start("#model=P2&f.restarted_since=no", saved(&app));
    assert_eq!(other.session().answer_of("payment_result"), None);
    assert_eq!(other.session().model.as_deref(), Some("P2"));
}

#[test]
fn case_code_round_trip_and_read_only_support_view() {
    let mut app = start("", MemoryStore::default());
    app.answer("payment_result", "success");
    app.answer("screen_message", "not_sure");
    app.mark("action.restart", "not_fixed");
    app.mark("action.sign_in_again", "cannot_do");
    let code = app.case_code();
    assert!(code.len() < 200 && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'), "{code}");
    let kb = app.kb().clone();
    let (session, lang) = case::decode(&kb, &code).unwrap();
    assert_eq!(session.answers, app.session().answers);
    assert_eq!(session.steps, app.session().steps);
    assert_eq!(lang, Lang::Zh);

    // Opening it leaves the agent's own saved progress alone.
    let mut agent_store = MemoryStore::default();
    let mut own = Session::new(&kb);
    own.answer(&kb, "payment_result", "failed");
    agent_store.set(&format!("posdoctor:session:{}", kb.id), &own.to_text()).unwrap();
    let mut support = start(&format!("#case={code}"), agent_store);
    assert!(support.is_support_view());
    let view = support.view();
    assert_eq!(view.mode, "support");
    assert!(view.question.is_none() && view.steps.iter().all(|s| !s.next));
    assert_eq!(view.answers.len(), 2);
    assert!(!support.answer("restarted_since", "yes"), "read-only");
    let kept = support.store().get(&format!("posdoctor:session:{}", kb.id)).unwrap().unwrap();
    assert_eq!(kept, own.to_text(), "the agent's own progress is untouched");
}

#[test]
fn damaged_or_foreign_case_codes_are_refused() {
    let kb = kb::default_kb().unwrap();
    let mut s = Session::new(&kb);
    s.answer(&kb, "payment_result", "success");
    let code = case::encode(&kb, &s, Lang::En);
    let mut damaged = code.clone();
    damaged.pop();
    damaged.push(if code.ends_with('A') { 'B' } else { 'A' });
    assert_eq!(case::decode(&kb, &damaged).unwrap_err(), case::CaseError::Damaged);
    assert_eq!(case::decode(&kb, "Zxyz").unwrap_err(), case::CaseError::Version);
    assert_eq!(case::decode(&kb, "").unwrap_err(), case::CaseError::Damaged);
    let tiny = kb::load(include_str!("fixtures/tiny-kb.json")).unwrap();
    assert_eq!(case::decode(&tiny, &code).unwrap_err(), case::CaseError::OtherKb);
    let app = start(&format!("#case={damaged}"), MemoryStore::default());
    assert!(app.view().notices.iter().any(|n| n.kind == "link"));
    assert_eq!(app.view().mode, "merchant");
}

#[test]
fn language_switch_keeps_progress() {
    let mut app = start("", MemoryStore::default());
    app.answer("payment_result", "success");
    let zh = app.view();
    assert_eq!(zh.lang, "zh-CN");
    assert!(app.set_lang("en"));
    let en = app.view();
    assert_eq!(en.lang, "en");
    assert_eq!(en.answers.len(), 1);
    assert_ne!(zh.answers[0].answer, en.answers[0].answer);
    assert!(!app.set_lang("klingon"));
}

#[test]
fn restore_rejects_other_versions_and_kbs() {
    let kb = kb::default_kb().unwrap();
    assert_eq!(restore(&kb, "posdoctor-session 0\nkb pos-renewal 1\n").unwrap_err(), RestoreError::Version(0));
    assert_eq!(restore(&kb, "{\"v\":1}").unwrap_err(), RestoreError::Corrupt);
    let tiny = kb::load(include_str!("fixtures/tiny-kb.json")).unwrap();
    let s = Session::new(&tiny);
    assert_eq!(restore(&kb, &s.to_text()).unwrap_err(), RestoreError::OtherKb);
}

#[test]
fn every_public_story_is_solved_within_six_steps() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/scenarios/public.json");
    let text = std::fs::read_to_string(path).expect("../shared/scenarios/public.json beside the repo");
    let stories = parse_scenarios(&text).unwrap();
    let report = evaluate(&kb::default_kb().unwrap(), &stories);
    let unsolved: Vec<&str> = report.scenarios.iter().filter(|s| !s.solved).map(|s| s.id.as_str()).collect();
    assert!(unsolved.is_empty(), "unsolved: {unsolved:?}");
    assert_eq!(report.baseline_solved, 7);
    assert!((report.baseline_mean_steps - 6.375).abs() < 1e-9);
}

fn cli(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_posdoctor")).args(args).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

#[test]
fn cli_validate_and_eval_contract() {
    let (code, out, _) = cli(&["validate"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("ok: pos-renewal"), "{out}");
    let dir = std::env::temp_dir().join(format!("posdoctor-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.json");
    std::fs::write(&bad, "{\"schema\": 1, \"causes\": [{\"id\": 3}]}").unwrap();
    let (code, out, err) = cli(&["validate", bad.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(out.lines().any(|l| l.starts_with("$.causes[0].id: expected a string")), "{out}");
    assert!(out.lines().any(|l| l.starts_with("$.questions: missing field")), "{out}");
    assert!(err.contains("errors"));
    let garbage = dir.join("garbage.json");
    std::fs::write(&garbage, vec![0xffu8; 100_000]).unwrap();
    let (code, out, _) = cli(&["validate", garbage.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(out.starts_with("$: "));

    let scenarios = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/scenarios/public.json");
    let (code, out, _) = cli(&["eval", "--scenarios", scenarios, "--json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    for key in ["total", "solved", "mean_steps", "baseline_solved", "baseline_mean_steps", "scenarios"] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    let first = &v["scenarios"][0];
    for key in ["id", "solved", "steps", "trace"] {
        assert!(first.get(key).is_some(), "missing scenarios[].{key}");
    }
    assert_eq!(v["total"], 16);
    let (code, _, _) = cli(&["eval"]);
    assert_eq!(code, 2);
}

proptest! {
    #[test]
    fn links_and_case_codes_never_panic(s in ".{0,300}") {
        let kb = kb::default_kb().unwrap();
        let link = Link::parse(&s, &kb);
        for (fact, value) in &link.facts {
            prop_assert!(Session::valid_answer(&kb, fact, value));
        }
        let _ = case::decode(&kb, &s);
        let _ = restore(&kb, &s);
    }

    #[test]
    fn case_codes_round_trip(answers in proptest::collection::vec((0usize..17, 0usize..8), 0..17),
                             steps in proptest::collection::vec((0usize..15, 0usize..3), 0..15)) {
        let kb = kb::default_kb().unwrap();
        let mut s = Session::new(&kb);
        for (q, j) in answers {
            let q = &kb.questions[q % kb.questions.len()];
            let value = q.answers.get(j).map_or("not_sure".to_string(), |a| a.value.clone());
            s.answer(&kb, &q.id.clone(), &value);
        }
        for (a, o) in steps {
            let outcome = [posdoctor::engine::Outcome::Fixed, posdoctor::engine::Outcome::NotFixed, posdoctor::engine::Outcome::CannotDo][o];
            s.mark(&kb, &kb.actions[a % kb.actions.len()].id.clone(), outcome);
        }
        let code = case::encode(&kb, &s, Lang::Zh);
        prop_assert!(code.chars().filter(|&c| c != '-').count() <= case::MAX_SYMBOLS, "{}", code);
        let (back, _) = case::decode(&kb, &code).unwrap();
        // What does not fit is left out (the latest first); nothing is misread.
        prop_assert!(back.answers.iter().all(|a| s.answers.contains(a)));
        prop_assert_eq!(&back.steps[..], &s.steps[..back.steps.len()]);
        if s.answers.len() + s.steps.len() <= 6 {
            prop_assert_eq!((back.answers.len(), back.steps.len()), (s.answers.len(), s.steps.len()));
        }
    }
}

#[test]
fn a_provider_kb_is_used_or_falls_back_with_its_errors() {
    let tiny = include_str!("fixtures/tiny-kb.json");
    let input = StartInput { provider_kb: ProviderKb::from_text(tiny), ..StartInput::default() };
    let app = App::start(kb::default_kb().unwrap(), input, MemoryStore::default());
    assert_eq!(app.kb().id, "tiny");
    assert!(app.view().notices.is_empty());
    let input = StartInput { provider_kb: ProviderKb::from_text("{\"schema\": 1}"), ..StartInput::default() };
    let app = App::start(kb::default_kb().unwrap(), input, MemoryStore::default());
    assert_eq!(app.kb().id, "pos-renewal");
    assert!(app.kb_errors.iter().any(|e| e.starts_with("$.causes: missing field")), "{:?}", app.kb_errors);
    assert!(app.view().notices.iter().any(|n| n.kind == "kb-fallback"));
}

#[test]
fn the_packed_kb_is_the_same_kb() {
    use posdoctor::kb::packed;
    let kb = kb::default_kb().unwrap();
    let bytes = packed::encode(&kb);
    assert_eq!(packed::decode_with_cues(&bytes), Some(kb.clone()));
    // Any truncation or flipped byte is refused or still a well-formed KB;
    // never a panic.
    for cut in 0..bytes.len() {
        assert!(packed::decode(&bytes[..cut]).is_none());
    }
    for i in (0..bytes.len()).step_by(7) {
        let mut damaged = bytes.clone();
        damaged[i] ^= 0x5a;
        if let Some(k) = packed::decode(&damaged) {
            let _ = posdoctor::engine::decide(&k, &Default::default());
        }
    }
}

/// Two JSON values equal, numbers within 1e-9 (the page's writer rounds to
/// six decimals; serde_json writes the shortest form).
fn same_json(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value::*;
    match (a, b) {
        (Number(x), Number(y)) => (x.as_f64().unwrap() - y.as_f64().unwrap()).abs() < 1e-9,
        (Array(x), Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_json(x, y)),
        (Object(x), Object(y)) => x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w))),
        _ => a == b,
    }
}

/// The page gets the view as JSON text from `json::ToJson`; it must say
/// exactly what serde says about the same view, at every point of a
/// session, in both languages, with and without a provider profile.
#[test]
fn view_json_matches_serde_through_a_whole_session() {
    use posdoctor::json::ToJson;
    for (lang, provider) in [("zh-CN", None), ("en", Some("example")), ("en", None), ("zh-CN", Some("lakala"))] {
        let input = StartInput {
            lang_attr: Some(lang.into()),
            provider_attr: provider.map(Into::into),
            now_ms: 1.7e12,
            ..StartInput::default()
        };
        let mut app = App::start(kb::default_kb().unwrap(), input, MemoryStore::default());
        let mut checked = 0;
        for _ in 0..40 {
            let view = app.view();
            let ours: serde_json::Value = serde_json::from_str(&view.to_json()).expect("valid JSON");
            let theirs = serde_json::to_value(&view).unwrap();
            assert!(same_json(&ours, &theirs), "{lang} {provider:?}:\n{ours}\n{theirs}");
            checked += 1;
            if view.opening.is_some() {
                assert!(app.finish_opening());
                continue;
            }
            match (&view.question, view.steps.iter().find(|s| s.next)) {
                (Some(q), _) => assert!(app.answer(&q.fact, &q.answers[checked % q.answers.len()].value)),
                (None, Some(s)) => assert!(app.mark(&s.id, "not_fixed").is_some()),
                _ => break,
            }
        }
        assert!(checked > 5, "the walk went through several views ({checked})");
    }
}

proptest! {
    #[test]
    fn json_strings_round_trip(s in any::<String>()) {
        use posdoctor::json::ToJson;
        prop_assert_eq!(serde_json::from_str::<String>(&s.to_json()).unwrap(), s);
    }

    #[test]
    fn json_numbers_round_trip(x in -1.0e6f64..1.0e6) {
        use posdoctor::json::ToJson;
        let back: f64 = serde_json::from_str(&x.to_json()).unwrap();
        // Six decimals: off by at most half a millionth, plus the f64
        // rounding of x × 10^6 (x = 487582.35054949997 came out 5.0002e-7).
        prop_assert!((back - x).abs() <= 5e-7 + 1e-9, "{} → {}", x, x.to_json());
    }
}

#[test]
fn json_specials() {
    use posdoctor::json::ToJson;
    assert_eq!(f64::NAN.to_json(), "null");
    assert_eq!(2.0f64.to_json(), "2.0");
    assert_eq!(0.125f64.to_json(), "0.125");
    assert_eq!((-0.5f64).to_json(), "-0.5");
    assert_eq!("a\"\\\n\u{1}中".to_json(), r#""a\"\\\n\u0001中""#);
    assert_eq!(Some(3u32).to_json(), "3");
    assert_eq!(None::<u32>.to_json(), "null");
}

#[test]
fn utc_minute_is_the_calendar_minute() {
    use posdoctor::view::utc_minute;
    assert_eq!(utc_minute(0.0), "1970-01-01 00:00 UTC");
    assert_eq!(utc_minute(1_764_165_900_000.0), "2025-11-26 14:05 UTC");
    assert_eq!(utc_minute(951_868_799_000.0), "2000-02-29 23:59 UTC");
    assert_eq!(utc_minute(4_102_444_740_000.0), "2099-12-31 23:59 UTC");
    assert_eq!(utc_minute(f64::NAN), "");
    assert_eq!(utc_minute(-60_000.0), "");
    // The phone's own clock: Beijing is UTC+8, and the day can change.
    use posdoctor::view::local_minute;
    assert_eq!(local_minute(1_764_165_900_000.0, 480), "2025-11-26 22:05 (UTC+8)");
    assert_eq!(local_minute(1_764_190_800_000.0, 480), "2025-11-27 05:00 (UTC+8)");
    assert_eq!(local_minute(1_764_165_900_000.0, -330), "2025-11-26 08:35 (UTC-5:30)");
    assert_eq!(local_minute(1_764_165_900_000.0, 99_999), "2025-11-26 14:05 (UTC)");
}

/// The hand-off summary and the saved-progress text, line by line: both
/// are read by people and programs outside the page.
#[test]
fn summary_and_saved_text_say_exactly_this() {
    let input = StartInput { lang_attr: Some("en".into()), now_ms: 1_764_165_900_000.0, hash: "#model=P3".into(), ..StartInput::default() };
    let mut app = App::start(kb::default_kb().unwrap(), input, MemoryStore::default());
    assert!(app.answer("payment_result", "success"));
    assert!(app.mark("action.restart", "not_fixed").is_some());
    let view = app.view();
    let lines: Vec<&str> = view.support.summary.lines().collect();
    let title = app.kb().title.get(Lang::En).to_string();
    assert_eq!(lines[0], format!("{title} — {}", posdoctor::i18n::t(Lang::En, "summary_heading")));
    assert_eq!(lines[1], "Time: 2025-11-26 14:05 (UTC)");
    assert_eq!(lines[2], "Model: P3");
    let restart = app.kb().actions[app.kb().action_index("action.restart").unwrap()].title.get(Lang::En).to_string();
    let not_fixed = posdoctor::i18n::t(Lang::En, "state_not_fixed");
    assert!(lines.contains(&format!("- {restart}: {not_fixed}").as_str()), "{lines:?}");
    let causes: Vec<&&str> = lines.iter().skip_while(|l| !l.ends_with("causes:")).skip(1).take(3).collect();
    assert_eq!(causes.len(), 3, "{lines:?}");
    for (line, cause) in causes.iter().zip(&view.causes) {
        assert_eq!(**line, format!("- {} {}%", cause.name, cause.pct));
    }
    assert_eq!(lines.last().unwrap(), &format!("Case code: {}", view.support.case_code));

    let text = app.session().to_text();
    let kb = app.kb();
    assert_eq!(
        text,
        format!(
            "posdoctor-session 1\nkb {} {}\nmodel P3\nstarted 1764165900000\na payment_result success\ns action.restart not_fixed\n",
            kb.id, kb.version
        )
    );
}

/// The page's sentences hold at most one `{placeholder}` (view.rs fills
/// exactly one), and a provider's name or app lands in it.
#[test]
fn placeholders_are_filled() {
    for lang in [Lang::Zh, Lang::En] {
        for (key, text) in posdoctor::i18n::all(lang) {
            assert!(text.matches('{').count() <= 1 && text.matches('{').count() == text.matches('}').count(), "{key}: {text}");
        }
    }
    let input = StartInput { lang_attr: Some("en".into()), provider_attr: Some("example".into()), ..StartInput::default() };
    let app = App::start(kb::default_kb().unwrap(), input, MemoryStore::default());
    let text = app.view().support.where_to_find;
    assert!(text.contains("“Example Provider app”") && !text.contains('{'), "{text}");
    let input = StartInput { lang_attr: Some("zh-CN".into()), provider_attr: Some("lakala".into()), ..StartInput::default() };
    let app = App::start(kb::default_kb().unwrap(), input, MemoryStore::default());
    let text = app.view().support.where_to_find;
    assert!(text.contains("拉卡拉") && !text.contains('{'), "{text}");
}

/// `posdoctor eval … | head`: a reader that stops early ends the CLI
/// quietly (std's println! would panic on the closed pipe).
#[test]
fn cli_survives_a_closed_pipe() {
    use std::io::Read;
    use std::process::Stdio;
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/scenarios/public.json");
    let doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let stories = doc.get("scenarios").and_then(|s| s.as_array()).or(doc.as_array()).unwrap().clone();
    // Far more output than a pipe buffer holds.
    let many: Vec<serde_json::Value> = (0..40)
        .flat_map(|i| {
            stories.iter().map(move |s| {
                let mut s = s.clone();
                s["id"] = format!("{}-{i}", s["id"].as_str().unwrap()).into();
                s
            })
        })
        .collect();
    let dir = std::env::temp_dir().join(format!("posdoctor-pipe-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("many.json");
    let body = if doc.is_array() { serde_json::Value::Array(many) } else { serde_json::json!({ "scenarios": many }) };
    std::fs::write(&file, body.to_string()).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_posdoctor"))
        .args(["eval", "--scenarios", file.to_str().unwrap(), "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 64];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap(); // then the pipe closes
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(out.status.code(), Some(0), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

/// Percent-escapes in a link: hex pairs decode (either case), anything
/// else makes the part junk, ignored with the link notice.
#[test]
fn link_percent_escapes() {
    let kb = kb::default_kb().unwrap();
    let link = Link::parse("#f.payment_result=succ%65%73s&model=P%33", &kb);
    assert_eq!(link.facts, vec![("payment_result".to_string(), "success".to_string())]);
    assert_eq!(link.model.as_deref(), Some("P3"));
    for junk in ["#model=A%+1", "#model=A%4", "#model=A%zz", "#model=A%", "#model=%E4%B8"] {
        let link = Link::parse(junk, &kb);
        assert_eq!(link.model, None, "{junk}");
        assert_eq!(link.ignored.len(), 1, "{junk}");
    }
}

/// A mis-tapped answer can be changed: it is forgotten, its question comes
/// back next, and the new answer counts; nothing else is lost.
#[test]
fn an_answer_can_be_changed() {
    let mut app = start("", MemoryStore::default());
    app.finish_opening();
    let first = app.view().question.expect("a first question");
    let (fact, wrong) = (first.fact.clone(), first.answers[0].value.clone());
    assert!(app.answer(&fact, &wrong));
    assert!(app.mark("action.restart", "not_fixed").is_some());
    assert_ne!(app.view().question.as_ref().map(|q| q.fact.as_str()), Some(fact.as_str()));

    assert!(app.change(&fact));
    let view = app.view();
    assert_eq!(view.status, "question");
    assert_eq!(view.question.as_ref().map(|q| q.fact.as_str()), Some(fact.as_str()), "asked again at once");
    assert!(view.answers.iter().all(|a| a.fact != fact), "the old answer is gone");
    assert_eq!(app.session().outcome_of("action.restart"), Some(posdoctor::engine::Outcome::NotFixed), "steps are kept");
    // Saved at once: a reload does not bring the old answer back.
    let reloaded = start("", saved(&app));
    assert_eq!(reloaded.session().answer_of(&fact), None);

    let right = first.answers[1].value.clone();
    assert!(app.answer(&fact, &right));
    assert_eq!(app.session().answer_of(&fact), Some(right.as_str()));
    assert_ne!(app.view().question.as_ref().map(|q| q.fact.as_str()), Some(fact.as_str()), "not asked a third time");

    // Nothing to change: an unanswered or unknown fact.
    assert!(!app.change("no_such_fact"));
    let unanswered = app.kb().questions.iter().map(|q| q.id.clone()).find(|id| app.session().answer_of(id).is_none()).unwrap();
    assert!(!app.change(&unanswered));
}

/// A fact offered inside another question (renewal_confirmed inside
/// payment_result) is changed through that question: it comes back with
/// the offered answer among its own, never the offered fact on its own.
#[test]
fn an_offered_answer_is_changed_through_its_question() {
    let mut app = start("", MemoryStore::default());
    app.finish_opening();
    assert!(app.answer("renewal_confirmed", "no"));
    assert!(app.change("renewal_confirmed"));
    let q = app.view().question.expect("asked again at once");
    assert_eq!(q.fact, "payment_result");
    assert!(q.answers.iter().any(|a| a.fact == "renewal_confirmed" && a.value == "no"));
    assert!(q.answers.iter().filter(|a| a.fact == "payment_result").count() >= 3);
}

#[test]
fn the_support_view_cannot_change_answers() {
    let mut app = start("", MemoryStore::default());
    assert!(app.answer("payment_result", "success"));
    let code = app.case_code();
    let mut agent = start(&format!("#case={code}"), MemoryStore::default());
    assert!(agent.is_support_view());
    assert!(!agent.change("payment_result"));
    assert!(agent.view().answers.iter().any(|a| a.fact == "payment_result"));
}

// ---- say what you know, answer sources, held-back steps -------------------

use posdoctor::kb::{Kb, Observation, Text};
use hand_built::{chip, list};

/// The default KB with a few observation chips (the default KB gets its
/// own later; the screen must not depend on which).
fn kb_with_chips() -> Kb {
    let mut kb = kb::default_kb().unwrap();
    let chip = |kb: &Kb, fact: &str, value: &str, topic: usize, zh: &str, en: &str, more: bool| {
        let q = kb.question_index(fact).unwrap();
        let j = kb.questions[q].answers.iter().position(|a| a.value == value).unwrap();
        Observation { topic, text: Text { zh: zh.into(), en: en.into() }, cues: list(&[zh], &[en]), more, ..chip(q, j) }
    };
    kb.observations = vec![
        chip(&kb, "payment_result", "success", 0, "显示续费成功", "Renewal went through", false),
        chip(&kb, "payment_result", "failed", 0, "续费失败", "Renewal failed", false),
        chip(&kb, "money_deducted", "yes", 0, "钱扣了", "Money was taken", false),
        chip(&kb, "restarted_since", "yes", 2, "重启过", "Restarted since", true),
    ];
    kb
}

fn start_with(kb: &Kb, hash: &str, store: MemoryStore) -> App<MemoryStore> {
    App::start(kb.clone(), StartInput { hash: hash.into(), now_ms: 1.0e12, ..StartInput::default() }, store)
}

fn chip_of<'a>(view: &'a posdoctor::view::View, fact: &str, value: &str) -> &'a posdoctor::view::ChipView {
    let opening = view.opening.as_ref().expect("the opening screen shows");
    opening.topics.iter().flat_map(|t| &t.chips).find(|c| c.fact == fact && c.value == value).expect("a chip")
}

#[test]
fn the_opening_screen_shows_on_fresh_sessions_only() {
    let kb = kb_with_chips();
    let mut app = start_with(&kb, "", MemoryStore::default());
    assert!(app.opening_shown());
    let view = app.view();
    let opening = view.opening.as_ref().unwrap();
    // Grouped by topic in screen order, topics without chips left out.
    assert_eq!(opening.topics.iter().map(|t| t.id).collect::<Vec<_>>(), ["payment", "network"]);
    assert!(chip_of(&view, "restarted_since", "yes").more);
    assert!(opening.topics.iter().flat_map(|t| &t.chips).all(|c| !c.pressed && !c.understood));
    assert_eq!(opening.understood, "");
    // Nothing is recommended while it shows (no decision is made).
    assert_eq!(view.status, "opening");
    assert!(view.question.is_none() && view.steps.iter().all(|s| !s.next));

    // Continue with nothing chosen: no answer, the questions start, and
    // it stays behind after a reload.
    assert!(app.finish_opening());
    assert!(!app.opening_shown() && app.view().opening.is_none());
    assert!(app.session().answers.is_empty());
    assert_eq!(app.view().status, "question");
    assert!(!start_with(&kb, "", saved(&app)).opening_shown());
    assert!(!app.finish_opening() && !app.chip("payment_result", "success"), "not while the screen is gone");

    // Start over: the screen again.
    app.answer("payment_result", "failed");
    app.restart(2.0e12);
    assert!(app.opening_shown());
    // Never in the support view.
    let code = app.case_code();
    let support = start_with(&kb, &format!("#case={code}"), MemoryStore::default());
    assert!(!support.opening_shown() && support.view().opening.is_none());

    // Progress saved before the screen existed (answers, no "opened"
    // line) does not reopen it; an empty old session does.
    let old = format!("posdoctor-session 1\nkb {} {}\na payment_result success\n", kb.id, kb.version);
    let (session, dropped) = restore(&kb, &old).unwrap();
    assert!(session.opened && dropped == 0);
    let (empty, _) = restore(&kb, &format!("posdoctor-session 1\nkb {} {}\n", kb.id, kb.version)).unwrap();
    assert!(!empty.opened);
}

#[test]
fn chips_hold_one_value_a_fact_and_are_saved_before_continue() {
    let kb = kb_with_chips();
    let mut app = start_with(&kb, "", MemoryStore::default());
    assert!(app.chip("payment_result", "success"));
    assert!(chip_of(&app.view(), "payment_result", "success").pressed);
    // Pressing the other value releases the first.
    assert!(app.chip("payment_result", "failed"));
    let view = app.view();
    assert!(!chip_of(&view, "payment_result", "success").pressed);
    assert!(chip_of(&view, "payment_result", "failed").pressed);
    assert_eq!(app.session().answer_of("payment_result"), Some("failed"));
    assert!(app.chip("money_deducted", "yes"));
    // Pressing a pressed chip releases it.
    assert!(app.chip("money_deducted", "yes"));
    assert_eq!(app.session().answer_of("money_deducted"), None);
    assert!(!app.chip("payment_result", "no_such_value") && !app.chip("no_such_fact", "x"));

    // Saved at once: a reload shows the screen with the chip pressed.
    let reloaded = start_with(&kb, "", saved(&app));
    assert!(reloaded.opening_shown());
    assert!(chip_of(&reloaded.view(), "payment_result", "failed").pressed);

    // Continue: the chosen fact is an answer from the opening.
    assert!(app.finish_opening());
    let view = app.view();
    let answer = view.answers.iter().find(|a| a.fact == "payment_result").unwrap();
    assert_eq!((answer.value.as_str(), answer.source), ("failed", "opening"));
    assert_eq!(view.answers.len(), 1);
}

#[test]
fn words_in_the_box_are_never_saved() {
    let kb = kb_with_chips();
    let mut app = start_with(&kb, "", MemoryStore::default());
    let words = "机器显示续费成功，钱扣了，我的手机号13800000000";
    assert!(app.understand(words));
    assert!(!app.view().opening.unwrap().understood.is_empty(), "the live region says something once there are words");
    assert!(app.chip("restarted_since", "yes"));
    assert!(app.finish_opening());
    for text in app.store().0.values() {
        assert!(!text.contains("13800000000") && !text.contains("手机号"), "{text}");
    }
    assert!(!app.understand("again"), "only while the screen shows");
}

/// When the page cannot load what reads the words (the text pack or the
/// extractor module failed), the screen says so, never "in a moment".
#[test]
fn unreadable_words_are_said_to_be_unreadable() {
    let kb = kb_with_chips();
    let mut app = start_with(&kb, "", MemoryStore::default());
    let line = |app: &App<MemoryStore>| app.view().opening.unwrap().understood;
    assert!(app.understood("一串看不懂的话", &[]));
    let none = line(&app);
    assert!(!none.is_empty());
    app.words_unreadable();
    assert!(app.understood("一串看不懂的话", &[]));
    assert_ne!(line(&app), none);
    assert_eq!(line(&app), posdoctor::i18n::t(Lang::Zh, "understood_failed"));
    // Nothing typed: nothing said.
    assert!(app.understood("", &[]));
    assert_eq!(line(&app), "");
}

#[test]
fn deep_link_facts_show_as_pressed_chips_and_come_back_after_start_over() {
    let kb = kb_with_chips();
    let mut app = start_with(&kb, "#model=A8&f.payment_result=success", MemoryStore::default());
    assert!(app.opening_shown());
    assert!(chip_of(&app.view(), "payment_result", "success").pressed);
    assert_eq!(app.view().answers[0].source, "link");
    // Released on the screen: gone, and not back on reload of the same link.
    assert!(app.chip("payment_result", "success"));
    assert_eq!(app.session().answer_of("payment_result"), None);
    app.finish_opening();
    app.restart(2.0e12);
    assert!(app.opening_shown());
    assert_eq!(app.session().answer_of("payment_result"), Some("success"), "the link's facts apply again");
    assert_eq!(app.session().model.as_deref(), Some("A8"));
}

#[test]
fn answers_remember_where_they_came_from() {
    let kb = kb_with_chips();
    let mut app = start_with(&kb, "#f.restarted_since=yes", MemoryStore::default());
    app.chip("money_deducted", "yes");
    app.finish_opening();
    // Whatever the engine asks next (or, if it recommends a step, a fact
    // not yet told), answered as a question.
    let (q, value) = match app.view().question {
        Some(question) => (question.fact.clone(), question.answers[0].value.clone()),
        None => ("payment_result".to_string(), "success".to_string()),
    };
    assert!(app.answer(&q, &value));
    let sources = |app: &App<MemoryStore>| {
        app.view().answers.iter().map(|a| (a.fact.clone(), a.source)).collect::<std::collections::BTreeMap<_, _>>()
    };
    let before = sources(&app);
    assert_eq!(before["restarted_since"], "link");
    assert_eq!(before["money_deducted"], "opening");
    assert_eq!(before[&q], "question");

    // Saved progress and case codes keep them.
    assert_eq!(sources(&start_with(&kb, "", saved(&app))), before);
    let (decoded, _) = case::decode(&kb, &app.case_code()).unwrap();
    assert_eq!(decoded.answers, app.session().answers);
    let agent = start_with(&kb, &format!("#case={}", app.case_code()), MemoryStore::default());
    assert_eq!(sources(&agent), before);

    // A changed answer becomes the question's.
    app.change("money_deducted");
    app.answer("money_deducted", "yes");
    assert_eq!(sources(&app)["money_deducted"], "question");
}

#[test]
fn old_saved_progress_and_old_case_codes_still_load() {
    let kb = kb::default_kb().unwrap();
    // Saved progress of the first layout: no sources, no "opened" line.
    let old = format!("posdoctor-session 1\nkb {} {}\na payment_result success\ns action.restart not_fixed\n", kb.id, kb.version);
    let (session, dropped) = restore(&kb, &old).unwrap();
    assert_eq!(dropped, 0);
    assert_eq!(session.answers[0].source, posdoctor::session::Source::Question);
    // An unknown source word (a later version's) reads as a question's; a
    // fifth word is damage.
    let later = format!("posdoctor-session 1\nkb {} {}\na payment_result success chat\n", kb.id, kb.version);
    assert_eq!(restore(&kb, &later).unwrap().0.answers[0].source, posdoctor::session::Source::Question);
    let bad = format!("posdoctor-session 1\nkb {} {}\na payment_result success link x\n", kb.id, kb.version);
    assert_eq!(restore(&kb, &bad), Err(RestoreError::Corrupt));
    // A code of only question answers carries no sources.
    let mut s = Session::new(&kb);
    s.answer(&kb, "payment_result", "success");
    let plain = case::encode(&kb, &s, Lang::Zh);
    s.answers[0].source = posdoctor::session::Source::Link;
    let with_sources = case::encode(&kb, &s, Lang::Zh);
    assert_eq!(case::decode(&kb, &plain).unwrap().0.answers[0].source, posdoctor::session::Source::Question);
    assert_eq!(case::decode(&kb, &with_sources).unwrap().0.answers[0].source, posdoctor::session::Source::Link);
}

#[test]
fn a_step_held_back_is_shown_never_next_with_what_to_do_first() {
    use posdoctor::engine::{decide, Block};
    let kb = kb::default_kb().unwrap();
    let mut session = Session::new(&kb);
    session.answer(&kb, "money_deducted", "yes");
    let mut decision = decide(&kb, &session.evidence(&kb).0);
    // A paying step held back, whatever the engine says today: the page
    // draws what `Decision::blocked` holds.
    let paying = kb.action_index("action.recheck_details_and_renew").unwrap();
    let unverified = kb.action_index("action.top_up_and_retry").unwrap();
    decision.plan.retain(|s| s.action != paying && s.action != unverified);
    decision.next = posdoctor::engine::Next::Step(paying);
    decision.blocked = vec![(paying, Block::AlreadyPaid), (unverified, Block::Unverified)];
    for (lang, words) in [
        (Lang::Zh, ["钱已经扣了：先联系服务商核对这笔续费，别重复付款", "先在官方App里查一下续费记录和机器状态"]),
        (Lang::En, ["The money was already taken: have support check that payment before paying again", "Check your renewal record in the official app first"]),
    ] {
        let view = posdoctor::view::build(&posdoctor::view::ViewInput {
            kb: &kb,
            session: &session,
            decision: &decision,
            lang,
            profile: &posdoctor::profile::Profile::neutral(),
            support_mode: false,
            notices: &[],
            case_code: String::new(),
            opening: None,
            utc_offset_min: 0,
        });
        for (id, said) in [("action.recheck_details_and_renew", words[0]), ("action.top_up_and_retry", words[1])] {
            let step = view.steps.iter().find(|s| s.id == id).expect("the held-back step is shown");
            assert_eq!((step.state, step.next, step.blocked), ("todo", false, Some(said)));
        }
        // Even where the decision names it, a held-back step is never next.
        assert!(view.steps.iter().all(|s| !s.next));
    }
}

/// A mis-tapped outcome is taken back: the step is to do again, saved, and
/// the recommendation is what it was before the tap. Not in the support view.
#[test]
fn undo_puts_a_done_step_back_to_todo() {
    let mut app = start("", MemoryStore::default());
    app.finish_opening();
    let step = loop {
        match app.view().question {
            Some(q) => assert!(app.answer(&q.fact, "not_sure")),
            None => break app.view().steps.iter().find(|s| s.next).expect("a step").id.clone(),
        }
    };
    let before = app.decision().next;
    assert!(app.mark(&step, "fixed").is_some());
    assert_eq!(app.view().status, "resolved");
    assert!(!app.undo("action.no_such_step"), "only steps with an outcome");
    assert!(app.undo(&step));
    assert!(!app.undo(&step), "already to do");
    assert_eq!(app.decision().next, before);
    assert_eq!(app.view().steps.iter().find(|s| s.id == step).unwrap().state, "todo");
    // Saved: a reload shows it to do.
    let again = start("", saved(&app));
    assert_eq!(again.session().outcome_of(&step), None);

    // Read-only in the support view.
    app.mark(&step, "not_fixed");
    let mut support = start(&format!("#case={}", app.case_code()), MemoryStore::default());
    assert!(!support.undo(&step));
    assert!(support.view().steps.iter().any(|s| s.id == step && s.state == "not_fixed"));
}

/// After a confirmed start over, the link's model, provider, language and
/// facts apply again, even when the merchant switched language meanwhile.
#[test]
fn start_over_applies_the_link_again() {
    let mut app = start("#model=A8&provider=lakala&lang=en&f.payment_result=success", MemoryStore::default());
    assert_eq!(app.lang(), Lang::En);
    app.finish_opening();
    app.set_lang("zh-CN");
    app.change("payment_result");
    app.answer("payment_result", "failed");
    app.restart(2.0e12);
    assert_eq!(app.lang(), Lang::En);
    assert_eq!(app.session().model.as_deref(), Some("A8"));
    assert_eq!(app.session().provider.as_deref(), Some("lakala"));
    assert_eq!(app.session().answer_of("payment_result"), Some("success"));
    assert!(app.opening_shown());
}

fn start_lang(hash: &str, lang: &str) -> App<MemoryStore> {
    let input = StartInput { lang_attr: Some(lang.into()), hash: hash.into(), now_ms: 1.0e12, ..StartInput::default() };
    App::start(kb::default_kb().unwrap(), input, MemoryStore::default())
}

/// A QR link's provider and model show at the top; a page that names
/// neither shows no such line.
#[test]
fn the_brand_line_names_the_links_provider_and_model() {
    let brand = start_lang("#model=A8&provider=lakala", "zh-CN").view().brand.expect("a brand line");
    assert_eq!((brand.provider.as_deref(), brand.model.as_deref()), (Some("拉卡拉"), Some("A8")));
    let brand = start_lang("#provider=lakala", "en").view().brand.expect("a brand line");
    assert_eq!((brand.provider.as_deref(), brand.model), (Some("Lakala (拉卡拉)"), None));
    // An unknown provider is the neutral profile: no name to show.
    let brand = start_lang("#provider=nope&model=P3", "en").view().brand.expect("a brand line");
    assert_eq!((brand.provider, brand.model.as_deref()), (None, Some("P3")));
    assert!(start_lang("", "zh-CN").view().brand.is_none());
}

fn wait_step(app: &App<MemoryStore>) -> posdoctor::view::StepView {
    app.view().steps.into_iter().find(|s| s.id == "action.wait_activation").expect("the wait step is in the checklist")
}

/// The wait step says the provider's stated wait, and once the merchant
/// paid long enough ago, that the usual wait is over and what to do.
#[test]
fn the_wait_step_uses_when_the_merchant_paid() {
    use posdoctor::i18n::t;
    let mut app = start_lang("#provider=lakala", "en");
    app.finish_opening();
    assert!(wait_step(&app).wait.is_empty(), "no stated wait, no answer: the KB's 'usually' text only");
    app.answer("time_since_payment", "under_1h");
    assert!(wait_step(&app).wait.is_empty(), "within the hour: nothing is over yet");
    app.change("time_since_payment");
    app.answer("time_since_payment", "1h_to_24h");
    assert_eq!(wait_step(&app).wait, vec![t(Lang::En, "wait_passed_hour")]);
    app.change("time_since_payment");
    app.answer("time_since_payment", "over_24h");
    assert_eq!(wait_step(&app).wait, vec![t(Lang::En, "wait_passed_day")]);
    assert!(wait_step(&app).wait[0].contains("contact your provider"));

    // A provider that states its wait: said first; after an hour the
    // merchant compares with it; after a day it is over.
    let mut app = start_lang("#provider=example&f.time_since_payment=1h_to_24h", "zh-CN");
    app.finish_opening();
    let stated = posdoctor::profile::Profile::lookup("example").activation_wait.unwrap().zh;
    assert_eq!(wait_step(&app).wait, vec![format!("{}{stated}", t(Lang::Zh, "activation_wait")), t(Lang::Zh, "wait_check_stated").to_string()]);
    app.change("time_since_payment");
    app.answer("time_since_payment", "over_24h");
    assert_eq!(wait_step(&app).wait[1], t(Lang::Zh, "wait_passed_day"));
    // Done, the step says nothing more.
    app.mark("action.wait_activation", "not_fixed");
    assert!(wait_step(&app).wait.is_empty());
}

/// The KB's wait text gives the usual waits as "usually", never a promise.
#[test]
fn the_wait_steps_text_says_usually() {
    let kb = kb::default_kb().unwrap();
    let a = &kb.actions[kb.action_index("action.wait_activation").unwrap()];
    let how_en = a.how.get(Lang::En).join(" ");
    let how_zh = a.how.get(Lang::Zh).join("");
    assert!(how_en.contains("usually") && how_en.contains("minutes") && how_en.contains("working days"), "{how_en}");
    assert!(how_zh.contains("通常") && how_zh.contains("分钟") && how_zh.contains("工作日"), "{how_zh}");
    for promise in ["guarantee", "will be restored within", "保证", "一定"] {
        assert!(!how_en.contains(promise) && !how_zh.contains(promise), "{promise}");
    }
}

/// A profile's status link shows on the status-check steps, its service
/// link on the steps it serves and in the hand-off; real profiles have none.
#[test]
fn profile_links_show_on_the_steps_that_use_them() {
    let mut app = start_lang("#provider=example", "en");
    app.finish_opening();
    let p = posdoctor::profile::Profile::lookup("example");
    let view = app.view();
    let link_of = |id: &str| view.steps.iter().find(|s| s.id == id).and_then(|s| s.link.clone());
    let status = link_of("action.check_sim_status").expect("the status link on check SIM status");
    assert_eq!(status.url, p.status_url.clone().unwrap());
    assert_eq!(status.text, "Check the renewal and SIM status online");
    assert_eq!(link_of("action.verify_in_official_app").unwrap().url, p.status_url.clone().unwrap());
    assert_eq!(link_of("action.check_announcements").unwrap().url, p.service_url.clone().unwrap());
    assert!(link_of("action.restart").is_none(), "no link where it does not fit");
    assert_eq!(view.support.service_url, p.service_url);

    let mut app = start_lang("#provider=lakala", "en");
    app.finish_opening();
    let view = app.view();
    assert!(view.steps.iter().all(|s| s.link.is_none()));
    assert_eq!(view.support.service_url, None);
}

/// The default KB's JSON with `edit` applied to its text, loaded.
fn default_kb_edited(edit: impl Fn(String) -> String) -> Kb {
    kb::load(&edit(kb::DEFAULT_KB_JSON.to_string())).unwrap_or_else(|e| panic!("{e:?}"))
}

/// A provider's own KB that marks no step (`shows`) gets no wait lines and
/// no profile links, whatever its ids and the merchant's answers.
#[test]
fn a_kb_without_markers_shows_no_wait_lines_or_links() {
    let unmarked = default_kb_edited(|json| {
        let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
        for a in v["actions"].as_array_mut().unwrap() {
            a.as_object_mut().unwrap().retain(|k, _| k != "shows" && k != "wait_since");
        }
        v.to_string()
    });
    assert!(unmarked.actions.iter().all(|a| a.shows.is_none()));
    for hash in ["#provider=example&f.time_since_payment=over_24h", "#provider=example&f.time_since_payment=1h_to_24h"] {
        let mut app = start_with(&unmarked, hash, MemoryStore::default());
        app.finish_opening();
        let view = app.view();
        assert!(view.steps.iter().any(|s| s.id == "action.wait_activation"), "the step itself is still there");
        assert!(view.steps.iter().all(|s| s.wait.is_empty() && s.link.is_none()), "{hash}");
        // The hand-off's service link is the profile's own, marks or not.
        assert!(view.support.service_url.is_some());
    }
}

/// The marks, not the ids, carry the wait lines and links: the same KB
/// with the wait step, a status step and the time-since fact renamed.
#[test]
fn renamed_marked_steps_still_get_their_wait_lines_and_links() {
    use posdoctor::i18n::t;
    let renamed = default_kb_edited(|json| {
        json.replace("\"action.wait_activation\"", "\"step.hold_on\"")
            .replace("\"action.check_sim_status\"", "\"step.look_up_card\"")
            .replace("\"time_since_payment\"", "\"paid_how_long_ago\"")
    });
    assert!(renamed.action_index("action.wait_activation").is_none() && renamed.question_index("time_since_payment").is_none());
    let mut app = start_with(&renamed, "#provider=example&f.paid_how_long_ago=over_24h", MemoryStore::default());
    app.finish_opening();
    let view = app.view();
    let step = |id: &str| view.steps.iter().find(|s| s.id == id).unwrap_or_else(|| panic!("{id} in the checklist"));
    assert_eq!(step("step.hold_on").wait.last().map(String::as_str), Some(t(Lang::Zh, "wait_passed_day")));
    let p = posdoctor::profile::Profile::lookup("example");
    assert_eq!(step("step.look_up_card").link.as_ref().map(|l| &l.url), p.status_url.as_ref());
}

/// In English each answer carries the Chinese words too: the screen
/// pictures show what the terminal really displays.
#[test]
fn english_answers_carry_the_chinese_the_screen_shows() {
    let kb = kb::default_kb().unwrap();
    let mut app = start_lang("", "en");
    app.finish_opening();
    let q = app.view().question.expect("a question");
    let question = &kb.questions[kb.question_index(&q.fact).unwrap()];
    for a in q.answers.iter().filter(|a| a.value != "not_sure") {
        let zh = &question.answers.iter().find(|x| x.value == a.value).unwrap().text.zh;
        assert_eq!(a.native.as_ref(), Some(zh));
    }
    let mut app = start_lang("", "zh-CN");
    app.finish_opening();
    assert!(app.view().question.unwrap().answers.iter().all(|a| a.native.is_none()));
}

/// The serial number: cleaned, in the summary, saved on this device, kept
/// over a start over, never in the case code; read-only for support.
#[test]
fn the_serial_number_goes_into_the_summary_and_stays_on_the_device() {
    let mut app = start_lang("#model=A8", "en");
    let code = app.case_code();
    assert!(app.set_sn(" sn 12ab-34\u{00a0}<x> "));
    assert_eq!(app.session().sn.as_deref(), Some("SN12AB-34X"));
    assert!(app.view().support.summary.lines().any(|l| l == "Serial number (SN): SN12AB-34X"));
    assert_eq!(app.view().support.sn.as_deref(), Some("SN12AB-34X"));
    assert_eq!(app.case_code(), code, "the case code does not carry it");
    let again = start("", saved(&app));
    assert_eq!(again.session().sn.as_deref(), Some("SN12AB-34X"), "saved");
    assert!(app.set_sn(&"9".repeat(80)));
    assert_eq!(app.session().sn.as_ref().map(String::len), Some(posdoctor::session::SN_MAX));
    app.restart(2.0e12);
    assert!(app.session().sn.is_some(), "the same terminal after a start over");
    assert!(app.set_sn("  "));
    assert_eq!(app.session().sn, None);
    assert!(!app.view().support.summary.contains("(SN)"));

    // Tampered saved progress: the SN line is dropped, with the notice.
    let kb = kb::default_kb().unwrap();
    let text = format!("posdoctor-session 1\nkb {} {}\nsn <script>\n", kb.id, kb.version);
    let (session, dropped) = restore(&kb, &text).unwrap();
    assert_eq!((session.sn, dropped), (None, 1));

    let mut support = start(&format!("#case={code}"), MemoryStore::default());
    assert!(!support.set_sn("X1"));
}
