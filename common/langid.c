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
 * Step 3, only when the two best candidates are a close pair with a word
 * table (resources/lang/pair-<a>-<b>.txt: Malay/Indonesian, Bosnian/
 * Croatian, Bokmål/Nynorsk, which character n-grams do not separate): the
 * weights (log-likelihood ratios, 1/100 nat) of the text's words that the
 * table lists and of their listed suffixes, plus the table's bias and a
 * quarter of the n-gram lead (or the table's own weight of it: weights
 * build_pairs.py chose by cross-validation), decide between the two;
 * the confidence is the pair's share of the softmax times the logistic of
 * that margin. Other texts (English news) never reach it.
 *
 * The model file is mapped read-only and used in place: its sorted n-gram
 * hashes, their posting counts and the (language, 8-bit score) postings.
 * The only table built at load is a bucket index over the hashes' top bits
 * (8 bytes per bucket, a bucket per eight n-grams: 1 MB for 890,000), which
 * gives each bucket's first n-gram and first posting; a lookup scans the
 * few hashes of its bucket (a bucket per four n-grams cost 2 % fewer
 * instructions for twice the memory). The model thus costs its file size
 * plus an eighth in memory, in pages the kernel shares between processes
 * mapping the same file. Nothing is allocated per call.
 *
 * Each letter takes, for each language, the score of the longest n-gram
 * the language has: the orders are read shortest first and each posting
 * overwrites the language's score for the letter, so the longest one is
 * what is left when the letter's scores are added to the word's.
 */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "enricher/common.h"
#include "enricher/langid.h"
#include "langid_int.h"

/* Limits on the model file, so that a corrupt one cannot ask for much. */
#define MAX_FILE_SIZE (64u << 20)
#define MAX_LANGS     255u
#define MAX_POSTINGS  (1u << 24)
#define MAX_ORDER     5

/* Limits on the pair tables (resources/lang/pair-*.txt). */
#define MAX_PAIRS       16
#define MAX_PAIR_WORDS  200000u
#define MAX_PAIR_FILE   (8u << 20)
#define MAX_PAIR_WORD   64   /* bytes of a word */
#define MAX_PAIR_VALUE  1000 /* |weight|, 1/100 nat */
#define MAX_PAIR_SUFFIX 8    /* code points of a suffix entry */

/* The model's hashes are read in place as native 32-bit integers. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "common/langid.c reads the little-endian model file in place"
#endif

/* Languages' score arrays are this long, a multiple of 8 above MAX_LANGS,
 * so that adding a letter's scores runs whole vectors. */
#define LANG_SLOTS 256

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

/* One bucket of the index over the n-gram hashes: the n-grams whose hash
 * has the bucket's top bits are entries start .. next bucket's start, and
 * their postings begin at post. */
typedef struct bucket {
        uint32_t start;
        uint32_t post;
} bucket_t;

/* One word of a pair table: the 64-bit FNV-1a hash of its lower-cased code
 * points (of '-' and the code points for a suffix entry) and its weight
 * (1/100 nat, > 0 for the pair's first language). */
typedef struct pair_word {
        uint64_t hash;
        int32_t  weight;
} pair_word_t;

/* A second-stage table for two languages that n-grams confuse: applied
 * when they are the two best candidates. */
typedef struct lang_pair {
        uint8_t a, b;            /* languages: a weight > 0 is evidence for a */
        uint8_t script;          /* enum script of both */
        int32_t bias;            /* added to the words' sum (1/100 nat) */
        int32_t ngram;           /* weight of the n-gram lead (1/100), or -1:
                                    the parameter pair_ngram */
        int          max_suffix; /* longest suffix entry (code points) */
        int32_t      per_word;   /* the empty suffix's weight: every word */
        uint32_t     nwords;
        pair_word_t *words; /* sorted by hash, no two equal */
} lang_pair_t;

