use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use futures::future::{FutureExt, LocalBoxFuture};

use super::*;
use crate::domain::token::base64url_decode;

fn b64(s: &str) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let bytes = s.as_bytes();
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, b)| acc | (*b as u32) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    assert_eq!(base64url_decode(&out).unwrap(), bytes);
    out
}

/// A token whose signature part names it, so the fake relay can refuse some.
fn token(name: &str) -> String {
    format!(
        "{}.{}.{}",
        b64(r#"{"alg":"EdDSA"}"#),
        b64(r#"{"tid":"acme","sub":"u1","exp":2000000600,"iat":2000000000,"scope":"counts views"}"#),
        name
    )
}

struct TokioClock;
impl Clock for TokioClock {
    fn now_ms(&self) -> i64 {
        0
    }
    fn sleep(&self, ms: u64) -> LocalBoxFuture<'static, ()> {
        tokio::time::sleep(Duration::from_millis(ms)).boxed_local()
    }
    fn random(&self) -> f64 {
        0.5
    }
}

/// Accepts only tokens whose signature part is in `valid`; logs what it saw.
#[derive(Default)]
struct FakeRelay {
    valid: RefCell<Vec<String>>,
    seen: RefCell<Vec<Option<String>>>,
}

impl Http for Rc<FakeRelay> {
    fn send(&self, req: HttpRequest) -> LocalBoxFuture<'static, Result<RawResponse, TransportError>> {
        let auth = req.header_value("authorization").map(str::to_string);
        self.seen.borrow_mut().push(auth.clone());
        let ok = auth
            .as_deref()
            .and_then(|a| a.strip_prefix("Bearer "))
            .and_then(|t| t.rsplit('.').next())
            .is_some_and(|sig| self.valid.borrow().iter().any(|v| v == sig));
        let resp = if ok {
            RawResponse { status: 200, retry_after: None, body: "{}".into() }
        } else {
            RawResponse {
                status: 401,
                retry_after: None,
                body: r#"{"error":"UNAUTHORIZED","message":"expired"}"#.into(),
            }
        };
        async move {
            tokio::time::sleep(Duration::from_millis(20)).await;
            Ok(resp)
        }
        .boxed_local()
    }
}

/// The portal: answers each token request with the next of `answers` (if any).
struct Setup {
    relay: Rc<FakeRelay>,
    broker: Rc<TokenBroker>,
    http: AuthedHttp,
}

fn setup(answers: &[&str], embedded: bool) -> Setup {
    let relay = Rc::new(FakeRelay::default());
    let answers: Rc<RefCell<Vec<String>>> = Rc::new(RefCell::new(answers.iter().rev().map(|a| token(a)).collect()));
    let slot: Rc<RefCell<Weak<TokenBroker>>> = Rc::new(RefCell::new(Weak::new()));
    let asker: Option<Box<dyn Fn()>> = embedded.then(|| {
        let (slot, answers) = (slot.clone(), answers.clone());
        Box::new(move || {
            let next = answers.borrow_mut().pop();
            if let (Some(t), Some(b)) = (next, slot.borrow().upgrade()) {
                b.accept(&t).unwrap();
            }
        }) as Box<dyn Fn()>
    });
    let broker = TokenBroker::new(asker, Rc::new(TokioClock), TOKEN_WAIT_MS);
    *slot.borrow_mut() = Rc::downgrade(&broker);
    let http = AuthedHttp { http: Rc::new(relay.clone()), broker: broker.clone() };
    Setup { relay, broker, http }
}

fn get(s: &Setup) -> LocalBoxFuture<'static, Result<RawResponse, TransportError>> {
    s.http.send(HttpRequest::new(Method::Get, "http://relay.test/v1/views"))
}

