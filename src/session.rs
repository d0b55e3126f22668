//! What the merchant has said and done, as a plain serialisable value that
//! survives reloads, and the deep link a QR code carries.
//!
//! A session names facts, values and steps by id, not by index, so a saved
//! session outlives a knowledge-base update: ids the new KB no longer has
//! are dropped (and reported), the rest carry on.

use crate::engine::{Evidence, Outcome};
pub use crate::kb::NOT_SURE;
use crate::kb::{Kb, Lang};

/// Bump when the saved format changes; `restore` migrates or refuses.
pub const SESSION_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    /// Format version.
    pub v: u32,
    /// Knowledge base id and version the session was made with.
    pub kb: String,
    pub kb_version: String,
    /// Terminal model and provider profile from the deep link, if any.
    pub model: Option<String>,
    pub provider: Option<String>,
    /// Facts in the order they were answered; `not_sure` included.
    pub answers: Vec<SavedAnswer>,
    /// Step outcomes in the order they were marked.
    pub steps: Vec<SavedStep>,
    /// When the session started, milliseconds since the Unix epoch.
    pub started_ms: Option<f64>,
    /// The merchant has left the say-what-you-know screen (Continue).
    /// Until then a fresh session opens on it.
    pub opened: bool,
    /// The terminal's serial number (SN) as the merchant typed it, for the
    /// summary. Saved on this device only; the case code leaves it out.
    pub sn: Option<String>,
}

/// The longest serial number kept: SNs on terminal labels are about 10 to
/// 20 letters and digits.
pub const SN_MAX: usize = 32;

/// A serial number as typed, kept to what labels print (ASCII letters,
/// digits and `-`; spaces and other marks dropped, letters upper-cased),
/// at most `SN_MAX`; None when nothing is left.
pub fn clean_sn(typed: &str) -> Option<String> {
    let sn: String = typed
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .map(|c| c.to_ascii_uppercase())
        .take(SN_MAX)
        .collect();
    (!sn.is_empty()).then_some(sn)
}

/// Where an answer came from: a question, the say-what-you-know screen, or
/// the deep link. (An answer changed through its question becomes `Question`.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Source {
    #[default]
    Question,
    Opening,
    Link,
}

