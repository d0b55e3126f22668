//! Walks the JSON of a knowledge base and reports every error with its JSON
//! path (`$.questions[2].likelihoods["bank.system_issue"].yes: …`). Only a
//! knowledge base with no error at all becomes a `Kb`.

use super::rules::{is_drawn_picture, is_plain_id, DRAWN_PICTURES};
use super::{Action, Answer, NOT_SURE, Cause, CostModel, Kb, Observation, OfferedIn, Question, Safety, ShopWords, Shows, Text, TextList, Tip, TOPICS};
use super::json_path::{index_path, key_path, parse_error, type_name, JsonChecker as Checker};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// One problem in a knowledge base, at a JSON path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KbError {
    pub path: String,
    pub message: String,
}

impl fmt::Display for KbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Sums within this distance of 1 count as 1: authors write decimals.
const SUM_TOLERANCE: f64 = 1e-6;

/// The say-what-you-know screen shows about 20 chips and hides the rest
/// behind "more"; the extractor matches every cue of every chip on each
/// keystroke. Far above a real KB, low enough to keep both fast.
pub const MAX_OBSERVATIONS: usize = 200;
/// Cue phrases per chip, both languages together (and anchors likewise).
pub const MAX_CUES: usize = 64;

/// Loads a knowledge base to run it. Authoring notes may be left out (the
/// build strips them from what phones download).
pub fn load_bytes(bytes: &[u8]) -> Result<Kb, Vec<KbError>> {
    load_with(bytes, false)
}

pub fn load(json: &str) -> Result<Kb, Vec<KbError>> {
    load_bytes(json.as_bytes())
}

/// Loads a knowledge base source as its author writes it: every cause,
/// question and action must give the reason for its numbers in `note`.
pub fn load_source(bytes: &[u8]) -> Result<Kb, Vec<KbError>> {
    load_with(bytes, true)
}

/// Far above any real knowledge base (the default one is 75 KB); a
/// larger file is refused before parsing so a hostile `kb-url` cannot
/// stall the page.
pub const MAX_KB_BYTES: usize = 8 << 20;

fn load_with(bytes: &[u8], notes_required: bool) -> Result<Kb, Vec<KbError>> {
    if bytes.len() > MAX_KB_BYTES {
        let message = format!("the file is {} bytes; a knowledge base may be at most {MAX_KB_BYTES} bytes", bytes.len());
        return Err(vec![KbError { path: "$".into(), message }]);
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(v) => check(&v, notes_required),
        Err(e) => Err(vec![parse_error(&e)]),
    }
}

/// The knowledge base's own value checks, on the shared JSON-path checker.
impl Checker {
    fn string(&mut self, map: &Map<String, Value>, key: &str, path: &str) -> Option<String> {
        match map.get(key)? {
            Value::String(s) if s.trim().is_empty() => {
                self.err(key_path(path, key), "must not be empty");
                None
            }
            Value::String(s) => Some(s.clone()),
            other => {
                self.err(key_path(path, key), format!("expected a string, found {}", type_name(other)));
                None
            }
        }
    }

    fn number(&mut self, map: &Map<String, Value>, key: &str, path: &str) -> Option<f64> {
        let v = map.get(key)?;
        self.number_value(v, &key_path(path, key))
    }

    fn number_value(&mut self, v: &Value, path: &str) -> Option<f64> {
        match v.as_f64() {
            Some(x) if x.is_finite() => Some(x),
            _ => {
                self.err(path, format!("expected a number, found {}", type_name(v)));
                None
            }
        }
    }

    fn probability(&mut self, v: &Value, path: &str) -> Option<f64> {
        let x = self.number_value(v, path)?;
        if !(0.0..=1.0).contains(&x) {
            self.err(path, format!("probability {x} is outside [0, 1]"));
            return None;
        }
        Some(x)
    }

    fn text(&mut self, map: &Map<String, Value>, key: &str, path: &str) -> Option<Text> {
        let v = map.get(key)?;
        let path = key_path(path, key);
        let obj = self.object(v, &path, &[], &["zh-CN", "en"])?;
        let mut get = |lang: &str| -> Option<String> {
            match obj.get(lang) {
                None => {
                    self.err(key_path(&path, lang), format!("missing {lang} text"));
                    None
                }
                Some(Value::String(s)) if s.trim().is_empty() => {
                    self.err(key_path(&path, lang), format!("empty {lang} text"));
                    None
                }
                Some(Value::String(s)) => Some(s.clone()),
                Some(other) => {
                    self.err(key_path(&path, lang), format!("expected a string, found {}", type_name(other)));
                    None
                }
            }
        };
        let zh = get("zh-CN");
        let en = get("en");
        Some(Text { zh: zh?, en: en? })
    }

    fn text_list(&mut self, map: &Map<String, Value>, key: &str, path: &str) -> Option<TextList> {
        let v = map.get(key)?;
        let path = key_path(path, key);
        let obj = self.object(v, &path, &[], &["zh-CN", "en"])?;
        let mut get = |lang: &str| -> Option<Vec<String>> {
            let lpath = key_path(&path, lang);
            let Some(v) = obj.get(lang) else {
                self.err(lpath, format!("missing {lang} text"));
                return None;
            };
            let Value::Array(items) = v else {
                self.err(lpath, format!("expected an array of strings, found {}", type_name(v)));
                return None;
            };
            if items.is_empty() {
                self.err(lpath, format!("empty {lang} text"));
                return None;
            }
            let mut out = Vec::new();
            for (i, item) in items.iter().enumerate() {
                match item {
                    Value::String(s) if !s.trim().is_empty() => out.push(s.clone()),
                    Value::String(_) => self.err(index_path(&lpath, i), format!("empty {lang} text")),
                    other => self.err(index_path(&lpath, i), format!("expected a string, found {}", type_name(other))),
                }
            }
            (out.len() == items.len()).then_some(out)
        };
        let zh = get("zh-CN");
        let en = get("en");
        Some(TextList { zh: zh?, en: en? })
    }

