/*
 * Tests of the entity table: type names, the mention list and its limit,
 * overlap resolution (names against numbers), code-point offsets, merging
 * by text, surname and acronym aliases, retyping of guessed types, values
 * and the deterministic order (title before body).
 */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "enricher/entities.h"
#include "unit.h"

static enr_text_t     title, body;
static enr_mentions_t ms;
static enr_entities_t ents;
static enr_fields_t   fields;

static void setup(void) {
        unit_article_init(&title, &body, &ms, &ents, &fields);
}

static void teardown(void) {
        unit_article_clear(&title, &body, &ms, &ents);
}

TestSuite(entities, .init = setup, .fini = teardown);

static void texts(const char *t, const char *b) {
        unit_article_texts(&title, &body, t, b);
}

/* Adds a mention of the first occurrence of word in a field. */
static enr_mention_t *add(enr_field_t field, const char *word,
                          enr_ent_type_t type, float score) {
        const enr_text_t *t = field == ENR_FIELD_TITLE ? &title : &body;
        const char       *p = strstr(t->s, word);
        enr_mention_t    *m;

        cr_assert_not_null(p, "%s", word);
        m = enr_mentions_push(&ms, field, (uint32_t)(p - t->s),
                              (uint32_t)(p - t->s + strlen(word)), type, 0);
        cr_assert_not_null(m);
        m->score = score;
        return m;
}

/* The text of entity i's canonical span. */
static char *canon(size_t i) {
        static char         buf[256];
        const enr_entity_t *e = &ents.v[i];
        const enr_text_t   *t = e->field ? &body : &title;
        size_t              n = e->end - e->start;

        cr_assert_lt(n, sizeof(buf));
        memcpy(buf, t->s + e->start, n);
        buf[n] = '\0';
        return buf;
}

Test(entities, type_names) {
        cr_expect_str_eq(enr_ent_type_name(ENR_ENT_PERSON), "PERSON");
        cr_expect_str_eq(enr_ent_type_name(ENR_ENT_CARDINAL), "CARDINAL");
        cr_expect_str_eq(enr_ent_type_name(ENR_ENT__COUNT), "?");
        cr_expect_eq(enr_ent_type_parse("GPE"), ENR_ENT_GPE);
        cr_expect_eq(enr_ent_type_parse("WORK_OF_ART"), ENR_ENT_WORK_OF_ART);
        cr_expect_eq(enr_ent_type_parse("gpe"), -1);
        cr_expect_eq(enr_ent_type_parse(NULL), -1);
        cr_expect(enr_ent_type_is_name(ENR_ENT_LANGUAGE));
        cr_expect_not(enr_ent_type_is_name(ENR_ENT_DATE));
        cr_expect_str_eq(enr_approx_name(ENR_APPROX_MORE_THAN), "more_than");
        cr_expect_null(enr_approx_name(ENR_APPROX_NONE));
}

Test(entities, push_limit_and_reset) {
        size_t i;

        for (i = 0; i < 3; i++)
                cr_expect_not_null(enr_mentions_push(&ms, ENR_FIELD_BODY, 0, 1,
                                                     ENR_ENT_ORG, 3));
        cr_expect_null(
            enr_mentions_push(&ms, ENR_FIELD_BODY, 0, 1, ENR_ENT_ORG, 3));
        cr_expect_eq(ms.n, 3);
        cr_expect_eq(ms.v[0].entity, -1);
        enr_mentions_reset(&ms);
        cr_expect_eq(ms.n, 0);
        cr_expect_gt(ms.cap, 0);
}

Test(entities, number_inside_name_is_dropped) {
        enr_mention_t *n;

        texts("", "They launched Al-Aqsa 2 on 7 October.");
        add(ENR_FIELD_BODY, "Al-Aqsa 2", ENR_ENT_EVENT, 0.6f);
        n         = add(ENR_FIELD_BODY, "2", ENR_ENT_CARDINAL, 0.9f);
        n->source = ENR_SRC_NUMBER;
        add(ENR_FIELD_BODY, "7 October", ENR_ENT_DATE, 0.9f);
        add(ENR_FIELD_BODY, "October", ENR_ENT_ORG, 0.3f);
        cr_assert_eq(enr_entities_build(&ents, &ms, &fields), ENR_OK);
        cr_assert_eq(ms.n, 2);
        cr_expect_eq(ms.v[0].type, ENR_ENT_EVENT);
        cr_expect_eq(ms.v[1].type, ENR_ENT_DATE);
        cr_expect_eq(ents.n, 2);
}

Test(entities, partial_overlap_longer_then_score) {
        texts("", "abc def ghi");
        enr_mentions_push(&ms, ENR_FIELD_BODY, 0, 7, ENR_ENT_ORG, 0)->score =
            0.1f;
        enr_mentions_push(&ms, ENR_FIELD_BODY, 4, 11, ENR_ENT_PERSON, 0)
            ->score = 0.9f;
        cr_assert_eq(enr_entities_build(&ents, &ms, &fields), ENR_OK);
        cr_assert_eq(ms.n, 1);
        cr_expect_eq(ms.v[0].type, ENR_ENT_PERSON);
        /* The same span twice: one survives. */
        enr_mentions_reset(&ms);
        enr_mentions_push(&ms, ENR_FIELD_BODY, 0, 3, ENR_ENT_ORG, 0);
        enr_mentions_push(&ms, ENR_FIELD_BODY, 0, 3, ENR_ENT_ORG, 0);
        cr_assert_eq(enr_entities_build(&ents, &ms, &fields), ENR_OK);
        cr_expect_eq(ms.n, 1);
}

