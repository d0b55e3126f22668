//! Every input the fuzzers ever crashed on, replayed on stable by plain
//! `cargo test`: each file under `tests/fuzz-regressions/<target>/` (and the
//! seeds under `fuzz/seeds/<target>/`) goes through the very function the
//! cargo-fuzz target calls, compiled from `fuzz/src/lib.rs`. A crash found
//! by `./build.sh fuzz` is fixed in the source and its input saved here.

#[path = "../fuzz/src/lib.rs"]
#[allow(dead_code)]
mod checks;

use std::path::{Path, PathBuf};

fn files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut out: Vec<PathBuf> = entries.flatten().map(|e| e.path()).filter(|p| p.is_file()).collect();
    out.sort();
    out
}

/// Runs `check` on every saved input of `target`; reports every failure by
/// file name, not only the first. Returns how many inputs ran.
fn replay(target: &str, check: fn(&[u8])) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut inputs = files(&root.join("tests/fuzz-regressions").join(target));
    inputs.extend(files(&root.join("fuzz/seeds").join(target)));
    let mut failed = Vec::new();
    for path in &inputs {
        let data = std::fs::read(path).unwrap();
        if std::panic::catch_unwind(|| check(&data)).is_err() {
            failed.push(path.display().to_string());
        }
    }
    assert!(failed.is_empty(), "{target}: {} of {} inputs fail:\n{}", failed.len(), inputs.len(), failed.join("\n"));
    inputs.len()
}

#[test]
fn kb_load_regressions() {
    replay("kb_load", checks::kb_load);
    // The seeds the fuzzer starts from hold too.
    checks::kb_load(include_bytes!("fixtures/tiny-kb.json"));
    checks::kb_load(include_bytes!("../kb/pos-renewal.json"));
}

#[test]
fn kb_packed_regressions() {
    replay("kb_packed", checks::kb_packed);
    // The seeds are packed in today's format (VERSION): a stale seed would
    // start the fuzzer from input the decoder refuses at its first bytes.
    let seeds = files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/kb_packed"));
    assert!(!seeds.is_empty());
    for path in seeds {
        let decoded = posdoctor::kb::packed::decode(&std::fs::read(&path).unwrap());
        assert!(decoded.is_some(), "{} does not decode: re-pack it (posdoctor pack)", path.display());
    }
    let tiny = posdoctor::kb::load(include_str!("fixtures/tiny-kb.json")).unwrap();
    checks::kb_packed(&posdoctor::kb::packed::encode(&tiny));
    checks::kb_packed(&posdoctor::kb::packed::encode(checks::default_kb()));
}

#[test]
fn deep_link_regressions() {
    assert!(replay("deep_link", checks::deep_link) > 0);
}

#[test]
fn session_restore_regressions() {
    assert!(replay("session_restore", checks::session_restore) > 0);
}

#[test]
fn case_decode_regressions() {
    assert!(replay("case_decode", checks::case_decode) > 0);
}

#[test]
fn extract_regressions() {
    assert!(replay("extract", checks::extract) > 0);
}

// The same checks as properties, for CI (which does not fuzz): inputs
// built from the pieces the formats are made of, so they reach past the
// first check.
mod properties {
    use super::checks;
    use proptest::prelude::*;

    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("payment_result".to_string()),
            Just("success".to_string()),
            Just("not_sure".to_string()),
            Just("action.restart".to_string()),
            Just("not_fixed".to_string()),
            Just("pos-renewal".to_string()),
            Just("A30LwAQIAAQEAAgECAgCF".to_string()),
            "[a-z_.]{0,12}",
            "[\\PC]{0,6}",
            "%[0-9A-Fa-f]{0,2}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        #[test]
        fn session_restore(lines in proptest::collection::vec(
            (prop_oneof![Just("a"), Just("s"), Just("kb"), Just("model"), Just("provider"), Just("started"), Just("")],
             proptest::collection::vec(piece(), 0..4)), 0..12),
            version in prop_oneof![Just("1".to_string()), "[0-9]{1,3}"]) {
            let mut text = format!("posdoctor-session {version}\nkb pos-renewal 1\n");
            for (key, words) in lines {
                text += &format!("{key} {}\n", words.join(" "));
            }
            checks::session_restore(text.as_bytes());
        }

        #[test]
        fn deep_link(params in proptest::collection::vec(
            (prop_oneof![Just("model"), Just("provider"), Just("lang"), Just("case"), Just("f.payment_result"), Just("f.network_icon")], piece()), 0..8)) {
            let hash = params.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&");
            checks::deep_link(format!("#{hash}").as_bytes());
        }

        #[test]
        fn case_decode(code in "A[A-Za-z0-9_-]{0,80}", flip in 0usize..21, to in "[A-Za-z0-9_-]") {
            checks::case_decode(code.as_bytes());
            // A valid code with one character changed.
            let mut valid = b"A30LwAQIAAQEAAgECAgCF".to_vec();
            valid[flip] = to.as_bytes()[0];
            checks::case_decode(&valid);
        }
    }
}
