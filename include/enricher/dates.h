/*
 * Dates and times: DATE and TIME mentions found with pcre2 patterns and
 * normalised to ISO-8601, resolved against the article's publication time
 * when it has one ("Thursday", "October 7", "last week").
 */
#ifndef ENRICHER_DATES_H
#define ENRICHER_DATES_H

#include <stdint.h>

#include "enricher/common.h"
#include "enricher/entities.h"
#include "enricher/text.h"

/** Pass as the publication time when the article has none. */
#define ENR_NO_TIME INT64_MIN

typedef struct enr_dates enr_dates_t;
typedef struct enr_dates_scratch enr_dates_scratch_t;

enr_dates_t *enr_dates_new(char *errstr, size_t errstr_size);
void enr_dates_destroy(enr_dates_t *d);
enr_dates_scratch_t *enr_dates_scratch_new(const enr_dates_t *d);
void enr_dates_scratch_destroy(enr_dates_scratch_t *s);

/**
 * @brief Appends the date and time mentions of t to out.
 * @param published Publication time in Unix seconds, or ENR_NO_TIME.
 */
enr_err_t enr_dates_extract(const enr_dates_t *d, enr_dates_scratch_t *s,
                            const enr_text_t *t, enr_field_t field,
                            int64_t published, enr_mentions_t *out,
                            size_t max);

#endif
