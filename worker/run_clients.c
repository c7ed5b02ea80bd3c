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
 *
 * The group protocol: classic (cooperative-sticky, assigned by a member) or,
 * with --group-protocol consumer, Kafka 4's KIP-848 protocol, assigned by
 * the broker, which librdkafka supports from 2.12 on. Under it librdkafka
 * refuses session.timeout.ms, heartbeat.interval.ms and
 * partition.assignment.strategy (the broker's group.consumer.* settings and
 * group.remote.assignor replace them), so those defaults are not set then.
 *
 * Workarounds that only librdkafka before 2.10 (Debian 12 has 2.0.2) needs
 * are chosen by rd_kafka_version() at run time; README.md lists them.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "enricher/log.h"
#include "run_int.h"

/* How long to wait for the cluster id that tells the dev broker. */
#define CLUSTER_ID_TIMEOUT_MS 3000

/* librdkafka versions (rd_kafka_version()) that change what we do: 2.10.0
 * fixed commits failing with ILLEGAL_GENERATION during cooperative
 * rebalances (librdkafka#4059); 2.4.0 brought group.protocol (KIP-848 as a
 * preview); 2.12.0 made the consumer group protocol of
 * KIP-848 generally available. */
#define RDKAFKA_2_4  0x02040000
#define RDKAFKA_2_10 0x020a0000
#define RDKAFKA_2_12 0x020c0000

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
        for (i = 0; i < r->cfg.nkafka; i++) {
                const enr_kv_t *kv = &r->cfg.kafka[i];

                /* A librdkafka before 2.4 has no group.protocol: classic
                 * is what it speaks anyway. */
                if (!strcmp(kv->key, "group.protocol") &&
                    !strcmp(kv->value, "classic") &&
                    rd_kafka_version() < RDKAFKA_2_4)
                        continue;
                if (conf_set(conf, kv->key, kv->value, errstr, n))
                        goto fail;
        }
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

static int start_consumer(run_t *r, bool dev, bool classic, char *errstr,
                          size_t n) {
        /* Production defaults, as key/value pairs; -X overrides them. */
        /* clang-format off */
        static const char *const defaults[] = {
            "enable.auto.offset.store", "false",
            "isolation.level", "read_committed",
            /* A new group starts at the beginning: skip nothing. */
            "auto.offset.reset", "earliest",
            /* Prefetch a few seconds of work, not librdkafka's 64 MiB:
             * memory stays flat, and a revoked partition leaves little
             * fetched work behind. */
            "queued.max.messages.kbytes", "16384",
            NULL};
        /* The classic protocol's assignor; the consumer protocol's is the
         * broker's (group.remote.assignor). */
        static const char *const classic_defaults[] = {
            "partition.assignment.strategy", "cooperative-sticky",
            NULL};
        /* Workaround for librdkafka before 2.10 only: commits on revoke
         * can fail under the cooperative protocol (ILLEGAL_GENERATION,
         * librdkafka#4059), so commit the stored prefix every second
         * rather than every 5 s, and the work a new owner repeats stays
         * small. */
        static const char *const old_defaults[] = {
            "auto.commit.interval.ms", "1000",
            NULL};
        /* The mock cluster holds a rebalance for the session timeout
         * (less a second) of the last member that joined. */
        static const char *const dev_defaults[] = {
            "session.timeout.ms", "3000",
            "heartbeat.interval.ms", "500",
            NULL};
        /* clang-format on */
        const char *const *sets[3];
        const char        *more[16];
        size_t             nsets = 0, k = 0, i, j;
        rd_kafka_conf_t   *cc;

        /* Our defaults for this protocol and library, before -X and -F,
         * which override them. The dev broker (librdkafka's mock) speaks
         * the classic protocol only. */
        if (classic)
                sets[nsets++] = classic_defaults;
        if (classic && dev)
                sets[nsets++] = dev_defaults;
        if (rd_kafka_version() < RDKAFKA_2_10)
                sets[nsets++] = old_defaults;
        for (i = 0; i < nsets; i++)
                for (j = 0; sets[i][j] && k + 1 < sizeof(more) / sizeof(*more);
                     j++)
                        more[k++] = sets[i][j];
        more[k] = NULL;
        cc      = base_conf(r, defaults, more, true, errstr, n);
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

/* The group protocol the consumer will use: group.protocol as
 * --group-protocol, -X or -F set it (the last one wins, as in base_conf()),
 * else librdkafka's default, classic. */
static const char *group_protocol(const run_t *r) {
        const char *p = "classic";
        size_t      i;

        for (i = 0; i < r->cfg.nkafka; i++)
                if (!strcmp(r->cfg.kafka[i].key, "group.protocol"))
                        p = r->cfg.kafka[i].value;
        return p;
}

/* Refuses an unknown group protocol, or one this librdkafka lacks, before
 * any client is made (an older librdkafka would only say "No such
 * configuration property"). */
static int check_group_protocol(const char *proto, char *errstr, size_t n) {
        if (strcmp(proto, "classic") && strcmp(proto, "consumer")) {
                enr_set_errstr(errstr, n,
                               "group protocol \"%s\": classic or consumer",
                               proto);
                return -1;
        }
        if (!strcmp(proto, "consumer") && rd_kafka_version() < RDKAFKA_2_12) {
                enr_set_errstr(errstr, n,
                               "--group-protocol consumer (Kafka 4's "
                               "KIP-848 protocol) needs librdkafka 2.12 or "
                               "later; this program runs librdkafka %s "
                               "(deploy/librdkafka/build.sh builds a "
                               "current one)",
                               rd_kafka_version_str());
                return -1;
        }
        return 0;
}

int enr__run_start_clients(run_t *r, char *errstr, size_t n) {
        rd_kafka_topic_partition_list_t *sub;
        rd_kafka_resp_err_t              err;
        const char                      *proto = group_protocol(r);
        bool                             dev;

        enr_info(LOGC, "librdkafka %s, group protocol %s%s",
                 rd_kafka_version_str(), proto,
                 rd_kafka_version() < RDKAFKA_2_10
                     ? " (with the workarounds for librdkafka before 2.10)"
                     : "");
        if (check_group_protocol(proto, errstr, n) ||
            start_producer(r, errstr, n))
                return -1;
        dev = is_dev_broker(r->producer);
        if (dev && strcmp(proto, "classic")) {
                enr_set_errstr(errstr, n,
                               "enricher dev-broker speaks the classic group "
                               "protocol only (--group-protocol classic)");
                return -1;
        }
        if (dev)
                enr_info(LOGC, "the brokers are enricher dev-broker: short "
                               "group session timeout");
        if (start_consumer(r, dev, !strcmp(proto, "classic"), errstr, n) ||
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
