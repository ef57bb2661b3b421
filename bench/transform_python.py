#!/usr/bin/env python3
"""Baseline for `npm run bench -- transform`: the Firehose transform handler commonly copied from blog posts,
written with the standard library only. For each record: base64-decode, gunzip, json.loads, drop CONTROL_MESSAGE,
split each flow-log line into a dict keyed by field name, json.dumps it with a newline, base64-encode the result.

usage: transform_python.py EVENTS.json  ->  prints {"eps": N, "events": N} (best of 5 runs after a warm-up)
"""
import base64
import gzip
import json
import sys
import time


def handler(event, fields):
    output = []
    for record in event["records"]:
        payload = json.loads(gzip.decompress(base64.b64decode(record["data"])))
        if payload["messageType"] == "CONTROL_MESSAGE":
            output.append({"recordId": record["recordId"], "result": "Dropped"})
            continue
        if payload["messageType"] != "DATA_MESSAGE":
            output.append({"recordId": record["recordId"], "result": "ProcessingFailed"})
            continue
        lines = []
        for log_event in payload["logEvents"]:
            values = log_event["message"].split()
            lines.append(json.dumps(dict(zip(fields, values))) + "\n")
        data = base64.b64encode("".join(lines).encode("utf-8")).decode("utf-8")
        output.append({"recordId": record["recordId"], "result": "Ok", "data": data})
    return {"records": output}


def main():
    with open(sys.argv[1]) as f:
        doc = json.load(f)
    fields, events = doc["fields"], doc["events"]
    count = 0
    for event in events:
        for record in event["records"]:
            payload = json.loads(gzip.decompress(base64.b64decode(record["data"])))
            if payload["messageType"] == "DATA_MESSAGE":
                count += len(payload["logEvents"])
    for event in events:
        handler(event, fields)
    best = float("inf")
    for _ in range(5):
        t = time.perf_counter()
        for event in events:
            handler(event, fields)
        best = min(best, time.perf_counter() - t)
    print(json.dumps({"eps": round(count / best), "events": count}))


if __name__ == "__main__":
    main()
