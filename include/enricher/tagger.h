/*
 * The learned name tagger: an averaged-perceptron sequence tagger over
 * BILOU tags (17: O and B/I/L/U of PER, ORG, LOC and MISC) with hashed
 * features, first-order transitions and constrained Viterbi decoding; its
 * training from CoNLL corpora; and the versioned binary model file.
 *
 * Both training and inference run one feature function on the tokenizer's
 * analysis (enr_text_t): at run time of a field, in training of the text
 * rebuilt from the CoNLL tokens (as enr_conll_text() and `enricher eval`
 * rebuild it), with the gold spans carried over by byte offsets. So the
 * model learns from the tokens and sentences it will see; a change to the
 * tokenizer or the gazetteer lists calls for retraining.
 *
 * The model file (version 1, all integers little-endian):
 *
 *   offset size  field
 *   0      8     magic "ENRTAGR\0"
 *   8      4     version (1)
 *   12     4     feature-set id (ENR_TAGGER_FS_* bits the model was
 *                trained with; a model with ENR_TAGGER_FS_GAZ needs a
 *                gazetteer at load time)
 *   16     4     number of tags (17)
 *   20     4     log2 of the number of hash buckets (16..22)
 *   24     4     number of decoding passes (1, or 2 with
 *                ENR_TAGGER_FS_STACK)
 *   28     4     feature hash seed
 *   32     4     number of gazetteer entries trained with (0 without
 *                ENR_TAGGER_FS_GAZ); a different count at load time is
 *                logged as a warning: the model should be retrained
 *   36     4     payload length in bytes
 *   40     4     dev F1 of the stored epoch times 100 (informational)
 *   44     4     CRC-32 (IEEE, as zlib) of bytes 0..44 and the payload
 *   48     ...   payload:
 *                - tag names: ntags x 8 bytes, NUL-padded ("O", "B-PER" …)
 *                - with ENR_TAGGER_FS_CASE, the case profiles: a uint32
 *                  count n, n uint64 hashes of lower-cased words (FNV-1a,
 *                  strictly increasing), then n uint8 classes (1..7)
 *                - with ENR_TAGGER_FS_CLUSTER, the word clusters: a
 *                  uint32 row count r and level count (3), r x 3 uint16
 *                  clusters (row-major, each < 65535), a uint32 word
 *                  count n, n uint64 keys (as the case profiles',
 *                  strictly increasing), then n uint16 rows (< r)
 *                - then for each pass:
 *                  - weight scale (IEEE-754 float: weight = int16 / scale)
 *                  - number of weight rows stored (uint32)
 *                  - transitions: (ntags + 1) x ntags int16, row ntags
 *                    being the start of a sentence
 *                  - rows: nrows x (uint32 bucket, ntags x int16), buckets
 *                    strictly increasing; absent buckets are all zero.
 *
 * A file that is short, long, has a bad magic, an unknown version or
 * feature set, out-of-range dimensions, a bad CRC or unordered rows is
 * rejected: enr_tagger_load() returns NULL with the reason in errstr.
 */
#ifndef ENRICHER_TAGGER_H
#define ENRICHER_TAGGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "enricher/common.h"
#include "enricher/conll.h"
#include "enricher/entities.h"
#include "enricher/gazetteer.h"
#include "enricher/text.h"

typedef struct enr_tagger         enr_tagger_t;
typedef struct enr_tagger_scratch enr_tagger_scratch_t;

/** The model file format version this code reads and writes. */
#define ENR_TAGGER_VERSION 1

/**
 * Feature-set bits recorded in a model.
 *
 * ENR_TAGGER_FS_BASE: word, shape, affix and context features.
 * ENR_TAGGER_FS_DOC: how the same word is capitalised elsewhere in the
 * document. ENR_TAGGER_FS_GAZ: gazetteer look-ups (needs a gazetteer).
 * ENR_TAGGER_FS_STACK: two passes; the second sees the first pass's tags
 * of the token, its neighbours and the same word elsewhere in the
 * document. ENR_TAGGER_FS_CASE: the word's case profile in unlabelled
 * text (how often it is capitalised inside a sentence), a table stored in
 * the model. ENR_TAGGER_FS_CLUSTER: the word's clusters (from word vectors
 * of unlabelled text) at three levels, and its neighbours', a table
 * stored in the model. ENR_TAGGER_FS_RUNS (with ENR_TAGGER_FS_DOC): where
 * the word stands in runs of capitalised words (first, inner, last) here
 * and anywhere in the document. ENR_TAGGER_FS_LEAN: without four base
 * features that cross-validation found useless (the full shape, the
 * length, the neighbours' case classes), for speed.
 */
#define ENR_TAGGER_FS_BASE    0x01
#define ENR_TAGGER_FS_DOC     0x02
#define ENR_TAGGER_FS_GAZ     0x04
#define ENR_TAGGER_FS_STACK   0x08
#define ENR_TAGGER_FS_CASE    0x10
#define ENR_TAGGER_FS_CLUSTER 0x20
#define ENR_TAGGER_FS_RUNS    0x40
#define ENR_TAGGER_FS_LEAN    0x80

