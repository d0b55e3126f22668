//! Time expressions → hours ago: "半小时前", "一个多小时", "昨天", "上周五",
//! "快半年", "25号", "two days ago", "an hour ago", "yesterday", "last week",
//! "on the 3rd", "on 25/11", "Nov 25" (a date said of a payment is days ago).
//! Vague words get a typical value ("几个小时" 3 h, "今天早上" 4 h, "好几天"
//! 3 days); "yesterday" counts as a full day (the scenario convention).
//! "今天" / "today" alone says nothing. A clock time ("十点多交的") is read
//! against the clock time the text gives for now ("现在都两点了"): 4 hours.

use super::words::{at, is_word, may_start, one_of, skip_spaces, word_at};

const HOUR: f64 = 1.0;
const DAY: f64 = 24.0;
const WEEK: f64 = 168.0;
const MONTH: f64 = 720.0;
const YEAR: f64 = 8760.0;

/// Words that are a time by themselves, longest first.
const ZH_FIXED: &[(&str, f64)] = &[
    ("刚刚", 0.1),
    ("刚才", 0.1),
    ("今天早上", 4.0),
    ("今天上午", 4.0),
    ("今天中午", 4.0),
    ("今天下午", 4.0),
    ("今天凌晨", 6.0),
    ("今早", 4.0),
    ("早上", 4.0),
    ("上午", 4.0),
    ("中午", 4.0),
    ("下午", 4.0),
    ("凌晨", 6.0),
    // A part of a day after 昨天 / 前天 belongs to it ("昨天下午" is not
    // this afternoon).
    ("昨天早上", DAY),
    ("昨天上午", DAY),
    ("昨天中午", DAY),
    ("昨天下午", DAY),
    ("昨天晚上", DAY),
    ("昨天夜里", DAY),
    ("昨天凌晨", DAY),
    ("前天早上", 2.0 * DAY),
    ("前天上午", 2.0 * DAY),
    ("前天中午", 2.0 * DAY),
    ("前天下午", 2.0 * DAY),
    ("前天晚上", 2.0 * DAY),
    ("前天夜里", 2.0 * DAY),
    ("昨天", DAY),
    ("昨晚", DAY),
    ("昨日", DAY),
    ("大前天", 3.0 * DAY),
    ("前天", 2.0 * DAY),
    ("前几天", 3.0 * DAY),
    ("前几日", 3.0 * DAY),
    ("这几天", 3.0 * DAY),
    ("上个星期", WEEK),
    ("上个礼拜", WEEK),
    ("上星期", WEEK),
    ("上礼拜", WEEK),
    ("上周", WEEK),
    ("前阵子", WEEK),
    ("前段时间", WEEK),
    ("前些天", 3.0 * DAY),
    // A weekday named alone, said of a payment, is one already past.
    ("星期一", 3.0 * DAY),
    ("星期二", 3.0 * DAY),
    ("星期三", 3.0 * DAY),
    ("星期四", 3.0 * DAY),
    ("星期五", 3.0 * DAY),
    ("星期六", 3.0 * DAY),
    ("星期天", 3.0 * DAY),
    ("星期日", 3.0 * DAY),
    ("礼拜一", 3.0 * DAY),
    ("礼拜二", 3.0 * DAY),
    ("礼拜三", 3.0 * DAY),
    ("礼拜四", 3.0 * DAY),
    ("礼拜五", 3.0 * DAY),
    ("礼拜六", 3.0 * DAY),
    ("礼拜天", 3.0 * DAY),
    ("周一", 3.0 * DAY),
    ("周二", 3.0 * DAY),
    ("周三", 3.0 * DAY),
    ("周四", 3.0 * DAY),
    ("周五", 3.0 * DAY),
    ("周六", 3.0 * DAY),
    ("周日", 3.0 * DAY),
    ("周末", 3.0 * DAY),
    ("上个月", MONTH),
    ("上月", MONTH),
    // Before the Spring Festival: weeks or months ago.
    ("过年前", MONTH),
    // Early this month: days ago, whatever today is (about a week).
    ("这个月初", WEEK),
    ("月初", WEEK),
    ("去年", YEAR),
];

