/*
 * Unit tests of stats.c: syllable counts on a word list, stopwords, every
 * count and readability formula pinned on small hand-computed texts,
 * keywords and their order, boilerplate exclusion and scratch reuse.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "enricher/stats.h"

static enr_text_t           body, title;
static enr_stats_scratch_t *scratch;
static enr_stats_t          st;
static enr_keyword_t        kw[8];
static size_t               nkw;

static void setup(void) {
        enr_text_init(&body);
        enr_text_init(&title);
        scratch = enr_stats_scratch_new();
        cr_assert_not_null(scratch);
}

static void teardown(void) {
        enr_text_clear(&body);
        enr_text_clear(&title);
        enr_stats_scratch_destroy(scratch);
}

TestSuite(stats, .init = setup, .fini = teardown);

/* Analyses the body (and title when not NULL) and computes statistics. */
static void compute(const char *ttl, const char *text, double wpm) {
        char      err[256];
        enr_err_t e;

        e = enr_text_analyze(&body, text, strlen(text), 0, err, sizeof(err));
        cr_assert_eq(e, ENR_OK, "%s", err);
        if (ttl) {
                e = enr_text_analyze(&title, ttl, strlen(ttl), 0, err,
                                     sizeof(err));
                cr_assert_eq(e, ENR_OK, "%s", err);
        }
        e = enr_stats_compute(scratch, ttl ? &title : NULL, &body, body.ntoks,
                              wpm, &st, kw, 8, &nkw);
        cr_assert_eq(e, ENR_OK);
}

#define assert_near(got, want)                                                 \
        cr_assert(fabs((got) - (want)) < 1e-3, "%s = %f, want %f", #got,       \
                  (double)(got), (double)(want))

Test(stats, syllables_word_list) {
        static const struct {
                const char *w;
                unsigned    n;
        } words[] = {
            {"the", 1},
            {"a", 1},
            {"cat", 1},
            {"make", 1},
            {"makes", 1},
            {"table", 2},
            {"tables", 2},
            {"little", 2},
            {"people", 2},
            {"whole", 1},
            {"wanted", 2},
            {"jumped", 1},
            {"played", 1},
            {"boxes", 2},
            {"churches", 2},
            {"pages", 2},
            {"happy", 2},
            {"city", 2},
            {"yes", 1},
            {"beyond", 2},
            {"player", 2},
            {"trying", 2},
            {"being", 2},
            {"going", 2},
            {"radio", 3},
            {"video", 3},
            {"media", 3},
            {"india", 3},
            {"special", 2},
            {"nation", 2},
            {"million", 2},
            {"period", 3},
            {"actual", 3},
            {"premium", 3},
            {"beautiful", 3},
            {"government", 3},
            {"president", 3},
            {"minister", 3},
            {"election", 3},
            {"economy", 4},
            {"political", 4},
            {"country", 2},
            {"international", 5},
            {"security", 4},
            {"statement", 2},
            {"completely", 3},
            {"hopeful", 2},
            {"management", 3},
            {"agreement", 3},
            {"basically", 3},
            {"association", 5},
            {"criticism", 4},
            {"create", 2},
            {"created", 3},
            {"idea", 3},
            {"area", 3},
            {"business", 2},
            {"struggled", 2},
            {"bbc", 3},
            {"www", 9},
            {"decades-long", 3},
            {"o'brien", 2},
            {"Elephant", 3},
            {"", 1},
            {"x", 1},
            {"bureaucracy", 4},
        };
        size_t i;

        for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
                cr_expect_eq(
                    enr_stats_syllables(words[i].w, strlen(words[i].w)),
                    words[i].n, "syllables(%s) = %u, want %u", words[i].w,
                    enr_stats_syllables(words[i].w, strlen(words[i].w)),
                    words[i].n);
}

Test(stats, stopwords) {
        cr_assert(enr_stats_is_stopword("the", 3));
        cr_assert(enr_stats_is_stopword("a", 1));
        cr_assert(enr_stats_is_stopword("yourselves", 10));
        cr_assert(enr_stats_is_stopword("said", 4));
        cr_assert(enr_stats_is_stopword("therefore", 9));
        cr_assert_not(enr_stats_is_stopword("thei", 4), "a prefix of their");
        cr_assert_not(enr_stats_is_stopword("government", 10));
        cr_assert_not(enr_stats_is_stopword("zebra", 5));
        cr_assert_not(enr_stats_is_stopword("", 0));
        cr_assert_not(enr_stats_is_stopword("The", 3), "lower case only");
}

/*
 * "The cat sat on the mat. The dog ran to the park." by hand:
 * 12 words, 2 sentences, 12 syllables, 0 polysyllables,
 * letters 3+3+3+2+3+3 + 3+3+3+2+3+4 = 35, 48 characters,
 * unique: the cat sat on mat dog ran to park = 9,
 * content words: cat sat mat dog ran park = 6.
 */
