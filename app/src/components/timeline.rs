//! The timeline: the Observed log of the active account, newest first.

use super::{clock_time, view_of};
use crate::account::Account;
use crate::shell::Shell;
use lab_core::effect::Principal;
use lab_core::observed::{Event, ObservedEvent};
use leptos::prelude::*;

#[component]
pub fn Timeline(key: String) -> impl IntoView {
    let shell = expect_context::<Shell>();
    let account = expect_context::<Account>();
    let key = StoredValue::new(key);
    let view = Memo::new(move |_| key.with_value(|key| view_of(account, key)));
    let events = move || view.get().map(|v| v.events.into_iter().rev().collect::<Vec<_>>()).unwrap_or_default();
    let hidden = move || view.get().map_or(0, |v| v.total_events - v.events.len() as u64);
    view! {
        <section class="timeline" aria-labelledby="timeline-heading" data-testid="timeline">
            <h2 id="timeline-heading" class="small">{move || shell.t().timeline_heading}</h2>
            <Show when=move || !events().is_empty() fallback=move || view! { <p class="muted">{move || shell.t().timeline_empty}</p> }>
                <ol reversed>
                    <For each=events key=|e| e.seq let:event>
                        <TimelineEvent event=event/>
                    </For>
                </ol>
            </Show>
            <Show when=move || hidden() != 0>
                <p class="muted">{hidden} " " {move || shell.t().timeline_older}</p>
            </Show>
        </section>
    }
}

#[component]
fn TimelineEvent(event: ObservedEvent) -> impl IntoView {
    let shell = expect_context::<Shell>();
    let time = clock_time(event.at_ms, 0);
    match event.event {
        Event::Call { service, action, error, caller, cause, .. } => {
            let ok = error.is_none();
            // A call a service made for the learner: who made it, and which request it follows from.
            let made = caller != Principal::Learner;
            let hop = made.then(|| {
                let cause = cause.unwrap_or_default();
                let label = caller.label();
                view! {
                    <span class="hop" data-testid="timeline-hop" title=move || format!("{} {cause}", shell.t().timeline_caused_by)>
                        "↳ " {move || shell.t().timeline_made_by} " " <code>{label.clone()}</code>
                    </span>
                }
            });
            view! {
                <li data-testid="timeline-event" class:failed=!ok class:made=made>
                    <time>{time}</time>
                    <span class="what"><code>{service}</code> " " <strong>{action}</strong></span>
                    {hop}
                    {match error {
                        None => view! { <span class="outcome ok" aria-label="OK">"✓"</span> }.into_any(),
                        Some(error) => view! { <span class="outcome failed" title=error.message>"✗ " <code>{error.code}</code></span> }.into_any(),
                    }}
                </li>
            }
            .into_any()
        }
        Event::Effect { from, to, summary, delivered } => view! {
            <li data-testid="timeline-event" class="effect">
                <time>{time}</time>
                <span class="what"><code>{from}</code> " → " <code>{to}</code> " " {summary}</span>
                {(!delivered).then(|| view! { <span class="outcome muted">{move || shell.t().timeline_not_delivered}</span> })}
            </li>
        }
        .into_any(),
        Event::Answer { id, value } => view! {
            <li data-testid="timeline-event" class="advance">
                <time>{time}</time>
                <span class="what">{move || shell.t().timeline_answer} " " <code>{id.clone()}</code> " = " <strong>{value.clone()}</strong></span>
            </li>
        }
        .into_any(),
        Event::Advance { to_ms, .. } => view! {
            <li data-testid="timeline-event" class="advance">
                <time>{time}</time>
                <span class="what">{move || shell.t().timeline_clock} " " {clock_time(to_ms, 0)} " UTC"</span>
            </li>
        }
        .into_any(),
    }
}
