//! Scrubbing the API key out of upstream answers. An upstream error page may
//! quote the request URL, and it may spell the key as we sent it (form-encoded),
//! percent-encoded with either hex case, doubly percent-encoded, JSON-escaped
//! (`\/`, `\u0041`), HTML-escaped (`&#65;`, `&amp;`) or in another letter case.
//! Each key byte may come in any of these spellings, mixed; every match becomes
//! `[redacted]`.

pub const REDACTED: &[u8] = b"[redacted]";

/// Keys shorter than this are not scrubbed (they would match everywhere); the
/// config refuses nothing for it, but a real vendor key is far longer.
pub const MIN_KEY_LEN: usize = 4;

pub struct Scrubber {
    key: Vec<u8>,
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

fn hex_value(s: &[u8]) -> Option<u32> {
    if s.is_empty() || s.len() > 6 {
        return None;
    }
    s.iter().try_fold(0u32, |acc, &b| Some(acc * 16 + u32::from(hex(b)?)))
}

fn same(a: u8, b: u8) -> bool {
    a.eq_ignore_ascii_case(&b)
}

impl Scrubber {
    pub fn new(key: &str) -> Option<Self> {
        (key.len() >= MIN_KEY_LEN).then(|| Scrubber { key: key.as_bytes().to_vec() })
    }

    /// The lengths of the spellings of key byte `k` that start at `s[0]`.
    fn spellings(k: u8, s: &[u8], out: &mut Vec<usize>) {
        let Some(&c) = s.first() else { return };
        if same(c, k) || (c == b'+' && k == b' ') {
            out.push(1);
        }
        match c {
            b'%' => {
                if s.len() >= 3 && hex(s[1]).zip(hex(s[2])).is_some_and(|(h, l)| same(h * 16 + l, k)) {
                    out.push(3);
                }
                // Doubly encoded: %25 then the two hex digits.
                if s.len() >= 5 && s[1] == b'2' && s[2] == b'5' {
                    if let Some(v) = hex(s[3]).zip(hex(s[4])).map(|(h, l)| h * 16 + l) {
                        if same(v, k) {
                            out.push(5);
                        }
                    }
                }
            }
            b'\\' if s.len() >= 2 => {
                if s[1] == k && matches!(k, b'/' | b'"' | b'\\' | b'\'') {
                    out.push(2);
                }
                let (skip, digits) = match s[1] {
                    b'u' => (2, 4),
                    b'x' => (2, 2),
                    _ => (0, 0),
                };
                if digits > 0 && s.len() >= skip + digits {
                    if let Some(v) = hex_value(&s[skip..skip + digits]) {
                        if v < 128 && same(v as u8, k) {
                            out.push(skip + digits);
                        }
                    }
                }
            }
            b'&' => {
                let Some(end) = s.iter().take(12).position(|&b| b == b';') else { return };
                let entity = &s[1..end];
                let v = match entity {
                    [b'#', b'x' | b'X', h @ ..] => hex_value(h),
                    [b'#', d @ ..] if !d.is_empty() && d.iter().all(u8::is_ascii_digit) => {
                        std::str::from_utf8(d).ok().and_then(|d| d.parse().ok())
                    }
                    b"amp" => Some(u32::from(b'&')),
                    b"lt" => Some(u32::from(b'<')),
                    b"gt" => Some(u32::from(b'>')),
                    b"quot" => Some(u32::from(b'"')),
                    b"apos" => Some(u32::from(b'\'')),
                    _ => None,
                };
                if v.is_some_and(|v| v < 128 && same(v as u8, k)) {
                    out.push(end + 1);
                }
            }
            _ => {}
        }
    }

