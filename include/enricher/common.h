/*
 * Definitions shared by every module of enricher: the error codes, the
 * version strings and small helpers for byte spans.
 */
#ifndef ENRICHER_COMMON_H
#define ENRICHER_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifndef ENR_VERSION_STR
#define ENR_VERSION_STR "0.0.0"
#endif

/** The version of the enriched record's layout; bumped on every change. */
#define ENR_SCHEMA_VERSION 1

/**
 * @brief Error codes of every enricher function. Values are never
 *        renumbered; new codes go at the end.
 */
typedef enum enr_err {
        ENR_OK = 0,
        ENR_ERR_NOMEM,        /**< An allocation failed. */
        ENR_ERR_PARSE,        /**< Input that does not parse (JSON, CoNLL). */
        ENR_ERR_CONFIG,       /**< An invalid option or option value. */
        ENR_ERR_IO,           /**< A file could not be read or written. */
        ENR_ERR_INVALID_UTF8, /**< Text that is not valid UTF-8. */
        ENR_ERR_NO_BODY,      /**< An article without a body. */
        ENR_ERR_TOO_LARGE,    /**< An input over a configured size limit. */
        ENR_ERR_EMPTY,        /**< An empty input. */
        ENR_ERR_LIMIT,        /**< Some other configured limit was hit. */
        ENR_ERR_MODEL,        /**< A corrupt or incompatible model file. */
        ENR_ERR_KAFKA,        /**< A Kafka client error. */
        ENR_ERR_INVALID_ARG,  /**< A function was called with bad input. */
        ENR_ERR_BINARY,       /**< Plain-text input holding NUL bytes. */
        ENR_ERR_UNSUPPORTED_LANGUAGE, /**< An article in a language not in
                                           --languages (--other-languages
                                           dlq). */
        ENR_ERR__COUNT
} enr_err_t;

/**
 * @brief The description of an error code.
 * @returns A static string, never NULL.
 */
const char *enr_err_str(enr_err_t err);

/**
 * @brief A short, stable, machine-readable name of an error code, used as
 *        the dead-letter reason and the metrics label ("invalid_utf8").
 * @returns A static string, never NULL.
 */
const char *enr_err_name(enr_err_t err);

/** Writes a formatted message into errstr (if not NULL), always terminated. */
void enr_set_errstr(char *errstr, size_t errstr_size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/**
 * @brief Grows the array *arr of *cap elements of elem bytes so that it
 *        holds at least need elements, doubling its capacity (from
 *        min_cap for an empty array) and keeping its contents.
 * @param arr  The array (*arr may be NULL); reallocated in place.
 * @param cap  Its capacity in elements; updated on success.
 * @returns ENR_OK (also when *cap already suffices), ENR_ERR_NOMEM when
 *          the allocation fails or ENR_ERR_LIMIT when the size in bytes
 *          would overflow; on error *arr and *cap are unchanged.
 */
enr_err_t enr_grow(void **arr, size_t *cap, size_t need, size_t elem,
                   size_t min_cap);

/** @brief CRC-32 (IEEE 802.3, as zlib's crc32()) of p[0..n), the trailer
 *         of the resource files (language model, place table). */
uint32_t enr_crc32(const void *p, size_t n);

#endif
