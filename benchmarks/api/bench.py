#!/usr/bin/env python3
"""API benchmark through boto3: RunInstances calls/s and DescribeInstances over 1,000 instances,
against one or more endpoints (an Orchestrator node, moto_server) in the same run.

Not a test: it prints a table and the ratios. benchmarks/api/run.sh starts the servers.

  bench.py --target orchestrator=http://127.0.0.1:4566 --target moto=http://127.0.0.1:5000

Per target, in order:
  warm-up      a few DescribeImages/DescribeInstances calls and --warmup RunInstances calls
  sequential   RunInstances (one instance per call) from one client, one call at a time
  concurrent   RunInstances from --threads clients (one boto3 client per thread)
               (the two phases together bring the target to --instances instances)
  wait         until DescribeInstances shows every instance running
  describe     --describes full listings of the 1,000 instances through boto3's paginator
               (it follows NextToken) in each of three modes: no PageSize (no MaxResults: the
               server's default page: all 1,000 in one call on the node, pages of 100 on Moto),
               PageSize 1000 (MaxResults=1000, one call on both) and PageSize --page-size
Latency is measured around each boto3 call (serialize, sign, HTTP, parse); "wire" is the part
between botocore's before-send and before-parse events (request sent, response body read), so
call - wire is client-side work (mostly parsing the XML of 1,000 instances).
"""
import argparse
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import boto3
from botocore.config import Config


