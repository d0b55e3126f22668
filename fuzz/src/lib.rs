//! The bodies of posdoctor's fuzz targets: one function per target, taking
//! the fuzzer's bytes. Each feeds an untrusted input to the same entry point
//! the page uses and checks what must hold whatever the input, so a panic
//! here is a bug in posdoctor. The cargo-fuzz binaries (fuzz_targets/) call
//! these, and `tests/fuzz_regressions.rs` compiles this very file to replay
//! every saved crash under plain `cargo test`.

use posdoctor::app::{App, MemoryStore, ProviderKb, StartInput};
use posdoctor::case;
use posdoctor::engine::{self, Next};
use posdoctor::kb::{self, packed, Kb, Lang};
use posdoctor::session::{self, Link, Session, NOT_SURE};
use std::sync::OnceLock;

/// The built-in knowledge base, loaded once per process.
pub fn default_kb() -> &'static Kb {
    static KB: OnceLock<Kb> = OnceLock::new();
    KB.get_or_init(|| kb::default_kb().expect("the built-in knowledge base validates"))
}

/// A case code: the URL-safe alphabet, short enough for a QR code.
fn assert_case_code(code: &str) {
    assert!(code.len() < 200, "case code of {} characters: {code}", code.len());
    assert!(
        code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
        "case code outside A-Za-z0-9_-: {code}"
    );
}

/// Every entry of `session` names something `kb` has, at most once each.
fn assert_clean_session(kb: &Kb, s: &Session) {
    let (_, unknown) = s.evidence(kb);
    assert!(unknown.is_empty(), "unknown entries kept: {unknown:?}");
    for (i, a) in s.answers.iter().enumerate() {
        assert!(!s.answers[..i].iter().any(|b| b.fact == a.fact), "fact {} answered twice", a.fact);
    }
    for (i, st) in s.steps.iter().enumerate() {
        assert!(!s.steps[..i].iter().any(|b| b.action == st.action), "step {} marked twice", st.action);
    }
}

/// The engine's beliefs on a session: a distribution, whatever was said.
fn assert_beliefs(kb: &Kb, s: &Session) {
    let p = engine::beliefs(kb, &s.evidence(kb).0);
    assert_eq!(p.len(), kb.causes.len());
    assert!(p.iter().all(|x| x.is_finite() && *x >= 0.0), "beliefs {p:?}");
    let sum: f64 = p.iter().sum();
    assert!((sum - 1.0).abs() < 1e-9, "beliefs sum to {sum}");
}

/// A session as a case code and back: the same answers, steps and language.
fn assert_case_round_trip(kb: &Kb, s: &Session, lang: Lang) {
    let code = case::encode(kb, s, lang);
    assert_case_code(&code);
    let (back, back_lang) = case::decode(kb, &code).unwrap_or_else(|e| panic!("own code {code} refused: {e:?}"));
    assert_eq!(back.answers, s.answers, "answers through {code}");
    assert_eq!(back.steps, s.steps, "steps through {code}");
    assert_eq!(back_lang, lang);
}

/// `kb_load`: bytes as a provider's knowledge base (`kb-url`) and as a
/// source file (`posdoctor validate`). Invalid: errors, each at a JSON path.
/// Valid: the engine and the page's controller run on it without fail.
pub fn kb_load(data: &[u8]) {
    let run = kb::load_bytes(data);
    let source = kb::load_source(data);
    for result in [&run, &source] {
        if let Err(errors) = result {
            assert!(!errors.is_empty(), "rejected without a reason");
            for e in errors {
                assert!(e.path.starts_with('$'), "error without a JSON path: {e}");
                assert!(!e.message.is_empty(), "error without a message at {}", e.path);
            }
        }
    }
    // A source file is only stricter (notes required) than what the page runs.
    if let (Ok(a), Err(errors)) = (&source, &run) {
        panic!("source accepted, page refused: {errors:?} ({})", a.id);
    }
    let Ok(kb) = run else { return };
    // What the validator promises beyond what the engine needs.
    for a in &kb.actions {
        assert!(!a.fixes.is_empty() && a.fixes.iter().all(|&(_, p)| p > 0.0));
    }
    assert_engine_invariants(&kb);
    // The browser gets it packed: the same KB after the round trip.
    assert_eq!(packed::decode_with_cues(&packed::encode(&kb)).as_ref(), Some(&kb), "packed round trip");
    // The page is fed the text (the fetch's result), not the bytes.
    let Ok(text) = std::str::from_utf8(data) else { return };
    exercise_app(&kb, || ProviderKb::from_text(text));
}

