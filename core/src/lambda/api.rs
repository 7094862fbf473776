//! Lambda's control plane: functions, their code and configuration, tags.
//!
//! Each operation reads its request into a typed input (`parse`, the request's own shape only),
//! is judged against the functions (`check`, which can fail) and applied (`commit`, which
//! cannot). CreateFunction and a role change first ask IAM for the role, as Lambda's service
//! principal (an [`Outcome::Await`]), and are judged on its trust policy when it answers.

use super::layers::{self, Attached};
use super::package::{self, Package};
use super::versions::{self, Qualified};
use super::{invoke, permissions, Function, Job, Lambda, SETTLE_MS};
use crate::clock::Millis;
use crate::effect::{Call, Principal};
use crate::error::AwsError;
use crate::service::{Ctx, Outcome, View};
use crate::wire::{integer, map, object_with, required, string};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

type LambdaCtx<'a> = Ctx<'a, Job>;

/// The runtimes Lambda takes for new functions (the Node.js ones run here).
pub const RUNTIMES: &[&str] = &[
    "nodejs18.x",
    "nodejs20.x",
    "nodejs22.x",
    "python3.9",
    "python3.10",
    "python3.11",
    "python3.12",
    "python3.13",
    "java11",
    "java17",
    "java21",
    "java8.al2",
    "dotnet8",
    "ruby3.2",
    "ruby3.3",
    "provided.al2",
    "provided.al2023",
];

/// Runtimes AWS still names but no longer takes for new functions.
pub const DEPRECATED_RUNTIMES: &[&str] = &[
    "nodejs",
    "nodejs4.3",
    "nodejs6.10",
    "nodejs8.10",
    "nodejs10.x",
    "nodejs12.x",
    "nodejs14.x",
    "nodejs16.x",
    "nodejs4.3-edge",
    "python2.7",
    "python3.6",
    "python3.7",
    "python3.8",
    "java8",
    "dotnetcore1.0",
    "dotnetcore2.0",
    "dotnetcore2.1",
    "dotnetcore3.1",
    "dotnet6",
    "ruby2.5",
    "ruby2.7",
    "go1.x",
    "provided",
];

/// The Node.js runtimes this simulator runs.
pub const NODE_RUNTIMES: &[&str] = &["nodejs18.x", "nodejs20.x", "nodejs22.x"];

/// The environment variables Lambda sets itself, which a function may not set.
pub const RESERVED_VARIABLES: &[&str] = &[
    "_HANDLER",
    "_X_AMZN_TRACE_ID",
    "AWS_DEFAULT_REGION",
    "AWS_REGION",
    "AWS_EXECUTION_ENV",
    "AWS_LAMBDA_FUNCTION_NAME",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
    "AWS_LAMBDA_FUNCTION_VERSION",
    "AWS_LAMBDA_INITIALIZATION_TYPE",
    "AWS_LAMBDA_LOG_GROUP_NAME",
    "AWS_LAMBDA_LOG_STREAM_NAME",
    "AWS_ACCESS_KEY",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_LAMBDA_RUNTIME_API",
    "LAMBDA_TASK_ROOT",
    "LAMBDA_RUNTIME_DIR",
];

const FUNCTION_NAME_PATTERN: &str = r"(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?";
const ROLE_PATTERN: &str = r"arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+";

pub(super) fn error(code: &str, status: u16, message: impl Into<String>) -> AwsError {
    AwsError::client(code, message).with_status(status)
}

pub(super) fn invalid(message: impl Into<String>) -> AwsError {
    error("InvalidParameterValueException", 400, message)
}

pub(super) fn validation(value: &str, member: &str, rule: &str) -> AwsError {
    error(
        "ValidationException",
        400,
        format!("1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: {rule}"),
    )
}

pub(super) fn not_found(arn: &str) -> AwsError {
    error("ResourceNotFoundException", 404, format!("Function not found: {arn}"))
}

/// `arn:aws:lambda:REGION:ACCOUNT:function:NAME`.
pub(super) fn function_arn(ctx_region: &str, account: &str, name: &str) -> String {
    format!("arn:aws:lambda:{ctx_region}:{account}:function:{name}")
}

/// A FunctionName member: a name, a full ARN or a partial ARN, with an optional qualifier.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct FunctionRef {
    pub(super) name: String,
    pub(super) qualifier: Option<String>,
}

impl FunctionRef {
    pub(super) fn parse(value: &str, member: &str) -> Result<FunctionRef, AwsError> {
        if value.len() > 140 {
            return Err(validation(value, member, "Member must have length less than or equal to 140"));
        }
        let bad = || {
            validation(
                value,
                member,
                &format!("Member must satisfy regular expression pattern: {FUNCTION_NAME_PATTERN}"),
            )
        };
        let name_ok = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        let parts: Vec<&str> = value.split(':').collect();
        let (name, qualifier) = match parts.as_slice() {
            [name] => (*name, None),
            [name, q] if *name != "function" => (*name, Some(*q)),
            ["function", name] => (*name, None),
            [account, "function", name] if account.len() == 12 => (*name, None),
            [account, "function", name, q] if account.len() == 12 => (*name, Some(*q)),
            ["arn", _, "lambda", _, _, "function", name] => (*name, None),
            ["arn", _, "lambda", _, _, "function", name, q] => (*name, Some(*q)),
            _ => return Err(bad()),
        };
        if !name_ok(name) || name.len() > 64 || qualifier.is_some_and(|q| q != "$LATEST" && !name_ok(q)) {
            return Err(bad());
        }
        Ok(FunctionRef { name: name.to_string(), qualifier: qualifier.map(str::to_string) })
    }
}

