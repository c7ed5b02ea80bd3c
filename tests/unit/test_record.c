/*
 * Unit tests of the record writer: JSON escaping, number formatting, and a
 * whole record built from hand-made entities, checked for layout, code-point
 * offsets and determinism.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enricher/record.h"

static const char *str_of(enr_buf_t *b, const char *s, size_t n) {
        enr_buf_reset(b);
        cr_assert_eq(enr_buf_json_string(b, s, n), ENR_OK);
        return b->p;
}

static const char *num_of(enr_buf_t *b, double v) {
        enr_buf_reset(b);
        cr_assert_eq(enr_buf_json_number(b, v), ENR_OK);
        return b->p;
}

Test(record, json_string_escapes) {
        enr_buf_t b;
        enr_buf_init(&b);
        cr_assert_str_eq(str_of(&b, "a\"b\\c", 5), "\"a\\\"b\\\\c\"");
        cr_assert_str_eq(str_of(&b, "\n\t\r\x01", 4), "\"\\n\\t\\r\\u0001\"");
        cr_assert_str_eq(str_of(&b, "Israel\xe2\x80\x99s", 10),
                         "\"Israel\xe2\x80\x99s\"");
        cr_assert_str_eq(str_of(&b, "a\0b", 3), "\"a\\u0000b\"");
        enr_buf_clear(&b);
}

Test(record, json_numbers) {
        enr_buf_t b;
        enr_buf_init(&b);
        cr_assert_str_eq(num_of(&b, 7000), "7000");
        cr_assert_str_eq(num_of(&b, 1130000000), "1130000000");
        cr_assert_str_eq(num_of(&b, 0.25), "0.25");
        cr_assert_str_eq(num_of(&b, 65.23), "65.23");
        cr_assert_str_eq(num_of(&b, -0.0), "0");
        cr_assert_str_eq(num_of(&b, 0.1 + 0.2), "0.30000000000000004");
        cr_assert_str_eq(num_of(&b, 1.0 / 0.0), "null");
        enr_buf_clear(&b);
}

/* Non-integers are written in the shortest form that reads back to the
 * same double, as Python's repr() writes them. */
Test(record, json_numbers_shortest) {
        enr_buf_t b;
        enr_buf_init(&b);
        cr_assert_str_eq(num_of(&b, 0.7), "0.7");
        cr_assert_str_eq(num_of(&b, 1700000), "1700000");
        cr_assert_str_eq(num_of(&b, 8.2e9), "8200000000");
        cr_assert_str_eq(num_of(&b, 1.15e12), "1150000000000");
        cr_assert_str_eq(num_of(&b, 44.45), "44.45");
        cr_assert_str_eq(num_of(&b, 0.027), "0.027");
        cr_assert_str_eq(num_of(&b, -2.5), "-2.5");
        /* 16 digits where 17 were written: the neighbour of 0.7, binary
         * noise as values had it, and two thirds. */
        cr_assert_str_eq(num_of(&b, nextafter(0.7, 1)), "0.7000000000000001");
        cr_assert_str_eq(num_of(&b, 4463999.999999999), "4463999.999999999");
        cr_assert_str_eq(num_of(&b, 1700000.0000000002), "1700000.0000000002");
        cr_assert_str_eq(num_of(&b, 2.0 / 3.0), "0.6666666666666666");
        cr_assert_str_eq(num_of(&b, 2e6 / 3.0), "666666.6666666666");
        /* Exponents as %g writes them; beyond 2^53 a double is an integer
         * too coarse to write digit by digit. */
        cr_assert_str_eq(num_of(&b, 1e-7), "1e-07");
        cr_assert_str_eq(num_of(&b, 0.0001), "0.0001");
        cr_assert_str_eq(num_of(&b, 1e20), "1e+20");
        cr_assert_str_eq(num_of(&b, 9007199254740994.0), "9007199254740994");
        cr_assert_str_eq(num_of(&b, 1.2345678901234568e29),
                         "1.2345678901234568e+29");
        /* Subnormals: 15 digits is not the shortest there. */
        cr_assert_str_eq(num_of(&b, 5e-324), "5e-324");
        cr_assert_str_eq(num_of(&b, 4.2653749046806e-310),
                         "4.2653749046806e-310");
        enr_buf_clear(&b);
}

/* For random doubles: the text reads back to the same double, and one
 * significant digit fewer would not. */
Test(record, json_numbers_shortest_random) {
        enr_buf_t b;
        uint64_t  x = 0x9e3779b97f4a7c15u;
        int       i;

        enr_buf_init(&b);
        for (i = 0; i < 200000; i++) {
                const char *s, *p;
                char        shorter[400]; /* %g of any double fits. */
                double      v;
                int         digits = 0, lead = 1;

                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                memcpy(&v, &x, sizeof(v));
                if (!isfinite(v) || v == floor(v))
                        continue;
                s = num_of(&b, v);
                cr_assert_eq(strtod(s, NULL), v, "%s", s);
                for (p = s; *p && *p != 'e'; p++) {
                        if (*p == '-' || *p == '.' || (lead && *p == '0'))
                                continue;
                        lead = 0;
                        digits++;
                }
                if (digits > 1) {
                        snprintf(shorter, sizeof(shorter), "%.*g", digits - 1,
                                 v);
                        cr_assert_neq(strtod(shorter, NULL), v, "%s", s);
                }
        }
        enr_buf_clear(&b);
}

