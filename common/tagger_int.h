/*
 * Internals shared by the tagger's files: tagger.c (the model and scratch
 * objects, the mapping of spans to entity types), tagger_features.c (token
 * analysis and the feature function), tagger_decode.c (constrained
 * Viterbi and tagging), tagger_model.c (the model file), tagger_score.c
 * (CoNLL documents and scoring) and tagger_train.c (the averaged
 * perceptron). Not a public header.
 */
#ifndef ENRICHER_TAGGER_INT_H
#define ENRICHER_TAGGER_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "enricher/tagger.h"

/* BILOU over four types: tag 0 is O, then B, I, L, U of each type. */
#define ENR__TG_NTAGS           17
#define ENR__TG_NTYPES          4
#define ENR__TG_B               0
#define ENR__TG_I               1
#define ENR__TG_L               2
#define ENR__TG_U               3
#define ENR__TG_TAG(type, part) ((uint8_t)(1 + (type)*4 + (part)))
#define ENR__TG_TYPE(tag)       (((unsigned)(tag)-1) / 4)
#define ENR__TG_PART(tag)       (((unsigned)(tag)-1) % 4)

/* The most features one token can have. */
#define ENR__TG_MAXF 96

/* enr__tagger_features() pass value: only the stacked features. */
#define ENR__TG_STACK_ONLY 2

/* Bounds on the hash table size of a model. */
#define ENR__TG_MIN_LOG2 16
#define ENR__TG_MAX_LOG2 22

/* Every feature set this code knows. */
#define ENR__TG_FS_KNOWN                                                       \
        (ENR_TAGGER_FS_BASE | ENR_TAGGER_FS_DOC | ENR_TAGGER_FS_GAZ |          \
         ENR_TAGGER_FS_STACK | ENR_TAGGER_FS_CASE | ENR_TAGGER_FS_CLUSTER |    \
         ENR_TAGGER_FS_RUNS | ENR_TAGGER_FS_LEAN)

/* Limit on the words of a case-profile table. */
#define ENR__TG_MAX_CASE (4u << 20)

/* Word clusters: levels of the hierarchy, and limits on the table. */
#define ENR__TG_CL_LEVELS   3
#define ENR__TG_MAX_CLWORDS (4u << 20)
#define ENR__TG_MAX_CLROWS  65535u

/* The most decoding passes a model has. */
#define ENR__TG_MAX_PASS 2

/* Capitalisation bits of a prepared token. */
#define ENR__TK_INIT_UPPER 0x01 /* First letter upper case. */
#define ENR__TK_ALL_UPPER  0x02 /* Letters, all upper case. */
#define ENR__TK_LOWER      0x04 /* First character a lower-case letter. */
#define ENR__TK_DIGIT      0x08 /* Contains a digit. */
#define ENR__TK_SENT_START 0x10 /* First token of its sentence. */
#define ENR__TK_HEADLINE   0x20 /* In a sentence without lower case. */
#define ENR__TK_LETTER     0x40 /* Contains a letter. */

/* Document evidence bits about a token's lower-cased form. */
#define ENR__DOC_LOWER   0x01 /* Seen starting lower case. */
#define ENR__DOC_CAP_MID 0x02 /* Seen capitalised inside a sentence. */
/* ENR__DOC_RUN << (run - 1): seen at that place of a run (FS_RUNS). */
#define ENR__DOC_RUN 0x04

/* A token's place in a run of capitalised words (ENR_TAGGER_FS_RUNS). */
#define ENR__RUN_FIRST 1
#define ENR__RUN_INNER 2
#define ENR__RUN_LAST  3

/* What the feature function knows of one token. */
typedef struct enr__tg_tok {
        uint64_t wh;     /* Hash of the exact form. */
        uint64_t lh;     /* Hash of the lower-cased form. */
        uint64_t sh;     /* Hash of the collapsed shape (Xx, d.d). */
        uint64_t fsh;    /* Hash of the shape, capped at 8 characters. */
        uint32_t lo_off; /* The lower-cased form in the scratch's buffer. */
        uint32_t lo_len;
        uint32_t gaz;    /* ENR_GAZ_* classes of the word itself. */
        uint32_t gspan;  /* Classes of a multi-word entry covering it. */
        uint8_t  gpos;   /* 0: none, 1: first token of it, 2: later. */
        uint8_t  cap;    /* ENR__TK_* bits. */
        uint8_t  doc;    /* ENR__DOC_* bits. */
        uint8_t  p1;     /* The first pass's tag (two-pass models). */
        uint8_t  agg;    /* Most frequent first-pass type (0 O, 1 + type)
                            of the other occurrences of the word in the
                            document; 5: no other occurrence. */
        uint8_t agg_ent; /* Most frequent name type (1 + type) among
                            them, 0 when none was tagged a name. */
        uint8_t wcase;   /* Case-profile class of the word, 0: unknown. */
        uint8_t run;     /* ENR__RUN_*, 0: in no run. */
        /* Word clusters (ENR_TAGGER_FS_CLUSTER): the word's vector row
         * and its clusters at each level, plus one; 0: unknown word. */
        uint16_t cl[1 + ENR__TG_CL_LEVELS];
} enr__tg_tok_t;

