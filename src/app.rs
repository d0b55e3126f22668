//! The widget's controller, in plain Rust: starts from the element's
//! attributes, the deep link and saved progress; takes taps; saves on every
//! change; hands back a view. `wasm.rs` only supplies the browser's storage
//! and forwards calls, so all of this is tested natively.

use crate::case;
use crate::engine::{self, decide, decide_after_opening, Decision, Next, Outcome};
use crate::i18n::t;
use crate::kb::packed::{self, TextPackId};
use crate::kb::{self, Kb, Lang};
use crate::profile::Profile;
use crate::extract;
use crate::session::{self, parse_outcome, Link, RestoreError, Session, Source};
use crate::view::{self, NoticeView, View};

/// Where progress is kept. Any error means "this storage does not work".
pub trait Store {
    fn get(&self, key: &str) -> Result<Option<String>, String>;
    fn set(&mut self, key: &str, value: &str) -> Result<(), String>;
    fn remove(&mut self, key: &str) -> Result<(), String>;
}

/// A store that keeps nothing beyond the page's life.
#[derive(Default)]
pub struct MemoryStore(pub std::collections::BTreeMap<String, String>);

impl Store for MemoryStore {
    fn get(&self, key: &str) -> Result<Option<String>, String> {
        Ok(self.0.get(key).cloned())
    }
    fn set(&mut self, key: &str, value: &str) -> Result<(), String> {
        self.0.insert(key.into(), value.into());
        Ok(())
    }
    fn remove(&mut self, key: &str) -> Result<(), String> {
        self.0.remove(key);
        Ok(())
    }
}

/// What the page knows when it starts.
#[derive(Debug, Clone, Default)]
pub struct StartInput {
    /// The element's `lang` attribute.
    pub lang_attr: Option<String>,
    /// The element's `provider` attribute.
    pub provider_attr: Option<String>,
    /// `location.hash`.
    pub hash: String,
    /// `navigator.language`.
    pub navigator_lang: Option<String>,
    /// The provider's own knowledge base from `kb-url`, if any.
    pub provider_kb: ProviderKb,
    /// Now, in milliseconds since the Unix epoch.
    pub now_ms: f64,
    /// The phone's offset from UTC in minutes (`-getTimezoneOffset()`).
    pub utc_offset_min: i32,
    /// The built-in KB came from its decision pack alone
    /// (`packed::decode_decisions`): the text pack that completes it,
    /// joined by `App::add_texts` when it arrives.
    pub builtin_texts: Option<TextPackId>,
}

/// A provider's knowledge base from `kb-url`: loaded and validated, or why
/// not (fetch failure, validation errors with their JSON paths).
// One value per page, built once and taken apart once by `App::start`:
// boxing the `Kb` would only add an allocation.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, Default)]
pub enum ProviderKb {
    #[default]
    None,
    Loaded(Kb),
    Failed(Vec<String>),
}

impl ProviderKb {
    /// Validates a knowledge base's text.
    pub fn from_text(text: &str) -> ProviderKb {
        match kb::load(text) {
            Ok(kb) => ProviderKb::Loaded(kb),
            Err(errors) => ProviderKb::Failed(errors.iter().map(|e| e.to_string()).collect()),
        }
    }
}

/// A case code's session and language (`case::decode`, feature `support`).
#[cfg(feature = "support")]
fn open_case(kb: &Kb, code: &str) -> Result<(Session, Lang), case::CaseError> {
    case::decode(kb, code)
}

/// The merchant's page module is built without the decoder (feature
/// `support`): only support agents open case links, and the page loads the
/// support module for them (www/pos-doctor.js). Should a case link reach
/// the page module anyway, it is a code it cannot read: the `link` notice
/// says so.
#[cfg(not(feature = "support"))]
fn open_case(_kb: &Kb, _code: &str) -> Result<(Session, Lang), case::CaseError> {
    Err(case::CaseError::Damaged)
}

