/*
 * Fuzz target: the quotation extractor on arbitrary bytes (after text
 * analysis, the name rules and the entity table, as the enrichment path
 * runs it). The first byte picks the field. Every quotation must lie
 * inside its field on code-point offsets that agree with its bytes, and
 * its speaker must be an entity of the table or none.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enricher/names.h"
#include "enricher/quotes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static enr_gazetteer_t      *gaz;
static enr_names_t          *names;
static enr_quotes_t         *quotes;
static enr_quotes_scratch_t *qs;

static void setup(void) {
        char        err[512];
        const char *res = getenv("ENR_RESOURCES");

        if (!res)
                res = ENR_RESOURCE_DIR;
        gaz = enr_gazetteer_new(res, err, sizeof(err));
        if (!gaz || !(names = enr_names_new(gaz, err, sizeof(err))) ||
            !(quotes = enr_quotes_new(res, err, sizeof(err))) ||
            !(qs = enr_quotes_scratch_new())) {
                fprintf(stderr, "fuzz_quotes: %s\n", err);
                abort();
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        enr_text_t         t, empty;
        enr_mentions_t     m;
        enr_entities_t     e;
        enr_fields_t       f;
        enr_field_t        field;
        const enr_quote_t *q;
        size_t             n, i;

        if (!gaz)
                setup();
        if (size < 1)
                return 0;
        field = (data[0] & 1) ? ENR_FIELD_BODY : ENR_FIELD_TITLE;
        data++;
        size--;
        enr_text_init(&t);
        enr_text_init(&empty);
        enr_mentions_init(&m);
        enr_entities_init(&e);
        if (enr_text_analyze(&t, (const char *)data, size, 100000, NULL, 0) !=
                ENR_OK ||
            enr_text_analyze(&empty, "", 0, 0, NULL, 0) != ENR_OK)
                goto out;
        if (enr_names_extract(names, &t, field, &m, 1000) != ENR_OK)
                abort();
        f.text[field] = &t;
        f.text[field == ENR_FIELD_BODY ? ENR_FIELD_TITLE : ENR_FIELD_BODY] =
            &empty;
        if (enr_entities_build(&e, &m, &f) != ENR_OK)
                abort();
        if (enr_quotes_extract(quotes, qs, &f, &m, &e, 0, &q, &n) != ENR_OK)
                abort();
        for (i = 0; i < n; i++) {
                if (q[i].field != field || q[i].start >= q[i].end ||
                    q[i].end > t.len || q[i].cp_end > t.ncp ||
                    q[i].cp_start != enr_utf8_count(t.s, q[i].start) ||
                    q[i].cp_end != enr_utf8_count(t.s, q[i].end))
                        abort();
                if (q[i].entity >= 0 && (size_t)q[i].entity >= e.n)
                        abort();
                if (q[i].spk_end < q[i].spk_start ||
                    q[i].spk_end > f.text[q[i].spk_field & 1]->len)
                        abort();
        }
out:
        enr_entities_clear(&e);
        enr_mentions_clear(&m);
        enr_text_clear(&t);
        enr_text_clear(&empty);
        return 0;
}
