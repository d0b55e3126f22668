//! QR stickers for terminals (`posdoctor qr`): a printable SVG whose code is
//! the deep link `BASE#model=M&provider=P[&lang=L]`, with a caption naming
//! the model and what to scan it for. No phone number is ever printed: the
//! page says where to find it.
//!
//! The SVG is drawn here from the code's module matrix (the `qrcode` crate
//! only computes the matrix): one white background, one `<path class="qr">`
//! whose subpaths are the dark runs of each row, a quiet zone of
//! [`QUIET_ZONE`] modules, and the caption as `<text>` below.

use crate::kb::Lang;
use crate::profile::{is_id, Profile};
use qrcode::{EcLevel, QrCode};

/// Modules of light margin around the code, as the QR standard asks.
pub const QUIET_ZONE: usize = 4;

/// Quartile: the code survives about a quarter of it scuffed or dirty,
/// which a sticker on a shop's terminal will be.
pub const EC_LEVEL: EcLevel = EcLevel::Q;

/// What a sticker is for.
#[derive(Debug, Clone)]
pub struct Sticker {
    pub base: String,
    pub model: String,
    pub provider: String,
    pub lang: Option<Lang>,
}

/// The code's modules, without the quiet zone: `dark[y * width + x]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matrix {
    pub width: usize,
    pub dark: Vec<bool>,
    /// The QR version (1–40).
    pub version: i16,
}

impl Sticker {
    /// Checks every input and says what is wrong with each, in one message.
    pub fn new(base: &str, model: &str, provider: &str, lang: Option<&str>) -> Result<Sticker, String> {
        let mut errors = Vec::new();
        if let Err(e) = check_base(base) {
            errors.push(format!("--url {base:?}: {e}"));
        }
        for (flag, id) in [("--model", model), ("--provider", provider)] {
            if !is_id(id) {
                errors.push(format!("{flag} {id:?}: use 1 to 64 of A-Z a-z 0-9 . _ -"));
            }
        }
        let lang = match lang {
            None => None,
            Some(l) => match Lang::parse(l) {
                Some(l) => Some(l),
                None => {
                    errors.push(format!("--lang {l:?}: use zh-CN or en"));
                    None
                }
            },
        };
        if !errors.is_empty() {
            return Err(errors.join("\n"));
        }
        Ok(Sticker { base: base.into(), model: model.into(), provider: provider.into(), lang })
    }

    /// `BASE#model=M&provider=P[&lang=L]`, values percent-encoded.
    pub fn link(&self) -> String {
        let mut link = format!("{}#model={}&provider={}", self.base, encode(&self.model), encode(&self.provider));
        if let Some(l) = self.lang {
            link.push_str("&lang=");
            link.push_str(&encode(l.code()));
        }
        link
    }

    /// The printable SVG and the matrix it draws.
    pub fn svg(&self) -> Result<(String, Matrix), String> {
        let link = self.link();
        let m = matrix(&link)?;
        Ok((render(&m, &self.caption()), m))
    }

    /// The caption's lines: what to scan it for (both languages), the
    /// model, and the provider's name when it has a built-in profile.
    pub fn caption(&self) -> Vec<String> {
        let mut lines = vec![
            "POS机续费后仍停机？扫码自助排查".to_string(),
            "Still suspended after renewal? Scan to troubleshoot".to_string(),
            format!("机型 Model: {}", self.model),
        ];
        let profile = Profile::lookup(&self.provider);
        if let Some(name) = &profile.name {
            let both = if name.en.contains(name.zh.as_str()) { name.en.clone() } else { format!("{} {}", name.zh, name.en) };
            lines.push(format!("服务商 Provider: {both}"));
        }
        lines
    }
}

fn check_base(base: &str) -> Result<(), &'static str> {
    let lower = base.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .ok_or("must start with https:// or http://")?;
    if base.len() > 1000 {
        return Err("longer than 1000 characters");
    }
    if base.chars().any(|c| c.is_whitespace() || c.is_control() || "\"<>\\^`{|}".contains(c)) {
        return Err("contains spaces or characters a URL cannot hold unescaped");
    }
    if base.contains('#') {
        return Err("must not have a #fragment: the sticker adds #model=…&provider=…");
    }
    let host = rest.split(['/', '?']).next().unwrap_or("");
    if host.is_empty() {
        return Err("has no host name");
    }
    if host.contains('@') {
        return Err("must not carry a user name or password");
    }
    Ok(())
}

/// Percent-encodes all but RFC 3986's unreserved characters.
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The module matrix of `text` at [`EC_LEVEL`].
pub fn matrix(text: &str) -> Result<Matrix, String> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EC_LEVEL).map_err(|e| format!("cannot make a QR code: {e}"))?;
    let version = match code.version() {
        qrcode::Version::Normal(v) | qrcode::Version::Micro(v) => v,
    };
    Ok(Matrix { width: code.width(), dark: code.to_colors().iter().map(|c| *c == qrcode::Color::Dark).collect(), version })
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Draws the sticker: units are modules; printed 50 mm wide.
fn render(m: &Matrix, caption: &[String]) -> String {
    let side = m.width + 2 * QUIET_ZONE;
    let s = side as f64;
    // Font sizes by line: the Chinese line largest (most merchants read
    // it), then English, then the model and provider.
    let sizes: Vec<f64> = caption.iter().enumerate().map(|(i, _)| s * [0.05, 0.031, 0.042][i.min(2)]).collect();
    let mut y = s;
    let mut texts = String::new();
    for (line, size) in caption.iter().zip(&sizes) {
        y += size * 1.35;
        // A long model name is squeezed to the sticker's width rather than
        // cut: estimate the width (CJK about 1 em, Latin about 0.55 em).
        let ems: f64 = line.chars().map(|c| if c.is_ascii() { 0.55 } else { 1.0 }).sum();
        let fit = if ems * size > s * 0.92 {
            format!(" textLength=\"{:.2}\" lengthAdjust=\"spacingAndGlyphs\"", s * 0.92)
        } else {
            String::new()
        };
        texts.push_str(&format!(
            "<text x=\"{:.2}\" y=\"{y:.2}\" font-size=\"{size:.2}\"{fit}>{}</text>\n",
            s / 2.0,
            xml_escape(line)
        ));
    }
    let height = y + s * 0.05;
    let mut d = String::new();
    for row in 0..m.width {
        let mut x = 0;
        while x < m.width {
            if !m.dark[row * m.width + x] {
                x += 1;
                continue;
            }
            let start = x;
            while x < m.width && m.dark[row * m.width + x] {
                x += 1;
            }
            d.push_str(&format!("M{} {}h{}v1h-{}z", start + QUIET_ZONE, row + QUIET_ZONE, x - start, x - start));
        }
    }
    let mm = 50.0;
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{mm}mm\" height=\"{:.1}mm\" viewBox=\"0 0 {side} {height:.2}\">\n\
<title>{}</title>\n\
<rect width=\"{side}\" height=\"{height:.2}\" fill=\"#ffffff\"/>\n\
<path class=\"qr\" fill=\"#000000\" shape-rendering=\"crispEdges\" d=\"{d}\"/>\n\
<g fill=\"#000000\" text-anchor=\"middle\" font-family=\"'PingFang SC','Hiragino Sans GB','Microsoft YaHei','Noto Sans CJK SC','WenQuanYi Micro Hei',sans-serif\">\n\
{texts}</g>\n\
</svg>\n",
        mm * height / s,
        xml_escape(&caption.join(" · ")),
    )
}
