//! The service menu, like the AWS console's "Services" menu: every service the simulator has, found
//! by its name or by what it is, in Vietnamese or English, and the ones visited last.
//!
//! Search folds case and Vietnamese diacritics, so `co so du lieu`, `cơ sở dữ liệu` and `database`
//! all find DynamoDB. Every word of the query must match somewhere in an entry.

use crate::world::SERVICES;

/// One service in the menu. Its page is `#/sandbox/<service>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MenuEntry {
    /// The SDK id, as in `World::call` and [`SERVICES`].
    pub service: &'static str,
    /// The name AWS shows, the same in both languages.
    pub name: &'static str,
    /// What the service is, in a few words, in Vietnamese and in English.
    pub vi: &'static str,
    pub en: &'static str,
    /// More words a learner may search for, in either language.
    pub keywords: &'static str,
}

/// How many recently visited services the menu keeps.
pub const RECENT_LENGTH: usize = 5;

/// Every service the course uses; the menu shows those the simulator has ([`SERVICES`]).
const ENTRIES: &[MenuEntry] = &[
    MenuEntry {
        service: "dynamodb",
        name: "DynamoDB",
        vi: "Cơ sở dữ liệu NoSQL key-value, không máy chủ",
        en: "Serverless NoSQL key-value database",
        keywords: "table bảng item mục query scan index nosql database",
    },
    MenuEntry {
        service: "dynamodbstreams",
        name: "DynamoDB Streams",
        vi: "Dòng thay đổi của một bảng DynamoDB",
        en: "The change log of a DynamoDB table",
        keywords: "stream cdc change data capture thay đổi bản ghi record shard",
    },
    MenuEntry {
        service: "sts",
        name: "STS",
        vi: "Định danh và thông tin xác thực tạm thời",
        en: "Security Token Service: identity and temporary credentials",
        keywords: "security token identity caller account tài khoản danh tính",
    },
    MenuEntry {
        service: "secretsmanager",
        name: "Secrets Manager",
        vi: "Lưu trữ mật khẩu, khóa API và bí mật khác",
        en: "Store passwords, API keys and other secrets",
        keywords: "secret bí mật password mật khẩu api key khóa credential",
    },
    MenuEntry {
        service: "lambda",
        name: "Lambda",
        vi: "Chạy mã không cần máy chủ",
        en: "Run code without servers",
        keywords: "function hàm handler compute serverless",
    },
    MenuEntry {
        service: "sqs",
        name: "SQS",
        vi: "Hàng đợi tin nhắn",
        en: "Simple Queue Service: message queues",
        keywords: "queue message tin nhắn hàng đợi dlq",
    },
    MenuEntry {
        service: "kinesis",
        name: "Kinesis Data Streams",
        vi: "Luồng dữ liệu thời gian thực",
        en: "Real-time data streams",
        keywords: "stream shard record luồng",
    },
    MenuEntry {
        service: "iam",
        name: "IAM",
        vi: "Người dùng, vai trò và quyền truy cập",
        en: "Identity and Access Management: users, roles and permissions",
        keywords: "role policy permission vai trò chính sách quyền",
    },
    MenuEntry {
        service: "logs",
        name: "CloudWatch Logs",
        vi: "Nhật ký của hàm và dịch vụ",
        en: "Logs of functions and services",
        keywords: "log nhật ký cloudwatch",
    },
    MenuEntry {
        service: "stepfunctions",
        name: "Step Functions",
        vi: "Quy trình nhiều bước (máy trạng thái)",
        en: "Workflows of many steps (state machines)",
        keywords: "state machine workflow quy trình trạng thái",
    },
    MenuEntry {
        service: "eventbridge",
        name: "EventBridge",
        vi: "Bus sự kiện và lịch chạy",
        en: "Event buses, rules and schedules",
        keywords: "event sự kiện rule quy tắc schedule lịch",
    },
    MenuEntry {
        service: "apigateway",
        name: "API Gateway",
        vi: "Tạo và công bố API HTTP",
        en: "Create and publish HTTP APIs",
        keywords: "api http rest endpoint",
    },
];

/// The menu's entries for the services the simulator has, in menu order.
pub fn entries() -> impl Iterator<Item = &'static MenuEntry> {
    ENTRIES.iter().filter(|e| SERVICES.contains(&e.service))
}

/// The entry of `service`, if the simulator has it.
pub fn entry(service: &str) -> Option<&'static MenuEntry> {
    entries().find(|e| e.service == service)
}

