/*
 * Near-duplicate fingerprints: one pass over an analysed body's tokens
 * turns them into normalised terms (see fingerprint.h), 4-term shingles, a
 * weighted SimHash, the exact and prefix hashes and a bottom-k sketch; the
 * copy rule compares two fingerprints; format/parse carry them between
 * workers as ASCII.
 *
 * Hashes are fixed (FNV-1a over the term's lower-cased bytes, finished by
 * the splitmix64 mixer), so fingerprints from different workers, builds and
 * machines compare.
 */
#include <math.h>
#include <string.h>

#include "enricher/fingerprint.h"

/* Weights of a shingle in the SimHash: 1, plus this much for each term in
 * it that is a number, or a capitalised word inside a sentence (a name).
 * Template look-alikes share their wording and differ in figures and
 * names; copies share those too. */
#define W_NUMBER 3
#define W_NAME   1

/* Bits of the linear-counting bitmap that estimates distinct shingles. */
#define LC_BITS 8192

/* The splitmix64 finaliser: a bijective 64-bit mixer. */
static uint64_t mix64(uint64_t x) {
        x ^= x >> 30;
        x *= 0xbf58476d1ce4e5b9ULL;
        x ^= x >> 27;
        x *= 0x94d049bb133111ebULL;
        x ^= x >> 31;
        return x;
}

static uint64_t rotl64(uint64_t x, unsigned r) {
        return (x << r) | (x >> (64 - r));
}

/* Walks the terms of a body: token by token, each token's lower-cased form
 * split at hyphens. An ASCII token is read in place, upper-case letters
 * folded as they are hashed; any other is lower-cased by enr_tok_lower()
 * into buf first (the same bytes: enr_tok_lower() folds ASCII alike). */
typedef struct term_iter {
        const enr_text_t    *t;
        size_t               tok;      /* next token to read */
        char                 buf[256]; /* lower-cased non-ASCII token */
        const unsigned char *src;      /* the current token's bytes */
        size_t               len, pos; /* its length, next part's start */
        int                  salient;  /* weight class of the current token */
} term_iter_t;

/* Whether token i makes terms, and how much its terms weigh. */
static int token_weight(const enr_token_t *tk) {
        if (tk->kind == ENR_TOK_PUNCT)
                return -1;
        if (tk->kind == ENR_TOK_NUMBER || (tk->flags & ENR_TOKF_HAS_DIGIT))
                return W_NUMBER;
        if (tk->kind == ENR_TOK_WORD && (tk->flags & ENR_TOKF_UPPER_INITIAL) &&
            !(tk->flags & ENR_TOKF_SENT_START))
                return W_NAME;
        return 0;
}

/* The next term's hash and weight; 0 at the end. */
static int next_term(term_iter_t *it, uint64_t *h, int *w) {
        for (;;) {
                uint64_t x = 0xcbf29ce484222325ULL;

                while (it->pos < it->len && it->src[it->pos] == '-')
                        it->pos++;
                if (it->pos < it->len) {
                        while (it->pos < it->len && it->src[it->pos] != '-') {
                                unsigned c = it->src[it->pos++];
                                /* c - 'A' < 26: an upper-case ASCII letter. */
                                x ^= c | (unsigned)(c - 'A' < 26u) << 5;
                                x *= 0x100000001b3ULL;
                        }
                        *h = mix64(x);
                        *w = it->salient;
                        return 1;
                }
                /* Load the next token that makes terms. */
                for (;;) {
                        if (!it->t || it->tok >= it->t->ntoks)
                                return 0;
                        it->salient = token_weight(&it->t->toks[it->tok]);
                        if (it->salient >= 0)
                                break;
                        it->tok++;
                }
                it->len = enr_tok_len(it->t, it->tok);
                if (!(it->t->toks[it->tok].flags & ENR_TOKF_NON_ASCII) &&
                    it->len < sizeof(it->buf)) {
                        it->src =
                            (const unsigned char *)enr_tok_ptr(it->t, it->tok);
                } else {
                        it->len = enr_tok_lower(it->t, it->tok, it->buf,
                                                sizeof(it->buf));
                        it->src = (const unsigned char *)it->buf;
                }
                it->pos = 0;
                it->tok++;
        }
}

/* Inserts v into the ascending, distinct bottom-k list m. */
static void bottom_k_add(uint32_t *m, uint32_t v) {
        int i;

        if (v >= m[ENR_FP_K - 1])
                return;
        for (i = 0; i < ENR_FP_K; i++)
                if (m[i] == v)
                        return;
        i = ENR_FP_K - 1;
        while (i > 0 && m[i - 1] > v) {
                m[i] = m[i - 1];
                i--;
        }
        m[i] = v;
}