const EN_FIXED: &[(&str, f64)] = &[
    ("just now", 0.1),
    ("a moment ago", 0.1),
    ("moments ago", 0.1),
    ("a minute ago", 1.0 / 60.0),
    ("this morning", 4.0),
    ("earlier today", 4.0),
    ("this afternoon", 4.0),
    ("the day before yesterday", 2.0 * DAY),
    ("yesterday", DAY),
    ("last night", DAY),
    ("last week", WEEK),
    // A weekday last week is days ago, whatever today is.
    ("last monday", 4.0 * DAY),
    ("last tuesday", 4.0 * DAY),
    ("last wednesday", 4.0 * DAY),
    ("last thursday", 4.0 * DAY),
    ("last friday", 4.0 * DAY),
    ("last saturday", 4.0 * DAY),
    ("last sunday", 4.0 * DAY),
    ("last weekend", 4.0 * DAY),
    // A weekday named alone, said of a payment, is one already past.
    ("monday", 3.0 * DAY),
    ("tuesday", 3.0 * DAY),
    ("wednesday", 3.0 * DAY),
    ("thursday", 3.0 * DAY),
    ("friday", 3.0 * DAY),
    ("saturday", 3.0 * DAY),
    ("sunday", 3.0 * DAY),
    // A month named ("back in October"): weeks or months ago.
    ("in january", MONTH),
    ("in february", MONTH),
    ("in march", MONTH),
    ("in april", MONTH),
    ("in may", MONTH),
    ("in june", MONTH),
    ("in july", MONTH),
    ("in august", MONTH),
    ("in september", MONTH),
    ("in october", MONTH),
    ("in november", MONTH),
    ("in december", MONTH),
    ("the other day", 3.0 * DAY),
    ("last month", MONTH),
    ("last year", YEAR),
    // A plural with no number ("paid weeks ago"): some of them.
    ("days ago", 3.0 * DAY),
    ("a fortnight ago", 2.0 * WEEK),
    ("fortnight ago", 2.0 * WEEK),
    ("weeks ago", 2.0 * WEEK),
    ("months ago", 2.0 * MONTH),
];

const EN_NUMBERS: &[(&str, f64)] = &[
    ("a couple of", 2.0),
    ("a couple", 2.0),
    ("a few", 3.0),
    ("a", 1.0),
    ("an", 1.0),
    ("one", 1.0),
    ("two", 2.0),
    ("three", 3.0),
    ("four", 4.0),
    ("five", 5.0),
    ("six", 6.0),
    ("seven", 7.0),
    ("eight", 8.0),
    ("nine", 9.0),
    ("ten", 10.0),
    ("eleven", 11.0),
    ("twelve", 12.0),
    ("fifteen", 15.0),
    ("twenty", 20.0),
    ("thirty", 30.0),
    ("forty", 40.0),
    ("fifty", 50.0),
    ("several", 3.0),
    ("few", 3.0),
    ("half a", 0.5),
    ("half an", 0.5),
    ("half", 0.5),
];

const EN_UNITS: &[(&str, f64)] = &[
    ("minutes", 1.0 / 60.0),
    ("minute", 1.0 / 60.0),
    ("mins", 1.0 / 60.0),
    ("min", 1.0 / 60.0),
    ("hours", HOUR),
    ("hour", HOUR),
    ("hrs", HOUR),
    ("hr", HOUR),
    ("days", DAY),
    ("day", DAY),
    ("weeks", WEEK),
    ("week", WEEK),
    ("months", MONTH),
    ("month", MONTH),
    ("years", YEAR),
    ("year", YEAR),
];

/// Qualifiers before an English number: almost two days is under two days,
/// within an hour is under an hour, over a day is over a day.
const EN_BEFORE: &[(&str, f64)] = &[
    ("almost", 0.9),
    ("nearly", 0.9),
    ("less than", 0.99),
    ("under", 0.99),
    ("within", 0.99),
    ("more than", 1.1),
    ("over", 1.1),
];
const ZH_BEFORE: &[(&str, f64)] = &[("快", 0.9), ("将近", 0.9), ("不到", 0.99), ("超过", 1.1), ("成", 1.0)];

fn table_at(chars: &[char], i: usize, table: &[(&str, f64)]) -> Option<(f64, usize)> {
    let c = *chars.get(i)?;
    table.iter().filter(|(w, _)| may_start(w, c)).find_map(|&(w, v)| word_at(chars, i, w).map(|e| (v, e)))
}

