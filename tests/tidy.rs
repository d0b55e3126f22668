//! The invariants ARCHITECTURE.md names, checked on the source tree instead
//! of trusted as prose. Each check lists every offender, so one run shows
//! everything to fix.

use std::fs;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every file under `dir` (relative to the repo) whose name ends with one of `exts`.
fn files(dir: &str, exts: &[&str]) -> Vec<PathBuf> {
    fn walk(p: &Path, exts: &[&str], out: &mut Vec<PathBuf>) {
        let Ok(entries) = fs::read_dir(p) else { return };
        let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        entries.sort();
        for e in entries {
            if e.is_dir() {
                walk(&e, exts, out);
            } else if exts.iter().any(|x| e.to_string_lossy().ends_with(x)) {
                out.push(e);
            }
        }
    }
    let mut out = Vec::new();
    walk(&root().join(dir), exts, &mut out);
    assert!(!out.is_empty(), "no {exts:?} files under {dir}: the tidy check would pass vacuously");
    out
}

fn rel(p: &Path) -> String {
    p.strip_prefix(root()).unwrap_or(p).to_string_lossy().replace('\\', "/")
}

/// Lines of code (comments dropped) that contain `needle`, as "file:line".
fn code_lines_with(paths: &[PathBuf], needle: &str, allowed: &[&str]) -> Vec<String> {
    let mut hits = Vec::new();
    for p in paths {
        let r = rel(p);
        if allowed.contains(&r.as_str()) {
            continue;
        }
        let text = fs::read_to_string(p).unwrap();
        for (i, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            if code.contains(needle) {
                hits.push(format!("{r}:{}", i + 1));
            }
        }
    }
    hits
}

/// Only the bindings touch the browser: the engine, the extractor and
/// everything else compile and are tested natively.
#[test]
fn only_the_bindings_import_wasm_bindgen_or_web_sys() {
    let src = files("src", &[".rs"]);
    let mut hits = Vec::new();
    for needle in ["wasm_bindgen", "web_sys", "js_sys"] {
        hits.extend(code_lines_with(&src, needle, &["src/wasm.rs"]));
    }
    assert!(hits.is_empty(), "browser crates used outside src/wasm.rs: {hits:?}");
}

/// `unsafe` lives in the allocator alone, where it is documented and
/// tested (tests/allocator.rs).
#[test]
fn unsafe_only_in_the_allocator() {
    let src = files("src", &[".rs"]);
    // The keyword, not the word inside a name (`unsafe_recommendations`).
    let mut hits = Vec::new();
    for needle in ["unsafe {", "unsafe fn", "unsafe impl", "unsafe extern", "unsafe trait", "unsafe(", "unsafe\t"] {
        hits.extend(code_lines_with(&src, needle, &["src/allocator.rs"]));
    }
    assert!(hits.is_empty(), "`unsafe` outside src/allocator.rs: {hits:?}");
}

/// Knowledge-base text is text: the page never parses strings as HTML.
#[test]
fn no_html_parsing_in_the_page() {
    let www = files("www", &[".js", ".html"]);
    let mut hits = Vec::new();
    for needle in ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "DOMParser", "createContextualFragment"] {
        hits.extend(code_lines_with(&www, needle, &[]));
    }
    assert!(hits.is_empty(), "HTML parsing in www/: {hits:?}");
}

/// The code map in ARCHITECTURE.md names only paths that exist.
#[test]
fn every_path_in_the_code_map_exists() {
    let text = fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let mut named = 0;
    let mut missing = Vec::new();
    for (i, piece) in text.split('`').enumerate() {
        // Odd pieces are inside backticks.
        if i % 2 == 0 {
            continue;
        }
        let looks_like_path = (piece.starts_with("src/")
            || piece.starts_with("www/")
            || piece.starts_with("kb/")
            || piece.starts_with("tests/")
            || piece.starts_with("docs/")
            || piece.starts_with("fuzz/")
            || piece.starts_with("crates/"))
            && !piece.contains(' ')
            && !piece.contains('*');
        if looks_like_path {
            named += 1;
            if !root().join(piece.trim_end_matches('/')).exists() {
                missing.push(piece.to_string());
            }
        }
    }
    assert!(named >= 10, "only {named} paths found in ARCHITECTURE.md: the check reads nothing");
    assert!(missing.is_empty(), "ARCHITECTURE.md names paths that do not exist: {missing:?}");
}
