//! Versions and aliases: PublishVersion freezes `$LATEST` into a numbered version; an alias names
//! a version, and with a RoutingConfig sends a share of its invocations to a second one (drawn
//! from the world's seed, so the same world and calls route the same way).

use super::api::{bounded, configuration, error, function_arn, invalid, not_found, validation, FunctionRef};
use super::{Function, Lambda};
use crate::error::AwsError;
use crate::ids::Ids;
use crate::wire::{map, object_with, required, string};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// An alias of a function.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Alias {
    pub name: String,
    pub arn: String,
    /// The version it points to (`$LATEST` or a number).
    pub function_version: String,
    pub description: String,
    /// RoutingConfig.AdditionalVersionWeights: a second version and the share it gets.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub weights: BTreeMap<String, f64>,
    pub revision_id: String,
}

impl Alias {
    /// AliasConfiguration, as Lambda answers it.
    pub fn configuration(&self) -> Value {
        let mut out = json!({
            "AliasArn": self.arn,
            "Name": self.name,
            "FunctionVersion": self.function_version,
            "Description": self.description,
            "RevisionId": self.revision_id,
        });
        if !self.weights.is_empty() {
            out["RoutingConfig"] = json!({ "AdditionalVersionWeights": self.weights });
        }
        out
    }

    /// The version an invocation runs: the alias's own, or with the weight's chance the
    /// additional one.
    pub fn pick(&self, ids: &mut Ids) -> String {
        for (version, weight) in &self.weights {
            // A draw in [0, 1) with 2^53 steps.
            let draw = (ids.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
            if draw < *weight {
                return version.clone();
            }
        }
        self.function_version.clone()
    }
}

/// What a qualifier names.
pub(super) enum Qualified<'a> {
    /// `$LATEST` or a published version.
    Version(&'a Function),
    Alias(&'a Alias),
}

/// Resolves a qualifier of `f` (a `$LATEST` function): a version number or an alias name.
pub(super) fn qualified<'a>(f: &'a Function, qualifier: Option<&str>) -> Option<Qualified<'a>> {
    match qualifier {
        None | Some("$LATEST") => Some(Qualified::Version(f)),
        Some(q) if q.bytes().all(|b| b.is_ascii_digit()) => {
            q.parse::<u64>().ok().and_then(|n| f.published.get(&n)).map(Qualified::Version)
        }
        Some(q) => f.aliases.get(q).map(Qualified::Alias),
    }
}

/// The configuration a version number or `$LATEST` names.
pub(super) fn version<'a>(f: &'a Function, version: &str) -> Option<&'a Function> {
    match version {
        "$LATEST" => Some(f),
        n => n.parse::<u64>().ok().and_then(|n| f.published.get(&n)),
    }
}

fn alias_name_ok(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 128
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        && !name.bytes().all(|b| b.is_ascii_digit())
}

const ALIAS_PATTERN: &str = "(?!^[0-9]+$)([a-zA-Z0-9-_]+)";
const VERSION_PATTERN: &str = r"(\$LATEST|[0-9]+)";

fn alias_name(r: &Map<String, Value>) -> Result<String, AwsError> {
    let name = required(r, "Name")?;
    if !alias_name_ok(name) {
        return Err(validation(
            name,
            "name",
            &format!("Member must satisfy regular expression pattern: {ALIAS_PATTERN}"),
        ));
    }
    Ok(name.to_string())
}

fn version_member(r: &Map<String, Value>, member: &str, wire: &str) -> Result<Option<String>, AwsError> {
    let Some(v) = string(r, member)? else { return Ok(None) };
    if v != "$LATEST" && (v.is_empty() || v.len() > 1024 || !v.bytes().all(|b| b.is_ascii_digit())) {
        return Err(validation(v, wire, &format!("Member must satisfy regular expression pattern: {VERSION_PATTERN}")));
    }
    Ok(Some(v.to_string()))
}

fn description(r: &Map<String, Value>) -> Result<Option<String>, AwsError> {
    let d = string(r, "Description")?;
    if let Some(d) = d {
        if d.chars().count() > 256 {
            return Err(validation(d, "description", "Member must have length less than or equal to 256"));
        }
    }
    Ok(d.map(str::to_string))
}

