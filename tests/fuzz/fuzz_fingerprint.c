/*
 * Fuzz target of the fingerprint text form, which workers read from each
 * other over Kafka: arbitrary bytes go through enr_fingerprint_parse(); what
 * parses must format back to exactly the same bytes, and anything that
 * fails must leave the output untouched. The same bytes are also analysed
 * as a body, fingerprinted, and the result must round-trip and match
 * itself as an exact copy. abort()s on any violation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enricher/fingerprint.h"
#include "enricher/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                            \
        do {                                                                   \
                if (!(cond)) {                                                 \
                        fprintf(stderr, "fuzz_fingerprint: %s:%d: %s\n",       \
                                __FILE__, __LINE__, #cond);                    \
                        abort();                                               \
                }                                                              \
        } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        enr_fingerprint_t fp, keep, back;
        char              txt[ENR_FP_TEXT_MAX];
        size_t            n;
        enr_text_t        t;
        double            sim;
        int               ex;

        memset(&keep, 0xa5, sizeof(keep));
        fp = keep;
        if (enr_fingerprint_parse((const char *)data, size, &fp) == ENR_OK) {
                n = enr_fingerprint_format(&fp, txt, sizeof(txt));
                CHECK(n == size);
                CHECK(memcmp(txt, data, size) == 0);
        } else {
                CHECK(memcmp(&fp, &keep, sizeof(fp)) == 0);
        }
        enr_text_init(&t);
        if (enr_text_analyze(&t, (const char *)data, size, 0, NULL, 0) ==
            ENR_OK) {
                enr_fingerprint_compute(&t, &fp);
                n = enr_fingerprint_format(&fp, txt, sizeof(txt));
                CHECK(n > 0 && n < ENR_FP_TEXT_MAX);
                CHECK(enr_fingerprint_parse(txt, n, &back) == ENR_OK);
                CHECK(memcmp(&back, &fp, sizeof(fp)) == 0);
                CHECK(fp.nshingles <= fp.nterms);
                if (fp.nterms > 0) {
                        CHECK(enr_fingerprint_match(&fp, &back, &sim, &ex));
                        CHECK(ex == 1 && sim == 1.0);
                }
        }
        enr_text_clear(&t);
        return 0;
}
