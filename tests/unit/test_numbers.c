/*
 * Tests of the number extractor and value parser: numerals and number
 * words, scales, currencies, percentages, ordinals, quantities with units,
 * counted things, approximations, and what is left to dates.c.
 */
#include <math.h>
#include <string.h>

#include <criterion/criterion.h>

#include "enricher/entities.h"
#include "enricher/numbers.h"
#include "enricher/text.h"

static enr_numbers_t         *N;
static enr_numbers_scratch_t *S;
static enr_mentions_t         M;
static enr_text_t             T;

static void setup(void) {
        char err[256];

        N = enr_numbers_new(err, sizeof(err));
        cr_assert_not_null(N, "%s", err);
        S = enr_numbers_scratch_new(N);
        cr_assert_not_null(S);
        enr_mentions_init(&M);
        enr_text_init(&T);
}

static void teardown(void) {
        enr_text_clear(&T);
        enr_mentions_clear(&M);
        enr_numbers_scratch_destroy(S);
        enr_numbers_destroy(N);
}

static void run(const char *s) {
        char err[256];

        enr_mentions_reset(&M);
        cr_assert_eq(enr_text_analyze(&T, s, strlen(s), 0, err, sizeof(err)),
                     ENR_OK, "%s", err);
        cr_assert_eq(enr_numbers_extract(N, S, &T, ENR_FIELD_BODY, &M, 0),
                     ENR_OK);
}

/* The mention whose text is exactly span, or NULL. */
static const enr_mention_t *find(const char *s, const char *span) {
        size_t i, n = strlen(span);

        for (i = 0; i < M.n; i++)
                if (M.v[i].end - M.v[i].start == n &&
                    !memcmp(s + M.v[i].start, span, n))
                        return &M.v[i];
        return NULL;
}

/* Runs s and checks that span is found with type and value: exactly the
 * double nearest to the decimal the text writes (a C literal is that
 * double), not a value with binary noise such as 1700000.0000000002. */
static const enr_mention_t *expect(const char *s, const char *span,
                                   enr_ent_type_t type, double value) {
        const enr_mention_t *m;

        run(s);
        m = find(s, span);
        cr_assert_not_null(m, "\"%s\" not found in \"%s\"", span, s);
        cr_expect_eq(m->type, type, "\"%s\": type %s, want %s", span,
                     enr_ent_type_name((enr_ent_type_t)m->type),
                     enr_ent_type_name(type));
        cr_expect(m->flags & ENR_MENTF_HAS_NUM);
        cr_expect(m->value.num == value, "\"%s\": value %.17g, want %.17g",
                  span, m->value.num, value);
        return m;
}

static double parse(const char *s) {
        double v = -1;

        cr_assert(enr_number_parse(s, strlen(s), &v), "cannot parse \"%s\"", s);
        return v;
}

TestSuite(numbers, .init = setup, .fini = teardown);

Test(numbers, parse_numerals_and_words) {
        cr_expect_eq(parse("7,000"), 7000);
        cr_expect_eq(parse("70,457"), 70457);
        cr_expect_eq(parse("1.5 million"), 1500000);
        cr_expect_eq(parse("two million"), 2000000);
        cr_expect_eq(parse("a quarter"), 0.25);
        cr_expect_eq(parse("three quarters"), 0.75);
        cr_expect_eq(parse("sixty-five"), 65);
        cr_expect_eq(parse("two hundred and fifty"), 250);
        cr_expect_eq(parse("two and a half"), 2.5);
        cr_expect_eq(parse("half a million"), 500000);
        cr_expect_eq(parse("a dozen"), 12);
        cr_expect_eq(parse("fourth"), 4);
        cr_expect_eq(parse("21st"), 21);
        cr_expect_eq(parse("twenty-first"), 21);
        cr_expect_eq(parse("twentieth"), 20);
        cr_expect_eq(parse("1.13 billion"), 1.13e9);
        cr_expect_eq(parse("hundreds"), 100);
        cr_expect_eq(parse("nine-tenths"), 0.9);
}

/* Values are computed in decimal and converted once: each of these is the
 * double nearest to the decimal, where multiplying floats (1.7 * 1e6, 8.2 *
 * 1e9, digits accumulated as 4 + 0.4 + 0.06 + ...) was off by an ulp or
 * more. */
