/*
 * `enricher bench FILE.jsonl`: enrichment alone, no Kafka and no output,
 * over articles loaded into memory first, so only the enrichment path is
 * timed. Reports articles/s, MB/s, tokens/s and the time per stage as one
 * JSON object. With --threads N, N threads share the articles (each with its
 * own scratch), as `enricher run --threads N` would.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "cli.h"
#include "commands.h"
#include "enricher/clock.h"
#include "enricher/enricher.h"

/* The articles, one per input line. */
typedef struct corpus {
        char  **line;
        size_t *len;
        size_t  n;
        size_t  bytes;
} corpus_t;

/* One thread's share and its counts. */
typedef struct bench_thread {
        pthread_t             tid;
        const enr_enricher_t *e;
        const corpus_t       *c;
        enr_dedup_t          *dedup;       /**< Shared, as in run; or NULL. */
        size_t                first, step; /**< Articles first, first+step… */
        unsigned              repeat;
        uint64_t              articles, errors, tokens, bytes;
        uint64_t              stage_ns[ENR_STAGE__COUNT];
        int                   failed;
} bench_thread_t;


static double cpu_s(void) {
        struct rusage ru;

        getrusage(RUSAGE_SELF, &ru);
        return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
               (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static void *bench_main(void *arg) {
        bench_thread_t *bt = arg;
        enr_scratch_t  *s  = enr_scratch_new(bt->e);
        enr_result_t    res;
        unsigned        r;
        size_t          i;
        int             k;

        if (!s) {
                bt->failed = 1;
                return NULL;
        }
        for (r = 0; r < bt->repeat; r++) {
                for (i = bt->first; i < bt->c->n; i += bt->step) {
                        enr_enricher_process(bt->e, s, bt->c->line[i],
                                             bt->c->len[i], NULL, &res);
                        if (!res.err && bt->dedup) {
                                enr_dup_t dup;
                                enr_enricher_mark_duplicate(s, bt->dedup, &res,
                                                            &dup);
                        }
                        bt->articles++;
                        bt->bytes += bt->c->len[i];
                        if (res.err)
                                bt->errors++;
                        bt->tokens += res.tokens;
                        for (k = 0; k < ENR_STAGE__COUNT; k++)
                                bt->stage_ns[k] += res.stage_ns[k];
                }
        }
        enr_scratch_destroy(s);
        return NULL;
}

static int load_corpus(corpus_t *c, const char *path, size_t limit) {
        FILE   *fp   = fopen(path, "r");
        char   *line = NULL;
        size_t  cap = 0, alloc = 0;
        ssize_t n;

        if (!fp) {
                fprintf(stderr, "enricher bench: %s: %s\n", path,
                        strerror(errno));
                return -1;
        }
        while ((n = getline(&line, &cap, fp)) > 0 && (!limit || c->n < limit)) {
                while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
                        n--;
                if (!n)
                        continue;
                if (c->n == alloc) {
                        alloc   = alloc ? alloc * 2 : 1024;
                        c->line = realloc(c->line, alloc * sizeof(*c->line));
                        c->len  = realloc(c->len, alloc * sizeof(*c->len));
                        if (!c->line || !c->len)
                                abort();
                }
                c->line[c->n] = malloc((size_t)n);
                if (!c->line[c->n])
                        abort();
                memcpy(c->line[c->n], line, (size_t)n);
                c->len[c->n++] = (size_t)n;
                c->bytes += (size_t)n;
        }
        free(line);
        fclose(fp);
        return 0;
}

int enr_cmd_bench(int argc, char **argv) {
        enr_config_t    cfg;
        corpus_t        c;
        bench_thread_t *bt    = NULL;
        enr_dedup_t    *dedup = NULL;
        enr_enricher_t *e     = NULL;
        char          **args  = NULL, errstr[512];
        int             nargs = 0, rc = 1, k;
        long            t, nthreads;
        const char     *repeat_s = "3", *limit_s = "0";
        unsigned        repeat;
        double          t0, t1, c0, c1, load_s;
        uint64_t        articles = 0, errors = 0, tokens = 0, bytes = 0;
        uint64_t        stage[ENR_STAGE__COUNT] = {0}, stage_total = 0;
        struct rusage   ru;
        enr_cli_extra_t extras[] = {
            {"repeat", 'r', 1, &repeat_s,
             "Passes over the articles (default 3)"},
            {"limit", 'n', 1, &limit_s, "Use at most N articles (0: all)"},
            {NULL, 0, 0, NULL, NULL}};

        memset(&c, 0, sizeof(c));
        if (enr_config_init(&cfg))
                return 2;
        rc = enr_cli_exit_status(
            enr_cli_parse(&cfg, argc, argv, ENR_OPT_SCOPE_ENRICH, extras,
                          "Usage: enricher bench [OPTIONS] FILE.jsonl\n\n"
                          "Times enrichment alone (no Kafka, no output) "
                          "over the articles of FILE, loaded into\n"
                          "memory first, and prints one JSON object: "
                          "articles/s, MB/s, tokens/s, time per stage.",
                          &args, &nargs));
        if (rc >= 0)
                goto out;
        rc = 1;
        if (nargs != 1) {
                fprintf(stderr, "enricher bench: one FILE.jsonl expected\n");
                rc = 2;
                goto out;
        }
        repeat   = (unsigned)strtoul(repeat_s, NULL, 10);
        nthreads = (long)cfg.threads;
        if (repeat < 1)
                repeat = 1;

        t0 = enr_clock_mono_s();
        e  = enr_enricher_new(&cfg, errstr, sizeof(errstr));
        if (!e) {
                fprintf(stderr, "enricher bench: %s\n", errstr);
                goto out;
        }
        load_s = enr_clock_mono_s() - t0;
        if (load_corpus(&c, args[0], strtoul(limit_s, NULL, 10)))
                goto out;
        if (!c.n) {
                fprintf(stderr, "enricher bench: %s has no articles\n",
                        args[0]);
                goto out;
        }

        /* The duplicate index costs what it costs in run and pipe. */
        if (cfg.dedup_window > 0 &&
            !(dedup = enr_dedup_new(cfg.dedup_window * 1000,
                                    (size_t)cfg.dedup_capacity)))
                goto out;
        bt = calloc((size_t)nthreads, sizeof(*bt));
        if (!bt)
                goto out;
        t0 = enr_clock_mono_s();
        c0 = cpu_s();
        for (t = 0; t < nthreads; t++) {
                bt[t].e      = e;
                bt[t].c      = &c;
                bt[t].dedup  = dedup;
                bt[t].first  = (size_t)t;
                bt[t].step   = (size_t)nthreads;
                bt[t].repeat = repeat;
                if (pthread_create(&bt[t].tid, NULL, bench_main, &bt[t])) {
                        fprintf(stderr, "enricher bench: pthread_create\n");
                        nthreads = t;
                        goto out;
                }
        }
        for (t = 0; t < nthreads; t++)
                pthread_join(bt[t].tid, NULL);
        t1 = enr_clock_mono_s();
        c1 = cpu_s();
        for (t = 0; t < nthreads; t++) {
                if (bt[t].failed) {
                        fprintf(stderr, "enricher bench: out of memory\n");
                        goto out;
                }
                articles += bt[t].articles;
                errors += bt[t].errors;
                tokens += bt[t].tokens;
                bytes += bt[t].bytes;
                for (k = 0; k < ENR_STAGE__COUNT; k++)
                        stage[k] += bt[t].stage_ns[k];
        }
        for (k = 0; k < ENR_STAGE__COUNT; k++)
                stage_total += stage[k];
        getrusage(RUSAGE_SELF, &ru);

        printf("{\"file\":\"%s\",\"articles\":%zu,\"passes\":%u,"
               "\"threads\":%ld,\"extractor\":\"%s\",\"errors\":%llu,\n"
               " \"seconds\":%.3f,\"cpu_seconds\":%.3f,"
               "\"load_seconds\":%.3f,\n"
               " \"articles_per_second\":%.1f,\"mb_per_second\":%.2f,"
               "\"tokens_per_second\":%.0f,"
               "\"names_tokens_per_second\":%.0f,"
               "\"cpu_us_per_article\":%.1f,\n"
               " \"peak_rss_mb\":%.1f,\n \"stages_us_per_article\":{",
               args[0], c.n, repeat, nthreads,
               enr_enricher_has_tagger(e) ? "tagger" : "rules",
               (unsigned long long)errors, t1 - t0, c1 - c0, load_s,
               (double)articles / (t1 - t0), (double)bytes / (t1 - t0) / 1e6,
               (double)tokens / (t1 - t0),
               stage[ENR_STAGE_NAMES]
                   ? (double)tokens / ((double)stage[ENR_STAGE_NAMES] / 1e9)
                   : 0.0,
               (c1 - c0) * 1e6 / (double)articles,
               (double)ru.ru_maxrss / 1024.0);
        for (k = 0; k < ENR_STAGE__COUNT; k++)
                printf("%s\"%s\":%.2f", k ? "," : "",
                       enr_stage_name((enr_stage_t)k),
                       (double)stage[k] / 1e3 / (double)articles);
        printf("},\n \"stage_share\":{");
        for (k = 0; k < ENR_STAGE__COUNT; k++)
                printf("%s\"%s\":%.3f", k ? "," : "",
                       enr_stage_name((enr_stage_t)k),
                       stage_total ? (double)stage[k] / (double)stage_total
                                   : 0.0);
        printf("}}\n");
        rc = 0;
out:
        free(bt);
        for (size_t i = 0; i < c.n; i++)
                free(c.line[i]);
        free(c.line);
        free(c.len);
        enr_dedup_destroy(dedup);
        enr_enricher_destroy(e);
        enr_config_clear(&cfg);
        free(args);
        return rc;
}
