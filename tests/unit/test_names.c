/*
 * Tests of the name rules: titles, speech verbs, connectors, organisation
 * suffixes, sentence-initial common words, ALL-CAPS lines, datelines,
 * possessives, hyphenated demonyms, acronyms, surnames, the mention limit,
 * trailing boilerplate, and the seed article end to end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <jansson.h>

#include "enricher/names.h"
#include "unit.h"

static enr_gazetteer_t *gaz;
static enr_names_t     *names;
static enr_text_t       txt;
static enr_mentions_t   ms;

static void setup(void) {
        char err[256] = "";

        gaz   = unit_gazetteer();
        names = enr_names_new(gaz, err, sizeof(err));
        cr_assert_not_null(names, "%s", err);
        enr_text_init(&txt);
        enr_mentions_init(&ms);
}

static void teardown(void) {
        enr_mentions_clear(&ms);
        enr_text_clear(&txt);
        enr_names_destroy(names);
        enr_gazetteer_destroy(gaz);
}

TestSuite(names, .init = setup, .fini = teardown);

/* Extracts the names of s as one field. */
static void run(const char *s, enr_field_t field) {
        enr_mentions_reset(&ms);
        cr_assert_eq(enr_text_analyze(&txt, s, strlen(s), 0, NULL, 0), ENR_OK);
        cr_assert_eq(enr_names_extract(names, &txt, field, &ms, 0), ENR_OK);
}

/* The mention with exactly this text, or NULL. */
static const enr_mention_t *find(const char *text) {
        size_t i, len = strlen(text);

        for (i = 0; i < ms.n; i++)
                if (ms.v[i].end - ms.v[i].start == len &&
                    !memcmp(txt.s + ms.v[i].start, text, len))
                        return &ms.v[i];
        return NULL;
}

static void expect(const char *text, enr_ent_type_t type) {
        const enr_mention_t *m = find(text);

        cr_expect_not_null(m, "no mention \"%s\" in \"%s\"", text, txt.s);
        if (m)
                cr_expect_eq(m->type, type, "\"%s\" is %s, not %s", text,
                             enr_ent_type_name(m->type),
                             enr_ent_type_name(type));
}

/* Whether any mention covers the byte offset of text's first occurrence. */
static bool covered(const char *text) {
        const char *p = strstr(txt.s, text);
        size_t      i;

        cr_assert_not_null(p);
        for (i = 0; i < ms.n; i++)
                if (ms.v[i].start <= (uint32_t)(p - txt.s) &&
                    ms.v[i].end > (uint32_t)(p - txt.s))
                        return true;
        return false;
}

Test(names, titles_are_not_part_of_names) {
        run("They met President Ebrahim Raisi and Foreign Minister Hakan "
            "Fidan, then Sheikh Mohammed bin Abdulrahman bin Jassim Al Thani.",
            ENR_FIELD_BODY);
        expect("Ebrahim Raisi", ENR_ENT_PERSON);
        expect("Hakan Fidan", ENR_ENT_PERSON);
        expect("Mohammed bin Abdulrahman bin Jassim Al Thani", ENR_ENT_PERSON);
        cr_expect_not(covered("President"));
        cr_expect_not(covered("Foreign Minister"));
        cr_expect_not(covered("Sheikh"));
}

Test(names, title_makes_unknown_word_a_person) {
        run("The talks were led by Dr. Zorblatt yesterday.", ENR_FIELD_BODY);
        expect("Zorblatt", ENR_ENT_PERSON);
        run("They spoke to Mr Quixby at length.", ENR_FIELD_BODY);
        expect("Quixby", ENR_ENT_PERSON);
}

Test(names, guesses_and_evidence) {
        /* A lone unknown word is a low-scored ORG guess; after "in" a place;
         * an acronym stays an ORG even before "said"; a lone common word
         * after a title is no person. */
        const enr_mention_t *m;

        run("Shares of Zentrix rose. Fighting in Tavildara went on. The WSJ "
            "said so. The General Election came.",
            ENR_FIELD_BODY);
        m = find("Zentrix");
        cr_assert_not_null(m);
        cr_expect_eq(m->type, ENR_ENT_ORG);
        cr_expect_lt(m->score, 0.5f);
        expect("Tavildara", ENR_ENT_GPE);
        expect("WSJ", ENR_ENT_ORG);
        cr_expect_not(covered("Election"));
        /* A title after a given name is a surname; a lone word naming an
         * earlier person is that person, even a place. */
        run("John Major met George Washington. Later Washington left.",
            ENR_FIELD_BODY);
        expect("John Major", ENR_ENT_PERSON);
        cr_expect_eq(ms.n, 3);
        cr_expect_eq(ms.v[2].type, ENR_ENT_PERSON);
}

