/*
 * `enricher run`'s Kafka clients: one consumer (the input, in the group)
 * and one producer (outputs and dead letters), configured with production
 * defaults that -X, -F and ENRICHER_X_* override, and the callbacks both
 * share: librdkafka's logs into ours, errors (fatal ones and failed
 * authentications stop the worker), statistics into the metrics.
 *
 * On `enricher dev-broker` (librdkafka's mock cluster, told by its cluster
 * id) the consumer also gets a short session timeout: the mock keeps a
 * departed member, and holds the group's rebalance, for the session timeout
 * of the last join, so with the default 45 s a worker restarted in the same
 * group would wait that long for its partitions.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "enricher/log.h"
#include "run_int.h"

/* How long to wait for the cluster id that tells the dev broker. */
#define CLUSTER_ID_TIMEOUT_MS 3000

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

/* Sets key/value pairs (a NULL-terminated list, or NULL). */
static int conf_set_list(rd_kafka_conf_t *conf, const char *const *kv,
                         char *errstr, size_t n) {
        size_t i;

        for (i = 0; kv && kv[i]; i += 2)
                if (conf_set(conf, kv[i], kv[i + 1], errstr, n))
                        return -1;
        return 0;
}

/* The configuration both clients share: brokers, callbacks, our defaults
 * (two lists), then -X/-F properties, which override them. Statistics
 * only on the consumer: its lag is what the producer's would not tell,
 * and the producer queue gauge has one writer, the main loop. */
static rd_kafka_conf_t *base_conf(run_t *r, const char *const *defaults,
                                  const char *const *more, bool stats,
                                  char *errstr, size_t n) {
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        char             interval[32];
        size_t           i;

        snprintf(interval, sizeof(interval), "%" PRId64,
                 stats ? r->cfg.stats_interval_ms : 0);
        rd_kafka_conf_set_opaque(conf, r);
        rd_kafka_conf_set_log_cb(conf, log_cb);
        rd_kafka_conf_set_error_cb(conf, error_cb);
        if (stats)
                rd_kafka_conf_set_stats_cb(conf, stats_cb);
        if (conf_set(conf, "bootstrap.servers", r->cfg.brokers, errstr, n) ||
            conf_set(conf, "client.id", r->cfg.client_id, errstr, n) ||
            conf_set(conf, "statistics.interval.ms", interval, errstr, n) ||
            conf_set_list(conf, defaults, errstr, n) ||
            conf_set_list(conf, more, errstr, n))
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

/* Whether the brokers are `enricher dev-broker`: the mock cluster's id
 * starts with "mockCluster". */
static bool is_dev_broker(rd_kafka_t *rk) {
        char *id = rd_kafka_clusterid(rk, CLUSTER_ID_TIMEOUT_MS);
        bool  dev;

        dev = id && !strncmp(id, "mockCluster", 11);
        rd_kafka_mem_free(rk, id);
        return dev;
}

static int start_producer(run_t *r, char *errstr, size_t n) {
        /* clang-format off */
        static const char *const defaults[] = {
            "enable.idempotence", "true",
            "acks", "all",
            "compression.codec", "lz4",
            "linger.ms", "5",
            NULL};
        /* clang-format on */
        rd_kafka_conf_t *pc = base_conf(r, defaults, NULL, false, errstr, n);

        if (!pc)
                return -1;
        rd_kafka_conf_set_dr_msg_cb(pc, enr__run_dr_cb);
        if (r->ops->configure && r->ops->configure(r, pc, errstr, n)) {
                rd_kafka_conf_destroy(pc);
                return -1;
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
        return 0;
}

static int start_consumer(run_t *r, bool dev, char *errstr, size_t n) {
        /* Production defaults, as key/value pairs; -X overrides them. */
        /* clang-format off */
        static const char *const defaults[] = {
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
        /* The mock cluster holds a rebalance for the session timeout
         * (less a second) of the last member that joined. */
        static const char *const dev_defaults[] = {
            "session.timeout.ms", "3000",
            "heartbeat.interval.ms", "500",
            NULL};
        /* clang-format on */
        rd_kafka_conf_t *cc;

        cc = base_conf(r, defaults, dev ? dev_defaults : NULL, true, errstr, n);
        if (!cc)
                return -1;
        if (conf_set(cc, "group.id", r->cfg.group, errstr, n) ||
            conf_set(cc, "enable.auto.commit", r->ops->auto_commit, errstr,
                     n) ||
            (r->cfg.exit_at_end &&
             conf_set(cc, "enable.partition.eof", "true", errstr, n)) ||
            (*r->cfg.instance_id && conf_set(cc, "group.instance.id",
                                             r->cfg.instance_id, errstr, n))) {
                rd_kafka_conf_destroy(cc);
                return -1;
        }
        rd_kafka_conf_set_rebalance_cb(cc, enr__run_rebalance_cb);
        r->consumer = rd_kafka_new(RD_KAFKA_CONSUMER, cc, errstr, n);
        if (!r->consumer) {
                rd_kafka_conf_destroy(cc);
                return -1;
        }
        rd_kafka_poll_set_consumer(r->consumer);
        return 0;
}

/* The duplicate index shared through the fingerprint topic: loaded to the
 * topic's end before any input is consumed (fingerprints.h). */
static int start_dedup(run_t *r, bool dev, char *errstr, size_t n) {
        int64_t          window_ms = r->cfg.dedup_window * 1000;
        rd_kafka_conf_t *conf;

        if (!r->dedup)
                return 0;
        conf = base_conf(r, NULL, NULL, false, errstr, n);
        if (!conf)
                return -1;
        /* Kept a day beyond the window, so a restart finds every
         * fingerprint it may still need. */
        r->fpshare = enr_fpshare_start(
            conf, r->fp_topic, !dev, window_ms + 86400000, r->dedup, r->metrics,
            &r->fatal, TXN_TIMEOUT_MS, errstr, n);
        if (!r->fpshare)
                return -1;
        r->fp_rkt = rd_kafka_topic_new(r->producer, r->fp_topic, NULL);
        if (!r->fp_rkt) {
                enr_set_errstr(errstr, n, "topic handle %s: %s", r->fp_topic,
                               rd_kafka_err2str(rd_kafka_last_error()));
                return -1;
        }
        return 0;
}

int enr__run_start_clients(run_t *r, char *errstr, size_t n) {
        rd_kafka_topic_partition_list_t *sub;
        rd_kafka_resp_err_t              err;
        bool                             dev;

        if (start_producer(r, errstr, n))
                return -1;
        dev = is_dev_broker(r->producer);
        if (dev)
                enr_info(LOGC, "the brokers are enricher dev-broker: short "
                               "group session timeout");
        if (start_consumer(r, dev, errstr, n) ||
            (r->ops->start && r->ops->start(r, errstr, n)) ||
            start_dedup(r, dev, errstr, n))
                return -1;
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