/// The entries matching `query` (all of them for an empty query); those whose name starts with
/// the query come first.
pub fn search(query: &str) -> Vec<&'static MenuEntry> {
    let query = fold(query);
    let words: Vec<&str> = query.split_whitespace().collect();
    let mut found: Vec<&MenuEntry> = entries()
        .filter(|e| {
            let text = fold(&format!("{} {} {} {} {}", e.name, e.service, e.vi, e.en, e.keywords));
            words.iter().all(|w| text.contains(w))
        })
        .collect();
    found.sort_by_key(|e| !fold(e.name).starts_with(query.trim()));
    found
}

/// The recently visited list after visiting `service`: it comes first, once, and the list keeps
/// at most [`RECENT_LENGTH`] services the simulator has.
pub fn visit(recent: &[String], service: &str) -> Vec<String> {
    let mut list = vec![service.to_string()];
    list.extend(recent.iter().filter(|s| *s != service).cloned());
    list.retain(|s| entry(s).is_some());
    list.truncate(RECENT_LENGTH);
    list
}

/// The stored recently visited list (a JSON array of service ids); anything unreadable or unknown
/// is left out.
pub fn read_recent(stored: Option<&str>) -> Vec<String> {
    let list: Vec<String> = stored.and_then(|text| serde_json::from_str(text).ok()).unwrap_or_default();
    let mut recent = Vec::new();
    for service in list {
        if entry(&service).is_some() && !recent.contains(&service) && recent.len() < RECENT_LENGTH {
            recent.push(service);
        }
    }
    recent
}

/// The list as it is stored.
pub fn write_recent(recent: &[String]) -> String {
    serde_json::to_string(recent).unwrap_or_default()
}

/// `text` in lower case without Vietnamese diacritics (`Đặt` -> `dat`).
pub fn fold(text: &str) -> String {
    const FOLDS: &[(char, &str)] = &[
        ('a', "àáạảãâầấậẩẫăằắặẳẵ"),
        ('e', "èéẹẻẽêềếệểễ"),
        ('i', "ìíịỉĩ"),
        ('o', "òóọỏõôồốộổỗơờớợởỡ"),
        ('u', "ùúụủũưừứựửữ"),
        ('y', "ỳýỵỷỹ"),
        ('d', "đ"),
    ];
    text.to_lowercase()
        .chars()
        .map(|c| FOLDS.iter().find(|(_, marked)| marked.contains(c)).map_or(c, |(plain, _)| *plain))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The services `query` finds, in order.
    fn check(query: &str, expect: &[&str]) {
        let found: Vec<&str> = search(query).iter().map(|e| e.service).collect();
        assert_eq!(found, expect, "{query:?}");
    }

    #[test]
    fn search_finds_services_by_name_and_by_what_they_are_in_both_languages() {
        check("", &["dynamodb", "dynamodbstreams", "sts", "secretsmanager", "lambda", "sqs", "kinesis", "iam", "logs"]);
        check("dynamo", &["dynamodb", "dynamodbstreams"]);
        check("STREAMS", &["dynamodbstreams", "kinesis"]);
        check("database", &["dynamodb"]);
        check("cơ sở dữ liệu", &["dynamodb"]);
        check("co so du lieu", &["dynamodb"]);
        check("Cơ Sở", &["dynamodb"]);
        check("bảng", &["dynamodb", "dynamodbstreams"]);
        check("định danh", &["sts"]);
        check("identity", &["sts", "iam"]);
        check("vai trò", &["iam"]);
        check("policy", &["iam"]);
        check("token tạm thời", &["sts"]);
        check("change log", &["dynamodbstreams"]);
        check("queue", &["sqs"]);
        check("tin nhắn", &["sqs"]);
        check("stream", &["dynamodbstreams", "kinesis"]);
        assert_eq!(fold("Đặt HÀNG Ưu"), "dat hang uu");
    }

    #[test]
    fn every_simulated_service_has_a_menu_entry() {
        // `relay` is world.rs's test-only service, registered only in this crate's unit tests.
        for service in SERVICES.iter().filter(|s| **s != "relay") {
            assert!(entry(service).is_some(), "{service} needs an entry in the service menu");
        }
    }

    #[test]
    fn recently_visited_comes_first_once_and_stays_short() {
        let mut recent = read_recent(None);
        for service in ["sts", "dynamodb", "sts", "nope"] {
            recent = visit(&recent, service);
        }
        assert_eq!(recent, ["sts", "dynamodb"]);
        assert_eq!(read_recent(Some(&write_recent(&recent))), recent);
        assert_eq!(read_recent(Some("not json")), Vec::<String>::new());
        assert_eq!(read_recent(Some(r#"["lambda-unknown", "dynamodb", "dynamodb"]"#)), ["dynamodb"]);
        let many: Vec<String> = std::iter::repeat_n("dynamodb".to_string(), 9).collect();
        assert!(visit(&many, "sts").len() <= RECENT_LENGTH);
    }
}
