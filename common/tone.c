/*
 * Tone: a port of vaderSentiment 3.3.2 (MIT; resources/tone/) for one text,
 * and a GDELT-style summary over the same words and lexicon.
 *
 * The lexicon words, the booster and negation words and the few words the
 * rules name ("kind", "of", "no", "least", "but", the idioms' words ...)
 * share one open-addressing hash table keyed by their exact bytes, built
 * once. A text is scored the way polarity_scores() scores a str:
 *
 *   emoji -> description; split on (Unicode) whitespace; strip ASCII
 *   punctuation from each token's edges unless that leaves <= 2 code
 *   points; per token: booster/"kind of" -> 0, lexicon valence adjusted
 *   by "no", ALL CAPS, up to three preceding boosters, negations, idioms,
 *   "least"; then the "but" rule; then the sum with "!"/"?" emphasis,
 *   normalised, and the pos/neg/neu proportions.
 *
 * Tokens are looked up lower-cased with ASCII rules: every lexicon key a
 * lower-cased token can equal is ASCII, and only the exotic lower-casings
 * that turn a non-ASCII letter into an ASCII one (KELVIN SIGN -> 'k') are
 * lost. ALL CAPS (str.isupper()) is judged with the case of Latin-1, Latin
 * Extended-A and Additional, Greek and Cyrillic letters; other characters
 * count as uncased. README.md ("tone") lists what remains different.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enricher/tone.h"

/* VADER's constants (vaderSentiment.py). */
#define B_INCR   0.293
#define B_DECR   -0.293
#define C_INCR   0.733
#define N_SCALAR -0.74

/* Bytes of a lexicon file, at most. */
#define MAX_FILE_SIZE ((size_t)8 << 20)

/* The longest key looked up (bytes); longer tokens match nothing. */
#define MAX_KEY 32

/* Slots of the hash table: a power of two over twice the entries. */
#define SLOTS 32768u

/* No entry (a slot's or a token's). */
#define NONE 0xffffu

/* The words the rules name, as small ids. */
enum {
        W_NONE = 0,
        W_KIND,
        W_OF,
        W_NO,
        W_OR,
        W_NOR,
        W_LEAST,
        W_AT,
        W_VERY,
        W_NEVER,
        W_SO,
        W_THIS,
        W_WITHOUT,
        W_DOUBT,
        W_BUT,
        W_THE,
        W_SHIT,
        W_BOMB,
        W_BAD,
        W_ASS,
        W_BUS,
        W_STOP,
        W_YEAH,
        W_RIGHT,
        W_KISS,
        W_DEATH,
        W_TO,
        W_DIE,
        W_FOR,
        W_BEATING,
        W_HEART,
        W_JUST,
        W_ENOUGH,
        W_SORT,
        W__COUNT
};

static const char *const word_names[W__COUNT] = {
    "",     "kind",    "of",    "no",   "or",     "nor",     "least",
    "at",   "very",    "never", "so",   "this",   "without", "doubt",
    "but",  "the",     "shit",  "bomb", "bad",    "ass",     "bus",
    "stop", "yeah",    "right", "kiss", "death",  "to",      "die",
    "for",  "beating", "heart", "just", "enough", "sort"};

/* Entry flags. */
#define F_LEX   1 /* In the VADER lexicon (valence). */
#define F_BOOST 2 /* A one-word booster (boost). */
#define F_NEG   4 /* In VADER's NEGATE list. */
#define F_PRON  8 /* A first-person pronoun (the gkg summary). */

/* One word of the table. */
typedef struct entry {
        double   valence; /* The lexicon's, when F_LEX. */
        double   boost;   /* BOOSTER_DICT's, when F_BOOST. */
        uint32_t key;     /* Offset of the key in the pool. */
        uint32_t hash;    /* FNV-1a of the key. */
        uint8_t  len;     /* Key bytes. */
        uint8_t  flags;   /* F_*. */
        uint8_t  word;    /* W_* or W_NONE. */
} entry_t;

/* One single-code-point key of the emoji lexicon. */
typedef struct emoji {
        uint32_t cp;    /* The code point. */
        uint32_t desc;  /* Offset of its description in the pool. */
        uint16_t len;   /* Description bytes. */
        uint8_t  bangs; /* '!' in the description. */
        uint8_t  qms;   /* '?' in the description. */
} emoji_t;

/* Byte classes of ASCII (cls[]). */
#define C_SPACE 1  /* Python white space. */
#define C_PUNCT 2  /* string.punctuation. */
#define C_UPPER 4  /* A-Z. */
#define C_LOWER 8  /* a-z. */
#define C_DIGIT 16 /* 0-9. */
#define C_PRON  32 /* A first-person pronoun can start with it. */

/* Code points below this can be emoji keys (the lexicon's largest is
 * U+1F9FF); a bitmap marks them. */
#define EMOJI_CP_LIMIT 0x20000u

struct enr_tone {
        uint8_t   cls[128];                      /* C_* of each ASCII byte. */
        uint8_t   emoji_bit[EMOJI_CP_LIMIT / 8]; /* Emoji key code points. */
        entry_t  *e;                             /* The words. */
        size_t    ne, cap_e;                     /* Used, allocated. */
        uint16_t *slot; /* SLOTS indexes into e, NONE when empty. */
        char     *pool; /* Keys and descriptions. */
        size_t    npool, cap_pool;
        emoji_t  *emoji; /* Sorted by code point. */
        size_t    nemoji, cap_emoji;
};

/* A token as the rules see it. */
typedef struct tok {
        uint16_t e;     /* Its lower-cased form's entry, or NONE. */
        uint8_t  upper; /* str.isupper(). */
        uint8_t  neg;   /* negated([token]): NEGATE or "n't". */
} tok_t;

struct enr_tone_scratch {
        char   *text; /* The text with emojis described. */
        size_t  cap_text;
        tok_t  *tok;
        double *sent; /* Each token's valence. */
        size_t *nz;   /* Tokens of non-zero valence (the "but" rule). */
        size_t  cap_tok;
};

