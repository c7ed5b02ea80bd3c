/*
 * `enricher run`: the Kafka worker. One consumer reads the input topic; the
 * main thread polls it and dispatches each message to one of N enrichment
 * threads (input partition modulo N, so one partition is always handled by
 * one thread, in order); each thread enriches its messages and hands the
 * record (or the dead letter) to the producer in input order. The main
 * thread also serves the producer's delivery reports and moves the
 * offsets:
 *
 *  - at-least-once (default): an input's offset counts as done only when
 *    the broker acknowledged its output or dead letter; per input partition
 *    the contiguous acknowledged prefix (common/offsets.c) is stored with
 *    rd_kafka_offsets_store() and committed by librdkafka's auto-commit
 *    (batched, no commit request per message), and synchronously on revoke
 *    and at shutdown. A delivery that fails after librdkafka's own retries
 *    stops the worker: the prefix never passes the failed input, the worker
 *    exits non-zero and its replacement processes the input again.
 *  - exactly-once (--exactly-once): consume-transform-produce transactions
 *    of at most txn-max-messages inputs or txn-max-ms; before
 *    send_offsets_to_transaction() and commit every input of the batch has
 *    its output acknowledged; an abortable error aborts and seeks the
 *    batch's partitions back to the batch's first offsets.
 *
 * Backpressure: the consumer's partitions are paused while in-flight inputs
 * reach max-inflight (or the producer queue fills) and resumed once half
 * drained. Signals only set a flag; the main loop then shuts down in order.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <librdkafka/rdkafka.h>

#include "cli.h"
#include "commands.h"
#include "enricher/config.h"
#include "enricher/enricher.h"
#include "enricher/log.h"
#include "enricher/metrics.h"
#include "enricher/offsets.h"
#include "http.h"

#define LOGC "run"

/* How long a blocking metadata call (watermarks, timestamps) may take. */
#define QUERY_TIMEOUT_MS 10000

/* Longest a transactional call may take before it counts as failed. */
#define TXN_TIMEOUT_MS 60000

/* Set by the signal handler; read by the main loop. */
static volatile sig_atomic_t stop_requested;

/* One consumed input on its way through an enrichment thread to the
 * producer; freed when its delivery report arrives. */
typedef struct job {
        struct job         *next;
        rd_kafka_message_t *msg; /* The input; owned until produced. */
        int32_t             partition;
        int64_t             offset;
        uint32_t            gen; /* The partition's generation. */
        enr_err_t           err; /* ENR_OK: an output, else a dead
                                    letter with this reason. */
        size_t out_bytes;        /* Size of what was produced. */
} job_t;

/* What the worker knows of one input partition. Only gen is read by the
 * enrichment threads; the rest belongs to the main thread. */
typedef struct pstate {
        _Atomic uint32_t gen; /* Bumped when the partition leaves:
                                 queued inputs of an older
                                 generation are dropped. */
        bool assigned;
        bool seen;           /* Assigned before (--from applies to
                                the first assignment only). */
        bool    at_end;      /* --exit-at-end: reached end. */
        int64_t end;         /* --exit-at-end: high watermark at
                                assignment, -1 unknown. */
        int64_t batch_first; /* Exactly-once: first and last
                                offsets of the open batch, or -1. */
        int64_t batch_last;
} pstate_t;

typedef struct run run_t;

/* One enrichment thread and its queue. */
typedef struct worker {
        run_t          *run;
        pthread_t       thread;
        bool            started;
        pthread_mutex_t lock;
        pthread_cond_t  cond;
        job_t          *head, *tail;
        bool            quit; /* Set when no more jobs will come. */
        enr_scratch_t  *scratch;
} worker_t;

/* The state of one `enricher run`. */
struct run {
        enr_config_t      cfg;
        enr_enricher_t   *enricher;
        enr_metrics_t    *metrics;
        enr_http_t       *http;
        rd_kafka_t       *consumer;
        rd_kafka_t       *producer;
        rd_kafka_topic_t *out_rkt;
        rd_kafka_topic_t *dlq_rkt;
        char              dlq_topic[512];
        enr_offsets_t    *offsets;
        pstate_t         *parts; /* ENR_OFFSETS_MAX_PARTITIONS. */
        worker_t         *workers;
        int               nworkers;
        int64_t           from_ms;      /* --from time, or -1. */
        int64_t           from_special; /* BEGINNING, END or 0. */
        _Atomic int64_t   queued;       /* Dispatched, not yet produced. */
        _Atomic int64_t   inflight;     /* Dispatched, not yet finished. */
        _Atomic int       failed;       /* A delivery or produce failed. */
        _Atomic int       fatal;        /* A fatal Kafka error. */
        _Atomic int       abandon;      /* Shutdown timed out: stop
                                           waiting for the producer. */
        _Atomic int ready;              /* For /readyz. */
        _Atomic int brokers_down;
        int         nassigned;
        bool        paused;
        /* Exactly-once. */
        bool txn_open;
        bool batch_failed; /* A delivery of the batch
                              failed: abort it. */
        int64_t batch_msgs;
        int64_t batch_start_ms;
        bool    aborting; /* Delivery errors are expected. */
};