/// A number at `i`: digits (with a decimal point) or a Chinese numeral up
/// to 99 (十五, 二十, 两, 半; 几 and 好几 as 3; 多 "and some" after it).
fn number(chars: &[char], i: usize) -> Option<(f64, usize)> {
    let digit = |c: char| "零一二三四五六七八九".chars().position(|d| d == c).map(|d| d as f64);
    let mut k = i;
    if chars.get(k).is_some_and(|c| c.is_ascii_digit()) {
        let mut v = 0.0;
        while let Some(d) = chars.get(k).and_then(|c| c.to_digit(10)) {
            v = v * 10.0 + d as f64;
            k += 1;
        }
        // "4-5 months", "3~4个小时": about the two, halfway.
        if matches!(chars.get(k), Some('-' | '~' | '～')) && chars.get(k + 1).is_some_and(|c| c.is_ascii_digit()) {
            let mut n = 0.0;
            let mut e = k + 1;
            while let Some(d) = chars.get(e).and_then(|c| c.to_digit(10)) {
                n = n * 10.0 + d as f64;
                e += 1;
            }
            if n > v && n <= 100.0 {
                return Some(((v + n) / 2.0, e));
            }
        }
        if chars.get(k) == Some(&'.') && chars.get(k + 1).is_some_and(|c| c.is_ascii_digit()) {
            k += 1;
            let mut scale = 0.1;
            while let Some(d) = chars.get(k).and_then(|c| c.to_digit(10)) {
                v += d as f64 * scale;
                scale /= 10.0;
                k += 1;
            }
        }
        return Some((v, k));
    }
    let mut v;
    if at(chars, k, "好几") {
        v = 3.0;
        k += 2;
    } else {
        match chars.get(k) {
            Some('半') => return Some((0.5, k + 1)),
            Some('两' | '俩') => {
                v = 2.0;
                k += 1;
            }
            Some('几') => {
                v = 3.0;
                k += 1;
            }
            Some('十') => {
                v = 10.0;
                k += 1;
                match chars.get(k) {
                    Some(&c) if digit(c).is_some() => {
                        v += digit(c).unwrap_or(0.0);
                        k += 1;
                    }
                    Some('几') => {
                        v += 3.0;
                        k += 1;
                    }
                    _ => {}
                }
            }
            Some(&c) if digit(c).is_some_and(|d| d > 0.0) => {
                v = digit(c).unwrap_or(0.0);
                k += 1;
                // "三四个小时", "七八天": about the two, halfway.
                if let Some(n) = chars.get(k).and_then(|&c| digit(c)).filter(|&n| n == v + 1.0) {
                    v = (v + n) / 2.0;
                    k += 1;
                }
                if chars.get(k) == Some(&'十') {
                    v *= 10.0;
                    k += 1;
                    if let Some(d) = chars.get(k).and_then(|&c| digit(c)) {
                        v += d;
                        k += 1;
                    }
                }
            }
            _ => return None,
        }
    }
    if chars.get(k) == Some(&'多') {
        v += if v < 10.0 { 0.5 } else { v * 0.3 };
        k += 1;
    } else if chars.get(k) == Some(&'来') && v >= 10.0 {
        // 十来分钟: about ten.
        k += 1;
    }
    Some((v, k))
}

/// A Chinese duration at `i`: [快|不到…] NUMBER [个] [多|半] UNIT [多|半] [内]
/// [前]. Also returns whether it is a duration since (no 前).
fn zh_duration(chars: &[char], i: usize) -> Option<(f64, usize, bool)> {
    // Part of a larger number or an ordinal (第二天): not a duration.
    if i > 0 && chars.get(i - 1).is_some_and(|c| c.is_ascii_digit() || *c == '第') {
        return None;
    }
    // "前一天" is the day before another, not a day ago ("前两天" is).
    if i > 0 && chars[i - 1] == '前' && at(chars, i, "一天") {
        return None;
    }
    // "隔了十分钟又付了一次": the time between two events, not since one.
    if (i >= 1 && chars[i - 1] == '隔') || (i >= 2 && at(chars, i - 2, "隔了")) {
        return None;
    }
    let (scale, i) = table_at(chars, i, ZH_BEFORE).map_or((1.0, i), |(s, e)| (s, e));
    // 小半年 is a little under half a year, 大半年 well over it.
    let (scale, i) = match (chars.get(i), chars.get(i + 1)) {
        (Some('小'), Some('半')) => (scale * 0.8, i + 1),
        (Some('大'), Some('半')) => (scale * 1.4, i + 1),
        _ => (scale, i),
    };
    let (mut n, mut k) = number(chars, i)?;
    let mut counted = false;
    if chars.get(k) == Some(&'个') {
        counted = true;
        k += 1;
    }
    let mut extra = 0.0;
    if chars.get(k) == Some(&'多') || chars.get(k) == Some(&'半') {
        // "半个多小时" is a little over half an hour, not a whole one.
        extra = if n == 0.5 && chars[k] == '多' { 0.2 } else { 0.5 };
        k += 1;
    }
    let unit = if at(chars, k, "分钟") {
        Some((1.0 / 60.0, 2))
    } else if at(chars, k, "刻钟") {
        // 一刻钟: a quarter of an hour.
        Some((0.25, 2))
    } else if at(chars, k, "小时") || at(chars, k, "钟头") {
        Some((HOUR, 2))
    } else if counted && chars.get(k) == Some(&'钟') {
        // Cantonese "半个钟", "两个钟": hours.
        Some((HOUR, 1))
    } else if at(chars, k, "星期") || at(chars, k, "礼拜") {
        Some((WEEK, 2))
    } else {
        match chars.get(k) {
            Some('天') => Some((DAY, 1)),
            Some('周') => Some((WEEK, 1)),
            // "3月" is March and "2024年" a year: a month needs 个 or 半,
            // a year a small number.
            Some('月') if counted || n == 0.5 => Some((MONTH, 1)),
            // "99年费" is an amount and the fee it pays.
            Some('年') if n <= 100.0 && chars.get(k + 1) != Some(&'费') => Some((YEAR, 1)),
            _ => None,
        }
    };
    let (unit, len) = unit?;
    k += len;
    if chars.get(k) == Some(&'多') || chars.get(k) == Some(&'半') {
        extra = 0.5;
        k += 1;
    }
    n += extra;
    // "一年的服务费", "三个月的流量": what was bought, not how long ago
    // ("半个小时的样子" is still a time).
    if chars.get(k) == Some(&'的') && one_of(chars, k + 1, &["样子", "时间", "功夫", "工夫", "时候"]).is_none() {
        return None;
    }
    let mut scale = scale;
    if let Some(e) = one_of(chars, k, &["以内", "之内", "内"]) {
        scale *= 0.99;
        k = e;
    }
    // "十几分钟后变成支付失败": later than another event, no time since.
    if one_of(chars, k, &["以后", "之后", "后"]).is_some() {
        return None;
    }
    let since = match one_of(chars, k, &["以前", "之前", "前"]) {
        Some(e) => {
            k = e;
            false
        }
        None => true,
    };
    Some((n * unit * scale, k, since))
}

