//! A resource grid (tables, indexes, items...) that scrolls sideways inside its own box on a
//! narrow screen, and the pager under it (first page, next page from a LastEvaluatedKey).

use crate::shell::Shell;
use leptos::prelude::*;

/// The grid: a header row of `columns` (when given), then `children`, its `<tbody>` (and its own
/// `<thead>` when its columns are not known in advance).
#[component]
pub fn Grid(
    testid: &'static str,
    #[prop(optional)] columns: Vec<Signal<&'static str>>,
    #[prop(optional)] compact: bool,
    children: Children,
) -> impl IntoView {
    let head = (!columns.is_empty()).then(|| {
        view! { <thead><tr>{columns.into_iter().map(|c| view! { <th scope="col">{c}</th> }).collect_view()}</tr></thead> }
    });
    view! {
        <div class="grid-wrap">
            <table class="grid" class:compact=compact data-testid=testid>{head}{children()}</table>
        </div>
    }
}

/// "First page" when this page is not the first, "Next page" when there is one. The next button
/// is `<testid>-next`.
#[component]
pub fn Pager(
    #[prop(optional_no_strip)] first: Option<Callback<()>>,
    #[prop(optional_no_strip)] next: Option<Callback<()>>,
    testid: &'static str,
) -> impl IntoView {
    let shell = expect_context::<Shell>();
    (first.is_some() || next.is_some()).then(|| {
        view! {
            <div class="row pager">
                {first.map(|f| view! {
                    <button type="button" data-testid=format!("{testid}-first") on:click=move |_| f.run(())>{move || shell.t().kit_first_page}</button>
                })}
                {next.map(|f| view! {
                    <button type="button" data-testid=format!("{testid}-next") on:click=move |_| f.run(())>{move || shell.t().kit_next_page}</button>
                })}
            </div>
        }
    })
}
