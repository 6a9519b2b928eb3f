//! Origins compared the way browsers mean them: scheme and host are
//! case-insensitive (`https://Portal.example` in a config is the origin a browser
//! sends as `https://portal.example`), and a default port is the same as none.

use axum::http::HeaderValue;

/// A normalised origin: lowercase `scheme://host[:port]`, default port dropped.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Origin(String);

impl Origin {
    /// An origin from the config: `http(s)://host[:port]`, no path, no wildcard.
    pub fn parse(s: &str) -> Result<Origin, String> {
        Self::normalise(s.trim())
            .ok_or_else(|| format!("{s:?} is not an origin like https://dash.example.com (no path, no *)"))
    }

    /// The request's `Origin` header, if it is a well-formed http(s) origin.
    pub fn from_header(v: &HeaderValue) -> Option<Origin> {
        Self::normalise(v.to_str().ok()?)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn normalise(s: &str) -> Option<Origin> {
        let (scheme, rest) = s.split_once("://")?;
        let scheme = scheme.to_ascii_lowercase();
        let default_port = match scheme.as_str() {
            "http" => ":80",
            "https" => ":443",
            _ => return None,
        };
        let bad = |c: char| c.is_ascii_whitespace() || c.is_ascii_control() || "/*?#@\\%,".contains(c);
        if rest.is_empty() || rest.chars().any(bad) || !rest.is_ascii() {
            return None;
        }
        let mut host = rest.to_ascii_lowercase();
        // A port, if any, is digits after the last ':' (outside an IPv6 literal).
        if let Some(i) = host.rfind(':').filter(|&i| !host[i..].contains(']')) {
            let port = &host[i + 1..];
            if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) || host[..i].is_empty() {
                return None;
            }
            if &host[i..] == default_port {
                host.truncate(i);
            }
        }
        Some(Origin(format!("{scheme}://{host}")))
    }
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_and_default_ports_do_not_matter() {
        let o = Origin::parse("https://Portal.Example").unwrap();
        assert_eq!(o.as_str(), "https://portal.example");
        assert_eq!(Origin::from_header(&HeaderValue::from_static("https://portal.example")), Some(o.clone()));
        assert_eq!(Origin::from_header(&HeaderValue::from_static("HTTPS://PORTAL.EXAMPLE:443")), Some(o.clone()));
        assert_ne!(Origin::from_header(&HeaderValue::from_static("http://portal.example")), Some(o.clone()));
        assert_ne!(Origin::from_header(&HeaderValue::from_static("https://portal.example:8443")), Some(o));
        assert_eq!(Origin::parse("http://127.0.0.1:8080").unwrap().as_str(), "http://127.0.0.1:8080");
        assert_eq!(Origin::parse("http://[::1]:8080").unwrap().as_str(), "http://[::1]:8080");
    }

    #[test]
    fn refuses_what_is_not_an_origin() {
        for bad in [
            "*",
            "https://*.example",
            "https://a.example/path",
            "a.example",
            "https://user@a.example",
            "ftp://a.example",
            "https://",
            "https://a.example:",
            "https://a.example:x",
            "null",
            "https://a.example,https://b.example",
        ] {
            assert!(Origin::parse(bad).is_err(), "{bad}");
        }
    }
}