/* VADER's BOOSTER_DICT (one-word keys; the two-word ones are rules). */
static const char *const boost_up[]   = {"absolutely",
                                         "amazingly",
                                         "awfully",
                                         "completely",
                                         "considerable",
                                         "considerably",
                                         "decidedly",
                                         "deeply",
                                         "effing",
                                         "enormous",
                                         "enormously",
                                         "entirely",
                                         "especially",
                                         "exceptional",
                                         "exceptionally",
                                         "extreme",
                                         "extremely",
                                         "fabulously",
                                         "flipping",
                                         "flippin",
                                         "frackin",
                                         "fracking",
                                         "fricking",
                                         "frickin",
                                         "frigging",
                                         "friggin",
                                         "fully",
                                         "fuckin",
                                         "fucking",
                                         "fuggin",
                                         "fugging",
                                         "greatly",
                                         "hella",
                                         "highly",
                                         "hugely",
                                         "incredible",
                                         "incredibly",
                                         "intensely",
                                         "major",
                                         "majorly",
                                         "more",
                                         "most",
                                         "particularly",
                                         "purely",
                                         "quite",
                                         "really",
                                         "remarkably",
                                         "so",
                                         "substantially",
                                         "thoroughly",
                                         "total",
                                         "totally",
                                         "tremendous",
                                         "tremendously",
                                         "uber",
                                         "unbelievably",
                                         "unusually",
                                         "utter",
                                         "utterly",
                                         "very",
                                         NULL};
static const char *const boost_down[] = {
    "almost", "barely", "hardly",   "kinda",      "kindof",     "kind-of",
    "less",   "little", "marginal", "marginally", "occasional", "occasionally",
    "partly", "scarce", "scarcely", "slight",     "slightly",   "somewhat",
    "sorta",  "sortof", "sort-of",  NULL};

/* VADER's NEGATE. */
static const char *const negate[] = {
    "aint",    "arent",    "cannot",  "cant",     "couldnt",  "darent",
    "didnt",   "doesnt",   "ain't",   "aren't",   "can't",    "couldn't",
    "daren't", "didn't",   "doesn't", "dont",     "hadnt",    "hasnt",
    "havent",  "isnt",     "mightnt", "mustnt",   "neither",  "don't",
    "hadn't",  "hasn't",   "haven't", "isn't",    "mightn't", "mustn't",
    "neednt",  "needn't",  "never",   "none",     "nope",     "nor",
    "not",     "nothing",  "nowhere", "oughtnt",  "shant",    "shouldnt",
    "uhuh",    "wasnt",    "werent",  "oughtn't", "shan't",   "shouldn't",
    "uh-uh",   "wasn't",   "weren't", "without",  "wont",     "wouldnt",
    "won't",   "wouldn't", "rarely",  "seldom",   "despite",  NULL};

/* First-person pronouns, for gkg.self_group_density. */
static const char *const pronouns[] = {
    "i",     "me",    "my",        "mine", "myself", "we",   "us",
    "our",   "ours",  "ourselves", "i'm",  "i've",   "i'll", "i'd",
    "we're", "we've", "we'll",     "we'd", NULL};

/* SPECIAL_CASES, as word ids (0 ends a two-word case). */
static const struct {
        uint8_t w[3];
        double  valence;
} specials[] = {{{W_THE, W_SHIT, 0}, 3},    {{W_THE, W_BOMB, 0}, 3},
                {{W_BAD, W_ASS, 0}, 1.5},   {{W_BUS, W_STOP, 0}, 0.0},
                {{W_YEAH, W_RIGHT, 0}, -2}, {{W_KISS, W_OF, W_DEATH}, -1.5},
                {{W_TO, W_DIE, W_FOR}, 3},  {{W_BEATING, W_HEART, 0}, 3.5}};

static uint32_t hash_bytes(const char *s, size_t n) {
        uint32_t h = 2166136261u;
        size_t   i;

        for (i = 0; i < n; i++)
                h = (h ^ (unsigned char)s[i]) * 16777619u;
        return h;
}

/* The entry of the n bytes at s (hash h), or NONE. */
static uint16_t lookup(const enr_tone_t *t, const char *s, size_t n,
                       uint32_t h) {
        uint32_t i = h & (SLOTS - 1);

        for (;; i = (i + 1) & (SLOTS - 1)) {
                uint16_t       x = t->slot[i];
                const entry_t *e;
                if (x == NONE)
                        return NONE;
                e = &t->e[x];
                if (e->hash == h && e->len == n &&
                    !memcmp(t->pool + e->key, s, n))
                        return x;
        }
}

/* Appends n bytes to the pool; their offset, or -1 when out of memory. */
static long pool_add(enr_tone_t *t, const char *s, size_t n) {
        size_t off = t->npool;

        if (t->npool + n + 1 > t->cap_pool) {
                size_t cap = t->cap_pool ? t->cap_pool * 2 : 65536;
                char  *p;
                while (cap < t->npool + n + 1)
                        cap *= 2;
                if (!(p = realloc(t->pool, cap)))
                        return -1;
                t->pool     = p;
                t->cap_pool = cap;
        }
        memcpy(t->pool + off, s, n);
        t->pool[off + n] = 0;
        t->npool += n + 1;
        return (long)off;
}

/* The entry of key s[0..n), added when new; NULL when out of memory or
 * the table is full. */
static entry_t *intern(enr_tone_t *t, const char *s, size_t n) {
        uint32_t h = hash_bytes(s, n), i;
        uint16_t x;
        long     off;

        if (n > MAX_KEY)
                return NULL;
        if ((x = lookup(t, s, n, h)) != NONE)
                return &t->e[x];
        if (t->ne >= SLOTS / 2)
                return NULL;
        if (t->ne == t->cap_e) {
                size_t   cap = t->cap_e ? t->cap_e * 2 : 8192;
                entry_t *e   = realloc(t->e, cap * sizeof(*e));
                if (!e)
                        return NULL;
                t->e     = e;
                t->cap_e = cap;
        }
        if ((off = pool_add(t, s, n)) < 0)
                return NULL;
        for (i = h & (SLOTS - 1); t->slot[i] != NONE; i = (i + 1) & (SLOTS - 1))
                ;
        t->slot[i] = (uint16_t)t->ne;
        memset(&t->e[t->ne], 0, sizeof(t->e[0]));
        t->e[t->ne].key  = (uint32_t)off;
        t->e[t->ne].hash = h;
        t->e[t->ne].len  = (uint8_t)n;
        return &t->e[t->ne++];
}

/* Adds the NULL-terminated words with flag (and boost) to the table. */
static enr_err_t add_words(enr_tone_t *t, const char *const *w, int flag,
                           double boost) {
        for (; *w; w++) {
                entry_t *e = intern(t, *w, strlen(*w));
                if (!e)
                        return ENR_ERR_NOMEM;
                e->flags |= (uint8_t)flag;
                if (flag == F_BOOST)
                        e->boost = boost;
        }
        return ENR_OK;
}

