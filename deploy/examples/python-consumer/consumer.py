#!/usr/bin/env python3
"""Reads enricher's output topic and validates every record.

An example of a downstream consumer: it subscribes to the enriched-record
topic (and, with --dlq-topic, to the dead-letter topic), checks each record
and its headers against resources/schema/ (enricher_schema.py), prints one
line per message, and commits an offset only after the message was handled
(at-least-once, like the worker itself). Records come from read_committed
fetches, so with `enricher run --exactly-once` aborted outputs are never
seen.

    ./consumer.py -b localhost:19092 -t articles.enriched --from-beginning
    ./consumer.py -b broker:9093 -X security.protocol=SASL_SSL \\
        -X sasl.mechanisms=SCRAM-SHA-512 -X sasl.username=u -X sasl.password=p

Exit status: 0 when every message was valid, 1 when some were not, 2 on a
usage or Kafka error. Needs confluent-kafka and jsonschema (Debian:
python3-confluent-kafka python3-jsonschema; or pip install -r
requirements.txt).
"""

import argparse
import json
import os
import signal
import sys
import time

from confluent_kafka import Consumer, KafkaError, KafkaException

import enricher_schema

running = True


def stop(signum, frame):
    global running
    running = False


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("-b", "--brokers", default=os.environ.get("ENRICHER_BROKERS", "localhost:19092"),
                   help="bootstrap brokers (default $ENRICHER_BROKERS or localhost:19092)")
    p.add_argument("-t", "--topic", default="articles.enriched", help="enriched-record topic")
    p.add_argument("--dlq-topic", help="also read this dead-letter topic and check its headers")
    p.add_argument("-g", "--group", default="enricher-python-consumer", help="consumer group id")
    p.add_argument("--from-beginning", action="store_true",
                   help="start at the earliest offset when the group has none committed")
    p.add_argument("-n", "--max-messages", type=int, default=0, help="stop after N messages (0: no limit)")
    p.add_argument("--idle-timeout", type=float, default=0,
                   help="stop after this many seconds without a message (0: never)")
    p.add_argument("--schema-dir", help="directory of the JSON Schemas (default: the source tree's)")
    p.add_argument("--json", action="store_true", help="print one JSON summary per message")
    p.add_argument("-q", "--quiet", action="store_true", help="print only problems and the summary")
    p.add_argument("-X", dest="props", action="append", default=[], metavar="KEY=VALUE",
                   help="a librdkafka property (repeatable)")
    return p.parse_args(argv)


def summary(rec):
    by_type = {}
    for e in rec["entities"]:
        by_type.setdefault(e["type"], []).append(e["text"])
    return {t: v[:3] for t, v in sorted(by_type.items())}


def main(argv):
    args = parse_args(argv)
    conf = {
        "bootstrap.servers": args.brokers,
        "group.id": args.group,
        "enable.auto.commit": False,
        "auto.offset.reset": "earliest" if args.from_beginning else "latest",
        "isolation.level": "read_committed",
    }
    for kv in args.props:
        key, sep, value = kv.partition("=")
        if not sep:
            print("consumer: -X wants KEY=VALUE, not %r" % kv, file=sys.stderr)
            return 2
        conf[key] = value
    try:
        validator = enricher_schema.Validator(args.schema_dir)
    except (OSError, ValueError) as e:
        print("consumer: cannot load the schemas: %s" % e, file=sys.stderr)
        return 2

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    consumer = Consumer(conf)
    topics = [args.topic] + ([args.dlq_topic] if args.dlq_topic else [])
    consumer.subscribe(topics)
    seen = valid = invalid = dead = 0
    last = time.monotonic()
    status = 0
    try:
        while running:
            if args.max_messages and seen >= args.max_messages:
                break
            msg = consumer.poll(0.5)
            if msg is None:
                if args.idle_timeout and time.monotonic() - last > args.idle_timeout:
                    break
                continue
            if msg.error():
                if msg.error().code() == KafkaError._PARTITION_EOF:
                    continue
                if msg.error().fatal():
                    raise KafkaException(msg.error())
                print("consumer: %s" % msg.error(), file=sys.stderr)
                continue
            last = time.monotonic()
            seen += 1
            where = "%s [%d] @ %d" % (msg.topic(), msg.partition(), msg.offset())
            headers = enricher_schema.headers_to_dict(msg.headers())
            if args.dlq_topic and msg.topic() == args.dlq_topic:
                dead += 1
                problems = validator.check_dead_letter_headers(headers)
                line = {"where": where, "dead_letter": headers.get("enricher-error"),
                        "message": headers.get("enricher-error-message")}
            else:
                problems = validator.check_record_headers(headers)
                try:
                    rec = json.loads(msg.value())
                except (TypeError, ValueError) as e:
                    rec, problems = None, problems + ["value is not JSON: %s" % e]
                if rec is not None:
                    problems += validator.check_record(rec)
                line = {"where": where, "id": rec.get("id") if isinstance(rec, dict) else None}
                if rec is not None and not problems:
                    line["entities"] = summary(rec)
            if problems:
                invalid += 1
                line["problems"] = problems[:10]
            else:
                valid += 1
            if args.json:
                print(json.dumps(line, ensure_ascii=False), flush=True)
            elif problems or not args.quiet:
                text = "INVALID " + "; ".join(problems[:3]) if problems else \
                    ("dead letter: %s" % line["dead_letter"] if "dead_letter" in line else
                     "ok %s %s" % (line["id"], json.dumps(line.get("entities", {}), ensure_ascii=False)))
                print("%s: %s" % (where, text), flush=True)
            # Handled: commit past it (synchronously, for a simple example).
            consumer.commit(message=msg, asynchronous=False)
    except KafkaException as e:
        print("consumer: %s" % e, file=sys.stderr)
        status = 2
    finally:
        consumer.close()
    print("consumer: %d messages, %d valid, %d invalid, %d dead letters"
          % (seen, valid, invalid, dead), file=sys.stderr)
    if status:
        return status
    return 1 if invalid else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
