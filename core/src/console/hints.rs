//! Hints for the errors learners meet most, in both languages: the AWS error is always shown as
//! AWS words it, and a hint, when there is one, comes under it.
//!
//! Hints are keyed by (service, code, a piece of the message): the same code means different
//! things in different services (a Lambda ResourceNotFoundException is about a function, not a
//! table), so a hint is only ever shown for the service it was written for.

use crate::lab::Lang;

/// A hint: where it applies, and its text in each language.
struct Hint {
    /// The SDK id of the service that answered (`dynamodb`, `dynamodbstreams`, `lambda`...).
    service: &'static str,
    code: &'static str,
    /// A piece of the message, or "" for any message with this code.
    piece: &'static str,
    vi: &'static str,
    en: &'static str,
}

const fn dynamodb(code: &'static str, piece: &'static str, vi: &'static str, en: &'static str) -> Hint {
    Hint { service: "dynamodb", code, piece, vi, en }
}

const fn secretsmanager(code: &'static str, piece: &'static str, vi: &'static str, en: &'static str) -> Hint {
    Hint { service: "secretsmanager", code, piece, vi, en }
}

const fn logs(code: &'static str, piece: &'static str, vi: &'static str, en: &'static str) -> Hint {
    Hint { service: "logs", code, piece, vi, en }
}

