/*
 * Unit tests of text.c: UTF-8 validation and decoding, every tokenizer
 * rule with exact token texts and offsets, flags, sentence and paragraph
 * splitting, limits, and (when the shared BBC sample is present) the
 * invariants over real news bodies.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enricher/text.h"

static enr_text_t t;
static char       errstr[256];

static void setup(void) {
        enr_text_init(&t);
        errstr[0] = '\0';
}

static void teardown(void) {
        enr_text_clear(&t);
}

TestSuite(text, .init = setup, .fini = teardown);

/* Analyses s and asserts success. */
static void analyze(const char *s) {
        enr_err_t err =
            enr_text_analyze(&t, s, strlen(s), 0, errstr, sizeof(errstr));

        cr_assert_eq(err, ENR_OK, "analyse failed: %s", errstr);
}

/* The tokens of the last analysis joined by '|'. */
static const char *joined(void) {
        static char buf[4096];
        size_t      o = 0, i;

        buf[0] = '\0';
        for (i = 0; i < t.ntoks; i++) {
                int n =
                    snprintf(buf + o, sizeof(buf) - o, "%s%.*s", i ? "|" : "",
                             (int)enr_tok_len(&t, i), enr_tok_ptr(&t, i));

                o += (size_t)n;
                if (o >= sizeof(buf))
                        break;
        }
        return buf;
}

/* Asserts that s tokenises to want ("a|b|c"). */
static void expect_tokens(const char *s, const char *want) {
        analyze(s);
        cr_assert_str_eq(joined(), want, "tokens of \"%s\"", s);
}

/* The sentences of the last analysis, tokens space-joined, '/'-separated. */
static const char *sentences(void) {
        static char buf[4096];
        size_t      o = 0, i, k;

        buf[0] = '\0';
        for (i = 0; i < t.nsents; i++) {
                for (k = t.sents[i].tok_start; k < t.sents[i].tok_end; k++) {
                        int n = snprintf(
                            buf + o, sizeof(buf) - o, "%s%.*s",
                            k == t.sents[i].tok_start ? (i ? " / " : "") : " ",
                            (int)enr_tok_len(&t, k), enr_tok_ptr(&t, k));

                        o += (size_t)n;
                        if (o >= sizeof(buf))
                                return buf;
                }
        }
        return buf;
}

static void expect_sentences(const char *s, const char *want) {
        analyze(s);
        cr_assert_str_eq(sentences(), want, "sentences of \"%s\"", s);
}

/* The index of the token whose text is tok (the first one), or fail. */
static size_t find(const char *tok) {
        size_t i;

        for (i = 0; i < t.ntoks; i++) {
                if (enr_tok_len(&t, i) == strlen(tok) &&
                    memcmp(enr_tok_ptr(&t, i), tok, strlen(tok)) == 0)
                        return i;
        }
        cr_assert_fail("no token \"%s\" in %s", tok, joined());
        return 0;
}

/*
 * UTF-8.
 */

Test(text, utf8_valid) {
        const char *s = "plain ascii, caf\xc3\xa9, \xe2\x80\x99, "
                        "\xf0\x9f\x98\x80, \xf4\x8f\xbf\xbf";

        cr_assert_eq(enr_utf8_validate(s, strlen(s)), strlen(s));
        cr_assert_eq(enr_utf8_validate("", 0), 0);
}

