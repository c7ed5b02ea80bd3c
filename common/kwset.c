/*
 * Keyword sets for the number and date candidate scans (see kwset.h).
 */
#include <string.h>

#include "kwset.h"

const uint8_t enr__kwset_class[256] = {
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1,
    ['7'] = 1, ['8'] = 1, ['9'] = 1, ['A'] = 2, ['B'] = 2, ['C'] = 2, ['D'] = 2,
    ['E'] = 2, ['F'] = 2, ['G'] = 2, ['H'] = 2, ['I'] = 2, ['J'] = 2, ['K'] = 2,
    ['L'] = 2, ['M'] = 2, ['N'] = 2, ['O'] = 2, ['P'] = 2, ['Q'] = 2, ['R'] = 2,
    ['S'] = 2, ['T'] = 2, ['U'] = 2, ['V'] = 2, ['W'] = 2, ['X'] = 2, ['Y'] = 2,
    ['Z'] = 2, ['a'] = 2, ['b'] = 2, ['c'] = 2, ['d'] = 2, ['e'] = 2, ['f'] = 2,
    ['g'] = 2, ['h'] = 2, ['i'] = 2, ['j'] = 2, ['k'] = 2, ['l'] = 2, ['m'] = 2,
    ['n'] = 2, ['o'] = 2, ['p'] = 2, ['q'] = 2, ['r'] = 2, ['s'] = 2, ['t'] = 2,
    ['u'] = 2, ['v'] = 2, ['w'] = 2, ['x'] = 2, ['y'] = 2, ['z'] = 2};

void enr__kwset_init(enr_kwset_t *k, const char *const *words) {
        size_t i, n;

        memset(k, 0, sizeof(*k));
        for (i = 0; words[i] && i < ENR_KWSET_MAX; i++) {
                uint32_t h = ENR_KWSET_HASH_INIT;
                size_t   slot;

                for (n = 0; words[i][n]; n++)
                        h = enr__kwset_hash_step(h, (unsigned char)words[i][n]);
                slot = h & (ENR_KWSET_SLOTS - 1);
                while (k->w[slot])
                        slot = (slot + 1) & (ENR_KWSET_SLOTS - 1);
                k->w[slot]    = words[i];
                k->hash[slot] = h;
                k->len[slot]  = (uint8_t)n;
        }
}

int enr__kwset_has(const enr_kwset_t *k, const char *s, size_t n, uint32_t h) {
        size_t slot = h & (ENR_KWSET_SLOTS - 1), j;

        for (; k->w[slot]; slot = (slot + 1) & (ENR_KWSET_SLOTS - 1)) {
                if (k->hash[slot] != h || k->len[slot] != n)
                        continue;
                for (j = 0; j < n; j++)
                        if ((s[j] | 0x20) != k->w[slot][j])
                                break;
                if (j == n)
                        return 1;
        }
        return 0;
}
