/*
 * Geocoding: places on the map for the GPE, LOC, FAC and NORP entities of
 * one article. A table of GeoNames places (cities of 1,000 people or more,
 * countries, admin1 regions, continents; resources/geo/PROVENANCE.md) is
 * loaded once and read-only afterwards, so one table serves every thread;
 * enr_geo_resolve() picks, for each place entity, one GeoNames place or
 * none, from the whole article's evidence: a state or country after a
 * comma ("Paris, Texas", "Alexandria, La."), the dateline, the countries
 * and regions the article names, the places near its other places, and
 * population and feature class. When the evidence is weak it says nothing
 * rather than something wrong.
 */
#ifndef ENRICHER_GEO_H
#define ENRICHER_GEO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "enricher/common.h"
#include "enricher/entities.h"
#include "enricher/gazetteer.h"

/** A loaded place table; opaque, read-only after enr_geo_new(). */
typedef struct enr_geo enr_geo_t;

/** Per-thread scratch of enr_geo_resolve(). */
typedef struct enr_geo_scratch enr_geo_scratch_t;

/** The table file read when enr_geo_new() is given no path. */
#define ENR_GEO_DEFAULT_FILE "geo/places.bin"

/** GeoNames feature class and code of a place (a closed set). */
typedef enum enr_geo_feature {
        ENR_GEO_PPL = 0, /**< P.PPL: a populated place. */
        ENR_GEO_PPLC,    /**< P.PPLC: a country's capital. */
        ENR_GEO_PCLI,    /**< A.PCLI: a country. */
        ENR_GEO_ADM1,    /**< A.ADM1: a first-order division. */
        ENR_GEO_CONT,    /**< L.CONT: a continent. */
        ENR_GEO_ADM2,    /**< A.ADM2: a second-order division (county). */
        ENR_GEO__COUNT
} enr_geo_feature_t;

/** @brief "P.PPL", "P.PPLC", "A.PCLI", "A.ADM1", "L.CONT", "A.ADM2"; "?" when
 * out of range. */
const char *enr_geo_feature_name(enr_geo_feature_t f);

/** One place of the table. */
typedef struct enr_place {
        uint32_t geonameid;  /**< GeoNames id; 0 when the table does not
                                  know it (admin1 regions outside the US,
                                  admin2 regions). */
        double   lat;        /**< WGS84 degrees. */
        double   lon;        /**< WGS84 degrees. */
        uint32_t population; /**< 0 when not known. */
        char     country[3]; /**< ISO 3166-1 alpha-2, "" for continents. */
        char     admin1[9];  /**< GeoNames admin1 code, or "". */
        uint8_t  feature;    /**< An enr_geo_feature_t. */
} enr_place_t;

/**
 * @brief Loads a place table.
 *
 * @param resources_dir The resources directory, used when @p path is NULL
 *                      (then <resources_dir>/geo/places.bin is read); NULL
 *                      means the built-in default (ENR_RESOURCE_DIR).
 * @param path          The table file, or NULL. Borrowed.
 * @param gaz           Borrowed until enr_geo_destroy(), may be NULL: the
 *                      gazetteer that says which names are countries
 *                      ("U.S.", "Britain") and which are common words.
 * @param errstr        Receives a message on failure (may be NULL): an
 *                      unreadable file, or a corrupt one ("geo table: ...").
 * @returns A table the caller frees with enr_geo_destroy(), or NULL.
 */
enr_geo_t *enr_geo_new(const char *resources_dir, const char *path,
                       const enr_gazetteer_t *gaz, char *errstr,
                       size_t errstr_size);

/** @brief Frees a table; NULL is a no-op. */
void enr_geo_destroy(enr_geo_t *g);

/** @brief Sets the gazetteer of a table (before it is shared); borrowed. */
void enr_geo_set_gazetteer(enr_geo_t *g, const enr_gazetteer_t *gaz);

/** @brief The number of places in the table. */
size_t enr_geo_count(const enr_geo_t *g);

/** @brief Per-thread scratch for g; NULL when out of memory. Free with
 *         enr_geo_scratch_destroy() (NULL is a no-op). */
enr_geo_scratch_t *enr_geo_scratch_new(const enr_geo_t *g);
void               enr_geo_scratch_destroy(enr_geo_scratch_t *s);