impl Source {
    pub fn id(self) -> &'static str {
        match self {
            Source::Question => "question",
            Source::Opening => "opening",
            Source::Link => "link",
        }
    }

    pub fn parse(s: &str) -> Option<Source> {
        match s {
            "question" => Some(Source::Question),
            "opening" => Some(Source::Opening),
            "link" => Some(Source::Link),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedAnswer {
    pub fact: String,
    pub value: String,
    pub source: Source,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedStep {
    pub action: String,
    pub outcome: Outcome,
}

/// An outcome's saved and shown form: saved progress, the view model and
/// `eval`'s trace all spell outcomes this way.
pub fn outcome_id(o: Outcome) -> &'static str {
    match o {
        Outcome::Fixed => "fixed",
        Outcome::NotFixed => "not_fixed",
        Outcome::CannotDo => "cannot_do",
    }
}

pub fn parse_outcome(s: &str) -> Option<Outcome> {
    match s {
        "fixed" => Some(Outcome::Fixed),
        "not_fixed" => Some(Outcome::NotFixed),
        "cannot_do" => Some(Outcome::CannotDo),
        _ => None,
    }
}

impl Session {
    pub fn new(kb: &Kb) -> Session {
        Session {
            v: SESSION_VERSION,
            kb: kb.id.clone(),
            kb_version: kb.version.clone(),
            model: None,
            provider: None,
            answers: Vec::new(),
            steps: Vec::new(),
            started_ms: None,
            opened: false,
            sn: None,
        }
    }

    /// True when `fact=value` names a question and one of its answers (or
    /// "not sure") in `kb`.
    pub fn valid_answer(kb: &Kb, fact: &str, value: &str) -> bool {
        kb.question_index(fact)
            .is_some_and(|q| value == NOT_SURE || kb.questions[q].answers.iter().any(|a| a.value == value))
    }

    /// Records an answer to a question, replacing an earlier answer to the
    /// same fact. Returns false (and changes nothing) when the KB has no
    /// such answer.
    pub fn answer(&mut self, kb: &Kb, fact: &str, value: &str) -> bool {
        self.answer_from(kb, fact, value, Source::Question)
    }

    /// `answer`, remembering where the answer came from.
    pub fn answer_from(&mut self, kb: &Kb, fact: &str, value: &str, source: Source) -> bool {
        if !Session::valid_answer(kb, fact, value) {
            return false;
        }
        self.answers.retain(|a| a.fact != fact);
        self.answers.push(SavedAnswer { fact: fact.into(), value: value.into(), source });
        true
    }

    /// Forgets the answer to `fact`; returns whether there was one.
    pub fn forget(&mut self, fact: &str) -> bool {
        let before = self.answers.len();
        self.answers.retain(|a| a.fact != fact);
        self.answers.len() < before
    }

    pub fn answer_of(&self, fact: &str) -> Option<&str> {
        self.answers.iter().find(|a| a.fact == fact).map(|a| a.value.as_str())
    }

    /// Records a step outcome, replacing an earlier one for the same step.
    pub fn mark(&mut self, kb: &Kb, action: &str, outcome: Outcome) -> bool {
        if kb.action_index(action).is_none() {
            return false;
        }
        self.steps.retain(|s| s.action != action);
        self.steps.push(SavedStep { action: action.into(), outcome });
        true
    }

    /// Takes a step's outcome back (a mis-tap): the step is to do again.
    pub fn unmark(&mut self, action: &str) -> bool {
        let before = self.steps.len();
        self.steps.retain(|s| s.action != action);
        self.steps.len() != before
    }

    pub fn outcome_of(&self, action: &str) -> Option<Outcome> {
        self.steps.iter().find(|s| s.action == action).map(|s| s.outcome)
    }

    /// The engine's view of this session. Ids the KB does not know are
    /// skipped and returned, so the caller can say so.
    pub fn evidence(&self, kb: &Kb) -> (Evidence, Vec<String>) {
        let mut ev = Evidence::default();
        let mut unknown = Vec::new();
        for a in &self.answers {
            let Some(q) = kb.question_index(&a.fact) else {
                unknown.push(crate::concat(&[a.fact.as_str(), "=", &a.value]));
                continue;
            };
            if a.value == NOT_SURE {
                ev.answers.push((q, None));
            } else if let Some(j) = kb.questions[q].answers.iter().position(|x| x.value == a.value) {
                ev.answers.push((q, Some(j)));
            } else {
                unknown.push(crate::concat(&[a.fact.as_str(), "=", &a.value]));
            }
        }
        for s in &self.steps {
            match kb.action_index(&s.action) {
                Some(a) => ev.outcomes.push((a, s.outcome)),
                None => unknown.push(crate::concat(&[s.action.as_str(), "=", outcome_id(s.outcome)])),
            }
        }
        (ev, unknown)
    }

    /// Drops everything the KB does not know; returns how many entries went.
    pub fn prune(&mut self, kb: &Kb) -> usize {
        let before = self.answers.len() + self.steps.len();
        self.answers.retain(|a| Session::valid_answer(kb, &a.fact, &a.value));
        self.steps.retain(|s| kb.action_index(&s.action).is_some());
        before - self.answers.len() - self.steps.len()
    }

    /// The saved form: a header line, then one `key value` line each.
    /// Plain text rather than JSON keeps a JSON library out of the page.
    pub fn to_text(&self) -> String {
        // Built by pushing, not format!: the page module carries no
        // formatting machinery.
        let mut out = String::new();
        let mut line = |parts: &[&str]| {
            for (i, p) in parts.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                out.push_str(p);
            }
            out.push('\n');
        };
        let mut version = String::new();
        crate::json::write_u64(&mut version, u64::from(self.v));
        line(&[HEADER, &version]);
        line(&["kb", &clean(&self.kb), &clean(&self.kb_version)]);
        if let Some(m) = &self.model {
            line(&["model", &clean(m)]);
        }
        if let Some(p) = &self.provider {
            line(&["provider", &clean(p)]);
        }
        if let Some(ms) = self.started_ms {
            if ms.is_finite() && ms >= 0.0 {
                let mut n = String::new();
                crate::json::write_u64(&mut n, ms as u64);
                line(&["started", &n]);
            }
        }
        if self.opened {
            line(&["opened"]);
        }
        if let Some(sn) = &self.sn {
            line(&["sn", &clean(sn)]);
        }
        for a in &self.answers {
            // The source only when it is not a question: saved progress of
            // question answers reads as it always did.
            match a.source {
                Source::Question => line(&["a", &clean(&a.fact), &clean(&a.value)]),
                source => line(&["a", &clean(&a.fact), &clean(&a.value), source.id()]),
            }
        }
        for s in &self.steps {
            line(&["s", &clean(&s.action), outcome_id(s.outcome)]);
        }
        out
    }
}

const HEADER: &str = "posdoctor-session";

/// Ids never hold spaces or line breaks in a KB worth saving; if one does,
/// it is saved mangled and then dropped as unknown on restore. (ASCII
/// whitespace is all that can split the saved lines and words.)
fn clean(s: &str) -> String {
    s.chars().map(|c| if c.is_ascii_whitespace() { '_' } else { c }).collect()
}

/// Why saved progress could not be restored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RestoreError {
    /// Not a session at all (damaged, truncated, foreign data).
    Corrupt,
    /// A format version this build cannot read.
    Version(u32),
    /// Made with another knowledge base.
    OtherKb,
}

