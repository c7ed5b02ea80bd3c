/*
 * Unit tests of common/quotes.c through the enrichment path (the speaker
 * must point into the record's entity table): each attribution pattern,
 * scare quotes and titles rejected, a quotation continued in the next
 * paragraph, the kinds of marks, apostrophes, code-point offsets.
 */
#include <jansson.h>

#include "enricher/config.h"
#include "enricher/enricher.h"
#include "enricher/quotes.h"
#include "unit.h"

static enr_enricher_t *enr;
static enr_scratch_t  *scr;
static json_t         *rec;

static void setup(void) {
        enr_config_t cfg;
        char         err[512];

        cr_assert_eq(enr_config_init(&cfg), ENR_OK);
        enr = enr_enricher_new(&cfg, err, sizeof(err));
        enr_config_clear(&cfg);
        cr_assert_not_null(enr, "%s", err);
        scr = enr_scratch_new(enr);
        cr_assert_not_null(scr);
}

static void teardown(void) {
        json_decref(rec);
        enr_scratch_destroy(scr);
        enr_enricher_destroy(enr);
}

TestSuite(quotes, .init = setup, .fini = teardown);

/* Enriches title + body and returns the record's quotes array. */
static json_t *quotes_of(const char *title, const char *body) {
        json_t *in  = json_pack("{s:s, s:s, s:s}", "id", "t", "title", title,
                                "body", body);
        char   *buf = json_dumps(in, JSON_COMPACT);
        enr_result_t res;

        cr_assert_eq(
            enr_enricher_process(enr, scr, buf, strlen(buf), NULL, &res),
            ENR_OK, "%s", res.errstr);
        free(buf);
        json_decref(in);
        json_decref(rec);
        rec = json_loadb(res.record, res.record_len, 0, NULL);
        cr_assert_not_null(rec);
        return json_object_get(rec, "quotes");
}

static const char *str(json_t *o, const char *k) {
        return json_string_value(json_object_get(o, k));
}

static const char *speaker(json_t *q) {
        return str(json_object_get(q, "speaker"), "text");
}

static const char *kind(json_t *q) {
        return str(json_object_get(q, "speaker"), "kind");
}

/* The canonical text of the entity the speaker of q points to. */
static const char *speaker_entity(json_t *q) {
        json_t *e = json_object_get(json_object_get(q, "speaker"), "entity");
        cr_assert(json_is_integer(e), "speaker has no entity");
        return str(json_array_get(json_object_get(rec, "entities"),
                                  (size_t)json_integer_value(e)),
                   "text");
}

Test(quotes, said_after_name) {
        json_t *qs = quotes_of("", "\"We will rebuild the school,\" said "
                                   "Janet Okafor, the head teacher.");
        cr_assert_eq(json_array_size(qs), 1);
        cr_assert_str_eq(str(json_array_get(qs, 0), "text"),
                         "We will rebuild the school,");
        cr_assert_str_eq(speaker_entity(json_array_get(qs, 0)), "Janet Okafor");
        cr_assert_str_eq(kind(json_array_get(qs, 0)), "person");
        cr_assert_str_eq(str(json_array_get(qs, 0), "verb"), "say");
        cr_assert_eq(
            json_integer_value(json_object_get(json_array_get(qs, 0), "start")),
            1);
}

Test(quotes, name_said_colon) {
        json_t *qs = quotes_of("", "Janet Okafor told reporters: \"The "
                                   "building is safe and classes resume "
                                   "on Monday.\"");
        cr_assert_eq(json_array_size(qs), 1);
        cr_assert_str_eq(speaker(json_array_get(qs, 0)), "Janet Okafor");
        cr_assert_str_eq(str(json_array_get(qs, 0), "verb"), "tell");
}

Test(quotes, pronoun_resolves_by_gender) {
        json_t *qs = quotes_of(
            "", "Mary Jones met David Brown in London on Monday.\n\n"
                "\"The talks went better than we expected,\" she said.");
        cr_assert_eq(json_array_size(qs), 1);
        cr_assert_str_eq(speaker_entity(json_array_get(qs, 0)), "Mary Jones");
        qs = quotes_of("", "Mary Jones met David Brown in London on Monday.\n\n"
                           "\"The talks went better than we expected,\" he "
                           "said.");
        cr_assert_str_eq(speaker_entity(json_array_get(qs, 0)), "David Brown");
}

