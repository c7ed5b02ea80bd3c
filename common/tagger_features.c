/*
 * The tagger's view of a text: each token's hashed forms, shape,
 * capitalisation, gazetteer classes, case profile, word clusters and
 * document evidence (enr__tagger_prepare()), and the feature function
 * shared by tagging and training (enr__tagger_features()), which turns one
 * token's context into bucket indices of the model's hash table.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enricher/log.h"
#include "tagger_int.h"

/*
 * Hashing. FNV-1a over bytes for values, a 64-bit finaliser (from
 * MurmurHash3) to mix a template number with a value.
 */
static uint64_t fnv(const void *p, size_t n) {
        const unsigned char *b = p;
        uint64_t             h = 0xcbf29ce484222325ULL;
        for (size_t i = 0; i < n; i++) {
                h ^= b[i];
                h *= 0x100000001b3ULL;
        }
        return h;
}

static uint64_t mix(uint64_t h) {
        h ^= h >> 33;
        h *= 0xff51afd7ed558ccdULL;
        h ^= h >> 33;
        h *= 0xc4ceb9fe1a85ec53ULL;
        h ^= h >> 33;
        return h;
}

static uint64_t combine(uint64_t a, uint64_t b) {
        return mix(a * 0x9e3779b97f4a7c15ULL + b);
}

/*
 * Lower-cases src into dst (ASCII, the Latin-1 supplement; curly quotes
 * become straight ones), returning the length written (at most n + 1).
 */
static size_t lower_form(const unsigned char *src, size_t n, char *dst) {
        size_t o = 0;
        for (size_t i = 0; i < n; i++) {
                unsigned char c = src[i];
                if (c >= 'A' && c <= 'Z') {
                        dst[o++] = (char)(c + 32);
                } else if (c == 0xc3 && i + 1 < n && src[i + 1] >= 0x80 &&
                           src[i + 1] <= 0x9e && src[i + 1] != 0x97) {
                        dst[o++] = (char)c;
                        dst[o++] = (char)(src[++i] + 0x20);
                } else if (c == 0xe2 && i + 2 < n && src[i + 1] == 0x80 &&
                           src[i + 2] >= 0x98 && src[i + 2] <= 0x9d) {
                        dst[o++] = src[i + 2] <= 0x9b ? '\'' : '"';
                        i += 2;
                } else {
                        dst[o++] = (char)c;
                }
        }
        return o;
}

/* The shape class of the character at src[*i], advancing *i past it. */
static char shape_char(const unsigned char *src, size_t n, size_t *i,
                       uint8_t *cap) {
        unsigned char c = src[*i];
        (*i)++;
        if (c >= 'A' && c <= 'Z') {
                *cap |= ENR__TK_LETTER;
                return 'X';
        }
        if (c >= 'a' && c <= 'z') {
                *cap |= ENR__TK_LETTER;
                return 'x';
        }
        if (c >= '0' && c <= '9') {
                *cap |= ENR__TK_DIGIT;
                return 'd';
        }
        if (c < 0x80)
                return (char)c;
        /* A multi-byte character: skip its continuation bytes. */
        size_t start = *i - 1;
        while (*i < n && (src[*i] & 0xc0) == 0x80)
                (*i)++;
        if (c == 0xc3 && start + 1 < n) {
                unsigned char d = src[start + 1];
                *cap |= ENR__TK_LETTER;
                if (d >= 0x80 && d <= 0x9e && d != 0x97)
                        return 'X';
                return 'x';
        }
        if (c == 0xe2 && start + 2 < n && src[start + 1] == 0x80 &&
            src[start + 2] >= 0x98 && src[start + 2] <= 0x9d)
                return src[start + 2] <= 0x9b ? '\'' : '"';
        if (c >= 0xc4 && c <= 0xd4) {
                /* Latin Extended, Greek, Cyrillic: letters, case unknown. */
                *cap |= ENR__TK_LETTER;
                return 'x';
        }
        return 'u';
}

