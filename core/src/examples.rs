//! Example requests for the API panel: one click fills in a request a learner can send as is,
//! in the order a first session would send them (the Music table of the DynamoDB getting-started
//! guide). A test sends them all, in order, to a fresh account: every one must succeed.

/// An example: a label in English and in Vietnamese, the action, and the request as JSON text.
pub struct Example {
    pub label: &'static str,
    pub label_vi: &'static str,
    pub action: &'static str,
    pub request: &'static str,
}

const STS: &[Example] = &[Example {
    label: "GetCallerIdentity",
    label_vi: "GetCallerIdentity",
    action: "GetCallerIdentity",
    request: "{}",
}];

const DYNAMODB: &[Example] = &[
    Example {
        label: "CreateTable: Music (Artist, SongTitle), on-demand",
        label_vi: "CreateTable: bảng Music (Artist, SongTitle), on-demand",
        action: "CreateTable",
        request: r#"{
  "TableName": "Music",
  "AttributeDefinitions": [
    {"AttributeName": "Artist", "AttributeType": "S"},
    {"AttributeName": "SongTitle", "AttributeType": "S"}
  ],
  "KeySchema": [
    {"AttributeName": "Artist", "KeyType": "HASH"},
    {"AttributeName": "SongTitle", "KeyType": "RANGE"}
  ],
  "BillingMode": "PAY_PER_REQUEST"
}"#,
    },
    Example {
        label: "DescribeTable: Music",
        label_vi: "DescribeTable: bảng Music",
        action: "DescribeTable",
        request: r#"{"TableName": "Music"}"#,
    },
    Example {
        label: "PutItem: Acme Band, Happy Day",
        label_vi: "PutItem: Acme Band, Happy Day",
        action: "PutItem",
        request: r#"{
  "TableName": "Music",
  "Item": {
    "Artist": {"S": "Acme Band"},
    "SongTitle": {"S": "Happy Day"},
    "AlbumTitle": {"S": "Songs About Life"},
    "Awards": {"N": "10"}
  }
}"#,
    },
    Example {
        label: "GetItem: Acme Band, Happy Day",
        label_vi: "GetItem: Acme Band, Happy Day",
        action: "GetItem",
        request: r#"{
  "TableName": "Music",
  "Key": {"Artist": {"S": "Acme Band"}, "SongTitle": {"S": "Happy Day"}},
  "ConsistentRead": true
}"#,
    },
    Example {
        label: "UpdateItem: new album title, if the item exists",
        label_vi: "UpdateItem: đổi tên album, nếu mục đã tồn tại",
        action: "UpdateItem",
        request: r#"{
  "TableName": "Music",
  "Key": {"Artist": {"S": "Acme Band"}, "SongTitle": {"S": "Happy Day"}},
  "UpdateExpression": "SET AlbumTitle = :t",
  "ConditionExpression": "attribute_exists(Artist)",
  "ExpressionAttributeValues": {":t": {"S": "Updated Album Title"}},
  "ReturnValues": "ALL_NEW"
}"#,
    },
    Example {
        label: "Query: every song by Acme Band",
        label_vi: "Query: mọi bài hát của Acme Band",
        action: "Query",
        request: r#"{
  "TableName": "Music",
  "KeyConditionExpression": "Artist = :a",
  "ExpressionAttributeValues": {":a": {"S": "Acme Band"}},
  "ReturnConsumedCapacity": "TOTAL"
}"#,
    },
    Example {
        label: "Scan with a filter: albums with awards",
        label_vi: "Scan có bộ lọc: album có giải thưởng",
        action: "Scan",
        request: r#"{
  "TableName": "Music",
  "FilterExpression": "Awards > :n",
  "ExpressionAttributeValues": {":n": {"N": "0"}}
}"#,
    },
    Example {
        label: "UpdateTable: turn on the stream (NEW_AND_OLD_IMAGES)",
        label_vi: "UpdateTable: bật stream (NEW_AND_OLD_IMAGES)",
        action: "UpdateTable",
        request: r#"{
  "TableName": "Music",
  "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"}
}"#,
    },
    Example {
        label: "DeleteItem: Acme Band, Happy Day",
        label_vi: "DeleteItem: Acme Band, Happy Day",
        action: "DeleteItem",
        request: r#"{
  "TableName": "Music",
  "Key": {"Artist": {"S": "Acme Band"}, "SongTitle": {"S": "Happy Day"}},
  "ReturnValues": "ALL_OLD"
}"#,
    },
    Example { label: "ListTables", label_vi: "ListTables", action: "ListTables", request: "{}" },
];

