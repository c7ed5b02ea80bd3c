/*
 * Evaluator of the language identifier: runs enr_langid_detect() over a
 * labelled JSON-lines file ({"lang", "kind": "sentence"|"paragraph",
 * "text"}, e.g. the shared lang/dev.jsonl) and prints overall and
 * per-language accuracy and throughput; with --news FILE it also times
 * title + body detection on news articles ({"title", "body"}) and reports
 * the languages found there.
 *
 * Usage: langid_eval [--model FILE] [--resources DIR] [--news FILE]
 *                    [--repeat N] [--set name=value ...]
 *                    [--trace FILE] DATA.jsonl
 * --trace writes a line per item of DATA: its line number (from 0), lang,
 * kind, guess, and for items that reached a close pair's second stage the
 * pair, the n-gram lead and the pair table's word sum (nats), tab-separated
 * (resources/lang/build_pairs.py --trace reads it).
 * Times are CPU time of the process (the machine may be shared).
 * Settings (--set): backoff, min_letters, margin, max_letters (model
 * units), temperature, word_cap, min_order, pair_ngram, pair_words.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "enricher/langid.h"
#include "langid_int.h"

#define MAX_ITEMS 200000
#define MAX_LANGS 128

typedef struct item {
        size_t line; /* of the file, from 0 */
        char   lang[8];
        int    para;
        char  *text;
        size_t len;
} item_t;