Test(text, utf8_invalid_offsets) {
        /* Overlong encodings. */
        cr_assert_eq(enr_utf8_validate("ab\xc0\x80", 4), 2);
        cr_assert_eq(enr_utf8_validate("ab\xc1\xbf", 4), 2);
        cr_assert_eq(enr_utf8_validate("\xe0\x80\xaf", 3), 0);
        cr_assert_eq(enr_utf8_validate("x\xf0\x80\x80\xaf", 5), 1);
        /* Surrogates. */
        cr_assert_eq(enr_utf8_validate("abc\xed\xa0\x80", 6), 3);
        cr_assert_eq(enr_utf8_validate("\xed\xbf\xbf", 3), 0);
        /* Above U+10FFFF. */
        cr_assert_eq(enr_utf8_validate("\xf4\x90\x80\x80", 4), 0);
        cr_assert_eq(enr_utf8_validate("a\xf5\x80\x80\x80", 5), 1);
        cr_assert_eq(enr_utf8_validate("\xff", 1), 0);
        /* Truncated sequences, also cut by len in the middle of a buffer. */
        cr_assert_eq(enr_utf8_validate("abcd\xe2\x82", 6), 4);
        cr_assert_eq(enr_utf8_validate("\xe2\x82\xac", 2), 0);
        cr_assert_eq(enr_utf8_validate("ok \xf0\x9f\x98", 6), 3);
        /* A stray continuation byte after 9 ASCII bytes (fast path). */
        cr_assert_eq(enr_utf8_validate("123456789\x80", 10), 9);
        /* A bad continuation byte. */
        cr_assert_eq(enr_utf8_validate("\xc3(", 2), 0);
}

Test(text, utf8_next_and_count) {
        const char *s   = "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xff";
        size_t      pos = 0, len = strlen(s);

        cr_assert_eq(enr_utf8_next(s, len, &pos), 'a');
        cr_assert_eq(pos, 1);
        cr_assert_eq(enr_utf8_next(s, len, &pos), 0xE9);
        cr_assert_eq(pos, 3);
        cr_assert_eq(enr_utf8_next(s, len, &pos), 0x20AC);
        cr_assert_eq(pos, 6);
        cr_assert_eq(enr_utf8_next(s, len, &pos), 0x1F600);
        cr_assert_eq(pos, 10);
        cr_assert_eq(enr_utf8_next(s, len, &pos), -1);
        cr_assert_eq(pos, 11);
        cr_assert_eq(enr_utf8_next(s, len, &pos), -1);
        cr_assert_eq(pos, 11, "never advances past len");
        /* A sequence cut by len is invalid and advances one byte. */
        pos = 0;
        cr_assert_eq(enr_utf8_next("\xe2\x82\xac", 2, &pos), -1);
        cr_assert_eq(pos, 1);
        pos = 0;
        cr_assert_eq(enr_utf8_next("\xed\xa0\x80", 3, &pos), -1);
        cr_assert_eq(pos, 1);
        cr_assert_eq(enr_utf8_count(s, len), 5);
        cr_assert_eq(enr_utf8_count("\xe2\x82", 2), 2);
}

Test(text, invalid_utf8_is_reported) {
        const char *s = "Fine text \xed\xa0\x80 then";
        enr_err_t   err;

        err = enr_text_analyze(&t, s, strlen(s), 0, errstr, sizeof(errstr));
        cr_assert_eq(err, ENR_ERR_INVALID_UTF8);
        cr_assert(strstr(errstr, "10") != NULL, "errstr: %s", errstr);
        cr_assert_eq(t.ntoks, 0);
        cr_assert_eq(t.nsents, 0);
}

/*
 * Tokens.
 */

Test(text, words_and_punctuation) {
        expect_tokens("Hello, world! (It works.)",
                      "Hello|,|world|!|(|It|works|.|)");
        expect_tokens("  spaced\tout\n", "spaced|out");
        expect_tokens("", "");
        cr_assert_eq(t.nsents, 0);
        cr_assert_eq(t.nparas, 0);
        expect_tokens("Wait... what?! Yes…", "Wait|...|what|?|!|Yes|…");
}

