/*
 * The enriched record, written by hand rather than through a JSON tree so
 * that key order, number formatting and escaping never vary and building a
 * record allocates nothing once the buffer has grown. Only the echoed
 * input article goes through jansson (its keys keep their input order).
 *
 * Layout (schema 1):
 *   {"schema", "id", "language", "fingerprint", "duplicate", "article"?,
 *    "dateline"?, "entities": [...], "stats", "keywords", "tone",
 *    "boilerplate"?,
 *    "meta"}
 *
 * "duplicate" is written as null; the caller that consults the duplicate
 * index replaces it afterwards (enr_record_set_duplicate()), because which
 * article came first is known only in the order the program decides.
 */
#include <float.h>
#include <stdbool.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "enricher/clock.h"
#include "enricher/record.h"

void enr_buf_init(enr_buf_t *b) {
        memset(b, 0, sizeof(*b));
}

void enr_buf_clear(enr_buf_t *b) {
        size_t max = b->max;

        free(b->p);
        memset(b, 0, sizeof(*b));
        b->max = max;
}

void enr_buf_reset(enr_buf_t *b) {
        b->len = 0;
        b->err = ENR_OK;
        if (b->p)
                b->p[0] = '\0';
}

void enr_buf_set_max(enr_buf_t *b, size_t max) {
        b->max = max;
}

enr_err_t enr_buf_error(const enr_buf_t *b) {
        return b->err;
}

/* Makes room for n more bytes and the terminator; false (with b's error
 * set) when b already failed, would pass its cap, or cannot grow. */
static bool buf_reserve(enr_buf_t *b, size_t n) {
        size_t    max = b->max ? b->max : ENR_BUF_MAX_DEFAULT;
        enr_err_t err;

        if (b->err)
                return false;
        if (n >= max || b->len + 1 > max - n) {
                b->err = ENR_ERR_TOO_LARGE;
                return false;
        }
        if (b->len + n + 1 <= b->cap)
                return true;
        err = enr_grow((void **)&b->p, &b->cap, b->len + n + 1, 1, 4096);
        if (err) {
                b->err = err == ENR_ERR_LIMIT ? ENR_ERR_TOO_LARGE : err;
                return false;
        }
        return true;
}

enr_err_t enr_buf_append(enr_buf_t *b, const void *p, size_t n) {
        if (!buf_reserve(b, n))
                return b->err;
        if (n)
                memcpy(b->p + b->len, p, n);
        b->len += n;
        b->p[b->len] = '\0';
        return ENR_OK;
}

enr_err_t enr_buf_str(enr_buf_t *b, const char *s) {
        return enr_buf_append(b, s, strlen(s));
}

enr_err_t enr_buf_json_string(enr_buf_t *b, const char *s, size_t n) {
        static const char hex[] = "0123456789abcdef";
        size_t            i, run = 0;

        /* Worst case every byte becomes \u00XX. */
        if (n > (SIZE_MAX - 2) / 6) {
                if (!b->err)
                        b->err = ENR_ERR_TOO_LARGE;
                return b->err;
        }
        if (!buf_reserve(b, n * 6 + 2))
                return b->err;
        b->p[b->len++] = '"';
        for (i = 0; i < n; i++) {
                unsigned char c = (unsigned char)s[i];
                if (c >= 0x20 && c != '"' && c != '\\') {
                        run++;
                        continue;
                }
                memcpy(b->p + b->len, s + i - run, run);
                b->len += run;
                run            = 0;
                b->p[b->len++] = '\\';
                switch (c) {
                case '"':
                        b->p[b->len++] = '"';
                        break;
                case '\\':
                        b->p[b->len++] = '\\';
                        break;
                case '\n':
                        b->p[b->len++] = 'n';
                        break;
                case '\r':
                        b->p[b->len++] = 'r';
                        break;
                case '\t':
                        b->p[b->len++] = 't';
                        break;
                default:
                        b->p[b->len++] = 'u';
                        b->p[b->len++] = '0';
                        b->p[b->len++] = '0';
                        b->p[b->len++] = hex[c >> 4];
                        b->p[b->len++] = hex[c & 15];
                }
        }
        memcpy(b->p + b->len, s + n - run, run);
        b->len += run;
        b->p[b->len++] = '"';
        b->p[b->len]   = '\0';
        return ENR_OK;
}

