/*
 * Dates and times: DATE and TIME mentions of one field, normalised to
 * ISO-8601 and resolved against the article's publication time.
 *
 * One pcre2 pattern (JIT-compiled once in enr_dates_new()) with a named
 * group per form finds the candidates: ISO dates, "March 13, 1996", "30
 * August 1996", "April 1994", months, weekdays, years, decades, relative
 * periods ("last week"), seasons, holidays, quarters, centuries, durations
 * ("20 years", "five-year", "a decade") and clock times ("10:36 a.m.").
 *
 * As in numbers.c, the pattern is anchored and tried only at digits, at
 * "'" before a digit ("'90s") and at words from a hashed keyword set (the
 * first words of its alternatives).
 *
 * Spans follow the OntoNotes-style IEER annotation: modifiers such as
 * "last", "next", "this", "early" and "ago" stay outside the span
 * ("Last [fall]", "[two years] ago"), but they are used for the value;
 * "Friday night" is the DATE "Friday". Durations under a day ("80
 * minutes", "10-hour") are TIME, as OntoNotes has them (IEER counts them
 * as DATE durations); race times ("4:07.13") are DATE durations as in
 * IEER.
 *
 * Values (value.date, with ENR_MENTF_HAS_DATE):
 * - what the text fixes needs no publication time: "1996-08-30",
 *   "March 1998" -> "1998-03", "1992", "the 1990s" -> "1990/1999",
 *   "the 19th century" -> "1801/1900", durations -> "P20Y", "P2W", "PT3H";
 * - with a publication time P: a weekday is the most recent such day on or
 *   before P (news reports the past), or the next one after P when the
 *   sentence speaks of the future ("will", "next", "scheduled", …); "October
 *   7" without a year takes P's year unless that puts it more than a month
 *   after P in a past context (news reports the past: then the previous
 *   year), more than six months after P in a future context (previous
 *   year too), or more than six months before P in a future context (then
 *   the next year); months alike; "last week" -> the
 *   ISO week before P's ("1998-W10"); "this month" / "earlier this month"
 *   -> P's month; "last year" -> P's year minus one; "yesterday" -> P - 1
 *   day; seasons -> their months ("1997-06/1997-08"); "two years ago" ->
 *   the year two years before P; holidays -> their date in the year chosen
 *   as for "October 7";
 * - without a publication time, relative expressions get no value.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "kwset.h"
#include "enricher/clock.h"
#include "enricher/dates.h"
#include "enricher/numbers.h"

#define MON                                                                    \
        "(?:January|February|March|April|May|June|July|August|September|"      \
        "October|November|December|Jan\\.|Feb\\.|Mar\\.|Apr\\.|Aug\\.|"        \
        "Sept\\.|Sep\\.|Oct\\.|Nov\\.|Dec\\.|Jan|Feb|Aug|Sept|Oct|Nov|Dec)"
#define DAY  "(?:3[01]|[12]\\d|0?[1-9])(?:st|nd|rd|th)?"
#define YEAR "(?:1[5-9]\\d\\d|20\\d\\d)"
#define NW                                                                     \
        "(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"   \
        "thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|"       \
        "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|"       \
        "half|a\\s+half)"
#define NUMW                                                                   \
        "(?:\\d+(?:[.,]\\d+)?|(?i:" NW "(?:(?:[\\s-]+and[\\s-]+|[\\s-]+)" NW   \
        ")*))"
#define UNIT                                                                   \
        "(?i:years?|months?|weeks?|days?|decades?|centuries|century|"          \
        "hours?|minutes?|seconds?|nights?|yrs?)"
#define WEEKDAY "(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
#define ORDW                                                                   \
        "(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|"       \
        "tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|"    \
        "seventeenth|eighteenth|nineteenth|twentieth|twenty-first|"            \
        "\\d{1,2}(?:st|nd|rd|th))"

/* The alternatives, longest forms first: pcre2 takes the first one that
 * matches at a position. */
#define DATE_PATTERN                                                           \
        "(?<iso>\\b(?:1[89]|20)\\d\\d-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\\d|"    \
        "3[01])(?:T\\d\\d:\\d\\d(?::\\d\\d)?)?\\b)"                            \
        "|(?<md>\\b(?<m1>" MON ")\\s+(?<d1>" DAY                               \
        ")\\b(?!:)(?:,?\\s+(?<y1>" YEAR ")\\b)?)"                              \
        "|(?<dm>\\b(?<d2>" DAY ")\\s+(?<m2>" MON ")(?:,?\\s+(?<y2>" YEAR       \
        "))?\\b)"                                                              \
        "|(?<my>\\b(?<m3>" MON "),?\\s+(?<y3>" YEAR ")\\b)"                    \
        "|(?<hol>\\b(?:Christmas(?:\\s+Day|\\s+Eve)?|New\\s+Year's(?:\\s+Day|" \
        "\\s+Eve)?|Easter(?:\\s+Sunday)?|Good\\s+Friday|Thanksgiving(?:\\s+"   \
        "Day)?|Memorial\\s+Day|Labor\\s+Day|Independence\\s+Day|Veterans\\s+"  \
        "Day|Valentine's\\s+Day|Halloween|Fourth\\s+of\\s+July|Jewish\\s+"     \
        "Sabbath|Boxing\\s+Day|May\\s+Day|Ramadan|Passover|Hanukkah|Yom\\s+"   \
        "Kippur|Rosh\\s+Hashanah)\\b)"                                         \
        "|(?<wd>\\b" WEEKDAY "s?\\b|\\b(?:Mon|Tues|Tue|Wed|Thurs|Thu|Fri|"     \
        "Sat)\\.)"                                                             \
        "|(?<mo>\\b(?:January|February|March|April|May|June|July|August|"      \
        "September|October|November|December)\\b)"                             \
        "|(?<cen>\\b(?i:" ORDW ")[\\s-](?i:century)\\b)"                       \
        "|(?<qtr>\\b(?i:first|second|third|fourth|1st|2nd|3rd|4th)[\\s-]"      \
        "(?i:quarter)\\b)"                                                     \
        "|(?<fy>\\b(?:" YEAR "\\s+)?(?i:fiscal)\\s+(?:(?i:year)(?:\\s+" YEAR   \
        ")?|" YEAR ")\\b)"                                                     \
        "|(?<tm>\\b(?:[01]?\\d|2[0-3])(?::[0-5]\\d)?\\s*(?:a\\.m\\.|p\\.m\\.|" \
        "(?i:am|pm)\\b)|\\b(?:[01]?\\d|2[0-3]):[0-5]\\d\\b(?![:.]\\d)|"        \
        "\\b(?i:noon|midnight)\\b)"                                            \
        "|(?<race>\\b\\d{1,2}:\\d\\d(?:[.:]\\d+)+\\b)"                         \
        "|(?<dec>\\b(?:1[5-9]|20)\\d0s\\b|'\\d0s\\b)"                          \
        "|(?<dur>\\b" NUMW "(?:[\\s-]+and[\\s-]+a[\\s-]+half)?[\\s-]+" UNIT    \
        "\\b(?:\\s+\\d+(?:\\.\\d+)?\\s+(?i:seconds?|minutes?)\\b)?)"           \
        "|(?<vdur>\\b(?i:several|few|many)\\s+" UNIT "\\b)"                    \
        "|(?<adur>(?<=(?i)\\ba\\s|\\ban\\s|single\\s|\\bthe\\spast\\s|"        \
        "\\bthe\\slast\\s|\\bthe\\snext\\s|\\bthe\\scoming\\s|"                \
        "\\bthe\\sprevious\\s)(?:(?i:year|month|week|decade|century|"          \
        "day|night|hour|minute|quarter-century)\\b))"                          \
        "|(?<rel>\\b(?i:today|yesterday|tomorrow|tonight)\\b)"                 \
        "|(?<rp>(?<=(?i)\\blast\\s|\\bnext\\s|\\bthis\\s|\\bpast\\s|"          \
        "\\bcoming\\s|\\bprevious\\s)(?i:week|"                                \
        "weekend|month|year|quarter|decade|century)\\b)"                       \
        "|(?<sea>\\b(?i:spring|summer|autumn|winter|fall)\\b)"                 \
        "|(?<ldur>\\b(?i:all-day|all-night|year-long|day-long|week-long|"      \
        "month-long|yearlong|quarter-century)\\b)"                             \
        "|(?<yr>\\b(?<![$\\d.,])" YEAR "(?:\\s+(?:B\\.C\\.|A\\.D\\.|BC|AD)"    \
        "(?!\\w))?(?!\\d|,\\d|\\.\\d|\\s?%)(?!\\s?(?i:percent|per\\s+cent)))"

