/*
 * The enriched record, written by hand rather than through a JSON tree so
 * that key order, number formatting and escaping never vary and building a
 * record allocates nothing once the buffer has grown. Only the echoed
 * input article goes through jansson (its keys keep their input order).
 *
 * Layout (schema 1):
 *   {"schema", "id", "article"?, "dateline"?, "entities": [...], "stats",
 *    "keywords", "boilerplate"?, "meta"}
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "enricher/record.h"

void enr_buf_init(enr_buf_t *b) {
        memset(b, 0, sizeof(*b));
}

void enr_buf_clear(enr_buf_t *b) {
        free(b->p);
        memset(b, 0, sizeof(*b));
}

static enr_err_t buf_reserve(enr_buf_t *b, size_t n) {
        size_t cap;
        char  *p;

        if (b->len + n + 1 <= b->cap)
                return ENR_OK;
        cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n + 1)
                cap *= 2;
        p = realloc(b->p, cap);
        if (!p)
                return ENR_ERR_NOMEM;
        b->p   = p;
        b->cap = cap;
        return ENR_OK;
}

enr_err_t enr_buf_append(enr_buf_t *b, const void *p, size_t n) {
        if (buf_reserve(b, n))
                return ENR_ERR_NOMEM;
        memcpy(b->p + b->len, p, n);
        b->len += n;
        b->p[b->len] = '\0';
        return ENR_OK;
}

static enr_err_t buf_str(enr_buf_t *b, const char *s) {
        return enr_buf_append(b, s, strlen(s));
}

enr_err_t enr_buf_json_string(enr_buf_t *b, const char *s, size_t n) {
        static const char hex[] = "0123456789abcdef";
        size_t            i, run = 0;

        /* Worst case every byte becomes \u00XX. */
        if (buf_reserve(b, n * 6 + 2))
                return ENR_ERR_NOMEM;
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
                return buf_str(b, "null");
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

/* Writes "key": (with a leading comma unless first). */
static enr_err_t key(enr_buf_t *b, int *first, const char *k) {
        enr_err_t err = ENR_OK;

        if (!*first)
                err = enr_buf_append(b, ",", 1);
        *first = 0;
        if (!err)
                err = enr_buf_json_string(b, k, strlen(k));
        if (!err)
                err = enr_buf_append(b, ":", 1);
        return err;
}

static enr_err_t kv_str(enr_buf_t *b, int *first, const char *k, const char *s,
                        size_t n) {
        enr_err_t err = key(b, first, k);
        return err ? err : enr_buf_json_string(b, s, n);
}

static enr_err_t kv_num(enr_buf_t *b, int *first, const char *k, double v) {
        enr_err_t err = key(b, first, k);
        return err ? err : enr_buf_json_number(b, v);
}

/* A statistic rounded to two decimals, so records do not carry noise
 * digits that differ between compilers. */
static enr_err_t kv_stat(enr_buf_t *b, int *first, const char *k, double v) {
        return kv_num(b, first, k, round(v * 100.0) / 100.0);
}

/* jansson's output callback: appends to the enr_buf_t in data. */
static int dump_append(const char *p, size_t n, void *data) {
        return enr_buf_append(data, p, n) == ENR_OK ? 0 : -1;
}

/* Dumps a jansson value compactly into b, in one pass. */
static enr_err_t json_dump_into(enr_buf_t *b, const json_t *v) {
        size_t len = b->len;

        if (!v)
                return buf_str(b, "null");
        if (json_dump_callback(v, dump_append, b,
                               JSON_COMPACT | JSON_ENCODE_ANY) != 0) {
                b->len = len;
                if (b->p)
                        b->p[len] = '\0';
                return ENR_ERR_NOMEM;
        }
        return ENR_OK;
}

/* The "article" member: the input object whole or without its body; for
 * plain text, a synthesised {"title", "body"}. */