static double now(void) {
        struct timespec ts;
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
        return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Reads a JSON-lines file; returns the number of objects kept. */
static size_t read_items(const char *path, item_t *items, size_t max,
                         int news) {
        FILE  *f    = fopen(path, "r");
        char  *line = NULL;
        size_t cap = 0, n = 0, line_no = 0;

        if (!f) {
                perror(path);
                exit(2);
        }
        for (; n < max && getline(&line, &cap, f) > 0; line_no++) {
                json_error_t jerr;
                json_t      *o = json_loads(line, 0, &jerr);
                if (!o)
                        continue;
                items[n].line = line_no;
                if (news) {
                        const char *t =
                            json_string_value(json_object_get(o, "title"));
                        const char *b =
                            json_string_value(json_object_get(o, "body"));
                        size_t tl = t ? strlen(t) : 0, bl = b ? strlen(b) : 0;
                        /* title NUL body */
                        items[n].text = malloc(tl + bl + 2);
                        memcpy(items[n].text, t ? t : "", tl + 1);
                        memcpy(items[n].text + tl + 1, b ? b : "", bl + 1);
                        items[n].len  = tl;
                        items[n].para = (int)bl;
                        n++;
                } else {
                        const char *lang =
                            json_string_value(json_object_get(o, "lang"));
                        const char *kind =
                            json_string_value(json_object_get(o, "kind"));
                        const char *text =
                            json_string_value(json_object_get(o, "text"));
                        if (lang && kind && text) {
                                snprintf(items[n].lang, sizeof(items[n].lang),
                                         "%s", lang);
                                items[n].para = !strcmp(kind, "paragraph");
                                items[n].text = strdup(text);
                                items[n].len  = strlen(text);
                                n++;
                        }
                }
                json_decref(o);
        }
        free(line);
        fclose(f);
        return n;
}

typedef struct stat {
        char   lang[8];
        size_t n[2], ok[2];
        double conf_ok, conf_bad;
        size_t nconf_bad;
} stat_t;

int main(int argc, char **argv) {
        const char   *model = NULL, *res = NULL, *news = NULL, *data = NULL;
        const char   *trace_path = NULL;
        FILE         *trace      = NULL;
        int           repeat     = 3;
        char          err[512];
        enr_langid_t *l;
        enr__langid_params_t p;
        static item_t        items[MAX_ITEMS];
        static stat_t        st[MAX_LANGS];
        size_t               n, nst = 0, bytes = 0, tot[2] = {0}, ok[2] = {0};
        size_t               bin_n[10] = {0}, bin_ok[10] = {0};
        double               bin_conf[10] = {0};
        double               t0, dt;
        const char          *sets[32];
        int                  nsets = 0;

        for (int i = 1; i < argc; i++) {
                if (!strcmp(argv[i], "--model") && i + 1 < argc)
                        model = argv[++i];
                else if (!strcmp(argv[i], "--resources") && i + 1 < argc)
                        res = argv[++i];
                else if (!strcmp(argv[i], "--news") && i + 1 < argc)
                        news = argv[++i];
                else if (!strcmp(argv[i], "--trace") && i + 1 < argc)
                        trace_path = argv[++i];
                else if (!strcmp(argv[i], "--repeat") && i + 1 < argc)
                        repeat = atoi(argv[++i]);
                else if (!strcmp(argv[i], "--set") && i + 1 < argc &&
                         nsets < 32)
                        sets[nsets++] = argv[++i];
                else if (argv[i][0] != '-')
                        data = argv[i];
                else {
                        fprintf(stderr,
                                "usage: %s [--model FILE] [--resources DIR] "
                                "[--news FILE] [--repeat N] [--set k=v] "
                                "[--trace FILE] DATA.jsonl\n",
                                argv[0]);
                        return 2;
                }
        }
        if (!data && !news) {
                fprintf(stderr, "%s: no data file\n", argv[0]);
                return 2;
        }
        if (!(l = enr_langid_new(res, model, err, sizeof(err)))) {
                fprintf(stderr, "langid: %s\n", err);
                return 1;
        }
        enr__langid_get_params(l, &p);
        for (int i = 0; i < nsets; i++) {
                char   k[64];
                double v;
                if (sscanf(sets[i], "%63[a-z_]=%lf", k, &v) != 2) {
                        fprintf(stderr, "bad --set %s\n", sets[i]);
                        return 2;
                }
                if (!strcmp(k, "backoff"))
                        p.backoff = (int)v;
                else if (!strcmp(k, "min_letters"))
                        p.min_letters = (int)v;
                else if (!strcmp(k, "margin"))
                        p.margin = (int)v;
                else if (!strcmp(k, "max_letters"))
                        p.max_letters = (int)v;
                else if (!strcmp(k, "word_cap"))
                        p.word_cap = (int)v;
                else if (!strcmp(k, "min_order"))
                        p.min_order = (int)v;
                else if (!strcmp(k, "temperature"))
                        p.temperature = v;
                else if (!strcmp(k, "pair_ngram"))
                        p.pair_ngram = v;
                else if (!strcmp(k, "pair_words"))
                        p.pair_words = v;
                else {
                        fprintf(stderr, "unknown setting %s\n", k);
                        return 2;
                }
        }
        enr__langid_set_params(l, &p);
        printf("model: %zu languages; backoff=%d min_letters=%d margin=%d "
               "max_letters=%d temperature=%g min_order=%d word_cap=%d "
               "pair_ngram=%g pair_words=%g\n",
               enr_langid_count(l), p.backoff, p.min_letters, p.margin,
               p.max_letters, p.temperature, p.min_order, p.word_cap,
               p.pair_ngram, p.pair_words);

        if (data) {
                n = read_items(data, items, MAX_ITEMS, 0);
                if (trace_path && !(trace = fopen(trace_path, "w"))) {
                        perror(trace_path);
                        return 2;
                }
                for (size_t i = 0; i < n; i++) {
                        enr_lang_guess_t    g;
                        enr__langid_trace_t tr;
                        stat_t             *s = NULL;
                        int                 good;
                        enr__langid_detect_trace(l, NULL, 0, items[i].text,
                                                 items[i].len, &g, &tr);
                        if (trace)
                                fprintf(trace,
                                        "%zu\t%s\t%s\t%s\t%s\t%s\t%.4f\t%.2f\n",
                                        items[i].line, items[i].lang,
                                        items[i].para ? "paragraph"
                                                      : "sentence",
                                        g.code, tr.a, tr.b, tr.ngram_lead,
                                        tr.words);
                        for (size_t j = 0; j < nst; j++)
                                if (!strcmp(st[j].lang, items[i].lang))
                                        s = &st[j];
                        if (!s && nst < MAX_LANGS) {
                                s = &st[nst++];
                                memcpy(s->lang, items[i].lang, 8);
                        }
                        good = !strcmp(g.code, items[i].lang);
                        {
                                int b = (int)(g.confidence * 10);
                                b     = b < 0 ? 0 : b > 9 ? 9 : b;
                                bin_n[b]++;
                                bin_ok[b] += good;
                                bin_conf[b] += g.confidence;
                        }
                        tot[items[i].para]++;
                        ok[items[i].para] += good;
                        bytes += items[i].len;
                        if (s) {
                                s->n[items[i].para]++;
                                s->ok[items[i].para] += good;
                                if (good)
                                        s->conf_ok += g.confidence;
                                else
                                        s->conf_bad += g.confidence,
                                            s->nconf_bad++;
                        }
                        if (getenv("LANGID_EVAL_ERRORS") && !good)
                                printf("ERR %s->%s %s %.3f %s\n", items[i].lang,
                                       g.code,
                                       items[i].para ? "paragraph" : "sentence",
                                       g.confidence, items[i].text);
                }
                if (trace && fclose(trace)) {
                        perror(trace_path);
                        return 2;
                }
                printf("\n| lang | sentences | acc | paragraphs | acc "
                       "|\n|---|---|---|---|---|\n");
                for (size_t j = 0; j < nst; j++)
                        printf(
                            "| %s | %zu | %.3f | %zu | %.3f |\n", st[j].lang,
                            st[j].n[0],
                            st[j].n[0] ? (double)st[j].ok[0] / st[j].n[0] : 0,
                            st[j].n[1],
                            st[j].n[1] ? (double)st[j].ok[1] / st[j].n[1] : 0);
                {
                        double cok = 0, cbad = 0;
                        size_t nbad = 0;
                        for (size_t j = 0; j < nst; j++)
                                cok += st[j].conf_ok, cbad += st[j].conf_bad,
                                    nbad += st[j].nconf_bad;
                        printf("\nmean confidence: right %.3f, wrong %.3f\n",
                               cok / (ok[0] + ok[1] ? ok[0] + ok[1] : 1),
                               nbad ? cbad / nbad : 0);
                }
                {
                        double ece = 0;
                        printf("calibration (confidence bin: items, mean "
                               "confidence, accuracy):");
                        for (int b = 0; b < 10; b++) {
                                if (!bin_n[b])
                                        continue;
                                printf(" [%.1f) %zu %.3f %.3f;", b / 10.0,
                                       bin_n[b], bin_conf[b] / bin_n[b],
                                       (double)bin_ok[b] / bin_n[b]);
                                ece += fabs(bin_conf[b] - bin_ok[b]);
                        }
                        printf("\nexpected calibration error: %.4f\n",
                               ece / (double)n);
                }
                t0 = now();
                for (int r = 0; r < repeat; r++)
                        for (size_t i = 0; i < n; i++) {
                                enr_lang_guess_t g;
                                enr_langid_detect(l, NULL, 0, items[i].text,
                                                  items[i].len, &g);
                        }
                dt = now() - t0;
                printf("sentence accuracy: %.4f (%zu/%zu)\n",
                       tot[0] ? (double)ok[0] / tot[0] : 0, ok[0], tot[0]);
                printf("paragraph accuracy: %.4f (%zu/%zu)\n",
                       tot[1] ? (double)ok[1] / tot[1] : 0, ok[1], tot[1]);
                printf("throughput: %.0f items/s, %.1f MB/s (%zu items x %d)\n",
                       n * repeat / dt, bytes * (double)repeat / dt / 1e6, n,
                       repeat);
                for (size_t i = 0; i < n; i++)
                        free(items[i].text);
        }
        if (news) {
                size_t nn = read_items(news, items, MAX_ITEMS, 1), en = 0;
                for (size_t i = 0; i < nn; i++) {
                        enr_lang_guess_t g;
                        enr_langid_detect(l, items[i].text, items[i].len,
                                          items[i].text + items[i].len + 1,
                                          (size_t)items[i].para, &g);
                        en += !strcmp(g.code, "en");
                }
                t0 = now();
                for (int r = 0; r < repeat; r++)
                        for (size_t i = 0; i < nn; i++) {
                                enr_lang_guess_t g;
                                enr_langid_detect(
                                    l, items[i].text, items[i].len,
                                    items[i].text + items[i].len + 1,
                                    (size_t)items[i].para, &g);
                        }
                dt = now() - t0;
                printf("news: %zu articles, %zu detected as en; %.2f us per "
                       "article (title + body)\n",
                       nn, en, dt / (nn * (double)repeat) * 1e6);
                for (size_t i = 0; i < nn; i++)
                        free(items[i].text);
        }
        enr_langid_destroy(l);
        return 0;
}
