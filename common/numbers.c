/*
 * Numbers: CARDINAL, ORDINAL, QUANTITY, MONEY and PERCENT mentions of one
 * field.
 *
 * One pcre2 pattern, JIT-compiled once in enr_numbers_new(), finds numerals
 * (digits with separators, number words, vague amounts such as "hundreds")
 * with the scale words that follow them ("1.5 million"); a second one finds
 * ordinal words. The code around each match then looks at its
 * neighbourhood: a currency before or after makes MONEY ("£600m", "one
 * million dollars"), a percent sign or word PERCENT, a unit of measure
 * QUANTITY ("5 km"), and the rest is CARDINAL with the counted thing that
 * follows ("130 captives") recorded as its unit. Qualifiers before the
 * number ("about", "more than", "up to") set value.approx and stay outside
 * the span, as in the OntoNotes-style IEER annotation.
 *
 * The patterns are anchored and tried only where a match can start: at a
 * digit run, or at a word from a small hashed keyword set ("two",
 * "million", "fourth"); one pass over the bytes finds those places, so the
 * cost per article is that pass plus a few anchored matches.
 *
 * Numbers that belong to dates and times are left to dates.c: years
 * (1800-2099 written without separators), decades ("1990s"), clock times
 * ("10:36"), the day after a month name ("April 3") and durations ("20
 * years", "five-year"). The value parser enr_number_parse() understands
 * digits, number words and their combinations ("two and a half million"),
 * and computes in decimal (a mantissa and a power of ten) so that "£1.7m"
 * is exactly 1700000, not 1.7 * 1e6 with binary noise.
 */
#include <ctype.h>
#include <float.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "kwset.h"
#include "enricher/numbers.h"

/* The longest numeral the value parser reads (longer ones are skipped). */
#define NUM_MAX_LEN 128

/* Number words of the main pattern (scale words included, so that "two
 * hundred thousand" is one match). */
#define NUM_WORDS                                                              \
        "zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|"        \
        "twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|"         \
        "nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|"      \
        "hundred|thousand|million|billion|trillion|dozen|half(?:[\\s-]+a)?"

#define NUM_PATTERN                                                            \
        "(?<![\\d.,/:])"                                                       \
        "(?:(?<d>\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?)"           \
        "(?<sfx>bn|mn|m|k|st|nd|rd|th|s)?(?![\\w])"                            \
        "|(?<v>\\b(?:(?:few|several)[\\s-]+(?:tens[\\s-]+of[\\s-]+)?"          \
        "(?:hundred|thousand|million|billion)s?"                               \
        "|hundreds|thousands|millions|billions|dozens|scores(?=\\s+of\\b)"     \
        "|tens\\s+of\\s+(?:thousands|millions))\\b)"                           \
        "|(?<w>\\b(?:" NUM_WORDS ")(?:(?:[\\s-]+and[\\s-]+(?:a[\\s-]+)?|"      \
        "[\\s-]+|-)(?:" NUM_WORDS "))*\\b))"                                   \
        "(?<sc>(?:[\\s-]+(?:hundred|thousand|million|billion|trillion)\\b)*)"

#define ORD_PATTERN                                                            \
        "\\b(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-)?"   \
        "(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|"       \
        "tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|"    \
        "seventeenth|eighteenth|nineteenth|twentieth|thirtieth|fortieth|"      \
        "fiftieth|sixtieth|seventieth|eightieth|ninetieth|hundredth)\\b"


/* Words that can start a numeral or an ordinal. */
static const char *const KEYWORDS[] = {
    "zero",        "one",        "two",        "three",      "four",
    "five",        "six",        "seven",      "eight",      "nine",
    "ten",         "eleven",     "twelve",     "thirteen",   "fourteen",
    "fifteen",     "sixteen",    "seventeen",  "eighteen",   "nineteen",
    "twenty",      "thirty",     "forty",      "fifty",      "sixty",
    "seventy",     "eighty",     "ninety",     "hundred",    "thousand",
    "million",     "billion",    "trillion",   "dozen",      "half",
    "few",         "several",    "hundreds",   "thousands",  "millions",
    "billions",    "dozens",     "scores",     "tens",       "first",
    "second",      "third",      "fourth",     "fifth",      "sixth",
    "seventh",     "eighth",     "ninth",      "tenth",      "eleventh",
    "twelfth",     "thirteenth", "fourteenth", "fifteenth",  "sixteenth",
    "seventeenth", "eighteenth", "nineteenth", "twentieth",  "thirtieth",
    "fortieth",    "fiftieth",   "sixtieth",   "seventieth", "eightieth",
    "ninetieth",   "hundredth",  NULL};


struct enr_numbers {
        enr_kwset_t kw;  /* Words a match can start with. */
        pcre2_code *num; /* Numerals and their scale words. */
        pcre2_code *ord; /* Ordinal words. */
        uint32_t    g_d, g_sfx, g_v, g_w, g_sc; /* Group numbers of num. */
};

struct enr_numbers_scratch {
        pcre2_match_data *md_num; /* Sized for the num pattern. */
        pcre2_match_data *md_ord;
};

static pcre2_code *compile(const char *pat, char *errstr, size_t errstr_size) {
        int         rc;
        PCRE2_SIZE  off;
        pcre2_code *re;

        /* Anchored at compile time: JIT does not support the match-time
         * option. */
        re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED,
                           PCRE2_CASELESS | PCRE2_ANCHORED, &rc, &off, NULL);
        if (!re) {
                PCRE2_UCHAR msg[160];

                pcre2_get_error_message(rc, msg, sizeof(msg));
                enr_set_errstr(errstr, errstr_size,
                               "numbers: pattern error at %zu: %s", (size_t)off,
                               (const char *)msg);
                return NULL;
        }
        /* Without JIT (an unsupported CPU) the interpreter is used. */
        (void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
        return re;
}

enr_numbers_t *enr_numbers_new(char *errstr, size_t errstr_size) {
        enr_numbers_t *n = calloc(1, sizeof(*n));

        if (!n) {
                enr_set_errstr(errstr, errstr_size, "out of memory");
                return NULL;
        }
        enr__kwset_init(&n->kw, KEYWORDS);
        n->num = compile(NUM_PATTERN, errstr, errstr_size);
        n->ord = n->num ? compile(ORD_PATTERN, errstr, errstr_size) : NULL;
        if (!n->ord) {
                enr_numbers_destroy(n);
                return NULL;
        }
        n->g_d   = (uint32_t)pcre2_substring_number_from_name(n->num,
                                                              (PCRE2_SPTR) "d");
        n->g_sfx = (uint32_t)pcre2_substring_number_from_name(
            n->num, (PCRE2_SPTR) "sfx");
        n->g_v  = (uint32_t)pcre2_substring_number_from_name(n->num,
                                                             (PCRE2_SPTR) "v");
        n->g_w  = (uint32_t)pcre2_substring_number_from_name(n->num,
                                                             (PCRE2_SPTR) "w");
        n->g_sc = (uint32_t)pcre2_substring_number_from_name(n->num,
                                                             (PCRE2_SPTR) "sc");
        return n;
}

void enr_numbers_destroy(enr_numbers_t *n) {
        if (!n)
                return;
        pcre2_code_free(n->num);
        pcre2_code_free(n->ord);
        free(n);
}

