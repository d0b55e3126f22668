//! The extractor: the merchant's own words → fact=value, with the words
//! that triggered each (DESIGN "What the merchant already knows comes
//! first", "The page"). Pure Rust, no browser types; driven by the KB's
//! observations (their cue phrases per language), so it knows nothing about
//! POS terminals itself: only language (clauses, negation, contrast,
//! reported speech, time expressions, numbers, width and case).
//!
//! How a text is read:
//! 1. Normalised (`words::normalize`): full-width ASCII to half-width, ASCII
//!    lowercase, a few colloquial, regional and dictated forms to standard
//!    ones (木有→没有, 咋→怎么, 啥→什么, 重起→重启, Cantonese 喺→在, Taiwanese
//!    萤幕→屏幕, Wu 钞票→钱 …). Cues are normalised alike.
//! 2. Cut into clauses (`words::clauses`) at punctuation and at contrast
//!    and sequence words (但/可是/不过/然后/后来/结果, but/however/then), so
//!    dictated text without punctuation still has clauses.
//! 3. In each clause, the cue phrases of both languages are matched (a
//!    Chinese text may hold English words: "pos机 no signal"),
//!    longest first, without overlap (a cue that holds its own negation,
//!    "没扣钱", beats the shorter "扣钱"); English cues on word boundaries
//!    (a final s/es/ed/d/ing/'s allowed: "restart" matches "restarted"; a
//!    determiner stands for any other: "through the agent" matches
//!    "through our agent"). A cue written "A…B" is its two parts in this
//!    order in one clause, at most 8 characters or words apart, with no
//!    cue between that asserts something of its own (of a chip with a
//!    `negated` value, or of the same fact): "身份证…过期" reads
//!    "身份证去年十二月就过期了", "paid…in the app" reads "paid the service
//!    fee in the app", "流量卡…停机" does not read "流量卡充了钱还是停机"; negation
//!    and hedges are read before its last part ("身份证没过期"). "|"
//!    separates alternatives of a part ("身份证|执照…过期|到期"). The very
//!    same words listed for two facts say both ("topped up the sim"). A
//!    frame "A…*" (A, then anything) is a fallback: "screen says…*" gives
//!    its value only when no other value of the fact is said.
//! 4. The words outside the matched cues are read for what they do to the
//!    cues after them in the clause (`words::Mark`): a negator at most 4
//!    characters or words before the next cue flips it to the chip's
//!    `negated` value (or voids it), unless the cue holds its own negation
//!    ("nothing else changed, I never switched it off"); uncertainty (不知道, 有没有, not sure),
//!    reported speech (客服说, 听说, they said; not "屏幕说", "App上说",
//!    "我说", "the app told me", nor the merchant's own side relayed:
//!    "老板说", "my dad says", and in a message written for someone else
//!    ("帮我妈问一下") "她说", "he says",
//!    nor a bare 说 after a clause naming no person: "续的费 没成功
//!    说卡里余额不够" is the app speaking), hypotheticals (如果, 可能, 应该,
//!    会被, 就能, maybe, should, if; 的话 anywhere and a final 吧 void the
//!    clause, back to a comma kept in it), another device (另一台, 其中一台, the other terminal) and advice (建议, 让我, try, suggested, unless; lifted by a later 了:
//!    "让我扫码交了钱" was done) void the cues after them, up to an English
//!    "and" ("… would be suspended and I paid through the link") and at
//!    most 12 characters or words on (a dictated run-on says more after
//!    them). Words about the sales at the till (the KB's `shop_words`: 一刷卡就, every
//!    card) void only the payment's chips close after them ("一刷卡就失败"
//!    is no failed renewal; a screen message there still reads). A negation
//!    ends at a comma kept in the clause ("我还没扫，也没给钱"). A form's
//!    label answered no after its colon ("重启：还没", "Restarted: no") is
//!    the chip's negated value, and a colon may stand between a label and
//!    its value ("信号：正常"). A cue
//!    of a chip without a negated value followed by a bare negated verb,
//!    or right after a negated verb of paying, says nothing ("流量卡的年费
//!    没交", "我没交过流量费": the SIM fee was not paid), nor does a fee
//!    said to be billed apart ("流量费是另外交的"). A yes/no
//!    question ("钱扣了吗", "did it go through?", "流量费要不要另交？") says
//!    nothing, nor does "X or not" ("restart or not, I'm not sure").
//!    Chinese cues allow one slipped-in adverb that asserts (信号也正常,
//!    钱肯定够, 身份证已经过期, 信号有点弱); hedges are marks, never slipped.
//! 5. Time expressions (`time::durations`) become hours ago; a time chip
//!    (`hours`) is chosen when the duration falls in its range and its
//!    clause holds one of the chip's `anchors` (so "昨天机器升级了" is not
//!    about the payment; "转了半天" is "for ages", no time); with two times
//!    in a run-on clause each anchor takes the one nearest before it
//!    ("四五个月没用了前段时间店里装修"); a time before a negated anchor is
//!    how long it was not done or a deadline ("三天内不续费就停用"); a duration
//!    since ("快一个小时了", not "…前" or "ago"), or a clause that is only
//!    a time ("就二十来分钟前的事"), may take the anchor from the clause
//!    before; a clause that is only a time, from any clause before it.
//! 6. One value per fact. Two values of one fact joined by "and"
//!    ("通讯费和年费都交了") say neither. Conflicts: a value said outright beats one said
//!    in passing (倒是, at least: "执照过期了，身份证倒是新的") or inferred
//!    from a follow-up on advice ("让我重启，我试过了"), which beats one read
//!    through a negation ("I paid …, I never paid anything for the SIM"),
//!    and between equals the later mention wins, because merchants correct
//!    themselves ("先是处理中后来显示成功"). A clause that only doubts
//!    ("…没扣吧，不确定") takes back the clause before it. Advice or a
//!    report followed by "我还没试" / "haven't done that yet" is read as
//!    not done (the chip's `negated` value); a way or fee of paying others
//!    offered, followed by paying ("让我扫他发的码交钱，我就交了", "… unless
//!    I paid through their link. I paid it"), as done.

mod time;
mod words;

use crate::kb::{Kb, Lang, Observation, ShopWords};
use words::{is_word, Mark};

/// One understood fact=value.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// The observation (index into `Kb::observations`) whose fact=value
    /// this is; its `question` and `answer` are the fact and the value.
    pub observation: usize,
    /// The fact (question index) and value (answer index).
    pub question: usize,
    pub answer: usize,
    /// Byte range in the input text of the words that triggered it.
    pub start: usize,
    pub end: usize,
}

/// What was understood: at most one value per fact, in text order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Extraction {
    pub found: Vec<Found>,
}

/// The language a text is written in: Chinese when it holds any Han
/// character, English otherwise.
pub fn detect_lang(text: &str) -> Lang {
    if text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) {
        Lang::Zh
    } else {
        Lang::En
    }
}

