/*
 * The shared duplicate index (fingerprints.h): the compacted fingerprint
 * topic, its start-up load and the thread that tails it.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fingerprints.h"
#include "enricher/log.h"

#define LOGC "fingerprints"

/* How long one poll of the tailing consumer blocks. */
#define POLL_MS 200

/* How long creating the topic may take. */
#define CREATE_TIMEOUT_MS 10000

struct enr_fpshare {
        rd_kafka_t        *rk; /* A consumer, assigned every partition. */
        char               topic[512];
        enr_dedup_t       *idx;
        enr_metrics_t     *metrics;
        pthread_t          tid;
        bool               running;
        atomic_int         stop;
        atomic_ullong      loaded;
        atomic_ullong      rejected;
        int32_t            npartitions;
        bool              *at_end; /* Per partition: reached its end once. */
        int32_t            nat_end;
        const _Atomic int *fatal; /* Set by the program on a fatal error
                                     (a refused login): stop waiting. */
};

static int64_t mono_ms(void) {
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

size_t enr_fpshare_format(char *buf, size_t size, int64_t time_ms,
                          const enr_fingerprint_t *fp) {
        char   text[ENR_FP_TEXT_MAX];
        size_t n = enr_fingerprint_format(fp, text, sizeof(text));
        int    w;

        if (!n)
                return 0;
        w = snprintf(buf, size, "%" PRId64 " %s", time_ms, text);
        return w > 0 && (size_t)w < size ? (size_t)w : 0;
}

int enr_fpshare_parse(const char *s, size_t len, int64_t *time_ms,
                      enr_fingerprint_t *fp) {
        int64_t v = 0;
        size_t  i = 0;
        bool    neg;

        neg = len > 0 && s[0] == '-';
        i   = neg;
        if (i >= len || s[i] < '0' || s[i] > '9')
                return -1;
        for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
                if (v > (INT64_MAX - 9) / 10)
                        return -1;
                v = v * 10 + (s[i] - '0');
        }
        if (i >= len || s[i] != ' ')
                return -1;
        i++;
        if (enr_fingerprint_parse(s + i, len - i, fp))
                return -1;
        *time_ms = neg ? -v : v;
        return 0;
}

/* Adds one message of the topic to the index. */
static void take(enr_fpshare_t *fs, const rd_kafka_message_t *m) {
        enr_fingerprint_t fp;
        int64_t           t;

        if (!m->key || !m->key_len || !m->payload ||
            enr_fpshare_parse(m->payload, m->len, &t, &fp) ||
            enr_dedup_add(fs->idx, &fp, m->key, m->key_len, t)) {
                /* A tombstone or a value from something else: skipped, so
                 * a stranger on the topic cannot stop the workers. */
                if (atomic_fetch_add(&fs->rejected, 1) == 0)
                        enr_warn(LOGC,
                                 "%s [%" PRId32 "] @ %" PRId64
                                 ": not a fingerprint, skipped (further "
                                 "ones are counted, not logged)",
                                 fs->topic, m->partition, m->offset);
                return;
        }
        atomic_fetch_add(&fs->loaded, 1);
}

/* Serves one consumer event or message; returns 1 on a partition's end. */
static int serve(enr_fpshare_t *fs, int timeout_ms) {
        rd_kafka_message_t *m   = rd_kafka_consumer_poll(fs->rk, timeout_ms);
        int                 end = 0;

        if (!m)
                return 0;
        if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
                if (m->partition >= 0 && m->partition < fs->npartitions &&
                    !fs->at_end[m->partition]) {
                        fs->at_end[m->partition] = true;
                        fs->nat_end++;
                }
                end = 1;
        } else if (m->err) {
                enr_warn(LOGC, "%s: %s", fs->topic, rd_kafka_message_errstr(m));
        } else {
                take(fs, m);
        }
        rd_kafka_message_destroy(m);
        return end;
}

static void *tail_main(void *arg) {
        enr_fpshare_t *fs = arg;

        while (!atomic_load(&fs->stop)) {
                serve(fs, POLL_MS);
                if (fs->metrics) {
                        enr_metrics_set(fs->metrics, ENR_M_DEDUP_ENTRIES, NULL,
                                        (double)enr_dedup_size(fs->idx));
                        enr_metrics_set(fs->metrics, ENR_M_DEDUP_BYTES, NULL,
                                        (double)enr_dedup_memory(fs->idx));
                }
        }
        return NULL;
}

/* Whether the program had a fatal error (its error callback saw the
 * brokers refuse us): waiting on would only delay the exit. */
static bool given_up(const enr_fpshare_t *fs) {
        /* Serve the consumer's events first: its error callback is what
         * tells. Only called before the assignment, when no message can
         * come. */
        rd_kafka_message_t *m = rd_kafka_consumer_poll(fs->rk, 0);

        if (m)
                rd_kafka_message_destroy(m);
        return fs->fatal && atomic_load(fs->fatal);
}