/* Shapes of token bytes: full (capped at 8) and collapsed; capitalisation. */
static void shapes(const unsigned char *src, size_t n, uint64_t *sh,
                   uint64_t *fsh, uint8_t *cap) {
        char   full[8], coll[16];
        size_t nf = 0, nc = 0, i = 0;
        bool   first_letter = true, any_lower = false, any_upper = false;

        while (i < n) {
                char c = shape_char(src, n, &i, cap);
                if (c == 'X' || c == 'x') {
                        if (first_letter && c == 'X')
                                *cap |= ENR__TK_INIT_UPPER;
                        if (first_letter && c == 'x' && nf == 0)
                                *cap |= ENR__TK_LOWER;
                        first_letter = false;
                        any_lower |= c == 'x';
                        any_upper |= c == 'X';
                }
                if (nf < sizeof(full))
                        full[nf++] = c;
                if (nc < sizeof(coll) && (nc == 0 || coll[nc - 1] != c))
                        coll[nc++] = c;
        }
        if (any_upper && !any_lower)
                *cap |= ENR__TK_ALL_UPPER;
        *sh  = fnv(coll, nc);
        *fsh = fnv(full, nf) ^ (n > 8 ? 0x55 : 0);
}

/* The document table: look-up or insert of a lower-case hash. */
static enr__tg_docslot_t *doc_slot(enr_tagger_scratch_t *s, uint64_t key) {
        size_t mask = s->doc_cap - 1;
        if (key == 0)
                key = 1;
        for (size_t j = (size_t)mix(key) & mask;; j = (j + 1) & mask) {
                if (s->doc[j].key == key || s->doc[j].key == 0) {
                        s->doc[j].key = key;
                        return &s->doc[j];
                }
        }
}

/* The lexicon slot of a lower-cased word hash, or NULL. */
static const enr__tg_lex_t *lex_find(const enr_tagger_t *tg, uint64_t key) {
        uint32_t fp = (uint32_t)(key >> 32);

        if (!tg || !tg->lex)
                return NULL;
        for (size_t j = (size_t)mix(key) & tg->lex_mask;;
             j        = (j + 1) & tg->lex_mask) {
                const enr__tg_lex_t *e = &tg->lex[j];
                if (!e->used)
                        return NULL;
                if (e->fp == fp)
                        return e;
        }
}

/* The lexicon slot of key, claimed if new (the table has room). */
static enr__tg_lex_t *lex_slot(enr_tagger_t *tg, uint64_t key) {
        uint32_t fp = (uint32_t)(key >> 32);
        size_t   j  = (size_t)mix(key) & tg->lex_mask;

        while (tg->lex[j].used && tg->lex[j].fp != fp)
                j = (j + 1) & tg->lex_mask;
        if (!tg->lex[j].used) {
                tg->lex[j].used = 1;
                tg->lex[j].fp   = fp;
                tg->lex[j].row  = ENR__TG_MAX_CLROWS;
        }
        return &tg->lex[j];
}

/*
 * Rebuilds the lexicon from the case profiles and the clusters: at most
 * five eighths full, so that a look-up, hit or miss, stays short.
 */
static enr_err_t lex_build(enr_tagger_t *tg) {
        size_t cap = 1024, n = (size_t)tg->ncase + tg->ncl;

        free(tg->lex);
        tg->lex = NULL;
        if (n == 0)
                return ENR_OK;
        while (cap * 5 < n * 8)
                cap *= 2;
        if (!(tg->lex = calloc(cap, sizeof(*tg->lex))))
                return ENR_ERR_NOMEM;
        tg->lex_mask = cap - 1;
        for (uint32_t i = 0; i < tg->ncase; i++)
                lex_slot(tg, tg->case_keys[i])->wcase = tg->case_cls[i];
        for (uint32_t i = 0; i < tg->ncl; i++)
                lex_slot(tg, tg->cl_keys[i])->row = tg->cl_rows[i];
        return ENR_OK;
}

