//! The engine and the bindings inside wasm, in a real browser, with the
//! real localStorage (`./build.sh test` runs these through
//! wasm-bindgen-test-runner and Debian's chromedriver).
#![cfg(target_arch = "wasm32")]

use posdoctor::eval::{evaluate, parse_scenarios};
use posdoctor::kb;
use posdoctor::wasm::{Doctor, Extractor};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn get(v: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(v, &JsValue::from_str(key)).unwrap()
}

/// The built-in KB's decision pack (`kb.bin`); `text_pack` is its
/// `kb-text.bin`, `cue_pack` its `kb-cues.bin`.
fn packed_kb() -> Vec<u8> {
    kb::packed::encode_split(&kb::default_kb().unwrap()).0
}

fn text_pack() -> Vec<u8> {
    kb::packed::encode_split(&kb::default_kb().unwrap()).1
}

fn cue_pack() -> Vec<u8> {
    kb::packed::encode_cues(&kb::default_kb().unwrap(), &packed_kb())
}

fn doctor(hash: &str) -> Doctor {
    Doctor::new(Some("zh-CN".into()), None, hash.into(), &packed_kb(), None, None, None).unwrap()
}

fn storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

/// The engine decides the same inside wasm: every public story is solved.
#[wasm_bindgen_test]
fn public_stories_solved_in_wasm() {
    let stories = parse_scenarios(include_str!("../../shared/scenarios/public.json")).unwrap();
    let report = evaluate(&kb::default_kb().unwrap(), &stories);
    assert_eq!(report.solved, report.total);
    assert_eq!(report.total, 16);
}

#[wasm_bindgen_test]
fn taps_are_saved_and_restored_through_local_storage() {
    storage().clear().unwrap();
    let mut d = doctor("");
    let view = d.view().unwrap();
    // A fresh session opens on the say-what-you-know screen.
    assert_eq!(get(&view, "status").as_string().as_deref(), Some("opening"));
    assert_eq!(get(&view, "lang").as_string().as_deref(), Some("zh-CN"));
    assert!(d.answer("payment_result", "success"));
    assert!(!d.answer("payment_result", "<script>"));
    assert!(d.mark("action.restart", "not_fixed"));
    let saved = storage().get_item("posdoctor:session:pos-renewal").unwrap().unwrap();
    assert!(saved.contains("payment_result"));

    let again = doctor("");
    let answers = js_sys::Array::from(&get(&again.view().unwrap(), "answers"));
    assert!(storage().get_item("posdoctor:session:pos-renewal").unwrap().unwrap().starts_with("posdoctor-session 1"));
    assert_eq!(answers.length(), 1);
    assert_eq!(get(&answers.get(0), "fact").as_string().as_deref(), Some("payment_result"));
}

#[wasm_bindgen_test]
fn corrupted_saved_progress_starts_fresh_with_a_notice() {
    storage().set_item("posdoctor:session:pos-renewal", "{\"v\":1,\"kb\":").unwrap();
    let d = doctor("#f.payment_result=success&x=%3Cimg%3E");
    let view = d.view().unwrap();
    let kinds: Vec<String> = js_sys::Array::from(&get(&view, "notices"))
        .iter()
        .map(|n| get(&n, "kind").as_string().unwrap())
        .collect();
    assert!(kinds.contains(&"saved-progress".to_string()), "{kinds:?}");
    assert!(kinds.contains(&"link".to_string()), "{kinds:?}");
    assert_eq!(js_sys::Array::from(&get(&view, "answers")).length(), 1);
}

#[wasm_bindgen_test]
fn a_bad_provider_kb_falls_back_with_a_notice() {
    storage().clear().unwrap();
    let errors = "$.causes: expected an array, found a number\n$.questions: missing".to_string();
    let d = Doctor::new(None, None, String::new(), &packed_kb(), None, Some(errors), None).unwrap();
    let view = d.view().unwrap();
    assert_eq!(get(&get(&view, "kb"), "id").as_string().as_deref(), Some("pos-renewal"));
    let notices = js_sys::Array::from(&get(&view, "notices"));
    assert!(notices.iter().any(|n| get(&n, "kind").as_string().as_deref() == Some("kb-fallback")));
    // A damaged built-in KB is an error, not a panic.
    assert!(Doctor::new(None, None, String::new(), b"PDKB", None, None, None).is_err());
}

/// The page's allocator (src/allocator.rs) reuses freed memory: hundreds
/// of taps and views after warming up grow the wasm memory by little.
#[wasm_bindgen_test]
fn memory_stays_bounded_over_many_taps() {
    let pages = || core::arch::wasm32::memory_size(0);
    let mut d = doctor("");
    let tap = |d: &mut Doctor, n: usize| {
        for i in 0..n {
            let view = d.view().unwrap();
            let question = get(&view, "question");
            if question.is_null() || i % 6 == 5 {
                d.restart();
                continue;
            }
            let answers = js_sys::Array::from(&get(&question, "answers"));
            let value = get(&answers.get((i % answers.length() as usize) as u32), "value").as_string().unwrap();
            d.answer(&get(&question, "fact").as_string().unwrap(), &value);
        }
    };
    tap(&mut d, 60);
    let warm = pages();
    tap(&mut d, 400);
    let grown = pages() - warm;
    // 400 views of tens of kilobytes each would need a hundred pages
    // (64 KiB each) or more if nothing were reused.
    assert!(grown <= 16, "memory grew by {grown} pages");
}