enr_numbers_scratch_t *enr_numbers_scratch_new(const enr_numbers_t *n) {
        enr_numbers_scratch_t *s = calloc(1, sizeof(*s));

        if (!s)
                return NULL;
        s->md_num = pcre2_match_data_create_from_pattern(n->num, NULL);
        s->md_ord = pcre2_match_data_create_from_pattern(n->ord, NULL);
        if (!s->md_num || !s->md_ord) {
                enr_numbers_scratch_destroy(s);
                return NULL;
        }
        return s;
}

void enr_numbers_scratch_destroy(enr_numbers_scratch_t *s) {
        if (!s)
                return;
        pcre2_match_data_free(s->md_num);
        pcre2_match_data_free(s->md_ord);
        free(s);
}

/*
 * The value parser.
 *
 * Values are computed in decimal, as the text writes them: a mantissa and
 * a power of ten ("1.7" is 17e-1, "£1.7m" 17e5), so that scale words,
 * percent and basis points, cents and pence move the exponent or multiply
 * the mantissa by a small integer, exactly. In binary 1.7 is not exact,
 * and 1.7 * 1e6 is 1700000.0000000002: a consumer comparing or summing
 * values would see that noise. The decimal becomes the nearest double
 * once, at the end. A fraction that is not decimal ("two thirds") keeps
 * its divisor until then, so that it costs one division of exact operands.
 */

/* Bounds of a decimal's exponent and divisor. The text is at most
 * NUM_MAX_LEN bytes, so neither is reached by sensible input; they keep
 * the arithmetic defined on any bytes. */
#define DEC_EXP_MAX 4000
#define DEC_Q_MAX   1000000

/* A decimal value m * 10^e / q. The mantissa holds 19 digits; beyond, low
 * digits are rounded off (a double keeps 17 at most). */
typedef struct dec {
        uint64_t m; /* Mantissa. */
        int      e; /* Power of ten, within +-DEC_EXP_MAX. */
        uint64_t q; /* Divisor of a non-decimal fraction: 1 to DEC_Q_MAX. */
} dec_t;

static const dec_t DEC_ZERO = {0, 0, 1};

static dec_t dec_int(uint64_t v) {
        dec_t d = {v, 0, 1};

        return d;
}

static void dec_shift(dec_t *d, int n) {
        d->e += n;
        if (d->e > DEC_EXP_MAX)
                d->e = DEC_EXP_MAX;
        else if (d->e < -DEC_EXP_MAX)
                d->e = -DEC_EXP_MAX;
}

/* Drops the last digit of the mantissa, rounding half up. */
static void dec_drop_digit(dec_t *d) {
        uint64_t r = d->m % 10;

        d->m = d->m / 10 + (r >= 5);
        dec_shift(d, 1);
}

/* Multiplies d by k (at least 1), rounding off low digits where the
 * mantissa would overflow. */
static void dec_mul(dec_t *d, uint64_t k) {
        while (d->m > UINT64_MAX / k)
                dec_drop_digit(d);
        d->m *= k;
}

/* Divides the mantissa by the divisor, to at least 13 digits, when the
 * divisor would grow too large to keep ("a third of a seventh of ..."). */
static void dec_fold(dec_t *d) {
        uint64_t r;

        if (d->q == 1)
                return;
        while (d->m != 0 && d->m <= UINT64_MAX / 10) {
                d->m *= 10;
                dec_shift(d, -1);
        }
        r    = d->m % d->q;
        d->m = d->m / d->q + (r >= d->q - r);
        d->q = 1;
}

/* Divides d by k (at least 1): the factors 2 and 5 of k exactly in
 * decimal (a tenth is 1e-1, a fifth 2e-1), the rest through the divisor. */
static void dec_div(dec_t *d, uint64_t k) {
        uint64_t f = 1;
        int      j = 0;

        while (k % 10 == 0) {
                k /= 10;
                j++;
        }
        while (k % 2 == 0) {
                k /= 2;
                f *= 5;
                j++;
        }
        while (k % 5 == 0) {
                k /= 5;
                f *= 2;
                j++;
        }
        dec_mul(d, f);
        dec_shift(d, -j);
        if (k == 1)
                return;
        if (k > DEC_Q_MAX || d->q > DEC_Q_MAX / k)
                dec_fold(d);
        if (k > DEC_Q_MAX) {
                d->q = k;
                dec_fold(d);
        } else {
                d->q *= k;
        }
}

/* Adds b to a, in a's place. */
static void dec_add(dec_t *a, dec_t b) {
        if (b.m == 0)
                return;
        if (a->m == 0) {
                *a = b;
                return;
        }
        if (a->q != b.q) {
                /* A common divisor: a/qa + b/qb = (a qb + b qa) / qa qb. */
                uint64_t qa = a->q, qb = b.q;

                if (qa > DEC_Q_MAX / qb) {
                        dec_fold(a);
                        dec_fold(&b);
                } else {
                        dec_mul(a, qb);
                        dec_mul(&b, qa);
                        a->q = b.q = qa * qb;
                }
        }
        /* Align the exponents: scale the mantissa with the larger exponent
         * up while it fits, then round the other one off. */
        while (a->e > b.e && a->m <= UINT64_MAX / 10) {
                a->m *= 10;
                a->e--;
        }
        while (b.e > a->e && b.m <= UINT64_MAX / 10) {
                b.m *= 10;
                b.e--;
        }
        while (a->e < b.e && a->m != 0)
                dec_drop_digit(a);
        while (b.e < a->e && b.m != 0)
                dec_drop_digit(&b);
        if (a->m == 0)
                a->e = b.e;
        if (b.m == 0)
                b.e = a->e;
        if (a->m > UINT64_MAX - b.m) {
                dec_drop_digit(a);
                dec_drop_digit(&b);
        }
        a->m += b.m;
}

/* Exact powers of ten as doubles (10^22 is the last one a double holds). */
static const double POW10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                               1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                               1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* The double nearest to d (for a non-decimal fraction, the quotient of
 * two exact operands where they exist). */
static double dec_to_double(const dec_t *d) {
        const uint64_t two53 = UINT64_C(1) << 53;
        char           buf[48];
        double         x;

        if (d->m == 0)
                return 0;
#if FLT_EVAL_METHOD == 0
        /* Clinger's fast path: an exact mantissa times or over an exact
         * power of ten is one correctly rounded operation. */
        if (d->m <= two53 && d->e >= -22 && d->e <= 22) {
                uint64_t p = 1;
                int      i;

                if (d->q == 1)
                        return d->e >= 0 ? (double)d->m * POW10[d->e]
                                         : (double)d->m / POW10[-d->e];
                for (i = 0; i < (d->e < 0 ? -d->e : d->e) && p <= two53; i++)
                        p *= 10;
                if (d->e >= 0 && p <= two53 && d->m <= two53 / p)
                        return (double)(d->m * p) / (double)d->q;
                if (d->e < 0 && p <= two53 / d->q)
                        return (double)d->m / (double)(p * d->q);
        }
#endif
        /* glibc's strtod() rounds correctly; the text has no decimal point,
         * so the locale does not matter. */
        snprintf(buf, sizeof(buf), "%" PRIu64 "e%d", d->m, d->e);
        x = strtod(buf, NULL);
        return d->q == 1 ? x : x / (double)d->q;
}

/* A number word and its value. */
typedef struct word_val {
        const char *w;
        int         v;
} word_val_t;