    fn array<'v>(&mut self, map: &'v Map<String, Value>, key: &str, path: &str) -> &'v [Value] {
        match map.get(key) {
            None => &[],
            Some(Value::Array(items)) => items,
            Some(other) => {
                self.err(key_path(path, key), format!("expected an array, found {}", type_name(other)));
                &[]
            }
        }
    }

    /// Records an id, reporting duplicates; returns it when usable.
    fn id(&mut self, map: &Map<String, Value>, path: &str, seen: &mut BTreeMap<String, String>) -> Option<String> {
        let id = self.string(map, "id", path)?;
        if !is_plain_id(&id) {
            self.err(key_path(path, "id"), format!("id {} must not contain spaces or control characters", Value::String(id)));
            return None;
        }
        if let Some(first) = seen.get(&id) {
            self.err(key_path(path, "id"), format!("duplicate id \"{id}\" (first at {first})"));
            return None;
        }
        seen.insert(id.clone(), path.to_string());
        Some(id)
    }
}

fn check(root: &Value, notes_required: bool) -> Result<Kb, Vec<KbError>> {
    let mut c = Checker { notes_required, ..Checker::default() };
    let kb = check_kb(&mut c, root);
    // The rules a packed KB is held to too (`rules`): each was reported
    // above with its path, so this only guards against the two drifting.
    if kb.as_ref().is_some_and(|kb| c.errors.is_empty() && !super::rules::holds(kb)) {
        c.err("$", "invalid knowledge base (a rule of kb/rules.rs)");
    }
    match kb {
        Some(kb) if c.errors.is_empty() => Ok(kb),
        _ => {
            if c.errors.is_empty() {
                c.err("$", "invalid knowledge base");
            }
            Err(c.finish())
        }
    }
}