/* Builds a record for "Iran’s FM met Raisi." with two entities by hand. */
Test(record, whole_record) {
        enr_lang_guess_t   lang = {"en", "Latn", 0.971};
        enr_fingerprint_t  fp;
        size_t             dup_at = 0;
        const char        *body   = "Iran\xe2\x80\x99s FM met Raisi in Doha.";
        enr_text_t         title, btext;
        enr_mentions_t     ms;
        enr_entities_t     es;
        enr_stats_t        st;
        enr_keyword_t      kw[1] = {{"iran", 1}};
        enr_article_t      art;
        enr_record_input_t in;
        enr_buf_t          out, out2;
        enr_fields_t       f;
        enr_mention_t     *m;
        json_t            *rec, *ents;
        json_error_t       jerr;
        char               e[128];

        enr_text_init(&title);
        enr_text_init(&btext);
        cr_assert_eq(enr_text_analyze(&title, "Talks", 5, 0, e, sizeof(e)),
                     ENR_OK);
        cr_assert_eq(
            enr_text_analyze(&btext, body, strlen(body), 0, e, sizeof(e)),
            ENR_OK);
        enr_mentions_init(&ms);
        enr_entities_init(&es);
        m = enr_mentions_push(&ms, ENR_FIELD_BODY, 0, 4, ENR_ENT_GPE, 0);
        memcpy(m->code, "IR", 3);
        m = enr_mentions_push(&ms, ENR_FIELD_BODY, 16, 21, ENR_ENT_PERSON, 0);
        m = enr_mentions_push(&ms, ENR_FIELD_BODY, 25, 29, ENR_ENT_GPE, 0);
        memcpy(m->code, "QA", 3);
        f.text[ENR_FIELD_TITLE] = &title;
        f.text[ENR_FIELD_BODY]  = &btext;
        cr_assert_eq(enr_entities_build(&es, &ms, &f), ENR_OK);
        cr_assert_eq(es.n, 3);

        memset(&st, 0, sizeof(st));
        st.words               = 7;
        st.flesch_reading_ease = 65.2345;
        enr_article_init(&art);
        art.root = json_loads(
            "{\"id\":\"x\",\"title\":\"Talks\",\"body\":\"…\"}", 0, &jerr);
        art.body_key = "body";
        strcpy(art.id, "x");

        memset(&in, 0, sizeof(in));
        in.article         = &art;
        in.article_mode    = ENR_ARTICLE_NO_BODY;
        in.title           = &title;
        in.body            = &btext;
        in.mentions        = &ms;
        in.entities        = &es;
        in.stats           = &st;
        in.keywords        = kw;
        in.nkeywords       = 1;
        in.boilerplate_tok = btext.ntoks;
        in.extractor       = "rules";
        in.language        = &lang;
        in.extracted       = true;
        in.languages       = "en";
        in.fingerprint     = &fp;
        in.duplicate_at    = &dup_at;
        enr_fingerprint_compute(&btext, &fp);
        enr_buf_init(&out);
        enr_buf_init(&out2);
        cr_assert_eq(enr_record_build(&out, &in), ENR_OK);
        cr_assert_eq(enr_record_build(&out2, &in), ENR_OK);
        cr_assert_str_eq(out.p, out2.p, "records differ between two builds");
        cr_assert_eq(memcmp(out.p + dup_at, "null", 4), 0);
        cr_assert_not_null(strstr(out.p, "\"language\":{\"code\":\"en\","
                                         "\"script\":\"Latn\","
                                         "\"confidence\":0.97}"),
                           "%s", out.p);

        rec = json_loads(out.p, 0, &jerr);
        cr_assert_not_null(rec, "not JSON: %s\n%s", jerr.text, out.p);
        cr_assert_eq(json_integer_value(json_object_get(rec, "schema")),
                     ENR_SCHEMA_VERSION);
        cr_assert_null(json_object_get(json_object_get(rec, "article"), "body"),
                       "no-body mode kept the body");
        ents = json_object_get(rec, "entities");
        cr_assert_eq(json_array_size(ents), 3);
        /* Raisi starts at byte 16 but code point 14 (’ is 3 bytes). */
        json_t *raisi = json_array_get(ents, 1);
        cr_assert_str_eq(json_string_value(json_object_get(raisi, "text")),
                         "Raisi");
        json_t *men = json_array_get(json_object_get(raisi, "mentions"), 0);
        cr_assert_eq(json_integer_value(json_object_get(men, "start")), 14);
        cr_assert_eq(json_integer_value(json_object_get(men, "end")), 19);
        cr_assert_str_eq(
            json_string_value(json_object_get(json_array_get(ents, 0), "code")),
            "IR");
        cr_assert_eq(json_real_value(json_object_get(
                         json_object_get(rec, "stats"), "flesch_reading_ease")),
                     65.23);
        cr_assert_null(
            json_object_get(json_object_get(rec, "meta"), "processed_at"));
        cr_assert(json_is_null(json_object_get(rec, "duplicate")));
        cr_assert_null(
            json_object_get(json_object_get(rec, "meta"), "skipped"));
        json_decref(rec);

        /* The duplicate field filled in place; the rest unchanged. */
        {
                enr_dup_t dup = {.found = 1, .exact = 0, .similarity = 0.876};
                size_t    len = out.len;
                strcpy(dup.of, "orig\"1");
                cr_assert_eq(enr_record_set_duplicate(&out, dup_at, &dup),
                             ENR_OK);
                cr_assert_not_null(
                    strstr(out.p, "\"duplicate\":{\"of\":\"orig\\\"1\","
                                  "\"similarity\":0.88,\"kind\":\"near\"},"
                                  "\"article\""),
                    "%s", out.p);
                cr_assert_eq(
                    memcmp(out.p + out.len - 10, out2.p + len - 10, 10), 0);
                rec = json_loads(out.p, 0, &jerr);
                cr_assert_not_null(rec, "not JSON: %s\n%s", jerr.text, out.p);
                json_decref(rec);
                /* No null at that offset any more: refused. */
                cr_assert_eq(enr_record_set_duplicate(&out, dup_at, &dup),
                             ENR_ERR_INVALID_ARG);
        }

        /* Another language: no English formulas, meta.skipped says why. */
        lang            = (enr_lang_guess_t){"fr", "Latn", 0.99};
        in.extracted    = false;
        in.nkeywords    = 0;
        in.duplicate_at = NULL;
        cr_assert_eq(enr_record_build(&out, &in), ENR_OK);
        rec = json_loads(out.p, 0, &jerr);
        cr_assert_not_null(rec, "not JSON: %s\n%s", jerr.text, out.p);
        json_t *stats = json_object_get(rec, "stats");
        cr_assert(json_is_null(json_object_get(stats, "flesch_reading_ease")));
        cr_assert(json_is_null(json_object_get(stats, "syllables")));
        cr_assert_eq(json_integer_value(json_object_get(stats, "words")), 7);
        json_t *sk = json_object_get(json_object_get(rec, "meta"), "skipped");
        cr_assert_str_eq(json_string_value(json_object_get(sk, "reason")),
                         "language fr is not in --languages en");
        json_decref(rec);

        /* A record over the buffer's cap fails as a whole, once, and the
         * next build (with room) starts afresh. */
        enr_buf_set_max(&out2, out.len / 2);
        cr_assert_eq(enr_record_build(&out2, &in), ENR_ERR_TOO_LARGE);
        enr_buf_set_max(&out2, 4 * out.len);
        cr_assert_eq(enr_record_build(&out2, &in), ENR_OK);
        cr_assert_eq(out2.len, out.len);
        cr_assert_eq(memcmp(out2.p, out.p, out.len), 0);

        enr_buf_clear(&out);
        enr_buf_clear(&out2);
        enr_article_clear(&art);
        enr_entities_clear(&es);
        enr_mentions_clear(&ms);
        enr_text_clear(&title);
        enr_text_clear(&btext);
}