Test(entities, invalid_spans_dropped) {
        texts("", "abc");
        enr_mentions_push(&ms, ENR_FIELD_BODY, 2, 2, ENR_ENT_ORG, 0);
        enr_mentions_push(&ms, ENR_FIELD_BODY, 1, 10, ENR_ENT_ORG, 0);
        cr_assert_eq(enr_entities_build(&ents, &ms, &fields), ENR_OK);
        cr_expect_eq(ms.n, 0);
        cr_expect_eq(ents.n, 0);
}

Test(entities, code_point_offsets) {
        /* "Qatar’s" – the curly apostrophe is three bytes, one code point. */
        texts("", "Qatar\xe2\x80\x99s foreign minister met Hakan Fidan.");
        add(ENR_FIELD_BODY, "Hakan Fidan", ENR_ENT_PERSON, 0.7f);
        add(ENR_FIELD_BODY, "Qatar", ENR_ENT_GPE, 0.8f);
        cr_assert_eq(enr_entities_build(&ents, &ms, &fields), ENR_OK);
        cr_assert_eq(ms.n, 2);
        cr_expect_eq(ms.v[0].cp_start, 0);
        cr_expect_eq(ms.v[0].cp_end, 5);
        cr_expect_eq(ms.v[1].start, 31);
        cr_expect_eq(ms.v[1].cp_start, 29);
        cr_expect_eq(ms.v[1].cp_end, 40);
}

Test(entities, surname_aliases_link_to_last_full_name) {
        texts("Raisi visits Ankara",
              "President Ebrahim Raisi met Hossein Amir Abdollahian. Amir "
              "Abdollahian and Raisi spoke. Mohammad Raisi was absent. Raisi "
              "left.");
        add(ENR_FIELD_TITLE, "Raisi", ENR_ENT_PERSON, 0.7f);
        add(ENR_FIELD_TITLE, "Ankara", ENR_ENT_GPE, 0.8f);
        add(ENR_FIELD_BODY, "Ebrahim Raisi", ENR_ENT_PERSON, 0.7f);
        add(ENR_FIELD_BODY, "Hossein Amir Abdollahian", ENR_ENT_PERSON, 0.7f);
        add(ENR_FIELD_BODY, "Amir Abdollahian and", ENR_ENT_PERSON, 0.7f)
            ->end -= 4;
        add(ENR_FIELD_BODY, "Raisi spoke", ENR_ENT_PERSON, 0.7f)->end -= 6;
        add(ENR_FIELD_BODY, "Mohammad Raisi", ENR_ENT_PERSON, 0.7f);
        add(ENR_FIELD_BODY, "Raisi left", ENR_ENT_PERSON, 0.7f)->end -= 5;
        cr_assert_eq(enr_entities_build(&ents, &ms, &fields), ENR_OK);
        /* Title first: Raisi (canonical: the full name), Ankara; then the
         * body's new entities. */
        cr_assert_eq(ents.n, 4);
        cr_expect_str_eq(canon(0), "Ebrahim Raisi");
        cr_expect_eq(ents.v[0].count, 3);
        cr_expect_eq(ents.v[0].field, ENR_FIELD_BODY);
        cr_expect_str_eq(canon(1), "Ankara");
        cr_expect_str_eq(canon(2), "Hossein Amir Abdollahian");
        cr_expect_eq(ents.v[2].count, 2);
        cr_expect_str_eq(canon(3), "Mohammad Raisi");
        cr_expect_eq(ents.v[3].count, 2);
        /* Mentions of one entity are contiguous in order, in text order. */
        cr_expect_eq(ents.v[0].first, 0);
        cr_expect_eq(ms.v[ents.order[0]].field, ENR_FIELD_TITLE);
        cr_expect_eq(ms.v[ents.order[1]].field, ENR_FIELD_BODY);
        cr_expect_eq(ents.v[1].first, 3);
        cr_expect_eq(ents.order[3], 1);
}

Test(entities, acronym_in_parentheses) {
        texts("", "Ministers of the Organisation of Islamic Cooperation (OIC) "
                  "met. The OIC said so. The European Union (EU) agreed.");
        add(ENR_FIELD_BODY, "Organisation of Islamic Cooperation", ENR_ENT_ORG,
            0.9f);
        add(ENR_FIELD_BODY, "OIC", ENR_ENT_ORG, 0.9f);
        add(ENR_FIELD_BODY, "OIC said", ENR_ENT_ORG, 0.9f)->end -= 5;
        add(ENR_FIELD_BODY, "European Union", ENR_ENT_ORG, 0.9f);
        add(ENR_FIELD_BODY, "EU", ENR_ENT_ORG, 0.9f);
        cr_assert_eq(enr_entities_build(&ents, &ms, &fields), ENR_OK);
        cr_assert_eq(ents.n, 2);
        cr_expect_str_eq(canon(0), "Organisation of Islamic Cooperation");
        cr_expect_eq(ents.v[0].count, 3);
        cr_expect_str_eq(canon(1), "European Union");
        cr_expect_eq(ents.v[1].count, 2);
}

