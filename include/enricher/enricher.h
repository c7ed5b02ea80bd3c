/*
 * The facade: enr_enricher_new() loads everything once (gazetteers,
 * patterns, the tagger model); enr_enricher_process() turns one article's
 * bytes into one enriched record or one error. The enricher is read-only
 * after creation and shared by all threads; each thread owns an
 * enr_scratch_t holding its reusable buffers.
 */
#ifndef ENRICHER_ENRICHER_H
#define ENRICHER_ENRICHER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "enricher/common.h"
#include "enricher/config.h"
#include "enricher/dedup.h"
#include "enricher/entities.h"
#include "enricher/fingerprint.h"
#include "enricher/geo.h"
#include "enricher/langid.h"

typedef struct enr_enricher enr_enricher_t;
typedef struct enr_scratch  enr_scratch_t;

/** Where an input came from; named in the record's meta. */
typedef struct enr_source {
        const char *topic; /**< Borrowed, or NULL outside Kafka. */
        int32_t     partition;
        int64_t     offset;
        int64_t     timestamp; /**< Message timestamp (ms), or -1. */
} enr_source_t;

/** Processing stages, timed per article. */
typedef enum enr_stage {
        ENR_STAGE_PARSE = 0,   /**< Bytes to article. */
        ENR_STAGE_TOKENIZE,    /**< Text analysis of title and body. */
        ENR_STAGE_NAMES,       /**< Names (rules or tagger). */
        ENR_STAGE_NUMBERS,     /**< Numbers, money, dates. */
        ENR_STAGE_ENTITIES,    /**< Merging into the entity table. */
        ENR_STAGE_STATS,       /**< Statistics and keywords. */
        ENR_STAGE_SERIALIZE,   /**< Building the record's JSON. */
        ENR_STAGE_LANGUAGE,    /**< Language identification. */
        ENR_STAGE_FINGERPRINT, /**< The body's fingerprint. */
        ENR_STAGE_DUPLICATES,  /**< The duplicate index (marking). */
        ENR_STAGE_TONE,        /**< Tone (VADER) of body and title. */
        ENR_STAGE_GEO,         /**< Places on the map (geo.h). */
        ENR_STAGE_QUOTES,      /**< Quotations and their speakers. */
        ENR_STAGE__COUNT
} enr_stage_t;

/** @brief "parse", "tokenize", … */
const char *enr_stage_name(enr_stage_t st);

/** The outcome of processing one input. */
typedef struct enr_result {
        enr_err_t   err;         /**< ENR_OK or why the input was refused. */
        char        errstr[256]; /**< Human-readable reason. */
        const char *record;      /**< Borrowed from the scratch until the
                                      next call: the record's JSON. */
        size_t      record_len;
        const char *id;     /**< Borrowed: the article id ("" if none). */
        uint64_t    tokens; /**< Tokens in title and body. */
        uint64_t    stage_ns[ENR_STAGE__COUNT];       /**< Time per stage. */
        uint32_t    entities_by_type[ENR_ENT__COUNT]; /**< Entities found. */
        uint32_t    retyped;       /**< Name mentions the resolution retyped. */
        enr_lang_guess_t language; /**< The article's language. */
        bool             extracted;    /**< Whether the English stages ran
                                            (its language is in
                                            --languages). */
        enr_fingerprint_t fingerprint; /**< The normalised body's. */
        int64_t           time_ms;     /**< When the article appeared, for
                                            duplicate detection (Unix ms):
                                            its publication time, else the
                                            message's timestamp, else now. */
        bool time_is_now;              /**< time_ms is the processing
                                            time (neither of the others). */
        size_t duplicate_at;           /**< Byte offset in record of the
                                            duplicate field's null
                                            (enr_record_set_duplicate). */
        uint32_t geo_resolved;         /**< Place entities given a place. */
        uint32_t geo_unresolved;       /**< Place entities given none. */
        uint32_t quotes_by_speaker[4]; /* ENR_SPEAKER__COUNT */ /**< Quotations
                                            found, by enr_speaker_kind_t. */
} enr_result_t;

/**
 * @brief Loads resources and compiles patterns as cfg says.
 * @param cfg Borrowed during the call only.
 * @returns NULL with the reason in errstr; free with enr_enricher_destroy().
 */
enr_enricher_t *enr_enricher_new(const enr_config_t *cfg, char *errstr,
                                 size_t errstr_size);
void            enr_enricher_destroy(enr_enricher_t *e);

/** @brief Per-thread scratch for e; NULL when out of memory. */
enr_scratch_t *enr_scratch_new(const enr_enricher_t *e);
void           enr_scratch_destroy(enr_scratch_t *s);

/**
 * @brief Enriches one input. Thread-safe given one scratch per thread.
 * @param src May be NULL (pipe mode).
 * @returns res->err: ENR_OK with res->record set, or the error the input
 *          goes to the dead-letter destination with.
 */
enr_err_t enr_enricher_process(const enr_enricher_t *e, enr_scratch_t *s,
                               const char *buf, size_t len,
                               const enr_source_t *src, enr_result_t *res);

/**
 * @brief Runs extraction alone on a title and a body (for `eval`).
 * @param published Unix seconds, or ENR_NO_TIME (dates.h).
 * @param url The article's web address, a hint for places (may be NULL).
 * @param mentions Out: borrowed from s until the next call; the resolved
 *                 mentions, byte offsets in their field.
 */
enr_err_t enr_enricher_extract(const enr_enricher_t *e, enr_scratch_t *s,
                               const char *title, size_t title_len,
                               const char *body, size_t body_len,
                               int64_t published, const char *url,
                               size_t url_len, const enr_mentions_t **mentions);

/**
 * @brief Looks for an earlier copy of the article of res (ENR_OK) in idx,
 *        adds the article to idx, and writes what was found into the
 *        record's duplicate field (res->record and record_len follow).
 * @param dup Out: what was found (dup->found 0: an original).
 * @returns ENR_OK, or ENR_ERR_NOMEM (the record is then unchanged).
 */
enr_err_t enr_enricher_mark_duplicate(enr_scratch_t *s, enr_dedup_t *idx,
                                      enr_result_t *res, enr_dup_t *dup);

/** @brief The language detector e loaded (borrowed). */
const enr_langid_t *enr_enricher_langid(const enr_enricher_t *e);

/**
 * @brief The entity table and the places of the last article s processed
 *        or extracted (for evaluation).
 * @param geo Out: borrowed from s until its next call (enr_geo_place()).
 * @returns The entity table, borrowed from s until its next call.
 */
const enr_entities_t *enr_enricher_entities(const enr_scratch_t      *s,
                                            const enr_geo_scratch_t **geo);

/** @brief Whether e uses the learned tagger (else the rules). */
int enr_enricher_has_tagger(const enr_enricher_t *e);

#endif
