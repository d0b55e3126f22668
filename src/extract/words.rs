//! The language side of the extractor: normalising the merchant's text,
//! cutting it into clauses, and the small word lists (negators, reported
//! speech, hypotheticals, uncertainty). Nothing here knows about POS
//! terminals.

/// The text as the extractor reads it: one normalised character per entry,
/// with the byte range of the original text it came from (so a match can be
/// shown as the merchant's own words).
pub(crate) struct Norm {
    pub chars: Vec<char>,
    pub spans: Vec<(usize, usize)>,
}

/// Colloquial and dictated forms mapped to the standard ones the KB's cues
/// are written in. Small on purpose: only forms merchants really type or a
/// phone's dictation produces (homophones), not synonyms (those are cues).
const COLLOQUIAL: &[(&str, &str)] = &[
    ("木有", "没有"),
    ("米有", "没有"),
    ("么有", "没有"),
    ("莫得", "没有"),
    ("冇", "没有"),
    ("神马", "什么"),
    ("啥", "什么"),
    ("肿么", "怎么"),
    ("咋", "怎么"),
    ("机子", "机器"),
    // Dictation homophones (same pinyin) and common miswritings.
    ("重起", "重启"),
    ("挺机", "停机"),
    // Pinyin-keyboard slips beside the words the cues hang on.
    ("续废", "续费"),
    ("输措", "输错"),
    ("失白", "失败"),
    ("扣宽", "扣款"),
    ("交哩", "交的"),
    ("哩钱", "的钱"),
    ("冲值", "充值"),
    // The pinyin keyboard's neighbouring candidates: 冲 for 充, 得 for 的.
    ("冲了流量", "充了流量"),
    ("冲流量", "充流量"),
    ("冲了钱", "充了钱"),
    // A top-up typed with 冲: "流量费冲了", "冲了六十", "冲的" (冲正, a
    // reversal, keeps its own form).
    ("冲了", "充了"),
    ("冲的", "充的"),
    ("冲进去", "充进去"),
    ("冲上", "充上"),
    ("填得是", "填的是"),
    ("登陆", "登录"),
    ("帐", "账"),
    ("续废", "续费"),
    ("续的废", "续的费"),
    ("以经", "已经"),
    ("反回", "返回"),
    ("成攻", "成功"),
    ("序费", "续费"),
    // 签到 dictated as 钱到 (qiān/qián): only where "money arrives" cannot
    // be meant (请先钱到, 重新钱到).
    ("请先钱到", "请先签到"),
    ("请钱到", "请签到"),
    ("重新钱到", "重新签到"),
    ("需要钱到", "需要签到"),
    // ... and as 前到 (qián): only after 请 / 重新 / 需要.
    ("请先前到", "请先签到"),
    ("请前到", "请签到"),
    ("重新前到", "重新签到"),
    ("需要前到", "需要签到"),
    // 签到 typed with the neighbouring candidate 道 (dào).
    ("签道", "签到"),
    ("消号", "销号"),
    // 停机 dictated as 停几 (tíngjī / tíngjǐ): only after 已, as "停几天"
    // (a few days) is meant as written.
    ("已停几", "已停机"),
    ("停鸡", "停机"),
    ("注消", "注销"),
    ("冻节", "冻结"),
    ("成工", "成功"),
    // More same-pinyin slips: 城功 (chénggōng), 徐费 (xùfèi), 公高 (gōnggào).
    ("城功", "成功"),
    ("流亮", "流量"),
    ("app离", "app里"),
    ("徐费", "续费"),
    ("公高", "公告"),
    // Cantonese written forms: 咗 (了), 嘅 (的), 佢 (他), 蚊 (块, after an
    // amount: "99蚊").
    ("咗", "了"),
    ("嘅", "的"),
    ("佢", "他"),
    ("蚊", "块"),
    ("啱啱", "刚刚"),
    ("喺", "在"),
    ("仲係", "还是"),
    ("係", "是"),
    ("唔该", "谢谢"),
    ("唔", "不"),
    ("撳", "点"),
    ("攞", "拿"),
    ("熄咗机", "关了机"),
    ("熄机", "关机"),
    ("熄过机", "关过机"),
    ("app度", "app里"),
    ("头先", "刚才"),
    // 俾 (pay, give), 写住 (写着), 入面 (里面), 睇 (看), 噚日 / 寻日 (昨天),
    // 前日 (前天), N日 (N天).
    ("俾咗", "付了"),
    ("俾了", "付了"),
    ("俾钱", "付钱"),
    // 畀 (pay), 嚟 (来), 嗰阵 (那时), 机背 (the terminal's back), 个 for 的.
    ("畀咗", "付了"),
    ("畀钱", "付钱"),
    ("嚟", "来"),
    ("嗰阵", "的时候"),
    ("机背", "机器背面"),
    ("标签个", "标签的"),
    ("点入去", "点进去"),
    ("写住", "写着"),
    ("入面", "里面"),
    ("睇", "看"),
    ("噚日", "昨天"),
    ("寻日", "昨天"),
    ("前日", "前天"),
    ("两日", "两天"),
    // 琴日 (昨天, written as heard), 今朝 (今早), 而家 (现在).
    ("琴日", "昨天"),
    ("今朝", "今早"),
    ("而家", "现在"),
    ("几日", "几天"),
    ("个mon", "个屏幕"),
    // Taiwanese written forms.
    ("萤幕", "屏幕"),
    ("网路", "网络"),
    ("讯号", "信号"),
    ("连线", "连接"),
    ("数据机", "光猫"),
    // Wu (Shanghainese) written forms.
    ("钞票", "钱"),
    ("呒没", "没有"),
    ("付脱", "付掉"),
    ("勿", "不"),
    ("迭只", "这个"),
    ("伊只", "这个"),
    ("扣脱", "扣掉"),
    ("交脱", "交掉"),
    ("勒app", "在app"),
    ("浪向", "上"),
    ("今朝上半日", "今天上午"),
    // Sichuanese: 将将 (刚刚), app头 (app里), 小屏屏 (the little screen).
    ("将将", "刚刚"),
    ("app头", "app里"),
    ("小屏屏", "屏幕"),
    // Dictation: what a phone's voice input writes for app, POS, 重启,
    // 扣款, 签到 and 停机了.
    ("艾普", "app"),
    ("破死", "pos"),
    ("虫起", "重启"),
    ("扣宽", "扣款"),
    ("千到失败", "签到失败"),
    ("请先千到", "请先签到"),
    ("重新千到", "重新签到"),
    ("停几了", "停机了"),
    // 需 for 续 (both xu): "在官方app上需的费".
    ("需的费", "续的费"),
    ("需了费", "续了费"),
    // Northern colloquial days.
    ("昨儿个", "昨天"),
    ("昨儿", "昨天"),
    ("前儿个", "前天"),
    // Henan and northern words for parts of the day.
    ("头晌", "上午"),
    ("前晌", "上午"),
    ("后晌", "下午"),
    ("晌午", "中午"),
    ("wi-fi", "wifi"),
    ("wi fi", "wifi"),
    ("thru", "through"),
    ("yday", "yesterday"),
    ("yhk", "银行卡"),
    ("acct", "account"),
    // Fees named in pinyin inside English ("paid the liuliang fee").
    ("liuliang fee", "data fee"),
    ("liuliang fei", "data fee"),
    ("liuliangfei", "data fee"),
    ("fuwu fee", "service fee"),
    ("fuwu fei", "service fee"),
    ("fuwufei", "service fee"),
    ("nian fei", "annual fee"),
    ("nianfei", "annual fee"),
    ("qing chong xin qian dao", "请重新签到"),
    ("qiandao", "签到"),
    ("qian dao", "签到"),
    // Pinyin initials typed in a hurry: xf (续费), cg (成功), kf (客服),
    // zd (终端), wl (网络), sfz (身份证); whole words only.
    ("xf", "续费"),
    ("cg", "成功"),
    ("kf", "客服"),
    ("zd", "终端"),
    ("wl", "网络"),
    ("sfz", "身份证"),
    // English voice input: "a pea" (app), "sin card", "re-new all", "y-fi".
    ("a pea", "app"),
    ("sin card", "sim card"),
    ("re-new all", "renewal"),
    ("y-fi", "wifi"),
    // English misspellings of the words the cues hang on.
    ("succesful", "successful"),
    ("sucessful", "successful"),
    ("successfull", "successful"),
    ("succesfully", "successfully"),
    ("succes", "success"),
    ("sucess", "success"),
    ("minits", "minutes"),
    ("minuts", "minutes"),
    ("anual", "annual"),
    ("offical", "official"),
    ("recieved", "received"),
    ("recieve", "receive"),
    ("throuh", "through"),
    ("termnal", "terminal"),
    // English without apostrophes (dictation, quick typing).
    ("didnt", "didn't"),
    ("doesnt", "doesn't"),
    ("dont", "don't"),
    ("isnt", "isn't"),
    ("wasnt", "wasn't"),
    ("hasnt", "hasn't"),
    ("havent", "haven't"),
    ("hadnt", "hadn't"),
    ("cant", "can't"),
    ("wont", "won't"),
    ("couldnt", "couldn't"),
    ("wouldnt", "wouldn't"),
    ("arent", "aren't"),
    ("werent", "weren't"),
];

/// The first characters of `COLLOQUIAL`'s forms, sorted (a unit test keeps
/// the two in step): most characters start none, and are passed at once.
const COLLOQUIAL_STARTS: [char; 110] =
    ['a', 'c', 'd', 'f', 'h', 'i', 'k', 'l', 'm', 'n', 'o', 'q', 'r', 's', 't', 'w', 'x', 'y', 'z', '两', '个', '么', '交', '今', '付', '以', '仲', '伊', '佢', '係', '俾', '停', '入', '公', '冇', '写', '冲', '冻', '几', '前', '勒', '勿', '千', '反', '后', '呒', '咋', '咗', '哩', '唔', '啥', '啱', '喺', '嗰', '嘅', '噚', '嚟', '城', '填', '失', '头', '寻', '将', '小', '已', '帐', '序', '徐', '成', '扣', '挺', '撳', '攞', '数', '昨', '晌', '木', '机', '标', '注', '流', '浪', '消', '点', '熄', '琴', '畀', '登', '睇', '破', '神', '签', '米', '续', '网', '而', '肿', '艾', '莫', '萤', '虫', '蚊', '讯', '请', '输', '连', '迭', '重', '钞', '需'];

fn starts_colloquial(c: char) -> bool {
    COLLOQUIAL_STARTS.binary_search(&c).is_ok()
}

/// The colloquial forms that start with `c`, in `COLLOQUIAL`'s order
/// (which decides between them). Grouped by first character once: common
/// characters start forms too (个, 交, 前, "o"), and reading a story
/// looks only at their own few forms, not the whole table.
fn colloquial_forms(c: char) -> impl Iterator<Item = &'static (&'static str, &'static str)> {
    static BY_START: std::sync::OnceLock<Vec<Vec<u16>>> = std::sync::OnceLock::new();
    let by_start = BY_START.get_or_init(|| {
        let mut by_start = vec![Vec::new(); COLLOQUIAL_STARTS.len()];
        for (k, (from, _)) in COLLOQUIAL.iter().enumerate() {
            if let Some(slot) = from.chars().next().and_then(|f| COLLOQUIAL_STARTS.binary_search(&f).ok()) {
                by_start[slot].push(k as u16);
            }
        }
        by_start
    });
    let forms = COLLOQUIAL_STARTS.binary_search(&c).map_or(&[][..], |slot| &by_start[slot][..]);
    forms.iter().map(|&k| &COLLOQUIAL[usize::from(k)])
}