struct enr_langid {
        uint32_t nlang;
        char (*codes)[8];
        char (*scripts)[8];
        uint8_t             *lang_script; /* enum script of each language */
        uint16_t            *lower;       /* BMP lower-case map */
        unsigned char       *image;       /* the model file, read-only */
        size_t               image_len;
        int                  mapped;   /* image is mmap()ed, else malloc()ed */
        const uint32_t      *keys;     /* nentries n-gram hashes, ascending */
        const uint8_t       *counts;   /* postings of each n-gram */
        const uint8_t       *postings; /* (lang, score) pairs */
        bucket_t            *buckets;  /* nbuckets + 1; the last one ends */
        unsigned             bshift;   /* hash >> bshift is the bucket */
        int                  scale;
        enr__langid_params_t p;
        lang_pair_t          pairs[MAX_PAIRS]; /* second-stage word tables */
        int                  npairs;
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

/* Frees or unmaps a model file image. */
static void release_image(unsigned char *img, size_t n, int mapped) {
        if (!img)
                return;
        if (mapped)
                munmap(img, n);
        else
                free(img);
}

/* Builds the model over the file image img (n bytes), which it takes over
 * (mapped: from mmap(), else from malloc()), also on failure. Everything is
 * checked here, so that lookups need not. */
static enr_langid_t *parse(unsigned char *img, size_t n, int mapped, char *err,
                           size_t errsz) {
        enr_langid_t        *l = NULL;
        const unsigned char *p;
        uint32_t nlang, ncase, nent, npost, scale, nb = 2, prev = 0, first = 0;
        unsigned bits = 1;
        size_t   need;

        if (n < 36 || memcmp(img, "ENRLANG1", 8)) {
                snprintf(err, errsz, "model: not a language model");
                goto fail;
        }
        nlang = read_u32(img + 8);
        ncase = read_u32(img + 12);
        nent  = read_u32(img + 16);
        npost = read_u32(img + 20);
        scale = read_u32(img + 24);
        if (nlang == 0 || nlang > MAX_LANGS || ncase > 0x10000 ||
            npost >= MAX_POSTINGS || nent > npost || scale == 0 ||
            scale > 1000) {
                snprintf(err, errsz, "model: bad header");
                goto fail;
        }
        need = 32 + (size_t)nlang * 16 + (size_t)ncase * 4 + (size_t)nent * 5 +
               (size_t)npost * 2 + 4;
        if (n != need) {
                snprintf(err, errsz, "model: size %zu, header says %zu", n,
                         need);
                goto fail;
        }
        if (enr_crc32(img, n - 4) != read_u32(img + n - 4)) {
                snprintf(err, errsz, "model: checksum mismatch");
                goto fail;
        }
        /* A bucket per eight n-grams or so: a 1 MB index for 890,000. */
        while (nb < nent / 8 && bits < 24)
                nb <<= 1, bits++;
        if (!(l = calloc(1, sizeof(*l))) ||
            !(l->codes = calloc(nlang, sizeof(*l->codes))) ||
            !(l->scripts = calloc(nlang, sizeof(*l->scripts))) ||
            !(l->lang_script = calloc(nlang, 1)) ||
            !(l->lower = malloc(0x10000 * sizeof(*l->lower))) ||
            !(l->buckets = malloc(((size_t)nb + 1) * sizeof(*l->buckets)))) {
                snprintf(err, errsz, "out of memory");
                goto fail;
        }
        l->image = img, l->image_len = n, l->mapped = mapped;
        img      = NULL;
        l->nlang = nlang, l->bshift = 32 - bits;
        l->scale = (int)scale;
        p        = l->image + 32;
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
        /* The offset is a multiple of 4 (32 + 16 nlang + 4 ncase) and the
         * image page- or malloc-aligned, so the hashes are aligned. */
        l->keys     = (const uint32_t *)(const void *)p;
        l->counts   = p + (size_t)nent * 4;
        l->postings = p + (size_t)nent * 5;
        for (uint32_t i = 0, b = 0; i < nent; i++) {
                uint32_t h = l->keys[i], c = l->counts[i];
                if ((i > 0 && h <= prev) || c == 0 || c > npost - first) {
                        snprintf(err, errsz, "model: bad n-gram entry %u", i);
                        goto fail;
                }
                prev = h;
                for (; b <= h >> l->bshift; b++) {
                        l->buckets[b].start = i;
                        l->buckets[b].post  = first;
                }
                first += c;
                if (i + 1 == nent) {
                        for (; b <= nb; b++) {
                                l->buckets[b].start = nent;
                                l->buckets[b].post  = first;
                        }
                }
        }
        if (nent == 0)
                for (uint32_t b = 0; b <= nb; b++)
                        l->buckets[b].start = 0, l->buckets[b].post = 0;
        if (first != npost) {
                snprintf(err, errsz, "model: postings unaccounted");
                goto fail;
        }
        for (uint32_t i = 0; i < npost; i++) {
                if (l->postings[2 * i] >= nlang ||
                    l->postings[2 * i + 1] == 0) {
                        snprintf(err, errsz, "model: bad posting %u", i);
                        goto fail;
                }
        }
        l->p.backoff     = (int)scale;
        l->p.min_letters = 40;
        l->p.margin      = 25 * (int)scale;
        l->p.max_letters = 1000;
        l->p.temperature = 4.0;
        l->p.min_order   = 2;
        l->p.word_cap    = 6 * (int)scale;
        l->p.pair_ngram  = 0.25;
        l->p.pair_words  = 1.0;
        return l;
fail:
        release_image(img, n, mapped);
        enr_langid_destroy(l);
        return NULL;
}

/* The pair tables (resources/lang/pair-<a>-<b>.txt, written by
 * resources/lang/build_pairs.py) are UTF-8 text:
 *   # comment lines
 *   pair<TAB>a<TAB>b[<TAB>bias[<TAB>ngram]]
 *                             the two languages, of one script;
 *                             optionally a bias added to every text's
 *                             word sum (1/100 nat, |bias| <= 1000) and
 *                             the weight of the n-gram lead for this pair
 *                             (1/100, 0..1000; default: the parameter
 *                             pair_ngram)
 *   word<TAB>weight           one per line; weight in 1/100 nat, > 0 for
 *                             a, < 0 for b, 1 <= |weight| <= 1000
 *   -suffix<TAB>weight        likewise, added for every word that ends
 *                             with suffix (0..8 letters) and is longer:
 *                             "-" alone is a weight for every word
 * A word is lower-case letters of the pair's script. Words and suffixes
 * are kept as 64-bit FNV-1a hashes of their code points (a suffix's
 * preceded by '-', which no word holds), sorted for binary search. */
#define FNV64_BASIS 14695981039346656037ull
#define FNV64_PRIME 1099511628211ull

static int cmp_pair_word(const void *x, const void *y) {
        uint64_t a = ((const pair_word_t *)x)->hash;
        uint64_t b = ((const pair_word_t *)y)->hash;
        return a < b ? -1 : a > b;
}

/* The language whose code is s[0..n), or -1. */
static int lang_index(const enr_langid_t *l, const char *s, size_t n) {
        for (uint32_t i = 0; i < l->nlang; i++)
                if (strlen(l->codes[i]) == n && !memcmp(l->codes[i], s, n))
                        return (int)i;
        return -1;
}

/* The pair table of languages x and y (either order), or NULL. */
static const lang_pair_t *find_pair(const enr_langid_t *l, int x, int y) {
        for (int i = 0; i < l->npairs; i++) {
                const lang_pair_t *p = &l->pairs[i];
                if ((p->a == x && p->b == y) || (p->a == y && p->b == x))
                        return p;
        }
        return NULL;
}

/* Parses a weight, [-]digits, |weight| <= MAX_PAIR_VALUE, into *v;
 * returns 0 or -1. */
static int parse_weight(const char *s, size_t n, long *v) {
        int neg = n > 0 && s[0] == '-';

        if (neg)
                s++, n--;
        if (n < 1 || n > 4)
                return -1;
        *v = 0;
        for (size_t i = 0; i < n; i++) {
                if (s[i] < '0' || s[i] > '9')
                        return -1;
                *v = *v * 10 + (s[i] - '0');
        }
        if (*v > MAX_PAIR_VALUE)
                return -1;
        if (neg)
                *v = -*v;
        return 0;
}

/* Parses "pair\ta\tb[\tbias[\tngram]]" into *pr; returns 0 or -1. */
static int parse_pair_header(const enr_langid_t *l, const char *s, size_t n,
                             lang_pair_t *pr) {
        const char *t1, *t2, *t3, *t4, *end = s + n;
        int         a, b;
        long        bias = 0, ngram = -1;

        if (n < 5 || memcmp(s, "pair\t", 5))
                return -1;
        t1 = s + 5;
        if (!(t2 = memchr(t1, '\t', (size_t)(end - t1))))
                return -1;
        if (!(t3 = memchr(t2 + 1, '\t', (size_t)(end - t2 - 1))))
                t3 = end;
        else {
                if (!(t4 = memchr(t3 + 1, '\t', (size_t)(end - t3 - 1))))
                        t4 = end;
                else if (parse_weight(t4 + 1, (size_t)(end - t4 - 1), &ngram) ||
                         ngram < 0)
                        return -1;
                if (parse_weight(t3 + 1, (size_t)(t4 - t3 - 1), &bias))
                        return -1;
        }
        a = lang_index(l, t1, (size_t)(t2 - t1));
        b = lang_index(l, t2 + 1, (size_t)(t3 - t2 - 1));
        if (a < 0 || b < 0 || a == b || l->lang_script[a] != l->lang_script[b])
                return -1;
        pr->a = (uint8_t)a, pr->b = (uint8_t)b;
        pr->script = l->lang_script[a];
        pr->bias   = (int32_t)bias;
        pr->ngram  = (int32_t)ngram;
        return 0;
}

/* Parses "word\tweight" or "-suffix\tweight" of pair pr into *w; returns 0,
 * 1 for "-\tweight" (no entry: pr->per_word) or -1. */
static int parse_pair_word(const enr_langid_t *l, lang_pair_t *pr,
                           const char *s, size_t n, pair_word_t *w) {
        const char *tab = memchr(s, '\t', n);
        size_t      wl, i = 0;
        long        v      = 0;
        int         suffix = n > 0 && s[0] == '-', ncp = 0;

        if (!tab || tab == s || (wl = (size_t)(tab - s)) > MAX_PAIR_WORD)
                return -1;
        w->hash = FNV64_BASIS;
        if (suffix)
                w->hash = (w->hash ^ '-') * FNV64_PRIME, i = 1;
        if (i == wl && !suffix)
                return -1;
        while (i < wl) {
                uint32_t c = next_cp((const unsigned char *)s, wl, &i);
                if (c == 0xFFFD || script_of(c) != pr->script ||
                    (c < 0x10000 && l->lower[c] != c))
                        return -1;
                w->hash = (w->hash ^ c) * FNV64_PRIME;
                ncp++;
        }
        if (suffix && ncp > MAX_PAIR_SUFFIX)
                return -1;
        if (parse_weight(tab + 1, n - wl - 1, &v) || v == 0)
                return -1;
        if (suffix && ncp == 0) {
                if (pr->per_word)
                        return -1;
                pr->per_word = (int32_t)v;
                return 1;
        }
        if (suffix && ncp > pr->max_suffix)
                pr->max_suffix = ncp;
        w->weight = (int32_t)v;
        return 0;
}

enr_err_t enr__langid_add_pairs(enr_langid_t *l, const void *buf, size_t n,
                                char *errstr, size_t errstr_size) {
        const char *s = buf, *end = s + n;
        lang_pair_t pr     = {0};
        size_t      lines  = 1, cap;
        unsigned    lineno = 0;
        int         header = 0, rc;
        char        dummy[1];

        if (!errstr || !errstr_size)
                errstr = dummy, errstr_size = sizeof(dummy);
        if (!l || (!buf && n)) {
                snprintf(errstr, errstr_size, "pairs: no model");
                return ENR_ERR_INVALID_ARG;
        }
        if (n > MAX_PAIR_FILE) {
                snprintf(errstr, errstr_size, "model: pair table too large");
                return ENR_ERR_MODEL;
        }
        if (l->npairs == MAX_PAIRS) {
                snprintf(errstr, errstr_size, "model: over %d pair tables",
                         MAX_PAIRS);
                return ENR_ERR_MODEL;
        }
        for (size_t i = 0; i < n; i++)
                lines += s[i] == '\n';
        cap = lines < MAX_PAIR_WORDS ? lines : MAX_PAIR_WORDS;
        if (!(pr.words = malloc(cap * sizeof(*pr.words)))) {
                snprintf(errstr, errstr_size, "out of memory");
                return ENR_ERR_NOMEM;
        }
        while (s < end) {
                const char *nl  = memchr(s, '\n', (size_t)(end - s));
                size_t      len = (size_t)((nl ? nl : end) - s);
                lineno++;
                if (len == 0 || s[0] == '#') {
                        /* A comment or an empty line. */
                } else if (!header) {
                        if (parse_pair_header(l, s, len, &pr) ||
                            find_pair(l, pr.a, pr.b)) {
                                snprintf(errstr, errstr_size,
                                         "model: pair table line %u: bad or "
                                         "repeated pair",
                                         lineno);
                                goto fail;
                        }
                        header = 1;
                } else if (pr.nwords == cap ||
                           (rc = parse_pair_word(l, &pr, s, len,
                                                 &pr.words[pr.nwords])) < 0) {
                        snprintf(errstr, errstr_size,
                                 "model: pair table line %u: bad word line",
                                 lineno);
                        goto fail;
                } else if (rc == 0) {
                        pr.nwords++;
                }
                s += len + (nl != NULL);
        }
        if (!header || pr.nwords == 0) {
                snprintf(errstr, errstr_size, "model: pair table: %s",
                         header ? "no words" : "no pair line");
                goto fail;
        }
        qsort(pr.words, pr.nwords, sizeof(*pr.words), cmp_pair_word);
        for (uint32_t i = 1; i < pr.nwords; i++)
                if (pr.words[i].hash == pr.words[i - 1].hash) {
                        snprintf(errstr, errstr_size,
                                 "model: pair table: a word twice");
                        goto fail;
                }
        l->pairs[l->npairs++] = pr;
        return ENR_OK;
fail:
        free(pr.words);
        return ENR_ERR_MODEL;
}

/* Reads and adds every pair table dir/pair-*.txt, in name order; returns 0,
 * or -1 with a message. */
static int load_pairs(enr_langid_t *l, const char *dir, char *err,
                      size_t errsz) {
        char   pattern[4096];
        glob_t g;
        int    rc = 0, grc;

        if ((size_t)snprintf(pattern, sizeof(pattern), "%s/pair-*.txt", dir) >=
            sizeof(pattern)) {
                snprintf(err, errsz, "path too long");
                return -1;
        }
        grc = glob(pattern, 0, NULL, &g);
        if (grc == GLOB_NOMATCH)
                return 0;
        if (grc) {
                snprintf(err, errsz, "%s: cannot list", dir);
                return -1;
        }
        for (size_t i = 0; i < g.gl_pathc && !rc; i++) {
                const char *path = g.gl_pathv[i];
                FILE       *f    = fopen(path, "rb");
                char       *buf  = NULL, msg[256];
                long        sz   = -1;

                if (f && !fseek(f, 0, SEEK_END))
                        sz = ftell(f);
                if (!f || sz < 0 || fseek(f, 0, SEEK_SET)) {
                        snprintf(err, errsz, "%s: cannot read", path);
                        rc = -1;
                } else if ((unsigned long)sz > MAX_PAIR_FILE) {
                        snprintf(err, errsz, "%s: model: too large", path);
                        rc = -1;
                } else if (!(buf = malloc((size_t)sz + 1)) ||
                           fread(buf, 1, (size_t)sz, f) != (size_t)sz) {
                        snprintf(err, errsz, "%s: cannot read", path);
                        rc = -1;
                } else if (enr__langid_add_pairs(l, buf, (size_t)sz, msg,
                                                 sizeof(msg))) {
                        snprintf(err, errsz, "%s: %s", path, msg);
                        rc = -1;
                }
                free(buf);
                if (f)
                        fclose(f);
        }
        globfree(&g);
        return rc;
}

/* The weight of hash h in pair pr's table, or 0. */
static int32_t pair_weight(const lang_pair_t *pr, uint64_t h) {
        pair_word_t        key = {h, 0};
        const pair_word_t *w   = bsearch(&key, pr->words, pr->nwords,
                                         sizeof(*pr->words), cmp_pair_word);
        return w ? w->weight : 0;
}

/* The sum of the weights, in pair pr's table, of the words of s[0..n) and
 * of their suffixes. */
static int64_t pair_evidence(const enr_langid_t *l, const lang_pair_t *pr,
                             const unsigned char *s, size_t n) {
        uint64_t h   = FNV64_BASIS;
        int64_t  sum = 0;
        size_t   i = 0, len = 0;
        uint32_t last[MAX_PAIR_SUFFIX]; /* the word's last code points */

        while (i <= n) {
                uint32_t c = i < n ? next_cp(s, n, &i) : (i++, 0);
                if (c && script_of(c) == pr->script) {
                        c = c < 0x10000 ? l->lower[c] : c;
                        h = (h ^ c) * FNV64_PRIME;
                        last[len % MAX_PAIR_SUFFIX] = c;
                        len++;
                        continue;
                }
                if (len) {
                        sum += pair_weight(pr, h) + pr->per_word;
                        for (size_t k = 1;
                             k <= (size_t)pr->max_suffix && k < len; k++) {
                                uint64_t hs = (FNV64_BASIS ^ '-') * FNV64_PRIME;
                                for (size_t j = len - k; j < len; j++)
                                        hs = (hs ^ last[j % MAX_PAIR_SUFFIX]) *
                                             FNV64_PRIME;
                                sum += pair_weight(pr, hs);
                        }
                }
                h = FNV64_BASIS, len = 0;
        }
        return sum;
}

enr_langid_t *enr_langid_new(const char *resources_dir, const char *path,
                             char *errstr, size_t errstr_size) {
        char          pathbuf[4096], dir[4096], dummy[1];
        const char   *slash;
        void         *img = MAP_FAILED;
        enr_langid_t *l;
        struct stat   st;
        int           fd = -1;

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
        if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
                snprintf(errstr, errstr_size, "%s: %s", path, strerror(errno));
                return NULL;
        }
        if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
                snprintf(errstr, errstr_size, "%s: cannot size", path);
                goto out;
        }
        if ((unsigned long long)st.st_size > MAX_FILE_SIZE) {
                snprintf(errstr, errstr_size, "%s: model: too large", path);
                goto out;
        }
        if (st.st_size < 36) {
                snprintf(errstr, errstr_size, "%s: model: not a language model",
                         path);
                goto out;
        }
        /* Shared read-only pages: the file must not be rewritten in place
         * while a worker runs (replace it by rename()). */
        img = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (img == MAP_FAILED) {
                snprintf(errstr, errstr_size, "%s: mmap: %s", path,
                         strerror(errno));
                goto out;
        }
        close(fd);
        if (!(l = parse(img, (size_t)st.st_size, 1, errstr, errstr_size)))
                return NULL;
        /* The pair tables are the files pair-*.txt beside the model. */
        slash = strrchr(path, '/');
        snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path) : 1,
                 slash ? path : ".");
        if (load_pairs(l, dir, errstr, errstr_size)) {
                enr_langid_destroy(l);
                return NULL;
        }
        return l;