Test(names, results_table_places_are_teams) {
        run("Derbyshire 22 points , Somerset 4 .\nCHICAGO 72 60 .545\n"
            "Germany 2 Italy 1\nPeople in Somerset voted.",
            ENR_FIELD_BODY);
        expect("Derbyshire", ENR_ENT_ORG);
        expect("CHICAGO", ENR_ENT_ORG);
        expect("Germany", ENR_ENT_GPE);
        cr_expect_eq(ms.v[ms.n - 1].type, ENR_ENT_GPE);
}

Test(names, speech_verbs_and_according_to) {
        run("Then Vandermeerq said the deal was done.", ENR_FIELD_BODY);
        expect("Vandermeerq", ENR_ENT_PERSON);
        run("The plan failed, according to Plonkworth.", ENR_FIELD_BODY);
        expect("Plonkworth", ENR_ENT_PERSON);
}

Test(names, surname_of_earlier_person) {
        run("Talks with Hakan Fidan went on. Later Fidan left.",
            ENR_FIELD_BODY);
        cr_assert_eq(ms.n, 2);
        cr_expect_eq(ms.v[1].type, ENR_ENT_PERSON);
        cr_expect_eq(ms.v[1].end - ms.v[1].start, 5);
}

Test(names, organisation_suffixes_and_of) {
        run("The Bank of England and the Zorgistan Foreign Ministry met the "
            "Acme Widget Corporation.",
            ENR_FIELD_BODY);
        expect("Bank of England", ENR_ENT_ORG);
        expect("Zorgistan Foreign Ministry", ENR_ENT_ORG);
        expect("Acme Widget Corporation", ENR_ENT_ORG);
        run("The Securities and Exchange Commission and Iran and Qatar "
            "Airways met.",
            ENR_FIELD_BODY);
        expect("Securities and Exchange Commission", ENR_ENT_ORG);
        expect("Iran", ENR_ENT_GPE);
        expect("Qatar Airways", ENR_ENT_ORG);
        run("Ministers of the Council of the Zorgic Union met.",
            ENR_FIELD_BODY);
        expect("Council of the Zorgic Union", ENR_ENT_ORG);
        run("A summit of the Organisation of Islamic Cooperation (OIC) opened.",
            ENR_FIELD_BODY);
        expect("Organisation of Islamic Cooperation", ENR_ENT_ORG);
        expect("OIC", ENR_ENT_ORG);
}

Test(names, sentence_initial_common_words) {
        run("Additionally, talks went on. Acknowledging this, they left. "
            "Life is hard. During the call nothing happened. The end.",
            ENR_FIELD_BODY);
        cr_expect_eq(ms.n, 0, "%zu mentions", ms.n);
        /* A name at the start of a sentence stays a name. */
        run("Turkey agreed. Israel refused.", ENR_FIELD_BODY);
        expect("Turkey", ENR_ENT_GPE);
        expect("Israel", ENR_ENT_GPE);
}

Test(names, all_caps_headline) {
        run("IRAN AND QATAR DISCUSS LATEST DEVELOPMENTS IN GAZA WAR",
            ENR_FIELD_TITLE);
        expect("IRAN", ENR_ENT_GPE);
        expect("QATAR", ENR_ENT_GPE);
        expect("GAZA", ENR_ENT_GPE);
        cr_expect_not(covered("DISCUSS"));
        cr_expect_not(covered("LATEST"));
        cr_expect_eq(ms.n, 3);
}

