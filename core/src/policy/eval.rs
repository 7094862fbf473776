//! Evaluating policies: does a set of statements allow a request?
//!
//! IAM's logic for the policies of one account: an explicit `Deny` that matches the request wins
//! over everything; otherwise an `Allow` that matches allows it; otherwise it is implicitly
//! denied. A statement matches when its action, resource and principal elements match and every
//! condition holds.
//!
//! Actions match without case (`DynamoDB:putitem` is `dynamodb:PutItem`), resources with case,
//! both with the wildcards `*` (any run of characters) and `?` (one character). Condition keys
//! match without case; a condition's values are alternatives (any may match), its keys and
//! operators all must hold. A key the request does not have makes a condition false, except for
//! `Null`, for `...IfExists`, for `ForAllValues:` and for the negated operators (`StringNotEquals`,
//! `ArnNotLike`...), which hold when there is nothing to compare.

use super::{Effect, Items, Policy, Principal, PrincipalKind, SetQualifier, Statement, Test};
use std::collections::BTreeMap;

/// The request's condition keys and their values (`aws:SourceArn` -> [ARN]); keys in any case.
pub type Context = BTreeMap<String, Vec<String>>;

/// Who makes a request, for the `Principal` elements of trust and resource policies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Caller {
    /// An IAM identity: `arn:aws:iam::<account>:user/<name>`, `...:role/<name>`, a role session
    /// `arn:aws:sts::<account>:assumed-role/<role>/<session>`, or an account's root.
    Aws { arn: String },
    /// A service principal (`lambda.amazonaws.com`).
    Service { name: String },
    /// A federated identity provider.
    Federated { provider: String },
}

/// What is asked: an action on a resource, by a caller, with a context.
#[derive(Clone, Copy, Debug)]
pub struct Request<'a> {
    /// `service:Action`, as in a policy (`dynamodb:PutItem`).
    pub action: &'a str,
    /// The resource's ARN, or `*`.
    pub resource: &'a str,
    /// Who asks; `None` where no policy names principals (identity policies).
    pub caller: Option<&'a Caller>,
    pub context: &'a Context,
}

/// The outcome of an evaluation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    Allowed,
    /// A `Deny` statement matched.
    ExplicitDeny,
    /// No `Allow` statement matched (and no `Deny`).
    ImplicitDeny,
}

impl Decision {
    /// As IAM's policy simulator names it (`EvalDecision`).
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Allowed => "allowed",
            Decision::ExplicitDeny => "explicitDeny",
            Decision::ImplicitDeny => "implicitDeny",
        }
    }
}

/// A statement that decided: the index of its policy in the list evaluated, and its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Matched {
    pub policy: usize,
    pub statement: usize,
}

/// The decision, the statements that made it (the denying ones for an explicit deny, the
/// allowing ones for an allow, none for an implicit deny) and the condition keys the request
/// lacked in statements that otherwise applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evaluation {
    pub decision: Decision,
    pub matched: Vec<Matched>,
    pub missing_context: Vec<String>,
}

/// Evaluates `request` against every statement of `policies`.
pub fn evaluate(policies: &[&Policy], request: &Request) -> Evaluation {
    let context: BTreeMap<String, &Vec<String>> =
        request.context.iter().map(|(k, v)| (k.to_ascii_lowercase(), v)).collect();
    let (mut allows, mut denies, mut missing) = (Vec::new(), Vec::new(), Vec::new());
    for (p, policy) in policies.iter().enumerate() {
        for (s, statement) in policy.statements.iter().enumerate() {
            if !applies(statement, request) {
                continue;
            }
            for condition in &statement.conditions {
                let key = condition.key.to_ascii_lowercase();
                if condition.operator.test != Test::Null
                    && !context.contains_key(&key)
                    && !missing.iter().any(|m: &String| m.eq_ignore_ascii_case(&key))
                {
                    missing.push(condition.key.clone());
                }
            }
            if !statement.conditions.iter().all(|c| holds(c, context.get(&c.key.to_ascii_lowercase()).copied())) {
                continue;
            }
            let matched = Matched { policy: p, statement: s };
            match statement.effect {
                Effect::Allow => allows.push(matched),
                Effect::Deny => denies.push(matched),
            }
        }
    }
    let (decision, matched) = if !denies.is_empty() {
        (Decision::ExplicitDeny, denies)
    } else if !allows.is_empty() {
        (Decision::Allowed, allows)
    } else {
        (Decision::ImplicitDeny, Vec::new())
    };
    Evaluation { decision, matched, missing_context: missing }
}

