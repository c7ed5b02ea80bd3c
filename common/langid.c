/*
 * Language identification over a bounded prefix of title + body.
 *
 * Step 1 counts letters per script (a fixed table of Unicode ranges) and
 * takes the dominant one. Scripts of one language answer at once (Greek,
 * Hebrew, Thai ...); Han with kana is Japanese, Han alone Chinese, Hangul
 * Korean. Step 2, for scripts shared by several languages (Latin,
 * Cyrillic, Arabic, Devanagari), scores every letter of that script as a
 * character language model would: for each language the longest n-gram
 * (5 down to 1 letters, within a word) ending at the letter that the model
 * holds gives ln P(letter | previous letters), minus a back-off penalty per
 * missing order; a language without any gets the model's floor. Scores are
 * kept relative to the floor, so only the languages listed for an n-gram
 * are touched. A word's score counts at most word_cap below the word's best
 * language, so that one foreign name cannot outvote the text around it.
 * Scoring stops at the end of a word once the leader's lead is large enough
 * (or a letter budget is spent). The confidence is the winner's share of a
 * softmax over the candidates' scores (temperature chosen on dev data for
 * calibration).
 *
 * The n-gram table is one open-addressing hash table of 32-bit n-gram
 * hashes pointing at (language, 8-bit score) postings. Nothing is
 * allocated per call.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enricher/common.h"
#include "enricher/langid.h"
#include "langid_int.h"

/* Limits on the model file, so that a corrupt one cannot ask for much. */
#define MAX_FILE_SIZE (64u << 20)
#define MAX_LANGS     255u
#define MAX_POSTINGS  (1u << 24)
#define MAX_ORDER     5

/* Letters of a word scored together (longer words go in several). */
#define CHUNK 24

/* Letters looked at to find the dominant script. */
#define SCRIPT_LETTERS 256

/* Scripts told apart (the model names them by ISO 15924 code). */
enum script {
        S_NONE = 0,
        S_LATN,
        S_CYRL,
        S_GREK,
        S_ARMN,
        S_HEBR,
        S_ARAB,
        S_THAA,
        S_DEVA,
        S_BENG,
        S_GURU,
        S_GUJR,
        S_ORYA,
        S_TAML,
        S_TELU,
        S_KNDA,
        S_MLYM,
        S_SINH,
        S_THAI,
        S_LAOO,
        S_TIBT,
        S_MYMR,
        S_GEOR,
        S_HANG,
        S_ETHI,
        S_KHMR,
        S_KANA, /* Hiragana or Katakana. */
        S_HANI,
        S__COUNT
};

/* ISO 15924 names of enum script; kana counts as "Jpan" and Hangul as
 * "Kore" when a model language names them. */
static const char *const script_names[S__COUNT] = {
    "Zyyy", "Latn", "Cyrl", "Grek", "Armn", "Hebr", "Arab",
    "Thaa", "Deva", "Beng", "Guru", "Gujr", "Orya", "Taml",
    "Telu", "Knda", "Mlym", "Sinh", "Thai", "Laoo", "Tibt",
    "Mymr", "Geor", "Hang", "Ethi", "Khmr", "Jpan", "Hani"};

/* Letter ranges of each script, sorted by first code point. Digits and
 * punctuation inside the blocks are cut out where they matter. */