static int64_t now_ms(void) {
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void on_signal(int sig) {
        if (sig == SIGINT && stop_requested)
                _exit(130);
        stop_requested = 1;
}

/*
 * Options, time parsing and client configuration.
 */

/* Parses --from: "", earliest, latest, epoch milliseconds or ISO-8601
 * ("2024-01-31", "2024-01-31T12:00:00Z", "…T12:00:00.250+01:00"). */
static int parse_from(run_t *r, const char *s, char *errstr, size_t n) {
        struct tm   tm;
        const char *p;
        char       *end;
        int64_t     ms = 0;
        time_t      t;

        r->from_ms      = -1;
        r->from_special = 0;
        if (!*s)
                return 0;
        if (!strcmp(s, "earliest") || !strcmp(s, "beginning")) {
                r->from_special = RD_KAFKA_OFFSET_BEGINNING;
                return 0;
        }
        if (!strcmp(s, "latest") || !strcmp(s, "end")) {
                r->from_special = RD_KAFKA_OFFSET_END;
                return 0;
        }
        errno = 0;
        ms    = strtoll(s, &end, 10);
        if (!errno && !*end && ms >= 0) {
                r->from_ms = ms;
                return 0;
        }
        memset(&tm, 0, sizeof(tm));
        p = strptime(s, "%Y-%m-%d", &tm);
        if (!p)
                goto bad;
        ms = 0;
        if (*p == 'T' || *p == ' ') {
                p = strptime(p + 1, "%H:%M", &tm);
                if (!p)
                        goto bad;
                if (*p == ':') {
                        p = strptime(p + 1, "%S", &tm);
                        if (!p)
                                goto bad;
                }
                if (*p == '.') {
                        int64_t scale = 100;
                        for (p++; *p >= '0' && *p <= '9'; p++) {
                                ms += (*p - '0') * scale;
                                scale /= 10;
                        }
                }
        }
        t = timegm(&tm);
        if (*p == 'Z') {
                p++;
        } else if (*p == '+' || *p == '-') {
                /* +hh, +hhmm or +hh:mm, and nothing after it. */
                int sign = *p == '-' ? -1 : 1, hh, mm = 0;
                if (!isdigit((unsigned char)p[1]) ||
                    !isdigit((unsigned char)p[2]))
                        goto bad;
                hh = (p[1] - '0') * 10 + (p[2] - '0');
                p += 3;
                if (*p == ':' && !isdigit((unsigned char)*++p))
                        goto bad;
                if (isdigit((unsigned char)p[0]) &&
                    isdigit((unsigned char)p[1])) {
                        mm = (p[0] - '0') * 10 + (p[1] - '0');
                        p += 2;
                }
                if (hh > 23 || mm > 59)
                        goto bad;
                t -= sign * (hh * 3600 + mm * 60);
        }
        if (*p)
                goto bad;
        r->from_ms = (int64_t)t * 1000 + ms;
        return 0;
bad:
        enr_set_errstr(errstr, n,
                       "--from: '%s' is not earliest, latest, epoch ms or "
                       "an ISO-8601 time",
                       s);
        return -1;
}

static void log_cb(const rd_kafka_t *rk, int level, const char *fac,
                   const char *buf) {
        enr_log_level_t l = level <= 3   ? ENR_LOG_ERROR
                            : level == 4 ? ENR_LOG_WARN
                            : level <= 6 ? ENR_LOG_INFO
                                         : ENR_LOG_DEBUG;

        /* -X properties go to both clients; each warns about the other's
         * properties, which is expected. */
        if (!strcmp(fac, "CONFWARN") && strstr(buf, " will be ignored by "))
                l = ENR_LOG_DEBUG;
        ENR_LOG(l, "kafka", "%s: %s: %s", rd_kafka_name(rk), fac, buf);
}

static void error_cb(rd_kafka_t *rk, int err, const char *reason,
                     void *opaque) {
        run_t *r = opaque;

        if (err == RD_KAFKA_RESP_ERR__FATAL) {
                char fstr[512];

                rd_kafka_fatal_error(rk, fstr, sizeof(fstr));
                enr_error(LOGC, "fatal Kafka error on %s: %s",
                          rd_kafka_name(rk), fstr);
                atomic_store(&r->fatal, 1);
                return;
        }
        /* Wrong credentials or a refused certificate are configuration
         * errors, not outages: stop with a clear reason rather than retry
         * for ever (as Kafka's Java clients do). Other TLS errors (a
         * connection cut during the handshake) stay retriable. */
        if (err == RD_KAFKA_RESP_ERR__AUTHENTICATION ||
            (err == RD_KAFKA_RESP_ERR__SSL && reason &&
             strstr(reason, "certificate"))) {
                enr_error(LOGC,
                          "%s: authentication failed: %s (check "
                          "security.protocol and the sasl.* / ssl.* "
                          "properties)",
                          rd_kafka_name(rk), reason);
                atomic_store(&r->fatal, 1);
                return;
        }
        if (err == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN)
                atomic_store(&r->brokers_down, 1);
        enr_warn(LOGC, "%s: %s: %s", rd_kafka_name(rk),
                 rd_kafka_err2name((rd_kafka_resp_err_t)err), reason);
}

static int stats_cb(rd_kafka_t *rk, char *json, size_t len, void *opaque) {
        run_t *r = opaque;

        (void)rk;
        enr_metrics_from_kafka_stats(r->metrics, json, len);
        return 0;
}

static int conf_set(rd_kafka_conf_t *conf, const char *k, const char *v,
                    char *errstr, size_t n) {
        if (rd_kafka_conf_set(conf, k, v, errstr, n) != RD_KAFKA_CONF_OK)
                return -1;
        return 0;
}

/* The configuration both clients share: brokers, callbacks, then -X/-F
 * properties (which override our defaults). */
static rd_kafka_conf_t *base_conf(run_t *r, const char *const *defaults,
                                  char *errstr, size_t n) {
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        char             stats[32];
        size_t           i;

        snprintf(stats, sizeof(stats), "%" PRId64, r->cfg.stats_interval_ms);
        rd_kafka_conf_set_opaque(conf, r);
        rd_kafka_conf_set_log_cb(conf, log_cb);
        rd_kafka_conf_set_error_cb(conf, error_cb);
        rd_kafka_conf_set_stats_cb(conf, stats_cb);
        if (conf_set(conf, "bootstrap.servers", r->cfg.brokers, errstr, n) ||
            conf_set(conf, "client.id", r->cfg.client_id, errstr, n) ||
            conf_set(conf, "statistics.interval.ms", stats, errstr, n))
                goto fail;
        for (i = 0; defaults[i]; i += 2)
                if (conf_set(conf, defaults[i], defaults[i + 1], errstr, n))
                        goto fail;
        for (i = 0; i < r->cfg.nkafka; i++)
                if (conf_set(conf, r->cfg.kafka[i].key, r->cfg.kafka[i].value,
                             errstr, n))
                        goto fail;
        return conf;
fail:
        rd_kafka_conf_destroy(conf);
        return NULL;
}

/*
 * Enrichment threads.
 */

/* Produces one message, waiting while the producer queue is full. Takes
 * ownership of hdrs on success. */
static rd_kafka_resp_err_t produce(run_t *r, rd_kafka_topic_t *rkt,
                                   const void *key, size_t key_len,
                                   const void *val, size_t val_len,
                                   rd_kafka_headers_t *hdrs, job_t *job) {
        rd_kafka_resp_err_t err;

        for (;;) {
                err =
                    rd_kafka_producev(r->producer, RD_KAFKA_V_RKT(rkt),
                                      RD_KAFKA_V_KEY(key, key_len),
                                      RD_KAFKA_V_VALUE((void *)val, val_len),
                                      RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                                      RD_KAFKA_V_HEADERS(hdrs),
                                      RD_KAFKA_V_OPAQUE(job), RD_KAFKA_V_END);
                if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL)
                        return err;
                /* The main thread serves delivery reports; wait for it. */
                if (atomic_load(&r->fatal) || atomic_load(&r->abandon))
                        return err;
                usleep(1000);
        }
}

static void add_header(rd_kafka_headers_t *h, const char *name,
                       const char *value) {
        rd_kafka_header_add(h, name, -1, value, -1);
}

/* The current time in UTC, ISO-8601 with milliseconds. */
static void iso_now(char *buf, size_t n) {
        struct timespec ts;
        struct tm       tm;
        char            tmp[32];

        clock_gettime(CLOCK_REALTIME, &ts);
        gmtime_r(&ts.tv_sec, &tm);
        strftime(tmp, sizeof(tmp), "%Y-%m-%dT%H:%M:%S", &tm);
        snprintf(buf, n, "%s.%03dZ", tmp, (int)(ts.tv_nsec / 1000000));
}