/// The say-what-you-know screen through the bindings: the view has it on a
/// fresh session, the words understood are never stored, Continue leaves
/// it, add more brings it back, and answers carry their source.
#[wasm_bindgen_test]
fn the_opening_screen_through_the_bindings() {
    storage().clear().unwrap();
    let mut d = doctor("#f.payment_result=success");
    assert!(!get(&d.view().unwrap(), "opening").is_null());
    assert!(d.add_texts(&text_pack()));
    let words = "昨天交的钱，暗号WQ-83";
    let found = Extractor::new(&packed_kb(), Some(cue_pack())).unwrap().read(words);
    // Until the page says the words' reader has landed, nothing is lit.
    assert!(d.understand(words, &found));
    let none = get(&get(&d.view().unwrap(), "opening"), "topics");
    assert!(!js_sys::JSON::stringify(&none).unwrap().as_string().unwrap().contains("\"understood\":true"));
    d.words_ready();
    assert!(d.understand(words, &found));
    let chips = |d: &Doctor| {
        let mut lit = Vec::new();
        for topic in js_sys::Array::from(&get(&get(&d.view().unwrap(), "opening"), "topics")).iter() {
            for chip in js_sys::Array::from(&get(&topic, "chips")).iter() {
                if get(&chip, "understood").as_bool() == Some(true) {
                    lit.push(get(&chip, "words").as_string().unwrap());
                }
            }
        }
        lit.sort();
        lit
    };
    assert_eq!(chips(&d), ["交的", "昨天"]);
    assert!(!d.chip("payment_result", "<b>"));
    assert!(d.opening_done());
    let view = d.view().unwrap();
    assert!(get(&view, "opening").is_null());
    let answers = js_sys::Array::from(&get(&view, "answers"));
    assert_eq!(get(&answers.get(0), "source").as_string().as_deref(), Some("link"));
    let saved = storage().get_item("posdoctor:session:pos-renewal").unwrap().unwrap();
    assert!(!saved.contains("暗号") && !saved.contains("WQ-83"), "{saved}");
    assert!(!d.opening_done(), "Continue only while the screen shows");
    assert!(d.add_more());
    assert!(!get(&d.view().unwrap(), "opening").is_null());
}

/// The text pack joins in wasm too: a step's how-to is empty before, there after.
#[wasm_bindgen_test]
fn the_text_pack_fills_the_how_to() {
    storage().clear().unwrap();
    let mut d = doctor("");
    assert!(d.opening_done());
    let how_of_first_step = |d: &Doctor| {
        let steps = js_sys::Array::from(&get(&d.view().unwrap(), "steps"));
        js_sys::Array::from(&get(&steps.get(0), "how")).length()
    };
    assert_eq!(how_of_first_step(&d), 0);
    assert!(!d.add_texts(b"PDTX damaged"));
    assert!(d.add_texts(&text_pack()));
    assert!(how_of_first_step(&d) > 0);
}

/// The extractor's own module reads what the native extractor reads, on
/// the built-in decision and cue packs or a provider's whole KB, and
/// refuses damaged bytes.
#[wasm_bindgen_test]
fn the_extractor_module_reads_the_merchants_words() {
    // What the native extractor reads, as the module returns it.
    let native_reading = |words: &str| -> Vec<u32> {
        posdoctor::extract::extract(&kb::default_kb().unwrap(), words, None)
            .found
            .iter()
            .flat_map(|f| [f.observation as u32, f.start as u32, f.end as u32])
            .collect()
    };
    let words = "流量费昨晚交了，屏幕显示无网络";
    let native = native_reading(words);
    assert!(native.len() >= 9, "{native:?}");
    assert_eq!(Extractor::new(&packed_kb(), Some(cue_pack())).unwrap().read(words), native);
    let whole = kb::packed::encode(&kb::default_kb().unwrap());
    assert_eq!(Extractor::new(&whole, None).unwrap().read(words), native);
    // Clock times read against now, and English without its articles, read
    // in the module as natively.
    for words in ["我十点多在App上交的服务费，现在都两点了", "I paid service fee in app around 5, it's 8 now"] {
        let native = native_reading(words);
        assert!(native.len() >= 9, "{words}: {native:?}");
        assert_eq!(Extractor::new(&packed_kb(), Some(cue_pack())).unwrap().read(words), native, "{words}");
    }
    assert!(Extractor::new(b"PDKB damaged", None).is_err());
    assert!(Extractor::new(&packed_kb(), Some(b"PDCU damaged".to_vec())).is_err());
    // The text pack is no cue pack.
    assert!(Extractor::new(&packed_kb(), Some(text_pack())).is_err());
    // Without its cue pack the built-in KB has no cue phrases to read with.
    assert!(Extractor::new(&packed_kb(), None).is_err());
}
