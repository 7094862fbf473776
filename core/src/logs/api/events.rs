//! PutLogEvents, GetLogEvents, FilterLogEvents: writing events and reading them back.
//!
//! PutLogEvents parses the batch (its order and size are judged on the request alone), checks
//! it against the stream and the virtual now (which events are too old, too new or past
//! retention), then commits the rest. The reads see only events still within retention.

use super::*;
use crate::logs::group::{key_digits, key_from_digits, Event, Key, DAY_MS};
use crate::logs::pattern::{self, Pattern};

/// The largest batch: message bytes plus 26 per event.
const BATCH_BYTES: usize = 1_048_576;
/// What each event counts for beside its message, in a batch and in a page.
const EVENT_OVERHEAD: usize = 26;
/// The most events a batch or a page holds.
const MAX_EVENTS: usize = 10_000;
/// Events more than this far in the future are rejected.
const TOO_NEW_MS: Millis = 2 * 3_600_000;
/// Events older than this are rejected.
const TOO_OLD_MS: Millis = 14 * DAY_MS;
/// The widest span of time one batch may cover.
const BATCH_SPAN_MS: Millis = DAY_MS;

/// PutLogEvents' input.
struct PutLogEvents {
    group: String,
    stream: String,
    /// logEvents: (timestamp, message), in time order.
    events: Vec<(Millis, String)>,
}

/// A batch checked against its stream and the clock: which events are kept.
struct Batch {
    input: PutLogEvents,
    /// The kept events are `input.events[keep]`.
    keep: std::ops::Range<usize>,
    /// rejectedLogEventsInfo, if anything was rejected.
    rejected: Option<Value>,
}

impl PutLogEvents {
    fn parse(request: &Value) -> Result<PutLogEvents, AwsError> {
        let r = object_with(request, &["logGroupName", "logStreamName", "logEvents", "sequenceToken", "entity"])?;
        let group = required_group_name(r)?;
        let stream = required_stream_name(r)?;
        if r.get("entity").is_some_and(|v| !v.is_null()) {
            return Err(AwsError::client(
                "SimulatorLimitation",
                "The simulator does not support entity yet; see docs/differences.md.",
            ));
        }
        // The sequence token is ignored, as AWS has ignored it since 2023.
        if let Some(token) = string(r, "sequenceToken")? {
            wire::min_length(token, "sequenceToken", 1)?;
        }
        let list = r.get("logEvents").filter(|v| !v.is_null()).ok_or_else(|| wire::missing("logEvents"))?;
        let list = wire::array(list, "logEvents")?;
        wire::min_items(list.len(), "logEvents", 1)?;
        if list.len() > MAX_EVENTS {
            return Err(wire::constraint(
                "InvalidParameterException",
                None,
                "logEvents",
                "Member must have length less than or equal to 10000",
            ));
        }
        let mut events = Vec::with_capacity(list.len());
        for (at, entry) in list.iter().enumerate() {
            let e = object_with(entry, &["timestamp", "message"])?;
            let path = |member: &str| format!("logEvents[{at}].{member}");
            let timestamp = wire::integer(e, "timestamp")?.ok_or_else(|| wire::missing(&path("timestamp")))?;
            wire::min_value(timestamp, &path("timestamp"), 0)?;
            let message = string(e, "message")?.ok_or_else(|| wire::missing(&path("message")))?;
            wire::min_length(message, &path("message"), 1)?;
            events.push((timestamp as Millis, message.to_string()));
        }
        if events.windows(2).any(|pair| pair[1].0 < pair[0].0) {
            return Err(invalid("Log events in a single PutLogEvents request must be in chronological order."));
        }
        let bytes: usize = events.iter().map(|(_, m)| m.len() + EVENT_OVERHEAD).sum();
        if bytes > BATCH_BYTES {
            return Err(invalid(format!("Upload too large: {bytes} bytes exceeds limit of {BATCH_BYTES}")));
        }
        Ok(PutLogEvents { group, stream, events })
    }

