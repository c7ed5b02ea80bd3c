/*
 * Tests of document-level entity resolution: one name, one type per
 * article. Mentions are made by hand with the types and scores a confused
 * tagger would give; enr_entities_build() then enr_resolve_apply() must
 * leave every name in one entity of one type, chosen by the evidence:
 * votes, context cues, the curated gazetteers, surnames and acronyms.
 */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "enricher/resolve.h"
#include "unit.h"

static enr_gazetteer_t       *gaz;
static enr_resolve_t         *res;
static enr_resolve_scratch_t *scr;
static enr_text_t             title, body;
static enr_mentions_t         ms;
static enr_entities_t         ents;
static enr_fields_t           fields;

static void setup(void) {
        gaz = unit_gazetteer();
        res = enr_resolve_new(gaz);
        scr = enr_resolve_scratch_new();
        cr_assert(res && scr);
        unit_article_init(&title, &body, &ms, &ents, &fields);
}

static void teardown(void) {
        unit_article_clear(&title, &body, &ms, &ents);
        enr_resolve_scratch_destroy(scr);
        enr_resolve_destroy(res);
        enr_gazetteer_destroy(gaz);
}

TestSuite(resolve, .init = setup, .fini = teardown);

static void texts(const char *t, const char *b) {
        unit_article_texts(&title, &body, t, b);
}

/* Adds a mention of the nth (from 1) occurrence of word in the body. */
static void add(const char *word, int nth, enr_ent_type_t type, float score) {
        const char    *p = body.s;
        enr_mention_t *m;

        for (; nth > 0; nth--) {
                p = strstr(p, word);
                cr_assert_not_null(p, "%s", word);
                if (nth > 1)
                        p += strlen(word);
        }
        m = enr_mentions_push(&ms, ENR_FIELD_BODY, (uint32_t)(p - body.s),
                              (uint32_t)(p - body.s + strlen(word)), type, 0);
        cr_assert_not_null(m);
        m->score = score;
}

static size_t run(void) {
        size_t changed = 0;

        cr_assert_eq(enr_entities_build(&ents, &ms, &fields), ENR_OK);
        cr_assert_eq(enr_resolve_apply(res, scr, &ents, &ms, &fields, &changed),
                     ENR_OK);
        return changed;
}

/* The index of the entity whose canonical text is s, or -1. */
static int find(const char *s) {
        size_t i;

        for (i = 0; i < ents.n; i++) {
                const enr_entity_t *e = &ents.v[i];
                const enr_text_t   *t = e->field ? &body : &title;
                if (e->end - e->start == strlen(s) &&
                    !memcmp(t->s + e->start, s, strlen(s)))
                        return (int)i;
        }
        return -1;
}

/* Every name mention carries its entity's type and the order array is
 * consistent. */
static void check_table(void) {
        size_t i, j, total = 0;

        for (i = 0; i < ms.n; i++) {
                cr_assert_lt((size_t)ms.v[i].entity, ents.n);
                cr_assert_eq(ms.v[i].type, ents.v[ms.v[i].entity].type);
        }
        for (i = 0; i < ents.n; i++) {
                cr_assert_gt(ents.v[i].count, 0);
                for (j = 0; j < ents.v[i].count; j++)
                        cr_assert_eq(
                            ms.v[ents.order[ents.v[i].first + j]].entity,
                            (int32_t)i);
                total += ents.v[i].count;
                /* In order of first mention. */
                if (i)
                        cr_assert_lt(ents.order[ents.v[i - 1].first],
                                     ents.order[ents.v[i].first]);
        }
        cr_assert_eq(total, ms.n);
}

Test(resolve, majority_of_one_name_wins) {
        texts("", "Yukos sold a unit. Yukos said so. Then Yukos appealed.");
        add("Yukos", 1, ENR_ENT_ORG, 0.9f);
        add("Yukos", 2, ENR_ENT_PERSON, 0.6f);
        add("Yukos", 3, ENR_ENT_ORG, 0.8f);
        cr_expect_eq(run(), 1);
        check_table();
        cr_assert_eq(ents.n, 1);
        cr_expect_eq(ents.v[0].type, ENR_ENT_ORG);
        cr_expect_eq(ents.v[0].count, 3);
}