enr_err_t enr__tagger_set_case(enr_tagger_t *tg, const uint64_t *keys,
                               const uint8_t *cls, uint32_t n) {
        free(tg->case_keys);
        free(tg->case_cls);
        tg->ncase     = n;
        tg->case_keys = malloc(((size_t)n + 1) * sizeof(*keys));
        tg->case_cls  = malloc((size_t)n + 1);
        if (!tg->case_keys || !tg->case_cls) {
                tg->ncase = 0;
                return ENR_ERR_NOMEM;
        }
        memcpy(tg->case_keys, keys, n * sizeof(*keys));
        memcpy(tg->case_cls, cls, n);
        return lex_build(tg);
}

enr_err_t enr__tagger_set_clusters(enr_tagger_t *tg, const uint64_t *keys,
                                   const uint16_t *rows, uint32_t n,
                                   const uint16_t *tree, uint32_t nrows) {
        size_t nt = (size_t)nrows * ENR__TG_CL_LEVELS;

        free(tg->cl_keys);
        free(tg->cl_rows);
        free(tg->cl_tree);
        tg->ncl      = n;
        tg->ncl_rows = nrows;
        tg->cl_keys  = malloc(((size_t)n + 1) * sizeof(*keys));
        tg->cl_rows  = malloc(((size_t)n + 1) * sizeof(*rows));
        tg->cl_tree  = malloc((nt + 1) * sizeof(*tree));
        if (!tg->cl_keys || !tg->cl_rows || !tg->cl_tree) {
                tg->ncl = tg->ncl_rows = 0;
                return ENR_ERR_NOMEM;
        }
        memcpy(tg->cl_keys, keys, n * sizeof(*keys));
        memcpy(tg->cl_rows, rows, n * sizeof(*rows));
        memcpy(tg->cl_tree, tree, nt * sizeof(*tree));
        return lex_build(tg);
}

uint64_t enr__tagger_word_key(const char *w, size_t n) {
        char   buf[256];
        size_t m;

        /* Longer words are in no table: hash them as they are. */
        if (n + 2 > sizeof(buf))
                return fnv(w, n);
        m = lower_form((const unsigned char *)w, n, buf);
        return fnv(buf, m);
}

/* How many tokens ahead prepare() prefetches gazetteer slots. */
#define GAZ_AHEAD 8

/* Checks that the tokens lie in the text, in order, without overlap (the
 * lower-case buffer is sized by their total length) and sums their bytes
 * into *bytes. */
static enr_err_t check_tokens(const enr_text_t *t, size_t *bytes) {
        *bytes = 0;
        for (size_t i = 0; i < t->ntoks; i++) {
                if (t->toks[i].end < t->toks[i].start ||
                    t->toks[i].end > t->len ||
                    (i > 0 && t->toks[i].start < t->toks[i - 1].end))
                        return ENR_ERR_INVALID_ARG;
                *bytes += t->toks[i].end - t->toks[i].start;
        }
        return ENR_OK;
}

/* Each token's hashed forms, shape, capitalisation and gazetteer classes
 * (g may be NULL); prefetches its lexicon slot when lex. */
