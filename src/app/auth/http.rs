//! `Http` in the browser: fetch with an AbortController (dropping the future aborts
//! the request). It never logs, and it is given the token only as a header value.

use futures::future::{FutureExt, LocalBoxFuture};
use gloo_net::http::{Method as GlooMethod, RequestBuilder};

use crate::domain::wire::RawResponse;
use crate::engine::http::{Http, HttpRequest, Method};
use crate::engine::transport::TransportError;

struct AbortOnDrop(web_sys::AbortController);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

pub struct BrowserHttp;

impl Http for BrowserHttp {
    fn send(&self, req: HttpRequest) -> LocalBoxFuture<'static, Result<RawResponse, TransportError>> {
        async move {
            let net = |e: gloo_net::Error| TransportError::Network(e.to_string());
            let controller =
                web_sys::AbortController::new().map_err(|_| TransportError::Network("no AbortController".into()))?;
            let signal = controller.signal();
            let _guard = AbortOnDrop(controller);
            let method = match req.method {
                Method::Get => GlooMethod::GET,
                Method::Post => GlooMethod::POST,
                Method::Put => GlooMethod::PUT,
                Method::Delete => GlooMethod::DELETE,
            };
            let mut builder = RequestBuilder::new(&req.url).method(method).abort_signal(Some(&signal));
            for (name, value) in &req.headers {
                builder = builder.header(name, value);
            }
            let request = match req.body {
                Some(body) => builder.body(body).map_err(net)?,
                None => builder.build().map_err(net)?,
            };
            let response = request.send().await.map_err(net)?;
            let status = response.status();
            let retry_after = response.headers().get("Retry-After");
            let bytes = response.binary().await.map_err(net)?;
            Ok(RawResponse { status, retry_after, body: crate::domain::wire::body_text(bytes) })
        }
        .boxed_local()
    }
}
