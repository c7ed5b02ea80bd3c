/*
 * Tests of the gazetteer: loading the shipped lists, exact and case-folded
 * longest-match look-ups by token sequence, classes and country codes,
 * single-word look-ups, and errors for missing or malformed lists.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "enricher/gazetteer.h"
#include "unit.h"

static enr_gazetteer_t *gaz;
static enr_text_t       txt;

static void setup(void) {
        gaz = unit_gazetteer();
        enr_text_init(&txt);
}

static void teardown(void) {
        enr_text_clear(&txt);
        enr_gazetteer_destroy(gaz);
}

/* Analyses s and looks up the longest entry at token i. */
static bool match(const char *s, size_t i, bool folded, enr_gaz_match_t *m) {
        cr_assert_eq(enr_text_analyze(&txt, s, strlen(s), 0, NULL, 0), ENR_OK);
        memset(m, 0, sizeof(*m));
        return folded ? enr_gazetteer_match_folded(gaz, &txt, i, txt.ntoks, m)
                      : enr_gazetteer_match(gaz, &txt, i, txt.ntoks, m);
}

TestSuite(gazetteer, .init = setup, .fini = teardown);

Test(gazetteer, loads_every_list) {
        /* Countries, subdivisions, tz cities and the dictionary at least. */
        cr_expect_gt(enr_gazetteer_size(gaz), 60000);
}

Test(gazetteer, country_with_code) {
        enr_gaz_match_t m;

        cr_assert(match("Iran and Qatar", 0, false, &m));
        cr_expect_eq(m.ntoks, 1);
        cr_expect(m.classes & ENR_GAZ_COUNTRY);
        cr_expect_str_eq(m.code, "IR");
        cr_assert(match("Iran and Qatar", 2, false, &m));
        cr_expect_str_eq(m.code, "QA");
        /* iso-codes' official name, a multi-token entry. */
        cr_assert(match("the Islamic Republic of Iran said", 1, false, &m));
        cr_expect_eq(m.ntoks, 4);
        cr_expect_str_eq(m.code, "IR");
}

Test(gazetteer, longest_match_wins) {
        enr_gaz_match_t m;

        /* "Gaza" is a city, "Gaza Strip" a region: the longer wins. */
        cr_assert(match("the Gaza Strip today", 1, false, &m));
        cr_expect_eq(m.ntoks, 2);
        cr_expect(m.classes & ENR_GAZ_LOC);
        cr_expect_str_eq(m.code, "PS");
        cr_assert(match("in Gaza today", 1, false, &m));
        cr_expect_eq(m.ntoks, 1);
        cr_expect(m.classes & ENR_GAZ_CITY);
        /* The look-up never runs past end. */
        cr_assert_eq(enr_text_analyze(&txt, "Gaza Strip", 10, 0, NULL, 0),
                     ENR_OK);
        cr_assert(enr_gazetteer_match(gaz, &txt, 0, 1, &m));
        cr_expect_eq(m.ntoks, 1);
}

Test(gazetteer, case_sensitive_and_folded) {
        enr_gaz_match_t m;

        cr_expect_not(match("DOHA is big", 0, false, &m));
        cr_assert(match("DOHA is big", 0, true, &m));
        cr_expect_str_eq(m.code, "QA");
        cr_assert(match("TEHRAN is big", 0, true, &m));
        cr_expect(m.classes & ENR_GAZ_CITY);
        cr_expect_str_eq(m.code, "IR");
        cr_assert(match("NEW YORK", 0, true, &m));
        cr_expect_eq(m.ntoks, 2);
        cr_expect_str_eq(m.code, "US");
}

Test(gazetteer, demonyms_carry_codes) {
        static const struct {
                const char *w, *code;
        } cases[] = {{"Iranian", "IR"},     {"Israeli", "IL"},
                     {"Palestinian", "PS"}, {"Qatari", "QA"},
                     {"Turkish", "TR"},     {"British", "GB"},
                     {"American", "US"}};
        size_t k;

        for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
                enr_gaz_match_t m;
                cr_assert(match(cases[k].w, 0, false, &m), "%s", cases[k].w);
                cr_expect(m.classes & ENR_GAZ_NORP, "%s", cases[k].w);
                cr_expect_str_eq(m.code, cases[k].code, "%s", cases[k].w);
        }
}

