//! The Kinesis streaming destination.
//!
//! Each operation is a typed input: `parse` reads the request's own shape and nothing else;
//! `check` looks at the tables through `&DynamoDb` and can fail, returning what to change;
//! `commit` takes `&mut DynamoDb` and cannot fail. So a failed request has changed nothing, by
//! construction rather than by statement order.

use super::*;

/// A table and a Kinesis data stream, as Enable and Disable name them.
struct Destination {
    /// The table whose changes go (or stop going) to the stream.
    table: String,
    /// The stream's ARN, checked to look like a Kinesis stream's.
    stream_arn: String,
}

impl Destination {
    /// Reads TableName and StreamArn.
    fn parse(r: Request) -> Result<Destination, AwsError> {
        let table = required(r, "TableName")?;
        let arn = required(r, "StreamArn")?;
        let parts: Vec<&str> = arn.splitn(6, ':').collect();
        let valid = parts.len() == 6
            && parts[0] == "arn"
            && parts[2] == "kinesis"
            && parts[5].starts_with("stream/")
            && parts[5].len() > 7;
        if !valid {
            return Err(invalid(format!("Invalid StreamArn: {arn}")));
        }
        Ok(Destination { table: table.to_string(), stream_arn: arn.to_string() })
    }
}

/// EnableKinesisStreamingDestination's input.
struct EnableKinesisStreamingDestination {
    /// The table and the stream to start sending to.
    destination: Destination,
    /// ApproximateCreationDateTimePrecision (MILLISECOND or MICROSECOND, the default).
    precision: String,
}

impl EnableKinesisStreamingDestination {
    fn parse(request: &Value) -> Result<EnableKinesisStreamingDestination, AwsError> {
        let r = object_with(request, &["TableName", "StreamArn", "EnableKinesisStreamingConfiguration"])?;
        let precision = match map(r, "EnableKinesisStreamingConfiguration")? {
            Some(c) => {
                let c = object_with(&Value::Object(c.clone()), &["ApproximateCreationDateTimePrecision"])?.clone();
                enum_member(
                    &c,
                    "ApproximateCreationDateTimePrecision",
                    "enableKinesisStreamingConfiguration.approximateCreationDateTimePrecision",
                    &["MILLISECOND", "MICROSECOND"],
                )?
                .unwrap_or("MICROSECOND")
                .to_string()
            }
            None => "MICROSECOND".to_string(),
        };
        Ok(EnableKinesisStreamingDestination { destination: Destination::parse(r)?, precision })
    }

    /// The table must be ACTIVE and not already streaming to this stream.
    fn check(self, db: &DynamoDb) -> Result<Checked<EnableKinesisStreamingDestination>, AwsError> {
        let table = active_table(db, &self.destination.table)?;
        let arn = &self.destination.stream_arn;
        if table.kinesis.iter().any(|d| &d.stream_arn == arn && matches!(d.status.as_str(), "ENABLING" | "ACTIVE")) {
            return Err(AwsError::client(
                "ResourceInUseException",
                format!("Table {} is already streaming to {arn}", table.name),
            ));
        }
        Ok(Checked { created_ms: table.created_ms, input: self })
    }
}

impl Checked<EnableKinesisStreamingDestination> {
    fn commit(self, db: &mut DynamoDb, ctx: &mut Ctx) -> Value {
        let EnableKinesisStreamingDestination { destination: Destination { table: name, stream_arn: arn }, precision } =
            self.input;
        let table = db.tables.get_mut(&name).expect("checked");
        table.kinesis.retain(|d| d.stream_arn != arn);
        table.kinesis.push(crate::dynamodb::table::KinesisDestination {
            stream_arn: arn.clone(),
            status: "ENABLING".into(),
            precision: precision.clone(),
        });
        ctx.schedule(
            ctx.now_ms + TRANSITION_MS,
            Job::KinesisSettled { table: name.clone(), created_ms: self.created_ms, stream_arn: arn.clone() },
        );
        json!({
            "TableName": name, "StreamArn": arn, "DestinationStatus": "ENABLING",
            "EnableKinesisStreamingConfiguration": {"ApproximateCreationDateTimePrecision": precision},
        })
    }
}

pub(super) fn enable_kinesis_streaming_destination(
    db: &mut DynamoDb,
    ctx: &mut Ctx,
    request: &Value,
) -> Result<Value, AwsError> {
    let plan = EnableKinesisStreamingDestination::parse(request)?.check(db)?;
    Ok(plan.commit(db, ctx))
}

/// DescribeKinesisStreamingDestination's input.
type DescribeKinesisStreamingDestination = TableName;

pub(super) fn describe_kinesis_streaming_destination(db: &DynamoDb, request: &Value) -> Result<Value, AwsError> {
    let table = DescribeKinesisStreamingDestination::parse(request)?.table(db)?;
    let destinations: Vec<Value> = table
        .kinesis
        .iter()
        .map(|d| json!({"StreamArn": d.stream_arn, "DestinationStatus": d.status, "ApproximateCreationDateTimePrecision": d.precision}))
        .collect();
    Ok(json!({ "TableName": table.name, "KinesisDataStreamDestinations": destinations }))
}

/// DisableKinesisStreamingDestination's input.
struct DisableKinesisStreamingDestination {
    /// The table and the stream to stop sending to.
    destination: Destination,
}

impl DisableKinesisStreamingDestination {
    fn parse(request: &Value) -> Result<DisableKinesisStreamingDestination, AwsError> {
        // The configuration member is in the input shape; disabling does not read it.
        let r = object_with(request, &["TableName", "StreamArn", "EnableKinesisStreamingConfiguration"])?;
        Ok(DisableKinesisStreamingDestination { destination: Destination::parse(r)? })
    }

    /// The table must be ACTIVE and streaming to this stream.
    fn check(self, db: &DynamoDb) -> Result<Checked<DisableKinesisStreamingDestination>, AwsError> {
        let table = active_table(db, &self.destination.table)?;
        let arn = &self.destination.stream_arn;
        if !table.kinesis.iter().any(|d| &d.stream_arn == arn && d.status == "ACTIVE") {
            return Err(invalid(format!("Table {} is not streaming to {arn}", table.name)));
        }
        Ok(Checked { created_ms: table.created_ms, input: self })
    }
}

impl Checked<DisableKinesisStreamingDestination> {
    fn commit(self, db: &mut DynamoDb, ctx: &mut Ctx) -> Value {
        let Destination { table: name, stream_arn: arn } = self.input.destination;
        let table = db.tables.get_mut(&name).expect("checked");
        for d in table.kinesis.iter_mut().filter(|d| d.stream_arn == arn) {
            d.status = "DISABLING".into();
        }
        ctx.schedule(
            ctx.now_ms + TRANSITION_MS,
            Job::KinesisSettled { table: name.clone(), created_ms: self.created_ms, stream_arn: arn.clone() },
        );
        json!({ "TableName": name, "StreamArn": arn, "DestinationStatus": "DISABLING" })
    }
}

pub(super) fn disable_kinesis_streaming_destination(
    db: &mut DynamoDb,
    ctx: &mut Ctx,
    request: &Value,
) -> Result<Value, AwsError> {
    let plan = DisableKinesisStreamingDestination::parse(request)?.check(db)?;
    Ok(plan.commit(db, ctx))
}
