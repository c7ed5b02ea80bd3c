/*
 * Metrics: the registry of every counter, gauge and histogram the worker
 * exports, updated from any thread without locks and rendered in the
 * Prometheus text exposition format 0.0.4 for GET /metrics. The series of
 * label values known in advance (known_labels[]) exist at zero from the
 * start.
 *
 * Each metric is a family of series. An unlabelled metric has one series;
 * a labelled one has an insert-only open-addressing hash table of series,
 * keyed by the label value. A series is allocated on its label's first use
 * and published with one compare-and-swap, so updates never take a lock and
 * readers (the scrape) see either no series or a complete one. At most
 * ENR_METRICS_MAX_LABELS values are kept per metric; later values go to the
 * series "other", which exists from the start. Values are doubles stored as
 * their bits in 64-bit atomics (C11 has no atomic add on doubles, so adds
 * are compare-and-swap loops); histogram buckets are plain atomic counts.
 *
 * The output is deterministic: families in enum order, series sorted by
 * label value with "other" last, histogram buckets cumulative with +Inf,
 * then _sum and _count.
 */
#include "enricher/metrics.h"
#include "enricher/quotes.h"

#include <math.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

/* Hash table slots per labelled metric: a power of two, twice the label
 * limit, so probing always finds a free slot and stays short. */
#define SLOTS (2 * ENR_METRICS_MAX_LABELS)

/* The largest statistics JSON we parse; librdkafka's are kilobytes to a
 * few megabytes for thousands of partitions. */
#define MAX_STATS_BYTES ((size_t)64 << 20)

/* The label value of the overflow series. */
#define OTHER "other"

typedef enum kind { K_COUNTER, K_GAUGE, K_HISTOGRAM } kind_t;

/* The upper bounds of the stage histogram's buckets (seconds): one article
 * takes microseconds per stage, a large one tens of milliseconds. */
static const double stage_bounds[] = {
    0.000005, 0.00001, 0.000025, 0.00005, 0.0001, 0.00025,
    0.0005,   0.001,   0.0025,   0.005,   0.01,   0.025,
    0.05,     0.1,     0.25,     0.5,     1.0};
#define STAGE_NBOUNDS (sizeof(stage_bounds) / sizeof(stage_bounds[0]))

/* The static description of one metric. */
typedef struct desc {
        const char *name;
        kind_t      kind;
        const char *label;    /* Label name, or NULL: unlabelled. */
        const char *label2;   /* Second label: the label value is split
                                 at its last '/' into label and label2. */
        const double *bounds; /* Histogram bucket upper bounds. */
        size_t        nbounds;
        const char   *help;
} desc_t;