/// RoutingConfig: at most one additional version, a published one other than the alias's,
/// with a weight between 0 and 1.
fn routing(r: &Map<String, Value>, f: &Function, primary: &str) -> Result<Option<BTreeMap<String, f64>>, AwsError> {
    let Some(config) = map(r, "RoutingConfig")? else { return Ok(None) };
    let config = Value::Object(config.clone());
    let config = object_with(&config, &["AdditionalVersionWeights"])?;
    let mut weights = BTreeMap::new();
    if let Some(w) = map(config, "AdditionalVersionWeights")? {
        for (version, weight) in w {
            let Some(weight) = weight.as_f64() else {
                return Err(crate::wire::invalid_type(
                    &format!("RoutingConfig.AdditionalVersionWeights.{version}"),
                    weight,
                    "number",
                ));
            };
            if !(0.0..=1.0).contains(&weight) {
                return Err(validation(
                    &weight.to_string(),
                    "routingConfig.additionalVersionWeights",
                    "Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0, Member must not be null]",
                ));
            }
            if version.is_empty() || !version.bytes().all(|b| b.is_ascii_digit()) {
                return Err(validation(
                    version,
                    "routingConfig.additionalVersionWeights",
                    "Map keys must satisfy constraint: [Member must have length less than or equal to 1024, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [0-9]+, Member must not be null]",
                ));
            }
            weights.insert(version.clone(), weight);
        }
    }
    if weights.len() > 1 {
        return Err(invalid("Number of items in AdditionalVersionWeights cannot be greater than 1"));
    }
    if !weights.is_empty() && primary == "$LATEST" {
        return Err(invalid("$LATEST is not supported for an alias pointing to more than 1 version"));
    }
    for version in weights.keys() {
        if version == primary {
            return Err(invalid(format!(
                "Invalid function version {version}. Function version {version} is already included in routing configuration."
            )));
        }
        if self::version(f, version).is_none() {
            return Err(not_found(&format!("{}:{version}", f.arn)));
        }
    }
    Ok(Some(weights))
}

fn function<'a>(
    lambda: &'a Lambda,
    region: &str,
    account: &str,
    reference: &FunctionRef,
) -> Result<&'a Function, AwsError> {
    lambda.functions.get(&reference.name).ok_or_else(|| not_found(&function_arn(region, account, &reference.name)))
}

fn alias_not_found(f: &Function, name: &str) -> AwsError {
    error("ResourceNotFoundException", 404, format!("Cannot find alias arn: {}:{name}", f.arn))
}

/// PublishVersion: a numbered snapshot of `$LATEST`, unless nothing changed since the last one
/// (then the last one is answered, as Lambda does).
pub(super) fn publish(
    lambda: &mut Lambda,
    region: &str,
    account: &str,
    ids: &mut Ids,
    now_ms: u64,
    request: &Value,
) -> Result<Value, AwsError> {
    let r = object_with(request, &["FunctionName", "CodeSha256", "Description", "RevisionId"])?;
    let reference = FunctionRef::parse(required(r, "FunctionName")?, "functionName")?;
    let description = description(r)?;
    let sha = string(r, "CodeSha256")?;
    let revision = string(r, "RevisionId")?;
    let f = function(lambda, region, account, &reference)?;
    if reference.qualifier.as_deref().is_some_and(|q| q != "$LATEST") {
        return Err(invalid("Version and alias qualifiers are not supported for PublishVersion."));
    }
    super::api::check_settled(f)?;
    if let Some(sha) = sha.filter(|s| *s != f.package.sha256) {
        return Err(invalid(format!(
            "CodeSHA256 ({sha}) is different from current CodeSHA256 in $LATEST({}). Please try again with the CodeSHA256 in $LATEST.",
            f.package.sha256
        )));
    }
    if revision.is_some_and(|rev| rev != f.revision_id) {
        return Err(error("PreconditionFailedException", 412, "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id"));
    }
    let f = lambda.functions.get_mut(&reference.name).expect("found");
    Ok(configuration(publish_latest(f, description, ids, now_ms)))
}