/// An English duration at word start `i`: [almost|within…] NUMBER [of] UNIT
/// [and a half] [ago]; and whether it is a duration since (no "ago").
fn en_duration(chars: &[char], i: usize) -> Option<(f64, usize, bool)> {
    let (scale, k) = table_at(chars, i, EN_BEFORE).map_or((1.0, i), |(s, e)| (s, skip_spaces(chars, e)));
    let (n, k) = if chars.get(k).is_some_and(|c| c.is_ascii_digit()) { number(chars, k)? } else { table_at(chars, k, EN_NUMBERS)? };
    if chars.get(k).is_some_and(|&c| is_word(c)) {
        return None;
    }
    let mut k = skip_spaces(chars, k);
    if let Some(e) = word_at(chars, k, "of") {
        k = skip_spaces(chars, e);
    }
    let (unit, e) = table_at(chars, k, EN_UNITS)?;
    let mut n = n;
    let mut end = e;
    let after = skip_spaces(chars, end);
    if let Some(e) = word_at(chars, after, "and a half") {
        n += 0.5;
        end = e;
    }
    let after = skip_spaces(chars, end);
    let since = match word_at(chars, after, "ago") {
        Some(e) => {
            end = e;
            false
        }
        None => true,
    };
    Some((n * unit * scale, end, since))
}

/// Parts of a day: right after a point in time ("周六上午", "25号晚上")
/// they belong to it and are no time of their own ("上午" alone is this
/// morning).
const DAY_PARTS: &[&str] = &["早上", "上午", "中午", "下午", "傍晚", "晚上", "夜里", "凌晨", "morning", "afternoon", "evening", "night"];