enr_err_t enr_buf_json_number(enr_buf_t *b, double v) {
        char tmp[40];
        int  n;

        if (!isfinite(v))
                return enr_buf_str(b, "null");
        if (v == floor(v) && fabs(v) < 9007199254740992.0) {
                /* Integers (offsets, counts) are most of a record's numbers:
                 * write their digits directly rather than through printf. */
                uint64_t u   = (uint64_t)fabs(v);
                char    *end = tmp + sizeof(tmp), *p = end;
                do {
                        *--p = (char)('0' + u % 10);
                        u /= 10;
                } while (u);
                if (v < 0)
                        *--p = '-';
                return enr_buf_append(b, p, (size_t)(end - p));
        } else {
                /* The shortest form that reads back to v, as Python's repr()
                 * writes it ("0.7000000000000001", not "0.70000000000000007",
                 * the 17 digits that always read back). For a normal
                 * double, 15 significant digits read back whenever fewer
                 * can (DBL_DIG), and when they cannot, the nearest 16-digit
                 * form reads back whenever any 16-digit form does (checked
                 * for every power of two, where the rounding interval is
                 * lopsided); 17 always do. Subnormals need the whole
                 * search. Most values take one snprintf() and strtod(). */
                int p = fabs(v) < DBL_MIN ? 1 : DBL_DIG;

                for (;; p++) {
                        n = snprintf(tmp, sizeof(tmp), "%.*g", p, v);
                        if (p >= 17 || strtod(tmp, NULL) == v)
                                break;
                }
        }
        return enr_buf_append(b, tmp, (size_t)n);
}

/*
 * The writers below append without checking: the buffer keeps the first
 * error, which enr_record_build() returns once at the end.
 */

/* Writes "key": (with a leading comma unless first). */
static void key(enr_buf_t *b, int *first, const char *k) {
        if (!*first)
                enr_buf_append(b, ",", 1);
        *first = 0;
        enr_buf_json_string(b, k, strlen(k));
        enr_buf_append(b, ":", 1);
}

static void kv_str(enr_buf_t *b, int *first, const char *k, const char *s,
                   size_t n) {
        key(b, first, k);
        enr_buf_json_string(b, s, n);
}

/* A "key": "value" pair from a NUL-terminated value. */
static void kv_cstr(enr_buf_t *b, int *first, const char *k, const char *s) {
        kv_str(b, first, k, s, strlen(s));
}

static void kv_num(enr_buf_t *b, int *first, const char *k, double v) {
        key(b, first, k);
        enr_buf_json_number(b, v);
}

/* A statistic rounded to two decimals, so records do not carry noise
 * digits that differ between compilers. */
static void kv_stat(enr_buf_t *b, int *first, const char *k, double v) {
        kv_num(b, first, k, round(v * 100.0) / 100.0);
}

/* jansson's output callback: appends to the enr_buf_t in data. */
static int dump_append(const char *p, size_t n, void *data) {
        return enr_buf_append(data, p, n) == ENR_OK ? 0 : -1;
}

/* Dumps a jansson value compactly into b, in one pass. */
static void json_dump_into(enr_buf_t *b, const json_t *v) {
        if (!v) {
                enr_buf_str(b, "null");
                return;
        }
        if (json_dump_callback(v, dump_append, b,
                               JSON_COMPACT | JSON_ENCODE_ANY) != 0 &&
            !b->err)
                b->err = ENR_ERR_NOMEM; /* jansson's own allocation. */
}

/* The "article" member: the input object whole or without its body; for
 * plain text, a synthesised {"title", "body"}. */
static void write_article(enr_buf_t *b, const enr_record_input_t *in) {
        const enr_article_t *a = in->article;
        const char          *k;
        json_t              *v;
        int                  first = 1;

        if (!a->root) {
                enr_buf_append(b, "{", 1);
                kv_str(b, &first, "title", a->title, a->title_len);
                if (in->article_mode == ENR_ARTICLE_FULL)
                        kv_str(b, &first, "body", a->body, a->body_len);
                enr_buf_append(b, "}", 1);
                return;
        }
        if (in->article_mode == ENR_ARTICLE_FULL) {
                json_dump_into(b, a->root);
                return;
        }
        enr_buf_append(b, "{", 1);
        json_object_foreach((json_t *)a->root, k, v) {
                if (a->body_key && !strcmp(k, a->body_key))
                        continue;
                key(b, &first, k);
                json_dump_into(b, v);
        }
        enr_buf_append(b, "}", 1);
}

