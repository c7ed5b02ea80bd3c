/*
 * Training of the name tagger: an averaged perceptron over BILOU tags.
 *
 * Every document of the training corpus is rebuilt as text, analysed by
 * the tokenizer and goes once through the feature function the tagger
 * runs; the bucket indices of all features are kept, so an epoch is only
 * decoding and weight updates. Sentences are visited in an order
 * shuffled by a seeded generator, which makes training deterministic.
 * After each epoch the averaged weights are quantised exactly as the
 * model file stores them and scored on the development corpus; the best
 * epoch is kept.
 *
 * Two-pass (stacked) models train the first pass with k-fold jackknifing:
 * the first-pass tags the second pass learns from are predicted for each
 * fold by a model that never saw it, as they will be on new text.
 *
 * With a case corpus (JSON lines of unlabelled articles), each word's
 * share of capitalised occurrences inside sentences is counted first and
 * stored in the model as a table of classes. A word-cluster table (words
 * and their clusters from word vectors, resources/model/clusters.tsv) is
 * likewise read and stored in the model.
 */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tagger_int.h"

/* Limit on the tokens of a training corpus. */
#define MAX_TRAIN_TOKENS 50000000u

/* The training corpus as feature indices and gold tags. */
typedef struct corpus {
        uint32_t *feat; /* All feature indices, token after token. */
        size_t    nfeat;
        size_t    feat_cap;
        uint32_t *fo;   /* Token i's features: feat[fo[i]..fo[i+1]). */
        uint8_t  *gold; /* Gold BILOU tag of each token. */
        size_t    ntoks;
        uint32_t *sa, *sb; /* Sentence token ranges. */
        uint32_t *sdoc;    /* The document of each sentence. */
        size_t    nsents;
        size_t    tok_cap, sent_cap;
        size_t    maxsent; /* Longest sentence. */
} corpus_t;

/* The perceptron's weights and their running sums for averaging. */
typedef struct perc {
        float  *w;  /* Current weights, buckets x tags. */
        double *wa; /* Sum of update time x update. */
        float   tw[(ENR__TG_NTAGS + 1) * ENR__TG_NTAGS];
        double  ta[(ENR__TG_NTAGS + 1) * ENR__TG_NTAGS];
        double  cnt; /* Sentences seen, plus one. */
        size_t  nw;
} perc_t;

void enr_tagger_train_opts_init(enr_tagger_train_opts_t *o) {
        memset(o, 0, sizeof(*o));
        o->epochs       = 20;
        o->seed         = 1;
        o->buckets_log2 = 20;
        o->min_count    = 1;
        o->features     = ENR_TAGGER_FS_BASE | ENR_TAGGER_FS_DOC |
                      ENR_TAGGER_FS_GAZ | ENR_TAGGER_FS_STACK |
                      ENR_TAGGER_FS_CASE | ENR_TAGGER_FS_CLUSTER |
                      ENR_TAGGER_FS_RUNS | ENR_TAGGER_FS_LEAN;
        o->stack_epochs = 8;
        o->stack_folds  = 5;
        o->case_corpus  = NULL;
        o->progress     = NULL;
}

static void corpus_clear(corpus_t *c) {
        free(c->feat);
        free(c->fo);
        free(c->gold);
        free(c->sa);
        free(c->sb);
        free(c->sdoc);
        memset(c, 0, sizeof(*c));
}

/* Makes room for n more tokens and m more sentences in c. */
static enr_err_t corpus_grow(corpus_t *c, size_t n, size_t m) {
        if (c->ntoks + n + 1 > c->tok_cap) {
                size_t cap = c->tok_cap ? c->tok_cap : 4096;
                while (cap < c->ntoks + n + 1)
                        cap *= 2;
                uint32_t *fo = realloc(c->fo, cap * sizeof(*fo));
                if (fo)
                        c->fo = fo;
                uint8_t *gold = realloc(c->gold, cap);
                if (gold)
                        c->gold = gold;
                if (!fo || !gold)
                        return ENR_ERR_NOMEM;
                c->tok_cap = cap;
        }
        if (c->nsents + m > c->sent_cap) {
                size_t cap = c->sent_cap ? c->sent_cap : 1024;
                while (cap < c->nsents + m)
                        cap *= 2;
                uint32_t *sa = realloc(c->sa, cap * sizeof(*sa));
                if (sa)
                        c->sa = sa;
                uint32_t *sb = realloc(c->sb, cap * sizeof(*sb));
                if (sb)
                        c->sb = sb;
                uint32_t *sd = realloc(c->sdoc, cap * sizeof(*sd));
                if (sd)
                        c->sdoc = sd;
                if (!sa || !sb || !sd)
                        return ENR_ERR_NOMEM;
                c->sent_cap = cap;
        }
        return ENR_OK;
}

/*
 * Computes the features of every token of cc for one pass. For the second
 * pass, p1 holds the first-pass tag of every token of the corpus.
 */
