#!/usr/bin/env python3
"""Records Lambda's control plane as moto (an independent AWS simulator, in-process) answers it.

The steps below run against moto's Lambda and IAM through boto3; each answer is written to
core/tests/recorded/lambda-moto.json as {service, action, request, ok | error}. The Rust test
core/tests/lambda_differential.rs replays the same steps against the simulator, offline, and
compares the answers.

Run it again after changing the steps:

    pip install 'moto[awslambda,iam]==5.2.1' boto3
    python3 tools/record/lambda_moto.py

`advance` steps move the simulator's clock (a new function is Pending for a moment there, as on
AWS); moto has no clock and skips them.
"""

import base64
import io
import json
import os
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


STEPS = [
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

BYTES_MEMBERS = {("CreateFunction", "Code", "ZipFile"), ("UpdateFunctionCode", None, "ZipFile"),
                 ("PublishLayerVersion", "Content", "ZipFile")}


def for_boto(action, request):
    """boto3 takes zips as bytes."""
    request = json.loads(json.dumps(request))
    for a, outer, member in BYTES_MEMBERS:
        if a != action:
            continue
        holder = request.get(outer) if outer else request
        if holder and member in holder:
            holder[member] = base64.b64decode(holder[member])
    return request


def plain(value):
    """A boto3 answer as JSON: dates as ISO text, no ResponseMetadata."""
    value = json.loads(json.dumps(value, default=str))
    value.pop("ResponseMetadata", None)
    return value


def main():
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    records = []
    with mock_aws():
        clients = {name: boto3.client(name, region_name=REGION) for name in ("iam", "lambda")}
        for step in STEPS:
            if step == "advance":
                records.append({"advance": 2})
                continue
            service, action, request = step
            method = getattr(clients[service], "".join("_" + c.lower() if c.isupper() else c for c in action)[1:])
            record = {"service": service, "action": action, "request": request}
            try:
                record["ok"] = plain(method(**for_boto(action, request)))
            except ClientError as e:
                record["error"] = {"code": e.response["Error"]["Code"], "message": e.response["Error"].get("Message", "")}
            records.append(record)
    out = os.path.join(os.path.dirname(__file__), "..", "..", "core", "tests", "recorded", "lambda-moto.json")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w") as f:
        json.dump({"recorded_with": "moto 5.2.1 (mock_aws, in-process), boto3", "steps": records}, f, indent=1,
                  sort_keys=True)
        f.write("\n")
    print(f"{len(records)} steps written to {os.path.normpath(out)}")


if __name__ == "__main__":
    main()