Test(names, dateline) {
        const enr_mention_t *m;

        run("TEHRAN – Iran and Qatar held talks.", ENR_FIELD_BODY);
        m = find("TEHRAN");
        cr_assert_not_null(m);
        cr_expect(m->flags & ENR_MENTF_DATELINE);
        cr_expect_eq(m->type, ENR_ENT_GPE);
        cr_expect_str_eq(m->code, "IR");
        cr_expect_not(find("Iran")->flags & ENR_MENTF_DATELINE);
        run("SOCCER - JAPAN GET LUCKY WIN\nLONDON 1996-08-30\nThe match.",
            ENR_FIELD_BODY);
        m = find("LONDON");
        cr_assert_not_null(m);
        cr_expect(m->flags & ENR_MENTF_DATELINE);
        cr_expect_not(find("JAPAN")->flags & ENR_MENTF_DATELINE);
        /* Before a comma, only a known place: "PARIS, Jan 5" is a
         * dateline, "GM, whose brands …" opens a sentence. */
        run("PARIS, Jan 5 - France voted.", ENR_FIELD_BODY);
        m = find("PARIS");
        cr_assert_not_null(m);
        cr_expect(m->flags & ENR_MENTF_DATELINE);
        run("Sales rose.\n\nGM, whose brands include Buick, gained.",
            ENR_FIELD_BODY);
        m = find("GM");
        cr_expect(!m || !(m->flags & ENR_MENTF_DATELINE));
        /* Only bodies have datelines. */
        run("TEHRAN – talks", ENR_FIELD_TITLE);
        cr_expect_not(find("TEHRAN")->flags & ENR_MENTF_DATELINE);
}

Test(names, possessives_and_hyphens) {
        const enr_mention_t *m;

        run("Qatar\xe2\x80\x99s minister and Turkey's envoy condemned the "
            "Israeli-led raid.",
            ENR_FIELD_BODY);
        expect("Qatar", ENR_ENT_GPE);
        expect("Turkey", ENR_ENT_GPE);
        m = find("Israeli");
        cr_assert_not_null(m);
        cr_expect_eq(m->type, ENR_ENT_NORP);
        cr_expect_str_eq(m->code, "IL");
}

Test(names, codes_on_places_and_demonyms) {
        run("Iranian officials flew from Ankara to Tel Aviv via the Gaza "
            "Strip.",
            ENR_FIELD_BODY);
        cr_expect_str_eq(find("Iranian")->code, "IR");
        cr_expect_str_eq(find("Ankara")->code, "TR");
        cr_expect_str_eq(find("Tel Aviv")->code, "IL");
        expect("Gaza Strip", ENR_ENT_LOC);
        cr_expect_str_eq(find("Gaza Strip")->code, "PS");
}

Test(names, unknown_acronym_is_org_and_events) {
        run("Officials of the XQZT met. Hamas executed Operation Al-Aqsa "
            "Storm.",
            ENR_FIELD_BODY);
        expect("XQZT", ENR_ENT_ORG);
        expect("Hamas", ENR_ENT_ORG);
        expect("Operation Al-Aqsa Storm", ENR_ENT_EVENT);
}

Test(names, trailing_title_dropped) {
        run("Iran FM stresses the need to halt the war", ENR_FIELD_BODY);
        expect("Iran", ENR_ENT_GPE);
        cr_expect_eq(ms.n, 1);
}

Test(names, limit) {
        enr_mentions_reset(&ms);
        run("Iran, Qatar, Turkey and Israel.", ENR_FIELD_BODY);
        cr_assert_eq(ms.n, 4);
        enr_mentions_reset(&ms);
        cr_assert_eq(enr_names_extract(names, &txt, ENR_FIELD_BODY, &ms, 2),
                     ENR_OK);
        cr_expect_eq(ms.n, 2);
}

Test(names, boilerplate) {
        const char *s = "Iran and Qatar talked.\n\nThis news has been "
                        "collected from agencies. Click to enter the source."
                        "\n\nSource link\n";
        size_t      b;

        cr_assert_eq(enr_text_analyze(&txt, s, strlen(s), 0, NULL, 0), ENR_OK);
        b = enr_names_boilerplate(&txt);
        cr_assert_lt(b, txt.ntoks);
        cr_expect(enr_tok_ieq(&txt, b, "this"));
        s = "Iran and Qatar talked. Nothing else.\n";
        cr_assert_eq(enr_text_analyze(&txt, s, strlen(s), 0, NULL, 0), ENR_OK);
        cr_expect_eq(enr_names_boilerplate(&txt), txt.ntoks);
        s = "A story about Iran.\nFollow us on Twitter and Facebook\n"
            "Copyright 2024 Example News";
        cr_assert_eq(enr_text_analyze(&txt, s, strlen(s), 0, NULL, 0), ENR_OK);
        b = enr_names_boilerplate(&txt);
        cr_expect(enr_tok_ieq(&txt, b, "follow"));
        /* Names in the boilerplate are not extracted. */
        run(s, ENR_FIELD_BODY);
        cr_expect_null(find("Twitter"));
        cr_expect_null(find("Example News"));
        cr_assert_eq(enr_text_analyze(&txt, "", 0, 0, NULL, 0), ENR_OK);
        cr_expect_eq(enr_names_boilerplate(&txt), 0);
}

