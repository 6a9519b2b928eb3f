//! `ChartView`: one ECharts instance on a div, fed option JSON built in
//! `domain::panels::chart`.
//!
//! We bind ECharts ourselves rather than through charming's `WasmRenderer`: it has
//! no event API (drag-to-zoom and click-to-drill need `on`), and its update merges
//! options, which leaves stale series behind when the series set changes. The
//! event closures live in the chart's `Live` and are dropped with the instance.

use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::domain::panels::chart::LegendItem;

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
    fn on(this: &EchartsInstance, event: &str, handler: &js_sys::Function);

    #[wasm_bindgen(method, js_name = dispatchAction)]
    fn dispatch_action(this: &EchartsInstance, action: JsValue);

    #[wasm_bindgen(method, js_name = getDataURL)]
    pub fn get_data_url(this: &EchartsInstance, opts: JsValue) -> String;
}

/// An ECharts event handler: the event name and what to do with its params.
pub type Handler = (&'static str, Rc<dyn Fn(JsValue)>);

/// What the chart keeps alive for its life: the instance, the resize observer and
/// the closures ECharts and the observer call.
struct Live {
    instance: EchartsInstance,
    observer: Option<web_sys::ResizeObserver>,
    _on_resize: Closure<dyn FnMut()>,
    _handlers: Vec<Closure<dyn FnMut(JsValue)>>,
}

/// `{ type, name }`: a legend action on one series.
fn legend_action(instance: &EchartsInstance, kind: &str, name: &str) {
    let action = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&action, &"type".into(), &kind.into());
    let _ = js_sys::Reflect::set(&action, &"name".into(), &name.into());
    instance.dispatch_action(action.into());
}

/// Where a panel keeps its chart's instance (PNG export).
pub type InstanceSlot = StoredValue<Option<EchartsInstance>, LocalStorage>;

/// Turns on the horizontal brush without a toolbox button, so a plain drag on the
/// plot selects buckets. Needed after every `setOption(notMerge)`.
fn arm_brush(instance: &EchartsInstance) {
    let action = js_sys::JSON::parse(
        r#"{"type":"takeGlobalCursor","key":"brush","brushOption":{"brushType":"lineX","brushMode":"single"}}"#,
    );
    if let Ok(a) = action {
        instance.dispatch_action(a);
    }
}

#[component]
pub fn ChartView(
    /// Chart options as JSON; `None` draws nothing.
    #[prop(into)]
    options: Signal<Option<String>>,
    /// The accessible summary of what the chart shows.
    #[prop(into)]
    label: Signal<String>,
    /// ECharts events to bind (`click`, `brushEnd`).
    #[prop(optional)]
    handlers: Vec<Handler>,
    /// Drag selects a range (time charts).
    #[prop(optional)]
    brush: bool,
    /// Receives the instance once it exists (and `None` when it is disposed).
    #[prop(optional)]
    instance: Option<InstanceSlot>,
    #[prop(optional, into)] class: String,
    /// The series to list above the chart as toggle buttons (time charts).
    #[prop(optional)]
    legend: Option<Signal<Vec<LegendItem>>>,
) -> impl IntoView {
    let instance_slot = instance;
    let node = NodeRef::<leptos::html::Div>::new();
    let live: StoredValue<Option<Live>, LocalStorage> = StoredValue::new_local(None);
    let handlers = StoredValue::new_local(handlers);
    let failed = RwSignal::new(false);
    // Series the user has hidden, by name: kept when the data or theme changes, so
    // a refresh does not bring back what was switched off.
    let hidden = RwSignal::new(Vec::<String>::new());
    Effect::new(move |_| {
        let Some(el) = node.get() else { return };
        let Some(json) = options.get() else { return };
        if live.with_value(Option::is_none) {
            let el: web_sys::HtmlElement = el.unchecked_into();
            let Ok(instance) = echarts_init(&el, JsValue::NULL, JsValue::UNDEFINED) else {
                failed.set(true);
                return;
            };
            let for_resize = instance.clone();
            let on_resize = Closure::<dyn FnMut()>::new(move || for_resize.resize());
            let observer = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()).ok();
            if let Some(o) = &observer {
                o.observe(&el);
            }
            let bound = handlers.with_value(|hs| {
                hs.iter()
                    .map(|(event, f)| {
                        let f = f.clone();
                        let c = Closure::<dyn FnMut(JsValue)>::new(move |p: JsValue| f(p));
                        instance.on(event, c.as_ref().unchecked_ref());
                        c
                    })
                    .collect()
            });
            if let Some(s) = instance_slot {
                s.set_value(Some(instance.clone()));
            }
            live.set_value(Some(Live { instance, observer, _on_resize: on_resize, _handlers: bound }));
        }
        if let Ok(opt) = js_sys::JSON::parse(&json) {
            live.with_value(|l| {
                if let Some(l) = l {
                    l.instance.set_option(opt, true);
                    crate::app::lazy::first_chart_drawn();
                    if brush {
                        arm_brush(&l.instance);
                    }
                    // A new option starts with every series shown: hide again.
                    for name in hidden.get_untracked() {
                        legend_action(&l.instance, "legendUnSelect", &name);
                    }
                }
            });
        }
    });
    on_cleanup(move || {
        if let Some(s) = instance_slot {
            s.try_set_value(None);
        }
        if let Some(Some(l)) = live.try_update_value(|l| l.take()) {
            if let Some(o) = &l.observer {
                o.disconnect();
            }
            l.instance.dispose();
        }
    });
    let toggle = move |name: String| {
        let now_hidden = hidden.try_update(|h| match h.iter().position(|n| *n == name) {
            Some(p) => {
                h.remove(p);
                false
            }
            None => {
                h.push(name.clone());
                true
            }
        });
        let kind = if now_hidden == Some(true) { "legendUnSelect" } else { "legendSelect" };
        live.with_value(|l| {
            if let Some(l) = l {
                legend_action(&l.instance, kind, &name);
            }
        });
    };
    let legend_view = legend.map(|items| {
        move || {
            let items = items.get();
            (!items.is_empty()).then(|| {
                view! {
                    <ul class="chart-legend" aria-label="Series (press to show or hide)">
                        {items
                            .into_iter()
                            .map(|item| {
                                let name = item.name;
                                let shown = {
                                    let name = name.clone();
                                    move || (!hidden.with(|h| h.contains(&name))).to_string()
                                };
                                let on_click = {
                                    let name = name.clone();
                                    move |_| toggle(name.clone())
                                };
                                view! {
                                    <li>
                                        <button
                                            type="button"
                                            class="chart-legend-item"
                                            data-role="legend-item"
                                            data-series=name.clone()
                                            aria-pressed=shown
                                            on:click=on_click
                                        >
                                            // Coloured through the CSSOM (not a style attribute), which a strict CSP allows.
                                            <span
                                                class="chart-legend-swatch"
                                                aria-hidden="true"
                                                style:background-color=item.colour
                                            ></span>
                                            {name.clone()}
                                        </button>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
            })
        }
    });
    view! {
        <div class=format!(
            "chart-box {class}",
        )>
            {legend_view} <div class="chart" node_ref=node role="img" aria-label=move || label.get()></div>
            <Show when=move || failed.get()>
                <p class="chart-unavailable" role="status">
                    "Charts are unavailable (the chart library did not load); the table view still works."
                </p>
            </Show>
        </div>
    }
}
