/*
 * Near-duplicate fingerprints of an article's body, computed from its
 * already-analysed tokens (enr_text_t) in one pass, and the rule that says
 * whether one fingerprint is a copy of another.
 *
 * Normalisation: the body becomes a sequence of terms: word, number,
 * symbol, URL and e-mail tokens, lower-cased (ASCII and Latin-1, curly
 * apostrophes folded to '), split at inner hyphens; punctuation (quotes,
 * dashes, ellipses) and whitespace are dropped. So straight and curly
 * quotes, "--", en and em dashes, "2019-20" and "2019–20", re-wrapped
 * lines and paragraph breaks all give the same terms.
 *
 * A fingerprint carries three views of the terms:
 * - exact: a 64-bit hash of the whole term sequence (exact copies, new
 *   headlines, typography changes);
 * - simhash: Charikar's 64-bit SimHash of the 4-term shingles, weighted
 *   so that shingles holding numbers and names count more (copies share
 *   them; template look-alikes differ exactly there), for resemblance;
 * - lead and prefix: hashes of the first 16, 32, 64, ... 2048 terms, for
 *   containment by truncation (a copy cut to its first paragraphs is an
 *   exact prefix of the original's terms);
 * - mins: the 8 smallest distinct shingle hashes (a bottom-k MinHash
 *   sketch), the keys under which the index finds candidates.
 */
#ifndef ENRICHER_FINGERPRINT_H
#define ENRICHER_FINGERPRINT_H

#include <stddef.h>
#include <stdint.h>

#include "enricher/common.h"
#include "enricher/text.h"

/** Terms per shingle. */
#define ENR_FP_SHINGLE 4
/** Terms hashed into the lead key (prefix level 0). */
#define ENR_FP_LEAD_TERMS 16
/** Prefix checkpoints after 32, 64, ..., 2048 terms. */
#define ENR_FP_LEVELS 7
/** Smallest shingle hashes kept (bottom-k sketch). */
#define ENR_FP_K 8
/** Largest SimHash Hamming distance of a near copy. */
#define ENR_FP_NEAR_BITS 13
/** Fewest terms of a body that can be a near copy (SimHash rule). */
#define ENR_FP_MIN_NEAR_TERMS 16
/** Fewest identical leading terms of a truncated copy. */
#define ENR_FP_MIN_PREFIX_TERMS 16
/** Size of a buffer that always holds enr_fingerprint_format()'s output. */
#define ENR_FP_TEXT_MAX 160

/** The fingerprint of one body. Plain data: copy it freely. */
typedef struct enr_fingerprint {
        uint64_t simhash;   /**< Weighted 64-bit SimHash of the shingles. */
        uint64_t exact;     /**< Hash of the whole normalised term list. */
        uint32_t nshingles; /**< Distinct shingles (linear-counting est.). */
        uint32_t nterms;    /**< Normalised terms. */
        uint32_t lead;      /**< Hash of the first ENR_FP_LEAD_TERMS terms
                                 (0 when the body is shorter). */
        uint8_t prefix[ENR_FP_LEVELS]; /**< 8-bit hashes of the first
                                            32 << j terms (0 past nterms). */
        uint32_t mins[ENR_FP_K];       /**< Smallest distinct shingle hashes,
                                            ascending; unused slots 0xffffffff. */
} enr_fingerprint_t;

/**
 * @brief Computes the fingerprint of an analysed body.
 *
 * @param body Borrowed during the call: the analysis of the body (its
 *             tokens carry offsets into body->s). NULL or no tokens give
 *             the fingerprint of an empty body.
 * @param out  Out: the fingerprint.
 * @remark Allocates nothing; deterministic; never re-tokenises.
 */
void enr_fingerprint_compute(const enr_text_t *body, enr_fingerprint_t *out);

/**
 * @brief Serialises fp as compact ASCII ("1:<simhash 16 hex>:<exact 16
 *        hex>:<nshingles 8>:<nterms 8>:<lead 8>:<prefix 14>:<mins 64>",
 *        lower-case hex, ENR_FP_TEXT_MAX - 1 bytes at most).
 * @param buf Out: the text, NUL-terminated; caller-owned, size bytes.
 * @returns The length written (without the NUL), or 0 when size is too
 *          small (buf then holds "" if size > 0).
 */
size_t enr_fingerprint_format(const enr_fingerprint_t *fp, char *buf,
                              size_t size);

/**
 * @brief Parses exactly what enr_fingerprint_format() writes.
 * @param s Borrowed during the call: len bytes, need not be terminated.
 * @returns ENR_OK; ENR_ERR_PARSE on anything else (other versions, upper
 *          case, wrong lengths, trailing bytes, unsorted mins); out is
 *          left untouched on error.
 */
enr_err_t enr_fingerprint_parse(const char *s, size_t len,
                                enr_fingerprint_t *out);

/**
 * @brief Whether b is a copy of a or a of b (symmetric).
 *
 * Rules: exact when exact hash, SimHash and term count agree; near when
 * both have at least ENR_FP_MIN_NEAR_TERMS terms and their SimHashes
 * differ in at most ENR_FP_NEAR_BITS bits; near (containment) when the
 * shorter body's terms, at least ENR_FP_MIN_PREFIX_TERMS of them, begin
 * the longer one's: the lead and every prefix checkpoint up to the largest
 * one within the shorter body agree (so at least half of it is checked).
 *
 * @param similarity Out (may be NULL): 1 for exact; else the larger of the
 *                   SimHash cosine estimate cos(pi d / 64) and, for a
 *                   prefix copy, shorter/longer term count.
 * @param exact      Out (may be NULL): 1 for an exact copy.
 * @returns 1 for a copy, else 0 (*similarity then still holds the
 *          SimHash estimate).
 */
int enr_fingerprint_match(const enr_fingerprint_t *a,
                          const enr_fingerprint_t *b, double *similarity,
                          int *exact);

/**
 * @brief The normalised shingle hashes of body, in text order (for
 *        baselines and tools; the same shingles the SimHash sees).
 * @param out Out: up to max hashes.
 * @returns The number of shingles (may exceed max; only max written).
 */
size_t enr_fingerprint_shingles(const enr_text_t *body, uint64_t *out,
                                size_t max);

#endif