static void analyse_tokens(enr_tagger_scratch_t *s, const enr_text_t *t,
                           const enr_gazetteer_t *g, const enr_tagger_t *tg,
                           bool lex) {
        size_t n = t->ntoks, lo = 0;
        /* The gazetteer look-ups are cache misses: each word's slot is
         * prefetched GAZ_AHEAD tokens before it is read. */
        uint32_t gh[GAZ_AHEAD];
        for (size_t i = 0; g && i < GAZ_AHEAD && i < n; i++) {
                gh[i] = enr_gazetteer_hash(t->s + t->toks[i].start,
                                           t->toks[i].end - t->toks[i].start);
                enr_gazetteer_word_prefetch(g, gh[i]);
        }
        for (size_t i = 0; i < n; i++) {
                enr__tg_tok_t       *k = &s->tok[i];
                const unsigned char *p =
                    (const unsigned char *)t->s + t->toks[i].start;
                size_t   len = t->toks[i].end - t->toks[i].start;
                uint32_t h   = g ? gh[i % GAZ_AHEAD] : 0;

                if (g && i + GAZ_AHEAD < n) {
                        size_t j          = i + GAZ_AHEAD;
                        gh[j % GAZ_AHEAD] = enr_gazetteer_hash(
                            t->s + t->toks[j].start,
                            t->toks[j].end - t->toks[j].start);
                        enr_gazetteer_word_prefetch(g, gh[j % GAZ_AHEAD]);
                }

                memset(k, 0, sizeof(*k));
                k->wh     = fnv(p, len);
                k->lo_off = (uint32_t)lo;
                k->lo_len = (uint32_t)lower_form(p, len, s->lower + lo);
                k->lh     = fnv(s->lower + lo, k->lo_len);
                lo += k->lo_len;
                shapes(p, len, &k->sh, &k->fsh, &k->cap);
                if (lex && (k->cap & ENR__TK_LETTER))
                        __builtin_prefetch(
                            &tg->lex[(size_t)mix(k->lh) & tg->lex_mask]);
                /* Words without letters are in no list. */
                if (g && (k->cap & ENR__TK_LETTER))
                        k->gaz = enr_gazetteer_word_hashed(g, (const char *)p,
                                                           len, h);
        }
}

/* Each word's case class and clusters from the lexicon, which is far larger
 * than the caches: its slots were prefetched by analyse_tokens(). */
static void read_lexicon(enr_tagger_scratch_t *s, size_t n,
                         const enr_tagger_t *tg, uint32_t fs) {
        for (size_t i = 0; i < n; i++) {
                enr__tg_tok_t *k = &s->tok[i];
                if (k->cap & ENR__TK_LETTER) {
                        const enr__tg_lex_t *e = lex_find(tg, k->lh);
                        if (e && (fs & ENR_TAGGER_FS_CASE))
                                k->wcase = e->wcase;
                        if (e && (fs & ENR_TAGGER_FS_CLUSTER) &&
                            e->row < tg->ncl_rows) {
                                const uint16_t *c =
                                    tg->cl_tree +
                                    (size_t)e->row * ENR__TG_CL_LEVELS;
                                k->cl[0] = (uint16_t)(e->row + 1);
                                for (unsigned l = 0; l < ENR__TG_CL_LEVELS; l++)
                                        k->cl[1 + l] = (uint16_t)(c[l] + 1);
                        }
                }
        }
}

/*
 * Segments: sentences, also cut at line breaks, so a headline or a
 * dateline on its own line is decoded on its own even when the sentence
 * splitter joined it to the next line (CoNLL sentences are lines, so
 * training sees the same segments).
 */
static void find_segments(enr_tagger_scratch_t *s, const enr_text_t *t) {
        size_t n = t->ntoks;

        for (size_t si = 0; si < t->nsents; si++)
                if (t->sents[si].tok_start < n)
                        s->tok[t->sents[si].tok_start].cap |=
                            ENR__TK_SENT_START;
        for (size_t i = 0; i < n; i++) {
                if (i == 0) {
                        s->tok[i].cap |= ENR__TK_SENT_START;
                        continue;
                }
                for (uint32_t o = t->toks[i - 1].end; o < t->toks[i].start; o++)
                        if (t->s[o] == '\n' || t->s[o] == '\r') {
                                s->tok[i].cap |= ENR__TK_SENT_START;
                                break;
                        }
        }
        s->nseg = 0;
        for (size_t i = 0; i < n; i++) {
                if (s->tok[i].cap & ENR__TK_SENT_START) {
                        s->seg[s->nseg].tok_start = (uint32_t)i;
                        s->seg[s->nseg].tok_end   = (uint32_t)n;
                        if (s->nseg > 0)
                                s->seg[s->nseg - 1].tok_end = (uint32_t)i;
                        s->nseg++;
                }
        }
}

/* Marks the tokens of segment [a, b) as a headline when it has letters but
 * no lower case. */
