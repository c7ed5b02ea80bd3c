/*
 * Keyword sets for the candidate scans of the number and date patterns: the
 * lower-case ASCII words a match can start with, in an open-addressing hash
 * table that a scan probes with the hash it computed while reading a word.
 * Internal to common/ (numbers.c and dates.c).
 */
#ifndef ENRICHER_KWSET_H
#define ENRICHER_KWSET_H

#include <stddef.h>
#include <stdint.h>

/* The most keywords of a set. */
#define ENR_KWSET_MAX 192

/* Slots of the hash table (a power of two, over twice ENR_KWSET_MAX). */
#define ENR_KWSET_SLOTS 512

/* The FNV-1a offset basis a word's hash starts from. */
#define ENR_KWSET_HASH_INIT 2166136261u

typedef struct enr_kwset {
        const char *w[ENR_KWSET_SLOTS];    /* The keyword in each slot. */
        uint32_t    hash[ENR_KWSET_SLOTS]; /* Its hash. */
        uint8_t     len[ENR_KWSET_SLOTS];
} enr_kwset_t;

/* Byte classes for the scans: 1 for an ASCII digit, 2 for an ASCII letter,
 * 0 for anything else. */
extern const uint8_t enr__kwset_class[256];

/* One step of a word's hash, its letters lower-cased (FNV-1a). */
static inline uint32_t enr__kwset_hash_step(uint32_t h, unsigned char c) {
        return (h ^ (uint32_t)(c | 0x20)) * 16777619u;
}

/* Fills k with the NULL-terminated lower-case words (at most
 * ENR_KWSET_MAX). */
void enr__kwset_init(enr_kwset_t *k, const char *const *words);

/* Whether the ASCII letters s[0..n), whose hash is h, are a keyword. */
int enr__kwset_has(const enr_kwset_t *k, const char *s, size_t n, uint32_t h);

#endif