/*
 * One slot of the lexicon, the look-up table of what the model knows of
 * a lower-cased word: its case class and its cluster row. One table, so
 * a token costs one cache miss for both.
 */
typedef struct enr__tg_lex {
        uint32_t fp;    /* High half of the word's key. */
        uint16_t row;   /* Cluster row, ENR__TG_MAX_CLROWS: none. */
        uint8_t  wcase; /* Case class, 0: none. */
        uint8_t  used;  /* 0 marks an empty slot. */
} enr__tg_lex_t;

/* One slot of the per-document table of lower-cased forms. */
typedef struct enr__tg_docslot {
        uint64_t key;    /* Lower-case hash; 0 marks an empty slot. */
        uint32_t flags;  /* ENR__DOC_* bits. */
        uint16_t cnt[5]; /* First-pass tags: O, PER, ORG, LOC, MISC. */
} enr__tg_docslot_t;

/* The weights of one decoding pass: bucket b's row of tag weights is
 * rows + idx[b] * NT, row 0 being all zeros. A loaded model keeps only its
 * non-zero rows (most buckets are unused: 4.7 MB dense per pass against
 * about 2.3 MB); a tagger being trained has every row, w (rows + NT) being
 * the dense buckets x tags array, with idx[b] = b + 1. */
typedef struct enr__tg_weights {
        int16_t  *w;    /* Dense buckets x tags (training), else NULL. */
        int16_t  *rows; /* Row 0 zeros, then the rows. */
        uint32_t *idx;  /* Bucket -> row. */
        int16_t   trans[(ENR__TG_NTAGS + 1) * ENR__TG_NTAGS];
        float     scale; /* int16 = weight * scale. */
} enr__tg_weights_t;

struct enr_tagger {
        uint32_t          fs;          /* ENR_TAGGER_FS_* bits. */
        uint32_t          log2;        /* log2 of the bucket count. */
        uint32_t          seed;        /* Feature hash seed. */
        uint32_t          dev_f1x100;  /* Informational. */
        uint32_t          npass;       /* 1, or 2 with ENR_TAGGER_FS_STACK. */
        uint32_t          gaz_entries; /* Size of the gazetteer trained with. */
        enr__tg_weights_t pass[ENR__TG_MAX_PASS];
        const enr_gazetteer_t *g;     /* Borrowed: for features, or NULL. */
        const enr_gazetteer_t *map_g; /* Borrowed: for entity types. */
        /* Case profiles (ENR_TAGGER_FS_CASE): sorted keys and classes as
         * stored. */
        uint64_t *case_keys;
        uint8_t  *case_cls;
        uint32_t  ncase;
        /* Word clusters (ENR_TAGGER_FS_CLUSTER) as stored: sorted word
         * keys and their rows, and the clusters of each row at each
         * level. */
        uint64_t *cl_keys;
        uint16_t *cl_rows;
        uint32_t  ncl;
        uint16_t *cl_tree; /* ncl_rows x ENR__TG_CL_LEVELS. */
        uint32_t  ncl_rows;
        /* Both, for look-ups: open addressing on mix(key). */
        enr__tg_lex_t *lex;
        size_t         lex_mask;
};

struct enr_tagger_scratch {
        enr__tg_tok_t     *tok; /* Prepared tokens. */
        size_t             tok_cap;
        char              *lower; /* Lower-cased forms, back to back. */
        size_t             lower_cap;
        enr__tg_docslot_t *doc; /* Document table, power of two. */
        size_t             doc_cap;
        float             *em; /* Emission scores, tokens x tags. */
        float             *vs; /* Viterbi scores, tokens x tags. */
        uint8_t           *bp; /* Back pointers, tokens x tags. */
        float             *bw; /* Backward scores, tokens x tags. */
        /* Tags allowed after each tag, from enr__tagger_allowed(). */
        uint8_t      next_of[ENR__TG_NTAGS][ENR__TG_NTAGS];
        uint8_t      n_next[ENR__TG_NTAGS];
        uint8_t     *tags;   /* Decoded tags. */
        float       *margin; /* Margin of each decoded tag. */
        uint32_t    *fcache; /* First-pass features, MAXF a token. */
        uint8_t     *fcount; /* Their number per token. */
        enr_range_t *seg;    /* Decoding segments: sentences cut at
                                line breaks. */
        size_t             nseg;
        size_t             seg_cap;
        size_t             lat_cap;
        enr_tagger_span_t *spans;
        size_t             spans_cap;
        /* A CoNLL document's rebuilt text and its analysis. */
        enr_text_t syn;
        char      *syn_s;
        size_t     syn_cap;
        uint32_t  *syn_off; /* Byte offset of each CoNLL token. */
        size_t     syn_off_cap;
        size_t     syn_ntoks; /* CoNLL tokens. */
};