const DYNAMODB_STREAMS: &[Example] = &[Example {
    label: "ListStreams: Music",
    label_vi: "ListStreams: bảng Music",
    action: "ListStreams",
    request: r#"{"TableName": "Music"}"#,
}];

const IAM: &[Example] = &[
    Example {
        label: "CreateRole: an execution role Lambda may assume",
        label_vi: "CreateRole: vai trò thực thi mà Lambda được phép đảm nhận",
        action: "CreateRole",
        request: r#"{
  "RoleName": "create-order-history-ddbs-execution-role",
  "Path": "/service-role/",
  "AssumeRolePolicyDocument": "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"Service\": \"lambda.amazonaws.com\"}, \"Action\": \"sts:AssumeRole\"}]}"
}"#,
    },
    Example {
        label: "AttachRolePolicy: AWSLambdaBasicExecutionRole (logs)",
        label_vi: "AttachRolePolicy: AWSLambdaBasicExecutionRole (ghi log)",
        action: "AttachRolePolicy",
        request: r#"{
  "RoleName": "create-order-history-ddbs-execution-role",
  "PolicyArn": "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}"#,
    },
    Example {
        label: "PutRolePolicy: PutItem on OrdersHistory",
        label_vi: "PutRolePolicy: cho phép PutItem vào bảng OrdersHistory",
        action: "PutRolePolicy",
        request: r#"{
  "RoleName": "create-order-history-ddbs-execution-role",
  "PolicyName": "orders-history-put",
  "PolicyDocument": "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"dynamodb:PutItem\", \"Resource\": \"arn:aws:dynamodb:ap-southeast-1:123456789012:table/OrdersHistory\"}]}"
}"#,
    },
    Example {
        label: "SimulatePrincipalPolicy: may the role put an item?",
        label_vi: "SimulatePrincipalPolicy: vai trò có được ghi mục không?",
        action: "SimulatePrincipalPolicy",
        request: r#"{
  "PolicySourceArn": "arn:aws:iam::123456789012:role/service-role/create-order-history-ddbs-execution-role",
  "ActionNames": ["dynamodb:PutItem", "dynamodb:DeleteItem"],
  "ResourceArns": ["arn:aws:dynamodb:ap-southeast-1:123456789012:table/OrdersHistory"]
}"#,
    },
    Example {
        label: "ListPolicies: the AWS managed policies",
        label_vi: "ListPolicies: các chính sách do AWS quản lý",
        action: "ListPolicies",
        request: r#"{"Scope": "AWS"}"#,
    },
];

const SECRETS_MANAGER: &[Example] = &[
    Example {
        label: "CreateSecret: orders/payment-api-key",
        label_vi: "CreateSecret: bí mật orders/payment-api-key",
        action: "CreateSecret",
        request: r#"{
  "Name": "orders/payment-api-key",
  "Description": "API key of the payment provider",
  "SecretString": "{\"apiKey\":\"sk-test-123\"}"
}"#,
    },
    Example {
        label: "GetSecretValue: the current version",
        label_vi: "GetSecretValue: phiên bản hiện tại",
        action: "GetSecretValue",
        request: r#"{"SecretId": "orders/payment-api-key"}"#,
    },
    Example {
        label: "PutSecretValue: a new value (the old one becomes AWSPREVIOUS)",
        label_vi: "PutSecretValue: giá trị mới (giá trị cũ thành AWSPREVIOUS)",
        action: "PutSecretValue",
        request: r#"{
  "SecretId": "orders/payment-api-key",
  "SecretString": "{\"apiKey\":\"sk-test-456\"}"
}"#,
    },
    Example {
        label: "DescribeSecret: versions and dates",
        label_vi: "DescribeSecret: các phiên bản và ngày tháng",
        action: "DescribeSecret",
        request: r#"{"SecretId": "orders/payment-api-key"}"#,
    },
    Example { label: "ListSecrets", label_vi: "ListSecrets", action: "ListSecrets", request: "{}" },
];