Test(stats, counts_and_formulas_simple) {
        compute(NULL, "The cat sat on the mat. The dog ran to the park.", 200);
        cr_assert_eq(st.characters, 48);
        cr_assert_eq(st.words, 12);
        cr_assert_eq(st.sentences, 2);
        cr_assert_eq(st.paragraphs, 1);
        cr_assert_eq(st.syllables, 12);
        cr_assert_eq(st.polysyllables, 0);
        cr_assert_eq(st.letters, 35);
        cr_assert_eq(st.unique_words, 9);
        cr_assert_eq(st.long_words, 0);
        cr_assert_eq(st.content_words, 6);
        assert_near(st.avg_sentence_length, 6.0);
        assert_near(st.avg_syllables_per_word, 1.0);
        /* 206.835 - 1.015 * 6 - 84.6 * 1 */
        assert_near(st.flesch_reading_ease, 116.145);
        /* 0.39 * 6 + 11.8 * 1 - 15.59 */
        assert_near(st.flesch_kincaid_grade, -1.45);
        /* 0.4 * (6 + 0) */
        assert_near(st.gunning_fog, 2.4);
        /* 1.0430 * sqrt(0) + 3.1291 */
        assert_near(st.smog_index, 3.1291);
        /* 0.0588 * 291.6667 - 0.296 * 16.6667 - 15.8 */
        assert_near(st.coleman_liau_index, -3.58333);
        /* 4.71 * 35 / 12 + 0.5 * 6 - 21.43 */
        assert_near(st.automated_readability_index, -4.69250);
        /* 12 words at 200 wpm. */
        assert_near(st.reading_time_seconds, 3.6);
        assert_near(st.lexical_density, 0.5);
}

/*
 * "Beautiful elephants celebrate. Government officials dislike
 * bureaucracy." by hand: 7 words, 2 sentences; syllables 3 3 3 3 3 2 4 =
 * 21; polysyllables 6; letters 9+9+9+10+9+7+11 = 64; long words 7.
 */
Test(stats, counts_and_formulas_polysyllabic) {
        compute(NULL,
                "Beautiful elephants celebrate.\n\nGovernment officials "
                "dislike bureaucracy.",
                238);
        cr_assert_eq(st.words, 7);
        cr_assert_eq(st.sentences, 2);
        cr_assert_eq(st.paragraphs, 2);
        cr_assert_eq(st.syllables, 21);
        cr_assert_eq(st.polysyllables, 6);
        cr_assert_eq(st.letters, 64);
        cr_assert_eq(st.long_words, 7);
        cr_assert_eq(st.content_words, 7);
        assert_near(st.avg_sentence_length, 3.5);
        assert_near(st.avg_syllables_per_word, 3.0);
        /* 206.835 - 1.015 * 3.5 - 84.6 * 3 */
        assert_near(st.flesch_reading_ease, -50.5175);
        /* 0.39 * 3.5 + 11.8 * 3 - 15.59 */
        assert_near(st.flesch_kincaid_grade, 21.175);
        /* 0.4 * (3.5 + 100 * 6 / 7) */
        assert_near(st.gunning_fog, 35.68571);
        /* 1.0430 * sqrt(6 * 30 / 2) + 3.1291 */
        assert_near(st.smog_index, 13.02386);
        /* 0.0588 * (64 / 7 * 100) - 0.296 * (2 / 7 * 100) - 15.8 */
        assert_near(st.coleman_liau_index, 29.50286);
        /* 4.71 * 64 / 7 + 0.5 * 3.5 - 21.43 */
        assert_near(st.automated_readability_index, 23.38286);
        assert_near(st.reading_time_seconds, 7.0 / 238.0 * 60.0);
        assert_near(st.lexical_density, 1.0);
}

Test(stats, what_counts_as_a_word) {
        /* Clitics are not words; numbers, URLs and e-mails are. */
        compute(NULL,
                "Canada’s 2,000 troops don't see www.example.com or "
                "a@b.org — 😀!",
                250);
        cr_assert_eq(st.words, 8);
        cr_assert_eq(st.sentences, 1);
        /* Letters: Canada s 2000 troops do nt see or. */
        cr_assert_eq(st.letters, 6 + 1 + 4 + 6 + 2 + 2 + 3 + 2);
        /* Syllables: ca-na-da(3) 2,000(1) troops(1) do(1) see(1) url(1)
         * or(1) e-mail(1). */
        cr_assert_eq(st.syllables, 10);
        cr_assert_eq(st.characters, strlen("Canada’s 2,000 troops don't see "
                                           "www.example.com or a@b.org — "
                                           "😀!") -
                                        2 - 2 - 3);
}

Test(stats, unique_words_lower_case) {
        compute(NULL, "Café café CAFÉ cafe. The THE the.", 250);
        cr_assert_eq(st.words, 7);
        cr_assert_eq(st.unique_words, 3);
        cr_assert_eq(st.sentences, 2);
}

