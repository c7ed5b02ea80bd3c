/*
 * Unit tests of article input: field mapping, plain text, limits and the
 * errors bad input gets.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "enricher/article.h"

static enr_config_t        cfg;
static enr_article_rules_t rules;
static enr_article_t       art;
static char                errstr[256];

static void setup(void) {
        cr_assert_eq(enr_config_init(&cfg), ENR_OK);
        cr_assert_eq(
            enr_article_rules_init(&rules, &cfg, errstr, sizeof(errstr)),
            ENR_OK);
        enr_article_init(&art);
}

static void teardown(void) {
        enr_article_clear(&art);
        enr_article_rules_clear(&rules);
        enr_config_clear(&cfg);
}

static enr_err_t parse(const char *s) {
        return enr_article_parse(&art, &rules, s, strlen(s), errstr,
                                 sizeof(errstr));
}

TestSuite(article, .init = setup, .fini = teardown);

Test(article, json_default_fields) {
        cr_assert_eq(parse("{\"id\":\"a1\",\"title\":\"T\",\"body\":\"B b\","
                           "\"published_at\":\"2023-10-07T10:00:00Z\"}"),
                     ENR_OK);
        cr_assert_str_eq(art.id, "a1");
        cr_assert_eq(art.title_len, 1);
        cr_assert_eq(strncmp(art.body, "B b", 3), 0);
        cr_assert(art.has_time);
        cr_assert_eq(art.published, 1696672800);
}

Test(article, json_fallback_fields_in_order) {
        cr_assert_eq(parse("{\"uuid\":\"u\",\"url\":\"x\",\"headline\":\"H\","
                           "\"content\":\"C\",\"text\":\"T\"}"),
                     ENR_OK);
        cr_assert_str_eq(art.id, "u");
        cr_assert_eq(art.body[0], 'T', "text comes before content");
        cr_assert_eq(art.title[0], 'H');
        cr_assert_str_eq(art.body_key, "text");
}

/* The web address: url, else link; a string only; --url-fields changes
 * the list and an empty one turns it off. */
Test(article, web_address) {
        char e[256];

        cr_assert_eq(parse("{\"link\":\"https://b.example/2\",\"body\":\"x\","
                           "\"url\":\"https://a.example/1\"}"),
                     ENR_OK);
        cr_assert_eq(art.url_len, strlen("https://a.example/1"));
        cr_assert_eq(memcmp(art.url, "https://a.example/1", art.url_len), 0);
        cr_assert_eq(parse("{\"link\":\"https://b.example/2\",\"body\":\"x\"}"),
                     ENR_OK);
        cr_assert_eq(memcmp(art.url, "https://b.example/2", art.url_len), 0);
        cr_assert_eq(parse("{\"url\":7,\"body\":\"x\"}"), ENR_OK);
        cr_assert_null(art.url);
        cr_assert_eq(art.url_len, 0);
        cr_assert_eq(parse("plain text body"), ENR_OK);
        cr_assert_null(art.url);

        enr_article_rules_clear(&rules);
        cr_assert_eq(enr_config_set(&cfg, "url-fields", "source", e, sizeof(e)),
                     ENR_OK);
        cr_assert_eq(enr_article_rules_init(&rules, &cfg, e, sizeof(e)),
                     ENR_OK);
        cr_assert_eq(parse("{\"url\":\"https://a.example/1\",\"body\":\"x\","
                           "\"source\":\"https://c.example/3\"}"),
                     ENR_OK);
        cr_assert_eq(memcmp(art.url, "https://c.example/3", art.url_len), 0);

        enr_article_rules_clear(&rules);
        cr_assert_eq(enr_config_set(&cfg, "url-fields", "", e, sizeof(e)),
                     ENR_OK);
        cr_assert_eq(enr_article_rules_init(&rules, &cfg, e, sizeof(e)),
                     ENR_OK);
        cr_assert_eq(parse("{\"url\":\"https://a.example/1\",\"body\":\"x\"}"),
                     ENR_OK);
        cr_assert_null(art.url);
}

