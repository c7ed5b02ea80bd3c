/*
 * Direct quotations and their speakers. enr_quotes_extract() finds the text
 * between quotation marks (straight "...", curly “...”, ``...'' and, where
 * newswire uses them, single ‘...’ or '...') in an article's analysed title
 * and body, keeps the spans that report speech or writing (not scare quotes
 * or titles of works) and attributes each to a speaker: a name of the
 * article's entity table, a pronoun resolved to the last fitting person, a
 * role ("the minister") resolved to the person the article gives that role,
 * or an unnamed source ("a spokesman", "police") kept as written.
 * The read-only state (speech verbs, given-name genders) is loaded once and
 * shared by threads; each thread brings its own scratch.
 */
#ifndef ENRICHER_QUOTES_H
#define ENRICHER_QUOTES_H

#include <stddef.h>
#include <stdint.h>

#include "enricher/common.h"
#include "enricher/entities.h"
#include "enricher/text.h"

/** Who a speaker is. */
typedef enum enr_speaker_kind {
        ENR_SPEAKER_NONE = 0, /**< Unknown (an unresolved pronoun, none). */
        ENR_SPEAKER_PERSON,   /**< A PERSON entity. */
        ENR_SPEAKER_ORG,      /**< An organisation or a country (ORG, GPE,
                                   NORP entity). */
        ENR_SPEAKER_NOMINAL,  /**< An unnamed source: "a spokesman",
                                   "police", "the statement". */
        ENR_SPEAKER__COUNT
} enr_speaker_kind_t;

/** @brief "none", "person", "org", "nominal" (the metric label); "?" out of
 *         range. */
const char *enr_speaker_kind_name(enr_speaker_kind_t k);

/** No reporting verb (enr_quote_t.verb). */
#define ENR_QUOTE_NO_VERB 0xFF

/** One direct quotation. Offsets are of the quoted content, without the
 *  marks, in the field's bytes and code points. */
typedef struct enr_quote {
        uint8_t field;      /**< An enr_field_t. */
        uint8_t kind;       /**< The speaker's enr_speaker_kind_t. */
        uint8_t verb;       /**< Reporting verb: index for
                                 enr_quotes_verb_name(), or
                                 ENR_QUOTE_NO_VERB. */
        uint8_t  spk_field; /**< Field of the speaker span. */
        uint32_t start;     /**< Byte offset of the first quoted byte. */
        uint32_t end;       /**< Byte offset one past the last. */
        uint32_t cp_start;  /**< The same in code points. */
        uint32_t cp_end;
        uint32_t spk_start; /**< Byte span of the speaker's text: the */
        uint32_t spk_end;   /**< entity's canonical name, or the phrase
                                 (or pronoun) as written; empty: none. */
        int32_t entity;     /**< Index in the entity table, or -1. */
} enr_quote_t;

/** Read-only state: speech verbs and the genders of given names. */
typedef struct enr_quotes enr_quotes_t;
/** Per-thread scratch of enr_quotes_extract(). */
typedef struct enr_quotes_scratch enr_quotes_scratch_t;

/**
 * @brief Loads the quotation state from resources_dir (quotes/genders.tsv).
 * @param resources_dir Borrowed during the call only.
 * @returns NULL with the reason in errstr; free with enr_quotes_destroy().
 */
enr_quotes_t *enr_quotes_new(const char *resources_dir, char *errstr,
                             size_t errstr_size);
/** @brief Frees q; NULL is a no-op. */
void enr_quotes_destroy(enr_quotes_t *q);

/** @brief New scratch; NULL when out of memory. Free with
 *         enr_quotes_scratch_destroy() (NULL is a no-op). */
enr_quotes_scratch_t *enr_quotes_scratch_new(void);
void                  enr_quotes_scratch_destroy(enr_quotes_scratch_t *s);

/**
 * @brief Finds the direct quotations of one article and their speakers.
 * @param q        The shared state (borrowed).
 * @param s        The caller's scratch; the previous results are replaced.
 * @param f        The analysed title and body (borrowed).
 * @param m        The mentions of the built entity table (borrowed), each
 *                 with its entity set.
 * @param e        The entity table (borrowed).
 * @param max      Limit on the number of quotations kept (0: no limit);
 *                 later ones are dropped.
 * @param out      Set to the quotations in text order (title first).
 *                 Borrowed from s until its next use.
 * @param nout     Set to their number.
 * @returns ENR_OK or ENR_ERR_NOMEM (then *nout is 0).
 * @remark Does no work but one pass over the tokens when the article has
 *         no quotation mark; allocates only when the scratch must grow.
 */
enr_err_t enr_quotes_extract(const enr_quotes_t *q, enr_quotes_scratch_t *s,
                             const enr_fields_t *f, const enr_mentions_t *m,
                             const enr_entities_t *e, size_t max,
                             const enr_quote_t **out, size_t *nout);

/** @brief The lemma of reporting verb v ("say", "tell"), or NULL for
 *         ENR_QUOTE_NO_VERB or out of range. */
const char *enr_quotes_verb_name(unsigned v);

#endif
