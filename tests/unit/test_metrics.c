/*
 * Tests of the metrics registry: the exact exposition text, label escaping
 * and limits, histogram buckets, concurrent updates, and the parser of
 * librdkafka's statistics JSON.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enricher/entities.h"
#include "enricher/metrics.h"

/* The lines of text that belong to metric family name (its HELP, TYPE and
 * samples, including _bucket, _sum and _count), as one string. */
static char *family(const char *text, const char *name) {
        size_t      nlen = strlen(name);
        size_t      cap  = strlen(text) + 1;
        char       *out  = calloc(1, cap);
        const char *p    = text;
        char        help[256], type[256];

        cr_assert_not_null(out);
        snprintf(help, sizeof(help), "# HELP %s ", name);
        snprintf(type, sizeof(type), "# TYPE %s ", name);
        while (*p) {
                const char *eol  = strchr(p, '\n');
                size_t      len  = eol ? (size_t)(eol - p + 1) : strlen(p);
                const char *rest = p + nlen;
                bool        mine = false;

                if (strncmp(p, help, strlen(help)) == 0 ||
                    strncmp(p, type, strlen(type)) == 0)
                        mine = true;
                else if (strncmp(p, name, nlen) == 0)
                        mine = *rest == '{' || *rest == ' ' ||
                               strncmp(rest, "_bucket{", 8) == 0 ||
                               strncmp(rest, "_sum", 4) == 0 ||
                               strncmp(rest, "_count", 6) == 0;
                if (mine)
                        strncat(out, p, len);
                p += len;
        }
        return out;
}

static char *render(enr_metrics_t *m) {
        size_t len  = 0;
        char  *text = enr_metrics_render(m, &len);

        cr_assert_not_null(text);
        cr_assert_eq(strlen(text), len);
        return text;
}

/* Removes from text, in place, the sample lines (not # lines) that keep
 * returns false for. Returns text. */
static char *filter_samples(char *text,
                            bool (*keep)(const char *line, size_t len,
                                         const void *arg),
                            const void *arg) {
        char *r = text, *w = text;

        while (*r) {
                char  *eol = strchr(r, '\n');
                size_t len = eol ? (size_t)(eol - r + 1) : strlen(r);

                if (*r == '#' || keep(r, len, arg)) {
                        memmove(w, r, len);
                        w += len;
                }
                r += len;
        }
        *w = '\0';
        return text;
}

/* Sample lines whose value is not 0. */
static bool not_zero(const char *line, size_t len, const void *arg) {
        (void)arg;
        return !(len >= 3 && !strncmp(line + len - 3, " 0\n", 3));
}

/* Unlabelled sample lines (and build_info). */
static bool unlabelled(const char *line, size_t len, const void *arg) {
        const char *brace = memchr(line, '{', len);

        (void)arg;
        return !brace || !strncmp(line, "enricher_build_info{", 20);
}

/* Sample lines holding one of the NULL-terminated strings arg. */
static bool holding(const char *line, size_t len, const void *arg) {
        for (const char *const *n = arg; *n; n++)
                if (memmem(line, len, *n, strlen(*n)))
                        return true;
        return false;
}