/// `kb_packed`: bytes as the packed knowledge base the page module decodes
/// (`kb.bin`, or a provider's KB packed by the validator module) and as the
/// cue pack the extractor module decodes. Damaged: `None`. Otherwise a KB
/// the engine can run, that packs to the same KB.
pub fn kb_packed(data: &[u8]) {
    // The same bytes as the page reads the built-in KB: a decision pack
    // (refused when a text pack follows it), and a text pack joined to
    // the default KB's (another build's: refused). Neither may panic.
    if let Some((mut half, id)) = packed::decode_decisions(data) {
        assert!(packed::join_texts(&mut half, id, data).is_err(), "a pack is not its own text pack");
    }
    let (decisions, _) = packed::encode_split(default_kb());
    if let Some((mut half, id)) = packed::decode_decisions(&decisions) {
        let before = half.clone();
        if packed::join_texts(&mut half, id, data).is_err() {
            assert_eq!(half, before, "a refused text pack leaves the KB as it was");
        }
    }
    // The cue pack as the extractor module reads it: `data` after the
    // default KB's decision pack, and `data` as a KB in one piece. Refused
    // or read; reading words with it never panics.
    for pack in [packed::decode_cues(&decisions, Some(data)), packed::decode_cues(data, None)].into_iter().flatten() {
        let cues = posdoctor::extract::Cues::of(&pack.observations, pack.facts, &pack.shop_words);
        let _ = posdoctor::extract::extract_with(&cues, "续费成功了，钱扣了，昨天交的，没信号 paid yesterday", None);
    }
    // The page module's reading (without the cue pack's words) and the
    // whole KB's.
    let page = packed::decode(data);
    let Some(kb) = packed::decode_with_cues(data) else { return };
    assert!(page.is_some(), "a whole KB is one for the page module too");
    assert_engine_invariants(&kb);
    assert_eq!(packed::decode_with_cues(&packed::encode(&kb)).as_ref(), Some(&kb), "packed round trip");
    exercise_app(&kb, || ProviderKb::Loaded(kb.clone()));
}

/// What the engine relies on (ARCHITECTURE.md: "the engine never fails on
/// a validated KB"): indices in range, rows of the right length summing to
/// 1, fixes sorted by cause, probabilities in [0, 1].
fn assert_engine_invariants(kb: &Kb) {
    assert!(!kb.causes.is_empty() && !kb.actions.is_empty());
    assert!(kb.causes.iter().all(|c| c.prior > 0.0 && c.prior <= 1.0));
    for q in &kb.questions {
        assert!(!q.answers.is_empty());
        assert!((0.0..=1.0).contains(&q.p_known) && q.minutes >= 0.0);
        assert_eq!(q.likelihood.len(), kb.causes.len());
        for row in &q.likelihood {
            assert_eq!(row.len(), q.answers.len());
            assert!(row.iter().all(|p| (0.0..=1.0).contains(p)));
            let sum: f64 = row.iter().sum();
            assert!((sum - 1.0).abs() <= 1e-6 + 1e-12, "likelihood row sums to {sum}");
        }
    }
    for a in &kb.actions {
        assert!(a.minutes > 0.0 && a.minutes.is_finite());
        assert!(a.fixes.iter().all(|&(c, p)| c < kb.causes.len() && (0.0..=1.0).contains(&p)));
        assert!(a.fixes.windows(2).all(|w| w[0].0 < w[1].0), "fixes not sorted by cause");
    }
    for t in &kb.tips {
        assert!(t.causes.iter().all(|&c| c < kb.causes.len()));
    }
}