/// A day of the month at `i`: "25号", "3日", "11月3号" (the month's
/// number is read here too), "the 3rd", "the 26th". Said of a payment
/// (and not "今天27号了", today), it is days ago: a convention of three
/// days, like a weekday named alone.
fn date_of_month(chars: &[char], i: usize) -> Option<usize> {
    if i > 0 && is_word(chars[i - 1]) {
        return None;
    }
    let digits = |k: usize| {
        let mut e = k;
        while e < chars.len() && e < k + 2 && chars[e].is_ascii_digit() {
            e += 1;
        }
        (e > k && !chars.get(e).is_some_and(|c| c.is_ascii_digit())).then_some(e)
    };
    // An English ordinal glued to its digits ("3rd", "25th"): `at`, not
    // `one_of`.
    let ordinal = |k: usize| digits(k).and_then(|d| ["st", "nd", "rd", "th"].iter().find(|w| at(chars, d, w)).map(|_| d + 2));
    let month = |k: usize| one_of(chars, k, MONTHS);
    // "the 2nd time", "the 3rd one": an ordinal of something else.
    let of_something = |end: usize| {
        chars.get(end).is_some_and(|&c| is_word(c)) || one_of(chars, skip_spaces(chars, end), &["time", "try", "attempt", "one", "of", "floor"]).is_some()
    };
    let end = if at(chars, i, "the ") {
        let end = ordinal(i + 4)?;
        if of_something(end) {
            // "the 3rd of November" is a date all the same.
            let of = word_at(chars, skip_spaces(chars, end), "of").map(|e| skip_spaces(chars, e));
            of.and_then(month)?
        } else {
            end
        }
    } else if let Some(m) = month(i) {
        // "Nov 25", "November 3rd".
        let d = skip_spaces(chars, m);
        if d == m {
            return None;
        }
        ordinal(d).or_else(|| digits(d).filter(|&e| !chars.get(e).is_some_and(|&c| is_word(c))))?
    } else if let Some(end) = ordinal(i) {
        // "3rd November", "on 3rd": a bare ordinal needs a month after it or
        // "on" before it.
        let on = i >= 3 && at(chars, i - 3, "on ");
        let after = skip_spaces(chars, end);
        let of = word_at(chars, after, "of").map_or(after, |e| skip_spaces(chars, e));
        match month(of) {
            Some(e) => e,
            None if on && !of_something(end) => end,
            None => return None,
        }
    } else {
        let mut e = digits(i)?;
        if chars.get(e) == Some(&'/') {
            // "on 25/11", "11/25交的": a day and a month, whichever order
            // ("paid 1/2 of it" is a share).
            let on = i >= 3 && at(chars, i - 3, "on ");
            let chinese = i > 0 && chars[i - 1] > '\u{2e80}';
            if !(on || chinese || i == 0) {
                return None;
            }
            let f = digits(e + 1)?;
            let (a, b) = (number(chars, i)?.0, number(chars, e + 1)?.0);
            let day = |n: f64| (1.0..=31.0).contains(&n);
            if !day(a) || !day(b) || (a > 12.0 && b > 12.0) || chars.get(f) == Some(&'/') {
                return None;
            }
            f
        } else {
            if chars.get(e) == Some(&'月') {
                e = digits(e + 1)?;
            }
            let end = one_of(chars, e, &["号", "日"])?;
            // "3日内到账" is a span of days; "5号机" a machine's number.
            if chars.get(end).is_some_and(|c| "内后之以机台柜窗码线楼店".contains(*c)) {
                return None;
            }
            end
        }
    };
    // "今天都11月6号了", "today is the 27th": today's date.
    let before = chars[..i].iter().rposition(|&c| c != ' ').map_or(0, |k| k + 1);
    let today = ["今天", "今天是", "今天都", "今天已经", "今儿", "today is", "today's", "it's now", "now it's", "today is already", "it's already"].iter().any(|w| {
        let n = w.chars().count();
        before >= n && at(chars, before - n, w)
    });
    (!today).then_some(end)
}

/// A clock time: "十点多", "下午3点半", "中午十二点过一点", "9:40", "2pm".
/// Said of a payment and said of now ("现在都两点了"), it is how long ago
/// the payment was.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Clock {
    /// Minutes after midnight; after midnight or noon when the half of the
    /// day is not said ("十点": ten in the morning or at night).
    minutes: f64,
    half_said: bool,
}

impl Clock {
    /// Hours from this clock to `now`: the shortest span the two may mean,
    /// none when this one is later (a time to come: "维护到下午五点").
    fn hours_until(self, now: Clock) -> Option<f64> {
        let readings = |c: Clock| [c.minutes, if c.half_said { c.minutes } else { c.minutes + 720.0 }];
        let mut best: Option<f64> = None;
        for n in readings(now) {
            for p in readings(self) {
                if n >= p && best.is_none_or(|b| n - p < b) {
                    best = Some(n - p);
                }
            }
        }
        best.map(|m| m / 60.0)
    }
}

/// Halves of the day before a clock: morning (12 is midnight), noon (1 is
/// one in the afternoon) and afternoon or night. Longest first.
const ZH_HALVES: &[(&str, u8)] = &[
    ("今天凌晨", 0),
    ("今天早上", 0),
    ("今天上午", 0),
    ("今天中午", 1),
    ("今天下午", 2),
    ("今天晚上", 2),
    ("凌晨", 0),
    ("半夜", 0),
    ("早上", 0),
    ("早晨", 0),
    ("上午", 0),
    ("今早", 0),
    ("清早", 0),
    ("中午", 1),
    ("下午", 2),
    ("傍晚", 2),
    ("晚上", 2),
    ("夜里", 2),
];

/// Words for now before its clock ("现在都两点了", "now it's 2pm"), and the
/// words that may stand between.
const NOW: &[&str] = &["现在", "这会儿", "目前", "此刻", "眼下", "now", "it's", "it is", "its"];
const BEFORE_NOW_CLOCK: &[&str] = &[
    "已经", "差不多", "大概", "都快", "都", "已", "才", "刚", "是", "快", "也", "就", "already", "almost", "about", "nearly", "just", "past", "after", "around",
];

fn clock_of(hour: f64, minutes: f64, half: Option<u8>) -> Clock {
    let h = hour.floor();
    let minutes = minutes + (hour - h) * 60.0;
    // 12 o'clock is 0 in a half of the day (no `%` on floats: it costs the
    // wasm module a libm fmod).
    let in_half = if h >= 12.0 { h - 12.0 } else { h };
    let (h, half_said) = match half {
        None if h >= 13.0 => (h, true),
        None => (in_half, false),
        Some(0) => (in_half, true),
        Some(1) if h < 11.0 => (h + 12.0, true),
        Some(1) => (h, true),
        _ if h < 12.0 => (h + 12.0, true),
        _ => (h, true),
    };
    Clock { minutes: h * 60.0 + minutes, half_said }
}