static const desc_t descs[ENR_M__COUNT] = {
    [ENR_M_CONSUMED] = {"enricher_messages_consumed_total", K_COUNTER, NULL,
                        NULL, NULL, 0, "Input messages consumed."},
    [ENR_M_PRODUCED] = {"enricher_records_produced_total", K_COUNTER, NULL,
                        NULL, NULL, 0,
                        "Enriched records acknowledged by Kafka (or "
                        "written, in pipe mode)."},
    [ENR_M_DEAD_LETTERED] = {"enricher_dead_letters_total", K_COUNTER, "reason",
                             NULL, NULL, 0,
                             "Inputs sent to the dead-letter destination, "
                             "by reason."},
    [ENR_M_FAILED]    = {"enricher_failures_total", K_COUNTER, "reason", NULL,
                         NULL, 0,
                         "Failed deliveries and processing errors, by reason."},
    [ENR_M_BYTES_IN]  = {"enricher_input_bytes_total", K_COUNTER, NULL, NULL,
                         NULL, 0, "Input payload bytes consumed."},
    [ENR_M_BYTES_OUT] = {"enricher_output_bytes_total", K_COUNTER, NULL, NULL,
                         NULL, 0, "Enriched record bytes produced."},
    [ENR_M_STAGE_SECONDS] = {"enricher_stage_duration_seconds", K_HISTOGRAM,
                             "stage", NULL, stage_bounds, STAGE_NBOUNDS,
                             "Processing time of one article per stage."},
    [ENR_M_ENTITIES]      = {"enricher_entities_total", K_COUNTER, "type", NULL,
                             NULL, 0, "Entities extracted, by type."},
    [ENR_M_CONSUMER_LAG]  = {"enricher_consumer_lag", K_GAUGE, "topic",
                             "partition", NULL, 0,
                             "Consumer lag (messages) per assigned partition, "
                              "from librdkafka's statistics."},
    [ENR_M_REBALANCES]    = {"enricher_rebalances_total", K_COUNTER, NULL, NULL,
                             NULL, 0, "Consumer group rebalances."},
    [ENR_M_PRODUCER_QUEUE] = {"enricher_producer_queue_messages", K_GAUGE, NULL,
                              NULL, NULL, 0,
                              "Messages in the producer queue, from "
                              "librdkafka's statistics."},
    [ENR_M_INFLIGHT] = {"enricher_inflight_messages", K_GAUGE, NULL, NULL, NULL,
                        0,
                        "Inputs consumed whose outputs are not yet "
                        "acknowledged."},
    [ENR_M_COMMITTED] = {"enricher_offsets_committed_total", K_COUNTER, NULL,
                         NULL, NULL, 0, "Offset commits that succeeded."},
    [ENR_M_TXN]     = {"enricher_transactions_total", K_COUNTER, "result", NULL,
                       NULL, 0, "Transactions committed or aborted."},
    [ENR_M_RETYPED] = {"enricher_entity_mentions_retyped_total", K_COUNTER,
                       NULL, NULL, NULL, 0,
                       "Name mentions whose type the document-level "
                       "resolution changed (one name, one type per "
                       "article)."},
    [ENR_M_LANGUAGE]   = {"enricher_articles_by_language_total", K_COUNTER,
                          "language", NULL, NULL, 0,
                          "Articles by the language identified (ISO 639-1, "
                            "else 639-3; und: no letters), refused ones too."},
    [ENR_M_DUPLICATES] = {"enricher_duplicates_total", K_COUNTER, "kind", NULL,
                          NULL, 0,
                          "Articles marked as copies of an earlier one "
                          "(exact, near)."},
    [ENR_M_DEDUP_ENTRIES] = {"enricher_dedup_index_fingerprints", K_GAUGE, NULL,
                             NULL, NULL, 0,
                             "Fingerprints in the duplicate index."},
    [ENR_M_DEDUP_BYTES]   = {"enricher_dedup_index_bytes", K_GAUGE, NULL, NULL,
                             NULL, 0, "Memory the duplicate index holds."},
    [ENR_M_GEO_PLACES]    = {"enricher_geo_places_total", K_COUNTER, "result",
                             NULL, NULL, 0,
                             "Place entities (GPE, LOC, FAC, NORP) given a "
                                "GeoNames place (resolved) or none (unresolved)."},
    [ENR_M_QUOTES] = {"enricher_quotes_total", K_COUNTER, "speaker", NULL, NULL,
                      0,
                      "Direct quotations found, by speaker kind (person, "
                      "org, nominal, none)."},
};

/*
 * The label values a labelled family is known to take, exported at zero
 * from enr_metrics_new() on, as Prometheus's instrumentation guide asks
 * ("avoid missing metrics"): a dashboard then tells "none yet" from "not
 * running", and rate() sees the first event. One row per family: values
 * name(first) .. name(end - 1). A new family with a closed label set (the
 * languages of a detector, say) is one more row and, where no name function
 * exists yet, one small function naming value i.
 */
typedef const char *label_name_fn(int i);

static const char *err_label(int i) {
        return enr_err_name((enr_err_t)i);
}

static const char *stage_label(int i) {
        return enr_stage_name((enr_stage_t)i);
}

static const char *ent_label(int i) {
        return enr_ent_type_name((enr_ent_type_t)i);
}

static const char *txn_label(int i) {
        static const char *const results[] = {"aborted", "committed"};
        return results[i];
}