/// Publishes `$LATEST` (CreateFunction's and UpdateFunctionCode's `Publish`, PublishVersion).
pub(super) fn publish_latest<'a>(
    f: &'a mut Function,
    description: Option<String>,
    ids: &mut Ids,
    now_ms: u64,
) -> &'a Function {
    let unchanged = f.published.values().next_back().is_some_and(|v| v.generation == f.generation);
    if unchanged {
        return f.published.values().next_back().expect("checked");
    }
    f.last_version += 1;
    let number = f.last_version;
    let mut v = f.clone();
    v.version = number.to_string();
    v.arn = format!("{}:{number}", f.arn);
    v.published.clear();
    v.aliases.clear();
    v.policies.clear();
    v.reserved_concurrency = None;
    v.last_version = 0;
    v.revision_id = ids.uuid();
    v.last_modified_ms = now_ms;
    if v.last_update_status.is_some() {
        v.last_update_status = Some("Successful".into());
    }
    if let Some(d) = description {
        v.description = d;
    }
    f.published.insert(number, v);
    &f.published[&number]
}

/// ListVersionsByFunction: `$LATEST`, then the published versions in order.
pub(super) fn list_versions(lambda: &Lambda, region: &str, account: &str, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(request, &["FunctionName", "Marker", "MaxItems"])?;
    let reference = FunctionRef::parse(required(r, "FunctionName")?, "functionName")?;
    let max = bounded(r, "MaxItems", "maxItems", 1, 10_000)?.unwrap_or(50) as usize;
    let marker = string(r, "Marker")?;
    let f = function(lambda, region, account, &reference)?;
    let all: Vec<&Function> = std::iter::once(f).chain(f.published.values()).collect();
    let from = match marker {
        None => 0,
        Some(m) => all.iter().position(|v| v.version == m).map(|i| i + 1).unwrap_or(all.len()),
    };
    // Here `$LATEST` is named with its qualifier, as Lambda lists it.
    let listed = |v: &Function| {
        let mut c = configuration(v);
        if v.version == "$LATEST" {
            c["FunctionArn"] = json!(format!("{}:$LATEST", v.arn));
        }
        c
    };
    let page: Vec<Value> = all[from..].iter().take(max).map(|v| listed(v)).collect();
    let mut out = json!({ "Versions": page });
    if all.len() > from + max {
        out["NextMarker"] = json!(all[from + max - 1].version);
    }
    Ok(out)
}

/// CreateAlias, UpdateAlias, DeleteAlias.
pub(super) fn change_alias(
    lambda: &mut Lambda,
    region: &str,
    account: &str,
    ids: &mut Ids,
    action: &str,
    request: &Value,
) -> Result<Value, AwsError> {
    let members: &[&str] = match action {
        "CreateAlias" => &["FunctionName", "Name", "FunctionVersion", "Description", "RoutingConfig"],
        "UpdateAlias" => &["FunctionName", "Name", "FunctionVersion", "Description", "RoutingConfig", "RevisionId"],
        _ => &["FunctionName", "Name"],
    };
    let r = object_with(request, members)?;
    let reference = FunctionRef::parse(required(r, "FunctionName")?, "functionName")?;
    let name = alias_name(r)?;
    let f = function(lambda, region, account, &reference)?;
    match action {
        "CreateAlias" => {
            let Some(version) = version_member(r, "FunctionVersion", "functionVersion")? else {
                return Err(crate::wire::missing("FunctionVersion"));
            };
            let description = description(r)?.unwrap_or_default();
            if self::version(f, &version).is_none() {
                return Err(not_found(&format!("{}:{version}", f.arn)));
            }
            let weights = routing(r, f, &version)?.unwrap_or_default();
            if f.aliases.contains_key(&name) {
                return Err(error("ResourceConflictException", 409, format!("Alias already exists: {}:{name}", f.arn)));
            }
            let alias = Alias {
                arn: format!("{}:{name}", f.arn),
                name: name.clone(),
                function_version: version,
                description,
                weights,
                revision_id: ids.uuid(),
            };
            let out = alias.configuration();
            lambda.functions.get_mut(&reference.name).expect("found").aliases.insert(name, alias);
            Ok(out)
        }
        "UpdateAlias" => {
            let alias = f.aliases.get(&name).ok_or_else(|| alias_not_found(f, &name))?;
            let version = version_member(r, "FunctionVersion", "functionVersion")?;
            let description = description(r)?;
            if let Some(v) = &version {
                if self::version(f, v).is_none() {
                    return Err(not_found(&format!("{}:{v}", f.arn)));
                }
            }
            let primary = version.clone().unwrap_or_else(|| alias.function_version.clone());
            let weights = match routing(r, f, &primary)? {
                Some(w) => w,
                None => {
                    let kept = alias.weights.clone();
                    if !kept.is_empty() && primary == "$LATEST" {
                        return Err(invalid("$LATEST is not supported for an alias pointing to more than 1 version"));
                    }
                    if kept.contains_key(&primary) {
                        return Err(invalid(format!(
                            "Invalid function version {primary}. Function version {primary} is already included in routing configuration."
                        )));
                    }
                    kept
                }
            };
            if string(r, "RevisionId")?.is_some_and(|rev| rev != alias.revision_id) {
                return Err(error("PreconditionFailedException", 412, "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id"));
            }
            let revision = ids.uuid();
            let alias =
                lambda.functions.get_mut(&reference.name).expect("found").aliases.get_mut(&name).expect("found");
            alias.function_version = primary;
            if let Some(d) = description {
                alias.description = d;
            }
            alias.weights = weights;
            alias.revision_id = revision;
            Ok(alias.configuration())
        }
        _ => {
            let f = lambda.functions.get_mut(&reference.name).expect("found");
            f.aliases.remove(&name);
            f.policies.remove(&name);
            Ok(json!({}))
        }
    }
}

