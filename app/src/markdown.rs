//! Lab prose: Markdown to HTML that is safe to put in the page.
//!
//! Lab files may come from anyone an instructor trusts less than the page: no HTML they contain
//! is ever interpreted. Raw HTML blocks and inline tags are shown as text, and link and image
//! addresses are kept only for http(s), mailto and relative URLs. What remains is the HTML
//! pulldown-cmark itself writes, which escapes all text and attributes.

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag};

pub fn render(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let events = Parser::new_ext(markdown, options).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
            Event::Start(Tag::Link { link_type, dest_url: safe_url(dest_url), title, id })
        }
        Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
            Event::Start(Tag::Image { link_type, dest_url: safe_url(dest_url), title, id })
        }
        other => other,
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
}

/// The URL itself when its scheme is harmless, `#` otherwise (`javascript:`, `data:`...).
fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
    let lower = url.trim().to_ascii_lowercase();
    let scheme_end = lower.find([':', '/', '?', '#']);
    let has_scheme = scheme_end.is_some_and(|i| lower.as_bytes()[i] == b':');
    let allowed = !has_scheme || ["http:", "https:", "mailto:"].iter().any(|s| lower.starts_with(s));
    if allowed {
        url
    } else {
        CowStr::Borrowed("#")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(markdown: &str, expect: &str) {
        assert_eq!(render(markdown), expect);
    }

    #[test]
    fn renders_markdown() {
        check("# Hi\n\n**bold** `code`", "<h1>Hi</h1>\n<p><strong>bold</strong> <code>code</code></p>\n");
        check(
            "| a |\n|---|\n| b |",
            "<table><thead><tr><th>a</th></tr></thead><tbody>\n<tr><td>b</td></tr>\n</tbody></table>\n",
        );
        check("[docs](https://docs.aws.amazon.com/)", "<p><a href=\"https://docs.aws.amazon.com/\">docs</a></p>\n");
        check("[next](#/labs/x/y)", "<p><a href=\"#/labs/x/y\">next</a></p>\n");
    }

    #[test]
    fn never_passes_html_or_scripts_through() {
        check("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;");
        check("a <img src=x onerror=alert(1)> b", "<p>a &lt;img src=x onerror=alert(1)&gt; b</p>\n");
        check("[x](javascript:alert(1))", "<p><a href=\"#\">x</a></p>\n");
        check("[x]( JavaScript:alert(1))", "<p><a href=\"#\">x</a></p>\n");
        check("![x](data:text/html;base64,AAAA)", "<p><img src=\"#\" alt=\"x\" /></p>\n");
        check("[x](\"onmouseover=alert(1))", "<p><a href=\"%22onmouseover=alert(1)\">x</a></p>\n");
    }
}
