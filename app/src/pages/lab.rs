//! A lab: its steps with live check status, the current step's prose, "check my work", hints,
//! the API panel, the clock bar and the timeline.

use super::catalog::ErrorCard;
use crate::account::Account;
use crate::components::{
    api_panel::ApiPanel, clock_bar::ClockBar, dynamodb::DynamoDbConsole, timeline::Timeline, view_of,
};
use crate::labs::{LabSlot, Labs, Prose};
use crate::markdown;
use crate::route::Route;
use crate::shell::Shell;
use lab_core::lab::{next_hint, Check, Lab};
use leptos::prelude::*;
use std::sync::Arc;

#[component]
pub fn LabPage(lab_id: String) -> impl IntoView {
    let shell = expect_context::<Shell>();
    let labs = expect_context::<Labs>();
    let id = StoredValue::new(lab_id);
    let slot = Memo::new(move |_| id.with_value(|id| labs.lab(id)));
    move || {
        match slot.get() {
        Some(LabSlot::Ready(lab)) => view! { <LabView lab=lab/> }.into_any(),
        Some(LabSlot::Failed(errors)) => view! {
            <section class="page"><ul class="cards">
                <ErrorCard id=id.get_value() title=move || format!("{} {}", shell.t().lab_failed, id.get_value()) errors=errors/>
            </ul></section>
        }
        .into_any(),
        Some(LabSlot::Loading) => view! { <p class="page" role="status">{move || shell.t().labs_loading}</p> }.into_any(),
        None if labs.settled() => view! {
            <section class="page narrow">
                <h1>{move || shell.t().not_found}</h1>
                <p><a href="#/">{move || shell.t().back_to_catalog}</a></p>
            </section>
        }
        .into_any(),
        None => view! { <p class="page" role="status">{move || shell.t().labs_loading}</p> }.into_any(),
    }
    }
}

/// What "check my work" found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum CheckOutcome {
    Passed,
    Failed,
    /// The engine has not reported the account yet.
    Waiting,
}

/// Whether step `index` passes in the latest view of `key`'s account.
fn step_passing(account: Account, key: &str, index: usize) -> bool {
    view_of(account, key).and_then(|v| v.status.get(index).map(|s| s.passed())).unwrap_or(false)
}