/* Creates the topic, compacted; an existing topic is left as it is. */
static int create_topic(enr_fpshare_t *fs, int64_t retention_ms,
                        int64_t timeout_ms, char *errstr, size_t errstr_size) {
        rd_kafka_NewTopic_t            *nt;
        rd_kafka_AdminOptions_t        *opts;
        rd_kafka_queue_t               *q;
        rd_kafka_event_t               *ev;
        const rd_kafka_topic_result_t **res;
        size_t                          nres = 0;
        int64_t                         deadline;
        char                            num[32], err[256];
        int                             rc = -1;

        nt = rd_kafka_NewTopic_new(fs->topic, 1, -1, err, sizeof(err));
        if (!nt) {
                enr_set_errstr(errstr, errstr_size, "%s: %s", fs->topic, err);
                return -1;
        }
        snprintf(num, sizeof(num), "%" PRId64, retention_ms);
        rd_kafka_NewTopic_set_config(nt, "cleanup.policy", "compact,delete");
        rd_kafka_NewTopic_set_config(nt, "retention.ms", num);
        opts =
            rd_kafka_AdminOptions_new(fs->rk, RD_KAFKA_ADMIN_OP_CREATETOPICS);
        rd_kafka_AdminOptions_set_request_timeout(opts, (int)timeout_ms, err,
                                                  sizeof(err));
        q = rd_kafka_queue_new(fs->rk);
        rd_kafka_CreateTopics(fs->rk, &nt, 1, opts, q);
        for (deadline = mono_ms() + timeout_ms + 1000;
             !(ev = rd_kafka_queue_poll(q, POLL_MS)) && !given_up(fs) &&
             mono_ms() < deadline;)
                ;
        if (!ev) {
                enr_set_errstr(errstr, errstr_size,
                               "creating %s: no answer in %" PRId64 " ms",
                               fs->topic, timeout_ms);
                goto out;
        }
        if (rd_kafka_event_error(ev)) {
                enr_set_errstr(errstr, errstr_size, "creating %s: %s",
                               fs->topic, rd_kafka_event_error_string(ev));
                goto out;
        }
        res = rd_kafka_CreateTopics_result_topics(
            rd_kafka_event_CreateTopics_result(ev), &nres);
        if (nres == 1 && rd_kafka_topic_result_error(res[0]) &&
            rd_kafka_topic_result_error(res[0]) !=
                RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
                enr_set_errstr(errstr, errstr_size, "creating %s: %s",
                               fs->topic,
                               rd_kafka_topic_result_error_string(res[0]));
                goto out;
        }
        if (nres == 1 && !rd_kafka_topic_result_error(res[0]))
                enr_info(LOGC, "created the compacted topic %s", fs->topic);
        rc = 0;
out:
        if (ev)
                rd_kafka_event_destroy(ev);
        rd_kafka_queue_destroy(q);
        rd_kafka_AdminOptions_destroy(opts);
        rd_kafka_NewTopic_destroy(nt);
        return rc;
}

/* The topic's partition count, waiting until its metadata is known. */
static int32_t partitions(enr_fpshare_t *fs, int64_t deadline) {
        rd_kafka_topic_t *rkt = rd_kafka_topic_new(fs->rk, fs->topic, NULL);
        int32_t           n   = -1;

        if (!rkt)
                return -1;
        while (n <= 0 && mono_ms() < deadline && !given_up(fs)) {
                const rd_kafka_metadata_t *md;
                if (rd_kafka_metadata(fs->rk, 0, rkt, &md, 5000) ==
                    RD_KAFKA_RESP_ERR_NO_ERROR) {
                        if (md->topic_cnt == 1 && !md->topics[0].err)
                                n = md->topics[0].partition_cnt;
                        rd_kafka_metadata_destroy(md);
                }
                if (n <= 0) {
                        struct timespec ts = {0, 200 * 1000000L};
                        nanosleep(&ts, NULL);
                }
        }
        rd_kafka_topic_destroy(rkt);
        return n;
}

/* Assigns every partition from its beginning and reads up to the end.
 * A large topic may take long to read (a million fingerprints, a loaded
 * host): it fails when the deadline passes with nothing read yet, or
 * stall_ms pass without a fingerprint read. */