/* Reads a whole file into a NUL-terminated buffer the caller frees. */
static char *read_file(const char *dir, const char *name, size_t *n,
                       char *errstr, size_t errstr_size) {
        char  path[4096];
        FILE *f;
        char *buf = NULL;
        long  size;

        if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >=
            sizeof(path)) {
                enr_set_errstr(errstr, errstr_size, "path too long");
                return NULL;
        }
        if (!(f = fopen(path, "rb"))) {
                enr_set_errstr(errstr, errstr_size, "%s: %s", path,
                               strerror(errno));
                return NULL;
        }
        if (fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0 ||
            fseek(f, 0, SEEK_SET) || (size_t)size > MAX_FILE_SIZE) {
                enr_set_errstr(errstr, errstr_size,
                               "%s: cannot size, or too large", path);
                goto out;
        }
        if (!(buf = malloc((size_t)size + 1))) {
                enr_set_errstr(errstr, errstr_size, "out of memory");
                goto out;
        }
        if (fread(buf, 1, (size_t)size, f) != (size_t)size) {
                enr_set_errstr(errstr, errstr_size, "%s: read error", path);
                free(buf);
                buf = NULL;
                goto out;
        }
        buf[size] = 0;
        *n        = (size_t)size;
out:
        fclose(f);
        return buf;
}

/* The line at *p (to '\n'), stripped of Python's ASCII whitespace at both
 * ends as str.strip() does for these files; advances *p past it. */
static void next_line(const char **p, const char *end, const char **s,
                      size_t *n) {
        const char *a = *p, *nl = memchr(a, '\n', (size_t)(end - a));
        const char *b = nl ? nl : end;

        *p = nl ? nl + 1 : end;
        while (a < b && isspace((unsigned char)*a))
                a++;
        while (b > a && isspace((unsigned char)b[-1]))
                b--;
        *s = a;
        *n = (size_t)(b - a);
}

/* make_lex_dict(): "word<TAB>mean<TAB>...", the later of two equal words
 * winning. */
static enr_err_t load_lexicon(enr_tone_t *t, const char *buf, size_t n,
                              char *errstr, size_t errstr_size) {
        const char *p = buf, *end = buf + n, *s;
        size_t      len, lineno   = 0;

        while (p < end) {
                const char *tab, *tab2;
                char        num[64], *num_end;
                entry_t    *e;
                double      v;

                next_line(&p, end, &s, &len);
                lineno++;
                if (!len)
                        continue;
                tab = memchr(s, '\t', len);
                if (!tab)
                        goto bad;
                tab2 = memchr(tab + 1, '\t', (size_t)(s + len - tab - 1));
                if (!tab2)
                        tab2 = s + len;
                if ((size_t)(tab2 - tab - 1) >= sizeof(num))
                        goto bad;
                memcpy(num, tab + 1, (size_t)(tab2 - tab - 1));
                num[tab2 - tab - 1] = 0;
                v                   = strtod(num, &num_end);
                if (num_end == num || *num_end)
                        goto bad;
                /* Keys longer than MAX_KEY, or holding whitespace, cannot
                 * equal a token (tokens are split at whitespace). */
                if ((size_t)(tab - s) > MAX_KEY ||
                    memchr(s, ' ', (size_t)(tab - s)))
                        continue;
                if (!(e = intern(t, s, (size_t)(tab - s))))
                        return ENR_ERR_NOMEM;
                e->flags |= F_LEX;
                e->valence = v;
        }
        return ENR_OK;
bad:
        enr_set_errstr(errstr, errstr_size,
                       "%s: line %zu: not \"word<TAB>valence\"",
                       ENR_TONE_LEXICON_FILE, lineno);
        return ENR_ERR_PARSE;
}

/* Decodes the UTF-8 sequence at s (n > 0 bytes) into *cp; its length, or
 * 1 with *cp = 0xFFFD for an invalid byte. */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp) {
        uint32_t c = s[0];
        size_t   len, i;

        if (c < 0x80) {
                *cp = c;
                return 1;
        }
        if (c >= 0xc2 && c <= 0xdf)
                len = 2, c &= 0x1f;
        else if (c >= 0xe0 && c <= 0xef)
                len = 3, c &= 0x0f;
        else if (c >= 0xf0 && c <= 0xf4)
                len = 4, c &= 0x07;
        else
                goto bad;
        if (len > n)
                goto bad;
        for (i = 1; i < len; i++) {
                if ((s[i] & 0xc0) != 0x80)
                        goto bad;
                c = (c << 6) | (s[i] & 0x3f);
        }
        if ((len == 3 && (c < 0x800 || (c >= 0xd800 && c <= 0xdfff))) ||
            (len == 4 && (c < 0x10000 || c > 0x10ffff)))
                goto bad;
        *cp = c;
        return len;
bad:
        *cp = 0xfffd;
        return 1;
}

/* By code point, then by line (descriptions are pooled in line order). */
static int cmp_emoji(const void *a, const void *b) {
        const emoji_t *x = a, *y = b;

        if (x->cp != y->cp)
                return x->cp < y->cp ? -1 : 1;
        return x->desc < y->desc ? -1 : x->desc > y->desc;
}

/* make_emoji_dict(): "emoji<TAB>description". Only keys of one code point
 * can match, as polarity_scores() looks characters up one at a time; the
 * later of two equal keys wins. */
static enr_err_t load_emoji(enr_tone_t *t, const char *buf, size_t n,
                            char *errstr, size_t errstr_size) {
        const char *p = buf, *end = buf + n, *s;
        size_t      len, lineno   = 0, i, j;

        while (p < end) {
                const char *tab, *d, *dend;
                uint32_t    cp;
                long        off;
                emoji_t    *m;

                next_line(&p, end, &s, &len);
                lineno++;
                tab = memchr(s, '\t', len);
                if (!tab) {
                        enr_set_errstr(errstr, errstr_size,
                                       "%s: line %zu: not "
                                       "\"emoji<TAB>description\"",
                                       ENR_TONE_EMOJI_FILE, lineno);
                        return ENR_ERR_PARSE;
                }
                if (tab == s ||
                    utf8_decode((const unsigned char *)s, (size_t)(tab - s),
                                &cp) != (size_t)(tab - s) ||
                    cp == 0xfffd || cp >= EMOJI_CP_LIMIT)
                        continue;
                t->emoji_bit[cp >> 3] |= (uint8_t)(1u << (cp & 7));
                d    = tab + 1;
                dend = memchr(d, '\t', (size_t)(s + len - d));
                if (!dend)
                        dend = s + len;
                if (t->nemoji == t->cap_emoji) {
                        size_t cap = t->cap_emoji ? t->cap_emoji * 2 : 2048;
                        m          = realloc(t->emoji, cap * sizeof(*m));
                        if (!m)
                                return ENR_ERR_NOMEM;
                        t->emoji     = m;
                        t->cap_emoji = cap;
                }
                if ((off = pool_add(t, d, (size_t)(dend - d))) < 0)
                        return ENR_ERR_NOMEM;
                m        = &t->emoji[t->nemoji++];
                m->cp    = cp;
                m->desc  = (uint32_t)off;
                m->len   = (uint16_t)(dend - d);
                m->bangs = m->qms = 0;
                for (; d < dend; d++) {
                        m->bangs += *d == '!';
                        m->qms += *d == '?';
                }
        }
        /* Sort by code point and line, then keep the last of each run,
         * as a dict keeps the last assignment. */
        qsort(t->emoji, t->nemoji, sizeof(*t->emoji), cmp_emoji);
        for (i = 0, j = 0; i < t->nemoji; i++) {
                if (i + 1 < t->nemoji && t->emoji[i + 1].cp == t->emoji[i].cp)
                        continue;
                t->emoji[j++] = t->emoji[i];
        }
        t->nemoji = j;
        return ENR_OK;
}

