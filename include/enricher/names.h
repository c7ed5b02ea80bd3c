/*
 * Rule-based name finding: capitalised spans classified as PERSON, ORG,
 * GPE, LOC, NORP, FAC or EVENT using the gazetteers, context words (titles,
 * "said", "according to"), the shape of the span and a dictionary of common
 * words. Also finds the dateline place and trailing boilerplate. The
 * fallback when no tagger model is configured.
 */
#ifndef ENRICHER_NAMES_H
#define ENRICHER_NAMES_H

#include <stddef.h>

#include "enricher/common.h"
#include "enricher/entities.h"
#include "enricher/gazetteer.h"
#include "enricher/text.h"

typedef struct enr_names enr_names_t;

/**
 * @brief Prepares the rules. g is borrowed and must outlive the result.
 * @returns NULL with errstr on failure; free with enr_names_destroy().
 */
enr_names_t *enr_names_new(const enr_gazetteer_t *g, char *errstr,
                           size_t errstr_size);
void enr_names_destroy(enr_names_t *n);

/**
 * @brief Appends the names found in t (one field) to out. Thread-safe.
 * @param max Limit on out->n (0: none).
 */
enr_err_t enr_names_extract(const enr_names_t *n, const enr_text_t *t,
                            enr_field_t field, enr_mentions_t *out,
                            size_t max);

/**
 * @brief The token index where trailing boilerplate of a body begins
 *        ("Source link", "Follow us on …"), or t->ntoks when none.
 */
size_t enr_names_boilerplate(const enr_text_t *t);

#endif
