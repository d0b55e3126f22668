//! Embeds the default knowledge base without its authoring notes and
//! whitespace: notes explain the numbers to KB authors (they stay in
//! kb/pos-renewal.json); merchants' phones need not download them.
//! Also compiles the built-in provider profiles (kb/providers.json) into a
//! Rust table for src/profile.rs.

use std::{env, fs, path::Path};

fn strip(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(map) => {
            map.remove("note");
            map.values_mut().for_each(strip);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(strip),
        _ => {}
    }
}

fn main() {
    let src = "kb/pos-renewal.json";
    println!("cargo:rerun-if-changed={src}");
    let text = fs::read_to_string(src).expect("kb/pos-renewal.json");
    // A KB that is not even JSON is embedded as is: the validator then
    // reports it with line and column, at test time and in `validate`.
    let out = match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(mut v) => {
            strip(&mut v);
            serde_json::to_string(&v).expect("serialise")
        }
        Err(_) => text,
    };
    let dest = Path::new(&env::var("OUT_DIR").unwrap()).join("default-kb.json");
    fs::write(dest, out).expect("write OUT_DIR/default-kb.json");
    providers();
}

/// The built-in provider profiles (kb/providers.json) as a Rust table, so
/// the page needs no JSON parsing for them. Validation is not done here
/// (`posdoctor profile validate` and tests/profile.rs do it, with paths):
/// whatever does not fit is left out of the table, never a build failure.
fn providers() {
    let src = "kb/providers.json";
    println!("cargo:rerun-if-changed={src}");
    let text = fs::read_to_string(src).unwrap_or_default();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    let s = |v: &serde_json::Value| v.as_str().map(|s| format!("{s:?}"));
    let opt = |x: Option<String>| x.map_or("None".to_string(), |x| format!("Some({x})"));
    let text = |v: &serde_json::Value| match (s(&v["zh-CN"]), s(&v["en"])) {
        (Some(zh), Some(en)) => Some(format!("({zh}, {en})")),
        _ => None,
    };
    let mut out = String::from("&[\n");
    for p in v["profiles"].as_array().map(Vec::as_slice).unwrap_or_default() {
        let (Some(id), Some(name)) = (s(&p["id"]), text(&p["name"])) else { continue };
        out += &format!(
            "    Builtin {{ id: {id}, name: {name}, app: {}, hotline: {}, activation_wait: {}, color: {}, status_url: {}, service_url: {} }},\n",
            opt(text(&p["app"])),
            opt(s(&p["hotline"])),
            opt(text(&p["activation_wait"])),
            opt(s(&p["color"])),
            opt(s(&p["status_url"])),
            opt(s(&p["service_url"])),
        );
    }
    out += "]\n";
    let dest = Path::new(&env::var("OUT_DIR").unwrap()).join("providers.rs");
    fs::write(dest, out).expect("write OUT_DIR/providers.rs");
}