/* Sends the original input to the dead-letter topic with the reason. */
static rd_kafka_resp_err_t dead_letter(run_t *r, job_t *job,
                                       const rd_kafka_message_t *m,
                                       rd_kafka_headers_t *hdrs, enr_err_t err,
                                       const char *message) {
        char num[32], when[48];

        add_header(hdrs, "enricher-error", enr_err_name(err));
        add_header(hdrs, "enricher-error-message", message);
        add_header(hdrs, "enricher-source-topic", r->cfg.input_topic);
        snprintf(num, sizeof(num), "%" PRId32, m->partition);
        add_header(hdrs, "enricher-source-partition", num);
        snprintf(num, sizeof(num), "%" PRId64, m->offset);
        add_header(hdrs, "enricher-source-offset", num);
        iso_now(when, sizeof(when));
        add_header(hdrs, "enricher-failed-at", when);
        job->err       = err;
        job->out_bytes = m->len;
        return produce(r, r->dlq_rkt, m->key, m->key_len, m->payload, m->len,
                       hdrs, job);
}

/* The input's headers (detached from it) or a new, empty set. */
static rd_kafka_headers_t *take_headers(rd_kafka_message_t *m) {
        rd_kafka_headers_t *h = NULL;

        if (rd_kafka_message_detach_headers(m, &h) || !h)
                h = rd_kafka_headers_new(8);
        return h;
}

static void finish_job(run_t *r, job_t *job) {
        if (job->msg)
                rd_kafka_message_destroy(job->msg);
        free(job);
        atomic_fetch_sub(&r->inflight, 1);
}

/* Enriches one input and produces its record or dead letter. Once
 * produced, the job belongs to the delivery report (on the main thread), so
 * the input message is taken out of it first. */
static void process(run_t *r, worker_t *w, job_t *job) {
        rd_kafka_message_t *m = job->msg;
        rd_kafka_headers_t *hdrs;
        rd_kafka_resp_err_t kerr;
        enr_result_t        res;
        enr_source_t        src;
        const void         *key;
        size_t              key_len;
        char                num[32];

        job->msg = NULL;
        if (atomic_load(&r->parts[job->partition].gen) != job->gen) {
                /* The partition was lost or rewound: drop the input. */
                rd_kafka_message_destroy(m);
                finish_job(r, job);
                return;
        }
        src.topic     = r->cfg.input_topic;
        src.partition = m->partition;
        src.offset    = m->offset;
        src.timestamp = rd_kafka_message_timestamp(m, NULL);
        enr_enricher_process(r->enricher, w->scratch, m->payload, m->len, &src,
                             &res);
        hdrs = take_headers(m);
        if (res.err == ENR_OK) {
                enr_metrics_observe_result(r->metrics, &res);
                snprintf(num, sizeof(num), "%d", ENR_SCHEMA_VERSION);
                add_header(hdrs, "enricher-schema", num);
                add_header(hdrs, "enricher-version", ENR_VERSION_STR);
                add_header(hdrs, "enricher-source-topic", r->cfg.input_topic);
                snprintf(num, sizeof(num), "%" PRId32, m->partition);
                add_header(hdrs, "enricher-source-partition", num);
                snprintf(num, sizeof(num), "%" PRId64, m->offset);
                add_header(hdrs, "enricher-source-offset", num);
                /* Keyed by the input's key, else by the article id. */
                key     = m->key;
                key_len = m->key_len;
                if (!key && res.id && *res.id) {
                        key     = res.id;
                        key_len = strlen(res.id);
                }
                job->out_bytes = res.record_len;
                kerr = produce(r, r->out_rkt, key, key_len, res.record,
                               res.record_len, hdrs, job);
                if (kerr == RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE) {
                        /* The record can never be written: dead-letter the
                         * input with its own headers (hdrs were not
                         * taken). */
                        rd_kafka_header_remove(hdrs, "enricher-schema");
                        rd_kafka_header_remove(hdrs, "enricher-version");
                        rd_kafka_header_remove(hdrs, "enricher-source-topic");
                        rd_kafka_header_remove(hdrs,
                                               "enricher-source-partition");
                        rd_kafka_header_remove(hdrs, "enricher-source-offset");
                        kerr = dead_letter(r, job, m, hdrs, ENR_ERR_TOO_LARGE,
                                           "the enriched record is over the "
                                           "producer's message.max.bytes");
                }
        } else {
                kerr = dead_letter(r, job, m, hdrs, res.err, res.errstr);
        }
        if (kerr) {
                enr_error(LOGC,
                          "cannot produce the output of %s [%" PRId32
                          "] @ %" PRId64 ": %s",
                          r->cfg.input_topic, job->partition, job->offset,
                          rd_kafka_err2str(kerr));
                enr_metrics_add(r->metrics, ENR_M_FAILED,
                                rd_kafka_err2name(kerr), 1);
                rd_kafka_headers_destroy(hdrs);
                atomic_store(&r->failed, 1);
                finish_job(r, job);
        }
        /* Produced (copied): the delivery report finishes the job. */
        rd_kafka_message_destroy(m);
}

static void *worker_main(void *arg) {
        worker_t *w = arg;
        run_t    *r = w->run;
        job_t    *job;

        for (;;) {
                pthread_mutex_lock(&w->lock);
                while (!w->head && !w->quit)
                        pthread_cond_wait(&w->cond, &w->lock);
                job = w->head;
                if (job) {
                        w->head = job->next;
                        if (!w->head)
                                w->tail = NULL;
                }
                pthread_mutex_unlock(&w->lock);
                if (!job)
                        break;
                process(r, w, job);
                atomic_fetch_sub(&r->queued, 1);
        }
        return NULL;
}

static void dispatch(run_t *r, job_t *job) {
        worker_t *w = &r->workers[job->partition % r->nworkers];

        atomic_fetch_add(&r->queued, 1);
        atomic_fetch_add(&r->inflight, 1);
        job->next = NULL;
        pthread_mutex_lock(&w->lock);
        if (w->tail)
                w->tail->next = job;
        else
                w->head = job;
        w->tail = job;
        pthread_cond_signal(&w->cond);
        pthread_mutex_unlock(&w->lock);
}

/*
 * Delivery reports and offsets (main thread).
 */

static void dr_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
        run_t *r   = opaque;
        job_t *job = m->_private;

        (void)rk;
        if (!job)
                return;
        if (m->err) {
                if (!r->aborting) {
                        enr_error(LOGC,
                                  "delivery of the output of %s [%" PRId32
                                  "] @ %" PRId64 " failed: %s",
                                  r->cfg.input_topic, job->partition,
                                  job->offset, rd_kafka_err2str(m->err));
                        enr_metrics_add(r->metrics, ENR_M_FAILED,
                                        rd_kafka_err2name(m->err), 1);
                }
                if (r->cfg.exactly_once)
                        r->batch_failed = true;
                else
                        atomic_store(&r->failed, 1);
        } else {
                if (job->err == ENR_OK) {
                        enr_metrics_add(r->metrics, ENR_M_PRODUCED, NULL, 1);
                } else {
                        enr_metrics_add(r->metrics, ENR_M_DEAD_LETTERED,
                                        enr_err_name(job->err), 1);
                }
                enr_metrics_add(r->metrics, ENR_M_BYTES_OUT, NULL,
                                (double)job->out_bytes);
                if (!r->cfg.exactly_once &&
                    atomic_load(&r->parts[job->partition].gen) == job->gen)
                        enr_offsets_ack(r->offsets, job->partition,
                                        job->offset);
        }
        finish_job(r, job);
}

/* Stores the offsets whose acknowledged prefix moved (at-least-once);
 * librdkafka's auto-commit then commits them. */
