//! IAM through the wire entry point, as transcripts: each line of a script is `Action {request}`,
//! and the transcript shows each answer. In a request, `$NAME` stands for one of the policy
//! documents below as a JSON string; in an answer, ids are `<id>` and documents `<doc>`.

use lab_core::World;
use serde_json::{json, Value};

/// The documents a script may name.
fn document(name: &str) -> Option<Value> {
    let doc = match name {
        "LAMBDA_TRUST" => {
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
        }
        "TRUST_WITH_RESOURCE" => {
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole", "Resource": "*"}]})
        }
        "TRUST_NO_PRINCIPAL" => {
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole"}]})
        }
        "TRUST_TYPO" => {
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lamda.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
        }
        "TRUST_GHOST_ROLE" => {
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:role/ghost"}, "Action": "sts:AssumeRole"}]})
        }
        "TRUST_STATES" => {
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "states.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
        }
        "PUT_HISTORY" => {
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "dynamodb:PutItem", "Resource": "arn:aws:dynamodb:ap-southeast-1:123456789012:table/OrdersHistory"}]})
        }
        "DENY_DELETE" => {
            json!({"Version": "2012-10-17", "Statement": [{"Sid": "NoDeletes", "Effect": "Deny", "Action": "dynamodb:Delete*", "Resource": "*"}]})
        }
        "SEND_DLQ" => {
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:ap-southeast-1:123456789012:orders-ddbs-dlq"}]})
        }
        "RECEIVE" => {
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sqs:ReceiveMessage", "Resource": "*"}]})
        }
        "WITH_PRINCIPAL" => {
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}]})
        }
        "NO_RESOURCE" => json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject"}]}),
        "NO_VENDOR" => {
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "PutItem", "Resource": "*"}]})
        }
        "LOWER_EFFECT" => {
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "allow", "Action": "s3:GetObject", "Resource": "*"}]})
        }
        "NOT_JSON" => return Some(json!("{\"Version\": \"2012-10-17\", \"Statement\": [")),
        "REGION_CONDITION" => {
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sqs:*", "Resource": "*", "Condition": {"StringEquals": {"aws:SourceAccount": "123456789012"}}}]})
        }
        _ => return None,
    };
    Some(Value::String(doc.to_string()))
}

/// `line` with each `$NAME` replaced by its document.
fn substitute(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let name: String = rest[at + 1..].chars().take_while(|c| c.is_ascii_uppercase() || *c == '_').collect();
        let doc = document(&name).unwrap_or_else(|| panic!("no document ${name}"));
        out.push_str(&doc.to_string());
        rest = &rest[at + 1 + name.len()..];
    }
    out.push_str(rest);
    out
}

/// Runs `script` in `world` and renders every answer, one line each.
fn run(world: &mut World, script: &str) -> String {
    let mut out = String::new();
    for line in script.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (action, rest) = line.split_once(' ').unwrap_or((line, ""));
        let rest = substitute(rest);
        let request: Value =
            serde_json::from_str(if rest.is_empty() { "{}" } else { &rest }).unwrap_or_else(|e| panic!("{line}: {e}"));
        let answer = match world.call("iam", action, &request) {
            Ok(v) => format!("ok {}", scrub(v)),
            Err(e) => format!("{} ({}): {}", e.code, e.status, e.message),
        };
        out.push_str(&format!("{action} -> {answer}\n"));
    }
    out
}

/// Hides ids and documents so transcripts read cleanly.
fn scrub(mut v: Value) -> Value {
    match &mut v {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                match key.as_str() {
                    "RoleId" | "PolicyId" => *value = json!("<id>"),
                    "AssumeRolePolicyDocument" | "PolicyDocument" | "Document" => *value = json!("<doc>"),
                    _ => *value = scrub(value.take()),
                }
            }
        }
        Value::Array(list) => {
            for item in list.iter_mut() {
                *item = scrub(item.take());
            }
        }
        _ => {}
    }
    v
}

fn check(script: &str, expect: &str) {
    let mut world = World::default();
    let got = run(&mut world, script);
    assert_eq!(got.trim_end(), expect.trim(), "\n--- got ---\n{got}");
}

const ROLE: &str = r#"CreateRole {"RoleName": "orders-role", "AssumeRolePolicyDocument": $LAMBDA_TRUST}"#;

fn with_role(extra: &str) -> String {
    format!("{ROLE}\n{extra}")
}

#[test]
fn a_role_is_created_read_listed_updated_and_deleted() {
    check(
        r#"
CreateRole {"RoleName": "orders-role", "Path": "/service-role/", "Description": "Orders", "AssumeRolePolicyDocument": $LAMBDA_TRUST, "Tags": [{"Key": "team", "Value": "orders"}]}
GetRole {"RoleName": "ORDERS-ROLE"}
CreateRole {"RoleName": "Orders-Role", "AssumeRolePolicyDocument": $LAMBDA_TRUST}
UpdateRole {"RoleName": "orders-role", "Description": "History", "MaxSessionDuration": 7200}
ListRoles
DeleteRole {"RoleName": "orders-role"}
GetRole {"RoleName": "orders-role"}
DeleteRole {"RoleName": "orders-role"}
ListRoles
"#,
        r#"
CreateRole -> ok {"Role":{"Arn":"arn:aws:iam::123456789012:role/service-role/orders-role","AssumeRolePolicyDocument":"<doc>","CreateDate":"2025-01-01T00:00:00.000Z","Description":"Orders","Path":"/service-role/","RoleId":"<id>","RoleName":"orders-role","Tags":[{"Key":"team","Value":"orders"}]}}
GetRole -> ok {"Role":{"Arn":"arn:aws:iam::123456789012:role/service-role/orders-role","AssumeRolePolicyDocument":"<doc>","CreateDate":"2025-01-01T00:00:00.000Z","Description":"Orders","MaxSessionDuration":3600,"Path":"/service-role/","RoleId":"<id>","RoleLastUsed":{},"RoleName":"orders-role","Tags":[{"Key":"team","Value":"orders"}]}}
CreateRole -> EntityAlreadyExists (409): Role with name Orders-Role already exists.
UpdateRole -> ok {}
ListRoles -> ok {"IsTruncated":false,"Roles":[{"Arn":"arn:aws:iam::123456789012:role/service-role/orders-role","AssumeRolePolicyDocument":"<doc>","CreateDate":"2025-01-01T00:00:00.000Z","Description":"History","MaxSessionDuration":7200,"Path":"/service-role/","RoleId":"<id>","RoleName":"orders-role"}]}
DeleteRole -> ok {}
GetRole -> NoSuchEntity (404): The role with name orders-role cannot be found.
DeleteRole -> NoSuchEntity (404): The role with name orders-role cannot be found.
ListRoles -> ok {"IsTruncated":false,"Roles":[]}
"#,
    );
}

