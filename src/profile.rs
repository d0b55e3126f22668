//! Provider profiles: who the merchant's provider is and where its support
//! is found. A profile only holds what the provider states; the neutral
//! profile holds nothing, and the page then says where to look.
//!
//! The built-in profiles are `kb/providers.json`, compiled into a table by
//! build.rs (the page parses no JSON for them). The file format is checked
//! by [`load`] (CLI builds), which reports every error with its JSON path,
//! like the knowledge base; `kb/provider.schema.json` is its JSON Schema.

use crate::kb::{Lang, Text};

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Profile {
    pub id: String,
    pub name: Option<Text>,
    /// The provider's official app, by name.
    pub app: Option<Text>,
    /// Only ever from the provider itself; never made up.
    pub hotline: Option<String>,
    /// The activation wait the provider promises, in its own words.
    pub activation_wait: Option<Text>,
    /// Brand colour, `#rrggbb`.
    pub color: Option<String>,
    /// Where a merchant checks the renewal and SIM status online (https).
    pub status_url: Option<String>,
    /// The provider's online service: chat or official account (https).
    pub service_url: Option<String>,
}

/// A row of the compiled-in table (generated from kb/providers.json).
struct Builtin {
    id: &'static str,
    name: (&'static str, &'static str),
    app: Option<(&'static str, &'static str)>,
    hotline: Option<&'static str>,
    activation_wait: Option<(&'static str, &'static str)>,
    color: Option<&'static str>,
    status_url: Option<&'static str>,
    service_url: Option<&'static str>,
}

static BUILTIN: &[Builtin] = include!(concat!(env!("OUT_DIR"), "/providers.rs"));

fn text((zh, en): (&str, &str)) -> Text {
    Text { zh: zh.into(), en: en.into() }
}

impl Builtin {
    fn profile(&self) -> Profile {
        Profile {
            id: self.id.into(),
            name: Some(text(self.name)),
            app: self.app.map(text),
            hotline: self.hotline.map(Into::into),
            activation_wait: self.activation_wait.map(text),
            color: self.color.map(Into::into),
            status_url: self.status_url.map(Into::into),
            service_url: self.service_url.map(Into::into),
        }
    }
}

/// The id of the profile that names no provider.
pub const NEUTRAL: &str = "neutral";

impl Profile {
    pub fn neutral() -> Profile {
        Profile { id: NEUTRAL.into(), ..Profile::default() }
    }

    /// The built-in profile `id`; any other id gets the neutral profile,
    /// so a mistyped or unknown provider never breaks the page.
    pub fn lookup(id: &str) -> Profile {
        BUILTIN.iter().find(|b| b.id == id).map_or_else(Profile::neutral, Builtin::profile)
    }

    /// Every built-in profile, in file order (the neutral one not included).
    /// A built-in profile's place in the table (case codes carry it: new
    /// profiles go at the end of kb/providers.json, so old codes still
    /// name the right one).
    pub fn builtin_index(id: &str) -> Option<usize> {
        BUILTIN.iter().position(|b| b.id == id)
    }

    pub fn builtin_id(index: usize) -> Option<&'static str> {
        BUILTIN.get(index).map(|b| b.id)
    }

    pub fn builtins() -> Vec<Profile> {
        BUILTIN.iter().map(Builtin::profile).collect()
    }

    pub fn name(&self, lang: Lang) -> Option<&str> {
        self.name.as_ref().map(|t| t.get(lang))
    }
}

/// Ids as deep links carry them: `[A-Za-z0-9._-]{1,64}`.
pub fn is_id(s: &str) -> bool {
    !s.is_empty() && s.len() <= 64 && s.bytes().all(|c| c.is_ascii_alphanumeric() || b"-_.".contains(&c))
}