Test(metrics, fresh_registry_exact_text) {
        enr_metrics_t *m = enr_metrics_new();
        char          *text;
        char           expected[8192];

        cr_assert_not_null(m);
        /* The series of known labels are checked in known_labels_at_zero. */
        text = filter_samples(render(m), unlabelled, NULL);
        snprintf(
            expected, sizeof(expected),
            "# HELP enricher_build_info The enricher version and the version "
            "of its record schema.\n"
            "# TYPE enricher_build_info gauge\n"
            "enricher_build_info{version=\"%s\",schema=\"%d\"} 1\n"
            "# HELP enricher_messages_consumed_total Input messages "
            "consumed.\n"
            "# TYPE enricher_messages_consumed_total counter\n"
            "enricher_messages_consumed_total 0\n"
            "# HELP enricher_records_produced_total Enriched records "
            "acknowledged by Kafka (or written, in pipe mode).\n"
            "# TYPE enricher_records_produced_total counter\n"
            "enricher_records_produced_total 0\n"
            "# HELP enricher_dead_letters_total Inputs sent to the "
            "dead-letter destination, by reason.\n"
            "# TYPE enricher_dead_letters_total counter\n"
            "# HELP enricher_failures_total Failed deliveries and "
            "processing errors, by reason.\n"
            "# TYPE enricher_failures_total counter\n"
            "# HELP enricher_input_bytes_total Input payload bytes "
            "consumed.\n"
            "# TYPE enricher_input_bytes_total counter\n"
            "enricher_input_bytes_total 0\n"
            "# HELP enricher_output_bytes_total Enriched record bytes "
            "produced.\n"
            "# TYPE enricher_output_bytes_total counter\n"
            "enricher_output_bytes_total 0\n"
            "# HELP enricher_stage_duration_seconds Processing time of one "
            "article per stage.\n"
            "# TYPE enricher_stage_duration_seconds histogram\n"
            "# HELP enricher_entities_total Entities extracted, by type.\n"
            "# TYPE enricher_entities_total counter\n"
            "# HELP enricher_consumer_lag Consumer lag (messages) per "
            "assigned partition, from librdkafka's statistics.\n"
            "# TYPE enricher_consumer_lag gauge\n"
            "# HELP enricher_rebalances_total Consumer group rebalances.\n"
            "# TYPE enricher_rebalances_total counter\n"
            "enricher_rebalances_total 0\n"
            "# HELP enricher_producer_queue_messages Messages in the "
            "producer queue, from librdkafka's statistics.\n"
            "# TYPE enricher_producer_queue_messages gauge\n"
            "enricher_producer_queue_messages 0\n"
            "# HELP enricher_inflight_messages Inputs consumed whose "
            "outputs are not yet acknowledged.\n"
            "# TYPE enricher_inflight_messages gauge\n"
            "enricher_inflight_messages 0\n"
            "# HELP enricher_offsets_committed_total Offset commits that "
            "succeeded.\n"
            "# TYPE enricher_offsets_committed_total counter\n"
            "enricher_offsets_committed_total 0\n"
            "# HELP enricher_transactions_total Transactions committed or "
            "aborted.\n"
            "# TYPE enricher_transactions_total counter\n"
            "# HELP enricher_entity_mentions_retyped_total Name mentions "
            "whose type the document-level resolution changed (one name, "
            "one type per article).\n"
            "# TYPE enricher_entity_mentions_retyped_total counter\n"
            "enricher_entity_mentions_retyped_total 0\n"
            "# HELP enricher_articles_by_language_total Articles by the "
            "language identified (ISO 639-1, else 639-3; und: no letters), "
            "refused ones too.\n"
            "# TYPE enricher_articles_by_language_total counter\n"
            "# HELP enricher_duplicates_total Articles marked as copies of "
            "an earlier one (exact, near).\n"
            "# TYPE enricher_duplicates_total counter\n"
            "# HELP enricher_dedup_index_fingerprints Fingerprints in the "
            "duplicate index.\n"
            "# TYPE enricher_dedup_index_fingerprints gauge\n"
            "enricher_dedup_index_fingerprints 0\n"
            "# HELP enricher_dedup_index_bytes Memory the duplicate index "
            "holds.\n"
            "# TYPE enricher_dedup_index_bytes gauge\n"
            "enricher_dedup_index_bytes 0\n"
            "# HELP enricher_geo_places_total Place entities (GPE, LOC, FAC, "
            "NORP) given a GeoNames place (resolved) or none (unresolved).\n"
            "# TYPE enricher_geo_places_total counter\n"
            "# HELP enricher_quotes_total Direct quotations found, by speaker "
            "kind (person, org, nominal, none).\n"
            "# TYPE enricher_quotes_total counter\n",
            ENR_VERSION_STR, ENR_SCHEMA_VERSION);
        cr_assert_str_eq(text, expected);
        free(text);
        enr_metrics_destroy(m);
}

Test(metrics, small_registry_exact_text) {
        enr_metrics_t *m = enr_metrics_new();
        char          *text, *f;

        enr_metrics_add(m, ENR_M_CONSUMED, NULL, 3);
        enr_metrics_add(m, ENR_M_CONSUMED, NULL, 2);
        enr_metrics_add(m, ENR_M_BYTES_IN, NULL, 12345678901.0);
        enr_metrics_set(m, ENR_M_INFLIGHT, NULL, 7);
        enr_metrics_add(m, ENR_M_INFLIGHT, NULL, -2);
        /* Labels come out sorted whatever the order of first use. */
        enr_metrics_add(m, ENR_M_ENTITIES, "PERSON", 4);
        enr_metrics_add(m, ENR_M_ENTITIES, "GPE", 1);
        enr_metrics_add(m, ENR_M_ENTITIES, "ORG", 2.5);
        enr_metrics_add(m, ENR_M_ENTITIES, "GPE", 1);
        enr_metrics_touch(m, ENR_M_DEAD_LETTERED, "custom_reason");
        text = render(m);

        f = family(text, "enricher_messages_consumed_total");
        cr_assert_str_eq(f, "# HELP enricher_messages_consumed_total Input "
                            "messages consumed.\n"
                            "# TYPE enricher_messages_consumed_total "
                            "counter\n"
                            "enricher_messages_consumed_total 5\n");
        free(f);
        f = family(text, "enricher_input_bytes_total");
        cr_assert(strstr(f, "\nenricher_input_bytes_total 12345678901\n"), "%s",
                  f);
        free(f);
        f = family(text, "enricher_inflight_messages");
        cr_assert(strstr(f, "\nenricher_inflight_messages 5\n"), "%s", f);
        free(f);
        f = filter_samples(family(text, "enricher_entities_total"), not_zero,
                           NULL);
        cr_assert_str_eq(f, "# HELP enricher_entities_total Entities "
                            "extracted, by type.\n"
                            "# TYPE enricher_entities_total counter\n"
                            "enricher_entities_total{type=\"GPE\"} 2\n"
                            "enricher_entities_total{type=\"ORG\"} 2.5\n"
                            "enricher_entities_total{type=\"PERSON\"} 4\n");
        free(f);
        f = family(text, "enricher_dead_letters_total");
        cr_assert(strstr(f, "\nenricher_dead_letters_total{reason="
                            "\"custom_reason\"} 0\n"),
                  "%s", f);
        free(f);
        free(text);
        enr_metrics_destroy(m);
}