#[test]
fn trust_policies_are_checked_as_iam_checks_them() {
    check(
        r#"
CreateRole {"RoleName": "r", "AssumeRolePolicyDocument": $TRUST_WITH_RESOURCE}
CreateRole {"RoleName": "r", "AssumeRolePolicyDocument": $TRUST_NO_PRINCIPAL}
CreateRole {"RoleName": "r", "AssumeRolePolicyDocument": $TRUST_TYPO}
CreateRole {"RoleName": "r", "AssumeRolePolicyDocument": $TRUST_GHOST_ROLE}
CreateRole {"RoleName": "r", "AssumeRolePolicyDocument": $NOT_JSON}
CreateRole {"RoleName": "r", "AssumeRolePolicyDocument": $PUT_HISTORY}
CreateRole {"RoleName": "ghost", "AssumeRolePolicyDocument": $LAMBDA_TRUST}
CreateRole {"RoleName": "r", "AssumeRolePolicyDocument": $TRUST_GHOST_ROLE}
UpdateAssumeRolePolicy {"RoleName": "r", "PolicyDocument": $TRUST_STATES}
UpdateAssumeRolePolicy {"RoleName": "r", "PolicyDocument": $TRUST_WITH_RESOURCE}
UpdateAssumeRolePolicy {"RoleName": "nope", "PolicyDocument": $TRUST_STATES}
"#,
        r#"
CreateRole -> MalformedPolicyDocument (400): Has prohibited field Resource
CreateRole -> MalformedPolicyDocument (400): Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: The passed in policy has a statement with no principals!
CreateRole -> MalformedPolicyDocument (400): Invalid principal in policy: "SERVICE":"lamda.amazonaws.com"
CreateRole -> MalformedPolicyDocument (400): Invalid principal in policy: "AWS":"arn:aws:iam::123456789012:role/ghost"
CreateRole -> MalformedPolicyDocument (400): This policy contains invalid Json
CreateRole -> MalformedPolicyDocument (400): Has prohibited field Resource
CreateRole -> ok {"Role":{"Arn":"arn:aws:iam::123456789012:role/ghost","AssumeRolePolicyDocument":"<doc>","CreateDate":"2025-01-01T00:00:00.000Z","Path":"/","RoleId":"<id>","RoleName":"ghost"}}
CreateRole -> ok {"Role":{"Arn":"arn:aws:iam::123456789012:role/r","AssumeRolePolicyDocument":"<doc>","CreateDate":"2025-01-01T00:00:00.000Z","Path":"/","RoleId":"<id>","RoleName":"r"}}
UpdateAssumeRolePolicy -> ok {}
UpdateAssumeRolePolicy -> MalformedPolicyDocument (400): Has prohibited field Resource
UpdateAssumeRolePolicy -> NoSuchEntity (404): The role with name nope cannot be found.
"#,
    );
}

#[test]
fn request_members_are_validated() {
    check(
        r#"
CreateRole {"RoleName": "my role", "AssumeRolePolicyDocument": $LAMBDA_TRUST}
CreateRole {"RoleName": "", "AssumeRolePolicyDocument": $LAMBDA_TRUST}
CreateRole {"RoleName": "r"}
CreateRole {"RoleName": "r", "AssumeRolePolicyDocument": $LAMBDA_TRUST, "Path": "service-role"}
CreateRole {"RoleName": "r", "AssumeRolePolicyDocument": $LAMBDA_TRUST, "MaxSessionDuration": 60}
CreateRole {"RoleName": "r", "AssumeRolePolicyDocument": $LAMBDA_TRUST, "MaxSessionDuration": 50000}
CreateRole {"RoleName": "r", "AssumeRolePolicyDocument": $LAMBDA_TRUST, "PermissionsBoundary": "arn:aws:iam::aws:policy/AdministratorAccess"}
CreateRole {"RoleName": "r", "AssumeRolePolicyDocument": $LAMBDA_TRUST, "Tags": [{"Key": "a", "Value": "1"}, {"Key": "A", "Value": "2"}]}
CreateRole {"RoleName": "r", "AssumeRolePolicyDocument": $LAMBDA_TRUST, "Rolename": "x"}
ListRoles {"MaxItems": 0}
ListRoles {"MaxItems": 1001}
ListRoles {"Marker": "garbage"}
Nope
"#,
        r#"
CreateRole -> ValidationError (400): 1 validation error detected: Value 'my role' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+
CreateRole -> ParamValidation (400): Parameter validation failed:
Invalid length for parameter RoleName, value: 0, valid min length: 1
CreateRole -> ParamValidation (400): Parameter validation failed:
Missing required parameter in input: "AssumeRolePolicyDocument"
CreateRole -> ValidationError (400): 1 validation error detected: Value 'service-role' at 'path' failed to satisfy constraint: Member must satisfy regular expression pattern: (\u002F)|(\u002F[\u0021-\u007E]+\u002F)
CreateRole -> ParamValidation (400): Parameter validation failed:
Invalid value for parameter MaxSessionDuration, value: 60, valid min value: 3600
CreateRole -> ValidationError (400): 1 validation error detected: Value '50000' at 'maxSessionDuration' failed to satisfy constraint: Member must have value less than or equal to 43200
CreateRole -> SimulatorLimitation (400): The simulator does not support PermissionsBoundary yet; see docs/differences.md.
CreateRole -> InvalidInput (400): Duplicate tag keys found. Please note that Tag keys are case insensitive.
CreateRole -> ParamValidation (400): Parameter validation failed:
Unknown parameter in input: "Rolename", must be one of: Path, RoleName, AssumeRolePolicyDocument, Description, MaxSessionDuration, MaxSigninSessionDuration, PermissionsBoundary, Tags
ListRoles -> ParamValidation (400): Parameter validation failed:
Invalid value for parameter MaxItems, value: 0, valid min value: 1
ListRoles -> ValidationError (400): 1 validation error detected: Value '1001' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 1000
ListRoles -> ValidationError (400): Invalid Marker.
Nope -> InvalidAction (400): Could not find operation Nope for version 2010-05-08
"#,
    );
}