    /// The end of the longest spelling of the key starting at `s[0]`.
    fn match_at(&self, s: &[u8]) -> Option<usize> {
        // The positions (within `s`) reachable after spelling the first j key bytes.
        let mut here = vec![0usize];
        let mut next = Vec::new();
        let mut lens = Vec::new();
        for &k in &self.key {
            next.clear();
            for &p in &here {
                lens.clear();
                Self::spellings(k, &s[p..], &mut lens);
                next.extend(lens.iter().map(|l| p + l));
            }
            if next.is_empty() {
                return None;
            }
            next.sort_unstable();
            next.dedup();
            std::mem::swap(&mut here, &mut next);
        }
        here.last().copied()
    }

    fn could_start(&self, c: u8) -> bool {
        same(c, self.key[0]) || matches!(c, b'%' | b'+' | b'\\' | b'&')
    }

    /// `body` with every spelling of the key replaced, or `None` when there is none.
    pub fn scrub(&self, body: &[u8]) -> Option<Vec<u8>> {
        let mut out: Option<Vec<u8>> = None;
        let mut copied = 0;
        let mut i = 0;
        while i < body.len() {
            if self.could_start(body[i]) {
                if let Some(len) = self.match_at(&body[i..]) {
                    let o = out.get_or_insert_with(|| Vec::with_capacity(body.len()));
                    o.extend_from_slice(&body[copied..i]);
                    o.extend_from_slice(REDACTED);
                    i += len;
                    copied = i;
                    continue;
                }
            }
            i += 1;
        }
        out.map(|mut o| {
            o.extend_from_slice(&body[copied..]);
            o
        })
    }

    pub fn found_in(&self, s: &[u8]) -> bool {
        self.scrub(s).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scrubbed(key: &str, body: &str) -> String {
        let s = Scrubber::new(key).unwrap();
        String::from_utf8(s.scrub(body.as_bytes()).unwrap_or_else(|| body.as_bytes().to_vec())).unwrap()
    }

    #[test]
    fn every_spelling() {
        let key = "k/s3cret key+é";
        let form: String = form_urlencoded::byte_serialize(key.as_bytes()).collect();
        let upper: String = key.bytes().map(|b| format!("%{b:02X}")).collect();
        let lower: String = key.bytes().map(|b| format!("%{b:02x}")).collect();
        let double: String = upper.replace('%', "%25");
        let json = serde_json::to_string(key).unwrap().trim_matches('"').replace('/', "\\/");
        let json_u: String =
            key.chars().map(|c| if c.is_ascii() { format!("\\u{:04x}", c as u32) } else { c.to_string() }).collect();
        let html: String =
            key.chars().map(|c| if c.is_ascii() { format!("&#{};", c as u32) } else { c.to_string() }).collect();
        let html_x: String =
            key.chars().map(|c| if c.is_ascii() { format!("&#x{:X};", c as u32) } else { c.to_string() }).collect();
        let mixed = "k%2Fs3cret%20key%2b%C3%a9";
        for spelling in [
            key.to_string(),
            form,
            upper,
            lower,
            double,
            json,
            json_u,
            html,
            html_x,
            mixed.into(),
            key.to_ascii_uppercase(),
        ] {
            let body = format!("<p>GET /x?apiKey={spelling}&y=1</p>");
            let out = scrubbed(key, &body);
            assert_eq!(out, "<p>GET /x?apiKey=[redacted]&y=1</p>", "{spelling}");
        }
    }

    #[test]
    fn leaves_other_text_alone() {
        assert_eq!(
            scrubbed("s3cret-key", "{\"a\":\"s3cret-ke\",\"b\":\"%s3\"}"),
            "{\"a\":\"s3cret-ke\",\"b\":\"%s3\"}"
        );
        assert_eq!(
            scrubbed("s3cret-key", "bad url ?apiKey=s3cret-key&x=s3cret-key"),
            "bad url ?apiKey=[redacted]&x=[redacted]"
        );
        assert!(Scrubber::new("abc").is_none(), "short keys would match everywhere");
        let s = Scrubber::new("s3cret-key").unwrap();
        assert!(s.scrub(b"{}").is_none());
        assert!(s.found_in(b"xx%73%33cret-key"));
    }
}
