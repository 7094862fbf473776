//! Layers: PublishLayerVersion, GetLayerVersion(ByArn), ListLayers, ListLayerVersions,
//! DeleteLayerVersion, and a function's `Layers`, whose files the runtime finds under `/opt`.
//!
//! A function keeps the content of the layer versions it names, so deleting a layer version
//! leaves the functions that use it working, as on AWS. AWS's own Parameters and Secrets
//! extension layer may be named too: it adds no files here, only the extension's port.

use super::api::{bounded, error, invalid, last_modified, validation, RUNTIMES};
use super::package::{self, Package};
use super::{Function, Lambda};
use crate::error::AwsError;
use crate::wire::{array, map, object_with, required, string};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

/// The most layers a function may use.
pub const MAX_LAYERS: usize = 5;

/// The name of AWS's Parameters and Secrets Lambda Extension layer (published by AWS's own
/// accounts, one per region).
pub const SECRETS_EXTENSION: &str = "AWS-Parameters-and-Secrets-Lambda-Extension";

/// One version of a layer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LayerVersion {
    pub version: u64,
    pub arn: String,
    pub description: String,
    pub created_ms: u64,
    pub package: Package,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub compatible_runtimes: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub compatible_architectures: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license_info: Option<String>,
}

impl LayerVersion {
    /// The members ListLayerVersions and ListLayers show of a version.
    fn summary(&self) -> Value {
        let mut out = json!({
            "LayerVersionArn": self.arn,
            "Version": self.version,
            "Description": self.description,
            "CreatedDate": last_modified(self.created_ms),
        });
        if !self.compatible_runtimes.is_empty() {
            out["CompatibleRuntimes"] = json!(self.compatible_runtimes);
        }
        if let Some(l) = &self.license_info {
            out["LicenseInfo"] = json!(l);
        }
        if !self.compatible_architectures.is_empty() {
            out["CompatibleArchitectures"] = json!(self.compatible_architectures);
        }
        out
    }

    /// PublishLayerVersion's and GetLayerVersion's answer.
    fn detail(&self, region: &str) -> Value {
        let mut out = self.summary();
        let layer_arn = self.arn.rsplit_once(':').map(|(a, _)| a).unwrap_or_default();
        out["LayerArn"] = json!(layer_arn);
        out["Content"] = json!({
            "Location": format!("https://awslambda-{region}-layers.s3.{region}.amazonaws.com/snapshots/{}", self.arn.replace(':', "/")),
            "CodeSha256": self.package.sha256,
            "CodeSize": self.package.size,
        });
        out
    }
}

/// A layer version a function uses, with its content.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Attached {
    pub arn: String,
    pub package: Package,
}

fn layer_arn(region: &str, account: &str, name: &str) -> String {
    format!("arn:aws:lambda:{region}:{account}:layer:{name}")
}

const LAYER_NAME_PATTERN: &str = r"(arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\d{12}:layer:[a-zA-Z0-9-_]+)|[a-zA-Z0-9-_]+";
const LAYER_VERSION_PATTERN: &str = r"arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+";

fn name_ok(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The parts of a layer ARN: region, account, name and (for a version ARN) the version.
fn arn_parts(arn: &str) -> Option<(&str, &str, &str, Option<&str>)> {
    let parts: Vec<&str> = arn.split(':').collect();
    match parts.as_slice() {
        ["arn", _, "lambda", region, account, "layer", name, rest @ ..]
            if account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()) && name_ok(name) =>
        {
            match rest {
                [] => Some((region, account, name, None)),
                [v] if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) => Some((region, account, name, Some(v))),
                _ => None,
            }
        }
        _ => None,
    }
}

