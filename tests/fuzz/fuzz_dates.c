/*
 * Fuzz target: the date and time extractor on arbitrary bytes, with and
 * without a publication time. Every mention must lie inside the text and
 * every value be a terminated string of printable ASCII.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "enricher/dates.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static enr_dates_t         *dates;
static enr_dates_scratch_t *scratch;
static enr_mentions_t       mentions;
static enr_text_t           text;

static void check(size_t size) {
        size_t i, k;

        for (i = 0; i < mentions.n; i++) {
                const enr_mention_t *m = &mentions.v[i];

                if (m->start >= m->end || m->end > size ||
                    (m->type != ENR_ENT_DATE && m->type != ENR_ENT_TIME))
                        abort();
                if (!memchr(m->value.date, '\0', sizeof(m->value.date)))
                        abort();
                for (k = 0; m->value.date[k]; k++)
                        if (m->value.date[k] < 0x20 || m->value.date[k] > 0x7e)
                                abort();
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        /* No time, 1998-03-14, the epoch, and a date before it. */
        static const int64_t times[] = {ENR_NO_TIME, 889871760, 0,
                                        -86400 * 400};
        char                 errstr[256];
        size_t               t;

        if (!dates) {
                dates   = enr_dates_new(errstr, sizeof(errstr));
                scratch = dates ? enr_dates_scratch_new(dates) : NULL;
                if (!scratch)
                        abort();
                enr_mentions_init(&mentions);
                enr_text_init(&text);
        }
        if (size > 65536)
                return 0;
        if (enr_text_analyze(&text, (const char *)data, size, 0, errstr,
                             sizeof(errstr)) != ENR_OK)
                return 0;
        for (t = 0; t < sizeof(times) / sizeof(times[0]); t++) {
                enr_mentions_reset(&mentions);
                if (enr_dates_extract(dates, scratch, &text, ENR_FIELD_BODY,
                                      times[t], &mentions, 10000) != ENR_OK)
                        abort();
                check(size);
        }
        return 0;
}