/// Whether the statement's action, resource and principal elements match (conditions aside).
fn applies(statement: &Statement, request: &Request) -> bool {
    let listed = |items: &Items, value: &str, fold: bool| {
        let any = items.patterns.iter().any(|p| glob(p, value, fold));
        any != items.negated
    };
    if !statement.action.as_ref().is_some_and(|a| listed(a, request.action, true)) {
        return false;
    }
    if let Some(resource) = &statement.resource {
        if !listed(resource, request.resource, false) {
            return false;
        }
    }
    if let Some(principals) = &statement.principal {
        let named = request.caller.is_some_and(|caller| names(&principals.principal, caller));
        if named == principals.negated {
            return false;
        }
    }
    true
}

/// Whether `principal` names `caller`.
fn names(principal: &Principal, caller: &Caller) -> bool {
    let Principal::Listed(listed) = principal else { return true };
    listed.iter().any(|(kind, name)| match (kind, caller) {
        (PrincipalKind::Aws, _) if name == "*" => true,
        (PrincipalKind::Aws, Caller::Aws { arn }) => {
            let account = arn.split(':').nth(4).unwrap_or("");
            name == arn
                || name == account
                || *name == format!("arn:aws:iam::{account}:root")
                || session_role(arn).is_some_and(|role| *name == role)
        }
        (PrincipalKind::Service, Caller::Service { name: service }) => {
            name == "*" || name.eq_ignore_ascii_case(service)
        }
        (PrincipalKind::Federated, Caller::Federated { provider }) => name == provider,
        _ => false,
    })
}

/// The role ARN of a role session's ARN (`arn:aws:sts::1:assumed-role/R/S` -> `arn:aws:iam::1:role/R`).
fn session_role(arn: &str) -> Option<String> {
    let rest = arn.strip_prefix("arn:aws:sts::")?;
    let (account, path) = rest.split_once(':')?;
    let role = path.strip_prefix("assumed-role/")?.split('/').next()?;
    Some(format!("arn:aws:iam::{account}:role/{role}"))
}

/// Whether one condition holds for the request's values of its key (`None`: the key is absent).
fn holds(condition: &super::Condition, values: Option<&Vec<String>>) -> bool {
    let operator = condition.operator;
    let test = operator.test;
    if test == Test::Null {
        // `true`: the key must be absent; `false`: present. Several values: any.
        return condition.values.iter().any(|v| v.eq_ignore_ascii_case("true") == values.is_none());
    }
    let values = match values {
        Some(values) if !values.is_empty() => values,
        _ => {
            return operator.if_exists
                || operator.set == Some(SetQualifier::AllValues)
                || (operator.set.is_none() && test.negated())
        }
    };
    // One request value against the policy's values: a positive test holds if any policy value
    // matches; a negated one if none does.
    let one = |value: &String| {
        let any = condition.values.iter().any(|wanted| compare(test, value, wanted));
        any != test.negated()
    };
    match operator.set {
        Some(SetQualifier::AllValues) => values.iter().all(one),
        Some(SetQualifier::AnyValue) => values.iter().any(one),
        None if test.negated() => values.iter().all(one),
        None => values.iter().any(one),
    }
}