/// The last part of a frame cue, "A…*": A followed by anything in its
/// clause ("屏幕上显示…*", "screen says…*") says its value only when no
/// other value of its fact is said anywhere in the text: "the screen says
/// system busy" is a message no cue names; "the screen says no network"
/// is `no_network`.
const FRAME: &str = "*";

/// How far (characters or words) a negator reaches to the cue after it.
const NEGATION_REACH: usize = 4;

/// How far (characters or words) the two parts of a cue written "A…B"
/// may stand apart ("身份证…过期" in "身份证去年十二月就过期了").
const GAP_REACH: usize = 8;
/// The same after a first part ending in a Latin word: English says more
/// words for as much ("paid the renewal for the card machine like ten
/// minutes ago in the app"). 12 read ten more tuning stories right and
/// none wrong (8 before).
const GAP_REACH_WORDS: usize = 12;
/// How far a doubt, hearsay, hypothetical or advice reaches: the characters
/// (Chinese) or words (English) between it and the cue.
const VOID_REACH: usize = 12;
/// How far an A-not-A question reaches after it: the word or two that
/// finish it ("扣没扣钱", "到没到账").
const ASKED_REACH: usize = 2;
/// How far "every card" / 一刷卡就 reaches: the few words it governs
/// ("every card is declined", "一刷卡就失败", "刷卡一直提示交易被拒绝"). A
/// Chinese character counts one, so Chinese reaches further ("刷卡老是转半天
/// 后失败"); an English run-on goes on to other things sooner.
const SALES_REACH: [usize; 2] = [8, 4];

/// The topic of the payment's chips, which words about the sales at the
/// till never speak of.
const PAYMENT_TOPIC: usize = 0;
/// The topic of the notices' chips (an SMS or call, the bank's or the
/// provider's notice).
const NOTICES_TOPIC: usize = 4;

/// Does a `Sales` mark ("every card", 一刷卡就) stand close before the cue at
/// `s`? Then the cue is about the sales at the till, not the renewal.
fn sold_before(clause: &[char], marks: &[(Mark, usize, usize)], s: usize) -> bool {
    marks.iter().any(|&(m, ms, me)| m == Mark::Sales && ms < s && words::gap(clause, me, s) <= sales_reach(clause[ms]))
}

/// `SALES_REACH` for words starting with `c` (Chinese or English).
fn sales_reach(c: char) -> usize {
    SALES_REACH[usize::from(c < '\u{2e80}')]
}

/// A cue phrase, normalised, and its chip. A cue written "A…B" is two
/// parts in this order in one clause, at most `GAP_REACH` apart, with no
/// other cue in between; `rest` names B's alternatives.
struct Cue<'p> {
    chars: &'p [char],
    /// Index into the alternatives of B (none for a plain cue).
    rest: Option<usize>,
    observation: usize,
}

/// A cue found in a clause: its range, its chip, the end of its first
/// part and the start of its last (the same as the range for a plain
/// cue): negation and hedges are read before the last part ("身份证没过期").
#[derive(Clone, Copy)]
struct Match {
    start: usize,
    end: usize,
    observation: usize,
    first_end: usize,
    key: usize,
}

/// English determiners: a cue written with one matches any of them
/// ("through our agent" for "through the agent").
const DETERMINERS: &[&str] = &["the", "my", "our", "a", "an", "any", "some", "your", "his", "her", "their", "its", "this", "that"];

/// A candidate value for a fact, before the one-per-fact rule.
struct Pick {
    observation: usize,
    question: usize,
    answer: usize,
    /// Normalised character range in the whole text.
    start: usize,
    end: usize,
    /// How firmly it was said: `OUTRIGHT`, `CONCEDED` or `NEGATED`.
    strength: u8,
}

impl Pick {
    /// The pick of `observation`'s fact=value (one constructor, not one per
    /// call site: less code in the page's wasm).
    fn of(obs: &[Observation], observation: usize, start: usize, end: usize, strength: u8) -> Pick {
        let x = &obs[observation];
        Pick { observation, question: x.question, answer: x.answer, start, end, strength }
    }

    /// What a follow-up on advice about the chip `o` says: done is the chip
    /// itself, conceded; not done its negated value, if it has one.
    fn followed_up(obs: &[Observation], o: usize, done: bool, start: usize, end: usize) -> Option<Pick> {
        let observation = if done { o } else { negated_of(obs, o)? };
        Some(Pick::of(obs, observation, start, end, if done { CONCEDED } else { NEGATED }))
    }
}

/// The chip of the negated value of `o`'s fact, if `o` names one.
fn negated_of(obs: &[Observation], o: usize) -> Option<usize> {
    let v = obs[o].negated?;
    obs.iter().position(|x| x.question == obs[o].question && x.answer == v)
}

/// Said outright.
const OUTRIGHT: u8 = 2;
/// Said in passing, conceding ("身份证倒是新的", "at least the signal is
/// fine"), or inferred from what the merchant says of advice ("让我重启，
/// 我试过了"): a value said outright elsewhere wins.
const CONCEDED: u8 = 1;
/// Read through a negation ("I never paid anything for the SIM").
const NEGATED: u8 = 0;

/// Adverbs a merchant slips into a Chinese phrase ("信号也正常", "钱也扣了",
/// "身份证也没过期", "钱肯定够", "身份证已经过期"): one of them may stand
/// between two Chinese characters of a cue. Only words that assert: a
/// hedge (可能, 好像) is a mark that voids the cue, never slipped over.
/// The passive 被 asserts too ("货款被扣", "钱被扣").
const SLIPPED: &[&str] =
    &["也", "都", "还", "倒", "是", "并", "被", "肯定", "确实", "绝对", "真的", "其实", "明明", "已经", "已", "一直", "有点", "比较", "特别", "非常", "太", "压根", "根本", "完全", "从来", "到底", "究竟", "就"];

/// Does `pat` stand at `chars[i..]` as a phrase (ASCII words whole, an
/// English ending allowed after a final letter, one slipped-in adverb
/// allowed between Chinese characters)? Returns the end.
fn phrase_at(chars: &[char], i: usize, pat: &[char]) -> Option<usize> {
    let (&first, &last) = (pat.first()?, pat.last()?);
    if chars.get(i) != Some(&first) || (is_word(first) && i > 0 && is_word(chars[i - 1])) {
        return None;
    }
    let (mut p, mut end, mut slipped) = (1, i + 1, false);
    while p < pat.len() {
        // A determiner after a space stands for any other, or for none
        // ("paid in app": many write English without articles).
        if pat[p - 1] == ' ' && chars[end - 1] == ' ' {
            match (determiner_at(pat, p), determiner_at(chars, end)) {
                (Some(pe), Some(te)) => {
                    (p, end) = (pe, te);
                    continue;
                }
                (Some(pe), None) if pe + 1 < pat.len() => {
                    p = pe + 1;
                    continue;
                }
                _ => {}
            }
        }
        let c = *chars.get(end)?;
        if c != pat[p] {
            let han = |x: char| x > '\u{2e80}';
            if slipped || !han(pat[p - 1]) || !han(pat[p]) {
                return None;
            }
            // A form's colon between a label and its value ("信号：正常").
            let mut n = usize::from(c == ':' && chars.get(end + 1) == Some(&pat[p]));
            for a in SLIPPED.iter().filter(|_| n == 0) {
                // Every adverb is Han: three UTF-8 bytes a character.
                let k = a.len() / 3;
                if words::at(chars, end, a) && chars.get(end + k) == Some(&pat[p]) {
                    n = k;
                    break;
                }
            }
            if n == 0 {
                return None;
            }
            slipped = true;
            end += n;
        }
        end += 1;
        p += 1;
    }
    if !is_word(last) || !chars.get(end).is_some_and(|&c| is_word(c)) {
        return Some(end);
    }
    if !last.is_ascii_alphabetic() {
        return None;
    }
    ["s", "es", "ed", "d", "ing", "'s"].iter().find_map(|suffix| {
        let e = end + suffix.len();
        (words::at(chars, end, suffix) && !chars.get(e).is_some_and(|&c| is_word(c))).then_some(e)
    })
}

