/*
 * `enricher run --exactly-once`: consume-transform-produce transactions
 * (librdkafka's examples/transactions.c). A transaction spans a batch of at
 * most txn-max-messages inputs or txn-max-ms; before
 * send_offsets_to_transaction() and commit every input of the batch has
 * its output acknowledged. Each transactional error is classified as
 * librdkafka tells: a fatal one stops the worker, a retriable one repeats
 * the call (within TXN_TIMEOUT_MS), one that requires it aborts the
 * transaction and seeks the batch's partitions back to the batch's first
 * offsets. Revocation commits the open transaction, a lost assignment
 * aborts it, shutdown ends it. Every wait has a deadline.
 */
#include <inttypes.h>
#include <stdio.h>
#include <unistd.h>

#include "enricher/log.h"
#include "run_int.h"

/* What to do after a transactional call. */
typedef enum {
        TXN_DONE,  /* It succeeded. */
        TXN_RETRY, /* Retriable: call it again. */
        TXN_ABORT, /* The transaction must be aborted (and rewound). */
        TXN_FATAL, /* Stop the worker (r->fatal is set). */
} txn_next_t;

/* Classifies a transactional call's error as librdkafka says (and destroys
 * it). An error that is neither fatal, retriable nor abortable leaves the
 * transaction in an unknown state: like librdkafka's example, stop; the
 * committed offsets are those before the transaction. */
static txn_next_t classify(run_t *r, const char *what,
                           rd_kafka_error_t *error) {
        txn_next_t next;

        if (!error)
                return TXN_DONE;
        if (rd_kafka_error_is_fatal(error))
                next = TXN_FATAL;
        else if (rd_kafka_error_txn_requires_abort(error))
                next = TXN_ABORT;
        else if (rd_kafka_error_is_retriable(error))
                next = TXN_RETRY;
        else
                next = TXN_FATAL;
        if (next == TXN_FATAL) {
                enr_error(LOGC, "%s: %s", what, rd_kafka_error_string(error));
                atomic_store(&r->fatal, 1);
        } else {
                enr_warn(LOGC, "%s: %s (%s)", what,
                         rd_kafka_error_string(error),
                         next == TXN_ABORT ? "aborting" : "retrying");
        }
        rd_kafka_error_destroy(error);
        return next;
}

/* The time left before deadline, for a librdkafka timeout (at least 1 ms,
 * so a spent deadline still makes one short attempt). */
static int remaining(int64_t deadline) {
        int64_t left = deadline - enr_clock_mono_ms();

        return left > 0 ? (int)(left < INT32_MAX ? left : INT32_MAX) : 1;
}

static void batch_reset(run_t *r) {
        int32_t p;

        for (p = 0; p < ENR_OFFSETS_MAX_PARTITIONS; p++)
                r->parts[p].batch_first = r->parts[p].batch_last = -1;
        r->txn_open     = false;
        r->batch_failed = false;
        r->batch_msgs   = 0;
}

/* Serves the producer until the counter drops to 0 or the deadline. */
static bool wait_zero(run_t *r, _Atomic int64_t *counter, int64_t deadline) {
        while (atomic_load(counter) > 0) {
                if (enr_clock_mono_ms() >= deadline)
                        return false;
                enr__run_serve(r, 1);
        }
        return true;
}

/* Seeks the batch's (still assigned) partitions back to the batch's first
 * offsets, so its inputs are processed again. Without the rewind inputs
 * would be skipped, so a failure stops the worker: the transaction is
 * aborted and the committed offsets are still those before it. */
static int rewind_batch(run_t *r) {
        rd_kafka_topic_partition_list_t *l;
        rd_kafka_error_t                *error;
        int32_t                          p;
        int                              i, rc = 0;

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
                        rc = -1;
                }
                for (i = 0; !error && i < l->cnt; i++) {
                        if (!l->elems[i].err)
                                continue;
                        enr_error(LOGC, "rewinding [%" PRId32 "]: %s",
                                  l->elems[i].partition,
                                  rd_kafka_err2str(l->elems[i].err));
                        rc = -1;
                }
        }
        rd_kafka_topic_partition_list_destroy(l);
        if (rc)
                atomic_store(&r->fatal, 1);
        return rc;
}

/* An abort's waits get the shutdown timeout of their own: the commit that
 * gives up may have spent its deadline. */
static int64_t abort_by(const run_t *r) {
        return enr_clock_mono_ms() + r->cfg.shutdown_timeout_ms;
}

/* Aborts the open transaction and rewinds its partitions. Waits for the
 * enrichment threads until the deadline, for the abort (retried) up to
 * TXN_TIMEOUT_MS, then for the aborted deliveries; a wait or an abort
 * that does not end in time stops the worker. */