Test(text, abbreviations_keep_their_dot) {
        expect_tokens("Mr. Smith met Dr. Jones in St. Louis.",
                      "Mr.|Smith|met|Dr.|Jones|in|St.|Louis|.");
        cr_assert(t.toks[0].flags & ENR_TOKF_ABBREV);
        cr_assert_not(t.toks[1].flags & ENR_TOKF_ABBREV);
        expect_tokens("Mrs. Ms. Prof. Gen. Sen. Gov. Rev. Capt. Jr. Sr.",
                      "Mrs.|Ms.|Prof.|Gen.|Sen.|Gov.|Rev.|Capt.|Jr.|Sr.");
        expect_tokens("the U.S. and the U.K. and the U.S.A.",
                      "the|U.S.|and|the|U.K.|and|the|U.S.A.");
        cr_assert(t.toks[1].flags & ENR_TOKF_ABBREV);
        cr_assert(t.toks[1].flags & ENR_TOKF_ALL_UPPER);
        expect_tokens("e.g. this, i.e. that, at 9 a.m. or 5 p.m. today",
                      "e.g.|this|,|i.e.|that|,|at|9|a.m.|or|5|p.m.|today");
        expect_tokens("Jan. Feb. Sept. Dec. Acme Inc. Foo Ltd. Bar Corp. "
                      "Baz Co. vs. etc.",
                      "Jan.|Feb.|Sept.|Dec.|Acme|Inc.|Foo|Ltd.|Bar|Corp.|"
                      "Baz|Co.|vs.|etc.");
        expect_tokens("J. K. Rowling and J.R.R. Tolkien",
                      "J.|K.|Rowling|and|J.R.R.|Tolkien");
        /* "No." only before a number. */
        expect_tokens("No. 10 said no.", "No.|10|said|no|.");
        expect_tokens("He said No.", "He|said|No|.");
}

Test(text, numbers) {
        expect_tokens("70,457 people paid 1.5 or 1,000,000.25 each",
                      "70,457|people|paid|1.5|or|1,000,000.25|each");
        cr_assert_eq(t.toks[0].kind, ENR_TOK_NUMBER);
        cr_assert(t.toks[0].flags & ENR_TOKF_HAS_DIGIT);
        cr_assert_eq(t.toks[5].kind, ENR_TOK_NUMBER);
        expect_tokens("at 10:30 on 9/11 in 2019.",
                      "at|10:30|on|9/11|in|2019|.");
        expect_tokens("1,2 and 12,3456", "1|,|2|and|12|,|3456");
        expect_tokens("the 1990s, the 3rd and 21st",
                      "the|1990s|,|the|3rd|and|21st");
        cr_assert_eq(t.toks[1].kind, ENR_TOK_NUMBER);
        expect_tokens("2019-20 season on 1996-08-30, won 16-18 and 4-",
                      "2019-20|season|on|1996-08-30|,|won|16-18|and|4|-");
        cr_assert_eq(t.toks[0].kind, ENR_TOK_NUMBER);
        cr_assert(t.toks[0].flags & ENR_TOKF_HAS_HYPHEN);
        expect_tokens("batting .526 and 0.5.", "batting|.526|and|0.5|.");
        cr_assert_eq(t.toks[1].kind, ENR_TOK_NUMBER);
        expect_tokens("an 18-year-old in 3D with 5G",
                      "an|18-year-old|in|3D|with|5G");
        cr_assert_eq(t.toks[1].kind, ENR_TOK_WORD);
        cr_assert(t.toks[1].flags & ENR_TOKF_HAS_HYPHEN);
        cr_assert(t.toks[1].flags & ENR_TOKF_HAS_DIGIT);
}

Test(text, currency_and_percent) {
        expect_tokens("£600m (76%) for $1.5bn and €20,000",
                      "£|600|m|(|76|%|)|for|$|1.5|bn|and|€|20,000");
        cr_assert_eq(t.toks[0].kind, ENR_TOK_SYMBOL);
        cr_assert_eq(t.toks[1].kind, ENR_TOK_NUMBER);
        cr_assert_eq(t.toks[2].kind, ENR_TOK_WORD);
        cr_assert_not(t.toks[2].flags & ENR_TOKF_SPACE_BEFORE);
        cr_assert_not(t.toks[1].flags & ENR_TOKF_SPACE_BEFORE);
        cr_assert_eq(t.toks[5].kind, ENR_TOK_SYMBOL);
        /* Byte offsets: "£" is two bytes. */
        cr_assert_eq(t.toks[0].start, 0);
        cr_assert_eq(t.toks[0].end, 2);
        cr_assert_eq(t.toks[1].start, 2);
        cr_assert_eq(t.toks[1].end, 5);
        cr_assert_eq(t.toks[1].cp_start, 1);
        cr_assert_eq(t.toks[1].cp_end, 4);
        expect_tokens("US$5 at 10am, 5km", "US|$|5|at|10|am|,|5|km");
}

