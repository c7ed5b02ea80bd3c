/*
 * Fuzz target: the whole enrichment path (article parsing, text analysis,
 * extraction, statistics, record) on arbitrary bytes. Every input must give
 * either a record that is valid JSON or an error with a reason.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enricher/enricher.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static enr_enricher_t *enricher;
static enr_scratch_t  *scratch;

static void setup(void) {
        enr_config_t cfg;
        char         errstr[512];
        const char  *res = getenv("ENR_RESOURCES");

        if (enr_config_init(&cfg))
                abort();
        if (res)
                enr_config_set(&cfg, "resources", res, errstr, sizeof(errstr));
        enr_config_set(&cfg, "timestamps", "false", errstr, sizeof(errstr));
        enr_config_set(&cfg, "max-article-bytes", "64k", errstr,
                       sizeof(errstr));
        enricher = enr_enricher_new(&cfg, errstr, sizeof(errstr));
        enr_config_clear(&cfg);
        if (!enricher) {
                fprintf(stderr, "fuzz_article: %s\n", errstr);
                abort();
        }
        scratch = enr_scratch_new(enricher);
        if (!scratch)
                abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        enr_result_t res;
        json_t      *rec;

        if (!enricher)
                setup();
        enr_enricher_process(enricher, scratch, (const char *)data, size, NULL,
                             &res);
        if (res.err == ENR_OK) {
                rec = json_loadb(res.record, res.record_len, 0, NULL);
                if (!rec || strlen(res.record) != res.record_len)
                        abort();
                json_decref(rec);
        } else if (!res.errstr[0]) {
                abort();
        }
        return 0;
}