static const struct range {
        uint32_t lo, hi;
        uint8_t  script;
} ranges[] = {
    {0x0041, 0x005A, S_LATN},   {0x0061, 0x007A, S_LATN},
    {0x00AA, 0x00AA, S_LATN},   {0x00BA, 0x00BA, S_LATN},
    {0x00C0, 0x00D6, S_LATN},   {0x00D8, 0x00F6, S_LATN},
    {0x00F8, 0x02AF, S_LATN},   {0x0370, 0x0373, S_GREK},
    {0x0376, 0x037D, S_GREK},   {0x037F, 0x0386, S_GREK},
    {0x0388, 0x03FF, S_GREK},   {0x0400, 0x0482, S_CYRL},
    {0x048A, 0x052F, S_CYRL},   {0x0531, 0x0588, S_ARMN},
    {0x0591, 0x05BD, S_HEBR},   {0x05BF, 0x05C7, S_HEBR},
    {0x05D0, 0x05F2, S_HEBR},   {0x0610, 0x061A, S_ARAB},
    {0x0620, 0x065F, S_ARAB},   {0x066E, 0x06D3, S_ARAB},
    {0x06D5, 0x06EF, S_ARAB},   {0x06FA, 0x06FF, S_ARAB},
    {0x0750, 0x077F, S_ARAB},   {0x0780, 0x07B1, S_THAA},
    {0x08A0, 0x08FF, S_ARAB},   {0x0900, 0x0963, S_DEVA},
    {0x0971, 0x097F, S_DEVA},   {0x0980, 0x09E5, S_BENG},
    {0x09F0, 0x09FF, S_BENG},   {0x0A00, 0x0A65, S_GURU},
    {0x0A70, 0x0A7F, S_GURU},   {0x0A80, 0x0AE5, S_GUJR},
    {0x0AF0, 0x0AFF, S_GUJR},   {0x0B00, 0x0B65, S_ORYA},
    {0x0B70, 0x0B7F, S_ORYA},   {0x0B80, 0x0BE5, S_TAML},
    {0x0BF0, 0x0BFF, S_TAML},   {0x0C00, 0x0C65, S_TELU},
    {0x0C70, 0x0C7F, S_TELU},   {0x0C80, 0x0CE5, S_KNDA},
    {0x0CF0, 0x0CFF, S_KNDA},   {0x0D00, 0x0D65, S_MLYM},
    {0x0D70, 0x0D7F, S_MLYM},   {0x0D80, 0x0DE5, S_SINH},
    {0x0DF0, 0x0DFF, S_SINH},   {0x0E01, 0x0E3A, S_THAI},
    {0x0E40, 0x0E4E, S_THAI},   {0x0E80, 0x0ECF, S_LAOO},
    {0x0EDC, 0x0EFF, S_LAOO},   {0x0F00, 0x0F1F, S_TIBT},
    {0x0F2A, 0x0FFF, S_TIBT},   {0x1000, 0x103F, S_MYMR},
    {0x1050, 0x109F, S_MYMR},   {0x10A0, 0x10FF, S_GEOR},
    {0x1100, 0x11FF, S_HANG},   {0x1200, 0x139F, S_ETHI},
    {0x1780, 0x17D3, S_KHMR},   {0x1C80, 0x1C8F, S_CYRL},
    {0x1C90, 0x1CBF, S_GEOR},   {0x1E00, 0x1EFF, S_LATN},
    {0x1F00, 0x1FFF, S_GREK},   {0x2C60, 0x2C7F, S_LATN},
    {0x2D00, 0x2D2F, S_GEOR},   {0x2D80, 0x2DDF, S_ETHI},
    {0x2DE0, 0x2DFF, S_CYRL},   {0x3005, 0x3007, S_HANI},
    {0x3041, 0x309F, S_KANA},   {0x30A1, 0x30FA, S_KANA},
    {0x30FC, 0x30FF, S_KANA},   {0x3130, 0x318F, S_HANG},
    {0x31F0, 0x31FF, S_KANA},   {0x3400, 0x4DBF, S_HANI},
    {0x4E00, 0x9FFF, S_HANI},   {0xA640, 0xA69F, S_CYRL},
    {0xA720, 0xA7FF, S_LATN},   {0xA960, 0xA97F, S_HANG},
    {0xAC00, 0xD7AF, S_HANG},   {0xD7B0, 0xD7FF, S_HANG},
    {0xF900, 0xFAFF, S_HANI},   {0xFB13, 0xFB17, S_ARMN},
    {0xFB1D, 0xFB4F, S_HEBR},   {0xFB50, 0xFDFF, S_ARAB},
    {0xFE70, 0xFEFF, S_ARAB},   {0xFF21, 0xFF3A, S_LATN},
    {0xFF41, 0xFF5A, S_LATN},   {0xFF66, 0xFF9D, S_KANA},
    {0x20000, 0x3FFFF, S_HANI},
};

/* One slot of the n-gram hash table: key 0 with val 0 is empty (a posting
 * count is never 0, so val is never 0 in a used slot). */
typedef struct slot {
        uint32_t key;
        uint32_t val; /* first posting << 8 | posting count */
} slot_t;

