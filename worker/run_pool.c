/*
 * `enricher run`'s enrichment threads and produce path. The main thread
 * dispatches each consumed input to one of N threads (input partition
 * modulo N, so one partition is always handled by one thread, in order);
 * the thread enriches it and produces its record to the output topic, or
 * the input with the reason to the dead-letter topic. The job then belongs
 * to the producer until its delivery report (served on the main thread)
 * hands it to the delivery mode and frees it.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "enricher/log.h"
#include "run_int.h"

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

/* The source headers every output and dead letter carries. */
static void add_source_headers(run_t *r, rd_kafka_headers_t *h,
                               const rd_kafka_message_t *m) {
        char num[32];

        add_header(h, "enricher-source-topic", r->cfg.input_topic);
        snprintf(num, sizeof(num), "%" PRId32, m->partition);
        add_header(h, "enricher-source-partition", num);
        snprintf(num, sizeof(num), "%" PRId64, m->offset);
        add_header(h, "enricher-source-offset", num);
}


/* Sends the original input to the dead-letter topic with the reason. */
static rd_kafka_resp_err_t dead_letter(run_t *r, job_t *job,
                                       const rd_kafka_message_t *m,
                                       rd_kafka_headers_t *hdrs, enr_err_t err,
                                       const char *message) {
        char when[48];

        add_header(hdrs, "enricher-error", enr_err_name(err));
        add_header(hdrs, "enricher-error-message", message);
        add_source_headers(r, hdrs, m);
        enr_time_iso8601(when, sizeof(when), enr_clock_wall_ms());
        add_header(hdrs, "enricher-failed-at", when);
        job->err       = err;
        job->out_bytes = m->len;
        return produce(r, r->dlq_rkt, m->key, m->key_len, m->payload, m->len,
                       hdrs, job);
}

/* Produces the enriched record of m to the output topic, keyed by the
 * input's key (else by the article id), with the input's headers plus
 * ours. A record over the producer's size limit dead-letters the input;
 * *as_record says which was produced (the job itself may already be
 * finished by its delivery report once produced, so it is not read). */
static rd_kafka_resp_err_t produce_record(run_t *r, job_t *job,
                                          const rd_kafka_message_t *m,
                                          rd_kafka_headers_t       *hdrs,
                                          const enr_result_t       *res,
                                          bool                     *as_record) {
        static const char *const ours[] = {
            "enricher-schema", "enricher-version", "enricher-source-topic",
            "enricher-source-partition", "enricher-source-offset"};
        rd_kafka_resp_err_t kerr;
        const void         *key     = m->key;
        size_t              key_len = m->key_len;
        char                num[32];
        size_t              i;

        snprintf(num, sizeof(num), "%d", ENR_SCHEMA_VERSION);
        add_header(hdrs, "enricher-schema", num);
        add_header(hdrs, "enricher-version", ENR_VERSION_STR);
        add_source_headers(r, hdrs, m);
        if (!key && res->id && *res->id) {
                key     = res->id;
                key_len = strlen(res->id);
        }
        job->out_bytes = res->record_len;
        *as_record     = true;
        kerr           = produce(r, r->out_rkt, key, key_len, res->record,
                                 res->record_len, hdrs, job);
        if (kerr != RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE)
                return kerr;
        *as_record = false;
        /* The record can never be written: dead-letter the input with its
         * own headers (hdrs were not taken). */
        for (i = 0; i < sizeof(ours) / sizeof(ours[0]); i++)
                rd_kafka_header_remove(hdrs, ours[i]);
        return dead_letter(r, job, m, hdrs, ENR_ERR_TOO_LARGE,
                           "the enriched record is over the producer's "
                           "message.max.bytes");
}

/* Marks the record of res as a copy of an earlier article, or not, with
 * the shared index (run_clients.c start_dedup). */
static void mark_duplicate(run_t *r, worker_t *w, enr_result_t *res) {
        enr_dup_t dup;

        if (enr_enricher_mark_duplicate(w->scratch, r->dedup, res, &dup)) {
                enr_warn(LOGC, "%s: out of memory marking a duplicate",
                         res->id);
                return;
        }
        if (dup.found)
                enr_metrics_add(r->metrics, ENR_M_DUPLICATES,
                                dup.exact ? "exact" : "near", 1);
}

