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

/// The page's code names no id of the default KB: what a step or question
/// shows is KB data (`shows`, `picture`, `pays`, `safety`), so a provider's
/// own KB with other ids works the same. `src/eval.rs` is exempt: the
/// simulated merchant judges with DESIGN's own fixed list, on purpose.
/// Unit tests (after `#[cfg(test)]` and `mod tests`) may name ids.
#[test]
fn the_page_code_names_no_kb_id() {
    let kb = posdoctor::kb::default_kb().unwrap();
    let ids: Vec<&str> = (kb.causes.iter().map(|c| c.id.as_str()))
        .chain(kb.questions.iter().map(|q| q.id.as_str()))
        .chain(kb.actions.iter().map(|a| a.id.as_str()))
        .chain(kb.tips.iter().map(|t| t.id.as_str()))
        .collect();
    let mut paths = files("src", &[".rs"]);
    paths.retain(|p| !["src/eval.rs"].contains(&rel(p).as_str()) && !rel(p).starts_with("src/bin/"));
    paths.extend(files("www", &[".js"]));
    let mut hits = Vec::new();
    for p in &paths {
        let text = fs::read_to_string(p).unwrap();
        let code = text.split("#[cfg(test)]\nmod ").next().unwrap_or("");
        for (i, line) in code.lines().enumerate() {
            let line = line.split("//").next().unwrap_or("");
            for id in ids.iter().filter(|id| line.contains(&format!("\"{id}\"")) || line.contains(&format!("'{id}'"))) {
                hits.push(format!("{}:{}: {id}", rel(p), i + 1));
            }
        }
    }
    assert!(ids.len() > 50 && paths.len() > 10, "{} ids, {} files: the check reads nothing", ids.len(), paths.len());
    assert!(hits.is_empty(), "KB ids in the page's code (mark the KB instead): {hits:?}");
}

/// Every invariant in ARCHITECTURE.md names, in brackets, what checks it
/// (a test file, a test, or a check function of build.sh), and every test,
/// function or file it names exists.
#[test]
fn every_invariant_names_tests_that_exist() {
    let text = fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let section = text.split("\n## Invariants").nth(1).expect("an Invariants section");
    let section = section.split("\n## ").next().unwrap_or("");
    let sources: String = [files("tests", &[".rs"]), files("src", &[".rs"])]
        .concat()
        .iter()
        .map(|p| fs::read_to_string(p).unwrap())
        .collect();
    let build = fs::read_to_string(root().join("build.sh")).unwrap();
    let mut invariants = 0;
    let mut problems = Vec::new();
    for bullet in section.split("\n- **").skip(1) {
        invariants += 1;
        let name = bullet.split("**").next().unwrap_or("").to_string();
        let Some(checks) = bullet.split_once('[').and_then(|(_, rest)| rest.rsplit_once(']')).map(|(inside, _)| inside) else {
            problems.push(format!("{name}: no [tests] named"));
            continue;
        };
        let mut named_tests = 0;
        for (i, piece) in checks.split('`').enumerate() {
            if i % 2 == 0 || piece.contains(' ') {
                continue;
            }
            if piece.contains('/') {
                if !root().join(piece).exists() {
                    problems.push(format!("{name}: no file {piece}"));
                } else if piece.starts_with("tests/") {
                    named_tests += 1;
                }
            } else if piece.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') {
                // A test or function (Rust), or a check `./build.sh test` runs.
                if sources.contains(&format!("fn {piece}(")) || build.contains(&format!("\n{piece}() {{")) {
                    named_tests += 1;
                } else if piece.contains('_') {
                    problems.push(format!("{name}: no test or function {piece}"));
                }
            }
        }
        if named_tests == 0 {
            problems.push(format!("{name}: names no test file, test or build.sh check"));
        }
    }
    assert!(invariants >= 10, "only {invariants} invariants read: the check reads nothing");
    assert!(problems.is_empty(), "ARCHITECTURE.md invariants: {problems:?}");
}
