//! QR stickers: the SVG that `posdoctor qr` writes is parsed back, its path
//! rasterised and decoded with rqrr to exactly the deep link; the quiet
//! zone, the error correction level, the caption and the CLI's errors.

use posdoctor::kb::{self, Lang};
use posdoctor::qr::{Sticker, QUIET_ZONE};
use posdoctor::session::Link;
use std::process::Command;

/// Pixels per module when rasterising.
const SCALE: usize = 6;

fn attr<'a>(tag: &'a str, name: &str) -> &'a str {
    let start = tag.find(&format!(" {name}=\"")).unwrap_or_else(|| panic!("no {name} in {tag}")) + name.len() + 3;
    &tag[start..start + tag[start..].find('"').unwrap()]
}

/// The dark rectangles of the `<path class="qr">`, in modules, parsed from
/// its path data (absolute M, relative h and v, z), and the sticker's width.
fn rects(svg: &str) -> (usize, Vec<(f64, f64, f64, f64)>) {
    let root = &svg[svg.find("<svg").unwrap()..];
    let view_box: Vec<f64> = attr(root, "viewBox").split(' ').map(|x| x.parse().unwrap()).collect();
    let path = &svg[svg.find("<path class=\"qr\"").expect("a qr path")..];
    let d = attr(path, "d");
    let mut out = Vec::new();
    let (mut x, mut y) = (0.0, 0.0);
    let (mut min, mut max) = ((f64::MAX, f64::MAX), (f64::MIN, f64::MIN));
    let mut chars = d.chars().peekable();
    let number = |chars: &mut std::iter::Peekable<std::str::Chars>| -> f64 {
        while chars.peek() == Some(&' ') {
            chars.next();
        }
        let mut s = String::new();
        while let Some(&c) = chars.peek() {
            if c.is_ascii_digit() || c == '-' || c == '.' {
                s.push(c);
                chars.next();
            } else {
                break;
            }
        }
        s.parse().unwrap_or_else(|_| panic!("bad number {s:?} in path data"))
    };
    while let Some(cmd) = chars.next() {
        match cmd {
            'M' => {
                x = number(&mut chars);
                y = number(&mut chars);
                min = (x, y);
                max = (x, y);
            }
            'h' => x += number(&mut chars),
            'v' => y += number(&mut chars),
            'z' => {
                out.push((min.0, min.1, max.0 - min.0, max.1 - min.1));
                continue;
            }
            other => panic!("unexpected path command {other:?}"),
        }
        min = (min.0.min(x), min.1.min(y));
        max = (max.0.max(x), max.1.max(y));
    }
    (view_box[2] as usize, out)
}

/// Rasterises the code's square (quiet zone included) and decodes it.
fn decode(svg: &str) -> (String, rqrr::MetaData, usize) {
    let (side, rects) = rects(svg);
    let px = side * SCALE;
    let mut img = vec![255u8; px * px];
    for (x, y, w, h) in &rects {
        for yy in (*y as usize * SCALE)..((*y + *h) as usize * SCALE) {
            for xx in (*x as usize * SCALE)..((*x + *w) as usize * SCALE) {
                img[yy * px + xx] = 0;
            }
        }
    }
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(px, px, |x, y| img[y * px + x]);
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1, "one code found");
    let (meta, content) = grids[0].decode().expect("decodes");
    let min_xy = rects.iter().map(|r| r.0.min(r.1)).fold(f64::MAX, f64::min);
    (content, meta, min_xy as usize)
}

#[test]
fn the_sticker_decodes_to_the_exact_link() {
    for (base, model, provider, lang) in [
        ("https://help.example.com/pos/", "LKL-P3", "lakala", Some("zh-CN")),
        ("http://127.0.0.1:8080/", "a.b_c-9", "nobody", None),
        ("https://example.com/help/index.html?src=sticker", "M", "ruiyinxin", Some("en")),
    ] {
        let sticker = Sticker::new(base, model, provider, lang).unwrap();
        let link = sticker.link();
        let mut expected = format!("{base}#model={model}&provider={provider}");
        if let Some(l) = lang {
            expected += &format!("&lang={l}");
        }
        assert_eq!(link, expected);
        let (svg, m) = sticker.svg().unwrap();
        let (content, meta, min_xy) = decode(&svg);
        assert_eq!(content, link);
        // ecc_level holds the format bits: M = 0, L = 1, H = 2, Q = 3.
        assert_ne!(meta.ecc_level, 1, "error correction M or better");
        assert_eq!(meta.ecc_level, 3, "Q");
        assert_eq!(min_xy, QUIET_ZONE, "4 light modules before the first dark one");
        let (side, _) = rects(&svg);
        assert_eq!(side, m.width + 2 * QUIET_ZONE);

        // The page reads the decoded link as meant.
        let kb = kb::default_kb().unwrap();
        let parsed = Link::parse(&content[content.find('#').unwrap()..], &kb);
        assert_eq!(parsed.model.as_deref(), Some(model));
        assert_eq!(parsed.provider.as_deref(), Some(provider));
        assert_eq!(parsed.lang, lang.and_then(Lang::parse));
        assert!(parsed.ignored.is_empty());
    }
}

