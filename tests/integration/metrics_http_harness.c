/*
 * A driver of the HTTP endpoint (worker/http.c) for
 * test_metrics_scrape.sh: serves a metrics registry on the address given
 * and obeys one command per line on stdin, so the script can check the
 * endpoint's answers with curl in every state:
 *
 *   ready 0|1     what the ready() callback answers
 *   timeout N     the liveness timeout (seconds)
 *   beat          a main-loop heartbeat
 *   add           one consumed message in the registry
 *   quit          stop the server and exit 0
 *
 * It prints "port N" once listening and "ok" after each command.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enricher/metrics.h"
#include "http.h"

static atomic_int ready_flag;

static int ready(void *opaque) {
        (void)opaque;
        return atomic_load(&ready_flag);
}

int main(int argc, char **argv) {
        enr_metrics_t *m = enr_metrics_new();
        enr_http_t    *h;
        char           errstr[256], line[128];

        if (argc != 2 || !m) {
                fprintf(stderr, "usage: metrics_http_harness HOST:PORT\n");
                return 2;
        }
        h = enr_http_start(argv[1], m, ready, NULL, errstr, sizeof(errstr));
        if (!h) {
                printf("error %s\n", errstr);
                enr_metrics_destroy(m);
                return 1;
        }
        printf("port %u\n", enr_http_port(h));
        fflush(stdout);
        while (fgets(line, sizeof(line), stdin)) {
                unsigned n;

                if (sscanf(line, "ready %u", &n) == 1)
                        atomic_store(&ready_flag, (int)n);
                else if (sscanf(line, "timeout %u", &n) == 1)
                        enr_http_set_liveness_timeout(h, n);
                else if (strncmp(line, "beat", 4) == 0)
                        enr_http_heartbeat(h);
                else if (strncmp(line, "add", 3) == 0)
                        enr_metrics_add(m, ENR_M_CONSUMED, NULL, 1);
                else if (strncmp(line, "quit", 4) == 0)
                        break;
                printf("ok\n");
                fflush(stdout);
        }
        enr_http_stop(h);
        enr_metrics_destroy(m);
        return 0;
}
