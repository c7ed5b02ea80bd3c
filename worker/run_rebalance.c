/*
 * `enricher run`'s rebalancing: the consumer's rebalance callback. On
 * assignment it sets where first-time partitions start (--from: a special
 * offset or the first message at or after a time, for partitions the group
 * has no committed offset for) and, for --exit-at-end, the end each
 * partition had; on revocation it hands the partitions to the delivery
 * mode (which finishes and commits, or drops their work) before they are
 * unassigned. Eager and cooperative-sticky protocols are both handled.
 */
#include <inttypes.h>
#include <string.h>

#include "enricher/log.h"
#include "run_int.h"

/* The group's committed offsets of l's partitions, for --from; NULL when
 * --from is not given. */
static rd_kafka_topic_partition_list_t *
committed_offsets(run_t *r, const rd_kafka_topic_partition_list_t *l) {
        rd_kafka_topic_partition_list_t *committed;
        rd_kafka_resp_err_t              err;
        int                              i;

        if (!r->from_special && r->from_ms < 0)
                return NULL;
        /* --from sets where the group starts: it applies to partitions
         * the group has no committed offset for, so a restarted or added
         * worker with the same command line continues where the group is
         * instead of replaying again (replay into an existing group with
         * a new group id). */
        committed = rd_kafka_topic_partition_list_copy(l);
        err = rd_kafka_committed(r->consumer, committed, QUERY_TIMEOUT_MS);
        if (err) {
                enr_warn(LOGC,
                         "--from: cannot read committed offsets (%s): "
                         "applying it to every partition",
                         rd_kafka_err2str(err));
                for (i = 0; i < committed->cnt; i++)
                        committed->elems[i].offset = RD_KAFKA_OFFSET_INVALID;
        }
        return committed;
}

/* --exit-at-end: the partition's high watermark now, or -1. */
static int64_t end_offset(run_t *r, const rd_kafka_topic_partition_t *tp) {
        rd_kafka_resp_err_t err;
        int64_t             lo, hi;

        if (!r->cfg.exit_at_end)
                return -1;
        err = rd_kafka_query_watermark_offsets(
            r->consumer, tp->topic, tp->partition, &lo, &hi, QUERY_TIMEOUT_MS);
        if (err) {
                enr_warn(LOGC, "watermarks of [%" PRId32 "]: %s", tp->partition,
                         rd_kafka_err2str(err));
                return -1;
        }
        return hi;
}

/* Sets l's offsets from the first message at or after each time in times
 * (the end when there is none). */
static void start_at_times(run_t *r, rd_kafka_topic_partition_list_t *l,
                           rd_kafka_topic_partition_list_t *times) {
        rd_kafka_resp_err_t err;
        int                 i;

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
}

/* Sets the start offsets of first-time assigned partitions (--from) and
 * the end offsets for --exit-at-end. */
static void prepare_assignment(run_t *r, rd_kafka_topic_partition_list_t *l) {
        rd_kafka_topic_partition_list_t *times = NULL, *committed;
        int                              i;

        committed = committed_offsets(r, l);
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
                ps->end    = end_offset(r, tp);
                ps->at_end = false;
        }
        if (committed)
                rd_kafka_topic_partition_list_destroy(committed);
        if (times) {
                start_at_times(r, l, times);
                rd_kafka_topic_partition_list_destroy(times);
        }
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

/* Clears a partition's assignment; its queued inputs are dropped once its
 * generation is bumped. */
static void unassign(run_t *r, int32_t p) {
        pstate_t *ps = &r->parts[p];

        if (ps->assigned)
                r->nassigned--;
        ps->assigned = false;
}

static void on_revoke(run_t *r, rd_kafka_topic_partition_list_t *l, bool lost) {
        int i;

        if (lost) {
                /* Someone else may own them already: drop their queued
                 * inputs before the delivery mode looks at them. */
                for (i = 0; i < l->cnt; i++) {
                        atomic_fetch_add(&r->parts[l->elems[i].partition].gen,
                                         1);
                        unassign(r, l->elems[i].partition);
                }
        }
        r->ops->revoked(r, l, lost);
        for (i = 0; i < l->cnt; i++) {
                int32_t p = l->elems[i].partition;

                if (!lost)
                        atomic_fetch_add(&r->parts[p].gen, 1);
                enr_offsets_unassign(r->offsets, p);
                unassign(r, p);
        }
}

void enr__run_rebalance_cb(rd_kafka_t *rk, rd_kafka_resp_err_t err,
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