/// A determiner followed by a space at `s[k..]`: returns where the space is.
fn determiner_at(s: &[char], k: usize) -> Option<usize> {
    DETERMINERS.iter().find_map(|d| words::word_at(s, k, d).filter(|&e| s.get(e) == Some(&' ')))
}

/// Does the cue stand at `clause[i..]` (both parts of an "A…B" cue)?
/// Returns the match, with the gap's range for the no-cue-inside check.
fn cue_at(clause: &[char], i: usize, cue: &Cue, rests: &[Vec<&[char]>]) -> Option<(Match, Option<(usize, usize)>)> {
    let first_end = phrase_at(clause, i, cue.chars).filter(|&e| !words::splits_hedge(clause, e))?;
    let plain = Match { start: i, end: first_end, observation: cue.observation, first_end, key: i };
    let Some(rest) = cue.rest.and_then(|r| rests.get(r)) else {
        return Some((plain, None));
    };
    let reach = if words::is_word(clause[first_end - 1]) { GAP_REACH_WORDS } else { GAP_REACH };
    words::cue_gaps(clause, first_end)
        .take_while(|&(_, gap)| gap <= reach)
        .find_map(|(j, _)| rest.iter().filter_map(|b| phrase_at(clause, j, b)).max().map(|e| (Match { end: e, key: j, ..plain }, Some((first_end, j)))))
}

/// "一年多没交流量费": the time right before a negated anchor of the chip
/// is how long it was *not* done, not a time since it was; "三天内不续费就
/// 停用" is a deadline.
fn not_done_for(clause: &[char], end: usize, anchors: &[&[char]]) -> bool {
    let Some(i) = negated_after(clause, end) else { return false };
    let tail = &clause[i..clause.len().min(i + 6)];
    anchors.iter().any(|a| !a.is_empty() && contains(tail, a))
}

/// Is the time starting at `start` how long a lapse has lasted ("过期几天
/// 才补交", "到期半个月了才找代理交的钱", "停机三天了")? Not a time since
/// the payment.
fn lapse_lasted(clause: &[char], start: usize) -> bool {
    ["过期", "到期", "停机", "欠费", "超期", "逾期"].iter().any(|w| start >= 2 && words::at(clause, start - 2, w))
}

/// Where the words after a negator right after `end` start ("三天内不续费",
/// "一年多没交"), if one stands there.
fn negated_after(clause: &[char], end: usize) -> Option<usize> {
    let mut i = end;
    while matches!(clause.get(i), Some(' ' | '都' | '也' | '还')) {
        i += 1;
    }
    if words::at(clause, i, "没有") {
        Some(i + 2)
    } else {
        matches!(clause.get(i), Some('没' | '未' | '不')).then_some(i + 1)
    }
}

/// Is the duration `k` of `times` the one some anchor of the chip in this
/// clause speaks of? Each anchor takes the duration nearest it, one right
/// before it first ("四五个月没用了前段时间店里装修": the months are how
/// long it sat unused, "前段时间" is about the renovation), so a run-on
/// clause with two times gives each its own verb. No anchor here: no.
fn nearest_to_anchor(clause: &[char], times: &[time::Time], k: usize, anchors: &[&[char]], other_payments: &[Vec<char>]) -> bool {
    // A time of another deed ("…交的，今天早上开店…") is none of the payment's.
    let mut of_other_deed = Vec::with_capacity(times.len());
    for t in times {
        of_other_deed.push(words::time_of_other_deed(clause, t.start, t.end, anchors));
    }
    if of_other_deed[k] {
        return false;
    }
    for a in anchors.iter().filter(|a| !a.is_empty()) {
        for i in 0..clause.len() {
            let Some(ae) = phrase_at(clause, i, a) else { continue };
            // "上周刚付了一笔货款": that time is of another payment.
            if words::paid_someone_else(clause, ae, other_payments) {
                continue;
            }
            // Distance, with a time before the anchor winning a tie.
            let away = |j: usize| {
                let t = &times[j];
                if of_other_deed[j] {
                    usize::MAX
                } else if t.end <= i {
                    2 * (i - t.end)
                } else {
                    2 * t.start.saturating_sub(ae) + 1
                }
            };
            if (0..times.len()).min_by_key(|&j| away(j)) == Some(k) {
                return true;
            }
        }
    }
    false
}

fn contains(clause: &[char], pat: &[char]) -> bool {
    (0..clause.len()).any(|i| phrase_at(clause, i, pat).is_some())
}

/// Is a cue starting at `s` voided by a mark before it (uncertainty,
/// reported speech, a hypothetical, or advice not followed by 了)?
fn voided(clause: &[char], marks: &[(Mark, usize, usize)], s: usize) -> bool {
    // A mark reaches what stands close after it: in dictation without
    // punctuation a clause runs on ("…要不要更新我就点了以后再说…续费是
    // 上礼拜交的"), and a doubt or a hearsay at its start says nothing of
    // what comes many words later.
    let near = |me: usize| words::gap(clause, me, s) <= VOID_REACH;
    marks.iter().any(|&(m, ms, me)| match m {
        // A final 吧 hedges its clause back to a comma kept in it: "提示支付
        // 成功，也就十几分钟吧" still tells the payment went through.
        Mark::HypotheticalClause => !clause[s.min(ms)..ms].contains(&','),
        Mark::Uncertain | Mark::Hypothetical | Mark::Elsewhere => ms < s && !bounded(marks, me, s) && near(me),
        Mark::Asked => ms < s && words::gap(clause, me, s) <= ASKED_REACH,
        // Read apart: it voids only the payment's chips (`sold_before`).
        Mark::Sales => false,
        Mark::Advice | Mark::Report => ms < s && !bounded(marks, me, s) && !clause[me..].contains(&'了') && near(me),
        Mark::Negator | Mark::Done | Mark::Boundary | Mark::Router => false,
    })
}

