/*
 * The ceiling of the Kafka path on this machine: a consume-produce loop
 * with enricher's Kafka settings and at-least-once bookkeeping but no
 * enrichment. Each input message is produced unchanged (key, value and
 * headers, plus the enricher-source-* headers enricher adds) to the output
 * topic; its offset is stored only from the delivery report of its copy,
 * and auto-commit commits the stored offsets, as `enricher run` does.
 *
 *   passthrough -b BROKERS -i IN -o OUT -g GROUP [-e] [-X prop=value]...
 *
 * -e stops once every assigned partition reached its end (like enricher's
 * --exit-at-end); otherwise SIGINT/SIGTERM stop it. Prints the number of
 * messages copied on stderr. Built by tests/bench/run.sh with
 * `cc -O2 passthrough.c $(pkg-config --cflags --libs rdkafka)`.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <librdkafka/rdkafka.h>

/* At most this many partitions are tracked for -e. */
#define MAX_PARTITIONS 1024

static volatile sig_atomic_t stop_requested;

/* What -e needs: which partitions are assigned and which reached the end. */
static int       assigned[MAX_PARTITIONS], at_end[MAX_PARTITIONS];
static long long copied, failed;

static void on_signal(int sig) {
        (void)sig;
        stop_requested = 1;
}

static void die(const char *what, const char *why) {
        fprintf(stderr, "passthrough: %s: %s\n", what, why);
        exit(1);
}

/* Stores the input offset once its copy is acknowledged; the input's
 * topic handle, partition and offset travel in the opaque. */
static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *m,
                        void *opaque) {
        rd_kafka_message_t *in = m->_private;

        (void)rk;
        (void)opaque;
        if (m->err) {
                failed++;
                fprintf(stderr, "passthrough: delivery: %s\n",
                        rd_kafka_err2str(m->err));
        } else {
                rd_kafka_offset_store(in->rkt, in->partition, in->offset);
                copied++;
        }
        rd_kafka_message_destroy(in);
}

static void on_rebalance(rd_kafka_t *rk, rd_kafka_resp_err_t err,
                         rd_kafka_topic_partition_list_t *parts, void *opaque) {
        int i;

        (void)opaque;
        for (i = 0; i < parts->cnt; i++) {
                int32_t p = parts->elems[i].partition;
                if (p < 0 || p >= MAX_PARTITIONS)
                        continue;
                assigned[p] = err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS;
                at_end[p]   = 0;
        }
        if (!strcmp(rd_kafka_rebalance_protocol(rk), "COOPERATIVE")) {
                if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS)
                        rd_kafka_error_destroy(
                            rd_kafka_incremental_assign(rk, parts));
                else
                        rd_kafka_error_destroy(
                            rd_kafka_incremental_unassign(rk, parts));
        } else {
                rd_kafka_assign(rk, err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS
                                        ? parts
                                        : NULL);
        }
}

static int all_at_end(void) {
        int i, any = 0;

        for (i = 0; i < MAX_PARTITIONS; i++) {
                if (assigned[i] && !at_end[i])
                        return 0;
                any |= assigned[i];
        }
        return any;
}

static void set(rd_kafka_conf_t *conf, const char *k, const char *v) {
        char errstr[512];

        if (rd_kafka_conf_set(conf, k, v, errstr, sizeof(errstr)))
                die(k, errstr);
}