/// A Chinese clock time at `i`: [今天] [上午|下午…] HOUR 点 [半|多|一刻|过一点|
/// MINUTES [分]] [钟], or HH:MM.
fn zh_clock(chars: &[char], i: usize) -> Option<(Clock, usize)> {
    let (half, k) = ZH_HALVES.iter().filter(|(w, _)| may_start(w, chars[i])).find_map(|&(w, h)| word_at(chars, i, w).map(|e| (Some(h), e))).unwrap_or((None, i));
    let k = skip_spaces(chars, k);
    let first = *chars.get(k)?;
    if !(first.is_ascii_digit() || "一二三四五六七八九十两零".contains(first)) || (k > 0 && chars[k - 1].is_ascii_digit()) {
        return None;
    }
    let (hour, k) = number(chars, k)?;
    if hour > 24.0 {
        return None;
    }
    if first.is_ascii_digit() && chars.get(k) == Some(&':') {
        let (m, e) = two_digits(chars, k + 1)?;
        return Some((clock_of(hour, m, half), e));
    }
    if chars.get(k) != Some(&'点') {
        return None;
    }
    let mut k = k + 1;
    let minutes = if chars.get(k) == Some(&'半') {
        k += 1;
        Some(30.0)
    } else if chars.get(k) == Some(&'多') {
        k += 1;
        Some(15.0)
    } else if let Some(e) = one_of(chars, k, &["一刻", "三刻"]) {
        let m = if chars[k] == '一' { 15.0 } else { 45.0 };
        k = e;
        Some(m)
    } else if let Some(e) = one_of(chars, k, &["过一点", "过一些", "过点", "过"]) {
        k = e;
        Some(5.0)
    } else {
        let zero = usize::from(chars.get(k) == Some(&'零'));
        match number(chars, k + zero) {
            // "十点四十", "9点05", "十点零五分": minutes; a small Chinese number
            // needs its 分 ("两点三个人" is no time).
            Some((m, e)) if m < 60.0 && m.fract() == 0.0 && (chars[k].is_ascii_digit() || zero == 1 || m >= 10.0 || chars.get(e) == Some(&'分')) => {
                k = if chars.get(e) == Some(&'分') { e + 1 } else { e };
                Some(m)
            }
            _ => None,
        }
    };
    let said_as_time = minutes.is_some() || chars.get(k) == Some(&'钟') || at(chars, k, "左右");
    // "一点" alone is "a little" ("快一点", "一点反应都没有").
    if first == '一' && hour == 1.0 && half.is_none() && !said_as_time {
        return None;
    }
    if chars.get(k) == Some(&'钟') {
        k += 1;
    }
    Some((clock_of(hour, minutes.unwrap_or(0.0), half), k))
}

fn two_digits(chars: &[char], k: usize) -> Option<(f64, usize)> {
    let d = |j: usize| chars.get(j).and_then(|c| c.to_digit(10));
    let (a, b) = (d(k)?, d(k + 1)?);
    let m = (a * 10 + b) as f64;
    (m < 60.0 && d(k + 2).is_none()).then_some((m, k + 2))
}

/// An English clock time at word start `i`: "2pm", "10:30 am", "9:40",
/// "3 o'clock", "noon"; "in the morning" / "this afternoon" after it says
/// the half of the day.
fn en_clock(chars: &[char], i: usize) -> Option<(Clock, usize)> {
    let (mut half, mut hour, mut m) = (None, 0.0, 0.0);
    let mut k;
    if let Some(e) = one_of(chars, i, &["noon", "midday"]) {
        (half, hour, k) = (Some(1), 12.0, e);
    } else if let Some(e) = word_at(chars, i, "midnight") {
        (half, k) = (Some(0), e);
    } else {
        let (h, e) = number(chars, i).filter(|&(h, _)| h <= 24.0 && h.fract() == 0.0 && chars[i].is_ascii_digit())?;
        let mut said = false;
        (hour, k) = (h, e);
        if chars.get(k) == Some(&':') {
            (m, k) = two_digits(chars, k + 1)?;
            said = true;
        }
        let a = skip_spaces(chars, k);
        // "10am" is glued, "10 a.m." not.
        let half_at = |w: &str| at(chars, a, w).then(|| a + w.chars().count());
        if let Some(e) = half_at("a.m.").or_else(|| half_at("am")) {
            (half, k, said) = (Some(0), e, true);
        } else if let Some(e) = half_at("p.m.").or_else(|| half_at("pm")) {
            (half, k, said) = (Some(2), e, true);
        } else if let Some(e) = word_at(chars, a, "o'clock") {
            (k, said) = (e, true);
        }
        if chars.get(k).is_some_and(|&c| is_word(c)) {
            return None;
        }
        // "10 this morning" says it is a time.
        said = said || en_half_after(chars, k).is_some();
        // A bare hour: "around 5," "at 10." or "it's 8 now".
        let bare = || {
            let before = chars[..i].iter().rposition(|&c| c != ' ').map_or(0, |b| b + 1);
            let after_word = |w: &str| before >= w.len() && at(chars, before - w.len(), w) && (before == w.len() || !is_word(chars[before - w.len() - 1]));
            let ends = !chars.get(skip_spaces(chars, k)).is_some_and(|&c| is_word(c)) || word_at(chars, skip_spaces(chars, k), "now").is_some();
            ends && ["at", "around", "about", "it's", "its", "it is", "now"].iter().any(|w| after_word(w))
        };
        if !said && !bare() {
            return None;
        }
    }
    if let Some((h, e)) = en_half_after(chars, k).filter(|_| half.is_none()) {
        (half, k) = (Some(h), e);
    }
    Some((clock_of(hour, m, half), k))
}