    /// The stream must exist. Events over two hours ahead of now are too new, over 14 days
    /// behind too old, older than the group's retention expired: those are rejected and the
    /// rest kept, which may span at most 24 hours.
    fn check(self, logs: &Logs, now_ms: Millis) -> Result<Batch, AwsError> {
        let group = find_group(logs, &self.group)?;
        find_stream(group, &self.stream)?;
        let count_before = |limit: Millis| self.events.iter().take_while(|(t, _)| *t < limit).count();
        let too_old = count_before(now_ms.saturating_sub(TOO_OLD_MS));
        let expired = count_before(group.cutoff(now_ms));
        let too_new = self.events.iter().position(|(t, _)| *t > now_ms + TOO_NEW_MS);
        let start = too_old.max(expired);
        let end = too_new.unwrap_or(self.events.len()).max(start);
        if end > start && self.events[end - 1].0 - self.events[start].0 > BATCH_SPAN_MS {
            return Err(invalid(
                "The batch of log events in a single PutLogEvents request cannot span more than 24 hours.",
            ));
        }
        let mut rejected = Map::new();
        if let Some(index) = too_new {
            rejected.insert("tooNewLogEventStartIndex".into(), json!(index));
        }
        if too_old > 0 {
            rejected.insert("tooOldLogEventEndIndex".into(), json!(too_old));
        }
        if expired > 0 {
            rejected.insert("expiredLogEventEndIndex".into(), json!(expired));
        }
        let rejected = (!rejected.is_empty()).then_some(Value::Object(rejected));
        Ok(Batch { input: self, keep: start..end, rejected })
    }
}

impl Batch {
    fn commit(self, logs: &mut Logs, now_ms: Millis) -> Value {
        let Batch { input, keep, rejected } = self;
        let mut seq = logs.last_event;
        let events: Vec<Event> = input.events[keep]
            .iter()
            .map(|(timestamp, message)| {
                seq += 1;
                Event { timestamp: *timestamp, message: message.clone(), ingestion_ms: now_ms, seq }
            })
            .collect();
        logs.last_event = seq;
        let token = format!("{seq:056}");
        let group = logs.groups.get_mut(&input.group).expect("checked");
        let cutoff = group.cutoff(now_ms);
        let stream = group.streams.get_mut(&input.stream).expect("checked");
        stream.append(events, cutoff);
        stream.upload_sequence_token = Some(token.clone());
        let mut answer = json!({ "nextSequenceToken": token });
        if let Some(rejected) = rejected {
            answer["rejectedLogEventsInfo"] = rejected;
        }
        answer
    }
}

pub(super) fn put_log_events(logs: &mut Logs, now_ms: Millis, request: &Value) -> Result<Value, AwsError> {
    let batch = PutLogEvents::parse(request)?.check(logs, now_ms)?;
    Ok(batch.commit(logs, now_ms))
}

/// startTime and endTime, if given (not negative).
fn time_range(r: Request) -> Result<(Option<Millis>, Option<Millis>), AwsError> {
    let read = |member: &str| -> Result<Option<Millis>, AwsError> {
        let Some(ms) = wire::integer(r, member)? else { return Ok(None) };
        wire::min_value(ms, member, 0)?;
        Ok(Some(ms as Millis))
    };
    Ok((read("startTime")?, read("endTime")?))
}

/// Takes events from `events` while the page has room: `limit` events and about 1 MB.
fn fill<'a, T: 'a>(events: impl Iterator<Item = T>, limit: usize, size: impl Fn(&T) -> usize) -> Vec<T> {
    let mut bytes = 0;
    let mut page = Vec::new();
    for event in events.take(limit) {
        bytes += size(&event) + EVENT_OVERHEAD;
        if bytes > BATCH_BYTES && !page.is_empty() {
            break;
        }
        page.push(event);
    }
    page
}

/// A GetLogEvents token: `f/<56 digits>/s` reads on from the boundary, `b/<56 digits>/s` back.
#[derive(Clone, Copy)]
struct Cursor {
    forward: bool,
    /// Forward pages hold events at or after it; backward pages events before it.
    boundary: Key,
}

impl Cursor {
    fn parse(token: &str) -> Option<Cursor> {
        let (direction, rest) = token.split_once('/')?;
        let digits = rest.strip_suffix("/s")?;
        let forward = match direction {
            "f" => true,
            "b" => false,
            _ => return None,
        };
        Some(Cursor { forward, boundary: key_from_digits(digits)? })
    }

    fn text(forward: bool, boundary: Key) -> String {
        format!("{}/{}/s", if forward { 'f' } else { 'b' }, key_digits(boundary))
    }
}

/// GetLogEvents' input.
struct GetLogEvents {
    group: String,
    stream: String,
    start: Option<Millis>,
    end: Option<Millis>,
    cursor: Option<Cursor>,
    limit: usize,
    /// startFromHead: without a token, read from the oldest event (else back from the newest).
    from_head: bool,
}