enr_tone_t *enr_tone_new(const char *resources_dir, char *errstr,
                         size_t errstr_size) {
        enr_tone_t *t   = calloc(1, sizeof(*t));
        char       *lex = NULL, *emo = NULL;
        size_t      nlex = 0, nemo = 0, i;
        enr_err_t   err = ENR_ERR_NOMEM;

        if (!resources_dir)
                resources_dir = ENR_RESOURCE_DIR;
        if (!t || !(t->slot = malloc(SLOTS * sizeof(*t->slot))))
                goto fail;
        memset(t->slot, 0xff, SLOTS * sizeof(*t->slot));
        for (i = 0; i < 128; i++) {
                int c = (int)i;
                t->cls[i] =
                    (uint8_t)(((c >= 9 && c <= 13) || (c >= 28 && c <= 32)
                                   ? C_SPACE
                                   : 0) |
                              (c > 32 && c < 127 && !isalnum(c) ? C_PUNCT : 0) |
                              (c >= 'A' && c <= 'Z' ? C_UPPER : 0) |
                              (c >= 'a' && c <= 'z' ? C_LOWER : 0) |
                              (c >= '0' && c <= '9' ? C_DIGIT : 0) |
                              (strchr("iImMwWuUoO", c) && c ? C_PRON : 0));
        }
        if (!(lex = read_file(resources_dir, ENR_TONE_LEXICON_FILE, &nlex,
                              errstr, errstr_size)) ||
            !(emo = read_file(resources_dir, ENR_TONE_EMOJI_FILE, &nemo, errstr,
                              errstr_size))) {
                err = ENR_ERR_IO;
                goto fail;
        }
        if ((err = load_lexicon(t, lex, nlex, errstr, errstr_size)) ||
            (err = load_emoji(t, emo, nemo, errstr, errstr_size)) ||
            (err = add_words(t, boost_up, F_BOOST, B_INCR)) ||
            (err = add_words(t, boost_down, F_BOOST, B_DECR)) ||
            (err = add_words(t, negate, F_NEG, 0)) ||
            (err = add_words(t, pronouns, F_PRON, 0)))
                goto fail;
        for (i = 1; i < W__COUNT; i++) {
                entry_t *e = intern(t, word_names[i], strlen(word_names[i]));
                if (!e) {
                        err = ENR_ERR_NOMEM;
                        goto fail;
                }
                e->word = (uint8_t)i;
        }
        free(lex);
        free(emo);
        return t;
fail:
        if (err == ENR_ERR_NOMEM)
                enr_set_errstr(errstr, errstr_size, "out of memory");
        free(lex);
        free(emo);
        enr_tone_destroy(t);
        return NULL;
}

void enr_tone_destroy(enr_tone_t *t) {
        if (!t)
                return;
        free(t->e);
        free(t->slot);
        free(t->pool);
        free(t->emoji);
        free(t);
}

enr_tone_scratch_t *enr_tone_scratch_new(void) {
        return calloc(1, sizeof(enr_tone_scratch_t));
}

void enr_tone_scratch_destroy(enr_tone_scratch_t *s) {
        if (!s)
                return;
        free(s->text);
        free(s->tok);
        free(s->sent);
        free(s->nz);
        free(s);
}

double enr_tone_round(double v, int digits) {
        static const double pow10[] = {1, 10, 100, 1000, 1e4, 1e5, 1e6};
        char                buf[64];
        double              y, r;

        if (!isfinite(v) || digits < 0 || digits > 17)
                return v;
        /* Fast path: away from a tie, rounding v * 10^d (one rounding
         * error, far below 1e-6 for the magnitudes scored) rounds the
         * exact product the same way, and r / 10^d is then the double
         * nearest the decimal, as Python's round() returns. */
        if (digits <= 6 && fabs(v) < 1e6) {
                y = v * pow10[digits];
                r = floor(y);
                if (fabs(y - r - 0.5) > 1e-6) {
                        r = (y - r > 0.5 ? r + 1 : r) / pow10[digits];
                        return r == 0 ? 0.0 : r;
                }
        }
        snprintf(buf, sizeof(buf), "%.*f", digits, v);
        v = strtod(buf, NULL);
        return v == 0 ? 0.0 : v; /* No "-0". */
}

/* The emoji of code point cp, or NULL. */
static const emoji_t *find_emoji(const enr_tone_t *t, uint32_t cp) {
        size_t lo = 0, hi = t->nemoji;

        if (cp >= EMOJI_CP_LIMIT || !(t->emoji_bit[cp >> 3] & (1u << (cp & 7))))
                return NULL;
        while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                if (t->emoji[mid].cp < cp)
                        lo = mid + 1;
                else if (t->emoji[mid].cp > cp)
                        hi = mid;
                else
                        return &t->emoji[mid];
        }
        return NULL;
}

/* Python's str.isspace() for the code point at s (n bytes left): its
 * length in bytes when it is white space, else 0. */
static inline size_t py_space(const enr_tone_t *t, const unsigned char *s,
                              size_t n) {
        unsigned c = s[0];

        if (c < 0x80)
                return t->cls[c] & C_SPACE;
        if (c < 0xc2)
                return 0;
        if (c == 0xc2 && n >= 2)
                return (s[1] == 0x85 || s[1] == 0xa0) ? 2 : 0;
        if (n < 3)
                return 0;
        if (c == 0xe1)
                return (s[1] == 0x9a && s[2] == 0x80) ? 3 : 0;
        if (c == 0xe2 && s[1] == 0x80)
                return (s[2] <= 0x8a || s[2] == 0xa8 || s[2] == 0xa9 ||
                        s[2] == 0xaf)
                           ? 3
                           : 0;
        if (c == 0xe2 && s[1] == 0x81)
                return s[2] == 0x9f ? 3 : 0;
        if (c == 0xe3)
                return (s[1] == 0x80 && s[2] == 0x80) ? 3 : 0;
        return 0;
}