/// The configuration members CreateFunction and UpdateFunctionConfiguration share.
#[derive(Clone, Debug, Default, PartialEq)]
struct Settings {
    runtime: Option<String>,
    role: Option<String>,
    handler: Option<String>,
    description: Option<String>,
    timeout_s: Option<u64>,
    memory_mb: Option<u64>,
    environment: Option<BTreeMap<String, String>>,
    /// Layer version ARNs, checked against the account's layers before the change applies.
    layers: Option<Vec<String>>,
    /// DeadLetterConfig's TargetArn (`Some("")` removes it).
    dead_letter: Option<String>,
}

impl Settings {
    fn parse(r: &Map<String, Value>) -> Result<Settings, AwsError> {
        let runtime = string(r, "Runtime")?.map(str::to_string);
        if let Some(runtime) = &runtime {
            if DEPRECATED_RUNTIMES.contains(&runtime.as_str()) {
                return Err(invalid(format!(
                    "The runtime parameter of {runtime} is no longer supported for creating or updating AWS Lambda functions. We recommend you use a supported runtime while creating or updating functions."
                )));
            }
            if !RUNTIMES.contains(&runtime.as_str()) {
                let mut all: Vec<&str> = RUNTIMES.iter().chain(DEPRECATED_RUNTIMES).copied().collect();
                all.sort_unstable();
                return Err(invalid(format!(
                    "Value {runtime} at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: [{}] or be a valid ARN",
                    all.join(", ")
                )));
            }
        }
        let role = string(r, "Role")?.map(str::to_string);
        if let Some(role) = &role {
            if !role_arn_ok(role) {
                return Err(validation(
                    role,
                    "role",
                    &format!("Member must satisfy regular expression pattern: {ROLE_PATTERN}"),
                ));
            }
        }
        let handler = string(r, "Handler")?.map(str::to_string);
        if let Some(handler) = &handler {
            if handler.len() > 128 {
                return Err(validation(handler, "handler", "Member must have length less than or equal to 128"));
            }
            if handler.is_empty() || handler.chars().any(char::is_whitespace) {
                return Err(validation(handler, "handler", r"Member must satisfy regular expression pattern: [^\s]+"));
            }
        }
        let description = string(r, "Description")?.map(str::to_string);
        if let Some(d) = &description {
            if d.chars().count() > 256 {
                return Err(validation(d, "description", "Member must have length less than or equal to 256"));
            }
        }
        let timeout_s = bounded(r, "Timeout", "timeout", 1, 900)?;
        let memory_mb = bounded(r, "MemorySize", "memorySize", 128, 10_240)?;
        let environment = match map(r, "Environment")? {
            None => None,
            Some(e) => Some(variables(e)?),
        };
        let layers = layers::parse_list(r)?;
        let dead_letter = match map(r, "DeadLetterConfig")? {
            None => None,
            Some(d) => {
                let d = Value::Object(d.clone());
                let d = object_with(&d, &["TargetArn"])?;
                let arn = string(d, "TargetArn")?.unwrap_or("");
                let service = arn.split(':').nth(2).unwrap_or("");
                if !arn.is_empty() && (!arn.starts_with("arn:aws:") || !matches!(service, "sqs" | "sns")) {
                    return Err(invalid(format!(
                        "The provided target ARN {arn} is invalid. Dead letter target should be an SQS queue or SNS topic."
                    )));
                }
                Some(arn.to_string())
            }
        };
        Ok(Settings { runtime, role, handler, description, timeout_s, memory_mb, environment, layers, dead_letter })
    }
}

fn role_arn_ok(role: &str) -> bool {
    let Some(rest) = role.strip_prefix("arn:") else { return false };
    let Some((partition, rest)) = rest.split_once(':') else { return false };
    let Some(rest) = rest.strip_prefix("iam::") else { return false };
    let Some((account, path)) = rest.split_once(':') else { return false };
    (partition.starts_with("aws") || partition.is_empty())
        && account.len() == 12
        && account.bytes().all(|b| b.is_ascii_digit())
        && path.strip_prefix("role").is_some_and(|name| {
            let name = name.trim_start_matches('/');
            !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"+=,.@-_/".contains(&b))
        })
}

pub(super) fn bounded(
    r: &Map<String, Value>,
    member: &str,
    wire: &str,
    min: i64,
    max: i64,
) -> Result<Option<u64>, AwsError> {
    match integer(r, member)? {
        None => Ok(None),
        Some(v) if v < min => {
            Err(validation(&v.to_string(), wire, &format!("Member must have value greater than or equal to {min}")))
        }
        Some(v) if v > max => {
            Err(validation(&v.to_string(), wire, &format!("Member must have value less than or equal to {max}")))
        }
        Some(v) => Ok(Some(v as u64)),
    }
}