Test(metrics, counters_ignore_wrong_calls) {
        enr_metrics_t *m = enr_metrics_new();
        char          *text, *f;

        enr_metrics_add(m, ENR_M_PRODUCED, NULL, 1);
        enr_metrics_add(m, ENR_M_PRODUCED, NULL, -5); /* Counters go up. */
        enr_metrics_add(m, ENR_M_PRODUCED, NULL, NAN);
        enr_metrics_set(m, ENR_M_PRODUCED, NULL, 100);   /* Not a gauge. */
        enr_metrics_observe(m, ENR_M_PRODUCED, NULL, 1); /* Not histogram. */
        enr_metrics_add(m, ENR_M_STAGE_SECONDS, "parse", 1);
        enr_metrics_add(m, ENR_M__COUNT, NULL, 1);
        enr_metrics_add(NULL, ENR_M_PRODUCED, NULL, 1);
        text = render(m);
        f    = family(text, "enricher_records_produced_total");
        cr_assert(strstr(f, "\nenricher_records_produced_total 1\n"), "%s", f);
        free(f);
        f = family(text, "enricher_stage_duration_seconds");
        cr_assert(strstr(f, "\nenricher_stage_duration_seconds_sum{stage="
                            "\"parse\"} 0\n"),
                  "%s", f);
        cr_assert(strstr(f, "\nenricher_stage_duration_seconds_count{stage="
                            "\"parse\"} 0\n"),
                  "%s", f);
        free(f);
        free(text);
        cr_assert_null(enr_metrics_render(NULL, NULL));
        cr_assert_str_eq(enr_metrics_name(ENR_M_CONSUMED),
                         "enricher_messages_consumed_total");
        cr_assert_null(enr_metrics_name(ENR_M__COUNT));
        enr_metrics_destroy(m);
        enr_metrics_destroy(NULL);
}

Test(metrics, label_escaping) {
        enr_metrics_t *m = enr_metrics_new();
        char          *text, *f;

        enr_metrics_add(m, ENR_M_FAILED, "a\"b\\c\nd", 1);
        enr_metrics_add(m, ENR_M_FAILED, NULL, 1);
        enr_metrics_add(m, ENR_M_FAILED, "", 1);
        enr_metrics_add(m, ENR_M_FAILED, "caf\xc3\xa9 {x=1}", 1);
        text = render(m);
        f    = filter_samples(family(text, "enricher_failures_total"), not_zero,
                              NULL);
        cr_assert_str_eq(f, "# HELP enricher_failures_total Failed "
                            "deliveries and processing errors, by reason.\n"
                            "# TYPE enricher_failures_total counter\n"
                            "enricher_failures_total{reason=\"\"} 1\n"
                            "enricher_failures_total{reason=\"a\\\"b\\\\c"
                            "\\nd\"} 1\n"
                            "enricher_failures_total{reason=\"caf\xc3\xa9 "
                            "{x=1}\"} 1\n"
                            "enricher_failures_total{reason=\"unknown\"} "
                            "1\n");
        free(f);
        free(text);
        enr_metrics_destroy(m);
}

/* Counts the sample lines of family f (its lines not starting with #). */
static int samples(const char *f) {
        int n = 0;

        for (const char *p = f; *p; p = strchr(p, '\n') + 1) {
                n += *p != '#';
                if (!strchr(p, '\n'))
                        break;
        }
        return n;
}

/* Asserts that text holds the line "<name>{<label>="<value>"} 0". */
static void expect_zero(const char *text, const char *name, const char *label,
                        const char *value) {
        char want[256];

        snprintf(want, sizeof(want), "\n%s{%s=\"%s\"} 0\n", name, label, value);
        cr_assert(strstr(text, want), "no %s", want + 1);
}

