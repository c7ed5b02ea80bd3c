/*
 * `enricher dev-broker`: librdkafka's embedded mock cluster as a stand-alone
 * Kafka for demos and fast tests. It creates the requested topics before
 * any client can auto-create them, prints the bootstrap address (and writes
 * it to a file, atomically, for scripts), then serves until SIGTERM or
 * SIGINT. All data lives in memory; transactions and timestamp look-ups
 * are not really implemented by the mock (see the README).
 *
 * The mock holds a group's rebalance for the session timeout of the member
 * that joined last and keeps a departed member that long, and it has no
 * setting of its own for it; `enricher run` recognises the mock by its
 * cluster id ("mockCluster…") and joins with a 3 s session timeout, so a
 * restarted worker gets its partitions within seconds
 * (worker/run_clients.c, tests/integration/test_devbroker.sh).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include "commands.h"

/* Limits on the command line. */
#define MAX_TOPICS     64
#define MAX_PARTITIONS 1000
#define MAX_BROKERS    16

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig) {
        if (sig == SIGINT && stop_requested)
                _exit(130);
        stop_requested = 1;
}

static void usage(FILE *fp) {
        fprintf(fp,
                "Usage: enricher dev-broker [--brokers-count N] "
                "[--topic NAME[:PARTITIONS]]... [--bootstrap-file FILE]\n\n"
                "Starts an in-memory Kafka mock cluster (librdkafka's), prints "
                "its bootstrap\naddress and serves until SIGTERM or SIGINT. "
                "`enricher run` recognises it and\njoins its groups with a "
                "short session timeout (3 s; -X session.timeout.ms\n"
                "overrides it).\n\n"
                "  --brokers-count N       brokers in the cluster (default 1, "
                "at most %d)\n"
                "  --topic NAME[:P]        create topic NAME with P partitions "
                "(default 1);\n"
                "                          repeat for more topics (at most "
                "%d)\n"
                "  --bootstrap-file FILE   also write the address to FILE\n"
                "  -h, --help              this help\n",
                MAX_BROKERS, MAX_TOPICS);
}

/* Writes the address to path through a temporary file and rename(), so a
 * script polling for the file never reads it half-written. */
static int write_bootstrap(const char *path, const char *addr) {
        char  tmp[4096];
        FILE *fp;

        snprintf(tmp, sizeof(tmp), "%s.tmp", path);
        fp = fopen(tmp, "w");
        if (!fp)
                return -1;
        fprintf(fp, "%s\n", addr);
        if (fclose(fp) || rename(tmp, path)) {
                unlink(tmp);
                return -1;
        }
        return 0;
}

int enr_cmd_dev_broker(int argc, char **argv) {
        const char              *topics[MAX_TOPICS];
        const char              *bootstrap_file = NULL;
        int                      ntopics = 0, brokers = 1, i, rc = 1;
        rd_kafka_conf_t         *conf;
        rd_kafka_t              *rk = NULL;
        rd_kafka_mock_cluster_t *mc = NULL;
        char                     errstr[512];
        struct sigaction         sa;

        for (i = 1; i < argc; i++) {
                const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

                if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
                        usage(stdout);
                        return 0;
                } else if (!strcmp(a, "--brokers-count") && v) {
                        brokers = atoi(v);
                        i++;
                } else if (!strcmp(a, "--topic") && v) {
                        if (ntopics == MAX_TOPICS) {
                                fprintf(stderr,
                                        "dev-broker: too many topics "
                                        "(at most %d)\n",
                                        MAX_TOPICS);
                                return 2;
                        }
                        topics[ntopics++] = v;
                        i++;
                } else if (!strcmp(a, "--bootstrap-file") && v) {
                        bootstrap_file = v;
                        i++;
                } else {
                        fprintf(stderr, "dev-broker: unexpected '%s'\n\n", a);
                        usage(stderr);
                        return 2;
                }
        }
        if (brokers < 1 || brokers > MAX_BROKERS) {
                fprintf(stderr, "dev-broker: --brokers-count must be 1..%d\n",
                        MAX_BROKERS);
                return 2;
        }

        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);

        /* The mock cluster lives in a client handle; a producer with no
         * brokers of its own is the lightest one. */
        conf = rd_kafka_conf_new();
        rd_kafka_conf_set(conf, "log_level", "3", NULL, 0);
        rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        if (!rk) {
                fprintf(stderr, "dev-broker: %s\n", errstr);
                rd_kafka_conf_destroy(conf);
                return 1;
        }
        mc = rd_kafka_mock_cluster_new(rk, brokers);
        if (!mc) {
                fprintf(stderr, "dev-broker: cannot start the mock cluster\n");
                goto out;
        }
        for (i = 0; i < ntopics; i++) {
                char                name[256];
                const char         *colon = strrchr(topics[i], ':');
                int                 parts = 1;
                size_t              n     = strlen(topics[i]);
                rd_kafka_resp_err_t err;

                if (colon) {
                        parts = atoi(colon + 1);
                        n     = (size_t)(colon - topics[i]);
                }
                if (n == 0 || n >= sizeof(name) || parts < 1 ||
                    parts > MAX_PARTITIONS) {
                        fprintf(stderr,
                                "dev-broker: bad --topic '%s' (NAME[:1..%d])\n",
                                topics[i], MAX_PARTITIONS);
                        rc = 2;
                        goto out;
                }
                memcpy(name, topics[i], n);
                name[n] = '\0';
                err     = rd_kafka_mock_topic_create(mc, name, parts, 1);
                if (err) {
                        fprintf(stderr, "dev-broker: topic %s: %s\n", name,
                                rd_kafka_err2str(err));
                        goto out;
                }
        }
        printf("%s\n", rd_kafka_mock_cluster_bootstraps(mc));
        fflush(stdout);
        if (bootstrap_file &&
            write_bootstrap(bootstrap_file,
                            rd_kafka_mock_cluster_bootstraps(mc))) {
                fprintf(stderr, "dev-broker: cannot write %s\n",
                        bootstrap_file);
                goto out;
        }
        while (!stop_requested)
                rd_kafka_poll(rk, 200);
        rc = 0;
out:
        if (mc)
                rd_kafka_mock_cluster_destroy(mc);
        rd_kafka_destroy(rk);
        return rc;
}