struct enr_langid {
        uint32_t nlang;
        char (*codes)[8];
        char (*scripts)[8];
        uint8_t             *lang_script; /* enum script of each language */
        uint16_t            *lower;       /* BMP lower-case map */
        slot_t              *slots;
        uint32_t             mask;
        uint8_t             *postings; /* (lang, score) pairs */
        uint32_t             npostings;
        int                  scale;
        enr__langid_params_t p;
};

static uint8_t script_of(uint32_t c) {
        size_t lo = 0, hi = sizeof(ranges) / sizeof(ranges[0]);

        if (c < 0x41)
                return S_NONE;
        if (c < 0x80)
                return (c | 0x20) >= 'a' && (c | 0x20) <= 'z' ? S_LATN : S_NONE;
        while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                if (c < ranges[mid].lo)
                        hi = mid;
                else if (c > ranges[mid].hi)
                        lo = mid + 1;
                else
                        return ranges[mid].script;
        }
        return S_NONE;
}

/* Decodes one code point at s[*i] (n bytes), advancing *i; malformed
 * sequences give U+FFFD and advance one byte. */
static uint32_t next_cp(const unsigned char *s, size_t n, size_t *i) {
        uint32_t c = s[*i], need, min;

        if (c < 0x80) {
                (*i)++;
                return c;
        }
        if (c >= 0xC2 && c <= 0xDF) {
                need = 1, min = 0x80, c &= 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
                need = 2, min = 0x800, c &= 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
                need = 3, min = 0x10000, c &= 0x07;
        } else {
                (*i)++;
                return 0xFFFD;
        }
        if (n - *i <= need) {
                (*i)++;
                return 0xFFFD;
        }
        for (uint32_t k = 1; k <= need; k++) {
                unsigned char b = s[*i + k];
                if ((b & 0xC0) != 0x80) {
                        (*i)++;
                        return 0xFFFD;
                }
                c = c << 6 | (b & 0x3F);
        }
        if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
                (*i)++;
                return 0xFFFD;
        }
        *i += need + 1;
        return c;
}

static uint32_t read_u32(const unsigned char *p) {
        return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
               (uint32_t)p[3] << 24;
}

static uint32_t slot_of(uint32_t h, uint32_t mask) {
        return (uint32_t)((h * 0x9E3779B1u) >> 7) & mask;
}

static enum script script_by_name(const char *name) {
        if (!strcmp(name, "Kore"))
                return S_HANG;
        for (int s = 1; s < S__COUNT; s++)
                if (!strcmp(name, script_names[s]))
                        return (enum script)s;
        return S_NONE;
}

/* A code or script name: 2..7 bytes of [A-Za-z0-9-], NUL-padded. */
static int valid_name(const char *p) {
        size_t n = 0;

        while (n < 8 && p[n])
                n++;
        if (n < 2 || n > 7)
                return 0;
        for (size_t i = 0; i < n; i++)
                if (!((p[i] >= 'a' && p[i] <= 'z') ||
                      (p[i] >= 'A' && p[i] <= 'Z') ||
                      (p[i] >= '0' && p[i] <= '9') || p[i] == '-'))
                        return 0;
        for (size_t i = n; i < 8; i++)
                if (p[i])
                        return 0;
        return 1;
}

void enr__langid_get_params(const enr_langid_t *l, enr__langid_params_t *p) {
        *p = l->p;
}

void enr__langid_set_params(enr_langid_t *l, const enr__langid_params_t *p) {
        l->p = *p;
        if (l->p.min_order < 1)
                l->p.min_order = 1;
        if (l->p.min_order > MAX_ORDER)
                l->p.min_order = MAX_ORDER;
        if (!(l->p.temperature > 0))
                l->p.temperature = 1;
}

