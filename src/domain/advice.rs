//! What a person can do about a failed load, from the error text the engine
//! gives (which starts with `HTTP <status>:` when the server answered). Shown
//! under the error itself, so the panel says what happened and what to try.
//!
//! ```
//! use engagement_dashboard::domain::advice::what_to_do;
//! assert!(what_to_do("HTTP 429: rate limited by the API").contains("wait a minute"));
//! ```

/// The HTTP status at the start of an error message (`HTTP 503: …`).
pub fn status_of(message: &str) -> Option<u16> {
    let rest = message.trim_start().strip_prefix("HTTP ")?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok().filter(|s| (100..600).contains(s))
}

/// One sentence on what to try next.
pub fn what_to_do(message: &str) -> &'static str {
    match status_of(message) {
        Some(400) => "The service refused the request as asked: try a shorter range or another interval.",
        Some(401 | 403) => {
            "The dashboard is not allowed to read this data: reload the page, and if it stays, ask your \
             administrator to check its access."
        }
        Some(404) => "The service was not found at the configured address: tell your administrator.",
        Some(408) => "The service took too long: retry, or try a shorter range.",
        Some(429) => "Too many requests in a short time: wait a minute, then retry.",
        Some(500..=599) => "The service had a problem on its side: retry in a moment.",
        Some(_) => "Retry; if it keeps failing, tell your administrator what it says above.",
        None if message.contains("timed out") => "The service took too long: retry, or try a shorter range.",
        None if message.contains("network error") => {
            "The service could not be reached: check the network connection, then retry."
        }
        None => "Retry; if it keeps failing, tell your administrator what it says above.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_status_decides_the_advice() {
        assert_eq!(status_of("HTTP 503: server error: down"), Some(503));
        assert_eq!(status_of("HTTP abc"), None);
        assert_eq!(status_of("network error: the relay could not be reached (x)"), None);
        assert!(what_to_do("HTTP 401: not authorised").contains("reload the page"));
        assert!(what_to_do("HTTP 403: not allowed").contains("administrator"));
        assert!(what_to_do("HTTP 502: the answer was not JSON").contains("retry in a moment"));
        assert!(what_to_do("HTTP 400: the API refused a parameter: x").contains("shorter range"));
        assert!(what_to_do("timed out after 20 s").contains("took too long"));
        assert!(what_to_do("network error: the relay could not be reached (TypeError)").contains("network connection"));
        assert!(what_to_do("something else").starts_with("Retry"));
    }
}