const LOGS: &[Example] = &[
    Example {
        label: "CreateLogGroup: /aws/lambda/processOrder",
        label_vi: "CreateLogGroup: nhóm log /aws/lambda/processOrder",
        action: "CreateLogGroup",
        request: r#"{"logGroupName": "/aws/lambda/processOrder"}"#,
    },
    Example {
        label: "PutRetentionPolicy: keep 7 days",
        label_vi: "PutRetentionPolicy: giữ 7 ngày",
        action: "PutRetentionPolicy",
        request: r#"{"logGroupName": "/aws/lambda/processOrder", "retentionInDays": 7}"#,
    },
    Example {
        label: "CreateLogStream: a stream named as Lambda names them",
        label_vi: "CreateLogStream: một stream đặt tên theo cách Lambda đặt",
        action: "CreateLogStream",
        request: r#"{
  "logGroupName": "/aws/lambda/processOrder",
  "logStreamName": "2025/01/01/[$LATEST]0f1e2d3c4b5a69788796a5b4c3d2e1f0"
}"#,
    },
    Example {
        label: "PutLogEvents: two lines at the world's start (2025-01-01)",
        label_vi: "PutLogEvents: hai dòng log lúc thế giới bắt đầu (2025-01-01)",
        action: "PutLogEvents",
        request: r#"{
  "logGroupName": "/aws/lambda/processOrder",
  "logStreamName": "2025/01/01/[$LATEST]0f1e2d3c4b5a69788796a5b4c3d2e1f0",
  "logEvents": [
    {"timestamp": 1735689600000, "message": "INFO order 42 received"},
    {"timestamp": 1735689600500, "message": "ERROR order 42: quantity must be positive"}
  ]
}"#,
    },
    Example {
        label: "FilterLogEvents: lines with ERROR",
        label_vi: "FilterLogEvents: các dòng có ERROR",
        action: "FilterLogEvents",
        request: r#"{"logGroupName": "/aws/lambda/processOrder", "filterPattern": "ERROR"}"#,
    },
    Example { label: "DescribeLogGroups", label_vi: "DescribeLogGroups", action: "DescribeLogGroups", request: "{}" },
];

const SQS: &[Example] = &[
    Example {
        label: "CreateQueue: orders-failed, the workshop's dead-letter queue",
        label_vi: "CreateQueue: orders-failed, hàng đợi thư chết (DLQ) của workshop",
        action: "CreateQueue",
        request: r#"{"QueueName": "orders-failed"}"#,
    },
    Example {
        label: "CreateQueue: orders, which moves a message received 3 times to orders-failed",
        label_vi: "CreateQueue: orders, chuyển tin nhắn đã nhận 3 lần sang orders-failed",
        action: "CreateQueue",
        request: r#"{
  "QueueName": "orders",
  "Attributes": {
    "VisibilityTimeout": "30",
    "RedrivePolicy": "{\"deadLetterTargetArn\":\"arn:aws:sqs:ap-southeast-1:123456789012:orders-failed\",\"maxReceiveCount\":\"3\"}"
  }
}"#,
    },
    Example {
        label: "SendMessage: an order, with a message attribute",
        label_vi: "SendMessage: một đơn hàng, kèm thuộc tính tin nhắn",
        action: "SendMessage",
        request: r#"{
  "QueueUrl": "https://sqs.ap-southeast-1.amazonaws.com/123456789012/orders",
  "MessageBody": "{\"orderId\": \"o-1001\", \"total\": 250000}",
  "MessageAttributes": {"source": {"DataType": "String", "StringValue": "web"}}
}"#,
    },
    Example {
        label: "ReceiveMessage: up to 10, with every attribute",
        label_vi: "ReceiveMessage: tối đa 10 tin, kèm mọi thuộc tính",
        action: "ReceiveMessage",
        request: r#"{
  "QueueUrl": "https://sqs.ap-southeast-1.amazonaws.com/123456789012/orders",
  "MaxNumberOfMessages": 10,
  "MessageSystemAttributeNames": ["All"],
  "MessageAttributeNames": ["All"]
}"#,
    },
    Example {
        label: "GetQueueAttributes: how many messages wait, and how many are in flight",
        label_vi: "GetQueueAttributes: bao nhiêu tin đang chờ, bao nhiêu đang được xử lý",
        action: "GetQueueAttributes",
        request: r#"{
  "QueueUrl": "https://sqs.ap-southeast-1.amazonaws.com/123456789012/orders",
  "AttributeNames": ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
}"#,
    },
    Example { label: "ListQueues", label_vi: "ListQueues", action: "ListQueues", request: "{}" },
];