static const char *quote_label(int i) {
        return enr_speaker_kind_name((enr_speaker_kind_t)i);
}

static const char *dup_label(int i) {
        static const char *const kinds[] = {"exact", "near"};
        return kinds[i];
}

static const char *geo_label(int i) {
        static const char *const results[] = {"resolved", "unresolved"};
        return results[i];
}

static const struct known_labels {
        enr_metric_t   id;
        label_name_fn *name;
        int            first, end;
} known_labels[] = {
    /* Dead letters and failures by reason: every enr_err_t but ENR_OK
     * (librdkafka's error names, for failed deliveries, appear on use). */
    {ENR_M_DEAD_LETTERED, err_label, ENR_OK + 1, ENR_ERR__COUNT},
    {ENR_M_FAILED, err_label, ENR_OK + 1, ENR_ERR__COUNT},
    {ENR_M_STAGE_SECONDS, stage_label, 0, ENR_STAGE__COUNT},
    {ENR_M_ENTITIES, ent_label, 0, ENR_ENT__COUNT},
    {ENR_M_TXN, txn_label, 0, 2},
    {ENR_M_DUPLICATES, dup_label, 0, 2},
    {ENR_M_GEO_PLACES, geo_label, 0, 2},
    {ENR_M_QUOTES, quote_label, 0, ENR_SPEAKER__COUNT},
    /* Languages come from the model: enr_metrics_known_languages(). */
};

/* One series: a label value and its value (or histogram). */
typedef struct series {
        char            *label;    /* Owned; NULL for unlabelled metrics. */
        _Atomic uint64_t value;    /* Bits of a double: the counter or gauge,
                                      or the histogram's sum. */
        _Atomic uint64_t counts[]; /* Histograms: per-bucket (not
                                      cumulative) counts, nbounds + 1. */
} series_t;

/* One metric: its series. */
typedef struct family {
        const desc_t       *d;
        series_t           *single; /* The series of an unlabelled metric. */
        series_t           *other;  /* Labelled: the overflow series. */
        _Atomic(series_t *) slots[SLOTS]; /* Labelled: NULL = free. */
        atomic_uint         nlabels;      /* Series in slots (reserved). */
} family_t;

struct enr_metrics {
        family_t fam[ENR_M__COUNT];
};

static double bits_to_double(uint64_t b) {
        double d;
        memcpy(&d, &b, sizeof(d));
        return d;
}

static uint64_t double_to_bits(double d) {
        uint64_t b;
        memcpy(&b, &d, sizeof(b));
        return b;
}

static void atomic_add_double(_Atomic uint64_t *p, double v) {
        uint64_t old = atomic_load_explicit(p, memory_order_relaxed);
        while (!atomic_compare_exchange_weak_explicit(
            p, &old, double_to_bits(bits_to_double(old) + v),
            memory_order_relaxed, memory_order_relaxed))
                ;
}

static series_t *series_new(const desc_t *d, const char *label, size_t len) {
        size_t    ncounts = d->kind == K_HISTOGRAM ? d->nbounds + 1 : 0;
        series_t *s = calloc(1, sizeof(*s) + ncounts * sizeof(s->counts[0]));

        if (!s)
                return NULL;
        if (label) {
                s->label = malloc(len + 1);
                if (!s->label) {
                        free(s);
                        return NULL;
                }
                memcpy(s->label, label, len);
                s->label[len] = '\0';
        }
        atomic_init(&s->value, double_to_bits(0.0));
        for (size_t i = 0; i < ncounts; i++)
                atomic_init(&s->counts[i], 0);
        return s;
}

static void series_free(series_t *s) {
        if (!s)
                return;
        free(s->label);
        free(s);
}

/* FNV-1a over the label's bytes. */
static uint32_t label_hash(const char *s, size_t len) {
        uint32_t h = 2166136261u;
        for (size_t i = 0; i < len; i++) {
                h ^= (unsigned char)s[i];
                h *= 16777619u;
        }
        return h;
}

/*
 * The series of label in f, created on first use. Returns the overflow
 * series when the label limit is reached or the label is too long, and
 * NULL only when create is false and the label has no series yet, or when
 * memory runs out.
 */
