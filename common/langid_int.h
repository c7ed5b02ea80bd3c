/*
 * Internals of the language identifier shared by common/langid.c and the
 * evaluation harness (tests/bench/langid_eval.c): the model file layout and
 * the few scoring settings that may be varied when measuring.
 *
 * Model file (little-endian), written by resources/lang/build.py:
 *   "ENRLANG1"
 *   u32 nlang, ncase, nentries, npostings, scale; i32 floor (unused here)
 *   nlang  x { char code[8]; char script[8]; }   NUL-padded ASCII
 *   ncase  x { u16 upper; u16 lower; }           lower-case map (BMP)
 *   nentries x u32 hash                          strictly increasing
 *   nentries x u8 count                          postings of each n-gram,
 *                                                in entry order
 *   npostings x { u8 lang; u8 score; }           score = (ln P - floor) *
 *                                                scale, > 0
 *   u32 crc32 (IEEE) of everything before it
 * The hash is 32-bit FNV-1a over the n-gram's code points, one code point
 * per step (not its bytes). The loader maps the file and reads the hashes,
 * counts and postings in place (the hashes are 4-byte aligned: every part
 * before them is a multiple of 4 bytes long).
 */
#ifndef ENRICHER_LANGID_INT_H
#define ENRICHER_LANGID_INT_H

#include <stddef.h>
#include <stdint.h>

#include "enricher/common.h"
#include "enricher/langid.h"

/** Settings of the scorer; enr__langid_get_params() gives the current ones (the
 * defaults after loading). */
typedef struct enr__langid_params {
        int backoff;        /**< Penalty per missing order when backing off to a
                                 shorter n-gram, in model units (1/scale nat). */
        int    min_letters; /**< Letters scored before an early stop. */
        int    margin;      /**< Lead (model units) that stops scoring early. */
        int    max_letters; /**< Letters scored at most. */
        double temperature; /**< Softmax temperature (nats) of confidence. */
        int    word_cap;   /**< Most a word can put a language behind the word's
                                best (model units). */
        int min_order;     /**< Shortest n-gram looked up inside a word (from
                                its third letter on). */
        double pair_ngram; /**< Weight of the n-gram lead in the second
                                stage of a close pair (0 = words alone). */
        double pair_words; /**< Weight of the pair table's words there. */
} enr__langid_params_t;

/** Replaces the scorer's settings (before the model is shared). */
void enr__langid_set_params(enr_langid_t *l, const enr__langid_params_t *p);

/** The scorer's settings. */
void enr__langid_get_params(const enr_langid_t *l, enr__langid_params_t *p);

/** Builds a model from an in-memory file image (for the fuzzer); the
 *  caller frees it with enr_langid_destroy(). @p buf is borrowed. */
enr_langid_t *enr__langid_parse(const void *buf, size_t n, char *errstr,
                                size_t errstr_size);

/** Adds a pair table (the text of a resources/lang/pair-*.txt file, see
 *  common/langid.c) to a model, before it is shared; @p buf is borrowed.
 *  @returns ENR_OK, or ENR_ERR_MODEL (message in @p errstr) for a corrupt
 *  table, ENR_ERR_NOMEM. The model is unchanged on failure. */
enr_err_t enr__langid_add_pairs(enr_langid_t *l, const void *buf, size_t n,
                                char *errstr, size_t errstr_size);

/** What the second stage saw, for the evaluator (build_pairs.py tunes the
 *  pair tables by cross-validation on it). */
typedef struct enr__langid_trace {
        char a[8], b[8];   /**< The close pair decided, or "" when the text
                                did not reach the second stage. */
        double ngram_lead; /**< n-gram score of a minus b's, in nats. */
        double words;      /**< Sum of the pair table's weights, in nats. */
} enr__langid_trace_t;

/** enr_langid_detect(), also filling @p trace. */
void enr__langid_detect_trace(const enr_langid_t *l, const char *title,
                              size_t title_len, const char *body,
                              size_t body_len, enr_lang_guess_t *out,
                              enr__langid_trace_t *trace);

#endif /* ENRICHER_LANGID_INT_H */
