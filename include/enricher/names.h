/*
 * Rule-based name finding: capitalised spans classified as PERSON, ORG,
 * GPE, LOC, NORP, FAC or EVENT using the gazetteers, context words (titles,
 * "said", "according to"), the shape of the span and a dictionary of common
 * words. Also finds the dateline place and trailing boilerplate. The
 * fallback when no tagger model is configured. On both paths (rules and
 * tagger) it then types EVENT, FAC, PRODUCT, WORK_OF_ART, LAW and LANGUAGE
 * names from the type lists, head words ("… Act", "… Stadium", "… Cup"),
 * cue words ("the film …", "in French,") and models after product lines
 * ("PlayStation 2").
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
void         enr_names_destroy(enr_names_t *n);

/**
 * @brief Appends the names found in t (one field) to out. Thread-safe; no
 *        allocation except growing out.
 *
 * In a body, names after enr_names_boilerplate() are skipped and the place
 * of a dateline in the first lines ("TEHRAN –", "LONDON 1996-08-30") gets
 * ENR_MENTF_DATELINE. GPE, LOC and NORP mentions carry their ISO 3166-1
 * alpha-2 code when the gazetteer knows it. Titles are not part of a
 * person's name. A mention whose type is only a guess (a lone unknown
 * capitalised word) has a score below 0.5, which lets enr_entities_build()
 * retype it. EVENT, FAC, PRODUCT, WORK_OF_ART, LAW and LANGUAGE mentions
 * are found as enr_names_refine() describes.
 *
 * @param max Limit on out->n (0: none); names past it are dropped and the
 *            call still returns ENR_OK.
 * @returns ENR_OK, ENR_ERR_INVALID_ARG or ENR_ERR_NOMEM.
 */
enr_err_t enr_names_extract(const enr_names_t *n, const enr_text_t *t,
                            enr_field_t field, enr_mentions_t *out, size_t max);

/**
 * @brief Corrects a learned tagger's name mentions out->v[from..out->n) of
 *        field t with what the rules know: joins two PERSON mentions that
 *        only a name connector separates ("Mohammed bin Abdulrahman" "bin"
 *        "Jassim Al Thani"), drops a one-word name at the start of a
 *        sentence that is a common lower-case word with no name reading and
 *        is not capitalised anywhere else mid-sentence in t
 *        ("Additionally"), and replaces what the tagger made of a body's
 *        dateline ("TEHRAN –") with the rules' dateline mention (flagged
 *        ENR_MENTF_DATELINE, with its country code). Thread-safe.
 *
 * It also types the names beyond people, organisations and places, each
 * replacing the name mentions it overlaps with a confident score (0.8,
 * 0.9 from a list, 0.7 for a title's later mentions):
 * - entries of the type lists (products.tsv, works.tsv, named.tsv), and a
 *   product line with its model ("PlayStation 2", "Nokia 6600", not
 *   "Samsung 10" or "Nokia 2004");
 * - LAW: capitalised words ending in Act, Bill, Treaty, Directive,
 *   Convention, Agreement, Accord, Constitution, Amendment or Pact, with a
 *   year or "of …"/"on …" after ("Terrorism Act 2000", "Treaty of Rome"),
 *   not "Bill Gates", "the Bill", "Best Dance Act";
 * - FAC: words ending in Airport, Stadium, Arena, Bridge, Tunnel, Prison,
 *   Station, Cathedral, Abbey, Palace, Tower … (not after a given name:
 *   "Wayne Bridge"); EVENT: words ending in Cup, Championship(s),
 *   Olympics, War, Festival, Marathon, Tournament, Trophy, Prix, or
 *   after Operation or Hurricane; neither overrides a person;
 * - LANGUAGE: a listed language after "in"/"into" when a function word or
 *   punctuation follows ("in French,", not "in French politics"), after
 *   "speak(s)", "learn", "fluent" …, before "language", "speakers",
 *   "subtitles", "version" …, or before "-language"/"-speaking";
 * - WORK_OF_ART: the capitalised (or quoted) title after a cue word
 *   ("film", "movie", "album", "book", "novel", "documentary" …, and
 *   "single", "play", "show", "series" … after a determiner), unless the
 *   lists know it as a place, group, organisation or person; then the
 *   title's other mentions in the field.
 * @param max Limit on out->n (0: none).
 */
void enr_names_refine(const enr_names_t *n, const enr_text_t *t,
                      enr_field_t field, enr_mentions_t *out, size_t from,
                      size_t max);

/**
 * @brief The token index where trailing boilerplate of a body begins, or
 *        t->ntoks when none.
 *
 * A sentence or line among the last lines of the text (at most 8 lines and
 * 400 tokens) that starts with "Source link", "Click to", "Click here",
 * "Follow us", "Read more", "Subscribe", "Copyright", "©", "All rights
 * reserved", "Share this", "Sign up", "Related articles", "This news has
 * been", "Download our app" or "Join our" starts it; the earliest wins.
 */
size_t enr_names_boilerplate(const enr_text_t *t);

#endif
