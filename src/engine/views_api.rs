//! The relay's saved-views API (embed-auth.md, scope `views`): list, create, update
//! with `If-Match` versions, delete, and the user's default view. Every call goes
//! through the token-carrying [`Http`](super::http::Http) given (a 401 there asks
//! for a new token and retries once). Answers are read leniently: one malformed
//! view in a list is skipped, never the whole list lost.

use std::collections::BTreeMap;
use std::fmt;
use std::rc::Rc;

use serde::{Deserialize, Serialize};

use crate::domain::url_encoding::encode_path_segment;
use crate::domain::wire::RawResponse;

use super::http::{Http, HttpRequest, Method};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ViewScope {
    Private,
    Team,
}

/// A view as the relay stores it. `name` and `owner_name` are other people's text:
/// shown as text only, never as HTML.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServerView {
    pub id: String,
    pub name: String,
    pub scope: ViewScope,
    #[serde(default)]
    pub team: Option<String>,
    pub owner: String,
    #[serde(default)]
    pub owner_name: Option<String>,
    /// URL parameter → value.
    pub view: BTreeMap<String, String>,
    pub version: i64,
    #[serde(default)]
    pub updated_at: i64,
}

/// What POST and PUT send.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ViewDraft {
    pub name: String,
    pub scope: ViewScope,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    pub view: BTreeMap<String, String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ViewsError {
    /// 409: a view of that name already exists there.
    NameTaken,
    /// 412: someone else changed the view since it was read.
    VersionMismatch,
    /// 404: gone, or never visible to this user.
    NotFound,
    /// 403: not the owner, or a missing scope.
    Forbidden(String),
    /// 400 with the relay's message (it names the field).
    Invalid(String),
    /// 401 after the token retry.
    Unauthorized(String),
    Other {
        status: u16,
        message: String,
    },
    Network(String),
    /// A 2xx answer that is not what the contract says.
    BadAnswer(String),
}

impl fmt::Display for ViewsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ViewsError::NameTaken => write!(f, "HTTP 409: you already have a view of that name there"),
            ViewsError::VersionMismatch => write!(f, "HTTP 412: someone else changed this view since you opened it"),
            ViewsError::NotFound => write!(f, "HTTP 404: the view no longer exists (or is not shared with you)"),
            ViewsError::Forbidden(m) => write!(f, "HTTP 403: not allowed: {m}"),
            ViewsError::Invalid(m) => write!(f, "HTTP 400: {m}"),
            ViewsError::Unauthorized(m) => write!(f, "HTTP 401: not signed in: {m}"),
            ViewsError::Other { status, message } => write!(f, "HTTP {status}: {message}"),
            ViewsError::Network(m) => write!(f, "the relay could not be reached ({m})"),
            ViewsError::BadAnswer(m) => write!(f, "the relay's answer was not understood ({m})"),
        }
    }
}

#[derive(Deserialize)]
struct ErrorBody {
    message: Option<String>,
}

fn error_of(resp: &RawResponse) -> ViewsError {
    let message = serde_json::from_str::<ErrorBody>(&resp.body)
        .ok()
        .and_then(|e| e.message)
        .map(|m| m.chars().filter(|c| !c.is_control()).take(300).collect::<String>())
        .unwrap_or_else(|| "no details".to_string());
    match resp.status {
        400 => ViewsError::Invalid(message),
        401 => ViewsError::Unauthorized(message),
        403 => ViewsError::Forbidden(message),
        404 => ViewsError::NotFound,
        409 => ViewsError::NameTaken,
        412 => ViewsError::VersionMismatch,
        status => ViewsError::Other { status, message },
    }
}

#[derive(Deserialize)]
struct ListBody {
    views: Vec<serde_json::Value>,
}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
struct DefaultBody {
    view_id: Option<String>,
}

#[derive(Clone)]
pub struct ViewsApi {
    http: Rc<dyn Http>,
    base: String,
}

impl ViewsApi {
    pub fn new(http: Rc<dyn Http>, relay_url: &str) -> Self {
        ViewsApi { http, base: relay_url.trim_end_matches('/').to_string() }
    }

    async fn call(&self, req: HttpRequest) -> Result<RawResponse, ViewsError> {
        let resp = self.http.send(req).await.map_err(|e| match e {
            super::transport::TransportError::Network(m) => ViewsError::Network(m),
        })?;
        if (200..300).contains(&resp.status) {
            Ok(resp)
        } else {
            Err(error_of(&resp))
        }
    }

    fn parse<T: for<'de> Deserialize<'de>>(resp: &RawResponse) -> Result<T, ViewsError> {
        serde_json::from_str(&resp.body).map_err(|e| ViewsError::BadAnswer(e.to_string()))
    }

    /// My private views and my teams' views.
    pub async fn list(&self) -> Result<Vec<ServerView>, ViewsError> {
        let resp = self.call(HttpRequest::new(Method::Get, format!("{}/v1/views", self.base))).await?;
        let body: ListBody = Self::parse(&resp)?;
        Ok(body.views.into_iter().filter_map(|v| serde_json::from_value(v).ok()).collect())
    }

    pub async fn create(&self, draft: &ViewDraft) -> Result<ServerView, ViewsError> {
        let body = serde_json::to_string(draft).expect("a draft serialises");
        let req = HttpRequest::new(Method::Post, format!("{}/v1/views", self.base)).json(body);
        Self::parse(&self.call(req).await?)
    }

    /// Replaces view `id` if it is still at `version`.
    pub async fn update(&self, id: &str, version: i64, draft: &ViewDraft) -> Result<ServerView, ViewsError> {
        let body = serde_json::to_string(draft).expect("a draft serialises");
        let req = HttpRequest::new(Method::Put, format!("{}/v1/views/{}", self.base, encode_path_segment(id)))
            .header("if-match", format!("\"{version}\""))
            .json(body);
        Self::parse(&self.call(req).await?)
    }

    pub async fn delete(&self, id: &str) -> Result<(), ViewsError> {
        let req = HttpRequest::new(Method::Delete, format!("{}/v1/views/{}", self.base, encode_path_segment(id)));
        self.call(req).await.map(|_| ())
    }

    pub async fn default_view(&self) -> Result<Option<String>, ViewsError> {
        let req = HttpRequest::new(Method::Get, format!("{}/v1/me/default-view", self.base));
        let body: DefaultBody = Self::parse(&self.call(req).await?)?;
        Ok(body.view_id)
    }

    pub async fn set_default(&self, id: Option<&str>) -> Result<(), ViewsError> {
        let body = serde_json::to_string(&DefaultBody { view_id: id.map(str::to_string) }).expect("serialises");
        let req = HttpRequest::new(Method::Put, format!("{}/v1/me/default-view", self.base)).json(body);
        self.call(req).await.map(|_| ())
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
#[path = "views_api_tests.rs"]
mod tests;
