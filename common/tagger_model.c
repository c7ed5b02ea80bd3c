/*
 * The tagger's model file (layout in include/enricher/tagger.h): writing
 * it, and reading it back from memory or a file with every size, bound and
 * the CRC-32 checked before anything is used, so a corrupt or hostile file
 * gives an error, never a crash.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enricher/log.h"
#include "tagger_int.h"

#include "tagger_int.h"

static const char *const tag_names[ENR__TG_NTAGS] = {
    "O",     "B-PER",  "I-PER",  "L-PER",  "U-PER", "B-ORG",
    "I-ORG", "L-ORG",  "U-ORG",  "B-LOC",  "I-LOC", "L-LOC",
    "U-LOC", "B-MISC", "I-MISC", "L-MISC", "U-MISC"};

#define HDR_SIZE 48

/*
 * CRC-32 (IEEE 802.3, as zlib), four bits at a time from a constant table,
 * so there is nothing to initialise (loads may run in several threads).
 */
static const uint32_t crc_nibble[16] = {
    0x00000000u, 0x1db71064u, 0x3b6e20c8u, 0x26d930acu,
    0x76dc4190u, 0x6b6b51f4u, 0x4db26158u, 0x5005713cu,
    0xedb88320u, 0xf00f9344u, 0xd6d6a3e8u, 0xcb61b38cu,
    0x9b64c2b0u, 0x86d3d2d4u, 0xa00ae278u, 0xbdbdf21cu};

static uint32_t crc32_update(uint32_t crc, const void *p, size_t n) {
        const unsigned char *b = p;
        crc                    = ~crc;
        for (size_t i = 0; i < n; i++) {
                crc ^= b[i];
                crc = crc_nibble[crc & 0xf] ^ (crc >> 4);
                crc = crc_nibble[crc & 0xf] ^ (crc >> 4);
        }
        return ~crc;
}

/* Little-endian helpers for the model file. */
static void put32(unsigned char *p, uint32_t v) {
        p[0] = (unsigned char)v;
        p[1] = (unsigned char)(v >> 8);
        p[2] = (unsigned char)(v >> 16);
        p[3] = (unsigned char)(v >> 24);
}

static uint32_t get32(const unsigned char *p) {
        return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
               (uint32_t)p[3] << 24;
}

static void put16(unsigned char *p, int16_t v) {
        p[0] = (unsigned char)((uint16_t)v);
        p[1] = (unsigned char)((uint16_t)v >> 8);
}

static int16_t get16(const unsigned char *p) {
        return (int16_t)(uint16_t)(p[0] | p[1] << 8);
}

