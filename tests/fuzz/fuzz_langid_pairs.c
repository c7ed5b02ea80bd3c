/*
 * Fuzz target: arbitrary bytes read as a pair table (the text of a
 * resources/lang/pair-*.txt file) must never crash; the table must either
 * be refused with a reason or give a model whose guesses are well-formed,
 * on fixed texts and on the input itself.
 *
 * The tables are added to a small model built here: Latin "xa" and "yb"
 * (a pair table may join them) and Cyrillic "zc" (it may not join either).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enricher/common.h"
#include "enricher/langid.h"
#include "langid_check.h"
#include "langid_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Appends n bytes to the image m (cap bytes), at *len. */
static void put(uint8_t *m, size_t *len, const void *p, size_t n) {
        memcpy(m + *len, p, n);
        *len += n;
}

static void put_u32(uint8_t *m, size_t *len, uint32_t v) {
        uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
                        (uint8_t)(v >> 24)};
        put(m, len, b, 4);
}

/* A model of three languages, each scoring one letter by its unigram. */
static enr_langid_t *tiny_model(void) {
        static const char names[3][16] = {
            "xa\0\0\0\0\0\0Latn", "yb\0\0\0\0\0\0Latn", "zc\0\0\0\0\0\0Cyrl"};
        uint32_t keys[3]    = {(2166136261u ^ 'x') * 16777619u,
                               (2166136261u ^ 'y') * 16777619u,
                               (2166136261u ^ 0x436) * 16777619u};
        uint8_t  post[3][2] = {{0, 200}, {1, 200}, {2, 200}};
        uint8_t  m[256];
        size_t   len = 0;
        char     err[256];

        /* Sort the three keys with their postings. */
        for (int i = 1; i < 3; i++)
                for (int j = i; j > 0 && keys[j - 1] > keys[j]; j--) {
                        uint32_t t     = keys[j];
                        uint8_t  p0    = post[j][0];
                        keys[j]        = keys[j - 1];
                        keys[j - 1]    = t;
                        post[j][0]     = post[j - 1][0];
                        post[j - 1][0] = p0;
                }
        put(m, &len, "ENRLANG1", 8);
        put_u32(m, &len, 3), put_u32(m, &len, 0), put_u32(m, &len, 3);
        put_u32(m, &len, 3), put_u32(m, &len, 16);
        put_u32(m, &len, (uint32_t)-192);
        put(m, &len, names, sizeof(names));
        for (int i = 0; i < 3; i++)
                put_u32(m, &len, keys[i]);
        put(m, &len, "\1\1\1", 3);
        put(m, &len, post, sizeof(post));
        put_u32(m, &len, enr_crc32(m, len));
        return enr__langid_parse(m, len, err, sizeof(err));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        static const char *const texts[] = {"xx yy xy yx", "yyy xxx x", "жж x",
                                            ""};
        char                     errstr[256];
        enr_langid_t            *l = tiny_model();
        enr_lang_guess_t         g;
        enr_err_t                err;

        if (!l)
                abort();
        errstr[0] = '\0';
        err = enr__langid_add_pairs(l, data, size, errstr, sizeof(errstr));
        if (err != ENR_OK && ((err != ENR_ERR_MODEL && err != ENR_ERR_NOMEM) ||
                              errstr[0] == '\0'))
                abort();
        for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
                enr_langid_detect(l, texts[i], strlen(texts[i]), NULL, 0, &g);
                check_guess(l, &g);
        }
        enr_langid_detect(l, (const char *)data, size / 2,
                          (const char *)data + size / 2, size - size / 2, &g);
        check_guess(l, &g);
        enr_langid_destroy(l);
        return 0;
}