Test(metrics, known_labels_at_zero) {
        enr_metrics_t *m = enr_metrics_new();
        char          *text, *f;
        char           want[256];
        int            i;

        text = render(m);
        /* Every reason but "ok", for dead letters and for failures. */
        for (i = ENR_OK + 1; i < ENR_ERR__COUNT; i++) {
                expect_zero(text, "enricher_dead_letters_total", "reason",
                            enr_err_name((enr_err_t)i));
                expect_zero(text, "enricher_failures_total", "reason",
                            enr_err_name((enr_err_t)i));
        }
        f = family(text, "enricher_dead_letters_total");
        cr_assert_eq(samples(f), ENR_ERR__COUNT - 1, "%s", f);
        cr_assert_null(strstr(f, "reason=\"ok\""), "%s", f);
        cr_assert_null(strstr(f, "reason=\"other\""), "%s", f);
        free(f);
        /* Every entity type; every stage, with all its buckets. */
        for (i = 0; i < ENR_ENT__COUNT; i++)
                expect_zero(text, "enricher_entities_total", "type",
                            enr_ent_type_name((enr_ent_type_t)i));
        f = family(text, "enricher_stage_duration_seconds");
        for (i = 0; i < ENR_STAGE__COUNT; i++) {
                const char *st = enr_stage_name((enr_stage_t)i);

                expect_zero(text, "enricher_stage_duration_seconds_count",
                            "stage", st);
                snprintf(want, sizeof(want),
                         "\nenricher_stage_duration_seconds_bucket{stage="
                         "\"%s\",le=\"+Inf\"} 0\n",
                         st);
                cr_assert(strstr(f, want), "no %s", want + 1);
        }
        /* 17 bounds + Inf, _sum and _count per stage. */
        cr_assert_eq(samples(f), ENR_STAGE__COUNT * 20, "%s", f);
        free(f);
        expect_zero(text, "enricher_transactions_total", "result", "aborted");
        expect_zero(text, "enricher_transactions_total", "result", "committed");
        /* Unbounded label sets are not made up: no lag series. */
        f = family(text, "enricher_consumer_lag");
        cr_assert_eq(samples(f), 0, "%s", f);
        free(f);
        free(text);

        /* The first event moves its series; the others stay at zero. */
        enr_metrics_add(m, ENR_M_DEAD_LETTERED, "too_large", 1);
        text = render(m);
        cr_assert(strstr(text, "\nenricher_dead_letters_total{reason="
                               "\"too_large\"} 1\n"));
        expect_zero(text, "enricher_dead_letters_total", "reason",
                    enr_err_name(ENR_ERR_PARSE));
        expect_zero(text, "enricher_failures_total", "reason", "too_large");
        free(text);
        enr_metrics_destroy(m);
}

/* Joins lines, each followed by a newline, into one malloc'd string. */
static char *join_lines(const char *const *lines, size_t n) {
        size_t len = 1;
        char  *out;

        for (size_t i = 0; i < n; i++)
                len += strlen(lines[i]) + 1;
        out = calloc(1, len);
        cr_assert_not_null(out);
        for (size_t i = 0; i < n; i++) {
                strcat(out, lines[i]);
                strcat(out, "\n");
        }
        return out;
}

