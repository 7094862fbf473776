//! The DynamoDB console: tables list, create-table form and table detail (overview, indexes,
//! items, query & scan, capacity, stream), named and laid out like the AWS console.
//!
//! What it shows comes from the engine's read model (`lab_core::console::ReadModel::Dynamodb`);
//! what it does is a real API call through [`Account::call`], with a request built by
//! `lab_core::console::forms`, recorded in the timeline like any other. Its pieces (errors,
//! outcomes, requests, badges, tabs, grids) are the console kit's (`components/kit/`).

mod data;
mod forms;

use super::kit::{Grid, Outcome, StatusBadge, TabBar};
use crate::account::Account;
use crate::console_texts::{console_texts, ConsoleTexts};
use crate::shell::Shell;
use lab_core::console::forms::{capacity_label, key_fields};
use lab_core::console::{ReadModel, TableView};
use lab_core::AwsError;
use leptos::prelude::*;
use serde_json::Value;

/// The service this console speaks to.
const SERVICE: &str = "dynamodb";

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

    /// One of the console's texts, following the language.
    pub fn text(&self, text: fn(&ConsoleTexts) -> &'static str) -> Signal<&'static str> {
        let console = *self;
        Signal::derive(move || text(console.c()))
    }

    /// The selected table's view.
    pub fn table(&self) -> Option<TableView> {
        let name = self.selected.get()?;
        self.tables.with(|t| t.iter().find(|t| t.name == name).cloned())
    }

    /// Sends a DynamoDB call; `done` gets the answer.
    pub fn call(&self, action: &str, request: Value, done: impl FnOnce(Result<Value, AwsError>) + 'static) {
        self.account.call(SERVICE, action, request, done);
    }

    /// Sends a DynamoDB call; `outcome` gets what came of it.
    pub fn send(&self, action: &str, request: Value, outcome: RwSignal<Option<Outcome>>) {
        outcome.set(None);
        self.call(action, request, move |result| outcome.set(Some(Outcome::of(SERVICE, result))));
    }
}

/// The outcome of a failed DynamoDB call.
pub(crate) fn failed(error: AwsError) -> Outcome {
    Outcome::Failed { service: SERVICE.to_string(), error }
}

/// The DynamoDB console of the active account (the page asked the engine for DynamoDB's read
/// model when it opened the account).
#[component]
pub fn DynamoDbConsole() -> impl IntoView {
    let shell = expect_context::<Shell>();
    let account = expect_context::<Account>();
    let tables = Memo::new(move |_| match account.model(SERVICE) {
        Some(ReadModel::Dynamodb { tables }) => tables,
        _ => Vec::new(),
    });
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
                        <td><StatusBadge value=d["TableStatus"].as_str().unwrap_or_default()/></td>
                        <td>{key_label(d, "", false)}</td>
                        <td>{key_label(d, "", true)}</td>
                        <td>{capacity_label(d)}</td>
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
            <Grid testid="tables-list" columns=vec![
                Signal::derive(|| "Name"), console.text(|c| c.status), console.text(|c| c.partition_key),
                console.text(|c| c.sort_key), console.text(|c| c.capacity_mode), console.text(|c| c.items_count),
            ]>
                <tbody>{rows}</tbody>
            </Grid>
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

#[component]
fn TableDetail() -> impl IntoView {
    let console = expect_context::<Console>();
    let tab = RwSignal::new("overview");
    let status = Memo::new(move |_| {
        console.table().map(|t| t.description["TableStatus"].as_str().unwrap_or_default().to_string())
    });
    let busy = move || status.get().is_some_and(|s| s != "ACTIVE");
    let wait = move |_| console.account.advance(5, |_| ());
    let tabs = vec![
        ("overview", console.text(|c| c.tab_overview)),
        ("indexes", console.text(|c| c.tab_indexes)),
        ("items", console.text(|c| c.tab_items)),
        ("query", console.text(|c| c.tab_query)),
        ("capacity", console.text(|c| c.tab_capacity)),
        ("stream", console.text(|c| c.tab_stream)),
    ];
    view! {
        <div class="detail" data-testid="table-detail">
            <div class="toolbar">
                <h3>{move || console.selected.get()}</h3>
                {move || status.get().map(|s| view! { <StatusBadge value=s/> })}
            </div>
            <Show when=busy>
                <p class="notice problem small-text" data-testid="table-busy">
                    {move || console.c().transition_note} " "
                    <button type="button" data-testid="table-wait" on:click=wait>{move || console.c().wait}</button>
                </p>
            </Show>
            <TabBar tabs=tabs selected=tab label=Signal::derive(move || console.selected.get().unwrap_or_default())/>
            <div class="tab-panel" id="tab-panel" role="tabpanel" aria-labelledby=move || format!("tab-{}", tab.get())>
                {move || match tab.get() {
                    "indexes" => view! { <Indexes/> }.into_any(),
                    "items" => view! { <data::ItemsExplorer/> }.into_any(),
                    "query" => view! { <data::ReadBuilder/> }.into_any(),
                    "capacity" => view! { <data::CapacityChart/> }.into_any(),
                    "stream" => view! { <data::StreamViewer/> }.into_any(),
                    _ => view! { <forms::Overview/> }.into_any(),
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
            <Grid testid="indexes" columns=vec![
                console.text(|c| c.index_name), console.text(|c| c.index_kind), console.text(|c| c.status),
                console.text(|c| c.partition_key), console.text(|c| c.sort_key), console.text(|c| c.projection),
                console.text(|c| c.capacity_mode), console.text(|c| c.items_count),
            ]>
                <tbody>{rows}</tbody>
            </Grid>
        </Show>
    }
}

/// The ARN-free stream summary: `NEW_AND_OLD_IMAGES` or "off".
pub(crate) fn stream_view_type(description: &Value) -> Option<String> {
    (description["StreamSpecification"]["StreamEnabled"].as_bool() == Some(true))
        .then(|| description["StreamSpecification"]["StreamViewType"].as_str().unwrap_or_default().to_string())
}
