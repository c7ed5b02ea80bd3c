/*
 * The learned name tagger at run time: the feature function shared with
 * training, constrained Viterbi decoding over BILOU tags, the model file
 * (see include/enricher/tagger.h for its layout) and the mapping of
 * decoded PER/ORG/LOC/MISC spans to entity mentions.
 *
 * Features are hashed into 2^log2 buckets; a bucket holds one int16
 * weight per tag. Every per-token array lives in the per-thread scratch and
 * only grows when a longer field arrives, so tagging allocates nothing per
 * token.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enricher/log.h"
#include "tagger_int.h"

static const char *const tag_names[ENR__TG_NTAGS] = {
    "O",     "B-PER",  "I-PER",  "L-PER",  "U-PER", "B-ORG",
    "I-ORG", "L-ORG",  "U-ORG",  "B-LOC",  "I-LOC", "L-LOC",
    "U-LOC", "B-MISC", "I-MISC", "L-MISC", "U-MISC"};

static const char *const type_names[ENR__TG_NTYPES] = {"PER", "ORG", "LOC",
                                                       "MISC"};

#define HDR_SIZE 48

int enr__tagger_type_parse(const char *name) {
        for (int i = 0; i < ENR__TG_NTYPES; i++)
                if (strcmp(name, type_names[i]) == 0)
                        return i;
        return -1;
}

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
 * CRC-32 (IEEE 802.3, as zlib), four bits at a time from a constant table,
 * so there is nothing to initialise (loads may run in several threads).
 */
static const uint32_t crc_nibble[16] = {
    0x00000000u, 0x1db71064u, 0x3b6e20c8u, 0x26d930acu,
    0x76dc4190u, 0x6b6b51f4u, 0x4db26158u, 0x5005713cu,
    0xedb88320u, 0xf00f9344u, 0xd6d6a3e8u, 0xcb61b38cu,
    0x9b64c2b0u, 0x86d3d2d4u, 0xa00ae278u, 0xbdbdf21cu};

static uint32_t crc32_update(uint32_t crc, const void *p, size_t n) {
        const unsigned char *b = p;
        crc                    = ~crc;
        for (size_t i = 0; i < n; i++) {
                crc ^= b[i];
                crc = crc_nibble[crc & 0xf] ^ (crc >> 4);
                crc = crc_nibble[crc & 0xf] ^ (crc >> 4);
        }
        return ~crc;
}

bool enr__tagger_allowed(unsigned prev, unsigned cur) {
        bool prev_open = prev != ENR__TG_NTAGS && prev != 0 &&
                         (ENR__TG_PART(prev) == ENR__TG_B ||
                          ENR__TG_PART(prev) == ENR__TG_I);
        if (prev_open)
                return cur != 0 && ENR__TG_TYPE(cur) == ENR__TG_TYPE(prev) &&
                       (ENR__TG_PART(cur) == ENR__TG_I ||
                        ENR__TG_PART(cur) == ENR__TG_L);
        return cur == 0 || ENR__TG_PART(cur) == ENR__TG_B ||
               ENR__TG_PART(cur) == ENR__TG_U;
}

bool enr__tagger_final(unsigned tag) {
        return tag == 0 || ENR__TG_PART(tag) == ENR__TG_L ||
               ENR__TG_PART(tag) == ENR__TG_U;
}

static enr_err_t grow(void **p, size_t *cap, size_t n, size_t elem) {
        if (n <= *cap)
                return ENR_OK;
        size_t c = *cap ? *cap : 256;
        while (c < n)
                c *= 2;
        void *q = realloc(*p, c * elem);
        if (!q)
                return ENR_ERR_NOMEM;
        *p   = q;
        *cap = c;
        return ENR_OK;
}