static int txn_abort(run_t *r, int64_t deadline) {
        int64_t call_deadline = enr_clock_mono_ms() + TXN_TIMEOUT_MS;
        int32_t p;
        int     rc = -1;

        if (!r->txn_open)
                return 0;
        /* Inputs still queued are dropped, not produced. */
        for (p = 0; p < ENR_OFFSETS_MAX_PARTITIONS; p++)
                if (r->parts[p].batch_first >= 0)
                        atomic_fetch_add(&r->parts[p].gen, 1);
        if (!wait_zero(r, &r->queued, deadline)) {
                enr_error(LOGC, "abort: the enrichment threads did not "
                                "finish in time");
                atomic_store(&r->fatal, 1);
                goto out;
        }
        r->aborting = true;
        for (;;) {
                txn_next_t next =
                    classify(r, "abort_transaction",
                             rd_kafka_abort_transaction(
                                 r->producer, remaining(call_deadline)));

                if (next == TXN_DONE)
                        break;
                if (next == TXN_RETRY && enr_clock_mono_ms() < call_deadline)
                        continue;
                if (next == TXN_RETRY)
                        enr_error(LOGC,
                                  "abort_transaction did not finish within "
                                  "%d s (broker unreachable?): stopping; the "
                                  "next start with this transactional id "
                                  "aborts the transaction",
                                  TXN_TIMEOUT_MS / 1000);
                atomic_store(&r->fatal, 1);
                goto out;
        }
        /* The abort purged the batch's messages: their reports come back
         * at once (a fresh deadline: the abort may have taken long). */
        if (!wait_zero(r, &r->inflight, abort_by(r))) {
                enr_error(LOGC, "abort: aborted deliveries did not come "
                                "back in time");
                atomic_store(&r->fatal, 1);
                goto out;
        }
        enr_metrics_add(r->metrics, ENR_M_TXN, "aborted", 1);
        rc = rewind_batch(r);
out:
        r->aborting = false;
        batch_reset(r);
        return rc;
}

/* Sends the batch's offsets to the transaction, retrying retriable
 * errors until call_deadline (then TXN_RETRY is returned). */
static txn_next_t send_offsets(run_t *r, int64_t call_deadline) {
        rd_kafka_topic_partition_list_t    *l;
        rd_kafka_consumer_group_metadata_t *cgmd;
        txn_next_t                          next;
        int32_t                             p;

        l = rd_kafka_topic_partition_list_new(16);
        for (p = 0; p < ENR_OFFSETS_MAX_PARTITIONS; p++)
                if (r->parts[p].batch_last >= 0)
                        rd_kafka_topic_partition_list_add(l, r->cfg.input_topic,
                                                          p)
                            ->offset = r->parts[p].batch_last + 1;
        cgmd = rd_kafka_consumer_group_metadata(r->consumer);
        do {
                next = classify(
                    r, "send_offsets_to_transaction",
                    rd_kafka_send_offsets_to_transaction(
                        r->producer, l, cgmd, remaining(call_deadline)));
        } while (next == TXN_RETRY && enr_clock_mono_ms() < call_deadline);
        rd_kafka_consumer_group_metadata_destroy(cgmd);
        rd_kafka_topic_partition_list_destroy(l);
        return next;
}

/* Waits for the batch's outputs, sends its offsets and commits it; aborts
 * and rewinds when that fails. */
static int txn_commit(run_t *r, int64_t deadline) {
        int64_t    call_deadline;
        txn_next_t next;

        if (!r->txn_open)
                return 0;
        if (!enr__run_drain(r, NULL, deadline) || r->batch_failed ||
            atomic_load(&r->failed))
                return atomic_load(&r->fatal) ? -1 : txn_abort(r, abort_by(r));
        call_deadline = enr_clock_mono_ms() + TXN_TIMEOUT_MS;
        next          = send_offsets(r, call_deadline);
        if (next == TXN_DONE) {
                do {
                        next = classify(
                            r, "commit_transaction",
                            rd_kafka_commit_transaction(
                                r->producer, remaining(call_deadline)));
                } while (next == TXN_RETRY &&
                         enr_clock_mono_ms() < call_deadline);
        }
        if (next == TXN_FATAL)
                return -1;
        if (next != TXN_DONE) /* To abort, or retried until the deadline. */
                return txn_abort(r, abort_by(r));
        enr_metrics_add(r->metrics, ENR_M_TXN, "committed", 1);
        enr_metrics_add(r->metrics, ENR_M_COMMITTED, NULL, 1);
        enr_debug(LOGC, "transaction of %" PRId64 " input(s) committed",
                  r->batch_msgs);
        batch_reset(r);
        return 0;
}