enr_err_t enr_tagger_save(const enr_tagger_t *tg, const char *path,
                          char *errstr, size_t errstr_size) {
        const unsigned NT = ENR__TG_NTAGS;
        size_t         nb = (size_t)1 << tg->log2, o = HDR_SIZE;
        size_t         row = 4 + 2 * NT, len, nrows[ENR__TG_MAX_PASS] = {0};
        unsigned char *buf = NULL;
        enr_err_t      err = ENR_ERR_IO;
        FILE          *fp  = NULL;
        uint32_t       sbits, crc;

        len = HDR_SIZE + NT * 8;
        if (tg->fs & ENR_TAGGER_FS_CASE)
                len += 4 + (size_t)tg->ncase * 9;
        if (tg->fs & ENR_TAGGER_FS_CLUSTER)
                len += 12 + (size_t)tg->ncl_rows * ENR__TG_CL_LEVELS * 2 +
                       (size_t)tg->ncl * 10;
        for (uint32_t p = 0; p < tg->npass; p++) {
                for (size_t b = 0; b < nb; b++)
                        for (unsigned c = 0; c < NT; c++)
                                if (enr__tg_row(&tg->pass[p], (uint32_t)b)[c]) {
                                        nrows[p]++;
                                        break;
                                }
                len += 8 + (NT + 1) * NT * 2 + nrows[p] * row;
        }
        if (!(buf = calloc(1, len))) {
                err = ENR_ERR_NOMEM;
                enr_set_errstr(errstr, errstr_size, "out of memory");
                goto out;
        }
        memcpy(buf, "ENRTAGR", 8);
        put32(buf + 8, ENR_TAGGER_VERSION);
        put32(buf + 12, tg->fs);
        put32(buf + 16, NT);
        put32(buf + 20, tg->log2);
        put32(buf + 24, tg->npass);
        put32(buf + 28, tg->seed);
        put32(buf + 32, tg->gaz_entries);
        put32(buf + 36, (uint32_t)(len - HDR_SIZE));
        put32(buf + 40, tg->dev_f1x100);
        for (unsigned c = 0; c < NT; c++, o += 8)
                memcpy(buf + o, tag_names[c], strlen(tag_names[c]));
        if (tg->fs & ENR_TAGGER_FS_CASE) {
                put32(buf + o, tg->ncase);
                o += 4;
                for (uint32_t i = 0; i < tg->ncase; i++, o += 8) {
                        put32(buf + o, (uint32_t)tg->case_keys[i]);
                        put32(buf + o + 4, (uint32_t)(tg->case_keys[i] >> 32));
                }
                memcpy(buf + o, tg->case_cls, tg->ncase);
                o += tg->ncase;
        }
        if (tg->fs & ENR_TAGGER_FS_CLUSTER) {
                size_t nt = (size_t)tg->ncl_rows * ENR__TG_CL_LEVELS;
                put32(buf + o, tg->ncl_rows);
                put32(buf + o + 4, ENR__TG_CL_LEVELS);
                o += 8;
                for (size_t i = 0; i < nt; i++, o += 2)
                        put16(buf + o, (int16_t)tg->cl_tree[i]);
                put32(buf + o, tg->ncl);
                o += 4;
                for (uint32_t i = 0; i < tg->ncl; i++, o += 8) {
                        put32(buf + o, (uint32_t)tg->cl_keys[i]);
                        put32(buf + o + 4, (uint32_t)(tg->cl_keys[i] >> 32));
                }
                for (uint32_t i = 0; i < tg->ncl; i++, o += 2)
                        put16(buf + o, (int16_t)tg->cl_rows[i]);
        }
        for (uint32_t p = 0; p < tg->npass; p++) {
                const enr__tg_weights_t *wp = &tg->pass[p];
                memcpy(&sbits, &wp->scale, 4);
                put32(buf + o, sbits);
                put32(buf + o + 4, (uint32_t)nrows[p]);
                o += 8;
                for (size_t i = 0; i < (NT + 1) * NT; i++, o += 2)
                        put16(buf + o, wp->trans[i]);
                for (size_t b = 0; b < nb; b++) {
                        const int16_t *w    = enr__tg_row(wp, (uint32_t)b);
                        bool           zero = true;
                        for (unsigned c = 0; c < NT && zero; c++)
                                zero = w[c] == 0;
                        if (zero)
                                continue;
                        put32(buf + o, (uint32_t)b);
                        o += 4;
                        for (unsigned c = 0; c < NT; c++, o += 2)
                                put16(buf + o, w[c]);
                }
        }
        crc = crc32_update(0, buf, 44);
        crc = crc32_update(crc, buf + HDR_SIZE, len - HDR_SIZE);
        put32(buf + 44, crc);
        if (!(fp = fopen(path, "wb"))) {
                enr_set_errstr(errstr, errstr_size, "%s: %s", path,
                               strerror(errno));
                goto out;
        }
        if (fwrite(buf, 1, len, fp) != len) {
                enr_set_errstr(errstr, errstr_size, "%s: write failed", path);
                goto out;
        }
        if (fclose(fp) != 0) {
                fp = NULL;
                enr_set_errstr(errstr, errstr_size, "%s: %s", path,
                               strerror(errno));
                goto out;
        }
        fp  = NULL;
        err = ENR_OK;
out:
        if (fp)
                fclose(fp);
        free(buf);
        return err;
}

/*
 * Reads the word clusters of a model file at *o (see tagger.h), checking
 * every bound, into tg.
 */
