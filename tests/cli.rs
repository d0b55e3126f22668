//! The command line's own contract (clap): every subcommand is there, and a
//! mistyped flag gets a clear message naming it, the subcommand and the
//! flag meant, with exit code 2. Each subcommand's output is tested where
//! its subject is (tests/app.rs, eval.rs, profile.rs, qr.rs, docs_examples.rs).

use std::process::Command;

fn cli(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_posdoctor")).args(args).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

#[test]
fn an_unknown_flag_is_named_with_the_flag_meant() {
    let (code, out, err) = cli(&["eval", "--scenaros", "stories.json"]);
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty(), "{out}");
    assert!(err.starts_with("eval: "), "{err}");
    assert!(err.contains("unexpected argument '--scenaros'"), "{err}");
    assert!(err.contains("'--scenarios'"), "the flag meant: {err}");
    let (code, _, err) = cli(&["qr", "--colour", "red"]);
    assert_eq!(code, 2);
    assert!(err.starts_with("qr: ") && err.contains("'--colour'"), "{err}");
    let (code, _, err) = cli(&["frobnicate"]);
    assert_eq!(code, 2);
    assert!(err.contains("unrecognized subcommand 'frobnicate'"), "{err}");
}

#[test]
fn help_lists_every_subcommand() {
    let (code, out, err) = cli(&["--help"]);
    assert_eq!(code, 0, "{err}");
    for sub in ["validate", "eval", "extract", "session", "schema", "pack", "bench", "profile", "qr"] {
        assert!(out.lines().any(|l| l.trim_start().starts_with(sub)), "{sub} missing from:\n{out}");
    }
    // No subcommand at all: the help, as a usage error.
    let (code, _, err) = cli(&[]);
    assert_eq!(code, 2);
    assert!(err.contains("Usage: posdoctor <COMMAND>"), "{err}");
}

#[test]
fn values_the_subcommands_check_themselves() {
    let (code, _, err) = cli(&["session", "--answer", "payment_result"]);
    assert_eq!((code, err.trim()), (2, "--answer takes KEY=VALUE"));
    let (code, _, err) = cli(&["eval", "--scenarios", "x.json", "--opening", "sometimes"]);
    assert_eq!(code, 2);
    assert!(err.contains("[possible values: none, chips, story, all]"), "{err}");
}
