//! A small JSON writer for the view model. The page asks for a view after
//! every tap; writing it here as text (the browser's `JSON.parse` reads it)
//! costs a fraction of the wasm bytes that serde's generic serializers
//! cost, and uses no `core::fmt`. Tests check that it writes exactly what
//! `serde_json` writes for the same value.

/// Something that writes itself as one JSON value.
pub trait ToJson {
    fn write_json(&self, out: &mut String);

    fn to_json(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out);
        out
    }
}

/// Writes `{"a":…,"b":…}` from `(name, value)` pairs.
pub fn object(out: &mut String, fields: &[(&str, &dyn ToJson)]) {
    out.push('{');
    for (i, (name, value)) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        name.write_json(out);
        out.push(':');
        value.write_json(out);
    }
    out.push('}');
}

impl ToJson for str {
    fn write_json(&self, out: &mut String) {
        out.push('"');
        for c in self.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c if (c as u32) < 0x20 => {
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    out.push_str("\\u00");
                    out.push(HEX[(c as usize) >> 4] as char);
                    out.push(HEX[(c as usize) & 15] as char);
                }
                c => out.push(c),
            }
        }
        out.push('"');
    }
}

impl ToJson for String {
    fn write_json(&self, out: &mut String) {
        self.as_str().write_json(out)
    }
}

impl ToJson for &str {
    fn write_json(&self, out: &mut String) {
        (**self).write_json(out)
    }
}

impl ToJson for bool {
    fn write_json(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" })
    }
}

/// Decimal digits of `n`, without `core::fmt` (see the module comment).
pub fn write_u64(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[i..] {
        out.push(d as char);
    }
}

impl ToJson for u32 {
    fn write_json(&self, out: &mut String) {
        write_u64(out, u64::from(*self))
    }
}

impl ToJson for usize {
    fn write_json(&self, out: &mut String) {
        write_u64(out, *self as u64)
    }
}

/// Numbers in the view are probabilities and minutes: written with up to
/// six decimals (serde_json's shortest form for the same value after
/// rounding to six decimals), always with a fraction, like serde_json
/// writes an f64. Not finite → null, as serde_json does.
impl ToJson for f64 {
    fn write_json(&self, out: &mut String) {
        let x = *self;
        if !x.is_finite() {
            return out.push_str("null");
        }
        if x < 0.0 {
            out.push('-');
        }
        let micros = (x.abs() * 1e6).round();
        if micros >= 9e15 {
            // Beyond exact integers in an f64: no view number is this big.
            return write_u64(out, x.abs() as u64);
        }
        let micros = micros as u64;
        write_u64(out, micros / 1_000_000);
        out.push('.');
        let mut frac = micros % 1_000_000;
        if frac == 0 {
            return out.push('0');
        }
        let mut scale = 100_000;
        while frac > 0 {
            out.push((b'0' + (frac / scale) as u8) as char);
            frac %= scale;
            scale /= 10;
        }
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn write_json(&self, out: &mut String) {
        match self {
            Some(v) => v.write_json(out),
            None => out.push_str("null"),
        }
    }
}

impl<T: ToJson> ToJson for [T] {
    fn write_json(&self, out: &mut String) {
        out.push('[');
        for (i, v) in self.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            v.write_json(out);
        }
        out.push(']');
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn write_json(&self, out: &mut String) {
        self.as_slice().write_json(out)
    }
}

/// `ToJson` for a struct, field by field under the fields' own names.
#[macro_export]
macro_rules! to_json_fields {
    ($ty:ty { $($field:ident),* $(,)? }) => {
        impl $crate::json::ToJson for $ty {
            fn write_json(&self, out: &mut String) {
                $crate::json::object(out, &[$((stringify!($field), &self.$field as &dyn $crate::json::ToJson)),*])
            }
        }
    };
}