/* The hash of one shingle from its terms' hashes (order-sensitive). */
static uint64_t shingle_hash(const uint64_t *ring, size_t n, size_t last) {
        uint64_t x = 0x9e3779b97f4a7c15ULL;
        size_t   k;

        for (k = 0; k < n; k++)
                x ^= rotl64(ring[(last + ENR_FP_SHINGLE - k) % ENR_FP_SHINGLE],
                            (unsigned)(13 + 16 * k));
        return mix64(x);
}

/* Byte b spread over 8 byte lanes, lane k holding bit k of b. */
#define SPREAD(b)                                                              \
        (((b)&1ULL) | (((b) >> 1 & 1ULL) << 8) | (((b) >> 2 & 1ULL) << 16) |   \
         (((b) >> 3 & 1ULL) << 24) | (((b) >> 4 & 1ULL) << 32) |               \
         (((b) >> 5 & 1ULL) << 40) | (((b) >> 6 & 1ULL) << 48) |               \
         (((b) >> 7 & 1ULL) << 56))
#define SPREAD4(n)  SPREAD(n), SPREAD(n + 1), SPREAD(n + 2), SPREAD(n + 3)
#define SPREAD16(n) SPREAD4(n), SPREAD4(n + 4), SPREAD4(n + 8), SPREAD4(n + 12)
#define SPREAD64(n)                                                            \
        SPREAD16(n), SPREAD16(n + 16), SPREAD16(n + 32), SPREAD16(n + 48)
static const uint64_t spread_lut[256] = {SPREAD64(0ULL), SPREAD64(64ULL),
                                         SPREAD64(128ULL), SPREAD64(192ULL)};

/* SimHash accumulators: per bit, the weight of the shingles that have it,
 * counted in byte lanes (SWAR: 8 multiply-adds per shingle instead of 64)
 * and flushed to 32-bit counters before a lane can overflow. */
typedef struct simacc {
        uint64_t lanes[8]; /* lane k of lanes[j]: bit 8j+k */
        unsigned pending;  /* shingles in the lanes */
        uint32_t v[64];    /* flushed weights per bit */
        uint64_t total;    /* total weight */
} simacc_t;

/* The largest shingle weight, and how many fit in a byte lane. */
#define W_MAX      (1 + ENR_FP_SHINGLE * W_NUMBER)
#define LANE_FLUSH (255 / W_MAX)

static void simacc_flush(simacc_t *a) {
        unsigned j, k;

        for (j = 0; j < 8; j++) {
                for (k = 0; k < 8; k++)
                        a->v[8 * j + k] += (a->lanes[j] >> (8 * k)) & 0xff;
                a->lanes[j] = 0;
        }
        a->pending = 0;
}

/* Adds one weighted shingle to the SimHash accumulators and the sketch. */
static void add_shingle(uint64_t sh, int w, simacc_t *acc, uint8_t *bitmap,
                        enr_fingerprint_t *out, uint32_t *nsh) {
        unsigned j;
        uint32_t bit = (uint32_t)(sh >> 51) & (LC_BITS - 1);

        for (j = 0; j < 8; j++)
                acc->lanes[j] +=
                    spread_lut[(sh >> (8 * j)) & 0xff] * (uint64_t)w;
        acc->total += (uint64_t)w;
        if (++acc->pending == LANE_FLUSH)
                simacc_flush(acc);
        bitmap[bit >> 3] |= (uint8_t)(1u << (bit & 7));
        bottom_k_add(out->mins, (uint32_t)(sh >> 32));
        (*nsh)++;
}

/* Shared by compute() and shingles(): one pass over the terms. When fp is
 * NULL only the shingle hashes are written to sh_out. */
