use leptos::prelude::*;
#[derive(serde::Deserialize, Clone, Debug)]
struct Row { ts: i64, name: String, count: u64 }
#[component]
fn App() -> impl IntoView {
    let (rows, set_rows) = signal(Vec::<Row>::new());
    let (err, set_err) = signal(String::new());
    let zone = RwSignal::new("Europe/Berlin".to_string());
    leptos::task::spawn_local(async move {
        match gloo_net::http::Request::post("/api").json(&serde_json::json!({"a":1})).unwrap().send().await {
            Ok(r) => match r.text().await { Ok(t) => match serde_json::from_str::<Vec<Row>>(&t) { Ok(v) => set_rows.set(v), Err(e) => set_err.set(e.to_string()) }, Err(e) => set_err.set(e.to_string()) },
            Err(e) => set_err.set(e.to_string()),
        }
    });
    let fmt = move |ts: i64| {
        let tz = jiff::tz::TimeZone::get(&zone.get()).unwrap_or(jiff::tz::TimeZone::UTC);
        jiff::Timestamp::from_millisecond(ts).map(|t| t.to_zoned(tz).to_string()).unwrap_or_default()
    };
    view! {
        <section data-state="ready">
            <input on:input=move |ev| zone.set(event_target_value(&ev)) prop:value=zone />
            <p>{move || err.get()}</p>
            <Show when=move || !rows.get().is_empty() fallback=|| view!{<p>"empty"</p>}>
            <table><tbody>
            <For each=move || rows.get().into_iter().enumerate() key=|(i,_)| *i let:((_, r))>
                <tr><td>{fmt(r.ts)}</td><td>{r.name.clone()}</td><td>{r.count}</td></tr>
            </For>
            </tbody></table>
            </Show>
        </section>
    }
}
fn main() { leptos::mount::mount_to_body(App) }