Test(stats, acronyms_read_letter_by_letter) {
        compute(NULL, "The BBC and the UK. US us.", 250);
        /*
         * the(1) BBC(3) and(1) the(1) UK(2); "US" lower-cases to the
         * stopword "us" and is read as a word (1), as is "us" (1).
         */
        cr_assert_eq(st.syllables, 10);
        cr_assert_eq(st.polysyllables, 1);
}

Test(stats, keywords_order_and_stopwords) {
        compute("Banana news",
                "Apple apple APPLE banana. Israel’s army said the army "
                "would go. Cherry 2020 x U.S. decades-long Mr. Smith's.",
                250);
        cr_assert_eq(nkw, 8);
        /* banana: 1 in the body + 1 in the title = 2; apple 3. */
        cr_assert_str_eq(kw[0].word, "apple");
        cr_assert_eq(kw[0].count, 3);
        cr_assert_str_eq(kw[1].word, "army");
        cr_assert_eq(kw[1].count, 2);
        cr_assert_str_eq(kw[2].word, "banana");
        cr_assert_eq(kw[2].count, 2);
        /* Ties in count go by word. */
        cr_assert_str_eq(kw[3].word, "cherry");
        cr_assert_str_eq(kw[4].word, "decades-long");
        cr_assert_str_eq(kw[5].word, "go");
        cr_assert_str_eq(kw[6].word, "israel");
        cr_assert_str_eq(kw[7].word, "news");
        /* Not: said, the, would, mr (stopwords), 2020, x, u.s., 's. */
}

Test(stats, keywords_fewer_than_asked) {
        compute(NULL, "The the of and. Zebra.", 250);
        cr_assert_eq(nkw, 1);
        cr_assert_str_eq(kw[0].word, "zebra");
        cr_assert_eq(kw[0].count, 1);
}

Test(stats, boilerplate_is_ignored) {
        const char *text = "Real news here. Follow us on Twitter today.";
        char        err[256];
        size_t      cut;

        cr_assert_eq(
            enr_text_analyze(&body, text, strlen(text), 0, err, sizeof(err)),
            ENR_OK);
        cut = 4; /* "Follow" */
        cr_assert_eq(
            enr_stats_compute(scratch, NULL, &body, cut, 250, &st, kw, 8, &nkw),
            ENR_OK);
        cr_assert_eq(st.words, 3);
        cr_assert_eq(st.sentences, 1);
        cr_assert_eq(st.characters, 16);
        cr_assert_eq(nkw, 2);
        cr_assert_str_eq(kw[0].word, "news");
        cr_assert_str_eq(kw[1].word, "real");
        /* Past the end means no boilerplate. */
        cr_assert_eq(enr_stats_compute(scratch, NULL, &body, 1000, 250, &st,
                                       NULL, 0, &nkw),
                     ENR_OK);
        cr_assert_eq(st.words, 8);
        cr_assert_eq(nkw, 0);
}

Test(stats, empty_body_is_all_zero) {
        compute(NULL, "", 250);
        cr_assert_eq(st.words, 0);
        cr_assert_eq(st.sentences, 0);
        cr_assert_eq(st.flesch_reading_ease, 0.0);
        cr_assert_eq(st.smog_index, 0.0);
        cr_assert_eq(st.lexical_density, 0.0);
        cr_assert_eq(nkw, 0);
        compute(NULL, "— … !", 250);
        cr_assert_eq(st.words, 0);
        cr_assert_eq(st.sentences, 0);
        cr_assert_eq(st.characters, 5);
        cr_assert_eq(st.reading_time_seconds, 0.0);
}

Test(stats, scratch_reuse_is_deterministic) {
        enr_stats_t first;
        int         i;

        compute("Title words", "Alpha beta gamma. Beta gamma. Gamma.", 250);
        first = st;
        for (i = 0; i < 5; i++) {
                compute(NULL,
                        "Something else entirely, much longer than "
                        "before, with other words.",
                        250);
                compute("Title words", "Alpha beta gamma. Beta gamma. Gamma.",
                        250);
                cr_assert_eq(memcmp(&first, &st, sizeof(st)), 0);
                cr_assert_eq(nkw, 5);
                cr_assert_str_eq(kw[0].word, "gamma");
                cr_assert_str_eq(kw[1].word, "beta");
                cr_assert_str_eq(kw[2].word, "alpha");
                cr_assert_str_eq(kw[3].word, "title");
                cr_assert_str_eq(kw[4].word, "words");
        }
}

Test(stats, bad_arguments) {
        cr_assert_eq(
            enr_stats_compute(scratch, NULL, NULL, 0, 250, &st, kw, 8, &nkw),
            ENR_ERR_INVALID_ARG);
        cr_assert_eq(
            enr_stats_compute(NULL, NULL, &body, 0, 250, &st, kw, 8, &nkw),
            ENR_ERR_INVALID_ARG);
        enr_stats_scratch_destroy(NULL);
}