static const word_val_t SMALL[] = {
    {"zero", 0},     {"one", 1},        {"two", 2},       {"three", 3},
    {"four", 4},     {"five", 5},       {"six", 6},       {"seven", 7},
    {"eight", 8},    {"nine", 9},       {"ten", 10},      {"eleven", 11},
    {"twelve", 12},  {"thirteen", 13},  {"fourteen", 14}, {"fifteen", 15},
    {"sixteen", 16}, {"seventeen", 17}, {"eighteen", 18}, {"nineteen", 19},
    {"twenty", 20},  {"thirty", 30},    {"forty", 40},    {"fifty", 50},
    {"sixty", 60},   {"seventy", 70},   {"eighty", 80},   {"ninety", 90},
    {"first", 1},    {"second", 2},     {"third", 3},     {"fifth", 5},
    {"eighth", 8},   {"ninth", 9},      {"twelfth", 12},  {NULL, 0}};

/* Scale words and suffixes with their power of ten. */
static const word_val_t SCALES[] = {
    {"hundred", 2},   {"thousand", 3}, {"million", 6}, {"billion", 9},
    {"trillion", 12}, {"bn", 9},       {"mn", 6},      {"m", 6},
    {"k", 3},         {NULL, 0}};

static int lookup(const word_val_t *tab, const char *w) {
        size_t i;

        for (i = 0; tab[i].w; i++)
                if (!strcmp(tab[i].w, w))
                        return tab[i].v;
        return -1;
}

/* The value of one lower-case number word (ordinals included), or -1. */
static int64_t word_value(const char *w) {
        char    buf[32];
        size_t  n = strlen(w);
        int64_t v = lookup(SMALL, w);
        int     e;

        if (v >= 0)
                return v;
        if (n > 4 && n < sizeof(buf) && !strcmp(w + n - 4, "ieth")) {
                /* twentieth -> twenty */
                memcpy(buf, w, n - 4);
                strcpy(buf + n - 4, "y");
                return lookup(SMALL, buf);
        }
        if (n > 2 && n < sizeof(buf) && !strcmp(w + n - 2, "th")) {
                memcpy(buf, w, n - 2);
                buf[n - 2] = '\0';
                v          = lookup(SMALL, buf);
                if (v >= 0)
                        return v;
                /* "hundredth", "millionth". */
                e = lookup(SCALES, buf);
                for (v = e < 0 ? -1 : 1; e > 0; e--)
                        v *= 10;
                return v;
        }
        return -1;
}

/* Reads digits at s[*i] with thousands separators and a decimal part,
 * moving *i past them and an ordinal suffix. Past 19 digits the mantissa
 * is rounded on the first digit dropped. */
static dec_t read_digits(const char *s, size_t len, size_t *pi) {
        dec_t  d   = DEC_ZERO;
        int    dot = 0, dropped = 0, round_up = 0;
        size_t i = *pi;

        for (; i < len; i++) {
                char c = s[i];

                if (isdigit((unsigned char)c)) {
                        if (d.m <= (UINT64_MAX - 9) / 10) {
                                d.m = d.m * 10 + (uint64_t)(c - '0');
                                d.e -= dot;
                        } else {
                                if (!dropped)
                                        round_up = c >= '5';
                                dropped = 1;
                                d.e += !dot;
                        }
                } else if (c == ',' && !dot && i + 3 < len + 0 &&
                           isdigit((unsigned char)s[i + 1])) {
                        continue;
                } else if (c == '.' && !dot && i + 1 < len &&
                           isdigit((unsigned char)s[i + 1])) {
                        dot = 1;
                } else {
                        break;
                }
        }
        d.m += (uint64_t)round_up;
        /* Ordinal suffixes. */
        if (i + 2 <= len &&
            (!strncasecmp(s + i, "st", 2) || !strncasecmp(s + i, "nd", 2) ||
             !strncasecmp(s + i, "rd", 2) || !strncasecmp(s + i, "th", 2)) &&
            (i + 2 == len || !isalpha((unsigned char)s[i + 2])))
                i += 2;
        *pi = i;
        return d;
}

/* Parses s[0..len) into *value (see enr_number_parse()). */
static bool parse_value(const char *s, size_t len, dec_t *value) {
        dec_t  total = DEC_ZERO, cur = DEC_ZERO;
        size_t i   = 0;
        int    any = 0, pending_a = 0, and_seen = 0;

        *value = DEC_ZERO;
        if (len == 0 || len > NUM_MAX_LEN)
                return false;
        while (i < len) {
                char    w[32];
                size_t  n = 0;
                int64_t v;
                int     e;

                if (s[i] == ' ' || s[i] == '-' || s[i] == '\t' ||
                    s[i] == '\n') {
                        i++;
                        continue;
                }
                if (isdigit((unsigned char)s[i]) ||
                    (s[i] == '.' && i + 1 < len &&
                     isdigit((unsigned char)s[i + 1]))) {
                        if (cur.m != 0 && !and_seen)
                                return false;
                        dec_add(&cur, read_digits(s, len, &i));
                        any = 1;
                        continue;
                }
                while (i < len && n + 1 < sizeof(w) &&
                       isalpha((unsigned char)s[i]))
                        w[n++] = (char)tolower((unsigned char)s[i++]);
                w[n] = '\0';
                if (n == 0 || (i < len && isalpha((unsigned char)s[i])))
                        return false;
                /* Plurals of scales and "dozens", "scores". */
                if (n > 3 && w[n - 1] == 's' &&
                    (lookup(SCALES, w) < 0 && word_value(w) < 0)) {
                        w[n - 1] = '\0';
                        if (!strcmp(w, "score") || !strcmp(w, "ten")) {
                                int k = w[0] == 's' ? 20 : 10;

                                if (cur.m != 0)
                                        dec_mul(&cur, (uint64_t)k);
                                else
                                        cur = dec_int((uint64_t)k);
                                any = 1;
                                continue;
                        }
                        if (strcmp(w, "dozen") != 0 &&
                            strcmp(w, "quarter") != 0 &&
                            lookup(SCALES, w) < 0) {
                                /* "nine-tenths", "two thirds". */
                                v = word_value(w);
                                if (v < 3 || !any || cur.m == 0)
                                        return false;
                                dec_div(&cur, (uint64_t)v);
                                continue;
                        }
                }
                if (!strcmp(w, "a") || !strcmp(w, "an")) {
                        pending_a = 1;
                        continue;
                }
                if (!strcmp(w, "and")) {
                        and_seen = 1;
                        continue;
                }
                if (!strcmp(w, "of") || !strcmp(w, "few") ||
                    !strcmp(w, "several")) {
                        continue;
                }
                if (!strcmp(w, "half") || !strcmp(w, "quarter")) {
                        /* "two and a half", "half a million", "a quarter",
                         * "three quarters": 5e-1 and 25e-2. */
                        dec_t f = w[0] == 'h' ? (dec_t){5, -1, 1}
                                              : (dec_t){25, -2, 1};

                        if (and_seen) {
                                dec_add(&cur, f);
                        } else if (cur.m != 0) {
                                dec_mul(&cur, f.m);
                                dec_shift(&cur, f.e);
                        } else {
                                cur = f;
                        }
                        any       = 1;
                        pending_a = 0;
                        continue;
                }
                if (!strcmp(w, "dozen")) {
                        if (cur.m != 0)
                                dec_mul(&cur, 12);
                        else
                                cur = dec_int(12);
                        any = 1;
                        continue;
                }
                e = lookup(SCALES, w);
                if (e > 0) {
                        if (cur.m == 0)
                                cur = dec_int(1);
                        dec_shift(&cur, e);
                        if (e != 2) {
                                dec_add(&total, cur);
                                cur = DEC_ZERO;
                        }
                        any       = 1;
                        pending_a = 0;
                        and_seen  = 0;
                        continue;
                }
                v = word_value(w);
                if (v < 0)
                        return false;
                dec_add(&cur, dec_int((uint64_t)v));
                any = 1;
                (void)pending_a;
        }
        if (!any)
                return false;
        dec_add(&total, cur);
        *value = total;
        return true;
}

