//! The Kinesis streaming destination.

use super::*;

pub(super) fn kinesis_request<'a>(db: &'a DynamoDb, r: Request<'a>) -> Result<(&'a Table, &'a str), AwsError> {
    let name = required(r, "TableName")?;
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
    Ok((active_table(db, name)?, arn))
}

pub(super) fn enable_kinesis_streaming_destination(
    db: &mut DynamoDb,
    ctx: &mut Ctx,
    request: &Value,
) -> Result<Value, AwsError> {
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
    let (table, arn) = kinesis_request(db, r)?;
    if table.kinesis.iter().any(|d| d.stream_arn == arn && matches!(d.status.as_str(), "ENABLING" | "ACTIVE")) {
        return Err(AwsError::client(
            "ResourceInUseException",
            format!("Table {} is already streaming to {arn}", table.name),
        ));
    }
    let (name, created_ms, arn) = (table.name.clone(), table.created_ms, arn.to_string());
    let table = db.tables.get_mut(&name).expect("checked above");
    table.kinesis.retain(|d| d.stream_arn != arn);
    table.kinesis.push(crate::dynamodb::table::KinesisDestination {
        stream_arn: arn.clone(),
        status: "ENABLING".into(),
        precision: precision.clone(),
    });
    ctx.schedule(
        ctx.now_ms + TRANSITION_MS,
        Job::KinesisSettled { table: name.clone(), created_ms, stream_arn: arn.clone() },
    );
    Ok(json!({
        "TableName": name, "StreamArn": arn, "DestinationStatus": "ENABLING",
        "EnableKinesisStreamingConfiguration": {"ApproximateCreationDateTimePrecision": precision},
    }))
}

pub(super) fn describe_kinesis_streaming_destination(db: &DynamoDb, request: &Value) -> Result<Value, AwsError> {
    let r = object_with(request, &["TableName"])?;
    let table = table_for_describe(db, required(r, "TableName")?)?;
    let destinations: Vec<Value> = table
        .kinesis
        .iter()
        .map(|d| json!({"StreamArn": d.stream_arn, "DestinationStatus": d.status, "ApproximateCreationDateTimePrecision": d.precision}))
        .collect();
    Ok(json!({ "TableName": table.name, "KinesisDataStreamDestinations": destinations }))
}

pub(super) fn disable_kinesis_streaming_destination(
    db: &mut DynamoDb,
    ctx: &mut Ctx,
    request: &Value,
) -> Result<Value, AwsError> {
    let r = object_with(request, &["TableName", "StreamArn", "EnableKinesisStreamingConfiguration"])?;
    let (table, arn) = kinesis_request(db, r)?;
    if !table.kinesis.iter().any(|d| d.stream_arn == arn && d.status == "ACTIVE") {
        return Err(invalid(format!("Table {} is not streaming to {arn}", table.name)));
    }
    let (name, created_ms, arn) = (table.name.clone(), table.created_ms, arn.to_string());
    let table = db.tables.get_mut(&name).expect("checked above");
    for d in table.kinesis.iter_mut().filter(|d| d.stream_arn == arn) {
        d.status = "DISABLING".into();
    }
    ctx.schedule(
        ctx.now_ms + TRANSITION_MS,
        Job::KinesisSettled { table: name.clone(), created_ms, stream_arn: arn.clone() },
    );
    Ok(json!({ "TableName": name, "StreamArn": arn, "DestinationStatus": "DISABLING" }))
}