/// Traditional characters (Hong Kong, Macau and Taiwan merchants, and
/// Cantonese typed in them: "續咗費", "顯示成功") folded to the simplified
/// ones the cues are written in: only characters whose simplified form
/// occurs in a cue phrase, a shop word or the extractor's own word lists
/// (the rest change no reading). Each with its simplified form, sorted by
/// the traditional one for a binary search (a unit test keeps it so).
const TRADITIONAL: [(char, char); 236] = [
    ('亂', '乱'), ('來', '来'), ('倆', '俩'), ('個', '个'), ('們', '们'), ('備', '备'), ('傳', '传'), ('僅', '仅'),
    ('優', '优'), ('儲', '储'), ('兒', '儿'), ('內', '内'), ('兩', '两'), ('凍', '冻'), ('則', '则'), ('剛', '刚'),
    ('劃', '划'), ('動', '动'), ('務', '务'), ('勢', '势'), ('匯', '汇'), ('區', '区'), ('員', '员'), ('問', '问'),
    ('啟', '启'), ('單', '单'), ('嗎', '吗'), ('國', '国'), ('圖', '图'), ('執', '执'), ('報', '报'), ('場', '场'),
    ('塊', '块'), ('壓', '压'), ('壞', '坏'), ('夠', '够'), ('媽', '妈'), ('實', '实'), ('審', '审'), ('寫', '写'),
    ('寬', '宽'), ('將', '将'), ('專', '专'), ('對', '对'), ('師', '师'), ('帳', '账'), ('帶', '带'), ('幫', '帮'),
    ('幹', '干'), ('幾', '几'), ('庫', '库'), ('廢', '废'), ('張', '张'), ('強', '强'), ('彈', '弹'), ('後', '后'),
    ('從', '从'), ('復', '复'), ('態', '态'), ('應', '应'), ('戶', '户'), ('掃', '扫'), ('掛', '挂'), ('換', '换'),
    ('擔', '担'), ('據', '据'), ('擺', '摆'), ('攤', '摊'), ('敗', '败'), ('數', '数'), ('斷', '断'), ('時', '时'),
    ('暫', '暂'), ('會', '会'), ('條', '条'), ('業', '业'), ('樂', '乐'), ('樓', '楼'), ('標', '标'), ('樣', '样'),
    ('機', '机'), ('檢', '检'), ('櫃', '柜'), ('沒', '没'), ('準', '准'), ('滿', '满'), ('為', '为'), ('無', '无'),
    ('營', '营'), ('狀', '状'), ('現', '现'), ('畫', '画'), ('異', '异'), ('當', '当'), ('發', '发'), ('眾', '众'),
    ('確', '确'), ('碼', '码'), ('禮', '礼'), ('稱', '称'), ('筆', '笔'), ('簽', '签'), ('籤', '签'), ('約', '约'),
    ('紙', '纸'), ('級', '级'), ('終', '终'), ('結', '结'), ('絕', '绝'), ('絡', '络'), ('給', '给'), ('統', '统'),
    ('綁', '绑'), ('經', '经'), ('維', '维'), ('網', '网'), ('線', '线'), ('編', '编'), ('縣', '县'), ('總', '总'),
    ('繫', '系'), ('繳', '缴'), ('續', '续'), ('纔', '才'), ('聯', '联'), ('聽', '听'), ('腦', '脑'), ('臨', '临'),
    ('臺', '台'), ('與', '与'), ('舊', '旧'), ('舖', '铺'), ('萬', '万'), ('著', '着'), ('處', '处'), ('號', '号'),
    ('螢', '萤'), ('蟲', '虫'), ('衝', '冲'), ('裏', '里'), ('補', '补'), ('裝', '装'), ('裡', '里'), ('製', '制'),
    ('複', '复'), ('視', '视'), ('訂', '订'), ('計', '计'), ('訊', '讯'), ('記', '记'), ('設', '设'), ('許', '许'),
    ('訴', '诉'), ('註', '注'), ('試', '试'), ('話', '话'), ('該', '该'), ('認', '认'), ('誤', '误'), ('說', '说'),
    ('請', '请'), ('論', '论'), ('講', '讲'), ('謝', '谢'), ('證', '证'), ('議', '议'), ('護', '护'), ('變', '变'),
    ('讓', '让'), ('貓', '猫'), ('貨', '货'), ('費', '费'), ('貼', '贴'), ('資', '资'), ('賣', '卖'), ('賬', '账'),
    ('較', '较'), ('載', '载'), ('輸', '输'), ('轉', '转'), ('辦', '办'), ('農', '农'), ('迴', '回'), ('這', '这'),
    ('連', '连'), ('週', '周'), ('進', '进'), ('運', '运'), ('過', '过'), ('選', '选'), ('還', '还'), ('邊', '边'),
    ('郵', '邮'), ('鈔', '钞'), ('鈕', '钮'), ('銀', '银'), ('銷', '销'), ('鋪', '铺'), ('錄', '录'), ('錢', '钱'),
    ('錯', '错'), ('鍾', '钟'), ('鎮', '镇'), ('鏈', '链'), ('鐘', '钟'), ('門', '门'), ('閃', '闪'), ('閉', '闭'),
    ('開', '开'), ('閒', '闲'), ('間', '间'), ('闆', '板'), ('關', '关'), ('陸', '陆'), ('隨', '随'), ('險', '险'),
    ('隻', '只'), ('離', '离'), ('電', '电'), ('響', '响'), ('頁', '页'), ('項', '项'), ('頭', '头'), ('頻', '频'),
    ('題', '题'), ('額', '额'), ('顧', '顾'), ('顯', '显'), ('風', '风'), ('餘', '余'), ('馬', '马'), ('髮', '发'),
    ('麵', '面'), ('麼', '么'), ('點', '点'), ('齊', '齐'),
];

/// One character as the cues are written: full-width ASCII to half-width,
/// ideographic space to space, curly apostrophes straight, traditional
/// Chinese to simplified (`TRADITIONAL`), ASCII lowercase.
pub(crate) fn fold(c: char) -> char {
    let c = match c {
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
        '\u{3000}' | '\t' => ' ',
        '\u{2018}' | '\u{2019}' | '\u{2032}' => '\'',
        '\u{4e00}'.. => return TRADITIONAL.binary_search_by_key(&c, |&(t, _)| t).map_or(c, |k| TRADITIONAL[k].1),
        _ => c,
    };
    c.to_ascii_lowercase()
}

pub(crate) fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '\''
}

/// Does `w` stand at `chars[i..]`? Plain comparison, no boundaries.
pub(crate) fn at(chars: &[char], i: usize, w: &str) -> bool {
    (i..).zip(w.chars()).all(|(k, c)| chars.get(k) == Some(&c))
}

/// Like `at`, and an ASCII word is matched whole ("no" is not in "now").
/// Returns the end.
pub(crate) fn word_at(chars: &[char], i: usize, w: &str) -> Option<usize> {
    if w.is_empty() || !at(chars, i, w) {
        return None;
    }
    whole(chars, i, i + w.chars().count())
}

/// `chars[i..end]`, already matched, as a whole word: an ASCII word does
/// not run on into a letter before or after it. Returns the end.
fn whole(chars: &[char], i: usize, end: usize) -> Option<usize> {
    let (first, last) = (chars[i], chars[end - 1]);
    let runs_on = (is_word(first) && i > 0 && is_word(chars[i - 1])) || (is_word(last) && chars.get(end).is_some_and(|&c| is_word(c)));
    (!runs_on).then_some(end)
}

/// The KB's names (`names`: normalised, with the word each stands for, and
/// the word it stands for right before "app") read as that word
/// ("随行付的机器" as "服务商的机器", "拉卡拉App" as "官方App"): the words
/// inside a name are not the merchant's. Each character of the word keeps
/// the name's whole byte range.
pub(crate) fn names_as_words(norm: Norm, names: &[(Vec<char>, &str, &str)]) -> Norm {
    if names.is_empty() {
        return norm;
    }
    let mut out = Norm { chars: Vec::with_capacity(norm.chars.len()), spans: Vec::with_capacity(norm.spans.len()) };
    let mut i = 0;
    while i < norm.chars.len() {
        // The longest name here.
        let mut best: Option<(usize, &str)> = None;
        for (name, word, before_app) in names {
            if let Some(e) = chars_word_at(&norm.chars, i, name).filter(|&e| best.is_none_or(|(b, _)| e > b)) {
                let app = e + usize::from(norm.chars.get(e) == Some(&' '));
                best = Some((e, if chars_word_at(&norm.chars, app, &['a', 'p', 'p']).is_some() { before_app } else { word }));
            }
        }
        match best {
            Some((e, word)) => {
                let span = (norm.spans[i].0, norm.spans[e - 1].1);
                for c in word.chars() {
                    out.chars.push(c);
                    out.spans.push(span);
                }
                i = e;
            }
            None => {
                out.chars.push(norm.chars[i]);
                out.spans.push(norm.spans[i]);
                i += 1;
            }
        }
    }
    out
}

/// Once the merchant has named the agent (`agents`: the KB's words for
/// them, normalised; `as_words`: what a pronoun is read as, Chinese and
/// English), a pronoun the money went to is the agent: "业务员拿来的机器，
/// 服务费交给他了" reads "交给业务员", "paid him the fee" reads "paid the
/// agent". Only where the pronoun receives (给他, 他那儿; "paid him", "to
/// her") or pays for the merchant (他帮我交): "他说交好了" is the agent
/// speaking, not the money's way. Each
/// character of the word keeps the pronoun's byte range.
pub(crate) fn agent_pronouns(norm: Norm, agents: &[Vec<char>], as_words: [&[char]; 2]) -> Norm {
    const GIVEN: &[&str] = &["paid", "pay", "paying", "gave", "give", "to", "through", "via", "with", "transferred", "sent"];
    // "续费是他帮我交的": the pronoun pays for the merchant.
    const PAYS_FOR_ME: &[&str] = &["帮我交", "帮我续", "帮我缴", "帮我付", "帮我充", "替我交", "替我续", "代交", "代缴", "代续", "代付"];
    let chars = &norm.chars;
    let Some(named) = (0..chars.len()).find(|&i| one_of_words(chars, i, agents).is_some()) else {
        return norm;
    };
    let given = |i: usize| {
        // The English word before, right before the space at `i - 1`.
        let before = chars[..i - 1].iter().rposition(|&c| !is_word(c)).map_or(0, |p| p + 1);
        GIVEN.iter().any(|g| word_at(chars, before, g) == Some(i - 1))
    };
    let mut out = Norm { chars: Vec::with_capacity(chars.len() + 8), spans: Vec::with_capacity(chars.len() + 8) };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let pronoun = if i <= named {
            None
        } else if c == '他' || c == '她' {
            let pays = one_of(chars, i + 1, PAYS_FOR_ME).is_some();
            (chars[i - 1] == '给' || chars.get(i + 1) == Some(&'那') || pays).then_some((i + 1, as_words[0]))
        } else {
            let english = word_at(chars, i, "him").or_else(|| word_at(chars, i, "her"));
            english.filter(|_| i >= 2 && chars[i - 1] == ' ' && given(i)).map(|e| (e, as_words[1]))
        };
        match pronoun.filter(|(_, word)| !word.is_empty()) {
            Some((e, word)) => {
                let span = (norm.spans[i].0, norm.spans[e - 1].1);
                for &x in word {
                    out.chars.push(x);
                    out.spans.push(span);
                }
                i = e;
            }
            None => {
                out.chars.push(c);
                out.spans.push(norm.spans[i]);
                i += 1;
            }
        }
    }
    out
}

