/*
 * Unit tests of tone.c with the shipped lexicons: the example sentences of
 * vaderSentiment's README with their published scores (negation, "but",
 * ALL CAPS, "!!!", boosters, slang, emoticons, "kind of"), its "tricky"
 * sentences ("never this good", "the shit", "bad ass", "without a doubt",
 * "least"), 3.3.2's quirks (the "but" rule scaling the first equal value,
 * tokens that keep their punctuation, "so"/"this" before a word), emojis,
 * the gkg summary, rounding, empty text and load errors.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "enricher/tone.h"

static enr_tone_t         *tone;
static enr_tone_scratch_t *scratch;

static void setup(void) {
        char err[256];

        tone = enr_tone_new(ENR_RESOURCE_DIR, err, sizeof(err));
        cr_assert_not_null(tone, "%s", err);
        scratch = enr_tone_scratch_new();
        cr_assert_not_null(scratch);
}

static void teardown(void) {
        enr_tone_scratch_destroy(scratch);
        enr_tone_destroy(tone);
}

TestSuite(tone, .init = setup, .fini = teardown);

static enr_tone_result_t score(const char *text) {
        enr_tone_result_t r;

        cr_assert_eq(enr_tone_score(tone, scratch, text, strlen(text), &r),
                     ENR_OK);
        return r;
}

/* Expects vaderSentiment's rounded scores for text. */
static void expect(const char *text, double compound, double pos, double neg,
                   double neu) {
        enr_tone_result_t r = score(text);

        cr_expect_eq(enr_tone_round(r.compound, 4), compound,
                     "%s: compound %.4f, want %.4f", text, r.compound,
                     compound);
        cr_expect_eq(enr_tone_round(r.positive, 3), pos, "%s: pos %.3f", text,
                     r.positive);
        cr_expect_eq(enr_tone_round(r.negative, 3), neg, "%s: neg %.3f", text,
                     r.negative);
        cr_expect_eq(enr_tone_round(r.neutral, 3), neu, "%s: neu %.3f", text,
                     r.neutral);
}

/* The README's examples and their published output (README.rst, "Output
 * for the above example code"). */
Test(tone, readme_examples) {
        expect("VADER is smart, handsome, and funny.", 0.8316, 0.746, 0.0,
               0.254);
        expect("VADER is smart, handsome, and funny!", 0.8439, 0.752, 0.0,
               0.248);
        expect("VADER is very smart, handsome, and funny.", 0.8545, 0.701, 0.0,
               0.299);
        expect("VADER is VERY SMART, handsome, and FUNNY.", 0.9227, 0.754, 0.0,
               0.246);
        expect("VADER is VERY SMART, handsome, and FUNNY!!!", 0.9342, 0.767,
               0.0, 0.233);
        expect("VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!",
               0.9469, 0.706, 0.0, 0.294);
        expect("VADER is not smart, handsome, nor funny.", -0.7424, 0.0, 0.646,
               0.354);
        expect("The book was good.", 0.4404, 0.492, 0.0, 0.508);
        /* Published 0.363/0.637 are older than 3.3.2, whose pos and neu
         * are these (compound unchanged). */
        expect("At least it isn't a horrible book.", 0.431, 0.322, 0.0, 0.678);
        expect("The book was only kind of good.", 0.3832, 0.303, 0.0, 0.697);
        expect("The plot was good, but the characters are uncompelling and "
               "the dialog is not great.",
               -0.7042, 0.094, 0.327, 0.579);
        expect("Today SUX!", -0.5461, 0.0, 0.779, 0.221);
        expect("Today only kinda sux! But I'll get by, lol", 0.5249, 0.317,
               0.127, 0.556);
        expect("Make sure you :) or :D today!", 0.8633, 0.706, 0.0, 0.294);
        expect("Not bad at all", 0.431, 0.487, 0.0, 0.513);
}

/* Emojis become their descriptions ("heart with arrow", "kiss mark",
 * "beaming face with smiling eyes": heart 3.2, kiss 1.8, smiling 2.0).
 * The README's published 0.7003 for this sentence is older than 3.3.2's
 * emoji lexicon; 3.3.2 itself gives 0.875, as here. */