/* The named groups, looked up once. */
enum {
        G_ISO,
        G_MD,
        G_M1,
        G_D1,
        G_Y1,
        G_DM,
        G_D2,
        G_M2,
        G_Y2,
        G_MY,
        G_M3,
        G_Y3,
        G_HOL,
        G_WD,
        G_MO,
        G_CEN,
        G_QTR,
        G_FY,
        G_TM,
        G_RACE,
        G_DEC,
        G_DUR,
        G_VDUR,
        G_ADUR,
        G_REL,
        G_RP,
        G_SEA,
        G_LDUR,
        G_YR,
        G__COUNT
};

static const char *const GROUP_NAMES[G__COUNT] = {
    "iso", "md",  "m1",   "d1",   "y1",  "dm",  "d2",  "m2",   "y2", "my",
    "m3",  "y3",  "hol",  "wd",   "mo",  "cen", "qtr", "fy",   "tm", "race",
    "dec", "dur", "vdur", "adur", "rel", "rp",  "sea", "ldur", "yr"};


/* The first words of every alternative of DATE_PATTERN. */
static const char *const KEYWORDS[] = {
    "january",    "february",     "march",     "april",        "may",
    "june",       "july",         "august",    "september",    "october",
    "november",   "december",     "jan",       "feb",          "mar",
    "apr",        "aug",          "sept",      "sep",          "oct",
    "nov",        "dec",          "monday",    "tuesday",      "wednesday",
    "thursday",   "friday",       "saturday",  "sunday",       "mondays",
    "tuesdays",   "wednesdays",   "thursdays", "fridays",      "saturdays",
    "sundays",    "mon",          "tue",       "tues",         "wed",
    "thu",        "thurs",        "fri",       "sat",          "christmas",
    "new",        "easter",       "good",      "thanksgiving", "memorial",
    "labor",      "independence", "veterans",  "valentine",    "halloween",
    "fourth",     "jewish",       "boxing",    "ramadan",      "passover",
    "hanukkah",   "yom",          "rosh",      "first",        "second",
    "third",      "fifth",        "sixth",     "seventh",      "eighth",
    "ninth",      "tenth",        "eleventh",  "twelfth",      "thirteenth",
    "fourteenth", "fifteenth",    "sixteenth", "seventeenth",  "eighteenth",
    "nineteenth", "twentieth",    "fiscal",    "noon",         "midnight",
    "one",        "two",          "three",     "four",         "five",
    "six",        "seven",        "eight",     "nine",         "ten",
    "eleven",     "twelve",       "thirteen",  "fourteen",     "fifteen",
    "sixteen",    "seventeen",    "eighteen",  "nineteen",     "twenty",
    "thirty",     "forty",        "fifty",     "sixty",        "seventy",
    "eighty",     "ninety",       "hundred",   "half",         "several",
    "few",        "many",         "year",      "month",        "week",
    "weekend",    "decade",       "century",   "day",          "night",
    "hour",       "minute",       "quarter",   "today",        "yesterday",
    "tomorrow",   "tonight",      "spring",    "summer",       "autumn",
    "winter",     "fall",         "all",       "yearlong",     NULL};


struct enr_dates {
        enr_kwset_t kw; /* Words a match can start with. */
        pcre2_code *re;
        uint32_t    g[G__COUNT]; /* Group numbers by G_*. */
};

struct enr_dates_scratch {
        pcre2_match_data *md;
};

enr_dates_t *enr_dates_new(char *errstr, size_t errstr_size) {
        enr_dates_t *d = calloc(1, sizeof(*d));
        int          rc, i;
        PCRE2_SIZE   off;

        if (!d) {
                enr_set_errstr(errstr, errstr_size, "out of memory");
                return NULL;
        }
        enr__kwset_init(&d->kw, KEYWORDS);
        /* Anchored at compile time (JIT does not support the match-time
         * option): the pattern is tried only where a match can start. */
        d->re = pcre2_compile((PCRE2_SPTR)DATE_PATTERN, PCRE2_ZERO_TERMINATED,
                              PCRE2_ANCHORED, &rc, &off, NULL);
        if (!d->re) {
                PCRE2_UCHAR msg[160];

                pcre2_get_error_message(rc, msg, sizeof(msg));
                enr_set_errstr(errstr, errstr_size,
                               "dates: pattern error at %zu: %s", (size_t)off,
                               (const char *)msg);
                free(d);
                return NULL;
        }
        /* Without JIT (an unsupported CPU) the interpreter is used. */
        (void)pcre2_jit_compile(d->re, PCRE2_JIT_COMPLETE);
        for (i = 0; i < G__COUNT; i++) {
                rc = pcre2_substring_number_from_name(
                    d->re, (PCRE2_SPTR)GROUP_NAMES[i]);
                if (rc <= 0) {
                        enr_set_errstr(errstr, errstr_size,
                                       "dates: no group %s", GROUP_NAMES[i]);
                        enr_dates_destroy(d);
                        return NULL;
                }
                d->g[i] = (uint32_t)rc;
        }
        return d;
}

void enr_dates_destroy(enr_dates_t *d) {
        if (!d)
                return;
        pcre2_code_free(d->re);
        free(d);
}

enr_dates_scratch_t *enr_dates_scratch_new(const enr_dates_t *d) {
        enr_dates_scratch_t *s = calloc(1, sizeof(*s));

        if (!s)
                return NULL;
        s->md = pcre2_match_data_create_from_pattern(d->re, NULL);
        if (!s->md) {
                free(s);
                return NULL;
        }
        return s;
}