bool enr_number_parse(const char *s, size_t len, double *value) {
        dec_t d;

        *value = 0;
        if (!parse_value(s, len, &d))
                return false;
        *value = dec_to_double(&d);
        return true;
}

/*
 * Context around a match.
 */

static int is_alpha(char c) {
        return isalpha((unsigned char)c) != 0;
}

/* Whether s[pos..) starts with word (ASCII case-insensitive) followed by a
 * non-letter. */
static size_t word_at(const char *s, size_t len, size_t pos, const char *word) {
        size_t n;

        /* Most candidates differ in the first letter: test it first. */
        if (pos >= len ||
            tolower((unsigned char)s[pos]) != tolower((unsigned char)word[0]))
                return 0;
        n = strlen(word);
        if (pos + n > len || strncasecmp(s + pos, word, n) != 0)
                return 0;
        if (pos + n < len && is_alpha(s[pos + n]))
                return 0;
        return n;
}

/* Skips spaces (not newlines twice) from pos. */
static size_t skip_sp(const char *s, size_t len, size_t pos) {
        while (pos < len && (s[pos] == ' ' || s[pos] == '\t'))
                pos++;
        return pos;
}

/* A currency written before or after the amount. */
typedef struct currency {
        const char *text; /* As written (matched case-sensitively). */
        const char *code; /* ISO 4217. */
} currency_t;

static const currency_t PREFIXES[] = {
    {"US$", "USD"},          {"U.S.$", "USD"},    {"C$", "CAD"},
    {"A$", "AUD"},           {"HK$", "HKD"},      {"S$", "SGD"},
    {"NZ$", "NZD"},          {"$", "USD"},        {"\xc2\xa3", "GBP"},
    {"\xe2\x82\xac", "EUR"}, {"\xc2\xa5", "JPY"}, {"\xe2\x82\xb9", "INR"},
    {"Rs.", "INR"},          {"Rs", "INR"},       {"RM", "MYR"},
    {"dlrs", "USD"},         {"USD", "USD"},      {"EUR", "EUR"},
    {"GBP", "GBP"},          {"JPY", "JPY"},      {"CHF", "CHF"},
    {"Sh", "KES"},           {NULL, NULL}};

static const currency_t SUFFIXES[] = {
    {"dollars", "USD"}, {"dollar", "USD"},    {"pounds", "GBP"},
    {"pound", "GBP"},   {"sterling", "GBP"},  {"euros", "EUR"},
    {"euro", "EUR"},    {"yen", "JPY"},       {"yuan", "CNY"},
    {"ringgit", "MYR"}, {"rupees", "INR"},    {"rupee", "INR"},
    {"francs", "CHF"},  {"marks", "DEM"},     {"roubles", "RUB"},
    {"rubles", "RUB"},  {"shillings", "KES"}, {"cents", "USD"},
    {"pence", "GBP"},   {"dlrs", "USD"},      {"won", "KRW"},
    {"pesos", "MXN"},   {"rand", "ZAR"},      {NULL, NULL}};

/* Finds a currency prefix ending at pos (one space allowed between);
 * returns its start or pos when none. */
static size_t currency_before(const char *s, size_t pos, const char **code) {
        size_t i, p = pos;

        if (p > 0 && s[p - 1] == ' ')
                p--;
        for (i = 0; PREFIXES[i].text; i++) {
                size_t n = strlen(PREFIXES[i].text);

                if (p < n || memcmp(s + p - n, PREFIXES[i].text, n) != 0)
                        continue;
                /* A letter prefix must start a word; "$" must not follow
                 * another letter (US$ is tried first). */
                if (is_alpha(PREFIXES[i].text[0]) && p - n > 0 &&
                    is_alpha(s[p - n - 1]))
                        continue;
                /* A space after a symbol is allowed only for words. */
                if (p != pos && !is_alpha(PREFIXES[i].text[n - 1]))
                        continue;
                *code = PREFIXES[i].code;
                return p - n;
        }
        return pos;
}

/* Length of a currency word at pos ("dollars", "of ringgit"), or 0; *exp
 * is the power of ten of the unit: -2 for "cents" and "pence". */
static size_t currency_after(const char *s, size_t len, size_t pos,
                             const char **code, int *exp) {
        size_t i, p = skip_sp(s, len, pos), n;

        *exp = 0;
        if (p == pos)
                return 0;
        n = word_at(s, len, p, "of");
        if (n)
                p = skip_sp(s, len, p + n);
        for (i = 0; SUFFIXES[i].text; i++) {
                n = word_at(s, len, p, SUFFIXES[i].text);
                if (n) {
                        *code = SUFFIXES[i].code;
                        if (!strcmp(SUFFIXES[i].text, "cents") ||
                            !strcmp(SUFFIXES[i].text, "pence"))
                                *exp = -2;
                        return p + n - pos;
                }
        }
        return 0;
}

/* Length of a percent marker at pos ("%", " per cent", " basis points");
 * *exp is the power of ten of the unit: -2 for basis points. */
static size_t percent_after(const char *s, size_t len, size_t pos, int *exp) {
        static const char *const words[] = {"percentage points",
                                            "percentage point",
                                            "per cent",
                                            "percent",
                                            "pct",
                                            "basis points",
                                            "basis point",
                                            NULL};
        size_t                   p       = pos, i, n;

        *exp = 0;
        if (p < len && s[p] == '%')
                return 1;
        if (p + 1 < len && s[p] == ' ' && s[p + 1] == '%')
                return 2;
        if (p < len && (s[p] == ' ' || s[p] == '-'))
                p++;
        else
                return 0;
        for (i = 0; words[i]; i++) {
                n = word_at(s, len, p, words[i]);
                if (n) {
                        if (words[i][0] == 'b')
                                *exp = -2;
                        return p + n - pos;
                }
        }
        return 0;
}

/* Units of time, left to dates.c as durations (or ages with "old"). */
static const char *const TIME_UNITS[] = {
    "years",   "year",   "months",  "month",  "weeks",     "week",
    "days",    "day",    "hours",   "hour",   "minutes",   "minute",
    "seconds", "second", "decades", "decade", "centuries", "century",
    "nights",  "night",  "yrs",     NULL};