static series_t *family_series(family_t *f, const char *label, bool create) {
        size_t   len;
        uint32_t i;

        if (!f->d->label)
                return f->single;
        if (!label)
                label = ENR_METRICS_NO_LABEL;
        len = strlen(label);
        if (len > ENR_METRICS_MAX_LABEL_LEN)
                return f->other;
        i = label_hash(label, len) & (SLOTS - 1);
        for (unsigned probes = 0; probes < SLOTS;
             probes++, i = (i + 1) & (SLOTS - 1)) {
                series_t *s =
                    atomic_load_explicit(&f->slots[i], memory_order_acquire);
                series_t *fresh;

                if (s) {
                        if (strcmp(s->label, label) == 0)
                                return s;
                        continue;
                }
                if (!create)
                        return NULL;
                /* Reserve a place under the limit before inserting. */
                if (atomic_fetch_add_explicit(&f->nlabels, 1,
                                              memory_order_relaxed) >=
                    ENR_METRICS_MAX_LABELS) {
                        atomic_fetch_sub_explicit(&f->nlabels, 1,
                                                  memory_order_relaxed);
                        return f->other;
                }
                fresh = series_new(f->d, label, len);
                if (!fresh) {
                        atomic_fetch_sub_explicit(&f->nlabels, 1,
                                                  memory_order_relaxed);
                        return NULL;
                }
                if (atomic_compare_exchange_strong_explicit(
                        &f->slots[i], &s, fresh, memory_order_acq_rel,
                        memory_order_acquire))
                        return fresh;
                /* Another thread took the slot first: s is its series. */
                series_free(fresh);
                atomic_fetch_sub_explicit(&f->nlabels, 1, memory_order_relaxed);
                if (strcmp(s->label, label) == 0)
                        return s;
        }
        return f->other;
}

static family_t *family_of(enr_metrics_t *m, enr_metric_t id) {
        if (!m || (int)id < 0 || id >= ENR_M__COUNT)
                return NULL;
        return &m->fam[id];
}

enr_metrics_t *enr_metrics_new(void) {
        enr_metrics_t *m = calloc(1, sizeof(*m));

        if (!m)
                return NULL;
        for (int id = 0; id < ENR_M__COUNT; id++) {
                family_t *f = &m->fam[id];

                f->d = &descs[id];
                for (size_t i = 0; i < SLOTS; i++)
                        atomic_init(&f->slots[i], NULL);
                atomic_init(&f->nlabels, 0);
                if (f->d->label) {
                        f->other = series_new(f->d, OTHER, strlen(OTHER));
                        if (!f->other)
                                goto fail;
                } else {
                        f->single = series_new(f->d, NULL, 0);
                        if (!f->single)
                                goto fail;
                }
        }
        for (size_t k = 0; k < sizeof(known_labels) / sizeof(known_labels[0]);
             k++) {
                const struct known_labels *kl = &known_labels[k];
                family_t                  *f  = &m->fam[kl->id];

                for (int i = kl->first; i < kl->end; i++)
                        if (!family_series(f, kl->name(i), true))
                                goto fail;
        }
        return m;
fail:
        enr_metrics_destroy(m);
        return NULL;
}

void enr_metrics_destroy(enr_metrics_t *m) {
        if (!m)
                return;
        for (int id = 0; id < ENR_M__COUNT; id++) {
                family_t *f = &m->fam[id];

                series_free(f->single);
                series_free(f->other);
                for (size_t i = 0; i < SLOTS; i++)
                        series_free(atomic_load(&f->slots[i]));
        }
        free(m);
}

const char *enr_metrics_name(enr_metric_t id) {
        if ((int)id < 0 || id >= ENR_M__COUNT)
                return NULL;
        return descs[id].name;
}

void enr_metrics_touch(enr_metrics_t *m, enr_metric_t id, const char *label) {
        family_t *f = family_of(m, id);

        if (f && f->d->label)
                (void)family_series(f, label, true);
}