static void store_offsets(run_t *r) {
        rd_kafka_topic_partition_list_t *l = NULL;
        rd_kafka_resp_err_t              err;
        int64_t                          off;
        int32_t                          p;

        if (r->cfg.exactly_once)
                return;
        for (p = 0; p < ENR_OFFSETS_MAX_PARTITIONS; p++) {
                if (!r->parts[p].assigned ||
                    !enr_offsets_take_advance(r->offsets, p, &off))
                        continue;
                if (!l)
                        l = rd_kafka_topic_partition_list_new(16);
                rd_kafka_topic_partition_list_add(l, r->cfg.input_topic, p)
                    ->offset = off;
        }
        if (!l)
                return;
        err = rd_kafka_offsets_store(r->consumer, l);
        if (err)
                enr_warn(LOGC, "storing offsets: %s", rd_kafka_err2str(err));
        else
                enr_metrics_add(r->metrics, ENR_M_COMMITTED, NULL, l->cnt);
        rd_kafka_topic_partition_list_destroy(l);
}

/* Serves the producer for up to ms milliseconds. */
static void serve(run_t *r, int ms) {
        rd_kafka_poll(r->producer, ms);
        store_offsets(r);
        enr_metrics_set(r->metrics, ENR_M_INFLIGHT, NULL,
                        (double)atomic_load(&r->inflight));
        enr_metrics_set(r->metrics, ENR_M_PRODUCER_QUEUE, NULL,
                        rd_kafka_outq_len(r->producer));
        enr_http_heartbeat(r->http);
}

/* Waits until every dispatched input of the listed partitions (all when l
 * is NULL) is finished, or until the deadline. */
static bool drain(run_t *r, const rd_kafka_topic_partition_list_t *l,
                  int64_t deadline) {
        for (;;) {
                bool busy = false;
                int  i;

                if (!l || r->cfg.exactly_once) {
                        busy = atomic_load(&r->inflight) > 0;
                } else {
                        for (i = 0; i < l->cnt && !busy; i++)
                                busy =
                                    enr_offsets_pending(
                                        r->offsets, l->elems[i].partition) > 0;
                }
                if (!busy)
                        return true;
                if (now_ms() >= deadline || atomic_load(&r->fatal) ||
                    atomic_load(&r->failed))
                        return false;
                serve(r, 10);
        }
}

/*
 * Transactions (exactly-once).
 */

static void batch_reset(run_t *r) {
        int32_t p;

        for (p = 0; p < ENR_OFFSETS_MAX_PARTITIONS; p++)
                r->parts[p].batch_first = r->parts[p].batch_last = -1;
        r->txn_open     = false;
        r->batch_failed = false;
        r->batch_msgs   = 0;
}

/* Logs a transactional error; returns -1 when fatal. */
static int txn_error(run_t *r, const char *what, rd_kafka_error_t *error) {
        enr_warn(LOGC, "%s: %s", what, rd_kafka_error_string(error));
        if (rd_kafka_error_is_fatal(error)) {
                atomic_store(&r->fatal, 1);
                return -1;
        }
        return 0;
}

/* Aborts the open transaction and seeks the batch's partitions back to its
 * first offsets, so its inputs are processed again. */
static int txn_abort(run_t *r) {
        rd_kafka_topic_partition_list_t *l;
        rd_kafka_error_t                *error;
        int32_t                          p;
        int                              rc = 0;

        if (!r->txn_open)
                return 0;
        /* Inputs still queued are dropped, not produced. */
        for (p = 0; p < ENR_OFFSETS_MAX_PARTITIONS; p++)
                if (r->parts[p].batch_first >= 0)
                        atomic_fetch_add(&r->parts[p].gen, 1);
        while (atomic_load(&r->queued) > 0)
                serve(r, 1);
        r->aborting = true;
        error       = rd_kafka_abort_transaction(r->producer, TXN_TIMEOUT_MS);
        if (error) {
                rc = txn_error(r, "abort_transaction", error);
                rd_kafka_error_destroy(error);
                if (rc)
                        goto out;
        }
        while (atomic_load(&r->inflight) > 0)
                serve(r, 10);
        enr_metrics_add(r->metrics, ENR_M_TXN, "aborted", 1);
        l = rd_kafka_topic_partition_list_new(16);
        for (p = 0; p < ENR_OFFSETS_MAX_PARTITIONS; p++)
                if (r->parts[p].batch_first >= 0 && r->parts[p].assigned)
                        rd_kafka_topic_partition_list_add(l, r->cfg.input_topic,
                                                          p)
                            ->offset = r->parts[p].batch_first;
        if (l->cnt > 0) {
                enr_info(LOGC, "transaction aborted; rewinding %d partition(s)",
                         l->cnt);
                error =
                    rd_kafka_seek_partitions(r->consumer, l, QUERY_TIMEOUT_MS);
                if (error) {
                        enr_error(LOGC, "rewinding after abort: %s",
                                  rd_kafka_error_string(error));
                        rd_kafka_error_destroy(error);
                        /* Without the rewind inputs would be skipped:
                         * stop, the transaction is aborted and the
                         * committed offsets are still those before it. */
                        atomic_store(&r->fatal, 1);
                        rc = -1;
                } else {
                        int i;

                        for (i = 0; i < l->cnt; i++) {
                                if (!l->elems[i].err)
                                        continue;
                                enr_error(LOGC, "rewinding [%" PRId32 "]: %s",
                                          l->elems[i].partition,
                                          rd_kafka_err2str(l->elems[i].err));
                                atomic_store(&r->fatal, 1);
                                rc = -1;
                        }
                }
        }
        rd_kafka_topic_partition_list_destroy(l);
out:
        r->aborting = false;
        batch_reset(r);
        return rc;
}

/* Waits for the batch's outputs, sends its offsets and commits it; aborts
 * and rewinds when that fails. */
static int txn_commit(run_t *r, int64_t deadline) {
        rd_kafka_topic_partition_list_t    *l;
        rd_kafka_consumer_group_metadata_t *cgmd;
        rd_kafka_error_t                   *error = NULL;
        int32_t                             p;
        int                                 tries;

        if (!r->txn_open)
                return 0;
        if (!drain(r, NULL, deadline) || r->batch_failed ||
            atomic_load(&r->failed))
                return txn_abort(r);
        l = rd_kafka_topic_partition_list_new(16);
        for (p = 0; p < ENR_OFFSETS_MAX_PARTITIONS; p++)
                if (r->parts[p].batch_last >= 0)
                        rd_kafka_topic_partition_list_add(l, r->cfg.input_topic,
                                                          p)
                            ->offset = r->parts[p].batch_last + 1;
        cgmd  = rd_kafka_consumer_group_metadata(r->consumer);
        error = rd_kafka_send_offsets_to_transaction(r->producer, l, cgmd,
                                                     TXN_TIMEOUT_MS);
        rd_kafka_consumer_group_metadata_destroy(cgmd);
        rd_kafka_topic_partition_list_destroy(l);
        if (error)
                goto fail;
        for (tries = 0; tries < 5; tries++) {
                error =
                    rd_kafka_commit_transaction(r->producer, TXN_TIMEOUT_MS);
                if (!error || !rd_kafka_error_is_retriable(error))
                        break;
                txn_error(r, "commit_transaction (retrying)", error);
                rd_kafka_error_destroy(error);
                error = NULL;
        }
        if (error)
                goto fail;
        enr_metrics_add(r->metrics, ENR_M_TXN, "committed", 1);
        enr_metrics_add(r->metrics, ENR_M_COMMITTED, NULL, 1);
        enr_debug(LOGC, "transaction of %" PRId64 " input(s) committed",
                  r->batch_msgs);
        batch_reset(r);
        return 0;
fail:
        if (txn_error(r, "committing the transaction", error)) {
                rd_kafka_error_destroy(error);
                return -1;
        }
        rd_kafka_error_destroy(error);
        return txn_abort(r);
}

