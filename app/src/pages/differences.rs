//! Where the simulator deliberately differs from AWS: docs/differences(.vi).md, rendered.

use crate::labs::fetch_text;
use crate::markdown;
use crate::shell::Shell;
use lab_core::lab::Lang;
use leptos::prelude::*;

#[component]
pub fn DifferencesPage() -> impl IntoView {
    let shell = expect_context::<Shell>();
    let page = LocalResource::new(move || {
        let file = match shell.lang.get() {
            Lang::Vi => "docs/differences.vi.md",
            Lang::En => "docs/differences.md",
        };
        async move { fetch_text(file).await.map(|text| markdown::render(&text)).map_err(|err| format!("{file}: {err}")) }
    });
    view! {
        <section class="page" data-testid="differences">
            {move || match page.get() {
                None => view! { <p role="status">{move || shell.t().prose_loading}</p> }.into_any(),
                Some(Ok(html)) => view! { <div class="prose wide" inner_html=html></div> }.into_any(),
                Some(Err(why)) => view! { <p class="error" role="alert"><code>{why}</code></p> }.into_any(),
            }}
        </section>
    }
}
