/*
 * Tests of the date and time extractor: absolute forms, resolution of
 * relative ones against the publication time (and none without it), spans
 * that leave modifiers out, durations, ranges and clock times.
 */
#include <string.h>

#include <criterion/criterion.h>

#include "enricher/dates.h"
#include "enricher/entities.h"
#include "enricher/text.h"

static enr_dates_t         *D;
static enr_dates_scratch_t *S;
static enr_mentions_t       M;
static enr_text_t           T;

/* Thursday 2023-10-19 12:00:00 UTC. */
#define PUB ((int64_t)1697716800)

static void setup(void) {
        char err[256];

        D = enr_dates_new(err, sizeof(err));
        cr_assert_not_null(D, "%s", err);
        S = enr_dates_scratch_new(D);
        cr_assert_not_null(S);
        enr_mentions_init(&M);
        enr_text_init(&T);
}

static void teardown(void) {
        enr_text_clear(&T);
        enr_mentions_clear(&M);
        enr_dates_scratch_destroy(S);
        enr_dates_destroy(D);
}

static void run(const char *s, int64_t pub) {
        char err[256];

        enr_mentions_reset(&M);
        cr_assert_eq(enr_text_analyze(&T, s, strlen(s), 0, err, sizeof(err)),
                     ENR_OK, "%s", err);
        cr_assert_eq(enr_dates_extract(D, S, &T, ENR_FIELD_BODY, pub, &M, 0),
                     ENR_OK);
}

static const enr_mention_t *find(const char *s, const char *span) {
        size_t i, n = strlen(span);

        for (i = 0; i < M.n; i++)
                if (M.v[i].end - M.v[i].start == n &&
                    !memcmp(s + M.v[i].start, span, n))
                        return &M.v[i];
        return NULL;
}

/* Runs s and checks that span is found with type and value (NULL: no
 * value). */
static void expect(const char *s, int64_t pub, const char *span,
                   enr_ent_type_t type, const char *value) {
        const enr_mention_t *m;

        run(s, pub);
        m = find(s, span);
        cr_assert_not_null(m, "\"%s\" not found in \"%s\"", span, s);
        cr_expect_eq(m->type, type, "\"%s\": type %s", span,
                     enr_ent_type_name((enr_ent_type_t)m->type));
        if (value) {
                cr_expect(m->flags & ENR_MENTF_HAS_DATE, "\"%s\": no value",
                          span);
                cr_expect_str_eq(m->value.date, value, "\"%s\": %s, want %s",
                                 span, m->value.date, value);
        } else {
                cr_expect_not(m->flags & ENR_MENTF_HAS_DATE,
                              "\"%s\": unexpected value %s", span,
                              m->value.date);
        }
}

TestSuite(dates, .init = setup, .fini = teardown);

Test(dates, absolute) {
        expect("LONDON 1996-08-30", ENR_NO_TIME, "1996-08-30", ENR_ENT_DATE,
               "1996-08-30");
        expect("It was founded in 2019.", ENR_NO_TIME, "2019", ENR_ENT_DATE,
               "2019");
        expect("in the 1990s", ENR_NO_TIME, "1990s", ENR_ENT_DATE, "1990/1999");
        expect("in March 1998 the", ENR_NO_TIME, "March 1998", ENR_ENT_DATE,
               "1998-03");
        expect("on Sept. 1, 1987, during", ENR_NO_TIME, "Sept. 1, 1987",
               ENR_ENT_DATE, "1987-09-01");
        expect("born 30 August 1962 in", ENR_NO_TIME, "30 August 1962",
               ENR_ENT_DATE, "1962-08-30");
        expect("in May, 1997.", ENR_NO_TIME, "May, 1997", ENR_ENT_DATE,
               "1997-05");
        expect("as 19th-century romanticism", ENR_NO_TIME, "19th-century",
               ENR_ENT_DATE, "1801/1900");
        expect("around 2000 B.C., which", ENR_NO_TIME, "2000 B.C.",
               ENR_ENT_DATE, "-1999");
}

Test(dates, relative_without_publication_time) {
        expect("on Thursday he said", ENR_NO_TIME, "Thursday", ENR_ENT_DATE,
               NULL);
        expect("on October 7 he said", ENR_NO_TIME, "October 7", ENR_ENT_DATE,
               NULL);
        expect("last week he said", ENR_NO_TIME, "week", ENR_ENT_DATE, NULL);
}

Test(dates, weekdays) {
        /* Published on a Thursday: "Thursday" is that day, "Monday" the
         * Monday before; a future context looks forward. */
        expect("Police said on Thursday that", PUB, "Thursday", ENR_ENT_DATE,
               "2023-10-19");
        expect("A man was injured Monday in", PUB, "Monday", ENR_ENT_DATE,
               "2023-10-16");
        expect("The report will be made public on Monday.", PUB, "Monday",
               ENR_ENT_DATE, "2023-10-23");
        expect("They meet again next Thursday.", PUB, "Thursday", ENR_ENT_DATE,
               "2023-10-26");
        expect("It happened last Thursday.", PUB, "Thursday", ENR_ENT_DATE,
               "2023-10-12");
        expect("SHAH ALAM, Thurs. - The", PUB, "Thurs.", ENR_ENT_DATE,
               "2023-10-19");
        /* A plural recurs: no single date. */
        expect("The show airs on Thursdays.", PUB, "Thursdays", ENR_ENT_DATE,
               NULL);
}