/// `word_at` for a word already normalised to characters.
fn chars_word_at(chars: &[char], i: usize, w: &[char]) -> Option<usize> {
    let end = i + w.len();
    if w.is_empty() || chars.get(i..end) != Some(w) {
        return None;
    }
    whole(chars, i, end)
}

/// Could `w` start with `c`? A one-byte test that passes most words by
/// (the word lists are scanned at every position of the text).
pub(crate) fn may_start(w: &str, c: char) -> bool {
    let mut buf = [0u8; 4];
    w.as_bytes().first() == c.encode_utf8(&mut buf).as_bytes().first()
}

/// The first of `words` at `i` (longest first where one is a prefix of
/// another: the lists are ordered so), with its end.
pub(crate) fn one_of(chars: &[char], i: usize, words: &[&str]) -> Option<usize> {
    let c = *chars.get(i)?;
    words.iter().filter(|w| may_start(w, c)).find_map(|w| word_at(chars, i, w))
}

/// `one_of` for words given as characters (the KB's, normalised).
pub(crate) fn one_of_words(chars: &[char], i: usize, words: &[Vec<char>]) -> Option<usize> {
    let c = *chars.get(i)?;
    words.iter().filter(|w| w.first() == Some(&c)).find_map(|w| chars_word_at(chars, i, w))
}

/// Normalises `text` (see `fold` and `COLLOQUIAL`); runs of spaces become
/// one. Every output character keeps the byte range it came from.
pub(crate) fn normalize(text: &str) -> Norm {
    let mut folded: Vec<(char, usize, usize)> = Vec::with_capacity(text.len());
    let ascii_letter = |k: Option<char>| k.is_some_and(|c| c.is_ascii_alphabetic());
    let mut prev = None;
    let mut it = text.char_indices().peekable();
    while let Some((b, c)) = it.next() {
        let f = fold(c);
        let end = b + c.len_utf8();
        let before = prev;
        prev = Some(c);
        // Quotation marks go ('异常' reads as 异常); an apostrophe inside an
        // English word stays (didn't).
        let quote = matches!(f, '"' | '“' | '”' | '「' | '」' | '『' | '』' | '《' | '》')
            || (f == '\'' && !(ascii_letter(before) && ascii_letter(it.peek().map(|p| p.1))));
        if quote {
            continue;
        }
        match folded.last_mut() {
            Some(last) if f == ' ' && last.0 == ' ' => last.2 = end,
            _ => folded.push((f, b, end)),
        }
    }
    // Plain loops, not `map(…).collect()`: each is its own code in the wasm.
    let mut chars: Vec<char> = Vec::with_capacity(folded.len());
    for f in &folded {
        chars.push(f.0);
    }
    let mut out = Norm { chars: Vec::with_capacity(chars.len()), spans: Vec::with_capacity(chars.len()) };
    // A Chinese character standing alone between spaces (or the text's
    // ends): dictation spelling a screen out ("上面写着 请 先 签 到").
    let han = |k: usize| chars.get(k).is_some_and(|&c| c > '\u{2e80}');
    let alone = |k: usize| han(k) && (k == 0 || chars[k - 1] == ' ') && chars.get(k + 1).is_none_or(|&c| c == ' ');
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == ' ' && i > 0 && alone(i - 1) && alone(i + 1) {
            i += 1;
            continue;
        }
        let hit = if starts_colloquial(c) && !(c.is_ascii() && i > 0 && is_word(chars[i - 1])) {
            colloquial_forms(c).find_map(|(from, to)| word_at(&chars, i, from).map(|end| (end, *to)))
        } else {
            None
        };
        match hit {
            Some((end, to)) => {
                let span = (folded[i].1, folded[end - 1].2);
                for c in to.chars() {
                    out.chars.push(c);
                    out.spans.push(span);
                }
                i = end;
            }
            None => {
                out.chars.push(chars[i]);
                out.spans.push((folded[i].1, folded[i].2));
                i += 1;
            }
        }
    }
    out
}

/// A cue phrase (one alternative of a part), as the extractor keeps it
/// per knowledge base: its normalised characters, and what the quick skip
/// of cues that cannot occur in a text needs, worked out once.
pub(crate) struct Phrase {
    pub(crate) chars: Vec<char>,
    /// The first character, folded.
    first: Option<char>,
    /// Its Chinese characters, folded; or none to check when one of its
    /// characters starts a colloquial form (normalising may change it).
    han: Vec<char>,
    /// Its leading ASCII letters, lowercase; empty when they are a
    /// colloquial form ("dont", "thru"), which normalising changes.
    lead: Vec<char>,
}

impl Phrase {
    pub(crate) fn new(s: &str) -> Phrase {
        // Trimmed and folded once: every knowledge base's cue phrases are
        // prepared when the extractor starts, on the page's main thread.
        let s = s.trim();
        let folded = folded(s);
        let mut han = Vec::new();
        let mut colloquial = false;
        for &f in &folded {
            colloquial |= starts_colloquial(f);
            // Han characters only (not `is_alphanumeric`: its Unicode
            // tables cost the module 1.7 KB brotli, measured).
            if ('\u{4e00}'..='\u{9fff}').contains(&f) {
                han.push(f);
            }
        }
        if colloquial {
            han.clear();
        }
        let mut lead = Vec::new();
        for c in s.chars() {
            if !c.is_ascii_alphabetic() {
                break;
            }
            lead.push(c.to_ascii_lowercase());
        }
        if lead.first().is_some_and(|&c| starts_colloquial(c)) {
            for (form, _) in COLLOQUIAL {
                if !may_start(form, lead[0]) {
                    continue;
                }
                let letters = form.bytes().take_while(u8::is_ascii_alphabetic).count();
                if letters == lead.len() && form.chars().zip(&lead).all(|(a, &b)| a == b) {
                    lead.clear();
                    break;
                }
            }
        }
        let first = folded.first().copied();
        Phrase { chars: normalize_folded(s, folded), first, han, lead }
    }

    /// Could it occur in a text with these normalised characters (`present`,
    /// sorted) and English words (`english_words`)? Its first character
    /// and every Chinese one must be in the text, and its leading letters
    /// must begin a word of it ("restart" reads "restarted"); what
    /// normalising may change is kept.
    pub(crate) fn may_occur(&self, present: &[char], words: &[Vec<&[char]>]) -> bool {
        let Some(first) = self.first else { return false };
        if self.chars.is_empty() || !(present.binary_search(&first).is_ok() || starts_colloquial(first)) {
            return false;
        }
        for c in &self.han {
            if present.binary_search(c).is_err() {
                return false;
            }
        }
        let Some(&letter) = self.lead.first() else { return true };
        for w in &words[(letter as usize - 'a' as usize) % 26] {
            if w.starts_with(&self.lead) {
                return true;
            }
        }
        false
    }
}