/// GetAlias and ListAliases.
pub(super) fn read_alias(
    lambda: &Lambda,
    region: &str,
    account: &str,
    action: &str,
    request: &Value,
) -> Result<Value, AwsError> {
    if action == "GetAlias" {
        let r = object_with(request, &["FunctionName", "Name"])?;
        let reference = FunctionRef::parse(required(r, "FunctionName")?, "functionName")?;
        let name = alias_name(r)?;
        let f = function(lambda, region, account, &reference)?;
        return f.aliases.get(&name).map(Alias::configuration).ok_or_else(|| alias_not_found(f, &name));
    }
    let r = object_with(request, &["FunctionName", "FunctionVersion", "Marker", "MaxItems"])?;
    let reference = FunctionRef::parse(required(r, "FunctionName")?, "functionName")?;
    let version = version_member(r, "FunctionVersion", "functionVersion")?;
    let max = bounded(r, "MaxItems", "maxItems", 1, 10_000)?.unwrap_or(50) as usize;
    let marker = string(r, "Marker")?;
    let f = function(lambda, region, account, &reference)?;
    let all: Vec<&Alias> = f
        .aliases
        .values()
        .filter(|a| version.as_ref().is_none_or(|v| a.function_version == *v || a.weights.contains_key(v)))
        .filter(|a| marker.is_none_or(|m| a.name.as_str() > m))
        .collect();
    let page: Vec<Value> = all.iter().take(max).map(|a| a.configuration()).collect();
    let mut out = json!({ "Aliases": page });
    if all.len() > max {
        out["NextMarker"] = json!(all[max - 1].name);
    }
    Ok(out)
}

/// DeleteFunction with a version number: refused while an alias points to it.
pub(super) fn delete_version(f: &mut Function, qualifier: &str) -> Result<(), AwsError> {
    if qualifier == "$LATEST" {
        return Err(invalid("$LATEST version cannot be deleted without deleting all versions."));
    }
    let Some(n) = qualifier.parse::<u64>().ok().filter(|n| f.published.contains_key(n)) else {
        if f.aliases.contains_key(qualifier) {
            return Err(invalid("Deletion of aliases is not supported by DeleteFunction. Use DeleteAlias."));
        }
        return Err(not_found(&format!("{}:{qualifier}", f.arn)));
    };
    let using: Vec<&str> = f
        .aliases
        .values()
        .filter(|a| a.function_version == qualifier || a.weights.contains_key(qualifier))
        .map(|a| a.name.as_str())
        .collect();
    if !using.is_empty() {
        return Err(error(
            "ResourceConflictException",
            409,
            format!("Unable to delete version because the following aliases reference it: [{}]", using.join(", ")),
        ));
    }
    f.published.remove(&n);
    f.policies.remove(qualifier);
    Ok(())
}
