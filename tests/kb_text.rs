//! Content rules for the default knowledge base's source (`kb/pos-renewal.json`,
//! with its authoring notes), the things no schema can check:
//!
//! - no text tells the merchant to open the terminal or take out its SIM,
//!   except as a warning (DESIGN: on 电签 terminals the card is bound to the
//!   device and opening the case can lock it for good);
//! - no phone-number-like digits: a provider's numbers come only from its
//!   profile; the state's 110 and 96110 are the only numbers allowed, and
//!   only where the note gives a source;
//! - a typical duration is said as "usually …" and its note gives a source;
//! - every cause, question and action says where its numbers come from
//!   (a non-empty `note`), every ext2 cause with a source address;
//! - every id of DESIGN's vocabulary (v1 and v2) is present.
//!
//! Each rule is a function returning its violations, run on the real file
//! and on a copy with a planted bad text, which it must report.

use serde_json::{json, Value};

fn source() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/kb/pos-renewal.json");
    let text = std::fs::read_to_string(path).expect("kb/pos-renewal.json is readable");
    serde_json::from_str(&text).expect("kb/pos-renewal.json is JSON")
}

/// A text the merchant may read: where it sits (JSON path) and what it says.
struct Shown {
    path: String,
    text: String,
}

/// Keys whose subtree is not shown to merchants: authoring notes, ids and
/// the extractor's cue phrases (matched, never displayed).
const NOT_SHOWN: [&str; 5] = ["note", "id", "cues", "anchors", "version"];

/// Every string under a `zh-CN` or `en` key (a text, or a how-to list).
fn shown_texts(v: &Value) -> Vec<Shown> {
    fn walk(v: &Value, path: &str, in_lang: bool, out: &mut Vec<Shown>) {
        match v {
            Value::Object(map) => {
                for (k, child) in map {
                    if NOT_SHOWN.contains(&k.as_str()) {
                        continue;
                    }
                    let lang = k == "zh-CN" || k == "en";
                    walk(child, &format!("{path}.{k}"), lang, out);
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    walk(child, &format!("{path}[{i}]"), in_lang, out);
                }
            }
            Value::String(s) if in_lang => out.push(Shown { path: path.to_string(), text: s.clone() }),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(v, "$", false, &mut out);
    out
}

/// Sentences: split at sentence ends only (a colon or comma keeps the
/// warning and its reason together: "不要拆开机器：拆机可能把机器锁死").
fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        cur.push(c);
        let end = matches!(c, '。' | '！' | '？' | '；' | '!' | '?' | ';' | '\n')
            || (c == '.' && chars.peek().is_none_or(|n| n.is_whitespace()));
        if end {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur);
    }
    out
}

/// Words that open the case or take the card out.
const OPENING_ZH: [&str; 9] = ["拆", "后盖", "取出", "拔出", "拔卡", "取卡", "抽出", "打开机器", "打开外壳"];
const OPENING_EN: [&str; 10] = [
    "open the terminal",
    "open the case",
    "open the device",
    "open the pos",
    "opening it",
    "back cover",
    "take out",
    "take the sim",
    "remove the sim",
    "pull out",
];
const WARNING_ZH: [&str; 9] = ["不要", "别", "切勿", "勿", "不能", "禁止", "不用", "无需", "不必"];
const WARNING_EN: [&str; 4] = ["never", "don't", "do not", "must not"];

/// Sentences that tell the merchant to open the terminal or take out its
/// SIM without saying not to.
fn opening_instructions(kb: &Value) -> Vec<String> {
    let mut bad = Vec::new();
    for shown in shown_texts(kb) {
        for s in sentences(&shown.text) {
            let lower = s.to_lowercase();
            let opens = OPENING_ZH.iter().any(|w| s.contains(w)) || OPENING_EN.iter().any(|w| lower.contains(w));
            let warns = WARNING_ZH.iter().any(|w| s.contains(w)) || WARNING_EN.iter().any(|w| lower.contains(w));
            if opens && !warns {
                bad.push(format!("{}: {}", shown.path, s.trim()));
            }
        }
    }
    bad
}

/// Runs of digits (ASCII or full-width), as strings of ASCII digits.
fn digit_runs(text: &str) -> Vec<String> {
    let mut runs = Vec::new();
    let mut cur = String::new();
    for c in text.chars() {
        let d = match c {
            '0'..='9' => Some(c),
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
            _ => None,
        };
        match d {
            Some(d) => cur.push(d),
            None if !cur.is_empty() => runs.push(std::mem::take(&mut cur)),
            None => {}
        }
    }
    if !cur.is_empty() {
        runs.push(cur);
    }
    runs
}

