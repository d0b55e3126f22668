//! The knowledge base: what can be wrong (causes), what the merchant can be
//! asked (questions about facts), what they can do (actions) and how to
//! prevent it (tips). Content is data: this module only loads and checks it.
//!
//! Loading never stops at the first problem: `load` walks the whole JSON and
//! returns every error with its JSON path, so a knowledge-base author fixes
//! everything in one round.

#[cfg(feature = "cli")]
mod raw;
pub(crate) mod json_path;
pub mod packed;
mod rules;
mod validate;

#[cfg(feature = "cli")]
pub use raw::RawKb;
pub use validate::{load, load_bytes, load_source, KbError, MAX_KB_BYTES};

/// The answer value every question has besides the KB's own: "not sure"
/// (the engine's `None`). Reserved: no KB may list it.
pub const NOT_SURE: &str = "not_sure";

/// A text in both languages the product speaks.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Text {
    pub zh: String,
    pub en: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// Accepts BCP 47 tags loosely: any `zh*` is Chinese, any `en*` English.
    pub fn parse(tag: &str) -> Option<Lang> {
        // Bytes, not a lowercased copy: no allocation, less wasm.
        let t = tag.trim_ascii().as_bytes();
        let is = |code: &[u8]| {
            t.len() >= 2 && t[..2].eq_ignore_ascii_case(code) && matches!(t.get(2), None | Some(b'-' | b'_'))
        };
        if is(b"zh") {
            Some(Lang::Zh)
        } else if is(b"en") {
            Some(Lang::En)
        } else {
            None
        }
    }
}

impl Text {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// A list of texts (how-to steps) in both languages.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TextList {
    pub zh: Vec<String>,
    pub en: Vec<String>,
}

