/*
 * Fuzz target of text analysis and statistics: arbitrary bytes go through
 * enr_text_analyze() and enr_stats_compute(), and the invariants of their
 * results are checked, abort()ing on any violation.
 *
 * The first input byte (when there are at least two) chooses where the
 * input splits into a title and a body, so keyword counting over two
 * fields is exercised too; a token limit of 0 or 64 is chosen by its low
 * bit.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enricher/stats.h"
#include "enricher/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                            \
        do {                                                                   \
                if (!(cond)) {                                                 \
                        fprintf(stderr, "fuzz_text: %s:%d: %s\n", __FILE__,    \
                                __LINE__, #cond);                              \
                        abort();                                               \
                }                                                              \
        } while (0)

/* Checks a range list (sentences or paragraphs) covers all tokens. */
static void check_ranges(const enr_text_t *t, const enr_range_t *r, size_t n,
                         uint16_t flag) {
        size_t i, k;

        CHECK((n == 0) == (t->ntoks == 0));
        for (i = 0; i < n; i++) {
                CHECK(r[i].tok_start < r[i].tok_end);
                CHECK(r[i].tok_start == (i ? r[i - 1].tok_end : 0));
                for (k = r[i].tok_start; k < r[i].tok_end; k++)
                        CHECK(!!(t->toks[k].flags & flag) ==
                              (k == r[i].tok_start));
        }
        if (n)
                CHECK(r[n - 1].tok_end == t->ntoks);
}

/* Checks every invariant of one analysis of s[0..len). */
static void check_text(const enr_text_t *t, const char *s, size_t len,
                       size_t max_tokens) {
        size_t i, prev_end = 0, prev_cp = 0, p;

        CHECK(t->s == s || len == 0);
        CHECK(t->len == len);
        CHECK(t->ncp == enr_utf8_count(s, len));
        CHECK(!max_tokens || t->ntoks <= max_tokens);
        for (i = 0; i < t->ntoks; i++) {
                const enr_token_t *tk = &t->toks[i];

                CHECK(tk->start < tk->end && tk->end <= len);
                CHECK(tk->start >= prev_end);
                CHECK(tk->cp_start < tk->cp_end && tk->cp_end <= t->ncp);
                CHECK(tk->cp_start >= prev_cp);
                CHECK(tk->cp_end - tk->cp_start <= tk->end - tk->start);
                CHECK(tk->cp_end - tk->cp_start ==
                      enr_utf8_count(s + tk->start, tk->end - tk->start));
                CHECK(tk->kind <= ENR_TOK_OTHER);
                CHECK(tk->sent < t->nsents);
                CHECK(t->sents[tk->sent].tok_start <= i &&
                      i < t->sents[tk->sent].tok_end);
                /* Tokens hold no whitespace bytes. */
                for (p = tk->start; p < tk->end; p++)
                        CHECK(s[p] != ' ' && s[p] != '\n' && s[p] != '\t');
                prev_end = tk->end;
                prev_cp  = tk->cp_end;
        }
        check_ranges(t, t->sents, t->nsents, ENR_TOKF_SENT_START);
        check_ranges(t, t->paras, t->nparas, ENR_TOKF_PARA_START);
        /* Paragraphs start at sentence starts. */
        for (i = 0; i < t->nparas; i++)
                CHECK(t->toks[t->paras[i].tok_start].flags &
                      ENR_TOKF_SENT_START);
}

static void check_stats(const enr_text_t *body, const enr_stats_t *st,
                        const enr_keyword_t *kw, size_t nkw) {
        const double v[] = {
            st->avg_sentence_length,  st->avg_syllables_per_word,
            st->flesch_reading_ease,  st->flesch_kincaid_grade,
            st->gunning_fog,          st->smog_index,
            st->coleman_liau_index,   st->automated_readability_index,
            st->reading_time_seconds, st->lexical_density};
        size_t i;

        for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
                CHECK(isfinite(v[i]));
        CHECK(st->words <= body->ntoks);
        CHECK(st->unique_words <= st->words);
        CHECK(st->sentences <= body->nsents);
        CHECK(st->paragraphs <= body->nparas);
        CHECK(st->sentences <= st->words);
        CHECK(st->syllables >= st->words);
        CHECK(st->polysyllables <= st->words);
        CHECK(st->long_words <= st->words);
        CHECK(st->content_words <= st->words);
        CHECK(st->characters <= body->ncp);
        CHECK(st->lexical_density >= 0.0 && st->lexical_density <= 1.0);
        for (i = 0; i < nkw; i++) {
                size_t n = strnlen(kw[i].word, sizeof(kw[i].word));

                CHECK(n >= 2 && n < sizeof(kw[i].word));
                CHECK(kw[i].count >= 1);
                CHECK(!enr_stats_is_stopword(kw[i].word, n));
                if (i)
                        CHECK(kw[i - 1].count > kw[i].count ||
                              (kw[i - 1].count == kw[i].count &&
                               strcmp(kw[i - 1].word, kw[i].word) < 0));
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        static enr_text_t           title, body;
        static enr_stats_scratch_t *scratch;
        const char                 *s     = (const char *)data;
        size_t                      split = 0, max_tokens = 0, nkw = 0;
        enr_keyword_t               kw[10];
        enr_stats_t                 st;
        enr_err_t                   e1, e2;
        char                        err[128];

        if (!scratch) {
                scratch = enr_stats_scratch_new();
                CHECK(scratch);
        }
        if (size >= 2) {
                split      = data[0] % (size - 1);
                max_tokens = (data[0] & 1) ? 64 : 0;
                s++;
                size--;
        }
        e1 = enr_text_analyze(&title, s, split, max_tokens, err, sizeof(err));
        e2 = enr_text_analyze(&body, s + split, size - split, max_tokens, err,
                              sizeof(err));
        if (e1 == ENR_OK)
                check_text(&title, s, split, max_tokens);
        else
                CHECK(e1 == ENR_ERR_LIMIT ||
                      (e1 == ENR_ERR_INVALID_UTF8 &&
                       enr_utf8_validate(s, split) != split));
        if (e2 != ENR_OK) {
                CHECK(e2 == ENR_ERR_LIMIT ||
                      (e2 == ENR_ERR_INVALID_UTF8 &&
                       enr_utf8_validate(s + split, size - split) !=
                           size - split));
                CHECK(body.ntoks == 0 && body.nsents == 0);
                return 0;
        }
        check_text(&body, s + split, size - split, max_tokens);
        CHECK(enr_utf8_validate(s + split, size - split) == size - split);
        CHECK(enr_stats_compute(scratch, e1 == ENR_OK ? &title : NULL, &body,
                                body.ntoks, 250.0, &st, kw, 10,
                                &nkw) == ENR_OK);
        check_stats(&body, &st, kw, nkw);
        /* With boilerplate cut halfway, counts can only shrink. */
        {
                enr_stats_t half;

                CHECK(enr_stats_compute(scratch, NULL, &body, body.ntoks / 2,
                                        250.0, &half, NULL, 0, &nkw) == ENR_OK);
                CHECK(half.words <= st.words && half.syllables <= st.syllables);
                CHECK(nkw == 0);
        }
        return 0;
}
