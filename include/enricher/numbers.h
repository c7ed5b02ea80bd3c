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

typedef struct enr_numbers enr_numbers_t;
/** Per-thread match data. */
typedef struct enr_numbers_scratch enr_numbers_scratch_t;

enr_numbers_t *enr_numbers_new(char *errstr, size_t errstr_size);
void enr_numbers_destroy(enr_numbers_t *n);
enr_numbers_scratch_t *enr_numbers_scratch_new(const enr_numbers_t *n);
void enr_numbers_scratch_destroy(enr_numbers_scratch_t *s);

/** @brief Appends the number mentions of t (one field) to out. */
enr_err_t enr_numbers_extract(const enr_numbers_t *n,
                              enr_numbers_scratch_t *s, const enr_text_t *t,
                              enr_field_t field, enr_mentions_t *out,
                              size_t max);

/**
 * @brief Parses a numeral or number words ("7,000", "1.5 million",
 *        "two million", "a quarter", "fourth") into *value.
 * @returns true when all of s[0..len) was understood.
 */
bool enr_number_parse(const char *s, size_t len, double *value);

#endif