/* Units of measure (longest first where one is a prefix of another). */
static const char *const UNITS[] = {"square kilometres",
                                    "square kilometers",
                                    "square metres",
                                    "square meters",
                                    "square miles",
                                    "square feet",
                                    "square-foot",
                                    "cubic metres",
                                    "cubic meters",
                                    "kilometres",
                                    "kilometers",
                                    "kilometre",
                                    "kilometer",
                                    "km",
                                    "miles",
                                    "mile",
                                    "metres",
                                    "meters",
                                    "metre",
                                    "meter",
                                    "feet",
                                    "foot",
                                    "ft",
                                    "inches",
                                    "inch",
                                    "yards",
                                    "yard",
                                    "centimetres",
                                    "centimeters",
                                    "cm",
                                    "millimetres",
                                    "millimeters",
                                    "mm",
                                    "tonnes",
                                    "tonne",
                                    "tons",
                                    "ton",
                                    "kilograms",
                                    "kilogram",
                                    "kg",
                                    "grams",
                                    "gram",
                                    "lbs",
                                    "lb",
                                    "ounces",
                                    "ounce",
                                    "oz",
                                    "litres",
                                    "litre",
                                    "liters",
                                    "liter",
                                    "gallons",
                                    "gallon",
                                    "barrels",
                                    "barrel",
                                    "bpd",
                                    "acres",
                                    "acre",
                                    "hectares",
                                    "hectare",
                                    "degrees",
                                    "degree",
                                    "mph",
                                    "km/h",
                                    "knots",
                                    "microns",
                                    "micron",
                                    "megawatts",
                                    "megawatt",
                                    "mw",
                                    "kilowatts",
                                    "kw",
                                    "volts",
                                    "watts",
                                    "calories",
                                    "bytes",
                                    "gigabytes",
                                    "gb",
                                    "megabytes",
                                    "mb",
                                    "storeys",
                                    "storey",
                                    "stories",
                                    "story",
                                    NULL};

/* Length of the unit word from the list at pos, after a space or hyphen
 * ("5 km", "3,000-meter"); *ustart receives where the unit starts. */
static size_t list_after(const char *s, size_t len, size_t pos,
                         const char *const *list, size_t *ustart) {
        size_t p = pos, i, n;

        if (p < len && (s[p] == ' ' || s[p] == '-'))
                p++;
        for (i = 0; list[i]; i++) {
                n = word_at(s, len, p, list[i]);
                if (n) {
                        *ustart = p;
                        return p + n - pos;
                }
        }
        return 0;
}

/* Words that are not the counted thing after a cardinal. */
static const char *const NOT_COUNTED[] = {
    "of",   "to",    "and",  "or",   "in",    "on",     "at",    "for", "the",
    "a",    "an",    "by",   "from", "with",  "than",   "as",    "is",  "are",
    "was",  "were",  "be",   "been", "has",   "have",   "had",   "who", "which",
    "that", "this",  "more", "less", "other", "others", "times", "per", "each",
    "out",  "up",    "down", "into", "over",  "under",  "but",   "not", "would",
    "will", "could", "said", NULL};

/* Irregular plurals that can be counted things. */
static const char *const PLURALS[] = {
    "people", "men",       "women",  "children", "police",   "staff",
    "cattle", "sheep",     "fish",   "feet",     "teeth",    "mice",
    "geese",  "personnel", "troops", "crew",     "aircraft", NULL};

/* Reads the lower-case word at p into w; returns its end, or p when it is
 * not one that can be (part of) a counted thing. */
static size_t counted_word(const char *s, size_t len, size_t p, char *w,
                           size_t size) {
        size_t e, i, n;

        if (p >= len || !islower((unsigned char)s[p]))
                return p;
        for (e = p; e < len && (is_alpha(s[e]) || s[e] == '-'); e++)
                ;
        while (e > p && s[e - 1] == '-')
                e--;
        n = e - p;
        if (n >= size || n == 0)
                return p;
        memcpy(w, s + p, n);
        w[n] = '\0';
        /* Verbs and adverbs are not counted things ("7,000 fled"). */
        if (n > 3 && (!strcmp(w + n - 2, "ed") || !strcmp(w + n - 3, "ing") ||
                      !strcmp(w + n - 2, "ly")))
                return p;
        for (i = 0; NOT_COUNTED[i]; i++)
                if (!strcmp(w, NOT_COUNTED[i]))
                        return p;
        return e;
}

/* Whether the lower-case word w reads as a plural noun. */
static int plural(const char *w) {
        size_t n = strlen(w), i;

        if (n > 2 && w[n - 1] == 's' && w[n - 2] != 's' && w[n - 2] != 'u')
                return 1;
        for (i = 0; PLURALS[i]; i++)
                if (!strcmp(w, PLURALS[i]))
                        return 1;
        return 0;
}

/* Finds the counted thing after a cardinal: up to three lower-case words
 * ending at the first plural ("two foreign ministers", "130 captives"), or
 * the first word when none is plural ("one step"). */
static int counted_after(const char *s, size_t len, size_t pos, uint32_t *us,
                         uint32_t *ue) {
        size_t p = skip_sp(s, len, pos), first_end, e, k;
        char   w[32];

        if (p == pos)
                return 0;
        first_end = counted_word(s, len, p, w, sizeof(w));
        if (first_end == p)
                return 0;
        *us = (uint32_t)p;
        *ue = (uint32_t)first_end;
        if (plural(w))
                return 1;
        e = first_end;
        for (k = 1; k < 3; k++) {
                size_t q = e, n;

                if (q >= len || s[q] != ' ')
                        break;
                q++;
                n = counted_word(s, len, q, w, sizeof(w));
                if (n == q)
                        break;
                e = n;
                if (plural(w)) {
                        *ue = (uint32_t)e;
                        break;
                }
        }
        return 1;
}

/* A qualifier of approximation ending just before pos (one space between). */
typedef struct qualifier {
        const char  *text;
        enr_approx_t approx;
} qualifier_t;

static const qualifier_t QUALIFIERS[] = {{"approximately", ENR_APPROX_ABOUT},
                                         {"around", ENR_APPROX_ABOUT},
                                         {"about", ENR_APPROX_ABOUT},
                                         {"some", ENR_APPROX_ABOUT},
                                         {"nearly", ENR_APPROX_ABOUT},
                                         {"almost", ENR_APPROX_ABOUT},
                                         {"roughly", ENR_APPROX_ABOUT},
                                         {"close to", ENR_APPROX_ABOUT},
                                         {"an estimated", ENR_APPROX_ABOUT},
                                         {"estimated", ENR_APPROX_ABOUT},
                                         {"more than", ENR_APPROX_MORE_THAN},
                                         {"over", ENR_APPROX_MORE_THAN},
                                         {"at least", ENR_APPROX_MORE_THAN},
                                         {"upwards of", ENR_APPROX_MORE_THAN},
                                         {"in excess of", ENR_APPROX_MORE_THAN},
                                         {"less than", ENR_APPROX_LESS_THAN},
                                         {"fewer than", ENR_APPROX_LESS_THAN},
                                         {"under", ENR_APPROX_LESS_THAN},
                                         {"up to", ENR_APPROX_LESS_THAN},
                                         {"as many as", ENR_APPROX_LESS_THAN},
                                         {"at most", ENR_APPROX_LESS_THAN},
                                         {NULL, ENR_APPROX_NONE}};

static enr_approx_t approx_before(const char *s, size_t pos) {
        size_t i, p = pos;

        while (p > 0 && s[p - 1] == ' ')
                p--;
        /* "more than a dozen": skip the article. */
        if (p >= 2 && (s[p - 1] == 'a' || s[p - 1] == 'A') &&
            (p == 1 || s[p - 2] == ' ')) {
                p -= 1;
                while (p > 0 && s[p - 1] == ' ')
                        p--;
        }
        for (i = 0; QUALIFIERS[i].text; i++) {
                size_t n = strlen(QUALIFIERS[i].text);

                if (p < n || strncasecmp(s + p - n, QUALIFIERS[i].text, n))
                        continue;
                if (p > n && is_alpha(s[p - n - 1]))
                        continue;
                return QUALIFIERS[i].approx;
        }
        return ENR_APPROX_NONE;
}