#[test]
fn roles_are_listed_a_page_at_a_time() {
    check(
        r#"
CreateRole {"RoleName": "c", "AssumeRolePolicyDocument": $LAMBDA_TRUST}
CreateRole {"RoleName": "a", "AssumeRolePolicyDocument": $LAMBDA_TRUST}
CreateRole {"RoleName": "b", "Path": "/x/", "AssumeRolePolicyDocument": $LAMBDA_TRUST}
ListRoles {"MaxItems": 2}
ListRoles {"MaxItems": 2, "Marker": "AAEA00000002"}
ListRoles {"PathPrefix": "/x/"}
"#,
        r#"
CreateRole -> ok {"Role":{"Arn":"arn:aws:iam::123456789012:role/c","AssumeRolePolicyDocument":"<doc>","CreateDate":"2025-01-01T00:00:00.000Z","Path":"/","RoleId":"<id>","RoleName":"c"}}
CreateRole -> ok {"Role":{"Arn":"arn:aws:iam::123456789012:role/a","AssumeRolePolicyDocument":"<doc>","CreateDate":"2025-01-01T00:00:00.000Z","Path":"/","RoleId":"<id>","RoleName":"a"}}
CreateRole -> ok {"Role":{"Arn":"arn:aws:iam::123456789012:role/x/b","AssumeRolePolicyDocument":"<doc>","CreateDate":"2025-01-01T00:00:00.000Z","Path":"/x/","RoleId":"<id>","RoleName":"b"}}
ListRoles -> ok {"IsTruncated":true,"Marker":"AAEA00000002","Roles":[{"Arn":"arn:aws:iam::123456789012:role/a","AssumeRolePolicyDocument":"<doc>","CreateDate":"2025-01-01T00:00:00.000Z","MaxSessionDuration":3600,"Path":"/","RoleId":"<id>","RoleName":"a"},{"Arn":"arn:aws:iam::123456789012:role/x/b","AssumeRolePolicyDocument":"<doc>","CreateDate":"2025-01-01T00:00:00.000Z","MaxSessionDuration":3600,"Path":"/x/","RoleId":"<id>","RoleName":"b"}]}
ListRoles -> ok {"IsTruncated":false,"Roles":[{"Arn":"arn:aws:iam::123456789012:role/c","AssumeRolePolicyDocument":"<doc>","CreateDate":"2025-01-01T00:00:00.000Z","MaxSessionDuration":3600,"Path":"/","RoleId":"<id>","RoleName":"c"}]}
ListRoles -> ok {"IsTruncated":false,"Roles":[{"Arn":"arn:aws:iam::123456789012:role/x/b","AssumeRolePolicyDocument":"<doc>","CreateDate":"2025-01-01T00:00:00.000Z","MaxSessionDuration":3600,"Path":"/x/","RoleId":"<id>","RoleName":"b"}]}
"#,
    );
}

#[test]
fn role_tags() {
    check(
        &with_role(
            r#"
TagRole {"RoleName": "orders-role", "Tags": [{"Key": "team", "Value": "orders"}, {"Key": "env", "Value": "lab"}]}
TagRole {"RoleName": "orders-role", "Tags": [{"Key": "TEAM", "Value": "history"}]}
ListRoleTags {"RoleName": "orders-role"}
UntagRole {"RoleName": "orders-role", "TagKeys": ["env", "missing"]}
ListRoleTags {"RoleName": "orders-role", "MaxItems": 1}
TagRole {"RoleName": "nope", "Tags": []}
TagRole {"RoleName": "orders-role", "Tags": [{"Key": "bad#key", "Value": "x"}]}
TagRole {"RoleName": "orders-role"}
"#,
        ),
        r#"
CreateRole -> ok {"Role":{"Arn":"arn:aws:iam::123456789012:role/orders-role","AssumeRolePolicyDocument":"<doc>","CreateDate":"2025-01-01T00:00:00.000Z","Path":"/","RoleId":"<id>","RoleName":"orders-role"}}
TagRole -> ok {}
TagRole -> ok {}
ListRoleTags -> ok {"IsTruncated":false,"Tags":[{"Key":"TEAM","Value":"history"},{"Key":"env","Value":"lab"}]}
UntagRole -> ok {}
ListRoleTags -> ok {"IsTruncated":false,"Tags":[{"Key":"TEAM","Value":"history"}]}
TagRole -> NoSuchEntity (404): The role with name nope cannot be found.
TagRole -> ValidationError (400): 1 validation error detected: Value 'bad#key' at 'tags.1.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern: [\p{L}\p{Z}\p{N}_.:/=+\-@]+
TagRole -> ParamValidation (400): Parameter validation failed:
Missing required parameter in input: "Tags"
"#,
    );
}