/* Publishes the article's fingerprint to the fingerprint topic, with its
 * record (in the same transaction under --exactly-once). A failure costs
 * other workers one fingerprint, never the record: logged and counted. */
static void publish_fingerprint(run_t *r, const enr_result_t *res) {
        char   val[ENR_FPSHARE_VALUE_MAX];
        size_t n = enr_fpshare_format(val, sizeof(val), res->time_ms,
                                      &res->fingerprint);
        rd_kafka_resp_err_t err;

        if (!n || !*res->id)
                return;
        err =
            produce(r, r->fp_rkt, res->id, strlen(res->id), val, n, NULL, NULL);
        if (err) {
                enr_warn(LOGC, "cannot publish the fingerprint of %s: %s",
                         res->id, rd_kafka_err2str(err));
                enr_metrics_add(r->metrics, ENR_M_FAILED,
                                rd_kafka_err2name(err), 1);
        }
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
        bool                as_record = false;

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
        enr_metrics_observe_result(r->metrics, &res);
        if (res.err == ENR_OK) {
                if (r->dedup)
                        mark_duplicate(r, w, &res);
                kerr = produce_record(r, job, m, hdrs, &res, &as_record);
                /* Not job->err: once produced, the job is the delivery
                 * report's and may be freed already. */
                if (!kerr && r->fp_rkt && as_record)
                        publish_fingerprint(r, &res);
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

bool enr__run_dispatch(run_t *r, rd_kafka_message_t *m) {
        worker_t *w;
        job_t    *job = calloc(1, sizeof(*job));

        if (!job) {
                enr_error(LOGC, "out of memory");
                atomic_store(&r->failed, 1);
                rd_kafka_message_destroy(m);
                return false;
        }
        job->msg       = m;
        job->partition = m->partition;
        job->offset    = m->offset;
        job->gen       = atomic_load(&r->parts[m->partition].gen);
        w              = &r->workers[job->partition % r->nworkers];
        atomic_fetch_add(&r->queued, 1);
        atomic_fetch_add(&r->inflight, 1);
        pthread_mutex_lock(&w->lock);
        if (w->tail)
                w->tail->next = job;
        else
                w->head = job;
        w->tail = job;
        pthread_cond_signal(&w->cond);
        pthread_mutex_unlock(&w->lock);
        return true;
}

void enr__run_dr_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
        run_t *r   = opaque;
        job_t *job = m->_private;

        (void)rk;
        if (!job) {
                /* A fingerprint (publish_fingerprint). */
                if (m->err && !r->aborting) {
                        enr_warn(LOGC, "delivery of a fingerprint failed: %s",
                                 rd_kafka_err2str(m->err));
                        enr_metrics_add(r->metrics, ENR_M_FAILED,
                                        rd_kafka_err2name(m->err), 1);
                }
                return;
        }
        if (m->err && !r->aborting) {
                enr_error(LOGC,
                          "delivery of the output of %s [%" PRId32
                          "] @ %" PRId64 " failed: %s",
                          r->cfg.input_topic, job->partition, job->offset,
                          rd_kafka_err2str(m->err));
                enr_metrics_add(r->metrics, ENR_M_FAILED,
                                rd_kafka_err2name(m->err), 1);
        } else if (!m->err) {
                if (job->err == ENR_OK)
                        enr_metrics_add(r->metrics, ENR_M_PRODUCED, NULL, 1);
                else
                        enr_metrics_add(r->metrics, ENR_M_DEAD_LETTERED,
                                        enr_err_name(job->err), 1);
                enr_metrics_add(r->metrics, ENR_M_BYTES_OUT, NULL,
                                (double)job->out_bytes);
        }
        r->ops->delivered(r, job, m->err);
        finish_job(r, job);
}

int enr__run_start_workers(run_t *r, char *errstr, size_t n) {
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

void enr__run_stop_workers(run_t *r) {
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