Test(resolve, company_cues_outvote_a_lone_person) {
        /* Tagged PERSON twice, LOC once; "oil giant", "shares in" and
         * "Rosneft officials" say ORG. */
        texts("", "The oil giant Rosneft grew. Rosneft officials met. "
                  "Investors bought shares in Rosneft.");
        add("Rosneft", 1, ENR_ENT_PERSON, 0.9f);
        add("Rosneft", 2, ENR_ENT_PERSON, 0.9f);
        add("Rosneft", 3, ENR_ENT_LOC, 0.7f);
        run();
        check_table();
        cr_assert_eq(ents.n, 1);
        cr_expect_eq(ents.v[0].type, ENR_ENT_ORG);
}

Test(resolve, title_cue_keeps_a_person) {
        texts("", "Mr Fiat spoke. Fiat left. Later Fiat returned.");
        add("Fiat", 1, ENR_ENT_PERSON, 0.6f);
        add("Fiat", 2, ENR_ENT_ORG, 0.7f);
        add("Fiat", 3, ENR_ENT_PERSON, 0.5f);
        run();
        check_table();
        cr_assert_eq(ents.n, 1);
        cr_expect_eq(ents.v[0].type, ENR_ENT_PERSON);
}

Test(resolve, honorific_in_the_name_says_person) {
        /* Tagged ORG twice; "Mr" opening the name outweighs that, but
         * "Queen" opening a club's name is no honorific. */
        texts("", "Mr Negroponte spoke. Mr Negroponte left. Mr Negroponte "
                  "sat. Queen of the South won. Queen of the South lost.");
        add("Mr Negroponte", 1, ENR_ENT_ORG, 0.7f);
        add("Mr Negroponte", 2, ENR_ENT_ORG, 0.7f);
        add("Mr Negroponte", 3, ENR_ENT_PERSON, 0.6f);
        add("Queen of the South", 1, ENR_ENT_ORG, 0.7f);
        add("Queen of the South", 2, ENR_ENT_PERSON, 0.6f);
        run();
        check_table();
        cr_assert_eq(ents.n, 2);
        cr_expect_eq(ents.v[find("Mr Negroponte")].type, ENR_ENT_PERSON);
        cr_expect_eq(ents.v[find("Queen of the South")].type, ENR_ENT_ORG);
}

Test(resolve, full_name_is_not_retyped_by_cues) {
        texts("", "The world champion met rival Maria Mutola in a firm "
                  "Maria Mutola race.");
        add("Maria Mutola", 1, ENR_ENT_PERSON, 0.9f);
        run();
        check_table();
        cr_expect_eq(ents.v[0].type, ENR_ENT_PERSON);
}

Test(resolve, surname_joins_the_person) {
        texts("", "George Bush spoke. Bush said it. Bush left.");
        add("George Bush", 1, ENR_ENT_PERSON, 0.9f);
        add("Bush", 2, ENR_ENT_NORP, 0.6f);
        add("Bush", 3, ENR_ENT_NORP, 0.6f);
        run();
        check_table();
        cr_assert_eq(ents.n, 1);
        cr_expect_eq(ents.v[0].type, ENR_ENT_PERSON);
        cr_expect_eq(ents.v[0].count, 3);
        cr_expect_eq(find("George Bush"), 0);
}

Test(resolve, country_is_not_a_surname) {
        /* "Jordan" the country stays apart from a person whose surname it
         * is, and the curated list makes it a GPE. */
        texts("", "Michael Jordan visited Jordan. Jordan is hot.");
        add("Michael Jordan", 1, ENR_ENT_PERSON, 0.9f);
        add("Jordan", 2, ENR_ENT_ORG, 0.6f);
        add("Jordan", 3, ENR_ENT_GPE, 0.6f);
        run();
        check_table();
        cr_assert_eq(ents.n, 2);
        cr_expect_eq(ents.v[find("Jordan")].type, ENR_ENT_GPE);
        cr_expect_eq(ents.v[find("Michael Jordan")].type, ENR_ENT_PERSON);
}

Test(resolve, acronym_joins_its_long_form_anywhere) {
        texts("", "The UK Independence Party gained. Later UKIP won, and "
                  "UKIP grew.");
        add("UK Independence Party", 1, ENR_ENT_ORG, 0.9f);
        add("UKIP", 1, ENR_ENT_GPE, 0.9f);
        add("UKIP", 2, ENR_ENT_GPE, 0.9f);
        run();
        check_table();
        cr_assert_eq(ents.n, 1);
        cr_expect_eq(ents.v[0].type, ENR_ENT_ORG);
        cr_expect_eq(ents.v[0].count, 3);
        cr_expect_eq(find("UK Independence Party"), 0);
}