static const char *const MONTHS[] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December",
    "Jan.",    "Feb.",     "Mar.",      "Apr.",    "Aug.",     "Sept.",
    "Sep.",    "Oct.",     "Nov.",      "Dec.",    NULL};

/* Whether the word before pos (one space between) is a month name. */
static int month_before(const char *s, size_t pos) {
        size_t p = pos, i;

        if (p == 0 || s[p - 1] != ' ')
                return 0;
        p--;
        for (i = 0; MONTHS[i]; i++) {
                size_t n = strlen(MONTHS[i]);

                if (p >= n && !memcmp(s + p - n, MONTHS[i], n) &&
                    (p == n || !is_alpha(s[p - n - 1])))
                        return 1;
        }
        return 0;
}

/* Words after which a number is a label or rank, not a count ("No. 4",
 * "section 38"). */
static const char *const LABELS_BEFORE[] = {
    "No.",         "no.",     "Nos.",    "section", "Section", "article",
    "Article",     "chapter", "Chapter", "Room",    "room",    "Route",
    "route",       "Flight",  "flight",  "Channel", "Highway", "Interstate",
    "number",      "Number",  "page",    "Page",    "Rule",    "Resolution",
    "Proposition", "Psalm",   "Apollo",  "Formula", "Windows", "Boeing",
    "Airbus",      "Banc",    "Primary", "Level",   "Grade",   "Category",
    "Class",       "Act",     "Bill",    "Code",    NULL};

/* Verbs after which a lone number is an age ("turned 50"). */
static const char *const AGE_BEFORE[] = {
    "turned", "turns",      "turning", "aged",  "age",
    "ages",   "approaches", "he's",    "she's", NULL};

/* Whether the word before pos (spaces between) is one of list. */
static int word_before_in(const char *s, size_t pos, const char *const *list) {
        size_t p = pos, i;

        while (p > 0 && s[p - 1] == ' ')
                p--;
        if (p == pos)
                return 0;
        for (i = 0; list[i]; i++) {
                size_t n = strlen(list[i]);

                if (p >= n && !memcmp(s + p - n, list[i], n) &&
                    (p == n || !is_alpha(s[p - n - 1])))
                        return 1;
        }
        return 0;
}

/* Street words after an address number ("601 Riverview Dr."). */
static const char *const STREETS[] = {
    "St.",   "Street", "Dr.",   "Drive",     "Ave.", "Avenue",
    "Road",  "Rd.",    "Blvd.", "Boulevard", "Lane", "Way",
    "Place", "Square", "Plaza", "Court",     NULL};

/* Whether one to three capitalised words and a street word follow pos. */
static int address_after(const char *s, size_t len, size_t pos) {
        size_t p = pos, w, i;

        for (w = 0; w < 4; w++) {
                p = skip_sp(s, len, p);
                if (p == len || !isupper((unsigned char)s[p]))
                        return 0;
                for (i = 0; STREETS[i]; i++) {
                        size_t n = strlen(STREETS[i]);

                        if (w > 0 && p + n <= len &&
                            !memcmp(s + p, STREETS[i], n) &&
                            (p + n == len || !is_alpha(s[p + n])))
                                return 1;
                }
                while (p < len && (is_alpha(s[p]) || s[p] == '.'))
                        p++;
        }
        return 0;
}

/* Whether the digits s[a..b) are a bare year: four digits, 1800-2099. */
static int bare_year(const char *s, size_t a, size_t b) {
        int y;

        if (b - a != 4)
                return 0;
        y = (s[a] - '0') * 1000 + (s[a + 1] - '0') * 100 +
            (s[a + 2] - '0') * 10 + (s[a + 3] - '0');
        return y >= 1800 && y <= 2099;
}

/* Whether the cardinal at [a, b) reads like an age after a name: "Zhivka
 * Savic, 65." or "McCarthy, 94, also". */
static int age_after_name(const char *s, size_t len, size_t a, size_t b) {
        size_t p = a;

        if (b < len && s[b] != ',' && s[b] != '.' && s[b] != ';')
                return 0;
        if (p < 3 || s[p - 1] != ' ' || s[p - 2] != ',')
                return 0;
        p -= 2;
        while (p > 0 && is_alpha(s[p - 1]))
                p--;
        return isupper((unsigned char)s[p]) != 0;
}

/* Whether an ordinal word ("first", "tenth") starts at pos. */
static int ordinal_word_at(const char *s, size_t len, size_t pos) {
        char   w[24];
        size_t n = 0;

        while (pos + n < len && n + 1 < sizeof(w) && is_alpha(s[pos + n])) {
                w[n] = (char)tolower((unsigned char)s[pos + n]);
                n++;
        }
        w[n] = '\0';
        if (n < 5 || (pos + n < len && is_alpha(s[pos + n])))
                return 0;
        return (!strcmp(w + n - 2, "th") || !strcmp(w, "first") ||
                !strcmp(w, "second") || !strcmp(w, "third")) &&
               word_value(w) > 0;
}

/* Whether "one" at [a, b) is a pronoun or part of a name. */
static int one_is_pronoun(const char *s, size_t len, size_t a, size_t b) {
        static const char *const verbs[] = {
            "another", "has",      "had",     "is",    "was",  "might", "must",
            "can",     "could",    "should",  "would", "will", "may",   "does",
            "did",     "suspects", "wonders", "feels", "gets", NULL};
        size_t p = a, i, q = skip_sp(s, len, b);

        for (i = 0; verbs[i]; i++)
                if (word_at(s, len, q, verbs[i]))
                        return 1;
        while (p > 0 && s[p - 1] == ' ')
                p--;
        if (p >= 2 && !strncasecmp(s + p - 2, "no", 2) &&
            (p == 2 || !is_alpha(s[p - 3])))
                return 1;
        /* A capitalised word before mid-sentence "One" makes a name. */
        if (s[a] == 'O' && p < a && p > 0 && is_alpha(s[p - 1])) {
                size_t w = p;

                while (w > 0 && is_alpha(s[w - 1]))
                        w--;
                if (isupper((unsigned char)s[w]))
                        return 1;
        }
        /* "the last one.", "a bitter one,": an adjective before and
         * punctuation after. */
        if (q >= len || s[q] == '.' || s[q] == ',' || s[q] == ';' ||
            s[q] == '\'') {
                static const char *const dets[] = {
                    "the",  "a",  "each", "every", "only",
                    "just", "at", "of",   "and",   NULL};

                if (p > 0 && is_alpha(s[p - 1]) && !word_before_in(s, a, dets))
                        return 1;
        }
        return 0;
}

static enr_mention_t *push(enr_mentions_t *out, enr_field_t field, size_t a,
                           size_t b, enr_ent_type_t type, size_t max) {
        enr_mention_t *m =
            enr_mentions_push(out, field, (uint32_t)a, (uint32_t)b, type, max);

        if (m) {
                m->source = ENR_SRC_NUMBER;
                m->score  = 0.7f;
        }
        return m;
}

/* What handle_numeral() learns of one numeral after its value. */
typedef struct numeral {
        enr_ent_type_t type;
        size_t         end;      /* End of the mention (with its unit). */
        const char    *cur;      /* Currency code, or NULL. */
        dec_t          v;        /* The value. */
        uint32_t       us, ue;   /* The unit, when has_unit. */
        int            has_unit; /* us..ue hold the unit. */
} numeral_t;

/* Whether the digits [a, b) (da..db without suffix and scale, fa..fb their
 * suffix sfx) are a year, a clock time, a fraction, half of a range, a
 * label or an address rather than a number of ours; *start is where the
 * mention starts (with a currency sign before, *cur its code). */