/// The only numbers of three digits or more a merchant may read.
const STATE_NUMBERS: [&str; 2] = ["110", "96110"];

/// Digit runs of three or more that could be a phone number (a hotline
/// looks like 95xxx or 400-xxx-xxxx; amounts and limits are not ours to
/// state either), other than the state's 110 and 96110.
fn phone_like_numbers(kb: &Value) -> Vec<String> {
    shown_texts(kb)
        .into_iter()
        .flat_map(|shown| {
            digit_runs(&shown.text)
                .into_iter()
                .filter(|run| run.len() >= 3 && !STATE_NUMBERS.contains(&run.as_str()))
                .map(move |run| format!("{}: {run}", shown.path))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The items that carry notes: causes, questions, actions (and tips'
/// owners, which carry no numbers). (path, item).
fn noted_items(kb: &Value) -> Vec<(String, &Value)> {
    let mut items = Vec::new();
    for list in ["causes", "questions", "actions"] {
        for (i, item) in kb[list].as_array().map(|a| a.as_slice()).unwrap_or(&[]).iter().enumerate() {
            items.push((format!("$.{list}[{i}]"), item));
        }
    }
    items
}

fn note_of(item: &Value) -> &str {
    item.get("note").and_then(Value::as_str).unwrap_or("")
}

/// Causes, questions and actions whose numbers have no note, plus the
/// cost model and the safety section when present.
fn missing_notes(kb: &Value) -> Vec<String> {
    let mut bad: Vec<String> =
        noted_items(kb).into_iter().filter(|(_, item)| note_of(item).trim().is_empty()).map(|(p, _)| p).collect();
    for section in ["cost_model", "safety"] {
        if let Some(s) = kb.get(section) {
            if note_of(s).trim().is_empty() {
                bad.push(format!("$.{section}"));
            }
        }
    }
    bad
}

/// Every text of one item (its own strings, not its neighbours').
fn item_texts(item: &Value) -> Vec<String> {
    shown_texts(item).into_iter().map(|s| s.text).collect()
}

/// A duration or time limit the KB states to the merchant ("5–15 分钟",
/// "3 working days") must be hedged ("通常", "usually", "about") and the
/// item's note must give a source address; 110 and 96110 likewise need
/// their source in the note.
fn unsourced_numbers(kb: &Value) -> Vec<String> {
    const UNITS_ZH: [&str; 5] = ["分钟", "小时", "天", "工作日", "个月"];
    const UNITS_EN: [&str; 6] = ["minute", "hour", "day", "week", "month", "working day"];
    const HEDGES: [&str; 6] = ["通常", "一般", "大约", "usually", "about", "typically"];
    let mut bad = Vec::new();
    // What the KB asserts (causes, steps, tips); a question's answers are
    // the merchant's own time buckets, not a claim.
    let mut items: Vec<(String, &Value)> =
        noted_items(kb).into_iter().filter(|(path, _)| !path.starts_with("$.questions")).collect();
    for (i, tip) in kb["tips"].as_array().map(|a| a.as_slice()).unwrap_or(&[]).iter().enumerate() {
        items.push((format!("$.tips[{i}]"), tip));
    }
    for (path, item) in items {
        let note = note_of(item);
        let sourced = note.contains("http");
        for text in item_texts(item) {
            for s in sentences(&text) {
                let lower = s.to_lowercase();
                let has_digit = s.chars().any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c));
                let runs = digit_runs(&s);
                let state = runs.iter().any(|r| STATE_NUMBERS.contains(&r.as_str()));
                let duration = has_digit
                    && (UNITS_ZH.iter().any(|u| s.contains(u)) || UNITS_EN.iter().any(|u| lower.contains(u)));
                if duration && !HEDGES.iter().any(|h| lower.contains(h)) {
                    bad.push(format!("{path}: a duration said as a promise: {}", s.trim()));
                }
                if (duration || state) && !sourced {
                    bad.push(format!("{path}: a number without a source address in the note: {}", s.trim()));
                }
                for r in runs.iter().filter(|r| STATE_NUMBERS.contains(&r.as_str())) {
                    if !note.contains(r.as_str()) {
                        bad.push(format!("{path}: {r} is not named in the note with its source"));
                    }
                }
            }
        }
    }
    bad
}

#[path = "vocabulary/mod.rs"]
mod vocabulary;
use vocabulary::{ACTIONS, FACTS, V1_CAUSES, V2_CAUSES};

fn ids(kb: &Value, list: &str) -> Vec<String> {
    kb[list]
        .as_array()
        .map(|a| a.iter().filter_map(|x| x["id"].as_str().map(str::to_string)).collect())
        .unwrap_or_default()
}

/// Vocabulary ids (v1 and v2) the KB lacks: causes, facts and their
/// values, actions.
fn missing_vocabulary(kb: &Value) -> Vec<String> {
    let mut missing = Vec::new();
    let causes = ids(kb, "causes");
    for c in V1_CAUSES.iter().chain(&V2_CAUSES) {
        if !causes.iter().any(|x| x == c) {
            missing.push(format!("cause {c}"));
        }
    }
    let questions = kb["questions"].as_array().map(|a| a.as_slice()).unwrap_or(&[]);
    for (fact, values) in FACTS {
        match questions.iter().find(|q| q["id"] == fact) {
            None => missing.push(format!("fact {fact}")),
            Some(q) => {
                let have: Vec<&str> =
                    q["answers"].as_array().into_iter().flatten().filter_map(|a| a["value"].as_str()).collect();
                for v in values {
                    if !have.contains(v) {
                        missing.push(format!("value {fact}={v}"));
                    }
                }
            }
        }
    }
    let actions = ids(kb, "actions");
    for a in ACTIONS {
        if !actions.iter().any(|x| x == a) {
            missing.push(format!("action {a}"));
        }
    }
    missing
}

/// The ext2 causes (DESIGN vocabulary v2) must cite where they come from.
fn unsourced_v2_causes(kb: &Value) -> Vec<String> {
    kb["causes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| c["id"].as_str().is_some_and(|id| V2_CAUSES.contains(&id)))
        .filter(|c| !(note_of(c).contains("ext2") && note_of(c).contains("http")))
        .map(|c| c["id"].as_str().unwrap_or("?").to_string())
        .collect()
}

fn action_mut<'a>(kb: &'a mut Value, id: &str) -> &'a mut Value {
    kb["actions"].as_array_mut().unwrap().iter_mut().find(|a| a["id"] == id).unwrap()
}

fn plant_how(kb: &mut Value, action: &str, lang: &str, text: &str) {
    action_mut(kb, action)["how"][lang].as_array_mut().unwrap().push(json!(text));
}

// ---- the rules on the real file ----------------------------------------

#[test]
fn the_default_kb_never_says_to_open_the_terminal() {
    let bad = opening_instructions(&source());
    assert!(bad.is_empty(), "texts that say to open the terminal or take out the SIM:\n{}", bad.join("\n"));
}

#[test]
fn the_default_kb_has_no_phone_numbers() {
    let bad = phone_like_numbers(&source());
    assert!(bad.is_empty(), "phone-number-like digits:\n{}", bad.join("\n"));
}

#[test]
fn every_number_in_the_default_kb_has_a_note() {
    let kb = source();
    let bad = missing_notes(&kb);
    assert!(bad.is_empty(), "no note: {bad:?}");
    let bad = unsourced_numbers(&kb);
    assert!(bad.is_empty(), "numbers shown without hedge or source:\n{}", bad.join("\n"));
    let bad = unsourced_v2_causes(&kb);
    assert!(bad.is_empty(), "v2 causes without ext2 and a source address: {bad:?}");
}

#[test]
fn the_default_kb_speaks_the_whole_vocabulary() {
    let bad = missing_vocabulary(&source());
    assert!(bad.is_empty(), "missing: {bad:?}");
}

#[test]
fn the_rules_see_the_whole_file() {
    // Guards the walkers themselves: if the texts were not found, every
    // rule above would pass vacuously.
    let kb = source();
    let shown = shown_texts(&kb);
    assert!(shown.len() > 500, "only {} texts found", shown.len());
    assert!(shown.iter().any(|s| s.path.contains(".how.zh-CN[")));
    assert!(shown.iter().any(|s| s.path.starts_with("$.tips[")));
    assert!(!shown.iter().any(|s| s.path.contains(".note")));
    assert!(noted_items(&kb).len() >= 27 + 22 + 25);
}

// ---- each rule fails on a planted bad text -----------------------------

#[test]
fn planted_opening_instructions_are_caught() {
    for (lang, text) in [
        ("zh-CN", "打开后盖，取出SIM卡擦一擦再装回去。"),
        ("zh-CN", "把流量卡拔出来看看卡背面的二维码"),
        ("en", "Remove the back cover and take out the SIM to scan its QR code."),
        ("en", "Open the terminal and check the card."),
    ] {
        let mut kb = source();
        plant_how(&mut kb, "action.restart", lang, text);
        let bad = opening_instructions(&kb);
        assert_eq!(bad.len(), 1, "{text:?} not caught exactly once: {bad:?}");
    }
    // A warning in the same sentence is fine, a warning in the next is not.
    let mut kb = source();
    plant_how(&mut kb, "action.restart", "zh-CN", "千万不要拆开机器。");
    plant_how(&mut kb, "action.restart", "en", "Never take out the SIM: it is bound to the terminal.");
    assert!(opening_instructions(&kb).is_empty());
    let mut kb = source();
    plant_how(&mut kb, "action.restart", "zh-CN", "拆开后盖取卡。不要着急。");
    assert_eq!(opening_instructions(&kb).len(), 1);
    // Tips and cause details count too.
    let mut kb = source();
    kb["tips"][0]["text"]["en"] = json!("Take out the SIM once a month.");
    kb["causes"][0]["detail"]["zh-CN"] = json!("需要拆机检查。");
    assert_eq!(opening_instructions(&kb).len(), 2);
}

#[test]
fn planted_phone_numbers_are_caught() {
    for text in ["客服电话 95016。", "Call 400-820-1234.", "拨打９５５１６查询。", "Dial 12315 to complain."] {
        let mut kb = source();
        plant_how(&mut kb, "action.contact_provider", "en", text);
        assert!(!phone_like_numbers(&kb).is_empty(), "{text:?} not caught");
    }
    let mut kb = source();
    plant_how(&mut kb, "action.contact_provider", "en", "Wait 5–15 minutes; screen code 97.");
    assert!(phone_like_numbers(&kb).is_empty(), "short numbers are not phone numbers");
}

#[test]
fn planted_missing_notes_are_caught() {
    for (list, i) in [("causes", 20), ("questions", 18), ("actions", 16)] {
        let mut kb = source();
        kb[list][i]["note"] = json!("  ");
        assert_eq!(missing_notes(&kb), vec![format!("$.{list}[{i}]")]);
        let mut kb = source();
        kb[list][i].as_object_mut().unwrap().remove("note");
        assert_eq!(missing_notes(&kb).len(), 1);
    }
    let mut kb = source();
    kb["causes"][19]["note"] = json!("Extension ext2. Seen often.");
    assert_eq!(unsourced_v2_causes(&kb), vec![kb["causes"][19]["id"].as_str().unwrap().to_string()]);
}

#[test]
fn planted_unsourced_durations_and_state_numbers_are_caught() {
    // A promise instead of "usually".
    let mut kb = source();
    plant_how(&mut kb, "action.pay_sim_fee", "zh-CN", "交费后15分钟内一定恢复。");
    assert_eq!(unsourced_numbers(&kb).len(), 1, "{:?}", unsourced_numbers(&kb));
    // A hedged duration whose item cites no source.
    let mut kb = source();
    plant_how(&mut kb, "action.restart", "en", "It usually comes back within 3 minutes.");
    assert_eq!(unsourced_numbers(&kb).len(), 1);
    // 96110 in a step whose note does not name it.
    let mut kb = source();
    plant_how(&mut kb, "action.contact_bank", "zh-CN", "也可以拨打96110。");
    assert!(!unsourced_numbers(&kb).is_empty());
    let mut kb = source();
    let verify = action_mut(&mut kb, "action.verify_in_official_app");
    verify["note"] = json!("About 8 minutes.");
    assert!(!unsourced_numbers(&kb).is_empty());
}

#[test]
fn planted_missing_vocabulary_is_caught() {
    let mut kb = source();
    kb["causes"].as_array_mut().unwrap().retain(|c| c["id"] != "device.moved");
    kb["actions"].as_array_mut().unwrap().retain(|a| a["id"] != "action.reapply");
    let q = kb["questions"].as_array_mut().unwrap().iter_mut().find(|q| q["id"] == "account_status").unwrap();
    q["answers"].as_array_mut().unwrap().retain(|a| a["value"] != "restricted");
    kb["questions"].as_array_mut().unwrap().retain(|q| q["id"] != "moved_recently");
    let mut missing = missing_vocabulary(&kb);
    missing.sort();
    assert_eq!(
        missing,
        ["action action.reapply", "cause device.moved", "fact moved_recently", "value account_status=restricted"]
    );
}