/// A link a profile may give merchants: https, a host, no user name or
/// password (a link with credentials is a phishing pattern), no spaces or
/// quotes, at most 300 characters. Checked again where the page draws it.
pub fn url_ok(url: &str) -> bool {
    let Some(rest) = url.strip_prefix("https://") else { return false };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    url.len() <= 300
        && !host.is_empty()
        && !host.contains('@')
        && host.bytes().all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        && url.bytes().all(|b| b.is_ascii_graphic() && !b"\"'<>`\\".contains(&b))
}

/// WCAG contrast ratio of `#rrggbb` against white (1 to 21).
pub fn contrast_with_white(color: &str) -> Option<f64> {
    let hex = color.strip_prefix('#').filter(|h| h.len() == 6 && h.bytes().all(|b| b.is_ascii_hexdigit()))?;
    let channel = |i: usize| {
        let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).ok()?) / 255.0;
        Some(if c <= 0.040_45 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) })
    };
    let l = 0.2126 * channel(0)? + 0.7152 * channel(2)? + 0.0722 * channel(4)?;
    Some(1.05 / (l + 0.05))
}

/// The accent carries white button text and is itself text on white:
/// WCAG AA for normal text.
pub const MIN_CONTRAST: f64 = 4.5;

#[cfg(feature = "cli")]
pub use file::{load, schema_json, ProfileError, RawProfile, RawProviders, RawText};

#[cfg(feature = "cli")]
mod file {
    use super::{contrast_with_white, is_id, url_ok, Profile, MIN_CONTRAST, NEUTRAL};
    use crate::kb::Text;
    use schemars::JsonSchema;
    use serde::{Deserialize, Serialize};
    use serde_json::Value;

    /// One problem in a profile file, at a JSON path: the same shape and
    /// format as a knowledge-base error.
    pub type ProfileError = crate::kb::KbError;

    /// A text in both languages.
    #[derive(Serialize, Deserialize, JsonSchema)]
    #[serde(deny_unknown_fields)]
    pub struct RawText {
        #[serde(rename = "zh-CN")]
        #[schemars(length(min = 1, max = 200))]
        pub zh: String,
        #[schemars(length(min = 1, max = 200))]
        pub en: String,
    }

    /// Provider profiles for posdoctor (schema 1). Only what the provider
    /// itself states: never a made-up number, fee or time.
    #[derive(Serialize, Deserialize, JsonSchema)]
    #[serde(deny_unknown_fields)]
    pub struct RawProviders {
        /// Always 1.
        pub schema: u32,
        #[schemars(length(min = 1))]
        pub profiles: Vec<RawProfile>,
    }

    #[derive(Serialize, Deserialize, JsonSchema)]
    #[serde(deny_unknown_fields)]
    pub struct RawProfile {
        /// What the `provider` attribute and the deep link's `provider=` name; "neutral" is reserved.
        #[schemars(regex(pattern = r"^[A-Za-z0-9._-]{1,64}$"))]
        pub id: String,
        /// The provider's name as merchants know it (shown as text).
        pub name: RawText,
        /// The provider's official app, by name; the page points merchants there for support.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub app: Option<RawText>,
        /// The support number, only as the provider itself publishes it: digits, spaces, + - ( ).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[schemars(regex(pattern = r"^\+?[0-9][0-9 ()-]{1,30}[0-9]$"))]
        pub hotline: Option<String>,
        /// The activation wait after a renewal that the provider promises, in its own words.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub activation_wait: Option<RawText>,
        /// Brand colour `#rrggbb`, used as the accent; contrast with white at least 4.5:1.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[schemars(regex(pattern = r"^#[0-9a-fA-F]{6}$"))]
        pub color: Option<String>,
        /// Where a merchant checks the renewal and SIM status online, as the provider publishes it: https only, no user name or password in it. Shown as a link on the status-check steps.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[schemars(regex(pattern = r"^https://[A-Za-z0-9.:\[\]-]+([/?#][!-~]*)?$"), length(max = 300))]
        pub status_url: Option<String>,
        /// The provider's online service (chat or official account page), as the provider publishes it: https only, no user name or password in it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[schemars(regex(pattern = r"^https://[A-Za-z0-9.:\[\]-]+([/?#][!-~]*)?$"), length(max = 300))]
        pub service_url: Option<String>,
        /// For the file's authors: where each fact comes from. Not shown.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub note: Option<String>,
    }

