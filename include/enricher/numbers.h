/*
 * Numbers: CARDINAL, ORDINAL, QUANTITY, MONEY and PERCENT mentions found
 * with pcre2 patterns (JIT-compiled once at start-up) and normalised by a
 * small parser of numerals and number words ("1.5 million", "two million",
 * "£600m", "76 per cent", "fourth").
 */
#ifndef ENRICHER_NUMBERS_H
#define ENRICHER_NUMBERS_H

#include <stdbool.h>
#include <stddef.h>

#include "enricher/common.h"
#include "enricher/entities.h"
#include "enricher/text.h"

/** The compiled patterns; read-only after creation, shared by threads. */
typedef struct enr_numbers enr_numbers_t;
/** Per-thread match data. */
typedef struct enr_numbers_scratch enr_numbers_scratch_t;

/**
 * @brief Compiles (and JIT-compiles) the number patterns, once at start-up.
 * @returns NULL with the reason in errstr; free with enr_numbers_destroy().
 */
enr_numbers_t *enr_numbers_new(char *errstr, size_t errstr_size);

/** @brief Frees n; NULL is a no-op. */
void enr_numbers_destroy(enr_numbers_t *n);

/**
 * @brief Match data for one thread.
 * @param n Borrowed: must outlive the scratch.
 * @returns NULL when out of memory; free with enr_numbers_scratch_destroy().
 */
enr_numbers_scratch_t *enr_numbers_scratch_new(const enr_numbers_t *n);

/** @brief Frees s; NULL is a no-op. */
void enr_numbers_scratch_destroy(enr_numbers_scratch_t *s);

/**
 * @brief Appends the number mentions of t (one field) to out.
 *
 * Types: CARDINAL (value.num; value.unit_start/unit_end span the counted
 * thing that follows, "130 [captives]"), MONEY (value.num in units of the
 * currency, value.currency ISO 4217: "£600m" -> 600000000 GBP), PERCENT
 * ("76 per cent" -> 76; basis points are hundredths), ORDINAL ("fourth" ->
 * 4), QUANTITY (measures, "5 km", with the unit span; ages; rates such as
 * "2,000 letters a day"). Qualifiers such as "about", "more than", "up to"
 * stay outside the span and set value.approx. Years, clock times and
 * durations are left to enr_dates_extract(). Allocates nothing but the
 * growth of out; compiles nothing.
 *
 * @param t   Borrowed: only t->s and t->len are read.
 * @param max Limit on out's size (0: none); extraction stops quietly there.
 * @returns ENR_OK; extraction stops quietly when out is full or cannot
 *          grow (enr_mentions_push() returned NULL).
 */
enr_err_t enr_numbers_extract(const enr_numbers_t *n, enr_numbers_scratch_t *s,
                              const enr_text_t *t, enr_field_t field,
                              enr_mentions_t *out, size_t max);

/**
 * @brief Parses a numeral or number words ("7,000", "1.5 million",
 *        "two million", "a quarter", "two and a half", "nine-tenths",
 *        "fourth", "21st", "hundreds") into *value.
 * @param s Borrowed; need not be terminated; at most 128 bytes are read.
 * @returns true when all of s[0..len) was understood (*value is 0 if not).
 * @remark The value is computed in decimal from the digits and words and
 *         converted once: *value is the double nearest to it ("1.7 million"
 *         is exactly 1700000, "0.7" the double nearest 0.7). A fraction that
 *         is not decimal ("two thirds") is one division of exact operands.
 *         Past 19 significant digits, further digits are rounded off.
 */
bool enr_number_parse(const char *s, size_t len, double *value);

#endif
