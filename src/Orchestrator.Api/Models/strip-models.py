#!/usr/bin/env python3
"""Copies the botocore service models the emulator serves, without documentation text.

Run after a botocore upgrade: python3 src/Orchestrator.Api/Models/strip-models.py
The output (<service>.json.gz next to this script) is committed so the build needs no Python.
"""
import gzip
import json
import os

import botocore

# botocore folder -> (api version, name of the committed file)
SERVICES = {
    "ec2": "2016-11-15",
    "sts": "2011-06-15",
    "elbv2": "2015-12-01",
    "autoscaling": "2011-01-01",
    "cloudwatch": "2010-08-01",
    "rds": "2014-10-31",
    "logs": "2014-03-28",
    "iam": "2010-05-08",
    "dynamodb": "2012-08-10",
    "s3": "2006-03-01",
}
DROP = {"documentation", "documentationUrl", "examples", "deprecatedMessage"}


def strip(node):
    if isinstance(node, dict):
        return {k: strip(v) for k, v in node.items() if k not in DROP}
    if isinstance(node, list):
        return [strip(v) for v in node]
    return node


def main():
    data = os.path.join(os.path.dirname(botocore.__file__), "data")
    out_dir = os.path.dirname(os.path.abspath(__file__))
    for folder, version in SERVICES.items():
        src = os.path.join(data, folder, version, "service-2.json.gz")
        with gzip.open(src, "rt", encoding="utf-8") as f:
            model = strip(json.load(f))
        text = json.dumps(model, separators=(",", ":"), sort_keys=False)
        # mtime=0 keeps the output byte-identical across runs.
        with open(os.path.join(out_dir, folder + ".json.gz"), "wb") as raw:
            with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
                gz.write(text.encode("utf-8"))
        print(f"{folder} {version}: {len(text)} bytes")


if __name__ == "__main__":
    main()