Test(text, clitics) {
        expect_tokens("Israel’s army", "Israel|’s|army");
        cr_assert_eq(t.toks[1].kind, ENR_TOK_WORD);
        cr_assert(t.toks[1].flags & ENR_TOKF_CLITIC);
        cr_assert(t.toks[1].flags & ENR_TOKF_NON_ASCII);
        cr_assert_eq(t.toks[1].start, 6);
        cr_assert_eq(t.toks[1].end, 10);
        cr_assert_eq(t.toks[1].cp_start, 6);
        cr_assert_eq(t.toks[1].cp_end, 8);
        expect_tokens("don't can't won't didn’t",
                      "do|n't|ca|n't|wo|n't|did|n’t");
        cr_assert(t.toks[1].flags & ENR_TOKF_CLITIC);
        expect_tokens("I'm they're we've she'll he'd IT'S",
                      "I|'m|they|'re|we|'ve|she|'ll|he|'d|IT|'S");
        expect_tokens("O'Brien's rock'n'roll", "O'Brien|'s|rock'n'roll");
        expect_tokens("the students' union", "the|students|'|union");
        cr_assert_eq(t.toks[2].kind, ENR_TOK_PUNCT);
        expect_tokens("the 1990's", "the|1990|'s");
        /* Already tokenised text (CoNLL, PTB): detached clitics. */
        expect_tokens("Leicestershire 's win , I do n't know",
                      "Leicestershire|'s|win|,|I|do|n't|know");
        cr_assert(t.toks[1].flags & ENR_TOKF_CLITIC);
        cr_assert(t.toks[6].flags & ENR_TOKF_CLITIC);
        expect_tokens("the 's' key", "the|'|s|'|key");
        expect_tokens("'Hello' she said", "'|Hello|'|she|said");
        cr_assert_eq(t.toks[2].kind, ENR_TOK_PUNCT);
}

Test(text, hyphens_and_dashes) {
        expect_tokens("decades-long Al-Aqsa COVID-19 row",
                      "decades-long|Al-Aqsa|COVID-19|row");
        cr_assert(t.toks[0].flags & ENR_TOKF_HAS_HYPHEN);
        cr_assert(t.toks[1].flags & ENR_TOKF_HAS_HYPHEN);
        cr_assert(t.toks[1].flags & ENR_TOKF_UPPER_INITIAL);
        cr_assert_not(t.toks[3].flags & ENR_TOKF_HAS_HYPHEN);
        expect_tokens("Paris–London, war—and peace -- or - not",
                      "Paris|–|London|,|war|—|and|peace|--|or|-|not");
        cr_assert_eq(t.toks[1].kind, ENR_TOK_PUNCT);
        expect_tokens("pre- and post-war", "pre|-|and|post-war");
}

Test(text, urls_and_emails) {
        expect_tokens("See https://www.bbc.co.uk/news/world-123.",
                      "See|https://www.bbc.co.uk/news/world-123|.");
        cr_assert_eq(t.toks[1].kind, ENR_TOK_URL);
        expect_tokens("(see http://a.example/x?y=1&z=2) or www.example.com, "
                      "bbc.co.uk/sport!",
                      "(|see|http://a.example/x?y=1&z=2|)|or|"
                      "www.example.com|,|bbc.co.uk/sport|!");
        cr_assert_eq(t.toks[5].kind, ENR_TOK_URL);
        cr_assert_eq(t.toks[7].kind, ENR_TOK_URL);
        expect_tokens("Write to press.office@example.org.",
                      "Write|to|press.office@example.org|.");
        cr_assert_eq(t.toks[2].kind, ENR_TOK_EMAIL);
        expect_tokens("@handle #tag a@b", "@|handle|#|tag|a|@|b");
        /* Not a domain: a missing space between sentences. */
        expect_tokens("ended.The", "ended|.|The");
}