/// Is the cue at `s` voided by advice or someone else's words (not by a
/// doubt or a hypothetical)? Then a follow-up may say whether it was done.
fn from_others(marks: &[(Mark, usize, usize)], s: usize) -> bool {
    let before = |m: Mark| marks.iter().filter(|&&(_, ms, _)| ms < s).any(|&(x, _, me)| x == m && !bounded(marks, me, s));
    (before(Mark::Advice) || before(Mark::Report)) && !before(Mark::Uncertain) && !before(Mark::Asked) && !marks.iter().any(|&(m, ..)| m == Mark::HypotheticalClause)
}

/// Does a `Boundary` ("and") stand between `from` and `to`?
fn bounded(marks: &[(Mark, usize, usize)], from: usize, to: usize) -> bool {
    marks.iter().any(|&(m, s, e)| m == Mark::Boundary && s >= from && e <= to)
}

/// The negator that reaches the cue at `s`: the last one before it, close
/// enough, with no other cue in between. Returns its start.
fn negator(clause: &[char], marks: &[(Mark, usize, usize)], cue_starts: &[usize], s: usize) -> Option<usize> {
    let &(_, ns, ne) = marks.iter().rev().find(|&&(m, _, e)| m == Mark::Negator && e <= s)?;
    let cue_between = cue_starts.iter().any(|&cs| cs >= ne && cs < s);
    // "没X就Y" is Y without X: the negation ends at 就 ("我没输就退出来了").
    let then_between = clause[ne..s].contains(&'就');
    // A comma kept inside a clause ("我还没扫，也没给钱") ends a negation.
    let comma_between = clause[ne..s].contains(&'，') || clause[ne..s].contains(&',');
    (!cue_between && !then_between && !comma_between && !bounded(marks, ne, s) && words::gap(clause, ne, s) <= NEGATION_REACH).then_some(ns)
}

/// Does a `Router` mark stand close before the cue at `s`, with no other
/// cue in between ("路由器重启过了")?
fn router_before(clause: &[char], marks: &[(Mark, usize, usize)], cue_starts: &[usize], s: usize) -> bool {
    marks.iter().any(|&(m, _, e)| m == Mark::Router && e <= s && !cue_starts.iter().any(|&cs| cs >= e && cs < s) && words::gap(clause, e, s) <= NEGATION_REACH)
}

/// Sorts `items` by `rank`, ties kept in their order. Every ordering in the
/// extractor goes through this one sort of one concrete key type: each
/// `sort_by_key` closure would be its own copy of the standard merge sort in
/// the page's wasm (about 700 B each, measured).
fn sort_by_rank<T>(items: &mut [T], rank: impl Fn(&T) -> [usize; 3]) {
    let mut keys: Vec<([usize; 3], usize)> = Vec::with_capacity(items.len());
    for (i, x) in items.iter().enumerate() {
        keys.push((rank(x), i));
    }
    let order = ranked(keys);
    // Position j takes the item first at order[j]: follow the cycle past the
    // positions already filled.
    for j in 0..order.len() {
        let mut k = order[j];
        while k < j {
            k = order[k];
        }
        items.swap(j, k);
    }
}

/// The indices of `keys` in key order (the index ends each key, so equal
/// ranks keep their order and an unstable sort is stable).
fn ranked(mut keys: Vec<([usize; 3], usize)>) -> Vec<usize> {
    keys.sort_unstable();
    let mut order = Vec::with_capacity(keys.len());
    for (_, i) in keys {
        order.push(i);
    }
    order
}

/// One cue phrase of a chip ("A|B…C|D"), split and normalised once per
/// knowledge base: the page reads words on every keystroke, and splitting
/// and normalising every cue each time took most of the reading.
struct Entry {
    observation: usize,
    lang: Lang,
    firsts: Vec<words::Phrase>,
    /// The alternatives of the last part, for an "A…B" cue.
    rest: Option<Vec<words::Phrase>>,
    /// "A…*": a frame.
    frame: bool,
}

/// The KB's cue phrases and time anchors, prepared for reading (`Cues::new`
/// once, then `extract_with` for each text).
pub struct Cues {
    /// The KB's chips (their labels are not needed) and how many facts it has.
    observations: Vec<Observation>,
    facts: usize,
    entries: Vec<Entry>,
    /// Per chip and language (Chinese, English): its anchors, when it is a
    /// time chip, and whether it has any at all.
    anchors: Vec<[(Vec<words::Phrase>, bool); 2]>,
    /// The KB's shop words (`kb::ShopWords`), normalised, as the marks
    /// they make: the sales at the till, the shop's router.
    shop: Vec<(Vec<char>, Mark)>,
    /// The KB's provider and bank names, normalised, with the word each is
    /// read as (and before "app").
    names: Vec<(Vec<char>, &'static str, &'static str)>,
    /// The KB's bank names and other payments, normalised.
    banks: Vec<Vec<char>>,
    other_payments: Vec<Vec<char>>,
    /// The KB's words for the agent, normalised, and what a pronoun the
    /// money went to is read as once one is named (Chinese, English).
    agents: Vec<Vec<char>>,
    agent_as: [Vec<char>; 2],
}

const LANGS: [Lang; 2] = [Lang::Zh, Lang::En];

impl Cues {
    pub fn new(kb: &Kb) -> Cues {
        Cues::of(&kb.observations, kb.questions.len(), &kb.shop_words)
    }