/* The text of a field. */
static const enr_text_t *field_text(const enr_record_input_t *in, int field) {
        return field == ENR_FIELD_TITLE ? in->title : in->body;
}

/* Whether the text of mention m equals s[0..n). */
static int mention_is(const enr_record_input_t *in, const enr_mention_t *m,
                      const char *s, size_t n) {
        const enr_text_t *t = field_text(in, m->field);
        return m->end - m->start == n && !memcmp(t->s + m->start, s, n);
}

static void write_value(enr_buf_t *b, int *first, const enr_record_input_t *in,
                        const enr_mention_t *m) {
        const enr_text_t *t = field_text(in, m->field);
        const char       *approx;

        if (m->flags & ENR_MENTF_HAS_DATE)
                kv_cstr(b, first, "value", m->value.date);
        else if (m->flags & ENR_MENTF_HAS_NUM)
                kv_num(b, first, "value", m->value.num);
        if ((m->flags & ENR_MENTF_RANGE) && (m->flags & ENR_MENTF_HAS_NUM))
                kv_num(b, first, "value_max", m->value.num_hi);
        if (m->value.currency[0])
                kv_cstr(b, first, "currency", m->value.currency);
        if (m->value.unit_end > m->value.unit_start &&
            m->value.unit_end <= t->len)
                kv_str(b, first, "unit", t->s + m->value.unit_start,
                       m->value.unit_end - m->value.unit_start);
        approx = enr_approx_name((enr_approx_t)m->value.approx);
        if (approx)
                kv_cstr(b, first, "approx", approx);
}

/* An entity's "aliases": the distinct texts of its mentions other than the
 * canonical one canon[0..clen), in order of first appearance; nothing when
 * there are none. */
static void write_aliases(enr_buf_t *b, int *first,
                          const enr_record_input_t *in, const enr_entity_t *e,
                          const char *canon, size_t clen) {
        const enr_entities_t *es       = in->entities;
        const enr_mentions_t *ms       = in->mentions;
        int                   naliases = 0;
        size_t                j, k;

        for (j = 0; j < e->count; j++) {
                const enr_mention_t *m   = &ms->v[es->order[e->first + j]];
                const enr_text_t    *mt  = field_text(in, m->field);
                int                  dup = mention_is(in, m, canon, clen);
                for (k = 0; !dup && k < j; k++)
                        dup = mention_is(in, &ms->v[es->order[e->first + k]],
                                         mt->s + m->start, m->end - m->start);
                if (dup)
                        continue;
                if (!naliases++) {
                        key(b, first, "aliases");
                        enr_buf_append(b, "[", 1);
                } else {
                        enr_buf_append(b, ",", 1);
                }
                enr_buf_json_string(b, mt->s + m->start, m->end - m->start);
        }
        if (naliases)
                enr_buf_append(b, "]", 1);
}

/* An entity's "mentions": field and code-point span of each. */
static void write_mentions(enr_buf_t *b, int *first,
                           const enr_record_input_t *in,
                           const enr_entity_t       *e) {
        const enr_entities_t *es = in->entities;
        const enr_mentions_t *ms = in->mentions;
        size_t                j;

        key(b, first, "mentions");
        enr_buf_append(b, "[", 1);
        for (j = 0; j < e->count; j++) {
                const enr_mention_t *m  = &ms->v[es->order[e->first + j]];
                int                  mf = 1;
                if (j)
                        enr_buf_append(b, ",", 1);
                enr_buf_append(b, "{", 1);
                kv_cstr(b, &mf, "field",
                        m->field == ENR_FIELD_TITLE ? "title" : "body");
                kv_num(b, &mf, "start", m->cp_start);
                kv_num(b, &mf, "end", m->cp_end);
                enr_buf_append(b, "}", 1);
        }
        enr_buf_append(b, "]", 1);
}

