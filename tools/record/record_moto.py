#!/usr/bin/env python3
"""Records how moto (an independent AWS simulator, run in-process) answers scripted calls.

Each recording below (Lambda's control plane, IAM, Secrets Manager, CloudWatch Logs, SQS, Kinesis) runs its
steps against moto through boto3 and is written to core/tests/recorded/<name>-moto.json as
{service, action, request, ok | error} per step. The Rust test core/tests/moto_differential.rs
replays the same steps against the simulator, offline, and compares the answers.

Run it again after changing the steps:

    pip install 'moto[awslambda,iam,secretsmanager,logs,sqs,kinesis]==5.2.1' boto3
    python3 tools/record/record_moto.py            # every recording
    python3 tools/record/record_moto.py sqs        # only the ones named

`advance` steps move the simulator's clock (a new function is Pending for a moment there, as on
AWS); moto has no clock and skips them. The simulator's world starts at the instant the recording
was made (`recorded_at_ms`), so that log events stamped with moto's clock are recent in both.
"""

import base64
import io
import json
import os
import sys
import time
import zipfile

import boto3
from botocore.exceptions import ClientError
from moto import mock_aws

REGION = "ap-southeast-1"
ACCOUNT = "123456789012"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/orders-role"
TRUST = json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}],
})


def zip_of(files):
    """A deflated zip with fixed timestamps, in base64 (the same bytes every run)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files:
            info = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text)
    return base64.b64encode(buffer.getvalue()).decode()


V1 = zip_of([("index.mjs", "export const handler = async () => ({ version: 'one' });")])
V2 = zip_of([("index.mjs", "export const handler = async () => ({ version: 'two' });")])
LAYER = zip_of([("nodejs/node_modules/greet/index.js", "exports.greet = (n) => 'hi ' + n;")])
LAYER_ARN = f"arn:aws:lambda:{REGION}:{ACCOUNT}:layer:common-utils"
FUNCTION_ARN = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:orders"


def create(name, code, **extra):
    request = {"FunctionName": name, "Runtime": "nodejs22.x", "Role": ROLE, "Handler": "index.handler",
               "Code": {"ZipFile": code}}
    request.update(extra)
    return ("lambda", "CreateFunction", request)


LAMBDA = [
    ("iam", "CreateRole", {"RoleName": "orders-role", "AssumeRolePolicyDocument": TRUST}),
    create("orders", V1, Description="first", Timeout=10, MemorySize=256,
           Environment={"Variables": {"TABLE_NAME": "Orders"}}, Tags={"team": "orders"}),
    "advance",
    ("lambda", "GetFunctionConfiguration", {"FunctionName": "orders"}),
    ("lambda", "GetFunction", {"FunctionName": "orders"}),
    create("orders", V1),
    ("lambda", "GetFunction", {"FunctionName": "missing"}),
    ("lambda", "GetFunctionConfiguration", {"FunctionName": FUNCTION_ARN}),
    ("lambda", "ListFunctions", {}),
    # Versions.
    ("lambda", "PublishVersion", {"FunctionName": "orders", "Description": "v1"}),
    ("lambda", "UpdateFunctionCode", {"FunctionName": "orders", "ZipFile": V2}),
    "advance",
    ("lambda", "PublishVersion", {"FunctionName": "orders"}),
    ("lambda", "ListVersionsByFunction", {"FunctionName": "orders"}),
    ("lambda", "GetFunctionConfiguration", {"FunctionName": "orders", "Qualifier": "1"}),
    ("lambda", "GetFunction", {"FunctionName": "orders:2"}),
    ("lambda", "GetFunctionConfiguration", {"FunctionName": "orders", "Qualifier": "9"}),
    # Aliases.
    ("lambda", "CreateAlias", {"FunctionName": "orders", "Name": "live", "FunctionVersion": "1",
                               "Description": "what customers call"}),
    ("lambda", "CreateAlias", {"FunctionName": "orders", "Name": "live", "FunctionVersion": "1"}),
    ("lambda", "GetAlias", {"FunctionName": "orders", "Name": "live"}),
    ("lambda", "GetAlias", {"FunctionName": "orders", "Name": "nope"}),
    ("lambda", "UpdateAlias", {"FunctionName": "orders", "Name": "live",
                               "RoutingConfig": {"AdditionalVersionWeights": {"2": 0.25}}}),
    ("lambda", "CreateAlias", {"FunctionName": "orders", "Name": "beta", "FunctionVersion": "2"}),
    ("lambda", "ListAliases", {"FunctionName": "orders"}),
    ("lambda", "GetFunctionConfiguration", {"FunctionName": "orders", "Qualifier": "beta"}),
    ("lambda", "DeleteAlias", {"FunctionName": "orders", "Name": "beta"}),
    ("lambda", "ListAliases", {"FunctionName": "orders"}),
    # Resource policies.
    ("lambda", "GetPolicy", {"FunctionName": "orders"}),
    ("lambda", "AddPermission", {"FunctionName": "orders", "StatementId": "events",
                                 "Action": "lambda:InvokeFunction", "Principal": "events.amazonaws.com",
                                 "SourceArn": f"arn:aws:events:{REGION}:{ACCOUNT}:rule/nightly"}),
    ("lambda", "AddPermission", {"FunctionName": "orders", "StatementId": "s3", "Action": "lambda:InvokeFunction",
                                 "Principal": "s3.amazonaws.com", "SourceAccount": ACCOUNT}),
    ("lambda", "GetPolicy", {"FunctionName": "orders"}),
    ("lambda", "RemovePermission", {"FunctionName": "orders", "StatementId": "s3"}),
    ("lambda", "GetPolicy", {"FunctionName": "orders"}),
    ("lambda", "RemovePermission", {"FunctionName": "orders", "StatementId": "events"}),
    ("lambda", "GetPolicy", {"FunctionName": "orders"}),
    # Layers.
    ("lambda", "PublishLayerVersion", {"LayerName": "common-utils", "Description": "greetings",
                                       "Content": {"ZipFile": LAYER}, "CompatibleRuntimes": ["nodejs22.x"],
                                       "LicenseInfo": "MIT"}),
    ("lambda", "PublishLayerVersion", {"LayerName": "common-utils", "Content": {"ZipFile": LAYER}}),
    ("lambda", "GetLayerVersion", {"LayerName": "common-utils", "VersionNumber": 1}),
    ("lambda", "GetLayerVersionByArn", {"Arn": f"{LAYER_ARN}:2"}),
    ("lambda", "ListLayerVersions", {"LayerName": "common-utils"}),
    ("lambda", "ListLayers", {}),
    create("greeter", V1, Layers=[f"{LAYER_ARN}:1"]),
    "advance",
    ("lambda", "GetFunctionConfiguration", {"FunctionName": "greeter"}),
    ("lambda", "DeleteLayerVersion", {"LayerName": "common-utils", "VersionNumber": 2}),
    ("lambda", "ListLayerVersions", {"LayerName": "common-utils"}),
    # Concurrency and tags.
    ("lambda", "GetFunctionConcurrency", {"FunctionName": "orders"}),
    ("lambda", "PutFunctionConcurrency", {"FunctionName": "orders", "ReservedConcurrentExecutions": 5}),
    ("lambda", "GetFunctionConcurrency", {"FunctionName": "orders"}),
    ("lambda", "DeleteFunctionConcurrency", {"FunctionName": "orders"}),
    ("lambda", "GetFunctionConcurrency", {"FunctionName": "orders"}),
    ("lambda", "TagResource", {"Resource": FUNCTION_ARN, "Tags": {"stage": "dev"}}),
    ("lambda", "ListTags", {"Resource": FUNCTION_ARN}),
    ("lambda", "UntagResource", {"Resource": FUNCTION_ARN, "TagKeys": ["team"]}),
    ("lambda", "ListTags", {"Resource": FUNCTION_ARN}),
    # Configuration changes and deletion.
    ("lambda", "UpdateFunctionConfiguration", {"FunctionName": "orders", "Timeout": 30,
                                               "Environment": {"Variables": {"LOG_LEVEL": "INFO"}}}),
    "advance",
    ("lambda", "GetFunctionConfiguration", {"FunctionName": "orders"}),
    ("lambda", "UpdateAlias", {"FunctionName": "orders", "Name": "live",
                               "RoutingConfig": {"AdditionalVersionWeights": {}}}),
    ("lambda", "DeleteFunction", {"FunctionName": "orders", "Qualifier": "2"}),
    ("lambda", "ListVersionsByFunction", {"FunctionName": "orders"}),
    ("lambda", "DeleteFunction", {"FunctionName": "orders"}),
    ("lambda", "GetFunction", {"FunctionName": "orders"}),
    ("lambda", "DeleteFunction", {"FunctionName": "orders"}),
]

NOW_MS = int(time.time() * 1000)

IAM = [
    ("iam", "CreateRole", {"RoleName": "orders-role", "AssumeRolePolicyDocument": TRUST, "Description": "orders"}),
    ("iam", "CreateRole", {"RoleName": "orders-role", "AssumeRolePolicyDocument": TRUST}),
    ("iam", "GetRole", {"RoleName": "orders-role"}),
    ("iam", "GetRole", {"RoleName": "missing"}),
    ("iam", "PutRolePolicy", {"RoleName": "orders-role", "PolicyName": "history", "PolicyDocument": json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "dynamodb:PutItem",
                                                "Resource": f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/OrdersHistory"}]})}),
    ("iam", "GetRolePolicy", {"RoleName": "orders-role", "PolicyName": "history"}),
    ("iam", "GetRolePolicy", {"RoleName": "orders-role", "PolicyName": "nope"}),
    ("iam", "ListRolePolicies", {"RoleName": "orders-role"}),
    ("iam", "CreatePolicy", {"PolicyName": "queue", "PolicyDocument": json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*"}]})}),
    ("iam", "CreatePolicy", {"PolicyName": "queue", "PolicyDocument": json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*"}]})}),
    ("iam", "CreatePolicyVersion", {"PolicyArn": f"arn:aws:iam::{ACCOUNT}:policy/queue", "SetAsDefault": True,
                                    "PolicyDocument": json.dumps({"Version": "2012-10-17", "Statement": [
                                        {"Effect": "Allow", "Action": "sqs:*", "Resource": "*"}]})}),
    ("iam", "ListPolicyVersions", {"PolicyArn": f"arn:aws:iam::{ACCOUNT}:policy/queue"}),
    ("iam", "GetPolicyVersion", {"PolicyArn": f"arn:aws:iam::{ACCOUNT}:policy/queue", "VersionId": "v1"}),
    ("iam", "GetPolicy", {"PolicyArn": f"arn:aws:iam::{ACCOUNT}:policy/queue"}),
    ("iam", "AttachRolePolicy", {"RoleName": "orders-role", "PolicyArn": f"arn:aws:iam::{ACCOUNT}:policy/queue"}),
    ("iam", "ListAttachedRolePolicies", {"RoleName": "orders-role"}),
    ("iam", "DeleteRole", {"RoleName": "orders-role"}),
    ("iam", "DetachRolePolicy", {"RoleName": "orders-role", "PolicyArn": f"arn:aws:iam::{ACCOUNT}:policy/queue"}),
    ("iam", "DetachRolePolicy", {"RoleName": "orders-role", "PolicyArn": f"arn:aws:iam::{ACCOUNT}:policy/queue"}),
    ("iam", "DeleteRolePolicy", {"RoleName": "orders-role", "PolicyName": "history"}),
    ("iam", "ListRoles", {}),
    ("iam", "DeleteRole", {"RoleName": "orders-role"}),
    ("iam", "DeleteRole", {"RoleName": "orders-role"}),
    ("iam", "DeletePolicyVersion", {"PolicyArn": f"arn:aws:iam::{ACCOUNT}:policy/queue", "VersionId": "v1"}),
    ("iam", "ListPolicyVersions", {"PolicyArn": f"arn:aws:iam::{ACCOUNT}:policy/queue"}),
    ("iam", "DeletePolicy", {"PolicyArn": f"arn:aws:iam::{ACCOUNT}:policy/queue"}),
    ("iam", "GetPolicy", {"PolicyArn": f"arn:aws:iam::{ACCOUNT}:policy/queue"}),
]

T1 = "11111111-1111-4111-8111-111111111111"
T2 = "22222222-2222-4222-8222-222222222222"
SECRETS = [
    ("secretsmanager", "CreateSecret", {"Name": "orders/payment-api-key", "SecretString": "{\"apiKey\":\"sk-1\"}",
                                        "Description": "Payment provider key", "ClientRequestToken": T1}),
    ("secretsmanager", "CreateSecret", {"Name": "orders/payment-api-key", "SecretString": "x"}),
    ("secretsmanager", "GetSecretValue", {"SecretId": "orders/payment-api-key"}),
    ("secretsmanager", "GetSecretValue", {"SecretId": "missing"}),
    ("secretsmanager", "PutSecretValue", {"SecretId": "orders/payment-api-key", "SecretString": "{\"apiKey\":\"sk-2\"}",
                                          "ClientRequestToken": T2}),
    ("secretsmanager", "GetSecretValue", {"SecretId": "orders/payment-api-key", "VersionStage": "AWSPREVIOUS"}),
    ("secretsmanager", "GetSecretValue", {"SecretId": "orders/payment-api-key", "VersionId": T1}),
    ("secretsmanager", "DescribeSecret", {"SecretId": "orders/payment-api-key"}),
    ("secretsmanager", "ListSecretVersionIds", {"SecretId": "orders/payment-api-key"}),
    ("secretsmanager", "UpdateSecret", {"SecretId": "orders/payment-api-key", "Description": "rotated by hand"}),
    ("secretsmanager", "TagResource", {"SecretId": "orders/payment-api-key", "Tags": [{"Key": "team", "Value": "orders"}]}),
    ("secretsmanager", "ListSecrets", {}),
    ("secretsmanager", "DeleteSecret", {"SecretId": "orders/payment-api-key", "RecoveryWindowInDays": 7}),
    ("secretsmanager", "GetSecretValue", {"SecretId": "orders/payment-api-key"}),
    ("secretsmanager", "DescribeSecret", {"SecretId": "orders/payment-api-key"}),
    ("secretsmanager", "RestoreSecret", {"SecretId": "orders/payment-api-key"}),
    ("secretsmanager", "GetSecretValue", {"SecretId": "orders/payment-api-key"}),
    ("secretsmanager", "DeleteSecret", {"SecretId": "orders/payment-api-key", "ForceDeleteWithoutRecovery": True}),
    ("secretsmanager", "DescribeSecret", {"SecretId": "orders/payment-api-key"}),
    ("secretsmanager", "DeleteSecret", {"SecretId": "x", "RecoveryWindowInDays": 3}),
]

GROUP = "/aws/lambda/processOrder"
STREAM = "2025/01/01/[$LATEST]0f1e2d3c4b5a69788796a5b4c3d2e1f0"
LOGS = [
    ("logs", "CreateLogGroup", {"logGroupName": GROUP, "tags": {"team": "orders"}}),
    ("logs", "CreateLogGroup", {"logGroupName": GROUP}),
    ("logs", "PutRetentionPolicy", {"logGroupName": GROUP, "retentionInDays": 8}),
    ("logs", "PutRetentionPolicy", {"logGroupName": GROUP, "retentionInDays": 7}),
    ("logs", "DescribeLogGroups", {}),
    ("logs", "DescribeLogGroups", {"logGroupNamePrefix": "/aws/lambda/p"}),
    ("logs", "CreateLogStream", {"logGroupName": GROUP, "logStreamName": STREAM}),
    ("logs", "CreateLogStream", {"logGroupName": GROUP, "logStreamName": STREAM}),
    ("logs", "CreateLogStream", {"logGroupName": "/missing", "logStreamName": "s"}),
    ("logs", "PutLogEvents", {"logGroupName": GROUP, "logStreamName": STREAM, "logEvents": [
        {"timestamp": NOW_MS - 3000, "message": "START RequestId: 1 Version: $LATEST"},
        {"timestamp": NOW_MS - 2000, "message": "{\"level\": \"error\", \"latency\": 1200}"},
        {"timestamp": NOW_MS - 1000, "message": "REPORT RequestId: 1\tDuration: 21.37 ms"}]}),
    ("logs", "GetLogEvents", {"logGroupName": GROUP, "logStreamName": STREAM, "startFromHead": True}),
    ("logs", "FilterLogEvents", {"logGroupName": GROUP, "filterPattern": "REPORT"}),
    ("logs", "FilterLogEvents", {"logGroupName": GROUP, "filterPattern": "{ $.level = \"error\" }"}),
    ("logs", "FilterLogEvents", {"logGroupName": GROUP, "filterPattern": "?START ?REPORT"}),
    ("logs", "DescribeLogStreams", {"logGroupName": GROUP}),
    ("logs", "GetLogEvents", {"logGroupName": GROUP, "logStreamName": "missing"}),
    ("logs", "DeleteLogStream", {"logGroupName": GROUP, "logStreamName": STREAM}),
    ("logs", "DescribeLogStreams", {"logGroupName": GROUP}),
    ("logs", "DeleteLogGroup", {"logGroupName": GROUP}),
    ("logs", "DeleteLogGroup", {"logGroupName": GROUP}),
    ("logs", "DescribeLogGroups", {}),
]

QUEUE = f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/orders"
DLQ_ARN = f"arn:aws:sqs:{REGION}:{ACCOUNT}:orders-failed"
FIFO = f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/orders.fifo"
# "$RECEIPT" in a request stands for the receipt handle of the last message received.
SQS = [
    ("sqs", "CreateQueue", {"QueueName": "orders-failed"}),
    ("sqs", "CreateQueue", {"QueueName": "orders", "tags": {"team": "orders"}, "Attributes": {
        "VisibilityTimeout": "60", "RedrivePolicy": json.dumps({"deadLetterTargetArn": DLQ_ARN, "maxReceiveCount": "3"})}}),
    ("sqs", "CreateQueue", {"QueueName": "orders"}),
    ("sqs", "CreateQueue", {"QueueName": "orders", "Attributes": {"VisibilityTimeout": "30"}}),
    ("sqs", "CreateQueue", {"QueueName": "bad name"}),
    ("sqs", "GetQueueUrl", {"QueueName": "orders"}),
    ("sqs", "GetQueueUrl", {"QueueName": "missing"}),
    ("sqs", "ListQueues", {}),
    ("sqs", "ListQueues", {"QueueNamePrefix": "orders-"}),
    ("sqs", "GetQueueAttributes", {"QueueUrl": QUEUE, "AttributeNames": ["All"]}),
    ("sqs", "GetQueueAttributes", {"QueueUrl": QUEUE, "AttributeNames": ["VisibilityTimeout", "QueueArn"]}),
    ("sqs", "SendMessage", {"QueueUrl": QUEUE, "MessageBody": "{\"orderId\": \"o-1\"}"}),
    ("sqs", "SendMessage", {"QueueUrl": QUEUE, "MessageBody": "with attributes", "MessageAttributes": {
        "source": {"DataType": "String", "StringValue": "web"},
        "total": {"DataType": "Number", "StringValue": "250000"},
        "raw": {"DataType": "Binary", "BinaryValue": "AAEC"}}}),
    ("sqs", "SendMessage", {"QueueUrl": QUEUE, "MessageBody": "x", "DelaySeconds": 901}),
    ("sqs", "SendMessage", {"QueueUrl": f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/missing", "MessageBody": "x"}),
    ("sqs", "GetQueueAttributes", {"QueueUrl": QUEUE, "AttributeNames": ["ApproximateNumberOfMessages"]}),
    ("sqs", "ReceiveMessage", {"QueueUrl": QUEUE, "MaxNumberOfMessages": 1, "MessageSystemAttributeNames": ["ApproximateReceiveCount"]}),
    ("sqs", "GetQueueAttributes", {"QueueUrl": QUEUE, "AttributeNames": ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]}),
    ("sqs", "ChangeMessageVisibility", {"QueueUrl": QUEUE, "ReceiptHandle": "$RECEIPT", "VisibilityTimeout": 120}),
    ("sqs", "DeleteMessage", {"QueueUrl": QUEUE, "ReceiptHandle": "$RECEIPT"}),
    ("sqs", "ReceiveMessage", {"QueueUrl": QUEUE, "MaxNumberOfMessages": 11}),
    ("sqs", "ReceiveMessage", {"QueueUrl": QUEUE, "MaxNumberOfMessages": 10, "MessageAttributeNames": ["All"]}),
    ("sqs", "SendMessageBatch", {"QueueUrl": QUEUE, "Entries": [{"Id": "a", "MessageBody": "one"}, {"Id": "b", "MessageBody": "two"}]}),
    ("sqs", "SendMessageBatch", {"QueueUrl": QUEUE, "Entries": []}),
    ("sqs", "SendMessageBatch", {"QueueUrl": QUEUE, "Entries": [{"Id": "a", "MessageBody": "1"}, {"Id": "a", "MessageBody": "2"}]}),
    ("sqs", "ListDeadLetterSourceQueues", {"QueueUrl": f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/orders-failed"}),
    ("sqs", "ListQueueTags", {"QueueUrl": QUEUE}),
    ("sqs", "TagQueue", {"QueueUrl": QUEUE, "Tags": {"env": "lab"}}),
    ("sqs", "UntagQueue", {"QueueUrl": QUEUE, "TagKeys": ["team"]}),
    ("sqs", "ListQueueTags", {"QueueUrl": QUEUE}),
    ("sqs", "SetQueueAttributes", {"QueueUrl": QUEUE, "Attributes": {"DelaySeconds": "5"}}),
    ("sqs", "GetQueueAttributes", {"QueueUrl": QUEUE, "AttributeNames": ["DelaySeconds"]}),
    ("sqs", "CreateQueue", {"QueueName": "orders.fifo", "Attributes": {"FifoQueue": "true", "ContentBasedDeduplication": "true"}}),
    ("sqs", "SendMessage", {"QueueUrl": FIFO, "MessageBody": "first", "MessageGroupId": "o-1"}),
    ("sqs", "SendMessage", {"QueueUrl": FIFO, "MessageBody": "no group"}),
    ("sqs", "ReceiveMessage", {"QueueUrl": FIFO, "MaxNumberOfMessages": 10, "MessageSystemAttributeNames": ["MessageGroupId"]}),
    ("sqs", "GetQueueAttributes", {"QueueUrl": FIFO, "AttributeNames": ["All"]}),
    ("sqs", "PurgeQueue", {"QueueUrl": QUEUE}),
    ("sqs", "DeleteQueue", {"QueueUrl": QUEUE}),
    ("sqs", "GetQueueUrl", {"QueueName": "orders"}),
]

STREAM = "orders-stream"
STREAM_ARN = f"arn:aws:kinesis:{REGION}:{ACCOUNT}:stream/{STREAM}"
# "$ITERATOR" in a request stands for the last shard iterator handed out.
KINESIS = [
    ("kinesis", "CreateStream", {"StreamName": STREAM, "ShardCount": 2}),
    ("kinesis", "CreateStream", {"StreamName": STREAM, "ShardCount": 2}),
    ("kinesis", "CreateStream", {"StreamName": "bad name", "ShardCount": 1}),
    "advance",
    "advance",
    "advance",
    ("kinesis", "DescribeStream", {"StreamName": STREAM}),
    ("kinesis", "DescribeStreamSummary", {"StreamARN": STREAM_ARN}),
    ("kinesis", "ListStreams", {}),
    ("kinesis", "ListShards", {"StreamName": STREAM}),
    ("kinesis", "PutRecord", {"StreamName": STREAM, "PartitionKey": "o-1", "Data": "eyJvcmRlcklkIjoiby0xIn0="}),
    ("kinesis", "PutRecord", {"StreamName": STREAM, "PartitionKey": "o-2", "Data": "eyJvcmRlcklkIjoiby0yIn0="}),
    ("kinesis", "PutRecord", {"StreamName": STREAM, "PartitionKey": "x", "Data": "eA==", "ExplicitHashKey": "0"}),
    ("kinesis", "PutRecord", {"StreamName": "missing", "PartitionKey": "x", "Data": "eA=="}),
    ("kinesis", "PutRecords", {"StreamName": STREAM, "Records": [
        {"PartitionKey": "o-1", "Data": "YQ=="}, {"PartitionKey": "o-3", "Data": "Yg=="}]}),
    ("kinesis", "GetShardIterator", {"StreamName": STREAM, "ShardId": "shardId-000000000000", "ShardIteratorType": "TRIM_HORIZON"}),
    ("kinesis", "GetRecords", {"ShardIterator": "$ITERATOR"}),
    ("kinesis", "GetShardIterator", {"StreamName": STREAM, "ShardId": "shardId-000000000001", "ShardIteratorType": "TRIM_HORIZON"}),
    ("kinesis", "GetRecords", {"ShardIterator": "$ITERATOR", "Limit": 1}),
    ("kinesis", "GetShardIterator", {"StreamName": STREAM, "ShardId": "shardId-000000000001", "ShardIteratorType": "LATEST"}),
    ("kinesis", "GetRecords", {"ShardIterator": "$ITERATOR"}),
    ("kinesis", "GetShardIterator", {"StreamName": STREAM, "ShardId": "shardId-000000000009", "ShardIteratorType": "LATEST"}),
    ("kinesis", "IncreaseStreamRetentionPeriod", {"StreamName": STREAM, "RetentionPeriodHours": 48}),
    ("kinesis", "DecreaseStreamRetentionPeriod", {"StreamName": STREAM, "RetentionPeriodHours": 72}),
    ("kinesis", "AddTagsToStream", {"StreamName": STREAM, "Tags": {"team": "orders"}}),
    ("kinesis", "ListTagsForStream", {"StreamName": STREAM}),
    ("kinesis", "RemoveTagsFromStream", {"StreamName": STREAM, "TagKeys": ["team"]}),
    ("kinesis", "ListTagsForStream", {"StreamName": STREAM}),
    ("kinesis", "DeleteStream", {"StreamName": STREAM}),
    "advance",
    "advance",
    "advance",
    ("kinesis", "DescribeStreamSummary", {"StreamName": STREAM}),
]

SUCCESS_QUEUE = f"arn:aws:sqs:{REGION}:{ACCOUNT}:orders-success"
FAILED_QUEUE = f"arn:aws:sqs:{REGION}:{ACCOUNT}:orders-failed"
LAMBDA_ASYNC = [
    ("iam", "CreateRole", {"RoleName": "orders-role", "AssumeRolePolicyDocument": TRUST}),
    create("processOrder", V1),
    "advance",
    ("lambda", "GetFunctionEventInvokeConfig", {"FunctionName": "processOrder"}),
    ("lambda", "PutFunctionEventInvokeConfig", {"FunctionName": "processOrder", "MaximumRetryAttempts": 1,
                                                  "MaximumEventAgeInSeconds": 3600}),
    ("lambda", "GetFunctionEventInvokeConfig", {"FunctionName": "processOrder"}),
    ("lambda", "UpdateFunctionEventInvokeConfig", {"FunctionName": "processOrder", "DestinationConfig": {
        "OnSuccess": {"Destination": SUCCESS_QUEUE}, "OnFailure": {"Destination": FAILED_QUEUE}}}),
    ("lambda", "GetFunctionEventInvokeConfig", {"FunctionName": "processOrder"}),
    ("lambda", "ListFunctionEventInvokeConfigs", {"FunctionName": "processOrder"}),
    ("lambda", "PutFunctionEventInvokeConfig", {"FunctionName": "missing", "MaximumRetryAttempts": 1}),
    ("lambda", "DeleteFunctionEventInvokeConfig", {"FunctionName": "processOrder"}),
    ("lambda", "GetFunctionEventInvokeConfig", {"FunctionName": "processOrder"}),
]

RECORDINGS = {"lambda": LAMBDA, "lambda-async": LAMBDA_ASYNC, "iam": IAM, "secretsmanager": SECRETS, "logs": LOGS, "sqs": SQS, "kinesis": KINESIS}

BYTES_MEMBERS = {("CreateFunction", "Code", "ZipFile"), ("UpdateFunctionCode", None, "ZipFile"),
                 ("PublishLayerVersion", "Content", "ZipFile")}


def for_boto(action, request):
    """boto3 takes zips, binary message attributes and Kinesis data as bytes."""
    request = json.loads(json.dumps(request))
    for a, outer, member in BYTES_MEMBERS:
        if a != action:
            continue
        holder = request.get(outer) if outer else request
        if holder and member in holder:
            holder[member] = base64.b64decode(holder[member])
    if action in ("PutRecord",) and "Data" in request:
        request["Data"] = base64.b64decode(request["Data"])
    for entry in request.get("Records", []) if action == "PutRecords" else []:
        entry["Data"] = base64.b64decode(entry["Data"])
    for entry in request.get("MessageAttributes", {}).values():
        if "BinaryValue" in entry:
            entry["BinaryValue"] = base64.b64decode(entry["BinaryValue"])
    return request


def plain(value):
    """A boto3 answer as JSON: dates as ISO text, no ResponseMetadata."""
    value = json.loads(json.dumps(value, default=lambda o: base64.b64encode(o).decode() if isinstance(o, bytes) else str(o)))
    value.pop("ResponseMetadata", None)
    return value


def fill(value, names):
    """The request with each string that is a placeholder replaced by what it stands for."""
    if isinstance(value, dict):
        return {k: fill(v, names) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, names) for v in value]
    return names.get(value, value) if isinstance(value, str) else value


def record(steps):
    records = []
    receipt = ""
    shard_iterator = ""
    with mock_aws():
        clients = {}
        for step in steps:
            if step == "advance":
                records.append({"advance": 2})
                continue
            service, action, request = step
            if service not in clients:
                clients[service] = boto3.client(service, region_name=REGION)
            method = getattr(clients[service], "".join("_" + c.lower() if c.isupper() else c for c in action)[1:])
            record = {"service": service, "action": action, "request": request}
            sent = fill(request, {"$RECEIPT": receipt, "$ITERATOR": shard_iterator})
            try:
                record["ok"] = plain(method(**for_boto(action, sent)))
                if record["ok"].get("Messages"):
                    receipt = record["ok"]["Messages"][0]["ReceiptHandle"]
                if record["ok"].get("ShardIterator"):
                    shard_iterator = record["ok"]["ShardIterator"]
            except ClientError as e:
                record["error"] = {"code": e.response["Error"]["Code"], "message": e.response["Error"].get("Message", "")}
            records.append(record)
    return records


def main():
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    folder = os.path.join(os.path.dirname(__file__), "..", "..", "core", "tests", "recorded")
    os.makedirs(folder, exist_ok=True)
    wanted = sys.argv[1:] or list(RECORDINGS)
    for name, steps in RECORDINGS.items():
        if name not in wanted:
            continue
        out = os.path.join(folder, f"{name}-moto.json")
        with open(out, "w") as f:
            json.dump({"recorded_with": "moto 5.2.1 (mock_aws, in-process), boto3", "recorded_at_ms": NOW_MS,
                       "steps": record(steps)}, f, indent=1, sort_keys=True)
            f.write("\n")
        print(f"{len(steps)} steps written to {os.path.normpath(out)}")


if __name__ == "__main__":
    main()