const HINTS: &[Hint] = &[
    dynamodb(
        "ValidationException",
        "reserved keyword",
        "Tên thuộc tính này là từ khóa dành riêng của DynamoDB. Dùng bí danh: viết `#status` trong biểu thức và thêm `\"ExpressionAttributeNames\": {\"#status\": \"status\"}`.",
        "That attribute name is a DynamoDB reserved word. Use an alias: write `#status` in the expression and add `\"ExpressionAttributeNames\": {\"#status\": \"status\"}`.",
    ),
    dynamodb(
        "ValidationException",
        "The provided key element does not match the schema",
        "Key phải có đủ khóa chính và chỉ khóa chính: khóa phân vùng, và khóa sắp xếp nếu bảng có, đúng tên và đúng kiểu.",
        "A Key must hold the whole primary key and nothing else: the partition key, plus the sort key if the table has one, with the right names and types.",
    ),
    dynamodb(
        "ValidationException",
        "Query condition missed key schema element",
        "KeyConditionExpression của Query phải có điều kiện `=` trên khóa phân vùng. Để lọc theo thuộc tính khác, dùng FilterExpression.",
        "A Query's KeyConditionExpression needs an `=` condition on the partition key. To filter on other attributes, use a FilterExpression.",
    ),
    dynamodb(
        "ValidationException",
        "Query key condition not supported",
        "Khóa phân vùng chỉ so sánh bằng `=`. `begins_with`, `BETWEEN`, `<`, `>` chỉ dùng cho khóa sắp xếp.",
        "The partition key only takes `=`. `begins_with`, `BETWEEN`, `<` and `>` are for the sort key.",
    ),
    dynamodb(
        "ValidationException",
        "AttributeDefinitions",
        "AttributeDefinitions chỉ khai báo các thuộc tính dùng làm khóa của bảng hoặc của index. Các thuộc tính khác không cần khai báo.",
        "AttributeDefinitions declares only the attributes used as keys of the table or of an index. Other attributes need no declaration.",
    ),
    dynamodb(
        "ValidationException",
        "Table already has an enabled stream",
        "Không đổi được StreamViewType khi stream đang bật. Tắt stream (StreamEnabled false), rồi bật lại với kiểu mới: stream mới có ARN và label mới.",
        "The StreamViewType cannot change while the stream is enabled. Disable it (StreamEnabled false), then enable it with the new type: the new stream has a new ARN and label.",
    ),
    dynamodb(
        "ValidationException",
        "Type mismatch",
        "Kiểu giá trị khác kiểu đã khai báo cho khóa. Số phải gửi dạng `{\"N\": \"10\"}`, chuỗi dạng `{\"S\": \"...\"}`.",
        "The value's type differs from the key's declared type. Numbers go as `{\"N\": \"10\"}`, strings as `{\"S\": \"...\"}`.",
    ),
    dynamodb(
        "ConditionalCheckFailedException",
        "",
        "ConditionExpression đánh giá là sai nên không có gì thay đổi. Kiểm tra khóa: với `attribute_exists`, mục phải có sẵn.",
        "The ConditionExpression was false, so nothing changed. Check the key: with `attribute_exists`, the item must already exist.",
    ),
    dynamodb(
        "ResourceNotFoundException",
        "",
        "Không có bảng tên này, hoặc bảng chưa ACTIVE. Tên bảng phân biệt chữ hoa/thường; bảng mới ở trạng thái CREATING vài giây (hãy cho đồng hồ ảo chạy).",
        "No table has that name, or it is not ACTIVE yet. Table names are case-sensitive; a new table is CREATING for a few seconds (move the virtual clock).",
    ),
    dynamodb(
        "ResourceInUseException",
        "",
        "Bảng đã tồn tại hoặc đang được tạo/xóa. Đợi trạng thái ACTIVE, hoặc dùng tên khác.",
        "The table already exists or is being created or deleted. Wait for ACTIVE, or use another name.",
    ),
    dynamodb(
        "ProvisionedThroughputExceededException",
        "",
        "Bảng PROVISIONED đã dùng hết RCU/WCU (kể cả burst 300 giây). SDK sẽ thử lại với backoff; hãy tăng dung lượng hoặc chuyển sang on-demand. Xem tab Capacity.",
        "The PROVISIONED table ran out of RCUs/WCUs (burst of 300 seconds included). SDKs retry with backoff; raise the capacity or switch to on-demand. See the Capacity tab.",
    ),
    dynamodb(
        "LimitExceededException",
        "",
        "Một bảng chỉ chuyển từ provisioned sang on-demand tối đa 4 lần trong 24 giờ (cửa sổ trượt); chiều ngược lại thì lúc nào cũng được.",
        "A table may switch from provisioned to on-demand at most 4 times in a rolling 24 hours; the other way is allowed at any time.",
    ),
    secretsmanager(
        "InvalidRequestException",
        "marked for deletion",
        "Bí mật này đang chờ xóa (DeleteSecret với cửa sổ khôi phục, xem DeletedDate trong DescribeSecret). Gọi RestoreSecret để dùng lại nó.",
        "This secret is scheduled for deletion (DeleteSecret with a recovery window; DescribeSecret shows its DeletedDate). Call RestoreSecret to use it again.",
    ),
    secretsmanager(
        "InvalidRequestException",
        "already scheduled for deletion",
        "Một bí mật cùng tên đang trong cửa sổ khôi phục. Khôi phục nó bằng RestoreSecret, hoặc xóa hẳn bằng ForceDeleteWithoutRecovery rồi tạo lại.",
        "A secret of that name is in its recovery window. Restore it with RestoreSecret, or delete it for good with ForceDeleteWithoutRecovery and create it again.",
    ),
    secretsmanager(
        "ResourceExistsException",
        "already exists",
        "Bí mật đã tồn tại. Để đổi giá trị, dùng PutSecretValue (phiên bản mới thành AWSCURRENT, phiên bản cũ thành AWSPREVIOUS).",
        "The secret already exists. To change its value, use PutSecretValue (the new version becomes AWSCURRENT, the old one AWSPREVIOUS).",
    ),
    secretsmanager(
        "ResourceNotFoundException",
        "can't find the specified secret.",
        "Không có bí mật nào có tên hoặc ARN này. Tên phân biệt chữ hoa/thường; ARN đầy đủ kết thúc bằng `-` và 6 ký tự ngẫu nhiên (hoặc dùng ARN bỏ phần đó).",
        "No secret has that name or ARN. Names are case-sensitive; a full ARN ends with `-` and six random characters (or use the ARN without them).",
    ),
    logs(
        "ResourceNotFoundException",
        "log group",
        "Chưa có nhóm log này: tạo bằng CreateLogGroup. Hàm Lambda tự tạo `/aws/lambda/<tên hàm>` nếu role của nó có quyền logs:CreateLogGroup.",
        "That log group does not exist yet: create it with CreateLogGroup. A Lambda function creates `/aws/lambda/<function name>` itself when its role allows logs:CreateLogGroup.",
    ),
    logs(
        "ResourceNotFoundException",
        "log stream",
        "Chưa có log stream này trong nhóm: tạo bằng CreateLogStream trước khi PutLogEvents.",
        "The group has no stream of that name: create it with CreateLogStream before PutLogEvents.",
    ),
    logs(
        "InvalidParameterException",
        "chronological order",
        "Các sự kiện trong một lần PutLogEvents phải xếp theo timestamp tăng dần. Sắp xếp lô trước khi gửi.",
        "The events of one PutLogEvents call must be in increasing timestamp order. Sort the batch before sending it.",
    ),
    logs(
        "InvalidParameterException",
        "in term",
        "Từ khóa có ký tự khác chữ, số và `_` phải nằm trong dấu ngoặc kép: `\"user@example.com\"`. Mẫu JSON viết dạng `{ $.level = \"error\" }`.",
        "A term with characters other than letters, digits and `_` goes in double quotes: `\"user@example.com\"`. JSON patterns look like `{ $.level = \"error\" }`.",
    ),
    logs(
        "InvalidParameterException",
        "retentionInDays",
        "Số ngày lưu giữ chỉ nhận các giá trị AWS liệt kê: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653.",
        "Retention takes only the values AWS lists: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653.",
    ),
];