/* An entity's "geo": its GeoNames place (geo.h), when it has one, with
 * the place's name when it is a part of the entity's. Coordinates are rounded
 * to 5 decimals (about a metre), as the table holds them. */
static void write_geo(enr_buf_t *b, int *first, const enr_record_input_t *in,
                      size_t entity) {
        const enr_place_t *p = enr_geo_place(in->geo, entity);
        int                f = 1;
        uint32_t           ps, pe;

        if (!p)
                return;
        key(b, first, "geo");
        enr_buf_append(b, "{", 1);
        /* The place named inside an organisation's or a facility's name. */
        if (enr_geo_place_span(in->geo, entity, &ps, &pe)) {
                const enr_text_t *t =
                    field_text(in, in->entities->v[entity].field);
                if (pe <= t->len && ps < pe)
                        kv_str(b, &f, "name", t->s + ps, pe - ps);
        }
        if (p->geonameid)
                kv_num(b, &f, "geonameid", p->geonameid);
        kv_num(b, &f, "lat", round(p->lat * 1e5) / 1e5);
        kv_num(b, &f, "lon", round(p->lon * 1e5) / 1e5);
        if (p->country[0])
                kv_cstr(b, &f, "country", p->country);
        if (p->admin1[0])
                kv_cstr(b, &f, "admin1", p->admin1);
        kv_cstr(b, &f, "feature",
                enr_geo_feature_name((enr_geo_feature_t)p->feature));
        if (p->population)
                kv_num(b, &f, "population", p->population);
        enr_buf_append(b, "}", 1);
}

static void write_entities(enr_buf_t *b, const enr_record_input_t *in) {
        const enr_entities_t *es = in->entities;
        const enr_mentions_t *ms = in->mentions;
        size_t                i;

        enr_buf_append(b, "[", 1);
        for (i = 0; i < es->n; i++) {
                const enr_entity_t *e     = &es->v[i];
                const enr_text_t   *t     = field_text(in, e->field);
                const char         *canon = t->s + e->start;
                size_t              clen  = e->end - e->start;
                int                 first = 1;

                if (i)
                        enr_buf_append(b, ",", 1);
                enr_buf_append(b, "{", 1);
                kv_cstr(b, &first, "type",
                        enr_ent_type_name((enr_ent_type_t)e->type));
                kv_str(b, &first, "text", canon, clen);
                if (e->code[0])
                        kv_cstr(b, &first, "code", e->code);
                write_geo(b, &first, in, i);
                if (e->value_of >= 0 && (size_t)e->value_of < ms->n)
                        write_value(b, &first, in, &ms->v[e->value_of]);
                kv_num(b, &first, "count", e->count);
                write_aliases(b, &first, in, e, canon, clen);
                write_mentions(b, &first, in, e);
                enr_buf_append(b, "}", 1);
        }
        enr_buf_append(b, "]", 1);
}

/* A statistic of an English formula, or null when they did not run. */
static void kv_english(enr_buf_t *b, int *first, const char *k, double v,
                       bool english, bool round2) {
        if (english) {
                if (round2)
                        kv_stat(b, first, k, v);
                else
                        kv_num(b, first, k, v);
                return;
        }
        key(b, first, k);
        enr_buf_append(b, "null", 4);
}

static void write_stats(enr_buf_t *b, const enr_stats_t *s, bool english) {
        int first = 1;

        enr_buf_append(b, "{", 1);
        kv_num(b, &first, "characters", (double)s->characters);
        kv_num(b, &first, "letters", (double)s->letters);
        kv_num(b, &first, "words", (double)s->words);
        kv_num(b, &first, "unique_words", (double)s->unique_words);
        kv_num(b, &first, "sentences", (double)s->sentences);
        kv_num(b, &first, "paragraphs", (double)s->paragraphs);
        kv_english(b, &first, "syllables", (double)s->syllables, english,
                   false);
        kv_english(b, &first, "polysyllables", (double)s->polysyllables,
                   english, false);
        kv_stat(b, &first, "avg_sentence_length", s->avg_sentence_length);
        kv_english(b, &first, "avg_syllables_per_word",
                   s->avg_syllables_per_word, english, true);
        kv_english(b, &first, "flesch_reading_ease", s->flesch_reading_ease,
                   english, true);
        kv_english(b, &first, "flesch_kincaid_grade", s->flesch_kincaid_grade,
                   english, true);
        kv_english(b, &first, "gunning_fog", s->gunning_fog, english, true);
        kv_english(b, &first, "smog_index", s->smog_index, english, true);
        kv_english(b, &first, "coleman_liau_index", s->coleman_liau_index,
                   english, true);
        kv_english(b, &first, "automated_readability_index",
                   s->automated_readability_index, english, true);
        kv_stat(b, &first, "reading_time_seconds", s->reading_time_seconds);
        kv_english(b, &first, "lexical_density", s->lexical_density, english,
                   true);
        enr_buf_append(b, "}", 1);
}

