//! The DynamoDB console: tables list, create-table form and table detail (overview, indexes,
//! items, query & scan, capacity, stream), named and laid out like the AWS console.
//!
//! What it shows comes from the engine's read model (`lab_core::console`); what it does is a
//! real API call through [`Account::call`], recorded in the timeline like any other.

mod data;
mod forms;

use super::view_of;
use crate::account::Account;
use crate::console_texts::{console_texts, ConsoleTexts};
use crate::shell::Shell;
use lab_core::console::forms::key_fields;
use lab_core::console::hints::error_hint;
use lab_core::console::TableView;
use lab_core::AwsError;
use leptos::prelude::*;
use serde_json::{json, Value};

/// What the console needs from its surroundings.
#[derive(Clone, Copy)]
pub(crate) struct Console {
    pub account: Account,
    pub shell: Shell,
    pub tables: Memo<Vec<TableView>>,
    pub selected: RwSignal<Option<String>>,
}

impl Console {
    pub fn c(&self) -> &'static ConsoleTexts {
        console_texts(self.shell.lang.get())
    }

    /// The selected table's view.
    pub fn table(&self) -> Option<TableView> {
        let name = self.selected.get()?;
        self.tables.with(|t| t.iter().find(|t| t.name == name).cloned())
    }

    /// Sends a DynamoDB call; `done` gets the answer.
    pub fn call(&self, action: &str, request: Value, done: impl FnOnce(Result<Value, AwsError>) + 'static) {
        self.account.call("dynamodb", action, request, done);
    }
}