#[test]
fn the_caption_names_the_model_and_the_purpose_and_no_number() {
    let (svg, _) = Sticker::new("https://x.example/", "LKL-P3", "lakala", None).unwrap().svg().unwrap();
    for needle in ["POS机续费后仍停机？扫码自助排查", "Still suspended after renewal? Scan to troubleshoot", "LKL-P3", "拉卡拉"] {
        assert!(svg.contains(needle), "caption lacks {needle:?}");
    }
    let texts: String = svg.split("<text").skip(1).map(|t| &t[t.find('>').unwrap() + 1..t.find("</text>").unwrap()]).collect();
    assert!(!texts.chars().any(|c| c.is_ascii_digit() && !"LKL-P3".contains(c)), "no number in the caption: {texts}");
    assert!(svg.starts_with("<?xml") && svg.contains("width=\"50mm\""));
    // An unknown provider: no provider line, the sticker still works.
    let (svg, _) = Sticker::new("https://x.example/", "M1", "nobody", None).unwrap().svg().unwrap();
    assert!(!svg.contains("Provider"));
}

#[test]
fn bad_inputs_are_refused_with_reasons() {
    let bad = |base: &str, model: &str, provider: &str, lang: Option<&str>, needle: &str| {
        let e = Sticker::new(base, model, provider, lang).unwrap_err();
        assert!(e.contains(needle), "{e:?} lacks {needle:?}");
    };
    bad("ftp://x.example/", "M", "p", None, "must start with https:// or http://");
    bad("javascript:alert(1)", "M", "p", None, "must start with");
    bad("https://", "M", "p", None, "no host");
    bad("https://x.example/#a", "M", "p", None, "must not have a #fragment");
    bad("https://x.example/a b", "M", "p", None, "spaces");
    bad("https://user:pw@x.example/", "M", "p", None, "user name");
    bad("https://x.example/", "M 1", "p", None, "--model \"M 1\"");
    bad("https://x.example/", &"m".repeat(65), "p", None, "--model");
    bad("https://x.example/", "M", "<p>", None, "--provider \"<p>\"");
    bad("https://x.example/", "M", "p", Some("fr"), "--lang \"fr\": use zh-CN or en");
    // Every problem at once.
    let e = Sticker::new("ftp://x", "", "", Some("xx")).unwrap_err();
    assert_eq!(e.lines().count(), 4, "{e}");
}

#[test]
fn values_are_percent_encoded() {
    assert_eq!(posdoctor::qr::encode("a-b._~Z9"), "a-b._~Z9");
    assert_eq!(posdoctor::qr::encode("a b&c=d#é"), "a%20b%26c%3Dd%23%C3%A9");
}

fn cli(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_posdoctor")).args(args).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

#[test]
fn cli_writes_a_sticker_and_exits_2_on_usage_errors() {
    let dir = std::env::temp_dir().join(format!("posdoctor-qr-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("sticker.svg");
    let out_s = out.to_str().unwrap();
    let (code, stdout, stderr) =
        cli(&["qr", "--url", "https://help.example.com/", "--model", "P3", "--provider", "shengfutong", "--lang", "en", "--out", out_s]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("https://help.example.com/#model=P3&provider=shengfutong&lang=en"), "{stdout}");
    let svg = std::fs::read_to_string(&out).unwrap();
    assert_eq!(decode(&svg).0, "https://help.example.com/#model=P3&provider=shengfutong&lang=en");

    let (code, _, stderr) = cli(&["qr", "--url", "https://x.example/", "--model", "P3", "--provider", "acme", "--out", out_s]);
    assert_eq!(code, 0);
    assert!(stderr.contains("no built-in provider profile"), "{stderr}");

    for args in [
        &["qr"][..],
        &["qr", "--url", "https://x.example/", "--model", "P3", "--provider", "p"],
        &["qr", "--url", "mailto:x", "--model", "P3", "--provider", "p", "--out", out_s],
        &["qr", "--url", "https://x.example/", "--model", "P 3", "--provider", "p", "--out", out_s],
        &["qr", "--url", "https://x.example/", "--model", "P3", "--provider", "p", "--lang", "de", "--out", out_s],
        &["qr", "--url", "https://x.example/", "--model", "P3", "--model", "P4", "--provider", "p", "--out", out_s],
        &["qr", "--url", "https://x.example/", "--model", "P3", "--provider", "p", "--out"],
        &["qr", "--colour", "red"],
    ] {
        let (code, _, stderr) = cli(args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.starts_with("qr: ") || stderr.contains("needs a value"), "{args:?}: {stderr}");
    }
    let (code, _, stderr) = cli(&["qr", "--url", "https://x.example/", "--model", "P3", "--provider", "p", "--out", "/nonexistent-dir/x.svg"]);
    assert_eq!(code, 1, "{stderr}");
}