/// `Environment.Variables`: names as Lambda allows them, none reserved, 4 KB in all.
fn variables(environment: &Map<String, Value>) -> Result<BTreeMap<String, String>, AwsError> {
    let value = Value::Object(environment.clone());
    let r = object_with(&value, &["Variables"])?;
    let mut out = BTreeMap::new();
    let Some(vars) = map(r, "Variables")? else { return Ok(out) };
    for (k, v) in vars {
        let Some(v) = v.as_str() else {
            return Err(crate::wire::invalid_type(&format!("Environment.Variables.{k}"), v, "string"));
        };
        let mut chars = k.chars();
        let name_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
            && k.len() >= 2
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !name_ok {
            return Err(validation(
                "[PROTECTED]",
                &format!("environment.variables.{k}"),
                "Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+",
            ));
        }
        out.insert(k.clone(), v.to_string());
    }
    let reserved: Vec<&str> = out.keys().map(String::as_str).filter(|k| RESERVED_VARIABLES.contains(k)).collect();
    if !reserved.is_empty() {
        return Err(invalid(format!(
            "Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: {}",
            reserved.join(", ")
        )));
    }
    let measured = serde_json::to_string(&out).unwrap_or_default();
    if measured.len() > 4096 {
        return Err(invalid(format!(
            "Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: {measured}"
        )));
    }
    Ok(out)
}

/// `Code` / UpdateFunctionCode's `ZipFile`: base64 of a zip.
pub(super) fn zip_file(value: Option<&str>) -> Result<Package, AwsError> {
    let Some(text) = value else {
        return Err(invalid("Please provide a source for function code."));
    };
    let bytes = crate::wire::decode_base64(text)
        .ok_or_else(|| invalid("Could not unzip uploaded file. Please check your file, then try to upload again."))?;
    if bytes.len() > package::MAX_ZIP_BYTES {
        return Err(error(
            "RequestEntityTooLargeException",
            413,
            format!(
                "Request must be smaller than {} bytes for the CreateFunction operation",
                package::MAX_ZIP_BYTES + 70_000_000
            ),
        ));
    }
    package::read(&bytes)
}

/// CreateFunction's input.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct CreateFunction {
    name: String,
    settings: Settings,
    package: Package,
    tags: BTreeMap<String, String>,
    publish: bool,
    /// The layers, once resolved by `check`.
    attached: Vec<Attached>,
}

impl CreateFunction {
    fn parse(request: &Value) -> Result<CreateFunction, AwsError> {
        let r = object_with(
            request,
            &[
                "FunctionName",
                "Runtime",
                "Role",
                "Handler",
                "Code",
                "Description",
                "Timeout",
                "MemorySize",
                "Publish",
                "VpcConfig",
                "PackageType",
                "DeadLetterConfig",
                "Environment",
                "KMSKeyArn",
                "TracingConfig",
                "Tags",
                "Layers",
                "FileSystemConfigs",
                "ImageConfig",
                "CodeSigningConfigArn",
                "Architectures",
                "EphemeralStorage",
                "SnapStart",
                "LoggingConfig",
            ],
        )?;
        let reference = FunctionRef::parse(required(r, "FunctionName")?, "functionName")?;
        required(r, "Role")?;
        let settings = Settings::parse(r)?;
        if settings.runtime.is_none() {
            return Err(invalid(
                "Runtime and Handler are mandatory parameters for functions created with deployment packages.",
            ));
        }
        if settings.handler.is_none() {
            return Err(invalid(
                "Runtime and Handler are mandatory parameters for functions created with deployment packages.",
            ));
        }
        let code = map(r, "Code")?.ok_or_else(|| crate::wire::missing("Code"))?;
        let code = Value::Object(code.clone());
        let code_r = object_with(&code, &["ZipFile", "S3Bucket", "S3Key", "S3ObjectVersion", "ImageUri"])?;
        if string(code_r, "S3Bucket")?.is_some() || string(code_r, "ImageUri")?.is_some() {
            return Err(invalid(
                "This simulator takes function code only as Code.ZipFile (S3 and container images are not simulated).",
            ));
        }
        let package = zip_file(string(code_r, "ZipFile")?)?;
        let tags = tags(r)?;
        let publish = crate::wire::boolean(r, "Publish")?.unwrap_or(false);
        Ok(CreateFunction { name: reference.name, settings, package, tags, publish, attached: Vec::new() })
    }

    fn check(mut self, lambda: &Lambda, region: &str, account: &str) -> Result<CreateFunction, AwsError> {
        if lambda.functions.contains_key(&self.name) {
            return Err(error("ResourceConflictException", 409, format!("Function already exist: {}", self.name)));
        }
        let arns = self.settings.layers.clone().unwrap_or_default();
        self.attached = layers::resolve(lambda, region, account, &arns, self.package.unzipped)?;
        check_storage(lambda, self.package.size)?;
        Ok(self)
    }