Test(gazetteer, organisations_and_acronyms) {
        enr_gaz_match_t m;

        cr_assert(
            match("the Organisation of Islamic Cooperation met", 1, false, &m));
        cr_expect_eq(m.ntoks, 4);
        cr_expect(m.classes & ENR_GAZ_ORG);
        cr_assert(match("OIC", 0, false, &m));
        cr_expect(m.classes & ENR_GAZ_ORG);
        cr_assert_not_null(m.canon);
        cr_expect_str_eq(m.canon, "Organisation of Islamic Cooperation");
        cr_assert(match("Hamas", 0, false, &m));
        cr_expect(m.classes & ENR_GAZ_ORG);
}

Test(gazetteer, cities_carry_country_codes) {
        enr_gaz_match_t m;

        cr_assert(match("Tel Aviv", 0, false, &m));
        cr_expect_eq(m.ntoks, 2);
        cr_expect_str_eq(m.code, "IL");
        cr_assert(match("Ankara", 0, false, &m));
        cr_expect_str_eq(m.code, "TR");
        /* From tzdata. */
        cr_assert(match("Kolkata", 0, false, &m));
        cr_expect(m.classes & ENR_GAZ_CITY);
        cr_expect_str_eq(m.code, "IN");
}

Test(gazetteer, words) {
        cr_expect(enr_gazetteer_word(gaz, "Sheikh", 6) & ENR_GAZ_TITLE);
        cr_expect(enr_gazetteer_word(gaz, "President", 9) & ENR_GAZ_TITLE);
        cr_expect(enr_gazetteer_word(gaz, "Ministry", 8) & ENR_GAZ_ORG_SUFFIX);
        cr_expect(enr_gazetteer_word(gaz, "Hakan", 5) & ENR_GAZ_FIRST_NAME);
        cr_expect(enr_gazetteer_word(gaz, "additionally", 12) & ENR_GAZ_COMMON);
        cr_expect(enr_gazetteer_word_folded(gaz, "life", 4) & ENR_GAZ_COMMON);
        cr_expect_eq(enr_gazetteer_word(gaz, "Xyzzyq", 6), 0);
        /* A prefix of a longer entry alone is no entry. */
        cr_expect_eq(enr_gazetteer_word(gaz, "Tel", 3) & ENR_GAZ_NAME_CLASSES,
                     0);
}

Test(gazetteer, find_key) {
        enr_gaz_match_t m;

        cr_assert(enr_gazetteer_find(gaz, "Gaza Strip", 10, false, &m));
        cr_expect_eq(m.ntoks, 2);
        cr_assert(enr_gazetteer_find(gaz, "gaza strip", 10, true, &m));
        cr_expect_not(enr_gazetteer_find(gaz, "gaza strip", 10, false, &m));
}

/* A resources directory in /tmp with one list replaced by content. */
static char *make_dir(const char *file, const char *content) {
        static char dir[256];
        char        cmd[1024];
        FILE       *fp;
        char        path[512];

        snprintf(dir, sizeof(dir), "/tmp/enr_gaz_test_%d", (int)getpid());
        snprintf(cmd, sizeof(cmd),
                 "rm -rf %s && mkdir -p %s && cp -r %s/gazetteer %s/", dir, dir,
                 ENR_RESOURCE_DIR, dir);
        cr_assert_eq(system(cmd), 0);
        snprintf(path, sizeof(path), "%s/gazetteer/%s", dir, file);
        fp = fopen(path, "w");
        cr_assert_not_null(fp);
        fputs(content, fp);
        fclose(fp);
        return dir;
}

static void remove_dir(const char *dir) {
        char cmd[512];

        snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
        cr_assert_eq(system(cmd), 0);
}

Test(gazetteer_load, missing_dir) {
        char err[256] = "";

        cr_expect_null(enr_gazetteer_new("/nonexistent/dir", err, sizeof(err)));
        cr_expect_neq(strstr(err, "countries.tsv"), NULL, "%s", err);
        cr_expect_null(enr_gazetteer_new(NULL, err, sizeof(err)));
}

Test(gazetteer_load, malformed_line) {
        char             err[256] = "";
        char            *dir      = make_dir("titles.tsv", "# ok\nPresident\n");
        enr_gazetteer_t *g        = enr_gazetteer_new(dir, err, sizeof(err));

        cr_expect_null(g);
        cr_expect_neq(strstr(err, "titles.tsv:2"), NULL, "%s", err);
        enr_gazetteer_destroy(g);
        remove_dir(dir);
}