/// The half of the day said after an English clock time at `k` ("in the
/// morning", "this afternoon", "tonight"), and where it ends.
fn en_half_after(chars: &[char], k: usize) -> Option<(u8, usize)> {
    let a = skip_spaces(chars, k);
    one_of(chars, a, &["in the morning", "this morning"])
        .map(|e| (0, e))
        .or_else(|| one_of(chars, a, &["in the afternoon", "this afternoon", "in the evening", "this evening", "tonight"]).map(|e| (2, e)))
}

/// Can a clock time start with `c`: a digit, "noon" / "midday" /
/// "midnight", a Chinese numeral or the first character of a `ZH_HALVES`
/// word (a unit test keeps the two in step)?
fn may_start_clock(c: char) -> bool {
    matches!(c, '0'..='9' | 'n' | 'm' | '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十' | '两' | '零' | '今' | '凌' | '半' | '早' | '上' | '清' | '中' | '下' | '傍' | '晚' | '夜')
}

/// A clock time at `i`, Chinese or English.
fn clock(chars: &[char], i: usize) -> Option<(Clock, usize)> {
    let c = *chars.get(i)?;
    // The quick test first: most characters start no clock.
    if !may_start_clock(c) {
        return None;
    }
    let word_start = is_word(c) && (i == 0 || !is_word(chars[i - 1]));
    if word_start {
        en_clock(chars, i).or_else(|| if c.is_ascii_digit() { zh_clock(chars, i) } else { None })
    } else if !is_word(c) {
        zh_clock(chars, i)
    } else {
        None
    }
}

/// Is the clock at `s..e` said of now ("现在都两点了", "it's 2pm now")?
fn said_of_now(chars: &[char], s: usize, e: usize) -> bool {
    let mut k = s;
    loop {
        while k > 0 && chars[k - 1] == ' ' {
            k -= 1;
        }
        let ends = |w: &&str| {
            let n = w.chars().count();
            k >= n && at(chars, k - n, w) && (k == n || !is_word(chars[k - n - 1]) || !w.is_ascii())
        };
        if NOW.iter().any(ends) {
            return true;
        }
        match BEFORE_NOW_CLOCK.iter().find(|w| ends(w)) {
            Some(w) => k -= w.chars().count(),
            None => break,
        }
    }
    word_at(chars, skip_spaces(chars, e), "now").is_some()
}

/// The clock time said of now in the whole text, if one is.
pub(crate) fn now_clock(chars: &[char]) -> Option<Clock> {
    (0..chars.len()).find_map(|i| clock(chars, i).filter(|&(_, e)| said_of_now(chars, i, e)).map(|(c, _)| c))
}