static enr_err_t corpus_build(corpus_t *c, const enr_conll_t *cc,
                              enr_tagger_scratch_t *s, const enr_tagger_t *tg,
                              unsigned pass, const uint8_t *p1) {
        const enr_gazetteer_t *g    = tg->g;
        uint32_t               fs   = tg->fs;
        uint32_t               seed = tg->seed, log2 = tg->log2;
        enr_err_t              err;

        memset(c, 0, sizeof(*c));
        for (size_t d = 0; d < cc->ndocs; d++) {
                const enr_conll_doc_t *doc = &cc->docs[d];
                const enr_text_t      *t   = &s->syn;
                size_t                 t0  = c->ntoks;
                if (doc->ntoks == 0)
                        continue;
                if ((err = enr__tagger_conll_text(s, doc)) ||
                    (err = enr__tagger_prepare(s, t, g, fs, tg)))
                        return err;
                if (t->ntoks == 0)
                        continue;
                if (c->ntoks + t->ntoks > MAX_TRAIN_TOKENS)
                        return ENR_ERR_LIMIT;
                if ((err = corpus_grow(c, t->ntoks, s->nseg)))
                        return err;
                if (pass > 0) {
                        memcpy(s->tags, p1 + t0, t->ntoks);
                        enr__tagger_aggregate(s, t->ntoks);
                }
                enr__tagger_gold(s, doc, c->gold + t0);
                for (size_t i = 0; i < t->ntoks; i++) {
                        if (c->nfeat + ENR__TG_MAXF > c->feat_cap) {
                                size_t cap =
                                    c->feat_cap ? c->feat_cap * 2 : 1u << 20;
                                uint32_t *f =
                                    realloc(c->feat, cap * sizeof(*f));
                                if (!f)
                                        return ENR_ERR_NOMEM;
                                c->feat     = f;
                                c->feat_cap = cap;
                        }
                        c->fo[t0 + i] = (uint32_t)c->nfeat;
                        c->nfeat += enr__tagger_features(
                            s, t, i, fs, pass, seed, log2, c->feat + c->nfeat);
                }
                for (size_t k = 0; k < s->nseg; k++) {
                        size_t a = s->seg[k].tok_start;
                        size_t b = s->seg[k].tok_end;
                        if (a >= b)
                                continue;
                        c->sa[c->nsents]   = (uint32_t)(t0 + a);
                        c->sb[c->nsents]   = (uint32_t)(t0 + b);
                        c->sdoc[c->nsents] = (uint32_t)d;
                        if (b - a > c->maxsent)
                                c->maxsent = b - a;
                        c->nsents++;
                }
                c->ntoks += t->ntoks;
        }
        if ((err = corpus_grow(c, 0, 0)))
                return err;
        c->fo[c->ntoks] = (uint32_t)c->nfeat;
        return ENR_OK;
}

/* xorshift64*: a small deterministic generator for shuffling. */
static uint64_t rng_next(uint64_t *x) {
        *x ^= *x >> 12;
        *x ^= *x << 25;
        *x ^= *x >> 27;
        return *x * 0x2545f4914f6cdd1dULL;
}

static void shuffle(uint32_t *v, size_t n, uint64_t *rng) {
        for (size_t i = n; i-- > 1;) {
                size_t   j   = (size_t)(rng_next(rng) % (i + 1));
                uint32_t tmp = v[i];
                v[i]         = v[j];
                v[j]         = tmp;
        }
}

static void perc_reset(perc_t *p) {
        memset(p->w, 0, p->nw * sizeof(*p->w));
        memset(p->wa, 0, p->nw * sizeof(*p->wa));
        memset(p->tw, 0, sizeof(p->tw));
        memset(p->ta, 0, sizeof(p->ta));
        p->cnt = 1;
}

/* Sums the weights w (buckets x tags) of token i's features into s->em. */
static void emit(const corpus_t *c, const float *w, size_t i, float *e) {
        const unsigned NT = ENR__TG_NTAGS;
        memset(e, 0, NT * sizeof(*e));
        for (size_t j = c->fo[i]; j < c->fo[i + 1]; j++) {
                const float *wr = w + (size_t)c->feat[j] * NT;
                for (unsigned t = 0; t < NT; t++)
                        e[t] += wr[t];
        }
}

/* One perceptron pass over the sentences order[0..n); returns errors. */
static size_t perc_epoch(perc_t *p, const corpus_t *c, const uint32_t *order,
                         size_t n, enr_tagger_scratch_t *s,
                         const uint32_t *count, unsigned min_count) {
        const unsigned NT     = ENR__TG_NTAGS;
        size_t         errors = 0;

        for (size_t k = 0; k < n; k++) {
                size_t         a = c->sa[order[k]], b = c->sb[order[k]];
                const uint8_t *gold  = c->gold + a;
                bool           wrong = false;
                for (size_t i = a; i < b; i++)
                        emit(c, p->w, i, &s->em[(i - a) * NT]);
                enr__tagger_viterbi(s, p->tw, 0, b - a);
                for (size_t i = 0; i < b - a; i++)
                        if (s->tags[i] != gold[i])
                                wrong = true;
                if (wrong) {
                        errors++;
                        for (size_t i = 0; i < b - a; i++) {
                                unsigned gt = gold[i], pt = s->tags[i];
                                unsigned gp = i ? gold[i - 1] : NT;
                                unsigned pp = i ? s->tags[i - 1] : NT;
                                if (gt != pt) {
                                        for (size_t j = c->fo[a + i];
                                             j < c->fo[a + i + 1]; j++) {
                                                size_t f = c->feat[j];
                                                if (count[f] < min_count)
                                                        continue;
                                                p->w[f * NT + gt] += 1;
                                                p->wa[f * NT + gt] += p->cnt;
                                                p->w[f * NT + pt] -= 1;
                                                p->wa[f * NT + pt] -= p->cnt;
                                        }
                                }
                                if (gt != pt || gp != pp) {
                                        p->tw[gp * NT + gt] += 1;
                                        p->ta[gp * NT + gt] += p->cnt;
                                        p->tw[pp * NT + pt] -= 1;
                                        p->ta[pp * NT + pt] -= p->cnt;
                                }
                        }
                }
                p->cnt++;
        }
        return errors;
}

