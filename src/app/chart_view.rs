//! `ChartView`: one ECharts instance on a div, fed charming-built options as JSON.
//!
//! We bind ECharts ourselves rather than through charming's `WasmRenderer`: it has
//! no event API (drag-to-zoom and click-to-drill need `on`), and its update merges
//! options, which leaves stale series behind when the series set changes.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen]
extern "C" {
    #[derive(Clone)]
    pub type EchartsInstance;

    #[wasm_bindgen(catch, js_namespace = echarts, js_name = init)]
    fn echarts_init(el: &web_sys::HtmlElement, theme: JsValue, opts: JsValue) -> Result<EchartsInstance, JsValue>;

    #[wasm_bindgen(method, js_name = setOption)]
    fn set_option(this: &EchartsInstance, option: JsValue, not_merge: bool);

    #[wasm_bindgen(method)]
    fn resize(this: &EchartsInstance);

    #[wasm_bindgen(method)]
    fn dispose(this: &EchartsInstance);

    #[wasm_bindgen(method)]
    pub fn on(this: &EchartsInstance, event: &str, handler: &js_sys::Function);

    #[wasm_bindgen(method, js_name = getDataURL)]
    pub fn get_data_url(this: &EchartsInstance, opts: JsValue) -> String;
}

/// What the chart keeps alive for its life: the instance, the resize observer and
/// the closures ECharts and the observer call.
struct Live {
    instance: EchartsInstance,
    observer: Option<web_sys::ResizeObserver>,
    _on_resize: Closure<dyn FnMut()>,
}

/// Called once the instance exists, to bind events (the caller keeps its
/// closures alive for the chart's life).
pub type OnInit = std::rc::Rc<dyn Fn(&EchartsInstance)>;

#[component]
pub fn ChartView(
    /// Chart options as JSON (charming's `Chart::to_string`); `None` draws nothing.
    #[prop(into)]
    options: Signal<Option<String>>,
    /// The accessible summary of what the chart shows.
    #[prop(into)]
    label: Signal<String>,
    #[prop(optional)] on_init: Option<OnInit>,
) -> impl IntoView {
    let node = NodeRef::<leptos::html::Div>::new();
    let live: StoredValue<Option<Live>, LocalStorage> = StoredValue::new_local(None);
    let failed = RwSignal::new(false);
    Effect::new(move |_| {
        let Some(el) = node.get() else { return };
        let Some(json) = options.get() else { return };
        if live.with_value(Option::is_none) {
            let el: web_sys::HtmlElement = el.unchecked_into();
            let instance = match echarts_init(&el, JsValue::NULL, JsValue::UNDEFINED) {
                Ok(i) => i,
                Err(_) => {
                    failed.set(true);
                    return;
                }
            };
            let for_resize = instance.clone();
            let on_resize = Closure::<dyn FnMut()>::new(move || for_resize.resize());
            let observer = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()).ok();
            if let Some(o) = &observer {
                o.observe(&el);
            }
            if let Some(cb) = &on_init {
                cb(&instance);
            }
            live.set_value(Some(Live { instance, observer, _on_resize: on_resize }));
        }
        if let Ok(opt) = js_sys::JSON::parse(&json) {
            live.with_value(|l| {
                if let Some(l) = l {
                    l.instance.set_option(opt, true);
                }
            });
        }
    });
    on_cleanup(move || {
        if let Some(Some(l)) = live.try_update_value(|l| l.take()) {
            if let Some(o) = &l.observer {
                o.disconnect();
            }
            l.instance.dispose();
        }
    });
    view! {
        <div class="chart" node_ref=node role="img" aria-label=move || label.get()></div>
        <Show when=move || failed.get()>
            <p class="chart-unavailable" role="status">"Charts are unavailable (the chart library did not load); the table view still works."</p>
        </Show>
    }
}