pub struct App<S: Store> {
    kb: Kb,
    session: Session,
    lang: Lang,
    profile: Profile,
    /// The read-only support view of a case code, if opened with one.
    case: Option<Session>,
    notices: Vec<NoticeView>,
    store: S,
    storage_ok: bool,
    /// The provider KB's validation errors, for the console.
    pub kb_errors: Vec<String>,
    /// A fact whose answer the merchant asked to change: its question is
    /// shown again until answered (not saved: a reload asks as usual).
    reask: Option<usize>,
    /// The deep link's facts, entered again after a start over.
    link_facts: Vec<(String, String)>,
    /// The deep link's terminal model, provider and language, which apply
    /// again after a start over too.
    link_model: Option<String>,
    link_provider: Option<String>,
    link_lang: Option<Lang>,
    /// The say-what-you-know screen (see `Opening`).
    opening: Opening,
    utc_offset_min: i32,
    /// The text pack the KB in use still waits for (the built-in KB's,
    /// until `add_texts`); meanwhile its how-to, why, details, help and
    /// tips are empty.
    texts_awaited: Option<TextPackId>,
    /// The page could not get what reads the merchant's words (the cue
    /// pack or the extractor module failed to load): the screen says so
    /// instead of "in a moment".
    words_unreadable: bool,
    /// The built-in KB's words cannot be read yet: its cue pack and the
    /// extractor module are on their way (until `words_ready`). Nothing is
    /// understood meanwhile: a time word would go to the wrong fact.
    cues_awaited: bool,
}

/// What the say-what-you-know screen holds besides the session's answers
/// (which are the chips pressed by the merchant or the link). Never saved:
/// the merchant's words stay in this page's memory only.
#[derive(Debug, Clone, Default)]
pub struct Opening {
    /// Reopened after Continue to add more ("Your answers").
    pub adding: bool,
    /// Whether the box holds any words.
    pub typed: bool,
    /// What the extractor understood in the box: (observation, the words
    /// that triggered it).
    pub understood: Vec<(usize, String)>,
    /// Facts (question indices) the merchant released on this screen: the
    /// extractor does not press them again while they go on typing.
    pub released: Vec<usize>,
}

fn storage_key(kb: &Kb) -> String {
    crate::concat(&["posdoctor:session:", &kb.id])
}

const LANG_KEY: &str = "posdoctor:lang";

impl<S: Store> App<S> {
    /// Starts the widget on the built-in knowledge base, or the provider's
    /// when it loaded and validated.
    pub fn start(builtin: Kb, mut input: StartInput, store: S) -> App<S> {
        let mut notices = Vec::new();
        let (kb, kb_errors, texts_awaited) = match std::mem::take(&mut input.provider_kb) {
            ProviderKb::None => (builtin, Vec::new(), input.builtin_texts),
            // A provider's KB comes whole.
            ProviderKb::Loaded(kb) => (kb, Vec::new(), None),
            ProviderKb::Failed(errors) => (builtin, errors, input.builtin_texts),
        };
        let kb_fallback = !kb_errors.is_empty();
        let link = Link::parse(&input.hash, &kb);

        let mut app = App {
            session: Session::new(&kb),
            kb,
            lang: Lang::Zh,
            profile: Profile::neutral(),
            case: None,
            notices: Vec::new(),
            store,
            storage_ok: true,
            kb_errors,
            reask: None,
            link_facts: link.facts.clone(),
            link_model: link.model.clone(),
            link_provider: link.provider.clone(),
            link_lang: link.lang,
            opening: Opening::default(),
            utc_offset_min: input.utc_offset_min,
            cues_awaited: texts_awaited.is_some(),
            texts_awaited,
            words_unreadable: false,
        };

        // Saved language choice, then attribute, then link, then browser.
        let saved_lang = app.store.get(LANG_KEY).ok().flatten().and_then(|l| Lang::parse(&l));
        app.lang = saved_lang
            .or_else(|| input.lang_attr.as_deref().and_then(Lang::parse))
            .or(link.lang)
            .or_else(|| input.navigator_lang.as_deref().and_then(Lang::parse))
            .unwrap_or(Lang::Zh);

        let provider = link.provider.clone().or(input.provider_attr.clone());
        if let Some(id) = &provider {
            app.profile = Profile::lookup(id);
        }

        if kb_fallback {
            notices.push(notice(app.lang, "kb-fallback", "notice_kb_fallback"));
        }
        if !link.ignored.is_empty() {
            notices.push(notice(app.lang, "link", "notice_link"));
        }

        // A case code opens the support view and leaves saved progress
        // alone. A code that does not decode is ignored with a notice, and
        // the merchant's own progress loads as usual (starting fresh here
        // would overwrite it on the next tap).
        if let Some(code) = &link.case {
            match open_case(&app.kb, code) {
                Ok((session, lang)) => {
                    // The provider the code names, unless the page names one.
                    if let (None, Some(p)) = (&input.provider_attr, &session.provider) {
                        app.profile = Profile::lookup(p);
                    }
                    app.case = Some(session);
                    if input.lang_attr.is_none() && saved_lang.is_none() && link.lang.is_none() {
                        app.lang = lang;
                    }
                    app.notices = notices;
                    return app;
                }
                Err(e) => {
                    let key = if e == case::CaseError::Version { "notice_case_version" } else { "notice_case_bad" };
                    notices.push(notice(app.lang, "link", key));
                }
            }
        }

        let key = storage_key(&app.kb);
        match app.store.get(&key) {
            Err(_) => {
                app.storage_ok = false;
                notices.push(notice(app.lang, "storage", "notice_storage"));
            }
            Ok(None) => {}
            Ok(Some(text)) => match session::restore(&app.kb, &text) {
                Ok((saved, dropped)) => {
                    app.session = saved;
                    if dropped > 0 {
                        notices.push(notice(app.lang, "saved-progress", "notice_dropped"));
                    }
                }
                // Another KB's progress is not damage: start fresh quietly.
                Err(RestoreError::OtherKb) => {}
                Err(RestoreError::Corrupt | RestoreError::Version(_)) => {
                    notices.push(notice(app.lang, "saved-progress", "notice_saved_progress"));
                }
            },
        }

        // A link for another terminal or provider starts over; otherwise
        // its facts fill only what the merchant has not answered.
        let differs = |linked: &Option<String>, saved: &Option<String>| linked.is_some() && linked != saved;
        if differs(&link.model, &app.session.model) || differs(&link.provider, &app.session.provider) {
            app.session = Session::new(&app.kb);
        }
        if link.model.is_some() {
            app.session.model = link.model.clone();
        }
        if link.provider.is_some() {
            app.session.provider = link.provider.clone();
        } else if let (None, Some(p)) = (&input.provider_attr, &app.session.provider) {
            // The saved link's provider, unless the host page names one.
            app.profile = Profile::lookup(p);
        }
        app.apply_link_facts();
        if app.session.started_ms.is_none() {
            app.session.started_ms = Some(input.now_ms);
        }
        app.notices = notices;
        app.save();
        app
    }