static bool txn_consumed(run_t *r, const rd_kafka_message_t *m) {
        pstate_t *ps = &r->parts[m->partition];

        /* Stopping (e.g. an abort that did not finish): no new
         * transaction; the input is left to the next start. */
        if (atomic_load(&r->fatal))
                return false;
        if (!r->txn_open) {
                rd_kafka_error_t *error =
                    rd_kafka_begin_transaction(r->producer);
                if (error) {
                        /* Only a fatal or a programming error fails it. */
                        enr_error(LOGC, "begin_transaction: %s",
                                  rd_kafka_error_string(error));
                        rd_kafka_error_destroy(error);
                        atomic_store(&r->fatal, 1);
                        return false;
                }
                r->txn_open       = true;
                r->batch_start_ms = enr_clock_mono_ms();
        }
        if (ps->batch_first < 0)
                ps->batch_first = m->offset;
        ps->batch_last = m->offset;
        r->batch_msgs++;
        return true;
}

static void txn_delivered(run_t *r, const job_t *job, rd_kafka_resp_err_t err) {
        (void)job;
        if (err)
                r->batch_failed = true;
}

/* Commits the batch once it is full or old enough. */
static void txn_tick(run_t *r) {
        if (r->txn_open &&
            (r->batch_msgs >= r->cfg.txn_max_messages ||
             enr_clock_mono_ms() - r->batch_start_ms >= r->cfg.txn_max_ms))
                txn_commit(r, enr_clock_mono_ms() + r->cfg.shutdown_timeout_ms);
}

/* Revoked partitions: commit the open transaction. Lost ones: abort it,
 * and neither rewind nor commit them. */
static void txn_revoked(run_t *r, const rd_kafka_topic_partition_list_t *l,
                        bool lost) {
        int64_t deadline = enr_clock_mono_ms() + r->cfg.shutdown_timeout_ms;
        int     i;

        if (lost) {
                for (i = 0; i < l->cnt; i++) {
                        pstate_t *ps = &r->parts[l->elems[i].partition];

                        ps->batch_first = ps->batch_last = -1;
                }
                txn_abort(r, deadline);
        } else {
                txn_commit(r, deadline);
        }
        for (i = 0; i < l->cnt; i++) {
                pstate_t *ps = &r->parts[l->elems[i].partition];

                ps->batch_first = ps->batch_last = -1;
        }
}

static int txn_finish(run_t *r, int64_t deadline) {
        return txn_commit(r, deadline) ? 1 : 0;
}

/* One transactional id per worker instance: a restarted instance fences
 * its predecessor. Without an instance id the host and pid stand in
 * (unique but not stable: a dead worker's open transaction then ends by
 * the transaction timeout); with KIP-447 either is safe when partitions
 * move, since the group generation fences zombies. */
static int txn_configure(run_t *r, rd_kafka_conf_t *pc, char *errstr,
                         size_t n) {
        const char *prefix =
            *r->cfg.transactional_id ? r->cfg.transactional_id : "enricher";
        char tid[512], host[128];

        if (*r->cfg.instance_id) {
                snprintf(tid, sizeof(tid), "%s-%s-%s", prefix, r->cfg.group,
                         r->cfg.instance_id);
        } else {
                if (gethostname(host, sizeof(host)))
                        snprintf(host, sizeof(host), "host");
                host[sizeof(host) - 1] = '\0';
                snprintf(tid, sizeof(tid), "%s-%s-%s-%ld", prefix, r->cfg.group,
                         host, (long)getpid());
                enr_warn(LOGC,
                         "--exactly-once without --instance-id: "
                         "transactional id %s is not stable across restarts",
                         tid);
        }
        if (rd_kafka_conf_set(pc, "transactional.id", tid, errstr, n) !=
            RD_KAFKA_CONF_OK)
                return -1;
        enr_info(LOGC, "transactional.id=%s", tid);
        return 0;
}

static int txn_start(run_t *r, char *errstr, size_t n) {
        rd_kafka_error_t *error;

        batch_reset(r);
        error = rd_kafka_init_transactions(r->producer, TXN_TIMEOUT_MS);
        if (error) {
                enr_set_errstr(errstr, n, "init_transactions: %s",
                               rd_kafka_error_string(error));
                rd_kafka_error_destroy(error);
                return -1;
        }
        return 0;
}

const delivery_ops_t enr__run_exactly_once = {
    .name              = "exactly-once",
    .auto_commit       = "false",
    .flush_after_fatal = false,
    .configure         = txn_configure,
    .start             = txn_start,
    .consumed          = txn_consumed,
    .delivered         = txn_delivered,
    .revoked           = txn_revoked,
    .tick              = txn_tick,
    .finish            = txn_finish,
};