#[test]
fn inline_policies() {
    check(
        &with_role(
            r#"
PutRolePolicy {"RoleName": "orders-role", "PolicyName": "history", "PolicyDocument": $PUT_HISTORY}
PutRolePolicy {"RoleName": "orders-role", "PolicyName": "dlq", "PolicyDocument": $SEND_DLQ}
ListRolePolicies {"RoleName": "orders-role"}
GetRolePolicy {"RoleName": "orders-role", "PolicyName": "history"}
GetRolePolicy {"RoleName": "orders-role", "PolicyName": "nope"}
PutRolePolicy {"RoleName": "orders-role", "PolicyName": "bad", "PolicyDocument": $WITH_PRINCIPAL}
PutRolePolicy {"RoleName": "orders-role", "PolicyName": "bad", "PolicyDocument": $NO_RESOURCE}
PutRolePolicy {"RoleName": "orders-role", "PolicyName": "bad", "PolicyDocument": $NO_VENDOR}
PutRolePolicy {"RoleName": "orders-role", "PolicyName": "bad", "PolicyDocument": $LOWER_EFFECT}
PutRolePolicy {"RoleName": "orders-role", "PolicyName": "bad", "PolicyDocument": $NOT_JSON}
PutRolePolicy {"RoleName": "orders-role", "PolicyName": "bad", "PolicyDocument": $LAMBDA_TRUST}
PutRolePolicy {"RoleName": "nope", "PolicyName": "history", "PolicyDocument": $PUT_HISTORY}
DeleteRole {"RoleName": "orders-role"}
DeleteRolePolicy {"RoleName": "orders-role", "PolicyName": "history"}
DeleteRolePolicy {"RoleName": "orders-role", "PolicyName": "history"}
DeleteRolePolicy {"RoleName": "orders-role", "PolicyName": "dlq"}
DeleteRole {"RoleName": "orders-role"}
"#,
        ),
        r#"
CreateRole -> ok {"Role":{"Arn":"arn:aws:iam::123456789012:role/orders-role","AssumeRolePolicyDocument":"<doc>","CreateDate":"2025-01-01T00:00:00.000Z","Path":"/","RoleId":"<id>","RoleName":"orders-role"}}
PutRolePolicy -> ok {}
PutRolePolicy -> ok {}
ListRolePolicies -> ok {"IsTruncated":false,"PolicyNames":["dlq","history"]}
GetRolePolicy -> ok {"PolicyDocument":"<doc>","PolicyName":"history","RoleName":"orders-role"}
GetRolePolicy -> NoSuchEntity (404): The role policy with name nope cannot be found.
PutRolePolicy -> MalformedPolicyDocument (400): Policy document should not specify a principal.
PutRolePolicy -> MalformedPolicyDocument (400): Policy statement must contain resources.
PutRolePolicy -> MalformedPolicyDocument (400): Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.
PutRolePolicy -> MalformedPolicyDocument (400): The policy failed legacy parsing
PutRolePolicy -> MalformedPolicyDocument (400): Syntax errors in policy.
PutRolePolicy -> MalformedPolicyDocument (400): Policy document should not specify a principal.
PutRolePolicy -> NoSuchEntity (404): The role with name nope cannot be found.
DeleteRole -> DeleteConflict (409): Cannot delete entity, must delete policies first.
DeleteRolePolicy -> ok {}
DeleteRolePolicy -> NoSuchEntity (404): The role policy with name history cannot be found.
DeleteRolePolicy -> ok {}
DeleteRole -> ok {}
"#,
    );
}