/// Reads saved progress. Never panics, whatever the text.
pub fn restore(kb: &Kb, text: &str) -> Result<(Session, usize), RestoreError> {
    let mut lines = crate::pieces(text, b'\n').map(|line| line.strip_suffix('\r').unwrap_or(line));
    let header = lines.next().ok_or(RestoreError::Corrupt)?;
    let v = header.strip_prefix(HEADER).and_then(|rest| rest.trim_ascii().parse::<u32>().ok()).ok_or(RestoreError::Corrupt)?;
    if v != SESSION_VERSION {
        return Err(RestoreError::Version(v));
    }
    let mut session = Session::new(kb);
    let mut kb_seen = false;
    let mut bad_ids = 0;
    // Any step line, even one with an outcome this build does not know.
    let mut any_step = false;
    for line in lines {
        let mut words = crate::pieces(line, b' ');
        match [words.next(), words.next(), words.next(), words.next(), words.next()] {
            [Some("kb"), Some(id), Some(_version), None, None] => {
                // Saved through `clean`: a KB id with a space is saved mangled.
                if id != clean(&kb.id) {
                    return Err(RestoreError::OtherKb);
                }
                kb_seen = true;
            }
            // Only ever saved from a deep link's ids; anything else was
            // tampered with and is dropped like an unknown fact.
            [Some("model"), Some(m), None, None, None] if crate::profile::is_id(m) => session.model = Some(m.to_string()),
            [Some("provider"), Some(p), None, None, None] if crate::profile::is_id(p) => session.provider = Some(p.to_string()),
            [Some("model" | "provider"), Some(_), None, None, None] => bad_ids += 1,
            [Some("started"), Some(ms), None, None, None] => {
                session.started_ms = Some(ms.parse::<u64>().map_err(|_| RestoreError::Corrupt)? as f64)
            }
            [Some("opened"), None, None, None, None] => session.opened = true,
            // Only ever saved through `clean_sn`; anything else is dropped.
            [Some("sn"), Some(sn), None, None, None] => match clean_sn(sn) {
                Some(clean) if clean == sn => session.sn = Some(clean),
                _ => bad_ids += 1,
            },
            // A repeated entry replaces the earlier one, as a tap would.
            // Without a source (saved before answers had one): a question's;
            // an unknown source (a later version's) too.
            [Some("a"), Some(fact), Some(value), source, None] => {
                let source = source.and_then(Source::parse).unwrap_or_default();
                session.answers.retain(|a| a.fact != fact);
                session.answers.push(SavedAnswer { fact: fact.into(), value: value.into(), source })
            }
            [Some("s"), Some(action), Some(outcome), None, None] => {
                // An unknown outcome (a later version's) drops the step.
                any_step = true;
                session.steps.retain(|s| s.action != action);
                match parse_outcome(outcome) {
                    Some(outcome) => session.steps.push(SavedStep { action: action.into(), outcome }),
                    None => bad_ids += 1,
                }
            }
            [Some(""), None, None, None, None] => {}
            _ => return Err(RestoreError::Corrupt),
        }
    }
    if !kb_seen {
        return Err(RestoreError::Corrupt);
    }
    // Progress saved before the say-what-you-know screen existed, or
    // anything the merchant answered or did past it: the screen is behind.
    if session.answers.iter().any(|a| a.source == Source::Question) || any_step {
        session.opened = true;
    }
    let dropped = session.prune(kb) + bad_ids;
    Ok((session, dropped))
}

