/*
 * Evaluation of near-duplicate detection on a labelled JSONL stream (see
 * dedup_stream.py): every body is analysed with enr_text_analyze(),
 * fingerprinted and passed through the index (enr_dedup_check_add) in
 * input order; two baselines run on the same shingles by linear scan of
 * the window: Charikar/Manku SimHash (unweighted, Hamming <= 3) and
 * Broder MinHash (128 hashes, estimated Jaccard >= 0.5 and >= 0.8).
 *
 * A detection is right when the item is labelled a copy and "of" names an
 * item of the same group (the original, one of its copies, or a BBC body
 * twin). An unlabelled item matched within its group ("twin_of": a stale
 * copy matching a fresher copy of its original, BBC's related pairs) counts
 * neither way (printed after the slash); any other detection is a false
 * positive.
 *
 * Usage:
 *   dedup_eval STREAM.jsonl         figures per kind and overall
 *   dedup_eval --bbc BBC.jsonl      exact duplicate bodies found in BBC
 *                                   (ts: one second apart), and the near
 *                                   pairs reported (--list prints them)
 *   dedup_eval --memory N           N synthetic entries with 20-byte ids:
 *                                   enr_dedup_memory(), peak RSS, µs/op
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "enricher/dedup.h"
#include "enricher/fingerprint.h"
#include "enricher/text.h"

#define MH_K 128
/* Fingerprints computed per article for timing (the CPU clock is coarse). */
#define FP_REPEAT  5
#define MAX_SH     200000
#define NMETHODS   4
#define MAX_KINDS  32
#define WINDOW_MS  ENR_DEDUP_WINDOW_MS
#define SIM_BITS   3
#define MH_THRESH1 0.5
#define MH_THRESH2 0.8

static const char *method_names[NMETHODS] = {"ours", "simhash<=3",
                                             "minhash>=0.5", "minhash>=0.8"};

typedef struct item {
        char             *id, *copy_of, *twin_of, *kind, *body;
        int64_t           ts;
        int               group; /* index of the group's root item */
        uint64_t          plain_sim;
        uint32_t          mh[MH_K];
        int               nsh;
        uint64_t          raw_hash; /* of the raw body bytes */
        enr_fingerprint_t fp;
} item_t;