void enr_metrics_add(enr_metrics_t *m, enr_metric_t id, const char *label,
                     double v) {
        family_t *f = family_of(m, id);
        series_t *s;

        if (!f || f->d->kind == K_HISTOGRAM || isnan(v))
                return;
        if (f->d->kind == K_COUNTER && !(v >= 0.0))
                return;
        s = family_series(f, label, true);
        if (s)
                atomic_add_double(&s->value, v);
}

void enr_metrics_set(enr_metrics_t *m, enr_metric_t id, const char *label,
                     double v) {
        family_t *f = family_of(m, id);
        series_t *s;

        if (!f || f->d->kind != K_GAUGE)
                return;
        /* Hiding a series that does not exist creates nothing. */
        s = family_series(f, label, !isnan(v));
        if (s)
                atomic_store_explicit(&s->value, double_to_bits(v),
                                      memory_order_relaxed);
}

void enr_metrics_observe(enr_metrics_t *m, enr_metric_t id, const char *label,
                         double seconds) {
        family_t *f = family_of(m, id);
        series_t *s;
        size_t    lo, hi;

        /* A duration is finite and not negative: an infinite one would make
         * _sum useless forever, a negative one (a clock step) counts as 0. */
        if (!f || f->d->kind != K_HISTOGRAM || !isfinite(seconds))
                return;
        if (seconds < 0.0)
                seconds = 0.0;
        s = family_series(f, label, true);
        if (!s)
                return;
        /* The first bucket whose upper bound is >= seconds (le semantics);
         * nbounds is the +Inf bucket. */
        lo = 0;
        hi = f->d->nbounds;
        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (seconds <= f->d->bounds[mid])
                        hi = mid;
                else
                        lo = mid + 1;
        }
        atomic_fetch_add_explicit(&s->counts[lo], 1, memory_order_relaxed);
        atomic_add_double(&s->value, seconds);
}

/* --- Rendering. --------------------------------------------------------- */

/* A growing output buffer; on allocation failure it records the failure
 * and ignores further appends. */
typedef struct buf {
        char  *p;
        size_t len, cap;
        bool   failed;
} buf_t;

static void buf_append(buf_t *b, const char *s, size_t n) {
        if (b->failed)
                return;
        if (b->len + n + 1 > b->cap) {
                size_t cap = b->cap ? b->cap : 4096;
                char  *p;

                while (b->len + n + 1 > cap)
                        cap *= 2;
                p = realloc(b->p, cap);
                if (!p) {
                        b->failed = true;
                        return;
                }
                b->p   = p;
                b->cap = cap;
        }
        memcpy(b->p + b->len, s, n);
        b->len += n;
        b->p[b->len] = '\0';
}

static void buf_puts(buf_t *b, const char *s) {
        buf_append(b, s, strlen(s));
}

/* Writes s escaped for a label value (\\, \", \n) or, with help set, for a
 * HELP line (\\ and \n only). */
static void buf_escaped(buf_t *b, const char *s, size_t n, bool help) {
        size_t start = 0;

        for (size_t i = 0; i < n; i++) {
                const char *esc = NULL;

                if (s[i] == '\\')
                        esc = "\\\\";
                else if (s[i] == '\n')
                        esc = "\\n";
                else if (s[i] == '"' && !help)
                        esc = "\\\"";
                if (!esc)
                        continue;
                buf_append(b, s + start, i - start);
                buf_puts(b, esc);
                start = i + 1;
        }
        buf_append(b, s + start, n - start);
}

/* Formats v as Prometheus reads it (Go's ParseFloat): the shortest of
 * %.15g and %.17g that reads back exactly, integers without exponent up
 * to 2^53, and +Inf, -Inf, NaN. */
static void format_double(char *out, size_t n, double v) {
        if (isnan(v)) {
                snprintf(out, n, "NaN");
        } else if (isinf(v)) {
                snprintf(out, n, v > 0 ? "+Inf" : "-Inf");
        } else if (v == 0.0) {
                snprintf(out, n, "0");
        } else if (v == floor(v) && fabs(v) <= 9007199254740992.0) {
                snprintf(out, n, "%.0f", v);
        } else {
                snprintf(out, n, "%.15g", v);
                if (strtod(out, NULL) != v)
                        snprintf(out, n, "%.17g", v);
        }
}