out:
        close(fd);
        return NULL;
}

enr_langid_t *enr__langid_parse(const void *buf, size_t n, char *errstr,
                                size_t errstr_size) {
        char           dummy[1];
        unsigned char *img;

        if (!errstr || !errstr_size)
                errstr = dummy, errstr_size = sizeof(dummy);
        if (n > MAX_FILE_SIZE) {
                snprintf(errstr, errstr_size, "model: too large");
                return NULL;
        }
        if (!(img = malloc(n ? n : 1))) {
                snprintf(errstr, errstr_size, "out of memory");
                return NULL;
        }
        if (n)
                memcpy(img, buf, n);
        return parse(img, n, 0, errstr, errstr_size);
}

void enr_langid_destroy(enr_langid_t *l) {
        if (!l)
                return;
        free(l->codes);
        free(l->scripts);
        free(l->lang_script);
        free(l->lower);
        free(l->buckets);
        for (int i = 0; i < l->npairs; i++)
                free(l->pairs[i].words);
        release_image(l->image, l->image_len, l->mapped);
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
        int32_t             acc[LANG_SLOTS];  /* scores of finished words */
        int32_t             wacc[LANG_SLOTS]; /* scores of the current word */
        int32_t             let[LANG_SLOTS];  /* scores of the current letter */
        int32_t  is_cand[LANG_SLOTS];         /* -1 for a candidate, else 0 */
        int      lo, hi;          /* the candidates' slots, in whole vectors */
        uint32_t hist[MAX_ORDER]; /* running hashes of the word */
        int      inword;          /* letters of the word so far */
        int      letters;         /* letters scored */
        int      ncand;
        uint8_t  cand[MAX_LANGS];
} scorer_t;