Test(dates, month_day_year_choice) {
        expect("The attack came on October 7.", PUB, "October 7", ENR_ENT_DATE,
               "2023-10-07");
        /* More than six months ahead: the previous year. */
        expect("It began on December 20.", PUB, "December 20", ENR_ENT_DATE,
               "2022-12-20");
        expect("Talks resume on April 3, officials said.", PUB, "April 3",
               ENR_ENT_DATE, "2023-04-03");
        expect("Elections will be held on March 5.", PUB, "March 5",
               ENR_ENT_DATE, "2024-03-05");
        expect("in July, police said", PUB, "July", ENR_ENT_DATE, "2023-07");
}

Test(dates, relative_periods) {
        /* Modifiers stay outside the span but set the value. */
        expect("Talks collapsed last week.", PUB, "week", ENR_ENT_DATE,
               "2023-W41");
        expect("this week's talks", PUB, "week", ENR_ENT_DATE, "2023-W42");
        expect("announced earlier this month to", PUB, "month", ENR_ENT_DATE,
               "2023-10");
        expect("since last month", PUB, "month", ENR_ENT_DATE, "2023-09");
        expect("The IMF last year withheld", PUB, "year", ENR_ENT_DATE, "2022");
        expect("It happened yesterday.", PUB, "yesterday", ENR_ENT_DATE,
               "2023-10-18");
        expect("Last fall, the pope", PUB, "fall", ENR_ENT_DATE,
               "2022-09/2022-11");
        expect("debuts next spring.", PUB, "spring", ENR_ENT_DATE,
               "2024-03/2024-05");
        expect("into the second quarter", PUB, "second quarter", ENR_ENT_DATE,
               "2023-Q2");
        expect("for the Memorial Day recess", PUB, "Memorial Day", ENR_ENT_DATE,
               "2023-05-29");
}

Test(dates, durations) {
        expect("Moi, ruler for 20 years.", ENR_NO_TIME, "20 years",
               ENR_ENT_DATE, "P20Y");
        expect("won a five-year term", ENR_NO_TIME, "five-year", ENR_ENT_DATE,
               "P5Y");
        expect("a brutal two-week crackdown", ENR_NO_TIME, "two-week",
               ENR_ENT_DATE, "P2W");
        expect("burning for a month in", ENR_NO_TIME, "month", ENR_ENT_DATE,
               "P1M");
        expect("the past two and a half years", ENR_NO_TIME,
               "two and a half years", ENR_ENT_DATE, "P2.5Y");
        /* Counts in full, without binary noise. */
        expect("It lasted 1234567 seconds.", ENR_NO_TIME, "1234567 seconds",
               ENR_ENT_TIME, "PT1234567S");
        expect("over 1.1 centuries", ENR_NO_TIME, "1.1 centuries", ENR_ENT_DATE,
               "P110Y");
        expect("for 0.7 seconds", ENR_NO_TIME, "0.7 seconds", ENR_ENT_TIME,
               "PT0.7S");
        expect("a gunman two years ago.", PUB, "two years", ENR_ENT_DATE,
               "2021");
        expect("which stood at 4:07.13.", ENR_NO_TIME, "4:07.13", ENR_ENT_DATE,
               "PT4M07.13S");
        expect("a 10-hour documentary", ENR_NO_TIME, "10-hour", ENR_ENT_TIME,
               "PT10H");
        /* Ages are quantities (numbers.c), not durations. */
        run("a 20-year-old man and a boy 8 years of age", PUB);
        cr_expect_eq(M.n, 0);
        /* Rates are not durations either. */
        run("fined RM1,000 a day", PUB);
        cr_expect_eq(M.n, 0);
}

Test(dates, ranges) {
        const char *s = "the deficit for 1997-98 and from May 1-31.";

        expect(s, PUB, "1997", ENR_ENT_DATE, "1997");
        expect(s, PUB, "98", ENR_ENT_DATE, "1998");
        expect(s, PUB, "May 1", ENR_ENT_DATE, "2023-05-01");
        expect(s, PUB, "31", ENR_ENT_DATE, "2023-05-31");
        expect("in two to three years", ENR_NO_TIME, "two", ENR_ENT_DATE, NULL);
}

Test(dates, times) {
        expect("at 10:36 a.m. local time", PUB, "10:36 a.m.", ENR_ENT_TIME,
               "T10:36");
        expect("The show, at 9 p.m. on", PUB, "9 p.m.", ENR_ENT_TIME, "T21:00");
        expect("met at noon", PUB, "noon", ENR_ENT_TIME, "T12:00");
}

Test(dates, not_dates) {
        const char *s = "He may go. The fall of Rome. Spend $2000 on 20th "
                        "Century Fox and 1,998 people; 1999 percent.";

        run(s, PUB);
        cr_expect_null(find(s, "may"));
        cr_expect_null(find(s, "fall"));
        cr_expect_null(find(s, "2000"));
        cr_expect_null(find(s, "20th Century"));
        cr_expect_null(find(s, "998"));
        cr_expect_null(find(s, "1999"));
}

Test(dates, mention_limit) {
        const char *s = "1990 1991 1992 1993 1994";
        char        err[64];

        enr_mentions_reset(&M);
        cr_assert_eq(enr_text_analyze(&T, s, strlen(s), 0, err, sizeof(err)),
                     ENR_OK);
        cr_expect_eq(enr_dates_extract(D, S, &T, ENR_FIELD_BODY, PUB, &M, 2),
                     ENR_OK);
        cr_expect_eq(M.n, 2);
}