static enr_err_t load_clusters(enr_tagger_t *tg, const unsigned char *buf,
                               size_t len, size_t *o, char *errstr,
                               size_t errstr_size) {
        uint32_t  nrows, nlev, n;
        uint64_t *keys = NULL;
        uint16_t *rows = NULL, *tree = NULL;
        size_t    nt;
        enr_err_t err = ENR_ERR_MODEL;

        if (len - *o < 8 || (nrows = get32(buf + *o)) > ENR__TG_MAX_CLROWS ||
            nrows == 0 || (nlev = get32(buf + *o + 4)) != ENR__TG_CL_LEVELS ||
            (len - *o - 8) / 2 < (size_t)nrows * nlev + 2) {
                enr_set_errstr(errstr, errstr_size,
                               "model word clusters truncated or with bad "
                               "dimensions");
                return err;
        }
        *o += 8;
        nt = (size_t)nrows * nlev;
        if (!(tree = malloc((nt + 1) * sizeof(*tree))))
                goto nomem;
        for (size_t i = 0; i < nt; i++, *o += 2) {
                tree[i] = (uint16_t)get16(buf + *o);
                if (tree[i] >= ENR__TG_MAX_CLROWS) {
                        enr_set_errstr(errstr, errstr_size,
                                       "model word cluster out of range");
                        goto out;
                }
        }
        if (len - *o < 4 || (n = get32(buf + *o)) > ENR__TG_MAX_CLWORDS ||
            (len - *o - 4) / 10 < n) {
                enr_set_errstr(errstr, errstr_size,
                               "model cluster words truncated or too many");
                goto out;
        }
        *o += 4;
        if (!(keys = malloc(((size_t)n + 1) * sizeof(*keys))) ||
            !(rows = malloc(((size_t)n + 1) * sizeof(*rows))))
                goto nomem;
        for (uint32_t i = 0; i < n; i++, *o += 8) {
                keys[i] = get32(buf + *o) | (uint64_t)get32(buf + *o + 4) << 32;
                if (i > 0 && keys[i] <= keys[i - 1]) {
                        enr_set_errstr(errstr, errstr_size,
                                       "model cluster words out of order at "
                                       "%u",
                                       i);
                        goto out;
                }
        }
        for (uint32_t i = 0; i < n; i++, *o += 2) {
                rows[i] = (uint16_t)get16(buf + *o);
                if (rows[i] >= nrows) {
                        enr_set_errstr(errstr, errstr_size,
                                       "model cluster row out of range at %u",
                                       i);
                        goto out;
                }
        }
        if ((err = enr__tagger_set_clusters(tg, keys, rows, n, tree, nrows)))
                goto nomem;
        err = ENR_OK;
        goto out;
nomem:
        err = ENR_ERR_NOMEM;
        enr_set_errstr(errstr, errstr_size, "out of memory");
out:
        free(keys);
        free(rows);
        free(tree);
        return err;
}

/*
 * Checks a model file's header (magic, version, dimensions, features,
 * payload length), its CRC and its tag names; on success the header's
 * fields are in *fs, *log2 and *npass.
 */
static bool check_header(const unsigned char *buf, size_t len, uint32_t *fs,
                         uint32_t *log2, uint32_t *npass, char *errstr,
                         size_t errstr_size) {
        const unsigned NT = ENR__TG_NTAGS;
        uint32_t       version, ntags, plen, crc;

        if (len < HDR_SIZE || memcmp(buf, "ENRTAGR", 8) != 0) {
                enr_set_errstr(errstr, errstr_size,
                               "not a tagger model (bad magic or too short)");
                return false;
        }
        version = get32(buf + 8);
        *fs     = get32(buf + 12);
        ntags   = get32(buf + 16);
        *log2   = get32(buf + 20);
        *npass  = get32(buf + 24);
        plen    = get32(buf + 36);
        if (version != ENR_TAGGER_VERSION) {
                enr_set_errstr(errstr, errstr_size,
                               "model version %u, this program reads %u",
                               version, ENR_TAGGER_VERSION);
                return false;
        }
        if (ntags != NT || *log2 < ENR__TG_MIN_LOG2 ||
            *log2 > ENR__TG_MAX_LOG2 || (*fs & ~ENR__TG_FS_KNOWN) ||
            !(*fs & ENR_TAGGER_FS_BASE) ||
            *npass != ((*fs & ENR_TAGGER_FS_STACK) ? 2u : 1u)) {
                enr_set_errstr(errstr, errstr_size,
                               "model with unsupported dimensions or features "
                               "(tags %u, buckets 2^%u, features 0x%x, "
                               "passes %u)",
                               ntags, *log2, *fs, *npass);
                return false;
        }
        if (plen != len - HDR_SIZE) {
                enr_set_errstr(errstr, errstr_size,
                               "model truncated or with trailing bytes "
                               "(%zu payload bytes, header says %u)",
                               len - HDR_SIZE, plen);
                return false;
        }
        crc = crc32_update(0, buf, 44);
        crc = crc32_update(crc, buf + HDR_SIZE, len - HDR_SIZE);
        if (crc != get32(buf + 44)) {
                enr_set_errstr(errstr, errstr_size,
                               "model checksum mismatch (corrupt file)");
                return false;
        }
        if (len - HDR_SIZE < NT * 8) {
                enr_set_errstr(errstr, errstr_size,
                               "model truncated in the tag names");
                return false;
        }
        for (unsigned c = 0; c < NT; c++)
                if (strncmp((const char *)buf + HDR_SIZE + 8 * c, tag_names[c],
                            8) != 0) {
                        enr_set_errstr(errstr, errstr_size,
                                       "model tag set differs (tag %u)", c);
                        return false;
                }
        return true;
}