/*
 * Rebalancing.
 */

/* Sets the start offsets of first-time assigned partitions (--from) and
 * the end offsets for --exit-at-end. */
static void prepare_assignment(run_t *r, rd_kafka_topic_partition_list_t *l) {
        rd_kafka_topic_partition_list_t *times = NULL, *committed = NULL;
        rd_kafka_resp_err_t              err;
        int                              i;

        if (r->from_special || r->from_ms >= 0) {
                /* --from sets where the group starts: it applies to
                 * partitions the group has no committed offset for, so a
                 * restarted or added worker with the same command line
                 * continues where the group is instead of replaying again
                 * (replay into an existing group with a new group id). */
                committed = rd_kafka_topic_partition_list_copy(l);
                err       = rd_kafka_committed(r->consumer, committed,
                                               QUERY_TIMEOUT_MS);
                if (err) {
                        enr_warn(LOGC,
                                 "--from: cannot read committed offsets "
                                 "(%s): applying it to every partition",
                                 rd_kafka_err2str(err));
                        for (i = 0; i < committed->cnt; i++)
                                committed->elems[i].offset =
                                    RD_KAFKA_OFFSET_INVALID;
                }
        }
        for (i = 0; i < l->cnt; i++) {
                rd_kafka_topic_partition_t *tp = &l->elems[i];
                pstate_t                   *ps = &r->parts[tp->partition];
                bool                        reset;

                reset =
                    committed && !ps->seen && committed->elems[i].offset < 0;
                if (committed && !ps->seen && !reset)
                        enr_info(LOGC,
                                 "--from: [%" PRId32 "] has a committed "
                                 "offset (%" PRId64 "): continuing there",
                                 tp->partition, committed->elems[i].offset);
                if (reset && r->from_special) {
                        tp->offset = r->from_special;
                } else if (reset && r->from_ms >= 0) {
                        if (!times)
                                times =
                                    rd_kafka_topic_partition_list_new(l->cnt);
                        rd_kafka_topic_partition_list_add(times, tp->topic,
                                                          tp->partition)
                            ->offset = r->from_ms;
                }
                ps->end    = -1;
                ps->at_end = false;
                if (r->cfg.exit_at_end) {
                        int64_t lo, hi;

                        err = rd_kafka_query_watermark_offsets(
                            r->consumer, tp->topic, tp->partition, &lo, &hi,
                            QUERY_TIMEOUT_MS);
                        if (err)
                                enr_warn(LOGC,
                                         "watermarks of [%" PRId32 "]: %s",
                                         tp->partition, rd_kafka_err2str(err));
                        else
                                ps->end = hi;
                }
        }
        if (committed)
                rd_kafka_topic_partition_list_destroy(committed);
        if (!times)
                return;
        err = rd_kafka_offsets_for_times(r->consumer, times, QUERY_TIMEOUT_MS);
        for (i = 0; i < times->cnt; i++) {
                rd_kafka_topic_partition_t *t = &times->elems[i];
                rd_kafka_topic_partition_t *tp =
                    rd_kafka_topic_partition_list_find(l, t->topic,
                                                       t->partition);

                /* No message at or after the time: start at the end. */
                tp->offset = err || t->err || t->offset < 0
                                 ? RD_KAFKA_OFFSET_END
                                 : t->offset;
                enr_info(LOGC, "--from: [%" PRId32 "] starts at %s%" PRId64,
                         tp->partition,
                         tp->offset == RD_KAFKA_OFFSET_END ? "the end " : "",
                         tp->offset == RD_KAFKA_OFFSET_END ? 0 : tp->offset);
        }
        rd_kafka_topic_partition_list_destroy(times);
}

static void on_assign(run_t *r, rd_kafka_topic_partition_list_t *l) {
        int i;

        prepare_assignment(r, l);
        for (i = 0; i < l->cnt; i++) {
                int32_t   p  = l->elems[i].partition;
                pstate_t *ps = &r->parts[p];

                enr_offsets_assign(r->offsets, p);
                ps->assigned = true;
                ps->seen     = true;
                r->nassigned++;
        }
}

static void on_revoke(run_t *r, rd_kafka_topic_partition_list_t *l, bool lost) {
        rd_kafka_resp_err_t err;
        int64_t             deadline = now_ms() + r->cfg.shutdown_timeout_ms;
        int                 i;

        if (lost) {
                /* Someone else may own them already: commit nothing, drop
                 * their queued inputs, and do not rewind them. */
                for (i = 0; i < l->cnt; i++) {
                        pstate_t *ps = &r->parts[l->elems[i].partition];

                        atomic_fetch_add(&ps->gen, 1);
                        if (ps->assigned)
                                r->nassigned--;
                        ps->assigned    = false;
                        ps->batch_first = ps->batch_last = -1;
                }
                if (r->cfg.exactly_once)
                        txn_abort(r);
        } else if (r->cfg.exactly_once) {
                txn_commit(r, deadline);
        } else {
                rd_kafka_topic_partition_list_t *c;

                /* Let their in-flight work finish, then commit. */
                if (!drain(r, l, deadline))
                        enr_warn(LOGC, "revoke: in-flight inputs did not "
                                       "finish; committing the "
                                       "acknowledged prefix only");
                c = rd_kafka_topic_partition_list_new(l->cnt);
                for (i = 0; i < l->cnt; i++) {
                        int32_t p   = l->elems[i].partition;
                        int64_t off = enr_offsets_committable(r->offsets, p);

                        if (off >= 0)
                                rd_kafka_topic_partition_list_add(
                                    c, l->elems[i].topic, p)
                                    ->offset = off;
                }
                if (c->cnt > 0) {
                        err = rd_kafka_commit(r->consumer, c, 0);
                        if (err && err != RD_KAFKA_RESP_ERR__NO_OFFSET)
                                enr_warn(LOGC, "commit on revoke: %s",
                                         rd_kafka_err2str(err));
                        else
                                enr_metrics_add(r->metrics, ENR_M_COMMITTED,
                                                NULL, c->cnt);
                }
                rd_kafka_topic_partition_list_destroy(c);
        }
        for (i = 0; i < l->cnt; i++) {
                int32_t   p  = l->elems[i].partition;
                pstate_t *ps = &r->parts[p];

                if (!lost)
                        atomic_fetch_add(&ps->gen, 1);
                enr_offsets_unassign(r->offsets, p);
                if (ps->assigned)
                        r->nassigned--;
                ps->assigned    = false;
                ps->batch_first = ps->batch_last = -1;
        }
}

