"""Validation of enricher's output against resources/schema/.

Used by the example consumer (consumer.py) and by the tests
(tests/golden/test_schema.sh, tests/integration/test_python_consumer.sh).
Two layers:

* the JSON Schemas (draft 2020-12): record.schema.json for a record,
  record-headers.schema.json and dead-letter-headers.schema.json for the
  Kafka headers;
* checks a schema cannot express: every mention's code-point offsets lie in
  its field and, when the record repeats the article, cut out a text that the
  entity names (its canonical text or an alias); count equals the number of
  mentions; keywords come most frequent first.

Needs the jsonschema package (Debian: python3-jsonschema, 4.10 or later).
"""

import json
import os

import jsonschema

HERE = os.path.dirname(os.path.abspath(__file__))


def default_schema_dir():
    """resources/schema of the source tree, or $ENRICHER_SCHEMA_DIR."""
    env = os.environ.get("ENRICHER_SCHEMA_DIR")
    if env:
        return env
    for cand in (os.path.join(HERE, "..", "..", "..", "resources", "schema"),
                 "/usr/share/enricher/schema",
                 "/usr/local/share/enricher/schema"):
        if os.path.isfile(os.path.join(cand, "record.schema.json")):
            return os.path.normpath(cand)
    raise FileNotFoundError("cannot find resources/schema; set ENRICHER_SCHEMA_DIR")


class Validator:
    """Validates records and headers; each check returns a list of errors."""

    def __init__(self, schema_dir=None):
        schema_dir = schema_dir or default_schema_dir()

        def load(name):
            with open(os.path.join(schema_dir, name), encoding="utf-8") as f:
                schema = json.load(f)
            cls = jsonschema.validators.validator_for(schema)
            cls.check_schema(schema)
            return cls(schema)

        self.record = load("record.schema.json")
        self.record_headers = load("record-headers.schema.json")
        self.dlq_headers = load("dead-letter-headers.schema.json")

    @staticmethod
    def _schema_errors(validator, doc):
        return ["%s: %s" % ("/".join(str(p) for p in e.absolute_path) or "(root)",
                            e.message)
                for e in sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))]

    def check_record(self, rec):
        """All problems of one parsed record, [] when it is valid."""
        errors = self._schema_errors(self.record, rec)
        if errors:
            return errors
        return semantic_errors(rec)

    def check_record_headers(self, headers):
        return self._schema_errors(self.record_headers, headers)

    def check_dead_letter_headers(self, headers):
        return self._schema_errors(self.dlq_headers, headers)


def _field_texts(rec):
    """The title and body the offsets refer to, when the record has them."""
    art = rec.get("article")
    out = {}
    if isinstance(art, dict):
        for field in ("title", "body"):
            if isinstance(art.get(field), str):
                out[field] = art[field]
    return out


def semantic_errors(rec):
    errors = []
    texts = _field_texts(rec)
    for i, ent in enumerate(rec["entities"]):
        where = "entities/%d (%s %r)" % (i, ent["type"], ent["text"])
        if ent["count"] != len(ent["mentions"]):
            errors.append("%s: count %d but %d mentions"
                          % (where, ent["count"], len(ent["mentions"])))
        names = {ent["text"], *ent.get("aliases", [])}
        seen = set()
        for j, m in enumerate(ent["mentions"]):
            if m["end"] <= m["start"]:
                errors.append("%s/mentions/%d: empty span %d..%d"
                              % (where, j, m["start"], m["end"]))
                continue
            text = texts.get(m["field"])
            if text is None:
                continue
            if m["end"] > len(text):
                errors.append("%s/mentions/%d: end %d beyond the %s (%d code points)"
                              % (where, j, m["end"], m["field"], len(text)))
                continue
            cut = text[m["start"]:m["end"]]
            seen.add(cut)
            if cut not in names:
                errors.append("%s/mentions/%d: %s[%d:%d] is %r, not the entity's text or an alias"
                              % (where, j, m["field"], m["start"], m["end"], cut))
        if texts and "aliases" in ent:
            for alias in ent["aliases"]:
                if alias not in seen and all(m["field"] in texts for m in ent["mentions"]):
                    errors.append("%s: alias %r is not the text of any mention" % (where, alias))
        if "value_max" in ent and ent["value_max"] < ent["value"]:
            errors.append("%s: value_max %r below value %r" % (where, ent["value_max"], ent["value"]))
    counts = [k["count"] for k in rec["keywords"]]
    if counts != sorted(counts, reverse=True):
        errors.append("keywords: not most frequent first: %r" % counts)
    words = [k["word"] for k in rec["keywords"]]
    if len(set(words)) != len(words):
        errors.append("keywords: repeated words: %r" % words)
    for key in ("dateline", "boilerplate"):
        span = rec.get(key)
        if not span:
            continue
        if span["end"] < span["start"]:
            errors.append("%s: end %d before start %d" % (key, span["end"], span["start"]))
        body = texts.get("body")
        if body is None:
            continue
        if span["end"] > len(body):
            errors.append("%s: end %d beyond the body (%d code points)" % (key, span["end"], len(body)))
        elif key == "dateline" and body[span["start"]:span["end"]] != span["text"]:
            errors.append("dateline: body[%d:%d] is %r, not %r"
                          % (span["start"], span["end"], body[span["start"]:span["end"]], span["text"]))
    return errors


def headers_to_dict(headers):
    """Kafka headers (a list of (name, bytes|None)) as {name: str|None}; the
    last of a repeated name wins, bytes that are not UTF-8 are replaced."""
    out = {}
    for name, value in headers or []:
        out[name] = None if value is None else value.decode("utf-8", "replace")
    return out