#[component]
fn LabView(lab: Arc<Lab>) -> impl IntoView {
    let shell = expect_context::<Shell>();
    let account = expect_context::<Account>();
    let labs = expect_context::<Labs>();
    let key = format!("lab:{}", lab.id);
    let lab = StoredValue::new(lab);
    let key = StoredValue::new(key);

    // Open this lab's account now, and again whenever stored data is replaced.
    Effect::new(move |_| {
        shell.generation.track();
        let lab = lab.get_value();
        let checks = lab.steps.iter().map(|s| s.checks.iter().map(|c| c.check.clone()).collect()).collect();
        account.open(&key.get_value(), lab.setup.clone(), checks, lab.services.clone());
    });

    let index = Memo::new(move |_| {
        let wanted = match shell.route.get() {
            Route::Lab { step, .. } => step,
            _ => None,
        };
        lab.with_value(|lab| wanted.and_then(|w| lab.steps.iter().position(|s| s.id == w)).unwrap_or(0))
    });
    let result = RwSignal::new(None::<CheckOutcome>);
    Effect::new(move |_| {
        index.track();
        result.set(None);
    });

    let step_link = move |i: usize| {
        lab.with_value(|lab| Route::Lab { lab: lab.id.clone(), step: Some(lab.steps[i].id.clone()) }.href())
    };
    let steps_nav = move || {
        lab.with_value(|l| {
            l.steps
                .iter()
                .enumerate()
                .map(|(i, step)| {
                    let step_id = step.id.clone();
                    let title = step.title.clone();
                    let lab_id = l.id.clone();
                    let state = Memo::new(move |_| {
                        if shell.progress.with(|p| p.is_done(&lab_id, &step_id)) {
                            ("done", "✓", shell.t().step_done)
                        } else if key.with_value(|k| step_passing(account, k, i)) {
                            ("passing", "●", shell.t().step_passing)
                        } else {
                            ("todo", "○", shell.t().step_todo)
                        }
                    });
                    view! {
                        <li data-state=move || state.get().0 data-testid=format!("step-{}", step.id)>
                            <a href=step_link(i) aria-current=move || (index.get() == i).then_some("step")>
                                <span class="icon" aria-hidden="true">{move || state.get().1}</span>
                                <span>{i + 1} ". " {move || title.get(shell.lang.get()).to_string()}</span>
                                <span class="visually-hidden">" (" {move || state.get().2} ")"</span>
                            </a>
                        </li>
                    }
                })
                .collect_view()
        })
    };

    let prose = move || {
        let (lab_id, step_id) = lab.with_value(|l| (l.id.clone(), l.steps[index.get()].id.clone()));
        match labs.prose(&lab_id, &step_id, shell.lang.get()) {
            Prose::Loading => view! { <p role="status">{move || shell.t().prose_loading}</p> }.into_any(),
            Prose::Ready(html) => view! { <div class="prose" data-testid="prose" inner_html=html></div> }.into_any(),
            Prose::Failed(why) => view! {
                <div class="error" role="alert" data-testid="prose-error">
                    <p>{move || shell.t().prose_failed}</p><p><code>{why.clone()}</code></p>
                </div>
            }
            .into_any(),
        }
    };

    let checks = move || {
        let i = index.get();
        let verdicts = key.with_value(|k| view_of(account, k)).and_then(|v| v.status.get(i).cloned());
        lab.with_value(|l| {
            l.steps[i]
                .checks
                .iter()
                .enumerate()
                .map(|(n, spec)| {
                    let verdict = verdicts.as_ref().and_then(|s| s.checks.get(n).cloned());
                    let passed = verdict.as_ref().is_some_and(|v| v.passed);
                    let label = spec.label(shell.lang.get());
                    let answer = match &spec.check {
                        Check::Answer(a) => Some(a.id.clone()),
                        _ => None,
                    };
                    let given = verdict.as_ref().and_then(|v| v.found.clone()).unwrap_or_default();
                    view! {
                        <li data-testid=format!("check-{n}") data-passed=passed.to_string() class:passed=passed>
                            <span class="icon" aria-hidden="true">{if passed { "✓" } else { "✗" }}</span>
                            <span>{label}</span>
                            {answer.map(|id| view! { <AnswerBox id=id given=given/> })}
                            <span class="visually-hidden">
                                " (" {if passed { shell.t().check_passed } else { shell.t().check_failed }} ")"
                            </span>
                        </li>
                    }
                })
                .collect_view()
        })
    };

    let check_work = move |_| {
        let i = index.get_untracked();
        let Some(view) = key.with_value(|k| account.view.get_untracked().filter(|v| v.key == *k)) else {
            result.set(Some(CheckOutcome::Waiting));
            return;
        };
        let passed = view.status.get(i).is_some_and(|s| s.passed());
        let (lab_id, step_id) = lab.with_value(|l| (l.id.clone(), l.steps[i].id.clone()));
        shell.progress.update(|p| {
            let step = p.step_mut(&lab_id, &step_id);
            step.checks_run += 1;
            if passed && step.done_at_ms.is_none() {
                step.done_at_ms = Some(js_sys::Date::now() as u64);
            }
        });
        result.set(Some(if passed { CheckOutcome::Passed } else { CheckOutcome::Failed }));
    };

    let revealed = move || {
        let i = index.get();
        lab.with_value(|l| shell.progress.with(|p| p.step(&l.id, &l.steps[i].id).map(|s| s.hints.clone())))
            .unwrap_or_default()
    };
    let next = move || {
        let i = index.get();
        let last_error = key.with_value(|k| view_of(account, k)).and_then(|v| v.last_error);
        lab.with_value(|l| next_hint(&l.steps[i], &revealed(), last_error.as_deref()))
    };
    let show_hint = move |_| {
        if let Some(hint) = next() {
            let i = index.get_untracked();
            let (lab_id, step_id) = lab.with_value(|l| (l.id.clone(), l.steps[i].id.clone()));
            shell.progress.update(|p| p.step_mut(&lab_id, &step_id).hints.push(hint));
        }
    };
    let hints = move || {
        let i = index.get();
        lab.with_value(|l| {
            revealed()
                .into_iter()
                .filter_map(|h| l.steps[i].hints.get(h))
                .map(|hint| {
                    let html = markdown::render(hint.text(shell.lang.get()));
                    view! { <li class="prose" data-testid="hint" inner_html=html></li> }
                })
                .collect_view()
        })
    };

    let is_last = move || lab.with_value(|l| index.get() + 1 == l.steps.len());
    let title = move || lab.with_value(|l| l.title.get(shell.lang.get()).to_string());
    view! {
        <div class="workspace lab">
            <nav class="steps" aria-labelledby="steps-heading" data-testid="steps">
                <p class="lab-title">{title}</p>
                <h2 id="steps-heading" class="small">{move || shell.t().steps_heading}</h2>
                <ol>{steps_nav}</ol>
            </nav>
            <div class="main-column">
                <article class="page step" data-testid="step">
                    {prose}
                    <section class="checks" aria-labelledby="checks-heading" data-testid="checks">
                        <h2 id="checks-heading" class="small">{move || shell.t().checks_heading}</h2>
                        <ul>{checks}</ul>
                        <button type="button" class="primary" data-testid="check-work" on:click=check_work>
                            {move || shell.t().check_work}
                        </button>
                        <p role="status" data-testid="check-result" class="check-result">
                            {move || match result.get() {
                                Some(CheckOutcome::Passed) => shell.t().check_result_pass,
                                Some(CheckOutcome::Failed) => shell.t().check_result_fail,
                                Some(CheckOutcome::Waiting) => shell.t().check_waiting,
                                None => "",
                            }}
                        </p>
                        <Show when=move || result.get() == Some(CheckOutcome::Passed)>
                            {move || if is_last() {
                                view! { <p class="done" data-testid="lab-complete">{move || shell.t().lab_complete}</p> }.into_any()
                            } else {
                                view! { <a class="button primary" data-testid="next-step" href=move || step_link(index.get() + 1)>
                                    {move || shell.t().next_step} " →"
                                </a> }.into_any()
                            }}
                        </Show>
                    </section>
                    <section class="hints" aria-labelledby="hints-heading">
                        <h2 id="hints-heading" class="small">{move || shell.t().hints_heading}</h2>
                        <ol>{hints}</ol>
                        {move || if next().is_some() {
                            view! { <button type="button" data-testid="show-hint" on:click=show_hint>{move || shell.t().show_hint}</button> }.into_any()
                        } else {
                            view! { <p class="muted">{move || shell.t().no_more_hints}</p> }.into_any()
                        }}
                    </section>
                </article>
                <ClockBar key=key.get_value()/>
                {lab.with_value(|l| l.services.iter().any(|s| s == "dynamodb")).then(|| view! { <DynamoDbConsole/> })}
                <ApiPanel service=lab.with_value(|l| l.services.first().cloned().unwrap_or_else(|| "sts".into()))/>
            </div>
            <aside class="side-column">
                <Timeline key=key.get_value()/>
            </aside>
        </div>
    }
}

/// The answer box of a quiz check: the learner's number goes to the engine, which records it
/// and checks it like any other check.
#[component]
fn AnswerBox(id: String, given: String) -> impl IntoView {
    let shell = expect_context::<Shell>();
    let account = expect_context::<Account>();
    let value = RwSignal::new(given);
    let input_id = format!("answer-{id}");
    let testid = input_id.clone();
    let id = StoredValue::new(id);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        account.answer(&id.get_value(), value.get_untracked().trim());
    };
    view! {
        <form class="answer" on:submit=submit>
            <label for=input_id.clone()>{move || shell.t().answer_label}</label>
            <input id=input_id type="text" inputmode="decimal" autocomplete="off" data-testid=testid
                prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
            <button type="submit" data-testid=format!("answer-{}-submit", id.get_value())>{move || shell.t().answer_submit}</button>
        </form>
    }
}