Test(article, numeric_id_and_epoch_time) {
        cr_assert_eq(parse("{\"id\":42,\"body\":\"x\",\"date\":1696672800000}"),
                     ENR_OK);
        cr_assert_str_eq(art.id, "42");
        cr_assert_eq(art.published, 1696672800);
}

Test(article, configured_fields) {
        char e[256];
        enr_article_rules_clear(&rules);
        cr_assert_eq(
            enr_config_set(&cfg, "body-fields", "story, summary", e, sizeof(e)),
            ENR_OK);
        cr_assert_eq(enr_article_rules_init(&rules, &cfg, e, sizeof(e)),
                     ENR_OK);
        cr_assert_eq(parse("{\"body\":\"no\",\"summary\":\"yes\"}"), ENR_OK);
        cr_assert_eq(strncmp(art.body, "yes", 3), 0);
        cr_assert_eq(parse("{\"body\":\"no\"}"), ENR_ERR_NO_BODY);
}

Test(article, errors_have_reasons) {
        cr_assert_eq(parse(""), ENR_ERR_EMPTY);
        cr_assert_eq(parse("  \n "), ENR_ERR_EMPTY);
        cr_assert_eq(parse("{\"title\":\"x\""), ENR_ERR_PARSE);
        cr_assert(strstr(errstr, "invalid JSON"), "%s", errstr);
        cr_assert_eq(parse("[1,2]"), ENR_ERR_PARSE);
        cr_assert_eq(parse("{\"title\":\"x\"}"), ENR_ERR_NO_BODY);
        cr_assert_eq(parse("{\"body\":\"   \"}"), ENR_ERR_NO_BODY);
        cr_assert_eq(parse("{\"body\":17}"), ENR_ERR_NO_BODY);
        cr_assert(strstr(errstr, "not a string"), "%s", errstr);
        /* jansson refuses \u0000 in strings: a NUL never reaches the text. */
        cr_assert_eq(parse("{\"body\":\"a\\u0000b\"}"), ENR_ERR_PARSE);
}

Test(article, invalid_utf8_reports_offset) {
        cr_assert_eq(parse("{\"body\":\"ab\xff\"}"), ENR_ERR_INVALID_UTF8);
        cr_assert(strstr(errstr, "byte 11"), "%s", errstr);
        cr_assert_eq(parse("plain \xc3"), ENR_ERR_INVALID_UTF8);
}

Test(article, nul_in_plain_text_is_binary) {
        cr_assert_eq(enr_article_parse(&art, &rules, "Title\n\nbo\0dy", 12,
                                       errstr, sizeof(errstr)),
                     ENR_ERR_BINARY);
        cr_assert(strstr(errstr, "NUL byte at 9"), "%s", errstr);
}

Test(article, size_limit) {
        char e[256];
        cr_assert_eq(
            enr_config_set(&cfg, "max-article-bytes", "16", e, sizeof(e)),
            ENR_OK);
        enr_article_rules_clear(&rules);
        cr_assert_eq(enr_article_rules_init(&rules, &cfg, e, sizeof(e)),
                     ENR_OK);
        cr_assert_eq(parse("{\"body\":\"0123456789\"}"), ENR_ERR_TOO_LARGE);
        cr_assert_eq(parse("{\"body\":\"01\"}"), ENR_OK);
}

Test(article, plain_text_title_split) {
        cr_assert_eq(parse("Headline here\n\nFirst paragraph. More."), ENR_OK);
        cr_assert_eq(art.title_len, strlen("Headline here"));
        cr_assert_eq(strncmp(art.body, "First", 5), 0);
        cr_assert(!strncmp(art.id, "fnv1a64:", 8));

        cr_assert_eq(parse("Just one sentence, no title."), ENR_OK);
        cr_assert_eq(art.title_len, 0);

        cr_assert_eq(parse("A sentence ends here.\nAnother follows."), ENR_OK);
        cr_assert_eq(art.title_len, 0, "a sentence is not a title");
}