Test(numbers, parse_exact_decimals) {
        cr_expect_eq(parse("1.7m"), 1700000);
        cr_expect_eq(parse("1.7 million"), 1700000);
        cr_expect_eq(parse("8.2bn"), 8200000000);
        cr_expect_eq(parse("4.464 million"), 4464000);
        cr_expect_eq(parse("0.7"), 0.7);
        cr_expect_eq(parse("44.45"), 44.45);
        cr_expect_eq(parse("1.2974"), 1.2974);
        cr_expect_eq(parse("6,709.93"), 6709.93);
        cr_expect_eq(parse(".5"), 0.5);
        cr_expect_eq(parse("1.15 trillion"), 1150000000000);
        cr_expect_eq(parse("2.572 trillion"), 2572000000000);
        cr_expect_eq(parse("481.42m"), 481420000);
        cr_expect_eq(parse("two and a half million"), 2500000);
        cr_expect_eq(parse("half a million"), 500000);
        cr_expect_eq(parse("a quarter of a million"), 250000);
        cr_expect_eq(parse("1.5 thousand"), 1500);
        cr_expect_eq(parse("three-fifths"), 0.6);
        cr_expect_eq(parse("seven-tenths"), 0.7);
        /* Not decimal: one division of exact operands. */
        cr_expect_eq(parse("two thirds"), 2.0 / 3.0);
        cr_expect_eq(parse("two thirds of a million"), 2e6 / 3.0);
        cr_expect_eq(parse("one and two thirds"), 1.0); /* (1 + 2) / 3 */
}

/* Beyond 19 significant digits the mantissa is rounded on the first digit
 * dropped and never overflows; these numerals still get the nearest double. */
Test(numbers, parse_long_numerals) {
        const char *big   = "123456789012345678901234567890";
        const char *small = "0.000000000000000000000000000001234567";
        const char *frac  = "0.12345678901234567890123456789";
        char        nines[121];
        double      v;

        v = parse(big);
        cr_expect(v == 1.2345678901234568e29, "%.17g", v);
        cr_expect_eq(parse(small), 1.234567e-30);
        cr_expect_eq(parse(frac), 0.12345678901234568);
        cr_expect_eq(parse("99999999999999999999999"), 1e23);
        cr_expect_eq(parse("18446744073709551615"), 18446744073709551615.0);
        cr_expect_eq(parse("18446744073709551616"), 18446744073709551616.0);
        /* Divisors past a million are divided out in decimal. */
        v = parse("one thirds sevenths ninths elevenths thirteenths "
                  "seventeenths nineteenths");
        cr_expect(fabs(v * 8729721.0 - 1) < 1e-12, "%.17g", v);
        memset(nines, '9', 120);
        nines[120] = '\0';
        cr_expect_eq(parse(nines), 1e120);
}

Test(numbers, parse_rejects) {
        double v;

        cr_expect_not(enr_number_parse("", 0, &v));
        cr_expect_not(enr_number_parse("banana", 6, &v));
        cr_expect_not(enr_number_parse("two bananas", 11, &v));
}

Test(numbers, cardinals_and_counted_things) {
        const char          *s = "Gunmen freed 130 captives and 7,000 fled.";
        const enr_mention_t *m = expect(s, "130", ENR_ENT_CARDINAL, 130);

        cr_expect_eq(m->value.unit_end - m->value.unit_start, 8);
        cr_expect(!memcmp(s + m->value.unit_start, "captives", 8));
        m = expect(s, "7,000", ENR_ENT_CARDINAL, 7000);
        cr_expect_eq(m->value.unit_end, 0, "a verb is not what is counted");
        s = "The two foreign ministers met one step away.";
        m = expect(s, "two", ENR_ENT_CARDINAL, 2);
        cr_expect_eq(m->value.unit_end - m->value.unit_start, 17);
        cr_expect(!memcmp(s + m->value.unit_start, "foreign ministers", 17));
        m = expect(s, "one", ENR_ENT_CARDINAL, 1);
        cr_expect(!memcmp(s + m->value.unit_start, "step", 4));
        expect("The town has 70,457 people.", "70,457", ENR_ENT_CARDINAL,
               70457);
        expect("It cost two million lives.", "two million", ENR_ENT_CARDINAL,
               2e6);
        expect("Thousands of people marched.", "Thousands", ENR_ENT_CARDINAL,
               1000);
        expect("They killed dozens of people.", "dozens", ENR_ENT_CARDINAL, 12);
}