Test(text, symbols_quotes_and_other) {
        expect_tokens("“Quote” «guillemets» AT&T R&D a & b",
                      "“|Quote|”|«|guillemets|»|AT&T|R&D|a|&|b");
        cr_assert_eq(t.toks[0].kind, ENR_TOK_PUNCT);
        cr_assert_eq(t.toks[9].kind, ENR_TOK_SYMBOL);
        expect_tokens("fun 😀👍🏽 end", "fun|😀|👍🏽|end");
        cr_assert_eq(t.toks[1].kind, ENR_TOK_OTHER);
        cr_assert_eq(t.toks[2].cp_end - t.toks[2].cp_start, 2);
}

Test(text, flags) {
        size_t i;

        analyze("NATO said\nThe iPhone 15 café ÉCOLE x");
        i = find("NATO");
        cr_assert(t.toks[i].flags & ENR_TOKF_ALL_UPPER);
        cr_assert(t.toks[i].flags & ENR_TOKF_UPPER_INITIAL);
        cr_assert(t.toks[i].flags & ENR_TOKF_SENT_START);
        cr_assert(t.toks[i].flags & ENR_TOKF_PARA_START);
        cr_assert(t.toks[i].flags & ENR_TOKF_LINE_START);
        cr_assert_not(t.toks[i].flags & ENR_TOKF_SPACE_BEFORE);
        i = find("said");
        cr_assert_eq(t.toks[i].flags, ENR_TOKF_SPACE_BEFORE);
        i = find("The");
        cr_assert(t.toks[i].flags & ENR_TOKF_LINE_START);
        cr_assert(t.toks[i].flags & ENR_TOKF_SPACE_BEFORE);
        cr_assert_not(t.toks[i].flags & ENR_TOKF_ALL_UPPER);
        i = find("iPhone");
        cr_assert_not(t.toks[i].flags & ENR_TOKF_UPPER_INITIAL);
        cr_assert_not(t.toks[i].flags & ENR_TOKF_LINE_START);
        i = find("15");
        cr_assert(t.toks[i].flags & ENR_TOKF_HAS_DIGIT);
        i = find("café");
        cr_assert(t.toks[i].flags & ENR_TOKF_NON_ASCII);
        cr_assert_not(t.toks[i].flags & ENR_TOKF_UPPER_INITIAL);
        i = find("ÉCOLE");
        cr_assert(t.toks[i].flags & ENR_TOKF_ALL_UPPER);
        cr_assert(t.toks[i].flags & ENR_TOKF_UPPER_INITIAL);
}

Test(text, code_point_offsets) {
        /* C a f é ␠ – ␠ n a ï v e ␠ “ q ” ␠ 😀 ␠ e n d */
        const char *s = "Café – naïve “q” 😀 end";
        size_t      i;

        analyze(s);
        cr_assert_str_eq(joined(), "Café|–|naïve|“|q|”|😀|end");
        cr_assert_eq(t.ncp, 22);
        i = find("Café");
        cr_assert_eq(t.toks[i].cp_start, 0);
        cr_assert_eq(t.toks[i].cp_end, 4);
        cr_assert_eq(t.toks[i].end, 5);
        i = find("–");
        cr_assert_eq(t.toks[i].cp_start, 5);
        cr_assert_eq(t.toks[i].cp_end, 6);
        cr_assert_eq(t.toks[i].start, 6);
        cr_assert_eq(t.toks[i].end, 9);
        i = find("naïve");
        cr_assert_eq(t.toks[i].cp_start, 7);
        cr_assert_eq(t.toks[i].cp_end, 12);
        i = find("q");
        cr_assert_eq(t.toks[i].cp_start, 14);
        i = find("😀");
        cr_assert_eq(t.toks[i].cp_start, 17);
        cr_assert_eq(t.toks[i].cp_end, 18);
        cr_assert_eq(t.toks[i].end - t.toks[i].start, 4);
        i = find("end");
        cr_assert_eq(t.toks[i].cp_start, 19);
        cr_assert_eq(t.toks[i].cp_end, 22);
        cr_assert_eq(t.toks[i].end, strlen(s));
}