    /// The link's facts fill what the merchant has not answered.
    fn apply_link_facts(&mut self) {
        for (fact, value) in &self.link_facts {
            if self.session.answer_of(fact).is_none() {
                self.session.answer_from(&self.kb, fact, value, Source::Link);
            }
        }
    }

    fn save(&mut self) {
        if !self.storage_ok {
            return;
        }
        let key = storage_key(&self.kb);
        if self.store.set(&key, &self.session.to_text()).is_err() {
            self.storage_ok = false;
            self.notices.push(notice(self.lang, "storage", "notice_storage"));
        }
    }

    /// The text pack arrived (`kb-text.bin`): the KB gets its how-to, why,
    /// details, help and tips, and the view shows them. Ok when the KB in
    /// use has its texts now (a KB that waited for none always has); an
    /// error (a damaged pack, or another build's) leaves it without.
    pub fn add_texts(&mut self, bytes: &[u8]) -> Result<(), packed::TextPackError> {
        let Some(id) = self.texts_awaited else { return Ok(()) };
        packed::join_texts(&mut self.kb, id, bytes)?;
        self.texts_awaited = None;
        Ok(())
    }

    /// The page could not load what reads the merchant's words.
    pub fn words_unreadable(&mut self) {
        self.words_unreadable = true;
    }

    /// What reads the merchant's words (the built-in KB's cue pack and the
    /// extractor module) has landed: words are understood from now on,
    /// whether or not the text pack did.
    pub fn words_ready(&mut self) {
        self.cues_awaited = false;
    }

    /// Whether the KB in use still waits for its text pack.
    pub fn texts_awaited(&self) -> bool {
        self.texts_awaited.is_some()
    }

    pub fn store(&self) -> &S {
        &self.store
    }

    pub fn kb(&self) -> &Kb {
        &self.kb
    }