static void mark_headline(enr_tagger_scratch_t *s, size_t a, size_t b) {
        bool lower = false, letters = false;

        for (size_t i = a; i < b; i++) {
                uint8_t c = s->tok[i].cap;
                letters |= (c & ENR__TK_LETTER) != 0;
                if ((c & ENR__TK_LETTER) && !(c & ENR__TK_ALL_UPPER))
                        lower = true;
        }
        if (letters && !lower)
                for (size_t i = a; i < b; i++)
                        s->tok[i].cap |= ENR__TK_HEADLINE;
}

/* Marks the multi-word gazetteer entries of segment [a, b). */
static void mark_gazetteer_spans(enr_tagger_scratch_t *s, const enr_text_t *t,
                                 const enr_gazetteer_t *g, size_t a, size_t b) {
        for (size_t i = a; i < b;) {
                enr_gaz_match_t m;
                /* Entries start with a capital letter (case matters on the
                 * first letter). */
                if ((s->tok[i].cap & ENR__TK_INIT_UPPER) &&
                    enr_gazetteer_match(g, t, i, b, &m) && m.ntoks > 0 &&
                    i + m.ntoks <= b) {
                        for (size_t j = 0; j < m.ntoks; j++) {
                                s->tok[i + j].gspan = m.classes;
                                s->tok[i + j].gpos  = j == 0 ? 1 : 2;
                        }
                        i += m.ntoks;
                } else {
                        i++;
                }
        }
}

/* Runs of two or more capitalised words outside headlines ("Bill
 * Clinton"): where each token stands in its run (ENR_TAGGER_FS_RUNS). */
static void mark_runs(enr_tagger_scratch_t *s) {
        for (size_t si = 0; si < s->nseg; si++) {
                size_t a = s->seg[si].tok_start, b = s->seg[si].tok_end;
                for (size_t i = a; i < b;) {
                        size_t j = i;
                        while (j < b && (s->tok[j].cap & ENR__TK_INIT_UPPER) &&
                               !(s->tok[j].cap & ENR__TK_HEADLINE))
                                j++;
                        if (j - i >= 2)
                                for (size_t m = i; m < j; m++)
                                        s->tok[m].run = m == i ? ENR__RUN_FIRST
                                                        : m + 1 == j
                                                            ? ENR__RUN_LAST
                                                            : ENR__RUN_INNER;
                        i = j > i ? j : i + 1;
                }
        }
}

/* The document table: what the document shows of each lower-cased word
 * (seen lower case, capitalised mid-sentence, in a run), copied back to
 * each of its tokens. */
static void fill_doc_table(enr_tagger_scratch_t *s, size_t n, uint32_t fs) {
        memset(s->doc, 0, s->doc_cap * sizeof(*s->doc));
        for (size_t i = 0; (fs & ENR_TAGGER_FS_RUNS) && i < n; i++)
                if (s->tok[i].run)
                        doc_slot(s, s->tok[i].lh)->flags |=
                            ENR__DOC_RUN << (s->tok[i].run - 1);
        for (size_t i = 0; i < n; i++) {
                uint8_t c = s->tok[i].cap;
                if (c & ENR__TK_LOWER)
                        doc_slot(s, s->tok[i].lh)->flags |= ENR__DOC_LOWER;
                else if ((c & ENR__TK_INIT_UPPER) &&
                         !(c & (ENR__TK_SENT_START | ENR__TK_HEADLINE)))
                        doc_slot(s, s->tok[i].lh)->flags |= ENR__DOC_CAP_MID;
        }
        for (size_t i = 0; i < n; i++)
                s->tok[i].doc = (uint8_t)doc_slot(s, s->tok[i].lh)->flags;
}

