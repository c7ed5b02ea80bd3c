/*
 * CoNLL-2003 style corpora: one token per line with the NER tag last, IOB1
 * or IOB2, documents split at -DOCSTART-, sentences at blank lines. Used by
 * `enricher eval` and `enricher train`.
 */
#ifndef ENRICHER_CONLL_H
#define ENRICHER_CONLL_H

#include <stddef.h>
#include <stdint.h>

#include "enricher/common.h"

/** A gold span in token indices of one document. */
typedef struct enr_conll_span {
        uint32_t start;   /**< First token. */
        uint32_t end;     /**< One past the last token. */
        char     type[8]; /**< "PER", "ORG", "LOC", "MISC". */
} enr_conll_span_t;

/** One document: its tokens, sentence breaks and gold spans. */
typedef struct enr_conll_doc {
        char            **toks; /**< Token texts (owned by the corpus). */
        uint32_t          ntoks;
        uint32_t         *sent_end; /**< Token index one past each sentence. */
        uint32_t          nsents;
        enr_conll_span_t *spans; /**< Gold spans, in order. */
        uint32_t          nspans;
        char            **tags; /**< The IOB2 tag of each token. */
} enr_conll_doc_t;

typedef struct enr_conll {
        enr_conll_doc_t *docs;
        size_t           ndocs;
        void            *arena; /**< Internal storage. */
} enr_conll_t;

/**
 * @brief Reads a CoNLL file (IOB1 or IOB2; converted to IOB2 spans).
 * @returns NULL with errstr on failure; free with enr_conll_destroy().
 */
enr_conll_t *enr_conll_read(const char *path, char *errstr, size_t errstr_size);
void         enr_conll_destroy(enr_conll_t *c);

/**
 * @brief Parses a CoNLL corpus held in memory (as enr_conll_read()).
 *        Documents are split at -DOCSTART- lines; input without any is cut
 *        into documents of about 2,000 tokens at sentence ends. I-X after O
 *        or after a span of another type begins a span (IOB1); B-X and S-X
 *        always begin one; E-X and S-X end one.
 * @param buf Borrowed during the call only (it is copied).
 * @returns NULL with errstr on failure (a line with a token but no tag, a
 *          malformed tag, a type longer than 7 bytes, over 1 GiB);
 *          free with enr_conll_destroy().
 */
enr_conll_t *enr_conll_parse(const char *buf, size_t len, char *errstr,
                             size_t errstr_size);

/**
 * @brief Rebuilds a document's text: tokens joined by single spaces,
 *        sentences by newlines. Fills tok_off[i] with each token's byte
 *        offset (tok_off must hold doc->ntoks entries).
 * @returns A malloc'd, terminated string the caller frees, or NULL.
 */
char *enr_conll_text(const enr_conll_doc_t *doc, uint32_t *tok_off,
                     size_t *len);

#endif