/* The dateline place, when the names extractor marked one. */
static void write_dateline(enr_buf_t *b, int *first,
                           const enr_record_input_t *in) {
        const enr_mentions_t *ms = in->mentions;
        size_t                i;

        for (i = 0; i < ms->n; i++) {
                const enr_mention_t *m = &ms->v[i];
                const enr_text_t    *t = field_text(in, m->field);
                int                  f = 1;
                if (!(m->flags & ENR_MENTF_DATELINE))
                        continue;
                key(b, first, "dateline");
                enr_buf_append(b, "{", 1);
                kv_str(b, &f, "text", t->s + m->start, m->end - m->start);
                if (m->entity >= 0 && (size_t)m->entity < in->entities->n) {
                        const enr_entity_t *e  = &in->entities->v[m->entity];
                        const enr_text_t   *et = field_text(in, e->field);
                        kv_str(b, &f, "place", et->s + e->start,
                               e->end - e->start);
                }
                if (m->code[0])
                        kv_cstr(b, &f, "code", m->code);
                if (m->entity >= 0)
                        write_geo(b, &f, in, (size_t)m->entity);
                kv_num(b, &f, "start", m->cp_start);
                kv_num(b, &f, "end", m->cp_end);
                enr_buf_append(b, "}", 1);
                return;
        }
}

/* meta.source: where a record read from Kafka came from. */
static void write_source(enr_buf_t *b, int *first, const enr_source_t *src) {
        int f = 1;

        key(b, first, "source");
        enr_buf_append(b, "{", 1);
        kv_cstr(b, &f, "topic", src->topic);
        kv_num(b, &f, "partition", src->partition);
        kv_num(b, &f, "offset", (double)src->offset);
        if (src->timestamp >= 0)
                kv_num(b, &f, "timestamp", (double)src->timestamp);
        enr_buf_append(b, "}", 1);
}

/* meta.skipped: the English stages an article in another language did
 * not go through. */
static void write_skipped(enr_buf_t *b, int *first,
                          const enr_record_input_t *in) {
        char reason[160];
        int  f = 1;

        snprintf(reason, sizeof(reason), "language %s is not in --languages %s",
                 in->language ? in->language->code : "?",
                 in->languages ? in->languages : "");
        key(b, first, "skipped");
        enr_buf_append(b, "{", 1);
        key(b, &f, "stages");
        enr_buf_str(b, "[\"names\",\"numbers\",\"dates\",\"entities\","
                       "\"dateline\",\"keywords\",\"readability\","
                       "\"boilerplate\",\"tone\",\"geo\",\"quotes\"]");
        kv_cstr(b, &f, "reason", reason);
        enr_buf_append(b, "}", 1);
}

static void write_meta(enr_buf_t *b, const enr_record_input_t *in) {
        int first = 1;

        enr_buf_append(b, "{", 1);
        kv_cstr(b, &first, "enricher", ENR_VERSION_STR);
        kv_cstr(b, &first, "extractor", in->extractor);
        if (in->article->has_time) {
                char      ts[32];
                time_t    tt = (time_t)in->article->published;
                struct tm tm;
                gmtime_r(&tt, &tm);
                strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
                kv_cstr(b, &first, "published_at", ts);
        }
        if (!in->extracted)
                write_skipped(b, &first, in);
        if (in->src && in->src->topic)
                write_source(b, &first, in->src);
        if (in->timestamps) {
                char ts[ENR_ISO8601_SIZE];
                enr_time_iso8601(ts, sizeof(ts), enr_clock_wall_ms());
                kv_cstr(b, &first, "processed_at", ts);
        }
        enr_buf_append(b, "}", 1);
}