/* Scores the letters c[0..n) (lower-cased), which continue the current
 * word. The tables are far larger than the caches, so the buckets of every
 * n-gram of the chunk are prefetched first, then their first hashes, then
 * the postings of those found, and only then are the postings read: the
 * memory latencies overlap instead of adding up. */
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
                            &l->buckets[hash[j][k] >> l->bshift]);
                }
        }
        for (int j = 0; j < n; j++)
                for (int k = kmin[j]; k <= kmax[j]; k++) {
                        uint32_t i = l->buckets[hash[j][k] >> l->bshift].start;
                        __builtin_prefetch(&l->keys[i]);
                        __builtin_prefetch(&l->counts[i]);
                }
        for (int j = 0; j < n; j++)
                for (int k = kmin[j]; k <= kmax[j]; k++) {
                        uint32_t        h = hash[j][k];
                        const bucket_t *b = &l->buckets[h >> l->bshift];
                        uint32_t        i = b->start, off = b->post;

                        for (; i < b[1].start && l->keys[i] < h; i++)
                                off += l->counts[i];
                        cnt[j][k] = 0;
                        if (i < b[1].start && l->keys[i] == h) {
                                cnt[j][k]  = l->counts[i];
                                post[j][k] = l->postings + (size_t)off * 2;
                                __builtin_prefetch(post[j][k]);
                        }
                }
        for (int j = 0; j < n; j++) {
                /* Shortest first: a language's longest n-gram is the
                 * score it keeps for the letter. Scores are > 0, so the
                 * longest order, without penalty, needs no clamp. */
                for (int k = kmin[j]; k < kmax[j]; k++) {
                        const uint8_t *q   = post[j][k];
                        int            pen = (kmax[j] - k) * l->p.backoff;
                        for (uint32_t m = 0; m < cnt[j][k]; m++, q += 2) {
                                int v         = (int)q[1] - pen;
                                sc->let[q[0]] = v > 0 ? v : 0;
                        }
                }
                {
                        const uint8_t *q = post[j][kmax[j]];
                        for (uint32_t m = 0; m < cnt[j][kmax[j]]; m++, q += 2)
                                sc->let[q[0]] = q[1];
                }
                for (int i = sc->lo; i < sc->hi; i++) {
                        sc->wacc[i] += sc->let[i];
                        sc->let[i] = 0;
                }
        }
        sc->letters += n;
}

