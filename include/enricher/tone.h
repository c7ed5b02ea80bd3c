/*
 * Tone: VADER's sentiment scores for a text, computed as vaderSentiment
 * 3.3.2's SentimentIntensityAnalyzer.polarity_scores() computes them
 * (its lexicon, emoji descriptions, booster words, negation, "but", caps
 * and punctuation emphasis, "kind of", "least" and its special idioms,
 * with their quirks), and a GDELT-style summary from the same lexicon.
 * The lexicons (resources/tone/) are loaded once into a read-only hash
 * table shared by all threads; each thread scores with its own scratch.
 */
#ifndef ENRICHER_TONE_H
#define ENRICHER_TONE_H

#include <stddef.h>
#include <stdint.h>

#include "enricher/common.h"

/** The lexicons, loaded; opaque, read-only after enr_tone_new(). */
typedef struct enr_tone enr_tone_t;

/** Per-thread working space for enr_tone_score(). */
typedef struct enr_tone_scratch enr_tone_scratch_t;

/** The lexicon files, under the resources directory. */
#define ENR_TONE_LEXICON_FILE "tone/vader_lexicon.txt"
#define ENR_TONE_EMOJI_FILE   "tone/emoji_utf8_lexicon.txt"

/** Bytes of a text scored, at most: a longer text is scored on its
 *  start, cut at the last whitespace before this many bytes. */
#define ENR_TONE_MAX_BYTES ((size_t)4 << 20)

/** A GDELT-style (V2Tone) summary of a text: percentages of its words. */
typedef struct enr_tone_gkg {
        double tone;     /**< positive - negative. */
        double positive; /**< % of words whose lexicon valence is > 0. */
        double negative; /**< % of words whose lexicon valence is < 0. */
        double polarity; /**< positive + negative. */
        double self_group_density; /**< % of words that are first-person
                                        pronouns (I, we, us, our, ...). */
        uint32_t word_count;       /**< Words (see README, "tone"). */
} enr_tone_gkg_t;

/** The scores of one text, unrounded (enr_tone_round() rounds them as
 *  vaderSentiment does: compound to 4 decimals, the others to 3). */
typedef struct enr_tone_result {
        double         compound; /**< -1..1, VADER's normalised sum. */
        double         positive; /**< VADER's "pos": 0..1. */
        double         negative; /**< VADER's "neg": 0..1. */
        double         neutral;  /**< VADER's "neu": 0..1. */
        uint32_t       tokens;   /**< VADER's tokens (words and emoticons). */
        enr_tone_gkg_t gkg;
} enr_tone_result_t;

/**
 * @brief Loads the VADER lexicon and the emoji lexicon.
 * @param resources_dir The resources directory (ENR_TONE_LEXICON_FILE and
 *                      ENR_TONE_EMOJI_FILE are read under it); NULL means
 *                      the built-in default (ENR_RESOURCE_DIR). Borrowed.
 * @returns The lexicons, which the caller frees with enr_tone_destroy(),
 *          or NULL with the reason in errstr (unreadable or malformed file,
 *          out of memory).
 */
enr_tone_t *enr_tone_new(const char *resources_dir, char *errstr,
                         size_t errstr_size);

/** @brief Frees t; NULL is a no-op. */
void enr_tone_destroy(enr_tone_t *t);

/**
 * @brief A scratch for enr_tone_score() with any enr_tone_t.
 * @returns NULL when out of memory; free with enr_tone_scratch_destroy().
 */
enr_tone_scratch_t *enr_tone_scratch_new(void);

/** @brief Frees s; NULL is a no-op. */
void enr_tone_scratch_destroy(enr_tone_scratch_t *s);

/**
 * @brief Scores one text (UTF-8, as vaderSentiment scores one str).
 *        Thread-safe given one scratch per thread; the scratch grows to
 *        the largest text seen and is reused.
 * @param t    The lexicons. Borrowed.
 * @param s    The calling thread's scratch.
 * @param text The text, len bytes (borrowed during the call only; need
 *             not be NUL-terminated; invalid UTF-8 bytes count as
 *             uncased, non-space characters).
 * @param out  Out: the scores.
 * @returns ENR_OK, or ENR_ERR_NOMEM (out is then zeroed).
 */
enr_err_t enr_tone_score(const enr_tone_t *t, enr_tone_scratch_t *s,
                         const char *text, size_t len, enr_tone_result_t *out);

/**
 * @brief Rounds v to digits decimals as Python's round(v, digits) does
 *        (the exact binary value, ties to even), so a record's numbers
 *        equal vaderSentiment's.
 */
double enr_tone_round(double v, int digits);

#endif