Test(names, invalid_args) {
        char err[64];

        cr_expect_eq(enr_names_extract(NULL, &txt, ENR_FIELD_BODY, &ms, 0),
                     ENR_ERR_INVALID_ARG);
        cr_expect_null(enr_names_new(NULL, err, sizeof(err)));
        enr_names_destroy(NULL);
}

/* The seed article: the people, places and organisations it must give. */
Test(names, seed_article) {
        char           path[1024];
        json_error_t   je;
        json_t        *j;
        const char    *title, *body;
        enr_text_t     tt;
        enr_entities_t ents;
        enr_fields_t   f;
        size_t         i;
        static const struct {
                const char *text;
                int         type;
                const char *code;
        } want[] = {
            {"Hossein Amir Abdollahian", ENR_ENT_PERSON, ""},
            {"Hakan Fidan", ENR_ENT_PERSON, ""},
            {"Ebrahim Raisi", ENR_ENT_PERSON, ""},
            {"Mohammed bin Abdulrahman bin Jassim Al Thani", ENR_ENT_PERSON,
             ""},
            {"Iran", ENR_ENT_GPE, "IR"},
            {"Qatar", ENR_ENT_GPE, "QA"},
            {"Gaza", ENR_ENT_GPE, "PS"},
            {"Turkey", ENR_ENT_GPE, "TR"},
            {"Ankara", ENR_ENT_GPE, "TR"},
            {"Tel Aviv", ENR_ENT_GPE, "IL"},
            {"Palestine", ENR_ENT_GPE, "PS"},
            {"Israel", ENR_ENT_GPE, "IL"},
            {"Organisation of Islamic Cooperation", ENR_ENT_ORG, ""},
            {"Hamas", ENR_ENT_ORG, ""},
            {"UN", ENR_ENT_ORG, ""},
        };
        static const char *const never[] = {"Additionally", "Acknowledging",
                                            "Life", "During", "The"};
        bool                     found[sizeof(want) / sizeof(want[0])] = {0};

        snprintf(path, sizeof(path), "%s/seed_article.json", ENR_TEST_DATA_DIR);
        j = json_load_file(path, 0, &je);
        if (!j) {
                snprintf(path, sizeof(path), "%s/data/seed/article.json",
                         ENR_SHARED_DIR);
                j = json_load_file(path, 0, &je);
        }
        if (!j)
                cr_skip_test("no seed article");
        title = json_string_value(json_object_get(j, "title"));
        body  = json_string_value(json_object_get(j, "body"));
        cr_assert(title && body);
        enr_text_init(&tt);
        enr_entities_init(&ents);
        cr_assert_eq(enr_text_analyze(&tt, title, strlen(title), 0, NULL, 0),
                     ENR_OK);
        cr_assert_eq(enr_text_analyze(&txt, body, strlen(body), 0, NULL, 0),
                     ENR_OK);
        enr_mentions_reset(&ms);
        cr_assert_eq(enr_names_extract(names, &tt, ENR_FIELD_TITLE, &ms, 0),
                     ENR_OK);
        cr_assert_eq(enr_names_extract(names, &txt, ENR_FIELD_BODY, &ms, 0),
                     ENR_OK);
        f.text[ENR_FIELD_TITLE] = &tt;
        f.text[ENR_FIELD_BODY]  = &txt;
        cr_assert_eq(enr_entities_build(&ents, &ms, &f), ENR_OK);
        for (i = 0; i < ents.n; i++) {
                const enr_entity_t *e   = &ents.v[i];
                const char         *s   = (e->field ? &txt : &tt)->s + e->start;
                size_t              len = e->end - e->start, k;
                for (k = 0; k < sizeof(want) / sizeof(want[0]); k++) {
                        if (strlen(want[k].text) == len &&
                            !memcmp(s, want[k].text, len)) {
                                found[k] = true;
                                cr_expect_eq(e->type, want[k].type, "%s",
                                             want[k].text);
                                cr_expect_str_eq(e->code, want[k].code, "%s",
                                                 want[k].text);
                        }
                }
                for (k = 0; k < sizeof(never) / sizeof(never[0]); k++)
                        cr_expect(strlen(never[k]) != len ||
                                      memcmp(s, never[k], len),
                                  "\"%s\" taken as a name", never[k]);
                /* OIC is an alias of its long form. */
                cr_expect(len != 3 || memcmp(s, "OIC", 3), "OIC not merged");
                if (len == 35 && !memcmp(s, "Organisation of Islamic Coop", 28))
                        cr_expect_eq(e->count, 2);
                /* The surname-only mentions joined the full names. */
                if (len == 13 && !memcmp(s, "Ebrahim Raisi", 13))
                        cr_expect_eq(e->count, 2);
                if (len == 24 && !memcmp(s, "Hossein Amir Abdollahian", 24))
                        cr_expect_eq(e->count, 4);
                if (len == 6 && !memcmp(s, "TEHRAN", 6))
                        cr_expect(ms.v[ents.order[e->first]].flags &
                                  ENR_MENTF_DATELINE);
        }
        for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
                cr_expect(found[i], "missing entity %s", want[i].text);
        enr_entities_clear(&ents);
        enr_text_clear(&tt);
        json_decref(j);
}

