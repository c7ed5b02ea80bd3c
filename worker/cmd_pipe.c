/*
 * `enricher pipe`: JSON Lines (or one plain-text article per line) from
 * files or stdin to enriched records on stdout, in input order. A bad line
 * is reported on stderr with its file, line number and reason, optionally
 * written to a dead-letter file, and processing goes on; the exit status
 * is 1 when any line failed.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "http.h"
#include "enricher/dedup.h"
#include "enricher/enricher.h"
#include "enricher/log.h"
#include "enricher/metrics.h"
#include "enricher/record.h"
#include "enricher/text.h"

/* Lines read ahead per enrichment thread. */
#define PIPE_BATCH 64

/* One input line of a batch and its outcome. */
typedef struct pipe_slot {
        char        *line; /**< getline's buffer, reused. */
        size_t       cap;
        size_t       len;
        uint64_t     lineno;
        enr_result_t res; /**< record and id are not kept. */
        enr_buf_t    out; /**< A copy of the record and its newline. */
        char         id[sizeof(((enr_article_t *)0)->id)]; /**< res.id's. */
} pipe_slot_t;

struct pipe_state;

/* One enrichment thread: its scratch and its share of each batch. */
typedef struct pipe_worker {
        pthread_t          tid;
        struct pipe_state *ps;
        enr_scratch_t     *scratch;
        size_t             first;
} pipe_worker_t;

/* The state of a pipe run: the batch, the workers and the counts kept for
 * the summary. */
typedef struct pipe_state {
        const enr_enricher_t *e;
        pipe_slot_t          *slots; /**< The batch: lines read ahead. */
        size_t                nslots;
        size_t                nfill;
        pipe_worker_t        *workers;
        size_t                nworkers;
        FILE                 *dlq;     /**< Dead-letter file, or NULL. */
        enr_metrics_t        *metrics; /**< With --metrics-addr, else NULL. */
        enr_http_t           *http;
        enr_buf_t             dlqbuf;
        uint64_t              records;
        uint64_t              errors;
        uint64_t              by_reason[ENR_ERR__COUNT];
        uint64_t              duplicates;
        enr_dedup_t          *dedup;   /**< The index, or NULL (off). */
        int64_t               last_ms; /**< The latest time given to an
                                            article without one. */
        bool quiet;
} pipe_state_t;

/* Marks the record of sl as a duplicate of an earlier line's article, in
 * input order. An article without a time of its own gets one after every
 * earlier line's, so input order decides which copy is the original. */
static int mark_duplicate(pipe_state_t *ps, pipe_slot_t *sl) {
        enr_result_t *res = &sl->res;
        enr_dup_t     dup;

        if (res->time_is_now) {
                if (res->time_ms <= ps->last_ms)
                        res->time_ms = ps->last_ms + 1;
                ps->last_ms = res->time_ms;
        }
        enr_dedup_check_add(ps->dedup, &res->fingerprint, sl->id,
                            strlen(sl->id), res->time_ms, &dup);
        if (!dup.found)
                return 0;
        ps->duplicates++;
        if (ps->metrics)
                enr_metrics_add(ps->metrics, ENR_M_DUPLICATES,
                                dup.exact ? "exact" : "near", 1);
        if (enr_record_set_duplicate(&sl->out, res->duplicate_at, &dup)) {
                fprintf(stderr, "enricher: out of memory\n");
                return -1;
        }
        return 0;
}