Test(quotes, role_names_the_entity) {
        json_t *qs = quotes_of(
            "", "Foreign Minister Hossein Amir Abdollahian arrived in Beirut "
                "on Monday.\n\n\"We are ready for serious talks,\" the "
                "minister said.");
        cr_assert_eq(json_array_size(qs), 1);
        cr_assert_str_eq(speaker_entity(json_array_get(qs, 0)),
                         "Hossein Amir Abdollahian");
        cr_assert_str_eq(kind(json_array_get(qs, 0)), "person");
}

Test(quotes, nominal_speaker) {
        json_t *qs = quotes_of("", "\"The fire is now under control,\" a "
                                   "spokesman said.");
        cr_assert_eq(json_array_size(qs), 1);
        cr_assert_str_eq(kind(json_array_get(qs, 0)), "nominal");
        cr_assert_str_eq(speaker(json_array_get(qs, 0)), "a spokesman");
        cr_assert(json_is_null(json_object_get(
            json_object_get(json_array_get(qs, 0), "speaker"), "entity")));
}

Test(quotes, scare_quotes_and_titles_rejected) {
        json_t *qs = quotes_of("", "The so-called \"peace dividend\" never "
                                   "came. She starred in \"The Man in the "
                                   "Iron Mask\" last year.");
        cr_assert_eq(json_array_size(qs), 0);
}

Test(quotes, continuation_is_two_quotes) {
        json_t *qs = quotes_of(
            "", "John Smith said: \"We have done everything we could to stop "
                "the fire.\n\n\"Now we need help from the government.\"");
        cr_assert_eq(json_array_size(qs), 2);
        cr_assert_str_eq(str(json_array_get(qs, 0), "text"),
                         "We have done everything we could to stop the fire.");
        cr_assert_str_eq(speaker(json_array_get(qs, 1)), "John Smith");
        cr_assert_str_eq(str(json_array_get(qs, 1), "verb"), "say");
}

Test(quotes, mark_kinds) {
        static const char *const bodies[] = {
            "\"It is a good day for the town,\" said John Smith.",
            "\xE2\x80\x9CIt is a good day for the town,\xE2\x80\x9D said "
            "John Smith.",
            "``It is a good day for the town,'' said John Smith.",
        };
        for (size_t i = 0; i < 3; i++) {
                json_t *qs = quotes_of("", bodies[i]);
                json_t *q  = json_array_get(qs, 0);
                cr_assert_eq(json_array_size(qs), 1, "body %zu", i);
                cr_assert_str_eq(str(q, "text"),
                                 "It is a good day for the town,");
                cr_assert_eq(json_integer_value(json_object_get(q, "start")),
                             i == 2 ? 2 : 1);
                cr_assert_str_eq(speaker(q), "John Smith");
        }
}

Test(quotes, apostrophes_and_single_quotes) {
        json_t *qs = quotes_of("", "The students' union and the workers' "
                                   "party met on Monday, John Smith said.");
        cr_assert_eq(json_array_size(qs), 0);
        qs = quotes_of("'We will not give up', says John Smith", "Body.");
        cr_assert_eq(json_array_size(qs), 1);
        cr_assert_str_eq(str(json_array_get(qs, 0), "field"), "title");
        cr_assert_str_eq(str(json_array_get(qs, 0), "text"),
                         "We will not give up");
}

Test(quotes, code_point_offsets) {
        /* "Zoë" and "Ça" are one code point a letter. */
        json_t *qs = quotes_of("", "Zo\xC3\xAB Martin said: \"\xC3\x87"
                                   "a ira, we will all manage somehow in the "
                                   "end.\"");
        cr_assert_eq(json_array_size(qs), 1);
        cr_assert_eq(
            json_integer_value(json_object_get(json_array_get(qs, 0), "start")),
            18);
        cr_assert_eq(
            json_integer_value(json_object_get(json_array_get(qs, 0), "end")),
            64);
}

Test(quotes, no_marks_no_quotes) {
        json_t *qs = quotes_of("A plain title", "Nothing is quoted here.");
        cr_assert(json_is_array(qs));
        cr_assert_eq(json_array_size(qs), 0);
}