Test(tone, emoji) {
        expect("Catch utf-8 emoji such as \xf0\x9f\x92\x98 and "
               "\xf0\x9f\x92\x8b and \xf0\x9f\x98\x81",
               0.875, 0.417, 0.0, 0.583);
        /* Alone, and glued to a word: a space is put before it only. */
        expect("\xf0\x9f\x98\x81", 0.4588, 0.429, 0.0, 0.571);
        expect("x \xf0\x9f\x98\x81", 0.4588, 0.375, 0.0, 0.625);
}

/* The README's "tricky" sentences, scored with 3.3.2. */
Test(tone, tricky) {
        expect("Sentiment analysis has never been good.", -0.3412, 0.0, 0.325,
               0.675);
        expect("Sentiment analysis has never been this good!", 0.5672, 0.379,
               0.0, 0.621);
        expect("Most automated sentiment analysis tools are shit.", -0.5574,
               0.0, 0.375, 0.625);
        expect("With VADER, sentiment analysis is the shit!", 0.6476, 0.417,
               0.0, 0.583);
        expect("Other sentiment analysis tools can be quite bad.", -0.5849, 0.0,
               0.351, 0.649);
        expect("On the other hand, VADER is quite bad ass", 0.802, 0.577, 0.0,
               0.423);
        expect("VADER is such a badass!", 0.4003, 0.402, 0.0, 0.598);
        expect("Without a doubt, excellent idea.", 0.7013, 0.659, 0.0, 0.341);
        expect("Without a doubt, an excellent idea.", 0.7013, 0.592, 0.0,
               0.408);
        expect("Roger Dodger is one of the most compelling variations on this "
               "theme.",
               0.2944, 0.166, 0.0, 0.834);
        expect("Roger Dodger is at least compelling as a variation on the "
               "theme.",
               0.2263, 0.147, 0.0, 0.853);
        expect("Roger Dodger is one of the least compelling variations on "
               "this theme.",
               -0.1695, 0.0, 0.132, 0.868);
        expect("Not such a badass after all.", -0.2584, 0.0, 0.289, 0.711);
}

/* 3.3.2's quirks, kept because the reference has them. */
Test(tone, quirks) {
        /* "but": sentiments.index() finds the first equal value, so "fyi"
         * (0.8) after "but" scales the halved "jw" (1.6 -> 0.8 -> 0.4)
         * instead of itself: sum 1.2, not 2.0. */
        expect("jw but fyi", 0.296, 0.762, 0.0, 0.238);
        expect("fyi but jw", 0.5859, 0.828, 0.0, 0.172);
        /* "no" before a lexicon word negates it and scores 0 itself; alone
         * it is the lexicon's -1.2. */
        expect("no good at all", -0.3412, 0.0, 0.445, 0.555);
        expect("no", -0.296, 0.0, 1.0, 0.0);
        /* "the bomb" replaces the valence, after the negation. */
        expect("the movie was not the bomb", 0.6124, 0.444, 0.0, 0.556);
        /* "so" right before a word multiplies by 1.25 even without "never"
         * (the and/or grouping of _negation_check). */
        expect("never so bad", -0.6696, 0.0, 0.692, 0.308);
        expect("kind of nice", 0.4215, 0.583, 0.0, 0.417);
        /* Non-ASCII capitals count for ALL CAPS; the curly apostrophe is
         * no negation. */
        expect("\xc3\x9cn\xc3\xaf"
               "code \xc3\x89"
               "COLE good day",
               0.4404, 0.492, 0.0, 0.508);
        expect("I\xe2\x80\x99m sure we\xe2\x80\x99re fine", 0.4767, 0.672, 0.0,
               0.328);
        expect("ABSOLUTELY good but bad", -0.688, 0.232, 0.579, 0.189);
}

Test(tone, empty_and_blank) {
        enr_tone_result_t r = score("");

        cr_expect_eq(r.compound, 0);
        cr_expect_eq(r.neutral, 0);
        cr_expect_eq(r.gkg.word_count, 0);
        r = score(" \t\n\xc2\xa0\xe3\x80\x80 ");
        cr_expect_eq(r.tokens, 0);
        cr_expect_eq(r.compound, 0);
        r = score("the table");
        cr_expect_eq(r.compound, 0);
        cr_expect_eq(r.neutral, 1);
}