    /// The execution role it names.
    pub(crate) fn role_arn(&self) -> &str {
        self.settings.role.as_deref().unwrap_or_default()
    }

    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    /// Applies the input once IAM has vouched for the role.
    pub(crate) fn commit(self, lambda: &mut Lambda, ctx: &mut LambdaCtx) -> Value {
        let CreateFunction { name, settings, package, tags, publish, attached } = self;
        let mut function = Function {
            version: "$LATEST".into(),
            arn: function_arn(&ctx.account.region, &ctx.account.id, &name),
            runtime: settings.runtime.unwrap_or_default(),
            role: settings.role.unwrap_or_default(),
            handler: settings.handler.unwrap_or_default(),
            description: settings.description.unwrap_or_default(),
            timeout_s: settings.timeout_s.unwrap_or(3),
            memory_mb: settings.memory_mb.unwrap_or(128),
            environment: settings.environment.unwrap_or_default(),
            package,
            tags,
            state: "Pending".into(),
            last_update_status: None,
            last_modified_ms: ctx.now_ms,
            revision_id: ctx.ids.uuid(),
            generation: 1,
            log_group: format!("/aws/lambda/{name}"),
            name: name.clone(),
            layers: attached,
            published: BTreeMap::new(),
            last_version: 0,
            aliases: BTreeMap::new(),
            policies: BTreeMap::new(),
            reserved_concurrency: None,
            dead_letter: settings.dead_letter.filter(|arn| !arn.is_empty()),
        };
        ctx.schedule(ctx.now_ms + SETTLE_MS, Job::Active { function: name.clone(), generation: 1 });
        let out = if publish {
            configuration(versions::publish_latest(&mut function, None, ctx.ids, ctx.now_ms))
        } else {
            configuration(&function)
        };
        lambda.functions.insert(name, function);
        out
    }
}

fn tags(r: &Map<String, Value>) -> Result<BTreeMap<String, String>, AwsError> {
    let mut out = BTreeMap::new();
    if let Some(tags) = map(r, "Tags")? {
        for (k, v) in tags {
            let v = v.as_str().ok_or_else(|| crate::wire::invalid_type(&format!("Tags.{k}"), v, "string"))?;
            out.insert(k.clone(), v.to_string());
        }
    }
    Ok(out)
}

/// Lambda's time format: `2026-12-01T12:00:00.000+0000`.
pub(super) fn last_modified(ms: Millis) -> String {
    let iso = crate::clock::iso8601(ms);
    format!("{}+0000", iso.trim_end_matches('Z'))
}

/// A function's configuration as Lambda answers it (FunctionConfiguration).
pub(super) fn configuration(f: &Function) -> Value {
    let mut out = json!({
        "FunctionName": f.name,
        "FunctionArn": f.arn,
        "Runtime": f.runtime,
        "Role": f.role,
        "Handler": f.handler,
        "CodeSize": f.package.size,
        "Description": f.description,
        "Timeout": f.timeout_s,
        "MemorySize": f.memory_mb,
        "LastModified": last_modified(f.last_modified_ms),
        "CodeSha256": f.package.sha256,
        "Version": f.version,
        "TracingConfig": {"Mode": "PassThrough"},
        "RevisionId": f.revision_id,
        "State": f.state,
        "PackageType": "Zip",
        "Architectures": ["x86_64"],
        "EphemeralStorage": {"Size": 512},
        "SnapStart": {"ApplyOn": "None", "OptimizationStatus": "Off"},
        "LoggingConfig": {"LogFormat": "Text", "LogGroup": f.log_group},
    });
    if !f.environment.is_empty() {
        out["Environment"] = json!({ "Variables": f.environment });
    }
    if let Some(layers) = layers::configuration(f) {
        out["Layers"] = layers;
    }
    if let Some(arn) = &f.dead_letter {
        out["DeadLetterConfig"] = json!({ "TargetArn": arn });
    }
    if f.state == "Pending" {
        out["StateReason"] = json!("The function is being created.");
        out["StateReasonCode"] = json!("Creating");
    }
    if let Some(status) = &f.last_update_status {
        out["LastUpdateStatus"] = json!(status);
        if status == "InProgress" {
            out["LastUpdateStatusReason"] = json!("The function is being created.");
            out["LastUpdateStatusReasonCode"] = json!("Creating");
        }
    }
    out
}

/// The configuration a FunctionName and qualifier name: `$LATEST`, a published version, or the
/// version an alias points to.
pub(super) fn find<'a>(
    lambda: &'a Lambda,
    ctx_region: &str,
    account: &str,
    reference: &FunctionRef,
) -> Result<&'a Function, AwsError> {
    let arn = match &reference.qualifier {
        Some(q) => format!("{}:{q}", function_arn(ctx_region, account, &reference.name)),
        None => function_arn(ctx_region, account, &reference.name),
    };
    let f = lambda.functions.get(&reference.name).ok_or_else(|| not_found(&arn))?;
    match versions::qualified(f, reference.qualifier.as_deref()) {
        Some(Qualified::Version(v)) => Ok(v),
        Some(Qualified::Alias(a)) => versions::version(f, &a.function_version).ok_or_else(|| not_found(&arn)),
        None => Err(not_found(&arn)),
    }
}