static enr_err_t write_article(enr_buf_t *b, const enr_record_input_t *in) {
        const enr_article_t *a = in->article;
        const char          *k;
        json_t              *v;
        int                  first = 1;
        enr_err_t            err   = ENR_OK;

        if (!a->root) {
                if ((err = enr_buf_append(b, "{", 1)) ||
                    (err = kv_str(b, &first, "title", a->title, a->title_len)))
                        return err;
                if (in->article_mode == ENR_ARTICLE_FULL &&
                    (err = kv_str(b, &first, "body", a->body, a->body_len)))
                        return err;
                return enr_buf_append(b, "}", 1);
        }
        if (in->article_mode == ENR_ARTICLE_FULL)
                return json_dump_into(b, a->root);
        if ((err = enr_buf_append(b, "{", 1)))
                return err;
        json_object_foreach((json_t *)a->root, k, v) {
                if (a->body_key && !strcmp(k, a->body_key))
                        continue;
                if ((err = key(b, &first, k)) || (err = json_dump_into(b, v)))
                        return err;
        }
        return enr_buf_append(b, "}", 1);
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

static enr_err_t write_value(enr_buf_t *b, int *first,
                             const enr_record_input_t *in,
                             const enr_mention_t      *m) {
        const enr_text_t *t   = field_text(in, m->field);
        enr_err_t         err = ENR_OK;
        const char       *approx;

        if (m->flags & ENR_MENTF_HAS_DATE)
                err = kv_str(b, first, "value", m->value.date,
                             strlen(m->value.date));
        else if (m->flags & ENR_MENTF_HAS_NUM)
                err = kv_num(b, first, "value", m->value.num);
        if (!err && (m->flags & ENR_MENTF_RANGE) &&
            (m->flags & ENR_MENTF_HAS_NUM))
                err = kv_num(b, first, "value_max", m->value.num_hi);
        if (!err && m->value.currency[0])
                err = kv_str(b, first, "currency", m->value.currency,
                             strlen(m->value.currency));
        if (!err && m->value.unit_end > m->value.unit_start &&
            m->value.unit_end <= t->len)
                err = kv_str(b, first, "unit", t->s + m->value.unit_start,
                             m->value.unit_end - m->value.unit_start);
        approx = enr_approx_name((enr_approx_t)m->value.approx);
        if (!err && approx)
                err = kv_str(b, first, "approx", approx, strlen(approx));
        return err;
}

static enr_err_t write_entities(enr_buf_t *b, const enr_record_input_t *in) {
        const enr_entities_t *es = in->entities;
        const enr_mentions_t *ms = in->mentions;
        size_t                i, j, k;
        enr_err_t             err;

        if ((err = enr_buf_append(b, "[", 1)))
                return err;
        for (i = 0; i < es->n; i++) {
                const enr_entity_t *e     = &es->v[i];
                const enr_text_t   *t     = field_text(in, e->field);
                const char         *canon = t->s + e->start;
                size_t              clen  = e->end - e->start;
                const char *tname = enr_ent_type_name((enr_ent_type_t)e->type);
                int         first = 1, naliases = 0;

                if ((i && (err = enr_buf_append(b, ",", 1))) ||
                    (err = enr_buf_append(b, "{", 1)) ||
                    (err = kv_str(b, &first, "type", tname, strlen(tname))) ||
                    (err = kv_str(b, &first, "text", canon, clen)))
                        return err;
                if (e->code[0] &&
                    (err = kv_str(b, &first, "code", e->code, strlen(e->code))))
                        return err;
                if (e->value_of >= 0 && (size_t)e->value_of < ms->n &&
                    (err = write_value(b, &first, in, &ms->v[e->value_of])))
                        return err;
                if ((err = kv_num(b, &first, "count", e->count)))
                        return err;

                /* Aliases: the distinct texts of the mentions other than
                 * the canonical one, in order of first appearance. */
                for (j = 0; j < e->count; j++) {
                        const enr_mention_t *m =
                            &ms->v[es->order[e->first + j]];
                        const enr_text_t *mt  = field_text(in, m->field);
                        int               dup = mention_is(in, m, canon, clen);
                        for (k = 0; !dup && k < j; k++)
                                dup = mention_is(
                                    in, &ms->v[es->order[e->first + k]],
                                    mt->s + m->start, m->end - m->start);
                        if (dup)
                                continue;
                        if (!naliases++) {
                                if ((err = key(b, &first, "aliases")) ||
                                    (err = enr_buf_append(b, "[", 1)))
                                        return err;
                        } else if ((err = enr_buf_append(b, ",", 1))) {
                                return err;
                        }
                        if ((err = enr_buf_json_string(b, mt->s + m->start,
                                                       m->end - m->start)))
                                return err;
                }
                if (naliases && (err = enr_buf_append(b, "]", 1)))
                        return err;

                if ((err = key(b, &first, "mentions")) ||
                    (err = enr_buf_append(b, "[", 1)))
                        return err;
                for (j = 0; j < e->count; j++) {
                        const enr_mention_t *m =
                            &ms->v[es->order[e->first + j]];
                        int mf = 1;
                        if ((j && (err = enr_buf_append(b, ",", 1))) ||
                            (err = enr_buf_append(b, "{", 1)) ||
                            (err = kv_str(
                                 b, &mf, "field",
                                 m->field == ENR_FIELD_TITLE ? "title" : "body",
                                 m->field == ENR_FIELD_TITLE ? 5 : 4)) ||
                            (err = kv_num(b, &mf, "start", m->cp_start)) ||
                            (err = kv_num(b, &mf, "end", m->cp_end)) ||
                            (err = enr_buf_append(b, "}", 1)))
                                return err;
                }
                if ((err = enr_buf_append(b, "]}", 2)))
                        return err;
        }
        return enr_buf_append(b, "]", 1);
}

static enr_err_t write_stats(enr_buf_t *b, const enr_stats_t *s) {
        int       first = 1;
        enr_err_t err;

        if ((err = enr_buf_append(b, "{", 1)) ||
            (err = kv_num(b, &first, "characters", (double)s->characters)) ||
            (err = kv_num(b, &first, "letters", (double)s->letters)) ||
            (err = kv_num(b, &first, "words", (double)s->words)) ||
            (err =
                 kv_num(b, &first, "unique_words", (double)s->unique_words)) ||
            (err = kv_num(b, &first, "sentences", (double)s->sentences)) ||
            (err = kv_num(b, &first, "paragraphs", (double)s->paragraphs)) ||
            (err = kv_num(b, &first, "syllables", (double)s->syllables)) ||
            (err = kv_num(b, &first, "polysyllables",
                          (double)s->polysyllables)) ||
            (err = kv_stat(b, &first, "avg_sentence_length",
                           s->avg_sentence_length)) ||
            (err = kv_stat(b, &first, "avg_syllables_per_word",
                           s->avg_syllables_per_word)) ||
            (err = kv_stat(b, &first, "flesch_reading_ease",
                           s->flesch_reading_ease)) ||
            (err = kv_stat(b, &first, "flesch_kincaid_grade",
                           s->flesch_kincaid_grade)) ||
            (err = kv_stat(b, &first, "gunning_fog", s->gunning_fog)) ||
            (err = kv_stat(b, &first, "smog_index", s->smog_index)) ||
            (err = kv_stat(b, &first, "coleman_liau_index",
                           s->coleman_liau_index)) ||
            (err = kv_stat(b, &first, "automated_readability_index",
                           s->automated_readability_index)) ||
            (err = kv_stat(b, &first, "reading_time_seconds",
                           s->reading_time_seconds)) ||
            (err = kv_stat(b, &first, "lexical_density", s->lexical_density)))
                return err;
        return enr_buf_append(b, "}", 1);
}

/* The dateline place, when the names extractor marked one. */
static enr_err_t write_dateline(enr_buf_t *b, int *first,
                                const enr_record_input_t *in) {
        const enr_mentions_t *ms = in->mentions;
        size_t                i;
        enr_err_t             err;

        for (i = 0; i < ms->n; i++) {
                const enr_mention_t *m = &ms->v[i];
                const enr_text_t    *t = field_text(in, m->field);
                int                  f = 1;
                if (!(m->flags & ENR_MENTF_DATELINE))
                        continue;
                if ((err = key(b, first, "dateline")) ||
                    (err = enr_buf_append(b, "{", 1)) ||
                    (err = kv_str(b, &f, "text", t->s + m->start,
                                  m->end - m->start)))
                        return err;
                if (m->entity >= 0 && (size_t)m->entity < in->entities->n) {
                        const enr_entity_t *e  = &in->entities->v[m->entity];
                        const enr_text_t   *et = field_text(in, e->field);
                        if ((err = kv_str(b, &f, "place", et->s + e->start,
                                          e->end - e->start)))
                                return err;
                }
                if (m->code[0] &&
                    (err = kv_str(b, &f, "code", m->code, strlen(m->code))))
                        return err;
                if ((err = kv_num(b, &f, "start", m->cp_start)) ||
                    (err = kv_num(b, &f, "end", m->cp_end)))
                        return err;
                return enr_buf_append(b, "}", 1);
        }
        return ENR_OK;
}

static enr_err_t write_meta(enr_buf_t *b, const enr_record_input_t *in) {
        int       first = 1;
        enr_err_t err;

        if ((err = enr_buf_append(b, "{", 1)) ||
            (err = kv_str(b, &first, "enricher", ENR_VERSION_STR,
                          strlen(ENR_VERSION_STR))) ||
            (err = kv_str(b, &first, "extractor", in->extractor,
                          strlen(in->extractor))))
                return err;
        if (in->article->has_time) {
                char      ts[32];
                time_t    tt = (time_t)in->article->published;
                struct tm tm;
                gmtime_r(&tt, &tm);
                strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
                if ((err = kv_str(b, &first, "published_at", ts, strlen(ts))))
                        return err;
        }
        if (in->src && in->src->topic) {
                int f = 1;
                if ((err = key(b, &first, "source")) ||
                    (err = enr_buf_append(b, "{", 1)) ||
                    (err = kv_str(b, &f, "topic", in->src->topic,
                                  strlen(in->src->topic))) ||
                    (err = kv_num(b, &f, "partition", in->src->partition)) ||
                    (err = kv_num(b, &f, "offset", (double)in->src->offset)))
                        return err;
                if (in->src->timestamp >= 0 &&
                    (err = kv_num(b, &f, "timestamp",
                                  (double)in->src->timestamp)))
                        return err;
                if ((err = enr_buf_append(b, "}", 1)))
                        return err;
        }
        if (in->timestamps) {
                char            ts[96];
                struct timespec now;
                struct tm       tm;
                clock_gettime(CLOCK_REALTIME, &now);
                gmtime_r(&now.tv_sec, &tm);
                snprintf(ts, sizeof(ts), "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ",
                         tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                         tm.tm_hour, tm.tm_min, tm.tm_sec,
                         now.tv_nsec / 1000000);
                if ((err = kv_str(b, &first, "processed_at", ts, strlen(ts))))
                        return err;
        }
        return enr_buf_append(b, "}", 1);
}

enr_err_t enr_record_build(enr_buf_t *b, const enr_record_input_t *in) {
        int       first = 1;
        size_t    i;
        enr_err_t err;

        b->len = 0;
        if ((err = enr_buf_append(b, "{", 1)) ||
            (err = kv_num(b, &first, "schema", ENR_SCHEMA_VERSION)) ||
            (err = kv_str(b, &first, "id", in->article->id,
                          strlen(in->article->id))))
                return err;
        if (in->article_mode != ENR_ARTICLE_NONE &&
            ((err = key(b, &first, "article")) || (err = write_article(b, in))))
                return err;
        if ((err = write_dateline(b, &first, in)) ||
            (err = key(b, &first, "entities")) ||
            (err = write_entities(b, in)) || (err = key(b, &first, "stats")) ||
            (err = write_stats(b, in->stats)) ||
            (err = key(b, &first, "keywords")) ||
            (err = enr_buf_append(b, "[", 1)))
                return err;
        for (i = 0; i < in->nkeywords; i++) {
                int f = 1;
                if ((i && (err = enr_buf_append(b, ",", 1))) ||
                    (err = enr_buf_append(b, "{", 1)) ||
                    (err = kv_str(b, &f, "word", in->keywords[i].word,
                                  strlen(in->keywords[i].word))) ||
                    (err = kv_num(b, &f, "count", in->keywords[i].count)) ||
                    (err = enr_buf_append(b, "}", 1)))
                        return err;
        }
        if ((err = enr_buf_append(b, "]", 1)))
                return err;
        if (in->boilerplate_tok < in->body->ntoks) {
                const enr_token_t *t = &in->body->toks[in->boilerplate_tok];
                int                f = 1;
                if ((err = key(b, &first, "boilerplate")) ||
                    (err = enr_buf_append(b, "{", 1)) ||
                    (err = kv_str(b, &f, "field", "body", 4)) ||
                    (err = kv_num(b, &f, "start", t->cp_start)) ||
                    (err = kv_num(b, &f, "end", (double)in->body->ncp)) ||
                    (err = enr_buf_append(b, "}", 1)))
                        return err;
        }
        if ((err = key(b, &first, "meta")) || (err = write_meta(b, in)))
                return err;
        return enr_buf_append(b, "}", 1);
}