/* Case of a non-ASCII code point: 1 upper, -1 lower, 0 uncased (or a
 * block this port does not know). */
static int cp_case(uint32_t c) {
        if (c < 0x100) {
                if (c == 0xaa || c == 0xb5 || c == 0xba)
                        return -1;
                if (c < 0xc0 || c == 0xd7 || c == 0xf7)
                        return 0;
                return c < 0xdf ? 1 : -1;
        }
        if (c < 0x180) {
                if (c == 0x138 || c == 0x149 || c == 0x17f)
                        return -1;
                if (c == 0x178)
                        return 1;
                if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e))
                        return (c & 1) ? 1 : -1;
                return (c & 1) ? -1 : 1;
        }
        if (c == 0x390 || (c >= 0x3ac && c <= 0x3ce))
                return -1;
        if (c == 0x386 ||
            (c >= 0x388 && c <= 0x38f && c != 0x38b && c != 0x38d) ||
            (c >= 0x391 && c <= 0x3ab && c != 0x3a2))
                return 1;
        if (c >= 0x400 && c <= 0x42f)
                return 1;
        if (c >= 0x430 && c <= 0x45f)
                return -1;
        if ((c >= 0x460 && c <= 0x481) || (c >= 0x48a && c <= 0x4bf) ||
            (c >= 0x1e00 && c <= 0x1e95) || (c >= 0x1ea0 && c <= 0x1eff))
                return (c & 1) ? -1 : 1;
        return 0;
}

/* Grows the scratch for n bytes of text and tokens. */
static enr_err_t reserve(enr_tone_scratch_t *s, size_t ntext, size_t ntok) {
        if (ntext > s->cap_text) {
                size_t cap = s->cap_text ? s->cap_text : 4096;
                char  *p;
                while (cap < ntext)
                        cap *= 2;
                if (!(p = realloc(s->text, cap)))
                        return ENR_ERR_NOMEM;
                s->text     = p;
                s->cap_text = cap;
        }
        if (ntok > s->cap_tok) {
                size_t  cap = s->cap_tok ? s->cap_tok : 1024;
                tok_t  *t;
                double *d;
                size_t *z;
                while (cap < ntok)
                        cap *= 2;
                if (!(t = realloc(s->tok, cap * sizeof(*t))))
                        return ENR_ERR_NOMEM;
                s->tok = t;
                if (!(d = realloc(s->sent, cap * sizeof(*d))))
                        return ENR_ERR_NOMEM;
                s->sent = d;
                if (!(z = realloc(s->nz, cap * sizeof(*z))))
                        return ENR_ERR_NOMEM;
                s->nz      = z;
                s->cap_tok = cap;
        }
        return ENR_OK;
}

/* Occurrences of byte c in s[0..n). */
static size_t count_byte(const char *s, size_t n, char c) {
        const char *end = s + n;
        size_t      k   = 0;

        while (s < end && (s = memchr(s, c, (size_t)(end - s)))) {
                k++;
                s++;
        }
        return k;
}

/* polarity_scores()'s first step: each character the emoji lexicon has is
 * replaced by its description, after a space unless one precedes. Writes
 * into s->text when the text has one (*out then points there); counts
 * the '!' and '?' of the result. */
static enr_err_t describe_emojis(const enr_tone_t *t, enr_tone_scratch_t *s,
                                 const char *text, size_t len, const char **out,
                                 size_t *out_len, size_t *bangs, size_t *qms) {
        const unsigned char *p = (const unsigned char *)text;
        size_t               i, n, o = 0, first = len;
        int                  prev_space = 1, started = 0;

        /* Find the first emoji, skipping ASCII eight bytes at a time. */
        for (i = 0; i < len;) {
                uint32_t cp;
                uint64_t w;
                if (i + 8 <= len) {
                        memcpy(&w, p + i, 8);
                        if (!(w & 0x8080808080808080ull)) {
                                i += 8;
                                continue;
                        }
                }
                if (p[i] < 0x80) {
                        i++;
                        continue;
                }
                n = utf8_decode(p + i, len - i, &cp);
                if (find_emoji(t, cp)) {
                        first = i;
                        break;
                }
                i += n;
        }
        *bangs   = count_byte(text, first, '!');
        *qms     = count_byte(text, first, '?');
        *out     = text;
        *out_len = len;
        if (first == len)
                return ENR_OK;
        /* Rewrite from the first emoji on: the descriptions are at most
         * 65535 bytes each for a code point of 2 to 4 bytes. */
        for (i = first; i < len;) {
                uint32_t       cp;
                const emoji_t *m;
                n           = utf8_decode(p + i, len - i, &cp);
                m           = p[i] < 0x80 ? NULL : find_emoji(t, cp);
                size_t need = o + first + (m ? (size_t)m->len + 1 : n) + 1;

                if (need > s->cap_text && reserve(s, need * 2, 0))
                        return ENR_ERR_NOMEM;
                if (!started) {
                        memcpy(s->text, text, first);
                        o       = first;
                        started = 1;
                        if (first)
                                prev_space = text[first - 1] == ' ';
                }
                if (m) {
                        if (!prev_space)
                                s->text[o++] = ' ';
                        memcpy(s->text + o, t->pool + m->desc, m->len);
                        o += m->len;
                        *bangs += m->bangs;
                        *qms += m->qms;
                        prev_space = 0;
                } else {
                        memcpy(s->text + o, p + i, n);
                        o += n;
                        if (n == 1) {
                                *bangs += p[i] == '!';
                                *qms += p[i] == '?';
                        }
                        prev_space = p[i] == ' ';
                }
                i += n;
        }
        *out     = s->text;
        *out_len = o;
        return ENR_OK;
}

/* ASCII punctuation, as Python's string.punctuation. */
static inline int is_punct(const enr_tone_t *t, unsigned char c) {
        return c < 0x80 && (t->cls[c] & C_PUNCT);
}

/* Whether the word (after its edge punctuation is stripped) is a word for
 * gkg: it holds an ASCII letter or digit, or a code point from U+00C0 on
 * outside punctuation and symbol blocks. */
