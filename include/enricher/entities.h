/*
 * Entities: the mentions the extractors find (names, numbers, dates, money)
 * and the per-article entity table that merges mentions of one entity,
 * links aliases (Raisi -> Ebrahim Raisi, OIC -> Organisation of Islamic
 * Cooperation) and orders the result deterministically.
 *
 * Extractors append enr_mention_t to an enr_mentions_t; enr_entities_build()
 * resolves overlaps, merges and sorts. Both structures are per-thread scratch
 * reused from article to article.
 */
#ifndef ENRICHER_ENTITIES_H
#define ENRICHER_ENTITIES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "enricher/common.h"
#include "enricher/text.h"

/** Entity types, named as OntoNotes (and spaCy) name them. */
typedef enum enr_ent_type {
        ENR_ENT_PERSON = 0,
        ENR_ENT_NORP,
        ENR_ENT_FAC,
        ENR_ENT_ORG,
        ENR_ENT_GPE,
        ENR_ENT_LOC,
        ENR_ENT_PRODUCT,
        ENR_ENT_EVENT,
        ENR_ENT_WORK_OF_ART,
        ENR_ENT_LAW,
        ENR_ENT_LANGUAGE,
        ENR_ENT_DATE,
        ENR_ENT_TIME,
        ENR_ENT_PERCENT,
        ENR_ENT_MONEY,
        ENR_ENT_QUANTITY,
        ENR_ENT_ORDINAL,
        ENR_ENT_CARDINAL,
        ENR_ENT__COUNT
} enr_ent_type_t;

/** @brief "PERSON", "GPE", … ; "?" for an out-of-range value. */
const char *enr_ent_type_name(enr_ent_type_t type);

/** @brief The type named name (case-sensitive), or -1. */
int enr_ent_type_parse(const char *name);

/** @brief Whether type is a name type (PERSON … LANGUAGE). */
bool enr_ent_type_is_name(enr_ent_type_t type);

/** Which field of the article a mention lies in. */
typedef enum enr_field { ENR_FIELD_TITLE = 0, ENR_FIELD_BODY = 1 } enr_field_t;

/** Qualifiers of an approximate number ("around 7,000", "more than 30,000"). */
typedef enum enr_approx {
        ENR_APPROX_NONE = 0,
        ENR_APPROX_ABOUT,     /**< around, about, approximately, some, nearly */
        ENR_APPROX_MORE_THAN, /**< more than, over, at least, upwards of */
        ENR_APPROX_LESS_THAN, /**< less than, fewer than, under, up to */
} enr_approx_t;

/** @brief "about", "more_than", "less_than", or NULL for none. */
const char *enr_approx_name(enr_approx_t a);

/** Mention flags. */
#define ENR_MENTF_HAS_NUM  0x01 /**< value.num is set. */
#define ENR_MENTF_HAS_DATE 0x02 /**< value.date is set. */
#define ENR_MENTF_DATELINE 0x04 /**< The place of the article's dateline. */
#define ENR_MENTF_RANGE    0x08 /**< value.num..value.num_hi is a range. */

/** The normalised value of a number, money, quantity or date mention. */
typedef struct enr_value {
        double num;          /**< CARDINAL/ORDINAL/PERCENT/MONEY/QUANTITY. */
        double num_hi;       /**< Upper end with ENR_MENTF_RANGE. */
        char   currency[4];  /**< ISO 4217 code for MONEY ("GBP"), or "". */
        char   date[40];     /**< ISO-8601 date, month, year, week or
                                  interval ("2023-10-07", "2023-10",
                                  "2023-W41", "2023-10-01/2023-10-31"). */
        uint32_t unit_start; /**< Byte span of the counted thing or unit */
        uint32_t unit_end;   /**< in the same field ("130 captives"). */
        uint8_t  approx;     /**< An enr_approx_t. */
} enr_value_t;

/** One mention of an entity in one field. */
typedef struct enr_mention {
        uint32_t start;      /**< Byte offset in the field. */
        uint32_t end;        /**< Byte offset one past the end. */
        uint32_t cp_start;   /**< Code-point offsets, filled by */
        uint32_t cp_end;     /**< enr_entities_build(). */
        uint8_t  field;      /**< An enr_field_t. */
        uint8_t  type;       /**< An enr_ent_type_t. */
        uint8_t  flags;      /**< ENR_MENTF_* bits. */
        uint8_t  source;     /**< Which extractor: ENR_SRC_*. */
        uint8_t  tagged;     /**< The type the extractor gave, before
                                  enr_entities_build() merged it. */
        float score;         /**< Confidence in [0,1]; overlaps keep the
                                  higher. */
        char        code[4]; /**< ISO 3166-1 alpha-2 for GPE/NORP, or "". */
        int32_t     entity;  /**< Index in the entity table after build. */
        enr_value_t value;   /**< The normalised value, see flags. */
} enr_mention_t;

