//! The create-table form and the table overview with its settings (capacity, stream, TTL, tags).

use super::{failed, key_label, stream_view_type, Console};
use crate::components::kit::{pretty, sent_text, ConfirmButton, Grid, Outcome, OutcomeView, RequestView};
use lab_core::console::forms::{
    capacity_label, delete_table_request, stream_request, tag_request, ttl_request, untag_request, CapacityForm,
    CreateTableForm as Form, IndexForm, KeyField,
};
use leptos::prelude::*;
use serde_json::Value;

const KEY_TYPES: [&str; 3] = ["S", "N", "B"];
const VIEW_TYPES: [(&str, &str); 4] = [
    ("KEYS_ONLY", "Key attributes only"),
    ("NEW_IMAGE", "New image"),
    ("OLD_IMAGE", "Old image"),
    ("NEW_AND_OLD_IMAGES", "New and old images"),
];

/// A text input bound to a field of the form.
#[component]
fn Field(
    #[prop(into)] label: Signal<&'static str>,
    value: Signal<String>,
    set: impl Fn(String) + 'static,
    testid: String,
    #[prop(optional)] numeric: bool,
) -> impl IntoView {
    view! {
        <label class="field">
            <span>{label}</span>
            <input type="text" autocomplete="off" spellcheck="false" data-testid=testid
                inputmode=if numeric { "numeric" } else { "text" }
                prop:value=value on:input=move |ev| set(event_target_value(&ev))/>
        </label>
    }
}

/// A key type select (S, N, B).
#[component]
fn TypeSelect(
    #[prop(into)] label: Signal<&'static str>,
    value: Signal<String>,
    set: impl Fn(String) + 'static,
    testid: String,
) -> impl IntoView {
    view! {
        <label class="field narrow">
            <span>{label}</span>
            <select data-testid=testid prop:value=value on:change=move |ev| set(event_target_value(&ev))>
                {KEY_TYPES.iter().map(|t| view! { <option value=*t>{*t}</option> }).collect_view()}
            </select>
        </label>
    }
}