    pub fn session(&self) -> &Session {
        &self.session
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    pub fn is_support_view(&self) -> bool {
        self.case.is_some()
    }

    /// The merchant tapped an answer. Ignored in the support view and for
    /// answers the KB does not have.
    pub fn answer(&mut self, fact: &str, value: &str) -> bool {
        if self.case.is_some() || !self.session.answer(&self.kb, fact, value) {
            return false;
        }
        self.reask = None;
        self.save();
        true
    }

    /// The merchant wants to change an answer (a mis-tap in a busy shop):
    /// it is forgotten and its question is asked again next. Ignored in the
    /// support view and for facts not answered.
    pub fn change(&mut self, fact: &str) -> bool {
        let Some(q) = self.kb.question_index(fact) else { return false };
        if self.case.is_some() || !self.session.forget(fact) {
            return false;
        }
        // A fact offered inside another question is asked again through it.
        self.reask = Some(self.kb.questions[q].offered_in.as_ref().map_or(q, |o| o.question));
        self.save();
        true
    }

    /// The merchant marked a step. Returns the outcome when it was taken.
    pub fn mark(&mut self, action: &str, outcome: &str) -> Option<Outcome> {
        let outcome = parse_outcome(outcome)?;
        if self.case.is_some() || !self.session.mark(&self.kb, action, outcome) {
            return None;
        }
        self.reask = None;
        self.save();
        Some(outcome)
    }

    /// The terminal's serial number as the merchant types it (cleaned by
    /// `session::clean_sn`; empty clears it). Saved on this device, shown
    /// in the summary. Ignored in the support view.
    pub fn set_sn(&mut self, typed: &str) -> bool {
        if self.case.is_some() {
            return false;
        }
        self.session.sn = crate::session::clean_sn(typed);
        self.save();
        true
    }

    /// The phone's offset from UTC in minutes, for the summary's time.
    pub fn set_utc_offset(&mut self, minutes: i32) {
        self.utc_offset_min = minutes;
    }

    /// The merchant takes a step's outcome back (a mis-tapped "fixed" or
    /// "not fixed"): it is to do again. Ignored in the support view and for
    /// steps without an outcome.
    pub fn undo(&mut self, action: &str) -> bool {
        if self.case.is_some() || !self.session.unmark(action) {
            return false;
        }
        self.reask = None;
        self.save();
        true
    }

    pub fn set_lang(&mut self, lang: &str) -> bool {
        let Some(l) = Lang::parse(lang) else { return false };
        self.lang = l;
        if self.storage_ok {
            let _ = self.store.set(LANG_KEY, l.code());
        }
        // Notices already shown switch language with the page.
        for n in &mut self.notices {
            n.text = t(l, n.key);
        }
        true
    }

    /// Starts over (the merchant confirmed it): a fresh session for the
    /// same terminal and provider; the link's model, provider, language
    /// and facts apply again, as on the first visit.
    pub fn restart(&mut self, now_ms: f64) {
        if self.case.is_some() {
            return;
        }
        let mut fresh = Session::new(&self.kb);
        fresh.model = self.link_model.clone().or_else(|| self.session.model.take());
        fresh.provider = self.link_provider.clone().or_else(|| self.session.provider.take());
        // The same terminal: its serial number stays.
        fresh.sn = self.session.sn.take();
        if let Some(p) = &self.link_provider {
            self.profile = Profile::lookup(p);
        }
        if let Some(l) = self.link_lang {
            self.set_lang(l.code());
        }
        fresh.started_ms = Some(now_ms);
        self.session = fresh;
        self.reask = None;
        self.opening = Opening::default();
        self.apply_link_facts();
        self.notices.retain(|n| n.kind == "storage" || n.kind == "kb-fallback");
        self.save();
    }

    /// Whether the say-what-you-know screen shows: on a fresh session
    /// until Continue, and when reopened to add more; never in the
    /// support view.
    pub fn opening_shown(&self) -> bool {
        self.case.is_none() && (self.opening.adding || !self.session.opened)
    }

    pub fn opening(&self) -> &Opening {
        &self.opening
    }

    /// The merchant's words in the box, read by the extractor here: see
    /// `understood`. (The page runs the extractor in a module of its own,
    /// loaded after the page is ready, and calls `understood`.)
    pub fn understand(&mut self, text: &str) -> bool {
        let mut found = Vec::new();
        for f in extract::extract(&self.kb, text, None).found {
            found.push((f.observation, f.start, f.end));
        }
        self.understood(text, &found)
    }

    /// What the extractor understood in the merchant's words: `found` is
    /// (observation, byte range in `text`) each. Those chips light up (and
    /// are pressed, unless the merchant chose otherwise). The text is kept
    /// nowhere. Ignored unless the screen shows.
    pub fn understood(&mut self, text: &str, found: &[(usize, usize, usize)]) -> bool {
        if !self.opening_shown() {
            return false;
        }
        self.opening.typed = !text.trim_ascii().is_empty();
        self.opening.understood.clear();
        // Before the cue pack lands the words cannot be read right: the cue
        // phrases and anchors are missing, and a time word would go to the
        // wrong fact. Nothing is understood until then (the page reads the
        // words again when it lands).
        if self.cues_awaited {
            return true;
        }
        for &(o, start, end) in found {
            if o < self.kb.observations.len() {
                self.opening.understood.push((o, text.get(start..end).unwrap_or("").to_string()));
            }
        }
        true
    }

    /// The value of `q` a chip shows pressed: the merchant's (or the
    /// link's) answer, else what the extractor understood, unless the
    /// merchant released the fact.
    pub fn pressed(&self, q: usize) -> Option<usize> {
        let question = &self.kb.questions[q];
        match self.session.answer_of(&question.id) {
            Some(v) => question.answers.iter().position(|a| a.value == v),
            None if self.opening.released.contains(&q) => None,
            None => self.opening.understood.iter().map(|&(o, _)| &self.kb.observations[o]).find(|o| o.question == q).map(|o| o.answer),
        }
    }

    /// A chip tapped on the say-what-you-know screen: pressing one value of
    /// a fact releases its other values; pressing a pressed chip releases
    /// it. Saved at once (the choice, never the words).
    pub fn chip(&mut self, fact: &str, value: &str) -> bool {
        let Some(q) = self.kb.question_index(fact) else { return false };
        let Some(j) = self.kb.questions[q].answers.iter().position(|a| a.value == value) else { return false };
        if !self.opening_shown() {
            return false;
        }
        if self.pressed(q) == Some(j) {
            self.session.forget(fact);
            self.opening.released.push(q);
        } else {
            self.session.answer_from(&self.kb, fact, value, Source::Opening);
            self.opening.released.retain(|&r| r != q);
        }
        self.save();
        true
    }

    /// Continue: the pressed chips the extractor chose become answers too,
    /// and the questions start (or go on).
    pub fn finish_opening(&mut self) -> bool {
        if !self.opening_shown() {
            return false;
        }
        let understood = std::mem::take(&mut self.opening.understood);
        for (o, _) in understood {
            let (q, j) = (self.kb.observations[o].question, self.kb.observations[o].answer);
            let question = &self.kb.questions[q];
            if self.session.answer_of(&question.id).is_none() && !self.opening.released.contains(&q) {
                let (fact, value) = (question.id.clone(), question.answers[j].value.clone());
                self.session.answer_from(&self.kb, &fact, &value, Source::Opening);
            }
        }
        self.opening = Opening::default();
        self.session.opened = true;
        self.reask = None;
        self.save();
        true
    }

    /// "Add what you know" from "Your answers": the screen again, with the
    /// answers pressed.
    pub fn add_more(&mut self) -> bool {
        if self.case.is_some() {
            return false;
        }
        self.opening = Opening { adding: true, ..Opening::default() };
        true
    }

    /// The engine's decision, except that a question the merchant asked to
    /// answer again comes first (unless the problem is already fixed).
    pub fn decision(&self) -> Decision {
        let shown = self.case.as_ref().unwrap_or(&self.session);
        let ev = shown.evidence(&self.kb).0;
        // The merchant told something on the say-what-you-know screen.
        let opened = shown.answers.iter().any(|a| a.source == Source::Opening);
        let mut decision = if opened { decide_after_opening(&self.kb, &ev) } else { decide(&self.kb, &ev) };
        if let (Some(q), Next::Question(_) | Next::Step(_) | Next::Exhausted) = (self.reask, &decision.next) {
            decision.next = Next::Question(q);
        }
        decision
    }

    pub fn case_code(&self) -> String {
        let shown = self.case.as_ref().unwrap_or(&self.session);
        case::encode(&self.kb, shown, self.lang)
    }

    pub fn view(&self) -> View {
        let shown = self.case.as_ref().unwrap_or(&self.session);
        // While the merchant says what they know, nothing is recommended
        // (the page shows no question and no step): the beliefs alone, for
        // the hand-off's likely causes. The full decision (its look-ahead,
        // about 0.9 ms native on a fresh session) would run again on every
        // keystroke in the box. (`next` is never read there: the view's
        // status is "opening".)
        let decision = if self.opening_shown() {
            let ev = shown.evidence(&self.kb).0;
            Decision { beliefs: engine::beliefs(&self.kb, &ev), plan: Vec::new(), next: Next::Exhausted, ecr: 0.0, blocked: Vec::new() }
        } else {
            self.decision()
        };
        view::build(&view::ViewInput {
            kb: &self.kb,
            session: shown,
            decision: &decision,
            lang: self.lang,
            profile: &self.profile,
            support_mode: self.case.is_some(),
            notices: &self.notices,
            case_code: self.case_code(),
            opening: self.opening_shown().then(|| view::OpeningInput {
                opening: &self.opening,
                pressed: (0..self.kb.questions.len()).map(|q| self.pressed(q)).collect(),
                cues_awaited: self.cues_awaited,
                words_unreadable: self.words_unreadable,
            }),
            utc_offset_min: self.utc_offset_min,
        })
    }
}

fn notice(lang: Lang, kind: &'static str, key: &'static str) -> NoticeView {
    NoticeView { kind, key, text: t(lang, key) }
}
