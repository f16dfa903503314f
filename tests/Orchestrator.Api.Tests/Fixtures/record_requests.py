#!/usr/bin/env python3
"""Records the exact requests botocore sends, as committed fixtures (tests never run Python for these).

Re-record: python3 tests/Orchestrator.Api.Tests/Fixtures/record_requests.py
Each fixture holds the HTTP request (signed with AKID "test"/"test") and the parameters it encodes,
with timestamps as epoch seconds and blobs as base64, the form the tests compare the decoded tree in.
"""
import base64
import datetime
import json
import os

import botocore.serialize
import botocore.session
from botocore import xform_name
from botocore.awsrequest import AWSResponse

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "requests")
# Whole seconds: the JSON serializer sends integer epoch seconds.
T = datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)

METRIC_DATA = {"Namespace": "App", "MetricData": [{"MetricName": "m", "Timestamp": T, "Value": 1.5, "Unit": "Count"}]}

CASES = [
    ("ec2", "RunInstances", {
        "ImageId": "ami-0abc", "InstanceType": "t3.micro", "MinCount": 1, "MaxCount": 2,
        "SubnetId": "subnet-1", "SecurityGroupIds": ["sg-1", "sg-2"], "ClientToken": "tok-1",
        "TagSpecifications": [{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "web"}]}],
        "BlockDeviceMappings": [{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 20, "VolumeType": "gp3", "DeleteOnTermination": True}}],
        "LaunchTemplate": {"LaunchTemplateId": "lt-1", "Version": "$Default"},
        "UserData": "#!/bin/bash", "EbsOptimized": False,
    }),
    ("ec2", "DescribeInstances", {
        "Filters": [{"Name": "instance-state-name", "Values": ["running", "stopped"]}, {"Name": "tag:Name", "Values": ["web"]}],
        "InstanceIds": ["i-1", "i-2"], "MaxResults": 5, "NextToken": "n1",
    }),
    ("ec2", "DescribeRegions", {}),
    ("autoscaling", "CreateAutoScalingGroup", {
        "AutoScalingGroupName": "web", "LaunchTemplate": {"LaunchTemplateId": "lt-0abc", "Version": "$Latest"},
        "MinSize": 2, "MaxSize": 6, "VPCZoneIdentifier": "subnet-a,subnet-b", "TargetGroupARNs": ["arn:aws:x"],
        "HealthCheckType": "ELB", "HealthCheckGracePeriod": 120,
        "Tags": [{"Key": "Name", "Value": "web", "PropagateAtLaunch": True}],
    }),
    ("autoscaling", "PutScheduledUpdateGroupAction", {
        "AutoScalingGroupName": "web", "ScheduledActionName": "s", "StartTime": T, "DesiredCapacity": 3,
    }),
    ("elbv2", "RegisterTargets", {"TargetGroupArn": "arn:tg", "Targets": [{"Id": "i-0abc", "Port": 80}, {"Id": "i-0def"}]}),
    ("elbv2", "ModifyLoadBalancerAttributes", {"LoadBalancerArn": "arn:lb", "Attributes": []}),
    ("sts", "GetCallerIdentity", {}),
    ("iam", "CreateRole", {"RoleName": "r", "AssumeRolePolicyDocument": "{}", "Tags": [{"Key": "k", "Value": "v"}]}),
    ("rds", "CreateDBInstance", {"DBInstanceIdentifier": "db1", "DBInstanceClass": "db.t3.micro", "Engine": "postgres",
                                 "AllocatedStorage": 20, "MultiAZ": True, "VpcSecurityGroupIds": ["sg-1"]}),
    ("cloudwatch", "PutMetricAlarm", {
        "AlarmName": "cpu-high", "Namespace": "AWS/EC2", "MetricName": "CPUUtilization", "Statistic": "Average",
        "Dimensions": [{"Name": "InstanceId", "Value": "i-0abc"}], "Period": 60, "EvaluationPeriods": 3,
        "DatapointsToAlarm": 2, "Threshold": 70.5, "ComparisonOperator": "GreaterThanThreshold", "AlarmActions": ["arn:aws:sns:x"],
    }),
    ("cloudwatch", "PutMetricData", METRIC_DATA),
    ("logs", "PutLogEvents", {"logGroupName": "g", "logStreamName": "s", "logEvents": [{"timestamp": 1767225600123, "message": "hello"}]}),
    ("dynamodb", "PutItem", {"TableName": "t", "Item": {"pk": {"S": "a"}, "n": {"N": "1"}, "b": {"B": b"\x00\x01"}, "l": {"L": [{"BOOL": True}]}}}),
]


def jsonable(v):
    if isinstance(v, datetime.datetime):
        return v.timestamp()
    if isinstance(v, bytes):
        return base64.b64encode(v).decode()
    if isinstance(v, dict):
        return {k: jsonable(x) for k, x in v.items()}
    if isinstance(v, list):
        return [jsonable(x) for x in v]
    return v


def main():
    os.makedirs(OUT, exist_ok=True)
    session = botocore.session.get_session()
    session.set_credentials("test", "test")
    for service, op, params in CASES:
        client = session.create_client(service, region_name="us-east-1", endpoint_url="http://127.0.0.1:4566")
        captured = {}

        def capture(request, **_):
            captured["request"] = request
            return AWSResponse(request.url, 200, {}, None)

        client.meta.events.register_first("before-send", capture)
        try:
            getattr(client, xform_name(op))(**params)
        except Exception:
            pass  # the fake response does not parse; only the request matters
        req = captured["request"]
        body = req.body or b""
        if isinstance(body, str):
            body = body.encode()
        if op == "RunInstances":
            # botocore base64-encodes UserData before serializing; the server sees (and keeps) the base64 text.
            params = {**params, "UserData": base64.b64encode(params["UserData"].encode()).decode()}
        write(service, op, params, req.method, req.url, dict(req.headers), body)

    # CloudWatch over Smithy RPC v2 CBOR: botocore prefers JSON, so serialize with the CBOR serializer directly.
    model = session.get_service_model("cloudwatch")
    serializer = botocore.serialize.create_serializer("smithy-rpc-v2-cbor")
    for op, params in [("PutMetricData", METRIC_DATA), ("DescribeAlarms", {"AlarmNames": ["a"], "MaxRecords": 10})]:
        r = serializer.serialize_to_request(params, model.operation_model(op))
        headers = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in r["headers"].items()}
        write("cloudwatch", op, params, r["method"], "http://127.0.0.1:4566" + r["url_path"], headers, r["body"] or b"", suffix="-cbor")


def write(service, op, params, method, url, headers, body, suffix=""):
    host, _, rest = url.partition("://")[2].partition("/")
    path, _, query = rest.partition("?")
    headers = {"Host": host, **headers}  # urllib3 adds it on the wire; the signature covers it
    fixture = {
        "service": service, "operation": op, "method": method, "path": "/" + path, "query": query,
        "headers": {k: (v.decode() if isinstance(v, bytes) else v) for k, v in headers.items()},
        "bodyBase64": base64.b64encode(body).decode(), "params": jsonable(params),
    }
    name = f"{service}-{op}{suffix}.json"
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(fixture, f, indent=1)
    print(name, len(body))


if __name__ == "__main__":
    main()
