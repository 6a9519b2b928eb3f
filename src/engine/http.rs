//! Any HTTP call (method, headers), for what the count engine's POST-only
//! [`Transport`](super::transport::Transport) cannot say: the `Authorization`
//! header and the saved-views API's GET / PUT / DELETE with `If-Match`.

use futures::future::LocalBoxFuture;

use crate::domain::wire::RawResponse;

use super::transport::TransportError;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Delete,
}

impl Method {
    pub fn as_str(&self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    pub method: Method,
    pub url: String,
    /// Lower-case names. May hold `authorization`: never print a request.
    pub headers: Vec<(&'static str, String)>,
    pub body: Option<String>,
}

impl std::fmt::Debug for HttpRequest {
    /// Headers are left out: one of them is the token.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpRequest").field("method", &self.method).field("url", &self.url).finish_non_exhaustive()
    }
}

impl HttpRequest {
    pub fn new(method: Method, url: impl Into<String>) -> Self {
        HttpRequest { method, url: url.into(), headers: Vec::new(), body: None }
    }

    pub fn json(mut self, body: String) -> Self {
        self.headers.push(("content-type", "application/json".into()));
        self.body = Some(body);
        self
    }

    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    pub fn header_value(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str())
    }
}

/// Sends one request. Dropping the future must cancel it, as for `Transport`.
pub trait Http {
    fn send(&self, req: HttpRequest) -> LocalBoxFuture<'static, Result<RawResponse, TransportError>>;
}