/* Quantises the averaged weights of p into out. */
static void quantise(enr__tg_weights_t *out, const perc_t *p) {
        const size_t NTR    = (ENR__TG_NTAGS + 1) * ENR__TG_NTAGS;
        double       maxabs = 1e-9;

        for (size_t i = 0; i < p->nw; i++) {
                double v = p->w[i] - p->wa[i] / p->cnt;
                if (fabs(v) > maxabs)
                        maxabs = fabs(v);
        }
        for (size_t i = 0; i < NTR; i++) {
                double v = p->tw[i] - p->ta[i] / p->cnt;
                if (fabs(v) > maxabs)
                        maxabs = fabs(v);
        }
        out->scale = (float)(32000.0 / maxabs);
        for (size_t i = 0; i < p->nw; i++)
                out->w[i] =
                    (int16_t)lrint((p->w[i] - p->wa[i] / p->cnt) * out->scale);
        for (size_t i = 0; i < NTR; i++)
                out->trans[i] =
                    (int16_t)lrint((p->tw[i] - p->ta[i] / p->cnt) * out->scale);
}

/*
 * Decodes the sentences order[0..n) with the averaged weights of p,
 * writing their tags into p1 (indexed like the corpus's tokens).
 */
static void predict(const perc_t *p, float *avg, const corpus_t *c,
                    const uint32_t *order, size_t n, enr_tagger_scratch_t *s,
                    uint8_t *p1) {
        const unsigned NT = ENR__TG_NTAGS;
        float          trans[(ENR__TG_NTAGS + 1) * ENR__TG_NTAGS];

        for (size_t i = 0; i < p->nw; i++)
                avg[i] = (float)(p->w[i] - p->wa[i] / p->cnt);
        for (size_t i = 0; i < (NT + 1) * NT; i++)
                trans[i] = (float)(p->tw[i] - p->ta[i] / p->cnt);
        for (size_t k = 0; k < n; k++) {
                size_t a = c->sa[order[k]], b = c->sb[order[k]];
                for (size_t i = a; i < b; i++)
                        emit(c, avg, i, &s->em[(i - a) * NT]);
                enr__tagger_viterbi(s, trans, 0, b - a);
                memcpy(p1 + a, s->tags, b - a);
        }
}

/* One word of the case-profile count. */
typedef struct case_count {
        uint64_t key;   /* Lower-case hash; 0: empty slot. */
        uint32_t total; /* Occurrences inside a sentence. */
        uint32_t upper; /* Of which capitalised. */
} case_count_t;

static int cmp_case(const void *a, const void *b) {
        uint64_t x = ((const case_count_t *)a)->key;
        uint64_t y = ((const case_count_t *)b)->key;
        return x < y ? -1 : x > y;
}

/* Counts the words of one text into the table (grown as needed). */
static enr_err_t case_count_text(case_count_t **tab, size_t *cap, size_t *n,
                                 enr_tagger_scratch_t *s, enr_text_t *t,
                                 const char *text, size_t len) {
        enr_err_t err;

        if (enr_text_analyze(t, text, len, ENR_TAGGER_MAX_TOKENS, NULL, 0) !=
            ENR_OK)
                return ENR_OK; /* Skipped: not UTF-8 or too long. */
        if ((err = enr__tagger_prepare(s, t, NULL, ENR_TAGGER_FS_BASE, NULL)))
                return err;
        for (size_t i = 0; i < t->ntoks; i++) {
                const enr__tg_tok_t *k = &s->tok[i];
                if (!(k->cap & ENR__TK_LETTER) ||
                    (k->cap & (ENR__TK_SENT_START | ENR__TK_HEADLINE)))
                        continue;
                if (2 * (*n + 1) > *cap) {
                        size_t        ncap = *cap ? *cap * 2 : 1 << 16;
                        case_count_t *nt   = calloc(ncap, sizeof(*nt));
                        if (!nt)
                                return ENR_ERR_NOMEM;
                        for (size_t j = 0; j < *cap; j++) {
                                if (!(*tab)[j].key)
                                        continue;
                                size_t h = (size_t)(*tab)[j].key & (ncap - 1);
                                while (nt[h].key)
                                        h = (h + 1) & (ncap - 1);
                                nt[h] = (*tab)[j];
                        }
                        free(*tab);
                        *tab = nt;
                        *cap = ncap;
                }
                uint64_t key = k->lh ? k->lh : 1;
                size_t   h   = (size_t)key & (*cap - 1);
                while ((*tab)[h].key && (*tab)[h].key != key)
                        h = (h + 1) & (*cap - 1);
                if (!(*tab)[h].key) {
                        (*tab)[h].key = key;
                        (*n)++;
                }
                if ((*tab)[h].total < UINT32_MAX)
                        (*tab)[h].total++;
                if ((k->cap & (ENR__TK_INIT_UPPER | ENR__TK_ALL_UPPER)) &&
                    (*tab)[h].upper < UINT32_MAX)
                        (*tab)[h].upper++;
        }
        return ENR_OK;
}

