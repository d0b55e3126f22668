//! The view model: everything the page shows, decided here, drawn by JS.
//! Text comes from the knowledge base and `i18n`, in the page's language;
//! the page sets all of it as text, never as HTML.

use crate::app::Opening;
use crate::engine::{rank, Block, Decision, Next, Outcome};
use crate::i18n::{self, t};
use crate::kb::{Kb, Lang, Shows, TOPICS};
use crate::profile::Profile;
use crate::session::{Session, NOT_SURE};
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use crate::json::ToJson;
use crate::to_json_fields;

/// How many likely causes the page shows.
const CAUSES_SHOWN: usize = 5;
/// Causes below this probability are not worth a bar.
const CAUSE_MIN_P: f64 = 0.005;
/// A cause below this share is not named in a step's "addresses".
const ADDRESS_MIN_P: f64 = 0.02;
/// How many steps are shown before "more steps".
const STEPS_SHOWN: usize = 4;
const TIPS_SHOWN: usize = 4;

/// Past this many hours since the merchant paid, the usual wait (minutes,
/// the KB's "usually" text) is over; past a day, any usual wait is.
const HOUR: f64 = 1.0;
const DAY: f64 = 24.0;

#[derive(Debug, Clone, Serialize)]
pub struct View {
    pub lang: &'static str,
    /// "merchant", or "support" for the read-only view of a case code.
    pub mode: &'static str,
    /// "opening" | "question" | "step" | "resolved" | "exhausted"
    pub status: &'static str,
    pub title: String,
    /// Who and what this is for, at the top of the widget: the provider a
    /// link or the host page names, and the terminal model (None when
    /// neither is known).
    pub brand: Option<BrandView>,
    pub question: Option<QuestionView>,
    pub causes: Vec<CauseView>,
    pub steps: Vec<StepView>,
    pub tips: Vec<TipView>,
    pub answers: Vec<AnswerView>,
    /// The say-what-you-know screen, while it shows.
    pub opening: Option<OpeningView>,
    pub support: SupportView,
    pub notices: Vec<NoticeView>,
    pub ui: Ui,
    pub kb: KbInfo,
}

/// The page's own words in one language, serialised as a map straight
/// from the static table.
#[derive(Debug, Clone, Copy)]
pub struct Ui(pub Lang);