static int gkg_word(const enr_tone_t *t, const unsigned char *w, size_t n) {
        size_t i;

        for (i = 0; i < n;) {
                uint32_t cp;
                if (w[i] < 0x80) {
                        if (t->cls[w[i]] & (C_UPPER | C_LOWER | C_DIGIT))
                                return 1;
                        i++;
                        continue;
                }
                i += utf8_decode(w + i, n - i, &cp);
                if (cp >= 0xc0 && cp != 0xd7 && cp != 0xf7 && cp != 0xfffd &&
                    !(cp >= 0x2000 && cp <= 0x2bff) &&
                    !(cp >= 0x3000 && cp <= 0x303f) &&
                    !(cp >= 0xfe00 && cp <= 0xfe0f) && cp < 0x1f000)
                        return 1;
        }
        return 0;
}

/* Whether w (edge punctuation stripped) is a first-person pronoun; the
 * right single quotation mark counts as an apostrophe; "US" (the
 * country) is not "us". */
static int is_pronoun(const enr_tone_t *t, const unsigned char *w, size_t n) {
        char   key[MAX_KEY];
        size_t i, k = 0;

        if (n == 2 && w[0] == 'U' && w[1] == 'S')
                return 0;
        for (i = 0; i < n; i++) {
                if (k >= sizeof(key))
                        return 0;
                if (w[i] == 0xe2 && i + 2 < n && w[i + 1] == 0x80 &&
                    w[i + 2] == 0x99) {
                        key[k++] = '\'';
                        i += 2;
                } else if (w[i] >= 0x80)
                        return 0;
                else
                        key[k++] =
                            (char)(t->cls[w[i]] & C_UPPER ? w[i] | 0x20 : w[i]);
        }
        i = lookup(t, key, k, hash_bytes(key, k));
        return i != NONE && (t->e[i].flags & F_PRON);
}

/* Looks the ASCII word w[0..n) up lower-cased: its entry, or NONE. */
static uint16_t lookup_lower(const enr_tone_t *t, const unsigned char *w,
                             size_t n) {
        char     key[MAX_KEY];
        uint32_t h = 2166136261u;
        size_t   i;

        if (n > MAX_KEY)
                return NONE;
        for (i = 0; i < n; i++) {
                key[i] = (char)(t->cls[w[i]] & C_UPPER ? w[i] | 0x20 : w[i]);
                h      = (h ^ (unsigned char)key[i]) * 16777619u;
        }
        return lookup(t, key, n, h);
}

/* What one pass over a token's bytes learns (scan_token()). */
typedef struct scan {
        size_t   end;      /* Where the token ends (white space or len). */
        size_t   a, b;     /* Its part without edge punctuation. */
        size_t   cps;      /* Code points in [a, b). */
        uint32_t h;        /* FNV-1a of [a, b) lower-cased. */
        int      up, low;  /* Upper- and lower-case ASCII letters seen. */
        int      alnum;    /* An ASCII letter or digit seen. */
        int      nonascii; /* A byte >= 0x80 seen. */
        int      neg;      /* "n't" (any case) seen. */
} scan_t;

/* One pass over the token starting at p[i] (not white space): its end,
 * its bounds without edge punctuation, and the hash, case and "n't" of
 * that part. Punctuation is ASCII and uncased, so case, letters and
 * "n't" are the same for the whole token and for its stripped part. */
static void scan_token(const enr_tone_t *t, const unsigned char *p, size_t len,
                       size_t i, char *key, scan_t *sc) {
        /* Locals, not sc's fields: key's stores may alias anything. */
        const uint8_t *cls = t->cls;
        uint32_t       h = 2166136261u, hb = 0;
        size_t         start = i, a = len, b = len, cps = 0, cpsb = 0;
        unsigned       seen = 0, nonascii = 0, neg = 0;

        for (; i < len; i++) {
                unsigned c = p[i];
                if (c < 0x80) {
                        unsigned k = cls[c];
                        if (k & C_SPACE)
                                break;
                        if (k & C_PUNCT) {
                                if (a == len)
                                        continue;
                        } else {
                                seen |= k;
                                c |= k & C_UPPER ? 0x20 : 0;
                                if (a == len)
                                        a = i;
                                if (c == 't' && i >= start + 2 &&
                                    p[i - 1] == '\'' &&
                                    (p[i - 2] | 0x20) == 'n')
                                        neg = 1;
                        }
                        h = (h ^ c) * 16777619u;
                        cps++;
                        if (i - start < 2 * MAX_KEY)
                                key[i - start] = (char)c;
                        if (!(k & C_PUNCT)) {
                                b    = i + 1;
                                hb   = h;
                                cpsb = cps;
                        }
                        continue;
                }
                if (c >= 0xc2 && py_space(t, p + i, len - i))
                        break;
                nonascii = 1;
                if (a == len)
                        a = i;
                cps += (c & 0xc0) != 0x80;
                b    = i + 1;
                cpsb = cps;
        }
        sc->end      = i;
        sc->a        = a == len ? i : a;
        sc->b        = a == len ? i : b;
        sc->h        = hb;
        sc->cps      = cpsb;
        sc->up       = (seen & C_UPPER) != 0;
        sc->low      = (seen & C_LOWER) != 0;
        sc->alnum    = (seen & (C_UPPER | C_LOWER | C_DIGIT)) != 0;
        sc->nonascii = (int)nonascii;
        sc->neg      = (int)neg;
}

/* The ALL CAPS test (str.isupper()) of w[0..n), which holds a byte >=
 * 0x80: ASCII letters and the cased letters cp_case() knows. */
static int upper_mb(const enr_tone_t *t, const unsigned char *w, size_t n) {
        int    up = 0, low = 0;
        size_t i;

        for (i = 0; i < n;) {
                uint32_t cp;
                int      cs;
                if (w[i] < 0x80) {
                        up |= t->cls[w[i]] & C_UPPER;
                        low |= t->cls[w[i]] & C_LOWER;
                        i++;
                        continue;
                }
                i += utf8_decode(w + i, n - i, &cp);
                cs = cp_case(cp);
                up |= cs > 0;
                low |= cs < 0;
        }
        return up && !low;
}

/* Splits text at Python's white space into s->tok (VADER's tokens: edge
 * punctuation stripped unless that leaves <= 2 code points), and counts
 * the gkg words; the token count in *ntok. */