Test(numbers, money) {
        const enr_mention_t *m;

        m = expect("The club paid £600m for him.", "£600m", ENR_ENT_MONEY, 6e8);
        cr_expect_str_eq(m->value.currency, "GBP");
        m = expect("Sales hit $1.13bn last year.", "$1.13bn", ENR_ENT_MONEY,
                   1.13e9);
        cr_expect_str_eq(m->value.currency, "USD");
        m = expect("a fine of €5 million", "€5 million", ENR_ENT_MONEY, 5e6);
        cr_expect_str_eq(m->value.currency, "EUR");
        m = expect("It costs ¥300.", "¥300", ENR_ENT_MONEY, 300);
        cr_expect_str_eq(m->value.currency, "JPY");
        m = expect("a loan of Rs 500 crore", "Rs 500", ENR_ENT_MONEY, 500);
        cr_expect_str_eq(m->value.currency, "INR");
        m = expect("bonds worth US$2 billion", "US$2 billion", ENR_ENT_MONEY,
                   2e9);
        cr_expect_str_eq(m->value.currency, "USD");
        m = expect("a dlrs 220 million loan", "dlrs 220 million", ENR_ENT_MONEY,
                   2.2e8);
        m = expect("demanded one million dollars.", "one million dollars",
                   ENR_ENT_MONEY, 1e6);
        cr_expect_str_eq(m->value.currency, "USD");
        m = expect("a $180-million fund", "$180-million", ENR_ENT_MONEY, 1.8e8);
        m = expect("fined RM50,000 or jailed", "RM50,000", ENR_ENT_MONEY,
                   50000);
        cr_expect_str_eq(m->value.currency, "MYR");
        m = expect("It rose 50 cents.", "50 cents", ENR_ENT_MONEY, 0.5);
}

/* Scales, percent, basis points, cents and pence move the decimal
 * exponent: the values are exact (expect() compares with ==). */
Test(numbers, exact_values) {
        const enr_mention_t *m;

        m = expect("The deal was worth £1.7m.", "£1.7m", ENR_ENT_MONEY, 1.7e6);
        cr_expect_str_eq(m->value.currency, "GBP");
        m = expect("losses of 8.2bn euros", "8.2bn euros", ENR_ENT_MONEY,
                   8.2e9);
        cr_expect_str_eq(m->value.currency, "EUR");
        expect("It has 4.464 million users.", "4.464 million", ENR_ENT_CARDINAL,
               4464000);
        expect("Shares fell 0.7% on Monday.", "0.7%", ENR_ENT_PERCENT, 0.7);
        expect("Inflation was 0.6 per cent.", "0.6 per cent", ENR_ENT_PERCENT,
               0.6);
        expect("Oil rose to $44.45 a barrel.", "$44.45", ENR_ENT_MONEY, 44.45);
        expect("a debt of $1.15 trillion", "$1.15 trillion", ENR_ENT_MONEY,
               1.15e12);
        expect("It cost two and a half million pounds.",
               "two and a half million pounds", ENR_ENT_MONEY, 2.5e6);
        expect("They raised half a million.", "half a million",
               ENR_ENT_CARDINAL, 5e5);
        expect("Rates rose 300 basis points.", "300 basis points",
               ENR_ENT_PERCENT, 3);
        expect("Rates rose 35 basis points.", "35 basis points",
               ENR_ENT_PERCENT, 0.35);
        expect("It rose 50 cents.", "50 cents", ENR_ENT_MONEY, 0.5);
        expect("Stamps cost 2.7 pence more.", "2.7 pence", ENR_ENT_MONEY,
               0.027);
        expect("a 3.35m Euros deal", "3.35m Euros", ENR_ENT_MONEY, 3.35e6);
        /* "m" without a currency is a unit, and the value is not scaled. */
        expect("He ran 5.65m.", "5.65m", ENR_ENT_QUANTITY, 5.65);
        /* A range: each end is exact ("value_max" is not set by numbers.c). */
        run("a 0.3-0.7 percent rise");
        m = find("a 0.3-0.7 percent rise", "0.3");
        cr_assert_not_null(m);
        cr_expect(m->value.num == 0.3, "%.17g", m->value.num);
        cr_expect_eq(m->type, ENR_ENT_PERCENT);
        expect("a 0.3-0.7 percent rise", "0.7 percent", ENR_ENT_PERCENT, 0.7);
        expect("from $1.64 to $1.89", "$1.64", ENR_ENT_MONEY, 1.64);
        expect("from $1.64 to $1.89", "$1.89", ENR_ENT_MONEY, 1.89);
}