static void buf_u64(buf_t *b, uint64_t v) {
        char tmp[32];

        snprintf(tmp, sizeof(tmp), "%llu", (unsigned long long)v);
        buf_puts(b, tmp);
}

/* Writes the labels of series s inside braces (without the braces), plus
 * nothing for unlabelled series. Returns whether anything was written. */
static bool buf_labels(buf_t *b, const desc_t *d, const series_t *s) {
        const char *v;
        const char *slash;

        if (!d->label || !s->label)
                return false;
        v     = s->label;
        slash = d->label2 ? strrchr(v, '/') : NULL;
        if (d->label2 && slash) {
                buf_puts(b, d->label);
                buf_puts(b, "=\"");
                buf_escaped(b, v, (size_t)(slash - v), false);
                buf_puts(b, "\",");
                buf_puts(b, d->label2);
                buf_puts(b, "=\"");
                buf_escaped(b, slash + 1, strlen(slash + 1), false);
                buf_puts(b, "\"");
        } else {
                buf_puts(b, d->label2 ? d->label2 : d->label);
                buf_puts(b, "=\"");
                buf_escaped(b, v, strlen(v), false);
                buf_puts(b, "\"");
        }
        return true;
}

/* One sample line: name[suffix]{labels[,extra]} value. */
static void buf_sample(buf_t *b, const desc_t *d, const char *suffix,
                       const series_t *s, const char *extra,
                       const char *value) {
        buf_t  lb = {0};
        bool   any;
        size_t namelen = strlen(d->name);

        /* Histogram samples drop nothing: their names are the family's
         * name plus _bucket, _sum or _count. */
        buf_append(b, d->name, namelen);
        buf_puts(b, suffix);
        any = buf_labels(&lb, d, s);
        if (lb.failed)
                b->failed = true;
        if (any || extra) {
                buf_puts(b, "{");
                if (any)
                        buf_append(b, lb.p, lb.len);
                if (any && extra)
                        buf_puts(b, ",");
                if (extra)
                        buf_puts(b, extra);
                buf_puts(b, "}");
        }
        free(lb.p);
        buf_puts(b, " ");
        buf_puts(b, value);
        buf_puts(b, "\n");
}

static void render_series(buf_t *b, const desc_t *d, const series_t *s) {
        char   val[64];
        double v = bits_to_double(
            atomic_load_explicit(&s->value, memory_order_relaxed));

        if (d->kind != K_HISTOGRAM) {
                /* A labelled gauge set to NaN is hidden (see
                 * enr_metrics_set). */
                if (d->kind == K_GAUGE && d->label && isnan(v))
                        return;
                format_double(val, sizeof(val), v);
                buf_sample(b, d, "", s, NULL, val);
                return;
        }

        uint64_t cum = 0;
        for (size_t i = 0; i <= d->nbounds; i++) {
                char le[80], bound[64];

                cum +=
                    atomic_load_explicit(&s->counts[i], memory_order_relaxed);
                if (i < d->nbounds)
                        format_double(bound, sizeof(bound), d->bounds[i]);
                else
                        snprintf(bound, sizeof(bound), "+Inf");
                snprintf(le, sizeof(le), "le=\"%s\"", bound);
                snprintf(val, sizeof(val), "%llu", (unsigned long long)cum);
                buf_sample(b, d, "_bucket", s, le, val);
        }
        format_double(val, sizeof(val), v);
        buf_sample(b, d, "_sum", s, NULL, val);
        snprintf(val, sizeof(val), "%llu", (unsigned long long)cum);
        buf_sample(b, d, "_count", s, NULL, val);
}

