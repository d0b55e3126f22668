//! Provider profiles: the file format's errors with their JSON paths, the
//! built-in table agrees with kb/providers.json, the schema file is current,
//! and the page's support panel follows the chosen profile.

use posdoctor::app::{App, MemoryStore, StartInput};
use posdoctor::kb;
use posdoctor::profile::{self, contrast_with_white, Profile, MIN_CONTRAST};
use serde_json::{json, Value};
use std::process::Command;

const PROVIDERS: &str = include_str!("../kb/providers.json");

fn providers() -> Value {
    serde_json::from_str(PROVIDERS).unwrap()
}

fn errors_of(v: &Value) -> Vec<String> {
    profile::load(&v.to_string()).expect_err("expected errors").iter().map(|e| e.to_string()).collect()
}

fn expect(v: &Value, line_start: &str) {
    let errors = errors_of(v);
    assert!(errors.iter().any(|e| e.starts_with(line_start)), "no error starting {line_start:?}; got:\n{}", errors.join("\n"));
}

#[test]
fn the_file_validates_and_is_the_built_in_table() {
    let loaded = profile::load(PROVIDERS).expect("kb/providers.json validates");
    assert_eq!(loaded, Profile::builtins(), "build.rs compiled kb/providers.json as it is");
    let ids: Vec<&str> = loaded.iter().map(|p| p.id.as_str()).collect();
    for id in ["ruiyinxin", "shengfutong", "lakala"] {
        assert!(ids.contains(&id), "{id} missing");
    }
}

#[test]
fn the_article_brands_hold_only_what_the_article_states() {
    for (id, zh) in [("ruiyinxin", "瑞银信"), ("shengfutong", "盛付通"), ("lakala", "拉卡拉")] {
        let p = Profile::lookup(id);
        let name = p.name.as_ref().unwrap();
        assert_eq!(name.zh, zh);
        assert!(name.en.contains(zh), "the English name keeps the name on the label: {}", name.en);
        assert_eq!(p.hotline, None, "{id}: no number the article does not state");
        assert_eq!(p.activation_wait, None, "{id}: no activation time the article does not state");
        assert_eq!(p.app, None, "{id}: the article names no app");
        assert_eq!(p.color, None, "{id}: the article states no colour");
        assert_eq!((p.status_url, p.service_url), (None, None), "{id}: no link the article does not state");
    }
    // No URL, number or promotion anywhere in the real brands' entries,
    // notes included; only the made-up example has links, on example.com.
    let file = providers();
    for p in file["profiles"].as_array().unwrap() {
        let text = p.to_string();
        if p["id"] == "example" {
            for key in ["status_url", "service_url"] {
                let url = p[key].as_str().unwrap();
                assert!(url.starts_with("https://") && url.contains(".example.com/"), "{key}: {url}");
            }
            continue;
        }
        for needle in ["http", "www.", "://", "稳定", "不涨价", "放心", "办理"] {
            assert!(!text.contains(needle), "{}: contains {needle:?}", p["id"]);
        }
    }
    assert!(!PROVIDERS.bytes().collect::<Vec<_>>().windows(7).any(|w| w.iter().all(u8::is_ascii_digit)), "no phone-like digit runs");
}

#[test]
fn unknown_ids_get_the_neutral_profile() {
    for id in ["", "neutral", "nope", "LAKALA", "lakala ", "<script>"] {
        assert_eq!(Profile::lookup(id), Profile::neutral(), "{id:?}");
    }
}