Test(numbers, percent) {
        expect("Turnout was 76%.", "76%", ENR_ENT_PERCENT, 76);
        expect("Turnout was 76 per cent.", "76 per cent", ENR_ENT_PERCENT, 76);
        expect("Turnout was 76 percent.", "76 percent", ENR_ENT_PERCENT, 76);
        expect("a 3.9 percent deficit", "3.9 percent", ENR_ENT_PERCENT, 3.9);
        expect("up 350 basis points", "350 basis points", ENR_ENT_PERCENT, 3.5);
        /* The first of a range takes the second's type. */
        expect("a 5-15 percent discount", "5", ENR_ENT_PERCENT, 5);
}

Test(numbers, ordinals) {
        expect("the fourth attack", "fourth", ENR_ENT_ORDINAL, 4);
        expect("the 21st century", "21st", ENR_ENT_ORDINAL, 21);
        expect("his twenty-first birthday", "twenty-first", ENR_ENT_ORDINAL,
               21);
}

Test(numbers, quantities) {
        const char          *s = "They walked 5 km and carried 10 tonnes.";
        const enr_mention_t *m = expect(s, "5 km", ENR_ENT_QUANTITY, 5);

        cr_expect(!memcmp(s + m->value.unit_start, "km", 2));
        expect(s, "10 tonnes", ENR_ENT_QUANTITY, 10);
        expect("the 3,000-meter race", "3,000-meter", ENR_ENT_QUANTITY, 3000);
        expect("a 20-year-old student", "20-year", ENR_ENT_QUANTITY, 20);
        expect("She receives 2,000 letters a day.", "2,000 letters a day",
               ENR_ENT_QUANTITY, 2000);
        expect("Zhivka Savic, 65, said", "65", ENR_ENT_QUANTITY, 65);
}

Test(numbers, approximations) {
        const enr_mention_t *m;

        m = expect("around 7,000 people", "7,000", ENR_ENT_CARDINAL, 7000);
        cr_expect_eq(m->value.approx, ENR_APPROX_ABOUT);
        m = expect("more than 30,000 troops", "30,000", ENR_ENT_CARDINAL,
                   30000);
        cr_expect_eq(m->value.approx, ENR_APPROX_MORE_THAN);
        m = expect("at least 80 of them", "80", ENR_ENT_CARDINAL, 80);
        cr_expect_eq(m->value.approx, ENR_APPROX_MORE_THAN);
        m = expect("fewer than 10 seats", "10", ENR_ENT_CARDINAL, 10);
        cr_expect_eq(m->value.approx, ENR_APPROX_LESS_THAN);
        m = expect("up to $5 million", "$5 million", ENR_ENT_MONEY, 5e6);
        cr_expect_eq(m->value.approx, ENR_APPROX_LESS_THAN);
        m = expect("more than a dozen men", "dozen", ENR_ENT_CARDINAL, 12);
        cr_expect_eq(m->value.approx, ENR_APPROX_MORE_THAN);
        m = expect("nearly 40 percent", "40 percent", ENR_ENT_PERCENT, 40);
        cr_expect_eq(m->value.approx, ENR_APPROX_ABOUT);
        m = expect("They said 12 died.", "12", ENR_ENT_CARDINAL, 12);
        cr_expect_eq(m->value.approx, ENR_APPROX_NONE);
}

Test(numbers, left_to_dates_and_skipped) {
        const char *s = "In 1998, at 10:36, on April 3, after 20 years, "
                        "rates rose 23/32 in the 1990s; No. 4 seed; no one "
                        "came; section 38 applies.";

        run(s);
        cr_expect_null(find(s, "1998"));
        cr_expect_null(find(s, "10"));
        cr_expect_null(find(s, "36"));
        cr_expect_null(find(s, "3"));
        cr_expect_null(find(s, "20"));
        cr_expect_null(find(s, "23"));
        cr_expect_null(find(s, "1990s"));
        cr_expect_null(find(s, "4"));
        cr_expect_null(find(s, "one"));
        cr_expect_null(find(s, "38"));
}

Test(numbers, scores_split) {
        const char *s = "won 6-3, 7-6.";

        run(s);
        cr_expect_eq(M.n, 4);
        cr_expect_not_null(find(s, "6"));
        cr_expect_not_null(find(s, "3"));
}

Test(numbers, mention_limit) {
        const char *s = "1 2 3 4 5 6 7 8";
        char        err[64];

        enr_mentions_reset(&M);
        cr_assert_eq(enr_text_analyze(&T, s, strlen(s), 0, err, sizeof(err)),
                     ENR_OK);
        cr_expect_eq(enr_numbers_extract(N, S, &T, ENR_FIELD_BODY, &M, 3),
                     ENR_OK);
        cr_expect_eq(M.n, 3);
}
