//! CreateLogStream, DescribeLogStreams, DeleteLogStream.
//!
//! Each parses its request, checks the group (and stream) and commits; DescribeLogStreams only
//! reads.

use super::*;

/// The input of CreateLogStream and DeleteLogStream: a group and a stream in it.
struct StreamName {
    group: String,
    stream: String,
}

impl StreamName {
    fn parse(request: &Value) -> Result<StreamName, AwsError> {
        let r = object_with(request, &["logGroupName", "logStreamName"])?;
        Ok(StreamName { group: required_group_name(r)?, stream: required_stream_name(r)? })
    }
}

pub(super) fn create_log_stream(logs: &mut Logs, now_ms: Millis, request: &Value) -> Result<Value, AwsError> {
    let input = StreamName::parse(request)?;
    let group = find_group(logs, &input.group)?;
    if group.streams.contains_key(&input.stream) {
        return Err(AwsError::client("ResourceAlreadyExistsException", "The specified log stream already exists"));
    }
    let group = logs.groups.get_mut(&input.group).expect("checked");
    group.streams.insert(input.stream.clone(), LogStream::new(input.stream, now_ms));
    Ok(done())
}

pub(super) fn delete_log_stream(logs: &mut Logs, request: &Value) -> Result<Value, AwsError> {
    let input = StreamName::parse(request)?;
    find_stream(find_group(logs, &input.group)?, &input.stream)?;
    logs.groups.get_mut(&input.group).expect("checked").streams.remove(&input.stream);
    Ok(done())
}

/// DescribeLogStreams' input.
struct DescribeLogStreams {
    group: String,
    /// logStreamNamePrefix: streams whose names start with it.
    prefix: Option<String>,
    /// orderBy LastEventTime (else LogStreamName).
    by_last_event: bool,
    descending: bool,
    /// Where the previous page ended: how many streams it had passed.
    start: usize,
    limit: usize,
}

impl DescribeLogStreams {
    fn parse(request: &Value) -> Result<DescribeLogStreams, AwsError> {
        let r = object_with(
            request,
            &[
                "logGroupName",
                "logGroupIdentifier",
                "logStreamNamePrefix",
                "orderBy",
                "descending",
                "nextToken",
                "limit",
            ],
        )?;
        let group = target_group(r)?;
        let prefix = stream_name(r, "logStreamNamePrefix")?;
        let order = string(r, "orderBy")?.unwrap_or("LogStreamName");
        if !["LogStreamName", "LastEventTime"].contains(&order) {
            return Err(constraint(
                order,
                "orderBy",
                "Member must satisfy enum value set: [LogStreamName, LastEventTime]",
            ));
        }
        let by_last_event = order == "LastEventTime";
        if by_last_event && prefix.is_some() {
            return Err(invalid("Cannot order by LastEventTime with a logStreamNamePrefix."));
        }
        let start = match name_token(r)? {
            None => 0,
            Some(position) => position.parse().map_err(|_| invalid_token())?,
        };
        Ok(DescribeLogStreams {
            group,
            prefix: prefix.map(str::to_string),
            by_last_event,
            descending: wire::boolean(r, "descending")?.unwrap_or(false),
            start,
            limit: limit(r, 50)?,
        })
    }

    fn answer(&self, logs: &Logs) -> Result<Value, AwsError> {
        let group = find_group(logs, &self.group)?;
        let mut streams: Vec<&LogStream> = group
            .streams
            .values()
            .filter(|s| self.prefix.as_ref().is_none_or(|p| s.name.starts_with(p.as_str())))
            .collect();
        if self.by_last_event {
            streams.sort_by_key(|s| (s.last_event_ms.unwrap_or(0), s.name.clone()));
        }
        if self.descending {
            streams.reverse();
        }
        let page: Vec<Value> = streams.iter().skip(self.start).take(self.limit).map(|s| describe(group, s)).collect();
        let end = self.start + page.len();
        let mut answer = json!({ "logStreams": page });
        if end < streams.len() {
            answer["nextToken"] = json!(wire::page_token(&end.to_string()));
        }
        Ok(answer)
    }
}

/// A stream as DescribeLogStreams shows it.
fn describe(group: &LogGroup, stream: &LogStream) -> Value {
    let mut out = json!({
        "logStreamName": stream.name,
        "creationTime": stream.created_ms,
    });
    if let (Some(first), Some(last), Some(ingested)) =
        (stream.first_event_ms, stream.last_event_ms, stream.last_ingestion_ms)
    {
        out["firstEventTimestamp"] = json!(first);
        out["lastEventTimestamp"] = json!(last);
        out["lastIngestionTime"] = json!(ingested);
    }
    if let Some(token) = &stream.upload_sequence_token {
        out["uploadSequenceToken"] = json!(token);
    }
    out["arn"] = json!(format!("{}:log-stream:{}", group.arn, stream.name));
    // Always zero for streams since 2019, as on AWS.
    out["storedBytes"] = json!(0);
    out
}

pub(super) fn describe_log_streams(logs: &Logs, request: &Value) -> Result<Value, AwsError> {
    DescribeLogStreams::parse(request)?.answer(logs)
}