fn check_kb(c: &mut Checker, root: &Value) -> Option<Kb> {
    let top = c.object(
        root,
        "$",
        &["schema", "id", "version", "title", "cost_model", "causes", "questions", "actions", "tips"],
        &["safety", "observations", "shop_words"],
    )?;
    if let Some(v) = top.get("schema") {
        if v.as_u64() != Some(1) {
            c.err("$.schema", format!("unsupported schema {v}; this posdoctor reads schema 1"));
        }
    }
    let id = c.string(top, "id", "$");
    let version = c.string(top, "version", "$");
    let title = c.text(top, "title", "$");
    let cost_model = top.get("cost_model").and_then(|v| check_cost_model(c, v));

    // Causes first: everything else refers to them.
    let mut cause_ids = BTreeMap::new();
    let mut causes = Vec::new();
    let cause_values = c.array(top, "causes", "$");
    if top.contains_key("causes") && cause_values.is_empty() && top["causes"].is_array() {
        c.err("$.causes", "needs at least one cause");
    }
    let mut causes_ok = true;
    for (i, v) in cause_values.iter().enumerate() {
        match check_cause(c, v, &index_path("$.causes", i), &mut cause_ids) {
            Some(cause) => causes.push(cause),
            None => causes_ok = false,
        }
    }
    // Indices into `causes` by id; only ids of causes that loaded.
    let cause_index: BTreeMap<&str, usize> =
        causes.iter().enumerate().map(|(i, cause)| (cause.id.as_str(), i)).collect();
    // Ids that exist in the file (even if that cause had other errors), so a
    // reference to them is not also reported as unknown.
    let known_cause_ids: BTreeSet<String> = cause_ids.keys().cloned().collect();
    let refs = CauseRefs { index: &cause_index, known: &known_cause_ids, complete: causes_ok };

    let mut question_ids = BTreeMap::new();
    let mut questions = Vec::new();
    let mut skips: Vec<(String, Vec<String>)> = Vec::new();
    let mut offers: Vec<Option<(String, Vec<String>)>> = Vec::new();
    let question_values = c.array(top, "questions", "$");
    for (i, v) in question_values.iter().enumerate() {
        let path = index_path("$.questions", i);
        let names = v.get("skip_if_known").map(|list| check_fact_list(c, list, &key_path(&path, "skip_if_known")));
        let offer = v.get("offered_in").and_then(|o| check_offered_in(c, o, &key_path(&path, "offered_in")));
        if let Some(q) = check_question(c, v, &path, &mut question_ids, &refs, causes.len()) {
            questions.push(q);
            skips.push((path, names.unwrap_or_default()));
            offers.push(offer);
        }
    }
    // Now that every question is known: resolve skip_if_known.
    if questions.len() == question_values.len() {
        for (qi, (path, names)) in skips.iter().enumerate() {
            for (j, name) in names.iter().enumerate() {
                let npath = index_path(&key_path(path, "skip_if_known"), j);
                match questions.iter().position(|q| &q.id == name) {
                    Some(o) if o == qi => c.err(npath, "a question cannot skip itself"),
                    Some(o) => questions[qi].skip_if_known.push(o),
                    None => c.err(npath, format!("unknown fact \"{name}\"")),
                }
            }
        }
        resolve_offered_in(c, &mut questions, &skips, &offers);
    }

    let mut action_ids = BTreeMap::new();
    let mut actions = Vec::new();
    let action_values = c.array(top, "actions", "$");
    if top.contains_key("actions") && action_values.is_empty() && top["actions"].is_array() {
        c.err("$.actions", "needs at least one action");
    }
    // The fee each paying step names, by action index, with its path:
    // resolved once the safety section says which question holds the fees.
    let mut pays_names: Vec<(usize, String, String)> = Vec::new();
    // The fact each wait step reads, by action index, with its path:
    // resolved once the chips (and their `hours`) are known.
    let mut wait_since: Vec<(usize, String, String)> = Vec::new();
    // The JSON path of each action that loaded, for the marker checks.
    let mut action_paths: Vec<String> = Vec::new();
    for (i, v) in action_values.iter().enumerate() {
        let path = index_path("$.actions", i);
        if let Some((a, names)) = check_action(c, v, &path, &mut action_ids, &refs) {
            if let Some(name) = names.pays {
                pays_names.push((actions.len(), name, key_path(&path, "pays")));
            }
            if let Some(name) = names.wait_since {
                wait_since.push((actions.len(), name, key_path(&path, "wait_since")));
            }
            actions.push(a);
            action_paths.push(path);
        }
    }
    check_markers(c, &actions, &action_paths, &pays_names);
    if refs.complete && !action_values.is_empty() {
        for (i, cause) in causes.iter().enumerate() {
            let fixed = actions.iter().any(|a| a.fixes.iter().any(|&(ci, _)| ci == i));
            // Only judge when every action loaded; otherwise the fix may sit
            // in an action with another error.
            if !fixed && actions.len() == action_values.len() {
                c.err(index_path("$.causes", i), format!("no action can fix cause \"{}\"", cause.id));
            }
        }
    }

    let mut tip_ids = BTreeMap::new();
    let mut tips = Vec::new();
    for (i, v) in c.array(top, "tips", "$").iter().enumerate() {
        if let Some(t) = check_tip(c, v, &index_path("$.tips", i), &mut tip_ids, &refs) {
            tips.push(t);
        }
    }

    let names = Names {
        questions: &questions,
        question_ids: &question_ids,
        actions: &actions,
        action_ids: &action_ids,
    };
    // The safety section: `None` inside when it is absent; an outer `None`
    // when it is present and broken (so paying steps are not judged twice).
    let safety = top.get("safety").map(|v| check_safety(c, v, &names));
    // Absent: no context words (`None` inside: the section has errors).
    let shop_words = top.get("shop_words").map_or(Some(ShopWords::default()), |v| check_shop_words(c, v));
    let fee = match &safety {
        Some(Some(s)) => Some(s.fee),
        _ => None,
    };
    let mut pays = Vec::new();
    for (a, name, path) in &pays_names {
        match (&safety, fee) {
            (None, _) => c.err(path, format!("a step that pays \"{name}\" needs $.safety")),
            (Some(_), Some(fee)) => {
                let what = format!("the fee question \"{}\"", questions[fee].id);
                if let Some(v) = resolve_value(c, &questions[fee], name, path, &what) {
                    pays.push((*a, v));
                }
            }
            // The safety section has its own errors; its fee may be the one.
            (Some(_), None) => {}
        }
    }
    // The step that checks the real status must be one a rule never holds back.
    if let Some(Some(s)) = &safety {
        if let Some((_, name, _)) = pays_names.iter().find(|(a, _, _)| *a == s.verify) {
            let id = &actions[s.verify].id;
            c.err("$.safety.verify", format!("the verify step \"{id}\" must not itself pay (it pays \"{name}\")"));
        }
        // The rules ask these facts before a paying step: each must be a
        // question asked on its own.
        let mut read = vec![(s.paid.0, "$.safety.paid"), (s.fee, "$.safety.fee")];
        read.extend(s.untrusted.iter().map(|&(q, _)| (q, "$.safety.untrusted")));
        for (q, path) in read {
            if questions[q].offered_in.is_some() {
                let fact = &questions[q].id;
                c.err(path, format!("the rules ask \"{fact}\" before a paying step, so it must not be only offered in another question"));
            }
        }
    }
    for (a, v) in pays {
        actions[a].pays = Some(v);
    }

    let observations = match top.get("observations") {
        None => Vec::new(),
        Some(v) => check_observations(c, v, &questions, &question_ids),
    };
    // Judged only when every chip loaded: the one with `hours` may be a
    // chip with another error.
    let chips_complete = top.get("observations").and_then(Value::as_array).map_or(0, Vec::len) == observations.len();
    for (a, name, path) in &wait_since {
        let Some(q) = resolve_fact(c, &questions, &question_ids, name, path) else { continue };
        if !observations.iter().any(|o| o.question == q && o.hours.is_some()) {
            if chips_complete {
                let message = format!("fact \"{name}\" has no chip with \"hours\": the page could not tell how long ago the merchant paid");
                c.err(path, message);
            }
        } else if let Some(Shows::ActivationWait { since }) = &mut actions[*a].shows {
            *since = Some(q);
        }
    }

    Some(Kb {
        id: id?,
        version: version?,
        title: title?,
        cost_model: cost_model?,
        causes,
        questions,
        actions,
        tips,
        observations,
        safety: safety.flatten(),
        shop_words: shop_words?,
    })
}

/// `$.shop_words`: the extractor's context words about the shop.
fn check_shop_words(c: &mut Checker, v: &Value) -> Option<ShopWords> {
    let path = "$.shop_words";
    let map = c.object(v, path, &["sales", "router"], &["providers", "banks", "other_payments", "agents", "note"])?;
    let sales = map.get("sales").and_then(|v| check_phrases(c, v, &key_path(path, "sales"), "sales word", "list"));
    let router = map.get("router").and_then(|v| check_phrases(c, v, &key_path(path, "router"), "router word", "list"));
    // The optional lists: absent reads as empty (no such context is read).
    let mut optional = |key: &str, what: &str| match map.get(key) {
        None => Some(TextList::default()),
        Some(v) => check_phrases(c, v, &key_path(path, key), what, "list"),
    };
    let providers = optional("providers", "provider name");
    let banks = optional("banks", "bank name");
    let other_payments = optional("other_payments", "other payment");
    let agents = optional("agents", "agent word");
    c.string(map, "note", path);
    Some(ShopWords { sales: sales?, router: router?, providers: providers?, banks: banks?, other_payments: other_payments?, agents: agents? })
}