/// `LayerName`: a name, or a layer ARN of this account (another account's layers are not
/// simulated: they do not exist here).
fn layer_name(r: &Map<String, Value>, region: &str, account: &str) -> Result<String, AwsError> {
    let value = required(r, "LayerName")?;
    if value.len() > 140 {
        return Err(validation(value, "layerName", "Member must have length less than or equal to 140"));
    }
    if name_ok(value) {
        return Ok(value.to_string());
    }
    match arn_parts(value) {
        Some((reg, acct, name, None)) if reg == region && acct == account => Ok(name.to_string()),
        Some((_, _, _, None)) => Err(not_found()),
        _ => Err(validation(
            value,
            "layerName",
            &format!("Member must satisfy regular expression pattern: {LAYER_NAME_PATTERN}"),
        )),
    }
}

fn not_found() -> AwsError {
    error("ResourceNotFoundException", 404, "The resource you requested does not exist.")
}

fn strings(r: &Map<String, Value>, member: &str) -> Result<Vec<String>, AwsError> {
    let Some(v) = r.get(member) else { return Ok(Vec::new()) };
    array(v, member)?
        .iter()
        .map(|s| s.as_str().map(str::to_string).ok_or_else(|| crate::wire::invalid_type(member, s, "string")))
        .collect()
}

/// PublishLayerVersion.
pub(super) fn publish(
    lambda: &mut Lambda,
    region: &str,
    account: &str,
    now_ms: u64,
    request: &Value,
) -> Result<Value, AwsError> {
    let r = object_with(
        request,
        &["LayerName", "Description", "Content", "CompatibleRuntimes", "LicenseInfo", "CompatibleArchitectures"],
    )?;
    let name = layer_name(r, region, account)?;
    let description = string(r, "Description")?.unwrap_or_default().to_string();
    if description.chars().count() > 256 {
        return Err(validation(&description, "description", "Member must have length less than or equal to 256"));
    }
    let runtimes = strings(r, "CompatibleRuntimes")?;
    if runtimes.len() > 15 {
        return Err(validation(
            &format!("[{}]", runtimes.join(", ")),
            "compatibleRuntimes",
            "Member must have length less than or equal to 15",
        ));
    }
    if let Some(bad) = runtimes.iter().find(|rt| !RUNTIMES.contains(&rt.as_str())) {
        return Err(invalid(format!(
            "Value {bad} at 'compatibleRuntimes' failed to satisfy constraint: Member must satisfy enum value set"
        )));
    }
    let architectures = strings(r, "CompatibleArchitectures")?;
    if architectures.len() > 2 || architectures.iter().any(|a| a != "x86_64" && a != "arm64") {
        return Err(validation(
            &format!("[{}]", architectures.join(", ")),
            "compatibleArchitectures",
            "Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64]]",
        ));
    }
    let license = string(r, "LicenseInfo")?.map(str::to_string);
    if license.as_ref().is_some_and(|l| l.len() > 512) {
        return Err(validation("[PROTECTED]", "licenseInfo", "Member must have length less than or equal to 512"));
    }
    let content = map(r, "Content")?.ok_or_else(|| crate::wire::missing("Content"))?;
    let content = Value::Object(content.clone());
    let c = object_with(&content, &["S3Bucket", "S3Key", "S3ObjectVersion", "ZipFile"])?;
    if string(c, "S3Bucket")?.is_some() {
        return Err(invalid("This simulator takes layer content only as Content.ZipFile (S3 is not simulated)."));
    }
    let package = super::api::zip_file(string(c, "ZipFile")?)?;
    super::api::check_storage(lambda, package.size)?;
    let layer = lambda.layers.entry(name.clone()).or_default();
    layer.last_version += 1;
    let version = LayerVersion {
        version: layer.last_version,
        arn: format!("{}:{}", layer_arn(region, account, &name), layer.last_version),
        description,
        created_ms: now_ms,
        package,
        compatible_runtimes: runtimes,
        compatible_architectures: architectures,
        license_info: license,
    };
    let out = version.detail(region);
    layer.versions.insert(version.version, version);
    Ok(out)
}

fn version_number(r: &Map<String, Value>) -> Result<u64, AwsError> {
    match crate::wire::integer(r, "VersionNumber")? {
        Some(n) if n >= 1 => Ok(n as u64),
        Some(n) => {
            Err(validation(&n.to_string(), "versionNumber", "Member must have value greater than or equal to 1"))
        }
        None => Err(crate::wire::missing("VersionNumber")),
    }
}