/*
 * Builds tg's case profiles from a JSON-lines corpus ("title" and "body"
 * strings): for every word seen at least 3 times inside sentences, the
 * share of capitalised occurrences, in 7 classes.
 */
static enr_err_t case_build(enr_tagger_t *tg, enr_tagger_scratch_t *s,
                            const char *path, FILE *progress, char *errstr,
                            size_t errstr_size) {
        static const char *const fields[] = {"title", "body"};
        FILE                    *fp       = NULL;
        char                    *line     = NULL;
        size_t                   line_cap = 0, cap = 0, n = 0, docs = 0;
        ssize_t                  len;
        case_count_t            *tab  = NULL;
        uint64_t                *keys = NULL;
        uint8_t                 *cls  = NULL;
        enr_text_t               t;
        enr_err_t                err = ENR_ERR_IO;

        enr_text_init(&t);
        if (!path) {
                enr_set_errstr(errstr, errstr_size,
                               "case profiles need a corpus (case_corpus)");
                err = ENR_ERR_INVALID_ARG;
                goto out;
        }
        if (!(fp = fopen(path, "r"))) {
                enr_set_errstr(errstr, errstr_size, "%s: %s", path,
                               strerror(errno));
                goto out;
        }
        while ((len = getline(&line, &line_cap, fp)) >= 0) {
                json_error_t jerr;
                json_t      *doc = json_loadb(line, (size_t)len, 0, &jerr);
                if (!doc)
                        continue;
                for (size_t f = 0; f < 2; f++) {
                        json_t *v = json_object_get(doc, fields[f]);
                        if (!json_is_string(v))
                                continue;
                        err = case_count_text(&tab, &cap, &n, s, &t,
                                              json_string_value(v),
                                              json_string_length(v));
                        if (err) {
                                json_decref(doc);
                                enr_set_errstr(errstr, errstr_size,
                                               "case profiles: %s",
                                               enr_err_str(err));
                                goto out;
                        }
                }
                json_decref(doc);
                docs++;
                if (n > ENR__TG_MAX_CASE) {
                        err = ENR_ERR_LIMIT;
                        enr_set_errstr(errstr, errstr_size,
                                       "case profiles: over %u words",
                                       ENR__TG_MAX_CASE);
                        goto out;
                }
        }
        /* Keep the words seen often enough, sorted by key. */
        size_t m = 0;
        for (size_t j = 0; j < cap; j++)
                if (tab[j].key && tab[j].total >= 3)
                        tab[m++] = tab[j];
        qsort(tab, m, sizeof(*tab), cmp_case);
        keys = malloc((m + 1) * sizeof(*keys));
        cls  = malloc(m + 1);
        if (!keys || !cls) {
                err = ENR_ERR_NOMEM;
                enr_set_errstr(errstr, errstr_size, "out of memory");
                goto out;
        }
        for (size_t j = 0; j < m; j++) {
                static const double bounds[] = {0.02, 0.1, 0.3, 0.7, 0.9, 0.98};
                double              r = (double)tab[j].upper / tab[j].total;
                uint8_t             c = 1;
                while (c < 7 && r >= bounds[c - 1])
                        c++;
                keys[j] = tab[j].key;
                cls[j]  = c;
        }
        if ((err = enr__tagger_set_case(tg, keys, cls, (uint32_t)m))) {
                enr_set_errstr(errstr, errstr_size, "out of memory");
                goto out;
        }
        if (progress)
                fprintf(progress,
                        "case profiles: %zu documents, %zu words, %zu kept\n",
                        docs, n, m);
        err = ENR_OK;
out:
        if (fp)
                fclose(fp);
        free(line);
        free(tab);
        free(keys);
        free(cls);
        enr_text_clear(&t);
        return err;
}

/* One word of the cluster table. */
typedef struct cl_word {
        uint64_t key;
        uint32_t line; /* Order in the file. */
        uint16_t row;
} cl_word_t;

static int cmp_cl(const void *a, const void *b) {
        const cl_word_t *x = a, *y = b;
        if (x->key != y->key)
                return x->key < y->key ? -1 : 1;
        return x->line < y->line ? -1 : x->line > y->line;
}

/*
 * Reads a word-cluster table into tg: '#' comment lines, "levels 3 rows
 * N", N lines of the clusters of each row at the three levels, then
 * "word<TAB>row" lines. Words are keyed as tokens are (lower-cased form);
 * of two words with one key the first is kept.
 */
