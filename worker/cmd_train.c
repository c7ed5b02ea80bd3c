/*
 * `enricher train`: trains the name tagger on CoNLL-2003 style files
 * (IOB1 or IOB2), reports the dev F1 (conlleval rules) after each epoch,
 * keeps the best epoch and writes the model file. With --bench MODEL it
 * instead measures the tagging speed of a model on a CoNLL file, and with
 * --score MODEL it scores a model on one.
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "commands.h"
#include "enricher/clock.h"
#include "enricher/config.h"
#include "enricher/conll.h"
#include "enricher/gazetteer.h"
#include "enricher/tagger.h"
#include "enricher/text.h"

static const char synopsis[] =
    "Usage: enricher train --format conll TRAIN [--dev DEV] --out MODEL\n"
    "                      [--case-corpus JSONL] [--epochs N] [--seed S]\n"
    "                      [--buckets-log2 B] [--clusters TABLE]\n"
    "       enricher train --format conll --score MODEL FILE\n"
    "       enricher train --format conll --bench MODEL FILE [--repeat N]\n"
    "       enricher train --format conll --cv K TRAIN [training options]\n"
    "\n"
    "Trains the averaged-perceptron name tagger (PER, ORG, LOC, MISC) on a\n"
    "CoNLL-2003 style file, printing the dev F1 after every epoch and\n"
    "keeping the best epoch. Deterministic for a given seed; one thread.\n"
    "The shipped model: resources/model/train.sh (options chosen by\n"
    "cross-validation with resources/model/cv.sh; MODEL_CARD.md).\n"
    "MODEL may be \"auto\" for <resources>/model/conll03.model.\n"
    "--cv K cross-validates the training options on TRAIN instead: K folds\n"
    "by document (document d in fold d mod K), each scored after every\n"
    "epoch by a model trained on the others; the last epoch counts.";

/* Parses a decimal option value within bounds. */
static int parse_uint(const char *name, const char *v, unsigned long long lo,
                      unsigned long long hi, unsigned long long *out) {
        char              *end;
        unsigned long long x = strtoull(v, &end, 10);
        if (!*v || *end || x < lo || x > hi) {
                fprintf(stderr, "enricher train: --%s must be %llu..%llu\n",
                        name, lo, hi);
                return -1;
        }
        *out = x;
        return 0;
}

static void print_score(FILE *fp, const char *what,
                        const enr_tagger_score_t *sc) {
        fprintf(fp,
                "%s: precision %.2f recall %.2f F1 %.2f\n"
                "  PER  F1 %.2f (tp %llu fp %llu fn %llu)\n"
                "  ORG  F1 %.2f (tp %llu fp %llu fn %llu)\n"
                "  LOC  F1 %.2f (tp %llu fp %llu fn %llu)\n"
                "  MISC F1 %.2f (tp %llu fp %llu fn %llu)\n",
                what, sc->precision, sc->recall, sc->f1_all, sc->f1[0],
                (unsigned long long)sc->tp[0], (unsigned long long)sc->fp[0],
                (unsigned long long)sc->fn[0], sc->f1[1],
                (unsigned long long)sc->tp[1], (unsigned long long)sc->fp[1],
                (unsigned long long)sc->fn[1], sc->f1[2],
                (unsigned long long)sc->tp[2], (unsigned long long)sc->fp[2],
                (unsigned long long)sc->fn[2], sc->f1[3],
                (unsigned long long)sc->tp[3], (unsigned long long)sc->fp[3],
                (unsigned long long)sc->fn[3]);
}