/** Limit on the tokens of one tagged field (larger fields: ENR_ERR_LIMIT). */
#define ENR_TAGGER_MAX_TOKENS 500000

/** Limit on the size of a model file. */
#define ENR_TAGGER_MAX_FILE (256u << 20)

/**
 * @brief Loads a model file. g (borrowed, may be NULL) supplies the
 *        gazetteer features the model was trained with and must outlive
 *        the tagger.
 * @returns NULL with the reason in errstr for a missing, corrupt or
 *          incompatible file (or a model needing a gazetteer when g is
 *          NULL). Caller frees with enr_tagger_destroy().
 */
enr_tagger_t *enr_tagger_load(const char *path, const enr_gazetteer_t *g,
                              char *errstr, size_t errstr_size);

/**
 * @brief Loads a model from memory (the bytes are copied, not kept).
 * @returns As enr_tagger_load().
 */
enr_tagger_t *enr_tagger_load_mem(const void *buf, size_t len,
                                  const enr_gazetteer_t *g, char *errstr,
                                  size_t errstr_size);

/** @brief Frees tg; NULL is a no-op. */
void enr_tagger_destroy(enr_tagger_t *tg);

/**
 * @brief Writes tg to path in the format above.
 * @returns ENR_OK, or ENR_ERR_IO with errstr.
 */
enr_err_t enr_tagger_save(const enr_tagger_t *tg, const char *path,
                          char *errstr, size_t errstr_size);

/** @brief The ENR_TAGGER_FS_* bits of tg. */
uint32_t enr_tagger_features(const enr_tagger_t *tg);

/** @brief Per-thread scratch for tg; NULL when out of memory. */
enr_tagger_scratch_t *enr_tagger_scratch_new(const enr_tagger_t *tg);
void                  enr_tagger_scratch_destroy(enr_tagger_scratch_t *s);

/**
 * @brief Tags t (one field) and appends PERSON, ORG, GPE/LOC, NORP/…
 *        mentions to out. Thread-safe with one scratch per thread.
 *
 * Type mapping: PER -> PERSON; ORG -> ORG; LOC -> GPE when the gazetteer
 * knows the span (as listed, else case-folded) as a country, region or
 * city (with its ISO code), else LOC (GPE when no gazetteer is loaded);
 * MISC -> NORP when the gazetteer lists it as a nationality or group
 * or it ends like a demonym (-an, -ese, -ish, -i …), LAW when Act,
 * Treaty, Convention … ends it or comes before "of"/"on" (not "Law
 * Lords", "Best Dance Act"), NORP for a listed event that ends like a
 * demonym ("Sri Lankans"), ORG when an organisation word ends it
 * ("Hellenic Olympic Committee"), EVENT when it contains an event word
 * (Cup, Championship, Olympics, Games, War, Open, League …), LANGUAGE
 * never (names of languages are demonyms in CoNLL; enr_names_refine()
 * finds them), else NORP as a guess, its score lowered by a fifth.
 * mention.score is a logistic of the smallest
 * per-token margin in the span, a margin being the score of the best
 * decoding through a tag of the span's type minus the best through any
 * other type or O (max-marginals), calibrated on CoNLL-2003 dev so that
 * it is about the precision of spans with that margin.
 *
 * @param max Limit on out->n (0: none).
 * @returns ENR_OK, ENR_ERR_LIMIT (field over ENR_TAGGER_MAX_TOKENS or out
 *          full), ENR_ERR_INVALID_ARG (tokens out of order or outside the
 *          text), ENR_ERR_NOMEM.
 */
enr_err_t enr_tagger_extract(const enr_tagger_t *tg, enr_tagger_scratch_t *s,
                             const enr_text_t *t, enr_field_t field,
                             enr_mentions_t *out, size_t max);

/** A decoded name span in token indices. */
typedef struct enr_tagger_span {
        uint32_t start;   /**< First token. */
        uint32_t end;     /**< One past the last token. */
        uint8_t  type;    /**< 0 PER, 1 ORG, 2 LOC, 3 MISC. */
        float    score;   /**< Confidence in [0,1]. */
        uint8_t  aligned; /**< enr_tagger_tag_conll(): whether the span
                               starts and ends at CoNLL token boundaries
                               (else it was widened to them and never
                               counts as correct). */
} enr_tagger_span_t;

/**
 * @brief Tags t (sentences as t->sents says) and returns its spans.
 * @param spans Borrowed from s until its next use.
 * @returns ENR_OK, ENR_ERR_LIMIT, ENR_ERR_NOMEM.
 */
enr_err_t enr_tagger_tag(const enr_tagger_t *tg, enr_tagger_scratch_t *s,
                         const enr_text_t *t, const enr_tagger_span_t **spans,
                         size_t *nspans);

/**
 * @brief Tags one CoNLL document: rebuilds its text, analyses it with the
 *        tokenizer and tags it, the path training and `enricher eval` use.
 * @returns As enr_tagger_tag(); spans are in the document's token
 *          indices (see enr_tagger_span_t.aligned).
 */