/// Facts and steps by id, for the sections that name them.
struct Names<'a> {
    /// The questions that loaded.
    questions: &'a [Question],
    /// Every question id in the file (even of a question with errors).
    question_ids: &'a BTreeMap<String, String>,
    actions: &'a [Action],
    action_ids: &'a BTreeMap<String, String>,
}

/// A fact id as a question index; reports it when no question has it
/// (one that exists with errors of its own is not reported again).
fn resolve_fact(
    c: &mut Checker,
    questions: &[Question],
    question_ids: &BTreeMap<String, String>,
    fact: &str,
    path: &str,
) -> Option<usize> {
    let found = questions.iter().position(|q| q.id == fact);
    if found.is_none() && !question_ids.contains_key(fact) {
        c.err(path, format!("unknown fact \"{fact}\""));
    }
    found
}

/// A value of `question` as an answer index; `what` names the question in
/// the message.
fn resolve_value(c: &mut Checker, question: &Question, value: &str, path: &str, what: &str) -> Option<usize> {
    let found = question.answers.iter().position(|a| a.value == value);
    if found.is_none() {
        let list: Vec<&str> = question.answers.iter().map(|a| a.value.as_str()).collect();
        let hint = if value == NOT_SURE { "; \"not_sure\" is no fact to state" } else { "" };
        c.err(path, format!("unknown value \"{value}\" of {what} (answers: {}){hint}", list.join(", ")));
    }
    found
}

/// `{"fact": F, "value": V}` as (question, answer).
fn check_fact_value(c: &mut Checker, v: &Value, path: &str, names: &Names) -> Option<(usize, usize)> {
    let map = c.object(v, path, &["fact", "value"], &[])?;
    let fact = c.string(map, "fact", path);
    let value = c.string(map, "value", path);
    let q = resolve_fact(c, names.questions, names.question_ids, &fact?, &key_path(path, "fact"))?;
    let what = format!("fact \"{}\"", names.questions[q].id);
    let a = resolve_value(c, &names.questions[q], &value?, &key_path(path, "value"), &what)?;
    Some((q, a))
}

fn check_safety(c: &mut Checker, v: &Value, names: &Names) -> Option<Safety> {
    let path = "$.safety";
    let map = c.object(v, path, &["paid", "fee", "untrusted", "verify", "note"], &[])?;
    let paid = map.get("paid").and_then(|v| check_fact_value(c, v, &key_path(path, "paid"), names));
    let fee = c
        .string(map, "fee", path)
        .and_then(|f| resolve_fact(c, names.questions, names.question_ids, &f, &key_path(path, "fee")));
    let upath = key_path(path, "untrusted");
    let mut untrusted = Vec::new();
    let mut untrusted_ok = map.contains_key("untrusted");
    for (i, u) in c.array(map, "untrusted", path).iter().enumerate() {
        match check_fact_value(c, u, &index_path(&upath, i), names) {
            Some(pair) => untrusted.push(pair),
            None => untrusted_ok = false,
        }
    }
    if map.get("untrusted").is_some_and(|u| !u.is_array()) {
        untrusted_ok = false;
    }
    let verify = c.string(map, "verify", path).and_then(|id| {
        let found = names.actions.iter().position(|a| a.id == id);
        if found.is_none() && !names.action_ids.contains_key(&id) {
            c.err(key_path(path, "verify"), format!("unknown action \"{id}\""));
        }
        found
    });
    c.string(map, "note", path);
    if !untrusted_ok {
        return None;
    }
    Some(Safety { paid: paid?, fee: fee?, untrusted, verify: verify? })
}

/// One chip's cue phrases in a list per language (as for `anchors`); every
/// phrase a non-empty string.
fn check_phrases(c: &mut Checker, v: &Value, path: &str, what: &str, per: &str) -> Option<TextList> {
    let obj = c.object(v, path, &["zh-CN", "en"], &[])?;
    let mut get = |lang: &str| -> Option<Vec<String>> {
        let lpath = key_path(path, lang);
        let v = obj.get(lang)?;
        let Value::Array(items) = v else {
            c.err(lpath, format!("expected an array of strings, found {}", type_name(v)));
            return None;
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            match item {
                Value::String(s) if !s.trim().is_empty() => out.push(s.clone()),
                Value::String(_) => c.err(index_path(&lpath, i), format!("empty {what}")),
                other => c.err(index_path(&lpath, i), format!("expected a string, found {}", type_name(other))),
            }
        }
        (out.len() == items.len()).then_some(out)
    };
    let zh = get("zh-CN");
    let en = get("en");
    let list = TextList { zh: zh?, en: en? };
    let n = list.zh.len() + list.en.len();
    if n > MAX_CUES {
        c.err(path, format!("at most {MAX_CUES} {what}s per {per} (both languages together), found {n}"));
        return None;
    }
    Some(list)
}

/// A cue as the extractor compares it: trimmed, ASCII lower case.
fn cue_key(cue: &str) -> String {
    cue.trim().to_ascii_lowercase()
}