/* Writes one dead letter: the reason and the original line. */
static void write_dead_letter(pipe_state_t *ps, const char *file,
                              uint64_t lineno, const enr_result_t *res,
                              const char *line, size_t len) {
        enr_buf_t *b = &ps->dlqbuf;
        char       num[32];
        int        n;

        enr_buf_reset(b);
        enr_buf_append(b, "{\"source\":", 10);
        enr_buf_json_string(b, file, strlen(file));
        n = snprintf(num, sizeof(num),
                     ",\"line\":%llu,\"reason\":", (unsigned long long)lineno);
        enr_buf_append(b, num, (size_t)n);
        enr_buf_json_string(b, enr_err_name(res->err),
                            strlen(enr_err_name(res->err)));
        enr_buf_append(b, ",\"error\":", 9);
        enr_buf_json_string(b, res->errstr, strlen(res->errstr));
        /* The payload verbatim when it is valid UTF-8, else as hex so no
         * byte is lost. */
        if (enr_utf8_validate(line, len) == len) {
                enr_buf_append(b, ",\"payload\":", 11);
                enr_buf_json_string(b, line, len);
        } else {
                static const char hex[] = "0123456789abcdef";
                size_t            i;
                enr_buf_append(b, ",\"payload_hex\":\"", 16);
                for (i = 0; i < len; i++) {
                        char h[2] = {hex[(unsigned char)line[i] >> 4],
                                     hex[(unsigned char)line[i] & 15]};
                        enr_buf_append(b, h, 2);
                }
                enr_buf_append(b, "\"", 1);
        }
        enr_buf_append(b, "}\n", 2);
        fwrite(b->p, 1, b->len, ps->dlq);
}

/* Emits the outcome of one line, in input order: the record on stdout, or
 * the error on stderr and in the dead-letter file. Returns -1 when stdout
 * fails. */
static int emit(pipe_state_t *ps, const char *name, pipe_slot_t *sl) {
        const enr_result_t *res = &sl->res;

        enr_http_heartbeat(ps->http);
        if (ps->metrics) {
                enr_metrics_add(ps->metrics, ENR_M_CONSUMED, NULL, 1);
                enr_metrics_add(ps->metrics, ENR_M_BYTES_IN, NULL,
                                (double)sl->len);
                enr_metrics_observe_result(ps->metrics, res);
        }
        if (res->err) {
                ps->errors++;
                ps->by_reason[res->err]++;
                if (ps->metrics)
                        enr_metrics_add(ps->metrics,
                                        ps->dlq ? ENR_M_DEAD_LETTERED
                                                : ENR_M_FAILED,
                                        enr_err_name(res->err), 1);
                if (!ps->quiet)
                        fprintf(stderr, "%s:%llu: %s: %s\n", name,
                                (unsigned long long)sl->lineno,
                                enr_err_name(res->err), res->errstr);
                if (ps->dlq)
                        write_dead_letter(ps, name, sl->lineno, res, sl->line,
                                          sl->len);
                return 0;
        }
        if (ps->dedup && mark_duplicate(ps, sl))
                return -1;
        ps->records++;
        if (ps->metrics) {
                enr_metrics_add(ps->metrics, ENR_M_PRODUCED, NULL, 1);
                enr_metrics_add(ps->metrics, ENR_M_BYTES_OUT, NULL,
                                (double)sl->out.len);
        }
        if (fwrite(sl->out.p, 1, sl->out.len, stdout) != sl->out.len) {
                fprintf(stderr, "enricher: writing output: %s\n",
                        strerror(errno));
                return -1;
        }
        return 0;
}

/* Enriches slots first, first + step, … of the current batch. */
static void *process_slots(void *arg) {
        pipe_worker_t *w  = arg;
        pipe_state_t  *ps = w->ps;
        size_t         i;

        for (i = w->first; i < ps->nfill; i += ps->nworkers) {
                pipe_slot_t *sl = &ps->slots[i];
                enr_enricher_process(ps->e, w->scratch, sl->line, sl->len, NULL,
                                     &sl->res);
                /* The record lives in the worker's scratch until its next
                 * article: keep a copy for the in-order writer. */
                enr_buf_reset(&sl->out);
                if (sl->res.err == ENR_OK &&
                    (enr_buf_append(&sl->out, sl->res.record,
                                    sl->res.record_len) ||
                     enr_buf_append(&sl->out, "\n", 1))) {
                        sl->res.err = ENR_ERR_NOMEM;
                        snprintf(sl->res.errstr, sizeof(sl->res.errstr),
                                 "out of memory copying the record");
                }
                snprintf(sl->id, sizeof(sl->id), "%s",
                         sl->res.id ? sl->res.id : "");
                sl->res.record = NULL;
                sl->res.id     = NULL;
        }
        return NULL;
}

