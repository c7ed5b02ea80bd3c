/*
 * The enriched record: one JSON object per article, written with a small
 * streaming writer so key order, number formatting and escaping are fixed
 * (the same input gives byte-identical output, apart from meta's time).
 * The layout is versioned by ENR_SCHEMA_VERSION (common.h) and described
 * in README.md and resources/schema/.
 */
#ifndef ENRICHER_RECORD_H
#define ENRICHER_RECORD_H

#include <stdbool.h>
#include <stddef.h>

#include "enricher/article.h"
#include "enricher/common.h"
#include "enricher/dedup.h"
#include "enricher/enricher.h"
#include "enricher/entities.h"
#include "enricher/quotes.h"
#include "enricher/stats.h"
#include "enricher/text.h"
#include "enricher/tone.h"

/**
 * The default size cap of an enr_buf_t: above the largest record a 1 GiB
 * article (the max-article-bytes bound) can give, escaped. Callers that
 * know a tighter bound set it with enr_buf_set_max().
 */
#define ENR_BUF_MAX_DEFAULT ((size_t)1 << (sizeof(size_t) > 4 ? 34 : 30))

/**
 * A growable byte buffer, reused between records, that remembers its first
 * error (sqlite's StrAccum, curl's dynbuf): once an append fails, later
 * appends do nothing, so a writer appends without checking and asks
 * enr_buf_error() once at the end. The contents are always terminated by
 * a NUL byte (not counted in len) once anything has been appended.
 * A zeroed struct is an empty buffer with the default cap.
 */
typedef struct enr_buf {
        char     *p;   /**< The bytes; NULL until the first append. */
        size_t    len; /**< Bytes written. */
        size_t    cap; /**< Bytes allocated. */
        size_t    max; /**< Cap on len + 1 (0: ENR_BUF_MAX_DEFAULT). */
        enr_err_t err; /**< The first failure: ENR_ERR_NOMEM or
                            ENR_ERR_TOO_LARGE (over max); sticky until
                            enr_buf_reset(). */
} enr_buf_t;

/** @brief Makes b an empty buffer with the default cap (owns nothing). */
void enr_buf_init(enr_buf_t *b);
/** @brief Frees b's bytes and empties it (the cap is kept); b may be
 *         reused. */
void enr_buf_clear(enr_buf_t *b);
/** @brief Empties b and forgets its error, keeping its memory for reuse. */
void enr_buf_reset(enr_buf_t *b);
/**
 * @brief Sets the cap on b's size in bytes (0: ENR_BUF_MAX_DEFAULT).
 * @remark enr_buf_json_string() needs room for its worst case (six bytes a
 *         byte, and the quotes) before it escapes, so a cap should leave
 *         that much slack above the expected size.
 */
void enr_buf_set_max(enr_buf_t *b, size_t max);
/**
 * @brief The sticky error of b.
 * @returns ENR_OK while every append since the last enr_buf_reset() fit,
 *          else the first failure (ENR_ERR_NOMEM or ENR_ERR_TOO_LARGE).
 */
enr_err_t enr_buf_error(const enr_buf_t *b);

/*
 * The appends below do nothing once b holds an error, and return b's
 * sticky error after the append, which a writer may ignore until the end
 * (enr_buf_error()).
 */

/** @brief Appends n bytes of p (borrowed). @returns b's sticky error. */
enr_err_t enr_buf_append(enr_buf_t *b, const void *p, size_t n);
/** @brief Appends the NUL-terminated string s. @returns b's sticky error. */
enr_err_t enr_buf_str(enr_buf_t *b, const char *s);
/** @brief Appends a JSON string literal (quotes and escapes) of s[0..n).
 *  @returns b's sticky error. */
enr_err_t enr_buf_json_string(enr_buf_t *b, const char *s, size_t n);
/** @brief Appends a JSON number: integers exactly, others in the shortest
 *         form that reads back to the same double; non-finite as null.
 *  @returns b's sticky error. */
enr_err_t enr_buf_json_number(enr_buf_t *b, double v);

/** Everything a record is built from (all borrowed). */
typedef struct enr_record_input {
        const enr_article_t  *article;
        int                   article_mode; /**< An enr_article_mode_t. */
        const enr_text_t     *title;
        const enr_text_t     *body;
        const enr_mentions_t *mentions;
        const enr_entities_t *entities;
        const enr_stats_t    *stats;
        const enr_keyword_t  *keywords;
        size_t                nkeywords;
        size_t                boilerplate_tok; /**< Body token where
                                                    boilerplate starts. */
        const enr_source_t     *src;           /**< May be NULL. */
        bool                    timestamps;    /**< Add meta.processed_at. */
        const char             *extractor;     /**< "rules" or "tagger:NAME". */
        const enr_lang_guess_t *language;      /**< The article's. */
        bool                    extracted;     /**< The English stages ran;
                                                    false: their fields are
                                                    empty or null and
                                                    meta.skipped says why. */
        const char *languages;                 /**< --languages, for the
                                                    reason. */
        const enr_fingerprint_t *fingerprint;
        size_t *duplicate_at; /**< Out (may be NULL): the byte offset of
                                   the duplicate field's null, for
                                   enr_record_set_duplicate(). */
        const enr_tone_result_t *tone;   /**< The body's tone; NULL: not
                                              English ("tone": null). */
        double tone_title_compound;      /**< The title's compound. */
        const enr_geo_scratch_t *geo;    /**< The entities' places, or NULL. */
        const enr_quote_t       *quotes; /**< The quotations (written only when
                                              extracted; else null). */
        size_t nquotes;
} enr_record_input_t;

/**
 * @brief Writes the record of in into out (reset first: its error is
 *        forgotten).
 * @returns ENR_OK, ENR_ERR_NOMEM, or ENR_ERR_TOO_LARGE when the record is
 *          over out's cap; on error out's contents are incomplete.
 */
enr_err_t enr_record_build(enr_buf_t *out, const enr_record_input_t *in);

/**
 * @brief Writes what dup says into the record in b, replacing the null its
 *        duplicate field holds at byte offset at (from enr_record_build(),
 *        valid while b's bytes before it are unchanged).
 * @returns ENR_OK, or b's error (NOMEM, TOO_LARGE; b is then unchanged),
 *          or ENR_ERR_INVALID_ARG when no null is at that offset.
 */
enr_err_t enr_record_set_duplicate(enr_buf_t *b, size_t at,
                                   const enr_dup_t *dup);

#endif