void enr_dates_scratch_destroy(enr_dates_scratch_t *s) {
        if (!s)
                return;
        pcre2_match_data_free(s->md);
        free(s);
}

/*
 * Calendar arithmetic on days since 1970-01-01 (proleptic Gregorian; H.
 * Hinnant's algorithms).
 */

static void civil_from_days(int64_t z, int *y, int *m, int *d) {
        int64_t  era;
        unsigned doe, yoe, doy, mp;

        z += 719468;
        era = (z >= 0 ? z : z - 146096) / 146097;
        doe = (unsigned)(z - era * 146097);
        yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        mp  = (5 * doy + 2) / 153;
        *d  = (int)(doy - (153 * mp + 2) / 5 + 1);
        *m  = (int)(mp < 10 ? mp + 3 : mp - 9);
        *y  = (int)((int64_t)yoe + era * 400 + (*m <= 2));
}

/* 0 = Monday … 6 = Sunday. */
static int weekday(int64_t days) {
        int64_t w = (days + 3) % 7; /* 1970-01-01 was a Thursday. */

        return (int)(w < 0 ? w + 7 : w);
}

static int days_in_month(int y, int m) {
        static const int dm[] = {31, 28, 31, 30, 31, 30,
                                 31, 31, 30, 31, 30, 31};

        if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
                return 29;
        return dm[m - 1];
}

static void fmt_day(char *buf, size_t size, int64_t days) {
        int y, m, d;

        civil_from_days(days, &y, &m, &d);
        snprintf(buf, size, "%04d-%02d-%02d", y, m, d);
}

/* The ISO week of a day: "1998-W10". */
static void fmt_week(char *buf, size_t size, int64_t days) {
        int64_t thu = days - weekday(days) + 3;
        int     y, m, d;
        int64_t jan1;

        civil_from_days(thu, &y, &m, &d);
        jan1 = enr_days_from_civil(y, 1, 1);
        snprintf(buf, size, "%04d-W%02d", y, (int)((thu - jan1) / 7 + 1));
}

/* Easter Sunday of year y (anonymous Gregorian algorithm). */
static int64_t easter(int y) {
        int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4;
        int f = (b + 8) / 25, g = (b - f + 1) / 3;
        int h = (19 * a + b - d - g + 15) % 30, i = c / 4, k = c % 4;
        int l     = (32 + 2 * e + 2 * i - h - k) % 7;
        int m     = (a + 11 * h + 22 * l) / 451;
        int month = (h + l - 7 * m + 114) / 31;
        int day   = ((h + l - 7 * m + 114) % 31) + 1;

        return enr_days_from_civil(y, month, day);
}

/* The n-th (1-based; -1 = last) weekday wd (0 = Monday) of a month. */
static int64_t nth_weekday(int y, int m, int wd, int n) {
        int64_t first, day;

        if (n > 0) {
                first = enr_days_from_civil(y, m, 1);
                day   = first + ((wd - weekday(first) + 7) % 7);
                return day + 7 * (n - 1);
        }
        first = enr_days_from_civil(y, m, days_in_month(y, m));
        return first - ((weekday(first) - wd + 7) % 7);
}

/*
 * Text helpers.
 */

static int is_alpha(char c) {
        return isalpha((unsigned char)c) != 0;
}

static const char *const MONTH_NAMES[] = {"jan", "feb", "mar", "apr",
                                          "may", "jun", "jul", "aug",
                                          "sep", "oct", "nov", "dec"};

/* The month (1-12) named at s, or 0. */
static int month_of(const char *s, size_t len) {
        int  i;
        char w[4];

        if (len < 3)
                return 0;
        for (i = 0; i < 3; i++)
                w[i] = (char)tolower((unsigned char)s[i]);
        w[3] = '\0';
        for (i = 0; i < 12; i++)
                if (!strcmp(w, MONTH_NAMES[i]))
                        return i + 1;
        return 0;
}

/* The weekday (0 = Monday) named at s, or -1. */
static int weekday_of(const char *s) {
        static const char *const w[] = {"Mon", "Tue", "Wed", "Thu",
                                        "Fri", "Sat", "Sun"};
        int                      i;

        for (i = 0; i < 7; i++)
                if (!strncmp(s, w[i], 3))
                        return i;
        return -1;
}

/* The lower-cased word ending just before pos (spaces skipped), into w. */
static void word_before(const char *s, size_t pos, char *w, size_t size) {
        size_t p = pos, e, n = 0;

        while (p > 0 && s[p - 1] == ' ')
                p--;
        e = p;
        while (p > 0 && (is_alpha(s[p - 1]) || s[p - 1] == '\''))
                p--;
        while (p < e && n + 1 < size)
                w[n++] = (char)tolower((unsigned char)s[p++]);
        w[n] = '\0';
}

/* Where the word before pos starts (spaces skipped). */
static size_t word_before_start(const char *s, size_t pos) {
        size_t p = pos;

        while (p > 0 && s[p - 1] == ' ')
                p--;
        while (p > 0 && is_alpha(s[p - 1]))
                p--;
        return p;
}

/* Whether the sentence before pos speaks of the future. */
static int future_context(const char *s, size_t pos) {
        static const char *const cues[] = {
            " will ",  "'ll ",       " shall ",    " next ",    " scheduled",
            " to be ", " going to ", " plans ",    " planned ", " expected to ",
            " due ",   " until ",    " upcoming ", " will",     NULL};
        size_t start = pos > 100 ? pos - 100 : 0, p, i;
        char   buf[128];

        for (p = pos; p > start; p--)
                if (s[p - 1] == '.' || s[p - 1] == '!' || s[p - 1] == '?' ||
                    s[p - 1] == '\n')
                        break;
        if (pos - p >= sizeof(buf) - 2)
                p = pos - (sizeof(buf) - 2);
        buf[0] = ' ';
        for (i = 0; p + i < pos; i++)
                buf[i + 1] = (char)tolower((unsigned char)s[p + i]);
        buf[i + 1] = '\0';
        for (i = 0; cues[i]; i++)
                if (strstr(buf, cues[i]))
                        return 1;
        return 0;
}

/* A resolved modifier before a relative expression. */
typedef enum rel_mod { MOD_NONE = 0, MOD_LAST, MOD_NEXT, MOD_THIS } rel_mod_t;

static rel_mod_t modifier_before(const char *s, size_t pos) {
        char w[16];

        word_before(s, pos, w, sizeof(w));
        if (!strcmp(w, "last") || !strcmp(w, "past") || !strcmp(w, "previous"))
                return MOD_LAST;
        if (!strcmp(w, "next") || !strcmp(w, "coming"))
                return MOD_NEXT;
        if (!strcmp(w, "this"))
                return MOD_THIS;
        return MOD_NONE;
}

/* The year for month m, day d without a written year, published on day p. */
static int pick_year(int64_t pub_days, int m, int d, int future) {
        int     y, pm, pd;
        int64_t cand;

        civil_from_days(pub_days, &y, &pm, &pd);
        if (d > days_in_month(y, m))
                d = days_in_month(y, m);
        cand = enr_days_from_civil(y, m, d);
        if (cand > pub_days + (future ? 183 : 31))
                return y - 1;
        if (future && cand < pub_days - 183)
                return y + 1;
        return y;
}

