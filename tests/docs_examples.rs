//! The worked example of docs/kb-authoring.md: the tiny provider KB
//! validates (notes required, as an author's source), `eval` solves its
//! three stories, the CLI agrees, and the error output the guide shows is
//! what `validate` prints today.

use posdoctor::eval::{evaluate, parse_scenarios};
use posdoctor::kb;
use serde_json::{json, Value};
use std::process::Command;

const KB: &str = include_str!("../docs/examples/tiny-provider-kb.json");
const STORIES: &str = include_str!("../docs/examples/tiny-stories.json");
const GUIDE: &str = include_str!("../docs/kb-authoring.md");

fn cli(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_posdoctor"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

#[test]
fn the_example_kb_validates_and_solves_its_stories() {
    let kb = kb::load_source(KB.as_bytes()).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!((kb.causes.len(), kb.questions.len(), kb.actions.len()), (4, 3, 4));
    let raw: Result<kb::RawKb, _> = serde_json::from_str(KB);
    assert!(raw.is_ok(), "matches kb/schema.json's types: {:?}", raw.err());
    let stories = parse_scenarios(STORIES).unwrap();
    assert_eq!(stories.len(), 3);
    let report = evaluate(&kb, &stories);
    assert_eq!(report.solved, 3, "{report:?}");
    // Every fact and step the stories name exists in the KB.
    for s in &stories {
        for (fact, value) in &s.facts {
            let q = kb.question_index(fact).unwrap_or_else(|| panic!("{}: no question {fact}", s.id));
            assert!(kb.questions[q].answers.iter().any(|a| &a.value == value), "{}: {fact}={value}", s.id);
        }
        for a in &s.fixed_by {
            assert!(kb.action_index(a).is_some(), "{}: no action {a}", s.id);
        }
    }
}

#[test]
fn the_guide_shows_what_the_cli_prints() {
    let (code, out, _) = cli(&["validate", "docs/examples/tiny-provider-kb.json"]);
    assert_eq!(code, 0);
    assert!(GUIDE.contains(out.trim()), "validate output not in the guide:\n{out}");

    let (code, out, err) = cli(&["eval", "--scenarios", "docs/examples/tiny-stories.json", "--kb", "docs/examples/tiny-provider-kb.json"]);
    assert_eq!(code, 0, "{err}");
    for line in out.lines() {
        assert!(GUIDE.contains(line.trim_end()), "eval line not in the guide: {line}");
    }

    let (code, out, _) = cli(&["session", "--kb", "docs/examples/tiny-provider-kb.json", "--explain"]);
    assert_eq!(code, 0);
    for line in out.lines() {
        assert!(GUIDE.contains(line), "session --explain line not in the guide: {line}");
    }
}

/// The six mistakes the guide describes give exactly the six lines it shows.
#[test]
fn the_guides_error_example_is_current() {
    let mut v: Value = serde_json::from_str(KB).unwrap();
    v["causes"][1]["prior"] = json!(0);
    v["causes"][2].as_object_mut().unwrap().remove("note");
    v["questions"][0]["likelihoods"]["bank.insufficient_balance"] = json!({"success": 0.2, "failed": 0.7});
    v["questions"][1]["answers"].as_array_mut().unwrap().push(json!({"value": "not_sure", "text": {"zh-CN": "不确定", "en": "Not sure"}}));
    v["actions"][2]["fixes"] = json!({"bank.low_balance": 0.95});
    v["tips"][0]["text"] = json!({"zh-CN": "提前续费"});
    let dir = std::env::temp_dir().join(format!("posdoctor-docs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("broken.json");
    std::fs::write(&path, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    let (code, out, err) = cli(&["validate", path.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.trim_end().ends_with(": 6 errors"), "{err}");
    assert_eq!(out.lines().count(), 6, "{out}");
    for line in out.lines() {
        assert!(GUIDE.contains(line), "error line not in the guide: {line}");
    }
}