static int load(enr_fpshare_t *fs, int64_t deadline, int64_t stall_ms,
                char *errstr, size_t errstr_size) {
        rd_kafka_topic_partition_list_t *l;
        rd_kafka_resp_err_t              err;
        int32_t                          p;
        uint64_t                         seen = 0, now_loaded;

        fs->at_end = calloc((size_t)fs->npartitions, sizeof(*fs->at_end));
        l          = rd_kafka_topic_partition_list_new(fs->npartitions);
        if (!fs->at_end || !l) {
                enr_set_errstr(errstr, errstr_size, "out of memory");
                if (l)
                        rd_kafka_topic_partition_list_destroy(l);
                return -1;
        }
        for (p = 0; p < fs->npartitions; p++)
                rd_kafka_topic_partition_list_add(l, fs->topic, p)->offset =
                    RD_KAFKA_OFFSET_BEGINNING;
        err = rd_kafka_assign(fs->rk, l);
        rd_kafka_topic_partition_list_destroy(l);
        if (err) {
                enr_set_errstr(errstr, errstr_size, "assigning %s: %s",
                               fs->topic, rd_kafka_err2str(err));
                return -1;
        }
        while (fs->nat_end < fs->npartitions) {
                now_loaded =
                    atomic_load(&fs->loaded) + atomic_load(&fs->rejected);
                if (now_loaded != seen) {
                        /* Progress: the clock restarts. */
                        seen     = now_loaded;
                        deadline = mono_ms() + stall_ms;
                }
                /* serve() polls the consumer: its events are served. */
                if (mono_ms() >= deadline ||
                    (fs->fatal && atomic_load(fs->fatal))) {
                        enr_set_errstr(errstr, errstr_size,
                                       "%s: not read to its end: nothing "
                                       "read for %" PRId64 " s (%" PRIu64
                                       " fingerprints so far)",
                                       fs->topic, stall_ms / 1000,
                                       (uint64_t)atomic_load(&fs->loaded));
                        return -1;
                }
                serve(fs, POLL_MS);
        }
        return 0;
}

enr_fpshare_t *enr_fpshare_start(rd_kafka_conf_t *conf, const char *topic,
                                 bool create, int64_t retention_ms,
                                 enr_dedup_t *idx, enr_metrics_t *m,
                                 const _Atomic int *fatal, int64_t timeout_ms,
                                 char *errstr, size_t errstr_size) {
        enr_fpshare_t *fs = calloc(1, sizeof(*fs));
        int64_t        t0 = mono_ms(), deadline = t0 + timeout_ms;
        char           err[512];

        if (!fs) {
                rd_kafka_conf_destroy(conf);
                enr_set_errstr(errstr, errstr_size, "out of memory");
                return NULL;
        }
        snprintf(fs->topic, sizeof(fs->topic), "%s", topic);
        fs->idx     = idx;
        fs->metrics = m;
        fs->fatal   = fatal;
        /* This consumer reads every partition itself (assign, never
         * subscribe: it joins no group) and never commits; librdkafka
         * still wants a group id. Partition ends tell when the start-up
         * load is done. */
        if (rd_kafka_conf_set(conf, "group.id", "enricher-fingerprints", err,
                              sizeof(err)) ||
            rd_kafka_conf_set(conf, "enable.auto.commit", "false", err,
                              sizeof(err)) ||
            rd_kafka_conf_set(conf, "enable.partition.eof", "true", err,
                              sizeof(err)) ||
            rd_kafka_conf_set(conf, "isolation.level", "read_committed", err,
                              sizeof(err)) ||
            rd_kafka_conf_set(conf, "allow.auto.create.topics",
                              create ? "false" : "true", err, sizeof(err))) {
                rd_kafka_conf_destroy(conf);
                enr_set_errstr(errstr, errstr_size, "%s", err);
                goto fail;
        }
        fs->rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof(err));
        if (!fs->rk) {
                rd_kafka_conf_destroy(conf);
                enr_set_errstr(errstr, errstr_size, "%s", err);
                goto fail;
        }
        rd_kafka_poll_set_consumer(fs->rk);
        /* Without the right to create topics (or on a cluster without a
         * controller, like the dev broker), an existing or auto-created
         * topic serves as well. */
        if (create &&
            create_topic(fs, retention_ms,
                         timeout_ms < CREATE_TIMEOUT_MS ? timeout_ms
                                                        : CREATE_TIMEOUT_MS,
                         err, sizeof(err)))
                enr_warn(LOGC, "%s; using the topic as it is", err);
        fs->npartitions = partitions(fs, deadline);
        if (fs->npartitions <= 0) {
                enr_set_errstr(errstr, errstr_size,
                               "%s: no metadata in %" PRId64 " ms", fs->topic,
                               timeout_ms);
                goto fail;
        }
        if (load(fs, deadline, timeout_ms, errstr, errstr_size))
                goto fail;
        enr_info(LOGC,
                 "duplicate index: %" PRIu64 " fingerprints from %s in "
                 "%" PRId64 " ms",
                 (uint64_t)atomic_load(&fs->loaded), fs->topic, mono_ms() - t0);
        if (pthread_create(&fs->tid, NULL, tail_main, fs)) {
                enr_set_errstr(errstr, errstr_size,
                               "cannot start the thread tailing %s", topic);
                goto fail;
        }
        fs->running = true;
        return fs;
fail:
        enr_fpshare_stop(fs);
        return NULL;
}

void enr_fpshare_stop(enr_fpshare_t *fs) {
        if (!fs)
                return;
        atomic_store(&fs->stop, 1);
        if (fs->running)
                pthread_join(fs->tid, NULL);
        if (fs->rk) {
                rd_kafka_consumer_close(fs->rk);
                rd_kafka_destroy(fs->rk);
        }
        free(fs->at_end);
        free(fs);
}

uint64_t enr_fpshare_loaded(const enr_fpshare_t *fs) {
        return fs ? (uint64_t)atomic_load(&fs->loaded) : 0;
}