fn check_observations(
    c: &mut Checker,
    v: &Value,
    questions: &[Question],
    question_ids: &BTreeMap<String, String>,
) -> Vec<Observation> {
    let path = "$.observations";
    let Value::Array(items) = v else {
        c.err(path, format!("expected an array, found {}", type_name(v)));
        return Vec::new();
    };
    if items.len() > MAX_OBSERVATIONS {
        c.err(path, format!("at most {MAX_OBSERVATIONS} observations, found {}", items.len()));
    }
    let mut observations = Vec::new();
    // (question, answer) → path of the chip that has it.
    let mut chips: BTreeMap<(usize, usize), String> = BTreeMap::new();
    // (question, language, cue key) → (answer, path of the cue): the first
    // chip of each value a cue stands for.
    type CueKey = (usize, &'static str, String);
    let mut cues: BTreeMap<CueKey, Vec<(usize, String)>> = BTreeMap::new();
    for (i, item) in items.iter().enumerate() {
        let opath = index_path(path, i);
        let Some(o) = check_observation(c, item, &opath, questions, question_ids) else { continue };
        let chip = (o.question, o.answer);
        if let Some(first) = chips.get(&chip) {
            let q = &questions[o.question];
            let name = format!("{}={}", q.id, q.answers[o.answer].value);
            c.err(key_path(&opath, "value"), format!("duplicate chip \"{name}\" (first at {first})"));
            continue;
        }
        chips.insert(chip, opath.clone());
        for (lang, list) in [("zh-CN", &o.cues.zh), ("en", &o.cues.en)] {
            for (j, cue) in list.iter().enumerate() {
                let cpath = index_path(&key_path(&key_path(&opath, "cues"), lang), j);
                let seen = cues.entry((o.question, lang, cue_key(cue))).or_default();
                if let Some((other, at)) = seen.iter().find(|(a, _)| *a != o.answer) {
                    let q = &questions[o.question];
                    let message =
                        format!("cue \"{}\" also stands for {}={} at {at}", cue.trim(), q.id, q.answers[*other].value);
                    c.err(cpath, message);
                } else if !seen.iter().any(|(a, _)| *a == o.answer) {
                    seen.push((o.answer, cpath));
                }
            }
        }
        observations.push(o);
    }
    observations
}

fn check_observation(
    c: &mut Checker,
    v: &Value,
    path: &str,
    questions: &[Question],
    question_ids: &BTreeMap<String, String>,
) -> Option<Observation> {
    let map = c.object(v, path, &["fact", "value", "topic", "text", "cues"], &["negated", "more", "hours", "anchors", "note"])?;
    let fact = c.string(map, "fact", path);
    let question = fact.and_then(|f| resolve_fact(c, questions, question_ids, &f, &key_path(path, "fact")));
    let q = question.map(|q| &questions[q]);
    let what = q.map(|q| format!("fact \"{}\"", q.id)).unwrap_or_default();
    let value = c.string(map, "value", path);
    let answer = match (q, &value) {
        (Some(q), Some(v)) => resolve_value(c, q, v, &key_path(path, "value"), &what),
        _ => None,
    };
    let topic = c.string(map, "topic", path).and_then(|t| {
        let found = TOPICS.iter().position(|x| *x == t);
        if found.is_none() {
            c.err(key_path(path, "topic"), format!("unknown topic \"{t}\" (topics: {})", TOPICS.join(", ")));
        }
        found
    });
    let text = c.text(map, "text", path);
    let cues = map.get("cues").and_then(|v| check_phrases(c, v, &key_path(path, "cues"), "cue", "chip"));
    let npath = key_path(path, "negated");
    let negated = match (map.contains_key("negated"), c.string(map, "negated", path)) {
        (false, _) => Some(None),
        (true, None) => None,
        (true, Some(n)) => match q {
            Some(_) if value.as_deref() == Some(n.as_str()) => {
                c.err(npath, format!("negated must be another value of {what}, not the chip's own \"{n}\""));
                None
            }
            Some(q) => resolve_value(c, q, &n, &npath, &what).map(Some),
            None => None,
        },
    };
    let more = match map.get("more") {
        None => Some(false),
        Some(Value::Bool(b)) => Some(*b),
        Some(other) => {
            c.err(key_path(path, "more"), format!("expected a boolean, found {}", type_name(other)));
            None
        }
    };
    let hours = match map.get("hours") {
        None => Some(None),
        Some(v) => check_hours(c, v, &key_path(path, "hours")).map(Some),
    };
    let anchors = match map.get("anchors") {
        None => Some(TextList::default()),
        Some(v) => {
            let apath = key_path(path, "anchors");
            if !map.contains_key("hours") {
                c.err(&apath, "anchors only apply to a chip with \"hours\"");
            }
            check_phrases(c, v, &apath, "anchor", "chip")
        }
    };
    c.string(map, "note", path);
    let (cues, hours) = (cues?, hours?);
    if cues.zh.is_empty() && cues.en.is_empty() && hours.is_none() {
        c.err(key_path(path, "cues"), "needs at least one cue (zh-CN or en) or an \"hours\" range");
        return None;
    }
    Some(Observation {
        question: question?,
        answer: answer?,
        topic: topic?,
        text: text?,
        cues,
        negated: negated?,
        more: more?,
        hours,
        anchors: anchors?,
    })
}

/// `[lo, hi]`: hours since, at least `lo` and under `hi`.
fn check_hours(c: &mut Checker, v: &Value, path: &str) -> Option<(f64, f64)> {
    let items = match v {
        Value::Array(items) if items.len() == 2 => items,
        Value::Array(items) => {
            c.err(path, format!("expected [lo, hi], found {} numbers", items.len()));
            return None;
        }
        other => {
            c.err(path, format!("expected [lo, hi], found {}", type_name(other)));
            return None;
        }
    };
    let lo = c.number_value(&items[0], &index_path(path, 0));
    let hi = c.number_value(&items[1], &index_path(path, 1));
    let (lo, hi) = (lo?, hi?);
    if lo < 0.0 {
        c.err(index_path(path, 0), format!("hours {lo} must not be negative"));
        return None;
    }
    if lo >= hi {
        c.err(path, format!("lo {lo} must be below hi {hi}"));
        return None;
    }
    Some((lo, hi))
}

struct CauseRefs<'a> {
    index: &'a BTreeMap<&'a str, usize>,
    known: &'a BTreeSet<String>,
    complete: bool,
}