/// The function itself (`$LATEST`, with its versions and aliases), whatever qualifier is named.
pub(super) fn base<'a>(lambda: &'a Lambda, region: &str, account: &str, name: &str) -> Result<&'a Function, AwsError> {
    lambda.functions.get(name).ok_or_else(|| not_found(&function_arn(region, account, name)))
}

/// The account's code storage (75 GB): every function's and version's package and every layer.
pub const CODE_STORAGE_BYTES: u64 = 75 * 1024 * 1024 * 1024;

/// Refuses a package of `extra` bytes that would take the account past its code storage.
pub(super) fn check_storage(lambda: &Lambda, extra: u64) -> Result<(), AwsError> {
    let functions: u64 = lambda
        .functions
        .values()
        .map(|f| f.package.size + f.published.values().map(|v| v.package.size).sum::<u64>())
        .sum();
    let layers: u64 = lambda.layers.values().flat_map(|l| l.versions.values()).map(|v| v.package.size).sum();
    if functions + layers + extra > CODE_STORAGE_BYTES {
        return Err(error("CodeStorageExceededException", 400, "Code storage limit exceeded."));
    }
    Ok(())
}

fn function_name(request: &Value, members: &[&str]) -> Result<FunctionRef, AwsError> {
    let r = object_with(request, members)?;
    let reference = FunctionRef::parse(required(r, "FunctionName")?, "functionName")?;
    let qualifier = string(r, "Qualifier")?.map(str::to_string);
    Ok(FunctionRef { qualifier: qualifier.or(reference.qualifier), name: reference.name })
}

/// The read-only operations, answered from `&Lambda`.
pub(super) fn read(lambda: &Lambda, view: View, action: &str, request: &Value) -> Result<Value, AwsError> {
    let (region, account) = (view.account.region.as_str(), view.account.id.as_str());
    match action {
        "GetFunction" => {
            let reference = function_name(request, &["FunctionName", "Qualifier"])?;
            let f = find(lambda, region, account, &reference)?;
            let function = base(lambda, region, account, &reference.name)?;
            let mut out = json!({
                "Configuration": configuration(f),
                "Code": {"RepositoryType": "S3", "Location": format!("https://awslambda-{region}-tasks.s3.{region}.amazonaws.com/snapshots/{account}/{}-{}", f.name, f.revision_id)},
            });
            if !function.tags.is_empty() {
                out["Tags"] = json!(function.tags);
            }
            if let Some(n) = function.reserved_concurrency {
                out["Concurrency"] = json!({ "ReservedConcurrentExecutions": n });
            }
            Ok(out)
        }
        "GetFunctionConfiguration" => {
            let reference = function_name(request, &["FunctionName", "Qualifier"])?;
            Ok(configuration(find(lambda, region, account, &reference)?))
        }
        "ListFunctions" => {
            let r = object_with(request, &["MasterRegion", "FunctionVersion", "Marker", "MaxItems"])?;
            let max = bounded(r, "MaxItems", "maxItems", 1, 10_000)?.unwrap_or(50) as usize;
            let marker = string(r, "Marker")?;
            let names: Vec<&String> =
                lambda.functions.keys().filter(|n| marker.is_none_or(|m| n.as_str() > m)).collect();
            let page: Vec<Value> = names.iter().take(max).map(|n| configuration(&lambda.functions[*n])).collect();
            let mut out = json!({ "Functions": page });
            if names.len() > max {
                out["NextMarker"] = json!(names[max - 1]);
            }
            Ok(out)
        }
        "ListTags" => {
            let r = object_with(request, &["Resource"])?;
            let f = by_arn(lambda, region, account, required(r, "Resource")?)?;
            Ok(json!({ "Tags": f.tags }))
        }
        "GetFunctionConcurrency" => {
            let reference = function_name(request, &["FunctionName"])?;
            let f = base(lambda, region, account, &reference.name)?;
            Ok(match f.reserved_concurrency {
                Some(n) => json!({ "ReservedConcurrentExecutions": n }),
                None => json!({}),
            })
        }
        "ListVersionsByFunction" => versions::list_versions(lambda, region, account, request),
        "GetAlias" | "ListAliases" => versions::read_alias(lambda, region, account, action, request),
        "GetPolicy" => permissions::get(lambda, region, account, request),
        "GetFunctionEventInvokeConfig" | "ListFunctionEventInvokeConfigs" => {
            super::asynchronous::read(lambda, view, action, request)
        }
        "GetLayerVersion" | "GetLayerVersionByArn" | "ListLayerVersions" | "ListLayers" => {
            layers::read(lambda, region, account, action, request)
        }
        _ => Err(error("UnknownOperationException", 400, format!("Unknown operation {action}"))),
    }
}

/// A function by the ARN tags are kept on (tags belong to the function, not to a version).
fn by_arn<'a>(lambda: &'a Lambda, region: &str, account: &str, arn: &str) -> Result<&'a Function, AwsError> {
    let reference = FunctionRef::parse(arn, "resource")?;
    find(lambda, region, account, &reference)?;
    base(lambda, region, account, &reference.name)
}

