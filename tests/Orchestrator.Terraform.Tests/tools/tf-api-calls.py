#!/usr/bin/env python3
"""Summarise the AWS API calls in a Terraform TF_LOG=DEBUG log (hashicorp/aws 5.x, aws-sdk-go-v2).

  tf-api-calls.py terraform-apply.log [more logs...]          # per resource type: action, params, outcome
  tf-api-calls.py --actions terraform-*.log                   # distinct actions and their outcomes only

Each "HTTP Request Sent" entry carries the form body (Action=...) and the resource type
(tf_resource_type / tf_data_source_type); its "HTTP Response Received" entry (same tf_req_id,
in order) carries the status and, for errors, <Code>. Parameter values are reduced to their
names (Filter.N.Name values are kept, since they say which filters the provider sends).
"""
import re
import sys
from collections import OrderedDict, defaultdict
from urllib.parse import parse_qsl

ENTRY = re.compile(r"^\d{4}-\d\d-\d\dT")


def entries(path):
    current = []
    with open(path, errors="replace") as f:
        for line in f:
            if ENTRY.match(line) and current:
                yield "".join(current)
                current = []
            current.append(line)
    if current:
        yield "".join(current)


def field(text, name):
    m = re.search(r"(?:^|\s)" + re.escape(name) + r'=("(?:[^"\\]|\\.)*"|\S+)', text)
    if not m:
        return None
    v = m.group(1)
    return v[1:-1] if v.startswith('"') else v


def body(text, name):
    m = re.search(name + r"=\n((?:\s*\|.*\n?)+)", text)
    return "".join(re.sub(r"^\s*\| ?", "", l) for l in m.group(1).splitlines()) if m else None


def shape(form):
    params = dict(parse_qsl(form, keep_blank_values=True))
    action = params.pop("Action", "?")
    params.pop("Version", None)
    filters = sorted({v for k, v in params.items() if re.fullmatch(r"Filter\.\d+\.Name", k)})
    names = sorted({re.sub(r"\.\d+", ".N", k) for k in params if not re.match(r"Filter\.\d+\.", k)})
    attribute = params.get("Attribute")
    return action, filters, names, attribute


def main():
    args = sys.argv[1:]
    only_actions = "--actions" in args
    paths = [a for a in args if a != "--actions"]
    pending = defaultdict(list)  # tf_req_id -> [(resource, action, filters, names, attribute)]
    calls = []  # (resource, action, filters, names, attribute, status, code)
    for path in paths:
        for e in entries(path):
            if "HTTP Request Sent" in e:
                form = body(e, "http.request.body")
                if not form or "Action=" not in form:
                    continue
                resource = field(e, "tf_resource_type") or ("data." + (field(e, "tf_data_source_type") or "?"))
                if resource == "data.?":
                    resource = "(provider)"
                pending[field(e, "tf_req_id")].append([resource, *shape(form)])
            elif "HTTP Response Received" in e:
                queue = pending.get(field(e, "tf_req_id"))
                if not queue:
                    continue
                # A request that got no response (e.g. a DNS failure) must not take the next one's.
                method = field(e, "rpc.method")
                k = next((i for i, q in enumerate(queue) if q[1] == method), 0)
                resource, action, filters, names, attribute = queue.pop(k)
                status = field(e, "http.status_code") or "?"
                resp = body(e, "http.response.body") or ""
                m = re.search(r"<Code>([^<]+)</Code>", resp)
                calls.append((resource, action, tuple(filters), tuple(names), attribute, status, m.group(1) if m else ""))
    if only_actions:
        seen = OrderedDict()
        for resource, action, _, _, _, status, code in calls:
            seen.setdefault(action, set()).add(f"{status} {code}".strip())
        for action, outcomes in sorted(seen.items()):
            print(f"{action}: {', '.join(sorted(outcomes))}")
        return
    by_resource = OrderedDict()
    for c in calls:
        by_resource.setdefault(c[0], OrderedDict()).setdefault(c[1:5], defaultdict(int))[f"{c[5]} {c[6]}".strip()] += 1
    for resource, actions in by_resource.items():
        print(f"## {resource}")
        for (action, filters, names, attribute), outcomes in actions.items():
            detail = []
            if attribute:
                detail.append(f"Attribute={attribute}")
            if filters:
                detail.append("filters " + ",".join(filters))
            if names:
                detail.append("params " + ",".join(names))
            outs = ", ".join(f"{k} x{v}" for k, v in outcomes.items())
            print(f"- {action} ({'; '.join(detail)}) -> {outs}")
        print()


if __name__ == "__main__":
    main()