/// The positive form of `test` between a request value and a policy value.
fn compare(test: Test, value: &str, wanted: &str) -> bool {
    use Test::*;
    match test {
        StringEquals | StringNotEquals => value == wanted,
        StringEqualsIgnoreCase | StringNotEqualsIgnoreCase => value.to_lowercase() == wanted.to_lowercase(),
        StringLike | StringNotLike => glob(wanted, value, false),
        NumericEquals | NumericNotEquals => numbers(value, wanted).is_some_and(|(a, b)| a == b),
        NumericLessThan => numbers(value, wanted).is_some_and(|(a, b)| a < b),
        NumericLessThanEquals => numbers(value, wanted).is_some_and(|(a, b)| a <= b),
        NumericGreaterThan => numbers(value, wanted).is_some_and(|(a, b)| a > b),
        NumericGreaterThanEquals => numbers(value, wanted).is_some_and(|(a, b)| a >= b),
        DateEquals | DateNotEquals => dates(value, wanted).is_some_and(|(a, b)| a == b),
        DateLessThan => dates(value, wanted).is_some_and(|(a, b)| a < b),
        DateLessThanEquals => dates(value, wanted).is_some_and(|(a, b)| a <= b),
        DateGreaterThan => dates(value, wanted).is_some_and(|(a, b)| a > b),
        DateGreaterThanEquals => dates(value, wanted).is_some_and(|(a, b)| a >= b),
        Bool => value.eq_ignore_ascii_case(wanted),
        BinaryEquals => value == wanted,
        IpAddress | NotIpAddress => in_network(value, wanted),
        ArnEquals | ArnLike | ArnNotEquals | ArnNotLike => arn_like(wanted, value),
        Null => false,
    }
}

fn numbers(a: &str, b: &str) -> Option<(f64, f64)> {
    Some((a.trim().parse().ok()?, b.trim().parse().ok()?))
}

fn dates(a: &str, b: &str) -> Option<(i64, i64)> {
    Some((parse_date(a)?, parse_date(b)?))
}

/// An instant in milliseconds since the epoch, from ISO 8601 (`2025-01-01`, `2025-01-01T10:00Z`,
/// `2025-01-01T10:00:00.5+07:00`) or epoch seconds (`1735689600`).
pub(super) fn parse_date(text: &str) -> Option<i64> {
    let text = text.trim();
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse::<i64>().ok()?.checked_mul(1000);
    }
    let (date, time) = match text.split_once(['T', 't']) {
        Some((date, time)) => (date, Some(time)),
        None => (text, None),
    };
    let mut parts = date.splitn(3, '-');
    let year: i64 = digits(parts.next()?, 4)?;
    let month: i64 = parts.next().map_or(Some(1), |m| digits(m, 2))?;
    let day: i64 = parts.next().map_or(Some(1), |d| digits(d, 2))?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let mut ms = days_from_civil(year, month, day) * 86_400_000;
    if let Some(time) = time {
        let (clock, offset_ms) = if let Some(clock) = time.strip_suffix(['Z', 'z']) {
            (clock, 0)
        } else if let Some(at) = time.rfind(['+', '-']) {
            let (clock, zone) = time.split_at(at);
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            let (h, m) = zone[1..].split_once(':').unwrap_or((&zone[1..], "00"));
            (clock, sign * (digits(h, 2)? * 3_600_000 + digits(m, 2)? * 60_000))
        } else {
            (time, 0)
        };
        let mut fields = clock.splitn(3, ':');
        let hour: i64 = digits(fields.next()?, 2)?;
        let minute: i64 = fields.next().map_or(Some(0), |m| digits(m, 2))?;
        let (second, fraction) = match fields.next() {
            Some(s) => match s.split_once('.') {
                Some((s, f)) => (digits(s, 2)?, f),
                None => (digits(s, 2)?, ""),
            },
            None => (0, ""),
        };
        if hour > 23 || minute > 59 || second > 59 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let millis: i64 = format!("{fraction:0<3}")[..3].parse().ok()?;
        ms += hour * 3_600_000 + minute * 60_000 + second * 1000 + millis - offset_ms;
    }
    Some(ms)
}