#[test]
fn customer_managed_policies_and_their_versions() {
    let arn = "arn:aws:iam::123456789012:policy/service-role/queue";
    check(
        &format!(
            r#"
CreatePolicy {{"PolicyName": "queue", "Path": "/service-role/", "Description": "DLQ", "PolicyDocument": $SEND_DLQ}}
CreatePolicy {{"PolicyName": "QUEUE", "PolicyDocument": $SEND_DLQ}}
CreatePolicy {{"PolicyName": "bad", "PolicyDocument": $NO_RESOURCE}}
GetPolicy {{"PolicyArn": "{arn}"}}
GetPolicy {{"PolicyArn": "arn:aws:iam::123456789012:policy/queue"}}
GetPolicy {{"PolicyArn": "queue"}}
CreatePolicyVersion {{"PolicyArn": "{arn}", "PolicyDocument": $RECEIVE}}
CreatePolicyVersion {{"PolicyArn": "{arn}", "PolicyDocument": $RECEIVE, "SetAsDefault": true}}
ListPolicyVersions {{"PolicyArn": "{arn}"}}
GetPolicyVersion {{"PolicyArn": "{arn}", "VersionId": "v3"}}
GetPolicyVersion {{"PolicyArn": "{arn}", "VersionId": "v9"}}
GetPolicyVersion {{"PolicyArn": "{arn}", "VersionId": "3"}}
DeletePolicyVersion {{"PolicyArn": "{arn}", "VersionId": "v3"}}
SetDefaultPolicyVersion {{"PolicyArn": "{arn}", "VersionId": "v1"}}
DeletePolicyVersion {{"PolicyArn": "{arn}", "VersionId": "v3"}}
CreatePolicyVersion {{"PolicyArn": "{arn}", "PolicyDocument": $RECEIVE}}
CreatePolicyVersion {{"PolicyArn": "{arn}", "PolicyDocument": $RECEIVE}}
CreatePolicyVersion {{"PolicyArn": "{arn}", "PolicyDocument": $RECEIVE}}
CreatePolicyVersion {{"PolicyArn": "{arn}", "PolicyDocument": $RECEIVE}}
CreatePolicyVersion {{"PolicyArn": "{arn}", "PolicyDocument": $RECEIVE}}
DeletePolicy {{"PolicyArn": "{arn}"}}
DeletePolicyVersion {{"PolicyArn": "{arn}", "VersionId": "v2"}}
DeletePolicyVersion {{"PolicyArn": "{arn}", "VersionId": "v4"}}
DeletePolicyVersion {{"PolicyArn": "{arn}", "VersionId": "v5"}}
DeletePolicyVersion {{"PolicyArn": "{arn}", "VersionId": "v6"}}
DeletePolicyVersion {{"PolicyArn": "{arn}", "VersionId": "v7"}}
DeletePolicy {{"PolicyArn": "{arn}"}}
GetPolicy {{"PolicyArn": "{arn}"}}
"#
        ),
        r#"
CreatePolicy -> ok {"Policy":{"Arn":"arn:aws:iam::123456789012:policy/service-role/queue","AttachmentCount":0,"CreateDate":"2025-01-01T00:00:00.000Z","DefaultVersionId":"v1","IsAttachable":true,"Path":"/service-role/","PermissionsBoundaryUsageCount":0,"PolicyId":"<id>","PolicyName":"queue","UpdateDate":"2025-01-01T00:00:00.000Z"}}
CreatePolicy -> EntityAlreadyExists (409): A policy called QUEUE already exists. Duplicate names are not allowed.
CreatePolicy -> MalformedPolicyDocument (400): Policy statement must contain resources.
GetPolicy -> ok {"Policy":{"Arn":"arn:aws:iam::123456789012:policy/service-role/queue","AttachmentCount":0,"CreateDate":"2025-01-01T00:00:00.000Z","DefaultVersionId":"v1","Description":"DLQ","IsAttachable":true,"Path":"/service-role/","PermissionsBoundaryUsageCount":0,"PolicyId":"<id>","PolicyName":"queue","UpdateDate":"2025-01-01T00:00:00.000Z"}}
GetPolicy -> NoSuchEntity (404): Policy arn:aws:iam::123456789012:policy/queue was not found.
GetPolicy -> ParamValidation (400): Parameter validation failed:
Invalid length for parameter PolicyArn, value: 5, valid min length: 20
CreatePolicyVersion -> ok {"PolicyVersion":{"CreateDate":"2025-01-01T00:00:00.000Z","IsDefaultVersion":false,"VersionId":"v2"}}
CreatePolicyVersion -> ok {"PolicyVersion":{"CreateDate":"2025-01-01T00:00:00.000Z","IsDefaultVersion":true,"VersionId":"v3"}}
ListPolicyVersions -> ok {"IsTruncated":false,"Versions":[{"CreateDate":"2025-01-01T00:00:00.000Z","IsDefaultVersion":true,"VersionId":"v3"},{"CreateDate":"2025-01-01T00:00:00.000Z","IsDefaultVersion":false,"VersionId":"v2"},{"CreateDate":"2025-01-01T00:00:00.000Z","IsDefaultVersion":false,"VersionId":"v1"}]}
GetPolicyVersion -> ok {"PolicyVersion":{"CreateDate":"2025-01-01T00:00:00.000Z","Document":"<doc>","IsDefaultVersion":true,"VersionId":"v3"}}
GetPolicyVersion -> NoSuchEntity (404): Policy arn:aws:iam::123456789012:policy/service-role/queue version v9 does not exist or is not attachable.
GetPolicyVersion -> ValidationError (400): 1 validation error detected: Value '3' at 'versionId' failed to satisfy constraint: Member must satisfy regular expression pattern: v[1-9][0-9]*(\.[A-Za-z0-9-]*)?
DeletePolicyVersion -> DeleteConflict (409): Cannot delete the default version of a policy.
SetDefaultPolicyVersion -> ok {}
DeletePolicyVersion -> ok {}
CreatePolicyVersion -> ok {"PolicyVersion":{"CreateDate":"2025-01-01T00:00:00.000Z","IsDefaultVersion":false,"VersionId":"v4"}}
CreatePolicyVersion -> ok {"PolicyVersion":{"CreateDate":"2025-01-01T00:00:00.000Z","IsDefaultVersion":false,"VersionId":"v5"}}
CreatePolicyVersion -> ok {"PolicyVersion":{"CreateDate":"2025-01-01T00:00:00.000Z","IsDefaultVersion":false,"VersionId":"v6"}}
CreatePolicyVersion -> LimitExceeded (409): A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.
CreatePolicyVersion -> LimitExceeded (409): A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.
DeletePolicy -> DeleteConflict (409): This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.
DeletePolicyVersion -> ok {}
DeletePolicyVersion -> ok {}
DeletePolicyVersion -> ok {}
DeletePolicyVersion -> ok {}
DeletePolicyVersion -> NoSuchEntity (404): Policy arn:aws:iam::123456789012:policy/service-role/queue version v7 does not exist or is not attachable.
DeletePolicy -> ok {}
GetPolicy -> NoSuchEntity (404): Policy arn:aws:iam::123456789012:policy/service-role/queue was not found.
"#,
    );
}