/// The page's controller on a provider KB: start, the view, the first
/// answers and steps, the case code, saving and restoring.
fn exercise_app(kb: &Kb, provider_kb: impl FnOnce() -> ProviderKb) {
    // The controller and the engine on small KBs only: their cost grows
    // with questions² × answers² × actions, which would slow the fuzzer to
    // a crawl on the default KB's variants (the engine's own tests and
    // benchmarks cover large KBs).
    if kb.causes.len() > 8 || kb.questions.len() > 6 || kb.actions.len() > 8 {
        return;
    }
    let input = StartInput { provider_kb: provider_kb(), now_ms: 0.0, ..StartInput::default() };
    let mut app = App::start(default_kb().clone(), input, MemoryStore::default());
    assert!(app.kb_errors.is_empty(), "a valid KB fell back: {:?}", app.kb_errors);
    assert_eq!(app.kb(), kb, "the provider's KB is the one used");
    // The say-what-you-know screen first (no decision is made while it
    // shows), then continue with nothing chosen, as the page does.
    assert_case_code(&app.view().support.case_code);
    app.finish_opening();
    for _ in 0..3 {
        let view = app.view();
        assert_case_code(&view.support.case_code);
        match app.decision().next {
            Next::Question(q) => {
                assert!(view.question.is_some());
                let fact = app.kb().questions[q].id.clone();
                let value = app.kb().questions[q].answers[0].value.clone();
                assert!(app.answer(&fact, &value), "answer {fact}={value} not taken");
            }
            Next::Step(a) => {
                assert!(view.steps.iter().filter(|s| s.next).count() == 1);
                let id = app.kb().actions[a].id.clone();
                assert!(app.mark(&id, "not_fixed").is_some(), "step {id} not taken");
            }
            Next::Resolved(_) | Next::Exhausted => break,
        }
    }
    let kb = app.kb().clone();
    assert_case_round_trip(&kb, app.session(), app.lang());
    // What was saved on the last tap restores, whatever the KB's ids.
    let saved = app.store().0.get(&format!("posdoctor:session:{}", kb.id)).expect("progress saved");
    let (back, _) = session::restore(&kb, saved).unwrap_or_else(|e| panic!("own progress refused: {e:?}\n{saved}"));
    // Ids with whitespace are saved mangled and dropped (session.rs);
    // all others come back as they were.
    let plain = |s: &str| !s.contains(char::is_whitespace);
    let s = app.session();
    if s.answers.iter().all(|a| plain(&a.fact) && plain(&a.value)) && s.steps.iter().all(|x| plain(&x.action)) {
        assert_eq!(back.answers, s.answers);
        assert_eq!(back.steps, s.steps);
    }
}