/// `text` as a number of exactly `len` digits.
fn digits(text: &str, len: usize) -> Option<i64> {
    (text.len() == len && text.bytes().all(|b| b.is_ascii_digit())).then(|| text.parse().ok()).flatten()
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Whether the address `value` is in the network `cidr` (`203.0.113.0/24`, or one address).
fn in_network(value: &str, cidr: &str) -> bool {
    use core::net::IpAddr;
    let (network, bits) = match cidr.split_once('/') {
        Some((n, b)) => (n, b.parse::<u32>().ok()),
        None => (cidr, None),
    };
    let (Ok(address), Ok(network)) = (value.parse::<IpAddr>(), network.parse::<IpAddr>()) else { return false };
    let (a, n, width) = match (address, network) {
        (IpAddr::V4(a), IpAddr::V4(n)) => (u128::from(u32::from(a)), u128::from(u32::from(n)), 32),
        (IpAddr::V6(a), IpAddr::V6(n)) => (u128::from(a), u128::from(n), 128),
        _ => return false,
    };
    let bits = bits.unwrap_or(width);
    if bits > width {
        return false;
    }
    let shift = width - bits;
    shift >= 128 || (a >> shift) == (n >> shift)
}

/// ARN matching: the six colon-separated parts each matched with wildcards, so `*` does not run
/// across a part (the resource part, the last, may itself hold colons).
fn arn_like(pattern: &str, arn: &str) -> bool {
    let p: Vec<&str> = pattern.splitn(6, ':').collect();
    let a: Vec<&str> = arn.splitn(6, ':').collect();
    p.len() == a.len() && p.iter().zip(&a).all(|(p, a)| glob(p, a, false))
}

/// Wildcard matching: `*` matches any run of characters, `?` any one; `fold` ignores case.
pub(super) fn glob(pattern: &str, text: &str, fold: bool) -> bool {
    let norm = |s: &str| -> Vec<char> {
        if fold {
            s.chars().flat_map(char::to_lowercase).collect()
        } else {
            s.chars().collect()
        }
    };
    let (p, t) = (norm(pattern), norm(text));
    let (mut pi, mut ti) = (0, 0);
    // Where the last `*` was, and the text position it is trying to cover up to.
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || (p[pi] != '*' && p[pi] == t[ti])) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::super::{parse, Flavour};
    use super::*;

    fn context(pairs: &[(&str, &str)]) -> Context {
        let mut context = Context::new();
        for (k, v) in pairs {
            context.entry(k.to_string()).or_default().push(v.to_string());
        }
        context
    }

    /// Evaluates `action` on `resource` with `pairs` as context against an identity policy whose
    /// statements are `statements` (JSON), rendering the decision and the matched statements.
    fn check(statements: &str, action: &str, resource: &str, pairs: &[(&str, &str)], expect: &str) {
        let policy = parse(&format!(r#"{{"Version": "2012-10-17", "Statement": {statements}}}"#), Flavour::Identity)
            .unwrap_or_else(|e| panic!("{e}: {statements}"));
        let context = context(pairs);
        let request = Request { action, resource, caller: None, context: &context };
        let evaluation = evaluate(&[&policy], &request);
        let matched: Vec<String> = evaluation.matched.iter().map(|m| m.statement.to_string()).collect();
        let got = format!("{} [{}]", evaluation.decision.as_str(), matched.join(","));
        assert_eq!(got, expect, "{statements} {action} {resource} {pairs:?}");
    }

    const TABLE: &str = "arn:aws:dynamodb:ap-southeast-1:123456789012:table/Orders";

    #[test]
    fn deny_wins_then_allow_then_implicit_deny() {
        let allow = r#"{"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"}"#;
        let deny = r#"{"Effect": "Deny", "Action": "dynamodb:DeleteItem", "Resource": "*"}"#;
        check(&format!("[{allow}, {deny}]"), "dynamodb:PutItem", TABLE, &[], "allowed [0]");
        check(&format!("[{allow}, {deny}]"), "dynamodb:DeleteItem", TABLE, &[], "explicitDeny [1]");
        check(&format!("[{allow}, {deny}]"), "sqs:SendMessage", TABLE, &[], "implicitDeny []");
    }

    #[test]
    fn actions_match_without_case_resources_with_case() {
        let s = r#"{"Effect": "Allow", "Action": "DynamoDB:Put*", "Resource": "arn:aws:dynamodb:*:*:table/Ord?rs"}"#;
        check(s, "dynamodb:PutItem", TABLE, &[], "allowed [0]");
        check(s, "dynamodb:putitem", TABLE, &[], "allowed [0]");
        check(s, "dynamodb:GetItem", TABLE, &[], "implicitDeny []");
        check(s, "dynamodb:PutItem", &TABLE.replace("Orders", "orders"), &[], "implicitDeny []");
        check(s, "dynamodb:PutItem", &format!("{TABLE}/index/x"), &[], "implicitDeny []");
    }

    #[test]
    fn not_action_and_not_resource() {
        let s = r#"{"Effect": "Allow", "NotAction": "iam:*", "NotResource": "arn:aws:dynamodb:*:*:table/Secret"}"#;
        check(s, "dynamodb:PutItem", TABLE, &[], "allowed [0]");
        check(s, "iam:CreateRole", TABLE, &[], "implicitDeny []");
        check(s, "dynamodb:PutItem", "arn:aws:dynamodb:x:1:table/Secret", &[], "implicitDeny []");
    }

    #[test]
    fn string_conditions() {
        let s = |op: &str, v: &str| {
            format!(
                r#"{{"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {{"{op}": {{"aws:RequestedRegion": {v}}}}}}}"#
            )
        };
        let sg = [("aws:RequestedRegion", "ap-southeast-1")];
        check(&s("StringEquals", r#"["us-east-1", "ap-southeast-1"]"#), "s3:GetObject", "*", &sg, "allowed [0]");
        check(&s("StringEquals", r#""AP-southeast-1""#), "s3:GetObject", "*", &sg, "implicitDeny []");
        check(&s("StringEqualsIgnoreCase", r#""AP-southeast-1""#), "s3:GetObject", "*", &sg, "allowed [0]");
        check(&s("StringNotEquals", r#""us-east-1""#), "s3:GetObject", "*", &sg, "allowed [0]");
        check(&s("StringNotEquals", r#"["us-east-1", "ap-southeast-1"]"#), "s3:GetObject", "*", &sg, "implicitDeny []");
        check(&s("StringLike", r#""ap-*""#), "s3:GetObject", "*", &sg, "allowed [0]");
        check(&s("StringNotLike", r#""ap-*""#), "s3:GetObject", "*", &sg, "implicitDeny []");
        // A missing key: false for positive operators, true for negated ones and IfExists.
        check(&s("StringEquals", r#""x""#), "s3:GetObject", "*", &[], "implicitDeny []");
        check(&s("StringNotEquals", r#""x""#), "s3:GetObject", "*", &[], "allowed [0]");
        check(&s("StringEqualsIfExists", r#""x""#), "s3:GetObject", "*", &[], "allowed [0]");
        check(&s("StringEqualsIfExists", r#""x""#), "s3:GetObject", "*", &sg, "implicitDeny []");
        // Keys match without case.
        check(
            &s("StringEquals", r#""ap-southeast-1""#),
            "s3:GetObject",
            "*",
            &[("AWS:requestedregion", "ap-southeast-1")],
            "allowed [0]",
        );
    }

    #[test]
    fn arn_bool_null_numeric_date_ip_conditions() {
        let s = |block: &str| format!(r#"{{"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {block}}}"#);
        let queue = [("aws:SourceArn", "arn:aws:sqs:ap-southeast-1:123456789012:orders-dlq")];
        check(
            &s(r#"{"ArnLike": {"aws:SourceArn": "arn:aws:sqs:*:123456789012:orders-*"}}"#),
            "x:y",
            "*",
            &queue,
            "allowed [0]",
        );
        check(
            &s(r#"{"ArnEquals": {"aws:SourceArn": "arn:aws:sqs:*:123456789012:orders-dlq"}}"#),
            "x:y",
            "*",
            &queue,
            "allowed [0]",
        );
        check(
            &s(r#"{"ArnLike": {"aws:SourceArn": "arn:aws:*:123456789012:orders-dlq"}}"#),
            "x:y",
            "*",
            &queue,
            "implicitDeny []",
        );
        check(&s(r#"{"ArnNotLike": {"aws:SourceArn": "arn:aws:sqs:*:*:other"}}"#), "x:y", "*", &queue, "allowed [0]");
        check(
            &s(r#"{"ArnNotEquals": {"aws:SourceArn": "arn:aws:sqs:*:*:orders-dlq"}}"#),
            "x:y",
            "*",
            &queue,
            "implicitDeny []",
        );
        check(
            &s(r#"{"Bool": {"aws:SecureTransport": "true"}}"#),
            "x:y",
            "*",
            &[("aws:SecureTransport", "TRUE")],
            "allowed [0]",
        );
        check(
            &s(r#"{"Bool": {"aws:SecureTransport": false}}"#),
            "x:y",
            "*",
            &[("aws:SecureTransport", "true")],
            "implicitDeny []",
        );
        check(&s(r#"{"Null": {"aws:SourceArn": "true"}}"#), "x:y", "*", &[], "allowed [0]");
        check(&s(r#"{"Null": {"aws:SourceArn": "true"}}"#), "x:y", "*", &queue, "implicitDeny []");
        check(&s(r#"{"Null": {"aws:SourceArn": "false"}}"#), "x:y", "*", &queue, "allowed [0]");
        check(
            &s(r#"{"NumericLessThan": {"s3:max-keys": "10"}}"#),
            "x:y",
            "*",
            &[("s3:max-keys", "9.5")],
            "allowed [0]",
        );
        check(
            &s(r#"{"NumericGreaterThanEquals": {"s3:max-keys": 10}}"#),
            "x:y",
            "*",
            &[("s3:max-keys", "10")],
            "allowed [0]",
        );
        check(
            &s(r#"{"NumericEquals": {"s3:max-keys": 10}}"#),
            "x:y",
            "*",
            &[("s3:max-keys", "ten")],
            "implicitDeny []",
        );
        check(&s(r#"{"NumericNotEquals": {"s3:max-keys": 10}}"#), "x:y", "*", &[("s3:max-keys", "11")], "allowed [0]");
        let now = [("aws:CurrentTime", "2025-01-01T00:00:00Z")];
        check(&s(r#"{"DateLessThan": {"aws:CurrentTime": "2025-01-02"}}"#), "x:y", "*", &now, "allowed [0]");
        check(&s(r#"{"DateGreaterThan": {"aws:CurrentTime": "1735689600"}}"#), "x:y", "*", &now, "implicitDeny []");
        check(
            &s(r#"{"DateEquals": {"aws:CurrentTime": "2025-01-01T07:00:00+07:00"}}"#),
            "x:y",
            "*",
            &now,
            "allowed [0]",
        );
        let ip = [("aws:SourceIp", "203.0.113.7")];
        check(&s(r#"{"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}"#), "x:y", "*", &ip, "allowed [0]");
        check(&s(r#"{"NotIpAddress": {"aws:SourceIp": ["203.0.113.0/24"]}}"#), "x:y", "*", &ip, "implicitDeny []");
    }

    #[test]
    fn keys_and_operators_are_anded_values_ored() {
        let s = r#"{"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalAccount": "123456789012", "aws:RequestedRegion": ["ap-southeast-1", "us-east-1"]}, "ArnLike": {"aws:SourceArn": "arn:aws:*:*:*:*"}}}"#;
        let all = [
            ("aws:PrincipalAccount", "123456789012"),
            ("aws:RequestedRegion", "us-east-1"),
            ("aws:SourceArn", "arn:aws:sqs:x:1:q"),
        ];
        check(s, "x:y", "*", &all, "allowed [0]");
        check(s, "x:y", "*", &all[..2], "implicitDeny []");
        check(s, "x:y", "*", &[all[0], ("aws:RequestedRegion", "eu-west-1"), all[2]], "implicitDeny []");
    }

    #[test]
    fn set_qualifiers() {
        let s = |op: &str| {
            format!(
                r#"{{"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {{"{op}": {{"aws:TagKeys": ["team", "env"]}}}}}}"#
            )
        };
        let both = [("aws:TagKeys", "team"), ("aws:TagKeys", "env")];
        let extra = [("aws:TagKeys", "team"), ("aws:TagKeys", "cost")];
        check(&s("ForAllValues:StringEquals"), "x:y", "*", &both, "allowed [0]");
        check(&s("ForAllValues:StringEquals"), "x:y", "*", &extra, "implicitDeny []");
        check(&s("ForAllValues:StringEquals"), "x:y", "*", &[], "allowed [0]");
        check(&s("ForAnyValue:StringEquals"), "x:y", "*", &extra, "allowed [0]");
        check(&s("ForAnyValue:StringEquals"), "x:y", "*", &[], "implicitDeny []");
    }

    #[test]
    fn missing_context_keys_are_reported() {
        let policy = parse(
            r#"{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"StringEquals": {"aws:SourceAccount": "1"}, "Null": {"aws:x": "true"}}}}"#,
            Flavour::Identity,
        )
        .unwrap();
        let context = Context::new();
        let request = Request { action: "a:b", resource: "*", caller: None, context: &context };
        assert_eq!(evaluate(&[&policy], &request).missing_context, ["aws:SourceAccount"]);
    }

    #[test]
    fn principals_of_trust_and_resource_policies() {
        let trust = parse(
            r#"{"Statement": [{"Effect": "Allow", "Principal": {"Service": ["lambda.amazonaws.com"], "AWS": "arn:aws:iam::123456789012:role/admin"}, "Action": "sts:AssumeRole"}]}"#,
            Flavour::Trust,
        )
        .unwrap();
        let context = Context::new();
        let ask = |caller: Caller| {
            let request = Request { action: "sts:AssumeRole", resource: "*", caller: Some(&caller), context: &context };
            evaluate(&[&trust], &request).decision
        };
        assert_eq!(ask(Caller::Service { name: "lambda.amazonaws.com".into() }), Decision::Allowed);
        assert_eq!(ask(Caller::Service { name: "states.amazonaws.com".into() }), Decision::ImplicitDeny);
        assert_eq!(ask(Caller::Aws { arn: "arn:aws:iam::123456789012:role/admin".into() }), Decision::Allowed);
        assert_eq!(
            ask(Caller::Aws { arn: "arn:aws:sts::123456789012:assumed-role/admin/s1".into() }),
            Decision::Allowed
        );
        assert_eq!(ask(Caller::Aws { arn: "arn:aws:iam::123456789012:user/student".into() }), Decision::ImplicitDeny);
        let account = parse(
            r#"{"Statement": [{"Effect": "Allow", "Principal": {"AWS": "123456789012"}, "Action": "sts:AssumeRole"}]}"#,
            Flavour::Trust,
        )
        .unwrap();
        let caller = Caller::Aws { arn: "arn:aws:iam::123456789012:user/student".into() };
        let request = Request { action: "sts:AssumeRole", resource: "*", caller: Some(&caller), context: &context };
        assert_eq!(evaluate(&[&account], &request).decision, Decision::Allowed);
    }

    #[test]
    fn globs() {
        assert!(glob("*", "", false));
        assert!(glob("a*b?c", "aXXbYc", false));
        assert!(!glob("a*b?c", "aXXbc", false));
        assert!(glob("*:*", "dynamodb:PutItem", false));
        assert!(glob("DYNAMODB:*item", "dynamodb:PutItem", true));
        assert!(!glob("a", "ab", false));
        assert!(glob("**a**", "xxa", false));
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_date("2025-01-01T00:00:00.250Z"), Some(1_735_689_600_250));
        assert_eq!(parse_date("2025-01-01"), Some(1_735_689_600_000));
        assert_eq!(parse_date("2025-13-01"), None);
        assert_eq!(parse_date("soon"), None);
        assert_eq!(parse_date("2025-01-01T25:00Z"), None);
    }
}