static enr_err_t clusters_read(enr_tagger_t *tg, const char *path,
                               FILE *progress, char *errstr,
                               size_t errstr_size) {
        FILE      *fp       = NULL;
        char      *line     = NULL;
        size_t     line_cap = 0, n = 0, cap = 0, r = 0, lineno = 0;
        ssize_t    len;
        unsigned   levels = 0, nrows = 0;
        uint16_t  *tree  = NULL;
        cl_word_t *words = NULL;
        uint64_t  *keys  = NULL;
        uint16_t  *rows  = NULL;
        enr_err_t  err   = ENR_ERR_PARSE;

        if (!(fp = fopen(path, "r"))) {
                enr_set_errstr(errstr, errstr_size, "%s: %s", path,
                               strerror(errno));
                err = ENR_ERR_IO;
                goto out;
        }
        while ((len = getline(&line, &line_cap, fp)) >= 0) {
                lineno++;
                while (len > 0 &&
                       (line[len - 1] == '\n' || line[len - 1] == '\r'))
                        line[--len] = '\0';
                if (len == 0 || line[0] == '#')
                        continue;
                if (!tree) {
                        if (sscanf(line, "levels %u rows %u", &levels,
                                   &nrows) != 2 ||
                            levels != ENR__TG_CL_LEVELS || nrows == 0 ||
                            nrows > ENR__TG_MAX_CLROWS)
                                goto bad;
                        if (!(tree = malloc((size_t)nrows * levels *
                                            sizeof(*tree))))
                                goto nomem;
                        continue;
                }
                if (r < nrows) {
                        unsigned c[ENR__TG_CL_LEVELS];
                        if (sscanf(line, "%u %u %u", &c[0], &c[1], &c[2]) != 3)
                                goto bad;
                        for (unsigned l = 0; l < levels; l++) {
                                if (c[l] >= ENR__TG_MAX_CLROWS)
                                        goto bad;
                                tree[r * levels + l] = (uint16_t)c[l];
                        }
                        r++;
                        continue;
                }
                char         *tab = strchr(line, '\t'), *end;
                unsigned long row;
                if (!tab || tab == line)
                        goto bad;
                row = strtoul(tab + 1, &end, 10);
                if (*end || end == tab + 1 || row >= nrows)
                        goto bad;
                if (n == cap) {
                        size_t     ncap = cap ? 2 * cap : 1 << 16;
                        cl_word_t *nw   = realloc(words, ncap * sizeof(*nw));
                        if (!nw)
                                goto nomem;
                        words = nw;
                        cap   = ncap;
                }
                if (n >= ENR__TG_MAX_CLWORDS) {
                        enr_set_errstr(errstr, errstr_size, "%s: over %u words",
                                       path, ENR__TG_MAX_CLWORDS);
                        err = ENR_ERR_LIMIT;
                        goto out;
                }
                words[n].key = enr__tagger_word_key(line, (size_t)(tab - line));
                words[n].row = (uint16_t)row;
                words[n].line = (uint32_t)n;
                n++;
        }
        if (!tree || r < nrows) {
                enr_set_errstr(errstr, errstr_size,
                               "%s: truncated (%zu of %u rows)", path, r,
                               nrows);
                goto out;
        }
        /* Sorted by key, then line: the first of equal keys is kept. */
        qsort(words, n, sizeof(*words), cmp_cl);
        if (!(keys = malloc((n + 1) * sizeof(*keys))) ||
            !(rows = malloc((n + 1) * sizeof(*rows))))
                goto nomem;
        size_t m = 0;
        for (size_t i = 0; i < n; i++) {
                if (m > 0 && keys[m - 1] == words[i].key)
                        continue;
                keys[m]   = words[i].key;
                rows[m++] = words[i].row;
        }
        if ((err = enr__tagger_set_clusters(tg, keys, rows, (uint32_t)m, tree,
                                            nrows)))
                goto nomem;
        if (progress)
                fprintf(progress, "word clusters: %zu words, %u rows\n", m,
                        nrows);
        err = ENR_OK;
        goto out;
bad:
        enr_set_errstr(errstr, errstr_size, "%s:%zu: not a cluster table line",
                       path, lineno);
        err = ENR_ERR_PARSE;
        goto out;
nomem:
        enr_set_errstr(errstr, errstr_size, "out of memory");
        err = ENR_ERR_NOMEM;
out:
        if (fp)
                fclose(fp);
        free(line);
        free(tree);
        free(words);
        free(keys);
        free(rows);
        return err;
}

/* A model whose pass-1 weights are a copy of src's, the rest zero. */
static enr_tagger_t *model_like(const enr_tagger_t *src) {
        enr_tagger_t *tg = enr__tagger_alloc(src->log2, src->npass, true);
        if (!tg)
                return NULL;
        tg->fs          = src->fs;
        tg->seed        = src->seed;
        tg->g           = src->g;
        tg->map_g       = src->map_g;
        tg->gaz_entries = src->gaz_entries;
        if (src->ncase && enr__tagger_set_case(tg, src->case_keys,
                                               src->case_cls, src->ncase)) {
                enr_tagger_destroy(tg);
                return NULL;
        }
        if (src->ncl &&
            enr__tagger_set_clusters(tg, src->cl_keys, src->cl_rows, src->ncl,
                                     src->cl_tree, src->ncl_rows)) {
                enr_tagger_destroy(tg);
                return NULL;
        }
        if (src->npass > 1) {
                for (uint32_t b = 0; b < (1u << src->log2); b++)
                        memcpy(tg->pass[0].w + (size_t)b * ENR__TG_NTAGS,
                               enr__tg_row(&src->pass[0], b),
                               ENR__TG_NTAGS * sizeof(int16_t));
                memcpy(tg->pass[0].trans, src->pass[0].trans,
                       sizeof(tg->pass[0].trans));
                tg->pass[0].scale = src->pass[0].scale;
        }
        return tg;
}