/// `deep_link`: the location hash a QR code carries, against the built-in KB.
pub fn deep_link(data: &[u8]) {
    let kb = default_kb();
    let hash = String::from_utf8_lossy(data);
    let link = Link::parse(&hash, kb);
    let link_id = |s: &str| !s.is_empty() && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b));
    for id in [&link.model, &link.provider].into_iter().flatten() {
        assert!(link_id(id), "id {id:?} taken from a link");
    }
    if let Some(code) = &link.case {
        assert!(!code.is_empty() && code.len() <= 400);
        // Whatever the code, decoding it answers.
        if let Ok((s, lang)) = case::decode(kb, code) {
            assert_clean_session(kb, &s);
            assert_case_round_trip(kb, &s, lang);
        }
    }
    for shown in &link.ignored {
        assert!(shown.chars().count() <= 41, "ignored parameter shown in full: {shown:?}");
    }
    // The page starts from the link over saved progress: unless the link
    // names a terminal or provider (a fresh session) or opens a case (the
    // support view), the merchant's saved answer is still there.
    let saved = "posdoctor-session 1\nkb pos-renewal 0\na payment_result success\n";
    let mut store = MemoryStore::default();
    store.0.insert(format!("posdoctor:session:{}", kb.id), saved.to_string());
    let app = App::start(kb.clone(), StartInput { hash: hash.to_string(), ..StartInput::default() }, store);
    if !app.is_support_view() && link.model.is_none() && link.provider.is_none() {
        assert_eq!(app.session().answer_of("payment_result"), Some("success"), "saved progress lost");
    }
    if app.is_support_view() {
        assert_eq!(app.store().0.get(&format!("posdoctor:session:{}", kb.id)).map(String::as_str), Some(saved));
    }
    let mut session = Session::new(kb);
    for (i, (fact, value)) in link.facts.iter().enumerate() {
        assert!(value != NOT_SURE);
        assert!(!link.facts[..i].iter().any(|(f, _)| f == fact), "fact {fact} twice");
        assert!(session.answer(kb, fact, value), "link fact {fact}={value} refused by the session");
    }
    assert_clean_session(kb, &session);
    assert_beliefs(kb, &session);
}

/// `session_restore`: saved progress as read back from localStorage.
pub fn session_restore(data: &[u8]) {
    let kb = default_kb();
    let text = String::from_utf8_lossy(data);
    let Ok((s, _dropped)) = session::restore(kb, &text) else { return };
    assert_eq!(s.v, session::SESSION_VERSION);
    assert_eq!(s.kb, kb.id);
    assert_clean_session(kb, &s);
    let mut again = s.clone();
    assert_eq!(again.prune(kb), 0, "restore left something to prune");
    // Saved again and read back: the same session, nothing dropped.
    let (back, dropped) = session::restore(kb, &s.to_text()).expect("own save refused");
    assert_eq!(dropped, 0);
    assert_eq!(back, s);
    assert_beliefs(kb, &s);
    assert_case_round_trip(kb, &s, Lang::En);
}

/// `case_decode`: a case code from `#case=`, typed or scanned by an agent.
/// A code that decodes is re-encoded and must decode to the same session.
pub fn case_decode(data: &[u8]) {
    let kb = default_kb();
    let code = String::from_utf8_lossy(data);
    let Ok((s, lang)) = case::decode(kb, &code) else { return };
    assert_clean_session(kb, &s);
    assert_beliefs(kb, &s);
    assert_case_round_trip(kb, &s, lang);
}

/// `extract`: a merchant's own words (typed or dictated, any bytes as
/// text) through the say-what-you-know extractor, against the built-in KB,
/// in each language: deterministic, at most one value per fact, each the
/// fact=value of the chip it names, its words a range of the text on char
/// boundaries, in text order.
pub fn extract(data: &[u8]) {
    let kb = default_kb();
    let text = String::from_utf8_lossy(data);
    for lang in [None, Some(Lang::Zh), Some(Lang::En)] {
        let e = posdoctor::extract::extract(kb, &text, lang);
        assert_eq!(e, posdoctor::extract::extract(kb, &text, lang), "not deterministic");
        for (i, f) in e.found.iter().enumerate() {
            assert!(f.start < f.end && f.end <= text.len(), "range {}..{} of {}", f.start, f.end, text.len());
            assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end), "range {}..{} inside a character", f.start, f.end);
            let o = &kb.observations[f.observation];
            assert_eq!((o.question, o.answer), (f.question, f.answer), "found value is not its chip's");
            assert!(!e.found[..i].iter().any(|g| g.question == f.question), "fact {} twice", f.question);
            assert!(i == 0 || e.found[i - 1].start <= f.start, "not in text order");
        }
    }
}