/// A deep link: `#model=…&provider=…&lang=…&f.FACT=VALUE`, or `#case=CODE`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Link {
    pub model: Option<String>,
    pub provider: Option<String>,
    pub lang: Option<Lang>,
    pub facts: Vec<(String, String)>,
    pub case: Option<String>,
    /// Parameters that were ignored, as they appeared (decoded, shortened).
    pub ignored: Vec<String>,
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let digit = |b: u8| (b as char).to_digit(16);
                let (hi, lo) = (digit(*bytes.get(i + 1)?)?, digit(*bytes.get(i + 2)?)?);
                out.push((hi * 16 + lo) as u8);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// The first 40 characters, and "…" if there were more.
fn shorten(s: &str) -> String {
    match s.char_indices().nth(40) {
        Some((end, _)) => crate::concat(&[&s[..end], "…"]),
        None => s.to_string(),
    }
}

impl Link {
    /// Parses a location hash (with or without the leading `#`). Facts are
    /// checked against `kb`; anything unknown or malformed is ignored and
    /// listed in `ignored`, never an error.
    pub fn parse(hash: &str, kb: &Kb) -> Link {
        let mut link = Link::default();
        let hash = hash.strip_prefix('#').unwrap_or(hash);
        // A link longer than any QR code holds is junk; do not even split it.
        if hash.len() > 4096 {
            link.ignored.push(shorten(hash));
            return link;
        }
        for part in crate::pieces(hash, b'&').filter(|p| !p.is_empty()) {
            let eq = part.bytes().position(|b| b == b'=').unwrap_or(part.len());
            let (key, value) = (&part[..eq], part.get(eq + 1..).unwrap_or(""));
            let (Some(key), Some(value)) = (percent_decode(key), percent_decode(value)) else {
                link.ignored.push(shorten(part));
                continue;
            };
            let ok = match key.as_str() {
                "model" if crate::profile::is_id(&value) && link.model.is_none() => {
                    link.model = Some(value.clone());
                    true
                }
                "provider" if crate::profile::is_id(&value) && link.provider.is_none() => {
                    link.provider = Some(value.clone());
                    true
                }
                "lang" if link.lang.is_none() => match Lang::parse(&value) {
                    Some(l) => {
                        link.lang = Some(l);
                        true
                    }
                    None => false,
                },
                "case" if link.case.is_none() && !value.is_empty() && value.len() <= 400 => {
                    link.case = Some(value.clone());
                    true
                }
                k => match k.strip_prefix("f.") {
                    Some(fact)
                        if Session::valid_answer(kb, fact, &value)
                            && value != NOT_SURE
                            && !link.facts.iter().any(|(f, _)| f == fact) =>
                    {
                        link.facts.push((fact.to_string(), value.clone()));
                        true
                    }
                    _ => false,
                },
            };
            if !ok {
                link.ignored.push(shorten(&crate::concat(&[key.as_str(), "=", value.as_str()])));
            }
        }
        link
    }
}