static void count_features(const corpus_t *c, uint32_t *count, size_t nb) {
        memset(count, 0, nb * sizeof(*count));
        for (size_t i = 0; i < c->nfeat; i++)
                if (count[c->feat[i]] < UINT32_MAX)
                        count[c->feat[i]]++;
}

/* The state of one training run, shared by its steps. */
typedef struct train {
        const enr_tagger_train_opts_t *o;
        enr_tagger_scratch_t          *s;
        enr_tagger_t                  *cur; /* The model being trained. */
        enr_tagger_t *keep; /* The best so far (or the result). */
        corpus_t      c;
        perc_t        p;
        uint32_t     *count; /* Occurrences of each bucket. */
        uint32_t     *order; /* Sentence order of an epoch. */
        uint32_t     *fold;  /* Sentences of the held-out fold. */
        uint8_t      *p1;    /* Jackknifed first-pass tags. */
        float        *avg;   /* Averaged weights for predict(). */
        uint32_t      fs;    /* The features actually used. */
        size_t        nb;    /* Buckets. */
        uint64_t      rng;
        unsigned      last; /* The pass the epochs train. */
        clock_t       t0;
        char         *errstr;
        size_t        errstr_size;
} train_t;

/* The feature set asked for, less what the inputs cannot supply. */
static uint32_t train_features(const enr_gazetteer_t         *g,
                               const enr_tagger_train_opts_t *o) {
        uint32_t fs = o->features | ENR_TAGGER_FS_BASE;

        if (!g)
                fs &= ~ENR_TAGGER_FS_GAZ;
        if (!o->case_corpus)
                fs &= ~ENR_TAGGER_FS_CASE;
        if (!o->clusters)
                fs &= ~ENR_TAGGER_FS_CLUSTER;
        if (!(fs & ENR_TAGGER_FS_DOC))
                fs &= ~ENR_TAGGER_FS_RUNS;
        return fs & ENR__TG_FS_KNOWN;
}

/* Allocates the model and the perceptron, adds the case profiles and
 * clusters, and builds the first corpus from train. */
static bool train_setup(train_t *t, const enr_conll_t *train,
                        const enr_gazetteer_t *g) {
        const enr_tagger_train_opts_t *o = t->o;
        perc_t                        *p = &t->p;
        enr_err_t                      err;

        t->nb = (size_t)1 << o->buckets_log2;
        p->nw = t->nb * ENR__TG_NTAGS;
        if (!(t->s = enr_tagger_scratch_new(NULL)) ||
            !(t->cur = enr__tagger_alloc(o->buckets_log2,
                                         (t->fs & ENR_TAGGER_FS_STACK) ? 2 : 1,
                                         true)) ||
            !(p->w = calloc(p->nw, sizeof(*p->w))) ||
            !(p->wa = calloc(p->nw, sizeof(*p->wa))) ||
            !(t->count = calloc(t->nb, sizeof(*t->count)))) {
                enr_set_errstr(t->errstr, t->errstr_size, "out of memory");
                return false;
        }
        t->cur->fs    = t->fs;
        t->cur->seed  = (uint32_t)(o->seed * 0x9e3779b1u);
        t->cur->g     = (t->fs & ENR_TAGGER_FS_GAZ) ? g : NULL;
        t->cur->map_g = g;
        t->cur->gaz_entries =
            t->cur->g ? (uint32_t)enr_gazetteer_size(t->cur->g) : 0;
        if ((t->fs & ENR_TAGGER_FS_CASE) &&
            case_build(t->cur, t->s, o->case_corpus, o->progress, t->errstr,
                       t->errstr_size))
                return false;
        if ((t->fs & ENR_TAGGER_FS_CLUSTER) &&
            clusters_read(t->cur, o->clusters, o->progress, t->errstr,
                          t->errstr_size))
                return false;
        if ((err = corpus_build(&t->c, train, t->s, t->cur, 0, NULL))) {
                enr_set_errstr(t->errstr, t->errstr_size,
                               "preparing the training corpus: %s",
                               enr_err_str(err));
                return false;
        }
        if (t->c.nsents == 0) {
                enr_set_errstr(t->errstr, t->errstr_size,
                               "empty training corpus");
                return false;
        }
        count_features(&t->c, t->count, t->nb);
        if (!(t->order = malloc(t->c.nsents * sizeof(*t->order))) ||
            !(t->fold = malloc(t->c.nsents * sizeof(*t->fold))) ||
            enr__tagger_reserve(t->s, t->c.maxsent, 0)) {
                enr_set_errstr(t->errstr, t->errstr_size, "out of memory");
                return false;
        }
        if (o->progress)
                fprintf(o->progress,
                        "train: %zu tokens, %zu sentences, %zu features, "
                        "feature set 0x%x, 2^%u buckets\n",
                        t->c.ntoks, t->c.nsents, t->c.nfeat, t->fs,
                        o->buckets_log2);
        return true;
}