static bool digits_not_ours(const enr_numbers_t *n, const char *s, size_t len,
                            const PCRE2_SIZE *ov, const char *sfx,
                            size_t *start, const char **cur) {
        size_t a = ov[0], b = ov[1];
        size_t da = ov[2 * n->g_d], db = ov[2 * n->g_d + 1];
        size_t fa   = ov[2 * n->g_sfx];
        int    pexp = 0;

        /* Digits glued to a clock time, a fraction or a word are not
         * numbers of ours ("10:36", "23/32", "F-16" is kept). */
        if (b < len && (s[b] == ':' || s[b] == '/') && b + 1 < len &&
            isdigit((unsigned char)s[b + 1]))
                return true;
        *start = currency_before(s, a, cur);
        if (a > 0 && is_alpha(s[a - 1]) && *start == a)
                return true;
        if (*cur)
                return false;
        if (!strcmp(sfx, "s"))
                return true; /* "1990s", "50s": dates.c */
        if (fa == PCRE2_UNSET && ov[2 * n->g_sc] == ov[2 * n->g_sc + 1] &&
            bare_year(s, da, db) && !percent_after(s, len, b, &pexp))
                return true;
        if (month_before(s, a))
                return true;
        /* The second half of "1997-98" or "May 1-31". */
        if (a >= 2 && s[a - 1] == '-' && isdigit((unsigned char)s[a - 2])) {
                size_t p = a - 1;

                while (p > 0 && isdigit((unsigned char)s[p - 1]))
                        p--;
                if (bare_year(s, p, a - 1) || month_before(s, p))
                        return true;
        }
        return word_before_in(s, a, LABELS_BEFORE) || address_after(s, len, b);
}

/* Records the unit [us, ue) of nu, which ends at end. */
static void set_unit(numeral_t *nu, size_t end, size_t us, size_t ue) {
        nu->type     = ENR_ENT_QUANTITY;
        nu->end      = end;
        nu->us       = (uint32_t)us;
        nu->ue       = (uint32_t)ue;
        nu->has_unit = 1;
}

/* The type of the numeral [a, b) from what follows it (a percent sign, a
 * currency, a unit, a hyphenated noun) or precedes it (an age); false when
 * it starts a duration, which dates.c reports. */
static bool numeral_type(const char *s, size_t len, size_t a, size_t b,
                         int digits, int vague, numeral_t *nu) {
        const char *cur2 = NULL;
        size_t      k, ustart = 0;
        int         pexp = 0, dexp = 0;

        if ((k = percent_after(s, len, b, &pexp)) != 0) {
                nu->type = ENR_ENT_PERCENT;
                nu->end  = b + k;
                dec_shift(&nu->v, pexp);
        } else if ((k = currency_after(s, len, b, &cur2, &dexp)) != 0) {
                nu->type = ENR_ENT_MONEY;
                nu->end  = b + k;
                if (!nu->cur)
                        nu->cur = cur2;
                dec_shift(&nu->v, dexp);
        } else if (nu->cur) {
                nu->type = ENR_ENT_MONEY;
        } else if ((k = list_after(s, len, b, TIME_UNITS, &ustart)) != 0) {
                size_t o = b + k;

                /* "20-year-old", "15 years old": an age. Otherwise a
                 * duration, which dates.c reports. */
                if (!(o < len && (s[o] == '-' || s[o] == ' ') &&
                      word_at(s, len, o + 1, "old")))
                        return false;
                set_unit(nu, o, ustart, o);
        } else if ((k = list_after(s, len, b, UNITS, &ustart)) != 0) {
                set_unit(nu, b + k, ustart, b + k);
        } else if (b < len && s[b] == '-' && b + 1 < len &&
                   islower((unsigned char)s[b + 1]) && !vague &&
                   !ordinal_word_at(s, len, b + 1)) {
                /* "two-run", "three-judge", "16-team": a count used as an
                 * adjective measures what the hyphenated word names. */
                size_t e = b + 1;

                while (e < len && is_alpha(s[e]))
                        e++;
                if (!word_at(s, len, b + 1, "fold") &&
                    !word_at(s, len, b + 1, "odd"))
                        set_unit(nu, e, b + 1, e);
        } else if (digits && (age_after_name(s, len, a, b) ||
                              word_before_in(s, a, AGE_BEFORE))) {
                nu->type = ENR_ENT_QUANTITY;
        } else if (b + 1 < len && s[b] == '-' &&
                   isdigit((unsigned char)s[b + 1])) {
                /* "5-15 percent": the first of a range takes the type of
                 * the second. */
                size_t e = b + 1;

                while (e < len && (isdigit((unsigned char)s[e]) ||
                                   s[e] == '.' || s[e] == ','))
                        e++;
                if (percent_after(s, len, e, &pexp))
                        nu->type = ENR_ENT_PERCENT;
        }
        return true;
}

/* A rate: "2,000 letters a day", "$26 a week" makes a cardinal or an
 * amount a quantity per unit of time. */
static void rate_after(const char *s, size_t len, numeral_t *nu) {
        size_t   p = nu->end, q, k, ustart = 0;
        uint32_t cs = 0, ce = 0;
        int      counted = nu->type == ENR_ENT_CARDINAL &&
                      counted_after(s, len, nu->end, &cs, &ce);

        if (counted)
                p = ce;
        p = skip_sp(s, len, p);
        q = word_at(s, len, p, "a");
        if (!q)
                q = word_at(s, len, p, "per");
        if (!q)
                q = word_at(s, len, p, "an");
        if (q && (k = list_after(s, len, p + q, TIME_UNITS, &ustart)) != 0)
                set_unit(nu, p + q + k, counted ? cs : ustart, p + q + k);
}