#[test]
fn attachments() {
    let basic = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";
    let queue = "arn:aws:iam::123456789012:policy/queue";
    check(
        &with_role(&format!(
            r#"
CreatePolicy {{"PolicyName": "queue", "PolicyDocument": $SEND_DLQ}}
AttachRolePolicy {{"RoleName": "orders-role", "PolicyArn": "{basic}"}}
AttachRolePolicy {{"RoleName": "orders-role", "PolicyArn": "{queue}"}}
AttachRolePolicy {{"RoleName": "orders-role", "PolicyArn": "{queue}"}}
AttachRolePolicy {{"RoleName": "orders-role", "PolicyArn": "arn:aws:iam::aws:policy/AWSLambdaBasicExecutionRole"}}
AttachRolePolicy {{"RoleName": "orders-role", "PolicyArn": "AWSLambdaBasicExecutionRole"}}
AttachRolePolicy {{"RoleName": "nope", "PolicyArn": "{basic}"}}
ListAttachedRolePolicies {{"RoleName": "orders-role"}}
ListAttachedRolePolicies {{"RoleName": "orders-role", "PathPrefix": "/service-role/"}}
ListEntitiesForPolicy {{"PolicyArn": "{queue}"}}
ListEntitiesForPolicy {{"PolicyArn": "{queue}", "EntityFilter": "User"}}
GetPolicy {{"PolicyArn": "{queue}"}}
DeletePolicy {{"PolicyArn": "{queue}"}}
DeleteRole {{"RoleName": "orders-role"}}
DetachRolePolicy {{"RoleName": "orders-role", "PolicyArn": "{queue}"}}
DetachRolePolicy {{"RoleName": "orders-role", "PolicyArn": "{queue}"}}
DetachRolePolicy {{"RoleName": "orders-role", "PolicyArn": "{basic}"}}
DeleteRole {{"RoleName": "orders-role"}}
DeletePolicy {{"PolicyArn": "{queue}"}}
"#
        )),
        r#"
CreateRole -> ok {"Role":{"Arn":"arn:aws:iam::123456789012:role/orders-role","AssumeRolePolicyDocument":"<doc>","CreateDate":"2025-01-01T00:00:00.000Z","Path":"/","RoleId":"<id>","RoleName":"orders-role"}}
CreatePolicy -> ok {"Policy":{"Arn":"arn:aws:iam::123456789012:policy/queue","AttachmentCount":0,"CreateDate":"2025-01-01T00:00:00.000Z","DefaultVersionId":"v1","IsAttachable":true,"Path":"/","PermissionsBoundaryUsageCount":0,"PolicyId":"<id>","PolicyName":"queue","UpdateDate":"2025-01-01T00:00:00.000Z"}}
AttachRolePolicy -> ok {}
AttachRolePolicy -> ok {}
AttachRolePolicy -> ok {}
AttachRolePolicy -> NoSuchEntity (404): Policy arn:aws:iam::aws:policy/AWSLambdaBasicExecutionRole does not exist or is not attachable.
AttachRolePolicy -> InvalidInput (400): ARN AWSLambdaBasicExecutionRole is not valid.
AttachRolePolicy -> NoSuchEntity (404): The role with name nope cannot be found.
ListAttachedRolePolicies -> ok {"AttachedPolicies":[{"PolicyArn":"arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole","PolicyName":"AWSLambdaBasicExecutionRole"},{"PolicyArn":"arn:aws:iam::123456789012:policy/queue","PolicyName":"queue"}],"IsTruncated":false}
ListAttachedRolePolicies -> ok {"AttachedPolicies":[{"PolicyArn":"arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole","PolicyName":"AWSLambdaBasicExecutionRole"}],"IsTruncated":false}
ListEntitiesForPolicy -> ok {"IsTruncated":false,"PolicyGroups":[],"PolicyRoles":[{"RoleId":"<id>","RoleName":"orders-role"}],"PolicyUsers":[]}
ListEntitiesForPolicy -> ok {"IsTruncated":false,"PolicyGroups":[],"PolicyRoles":[],"PolicyUsers":[]}
GetPolicy -> ok {"Policy":{"Arn":"arn:aws:iam::123456789012:policy/queue","AttachmentCount":1,"CreateDate":"2025-01-01T00:00:00.000Z","DefaultVersionId":"v1","IsAttachable":true,"Path":"/","PermissionsBoundaryUsageCount":0,"PolicyId":"<id>","PolicyName":"queue","UpdateDate":"2025-01-01T00:00:00.000Z"}}
DeletePolicy -> DeleteConflict (409): Cannot delete a policy attached to entities.
DeleteRole -> DeleteConflict (409): Cannot delete entity, must detach all policies first.
DetachRolePolicy -> ok {}
DetachRolePolicy -> NoSuchEntity (404): Policy arn:aws:iam::123456789012:policy/queue was not found.
DetachRolePolicy -> ok {}
DeleteRole -> ok {}
DeletePolicy -> ok {}
"#,
    );
}