int main(int argc, char **argv) {
        rd_kafka_conf_t *cconf = rd_kafka_conf_new();
        rd_kafka_conf_t *pconf = rd_kafka_conf_new();
        rd_kafka_t      *consumer, *producer;
        const char      *brokers = NULL, *in = NULL, *out = NULL;
        const char      *group = NULL;
        char             errstr[512];
        int              opt, exit_at_end = 0;
        rd_kafka_topic_partition_list_t *topics;

        while ((opt = getopt(argc, argv, "b:i:o:g:eX:")) != -1) {
                char *eq;
                switch (opt) {
                case 'b':
                        brokers = optarg;
                        break;
                case 'i':
                        in = optarg;
                        break;
                case 'o':
                        out = optarg;
                        break;
                case 'g':
                        group = optarg;
                        break;
                case 'e':
                        exit_at_end = 1;
                        break;
                case 'X':
                        eq = strchr(optarg, '=');
                        if (!eq)
                                die(optarg, "-X expects prop=value");
                        *eq = '\0';
                        set(cconf, optarg, eq + 1);
                        set(pconf, optarg, eq + 1);
                        break;
                default:
                        fprintf(stderr, "Usage: passthrough -b BROKERS -i IN "
                                        "-o OUT -g GROUP [-e] [-X k=v]\n");
                        return 2;
                }
        }
        if (!brokers || !in || !out || !group)
                die("usage", "-b, -i, -o and -g are required");

        /* The consumer side of enricher run's settings. */
        set(cconf, "bootstrap.servers", brokers);
        set(cconf, "group.id", group);
        set(cconf, "enable.auto.offset.store", "false");
        set(cconf, "auto.offset.reset", "earliest");
        set(cconf, "enable.partition.eof", exit_at_end ? "true" : "false");
        rd_kafka_conf_set_rebalance_cb(cconf, on_rebalance);
        /* The producer side: idempotent, as enricher's at-least-once. */
        set(pconf, "bootstrap.servers", brokers);
        set(pconf, "enable.idempotence", "true");
        set(pconf, "linger.ms", "5");
        rd_kafka_conf_set_dr_msg_cb(pconf, on_delivery);

        producer =
            rd_kafka_new(RD_KAFKA_PRODUCER, pconf, errstr, sizeof(errstr));
        if (!producer)
                die("producer", errstr);
        consumer =
            rd_kafka_new(RD_KAFKA_CONSUMER, cconf, errstr, sizeof(errstr));
        if (!consumer)
                die("consumer", errstr);
        rd_kafka_poll_set_consumer(consumer);
        topics = rd_kafka_topic_partition_list_new(1);
        rd_kafka_topic_partition_list_add(topics, in, RD_KAFKA_PARTITION_UA);
        if (rd_kafka_subscribe(consumer, topics))
                die("subscribe", in);
        rd_kafka_topic_partition_list_destroy(topics);
        signal(SIGINT, on_signal);
        signal(SIGTERM, on_signal);

        while (!stop_requested && !failed) {
                rd_kafka_message_t *m = rd_kafka_consumer_poll(consumer, 100);
                rd_kafka_headers_t *h = NULL;
                rd_kafka_resp_err_t err;
                char                num[32];

                rd_kafka_poll(producer, 0);
                if (!m)
                        continue;
                if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
                        if (m->partition >= 0 && m->partition < MAX_PARTITIONS)
                                at_end[m->partition] = 1;
                        rd_kafka_message_destroy(m);
                        if (exit_at_end && all_at_end())
                                break;
                        continue;
                }
                if (m->err) {
                        fprintf(stderr, "passthrough: consume: %s\n",
                                rd_kafka_message_errstr(m));
                        rd_kafka_message_destroy(m);
                        continue;
                }
                if (m->partition >= 0 && m->partition < MAX_PARTITIONS)
                        at_end[m->partition] = 0;
                if (rd_kafka_message_headers(m, &h) ==
                    RD_KAFKA_RESP_ERR_NO_ERROR)
                        h = rd_kafka_headers_copy(h);
                else
                        h = rd_kafka_headers_new(4);
                rd_kafka_header_add(h, "enricher-source-topic", -1, in, -1);
                snprintf(num, sizeof(num), "%d", (int)m->partition);
                rd_kafka_header_add(h, "enricher-source-partition", -1, num,
                                    -1);
                snprintf(num, sizeof(num), "%lld", (long long)m->offset);
                rd_kafka_header_add(h, "enricher-source-offset", -1, num, -1);
                for (;;) {
                        err = rd_kafka_producev(
                            producer, RD_KAFKA_V_TOPIC(out),
                            RD_KAFKA_V_KEY(m->key, m->key_len),
                            RD_KAFKA_V_VALUE(m->payload, m->len),
                            RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                            RD_KAFKA_V_HEADERS(h), RD_KAFKA_V_OPAQUE(m),
                            RD_KAFKA_V_END);
                        if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL)
                                break;
                        rd_kafka_poll(producer, 10);
                }
                if (err) {
                        fprintf(stderr, "passthrough: produce: %s\n",
                                rd_kafka_err2str(err));
                        rd_kafka_headers_destroy(h);
                        rd_kafka_message_destroy(m);
                        failed++;
                }
        }
        rd_kafka_flush(producer, 60000);
        rd_kafka_commit(consumer, NULL, 0);
        rd_kafka_consumer_close(consumer);
        rd_kafka_destroy(consumer);
        rd_kafka_destroy(producer);
        fprintf(stderr, "passthrough: %lld messages copied, %lld failed\n",
                copied, failed);
        return failed ? 1 : 0;
}