/// The hint for an error `service` answered with, if there is one.
pub fn error_hint(service: &str, code: &str, message: &str, lang: Lang) -> Option<&'static str> {
    HINTS.iter().find(|h| h.service == service && h.code == code && message.contains(h.piece)).map(|h| {
        if lang == Lang::Vi {
            h.vi
        } else {
            h.en
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::World;
    use serde_json::json;

    /// The first three words of the hint for the error `action` fails with.
    fn hint(world: &mut World, action: &str, request: serde_json::Value) -> Option<String> {
        let err = world.call("dynamodb", action, &request).unwrap_err();
        error_hint("dynamodb", &err.code, &err.message, Lang::En)
            .map(|h| h.split(' ').take(3).collect::<Vec<_>>().join(" "))
    }

    /// Each hint is found for the message the simulator really sends.
    #[test]
    fn hints_match_the_simulators_own_messages() {
        let mut world = World::default();
        let create = json!({"TableName": "Tbl", "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "x", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]});
        assert_eq!(hint(&mut world, "CreateTable", create).as_deref(), Some("AttributeDefinitions declares only"));
        assert_eq!(
            hint(&mut world, "GetItem", json!({"TableName": "Tbl", "Key": {"pk": {"S": "a"}}})).as_deref(),
            Some("No table has")
        );
        world
            .call("dynamodb", "CreateTable", &json!({"TableName": "Tbl", "BillingMode": "PAY_PER_REQUEST",
                "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "S"}],
                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}]}))
            .unwrap();
        world.advance(10).unwrap();
        assert_eq!(
            hint(&mut world, "GetItem", json!({"TableName": "Tbl", "Key": {"pk": {"S": "a"}}})).as_deref(),
            Some("A Key must")
        );
        assert_eq!(
            hint(&mut world, "UpdateItem", json!({"TableName": "Tbl", "Key": {"pk": {"S": "a"}, "sk": {"S": "b"}}, "UpdateExpression": "SET status = :s", "ExpressionAttributeValues": {":s": {"S": "x"}}})).as_deref(),
            Some("That attribute name")
        );
        assert_eq!(
            hint(&mut world, "Query", json!({"TableName": "Tbl", "KeyConditionExpression": "begins_with(pk, :p)", "ExpressionAttributeValues": {":p": {"S": "x"}}})).as_deref(),
            Some("The partition key")
        );
        assert_eq!(
            hint(&mut world, "Query", json!({"TableName": "Tbl", "KeyConditionExpression": "sk = :p", "ExpressionAttributeValues": {":p": {"S": "x"}}})).as_deref(),
            Some("A Query's KeyConditionExpression")
        );
        assert_eq!(
            hint(&mut world, "UpdateItem", json!({"TableName": "Tbl", "Key": {"pk": {"S": "a"}, "sk": {"S": "b"}}, "UpdateExpression": "SET x = :s", "ConditionExpression": "attribute_exists(pk)", "ExpressionAttributeValues": {":s": {"S": "x"}}})).as_deref(),
            Some("The ConditionExpression was")
        );
        assert_eq!(
            hint(&mut world, "PutItem", json!({"TableName": "Tbl", "Item": {"pk": {"N": "1"}, "sk": {"S": "b"}}}))
                .as_deref(),
            Some("The value's type")
        );
        assert!(error_hint("dynamodb", "ValidationException", "something else", Lang::Vi).is_none());
    }

    /// The Secrets Manager and CloudWatch Logs hints meet their services' own messages.
    #[test]
    fn secrets_and_logs_hints_match_their_messages() {
        let mut world = World::default();
        // A call that succeeds has no hint to give.
        let mut first_words = |service: &str, action: &str, request: serde_json::Value| {
            let err = world.call(service, action, &request).err()?;
            error_hint(service, &err.code, &err.message, Lang::En)
                .map(|h| h.split(' ').take(3).collect::<Vec<_>>().join(" "))
        };
        assert_eq!(
            first_words("secretsmanager", "GetSecretValue", json!({"SecretId": "s"})).as_deref(),
            Some("No secret has")
        );
        assert!(first_words("secretsmanager", "CreateSecret", json!({"Name": "s", "SecretString": "x"})).is_none());
        assert_eq!(
            first_words("secretsmanager", "CreateSecret", json!({"Name": "s", "SecretString": "y"})).as_deref(),
            Some("The secret already")
        );
        assert!(first_words("secretsmanager", "DeleteSecret", json!({"SecretId": "s"})).is_none());
        assert_eq!(
            first_words("secretsmanager", "GetSecretValue", json!({"SecretId": "s"})).as_deref(),
            Some("This secret is")
        );
        assert_eq!(
            first_words("secretsmanager", "CreateSecret", json!({"Name": "s", "SecretString": "y"})).as_deref(),
            Some("A secret of")
        );
        let put = json!({"logGroupName": "g", "logStreamName": "s", "logEvents": [{"timestamp": 1_735_689_600_000u64, "message": "b"}, {"timestamp": 1_735_689_599_000u64, "message": "a"}]});
        assert_eq!(first_words("logs", "PutLogEvents", put.clone()).as_deref(), Some("The events of"));
        let put = json!({"logGroupName": "g", "logStreamName": "s", "logEvents": [{"timestamp": 1_735_689_600_000u64, "message": "a"}]});
        assert_eq!(first_words("logs", "PutLogEvents", put.clone()).as_deref(), Some("That log group"));
        assert!(first_words("logs", "CreateLogGroup", json!({"logGroupName": "g"})).is_none());
        assert_eq!(first_words("logs", "PutLogEvents", put).as_deref(), Some("The group has"));
        assert_eq!(
            first_words("logs", "FilterLogEvents", json!({"logGroupName": "g", "filterPattern": "a@b"})).as_deref(),
            Some("A term with")
        );
        assert_eq!(
            first_words("logs", "PutRetentionPolicy", json!({"logGroupName": "g", "retentionInDays": 2})).as_deref(),
            Some("Retention takes only")
        );
    }

    /// A hint belongs to the service it was written for: the same code from another service
    /// gets none.
    #[test]
    fn hints_are_keyed_by_service() {
        let mut world = World::default();
        let err = world.call("dynamodb", "DescribeTable", &json!({"TableName": "Nope"})).unwrap_err();
        assert!(error_hint("dynamodb", &err.code, &err.message, Lang::Vi).is_some());
        for service in ["lambda", "dynamodbstreams", "sqs", "kinesis"] {
            assert_eq!(error_hint(service, &err.code, &err.message, Lang::En), None, "{service}");
        }
        let err = world
            .call("dynamodbstreams", "DescribeStream", &json!({"StreamArn": "arn:aws:dynamodb:us-east-1:123456789012:table/Nope/stream/2024-01-01T00:00:00.000"}))
            .unwrap_err();
        assert_eq!(err.code, "ResourceNotFoundException");
        assert_eq!(error_hint("dynamodbstreams", &err.code, &err.message, Lang::En), None);
    }
}