static size_t scan(const enr_text_t *body, enr_fingerprint_t *out,
                   uint64_t *sh_out, size_t sh_max) {
        term_iter_t it;
        uint64_t    ring[ENR_FP_SHINGLE], h, e = 0x243f6a8885a308d3ULL;
        int         wring[ENR_FP_SHINGLE], w;
        simacc_t    acc;
        uint8_t     bitmap[LC_BITS / 8];
        uint32_t    n = 0, nsh = 0;
        size_t      nsh_all = 0, k;

        memset(&it, 0, sizeof(it));
        it.t = body;
        if (out) {
                memset(out, 0, sizeof(*out));
                memset(out->mins, 0xff, sizeof(out->mins));
                memset(&acc, 0, sizeof(acc));
                memset(bitmap, 0, sizeof(bitmap));
        }
        while (next_term(&it, &h, &w)) {
                size_t slot = n % ENR_FP_SHINGLE;

                ring[slot]  = h;
                wring[slot] = w;
                if (n < UINT32_MAX)
                        n++;
                e = mix64(e ^ h);
                if (out) {
                        if (n == ENR_FP_LEAD_TERMS)
                                out->lead = (uint32_t)(e >> 32);
                        for (k = 0; k < ENR_FP_LEVELS; k++)
                                if (n == (32u << k))
                                        out->prefix[k] = (uint8_t)(e >> 56);
                }
                if (n >= ENR_FP_SHINGLE) {
                        uint64_t sh = shingle_hash(ring, ENR_FP_SHINGLE, slot);

                        if (nsh_all < sh_max)
                                sh_out[nsh_all] = sh;
                        nsh_all++;
                        if (out) {
                                int sw = 1;

                                for (k = 0; k < ENR_FP_SHINGLE; k++)
                                        sw += wring[k];
                                add_shingle(sh, sw, &acc, bitmap, out, &nsh);
                        }
                }
        }
        /* A body shorter than one shingle is one shingle of all its terms. */
        if (n > 0 && n < ENR_FP_SHINGLE) {
                uint64_t sh = shingle_hash(ring, n, (n - 1) % ENR_FP_SHINGLE);

                if (nsh_all < sh_max)
                        sh_out[nsh_all] = sh;
                nsh_all++;
                if (out) {
                        int sw = 1;

                        for (k = 0; k < n; k++)
                                sw += wring[k];
                        add_shingle(sh, sw, &acc, bitmap, out, &nsh);
                }
        }
        if (!out)
                return nsh_all;
        out->nterms = n;
        if (n == 0)
                return 0;
        out->exact = mix64(e ^ n);
        simacc_flush(&acc);
        for (k = 0; k < 64; k++)
                if (2 * (uint64_t)acc.v[k] > acc.total)
                        out->simhash |= 1ULL << k;
        {
                /* Linear counting (Whang et al. 1990): n = -m ln(zeros/m). */
                size_t zeros = 0;

                for (k = 0; k < sizeof(bitmap); k++)
                        zeros += 8 - (size_t)__builtin_popcount(bitmap[k]);
                if (zeros == 0)
                        out->nshingles = nsh;
                else {
                        double est = -(double)LC_BITS *
                                     log((double)zeros / (double)LC_BITS);

                        out->nshingles = (uint32_t)(est + 0.5);
                        if (out->nshingles > nsh)
                                out->nshingles = nsh;
                        if (out->nshingles == 0)
                                out->nshingles = 1;
                }
        }
        return nsh_all;
}

void enr_fingerprint_compute(const enr_text_t *body, enr_fingerprint_t *out) {
        if (!out)
                return;
        scan(body, out, NULL, 0);
}

size_t enr_fingerprint_shingles(const enr_text_t *body, uint64_t *out,
                                size_t max) {
        return scan(body, NULL, out, out ? max : 0);
}

/* Writes the n low hex digits of v, most significant first. */
static char *put_hex(char *p, uint64_t v, int n) {
        static const char hex[] = "0123456789abcdef";
        int               i;

        for (i = n - 1; i >= 0; i--)
                *p++ = hex[(v >> (4 * i)) & 15];
        return p;
}

/* The length format() always writes. */
#define FP_TEXT_LEN                                                            \
        (2 + 16 + 1 + 16 + 1 + 8 + 1 + 8 + 1 + 8 + 1 + 2 * ENR_FP_LEVELS + 1 + \
         8 * ENR_FP_K)

size_t enr_fingerprint_format(const enr_fingerprint_t *fp, char *buf,
                              size_t size) {
        char *p = buf;
        int   k;

        if (!buf)
                return 0;
        if (!fp || size < FP_TEXT_LEN + 1) {
                if (size)
                        buf[0] = '\0';
                return 0;
        }
        *p++ = '1';
        *p++ = ':';
        p    = put_hex(p, fp->simhash, 16);
        *p++ = ':';
        p    = put_hex(p, fp->exact, 16);
        *p++ = ':';
        p    = put_hex(p, fp->nshingles, 8);
        *p++ = ':';
        p    = put_hex(p, fp->nterms, 8);
        *p++ = ':';
        p    = put_hex(p, fp->lead, 8);
        *p++ = ':';
        for (k = 0; k < ENR_FP_LEVELS; k++)
                p = put_hex(p, fp->prefix[k], 2);
        *p++ = ':';
        for (k = 0; k < ENR_FP_K; k++)
                p = put_hex(p, fp->mins[k], 8);
        *p = '\0';
        return (size_t)(p - buf);
}

/* Reads n lower-case hex digits; -1 on anything else. */
static int get_hex(const char **p, int n, uint64_t *v) {
        uint64_t x = 0;
        int      i;

        for (i = 0; i < n; i++) {
                char c = (*p)[i];

                if (c >= '0' && c <= '9')
                        x = x << 4 | (uint64_t)(c - '0');
                else if (c >= 'a' && c <= 'f')
                        x = x << 4 | (uint64_t)(c - 'a' + 10);
                else
                        return -1;
        }
        *p += n;
        *v = x;
        return 0;
}