/* Handles one match of the numeral pattern; returns where to continue. */
static enr_err_t handle_numeral(const enr_numbers_t *n, const char *s,
                                size_t len, PCRE2_SIZE *ov, enr_field_t field,
                                enr_mentions_t *out, size_t max, size_t *next) {
        size_t         a = ov[0], b = ov[1];
        size_t         fa = ov[2 * n->g_sfx], fb = ov[2 * n->g_sfx + 1];
        int            digits = ov[2 * n->g_d] != PCRE2_UNSET;
        int            vague  = ov[2 * n->g_v] != PCRE2_UNSET;
        const char    *cur2   = NULL;
        size_t         start  = a;
        int            mexp = 0, dexp = 0;
        char           sfx[3] = "";
        char           buf[NUM_MAX_LEN + 1];
        numeral_t      nu = {.type = ENR_ENT_CARDINAL, .end = b};
        enr_mention_t *m;

        *next = b;
        if (fa != PCRE2_UNSET && fb - fa < sizeof(sfx)) {
                size_t i;

                for (i = 0; i < fb - fa; i++)
                        sfx[i] = (char)tolower((unsigned char)s[fa + i]);
                sfx[fb - fa] = '\0';
        }
        if (digits) {
                if (digits_not_ours(n, s, len, ov, sfx, &start, &nu.cur))
                        return ENR_OK;
        } else {
                start = currency_before(s, a, &nu.cur);
        }
        if (b - a > NUM_MAX_LEN)
                return ENR_OK;
        /* The value: the numeral and its scale words, without a unit
         * suffix. */
        memcpy(buf, s + a, b - a);
        buf[b - a] = '\0';
        if (digits && fa != PCRE2_UNSET) {
                if (!strcmp(sfx, "st") || !strcmp(sfx, "nd") ||
                    !strcmp(sfx, "rd") || !strcmp(sfx, "th")) {
                        nu.type = ENR_ENT_ORDINAL;
                } else if (!strcmp(sfx, "bn")) {
                        mexp = 9;
                } else if (!strcmp(sfx, "mn") || !strcmp(sfx, "m")) {
                        mexp = 6;
                } else if (!strcmp(sfx, "k")) {
                        mexp = 3;
                }
                memmove(buf + (fa - a), buf + (fb - a), b - fb + 1);
        }
        /* In decimal: the suffix, the percent and the currency unit below
         * move the exponent ("£1.7m" is 17e5, not 1.7 * 1e6). */
        if (!parse_value(buf, strlen(buf), &nu.v))
                return ENR_OK;
        if (nu.type == ENR_ENT_ORDINAL) {
                m = push(out, field, a, b, nu.type, max);
                if (!m)
                        return ENR_ERR_LIMIT;
                m->flags |= ENR_MENTF_HAS_NUM;
                m->value.num = dec_to_double(&nu.v);
                return ENR_OK;
        }
        /* A suffix "m" or "k" without a currency is a unit ("5m", "30K"). */
        if (mexp != 0 && !nu.cur && strcmp(sfx, "bn") != 0 &&
            !currency_after(s, len, b, &cur2, &dexp)) {
                m = push(out, field, a, b, ENR_ENT_QUANTITY, max);
                if (!m)
                        return ENR_ERR_LIMIT;
                m->flags |= ENR_MENTF_HAS_NUM;
                m->value.num        = dec_to_double(&nu.v);
                m->value.unit_start = (uint32_t)fa;
                m->value.unit_end   = (uint32_t)fb;
                return ENR_OK;
        }
        dec_shift(&nu.v, mexp);
        if (!numeral_type(s, len, a, b, digits, vague, &nu))
                return ENR_OK;
        if (nu.type == ENR_ENT_CARDINAL || nu.type == ENR_ENT_MONEY)
                rate_after(s, len, &nu);
        if (!digits && b + 1 < len && s[b] == '-' &&
            ordinal_word_at(s, len, b + 1))
                return ENR_OK; /* "twenty-first": an ordinal below. */
        /* "one" as a pronoun or in a name: "no one", "one another", "one
         * has to", "the last one.", "Banc One". */
        if (nu.type == ENR_ENT_CARDINAL && !vague && !digits &&
            !strncasecmp(s + a, "one", 3) && b - a == 3 &&
            one_is_pronoun(s, len, a, b))
                return ENR_OK;
        m = push(out, field, start, nu.end, nu.type, max);
        if (!m)
                return ENR_ERR_LIMIT;
        m->flags |= ENR_MENTF_HAS_NUM;
        m->value.num    = dec_to_double(&nu.v);
        m->value.approx = (uint8_t)approx_before(s, start);
        if (vague && m->value.approx == ENR_APPROX_NONE)
                m->value.approx = ENR_APPROX_MORE_THAN;
        if (nu.cur)
                memcpy(m->value.currency, nu.cur, 4);
        if (nu.has_unit) {
                m->value.unit_start = nu.us;
                m->value.unit_end   = nu.ue;
        } else if (nu.type == ENR_ENT_CARDINAL &&
                   counted_after(s, len, nu.end, &nu.us, &nu.ue)) {
                m->value.unit_start = nu.us;
                m->value.unit_end   = nu.ue;
        }
        *next = nu.end;
        return ENR_OK;
}

/* Tries the ordinal pattern at pos; returns where the match ends or 0. */
static size_t try_ordinal(const enr_numbers_t *n, enr_numbers_scratch_t *s,
                          const char *txt, size_t len, size_t pos,
                          enr_field_t field, enr_mentions_t *out, size_t max,
                          int *full) {
        PCRE2_SIZE    *ov = pcre2_get_ovector_pointer(s->md_ord);
        enr_mention_t *m;
        double         v;

        if (pcre2_match(n->ord, (PCRE2_SPTR)txt, len, pos, 0, s->md_ord, NULL) <
            0)
                return 0;
        /* "a second" is a duration. */
        if (ov[1] - ov[0] == 6 && !strncasecmp(txt + ov[0], "second", 6) &&
            ov[0] >= 2 && !strncasecmp(txt + ov[0] - 2, "a ", 2))
                return ov[1];
        if (!enr_number_parse(txt + ov[0], ov[1] - ov[0], &v))
                return ov[1];
        m = push(out, field, ov[0], ov[1], ENR_ENT_ORDINAL, max);
        if (!m) {
                *full = 1;
                return ov[1];
        }
        m->flags |= ENR_MENTF_HAS_NUM;
        m->value.num = v;
        return ov[1];
}

enr_err_t enr_numbers_extract(const enr_numbers_t *n, enr_numbers_scratch_t *s,
                              const enr_text_t *t, enr_field_t field,
                              enr_mentions_t *out, size_t max) {
        const char *txt = t->s;
        size_t      len = t->len, pos = 0;
        PCRE2_SIZE *ov   = pcre2_get_ovector_pointer(s->md_num);
        int         full = 0;

        /* The patterns are anchored: they are tried only where a match can
         * start (a digit run, or a number word), which keeps the cost per
         * article to one pass over the bytes and a few matches. */
        while (pos < len && !full) {
                unsigned char c = (unsigned char)txt[pos];
                size_t        e, next;
                enr_err_t     err;

                if (enr__kwset_class[c] == 1) {
                        unsigned char prev =
                            pos ? (unsigned char)txt[pos - 1] : ' ';

                        if (enr__kwset_class[prev] == 1 || prev == '.' ||
                            prev == ',') {
                                pos++;
                                continue;
                        }
                        e = pos + 1;
                } else if (enr__kwset_class[c] == 2) {
                        uint32_t h =
                            enr__kwset_hash_step(ENR_KWSET_HASH_INIT, c);

                        e = pos + 1;
                        while (e < len &&
                               enr__kwset_class[(unsigned char)txt[e]] == 2)
                                h = enr__kwset_hash_step(
                                    h, (unsigned char)txt[e++]);
                        if ((pos > 0 &&
                             enr__kwset_class[(unsigned char)txt[pos - 1]] ==
                                 2) ||
                            !enr__kwset_has(&n->kw, txt + pos, e - pos, h)) {
                                pos = e;
                                continue;
                        }
                } else {
                        pos++;
                        continue;
                }
                if (pcre2_match(n->num, (PCRE2_SPTR)txt, len, pos, 0, s->md_num,
                                NULL) >= 0) {
                        size_t before = out->n;

                        err = handle_numeral(n, txt, len, ov, field, out, max,
                                             &next);
                        if (err == ENR_ERR_LIMIT)
                                return ENR_OK; /* The mention limit. */
                        if (err)
                                return err;
                        /* "twenty-first": the numeral was refused, the
                         * ordinal may match. */
                        if (out->n == before && isalpha(c)) {
                                e = try_ordinal(n, s, txt, len, pos, field, out,
                                                max, &full);
                                if (e > next)
                                        next = e;
                        }
                        pos = next > pos ? next : pos + 1;
                        continue;
                }
                if (isalpha(c)) {
                        next = try_ordinal(n, s, txt, len, pos, field, out, max,
                                           &full);
                        if (next > e)
                                e = next;
                }
                pos = e;
        }
        return ENR_OK;
}