/*
 * Sentences and paragraphs.
 */

Test(text, sentences_basic) {
        expect_sentences("One here. Two there! Three? Four",
                         "One here . / Two there ! / Three ? / Four");
        expect_sentences("It fell 1.5 points. Then 70,457 left.",
                         "It fell 1.5 points . / Then 70,457 left .");
        expect_sentences("Wait... what? yes.", "Wait ... what ? yes .");
        expect_sentences("Prices rose. 2019 was worse.",
                         "Prices rose . / 2019 was worse .");
}

Test(text, sentences_with_abbreviations) {
        expect_sentences("Mr. Smith met Dr. Jones at St. Paul's on Jan. 5.",
                         "Mr. Smith met Dr. Jones at St. Paul 's on Jan. 5 .");
        expect_sentences("She moved to the U.S. in May. It rained.",
                         "She moved to the U.S. in May . / It rained .");
        expect_sentences("U.S. President Joe Biden spoke.",
                         "U.S. President Joe Biden spoke .");
        expect_sentences("He lives in the U.S. The rest stayed.",
                         "He lives in the U.S. / The rest stayed .");
        expect_sentences("Apples, pears etc. They sold well.",
                         "Apples , pears etc. / They sold well .");
        expect_sentences("J. K. Rowling wrote it, e.g. Harry Potter.",
                         "J. K. Rowling wrote it , e.g. Harry Potter .");
        expect_sentences("Acme Inc. Chief Jo Bloggs quit.",
                         "Acme Inc. Chief Jo Bloggs quit .");
}

Test(text, sentences_with_quotes) {
        expect_sentences("\"Why?\" he asked. \"Because.\" She left.",
                         "\" Why ? \" he asked . / \" Because . \" / She "
                         "left .");
        expect_sentences("He said: “Stop.” Then he left.",
                         "He said : “ Stop . ” / Then he left .");
        expect_sentences("(It was late.) We slept.",
                         "( It was late . ) / We slept .");
        expect_sentences("He left. “Why?” she asked.",
                         "He left . / “ Why ? ” she asked .");
        /* Straight quotes alternate: the second one closes, spaced or not. */
        expect_sentences("\"It is over . \" Then he left.",
                         "\" It is over . \" / Then he left .");
        expect_sentences("He said \"go.\" \"Now.\" OK.",
                         "He said \" go . \" / \" Now . \" / OK .");
}

Test(text, sentences_and_headings) {
        expect_sentences("Big news today\nThe minister resigned on Monday. "
                         "More follows.",
                         "Big news today / The minister resigned on Monday "
                         ". / More follows .");
        cr_assert_eq(t.nparas, 2, "lines are paragraphs without blank lines");
        /* A line break inside a sentence: the next line is lower case. */
        expect_sentences("The minister said\nthat he would stay.",
                         "The minister said that he would stay .");
        expect_sentences("Apples,\nPears and plums.",
                         "Apples , Pears and plums .");
        expect_sentences("Mr.\nSmith spoke.", "Mr. Smith spoke .");
        /* Numbered lists: "2." does not end a sentence. */
        expect_sentences("Results:\n1. Smith (U.S.) 12.71\n2. Jones 12.80",
                         "Results : / 1 . Smith ( U.S. ) 12.71 / 2 . Jones "
                         "12.80");
}

