/*
 * Throughput of text analysis and statistics alone, on the bodies of a
 * JSON-lines file (one object per line with a "body" string), such as the
 * shared BBC sample. Not built by CMake; build and run it with:
 *
 *   cc -O2 -DNDEBUG -std=c11 -D_GNU_SOURCE -Iinclude \
 *      tests/bench/bench_text.c common/text.c common/stats.c \
 *      common/common.c -ljansson -lm -o /tmp/bench_text
 *   /tmp/bench_text ../shared/data/news/bbc.jsonl 5
 *
 * It reports MB/s of body bytes per CPU second (process CPU time, so the
 * figure holds on a busy machine) for enr_text_analyze() and for
 * enr_stats_compute() on the analysed body.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "enricher/stats.h"
#include "enricher/text.h"

/* Limits of what is loaded. */
#define BENCH_MAX_DOCS 100000
#define BENCH_MAX_REPS 1000

static double cpu_seconds(void) {
        struct timespec ts;

        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
        return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
        FILE                *f;
        char                *line = NULL, errstr[256];
        size_t               cap = 0, nb = 0, total = 0, ntok = 0, i;
        ssize_t              n;
        char               **bodies = NULL;
        size_t              *lens   = NULL;
        enr_text_t           t;
        enr_stats_scratch_t *ss = NULL;
        enr_stats_t          st;
        enr_keyword_t        kw[10];
        size_t               nkw;
        double               t0, t_text = 0, t_stats = 0;
        int                  reps, r, rc             = 1;

        if (argc < 2) {
                fprintf(stderr, "usage: %s FILE.jsonl [REPS]\n", argv[0]);
                return 2;
        }
        reps = argc > 2 ? atoi(argv[2]) : 5;
        if (reps < 1 || reps > BENCH_MAX_REPS)
                reps = 5;
        enr_text_init(&t);
        if (!(f = fopen(argv[1], "r"))) {
                perror(argv[1]);
                return 1;
        }
        bodies = calloc(BENCH_MAX_DOCS, sizeof(*bodies));
        lens   = calloc(BENCH_MAX_DOCS, sizeof(*lens));
        if (!bodies || !lens)
                goto out;
        while (nb < BENCH_MAX_DOCS && (n = getline(&line, &cap, f)) > 0) {
                json_t *j = json_loadb(line, (size_t)n, 0, NULL);
                json_t *b = json_object_get(j, "body");

                if (json_is_string(b)) {
                        lens[nb]   = json_string_length(b);
                        bodies[nb] = malloc(lens[nb] + 1);
                        if (!bodies[nb]) {
                                json_decref(j);
                                goto out;
                        }
                        memcpy(bodies[nb], json_string_value(b), lens[nb]);
                        total += lens[nb++];
                }
                json_decref(j);
        }
        if (!nb || !(ss = enr_stats_scratch_new()))
                goto out;
        for (r = 0; r < reps; r++) {
                for (i = 0; i < nb; i++) {
                        t0 = cpu_seconds();
                        if (enr_text_analyze(&t, bodies[i], lens[i], 0, errstr,
                                             sizeof(errstr)) != ENR_OK) {
                                fprintf(stderr, "body %zu: %s\n", i, errstr);
                                goto out;
                        }
                        t_text += cpu_seconds() - t0;
                        ntok += t.ntoks;
                        t0 = cpu_seconds();
                        enr_stats_compute(ss, NULL, &t, t.ntoks, 230.0, &st, kw,
                                          10, &nkw);
                        t_stats += cpu_seconds() - t0;
                }
        }
        printf("%zu bodies, %.1f MB, %zu tokens/body\n", nb, total / 1e6,
               ntok / (size_t)reps / nb);
        printf("text analysis: %.1f MB/s\nstatistics:    %.1f MB/s\n"
               "both:          %.1f MB/s\n",
               reps * total / 1e6 / t_text, reps * total / 1e6 / t_stats,
               reps * total / 1e6 / (t_text + t_stats));
        rc = 0;
out:
        for (i = 0; i < nb; i++)
                free(bodies[i]);
        free(bodies);
        free(lens);
        free(line);
        fclose(f);
        enr_text_clear(&t);
        enr_stats_scratch_destroy(ss);
        return rc;
}
