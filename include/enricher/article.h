/*
 * Article input: turns the bytes of one message into title, body, id and
 * publication time, following the configured field names, and enforces the
 * input limits. JSON objects are parsed with jansson; other input is taken
 * as plain text (first line the title when a blank line or a paragraph
 * follows).
 */
#ifndef ENRICHER_ARTICLE_H
#define ENRICHER_ARTICLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "enricher/common.h"
#include "enricher/config.h"

/** A parsed article. Caller-owned: enr_article_init / enr_article_clear. */
typedef struct enr_article {
        json_t *root;      /**< Owned: the input object, or NULL for
                                plain text. */
        const char *title; /**< Borrowed from root or the input; "" if
                                none. */
        size_t      title_len;
        const char *body; /**< Borrowed from root or the input. */
        size_t      body_len;
        const char *title_key; /**< The field the title came from, or NULL. */
        const char *url; /**< Borrowed from root: its web address, or NULL. */
        size_t      url_len;
        const char *body_key; /**< The field the body came from, or NULL. */
        char        id[256];  /**< The article id (a number is printed),
                                   or "" when none. */
        bool    has_time;     /**< Whether a publication time was found. */
        int64_t published;    /**< Publication time, Unix seconds UTC. */
        char    time_raw[64]; /**< The publication time as given. */
} enr_article_t;

/** The parsing rules, derived once from the configuration. */
typedef struct enr_article_rules {
        char **title_fields; /**< NULL-terminated lists of field names. */
        char **body_fields;
        char **id_fields;
        char **time_fields;
        char **url_fields;
        int    input_format; /**< An enr_input_format_t. */
        size_t max_bytes;    /**< Larger input is ENR_ERR_TOO_LARGE. */
} enr_article_rules_t;

/** @brief Builds rules from cfg. Free with enr_article_rules_clear. */
enr_err_t enr_article_rules_init(enr_article_rules_t *r,
                                 const enr_config_t *cfg, char *errstr,
                                 size_t errstr_size);
void      enr_article_rules_clear(enr_article_rules_t *r);

void enr_article_init(enr_article_t *a);
/** @brief Releases a's JSON tree; a can be parsed into again. */
void enr_article_clear(enr_article_t *a);

/**
 * @brief Parses buf[0..len) into a.
 *
 * @param buf Borrowed: a borrows plain-text title and body from it, so it
 *            must outlive a's use.
 * @returns ENR_OK; ENR_ERR_EMPTY for empty or blank input; ENR_ERR_TOO_LARGE
 *          over the byte limit; ENR_ERR_PARSE for invalid JSON (or input
 *          that is not a JSON object) when JSON is required or the input
 *          looks like JSON; ENR_ERR_INVALID_UTF8; ENR_ERR_NO_BODY when no
 *          body field is present, is not a string, or is blank;
 *          ENR_ERR_BINARY for plain text holding NUL bytes. errstr says
 *          why.
 */
enr_err_t enr_article_parse(enr_article_t *a, const enr_article_rules_t *r,
                            const char *buf, size_t len, char *errstr,
                            size_t errstr_size);

/**
 * @brief Parses an ISO-8601 / RFC 3339 / RFC 2822 / "MM/DD/YYYY hh:mm:ss"
 *        timestamp or epoch seconds/milliseconds into Unix seconds (UTC).
 * @returns true on success.
 */
bool enr_parse_time(const char *s, size_t len, int64_t *out);

/**
 * @brief Parses the forms enr_parse_time() reads into Unix milliseconds
 *        (UTC), keeping an ISO-8601 time's fraction of a second ("…:05.250"
 *        is 250 ms; digits past the third are dropped).
 *
 * Zone offsets are Z, GMT, UTC, +hh, +hhmm or +hh:mm up to 23:59; nothing
 * but white space may follow them. Epoch values of 12 digits or more are
 * milliseconds, of 9 to 11 digits seconds.
 *
 * @param s   Borrowed; need not be terminated (len bytes are read).
 * @param out Set on success only.
 * @returns true on success.
 */
bool enr_parse_time_ms(const char *s, size_t len, int64_t *out);

#endif