/* Builds the model from the file image buf (n bytes). */
static enr_langid_t *parse(const unsigned char *buf, size_t n, char *err,
                           size_t errsz) {
        enr_langid_t        *l = NULL;
        const unsigned char *p;
        uint32_t nlang, ncase, nent, npost, scale, cap = 1, prev = 0;
        size_t   need;

        if (n < 36 || memcmp(buf, "ENRLANG1", 8)) {
                snprintf(err, errsz, "model: not a language model");
                return NULL;
        }
        nlang = read_u32(buf + 8);
        ncase = read_u32(buf + 12);
        nent  = read_u32(buf + 16);
        npost = read_u32(buf + 20);
        scale = read_u32(buf + 24);
        if (nlang == 0 || nlang > MAX_LANGS || ncase > 0x10000 ||
            npost >= MAX_POSTINGS || nent > npost || scale == 0 ||
            scale > 1000) {
                snprintf(err, errsz, "model: bad header");
                return NULL;
        }
        need = 32 + (size_t)nlang * 16 + (size_t)ncase * 4 + (size_t)nent * 5 +
               (size_t)npost * 2 + 4;
        if (n != need) {
                snprintf(err, errsz, "model: size %zu, header says %zu", n,
                         need);
                return NULL;
        }
        if (enr_crc32(buf, n - 4) != read_u32(buf + n - 4)) {
                snprintf(err, errsz, "model: checksum mismatch");
                return NULL;
        }
        while (cap < nent + nent / 2 + 1)
                cap <<= 1;
        if (!(l = calloc(1, sizeof(*l))) ||
            !(l->codes = calloc(nlang, sizeof(*l->codes))) ||
            !(l->scripts = calloc(nlang, sizeof(*l->scripts))) ||
            !(l->lang_script = calloc(nlang, 1)) ||
            !(l->lower = malloc(0x10000 * sizeof(*l->lower))) ||
            !(l->slots = calloc(cap, sizeof(*l->slots))) ||
            !(l->postings = malloc((size_t)npost * 2 + 1))) {
                snprintf(err, errsz, "out of memory");
                goto fail;
        }
        l->nlang = nlang, l->mask = cap - 1, l->npostings = npost;
        l->scale = (int)scale;
        p        = buf + 32;
        for (uint32_t i = 0; i < nlang; i++, p += 16) {
                memcpy(l->codes[i], p, 8);
                memcpy(l->scripts[i], p + 8, 8);
                if (!valid_name(l->codes[i]) || !valid_name(l->scripts[i]) ||
                    !(l->lang_script[i] = script_by_name(l->scripts[i]))) {
                        snprintf(err, errsz, "model: bad language %u", i);
                        goto fail;
                }
                for (uint32_t j = 0; j < i; j++)
                        if (!strcmp(l->codes[i], l->codes[j])) {
                                snprintf(err, errsz, "model: language %s twice",
                                         l->codes[i]);
                                goto fail;
                        }
        }
        for (uint32_t c = 0; c < 0x10000; c++)
                l->lower[c] = (uint16_t)c;
        for (uint32_t i = 0; i < ncase; i++, p += 4)
                l->lower[p[0] | p[1] << 8] = (uint16_t)(p[2] | p[3] << 8);
        for (uint32_t i = 0, first = 0; i < nent; i++) {
                uint32_t h = read_u32(p + (size_t)i * 4);
                uint32_t c = p[(size_t)nent * 4 + i], k;
                if ((i > 0 && h <= prev) || c == 0 || c > npost - first) {
                        snprintf(err, errsz, "model: bad n-gram entry %u", i);
                        goto fail;
                }
                prev = h;
                k    = slot_of(h, l->mask);
                while (l->slots[k].val)
                        k = (k + 1) & l->mask;
                l->slots[k].key = h;
                l->slots[k].val = first << 8 | c;
                first += c;
                if (i + 1 == nent && first != npost) {
                        snprintf(err, errsz, "model: postings unaccounted");
                        goto fail;
                }
        }
        p += (size_t)nent * 5;
        for (uint32_t i = 0; i < npost; i++) {
                if (p[2 * i] >= nlang || p[2 * i + 1] == 0) {
                        snprintf(err, errsz, "model: bad posting %u", i);
                        goto fail;
                }
        }
        memcpy(l->postings, p, (size_t)npost * 2);
        l->p.backoff     = (int)scale;
        l->p.min_letters = 40;
        l->p.margin      = 25 * (int)scale;
        l->p.max_letters = 1000;
        l->p.temperature = 4.0;
        l->p.min_order   = 2;
        l->p.word_cap    = 6 * (int)scale;
        return l;
fail:
        enr_langid_destroy(l);
        return NULL;
}