/* Whether the overflow series was ever used. */
static bool series_used(const desc_t *d, const series_t *s) {
        if (atomic_load_explicit(&s->value, memory_order_relaxed) !=
            double_to_bits(0.0))
                return true;
        if (d->kind == K_HISTOGRAM)
                for (size_t i = 0; i <= d->nbounds; i++)
                        if (atomic_load_explicit(&s->counts[i],
                                                 memory_order_relaxed))
                                return true;
        return false;
}

static int cmp_series(const void *a, const void *b) {
        const series_t *x = *(const series_t *const *)a;
        const series_t *y = *(const series_t *const *)b;
        return strcmp(x->label, y->label);
}

static void render_family(buf_t *b, const family_t *f) {
        const desc_t *d = f->d;
        series_t     *sorted[SLOTS];
        size_t        n = 0;

        buf_puts(b, "# HELP ");
        buf_puts(b, d->name);
        buf_puts(b, " ");
        buf_escaped(b, d->help, strlen(d->help), true);
        buf_puts(b, "\n# TYPE ");
        buf_puts(b, d->name);
        buf_puts(b, d->kind == K_COUNTER ? " counter\n"
                    : d->kind == K_GAUGE ? " gauge\n"
                                         : " histogram\n");
        if (!d->label) {
                render_series(b, d, f->single);
                return;
        }
        for (size_t i = 0; i < SLOTS; i++) {
                series_t *s = atomic_load_explicit(
                    (_Atomic(series_t *) *)&f->slots[i], memory_order_acquire);
                if (s)
                        sorted[n++] = s;
        }
        qsort(sorted, n, sizeof(sorted[0]), cmp_series);
        for (size_t i = 0; i < n; i++)
                render_series(b, d, sorted[i]);
        if (series_used(d, f->other))
                render_series(b, d, f->other);
}

char *enr_metrics_render(const enr_metrics_t *m, size_t *len) {
        buf_t b = {0};

        if (len)
                *len = 0;
        if (!m)
                return NULL;
        buf_puts(&b, "# HELP enricher_build_info The enricher version and "
                     "the version of its record schema.\n"
                     "# TYPE enricher_build_info gauge\n"
                     "enricher_build_info{version=\"");
        buf_escaped(&b, ENR_VERSION_STR, strlen(ENR_VERSION_STR), false);
        buf_puts(&b, "\",schema=\"");
        buf_u64(&b, ENR_SCHEMA_VERSION);
        buf_puts(&b, "\"} 1\n");
        for (int id = 0; id < ENR_M__COUNT; id++)
                render_family(&b, &m->fam[id]);
        if (b.failed) {
                free(b.p);
                return NULL;
        }
        if (len)
                *len = b.len;
        return b.p;
}

/* --- librdkafka statistics. --------------------------------------------- */

static enr_err_t consumer_stats(enr_metrics_t *m, json_t *root) {
        json_t     *topics = json_object_get(root, "topics");
        family_t   *f      = &m->fam[ENR_M_CONSUMER_LAG];
        const char *tname;
        json_t     *topic;
        series_t   *seen[ENR_METRICS_MAX_LABELS];
        size_t      nseen = 0;

        if (topics && !json_is_object(topics))
                return ENR_ERR_PARSE;
        json_object_foreach(topics, tname, topic) {
                json_t     *parts = json_object_get(topic, "partitions");
                const char *pname;
                json_t     *part;

                if (!json_is_object(parts))
                        continue;
                json_object_foreach(parts, pname, part) {
                        json_t   *lag = json_object_get(part, "consumer_lag");
                        char      label[ENR_METRICS_MAX_LABEL_LEN + 1];
                        series_t *s;
                        int       w;

                        /* Partition -1 is librdkafka's internal
                         * "unassigned" partition; -1 lag means unknown. */
                        if (strcmp(pname, "-1") == 0 || !json_is_integer(lag) ||
                            json_integer_value(lag) < 0)
                                continue;
                        w = snprintf(label, sizeof(label), "%s/%s", tname,
                                     pname);
                        if (w < 0 || (size_t)w >= sizeof(label))
                                continue;
                        s = family_series(f, label, true);
                        if (!s)
                                continue;
                        atomic_store_explicit(
                            &s->value,
                            double_to_bits((double)json_integer_value(lag)),
                            memory_order_relaxed);
                        if (s != f->other && nseen < ENR_METRICS_MAX_LABELS)
                                seen[nseen++] = s;
                }
        }
        /* Hide the partitions this report no longer has a lag for: they
         * were revoked or their lag became unknown. */
        for (size_t i = 0; i < SLOTS; i++) {
                series_t *s =
                    atomic_load_explicit(&f->slots[i], memory_order_acquire);
                bool found = false;

                if (!s)
                        continue;
                for (size_t j = 0; j < nseen && !found; j++)
                        found = seen[j] == s;
                if (!found)
                        atomic_store_explicit(&s->value, double_to_bits(NAN),
                                              memory_order_relaxed);
        }
        return ENR_OK;
}

