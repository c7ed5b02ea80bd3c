/*
 * Text statistics: counts, syllables, readability formulas, reading time,
 * lexical density and keywords. Counting rules are documented in stats.c
 * and README.md; the formulas are the published ones (as textstat uses).
 */
#ifndef ENRICHER_STATS_H
#define ENRICHER_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "enricher/common.h"
#include "enricher/text.h"

/** Statistics of an article's body. */
typedef struct enr_stats {
        uint64_t characters;   /**< Code points of the body. */
        uint64_t letters;      /**< Letters and digits in words. */
        uint64_t words;        /**< Word and number tokens. */
        uint64_t unique_words; /**< Distinct lower-cased words. */
        uint64_t sentences;
        uint64_t paragraphs;
        uint64_t syllables;
        uint64_t polysyllables;       /**< Words of three syllables or more. */
        uint64_t long_words;          /**< Words of seven letters or more. */
        uint64_t content_words;       /**< Words that are not function words. */
        double   avg_sentence_length; /**< Words per sentence. */
        double   avg_syllables_per_word;
        double   flesch_reading_ease;
        double   flesch_kincaid_grade;
        double   gunning_fog;
        double   smog_index;
        double   coleman_liau_index;
        double   automated_readability_index;
        double   reading_time_seconds;
        double   lexical_density; /**< content_words / words. */
} enr_stats_t;

/** A keyword: a lower-cased word and its frequency. */
typedef struct enr_keyword {
        char     word[64];
        uint32_t count;
} enr_keyword_t;

/** Per-thread scratch for counting (a hash table reused per article). */
typedef struct enr_stats_scratch enr_stats_scratch_t;

/**
 * @brief A new, empty scratch; its table grows to the largest article.
 * @returns NULL when out of memory; free with enr_stats_scratch_destroy().
 */
enr_stats_scratch_t *enr_stats_scratch_new(void);

/** @brief Frees s; NULL is a no-op. */
void enr_stats_scratch_destroy(enr_stats_scratch_t *s);

/**
 * @brief Computes the statistics of body, ignoring tokens at or after
 *        body_end_tok (trailing boilerplate; pass body->ntoks for none),
 *        and the top keywords of title and body together.
 *
 * @param title May be NULL.
 * @param kw    Out: up to nkw keywords, by count descending then word.
 * @param nkw_out Out: the number written.
 * @param wpm   Words per minute for the reading time (<= 0: time 0).
 * @returns ENR_OK; ENR_ERR_INVALID_ARG for a NULL s, body or out (or kw
 *          with nkw > 0); ENR_ERR_LIMIT over 2^25 tokens; ENR_ERR_NOMEM
 *          when the scratch cannot grow.
 * @remark title and body are borrowed during the call only; the keywords
 *         are copied into kw. Deterministic: the same input gives the
 *         same output whatever the scratch held before.
 */
enr_err_t enr_stats_compute(enr_stats_scratch_t *s, const enr_text_t *title,
                            const enr_text_t *body, size_t body_end_tok,
                            double wpm, enr_stats_t *out, enr_keyword_t *kw,
                            size_t nkw, size_t *nkw_out);

/** @brief The syllables of one lower-case ASCII word (at least 1). */
unsigned enr_stats_syllables(const char *word, size_t len);

/** @brief Whether a lower-cased word is an English stopword. */
int enr_stats_is_stopword(const char *word, size_t len);

#endif