static enr_err_t tokenize(const enr_tone_t *t, enr_tone_scratch_t *s,
                          const char *text, size_t len, size_t *ntok,
                          enr_tone_gkg_t *g, uint32_t *pron) {
        const unsigned char *p = (const unsigned char *)text;
        char                 key[2 * MAX_KEY];
        size_t               i = 0, n = 0, sp;

        while (i < len) {
                const unsigned char *w;
                size_t               wn, start;
                scan_t               sc;
                tok_t               *k;
                int                  lex;

                if (p[i] < 0x80 ? (t->cls[p[i]] & C_SPACE) != 0
                                : (sp = py_space(t, p + i, len - i)) != 0) {
                        i += p[i] < 0x80 ? 1 : sp;
                        continue;
                }
                start = i;
                scan_token(t, p, len, i, key, &sc);
                i = sc.end;
                if (n == s->cap_tok && reserve(s, 0, n + 1))
                        return ENR_ERR_NOMEM;
                k      = &s->tok[n++];
                k->e   = NONE;
                k->neg = (uint8_t)sc.neg;
                if (sc.cps > 2) { /* The stripped word. */
                        w  = p + sc.a;
                        wn = sc.b - sc.a;
                        if (!sc.nonascii && wn <= MAX_KEY) {
                                if (sc.b - start <= sizeof(key))
                                        k->e = lookup(t, key + (sc.a - start),
                                                      wn, sc.h);
                                else
                                        k->e = lookup_lower(t, w, wn);
                        }
                } else { /* The token whole (an emoticon, "a.", ...). */
                        w  = p + start;
                        wn = sc.end - start;
                        if (!sc.nonascii)
                                k->e = lookup_lower(t, w, wn);
                }
                k->upper = (uint8_t)(sc.nonascii ? upper_mb(t, w, wn)
                                                 : sc.up && !sc.low);
                if (k->e != NONE && (t->e[k->e].flags & F_NEG))
                        k->neg = 1;
                /* gkg: words, their lexicon valence, pronouns. */
                lex = k->e != NONE && (t->e[k->e].flags & F_LEX);
                if (lex || sc.alnum ||
                    (sc.nonascii && gkg_word(t, p + sc.a, sc.b - sc.a))) {
                        g->word_count++;
                        if (lex) {
                                g->positive += t->e[k->e].valence > 0;
                                g->negative += t->e[k->e].valence < 0;
                        }
                        if (sc.b > sc.a && sc.b - sc.a <= 12 &&
                            (t->cls[p[sc.a] & 0x7f] & C_PRON) &&
                            is_pronoun(t, p + sc.a, sc.b - sc.a))
                                (*pron)++;
                }
        }
        *ntok = n;
        return ENR_OK;
}

/* The word id of token i. */
static int wid(const enr_tone_t *t, const tok_t *k, size_t i) {
        return k[i].e == NONE ? W_NONE : t->e[k[i].e].word;
}

/* Whether token i is in the lexicon. */
static int in_lex(const enr_tone_t *t, const tok_t *k, size_t i) {
        return k[i].e != NONE && (t->e[k[i].e].flags & F_LEX);
}

/* scalar_inc_dec(). */
static double scalar_inc_dec(const enr_tone_t *t, const tok_t *k, size_t j,
                             double valence, int cap_diff) {
        double scalar = 0.0;

        if (k[j].e != NONE && (t->e[k[j].e].flags & F_BOOST)) {
                scalar = t->e[k[j].e].boost;
                if (valence < 0)
                        scalar *= -1;
                if (k[j].upper && cap_diff) {
                        if (valence > 0)
                                scalar += C_INCR;
                        else
                                scalar -= C_INCR;
                }
        }
        return scalar;
}

/* _negation_check(). */
static double negation_check(const enr_tone_t *t, const tok_t *k,
                             double valence, int start, size_t i) {
        int w1 = wid(t, k, i - 1);

        if (start == 0) {
                if (k[i - 1].neg)
                        valence *= N_SCALAR;
        } else if (start == 1) {
                int w2 = wid(t, k, i - 2);
                if (w2 == W_NEVER && (w1 == W_SO || w1 == W_THIS))
                        valence *= 1.25;
                else if (w2 == W_WITHOUT && w1 == W_DOUBT)
                        ;
                else if (k[i - 2].neg)
                        valence *= N_SCALAR;
        } else {
                int w2 = wid(t, k, i - 2), w3 = wid(t, k, i - 3);
                /* As 3.3.2 groups it: (never and (so or this)) or (so or
                 * this) for the word just before. */
                if ((w3 == W_NEVER && (w2 == W_SO || w2 == W_THIS)) ||
                    (w1 == W_SO || w1 == W_THIS))
                        valence *= 1.25;
                else if (w3 == W_WITHOUT && (w2 == W_DOUBT || w1 == W_DOUBT))
                        ;
                else if (k[i - 3].neg)
                        valence *= N_SCALAR;
        }
        return valence;
}

/* The SPECIAL_CASES value of the words a, b, c (c W_NONE for two). */
static int special(int a, int b, int c, double *v) {
        size_t j;

        if (a == W_NONE || b == W_NONE)
                return 0;
        for (j = 0; j < sizeof(specials) / sizeof(specials[0]); j++)
                if (specials[j].w[0] == a && specials[j].w[1] == b &&
                    specials[j].w[2] == c) {
                        *v = specials[j].valence;
                        return 1;
                }
        return 0;
}

/* Whether words a, b are a two-word booster ("kind of", "sort of", "just
 * enough", all dampeners). */
static int booster2(int a, int b) {
        return (b == W_OF && (a == W_KIND || a == W_SORT)) ||
               (a == W_JUST && b == W_ENOUGH);
}

/* _special_idioms_check() (i > 2). A three-word sequence with an unknown
 * word (id W_NONE) matches nothing, as every case's words have ids. */
static double idioms_check(const enr_tone_t *t, const tok_t *k, size_t n,
                           double valence, size_t i) {
        int    w0 = wid(t, k, i), w1 = wid(t, k, i - 1);
        int    w2 = wid(t, k, i - 2), w3 = wid(t, k, i - 3);
        double v;

        /* onezero, twoonezero, twoone, threetwoone, threetwo: the first
         * that is a case. A two-word case never equals three words. */
        if (special(w1, w0, W_NONE, &v) ||
            (w0 != W_NONE && special(w2, w1, w0, &v)) ||
            special(w2, w1, W_NONE, &v) ||
            (w1 != W_NONE && special(w3, w2, w1, &v)) ||
            special(w3, w2, W_NONE, &v))
                valence = v;
        if (n - 1 > i && special(w0, wid(t, k, i + 1), W_NONE, &v))
                valence = v;
        if (n - 1 > i + 1 && wid(t, k, i + 2) != W_NONE &&
            special(w0, wid(t, k, i + 1), wid(t, k, i + 2), &v))
                valence = v;
        /* threetwoone (three words) is never a booster; threetwo and
         * twoone may both be. */
        if (booster2(w3, w2))
                valence += B_DECR;
        if (booster2(w2, w1))
                valence += B_DECR;
        return valence;
}

