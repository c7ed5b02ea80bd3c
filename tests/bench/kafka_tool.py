#!/usr/bin/env python3
"""Kafka helpers for the benchmarks and the chaos test (confluent-kafka).

    kafka_tool.py topics -b B create|delete [-p P] [--log-append-time] T...
    kafka_tool.py load -b B -t T -f FILE -n N [--poison-every K]
        produces N messages as fast as the broker takes them, cycling over
        the lines of FILE; with --poison-every K every K-th message is a
        poison input of a rotating kind (its expected reason in the header
        bench-poison).
    kafka_tool.py rate -b B -t T -f FILE -r RATE -s SECONDS
        produces at a fixed rate (the offered load), each message stamped
        with its send time in the header bench-sent-us.
    kafka_tool.py read -b B -t T [-n N] [--idle S] [--series FILE]
        reads a whole output topic (all partitions, from the beginning)
        until N messages or S idle seconds; prints count, first and last
        record timestamps, throughput over that span and, where inputs
        carried bench-sent-us, latency percentiles (record timestamp, the
        broker's LogAppendTime on topics made with --log-append-time, minus
        the send time; with --live, the time this reader received it, which
        is what a read_committed consumer downstream sees). --series writes
        "t_since_first_s latency_ms" lines for plots.
    kafka_tool.py wait-group -b B -g GROUP [--timeout S]
        waits until the consumer group is stable with every member holding
        partitions (a worker is ready before the offered load starts).
"""
import argparse
import json
import sys
import time

from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

POISON = [
    (b'{"title": "cut short", "body": ', "invalid_json"),
    (b'\xff\xfe\x00binary\x80\x81', "invalid_utf8"),
    (b'{"title": "no body here"}', "no_body"),
    (b'[1, 2, 3]', "invalid_json"),
    (b'', "empty"),
    (b'{"body": "caf\xe9"}', "invalid_utf8"),
]


def cmd_topics(a):
    admin = AdminClient({"bootstrap.servers": a.brokers})
    if a.action == "delete":
        fs = admin.delete_topics(a.topics, operation_timeout=30)
        for t, f in fs.items():
            try:
                f.result()
            except KafkaException as e:
                if "UNKNOWN_TOPIC" not in str(e):
                    raise
        # Deletion is asynchronous on the broker: wait until they are gone.
        for _ in range(100):
            md = admin.list_topics(timeout=10)
            if not any(t in md.topics for t in a.topics):
                return 0
            time.sleep(0.2)
        return 0
    cfg = {}
    if a.log_append_time:
        cfg["message.timestamp.type"] = "LogAppendTime"
    cfg["max.message.bytes"] = str(a.max_message_bytes)
    fs = admin.create_topics([NewTopic(t, a.partitions, 1, config=cfg)
                              for t in a.topics], operation_timeout=30)
    for t, f in fs.items():
        f.result()
    for _ in range(100):
        md = admin.list_topics(timeout=10)
        if all(t in md.topics and len(md.topics[t].partitions) == a.partitions
               for t in a.topics):
            return 0
        time.sleep(0.2)
    return 1


def lines_of(path):
    with open(path, "rb") as fp:
        out = [l.rstrip(b"\r\n") for l in fp]
    return [l for l in out if l]


def producer(brokers, **extra):
    conf = {"bootstrap.servers": brokers, "linger.ms": 20,
            "batch.size": 1000000, "enable.idempotence": True,
            "queue.buffering.max.kbytes": 1048576}
    conf.update(extra)
    return Producer(conf)


def produce(p, topic, value, key=None, headers=None):
    while True:
        try:
            p.produce(topic, value=value, key=key, headers=headers)
            return
        except BufferError:
            p.poll(0.05)


def cmd_load(a):
    lines = lines_of(a.file)
    p = producer(a.brokers)
    errors = []
    p_cb = lambda err, msg: errors.append(err) if err else None
    t0 = time.monotonic()
    poisoned = 0
    for i in range(a.count):
        if a.poison_every and i % a.poison_every == a.poison_every - 1:
            value, reason = POISON[poisoned % len(POISON)]
            poisoned += 1
            while True:
                try:
                    p.produce(a.topic, value=value, key=b"poison-%d" % i,
                              headers=[("bench-poison", reason)],
                              on_delivery=p_cb)
                    break
                except BufferError:
                    p.poll(0.05)
        else:
            while True:
                try:
                    p.produce(a.topic, value=lines[i % len(lines)],
                              on_delivery=p_cb)
                    break
                except BufferError:
                    p.poll(0.05)
        if i % 1000 == 0:
            p.poll(0)
    left = p.flush(120)
    dt = time.monotonic() - t0
    print(json.dumps({"produced": a.count, "poison": poisoned,
                      "seconds": round(dt, 2),
                      "messages_per_second": round(a.count / dt),
                      "errors": len(errors) + left}))
    return 1 if errors or left else 0


def cmd_rate(a):
    lines = lines_of(a.file)
    p = producer(a.brokers, **{"linger.ms": 0})
    n = int(a.rate * a.seconds)
    t0 = time.monotonic()
    late = 0
    for i in range(n):
        due = t0 + i / a.rate
        now = time.monotonic()
        if due > now:
            time.sleep(due - now)
        elif now - due > 0.1:
            late += 1
        sent_us = int(time.time() * 1e6)
        produce(p, a.topic, lines[i % len(lines)],
                headers=[("bench-sent-us", str(sent_us))])
        p.poll(0)
    p.flush(60)
    dt = time.monotonic() - t0
    print(json.dumps({"produced": n, "rate": a.rate,
                      "achieved_rate": round(n / dt, 1),
                      "late_over_100ms": late}))


