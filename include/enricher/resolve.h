/*
 * Document-level entity resolution: one name, one type per article.
 *
 * After enr_entities_build() has merged the mentions of an article into
 * entities, the same name can still sit in two entities of different types
 * ("Yukos" an ORG in one sentence and a PERSON in the next, "BA" a LOC
 * while "British Airways (BA)" is an ORG). enr_resolve_apply() gathers, for
 * every name (compared ignoring ASCII case), all the evidence the article
 * holds about it and gives all its mentions one entity and one type:
 *
 * - each mention's confidence, for the type of the entity it was merged
 *   into (so an alias votes with its full name);
 * - context cues around each mention: a title before it ("Mr", "President")
 *   says PERSON; company words around it ("shares in X", "X shares",
 *   "X's chief executive", "X shareholders") say ORG;
 * - links to a longer name of the article: a one-word name that ends a
 *   multi-word PERSON ("Bush" of "George Bush") votes for that person; an
 *   acronym that spells a longer name ("UKIP" of "UK Independence Party",
 *   "J&J" of "Johnson & Johnson", "BA" of "British Airways"), wherever both
 *   appear, joins the long form and takes its type.
 *
 * The winning type's entity takes every mention of the name; an entity left
 * with no mention goes. The result is deterministic: ties go to the entity
 * mentioned first.
 */
#ifndef ENRICHER_RESOLVE_H
#define ENRICHER_RESOLVE_H

#include <stddef.h>

#include "enricher/common.h"
#include "enricher/entities.h"
#include "enricher/gazetteer.h"

typedef struct enr_resolve         enr_resolve_t;
typedef struct enr_resolve_scratch enr_resolve_scratch_t;

/**
 * @brief Prepares the resolver. g (titles for the PERSON cue) is borrowed
 *        and must outlive the result; NULL disables the title cue.
 * @returns NULL when out of memory; free with enr_resolve_destroy().
 */
enr_resolve_t *enr_resolve_new(const enr_gazetteer_t *g);
void           enr_resolve_destroy(enr_resolve_t *r);

/** @brief Per-thread scratch; NULL when out of memory. */
enr_resolve_scratch_t *enr_resolve_scratch_new(void);
void                   enr_resolve_scratch_destroy(enr_resolve_scratch_t *s);

/**
 * @brief Gives every name of one article's entity table one entity and one
 *        type (see the top of this header), then rebuilds the table with
 *        enr_entities_regroup().
 *
 * @param e        A table built by enr_entities_build() from m and f.
 * @param m        Its mentions; entity and type fields change in place.
 * @param f        The fields the mentions point into (borrowed).
 * @param changed  Out (may be NULL): how many mentions changed type.
 * @returns ENR_OK or ENR_ERR_NOMEM (the table is then unchanged or still
 *          consistent, with some names unresolved).
 */
enr_err_t enr_resolve_apply(const enr_resolve_t *r, enr_resolve_scratch_t *s,
                            enr_entities_t *e, enr_mentions_t *m,
                            const enr_fields_t *f, size_t *changed);

/**
 * @brief Whether acr (2-8 capitals, "&" allowed) spells the capitalised
 *        words of long_: one initial per word, or the whole of a word that
 *        is itself in capitals ("UKIP": "UK Independence Party"); lower-case
 *        words ("of", "for") and "&" may be skipped, and an "&" in acr
 *        matches an "&" word ("J&J": "Johnson & Johnson").
 */
bool enr_resolve_is_acronym(const char *acr, size_t alen, const char *long_,
                            size_t llen);

#endif