impl CauseRefs<'_> {
    /// Resolves a cause id; reports it when it names no cause at all.
    fn resolve(&self, c: &mut Checker, id: &str, path: &str) -> Option<usize> {
        if let Some(&i) = self.index.get(id) {
            return Some(i);
        }
        if !self.known.contains(id) {
            c.err(path, format!("unknown cause id \"{id}\""));
        }
        None
    }
}

fn check_cost_model(c: &mut Checker, v: &Value) -> Option<CostModel> {
    let path = "$.cost_model";
    let map = c.object(v, path, &["per_step", "per_minute", "note"], &[])?;
    let per_step = c.number(map, "per_step", path);
    let per_minute = c.number(map, "per_minute", path);
    c.string(map, "note", path);
    let (per_step, per_minute) = (per_step?, per_minute?);
    if per_step < 0.0 {
        c.err(key_path(path, "per_step"), "must not be negative");
    }
    if per_minute < 0.0 {
        c.err(key_path(path, "per_minute"), "must not be negative");
    }
    if per_step <= 0.0 && per_minute <= 0.0 {
        c.err(path, "per_step or per_minute must be positive, or every step would be free");
        return None;
    }
    Some(CostModel { per_step, per_minute })
}

fn check_cause(c: &mut Checker, v: &Value, path: &str, ids: &mut BTreeMap<String, String>) -> Option<Cause> {
    let map = c.object(v, path, &["id", "from", "name", "detail", "prior", "note"], &[])?;
    let id = c.id(map, path, ids);
    let from = c.string(map, "from", path);
    let seed = match from.as_deref() {
        Some("seed") => Some(true),
        Some("ext") => Some(false),
        Some(other) => {
            c.err(key_path(path, "from"), format!("expected \"seed\" or \"ext\", found \"{other}\""));
            None
        }
        None => None,
    };
    let name = c.text(map, "name", path);
    let detail = c.text(map, "detail", path);
    let prior = c.number(map, "prior", path);
    if let Some(p) = prior {
        if p <= 0.0 {
            c.err(key_path(path, "prior"), format!("prior {p} must be greater than 0"));
        } else if p > 1.0 {
            c.err(key_path(path, "prior"), format!("probability {p} is outside [0, 1]"));
        }
    }
    c.string(map, "note", path);
    let prior = prior.filter(|p| *p > 0.0 && *p <= 1.0);
    Some(Cause { id: id?, seed: seed?, name: name?, detail: detail?, prior: prior? })
}

fn check_question(
    c: &mut Checker,
    v: &Value,
    path: &str,
    ids: &mut BTreeMap<String, String>,
    refs: &CauseRefs,
    cause_count: usize,
) -> Option<Question> {
    let map = c.object(v, path, &["id", "text", "p_known", "cost", "answers", "likelihoods", "note"], &["help", "skip_if_known", "offered_in"])?;
    let id = c.id(map, path, ids);
    let text = c.text(map, "text", path);
    let help = if map.contains_key("help") { c.text(map, "help", path).map(Some) } else { Some(None) };
    let p_known = map.get("p_known").and_then(|v| c.probability(v, &key_path(path, "p_known")));
    let minutes = c.number(map, "cost", path);
    if let Some(m) = minutes {
        if m < 0.0 {
            c.err(key_path(path, "cost"), format!("cost {m} must not be negative"));
        }
    }
    c.string(map, "note", path);

    // Answers.
    let answers_path = key_path(path, "answers");
    let mut answers = Vec::new();
    let mut answers_ok = true;
    let mut values: BTreeMap<String, String> = BTreeMap::new();
    let answer_values = c.array(map, "answers", path);
    if map.contains_key("answers") && answer_values.is_empty() && map["answers"].is_array() {
        c.err(&answers_path, "needs at least one answer");
        answers_ok = false;
    }
    for (i, av) in answer_values.iter().enumerate() {
        let apath = index_path(&answers_path, i);
        let Some(amap) = c.object(av, &apath, &["value", "text"], &["picture"]) else {
            answers_ok = false;
            continue;
        };
        let value = c.string(amap, "value", &apath);
        if let Some(val) = &value {
            if !is_plain_id(val) {
                c.err(key_path(&apath, "value"), "an answer value must not contain spaces or control characters");
            } else if val == NOT_SURE {
                c.err(key_path(&apath, "value"), "\"not_sure\" is added to every question by the engine; do not list it");
            } else if let Some(first) = values.get(val) {
                c.err(key_path(&apath, "value"), format!("duplicate answer value \"{val}\" (first at {first})"));
            } else {
                values.insert(val.clone(), apath.clone());
            }
        }
        let atext = c.text(amap, "text", &apath);
        let picture = if amap.contains_key("picture") { c.string(amap, "picture", &apath).map(Some) } else { Some(None) };
        let picture = match picture {
            Some(Some(name)) if !is_drawn_picture(&name) => {
                c.err(key_path(&apath, "picture"), format!("the page draws no picture \"{name}\" (it draws {})", DRAWN_PICTURES));
                None
            }
            other => other,
        };
        match (value, atext, picture) {
            (Some(value), Some(text), Some(picture)) if value != NOT_SURE => answers.push(Answer { value, text, picture }),
            _ => answers_ok = false,
        }
    }
    if answers.len() != values.len() {
        answers_ok = false;
    }

    // Likelihoods: rows by "default" or cause id, columns by answer value.
    let lpath = key_path(path, "likelihoods");
    let mut rows: BTreeMap<Option<usize>, Vec<f64>> = BTreeMap::new();
    let mut likelihoods_ok = true;
    match map.get("likelihoods") {
        None => likelihoods_ok = false,
        Some(Value::Object(lmap)) => {
            for (key, row) in lmap {
                let rpath = key_path(&lpath, key);
                let target = if key == "default" {
                    Some(None)
                } else {
                    refs.resolve(c, key, &rpath).map(Some)
                };
                let Some(rmap) = row.as_object() else {
                    c.err(&rpath, format!("expected an object, found {}", type_name(row)));
                    likelihoods_ok = false;
                    continue;
                };
                if !answers_ok {
                    likelihoods_ok = false;
                    continue;
                }
                let mut probs = vec![0.0; answers.len()];
                let mut row_ok = true;
                for (k, pv) in rmap {
                    let ppath = key_path(&rpath, k);
                    match answers.iter().position(|a| &a.value == k) {
                        Some(j) => match c.probability(pv, &ppath) {
                            Some(p) => probs[j] = p,
                            None => row_ok = false,
                        },
                        None => {
                            let list: Vec<&str> = answers.iter().map(|a| a.value.as_str()).collect();
                            c.err(ppath, format!("unknown answer value (answers: {})", list.join(", ")));
                            row_ok = false;
                        }
                    }
                }
                for a in &answers {
                    if !rmap.contains_key(&a.value) {
                        c.err(key_path(&rpath, &a.value), "missing probability for this answer");
                        row_ok = false;
                    }
                }
                if row_ok {
                    let sum: f64 = probs.iter().sum();
                    if (sum - 1.0).abs() > SUM_TOLERANCE {
                        let who = if key == "default" { "the default".to_string() } else { format!("cause \"{key}\"") };
                        c.err(&rpath, format!("answer likelihoods for {who} sum to {}, not 1", round6(sum)));
                        row_ok = false;
                    }
                }
                match (row_ok, target) {
                    (true, Some(t)) => {
                        rows.insert(t, probs);
                    }
                    _ => likelihoods_ok = false,
                }
            }
        }
        Some(other) => {
            c.err(&lpath, format!("expected an object, found {}", type_name(other)));
            likelihoods_ok = false;
        }
    }

    let mut likelihood = Vec::new();
    if likelihoods_ok && answers_ok && refs.complete {
        let default = rows.get(&None).cloned();
        for cause in 0..cause_count {
            match rows.get(&Some(cause)).or(default.as_ref()) {
                Some(row) => likelihood.push(row.clone()),
                None => {
                    let id = refs.index.iter().find(|(_, &i)| i == cause).map(|(id, _)| *id).unwrap_or("?");
                    c.err(&lpath, format!("no \"default\" row and no row for cause \"{id}\""));
                    likelihoods_ok = false;
                    break;
                }
            }
        }
        if likelihoods_ok && cause_count > 0 && likelihood.iter().all(|row| row == &likelihood[0]) {
            c.err(&lpath, "this question cannot change any belief: every cause has the same answer likelihoods");
            likelihoods_ok = false;
        }
    }

    if !(likelihoods_ok && answers_ok && refs.complete) {
        return None;
    }
    Some(Question {
        id: id?,
        text: text?,
        help: help?,
        p_known: p_known?,
        minutes: minutes.filter(|m| *m >= 0.0)?,
        answers,
        likelihood,
        skip_if_known: Vec::new(),
        offered_in: None,
    })
}

