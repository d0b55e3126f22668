//! Embeds the default knowledge base without its authoring notes and
//! whitespace: notes explain the numbers to KB authors (they stay in
//! kb/pos-renewal.json); merchants' phones need not download them.

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
}