Test(entities, long_form_after_acronym_becomes_canonical) {
        texts("SEC fines bank", "The Securities and Exchange Commission "
                                "fined it. Not the Securities Commission.");
        add(ENR_FIELD_TITLE, "SEC", ENR_ENT_ORG, 0.5f);
        add(ENR_FIELD_BODY, "Securities and Exchange Commission", ENR_ENT_ORG,
            0.7f);
        add(ENR_FIELD_BODY, "Securities Commission", ENR_ENT_ORG, 0.7f);
        cr_assert_eq(enr_entities_build(&ents, &ms, &fields), ENR_OK);
        cr_assert_eq(ents.n, 2);
        cr_expect_str_eq(canon(0), "Securities and Exchange Commission");
        cr_expect_eq(ents.v[0].count, 2);
        cr_expect_str_eq(canon(1), "Securities Commission");
}

Test(entities, same_text_merges_across_case_not_types) {
        texts("IRAN TALKS", "Iran said. Iran agreed. Iranian people.");
        add(ENR_FIELD_TITLE, "IRAN", ENR_ENT_GPE, 0.8f);
        strcpy(ms.v[0].code, "IR");
        add(ENR_FIELD_BODY, "Iran said", ENR_ENT_GPE, 0.8f)->end -= 5;
        add(ENR_FIELD_BODY, "Iran agreed", ENR_ENT_GPE, 0.8f)->end -= 7;
        add(ENR_FIELD_BODY, "Iranian", ENR_ENT_NORP, 0.8f);
        cr_assert_eq(enr_entities_build(&ents, &ms, &fields), ENR_OK);
        cr_assert_eq(ents.n, 2);
        cr_expect_eq(ents.v[0].count, 3);
        cr_expect_str_eq(ents.v[0].code, "IR");
        cr_expect_eq(ents.v[1].type, ENR_ENT_NORP);
}

Test(entities, guessed_type_yields_to_person) {
        enr_mention_t *m;

        texts("Fidan visits Doha", "Foreign Minister Hakan Fidan arrived.");
        m = add(ENR_FIELD_TITLE, "Fidan", ENR_ENT_ORG, 0.3f);
        add(ENR_FIELD_BODY, "Hakan Fidan", ENR_ENT_PERSON, 0.7f);
        (void)m;
        cr_assert_eq(enr_entities_build(&ents, &ms, &fields), ENR_OK);
        cr_assert_eq(ents.n, 1);
        cr_expect_eq(ents.v[0].type, ENR_ENT_PERSON);
        cr_expect_str_eq(canon(0), "Hakan Fidan");
        cr_expect_eq(ms.v[0].type, ENR_ENT_PERSON);
        /* A sure ORG stays apart. */
        enr_mentions_reset(&ms);
        add(ENR_FIELD_TITLE, "Fidan", ENR_ENT_ORG, 0.9f);
        add(ENR_FIELD_BODY, "Hakan Fidan", ENR_ENT_PERSON, 0.7f);
        cr_assert_eq(enr_entities_build(&ents, &ms, &fields), ENR_OK);
        cr_expect_eq(ents.n, 2);
}

Test(entities, values) {
        enr_mention_t *m;

        texts("", "About 7,000 left and 7,000 stayed.");
        add(ENR_FIELD_BODY, "7,000 left", ENR_ENT_CARDINAL, 0.9f)->end -= 5;
        m = add(ENR_FIELD_BODY, "7,000 stayed", ENR_ENT_CARDINAL, 0.9f);
        m->end -= 7;
        m->flags |= ENR_MENTF_HAS_NUM;
        m->value.num = 7000;
        cr_assert_eq(enr_entities_build(&ents, &ms, &fields), ENR_OK);
        cr_assert_eq(ents.n, 1);
        cr_expect_eq(ents.v[0].count, 2);
        cr_expect_eq(ents.v[0].value_of, 1);
        cr_expect_eq(ms.v[ents.v[0].value_of].value.num, 7000);
}

Test(entities, without_texts) {
        enr_mentions_push(&ms, ENR_FIELD_BODY, 5, 9, ENR_ENT_ORG, 0);
        enr_mentions_push(&ms, ENR_FIELD_TITLE, 0, 3, ENR_ENT_GPE, 0);
        cr_assert_eq(enr_entities_build(&ents, &ms, NULL), ENR_OK);
        cr_assert_eq(ents.n, 2);
        cr_expect_eq(ents.v[0].type, ENR_ENT_GPE);
        cr_expect_eq(ms.v[1].cp_start, 5);
}