Test(gazetteer_load, merges_classes_first_code_wins) {
        char  err[256] = "";
        char *dir      = make_dir("cities.tsv", "Zorbland\tcity\tZZ\tZorbland\n"
                                                     "Zorbland\torg\tYY\tOther\n");
        enr_gazetteer_t *g = enr_gazetteer_new(dir, err, sizeof(err));
        enr_gaz_match_t  m;

        cr_assert_not_null(g, "%s", err);
        cr_assert(enr_gazetteer_find(g, "Zorbland", 8, false, &m));
        cr_expect_eq(m.classes & (ENR_GAZ_CITY | ENR_GAZ_ORG),
                     ENR_GAZ_CITY | ENR_GAZ_ORG);
        cr_expect_str_eq(m.code, "ZZ");
        cr_expect_str_eq(m.canon, "Zorbland");
        enr_gazetteer_destroy(g);
        remove_dir(dir);
}

Test(gazetteer_load, destroy_null) {
        enr_gazetteer_destroy(NULL);
}

/* Single words are looked up in a table with the keys inline up to 23
 * bytes and in the main table beyond: both sides of the limit, and the
 * hashed and prefetching entry points agree with the plain one. */
Test(gazetteer_load, words_of_every_length) {
        char  err[256] = "";
        char *dir =
            make_dir("cities.tsv", "Abcdefghijklmnopqrstuvw\tcity\n"
                                   "Abcdefghijklmnopqrstuvwx\torg\n"
                                   "Abcdefghijklmnopqrstuvwxyzabcdefgh\tloc\n"
                                   "Q\tcountry\n");
        enr_gazetteer_t *g = enr_gazetteer_new(dir, err, sizeof(err));
        static const struct {
                const char *w;
                uint32_t    want;
        } cases[] = {
            {"Abcdefghijklmnopqrstuvw", ENR_GAZ_CITY},
            {"Abcdefghijklmnopqrstuvwx", ENR_GAZ_ORG},
            {"Abcdefghijklmnopqrstuvwxyzabcdefgh", ENR_GAZ_LOC},
            {"Q", ENR_GAZ_COUNTRY},
            {"Abcdefghijklmnopqrstuv", 0},
            {"Abcdefghijklmnopqrstuvwy", 0},
            {"q", 0},
        };

        cr_assert_not_null(g, "%s", err);
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                size_t   n = strlen(cases[i].w);
                uint32_t h = enr_gazetteer_hash(cases[i].w, n);

                enr_gazetteer_word_prefetch(g, h);
                cr_expect_eq(enr_gazetteer_word(g, cases[i].w, n) &
                                 ENR_GAZ_NAME_CLASSES,
                             cases[i].want, "%s", cases[i].w);
                cr_expect_eq(enr_gazetteer_word_hashed(g, cases[i].w, n, h),
                             enr_gazetteer_word(g, cases[i].w, n), "%s",
                             cases[i].w);
        }
        enr_gazetteer_destroy(g);
        remove_dir(dir);
}

/* The type lists live in tables of their own: the tagger's look-ups and
 * the size a model records never see them. */
Test(gazetteer_load, type_lists_apart_from_the_main_tables) {
        char  err[256] = "";
        char *dir =
            make_dir("products.tsv", "Zorbphone\tproduct,product_line\n");
        enr_gazetteer_t *g = enr_gazetteer_new(dir, err, sizeof(err));
        enr_gazetteer_t *bare;
        enr_gaz_match_t  m;
        enr_text_t       t;
        const char      *s = "the Zorbphone 3";

        cr_assert_not_null(g, "%s", err);
        enr_text_init(&t);
        cr_assert_eq(enr_text_analyze(&t, s, strlen(s), 0, NULL, 0), ENR_OK);
        cr_expect(enr_gazetteer_match_types(g, &t, 1, t.ntoks, false, &m));
        cr_expect_eq(m.classes, ENR_GAZ_PRODUCT | ENR_GAZ_PRODUCT_LINE);
        cr_expect(enr_gazetteer_find_types(g, "zorbphone", 9, true, &m));
        cr_expect_not(enr_gazetteer_match(g, &t, 1, t.ntoks, &m));
        cr_expect_eq(enr_gazetteer_word(g, "Zorbphone", 9), 0u);
        /* Without the type lists, the main tables are the same size. */
        remove_dir(dir);
        dir  = make_dir("products.tsv", "# none\n");
        bare = enr_gazetteer_new(dir, err, sizeof(err));
        cr_assert_not_null(bare, "%s", err);
        cr_expect_eq(enr_gazetteer_size(g), enr_gazetteer_size(bare));
        enr_gazetteer_destroy(bare);
        enr_gazetteer_destroy(g);
        enr_text_clear(&t);
        remove_dir(dir);
}