#[test]
fn aws_managed_policies_are_in_every_account_and_read_only() {
    let basic = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";
    check(
        &format!(
            r#"
GetPolicy {{"PolicyArn": "{basic}"}}
GetPolicyVersion {{"PolicyArn": "{basic}", "VersionId": "v1"}}
ListPolicyVersions {{"PolicyArn": "{basic}"}}
DeletePolicy {{"PolicyArn": "{basic}"}}
CreatePolicyVersion {{"PolicyArn": "{basic}", "PolicyDocument": $RECEIVE}}
ListPolicies {{"Scope": "AWS", "MaxItems": 3}}
ListPolicies {{"Scope": "Local"}}
ListPolicies {{"OnlyAttached": true}}
ListPolicies {{"Scope": "Mine"}}
"#
        ),
        r#"
GetPolicy -> ok {"Policy":{"Arn":"arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole","AttachmentCount":0,"CreateDate":"2015-04-09T15:03:43.000Z","DefaultVersionId":"v1","IsAttachable":true,"Path":"/service-role/","PermissionsBoundaryUsageCount":0,"PolicyId":"<id>","PolicyName":"AWSLambdaBasicExecutionRole","UpdateDate":"2015-04-09T15:03:43.000Z"}}
GetPolicyVersion -> ok {"PolicyVersion":{"CreateDate":"2015-04-09T15:03:43.000Z","Document":"<doc>","IsDefaultVersion":true,"VersionId":"v1"}}
ListPolicyVersions -> ok {"IsTruncated":false,"Versions":[{"CreateDate":"2015-04-09T15:03:43.000Z","IsDefaultVersion":true,"VersionId":"v1"}]}
DeletePolicy -> InvalidInput (400): The policy arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole is an AWS managed policy, which cannot be deleted or changed.
CreatePolicyVersion -> InvalidInput (400): The policy arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole is an AWS managed policy, which cannot be deleted or changed.
ListPolicies -> ok {"IsTruncated":true,"Marker":"AAEA00000003","Policies":[{"Arn":"arn:aws:iam::aws:policy/AdministratorAccess","AttachmentCount":0,"CreateDate":"2015-02-06T18:39:46.000Z","DefaultVersionId":"v1","IsAttachable":true,"Path":"/","PermissionsBoundaryUsageCount":0,"PolicyId":"<id>","PolicyName":"AdministratorAccess","UpdateDate":"2015-02-06T18:39:46.000Z"},{"Arn":"arn:aws:iam::aws:policy/AmazonAPIGatewayInvokeFullAccess","AttachmentCount":0,"CreateDate":"2015-07-09T17:36:12.000Z","DefaultVersionId":"v2","IsAttachable":true,"Path":"/","PermissionsBoundaryUsageCount":0,"PolicyId":"<id>","PolicyName":"AmazonAPIGatewayInvokeFullAccess","UpdateDate":"2018-12-18T18:25:10.000Z"},{"Arn":"arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess","AttachmentCount":0,"CreateDate":"2015-02-06T18:40:11.000Z","DefaultVersionId":"v15","IsAttachable":true,"Path":"/","PermissionsBoundaryUsageCount":0,"PolicyId":"<id>","PolicyName":"AmazonDynamoDBFullAccess","UpdateDate":"2021-01-29T17:38:30.000Z"}]}
ListPolicies -> ok {"IsTruncated":false,"Policies":[]}
ListPolicies -> ok {"IsTruncated":false,"Policies":[]}
ListPolicies -> ValidationError (400): 1 validation error detected: Value 'Mine' at 'scope' failed to satisfy constraint: Member must satisfy enum value set: [All, AWS, Local]
"#,
    );
}

#[test]
fn every_aws_managed_policy_is_listed() {
    let mut world = World::default();
    let listed = world.call("iam", "ListPolicies", &json!({"Scope": "AWS"})).unwrap();
    let names: Vec<&str> =
        listed["Policies"].as_array().unwrap().iter().map(|p| p["PolicyName"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "AdministratorAccess",
            "AmazonAPIGatewayInvokeFullAccess",
            "AmazonDynamoDBFullAccess",
            "AmazonDynamoDBReadOnlyAccess",
            "AmazonEventBridgeFullAccess",
            "AmazonKinesisFullAccess",
            "AmazonSQSFullAccess",
            "AWSLambdaBasicExecutionRole",
            "AWSLambdaDynamoDBExecutionRole",
            "AWSLambdaKinesisExecutionRole",
            "AWSLambdaRole",
            "AWSLambdaSQSQueueExecutionRole",
            "AWSStepFunctionsFullAccess",
            "CloudWatchLogsFullAccess",
            "SecretsManagerReadWrite",
        ]
    );
    assert_eq!(listed["IsTruncated"], false);
}

#[test]
fn documents_come_back_url_encoded_as_sent() {
    let mut world = World::default();
    let trust = "{\"Version\": \"2012-10-17\",\n \"Statement\": {\"Effect\": \"Allow\", \"Principal\": {\"Service\": \"lambda.amazonaws.com\"}, \"Action\": \"sts:AssumeRole\"}}";
    let role = world.call("iam", "CreateRole", &json!({"RoleName": "r", "AssumeRolePolicyDocument": trust})).unwrap();
    assert_eq!(
        role["Role"]["AssumeRolePolicyDocument"],
        "%7B%22Version%22%3A%20%222012-10-17%22%2C%0A%20%22Statement%22%3A%20%7B%22Effect%22%3A%20%22Allow%22%2C%20%22Principal%22%3A%20%7B%22Service%22%3A%20%22lambda.amazonaws.com%22%7D%2C%20%22Action%22%3A%20%22sts%3AAssumeRole%22%7D%7D"
    );
    assert_eq!(role["Role"]["Arn"], "arn:aws:iam::123456789012:role/r");
    let id = role["Role"]["RoleId"].as_str().unwrap();
    assert!(id.starts_with("AROA") && id.len() == 21, "{id}");
    assert_eq!(role["Role"]["CreateDate"], "2025-01-01T00:00:00.000Z");
    let got = world.call("iam", "GetRole", &json!({"RoleName": "r"})).unwrap();
    assert_eq!(got["Role"]["AssumeRolePolicyDocument"], role["Role"]["AssumeRolePolicyDocument"]);
}

