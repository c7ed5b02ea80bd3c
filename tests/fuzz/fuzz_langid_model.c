/*
 * Fuzz target: loading arbitrary bytes as a language model must never
 * crash and must either fail with a reason or give a model that detects
 * languages; detection on arbitrary bytes (the input itself) must give a
 * well-formed guess.
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
#include "enricher/langid.h"
#include "langid_check.h"
#include "langid_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void detect_some(const enr_langid_t *l, const uint8_t *data,
                        size_t size) {
        static const char *const texts[] = {
            "The quick brown fox jumps over the lazy dog.",
            "Der schnelle braune Fuchs springt über den faulen Hund.",
            "Съешь же ещё этих мягких французских булок.", "12345 !?", ""};
        enr_lang_guess_t g;

        for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
                enr_langid_detect(l, texts[i], strlen(texts[i]), NULL, 0, &g);
                check_guess(l, &g);
        }
        enr_langid_detect(l, (const char *)data, size / 3,
                          (const char *)data + size / 3, size - size / 3, &g);
        check_guess(l, &g);
        for (size_t i = 0; i < enr_langid_count(l); i++)
                if (!enr_langid_code(l, i) || !enr_langid_script(l, i))
                        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        char          errstr[256];
        uint8_t      *buf;
        enr_langid_t *l;

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
        l         = enr__langid_parse(buf, size - 1, errstr, sizeof(errstr));
        if (l)
                detect_some(l, data, size);
        else if (errstr[0] == '\0')
                abort();
        enr_langid_destroy(l);
        free(buf);
        return 0;
}
