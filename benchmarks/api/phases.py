#!/usr/bin/env python3
"""Where a RunInstances call's time goes on a node: the same client, calls that do less and less.

  phases.py http://127.0.0.1:4566 [--calls 200] [--fsync-dir DIR]

  DescribeInstances(InstanceIds=[one])  HTTP, SigV4 parsing, codec, one read-model lookup: no write
  CreateVpc                             + one persisted event (the new VPC entity) and its read-model row
  CreateSubnet (in one VPC)             + one persisted event on an existing entity (the VPC: subnets are its state)
  RunInstances (default VPC)            + two persisted events one after the other: the address on the
                                          default VPC's entity, then the new instance entity
Each is timed sequentially (one client) and with 4 threads; --fsync-dir also times fsync of a
small append on that file system (the journal's group commit fsyncs once per batch).
"""
import argparse
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import boto3
from botocore.config import Config


def client(endpoint):
    return boto3.session.Session(aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1").client(
        "ec2", endpoint_url=endpoint, config=Config(retries={"max_attempts": 1}, max_pool_connections=16))


def pct(v, p):
    s = sorted(v)
    k = (len(s) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def timed(clients, calls, fn):
    lat, lock = [], threading.Lock()
    per = calls // len(clients)

    def worker(k):
        mine = []
        for n in range(per):
            t = time.perf_counter()
            fn(clients[k], k * per + n)
            mine.append(time.perf_counter() - t)
        with lock:
            lat.extend(mine)

    t = time.perf_counter()
    with ThreadPoolExecutor(len(clients)) as pool:
        list(pool.map(worker, range(len(clients))))
    return per * len(clients) / (time.perf_counter() - t), pct(lat, 50) * 1000, pct(lat, 99) * 1000


def main():
    a = argparse.ArgumentParser()
    a.add_argument("endpoint")
    a.add_argument("--calls", type=int, default=200)
    a.add_argument("--fsync-dir")
    args = a.parse_args()
    c = client(args.endpoint)
    image = "ami-0c02fb55956c7d316"
    one = c.run_instances(ImageId=image, InstanceType="t3.micro", MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    vpc = c.create_vpc(CidrBlock="10.99.0.0/16")["Vpc"]["VpcId"]
    for _ in range(10):  # warm-up
        c.describe_instances(InstanceIds=[one])
    counter = iter(range(1, 10 ** 6))
    lock = threading.Lock()

    def subnet(cl, _):
        with lock:
            n = next(counter)
        cl.create_subnet(VpcId=vpc, CidrBlock=f"10.99.{n // 16}.{(n % 16) * 16}/28")

    phases = [
        ("DescribeInstances, one id (no write)", lambda cl, _: cl.describe_instances(InstanceIds=[one])),
        ("CreateVpc (1 event, new entity)", lambda cl, i: cl.create_vpc(CidrBlock=f"10.{100 + i % 100}.0.0/16")),
        ("CreateSubnet in one VPC (1 event, same entity)", subnet),
        ("RunInstances (2 events in sequence)", lambda cl, _: cl.run_instances(ImageId=image, InstanceType="t3.micro", MinCount=1, MaxCount=1)),
    ]
    print("| call | 1 client: calls/s, p50, p99 ms | 4 threads: calls/s, p50, p99 ms |")
    print("|---|---|---|")
    for name, fn in phases:
        seq = timed([c], args.calls, fn)
        conc = timed([client(args.endpoint) for _ in range(4)], args.calls, fn)
        print(f"| {name} | {seq[0]:.0f}/s, {seq[1]:.1f}, {seq[2]:.1f} | {conc[0]:.0f}/s, {conc[1]:.1f}, {conc[2]:.1f} |", flush=True)
    if args.fsync_dir:
        path = os.path.join(args.fsync_dir, "fsync-probe")
        lat = []
        with open(path, "ab") as f:
            for _ in range(200):
                f.write(b"x" * 512)
                t = time.perf_counter()
                os.fsync(f.fileno())
                lat.append(time.perf_counter() - t)
        os.remove(path)
        print(f"fsync of a 512-byte append in {args.fsync_dir}: p50 {pct(lat, 50) * 1000:.2f} ms, p99 {pct(lat, 99) * 1000:.2f} ms")


if __name__ == "__main__":
    main()
