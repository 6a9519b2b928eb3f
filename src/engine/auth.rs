//! The embed token in memory, and calls that carry it.
//!
//! [`TokenBroker`] holds the one current token (memory only: nothing here stores,
//! prints or logs it) and asks the portal for a fresh one through a callback (the
//! browser posts `engagement-dashboard:token-request` to the parent). Every caller
//! that needs a token while one is being asked for waits for that same ask: one
//! request to the parent however many calls got a 401. An ask unanswered within
//! `wait_ms` (10 s) fails; with no usable token left, the broker then stays failed
//! (every call fails at once with a sign-in error) until a token arrives or the
//! user asks to sign in again: no retry loop.
//!
//! [`AuthedHttp`] sends every relay call with `Authorization: Bearer`, makes no call
//! before there is a token, and on a 401 asks for a new token and retries that call
//! once.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::rc::{Rc, Weak};

use futures::channel::oneshot;
use futures::future::{select, Either, FutureExt, LocalBoxFuture, Shared};

use crate::domain::token::{Claims, EmbedToken, TokenError};
use crate::domain::wire::RawResponse;

use super::http::{Http, HttpRequest, Method};
use super::transport::{Clock, Transport, TransportError};

/// How long the portal has to answer a token request.
pub const TOKEN_WAIT_MS: u64 = 10_000;

/// Why there is no token. Shown inside an HTTP 401 error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AuthError {
    /// The parent did not answer a token request in time.
    NoAnswer { ms: u64 },
    /// Not embedded and no `#token=` in the URL: nobody to ask.
    NoToken,
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AuthError::NoAnswer { ms } => write!(
                f,
                "sign-in failed: the portal sent no sign-in token within {} s; reload the page or sign in to the portal again",
                ms / 1000
            ),
            AuthError::NoToken => write!(
                f,
                "sign-in needed: open the dashboard from your portal (there is no valid sign-in token)"
            ),
        }
    }
}

type Listener<T> = RefCell<Option<Rc<dyn Fn(&T)>>>;
type Ask = Shared<LocalBoxFuture<'static, Result<Rc<str>, AuthError>>>;

#[derive(Default)]
struct Inner {
    token: Option<EmbedToken>,
    asking: Option<Ask>,
    reply: Option<oneshot::Sender<Rc<str>>>,
    failed: Option<AuthError>,
}

pub struct TokenBroker {
    inner: RefCell<Inner>,
    /// Posts a token request to the portal; `None`: nobody to ask (not embedded).
    asker: Option<Box<dyn Fn()>>,
    clock: Rc<dyn Clock>,
    wait_ms: u64,
    asks: Cell<u32>,
    on_token: Listener<Claims>,
    on_failure: Listener<AuthError>,
    this: Weak<TokenBroker>,
}

impl TokenBroker {
    pub fn new(asker: Option<Box<dyn Fn()>>, clock: Rc<dyn Clock>, wait_ms: u64) -> Rc<Self> {
        Rc::new_cyclic(|this| TokenBroker {
            inner: RefCell::default(),
            asker,
            clock,
            wait_ms,
            asks: Cell::new(0),
            on_token: RefCell::new(None),
            on_failure: RefCell::new(None),
            this: this.clone(),
        })
    }

    /// Called with the claims of every token accepted.
    pub fn on_token(&self, f: impl Fn(&Claims) + 'static) {
        *self.on_token.borrow_mut() = Some(Rc::new(f));
    }

    /// Called when signing in fails (no usable token, nobody answered).
    pub fn on_failure(&self, f: impl Fn(&AuthError) + 'static) {
        *self.on_failure.borrow_mut() = Some(Rc::new(f));
    }

    /// Whether there is a portal to ask (embedded with allowed origins).
    pub fn can_ask(&self) -> bool {
        self.asker.is_some()
    }

    fn fail(&self, e: AuthError) {
        let newly = {
            let mut inner = self.inner.borrow_mut();
            let newly = inner.token.is_none() && inner.failed.is_none();
            if inner.token.is_none() {
                inner.failed = Some(e.clone());
            }
            newly
        };
        let notify = self.on_failure.borrow().clone();
        if let (true, Some(f)) = (newly, notify) {
            f(&e);
        }
    }

    /// How many token requests were sent (tests, and the no-loop guarantee).
    pub fn asks(&self) -> u32 {
        self.asks.get()
    }

    pub fn claims(&self) -> Option<Claims> {
        self.inner.borrow().token.as_ref().map(|t| t.claims.clone())
    }

    pub fn failure(&self) -> Option<AuthError> {
        self.inner.borrow().failed.clone()
    }