/* Adds the finished word's scores, each at most word_cap below the best
 * one: a single word (a foreign name, above all) cannot decide alone. */
static void end_word(scorer_t *sc) {
        int32_t best = 0, floor;

        /* Over whole vectors of slots: scores are >= 0, those of
         * languages that are not candidates (hash collisions put some
         * there) are masked out, and what they accumulate is never read. */
        for (int i = sc->lo; i < sc->hi; i++) {
                int32_t w = sc->wacc[i] & sc->is_cand[i];
                best      = w > best ? w : best;
        }
        floor = best - sc->l->p.word_cap;
        for (int i = sc->lo; i < sc->hi; i++) {
                int32_t w = sc->wacc[i];
                sc->acc[i] += w > floor ? w : floor;
                sc->wacc[i] = 0;
        }
        sc->inword = 0;
}

/* The best and second-best candidates (-1: none) and the best's lead. */
static void leaders(const scorer_t *sc, int *best, int *second, int32_t *lead) {
        int32_t b = INT32_MIN, s = INT32_MIN;

        *best = *second = -1;
        for (int i = 0; i < sc->ncand; i++) {
                int32_t a = sc->acc[sc->cand[i]];
                if (a > b) {
                        s = b, b = a, *second = *best, *best = sc->cand[i];
                } else if (a > s) {
                        s = a, *second = sc->cand[i];
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
                        int     best, second;
                        int32_t lead;
                        end_word(sc);
                        if (sc->letters >= l->p.min_letters) {
                                leaders(sc, &best, &second, &lead);
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

/* The second stage, for text whose two best candidates are pair pr: the
 * n-gram lead (weighted by the table's ngram, else pair_ngram) plus the pair
 * table's word and suffix weights and bias (weighted by pair_words) decide
 * between the two, in nats. The
 * confidence is the pair's share of the softmax (sum: its denominator
 * relative to the leader) times the logistic of that margin, so it is low
 * when the words say little. Returns the winner. */
static int decide_pair(const scorer_t *sc, const lang_pair_t *pr,
                       const char *title, size_t title_len, const char *body,
                       size_t body_len, double sum, double *conf,
                       enr__langid_trace_t *trace) {
        const enr_langid_t *l = sc->l;
        int32_t             a = sc->acc[pr->a], b = sc->acc[pr->b];
        int32_t             top = a > b ? a : b;
        double              t   = l->p.temperature * l->scale, z;
        int64_t             w;

        w = pair_evidence(l, pr, (const unsigned char *)title, title_len) +
            pair_evidence(l, pr, (const unsigned char *)body, body_len) +
            pr->bias;
        z = (pr->ngram >= 0 ? pr->ngram / 100.0 : l->p.pair_ngram) * (a - b) /
                l->scale +
            l->p.pair_words * w / 100.0;
        if (trace) {
                snprintf(trace->a, sizeof(trace->a), "%s", l->codes[pr->a]);
                snprintf(trace->b, sizeof(trace->b), "%s", l->codes[pr->b]);
                trace->ngram_lead = (double)(a - b) / l->scale;
                trace->words      = w / 100.0;
        }
        *conf = (exp((a - top) / t) + exp((b - top) / t)) / sum /
                (1 + exp(-fabs(z)));
        if (z > 0)
                return pr->a;
        if (z < 0)
                return pr->b;
        return a >= b ? pr->a : pr->b;
}

static void detect(const enr_langid_t *l, const char *title, size_t title_len,
                   const char *body, size_t body_len, enr_lang_guess_t *out,
                   enr__langid_trace_t *trace) {
        uint32_t           counts[S__COUNT] = {0}, total = 0, top = 0;
        uint32_t           budget = SCRIPT_LETTERS;
        enum script        script = S_NONE;
        scorer_t           sc;
        int                best, second;
        int32_t            lead;
        double             sum = 0, t, conf;
        const lang_pair_t *pr;

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
        memset(sc.let, 0, sizeof(sc.let));
        memset(sc.is_cand, 0, sizeof(sc.is_cand));
        for (int i = 0; i < sc.ncand; i++)
                sc.is_cand[sc.cand[i]] = -1;
        sc.lo      = sc.cand[0] & ~7;
        sc.hi      = (sc.cand[sc.ncand - 1] + 8) & ~7;
        sc.inword  = 0;
        sc.letters = 0;
        if (!score_text(&sc, (const unsigned char *)title, title_len))
                score_text(&sc, (const unsigned char *)body, body_len);
        leaders(&sc, &best, &second, &lead);
        /* Posterior of the winner under a softmax of the scores. */
        t = l->p.temperature * l->scale;
        for (int i = 0; i < sc.ncand; i++)
                sum += exp((sc.acc[sc.cand[i]] - sc.acc[best]) / t);
        conf = 1.0 / sum;
        if (second >= 0 && (pr = find_pair(l, best, second)))
                best = decide_pair(&sc, pr, title, title_len, body, body_len,
                                   sum, &conf, trace);
        set_guess(out, l->codes[best], script_names[script], conf);
}

void enr_langid_detect(const enr_langid_t *l, const char *title,
                       size_t title_len, const char *body, size_t body_len,
                       enr_lang_guess_t *out) {
        detect(l, title, title_len, body, body_len, out, NULL);
}

void enr__langid_detect_trace(const enr_langid_t *l, const char *title,
                              size_t title_len, const char *body,
                              size_t body_len, enr_lang_guess_t *out,
                              enr__langid_trace_t *trace) {
        memset(trace, 0, sizeof(*trace));
        detect(l, title, title_len, body, body_len, out, trace);
}