/* Pushes a mention over the first occurrence of text (after from). */
static void push_at(const char *text, enr_ent_type_t type) {
        const char *p = strstr(txt.s, text);

        cr_assert_not_null(p, "%s", text);
        cr_assert_not_null(
            enr_mentions_push(&ms, ENR_FIELD_BODY, (uint32_t)(p - txt.s),
                              (uint32_t)(p - txt.s + strlen(text)), type, 0));
}

Test(names, refine_joins_connectors_and_drops_common_words) {
        const char *s = "Sheikh Mohammed bin Abdulrahman bin Jassim Al Thani "
                        "spoke.\n\nAdditionally, Raisi went to Ankara. "
                        "Israel said more.";

        enr_mentions_reset(&ms);
        cr_assert_eq(enr_text_analyze(&txt, s, strlen(s), 0, NULL, 0), ENR_OK);
        /* What a tagger might say: a name split at "bin", an adverb taken
         * for an organisation, and a real sentence-initial name. */
        push_at("Mohammed bin Abdulrahman", ENR_ENT_PERSON);
        push_at("Jassim Al Thani", ENR_ENT_PERSON);
        push_at("Additionally", ENR_ENT_ORG);
        push_at("Raisi", ENR_ENT_PERSON);
        push_at("Ankara", ENR_ENT_GPE);
        push_at("Israel", ENR_ENT_GPE);
        enr_names_refine(names, &txt, ENR_FIELD_BODY, &ms, 0, 0);

        expect("Mohammed bin Abdulrahman bin Jassim Al Thani", ENR_ENT_PERSON);
        cr_assert_null(find("Jassim Al Thani"), "split name not joined");
        cr_assert_null(find("Additionally"), "common word kept as a name");
        expect("Raisi", ENR_ENT_PERSON);
        expect("Ankara", ENR_ENT_GPE);
        expect("Israel", ENR_ENT_GPE);
        cr_assert_eq(ms.n, 4);
}

Test(names, refine_keeps_common_words_capitalised_elsewhere) {
        const char *s = "Bush arrived. Later George Bush spoke.";

        enr_mentions_reset(&ms);
        cr_assert_eq(enr_text_analyze(&txt, s, strlen(s), 0, NULL, 0), ENR_OK);
        push_at("Bush", ENR_ENT_PERSON);
        enr_names_refine(names, &txt, ENR_FIELD_BODY, &ms, 0, 0);
        expect("Bush", ENR_ENT_PERSON);
}