#[test]
fn the_simulator_explains_each_decision() {
    check(
        &with_role(
            r#"
PutRolePolicy {"RoleName": "orders-role", "PolicyName": "history", "PolicyDocument": $PUT_HISTORY}
PutRolePolicy {"RoleName": "orders-role", "PolicyName": "no-deletes", "PolicyDocument": $DENY_DELETE}
AttachRolePolicy {"RoleName": "orders-role", "PolicyArn": "arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess"}
SimulatePrincipalPolicy {"PolicySourceArn": "arn:aws:iam::123456789012:role/orders-role", "ActionNames": ["dynamodb:PutItem", "dynamodb:DeleteItem", "sqs:SendMessage"], "ResourceArns": ["arn:aws:dynamodb:ap-southeast-1:123456789012:table/OrdersHistory"]}
SimulatePrincipalPolicy {"PolicySourceArn": "arn:aws:iam::123456789012:role/orders-role", "ActionNames": ["sqs:SendMessage"], "PolicyInputList": [$REGION_CONDITION]}
SimulatePrincipalPolicy {"PolicySourceArn": "arn:aws:iam::123456789012:role/orders-role", "ActionNames": ["sqs:SendMessage"], "PolicyInputList": [$REGION_CONDITION], "ContextEntries": [{"ContextKeyName": "aws:SourceAccount", "ContextKeyValues": ["123456789012"], "ContextKeyType": "string"}]}
SimulatePrincipalPolicy {"PolicySourceArn": "arn:aws:iam::123456789012:role/nope", "ActionNames": ["sqs:SendMessage"]}
SimulatePrincipalPolicy {"PolicySourceArn": "arn:aws:iam::123456789012:role/orders-role"}
SimulatePrincipalPolicy {"PolicySourceArn": "arn:aws:iam::123456789012:role/orders-role", "ActionNames": ["s3:GetObject"], "ResourcePolicy": "{}"}
"#,
        ),
        r#"
CreateRole -> ok {"Role":{"Arn":"arn:aws:iam::123456789012:role/orders-role","AssumeRolePolicyDocument":"<doc>","CreateDate":"2025-01-01T00:00:00.000Z","Path":"/","RoleId":"<id>","RoleName":"orders-role"}}
PutRolePolicy -> ok {}
PutRolePolicy -> ok {}
AttachRolePolicy -> ok {}
SimulatePrincipalPolicy -> ok {"EvaluationResults":[{"EvalActionName":"dynamodb:PutItem","EvalDecision":"allowed","EvalResourceName":"arn:aws:dynamodb:ap-southeast-1:123456789012:table/OrdersHistory","MatchedStatements":[{"EndPosition":{"Column":139,"Line":1},"SourcePolicyId":"history","SourcePolicyType":"role","StartPosition":{"Column":15,"Line":1}}],"MissingContextValues":[]},{"EvalActionName":"dynamodb:DeleteItem","EvalDecision":"explicitDeny","EvalResourceName":"arn:aws:dynamodb:ap-southeast-1:123456789012:table/OrdersHistory","MatchedStatements":[{"EndPosition":{"Column":93,"Line":1},"SourcePolicyId":"no-deletes","SourcePolicyType":"role","StartPosition":{"Column":15,"Line":1}}],"MissingContextValues":[]},{"EvalActionName":"sqs:SendMessage","EvalDecision":"implicitDeny","EvalResourceName":"arn:aws:dynamodb:ap-southeast-1:123456789012:table/OrdersHistory","MatchedStatements":[],"MissingContextValues":[]}],"IsTruncated":false}
SimulatePrincipalPolicy -> ok {"EvaluationResults":[{"EvalActionName":"sqs:SendMessage","EvalDecision":"implicitDeny","EvalResourceName":"*","MatchedStatements":[],"MissingContextValues":["aws:SourceAccount"]}],"IsTruncated":false}
SimulatePrincipalPolicy -> ok {"EvaluationResults":[{"EvalActionName":"sqs:SendMessage","EvalDecision":"allowed","EvalResourceName":"*","MatchedStatements":[{"EndPosition":{"Column":131,"Line":1},"SourcePolicyId":"PolicyInputList.1","SourcePolicyType":"none","StartPosition":{"Column":15,"Line":1}}],"MissingContextValues":[]}],"IsTruncated":false}
SimulatePrincipalPolicy -> NoSuchEntity (404): The role with name nope cannot be found.
SimulatePrincipalPolicy -> ParamValidation (400): Parameter validation failed:
Missing required parameter in input: "ActionNames"
SimulatePrincipalPolicy -> SimulatorLimitation (400): The simulator does not support ResourcePolicy yet; see docs/differences.md.
"#,
    );
}

#[test]
fn reads_change_nothing_and_are_not_recorded() {
    let mut world = World::default();
    run(&mut world, ROLE);
    let before = world.clone();
    let read = world.read("iam", "GetRole", &json!({"RoleName": "orders-role"})).unwrap();
    assert_eq!(read["Role"]["RoleName"], "orders-role");
    assert!(world.read("iam", "DeleteRole", &json!({"RoleName": "orders-role"})).is_err());
    assert_eq!(world, before);
}

#[test]
fn a_saved_world_keeps_its_roles_and_not_the_aws_managed_policies() {
    let mut world = World::default();
    run(
        &mut world,
        &with_role(
            r#"AttachRolePolicy {"RoleName": "orders-role", "PolicyArn": "arn:aws:iam::aws:policy/AWSLambdaRole"}"#,
        ),
    );
    let saved = serde_json::to_string(&world).unwrap();
    assert!(!saved.contains("lambda:InvokeFunction"), "AWS managed documents are data, not state");
    let back: World = serde_json::from_str(&saved).unwrap();
    assert_eq!(back, world);
}
