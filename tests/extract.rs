//! The extractor (src/extract.rs): one hand-written case per rule, property
//! tests (no panic, deterministic, ranges on char boundaries), and its
//! precision and recall on the public stories against the default KB's
//! observations.

use posdoctor::extract::{detect_lang, extract, Extraction};
use posdoctor::kb::{self, Answer, CostModel, Kb, Lang, Observation, Question, ShopWords, Text, TextList};
use proptest::prelude::*;
use serde_json::Value;
use std::collections::BTreeMap;

// ---------------------------------------------------------------------------
// A small KB for the rule cases: only the observations matter.

fn text(s: &str) -> Text {
    Text { zh: s.into(), en: s.into() }
}

fn list(zh: &[&str], en: &[&str]) -> TextList {
    TextList { zh: zh.iter().map(|s| s.to_string()).collect(), en: en.iter().map(|s| s.to_string()).collect() }
}

/// A question with the given values; the likelihood rows are of no
/// concern to the extractor.
fn question(fact: &str, values: &[&str]) -> Question {
    Question {
        id: fact.into(),
        text: text(fact),
        help: None,
        p_known: 0.5,
        minutes: 0.5,
        answers: values.iter().map(|v| Answer { value: v.to_string(), text: text(v), picture: None }).collect(),
        likelihood: Vec::new(),
        skip_if_known: Vec::new(),
        offered_in: None,
    }
}

/// A chip: fact=value, cues, the negated value, hours and anchors.
struct Chip<'a> {
    fact: &'a str,
    value: &'a str,
    zh: &'a [&'a str],
    en: &'a [&'a str],
    negated: Option<&'a str>,
    hours: Option<(f64, f64)>,
}

const fn chip<'a>(fact: &'a str, value: &'a str, zh: &'a [&'a str], en: &'a [&'a str], negated: Option<&'a str>) -> Chip<'a> {
    Chip { fact, value, zh, en, negated, hours: None }
}

fn rule_kb() -> Kb {
    let facts: &[(&str, &[&str])] = &[
        ("payment_result", &["success", "failed", "pending"]),
        ("money_deducted", &["yes", "no"]),
        ("time_since_payment", &["under_1h", "1h_to_24h", "over_24h"]),
        ("restarted_since", &["yes", "no"]),
        ("network_icon", &["none", "weak", "normal"]),
        ("connection", &["sim", "wifi", "wired"]),
        ("screen_message", &["suspended", "no_network", "signin_failed"]),
        ("fee_paid", &["service_fee", "sim_fee"]),
        ("documents_valid", &["yes", "no"]),
        ("paid_via", &["agent", "official_app"]),
    ];
    let chips = [
        chip("payment_result", "success", &["成功"], &["went through", "success"], None),
        chip("payment_result", "failed", &["失败"], &["failed"], None),
        chip("payment_result", "pending", &["处理中"], &["pending"], None),
        chip("money_deducted", "yes", &["扣了", "扣钱", "扣款", "交了"], &["paid", "charged"], Some("no")),
        chip("money_deducted", "no", &["没扣钱", "没扣款"], &["wasn't charged"], Some("yes")),
        chip("restarted_since", "yes", &["重启"], &["restart"], Some("no")),
        chip("restarted_since", "no", &["没关过机"], &[], Some("yes")),
        chip("network_icon", "none", &["没信号"], &["no signal"], None),
        chip("network_icon", "normal", &["网络正常", "信号满格"], &["full bars"], None),
        chip("connection", "wifi", &["wifi"], &["wifi"], None),
        chip("connection", "sim", &["插卡"], &["sim card"], None),
        chip("screen_message", "no_network", &["无网络", "没网"], &["no network"], None),
        chip("screen_message", "suspended", &["提示停机"], &["says suspended"], None),
        chip("screen_message", "signin_failed", &["签到失败", "提示签到", "屏幕…重新签到"], &["sign-in failed"], None),
        chip("fee_paid", "sim_fee", &["流量费"], &["sim fee"], None),
        chip("fee_paid", "service_fee", &["服务费"], &["service fee"], None),
        // Cues in two parts ("A…B": both, in this order, close, in one clause).
        chip("documents_valid", "no", &["身份证…过期"], &["id…expired"], Some("yes")),
        chip("documents_valid", "yes", &["身份证没过期"], &[], Some("no")),
        // A determiner in an English cue stands for any determiner.
        chip("paid_via", "agent", &[], &["through the agent"], None),
        chip("paid_via", "official_app", &["app里…交"], &["in the app…paid", "paid…in the app"], None),
        // The very same words listed for two facts say both.
        chip("fee_paid", "sim_fee", &["流量卡充了"], &["topped up the sim"], None),
        chip("money_deducted", "yes", &["流量卡充了"], &["topped up the sim", "paid…in the app"], Some("no")),
    ];
    let mut kb = Kb {
        id: "rules".into(),
        version: "1".into(),
        title: text("rules"),
        cost_model: CostModel { per_step: 1.0, per_minute: 0.1 },
        causes: Vec::new(),
        questions: facts.iter().map(|(f, v)| question(f, v)).collect(),
        actions: Vec::new(),
        tips: Vec::new(),
        observations: Vec::new(),
        safety: None,
        shop_words: ShopWords { sales: list(&["一刷卡就", "刷卡一直"], &["every card"]), router: list(&["路由器"], &["router"]), providers: list(&["随行付"], &["lakala"]), ..ShopWords::default() },
    };
    kb.observations = chips.iter().map(|c| observation(&kb, c)).collect();
    let time = ["续费", "交", "付", "成功", "扣"];
    for (value, lo, hi) in [("under_1h", 0.0, 1.0), ("1h_to_24h", 1.0, 24.0), ("over_24h", 24.0, 1e6)] {
        let c = Chip { fact: "time_since_payment", value, zh: &[], en: &[], negated: None, hours: Some((lo, hi)) };
        let mut o = observation(&kb, &c);
        o.anchors = list(&time, &["paid", "renewed", "renewal"]);
        kb.observations.push(o);
    }
    kb
}

fn observation(kb: &Kb, c: &Chip) -> Observation {
    let q = kb.question_index(c.fact).unwrap();
    let a = |v: &str| kb.questions[q].answers.iter().position(|x| x.value == v).unwrap();
    Observation {
        question: q,
        answer: a(c.value),
        topic: 0,
        text: text(c.value),
        cues: list(c.zh, c.en),
        negated: c.negated.map(a),
        more: false,
        hours: c.hours,
        anchors: TextList::default(),
    }
}

/// The facts understood, as "fact=value" in text order.
fn facts(kb: &Kb, e: &Extraction) -> Vec<String> {
    e.found.iter().map(|f| format!("{}={}", kb.questions[f.question].id, kb.questions[f.question].answers[f.answer].value)).collect()
}

fn read(kb: &Kb, s: &str) -> Vec<String> {
    facts(kb, &extract(kb, s, None))
}

