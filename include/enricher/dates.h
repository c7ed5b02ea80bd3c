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

/** The compiled patterns; read-only after creation, shared by threads. */
typedef struct enr_dates enr_dates_t;
/** Per-thread match data. */
typedef struct enr_dates_scratch enr_dates_scratch_t;

/**
 * @brief Compiles (and JIT-compiles) the date patterns, once at start-up.
 * @returns NULL with the reason in errstr; free with enr_dates_destroy().
 */
enr_dates_t *enr_dates_new(char *errstr, size_t errstr_size);

/** @brief Frees d; NULL is a no-op. */
void enr_dates_destroy(enr_dates_t *d);

/**
 * @brief Match data for one thread.
 * @param d Borrowed: must outlive the scratch.
 * @returns NULL when out of memory; free with enr_dates_scratch_destroy().
 */
enr_dates_scratch_t *enr_dates_scratch_new(const enr_dates_t *d);

/** @brief Frees s; NULL is a no-op. */
void enr_dates_scratch_destroy(enr_dates_scratch_t *s);

/**
 * @brief Appends the date and time mentions of t to out.
 *
 * DATE and TIME mentions carry an ISO-8601 value in value.date (with
 * ENR_MENTF_HAS_DATE): a day "1996-08-30", a month "1998-03", a year
 * "1992", an ISO week "2023-W41", a quarter "2023-Q2", an interval
 * "1990/1999" or "1997-06/1997-08", a duration "P20Y" or "PT3H", a clock
 * time "T10:36". Modifiers ("last", "next", "this", "early", "ago") stay
 * outside the span, as in the OntoNotes-style IEER annotation, but decide
 * the value. Relative expressions are resolved against published (the
 * rules are in dates.c's header comment); without a publication time only
 * what the text fixes gets a value. Allocates nothing but the growth of
 * out; compiles nothing.
 *
 * @param t         Borrowed: only t->s and t->len are read.
 * @param published Publication time in Unix seconds, or ENR_NO_TIME.
 * @param max       Limit on out's size (0: none).
 * @returns ENR_OK; extraction stops quietly when out is full or cannot
 *          grow (enr_mentions_push() returned NULL).
 */
enr_err_t enr_dates_extract(const enr_dates_t *d, enr_dates_scratch_t *s,
                            const enr_text_t *t, enr_field_t field,
                            int64_t published, enr_mentions_t *out, size_t max);

#endif
