/*
 * The learned name tagger: an averaged-perceptron sequence tagger over
 * BILOU tags (17: O and B/I/L/U of PER, ORG, LOC and MISC) with hashed
 * features, first-order transitions and constrained Viterbi decoding; its
 * training from CoNLL corpora; and the versioned binary model file.
 *
 * Both training and inference run one feature function on an enr_text_t:
 * at run time the tokenizer's analysis of a field, in training a synthetic
 * analysis built from the CoNLL tokens (enr_conll_text), so the features
 * the model learned are the features it sees.
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
 *   20     4     log2 of the number of hash buckets (16..24)
 *   24     4     number of weight rows stored
 *   28     4     feature hash seed
 *   32     4     weight scale (IEEE-754 float: weight = int16 / scale)
 *   36     4     payload length in bytes
 *   40     4     dev F1 of the stored epoch times 100 (informational)
 *   44     4     CRC-32 (IEEE, as zlib) of bytes 0..44 and the payload
 *   48     ...   payload:
 *                - tag names: ntags x 8 bytes, NUL-padded ("O", "B-PER" …)
 *                - transitions: (ntags + 1) x ntags int16, row ntags being
 *                  the start of a sentence
 *                - rows: nrows x (uint32 bucket, ntags x int16), buckets
 *                  strictly increasing; absent buckets are all zero.
 *
 * A file that is short, long, has a bad magic, an unknown version or
 * feature set, out-of-range dimensions, a bad CRC or unordered rows is
 * rejected with ENR_ERR_MODEL and a reason.
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

typedef struct enr_tagger enr_tagger_t;
typedef struct enr_tagger_scratch enr_tagger_scratch_t;

/** The model file format version this code reads and writes. */
#define ENR_TAGGER_VERSION 1

/** Feature-set bits recorded in a model. */
#define ENR_TAGGER_FS_BASE 0x1 /**< Word, shape, affix, context features. */
#define ENR_TAGGER_FS_DOC  0x2 /**< Document-level capitalisation evidence. */
#define ENR_TAGGER_FS_GAZ  0x4 /**< Gazetteer look-ups (needs a gazetteer). */

/** Limit on the tokens of one tagged field (larger fields: ENR_ERR_LIMIT). */
#define ENR_TAGGER_MAX_TOKENS 2000000

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
void enr_tagger_scratch_destroy(enr_tagger_scratch_t *s);

/**
 * @brief Tags t (one field) and appends PERSON, ORG, GPE/LOC, NORP/…
 *        mentions to out. Thread-safe with one scratch per thread.
 *
 * Type mapping: PER -> PERSON; ORG -> ORG; LOC -> GPE when the gazetteer
 * knows the span as a country, region or city (with its ISO code), else
 * LOC; MISC -> NORP when the gazetteer lists it as a nationality or group
 * or it ends like a demonym (-an, -ese, -ish, -i …), EVENT when it
 * contains an event word (Cup, Championship, Olympics, Games, War, Open,
 * League …), LAW for Act, Treaty, Convention …, LANGUAGE never (names of
 * languages are demonyms in CoNLL), else NORP. mention.score is the
 * logistic of the smallest per-token margin of the decoded tags.
 *
 * @param max Limit on out->n (0: none).
 * @returns ENR_OK, ENR_ERR_LIMIT (field over ENR_TAGGER_MAX_TOKENS or out
 *          full), ENR_ERR_NOMEM.
 */
enr_err_t enr_tagger_extract(const enr_tagger_t *tg, enr_tagger_scratch_t *s,
                             const enr_text_t *t, enr_field_t field,
                             enr_mentions_t *out, size_t max);

/** A decoded name span in token indices. */
typedef struct enr_tagger_span {
        uint32_t start; /**< First token. */
        uint32_t end;   /**< One past the last token. */
        uint8_t  type;  /**< 0 PER, 1 ORG, 2 LOC, 3 MISC. */
        float    score; /**< Confidence in [0,1]. */
} enr_tagger_span_t;

/** @brief "PER", "ORG", "LOC", "MISC" for a span type. */
const char *enr_tagger_type_name(unsigned type);

/**
 * @brief Tags t (sentences as t->sents says) and returns its spans.
 * @param spans Borrowed from s until its next use.
 * @returns ENR_OK, ENR_ERR_LIMIT, ENR_ERR_NOMEM.
 */
enr_err_t enr_tagger_tag(const enr_tagger_t *tg, enr_tagger_scratch_t *s,
                         const enr_text_t *t, const enr_tagger_span_t **spans,
                         size_t *nspans);

/**
 * @brief Tags one CoNLL document through a synthetic analysis of its
 *        tokens (no tokenizer involved), the path training uses.
 * @returns As enr_tagger_tag(); spans are in the document's token indices.
 */
enr_err_t enr_tagger_tag_conll(const enr_tagger_t *tg,
                               enr_tagger_scratch_t *s,
                               const enr_conll_doc_t *doc,
                               const enr_tagger_span_t **spans,
                               size_t *nspans);

/** Span-level scores by conlleval's rules (exact span and type). */
typedef struct enr_tagger_score {
        uint64_t tp[4], fp[4], fn[4]; /**< Per type: PER, ORG, LOC, MISC. */
        double   f1[4];               /**< Per-type F1 in percent. */
        double   precision, recall, f1_all; /**< Overall, in percent. */
        uint64_t tokens;              /**< Tokens tagged. */
} enr_tagger_score_t;

/**
 * @brief Tags every document of c and scores it against its gold spans.
 * @returns ENR_OK or an error of enr_tagger_tag_conll().
 */
enr_err_t enr_tagger_evaluate(const enr_tagger_t *tg, const enr_conll_t *c,
                              enr_tagger_score_t *score);

/** Training options; enr_tagger_train_opts_init() sets the defaults. */
typedef struct enr_tagger_train_opts {
        unsigned epochs;       /**< Passes over the data (default 12). */
        uint64_t seed;         /**< Shuffling seed (default 1). */
        unsigned buckets_log2; /**< Hash buckets, log2 (default 20). */
        unsigned min_count;    /**< Features rarer than this (in hashed
                                    buckets) get no weight (default 1). */
        uint32_t features;     /**< ENR_TAGGER_FS_* (default all but GAZ
                                    when there is no gazetteer). */
        FILE    *progress;     /**< Per-epoch report, or NULL. */
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
enr_tagger_t *enr_tagger_train(const enr_conll_t *train,
                               const enr_conll_t *dev,
                               const enr_gazetteer_t *g,
                               const enr_tagger_train_opts_t *o,
                               enr_tagger_score_t *best, char *errstr,
                               size_t errstr_size);

#endif