/* gkg: percentages of words (letters or digits, or lexicon entries). */
Test(tone, gkg) {
        /* 9 words: good, great (+), bad (-), we, our (pronouns). */
        enr_tone_result_t r =
            score("We think our good plan is great, not bad.");

        cr_expect_eq(r.gkg.word_count, 9);
        cr_expect_float_eq(r.gkg.positive, 200.0 / 9, 1e-12);
        cr_expect_float_eq(r.gkg.negative, 100.0 / 9, 1e-12);
        cr_expect_float_eq(r.gkg.tone, 100.0 / 9, 1e-12);
        cr_expect_float_eq(r.gkg.polarity, 300.0 / 9, 1e-12);
        cr_expect_float_eq(r.gkg.self_group_density, 200.0 / 9, 1e-12);
        /* Dashes and lone punctuation are not words; "US" is the country;
         * "I’m" is a pronoun; ":)" is a lexicon entry, so a word; "ok" is
         * in the lexicon twice, the later 1.2 wins. */
        r = score("US \xe2\x80\x94 I\xe2\x80\x99m here :) - ok");
        cr_expect_eq(r.gkg.word_count, 5);
        cr_expect_float_eq(r.gkg.self_group_density, 20.0, 1e-12);
        cr_expect_float_eq(r.gkg.positive, 40.0, 1e-12);
        expect("ok", 0.296, 1.0, 0.0, 0.0);
}

Test(tone, rounding) {
        cr_expect_eq(enr_tone_round(0.30000000000000004, 3), 0.3);
        cr_expect_eq(enr_tone_round(-0.00004, 4), 0.0);
        cr_expect(!signbit(enr_tone_round(-0.00004, 4)));
        /* Ties on the binary value, as Python: 0.1235 is below the tie. */
        cr_expect_eq(enr_tone_round(0.1235, 3), 0.123);
        cr_expect_eq(enr_tone_round(0.375, 2), 0.38);
}

/* Long texts are scored on their first ENR_TONE_MAX_BYTES at a space. */
Test(tone, long_text) {
        size_t            n   = ENR_TONE_MAX_BYTES + 100, i;
        char             *big = malloc(n);
        enr_tone_result_t r;

        cr_assert_not_null(big);
        for (i = 0; i + 5 <= n; i += 5)
                memcpy(big + i, "good ", 5);
        memset(big + i, ' ', n - i);
        cr_assert_eq(enr_tone_score(tone, scratch, big, n, &r), ENR_OK);
        /* The byte at the limit is a space: whole "good "s, then "good". */
        cr_expect_eq(r.tokens, ENR_TONE_MAX_BYTES / 5 + 1);
        cr_expect_gt(r.compound, 0.99);
        free(big);
}

Test(tone, load_errors) {
        char err[256] = "";

        cr_expect_null(enr_tone_new("/nonexistent", err, sizeof(err)));
        cr_expect(strstr(err, "vader_lexicon.txt") != NULL, "%s", err);
        enr_tone_destroy(NULL);
        enr_tone_scratch_destroy(NULL);
}

/* Invalid and truncated UTF-8: no read past the text, bad bytes are
 * uncased non-space characters. */
Test(tone, invalid_utf8) {
        static const char *const texts[] = {"\xff good \xfe",
                                            "good \xe2\x80",
                                            "\xf0\x9f\x98",
                                            "bad \xc2",
                                            "\xe2\x80\xa8good\xe3\x80",
                                            "\x80\x80\x80 :)"};
        size_t                   i;

        for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
                enr_tone_result_t r;
                cr_assert_eq(enr_tone_score(tone, scratch, texts[i],
                                            strlen(texts[i]), &r),
                             ENR_OK);
                cr_expect(r.compound >= -1 && r.compound <= 1);
        }
        /* Three tokens, one of them "good" (1.9). */
        expect("\xff good \xfe", 0.4404, 0.592, 0.0, 0.408);
}