/// The read-only layer operations.
pub(super) fn read(
    lambda: &Lambda,
    region: &str,
    account: &str,
    action: &str,
    request: &Value,
) -> Result<Value, AwsError> {
    match action {
        "GetLayerVersion" => {
            let r = object_with(request, &["LayerName", "VersionNumber"])?;
            let name = layer_name(r, region, account)?;
            let n = version_number(r)?;
            let v = lambda.layers.get(&name).and_then(|l| l.versions.get(&n)).ok_or_else(not_found)?;
            Ok(v.detail(region))
        }
        "GetLayerVersionByArn" => {
            let r = object_with(request, &["Arn"])?;
            let arn = required(r, "Arn")?;
            let Some((reg, acct, name, Some(n))) = arn_parts(arn) else {
                return Err(validation(
                    arn,
                    "arn",
                    &format!("Member must satisfy regular expression pattern: {LAYER_VERSION_PATTERN}"),
                ));
            };
            if reg != region || acct != account {
                return Err(not_found());
            }
            let n: u64 = n.parse().map_err(|_| not_found())?;
            let v = lambda.layers.get(name).and_then(|l| l.versions.get(&n)).ok_or_else(not_found)?;
            Ok(v.detail(region))
        }
        "ListLayerVersions" => {
            let r = object_with(
                request,
                &["LayerName", "CompatibleRuntime", "Marker", "MaxItems", "CompatibleArchitecture"],
            )?;
            let name = layer_name(r, region, account)?;
            let (runtime, arch) = (string(r, "CompatibleRuntime")?, string(r, "CompatibleArchitecture")?);
            let max = bounded(r, "MaxItems", "maxItems", 1, 50)?.unwrap_or(50) as usize;
            let marker: Option<u64> = string(r, "Marker")?.and_then(|m| m.parse().ok());
            let versions: Vec<&LayerVersion> = lambda
                .layers
                .get(&name)
                .map(|l| l.versions.values().rev().filter(|v| matches(v, runtime, arch)).collect())
                .unwrap_or_default();
            let versions: Vec<&LayerVersion> =
                versions.into_iter().filter(|v| marker.is_none_or(|m| v.version < m)).collect();
            let page: Vec<Value> = versions.iter().take(max).map(|v| v.summary()).collect();
            let mut out = json!({ "LayerVersions": page });
            if versions.len() > max {
                out["NextMarker"] = json!(versions[max - 1].version.to_string());
            }
            Ok(out)
        }
        _ => {
            let r = object_with(request, &["CompatibleRuntime", "Marker", "MaxItems", "CompatibleArchitecture"])?;
            let (runtime, arch) = (string(r, "CompatibleRuntime")?, string(r, "CompatibleArchitecture")?);
            let max = bounded(r, "MaxItems", "maxItems", 1, 50)?.unwrap_or(50) as usize;
            let marker = string(r, "Marker")?;
            let layers: Vec<(&String, &LayerVersion)> = lambda
                .layers
                .iter()
                .filter(|(name, _)| marker.is_none_or(|m| name.as_str() > m))
                .filter_map(|(name, l)| {
                    l.versions.values().rev().find(|v| matches(v, runtime, arch)).map(|v| (name, v))
                })
                .collect();
            let page: Vec<Value> = layers
                .iter()
                .take(max)
                .map(|(name, v)| {
                    json!({ "LayerName": name, "LayerArn": layer_arn(region, account, name), "LatestMatchingVersion": v.summary() })
                })
                .collect();
            let mut out = json!({ "Layers": page });
            if layers.len() > max {
                out["NextMarker"] = json!(layers[max - 1].0);
            }
            Ok(out)
        }
    }
}