Test(resolve, ampersand_acronym) {
        texts("", "Johnson & Johnson bought Guidant. J&J paid.");
        add("Johnson & Johnson", 1, ENR_ENT_ORG, 0.9f);
        add("Guidant", 1, ENR_ENT_ORG, 0.9f);
        add("J&J", 1, ENR_ENT_PERSON, 0.7f);
        run();
        check_table();
        cr_assert_eq(ents.n, 2);
        cr_expect_eq(ents.v[0].type, ENR_ENT_ORG);
        cr_expect_eq(ents.v[0].count, 2);
}

Test(resolve, city_and_club_stay_apart) {
        /* A place and a club of one name are two entities. */
        texts("", "In Birmingham the crowd cheered as Birmingham won.");
        add("Birmingham", 1, ENR_ENT_GPE, 0.9f);
        add("Birmingham", 2, ENR_ENT_ORG, 0.9f);
        cr_expect_eq(run(), 0);
        check_table();
        cr_expect_eq(ents.n, 2);
}

Test(resolve, country_prior) {
        texts("", "Italy beat Wales. Italy scored twice.");
        add("Italy", 1, ENR_ENT_ORG, 0.7f);
        add("Wales", 1, ENR_ENT_GPE, 0.9f);
        add("Italy", 2, ENR_ENT_ORG, 0.6f);
        run();
        check_table();
        cr_expect_eq(ents.v[find("Italy")].type, ENR_ENT_GPE);
        cr_expect_str_eq(ents.v[find("Italy")].code, "IT");
}

Test(resolve, listed_city_after_in) {
        /* "in Lyon and Marseille": a listed city in a list after "in" is
         * a place whatever the tagger said; an unlisted name is not. */
        texts("", "Groups in Lyon and Marseille feared delays, as did "
                  "shares in Zorbex.");
        add("Lyon", 1, ENR_ENT_GPE, 0.9f);
        add("Marseille", 1, ENR_ENT_ORG, 0.8f);
        add("Zorbex", 1, ENR_ENT_GPE, 0.6f);
        run();
        check_table();
        cr_expect_eq(ents.v[find("Marseille")].type, ENR_ENT_GPE);
        cr_expect_str_eq(ents.v[find("Marseille")].code, "FR");
        cr_expect_eq(ents.v[find("Zorbex")].type, ENR_ENT_ORG);
}

Test(resolve, numbers_and_datelines_are_left_alone) {
        texts("", "LONDON - London Irish won 30 games in London.");
        add("LONDON", 1, ENR_ENT_GPE, 0.9f);
        ms.v[ms.n - 1].flags |= ENR_MENTF_DATELINE;
        add("London", 2, ENR_ENT_ORG, 0.9f);
        add("30", 1, ENR_ENT_CARDINAL, 1.0f);
        run();
        check_table();
        cr_expect_eq(ents.v[find("LONDON")].type, ENR_ENT_GPE);
        cr_expect_eq(ents.v[find("30")].type, ENR_ENT_CARDINAL);
}

Test(resolve, is_acronym) {
        cr_expect(enr_resolve_is_acronym("BA", 2, "British Airways", 15));
        cr_expect(enr_resolve_is_acronym("ONS", 3,
                                         "Office for National Statistics", 30));
        cr_expect(
            enr_resolve_is_acronym("UKIP", 4, "UK Independence Party", 21));
        cr_expect(enr_resolve_is_acronym("J&J", 3, "Johnson & Johnson", 17));
        cr_expect(enr_resolve_is_acronym(
            "IFF", 3, "International Flavors & Fragrances", 34));
        /* One capitalised word is not a long form; nor are other letters. */
        cr_expect_not(enr_resolve_is_acronym("UK", 2, "UK-based", 8));
        cr_expect_not(enr_resolve_is_acronym("BA", 2, "Barclays", 8));
        cr_expect_not(enr_resolve_is_acronym("Ba", 2, "British Airways", 15));
        cr_expect_not(enr_resolve_is_acronym("BAA", 3, "British Airways", 15));
}

Test(resolve, county_is_a_place_not_a_person) {
        /* The tagger reads "Henry County" as a full name; the unit's word
         * says place, also for a full name with one entity. */
        texts("", "Deputies in Henry County said the Henry County road was "
                  "closed. Chris Henry said so.");
        add("Henry County", 1, ENR_ENT_PERSON, 0.9f);
        add("Henry County", 2, ENR_ENT_PERSON, 0.8f);
        add("Chris Henry", 1, ENR_ENT_PERSON, 0.9f);
        run();
        check_table();
        cr_expect_eq(ents.v[find("Henry County")].type, ENR_ENT_GPE);
        cr_expect_eq(ents.v[find("Chris Henry")].type, ENR_ENT_PERSON);
}