/* The number written with up to 9 digits at s[pos..len) (the text is not
 * terminated, so atoi() cannot be used). */
static int digits_at(const char *s, size_t len, size_t pos) {
        int    v = 0;
        size_t n = 0;

        while (pos < len && n < 9 && isdigit((unsigned char)s[pos])) {
                v = v * 10 + (s[pos++] - '0');
                n++;
        }
        return v;
}

/* Sets a date value on m. */
static void set_date(enr_mention_t *m, const char *v) {
        snprintf(m->value.date, sizeof(m->value.date), "%s", v);
        m->flags |= ENR_MENTF_HAS_DATE;
}

/* The state of one extraction. */
typedef struct ctx {
        const char     *s;
        size_t          len;
        enr_field_t     field;
        int64_t         pub;     /* Publication day (days since epoch), or */
        int             has_pub; /* not. */
        enr_mentions_t *out;
        size_t          max;
        PCRE2_SIZE     *ov;
        const uint32_t *g;
        int             full;     /* The mention limit was reached. */
        size_t          last_end; /* End of the last mention pushed. */
} ctx_t;

static int grp(const ctx_t *c, int gi, size_t *a, size_t *b) {
        PCRE2_SIZE x = c->ov[2 * c->g[gi]];

        if (x == PCRE2_UNSET)
                return 0;
        *a = x;
        *b = c->ov[2 * c->g[gi] + 1];
        return 1;
}

static enr_mention_t *push(ctx_t *c, size_t a, size_t b, enr_ent_type_t type) {
        enr_mention_t *m;

        if (b <= a)
                return NULL;
        m = enr_mentions_push(c->out, c->field, (uint32_t)a, (uint32_t)b, type,
                              c->max);
        if (!m) {
                c->full = 1;
                return NULL;
        }
        m->source = ENR_SRC_DATE;
        m->score  = 0.8f;
        if (b > c->last_end)
                c->last_end = b;
        return m;
}

/* "1997-98", "May 1-31": the second half of a range after [.., end). */
static void range_tail(ctx_t *c, size_t end, int y, int m, int is_year) {
        const char    *s = c->s;
        size_t         e = end + 1;
        enr_mention_t *x;
        int            v;
        char           buf[40];

        if (end + 2 >= c->len || s[end] != '-' || !isdigit((unsigned char)s[e]))
                return;
        while (e < c->len && isdigit((unsigned char)s[e]))
                e++;
        if (e - end - 1 > 2 || (e < c->len && (is_alpha(s[e]) || s[e] == ':')))
                return;
        v = digits_at(s, c->len, end + 1);
        if (is_year) {
                int full = (y / 100) * 100 + v;

                if (full < y)
                        full += 100;
                x = push(c, end + 1, e, ENR_ENT_DATE);
                if (x) {
                        snprintf(buf, sizeof(buf), "%04d", full);
                        set_date(x, buf);
                }
                return;
        }
        if (v < 1 || v > 31)
                return;
        x = push(c, end + 1, e, ENR_ENT_DATE);
        if (x && y > 0 && v <= days_in_month(y, m)) {
                snprintf(buf, sizeof(buf), "%04d-%02d-%02d", y, m, v);
                set_date(x, buf);
        }
}

/* A duration's ISO-8601 form from count and unit ("P20Y", "PT3H"). */
static void fmt_duration(char *buf, size_t size, double n, const char *unit) {
        char        u   = (char)tolower((unsigned char)unit[0]);
        const char *pfx = "P";
        char        c   = 'D';

        switch (u) {
        case 'y':
                c = 'Y';
                break;
        case 'w':
                c = 'W';
                break;
        case 'd':
                if (tolower((unsigned char)unit[1]) == 'e') {
                        n *= 10; /* decade */
                        c = 'Y';
                }
                break;
        case 'c':
                n *= 100;
                c = 'Y';
                break;
        case 'h':
                pfx = "PT";
                c   = 'H';
                break;
        case 's':
                pfx = "PT";
                c   = 'S';
                break;
        case 'n': /* night */
                c = 'D';
                break;
        case 'm':
                if (tolower((unsigned char)unit[1]) == 'i') {
                        pfx = "PT";
                        c   = 'M';
                } else {
                        c = 'M';
                }
                break;
        }
        /* Up to 15 significant digits: a count in full ("PT1234567S", where
         * %g wrote 1.23457e+06), without the binary noise that scaling
         * decades and centuries can add (1.1 * 100 is 110.00000000000001). */
        snprintf(buf, size, "%s%.15g%c", pfx, n, c);
}

/* Whether "a day" at pos ends a rate: a number among the three words
 * before "a" ("RM1,000 a day", "seven days a week", "letters a day"). */
static int rate_before(const char *s, size_t pos) {
        size_t p = word_before_start(s, pos), w, q;

        for (w = 0; w < 3 && p > 0; w++) {
                while (p > 0 && s[p - 1] == ' ')
                        p--;
                q = p;
                while (p > 0 && s[p - 1] != ' ' && s[p - 1] != '\n')
                        p--;
                for (; q > p; q--)
                        if (isdigit((unsigned char)s[q - 1]))
                                return 1;
                {
                        double v;
                        size_t e = p;

                        while (e < pos && is_alpha(s[e]))
                                e++;
                        if (e > p && enr_number_parse(s + p, e - p, &v))
                                return 1;
                        if (e - p >= 3 && (!strncasecmp(s + p, "days", 4) ||
                                           !strncasecmp(s + p, "hours", 5) ||
                                           !strncasecmp(s + p, "times", 5)))
                                return 1;
                }
                if (s[p] == '.' || (p > 0 && (s[p - 1] == '\n')))
                        break;
        }
        return 0;
}