impl TextList {
    pub fn get(&self, lang: Lang) -> &[String] {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// How merchant effort is weighed: every tap is a step, and minutes matter
/// too. Effective cost = per_step + per_minute × minutes.
#[derive(Debug, Clone, PartialEq)]
pub struct CostModel {
    pub per_step: f64,
    pub per_minute: f64,
}

impl CostModel {
    pub fn cost(&self, minutes: f64) -> f64 {
        self.per_step + self.per_minute * minutes
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cause {
    pub id: String,
    pub seed: bool,
    pub name: Text,
    pub detail: Text,
    pub prior: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub value: String,
    pub text: Text,
    pub picture: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    /// The fact this question observes.
    pub id: String,
    pub text: Text,
    pub help: Option<Text>,
    pub p_known: f64,
    /// Minutes to answer.
    pub minutes: f64,
    pub answers: Vec<Answer>,
    /// likelihood[cause][answer] = P(answer | cause); each row sums to 1.
    pub likelihood: Vec<Vec<f64>>,
    /// Questions (by index) whose known answer makes this one a repeat of
    /// the same observation: once one is answered, this is not asked.
    pub skip_if_known: Vec<usize>,
    /// Set when this question is never asked on its own: some of its
    /// answers are offered among another question's (JSON `"offered_in"`).
    pub offered_in: Option<OfferedIn>,
}

/// Where a question that is never asked on its own is answered: `answers`
/// (indices into its own answers) are offered as further answers of
/// `question`, for a merchant who cannot give that question's own answer
/// ("did you see 续费成功?" inside "what did the payment say?": one
/// observation, asked once). JSON: `"offered_in": {"question": FACT,
/// "answers": [VALUE, …]}`.
#[derive(Debug, Clone, PartialEq)]
pub struct OfferedIn {
    pub question: usize,
    pub answers: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Action {
    pub id: String,
    pub title: Text,
    pub how: TextList,
    pub why: Text,
    /// Minutes of merchant effort.
    pub minutes: f64,
    /// Sparse P(fixed | cause): (cause index, probability > 0), by cause index.
    pub fixes: Vec<(usize, f64)>,
    /// The fee this step pays, if it pays one: an answer index of the
    /// safety section's fee question (`Safety::fee`). JSON: `"pays": VALUE`.
    pub pays: Option<usize>,
    /// What the page adds to this step from the provider's profile
    /// (JSON `"shows"`): marked in the KB, so a provider's own KB with
    /// other ids gets the wait lines and links too.
    pub shows: Option<Shows>,
}

/// The part of the merchant's provider profile a step shows beside its own
/// text. JSON: `"shows": "activation_wait" | "status_url" | "service_url"`
/// (the profile fields' names), and on the wait step optionally
/// `"wait_since": FACT`. A step that pays shows none of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shows {
    /// The wait the provider states and, when the merchant said how long
    /// ago the wait began (`since`: a fact, by question index, whose chips
    /// give `hours`), whether the usual wait is over. At most one step.
    ActivationWait { since: Option<usize> },
    /// A link to the provider's status page: a look-up done in one tap.
    StatusUrl,
    /// A link to the provider's online service (chat, official account).
    ServiceUrl,
}

impl Shows {
    /// The JSON spellings, in the order of `name`.
    pub const NAMES: [&'static str; 3] = ["activation_wait", "status_url", "service_url"];

    /// The marker a JSON spelling names; the wait step's `since` is filled
    /// in once the facts are known.
    pub fn from_name(name: &str) -> Option<Shows> {
        match Self::NAMES.iter().position(|n| *n == name)? {
            0 => Some(Shows::ActivationWait { since: None }),
            1 => Some(Shows::StatusUrl),
            _ => Some(Shows::ServiceUrl),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Shows::ActivationWait { .. } => Self::NAMES[0],
            Shows::StatusUrl => Self::NAMES[1],
            Shows::ServiceUrl => Self::NAMES[2],
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Tip {
    pub id: String,
    pub text: Text,
    pub causes: Vec<usize>,
}

/// The facts the safety rules read (DESIGN "Safety rules beat expected
/// cost"), named by the KB so the engine stays domain-free. JSON:
/// `"safety": {"paid": {"fact": F, "value": V}, "fee": F,
/// "untrusted": [{"fact": F, "value": V}, …], "verify": ACTION, "note": …}`.
/// A step that `pays` fee X is held back when (1) `paid` holds and the
/// `fee` question is unanswered or answered X (the money was taken: support
/// sorts out the first payment), or (2) any `untrusted` fact=value holds and
/// `verify` has not been done.
#[derive(Debug, Clone, PartialEq)]
pub struct Safety {
    /// (question, answer): the money for the fee was already taken.
    pub paid: (usize, usize),
    /// The question saying which fee was paid; `Action::pays` indexes its answers.
    pub fee: usize,
    /// (question, answer) pairs: the payment or notice came through a
    /// channel that may be a scam.
    pub untrusted: Vec<(usize, usize)>,
    /// The step that checks the real status in the official channel.
    pub verify: usize,
}

/// An observation chip on the say-what-you-know screen: one fact=value the
/// merchant can tap, and the cue phrases that recognise it in their words.
/// JSON: `{"fact": F, "value": V, "topic": T, "text": {zh-CN, en},
/// "cues": {"zh-CN": [...], "en": [...]}, "negated": V2?, "more": bool?,
/// "hours": [lo, hi]?, "anchors": {"zh-CN": [...], "en": [...]}?}`.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    /// The fact (question index) and its value (answer index).
    pub question: usize,
    pub answer: usize,
    /// One of `TOPICS`, by index: how the screen groups the chips.
    pub topic: usize,
    /// The chip's label.
    pub text: Text,
    /// Phrases that say this fact=value in free text, per language
    /// (matched case- and width-insensitively by the extractor).
    pub cues: TextList,
    /// The value (answer index) a negated cue means, where negation flips
    /// the meaning ("没扣钱" for money_deducted=yes gives no); `None`: a
    /// negated cue says nothing.
    pub negated: Option<usize>,
    /// Behind the "more" control (the screen shows about 20 at once).
    pub more: bool,
    /// For a time-since fact: a duration expression ("半小时前", "two days
    /// ago") of at least `lo` and under `hi` hours selects this chip ...
    pub hours: Option<(f64, f64)>,
    /// ... when its clause holds one of these words (so the time is about
    /// the payment, not the notice). Empty: any clause.
    pub anchors: TextList,
}

/// Words about the shop rather than the renewal, which the extractor reads
/// as context around the chips' cues, never as facts of their own. JSON:
/// `"shop_words": {"sales": {zh-CN, en}, "router": {zh-CN, en}, "providers"?,
/// "banks"?, "other_payments"?, "agents"?, "note"?}`.
/// Empty lists: no such context is read.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ShopWords {
    /// The sales at the till (一刷卡就, "every card"): the payment's chips
    /// said right after them are about a customer's card, not the renewal.
    pub sales: TextList,
    /// The shop's router or modem (路由器, "router"): a state said right
    /// after it is the router's, not the terminal's.
    pub router: TextList,
    /// Names of payment providers (随行付, 汇付, "Lakala"): read as "the
    /// provider", never as the words inside them ("随行付的" is no "付的").
    pub providers: TextList,
    /// Banks as merchants name them (银行, 建行, 工行): a bank's message
    /// and what it says are one clause across a comma ("收到建行短信，说今晚
    /// 维护"), where a person's message is relayed.
    pub banks: TextList,
    /// What a shop pays others (货款, 供应商, "rent"): said right after a
    /// verb of paying, that payment is no renewal, and its time is not the
    /// renewal's.
    pub other_payments: TextList,
    /// The provider's agent as merchants name them (业务员, 代理, "agent"):
    /// once one is named, a payment to 他 / "him" is a payment to the agent
    /// ("业务员拿来的机器，服务费交给他了"). The first of each language is
    /// the word the pronoun is read as.
    pub agents: TextList,
}

/// The topics chips are grouped by, in screen order.
pub const TOPICS: [&str; 6] = ["payment", "time", "network", "screen", "notices", "account"];

/// A validated knowledge base. Every index inside points into its own
/// vectors, every row of probabilities is well formed: the engine relies on
/// this and never fails on a `Kb`.
#[derive(Debug, Clone, PartialEq)]
pub struct Kb {
    pub id: String,
    pub version: String,
    pub title: Text,
    pub cost_model: CostModel,
    pub causes: Vec<Cause>,
    pub questions: Vec<Question>,
    pub actions: Vec<Action>,
    pub tips: Vec<Tip>,
    /// The say-what-you-know chips, in screen order (common ones first).
    pub observations: Vec<Observation>,
    /// `None`: the KB marks no paying steps and no rule applies.
    pub safety: Option<Safety>,
    /// Context words for the extractor (text pack).
    pub shop_words: ShopWords,
}

impl Kb {
    pub fn cause_index(&self, id: &str) -> Option<usize> {
        self.causes.iter().position(|c| c.id == id)
    }
    pub fn question_index(&self, fact: &str) -> Option<usize> {
        self.questions.iter().position(|q| q.id == fact)
    }
    pub fn action_index(&self, id: &str) -> Option<usize> {
        self.actions.iter().position(|a| a.id == id)
    }
    pub fn action_cost(&self, a: usize) -> f64 {
        self.cost_model.cost(self.actions[a].minutes)
    }
    pub fn question_cost(&self, q: usize) -> f64 {
        self.cost_model.cost(self.questions[q].minutes)
    }
    /// The answers other questions offer inside question `host`: (question,
    /// its answer index), in KB order. Shown after the host's own answers.
    /// (Plain loops: an iterator chain here cost the page module 2 KB.)
    pub fn offered_answers(&self, host: usize) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for (f, q) in self.questions.iter().enumerate() {
            if let Some(o) = q.offered_in.as_ref().filter(|o| o.question == host) {
                for &j in &o.answers {
                    out.push((f, j));
                }
            }
        }
        out
    }
}

/// The default knowledge base, compiled in so the widget works offline and
/// the CLI works with no path; minified, without its authoring notes
/// (build.rs). The source with notes is `kb/pos-renewal.json`.
pub const DEFAULT_KB_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/default-kb.json"));

/// The default knowledge base, validated. `./build.sh` validates it before
/// every build, so the error arm is for a broken checkout, never a merchant.
pub fn default_kb() -> Result<Kb, Vec<KbError>> {
    load(DEFAULT_KB_JSON)
}