const KINESIS: &[Example] = &[
    Example {
        label: "CreateStream: orders-stream with 2 shards (ACTIVE after 5 s: advance the clock)",
        label_vi: "CreateStream: orders-stream với 2 shard (ACTIVE sau 5 giây: cho đồng hồ chạy)",
        action: "CreateStream",
        request: r#"{"StreamName": "orders-stream", "ShardCount": 2}"#,
    },
    Example {
        label: "DescribeStreamSummary: status and open shards",
        label_vi: "DescribeStreamSummary: trạng thái và số shard đang mở",
        action: "DescribeStreamSummary",
        request: r#"{"StreamName": "orders-stream"}"#,
    },
    Example {
        label: "PutRecord: an order, partitioned by its id (Data is base64)",
        label_vi: "PutRecord: một đơn hàng, phân vùng theo mã đơn (Data là base64)",
        action: "PutRecord",
        request: r#"{
  "StreamName": "orders-stream",
  "PartitionKey": "o-1001",
  "Data": "eyJvcmRlcklkIjoiby0xMDAxIiwic3RhdHVzIjoiTkVXIn0="
}"#,
    },
    Example {
        label: "ListShards: each shard's hash key range",
        label_vi: "ListShards: khoảng hash key của từng shard",
        action: "ListShards",
        request: r#"{"StreamName": "orders-stream"}"#,
    },
    Example {
        label: "GetShardIterator: the oldest record of shard 0 (then GetRecords with it)",
        label_vi: "GetShardIterator: bản ghi cũ nhất của shard 0 (rồi dùng cho GetRecords)",
        action: "GetShardIterator",
        request: r#"{"StreamName": "orders-stream", "ShardId": "shardId-000000000000", "ShardIteratorType": "TRIM_HORIZON"}"#,
    },
    Example { label: "ListStreams", label_vi: "ListStreams", action: "ListStreams", request: "{}" },
];

/// The examples for a service, in the order to try them.
pub fn examples(service: &str) -> &'static [Example] {
    match service {
        "sts" => STS,
        "dynamodb" => DYNAMODB,
        "dynamodbstreams" => DYNAMODB_STREAMS,
        "iam" => IAM,
        "secretsmanager" => SECRETS_MANAGER,
        "logs" => LOGS,
        "sqs" => SQS,
        "kinesis" => KINESIS,
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::World;

    /// Sends every example of every service in order, as a learner clicking through would.
    #[test]
    fn every_example_works_in_a_fresh_account() {
        let mut world = World::default();
        for service in crate::world::SERVICES {
            for example in examples(service) {
                let request: serde_json::Value = serde_json::from_str(example.request).expect(example.label);
                assert!(crate::world::actions(service).contains(&example.action), "{}", example.label);
                let answer = world.call(service, example.action, &request);
                assert!(answer.is_ok(), "{}: {:?}", example.label, answer);
                if example.action == "CreateTable" || example.action == "CreateStream" {
                    world.advance(5).unwrap();
                }
            }
        }
    }
}
