//! The data tabs: items explorer and editor, the Query & Scan builder, the capacity graph and the
//! stream viewer.

use super::{failed, stream_view_type, Console};
use crate::components::clock_time;
use crate::components::kit::{pretty, Grid, JsonView, Outcome, OutcomeView, Pager, RequestView};
use lab_core::console::forms::{
    delete_item_request, dynamodb_to_plain, key_fields, new_item_text, plain_to_dynamodb, put_item_request,
    record_keys, value_to_plain, FilterForm, ReadForm,
};
use leptos::prelude::*;
use serde_json::Value;

/// The table's key attribute names (partition, then sort if any).
fn key_names(description: &Value) -> Vec<String> {
    let (partition, sort) = key_fields(description, "");
    [partition, sort].into_iter().map(|k| k.name).filter(|n| !n.is_empty()).collect()
}

/// A DynamoDB JSON value shown compactly: `Acme Band`, `10`, `true`; maps and lists as plain
/// JSON (sets as DynamoDB JSON), cut at [`CELL_CHARS`] characters.
fn cell(value: &Value) -> String {
    let Some((kind, inner)) = value.as_object().and_then(|o| o.iter().next()) else { return String::new() };
    let text = match (kind.as_str(), inner) {
        ("S", Value::String(s)) | ("N", Value::String(s)) | ("B", Value::String(s)) => s.clone(),
        ("BOOL", b) => b.to_string(),
        ("NULL", _) => "null".into(),
        _ => value_to_plain(value).unwrap_or_else(|_| value.to_string()),
    };
    match text.char_indices().nth(CELL_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

const CELL_CHARS: usize = 80;

/// Items in a grid: key attributes first, then every other attribute any item has.
#[component]
fn ItemsGrid(
    items: Vec<Value>,
    keys: Vec<String>,
    #[prop(optional)] on_edit: Option<Callback<Value>>,
    /// Gets the whole item; the request sends only its key.
    #[prop(optional)]
    on_delete: Option<Callback<Value>>,
    testid: &'static str,
) -> impl IntoView {
    let console = expect_context::<Console>();
    let mut columns = keys.clone();
    for item in &items {
        for name in item.as_object().map(|o| o.keys().cloned().collect::<Vec<_>>()).unwrap_or_default() {
            if !columns.contains(&name) {
                columns.push(name);
            }
        }
    }
    let actions = on_edit.is_some() || on_delete.is_some();
    let head = columns.iter().map(|c| view! { <th scope="col">{c.clone()}</th> }).collect_view();
    let rows = items
        .into_iter()
        .map(|item| {
            let cells = columns.iter().map(|c| view! { <td>{cell(&item[c])}</td> }).collect_view();
            let (edit_item, delete_item) = (item.clone(), item.clone());
            view! {
                <tr data-testid="item-row">
                    {cells}
                    {actions.then(|| view! {
                        <td class="actions">
                            {on_edit.map(|f| view! { <button type="button" class="small" data-testid="item-edit" on:click=move |_| f.run(edit_item.clone())>{move || console.c().edit}</button> })}
                            {on_delete.map(|f| view! { <button type="button" class="small danger" data-testid="item-delete" on:click=move |_| f.run(delete_item.clone())>{move || console.c().delete}</button> })}
                        </td>
                    })}
                </tr>
            }
        })
        .collect_view();
    view! {
        <Grid testid=testid>
            <thead><tr>{head}{actions.then(|| view! { <th scope="col">{move || console.c().actions}</th> })}</tr></thead>
            <tbody>{rows}</tbody>
        </Grid>
    }
}

/// A page of a Scan or Query: the request sent and what came back.
#[derive(Clone, Debug, PartialEq)]
struct Page {
    request: Value,
    response: Value,
}

#[component]
pub fn ItemsExplorer() -> impl IntoView {
    let console = expect_context::<Console>();
    let page = RwSignal::new(None::<Page>);
    let outcome = RwSignal::new(None::<Outcome>);
    let editor = RwSignal::new(None::<Editor>);
    let description = Memo::new(move |_| console.table().map(|t| t.description).unwrap_or(Value::Null));
    let keys = Memo::new(move |_| key_names(&description.get()));
    let scan = move |start: Option<Value>| {
        let form = ReadForm {
            table: console.selected.get_untracked().unwrap_or_default(),
            limit: "25".into(),
            start_key: start,
            ..ReadForm::default()
        };
        let Ok(request) = form.request() else { return };
        let sent = request.clone();
        console.call("Scan", request, move |result| match result {
            Ok(response) => {
                outcome.set(None);
                page.set(Some(Page { request: sent, response }));
            }
            Err(err) => outcome.set(Some(failed(err))),
        });
    };
    // Like the console, opening the tab scans the first page.
    Effect::new(move |_| {
        if description.with(|d| d["TableStatus"] == "ACTIVE") && page.get_untracked().is_none() {
            scan(None);
        }
    });
    let on_edit = Callback::new(move |item: Value| editor.set(Some(Editor::edit(&item))));
    let on_delete = Callback::new(move |item: Value| {
        let table = console.selected.get_untracked().unwrap_or_default();
        let request = delete_item_request(&table, &description.get_untracked(), &item);
        console.call("DeleteItem", request, move |result| match result {
            Ok(_) => scan(None),
            Err(err) => outcome.set(Some(failed(err))),
        });
    });
    let on_saved = move || {
        editor.set(None);
        scan(None);
    };
    view! {
        <div class="explorer" data-testid="items-explorer">
            <div class="toolbar">
                <button type="button" data-testid="items-refresh" on:click=move |_| scan(None)>{move || console.c().refresh}</button>
                <button type="button" class="primary" data-testid="item-create" on:click=move |_| editor.set(Some(Editor::create(&description.get_untracked())))>
                    {move || console.c().create_item}
                </button>
            </div>
            {move || editor.get().map(|e| view! { <ItemEditor editor=e on_saved=on_saved on_cancel=move || editor.set(None)/> })}
            <OutcomeView outcome=outcome testid="console"/>
            {move || page.get().map(|p| {
                let items = p.response["Items"].as_array().cloned().unwrap_or_default();
                let next = p.response.get("LastEvaluatedKey").cloned();
                let first = p.request.get("ExclusiveStartKey").is_some();
                let empty = items.is_empty();
                view! {
                    <p class="muted small-text" data-testid="items-summary">
                        "Scan · Count " {p.response["Count"].as_u64().unwrap_or(0)} " · ScannedCount " {p.response["ScannedCount"].as_u64().unwrap_or(0)}
                    </p>
                    {if empty {
                        view! { <p class="muted">{move || console.c().no_items}</p> }.into_any()
                    } else {
                        view! { <ItemsGrid items=items keys=keys.get_untracked() on_edit=on_edit on_delete=on_delete testid="items-grid"/> }.into_any()
                    }}
                    <Pager first=first.then(|| Callback::new(move |_| scan(None)))
                        next=next.map(|k| Callback::new(move |_| scan(Some(k.clone())))) testid="items"/>
                }
            })}
        </div>
    }
}

/// The item editor's state: the text, whether it is DynamoDB JSON, and whether the item is new.
#[derive(Clone, Debug, PartialEq)]
struct Editor {
    text: String,
    dynamodb_json: bool,
    /// A new item is written only if its key is not taken yet.
    new: bool,
}

impl Editor {
    fn create(description: &Value) -> Editor {
        Editor { text: new_item_text(description), dynamodb_json: false, new: true }
    }

    fn edit(item: &Value) -> Editor {
        let wire = pretty(item);
        match dynamodb_to_plain(&wire) {
            Ok(plain) => Editor { text: plain, dynamodb_json: false, new: false },
            Err(_) => Editor { text: wire, dynamodb_json: true, new: false },
        }
    }
}

#[component]
fn ItemEditor(
    editor: Editor,
    on_saved: impl Fn() + Copy + 'static,
    on_cancel: impl Fn() + Copy + 'static,
) -> impl IntoView {
    let console = expect_context::<Console>();
    let state = RwSignal::new(editor);
    let outcome = RwSignal::new(None::<Outcome>);
    let toggle = move |_| {
        let e = state.get_untracked();
        let converted = if e.dynamodb_json { dynamodb_to_plain(&e.text) } else { plain_to_dynamodb(&e.text) };
        match converted {
            Ok(text) => {
                outcome.set(None);
                state.update(|s| {
                    s.text = text;
                    s.dynamodb_json = !s.dynamodb_json;
                });
            }
            Err(problem) => outcome.set(Some(Outcome::Form(problem))),
        }
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let e = state.get_untracked();
        let table = console.selected.get_untracked().unwrap_or_default();
        let description = console.table().map(|t| t.description).unwrap_or(Value::Null);
        let request = match put_item_request(&table, &description, &e.text, e.dynamodb_json, e.new) {
            Ok(request) => request,
            Err(problem) => return outcome.set(Some(Outcome::Form(problem))),
        };
        console.call("PutItem", request, move |result| match result {
            Ok(_) => on_saved(),
            Err(err) => outcome.set(Some(failed(err))),
        });
    };
    view! {
        <form class="console-form editor" data-testid="item-editor" on:submit=save>
            <h4>{move || console.c().item_editor}</h4>
            <label class="choice">
                <input type="checkbox" data-testid="item-dynamodb-json" prop:checked=move || state.with(|s| s.dynamodb_json) on:change=toggle/>
                {move || console.c().dynamodb_json}
            </label>
            <p class="muted small-text">{move || console.c().editor_note}</p>
            <textarea rows="12" spellcheck="false" data-testid="item-text" aria-label=move || console.c().item_editor
                prop:value=move || state.with(|s| s.text.clone()) on:input=move |ev| state.update(|s| s.text = event_target_value(&ev))></textarea>
            <div class="row">
                <button type="submit" class="primary" data-testid="item-save">{move || console.c().save}</button>
                <button type="button" on:click=move |_| on_cancel()>{move || console.c().cancel}</button>
            </div>
            <OutcomeView outcome=outcome testid="console"/>
        </form>
    }
}

const SORT_OPS: [&str; 8] = ["", "=", "<", "<=", ">", ">=", "between", "begins_with"];
const FILTER_OPS: [&str; 11] =
    ["=", "<>", "<", "<=", ">", ">=", "between", "begins_with", "contains", "exists", "not_exists"];

#[component]
pub fn ReadBuilder() -> impl IntoView {
    let console = expect_context::<Console>();
    let description = Memo::new(move |_| console.table().map(|t| t.description).unwrap_or(Value::Null));
    let form = RwSignal::new(ReadForm { query: true, ..ReadForm::default() });
    // The key attributes follow the table or index chosen.
    Effect::new(move |_| {
        let index = form.with(|f| f.index.clone());
        let (partition, sort) = key_fields(&description.get(), &index);
        let table = console.selected.get_untracked().unwrap_or_default();
        // Only a real change is written back: this effect reads the form too.
        let changed = form.with_untracked(|f| f.partition != partition || f.sort != sort || f.table != table);
        if changed {
            form.update(|f| {
                f.partition = partition;
                f.sort = sort;
                f.table = table;
            });
        }
    });
    let page = RwSignal::new(None::<Page>);
    let outcome = RwSignal::new(None::<Outcome>);
    let preview = Signal::derive(move || match form.with(ReadForm::request) {
        Ok(request) => pretty(&request),
        Err(problem) => problem,
    });
    let run = move |start: Option<Value>| {
        form.update(|f| f.start_key = start);
        let request = match form.with_untracked(ReadForm::request) {
            Ok(request) => request,
            Err(problem) => return outcome.set(Some(Outcome::Form(problem))),
        };
        let action = if form.with_untracked(|f| f.query) { "Query" } else { "Scan" };
        let sent = request.clone();
        console.call(action, request, move |result| match result {
            Ok(response) => {
                outcome.set(None);
                page.set(Some(Page { request: sent, response }));
            }
            Err(err) => {
                page.set(None);
                outcome.set(Some(failed(err)));
            }
        });
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        run(None);
    };
    let text = move |get: fn(&ReadForm) -> String| Signal::derive(move || form.with(get));
    let indexes = move || {
        let d = description.get();
        ["GlobalSecondaryIndexes", "LocalSecondaryIndexes"]
            .iter()
            .flat_map(|m| d[*m].as_array().cloned().unwrap_or_default())
            .filter_map(|i| i["IndexName"].as_str().map(str::to_string))
            .map(|name| view! { <option value=name.clone()>{name.clone()}</option> })
            .collect_view()
    };
    // Rows are rebuilt only when their number changes, not on every keystroke (which would
    // take the focus away from the field being typed in).
    let filters_count = Memo::new(move |_| form.with(|f| f.filters.len()));
    let filters = move || (0..filters_count.get()).map(|i| view! { <FilterRow form=form i=i/> }).collect_view();
    let query = move || form.with(|f| f.query);
    view! {
        <form class="console-form builder" data-testid="read-builder" on:submit=submit>
            <div class="row">
                <label class="choice"><input type="radio" name="read-kind" data-testid="read-scan" prop:checked=move || !query()
                    on:change=move |_| form.update(|f| f.query = false)/>{move || console.c().scan}</label>
                <label class="choice"><input type="radio" name="read-kind" data-testid="read-query" prop:checked=query
                    on:change=move |_| form.update(|f| f.query = true)/>{move || console.c().query}</label>
                <label class="field narrow"><span>{move || console.c().read_from}</span>
                    <select data-testid="read-index" prop:value=text(|f| f.index.clone()) on:change=move |ev| form.update(|f| f.index = event_target_value(&ev))>
                        <option value="">{move || console.c().table_itself}</option>
                        {indexes}
                    </select>
                </label>
            </div>
            <Show when=query>
                <div class="row">
                    <label class="field"><span>{move || console.c().partition_key} " · " {move || form.with(|f| format!("{} ({})", f.partition.name, f.partition.kind))}</span>
                        <input type="text" data-testid="read-pk-value" prop:value=text(|f| f.partition_value.clone())
                            on:input=move |ev| form.update(|f| f.partition_value = event_target_value(&ev))/>
                    </label>
                </div>
                <Show when=move || form.with(|f| !f.sort.name.is_empty())>
                    <div class="row">
                        <label class="field narrow"><span>{move || console.c().sort_key} " · " {move || form.with(|f| format!("{} ({})", f.sort.name, f.sort.kind))}</span>
                            <select data-testid="read-sk-op" prop:value=text(|f| f.sort_op.clone()) on:change=move |ev| form.update(|f| f.sort_op = event_target_value(&ev))>
                                {SORT_OPS.iter().map(|op| view! { <option value=*op>{if op.is_empty() { console.c().no_condition } else { op }}</option> }).collect_view()}
                            </select>
                        </label>
                        <label class="field"><span>{move || console.c().value}</span>
                            <input type="text" data-testid="read-sk-value" prop:value=text(|f| f.sort_value.clone())
                                on:input=move |ev| form.update(|f| f.sort_value = event_target_value(&ev))/>
                        </label>
                        <Show when=move || form.with(|f| f.sort_op == "between")>
                            <label class="field"><span>{move || console.c().and_value}</span>
                                <input type="text" prop:value=text(|f| f.sort_value2.clone()) on:input=move |ev| form.update(|f| f.sort_value2 = event_target_value(&ev))/>
                            </label>
                        </Show>
                    </div>
                </Show>
            </Show>
            <fieldset>
                <legend>{move || console.c().filters}</legend>
                {filters}
                <button type="button" data-testid="read-add-filter" on:click=move |_| form.update(|f| f.filters.push(FilterForm { op: "=".into(), kind: "S".into(), ..FilterForm::default() }))>
                    {move || console.c().add_filter}
                </button>
            </fieldset>
            <div class="row">
                <label class="field"><span>{move || console.c().projection_list}</span>
                    <input type="text" data-testid="read-projection" prop:value=text(|f| f.projection.clone()) on:input=move |ev| form.update(|f| f.projection = event_target_value(&ev))/>
                </label>
                <label class="field narrow"><span>{move || console.c().limit}</span>
                    <input type="text" inputmode="numeric" data-testid="read-limit" prop:value=text(|f| f.limit.clone()) on:input=move |ev| form.update(|f| f.limit = event_target_value(&ev))/>
                </label>
            </div>
            <div class="row">
                <Show when=query>
                    <label class="choice"><input type="checkbox" data-testid="read-descending" prop:checked=move || form.with(|f| f.descending)
                        on:change=move |ev| form.update(|f| f.descending = event_target_checked(&ev))/>{move || console.c().descending}</label>
                </Show>
                <label class="choice"><input type="checkbox" data-testid="read-consistent" prop:checked=move || form.with(|f| f.consistent)
                    on:change=move |ev| form.update(|f| f.consistent = event_target_checked(&ev))/>{move || console.c().consistent}</label>
            </div>
            <RequestView label=Signal::derive(move || console.c().request_json) text=preview testid="read-request"/>
            <button type="submit" class="primary" data-testid="read-run">{move || console.c().run}</button>
        </form>
        <OutcomeView outcome=outcome testid="console"/>
        {move || page.get().map(|p| {
            let r = &p.response;
            let count = r["Count"].as_u64().unwrap_or(0);
            let scanned = r["ScannedCount"].as_u64().unwrap_or(0);
            let units = r["ConsumedCapacity"]["CapacityUnits"].as_f64().unwrap_or(0.0);
            let items = r["Items"].as_array().cloned().unwrap_or_default();
            let next = r.get("LastEvaluatedKey").cloned();
            let keys = key_names(&description.get_untracked());
            let sent = pretty(&p.request);
            let raw = pretty(r);
            view! {
                <div class="read-result" data-testid="read-result">
                    <p class="summary" data-testid="read-summary">
                        "Count: " <strong data-testid="read-count">{count}</strong>
                        " · ScannedCount: " <strong data-testid="read-scanned">{scanned}</strong>
                        " · ConsumedCapacity: " <strong>{units}</strong> " RCU"
                    </p>
                    {(scanned > count).then(|| view! { <p class="notice problem small-text">{move || console.c().scan_cost_note}</p> })}
                    <ItemsGrid items=items keys=keys testid="read-items"/>
                    {next.is_some().then(|| view! { <p class="muted small-text"><code>"LastEvaluatedKey"</code></p> })}
                    <Pager next=next.map(|k| Callback::new(move |_| run(Some(k.clone())))) testid="read"/>
                    <RequestView label=Signal::derive(move || console.c().request_sent) text=Signal::derive(move || sent.clone()) testid="read-sent"/>
                    <RequestView label=Signal::derive(move || console.c().response) text=Signal::derive(move || raw.clone()) testid="read-response"/>
                </div>
            }
        })}
    }
}

#[component]
fn FilterRow(form: RwSignal<ReadForm>, i: usize) -> impl IntoView {
    let console = expect_context::<Console>();
    let get = move |f: fn(&FilterForm) -> String| {
        Signal::derive(move || form.with(|form| form.filters.get(i).map(f).unwrap_or_default()))
    };
    let set = move |f: fn(&mut FilterForm, String)| {
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            form.update(|form| {
                if let Some(x) = form.filters.get_mut(i) {
                    f(x, v)
                }
            })
        }
    };
    let needs_value = move || form.with(|f| f.filters.get(i).is_some_and(|x| !x.op.ends_with("exists")));
    view! {
        <div class="row filter-row" data-testid=format!("filter-{i}")>
            <label class="field"><span>{move || console.c().attribute}</span>
                <input type="text" data-testid=format!("filter-{i}-attribute") prop:value=get(|x| x.attribute.clone()) on:input=set(|x, v| x.attribute = v)/></label>
            <label class="field narrow"><span>{move || console.c().condition}</span>
                <select data-testid=format!("filter-{i}-op") prop:value=get(|x| x.op.clone()) on:change=set(|x, v| x.op = v)>
                    {FILTER_OPS.iter().map(|op| view! { <option value=*op>{*op}</option> }).collect_view()}
                </select></label>
            <Show when=needs_value>
                <label class="field narrow"><span>{move || console.c().attribute_type}</span>
                    <select data-testid=format!("filter-{i}-type") prop:value=get(|x| x.kind.clone()) on:change=set(|x, v| x.kind = v)>
                        <option value="S">"String"</option><option value="N">"Number"</option><option value="BOOL">"Boolean"</option>
                    </select></label>
                <label class="field"><span>{move || console.c().value}</span>
                    <input type="text" data-testid=format!("filter-{i}-value") prop:value=get(|x| x.value.clone()) on:input=set(|x, v| x.value = v)/></label>
            </Show>
            <button type="button" on:click=move |_| form.update(|f| { if i < f.filters.len() { f.filters.remove(i); } })>{move || console.c().remove}</button>
        </div>
    }
}

#[component]
pub fn CapacityChart() -> impl IntoView {
    let console = expect_context::<Console>();
    let points = Memo::new(move |_| console.table().map(|t| t.capacity).unwrap_or_default());
    const W: f64 = 600.0;
    const H: f64 = 140.0;
    // One chart per direction, like the console's read and write usage graphs.
    let chart = move |write: bool| {
        let points = points.get();
        let n = points.len().max(1) as f64;
        let used: Vec<f64> = points.iter().map(|p| if write { p.write } else { p.read } / 60.0).collect();
        let provisioned: Vec<Option<f64>> =
            points.iter().map(|p| p.provisioned.map(|(r, w)| if write { w } else { r } as f64)).collect();
        let max = used.iter().copied().chain(provisioned.iter().flatten().copied()).fold(1.0_f64, f64::max) * 1.15;
        let x = move |i: usize| if n <= 1.0 { W / 2.0 } else { i as f64 * W / (n - 1.0) };
        let y = move |v: f64| H - v / max * H;
        // One minute of data is drawn across the whole width, so that it shows as a line.
        let line = |values: &[f64]| match values {
            [v] => format!("0,{:.1} {W:.1},{:.1}", y(*v), y(*v)),
            _ => values
                .iter()
                .enumerate()
                .map(|(i, v)| format!("{:.1},{:.1}", x(i), y(*v)))
                .collect::<Vec<_>>()
                .join(" "),
        };
        let provisioned_line: Vec<f64> = provisioned.iter().map(|p| p.unwrap_or(0.0)).collect();
        let has_provisioned = provisioned.iter().any(Option::is_some);
        let throttles: Vec<(usize, u32)> = points
            .iter()
            .enumerate()
            .map(|(i, p)| (i, if write { p.write_throttled } else { p.read_throttled }))
            .filter(|(_, t)| *t > 0)
            .collect();
        let title = if write { console.c().writes } else { console.c().reads };
        view! {
            <figure class="chart" data-testid=if write { "capacity-write" } else { "capacity-read" }>
                <figcaption>{title} " · max " {format!("{:.2}", max / 1.15)}</figcaption>
                <svg viewBox=format!("-4 -4 {} {}", W + 8.0, H + 8.0) role="img" aria-label=title preserveAspectRatio="none">
                    <line x1="0" y1=H x2=W y2=H class="axis"/>
                    {has_provisioned.then(|| view! { <polyline class="provisioned" points=line(&provisioned_line)/> })}
                    <polyline class="consumed" points=line(&used)/>
                    {throttles.into_iter().map(|(i, t)| view! {
                        <circle class="throttle" cx=format!("{:.1}", x(i)) cy=format!("{:.1}", y(0.0) - 6.0) r="5"><title>{format!("{t} throttled")}</title></circle>
                    }).collect_view()}
                </svg>
            </figure>
        }
    };
    let rows = move || {
        points
            .get()
            .into_iter()
            .filter(|p| p.read > 0.0 || p.write > 0.0 || p.read_throttled + p.write_throttled > 0)
            .map(|p| view! {
                <tr>
                    <td>{clock_time(p.at_ms, 0)}</td>
                    <td class="num">{format!("{:.2}", p.read / 60.0)}</td>
                    <td class="num">{format!("{:.2}", p.write / 60.0)}</td>
                    <td>{p.provisioned.map(|(r, w)| format!("{r} / {w}")).unwrap_or_else(|| "On-demand".into())}</td>
                    <td class="num">{p.read_throttled + p.write_throttled}</td>
                </tr>
            })
            .collect_view()
    };
    view! {
        <div class="capacity" data-testid="capacity">
            <p class="muted small-text">{move || console.c().capacity_note}</p>
            <p class="legend small-text"><span class="key consumed"></span>{move || console.c().consumed} " "
                <span class="key provisioned"></span>{move || console.c().provisioned} " "
                <span class="key throttle"></span>{move || console.c().throttled}</p>
            <div class="charts">{move || chart(false)}{move || chart(true)}</div>
            <details>
                <summary>{move || console.c().chart_data}</summary>
                <Grid testid="capacity-table" compact=true columns=vec![
                    console.text(|c| c.minute), console.text(|c| c.reads), console.text(|c| c.writes),
                    console.text(|c| c.provisioned), console.text(|c| c.throttled),
                ]>
                    <tbody>{rows}</tbody>
                </Grid>
            </details>
        </div>
    }
}

#[component]
pub fn StreamViewer() -> impl IntoView {
    let console = expect_context::<Console>();
    let table = Memo::new(move |_| console.table());
    // An image as the editor shows items: plain JSON when it has one, DynamoDB JSON otherwise.
    let image = |v: &Value| -> Option<String> {
        (!v.is_null()).then(|| dynamodb_to_plain(&v.to_string()).unwrap_or_else(|_| pretty(v)))
    };
    let records = move || {
        table
            .get()
            .map(|t| t.stream_records)
            .unwrap_or_default()
            .into_iter()
            .rev()
            .map(|r| {
                let d = &r["dynamodb"];
                let at = d["ApproximateCreationDateTime"]
                    .as_f64()
                    .map(|s| clock_time((s * 1000.0) as u64, 0))
                    .unwrap_or_default();
                let keys = record_keys(&r);
                let (old, new) = (image(&d["OldImage"]), image(&d["NewImage"]));
                view! {
                    <li class="record" data-testid="stream-record">
                        <p class="record-head">
                            <strong class="event">{r["eventName"].as_str().unwrap_or_default().to_string()}</strong>
                            " " <code>{keys}</code>
                            <span class="muted small-text">" · " {at} " UTC · " {move || console.c().sequence} " "
                                <code>{d["SequenceNumber"].as_str().unwrap_or_default().to_string()}</code></span>
                        </p>
                        <div class="images">
                            {old.map(|o| view! { <div><h5>{move || console.c().old_image}</h5><JsonView text=o/></div> })}
                            {new.map(|n| view! { <div><h5>{move || console.c().new_image}</h5><JsonView text=n/></div> })}
                        </div>
                    </li>
                }
            })
            .collect_view()
    };
    let summary = move || {
        table.get().map(|t| {
            let d = &t.description;
            let arn = d["LatestStreamArn"].as_str().unwrap_or_default();
            match stream_view_type(d) {
                Some(v) => format!("ON · {v} · {arn} · {} records", t.stream_total),
                None if t.stream_total > 0 => format!("OFF · {arn} · {} records", t.stream_total),
                None => console.c().no_stream.to_string(),
            }
        })
    };
    let empty = move || table.get().is_none_or(|t| t.stream_records.is_empty());
    view! {
        <div class="stream" data-testid="stream-viewer">
            <p data-testid="stream-summary"><code>{summary}</code></p>
            <Show when=move || !empty() fallback=move || view! { <p class="muted">{move || console.c().no_records}</p> }>
                <h4>{move || console.c().stream_records}</h4>
                <ol class="records" data-testid="stream-records" reversed>{records}</ol>
            </Show>
        </div>
    }
}