Test(text, paragraphs) {
        size_t i;

        analyze("First para. Still first.\n\nSecond para\n \t\nThird one.\r\n"
                "\r\nFourth.");
        cr_assert_eq(t.nparas, 4);
        cr_assert_eq(t.nsents, 5);
        cr_assert_eq(t.paras[0].tok_start, 0);
        cr_assert_eq(t.paras[0].tok_end, 6);
        cr_assert_eq(t.paras[1].tok_start, 6);
        cr_assert_eq(t.paras[1].tok_end, 8);
        cr_assert_eq(t.paras[2].tok_start, 8);
        cr_assert_eq(t.paras[3].tok_start, 11);
        cr_assert_eq(t.paras[3].tok_end, t.ntoks);
        for (i = 0; i < t.ntoks; i++) {
                bool start = i == 0 || i == 6 || i == 8 || i == 11;

                cr_assert_eq(!!(t.toks[i].flags & ENR_TOKF_PARA_START), start,
                             "token %zu", i);
        }
        /* With blank lines present, single line breaks are not paragraphs. */
        analyze("Head line\nBody one.\n\nBody two.");
        cr_assert_eq(t.nparas, 2);
        cr_assert_eq(t.nsents, 3);
        /* Single newlines only: each line is a paragraph. */
        analyze("Line one.\nLine two.\nLine three.");
        cr_assert_eq(t.nparas, 3);
        cr_assert_eq(t.paras[1].tok_start, 3);
        cr_assert(t.toks[3].flags & ENR_TOKF_PARA_START);
        /* One line: one paragraph. */
        analyze("Just one line. Two sentences.");
        cr_assert_eq(t.nparas, 1);
        cr_assert_eq(t.nsents, 2);
        /* U+2029 PARAGRAPH SEPARATOR. */
        analyze("One.\xe2\x80\xa9Two.");
        cr_assert_eq(t.nparas, 2);
}

Test(text, sentence_index_and_coverage) {
        size_t i, k;

        analyze("A b. C d e! F?\n\nG h\nI j.");
        cr_assert_eq(t.nsents, 5);
        for (i = 0; i < t.nsents; i++) {
                for (k = t.sents[i].tok_start; k < t.sents[i].tok_end; k++) {
                        cr_assert_eq(t.toks[k].sent, i);
                        cr_assert_eq(!!(t.toks[k].flags & ENR_TOKF_SENT_START),
                                     k == t.sents[i].tok_start);
                }
                if (i)
                        cr_assert_eq(t.sents[i].tok_start,
                                     t.sents[i - 1].tok_end);
        }
        cr_assert_eq(t.sents[t.nsents - 1].tok_end, t.ntoks);
}

Test(text, long_sentences_are_cut) {
        size_t n = ENR_TEXT_MAX_SENT_TOKENS * 2 + 10, i;
        char  *s = malloc(n * 2 + 1);

        cr_assert_not_null(s);
        for (i = 0; i < n; i++) {
                s[2 * i]     = 'a';
                s[2 * i + 1] = ' ';
        }
        s[2 * n] = '\0';
        analyze(s);
        cr_assert_eq(t.ntoks, n);
        cr_assert_eq(t.nsents, 3);
        cr_assert_eq(t.sents[1].tok_start, ENR_TEXT_MAX_SENT_TOKENS);
        free(s);
}

Test(text, limits_and_reuse) {
        enr_err_t err;

        err = enr_text_analyze(&t, "one two three four", 18, 3, errstr,
                               sizeof(errstr));
        cr_assert_eq(err, ENR_ERR_LIMIT);
        cr_assert(strstr(errstr, "3") != NULL);
        cr_assert_eq(t.ntoks, 0);
        err = enr_text_analyze(&t, "one two three", 13, 3, errstr,
                               sizeof(errstr));
        cr_assert_eq(err, ENR_OK);
        cr_assert_eq(t.ntoks, 3);
        /* The arrays are reused: a shorter text leaves no stale tokens. */
        analyze("x");
        cr_assert_eq(t.ntoks, 1);
        cr_assert_eq(t.nsents, 1);
        cr_assert_eq(t.nparas, 1);
        cr_assert_eq(t.sents[0].tok_end, 1);
        err = enr_text_analyze(&t, NULL, 3, 0, errstr, sizeof(errstr));
        cr_assert_eq(err, ENR_ERR_INVALID_ARG);
        err = enr_text_analyze(&t, NULL, 0, 0, NULL, 0);
        cr_assert_eq(err, ENR_OK);
        cr_assert_eq(t.ntoks, 0);
}