#[tokio::test(start_paused = true)]
async fn no_call_goes_out_before_a_token_and_every_call_carries_it() {
    let s = setup(&[], true);
    s.relay.valid.borrow_mut().push("good".into());
    let call = get(&s);
    let late = async {
        tokio::time::sleep(Duration::from_secs(3)).await;
        assert!(s.relay.seen.borrow().is_empty(), "a call went out before the token");
        s.broker.accept(&token("good")).unwrap();
    };
    let (resp, ()) = futures::join!(call, late);
    assert_eq!(resp.unwrap().status, 200);
    assert_eq!(*s.relay.seen.borrow(), [Some(format!("Bearer {}", token("good")))]);
    assert_eq!(s.broker.asks(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_refused_token_is_replaced_and_the_call_retried_once() {
    let s = setup(&["fresh"], true);
    s.relay.valid.borrow_mut().push("fresh".into());
    s.broker.accept(&token("revoked")).unwrap();
    // Five calls at once all get 401: one token request serves them all.
    let calls = futures::future::join_all((0..5).map(|_| get(&s))).await;
    assert!(calls.iter().all(|r| r.as_ref().unwrap().status == 200));
    assert_eq!(s.broker.asks(), 1);
    let seen = s.relay.seen.borrow();
    assert_eq!(seen.len(), 10);
    assert_eq!(seen.iter().filter(|a| a.as_deref().unwrap().ends_with(".fresh")).count(), 5);
}

#[tokio::test(start_paused = true)]
async fn a_second_401_is_not_retried_again() {
    let s = setup(&["also-bad", "never-asked"], true);
    s.broker.accept(&token("bad")).unwrap();
    let r = get(&s).await.unwrap();
    assert_eq!(r.status, 401);
    assert_eq!(s.relay.seen.borrow().len(), 2, "the call and one retry");
    assert_eq!(s.broker.asks(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_silent_parent_gives_a_401_after_ten_seconds_and_no_loop() {
    let s = setup(&[], true);
    let start = tokio::time::Instant::now();
    let r = futures::future::join_all((0..4).map(|_| get(&s))).await;
    assert_eq!(start.elapsed(), Duration::from_millis(TOKEN_WAIT_MS));
    for r in r {
        let r = r.unwrap();
        assert_eq!(r.status, 401);
        assert!(r.body.contains("within 10 s"), "{}", r.body);
    }
    assert!(s.relay.seen.borrow().is_empty());
    // Later calls fail at once without asking again.
    let start = tokio::time::Instant::now();
    assert_eq!(get(&s).await.unwrap().status, 401);
    assert_eq!(start.elapsed(), Duration::ZERO);
    assert_eq!(s.broker.asks(), 1);
    assert_eq!(s.broker.failure(), Some(AuthError::NoAnswer { ms: TOKEN_WAIT_MS }));
    // A token arriving late ends the failure.
    s.relay.valid.borrow_mut().push("late".into());
    s.broker.accept(&token("late")).unwrap();
    assert_eq!(get(&s).await.unwrap().status, 200);
}

#[tokio::test(start_paused = true)]
async fn signing_in_again_asks_once_more() {
    let s = setup(&[], true);
    assert_eq!(get(&s).await.unwrap().status, 401);
    s.broker.clear_failure();
    assert_eq!(get(&s).await.unwrap().status, 401);
    assert_eq!(s.broker.asks(), 2);
}

#[tokio::test(start_paused = true)]
async fn not_embedded_without_a_fragment_token_fails_at_once() {
    let s = setup(&[], false);
    let r = get(&s).await.unwrap();
    assert_eq!(r.status, 401);
    assert!(r.body.contains("open the dashboard from your portal"), "{}", r.body);
    assert!(s.relay.seen.borrow().is_empty());
    assert_eq!(s.broker.asks(), 0);
}

#[tokio::test(start_paused = true)]
async fn a_refresh_keeps_the_current_token_until_the_next_arrives() {
    let s = setup(&[], true);
    s.relay.valid.borrow_mut().extend(["one".to_string(), "two".to_string()]);
    s.broker.accept(&token("one")).unwrap();
    let refresh = s.broker.refresh();
    // Meanwhile calls go out with the current token.
    assert_eq!(get(&s).await.unwrap().status, 200);
    // The parent never answers the refresh: no failure, the token stays.
    assert!(refresh.await.is_err());
    assert_eq!(s.broker.failure(), None);
    assert_eq!(get(&s).await.unwrap().status, 200);
    s.broker.accept(&token("two")).unwrap();
    get(&s).await.unwrap();
    assert!(s.relay.seen.borrow().last().unwrap().as_deref().unwrap().ends_with(".two"));
}

#[tokio::test(start_paused = true)]
async fn a_malformed_answer_is_refused_and_changes_nothing() {
    let s = setup(&[], true);
    assert!(s.broker.accept("not a jwt").is_err());
    assert!(s.broker.claims().is_none());
    let notified = Rc::new(Cell::new(0));
    let n = notified.clone();
    s.broker.on_token(move |c| {
        assert_eq!(c.tid, "acme");
        n.set(n.get() + 1);
    });
    s.broker.accept(&token("x")).unwrap();
    assert_eq!(notified.get(), 1);
}