#[component]
pub fn CreateTableForm(on_created: impl Fn(String) + Copy + 'static) -> impl IntoView {
    let console = expect_context::<Console>();
    let form = RwSignal::new(Form {
        partition: KeyField { name: String::new(), kind: "S".into() },
        sort: KeyField { name: String::new(), kind: "S".into() },
        on_demand: true,
        read_units: "5".into(),
        write_units: "5".into(),
        ..Form::default()
    });
    let outcome = RwSignal::new(None::<Outcome>);
    let sending = RwSignal::new(false);
    let preview = Signal::derive(move || match form.with(Form::request) {
        Ok(request) => pretty(&request),
        Err(problem) => problem,
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = match form.with_untracked(Form::request) {
            Ok(request) => request,
            Err(problem) => return outcome.set(Some(Outcome::Form(problem))),
        };
        let name = form.with_untracked(|f| f.name.trim().to_string());
        sending.set(true);
        console.call("CreateTable", request, move |result| {
            sending.set(false);
            match result {
                Ok(_) => on_created(name),
                Err(err) => outcome.set(Some(failed(err))),
            }
        });
    };
    let text = move |get: fn(&Form) -> &String| Signal::derive(move || form.with(|f| get(f).clone()));
    // Rows are rebuilt only when their number changes, not on every keystroke (which would
    // take the focus away from the field being typed in).
    let indexes_count = Memo::new(move |_| form.with(|f| f.indexes.len()));
    let indexes = move || (0..indexes_count.get()).map(|i| view! { <IndexRow form=form i=i/> }).collect_view();
    view! {
        <form class="console-form" data-testid="create-table-form" on:submit=submit>
            <h4>{move || console.c().create_table}</h4>
            <Field label=Signal::derive(move || console.c().table_name) value=text(|f| &f.name)
                set=move |v| form.update(|f| f.name = v) testid="create-table-name".into()/>
            <KeyFieldset form=form sort=false/>
            <KeyFieldset form=form sort=true/>
            <fieldset>
                <legend>{move || console.c().capacity_mode}</legend>
                <div class="row">
                    <label class="choice"><input type="radio" name="capacity-mode" data-testid="create-table-on-demand"
                        prop:checked=move || form.with(|f| f.on_demand) on:change=move |_| form.update(|f| f.on_demand = true)/>
                        {move || console.c().on_demand}</label>
                    <label class="choice"><input type="radio" name="capacity-mode" data-testid="create-table-provisioned"
                        prop:checked=move || form.with(|f| !f.on_demand) on:change=move |_| form.update(|f| f.on_demand = false)/>
                        {move || console.c().provisioned}</label>
                </div>
                <Show when=move || form.with(|f| !f.on_demand)>
                    <div class="row">
                        <Field label=Signal::derive(move || console.c().read_units) value=text(|f| &f.read_units) numeric=true
                            set=move |v| form.update(|f| f.read_units = v) testid="create-table-rcu".into()/>
                        <Field label=Signal::derive(move || console.c().write_units) value=text(|f| &f.write_units) numeric=true
                            set=move |v| form.update(|f| f.write_units = v) testid="create-table-wcu".into()/>
                    </div>
                </Show>
            </fieldset>
            <fieldset>
                <legend>{move || console.c().stream}</legend>
                <select data-testid="create-table-stream" aria-label=move || console.c().stream
                    prop:value=move || form.with(|f| f.stream.clone()) on:change=move |ev| form.update(|f| f.stream = event_target_value(&ev))>
                    <option value="">{move || console.c().stream_off}</option>
                    {VIEW_TYPES.iter().map(|(v, label)| view! { <option value=*v>{*label} " (" {*v} ")"</option> }).collect_view()}
                </select>
            </fieldset>
            <fieldset>
                <legend>{move || console.c().secondary_indexes}</legend>
                {indexes}
                <button type="button" data-testid="create-table-add-index" on:click=move |_| form.update(|f| f.indexes.push(IndexForm {
                    global: true,
                    partition: KeyField { name: String::new(), kind: "S".into() },
                    sort: KeyField { name: String::new(), kind: "S".into() },
                    projection: "ALL".into(),
                    ..IndexForm::default()
                }))>{move || console.c().add_index}</button>
            </fieldset>
            <RequestView label=Signal::derive(move || console.c().request_json) text=preview testid="create-table-request"/>
            <button type="submit" class="primary" data-testid="create-table-submit" disabled=move || sending.get()>
                {move || console.c().create_table}
            </button>
            <OutcomeView outcome=outcome testid="console"/>
        </form>
    }
}

/// The table's partition key (or sort key) with its type.
#[component]
fn KeyFieldset(form: RwSignal<Form>, sort: bool) -> impl IntoView {
    let console = expect_context::<Console>();
    let field = move |f: &Form| if sort { f.sort.clone() } else { f.partition.clone() };
    let edit = move |change: fn(&mut KeyField, String)| {
        move |v: String| form.update(|f| change(if sort { &mut f.sort } else { &mut f.partition }, v))
    };
    let id = if sort { "sk" } else { "pk" };
    view! {
        <fieldset>
            <legend>{move || if sort { console.c().sort_key_optional } else { console.c().partition_key }}</legend>
            <div class="row">
                <Field label=Signal::derive(move || if sort { console.c().sort_key } else { console.c().partition_key })
                    value=Signal::derive(move || form.with(|f| field(f).name)) set=edit(|k, v| k.name = v) testid=format!("create-table-{id}")/>
                <TypeSelect label=Signal::derive(move || console.c().key_type)
                    value=Signal::derive(move || form.with(|f| field(f).kind)) set=edit(|k, v| k.kind = v) testid=format!("create-table-{id}-type")/>
            </div>
        </fieldset>
    }
}

#[component]
fn IndexRow(form: RwSignal<Form>, i: usize) -> impl IntoView {
    let console = expect_context::<Console>();
    let get = move |f: fn(&IndexForm) -> String| {
        Signal::derive(move || form.with(|form| form.indexes.get(i).map(f).unwrap_or_default()))
    };
    let set = move |f: fn(&mut IndexForm, String)| {
        move |v: String| {
            form.update(|form| {
                if let Some(x) = form.indexes.get_mut(i) {
                    f(x, v)
                }
            })
        }
    };
    let global = move || form.with(|f| f.indexes.get(i).is_some_and(|x| x.global));
    view! {
        <div class="index-row" data-testid=format!("index-{i}")>
            <div class="row">
                <label class="field narrow"><span>{move || console.c().index_kind}</span>
                    <select data-testid=format!("index-{i}-kind") prop:value=move || if global() { "global" } else { "local" }
                        on:change=move |ev| { let g = event_target_value(&ev) == "global"; form.update(|f| if let Some(x) = f.indexes.get_mut(i) { x.global = g }) }>
                        <option value="global">{move || console.c().global}</option>
                        <option value="local">{move || console.c().local}</option>
                    </select>
                </label>
                <Field label=Signal::derive(move || console.c().index_name) value=get(|x| x.name.clone()) set=set(|x, v| x.name = v) testid=format!("index-{i}-name")/>
                <label class="field narrow"><span>{move || console.c().projection}</span>
                    <select data-testid=format!("index-{i}-projection") prop:value=get(|x| x.projection.clone())
                        on:change=move |ev| { let v = event_target_value(&ev); form.update(|f| if let Some(x) = f.indexes.get_mut(i) { x.projection = v }) }>
                        <option value="ALL">"ALL"</option>
                        <option value="KEYS_ONLY">"KEYS_ONLY"</option>
                    </select>
                </label>
            </div>
            <div class="row">
                <Show when=global>
                    <Field label=Signal::derive(move || console.c().partition_key) value=get(|x| x.partition.name.clone()) set=set(|x, v| x.partition.name = v) testid=format!("index-{i}-pk")/>
                    <TypeSelect label=Signal::derive(move || console.c().key_type) value=get(|x| x.partition.kind.clone()) set=set(|x, v| x.partition.kind = v) testid=format!("index-{i}-pk-type")/>
                </Show>
                <Field label=Signal::derive(move || console.c().sort_key) value=get(|x| x.sort.name.clone()) set=set(|x, v| x.sort.name = v) testid=format!("index-{i}-sk")/>
                <TypeSelect label=Signal::derive(move || console.c().key_type) value=get(|x| x.sort.kind.clone()) set=set(|x, v| x.sort.kind = v) testid=format!("index-{i}-sk-type")/>
                <button type="button" on:click=move |_| form.update(|f| { if i < f.indexes.len() { f.indexes.remove(i); } })>{move || console.c().remove}</button>
            </div>
        </div>
    }
}

/// Overview: general information, capacity mode, stream, TTL, tags, delete. Every request is
/// built by `lab_core::console::forms`.
#[component]
pub fn Overview() -> impl IntoView {
    let console = expect_context::<Console>();
    let outcome = RwSignal::new(None::<Outcome>);
    let sent = RwSignal::new(String::new());
    let send = move |action: &'static str, request: Value| {
        sent.set(sent_text(action, &request));
        console.send(action, request, outcome);
    };
    let table = Memo::new(move |_| console.table());
    let d = move || table.get().map(|t| t.description).unwrap_or(Value::Null);
    let name = move || console.selected.get_untracked().unwrap_or_default();

    // Capacity mode: the form starts from the table's settings, and follows them when they change.
    let settings = Memo::new(move |_| CapacityForm::from_description(&d()));
    let capacity = RwSignal::new(settings.get_untracked());
    Effect::new(move |_| capacity.set(settings.get()));
    let save_capacity = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match capacity.with_untracked(|c| c.request(&name())) {
            Ok(request) => send("UpdateTable", request),
            Err(problem) => outcome.set(Some(Outcome::Form(problem))),
        }
    };
    let units = move |write: bool| {
        Signal::derive(move || capacity.with(|c| if write { c.write_units.clone() } else { c.read_units.clone() }))
    };

    // Stream.
    let view_type = RwSignal::new(String::from("NEW_AND_OLD_IMAGES"));
    let stream_on = move |_| send("UpdateTable", stream_request(&name(), Some(&view_type.get_untracked())));
    let stream_off = move |_| send("UpdateTable", stream_request(&name(), None));

    // TTL.
    let ttl_attribute = RwSignal::new(String::from("expiresAt"));
    let ttl_status = move || {
        table.get().map(|t| t.ttl["TimeToLiveStatus"].as_str().unwrap_or("DISABLED").to_string()).unwrap_or_default()
    };
    let ttl_name = move || table.get().and_then(|t| t.ttl["AttributeName"].as_str().map(str::to_string));
    let ttl = move |enabled: bool| {
        let current = table.get_untracked().map(|t| t.ttl).unwrap_or(Value::Null);
        send("UpdateTimeToLive", ttl_request(&name(), enabled, &ttl_attribute.get_untracked(), &current))
    };

    // Tags.
    let tag_key = RwSignal::new(String::new());
    let tag_value = RwSignal::new(String::new());
    let arn = move || d()["TableArn"].as_str().unwrap_or_default().to_string();
    let add_tag = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        send("TagResource", tag_request(&arn(), &tag_key.get_untracked(), &tag_value.get_untracked()));
    };
    let tags = move || {
        table
            .get()
            .and_then(|t| t.tags.as_array().cloned())
            .unwrap_or_default()
            .into_iter()
            .map(|tag| {
                let key = tag["Key"].as_str().unwrap_or_default().to_string();
                let k = key.clone();
                view! {
                    <tr><td>{key.clone()}</td><td>{tag["Value"].as_str().unwrap_or_default().to_string()}</td>
                    <td><button type="button" on:click=move |_| send("UntagResource", untag_request(&arn(), &k))>
                        {move || console.c().remove}</button></td></tr>
                }
            })
            .collect_view()
    };
    let delete = Callback::new(move |_| send("DeleteTable", delete_table_request(&name())));
    let created = move || {
        d()["CreationDateTime"].as_f64().map(|s| lab_core::clock::iso8601((s * 1000.0) as u64)).unwrap_or_default()
    };
    view! {
        <div class="overview" data-testid="overview">
            <h4>{move || console.c().general_info}</h4>
            <dl class="facts">
                <div><dt>{move || console.c().partition_key}</dt><dd>{move || key_label(&d(), "", false)}</dd></div>
                <div><dt>{move || console.c().sort_key}</dt><dd>{move || key_label(&d(), "", true)}</dd></div>
                <div><dt>{move || console.c().capacity_mode}</dt><dd data-testid="overview-capacity">{move || capacity_label(&d())}</dd></div>
                <div><dt>{move || console.c().items_count}</dt><dd>{move || d()["ItemCount"].as_u64().unwrap_or(0)}</dd></div>
                <div><dt>{move || console.c().table_size}</dt><dd>{move || d()["TableSizeBytes"].as_u64().unwrap_or(0)} " bytes"</dd></div>
                <div><dt>{move || console.c().created}</dt><dd>{created}</dd></div>
                <div class="wide"><dt>"ARN"</dt><dd><code>{arn}</code></dd></div>
            </dl>

            <form class="console-form" on:submit=save_capacity>
                <h4>{move || console.c().capacity_mode}</h4>
                <div class="row">
                    <label class="choice"><input type="radio" name="mode" data-testid="capacity-on-demand" prop:checked=move || capacity.with(|c| c.on_demand)
                        on:change=move |_| capacity.update(|c| c.on_demand = true)/>{move || console.c().on_demand}</label>
                    <label class="choice"><input type="radio" name="mode" data-testid="capacity-provisioned" prop:checked=move || capacity.with(|c| !c.on_demand)
                        on:change=move |_| capacity.update(|c| c.on_demand = false)/>{move || console.c().provisioned}</label>
                </div>
                <Show when=move || capacity.with(|c| !c.on_demand)>
                    <div class="row">
                        <Field label=Signal::derive(move || console.c().read_units) value=units(false) set=move |v| capacity.update(|c| c.read_units = v) testid="capacity-rcu".into() numeric=true/>
                        <Field label=Signal::derive(move || console.c().write_units) value=units(true) set=move |v| capacity.update(|c| c.write_units = v) testid="capacity-wcu".into() numeric=true/>
                    </div>
                </Show>
                <button type="submit" data-testid="capacity-save">{move || console.c().save}</button>
            </form>

            <div class="console-form">
                <h4>{move || console.c().stream}</h4>
                <p data-testid="overview-stream">{move || match stream_view_type(&d()) {
                    Some(v) => format!("ON · {v} · {}", d()["LatestStreamLabel"].as_str().unwrap_or_default()),
                    None => console.c().stream_off.to_string(),
                }}</p>
                <div class="row">
                    <select data-testid="stream-view-type" aria-label="StreamViewType" prop:value=move || view_type.get()
                        on:change=move |ev| view_type.set(event_target_value(&ev))>
                        {VIEW_TYPES.iter().map(|(v, label)| view! { <option value=*v>{*label} " (" {*v} ")"</option> }).collect_view()}
                    </select>
                    <button type="button" data-testid="stream-on" on:click=stream_on>{move || console.c().turn_on}</button>
                    <button type="button" data-testid="stream-off" on:click=stream_off>{move || console.c().turn_off}</button>
                </div>
            </div>

            <div class="console-form">
                <h4>{move || console.c().ttl}</h4>
                <p data-testid="overview-ttl">{ttl_status} {move || ttl_name().map(|n| format!(" · {n}"))}</p>
                <div class="row">
                    <Field label=Signal::derive(move || console.c().ttl_attribute) value=ttl_attribute.into() set=move |v| ttl_attribute.set(v) testid="ttl-attribute".into()/>
                    <button type="button" data-testid="ttl-on" on:click=move |_| ttl(true)>{move || console.c().enable}</button>
                    <button type="button" data-testid="ttl-off" on:click=move |_| ttl(false)>{move || console.c().disable}</button>
                </div>
            </div>

            <form class="console-form" on:submit=add_tag>
                <h4>{move || console.c().tags}</h4>
                <Grid testid="tags" compact=true><tbody>{tags}</tbody></Grid>
                <div class="row">
                    <Field label=Signal::derive(move || console.c().tag_key) value=tag_key.into() set=move |v| tag_key.set(v) testid="tag-key".into()/>
                    <Field label=Signal::derive(move || console.c().tag_value) value=tag_value.into() set=move |v| tag_value.set(v) testid="tag-value".into()/>
                    <button type="submit" data-testid="tag-add">{move || console.c().add_tag}</button>
                </div>
            </form>

            <Show when=move || !sent.get().is_empty()>
                <RequestView label=Signal::derive(move || console.c().request_sent) text=sent testid="overview-request"/>
            </Show>
            <OutcomeView outcome=outcome testid="console"/>
            <div class="row">
                <ConfirmButton label=Signal::derive(move || console.c().delete_table) question=Signal::derive(move || console.c().delete_confirm)
                    testid="delete-table" on_confirm=delete/>
            </div>
        </div>
    }
}