/// Refuses a change while an earlier one is still being applied, as Lambda does.
pub(super) fn check_settled(f: &Function) -> Result<(), AwsError> {
    if f.last_update_status.as_deref() == Some("InProgress") {
        return Err(error(
            "ResourceConflictException",
            409,
            format!("The operation cannot be performed at this time. An update is in progress for resource: {}", f.arn),
        ));
    }
    if f.state == "Pending" {
        return Err(error(
            "ResourceConflictException",
            409,
            "The operation cannot be performed at this time. The function is currently in the following state: Pending",
        ));
    }
    Ok(())
}

/// UpdateFunctionConfiguration's input.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct UpdateConfiguration {
    reference: FunctionRef,
    settings: Settings,
    /// The layers, once resolved against the account's.
    attached: Option<Vec<Attached>>,
}

impl UpdateConfiguration {
    fn parse(request: &Value) -> Result<UpdateConfiguration, AwsError> {
        let r = object_with(
            request,
            &[
                "FunctionName",
                "Role",
                "Handler",
                "Description",
                "Timeout",
                "MemorySize",
                "VpcConfig",
                "Environment",
                "Runtime",
                "DeadLetterConfig",
                "KMSKeyArn",
                "TracingConfig",
                "RevisionId",
                "Layers",
                "FileSystemConfigs",
                "ImageConfig",
                "EphemeralStorage",
                "SnapStart",
                "LoggingConfig",
            ],
        )?;
        let reference = FunctionRef::parse(required(r, "FunctionName")?, "functionName")?;
        Ok(UpdateConfiguration { reference, settings: Settings::parse(r)?, attached: None })
    }

    /// The new execution role, if it names one.
    pub(crate) fn role_arn(&self) -> Option<&str> {
        self.settings.role.as_deref()
    }

    pub(crate) fn name(&self) -> &str {
        &self.reference.name
    }

    pub(crate) fn commit(self, lambda: &mut Lambda, ctx: &mut LambdaCtx) -> Value {
        let f = lambda.functions.get_mut(&self.reference.name).expect("checked");
        let s = self.settings;
        if let Some(v) = s.runtime {
            f.runtime = v;
        }
        if let Some(v) = s.role {
            f.role = v;
        }
        if let Some(v) = s.handler {
            f.handler = v;
        }
        if let Some(v) = s.description {
            f.description = v;
        }
        if let Some(v) = s.timeout_s {
            f.timeout_s = v;
        }
        if let Some(v) = s.memory_mb {
            f.memory_mb = v;
        }
        if let Some(v) = s.environment {
            f.environment = v;
        }
        if let Some(v) = self.attached {
            f.layers = v;
        }
        if let Some(v) = s.dead_letter {
            f.dead_letter = (!v.is_empty()).then_some(v);
        }
        changed(f, ctx)
    }
}

/// Records a change of code or configuration: a new revision, environments retired, the
/// update in progress for a moment of virtual time.
fn changed(f: &mut Function, ctx: &mut LambdaCtx) -> Value {
    f.generation += 1;
    f.revision_id = ctx.ids.uuid();
    f.last_modified_ms = ctx.now_ms;
    f.last_update_status = Some("InProgress".into());
    ctx.schedule(ctx.now_ms + SETTLE_MS, Job::Updated { function: f.name.clone(), generation: f.generation });
    configuration(f)
}

/// Runs a control-plane operation.
pub(super) fn call(lambda: &mut Lambda, ctx: &mut LambdaCtx, action: &str, request: &Value) -> Outcome {
    let view = View { now_ms: ctx.now_ms, account: ctx.account };
    if super::READ_ONLY_ACTIONS.contains(&action) {
        return Outcome::Done(read(lambda, view, action, request));
    }
    let (region, account) = (ctx.account.region.clone(), ctx.account.id.clone());
    let result = match action {
        "CreateFunction" => {
            let input = match CreateFunction::parse(request).and_then(|i| i.check(lambda, &region, &account)) {
                Ok(input) => input,
                Err(e) => return Outcome::Done(Err(e)),
            };
            let role = input.role_arn().to_string();
            return ask_for_role(lambda, &role, invoke::Waiting::Create(Box::new(input)));
        }
        "UpdateFunctionConfiguration" => {
            let mut input = match UpdateConfiguration::parse(request) {
                Ok(input) => input,
                Err(e) => return Outcome::Done(Err(e)),
            };
            let f = match find(lambda, &region, &account, &input.reference) {
                Ok(f) if f.version == "$LATEST" => f,
                Ok(_) => return Outcome::Done(Err(only_latest(&input.reference))),
                Err(e) => return Outcome::Done(Err(e)),
            };
            if let Err(e) = check_settled(f) {
                return Outcome::Done(Err(e));
            }
            if let Some(arns) = &input.settings.layers {
                match layers::resolve(lambda, &region, &account, arns, f.package.unzipped) {
                    Ok(attached) => input.attached = Some(attached),
                    Err(e) => return Outcome::Done(Err(e)),
                }
            }
            if let Some(role) = input.settings.role.clone().filter(|r| *r != f.role) {
                return ask_for_role(lambda, &role, invoke::Waiting::Configure(Box::new(input)));
            }
            Ok(input.commit(lambda, ctx))
        }
        "UpdateFunctionCode" => update_code(lambda, ctx, request),
        "DeleteFunction" => delete_function(lambda, &region, &account, request),
        "PublishVersion" => versions::publish(lambda, &region, &account, ctx.ids, ctx.now_ms, request),
        "CreateAlias" | "UpdateAlias" | "DeleteAlias" => {
            versions::change_alias(lambda, &region, &account, ctx.ids, action, request)
        }
        "AddPermission" => permissions::add(lambda, &region, &account, ctx.ids, request),
        "RemovePermission" => permissions::remove(lambda, &region, &account, ctx.ids, request),
        "PublishLayerVersion" => layers::publish(lambda, &region, &account, ctx.now_ms, request),
        "DeleteLayerVersion" => layers::delete(lambda, &region, &account, request),
        "PutFunctionConcurrency" => put_concurrency(lambda, &region, &account, request),
        "DeleteFunctionConcurrency" => function_name(request, &["FunctionName"]).and_then(|reference| {
            base(lambda, &region, &account, &reference.name)?;
            lambda.functions.get_mut(&reference.name).expect("found").reserved_concurrency = None;
            Ok(json!({}))
        }),
        "TagResource" => tag_resource(lambda, &region, &account, request),
        "UntagResource" => untag_resource(lambda, &region, &account, request),
        _ => Err(error("UnknownOperationException", 400, format!("Unknown operation {action}"))),
    };
    Outcome::Done(result)
}