enr_langid_t *enr_langid_new(const char *resources_dir, const char *path,
                             char *errstr, size_t errstr_size) {
        char           pathbuf[4096], dummy[1];
        unsigned char *buf = NULL;
        enr_langid_t  *l   = NULL;
        FILE          *f   = NULL;
        long           size;

        if (!errstr || !errstr_size)
                errstr = dummy, errstr_size = sizeof(dummy);
        if (!path) {
                if (!resources_dir)
                        resources_dir = ENR_RESOURCE_DIR;
                if ((size_t)snprintf(pathbuf, sizeof(pathbuf), "%s/%s",
                                     resources_dir, ENR_LANGID_DEFAULT_FILE) >=
                    sizeof(pathbuf)) {
                        snprintf(errstr, errstr_size, "path too long");
                        return NULL;
                }
                path = pathbuf;
        }
        if (!(f = fopen(path, "rb"))) {
                snprintf(errstr, errstr_size, "%s: %s", path, strerror(errno));
                goto out;
        }
        if (fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0 ||
            fseek(f, 0, SEEK_SET)) {
                snprintf(errstr, errstr_size, "%s: cannot size", path);
                goto out;
        }
        if ((unsigned long)size > MAX_FILE_SIZE) {
                snprintf(errstr, errstr_size, "%s: model: too large", path);
                goto out;
        }
        if (!(buf = malloc((size_t)size + 1))) {
                snprintf(errstr, errstr_size, "out of memory");
                goto out;
        }
        if (fread(buf, 1, (size_t)size, f) != (size_t)size) {
                snprintf(errstr, errstr_size, "%s: read error", path);
                goto out;
        }
        l = parse(buf, (size_t)size, errstr, errstr_size);
out:
        if (f)
                fclose(f);
        free(buf);
        return l;
}

enr_langid_t *enr__langid_parse(const void *buf, size_t n, char *errstr,
                                size_t errstr_size) {
        char dummy[1];

        if (!errstr || !errstr_size)
                errstr = dummy, errstr_size = sizeof(dummy);
        return parse(buf, n, errstr, errstr_size);
}

void enr_langid_destroy(enr_langid_t *l) {
        if (!l)
                return;
        free(l->codes);
        free(l->scripts);
        free(l->lang_script);
        free(l->lower);
        free(l->slots);
        free(l->postings);
        free(l);
}

int enr_langid_knows(const enr_langid_t *l, const char *code) {
        if (!l || !code)
                return 0;
        for (uint32_t i = 0; i < l->nlang; i++)
                if (!strcmp(l->codes[i], code))
                        return 1;
        return 0;
}

size_t enr_langid_count(const enr_langid_t *l) {
        return l ? l->nlang : 0;
}

const char *enr_langid_code(const enr_langid_t *l, size_t i) {
        return l && i < l->nlang ? l->codes[i] : NULL;
}

const char *enr_langid_script(const enr_langid_t *l, size_t i) {
        return l && i < l->nlang ? l->scripts[i] : NULL;
}

/* Per-call scoring state, on the stack. */
typedef struct scorer {
        const enr_langid_t *l;
        enum script         script;
        int32_t             acc[MAX_LANGS];  /* scores of finished words */
        int32_t             wacc[MAX_LANGS]; /* scores of the current word */
        uint32_t            seen[MAX_LANGS]; /* stamp of the last position */
        uint32_t            stamp;
        uint32_t            hist[MAX_ORDER]; /* running hashes of the word */
        int                 inword;          /* letters of the word so far */
        int                 letters;         /* letters scored */
        int                 ncand;
        uint8_t             cand[MAX_LANGS];
} scorer_t;

/* Scores the letters c[0..n) (lower-cased), which continue the current
 * word. The table is far larger than the caches, so the slots of every
 * n-gram of the chunk are prefetched first, then the postings of those
 * found, and only then are the postings read: the memory latencies overlap
 * instead of adding up. */