fn matches(v: &LayerVersion, runtime: Option<&str>, arch: Option<&str>) -> bool {
    runtime.is_none_or(|rt| v.compatible_runtimes.iter().any(|c| c == rt))
        && arch.is_none_or(|a| v.compatible_architectures.iter().any(|c| c == a))
}

/// DeleteLayerVersion: the version is gone (a version that does not exist is no error, as on
/// AWS); functions using it keep their copy.
pub(super) fn delete(lambda: &mut Lambda, region: &str, account: &str, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(request, &["LayerName", "VersionNumber"])?;
    let name = layer_name(r, region, account)?;
    let n = version_number(r)?;
    if let Some(layer) = lambda.layers.get_mut(&name) {
        layer.versions.remove(&n);
    }
    Ok(json!({}))
}

/// `Layers` of CreateFunction / UpdateFunctionConfiguration, shape only.
pub(super) fn parse_list(r: &Map<String, Value>) -> Result<Option<Vec<String>>, AwsError> {
    if !r.contains_key("Layers") {
        return Ok(None);
    }
    let list = strings(r, "Layers")?;
    for arn in &list {
        if arn.len() > 140 || !matches!(arn_parts(arn), Some((_, _, _, Some(_)))) {
            return Err(validation(
                &format!("[{}]", list.join(", ")),
                "layers",
                &format!("Member must satisfy constraint: [Member must have length less than or equal to 140, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: {LAYER_VERSION_PATTERN}, Member must not be null]"),
            ));
        }
    }
    Ok(Some(list))
}

/// Resolves layer version ARNs against the account's layers (and AWS's secrets extension),
/// checking Lambda's limits with the function's own unzipped size.
pub(super) fn resolve(
    lambda: &Lambda,
    region: &str,
    account: &str,
    arns: &[String],
    unzipped: u64,
) -> Result<Vec<Attached>, AwsError> {
    if arns.len() > MAX_LAYERS {
        return Err(invalid(format!("Cannot reference more than {MAX_LAYERS} layers.")));
    }
    let mut out: Vec<Attached> = Vec::new();
    for arn in arns {
        let Some((reg, acct, name, Some(n))) = arn_parts(arn) else {
            return Err(invalid(format!("Layer version {arn} does not exist.")));
        };
        if let Some(other) = out.iter().find(|a| arn_parts(&a.arn).is_some_and(|(_, c, m, _)| c == acct && m == name)) {
            return Err(invalid(format!(
                "Two different versions of the same layer are not allowed to be referenced in the same function. {} and {arn} are versions of the same layer.",
                other.arn
            )));
        }
        let own = reg == region && acct == account;
        let found = if own {
            n.parse::<u64>()
                .ok()
                .and_then(|n| lambda.layers.get(name).and_then(|l| l.versions.get(&n)))
                .map(|v| v.package.clone())
        } else if name == SECRETS_EXTENSION && reg == region {
            Some(Package::default())
        } else {
            None
        };
        let Some(package) = found else { return Err(invalid(format!("Layer version {arn} does not exist."))) };
        out.push(Attached { arn: arn.clone(), package });
    }
    let total = out.iter().fold(unzipped, |t, a| t.saturating_add(a.package.unzipped));
    if total > package::MAX_UNZIPPED_BYTES {
        return Err(invalid(format!(
            "Function code combined with layers exceeds the maximum allowed size of {} bytes. The actual size is {total} bytes.",
            package::MAX_UNZIPPED_BYTES
        )));
    }
    Ok(out)
}

/// Whether the function uses AWS's Parameters and Secrets extension layer.
pub fn has_secrets_extension(f: &Function) -> bool {
    f.layers.iter().any(|a| arn_parts(&a.arn).is_some_and(|(_, _, name, _)| name == SECRETS_EXTENSION))
}

/// The function's `Layers` as its configuration shows them.
pub(super) fn configuration(f: &Function) -> Option<Value> {
    (!f.layers.is_empty())
        .then(|| Value::Array(f.layers.iter().map(|a| json!({ "Arn": a.arn, "CodeSize": a.package.size })).collect()))
}