Test(names, refine_replaces_the_taggers_dateline) {
        const char *s = "TEHRAN \xe2\x80\x93 Iran and Qatar met on Thursday.";
        const enr_mention_t *m;

        enr_mentions_reset(&ms);
        cr_assert_eq(enr_text_analyze(&txt, s, strlen(s), 0, NULL, 0), ENR_OK);
        push_at("TEHRAN", ENR_ENT_ORG); /* A tagger's guess, no code. */
        push_at("Iran", ENR_ENT_GPE);
        enr_names_refine(names, &txt, ENR_FIELD_BODY, &ms, 0, 0);
        m = find("TEHRAN");
        cr_assert_not_null(m);
        cr_assert(m->flags & ENR_MENTF_DATELINE, "dateline not flagged");
        cr_assert_eq(m->type, ENR_ENT_GPE);
        cr_assert_str_eq(m->code, "IR");
        cr_assert_eq(ms.n, 2, "the tagger's TEHRAN was not replaced");
        /* Titles have no dateline. */
        enr_mentions_reset(&ms);
        push_at("TEHRAN", ENR_ENT_ORG);
        enr_names_refine(names, &txt, ENR_FIELD_TITLE, &ms, 0, 0);
        cr_assert_eq(find("TEHRAN")->flags & ENR_MENTF_DATELINE, 0);
}

/* The type of the mention at the n-th (from 0) occurrence of text, or -1
 * when no mention has exactly that span. */
static int type_at(const char *text, int n) {
        const char *p = txt.s;
        size_t      i, len = strlen(text);

        for (p = strstr(p, text); p && n > 0; n--)
                p = strstr(p + 1, text);
        cr_assert_not_null(p, "no occurrence of \"%s\"", text);
        for (i = 0; i < ms.n; i++)
                if (ms.v[i].start == (uint32_t)(p - txt.s) &&
                    ms.v[i].end == (uint32_t)(p - txt.s + len))
                        return ms.v[i].type;
        return -1;
}

/* A confident type (score >= 0.5) so the entity vote keeps it. */
static void expect_sure(const char *text, enr_ent_type_t type) {
        const enr_mention_t *m = find(text);

        expect(text, type);
        if (m)
                cr_expect_geq(m->score, 0.5f, "\"%s\" scored %.2f", text,
                              (double)m->score);
}

Test(names, laws_by_head_word) {
        run("MPs debated the Identity Cards Bill while lawyers cited the "
            "Terrorism Act 2000, the Treaty of Rome and the European "
            "Convention on Human Rights. Bill Gates stayed away. The Bill "
            "passed, although the Law Lords objected and No Bill is "
            "perfect.",
            ENR_FIELD_BODY);
        expect_sure("Identity Cards Bill", ENR_ENT_LAW);
        expect_sure("Terrorism Act 2000", ENR_ENT_LAW);
        expect_sure("Treaty of Rome", ENR_ENT_LAW);
        expect_sure("European Convention on Human Rights", ENR_ENT_LAW);
        cr_expect_neq(type_at("Bill Gates", 0), ENR_ENT_LAW);
        cr_expect_neq(type_at("Law Lords", 0), ENR_ENT_LAW);
        cr_expect_neq(type_at("No Bill", 0), ENR_ENT_LAW);
        cr_expect_neq(type_at("Bill", 2), ENR_ENT_LAW, "a bare Bill");
}

Test(names, facilities_by_list_and_head_word) {
        run("The final was played at Old Trafford, not at the Zorbland "
            "Stadium, and fans flew from Heathrow to Qarvik Airport. Wayne "
            "Bridge and Crystal Palace were not there. He spent six years at "
            "Anfield.",
            ENR_FIELD_BODY);
        expect_sure("Old Trafford", ENR_ENT_FAC);
        expect_sure("Zorbland Stadium", ENR_ENT_FAC);
        expect_sure("Heathrow", ENR_ENT_FAC);
        expect_sure("Qarvik Airport", ENR_ENT_FAC);
        cr_expect_neq(type_at("Wayne Bridge", 0), ENR_ENT_FAC);
        cr_expect_neq(type_at("Crystal Palace", 0), ENR_ENT_FAC);
        /* A ground that stands for its club is no facility. */
        cr_expect_neq(type_at("Anfield", 0), ENR_ENT_FAC);
}