impl GetLogEvents {
    fn parse(request: &Value) -> Result<GetLogEvents, AwsError> {
        let r = object_with(
            request,
            &[
                "logGroupName",
                "logGroupIdentifier",
                "logStreamName",
                "startTime",
                "endTime",
                "nextToken",
                "limit",
                "startFromHead",
                "unmask",
            ],
        )?;
        let group = target_group(r)?;
        let stream = required_stream_name(r)?;
        let (start, end) = time_range(r)?;
        let cursor = match string(r, "nextToken")? {
            None => None,
            Some(token) => {
                wire::min_length(token, "nextToken", 1)?;
                Some(Cursor::parse(token).ok_or_else(invalid_token)?)
            }
        };
        // Nothing is masked here, so unmasking changes nothing.
        wire::boolean(r, "unmask")?;
        Ok(GetLogEvents {
            group,
            stream,
            start,
            end,
            cursor,
            limit: limit(r, MAX_EVENTS as i64)?,
            from_head: wire::boolean(r, "startFromHead")?.unwrap_or(false),
        })
    }

    fn answer(&self, logs: &Logs, now_ms: Millis) -> Result<Value, AwsError> {
        let group = find_group(logs, &self.group)?;
        let stream = find_stream(group, &self.stream)?;
        let window: Vec<&Event> = group
            .retained(stream, now_ms)
            .filter(|e| self.start.is_none_or(|t| e.timestamp >= t) && self.end.is_none_or(|t| e.timestamp < t))
            .collect();
        let after_last = stream.events.last().map_or((0, 0), |e| (e.timestamp, e.seq + 1));
        let cursor = self
            .cursor
            .unwrap_or(Cursor { forward: self.from_head, boundary: if self.from_head { (0, 0) } else { after_last } });
        let size = |e: &&Event| e.message.len();
        let page: Vec<&Event> = if cursor.forward {
            fill(window.iter().copied().filter(|e| e.key() >= cursor.boundary), self.limit, size)
        } else {
            let mut page = fill(window.iter().rev().copied().filter(|e| e.key() < cursor.boundary), self.limit, size);
            page.reverse();
            page
        };
        let (forward, backward) = match (page.first(), page.last()) {
            (Some(first), Some(last)) => ((last.timestamp, last.seq + 1), first.key()),
            _ => (cursor.boundary, cursor.boundary),
        };
        let events: Vec<Value> = page
            .iter()
            .map(|e| json!({"timestamp": e.timestamp, "message": e.message, "ingestionTime": e.ingestion_ms}))
            .collect();
        Ok(json!({
            "events": events,
            "nextForwardToken": Cursor::text(true, forward),
            "nextBackwardToken": Cursor::text(false, backward),
        }))
    }
}

pub(super) fn get_log_events(logs: &Logs, now_ms: Millis, request: &Value) -> Result<Value, AwsError> {
    GetLogEvents::parse(request)?.answer(logs, now_ms)
}

/// FilterLogEvents' input.
struct FilterLogEvents {
    group: String,
    /// logStreamNames: only these streams.
    names: Option<Vec<String>>,
    /// logStreamNamePrefix: only streams whose names start with it.
    prefix: Option<String>,
    start: Option<Millis>,
    end: Option<Millis>,
    pattern: Pattern,
    /// nextToken: the direction of the first request and the last event returned so far.
    after: Option<(bool, Key)>,
    limit: usize,
    /// startFromHead: oldest first (the default), else newest first.
    from_head: bool,
}

