/*
 * Internals of the geocoder shared by common/geo.c, its fuzz target and its
 * evaluation tool: the place table's file layout and the in-memory parse.
 *
 * Place table (little-endian), written by resources/geo/build.py:
 *   "ENRGEO02"
 *   u32 nplaces, nnames, nadmin1, reserved (0)
 *   nplaces x { u32 geonameid (0: not known); i32 lat, lon (1e-5 degree);
 *               u32 population (0: not known); char cc[2] ("\0\0" for a
 *               continent); u16 admin1 (index into the admin1 codes, 0:
 *               none); u8 feature (enr_geo_feature_t); u8 size (an
 *               A.ADM1 region: 10 x log10 of the people of its towns, 0:
 *               not known; a town: 1 when its admin1 region bears its own
 *               name; 0 for other places);
 *               u16 county (a town's second-order division: 1 + its rank
 *               among the A.ADM2 places in table order; 0: none) }
 *   nnames  x { u32 hash; u32 place }   hash: FNV-1a 32 of the folded name;
 *                                       sorted by hash, then by population
 *                                       (largest first)
 *   nadmin1 x char[8]                   admin1 codes, NUL-padded; the first
 *                                       is "" (none)
 *   u32 crc32 (IEEE) of everything before it
 */
#ifndef ENRICHER_GEO_INT_H
#define ENRICHER_GEO_INT_H

#include <stddef.h>
#include <stdint.h>

#include "enricher/geo.h"

#define GEO_MAGIC       "ENRGEO02"
#define GEO_HEADER_SIZE 24
#define GEO_PLACE_SIZE  24
#define GEO_NAME_SIZE   8
#define GEO_ADMIN1_SIZE 8

/** @brief Builds a table from an in-memory file image (for the fuzzer and
 *         the unit tests); @p buf is copied. Free with enr_geo_destroy(). */
enr_geo_t *enr__geo_parse(const void *buf, size_t n, char *errstr,
                          size_t errstr_size);

/** @brief The folded form of s[0..n) into out (at most cap bytes, NUL
 *         terminated), as build.py folds names. @returns its length, or 0
 *         when it is empty or does not fit. */
size_t enr__geo_fold(const char *s, size_t n, char *out, size_t cap);

/** @brief FNV-1a 32 of s[0..n). */
uint32_t enr__geo_hash(const char *s, size_t n);

/** @brief How many places are named s[0..n) (folded), and the first
 *         (largest) of them in *out when there is one. */
size_t enr__geo_lookup(const enr_geo_t *g, const char *s, size_t n,
                       enr_place_t *out);

#endif /* ENRICHER_GEO_INT_H */