/* The quotations with their speakers; null when the English stages did not
 * run. */
static void write_quotes(enr_buf_t *b, const enr_record_input_t *in) {
        size_t i;

        if (!in->extracted) {
                enr_buf_append(b, "null", 4);
                return;
        }
        enr_buf_append(b, "[", 1);
        for (i = 0; i < in->nquotes; i++) {
                const enr_quote_t *q    = &in->quotes[i];
                const enr_text_t  *t    = field_text(in, q->field);
                const enr_text_t  *st   = field_text(in, q->spk_field);
                const char        *verb = enr_quotes_verb_name(q->verb);
                int                f = 1, g = 1;
                if (i)
                        enr_buf_append(b, ",", 1);
                enr_buf_append(b, "{", 1);
                kv_str(b, &f, "text", t->s + q->start, q->end - q->start);
                kv_cstr(b, &f, "field",
                        q->field == ENR_FIELD_TITLE ? "title" : "body");
                kv_num(b, &f, "start", q->cp_start);
                kv_num(b, &f, "end", q->cp_end);
                key(b, &f, "speaker");
                enr_buf_append(b, "{", 1);
                key(b, &g, "text");
                if (q->spk_end > q->spk_start)
                        enr_buf_json_string(b, st->s + q->spk_start,
                                            q->spk_end - q->spk_start);
                else
                        enr_buf_append(b, "null", 4);
                key(b, &g, "entity");
                if (q->entity >= 0)
                        enr_buf_json_number(b, q->entity);
                else
                        enr_buf_append(b, "null", 4);
                key(b, &g, "kind");
                if (q->kind != ENR_SPEAKER_NONE)
                        enr_buf_json_string(
                            b, enr_speaker_kind_name(q->kind),
                            strlen(enr_speaker_kind_name(q->kind)));
                else
                        enr_buf_append(b, "null", 4);
                enr_buf_append(b, "}", 1);
                key(b, &f, "verb");
                if (verb)
                        enr_buf_json_string(b, verb, strlen(verb));
                else
                        enr_buf_append(b, "null", 4);
                enr_buf_append(b, "}", 1);
        }
        enr_buf_append(b, "]", 1);
}

static void write_keywords(enr_buf_t *b, const enr_record_input_t *in) {
        size_t i;

        enr_buf_append(b, "[", 1);
        for (i = 0; i < in->nkeywords; i++) {
                int f = 1;
                if (i)
                        enr_buf_append(b, ",", 1);
                enr_buf_append(b, "{", 1);
                kv_cstr(b, &f, "word", in->keywords[i].word);
                kv_num(b, &f, "count", in->keywords[i].count);
                enr_buf_append(b, "}", 1);
        }
        enr_buf_append(b, "]", 1);
}

/* Where the boilerplate (a sign-off, a share-this block) starts in the
 * body, to the end. */
static void write_boilerplate(enr_buf_t *b, const enr_record_input_t *in) {
        const enr_token_t *t = &in->body->toks[in->boilerplate_tok];
        int                f = 1;

        enr_buf_append(b, "{", 1);
        kv_str(b, &f, "field", "body", 4);
        kv_num(b, &f, "start", t->cp_start);
        kv_num(b, &f, "end", (double)in->body->ncp);
        enr_buf_append(b, "}", 1);
}

static void write_language(enr_buf_t *b, const enr_lang_guess_t *g) {
        int f = 1;

        enr_buf_append(b, "{", 1);
        kv_cstr(b, &f, "code", g->code);
        kv_cstr(b, &f, "script", g->script);
        kv_stat(b, &f, "confidence", g->confidence);
        enr_buf_append(b, "}", 1);
}

static void write_fingerprint(enr_buf_t *b, const enr_fingerprint_t *fp) {
        char hex[17], text[ENR_FP_TEXT_MAX];
        int  f = 1;

        snprintf(hex, sizeof(hex), "%016llx", (unsigned long long)fp->simhash);
        enr_buf_append(b, "{", 1);
        kv_cstr(b, &f, "simhash", hex);
        if (!enr_fingerprint_format(fp, text, sizeof(text)))
                text[0] = 0;
        kv_cstr(b, &f, "signature", text);
        enr_buf_append(b, "}", 1);
}