/* _least_check(). */
static double least_check(const enr_tone_t *t, const tok_t *k, double valence,
                          size_t i) {
        if (i > 1 && !in_lex(t, k, i - 1) && wid(t, k, i - 1) == W_LEAST) {
                int w2 = wid(t, k, i - 2);
                if (w2 != W_AT && w2 != W_VERY)
                        valence *= N_SCALAR;
        } else if (i > 0 && !in_lex(t, k, i - 1) && wid(t, k, i - 1) == W_LEAST)
                valence *= N_SCALAR;
        return valence;
}

/* sentiment_valence() for token i, in the lexicon. */
static double valence_of(const enr_tone_t *t, const tok_t *k, size_t n,
                         size_t i, int cap_diff) {
        const entry_t *e       = &t->e[k[i].e];
        double         valence = e->valence;
        int            start;

        if (e->word == W_NO && i != n - 1 && in_lex(t, k, i + 1))
                valence = 0.0;
        if ((i > 0 && wid(t, k, i - 1) == W_NO) ||
            (i > 1 && wid(t, k, i - 2) == W_NO) ||
            (i > 2 && wid(t, k, i - 3) == W_NO &&
             (wid(t, k, i - 1) == W_OR || wid(t, k, i - 1) == W_NOR)))
                valence = e->valence * N_SCALAR;
        if (k[i].upper && cap_diff) {
                if (valence > 0)
                        valence += C_INCR;
                else
                        valence -= C_INCR;
        }
        for (start = 0; start < 3; start++) {
                size_t j = i - (size_t)start - 1;
                double sc;
                if (i <= (size_t)start || in_lex(t, k, j))
                        continue;
                sc = scalar_inc_dec(t, k, j, valence, cap_diff);
                if (start == 1 && sc != 0)
                        sc = sc * 0.95;
                if (start == 2 && sc != 0)
                        sc = sc * 0.9;
                valence = valence + sc;
                valence = negation_check(t, k, valence, start, i);
                if (start == 2)
                        valence = idioms_check(t, k, n, valence, i);
        }
        return least_check(t, k, valence, i);
}

/* _but_check(), with its quirk: each value is looked up again by
 * sentiments.index(), so it is the first equal value that is scaled. */
static void but_check(const enr_tone_t *t, enr_tone_scratch_t *s, size_t n) {
        size_t bi, i, j, nnz = 0;

        for (bi = 0; bi < n && wid(t, s->tok, bi) != W_BUT; bi++)
                ;
        if (bi == n)
                return;
        for (i = 0; i < n; i++)
                if (s->sent[i] != 0)
                        s->nz[nnz++] = i;
        /* A zero's first equal is a zero, scaled to zero: nothing. */
        for (i = 0; i < nnz; i++) {
                double v  = s->sent[s->nz[i]];
                size_t si = n;
                for (j = 0; j < nnz; j++)
                        if (s->sent[s->nz[j]] == v) {
                                si = s->nz[j];
                                break;
                        }
                if (si < bi)
                        s->sent[si] = v * 0.5;
                else if (si > bi && si < n)
                        s->sent[si] = v * 1.5;
        }
}

/* score_valence(). */
static void score_valence(const double *sent, size_t n, size_t bangs,
                          size_t qms, enr_tone_result_t *out) {
        double sum = 0.0, amp, pos = 0.0, neg = 0.0, total;
        size_t i, neu = 0;

        if (!n)
                return;
        /* One pass; each sum adds in the reference's order. */
        for (i = 0; i < n; i++) {
                sum += sent[i];
                if (sent[i] > 0)
                        pos += sent[i] + 1;
                if (sent[i] < 0)
                        neg += sent[i] - 1;
                if (sent[i] == 0)
                        neu++;
        }
        amp = (double)(bangs > 4 ? 4 : bangs) * 0.292;
        if (qms > 1)
                amp += qms <= 3 ? (double)qms * 0.18 : 0.96;
        if (sum > 0)
                sum += amp;
        else if (sum < 0)
                sum -= amp;
        out->compound = sum / sqrt(sum * sum + 15);
        if (out->compound < -1.0)
                out->compound = -1.0;
        else if (out->compound > 1.0)
                out->compound = 1.0;
        if (pos > fabs(neg))
                pos += amp;
        else if (pos < fabs(neg))
                neg -= amp;
        total         = pos + fabs(neg) + (double)neu;
        out->positive = fabs(pos / total);
        out->negative = fabs(neg / total);
        out->neutral  = fabs((double)neu / total);
}

enr_err_t enr_tone_score(const enr_tone_t *t, enr_tone_scratch_t *s,
                         const char *text, size_t len, enr_tone_result_t *out) {
        const char *txt;
        size_t      tlen, bangs, qms, n, i, caps = 0;
        uint32_t    pron = 0;
        int         cap_diff;
        enr_err_t   err;

        memset(out, 0, sizeof(*out));
        if (len > ENR_TONE_MAX_BYTES) {
                len = ENR_TONE_MAX_BYTES;
                while (len > 0 &&
                       !py_space(t, (const unsigned char *)text + len,
                                 ENR_TONE_MAX_BYTES + 1 - len))
                        len--;
        }
        if ((err =
                 describe_emojis(t, s, text, len, &txt, &tlen, &bangs, &qms)) ||
            (err = tokenize(t, s, txt, tlen, &n, &out->gkg, &pron)) ||
            (err = reserve(s, 0, n + 1))) {
                memset(out, 0, sizeof(*out));
                return err;
        }
        out->tokens = (uint32_t)n;
        for (i = 0; i < n; i++)
                caps += s->tok[i].upper;
        /* allcap_differential(): some, but not all, tokens are ALL CAPS. */
        cap_diff = caps > 0 && caps < n;
        for (i = 0; i < n; i++) {
                const tok_t *k = &s->tok[i];
                s->sent[i]     = 0;
                if (k->e != NONE && (t->e[k->e].flags & F_BOOST))
                        continue;
                if (i < n - 1 && wid(t, s->tok, i) == W_KIND &&
                    wid(t, s->tok, i + 1) == W_OF)
                        continue;
                if (in_lex(t, s->tok, i))
                        s->sent[i] = valence_of(t, s->tok, n, i, cap_diff);
        }
        but_check(t, s, n);
        score_valence(s->sent, n, bangs, qms, out);

        if (out->gkg.word_count) {
                double wc                   = out->gkg.word_count;
                out->gkg.positive           = 100.0 * out->gkg.positive / wc;
                out->gkg.negative           = 100.0 * out->gkg.negative / wc;
                out->gkg.self_group_density = 100.0 * pron / wc;
        }
        out->gkg.tone     = out->gkg.positive - out->gkg.negative;
        out->gkg.polarity = out->gkg.positive + out->gkg.negative;
        return ENR_OK;
}