#[test]
fn every_error_has_its_path() {
    let mut v = providers();
    v["schema"] = json!(2);
    v["extra"] = json!(true);
    v["profiles"][0]["id"] = json!("bad id!");
    v["profiles"][1]["id"] = json!("lakala");
    v["profiles"][2]["name"] = json!({"zh-CN": " "});
    v["profiles"][3]["color"] = json!("#ffff00");
    v["profiles"][3]["hotline"] = json!("call us");
    v["profiles"][3]["app"] = json!("An app");
    v["profiles"][3]["homepage"] = json!("x");
    v["profiles"][3]["activation_wait"] = json!({"zh-CN": "x".repeat(201), "en": "soon"});
    let errors = errors_of(&v);
    for start in [
        "$.schema: unsupported schema 2",
        "$.extra: unknown field (known: profiles, schema)",
        "$.profiles[0].id: \"bad id!\" is not an id",
        "$.profiles[2].id: duplicate id \"lakala\" (first at $.profiles[1])",
        "$.profiles[2].name[\"zh-CN\"]: must not be empty",
        "$.profiles[2].name.en: missing field",
        "$.profiles[3].color: #ffff00 has a contrast of 1.07:1 with white",
        "$.profiles[3].hotline: \"call us\" is not a phone number",
        "$.profiles[3].app: expected an object, found a string",
        "$.profiles[3].homepage: unknown field (known: activation_wait, app, color, hotline, id, name, note, service_url, status_url)",
        "$.profiles[3].activation_wait[\"zh-CN\"]: too long: 201 characters, at most 200",
    ] {
        assert!(errors.iter().any(|e| e.starts_with(start)), "no error starting {start:?}; got:\n{}", errors.join("\n"));
    }
    assert_eq!(errors.len(), 11, "{}", errors.join("\n"));
}

/// status_url and service_url: https only, no credentials, a plain
/// address; one error each, at its path.
#[test]
fn link_errors() {
    let with = |key: &str, url: Value| json!({"schema": 1, "profiles": [{"id": "a", "name": {"zh-CN": "x", "en": "x"}, key: url}]});
    for key in ["status_url", "service_url"] {
        let at = format!("$.profiles[0].{key}: ");
        expect(&with(key, json!("http://pay.example.com/status")), &format!("{at}\"http://pay.example.com/status\" is not an https:// address"));
        expect(&with(key, json!("javascript:alert(1)")), &format!("{at}\"javascript:alert(1)\" is not an https:// address"));
        expect(&with(key, json!("https://user:secret@pay.example.com/")), &format!("{at}has a user name or password before '@'"));
        expect(&with(key, json!("https://pay.example.com/a b")), &format!("{at}\"https://pay.example.com/a b\" is not a plain https address"));
        expect(&with(key, json!("https:///status")), &format!("{at}\"https:///status\" is not a plain https address"));
        expect(&with(key, json!(format!("https://pay.example.com/{}", "a".repeat(300)))), &format!("{at}too long"));
        expect(&with(key, json!("")), &format!("{at}must not be empty"));
        expect(&with(key, json!(7)), &format!("{at}expected a string, found a number"));
        let ok = profile::load(&with(key, json!("https://pay.example.com/status?terminal=1#top")).to_string()).unwrap().remove(0);
        let got = if key == "status_url" { ok.status_url } else { ok.service_url };
        assert_eq!(got.as_deref(), Some("https://pay.example.com/status?terminal=1#top"));
        // An '@' after the host is part of a path or query, not a credential.
        assert!(profile::load(&with(key, json!("https://pay.example.com/u/@shop")).to_string()).is_ok());
    }
}

#[test]
fn structural_errors() {
    expect(&json!([]), "$: expected an object, found an array");
    expect(&json!({"schema": 1}), "$.profiles: missing field");
    expect(&json!({"schema": 1, "profiles": []}), "$.profiles: needs at least one profile");
    expect(&json!({"schema": 1, "profiles": {}}), "$.profiles: expected an array, found an object");
    expect(&json!({"schema": 1, "profiles": [3]}), "$.profiles[0]: expected an object, found a number");
    expect(&json!({"schema": 1, "profiles": [{"id": "neutral", "name": {"zh-CN": "x", "en": "x"}}]}), "$.profiles[0].id: \"neutral\" is reserved");
    expect(&json!({"schema": 1, "profiles": [{"name": {"zh-CN": "x", "en": "x"}}]}), "$.profiles[0].id: missing field");
    expect(&json!({"schema": 1, "profiles": [{"id": "a", "name": {"zh-CN": "x", "en": "x"}, "color": "red"}]}), "$.profiles[0].color: expected a colour as #rrggbb");
    let e = profile::load("{\n  \"schema\": 1,\n  oops\n}").unwrap_err();
    assert_eq!(e.len(), 1);
    assert!(e[0].to_string().starts_with("$: invalid JSON at line 3, column 3"), "{}", e[0]);
}