enr_err_t enr__tagger_prepare(enr_tagger_scratch_t *s, const enr_text_t *t,
                              const enr_gazetteer_t *g, uint32_t fs,
                              const enr_tagger_t *tg) {
        enr_err_t err;
        size_t    n   = t->ntoks, bytes;
        bool      gaz = g && (fs & ENR_TAGGER_FS_GAZ);
        bool      lex = tg && tg->lex &&
                   (fs & (ENR_TAGGER_FS_CASE | ENR_TAGGER_FS_CLUSTER));

        if ((err = check_tokens(t, &bytes)) ||
            (err = enr__tagger_reserve(s, n, bytes)))
                return err;
        analyse_tokens(s, t, gaz ? g : NULL, tg, lex);
        if (lex)
                read_lexicon(s, n, tg, fs);
        find_segments(s, t);
        /* All-capitals segments (headlines) and gazetteer entries. */
        for (size_t si = 0; si < s->nseg; si++) {
                size_t a = s->seg[si].tok_start, b = s->seg[si].tok_end;
                mark_headline(s, a, b);
                if (gaz)
                        mark_gazetteer_spans(s, t, g, a, b);
        }
        if (fs & ENR_TAGGER_FS_RUNS)
                mark_runs(s);
        if (fs & (ENR_TAGGER_FS_DOC | ENR_TAGGER_FS_STACK))
                fill_doc_table(s, n, fs);
        return ENR_OK;
}

/* Feature templates: each number names one kind of feature. */
enum {
        F_BIAS = 1,
        F_W0,
        F_LW0,
        F_SH0,
        F_FSH0,
        F_PRE,
        F_SUF  = F_PRE + 4,
        F_LWM1 = F_SUF + 4,
        F_LWM2,
        F_LWP1,
        F_LWP2,
        F_SHM1,
        F_SHP1,
        F_BI_M1,
        F_BI_P1,
        F_SH3,
        F_POS,
        F_HEAD,
        F_WM1,
        F_WP1,
        F_LEN,
        F_DOC,
        F_DOC_W,
        F_GAZ,
        F_GAZ_M1,
        F_GAZ_P1,
        F_GSPAN,
        F_GSPAN_SH,
        F_SHM1_W0,
        F_LWM1_SH0,
        F_SH0_LWP1,
        F_LWM2_LWM1,
        F_P1,
        F_P1M1,
        F_P1P1,
        F_P1_BI,
        F_AGG,
        F_AGG_CAP,
        F_AGG_SH,
        F_CASE,
        F_CASE_M1,
        F_CASE_P1,
        F_CASE_SH,
        F_CASE_3,
        F_CL_ROW, /* Not used (kept so that the numbers stay). */
        F_CL1,
        F_CL2,
        F_CL3,
        F_CLM1,
        F_CLP1,
        F_CL_SH, /* Not used. */
        F_RUN,
        F_RUN_SH
};

#define BOUNDARY_L 0x1111111111111111ULL
#define BOUNDARY_R 0x2222222222222222ULL