/* Handles a duration "NUM unit" at [a, b) with the unit at [ua, ub). */
static void duration(ctx_t *c, size_t a, size_t b, size_t na, size_t nb,
                     size_t ua) {
        const char    *s = c->s;
        size_t         q;
        double         n = 0;
        char           buf[40];
        enr_mention_t *m;
        char           u       = (char)tolower((unsigned char)s[ua]);
        int            sub_day = u == 'h' || u == 's' ||
                      (u == 'm' && tolower((unsigned char)s[ua + 1]) == 'i');

        /* "20-year-old", "15 years old": an age, for numbers.c. */
        q = b;
        if (q + 4 <= c->len && (s[q] == '-' || s[q] == ' ') &&
            !strncmp(s + q + 1, "old", 3) &&
            (q + 4 == c->len || !is_alpha(s[q + 4])))
                return;
        if (q + 7 <= c->len && !strncmp(s + q, " of age", 7))
                return;
        if (a > 0 && s[a - 1] == '$')
                return;
        /* "two to three years": the first count is a duration too. */
        {
                size_t p = a, e;
                char   w[8];

                word_before(s, a, w, sizeof(w));
                if (!strcmp(w, "to") || !strcmp(w, "or")) {
                        p = word_before_start(s, a);
                        while (p > 0 && s[p - 1] == ' ')
                                p--;
                        e = p;
                        while (p > 0 && (is_alpha(s[p - 1]) ||
                                         isdigit((unsigned char)s[p - 1])))
                                p--;
                        if (e > p && (p == 0 || s[p - 1] == ' ') &&
                            enr_number_parse(s + p, e - p, &n))
                                push(c, p, e,
                                     sub_day ? ENR_ENT_TIME : ENR_ENT_DATE);
                }
        }
        m = push(c, a, b, sub_day ? ENR_ENT_TIME : ENR_ENT_DATE);
        if (!m)
                return;
        if (nb > na && !enr_number_parse(s + na, nb - na, &n))
                return;
        if (nb == na)
                n = 1;
        /* "two years ago" is a point in time. */
        q = b;
        while (q < c->len && s[q] == ' ')
                q++;
        /* A count beyond a million is no date (and would overflow the
         * int conversion). */
        if (c->has_pub && q + 3 <= c->len && !strncmp(s + q, "ago", 3) &&
            n >= -1e6 && n <= 1e6 && n == (double)(int)n) {
                int y, mo, d;

                civil_from_days(c->pub, &y, &mo, &d);
                if (u == 'y') {
                        snprintf(buf, sizeof(buf), "%04d", y - (int)n);
                } else if (u == 'm' && !sub_day) {
                        int k = y * 12 + (mo - 1) - (int)n;

                        snprintf(buf, sizeof(buf), "%04d-%02d", k / 12,
                                 k % 12 + 1);
                } else if (u == 'w') {
                        fmt_week(buf, sizeof(buf), c->pub - 7 * (int64_t)n);
                } else if (u == 'd') {
                        fmt_day(buf, sizeof(buf), c->pub - (int64_t)n);
                } else {
                        fmt_duration(buf, sizeof(buf), n, s + ua);
                }
                set_date(m, buf);
                return;
        }
        fmt_duration(buf, sizeof(buf), n, s + ua);
        set_date(m, buf);
}

/* Season months of year y: spring 3-5, summer 6-8, fall 9-11, winter 12-2
 * (northern hemisphere). */
static void fmt_season(char *buf, size_t size, int y, int season) {
        static const int first[] = {3, 6, 9, 12};

        if (season == 3)
                snprintf(buf, size, "%04d-12/%04d-02", y, y + 1);
        else
                snprintf(buf, size, "%04d-%02d/%04d-%02d", y, first[season], y,
                         first[season] + 2);
}

/* An ISO date, "2024-01-31", as written. */
static void iso_date(ctx_t *c, size_t a, size_t b) {
        const char    *s = c->s;
        enr_mention_t *m;
        char           buf[40];

        m = push(c, a, b, ENR_ENT_DATE);
        if (m) {
                snprintf(buf, sizeof(buf), "%.*s", (int)(b - a), s + a);
                set_date(m, buf);
        }
}

/* A month and a day in either order, with or without a year ("January 31", "31
 * Jan 2024"); a missing year from the publication date. */
static void month_day(ctx_t *c, size_t a, size_t b) {
        const char    *s = c->s;
        enr_mention_t *m;
        char           buf[40];
        size_t         ma = 0, mb = 0, da = 0, db = 0, ya = 0, yb = 0;
        int            mo, d, yr = 0, fut = future_context(s, a);

        if (!grp(c, G_M1, &ma, &mb)) {
                grp(c, G_M2, &ma, &mb);
                grp(c, G_D2, &da, &db);
                if (grp(c, G_Y2, &ya, &yb))
                        yr = digits_at(s, c->len, ya);
        } else {
                grp(c, G_D1, &da, &db);
                if (grp(c, G_Y1, &ya, &yb))
                        yr = digits_at(s, c->len, ya);
        }
        mo = month_of(s + ma, mb - ma);
        d  = digits_at(s, c->len, da);
        {
                char w[16];

                word_before(s, a, w, sizeof(w));
                if (!strcmp(w, "by") || !strcmp(w, "until") ||
                    !strcmp(w, "before") || !strcmp(w, "till"))
                        fut = 1;
        }
        if (!yr && c->has_pub)
                yr = pick_year(c->pub, mo, d, fut);
        m = push(c, a, b, ENR_ENT_DATE);
        if (m && yr && mo && d <= days_in_month(yr, mo)) {
                snprintf(buf, sizeof(buf), "%04d-%02d-%02d", yr, mo, d);
                set_date(m, buf);
        }
        range_tail(c, b, yr, mo, 0);
}

/* A month and a year, "January 2024". */
static void month_year(ctx_t *c, size_t a, size_t b) {
        const char    *s = c->s;
        enr_mention_t *m;
        char           buf[40];
        size_t         ma = 0, mb = 0, ya = 0, yb = 0;

        grp(c, G_M3, &ma, &mb);
        grp(c, G_Y3, &ya, &yb);
        m = push(c, a, b, ENR_ENT_DATE);
        if (m) {
                snprintf(buf, sizeof(buf), "%04d-%02d",
                         digits_at(s, c->len, ya), month_of(s + ma, mb - ma));
                set_date(m, buf);
        }
}

/* A month name alone, its year from the publication date and a "last"/"next"
 * before it. */
static void month_name(ctx_t *c, size_t a, size_t b) {
        const char    *s = c->s;
        enr_mention_t *m;
        char           buf[40];
        int            py = 0, pm = 0, pd = 0;
        char           w[16];
        int            mo = month_of(s + a, b - a);
        rel_mod_t      mod;

        if (c->has_pub)
                civil_from_days(c->pub, &py, &pm, &pd);

        word_before(s, a, w, sizeof(w));
        /* "May" and "March" are words too; "August Wilson" a name. */
        if ((mo == 5 || mo == 3) &&
            !(strcmp(w, "in") == 0 || !strcmp(w, "since") || !strcmp(w, "by") ||
              !strcmp(w, "until") || !strcmp(w, "from") || !strcmp(w, "of") ||
              !strcmp(w, "early") || !strcmp(w, "late") || !strcmp(w, "mid") ||
              !strcmp(w, "last") || !strcmp(w, "next") || !strcmp(w, "this") ||
              !strcmp(w, "before") || !strcmp(w, "after") ||
              !strcmp(w, "through") || !strcmp(w, "to") ||
              !strcmp(w, "between") || !strcmp(w, "and") ||
              !strcmp(w, "during")))
                return;
        if (b + 1 < c->len && s[b] == ' ' && isupper((unsigned char)s[b + 1]) &&
            mo != 5 && mo != 3 && strcmp(w, "in") != 0)
                return;
        m = push(c, a, b, ENR_ENT_DATE);
        if (m && c->has_pub) {
                int yr;

                mod = modifier_before(s, a);
                yr  = pick_year(c->pub, mo, 1,
                                future_context(s, a) || mod == MOD_NEXT);
                if (mod == MOD_LAST && mo >= pm)
                        yr = py - 1;
                else if (mod == MOD_NEXT && mo <= pm)
                        yr = py + 1;
                snprintf(buf, sizeof(buf), "%04d-%02d", yr, mo);
                set_date(m, buf);
        }
}