/// Every text reads as exactly its facts (in any order); all mismatches
/// are reported at once.
fn assert_reads(kb: &Kb, cases: &[(&str, &[&str])]) {
    let mut wrong = Vec::new();
    for &(s, want) in cases {
        let mut got = read(kb, s);
        got.sort();
        let mut want: Vec<String> = want.iter().map(|w| w.to_string()).collect();
        want.sort();
        if got != want {
            wrong.push(format!("{s}: got {got:?}, want {want:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The words that triggered each fact.
fn evidence(s: &str, e: &Extraction) -> Vec<String> {
    e.found.iter().map(|f| s[f.start..f.end].to_string()).collect()
}

// ---------------------------------------------------------------------------
// Rules, one case each.

#[test]
fn negation_flips_or_voids() {
    let kb = rule_kb();
    assert_eq!(read(&kb, "钱扣了"), ["money_deducted=yes"]);
    // A cue holding its own negation wins over the shorter one inside it.
    assert_eq!(read(&kb, "卡里没扣钱"), ["money_deducted=no"]);
    // A negator before a cue flips it to the chip's negated value …
    assert_eq!(read(&kb, "一直没有重启"), ["restarted_since=no"]);
    assert_eq!(read(&kb, "I haven't restarted it"), ["restarted_since=no"]);
    // … or voids it when the chip has none: 不是Wi-Fi says nothing about Wi-Fi.
    assert_eq!(read(&kb, "不是Wi-Fi"), Vec::<String>::new());
    assert_eq!(read(&kb, "不是Wi-Fi，是插卡的"), ["connection=sim"]);
    // A longer cue reads the words inside it in its own sense: 签到失败 is
    // the screen, not a failed payment (and 提示签到 + 签到失败 are one).
    assert_eq!(read(&kb, "屏幕提示签到失败"), ["screen_message=signin_failed"]);
    assert_eq!(read(&kb, "sign-in failed"), ["screen_message=signin_failed"]);
    // Also where that cue stands in the gap of a longer "A…B" one of the
    // same chip (屏幕…重新签到); other words in the gap are still read.
    assert_eq!(read(&kb, "屏幕上说签到失败请重新签到"), ["screen_message=signin_failed"]);
    assert_eq!(read(&kb, "续费成功了，屏幕上说签到失败请重新签到"), ["payment_result=success", "screen_message=signin_failed"]);
    assert_eq!(read(&kb, "屏幕显示续费失败请重新签到"), ["screen_message=signin_failed", "payment_result=failed"]);
    // A negator reaches only the next cue.
    assert_eq!(read(&kb, "没重启信号满格"), ["restarted_since=no", "network_icon=normal"]);
}

#[test]
fn contrast_ends_negation_and_clause() {
    let kb = rule_kb();
    assert_eq!(read(&kb, "网络正常但屏幕提示停机"), ["network_icon=normal", "screen_message=suspended"]);
    // The negator before 但 does not reach past it.
    assert_eq!(read(&kb, "没重启但是扣钱了"), ["restarted_since=no", "money_deducted=yes"]);
    assert_eq!(read(&kb, "I didn't restart but I was charged"), ["restarted_since=no", "money_deducted=yes"]);
    // Dictated: the negator before 但是 reaches nothing after it, and a
    // hypothetical ends there too.
    assert_eq!(read(&kb, "没注意但是扣钱了"), ["money_deducted=yes"]);
    assert_eq!(read(&kb, "可能是网络问题但是信号满格"), ["network_icon=normal"]);
}

#[test]
fn advice_reports_and_hypotheticals_say_nothing() {
    let kb = rule_kb();
    for s in [
        "客服建议我重启一下",
        "客服说流量费是另外交的",
        "如果重启就好了",
        "重启的话会不会好",
        // What doing it would bring, advised or promised.
        "隔壁老板说重启一下就好了",
        "重启一下就行了",
        "可能是没信号",
        "不知道扣钱了没",
        "有没有扣钱",
        "They said I should restart it",
        "Maybe restart it?",
        "If I restart it, will it work",
    ] {
        assert_eq!(read(&kb, s), Vec::<String>::new(), "{s}");
    }
    // An English "and" ends their reach.
    assert_eq!(read(&kb, "They said it would be fine and I was charged"), ["money_deducted=yes"]);
    assert_eq!(read(&kb, "I didn't restart and I was charged"), ["restarted_since=no", "money_deducted=yes"]);
    // What the merchant did after being told is what happened.
    assert_eq!(read(&kb, "对方让我扫码交了钱"), ["money_deducted=yes"]);
    // A promise voids only its own clause.
    assert_eq!(read(&kb, "扣钱了，他说重启一下就好了"), ["money_deducted=yes"]);
    // The terminal "saying" something is what the merchant saw.
    assert_eq!(read(&kb, "屏幕说无网络"), ["screen_message=no_network"]);
    assert_eq!(read(&kb, "the terminal still says no network"), ["screen_message=no_network"]);
}

#[test]
fn cues_in_two_parts() {
    let kb = rule_kb();
    // The parts may stand apart, with words between them …
    assert_eq!(read(&kb, "法人身份证去年十二月就过期了"), ["documents_valid=no"]);
    assert_eq!(read(&kb, "my ID card has sadly expired"), ["documents_valid=no"]);
    // … and a negator or a hedge between them is read as before the cue.
    assert_eq!(read(&kb, "身份证到现在都没过期"), ["documents_valid=yes"]);
    assert_eq!(read(&kb, "身份证可能过期了"), Vec::<String>::new());
    assert_eq!(read(&kb, "my id has not expired"), ["documents_valid=yes"]);
    // English parts may stand further apart (twelve words, eight characters
    // in Chinese) …
    assert_eq!(read(&kb, "my ID card for the shop I opened with my brother has expired"), ["documents_valid=no"]);
    assert_eq!(read(&kb, "身份证是我跟我弟弟一起开店那年办的，过期了"), Vec::<String>::new());
    // … but not without end.
    assert_eq!(read(&kb, "my ID card is in the drawer with the receipts from the shop I opened with my brother and it expired"), Vec::<String>::new());
    // Not too far apart, not in another clause, not in the wrong order,
    // and no other cue between them.
    assert_eq!(read(&kb, "身份证是好多年前在老家派出所办的没有过期"), Vec::<String>::new());
    assert_eq!(read(&kb, "身份证在抽屉里，过期的优惠券也在"), Vec::<String>::new());
    assert_eq!(read(&kb, "过期的身份证"), Vec::<String>::new());
    assert_eq!(read(&kb, "身份证那边扣了钱才过期"), ["money_deducted=yes"]);
    // The evidence runs from the first part to the last.
    let s = "身份证去年就过期了";
    assert_eq!(evidence(s, &extract(&kb, s, None)), ["身份证去年就过期"]);
    assert_eq!(read(&kb, "App里续费交的"), ["paid_via=official_app"]);
    assert_eq!(read(&kb, "App里商户状态显示异常"), Vec::<String>::new());
    // "paid…in the app" is listed for both facts: it says both.
    assert_eq!(read(&kb, "I paid for it in the app"), ["money_deducted=yes", "paid_via=official_app"]);
    assert_eq!(read(&kb, "in the app it says suspended"), ["screen_message=suspended"]);
}

#[test]
fn english_determiners_are_interchangeable() {
    let kb = rule_kb();
    for s in ["paid through the agent", "paid through our agent", "paid through my agent", "paid through an agent"] {
        assert_eq!(read(&kb, s), ["money_deducted=yes", "paid_via=agent"], "{s}");
    }
    // "any" and "some" too: the negator then reaches the cue it belongs to.
    assert_eq!(read(&kb, "paid through some agent"), ["money_deducted=yes", "paid_via=agent"]);
    // Or none: many write English without articles.
    assert_eq!(read(&kb, "paid through agent"), ["money_deducted=yes", "paid_via=agent"]);
    assert_eq!(read(&kb, "paid through agentur"), ["money_deducted=yes"]);
    assert_eq!(read(&kb, "paid through a the agent"), ["money_deducted=yes"]);
}

#[test]
fn the_same_words_for_two_facts_say_both() {
    let kb = rule_kb();
    assert_eq!(read(&kb, "Topped up the SIM"), ["money_deducted=yes", "fee_paid=sim_fee"]);
    assert_eq!(read(&kb, "流量卡充了"), ["money_deducted=yes", "fee_paid=sim_fee"]);
    // A shorter cue of another fact inside a longer one is still read as
    // part of it.
    assert_eq!(read(&kb, "屏幕提示签到失败"), ["screen_message=signin_failed"]);
}

#[test]
fn a_bare_negated_verb_after_a_thing_says_it_was_not_done() {
    let kb = rule_kb();
    // The chip has no negated value: the thing named was not paid.
    assert_eq!(read(&kb, "我交了服务费，流量费没交"), ["money_deducted=yes", "fee_paid=service_fee"]);
    assert_eq!(read(&kb, "流量费还没交呢"), Vec::<String>::new());
    // A two-character word after 没 is a new statement; 没用 negates nothing.
    assert_eq!(read(&kb, "流量费没到账"), ["fee_paid=sim_fee"]);
    assert_eq!(read(&kb, "网络正常没用"), ["network_icon=normal"]);
    // The price: a one-character verb after 没 also voids (没变).
    assert_eq!(read(&kb, "网络正常没变"), Vec::<String>::new());
}

#[test]
fn hedges_commas_before_also_and_borrowed_times() {
    let kb = rule_kb();
    // 好像 / 似乎 hedge like 可能.
    assert_eq!(read(&kb, "钱好像扣了"), Vec::<String>::new());
    assert_eq!(read(&kb, "似乎没信号"), Vec::<String>::new());
    // A comma before 也 goes on with the same clause: the negator still
    // reaches only the next cue.
    assert_eq!(read(&kb, "没重启，也扣钱了"), ["restarted_since=no", "money_deducted=yes"]);
    // "later" ending a sentence is no "and then": it stays with its clause;
    // before more words it still cuts.
    assert_eq!(read(&kb, "it was pending later it went through"), ["payment_result=success"]);
    // A duration since does not borrow the payment from the clause before
    // when its own clause speaks of another time (months unused).
    let mut kb2 = rule_kb();
    let q = kb2.questions.len();
    kb2.questions.push(question("months_since_last_sale", &["under_3", "over_6"]));
    let mut o = observation(&kb2, &Chip { fact: "months_since_last_sale", value: "over_6", zh: &[], en: &[], negated: None, hours: Some((4320.0, 1e6)) });
    o.anchors = list(&["没开"], &[]);
    kb2.observations.push(o);
    assert_eq!(kb2.observations.last().map(|o| o.question), Some(q));
    let time = |s: &str| read(&kb2, s).into_iter().filter(|f| f.starts_with("time_since_payment")).collect::<Vec<_>>();
    assert_eq!(time("续费交了，一年多没开店了"), Vec::<String>::new());
    assert_eq!(time("续费交了，一年多了"), ["time_since_payment=over_24h"]);
}

#[test]
fn yes_no_questions_say_nothing() {
    let kb = rule_kb();
    for s in ["钱扣了吗", "钱扣了吗？", "是扣钱了吗", "Did it go through?", "was I charged?", "is it possible the payment failed?"] {
        assert_eq!(read(&kb, s), Vec::<String>::new(), "{s}");
    }
    // A question with a question word still tells what it takes for
    // granted; the clause before a question is told.
    assert_eq!(read(&kb, "扣钱了为什么还是没网？"), ["money_deducted=yes", "screen_message=no_network"]);
    assert_eq!(read(&kb, "I was charged, did it go through?"), ["money_deducted=yes"]);
    assert_eq!(read(&kb, "why does it say no network?"), ["screen_message=no_network"]);
}

#[test]
fn the_merchant_saying_is_no_report() {
    let kb = rule_kb();
    assert_eq!(read(&kb, "客人要刷卡，我说机器没网呢"), ["screen_message=no_network"]);
    assert_eq!(read(&kb, "I said there's no network"), ["screen_message=no_network"]);
    assert_eq!(read(&kb, "客服说没网"), Vec::<String>::new());
    assert_eq!(read(&kb, "he said there's no network"), Vec::<String>::new());
}

#[test]
fn clauses_without_punctuation() {
    let kb = rule_kb();
    // Dictated, no punctuation: the contrast word still cuts the clause,
    // so 没 does not reach 扣钱 after 但是.
    assert_eq!(read(&kb, "续费成功了但是机器没网然后我重启了"), ["payment_result=success", "screen_message=no_network", "restarted_since=yes"]);
    // Punctuation of every width.
    assert_eq!(read(&kb, "没重启，扣钱了"), ["restarted_since=no", "money_deducted=yes"]);
    assert_eq!(read(&kb, "没重启,扣钱了"), ["restarted_since=no", "money_deducted=yes"]);
}

#[test]
fn times_in_words_and_numbers() {
    let kb = rule_kb();
    let time = |s: &str| read(&kb, s).into_iter().filter(|f| f.starts_with("time_since_payment")).collect::<Vec<_>>();
    for (s, want) in [
        ("半小时前续费的", "under_1h"),
        ("刚交了", "under_1h"),
        ("二十分钟前交的", "under_1h"),
        ("20分钟前交的", "under_1h"),
        ("十五分钟前续费", "under_1h"),
        ("一小时内交的", "under_1h"),
        ("一个多小时前交的", "1h_to_24h"),
        ("二十多个小时前交的", "over_24h"),
        ("十多分钟前交的", "under_1h"),
        ("交完三个小时了", "1h_to_24h"),
        ("今天早上续费的", "1h_to_24h"),
        ("昨天续费成功了", "over_24h"),
        ("上周五交的", "over_24h"),
        ("续费一天多了", "over_24h"),
        ("两天前交的", "over_24h"),
        ("I paid two days ago", "over_24h"),
        ("I renewed an hour and a half ago", "1h_to_24h"),
        ("paid 10 minutes ago", "under_1h"),
        ("paid yesterday", "over_24h"),
        ("renewed last week", "over_24h"),
        ("２０分钟前交的", "under_1h"),
        // A part of a day after 昨天 / 前天 belongs to it; 十来 is about ten.
        ("昨天下午交的", "over_24h"),
        ("前天晚上续费的", "over_24h"),
        ("十来分钟前交的", "under_1h"),
        // A part of a day after any point in time belongs to it.
        ("周六上午交的", "over_24h"),
        ("paid on Saturday morning", "over_24h"),
        ("俩小时前续费的", "1h_to_24h"),
        // A day of the month said of a payment is days ago.
        ("11月3号交的", "over_24h"),
        ("25号交的", "over_24h"),
        ("paid on the 3rd", "over_24h"),
        ("Paid the renewal in the app on the 26th", "over_24h"),
        ("paid on 25/11", "over_24h"),
        ("11/25交的", "over_24h"),
        ("paid on Nov 25", "over_24h"),
        ("On 3rd November I paid", "over_24h"),
        ("paid on the 3rd of November", "over_24h"),
        // A range of digits is halfway; Cantonese days and now.
        ("paid 20-26 hours ago", "1h_to_24h"),
        ("琴日交咗", "over_24h"),
        ("今朝交咗", "1h_to_24h"),
        ("十点交咗，而家两点", "1h_to_24h"),
    ] {
        assert_eq!(time(s), [format!("time_since_payment={want}")], "{s}");
    }
    // A duration since takes its subject from the clause before; a point in
    // time does not.
    assert_eq!(time("交了钱，到现在快一个小时了"), ["time_since_payment=under_1h"]);
    assert_eq!(time("I paid, it has been two days"), ["time_since_payment=over_24h"]);
    assert_eq!(time("续费成功了，昨天机器升级了"), Vec::<String>::new());
    assert_eq!(time("续费成功了，两天前机器升级了"), Vec::<String>::new());
    // 今天 alone is no time; a time not about the payment says nothing.
    assert_eq!(time("今天交的"), Vec::<String>::new());
    assert_eq!(time("昨天机器升级了"), Vec::<String>::new());
    assert_eq!(time("第二天交的"), Vec::<String>::new());
    assert_eq!(time("3月交的"), Vec::<String>::new());
    // 半天 after a verb's 了 is how long something took ("for ages"), not
    // how long ago; "…了半天了" is a time since.
    assert_eq!(time("续费转了半天圈"), Vec::<String>::new());
    assert_eq!(time("付款等了半天才成功"), Vec::<String>::new());
    assert_eq!(time("交了半天了"), ["time_since_payment=1h_to_24h"]);
    assert_eq!(time("半天前交的"), ["time_since_payment=1h_to_24h"]);
    // Today's date, a span of days, a numbered thing and an ordinal of
    // something else are no day of the month.
    assert_eq!(time("今天都11月6号了，交的钱还没到"), Vec::<String>::new());
    assert_eq!(time("3日内到账，我交了"), Vec::<String>::new());
    assert_eq!(time("5号机交的费"), Vec::<String>::new());
    assert_eq!(time("the 2nd time I paid"), Vec::<String>::new());
    assert_eq!(time("I paid 1/2 of it"), Vec::<String>::new());
    assert_eq!(time("today is already 28th, I paid"), Vec::<String>::new());
    assert_eq!(time("I may pay later"), Vec::<String>::new());
    // "三四个小时", "七八天": halfway between the two.
    assert_eq!(time("七八天前交的"), ["time_since_payment=over_24h"]);
    assert_eq!(time("交了 这都三四个小时了"), ["time_since_payment=1h_to_24h"]);
    // A time the merchant was told to wait is no time since paying;
    // "这是…前的事" is a time alone.
    assert_eq!(time("续费成功，预计2小时内生效"), Vec::<String>::new());
    assert_eq!(time("paid, it takes effect within 2 hours"), Vec::<String>::new());
    assert_eq!(time("续费成功，预计2小时内生效。这是二十分钟前的事"), ["time_since_payment=under_1h"]);
    // A time after another event is no time since paying.
    assert_eq!(time("交的时候一直转圈，十几分钟后显示失败"), Vec::<String>::new());
    // The time between two tries is no time since paying.
    assert_eq!(time("隔了十分钟又付了一次"), Vec::<String>::new());
    assert_eq!(time("周日晚上在App续费，隔了十分钟又付了一次"), ["time_since_payment=over_24h"]);
}

/// A clock time of paying is read against the clock time the text says it
/// is now; without a now it says nothing more than its part of the day.
#[test]
fn clock_times_against_now() {
    let kb = rule_kb();
    let time = |s: &str| read(&kb, s).into_iter().filter(|f| f.starts_with("time_since_payment")).collect::<Vec<_>>();
    for (s, want) in [
        ("我十点多交的服务费，现在都两点了", "1h_to_24h"),
        ("中午十二点过一点交的，现在才十二点四十", "under_1h"),
        ("上午十一点半交的，现在十一点五十", "under_1h"),
        ("9:40 在App上交的续费\n现在刚10点", "under_1h"),
        ("下午两点续费的，这会儿四点半了", "1h_to_24h"),
        ("凌晨一点多交的续费，现在九点多了", "1h_to_24h"),
        ("I paid the renewal at 10am, now it is 2pm", "1h_to_24h"),
        ("paid at 9:40 this morning, it is 10:05 now", "under_1h"),
        // A bare hour after "around" / "at", and a bare now.
        ("I paid around 5, it's 8 now", "1h_to_24h"),
        ("paid at 10 this morning, now it's 3 in the afternoon", "1h_to_24h"),
        // A clock on another day belongs to that day.
        ("昨天下午3点交的，现在10点", "over_24h"),
    ] {
        assert_eq!(time(s), [format!("time_since_payment={want}")], "{s}");
    }
    // "一点" is "a little"; a time to come is no time since; a clock alone
    // after another deed is that deed's; a clock with no now says nothing.
    assert_eq!(time("快一点交的钱，现在两点"), Vec::<String>::new());
    assert_eq!(time("交的钱，维护到下午五点，现在下午三点"), Vec::<String>::new());
    assert_eq!(time("早上交了续费。重启过一次，是八点半。现在九点多了"), ["time_since_payment=1h_to_24h"]);
    assert_eq!(time("十点多交的服务费"), Vec::<String>::new());
    assert_eq!(time("I paid about 5 yuan more, it's 8 now"), Vec::<String>::new());
}

#[test]
fn width_case_and_colloquial_forms() {
    let kb = rule_kb();
    assert_eq!(read(&kb, "ＷｉＦｉ连着的"), ["connection=wifi"]);
    assert_eq!(read(&kb, "I PAID"), ["money_deducted=yes"]);
    assert_eq!(read(&kb, "钱木有扣"), Vec::<String>::new());
    assert_eq!(read(&kb, "木有重启"), ["restarted_since=no"]);
    assert_eq!(read(&kb, "重起过了"), ["restarted_since=yes"]);
    // One adverb slipped into a Chinese cue; not two, not another word.
    assert_eq!(read(&kb, "网络也正常"), ["network_icon=normal"]);
    assert_eq!(read(&kb, "网络也都正常"), Vec::<String>::new());
    assert_eq!(read(&kb, "网也络也正常"), Vec::<String>::new());
    assert_eq!(read(&kb, "网络不正常"), Vec::<String>::new());
    // A two-character adverb that asserts slips in too; a hedge is no
    // adverb but a hypothetical, and voids the cue.
    assert_eq!(read(&kb, "网络确实正常"), ["network_icon=normal"]);
    assert_eq!(read(&kb, "钱肯定扣了"), ["money_deducted=yes"]);
    assert_eq!(read(&kb, "网络可能正常"), Vec::<String>::new());
    assert_eq!(read(&kb, "网络肯定也正常"), Vec::<String>::new());
    // Curly apostrophes and dictation without them.
    assert_eq!(read(&kb, "I didn’t restart"), ["restarted_since=no"]);
    assert_eq!(read(&kb, "I didnt restart"), ["restarted_since=no"]);
    assert_eq!(read(&kb, "it wasn't charged"), ["money_deducted=no"]);
}

/// Cues written in a colloquial form read the standard text (the cue is
/// normalised too), so the extractor's quick skip of cues that cannot occur
/// in a text keeps them; and an English cue is read inside Chinese text.
#[test]
fn cues_in_colloquial_forms_are_never_skipped() {
    let mut kb = rule_kb();
    let chip = |kb: &Kb, fact: &str, value: &str| {
        kb.observations
            .iter()
            .position(|o| kb.questions[o.question].id == fact && kb.questions[o.question].answers[o.answer].value == value)
            .unwrap()
    };
    let restarted = chip(&kb, "restarted_since", "yes");
    kb.observations[restarted].cues.zh = vec!["重起过".into()];
    kb.observations[restarted].cues.en = vec!["rebooted".into()];
    let not_restarted = chip(&kb, "restarted_since", "no");
    kb.observations[not_restarted].cues.en = vec!["didnt reboot".into()];
    let wifi = chip(&kb, "connection", "wifi");
    kb.observations[wifi].cues.en = vec!["wi-fi".into()];
    assert_eq!(read(&kb, "重启过了"), ["restarted_since=yes"]);
    assert_eq!(read(&kb, "I didn't reboot it"), ["restarted_since=no"]);
    assert_eq!(read(&kb, "it's on the wifi"), ["connection=wifi"]);
    assert_eq!(read(&kb, "机器rebooted过了"), ["restarted_since=yes"]);
    // A cue whose first letters begin no word of the text is not read.
    assert_eq!(read(&kb, "机器reboot"), Vec::<String>::new());
}

#[test]
fn english_on_word_boundaries() {
    let kb = rule_kb();
    // "paid" inside another word is not a cue; an ending is allowed.
    assert_eq!(read(&kb, "unpaidish"), Vec::<String>::new());
    assert_eq!(read(&kb, "a prepaid card"), Vec::<String>::new());
    assert_eq!(read(&kb, "I restarted it twice"), ["restarted_since=yes"]);
    // A possessive is allowed after a cue's last word.
    assert_eq!(read(&kb, "the wifi's fine"), ["connection=wifi"]);
    assert_eq!(read(&kb, "the signal is nowhere"), Vec::<String>::new());
}

#[test]
fn one_value_per_fact_later_wins() {
    let kb = rule_kb();
    assert_eq!(read(&kb, "先是处理中后来显示成功"), ["payment_result=success"]);
    assert_eq!(read(&kb, "显示成功，不对，是失败"), ["payment_result=failed"]);
    // Said outright beats read through a negation.
    assert_eq!(read(&kb, "I paid the service fee. I never paid anything for the SIM."), ["money_deducted=yes", "fee_paid=service_fee"]);
}

#[test]
fn evidence_is_the_merchants_words() {
    let kb = rule_kb();
    let s = "ＷｉＦｉ连着，咋整，钱也扣了，20分钟前交的";
    let e = extract(&kb, s, None);
    assert_eq!(evidence(s, &e), ["ＷｉＦｉ", "扣了", "20分钟前"]);
    let s = "卡里没有扣款";
    let e = extract(&kb, s, None);
    assert_eq!(facts(&kb, &e), ["money_deducted=no"]);
    assert_eq!(evidence(s, &e), ["没有扣款"]);
}

#[test]
fn language_detected_or_given() {
    let kb = rule_kb();
    assert_eq!(detect_lang("续费 ok"), Lang::Zh);
    assert_eq!(detect_lang("paid"), Lang::En);
    // Given English, Chinese cues are not read.
    assert_eq!(facts(&kb, &extract(&kb, "扣了", Some(Lang::En))), Vec::<String>::new());
}

// ---------------------------------------------------------------------------
// Properties.

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn any_text_no_panic_deterministic_ranges_on_boundaries(
        s in prop::collection::vec(prop_oneof![
            Just("没".to_string()), Just("扣钱".to_string()), Just("重启".to_string()), Just("，".to_string()),
            Just("但".to_string()), Just("半小时前".to_string()), Just("n't ".to_string()), Just("paid ".to_string()),
            Just("十".to_string()), Just("多".to_string()), Just("个".to_string()), Just("天".to_string()),
            Just("木有".to_string()), Just("Ｗ".to_string()), Just("说".to_string()), Just("了".to_string()),
            "\\PC{0,3}".prop_map(|x| x),
        ], 0..24).prop_map(|v| v.concat())
    ) {
        let kb = rule_kb();
        for lang in [None, Some(Lang::Zh), Some(Lang::En)] {
            let e = extract(&kb, &s, lang);
            prop_assert_eq!(&e, &extract(&kb, &s, lang));
            let mut seen = Vec::new();
            for f in &e.found {
                prop_assert!(f.start < f.end && f.end <= s.len());
                prop_assert!(s.is_char_boundary(f.start) && s.is_char_boundary(f.end));
                prop_assert!(!seen.contains(&f.question), "fact twice");
                seen.push(f.question);
                let o = &kb.observations[f.observation];
                prop_assert_eq!((o.question, o.answer), (f.question, f.answer));
            }
            prop_assert!(e.found.windows(2).all(|w| w[0].start <= w[1].start));
        }
    }

    #[test]
    fn any_bytes_no_panic(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let kb = rule_kb();
        let s = String::from_utf8_lossy(&bytes);
        let e = extract(&kb, &s, None);
        for f in &e.found {
            prop_assert!(s.is_char_boundary(f.start) && s.is_char_boundary(f.end) && f.end <= s.len());
        }
    }
}

/// Pieces of merchant text from the default KB: every cue and anchor, and
/// the words the extractor reads around them.
fn default_kb_pieces() -> Vec<String> {
    let kb = kb::default_kb().expect("default KB");
    let mut pieces: Vec<String> = kb
        .observations
        .iter()
        .flat_map(|o| o.cues.zh.iter().chain(&o.cues.en).chain(&o.anchors.zh).chain(&o.anchors.en).cloned())
        .collect();
    for w in ["没", "不是", "但", "说", "客服说", "如果", "了", "，", "。", " and ", " not ", "n't ", "二十多个", "半", "小时前", "天", "ago ", "咋", "木有", "Ｗ", "\u{3000}", "  "] {
        pieces.push(w.to_string());
    }
    pieces
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// The fuzz target's checks (fuzz/src/lib.rs `extract`) on texts made
    /// of the default KB's own cues, for CI, which does not fuzz.
    #[test]
    fn default_kb_texts_hold_the_fuzz_checks(picks in prop::collection::vec(any::<prop::sample::Index>(), 0..30)) {
        static CACHE: std::sync::OnceLock<(Kb, Vec<String>)> = std::sync::OnceLock::new();
        let (kb, pieces) = CACHE.get_or_init(|| (kb::default_kb().expect("default KB"), default_kb_pieces()));
        let text: String = picks.iter().map(|i| pieces[i.index(pieces.len())].as_str()).collect();
        for lang in [None, Some(Lang::Zh), Some(Lang::En)] {
            let e = extract(kb, &text, lang);
            prop_assert_eq!(&e, &extract(kb, &text, lang));
            for (i, f) in e.found.iter().enumerate() {
                prop_assert!(f.start < f.end && f.end <= text.len() && text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
                let o = &kb.observations[f.observation];
                prop_assert_eq!((o.question, o.answer), (f.question, f.answer));
                prop_assert!(!e.found[..i].iter().any(|g| g.question == f.question));
            }
        }
    }
}

// ---------------------------------------------------------------------------
// The public stories.

/// The default KB, with its observations.
fn story_kb() -> Kb {
    kb::default_kb().expect("default KB")
}

struct Score {
    found: usize,
    correct: usize,
    expected: usize,
}

/// Precision and recall over fact=value pairs, pooled over the stories;
/// `expected` counts the story pairs the KB has a chip for. Misses and
/// wrong values are listed for tuning.
fn score(kb: &Kb, file: &str) -> (Score, Vec<String>) {
    let text = std::fs::read_to_string(file).unwrap();
    let stories: Value = serde_json::from_str(&text).unwrap();
    let mut sc = Score { found: 0, correct: 0, expected: 0 };
    let mut notes = Vec::new();
    for s in stories["scenarios"].as_array().unwrap() {
        let story = s["story"].as_str().unwrap_or("");
        let truth: BTreeMap<String, String> =
            s["facts"].as_object().unwrap().iter().map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string())).collect();
        let e = extract(kb, story, None);
        let got = facts(kb, &e);
        let words = evidence(story, &e);
        for (g, w) in got.iter().zip(&words) {
            let (f, v) = g.split_once('=').unwrap();
            sc.found += 1;
            if truth.get(f).map(String::as_str) == Some(v) {
                sc.correct += 1;
            } else {
                notes.push(format!("{} WRONG {g} ({w})", s["id"]));
            }
        }
        for (f, v) in &truth {
            let chip = kb.observations.iter().any(|o| kb.questions[o.question].id == *f && kb.questions[o.question].answers[o.answer].value == *v);
            if chip {
                sc.expected += 1;
                if !got.contains(&format!("{f}={v}")) {
                    notes.push(format!("{} MISSED {f}={v}", s["id"]));
                }
            }
        }
    }
    (sc, notes)
}

#[test]
fn public_stories_precision_and_recall() {
    let kb = story_kb();
    if kb.observations.is_empty() {
        panic!("the default KB has no observations");
    }
    let mut total = Score { found: 0, correct: 0, expected: 0 };
    for file in ["public.json", "public-v2.json"] {
        let path = format!("{}/../shared/scenarios/{file}", env!("CARGO_MANIFEST_DIR"));
        let path = if std::path::Path::new(&path).exists() { path } else { format!("/work/shared/scenarios/{file}") };
        let (sc, notes) = score(&kb, &path);
        for n in &notes {
            println!("{file}: {n}");
        }
        total.found += sc.found;
        total.correct += sc.correct;
        total.expected += sc.expected;
    }
    let precision = total.correct as f64 / total.found.max(1) as f64;
    let recall = total.correct as f64 / total.expected.max(1) as f64;
    println!("public: found {} correct {} expected {}: precision {precision:.3} recall {recall:.3}", total.found, total.correct, total.expected);
    assert!(precision >= 0.92, "precision {precision:.3}");
    assert!(recall >= 0.80, "recall {recall:.3}");
}

/// Common ways merchants say things, read with the default KB's cues.
#[test]
fn default_kb_common_phrasings() {
    let kb = story_kb();
    let cases: &[(&str, &[&str])] = &[
        ("信号也没有", &["network_icon=none"]),
        ("信号都没有了", &["network_icon=none"]),
        ("信号没有问题", &["network_icon=normal"]),
        ("机器有信号", &["network_icon=normal"]),
        ("机器没有信号", &["network_icon=none"]),
        ("信号是有的", &["network_icon=normal"]),
        ("卡里的钱肯定够", &["balance_enough=yes"]),
        ("钱确实不够", &["balance_enough=no"]),
        ("去年歇业了半年多", &["months_since_last_sale=over_6"]),
        ("店停业了一年多", &["months_since_last_sale=over_6"]),
        ("App里商户信息写着资料待完善", &["account_status=abnormal"]),
        ("the terminal lost signal", &["network_icon=none"]),
        ("身份证已经过期了", &["documents_valid=no"]),
        ("身份证还没过期", &["documents_valid=yes"]),
        ("my ID card has expired", &["documents_valid=no"]),
        ("my licence is expired", &["documents_valid=no"]),
        ("营业执照可能过期了", &[]),
        ("信号有点弱", &["network_icon=weak"]),
        ("信号一直不好", &["network_icon=weak"]),
        ("信号非常好", &["network_icon=normal"]),
        ("信号也有问题", &[]),
        ("钱一直没扣", &["money_deducted=no"]),
        ("钱被扣走了", &["money_deducted=yes"]),
        ("钱没被扣", &["money_deducted=no"]),
        ("付款没有成功", &["payment_result=failed"]),
        // Like 签到不成功: the terminal's sign-in, not the payment.
        ("签到没成功", &["screen_message=signin_failed"]),
        ("重新开过机了", &["restarted_since=yes"]),
    ];
    for (s, want) in cases {
        assert_eq!(read(&kb, s), *want, "{s}");
    }
}

/// Merchants' voices the cues were not written from: colloquial,
/// dictated, English, one family of phrasings each (money went, results,
/// screen words, signal, restarts, connections, documents, accounts,
/// notices, how it was paid), and what must say nothing (advice, reported
/// speech, questions, hypotheticals). Facts under DESIGN's conventions.
#[test]
fn default_kb_varied_voices() {
    let kb = story_kb();
    let cases: &[(&str, &[&str])] = &[
        ("钱已经被划走了，机器还是停机", &["money_deducted=yes"]),
        ("我用微信转账给业务员了", &["money_deducted=yes", "paid_via=agent"]),
        ("续费的钱前天就付过了", &["money_deducted=yes", "time_since_payment=over_24h"]),
        ("年费交上了，机器还是不能用", &["money_deducted=yes", "fee_paid=service_fee"]),
        // A status shown ("显示已支付", "it said paid") is the result.
        ("支付宝那边显示已支付", &["payment_result=success"]),
        ("It said paid", &["payment_result=success"]),
        ("钱出去了但是机器没反应", &["money_deducted=yes"]),
        ("银行卡里少了198块", &["money_deducted=yes"]),
        ("I already paid for the renewal this morning", &["money_deducted=yes", "time_since_payment=1h_to_24h"]),
        ("The money came out of my account an hour ago", &["money_deducted=yes"]),
        ("they debited my card twice", &["money_deducted=yes"]),
        ("I was billed 99 yuan", &["money_deducted=yes"]),
        ("卡里的钱一分没少", &["money_deducted=no"]),
        ("钱还在卡里没动", &["money_deducted=no"]),
        ("余额没变化", &["money_deducted=no"]),
        ("my balance hasn't changed at all", &["money_deducted=no"]),
        ("they haven't taken any money yet", &["money_deducted=no"]),
        ("付款的时候提示交易失败", &["payment_result=failed"]),
        ("续费一直没成功", &["payment_result=failed"]),
        ("支付页面一直在转圈圈", &["payment_result=pending"]),
        ("The payment was declined by my bank", &["payment_result=failed"]),
        ("the renewal payment wouldn't go through", &["payment_result=failed"]),
        ("payment has been pending since yesterday", &["payment_result=pending", "time_since_payment=over_24h"]),
        ("the payment's gone through fine", &["payment_result=success"]),
        ("屏幕上写的是已停机", &["screen_message=suspended"]),
        ("屏幕一直显示服务已暂停", &["screen_message=suspended"]),
        ("机器屏幕上显示网络连接失败", &["screen_message=no_network"]),
        ("开机就提示请检查网络", &["screen_message=no_network"]),
        ("刷卡提示通讯超时", &["screen_message=no_network"]),
        ("屏幕上弹出签到失败", &["screen_message=signin_failed"]),
        ("the display says the terminal is suspended", &["screen_message=suspended"]),
        ("screen shows a communication error", &["screen_message=no_network"]),
        ("it keeps asking me to sign in again", &["screen_message=signin_failed"]),
        ("there's an update pop-up every time I turn it on", &["screen_message=update_prompt"]),
        ("the screen says error 97, terminal not registered", &["screen_message=not_registered"]),
        ("信号就一两格", &["network_icon=weak"]),
        ("右上角信号是个叉", &["network_icon=none"]),
        ("信号栏一格都没有", &["network_icon=none"]),
        ("信号杠杠的", &["network_icon=normal"]),
        ("the signal bars are all full", &["network_icon=normal"]),
        ("there's an X where the signal should be", &[]),
        ("signal keeps coming and going", &["network_icon=weak"]),
        ("no bars at all", &["network_icon=none"]),
        ("关机又开机弄了好几次", &["restarted_since=yes"]),
        ("拔了电源重新插上", &["restarted_since=yes"]),
        ("机器从来没关过", &["restarted_since=no"]),
        ("I unplugged it and plugged it back in", &["restarted_since=yes"]),
        ("haven't rebooted it yet", &["restarted_since=no"]),
        ("I turned it off and on again twice", &["restarted_since=yes"]),
        ("机器连的是店里的无线网", &["connection=wifi"]),
        ("插的网线", &["connection=wired"]),
        ("店里的电脑也上不了网", &["other_devices_online=no"]),
        ("我手机连同一个wifi能上网", &["connection=wifi", "other_devices_online=yes"]),
        ("my laptop on the same wifi works fine", &["connection=wifi", "other_devices_online=yes"]),
        ("my phone can't get online either", &["other_devices_online=no"]),
        ("营业执照上个月就到期了", &["documents_valid=no"]),
        ("法人的身份证早就过期了", &["documents_valid=no"]),
        ("my ID card ran out last month", &["documents_valid=no"]),
        ("our business license has expired", &["documents_valid=no"]),
        ("App里商户状态写着已冻结", &["account_status=frozen"]),
        ("the app says my account is frozen", &["account_status=frozen"]),
        ("app显示交易受限", &["account_status=restricted"]),
        ("我们上个月搬了新店面", &["moved_recently=yes"]),
        ("we relocated the shop across town last week", &["moved_recently=yes"]),
        ("接到一个自称银联的电话", &["notice_source=sms_or_call"]),
        ("有个陌生号码打电话来说机器要年检", &["notice_source=sms_or_call"]),
        ("I got a text saying my terminal would be suspended", &["notice_source=sms_or_call"]),
        ("银行发了短信说凌晨系统维护", &["bank_notice=yes"]),
        ("服务商公众号发了维护公告", &["provider_notice=yes"]),
        ("the bank posted a maintenance notice", &["bank_notice=yes"]),
        ("我在官方App上交的", &["money_deducted=yes", "paid_via=official_app"]),
        ("通过App付的款", &["money_deducted=yes", "paid_via=official_app"]),
        // The money handed over is money gone (DESIGN: 交了钱, 付了).
        ("钱是交给业务员的", &["money_deducted=yes", "paid_via=agent"]),
        ("让代理商帮我交的", &["money_deducted=yes", "paid_via=agent"]),
        ("点了短信里的链接付的钱", &["money_deducted=yes", "paid_via=link_in_message"]),
        ("I renewed through the app yesterday", &["money_deducted=yes", "paid_via=official_app", "time_since_payment=over_24h"]),
        ("paid through a link someone sent me on WeChat", &["money_deducted=yes", "paid_via=link_in_message"]),
        ("My sales rep paid it for me", &["money_deducted=yes", "paid_via=agent"]),
        ("客服让我重启一下试试", &[]),
        ("是不是要重新交钱？", &[]),
        ("要是钱扣了怎么办", &[]),
        ("业务员说可能是信号不好", &[]),
        ("客服说账户可能被冻结了", &[]),
        ("The agent suggested restarting it", &[]),
        ("Should I pay again?", &[]),
        ("support told me the account might be frozen", &[]),
        ("如果还是无网络就打电话", &[]),
        // Words near a cue family that say something else.
        ("the rep said to restart it", &[]),
        ("前几天还好好的", &[]),
        ("App老闪退", &[]),
        ("收到银行的扣款通知", &["money_deducted=yes"]),
        ("I transferred the SIM to the new terminal", &[]),
        ("App消息显示续费成功", &["payment_result=success"]),
        ("付款的时候App闪退了", &["renewal_confirmed=no"]),
        ("they said it could take a day", &[]),
        ("Did the payment go through?", &[]),
        ("有没有可能是流量卡欠费", &[]),
        ("钱扣了屏幕还是显示停机重启也没用", &["money_deducted=yes", "screen_message=suspended", "restarted_since=yes"]),
        ("续费成功了但是信号一格都没有", &["payment_result=success", "network_icon=none"]),
        ("交了钱显示成功没关过机", &["money_deducted=yes", "payment_result=success", "restarted_since=no"]),
        ("i paid yesterday it says success but the screen still says no network", &["money_deducted=yes", "time_since_payment=over_24h", "payment_result=success", "screen_message=no_network"]),
    ];
    assert_reads(&kb, cases);
}

/// Whole stories in the held-out style, written for this test (not from any
/// scenario file): every fact they state, and nothing else.
#[test]
fn default_kb_whole_stories() {
    let kb = story_kb();
    let stories: &[(&str, &[&str])] = &[
        ("老板你好，我昨天下午在App上交了续费，显示支付成功，可今天一开机屏幕就写着终端已停用，重启了三次都一样。", &["paid_via=official_app", "money_deducted=yes", "time_since_payment=over_24h", "payment_result=success", "screen_message=suspended", "restarted_since=yes"]),
        ("刚续完费，也就十来分钟，钱从微信扣了，机器上显示网络连接失败，信号只有一格。", &["time_since_payment=under_1h", "money_deducted=yes", "screen_message=no_network", "network_icon=weak"]),
        ("上礼拜业务员上门收的年费，我给了他现金，他说回去就帮我弄好，到现在还是停机，业务员电话也打不通。", &["time_since_payment=over_24h", "paid_via=agent", "fee_paid=service_fee", "money_deducted=yes"]),
        ("续费的时候银行卡余额不够，付款失败了，后来充了钱再付就没反应了，不知道成功没有。", &["balance_enough=no", "payment_result=failed", "money_deducted=yes", "renewal_confirmed=no"]),
        ("机器用的wifi，路由器灯都亮着，我手机连着能刷抖音，就机器连不上网。续费前天交的。", &["connection=wifi", "other_devices_online=yes", "screen_message=no_network", "money_deducted=yes", "time_since_payment=over_24h"]),
        ("I renewed on the official app about three hours ago. The payment says completed and my card was charged 99. The terminal still shows 'service suspended'. Haven't restarted it yet.", &["paid_via=official_app", "time_since_payment=1h_to_24h", "payment_result=success", "money_deducted=yes", "screen_message=suspended", "restarted_since=no"]),
        // The fee asked for, then paid: the annual (service) fee.
        ("Someone texted me a link saying my POS would be cut off unless I paid the annual fee, so I paid 199 through it. Now the screen says the terminal is suspended.", &["notice_source=sms_or_call", "paid_via=link_in_message", "money_deducted=yes", "fee_paid=service_fee", "screen_message=suspended"]),
        ("The renewal is stuck on processing and no money has left my account. My bank's app has a banner about overnight maintenance.", &["payment_result=pending", "money_deducted=no", "bank_notice=yes"]),
        ("We moved the shop to a new street last month. Paid the renewal yesterday and it went through, but card payments still fail.", &["moved_recently=yes", "money_deducted=yes", "time_since_payment=over_24h", "payment_result=success"]),
        ("屏幕上一直弹更新提示，我都点的取消。续费今天早上交的，成功了。", &["screen_message=update_prompt", "software_state=update_available", "money_deducted=yes", "time_since_payment=1h_to_24h", "payment_result=success"]),
        ("机器背后贴的二维码我扫了充了流量费，五十块，扣款成功，屏幕还是无服务。", &["paid_via=label_qr", "fee_paid=sim_fee", "money_deducted=yes", "payment_result=success", "screen_message=no_network"]),
        ("交了钱，App里看商户状态是正常的，信号也满格，重启也试过了，屏幕上没有任何提示，就是刷不了。", &["money_deducted=yes", "account_status=normal", "network_icon=normal", "restarted_since=yes", "screen_message=none"]),
        // Advice followed by "我还没试": not restarted.
        ("客服说可能是流量卡的问题，让我重启试试，我还没试。续费是半小时前交的。", &["restarted_since=no", "money_deducted=yes", "time_since_payment=under_1h"]),
        ("我也不知道钱扣没扣，付款页面点了一下就退出来了，没看到成功的提示。", &["renewal_confirmed=no"]),
        ("My ID card expired last year and the app asks me to upload a new one. The renewal payment went through two days ago.", &["documents_valid=no", "payment_result=success", "time_since_payment=over_24h"]),
        ("机器是插卡的，店在地下室，信号时有时无，续费交了，显示成功，屏幕显示无网络。", &["connection=sim", "network_icon=weak", "money_deducted=yes", "payment_result=success", "screen_message=no_network"]),
        ("店关了快八个月，这个月重新开张，交了续费，机器提示商户状态异常，打不了单。", &["months_since_last_sale=over_6", "money_deducted=yes", "screen_message=account_abnormal"]),
        ("The terminal keeps saying sign-in failed. I paid the renewal this morning, no problem with the payment, and I've power cycled it.", &["screen_message=signin_failed", "money_deducted=yes", "time_since_payment=1h_to_24h", "restarted_since=yes"]),
        ("收到银行短信说扣了99续费，可机器还是停机，我没重启过，信号是满的。", &["money_deducted=yes", "restarted_since=no", "network_icon=normal"]),
        ("is it possible the payment didn't go through? I'm not sure if money was taken. The screen says no network.", &["screen_message=no_network"]),
        // Not understood yet, left out: a weekday ("paid on Monday, it's
        // Thursday now"), "it" in another clause ("sim card … expired, i
        // topped it up").
        ("我是开小超市的，机器一直好好的，前天突然提示服务到期，我当天就在公众号上交了一年的费用，钱也扣了，可到现在还显示停机状态。", &["notice_source=terminal_screen", "time_since_payment=over_24h", "money_deducted=yes", "screen_message=suspended"]),
        ("续费那天扫码付款，页面一直显示支付中，后来就自己关掉了，银行卡没有扣款记录。", &["payment_result=pending", "money_deducted=no"]),
        ("Card reader says 'Please sign in' every time I try to take a payment. Renewal was paid on Monday, it's Thursday now.", &["screen_message=signin_failed", "money_deducted=yes", "time_since_payment=over_24h"]),
        ("我们店挪到了隔壁商场，机器拿过去以后就一直刷不了，续费是搬之前交的，交的时候显示成功。", &["moved_recently=yes", "money_deducted=yes", "payment_result=success"]),
        ("终端号我填的时候少填了一位，钱已经付了，显示续费成功，但机器没变化。", &["details_match=no", "money_deducted=yes", "payment_result=success"]),
        ("Our terminal runs on a SIM card and the signal icon shows no bars at all. We paid the renewal 40 minutes ago.", &["connection=sim", "network_icon=none", "money_deducted=yes", "time_since_payment=under_1h"]),
        ("流量卡欠费停机了，我在App里给流量卡充了30块，充值成功，现在还是没网。", &["sim_status=stopped", "paid_via=official_app", "fee_paid=sim_fee", "money_deducted=yes", "payment_result=success", "screen_message=no_network"]),
        ("App上显示我的商户已经被注销了，续费钱也交了，一年多没开店了。", &["account_status=cancelled", "money_deducted=yes", "months_since_last_sale=over_6"]),
        ("I got a message on WeChat from someone claiming to be my provider, they sent a QR code and I scanned it and paid 368. The terminal is still blocked.", &["notice_source=sms_or_call", "paid_via=link_in_message", "money_deducted=yes"]),
        ("续费的钱是从我刷卡的货款里直接扣的，到账少了一百多，可机器还是停机。", &["paid_via=taken_from_sale", "money_deducted=yes"]),
        ("营业执照今年三月到期了还没去年检，续费我交了，App里说要更新资料。", &["documents_valid=no", "money_deducted=yes"]),
        ("前两天交了300多续费，支付成功，机器屏幕上显示的是97错误。", &["time_since_payment=over_24h", "money_deducted=yes", "payment_result=success", "screen_message=not_registered"]),
        ("The app shows my account as restricted after some big transactions last week. I've paid the renewal and it was successful.", &["account_status=restricted", "money_deducted=yes", "payment_result=success"]),
        ("交钱的时候手滑点错了，不知道续上没有，钱好像扣了又好像没扣。", &["renewal_confirmed=no"]),
        ("机器连的店里wifi，我手机也连这个wifi，也上不去网，路由器可能坏了。", &["connection=wifi", "other_devices_online=no"]),
        ("I'm using the latest software version, restarted it twice, and the renewal went through yesterday. Screen shows nothing unusual.", &["software_state=latest", "restarted_since=yes", "payment_result=success", "time_since_payment=over_24h", "screen_message=none"]),
        ("续费付款被银行拒了，卡里钱是够的，客服说是银行那边在维护。", &["payment_result=failed", "balance_enough=yes"]),
        ("半年前换了新的营业执照，信息都核对过没问题，续费交了两个小时了，还是停机。", &["details_match=yes", "money_deducted=yes", "time_since_payment=1h_to_24h"]),
        ("机器是别人转给我的，SIM卡已经被注销了，扫码充值提示号码不存在。", &["sim_status=cancelled", "fee_paid=sim_fee", "payment_result=failed"]),
        ("sim card in the terminal expired last month, i topped it up this morning through the app, payment successful but screen still says no service", &["sim_status=stopped", "money_deducted=yes", "paid_via=official_app", "time_since_payment=1h_to_24h", "payment_result=success", "screen_message=no_network"]),
        ("Renewed it online last night, money's been taken from my account but the machine still says suspended on the display.", &["money_deducted=yes", "time_since_payment=over_24h", "screen_message=suspended"]),
        ("The payment failed twice because there wasn't enough money on my card.", &["payment_result=failed", "balance_enough=no"]),
        ("i paid 5 min ago and it said payment successful, i havent restarted the pos", &["money_deducted=yes", "time_since_payment=under_1h", "payment_result=success", "restarted_since=no"]),
        ("We're on the shop wifi. My phone on the same wifi can't load anything either, so I think the internet is down.", &["connection=wifi", "other_devices_online=no"]),
        ("The SIM in the terminal was cancelled by the carrier, the number no longer exists.", &["sim_status=cancelled"]),
        ("After I paid, the terminal just shows 'No Service' in the top corner and there are no signal bars.", &["money_deducted=yes", "screen_message=no_network", "network_icon=none"]),
        ("I never got any confirmation after paying and I'm not sure if it went through.", &["renewal_confirmed=no", "money_deducted=yes"]),
        ("Our business moved to a different city last month; the terminal was fine before the move.", &["moved_recently=yes"]),
        ("The app says my merchant account has been frozen. Renewal payment was deducted on Tuesday.", &["account_status=frozen", "money_deducted=yes", "time_since_payment=over_24h"]),
        ("There's a maintenance notice on the provider's app today. I've paid and the payment shows success.", &["provider_notice=yes", "money_deducted=yes", "payment_result=success"]),
        ("Screen pops up 'new version available, update now?' and I keep pressing later. Paid the renewal two hours ago.", &["screen_message=update_prompt", "software_state=update_available", "money_deducted=yes", "time_since_payment=1h_to_24h"]),
        ("The renewal fee was automatically taken out of yesterday's sales settlement.", &["paid_via=taken_from_sale", "money_deducted=yes"]),
    ];
    assert_reads(&kb, stories);
}

/// Grammar over cue lists (issue 12): families of wordings read by rule,
/// each with examples of our own and a should-not-read case for every
/// precision rule.
#[test]
fn default_kb_merchant_grammar() {
    let kb = story_kb();
    let cases: &[(&str, &[&str])] = &[
        // The app or page speaking ("App上说", "页面上说") is what the
        // merchant saw; someone on the phone is not.
        ("页面上说支付失败", &["payment_result=failed"]),
        ("app里说付款失败了", &["payment_result=failed"]),
        ("客服电话里说信号不好", &[]),
        // A bare 说 after a clause naming no person is the screen or app
        // speaking; after one naming a person it is what they said.
        ("交了两次钱 最后说交易失败", &["money_deducted=yes", "payment_result=failed"]),
        ("付款的时候转了一会儿，说余额不足", &["balance_enough=no"]),
        ("有个人打电话来 说流量费没交要停机", &["notice_source=sms_or_call"]),
        ("业务员来过，说信号不好", &[]),
        // Hedges: 应该, 大概, a final 吧.
        ("钱应该扣了", &[]),
        ("重启过了吧", &[]),
        ("大概是没信号", &[]),
        ("应该是昨天交的吧", &[]),
        // A clause that only doubts takes back the clause before it, not
        // a clause that goes on to say more.
        ("钱扣了，不确定", &[]),
        ("I was charged, I'm not sure", &[]),
        ("钱扣了，不确定是不是服务费", &["money_deducted=yes"]),
        ("重启过了，信号满格，不太确定", &["restarted_since=yes"]),
        // 不到 after a verb negates ("查不到"); before a number it is a time.
        ("App里查不到这笔付款", &[]),
        ("不到一个小时前交的", &["money_deducted=yes", "time_since_payment=under_1h"]),
        // The bank's own message states the payment's facts; a message
        // from anyone else is what they said.
        ("银行来短信说余额不足", &["bank_notice=yes", "balance_enough=no"]),
        ("短信说余额不足", &[]),
        // "maybe" before an amount says about, not perhaps.
        ("I paid maybe 40 minutes ago", &["money_deducted=yes", "time_since_payment=under_1h"]),
        ("paid maybe half an hour ago", &["money_deducted=yes", "time_since_payment=under_1h"]),
        ("maybe I restarted it", &[]),
        // 没一会儿 / 不一会儿 is "soon after", no negation.
        ("没一会儿就重启过了", &["restarted_since=yes"]),
        ("不一会儿钱扣了", &["money_deducted=yes"]),
        // Another device's state is not this one's; "我有一台" is ownership.
        ("另一台机器信号满格", &[]),
        ("其中一台重启过了", &[]),
        ("因为有一台信号好一点", &[]),
        ("the other terminal has full bars", &[]),
        ("我有一台机器，信号满格", &["network_icon=normal"]),
        // Conceding in passing yields to a value said outright.
        ("执照过期了，身份证倒是新的", &["documents_valid=no"]),
        ("身份证倒是新的", &["documents_valid=yes"]),
        // A follow-up on advice: not done, or done; advice alone, or a
        // follow-up on a chip without a negated value, says nothing,
        // except paying after a way or fee of paying was offered.
        ("有个自称客服的打电话，让我扫他微信发过来的二维码交服务费，我就交了", &["notice_source=sms_or_call", "fee_paid=service_fee", "paid_via=link_in_message", "money_deducted=yes"]),
        ("让我加微信扫他发的码，前天交了298", &["paid_via=link_in_message", "money_deducted=yes", "time_since_payment=over_24h"]),
        ("Got a text saying it would be shut off unless I renewed through the link. I tapped it and paid 360 yuan", &["notice_source=sms_or_call", "paid_via=link_in_message", "money_deducted=yes"]),
        ("让我扫他发的码交钱，我没理他", &[]),
        ("让我扫他微信发的码续费 昨天付的 app里啥也没有", &["paid_via=link_in_message", "money_deducted=yes", "time_since_payment=over_24h"]),
        ("让我扫他发的码交钱，我没付的", &["money_deducted=no"]),
        ("让我扫他发的码交钱，我没有交的", &["money_deducted=no"]),
        ("业务员让我扫他发的码交，我没理他，自己在App里交了", &["money_deducted=yes", "paid_via=official_app"]),
        ("客服让我交流量费，我还没交", &[]),
        ("it won't work unless I pay through their link", &[]),
        ("业务员叫我关机重开，我还没弄", &["restarted_since=no"]),
        ("客服让我重启一下，我试过了", &["restarted_since=yes"]),
        ("support told me to restart it but I haven't tried yet", &["restarted_since=no"]),
        ("they told me to reboot it, did that twice", &["restarted_since=yes"]),
        ("客服让我重启", &[]),
        ("让我重启一下看看", &[]),
        ("客服说可能是信号问题，我还没试", &[]),
        // The screen showing a message no cue names is "other"; a message a
        // cue names is that value, and the app showing things is no screen.
        ("屏幕上显示系统繁忙请稍后再试", &["screen_message=other"]),
        ("the screen says transaction not permitted", &["screen_message=other"]),
        ("屏幕上显示无网络", &["screen_message=no_network"]),
        ("the screen says no network", &["screen_message=no_network"]),
        ("the screen shows nothing", &["screen_message=none"]),
        ("屏幕提示升级", &["screen_message=update_prompt"]),
        ("App上显示续费成功", &["payment_result=success"]),
        ("屏幕上说商户状态异常", &["screen_message=account_abnormal"]),
        ("App里商户那栏写着异常", &["account_status=abnormal"]),
        // Adverbs that assert slip into a phrase: the passive 被, 压根, 完全.
        ("货款被扣了", &["money_deducted=yes", "paid_via=taken_from_sale"]),
        ("信号完全没有", &["network_icon=none"]),
        ("压根没重启", &["restarted_since=no"]),
        // Dictation homophones and northern forms, where nothing else fits.
        ("屏幕上写着请先钱到", &["screen_message=signin_failed"]),
        ("昨儿个交的钱", &["money_deducted=yes", "time_since_payment=over_24h"]),
        ("钱到了", &[]),
        // Weekdays and vague spans in the past.
        ("paid last Friday", &["money_deducted=yes", "time_since_payment=over_24h"]),
        ("前阵子交的续费", &["money_deducted=yes", "time_since_payment=over_24h"]),
        // Paying at the agent's is listed for both facts: it says both.
        ("paid it at our agent's office", &["money_deducted=yes", "paid_via=agent"]),
        // Scanning the label to look is no payment through it.
        ("scanned the QR code on the label to check", &[]),
        ("paid with the QR code on the back", &["money_deducted=yes", "paid_via=label_qr"]),
        // Someone claiming to be the provider got in touch.
        ("有人自称是服务商的给我打电话", &["notice_source=sms_or_call"]),
        ("someone claiming to be from the bank called", &["notice_source=sms_or_call"]),
        ("a man called saying my terminal was due", &["notice_source=sms_or_call"]),
        // A result with its subject dropped (Chinese drops subjects).
        ("付了两次，都没成功", &["money_deducted=yes", "payment_result=failed"]),
        // The official app named is not yet paying through it.
        ("我在官方app里看了一下记录", &[]),
        ("I renewed through the official app", &["money_deducted=yes", "paid_via=official_app"]),
        ("机器用的是自带的流量卡", &["connection=sim"]),
        ("sim卡号码已销户", &["sim_status=cancelled"]),
        ("最后确认那一步没点", &["renewal_confirmed=no"]),
        // An A-not-A question asks ("扣没扣", "成功没成功"); a cue before it
        // still tells.
        ("钱扣没扣我也不清楚", &[]),
        ("钱付了，也没看到成功没成功", &["money_deducted=yes", "renewal_confirmed=no"]),
        // … and it asks only its own words: what a run-on clause goes on to
        // tell is told, what finishes the question ("扣没扣钱") is asked.
        ("钱扣没扣现在机子还是显示无网络", &["screen_message=no_network"]),
        ("成功没成功现在机器上写着终端已停机", &["screen_message=suspended"]),
        ("扣没扣钱我也没看", &[]),
        // A denied "say" or "show" denies both alternatives after it; a
        // plain negation reaches only its own cue.
        ("页面转了一会儿又跳回去了，也没说成功失败", &[]),
        ("页面也没提示成功或者失败", &[]),
        ("the app didn't show success or failure", &[]),
        // "有没有关系" doubts only the link it asks about.
        ("不知道跟这个有没有关系机器开了关关了开好几回了", &["restarted_since=yes"]),
        ("有没有扣钱我也不知道", &[]),
        // A hedge hides inside no cue ("信号好|像只有一格").
        ("信号好像只有一格", &[]),
        ("信号只有一格", &["network_icon=weak"]),
        // A code scanned and what was paid with it are one deed across a
        // comma; a full stop ends it.
        ("扫了机器背面贴的二维码，把流量卡的钱交了", &["money_deducted=yes", "paid_via=label_qr", "fee_paid=sim_fee"]),
        ("扫了机器背面贴的二维码。后来在App里把流量费交了", &["money_deducted=yes", "paid_via=official_app", "fee_paid=sim_fee"]),
        // A time said with an intention is the payment's in the clause
        // right after it; a time of something else before the intention
        // is not.
        ("上周想着用起来，把服务费交了，显示成功", &["time_since_payment=over_24h", "money_deducted=yes", "fee_paid=service_fee", "payment_result=success"]),
        ("上礼拜摔坏了我就想着换张卡，续费也交了", &["money_deducted=yes"]),
        ("前两天想接着用，交了续费，钱扣了", &["time_since_payment=over_24h", "money_deducted=yes"]),
        ("我一直冇熄过机", &["restarted_since=no"]),
        // A deadline in a notice ("当天不续费就停用") is no time of its own:
        // the notice's time still reaches the payment after it.
        ("前天收到一条短信，说备案到期，当天不续费就停用，后面附了个链接。我点进去交了198", &["time_since_payment=over_24h", "money_deducted=yes", "notice_source=sms_or_call", "paid_via=link_in_message"]),
        // A sale at the till goes on after 然后 / 最后; what the merchant
        // did next is the renewal again.
        ("续费成功了，可刷卡老是转半天然后失败", &["payment_result=success"]),
        ("刷卡老是失败，然后我又去续费，结果续费失败了", &["payment_result=failed"]),
        ("The renewal went through but every card spins for ages then gets declined", &["payment_result=success"]),
        // A dash standing apart ends a clause: the app, not a person, says.
        ("Renewed in the official app about 40 mins ago - says payment successful", &["paid_via=official_app", "money_deducted=yes", "time_since_payment=under_1h", "payment_result=success"]),
        // An error code names no message of its own: the message it comes
        // with wins.
        ("今早开机屏幕弹“商户状态异常(错误码 E58)”", &["screen_message=account_abnormal"]),
        ("屏幕上出了个错误码 E58", &["screen_message=other"]),
        // A frame doubted after it ("屏幕提示的好像是…") says no message.
        ("屏幕提示的好像是停机，我不太确定", &[]),
        ("屏幕上提示的是位置异常", &["screen_message=other"]),
        ("续废成功 网也正常", &["payment_result=success", "network_icon=normal"]),
        ("显示成攻", &["payment_result=success"]),
        ("renewal went through in the app but cards get declined", &["paid_via=official_app", "payment_result=success"]),
        ("机子连不上信号就一格有时候一格都没有", &["network_icon=weak"]),
        // What the merchant's own side did and saw, relayed ("老板说…",
        // "my dad says…"), is told; what the provider's agent says is not.
        ("老板说续费是上周在App上交的", &["time_since_payment=over_24h", "money_deducted=yes", "paid_via=official_app"]),
        ("客服说续费是上周在App上交的", &[]),
        ("my dad says the screen shows no network", &["screen_message=no_network"]),
        // In a message written for someone else, "她说" / "he says" is that
        // person; elsewhere he or she may be anyone.
        ("帮我妈问一下，她说一直没重启过", &["restarted_since=no"]),
        ("他说一直没重启过", &[]),
        ("Asking for my father. He says he renewed in the app yesterday", &["money_deducted=yes", "paid_via=official_app", "time_since_payment=over_24h"]),
        ("He says he renewed in the app yesterday", &[]),
        // Only who stands between 帮 / 替 / 代 and 问, and 让我问 needs the
        // merchant's own side: an agent's "他说" stays hearsay.
        ("代理收的钱，我问他，他说续费成功", &["money_deducted=yes", "paid_via=agent"]),
        ("客服让我问一下，他说续费成功", &[]),
        ("我老公让我来问。他说昨天在App上续的费", &["time_since_payment=over_24h", "money_deducted=yes", "paid_via=official_app"]),
        // The under-3-months idle chip reads from a week up: a pause of days
        // is no word about dormancy; weeks or months still are.
        ("周末两天没营业", &[]),
        ("两个多月没用了", &["months_since_last_sale=under_3"]),
        // The app telling is what the merchant saw.
        ("the app told me that the business licence has expired", &["documents_valid=no"]),
        ("the agent told me that the business licence has expired", &[]),
        // A fee not paid, whoever did not and however ("她从来没单独交过"),
        // with a comma kept after it.
        ("流量费她从来没单独交过，也不知道还有这个钱", &["money_deducted=no"]),
        ("服务费交了，流量费也一直没交", &["money_deducted=yes", "fee_paid=service_fee"]),
        // A final 吧 hedges back to a comma kept in its clause, not past it.
        ("提示支付成功，也就十几分钟吧", &["payment_result=success"]),
        // 交易拒绝 on the screen is a sale declined, not the renewal.
        ("现在刷什么卡都提示交易拒绝", &[]),
        // A clause that is only a time is said of what a clause before it
        // named, not only the one just before.
        ("续费交了 钱也扣了 机器还是不行 那是四十分钟前的事", &["money_deducted=yes", "time_since_payment=under_1h"]),
        // A cue holding its own negation is not turned round by another
        // negation before it.
        ("nothing else changed um I never switched it off", &["restarted_since=no"]),
        // English "X or not" asks X too.
        ("Restart or not I'm not sure, maybe my staff did", &[]),
        ("paid or not, the screen says suspended", &["screen_message=suspended"]),
        ("到底续上没续上", &[]),
        // A span bought is no time ago ("一年的服务费"); "半个小时的样子" is.
        ("今天上午在app上交了一年的服务费", &["money_deducted=yes", "paid_via=official_app", "fee_paid=service_fee", "time_since_payment=1h_to_24h"]),
        ("交了半个小时的样子", &["money_deducted=yes", "time_since_payment=under_1h"]),
        // "当天" / "that day" is the day just named.
        ("上周五收到短信，我当天就交了", &["notice_source=sms_or_call", "money_deducted=yes", "time_since_payment=over_24h"]),
        ("当天就交了", &["money_deducted=yes"]),
        ("it still says the service is suspended", &["screen_message=suspended"]),
        ("laptops and phones are all online", &["other_devices_online=yes"]),
        ("App上商户状态显示正常 续费记录也有", &["account_status=normal", "renewal_confirmed=yes"]),
        ("续费记录都没有", &[]),
        // A yes/no question is answered in the next clause; a bare 还没有
        // answers only at the end of its clause.
        ("客服问我重启过没有，我说还没有", &["restarted_since=no"]),
        ("did you restart it? not yet", &["restarted_since=no"]),
        ("重启过了吗？重启过了", &["restarted_since=yes"]),
        ("钱扣了吗？还没看", &[]),
        ("扣了没有", &[]),
        // Fears, another occasion, someone else's terminal.
        ("我担心再交一次会被扣两次钱", &[]),
        ("I'm worried the money will be taken twice", &[]),
        ("以前也停过一次，那次重启就好了", &[]),
        ("my friend's terminal needed a restart", &[]),
        ("我还没交钱呢，机器就停了", &["money_deducted=no"]),
        ("续费前信号就不太好", &["network_icon=weak"]),
        ("机器没有显示任何错误，就是黑屏", &["screen_message=none"]),
        ("机器上显示商户不存在", &["screen_message=other"]),
        // A deduction still processing is no money gone; a bare 说 with no
        // person before it is the terminal ("签了好几次都说签到失败").
        ("扣款一直显示处理中，钱倒是没扣", &["payment_result=pending", "money_deducted=no"]),
        ("签了好几次都说签到失败", &["screen_message=signin_failed"]),
        ("我关机开机弄了三四回", &["restarted_since=yes"]),
        ("续费交了，等了半个多小时了", &["money_deducted=yes", "time_since_payment=under_1h"]),
        ("The renewal fee was taken from my bank account on Monday", &["money_deducted=yes", "time_since_payment=over_24h"]),
        ("机器显示无网络", &["screen_message=no_network"]),
        ("the money hasn't come out of my account", &["money_deducted=no"]),
        ("It's connected by cable to the router", &["connection=wired"]),
        ("续费的钱昨儿个就给业务员了", &["money_deducted=yes", "paid_via=agent", "time_since_payment=over_24h"]),
        // Negation corrected in the next clause: what is said outright wins.
        ("It's not the wifi, we use a SIM card.", &["connection=sim"]),
        ("不是没信号，信号是满格的", &["network_icon=normal"]),
        ("钱不是没扣，是扣了两次", &["money_deducted=yes"]),
        ("not charged yet payment still processing", &["money_deducted=no", "payment_result=pending"]),
        // 大概 / 估计 before a number is "about", no hedge.
        ("大概三天前交的", &["money_deducted=yes", "time_since_payment=over_24h"]),
        ("大概是没信号", &[]),
        ("不知道到底交上没有", &["renewal_confirmed=no"]),
        ("续费是业务员帮我弄的，我把钱微信转给他了", &["paid_via=agent", "money_deducted=yes"]),
        ("it asked me to update the software and I said not now", &["screen_message=update_prompt", "software_state=update_available"]),
        // A state said right after the router is the router's.
        ("我们这边网线插着的，路由器重启过了，机器还是没网", &["connection=wired", "screen_message=no_network"]),
        ("I restarted the router and the terminal", &["restarted_since=yes"]),
        ("机器连的是路由器的wifi", &["connection=wifi"]),
        // A pop-up speaking is the screen.
        ("一开机就弹出个框说版本太低要升级", &["screen_message=update_prompt"]),
        // A result shown on an order is no confirmation of success.
        ("银行卡扣了钱，但是续费订单显示失败", &["money_deducted=yes", "payment_result=failed"]),
        ("交了钱以后商户状态变成正常了", &["money_deducted=yes", "account_status=normal"]),
        ("The bank texted me that their system would be down for maintenance", &["bank_notice=yes"]),
        ("I paid through a link in a text that said my terminal would be cut off", &["money_deducted=yes", "paid_via=link_in_message", "notice_source=sms_or_call"]),
        // English drops the subject of "says" at a clause's start: the thing
        // just named speaks, unless a person was named.
        ("Paid in the official app, says successful", &["money_deducted=yes", "paid_via=official_app", "payment_result=success"]),
        ("The agent called, said it was successful", &[]),
        ("they said it failed", &[]),
        // The renewal side speaking ("续费那边说"); a person's side is hearsay.
        ("续费那边说是成功的", &["payment_result=success"]),
        ("客服那边说是成功的", &[]),
        // The bank's own notice states the payment's facts.
        ("银行发的通知说余额不足", &["bank_notice=yes", "balance_enough=no"]),
        // A cue reaching into an A-not-A question is asked.
        ("卡里钱够不够我不知道", &[]),
        ("卡里有好几千肯定够", &["balance_enough=yes"]),
        ("卡里钱不够", &["balance_enough=no"]),
        // Being told to scan the label is advice, not paying through a
        // scammer's code; a payee's code sent over chat is.
        ("叫我扫机器背面那个码自己看", &[]),
        ("对方加了我微信发了个收款码，我扫码转了三百块", &["notice_source=sms_or_call", "paid_via=link_in_message", "money_deducted=yes"]),
        ("续费的时候姓名填成我的了", &["details_match=no"]),
        ("续费提示持卡人姓名与登记信息不符", &["details_match=no"]),
        ("it said the cardholder name does not match", &["details_match=no"]),
        ("the page says the card is cancelled", &["sim_status=cancelled"]),
        // "没X就Y" is Y without X: the negation ends at 就.
        ("最后输验证码那步我没输就退出来了", &["renewal_confirmed=no"]),
        ("还没重启", &["restarted_since=no"]),
        // An adverb may stand before a bare negated verb ("压根没交").
        ("服务费交了，流量费压根没交", &["money_deducted=yes", "fee_paid=service_fee"]),
        ("流量费根本没交", &[]),
        // English words inside a Chinese text are read with the English cues.
        ("换了台新机器 然后pos机 no signal", &["network_icon=none"]),
        ("app里付了 but 信号 full bars", &["money_deducted=yes", "paid_via=official_app", "network_icon=normal"]),
        // 停机 dictated as 停几, only after 已 (停几天 is a few days).
        ("一刷卡还是提示已停几", &["screen_message=suspended"]),
        ("要停几天", &[]),
        ("paid thru the app", &["money_deducted=yes", "paid_via=official_app"]),
        ("刚续完费", &["money_deducted=yes", "time_since_payment=under_1h"]),
        ("信号也OK", &["network_icon=normal"]),
        ("手机用着好好的", &["other_devices_online=yes"]),
        ("对了一下，发现填的是我另一台机器的号", &["details_match=no"]),
        ("the serial number I typed isn't the one on the back of the machine", &["details_match=no"]),
        ("bars on the card machine keep flicking between one and nothing", &["network_icon=weak"]),
        ("It's on a SIM, no wifi down here", &["connection=sim"]),
        ("card balance was too low", &["balance_enough=no"]),
        ("机器的服务费是在app交的", &["money_deducted=yes", "paid_via=official_app", "fee_paid=service_fee"]),
        // Topping up through the terminal's own label is the SIM's top-up.
        ("扫机身上的码充值", &["paid_via=label_qr", "fee_paid=sim_fee"]),
        ("把原来那张流量卡插到新机器上了", &["connection=sim"]),
        // A correction: 应该 right after 不对 states the corrected value;
        // 应该 alone still hedges.
        ("是前天交的 哦不对 应该是昨天交的", &["money_deducted=yes", "time_since_payment=over_24h"]),
        ("应该是昨天交的", &[]),
        // A rhetorical 不是…嘛 affirms; 不是 alone negates.
        ("前两天不是提示停机了嘛", &["screen_message=suspended"]),
        ("不是提示停机", &[]),
        // "I try pay": the merchant's own attempt (through the app); "try"
        // alone is advice.
        ("I try pay the annual fee in the app", &["fee_paid=service_fee", "paid_via=official_app"]),
        ("try restarting it", &[]),
        ("hi try restarting it", &[]),
        // A dictated pause after a word of showing keeps its object with it.
        ("一刷卡屏幕上就出来 商户状态异常", &["screen_message=account_abnormal"]),
        ("屏幕上出来个 机卡不匹配", &["screen_message=other"]),
        // "怎么回事" ends a question in a run-on.
        ("我也不知道是怎么回事信号是满格的", &["network_icon=normal"]),
        ("流量费充了一刻钟了", &["fee_paid=sim_fee", "money_deducted=yes", "time_since_payment=under_1h"]),
        ("续费月初就交过了", &["money_deducted=yes", "time_since_payment=over_24h"]),
        ("renewal was paid weeks ago", &["money_deducted=yes", "time_since_payment=over_24h"]),
        ("今年开张前先把费续了", &["money_deducted=yes"]),
        ("刚续完 显示成功", &["money_deducted=yes", "time_since_payment=under_1h", "payment_result=success"]),
        ("机身号输成了我老婆那台的号", &["details_match=no"]),
        ("Still showing suspended on the screen", &["screen_message=suspended"]),
        ("最后那个确认键压根没按 卡上一分没动", &["renewal_confirmed=no", "money_deducted=no"]),
        ("机器用的是自己的流量卡", &["connection=sim"]),
        ("银行app也推了个通知说系统升级", &["bank_notice=yes"]),
        ("扫机器贴的那个码充流量费", &["paid_via=label_qr", "fee_paid=sim_fee"]),
        ("Service charge I already paid through agent. My phone working fine", &["fee_paid=service_fee", "money_deducted=yes", "paid_via=agent", "other_devices_online=yes"]),
        ("有个男的打电话过来", &["notice_source=sms_or_call"]),
        ("Received a WhatsApp message say my terminal will be suspended", &["notice_source=sms_or_call"]),
        ("换店了 机器搬过去就刷不了", &["moved_recently=yes"]),
        // 时不时 / 动不动 are no A-not-A question and no negation.
        ("屏幕上时不时出一串英文乱码", &["screen_message=other"]),
        ("成功没成功不知道", &[]),
        ("看了下银行卡，钱并没有少", &["money_deducted=no"]),
        // A follow-up "I haven't" on advice: not done.
        ("The guy said try restarting it but I haven't", &["restarted_since=no"]),
        ("Paid the annual fee a fortnight ago via the app", &["fee_paid=service_fee", "money_deducted=yes", "paid_via=official_app", "time_since_payment=over_24h"]),
        ("费是过年前就交过了的", &["money_deducted=yes", "time_since_payment=over_24h"]),
        // 刚 right after a point in time is "just then", no time of its own.
        ("流量费月初刚交过的", &["fee_paid=sim_fee", "money_deducted=yes", "time_since_payment=over_24h"]),
        ("the QR on the sticker says the SIM is stopped", &["sim_status=stopped"]),
        ("刷一笔货款的时候被扣了九十九块", &["money_deducted=yes", "paid_via=taken_from_sale"]),
        ("信号就一格，有时候一格都没有", &["network_icon=weak"]),
        ("名字打错了一个字", &["details_match=no"]),
        ("页面一直显示待支付", &["payment_result=pending"]),
        // Service already expired is the suspended screen; expiring soon is a notice.
        ("屏幕仍然提示服务已到期", &["notice_source=terminal_screen", "screen_message=suspended"]),
        ("机器提示服务到期要续费", &["notice_source=terminal_screen"]),
        ("Terminal nags me about a software update every morning", &["screen_message=update_prompt", "software_state=update_available"]),
        // The same words said for two facts say both, also when each chip
        // merged its own overlapping matches ("app上…续的" + "续的费").
        ("手机app上续的费", &["money_deducted=yes", "paid_via=official_app"]),
        // 补交 and 充上 are paying verbs too.
        ("过期几天才在App上补交", &["money_deducted=yes", "paid_via=official_app"]),
        // How long a lapse lasted is no time since the payment; a time of
        // the payment itself still is.
        ("到期半个月了才找代理交的钱", &["paid_via=agent", "money_deducted=yes"]),
        ("停机三天了，昨天在App上交的费", &["time_since_payment=over_24h", "money_deducted=yes", "paid_via=official_app"]),
        ("昨天下午才在App里补交", &["time_since_payment=over_24h", "money_deducted=yes", "paid_via=official_app"]),
        // What was meant is not what was done.
        ("本来想在App上交续费，进去一看，商户状态写着已注销", &["account_status=cancelled"]),
        // A hedge before the negation still denies the fee.
        ("流量费我好像从来没交过", &[]),
        // An English story quoting the screen's Chinese.
        ("Screen still shows 已停机", &["screen_message=suspended"]),
        // Traditional characters and Cantonese read as the simplified cues.
        ("喺App度續咗費 顯示成功 但係屏幕仲係話停機", &["money_deducted=yes", "paid_via=official_app", "payment_result=success", "screen_message=suspended"]),
        // The bank on the phone states the payment's facts.
        ("我打银行电话，银行说卡里余额不够", &["balance_enough=no"]),
        ("terminal screen still show STOPPED", &["screen_message=suspended"]),
        ("扫了机器背面贴纸上的二维码把流量费充上了", &["paid_via=label_qr", "money_deducted=yes", "fee_paid=sim_fee"]),
        ("押金都交给他了", &["money_deducted=yes"]),
        ("页面里卡的状态也显示正常", &["sim_status=active"]),
        ("topped up the data fee by scanning the QR sticker", &["paid_via=label_qr", "money_deducted=yes", "fee_paid=sim_fee"]),
        // Spinning is the payment's only after a word of paying; the
        // terminal spinning as it starts is a screen, not a payment.
        ("付款一直转圈", &["payment_result=pending"]),
        ("续费成功以后，机器老是卡在开机画面，一直转圈圈", &["payment_result=success", "screen_message=other"]),
        ("'version not supported' on the screen", &["screen_message=other"]),
        ("屏幕上提示版本不兼容", &["screen_message=other"]),
        ("The renewal went through in the app last week", &["payment_result=success", "paid_via=official_app", "time_since_payment=over_24h"]),
        // The provider's official account speaking is a notice the merchant
        // saw, like the bank's own message.
        ("公众号刚推送说今晚系统升级维护", &["provider_notice=yes"]),
        // A bank's short name (the KB's shop words) makes it the bank's account.
        ("建行公众号推送说今晚系统维护", &["bank_notice=yes"]),
        // Non-native English puts a past payment in the present ("I am
        // pay", "I renew … on your app").
        ("I am pay renewal yesterday in the app", &["money_deducted=yes", "paid_via=official_app", "time_since_payment=over_24h"]),
        ("I renew the service fee on your app two hours ago", &["money_deducted=yes", "paid_via=official_app", "fee_paid=service_fee", "time_since_payment=1h_to_24h"]),
        ("I renew every year", &[]),
        ("你们从我刷卡的钱里直接扣了99块", &["money_deducted=yes", "paid_via=taken_from_sale"]),
        ("page says card cancelled", &["sim_status=cancelled"]),
        ("tried paying anyway, wouldnt go through", &["payment_result=failed"]),
        ("电话里让我转账，我转了三百", &["money_deducted=yes"]),
        ("转了半天也没反应", &[]),
        ("Someone add me on WeChat, he send me QR code to pay", &["notice_source=sms_or_call", "paid_via=link_in_message"]),
        ("App里那台显示未续费", &["renewal_confirmed=no"]),
        ("也没收到续费成功的通知", &["renewal_confirmed=no"]),
        ("最后跳个交易超时", &["screen_message=other"]),
        ("declined, nothing taken", &["payment_result=failed", "money_deducted=no"]),
        ("费也续了", &["money_deducted=yes"]),
        // A top-up typed with 冲 (the pinyin keyboard's neighbour of 充).
        ("冲了六十，等了快一个钟头了", &["money_deducted=yes", "time_since_payment=under_1h"]),
        ("App里点进去也是写的异常", &["account_status=abnormal"]),
        ("App首页挂着公告“系统维护中”", &["provider_notice=yes"]),
        // The bank's notice is the bank's, not the provider's.
        ("银行App上挂着公告说今天凌晨系统维护", &["bank_notice=yes"]),
        // A weekday or a month named, said of a payment, is days ago.
        ("Renewal paid Monday", &["money_deducted=yes", "time_since_payment=over_24h"]),
        ("renewed in the app back in October", &["money_deducted=yes", "paid_via=official_app", "time_since_payment=over_24h"]),
        ("stopped since Monday, I paid an hour ago", &["money_deducted=yes", "time_since_payment=1h_to_24h"]),
        // Trying to pay in the app is paying through it, whatever came of it.
        ("I try pay the annual fee in the app, it say payment failed", &["paid_via=official_app", "fee_paid=service_fee", "payment_result=failed"]),
        ("在App里点了续费，没点确认就退出来了", &["paid_via=official_app", "renewal_confirmed=no"]),
        ("App上显示续费成功", &["payment_result=success"]),
        ("续费交好了", &["money_deducted=yes"]),
        ("我点那个网址付的", &["money_deducted=yes", "paid_via=link_in_message"]),
        ("The screen hasn't shown anything unusual", &["screen_message=none"]),
        ("App首页也挂了公告说系统升级", &["provider_notice=yes"]),
        // Upgraded to a new version is the latest; updated "a bit" or
        // "after updating" says nothing of which version it is now.
        ("按它提示升了新版本", &["software_state=latest"]),
        ("机器自己更新了一下，更新完就刷不了了", &[]),
        ("the card page shows active", &["sim_status=active"]),
        // A top-up refused as the number does not exist: a failed payment
        // and a cancelled SIM, both.
        ("扫码充值提示号码不存在", &["payment_result=failed", "sim_status=cancelled", "fee_paid=sim_fee"]),
        ("app shows merchant status: cancelled", &["account_status=cancelled"]),
        ("订单显示已完成", &["payment_result=success"]),
        ("renewal failed, card only had like 30 bucks", &["payment_result=failed", "balance_enough=no"]),
        // The app reminding of something else is no notice of the renewal.
        ("app里提醒身份证过期了", &["documents_valid=no"]),
        ("app里提醒服务快到期了", &["notice_source=official_app"]),
        // Regional written forms: Cantonese (啱啱, 喺…度, 咗, 半个钟),
        // Taiwanese (萤幕, 网路, 连线), Wu (钞票, 付脱).
        ("部机啱啱喺App度交咗年费", &["time_since_payment=under_1h", "money_deducted=yes", "paid_via=official_app", "fee_paid=service_fee"]),
        ("萤幕显示网路连线失败", &["screen_message=no_network"]),
        ("续费钞票付脱了", &["money_deducted=yes"]),
        ("交咗成半个钟仲係停机", &["money_deducted=yes", "time_since_payment=under_1h"]),
        // Cantonese written forms (咗, 嘅, 佢, 蚊).
        ("到账少咗99蚊", &["money_deducted=yes", "paid_via=taken_from_sale"]),
        ("信号那块儿就一个感叹号", &["network_icon=none"]),
        ("页面上写着卡状态'停机'", &["sim_status=stopped"]),
        // A comma kept in a clause (before 也) ends a negation: "没给钱"
        // is still no money.
        ("我还没扫，也没给钱", &["money_deducted=no"]),
        ("he WhatsApp me a QR code and I paid", &["paid_via=link_in_message", "money_deducted=yes"]),
        ("前天群里有人发通知，说要统一续费", &["notice_source=sms_or_call"]),
        ("renewed the annual plan in the app", &["fee_paid=service_fee", "money_deducted=yes", "paid_via=official_app"]),
        ("先在App上把会员费交了", &["fee_paid=service_fee", "money_deducted=yes", "paid_via=official_app"]),
        ("I lent him our card machine", &["moved_recently=yes"]),
        ("营业执照已过有效期，请重新上传", &["documents_valid=no"]),
        ("可我证件都是新换的", &["documents_valid=yes"]),
        ("跟背面标签上的SN差了好几位", &["details_match=no"]),
        ("订单那里写着已关闭", &["payment_result=failed"]),
        ("开机老是跳一个框发现新版本", &["screen_message=update_prompt"]),
        ("the screen just shows 'Application not compatible with system version'", &["screen_message=other"]),
        ("Settings say it's already on the latest version", &["software_state=latest"]),
        ("The merchant portal now says my account is 'Restricted'", &["account_status=restricted"]),
        ("后来才看到App首页有个公告", &["provider_notice=yes"]),
        ("扫背面那个码充了流量费", &["paid_via=label_qr", "money_deducted=yes", "fee_paid=sim_fee"]),
        ("物联卡的数据费两个多小时前在App里补上了", &["fee_paid=sim_fee", "money_deducted=yes", "paid_via=official_app", "time_since_payment=1h_to_24h"]),
        // 小半年 is under half a year, 大半年 over it; "前一天" is the day
        // before another, not a day ago.
        ("机器搁柜子里小半年没用", &["months_since_last_sale=3_to_6"]),
        ("算下来大半年一笔都没有", &["months_since_last_sale=over_6"]),
        ("交费那会儿是半夜，后来才看到它前一天就发了通知", &[]),
        ("前几日交的", &["money_deducted=yes", "time_since_payment=over_24h"]),
        // 当时 / 当场 is the point in time just named.
        ("前天收到条短信，我当时就交了钱", &["notice_source=sms_or_call", "money_deducted=yes", "time_since_payment=over_24h"]),
        // A clause that is only a time is said of the clause before.
        ("银行来短信说扣了365。就二十来分钟前的事", &["money_deducted=yes", "time_since_payment=under_1h"]),
        ("I paid 260 through it, maybe 40 minutes ago", &["money_deducted=yes", "time_since_payment=under_1h"]),
        ("机器坏了，二十分钟前", &[]),
        // The bank's message is a bank notice when it speaks of an outage
        // or a refusal, not of the money taken.
        ("银行发短信说今晚系统维护", &["bank_notice=yes"]),
        // A notice's time is the payment's when the payment follows with
        // no time of its own; not a payment not made, nor one with its own time.
        ("前天收到一条短信，说机器要停用，让点链接续费。我点进去交了298", &["money_deducted=yes", "notice_source=sms_or_call", "paid_via=link_in_message", "time_since_payment=over_24h"]),
        ("Got a text two days ago saying the terminal would be stopped. I clicked the link and paid 180.", &["money_deducted=yes", "notice_source=sms_or_call", "paid_via=link_in_message", "time_since_payment=over_24h"]),
        ("前天收到短信说要停机，我还没交", &["notice_source=sms_or_call"]),
        // Another time said between: the notice's is no longer the latest.
        ("前天收到短信说要停机，昨天店里没开门，我点链接交了298", &["money_deducted=yes", "notice_source=sms_or_call", "paid_via=link_in_message"]),
        ("前天收到短信说要停机，今天上午我在App上交了", &["money_deducted=yes", "notice_source=sms_or_call", "paid_via=official_app", "time_since_payment=1h_to_24h"]),
        // Any of the KB's banks with a message word speaks for the bank.
        ("银行的短信说系统正在升级维护", &["bank_notice=yes"]),
        ("收到工行的短信说系统维护", &["bank_notice=yes"]),
        ("银行也来短信说扣了365", &["money_deducted=yes"]),
        // Both fees named as paid: neither alone.
        ("上午把通讯费和年费都交了", &["money_deducted=yes", "time_since_payment=1h_to_24h"]),
        ("paid the SIM fee and the annual fee", &["money_deducted=yes"]),
        // Customers' cards declined at the till are the sales, not the
        // renewal.
        ("every card is declined", &[]),
        ("刷卡老是转半天后失败", &[]),
        ("renewal declined", &["payment_result=failed"]),
        // Dictation: a doubt or hearsay reaches only so far in a run-on
        // clause; the recogniser's words for app, POS, 重启, 扣款, 签到.
        ("我以为是停机了又去续了一次费一百九十九钱扣了昨天扣的", &["money_deducted=yes", "time_since_payment=over_24h"]),
        ("我以为钱扣了", &[]),
        ("我刚才在艾普上面续费了", &["money_deducted=yes", "paid_via=official_app", "time_since_payment=under_1h"]),
        ("破死机还是停机 我就关机又虫起了一遍", &["restarted_since=yes"]),
        ("上午在官方app上需的费", &["money_deducted=yes", "paid_via=official_app", "time_since_payment=1h_to_24h"]),
        ("续费一直失败 银行卡里就剩几十块了 扣不了款", &["balance_enough=no", "money_deducted=no", "payment_result=failed"]),
        ("收到银行短信说余额不足扣款未成功", &["balance_enough=no", "bank_notice=yes", "money_deducted=no", "payment_result=failed"]),
        ("上面写着 请 先 签 到 我点了一下它显示千到失败", &["screen_message=signin_failed"]),
        ("i paid the re-new all fee on the a pea", &["money_deducted=yes", "paid_via=official_app"]),
        ("our terminal runs on the shop y-fi", &["connection=wifi"]),
        ("i put 48 yuan on the sin card", &["money_deducted=yes", "fee_paid=sim_fee"]),
        ("就是昨天下午收到一个短信说要停用", &["notice_source=sms_or_call"]),
        ("i got a text from my bank saying their system is under maintenance", &["bank_notice=yes"]),
        ("我也不知道为什么钱是前天交的", &["money_deducted=yes", "time_since_payment=over_24h"]),
        ("我也不知道钱扣没扣", &[]),
        ("然后app上查那个卡显示停机", &["sim_status=stopped"]),
        ("屏幕上就提示风险商户交易受限", &["screen_message=account_abnormal", "account_status=restricted"]),
        ("昨天在app里面续费续费成功了", &["paid_via=official_app", "payment_result=success", "time_since_payment=over_24h"]),
        // "every card" reaches its own verb, not a screen quoted later.
        ("every sale fails with 'A0 - please sign in again'", &["screen_message=signin_failed"]),
        ("since then every sale gets declined", &[]),
        ("屏幕上倒也没弹什么提示", &["screen_message=none"]),
        ("屏幕上啥也没写，就是刷不了", &["screen_message=none"]),
        ("none of our phones can get online on the Wi-Fi either", &["other_devices_online=no", "connection=wifi"]),
        ("用的是店里wifi，别的设备上网都正常", &["connection=wifi", "other_devices_online=yes"]),
        ("机器走的自带卡", &["connection=sim"]),
        ("信号图标也正常", &["network_icon=normal"]),
        ("the terminal screen says 'merchant frozen, contact customer service'", &["screen_message=account_abnormal"]),
        ("机器屏幕提示'无效商户'", &["screen_message=account_abnormal"]),
        ("后来看到App首页挂了个公告", &["provider_notice=yes"]),
        ("页面提示'该号码已销户，无法充值'", &["payment_result=failed", "sim_status=cancelled"]),
        ("there's a cross over the signal bars", &["network_icon=none"]),
        ("交完费以后机器一刷卡就报'系统异常 E02'", &["money_deducted=yes", "screen_message=other"]),
        ("拔了电池重新开过", &["restarted_since=yes"]),
        // Weekdays in Chinese, said of a payment.
        ("周一在App上续的费", &["money_deducted=yes", "paid_via=official_app", "time_since_payment=over_24h"]),
        ("I renewed it in the provider's app", &["money_deducted=yes", "paid_via=official_app"]),
        ("He never switches it off", &["restarted_since=no"]),
        ("本来要续水果摊那台，结果选成了店里那台", &["details_match=no"]),
        ("我手快选成了信用卡", &[]),
        ("终端编号最后两位我输反了", &["details_match=no"]),
        ("App里续费那一栏还写着'未支付'", &["paid_via=official_app", "renewal_confirmed=no"]),
        ("App上早就推送了到期提醒", &["notice_source=official_app"]),
        ("App里也没看到什么维护公告", &["provider_notice=no"]),
        ("后来看到建行App首页挂着公告", &["bank_notice=yes"]),
        ("I check my bank, money not taken", &["money_deducted=no"]),
        ("she uses a small wireless card terminal", &[]),
        ("一开机就提示'SIM卡已锁定'", &["screen_message=other"]),
        ("They sent him a QR code on WhatsApp and he paid", &["paid_via=link_in_message", "money_deducted=yes"]),
        ("搬到市里重新开了", &["moved_recently=yes"]),
        ("上个月从广州换到佛山这边摆了", &["moved_recently=yes"]),
        ("SN号我对过两遍，没错", &["details_match=yes"]),
        ("my bank texted me that the money was taken as well", &["money_deducted=yes"]),
        ("I typed the terminal's serial number wrong, one digit off", &["details_match=no"]),
        ("something about a version mismatch", &[]),
        ("每次开机都提醒快到期了", &["notice_source=terminal_screen"]),
        ("屏幕上就弹个框说有新版本", &["screen_message=update_prompt"]),
        ("I paid the renewal through our sales agent", &["money_deducted=yes", "paid_via=agent"]),
        ("屏幕上就跳出来'商户信息异常，请联系服务商'", &["screen_message=account_abnormal"]),
        ("微信扫的机器背面贴纸上那个二维码", &["paid_via=label_qr"]),
        ("原来流量费跟服务费不是一回事", &[]),
        ("上礼拜收款时被直接扣了99的服务费", &["paid_via=taken_from_sale", "money_deducted=yes", "fee_paid=service_fee", "time_since_payment=over_24h"]),
        ("屏幕上也没提示什么", &["screen_message=none"]),
        ("在原来那个铺面重新开了早餐店，也没挪地方", &["moved_recently=no"]),
        ("Signal bars are empty", &["network_icon=none"]),
        ("刷卡老是交易超时", &[]),
        ("最后跳个交易超时", &["screen_message=other"]),
        ("它一会儿有信号一会儿又没了", &["network_icon=weak"]),
        ("昨天才把续费交上，也显示成功了", &["money_deducted=yes", "payment_result=success", "time_since_payment=over_24h"]),
        ("开机的时候老是弹出来有新版本要不要升级", &["screen_message=update_prompt"]),
        ("The terminal keeps popping up asking me to install an update", &["screen_message=update_prompt"]),
        ("got a push in the app saying their system is under maintenance tonight", &["provider_notice=yes"]),
        ("now every sale it says please sign in again", &["screen_message=signin_failed"]),
        ("续费失败，钱没扣，银行那边说系统在维护", &["payment_result=failed", "money_deducted=no", "bank_notice=yes"]),
        ("公司发公告说今晚系统升级", &["provider_notice=yes"]),
        // A question that asks A-not-A asks its whole clause.
        ("流量费要不要另交？", &[]),
        // Words about the sales at the till ("一刷卡就", "every card") void
        // only the payment's chips after them: a screen message still reads.
        ("在新店一刷卡就失败", &[]),
        ("刷卡一直提示交易被拒绝", &["screen_message=other"]),
        ("一刷卡就提示请先签到", &["screen_message=signin_failed"]),
        ("Now every swipe the screen just says 'Declined - call your provider'", &["screen_message=other"]),
        ("农行app首页挂着公告说系统维护到明早", &["bank_notice=yes"]),
        ("Checked my banking app and I'm short this month", &["balance_enough=no"]),
        ("there's only about 60 yuan in that account", &["balance_enough=no"]),
        ("续上的是另一台机器的SN", &["details_match=no", "payment_result=success"]),
        ("我半小时前用手机App交了服务费", &["money_deducted=yes", "paid_via=official_app", "fee_paid=service_fee", "time_since_payment=under_1h"]),
        ("屏幕上偶尔跳一句'应用程序异常'", &["screen_message=other"]),
        ("四格信号", &["network_icon=normal"]),
        ("开机就跳出来'检测到新版本，请更新'", &["screen_message=update_prompt"]),
        ("App里弹了个公告", &["provider_notice=yes"]),
        ("The network icon looks normal", &["network_icon=normal"]),
        ("前两天翻出来续了服务费", &["money_deducted=yes", "fee_paid=service_fee", "time_since_payment=over_24h"]),
        ("我在App上把年费续上了", &["money_deducted=yes", "paid_via=official_app", "fee_paid=service_fee"]),
        // Forms: a label answered no after its colon, and a colon between a
        // label and its value.
        ("5. 重启过没：还没", &["restarted_since=no"]),
        ("Restarted: no", &["restarted_since=no"]),
        ("是否重启：否", &["restarted_since=no"]),
        ("重启：重启了", &["restarted_since=yes"]),
        ("信号：正常", &["network_icon=normal"]),
        ("重启没用", &["restarted_since=yes"]),
        // The pinyin keyboard's 冲 for 充; yday; yhk.
        ("扫机器背后的二维码冲了流量费", &["paid_via=label_qr", "money_deducted=yes", "fee_paid=sim_fee"]),
        ("paid the renewal yday n it went thru", &["money_deducted=yes", "payment_result=success", "time_since_payment=over_24h"]),
        ("上个月app就提醒到期了", &["notice_source=official_app"]),
        ("the app has a banner 'system upgrading, pls try later'", &["provider_notice=yes"]),
        ("机器上提示要更新身份信息", &["screen_message=other"]),
        ("屏幕：刷卡提示'交易被拒绝，请联系收单行'", &["screen_message=other"]),
        ("付完才发现卡号填错了", &["money_deducted=yes", "details_match=no"]),
        // A threat of what would happen (不然 / 否则 / otherwise) and what
        // was demanded ("I must pay") did not happen; "must have" still states.
        ("App里弹消息说证件过期要更新，不然限制交易", &["documents_valid=no"]),
        ("要更新否则限制交易", &["screen_message=update_prompt"]),
        ("renew today, otherwise your account is restricted", &[]),
        ("they said I must pay through their link", &[]),
        ("I must have typed the wrong number", &["details_match=no"]),
        // 签到 dictated as 前到.
        ("屏幕上显示请重新前到", &["screen_message=signin_failed"]),
        // 半天 right after a verb of waiting or fiddling is "for ages".
        ("续费是前天交好的，刷一笔要转半天", &["money_deducted=yes", "time_since_payment=over_24h"]),
        ("交了钱等半天了还是停机", &["money_deducted=yes", "time_since_payment=1h_to_24h"]),
        // A time right before a negated payment is how long it was not paid.
        ("中间停了一年多没交流量费", &[]),
        ("续费三天没到账", &["time_since_payment=over_24h"]),
        // The label's QR used to top up: the SIM fee and the channel.
        ("扫标签上的码去充值，页面显示该卡已销户", &["fee_paid=sim_fee", "paid_via=label_qr", "sim_status=cancelled"]),
        // "A or not A?" asks; "重启了还是不行？" tells.
        ("银行卡没有扣款记录。我这算交了还是没交？", &["money_deducted=no"]),
        ("我重启了还是不行？", &["restarted_since=yes"]),
        // Asking whether the merchant's own deed is the reason takes the deed
        // for granted; asking whether a state is the reason guesses.
        ("是不是因为我半小时前交的钱还没到账？", &["money_deducted=yes", "time_since_payment=under_1h"]),
        ("是不是因为我没重启？", &["restarted_since=no"]),
        ("会不会是因为信号不好？", &[]),
        ("想看哪台信号好点", &[]),
        // The debit failed: no money taken, and the payment failed.
        ("最后提示银行系统繁忙，扣款失败", &["payment_result=failed", "money_deducted=no"]),
        ("Topping up the SIM through the QR code on the terminal's label keeps failing", &["fee_paid=sim_fee", "paid_via=label_qr", "payment_result=failed"]),
        ("微信上有个“客服”发消息，给了个链接", &["notice_source=sms_or_call", "paid_via=link_in_message"]),
        // Pinyin initials typed in a hurry, whole words only.
        ("xf cg了 钱也扣了", &["payment_result=success", "money_deducted=yes"]),
        ("zd提示签到失败 wl正常", &["screen_message=signin_failed", "network_icon=normal"]),
        ("sfz过期了", &["documents_valid=no"]),
        ("the sn is XF2231", &[]),
        // Someone else's terminal.
        ("别人那台倒续上了", &[]),
        // Scanning the label to pay is the channel, even when the page then refuses.
        ("扫机身标签上的码准备交通讯费，页面说这张卡已经注销了", &["paid_via=label_qr", "fee_paid=sim_fee", "sim_status=cancelled"]),
        // The app's word about the account is the account's status, not the screen's.
        ("App里提示商户信息异常，请联系客服", &["account_status=abnormal"]),
        ("四五个月没做过交易了", &["months_since_last_sale=3_to_6"]),
        // Two times in one run-on clause: each anchor takes the time
        // nearest before it.
        ("机器四五个月没用了前段时间店里装修", &["months_since_last_sale=3_to_6"]),
        ("机器四五个月没用了前段时间店里装修然后刚才交了", &["months_since_last_sale=3_to_6", "time_since_payment=under_1h", "money_deducted=yes"]),
        ("交了三天了", &["money_deducted=yes", "time_since_payment=over_24h"]),
        // A deadline with a negated anchor is no time since paying.
        ("短信说三天内不续费就停用", &[]),
        ("Nobody has switched it off since", &["restarted_since=no"]),
        // A renewal "says" its result like an app does.
        ("Renewal says successful", &["payment_result=success"]),
        // A customer's card at the till is no renewal.
        ("刷什么卡都被拒", &[]),
        ("昨晚续了费，显示成功，今天一刷卡还是提示拒绝交易", &["money_deducted=yes", "payment_result=success", "time_since_payment=over_24h"]),
        // Signing in again as a thing done is no sign-in prompt on the screen.
        ("重启、重新签到都做了", &["restarted_since=yes"]),
        ("屏幕上让重新签到", &["screen_message=signin_failed"]),
        ("扫了标签上的码，页面写着卡已停机", &["sim_status=stopped"]),
        ("half the swipes stop with 'Network timeout' on the screen", &["screen_message=no_network"]),
        // Fees named in pinyin inside English.
        ("she paid the liuliang fee yesterday", &["fee_paid=sim_fee", "money_deducted=yes", "time_since_payment=over_24h"]),
        ("paid the fuwu fei through the agent", &["fee_paid=service_fee", "money_deducted=yes", "paid_via=agent"]),
        ("only like 40 kuai left in that acct lol", &["balance_enough=no"]),
        ("the POS hadn't been used for over 2 years", &["months_since_last_sale=over_6"]),
        ("screen freeze then jump back to home page", &["screen_message=other"]),
        ("屏幕一会儿黑屏一会儿白屏的", &["screen_message=other"]),
        ("流量费前天扫机身标签上的二维码充的", &["fee_paid=sim_fee", "paid_via=label_qr", "time_since_payment=over_24h"]),
        // What the screen shows about a card is the sale at the till, not
        // the renewal; a screen message there still reads.
        ("显示成功。今天屏幕上显示交易失败请联系收单行", &["payment_result=success", "screen_message=other"]),
        ("Renewed yesterday and it went through. Cards still won't go through.", &["money_deducted=yes", "payment_result=success", "time_since_payment=over_24h"]),
        ("the confirmation says successful", &["payment_result=success"]),
        ("刷卡提示无效商户", &["screen_message=account_abnormal"]),
        ("App里商户状态那里写着异常", &["account_status=abnormal"]),
        // Going away to work is no move of the terminal.
        ("中间去外地打工两年多没用过", &["months_since_last_sale=over_6"]),
        ("机器带去外地用了", &["moved_recently=yes"]),
        ("今天凌晨交的续费", &["money_deducted=yes", "time_since_payment=1h_to_24h"]),
        ("Paid the yearly fee yesterday through the guy who sold it to me", &["fee_paid=service_fee", "money_deducted=yes", "paid_via=agent", "time_since_payment=over_24h"]),
        ("The guy who sold it to us mentioned the data card", &[]),
        // Another chip's longer reading of an "A…B" cue's first words is
        // neither a claim in its gap nor swallowed by it.
        ("Topped up the data fee in the app yesterday", &["fee_paid=sim_fee", "money_deducted=yes", "paid_via=official_app", "time_since_payment=over_24h"]),
        ("topped up the data sim using the QR on the back sticker", &["fee_paid=sim_fee", "money_deducted=yes", "paid_via=label_qr"]),
        ("流量卡充了钱还是停机", &["fee_paid=sim_fee", "money_deducted=yes"]),
        // A fee right after a negated verb of paying was not paid.
        ("我没交过流量费", &["money_deducted=no"]),
        ("I've never paid the data fee", &["money_deducted=no"]),
        ("流量费交过了", &["fee_paid=sim_fee", "money_deducted=yes"]),
        // Moving a box is no move of the shop; moving the shop is.
        ("老公你把那个箱子搬到里面去", &[]),
        ("我把店从沈阳搬到大连了", &["moved_recently=yes"]),
        ("it's the sim card kind not wifi", &["connection=sim"]),
        ("Renewal went through yesterday, money taken.", &["money_deducted=yes", "payment_result=success", "time_since_payment=over_24h"]),
        ("240 yuan came off the company card", &["money_deducted=yes"]),
        ("99 yuan was not taken", &["money_deducted=no"]),
        // The terminal showing a message no cue names is "other".
        ("现在B台一交易就提示'卡机绑定异常'", &["screen_message=other"]),
        ("刷卡一直提示交易拒绝", &["screen_message=other"]),
        ("每次开机都提示已停机", &["screen_message=suspended"]),
        // A fee said to be billed apart is how fees are billed, not one paid.
        ("上周刚交了一年的服务费。原来流量费是另外交的？", &["fee_paid=service_fee", "money_deducted=yes", "time_since_payment=over_24h"]),
        ("业务员说流量费要单独交", &[]),
        ("paid the service fee, but the sim data plan is separate", &["fee_paid=service_fee", "money_deducted=yes"]),
        // A payment to someone else is no renewal, nor its time.
        ("那张卡前天刚付了一批货款，估计没剩多少了", &[]),
        ("上午刚给供应商转了一笔货款", &[]),
        ("上午刚交了续费", &["money_deducted=yes", "time_since_payment=1h_to_24h"]),
        ("I paid our main supplier yesterday", &[]),
        // A payment a year or more ago is the previous renewal.
        ("去年续费是代理帮我弄的，今年我自己在App上续", &["paid_via=official_app"]),
        ("Last year I paid on time and had no trouble", &["money_deducted=yes"]),
        ("续费是上个月交的", &["money_deducted=yes", "time_since_payment=over_24h"]),
        // A bank's message and what it says, across a comma, are one clause.
        ("后来收到银行短信，说今晚系统维护", &["bank_notice=yes"]),
        ("银行发了短信，说系统升级维护", &["bank_notice=yes"]),
        // Dialect and misspelt words folded: Cantonese 俾咗 / 噚日 / 写住 /
        // 个mon, Sichuanese 将将 / app头 / 停鸡, Wu 勒 / 交脱 / 扣脱,
        // English "anual", "throuh", "offical", "minuts".
        ("喺App度俾咗年費，顯示成功", &["money_deducted=yes", "paid_via=official_app", "fee_paid=service_fee", "payment_result=success"]),
        ("噚日喺App俾咗錢，個mon仲係寫住停機", &["time_since_payment=over_24h", "money_deducted=yes", "paid_via=official_app", "screen_message=suspended"]),
        ("将将在app头交了序费 钱也遭扣了", &["time_since_payment=under_1h", "paid_via=official_app", "money_deducted=yes"]),
        ("屏幕上写的停鸡", &["screen_message=suspended"]),
        ("前两日勒App里交脱两百块续费 钞票也扣脱了", &["time_since_payment=over_24h", "paid_via=official_app", "money_deducted=yes"]),
        ("I paid the anual fee throuh the offical app 20 minuts ago", &["money_deducted=yes", "fee_paid=service_fee", "paid_via=official_app", "time_since_payment=under_1h"]),
        // A message "with a link" names how it was paid, unless a clause
        // of its own then refuses it.
        ("收到短信，里面有个链接，我点进去交了299", &["notice_source=sms_or_call", "paid_via=link_in_message", "money_deducted=yes"]),
        ("收到短信，里面有个链接，我没理", &["notice_source=sms_or_call"]),
        ("Got a text with a link, I ignored it", &["notice_source=sms_or_call"]),
        ("短信里有个链接，我没点，直接在App里交了", &["money_deducted=yes", "paid_via=official_app"]),
        // A slip the merchant owns up to, even hedged, is wrong details.
        ("SN号好像输错了一位，钱扣了", &["details_match=no", "money_deducted=yes"]),
        ("I typed in the serial number of an old machine", &["details_match=no"]),
        ("我好像没输错", &[]),
        // "一类的话" / "之类的话" quote words, no "if"; 难道 doubts.
        ("页面上写着此号码已销户一类的话", &["sim_status=cancelled"]),
        ("屏幕上写着已停机之类的话", &["screen_message=suspended"]),
        ("如果号码已销户的话", &[]),
        ("服务费交了，流量费难道是另外交的？", &["money_deducted=yes", "fee_paid=service_fee"]),
        ("难道钱没扣", &[]),
        // Asked to ask is a relay, not advice.
        ("老板娘让我问：她身份证是上个月到期的", &["documents_valid=no"]),
        ("客服让我重启", &[]),
        ("开机以后一点开就卡在白屏不动", &["screen_message=other"]),
        ("paid for a SIM top-up through the QR code sticker on the back", &["fee_paid=sim_fee", "money_deducted=yes", "paid_via=label_qr"]),
        ("Paid the renewal, went through fine. The terminal screen just says transaction declined.", &["money_deducted=yes", "payment_result=success", "screen_message=other"]),
        ("支付结果是成功，商户状态变成了风控审核中", &["account_status=restricted", "payment_result=success"]),
        // A notice's hours stand between its two parts as one word; a bank
        // says 我行 of itself; the hours a notice announces are no time the
        // merchant paid.
        ("后来银行发短信说今天凌晨到中午系统维护", &["bank_notice=yes"]),
        ("银行短信说当晚零点到早上六点系统维护", &["bank_notice=yes"]),
        ("银行短信说那天晚上来了好多客人店里忙所以系统维护", &[]),
        ("银行发来短信：我行将于11月30日00:00-06:00进行系统升级。续费是在App里交的", &["notice_source=sms_or_call", "bank_notice=yes", "money_deducted=yes", "paid_via=official_app"]),
        // English without articles; same-pinyin slips; a call to me; a
        // screen's early reminder; a code sent over; a notice seen.
        ("I paid service fee in app two days ago", &["money_deducted=yes", "paid_via=official_app", "fee_paid=service_fee", "time_since_payment=over_24h"]),
        ("页面上说续费城功", &["payment_result=success"]),
        ("刚才徐费 提示付款失败", &["time_since_payment=under_1h", "payment_result=failed"]),
        ("I recieved this SMS, then paid", &["notice_source=sms_or_call", "money_deducted=yes"]),
        ("昨天有个男的打电话给我 说他是银联客服", &["notice_source=sms_or_call"]),
        ("屏幕早就提示服务即将到期，我一直拖着", &["notice_source=terminal_screen"]),
        ("他加了我微信，发个二维码过来，我扫了付了380", &["notice_source=sms_or_call", "paid_via=link_in_message", "money_deducted=yes"]),
        ("我去App首页看见一个公高说今晚系统升级维护", &["provider_notice=yes"]),
        // Sales collected are no payment of the fee; more slips; pinyin
        // of the screen's words; a move told in English; an old number typed.
        ("上周收了几笔大的，后来续费也交了", &["money_deducted=yes"]),
        ("流亮费交了", &["money_deducted=yes", "fee_paid=sim_fee"]),
        ("app离交的", &["money_deducted=yes", "paid_via=official_app"]),
        ("the screen says qing chong xin qian dao", &["screen_message=signin_failed"]),
        ("I moved from Hangzhou to Suzhou and took the POS with me", &["moved_recently=yes"]),
        ("I typed my old bank card number, payment failed", &["details_match=no", "payment_result=failed"]),
        // "这才过了半个小时" is a time alone, of the payment said before;
        // cash handed over is money gone; 抄错 is a slip; a new ID not yet
        // uploaded is an expired one; "提示续费失败" is no reminder.
        ("他在后台帮我续的，我把99块现金给了他。这才过了半个小时", &["money_deducted=yes", "time_since_payment=under_1h"]),
        ("我在App里续费时把机身SN号抄错了一位，提示续费失败", &["paid_via=official_app", "details_match=no", "payment_result=failed"]),
        ("我：啊 新的办了还没传", &["documents_valid=no"]),
        // The app as the way of paying: a renewal started there, a try
        // made twice, a merchant picked wrong there, "那个软件".
        ("I started the renewal in the app but never pressed confirm", &["paid_via=official_app", "renewal_confirmed=no"]),
        ("I tried twice to pay the annual fee in the app, payment failed", &["paid_via=official_app", "fee_paid=service_fee", "payment_result=failed"]),
        ("I tried to pay the POS service fee in the official app and the payment failed", &["paid_via=official_app", "fee_paid=service_fee", "payment_result=failed"]),
        ("我老公用他手机帮我交的，App里选错了商户", &["money_deducted=yes", "paid_via=official_app", "details_match=no"]),
        ("昨儿个在手机上管这机器那个软件里把年费交了", &["time_since_payment=over_24h", "paid_via=official_app", "money_deducted=yes", "fee_paid=service_fee"]),
        // "99年费" is an amount, not 99 years.
        ("前天在App交的99年费", &["time_since_payment=over_24h", "money_deducted=yes", "paid_via=official_app", "fee_paid=service_fee"]),
        // ... but not an app only looked at.
        ("I paid through a link. In the official app I see nothing", &["money_deducted=yes", "paid_via=link_in_message"]),
        // Sixteenth round. A time told of another deed in the same breath
        // (opening the shop, a call, how long a call took, something that
        // began) is none of the payment's, in Chinese (the time before its
        // deed) and in English (after it); a time before a payment word
        // still is.
        ("前天在App交的续费成功了今天早上开店还是不行", &["time_since_payment=over_24h", "money_deducted=yes", "paid_via=official_app", "payment_result=success"]),
        ("十分钟前交的钱显示成功我一个小时前给客服打过电话", &["time_since_payment=under_1h", "money_deducted=yes", "payment_result=success"]),
        ("上周交的年费钱也扣了打客服打了一个小时都没打通", &["time_since_payment=over_24h", "fee_paid=service_fee", "money_deducted=yes"]),
        ("交的钱成功了从昨天开始路由器就一直闪红", &["money_deducted=yes", "payment_result=success"]),
        ("从昨晚开始续费一直支付失败", &["time_since_payment=over_24h", "payment_result=failed"]),
        ("续费今天早上交的", &["time_since_payment=1h_to_24h", "money_deducted=yes"]),
        ("i opened the shop at eight this morning so i paid the renewal in the app", &["money_deducted=yes", "paid_via=official_app"]),
        ("i called support yesterday and paid the renewal", &["money_deducted=yes"]),
        // "当时 / that same day" is the day just named in the same breath.
        ("昨天下午收到一条短信我当时就点进去交了钱今天早上开店还是停机", &["notice_source=sms_or_call", "paid_via=link_in_message", "money_deducted=yes", "time_since_payment=over_24h"]),
        // A bare 交 after "App里 / App上" is a payment; northern words for
        // the morning; 刚过 before a time alone.
        ("我拖到上周三才在App里交", &["time_since_payment=over_24h", "paid_via=official_app"]),
        ("今儿头晌在App上交的", &["time_since_payment=1h_to_24h", "money_deducted=yes", "paid_via=official_app"]),
        ("1号下午两点交了年费，现在三点，刚过半小时", &["fee_paid=service_fee", "money_deducted=yes", "time_since_payment=under_1h"]),
        // Another terminal beside this one that takes cards; a complement
        // 点不进去 negates nothing after it; a mid-sentence 吧 ends a doubt.
        ("旁边另一台机器正常刷卡", &["other_devices_online=yes"]),
        ("屏幕什么都点不进去信号是满格的", &["network_icon=normal"]),
        ("应该是半个小时前吧信号是满格的", &["network_icon=normal"]),
        // Pinyin-keyboard slips; Cantonese 畀 (pay), 嚟 (来), 机背, 点入去.
        ("上周续废的时候卡号输措了，提示失白", &["time_since_payment=over_24h", "details_match=no", "payment_result=failed"]),
        ("扫咗机背标签个二维码，畀咗48蚊", &["paid_via=label_qr", "money_deducted=yes"]),
        ("佢发嚟一条链接，我点入去畀咗钱", &["money_deducted=yes", "paid_via=link_in_message"]),
        // A time said alone, hedged with 吧, or before the payment it is of;
        // "现在快两个钟头了" alone is the time since; 当时 told of a step on
        // the way to paying carries to the payment.
        ("在App上交的续费 我想想 二十分钟前吧", &["money_deducted=yes", "paid_via=official_app", "time_since_payment=under_1h"]),
        ("大概十分钟前 我在App里交续费", &["paid_via=official_app", "time_since_payment=under_1h"]),
        ("扫码交了120，说半小时就恢复。现在快两个钟头了，机器还是停机。", &["money_deducted=yes", "time_since_payment=1h_to_24h"]),
        ("昨晚收到短信，我当时就点进去填了卡号，交了168", &["notice_source=sms_or_call", "money_deducted=yes", "time_since_payment=over_24h"]),
        // "so I" ends a report; the app's message, error or popup speaks
        // for the screen; words in quotes after a sale are still the sale's.
        ("he told me it must be renewed so I paid 299 to the agent", &["money_deducted=yes", "paid_via=agent"]),
        ("the error says 余额不足", &["balance_enough=no"]),
        ("一刷卡就提示“终端位置异常，交易被拒绝”", &["screen_message=other"]),
        // An agent who only looked at the terminal took no payment.
        ("业务员帮我看了，说没问题", &[]),
        ("业务员帮我在后台续的", &["money_deducted=yes", "paid_via=agent"]),
        // English: the network said fine, a SIM connected through, a
        // warning seen on the terminal.
        ("network's fine", &["network_icon=normal"]),
        ("It connects through a SIM card", &["connection=sim"]),
        ("I saw the warning on the machine", &["notice_source=terminal_screen"]),
    ];
    assert_reads(&kb, cases);
}

/// Gate at the issue's bar on tests/scenarios/extra.json (our own older
/// stories, labelled by DESIGN's conventions).
#[test]
fn extra_stories_precision_and_recall() {
    let kb = story_kb();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/scenarios/extra.json");
    let (sc, notes) = score(&kb, path);
    for n in &notes {
        println!("extra: {n}");
    }
    let precision = sc.correct as f64 / sc.found.max(1) as f64;
    let recall = sc.correct as f64 / sc.expected.max(1) as f64;
    println!("extra: found {} correct {} expected {}: precision {precision:.3} recall {recall:.3}", sc.found, sc.correct, sc.expected);
    assert!(precision >= 0.92, "precision {precision:.3}");
    assert!(recall >= 0.80, "recall {recall:.3}");
}

/// Not a gate: prints the figures on tests/scenarios/own-dev.json (tuning
/// set) with `--nocapture`. The held-out own-holdout2.json is never read here.
#[test]
fn own_dev_stories_report() {
    let kb = story_kb();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/scenarios/own-dev.json");
    if !std::path::Path::new(path).exists() {
        return;
    }
    let (sc, notes) = score(&kb, path);
    for n in &notes {
        println!("own-dev: {n}");
    }
    let precision = sc.correct as f64 / sc.found.max(1) as f64;
    let recall = sc.correct as f64 / sc.expected.max(1) as f64;
    println!("own-dev: found {} correct {} expected {}: precision {precision:.3} recall {recall:.3}", sc.found, sc.correct, sc.expected);
}

/// The shop words are the KB's (`shop_words`), not the extractor's: with
/// them, words about a customer's card or the router are context; a KB
/// without them reads the same words plainly.
#[test]
fn shop_words_come_from_the_kb() {
    let with = rule_kb();
    let mut without = rule_kb();
    without.shop_words = ShopWords::default();
    assert_eq!(read(&with, "一刷卡就失败"), Vec::<String>::new());
    assert_eq!(read(&without, "一刷卡就失败"), vec!["payment_result=failed".to_string()]);
    assert_eq!(read(&with, "every card failed"), Vec::<String>::new());
    assert_eq!(read(&without, "every card failed"), vec!["payment_result=failed".to_string()]);
    assert_eq!(read(&with, "路由器重启过了"), Vec::<String>::new());
    assert_eq!(read(&without, "路由器重启过了"), vec!["restarted_since=yes".to_string()]);
}

/// Banks and what a shop pays others are the KB's words too
/// (`shop_words.banks`, `shop_words.other_payments`): without them a bank's
/// message across a comma is not the bank's, and a payment for goods reads
/// as money paid.
#[test]
fn banks_and_other_payments_come_from_the_kb() {
    let with = story_kb();
    let mut without = story_kb();
    without.shop_words.banks = TextList::default();
    without.shop_words.other_payments = TextList::default();
    let bank = "收到银行的短信，说今晚系统维护";
    assert!(read(&with, bank).contains(&"bank_notice=yes".to_string()), "{:?}", read(&with, bank));
    assert!(!read(&without, bank).contains(&"bank_notice=yes".to_string()), "{:?}", read(&without, bank));
    for goods in ["上周刚付了一批货款", "paid our supplier yesterday"] {
        assert!(!read(&with, goods).contains(&"money_deducted=yes".to_string()), "{goods}: {:?}", read(&with, goods));
        assert!(read(&without, goods).contains(&"money_deducted=yes".to_string()), "{goods}: {:?}", read(&without, goods));
    }
}

/// Once the merchant has named the agent (`shop_words.agents`), a pronoun
/// the money went to is the agent; a pronoun that speaks or is called is
/// not, nor one with no agent named before it.
#[test]
fn a_pronoun_the_money_went_to_is_the_agent_once_named() {
    let kb = story_kb();
    let agent = "paid_via=agent".to_string();
    for text in [
        "新换的机器是业务员拿来的，服务费都交给他了",
        "业务员说到期了，我就在他那儿交了年费",
        "Got the terminal from our agent and paid him the fee",
        "Our agent came by, I paid the 99 yuan fee to her on WeChat",
        "新机器是业务员拿来的，续费也是他帮我交的",
    ] {
        let got = read(&kb, text);
        assert!(got.contains(&agent) && got.contains(&"money_deducted=yes".to_string()), "{text}: {got:?}");
    }
    for text in ["我老公把钱给他了", "I paid him the fee", "业务员来过了，他说交好了", "业务员让我给他打电话", "the agent told me to call him", "业务员来过，他帮我重启了"] {
        assert!(!read(&kb, text).contains(&agent), "{text}: {:?}", read(&kb, text));
    }
    // The agent's names are the KB's: without them the pronoun stays one.
    let mut without = story_kb();
    without.shop_words.agents = TextList::default();
    assert!(!read(&without, "新换的机器是业务员拿来的，服务费都交给他了").contains(&agent));
}

/// A provider's name is read as "the provider", never as the words inside
/// it: "随行付的" holds no "付的" (money paid).
#[test]
fn provider_names_are_not_the_merchants_words() {
    let kb = story_kb();
    assert_eq!(read(&kb, "随行付的机器续费成功了"), vec!["payment_result=success".to_string()]);
    assert_eq!(read(&kb, "汇付的智能POS，秒到的钱都收不了"), Vec::<String>::new());
    assert_eq!(read(&kb, "拉卡拉发了公告说今晚系统维护"), vec!["provider_notice=yes".to_string()]);
    // Before "app" the name is the provider's own app, the official one.
    // (In text order: the official app's cue starts at 用.)
    assert_eq!(read(&kb, "用拉卡拉App续的费"), vec!["paid_via=official_app".to_string(), "money_deducted=yes".to_string()]);
    assert_eq!(read(&kb, "paid on the Lakala app"), vec!["money_deducted=yes".to_string(), "paid_via=official_app".to_string()]);
    assert_eq!(read(&kb, "the Lakala terminal went through"), vec!["payment_result=success".to_string()]);
    // Without the names, the same words read as a payment.
    let mut plain = story_kb();
    plain.shop_words.providers = TextList::default();
    assert!(read(&plain, "随行付的机器续费成功了").contains(&"money_deducted=yes".to_string()));
}
