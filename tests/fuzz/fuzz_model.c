/*
 * Fuzz target: loading arbitrary bytes as a tagger model must never crash
 * and must either fail with a reason or give a model that tags text.
 *
 * The checksum would stop almost every mutation at the door, so when the
 * input's first byte is odd the target first writes the correct CRC-32
 * into the header (bytes 1.. are the file), letting the fuzzer reach the
 * structural checks and the tagging of a loaded model.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enricher/tagger.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint32_t crc32_ieee(uint32_t crc, const uint8_t *p, size_t n) {
        crc = ~crc;
        for (size_t i = 0; i < n; i++) {
                crc ^= p[i];
                for (int k = 0; k < 8; k++)
                        crc = crc & 1 ? 0xedb88320u ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
}

/* Tags a small fixed text with tg, checking the spans are in bounds. */
static void tag_some(const enr_tagger_t *tg) {
        static const char     text[] = "Mr Smith of Acme Corp flew to Paris .";
        enr_token_t           toks[9];
        enr_range_t           sent = {0, 9};
        enr_text_t            t;
        enr_tagger_scratch_t *s = enr_tagger_scratch_new(tg);
        enr_mentions_t        m;
        size_t                start = 0, n = 0;

        if (!s)
                abort();
        memset(&t, 0, sizeof(t));
        for (size_t i = 0; i <= sizeof(text) - 1; i++) {
                if (i == sizeof(text) - 1 || text[i] == ' ') {
                        memset(&toks[n], 0, sizeof(toks[n]));
                        toks[n].start = (uint32_t)start;
                        toks[n].end   = (uint32_t)i;
                        n++;
                        start = i + 1;
                }
        }
        t.s      = text;
        t.len    = sizeof(text) - 1;
        t.toks   = toks;
        t.ntoks  = n;
        t.sents  = &sent;
        t.nsents = 1;
        enr_mentions_init(&m);
        if (enr_tagger_extract(tg, s, &t, ENR_FIELD_BODY, &m, 100) == ENR_OK)
                for (size_t i = 0; i < m.n; i++)
                        if (m.v[i].start >= m.v[i].end || m.v[i].end > t.len ||
                            !(m.v[i].score >= 0) || !(m.v[i].score <= 1))
                                abort();
        enr_mentions_clear(&m);
        enr_tagger_scratch_destroy(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        char          errstr[256];
        uint8_t      *buf;
        enr_tagger_t *tg;

        if (size < 1)
                return 0;
        buf = malloc(size);
        if (!buf)
                return 0;
        memcpy(buf, data + 1, size - 1);
        if ((data[0] & 1) && size - 1 >= 48) {
                uint32_t crc = crc32_ieee(0, buf, 44);
                crc          = crc32_ieee(crc, buf + 48, size - 1 - 48);
                for (int k = 0; k < 4; k++)
                        buf[44 + k] = (uint8_t)(crc >> (8 * k));
        }
        errstr[0] = '\0';
        tg = enr_tagger_load_mem(buf, size - 1, NULL, errstr, sizeof(errstr));
        if (tg)
                tag_some(tg);
        else if (errstr[0] == '\0')
                abort();
        enr_tagger_destroy(tg);
        free(buf);
        return 0;
}