size_t enr__tagger_features(const enr_tagger_scratch_t *s, const enr_text_t *t,
                            size_t i, uint32_t fs, unsigned pass, uint32_t seed,
                            uint32_t log2, uint32_t *f) {
        const enr__tg_tok_t *k  = &s->tok[i];
        const char          *lo = s->lower + k->lo_off;
        size_t               n = 0, ntoks = t->ntoks;
        unsigned             shift = 64 - log2;
        uint64_t             lwm1, lwm2, lwp1, lwp2, shm1, shp1;
        bool                 first = (k->cap & ENR__TK_SENT_START) != 0;
        bool last = i + 1 >= ntoks || (s->tok[i + 1].cap & ENR__TK_SENT_START);
        bool first1 =
            first || i < 1 || (s->tok[i - 1].cap & ENR__TK_SENT_START);
        bool last1 =
            last || i + 2 >= ntoks || (s->tok[i + 2].cap & ENR__TK_SENT_START);

#define ADD(tmpl, v)                                                           \
        (f[n++] = (uint32_t)(combine((uint64_t)(tmpl) ^ seed, (v)) >> shift))

        lwm1 = first ? BOUNDARY_L : s->tok[i - 1].lh;
        shm1 = first ? BOUNDARY_L : s->tok[i - 1].sh;
        lwm2 = first1 ? BOUNDARY_L : s->tok[i - 2].lh;
        lwp1 = last ? BOUNDARY_R : s->tok[i + 1].lh;
        shp1 = last ? BOUNDARY_R : s->tok[i + 1].sh;
        lwp2 = last1 ? BOUNDARY_R : s->tok[i + 2].lh;

        if (pass == ENR__TG_STACK_ONLY)
                goto stack;
        ADD(F_BIAS, 0);
        ADD(F_W0, k->wh);
        ADD(F_LW0, k->lh);
        ADD(F_SH0, k->sh);
        if (!(fs & ENR_TAGGER_FS_LEAN))
                ADD(F_FSH0, k->fsh);
        for (size_t j = 1; j <= 4 && j <= k->lo_len; j++) {
                ADD(F_PRE + j - 1, fnv(lo, j));
                ADD(F_SUF + j - 1, fnv(lo + k->lo_len - j, j));
        }
        ADD(F_LWM1, lwm1);
        ADD(F_LWM2, lwm2);
        ADD(F_LWP1, lwp1);
        ADD(F_LWP2, lwp2);
        ADD(F_SHM1, shm1);
        ADD(F_SHP1, shp1);
        ADD(F_BI_M1, combine(lwm1, k->lh));
        ADD(F_BI_P1, combine(k->lh, lwp1));
        ADD(F_SH3, combine(combine(shm1, k->sh), shp1));
        ADD(F_POS, (uint64_t)(first ? 1 : 0) * 16 + (k->cap & 0x0f));
        ADD(F_HEAD, combine(k->cap & ENR__TK_HEADLINE, k->sh));
        ADD(F_WM1, first ? BOUNDARY_L : s->tok[i - 1].wh);
        ADD(F_WP1, last ? BOUNDARY_R : s->tok[i + 1].wh);
        if (!(fs & ENR_TAGGER_FS_LEAN))
                ADD(F_LEN, k->lo_len > 12 ? 12 : k->lo_len);
        ADD(F_SHM1_W0, combine(shm1, k->lh));
        ADD(F_LWM1_SH0, combine(lwm1, k->sh));
        ADD(F_SH0_LWP1, combine(k->sh, lwp1));
        ADD(F_LWM2_LWM1, combine(lwm2, lwm1));
        if (fs & ENR_TAGGER_FS_DOC) {
                /* How the same word is written elsewhere in the document,
                 * crossed with how it is written here. */
                uint64_t here =
                    k->cap &
                    (ENR__TK_INIT_UPPER | ENR__TK_ALL_UPPER | ENR__TK_LOWER |
                     ENR__TK_SENT_START | ENR__TK_HEADLINE);
                uint8_t doc = k->doc & (ENR__DOC_LOWER | ENR__DOC_CAP_MID);
                ADD(F_DOC, here * 8 + doc);
                ADD(F_DOC_W, combine(doc, k->sh));
        }
        if (fs & ENR_TAGGER_FS_RUNS) {
                /* Where the word stands in runs of capitalised words here
                 * and elsewhere in the document: "Clinton" alone after
                 * "Bill Clinton" is likely the same name. */
                uint64_t runs = k->doc >> 2;
                ADD(F_RUN, combine(k->run, runs));
                ADD(F_RUN_SH, combine(combine(k->run, runs), k->sh));
        }
        if (fs & ENR_TAGGER_FS_CASE) {
                /* How the word is written in unlabelled text, crossed with
                 * how it is written here. */
                uint64_t here =
                    k->cap &
                    (ENR__TK_INIT_UPPER | ENR__TK_ALL_UPPER | ENR__TK_LOWER |
                     ENR__TK_SENT_START | ENR__TK_HEADLINE);
                uint64_t cm1 = first ? 9 : s->tok[i - 1].wcase;
                uint64_t cp1 = last ? 9 : s->tok[i + 1].wcase;
                ADD(F_CASE, here * 16 + k->wcase);
                if (!(fs & ENR_TAGGER_FS_LEAN)) {
                        ADD(F_CASE_M1, cm1);
                        ADD(F_CASE_P1, cp1);
                }
                ADD(F_CASE_SH, combine(k->wcase, k->sh));
                ADD(F_CASE_3, combine(combine(cm1, k->wcase), cp1));
        }
        if (fs & ENR_TAGGER_FS_CLUSTER) {
                /* The word's clusters from word vectors at every level and
                 * the middle level of its neighbours. Unknown words have
                 * cluster 0. (The vector row itself and the fine level
                 * crossed with the shape, F_CL_ROW and F_CL_SH, gained
                 * nothing in cross-validation and cost speed.) */
                uint64_t cm1 = first ? 0x10000 : s->tok[i - 1].cl[2];
                uint64_t cp1 = last ? 0x10001 : s->tok[i + 1].cl[2];
                ADD(F_CL1, k->cl[1]);
                ADD(F_CL2, k->cl[2]);
                ADD(F_CL3, k->cl[3]);
                ADD(F_CLM1, cm1);
                ADD(F_CLP1, cp1);
        }
        if (fs & ENR_TAGGER_FS_GAZ) {
                for (unsigned b = 0; b < 16; b++)
                        if (k->gaz & (1u << b))
                                ADD(F_GAZ, b);
                if (k->gpos) {
                        for (unsigned b = 0; b < 16; b++)
                                if (k->gspan & (1u << b))
                                        ADD(F_GSPAN, b * 4 + k->gpos);
                        ADD(F_GSPAN_SH, combine(k->gspan, k->sh));
                }
                ADD(F_GAZ_M1, first ? 1u << 20 : s->tok[i - 1].gaz);
                ADD(F_GAZ_P1, last ? 1u << 21 : s->tok[i + 1].gaz);
        }
stack:
        if (pass > 0) {
                /* Stacking: the first pass's tags here and around, and
                 * what it made of the same word elsewhere in the
                 * document. */
                uint64_t pm1 = first ? 100 : s->tok[i - 1].p1;
                uint64_t pp1 = last ? 101 : s->tok[i + 1].p1;
                uint64_t cap =
                    k->cap & (ENR__TK_INIT_UPPER | ENR__TK_ALL_UPPER |
                              ENR__TK_LOWER | ENR__TK_SENT_START);
                ADD(F_P1, k->p1);
                ADD(F_P1M1, pm1);
                ADD(F_P1P1, pp1);
                ADD(F_P1_BI, combine(combine(pm1, k->p1), pp1));
                ADD(F_AGG, (uint64_t)k->agg * 8 + k->agg_ent);
                ADD(F_AGG_CAP, combine((uint64_t)k->agg * 8 + k->agg_ent, cap));
                ADD(F_AGG_SH, combine(k->agg_ent, k->sh));
        }
#undef ADD
        return n;
}