Test(metrics, histogram_buckets_cumulative) {
        static const char *const lines[] = {
            "# HELP enricher_stage_duration_seconds Processing time of one "
            "article per stage.",
            "# TYPE enricher_stage_duration_seconds histogram",
            "enricher_stage_duration_seconds_bucket{stage=\"names\",le=\"5e-"
            "06\"} 2",
            "enricher_stage_duration_seconds_bucket{stage=\"names\",le=\"1e-"
            "05\"} 3",
            "enricher_stage_duration_seconds_bucket{stage=\"names\",le=\"2.5e-"
            "05\"} 3",
            "enricher_stage_duration_seconds_bucket{stage=\"names\",le=\"5e-"
            "05\"} 3",
            "enricher_stage_duration_seconds_bucket{stage=\"names\",le=\"0."
            "0001\"} 3",
            "enricher_stage_duration_seconds_bucket{stage=\"names\",le=\"0."
            "00025\"} 3",
            "enricher_stage_duration_seconds_bucket{stage=\"names\",le=\"0."
            "0005\"} 3",
            "enricher_stage_duration_seconds_bucket{stage=\"names\",le=\"0."
            "001\"} 3",
            "enricher_stage_duration_seconds_bucket{stage=\"names\",le=\"0."
            "0025\"} 3",
            "enricher_stage_duration_seconds_bucket{stage=\"names\",le=\"0."
            "005\"} 4",
            "enricher_stage_duration_seconds_bucket{stage=\"names\",le=\"0."
            "01\"} 4",
            "enricher_stage_duration_seconds_bucket{stage=\"names\",le=\"0."
            "025\"} 4",
            "enricher_stage_duration_seconds_bucket{stage=\"names\",le=\"0."
            "05\"} 4",
            "enricher_stage_duration_seconds_bucket{stage=\"names\",le=\"0.1\"}"
            " 4",
            "enricher_stage_duration_seconds_bucket{stage=\"names\",le=\"0."
            "25\"} 5",
            "enricher_stage_duration_seconds_bucket{stage=\"names\",le=\"0.5\"}"
            " 5",
            "enricher_stage_duration_seconds_bucket{stage=\"names\",le=\"1\"} "
            "5",
            "enricher_stage_duration_seconds_bucket{stage=\"names\",le=\"+"
            "Inf\"} 6",
            "enricher_stage_duration_seconds_sum{stage=\"names\"} 2.253011",
            "enricher_stage_duration_seconds_count{stage=\"names\"} 6",
            "enricher_stage_duration_seconds_bucket{stage=\"parse\",le=\"5e-"
            "06\"} 0",
            "enricher_stage_duration_seconds_bucket{stage=\"parse\",le=\"1e-"
            "05\"} 0",
            "enricher_stage_duration_seconds_bucket{stage=\"parse\",le=\"2.5e-"
            "05\"} 0",
            "enricher_stage_duration_seconds_bucket{stage=\"parse\",le=\"5e-"
            "05\"} 0",
            "enricher_stage_duration_seconds_bucket{stage=\"parse\",le=\"0."
            "0001\"} 0",
            "enricher_stage_duration_seconds_bucket{stage=\"parse\",le=\"0."
            "00025\"} 0",
            "enricher_stage_duration_seconds_bucket{stage=\"parse\",le=\"0."
            "0005\"} 0",
            "enricher_stage_duration_seconds_bucket{stage=\"parse\",le=\"0."
            "001\"} 0",
            "enricher_stage_duration_seconds_bucket{stage=\"parse\",le=\"0."
            "0025\"} 0",
            "enricher_stage_duration_seconds_bucket{stage=\"parse\",le=\"0."
            "005\"} 0",
            "enricher_stage_duration_seconds_bucket{stage=\"parse\",le=\"0."
            "01\"} 0",
            "enricher_stage_duration_seconds_bucket{stage=\"parse\",le=\"0."
            "025\"} 0",
            "enricher_stage_duration_seconds_bucket{stage=\"parse\",le=\"0."
            "05\"} 0",
            "enricher_stage_duration_seconds_bucket{stage=\"parse\",le=\"0.1\"}"
            " 0",
            "enricher_stage_duration_seconds_bucket{stage=\"parse\",le=\"0."
            "25\"} 0",
            "enricher_stage_duration_seconds_bucket{stage=\"parse\",le=\"0.5\"}"
            " 1",
            "enricher_stage_duration_seconds_bucket{stage=\"parse\",le=\"1\"} "
            "1",
            "enricher_stage_duration_seconds_bucket{stage=\"parse\",le=\"+"
            "Inf\"} 1",
            "enricher_stage_duration_seconds_sum{stage=\"parse\"} 0.5",
            "enricher_stage_duration_seconds_count{stage=\"parse\"} 1",
        };
        enr_metrics_t *m = enr_metrics_new();
        char          *text, *f, *expected;

        /* Bucket bounds are inclusive (le); NaN and infinities are ignored,
         * a negative duration counts as 0. */
        enr_metrics_observe(m, ENR_M_STAGE_SECONDS, "names", 0.000001);
        enr_metrics_observe(m, ENR_M_STAGE_SECONDS, "names", 0.00001);
        enr_metrics_observe(m, ENR_M_STAGE_SECONDS, "names", 0.003);
        enr_metrics_observe(m, ENR_M_STAGE_SECONDS, "names", 0.25);
        enr_metrics_observe(m, ENR_M_STAGE_SECONDS, "names", 2.0);
        enr_metrics_observe(m, ENR_M_STAGE_SECONDS, "names", NAN);
        enr_metrics_observe(m, ENR_M_STAGE_SECONDS, "names", INFINITY);
        enr_metrics_observe(m, ENR_M_STAGE_SECONDS, "names", -0.5);
        enr_metrics_observe(m, ENR_M_STAGE_SECONDS, "parse", 0.5);
        static const char *const observed[] = {"stage=\"names\"",
                                               "stage=\"parse\"", NULL};

        text = render(m);
        /* The other stages are at zero (known_labels_at_zero). */
        f = filter_samples(family(text, "enricher_stage_duration_seconds"),
                           holding, observed);
        expected = join_lines(lines, sizeof(lines) / sizeof(lines[0]));
        cr_assert_str_eq(f, expected);
        free(expected);
        free(f);
        free(text);
        enr_metrics_destroy(m);
}

Test(metrics, histogram_sum_is_exact_enough) {
        enr_metrics_t *m = enr_metrics_new();
        char          *text, *f, *sum;
        double         v;

        for (int i = 0; i < 1000; i++)
                enr_metrics_observe(m, ENR_M_STAGE_SECONDS, "stats", 0.001);
        text = render(m);
        f    = family(text, "enricher_stage_duration_seconds");
        sum  = strstr(f, "_sum{stage=\"stats\"} ");
        cr_assert_not_null(sum);
        v = strtod(strchr(sum, '}') + 2, NULL);
        cr_assert_float_eq(v, 1.0, 1e-9);
        cr_assert(strstr(f, "_count{stage=\"stats\"} 1000\n"));
        cr_assert(strstr(f, "{stage=\"stats\",le=\"0.001\"} 1000\n"));
        cr_assert(strstr(f, "{stage=\"stats\",le=\"0.0005\"} 0\n"));
        free(f);
        free(text);
        enr_metrics_destroy(m);
}

