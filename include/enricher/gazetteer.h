/*
 * Gazetteers: name lists loaded once at start-up from the resources
 * directory (countries and subdivisions from iso-codes, cities from tzdata,
 * curated demonyms, organisations, titles, organisation suffixes, a
 * dictionary of common words, and the type lists of products, works of
 * art, languages, facilities, events and laws) and looked up by token sequence.
 * Read-only after loading, so shared by every thread.
 */
#ifndef ENRICHER_GAZETTEER_H
#define ENRICHER_GAZETTEER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "enricher/common.h"
#include "enricher/text.h"

/** Classes a gazetteer entry can belong to (bits). */
#define ENR_GAZ_COUNTRY    0x0001 /**< A country or territory (GPE). */
#define ENR_GAZ_REGION     0x0002 /**< A subdivision, state, province (GPE). */
#define ENR_GAZ_CITY       0x0004 /**< A city (GPE). */
#define ENR_GAZ_LOC        0x0008 /**< Seas, rivers, regions (LOC). */
#define ENR_GAZ_NORP       0x0010 /**< Nationality, demonym, group. */
#define ENR_GAZ_ORG        0x0020 /**< A known organisation. */
#define ENR_GAZ_TITLE      0x0040 /**< A title or honorific (President). */
#define ENR_GAZ_ORG_SUFFIX 0x0080 /**< Ministry, Council, Inc., Ltd … */
#define ENR_GAZ_FIRST_NAME 0x0100 /**< A given name. */
#define ENR_GAZ_COMMON     0x0200 /**< A common lower-case word. */
#define ENR_GAZ_PERSON     0x0400 /**< A known person. */
#define ENR_GAZ_FAC        0x0800 /**< A facility. */
#define ENR_GAZ_EVENT      0x1000 /**< An event. */
#define ENR_GAZ_EVENT_WORD                                                     \
        0x2000                  /**< Head word of events (Operation, Cup).     \
                                 */
#define ENR_GAZ_FAC_WORD 0x4000 /**< Head word of facilities (Airport). */

/* Classes of the type lists only (enr_gazetteer_match_types()); the
 * tagger's features never see them. */
#define ENR_GAZ_PRODUCT 0x10000 /**< A product (Xbox, Windows XP). */
#define ENR_GAZ_PRODUCT_LINE                                                   \
        0x20000                      /**< A product line that takes a model    \
                                          name or number (PlayStation 2). */
#define ENR_GAZ_WORK_OF_ART 0x40000  /**< A film, book, album, show. */
#define ENR_GAZ_LAW         0x80000  /**< A named law or treaty. */
#define ENR_GAZ_LANGUAGE    0x100000 /**< A language (Mandarin). */

/** The classes that make a span a name by themselves. */
#define ENR_GAZ_NAME_CLASSES                                                   \
        (ENR_GAZ_COUNTRY | ENR_GAZ_REGION | ENR_GAZ_CITY | ENR_GAZ_LOC |       \
         ENR_GAZ_NORP | ENR_GAZ_ORG | ENR_GAZ_PERSON | ENR_GAZ_FAC |           \
         ENR_GAZ_EVENT)

typedef struct enr_gazetteer enr_gazetteer_t;

/** The result of a look-up. */
typedef struct enr_gaz_match {
        uint32_t ntoks;      /**< Tokens matched. */
        uint32_t classes;    /**< ENR_GAZ_* bits of the matched entry. */
        uint32_t curated;    /**< Those of its bits the curated lists give
                                  (not the lists derived from CoNLL). */
        char        code[4]; /**< ISO 3166-1 alpha-2 where one applies. */
        const char *canon;   /**< Borrowed: canonical name, or NULL. */
} enr_gaz_match_t;

/**
 * @brief Loads every list under dir (the resources directory).
 * @returns The gazetteer, or NULL with the reason in errstr. Caller frees
 *          with enr_gazetteer_destroy().
 */
enr_gazetteer_t *enr_gazetteer_new(const char *dir, char *errstr,
                                   size_t errstr_size);
void             enr_gazetteer_destroy(enr_gazetteer_t *g);

/**
 * @brief The longest entry matching tokens [i, end) of t from token i
 *        (case-sensitive on the first letter, then as listed).
 * @returns true and fills out when an entry matches.
 */
bool enr_gazetteer_match(const enr_gazetteer_t *g, const enr_text_t *t,
                         size_t i, size_t end, enr_gaz_match_t *out);

/**
 * @brief Like enr_gazetteer_match() but ignoring case: the tokens are
 *        lower-cased as enr_tok_lower() does (for ALL-CAPS lines).
 */
bool enr_gazetteer_match_folded(const enr_gazetteer_t *g, const enr_text_t *t,
                                size_t i, size_t end, enr_gaz_match_t *out);

/**
 * @brief Like enr_gazetteer_match() (or enr_gazetteer_match_folded() when
 *        folded) but in the type lists: products, works of art, languages
 *        and named facilities, events and laws (products.tsv, works.tsv,
 *        languages.tsv, named.tsv). These lists are kept apart from the
 *        main tables, so the tagger's gazetteer features and
 *        enr_gazetteer_size() do not depend on them.
 * @returns true and fills out when an entry matches.
 */
bool enr_gazetteer_match_types(const enr_gazetteer_t *g, const enr_text_t *t,
                               size_t i, size_t end, bool folded,
                               enr_gaz_match_t *out);

/**
 * @brief Looks up one key: an entry's tokens joined by single spaces
 *        ("Gaza Strip"), lower-cased as enr_tok_lower() does when folded.
 * @returns true and fills out (ntoks is the entry's token count).
 */
bool enr_gazetteer_find(const enr_gazetteer_t *g, const char *key, size_t len,
                        bool folded, enr_gaz_match_t *out);

/** @brief enr_gazetteer_find() in the type lists. */
bool enr_gazetteer_find_types(const enr_gazetteer_t *g, const char *key,
                              size_t len, bool folded, enr_gaz_match_t *out);

/** @brief The ENR_GAZ_* classes of a single word (exact text), or 0. */
uint32_t enr_gazetteer_word(const enr_gazetteer_t *g, const char *w,
                            size_t len);

/**
 * @brief The hash enr_gazetteer_word_hashed() and
 *        enr_gazetteer_word_prefetch() take: compute it once per word.
 */
uint32_t enr_gazetteer_hash(const char *w, size_t len);

/**
 * @brief Starts loading the memory a look-up of the word with this hash
 *        reads, for a caller that looks words up a few tokens later.
 */
void enr_gazetteer_word_prefetch(const enr_gazetteer_t *g, uint32_t hash);

/** @brief enr_gazetteer_word() with the word's enr_gazetteer_hash(). */
uint32_t enr_gazetteer_word_hashed(const enr_gazetteer_t *g, const char *w,
                                   size_t len, uint32_t hash);

/**
 * @brief The ENR_GAZ_* classes of every entry whose lower-cased form is w
 *        (w must be lower-cased as enr_tok_lower() does), or 0.
 */
uint32_t enr_gazetteer_word_folded(const enr_gazetteer_t *g, const char *w,
                                   size_t len);

/** @brief The number of distinct keys loaded (for logs and tests). */
size_t enr_gazetteer_size(const enr_gazetteer_t *g);

#endif
