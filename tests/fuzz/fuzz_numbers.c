/*
 * Fuzz target: the number extractor and value parser on arbitrary bytes.
 * Every mention must lie inside the text with a non-empty span, a known
 * type and, for money, a terminated currency code; the parser must never
 * read past its input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "enricher/numbers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static enr_numbers_t         *numbers;
static enr_numbers_scratch_t *scratch;
static enr_mentions_t         mentions;
static enr_text_t             text;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        char   errstr[256];
        size_t i;
        double v;

        if (!numbers) {
                numbers = enr_numbers_new(errstr, sizeof(errstr));
                scratch = numbers ? enr_numbers_scratch_new(numbers) : NULL;
                if (!scratch)
                        abort();
                enr_mentions_init(&mentions);
                enr_text_init(&text);
        }
        /* The parser works on any bytes, text or not. */
        (void)enr_number_parse((const char *)data, size, &v);
        if (size > 65536)
                return 0;
        if (enr_text_analyze(&text, (const char *)data, size, 0, errstr,
                             sizeof(errstr)) != ENR_OK)
                return 0;
        enr_mentions_reset(&mentions);
        if (enr_numbers_extract(numbers, scratch, &text, ENR_FIELD_BODY,
                                &mentions, 10000) != ENR_OK)
                abort();
        for (i = 0; i < mentions.n; i++) {
                const enr_mention_t *m = &mentions.v[i];

                if (m->start >= m->end || m->end > size ||
                    m->type >= ENR_ENT__COUNT ||
                    memchr(m->value.currency, '\0', 4) == NULL)
                        abort();
                if (m->value.unit_end &&
                    (m->value.unit_start > m->value.unit_end ||
                     m->value.unit_end > size))
                        abort();
        }
        return 0;
}