/**
 * @brief Places the GPE, LOC, FAC and NORP entities of one article's entity
 *        table on the map.
 *
 * A NORP entity gets its country (by its code); a name that the gazetteer
 * calls a country gets that country; other names get the GeoNames place of
 * that name that the article's evidence supports best, or none when no
 * place of that name is known, when a state or country after a comma rules
 * every candidate out, or when the best candidate is weak (a small place
 * that nothing else in the article points to). An ORG entity whose name
 * holds a place name (enr_geo_place_span()) gets that place when the
 * article supports it. Other entity types never get a place.
 *
 * @param g        The table. Borrowed.
 * @param s        Scratch; its arrays grow to the largest article and are
 *                 reused (no allocation once grown).
 * @param e        An entity table built from @p m and @p f. Borrowed.
 * @param m        Its mentions (ENR_MENTF_DATELINE marks the dateline's).
 * @param f        The texts the mentions point into.
 * @param url      The article's web address (may be NULL), url_len bytes:
 *                 the country of its country-code domain ("bbc.co.uk":
 *                 GB) and the town its site's name begins with
 *                 ("columbustelegram.com": a Columbus, which the article's
 *                 places choose) count as one mention each in the
 *                 context, and a town near the latter is the article's
 *                 neighbourhood ("Dublin" beside no other place of Ohio
 *                 is Dublin, Ohio, in a Columbus paper).
 * @param resolved Out (may be NULL): how many entities got a place.
 * @param unresolved Out (may be NULL): place entities that got none.
 * @returns ENR_OK, or ENR_ERR_NOMEM (then no entity has a place).
 */
enr_err_t enr_geo_resolve(const enr_geo_t *g, enr_geo_scratch_t *s,
                          const enr_entities_t *e, const enr_mentions_t *m,
                          const enr_fields_t *f, const char *url,
                          size_t url_len, size_t *resolved, size_t *unresolved);

/**
 * @brief Splits the place and people mentions made of two names joined by
 * a hyphen ("US-China talks", "Israeli-Egyptian relations", "a
 * London-Frankfurt flight") into one mention per name, each a GPE or a
 * NORP with its country code, when each name is a country, region, city
 * or people the gazetteer knows (a town of the table alone is not enough:
 * "Simpson-Daniel", "Kimberly-Clark") and the whole is no name of its own
 * ("Winston-Salem", "Guinea-Bissau", "Miami-Dade"). A people joined to
 * "American" ("Irish-American") stays one people. Call it before
 * enr_entities_build().
 *
 * @param max   The most mentions m may hold (0: no limit); a split that
 *              would pass it is not made.
 * @param split Out (may be NULL): mentions split.
 * @returns ENR_OK, or ENR_ERR_NOMEM.
 */
enr_err_t enr_geo_split_pairs(const enr_geo_t *g, enr_mentions_t *m,
                              const enr_fields_t *f, size_t max, size_t *split);

/**
 * @brief Retypes as GPE the one-word PERSON entities that name a place of
 * the table and stand where a place does in one of their mentions ("in
 * Greer", "Bowers, 19, of Martinez,", "Norman, Okla."): local news names
 * towns alone that a tagger trained on world news reads as surnames. A
 * given name ("Madison"), a word the gazetteer knows as a person, and an
 * entity with a longer mention ("Mr Greer", "Jane Greer") stay people.
 * Longer PERSON names, and ORG and NORP names, are retyped when only towns
 * bear the name (no country, region, organisation or people of the lists)
 * and a mention stands where only a town does ("in Rock Hill"; for an
 * organisation not "in" and for a people "in" only where a phrase ends
 * ("in Sochi,"), but "Gainesville residents", "a Gainesville man",
 * "Hanover police", "of McLean, Virginia").
 * A legislator's home town after a party letter ("Sen. Tom Bakk,
 * DFL-Cook", one token) loses the prefix and becomes a GPE, joining the
 * article's entity of that place if there is one.
 * Call it after enr_resolve_apply() and before enr_geo_resolve().
 *
 * @param retyped Out (may be NULL): entities retyped (their mentions
 *                follow).
 * @returns ENR_OK, or ENR_ERR_NOMEM from regrouping the table.
 */
enr_err_t enr_geo_retype_places(const enr_geo_t *g, enr_entities_t *e,
                                enr_mentions_t *m, const enr_fields_t *f,
                                size_t *retyped);

/**
 * @brief The place entity @p entity got from the last enr_geo_resolve().
 * @returns Borrowed from @p s until its next resolve call, or NULL when
 *          the entity has none (or @p s is NULL, or out of range).
 */
const enr_place_t *enr_geo_place(const enr_geo_scratch_t *s, size_t entity);

/**
 * @brief Where the place an ORG entity's name names lies in that name
 *        ("Huntsville" of "Huntsville Police Department", "North
 *        Carolina" of "University of North Carolina", all of a tagger's
 *        "Richmond"), after the last enr_geo_resolve().
 *
 * Such an entity's enr_geo_place() is that place, when the article
 * supports it: it says where the organisation is (or what it is named
 * after), and the entity keeps its type.
 *
 * @param start Out: byte offset in the entity's field.
 * @param end   Out: byte offset one past the place name.
 * @returns true when entity is an ORG whose name names a known place
 *          (resolved or not); false otherwise (then start and end are
 *          untouched).
 */
bool enr_geo_place_span(const enr_geo_scratch_t *s, size_t entity,
                        uint32_t *start, uint32_t *end);

/** @brief Great-circle distance in kilometres (haversine, R = 6371 km). */
double enr_geo_distance_km(double lat1, double lon1, double lat2, double lon2);

#endif /* ENRICHER_GEO_H */
