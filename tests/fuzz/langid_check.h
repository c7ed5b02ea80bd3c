/*
 * Shared by the language-identification fuzz targets: checks that a guess
 * is well-formed (NUL-terminated code and script, confidence in 0..1, a
 * code the model knows or "und") and aborts when it is not.
 */
#ifndef ENRICHER_FUZZ_LANGID_CHECK_H
#define ENRICHER_FUZZ_LANGID_CHECK_H

#include <stdlib.h>
#include <string.h>

#include "enricher/langid.h"

static inline void check_guess(const enr_langid_t     *l,
                               const enr_lang_guess_t *g) {
        if (!memchr(g->code, 0, sizeof(g->code)) ||
            !memchr(g->script, 0, sizeof(g->script)) || !(g->confidence >= 0) ||
            !(g->confidence <= 1))
                abort();
        if (strcmp(g->code, "und") && !enr_langid_knows(l, g->code))
                abort();
}

#endif /* ENRICHER_FUZZ_LANGID_CHECK_H */
