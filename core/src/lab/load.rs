//! Reading lab files: `labs/labs.toml` (the catalog) and `labs/<id>/lab.toml`.
//!
//! Loading never panics and never stops at the first problem: it returns every error it finds,
//! each with its file, line and column. Reading files is the caller's business (the CLI reads
//! the disk, the app fetches over HTTP): core only sees text.

use super::model::*;
use crate::world::SERVICES;
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeSet;
use std::fmt;
use std::ops::Range;
use toml::Spanned;

/// A problem in a lab file, located.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LabError {
    /// The file as the caller named it, e.g. `labs/01-how-labs-work/lab.toml`.
    pub file: String,
    /// 1-based line; 0 when the problem is the file as a whole (missing, unreadable).
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    pub message: String,
}

impl fmt::Display for LabError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}:{}:{}: {}", self.file, self.line, self.column, self.message)
        }
    }
}

impl LabError {
    /// An error about a whole file (it is missing, say).
    pub fn file(file: &str, message: impl Into<String>) -> LabError {
        LabError { file: file.to_string(), line: 0, column: 0, message: message.into() }
    }
}

/// Turns byte offsets into line and column for one file's errors.
struct Locator<'a> {
    file: &'a str,
    text: &'a str,
}

impl Locator<'_> {
    fn at(&self, offset: usize, message: impl Into<String>) -> LabError {
        let offset = offset.min(self.text.len());
        let before = self.text.get(..offset).unwrap_or(self.text);
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        LabError { file: self.file.to_string(), line, column, message: message.into() }
    }

    fn span(&self, span: Range<usize>, message: impl Into<String>) -> LabError {
        self.at(span.start, message)
    }

    fn toml(&self, err: toml::de::Error) -> LabError {
        let message = err.message().trim().to_string();
        self.at(err.span().map_or(0, |span| span.start), message)
    }
}

/// Checks `format_version` before anything else, so that a lab written for a newer format is
/// reported as such rather than as a list of unknown fields.
fn check_format_version(loc: &Locator, text: &str) -> Result<(), LabError> {
    #[derive(Deserialize)]
    struct Versioned {
        format_version: Option<Spanned<toml::Value>>,
    }
    let versioned: Versioned = toml::from_str(text).map_err(|err| loc.toml(err))?;
    let Some(version) = versioned.format_version else {
        return Err(loc.at(0, format!("missing `format_version`; this build reads format_version = {FORMAT_VERSION}")));
    };
    match version.get_ref().as_integer() {
        Some(v) if v == i64::from(FORMAT_VERSION) => Ok(()),
        Some(v) => Err(loc.span(
            version.span(),
            format!("unsupported format_version {v}; this build reads format_version = {FORMAT_VERSION}"),
        )),
        None => Err(loc.span(
            version.span(),
            format!("format_version must be an integer, not a {}", version.get_ref().type_str()),
        )),
    }
}

/// Parses `labs/labs.toml`.
pub fn parse_catalog(file: &str, text: &str) -> Result<Catalog, Vec<LabError>> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct RawCatalog {
        #[allow(dead_code)]
        format_version: u32,
        labs: Vec<Spanned<String>>,
    }
    let loc = Locator { file, text };
    check_format_version(&loc, text).map_err(|err| vec![err])?;
    let raw: RawCatalog = toml::from_str(text).map_err(|err| vec![loc.toml(err)])?;
    let mut errors = Vec::new();
    let mut seen = BTreeSet::new();
    for id in &raw.labs {
        if let Err(message) = check_slug(id.get_ref()) {
            errors.push(loc.span(id.span(), format!("lab folder name {message}")));
        } else if !seen.insert(id.get_ref().clone()) {
            errors.push(loc.span(id.span(), format!("lab `{}` is listed twice", id.get_ref())));
        }
    }
    if errors.is_empty() {
        Ok(Catalog { labs: raw.labs.into_iter().map(Spanned::into_inner).collect() })
    } else {
        Err(errors)
    }
}