impl Serialize for Ui {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        for (k, v) in i18n::all(self.0) {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct BrandView {
    /// The provider's name (None for the neutral profile).
    pub provider: Option<String>,
    pub model: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct KbInfo {
    pub id: String,
    pub version: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct QuestionView {
    pub fact: String,
    pub text: String,
    pub help: Option<String>,
    pub answers: Vec<AnswerOption>,
    /// Questions answered so far, for "question N".
    pub number: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct AnswerOption {
    /// The fact this button answers: the question's own, or another's
    /// that is offered inside it (`offered_in`).
    pub fact: String,
    pub value: String,
    pub label: String,
    pub picture: Option<String>,
    /// The answer's Chinese words when the page is in another language:
    /// what the terminal's screen really shows, for the screen pictures.
    pub native: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CauseView {
    pub id: String,
    pub name: String,
    pub detail: String,
    pub p: f64,
    pub pct: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct Addressed {
    pub cause: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct StepView {
    pub id: String,
    pub title: String,
    pub how: Vec<String>,
    pub why: String,
    /// The causes this step may fix, most likely first (none once done:
    /// what it addressed then is stale).
    pub addresses: Vec<Addressed>,
    /// Its chance of fixing it if done now, in words ("good", "fair",
    /// "small", "slim"; None once done): a bare percentage next to a step
    /// reads as the chance the step works at all.
    pub chance: Option<&'static str>,
    /// "todo" | "fixed" | "not_fixed" | "cannot_do"
    pub state: &'static str,
    pub next: bool,
    /// Shown at once, or folded under "more steps".
    pub folded: bool,
    pub minutes: f64,
    /// Held back by a safety rule: what to do first, in words.
    pub blocked: Option<&'static str>,
    /// On the step the KB marks `"shows": "activation_wait"`: the wait the
    /// provider states, and what to do when the merchant paid long enough
    /// ago that the usual wait is over.
    pub wait: Vec<String>,
    /// A link from the provider's profile that does this step online (on
    /// the steps the KB marks `status_url` or `service_url`).
    pub link: Option<LinkView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LinkView {
    /// https only, checked when the profile was loaded and here again.
    pub url: String,
    pub text: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct TipView {
    pub id: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct AnswerView {
    pub fact: String,
    pub value: String,
    pub question: String,
    pub answer: String,
    /// "question" | "opening" | "link"
    pub source: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct OpeningView {
    /// Reopened from "Your answers" to add more.
    pub adding: bool,
    /// The chips by topic, in screen order; topics without chips left out.
    pub topics: Vec<TopicView>,
    /// What was understood in the merchant's words, for the live region
    /// (empty while the box is empty).
    pub understood: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TopicView {
    pub id: &'static str,
    pub title: &'static str,
    pub chips: Vec<ChipView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChipView {
    pub fact: String,
    pub value: String,
    pub text: String,
    pub pressed: bool,
    /// The extractor chose it; `words` are what triggered it.
    pub understood: bool,
    pub words: Option<String>,
    /// Behind the "more" control (unless pressed or understood).
    pub more: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct SupportView {
    pub provider: String,
    pub app: Option<String>,
    pub hotline: Option<String>,
    /// Where the merchant finds the support number: the terminal's label,
    /// the provider's official app (by name when the profile has it).
    pub where_to_find: String,
    /// The activation wait the provider states, if its profile has one.
    pub activation_wait: Option<String>,
    pub have_ready: Vec<String>,
    pub summary: String,
    pub case_code: String,
    pub color: Option<String>,
    /// The terminal model, when known (the support view names it).
    pub model: Option<String>,
    /// What the agent checks first (support view only).
    pub agent_checks: Vec<String>,
    /// The terminal's serial number the merchant typed (this device only).
    pub sn: Option<String>,
    /// The provider's online service, from its profile.
    pub service_url: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct NoticeView {
    /// "kb-fallback" | "storage" | "link" | "saved-progress" | "update" | "error"
    pub kind: &'static str,
    /// The i18n key of `text`, to translate it again on a language switch.
    #[serde(skip)]
    pub key: &'static str,
    pub text: &'static str,
}

to_json_fields!(View { lang, mode, status, title, brand, question, causes, steps, tips, answers, opening, support, notices, ui, kb });
to_json_fields!(KbInfo { id, version });
to_json_fields!(BrandView { provider, model });
to_json_fields!(LinkView { url, text });
to_json_fields!(QuestionView { fact, text, help, answers, number });
to_json_fields!(AnswerOption { fact, value, label, picture, native });
to_json_fields!(CauseView { id, name, detail, p, pct });
to_json_fields!(Addressed { cause, name });
to_json_fields!(StepView { id, title, how, why, addresses, chance, state, next, folded, minutes, blocked, wait, link });
to_json_fields!(TipView { id, text });
to_json_fields!(AnswerView { fact, value, question, answer, source });
to_json_fields!(OpeningView { adding, topics, understood });
to_json_fields!(TopicView { id, title, chips });
to_json_fields!(ChipView { fact, value, text, pressed, understood, words, more });
to_json_fields!(SupportView { provider, app, hotline, where_to_find, activation_wait, have_ready, summary, case_code, color, model, agent_checks, sn, service_url });
to_json_fields!(NoticeView { kind, text });

impl ToJson for Ui {
    fn write_json(&self, out: &mut String) {
        out.push('{');
        for (i, (k, v)) in i18n::all(self.0).enumerate() {
            if i > 0 {
                out.push(',');
            }
            k.write_json(out);
            out.push(':');
            v.write_json(out);
        }
        out.push('}');
    }
}

fn pct(p: f64) -> u32 {
    (p * 100.0).round().clamp(0.0, 100.0) as u32
}

/// A step's chance of fixing it now, in words a merchant reads correctly.
/// The bands: half or more is good; one in five fair; one in twenty small.
pub fn chance_words(lang: Lang, p: f64) -> &'static str {
    let key = if p >= 0.5 {
        "chance_good"
    } else if p >= 0.2 {
        "chance_fair"
    } else if p >= 0.05 {
        "chance_small"
    } else {
        "chance_slim"
    };
    t(lang, key)
}

fn state_id(o: Option<Outcome>) -> &'static str {
    o.map_or("todo", crate::session::outcome_id)
}

/// Everything `build` needs besides the engine's decision.
pub struct ViewInput<'a> {
    pub kb: &'a Kb,
    pub session: &'a Session,
    pub decision: &'a Decision,
    pub lang: Lang,
    pub profile: &'a Profile,
    pub support_mode: bool,
    pub notices: &'a [NoticeView],
    pub case_code: String,
    /// The say-what-you-know screen, while it shows.
    pub opening: Option<OpeningInput<'a>>,
    /// The phone's offset from UTC in minutes (Beijing: +480), so the
    /// summary's time is the one on the merchant's clock.
    pub utc_offset_min: i32,
}

/// The say-what-you-know screen's state: the controller's, and the value
/// each fact's chips show pressed (by question index).
pub struct OpeningInput<'a> {
    pub opening: &'a Opening,
    pub pressed: Vec<Option<usize>>,
    /// The chips' cue phrases are still on their way (with the cue pack and the extractor module):
    /// words typed so far cannot be read yet, which is not "nothing heard".
    pub cues_awaited: bool,
    /// What reads the words could not be loaded: they will not be read.
    pub words_unreadable: bool,
}

pub fn build(input: &ViewInput) -> View {
    let ViewInput { kb, session, decision, lang, profile, .. } = *input;
    let status = match decision.next {
        // Nothing is recommended while the say-what-you-know screen shows.
        _ if input.opening.is_some() => "opening",
        Next::Question(_) => "question",
        Next::Step(_) => "step",
        Next::Resolved(_) => "resolved",
        Next::Exhausted => "exhausted",
    };

    let question = match decision.next {
        Next::Question(q) if !input.support_mode => {
            let question = &kb.questions[q];
            // Its own answers, then those other questions offer here.
            let option = |f: usize, j: usize| {
                let a = &kb.questions[f].answers[j];
                AnswerOption {
                    fact: kb.questions[f].id.clone(),
                    value: a.value.clone(),
                    label: a.text.get(lang).to_string(),
                    picture: a.picture.clone(),
                    native: (lang != Lang::Zh).then(|| a.text.zh.clone()),
                }
            };
            let mut answers: Vec<AnswerOption> = (0..question.answers.len()).map(|j| option(q, j)).collect();
            for (f, j) in kb.offered_answers(q) {
                answers.push(option(f, j));
            }
            answers.push(AnswerOption {
                fact: question.id.clone(),
                value: NOT_SURE.into(),
                label: t(lang, "not_sure").into(),
                picture: None,
                native: None,
            });
            Some(QuestionView {
                fact: question.id.clone(),
                text: question.text.get(lang).to_string(),
                help: question.help.as_ref().map(|h| h.get(lang).to_string()),
                answers,
                number: session.answers.len() + 1,
            })
        }
        _ => None,
    };

    let mut ranked: Vec<(f64, usize)> = decision.beliefs.iter().copied().zip(0..).collect();
    rank(&mut ranked);
    // No bars before anything is known: the priors alone ("most likely
    // cause: 7 %") read as "not likely at all" and say nothing yet.
    let known = !session.answers.is_empty() || !session.steps.is_empty();
    let causes: Vec<CauseView> = ranked
        .iter()
        .filter(|_| known)
        .take(CAUSES_SHOWN)
        .filter(|&&(p, _)| p >= CAUSE_MIN_P)
        .map(|&(_, c)| CauseView {
            id: kb.causes[c].id.clone(),
            name: kb.causes[c].name.get(lang).to_string(),
            detail: kb.causes[c].detail.get(lang).to_string(),
            p: (decision.beliefs[c] * 1000.0).round() / 1000.0,
            pct: pct(decision.beliefs[c]),
        })
        .collect();

    let next_action = match decision.next {
        Next::Step(a) => Some(a),
        _ => None,
    };
    let step_view = |a: usize, addresses: &[(usize, f64)], folded: bool, blocked: Option<&'static str>| {
        let action = &kb.actions[a];
        let state = state_id(session.outcome_of(&action.id));
        // Once done, or once the problem is fixed, what a step addressed
        // and its chance are stale: not shown.
        let todo = state == "todo" && !matches!(decision.next, Next::Resolved(_));
        // The causes worth naming: 2 % or more, and at least the top one.
        let addressed: Vec<Addressed> = addresses
            .iter()
            .filter(|_| todo)
            .enumerate()
            .filter(|&(i, &(_, p))| i == 0 || p >= ADDRESS_MIN_P)
            .map(|(_, a)| a)
            .take(3)
            .map(|&(c, _)| Addressed { cause: kb.causes[c].id.clone(), name: kb.causes[c].name.get(lang).to_string() })
            .collect();
        // P(this step fixes it if done now) = Σ P(cause) · P(fixed | cause).
        let p_fix: f64 = action.fixes.iter().map(|&(c, p)| decision.beliefs.get(c).copied().unwrap_or(0.0) * p).sum();
        StepView {
            id: action.id.clone(),
            title: action.title.get(lang).to_string(),
            how: action.how.get(lang).to_vec(),
            why: action.why.get(lang).to_string(),
            addresses: addressed,
            chance: todo.then(|| chance_words(lang, p_fix)),
            state,
            next: next_action == Some(a) && !input.support_mode && blocked.is_none(),
            folded,
            minutes: action.minutes,
            blocked,
            // What the KB marks this step to show from the provider's
            // profile; a KB without the marks gets no such line or link.
            wait: match action.shows {
                Some(Shows::ActivationWait { since }) if todo => wait_lines(kb, since, profile, session, lang),
                _ => Vec::new(),
            },
            link: action.shows.filter(|_| todo).and_then(|shows| step_link(profile, shows, lang)),
        }
    };
    // The plan first (what to do, in order), then what was done.
    let mut steps: Vec<StepView> =
        decision.plan.iter().enumerate().map(|(i, s)| step_view(s.action, &s.addresses, i >= STEPS_SHOWN, None)).collect();
    let addresses = |a: usize| -> Vec<(usize, f64)> {
        let mut list: Vec<(f64, usize)> = kb.actions[a].fixes.iter().map(|&(c, _)| (decision.beliefs[c], c)).collect();
        rank(&mut list);
        list.into_iter().map(|(p, c)| (c, p)).collect()
    };
    // Steps a safety rule holds back: shown, never next, with what to do first.
    for &(a, block) in &decision.blocked {
        if a < kb.actions.len() && session.outcome_of(&kb.actions[a].id).is_none() {
            let why = match block {
                Block::AlreadyPaid => t(lang, "blocked_already_paid"),
                Block::Unverified => t(lang, "blocked_unverified"),
            };
            steps.push(step_view(a, &addresses(a), false, Some(why)));
        }
    }
    for saved in &session.steps {
        if let Some(a) = kb.action_index(&saved.action) {
            steps.push(step_view(a, &addresses(a), false, None));
        }
    }

    // Tips for what is likely: weight each tip by the belief in its causes.
    let mut tips: Vec<(f64, usize)> = kb
        .tips
        .iter()
        .enumerate()
        .map(|(i, tip)| (tip.causes.iter().map(|&c| decision.beliefs[c]).sum::<f64>(), i))
        .collect();
    rank(&mut tips);
    let tips: Vec<TipView> = tips
        .iter()
        .take(TIPS_SHOWN)
        .map(|&(_, i)| TipView { id: kb.tips[i].id.clone(), text: kb.tips[i].text.get(lang).to_string() })
        .collect();

    let answers: Vec<AnswerView> = session
        .answers
        .iter()
        .filter_map(|a| {
            let q = kb.question_index(&a.fact)?;
            let question = &kb.questions[q];
            let answer = if a.value == NOT_SURE {
                t(lang, "not_sure").to_string()
            } else {
                question.answers.iter().find(|x| x.value == a.value)?.text.get(lang).to_string()
            };
            Some(AnswerView {
                fact: a.fact.clone(),
                value: a.value.clone(),
                question: question.text.get(lang).to_string(),
                answer,
                source: a.source.id(),
            })
        })
        .collect();

    let provider = profile.name(lang).unwrap_or(t(lang, "neutral_provider")).to_string();
    let summary = summary_text(input, &answers, &causes, &provider);
    let support = SupportView {
        provider,
        app: profile.app.as_ref().map(|a| a.get(lang).to_string()),
        hotline: profile.hotline.clone(),
        where_to_find: where_to_find(profile, lang),
        activation_wait: profile.activation_wait.as_ref().map(|w| w.get(lang).to_string()),
        // The merchant types the SN into its own field (the page draws it
        // as this list's first item).
        have_ready: ["ready_sn", "ready_merchant_no", "ready_receipt", "ready_screen"]
            .iter()
            .filter(|&&k| input.support_mode || k != "ready_sn")
            .map(|k| t(lang, k).to_string())
            .collect(),
        summary,
        case_code: input.case_code.clone(),
        color: profile.color.clone(),
        model: session.model.clone(),
        agent_checks: if input.support_mode { agent_checks(lang, &causes) } else { Vec::new() },
        sn: session.sn.clone(),
        service_url: profile.service_url.clone().filter(|u| crate::profile::url_ok(u)),
    };
    let brand = (profile.name.is_some() || session.model.is_some())
        .then(|| BrandView { provider: profile.name(lang).map(str::to_string), model: session.model.clone() });

    View {
        lang: lang.code(),
        mode: if input.support_mode { "support" } else { "merchant" },
        status,
        title: kb.title.get(lang).to_string(),
        brand,
        question,
        causes,
        steps,
        tips,
        answers,
        opening: input.opening.as_ref().map(|o| opening_view(kb, lang, o)),
        support,
        notices: input.notices.to_vec(),
        ui: Ui(lang),
        kb: KbInfo { id: kb.id.clone(), version: kb.version.clone() },
    }
}

/// The say-what-you-know screen: the KB's chips by topic, pressed as the
/// controller says, lit where the extractor understood them.
fn opening_view(kb: &Kb, lang: Lang, input: &OpeningInput) -> OpeningView {
    let understood = &input.opening.understood;
    let mut topics: Vec<TopicView> = TOPICS
        .iter()
        .map(|&id| TopicView { id, title: t(lang, topic_key(id)), chips: Vec::new() })
        .collect();
    let mut heard: Vec<&str> = Vec::new();
    for (o, obs) in kb.observations.iter().enumerate() {
        let Some(topic) = topics.get_mut(obs.topic) else { continue };
        let question = &kb.questions[obs.question];
        let words = understood.iter().find(|(u, _)| *u == o).map(|(_, w)| w.clone());
        let pressed = input.pressed.get(obs.question).copied().flatten() == Some(obs.answer);
        if words.is_some() {
            heard.push(obs.text.get(lang));
        }
        topic.chips.push(ChipView {
            fact: question.id.clone(),
            value: question.answers[obs.answer].value.clone(),
            text: obs.text.get(lang).to_string(),
            pressed,
            understood: words.is_some(),
            // A chip that is pressed or understood is never hidden.
            more: obs.more && !pressed && words.is_none(),
            words,
        });
    }
    topics.retain(|topic| !topic.chips.is_empty());
    let understood = if !input.opening.typed {
        String::new()
    } else if heard.is_empty() && input.words_unreadable {
        t(lang, "understood_failed").to_string()
    } else if heard.is_empty() && input.cues_awaited {
        t(lang, "understood_waiting").to_string()
    } else if heard.is_empty() {
        t(lang, "understood_none").to_string()
    } else {
        let mut text = t(lang, "understood_prefix").to_string();
        for (i, h) in heard.iter().enumerate() {
            if i > 0 {
                text.push_str(t(lang, "list_separator"));
            }
            text.push_str(h);
        }
        text
    };
    OpeningView { adding: input.opening.adding, topics, understood }
}

fn topic_key(topic: &str) -> &'static str {
    match topic {
        "payment" => "topic_payment",
        "time" => "topic_time",
        "network" => "topic_network",
        "screen" => "topic_screen",
        "notices" => "topic_notices",
        _ => "topic_account",
    }
}

/// The wait step's own lines: the wait the provider states, then, when
/// the merchant paid long enough ago, that the usual wait is over and what
/// to do instead of waiting on. Over a day is past any usual wait; over an
/// hour is past the usual minutes (the KB's "usually" text) unless the
/// provider states its own wait, which the merchant then compares. How long
/// ago is the `hours` of the chip for the answer to `since`.
fn wait_lines(kb: &Kb, since: Option<usize>, profile: &Profile, session: &Session, lang: Lang) -> Vec<String> {
    let mut lines = Vec::new();
    let stated = profile.activation_wait.as_ref().map(|w| w.get(lang));
    if let Some(w) = stated {
        lines.push(crate::concat(&[t(lang, "activation_wait"), w]));
    }
    let key = match (since.and_then(|q| hours_at_least(kb, session, q)), stated) {
        (Some(h), _) if h >= DAY => "wait_passed_day",
        (Some(h), None) if h >= HOUR => "wait_passed_hour",
        (Some(h), Some(_)) if h >= HOUR => "wait_check_stated",
        _ => return lines,
    };
    lines.push(t(lang, key).to_string());
    lines
}

/// At least how many hours ago, by the merchant's answer to the time-since
/// question `q`: the lower end of that answer's chip's `hours`. None when
/// unanswered, "not sure", or the answer has no such chip.
fn hours_at_least(kb: &Kb, session: &Session, q: usize) -> Option<f64> {
    let question = kb.questions.get(q)?;
    let value = session.answer_of(&question.id)?;
    let answer = question.answers.iter().position(|a| a.value == value)?;
    kb.observations.iter().find(|o| o.question == q && o.answer == answer)?.hours.map(|(lo, _)| lo)
}

/// The profile's link for a step marked to show one, if it is https.
fn step_link(profile: &Profile, shows: Shows, lang: Lang) -> Option<LinkView> {
    let (url, text) = match shows {
        Shows::StatusUrl => (profile.status_url.as_ref(), "status_link"),
        Shows::ServiceUrl => (profile.service_url.as_ref(), "service_link"),
        Shows::ActivationWait { .. } => return None,
    };
    url.filter(|u| crate::profile::url_ok(u)).map(|u| LinkView { url: u.clone(), text: t(lang, text) })
}

/// What an agent checks first on the provider's side: the payment and
/// the terminal's status (which only the provider can see), the likeliest
/// cause, and that the merchant's steps need not be repeated.
fn agent_checks(lang: Lang, causes: &[CauseView]) -> Vec<String> {
    let mut out = vec![t(lang, "agent_check_payment").to_string(), t(lang, "agent_check_status").to_string()];
    if let Some(c) = causes.first() {
        out.push(fill(t(lang, "agent_check_cause"), &c.name));
    }
    out.push(t(lang, "agent_check_done").to_string());
    out
}

/// Where to find the support number: the label on the terminal, or the
/// provider's official app, named when the profile knows it. Never a number.
fn where_to_find(profile: &Profile, lang: Lang) -> String {
    match (&profile.app, profile.name(lang)) {
        (Some(app), _) => fill(t(lang, "where_to_find_app"), app.get(lang)),
        (None, Some(name)) => fill(t(lang, "where_to_find_named"), name),
        (None, None) => t(lang, "where_to_find").to_string(),
    }
}

/// A page sentence with its one `{placeholder}` filled in. (By hand: a
/// `str::replace` brings a substring-search engine into the wasm.)
fn fill(template: &str, value: &str) -> String {
    let at = |c: u8| template.bytes().position(|b| b == c);
    match (at(b'{'), at(b'}')) {
        (Some(open), Some(close)) if open < close => crate::concat(&[&template[..open], value, &template[close + 1..]]),
        _ => template.to_string(),
    }
}

/// The hand-off text a merchant copies to support: plain lines, no markup.
fn summary_text(input: &ViewInput, answers: &[AnswerView], causes: &[CauseView], provider: &str) -> String {
    let ViewInput { kb, session, lang, .. } = *input;
    // Lines pushed piece by piece, not format! or join: the page module
    // carries no formatting machinery.
    let mut out = String::new();
    let mut line = |parts: &[&str]| {
        if !out.is_empty() {
            out.push('\n');
        }
        parts.iter().for_each(|p| out.push_str(p));
    };
    line(&[kb.title.get(lang), " — ", t(lang, "summary_heading")]);
    if let Some(ms) = session.started_ms {
        line(&[t(lang, "label_time"), ": ", &local_minute(ms, input.utc_offset_min)]);
    }
    if let Some(m) = &session.model {
        line(&[t(lang, "label_model"), ": ", m]);
    }
    line(&[t(lang, "label_provider"), ": ", provider]);
    if let Some(sn) = &session.sn {
        line(&[t(lang, "label_sn"), ": ", sn]);
    }
    line(&[t(lang, "label_answers"), ":"]);
    if answers.is_empty() {
        line(&["- ", t(lang, "label_none")]);
    }
    for a in answers {
        line(&["- ", &a.question, " ", &a.answer]);
    }
    line(&[t(lang, "label_steps"), ":"]);
    let done: Vec<_> = session.steps.iter().filter_map(|s| Some((kb.action_index(&s.action)?, s.outcome))).collect();
    if done.is_empty() {
        line(&["- ", t(lang, "label_none")]);
    }
    for (a, outcome) in done {
        let key = match outcome {
            Outcome::Fixed => "state_fixed",
            Outcome::NotFixed => "state_not_fixed",
            Outcome::CannotDo => "state_cannot_do",
        };
        line(&["- ", kb.actions[a].title.get(lang), ": ", t(lang, key)]);
    }
    line(&[t(lang, "label_causes"), ":"]);
    for c in causes.iter().take(3) {
        let mut pct = String::new();
        crate::json::write_u64(&mut pct, u64::from(c.pct));
        line(&["- ", &c.name, " ", &pct, "%"]);
    }
    line(&[t(lang, "case_code"), ": ", &input.case_code]);
    out
}

/// "2026-11-26 14:59 (UTC+8)": the phone's local minute, with its offset
/// so an agent elsewhere reads it right.
pub fn local_minute(ms: f64, offset_min: i32) -> String {
    // Offsets beyond ±14 h are no real time zone: UTC then.
    let offset_min = if offset_min.abs() <= 14 * 60 { offset_min } else { 0 };
    let local = ms + f64::from(offset_min) * 60_000.0;
    let mut out = utc_minute(local);
    if out.is_empty() {
        return out;
    }
    out.truncate(out.len() - " UTC".len());
    out.push_str(" (UTC");
    if offset_min != 0 {
        out.push(if offset_min < 0 { '-' } else { '+' });
        let (h, m) = (offset_min.unsigned_abs() / 60, offset_min.unsigned_abs() % 60);
        crate::json::write_u64(&mut out, u64::from(h));
        if m != 0 {
            out.push(':');
            if m < 10 {
                out.push('0');
            }
            crate::json::write_u64(&mut out, u64::from(m));
        }
    }
    out.push(')');
    out
}

/// "2026-11-26 14:05 UTC" from milliseconds since the epoch, without a
/// date library (days-from-civil, Howard Hinnant).
pub fn utc_minute(ms: f64) -> String {
    if !ms.is_finite() || ms < 0.0 {
        return String::new();
    }
    // Unsigned: no dates before 1970 reach here, and u64 division is less wasm.
    let secs = (ms / 1000.0) as u64;
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + u64::from(m <= 2);
    let mut out = String::new();
    for (n, width, after) in [(y, 4, "-"), (m, 2, "-"), (d, 2, " "), (rem / 3600, 2, ":"), (rem % 3600 / 60, 2, " UTC")] {
        let mut digits = String::new();
        crate::json::write_u64(&mut digits, n);
        for _ in digits.len()..width {
            out.push('0');
        }
        out.push_str(&digits);
        out.push_str(after);
    }
    out
}
