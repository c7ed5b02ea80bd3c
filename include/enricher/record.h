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
#include "enricher/enricher.h"
#include "enricher/entities.h"
#include "enricher/stats.h"
#include "enricher/text.h"

/** A growable byte buffer, reused between records. */
typedef struct enr_buf {
        char  *p;
        size_t len;
        size_t cap;
} enr_buf_t;

void enr_buf_init(enr_buf_t *b);
void enr_buf_clear(enr_buf_t *b);
/** @brief Appends n bytes. @returns ENR_OK or ENR_ERR_NOMEM. */
enr_err_t enr_buf_append(enr_buf_t *b, const void *p, size_t n);
/** @brief Appends a JSON string literal (quotes and escapes) of s[0..n). */
enr_err_t enr_buf_json_string(enr_buf_t *b, const char *s, size_t n);
/** @brief Appends a JSON number: integers exactly, others in the shortest
 *         form that reads back to the same double; non-finite as null. */
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
        const enr_source_t *src;               /**< May be NULL. */
        bool                timestamps;        /**< Add meta.processed_at. */
        const char         *extractor;         /**< "rules" or "tagger:NAME". */
} enr_record_input_t;

/**
 * @brief Writes the record of in into out (emptied first).
 * @returns ENR_OK or ENR_ERR_NOMEM.
 */
enr_err_t enr_record_build(enr_buf_t *out, const enr_record_input_t *in);

#endif
