//! Where the learner is, kept in the URL's fragment: `#/`, `#/labs/<lab>/<step>`,
//! `#/sandbox/<service>`.
//!
//! Hash routes need no server rewrite rules, so the built files work from any static host and
//! under any base path (a GitHub Pages project site, a folder on a university server...).

/// A page of the app.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    Catalog,
    /// A lab, at a step (the first one when `step` is `None`).
    Lab {
        lab: String,
        step: Option<String>,
    },
    Sandbox {
        service: String,
    },
    /// Where the simulator deliberately differs from AWS.
    Differences,
    NotFound(String),
}

impl Route {
    /// Reads a `location.hash` (with or without its leading `#`).
    pub fn parse(hash: &str) -> Route {
        let path = hash.trim_start_matches('#').trim_start_matches('/');
        let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        match parts.as_slice() {
            [] => Route::Catalog,
            ["labs", lab] => Route::Lab { lab: lab.to_string(), step: None },
            ["labs", lab, step] => Route::Lab { lab: lab.to_string(), step: Some(step.to_string()) },
            ["sandbox"] => Route::Sandbox { service: "sts".into() },
            ["sandbox", service] => Route::Sandbox { service: service.to_string() },
            ["about", "differences"] => Route::Differences,
            _ => Route::NotFound(path.to_string()),
        }
    }

    /// The `href` of a link to this route.
    pub fn href(&self) -> String {
        match self {
            Route::Catalog => "#/".into(),
            Route::Lab { lab, step: None } => format!("#/labs/{lab}"),
            Route::Lab { lab, step: Some(step) } => format!("#/labs/{lab}/{step}"),
            Route::Sandbox { service } => format!("#/sandbox/{service}"),
            Route::Differences => "#/about/differences".into(),
            Route::NotFound(path) => format!("#/{path}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(hash: &str, expect: Route) {
        let route = Route::parse(hash);
        assert_eq!(route, expect);
        if !matches!(route, Route::NotFound(_)) {
            assert_eq!(Route::parse(&route.href()), route, "href round trip");
        }
    }

    #[test]
    fn parses_hashes() {
        check("", Route::Catalog);
        check("#/", Route::Catalog);
        check("#/labs/01-a", Route::Lab { lab: "01-a".into(), step: None });
        check("#/labs/01-a/02-b", Route::Lab { lab: "01-a".into(), step: Some("02-b".into()) });
        check("#/sandbox", Route::Sandbox { service: "sts".into() });
        check("#/sandbox/dynamodb", Route::Sandbox { service: "dynamodb".into() });
        check("#/about/differences", Route::Differences);
        check("#/what/is/this", Route::NotFound("what/is/this".into()));
    }
}