/* Reads the case profiles of a model file at *o (see tagger.h), checking
 * their count, order and classes. */
static enr_err_t load_case(enr_tagger_t *tg, const unsigned char *buf,
                           size_t len, size_t *o, char *errstr,
                           size_t errstr_size) {
        uint32_t  n;
        uint64_t *keys;
        enr_err_t err;

        if (len - *o < 4 || (n = get32(buf + *o)) > ENR__TG_MAX_CASE ||
            (len - *o - 4) / 9 < n) {
                enr_set_errstr(errstr, errstr_size,
                               "model case profiles truncated or "
                               "too many");
                return ENR_ERR_MODEL;
        }
        *o += 4;
        if (!(keys = malloc(((size_t)n + 1) * sizeof(*keys)))) {
                enr_set_errstr(errstr, errstr_size, "out of memory");
                return ENR_ERR_NOMEM;
        }
        for (uint32_t i = 0; i < n; i++, *o += 8)
                keys[i] = get32(buf + *o) | (uint64_t)get32(buf + *o + 4) << 32;
        for (uint32_t i = 0; i < n; i++)
                if ((i > 0 && keys[i] <= keys[i - 1]) || buf[*o + i] < 1 ||
                    buf[*o + i] > 7) {
                        free(keys);
                        enr_set_errstr(errstr, errstr_size,
                                       "model case profiles out of "
                                       "order or invalid at %u",
                                       i);
                        return ENR_ERR_MODEL;
                }
        err = enr__tagger_set_case(tg, keys, buf + *o, n);
        free(keys);
        if (err) {
                enr_set_errstr(errstr, errstr_size, "out of memory");
                return err;
        }
        *o += n;
        return ENR_OK;
}

/* Reads the weights of pass p at *o: scale, transitions, and the non-zero
 * rows of buckets in increasing order. */
static enr_err_t load_pass(enr_tagger_t *tg, uint32_t p,
                           const unsigned char *buf, size_t len, size_t *o,
                           char *errstr, size_t errstr_size) {
        const unsigned     NT     = ENR__TG_NTAGS;
        enr__tg_weights_t *wp     = &tg->pass[p];
        size_t             row    = 4 + 2 * NT;
        size_t             ptrans = (size_t)(NT + 1) * NT * 2;
        uint32_t           sbits, nrows;
        int64_t            prev = -1;

        if (len - *o < 8 + ptrans) {
                enr_set_errstr(errstr, errstr_size,
                               "model truncated in pass %u", p + 1);
                return ENR_ERR_MODEL;
        }
        sbits = get32(buf + *o);
        nrows = get32(buf + *o + 4);
        memcpy(&wp->scale, &sbits, 4);
        *o += 8;
        if (!(wp->scale > 0) || !isfinite(wp->scale) ||
            nrows > (1u << tg->log2) || (len - *o - ptrans) / row < nrows) {
                enr_set_errstr(errstr, errstr_size,
                               "model pass %u has a bad scale or "
                               "row count (truncated?)",
                               p + 1);
                return ENR_ERR_MODEL;
        }
        for (size_t i = 0; i < (NT + 1) * NT; i++, *o += 2)
                wp->trans[i] = get16(buf + *o);
        /* Only the stored rows, behind the zero row every other bucket
         * points to. */
        wp->rows = calloc(((size_t)nrows + 1) * NT, sizeof(int16_t));
        wp->idx  = calloc((size_t)1 << tg->log2, sizeof(uint32_t));
        if (!wp->rows || !wp->idx) {
                enr_set_errstr(errstr, errstr_size, "out of memory");
                return ENR_ERR_NOMEM;
        }
        for (uint32_t r = 0; r < nrows; r++) {
                uint32_t b = get32(buf + *o);
                if ((int64_t)b <= prev || b >= (1u << tg->log2)) {
                        enr_set_errstr(errstr, errstr_size,
                                       "model rows out of order at "
                                       "row %u of pass %u",
                                       r, p + 1);
                        return ENR_ERR_MODEL;
                }
                prev = b;
                *o += 4;
                wp->idx[b] = r + 1;
                for (unsigned c = 0; c < NT; c++, *o += 2)
                        wp->rows[(size_t)(r + 1) * NT + c] = get16(buf + *o);
        }
        return ENR_OK;
}

