/*
 * `enricher run`, at-least-once (the default delivery mode): an input's
 * offset counts as done only when the broker acknowledged its output or
 * dead letter. Per input partition the contiguous acknowledged prefix
 * (common/offsets.c) is stored with rd_kafka_offsets_store() and committed
 * by librdkafka's auto-commit (batched, no commit request per message), and
 * synchronously on revoke and at shutdown. A delivery that fails after
 * librdkafka's own retries stops the worker: the prefix never passes the
 * failed input, the worker exits non-zero and its replacement processes the
 * input again.
 */
#include <inttypes.h>

#include "enricher/log.h"
#include "run_int.h"

static bool alo_consumed(run_t *r, const rd_kafka_message_t *m) {
        enr_err_t err = enr_offsets_track(r->offsets, m->partition, m->offset);

        if (err) {
                /* Never dispatch what the watermark cannot follow. */
                enr_error(LOGC, "cannot track [%" PRId32 "] @ %" PRId64 ": %s",
                          m->partition, m->offset, enr_err_str(err));
                atomic_store(&r->failed, 1);
                return false;
        }
        return true;
}

static void alo_delivered(run_t *r, const job_t *job, rd_kafka_resp_err_t err) {
        if (err)
                atomic_store(&r->failed, 1);
        else if (atomic_load(&r->parts[job->partition].gen) == job->gen)
                enr_offsets_ack(r->offsets, job->partition, job->offset);
}

/* Stores the offsets whose acknowledged prefix moved; librdkafka's
 * auto-commit then commits them. */
static void alo_tick(run_t *r) {
        rd_kafka_topic_partition_list_t *l = NULL;
        rd_kafka_resp_err_t              err;
        int64_t                          off;
        int32_t                          p;

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

/* Revoked partitions: let their in-flight work finish, then commit their
 * acknowledged prefix. Lost ones are never committed. */
static void alo_revoked(run_t *r, const rd_kafka_topic_partition_list_t *l,
                        bool lost) {
        rd_kafka_topic_partition_list_t *c;
        rd_kafka_resp_err_t              err;
        int                              i;

        if (lost)
                return;
        if (!enr__run_drain(r, l,
                            enr_clock_mono_ms() + r->cfg.shutdown_timeout_ms))
                enr_warn(LOGC, "revoke: in-flight inputs did not finish; "
                               "committing the acknowledged prefix only");
        c = rd_kafka_topic_partition_list_new(l->cnt);
        for (i = 0; i < l->cnt; i++) {
                int32_t p   = l->elems[i].partition;
                int64_t off = enr_offsets_committable(r->offsets, p);

                if (off >= 0)
                        rd_kafka_topic_partition_list_add(c, l->elems[i].topic,
                                                          p)
                            ->offset = off;
        }
        if (c->cnt > 0) {
                err = rd_kafka_commit(r->consumer, c, 0);
                if (err && err != RD_KAFKA_RESP_ERR__NO_OFFSET)
                        enr_warn(LOGC, "commit on revoke: %s",
                                 rd_kafka_err2str(err));
                else
                        enr_metrics_add(r->metrics, ENR_M_COMMITTED, NULL,
                                        c->cnt);
        }
        rd_kafka_topic_partition_list_destroy(c);
}

/* Waits for every in-flight input, then stores the prefix (closing the
 * consumer commits it). */
static int alo_finish(run_t *r, int64_t deadline) {
        int rc = 0;

        if (!enr__run_drain(r, NULL, deadline)) {
                enr_error(LOGC,
                          "%" PRId64 " input(s) still in flight at shutdown; "
                          "their offsets are not committed",
                          atomic_load(&r->inflight));
                rc = 1;
        }
        alo_tick(r);
        return rc;
}

const delivery_ops_t enr__run_at_least_once = {
    .name              = "at-least-once",
    .auto_commit       = "true",
    .flush_after_fatal = true,
    .consumed          = alo_consumed,
    .delivered         = alo_delivered,
    .revoked           = alo_revoked,
    .tick              = alo_tick,
    .finish            = alo_finish,
};
