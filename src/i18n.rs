//! The page's own words (buttons, headings, notices) in both languages.
//! Knowledge-base text lives in kb/; these are the chrome around it, kept
//! in Rust so the support summary and the page speak with one voice.

use crate::kb::Lang;

/// The words as three texts, one word a line, in the same order: a table
/// of (key, zh-CN, en) string slices would cost the page module about 1.5
/// KB of pointers and lengths, and all Chinese then all English compresses
/// better than the two interleaved.
macro_rules! words {
    ($(($key:literal, $zh:literal, $en:literal),)*) => {
        const KEYS: &str = concat!($($key, "\n"),*);
        const ZH: &str = concat!($($zh, "\n"),*);
        const EN: &str = concat!($($en, "\n"),*);
    };
}

words! {
    ("app_title", "POS机续费后仍停机？", "POS still suspended after renewal?"),
    ("intro", "回答几个问题，我们按可能性排出原因和解决步骤。", "Answer a few questions; we rank the likely causes and the steps to fix it."),
    ("question_heading", "问题", "Question"),
    ("not_sure", "不确定", "Not sure"),
    ("causes_heading", "最可能的原因", "Most likely causes"),
    ("steps_heading", "解决步骤（按推荐顺序）", "Steps to fix it (in recommended order)"),
    ("next_badge", "下一步", "Next"),
    ("how_heading", "怎么做", "How to do it"),
    ("why_prefix", "可能解决：", "May fix: "),
    ("chance_prefix", "现在做这一步，解决问题的把握：", "Chance this step fixes it now: "),
    ("chance_good", "较大", "good"),
    ("chance_fair", "一般", "fair"),
    ("chance_small", "较小", "small"),
    ("chance_slim", "很小", "slim"),
    ("outcome_fixed", "已恢复", "Fixed it"),
    ("outcome_not_fixed", "仍停机", "Still suspended"),
    ("outcome_cannot_do", "做不了", "Can't do this"),
    ("state_fixed", "已恢复", "Fixed"),
    ("state_not_fixed", "试过，没解决", "Tried, not fixed"),
    ("state_cannot_do", "做不了，已跳过", "Can't do, skipped"),
    ("more_steps", "其他步骤", "More steps"),
    ("tips_heading", "以后怎样避免", "How to avoid it next time"),
    ("answers_heading", "您的回答", "Your answers"),
    ("change_answer", "修改", "Change"),
    ("support_heading", "联系客服", "Contact support"),
    ("open_support", "需要人工帮助", "I need a person to help"),
    ("have_ready", "联系前请准备好：", "Have these ready:"),
    ("ready_sn", "终端序列号（SN，在机身背面标签上）", "Terminal serial number (SN, on the label on the back)"),
    // Where merchants find it (no invention): printed on card receipts
    // (签购单), and under 商户信息 in the provider's app or back office and
    // the terminal's menu: https://588576.com/前缀4c665e3b.html,
    // https://banpos188.cn/pos/455428.html, https://qianfubo.com/pos/83c4b34b631a.html
    ("ready_merchant_no", "商户编号（印在刷卡小票上；也可在服务商官方App或机器菜单的“商户信息”里查到）", "Merchant number (printed on your card receipts; also under “merchant information” in the provider's official app or the terminal's menu)"),
    ("ready_receipt", "续费付款凭证或截图", "Renewal payment receipt or screenshot"),
    ("ready_screen", "屏幕上的原话（可拍照）", "The exact message on the screen (a photo helps)"),
    ("hotline", "客服电话：", "Support hotline: "),
    ("where_to_find", "客服电话在机身背面的标签上，或在服务商官方App里。请勿拨打来历不明的号码。", "The support number is on the label on the back of the terminal, or in your provider's official app. Do not call numbers from unknown sources."),
    ("where_to_find_named", "客服电话在机身背面的标签上，或在{provider}的官方App里。请勿拨打来历不明的号码。", "The support number is on the label on the back of the terminal, or in {provider}'s official app. Do not call numbers from unknown sources."),
    ("where_to_find_app", "客服电话在机身背面的标签上，或在官方App“{app}”里。请勿拨打来历不明的号码。", "The support number is on the label on the back of the terminal, or in the official app “{app}”. Do not call numbers from unknown sources."),
    ("activation_wait", "服务商说明的续费生效时间：", "When your provider says a renewal takes effect: "),
    // The wait step, by when the merchant paid (view::wait_lines).
    ("wait_passed_day", "您付款已超过1天，通常的等待时间已经过了，不用再等：先重启一次机器；还停机就联系服务商，请对方查这笔续费。", "You paid more than a day ago: the usual wait is over, so do not wait longer. Restart the terminal once; if it is still suspended, contact your provider and ask them to check this renewal."),
    ("wait_passed_hour", "您付款已超过1小时，通常的等待时间已经过了：先重启一次机器；还停机就联系服务商，请对方查这笔续费。", "You paid more than an hour ago: the usual wait is over. Restart the terminal once; if it is still suspended, contact your provider and ask them to check this renewal."),
    ("wait_check_stated", "您付款已超过1小时：如果服务商说明的时间也已经过了，先重启一次机器；还停机就联系服务商，请对方查这笔续费。", "You paid more than an hour ago: if the time your provider states has passed too, restart the terminal once; if it is still suspended, contact your provider and ask them to check this renewal."),
    ("status_link", "在线查续费和流量卡状态", "Check the renewal and SIM status online"),
    ("service_link", "服务商在线客服", "Your provider's online service"),
    ("sn_label", "终端序列号（SN，选填）", "Terminal serial number (SN, optional)"),
    ("sn_hint", "在机身背面的标签上。只存在这台手机上；会写进给客服的记录，但不在排查码里。", "On the label on the back of the terminal. Kept on this phone only; it goes into the summary, not into the case code."),
    ("label_sn", "序列号(SN)", "Serial number (SN)"),
    ("summary_heading", "给客服的记录", "Summary for support"),
    ("copy", "复制记录", "Copy summary"),
    ("copied", "已复制", "Copied"),
    ("print", "打印", "Print"),
    // 排查码, not 案例码 (translationese) or 工单码: a 工单 is the ticket an
    // agent opens in the provider's system; this code is made before any
    // ticket and holds the troubleshooting (排查) done so far, which is
    // what agents ask for ("你排查过什么").
    ("case_code", "排查码", "Case code"),
    ("case_code_help", "把排查码读给或发给客服，对方打开后能看到您已做过的排查。", "Read or send this case code to support: it shows them what you already tried."),
    ("copy_code", "复制排查码", "Copy code"),
    ("agent_check_payment", "按终端序列号（SN）核对：这笔续费是否已到账，并已关联到这台终端", "By the terminal's serial number (SN): has the renewal payment arrived, and is it linked to this terminal?"),
    ("agent_check_status", "在后台查看这台终端的状态：停机是否已解除", "In your system, look up this terminal's status: is the suspension lifted?"),
    ("agent_check_cause", "最可能的原因：{cause}", "Most likely cause: {cause}"),
    ("agent_check_done", "上面“已做步骤”是商户已经试过的，不必让商户重做", "The steps done above were already tried by the merchant: no need to repeat them"),
    ("agent_checks", "请客服核对：", "For the agent to check:"),
    ("case_input", "客服：输入排查码打开记录", "Support agents: enter a case code to open it"),
    ("case_open", "打开", "Open"),
    ("case_bad_title", "这个排查码打不开", "This case code cannot be opened"),
    ("notice_case_version", "排查码无法识别：它来自其他版本的页面。请让商户重新复制排查码。", "This case code cannot be read: it is from another version of the page. Ask the merchant to copy the code again."),
    ("copy_link", "复制链接", "Copy link"),
    ("start_over", "重新开始", "Start over"),
    ("restart_question", "重新开始会清除您的回答、做过的步骤和排查码，确定吗？", "Starting over clears your answers, the steps you did and the case code. Are you sure?"),
    ("restart_confirm", "确定，重新开始", "Yes, start over"),
    ("restart_cancel", "取消", "Cancel"),
    ("undo", "撤销", "Undo"),
    ("resolved_title", "问题已解决", "Fixed"),
    ("resolved_text", "很高兴恢复了！下面的小提示可以避免下次再停机。", "Glad it works again. The tips below help avoid it next time."),
    ("exhausted_title", "能自己做的都试过了", "You have tried everything you can do yourself"),
    ("exhausted_text", "请联系服务商客服，并把下面的记录或排查码给对方。", "Please contact your provider's support and give them the summary or case code below."),
    ("support_view_title", "客服视图：商户的排查记录（只读）", "Support view: the merchant's case (read-only)"),
    ("support_next", "建议客服接下来：", "Suggested next for support:"),
    ("asked_count", "已回答", "Answered"),
    ("lang_switch", "English", "中文"),
    ("notice_storage", "此浏览器无法保存进度，关闭页面后需要重新开始。", "This browser cannot save progress; closing the page starts over."),
    ("notice_saved_progress", "保存的进度已损坏或已过期，已为您重新开始。", "Saved progress was damaged or out of date, so we started fresh."),
    ("notice_link", "链接中有部分参数无法识别，已忽略。", "Some parts of the link were not understood and were ignored."),
    ("notice_kb_fallback", "服务商的知识库无法加载，正在使用内置版本。", "The provider's knowledge base could not be loaded; using the built-in one."),
    ("notice_case_bad", "排查码无法识别（可能不完整，或来自其他版本）。", "This case code cannot be read (it may be incomplete or from another version)."),
    ("notice_dropped", "部分保存的回答已不适用于新版本，已移除。", "Some saved answers no longer apply to this version and were removed."),
    ("label_time", "时间", "Time"),
    ("label_model", "机型", "Model"),
    ("label_provider", "服务商", "Provider"),
    ("label_answers", "已回答", "Answers"),
    ("label_steps", "已做步骤", "Steps done"),
    ("label_causes", "最可能的原因", "Most likely causes"),
    ("label_none", "（无）", "(none)"),
    ("neutral_provider", "您的POS服务商", "Your POS provider"),
    ("opening_heading", "说说怎么回事", "Tell us what happened"),
    ("story_hint", "打字或点键盘上的话筒说话都可以。写下的话只留在这台手机上，不会发送或保存。", "Type, or tap the microphone on your phone's keyboard and speak. Your words stay on this phone: they are never sent or saved."),
    ("chips_heading", "点选您知道的情况（可多选，不知道的不用选）", "Tap what you know (as many as apply; skip what you don't)"),
    ("topic_payment", "付款", "Payment"),
    ("topic_time", "时间", "Time"),
    ("topic_network", "网络", "Network"),
    ("topic_screen", "屏幕", "Screen"),
    ("topic_notices", "通知", "Notices"),
    ("topic_account", "账户", "Account"),
    ("more_chips", "更多情况", "More"),
    ("opening_done", "继续", "Continue"),
    ("understood_prefix", "听懂了：", "Understood: "),
    ("understood_none", "还没听懂具体情况，可以继续说，或点选下面的情况。", "Nothing recognised yet: go on, or tap what applies below."),
    ("understood_waiting", "正在加载，稍后就能读懂您写的话；也可以直接点选下面的情况。", "Loading: your words will be read in a moment; or tap what applies below."),
    ("understood_failed", "网络不好，暂时读不了您写的话，请点选下面的情况。", "Your words can't be read right now (the connection failed): tap what applies below."),
    ("details_loading", "正在加载详细说明…", "Loading details…"),
    ("details_failed", "详细说明没能加载，只显示了各步的名称。请检查网络后重新加载。", "The details could not load: only the steps' names are shown. Check your connection and reload."),
    ("list_separator", "、", ", "),
    ("heard", "来自：", "From: "),
    ("add_more", "补充情况", "Add what you know"),
    ("blocked_already_paid", "钱已经扣了：先联系服务商核对这笔续费，别重复付款", "The money was already taken: have support check that payment before paying again"),
    ("blocked_unverified", "先在官方App里查一下续费记录和机器状态", "Check your renewal record in the official app first"),
    ("source_opening", "您说的", "You said"),
    ("source_link", "来自链接", "From the link"),
}

