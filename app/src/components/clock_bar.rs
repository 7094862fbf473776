//! The virtual clock: the time in UTC (what AWS schedules use) and in Vietnam (ICT, UTC+7),
//! how much has elapsed, and buttons to move it forward.

use super::{clock_date, clock_time, view_of};
use crate::account::Account;
use crate::shell::Shell;
use lab_core::lab::check::duration;
use leptos::prelude::*;

#[component]
pub fn ClockBar(key: String) -> impl IntoView {
    let shell = expect_context::<Shell>();
    let account = expect_context::<Account>();
    let seconds = RwSignal::new(String::from("3600"));
    let problem = RwSignal::new(None::<String>);
    let key = StoredValue::new(key);
    let view = move || key.with_value(|key| view_of(account, key));
    let advance = move |secs: u64| {
        problem.set(None);
        account.advance(secs, move |result| {
            if let Err(err) = result {
                problem.set(Some(err.to_string()));
            }
        });
    };
    let advance_custom = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match seconds.get_untracked().trim().parse::<u64>() {
            Ok(secs) => advance(secs),
            Err(_) => problem.set(Some(shell.t().clock_bad_seconds.to_string())),
        }
    };
    view! {
        <section class="clock" aria-labelledby="clock-heading" data-testid="clock">
            <h2 id="clock-heading" class="small">{move || shell.t().clock_heading}</h2>
            <p class="now" data-testid="clock-now" aria-live="polite">
                {move || view().map(|v| view! {
                    <span class="utc"><time>{clock_date(v.now_ms, 0)} " " {clock_time(v.now_ms, 0)}</time> " UTC"</span>
                    <span class="ict"><time>{clock_time(v.now_ms, 7)}</time> " ICT"</span>
                    <span class="elapsed" data-testid="clock-elapsed">
                        {move || shell.t().clock_elapsed} " "
                        {duration((v.now_ms - v.started_ms) / 1000, shell.lang.get())}
                    </span>
                })}
            </p>
            <div class="advance" role="group" aria-label=move || shell.t().clock_advance>
                <button type="button" data-testid="advance-60" on:click=move |_| advance(60)>{move || shell.t().clock_plus_minute}</button>
                <button type="button" data-testid="advance-3600" on:click=move |_| advance(3600)>{move || shell.t().clock_plus_hour}</button>
                <button type="button" data-testid="advance-86400" on:click=move |_| advance(86_400)>{move || shell.t().clock_plus_day}</button>
                <form on:submit=advance_custom>
                    <label for="advance-seconds">{move || shell.t().clock_seconds}</label>
                    <input id="advance-seconds" type="number" min="0" step="1" inputmode="numeric" data-testid="advance-seconds"
                        prop:value=move || seconds.get() on:input=move |ev| seconds.set(event_target_value(&ev))/>
                    <button type="submit" data-testid="advance-custom">{move || shell.t().clock_advance}</button>
                </form>
            </div>
            {move || problem.get().map(|p| view! { <p class="error" role="alert">{p}</p> })}
        </section>
    }
}