enr_err_t enr__tagger_reserve(enr_tagger_scratch_t *s, size_t n, size_t bytes) {
        size_t    cap;
        enr_err_t err;

        if (n > ENR_TAGGER_MAX_TOKENS)
                return ENR_ERR_LIMIT;
        if ((err =
                 grow((void **)&s->tok, &s->tok_cap, n + 1, sizeof(*s->tok))) ||
            (err =
                 grow((void **)&s->seg, &s->seg_cap, n + 1, sizeof(*s->seg))) ||
            (err =
                 grow((void **)&s->lower, &s->lower_cap, bytes + 2 * n + 1, 1)))
                return err;
        if (n + 1 > s->lat_cap) {
                cap = s->lat_cap ? s->lat_cap : 256;
                while (cap < n + 1)
                        cap *= 2;
                float *em = realloc(s->em, cap * ENR__TG_NTAGS * 4);
                if (em)
                        s->em = em;
                float *vs = realloc(s->vs, cap * ENR__TG_NTAGS * 4);
                if (vs)
                        s->vs = vs;
                uint8_t *bp = realloc(s->bp, cap * ENR__TG_NTAGS);
                if (bp)
                        s->bp = bp;
                uint8_t *tg = realloc(s->tags, cap);
                if (tg)
                        s->tags = tg;
                float *bw = realloc(s->bw, cap * ENR__TG_NTAGS * 4);
                if (bw)
                        s->bw = bw;
                float *mg = realloc(s->margin, cap * 4);
                if (mg)
                        s->margin = mg;
                uint32_t *fc =
                    realloc(s->fcache, cap * ENR__TG_MAXF * sizeof(uint32_t));
                if (fc)
                        s->fcache = fc;
                uint8_t *fn = realloc(s->fcount, cap);
                if (fn)
                        s->fcount = fn;
                if (!em || !vs || !bp || !tg || !mg || !fc || !fn || !bw)
                        return ENR_ERR_NOMEM;
                s->lat_cap = cap;
        }
        /* The document table stays at most half full. */
        cap = 1024;
        while (cap < 2 * n)
                cap *= 2;
        if (cap > s->doc_cap) {
                enr__tg_docslot_t *d = realloc(s->doc, cap * sizeof(*d));
                if (!d)
                        return ENR_ERR_NOMEM;
                s->doc     = d;
                s->doc_cap = cap;
        }
        return ENR_OK;
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

enr_err_t enr__tagger_prepare(enr_tagger_scratch_t *s, const enr_text_t *t,
                              const enr_gazetteer_t *g, uint32_t fs,
                              const enr_tagger_t *tg) {
        enr_err_t err;
        size_t    n = t->ntoks, lo = 0, bytes = 0;

        /* Tokens must lie in the text, in order, without overlap: the
         * lower-case buffer is sized by their total length. */
        for (size_t i = 0; i < n; i++) {
                if (t->toks[i].end < t->toks[i].start ||
                    t->toks[i].end > t->len ||
                    (i > 0 && t->toks[i].start < t->toks[i - 1].end))
                        return ENR_ERR_INVALID_ARG;
                bytes += t->toks[i].end - t->toks[i].start;
        }
        if ((err = enr__tagger_reserve(s, n, bytes)))
                return err;
        /* The gazetteer look-ups are cache misses: each word's slot is
         * prefetched GAZ_AHEAD tokens before it is read. */
        bool gaz = g && (fs & ENR_TAGGER_FS_GAZ);
        bool lex = tg && tg->lex &&
                   (fs & (ENR_TAGGER_FS_CASE | ENR_TAGGER_FS_CLUSTER));
        uint32_t gh[GAZ_AHEAD];
        for (size_t i = 0; gaz && i < GAZ_AHEAD && i < n; i++) {
                gh[i] = enr_gazetteer_hash(t->s + t->toks[i].start,
                                           t->toks[i].end - t->toks[i].start);
                enr_gazetteer_word_prefetch(g, gh[i]);
        }
        for (size_t i = 0; i < n; i++) {
                enr__tg_tok_t       *k = &s->tok[i];
                const unsigned char *p =
                    (const unsigned char *)t->s + t->toks[i].start;
                size_t   len = t->toks[i].end - t->toks[i].start;
                uint32_t h   = gaz ? gh[i % GAZ_AHEAD] : 0;

                if (gaz && i + GAZ_AHEAD < n) {
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
                if (gaz && (k->cap & ENR__TK_LETTER))
                        k->gaz = enr_gazetteer_word_hashed(g, (const char *)p,
                                                           len, h);
        }
        /* The lexicon (case classes, clusters) is far larger than the
         * caches: its slots were prefetched above, read here. */
        for (size_t i = 0; lex && i < n; i++) {
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
        /*
         * Segments: sentences, also cut at line breaks, so a headline or a
         * dateline on its own line is decoded on its own even when the
         * sentence splitter joined it to the next line (CoNLL sentences
         * are lines, so training sees the same segments).
         */
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
        /* All-capitals segments (headlines) and gazetteer entries. */
        for (size_t si = 0; si < s->nseg; si++) {
                size_t a = s->seg[si].tok_start, b = s->seg[si].tok_end;
                bool   lower = false, letters = false;
                for (size_t i = a; i < b; i++) {
                        uint8_t c = s->tok[i].cap;
                        letters |= (c & ENR__TK_LETTER) != 0;
                        if ((c & ENR__TK_LETTER) && !(c & ENR__TK_ALL_UPPER))
                                lower = true;
                }
                if (letters && !lower)
                        for (size_t i = a; i < b; i++)
                                s->tok[i].cap |= ENR__TK_HEADLINE;
                if (g && (fs & ENR_TAGGER_FS_GAZ)) {
                        for (size_t i = a; i < b;) {
                                enr_gaz_match_t m;
                                /* Entries start with a capital letter
                                 * (case matters on the first letter). */
                                if ((s->tok[i].cap & ENR__TK_INIT_UPPER) &&
                                    enr_gazetteer_match(g, t, i, b, &m) &&
                                    m.ntoks > 0 && i + m.ntoks <= b) {
                                        for (size_t j = 0; j < m.ntoks; j++) {
                                                s->tok[i + j].gspan = m.classes;
                                                s->tok[i + j].gpos =
                                                    j == 0 ? 1 : 2;
                                        }
                                        i += m.ntoks;
                                } else {
                                        i++;
                                }
                        }
                }
        }
        if (fs & ENR_TAGGER_FS_RUNS) {
                /* Runs of two or more capitalised words outside
                 * headlines ("Bill Clinton"): where each token stands in
                 * its run, and in the document table below, where its
                 * word stood in any run of the document. */
                for (size_t si = 0; si < s->nseg; si++) {
                        size_t a = s->seg[si].tok_start, b = s->seg[si].tok_end;
                        for (size_t i = a; i < b;) {
                                size_t j = i;
                                while (j < b &&
                                       (s->tok[j].cap & ENR__TK_INIT_UPPER) &&
                                       !(s->tok[j].cap & ENR__TK_HEADLINE))
                                        j++;
                                if (j - i >= 2)
                                        for (size_t m = i; m < j; m++)
                                                s->tok[m].run =
                                                    m == i ? ENR__RUN_FIRST
                                                    : m + 1 == j
                                                        ? ENR__RUN_LAST
                                                        : ENR__RUN_INNER;
                                i = j > i ? j : i + 1;
                        }
                }
        }
        if (fs & (ENR_TAGGER_FS_DOC | ENR_TAGGER_FS_STACK)) {
                memset(s->doc, 0, s->doc_cap * sizeof(*s->doc));
                for (size_t i = 0; (fs & ENR_TAGGER_FS_RUNS) && i < n; i++)
                        if (s->tok[i].run)
                                doc_slot(s, s->tok[i].lh)->flags |=
                                    ENR__DOC_RUN << (s->tok[i].run - 1);
                for (size_t i = 0; i < n; i++) {
                        uint8_t c = s->tok[i].cap;
                        if (c & ENR__TK_LOWER)
                                doc_slot(s, s->tok[i].lh)->flags |=
                                    ENR__DOC_LOWER;
                        else if ((c & ENR__TK_INIT_UPPER) &&
                                 !(c & (ENR__TK_SENT_START | ENR__TK_HEADLINE)))
                                doc_slot(s, s->tok[i].lh)->flags |=
                                    ENR__DOC_CAP_MID;
                }
                for (size_t i = 0; i < n; i++)
                        s->tok[i].doc =
                            (uint8_t)doc_slot(s, s->tok[i].lh)->flags;
        }
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

/* Tags rounded up to whole vectors of four floats, for the decoder. */
#define TG_NV  ((ENR__TG_NTAGS + 3) / 4)
#define TG_NTP (TG_NV * 4)

/* Four floats or four integers (GCC and clang vector extensions). */
typedef float   tg_v4f __attribute__((vector_size(16)));
typedef int32_t tg_v4i __attribute__((vector_size(16)));

void enr__tagger_viterbi(enr_tagger_scratch_t *s, const float *trans, size_t a,
                         size_t b) {
        const unsigned NT  = ENR__TG_NTAGS;
        const float    NEG = -1e30f;
        /* The transitions with the ones BILOU forbids at NEG, rows padded:
         * the inner loop then runs over all tags four at a time without a
         * branch. A forbidden step scores at most NEG (the scores are far
         * smaller than NEG's precision), so it never beats the NEG a
         * maximum starts from: the result is the same as visiting only
         * the allowed predecessors, in the same order. */
        union {
                tg_v4f v[TG_NV];
                float  f[TG_NTP];
        } tm[ENR__TG_NTAGS];

        if (a >= b)
                return;
        for (unsigned p = 0; p < NT; p++)
                for (unsigned c = 0; c < TG_NTP; c++)
                        tm[p].f[c] = c < NT && enr__tagger_allowed(p, c)
                                         ? trans[p * NT + c]
                                         : NEG;
        for (unsigned c = 0; c < NT; c++)
                s->vs[a * NT + c] = enr__tagger_allowed(NT, c)
                                        ? trans[NT * NT + c] + s->em[a * NT + c]
                                        : NEG;
        for (size_t i = a + 1; i < b; i++) {
                const float *prev = &s->vs[(i - 1) * NT];
                union {
                        tg_v4f v[TG_NV];
                        float  f[TG_NTP];
                } best;
                union {
                        tg_v4i  v[TG_NV];
                        int32_t i[TG_NTP];
                } arg;

                for (unsigned k = 0; k < TG_NV; k++) {
                        best.v[k] = (tg_v4f){NEG, NEG, NEG, NEG};
                        arg.v[k]  = (tg_v4i){0, 0, 0, 0};
                }
                for (unsigned p = 0; p < NT; p++) {
                        const float  pv = prev[p];
                        const tg_v4i pp = {(int32_t)p, (int32_t)p, (int32_t)p,
                                           (int32_t)p};

                        if (pv <= NEG)
                                continue;
                        for (unsigned k = 0; k < TG_NV; k++) {
                                tg_v4f v  = pv + tm[p].v[k];
                                tg_v4i gt = v > best.v[k];
                                best.v[k] = (tg_v4f)(((tg_v4i)v & gt) |
                                                     ((tg_v4i)best.v[k] & ~gt));
                                arg.v[k]  = (pp & gt) | (arg.v[k] & ~gt);
                        }
                }
                for (unsigned c = 0; c < NT; c++) {
                        s->vs[i * NT + c] = best.f[c] <= NEG
                                                ? NEG
                                                : best.f[c] + s->em[i * NT + c];
                        s->bp[i * NT + c] = (uint8_t)arg.i[c];
                }
        }
        float   best = NEG;
        uint8_t arg  = 0;
        for (unsigned c = 0; c < NT; c++)
                if (enr__tagger_final(c) && s->vs[(b - 1) * NT + c] > best) {
                        best = s->vs[(b - 1) * NT + c];
                        arg  = (uint8_t)c;
                }
        for (size_t i = b; i-- > a;) {
                s->tags[i] = arg;
                if (i > a)
                        arg = s->bp[i * NT + arg];
        }
}

enr_err_t enr__tagger_spans(enr_tagger_scratch_t *s, size_t n, size_t *nspans) {
        size_t ns = 0;
        for (size_t i = 0; i < n; i++) {
                unsigned tag = s->tags[i];
                if (tag == 0 || (ENR__TG_PART(tag) != ENR__TG_B &&
                                 ENR__TG_PART(tag) != ENR__TG_U))
                        continue;
                size_t j = i + 1;
                float  m = s->margin[i];
                if (ENR__TG_PART(tag) == ENR__TG_B) {
                        while (j < n && s->tags[j] != 0 &&
                               ENR__TG_TYPE(s->tags[j]) == ENR__TG_TYPE(tag) &&
                               (ENR__TG_PART(s->tags[j]) == ENR__TG_I ||
                                ENR__TG_PART(s->tags[j]) == ENR__TG_L)) {
                                if (s->margin[j] < m)
                                        m = s->margin[j];
                                j++;
                                if (ENR__TG_PART(s->tags[j - 1]) == ENR__TG_L)
                                        break;
                        }
                }
                if (grow((void **)&s->spans, &s->spans_cap, ns + 1,
                         sizeof(*s->spans)))
                        return ENR_ERR_NOMEM;
                s->spans[ns].start = (uint32_t)i;
                s->spans[ns].end   = (uint32_t)j;
                s->spans[ns].type  = (uint8_t)ENR__TG_TYPE(tag);
                /* Calibrated on CoNLL-2003 dev for the shipped model: a
                 * span's score is about the precision of spans with its
                 * margin (margin 5: 0.5, 45: 0.8, 95: 0.96). */
                s->spans[ns].score = 1.0f / (1.0f + expf(-(m - 5.0f) / 29.0f));
                s->spans[ns].aligned = 1;
                ns++;
                i = j - 1;
        }
        *nspans = ns;
        return ENR_OK;
}

enr_tagger_t *enr__tagger_alloc(uint32_t log2, uint32_t npass) {
        enr_tagger_t *tg = calloc(1, sizeof(*tg));
        if (!tg)
                return NULL;
        tg->log2  = log2;
        tg->npass = npass;
        for (uint32_t p = 0; p < npass; p++) {
                tg->pass[p].scale = 1;
                tg->pass[p].w =
                    calloc((size_t)ENR__TG_NTAGS << log2, sizeof(int16_t));
                if (!tg->pass[p].w) {
                        enr_tagger_destroy(tg);
                        return NULL;
                }
        }
        return tg;
}

void enr_tagger_destroy(enr_tagger_t *tg) {
        if (!tg)
                return;
        for (uint32_t p = 0; p < ENR__TG_MAX_PASS; p++)
                free(tg->pass[p].w);
        free(tg->case_keys);
        free(tg->case_cls);
        free(tg->cl_keys);
        free(tg->cl_rows);
        free(tg->cl_tree);
        free(tg->lex);
        free(tg);
}

uint32_t enr_tagger_features(const enr_tagger_t *tg) {
        return tg->fs;
}

enr_tagger_scratch_t *enr_tagger_scratch_new(const enr_tagger_t *tg) {
        enr_tagger_scratch_t *s = calloc(1, sizeof(*s));

        /* Arrays grow on first use; nothing depends on the model. */
        (void)tg;
        if (!s)
                return NULL;
        /* The tags BILOU allows after each tag, for the backward pass. */
        for (unsigned c = 0; c < ENR__TG_NTAGS; c++)
                for (unsigned o = 0; o < ENR__TG_NTAGS; o++)
                        if (enr__tagger_allowed(c, o))
                                s->next_of[c][s->n_next[c]++] = (uint8_t)o;
        return s;
}

void enr_tagger_scratch_destroy(enr_tagger_scratch_t *s) {
        if (!s)
                return;
        free(s->tok);
        free(s->lower);
        free(s->doc);
        free(s->em);
        free(s->vs);
        free(s->bp);
        free(s->tags);
        free(s->margin);
        free(s->bw);
        free(s->fcache);
        free(s->seg);
        free(s->fcount);
        free(s->spans);
        enr_text_clear(&s->syn);
        free(s->syn_s);
        free(s->syn_off);
        free(s);
}

/*
 * Confidence of the decoded tags of segment [a, b): for each token tagged
 * other than O, the best score of a whole path through a tag of the
 * decoded type (B, I, L or U of PER, say) minus the best through any other
 * type or O (max-marginals, from the forward scores in s->vs and a
 * backward pass).
 */
static void max_margins(enr_tagger_scratch_t *s, const float *trans, size_t a,
                        size_t b) {
        const unsigned NT  = ENR__TG_NTAGS;
        const float    NEG = -1e30f;
        float         *bw  = s->bw;

        /* Only the tokens of spans need a margin (enr__tagger_spans reads
         * no other): a segment without one needs no backward pass, and
         * the pass stops at its first span token. */
        while (a < b && s->tags[a] == 0)
                a++;
        if (a >= b)
                return;
        for (unsigned c = 0; c < NT; c++)
                bw[(b - 1) * NT + c] = enr__tagger_final(c) ? 0 : NEG;
        for (size_t i = b - 1; i-- > a;) {
                const float *next = &bw[(i + 1) * NT];
                const float *em   = &s->em[(i + 1) * NT];
                for (unsigned c = 0; c < NT; c++) {
                        float best = NEG;
                        for (unsigned k = 0; k < s->n_next[c]; k++) {
                                unsigned n = s->next_of[c][k];
                                if (next[n] <= NEG)
                                        continue;
                                float v = trans[c * NT + n] + em[n] + next[n];
                                if (v > best)
                                        best = v;
                        }
                        bw[i * NT + c] = best;
                }
        }
        for (size_t i = a; i < b; i++) {
                unsigned tag  = s->tags[i];
                float    mine = NEG, other = NEG;

                if (tag == 0)
                        continue;
                for (unsigned c = 0; c < NT; c++) {
                        float f = s->vs[i * NT + c], r = bw[i * NT + c];
                        float v    = f <= NEG || r <= NEG ? NEG : f + r;
                        bool  same = tag == 0 ? c == 0
                                              : c != 0 && ENR__TG_TYPE(c) ==
                                                             ENR__TG_TYPE(tag);
                        if (same && v > mine)
                                mine = v;
                        if (!same && v > other)
                                other = v;
                }
                s->margin[i] = other <= NEG ? 1e6f : mine - other;
        }
}

/* How many tokens ahead the weight rows are prefetched. */
#define TAGGER_PREFETCH 2

/* Computes the emissions of one pass and decodes every sentence. */
static void run_pass(const enr_tagger_t *tg, enr_tagger_scratch_t *s,
                     const enr_text_t *t, unsigned pass, bool margins) {
        const unsigned           NT = ENR__TG_NTAGS;
        const enr__tg_weights_t *wp = &tg->pass[pass];
        uint32_t                 f[ENR__TG_MAXF];
        float                    trans[(ENR__TG_NTAGS + 1) * ENR__TG_NTAGS];
        float                    inv = 1.0f / wp->scale;

        for (size_t i = 0; i < (NT + 1) * NT; i++)
                trans[i] = wp->trans[i] * inv;
        /* The first pass computes the base features of every token once
         * (the second reuses them and adds the stacked ones), before any
         * summing, so that the weight rows of the tokens ahead can be
         * prefetched: the tables are far larger than the caches, and the
         * loads, not the additions, are what tagging waits for. */
        if (pass == 0)
                for (size_t i = 0; i < t->ntoks; i++)
                        s->fcount[i] = (uint8_t)enr__tagger_features(
                            s, t, i, tg->fs, 0, tg->seed, tg->log2,
                            s->fcache + i * ENR__TG_MAXF);
        for (size_t i = 0; i < t->ntoks; i++) {
                int32_t         acc[ENR__TG_NTAGS] = {0};
                const uint32_t *base = s->fcache + i * ENR__TG_MAXF;
                size_t          nb = s->fcount[i], nf = 0;

                if (i + TAGGER_PREFETCH < t->ntoks) {
                        const uint32_t *ahead =
                            s->fcache + (i + TAGGER_PREFETCH) * ENR__TG_MAXF;
                        for (size_t j = 0; j < s->fcount[i + TAGGER_PREFETCH];
                             j++) {
                                const int16_t *w =
                                    wp->w + (size_t)ahead[j] * NT;
                                __builtin_prefetch(w);
                                __builtin_prefetch(w + NT - 1);
                        }
                }
                if (pass > 0)
                        nf = enr__tagger_features(s, t, i, tg->fs,
                                                  ENR__TG_STACK_ONLY, tg->seed,
                                                  tg->log2, f);
                for (size_t j = 0; j < nb; j++) {
                        const int16_t *w = wp->w + (size_t)base[j] * NT;
                        for (unsigned c = 0; c < NT; c++)
                                acc[c] += w[c];
                }
                for (size_t j = 0; j < nf; j++) {
                        const int16_t *w = wp->w + (size_t)f[j] * NT;
                        for (unsigned c = 0; c < NT; c++)
                                acc[c] += w[c];
                }
                for (unsigned c = 0; c < NT; c++)
                        s->em[i * NT + c] = (float)acc[c] * inv;
        }
        for (size_t si = 0; si < s->nseg; si++) {
                enr__tagger_viterbi(s, trans, s->seg[si].tok_start,
                                    s->seg[si].tok_end);
                if (margins)
                        max_margins(s, trans, s->seg[si].tok_start,
                                    s->seg[si].tok_end);
        }
}

enr_err_t enr_tagger_tag(const enr_tagger_t *tg, enr_tagger_scratch_t *s,
                         const enr_text_t *t, const enr_tagger_span_t **spans,
                         size_t *nspans) {
        enr_err_t err;

        *spans  = NULL;
        *nspans = 0;
        if ((err = enr__tagger_prepare(s, t, tg->g, tg->fs, tg)))
                return err;
        run_pass(tg, s, t, 0, tg->npass == 1);
        if (tg->npass > 1) {
                enr__tagger_aggregate(s, t->ntoks);
                run_pass(tg, s, t, 1, true);
        }
        if ((err = enr__tagger_spans(s, t->ntoks, nspans)))
                return err;
        *spans = s->spans;
        return ENR_OK;
}

enr_err_t enr__tagger_conll_text(enr_tagger_scratch_t  *s,
                                 const enr_conll_doc_t *doc) {
        size_t    len = 0, o = 0, si = 0;
        enr_err_t err;

        if (doc->ntoks > ENR_TAGGER_MAX_TOKENS)
                return ENR_ERR_LIMIT;
        for (uint32_t i = 0; i < doc->ntoks; i++)
                len += strlen(doc->toks[i]) + 1;
        if (grow((void **)&s->syn_s, &s->syn_cap, len + 1, 1) ||
            grow((void **)&s->syn_off, &s->syn_off_cap, doc->ntoks + 1,
                 sizeof(*s->syn_off)))
                return ENR_ERR_NOMEM;
        /* The text enr_conll_text() makes: tokens joined by spaces,
         * sentences by newlines. */
        for (uint32_t i = 0; i < doc->ntoks; i++) {
                size_t n   = strlen(doc->toks[i]);
                bool   brk = false;
                while (si < doc->nsents && doc->sent_end[si] <= i) {
                        si++;
                        brk = true;
                }
                if (i > 0)
                        s->syn_s[o++] = brk ? '\n' : ' ';
                s->syn_off[i] = (uint32_t)o;
                memcpy(s->syn_s + o, doc->toks[i], n);
                o += n;
        }
        s->syn_off[doc->ntoks] = (uint32_t)o;
        s->syn_s[o]            = '\0';
        s->syn_ntoks           = doc->ntoks;
        err = enr_text_analyze(&s->syn, s->syn_s, o, ENR_TAGGER_MAX_TOKENS,
                               NULL, 0);
        return err;
}

/* The CoNLL token starting at byte b (end: ending at b), or -1. */
static int64_t conll_tok_at(const enr_tagger_scratch_t *s,
                            const enr_conll_doc_t *doc, uint32_t b, bool end) {
        size_t lo = 0, hi = s->syn_ntoks;
        while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                if (s->syn_off[mid] <= b)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        /* lo - 1 is the last token starting at or before b. */
        if (lo == 0)
                return -1;
        size_t k = lo - 1;
        if (!end)
                return s->syn_off[k] == b ? (int64_t)k : -1;
        /* For an end, the token must end exactly at b. */
        if (s->syn_off[k] + strlen(doc->toks[k]) == b)
                return (int64_t)k;
        if (k > 0 && s->syn_off[k - 1] + strlen(doc->toks[k - 1]) == b)
                return (int64_t)(k - 1);
        return -1;
}

enr_err_t enr__tagger_gold(const enr_tagger_scratch_t *s,
                           const enr_conll_doc_t *doc, uint8_t *g) {
        const enr_text_t *t = &s->syn;
        size_t            j = 0;

        memset(g, 0, t->ntoks);
        for (uint32_t k = 0; k < doc->nspans; k++) {
                const enr_conll_span_t *sp = &doc->spans[k];
                int                     ty = enr__tagger_type_parse(sp->type);
                if (ty < 0 || sp->start >= sp->end || sp->end > doc->ntoks)
                        continue;
                uint32_t bs = s->syn_off[sp->start];
                uint32_t be = s->syn_off[sp->end - 1] +
                              (uint32_t)strlen(doc->toks[sp->end - 1]);
                while (j < t->ntoks && t->toks[j].start < bs)
                        j++;
                size_t a = j;
                while (j < t->ntoks && t->toks[j].end <= be)
                        j++;
                if (j == a)
                        continue;
                if (j - a == 1) {
                        g[a] = ENR__TG_TAG(ty, ENR__TG_U);
                        continue;
                }
                g[a] = ENR__TG_TAG(ty, ENR__TG_B);
                for (size_t i = a + 1; i + 1 < j; i++)
                        g[i] = ENR__TG_TAG(ty, ENR__TG_I);
                g[j - 1] = ENR__TG_TAG(ty, ENR__TG_L);
        }
        return ENR_OK;
}

enr_err_t enr_tagger_tag_conll(const enr_tagger_t *tg, enr_tagger_scratch_t *s,
                               const enr_conll_doc_t    *doc,
                               const enr_tagger_span_t **spans,
                               size_t                   *nspans) {
        enr_err_t err = enr__tagger_conll_text(s, doc);
        if (err)
                return err;
        if ((err = enr_tagger_tag(tg, s, &s->syn, spans, nspans)))
                return err;
        /* Back to CoNLL token indices; a span cutting a CoNLL token is
         * kept, widened, but marked as not aligned. */
        for (size_t i = 0; i < *nspans; i++) {
                enr_tagger_span_t *sp = &s->spans[i];
                uint32_t           bs = s->syn.toks[sp->start].start;
                uint32_t           be = s->syn.toks[sp->end - 1].end;
                int64_t            a  = conll_tok_at(s, doc, bs, false);
                int64_t            b  = conll_tok_at(s, doc, be, true);
                sp->aligned           = a >= 0 && b >= 0 && b >= a;
                if (!sp->aligned) {
                        size_t k = 0;
                        while (k + 1 < doc->ntoks && s->syn_off[k + 1] <= bs)
                                k++;
                        a = (int64_t)k;
                        while (k + 1 < doc->ntoks && s->syn_off[k + 1] < be)
                                k++;
                        b = (int64_t)k;
                }
                sp->start = (uint32_t)a;
                sp->end   = (uint32_t)b + 1;
        }
        return ENR_OK;
}

void enr__tagger_score_doc(enr_tagger_score_t *sc, const enr_tagger_span_t *sp,
                           size_t nsp, const enr_conll_doc_t *doc) {
        size_t j = 0;
        /* Both lists are in token order and do not overlap. */
        for (size_t i = 0; i < nsp; i++) {
                int  ty    = sp[i].type;
                bool match = false;
                while (j < doc->nspans && doc->spans[j].end <= sp[i].start)
                        j++;
                for (size_t k = j;
                     k < doc->nspans && doc->spans[k].start < sp[i].end; k++) {
                        if (sp[i].aligned &&
                            doc->spans[k].start == sp[i].start &&
                            doc->spans[k].end == sp[i].end &&
                            enr__tagger_type_parse(doc->spans[k].type) == ty)
                                match = true;
                }
                if (match)
                        sc->tp[ty]++;
                else
                        sc->fp[ty]++;
        }
        for (size_t k = 0; k < doc->nspans; k++) {
                int ty = enr__tagger_type_parse(doc->spans[k].type);
                if (ty >= 0)
                        sc->fn[ty]++;
        }
        sc->tokens += doc->ntoks;
}

static double f1_of(uint64_t tp, uint64_t fp, uint64_t fn, double *p,
                    double *r) {
        double pp = tp + fp ? 100.0 * tp / (tp + fp) : 0;
        double rr = tp + fn ? 100.0 * tp / (tp + fn) : 0;
        if (p)
                *p = pp;
        if (r)
                *r = rr;
        return pp + rr > 0 ? 2 * pp * rr / (pp + rr) : 0;
}

void enr__tagger_score_finish(enr_tagger_score_t *sc) {
        uint64_t tp = 0, fp = 0, fn = 0;
        /* fn counted every gold span; true positives are not misses. */
        for (int ty = 0; ty < ENR__TG_NTYPES; ty++) {
                sc->fn[ty] -= sc->tp[ty] <= sc->fn[ty] ? sc->tp[ty] : 0;
                sc->f1[ty] =
                    f1_of(sc->tp[ty], sc->fp[ty], sc->fn[ty], NULL, NULL);
                tp += sc->tp[ty];
                fp += sc->fp[ty];
                fn += sc->fn[ty];
        }
        sc->f1_all = f1_of(tp, fp, fn, &sc->precision, &sc->recall);
}

enr_err_t enr_tagger_evaluate(const enr_tagger_t *tg, const enr_conll_t *c,
                              enr_tagger_score_t *score) {
        enr_tagger_scratch_t *s   = enr_tagger_scratch_new(tg);
        enr_err_t             err = ENR_OK;

        memset(score, 0, sizeof(*score));
        if (!s)
                return ENR_ERR_NOMEM;
        for (size_t d = 0; d < c->ndocs; d++) {
                const enr_tagger_span_t *sp;
                size_t                   nsp;
                if ((err = enr_tagger_tag_conll(tg, s, &c->docs[d], &sp, &nsp)))
                        goto out;
                enr__tagger_score_doc(score, sp, nsp, &c->docs[d]);
        }
        enr__tagger_score_finish(score);
out:
        enr_tagger_scratch_destroy(s);
        return err;
}

/* Little-endian helpers for the model file. */
static void put32(unsigned char *p, uint32_t v) {
        p[0] = (unsigned char)v;
        p[1] = (unsigned char)(v >> 8);
        p[2] = (unsigned char)(v >> 16);
        p[3] = (unsigned char)(v >> 24);
}

static uint32_t get32(const unsigned char *p) {
        return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
               (uint32_t)p[3] << 24;
}

static void put16(unsigned char *p, int16_t v) {
        p[0] = (unsigned char)((uint16_t)v);
        p[1] = (unsigned char)((uint16_t)v >> 8);
}

static int16_t get16(const unsigned char *p) {
        return (int16_t)(uint16_t)(p[0] | p[1] << 8);
}

enr_err_t enr_tagger_save(const enr_tagger_t *tg, const char *path,
                          char *errstr, size_t errstr_size) {
        const unsigned NT = ENR__TG_NTAGS;
        size_t         nb = (size_t)1 << tg->log2, o = HDR_SIZE;
        size_t         row = 4 + 2 * NT, len, nrows[ENR__TG_MAX_PASS] = {0};
        unsigned char *buf = NULL;
        enr_err_t      err = ENR_ERR_IO;
        FILE          *fp  = NULL;
        uint32_t       sbits, crc;

        len = HDR_SIZE + NT * 8;
        if (tg->fs & ENR_TAGGER_FS_CASE)
                len += 4 + (size_t)tg->ncase * 9;
        if (tg->fs & ENR_TAGGER_FS_CLUSTER)
                len += 12 + (size_t)tg->ncl_rows * ENR__TG_CL_LEVELS * 2 +
                       (size_t)tg->ncl * 10;
        for (uint32_t p = 0; p < tg->npass; p++) {
                for (size_t b = 0; b < nb; b++)
                        for (unsigned c = 0; c < NT; c++)
                                if (tg->pass[p].w[b * NT + c]) {
                                        nrows[p]++;
                                        break;
                                }
                len += 8 + (NT + 1) * NT * 2 + nrows[p] * row;
        }
        if (!(buf = calloc(1, len))) {
                err = ENR_ERR_NOMEM;
                enr_set_errstr(errstr, errstr_size, "out of memory");
                goto out;
        }
        memcpy(buf, "ENRTAGR", 8);
        put32(buf + 8, ENR_TAGGER_VERSION);
        put32(buf + 12, tg->fs);
        put32(buf + 16, NT);
        put32(buf + 20, tg->log2);
        put32(buf + 24, tg->npass);
        put32(buf + 28, tg->seed);
        put32(buf + 32, tg->gaz_entries);
        put32(buf + 36, (uint32_t)(len - HDR_SIZE));
        put32(buf + 40, tg->dev_f1x100);
        for (unsigned c = 0; c < NT; c++, o += 8)
                memcpy(buf + o, tag_names[c], strlen(tag_names[c]));
        if (tg->fs & ENR_TAGGER_FS_CASE) {
                put32(buf + o, tg->ncase);
                o += 4;
                for (uint32_t i = 0; i < tg->ncase; i++, o += 8) {
                        put32(buf + o, (uint32_t)tg->case_keys[i]);
                        put32(buf + o + 4, (uint32_t)(tg->case_keys[i] >> 32));
                }
                memcpy(buf + o, tg->case_cls, tg->ncase);
                o += tg->ncase;
        }
        if (tg->fs & ENR_TAGGER_FS_CLUSTER) {
                size_t nt = (size_t)tg->ncl_rows * ENR__TG_CL_LEVELS;
                put32(buf + o, tg->ncl_rows);
                put32(buf + o + 4, ENR__TG_CL_LEVELS);
                o += 8;
                for (size_t i = 0; i < nt; i++, o += 2)
                        put16(buf + o, (int16_t)tg->cl_tree[i]);
                put32(buf + o, tg->ncl);
                o += 4;
                for (uint32_t i = 0; i < tg->ncl; i++, o += 8) {
                        put32(buf + o, (uint32_t)tg->cl_keys[i]);
                        put32(buf + o + 4, (uint32_t)(tg->cl_keys[i] >> 32));
                }
                for (uint32_t i = 0; i < tg->ncl; i++, o += 2)
                        put16(buf + o, (int16_t)tg->cl_rows[i]);
        }
        for (uint32_t p = 0; p < tg->npass; p++) {
                const enr__tg_weights_t *wp = &tg->pass[p];
                memcpy(&sbits, &wp->scale, 4);
                put32(buf + o, sbits);
                put32(buf + o + 4, (uint32_t)nrows[p]);
                o += 8;
                for (size_t i = 0; i < (NT + 1) * NT; i++, o += 2)
                        put16(buf + o, wp->trans[i]);
                for (size_t b = 0; b < nb; b++) {
                        const int16_t *w    = wp->w + b * NT;
                        bool           zero = true;
                        for (unsigned c = 0; c < NT && zero; c++)
                                zero = w[c] == 0;
                        if (zero)
                                continue;
                        put32(buf + o, (uint32_t)b);
                        o += 4;
                        for (unsigned c = 0; c < NT; c++, o += 2)
                                put16(buf + o, w[c]);
                }
        }
        crc = crc32_update(0, buf, 44);
        crc = crc32_update(crc, buf + HDR_SIZE, len - HDR_SIZE);
        put32(buf + 44, crc);
        if (!(fp = fopen(path, "wb"))) {
                enr_set_errstr(errstr, errstr_size, "%s: %s", path,
                               strerror(errno));
                goto out;
        }
        if (fwrite(buf, 1, len, fp) != len) {
                enr_set_errstr(errstr, errstr_size, "%s: write failed", path);
                goto out;
        }
        if (fclose(fp) != 0) {
                fp = NULL;
                enr_set_errstr(errstr, errstr_size, "%s: %s", path,
                               strerror(errno));
                goto out;
        }
        fp  = NULL;
        err = ENR_OK;
out:
        if (fp)
                fclose(fp);
        free(buf);
        return err;
}

/*
 * Reads the word clusters of a model file at *o (see tagger.h), checking
 * every bound, into tg.
 */
static enr_err_t load_clusters(enr_tagger_t *tg, const unsigned char *buf,
                               size_t len, size_t *o, char *errstr,
                               size_t errstr_size) {
        uint32_t  nrows, nlev, n;
        uint64_t *keys = NULL;
        uint16_t *rows = NULL, *tree = NULL;
        size_t    nt;
        enr_err_t err = ENR_ERR_MODEL;

        if (len - *o < 8 || (nrows = get32(buf + *o)) > ENR__TG_MAX_CLROWS ||
            nrows == 0 || (nlev = get32(buf + *o + 4)) != ENR__TG_CL_LEVELS ||
            (len - *o - 8) / 2 < (size_t)nrows * nlev + 2) {
                enr_set_errstr(errstr, errstr_size,
                               "model word clusters truncated or with bad "
                               "dimensions");
                return err;
        }
        *o += 8;
        nt = (size_t)nrows * nlev;
        if (!(tree = malloc((nt + 1) * sizeof(*tree))))
                goto nomem;
        for (size_t i = 0; i < nt; i++, *o += 2) {
                tree[i] = (uint16_t)get16(buf + *o);
                if (tree[i] >= ENR__TG_MAX_CLROWS) {
                        enr_set_errstr(errstr, errstr_size,
                                       "model word cluster out of range");
                        goto out;
                }
        }
        if (len - *o < 4 || (n = get32(buf + *o)) > ENR__TG_MAX_CLWORDS ||
            (len - *o - 4) / 10 < n) {
                enr_set_errstr(errstr, errstr_size,
                               "model cluster words truncated or too many");
                goto out;
        }
        *o += 4;
        if (!(keys = malloc(((size_t)n + 1) * sizeof(*keys))) ||
            !(rows = malloc(((size_t)n + 1) * sizeof(*rows))))
                goto nomem;
        for (uint32_t i = 0; i < n; i++, *o += 8) {
                keys[i] = get32(buf + *o) | (uint64_t)get32(buf + *o + 4) << 32;
                if (i > 0 && keys[i] <= keys[i - 1]) {
                        enr_set_errstr(errstr, errstr_size,
                                       "model cluster words out of order at "
                                       "%u",
                                       i);
                        goto out;
                }
        }
        for (uint32_t i = 0; i < n; i++, *o += 2) {
                rows[i] = (uint16_t)get16(buf + *o);
                if (rows[i] >= nrows) {
                        enr_set_errstr(errstr, errstr_size,
                                       "model cluster row out of range at %u",
                                       i);
                        goto out;
                }
        }
        if ((err = enr__tagger_set_clusters(tg, keys, rows, n, tree, nrows)))
                goto nomem;
        err = ENR_OK;
        goto out;
nomem:
        err = ENR_ERR_NOMEM;
        enr_set_errstr(errstr, errstr_size, "out of memory");
out:
        free(keys);
        free(rows);
        free(tree);
        return err;
}

enr_tagger_t *enr_tagger_load_mem(const void *data, size_t len,
                                  const enr_gazetteer_t *g, char *errstr,
                                  size_t errstr_size) {
        const unsigned       NT  = ENR__TG_NTAGS;
        const unsigned char *buf = data;
        enr_tagger_t        *tg  = NULL;
        uint32_t             version, fs, ntags, log2, npass, plen;
        size_t               o = HDR_SIZE, row = 4 + 2 * NT;
        size_t               ptrans = (size_t)(NT + 1) * NT * 2;

        if (len < HDR_SIZE || memcmp(buf, "ENRTAGR", 8) != 0) {
                enr_set_errstr(errstr, errstr_size,
                               "not a tagger model (bad magic or too short)");
                return NULL;
        }
        version = get32(buf + 8);
        fs      = get32(buf + 12);
        ntags   = get32(buf + 16);
        log2    = get32(buf + 20);
        npass   = get32(buf + 24);
        plen    = get32(buf + 36);
        if (version != ENR_TAGGER_VERSION) {
                enr_set_errstr(errstr, errstr_size,
                               "model version %u, this program reads %u",
                               version, ENR_TAGGER_VERSION);
                return NULL;
        }
        if (ntags != NT || log2 < ENR__TG_MIN_LOG2 || log2 > ENR__TG_MAX_LOG2 ||
            (fs & ~ENR__TG_FS_KNOWN) || !(fs & ENR_TAGGER_FS_BASE) ||
            npass != ((fs & ENR_TAGGER_FS_STACK) ? 2u : 1u)) {
                enr_set_errstr(errstr, errstr_size,
                               "model with unsupported dimensions or features "
                               "(tags %u, buckets 2^%u, features 0x%x, "
                               "passes %u)",
                               ntags, log2, fs, npass);
                return NULL;
        }
        if (plen != len - HDR_SIZE) {
                enr_set_errstr(errstr, errstr_size,
                               "model truncated or with trailing bytes "
                               "(%zu payload bytes, header says %u)",
                               len - HDR_SIZE, plen);
                return NULL;
        }
        uint32_t crc = crc32_update(0, buf, 44);
        crc          = crc32_update(crc, buf + HDR_SIZE, len - HDR_SIZE);
        if (crc != get32(buf + 44)) {
                enr_set_errstr(errstr, errstr_size,
                               "model checksum mismatch (corrupt file)");
                return NULL;
        }
        if (len - o < NT * 8) {
                enr_set_errstr(errstr, errstr_size,
                               "model truncated in the tag names");
                return NULL;
        }
        for (unsigned c = 0; c < NT; c++)
                if (strncmp((const char *)buf + o + 8 * c, tag_names[c], 8) !=
                    0) {
                        enr_set_errstr(errstr, errstr_size,
                                       "model tag set differs (tag %u)", c);
                        return NULL;
                }
        o += NT * 8;
        if ((fs & ENR_TAGGER_FS_GAZ) && !g) {
                enr_set_errstr(errstr, errstr_size,
                               "model was trained with gazetteer features "
                               "but no gazetteer is loaded");
                return NULL;
        }
        if (!(tg = enr__tagger_alloc(log2, npass))) {
                enr_set_errstr(errstr, errstr_size, "out of memory");
                return NULL;
        }
        tg->fs          = fs;
        tg->seed        = get32(buf + 28);
        tg->dev_f1x100  = get32(buf + 40);
        tg->g           = (fs & ENR_TAGGER_FS_GAZ) ? g : NULL;
        tg->map_g       = g;
        tg->gaz_entries = get32(buf + 32);
        if (tg->g && tg->gaz_entries != enr_gazetteer_size(tg->g))
                enr_warn("tagger",
                         "the model was trained with a gazetteer of %u "
                         "entries, the loaded one has %zu: its features "
                         "differ, retrain the model (enricher train)",
                         tg->gaz_entries, enr_gazetteer_size(tg->g));
        if (fs & ENR_TAGGER_FS_CASE) {
                uint32_t  n;
                uint64_t *keys;
                enr_err_t err;
                if (len - o < 4 || (n = get32(buf + o)) > ENR__TG_MAX_CASE ||
                    (len - o - 4) / 9 < n) {
                        enr_set_errstr(errstr, errstr_size,
                                       "model case profiles truncated or "
                                       "too many");
                        goto fail;
                }
                o += 4;
                if (!(keys = malloc(((size_t)n + 1) * sizeof(*keys)))) {
                        enr_set_errstr(errstr, errstr_size, "out of memory");
                        goto fail;
                }
                for (uint32_t i = 0; i < n; i++, o += 8)
                        keys[i] = get32(buf + o) | (uint64_t)get32(buf + o + 4)
                                                       << 32;
                for (uint32_t i = 0; i < n; i++)
                        if ((i > 0 && keys[i] <= keys[i - 1]) ||
                            buf[o + i] < 1 || buf[o + i] > 7) {
                                free(keys);
                                enr_set_errstr(errstr, errstr_size,
                                               "model case profiles out of "
                                               "order or invalid at %u",
                                               i);
                                goto fail;
                        }
                err = enr__tagger_set_case(tg, keys, buf + o, n);
                free(keys);
                if (err) {
                        enr_set_errstr(errstr, errstr_size, "out of memory");
                        goto fail;
                }
                o += n;
        }
        if ((fs & ENR_TAGGER_FS_CLUSTER) &&
            load_clusters(tg, buf, len, &o, errstr, errstr_size) != ENR_OK)
                goto fail;
        for (uint32_t p = 0; p < npass; p++) {
                enr__tg_weights_t *wp = &tg->pass[p];
                uint32_t           sbits, nrows;
                int64_t            prev = -1;
                if (len - o < 8 + ptrans) {
                        enr_set_errstr(errstr, errstr_size,
                                       "model truncated in pass %u", p + 1);
                        goto fail;
                }
                sbits = get32(buf + o);
                nrows = get32(buf + o + 4);
                memcpy(&wp->scale, &sbits, 4);
                o += 8;
                if (!(wp->scale > 0) || !isfinite(wp->scale) ||
                    nrows > (1u << log2) || (len - o - ptrans) / row < nrows) {
                        enr_set_errstr(errstr, errstr_size,
                                       "model pass %u has a bad scale or "
                                       "row count (truncated?)",
                                       p + 1);
                        goto fail;
                }
                for (size_t i = 0; i < (NT + 1) * NT; i++, o += 2)
                        wp->trans[i] = get16(buf + o);
                for (uint32_t r = 0; r < nrows; r++) {
                        uint32_t b = get32(buf + o);
                        if ((int64_t)b <= prev || b >= (1u << log2)) {
                                enr_set_errstr(errstr, errstr_size,
                                               "model rows out of order at "
                                               "row %u of pass %u",
                                               r, p + 1);
                                goto fail;
                        }
                        prev = b;
                        o += 4;
                        for (unsigned c = 0; c < NT; c++, o += 2)
                                wp->w[(size_t)b * NT + c] = get16(buf + o);
                }
        }
        if (o != len) {
                enr_set_errstr(errstr, errstr_size,
                               "model has %zu trailing bytes", len - o);
                goto fail;
        }
        return tg;
fail:
        enr_tagger_destroy(tg);
        return NULL;
}

enr_tagger_t *enr_tagger_load(const char *path, const enr_gazetteer_t *g,
                              char *errstr, size_t errstr_size) {
        FILE          *fp  = fopen(path, "rb");
        unsigned char *buf = NULL;
        enr_tagger_t  *tg  = NULL;
        long           size;

        if (!fp) {
                enr_set_errstr(errstr, errstr_size, "%s: %s", path,
                               strerror(errno));
                return NULL;
        }
        if (fseek(fp, 0, SEEK_END) != 0 || (size = ftell(fp)) < 0 ||
            fseek(fp, 0, SEEK_SET) != 0) {
                enr_set_errstr(errstr, errstr_size, "%s: cannot seek", path);
                goto out;
        }
        if ((unsigned long)size > ENR_TAGGER_MAX_FILE) {
                enr_set_errstr(errstr, errstr_size,
                               "%s: model larger than %u bytes", path,
                               ENR_TAGGER_MAX_FILE);
                goto out;
        }
        if (!(buf = malloc(size ? (size_t)size : 1))) {
                enr_set_errstr(errstr, errstr_size, "out of memory");
                goto out;
        }
        if (fread(buf, 1, (size_t)size, fp) != (size_t)size) {
                enr_set_errstr(errstr, errstr_size, "%s: read failed", path);
                goto out;
        }
        tg = enr_tagger_load_mem(buf, (size_t)size, g, errstr, errstr_size);
        if (!tg) {
                /* Prefix the reason with the path. */
                char reason[256];
                snprintf(reason, sizeof(reason), "%s", errstr ? errstr : "");
                enr_set_errstr(errstr, errstr_size, "%s: %s", path, reason);
        }
out:
        fclose(fp);
        free(buf);
        return tg;
}

/* Words that make a MISC span an event or a law (lower case). */
static const char *const event_words[] = {
    "cup",        "championship", "championships",
    "olympics",   "olympic",      "games",
    "war",        "open",         "league",
    "tournament", "festival",     "series",
    "prix",       "rally",        "marathon",
    "trophy",     "masters",      "classic",
    "election",   "summit",       "conference",
    NULL};
static const char *const law_words[] = {"act",          "treaty",  "accord",
                                        "convention",   "charter", "law",
                                        "constitution", NULL};

static bool tok_is(const enr_text_t *t, size_t i, const char *const *words) {
        for (size_t k = 0; words[k]; k++)
                if (enr_tok_ieq(t, i, words[k]))
                        return true;
        return false;
}

/* Words after a law word that keep it the head ("Treaty of Rome"). */
static const char *const law_links[] = {"of", "on", NULL};

/* Whether a span has an event word. */
static bool has_event_word(const enr_text_t *t, const enr_tagger_span_t *sp) {
        for (size_t i = sp->start; i < sp->end; i++)
                if (tok_is(t, i, event_words))
                        return true;
        return false;
}

/* Whether a single word ends like a demonym or nationality. */
static bool demonym_like(const enr_text_t *t, size_t i) {
        static const char *const suf[] = {"an", "ese", "ish", "i", "ic",
                                          "ch", "ss",  "ean", NULL};
        const char              *p     = t->s + t->toks[i].start;
        size_t                   n     = t->toks[i].end - t->toks[i].start;
        for (size_t k = 0; suf[k]; k++) {
                size_t m = strlen(suf[k]);
                if (n > m + 2 && strncmp(p + n - m, suf[k], m) == 0)
                        return true;
        }
        return false;
}

/* Whether a single word is the plural of a demonym ("Lankans"). */
static bool demonyms_like(const enr_text_t *t, size_t i) {
        const char *p = t->s + t->toks[i].start;
        size_t      n = t->toks[i].end - t->toks[i].start;

        return n > 5 && (strncmp(p + n - 3, "ans", 3) == 0 ||
                         strncmp(p + n - 3, "ics", 3) == 0);
}

/*
 * The entity type of a decoded span (see enr_tagger_extract() in
 * tagger.h); *guess is set when a MISC span became NORP for want of a
 * better type.
 */
static enr_ent_type_t map_type(const enr_tagger_t *tg, const enr_text_t *t,
                               const enr_tagger_span_t *sp, char code[4],
                               bool *guess) {
        enr_gaz_match_t m;
        bool            whole = false;

        code[0] = '\0';
        /* The whole span as listed, else case-folded (headlines). */
        if (tg->map_g &&
            ((enr_gazetteer_match(tg->map_g, t, sp->start, sp->end, &m) &&
              m.ntoks == sp->end - sp->start) ||
             (enr_gazetteer_match_folded(tg->map_g, t, sp->start, sp->end,
                                         &m) &&
              m.ntoks == sp->end - sp->start)))
                whole = true;
        else
                memset(&m, 0, sizeof(m));
        switch (sp->type) {
        case 0:
                return ENR_ENT_PERSON;
        case 1:
                return ENR_ENT_ORG;
        case 2:
                if (whole && (m.classes & (ENR_GAZ_COUNTRY | ENR_GAZ_REGION |
                                           ENR_GAZ_CITY))) {
                        memcpy(code, m.code, 3);
                        code[3] = '\0';
                        return ENR_ENT_GPE;
                }
                if (!tg->map_g)
                        return ENR_ENT_GPE;
                return ENR_ENT_LOC;
        default:
                break;
        }
        if (whole && (m.classes & ENR_GAZ_NORP)) {
                memcpy(code, m.code, 3);
                code[3] = '\0';
                return ENR_ENT_NORP;
        }
        /* A law word heads a law's name: it ends it or comes before "of"
         * or "on" ("Terrorism Act", "Treaty of Rome"); elsewhere it does
         * not ("Law Lords"), nor in an award ("Best Dance Act"). */
        for (size_t i = sp->start; i < sp->end; i++)
                if (tok_is(t, i, law_words) &&
                    (i + 1 == sp->end || tok_is(t, i + 1, law_links)) &&
                    !enr_tok_ieq(t, sp->start, "best"))
                        return ENR_ENT_LAW;
        /* Names of several words listed as events that end like a demonym
         * are groups ("Sri Lankans", "Roman Catholic"). */
        if (whole && (m.classes & ENR_GAZ_EVENT) && sp->end - sp->start > 1 &&
            (demonym_like(t, sp->end - 1) || demonyms_like(t, sp->end - 1)) &&
            !has_event_word(t, sp))
                return ENR_ENT_NORP;
        /* An organisation word at the end makes an organisation, whatever
         * event word comes before ("Hellenic Olympic Committee"). */
        if (tg->map_g && sp->end - sp->start > 1 &&
            !tok_is(t, sp->end - 1, event_words) &&
            (enr_gazetteer_word(tg->map_g, t->s + t->toks[sp->end - 1].start,
                                t->toks[sp->end - 1].end -
                                    t->toks[sp->end - 1].start) &
             ENR_GAZ_ORG_SUFFIX))
                return ENR_ENT_ORG;
        if (whole && (m.classes & ENR_GAZ_EVENT))
                return ENR_ENT_EVENT;
        if (has_event_word(t, sp))
                return ENR_ENT_EVENT;
        *guess = !(sp->end - sp->start == 1 && demonym_like(t, sp->start));
        return ENR_ENT_NORP;
}

enr_err_t enr_tagger_extract(const enr_tagger_t *tg, enr_tagger_scratch_t *s,
                             const enr_text_t *t, enr_field_t field,
                             enr_mentions_t *out, size_t max) {
        const enr_tagger_span_t *sp;
        size_t                   nsp;
        enr_err_t                err;

        if ((err = enr_tagger_tag(tg, s, t, &sp, &nsp)))
                return err;
        for (size_t i = 0; i < nsp; i++) {
                char           code[4];
                bool           guess = false;
                enr_ent_type_t type  = map_type(tg, t, &sp[i], code, &guess);
                enr_mention_t *m =
                    enr_mentions_push(out, field, t->toks[sp[i].start].start,
                                      t->toks[sp[i].end - 1].end, type, max);
                if (!m)
                        return max && out->n >= max ? ENR_ERR_LIMIT
                                                    : ENR_ERR_NOMEM;
                /* A guessed type lowers the confidence. */
                m->score  = guess ? 0.8f * sp[i].score : sp[i].score;
                m->source = ENR_SRC_TAGGER;
                memcpy(m->code, code, sizeof(m->code));
        }
        return ENR_OK;
}