static void score_chunk(scorer_t *sc, const uint32_t *c, int n) {
        const enr_langid_t *l = sc->l;
        const uint8_t      *post[CHUNK][MAX_ORDER + 1];
        uint32_t            hash[CHUNK][MAX_ORDER + 1];
        uint8_t             cnt[CHUNK][MAX_ORDER + 1];
        uint8_t             kmax[CHUNK], kmin[CHUNK];

        for (int j = 0; j < n; j++) {
                /* hist[k] is the hash of the last k + 1 letters. */
                for (int k = MAX_ORDER - 1; k > 0; k--)
                        sc->hist[k] = (sc->hist[k - 1] ^ c[j]) * 16777619u;
                sc->hist[0] = (2166136261u ^ c[j]) * 16777619u;
                sc->inword++;
                kmax[j] = sc->inword < MAX_ORDER ? sc->inword : MAX_ORDER;
                kmin[j] = kmax[j] >= 3 ? l->p.min_order : 1;
                for (int k = kmin[j]; k <= kmax[j]; k++) {
                        hash[j][k] = sc->hist[k - 1];
                        __builtin_prefetch(
                            &l->slots[slot_of(hash[j][k], l->mask)]);
                }
        }
        for (int j = 0; j < n; j++)
                for (int k = kmin[j]; k <= kmax[j]; k++) {
                        uint32_t h = hash[j][k], i = slot_of(h, l->mask);
                        cnt[j][k] = 0;
                        while (l->slots[i].val) {
                                if (l->slots[i].key == h) {
                                        uint32_t v = l->slots[i].val;
                                        cnt[j][k]  = (uint8_t)(v & 0xFF);
                                        post[j][k] =
                                            l->postings + (size_t)(v >> 8) * 2;
                                        __builtin_prefetch(post[j][k]);
                                        break;
                                }
                                i = (i + 1) & l->mask;
                        }
                }
        for (int j = 0; j < n; j++) {
                sc->stamp++;
                for (int k = kmax[j]; k >= kmin[j]; k--) {
                        const uint8_t *q   = post[j][k];
                        int            pen = (kmax[j] - k) * l->p.backoff;
                        /* Branch-free: the language's longest n-gram
                         * counts, the shorter ones it also has do not. */
                        for (uint32_t m = 0; m < cnt[j][k]; m++, q += 2) {
                                int v = (int)q[1] - pen;
                                v &= -(int)(v > 0);
                                v &= -(int)(sc->seen[q[0]] != sc->stamp);
                                sc->seen[q[0]] = sc->stamp;
                                sc->wacc[q[0]] += v;
                        }
                }
        }
        sc->letters += n;
}

/* Adds the finished word's scores, each at most word_cap below the best
 * one: a single word (a foreign name, above all) cannot decide alone. */
static void end_word(scorer_t *sc) {
        int32_t best = 0, floor;

        for (int i = 0; i < sc->ncand; i++)
                if (sc->wacc[sc->cand[i]] > best)
                        best = sc->wacc[sc->cand[i]];
        floor = best - sc->l->p.word_cap;
        for (int i = 0; i < sc->ncand; i++) {
                int32_t w = sc->wacc[sc->cand[i]];
                sc->acc[sc->cand[i]] += w > floor ? w : floor;
                sc->wacc[sc->cand[i]] = 0;
        }
        sc->inword = 0;
}

/* The best and second-best candidate scores. */
static void leaders(const scorer_t *sc, int *best, int32_t *lead) {
        int32_t b = INT32_MIN, s = INT32_MIN;

        *best = -1;
        for (int i = 0; i < sc->ncand; i++) {
                int32_t a = sc->acc[sc->cand[i]];
                if (a > b) {
                        s = b, b = a, *best = sc->cand[i];
                } else if (a > s) {
                        s = a;
                }
        }
        *lead = s == INT32_MIN ? INT32_MAX : b - s;
}

/* Scores the letters of sc->script in s[0..n); returns 1 when the lead
 * allows stopping. */
static int score_text(scorer_t *sc, const unsigned char *s, size_t n) {
        const enr_langid_t *l = sc->l;
        uint32_t            word[CHUNK];
        int                 nw = 0;
        size_t              i  = 0;

        while (i < n) {
                uint32_t c = next_cp(s, n, &i);
                if (script_of(c) == sc->script) {
                        word[nw++] = c < 0x10000 ? l->lower[c] : c;
                        if (nw == CHUNK) {
                                score_chunk(sc, word, nw);
                                nw = 0;
                        }
                        continue;
                }
                if (nw) {
                        score_chunk(sc, word, nw);
                        nw = 0;
                }
                if (sc->inword) {
                        int     best;
                        int32_t lead;
                        end_word(sc);
                        if (sc->letters >= l->p.min_letters) {
                                leaders(sc, &best, &lead);
                                if (lead >= l->p.margin ||
                                    sc->letters >= l->p.max_letters)
                                        return 1;
                        }
                }
        }
        if (nw)
                score_chunk(sc, word, nw);
        if (sc->inword)
                end_word(sc);
        return 0;
}