/* A weekday, the nearest one before the publication date, or after it in a
 * future context or after "next". */
static void weekday_name(ctx_t *c, size_t a, size_t b) {
        const char    *s = c->s;
        enr_mention_t *m;
        char           buf[40];
        int            wd = weekday_of(s + a);
        rel_mod_t      mod;
        int            pw;
        int64_t        day;

        if (wd < 0)
                return;
        m = push(c, a, b, ENR_ENT_DATE);
        /* A plural ("on Thursdays") recurs: no single date. */
        if (!m || !c->has_pub || s[b - 1] == 's')
                return;
        mod = modifier_before(s, a);
        pw  = weekday(c->pub);
        if (mod == MOD_NEXT || (mod == MOD_NONE && future_context(s, a))) {
                day = c->pub + ((wd - pw + 7) % 7);
                if (mod == MOD_NEXT && day == c->pub)
                        day += 7;
        } else {
                day = c->pub - ((pw - wd + 7) % 7);
                if (mod == MOD_LAST && day == c->pub)
                        day -= 7;
        }
        fmt_day(buf, sizeof(buf), day);
        set_date(m, buf);
}

/* A holiday of the publication year. */
static void holiday(ctx_t *c, size_t a, size_t b) {
        const char    *s = c->s;
        enr_mention_t *m;
        char           buf[40];
        int            py = 0, pm = 0, pd = 0;
        int64_t        day = 0;
        int            yr, have = 1;
        char           h = s[a];

        m = push(c, a, b, ENR_ENT_DATE);
        if (!m || !c->has_pub)
                return;
        civil_from_days(c->pub, &py, &pm, &pd);
        yr = py;
        if (h == 'C')
                day = enr_days_from_civil(
                    yr, 12, s[b - 1] == 'e' && b - a > 10 ? 24 : 25);
        else if (h == 'N')
                day = enr_days_from_civil(yr, 1, 1);
        else if (h == 'E')
                day = easter(yr);
        else if (h == 'G')
                day = easter(yr) - 2;
        else if (h == 'T')
                day = nth_weekday(yr, 11, 3, 4);
        else if (h == 'M' && s[a + 1] == 'e')
                day = nth_weekday(yr, 5, 0, -1);
        else if (h == 'L')
                day = nth_weekday(yr, 9, 0, 1);
        else if (h == 'I' || h == 'F')
                day = enr_days_from_civil(yr, 7, 4);
        else if (h == 'H' && s[a + 1] == 'a' && s[a + 2] == 'l')
                day = enr_days_from_civil(yr, 10, 31);
        else if (h == 'V' && s[a + 1] == 'a')
                day = enr_days_from_civil(yr, 2, 14);
        else if (h == 'V')
                day = enr_days_from_civil(yr, 11, 11);
        else if (h == 'B')
                day = enr_days_from_civil(yr, 12, 26);
        else if (h == 'M')
                day = enr_days_from_civil(yr, 5, 1);
        else
                have = 0;
        if (have) {
                fmt_day(buf, sizeof(buf), day);
                set_date(m, buf);
        }
}

/* A century, "the 20th century" as 1901/2000. */
static void century(ctx_t *c, size_t a, size_t b) {
        const char    *s = c->s;
        enr_mention_t *m;
        char           buf[40];
        double         n = 0;
        size_t         e = a;

        if (isupper((unsigned char)s[b - 7]) && b + 1 < c->len && s[b] == ' ' &&
            isupper((unsigned char)s[b + 1]))
                return; /* "20th Century Fox" */
        while (e < b && s[e] != ' ' && s[e] != '-')
                e++;
        if (e < b && s[e] == '-' && tolower((unsigned char)s[e + 1]) != 'c')
                while (
                    e < b && s[e] != ' ' &&
                    !(s[e] == '-' && tolower((unsigned char)s[e + 1]) == 'c'))
                        e++;
        m = push(c, a, b, ENR_ENT_DATE);
        if (m && enr_number_parse(s + a, e - a, &n) && n >= 1 && n <= 30) {
                snprintf(buf, sizeof(buf), "%04d/%04d", (int)(n - 1) * 100 + 1,
                         (int)n * 100);
                set_date(m, buf);
        }
}

/* A quarter of the publication year, "the third quarter". */
static void quarter(ctx_t *c, size_t a, size_t b) {
        const char    *s = c->s;
        enr_mention_t *m;
        char           buf[40];
        int            py = 0, pm = 0, pd = 0;
        double         q = 0;
        size_t         e = a;

        if (c->has_pub)
                civil_from_days(c->pub, &py, &pm, &pd);

        while (e < b && s[e] != ' ' && s[e] != '-')
                e++;
        m = push(c, a, b, ENR_ENT_DATE);
        if (m && c->has_pub && enr_number_parse(s + a, e - a, &q)) {
                snprintf(buf, sizeof(buf), "%04d-Q%d", py, (int)q);
                set_date(m, buf);
        }
}

/* A fiscal year, "FY2024": its year. */
static void fiscal_year(ctx_t *c, size_t a, size_t b) {
        const char    *s = c->s;
        enr_mention_t *m;
        char           buf[40];
        size_t         p;

        m = push(c, a, b, ENR_ENT_DATE);
        for (p = a; m && p + 4 <= b; p++) {
                if (isdigit((unsigned char)s[p]) &&
                    isdigit((unsigned char)s[p + 3])) {
                        snprintf(buf, sizeof(buf), "%.4s", s + p);
                        set_date(m, buf);
                        break;
                }
        }
}

/* A time of day, "3:30 pm", "noon", as THH:MM. */
static void clock_time(ctx_t *c, size_t a, size_t b) {
        const char    *s = c->s;
        enr_mention_t *m;
        char           buf[40];
        int            h = 0, mi = 0;
        size_t         p = a;

        m = push(c, a, b, ENR_ENT_TIME);
        if (!m)
                return;
        if (tolower((unsigned char)s[a]) == 'n') {
                h = 12;
        } else if (tolower((unsigned char)s[a]) == 'm') {
                h = 0;
        } else {
                h = digits_at(s, c->len, a);
                while (p < b && isdigit((unsigned char)s[p]))
                        p++;
                if (p < b && s[p] == ':')
                        mi = digits_at(s, c->len, p + 1);
                for (; p < b; p++) {
                        char ch = (char)tolower((unsigned char)s[p]);

                        if (ch == 'p' && h < 12)
                                h += 12;
                        if (ch == 'a' && h == 12)
                                h = 0;
                        if (ch == 'p' || ch == 'a')
                                break;
                }
        }
        snprintf(buf, sizeof(buf), "T%02d:%02d", h, mi);
        set_date(m, buf);
}

