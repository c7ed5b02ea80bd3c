/*
 * Fuzz target: text analysis, the name rules and the entity table on
 * arbitrary bytes. The first byte picks the field; the rest is the text.
 * Every mention must lie inside its field, on code-point offsets that agree
 * with the bytes, and the entity table must account for every mention once.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enricher/names.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static enr_gazetteer_t *gaz;
static enr_names_t     *names;

static void setup(void) {
        char        err[512];
        const char *res = getenv("ENR_RESOURCES");

        gaz = enr_gazetteer_new(res ? res : ENR_RESOURCE_DIR, err, sizeof(err));
        if (!gaz) {
                fprintf(stderr, "fuzz_names: %s\n", err);
                abort();
        }
        names = enr_names_new(gaz, err, sizeof(err));
        if (!names)
                abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        enr_text_t     t, empty;
        enr_mentions_t m;
        enr_entities_t e;
        enr_fields_t   f;
        enr_field_t    field;
        size_t         i, seen = 0, b;

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
        b = enr_names_boilerplate(&t);
        if (b > t.ntoks)
                abort();
        if (enr_names_extract(names, &t, field, &m, 1000) != ENR_OK)
                abort();
        for (i = 0; i < m.n; i++)
                if (m.v[i].start >= m.v[i].end || m.v[i].end > t.len ||
                    m.v[i].field != field ||
                    !enr_ent_type_is_name((enr_ent_type_t)m.v[i].type))
                        abort();
        f.text[field]     = &t;
        f.text[1 - field] = &empty;
        if (enr_entities_build(&e, &m, &f) != ENR_OK)
                abort();
        for (i = 0; i < m.n; i++) {
                const enr_mention_t *x = &m.v[i];
                if (x->cp_end - x->cp_start !=
                    enr_utf8_count(t.s + x->start, x->end - x->start))
                        abort();
                if (x->entity < 0 || (size_t)x->entity >= e.n)
                        abort();
                if (i && x->start < m.v[i - 1].end)
                        abort(); /* Overlaps must be resolved. */
        }
        for (i = 0; i < e.n; i++)
                seen += e.v[i].count;
        if (seen != m.n)
                abort();
out:
        enr_entities_clear(&e);
        enr_mentions_clear(&m);
        enr_text_clear(&empty);
        enr_text_clear(&t);
        return 0;
}