static void rebalance_cb(rd_kafka_t *rk, rd_kafka_resp_err_t err,
                         rd_kafka_topic_partition_list_t *l, void *opaque) {
        run_t            *r     = opaque;
        const char       *proto = rd_kafka_rebalance_protocol(rk);
        bool              coop  = proto && !strcmp(proto, "COOPERATIVE");
        rd_kafka_error_t *error = NULL;
        int               i;

        enr_metrics_add(r->metrics, ENR_M_REBALANCES, NULL, 1);
        for (i = 0; i < l->cnt; i++) {
                if (l->elems[i].partition >= ENR_OFFSETS_MAX_PARTITIONS) {
                        enr_error(LOGC,
                                  "partition %" PRId32 " is over the "
                                  "supported limit",
                                  l->elems[i].partition);
                        atomic_store(&r->fatal, 1);
                        return;
                }
        }
        switch (err) {
        case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
                enr_info(LOGC, "assigned %d partition(s) (%s)", l->cnt,
                         proto ? proto : "?");
                on_assign(r, l);
                if (coop)
                        error = rd_kafka_incremental_assign(rk, l);
                else
                        rd_kafka_assign(rk, l);
                if (r->paused)
                        rd_kafka_pause_partitions(rk, l);
                break;
        case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS: {
                bool lost = rd_kafka_assignment_lost(rk);

                enr_info(LOGC, "%s %d partition(s)", lost ? "lost" : "revoked",
                         l->cnt);
                on_revoke(r, l, lost);
                if (coop)
                        error = rd_kafka_incremental_unassign(rk, l);
                else
                        rd_kafka_assign(rk, NULL);
                break;
        }
        default:
                enr_error(LOGC, "rebalance failed: %s", rd_kafka_err2str(err));
                on_revoke(r, l, true);
                rd_kafka_assign(rk, NULL);
                break;
        }
        if (error) {
                enr_error(LOGC, "incremental (un)assign: %s",
                          rd_kafka_error_string(error));
                rd_kafka_error_destroy(error);
        }
        atomic_store(&r->ready, r->nassigned > 0);
}

static int ready_cb(void *opaque) {
        run_t *r = opaque;

        return atomic_load(&r->ready) && !atomic_load(&r->brokers_down);
}

/*
 * Set-up and the main loop.
 */

static int start_clients(run_t *r, char *errstr, size_t n) {
        /* Production defaults, as key/value pairs; -X overrides them. */
        /* clang-format off */
        static const char *const consumer_defaults[] = {
            "partition.assignment.strategy", "cooperative-sticky",
            "enable.auto.offset.store", "false",
            "isolation.level", "read_committed",
            /* A new group starts at the beginning: skip nothing. */
            "auto.offset.reset", "earliest",
            /* Commits on revoke can fail in librdkafka 2.0.2 under the
             * cooperative protocol (ILLEGAL_GENERATION, librdkafka#4059,
             * fixed in 2.10): commit the stored prefix often so the work
             * a new owner repeats stays small. */
            "auto.commit.interval.ms", "1000",
            /* Prefetch a few seconds of work, not librdkafka's 64 MiB:
             * memory stays flat, and a revoked partition leaves little
             * fetched work behind. */
            "queued.max.messages.kbytes", "16384",
            NULL};
        static const char *const producer_defaults[] = {
            "enable.idempotence", "true",
            "acks", "all",
            "compression.codec", "lz4",
            "linger.ms", "5",
            NULL};
        /* clang-format on */
        rd_kafka_conf_t                 *cc = NULL, *pc = NULL;
        rd_kafka_topic_partition_list_t *sub;
        rd_kafka_resp_err_t              err;
        char                             tid[512], host[128];

        cc = base_conf(r, consumer_defaults, errstr, n);
        if (!cc)
                return -1;
        if (conf_set(cc, "group.id", r->cfg.group, errstr, n) ||
            conf_set(cc, "enable.auto.commit",
                     r->cfg.exactly_once ? "false" : "true", errstr, n) ||
            (r->cfg.exit_at_end &&
             conf_set(cc, "enable.partition.eof", "true", errstr, n)) ||
            (*r->cfg.instance_id && conf_set(cc, "group.instance.id",
                                             r->cfg.instance_id, errstr, n))) {
                rd_kafka_conf_destroy(cc);
                return -1;
        }
        rd_kafka_conf_set_rebalance_cb(cc, rebalance_cb);
        r->consumer = rd_kafka_new(RD_KAFKA_CONSUMER, cc, errstr, n);
        if (!r->consumer) {
                rd_kafka_conf_destroy(cc);
                return -1;
        }
        rd_kafka_poll_set_consumer(r->consumer);

        pc = base_conf(r, producer_defaults, errstr, n);
        if (!pc)
                return -1;
        rd_kafka_conf_set_dr_msg_cb(pc, dr_cb);
        if (r->cfg.exactly_once) {
                /* One transactional id per worker instance: a restarted
                 * instance fences its predecessor. Without an instance id
                 * the host and pid stand in (unique but not stable: a dead
                 * worker's open transaction then ends by the transaction
                 * timeout); with KIP-447 either is safe when partitions
                 * move, since the group generation fences zombies. */
                if (*r->cfg.instance_id) {
                        snprintf(tid, sizeof(tid), "%s-%s-%s",
                                 *r->cfg.transactional_id
                                     ? r->cfg.transactional_id
                                     : "enricher",
                                 r->cfg.group, r->cfg.instance_id);
                } else {
                        if (gethostname(host, sizeof(host)))
                                snprintf(host, sizeof(host), "host");
                        host[sizeof(host) - 1] = '\0';
                        snprintf(tid, sizeof(tid), "%s-%s-%s-%ld",
                                 *r->cfg.transactional_id
                                     ? r->cfg.transactional_id
                                     : "enricher",
                                 r->cfg.group, host, (long)getpid());
                        enr_warn(LOGC,
                                 "--exactly-once without --instance-id: "
                                 "transactional id %s is not stable "
                                 "across restarts",
                                 tid);
                }
                if (conf_set(pc, "transactional.id", tid, errstr, n)) {
                        rd_kafka_conf_destroy(pc);
                        return -1;
                }
                enr_info(LOGC, "transactional.id=%s", tid);
        }
        r->producer = rd_kafka_new(RD_KAFKA_PRODUCER, pc, errstr, n);
        if (!r->producer) {
                rd_kafka_conf_destroy(pc);
                return -1;
        }
        r->out_rkt = rd_kafka_topic_new(r->producer, r->cfg.output_topic, NULL);
        r->dlq_rkt = rd_kafka_topic_new(r->producer, r->dlq_topic, NULL);
        if (!r->out_rkt || !r->dlq_rkt) {
                enr_set_errstr(errstr, n, "topic handles: %s",
                               rd_kafka_err2str(rd_kafka_last_error()));
                return -1;
        }
        if (r->cfg.exactly_once) {
                rd_kafka_error_t *error =
                    rd_kafka_init_transactions(r->producer, TXN_TIMEOUT_MS);
                if (error) {
                        enr_set_errstr(errstr, n, "init_transactions: %s",
                                       rd_kafka_error_string(error));
                        rd_kafka_error_destroy(error);
                        return -1;
                }
        }
        sub = rd_kafka_topic_partition_list_new(1);
        rd_kafka_topic_partition_list_add(sub, r->cfg.input_topic,
                                          RD_KAFKA_PARTITION_UA);
        err = rd_kafka_subscribe(r->consumer, sub);
        rd_kafka_topic_partition_list_destroy(sub);
        if (err) {
                enr_set_errstr(errstr, n, "subscribe to %s: %s",
                               r->cfg.input_topic, rd_kafka_err2str(err));
                return -1;
        }
        return 0;
}