impl FilterLogEvents {
    fn parse(request: &Value) -> Result<FilterLogEvents, AwsError> {
        let r = object_with(
            request,
            &[
                "logGroupName",
                "logGroupIdentifier",
                "logStreamNames",
                "logStreamNamePrefix",
                "startTime",
                "endTime",
                "filterPattern",
                "nextToken",
                "limit",
                "startFromHead",
                "interleaved",
                "unmask",
            ],
        )?;
        let group = target_group(r)?;
        let names = match r.get("logStreamNames").filter(|v| !v.is_null()) {
            None => None,
            Some(list) => {
                let list = wire::array(list, "logStreamNames")?;
                wire::min_items(list.len(), "logStreamNames", 1)?;
                if list.len() > 100 {
                    return Err(wire::constraint(
                        "InvalidParameterException",
                        None,
                        "logStreamNames",
                        "Member must have length less than or equal to 100",
                    ));
                }
                let mut names = Vec::new();
                for (at, name) in list.iter().enumerate() {
                    let path = format!("logStreamNames[{at}]");
                    let name = name.as_str().ok_or_else(|| wire::invalid_type(&path, name, "string"))?;
                    let one = Map::from_iter([(path.clone(), json!(name))]);
                    stream_name(&one, &path)?;
                    names.push(name.to_string());
                }
                Some(names)
            }
        };
        let prefix = stream_name(r, "logStreamNamePrefix")?.map(str::to_string);
        if names.is_some() && prefix.is_some() {
            return Err(invalid("logStreamNames and logStreamNamePrefix are mutually exclusive parameters."));
        }
        let (start, end) = time_range(r)?;
        let text = string(r, "filterPattern")?.unwrap_or("");
        if text.chars().count() > 1024 {
            return Err(constraint(text, "filterPattern", "Member must have length less than or equal to 1024"));
        }
        let pattern = pattern::parse(text).map_err(|err| match err.unsupported {
            true => AwsError::client("SimulatorLimitation", err.message),
            false => invalid(err.message),
        })?;
        let after = match string(r, "nextToken")? {
            None => None,
            Some(token) => {
                wire::min_length(token, "nextToken", 1)?;
                let position = wire::read_page_token(token).ok_or_else(invalid_token)?;
                let (direction, digits) = position.split_once(':').ok_or_else(invalid_token)?;
                let key = key_from_digits(digits).ok_or_else(invalid_token)?;
                match direction {
                    "f" => Some((true, key)),
                    "b" => Some((false, key)),
                    _ => return Err(invalid_token()),
                }
            }
        };
        // Interleaving is always on (AWS ignores the member since 2019); nothing is masked here.
        wire::boolean(r, "interleaved")?;
        wire::boolean(r, "unmask")?;
        Ok(FilterLogEvents {
            group,
            names,
            prefix,
            start,
            end,
            pattern,
            after,
            limit: limit(r, MAX_EVENTS as i64)?,
            from_head: wire::boolean(r, "startFromHead")?.unwrap_or(true),
        })
    }

    fn answer(&self, logs: &Logs, now_ms: Millis) -> Result<Value, AwsError> {
        let group = find_group(logs, &self.group)?;
        let mut found: Vec<(&str, &Event)> = group
            .streams
            .values()
            .filter(|s| self.names.as_ref().is_none_or(|names| names.contains(&s.name)))
            .filter(|s| self.prefix.as_ref().is_none_or(|p| s.name.starts_with(p.as_str())))
            .flat_map(|s| group.retained(s, now_ms).map(move |e| (s.name.as_str(), e)))
            .filter(|(_, e)| self.start.is_none_or(|t| e.timestamp >= t) && self.end.is_none_or(|t| e.timestamp <= t))
            .filter(|(_, e)| self.pattern.matches(&e.message))
            .collect();
        found.sort_by_key(|(_, e)| e.key());
        // A token keeps the direction of the request that began the listing.
        let (forward, after) = match self.after {
            Some((forward, key)) => (forward, Some(key)),
            None => (self.from_head, None),
        };
        if !forward {
            found.reverse();
        }
        let remaining = found.iter().filter(|(_, e)| match after {
            None => true,
            Some(key) if forward => e.key() > key,
            Some(key) => e.key() < key,
        });
        let rest: Vec<&(&str, &Event)> = remaining.collect();
        let page = fill(rest.iter().copied(), self.limit, |(_, e)| e.message.len());
        let events: Vec<Value> = page
            .iter()
            .map(|(stream, e)| {
                json!({
                    "logStreamName": stream,
                    "timestamp": e.timestamp,
                    "message": e.message,
                    "ingestionTime": e.ingestion_ms,
                    "eventId": e.id(),
                })
            })
            .collect();
        let mut answer = json!({ "events": events, "searchedLogStreams": [] });
        if let (true, Some((_, last))) = (rest.len() > page.len(), page.last()) {
            let position = format!("{}:{}", if forward { 'f' } else { 'b' }, last.id());
            answer["nextToken"] = json!(wire::page_token(&position));
        }
        Ok(answer)
    }
}

pub(super) fn filter_log_events(logs: &Logs, now_ms: Millis, request: &Value) -> Result<Value, AwsError> {
    FilterLogEvents::parse(request)?.answer(logs, now_ms)
}