fn only_latest(reference: &FunctionRef) -> AwsError {
    invalid(format!(
        "Only $LATEST can be changed: {}:{} is a published version or an alias.",
        reference.name,
        reference.qualifier.as_deref().unwrap_or_default()
    ))
}

/// DeleteFunction: the whole function (its versions, aliases and policies with it), or with a
/// qualifier one published version.
fn delete_function(lambda: &mut Lambda, region: &str, account: &str, request: &Value) -> Result<Value, AwsError> {
    let reference = function_name(request, &["FunctionName", "Qualifier"])?;
    base(lambda, region, account, &reference.name)?;
    match reference.qualifier.as_deref() {
        Some(q) => {
            let f = lambda.functions.get_mut(&reference.name).expect("found");
            versions::delete_version(f, q)?;
            lambda.warm.idle.remove(&format!("{}:{q}", reference.name));
        }
        None => {
            lambda.functions.remove(&reference.name);
            let prefix = format!("{}:", reference.name);
            lambda.warm.idle.retain(|key, _| !key.starts_with(&prefix));
        }
    }
    Ok(json!({}))
}

/// The account's concurrency, and what must stay unreserved.
pub const ACCOUNT_CONCURRENCY: u64 = 1_000;
pub const MIN_UNRESERVED: u64 = 100;

/// PutFunctionConcurrency: reserves part of the account's concurrency for the function (0 stops
/// every invocation).
fn put_concurrency(lambda: &mut Lambda, region: &str, account: &str, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(request, &["FunctionName", "ReservedConcurrentExecutions"])?;
    let reference = FunctionRef::parse(required(r, "FunctionName")?, "functionName")?;
    let Some(n) = bounded(r, "ReservedConcurrentExecutions", "reservedConcurrentExecutions", 0, i64::MAX)? else {
        return Err(crate::wire::missing("ReservedConcurrentExecutions"));
    };
    if reference.qualifier.is_some() {
        return Err(invalid("Concurrency can be reserved only for the function, not for a version or alias."));
    }
    base(lambda, region, account, &reference.name)?;
    let others: u64 =
        lambda.functions.values().filter(|f| f.name != reference.name).filter_map(|f| f.reserved_concurrency).sum();
    if others.saturating_add(n) > ACCOUNT_CONCURRENCY - MIN_UNRESERVED {
        return Err(invalid(format!(
            "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [{MIN_UNRESERVED}]."
        )));
    }
    lambda.functions.get_mut(&reference.name).expect("found").reserved_concurrency = Some(n);
    Ok(json!({ "ReservedConcurrentExecutions": n }))
}

/// Asks IAM for the role as Lambda's service principal; the operation resumes when it answers.
fn ask_for_role(lambda: &mut Lambda, role_arn: &str, waiting: invoke::Waiting) -> Outcome {
    let name = role_arn.rsplit('/').next().unwrap_or_default();
    let call = Call::new(Principal::service("lambda.amazonaws.com"), "iam", "GetRole", json!({ "RoleName": name }));
    let token = lambda.warm.next_token;
    lambda.warm.next_token += 1;
    lambda.warm.waiting.insert(token, waiting);
    Outcome::Await { calls: vec![call], token }
}