    /// A token from the parent or the fragment. A malformed one is refused and
    /// changes nothing (an ask in flight keeps waiting).
    pub fn accept(&self, raw: &str) -> Result<Claims, TokenError> {
        let token = EmbedToken::parse(raw)?;
        let claims = token.claims.clone();
        let reply = {
            let mut inner = self.inner.borrow_mut();
            let raw = token.raw().clone();
            inner.token = Some(token);
            inner.failed = None;
            inner.asking = None;
            inner.reply.take().map(|tx| (tx, raw))
        };
        if let Some((tx, raw)) = reply {
            let _ = tx.send(raw);
        }
        let notify = self.on_token.borrow().clone();
        if let Some(f) = notify {
            f(&claims);
        }
        Ok(claims)
    }

    /// The user asked to sign in again: the next call may ask the portal.
    pub fn clear_failure(&self) {
        self.inner.borrow_mut().failed = None;
    }

    /// The token to use now, waiting for the first one.
    pub fn current(&self) -> LocalBoxFuture<'static, Result<Rc<str>, AuthError>> {
        {
            let inner = self.inner.borrow();
            if let Some(t) = &inner.token {
                return futures::future::ready(Ok(t.raw().clone())).boxed_local();
            }
            if let Some(e) = &inner.failed {
                return futures::future::ready(Err(e.clone())).boxed_local();
            }
        }
        self.ask().boxed_local()
    }

    /// `stale` got a 401: a newer token if there is one, else ask for one.
    pub fn renew(&self, stale: &str) -> LocalBoxFuture<'static, Result<Rc<str>, AuthError>> {
        {
            let mut inner = self.inner.borrow_mut();
            match &inner.token {
                Some(t) if &**t.raw() != stale => return futures::future::ready(Ok(t.raw().clone())).boxed_local(),
                Some(_) => inner.token = None,
                None => {}
            }
            if let Some(e) = &inner.failed {
                return futures::future::ready(Err(e.clone())).boxed_local();
            }
        }
        self.ask().boxed_local()
    }

    /// Asks for a fresh token before the current one expires; the current one
    /// stays in use meanwhile.
    pub fn refresh(&self) -> LocalBoxFuture<'static, Result<Rc<str>, AuthError>> {
        self.ask().boxed_local()
    }

    fn ask(&self) -> Ask {
        let Some(asker) = &self.asker else {
            self.fail(AuthError::NoToken);
            return futures::future::ready(Err(AuthError::NoToken)).boxed_local().shared();
        };
        if let Some(a) = self.inner.borrow().asking.clone() {
            return a;
        }
        let (tx, rx) = oneshot::channel::<Rc<str>>();
        let timeout = self.clock.sleep(self.wait_ms);
        let (this, ms) = (self.this.clone(), self.wait_ms);
        let ask = async move {
            match select(rx, timeout).await {
                Either::Left((Ok(raw), _)) => Ok(raw),
                // No answer in time (or the broker is gone).
                _ => {
                    if let Some(b) = this.upgrade() {
                        {
                            let mut inner = b.inner.borrow_mut();
                            inner.asking = None;
                            inner.reply = None;
                        }
                        b.fail(AuthError::NoAnswer { ms });
                    }
                    Err(AuthError::NoAnswer { ms })
                }
            }
        }
        .boxed_local()
        .shared();
        {
            let mut inner = self.inner.borrow_mut();
            inner.asking = Some(ask.clone());
            inner.reply = Some(tx);
        }
        self.asks.set(self.asks.get() + 1);
        asker();
        ask
    }
}

/// A 401 made here, in the contract's error shape, for a call that could not be
/// sent for want of a token.
fn unauthorized(e: &AuthError) -> RawResponse {
    let body = serde_json::json!({ "error": "UNAUTHORIZED", "message": e.to_string() }).to_string();
    RawResponse { status: 401, retry_after: None, body }
}

/// Relay calls with the token. Clones share the broker.
#[derive(Clone)]
pub struct AuthedHttp {
    pub http: Rc<dyn Http>,
    pub broker: Rc<TokenBroker>,
}

fn with_bearer(req: &HttpRequest, token: &str) -> HttpRequest {
    let mut req = req.clone();
    req.headers.retain(|(n, _)| *n != "authorization");
    req.headers.push(("authorization", format!("Bearer {token}")));
    req
}

impl Http for AuthedHttp {
    fn send(&self, req: HttpRequest) -> LocalBoxFuture<'static, Result<RawResponse, TransportError>> {
        let (http, broker) = (self.http.clone(), self.broker.clone());
        async move {
            let token = match broker.current().await {
                Ok(t) => t,
                Err(e) => return Ok(unauthorized(&e)),
            };
            let first = http.send(with_bearer(&req, &token)).await?;
            if first.status != 401 {
                return Ok(first);
            }
            match broker.renew(&token).await {
                Ok(fresh) => http.send(with_bearer(&req, &fresh)).await,
                // The relay's own 401 says why the token was refused.
                Err(_) => Ok(first),
            }
        }
        .boxed_local()
    }
}

impl Transport for AuthedHttp {
    fn post(&self, url: String, body: String) -> LocalBoxFuture<'static, Result<RawResponse, TransportError>> {
        self.send(HttpRequest::new(Method::Post, url).json(body))
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
#[path = "auth_tests.rs"]
mod tests;