/// `offered_in`'s shape: `{"question": FACT, "answers": [VALUE, …]}`,
/// names resolved later by `resolve_offered_in`.
fn check_offered_in(c: &mut Checker, v: &Value, path: &str) -> Option<(String, Vec<String>)> {
    let map = c.object(v, path, &["question", "answers"], &[])?;
    let question = c.string(map, "question", path);
    let apath = key_path(path, "answers");
    let mut answers = Vec::new();
    for (i, item) in c.array(map, "answers", path).iter().enumerate() {
        match item.as_str() {
            Some(s) => answers.push(s.to_string()),
            None => c.err(index_path(&apath, i), format!("expected an answer value, found {}", type_name(item))),
        }
    }
    if matches!(map.get("answers"), Some(Value::Array(items)) if items.is_empty()) {
        c.err(apath, "needs at least one answer");
    }
    Some((question?, answers))
}

/// Resolves each question's `offered_in` once every question is known: the
/// host exists, is another question, is asked on its own, and lists this
/// fact in its `skip_if_known` (once answered through the host, neither is
/// asked again); the answers are this question's own values, each once.
fn resolve_offered_in(c: &mut Checker, questions: &mut [Question], skips: &[(String, Vec<String>)], offers: &[Option<(String, Vec<String>)>]) {
    let hosts: Vec<Option<usize>> = offers
        .iter()
        .map(|o| o.as_ref().and_then(|(name, _)| questions.iter().position(|q| &q.id == name)))
        .collect();
    for (qi, offer) in offers.iter().enumerate() {
        let Some((name, values)) = offer else { continue };
        let path = key_path(&skips[qi].0, "offered_in");
        let hpath = key_path(&path, "question");
        let host = match hosts[qi] {
            None => {
                c.err(hpath, format!("unknown fact \"{name}\""));
                continue;
            }
            Some(h) if h == qi => {
                c.err(hpath, "a question cannot be offered in itself");
                continue;
            }
            Some(h) if offers[h].is_some() => {
                c.err(hpath, format!("\"{name}\" is itself offered in another question; offer these answers in a question asked on its own"));
                continue;
            }
            Some(h) => h,
        };
        if !questions[host].skip_if_known.contains(&qi) {
            let fact = questions[qi].id.clone();
            c.err(hpath, format!("\"{name}\" must list \"{fact}\" in its skip_if_known: once answered through it, it is not asked again"));
        }
        let mut answers = Vec::new();
        for (j, value) in values.iter().enumerate() {
            let vpath = index_path(&key_path(&path, "answers"), j);
            match questions[qi].answers.iter().position(|a| &a.value == value) {
                Some(a) if answers.contains(&a) => c.err(vpath, format!("duplicate answer \"{value}\"")),
                Some(a) => answers.push(a),
                None => c.err(vpath, format!("\"{value}\" is not an answer of \"{}\"", questions[qi].id)),
            }
        }
        if answers.len() == values.len() && !answers.is_empty() {
            questions[qi].offered_in = Some(OfferedIn { question: host, answers });
        }
    }
}