#[test]
fn a_provider_file_with_everything() {
    let text = json!({"schema": 1, "profiles": [{
        "id": "acme.pay",
        "name": {"zh-CN": "<b>演示</b> & Co", "en": "Acme & <Pay>"},
        "app": {"zh-CN": "演示App", "en": "Acme app"},
        "hotline": "+86 (0)00-0000 0000",
        "activation_wait": {"zh-CN": "通常当天", "en": "usually the same day"},
        "color": "#8C2F00",
        "note": "test fixture"
    }]})
    .to_string();
    let p = profile::load(&text).unwrap().remove(0);
    assert_eq!(p.id, "acme.pay");
    assert_eq!(p.color.as_deref(), Some("#8C2F00"));
    assert_eq!(p.hotline.as_deref(), Some("+86 (0)00-0000 0000"));
    assert_eq!(p.name.unwrap().en, "Acme & <Pay>", "text stays text");
}

#[test]
fn colour_contrast() {
    assert!((contrast_with_white("#ffffff").unwrap() - 1.0).abs() < 1e-9);
    assert!((contrast_with_white("#000000").unwrap() - 21.0).abs() < 1e-9);
    assert!(contrast_with_white("#0b57d0").unwrap() >= MIN_CONTRAST, "the default accent passes");
    assert!(contrast_with_white("#00695c").unwrap() >= MIN_CONTRAST);
    assert_eq!(contrast_with_white("0b57d0"), None);
    assert_eq!(contrast_with_white("#0b57dz"), None);
}

/// kb/provider.schema.json is what the types generate now, and the file
/// deserialises into those types with unknown fields denied.
#[test]
fn schema_file_is_current() {
    let file = include_str!("../kb/provider.schema.json");
    assert!(
        file == profile::schema_json(),
        "kb/provider.schema.json is stale: run 'cargo run -- profile schema > kb/provider.schema.json'"
    );
    let raw: Result<profile::RawProviders, _> = serde_json::from_str(PROVIDERS);
    assert!(raw.is_ok(), "{:?}", raw.err());
}

fn support(hash: &str, provider_attr: Option<&str>, lang: &str) -> posdoctor::view::SupportView {
    let input = StartInput {
        hash: hash.into(),
        provider_attr: provider_attr.map(Into::into),
        lang_attr: Some(lang.into()),
        ..StartInput::default()
    };
    App::start(kb::default_kb().unwrap(), input, MemoryStore::default()).view().support
}

#[test]
fn the_support_panel_follows_the_profile() {
    let s = support("#provider=lakala", None, "zh-CN");
    assert_eq!(s.provider, "拉卡拉");
    assert_eq!(s.hotline, None);
    assert!(s.where_to_find.contains("标签") && s.where_to_find.contains("拉卡拉的官方App"), "{}", s.where_to_find);
    assert!(s.summary.contains("服务商: 拉卡拉"), "{}", s.summary);

    let s = support("", Some("example"), "en");
    assert_eq!(s.provider, "Example provider");
    assert_eq!(s.color.as_deref(), Some("#00695c"));
    assert!(s.where_to_find.contains("“Example Provider app”"), "{}", s.where_to_find);

    // Unknown: the neutral words, no number, no colour.
    let s = support("#provider=nobody", None, "en");
    assert_eq!(s.provider, "Your POS provider");
    assert_eq!((s.hotline, s.color, s.activation_wait), (None, None, None));
    assert!(s.where_to_find.contains("label on the back") && s.where_to_find.contains("official app"));

    // The link's provider wins over the attribute.
    assert_eq!(support("#provider=shengfutong", Some("lakala"), "zh-CN").provider, "盛付通");
    assert_eq!(support("", Some("ruiyinxin"), "en").provider, "Ruiyinxin (瑞银信)");
}

#[test]
fn the_attribute_wins_over_a_saved_links_provider() {
    let kb = kb::default_kb().unwrap();
    let first = App::start(kb.clone(), StartInput { hash: "#provider=nobody".into(), ..StartInput::default() }, MemoryStore::default());
    let store = MemoryStore(first.store().0.clone());
    let again = App::start(kb, StartInput { provider_attr: Some("lakala".into()), ..StartInput::default() }, store);
    assert_eq!(again.view().support.provider, "拉卡拉");
}

