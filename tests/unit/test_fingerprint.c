/*
 * Unit tests of fingerprint.c: every copy kind of a hand-written article is
 * a copy (exact re-send, typography, boilerplate before and after,
 * truncation, reordered paragraphs, a few words edited), template
 * look-alikes and a different article are not, and the text form round-
 * trips and rejects anything else.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "enricher/fingerprint.h"

/* A made-up article: four paragraphs, figures and names. */
static const char *P1 =
    "Harbour Rail said on Tuesday that passenger numbers on its coastal "
    "line rose 14% to 3.2 million in the year to March, helped by new "
    "evening services between Porthallow and Kenwick Bay.";
static const char *P2 =
    "The operator, which took over the franchise in 2019, said it would "
    "spend \xc2\xa3"
    "45m on twelve new trains and longer platforms at "
    "Millbrook and Stanton Cross. Chief executive Morag Ellery said the "
    "line's \"best year since the 1990s\" showed demand was returning.";
static const char *P3 =
    "Passenger groups welcomed the figures but warned that fares had risen "
    "faster than wages. Travel Watch South said a season ticket from "
    "Kenwick Bay to the city now cost \xc2\xa3"
    "2,140 - up 9% in two years.";
static const char *P4 =
    "The company also confirmed plans to reopen the branch to Old Quarry, "
    "closed in 1968, subject to a public inquiry next spring. Local "
    "councillors said the reopening could bring 400 jobs to the valley.";

static enr_text_t        text;
static enr_fingerprint_t orig;
static char              buf[4096];

static void setup(void) {
        enr_text_init(&text);
}

static void teardown(void) {
        enr_text_clear(&text);
}

TestSuite(fingerprint, .init = setup, .fini = teardown);

static void fp_of(const char *s, enr_fingerprint_t *fp) {
        char      err[128];
        enr_err_t e =
            enr_text_analyze(&text, s, strlen(s), 0, err, sizeof(err));

        cr_assert_eq(e, ENR_OK, "%s", err);
        enr_fingerprint_compute(&text, fp);
}

static const char *join4(const char *a, const char *b, const char *c,
                         const char *d) {
        snprintf(buf, sizeof(buf), "%s\n\n%s\n\n%s\n\n%s", a, b, c, d);
        return buf;
}

/* The original's fingerprint (its own buffer: s may be in buf). */
static void original(void) {
        static char own[4096];

        snprintf(own, sizeof(own), "%s\n\n%s\n\n%s\n\n%s", P1, P2, P3, P4);
        fp_of(own, &orig);
}

/* Whether s is a copy of the original; *ex its kind. */
static int copy_of_orig(const char *s, int *ex, double *sim) {
        enr_fingerprint_t fp;

        original();
        fp_of(s, &fp);
        return enr_fingerprint_match(&orig, &fp, sim, ex);
}

Test(fingerprint, exact_resend_and_headline) {
        int    ex;
        double sim;

        cr_assert(copy_of_orig(join4(P1, P2, P3, P4), &ex, &sim));
        cr_assert_eq(ex, 1);
        cr_assert_float_eq(sim, 1.0, 1e-9);
        cr_assert_gt(orig.nterms, 130);
        cr_assert_gt(orig.nshingles, 120);
        cr_assert_leq(orig.nshingles, orig.nterms);
}

Test(fingerprint, typography_is_exact) {
        int         ex;
        double      sim;
        const char *s =
            "Harbour Rail said on Tuesday that passenger numbers on its "
            "coastal line rose 14% to 3.2 million in the year to March,\n"
            "helped by new evening services between Porthallow and Kenwick "
            "Bay.\n\n\nThe operator, which took over the franchise in "
            "2019, said it would spend \xc2\xa3"
            "45m on twelve new trains "
            "and longer platforms at Millbrook and Stanton Cross.  Chief "
            "executive Morag Ellery said the line\xe2\x80\x99s "
            "\xe2\x80\x9c"
            "best year since the 1990s\xe2\x80\x9d showed "
            "demand was returning.\n\nPassenger groups welcomed the "
            "figures but warned that fares had risen faster than wages. "
            "Travel Watch South said a season ticket from Kenwick Bay to "
            "the city now cost \xc2\xa3"
            "2,140 \xe2\x80\x94 up 9% in two "
            "years.\n\nThe company also confirmed plans to reopen the "
            "branch to Old Quarry, closed in 1968, subject to a public "
            "inquiry next spring. Local councillors said the reopening "
            "could bring 400 jobs to the valley.";

        cr_assert(copy_of_orig(s, &ex, &sim));
        cr_assert_eq(ex, 1, "typography alone must be an exact copy");
}

Test(fingerprint, boilerplate_before_and_after) {
        static char s[8192];
        int         ex;
        double      sim;

        snprintf(s, sizeof(s),
                 "Sign up for our morning newsletter to get the day's top "
                 "stories in your inbox.\n\n%s",
                 join4(P1, P2, P3, P4));
        cr_assert(copy_of_orig(s, &ex, &sim), "before: sim %f", sim);
        cr_assert_eq(ex, 0);
        snprintf(s, sizeof(s),
                 "%s\n\nCopyright 2024 Coastal News Agency. All rights "
                 "reserved. This material may not be redistributed.",
                 join4(P1, P2, P3, P4));
        cr_assert(copy_of_orig(s, &ex, &sim), "after: sim %f", sim);
        cr_assert_eq(ex, 0);
}