enr_err_t enr_metrics_from_kafka_stats(enr_metrics_t *m, const char *json,
                                       size_t len) {
        json_error_t jerr;
        json_t      *root;
        const char  *type;
        enr_err_t    err = ENR_OK;

        if (!m || !json)
                return ENR_ERR_INVALID_ARG;
        if (len > MAX_STATS_BYTES)
                return ENR_ERR_TOO_LARGE;
        root = json_loadb(json, len, 0, &jerr);
        if (!root)
                return ENR_ERR_PARSE;
        if (!json_is_object(root)) {
                err = ENR_ERR_PARSE;
                goto out;
        }
        type = json_string_value(json_object_get(root, "type"));
        if (type && strcmp(type, "producer") == 0) {
                json_t *cnt = json_object_get(root, "msg_cnt");

                if (json_is_integer(cnt) && json_integer_value(cnt) >= 0)
                        enr_metrics_set(m, ENR_M_PRODUCER_QUEUE, NULL,
                                        (double)json_integer_value(cnt));
        } else if (type && strcmp(type, "consumer") == 0) {
                err = consumer_stats(m, root);
        }
out:
        json_decref(root);
        return err;
}

void enr_metrics_known_languages(enr_metrics_t *m, const enr_langid_t *l) {
        size_t i, n = l ? enr_langid_count(l) : 0;

        if (!m)
                return;
        enr_metrics_touch(m, ENR_M_LANGUAGE, "und");
        for (i = 0; i < n; i++)
                enr_metrics_touch(m, ENR_M_LANGUAGE, enr_langid_code(l, i));
}

void enr_metrics_observe_result(enr_metrics_t *m, const enr_result_t *res) {
        int i;

        if (!m)
                return;
        if (res->err == ENR_OK || res->err == ENR_ERR_UNSUPPORTED_LANGUAGE)
                enr_metrics_add(m, ENR_M_LANGUAGE, res->language.code, 1);
        if (res->err != ENR_OK)
                return;
        for (i = 0; i < ENR_STAGE__COUNT; i++)
                enr_metrics_observe(m, ENR_M_STAGE_SECONDS,
                                    enr_stage_name((enr_stage_t)i),
                                    (double)res->stage_ns[i] / 1e9);
        for (i = 0; i < ENR_ENT__COUNT; i++)
                if (res->entities_by_type[i])
                        enr_metrics_add(m, ENR_M_ENTITIES,
                                        enr_ent_type_name((enr_ent_type_t)i),
                                        res->entities_by_type[i]);
        if (res->retyped)
                enr_metrics_add(m, ENR_M_RETYPED, NULL, res->retyped);
        if (res->geo_resolved)
                enr_metrics_add(m, ENR_M_GEO_PLACES, "resolved",
                                res->geo_resolved);
        if (res->geo_unresolved)
                enr_metrics_add(m, ENR_M_GEO_PLACES, "unresolved",
                                res->geo_unresolved);
        for (i = 0; i < ENR_SPEAKER__COUNT; i++)
                if (res->quotes_by_speaker[i])
                        enr_metrics_add(
                            m, ENR_M_QUOTES,
                            enr_speaker_kind_name((enr_speaker_kind_t)i),
                            res->quotes_by_speaker[i]);
}