Test(names, events_by_list_head_word_and_opener) {
        run("After the Six Nations and Sunday's Zorbland Cup, Operation "
            "Desert Quill began before Hurricane Ivan struck.",
            ENR_FIELD_BODY);
        expect_sure("Six Nations", ENR_ENT_EVENT);
        expect_sure("Zorbland Cup", ENR_ENT_EVENT);
        cr_expect_null(find("Sunday's Zorbland Cup"), "the owner joined");
        expect_sure("Operation Desert Quill", ENR_ENT_EVENT);
        expect_sure("Hurricane Ivan", ENR_ENT_EVENT);
}

Test(names, products_with_and_without_models) {
        run("Sales of the PlayStation 2 beat the Xbox 360 and the iPod, "
            "while Nokia 6600 handsets and Windows XP did well. Nokia said "
            "Samsung 10 was a score.",
            ENR_FIELD_BODY);
        expect_sure("PlayStation 2", ENR_ENT_PRODUCT);
        expect_sure("Xbox 360", ENR_ENT_PRODUCT);
        expect_sure("iPod", ENR_ENT_PRODUCT);
        expect_sure("Nokia 6600", ENR_ENT_PRODUCT);
        expect_sure("Windows XP", ENR_ENT_PRODUCT);
        cr_expect_neq(type_at("Nokia", 1), ENR_ENT_PRODUCT);
        cr_expect_null(find("Samsung 10"));
}

Test(names, works_after_cues_and_again) {
        run("The film Zorro Rides Again won praise, and her new single "
            "\"Quiet Nights\" sold well. Critics said Zorro Rides Again was "
            "long. Million Dollar Baby won too. A single European market "
            "and the series England won are not titles.",
            ENR_FIELD_BODY);
        expect_sure("Zorro Rides Again", ENR_ENT_WORK_OF_ART);
        cr_expect_eq(type_at("Zorro Rides Again", 1), ENR_ENT_WORK_OF_ART,
                     "the title's second mention");
        expect_sure("Quiet Nights", ENR_ENT_WORK_OF_ART);
        expect_sure("Million Dollar Baby", ENR_ENT_WORK_OF_ART);
        cr_expect_neq(type_at("European", 0), ENR_ENT_WORK_OF_ART);
        cr_expect_neq(type_at("England", 0), ENR_ENT_WORK_OF_ART);
}

Test(names, languages_only_where_the_words_say_so) {
        run("She answered in French, he speaks Mandarin and reads an "
            "English-language paper with Welsh speakers. French politics "
            "and English football are not languages.",
            ENR_FIELD_BODY);
        cr_expect_eq(type_at("French", 0), ENR_ENT_LANGUAGE);
        expect_sure("Mandarin", ENR_ENT_LANGUAGE);
        cr_expect_eq(type_at("English", 0), ENR_ENT_LANGUAGE);
        cr_expect_eq(type_at("Welsh", 0), ENR_ENT_LANGUAGE);
        cr_expect_neq(type_at("French", 1), ENR_ENT_LANGUAGE);
        cr_expect_neq(type_at("English", 1), ENR_ENT_LANGUAGE);
}

/* The tagger's reading (MISC as NORP, ORG for a product) is corrected on
 * the tagger's path too. */
Test(names, refine_types_the_taggers_names) {
        const char *s = "Under the Hunting Act, fans at Anfield bought the "
                        "Xbox and spoke in Spanish.";

        enr_mentions_reset(&ms);
        cr_assert_eq(enr_text_analyze(&txt, s, strlen(s), 0, NULL, 0), ENR_OK);
        push_at("Hunting Act", ENR_ENT_NORP);
        push_at("Anfield", ENR_ENT_ORG);
        push_at("Xbox", ENR_ENT_ORG);
        push_at("Spanish", ENR_ENT_NORP);
        enr_names_refine(names, &txt, ENR_FIELD_BODY, &ms, 0, 0);
        expect_sure("Hunting Act", ENR_ENT_LAW);
        expect_sure("Anfield", ENR_ENT_FAC);
        expect_sure("Xbox", ENR_ENT_PRODUCT);
        expect_sure("Spanish", ENR_ENT_LANGUAGE);
        cr_expect_eq(ms.n, 4);
}