/* Expects the separator ':'. */
static int get_sep(const char **p) {
        if (**p != ':')
                return -1;
        (*p)++;
        return 0;
}

enr_err_t enr_fingerprint_parse(const char *s, size_t len,
                                enr_fingerprint_t *out) {
        enr_fingerprint_t fp;
        const char       *p = s;
        uint64_t          v;
        int               k;

        if (!s || !out || len != FP_TEXT_LEN || s[0] != '1')
                return ENR_ERR_PARSE;
        memset(&fp, 0, sizeof(fp));
        p++;
        if (get_sep(&p) || get_hex(&p, 16, &fp.simhash) || get_sep(&p) ||
            get_hex(&p, 16, &fp.exact) || get_sep(&p) || get_hex(&p, 8, &v))
                return ENR_ERR_PARSE;
        fp.nshingles = (uint32_t)v;
        if (get_sep(&p) || get_hex(&p, 8, &v))
                return ENR_ERR_PARSE;
        fp.nterms = (uint32_t)v;
        if (get_sep(&p) || get_hex(&p, 8, &v))
                return ENR_ERR_PARSE;
        fp.lead = (uint32_t)v;
        if (get_sep(&p))
                return ENR_ERR_PARSE;
        for (k = 0; k < ENR_FP_LEVELS; k++) {
                if (get_hex(&p, 2, &v))
                        return ENR_ERR_PARSE;
                fp.prefix[k] = (uint8_t)v;
        }
        if (get_sep(&p))
                return ENR_ERR_PARSE;
        for (k = 0; k < ENR_FP_K; k++) {
                if (get_hex(&p, 8, &v))
                        return ENR_ERR_PARSE;
                fp.mins[k] = (uint32_t)v;
                /* Ascending and distinct, then padding. */
                if (k > 0 && fp.mins[k] != UINT32_MAX &&
                    fp.mins[k] <= fp.mins[k - 1])
                        return ENR_ERR_PARSE;
                if (k > 0 && fp.mins[k - 1] == UINT32_MAX &&
                    fp.mins[k] != UINT32_MAX)
                        return ENR_ERR_PARSE;
        }
        if ((size_t)(p - s) != len)
                return ENR_ERR_PARSE;
        *out = fp;
        return ENR_OK;
}

/* The largest prefix level (in terms) of a body of n terms: 16 (the lead),
 * 32, ..., 2048; 0 below 16 terms. */
static uint32_t prefix_terms(uint32_t n, int *level) {
        int k;

        *level = -1;
        if (n < ENR_FP_LEAD_TERMS)
                return 0;
        for (k = ENR_FP_LEVELS - 1; k >= 0; k--)
                if (n >= (32u << k)) {
                        *level = k;
                        return 32u << k;
                }
        return ENR_FP_LEAD_TERMS;
}

int enr_fingerprint_match(const enr_fingerprint_t *a,
                          const enr_fingerprint_t *b, double *similarity,
                          int *exact) {
        const double pi = 3.14159265358979323846;
        int          d, level, k, copy = 0, ex = 0;
        double       sim = 0;
        uint32_t     ns, nl;

        if (!a || !b)
                goto out;
        d   = __builtin_popcountll(a->simhash ^ b->simhash);
        sim = cos(pi * d / 64.0);
        if (sim < 0)
                sim = 0;
        if (a->nterms == 0 || b->nterms == 0)
                goto out;
        if (a->exact == b->exact && a->simhash == b->simhash &&
            a->nterms == b->nterms) {
                copy = ex = 1;
                sim       = 1;
                goto out;
        }
        ns = a->nterms < b->nterms ? a->nterms : b->nterms;
        nl = a->nterms < b->nterms ? b->nterms : a->nterms;
        if (ns >= ENR_FP_MIN_NEAR_TERMS && d <= ENR_FP_NEAR_BITS)
                copy = 1;
        /* Containment: the shorter body is a prefix of the longer one. */
        if (ns >= ENR_FP_MIN_PREFIX_TERMS &&
            prefix_terms(ns, &level) >= ENR_FP_MIN_PREFIX_TERMS &&
            a->lead == b->lead) {
                int ok = 1;

                for (k = 0; k <= level; k++)
                        if (a->prefix[k] != b->prefix[k])
                                ok = 0;
                if (ok) {
                        double c = (double)ns / (double)nl;

                        copy = 1;
                        if (c > sim)
                                sim = c;
                }
        }
out:
        if (similarity)
                *similarity = sim;
        if (exact)
                *exact = ex;
        return copy;
}
