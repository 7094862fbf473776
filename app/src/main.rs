//! The UI's entry point: mount the app on the page.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(lab_app::App);
}
