/*
 * `enricher run`: the Kafka worker. The main loop is the pipeline of the
 * README's diagram:
 *
 *   consumer ─► dispatcher ─► N enrichment threads ─► producer
 *      ▲                                                 │
 *      └──── delivery mode: commit what is done ◄────────┘ delivery reports
 *
 * The main thread polls the consumer and dispatches each input to one of N
 * enrichment threads (run_pool.c: input partition modulo N, so one
 * partition is always handled by one thread, in order), which produce the
 * record or dead letter. The main thread serves the producer's delivery
 * reports and hands them to the delivery mode, chosen once at start-up:
 * at-least-once (run_alo.c, the acknowledged-prefix watermark) or
 * exactly-once (run_txn.c, transactions). Rebalances go through
 * run_rebalance.c, the clients' set-up and callbacks through
 * run_clients.c.
 *
 * Backpressure: the consumer's partitions are paused while in-flight inputs
 * reach max-inflight (or the producer queue fills) and resumed once half
 * drained. Signals only set a flag; the main loop then shuts down in order.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "enricher/article.h"
#include "enricher/log.h"
#include "run_int.h"

/* Set by the signal handler; read by the main loop. */
static volatile sig_atomic_t stop_requested;

static void on_signal(int sig) {
        if (sig == SIGINT && stop_requested)
                _exit(130);
        stop_requested = 1;
}

/* Parses --from: "", earliest, latest, epoch milliseconds, or a time
 * enr_parse_time_ms() reads (ISO-8601 such as "2024-01-31",
 * "2024-01-31T12:00:00Z", "…T12:00:00.250+01:00"). */
static int parse_from(run_t *r, const char *s, char *errstr, size_t n) {
        char   *end;
        int64_t ms;

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
        if (enr_parse_time_ms(s, strlen(s), &ms) && ms >= 0) {
                r->from_ms = ms;
                return 0;
        }
        enr_set_errstr(errstr, n,
                       "--from: '%s' is not earliest, latest, epoch ms or "
                       "an ISO-8601 time",
                       s);
        return -1;
}

void enr__run_serve(run_t *r, int ms) {
        rd_kafka_poll(r->producer, ms);
        enr_metrics_set(r->metrics, ENR_M_INFLIGHT, NULL,
                        (double)atomic_load(&r->inflight));
        enr_metrics_set(r->metrics, ENR_M_PRODUCER_QUEUE, NULL,
                        rd_kafka_outq_len(r->producer));
        enr_http_heartbeat(r->http);
}

bool enr__run_drain(run_t *r, const rd_kafka_topic_partition_list_t *l,
                    int64_t deadline) {
        for (;;) {
                bool busy = false;
                int  i;

                if (!l) {
                        busy = atomic_load(&r->inflight) > 0;
                } else {
                        for (i = 0; i < l->cnt && !busy; i++)
                                busy =
                                    enr_offsets_pending(
                                        r->offsets, l->elems[i].partition) > 0;
                }
                if (!busy)
                        return true;
                if (enr_clock_mono_ms() >= deadline || atomic_load(&r->fatal) ||
                    atomic_load(&r->failed))
                        return false;
                enr__run_serve(r, 10);
        }
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

/* --exit-at-end: whether every assigned partition reached its end and
 * nothing is in flight (the delivery mode's finish commits the rest). */
static bool all_at_end(run_t *r) {
        int32_t p;

        if (r->nassigned == 0)
                return false;
        for (p = 0; p < ENR_OFFSETS_MAX_PARTITIONS; p++)
                if (r->parts[p].assigned && !r->parts[p].at_end)
                        return false;
        return atomic_load(&r->inflight) == 0;
}

/* A consumer event (not a message): partition EOF or an error. */
static void consumer_event(run_t *r, const rd_kafka_message_t *m) {
        if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
                if (m->partition >= 0 &&
                    m->partition < ENR_OFFSETS_MAX_PARTITIONS &&
                    r->parts[m->partition].assigned &&
                    m->offset >= r->parts[m->partition].end)
                        r->parts[m->partition].at_end = true;
                return;
        }
        enr_warn(LOGC, "consumer: %s", rd_kafka_message_errstr(m));
        if (m->err == RD_KAFKA_RESP_ERR__FATAL)
                atomic_store(&r->fatal, 1);
}