/* CPU time of this thread: the speed on one core of a shared machine. */
static double cpu_s(void) {
        struct timespec ts;
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Measures the tagger on every document of c, rebuilt as text and
 * analysed by the tokenizer beforehand: the fastest of repeat passes of
 * enr_tagger_tag() alone, then of the tokenizer and the tagger together,
 * in CPU time of the thread (the machine may be shared).
 */
static int bench(const enr_tagger_t *tg, const enr_conll_t *c,
                 unsigned long long repeat) {
        enr_tagger_scratch_t *s     = enr_tagger_scratch_new(tg);
        enr_text_t           *texts = calloc(c->ndocs + 1, sizeof(*texts));
        char                **bufs  = calloc(c->ndocs + 1, sizeof(*bufs));
        size_t               *lens  = calloc(c->ndocs + 1, sizeof(*lens));
        uint64_t              toks = 0, spans = 0;
        double                best = 0, best_all = 0;
        int                   rc = 1;
        char                  errstr[256];

        if (!s || !texts || !bufs || !lens)
                goto out;
        for (size_t d = 0; d < c->ndocs; d++) {
                uint32_t *off = malloc((c->docs[d].ntoks + 1) * sizeof(*off));
                if (!off)
                        goto out;
                bufs[d] = enr_conll_text(&c->docs[d], off, &lens[d]);
                free(off);
                enr_text_init(&texts[d]);
                if (!bufs[d] ||
                    enr_text_analyze(&texts[d], bufs[d], lens[d], 0, errstr,
                                     sizeof(errstr)) != ENR_OK)
                        goto out;
                toks += texts[d].ntoks;
        }
        /* Warm up (scratch growth, page faults), then measure. */
        for (unsigned long long r = 0; r < 2 * repeat + 1; r++) {
                bool   all = r > repeat;
                double t0  = cpu_s();
                spans      = 0;
                for (size_t d = 0; d < c->ndocs; d++) {
                        const enr_tagger_span_t *sp;
                        size_t                   n;
                        if (all && enr_text_analyze(&texts[d], bufs[d], lens[d],
                                                    0, errstr, sizeof(errstr)))
                                goto out;
                        if (enr_tagger_tag(tg, s, &texts[d], &sp, &n))
                                goto out;
                        spans += n;
                }
                double  secs = cpu_s() - t0;
                double *b    = all ? &best_all : &best;
                if (r == 0)
                        continue;
                if (r == 1 || r == repeat + 1 || secs < *b)
                        *b = secs;
        }
        printf("bench: %llu tokens, %llu spans, fastest of %llu passes, one "
               "thread, CPU time:\n"
               "  tagger:             %.3f s, %.0f tokens/s\n"
               "  tokenizer + tagger: %.3f s, %.0f tokens/s\n",
               (unsigned long long)toks, (unsigned long long)spans, repeat,
               best, best > 0 ? toks / best : 0.0, best_all,
               best_all > 0 ? toks / best_all : 0.0);
        rc = 0;
out:
        for (size_t d = 0; texts && bufs && d < c->ndocs; d++) {
                enr_text_clear(&texts[d]);
                free(bufs[d]);
        }
        free(texts);
        free(bufs);
        free(lens);
        enr_tagger_scratch_destroy(s);
        return rc;
}

/* One row of the cross-validation table. */
static void cv_row(const char *what, size_t docs,
                   const enr_tagger_score_t *sc) {
        printf("%-6s %5zu %7.2f %7.2f %7.2f %7.2f %7.2f %7.2f %7.2f\n", what,
               docs, sc->precision, sc->recall, sc->f1_all, sc->f1[0],
               sc->f1[1], sc->f1[2], sc->f1[3]);
}

/*
 * --cv K: K-fold cross-validation by document; prints each fold's scores
 * after the last epoch, their mean and standard deviation, and the mean
 * F1 after every epoch (to choose the number of epochs).
 */
static int cross_validate(const enr_conll_t *c, const enr_gazetteer_t *g,
                          enr_tagger_train_opts_t *o, unsigned k) {
        enr_tagger_score_t *folds = calloc(k, sizeof(*folds));
        enr_tagger_score_t *curve =
            calloc((size_t)k * o->epochs, sizeof(*curve));
        enr_tagger_score_t mean, sd;
        char               errstr[512];
        int                rc = 1;
        double             t0 = enr_clock_mono_s();

        if (!folds || !curve) {
                fprintf(stderr, "enricher train: out of memory\n");
                goto out;
        }
        o->progress = stderr;
        if (enr_tagger_cv(c, g, o, k, folds, curve, errstr, sizeof(errstr)) !=
            ENR_OK) {
                fprintf(stderr, "enricher train: %s\n", errstr);
                goto out;
        }
        memset(&mean, 0, sizeof(mean));
        memset(&sd, 0, sizeof(sd));
        for (unsigned f = 0; f < k; f++) {
                mean.precision += folds[f].precision / k;
                mean.recall += folds[f].recall / k;
                mean.f1_all += folds[f].f1_all / k;
                for (int ty = 0; ty < 4; ty++)
                        mean.f1[ty] += folds[f].f1[ty] / k;
        }
        for (unsigned f = 0; f < k; f++) {
                double d = folds[f].precision - mean.precision;
                sd.precision += d * d / (k - 1);
                d = folds[f].recall - mean.recall;
                sd.recall += d * d / (k - 1);
                d = folds[f].f1_all - mean.f1_all;
                sd.f1_all += d * d / (k - 1);
                for (int ty = 0; ty < 4; ty++) {
                        d = folds[f].f1[ty] - mean.f1[ty];
                        sd.f1[ty] += d * d / (k - 1);
                }
        }
        sd.precision = sqrt(sd.precision);
        sd.recall    = sqrt(sd.recall);
        sd.f1_all    = sqrt(sd.f1_all);
        for (int ty = 0; ty < 4; ty++)
                sd.f1[ty] = sqrt(sd.f1[ty]);
        printf("cv: %u folds by document (document d in fold d mod %u) of "
               "%zu documents; %u epochs, the last kept; seed %llu; "
               "2^%u buckets; %.0f s\n",
               k, k, c->ndocs, o->epochs, (unsigned long long)o->seed,
               o->buckets_log2, enr_clock_mono_s() - t0);
        printf("%-6s %5s %7s %7s %7s %7s %7s %7s %7s\n", "fold", "docs", "P",
               "R", "F1", "PER", "ORG", "LOC", "MISC");
        for (unsigned f = 0; f < k; f++) {
                char name[16];
                snprintf(name, sizeof(name), "%u", f + 1);
                cv_row(name, (c->ndocs + k - 1 - f) / k, &folds[f]);
        }
        cv_row("mean", c->ndocs, &mean);
        cv_row("sd", c->ndocs, &sd);
        printf("mean F1 by epoch:");
        for (unsigned e = 0; e < o->epochs; e++) {
                double m = 0;
                for (unsigned f = 0; f < k; f++)
                        m += curve[(size_t)f * o->epochs + e].f1_all / k;
                printf(" %u:%.2f", e + 1, m);
        }
        printf("\n");
        rc = 0;
out:
        free(folds);
        free(curve);
        return rc;
}

/* The command's own options, as given (NULL: not given). */
typedef struct train_args {
        const char *format, *dev, *out, *epochs, *seed, *blog2, *minc, *nogaz,
            *nodoc, *bench, *score, *repeat, *nostack, *sepochs, *sfolds,
            *casec, *cvk, *noruns, *nolean, *clust;
} train_args_t;

/* Checks the options and sets the training options from them; returns -1
 * (the reason printed) on a bad one. */
static int apply_options(const train_args_t *a, int nargs,
                         enr_tagger_train_opts_t *o) {
        unsigned long long v;

        if (!a->format || strcmp(a->format, "conll") != 0) {
                fprintf(stderr, "enricher train: --format conll is required "
                                "(the only format)\n");
                return -1;
        }
        if (nargs != 1) {
                fprintf(stderr, "enricher train: expected one input file\n");
                return -1;
        }
        if (!a->bench && !a->score && !a->cvk && !a->out) {
                fprintf(stderr, "enricher train: --out MODEL is required\n");
                return -1;
        }
        if (a->epochs) {
                if (parse_uint("epochs", a->epochs, 1, 1000, &v))
                        return -1;
                o->epochs = (unsigned)v;
        }
        if (a->seed) {
                if (parse_uint("seed", a->seed, 0, UINT64_MAX, &v))
                        return -1;
                o->seed = v;
        }
        if (a->blog2) {
                if (parse_uint("buckets-log2", a->blog2, 16, 22, &v))
                        return -1;
                o->buckets_log2 = (unsigned)v;
        }
        if (a->minc) {
                if (parse_uint("min-count", a->minc, 1, 1000000, &v))
                        return -1;
                o->min_count = (unsigned)v;
        }
        if (a->repeat && parse_uint("repeat", a->repeat, 1, 1000, &v))
                return -1;
        if (a->cvk && parse_uint("cv", a->cvk, 2, 100, &v))
                return -1;
        if (a->nodoc)
                o->features &= ~(uint32_t)ENR_TAGGER_FS_DOC;
        if (a->noruns)
                o->features &= ~(uint32_t)ENR_TAGGER_FS_RUNS;
        if (a->nolean)
                o->features &= ~(uint32_t)ENR_TAGGER_FS_LEAN;
        o->case_corpus = a->casec;
        o->clusters    = a->clust;
        if (a->nostack)
                o->features &= ~(uint32_t)ENR_TAGGER_FS_STACK;
        if (a->sepochs) {
                if (parse_uint("stack-epochs", a->sepochs, 1, 1000, &v))
                        return -1;
                o->stack_epochs = (unsigned)v;
        }
        if (a->sfolds) {
                if (parse_uint("stack-folds", a->sfolds, 2, 100, &v))
                        return -1;
                o->stack_folds = (unsigned)v;
        }
        return 0;
}

/* --score and --bench: loads the model and scores or times it on train
 * (read from file). Returns the exit status. */
static int score_or_bench(const train_args_t *a, const enr_config_t *cfg,
                          const enr_gazetteer_t *g, const enr_conll_t *train,
                          const char *file) {
        enr_tagger_score_t score;
        enr_tagger_t      *tg;
        const char        *mp = a->bench ? a->bench : a->score;
        char               errstr[512], path[4096];
        int                rc = 1;

        if (strcmp(mp, "auto") == 0) {
                snprintf(path, sizeof(path), "%s/model/conll03.model",
                         cfg->resources);
                mp = path;
        }
        if (!(tg = enr_tagger_load(mp, g, errstr, sizeof(errstr)))) {
                fprintf(stderr, "enricher train: %s\n", errstr);
                return 1;
        }
        if (a->bench) {
                rc = bench(tg, train,
                           a->repeat ? strtoull(a->repeat, NULL, 10) : 5);
        } else if (enr_tagger_evaluate(tg, train, &score) == ENR_OK) {
                print_score(stdout, file, &score);
                rc = 0;
        }
        enr_tagger_destroy(tg);
        return rc;
}

int enr_cmd_train(int argc, char **argv) {
        enr_config_t            cfg;
        enr_tagger_train_opts_t o;
        enr_tagger_score_t      best;
        train_args_t            a     = {0};
        enr_gazetteer_t        *g     = NULL;
        enr_conll_t            *train = NULL, *dev = NULL;
        enr_tagger_t           *tg   = NULL;
        char                  **args = NULL;
        char                    errstr[512];
        int                     nargs = 0, rc = 2;
        const enr_cli_extra_t   extras[] = {
              {"format", 0, 1, &a.format, "Input format: conll (required)"},
              {"dev", 0, 1, &a.dev, "Development file scored after each epoch"},
              {"out", 'o', 1, &a.out, "Where to write the model"},
              {"epochs", 0, 1, &a.epochs, "Training epochs (default 20)"},
              {"seed", 0, 1, &a.seed, "Shuffling seed (default 1)"},
              {"buckets-log2", 0, 1, &a.blog2,
               "log2 of the feature hash buckets, 16..22 (default 20)"},
              {"min-count", 0, 1, &a.minc,
               "Ignore features seen fewer times (default 1)"},
              {"no-gazetteer", 0, 0, &a.nogaz,
               "Train without gazetteer features"},
              {"no-doc", 0, 0, &a.nodoc, "Train without document features"},
              {"no-lean", 0, 0, &a.nolean,
               "Keep the full shape, length and neighbours' case features"},
              {"no-runs", 0, 0, &a.noruns,
               "Train without the runs of capitalised words in the document"},
              {"no-stack", 0, 0, &a.nostack,
               "One pass only (no second pass over first-pass tags)"},
              {"stack-epochs", 0, 1, &a.sepochs,
               "Epochs of the first pass (default 8)"},
              {"case-corpus", 0, 1, &a.casec,
               "JSON lines (title, body) for the words' case profiles"},
              {"clusters", 0, 1, &a.clust,
               "Word-cluster table (resources/model/clusters.tsv) to learn from"},
              {"stack-folds", 0, 1, &a.sfolds,
               "Jackknife folds of the first pass (default 5)"},
              {"score", 0, 1, &a.score, "Score MODEL on FILE instead"},
              {"bench", 0, 1, &a.bench, "Measure the speed of MODEL on FILE"},
              {"repeat", 0, 1, &a.repeat, "Bench passes over FILE (default 5)"},
              {"cv", 0, 1, &a.cvk,
               "Cross-validate with K folds by document instead of training"},
              {NULL, 0, 0, NULL, NULL}};

        if (enr_config_init(&cfg) != ENR_OK) {
                fprintf(stderr, "enricher train: out of memory\n");
                return 1;
        }
        enr_tagger_train_opts_init(&o);
        rc = enr_cli_exit_status(enr_cli_parse(&cfg, argc, argv,
                                               ENR_OPT_SCOPE_ENRICH, extras,
                                               synopsis, &args, &nargs));
        if (rc >= 0)
                goto out;
        rc = 2;
        if (apply_options(&a, nargs, &o))
                goto out;
        rc = 1;
        if (!a.nogaz) {
                g = enr_gazetteer_new(cfg.resources, errstr, sizeof(errstr));
                if (!g) {
                        fprintf(stderr,
                                "enricher train: gazetteer: %s (use "
                                "--no-gazetteer to train without)\n",
                                errstr);
                        goto out;
                }
        }
        if (!(train = enr_conll_read(args[0], errstr, sizeof(errstr)))) {
                fprintf(stderr, "enricher train: %s\n", errstr);
                goto out;
        }
        if (a.bench || a.score) {
                rc = score_or_bench(&a, &cfg, g, train, args[0]);
                goto out;
        }
        if (a.cvk) {
                rc = cross_validate(train, g, &o,
                                    (unsigned)strtoul(a.cvk, NULL, 10));
                goto out;
        }
        if (a.dev && !(dev = enr_conll_read(a.dev, errstr, sizeof(errstr)))) {
                fprintf(stderr, "enricher train: %s\n", errstr);
                goto out;
        }
        o.progress = stderr;
        double t0  = enr_clock_mono_s();
        if (!(tg = enr_tagger_train(train, dev, g, &o, &best, errstr,
                                    sizeof(errstr)))) {
                fprintf(stderr, "enricher train: %s\n", errstr);
                goto out;
        }
        fprintf(stderr, "trained in %.1f s\n", enr_clock_mono_s() - t0);
        if (dev)
                print_score(stdout, "best epoch on dev", &best);
        if (enr_tagger_save(tg, a.out, errstr, sizeof(errstr)) != ENR_OK) {
                fprintf(stderr, "enricher train: %s\n", errstr);
                goto out;
        }
        rc = 0;
out:
        enr_tagger_destroy(tg);
        enr_conll_destroy(train);
        enr_conll_destroy(dev);
        enr_gazetteer_destroy(g);
        free(args);
        enr_config_clear(&cfg);
        return rc;
}