/* Runs the workers over the filled slots: the calling thread is worker 0,
 * the others are started for the batch; the share of a thread that could
 * not be started is done by the caller. */
static void process_batch(pipe_state_t *ps) {
        size_t t, started = 0;

        for (t = 1; t < ps->nworkers; t++) {
                if (pthread_create(&ps->workers[t].tid, NULL, process_slots,
                                   &ps->workers[t]))
                        break;
                started = t;
        }
        process_slots(&ps->workers[0]);
        for (t = 1; t <= started; t++)
                pthread_join(ps->workers[t].tid, NULL);
        for (t = started + 1; t < ps->nworkers; t++)
                process_slots(&ps->workers[t]);
}

/* Processes one stream in batches of lines; returns -1 on a read or write
 * error. */
static int pipe_stream(pipe_state_t *ps, FILE *in, const char *name) {
        uint64_t lineno = 0;
        ssize_t  n      = 0;
        size_t   i;

        while (n >= 0) {
                ps->nfill = 0;
                while (ps->nfill < ps->nslots) {
                        pipe_slot_t *sl = &ps->slots[ps->nfill];
                        n               = getline(&sl->line, &sl->cap, in);
                        if (n < 0)
                                break;
                        lineno++;
                        sl->len = (size_t)n;
                        while (sl->len && (sl->line[sl->len - 1] == '\n' ||
                                           sl->line[sl->len - 1] == '\r'))
                                sl->len--;
                        if (sl->len == 0)
                                continue; /* Blank lines separate nothing. */
                        sl->lineno = lineno;
                        ps->nfill++;
                }
                process_batch(ps);
                for (i = 0; i < ps->nfill; i++)
                        if (emit(ps, name, &ps->slots[i]))
                                return -1;
        }
        if (ferror(in)) {
                fprintf(stderr, "enricher: reading %s: %s\n", name,
                        strerror(errno));
                return -1;
        }
        return 0;
}