/* Pauses or resumes the whole assignment for backpressure. */
static void backpressure(run_t *r) {
        int64_t inflight = atomic_load(&r->inflight);
        /* Every message in the producer queue is an input in flight, so
         * this bounds the queue too; a full queue (QUEUE_FULL, when
         * max-inflight is over queue.buffering.max.messages) makes the
         * enrichment threads wait, and then the in-flight count grows to
         * the limit. */
        bool                             full = inflight >= r->cfg.max_inflight;
        rd_kafka_topic_partition_list_t *l;

        if (full == r->paused)
                return;
        if (!full && inflight > r->cfg.max_inflight / 2)
                return;
        if (rd_kafka_assignment(r->consumer, &l))
                return;
        if (full)
                rd_kafka_pause_partitions(r->consumer, l);
        else
                rd_kafka_resume_partitions(r->consumer, l);
        enr_debug(LOGC, "%s consumption (%" PRId64 " in flight)",
                  full ? "paused" : "resumed", inflight);
        r->paused = full;
        rd_kafka_topic_partition_list_destroy(l);
}

/* --exit-at-end: whether every assigned partition reached its end. */
static bool all_at_end(run_t *r) {
        int32_t p;

        if (r->nassigned == 0)
                return false;
        for (p = 0; p < ENR_OFFSETS_MAX_PARTITIONS; p++)
                if (r->parts[p].assigned && !r->parts[p].at_end)
                        return false;
        return atomic_load(&r->inflight) == 0 && !r->txn_open;
}

/* Handles one consumed message (or event); takes ownership of m. */
static void consumed(run_t *r, rd_kafka_message_t *m) {
        pstate_t *ps;
        job_t    *job;
        enr_err_t err;

        if (m->err) {
                if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
                        if (m->partition >= 0 &&
                            m->partition < ENR_OFFSETS_MAX_PARTITIONS &&
                            r->parts[m->partition].assigned &&
                            m->offset >= r->parts[m->partition].end)
                                r->parts[m->partition].at_end = true;
                } else {
                        enr_warn(LOGC, "consumer: %s",
                                 rd_kafka_message_errstr(m));
                        if (m->err == RD_KAFKA_RESP_ERR__FATAL)
                                atomic_store(&r->fatal, 1);
                }
                rd_kafka_message_destroy(m);
                return;
        }
        atomic_store(&r->brokers_down, 0);
        if (m->partition < 0 || m->partition >= ENR_OFFSETS_MAX_PARTITIONS ||
            !r->parts[m->partition].assigned) {
                rd_kafka_message_destroy(m);
                return;
        }
        ps = &r->parts[m->partition];
        if (r->cfg.exit_at_end && ps->end >= 0 && m->offset >= ps->end) {
                /* Past the end seen at start-up: left for the next run,
                 * not committed. */
                ps->at_end = true;
                rd_kafka_message_destroy(m);
                return;
        }
        enr_metrics_add(r->metrics, ENR_M_CONSUMED, NULL, 1);
        enr_metrics_add(r->metrics, ENR_M_BYTES_IN, NULL, (double)m->len);
        if (r->cfg.exactly_once) {
                if (!r->txn_open) {
                        rd_kafka_error_t *error =
                            rd_kafka_begin_transaction(r->producer);
                        if (error) {
                                enr_error(LOGC, "begin_transaction: %s",
                                          rd_kafka_error_string(error));
                                rd_kafka_error_destroy(error);
                                atomic_store(&r->fatal, 1);
                                rd_kafka_message_destroy(m);
                                return;
                        }
                        r->txn_open       = true;
                        r->batch_start_ms = now_ms();
                }
                if (ps->batch_first < 0)
                        ps->batch_first = m->offset;
                ps->batch_last = m->offset;
                r->batch_msgs++;
        } else {
                err = enr_offsets_track(r->offsets, m->partition, m->offset);
                if (err) {
                        /* Never dispatch what the watermark cannot follow. */
                        enr_error(LOGC,
                                  "cannot track [%" PRId32 "] @ %" PRId64
                                  ": %s",
                                  m->partition, m->offset, enr_err_str(err));
                        atomic_store(&r->failed, 1);
                        rd_kafka_message_destroy(m);
                        return;
                }
        }
        if (r->cfg.exit_at_end && ps->end >= 0 && m->offset + 1 >= ps->end)
                ps->at_end = true;
        job = calloc(1, sizeof(*job));
        if (!job) {
                enr_error(LOGC, "out of memory");
                atomic_store(&r->failed, 1);
                rd_kafka_message_destroy(m);
                return;
        }
        job->msg       = m;
        job->partition = m->partition;
        job->offset    = m->offset;
        job->gen       = atomic_load(&ps->gen);
        dispatch(r, job);
}

static int start_workers(run_t *r, char *errstr, size_t n) {
        int i;

        r->nworkers = (int)r->cfg.threads;
        r->workers  = calloc((size_t)r->nworkers, sizeof(*r->workers));
        if (!r->workers)
                return -1;
        for (i = 0; i < r->nworkers; i++) {
                worker_t *w = &r->workers[i];

                w->run = r;
                pthread_mutex_init(&w->lock, NULL);
                pthread_cond_init(&w->cond, NULL);
                w->scratch = enr_scratch_new(r->enricher);
                if (!w->scratch ||
                    pthread_create(&w->thread, NULL, worker_main, w)) {
                        enr_set_errstr(errstr, n,
                                       "cannot start enrichment thread %d", i);
                        return -1;
                }
                w->started = true;
        }
        return 0;
}

static void stop_workers(run_t *r) {
        int i;

        if (!r->workers)
                return;
        for (i = 0; i < r->nworkers; i++) {
                worker_t *w = &r->workers[i];

                pthread_mutex_lock(&w->lock);
                w->quit = true;
                pthread_cond_signal(&w->cond);
                pthread_mutex_unlock(&w->lock);
        }
        for (i = 0; i < r->nworkers; i++) {
                worker_t *w = &r->workers[i];

                if (w->started)
                        pthread_join(w->thread, NULL);
                enr_scratch_destroy(w->scratch);
                pthread_mutex_destroy(&w->lock);
                pthread_cond_destroy(&w->cond);
        }
        free(r->workers);
        r->workers = NULL;
}