/// A lab whose structure is valid but whose `request_file` payloads are not read yet.
#[derive(Clone, Debug)]
pub struct LabDraft {
    lab: Lab,
    /// The file name of this draft's lab.toml, for errors found while finishing it.
    file: String,
    /// Every `request_file` reference: where it stands, the file, and the action it fills.
    pending: Vec<PendingRequest>,
}

#[derive(Clone, Debug)]
struct PendingRequest {
    /// The lab.toml location of the reference, for a located error if the file is bad.
    line: usize,
    column: usize,
    /// Path relative to the lab folder, e.g. `requests/put-item.json`.
    path: String,
    slot: Slot,
}

#[derive(Clone, Copy, Debug)]
enum Slot {
    Setup(usize),
    Solution { step: usize, action: usize },
}

impl LabDraft {
    /// The payload files this lab references, relative to its folder, without repeats.
    pub fn request_files(&self) -> Vec<String> {
        let files: BTreeSet<&String> = self.pending.iter().map(|p| &p.path).collect();
        files.into_iter().cloned().collect()
    }

    /// The lab so far, for showing its catalog card before payloads are read.
    pub fn lab(&self) -> &Lab {
        &self.lab
    }

    /// Reads each payload through `read` (`None` = the file does not exist) and fills it in.
    pub fn finish(self, read: impl Fn(&str) -> Option<String>) -> Result<Lab, Vec<LabError>> {
        let LabDraft { mut lab, file, pending } = self;
        let mut errors = Vec::new();
        for p in pending {
            let located = |message: String| LabError { file: file.clone(), line: p.line, column: p.column, message };
            let Some(text) = read(&p.path) else {
                errors.push(located(format!("request_file `{}` does not exist", p.path)));
                continue;
            };
            let value: Value = match serde_json::from_str(&text) {
                Ok(value) => value,
                Err(err) => {
                    errors.push(located(format!("request_file `{}` is not valid JSON: {err}", p.path)));
                    continue;
                }
            };
            let action = match p.slot {
                Slot::Setup(i) => lab.setup.get_mut(i),
                Slot::Solution { step, action } => lab.steps.get_mut(step).and_then(|s| s.solution.get_mut(action)),
            };
            if let Some(Action::Call { request, .. }) = action {
                *request = value;
            }
        }
        if errors.is_empty() {
            Ok(lab)
        } else {
            Err(errors)
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLab {
    #[allow(dead_code)]
    format_version: u32,
    title: Localized,
    summary: Localized,
    minutes: u32,
    services: Vec<Spanned<String>>,
    #[serde(default)]
    setup: Vec<Spanned<RawAction>>,
    steps: Spanned<Vec<Spanned<RawStep>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStep {
    id: Spanned<String>,
    title: Localized,
    #[serde(default)]
    checks: Vec<Spanned<RawCheck>>,
    #[serde(default)]
    hints: Vec<Hint>,
    #[serde(default)]
    solution: Vec<Spanned<RawAction>>,
}

/// A check as written: exactly one of the kind fields, plus an optional label.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCheck {
    label: Option<Localized>,
    call_made: Option<CallMade>,
    last_error: Option<LastError>,
    clock_at_least: Option<ClockAtLeast>,
    item: Option<ItemCheck>,
    item_count: Option<ItemCount>,
    resource: Option<Resource>,
    stream_record: Option<StreamRecordCheck>,
    answer: Option<Answer>,
    invocation: Option<InvocationCheck>,
    log_line: Option<LogLine>,
    allowed: Option<Allowed>,
    resource_policy: Option<ResourcePolicy>,
}

/// The check kinds a lab file may use, as its keys spell them.
pub const CHECK_KINDS: &[&str] = &[
    "call_made",
    "last_error",
    "clock_at_least",
    "item",
    "item_count",
    "resource",
    "stream_record",
    "answer",
    "invocation",
    "log_line",
    "allowed",
    "resource_policy",
];

/// An action as written: `call = {...}` or `advance = N`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAction {
    call: Option<RawCall>,
    advance: Option<u64>,
    answer: Option<RawAnswer>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAnswer {
    id: String,
    /// What the learner types: a number or a text.
    value: Value,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCall {
    service: String,
    action: String,
    request: Option<Value>,
    request_file: Option<String>,
}

/// Parses one `lab.toml`. `dir_name` is the lab's folder name (its id); `file` names the file
/// in errors.
pub fn parse_lab(dir_name: &str, file: &str, text: &str) -> Result<LabDraft, Vec<LabError>> {
    let loc = Locator { file, text };
    check_format_version(&loc, text).map_err(|err| vec![err])?;
    let raw: RawLab = toml::from_str(text).map_err(|err| vec![loc.toml(err)])?;
    let mut errors = Vec::new();
    if let Err(message) = check_slug(dir_name) {
        errors.push(loc.at(0, format!("lab folder name {message}")));
    }
    for service in &raw.services {
        check_service(&loc, service.span(), service.get_ref(), &mut errors);
    }
    if raw.steps.get_ref().is_empty() {
        errors.push(loc.span(raw.steps.span(), "a lab needs at least one step"));
    }
    let mut pending = Vec::new();
    let setup = raw
        .setup
        .into_iter()
        .enumerate()
        .filter_map(|(i, action)| convert_action(&loc, action, Slot::Setup(i), &mut pending, &mut errors))
        .collect();
    let mut step_ids = BTreeSet::new();
    let mut steps = Vec::new();
    for (step_index, step) in raw.steps.into_inner().into_iter().enumerate() {
        let step_span = step.span();
        let step = step.into_inner();
        let id = step.id.get_ref().clone();
        if let Err(message) = check_slug(&id) {
            errors.push(loc.span(step.id.span(), format!("step id {message}")));
        } else if !step_ids.insert(id.clone()) {
            errors.push(loc.span(step.id.span(), format!("step id `{id}` is used twice")));
        }
        if step.checks.is_empty() {
            errors.push(
                loc.span(
                    step_span.clone(),
                    format!("step `{id}` has no checks: the app could not tell when it is done"),
                ),
            );
        }
        if step.solution.is_empty() {
            errors.push(
                loc.span(step_span, format!("step `{id}` has no solution: every step ships a reference solution")),
            );
        }
        let checks = step.checks.into_iter().filter_map(|check| convert_check(&loc, check, &mut errors)).collect();
        let solution = step
            .solution
            .into_iter()
            .enumerate()
            .filter_map(|(i, action)| {
                convert_action(&loc, action, Slot::Solution { step: step_index, action: i }, &mut pending, &mut errors)
            })
            .collect();
        steps.push(Step { id, title: step.title, checks, hints: step.hints, solution });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let lab = Lab {
        id: dir_name.to_string(),
        title: raw.title,
        summary: raw.summary,
        minutes: raw.minutes,
        services: raw.services.into_iter().map(Spanned::into_inner).collect(),
        setup,
        steps,
    };
    Ok(LabDraft { lab, file: file.to_string(), pending })
}

fn convert_check(loc: &Locator, check: Spanned<RawCheck>, errors: &mut Vec<LabError>) -> Option<CheckSpec> {
    let span = check.span();
    let raw = check.into_inner();
    let mut kinds = Vec::new();
    if let Some(c) = raw.call_made {
        check_service(loc, span.clone(), &c.service, errors);
        if c.count == 0 {
            errors.push(loc.span(span.clone(), "call_made.count must be at least 1"));
        }
        kinds.push(Check::CallMade(c));
    }
    if let Some(c) = raw.last_error {
        kinds.push(Check::LastError(c));
    }
    if let Some(c) = raw.clock_at_least {
        kinds.push(Check::ClockAtLeast(c));
    }
    if let Some(c) = raw.item {
        kinds.push(Check::Item(c));
    }
    if let Some(c) = raw.item_count {
        kinds.push(Check::ItemCount(c));
    }
    if let Some(c) = raw.resource {
        check_service(loc, span.clone(), &c.service, errors);
        kinds.push(Check::Resource(c));
    }
    if let Some(c) = raw.stream_record {
        kinds.push(Check::StreamRecord(c));
    }
    if let Some(c) = raw.answer {
        if !c.equals.is_finite() {
            errors.push(loc.span(span.clone(), "answer.equals must be a finite number"));
        }
        kinds.push(Check::Answer(c));
    }
    if let Some(c) = raw.invocation {
        if let Some(called) = &c.called {
            check_service(loc, span.clone(), &called.service, errors);
        }
        if c.count == 0 {
            errors.push(loc.span(span.clone(), "invocation.count must be at least 1"));
        }
        kinds.push(Check::Invocation(c));
    }
    if let Some(c) = raw.log_line {
        kinds.push(Check::LogLine(c));
    }
    if let Some(c) = raw.allowed {
        kinds.push(Check::Allowed(c));
    }
    if let Some(c) = raw.resource_policy {
        kinds.push(Check::ResourcePolicy(c));
    }
    if kinds.len() != 1 {
        errors.push(loc.span(
            span,
            format!("a check needs exactly one kind ({}); this one has {}", CHECK_KINDS.join(", "), kinds.len()),
        ));
        return None;
    }
    let check = kinds.remove(0);
    if let Err(err) = check.validate() {
        errors.push(loc.span(span, format!("{}: {}", err.code, err.message.replace('\n', " "))));
        return None;
    }
    Some(CheckSpec { check, label: raw.label })
}

fn convert_action(
    loc: &Locator,
    action: Spanned<RawAction>,
    slot: Slot,
    pending: &mut Vec<PendingRequest>,
    errors: &mut Vec<LabError>,
) -> Option<Action> {
    let span = action.span();
    match action.into_inner() {
        RawAction { call: Some(call), advance: None, answer: None } => {
            check_service(loc, span.clone(), &call.service, errors);
            let request = match (call.request, call.request_file) {
                (Some(request), None) => request,
                (None, None) => Value::Object(Default::default()),
                (None, Some(path)) => {
                    if path.split('/').any(|part| part == ".." || part.is_empty()) || path.starts_with('/') {
                        errors.push(loc.span(
                            span,
                            format!("request_file `{path}` must be a relative path inside the lab folder"),
                        ));
                        return None;
                    }
                    let at = loc.span(span, "");
                    pending.push(PendingRequest { line: at.line, column: at.column, path, slot });
                    Value::Null
                }
                (Some(_), Some(_)) => {
                    errors.push(loc.span(span, "a call has either `request` or `request_file`, not both"));
                    return None;
                }
            };
            Some(Action::Call { service: call.service, action: call.action, request })
        }
        RawAction { call: None, advance: Some(seconds), answer: None } => Some(Action::Advance(seconds)),
        RawAction { call: None, advance: None, answer: Some(RawAnswer { id, value }) } => {
            let value = match value {
                Value::String(text) => text,
                Value::Number(n) => n.to_string(),
                _ => {
                    errors.push(loc.span(span, "an answer's value is a number or a text"));
                    return None;
                }
            };
            Some(Action::Answer { id, value })
        }
        _ => {
            errors.push(loc.span(
                span,
                "an action is one of `call = { service, action, request }`, `advance = SECONDS` or `answer = { id, value }`",
            ));
            None
        }
    }
}

fn check_service(loc: &Locator, span: Range<usize>, service: &str, errors: &mut Vec<LabError>) {
    if !SERVICES.contains(&service) {
        errors.push(loc.span(span, format!("unknown service `{service}`; the simulator has: {}", SERVICES.join(", "))));
    }
}

/// Folder names and step ids: lower-case ASCII letters, digits and dashes, 1 to 64 characters.
fn check_slug(slug: &str) -> Result<(), String> {
    let ok = !slug.is_empty()
        && slug.len() <= 64
        && slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(format!("`{slug}` must be 1 to 64 lower-case letters, digits or dashes"))
    }
}