Test(text, tok_helpers) {
        char   buf[64];
        size_t n;

        analyze("The ÉCOLE’S Naïve X");
        cr_assert(enr_tok_ieq(&t, 0, "the"));
        cr_assert_not(enr_tok_ieq(&t, 0, "th"));
        cr_assert_not(enr_tok_ieq(&t, 0, "them"));
        cr_assert_eq(enr_tok_len(&t, 0), 3);
        cr_assert_eq(enr_tok_ptr(&t, 0), t.s);
        n = enr_tok_lower(&t, 1, buf, sizeof(buf));
        cr_assert_str_eq(buf, "école");
        cr_assert_eq(n, strlen("école"));
        n = enr_tok_lower(&t, 2, buf, sizeof(buf));
        cr_assert_str_eq(buf, "'s");
        cr_assert_eq(n, 2);
        enr_tok_lower(&t, 3, buf, sizeof(buf));
        cr_assert_str_eq(buf, "naïve");
        /* Truncation keeps whole characters and terminates. */
        n = enr_tok_lower(&t, 3, buf, 4);
        cr_assert_str_eq(buf, "na");
        cr_assert_eq(n, 2);
        n = enr_tok_lower(&t, 0, buf, 1);
        cr_assert_eq(n, 0);
        cr_assert_str_eq(buf, "");
}

Test(text, control_bytes_and_odd_spaces) {
        expect_tokens("a\x01"
                      "b\xc2\xa0"
                      "c\xe2\x80\x83"
                      "d\x7f"
                      "e",
                      "a|b|c|d|e");
        cr_assert_eq(t.ncp, 9);
        expect_tokens("zero\xe2\x80\x8bwidth", "zero|width");
}

/*
 * Real news: every BBC body analyses, and the invariants hold.
 */
Test(text, bbc_bodies_invariants, .timeout = 120) {
        char   path[1024];
        FILE  *f;
        char  *line = NULL;
        size_t cap = 0, docs = 0, toks = 0;
        long   n;

        snprintf(path, sizeof(path), "%s/data/news/bbc.jsonl", ENR_SHARED_DIR);
        f = fopen(path, "r");
        if (!f)
                cr_skip_test("no shared data at %s", path);
        while ((n = (long)getline(&line, &cap, f)) > 0) {
                size_t i, prev_end = 0, cp = 0;

                /* The raw JSON line is UTF-8 text too. */
                analyze(line);
                docs++;
                toks += t.ntoks;
                cr_assert_eq(t.ncp, enr_utf8_count(line, (size_t)n));
                for (i = 0; i < t.ntoks; i++) {
                        const enr_token_t *tk = &t.toks[i];

                        cr_assert(tk->start >= prev_end);
                        cr_assert(tk->start < tk->end);
                        cr_assert(tk->cp_start < tk->cp_end);
                        cr_assert(tk->cp_end <= t.ncp);
                        cp += enr_utf8_count(line + prev_end,
                                             tk->start - prev_end);
                        cr_assert_eq(tk->cp_start, cp);
                        cp += enr_utf8_count(line + tk->start,
                                             tk->end - tk->start);
                        cr_assert_eq(tk->cp_end, cp);
                        prev_end = tk->end;
                }
        }
        free(line);
        fclose(f);
        cr_assert(docs > 100);
        cr_assert(toks > docs * 100);
}

Test(text, ascii_ieq) {
        cr_expect(enr_ascii_ieq("IRAN", 4, "Iran", 4));
        cr_expect(enr_ascii_ieq("", 0, "", 0));
        cr_expect_not(enr_ascii_ieq("Iran", 4, "Iraq", 4));
        cr_expect_not(enr_ascii_ieq("Iran", 4, "Irani", 5));
        /* Only ASCII letters fold: "@" is not "`". */
        cr_expect_not(enr_ascii_ieq("@", 1, "`", 1));
}

Test(text, tok_in) {
        static const char *const words[] = {"shares", "stake", "in", NULL};

        analyze("Shares in BP");
        cr_expect(enr_tok_in(&t, 0, words));
        cr_expect(enr_tok_in(&t, 1, words));
        cr_expect_not(enr_tok_in(&t, 2, words));
        /* Past the last token: no match, no read. */
        cr_expect_not(enr_tok_in(&t, 3, words));
}