def pct(sorted_vals, q):
    if not sorted_vals:
        return None
    i = min(len(sorted_vals) - 1, max(0, int(round(q * (len(sorted_vals) - 1)))))
    return sorted_vals[i]


def cmd_read(a):
    c = Consumer({"bootstrap.servers": a.brokers, "group.id": "bench-read",
                  "enable.auto.commit": False, "enable.partition.eof": False,
                  "fetch.max.bytes": 52428800, "fetch.wait.max.ms": 10,
                  "isolation.level": a.isolation})
    md = c.list_topics(a.topic, timeout=10)
    parts = [TopicPartition(a.topic, p, 0)
             for p in md.topics[a.topic].partitions]
    c.assign(parts)
    n = 0
    first = last = None
    lat = []
    series = []
    idle_since = time.monotonic()
    while True:
        if a.count and n >= a.count:
            break
        # Live: one message at a time, so none waits for a batch to fill.
        if a.live:
            m = c.poll(0.5)
            msgs = [m] if m is not None else []
        else:
            msgs = c.consume(1000, 0.5)
        if not msgs:
            if time.monotonic() - idle_since > a.idle:
                break
            continue
        idle_since = time.monotonic()
        for m in msgs:
            if m.error():
                continue
            n += 1
            ts = time.time() * 1000.0 if a.live else m.timestamp()[1]
            first = ts if first is None or ts < first else first
            last = ts if last is None or ts > last else last
            for k, v in m.headers() or []:
                if k == "bench-sent-us":
                    lat.append((ts, ts - int(v) / 1000.0))
                    break
    c.close()
    out = {"topic": a.topic, "count": n, "first_ms": first, "last_ms": last}
    if n > 1 and last > first:
        out["span_seconds"] = (last - first) / 1000.0
        out["messages_per_second"] = round((n - 1) / ((last - first) / 1000.0), 1)
    if lat:
        vals = sorted(l for _, l in lat)
        out.update({"latency_count": len(vals),
                    "latency_ms": {"p50": round(pct(vals, 0.50), 1),
                                   "p90": round(pct(vals, 0.90), 1),
                                   "p99": round(pct(vals, 0.99), 1),
                                   "max": round(vals[-1], 1),
                                   "mean": round(sum(vals) / len(vals), 1)}})
        if a.series:
            t0 = min(t for t, _ in lat)
            with open(a.series, "w") as fp:
                for t, l in sorted(lat):
                    fp.write(f"{(t - t0) / 1000.0:.3f} {l:.1f}\n")
    print(json.dumps(out))


def cmd_wait_group(a):
    from confluent_kafka import ConsumerGroupState
    admin = AdminClient({"bootstrap.servers": a.brokers})
    deadline = time.monotonic() + a.timeout
    while time.monotonic() < deadline:
        try:
            g = admin.describe_consumer_groups([a.group])[a.group].result()
            if (g.state == ConsumerGroupState.STABLE and g.members and
                    all(m.assignment and m.assignment.topic_partitions
                        for m in g.members)):
                return 0
        except KafkaException:
            pass
        time.sleep(0.2)
    print(f"group {a.group} not ready after {a.timeout}s", file=sys.stderr)
    return 1


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("topics")
    t.add_argument("-b", "--brokers", required=True)
    t.add_argument("action", choices=["create", "delete"])
    t.add_argument("topics", nargs="+")
    t.add_argument("-p", "--partitions", type=int, default=1)
    t.add_argument("--log-append-time", action="store_true")
    t.add_argument("--max-message-bytes", type=int, default=1048588)
    l = sub.add_parser("load")
    l.add_argument("-b", "--brokers", required=True)
    l.add_argument("-t", "--topic", required=True)
    l.add_argument("-f", "--file", required=True)
    l.add_argument("-n", "--count", type=int, required=True)
    l.add_argument("--poison-every", type=int, default=0)
    r = sub.add_parser("rate")
    r.add_argument("-b", "--brokers", required=True)
    r.add_argument("-t", "--topic", required=True)
    r.add_argument("-f", "--file", required=True)
    r.add_argument("-r", "--rate", type=float, required=True)
    r.add_argument("-s", "--seconds", type=float, required=True)
    d = sub.add_parser("read")
    d.add_argument("-b", "--brokers", required=True)
    d.add_argument("-t", "--topic", required=True)
    d.add_argument("-n", "--count", type=int, default=0)
    d.add_argument("--idle", type=float, default=10)
    d.add_argument("--series")
    d.add_argument("--isolation", default="read_committed")
    d.add_argument("--live", action="store_true")
    g = sub.add_parser("wait-group")
    g.add_argument("-b", "--brokers", required=True)
    g.add_argument("-g", "--group", required=True)
    g.add_argument("--timeout", type=float, default=60)
    a = ap.parse_args()
    return {"topics": cmd_topics, "load": cmd_load, "rate": cmd_rate,
            "read": cmd_read, "wait-group": cmd_wait_group}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main() or 0)
