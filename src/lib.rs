//! posdoctor: a troubleshooter for a POS terminal that is still suspended
//! after its renewal was paid. See ARCHITECTURE.md for the map.

pub mod allocator;
pub mod app;
#[cfg(feature = "cli")]
pub mod bench;
pub mod case;
pub mod engine;
pub mod eval;
pub mod extract;
pub mod i18n;
pub mod json;
pub mod kb;
pub mod profile;
#[cfg(feature = "cli")]
pub mod qr;
pub mod session;
pub mod view;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

/// `s` cut at every `sep`, an ASCII byte (so every cut is a char
/// boundary): "a,,b" gives "a", "", "b". By hand: std's `split`, `lines`
/// and `find` with a char bring a searcher and memchr, about 1 KB of wasm.
pub(crate) fn pieces(s: &str, sep: u8) -> impl Iterator<Item = &str> {
    let mut rest = Some(s);
    std::iter::from_fn(move || {
        let r = rest?;
        match r.bytes().position(|b| b == sep) {
            Some(i) => {
                rest = Some(&r[i + 1..]);
                Some(&r[..i])
            }
            None => {
                rest = None;
                Some(r)
            }
        }
    })
}

/// The parts one after the other. By hand: std's `concat` and `join` are
/// built for speed and bring about 900 B of wasm each (measured).
pub(crate) fn concat(parts: &[&str]) -> String {
    let mut out = String::new();
    parts.iter().for_each(|p| out.push_str(p));
    out
}