Test(article, input_format_json_refuses_text) {
        char e[256];
        cr_assert_eq(enr_config_set(&cfg, "input-format", "json", e, sizeof(e)),
                     ENR_OK);
        enr_article_rules_clear(&rules);
        cr_assert_eq(enr_article_rules_init(&rules, &cfg, e, sizeof(e)),
                     ENR_OK);
        cr_assert_eq(parse("hello world"), ENR_ERR_PARSE);
}

Test(article, parse_time_formats) {
        int64_t t;
        cr_assert(enr_parse_time("2023-10-07", 10, &t));
        cr_assert_eq(t, 1696636800);
        cr_assert(enr_parse_time("2023-10-07T12:00:00+02:00", 25, &t));
        cr_assert_eq(t, 1696636800 + 10 * 3600);
        cr_assert(enr_parse_time("03/14/1998 10:36:00", 19, &t));
        cr_assert_eq(t, 889871760);
        cr_assert(enr_parse_time("Sat, 07 Oct 2023 00:00:00 GMT", 29, &t));
        cr_assert_eq(t, 1696636800);
        cr_assert(!enr_parse_time("yesterday", 9, &t));
        cr_assert(!enr_parse_time("2023-13-01", 10, &t));
}

/* enr_parse_time_ms() of s, which must parse. */
static int64_t ms_of(const char *s) {
        int64_t t = 0;

        cr_assert(enr_parse_time_ms(s, strlen(s), &t), "%s refused", s);
        return t;
}

static bool refused(const char *s) {
        int64_t t;

        return !enr_parse_time_ms(s, strlen(s), &t);
}

/* The forms `enricher run --from` relies on, in milliseconds. */
Test(article, parse_time_ms) {
        int64_t t;

        cr_assert_eq(ms_of("2024-01-31"), 1706659200000);
        cr_assert_eq(ms_of("2024-01-31T12:00"), 1706702400000);
        cr_assert_eq(ms_of("2024-01-31 12:00:00Z"), 1706702400000);
        cr_assert_eq(ms_of("2024-01-31T12:00:00.250+01:00"), 1706698800250);
        cr_assert_eq(ms_of("2024-01-31T12:00:00.25-0130"), 1706707800250);
        cr_assert_eq(ms_of("2024-01-31T12:00:00.2509+01"), 1706698800250);
        cr_assert_eq(ms_of("2024-01-31T12:00:00,5Z"), 1706702400500);
        cr_assert_eq(ms_of("1969-12-31T23:59:59.500Z"), -500);
        cr_assert_eq(ms_of("1706702400"), 1706702400000);
        cr_assert_eq(ms_of("1706702400123"), 1706702400123);
        /* Nothing may follow a zone offset; a colon promises minutes. */
        cr_assert(refused("2024-01-31T12:00+01:00junk"));
        cr_assert(refused("2024-01-31T12:00+01:"));
        cr_assert(refused("2024-01-31T12:00+011"));
        cr_assert(refused("2024-01-31T12:00Zjunk"));
        cr_assert(refused("2024-01-31T12:00+24:00"));
        cr_assert(refused("2024-01-31T12:00+01:60"));
        cr_assert(refused("2024-01-31T25:00"));
        cr_assert(refused("2024-01-31junk"));
        cr_assert(refused("yesterday"));
        cr_assert(refused(""));
        /* Whole seconds round down, also before 1970. */
        cr_assert(enr_parse_time("1969-12-31T23:59:59.500Z", 24, &t));
        cr_assert_eq(t, -1);
        cr_assert(enr_parse_time("2024-01-31T12:00:00.999Z", 24, &t));
        cr_assert_eq(t, 1706702400);
}