#[component]
pub fn DynamoDbConsole(key: String) -> impl IntoView {
    let shell = expect_context::<Shell>();
    let account = expect_context::<Account>();
    let key = StoredValue::new(key);
    let tables = Memo::new(move |_| key.with_value(|k| view_of(account, k)).map(|v| v.tables).unwrap_or_default());
    let console = Console { account, shell, tables, selected: RwSignal::new(None) };
    provide_context(console);
    // A table that was shown and is gone (deleted) leaves the detail page. A table just created
    // may not be in the view yet: only a disappearance counts.
    Effect::new(move |shown: Option<bool>| {
        let present = console.selected.get().is_some_and(|name| tables.with(|t| t.iter().any(|t| t.name == name)));
        if shown == Some(true) && !present && console.selected.get_untracked().is_some() {
            console.selected.set(None);
        }
        present
    });
    view! {
        <section class="console page" aria-labelledby="console-heading" data-testid="dynamodb-console">
            <h2 id="console-heading">{move || console.c().heading}</h2>
            <p class="muted small-text">{move || console.c().intro}</p>
            <nav class="breadcrumb" aria-label="DynamoDB">
                <button type="button" class="link" data-testid="console-tables" on:click=move |_| console.selected.set(None)>
                    {move || console.c().tables}
                </button>
                {move || console.selected.get().map(|name| view! { <span aria-hidden="true">" › "</span> <strong>{name}</strong> })}
            </nav>
            {move || match console.selected.get() {
                None => view! { <TablesPage/> }.into_any(),
                Some(_) => view! { <TableDetail/> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn TablesPage() -> impl IntoView {
    let console = expect_context::<Console>();
    let creating = RwSignal::new(false);
    let rows = move || {
        console
            .tables
            .get()
            .into_iter()
            .map(|t| {
                let d = &t.description;
                let name = t.name.clone();
                let testid = format!("table-link-{name}");
                view! {
                    <tr>
                        <td><button type="button" class="link" data-testid=testid on:click=move |_| console.selected.set(Some(name.clone()))>{t.name.clone()}</button></td>
                        <td><Status value=d["TableStatus"].as_str().unwrap_or_default().to_string()/></td>
                        <td>{key_label(d, "", false)}</td>
                        <td>{key_label(d, "", true)}</td>
                        <td>{capacity_mode(d)}</td>
                        <td class="num">{d["ItemCount"].as_u64().unwrap_or(0)}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <div class="toolbar">
            <h3>{move || console.c().tables} " (" {move || console.tables.with(Vec::len)} ")"</h3>
            <button type="button" class="primary" data-testid="create-table-open" aria-expanded=move || creating.get().to_string()
                on:click=move |_| creating.update(|c| *c = !*c)>
                {move || if creating.get() { console.c().cancel } else { console.c().create_table }}
            </button>
        </div>
        <Show when=move || creating.get()>
            <forms::CreateTableForm on_created=move |name| { creating.set(false); console.selected.set(Some(name)); }/>
        </Show>
        <Show when=move || !console.tables.with(Vec::is_empty) fallback=move || view! { <p class="muted" data-testid="no-tables">{move || console.c().no_tables}</p> }>
            <div class="grid-wrap">
                <table class="grid" data-testid="tables-list">
                    <thead><tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">{move || console.c().status}</th>
                        <th scope="col">{move || console.c().partition_key}</th>
                        <th scope="col">{move || console.c().sort_key}</th>
                        <th scope="col">{move || console.c().capacity_mode}</th>
                        <th scope="col">{move || console.c().items_count}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </Show>
    }
}

/// `Artist (S)` for the partition key (or the sort key) of a table, or of its index `index` when
/// not empty, in a DescribeTable `Table`; `-` when there is none.
pub(crate) fn key_label(description: &Value, index: &str, sort: bool) -> String {
    let (partition, sort_key) = key_fields(description, index);
    let key = if sort { sort_key } else { partition };
    if key.name.is_empty() {
        "-".into()
    } else {
        format!("{} ({})", key.name, key.kind)
    }
}

fn capacity_mode(description: &Value) -> String {
    match description["BillingModeSummary"]["BillingMode"].as_str() {
        Some("PAY_PER_REQUEST") => "On-demand".into(),
        _ => {
            let t = &description["ProvisionedThroughput"];
            format!(
                "Provisioned ({} RCU, {} WCU)",
                t["ReadCapacityUnits"].as_u64().unwrap_or(0),
                t["WriteCapacityUnits"].as_u64().unwrap_or(0)
            )
        }
    }
}

#[component]
fn Status(value: String) -> impl IntoView {
    let class = match value.as_str() {
        "ACTIVE" | "ENABLED" => "status ok",
        "CREATING" | "UPDATING" | "DELETING" | "ENABLING" | "DISABLING" => "status busy",
        _ => "status",
    };
    view! { <span class=class data-testid="status">{value}</span> }
}

/// An AWS error as AWS shows it, code and message, with a hint under it when there is one.
#[component]
pub(crate) fn ErrorBox(error: AwsError) -> impl IntoView {
    let console = expect_context::<Console>();
    let (code, message) = (error.code.clone(), error.message.clone());
    let hint = move || error_hint(&code, &message, console.shell.lang.get());
    view! {
        <div class="error" role="alert" data-testid="console-error">
            <p><code class="code" data-testid="console-error-code">{error.code.clone()}</code></p>
            <p class="message">{error.message.clone()}</p>
            {move || hint().map(|h| view! {
                <div class="hint" data-testid="console-error-hint"><strong>{move || console.c().hint}</strong>
                    <div inner_html=crate::markdown::render(h)></div></div>
            })}
        </div>
    }
}

/// A problem with a form itself (not from AWS).
#[component]
pub(crate) fn FormProblem(text: String) -> impl IntoView {
    let console = expect_context::<Console>();
    view! { <p class="error" role="alert" data-testid="form-problem">{move || console.c().form_problem} ": " {text.clone()}</p> }
}

/// The outcome of a console action.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Outcome {
    Done,
    Failed(AwsError),
    Form(String),
}

pub(crate) fn outcome_view(outcome: Option<Outcome>) -> impl IntoView {
    outcome.map(|o| match o {
        Outcome::Done => ().into_any(),
        Outcome::Failed(error) => view! { <ErrorBox error=error/> }.into_any(),
        Outcome::Form(text) => view! { <FormProblem text=text/> }.into_any(),
    })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tab {
    Overview,
    Indexes,
    Items,
    Query,
    Capacity,
    Stream,
}

#[component]
fn TableDetail() -> impl IntoView {
    let console = expect_context::<Console>();
    let tab = RwSignal::new(Tab::Overview);
    let status = Memo::new(move |_| {
        console.table().map(|t| t.description["TableStatus"].as_str().unwrap_or_default().to_string())
    });
    let busy = move || status.get().is_some_and(|s| s != "ACTIVE");
    let wait = move |_| console.account.advance(5, |_| ());
    let tabs = [
        (Tab::Overview, "overview"),
        (Tab::Indexes, "indexes"),
        (Tab::Items, "items"),
        (Tab::Query, "query"),
        (Tab::Capacity, "capacity"),
        (Tab::Stream, "stream"),
    ];
    let label = move |t: Tab| {
        let c = console.c();
        match t {
            Tab::Overview => c.tab_overview,
            Tab::Indexes => c.tab_indexes,
            Tab::Items => c.tab_items,
            Tab::Query => c.tab_query,
            Tab::Capacity => c.tab_capacity,
            Tab::Stream => c.tab_stream,
        }
    };
    view! {
        <div class="detail" data-testid="table-detail">
            <div class="toolbar">
                <h3>{move || console.selected.get()}</h3>
                {move || status.get().map(|s| view! { <Status value=s/> })}
            </div>
            <Show when=busy>
                <p class="notice problem small-text" data-testid="table-busy">
                    {move || console.c().transition_note} " "
                    <button type="button" data-testid="table-wait" on:click=wait>{move || console.c().wait}</button>
                </p>
            </Show>
            <div class="tabs" role="tablist" aria-label=move || console.selected.get().unwrap_or_default()>
                {tabs.into_iter().map(|(t, id)| view! {
                    <button type="button" role="tab" id=format!("tab-{id}") data-testid=format!("tab-{id}")
                        aria-selected=move || (tab.get() == t).to_string() aria-controls="tab-panel"
                        on:click=move |_| tab.set(t)>{move || label(t)}</button>
                }).collect_view()}
            </div>
            <div class="tab-panel" id="tab-panel" role="tabpanel">
                {move || match tab.get() {
                    Tab::Overview => view! { <forms::Overview/> }.into_any(),
                    Tab::Indexes => view! { <Indexes/> }.into_any(),
                    Tab::Items => view! { <data::ItemsExplorer/> }.into_any(),
                    Tab::Query => view! { <data::ReadBuilder/> }.into_any(),
                    Tab::Capacity => view! { <data::CapacityChart/> }.into_any(),
                    Tab::Stream => view! { <data::StreamViewer/> }.into_any(),
                }}
            </div>
        </div>
    }
}

#[component]
fn Indexes() -> impl IntoView {
    let console = expect_context::<Console>();
    let rows = move || {
        let Some(table) = console.table() else { return Vec::new() };
        let d = table.description;
        let mut rows = Vec::new();
        for (kind, member) in [("GSI", "GlobalSecondaryIndexes"), ("LSI", "LocalSecondaryIndexes")] {
            for index in d[member].as_array().cloned().unwrap_or_default() {
                let capacity = match (&index["ProvisionedThroughput"]["ReadCapacityUnits"], kind) {
                    (Value::Number(r), "GSI") if r.as_u64() != Some(0) => format!(
                        "{r} RCU, {} WCU",
                        index["ProvisionedThroughput"]["WriteCapacityUnits"].as_u64().unwrap_or(0)
                    ),
                    _ => "-".into(),
                };
                rows.push(view! {
                    <tr>
                        <td>{index["IndexName"].as_str().unwrap_or_default().to_string()}</td>
                        <td>{kind}</td>
                        <td>{index["IndexStatus"].as_str().unwrap_or("ACTIVE").to_string()}</td>
                        <td>{key_label(&d, index["IndexName"].as_str().unwrap_or_default(), false)}</td>
                        <td>{key_label(&d, index["IndexName"].as_str().unwrap_or_default(), true)}</td>
                        <td>{index["Projection"]["ProjectionType"].as_str().unwrap_or_default().to_string()}</td>
                        <td>{capacity}</td>
                        <td class="num">{index["ItemCount"].as_u64().unwrap_or(0)}</td>
                    </tr>
                });
            }
        }
        rows
    };
    view! {
        <Show when=move || !rows().is_empty() fallback=move || view! { <p class="muted">{move || console.c().no_indexes}</p> }>
            <div class="grid-wrap">
                <table class="grid" data-testid="indexes">
                    <thead><tr>
                        <th scope="col">{move || console.c().index_name}</th>
                        <th scope="col">{move || console.c().index_kind}</th>
                        <th scope="col">{move || console.c().status}</th>
                        <th scope="col">{move || console.c().partition_key}</th>
                        <th scope="col">{move || console.c().sort_key}</th>
                        <th scope="col">{move || console.c().projection}</th>
                        <th scope="col">{move || console.c().capacity_mode}</th>
                        <th scope="col">{move || console.c().items_count}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </Show>
    }
}

/// A request as the console shows it before or after sending.
#[component]
pub(crate) fn RequestView(
    #[prop(into)] label: Signal<&'static str>,
    text: Signal<String>,
    testid: &'static str,
) -> impl IntoView {
    view! {
        <details class="request">
            <summary>{label}</summary>
            <pre data-testid=testid><code>{text}</code></pre>
        </details>
    }
}

/// Pretty JSON text.
pub(crate) fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

/// The ARN-free stream summary: `NEW_AND_OLD_IMAGES` or "off".
pub(crate) fn stream_view_type(description: &Value) -> Option<String> {
    (description["StreamSpecification"]["StreamEnabled"] == json!(true))
        .then(|| description["StreamSpecification"]["StreamViewType"].as_str().unwrap_or_default().to_string())
}