Test(metrics, label_limit_goes_to_other) {
        enr_metrics_t *m = enr_metrics_new();
        char           label[64], long_label[ENR_METRICS_MAX_LABEL_LEN + 2];
        char          *text, *f, *p;
        int            lines = 0, known = ENR_ERR__COUNT - 1;

        for (int i = 0; i < ENR_METRICS_MAX_LABELS + 10; i++) {
                snprintf(label, sizeof(label), "r%04d", i);
                enr_metrics_add(m, ENR_M_DEAD_LETTERED, label, 1);
        }
        /* Values already kept still count as themselves. */
        enr_metrics_add(m, ENR_M_DEAD_LETTERED, "r0000", 1);
        memset(long_label, 'x', sizeof(long_label) - 1);
        long_label[sizeof(long_label) - 1] = '\0';
        enr_metrics_add(m, ENR_M_DEAD_LETTERED, long_label, 1);
        text = render(m);
        f    = family(text, "enricher_dead_letters_total");
        for (p = f; (p = strstr(p, "\nenricher_dead_letters_total{")); p++)
                lines++;
        cr_assert_eq(lines, ENR_METRICS_MAX_LABELS + 1);
        /* The known reasons (every enr_err_t but ok) hold their places
         * from the start: r0000 .. r(limit - known - 1) get the rest. */
        cr_assert(strstr(f, "{reason=\"r0000\"} 2\n"));
        snprintf(label, sizeof(label), "{reason=\"r%04d\"} 1\n",
                 ENR_METRICS_MAX_LABELS - known - 1);
        cr_assert(strstr(f, label), "%s", label);
        snprintf(label, sizeof(label), "r%04d", ENR_METRICS_MAX_LABELS - known);
        cr_assert_null(strstr(f, label), "%s", label);
        /* "other" comes last, after the sorted values: the 10 + known
         * values over the limit, and the long one. */
        snprintf(label, sizeof(label),
                 "enricher_dead_letters_total{reason=\"other\"} %d\n",
                 10 + known + 1);
        p = strstr(f, label);
        cr_assert_not_null(p, "%s", f);
        cr_assert_eq(p[strlen(p) - 1], '\n');
        cr_assert_eq(strchr(p, '\n')[1], '\0');
        free(f);
        free(text);
        enr_metrics_destroy(m);
}

Test(metrics, number_formatting) {
        enr_metrics_t *m = enr_metrics_new();
        char          *text;

        enr_metrics_set(m, ENR_M_PRODUCER_QUEUE, NULL, 0.1);
        text = render(m);
        cr_assert(strstr(text, "\nenricher_producer_queue_messages 0.1\n"));
        free(text);
        enr_metrics_set(m, ENR_M_PRODUCER_QUEUE, NULL, 1.0 / 3.0);
        text = render(m);
        cr_assert(strstr(text, "\nenricher_producer_queue_messages "
                               "0.33333333333333331\n"),
                  "%s", text);
        free(text);
        enr_metrics_set(m, ENR_M_PRODUCER_QUEUE, NULL, -INFINITY);
        text = render(m);
        cr_assert(strstr(text, "\nenricher_producer_queue_messages -Inf\n"));
        free(text);
        enr_metrics_set(m, ENR_M_PRODUCER_QUEUE, NULL, 1e300);
        text = render(m);
        cr_assert(strstr(text, "\nenricher_producer_queue_messages 1e+300\n"));
        free(text);
        enr_metrics_destroy(m);
}

/* --- Concurrency. ------------------------------------------------------- */

#define THREADS 4
#define ROUNDS  20000

static const char *const types[] = {"PERSON", "ORG",   "GPE",  "LOC",
                                    "DATE",   "MONEY", "NORP", "CARDINAL"};

static void *hammer(void *arg) {
        enr_metrics_t *m = arg;

        for (int i = 0; i < ROUNDS; i++) {
                char reason[32];

                enr_metrics_add(m, ENR_M_CONSUMED, NULL, 1);
                enr_metrics_add(m, ENR_M_BYTES_IN, NULL, 0.5);
                enr_metrics_add(m, ENR_M_ENTITIES, types[i % 8], 1);
                enr_metrics_observe(m, ENR_M_STAGE_SECONDS, types[i % 3],
                                    0.001);
                snprintf(reason, sizeof(reason), "reason%d", i % 300);
                enr_metrics_add(m, ENR_M_FAILED, reason, 1);
        }
        return NULL;
}

static void *scrape(void *arg) {
        enr_metrics_t *m = arg;

        for (int i = 0; i < 50; i++) {
                char *text = enr_metrics_render(m, NULL);
                cr_assert_not_null(text);
                free(text);
        }
        return NULL;
}

