/*
 * Error codes and small helpers shared by every module.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "enricher/common.h"

/* Descriptions and stable names, indexed by enr_err_t. */
static const struct {
        const char *name;
        const char *desc;
} errors[ENR_ERR__COUNT] = {
    [ENR_OK]               = {"ok", "Success"},
    [ENR_ERR_NOMEM]        = {"no_memory", "Out of memory"},
    [ENR_ERR_PARSE]        = {"invalid_json", "Input does not parse"},
    [ENR_ERR_CONFIG]       = {"config", "Invalid configuration"},
    [ENR_ERR_IO]           = {"io", "Input/output error"},
    [ENR_ERR_INVALID_UTF8] = {"invalid_utf8", "Text is not valid UTF-8"},
    [ENR_ERR_NO_BODY]      = {"no_body", "Article has no body"},
    [ENR_ERR_TOO_LARGE]    = {"too_large", "Input over the size limit"},
    [ENR_ERR_EMPTY]        = {"empty", "Empty input"},
    [ENR_ERR_LIMIT]        = {"limit", "A processing limit was reached"},
    [ENR_ERR_MODEL]        = {"model", "Corrupt or incompatible model"},
    [ENR_ERR_KAFKA]        = {"kafka", "Kafka client error"},
    [ENR_ERR_INVALID_ARG]  = {"invalid_argument", "Invalid argument"},
    [ENR_ERR_BINARY]       = {"binary", "Binary data, not text"},
    [ENR_ERR_UNSUPPORTED_LANGUAGE] = {"unsupported_language",
                                      "A language not in --languages"},
};

const char *enr_err_str(enr_err_t err) {
        if ((unsigned)err >= ENR_ERR__COUNT)
                return "Unknown error";
        return errors[err].desc;
}

const char *enr_err_name(enr_err_t err) {
        if ((unsigned)err >= ENR_ERR__COUNT)
                return "unknown";
        return errors[err].name;
}

void enr_set_errstr(char *errstr, size_t errstr_size, const char *fmt, ...) {
        va_list ap;

        if (!errstr || errstr_size == 0)
                return;
        va_start(ap, fmt);
        vsnprintf(errstr, errstr_size, fmt, ap);
        va_end(ap);
}

enr_err_t enr_grow(void **arr, size_t *cap, size_t need, size_t elem,
                   size_t min_cap) {
        size_t c = *cap ? *cap : (min_cap ? min_cap : 1);
        void  *p;

        if (need <= *cap)
                return ENR_OK;
        if (elem == 0 || need > SIZE_MAX / elem)
                return ENR_ERR_LIMIT;
        while (c < need)
                c = c > SIZE_MAX / 2 ? need : c * 2;
        if (c > SIZE_MAX / elem)
                c = need; /* Doubling would overflow: take just enough. */
        p = realloc(*arr, c * elem);
        if (!p)
                return ENR_ERR_NOMEM;
        *arr = p;
        *cap = c;
        return ENR_OK;
}

/* A byte at a time through a table made per call (1 KB, 2,048 steps:
 * nothing shared between threads loading at once); 8x fewer steps than a
 * bit at a time over a model of megabytes. */
uint32_t enr_crc32(const void *p, size_t n) {
        const unsigned char *b = p;
        uint32_t             table[256], crc = 0xFFFFFFFFu;

        for (uint32_t i = 0; i < 256; i++) {
                uint32_t c = i;
                for (int k = 0; k < 8; k++)
                        c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
                table[i] = c;
        }
        for (size_t i = 0; i < n; i++)
                crc = table[(crc ^ b[i]) & 0xFF] ^ (crc >> 8);
        return ~crc;
}