    /// The JSON Schema of a profile file (`kb/provider.schema.json`):
    /// optional fields may be left out, never `null`, as the loader wants.
    pub fn schema_json() -> String {
        let settings = schemars::gen::SchemaSettings::draft07().with(|s| s.option_add_null_type = false);
        let schema = settings.into_generator().into_root_schema_for::<RawProviders>();
        serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
    }

    use crate::kb::json_path::{index_path, key_path, parse_error, type_name, JsonChecker as Checker};

    /// A profile file's own value checks, on the shared JSON-path checker.
    impl Checker {
        /// A non-empty string of at most `max` characters.
        fn bounded_string(&mut self, v: &Value, path: &str, max: usize) -> Option<String> {
            match v {
                Value::String(s) if s.trim().is_empty() => self.err(path, "must not be empty"),
                Value::String(s) if s.chars().count() > max => {
                    self.err(path, format!("too long: {} characters, at most {max}", s.chars().count()))
                }
                Value::String(s) => return Some(s.clone()),
                other => self.err(path, format!("expected a string, found {}", type_name(other))),
            }
            None
        }

        fn bounded_text(&mut self, v: &Value, path: &str, max: usize) -> Option<Text> {
            let map = self.object(v, path, &["zh-CN", "en"], &[])?;
            let zh = map.get("zh-CN").and_then(|v| self.bounded_string(v, &key_path(path, "zh-CN"), max));
            let en = map.get("en").and_then(|v| self.bounded_string(v, &key_path(path, "en"), max));
            Some(Text { zh: zh?, en: en? })
        }
    }

    /// How long names and texts may be: they share a line on a phone.
    const NAME_MAX: usize = 40;
    const TEXT_MAX: usize = 200;

    fn hotline_ok(s: &str) -> bool {
        let digits = s.bytes().filter(u8::is_ascii_digit).count();
        let body = s.strip_prefix('+').unwrap_or(s);
        (3..=20).contains(&digits)
            && body.bytes().all(|b| b.is_ascii_digit() || b" ()-".contains(&b))
            && body.starts_with(|c: char| c.is_ascii_digit())
            && body.ends_with(|c: char| c.is_ascii_digit())
    }

    /// Checks a profile file and returns its profiles, or every error with
    /// its JSON path (`$.profiles[1].color: …`).
    pub fn load(json: &str) -> Result<Vec<Profile>, Vec<ProfileError>> {
        let mut c = Checker::default();
        let root: Value = match serde_json::from_str(json) {
            Ok(v) => v,
            Err(e) => return Err(vec![parse_error(&e)]),
        };
        let mut profiles = Vec::new();
        if let Some(top) = c.object(&root, "$", &["schema", "profiles"], &[]) {
            if let Some(v) = top.get("schema") {
                if v.as_u64() != Some(1) {
                    c.err("$.schema", format!("unsupported schema {v}; this posdoctor reads schema 1"));
                }
            }
            match top.get("profiles") {
                None => {}
                Some(Value::Array(items)) if items.is_empty() => c.err("$.profiles", "needs at least one profile"),
                Some(Value::Array(items)) => {
                    let mut seen: Vec<(String, String)> = Vec::new();
                    for (i, v) in items.iter().enumerate() {
                        if let Some(p) = check_profile(&mut c, v, &index_path("$.profiles", i), &mut seen) {
                            profiles.push(p);
                        }
                    }
                }
                Some(other) => c.err("$.profiles", format!("expected an array, found {}", type_name(other))),
            }
        }
        if c.errors.is_empty() {
            Ok(profiles)
        } else {
            Err(c.finish())
        }
    }