def client(endpoint):
    session = boto3.session.Session(aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1")
    c = session.client("ec2", endpoint_url=endpoint,
                       config=Config(retries={"max_attempts": 1, "mode": "standard"}, max_pool_connections=32,
                                     read_timeout=120, connect_timeout=10))
    wire = {"t0": 0.0, "last": 0.0}

    def before_send(**_):
        wire["t0"] = time.perf_counter()

    def before_parse(**_):
        wire["last"] = time.perf_counter() - wire["t0"]

    c.meta.events.register("before-send.ec2.*", before_send)
    c.meta.events.register("before-parse.ec2.*", before_parse)
    return c, wire


def pct(values, p):
    s = sorted(values)
    if not s:
        return float("nan")
    k = (len(s) - 1) * p / 100.0
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def pick_image(c, name):
    if name == "moto":
        images = c.describe_images()["Images"]
    else:
        images = c.describe_images(Owners=["amazon"], Filters=[{"Name": "name", "Values": ["al2023-ami-*x86_64*", "amzn2-ami-*x86_64*"]}])["Images"]
    if not images:
        images = c.describe_images()["Images"]
    linux = [i for i in images if "x86_64" in (i.get("Architecture") or "x86_64") and "indows" not in (i.get("Name") or "")]
    return (linux or images)[0]["ImageId"]


def run_one(c, image):
    c.run_instances(ImageId=image, InstanceType="t3.micro", MinCount=1, MaxCount=1)


def count_instances(c):
    n, running = 0, 0
    for page in c.get_paginator("describe_instances").paginate():
        for r in page["Reservations"]:
            for i in r["Instances"]:
                if i["State"]["Name"] in ("pending", "running"):
                    n += 1
                if i["State"]["Name"] == "running":
                    running += 1
    return n, running


def bench_target(name, endpoint, a):
    out = {"name": name}
    c, wire = client(endpoint)
    t = time.perf_counter()
    image = pick_image(c, name)
    out["image"] = image
    for _ in range(5):
        c.describe_instances()
    for _ in range(a.warmup):
        run_one(c, image)
    out["warmup_s"] = time.perf_counter() - t
    existing, _ = count_instances(c)
    remaining = a.instances - existing
    seq_n = remaining // 2
    conc_n = remaining - seq_n

    # sequential RunInstances
    lat = []
    t = time.perf_counter()
    for _ in range(seq_n):
        t1 = time.perf_counter()
        run_one(c, image)
        lat.append(time.perf_counter() - t1)
    el = time.perf_counter() - t
    out["seq"] = (seq_n, seq_n / el, pct(lat, 50), pct(lat, 99))

    # concurrent RunInstances: --threads clients
    clients = [client(endpoint)[0] for _ in range(a.threads)]
    per = [conc_n // a.threads + (1 if k < conc_n % a.threads else 0) for k in range(a.threads)]
    lat_c = []
    lock = threading.Lock()

    def worker(k):
        mine = []
        for _ in range(per[k]):
            t1 = time.perf_counter()
            run_one(clients[k], image)
            mine.append(time.perf_counter() - t1)
        with lock:
            lat_c.extend(mine)

    t = time.perf_counter()
    with ThreadPoolExecutor(a.threads) as pool:
        list(pool.map(worker, range(a.threads)))
    el = time.perf_counter() - t
    out["conc"] = (conc_n, conc_n / el, pct(lat_c, 50), pct(lat_c, 99))

    # until every instance is running
    t = time.perf_counter()
    while True:
        n, running = count_instances(c)
        if running >= a.instances or time.perf_counter() - t > a.wait_timeout:
            break
        time.sleep(1)
    out["instances"], out["running"] = n, running
    out["wait_s"] = time.perf_counter() - t

    # DescribeInstances: full listings through boto3's paginator (it follows NextToken), with no
    # PageSize (no MaxResults: the server's default page), PageSize 1000 and PageSize --page-size
    for _ in range(3):
        c.describe_instances()
    out["listings"] = []
    for label, size in (("no MaxResults", None), ("MaxResults 1000", 1000), (f"MaxResults {a.page_size}", a.page_size)):
        lat, wl, pages = [], [], 0
        for _ in range(a.describes):
            t1 = time.perf_counter()
            w, got = 0.0, 0
            config = {"PageSize": size} if size else {}
            for page in c.get_paginator("describe_instances").paginate(PaginationConfig=config):
                w += wire["last"]
                pages += 1
                got += sum(len(x["Instances"]) for x in page["Reservations"])
            lat.append(time.perf_counter() - t1)
            wl.append(w)
            if got < a.instances:
                raise SystemExit(f"{name}: a listing ({label}) returned {got} instances")
        out["listings"].append((label, pct(lat, 50), pct(lat, 99), pct(wl, 50), pct(wl, 99), pages / a.describes))
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--target", action="append", required=True, help="name=endpoint")
    p.add_argument("--instances", type=int, default=1000)
    p.add_argument("--warmup", type=int, default=20, help="RunInstances calls before measuring")
    p.add_argument("--threads", type=int, default=4)
    p.add_argument("--describes", type=int, default=50)
    p.add_argument("--page-size", type=int, default=100)
    p.add_argument("--wait-timeout", type=float, default=300)
    a = p.parse_args()
    results = []
    for spec in a.target:
        name, endpoint = spec.split("=", 1)
        print(f"== {name} at {endpoint}", flush=True)
        r = bench_target(name, endpoint, a)
        print(f"   image {r['image']}, warm-up {r['warmup_s']:.1f} s, {r['instances']} instances "
              f"({r['running']} running after {r['wait_s']:.1f} s wait)", flush=True)
        print(f"   raw: {r}", flush=True)
        results.append(r)

    ms = lambda s: f"{s * 1000:,.1f}"
    rows = [
        ("RunInstances/s, 1 client sequential", lambda r: f"{r['seq'][1]:,.1f}", lambda r: r["seq"][1], True),
        ("  latency p50 / p99 ms", lambda r: f"{ms(r['seq'][2])} / {ms(r['seq'][3])}", lambda r: r["seq"][2], False),
        (f"RunInstances/s, {a.threads} threads", lambda r: f"{r['conc'][1]:,.1f}", lambda r: r["conc"][1], True),
        ("  latency p50 / p99 ms", lambda r: f"{ms(r['conc'][2])} / {ms(r['conc'][3])}", lambda r: r["conc"][2], False),
    ]
    for k, listing in enumerate(results[0]["listings"]):
        rows += [
            (f"DescribeInstances, all {a.instances:,}, {listing[0]}: p50 ms", lambda r, k=k: ms(r["listings"][k][1]), lambda r, k=k: r["listings"][k][1], False),
            ("  p99 ms", lambda r, k=k: ms(r["listings"][k][2]), lambda r, k=k: r["listings"][k][2], False),
            ("  wire (HTTP, summed over pages) p50 / p99 ms", lambda r, k=k: f"{ms(r['listings'][k][3])} / {ms(r['listings'][k][4])}", lambda r, k=k: r["listings"][k][3], False),
            ("  calls (pages) per listing", lambda r, k=k: f"{r['listings'][k][5]:.0f}", None, None),
        ]
    names = [r["name"] for r in results]
    head = ["metric"] + names + ([f"{names[0]}/{n}" for n in names[1:]] if len(names) > 1 else [])
    print()
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for label, fmt, val, _higher in rows:
        cells = [fmt(r) for r in results]
        ratios = [f"{val(results[0]) / val(r):.2f}" if val(r) else "n/a" for r in results[1:]] if val is not None else [""] * (len(results) - 1)
        print("| " + " | ".join([label] + cells + ratios) + " |")
    print("\nratio = first target / other target (calls/s: above 1 means faster; latency: above 1 means slower)")
    print(f"sequential/concurrent RunInstances calls: {results[0]['seq'][0]} / {results[0]['conc'][0]}; "
          f"{a.describes} DescribeInstances listings per mode")


if __name__ == "__main__":
    sys.exit(main())