/// The runs of ASCII letters in normalised text, by first letter (a
/// lowercase ASCII letter after normalising): no sort, which keeps the
/// extractor's wasm small.
pub(crate) fn english_words(chars: &[char]) -> Vec<Vec<&[char]>> {
    let mut out: Vec<Vec<&[char]>> = vec![Vec::new(); 26];
    let mut start = None;
    for k in 0..=chars.len() {
        let letter = chars.get(k).is_some_and(char::is_ascii_alphabetic);
        match (letter, start) {
            (true, None) => start = Some(k),
            (false, Some(s)) => {
                let word = &chars[s..k];
                out[(word[0].to_ascii_lowercase() as usize - 'a' as usize) % 26].push(word);
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// A cue or anchor as the text is normalised, trimmed. Most are plain
/// words: folded character by character, without the text's machinery.
pub(crate) fn normalize_phrase(s: &str) -> Vec<char> {
    let s = s.trim();
    normalize_folded(s, folded(s))
}

/// The characters of `s`, folded (`fold`).
fn folded(s: &str) -> Vec<char> {
    let mut folded: Vec<char> = Vec::with_capacity(s.len());
    for c in s.chars() {
        folded.push(fold(c));
    }
    folded
}

/// `normalize_phrase` of the trimmed `s`, given its folded characters.
fn normalize_folded(s: &str, folded: Vec<char>) -> Vec<char> {
    let letter = |k: usize| folded.get(k).is_some_and(|c| c.is_ascii_alphabetic());
    // Plain: nothing `normalize` would drop, merge or replace.
    let plain = folded.iter().enumerate().all(|(k, &c)| match c {
        '"' | '“' | '”' | '「' | '」' | '『' | '』' | '《' | '》' => false,
        '\'' => k > 0 && letter(k - 1) && letter(k + 1),
        ' ' => folded.get(k + 1) != Some(&' '),
        _ if !starts_colloquial(c) => true,
        // Inside an English word no colloquial form starts ("didnt" is
        // whole words only).
        _ if c.is_ascii() && k > 0 && is_word(folded[k - 1]) => true,
        // A character that starts a colloquial form (请, 前 …) is plain
        // unless the form itself stands here.
        _ => colloquial_forms(c).all(|(from, _)| word_at(&folded, k, from).is_none()),
    });
    if plain {
        return folded;
    }
    let mut v = normalize(s).chars;
    while v.last() == Some(&' ') {
        v.pop();
    }
    v
}

/// Words that begin a new clause: contrast and sequence. Negation does not
/// reach across them ("网络正常但没扣钱"), and a merchant's later clause
/// may correct an earlier one ("先是处理中后来显示成功").
const CONTRAST: &[&str] = &[
    "但是", "但", "可是", "就是", "不过", "然后", "后来", "结果", "最后", "最终", "然而", "只是", "而且", "并且",
    // The end of a question in a run-on ("…还是咋回事信号是满格的").
    "怎么回事",
    "but", "however", "then", "although", "though", "yet", "later", "afterwards",
];

/// Words that show something, whose object a dictated pause may follow
/// ("屏幕上就出来 商户状态异常"): no clause ends there.
const SHOWS: &[&str] = &["显示", "提示", "出来", "出来个", "出来一个", "出现", "写着", "跳出", "弹出", "跳出来", "弹出来", "报"];

/// Does a word of `SHOWS` end at `i`?
fn shows_before(chars: &[char], i: usize) -> bool {
    SHOWS.iter().any(|w| {
        let n = w.chars().count();
        i >= n && at(chars, i - n, w)
    })
}

/// Clause boundaries, as ranges of `chars`: at punctuation (a dot or
/// comma between digits is part of a number), line breaks, a space between
/// two Chinese characters (dictation's pause), and before a contrast word
/// (the word itself belongs to no clause). `banks`: the KB's bank names
/// (`kb::ShopWords::banks`), normalised.
pub(crate) fn clauses(chars: &[char], banks: &[Vec<char>]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    let digit = |k: Option<&char>| k.is_some_and(|c| c.is_ascii_digit());
    while i < chars.len() {
        let c = chars[i];
        // A comma before 也 goes on with the same subject ("我手机也连这个
        // wifi，也上不去网"): no boundary there.
        // Nor before a 说 giving a bank's message's words ("收到银行短信，说
        // 今晚系统维护"): the bank's message and what it says are one
        // clause (a bank states, where a person in a chat relays).
        let message_says = chars.get(i + 1) == Some(&'说') && bank_message_ends(chars, i, banks);
        // Nor between a code scanned and what was paid with it
        // ("扫了机器背面的二维码，把流量费交了"): one deed.
        let paid_with_scan = chars.get(i + 1).is_some_and(|n| "把交充付缴续".contains(*n)) && i > start && chars[i - 1] == '码' && chars[start..i].contains(&'扫');
        let goes_on = matches!(c, '，' | ',') && (chars.get(i + 1) == Some(&'也') || message_says || paid_with_scan);
        // A dash standing apart ends a clause ("40 mins ago - says payment
        // successful"); a hyphen inside a word ("e-sign") does not, nor do
        // brackets, which hold glosses ("the nianfei (annual service fee)").
        let aside = c == '—' || (c == '-' && i > 0 && chars[i - 1] == ' ' && chars.get(i + 1) == Some(&' '));
        let punct = (matches!(c, '。' | '！' | '？' | '；' | '、' | '…' | '~' | '～' | '!' | '?' | ';' | '\n' | '\r' | '，') && !goes_on)
            || aside
            || (matches!(c, ',' | '.') && !goes_on && !(i > 0 && digit(chars.get(i - 1)) && digit(chars.get(i + 1))))
            || (c == ' ' && i > 0 && !is_word(chars[i - 1]) && chars.get(i + 1).is_some_and(|&n| !is_word(n) && n > '\u{2e80}') && !shows_before(chars, i));
        if punct {
            out.push((start, i));
            start = i + 1;
            i += 1;
            continue;
        }
        // "pressed later" at the end of a sentence is the button, not "and
        // then"; "not yet" there is no contrast.
        let last_word = |e: usize| chars[e..].iter().find(|&&c| c != ' ').is_none_or(|&c| !is_word(c));
        if let Some(end) = one_of(chars, i, CONTRAST).filter(|&e| !(matches!(chars[i], 'l' | 'a' | 'y') && last_word(e))) {
            out.push((start, i));
            start = end;
            i = end;
            continue;
        }
        i += 1;
    }
    out.push((start, chars.len()));
    // A plain loop, not `retain`: each closure is its own code in the wasm.
    let mut kept = Vec::with_capacity(out.len());
    for &(s, e) in &out {
        if e > s {
            kept.push((s, e));
        }
    }
    kept
}

/// Does a bank's message end at `i` ("银行短信", "建行发来的通知")? One of
/// the message words, with one of the KB's bank names (`banks`, normalised)
/// at most eight characters before it.
fn bank_message_ends(chars: &[char], i: usize, banks: &[Vec<char>]) -> bool {
    ["短信", "通知", "消息", "推送"].iter().any(|w| i >= 2 && at(chars, i - 2, w))
        && (i.saturating_sub(10)..i - 2).any(|k| one_of_words(chars, k, banks).is_some())
}

/// Is what was paid right after `end` a payment to someone else ("付了一批
/// 货款", "给供应商转了一笔", "paid the supplier")? Then the verb of paying
/// before it is no renewal, and a time with it is not the renewal's.
/// `others`: the KB's other payments (`kb::ShopWords::other_payments`),
/// normalised.
pub(crate) fn paid_someone_else(clause: &[char], end: usize, others: &[Vec<char>]) -> bool {
    let mut k = end;
    let mut words = 0;
    while k < clause.len() && words < 6 {
        if one_of_words(clause, k, others).is_some() {
            return true;
        }
        if !is_word(clause[k]) && clause[k] != ' ' && clause[k] < '\u{2e80}' {
            return false;
        }
        // Each Chinese character, and each English word, counts one.
        if clause[k] != ' ' && !(is_word(clause[k]) && k > end && is_word(clause[k - 1])) {
            words += 1;
        }
        k += 1;
    }
    false
}

/// Is the fee named by the cue ending at `end` said to be billed apart
/// ("流量费是另外交的", "流量费要单独交", "流量费难道是另外交的",
/// "the data fee is separate")?
/// That is how fees are billed, not a fee the merchant paid.
pub(crate) fn billed_apart(clause: &[char], end: usize) -> bool {
    let mut k = skip_spaces(clause, end);
    for _ in 0..3 {
        if let Some(e) = one_of(clause, k, &["是", "要", "得", "还要", "也要", "需要", "还得", "都是", "难道"]) {
            k = e;
        }
    }
    if let Some(e) = one_of(clause, k, &["另外", "单独", "分开", "另"]) {
        return clause[e..clause.len().min(e + 2)].iter().any(|c| "交收算付缴充计".contains(*c));
    }
    one_of(clause, k, &["is separate", "are separate", "is billed separately", "is paid separately", "is charged separately", "separately"]).is_some()
}

/// Is the cue starting at `start` right after a negated verb of paying
/// ("我没交过流量费", "haven't paid the data fee")? Then the fee it names
/// was not paid: it is no fee paid.
pub(crate) fn not_done_before(clause: &[char], start: usize) -> bool {
    const NOT_PAID: &[&str] = &[
        "没交过", "没交", "没有交", "没付过", "没付", "没有付", "没缴过", "没缴", "未交", "未缴", "没充过", "没充", "没续过", "没续",
        "haven't paid the ", "have not paid the ", "never paid the ", "didn't pay the ", "did not pay the ", "hasn't paid the ", "not paid the ",
    ];
    ends_at(clause, start, NOT_PAID)
}

/// Does one of `words` end right at `i` in `clause`?
fn ends_at(clause: &[char], i: usize, words: &[&str]) -> bool {
    words.iter().any(|w| {
        let n = w.chars().count();
        i >= n && at(clause, i - n, w)
    })
}

/// Is the cue ending at `end` followed by a bare negated verb that ends the
/// clause ("年费没交", "流量费还没付上", "…没交的")? Then the thing the cue
/// names was not done. One Chinese character of a verb, an optional result
/// complement, then the end of the clause or a particle; two-character
/// words after 没 ("没反应", "没到账") are a new statement, not this.
pub(crate) fn not_done_after(clause: &[char], end: usize) -> bool {
    let mut k = end;
    // Who did not ("流量费她从来没单独交过"), then up to two adverbs before
    // the negation ("流量费压根没交", "还没交", "也一直没交").
    if let Some(e) = one_of(clause, k, &["我们", "他们", "我", "他", "她", "俺", "咱"]) {
        k = e;
    }
    for _ in 0..2 {
        if let Some(e) = one_of(clause, k, &["还", "压根", "根本", "都", "也", "一直", "从来", "就", "好像", "可能", "应该"]) {
            k = e;
        }
    }
    if one_of(clause, k, ZH_NOT_NEGATION).is_some() {
        return false;
    }
    let Some(e) = one_of(clause, k, &["没有", "没", "未"]) else { return false };
    k = e;
    // "没单独交", "没另外交": how it was not done.
    if let Some(e) = one_of(clause, k, &["单独", "另外", "专门", "再"]) {
        k = e;
    }
    if clause.get(k).is_none_or(|&c| c <= '\u{2e80}') {
        return false;
    }
    k += 1;
    if clause.get(k).is_some_and(|c| "上成完过".contains(*c)) {
        k += 1;
    }
    // The clause ends there, or a comma kept in it ("…没交过，也不知道").
    let ends = |c: Option<&char>| c.is_none_or(|&n| matches!(n, ' ' | ',' | '，'));
    match clause.get(k) {
        None => true,
        Some(',' | '，') => true,
        Some(c) => "的了呢啊呀".contains(*c) && ends(clause.get(k + 1)),
    }
}

/// English words that open a yes/no question ("did it go through?").
const AUXILIARIES: &[&str] = &["is", "are", "was", "were", "am", "do", "does", "did", "can", "could", "should", "will", "would", "has", "have", "had", "shall"];

/// Is the clause a yes/no question, asking rather than telling ("钱扣了吗",
/// "did the payment go through?")? `end` is the character after it.
/// Questions with a question word ("为什么还是停机？", "why is it still
/// suspended?") still tell what they take for granted.
pub(crate) fn yes_no_question(clause: &[char], end: Option<char>) -> bool {
    // The clause without its final spaces and particles.
    let mut n = clause.len();
    while n > 0 && matches!(clause[n - 1], ' ' | '呢' | '啊' | '呀') {
        n -= 1;
    }
    if n > 0 && clause[n - 1] == '吗' {
        return true;
    }
    // "重启过没有", "扣了没": a verb asked with 过/了 + 没(有) at the end.
    for w in ["过没有", "了没有", "过没", "了没"] {
        let k = w.chars().count();
        if n >= k && at(clause, n - k, w) {
            return true;
        }
    }
    let first = clause.iter().position(|&c| c != ' ').unwrap_or(0);
    // "流量费要不要另交？": an A-not-A question asks all of its clause, and
    // so does "交了还是没交？" (A or not A; "重启了还是不行？" tells).
    matches!(end, Some('?' | '？')) && (one_of(clause, first, AUXILIARIES).is_some() || !a_not_a(clause).is_empty() || a_or_not_a(clause))
}

/// "交了还是没交", "付了还是没付": 还是 between a verb and its own negation.
fn a_or_not_a(clause: &[char]) -> bool {
    (2..clause.len()).any(|k| {
        at(clause, k, "还是")
            && matches!(clause.get(k + 2), Some('没' | '不'))
            && clause.get(k + 3).is_some_and(|v| ('\u{4e00}'..='\u{9fff}').contains(v) && clause[k.saturating_sub(3)..k].contains(v))
    })
}

/// "是不是因为我…": doubting whether the merchant's own deed is the reason
/// takes the deed for granted (a boundary mark, and no A-not-A question).
const OWN_DEED_DOUBTED: [&str; 2] = ["是不是因为我", "会不会是因为我"];

/// What a word outside the matched cues does to the cues after it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Mark {
    /// 没 / not: flips (or voids) the next cue close after it.
    Negator,
    /// 不知道 / not sure: the merchant does not know; the cues after it say nothing.
    Uncertain,
    /// An A-not-A question ("扣没扣", "到没到账"): it asks only its own verb
    /// and the word or two that finish it ("扣没扣钱"); what the merchant
    /// goes on to tell in a run-on clause ("钱扣没扣现在机子还是显示无网络")
    /// is told.
    Asked,
    /// "every card" / 一刷卡就: the sales at the till, not the renewal; the
    /// payment's words right after it ("every card is declined",
    /// "一刷卡就失败") say nothing of the renewal.
    Sales,
    /// 客服说 / they said: what others said, not what the merchant saw;
    /// lifted like advice by a later 了 (the merchant goes on to what was
    /// done: "他说要升级，我扫了交了钱").
    Report,
    /// 如果 / 可能 / maybe: not something that happened.
    Hypothetical,
    /// 的话 ("if …"): the whole clause is a hypothetical.
    HypotheticalClause,
    /// 让我 / 建议 / try: advice, unless the clause then says it was done (了):
    /// "让我扫码交了钱" happened.
    Advice,
    /// 了: done (lifts Advice after it).
    Done,
    /// English "and" / "so I", a 吧 in mid-sentence, "一类的话" …: the marks
    /// before it do not reach the cues after it.
    Boundary,
    /// 另一台 / the other terminal: what follows is about another device,
    /// not this one ("因为有一台信号好点").
    Elsewhere,
    /// 路由器 / router: a state said right after it is the router's
    /// ("路由器重启过了" is no restart of the terminal); reaches like a
    /// negator, and only chips that assert a state (with a negated value).
    Router,
}

/// Chinese words that start like a negator but negate nothing after them
/// (看不懂 is "cannot read", 不到一个小时 is a time, 没用 is "useless").
const ZH_NOT_NEGATION: &[&str] = &[
    "不懂", "不了", "不进去", "不进", "不停", "不断", "不少", "不久", "不到", "不行", "不管", "不错", "不用", "不仅",
    "没用", "没办法", "没想到", "没多久", "没过多久", "没几天", "没一会", "没过一会", "不一会", "无论", "毫无",
    // "时不时" is now and then, "动不动" at every turn.
    "时不时", "动不动",
];

/// The word lists, in matching order (the first that fits a position wins,
/// so longer words come before their prefixes).
///
/// Reported speech is "说" after anyone but the terminal (客服说, 业务员说,
/// 短信说, a bare 说 continuing "有人打电话，说…"): precision is better
/// served by dropping what others told the merchant ("客服说流量费是另外交的"
/// is advice about a fee, not the fee the merchant paid), while
/// "屏幕说无网络" is what the merchant saw (see `screen_speaks`).
const MARKS: &[(&str, Mark)] = &[
    // "不知道为什么…": not knowing why is no doubt about what follows.
    ("不知道为什么", Mark::Boundary),
    // "是不是因为我半小时前交的钱还没到账？" doubts the reason, not the
    // merchant's own deed it takes for granted ("是不是因为信号不好？" guesses).
    (OWN_DEED_DOUBTED[0], Mark::Boundary),
    (OWN_DEED_DOUBTED[1], Mark::Boundary),
    // "想看哪台信号好点": which one is not known.
    ("哪台", Mark::Uncertain),
    ("不知道为啥", Mark::Boundary),
    ("不知道怎么回事", Mark::Boundary),
    ("不知道咋回事", Mark::Boundary),
    ("不知道", Mark::Uncertain),
    ("不确定", Mark::Uncertain),
    ("不清楚", Mark::Uncertain),
    ("不记得", Mark::Uncertain),
    ("不晓得", Mark::Uncertain),
    ("忘了", Mark::Uncertain),
    // "不知道跟这个有没有关系": a doubt that ends in itself; what follows
    // in a run-on clause ("…有没有关系机器开了关关了开好几回") is told.
    ("有没有关系", Mark::Boundary),
    ("有没有关联", Mark::Boundary),
    ("有没有影响", Mark::Boundary),
    ("有没有", Mark::Uncertain),
    ("是不是", Mark::Uncertain),
    ("会不会", Mark::Uncertain),
    ("是否", Mark::Uncertain),
    ("说不定", Mark::Hypothetical),
    ("说不准", Mark::Uncertain),
    ("听说", Mark::Report),
    ("问我", Mark::Report),
    ("担心", Mark::Hypothetical),
    ("害怕", Mark::Hypothetical),
    ("怕", Mark::Hypothetical),
    ("上一次", Mark::Elsewhere),
    ("上次", Mark::Elsewhere),
    ("那次", Mark::Elsewhere),
    ("朋友的", Mark::Elsewhere),
    ("朋友那", Mark::Elsewhere),
    ("据说", Mark::Report),
    ("告诉我", Mark::Report),
    ("说", Mark::Report),
    ("还以为", Mark::Hypothetical),
    ("以为", Mark::Hypothetical),
    // "本来想在App上交续费，进去一看…": what was meant, not done.
    ("本来想", Mark::Hypothetical),
    ("原本想", Mark::Hypothetical),
    ("本来打算", Mark::Hypothetical),
    ("原本打算", Mark::Hypothetical),
    ("本想", Mark::Hypothetical),
    ("如果", Mark::Hypothetical),
    ("要是", Mark::Hypothetical),
    ("假如", Mark::Hypothetical),
    // "不然限制交易": a threat of what would happen, not what did.
    ("要不然", Mark::Hypothetical),
    ("不然", Mark::Hypothetical),
    ("否则", Mark::Hypothetical),
    ("万一", Mark::Hypothetical),
    ("可能", Mark::Hypothetical),
    ("也许", Mark::Hypothetical),
    ("或许", Mark::Hypothetical),
    ("估计", Mark::Hypothetical),
    ("好像", Mark::Hypothetical),
    ("好象", Mark::Hypothetical),
    ("似乎", Mark::Hypothetical),
    ("应该", Mark::Hypothetical),
    ("大概", Mark::Hypothetical),
    ("八成", Mark::Hypothetical),
    ("差不多", Mark::Hypothetical),
    ("另一台", Mark::Elsewhere),
    ("另外一台", Mark::Elsewhere),
    // "别人那台倒续上了": someone else's terminal ("她那台" is often the
    // very terminal of a message written for her).
    ("别人那台", Mark::Elsewhere),
    ("另外那台", Mark::Elsewhere),
    ("其中一台", Mark::Elsewhere),
    ("别的机器", Mark::Elsewhere),
    ("其他机器", Mark::Elsewhere),
    ("其它机器", Mark::Elsewhere),
    ("别人的机器", Mark::Elsewhere),
    ("别人家", Mark::Elsewhere),
    ("貌似", Mark::Hypothetical),
    ("会被", Mark::Hypothetical),
    ("就能", Mark::Hypothetical),
    ("就会", Mark::Hypothetical),
    ("才能", Mark::Hypothetical),
    // "应该是半个小时前吧信号是满格的": in dictation without punctuation
    // a 吧 ends the hedged sentence; the doubt before it does not reach on.
    ("吧", Mark::Boundary),
    // "写着此号码已销户一类的话": words like those, no "if".
    ("一类的话", Mark::Boundary),
    ("之类的话", Mark::Boundary),
    ("类似的话", Mark::Boundary),
    ("的话", Mark::HypotheticalClause),
    // "流量费难道是另外交的？": a doubt put as a question.
    ("难道", Mark::Uncertain),
    // "老板说重启一下就好了": what doing it would bring, said as advice
    // or a promise, not what was done.
    ("就好了", Mark::HypotheticalClause),
    ("就行了", Mark::HypotheticalClause),
    ("就可以了", Mark::HypotheticalClause),
    ("就没事了", Mark::HypotheticalClause),
    ("建议", Mark::Advice),
    // Asked to ask ("老板娘让我问：…") is a relay, not advice.
    ("让我问", Mark::Boundary),
    ("叫我问", Mark::Boundary),
    ("让我来问", Mark::Boundary),
    ("让我", Mark::Advice),
    ("叫我", Mark::Advice),
    ("要我", Mark::Advice),
    ("了", Mark::Done),
    ("没有", Mark::Negator),
    ("没", Mark::Negator),
    ("未", Mark::Negator),
    ("不是", Mark::Negator),
    ("不", Mark::Negator),
    ("别", Mark::Negator),
    ("无", Mark::Negator),
    // English, whole words.
    ("not sure", Mark::Uncertain),
    ("not certain", Mark::Uncertain),
    ("no idea", Mark::Uncertain),
    ("don't know", Mark::Uncertain),
    ("do not know", Mark::Uncertain),
    ("unsure", Mark::Uncertain),
    ("whether", Mark::Uncertain),
    ("wonder", Mark::Uncertain),
    ("according to", Mark::Report),
    ("asked me if", Mark::Report),
    ("asked me whether", Mark::Report),
    ("asked if", Mark::Report),
    ("asked whether", Mark::Report),
    ("worried", Mark::Hypothetical),
    ("afraid", Mark::Hypothetical),
    ("scared", Mark::Hypothetical),
    ("last time", Mark::Elsewhere),
    ("the previous time", Mark::Elsewhere),
    ("friend's", Mark::Elsewhere),
    ("colleague's", Mark::Elsewhere),
    ("apparently", Mark::Report),
    ("supposedly", Mark::Report),
    ("said", Mark::Report),
    ("says", Mark::Report),
    ("say", Mark::Report),
    ("told", Mark::Report),
    ("tells", Mark::Report),
    ("heard", Mark::Report),
    ("claimed", Mark::Report),
    ("claims", Mark::Report),
    ("if", Mark::Hypothetical),
    ("maybe", Mark::Hypothetical),
    ("otherwise", Mark::Hypothetical),
    // "I must pay through their link": what was demanded, not done.
    ("must have", Mark::Boundary),
    ("must", Mark::Hypothetical),
    ("or else", Mark::Hypothetical),
    ("might", Mark::Hypothetical),
    ("perhaps", Mark::Hypothetical),
    ("probably", Mark::Hypothetical),
    ("could", Mark::Hypothetical),
    ("should", Mark::Hypothetical),
    ("would", Mark::Hypothetical),
    ("may", Mark::Hypothetical),
    // "… shut off unless I paid through their link": a demand, like advice
    // (a follow-up may say it was done: "I paid it yesterday").
    ("unless", Mark::Advice),
    ("possibly", Mark::Hypothetical),
    ("possible", Mark::Hypothetical),
    ("in case", Mark::Hypothetical),
    ("the other terminal", Mark::Elsewhere),
    ("the other machine", Mark::Elsewhere),
    ("the other one", Mark::Elsewhere),
    ("another terminal", Mark::Elsewhere),
    ("another machine", Mark::Elsewhere),
    ("my other", Mark::Elsewhere),
    // Customers' cards at the till: "every card is declined" is the sales
    // failing, not the renewal payment.
    ("neighbour's", Mark::Elsewhere),
    ("neighbor's", Mark::Elsewhere),
    ("suggested", Mark::Advice),
    ("suggest", Mark::Advice),
    ("recommended", Mark::Advice),
    ("advised", Mark::Advice),
    ("asked me to", Mark::Advice),
    ("wants me to", Mark::Advice),
    ("want me to", Mark::Advice),
    ("try", Mark::Advice),
    ("and", Mark::Boundary),
    // "he told me it must be renewed so I paid": what the merchant did
    // next is no longer the report.
    ("so i", Mark::Boundary),
    ("so we", Mark::Boundary),
    ("not", Mark::Negator),
    ("no", Mark::Negator),
    ("never", Mark::Negator),
    ("nobody", Mark::Negator),
    ("cannot", Mark::Negator),
    ("nothing", Mark::Negator),
    ("without", Mark::Negator),
    ("nor", Mark::Negator),
];

/// Words before "说" / "says" that make it the terminal or app speaking
/// (what the merchant saw), or the merchant's own words ("我说机器没网呢"),
/// not someone else. The bank's own message states the payment's facts
/// ("银行来短信说余额不足": `bank_message_ends`, with the KB's banks), and so
/// does the provider's official account ("公众号推送说今晚维护"), unlike a
/// message from anyone ("短信说要停机").
const SPEAKERS: &[&str] = &[
    "屏幕", "屏", "机器", "pos", "app", "上面", "页面", "界面", "弹窗", "窗口", "框", "它", "提示", "显示", "写", "我", "订单", "记录", "账单", "状态",
    "续费", "缴费", "公众号", "推送", "公告",
    "screen", "display", "terminal", "machine", "device", "reader", "app", "it", "i", "payment", "renewal", "confirmation", "page", "receipt", "status", "record", "order",
    "sticker", "label", "qr", "code", "portal", "website", "dashboard", "settings", "后台", "网页", "小程序", "设置",
    "message", "error", "popup", "prompt",
    // The merchant's own side, relayed by whoever writes ("我妈说前天在App里
    // 交了", "my dad says he restarted it"): what they did and saw.
    "老板", "老板娘", "老公", "老婆", "我妈", "我爸", "妈妈", "爸爸", "店主", "家里人", "dad", "father", "mum", "mom", "mother", "husband",
    "wife", "boss", "owner",
];
/// Adverbs that may stand between the speaker and "说" / "says".
/// 上 / 里 / 那边 are places on the speaker ("App上说", "屏幕上说", "app里说",
/// "续费那边说").
const FILLERS: &[&str] = &["还是", "一直", "总是", "还", "也", "就", "都", "又", "刚刚", "刚", "上", "里", "那边", "still", "now", "just", "also", "only", "always"];

/// The merchant's own people, who may ask someone to write for them.
const OWN_SIDE: &[&str] = &["老公", "老婆", "老板", "店主", "家里", "儿子", "女儿", "妈", "爸", "姐", "哥", "阿姨"];

/// He or she: in a message written for someone else, the person it is
/// written for ("帮我妈问一下…她说一直没重启过").
const RELAYED_SPEAKERS: &[&str] = &["他", "她", "he", "she"];

/// Is `chars` a message written for someone else ("替我爸问的", "帮隔壁阿姨
/// 问", "老公让我来问", "asking for my father", "writing on behalf of my
/// mum")? Then "他说"
/// / "he says" is that person telling what they did and saw.
pub(crate) fn relayed(chars: &[char]) -> bool {
    const EN: &[&str] = &[
        "asking for my", "asking on behalf of", "writing for my", "writing on behalf of", "sending this for my", "on behalf of my", "for my dad", "for my mum",
        "for my mom", "for my father", "for my mother", "for my husband", "for my wife", "for my boss", "for my uncle", "for my aunt", "what he tells me",
        "what she tells me",
    ];
    // "帮…问" with only who between ("帮隔壁阿姨问"), not a deed and a
    // later question ("代理收的钱，我问他", "帮我交的，问了客服").
    let asks_for = |i: usize, n: usize| {
        let between = &chars[i..chars.len().min(i + n)];
        let Some(q) = between.iter().position(|&c| c == '问') else { return false };
        !between[..q].iter().any(|&c| "交付续充缴弄办扣转收理，。,.!?！？ ".contains(c))
    };
    // "老公让我来问": asked to ask by the merchant's own side.
    let by_own_side = |i: usize| (i.saturating_sub(4)..i).any(|k| one_of(chars, k, OWN_SIDE).is_some());
    (0..chars.len()).any(|i| {
        (matches!(chars[i], '帮' | '替' | '代') && asks_for(i + 1, 7))
            || ((at(chars, i, "让我") || at(chars, i, "叫我")) && asks_for(i + 2, 3) && by_own_side(i))
            || one_of(chars, i, EN).is_some()
    })
}

/// Is the "说" / "says" ending at `i` said by the terminal or app, the bank,
/// or the merchant's own side (with `relayed`, also "他说" / "she says")?
fn screen_speaks(chars: &[char], mut i: usize, relayed: bool, banks: &[Vec<char>]) -> bool {
    'outer: loop {
        // A comma kept in the clause ("收到银行短信，说…") stands between
        // the message and its words.
        while i > 0 && matches!(chars[i - 1], ' ' | '，' | ',') {
            i -= 1;
        }
        for w in FILLERS {
            let n = w.chars().count();
            if i >= n && word_at(chars, i - n, w) == Some(i) {
                i -= n;
                continue 'outer;
            }
        }
        let ends_here = |w: &&str| {
            let n = w.chars().count();
            i >= n && word_at(chars, i - n, w) == Some(i)
        };
        // The bank itself on the phone ("打银行电话，银行说卡里余额不够").
        let bank_says = banks.iter().any(|b| i >= b.len() && chars_word_at(chars, i - b.len(), b) == Some(i));
        return SPEAKERS.iter().any(ends_here) || bank_message_ends(chars, i, banks) || bank_says || (relayed && RELAYED_SPEAKERS.iter().any(ends_here));
    }
}

/// Words that may stand around a time said alone ("就二十来分钟前的事",
/// "maybe 40 minutes ago").
const AROUND_A_TIME: &[&str] = &[
    "的事情", "的事", "的时候", "的样子", "左右", "大概", "大约", "差不多", "估计", "那是", "这是", "这都", "这才过了", "才过了", "已经过了", "刚过了", "刚过", "过了", "这才", "才", "都", "就", "也", "是", "吧", "了", "啊", "呢",
    "现在", "已经", "将近", "快",
    "maybe", "about", "around", "roughly", "like", "or so", "ish", "that was", "it was", "oh",
];

/// Is the time at `s..e` one to come: one the merchant was told to wait
/// ("预计2小时内生效", "takes effect within 2 hours") or one a notice
/// announces ("我行将于11月30日…"), not a time since?
pub(crate) fn time_to_come(clause: &[char], s: usize, e: usize) -> bool {
    let before = clause[..s].iter().rposition(|&c| c != ' ').map_or(0, |k| k + 1);
    ends_at(clause, before, &["预计", "预期", "需要", "要等", "大概要", "将在", "将于", "定于", "拟于", "effect", "takes", "take", "wait", "wait for", "should be back in", "back in"])
        || one_of(clause, skip_spaces(clause, e), &["内生效", "后生效", "生效", "内到账", "内恢复", "内开通", "后恢复", "后开通"]).is_some()
}

/// Deeds a merchant tells beside paying, each with a time of its own:
/// opening the shop, turning the terminal on, calling support, looking.
/// In Chinese the time stands before its deed ("今天早上开店", "一个小时前
/// 给客服打过电话"), in English after it ("called support an hour ago").
const OTHER_DEEDS: &[&str] = &[
    "开的店", "开店", "开的门", "开门", "开张", "营业", "到店", "到的店", "来店", "进店", "上班", "开的机", "开机", "关机", "重启",
    "打的电话", "打电话", "打了电话", "打过电话", "打了客服", "打过客服", "打客服", "打了个电话", "给客服", "问了客服", "问客服", "联系客服",
    "找了客服", "找客服", "发现", "一看", "看了", "看到",
    "opened up", "opened", "open up", "called", "rang", "phoned", "restarted", "rebooted", "turned it on", "switched it on", "turned on",
    "got to the shop", "came in", "arrived", "noticed",
];
/// Words that may stand between a time and its deed ("今天早上我就开门了").
const BEFORE_A_DEED: &[&str] = &["我们", "我", "他", "她", "就", "才", "刚", "又", "还", "也", "都", "先"];

/// Is the time at `s..e` told of a deed other than paying: one right after
/// it in Chinese, or, in English, the last deed before it with none of
/// `anchors` (the payment's words) in between? Then it is no time of
/// paying, however close a payment word stands.
pub(crate) fn time_of_other_deed(clause: &[char], s: usize, e: usize, anchors: &[&[char]]) -> bool {
    let anchor_in = |from: usize, to: usize| (from..to).any(|k| anchors.iter().any(|a| !a.is_empty() && chars_word_at(clause, k, a).is_some()));
    if !clause.get(s).is_some_and(char::is_ascii) {
        // "打客服打了一个小时都没打通": how long the call took.
        if ends_at(clause, s, &["打了", "打了快", "打了差不多", "打了将近", "打了有"]) {
            return true;
        }
        let mut i = skip_spaces(clause, e);
        while let Some(end) = one_of(clause, i, BEFORE_A_DEED) {
            i = skip_spaces(clause, end);
        }
        // "从昨天开始灯就一直闪红" is when something else began; "从昨晚开始续费
        // 一直失败" is when paying began.
        if let Some(end) = word_at(clause, i, "开始") {
            return !anchor_in(end, clause.len().min(end + 3));
        }
        return one_of(clause, i, OTHER_DEEDS).is_some();
    }
    let from = s.saturating_sub(40);
    let Some(deed) = (from..s).rev().find(|&i| one_of(clause, i, OTHER_DEEDS).is_some_and(|end| end <= s)) else { return false };
    !anchor_in(deed, s)
}

/// Is a quotation left open at the end of `typed` (the text as typed, before
/// `normalize` drops the marks)? Straight double quotes open and close in
/// turn; a curly single quote between two letters is an apostrophe.
pub(crate) fn open_quote(typed: &str) -> bool {
    let (mut depth, mut straight, mut before) = (0i32, false, ' ');
    let mut it = typed.chars().peekable();
    while let Some(c) = it.next() {
        match c {
            '“' | '「' | '『' => depth += 1,
            '”' | '」' | '』' => depth -= 1,
            '‘' => depth += 1,
            '’' if !(before.is_ascii_alphabetic() && it.peek().is_some_and(char::is_ascii_alphabetic)) => depth -= 1,
            '"' => straight = !straight,
            _ => {}
        }
        before = c;
    }
    depth > 0 || straight
}

/// Is `clause` only the time at `s..e` and words around a time?
pub(crate) fn only_a_time(clause: &[char], s: usize, e: usize) -> bool {
    let rest = |from: usize, to: usize| {
        let mut i = skip_spaces(clause, from);
        while i < to {
            match one_of(clause, i, AROUND_A_TIME) {
                Some(end) if end <= to => i = skip_spaces(clause, end),
                _ => return false,
            }
        }
        true
    };
    rest(0, s) && rest(e, clause.len())
}

/// Answers that say no after a label and a colon ("重启：还没", "Restarted:
/// no"), longest first.
const NO_ANSWERS: &[&str] = &["还没有", "还没试", "还没", "没有", "没试", "没", "否", "无", "not yet", "none", "nope", "never", "no"];

/// Does a form's answer "no" follow the cue ending at `end` ("重启过没：还没",
/// "Restarted: no")? A label may end in 过没 / 了没 / 吗 / ? before its colon.
pub(crate) fn answered_no(clause: &[char], end: usize) -> bool {
    let mut i = skip_spaces(clause, end);
    let limit = i + 3;
    while i < clause.len() && i <= limit && !matches!(clause[i], ':') {
        if !matches!(clause[i], '过' | '了' | '没' | '吗' | '?' | ' ') {
            return false;
        }
        i += 1;
    }
    if clause.get(i) != Some(&':') {
        return false;
    }
    one_of(clause, skip_spaces(clause, i + 1), NO_ANSWERS).is_some()
}

/// Does a cue's own text open with a negation ("never switched it off",
/// "haven't restarted", "没扣钱", "不是wifi")?
pub(crate) fn opens_with_negation(cue: &[char]) -> bool {
    let first_word_negates = {
        let end = cue.iter().position(|&c| !is_word(c)).unwrap_or(cue.len());
        end > 3 && at(cue, end - 3, "n't")
    };
    first_word_negates || one_of(cue, 0, &["never", "not", "no", "没", "不", "未", "无"]).is_some()
}

/// Is `between` only an "and" ("和", "and", "and the"), spaces around it?
pub(crate) fn only_and(between: &[char]) -> bool {
    let mut i = skip_spaces(between, 0);
    let Some(e) = one_of(between, i, &["以及", "还有", "和", "跟", "与", "及", "and the", "and", "&", "plus"]) else {
        return false;
    };
    i = skip_spaces(between, e);
    i == between.len()
}

/// The first position at or after `i` that is not a space.
pub(crate) fn skip_spaces(chars: &[char], mut i: usize) -> usize {
    while chars.get(i) == Some(&' ') {
        i += 1;
    }
    i
}

/// Words that may open a clause before a bare "说" ("最后说交易失败") or
/// before "有一台" ("因为有一台信号好点").
const OPENERS: &[&str] = &["最后", "结果", "然后", "后来", "因为", "而且", "又", "还", "就", "也", "都", "可", "但"];

/// The start of `clause` after its openers and spaces.
fn after_openers(clause: &[char]) -> usize {
    let mut i = 0;
    loop {
        i = skip_spaces(clause, i);
        match one_of(clause, i, OPENERS) {
            Some(e) => i = e,
            None => return i,
        }
    }
}

/// People and messengers: a bare "说" after a clause naming one is what
/// they said ("有人打电话，说…"); after any other clause it is what the
/// screen or app said ("续的费 没成功 说卡里余额不够").
const PEOPLE: &[&str] = &[
    "客服", "业务员", "代理", "销售", "经理", "他", "她", "对方", "有人", "人家", "别人", "朋友", "师傅", "工作人员", "老板", "店员", "老公", "老婆", "电话",
    "短信", "微信", "银行", "自称", "问", "店主", "家里", "儿子", "女儿", "群里", "人",
    "agent", "rep", "he", "she", "they", "someone", "somebody", "support", "bank", "friend", "guy", "man", "woman", "staff", "boss", "manager",
    "salesman", "text", "message", "sms", "call", "called", "phoned", "caller", "colleague", "wife", "husband", "neighbour", "neighbor",
];

/// Does neither this clause up to the 说 at `i` nor the clause before it
/// name a person? Then the screen or app is speaking ("签了好几次都说签到
/// 失败", "续的费 没成功 说卡里余额不够"). English drops the subject only
/// at a clause's start ("paid in the app, says successful").
fn bare_say_of_a_thing(clause: &[char], i: usize, previous: &[char]) -> bool {
    let names = |c: &[char]| (0..c.len()).any(|k| one_of(c, k, PEOPLE).is_some());
    let bare = clause[i] == '说' || (clause[i] == 's' && clause[..i].iter().all(|&c| c == ' '));
    bare && !names(&clause[..i]) && !names(previous)
}

/// A number word at `i` (digits, 一…十, 两, 半, 几): "不到" before it is a
/// time ("不到一个小时"), before anything else a negated result ("查不到").
fn numeral_at(clause: &[char], i: usize) -> bool {
    clause.get(i).is_some_and(|&c| c.is_ascii_digit() || "零一二三四五六七八九十两半几百".contains(c))
}

/// An amount in English words or digits after `e` ("maybe 40 minutes
/// ago", "probably an hour", "maybe half an hour"): "maybe" there says
/// about, not perhaps.
fn english_amount_at(clause: &[char], mut e: usize) -> bool {
    while clause.get(e) == Some(&' ') {
        e += 1;
    }
    clause.get(e).is_some_and(char::is_ascii_digit) || one_of(clause, e, AMOUNTS).is_some()
}

/// Amounts in words ("a few" and "a couple" of something, "an hour").
const AMOUNTS: &[&str] = &[
    "an hour", "a few", "a couple", "one", "two", "three", "four", "five", "ten", "fifteen", "twenty", "thirty", "forty", "fifty", "half", "several",
];

/// The marks in `clause` outside the matched cues (`covered`), in order,
/// as (mark, start, end). `previous` is the clause before it (who a bare
/// 说 belongs to).
///
/// `shop` are the KB's words about the shop (`kb::ShopWords`), normalised:
/// read before the language's own marks.
pub(crate) fn marks(clause: &[char], covered: &[bool], previous: &[char], relayed: bool, shop: &[(Vec<char>, Mark)], banks: &[Vec<char>]) -> Vec<(Mark, usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    let free = |s: usize, e: usize| (s..e).all(|k| !covered.get(k).copied().unwrap_or(true));
    // "有一台…" opening a clause is one of several devices, not this one
    // ("因为有一台信号好点"); "我有一台" is not an opener.
    let opened = after_openers(clause);
    if let Some(e) = one_of(clause, opened, &["有一台", "有台"]).filter(|&e| free(opened, e)) {
        out.push((Mark::Elsewhere, opened, e));
    }
    while i < clause.len() {
        // Marks are whole words: none starts inside an English word.
        if covered[i] || (i > 0 && clause[i].is_ascii_alphanumeric() && is_word(clause[i - 1])) {
            i += 1;
            continue;
        }
        if let Some(end) = one_of(clause, i, ZH_NOT_NEGATION).filter(|&e| free(i, e)) {
            if !at(clause, i, "不到") || numeral_at(clause, end) {
                i = end;
                continue;
            }
        }
        let c = clause[i];
        // The longest of the shop's words here (a plain loop: no sort or
        // iterator chain of its own in the wasm).
        let mut of_the_shop: Option<(Mark, usize)> = None;
        for (w, m) in shop {
            if let Some(e) = chars_word_at(clause, i, w).filter(|&e| free(i, e) && of_the_shop.is_none_or(|(_, b)| e > b)) {
                of_the_shop = Some((*m, e));
            }
        }
        let hit = of_the_shop.or_else(|| MARKS.iter().filter(|(w, _)| may_start(w, c)).find_map(|&(w, m)| word_at(clause, i, w).filter(|&e| free(i, e)).map(|e| (m, e))));
        // "大概过了十分钟", "估计有一个小时了": about a number, no hedge.
        let about_a_number = |e: usize| {
            ((e..e + 3).any(|k| numeral_at(clause, k)) && (at(clause, i, "大概") || at(clause, i, "估计") || at(clause, i, "差不多")))
                || ((at(clause, i, "maybe") || at(clause, i, "probably")) && english_amount_at(clause, e))
        };
        if let Some((_, end)) = hit.filter(|&(m, e)| m == Mark::Hypothetical && about_a_number(e)) {
            i = end;
            continue;
        }
        // "哦不对 应该是五个来月": 应该 right after a correction states the
        // corrected value.
        let corrects = i == after_openers(clause) && at(clause, i, "应该") && corrected(previous);
        // "前两天不是提示停机了嘛": a rhetorical 不是…嘛 affirms.
        let rhetorical = at(clause, i, "不是") && clause[i..clause.len().min(i + 12)].contains(&'嘛');
        // "I try pay": the merchant's own attempt, not advice.
        let own_try = at(clause, i, "try") && i >= 2 && word_at(clause, i - 2, "i").is_some();
        if let Some((_, end)) = hit.filter(|_| corrects || rhetorical || own_try) {
            i = end;
            continue;
        }
        if let Some((m, end)) = hit {
            // "says", "said", "told" / "tells" after the app or the screen.
            let speaker = m == Mark::Report && matches!(clause[i], '说' | 's' | 't') && (screen_speaks(clause, i, relayed, banks) || bare_say_of_a_thing(clause, i, previous));
            if !speaker {
                out.push((m, i, end));
            }
            i = end;
            continue;
        }
        // An English word ending in n't (didn't, haven't) negates.
        if is_word(clause[i]) && (i == 0 || !is_word(clause[i - 1])) {
            let mut end = i;
            while end < clause.len() && is_word(clause[end]) {
                end += 1;
            }
            if end - i > 3 && at(clause, end - 3, "n't") && free(i, end) {
                out.push((Mark::Negator, i, end));
            }
            i = end;
            continue;
        }
        i += 1;
    }
    // "扣没扣", "成功没成功", "到没到账": asking A-or-not-A, whether or not
    // a cue stands inside it.
    for (s, e) in a_not_a(clause) {
        out.push((Mark::Asked, s, e));
    }
    super::sort_by_rank(&mut out, |&(_, s, _)| [s, 0, 0]);
    // A final 吧 hedges the whole clause ("钱应该没扣吧", "重启过了吧").
    let last = clause.iter().rposition(|&c| c != ' ');
    if let Some(k) = last.filter(|&k| clause[k] == '吧' && free(k, k + 1)) {
        out.push((Mark::HypotheticalClause, k, k + 1));
    }
    out
}

/// Does `clause` end by taking back what was just said ("哦不对", "说错了")?
fn corrected(clause: &[char]) -> bool {
    let end = clause.iter().rposition(|&c| c != ' ').map_or(0, |k| k + 1);
    ["不对", "说错了", "不是不是"].iter().any(|w| {
        let n = w.chars().count();
        end >= n && at(clause, end - n, w)
    })
}

/// Words that concede in passing ("身份证倒是新的", "at least the signal is
/// fine"): what they say yields to a value said outright.
const CONCESSIVE: &[&str] = &["倒是", "倒也", "倒还", "at least"];

/// Does the clause concede rather than state?
pub(crate) fn concedes(clause: &[char]) -> bool {
    (0..clause.len()).any(|i| one_of(clause, i, CONCESSIVE).is_some())
}

/// Follow-ups on advice ("客服让我重启，我还没试"): not done, then done;
/// "没试过" is looked for before "试过".
const NOT_DONE: &[&str] = &[
    "还没试", "还没有试", "没试过", "没有试", "没试", "还没弄", "还没做", "没照做", "还没来得及", "没去弄", "没敢",
    "haven't done that", "haven't done it", "have not done that", "haven't tried", "have not tried", "didn't try", "not tried", "haven't yet",
    "not yet", "didn't do that", "didn't do it", "haven't had a chance", "haven't got round", "haven't gotten around",
    "i haven't", "i have not",
];
const DONE: &[&str] = &["试过了", "试了", "照做了", "弄过了", "做了", "did that", "done that", "did it", "tried that", "tried it", "done it", "tried this"];

/// Paying, as the follow-up on a way or fee of paying others offered
/// ("让我扫他发过来的码交服务费，我就交了", "… through their link. I paid
/// it yesterday").
const PAID: &[&str] = &[
    "交了", "付了", "缴了", "充了", "交完", "付完", "缴完", "充完", "交的", "付的", "扫了", "转了", "paid", "tapped it", "clicked it", "clicked on it", "followed it",
];

/// Does the clause, from `from` on, say that the advice before it was not
/// done (`Some(false)`) or done (`Some(true)`)? `paying`: the advice was a
/// way or fee of paying, which paying follows up.
pub(crate) fn follow_up(clause: &[char], from: usize, paying: bool) -> Option<bool> {
    let find = |list: &[&str]| (from..clause.len()).any(|i| one_of(clause, i, list).is_some());
    // Paying said outright answers first: "昨天付的 app里啥也没有" was paid,
    // whatever the app shows (not "没付的", "haven't paid").
    if paying {
        const DENIED: &[&str] = &["没有", "没", "未", "不", "n't ", "not ", "never "];
        if (from..clause.len()).any(|i| one_of(clause, i, PAID).is_some() && !ends_at(clause, i, DENIED)) {
            return Some(true);
        }
    }
    // A bare "还没有" / "not yet" answers only when it ends the clause
    // ("我说还没有"), not "还没看".
    let end = clause.iter().rposition(|&c| !" 呢啊呀吧".contains(c)).map_or(0, |k| k + 1);
    let bare = (from..end).any(|i| one_of(clause, i, &["还没有", "还没", "没有"]) == Some(end));
    if bare || find(NOT_DONE) {
        Some(false)
    } else if find(DONE) {
        Some(true)
    } else {
        None
    }
}

/// Doubts that stand as a clause of their own ("…没扣吧，不确定").
const DOUBTS: &[&str] =
    &["不太确定", "不敢确定", "不敢肯定", "不确定", "说不准", "不一定", "不清楚", "not 100% sure", "not totally sure", "not really sure", "not sure", "not certain"];
/// What may stand around a doubt in such a clause.
const DOUBT_FILLERS: &[&str] = &["我", "也", "都", "还", "并", "真的", "其实", "呢", "啊", "吧", "哈", "i'm", "im", "i", "am", "but", "so", "though", "really", "just"];

/// Is the clause only a doubt ("不确定", "I'm not sure")? Then it takes
/// back the clause before it.
pub(crate) fn only_doubt(clause: &[char]) -> bool {
    only_said(clause, DOUBTS, DOUBT_FILLERS)
}


/// Does the clause hold one of `words` and nothing else but `fillers` and
/// spaces (a doubt or a refusal standing as a clause of its own)?
fn only_said(clause: &[char], words: &[&str], fillers: &[&str]) -> bool {
    let (mut i, mut said) = (0, false);
    while i < clause.len() {
        if clause[i] == ' ' {
            i += 1;
        } else if let Some(e) = one_of(clause, i, words) {
            (i, said) = (e, true);
        } else if let Some(e) = one_of(clause, i, fillers) {
            i = e;
        } else {
            return false;
        }
    }
    said
}

/// Refusals that stand as a clause of their own ("…有个链接，我没点",
/// "… with a link, I ignored it").
const REFUSALS: &[&str] = &[
    "没点开", "没有点", "没点", "没去点", "不敢点", "没敢点", "没理会", "没理它", "没理他", "没理",
    "ignored it", "ignored them", "didn't click it", "didn't click", "did not click", "never clicked it", "never clicked",
    "didn't tap it", "didn't open it",
];
/// What may stand around a refusal in such a clause.
const REFUSAL_FILLERS: &[&str] = &["我", "也", "就", "当时", "根本", "都", "i", "just", "but", "so", "and"];

/// Is the clause only a refusal ("我没点", "I ignored it")? Then the way of
/// paying the clause before named was not taken.
pub(crate) fn only_refusal(clause: &[char]) -> bool {
    only_said(clause, REFUSALS, REFUSAL_FILLERS)
}

/// Does a verb of saying or showing stand in `span` ("没说", "没提示",
/// "didn't say")? Denied there, both alternatives after it are.
pub(crate) fn says_between(span: &[char]) -> bool {
    (0..span.len()).any(|i| one_of(span, i, SHOWS).or_else(|| one_of(span, i, &["说", "写", "say", "show", "tell"])).is_some())
}

/// Does a cue ending at `end` cut a hedge in two ("信号好|像只有一格": the
/// cue 信号好 would hide the 好像 that doubts what follows)?
pub(crate) fn splits_hedge(clause: &[char], end: usize) -> bool {
    end > 0 && (at(clause, end - 1, "好像") || at(clause, end - 1, "好象"))
}

/// Does a thought follow the time that ends at `end` ("我当时以为交完了")?
/// Then it is when the merchant believed something, no step of paying.
pub(crate) fn thought_after(clause: &[char], end: usize) -> bool {
    one_of(clause, skip_spaces(clause, end), &["以为", "还以为", "觉得"]).is_some()
}

/// Does an intention follow the time that ends at `end` closely ("上周想着
/// 用起来", "前天打算重新用")? That time is when the merchant set out to do
/// what the next clause tells; "上礼拜摔坏了我就想着…" is the time of
/// something else.
pub(crate) fn intends(clause: &[char], end: usize) -> bool {
    (end..clause.len().min(end + 3)).any(|i| one_of(clause, i, &["想", "打算", "准备"]).is_some())
}

/// Is `between` (what stands between two clauses) only "then" (然后,
/// 最后, 结果, "then")? The sale the clause before spoke of goes on.
pub(crate) fn only_then(between: &[char]) -> bool {
    one_of(between, skip_spaces(between, 0), &["然后", "最后", "结果", "then"]).is_some_and(|e| skip_spaces(between, e) == between.len())
}

/// Only words that join two alternatives ("成功失败", "成功还是失败",
/// "success or failure") stand in `between`.
pub(crate) fn only_joins(between: &[char]) -> bool {
    let mut i = 0;
    while i < between.len() {
        match one_of(between, i, &[" ", "、", "/", "还是", "或者", "或是", "或", "也", "和", "or", "nor"]) {
            Some(e) => i = e,
            None => return false,
        }
    }
    true
}

/// The A-not-A questions in `clause` ("扣没扣", "成功没成功", "好不好"),
/// as ranges: one or two Chinese characters, 没 or 不, the same again.
pub(crate) fn a_not_a(clause: &[char]) -> Vec<(usize, usize)> {
    let han = |c: char| c > '\u{2e80}' && !"没不".contains(c);
    let mut out = Vec::new();
    for i in 0..clause.len() {
        for k in [2, 1] {
            // "时不时" / "动不动" look like a question and are not.
            let fits = i + 2 * k < clause.len()
                && one_of(clause, i, ZH_NOT_NEGATION).is_none()
                && one_of(clause, i, &OWN_DEED_DOUBTED).is_none()
                && (i..i + k).all(|j| han(clause[j]))
                && matches!(clause[i + k], '没' | '不')
                && (0..k).all(|j| clause[i + j] == clause[i + k + 1 + j]);
            if fits {
                out.push((i, i + 2 * k + 1));
                break;
            }
        }
    }
    out
}

/// English "X or not" ("restart or not, I'm not sure", "went through or
/// not"): from up to three words before "or not" to its end. Like an
/// A-not-A question, it asks the cue inside it.
pub(crate) fn or_not(clause: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for i in 0..clause.len() {
        let Some(e) = word_at(clause, i, "or not") else { continue };
        let mut start = i;
        for _ in 0..3 {
            let mut k = start;
            while k > 0 && clause[k - 1] == ' ' {
                k -= 1;
            }
            if k == 0 || !is_word(clause[k - 1]) {
                break;
            }
            while k > 0 && is_word(clause[k - 1]) {
                k -= 1;
            }
            start = k;
        }
        out.push((start, e));
    }
    out
}

/// The positions from `from` on, each with the gap before it as `gap`
/// counts it, but a time or a span of times counts as one: a bank's or
/// provider's notice says its hours between the two parts of an "A…B"
/// cue ("银行发短信说今天凌晨到中午系统维护"). Counted as it goes: a cue's
/// second part is looked for at every position.
pub(crate) fn cue_gaps(clause: &[char], from: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
    let (mut n, mut run_end) = (0, from);
    (from..clause.len()).map(move |j| {
        let before = n;
        if j >= run_end {
            let run = super::time::run_end(clause, j);
            let counts = if is_word(clause[j]) { j == from || !is_word(clause[j - 1]) } else { clause[j] != ' ' };
            if run > j + 1 {
                (n, run_end) = (n + 1, run);
            } else if counts {
                n += 1;
            }
        }
        (j, before)
    })
}

/// How far a negator reaches: the characters (Chinese) or words (English)
/// between it and the cue it negates.
pub(crate) fn gap(clause: &[char], from: usize, to: usize) -> usize {
    let between = &clause[from.min(to)..to];
    // Each character that is no word letter nor space, and each word start.
    let mut n = 0;
    for (k, &c) in between.iter().enumerate() {
        let counts = if is_word(c) { k == 0 || !is_word(between[k - 1]) } else { c != ' ' };
        if counts {
            n += 1;
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traditional_is_sorted_and_folds_to_another_character() {
        assert!(TRADITIONAL.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(TRADITIONAL.iter().all(|&(t, s)| t != s && fold(t) == s && fold(s) == s));
        assert_eq!(normalize("續咗費顯示成功").chars, "续了费显示成功".chars().collect::<Vec<_>>());
    }

    #[test]
    fn colloquial_starts_in_step() {
        let mut starts: Vec<char> = COLLOQUIAL.iter().filter_map(|(from, _)| from.chars().next()).collect();
        starts.sort_unstable();
        starts.dedup();
        assert_eq!(starts, COLLOQUIAL_STARTS);
        // Each form is found from its first character, in the table's order.
        for &c in &COLLOQUIAL_STARTS {
            let own: Vec<_> = COLLOQUIAL.iter().filter(|(from, _)| from.starts_with(c)).collect();
            assert_eq!(colloquial_forms(c).collect::<Vec<_>>(), own, "{c}");
        }
        assert_eq!(colloquial_forms('的').count(), 0);
    }

    #[test]
    fn phrases_fold_like_text() {
        for s in ["信号满格", "Wi-Fi", "wi fi", "ＷｉＦｉ", "didn't", "I DIDNT pay", " 木有 ", "can't  connect", "‘异常’", "dad's", "doesnt", "a-b", "咋了"] {
            let mut text = normalize(s.trim()).chars;
            while text.last() == Some(&' ') {
                text.pop();
            }
            assert_eq!(normalize_phrase(s), text, "{s}");
        }
    }
}