static void set_guess(enr_lang_guess_t *out, const char *code,
                      const char *script, double conf) {
        snprintf(out->code, sizeof(out->code), "%s", code);
        snprintf(out->script, sizeof(out->script), "%s", script);
        out->confidence = conf;
}

/* Counts letters per script in s[0..n), up to *budget letters. */
static void count_scripts(const unsigned char *s, size_t n,
                          uint32_t counts[S__COUNT], uint32_t *budget) {
        size_t i = 0;

        while (i < n && *budget) {
                enum script sc = script_of(next_cp(s, n, &i));
                if (sc != S_NONE) {
                        counts[sc]++;
                        (*budget)--;
                }
        }
}

void enr_langid_detect(const enr_langid_t *l, const char *title,
                       size_t title_len, const char *body, size_t body_len,
                       enr_lang_guess_t *out) {
        uint32_t    counts[S__COUNT] = {0}, total = 0, top = 0;
        uint32_t    budget = SCRIPT_LETTERS;
        enum script script = S_NONE;
        scorer_t    sc;
        int         best;
        int32_t     lead;
        double      sum = 0, t;

        set_guess(out, "und", "Zyyy", 0);
        if (!l)
                return;
        if (!title)
                title_len = 0;
        if (!body)
                body_len = 0;
        if (title_len > ENR_LANGID_MAX_BYTES)
                title_len = ENR_LANGID_MAX_BYTES;
        if (body_len > ENR_LANGID_MAX_BYTES)
                body_len = ENR_LANGID_MAX_BYTES;
        count_scripts((const unsigned char *)title, title_len, counts, &budget);
        count_scripts((const unsigned char *)body, body_len, counts, &budget);
        for (int s = 1; s < S__COUNT; s++) {
                total += counts[s];
                if (counts[s] > top)
                        top = counts[s], script = (enum script)s;
        }
        if (script == S_NONE)
                return;
        /* Kana, even a little of it among Han, means Japanese. */
        if ((script == S_HANI || script == S_KANA) &&
            counts[S_KANA] * 20 >= counts[S_HANI]) {
                if (enr_langid_knows(l, "ja"))
                        set_guess(out, "ja", "Jpan",
                                  (double)(counts[S_HANI] + counts[S_KANA]) /
                                      total);
                else
                        set_guess(out, "und", "Jpan", 0);
                return;
        }
        sc.l      = l;
        sc.script = script;
        sc.ncand  = 0;
        for (uint32_t i = 0; i < l->nlang; i++)
                if (l->lang_script[i] == script && strcmp(l->codes[i], "ja"))
                        sc.cand[sc.ncand++] = (uint8_t)i;
        if (sc.ncand == 0) {
                set_guess(out, "und", script_names[script], 0);
                return;
        }
        if (sc.ncand == 1) {
                const char *name = script_names[script];
                if (script == S_HANG)
                        name = counts[S_HANI] ? "Kore" : "Hang";
                set_guess(out, l->codes[sc.cand[0]], name, (double)top / total);
                return;
        }
        memset(sc.acc, 0, sizeof(sc.acc));
        memset(sc.wacc, 0, sizeof(sc.wacc));
        memset(sc.seen, 0, sizeof(sc.seen));
        sc.stamp   = 0;
        sc.inword  = 0;
        sc.letters = 0;
        if (!score_text(&sc, (const unsigned char *)title, title_len))
                score_text(&sc, (const unsigned char *)body, body_len);
        leaders(&sc, &best, &lead);
        /* Posterior of the winner under a softmax of the scores. */
        t = l->p.temperature * l->scale;
        for (int i = 0; i < sc.ncand; i++)
                sum += exp((sc.acc[sc.cand[i]] - sc.acc[best]) / t);
        set_guess(out, l->codes[best], script_names[script], 1.0 / sum);
}