fn cli(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_posdoctor")).args(args).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

#[test]
fn cli_profile_validate_and_schema() {
    let (code, out, _) = cli(&["profile", "validate", concat!(env!("CARGO_MANIFEST_DIR"), "/kb/providers.json")]);
    assert_eq!(code, 0);
    assert!(out.starts_with("ok: 4 profiles: ruiyinxin, shengfutong, lakala, example"), "{out}");
    let dir = std::env::temp_dir().join(format!("posdoctor-profile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.json");
    std::fs::write(&bad, r##"{"schema": 1, "profiles": [{"id": "x", "name": {"zh-CN": "X"}, "color": "#eeeeee"}]}"##).unwrap();
    let (code, out, err) = cli(&["profile", "validate", bad.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(out.contains("$.profiles[0].name.en: missing field"), "{out}");
    assert!(out.contains("$.profiles[0].color: #eeeeee has a contrast of"), "{out}");
    assert!(err.contains("2 errors"), "{err}");
    let (code, out, _) = cli(&["profile", "schema"]);
    assert_eq!(code, 0);
    assert_eq!(out, include_str!("../kb/provider.schema.json"));
    assert_eq!(cli(&["profile"]).0, 2);
}

/// The example in docs/EMBED.md is what `profile validate` prints today.
#[test]
fn the_embed_guides_error_example_is_current() {
    let mut v = providers();
    v["profiles"].as_array_mut().unwrap().push(json!({"id": "acme", "name": {"zh-CN": "某某支付"}, "hotline": "call us", "color": "#ffcc00"}));
    let errors = errors_of(&v);
    assert_eq!(errors.len(), 3, "{errors:?}");
    let guide = include_str!("../docs/EMBED.md");
    for e in errors {
        assert!(guide.contains(&format!("    {e}\n")), "docs/EMBED.md lacks: {e}");
    }
}

/// A provider's own profile with everything: the hotline and the activation
/// wait reach the view only because the profile has them, as text.
#[test]
fn a_full_profile_in_the_view() {
    use posdoctor::engine::{decide, Evidence};
    use posdoctor::kb::Lang;
    use posdoctor::session::Session;
    use posdoctor::view::{build, ViewInput};
    let text = json!({"schema": 1, "profiles": [{
        "id": "acme", "name": {"zh-CN": "演示支付", "en": "Acme <Pay>"},
        "app": {"zh-CN": "演示商户", "en": "Acme Merchant"},
        "hotline": "000-0000", "activation_wait": {"zh-CN": "以App内说明为准", "en": "as the app says"},
        "color": "#8c2f00"}]})
    .to_string();
    let profile = profile::load(&text).unwrap().remove(0);
    let kb = kb::default_kb().unwrap();
    let session = Session::new(&kb);
    let decision = decide(&kb, &Evidence::default());
    for (lang, name, app, wait) in [(Lang::Zh, "演示支付", "“演示商户”", "以App内说明为准"), (Lang::En, "Acme <Pay>", "“Acme Merchant”", "as the app says")] {
        let view = build(&ViewInput {
            kb: &kb,
            session: &session,
            decision: &decision,
            lang,
            profile: &profile,
            support_mode: false,
            notices: &[],
            case_code: String::new(),
            opening: None,
            utc_offset_min: 0,
        });
        let s = view.support;
        assert_eq!(s.provider, name);
        assert_eq!(s.hotline.as_deref(), Some("000-0000"));
        assert_eq!(s.activation_wait.as_deref(), Some(wait));
        assert_eq!(s.color.as_deref(), Some("#8c2f00"));
        assert!(s.where_to_find.contains(app), "{}", s.where_to_find);
        assert_ne!(posdoctor::i18n::t(lang, "activation_wait"), "activation_wait", "the label the page shows before it");
    }
}

proptest::proptest! {
    /// Any text: errors or profiles, never a panic; any id: a profile.
    #[test]
    fn never_panics(s in ".{0,200}", id in ".{0,80}") {
        let _ = profile::load(&s);
        let _ = profile::load(&format!("{{\"schema\":1,\"profiles\":[{{\"id\":{id:?},\"name\":{{\"zh-CN\":{s:?},\"en\":\"x\"}},\"color\":{s:?},\"hotline\":{s:?}}}]}}"));
        let _ = Profile::lookup(&id);
        let _ = contrast_with_white(&s);
    }
}