/* tone: VADER's scores rounded as vaderSentiment rounds them (compound
 * to 4 decimals, the proportions to 3), the gkg percentages to 2. */
static void write_tone(enr_buf_t *b, const enr_record_input_t *in) {
        const enr_tone_result_t *t = in->tone;
        int                      f = 1, g = 1;

        if (!t) {
                enr_buf_append(b, "null", 4);
                return;
        }
        enr_buf_append(b, "{", 1);
        kv_num(b, &f, "compound", enr_tone_round(t->compound, 4));
        kv_num(b, &f, "positive", enr_tone_round(t->positive, 3));
        kv_num(b, &f, "negative", enr_tone_round(t->negative, 3));
        kv_num(b, &f, "neutral", enr_tone_round(t->neutral, 3));
        kv_num(b, &f, "title_compound",
               enr_tone_round(in->tone_title_compound, 4));
        key(b, &f, "gkg");
        enr_buf_append(b, "{", 1);
        kv_stat(b, &g, "tone", t->gkg.tone);
        kv_stat(b, &g, "positive", t->gkg.positive);
        kv_stat(b, &g, "negative", t->gkg.negative);
        kv_stat(b, &g, "polarity", t->gkg.polarity);
        kv_stat(b, &g, "self_group_density", t->gkg.self_group_density);
        kv_num(b, &g, "word_count", t->gkg.word_count);
        enr_buf_append(b, "}}", 2);
}

enr_err_t enr_record_set_duplicate(enr_buf_t *b, size_t at,
                                   const enr_dup_t *dup) {
        enr_buf_t obj;
        int       f = 1;
        enr_err_t err;

        if (at + 4 > b->len || memcmp(b->p + at, "null", 4))
                return ENR_ERR_INVALID_ARG;
        if (!dup->found)
                return ENR_OK;
        enr_buf_init(&obj);
        enr_buf_append(&obj, "{", 1);
        kv_cstr(&obj, &f, "of", dup->of);
        kv_stat(&obj, &f, "similarity", dup->similarity);
        kv_cstr(&obj, &f, "kind", dup->exact ? "exact" : "near");
        enr_buf_append(&obj, "}", 1);
        /* Grow b by the difference (a failed append leaves b's bytes as
         * they were), then move the tail and copy the object in. */
        if (!(err = enr_buf_error(&obj)))
                err = enr_buf_append(b, obj.p, obj.len - 4);
        if (!err) {
                size_t tail = b->len - (obj.len - 4) - (at + 4);
                memmove(b->p + at + obj.len, b->p + at + 4, tail);
                memcpy(b->p + at, obj.p, obj.len);
        }
        enr_buf_clear(&obj);
        return err;
}

enr_err_t enr_record_build(enr_buf_t *b, const enr_record_input_t *in) {
        int first = 1;

        enr_buf_reset(b);
        enr_buf_append(b, "{", 1);
        kv_num(b, &first, "schema", ENR_SCHEMA_VERSION);
        kv_cstr(b, &first, "id", in->article->id);
        key(b, &first, "language");
        write_language(b, in->language);
        key(b, &first, "fingerprint");
        write_fingerprint(b, in->fingerprint);
        key(b, &first, "duplicate");
        if (in->duplicate_at)
                *in->duplicate_at = b->len;
        enr_buf_append(b, "null", 4);
        if (in->article_mode != ENR_ARTICLE_NONE) {
                key(b, &first, "article");
                write_article(b, in);
        }
        write_dateline(b, &first, in);
        key(b, &first, "entities");
        write_entities(b, in);
        key(b, &first, "quotes");
        write_quotes(b, in);
        key(b, &first, "stats");
        write_stats(b, in->stats, in->extracted);
        key(b, &first, "keywords");
        write_keywords(b, in);
        key(b, &first, "tone");
        write_tone(b, in);
        if (in->boilerplate_tok < in->body->ntoks) {
                key(b, &first, "boilerplate");
                write_boilerplate(b, in);
        }
        key(b, &first, "meta");
        write_meta(b, in);
        enr_buf_append(b, "}", 1);
        return enr_buf_error(b);
}
