#!/usr/bin/env python3
"""One-off check that botocore parses our golden responses (Fixtures/responses/*.response.json) into the
outputs and errors of cases.json. Run after re-recording: ORCH_RECORD_FIXTURES=1 dotnet test ...; python3 this."""
import base64
import datetime
import json
import os
import sys

import botocore.parsers
import botocore.session
from botocore.awsrequest import HeadersDict

DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "responses")
PROTOCOLS = {"ec2": "ec2", "query": "query", "json": "json", "cbor": "smithy-rpc-v2-cbor", "rest-xml": "rest-xml"}


def norm(v):
    if isinstance(v, datetime.datetime):
        return round(v.timestamp(), 3)
    if isinstance(v, str):
        try:
            return round(datetime.datetime.fromisoformat(v.replace("Z", "+00:00")).timestamp(), 3)
        except ValueError:
            return v
    if isinstance(v, bytes):
        return base64.b64encode(v).decode()
    if isinstance(v, float) and v == int(v):
        return int(v)
    if isinstance(v, dict):
        return {k: norm(x) for k, x in v.items()}
    if isinstance(v, list):
        return [norm(x) for x in v]
    return v


def main():
    session = botocore.session.get_session()
    failures = 0
    for case in json.load(open(os.path.join(DIR, "cases.json"))):
        golden = json.load(open(os.path.join(DIR, case["name"] + ".response.json")))
        body = golden["body"].encode() if golden.get("body") is not None else base64.b64decode(golden.get("bodyBase64") or "")
        response = {"status_code": golden["status"], "headers": HeadersDict(golden["headers"]), "body": body}
        model = session.get_service_model(case["service"])
        parser = botocore.parsers.create_parser(PROTOCOLS[case["protocol"]])
        shape = model.operation_model(case["operation"]).output_shape if "operation" in case else None
        parsed = parser.parse(response, shape)
        if "error" in case:
            expected = {"Code": case["error"]["code"], "Message": case["error"]["message"]}
            actual = {"Code": parsed["Error"]["Code"], "Message": parsed["Error"]["Message"]}
            ok = expected == actual and parsed["ResponseMetadata"].get("RequestId")
        else:
            parsed.pop("ResponseMetadata", None)
            expected, actual = norm(case["output"]), norm(parsed)
            ok = expected == actual
        print(("OK  " if ok else "FAIL") + " " + case["name"] + ("" if ok else f"\n  expected {expected}\n  actual   {actual}"))
        failures += not ok
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
