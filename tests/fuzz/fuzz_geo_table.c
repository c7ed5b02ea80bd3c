/*
 * Fuzz target: loading arbitrary bytes as a place table must never crash
 * and must either fail with a reason or give a table whose places all
 * decode to sane values; looking names up in it must stay in bounds.
 *
 * When the input's first byte is odd the target first writes the correct
 * CRC-32 into the trailer (bytes 1.. are the file), so the fuzzer reaches
 * the structural checks past the checksum.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enricher/common.h"
#include "enricher/geo.h"
#include "geo_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Looks up a few names and the input's own bytes; checks what comes out. */
static void lookup_some(const enr_geo_t *g, const uint8_t *data, size_t size) {
        static const char *const names[] = {"Paris", "Georgia", "a", "",
                                            "St. Louis"};
        enr_place_t              p;

        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]) + 1; i++) {
                const char *s = i < sizeof(names) / sizeof(names[0])
                                    ? names[i]
                                    : (const char *)data;
                size_t      n = i < sizeof(names) / sizeof(names[0])
                                    ? strlen(names[i])
                                    : (size > 64 ? 64 : size);
                if (!enr__geo_lookup(g, s, n, &p))
                        continue;
                if (!(p.lat >= -90 && p.lat <= 90 && p.lon >= -180 &&
                      p.lon <= 180) ||
                    p.feature >= ENR_GEO__COUNT || p.country[2] ||
                    p.admin1[8] ||
                    !strcmp(enr_geo_feature_name((enr_geo_feature_t)p.feature),
                            "?"))
                        abort();
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        char       errstr[256];
        uint8_t   *buf;
        enr_geo_t *g;

        if (size < 1)
                return 0;
        buf = malloc(size);
        if (!buf)
                return 0;
        memcpy(buf, data + 1, size - 1);
        if ((data[0] & 1) && size - 1 >= 4) {
                uint32_t crc = enr_crc32(buf, size - 1 - 4);
                for (int k = 0; k < 4; k++)
                        buf[size - 1 - 4 + k] = (uint8_t)(crc >> (8 * k));
        }
        errstr[0] = '\0';
        g         = enr__geo_parse(buf, size - 1, errstr, sizeof(errstr));
        if (g)
                lookup_some(g, data, size);
        else if (errstr[0] == '\0')
                abort();
        enr_geo_destroy(g);
        free(buf);
        return 0;
}
