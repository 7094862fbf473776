//! The catalog: every lab with its progress, and the sandbox.

use crate::i18n::fill;
use crate::labs::{CatalogState, LabSlot, Labs};
use crate::route::Route;
use crate::shell::{mark_catalog_interactive, Shell};
use lab_core::console::menu;
use lab_core::lab::{Lab, LabError};
use leptos::prelude::*;
use std::sync::Arc;

#[component]
pub fn CatalogPage() -> impl IntoView {
    let shell = expect_context::<Shell>();
    let labs = expect_context::<Labs>();
    Effect::new(move |_| {
        if labs.settled() {
            mark_catalog_interactive();
        }
    });
    view! {
        <section class="page">
            <h1>{move || shell.t().catalog_title}</h1>
            <p class="lead">{move || shell.t().catalog_intro}</p>
            <p class="muted small-text">
                {move || shell.t().simulated_note} " "
                <a href="#/about/differences" data-testid="differences-link">{move || shell.t().differences_link}</a>
            </p>
            {move || match labs.catalog.get() {
                CatalogState::Loading => view! { <p role="status">{move || shell.t().labs_loading}</p> }.into_any(),
                CatalogState::Failed(errors) => view! {
                    <ErrorCard id="catalog".to_string() title=move || shell.t().catalog_failed.to_string() errors=errors/>
                }.into_any(),
                CatalogState::Loaded(entries) => view! {
                    <ul class="cards" data-testid="catalog">
                        {entries.into_iter().map(|(id, slot)| match slot {
                            LabSlot::Ready(lab) => view! { <LabCard lab=lab/> }.into_any(),
                            LabSlot::Loading => view! { <li class="card loading" aria-busy="true">{id}</li> }.into_any(),
                            LabSlot::Failed(errors) => {
                                let title = id.clone();
                                view! {
                                    <ErrorCard id=id.clone()
                                        title=move || format!("{} {title}", shell.t().lab_failed) errors=errors/>
                                }.into_any()
                            }
                        }).collect_view()}
                        <li class="card sandbox">
                            <h2><a href="#/sandbox/sts" data-testid="open-sandbox">{move || shell.t().sandbox_title}</a></h2>
                            <p>{move || shell.t().sandbox_intro}</p>
                            <p class="meta services">{move || shell.t().sandbox_consoles} " "
                                {menu::entries().map(|e| view! {
                                    <a href=Route::Sandbox { service: e.service.into() }.href()
                                        data-testid=format!("open-sandbox-{}", e.service)>{e.name}</a> " "
                                }).collect_view()}
                            </p>
                        </li>
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn LabCard(lab: Arc<Lab>) -> impl IntoView {
    let shell = expect_context::<Shell>();
    let id = lab.id.clone();
    let first = lab.steps.first().map(|s| s.id.clone());
    let href = Route::Lab { lab: id.clone(), step: first }.href();
    let total = lab.steps.len();
    let done = {
        let id = id.clone();
        move || shell.progress.with(|p| p.done_count(&id))
    };
    let title = {
        let lab = lab.clone();
        move || lab.title.get(shell.lang.get()).to_string()
    };
    let summary = {
        let lab = lab.clone();
        move || lab.summary.get(shell.lang.get()).to_string()
    };
    let done_text = {
        let done = done.clone();
        move || fill(shell.t().steps_done, &[&done(), &total])
    };
    view! {
        <li class="card" data-testid=format!("lab-card-{id}")>
            <h2><a href=href data-testid=format!("open-lab-{id}")>{title}</a></h2>
            <p>{summary}</p>
            <p class="meta">
                <span>{lab.minutes} " " {move || shell.t().minutes}</span>
                <span>{lab.services.join(", ")}</span>
            </p>
            <div class="progress">
                <progress max=total value=done.clone() aria-label=done_text.clone()></progress>
                <span data-testid=format!("lab-progress-{id}")>{done_text}</span>
            </div>
        </li>
    }
}

/// A lab (or the catalog) that could not be loaded, with every located error.
#[component]
pub fn ErrorCard(
    id: String,
    title: impl Fn() -> String + Send + Sync + 'static,
    errors: Vec<LabError>,
) -> impl IntoView {
    let shell = expect_context::<Shell>();
    view! {
        <li class="card failed" role="alert" data-testid=format!("lab-error-{id}")>
            <h2>{title}</h2>
            <ul class="errors">
                {errors.into_iter().map(|e| view! { <li><code>{e.to_string()}</code></li> }).collect_view()}
            </ul>
            <p class="muted">{move || shell.t().lab_failed_help}</p>
        </li>
    }
}