/* CPU time of this thread (other processes on the machine don't count). */
static double now_us(void) {
        struct timespec t;

        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
        return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static char *dup_str(const char *s) {
        size_t n = strlen(s);
        char  *p = malloc(n + 1);

        if (!p) {
                perror("malloc");
                exit(1);
        }
        memcpy(p, s, n + 1);
        return p;
}

static uint64_t fnv(const char *s) {
        uint64_t h = 0xcbf29ce484222325ULL;

        for (; *s; s++) {
                h ^= (unsigned char)*s;
                h *= 0x100000001b3ULL;
        }
        return h;
}

static uint64_t splitmix(uint64_t *x) {
        uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
}

static long peak_rss_kb(void) {
        struct rusage ru;

        getrusage(RUSAGE_SELF, &ru);
        return ru.ru_maxrss;
}

/* Reads a JSONL file into items; ts defaults to the line number in s. */
static item_t *load(const char *path, size_t *n_out) {
        FILE   *f    = fopen(path, "r");
        char   *line = NULL;
        size_t  cap = 0, n = 0, ncap = 0;
        ssize_t len;
        item_t *items = NULL;

        if (!f) {
                perror(path);
                exit(1);
        }
        while ((len = getline(&line, &cap, f)) > 0) {
                json_error_t err;
                json_t      *o = json_loadb(line, (size_t)len, 0, &err);
                json_t      *v;
                item_t      *it;

                if (!o || !json_is_object(o)) {
                        fprintf(stderr, "%s:%zu: %s\n", path, n + 1, err.text);
                        exit(1);
                }
                if (n == ncap) {
                        ncap  = ncap ? 2 * ncap : 1024;
                        items = realloc(items, ncap * sizeof(*items));
                        if (!items) {
                                perror("realloc");
                                exit(1);
                        }
                }
                it = &items[n];
                memset(it, 0, sizeof(*it));
                v      = json_object_get(o, "id");
                it->id = dup_str(json_is_string(v) ? json_string_value(v) : "");
                v      = json_object_get(o, "body");
                it->body =
                    dup_str(json_is_string(v) ? json_string_value(v) : "");
                v = json_object_get(o, "copy_of");
                it->copy_of =
                    json_is_string(v) ? dup_str(json_string_value(v)) : NULL;
                v = json_object_get(o, "twin_of");
                it->twin_of =
                    json_is_string(v) ? dup_str(json_string_value(v)) : NULL;
                v        = json_object_get(o, "kind");
                it->kind = dup_str(json_is_string(v) ? json_string_value(v)
                                                     : "unlabelled");
                v        = json_object_get(o, "ts");
                it->ts   = json_is_integer(v) ? (int64_t)json_integer_value(v)
                                              : (int64_t)n * 1000;
                it->raw_hash = fnv(it->body);
                json_decref(o);
                n++;
        }
        free(line);
        fclose(f);
        *n_out = n;
        return items;
}

static int find_id(const item_t *items, size_t n, const char *id) {
        size_t i;

        for (i = 0; i < n; i++)
                if (strcmp(items[i].id, id) == 0)
                        return (int)i;
        return -1;
}

/* Whether item j may be reported as the earlier copy of item i. */
static int earlier(const item_t *a, const item_t *b) {
        if (strcmp(a->id, b->id) == 0)
                return 0;
        if (a->ts > b->ts || a->ts < b->ts - WINDOW_MS)
                return 0;
        return a->ts < b->ts || strcmp(a->id, b->id) < 0;
}

/* The baselines: the best earlier match of item i by linear scan; returns
 * the matched index or -1. */
static int baseline(const item_t *items, size_t i, int method) {
        const item_t *q    = &items[i];
        int           best = -1;
        double        bs   = -1;
        size_t        j;

        if (q->nsh == 0)
                return -1;
        for (j = 0; j < i; j++) {
                const item_t *c = &items[j];
                double        s;

                if (c->nsh == 0 || !earlier(c, q))
                        continue;
                if (method == 1) {
                        int d =
                            __builtin_popcountll(c->plain_sim ^ q->plain_sim);

                        if (d > SIM_BITS)
                                continue;
                        s = 64 - d;
                } else {
                        int k, m = 0;

                        for (k = 0; k < MH_K; k++)
                                m += c->mh[k] == q->mh[k];
                        s = (double)m / MH_K;
                        if (s < (method == 2 ? MH_THRESH1 : MH_THRESH2))
                                continue;
                }
                if (s > bs) {
                        bs   = s;
                        best = (int)j;
                }
        }
        return best;
}

/* Plain SimHash and MinHash of one body's shingles. */
static void baseline_sketches(item_t *it, const uint64_t *sh, size_t n) {
        static uint64_t a[MH_K], b[MH_K];
        static int      init;
        int             v[64] = {0}, k;
        size_t          i;

        if (!init) {
                uint64_t s = 42;

                for (k = 0; k < MH_K; k++) {
                        a[k] = splitmix(&s) | 1;
                        b[k] = splitmix(&s);
                }
                init = 1;
        }
        for (k = 0; k < MH_K; k++)
                it->mh[k] = UINT32_MAX;
        for (i = 0; i < n; i++) {
                for (k = 0; k < 64; k++)
                        v[k] += ((sh[i] >> k) & 1) ? 1 : -1;
                for (k = 0; k < MH_K; k++) {
                        uint32_t h = (uint32_t)((a[k] * sh[i] + b[k]) >> 32);

                        if (h < it->mh[k])
                                it->mh[k] = h;
                }
        }
        it->plain_sim = 0;
        for (k = 0; k < 64; k++)
                if (v[k] > 0)
                        it->plain_sim |= 1ULL << k;
        it->nsh = (int)(n < 1 ? 0 : n);
}

static int memory_mode(size_t n) {
        enr_dedup_t      *d = enr_dedup_new(WINDOW_MS, n);
        enr_fingerprint_t fp;
        enr_dup_t         dup;
        uint64_t          s = 7;
        size_t            i, found = 0;
        long              rss0 = peak_rss_kb();
        double            t0, t1;
        char              id[32];

        if (!d) {
                fprintf(stderr, "dedup_eval: enr_dedup_new failed\n");
                return 1;
        }
        t0 = now_us();
        for (i = 0; i < n; i++) {
                int k;

                memset(&fp, 0, sizeof(fp));
                fp.simhash = splitmix(&s);
                fp.exact   = splitmix(&s);
                fp.nterms  = 200 + (uint32_t)(splitmix(&s) % 600);
                fp.lead    = (uint32_t)splitmix(&s);
                for (k = 0; k < ENR_FP_LEVELS; k++)
                        fp.prefix[k] = (uint8_t)splitmix(&s);
                for (k = 0; k < ENR_FP_K; k++)
                        fp.mins[k] = (uint32_t)(splitmix(&s) >> 40) +
                                     (uint32_t)k * (1u << 24);
                snprintf(id, sizeof(id), "article-%012zu", i);
                /* One second apart: 1M entries span 11.6 days, so the
                   window is made to hold them all. */
                found += (size_t)enr_dedup_check_add(d, &fp, id, strlen(id),
                                                     (int64_t)i, &dup);
        }
        t1 = now_us();
        printf("memory: %zu entries (20-byte ids), enr_dedup_size %zu\n", n,
               enr_dedup_size(d));
        printf("memory: enr_dedup_memory %zu bytes = %.1f MiB = %.1f "
               "bytes/entry\n",
               enr_dedup_memory(d), enr_dedup_memory(d) / 1048576.0,
               (double)enr_dedup_memory(d) / (double)n);
        printf("memory: peak RSS %.1f MiB (%.1f MiB before the index)\n",
               peak_rss_kb() / 1024.0, rss0 / 1024.0);
        printf("memory: check_add %.2f us/op at up to %zu entries; %zu "
               "random matches\n",
               (t1 - t0) / (double)n, n, found);
        enr_dedup_destroy(d);
        return 0;
}

typedef struct kind_stat {
        const char *kind;
        int         n, labelled;
        int         right[NMETHODS], wrong[NMETHODS];
        int         neutral[NMETHODS]; /* unlabelled, matched in group */
} kind_stat_t;

static kind_stat_t *kind_of(kind_stat_t *ks, int *nks, const char *kind) {
        int i;

        for (i = 0; i < *nks; i++)
                if (strcmp(ks[i].kind, kind) == 0)
                        return &ks[i];
        if (*nks == MAX_KINDS) {
                fprintf(stderr, "dedup_eval: too many kinds\n");
                exit(1);
        }
        memset(&ks[*nks], 0, sizeof(ks[0]));
        ks[*nks].kind = kind;
        return &ks[(*nks)++];
}

int main(int argc, char **argv) {
        const char  *path;
        int          bbc = 0, list = 0, nks = 0, m;
        item_t      *items;
        size_t       n, i;
        enr_text_t   t;
        enr_dedup_t *d;
        uint64_t    *sh;
        double       t_an = 0, t_fp = 0, t_cmp = 0;
        kind_stat_t  ks[MAX_KINDS];
        int          tp[NMETHODS] = {0}, fpos[NMETHODS] = {0}, npos = 0;
        int          bbc_truth = 0, bbc_found = 0, bbc_other = 0;
        char         err[256];

        if (argc == 3 && strcmp(argv[1], "--memory") == 0)
                return memory_mode((size_t)strtoull(argv[2], NULL, 10));
        for (i = 1; i < (size_t)argc && argv[i][0] == '-'; i++) {
                if (strcmp(argv[i], "--bbc") == 0)
                        bbc = 1;
                else if (strcmp(argv[i], "--list") == 0)
                        list = 1;
                else {
                        fprintf(stderr, "dedup_eval: unknown option %s\n",
                                argv[i]);
                        return 2;
                }
        }
        if (i + 1 != (size_t)argc) {
                fprintf(stderr, "usage: dedup_eval [--bbc] [--list] FILE."
                                "jsonl | --memory N\n");
                return 2;
        }
        path  = argv[i];
        items = load(path, &n);
        /* Groups: a copy or twin joins the group of the item it names
           (always earlier in the stream). */
        for (i = 0; i < n; i++) {
                const char *ref =
                    items[i].copy_of ? items[i].copy_of : items[i].twin_of;
                int r = ref ? find_id(items, i, ref) : -1;

                items[i].group = r >= 0 ? items[r].group : (int)i;
        }
        d  = enr_dedup_new(WINDOW_MS, 1u << 20);
        sh = malloc(MAX_SH * sizeof(*sh));
        if (!d || !sh)
                return 1;
        enr_text_init(&t);
        for (i = 0; i < n; i++) {
                item_t           *it = &items[i];
                enr_fingerprint_t fp;
                enr_dup_t         dup;
                int               got[NMETHODS], k, labelled;
                double            t0, t1, t2;
                size_t            nsh;
                kind_stat_t      *kst = kind_of(ks, &nks, it->kind);

                t0 = now_us();
                if (enr_text_analyze(&t, it->body, strlen(it->body), 0, err,
                                     sizeof(err)) != ENR_OK) {
                        fprintf(stderr, "%s: %s\n", it->id, err);
                        return 1;
                }
                t1 = now_us();
                for (k = 0; k < FP_REPEAT; k++)
                        enr_fingerprint_compute(&t, &fp);
                it->fp = fp;
                t2     = now_us();
                enr_dedup_check_add(d, &fp, it->id, strlen(it->id), it->ts,
                                    &dup);
                t_an += t1 - t0;
                t_cmp += (t2 - t1) / FP_REPEAT;
                t_fp += now_us() - t2;
                got[0] = -1;
                if (dup.found) {
                        got[0] = find_id(items, i, dup.of);
                        if (got[0] < 0) {
                                fprintf(stderr, "%s: of %s: not earlier\n",
                                        it->id, dup.of);
                                return 1;
                        }
                }
                nsh = enr_fingerprint_shingles(&t, sh, MAX_SH);
                baseline_sketches(it, sh, nsh < MAX_SH ? nsh : MAX_SH);
                for (m = 1; m < NMETHODS; m++)
                        got[m] = baseline(items, i, m);
                labelled = it->copy_of != NULL;
                kst->n++;
                kst->labelled += labelled;
                npos += labelled;
                for (m = 0; m < NMETHODS; m++) {
                        if (got[m] < 0)
                                continue;
                        if (labelled && items[got[m]].group == it->group) {
                                kst->right[m]++;
                                tp[m]++;
                        } else if (items[got[m]].group == it->group) {
                                kst->neutral[m]++;
                        } else {
                                kst->wrong[m]++;
                                fpos[m]++;
                        }
                }
                if (bbc) {
                        int truth = -1;

                        for (k = 0; k < (int)i; k++)
                                if (items[k].raw_hash == it->raw_hash &&
                                    strcmp(items[k].body, it->body) == 0) {
                                        truth = k;
                                        break;
                                }
                        if (truth >= 0) {
                                bbc_truth++;
                                if (got[0] >= 0 && dup.exact &&
                                    strcmp(items[got[0]].body, it->body) == 0)
                                        bbc_found++;
                        } else if (got[0] >= 0) {
                                bbc_other++;
                        }
                        if (list && got[0] >= 0 && truth < 0)
                                printf("near %s of %s sim %.3f\n", it->id,
                                       dup.of, dup.similarity);
                }
                if (list && !bbc && got[0] >= 0 &&
                    items[got[0]].group != it->group)
                        printf("FP %s (%s) of %s (%s) sim %.3f %s\n", it->id,
                               it->kind, dup.of, items[got[0]].kind,
                               dup.similarity, dup.exact ? "exact" : "near");
                if (list && !bbc && labelled && got[0] < 0) {
                        const enr_fingerprint_t *o =
                            &items[find_id(items, i, it->copy_of)].fp;

                        printf("FN %s (%s) of %s: hamming %d, terms %u/%u, "
                               "lead %s\n",
                               it->id, it->kind, it->copy_of,
                               __builtin_popcountll(o->simhash ^ fp.simhash),
                               fp.nterms, o->nterms,
                               o->lead == fp.lead ? "same" : "differs");
                }
        }
        printf("%zu items; index size %zu, memory %zu bytes\n", n,
               enr_dedup_size(d), enr_dedup_memory(d));
        printf("time (CPU): analysis %.1f us/article; fingerprint %.2f "
               "us/article, check_add %.2f us/article\n",
               t_an / (double)n, t_cmp / (double)n, t_fp / (double)n);
        if (bbc) {
                printf("bbc: %d bodies equal an earlier one; %d found exact "
                       "of an identical body; %d other detections\n",
                       bbc_truth, bbc_found, bbc_other);
        }
        printf("%-20s %6s", "kind", "n");
        for (m = 0; m < NMETHODS; m++)
                printf(" %13s", method_names[m]);
        printf("\n");
        for (i = 0; i < (size_t)nks; i++) {
                printf("%-20s %6d", ks[i].kind, ks[i].n);
                for (m = 0; m < NMETHODS; m++) {
                        if (ks[i].labelled)
                                printf(" %6.3f (%4d)",
                                       (double)ks[i].right[m] / ks[i].labelled,
                                       ks[i].wrong[m]);
                        else if (ks[i].neutral[m])
                                printf("  FP %4d/%4d", ks[i].wrong[m],
                                       ks[i].neutral[m]);
                        else
                                printf("      FP %4d", ks[i].wrong[m]);
                }
                printf("\n");
        }
        for (m = 0; m < NMETHODS && npos > 0; m++)
                printf("%-13s precision %.4f recall %.4f (tp %d, fp %d, "
                       "copies %d)\n",
                       method_names[m],
                       tp[m] + fpos[m] ? (double)tp[m] / (tp[m] + fpos[m]) : 1,
                       npos ? (double)tp[m] / npos : 1, tp[m], fpos[m], npos);
        enr_text_clear(&t);
        enr_dedup_destroy(d);
        free(sh);
        for (i = 0; i < n; i++) {
                free(items[i].id);
                free(items[i].body);
                free(items[i].copy_of);
                free(items[i].twin_of);
                free(items[i].kind);
        }
        free(items);
        return 0;
}