/* Allows tag cur after prev (prev == NTAGS: sentence start). */
bool enr__tagger_allowed(unsigned prev, unsigned cur);

/* Whether a sentence may end with tag. */
bool enr__tagger_final(unsigned tag);

/* Makes room for n tokens in s. */
enr_err_t enr__tagger_reserve(enr_tagger_scratch_t *s, size_t n, size_t bytes);

/*
 * Computes the per-token information and the segments of t into s; tg
 * (may be NULL) supplies the case profiles.
 */
enr_err_t enr__tagger_prepare(enr_tagger_scratch_t *s, const enr_text_t *t,
                              const enr_gazetteer_t *g, uint32_t fs,
                              const enr_tagger_t *tg);

/*
 * Sets tg's case profiles from sorted keys and classes (copied) and
 * builds the look-up table.
 */
enr_err_t enr__tagger_set_case(enr_tagger_t *tg, const uint64_t *keys,
                               const uint8_t *cls, uint32_t n);

/*
 * Sets tg's word clusters from n sorted word keys and their rows, and the
 * clusters of nrows rows at ENR__TG_CL_LEVELS levels (all copied), and
 * rebuilds the look-up table.
 */
enr_err_t enr__tagger_set_clusters(enr_tagger_t *tg, const uint64_t *keys,
                                   const uint16_t *rows, uint32_t n,
                                   const uint16_t *tree, uint32_t nrows);

/*
 * The key of a word in the case and cluster tables: the hash of its
 * lower-cased form, as tokens' enr__tg_tok_t.lh.
 */
uint64_t enr__tagger_word_key(const char *w, size_t n);

/*
 * Writes the bucket indices of token i's features into f (room for
 * ENR__TG_MAXF) and returns their number.
 */
size_t enr__tagger_features(const enr_tagger_scratch_t *s, const enr_text_t *t,
                            size_t i, uint32_t fs, unsigned pass, uint32_t seed,
                            uint32_t log2, uint32_t *f);

/*
 * Records s->tags[0..n) as each token's first-pass tag and aggregates
 * them per lower-cased word over the document (needs the document table
 * of enr__tagger_prepare()).
 */
void enr__tagger_aggregate(enr_tagger_scratch_t *s, size_t n);

/*
 * Viterbi over tokens [a, b) (one segment) with the emissions in s->em and
 * transitions
 * trans ((NTAGS + 1) x NTAGS); writes s->tags[a..b).
 */
void enr__tagger_viterbi(enr_tagger_scratch_t *s, const float *trans, size_t a,
                         size_t b);

/*
 * Rebuilds a CoNLL document's text as enr_conll_text() does and analyses
 * it with the tokenizer into s->syn, as any article would be.
 */
enr_err_t enr__tagger_conll_text(enr_tagger_scratch_t  *s,
                                 const enr_conll_doc_t *doc);

/*
 * The gold BILOU tag of each token of s->syn (after
 * enr__tagger_conll_text() on doc) from doc's spans.
 */
enr_err_t enr__tagger_gold(const enr_tagger_scratch_t *s,
                           const enr_conll_doc_t *doc, uint8_t *g);

/* Turns s->tags[0..n) into spans in s->spans. */
enr_err_t enr__tagger_spans(enr_tagger_scratch_t *s, size_t n, size_t *nspans);

/* The type index (0..3) of "PER", "ORG", "LOC", "MISC", or -1. */
int enr__tagger_type_parse(const char *name);

/* An empty model of npass passes of 2^log2 buckets: with dense, zero
 * weights (enr__tagger_dense_pass), for training; without, no weights
 * yet (the loader gives each pass its rows). */
enr_tagger_t *enr__tagger_alloc(uint32_t log2, uint32_t npass, bool dense);
/* Gives wp every row of 2^log2 buckets, zero (w dense). */
enr_err_t enr__tagger_dense_pass(enr__tg_weights_t *wp, uint32_t log2);

/* The weights of bucket b in pass wp (see enr__tg_weights_t). */
static inline const int16_t *enr__tg_row(const enr__tg_weights_t *wp,
                                         uint32_t                 b) {
        return wp->rows + (size_t)wp->idx[b] * ENR__TG_NTAGS;
}

/* Scores spans against gold, adding to sc. */
void enr__tagger_score_doc(enr_tagger_score_t *sc, const enr_tagger_span_t *sp,
                           size_t nsp, const enr_conll_doc_t *doc);

/* Fills the F1 figures of sc from its counts. */
void enr__tagger_score_finish(enr_tagger_score_t *sc);

#endif