    /// From the chips, the number of facts and the shop words alone (the
    /// extractor module's cue pack: `kb::packed::decode_cues`).
    pub fn of(observations: &[Observation], facts: usize, shop_words: &ShopWords) -> Cues {
        let mut entries = Vec::new();
        let mut anchors = Vec::with_capacity(observations.len());
        // The chips as reading needs them: their words are in `entries`
        // and `anchors` from here on, so they are not copied.
        let mut chips = Vec::with_capacity(observations.len());
        for ob in observations {
            let (question, answer, topic, negated, more, hours) = (ob.question, ob.answer, ob.topic, ob.negated, ob.more, ob.hours);
            let (text, cues, anchors) = Default::default();
            chips.push(Observation { question, answer, topic, text, cues, negated, more, hours, anchors });
        }
        for (o, ob) in observations.iter().enumerate() {
            for lang in LANGS {
                for c in ob.cues.get(lang) {
                    let (a, b) = c.split_once('…').unwrap_or((c, ""));
                    // Plain loops, not iterator chains, here and below:
                    // each chain is its own monomorphised code in the wasm.
                    let mut firsts = Vec::new();
                    for a in a.split('|') {
                        firsts.push(words::Phrase::new(a));
                    }
                    let frame = b.trim() == FRAME;
                    let rest = (!frame && !b.trim().is_empty()).then(|| {
                        let mut alternatives = Vec::new();
                        for b in b.split('|') {
                            alternatives.push(words::Phrase::new(b));
                        }
                        alternatives
                    });
                    entries.push(Entry { observation: o, lang, firsts, rest, frame });
                }
            }
            let mut by_lang: [(Vec<words::Phrase>, bool); 2] = Default::default();
            for (k, lang) in LANGS.into_iter().enumerate() {
                let list = ob.anchors.get(lang);
                if ob.hours.is_some() {
                    for a in list {
                        by_lang[k].0.push(words::Phrase::new(a));
                    }
                }
                by_lang[k].1 = !list.is_empty();
            }
            anchors.push(by_lang);
        }
        let mut shop = Vec::new();
        for (list, mark) in [(&shop_words.sales, Mark::Sales), (&shop_words.router, Mark::Router)] {
            for lang in LANGS {
                for w in list.get(lang) {
                    shop.push((words::normalize_phrase(w), mark));
                }
            }
        }
        let mut names = Vec::new();
        // Before "app" the name is the provider's own app: the official one.
        for (lang, as_word, before_app) in [(Lang::Zh, "服务商", "官方"), (Lang::En, "provider", "official")] {
            for name in shop_words.providers.get(lang) {
                names.push((words::normalize_phrase(name), as_word, before_app));
            }
        }
        // A bank's short name is read as the word "bank" ("建行公众号推送说
        // 系统维护" is the bank's notice, "建行app" not the official app).
        for w in shop_words.banks.get(Lang::Zh) {
            names.push((words::normalize_phrase(w), "银行", "银行"));
        }
        for w in shop_words.banks.get(Lang::En) {
            names.push((words::normalize_phrase(w), "bank", "bank"));
        }
        let (mut banks, mut other_payments) = (Vec::new(), Vec::new());
        for lang in LANGS {
            for w in shop_words.banks.get(lang) {
                banks.push(words::normalize_phrase(w));
            }
            for w in shop_words.other_payments.get(lang) {
                other_payments.push(words::normalize_phrase(w));
            }
        }
        let mut agents = Vec::new();
        let mut agent_as: [Vec<char>; 2] = Default::default();
        for (k, lang) in LANGS.into_iter().enumerate() {
            let list = shop_words.agents.get(lang);
            for w in list {
                agents.push(words::normalize_phrase(w));
            }
            // The first word of the list; in English with "the" ("paid the agent").
            if let Some(first) = list.first() {
                if lang == Lang::En {
                    agent_as[k].extend("the ".chars());
                }
                agent_as[k].extend(words::normalize_phrase(first));
            }
        }
        Cues { observations: chips, facts, entries, anchors, shop, names, banks, other_payments, agents, agent_as }
    }
}

/// A cue pack whose phrases are prepared on first use (`Cues::of`: about
/// 4.5 ms native and 18 ms in the browser on the development machine,
/// several long tasks' worth on a slow phone): the
/// page's start does not wait for it, the page prepares it when the
/// merchant goes to the box (`prepare`), and one who only taps chips
/// never pays for it.
pub struct LazyCues {
    pack: crate::kb::packed::CuePack,
    cues: std::cell::OnceCell<Cues>,
}

impl LazyCues {
    pub fn new(pack: crate::kb::packed::CuePack) -> LazyCues {
        LazyCues { pack, cues: std::cell::OnceCell::new() }
    }

    /// The prepared phrases, prepared now if they were not yet.
    pub fn prepare(&self) -> &Cues {
        self.cues.get_or_init(|| Cues::of(&self.pack.observations, self.pack.facts, &self.pack.shop_words))
    }

    pub fn is_prepared(&self) -> bool {
        self.cues.get().is_some()
    }
}

/// Understands `text` against the KB's observations with the cue phrases
/// of `lang`, or (`None`) of both languages: a Chinese text may hold
/// English words ("pos机 no signal"), and in an English one no Chinese cue
/// can occur. Never panics, deterministic.
pub fn extract(kb: &Kb, text: &str, lang: Option<Lang>) -> Extraction {
    extract_with(&Cues::new(kb), text, lang)
}