#define ENR_SRC_RULES  0 /**< Capitalised-span rules and gazetteers. */
#define ENR_SRC_TAGGER 1 /**< The learned tagger. */
#define ENR_SRC_NUMBER 2 /**< Number, money and percent patterns. */
#define ENR_SRC_DATE   3 /**< Date and time patterns. */

/** A growable list of mentions (scratch). */
typedef struct enr_mentions {
        enr_mention_t *v;
        size_t         n;
        size_t         cap;
} enr_mentions_t;

void enr_mentions_init(enr_mentions_t *m);
void enr_mentions_clear(enr_mentions_t *m);
/** @brief Empties m, keeping its allocation. */
void enr_mentions_reset(enr_mentions_t *m);
/**
 * @brief Appends a zeroed mention with the given span and type.
 * @returns A pointer to it (valid until the next push), or NULL when out of
 *          memory or over max (0: no limit).
 */
enr_mention_t *enr_mentions_push(enr_mentions_t *m, enr_field_t field,
                                 uint32_t start, uint32_t end,
                                 enr_ent_type_t type, size_t max);

/** One entity: a canonical name and the mentions that refer to it. */
typedef struct enr_entity {
        uint8_t  type;    /**< An enr_ent_type_t. */
        uint8_t  field;   /**< Field of the canonical mention. */
        uint32_t start;   /**< Byte span of the canonical mention */
        uint32_t end;     /**< in that field (the longest full form). */
        char     code[4]; /**< ISO 3166-1 alpha-2, or "". */
        uint32_t count;   /**< Number of mentions. */
        uint32_t first;   /**< Index in enr_entities_t.order of its first
                               mention; mentions of one entity are
                               contiguous there. */
        int32_t value_of; /**< Mention whose value the entity carries,
                               or -1. */
        float score;      /**< Highest score of its mentions. */
} enr_entity_t;

/** The entity table of one article (scratch). */
typedef struct enr_entities {
        enr_entity_t *v; /**< Entities, in order of first mention. */
        size_t        n;
        size_t        cap;
        uint32_t     *order; /**< Mention indices grouped by entity. */
        size_t        order_cap;
        enr_entity_t *tmp;   /**< Scratch of enr_entities_regroup(). */
        int32_t      *remap; /**< Its old-to-new entity indices. */
        size_t        tmp_cap;
} enr_entities_t;

void enr_entities_init(enr_entities_t *e);
void enr_entities_clear(enr_entities_t *e);

/** The texts the mentions point into, indexed by enr_field_t. */
typedef struct enr_fields {
        const enr_text_t *text[2]; /**< Borrowed: title and body analyses. */
} enr_fields_t;

/**
 * @brief Resolves overlapping mentions (longer and higher-scored win, names
 *        never overlap numbers inside them), fills code-point offsets,
 *        merges mentions of one entity (same type and text, or a short form
 *        of an earlier full name, or an acronym defined in parentheses) and
 *        orders entities by first mention (title before body).
 *
 * @remark Merging details: text compares ignoring ASCII case ("IRAN" and
 *         "Iran"); a PERSON name ending in the words of an earlier PERSON
 *         entity ("Raisi" after "Ebrahim Raisi") joins the most recent one,
 *         and a full name after its short form becomes the canonical span;
 *         an ORG acronym joins the ORG whose capitalised initials it spells
 *         (either order; the long form is canonical); a mention scored below
 *         0.5 has a guessed type and may take the type of the entity it
 *         joins (or give it, when the entity's own mentions are guesses).
 *
 * @param m  The mentions; reordered and pruned in place; each surviving
 *           mention's entity field is set.
 * @returns ENR_OK or ENR_ERR_NOMEM.
 */
enr_err_t enr_entities_build(enr_entities_t *e, enr_mentions_t *m,
                             const enr_fields_t *f);

/**
 * @brief Rebuilds the table after mentions moved between entities (their
 *        entity field changed) or entities changed type: every mention
 *        takes its entity's type, entities left without mentions go, an
 *        entity whose canonical mention moved away takes its longest
 *        remaining mention (the earliest of equals), codes follow the
 *        types, and entities are renumbered in order of first mention.
 *
 * @param m The mentions of a built table, in text order; each one's entity
 *          field is an index into e->v. Renumbered in place.
 * @returns ENR_OK or ENR_ERR_NOMEM.
 */
enr_err_t enr_entities_regroup(enr_entities_t *e, enr_mentions_t *m);

/** @brief Whether type carries an ISO 3166 country code (GPE, NORP, LOC). */
bool enr_ent_type_has_code(enr_ent_type_t type);

#endif
