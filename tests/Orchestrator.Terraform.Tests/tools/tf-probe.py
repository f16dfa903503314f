#!/usr/bin/env python3
"""Send each distinct EC2 request of a Terraform TF_LOG=DEBUG log to an endpoint, and say how it fares.

  tf-probe.py http://127.0.0.1:4566 apply.log plan.log destroy.log

Typical use: apply a configuration against moto_server (which serves all of it) with TF_LOG=DEBUG,
then probe a node with the very bodies the provider sent. Resource ids in the bodies are Moto's,
so calls on ids answer NotFound (which still shows the action and its parameters are served);
InvalidAction means the action is not served at all, other errors name what is missing.
Requests go unsigned beyond a fixed SigV4-shaped header (nodes verify signatures only with
--verify-signatures).
"""
import re
import sys
import urllib.request
from urllib.error import HTTPError
from urllib.parse import parse_qsl

sys.path.insert(0, __import__("os").path.dirname(__file__))
from importlib import import_module

calls = import_module("tf-api-calls")


def main():
    endpoint, paths = sys.argv[1], sys.argv[2:]
    seen = set()
    for path in paths:
        for e in calls.entries(path):
            if "HTTP Request Sent" not in e:
                continue
            form = calls.body(e, "http.request.body")
            if not form or "Action=" not in form:
                continue
            action, filters, names, attribute = calls.shape(form)
            resource = calls.field(e, "tf_resource_type") or "data." + (calls.field(e, "tf_data_source_type") or "?")
            key = (resource, action, tuple(filters), tuple(names), attribute)
            if key in seen:
                continue
            seen.add(key)
            request = urllib.request.Request(endpoint, data=form.encode(), method="POST", headers={
                "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
                "Authorization": "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/ec2/aws4_request, "
                                 "SignedHeaders=host;x-amz-date, Signature=0",
                "X-Amz-Date": "20260101T000000Z",
            })
            try:
                with urllib.request.urlopen(request, timeout=30) as r:
                    outcome = f"{r.status} ok"
            except HTTPError as err:
                text = err.read().decode(errors="replace")
                code = re.search(r"<Code>([^<]+)</Code>", text)
                message = re.search(r"<Message>([^<]*)</Message>", text)
                outcome = f"{err.code} {code.group(1) if code else '?'}: {message.group(1)[:160] if message else text[:160]}"
            detail = (f"Attribute={attribute}; " if attribute else "") + (f"filters {','.join(filters)}; " if filters else "")
            print(f"{resource}\t{action}\t{detail}params {','.join(names)}\t{outcome}")


if __name__ == "__main__":
    main()