/// Whether IAM's GetRole answer shows a role Lambda may assume: it exists, is the one named,
/// and its trust policy lets `lambda.amazonaws.com` call sts:AssumeRole.
pub(super) fn role_assumable(role_arn: &str, answer: &Result<Value, AwsError>) -> Result<(), AwsError> {
    let refused = || invalid("The role defined for the function cannot be assumed by Lambda.");
    let Ok(answer) = answer else { return Err(refused()) };
    if answer["Role"]["Arn"].as_str() != Some(role_arn) {
        return Err(refused());
    }
    let document = answer["Role"]["AssumeRolePolicyDocument"].as_str().map(crate::wire::url_decode).unwrap_or_default();
    let Ok(trust) = crate::policy::parse(&document, crate::policy::Flavour::Trust) else { return Err(refused()) };
    let caller = crate::policy::Caller::Service { name: "lambda.amazonaws.com".into() };
    let context = crate::policy::Context::new();
    let request = crate::policy::Request {
        action: "sts:AssumeRole",
        resource: role_arn,
        caller: Some(&caller),
        context: &context,
    };
    match crate::policy::evaluate(&[&trust], &request).decision {
        crate::policy::Decision::Allowed => Ok(()),
        _ => Err(refused()),
    }
}

fn update_code(lambda: &mut Lambda, ctx: &mut LambdaCtx, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(
        request,
        &[
            "FunctionName",
            "ZipFile",
            "S3Bucket",
            "S3Key",
            "S3ObjectVersion",
            "ImageUri",
            "Publish",
            "DryRun",
            "RevisionId",
            "Architectures",
            "SourceKMSKeyArn",
        ],
    )?;
    let reference = FunctionRef::parse(required(r, "FunctionName")?, "functionName")?;
    if string(r, "S3Bucket")?.is_some() || string(r, "ImageUri")?.is_some() {
        return Err(invalid(
            "This simulator takes function code only as ZipFile (S3 and container images are not simulated).",
        ));
    }
    let package = zip_file(string(r, "ZipFile")?)?;
    let revision = string(r, "RevisionId")?;
    let publish = crate::wire::boolean(r, "Publish")?.unwrap_or(false);
    let f = find(lambda, &ctx.account.region, &ctx.account.id, &reference)?;
    if f.version != "$LATEST" {
        return Err(only_latest(&reference));
    }
    check_settled(f)?;
    if revision.is_some_and(|rev| rev != f.revision_id) {
        return Err(error("PreconditionFailedException", 412, "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id"));
    }
    let layered = f.layers.iter().fold(package.unzipped, |t, a| t.saturating_add(a.package.unzipped));
    if layered > package::MAX_UNZIPPED_BYTES {
        return Err(invalid(format!(
            "Function code combined with layers exceeds the maximum allowed size of {} bytes. The actual size is {layered} bytes.",
            package::MAX_UNZIPPED_BYTES
        )));
    }
    check_storage(lambda, package.size)?;
    let f = lambda.functions.get_mut(&reference.name).expect("found");
    f.package = package;
    let out = changed(f, ctx);
    if publish {
        return Ok(configuration(versions::publish_latest(f, None, ctx.ids, ctx.now_ms)));
    }
    Ok(out)
}

fn tag_resource(lambda: &mut Lambda, region: &str, account: &str, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(request, &["Resource", "Tags"])?;
    let arn = required(r, "Resource")?;
    let new = tags(r)?;
    let name = by_arn(lambda, region, account, arn)?.name.clone();
    let f = lambda.functions.get_mut(&name).expect("found");
    if f.tags.len() + new.keys().filter(|k| !f.tags.contains_key(*k)).count() > 50 {
        return Err(invalid("Number of tags exceeds resource tag limit."));
    }
    f.tags.extend(new);
    Ok(json!({}))
}

fn untag_resource(lambda: &mut Lambda, region: &str, account: &str, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(request, &["Resource", "TagKeys"])?;
    let arn = required(r, "Resource")?;
    let keys = crate::wire::array(r.get("TagKeys").unwrap_or(&Value::Null), "TagKeys")?;
    let name = by_arn(lambda, region, account, arn)?.name.clone();
    let f = lambda.functions.get_mut(&name).expect("found");
    for k in keys.iter().filter_map(Value::as_str) {
        f.tags.remove(k);
    }
    Ok(json!({}))
}

/// The function a request names, as IAM judges it (`*` for ListFunctions).
pub(super) fn resources(view: View, request: &Value) -> Vec<String> {
    let (region, account) = (&view.account.region, &view.account.id);
    if let Some(arn) = request.get("Arn").and_then(Value::as_str) {
        return vec![arn.to_string()];
    }
    if let Some(layer) = request.get("LayerName").and_then(Value::as_str) {
        let arn = if layer.starts_with("arn:") {
            layer.to_string()
        } else {
            format!("arn:aws:lambda:{region}:{account}:layer:{layer}")
        };
        return vec![match request.get("VersionNumber").and_then(Value::as_u64) {
            Some(n) => format!("{arn}:{n}"),
            None => arn,
        }];
    }
    let named = request.get("FunctionName").or_else(|| request.get("Resource")).and_then(Value::as_str);
    let Some(reference) = named.and_then(|n| FunctionRef::parse(n, "functionName").ok()) else {
        return vec!["*".to_string()];
    };
    let arn = function_arn(region, account, &reference.name);
    let qualifier = request.get("Qualifier").and_then(Value::as_str).map(str::to_string).or(reference.qualifier);
    vec![match qualifier {
        Some(q) => format!("{arn}:{q}"),
        None => arn,
    }]
}