/* A race or lap time: "4:07.13" is PT4M7.13S, "2:32:25.3" PT2H32M25.3S. */
static void race_time(ctx_t *c, size_t a, size_t b) {
        const char    *s = c->s;
        enr_mention_t *m;
        char           buf[40];

        /* A race or lap time: "4:07.13" is PT4M7.13S, "2:32:25.3"
         * PT2H32M25.3S. */
        const char *dot = memchr(s + a, '.', b - a);
        const char *c2;

        m  = push(c, a, b, ENR_ENT_DATE);
        c2 = memchr(s + a, ':', b - a);
        c2 = c2 ? memchr(c2 + 1, ':', (size_t)(s + b - c2 - 1)) : NULL;
        if (m && (!dot || !memchr(dot + 1, '.', (size_t)(s + b - dot - 1)))) {
                int    f1 = digits_at(s, c->len, a);
                size_t p  = a;

                while (p < b && s[p] != ':')
                        p++;
                if (c2) {
                        snprintf(buf, sizeof(buf), "PT%dH%dM%.*sS", f1,
                                 digits_at(s, c->len, p + 1),
                                 (int)(s + b - c2 - 1), c2 + 1);
                } else {
                        snprintf(buf, sizeof(buf), "PT%dM%.*sS", f1,
                                 (int)(b - p - 1), s + p + 1);
                }
                set_date(m, buf);
        }
}

/* A decade, "the 1990s", "'90s", as 1990/1999. */
static void decade(ctx_t *c, size_t a, size_t b) {
        const char    *s = c->s;
        enr_mention_t *m;
        char           buf[40];
        int            dy;

        m = push(c, a, b, ENR_ENT_DATE);
        if (!m)
                return;
        if (s[a] == '\'')
                dy = 1900 + digits_at(s, c->len, a + 1);
        else
                dy = digits_at(s, c->len, a);
        snprintf(buf, sizeof(buf), "%04d/%04d", dy, dy + 9);
        set_date(m, buf);
}

/* Whether the word s[p..e) is a unit of time ("years", "yr", "minutes",
 * "nights"). */
static bool is_unit_word(const char *s, size_t p, size_t e) {
        char   u = (char)tolower((unsigned char)s[p]);
        size_t n = e - p;

        return (u == 'y' || u == 'm' || u == 'w' || u == 'd' || u == 'c' ||
                u == 'h' || u == 's' || u == 'n') &&
               n >= 3 &&
               (strncasecmp(s + p, "year", 4) == 0 ||
                !strncasecmp(s + p, "yr", 2) ||
                !strncasecmp(s + p, "month", 5) ||
                !strncasecmp(s + p, "minute", 6) ||
                !strncasecmp(s + p, "week", 4) ||
                !strncasecmp(s + p, "day", 3) ||
                !strncasecmp(s + p, "decade", 6) ||
                !strncasecmp(s + p, "centur", 6) ||
                !strncasecmp(s + p, "hour", 4) ||
                !strncasecmp(s + p, "second", 6) ||
                !strncasecmp(s + p, "night", 5));
}

/* A counted duration, "three years", "2 hours", or a point in time ("two
 * years ago"). */
static void count_duration(ctx_t *c, size_t a, size_t b) {
        const char *s  = c->s;
        size_t      ua = b, na = a, nb, p = a;

        /* The unit is the last word (before "N seconds")... */
        while (ua > a && is_alpha(s[ua - 1]))
                ua--;
        /* ...or the first unit word: the count ends there. */
        while (p < b) {
                size_t e = p;

                while (e < b && is_alpha(s[e]))
                        e++;
                if (e == p) {
                        p++;
                        continue;
                }
                if (is_unit_word(s, p, e)) {
                        ua = p;
                        break;
                }
                p = e;
        }
        nb = ua;
        while (nb > na && (s[nb - 1] == ' ' || s[nb - 1] == '-'))
                nb--;
        duration(c, a, b, na, nb, ua);
}

/* A vague duration ("several years", "a long time"): a date mention without a
 * value. */
static void vague_duration(ctx_t *c, size_t a, size_t b) {
        push(c, a, b, ENR_ENT_DATE);
}

/* One unit of time, "a year", "the past week", unless it ends a rate ("RM1,000
 * a day"). */
static void unit_duration(ctx_t *c, size_t a, size_t b) {
        const char    *s = c->s;
        enr_mention_t *m;
        char           buf[40];
        char           u = (char)tolower((unsigned char)s[a]);

        if (rate_before(s, a))
                return;
        /* "a year", "the past week": one unit. */
        if (u == 'h' || (u == 'm' && s[a + 1] == 'i'))
                m = push(c, a, b, ENR_ENT_TIME);
        else
                m = push(c, a, b, ENR_ENT_DATE);
        if (m) {
                fmt_duration(buf, sizeof(buf), 1, s + a);
                set_date(m, buf);
        }
}

/* today, yesterday, tomorrow, tonight. */
static void relative_day(ctx_t *c, size_t a, size_t b) {
        const char    *s = c->s;
        enr_mention_t *m;
        char           buf[40];
        char           u = (char)tolower((unsigned char)s[a + 2]);

        m = push(c, a, b,
                 tolower((unsigned char)s[a + 3]) == 'i' ? ENR_ENT_TIME
                                                         : ENR_ENT_DATE);
        if (!m || !c->has_pub)
                return;
        /* to(d)ay, ye(s)terday, to(m)orrow, to(n)ight */
        fmt_day(buf, sizeof(buf), c->pub + (u == 's' ? -1 : u == 'm' ? 1 : 0));
        set_date(m, buf);
}

/* "this week", "last month", "next year", "the past decade", "this weekend". */
static void relative_period(ctx_t *c, size_t a, size_t b) {
        const char    *s = c->s;
        enr_mention_t *m;
        char           buf[40];
        int            py = 0, pm = 0, pd = 0;
        rel_mod_t      mod = modifier_before(s, a);
        int            k   = mod == MOD_LAST ? -1 : mod == MOD_NEXT ? 1 : 0;
        char           u   = (char)tolower((unsigned char)s[a]);
        char           w[16];

        if (c->has_pub)
                civil_from_days(c->pub, &py, &pm, &pd);

        m = push(c, a, b, ENR_ENT_DATE);
        if (!m || !c->has_pub)
                return;
        word_before(s, a, w, sizeof(w));
        if (u == 'w' && b - a > 4) { /* weekend */
                int64_t sat = c->pub - ((weekday(c->pub) - 5 + 7) % 7);

                if (k > 0 || (k == 0 && weekday(c->pub) < 5))
                        sat += 7;
                if (k < 0 && sat == c->pub)
                        sat -= 7;
                {
                        char t1[16], t2[16];

                        fmt_day(t1, sizeof(t1), sat);
                        fmt_day(t2, sizeof(t2), sat + 1);
                        snprintf(buf, sizeof(buf), "%.10s/%.10s", t1, t2);
                }
        } else if (u == 'w') {
                fmt_week(buf, sizeof(buf), c->pub + 7 * k);
        } else if (u == 'm') {
                int mm = py * 12 + (pm - 1) + k;

                snprintf(buf, sizeof(buf), "%04d-%02d", mm / 12, mm % 12 + 1);
        } else if (u == 'y') {
                snprintf(buf, sizeof(buf), "%04d", py + k);
        } else if (u == 'q') {
                int q = (pm - 1) / 3 + k, yy = py;

                if (q < 0) {
                        q += 4;
                        yy--;
                } else if (q > 3) {
                        q -= 4;
                        yy++;
                }
                snprintf(buf, sizeof(buf), "%04d-Q%d", yy, q + 1);
        } else if (u == 'd') { /* decade */
                int dd = (py / 10) * 10 + 10 * k;

                snprintf(buf, sizeof(buf), "%04d/%04d", dd, dd + 9);
        } else {
                int cc = (py / 100) * 100 + 100 * k;

                snprintf(buf, sizeof(buf), "%04d/%04d", cc, cc + 99);
        }
        set_date(m, buf);
}