/* Trains the perceptron from zero for epochs epochs over the n sentences
 * of order, shuffled each epoch. */
static void train_from_zero(train_t *t, size_t n, unsigned epochs) {
        perc_reset(&t->p);
        for (unsigned ep = 0; ep < epochs; ep++) {
                shuffle(t->order, n, &t->rng);
                perc_epoch(&t->p, &t->c, t->order, n, t->s, t->count,
                           t->o->min_count);
        }
}

/* Stacking's first pass: jackknifed tags (each fold's predicted by a model
 * trained on the other folds) for the second pass's corpus, then the first
 * pass proper on everything. */
static bool train_first_pass(train_t *t, const enr_conll_t *train) {
        const enr_tagger_train_opts_t *o = t->o;
        enr_err_t                      err;

        if (!(t->p1 = calloc(t->c.ntoks + 1, 1)) ||
            !(t->avg = malloc(t->p.nw * sizeof(*t->avg)))) {
                enr_set_errstr(t->errstr, t->errstr_size, "out of memory");
                return false;
        }
        for (unsigned k = 0; k < o->stack_folds; k++) {
                size_t nin = 0, nout = 0;
                for (size_t i = 0; i < t->c.nsents; i++) {
                        if (t->c.sdoc[i] % o->stack_folds != k)
                                t->order[nin++] = (uint32_t)i;
                        else
                                t->fold[nout++] = (uint32_t)i;
                }
                train_from_zero(t, nin, o->stack_epochs);
                predict(&t->p, t->avg, &t->c, t->fold, nout, t->s, t->p1);
                if (o->progress)
                        fprintf(o->progress, "first pass, fold %u/%u: %.0f s\n",
                                k + 1, o->stack_folds,
                                (double)(clock() - t->t0) / CLOCKS_PER_SEC);
        }
        for (size_t i = 0; i < t->c.nsents; i++)
                t->order[i] = (uint32_t)i;
        train_from_zero(t, t->c.nsents, o->stack_epochs);
        quantise(&t->cur->pass[0], &t->p);
        if (o->progress)
                fprintf(o->progress, "first pass, all: %.0f s\n",
                        (double)(clock() - t->t0) / CLOCKS_PER_SEC);
        /* The second pass's corpus sees the jackknifed tags. */
        corpus_clear(&t->c);
        if ((err = corpus_build(&t->c, train, t->s, t->cur, 1, t->p1))) {
                enr_set_errstr(t->errstr, t->errstr_size,
                               "preparing the second pass: %s",
                               enr_err_str(err));
                return false;
        }
        count_features(&t->c, t->count, t->nb);
        t->last = 1;
        return true;
}

/* After an epoch scored sc on dev: reports it, and keeps the model when it
 * is the best so far (or, with keep_last, only records the score). */
static bool train_keep(train_t *t, const enr_tagger_score_t *sc,
                       double *best_f1, enr_tagger_score_t *best) {
        if (t->o->keep_last) {
                /* Only reported: the last epoch is kept. */
                if (best)
                        *best = *sc;
                t->cur->dev_f1x100 = (uint32_t)lrint(sc->f1_all * 100);
                return true;
        }
        if (sc->f1_all <= *best_f1)
                return true;
        *best_f1 = sc->f1_all;
        if (best)
                *best = *sc;
        enr_tagger_destroy(t->keep);
        t->keep             = t->cur;
        t->keep->dev_f1x100 = (uint32_t)lrint(sc->f1_all * 100);
        if (!(t->cur = model_like(t->keep))) {
                enr_set_errstr(t->errstr, t->errstr_size, "out of memory");
                return false;
        }
        return true;
}

/* The epochs of the last pass, each scored on dev when there is one. */
static bool train_epochs(train_t *t, const enr_conll_t *dev,
                         enr_tagger_score_t *best) {
        const enr_tagger_train_opts_t *o       = t->o;
        double                         best_f1 = -1;
        enr_err_t                      err;

        for (size_t i = 0; i < t->c.nsents; i++)
                t->order[i] = (uint32_t)i;
        perc_reset(&t->p);
        for (unsigned ep = 1; ep <= o->epochs; ep++) {
                enr_tagger_score_t sc;
                size_t             errors;
                double             secs;

                shuffle(t->order, t->c.nsents, &t->rng);
                errors = perc_epoch(&t->p, &t->c, t->order, t->c.nsents, t->s,
                                    t->count, o->min_count);
                quantise(&t->cur->pass[t->last], &t->p);
                secs = (double)(clock() - t->t0) / CLOCKS_PER_SEC;
                if (!dev) {
                        if (o->progress)
                                fprintf(o->progress,
                                        "epoch %u: %zu/%zu sentences wrong; "
                                        "%.0f s\n",
                                        ep, errors, t->c.nsents, secs);
                        continue;
                }
                if ((err = enr_tagger_evaluate(t->cur, dev, &sc))) {
                        enr_set_errstr(t->errstr, t->errstr_size,
                                       "scoring the dev corpus: %s",
                                       enr_err_str(err));
                        return false;
                }
                if (o->progress)
                        fprintf(o->progress,
                                "epoch %u: %zu/%zu sentences wrong; dev P "
                                "%.2f R %.2f F1 %.2f (PER %.2f ORG %.2f LOC "
                                "%.2f MISC %.2f) %.0f s\n",
                                ep, errors, t->c.nsents, sc.precision,
                                sc.recall, sc.f1_all, sc.f1[0], sc.f1[1],
                                sc.f1[2], sc.f1[3], secs);
                if (o->epoch_scores)
                        o->epoch_scores[ep - 1] = sc;
                if (!train_keep(t, &sc, &best_f1, best))
                        return false;
        }
        return true;
}