/* The main loop: returns the exit status. */
static int loop(run_t *r) {
        int64_t deadline;
        int     rc     = 0;
        bool    at_end = false;

        while (!stop_requested && !atomic_load(&r->fatal) &&
               !atomic_load(&r->failed)) {
                rd_kafka_message_t *m;

                serve(r, 0);
                backpressure(r);
                if (r->txn_open &&
                    (r->batch_msgs >= r->cfg.txn_max_messages ||
                     now_ms() - r->batch_start_ms >= r->cfg.txn_max_ms))
                        txn_commit(r, now_ms() + r->cfg.shutdown_timeout_ms);
                if (r->cfg.exit_at_end && all_at_end(r)) {
                        enr_info(LOGC, "every partition reached its end");
                        at_end = true;
                        break;
                }
                m = rd_kafka_consumer_poll(
                    r->consumer, atomic_load(&r->inflight) > 0 ? 5 : 100);
                if (m)
                        consumed(r, m);
        }
        if (stop_requested)
                enr_info(LOGC, "shutting down");
        else if (!at_end)
                enr_error(LOGC, "stopping after a %s error",
                          atomic_load(&r->fatal) ? "fatal" : "delivery");

        /* Finish (or, under exactly-once, commit) in-flight work. */
        deadline = now_ms() + r->cfg.shutdown_timeout_ms;
        if (!atomic_load(&r->fatal)) {
                if (r->cfg.exactly_once) {
                        if (txn_commit(r, deadline))
                                rc = 1;
                } else if (!drain(r, NULL, deadline)) {
                        enr_error(LOGC,
                                  "%" PRId64 " input(s) still in flight at "
                                  "shutdown; their offsets are not "
                                  "committed",
                                  atomic_load(&r->inflight));
                        rc = 1;
                }
                store_offsets(r);
        }
        return rc;
}

int enr_cmd_run(int argc, char **argv) {
        static const enr_cli_extra_t extras[] = {{NULL, 0, 0, NULL, NULL}};
        run_t                       *r;
        char                         errstr[512];
        char                       **args  = NULL;
        int                          nargs = 0, rc = 1;
        int64_t                      deadline;
        struct sigaction             sa;

        r = calloc(1, sizeof(*r));
        if (!r || enr_config_init(&r->cfg)) {
                fprintf(stderr, "enricher run: out of memory\n");
                free(r);
                return 1;
        }
        rc = enr_cli_exit_status(enr_cli_parse(
            &r->cfg, argc, argv,
            ENR_OPT_SCOPE_KAFKA | ENR_OPT_SCOPE_ENRICH | ENR_OPT_SCOPE_OPS,
            extras,
            "enricher run -b BROKERS -i INPUT -o OUTPUT [-g GROUP] "
            "[OPTIONS]\n\n"
            "Consumes articles from INPUT, produces one enriched record per "
            "article to OUTPUT\n(keyed and with headers as the input), "
            "refused inputs to the dead-letter topic.\n"
            "At-least-once by default; --exactly-once uses transactions.",
            &args, &nargs));
        if (rc >= 0)
                goto out;
        rc = 1;
        if (nargs > 0) {
                fprintf(stderr, "enricher run: unexpected argument '%s'\n",
                        args[0]);
                rc = 2;
                goto out;
        }
        if (!*r->cfg.brokers || !*r->cfg.input_topic || !*r->cfg.output_topic) {
                fprintf(stderr, "enricher run: --brokers, --input and "
                                "--output are required\n");
                rc = 2;
                goto out;
        }
        if (parse_from(r, r->cfg.from, errstr, sizeof(errstr))) {
                fprintf(stderr, "enricher run: %s\n", errstr);
                rc = 2;
                goto out;
        }
        if (*r->cfg.dlq_topic)
                snprintf(r->dlq_topic, sizeof(r->dlq_topic), "%s",
                         r->cfg.dlq_topic);
        else
                snprintf(r->dlq_topic, sizeof(r->dlq_topic), "%s.dlq",
                         r->cfg.input_topic);

        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);

        r->metrics = enr_metrics_new();
        r->offsets = enr_offsets_new((size_t)r->cfg.max_inflight * 2);
        r->parts   = calloc(ENR_OFFSETS_MAX_PARTITIONS, sizeof(*r->parts));
        if (!r->metrics || !r->offsets || !r->parts) {
                enr_error(LOGC, "out of memory");
                goto out;
        }
        batch_reset(r);
        r->enricher = enr_enricher_new(&r->cfg, errstr, sizeof(errstr));
        if (!r->enricher) {
                enr_error(LOGC, "%s", errstr);
                rc = 2;
                goto out;
        }
        if (*r->cfg.metrics_addr) {
                r->http = enr_http_start(r->cfg.metrics_addr, r->metrics,
                                         ready_cb, r, errstr, sizeof(errstr));
                if (!r->http) {
                        enr_error(LOGC, "metrics endpoint: %s", errstr);
                        rc = 2;
                        goto out;
                }
        }
        if (start_clients(r, errstr, sizeof(errstr)) ||
            start_workers(r, errstr, sizeof(errstr))) {
                enr_error(LOGC, "%s", errstr);
                goto out;
        }
        enr_info(LOGC,
                 "consuming %s, producing %s (dead letters to %s), group %s, "
                 "%d thread(s), %s",
                 r->cfg.input_topic, r->cfg.output_topic, r->dlq_topic,
                 r->cfg.group, r->nworkers,
                 r->cfg.exactly_once ? "exactly-once" : "at-least-once");

        rc = loop(r);

        deadline = now_ms() + r->cfg.shutdown_timeout_ms;
        atomic_store(&r->abandon, 1);
        if (!atomic_load(&r->fatal)) {
                /* Commits through the revoke callback, then leaves. */
                rd_kafka_resp_err_t err = rd_kafka_consumer_close(r->consumer);
                if (err)
                        enr_warn(LOGC, "closing the consumer: %s",
                                 rd_kafka_err2str(err));
        }
        stop_workers(r);
        if (!r->cfg.exactly_once || !atomic_load(&r->fatal)) {
                int64_t left = deadline - now_ms();

                rd_kafka_flush(r->producer, left > 0 ? (int)left : 0);
        }
        if (rd_kafka_outq_len(r->producer) > 0) {
                enr_error(LOGC, "%d message(s) not delivered",
                          rd_kafka_outq_len(r->producer));
                rc = 1;
        }
        if (atomic_load(&r->fatal) || atomic_load(&r->failed))
                rc = 1;
        enr_info(LOGC, "stopped (exit status %d)", rc);
out:
        if (r->consumer)
                rd_kafka_destroy_flags(r->consumer,
                                       RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
        stop_workers(r);
        if (r->producer) {
                if (r->out_rkt)
                        rd_kafka_topic_destroy(r->out_rkt);
                if (r->dlq_rkt)
                        rd_kafka_topic_destroy(r->dlq_rkt);
                /* Undelivered messages' reports free their jobs. */
                rd_kafka_purge(r->producer, RD_KAFKA_PURGE_F_QUEUE |
                                                RD_KAFKA_PURGE_F_INFLIGHT);
                r->aborting = true;
                rd_kafka_poll(r->producer, 0);
                rd_kafka_destroy(r->producer);
        }
        enr_http_stop(r->http);
        enr_enricher_destroy(r->enricher);
        enr_offsets_destroy(r->offsets);
        free(r->parts);
        enr_metrics_destroy(r->metrics);
        enr_config_clear(&r->cfg);
        free(args);
        free(r);
        return rc;
}
