//! Looking at DynamoDB without calling it: what lab checks and the console read.
//!
//! Lab checks are written in DynamoDB's own condition-expression language (no third query
//! language): a check names a condition with its ExpressionAttributeNames and
//! ExpressionAttributeValues, and it is evaluated by the same parser and evaluator as a
//! ConditionExpression, against a stored item, or against a JSON document (a request, a response,
//! a stream record) turned into attributes.

use super::api;
use super::expr::ast::Condition;
use super::expr::eval;
use super::expr::resolve::{ExprKind, Placeholders};
use super::model::{AttributeValue, Item};
use super::number::Number;
use super::DynamoDb;
use crate::error::AwsError;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// One or more condition expressions sharing their placeholders, parsed and checked the way
/// DynamoDB checks a request's expressions (undefined, unused and reserved names included).
#[derive(Debug)]
pub struct Conditions {
    conditions: Vec<Option<Condition>>,
    placeholders: Placeholders,
}

impl Conditions {
    /// Parses `texts` (each optional) with `names` (`#n` -> name) and `values` (`:v` -> a value
    /// in DynamoDB JSON). Errors are DynamoDB's own ValidationExceptions.
    pub fn parse(
        texts: &[Option<&str>],
        names: &BTreeMap<String, String>,
        values: &BTreeMap<String, Value>,
    ) -> Result<Conditions, AwsError> {
        let values: Map<String, Value> = values.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        let mut placeholders = api::condition_placeholders(names, &values)?;
        let conditions = texts
            .iter()
            .map(|text| text.map(|t| placeholders.condition(t, ExprKind::Condition)).transpose())
            .collect::<Result<Vec<_>, _>>()?;
        placeholders.check_all_used()?;
        Ok(Conditions { conditions, placeholders })
    }

    /// Whether condition `index` holds for `item` (`None`: no item). An absent condition holds.
    pub fn holds(&mut self, index: usize, item: Option<&Item>) -> Result<bool, AwsError> {
        match self.conditions.get(index).and_then(Option::as_ref) {
            None => Ok(true),
            Some(condition) => eval::condition(condition, item, &mut self.placeholders, ExprKind::Condition),
        }
    }
}

/// A plain JSON value as an attribute: strings are S, numbers N, booleans BOOL, null NULL,
/// arrays L and objects M. A number DynamoDB could not store stays readable as its text (S).
pub fn from_plain(value: &Value) -> AttributeValue {
    match value {
        Value::String(s) => AttributeValue::S(s.clone()),
        Value::Number(n) => match Number::parse(&n.to_string()) {
            Ok(number) => AttributeValue::N(number),
            Err(_) => AttributeValue::S(n.to_string()),
        },
        Value::Bool(b) => AttributeValue::Bool(*b),
        Value::Null => AttributeValue::Null,
        Value::Array(list) => AttributeValue::L(list.iter().map(from_plain).collect()),
        Value::Object(map) => AttributeValue::M(item_from_plain_map(map)),
    }
}

/// A JSON object as an item (see [`from_plain`]); anything else is an empty item.
pub fn item_from_plain(value: &Value) -> Item {
    match value {
        Value::Object(map) => item_from_plain_map(map),
        _ => Item::new(),
    }
}

fn item_from_plain_map(map: &Map<String, Value>) -> Item {
    map.iter().map(|(k, v)| (k.clone(), from_plain(v))).collect()
}

/// The DynamoDB operations that only read, which a check or the console may run without the
/// learner: they change nothing and are not recorded.
pub const READ_ONLY: &[&str] = &[
    "DescribeKinesisStreamingDestination",
    "DescribeLimits",
    "DescribeTable",
    "DescribeTimeToLive",
    "ListTables",
    "ListTagsOfResource",
];

impl DynamoDb {
    /// Runs a read-only operation (one of [`READ_ONLY`]); `None` for any other action.
    pub fn read_only(&self, action: &str, request: &Value) -> Option<Result<Value, AwsError>> {
        READ_ONLY.contains(&action).then(|| api::read(self, action, request))
    }

    /// The item with `key` (DynamoDB JSON, the full primary key) in the ACTIVE table `table`.
    pub fn item(&self, table: &str, key: &Map<String, Value>) -> Result<Option<Item>, AwsError> {
        api::peek_item(self, table, key)
    }

    /// The records of `table`'s most recent stream within retention at `now_ms`, oldest first,
    /// as GetRecords returns them.
    pub fn stream_records(&self, table: &str, now_ms: u64, region: &str) -> Vec<Value> {
        let Some(arn) = self.tables.get(table).and_then(|t| t.latest_stream.as_ref()) else { return Vec::new() };
        self.streams
            .get(arn)
            .filter(|stream| stream.readable(now_ms))
            .map(|stream| stream.records_to_wire(now_ms, region))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn conditions(text: &str, names: &[(&str, &str)], values: Value) -> Result<Conditions, AwsError> {
        let names = names.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let values = values.as_object().unwrap().iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        Conditions::parse(&[Some(text)], &names, &values)
    }

    fn check(text: &str, names: &[(&str, &str)], values: Value, document: Value, expected: Result<bool, &str>) {
        let result = conditions(text, names, values)
            .and_then(|mut c| c.holds(0, Some(&item_from_plain(&document))))
            .map_err(|e| format!("{}: {}", e.code, e.message));
        assert_eq!(result, expected.map_err(str::to_string), "{text}");
    }

    #[test]
    fn conditions_over_plain_documents() {
        let response = json!({"Count": 2, "ScannedCount": 2, "Items": [{"Artist": {"S": "Acme Band"}}]});
        let two = json!({":two": {"N": "2"}});
        check("#c = :two AND ScannedCount = #c", &[("#c", "Count")], two.clone(), response.clone(), Ok(true));
        check("ScannedCount > #c", &[("#c", "Count")], json!({}), response.clone(), Ok(false));
        check("#i[0].Artist.S = :a", &[("#i", "Items")], json!({":a": {"S": "Acme Band"}}), response.clone(), Ok(true));
        check("size(#i) = :one", &[("#i", "Items")], json!({":one": {"N": "1"}}), response.clone(), Ok(true));
        check(
            "Count = :two",
            &[],
            two.clone(),
            response.clone(),
            Err("ValidationException: Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: Count"),
        );
        check(
            "ScannedCount = :two",
            &[("#c", "Count")],
            two.clone(),
            response.clone(),
            Err("ValidationException: Value provided in ExpressionAttributeNames unused in expressions: keys: {#c}"),
        );
        check("attribute_type(ScannedCount, :n)", &[], json!({":n": {"S": "N"}}), response, Ok(true));
        check(
            "ScannedCount = :two",
            &[],
            json!({"two": {"N": "2"}}),
            json!({}),
            Err("ValidationException: ExpressionAttributeValues contains invalid key: Syntax error; key: \"two\""),
        );
    }

    #[test]
    fn plain_json_becomes_attributes() {
        assert_eq!(from_plain(&json!(1.5)), AttributeValue::N(Number::parse("1.5").unwrap()));
        assert_eq!(from_plain(&json!(1e300)), AttributeValue::S("1e+300".into()));
        assert_eq!(from_plain(&json!(null)), AttributeValue::Null);
        assert_eq!(item_from_plain(&json!([1])), Item::new());
    }
}