int enr_cmd_pipe(int argc, char **argv) {
        enr_config_t    cfg;
        pipe_state_t    ps;
        char          **args  = NULL, errstr[512];
        int             nargs = 0, i, rc = 0;
        const char     *dlq_path = NULL, *quiet = NULL;
        enr_cli_extra_t extras[] = {
            {"dlq", 0, 1, &dlq_path,
             "Append refused lines with their reason to FILE (JSON lines)"},
            {"quiet", 'q', 0, &quiet, "Do not report each bad line"},
            {NULL, 0, 0, NULL, NULL}};

        memset(&ps, 0, sizeof(ps));
        if (enr_config_init(&cfg))
                return 2;
        rc = enr_cli_exit_status(enr_cli_parse(
            &cfg, argc, argv, ENR_OPT_SCOPE_ENRICH | ENR_OPT_SCOPE_OPS, extras,
            "Usage: enricher pipe [OPTIONS] [FILE...]\n\n"
            "Reads articles as JSON Lines (or plain text, "
            "one per line) from the FILEs or stdin\n"
            "and writes one enriched record per line to "
            "stdout, in input order (also with\n"
            "--threads N, which enriches N articles at "
            "once).",
            &args, &nargs));
        if (rc >= 0) {
                enr_config_clear(&cfg);
                return rc;
        }
        rc       = 0;
        ps.quiet = quiet != NULL;

        ps.e = enr_enricher_new(&cfg, errstr, sizeof(errstr));
        if (!ps.e) {
                fprintf(stderr, "enricher: %s\n", errstr);
                rc = 2;
                goto out;
        }
        /* Batches of PIPE_BATCH lines per thread keep every thread busy
         * while the output stays in input order. */
        ps.nworkers = (size_t)cfg.threads;
        ps.nslots   = PIPE_BATCH * ps.nworkers;
        ps.slots    = calloc(ps.nslots, sizeof(*ps.slots));
        ps.workers  = calloc(ps.nworkers, sizeof(*ps.workers));
        if (!ps.slots || !ps.workers) {
                fprintf(stderr, "enricher: out of memory\n");
                rc = 2;
                goto out;
        }
        for (i = 0; i < (int)ps.nworkers; i++) {
                ps.workers[i].ps      = &ps;
                ps.workers[i].first   = (size_t)i;
                ps.workers[i].scratch = enr_scratch_new(ps.e);
                if (!ps.workers[i].scratch) {
                        fprintf(stderr, "enricher: out of memory\n");
                        rc = 2;
                        goto out;
                }
        }
        if (cfg.metrics_addr[0]) {
                ps.metrics = enr_metrics_new();
                enr_metrics_known_languages(ps.metrics,
                                            enr_enricher_langid(ps.e));
                if (ps.metrics)
                        ps.http =
                            enr_http_start(cfg.metrics_addr, ps.metrics, NULL,
                                           NULL, errstr, sizeof(errstr));
                if (!ps.http) {
                        fprintf(stderr, "enricher: metrics endpoint: %s\n",
                                ps.metrics ? errstr : "out of memory");
                        rc = 2;
                        goto out;
                }
        }
        if (cfg.dedup_window > 0) {
                ps.dedup = enr_dedup_new(cfg.dedup_window * 1000,
                                         (size_t)cfg.dedup_capacity);
                if (!ps.dedup) {
                        fprintf(stderr, "enricher: out of memory\n");
                        rc = 2;
                        goto out;
                }
        }
        if (dlq_path) {
                ps.dlq = fopen(dlq_path, "a");
                if (!ps.dlq) {
                        fprintf(stderr, "enricher: %s: %s\n", dlq_path,
                                strerror(errno));
                        rc = 2;
                        goto out;
                }
        }

        if (nargs == 0) {
                if (pipe_stream(&ps, stdin, "<stdin>"))
                        rc = 2;
        }
        for (i = 0; i < nargs && rc == 0; i++) {
                FILE *in = !strcmp(args[i], "-") ? stdin : fopen(args[i], "r");
                if (!in) {
                        fprintf(stderr, "enricher: %s: %s\n", args[i],
                                strerror(errno));
                        rc = 2;
                        break;
                }
                if (pipe_stream(&ps, in, args[i]))
                        rc = 2;
                if (in != stdin)
                        fclose(in);
        }
        if (fflush(stdout) == EOF) {
                fprintf(stderr, "enricher: writing output: %s\n",
                        strerror(errno));
                rc = 2;
        }

        fprintf(stderr, "enricher: %llu records, %llu errors",
                (unsigned long long)ps.records, (unsigned long long)ps.errors);
        for (i = 0, nargs = 0; i < ENR_ERR__COUNT; i++)
                if (ps.by_reason[i])
                        fprintf(stderr, "%s%s=%llu", nargs++ ? ", " : " (",
                                enr_err_name((enr_err_t)i),
                                (unsigned long long)ps.by_reason[i]);
        fprintf(stderr, "%s", ps.errors ? ")" : "");
        if (ps.dedup)
                fprintf(stderr, "; %llu duplicates",
                        (unsigned long long)ps.duplicates);
        fputc('\n', stderr);
        if (rc == 0 && ps.errors)
                rc = 1;
out:
        enr_http_stop(ps.http);
        enr_dedup_destroy(ps.dedup);
        enr_metrics_destroy(ps.metrics);
        if (ps.dlq)
                fclose(ps.dlq);
        enr_buf_clear(&ps.dlqbuf);
        for (size_t k = 0; ps.workers && k < ps.nworkers; k++)
                enr_scratch_destroy(ps.workers[k].scratch);
        for (size_t k = 0; ps.slots && k < ps.nslots; k++) {
                free(ps.slots[k].line);
                enr_buf_clear(&ps.slots[k].out);
        }
        free(ps.workers);
        free(ps.slots);
        enr_enricher_destroy((enr_enricher_t *)ps.e);
        enr_config_clear(&cfg);
        free(args);
        return rc;
}