/* Handles one consumed message (or event); takes ownership of m. */
static void consumed(run_t *r, rd_kafka_message_t *m) {
        pstate_t *ps;

        if (m->err) {
                consumer_event(r, m);
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
        if (!r->ops->consumed(r, m)) {
                rd_kafka_message_destroy(m);
                return;
        }
        if (r->cfg.exit_at_end && ps->end >= 0 && m->offset + 1 >= ps->end)
                ps->at_end = true;
        enr__run_dispatch(r, m);
}

/* The main loop: consume and dispatch, serve the producer, let the
 * delivery mode commit, until a signal, an error or the end (with
 * --exit-at-end); then finish in-flight work. Returns the exit status. */
static int loop(run_t *r) {
        bool at_end = false;

        while (!stop_requested && !atomic_load(&r->fatal) &&
               !atomic_load(&r->failed)) {
                rd_kafka_message_t *m;

                enr__run_serve(r, 0);
                r->ops->tick(r);
                backpressure(r);
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
        if (atomic_load(&r->fatal))
                return 1;
        return r->ops->finish(r,
                              enr_clock_mono_ms() + r->cfg.shutdown_timeout_ms);
}

static int ready_cb(void *opaque) {
        run_t *r = opaque;

        return atomic_load(&r->ready) && !atomic_load(&r->brokers_down);
}

/* Parses the command line into r->cfg; returns -1 to go on, else the exit
 * status. */
static int parse_args(run_t *r, int argc, char **argv) {
        static const enr_cli_extra_t extras[] = {{NULL, 0, 0, NULL, NULL}};
        char                         errstr[512];
        char                       **args  = NULL;
        int                          nargs = 0, rc;

        rc = enr_cli_exit_status(enr_cli_parse(
            &r->cfg, argc, argv,
            ENR_OPT_SCOPE_KAFKA | ENR_OPT_SCOPE_ENRICH | ENR_OPT_SCOPE_OPS,
            extras,
            "Usage: enricher run -b BROKERS -i INPUT -o OUTPUT [-g GROUP] "
            "[OPTIONS]\n\n"
            "Consumes articles from INPUT, produces one enriched record per "
            "article to OUTPUT\n(keyed and with headers as the input), "
            "refused inputs to the dead-letter topic.\n"
            "At-least-once by default; --exactly-once uses transactions.",
            &args, &nargs));
        if (rc >= 0)
                goto out;
        rc = 2;
        if (nargs > 0) {
                fprintf(stderr, "enricher run: unexpected argument '%s'\n",
                        args[0]);
        } else if (!*r->cfg.brokers || !*r->cfg.input_topic ||
                   !*r->cfg.output_topic) {
                fprintf(stderr, "enricher run: --brokers, --input and "
                                "--output are required\n");
        } else if (parse_from(r, r->cfg.from, errstr, sizeof(errstr))) {
                fprintf(stderr, "enricher run: %s\n", errstr);
        } else {
                rc = -1;
        }
out:
        free(args);
        return rc;
}

/* Loads everything the worker needs and starts the threads and clients;
 * returns -1 when ready, else the exit status. */
static int start(run_t *r) {
        char errstr[512];

        if (*r->cfg.dlq_topic)
                snprintf(r->dlq_topic, sizeof(r->dlq_topic), "%s",
                         r->cfg.dlq_topic);
        else
                snprintf(r->dlq_topic, sizeof(r->dlq_topic), "%s.dlq",
                         r->cfg.input_topic);
        if (*r->cfg.fingerprints_topic)
                snprintf(r->fp_topic, sizeof(r->fp_topic), "%s",
                         r->cfg.fingerprints_topic);
        else
                snprintf(r->fp_topic, sizeof(r->fp_topic), "%s.fingerprints",
                         r->cfg.output_topic);
        /* The one place the delivery mode is chosen. */
        r->ops     = r->cfg.exactly_once ? &enr__run_exactly_once
                                         : &enr__run_at_least_once;
        r->metrics = enr_metrics_new();
        r->offsets = enr_offsets_new((size_t)r->cfg.max_inflight * 2);
        r->parts   = calloc(ENR_OFFSETS_MAX_PARTITIONS, sizeof(*r->parts));
        if (!r->metrics || !r->offsets || !r->parts) {
                enr_error(LOGC, "out of memory");
                return 1;
        }
        r->enricher = enr_enricher_new(&r->cfg, errstr, sizeof(errstr));
        if (!r->enricher) {
                enr_error(LOGC, "%s", errstr);
                return 2;
        }
        enr_metrics_known_languages(r->metrics,
                                    enr_enricher_langid(r->enricher));
        if (r->cfg.dedup_window > 0) {
                r->dedup = enr_dedup_new(r->cfg.dedup_window * 1000,
                                         (size_t)r->cfg.dedup_capacity);
                if (!r->dedup) {
                        enr_error(LOGC, "out of memory");
                        return 1;
                }
        }
        if (*r->cfg.metrics_addr) {
                r->http = enr_http_start(r->cfg.metrics_addr, r->metrics,
                                         ready_cb, r, errstr, sizeof(errstr));
                if (!r->http) {
                        enr_error(LOGC, "metrics endpoint: %s", errstr);
                        return 2;
                }
        }
        if (enr__run_start_clients(r, errstr, sizeof(errstr)) ||
            enr__run_start_workers(r, errstr, sizeof(errstr))) {
                enr_error(LOGC, "%s", errstr);
                return 1;
        }
        enr_info(LOGC,
                 "consuming %s, producing %s (dead letters to %s), group %s, "
                 "%d thread(s), %s",
                 r->cfg.input_topic, r->cfg.output_topic, r->dlq_topic,
                 r->cfg.group, r->nworkers, r->ops->name);
        return -1;
}

/* After the loop: leave the group (committing through the revoke
 * callback), stop the threads, flush the producer within the shutdown
 * timeout. Returns the exit status. */
static int shut_down(run_t *r, int rc) {
        int64_t deadline = enr_clock_mono_ms() + r->cfg.shutdown_timeout_ms;
        bool    fatal    = atomic_load(&r->fatal);

        atomic_store(&r->abandon, 1);
        if (!fatal) {
                rd_kafka_resp_err_t err = rd_kafka_consumer_close(r->consumer);
                if (err)
                        enr_warn(LOGC, "closing the consumer: %s",
                                 rd_kafka_err2str(err));
        }
        enr__run_stop_workers(r);
        if (r->ops->flush_after_fatal || !fatal) {
                int64_t left = deadline - enr_clock_mono_ms();

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
        return rc;
}

/* Frees everything start() made; undelivered messages' reports free their
 * jobs. */
static void destroy(run_t *r) {
        if (r->consumer)
                rd_kafka_destroy_flags(r->consumer,
                                       RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
        enr__run_stop_workers(r);
        enr_fpshare_stop(r->fpshare);
        if (r->producer) {
                if (r->fp_rkt)
                        rd_kafka_topic_destroy(r->fp_rkt);
                if (r->out_rkt)
                        rd_kafka_topic_destroy(r->out_rkt);
                if (r->dlq_rkt)
                        rd_kafka_topic_destroy(r->dlq_rkt);
                rd_kafka_purge(r->producer, RD_KAFKA_PURGE_F_QUEUE |
                                                RD_KAFKA_PURGE_F_INFLIGHT);
                r->aborting = true;
                rd_kafka_poll(r->producer, 0);
                rd_kafka_destroy(r->producer);
        }
        enr_http_stop(r->http);
        enr_enricher_destroy(r->enricher);
        enr_offsets_destroy(r->offsets);
        enr_dedup_destroy(r->dedup);
        free(r->parts);
        enr_metrics_destroy(r->metrics);
        enr_config_clear(&r->cfg);
        free(r);
}

int enr_cmd_run(int argc, char **argv) {
        struct sigaction sa;
        run_t           *r;
        int              rc;

        r = calloc(1, sizeof(*r));
        if (!r || enr_config_init(&r->cfg)) {
                fprintf(stderr, "enricher run: out of memory\n");
                free(r);
                return 1;
        }
        rc = parse_args(r, argc, argv);
        if (rc >= 0)
                goto out;
        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);
        rc = start(r);
        if (rc >= 0)
                goto out;
        rc = shut_down(r, loop(r));
out:
        destroy(r);
        return rc;
}