enr_tagger_t *enr_tagger_load_mem(const void *data, size_t len,
                                  const enr_gazetteer_t *g, char *errstr,
                                  size_t errstr_size) {
        const unsigned char *buf = data;
        enr_tagger_t        *tg  = NULL;
        uint32_t             fs, log2, npass;
        size_t               o = HDR_SIZE + ENR__TG_NTAGS * 8;

        if (!check_header(buf, len, &fs, &log2, &npass, errstr, errstr_size))
                return NULL;
        if ((fs & ENR_TAGGER_FS_GAZ) && !g) {
                enr_set_errstr(errstr, errstr_size,
                               "model was trained with gazetteer features "
                               "but no gazetteer is loaded");
                return NULL;
        }
        if (!(tg = enr__tagger_alloc(log2, npass, false))) {
                enr_set_errstr(errstr, errstr_size, "out of memory");
                return NULL;
        }
        tg->fs          = fs;
        tg->seed        = get32(buf + 28);
        tg->dev_f1x100  = get32(buf + 40);
        tg->g           = (fs & ENR_TAGGER_FS_GAZ) ? g : NULL;
        tg->map_g       = g;
        tg->gaz_entries = get32(buf + 32);
        if (tg->g && tg->gaz_entries != enr_gazetteer_size(tg->g))
                enr_warn("tagger",
                         "the model was trained with a gazetteer of %u "
                         "entries, the loaded one has %zu: its features "
                         "differ, retrain the model (enricher train)",
                         tg->gaz_entries, enr_gazetteer_size(tg->g));
        if ((fs & ENR_TAGGER_FS_CASE) &&
            load_case(tg, buf, len, &o, errstr, errstr_size) != ENR_OK)
                goto fail;
        if ((fs & ENR_TAGGER_FS_CLUSTER) &&
            load_clusters(tg, buf, len, &o, errstr, errstr_size) != ENR_OK)
                goto fail;
        for (uint32_t p = 0; p < npass; p++)
                if (load_pass(tg, p, buf, len, &o, errstr, errstr_size) !=
                    ENR_OK)
                        goto fail;
        if (o != len) {
                enr_set_errstr(errstr, errstr_size,
                               "model has %zu trailing bytes", len - o);
                goto fail;
        }
        return tg;
fail:
        enr_tagger_destroy(tg);
        return NULL;
}

enr_tagger_t *enr_tagger_load(const char *path, const enr_gazetteer_t *g,
                              char *errstr, size_t errstr_size) {
        FILE          *fp  = fopen(path, "rb");
        unsigned char *buf = NULL;
        enr_tagger_t  *tg  = NULL;
        long           size;

        if (!fp) {
                enr_set_errstr(errstr, errstr_size, "%s: %s", path,
                               strerror(errno));
                return NULL;
        }
        if (fseek(fp, 0, SEEK_END) != 0 || (size = ftell(fp)) < 0 ||
            fseek(fp, 0, SEEK_SET) != 0) {
                enr_set_errstr(errstr, errstr_size, "%s: cannot seek", path);
                goto out;
        }
        if ((unsigned long)size > ENR_TAGGER_MAX_FILE) {
                enr_set_errstr(errstr, errstr_size,
                               "%s: model larger than %u bytes", path,
                               ENR_TAGGER_MAX_FILE);
                goto out;
        }
        if (!(buf = malloc(size ? (size_t)size : 1))) {
                enr_set_errstr(errstr, errstr_size, "out of memory");
                goto out;
        }
        if (fread(buf, 1, (size_t)size, fp) != (size_t)size) {
                enr_set_errstr(errstr, errstr_size, "%s: read failed", path);
                goto out;
        }
        tg = enr_tagger_load_mem(buf, (size_t)size, g, errstr, errstr_size);
        if (!tg) {
                /* Prefix the reason with the path. */
                char reason[256];
                snprintf(reason, sizeof(reason), "%s", errstr ? errstr : "");
                enr_set_errstr(errstr, errstr_size, "%s: %s", path, reason);
        }
out:
        fclose(fp);
        free(buf);
        return tg;
}
