/*
 * Evaluator of the quotation extractor: runs the whole enrichment path
 * (enr_enricher_process) over gold articles ({"id", "text", "quotes":
 * [{"start", "end", "speaker", "speaker_kind", ...}]}, the shared
 * quotes/dev.jsonl) with the text as the body, and scores the records'
 * "quotes" against the gold:
 *  - spans: a predicted quotation matches a gold one (one to one, in text
 *    order) when both ends are within 2 code points; precision, recall, F1;
 *  - speakers: on matched quotations whose gold speaker is named (kind
 *    person or org), the predicted speaker's text must equal the gold
 *    speaker ignoring case, punctuation and titles (Mr, Mrs, Dr, ...),
 *    or, when the gold name does not occur in the article (the annotators
 *    filled in "Bill Clinton" for an article that only says "Clinton"),
 *    be its last word(s); "lenient" accepts the last word(s) always.
 * With --show it prints every article's misses; with --news FILE [--sample
 * N] it instead prints the quotations found in the first N articles of a
 * news file ({"title", "body"}) for checking by hand.
 *
 * Usage: quotes_eval [--resources DIR] [--show] GOLD.jsonl
 *        quotes_eval [--resources DIR] --news FILE [--sample N]
 */
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enricher/config.h"
#include "enricher/enricher.h"

#define TOL 2

/* Lower-cases s into out keeping letters, digits and single spaces, and
 * drops leading titles. */
static void norm(const char *s, char *out, size_t size) {
        static const char *const titles[] = {"mr",  "mrs",  "ms",  "dr",
                                             "rep", "sen",  "gov", "prof",
                                             "sir", "miss", NULL};
        size_t                   n        = 0;
        bool                     space    = true;

        for (; *s && n + 1 < size; s++) {
                unsigned char c = (unsigned char)*s;
                if (isalnum(c) || c >= 0x80) {
                        out[n++] = (char)tolower(c);
                        space    = false;
                } else if (!space && (c == ' ' || c == '-')) {
                        out[n++] = ' ';
                        space    = true;
                }
        }
        while (n && out[n - 1] == ' ')
                n--;
        out[n] = 0;
        for (int again = 1; again;) {
                again = 0;
                for (int k = 0; titles[k]; k++) {
                        size_t l = strlen(titles[k]);
                        if (!strncmp(out, titles[k], l) && out[l] == ' ') {
                                memmove(out, out + l + 1,
                                        strlen(out + l + 1) + 1);
                                again = 1;
                        }
                }
        }
}

/* Whether b is a, or a's last words ("Gurtner" of "Thomas Gurtner"). */
static bool suffix_of(const char *a, const char *b) {
        size_t la = strlen(a), lb = strlen(b);

        return lb && lb <= la && !strcmp(a + la - lb, b) &&
               (la == lb || a[la - lb - 1] == ' ');
}

static enr_enricher_t *make(const char *res) {
        enr_config_t    cfg;
        char            err[512];
        enr_enricher_t *e;

        if (enr_config_init(&cfg))
                exit(2);
        if (res) {
                free(cfg.resources);
                cfg.resources = strdup(res);
        }
        e = enr_enricher_new(&cfg, err, sizeof(err));
        enr_config_clear(&cfg);
        if (!e) {
                fprintf(stderr, "quotes_eval: %s\n", err);
                exit(2);
        }
        return e;
}

/* Runs one article; returns its record, parsed (caller decrefs). */
static json_t *run(const enr_enricher_t *e, enr_scratch_t *s, const char *id,
                   const char *title, const char *body) {
        json_t      *in = json_pack("{s:s, s:s, s:s}", "id", id, "title", title,
                                    "body", body);
        char        *buf = json_dumps(in, JSON_COMPACT);
        enr_result_t res;
        json_t      *rec = NULL;

        if (enr_enricher_process(e, s, buf, strlen(buf), NULL, &res) == ENR_OK)
                rec = json_loadb(res.record, res.record_len, 0, NULL);
        else
                fprintf(stderr, "%s: %s\n", id, res.errstr);
        free(buf);
        json_decref(in);
        return rec;
}

static int news(const enr_enricher_t *e, enr_scratch_t *s, const char *path,
                int sample) {
        FILE  *f    = fopen(path, "r");
        char  *line = NULL;
        size_t cap  = 0;
        int    n    = 0;

        if (!f) {
                perror(path);
                return 2;
        }
        while (n < sample && getline(&line, &cap, f) > 0) {
                json_t     *o = json_loads(line, 0, NULL), *rec, *qs, *qq;
                const char *title, *body;
                size_t      i;
                if (!o)
                        continue;
                title = json_string_value(json_object_get(o, "title"));
                body  = json_string_value(json_object_get(o, "body"));
                if (!body)
                        goto next;
                n++;
                printf("=== article %d: %s\n", n, title ? title : "");
                rec = run(e, s, "news", title ? title : "", body);
                qs  = rec ? json_object_get(rec, "quotes") : NULL;
                json_array_foreach(qs, i, qq) {
                        json_t *sp = json_object_get(qq, "speaker");
                        printf(
                            "  [%s %lld-%lld] %s\n      -> %s (%s) verb=%s\n",
                            json_string_value(json_object_get(qq, "field")),
                            json_integer_value(json_object_get(qq, "start")),
                            json_integer_value(json_object_get(qq, "end")),
                            json_string_value(json_object_get(qq, "text")),
                            json_string_value(json_object_get(sp, "text")),
                            json_string_value(json_object_get(sp, "kind")),
                            json_string_value(json_object_get(qq, "verb")));
                }
                json_decref(rec);
        next:
                json_decref(o);
        }
        free(line);
        fclose(f);
        return 0;
}

