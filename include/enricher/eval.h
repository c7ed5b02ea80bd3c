/*
 * Scoring of extracted entities against gold spans, with conlleval's rules:
 * a prediction is correct only when its span and its type are exactly those
 * of a gold span; precision, recall and F1 per type and micro-averaged over
 * all types. Errors are also classified (type confusions, boundary errors,
 * missed and spurious spans) so that `enricher eval --errors` can show the
 * ones that cost most, with examples.
 *
 * Spans are half-open [start, end) in any unit the caller chooses, as long
 * as gold and predictions use the same one (`eval` uses byte offsets of the
 * document's text; a prediction that does not start and end at token
 * boundaries then never equals a gold span and counts as a false positive).
 */
#ifndef ENRICHER_EVAL_H
#define ENRICHER_EVAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "enricher/common.h"

/** The most distinct type names one scorer keeps. */
#define ENR_EVAL_MAX_TYPES 32

/** The most examples kept per error class. */
#define ENR_EVAL_MAX_EXAMPLES 3

/** One span to score. */
typedef struct enr_eval_span {
        uint32_t    start; /**< First unit (byte, token, …). */
        uint32_t    end;   /**< One past the last. */
        const char *type;  /**< Borrowed during the call: "PER", "DATE". */
} enr_eval_span_t;

/** True positives, false positives and false negatives. */
typedef struct enr_eval_counts {
        uint64_t tp;
        uint64_t fp;
        uint64_t fn;
} enr_eval_counts_t;

/** What went wrong with a gold or predicted span. */
typedef enum enr_eval_error_kind {
        ENR_EVAL_ERR_TYPE = 0,      /**< Same span, other type ("ORG→LOC"). */
        ENR_EVAL_ERR_BOUNDARY,      /**< Overlapping, same type, other span. */
        ENR_EVAL_ERR_BOUNDARY_TYPE, /**< Overlapping, other span and type. */
        ENR_EVAL_ERR_MISSED,        /**< A gold span nothing overlaps. */
        ENR_EVAL_ERR_SPURIOUS       /**< A prediction no gold span overlaps. */
} enr_eval_error_kind_t;

/** One class of errors, e.g. every gold ORG predicted as LOC. */
typedef struct enr_eval_error {
        enr_eval_error_kind_t kind;
        const char           *gold_type; /**< NULL for SPURIOUS. */
        const char           *pred_type; /**< NULL for MISSED. */
        uint64_t              count;     /**< Occurrences. */
        uint64_t              cost; /**< False positives plus false negatives
                                         they caused (2 for a confusion). */
        char examples[ENR_EVAL_MAX_EXAMPLES][256]; /**< The first few,
                             as "gold «X» / predicted «Y»". */
        size_t nexamples;
} enr_eval_error_t;

/** A scorer accumulating counts over documents. Opaque. */
typedef struct enr_eval enr_eval_t;

/** @brief A new, empty scorer; NULL when out of memory. */
enr_eval_t *enr_eval_new(void);
void        enr_eval_destroy(enr_eval_t *ev);

/**
 * @brief Declares a type so that it is reported even with no spans.
 * @returns ENR_OK, or ENR_ERR_LIMIT over ENR_EVAL_MAX_TYPES types.
 */
enr_err_t enr_eval_add_type(enr_eval_t *ev, const char *type);

/**
 * @brief Scores one document.
 *
 * Duplicate predictions (same span and type) count once. Both arrays are
 * borrowed during the call only; they are not reordered.
 *
 * @param text     The document's text (may be NULL) from which error
 *                 examples are quoted when spans are byte offsets into it.
 * @returns ENR_OK; ENR_ERR_LIMIT over ENR_EVAL_MAX_TYPES types;
 *          ENR_ERR_INVALID_ARG for a span with end < start;
 *          ENR_ERR_NOMEM.
 */
enr_err_t enr_eval_add_doc(enr_eval_t *ev, const enr_eval_span_t *gold,
                           size_t ngold, const enr_eval_span_t *pred,
                           size_t npred, const char *text, size_t text_len);

/** @brief Number of documents scored. */
size_t enr_eval_docs(const enr_eval_t *ev);

/** @brief Counts summed over all types. */
enr_eval_counts_t enr_eval_overall(const enr_eval_t *ev);

/**
 * @brief Counts of one type.
 * @returns false when the type was never seen nor declared.
 */
bool enr_eval_type(const enr_eval_t *ev, const char *type,
                   enr_eval_counts_t *out);

/** @brief The type names seen, sorted; *n receives their number.
 *  @returns Borrowed from ev until the next call changing it. */
const char *const *enr_eval_types(const enr_eval_t *ev, size_t *n);

/** @brief Precision, recall and F1 in [0,1] (0 when undefined). */
double enr_eval_precision(const enr_eval_counts_t *c);
double enr_eval_recall(const enr_eval_counts_t *c);
double enr_eval_f1(const enr_eval_counts_t *c);

/**
 * @brief The error classes, the costliest first (ties by name).
 * @returns Borrowed from ev until the next call changing it.
 */
const enr_eval_error_t *enr_eval_errors(const enr_eval_t *ev, size_t *n);

/** @brief A short label of an error class: "ORG→LOC", "missed PER",
 *         "spurious MISC", "boundary PER", "boundary ORG→LOC". */
void enr_eval_error_label(const enr_eval_error_t *err, char *buf, size_t size);

/**
 * @brief Prints a table of precision, recall, F1 and counts per type and
 *        overall (percentages with two decimals).
 */
void enr_eval_print(const enr_eval_t *ev, FILE *fp);

/** @brief Prints the n costliest error classes with their examples. */
void enr_eval_print_errors(const enr_eval_t *ev, FILE *fp, size_t n);

/**
 * @brief The scores as JSON: {"overall": {"precision", "recall", "f1",
 *        "tp", "fp", "fn"}, "types": {TYPE: {…}}}, with "errors" (label,
 *        count, cost, examples) when nerrors > 0. Precision, recall and F1
 *        are percentages.
 * @returns A new reference the caller releases with json_decref(), or
 *          NULL when out of memory.
 */
json_t *enr_eval_json(const enr_eval_t *ev, size_t nerrors);

#endif