/* Once an append passes the cap, the buffer keeps the error, ignores later
 * appends, and forgets both on reset. */
Test(record, buf_sticky_error_and_cap) {
        enr_buf_t b;

        enr_buf_init(&b);
        enr_buf_set_max(&b, 8);
        cr_assert_eq(enr_buf_append(&b, "abc", 3), ENR_OK);
        cr_assert_eq(enr_buf_append(&b, "defgh", 5), ENR_ERR_TOO_LARGE);
        cr_assert_eq(enr_buf_error(&b), ENR_ERR_TOO_LARGE);
        cr_assert_eq(enr_buf_append(&b, "x", 1), ENR_ERR_TOO_LARGE);
        cr_assert_eq(enr_buf_json_number(&b, 1), ENR_ERR_TOO_LARGE);
        cr_assert_eq(b.len, 3);
        cr_assert_str_eq(b.p, "abc");
        enr_buf_reset(&b);
        cr_assert_eq(enr_buf_error(&b), ENR_OK);
        cr_assert_eq(enr_buf_append(&b, "1234567", 7), ENR_OK);
        cr_assert_str_eq(b.p, "1234567");
        /* The escaped string's worst case must fit too. */
        enr_buf_reset(&b);
        cr_assert_eq(enr_buf_json_string(&b, "ab", 2), ENR_ERR_TOO_LARGE);
        enr_buf_clear(&b);
        cr_assert_null(b.p);
        cr_assert_eq(b.max, 8);
        enr_buf_clear(&b);
}

/* A zeroed buffer works with the default cap. */
Test(record, buf_zeroed_is_empty) {
        enr_buf_t b = {0};

        cr_assert_eq(enr_buf_str(&b, "hello"), ENR_OK);
        cr_assert_eq(enr_buf_append(&b, NULL, 0), ENR_OK);
        cr_assert_str_eq(b.p, "hello");
        cr_assert_eq(b.len, 5);
        cr_assert_geq(b.cap, 6);
        enr_buf_clear(&b);
}