/// English month names and their short forms, longest first ("may" only
/// before a day's number: "may 3").
const MONTHS: &[&str] = &[
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december", "sept", "jan", "feb",
    "mar", "apr", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// Words for "the same day as the time just said".
const SAME_DAY: &[&str] = &["当天", "同一天", "那天", "当日", "当时", "当场", "that same day", "the same day", "that day"];

/// Where the clause says "that same day", if it does.
pub(crate) fn same_day(clause: &[char]) -> Option<(usize, usize)> {
    (0..clause.len()).find_map(|i| one_of(clause, i, SAME_DAY).map(|e| (i, e)))
}

/// Words that, with numerals, digits and the signs between them, make up a
/// time or a span of times ("今天凌晨到中午", "当晚零点到早上六点",
/// "11月30日00:00-06:00").
const TIME_RUN_WORDS: &[&str] = &["今天", "今晚", "今日", "当晚", "当天", "明天", "昨天", "昨晚", "次日", "凌晨", "早上", "上午", "中午", "下午", "晚上", "傍晚", "夜里", "半夜"];

/// The end of the run of time words and characters starting at `k` (`k`
/// when none starts there): `words::cue_gaps` counts such a run as one word.
pub(crate) fn run_end(chars: &[char], mut k: usize) -> usize {
    while k < chars.len() {
        if let Some(e) = one_of(chars, k, TIME_RUN_WORDS) {
            k = e;
        } else if chars[k].is_ascii_digit() || "零一二三四五六七八九十两点半:-~～—至到日月号".contains(chars[k]) {
            k += 1;
        } else {
            break;
        }
    }
    k
}

/// A time expression in a clause.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Time {
    pub hours_ago: f64,
    pub start: usize,
    pub end: usize,
    /// A duration since ("一个多小时了"), not a point in time.
    pub since: bool,
    /// A clock time read against now ("十点多交的", "现在两点了").
    pub clock: bool,
}

/// The time expressions in `clause`, in order. `now`: the clock time the
/// text says it is (`now_clock`), against which a clock time is read.
pub(crate) fn durations(clause: &[char], now: Option<Clock>) -> Vec<Time> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < clause.len() {
        let c = clause[i];
        let word_start = is_word(c) && (i == 0 || !is_word(clause[i - 1]));
        let point = |x: Option<(f64, usize)>| x.map(|(h, e)| (h, e, false));
        // 刚 right after a point in time is "just then" ("月初刚交过"), no time of its own.
        let after_point = out.last().is_some_and(|t: &Time| t.end == i);
        let clock = clock(clause, skip_spaces(clause, i));
        let mut from_clock = false;
        let hit = if c == '刚' && after_point {
            None
        } else if let Some(e) = one_of(clause, skip_spaces(clause, i), DAY_PARTS).or(clock.map(|c| c.1)).filter(|_| after_point) {
            // "周六上午", "昨天 15:02": the part of that day, or its clock.
            if let Some(last) = out.last_mut() {
                last.end = e;
            }
            i = e;
            continue;
        } else if let Some((paid, e)) = clock.filter(|_| now.is_some() && c != ' ') {
            // The clock of now is no time of its own; another is read against it.
            match now.filter(|_| !said_of_now(clause, i, e)).and_then(|n| paid.hours_until(n)) {
                Some(h) => {
                    from_clock = true;
                    point(Some((h, e)))
                }
                None => {
                    i = e;
                    continue;
                }
            }
        } else if let Some(e) = date_of_month(clause, i) {
            point(Some((3.0 * DAY, e)))
        } else if c == '刚' && !at(clause, i, "刚好") && !at(clause, i, "刚开始") {
            // 刚 alone ("刚交过") as well as 刚刚 / 刚才.
            point(table_at(clause, i, ZH_FIXED).or(Some((0.1, i + 1))))
        } else if word_start {
            let en = point(table_at(clause, i, EN_FIXED)).or_else(|| en_duration(clause, i));
            // Digits may also lead a Chinese duration ("20分钟").
            en.or_else(|| if c.is_ascii_digit() { zh_duration(clause, i) } else { None })
        } else if !is_word(c) || c.is_ascii_digit() {
            point(table_at(clause, i, ZH_FIXED)).or_else(|| zh_duration(clause, i))
        } else {
            None
        };
        // "转了半天圈" / "等了半天" / "要转半天": 半天 after a verb's 了, or
        // right after a verb of waiting or fiddling, is "for ages", how long
        // something took, not how long ago ("交了半天了" still is).
        let after_verb = i > 0 && (clause[i - 1] == '了' || "转等弄搞找试忙".contains(clause[i - 1]));
        let for_ages = |end: usize| at(clause, i, "半天") && end == i + 2 && after_verb && clause.get(end) != Some(&'了');
        match hit {
            Some((_, end, _)) if for_ages(end) => i = end,
            Some((h, end, since)) if end > i && h.is_finite() => {
                out.push(Time { hours_ago: h, start: i, end, since, clock: from_clock });
                i = end;
            }
            _ => {
                // Skip the rest of an English word or number.
                if word_start {
                    while i < clause.len() && is_word(clause[i]) {
                        i += 1;
                    }
                } else {
                    i += 1;
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_clock_start_passes_the_quick_test() {
        for (w, _) in ZH_HALVES {
            assert!(w.chars().next().is_some_and(may_start_clock), "{w}");
        }
        for c in "0123456789一二三四五六七八九十两零".chars() {
            assert!(may_start_clock(c), "{c}");
        }
        for w in ["noon", "midday", "midnight"] {
            assert!(w.chars().next().is_some_and(may_start_clock), "{w}");
        }
        assert!(!may_start_clock('交'));
    }
}