    fn check_profile(c: &mut Checker, v: &Value, path: &str, seen: &mut Vec<(String, String)>) -> Option<Profile> {
        let map = c.object(v, path, &["id", "name"], &["app", "hotline", "activation_wait", "color", "status_url", "service_url", "note"])?;
        let id = map.get("id").and_then(|v| c.bounded_string(v, &key_path(path, "id"), 64)).and_then(|id| {
            let ipath = key_path(path, "id");
            if !is_id(&id) {
                c.err(ipath, format!("\"{id}\" is not an id: use 1 to 64 of A-Z a-z 0-9 . _ -"));
                None
            } else if id == NEUTRAL {
                c.err(ipath, "\"neutral\" is reserved for the profile that names no provider");
                None
            } else if let Some((_, first)) = seen.iter().find(|(s, _)| *s == id) {
                c.err(ipath, format!("duplicate id \"{id}\" (first at {first})"));
                None
            } else {
                seen.push((id.clone(), path.to_string()));
                Some(id)
            }
        });
        let name = map.get("name").and_then(|v| c.bounded_text(v, &key_path(path, "name"), NAME_MAX));
        // Optional fields: absent is fine (Some(None)); present and bad is None.
        let mut optional_text = |key: &str, max: usize| match map.get(key) {
            None => Some(None),
            Some(v) => c.bounded_text(v, &key_path(path, key), max).map(Some),
        };
        let app = optional_text("app", NAME_MAX);
        let activation_wait = optional_text("activation_wait", TEXT_MAX);
        let hotline = match map.get("hotline") {
            None => Some(None),
            Some(v) => {
                let hpath = key_path(path, "hotline");
                match c.bounded_string(v, &hpath, 32) {
                    Some(h) if hotline_ok(&h) => Some(Some(h)),
                    Some(h) => {
                        c.err(hpath, format!("\"{h}\" is not a phone number: 3 to 20 digits, with only spaces, + - ( ) between them"));
                        None
                    }
                    None => None,
                }
            }
        };
        let color = match map.get("color") {
            None => Some(None),
            Some(v) => {
                let cpath = key_path(path, "color");
                match c.bounded_string(v, &cpath, 64) {
                    Some(col) => match contrast_with_white(&col) {
                        None => {
                            c.err(cpath, format!("expected a colour as #rrggbb, found \"{col}\""));
                            None
                        }
                        Some(ratio) if ratio < MIN_CONTRAST => {
                            c.err(cpath, format!("{col} has a contrast of {ratio:.2}:1 with white; the accent needs at least {MIN_CONTRAST}:1 (a darker shade)"));
                            None
                        }
                        Some(_) => Some(Some(col)),
                    },
                    None => None,
                }
            }
        };
        let mut url = |key: &str| match map.get(key) {
            None => Some(None),
            Some(v) => {
                let upath = key_path(path, key);
                match c.bounded_string(v, &upath, 300) {
                    Some(u) if url_ok(&u) => Some(Some(u)),
                    Some(u) if !u.starts_with("https://") => {
                        c.err(upath, format!("\"{u}\" is not an https:// address: only https links are shown to merchants"));
                        None
                    }
                    Some(u) if u.strip_prefix("https://").and_then(|r| r.split(['/', '?', '#']).next()).is_some_and(|h| h.contains('@')) => {
                        c.err(upath, "has a user name or password before '@': links with credentials are not shown to merchants");
                        None
                    }
                    Some(u) => {
                        c.err(upath, format!("\"{u}\" is not a plain https address: a host, then no spaces, quotes or angle brackets"));
                        None
                    }
                    None => None,
                }
            }
        };
        let status_url = url("status_url");
        let service_url = url("service_url");
        if let Some(v) = map.get("note") {
            c.bounded_string(v, &key_path(path, "note"), 2000);
        }
        Some(Profile {
            id: id?,
            name: Some(name?),
            app: app?,
            hotline: hotline?,
            activation_wait: activation_wait?,
            color: color?,
            status_url: status_url?,
            service_url: service_url?,
        })
    }
}