/// A list of fact ids (strings); the names that are strings.
fn check_fact_list(c: &mut Checker, v: &Value, path: &str) -> Vec<String> {
    let Value::Array(items) = v else {
        c.err(path, format!("expected an array of fact ids, found {}", type_name(v)));
        return Vec::new();
    };
    let mut names = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match item.as_str() {
            Some(s) => names.push(s.to_string()),
            None => c.err(index_path(path, i), format!("expected a fact id, found {}", type_name(item))),
        }
    }
    names
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// What an action names that is resolved once later sections are read.
struct ActionNames {
    /// The fee it pays (an answer of the safety section's fee question).
    pays: Option<String>,
    /// The fact its activation wait reads (checked against the chips).
    wait_since: Option<String>,
}

/// The profile markers (`"shows"`) that only some steps may carry: one wait
/// step at most, and no marker on a step that pays (a provider link next to
/// a payment is the kind of channel the safety rules distrust).
fn check_markers(c: &mut Checker, actions: &[Action], paths: &[String], pays: &[(usize, String, String)]) {
    let mut wait_at: Option<&str> = None;
    for ((a, action), path) in actions.iter().enumerate().zip(paths) {
        let Some(shows) = action.shows else { continue };
        let spath = key_path(path, "shows");
        if let Some((_, fee, _)) = pays.iter().find(|(p, _, _)| *p == a) {
            c.err(&spath, format!("a step that pays (\"{fee}\") shows nothing from the provider's profile; mark the look-up or contact step instead"));
        }
        if let Shows::ActivationWait { .. } = shows {
            match wait_at {
                Some(first) => c.err(&spath, format!("only one step may show \"activation_wait\" (first at {first})")),
                None => wait_at = Some(path),
            }
        }
    }
}

fn check_action(
    c: &mut Checker,
    v: &Value,
    path: &str,
    ids: &mut BTreeMap<String, String>,
    refs: &CauseRefs,
) -> Option<(Action, ActionNames)> {
    let map = c.object(v, path, &["id", "title", "how", "why", "cost", "fixes", "note"], &["pays", "shows", "wait_since"])?;
    let id = c.id(map, path, ids);
    let title = c.text(map, "title", path);
    let how = c.text_list(map, "how", path);
    let why = c.text(map, "why", path);
    let minutes = c.number(map, "cost", path);
    if let Some(m) = minutes {
        if m <= 0.0 {
            c.err(key_path(path, "cost"), format!("cost {m} must be greater than 0"));
        }
    }
    c.string(map, "note", path);
    // The fee it pays: resolved against the safety section later.
    let pays = c.string(map, "pays", path);
    let shows = c.string(map, "shows", path).and_then(|name| {
        let shows = Shows::from_name(&name);
        if shows.is_none() {
            let message = format!("unknown marker \"{name}\" (markers: {})", Shows::NAMES.join(", "));
            c.err(key_path(path, "shows"), message);
        }
        shows
    });
    // The fact the wait reads: resolved against the chips later.
    let wait_since = c.string(map, "wait_since", path);
    if wait_since.is_some() && !matches!(shows, Some(Shows::ActivationWait { .. })) {
        c.err(key_path(path, "wait_since"), "only a step with \"shows\": \"activation_wait\" reads when the merchant paid");
    }
    let fpath = key_path(path, "fixes");
    let mut fixes = Vec::new();
    let mut fixes_ok = true;
    match map.get("fixes") {
        None => fixes_ok = false,
        Some(Value::Object(fmap)) => {
            for (cause, pv) in fmap {
                let ppath = key_path(&fpath, cause);
                let p = c.probability(pv, &ppath);
                match (refs.resolve(c, cause, &ppath), p) {
                    (Some(ci), Some(p)) if p > 0.0 => fixes.push((ci, p)),
                    (Some(_), Some(_)) => {}
                    _ => fixes_ok = false,
                }
            }
            if fixes_ok && fixes.is_empty() {
                c.err(&fpath, "this action fixes nothing: give at least one cause a probability above 0");
                fixes_ok = false;
            }
        }
        Some(other) => {
            c.err(&fpath, format!("expected an object, found {}", type_name(other)));
            fixes_ok = false;
        }
    }
    fixes.sort_by_key(|&(ci, _)| ci);
    if !fixes_ok {
        return None;
    }
    let minutes = minutes.filter(|m| *m > 0.0)?;
    let action = Action { id: id?, title: title?, how: how?, why: why?, minutes, fixes, pays: None, shows };
    Some((action, ActionNames { pays, wait_since }))
}

fn check_tip(
    c: &mut Checker,
    v: &Value,
    path: &str,
    ids: &mut BTreeMap<String, String>,
    refs: &CauseRefs,
) -> Option<Tip> {
    let map = c.object(v, path, &["id", "text", "causes"], &[])?;
    let id = c.id(map, path, ids);
    let text = c.text(map, "text", path);
    let cpath = key_path(path, "causes");
    let mut causes = Vec::new();
    let mut ok = true;
    for (i, cv) in c.array(map, "causes", path).iter().enumerate() {
        let ipath = index_path(&cpath, i);
        match cv.as_str() {
            Some(cid) => match refs.resolve(c, cid, &ipath) {
                Some(ci) => causes.push(ci),
                None => ok = false,
            },
            None => {
                c.err(ipath, format!("expected a cause id, found {}", type_name(cv)));
                ok = false;
            }
        }
    }
    if !ok {
        return None;
    }
    Some(Tip { id: id?, text: text?, causes })
}