Test(metrics, concurrent_updates_are_not_lost) {
        enr_metrics_t *m = enr_metrics_new();
        pthread_t      th[THREADS + 1];
        char          *text, *f, *p;
        char           want[128];
        double         total = 0;

        for (int i = 0; i < THREADS; i++)
                cr_assert_eq(pthread_create(&th[i], NULL, hammer, m), 0);
        cr_assert_eq(pthread_create(&th[THREADS], NULL, scrape, m), 0);
        for (int i = 0; i <= THREADS; i++)
                pthread_join(th[i], NULL);
        text = render(m);
        snprintf(want, sizeof(want), "\nenricher_messages_consumed_total %d\n",
                 THREADS * ROUNDS);
        cr_assert(strstr(text, want), "%s", want);
        snprintf(want, sizeof(want), "\nenricher_input_bytes_total %d\n",
                 THREADS * ROUNDS / 2);
        cr_assert(strstr(text, want), "%s", want);
        snprintf(want, sizeof(want),
                 "\nenricher_entities_total{type=\"PERSON\"} %d\n",
                 THREADS * ROUNDS / 8);
        cr_assert(strstr(text, want), "%s", want);
        /* 300 reasons: 256 kept, the rest counted as "other". */
        f = family(text, "enricher_failures_total");
        for (p = f; (p = strstr(p, "} ")); p += 2)
                total += strtod(p + 2, NULL);
        cr_assert_float_eq(total, THREADS * ROUNDS, 0.5);
        cr_assert(strstr(f, "{reason=\"other\"} "));
        free(f);
        snprintf(want, sizeof(want),
                 "enricher_stage_duration_seconds_count{stage=\"GPE\"} %d\n",
                 THREADS * (ROUNDS / 3 + (ROUNDS % 3 > 2)));
        cr_assert(strstr(text, want), "%s", want);
        free(text);
        enr_metrics_destroy(m);
}

/* --- librdkafka statistics. --------------------------------------------- */

/* An abridged consumer statistics document as librdkafka 2.0 emits it. */
static const char consumer_stats[] =
    "{\"name\":\"rdkafka#consumer-1\",\"client_id\":\"enricher\","
    "\"type\":\"consumer\",\"ts\":123,\"time\":1700000000,\"replyq\":0,"
    "\"msg_cnt\":0,\"msg_size\":0,\"brokers\":{},"
    "\"topics\":{"
    "\"articles\":{\"topic\":\"articles\",\"age\":1000,\"metadata_age\":900,"
    "\"partitions\":{"
    "\"0\":{\"partition\":0,\"broker\":1,\"leader\":1,\"desired\":true,"
    "\"fetch_state\":\"active\",\"committed_offset\":40,"
    "\"hi_offset\":52,\"consumer_lag\":12,\"consumer_lag_stored\":10},"
    "\"1\":{\"partition\":1,\"consumer_lag\":0},"
    "\"2\":{\"partition\":2,\"fetch_state\":\"none\",\"consumer_lag\":-1},"
    "\"-1\":{\"partition\":-1,\"consumer_lag\":-1}}},"
    "\"more\":{\"topic\":\"more\",\"partitions\":{"
    "\"7\":{\"partition\":7,\"consumer_lag\":3000000000}}}},"
    "\"cgrp\":{\"state\":\"up\",\"rebalance_cnt\":2}}";

Test(metrics, consumer_stats_set_lag) {
        enr_metrics_t *m = enr_metrics_new();
        char          *text, *f;

        enr_metrics_set(m, ENR_M_PRODUCER_QUEUE, NULL, 42);
        cr_assert_eq(enr_metrics_from_kafka_stats(m, consumer_stats,
                                                  strlen(consumer_stats)),
                     ENR_OK);
        text = render(m);
        f    = family(text, "enricher_consumer_lag");
        cr_assert_str_eq(
            f, "# HELP enricher_consumer_lag Consumer lag (messages) per "
               "assigned partition, from librdkafka's statistics.\n"
               "# TYPE enricher_consumer_lag gauge\n"
               "enricher_consumer_lag{topic=\"articles\",partition=\"0\"} "
               "12\n"
               "enricher_consumer_lag{topic=\"articles\",partition=\"1\"} "
               "0\n"
               "enricher_consumer_lag{topic=\"more\",partition=\"7\"} "
               "3000000000\n");
        free(f);
        /* A consumer's msg_cnt is not the producer queue. */
        cr_assert(strstr(text, "\nenricher_producer_queue_messages 42\n"));
        free(text);
        enr_metrics_destroy(m);
}

