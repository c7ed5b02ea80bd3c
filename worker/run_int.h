/*
 * Internals shared by the files of `enricher run` (not a public header):
 * the worker's state (run_t), one consumed input on its way to the producer
 * (job_t), what the worker knows of each input partition (pstate_t), and
 * the table of hooks through which the main loop drives a delivery mode
 * (delivery_ops_t). The files:
 *
 *   cmd_run.c        the command: options, --from, the main loop (consume,
 *                    dispatch, serve the producer, backpressure), shutdown;
 *   run_clients.c    the consumer and producer: configuration, callbacks;
 *   run_pool.c       the enrichment threads and the produce path, up to the
 *                    delivery report of each output;
 *   run_rebalance.c  assignment, revocation and --from's start offsets;
 *   run_alo.c        at-least-once: the acknowledged-prefix watermark;
 *   run_txn.c        exactly-once: consume-transform-produce transactions.
 */
#ifndef ENRICHER_WORKER_RUN_INT_H
#define ENRICHER_WORKER_RUN_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <librdkafka/rdkafka.h>

#include "enricher/clock.h"
#include "enricher/config.h"
#include "enricher/enricher.h"
#include "enricher/metrics.h"
#include "enricher/offsets.h"
#include "fingerprints.h"
#include "http.h"

#define LOGC "run"

/* How long a blocking metadata call (watermarks, timestamps) may take. */
#define QUERY_TIMEOUT_MS 10000

/* Longest a transactional call (with its retries) may take before it
 * counts as failed. */
#define TXN_TIMEOUT_MS 60000

typedef struct run run_t;

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

/*
 * A delivery mode: when an input counts as done and how that is committed.
 * The main loop, the delivery reports and the rebalance callback call these
 * hooks and never ask which mode runs; cmd_run.c picks the table once at
 * start-up. Every hook runs on the main thread.
 */
typedef struct delivery_ops {
        const char *name; /* For the start-up log line. */
        /* The consumer's enable.auto.commit. */
        const char *auto_commit;
        /* Whether to flush the producer at shutdown after a fatal error
         * (a transactional producer is unusable after one). */
        bool flush_after_fatal;
        /* Sets the mode's producer properties before it is created
         * (optional). */
        int (*configure)(run_t *r, rd_kafka_conf_t *pc, char *errstr, size_t n);
        /* Once both clients exist, before subscribing (optional). */
        int (*start)(run_t *r, char *errstr, size_t n);
        /* An input of an assigned partition is about to be dispatched;
         * false drops it (the hook has set r->failed or r->fatal). */
        bool (*consumed)(run_t *r, const rd_kafka_message_t *m);
        /* The delivery report of job's output or dead letter (err 0:
         * acknowledged); the job is freed after the hook returns. */
        void (*delivered)(run_t *r, const job_t *job, rd_kafka_resp_err_t err);
        /* Partitions leave the assignment (lost: someone else may own them
         * already, so nothing may be committed for them). Called before
         * they are unassigned; for lost ones the rebalance code has
         * already bumped their generation and cleared `assigned`. */
        void (*revoked)(run_t *r, const rd_kafka_topic_partition_list_t *l,
                        bool lost);
        /* Each turn of the main loop, after the producer was served. */
        void (*tick)(run_t *r);
        /* Shutdown: finishes or ends in-flight work by the deadline and
         * commits; returns 0 when all of it was committed. */
        int (*finish)(run_t *r, int64_t deadline);
} delivery_ops_t;

extern const delivery_ops_t enr__run_at_least_once;
extern const delivery_ops_t enr__run_exactly_once;

/* The state of one `enricher run`. */
struct run {
        enr_config_t          cfg;
        const delivery_ops_t *ops; /* Chosen once, at start-up. */
        enr_enricher_t       *enricher;
        enr_metrics_t        *metrics;
        enr_http_t           *http;
        rd_kafka_t           *consumer;
        rd_kafka_t           *producer;
        rd_kafka_topic_t     *out_rkt;
        rd_kafka_topic_t     *dlq_rkt;
        char                  dlq_topic[512];
        enr_dedup_t          *dedup;   /* The duplicate index, or NULL. */
        enr_fpshare_t        *fpshare; /* Tails fp_topic into dedup. */
        rd_kafka_topic_t     *fp_rkt;  /* Where fingerprints are published. */
        char                  fp_topic[512];
        enr_offsets_t        *offsets;
        pstate_t             *parts; /* ENR_OFFSETS_MAX_PARTITIONS. */
        worker_t             *workers;
        int                   nworkers;
        int64_t               from_ms;      /* --from time, or -1. */
        int64_t               from_special; /* BEGINNING, END or 0. */
        _Atomic int64_t       queued;       /* Dispatched, not yet produced. */
        _Atomic int64_t       inflight;     /* Dispatched, not yet finished. */
        _Atomic int           failed;       /* A delivery or produce failed. */
        _Atomic int           fatal;        /* A fatal Kafka error. */
        _Atomic int           abandon;      /* Shutdown timed out: stop
                                               waiting for the producer. */
        _Atomic int ready;                  /* For /readyz. */
        _Atomic int brokers_down;
        int         nassigned;
        bool        paused;
        bool        aborting; /* Delivery errors are expected (a
                                 transaction aborts, or the producer
                                 is purged at exit). */
        /* Exactly-once: the open transaction (run_txn.c). */
        bool txn_open;
        bool batch_failed; /* A delivery of the batch
                              failed: abort it. */
        int64_t batch_msgs;
        int64_t batch_start_ms;
};


/* cmd_run.c: serves the producer (delivery reports) for up to ms
 * milliseconds and refreshes the in-flight gauges. */
void enr__run_serve(run_t *r, int ms);

/* cmd_run.c: waits until every dispatched input of the listed partitions
 * (all when l is NULL) is finished; false at the deadline or on a fatal or
 * delivery error. */
bool enr__run_drain(run_t *r, const rd_kafka_topic_partition_list_t *l,
                    int64_t deadline);

/* run_clients.c: creates the producer and the consumer (subscribed);
 * errstr says why not. Destroyed by the caller. */
int enr__run_start_clients(run_t *r, char *errstr, size_t n);

/* run_pool.c: the enrichment threads. */
int  enr__run_start_workers(run_t *r, char *errstr, size_t n);
void enr__run_stop_workers(run_t *r);

/* run_pool.c: hands a consumed input to its partition's thread. Takes
 * ownership of m. Returns false (m destroyed) when out of memory. */
bool enr__run_dispatch(run_t *r, rd_kafka_message_t *m);

/* run_pool.c: the producer's delivery report callback. */
void enr__run_dr_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque);

/* run_rebalance.c: the consumer's rebalance callback. */
void enr__run_rebalance_cb(rd_kafka_t *rk, rd_kafka_resp_err_t err,
                           rd_kafka_topic_partition_list_t *l, void *opaque);

#endif