Test(fingerprint, truncation_to_first_paragraphs) {
        static char s[8192];
        int         ex;
        double      sim;

        snprintf(s, sizeof(s), "%s", P1);
        cr_assert(copy_of_orig(s, &ex, &sim), "one paragraph");
        cr_assert_eq(ex, 0);
        snprintf(s, sizeof(s), "%s\n\n%s", P1, P2);
        cr_assert(copy_of_orig(s, &ex, &sim), "two paragraphs");
        cr_assert_gt(sim, 0.3);
        snprintf(s, sizeof(s), "%s\n\n%s\n\n%s", P1, P2, P3);
        cr_assert(copy_of_orig(s, &ex, &sim), "three paragraphs");
        /* The last paragraphs are not a prefix: not a truncation. */
        snprintf(s, sizeof(s), "%s", P4);
        cr_assert_not(copy_of_orig(s, &ex, &sim), "last paragraph");
}

Test(fingerprint, reordered_paragraphs) {
        int    ex;
        double sim;

        cr_assert(copy_of_orig(join4(P2, P1, P4, P3), &ex, &sim), "sim %f",
                  sim);
        cr_assert_eq(ex, 0);
}

Test(fingerprint, a_few_words_edited) {
        static char s[8192];
        int         ex;
        double      sim;
        char       *p;

        snprintf(s, sizeof(s), "%s", join4(P1, P2, P3, P4));
        p = strstr(s, "welcomed");
        memcpy(p, "praised ", 8);
        p = strstr(s, "longer");
        memcpy(p, "wider ", 6);
        p = strstr(s, "valley");
        memcpy(p, "region", 6);
        cr_assert(copy_of_orig(s, &ex, &sim), "sim %f", sim);
        cr_assert_eq(ex, 0);
}

/* A weather report: the same wording, other places and figures. */
static void weather(char *s, size_t n, const char *place, int hi, int lo,
                    int wind, int rain) {
        snprintf(s, n,
                 "Weather for %s: sunny spells this morning, turning to light "
                 "rain later. Highest temperature %dC, lowest %dC overnight."
                 "\n\nWinds south-west at %d mph, gusting to %d mph. Chance "
                 "of rain %d%%. Sunrise 6:%02d, sunset 18:%02d.\n\nOutlook "
                 "for %s: cloudy skies on Monday, drizzle on Wednesday with "
                 "highs around %dC.\n\nForecasts are provided by the "
                 "national weather service and are updated every three "
                 "hours. Temperatures are given in degrees Celsius.",
                 place, hi, lo, wind, wind + 20, rain, hi + 10, lo + 20, place,
                 hi - 2);
}

Test(fingerprint, weather_templates_are_not_copies) {
        static char       a[4096], b[4096];
        enr_fingerprint_t fa, fb;

        weather(a, sizeof(a), "Kenwick", 14, 6, 12, 40);
        fp_of(a, &fa);
        weather(b, sizeof(b), "Millbrook", 17, 9, 18, 70);
        fp_of(b, &fb);
        cr_assert_not(enr_fingerprint_match(&fa, &fb, NULL, NULL));
        weather(b, sizeof(b), "Kenwick", 11, 3, 25, 10);
        fp_of(b, &fb);
        cr_assert_not(enr_fingerprint_match(&fa, &fb, NULL, NULL));
        /* The same report again is a copy. */
        weather(b, sizeof(b), "Kenwick", 14, 6, 12, 40);
        fp_of(b, &fb);
        cr_assert(enr_fingerprint_match(&fa, &fb, NULL, NULL));
}

/* A market report: fixed wording and disclaimer, other figures and names. */
static void market(char *s, size_t n, const char *c1, const char *c2,
                   double pts, double lvl, double p1, double p2) {
        snprintf(s, n,
                 "The FTSE 100 index of leading shares closed up %.1f points "
                 "at %.1f on Monday.\n\nShares in %s rose %.1f%% after a "
                 "broker upgrade. Shares in %s fell %.1f%% ahead of results."
                 "\n\nMarket data is provided by an independent supplier and "
                 "may be delayed by at least 15 minutes. Prices are "
                 "indicative only and should not be relied on for investment "
                 "decisions. Past performance is not a guide to future "
                 "returns.",
                 pts, lvl, c1, p1, c2, p2);
}

Test(fingerprint, market_templates_are_not_copies) {
        static char       a[4096], b[4096];
        enr_fingerprint_t fa, fb;

        market(a, sizeof(a), "Harbour Rail", "Stanton Foods", 23.4, 4812.3, 2.1,
               3.4);
        fp_of(a, &fa);
        market(b, sizeof(b), "Kenwick Mining", "Old Quarry Group", 8.9, 4790.1,
               5.5, 1.2);
        fp_of(b, &fb);
        cr_assert_not(enr_fingerprint_match(&fa, &fb, NULL, NULL));
}