Test(metrics, revoked_partitions_are_hidden) {
        static const char later[] =
            "{\"type\":\"consumer\",\"topics\":{\"articles\":{"
            "\"partitions\":{\"1\":{\"consumer_lag\":5},"
            "\"0\":{\"consumer_lag\":-1}}}}}";
        static const char none[] = "{\"type\":\"consumer\",\"topics\":{}}";
        enr_metrics_t    *m      = enr_metrics_new();
        char             *text, *f;

        cr_assert_eq(enr_metrics_from_kafka_stats(m, consumer_stats,
                                                  strlen(consumer_stats)),
                     ENR_OK);
        cr_assert_eq(enr_metrics_from_kafka_stats(m, later, strlen(later)),
                     ENR_OK);
        text = render(m);
        f    = family(text, "enricher_consumer_lag");
        cr_assert_str_eq(
            f, "# HELP enricher_consumer_lag Consumer lag (messages) per "
               "assigned partition, from librdkafka's statistics.\n"
               "# TYPE enricher_consumer_lag gauge\n"
               "enricher_consumer_lag{topic=\"articles\",partition=\"1\"} "
               "5\n");
        free(f);
        free(text);
        /* A partition that comes back shows again. */
        cr_assert_eq(enr_metrics_from_kafka_stats(m, consumer_stats,
                                                  strlen(consumer_stats)),
                     ENR_OK);
        text = render(m);
        cr_assert(strstr(text, "{topic=\"more\",partition=\"7\"} 3000000000"));
        free(text);
        cr_assert_eq(enr_metrics_from_kafka_stats(m, none, strlen(none)),
                     ENR_OK);
        text = render(m);
        cr_assert_null(strstr(text, "enricher_consumer_lag{"));
        free(text);
        enr_metrics_destroy(m);
}

Test(metrics, producer_stats_set_queue) {
        static const char prod[] =
            "{\"type\":\"producer\",\"msg_cnt\":17,\"msg_size\":9000,"
            "\"topics\":{\"out\":{\"partitions\":{\"0\":{"
            "\"consumer_lag\":-1,\"msgq_cnt\":17}}}}}";
        enr_metrics_t *m = enr_metrics_new();
        char          *text;

        cr_assert_eq(enr_metrics_from_kafka_stats(m, consumer_stats,
                                                  strlen(consumer_stats)),
                     ENR_OK);
        /* Not terminated: only len bytes count. */
        cr_assert_eq(enr_metrics_from_kafka_stats(m, prod, strlen(prod)),
                     ENR_OK);
        text = render(m);
        cr_assert(strstr(text, "\nenricher_producer_queue_messages 17\n"));
        /* The producer's statistics leave the consumer's lag alone. */
        cr_assert(strstr(text, "{topic=\"articles\",partition=\"0\"} 12\n"));
        free(text);
        enr_metrics_destroy(m);
}

Test(metrics, stats_errors) {
        static const char trunc[] = "{\"type\":\"producer\",\"msg_cnt\":9}";
        static const char arr[]   = "{\"type\":\"consumer\",\"topics\":[]}";
        static const char odd[] =
            "{\"type\":\"consumer\",\"topics\":{\"t\":{\"partitions\":"
            "{\"0\":{\"consumer_lag\":\"x\"}}},\"u\":7}}";
        enr_metrics_t *m = enr_metrics_new();
        char          *text;

        cr_assert_eq(enr_metrics_from_kafka_stats(m, "{", 1), ENR_ERR_PARSE);
        cr_assert_eq(enr_metrics_from_kafka_stats(m, "[1,2]", 5),
                     ENR_ERR_PARSE);
        cr_assert_eq(enr_metrics_from_kafka_stats(m, "", 0), ENR_ERR_PARSE);
        cr_assert_eq(enr_metrics_from_kafka_stats(m, arr, strlen(arr)),
                     ENR_ERR_PARSE);
        cr_assert_eq(enr_metrics_from_kafka_stats(NULL, "{}", 2),
                     ENR_ERR_INVALID_ARG);
        /* Odd but valid documents change nothing and are not errors. */
        cr_assert_eq(enr_metrics_from_kafka_stats(m, odd, strlen(odd)), ENR_OK);
        cr_assert_eq(enr_metrics_from_kafka_stats(m, "{}", 2), ENR_OK);
        /* A length shorter than the text cuts it: a parse error. */
        cr_assert_eq(enr_metrics_from_kafka_stats(m, trunc, sizeof(trunc) - 3),
                     ENR_ERR_PARSE);
        text = render(m);
        cr_assert(strstr(text, "\nenricher_producer_queue_messages 0\n"));
        cr_assert_null(strstr(text, "enricher_consumer_lag{"));
        free(text);
        enr_metrics_destroy(m);
}

Test(metrics, observe_result_counts_entities_and_retyped_mentions) {
        enr_metrics_t *m = enr_metrics_new();
        enr_result_t   res;
        char          *text, *f;

        memset(&res, 0, sizeof(res));
        res.entities_by_type[ENR_ENT_ORG] = 2;
        res.retyped                       = 3;
        enr_metrics_observe_result(m, &res);
        enr_metrics_observe_result(m, &res);
        text = render(m);
        f    = family(text, "enricher_entity_mentions_retyped_total");
        cr_assert(strstr(f, "\nenricher_entity_mentions_retyped_total 6\n"),
                  "%s", f);
        free(f);
        f = family(text, "enricher_entities_total");
        cr_assert(strstr(f, "\nenricher_entities_total{type=\"ORG\"} 4\n"),
                  "%s", f);
        free(f);
        free(text);
        enr_metrics_destroy(m);
}