int main(int argc, char **argv) {
        const char *res = NULL, *gold = NULL, *newsf = NULL;
        int         show = 0, sample = 10, i;
        long npred = 0, ngold = 0, match = 0, named = 0, right = 0, lenient = 0;
        FILE           *f;
        char           *line = NULL;
        size_t          cap  = 0;
        enr_enricher_t *e;
        enr_scratch_t  *s;

        for (i = 1; i < argc; i++) {
                if (!strcmp(argv[i], "--resources") && i + 1 < argc)
                        res = argv[++i];
                else if (!strcmp(argv[i], "--show"))
                        show = 1;
                else if (!strcmp(argv[i], "--news") && i + 1 < argc)
                        newsf = argv[++i];
                else if (!strcmp(argv[i], "--sample") && i + 1 < argc)
                        sample = atoi(argv[++i]);
                else
                        gold = argv[i];
        }
        e = make(res);
        s = enr_scratch_new(e);
        if (!s)
                return 2;
        if (newsf) {
                i = news(e, s, newsf, sample);
                goto out;
        }
        if (!gold || !(f = fopen(gold, "r"))) {
                fprintf(stderr, "usage: quotes_eval [--show] GOLD.jsonl\n");
                return 2;
        }
        while (getline(&line, &cap, f) > 0) {
                json_t     *o = json_loads(line, 0, NULL), *rec, *gq, *pq;
                const char *id, *text;
                size_t      ng, np, gi, pi;
                char       *used;
                if (!o)
                        continue;
                id   = json_string_value(json_object_get(o, "id"));
                text = json_string_value(json_object_get(o, "text"));
                gq   = json_object_get(o, "quotes");
                rec  = run(e, s, id ? id : "", "", text ? text : "");
                pq   = rec ? json_object_get(rec, "quotes") : NULL;
                ng   = json_array_size(gq);
                np   = json_array_size(pq);
                used = calloc(np + 1, 1);
                ngold += (long)ng;
                npred += (long)np;
                for (gi = 0; gi < ng; gi++) {
                        json_t *g = json_array_get(gq, gi);
                        long    gs =
                            json_integer_value(json_object_get(g, "start"));
                        long ge = json_integer_value(json_object_get(g, "end"));
                        const char *gk = json_string_value(
                            json_object_get(g, "speaker_kind"));
                        const char *gsp =
                            json_string_value(json_object_get(g, "speaker"));
                        bool hit = false;
                        for (pi = 0; pi < np && !hit; pi++) {
                                json_t     *p = json_array_get(pq, pi), *sp;
                                long        ps, pe;
                                const char *pt;
                                char        a[256], b[256];
                                if (used[pi])
                                        continue;
                                ps = json_integer_value(
                                    json_object_get(p, "start"));
                                pe = json_integer_value(
                                    json_object_get(p, "end"));
                                if (labs(ps - gs) > TOL || labs(pe - ge) > TOL)
                                        continue;
                                used[pi] = 1;
                                hit      = true;
                                match++;
                                if (!gk || !gsp ||
                                    (strcmp(gk, "person") && strcmp(gk, "org")))
                                        continue;
                                named++;
                                sp = json_object_get(p, "speaker");
                                pt = json_string_value(
                                    json_object_get(sp, "text"));
                                norm(gsp, a, sizeof(a));
                                norm(pt ? pt : "", b, sizeof(b));
                                if (!strcmp(a, b))
                                        right++, lenient++;
                                else if (suffix_of(a, b)) {
                                        lenient++;
                                        right += !strstr(text, gsp);
                                }
                                if (show && strcmp(a, b))
                                        printf("%s speaker %ld-%ld: gold "
                                               "\"%s\" got "
                                               "\"%s\"\n",
                                               id, gs, ge, gsp, pt ? pt : "");
                        }
                        if (!hit && show)
                                printf("%s missed %ld-%ld: %.70s\n", id, gs, ge,
                                       json_string_value(
                                           json_object_get(g, "quote")));
                }
                for (pi = 0; pi < np && show; pi++)
                        if (!used[pi]) {
                                json_t *p = json_array_get(pq, pi);
                                printf("%s extra %lld-%lld: %.70s\n", id,
                                       json_integer_value(
                                           json_object_get(p, "start")),
                                       json_integer_value(
                                           json_object_get(p, "end")),
                                       json_string_value(
                                           json_object_get(p, "text")));
                        }
                free(used);
                json_decref(rec);
                json_decref(o);
        }
        free(line);
        fclose(f);
        {
                double p  = npred ? (double)match / npred : 0;
                double r  = ngold ? (double)match / ngold : 0;
                double f1 = p + r > 0 ? 2 * p * r / (p + r) : 0;
                printf("quotes: gold %ld predicted %ld matched %ld\n", ngold,
                       npred, match);
                printf("span precision: %.4f\nspan recall: %.4f\nspan F1: "
                       "%.4f\n",
                       p, r, f1);
                printf("speaker accuracy: %.4f (%ld/%ld matched named)\n",
                       named ? (double)right / named : 0, right, named);
                printf("speaker accuracy lenient: %.4f\n",
                       named ? (double)lenient / named : 0);
        }
        i = 0;
out:
        enr_scratch_destroy(s);
        enr_enricher_destroy(e);
        return i;
}