enr_tagger_t *enr_tagger_train(const enr_conll_t *train, const enr_conll_t *dev,
                               const enr_gazetteer_t         *g,
                               const enr_tagger_train_opts_t *o,
                               enr_tagger_score_t *best, char *errstr,
                               size_t errstr_size) {
        train_t t;

        memset(&t, 0, sizeof(t));
        t.o           = o;
        t.fs          = train_features(g, o);
        t.rng         = o->seed * 0x9e3779b97f4a7c15ULL + 1;
        t.t0          = clock();
        t.errstr      = errstr;
        t.errstr_size = errstr_size;
        if (o->buckets_log2 < ENR__TG_MIN_LOG2 ||
            o->buckets_log2 > ENR__TG_MAX_LOG2 || o->epochs < 1 ||
            o->epochs > 1000 || o->stack_epochs > 1000 ||
            o->stack_folds > 100 ||
            ((t.fs & ENR_TAGGER_FS_STACK) &&
             (o->stack_epochs < 1 || o->stack_folds < 2))) {
                enr_set_errstr(errstr, errstr_size,
                               "buckets-log2 must be %d..%d, epochs 1..1000, "
                               "stacking folds 2..100",
                               ENR__TG_MIN_LOG2, ENR__TG_MAX_LOG2);
                goto out;
        }
        if (!train_setup(&t, train, g) ||
            ((t.fs & ENR_TAGGER_FS_STACK) && !train_first_pass(&t, train)) ||
            !train_epochs(&t, dev, best))
                goto out;
        if (!t.keep) {
                t.keep = t.cur;
                t.cur  = NULL;
                if (best && (!dev || !o->keep_last))
                        memset(best, 0, sizeof(*best));
        }
out:
        enr_tagger_destroy(t.cur);
        enr_tagger_scratch_destroy(t.s);
        corpus_clear(&t.c);
        free(t.p.w);
        free(t.p.wa);
        free(t.count);
        free(t.order);
        free(t.fold);
        free(t.p1);
        free(t.avg);
        return t.keep;
}

enr_err_t enr_tagger_cv_split(const enr_conll_t *c, unsigned k, unsigned fold,
                              bool held_out, enr_conll_t *view) {
        memset(view, 0, sizeof(*view));
        if (k < 2 || fold >= k)
                return ENR_ERR_INVALID_ARG;
        if (!(view->docs = malloc((c->ndocs + 1) * sizeof(*view->docs))))
                return ENR_ERR_NOMEM;
        for (size_t d = 0; d < c->ndocs; d++)
                if ((d % k == fold) == held_out)
                        view->docs[view->ndocs++] = c->docs[d];
        return ENR_OK;
}

enr_err_t enr_tagger_cv(const enr_conll_t *c, const enr_gazetteer_t *g,
                        const enr_tagger_train_opts_t *o, unsigned k,
                        enr_tagger_score_t *folds, enr_tagger_score_t *curve,
                        char *errstr, size_t errstr_size) {
        enr_tagger_train_opts_t fo  = *o;
        enr_err_t               err = ENR_OK;

        if (k < 2 || k > 100) {
                enr_set_errstr(errstr, errstr_size, "folds must be 2..100");
                return ENR_ERR_INVALID_ARG;
        }
        fo.keep_last = true;
        for (unsigned f = 0; f < k; f++) {
                enr_conll_t   in, out;
                enr_tagger_t *tg;

                memset(&out, 0, sizeof(out));
                if ((err = enr_tagger_cv_split(c, k, f, false, &in)) ||
                    (err = enr_tagger_cv_split(c, k, f, true, &out))) {
                        free(in.docs);
                        enr_set_errstr(errstr, errstr_size, "out of memory");
                        return err;
                }
                fo.epoch_scores = curve ? curve + (size_t)f * o->epochs : NULL;
                tg = enr_tagger_train(&in, &out, g, &fo, &folds[f], errstr,
                                      errstr_size);
                free(in.docs);
                free(out.docs);
                if (!tg)
                        return ENR_ERR_INVALID_ARG;
                enr_tagger_destroy(tg);
                if (o->progress)
                        fprintf(o->progress, "fold %u/%u: F1 %.2f\n", f + 1, k,
                                folds[f].f1_all);
        }
        return ENR_OK;
}