Test(fingerprint, different_article_is_not_a_copy) {
        enr_fingerprint_t fp;
        int               ex = 7;
        double            sim;

        original();
        fp_of("A new exhibition of early photographs opens at the city museum "
              "this weekend, bringing together more than 200 prints from "
              "private collections. Curators said many had never been shown "
              "in public, and the show runs until the end of August.",
              &fp);
        cr_assert_not(enr_fingerprint_match(&orig, &fp, &sim, &ex));
        cr_assert_eq(ex, 0);
        cr_assert_lt(sim, 0.9);
}

Test(fingerprint, empty_and_short_bodies) {
        enr_fingerprint_t a, b;
        int               k;

        enr_fingerprint_compute(NULL, &a);
        cr_assert_eq(a.nterms, 0);
        cr_assert_eq(a.simhash, 0);
        for (k = 0; k < ENR_FP_K; k++)
                cr_assert_eq(a.mins[k], UINT32_MAX);
        fp_of("", &b);
        cr_assert_not(enr_fingerprint_match(&a, &b, NULL, NULL));
        /* Short bodies: exact copies only; a shared start is not enough. */
        fp_of("Shares rose sharply.", &a);
        fp_of("Shares rose sharply.", &b);
        cr_assert(enr_fingerprint_match(&a, &b, NULL, NULL));
        fp_of("Shares rose sharply on Monday in London trading.", &b);
        cr_assert_not(enr_fingerprint_match(&a, &b, NULL, NULL));
}

Test(fingerprint, deterministic_and_sketch_sorted) {
        enr_fingerprint_t a, b;
        int               k;

        original();
        a = orig;
        original();
        b = orig;
        cr_assert_eq(memcmp(&a, &b, sizeof(a)), 0);
        for (k = 1; k < ENR_FP_K; k++)
                cr_assert_lt(a.mins[k - 1], a.mins[k]);
}

Test(fingerprint, format_parse_round_trip) {
        enr_fingerprint_t back;
        char              s[ENR_FP_TEXT_MAX];
        size_t            n;

        original();
        n = enr_fingerprint_format(&orig, s, sizeof(s));
        cr_assert_gt(n, 0);
        cr_assert_eq(n, strlen(s));
        cr_assert_lt(n, ENR_FP_TEXT_MAX);
        cr_assert_eq(s[0], '1');
        cr_assert_eq(s[1], ':');
        /* The SimHash is the first field: 16 hex digits. */
        cr_assert_eq(s[18], ':');
        cr_assert_eq(enr_fingerprint_parse(s, n, &back), ENR_OK);
        cr_assert_eq(memcmp(&back, &orig, sizeof(back)), 0);
        /* Too small a buffer: 0 and an empty string. */
        cr_assert_eq(enr_fingerprint_format(&orig, s, n), 0);
        cr_assert_eq(s[0], '\0');
}

Test(fingerprint, parse_rejects_garbage) {
        enr_fingerprint_t fp, keep;
        char              s[ENR_FP_TEXT_MAX], t[ENR_FP_TEXT_MAX];
        size_t            n, i;

        original();
        n = enr_fingerprint_format(&orig, s, sizeof(s));
        memset(&keep, 0x5a, sizeof(keep));
        fp = keep;
        cr_assert_eq(enr_fingerprint_parse("", 0, &fp), ENR_ERR_PARSE);
        cr_assert_eq(enr_fingerprint_parse(s, n - 1, &fp), ENR_ERR_PARSE);
        memcpy(t, s, n + 1);
        t[n] = '0';
        cr_assert_eq(enr_fingerprint_parse(t, n + 1, &fp), ENR_ERR_PARSE);
        /* Each byte changed to something that is not allowed there. */
        for (i = 0; i < n; i++) {
                memcpy(t, s, n + 1);
                t[i] = s[i] == ':' ? 'a' : (s[i] == '1' && i == 0) ? '2' : 'G';
                cr_assert_eq(enr_fingerprint_parse(t, n, &fp), ENR_ERR_PARSE,
                             "byte %zu", i);
        }
        /* Upper-case hex is not what format() writes. */
        memcpy(t, s, n + 1);
        for (i = 2; i < n; i++)
                if (t[i] >= 'a' && t[i] <= 'f') {
                        t[i] = (char)(t[i] - 'a' + 'A');
                        break;
                }
        cr_assert_eq(enr_fingerprint_parse(t, n, &fp), ENR_ERR_PARSE);
        /* Unsorted sketch: swap the first two mins. */
        memcpy(t, s, n + 1);
        memcpy(t + n - 64, s + n - 56, 8);
        memcpy(t + n - 56, s + n - 64, 8);
        cr_assert_eq(enr_fingerprint_parse(t, n, &fp), ENR_ERR_PARSE);
        cr_assert_eq(memcmp(&fp, &keep, sizeof(fp)), 0, "out untouched");
        cr_assert_eq(enr_fingerprint_parse(NULL, 5, &fp), ENR_ERR_PARSE);
}