void enr__tagger_aggregate(enr_tagger_scratch_t *s, size_t n) {
        for (size_t i = 0; i < n; i++) {
                unsigned tag            = s->tags[i];
                s->tok[i].p1            = (uint8_t)tag;
                unsigned           type = tag ? 1 + ENR__TG_TYPE(tag) : 0;
                enr__tg_docslot_t *d    = doc_slot(s, s->tok[i].lh);
                if (d->cnt[type] < UINT16_MAX)
                        d->cnt[type]++;
        }
        for (size_t i = 0; i < n; i++) {
                const enr__tg_docslot_t *d = doc_slot(s, s->tok[i].lh);
                unsigned own  = s->tags[i] ? 1 + ENR__TG_TYPE(s->tags[i]) : 0;
                unsigned best = 5, best_ent = 0, bc = 0, be = 0;
                for (unsigned ty = 0; ty < 5; ty++) {
                        unsigned c = d->cnt[ty] - (ty == own ? 1 : 0);
                        if (c > bc) {
                                bc   = c;
                                best = ty;
                        }
                        if (ty > 0 && c > be) {
                                be       = c;
                                best_ent = ty;
                        }
                }
                s->tok[i].agg     = (uint8_t)best;
                s->tok[i].agg_ent = (uint8_t)best_ent;
        }
}