enr_err_t enr_tagger_tag_conll(const enr_tagger_t *tg, enr_tagger_scratch_t *s,
                               const enr_conll_doc_t    *doc,
                               const enr_tagger_span_t **spans, size_t *nspans);

/** Span-level scores by conlleval's rules (exact span and type). */
typedef struct enr_tagger_score {
        uint64_t tp[4], fp[4], fn[4]; /**< Per type: PER, ORG, LOC, MISC. */
        double   f1[4];               /**< Per-type F1 in percent. */
        double   precision, recall, f1_all; /**< Overall, in percent. */
        uint64_t tokens;                    /**< Tokens tagged. */
} enr_tagger_score_t;

/**
 * @brief Tags every document of c and scores it against its gold spans.
 * @returns ENR_OK or an error of enr_tagger_tag_conll().
 */
enr_err_t enr_tagger_evaluate(const enr_tagger_t *tg, const enr_conll_t *c,
                              enr_tagger_score_t *score);

/** Training options; enr_tagger_train_opts_init() sets the defaults. */
typedef struct enr_tagger_train_opts {
        unsigned epochs;         /**< Passes over the data (default 20). */
        uint64_t seed;           /**< Shuffling seed (default 1). */
        unsigned buckets_log2;   /**< Hash buckets, log2 (default 20). */
        unsigned min_count;      /**< Features rarer than this (in hashed
                                      buckets) get no weight (default 1). */
        uint32_t features;       /**< ENR_TAGGER_FS_* (default all; GAZ is
                                      dropped when there is no gazetteer,
                                      CASE without case_corpus). */
        unsigned stack_epochs;   /**< Epochs of the first of two passes
                                      (default 8). */
        unsigned    stack_folds; /**< Folds of its jackknife (default 5). */
        const char *case_corpus; /**< JSON lines ("title", "body") whose
                                      words' case profiles the model
                                      learns (ENR_TAGGER_FS_CASE), or
                                      NULL for none. */
        const char *clusters;    /**< Word-cluster table (the format of
                                      resources/model/clusters.tsv) the
                                      model learns and stores
                                      (ENR_TAGGER_FS_CLUSTER), or NULL. */
        FILE *progress;          /**< Per-epoch report, or NULL. */
        bool  keep_last;         /**< Keep the last epoch even with a dev
                                      corpus, which is then only scored
                                      (cross-validation: a fixed number of
                                      epochs, chosen beforehand). */
        enr_tagger_score_t *epoch_scores; /**< With a dev corpus and if not
                                               NULL: receives the dev scores
                                               of every epoch (epochs
                                               entries). */
} enr_tagger_train_opts_t;

/** @brief Fills o with the defaults. */
void enr_tagger_train_opts_init(enr_tagger_train_opts_t *o);

/**
 * @brief Trains a model on train; after each epoch scores the averaged
 *        weights on dev (if not NULL) and keeps the best epoch (else the
 *        last). Deterministic for given data, options and gazetteer.
 *        Single-threaded.
 * @param g     Borrowed, may be NULL; needed for ENR_TAGGER_FS_GAZ and
 *              must outlive the result.
 * @param best  If not NULL, receives the kept epoch's dev scores.
 * @returns The model, or NULL with errstr. Caller frees with
 *          enr_tagger_destroy().
 */
enr_tagger_t *enr_tagger_train(const enr_conll_t *train, const enr_conll_t *dev,
                               const enr_gazetteer_t         *g,
                               const enr_tagger_train_opts_t *o,
                               enr_tagger_score_t *best, char *errstr,
                               size_t errstr_size);

/**
 * @brief A view of the documents of c in (held_out false) or out of
 *        (held_out true) fold `fold` of k: document d is in fold d mod k,
 *        so the split is by document and deterministic.
 * @param view Receives the view: its docs array is allocated (caller
 *             frees view->docs, never enr_conll_destroy()) and its
 *             documents borrow c's storage, valid while c is.
 * @returns ENR_OK, ENR_ERR_INVALID_ARG (k < 2 or fold >= k),
 *          ENR_ERR_NOMEM.
 */
enr_err_t enr_tagger_cv_split(const enr_conll_t *c, unsigned k, unsigned fold,
                              bool held_out, enr_conll_t *view);

/**
 * @brief K-fold cross-validation by document on c: for each fold, trains
 *        on the other folds with o (keeping the last of o->epochs
 *        epochs) and scores the fold. Deterministic; single-threaded.
 * @param folds Receives each fold's scores (k entries).
 * @param curve If not NULL, receives each fold's scores after every epoch
 *              (k x o->epochs entries, fold-major).
 * @returns ENR_OK, or an error with errstr.
 */
enr_err_t enr_tagger_cv(const enr_conll_t *c, const enr_gazetteer_t *g,
                        const enr_tagger_train_opts_t *o, unsigned k,
                        enr_tagger_score_t *folds, enr_tagger_score_t *curve,
                        char *errstr, size_t errstr_size);

#endif
