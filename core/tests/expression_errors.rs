//! Expression errors as DynamoDB prints them, one request per line, in one readable snapshot.

use lab_core::World;
use serde_json::{json, Value};

fn world() -> World {
    let mut world = World::default();
    world
        .call("dynamodb", "CreateTable", &json!({
            "TableName": "Music",
            "AttributeDefinitions": [{"AttributeName": "Artist", "AttributeType": "S"}, {"AttributeName": "SongTitle", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "Artist", "KeyType": "HASH"}, {"AttributeName": "SongTitle", "KeyType": "RANGE"}],
            "BillingMode": "PAY_PER_REQUEST",
        }))
        .unwrap();
    world.advance(5).unwrap();
    world
}

/// Sends `expression` as the `member` of an `action` and renders the outcome.
fn render(world: &mut World, action: &str, member: &str, expression: &str, values: Value) -> String {
    let key = json!({"Artist": {"S": "a"}, "SongTitle": {"S": "b"}});
    let mut request = json!({"TableName": "Music", member: expression});
    match action {
        "PutItem" => request["Item"] = key,
        "UpdateItem" | "GetItem" => request["Key"] = key,
        _ => {}
    }
    if values.as_object().is_some_and(|v| !v.is_empty()) {
        request["ExpressionAttributeValues"] = values;
    }
    let outcome = match world.call("dynamodb", action, &request) {
        Ok(_) => "ok".to_string(),
        Err(e) => format!("{}: {}", e.code, e.message),
    };
    format!("{action} {member} {expression:?}\n  -> {outcome}\n")
}

#[test]
fn expression_errors_as_dynamodb_prints_them() {
    let mut world = world();
    let v = json!({":v": {"S": "x"}});
    let n = json!({":n": {"N": "1"}});
    let cases: Vec<(&str, &str, &str, Value)> = vec![
        ("PutItem", "ConditionExpression", "a = ", v.clone()),
        ("PutItem", "ConditionExpression", "a == :v", v.clone()),
        ("PutItem", "ConditionExpression", "(a = :v", v.clone()),
        ("PutItem", "ConditionExpression", "((a = :v))", v.clone()),
        ("PutItem", "ConditionExpression", "a = :v AND", v.clone()),
        ("PutItem", "ConditionExpression", "a = $v", v.clone()),
        ("PutItem", "ConditionExpression", "status = :v", v.clone()),
        ("PutItem", "ConditionExpression", "#s = :v", v.clone()),
        ("PutItem", "ConditionExpression", "a = :w", v.clone()),
        ("PutItem", "ConditionExpression", "a = a", json!({})),
        ("PutItem", "ConditionExpression", "exists(a)", json!({})),
        ("PutItem", "ConditionExpression", "size(a)", json!({})),
        ("PutItem", "ConditionExpression", "attribute_exists(a, b)", json!({})),
        ("PutItem", "ConditionExpression", "attribute_exists(:v)", v.clone()),
        ("PutItem", "ConditionExpression", "begins_with(a, :n)", n.clone()),
        ("PutItem", "ConditionExpression", "attribute_type(a, :v)", v.clone()),
        ("PutItem", "ConditionExpression", "a BETWEEN :v AND :n", json!({":v": {"S": "x"}, ":n": {"N": "1"}})),
        ("PutItem", "ConditionExpression", "a BETWEEN :b AND :a", json!({":a": {"S": "a"}, ":b": {"S": "b"}})),
        ("PutItem", "ConditionExpression", "", json!({})),
        ("UpdateItem", "UpdateExpression", "SET a = :v SET b = :v", v.clone()),
        ("UpdateItem", "UpdateExpression", "SET a = :v, a.b = :v", v.clone()),
        ("UpdateItem", "UpdateExpression", "SET a = :v REMOVE a", v.clone()),
        ("UpdateItem", "UpdateExpression", "ADD a :v", v.clone()),
        ("UpdateItem", "UpdateExpression", "DELETE a :n", n.clone()),
        ("UpdateItem", "UpdateExpression", "SET a = b + :v", v.clone()),
        ("UpdateItem", "UpdateExpression", "SET a = list_append(a, :v)", v.clone()),
        ("UpdateItem", "UpdateExpression", "SET a = size(b)", json!({})),
        ("UpdateItem", "UpdateExpression", "SET Artist = :v", v.clone()),
        ("UpdateItem", "UpdateExpression", "PUT a = :v", v.clone()),
        ("GetItem", "ProjectionExpression", "a, a.b", json!({})),
        ("GetItem", "ProjectionExpression", "a,", json!({})),
        ("GetItem", "ProjectionExpression", "name", json!({})),
        ("Query", "KeyConditionExpression", "Artist = :v OR Artist = :v", v.clone()),
        ("Query", "KeyConditionExpression", "SongTitle = :v", v.clone()),
        ("Query", "KeyConditionExpression", "Artist = :v AND Artist = :v", v.clone()),
        ("Query", "KeyConditionExpression", "Artist = SongTitle", json!({})),
        ("Query", "KeyConditionExpression", "begins_with(Artist, :v)", v.clone()),
        ("Query", "KeyConditionExpression", "Artist = :n", n.clone()),
    ];
    let mut out = String::new();
    for (action, member, expression, values) in cases {
        out.push_str(&render(&mut world, action, member, expression, values));
    }
    insta::assert_snapshot!(out);
}

proptest::proptest! {
    /// Whatever the text, the parsers answer with a tree or an error inside the text.
    #[test]
    fn parsers_never_panic(text in "[a-z#:(),.\\[\\]0-9=<> +-]{0,60}|\\PC{0,40}") {
        use lab_core::dynamodb::expr::parser;
        for err in [parser::parse_condition(&text).err(), parser::parse_projection(&text).err(), parser::parse_update(&text).err()].into_iter().flatten() {
            proptest::prop_assert!(err.span.end <= text.len());
        }
    }
}