fn words(lang: Lang) -> &'static str {
    if lang == Lang::Zh {
        ZH
    } else {
        EN
    }
}

/// The page's word for `key` in `lang`; the key itself if unknown, so a
/// missing string shows up in review instead of vanishing.
pub fn t(lang: Lang, key: &'static str) -> &'static str {
    all(lang).find(|&(k, _)| k == key).map_or(key, |(_, word)| word)
}

pub fn all(lang: Lang) -> impl Iterator<Item = (&'static str, &'static str)> {
    // Every word ends with a line break: the last piece is the empty rest.
    crate::pieces(KEYS, b'\n').zip(crate::pieces(words(lang), b'\n')).filter(|(key, _)| !key.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One word a line in all three texts, none empty: a line break inside
    /// a word would shift every word after it to the wrong key.
    #[test]
    fn every_key_has_one_word_in_each_language() {
        let lines = |text: &'static str| text.lines().collect::<Vec<_>>();
        let (keys, zh, en) = (lines(KEYS), lines(ZH), lines(EN));
        assert!(keys.len() > 50);
        assert_eq!((zh.len(), en.len()), (keys.len(), keys.len()));
        for i in 0..keys.len() {
            assert!(!keys[i].is_empty() && !zh[i].is_empty() && !en[i].is_empty(), "{}", keys[i]);
        }
        assert_eq!(t(Lang::Zh, "app_title"), "POS机续费后仍停机？");
        assert_eq!(t(Lang::En, "neutral_provider"), "Your POS provider");
        assert_eq!(t(Lang::En, "no_such_word"), "no_such_word");
    }
}