/* A season of the year, "last summer". */
static void season(ctx_t *c, size_t a, size_t b) {
        const char    *s = c->s;
        enr_mention_t *m;
        char           buf[40];
        int            py = 0, pm = 0, pd = 0;
        char           w[16];
        int            season, yr, cur;
        rel_mod_t      mod;
        char           u = (char)tolower((unsigned char)s[a]);

        if (c->has_pub)
                civil_from_days(c->pub, &py, &pm, &pd);

        word_before(s, a, w, sizeof(w));
        /* "fall" is a verb and a noun too. */
        if (u == 'f' &&
            (strcmp(w, "the") && strcmp(w, "last") && strcmp(w, "next") &&
             strcmp(w, "this") && strcmp(w, "in") && strcmp(w, "early") &&
             strcmp(w, "late") && strcmp(w, "that")))
                return;
        if (u == 'f' && b + 3 < c->len && !strncmp(s + b, " of", 3))
                return;
        if (isupper((unsigned char)s[a]) && b + 1 < c->len && s[b] == ' ' &&
            isupper((unsigned char)s[b + 1]))
                return;
        m = push(c, a, b, ENR_ENT_DATE);
        if (!m || !c->has_pub)
                return;
        season = u == 's'   ? (tolower((unsigned char)s[a + 1]) == 'p' ? 0 : 1)
                 : u == 'w' ? 3
                            : 2;
        cur    = pm >= 3 && pm <= 5    ? 0
                 : pm >= 6 && pm <= 8  ? 1
                 : pm >= 9 && pm <= 11 ? 2
                                       : 3;
        mod    = modifier_before(s, a);
        yr     = (pm <= 2) ? py - 1 : py; /* Winter spans new year. */
        if (season != 3)
                yr = py;
        if (mod == MOD_LAST && season >= cur)
                yr--;
        else if (mod == MOD_NEXT && season <= cur)
                yr++;
        fmt_season(buf, sizeof(buf), yr, season);
        set_date(m, buf);
}

/* A year, "2024", "300 BC", and a range after it. */
static void year(ctx_t *c, size_t a, size_t b) {
        const char    *s = c->s;
        enr_mention_t *m;
        char           buf[40];
        int            yr = digits_at(s, c->len, a);

        m = push(c, a, b, ENR_ENT_DATE);
        if (m) {
                if (b - a > 4 && memchr(s + a + 4, 'B', b - a - 4))
                        snprintf(buf, sizeof(buf), "-%04d", yr - 1);
                else
                        snprintf(buf, sizeof(buf), "%04d", yr);
                set_date(m, buf);
        }
        range_tail(c, b, yr, 0, 1);
}

/* The constructs of the date pattern in the order handle() tries them: the
 * first whose group matched handles the match. */
static const struct {
        int group;                                /* A G_* group. */
        void (*fn)(ctx_t *c, size_t a, size_t b); /* Its handler. */
} constructs[] = {
    {G_ISO, iso_date},        {G_MD, month_day},       {G_DM, month_day},
    {G_MY, month_year},       {G_MO, month_name},      {G_WD, weekday_name},
    {G_HOL, holiday},         {G_CEN, century},        {G_QTR, quarter},
    {G_FY, fiscal_year},      {G_TM, clock_time},      {G_RACE, race_time},
    {G_DEC, decade},          {G_DUR, count_duration}, {G_VDUR, vague_duration},
    {G_LDUR, vague_duration}, {G_ADUR, unit_duration}, {G_REL, relative_day},
    {G_RP, relative_period},  {G_SEA, season},         {G_YR, year},
};

/* Turns one match of the date pattern into a mention and its value. */
static void handle(ctx_t *c) {
        size_t x, y;

        for (size_t i = 0; i < sizeof(constructs) / sizeof(constructs[0]); i++)
                if (grp(c, constructs[i].group, &x, &y)) {
                        constructs[i].fn(c, c->ov[0], c->ov[1]);
                        return;
                }
}

enr_err_t enr_dates_extract(const enr_dates_t *d, enr_dates_scratch_t *s,
                            const enr_text_t *t, enr_field_t field,
                            int64_t published, enr_mentions_t *out,
                            size_t max) {
        ctx_t  c;
        size_t pos = 0;
        int    rc;

        memset(&c, 0, sizeof(c));
        c.s     = t->s;
        c.len   = t->len;
        c.field = field;
        c.out   = out;
        c.max   = max;
        c.ov    = pcre2_get_ovector_pointer(s->md);
        c.g     = d->g;
        if (published != ENR_NO_TIME) {
                c.has_pub = 1;
                c.pub     = published >= 0 ? published / 86400
                                           : -((-published + 86399) / 86400);
        }
        while (pos < c.len && !c.full) {
                unsigned char ch = (unsigned char)c.s[pos];
                size_t        e  = pos + 1;

                if (enr__kwset_class[ch] == 1) {
                        if (pos > 0 &&
                            (enr__kwset_class[(unsigned char)c.s[pos - 1]] ==
                                 1 ||
                             c.s[pos - 1] == ',' || c.s[pos - 1] == '.')) {
                                pos++;
                                continue;
                        }
                } else if (enr__kwset_class[ch] == 2) {
                        uint32_t h =
                            enr__kwset_hash_step(ENR_KWSET_HASH_INIT, ch);

                        while (e < c.len &&
                               enr__kwset_class[(unsigned char)c.s[e]] == 2)
                                h = enr__kwset_hash_step(
                                    h, (unsigned char)c.s[e++]);
                        if ((pos > 0 &&
                             enr__kwset_class[(unsigned char)c.s[pos - 1]] ==
                                 2) ||
                            !enr__kwset_has(&d->kw, c.s + pos, e - pos, h)) {
                                pos = e;
                                continue;
                        }
                } else if (!(ch == '\'' && e < c.len &&
                             enr__kwset_class[(unsigned char)c.s[e]] == 1)) {
                        pos++;
                        continue;
                }
                rc = pcre2_match(d->re, (PCRE2_SPTR)c.s, c.len, pos, 0, s->md,
                                 NULL);
                if (rc < 0) {
                        pos = e;
                        continue;
                }
                c.last_end = 0;
                handle(&c);
                pos = c.ov[1] > pos ? c.ov[1] : pos + 1;
                if (c.last_end > pos)
                        pos = c.last_end;
        }
        return ENR_OK;
}