/// `extract` with the cue phrases prepared once (`Cues::new(kb)`, or `Cues::of` the cue pack).
pub fn extract_with(prepared: &Cues, text: &str, lang: Option<Lang>) -> Extraction {
    let in_langs = |l: Lang| lang.is_none_or(|x| x == l);
    let obs = &prepared.observations;
    if obs.is_empty() || text.is_empty() || prepared.anchors.len() != obs.len() {
        return Extraction::default();
    }
    let valid = |o: usize| obs[o].question < prepared.facts;
    let norm = words::names_as_words(words::normalize(text), &prepared.names);
    let norm = words::agent_pronouns(norm, &prepared.agents, [&prepared.agent_as[0], &prepared.agent_as[1]]);
    let relayed = words::relayed(&norm.chars);
    let mut present = norm.chars.clone();
    present.sort_unstable();
    present.dedup();
    // Only the cues that can occur in this text are read (the page runs
    // this on every keystroke): their first character must be in it, and
    // so must each of their Chinese characters, and an English cue's first
    // letters must begin one of its English words (a Chinese text with
    // "App" or "POS" in it holds most letters).
    let english = words::english_words(&norm.chars);
    let may_occur = |p: &words::Phrase| p.may_occur(&present, &english);
    let mut cues: Vec<Cue> = Vec::new();
    let mut rests: Vec<Vec<&[char]>> = Vec::new();
    // Frames ("屏幕上显示…*"): (words, chip).
    let mut frames: Vec<(&[char], usize)> = Vec::new();
    for e in &prepared.entries {
        if !valid(e.observation) || !in_langs(e.lang) {
            continue;
        }
        let mut firsts: Vec<&[char]> = Vec::new();
        for p in &e.firsts {
            if may_occur(p) {
                firsts.push(&p.chars);
            }
        }
        if firsts.is_empty() {
            continue;
        }
        if e.frame {
            for chars in firsts {
                frames.push((chars, e.observation));
            }
            continue;
        }
        let mut rest = None;
        if let Some(alternatives) = &e.rest {
            // Only alternatives that can occur in this text.
            let mut here: Vec<&[char]> = Vec::new();
            for p in alternatives {
                if may_occur(p) {
                    here.push(&p.chars);
                }
            }
            rests.push(here);
            rest = Some(rests.len() - 1);
        }
        for chars in firsts {
            cues.push(Cue { chars, rest, observation: e.observation });
        }
    }
    sort_by_rank(&mut cues, |cue| [cue.chars[0] as usize, 0, 0]);
    let mut anchors: Vec<Vec<&[char]>> = Vec::with_capacity(obs.len());
    // A chip without anchors takes a time in any clause.
    let mut unanchored: Vec<bool> = Vec::with_capacity(obs.len());
    for by_lang in &prepared.anchors {
        let mut said: Vec<&[char]> = Vec::new();
        let mut none = true;
        for (k, lang) in LANGS.into_iter().enumerate() {
            if !in_langs(lang) {
                continue;
            }
            for p in &by_lang[k].0 {
                if may_occur(p) {
                    said.push(&p.chars);
                }
            }
            none &= !by_lang[k].1;
        }
        anchors.push(said);
        unanchored.push(none);
    }

    let mut picks: Vec<Pick> = Vec::new();
    let mut fallbacks: Vec<Pick> = Vec::new();
    let mut previous: &[char] = &[];
    let mut previous_start = 0;
    // Cues voided as advice or someone else's words in the clause before,
    // for a follow-up that says whether it was done ("我还没试").
    let mut advised: Vec<usize> = Vec::new();
    // The last point in time said (hours ago), for "当天" / "that day".
    let mut last_point: Option<f64> = None;
    // Per chip: has a clause before named what its time is about?
    let mut said_before: Vec<bool> = vec![false; obs.len()];
    // A point in time said of a notice the merchant got, which no time chip
    // took (hours ago, where it was said): see `notice_point` below.
    let mut notice_point: Option<(f64, usize, usize)> = None;
    // A point in time said with an intention and nothing else ("上周想着
    // 用起来，把服务费交了", "前天想用，在App交了服务费"): the payment in
    // the clause right after it takes it when it has no time of its own.
    let mut idle_point: Option<(f64, usize, usize)> = None;
    // Did the clause before speak of the sales at the till, and where did it
    // end? "刷卡老是转半天然后失败": 然后 ends a clause, not the sale.
    let (mut sold_before_end, mut previous_end) = (false, 0);
    let now = time::now_clock(&norm.chars);
    // Does the character at `k` stand inside quotation marks in the text as
    // typed (normalising drops them)? "一刷卡就提示“终端位置异常，交易被拒绝”":
    // the screen's words go on past the comma.
    let in_quote = |k: usize| norm.spans.get(k).is_some_and(|&(b, _)| words::open_quote(&text[..b]));
    for (cs, ce) in words::clauses(&norm.chars, &prepared.banks) {
        let clause = &norm.chars[cs..ce];
        let sale_goes_on = std::mem::take(&mut sold_before_end) && (words::only_then(&norm.chars[previous_end..cs]) || in_quote(cs));
        previous_end = ce;
        // A yes/no question says nothing, but its answer may follow
        // ("客服问我重启过没有，我说还没有").
        let question = words::yes_no_question(clause, norm.chars.get(ce).copied());
        // "钱应该没扣吧，不确定": a clause that only doubts takes back the
        // clause before it.
        if words::only_doubt(clause) {
            // The picks of the clause before are the last ones (clauses
            // come in text order, a pick starts in its clause).
            while picks.last().is_some_and(|p| p.start >= previous_start) {
                picks.pop();
            }
            (previous, previous_start) = (clause, cs);
            advised.clear();
            continue;
        }
        // "短信里有个链接，我没点": a clause that only refuses takes back the
        // way of paying the clause before named (no link was paid through).
        if words::only_refusal(clause) {
            let mut k = picks.len();
            while k > 0 && picks[k - 1].start >= previous_start {
                k -= 1;
                if obs[picks[k].observation].topic == PAYMENT_TOPIC && obs[picks[k].observation].negated.is_none() {
                    picks.remove(k);
                }
            }
            (previous, previous_start) = (clause, cs);
            advised.clear();
            continue;
        }
        // Every cue at every position, then the longest first, no overlaps.
        let mut found: Vec<Match> = Vec::new();
        let mut gaps: Vec<(usize, usize)> = Vec::new();
        for (i, &c) in clause.iter().enumerate() {
            // The first cue starting with `c` (binary search by hand:
            // `partition_point` is generic code of its own in the wasm).
            let (mut from, mut to) = (0, cues.len());
            while from < to {
                let mid = (from + to) / 2;
                if cues[mid].chars[0] < c {
                    from = mid + 1;
                } else {
                    to = mid;
                }
            }
            for cue in cues[from..].iter().take_while(|cue| cue.chars[0] == c) {
                if let Some((m, gap)) = cue_at(clause, i, cue, &rests) {
                    found.push(m);
                    gaps.push(gap.unwrap_or((usize::MAX, 0)));
                }
            }
        }
        // An "A…B" cue is not one phrase when a cue of another chip that
        // asserts something of its own (a chip with a negated value, or
        // another value of the same fact) ends inside its gap: "流量卡充了钱还是停机" is not
        // "流量卡…停机", "流量卡到期了网络正常" not "流量卡…正常"; a cue
        // that only names a thing may stand there ("paid the service fee
        // in the app").
        let asserts = |x: &Match, m: &Match| {
            x.observation != m.observation && (obs[x.observation].negated.is_some() || obs[x.observation].question == obs[m.observation].question)
        };
        let mut kept: Vec<Match> = Vec::with_capacity(found.len());
        for (m, &(gs, ge)) in found.iter().zip(&gaps) {
            if !found.iter().any(|x| x.start > m.start && x.end > gs && x.end <= ge && asserts(x, m)) {
                kept.push(*m);
            }
        }
        let mut found = kept;
        // Overlapping matches of one chip are one ("提示签到" + "签到失败");
        // one inside another stays apart, so that the shorter is still there
        // when the longer clashes with another chip's words.
        sort_by_rank(&mut found, |m| [m.observation, m.start, usize::MAX - m.end]);
        let mut spans: Vec<(usize, usize, usize)> = Vec::with_capacity(found.len());
        for m in &found {
            spans.push((m.start, m.end, m.observation));
        }
        let mut merged: Vec<Match> = Vec::new();
        for m in found {
            match merged.last_mut() {
                Some(last) if last.observation == m.observation && m.start < last.end && (m.end > last.end || (m.start, m.end) == (last.start, last.end)) => {
                    // The parts stay those of the first "A…B" among them.
                    let gapped = |x: &Match| x.key != x.start;
                    match (gapped(last), gapped(&m)) {
                        (false, true) => (last.first_end, last.key) = (last.first_end.max(m.first_end), m.key),
                        (false, false) => last.first_end = last.first_end.max(m.end),
                        (true, _) if m.start == last.start => (last.first_end, last.key) = (last.first_end.max(m.first_end), last.key.min(m.key).max(m.first_end)),
                        (true, _) => last.key = last.key.min(m.key.max(last.first_end)),
                    }
                    last.end = last.end.max(m.end);
                }
                _ => merged.push(m),
            }
        }
        // Longest first. A match inside a longer one is read as part of it
        // ("失败" in "签到失败", "扣钱" in "没扣钱"); two values of one fact
        // never overlap; different facts may share words ("代理交的"), and
        // the very same words said for two facts say both, also when one
        // or both of them merged with an overlapping match of its own chip
        // ("点链接交了", "app上续的费").
        sort_by_rank(&mut merged, |m| [usize::MAX - (m.end - m.start), m.start, m.observation]);
        let select = |merged: &[Match]| {
            let mut covered = vec![false; clause.len()];
            let mut taken: Vec<Match> = Vec::new();
            // Matches of a taken "A…B" chip standing in its gap: their
            // words are that chip's too, so a shorter cue inside them is
            // read as part of them ("失败" of "签到失败" in "屏幕…重新签到").
            let mut absorbed: Vec<(usize, usize)> = Vec::new();
            for m in merged {
                let (s, e, q) = (m.start, m.end, obs[m.observation].question);
                let within = absorbed.iter().any(|&(a, b)| a <= s && e <= b && (a, b) != (s, e));
                let clash = within || taken.iter().any(|t| {
                    let tq = obs[t.observation].question;
                    let same_words = tq != q && ((t.start, t.end) == (s, e) || spans.contains(&(s, e, t.observation)));
                    // Words only in the gap of an "A…B" cue are not part of it,
                    // nor a longer reading of its A ("topped up the data" in
                    // "topped up the data sim using the QR on the back").
                    let in_gap = (t.first_end <= s || (s == t.start && e > t.first_end)) && e <= t.key;
                    let inside = t.start <= s && e <= t.end && !same_words && !in_gap;
                    inside || (tq == q && s < t.end && t.start < e)
                });
                if taken.iter().any(|t| t.observation == m.observation && t.first_end <= s && e <= t.key) {
                    absorbed.push((s, e));
                }
                if !clash {
                    covered[s..m.first_end].iter_mut().for_each(|c| *c = true);
                    covered[m.key..e].iter_mut().for_each(|c| *c = true);
                    taken.push(*m);
                }
            }
            sort_by_rank(&mut taken, |t| [t.start, 0, 0]);
            let marks = words::marks(clause, &covered, previous, relayed, &prepared.shop, &prepared.banks);
            (taken, marks)
        };
        let (mut taken, mut marks) = select(&merged);
        // An "A…B" cue voided by what stands in its gap gives way to the
        // cues it covered ("银行发短信说系统维护" is still 银行发短信), and
        // so on while the next one taken is voided too (each round drops
        // at least one match, so this ends).
        loop {
            let mut void_gapped: Vec<(usize, usize, usize)> = Vec::new();
            for t in &taken {
                if t.key != t.start && voided(clause, &marks, t.key) {
                    void_gapped.push((t.start, t.end, t.observation));
                }
            }
            if void_gapped.is_empty() {
                break;
            }
            let mut kept: Vec<Match> = Vec::with_capacity(merged.len());
            for m in &merged {
                if !void_gapped.contains(&(m.start, m.end, m.observation)) {
                    kept.push(*m);
                }
            }
            merged = kept;
            (taken, marks) = select(&merged);
        }
        let mut starts: Vec<usize> = Vec::with_capacity(taken.len());
        for t in &taken {
            starts.push(t.start);
        }
        sold_before_end = marks.iter().any(|&(m, ..)| m == Mark::Sales);
        let sale_from_before = |s: usize| sale_goes_on && words::gap(clause, 0, s) <= sales_reach(clause[s]);
        let mut asked = words::a_not_a(clause);
        asked.extend(words::or_not(clause));
        let plain = if words::concedes(clause) { CONCEDED } else { OUTRIGHT };
        // A follow-up on advice from the clause before: done or not done.
        // A way or fee of paying others offered ("让我扫他发的码交钱"), then
        // "我就交了": paying is the follow-up that says it was done.
        let offered_payment = advised.iter().any(|&o| obs[o].negated.is_none());
        if let Some(done) = (!advised.is_empty()).then(|| words::follow_up(clause, 0, offered_payment)).flatten() {
            for &o in &advised {
                if let Some(p) = Pick::followed_up(obs, o, done, cs, ce) {
                    picks.push(p);
                }
            }
        }
        advised.clear();
        // The end and fact of the last cue a negated "say" or "show" reached:
        // "没说成功失败", "没提示成功或者失败" deny both alternatives.
        let mut denied: Option<(usize, usize)> = None;
        for m in &taken {
            if denied.is_some_and(|(e, q)| q == obs[m.observation].question && e <= m.start && words::only_joins(&clause[e..m.start])) {
                continue;
            }
            if question {
                if obs[m.observation].negated.is_some() {
                    advised.push(m.observation);
                }
                continue;
            }
            // A cue reaching into an A-not-A question is asked, not told
            // ("成功没成功", "钱够不够", "restart or not"), unless its own words before the
            // question already doubt ("没看到成功没成功").
            let doubts = |s: usize| clause[m.start..s.max(m.start)].iter().any(|&c| c == '没' || c == '不');
            if asked.iter().any(|&(s, e)| m.start < e && s < m.end && !doubts(s)) {
                continue;
            }
            if obs[m.observation].topic == PAYMENT_TOPIC && (sold_before(clause, &marks, m.start) || sale_from_before(m.start) || words::paid_someone_else(clause, m.end, &prepared.other_payments)) {
                continue;
            }
            // A form's label answered no ("重启：还没", "Restarted: no") is
            // said outright, whatever the label asks ("是否重启：否").
            let answered_no = words::answered_no(clause, m.end);
            if voided(clause, &marks, m.key) && !answered_no {
                // A state to do (restart: it has a negated value) or a way
                // or fee of paying, offered by others.
                let paying = obs[m.observation].negated.is_none() && obs[m.observation].topic == PAYMENT_TOPIC;
                if (obs[m.observation].negated.is_some() || paying) && from_others(&marks, m.key) {
                    // … or a follow-up later in the same clause ("让我重启我还没试",
                    // "unless i renewed through the link um i clicked it and
                    // paid"), but not a fee said to be billed apart
                    // ("客服说流量费是另外交的").
                    match words::follow_up(clause, m.end, paying && !words::billed_apart(clause, m.end)) {
                        Some(done) => {
                            if let Some(p) = Pick::followed_up(obs, m.observation, done, cs + m.start, ce) {
                                picks.push(p);
                            }
                        }
                        None => advised.push(m.observation),
                    }
                }
                continue;
            }
            if obs[m.observation].negated.is_none() && (words::not_done_after(clause, m.end) || words::not_done_before(clause, m.start) || words::billed_apart(clause, m.end)) {
                continue;
            }
            if obs[m.observation].negated.is_some() && router_before(clause, &marks, &starts, m.start) {
                continue;
            }
            let (o, s, e) = (m.observation, m.start, m.end);
            // A cue that holds its own negation ("never switched it off",
            // "没扣钱") is not turned round by another one before it:
            // "nothing else changed, I never switched it off".
            let outer = if words::opens_with_negation(&clause[m.start..m.end]) { None } else { negator(clause, &marks, &starts, m.key) };
            let (observation, start, strength) = match outer.or(answered_no.then_some(s)) {
                None => (o, s, plain),
                Some(ns) => {
                    if words::says_between(&clause[ns.min(m.key)..m.key]) {
                        denied = Some((e, obs[o].question));
                    }
                    let Some(flipped) = negated_of(obs, o) else { continue };
                    (flipped, ns.min(s), NEGATED)
                }
            };
            picks.push(Pick::of(obs, observation, cs + start, cs + e, strength));
        }
        // Frames: the screen says something no cue names.
        for (frame, o) in frames.iter().filter(|_| !question) {
            for i in 0..clause.len() {
                let Some(e) = phrase_at(clause, i, frame) else { continue };
                let said = clause[e..].iter().any(|&c| c != ' ' && !"了的呢啊吧".contains(c));
                // "屏幕提示的好像是…": a doubt after the frame says nothing either.
                let doubted = marks.iter().any(|&(m, ms, _)| ms >= e && matches!(m, Mark::Uncertain | Mark::Hypothetical));
                if said && !doubted && !voided(clause, &marks, i) && negator(clause, &marks, &[], i).is_none() {
                    fallbacks.push(Pick::of(obs, *o, cs + i, cs + e, OUTRIGHT));
                }
            }
        }
        let mut times = time::durations(clause, now);
        // "前天提示到期，我当天就交了": the same day as the last point in
        // time said before, in this clause ("called me three days ago … paid
        // that same day") or an earlier one.
        let same_day = time::same_day(clause);
        if let Some((s, e)) = same_day {
            let before = times.iter().rev().find(|t| t.end <= s && !t.since).map(|t| t.hours_ago);
            if let Some(h) = before.or(last_point).filter(|_| !times.iter().any(|t| t.start < e && s < t.end)) {
                times.push(time::Time { hours_ago: h, start: s, end: e, since: false, clock: false });
            }
        }
        if let Some(t) = times.iter().rev().find(|t| !t.since) {
            last_point = Some(t.hours_ago);
        }
        for (k, &time::Time { hours_ago: hours, start: s, end: e, since, clock }) in times.iter().enumerate() {
            // A hedge on a time said alone ("二十分钟前吧") is still the
            // merchant's best guess of it.
            if question || (voided(clause, &marks, s) && !words::only_a_time(clause, s, e)) {
                continue;
            }
            for (o, ob) in obs.iter().enumerate().filter(|&(o, _)| valid(o)) {
                let Some((lo, hi)) = ob.hours else { continue };
                // "交了钱，到现在快一个小时了": a duration since (not a point
                // in time, not "…前") may take its subject from the clause before.
                let about = |c: &[char]| anchors[o].iter().any(|a| !a.is_empty() && contains(c, a));
                // The quick test first: most clauses hold no anchor of most chips.
                let about_this = about(clause) && nearest_to_anchor(clause, &times, k, &anchors[o], &prepared.other_payments);
                // Not when the clause speaks of another time of its own
                // ("…交了，一年多没开店了" is how long the shop was shut).
                let other = |c: &[char]| obs.iter().enumerate().any(|(p, x)| x.question != ob.question && anchors[p].iter().any(|a| !a.is_empty() && contains(c, a)));
                // A clause that is only a time ("就二十来分钟前的事",
                // "maybe 40 minutes ago") is said of the clause before, or
                // of any before it ("…钱没扣 那是四十分钟前的事").
                let only = words::only_a_time(clause, s, e);
                let alone = since || only;
                // A clock time alone ("重启过一次，是八点半") is of the clause before only.
                let anchored = unanchored[o] || about_this || (alone && about(previous) && !other(clause)) || (only && said_before[o] && !clock);
                if hours >= lo && hours < hi && anchored && !not_done_for(clause, e, &anchors[o]) && !lapse_lasted(clause, s) && !words::time_to_come(clause, s, e) {
                    picks.push(Pick::of(obs, o, cs + s, cs + e, OUTRIGHT));
                }
            }
        }
        // "前天收到一条短信…，我点进去交了298": the time of a notice the
        // merchant got is the payment's when the payment follows it with no
        // time of its own (and no other time said between): merchants tell
        // a scam in the order it happened. Only a payment said outright.
        let told = |topic: usize| picks.iter().any(|p| p.start >= cs && p.strength == OUTRIGHT && obs[p.observation].topic == topic);
        let timed = picks.iter().any(|p| p.start >= cs && obs[p.observation].hours.is_some());
        let idle = idle_point.take();
        // Any time, a point or a span ("前两天想接着用"), with an intention
        // right after it, a time said alone before the payment is told
        // ("大概十分钟前 我在App里交续费"), or "that same day" told of a
        // step on the way to paying ("我当时就点进去填了卡号，交了168").
        let ahead = |t: &time::Time| {
            words::intends(clause, t.end)
                || (!t.since && !t.clock && words::only_a_time(clause, t.start, t.end))
                || (same_day == Some((t.start, t.end)) && !words::thought_after(clause, t.end))
        };
        if let Some(t) = times.iter().rev().find(|t| ahead(t)).filter(|_| !question && !picks.iter().any(|p| p.start >= cs)) {
            idle_point = Some((t.hours_ago, cs + t.start, cs + t.end));
        }
        // A deadline ("当天不续费就停用") is no point in time of what happened.
        if let Some(t) = times.iter().rev().find(|t| !t.since && negated_after(clause, t.end).is_none()) {
            // A time the notice announces is no time it came ("我行将于11月30日…进行系统升级").
            let announced = words::time_to_come(clause, t.start, t.end);
            notice_point = (told(NOTICES_TOPIC) && !timed && !announced).then_some((t.hours_ago, cs + t.start, cs + t.end));
        } else if let Some((hours, s, e)) = notice_point.or(idle).filter(|_| !question && told(PAYMENT_TOPIC)) {
            for (o, ob) in obs.iter().enumerate().filter(|&(o, _)| valid(o)) {
                let Some((lo, hi)) = ob.hours else { continue };
                if hours >= lo && hours < hi && anchors[o].iter().any(|a| !a.is_empty() && contains(clause, a)) {
                    picks.push(Pick::of(obs, o, s, e, OUTRIGHT));
                    notice_point = None;
                }
            }
        }
        for (o, said) in said_before.iter_mut().enumerate() {
            *said = *said || anchors[o].iter().any(|a| !a.is_empty() && contains(clause, a));
        }
        (previous, previous_start) = (clause, cs);
    }

    // Two values of one fact joined by "and" ("通讯费和年费都交了", "paid
    // the SIM fee and the annual fee") say neither alone: both are
    // dropped (a value said elsewhere still counts).
    let mut both: Vec<(usize, usize)> = Vec::new();
    for a in &picks {
        for b in &picks {
            if a.question == b.question && a.answer != b.answer && a.end <= b.start && words::only_and(&norm.chars[a.end..b.start]) {
                both.push((a.question, a.start));
                both.push((b.question, b.start));
            }
        }
    }
    picks.retain(|p| !both.contains(&(p.question, p.start)));
    // One value per fact: outright beats conceded beats negated, then the
    // later wins.
    let mut chosen: Vec<Pick> = Vec::new();
    for p in picks {
        match chosen.iter_mut().find(|c| c.question == p.question) {
            Some(c) => {
                if p.strength >= c.strength {
                    *c = p;
                }
            }
            None => chosen.push(p),
        }
    }
    // A frame only when nothing else was said of its fact; the last one.
    for p in fallbacks.into_iter().rev() {
        if !chosen.iter().any(|c| c.question == p.question) {
            chosen.push(p);
        }
    }
    sort_by_rank(&mut chosen, |p| [p.start, p.question, 0]);
    let byte = |k: usize| norm.spans.get(k).copied().unwrap_or((text.len(), text.len()));
    let mut found = Vec::with_capacity(chosen.len());
    for p in chosen {
        found.push(Found { observation: p.observation, question: p.question, answer: p.answer, start: byte(p.start).0, end: byte(p.end.saturating_sub(1)).1 });
    }
    Extraction { found }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_payment_topic_is_the_kbs() {
        assert_eq!(crate::kb::TOPICS[super::PAYMENT_TOPIC], "payment");
    }
}
