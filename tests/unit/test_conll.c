/*
 * Tests of the CoNLL reader: IOB1, IOB2 and IOBES to spans, documents,
 * sentences, the rebuilt text, malformed input, and (when the shared data
 * is present) that the IOB1 and IOB2 copies of CoNLL-2003 agree.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "enricher/conll.h"

static enr_conll_t *parse(const char *s) {
        char         err[256] = "";
        enr_conll_t *c        = enr_conll_parse(s, strlen(s), err, sizeof(err));

        cr_assert_not_null(c, "parse failed: %s", err);
        return c;
}

static void assert_span(const enr_conll_doc_t *d, uint32_t i, uint32_t start,
                        uint32_t end, const char *type) {
        cr_assert_lt(i, d->nspans);
        cr_expect_eq(d->spans[i].start, start, "span %u start %u != %u", i,
                     d->spans[i].start, start);
        cr_expect_eq(d->spans[i].end, end, "span %u end %u != %u", i,
                     d->spans[i].end, end);
        cr_expect_str_eq(d->spans[i].type, type);
}

Test(conll, iob1_spans) {
        /* I-X after O begins a span; B-X separates two adjacent spans of
         * one type; I-Y after I-X begins a new span. */
        enr_conll_t           *c = parse("-DOCSTART- -X- O O\n\n"
                                                   "UN NNP I-NP I-ORG\n"
                                                   "objects VBZ I-VP O\n"
                                                   "Danish JJ I-NP I-MISC\n"
                                                   "Maria NNP I-NP I-PER\n"
                                                   "Fernandez NNP I-NP I-PER\n"
                                                   "Smith NNP I-NP B-PER\n"
                                                   "Paris NNP I-NP I-LOC\n"
                                                   ". . O O\n");
        const enr_conll_doc_t *d;

        cr_assert_eq(c->ndocs, 1);
        d = &c->docs[0];
        cr_assert_eq(d->ntoks, 8);
        cr_assert_eq(d->nspans, 5);
        assert_span(d, 0, 0, 1, "ORG");
        assert_span(d, 1, 2, 3, "MISC");
        assert_span(d, 2, 3, 5, "PER");
        assert_span(d, 3, 5, 6, "PER");
        assert_span(d, 4, 6, 7, "LOC");
        cr_expect_str_eq(d->tags[0], "B-ORG");
        cr_expect_str_eq(d->tags[1], "O");
        cr_expect_str_eq(d->tags[3], "B-PER");
        cr_expect_str_eq(d->tags[4], "I-PER");
        cr_expect_str_eq(d->tags[5], "B-PER");
        cr_expect_str_eq(d->tags[6], "B-LOC");
        cr_expect_str_eq(d->toks[4], "Fernandez");
        enr_conll_destroy(c);
}

Test(conll, iob2_and_iobes_spans) {
        enr_conll_t           *c = parse("New B-LOC\nYork I-LOC\nis O\n"
                                                   "big B-MISC\nI-X I-ORG\n"
                                                   "a S-PER\nb B-PER\nc E-PER\nd I-PER\n");
        const enr_conll_doc_t *d = &c->docs[0];

        cr_assert_eq(d->nspans, 6);
        assert_span(d, 0, 0, 2, "LOC");
        assert_span(d, 1, 3, 4, "MISC");
        /* An I- of another type starts a span (as conlleval does). */
        assert_span(d, 2, 4, 5, "ORG");
        assert_span(d, 3, 5, 6, "PER");
        assert_span(d, 4, 6, 8, "PER");
        /* E- closed the span: the next I-PER starts a new one. */
        assert_span(d, 5, 8, 9, "PER");
        cr_expect_str_eq(d->tags[4], "B-ORG");
        cr_expect_str_eq(d->tags[8], "B-PER");
        enr_conll_destroy(c);
}

Test(conll, sentences_end_spans) {
        /* A blank line ends any open span: I-PER in the next sentence
         * begins a new one. */
        enr_conll_t *c = parse("John I-PER\n\nSmith I-PER\nsaid O\n\n\n");
        const enr_conll_doc_t *d = &c->docs[0];

        cr_assert_eq(d->nsents, 2);
        cr_expect_eq(d->sent_end[0], 1);
        cr_expect_eq(d->sent_end[1], 3);
        cr_assert_eq(d->nspans, 2);
        assert_span(d, 0, 0, 1, "PER");
        assert_span(d, 1, 1, 2, "PER");
        enr_conll_destroy(c);
}

Test(conll, documents) {
        enr_conll_t           *c = parse("-DOCSTART- -X- -X- O\n\n"
                                                   "A B-ORG\nb O\n\nc O\n\n"
                                                   "-DOCSTART- -X- -X- O\n\n"
                                                   "-DOCSTART- -X- -X- O\r\n\r\n"
                                                   "d O\r\ne I-LOC\r\n");
        const enr_conll_doc_t *d;

        /* The empty document between two -DOCSTART- lines is dropped. */
        cr_assert_eq(c->ndocs, 2);
        d = &c->docs[0];
        cr_expect_eq(d->ntoks, 3);
        cr_expect_eq(d->nsents, 2);
        cr_expect_eq(d->nspans, 1);
        d = &c->docs[1];
        cr_expect_eq(d->ntoks, 2);
        cr_expect_eq(d->nsents, 1);
        cr_expect_eq(d->sent_end[0], 2);
        cr_assert_eq(d->nspans, 1);
        /* Span indices are per document. */
        assert_span(d, 0, 1, 2, "LOC");
        cr_expect_str_eq(d->toks[1], "e");
        enr_conll_destroy(c);
}

Test(conll, long_input_without_docstart_is_cut) {
        size_t       n   = 3000, i;
        size_t       cap = n * 16 + 1, pos = 0;
        char        *buf = malloc(cap);
        char         err[128];
        enr_conll_t *c;

        cr_assert_not_null(buf);
        /* 3,000 sentences of one token each. */
        for (i = 0; i < n; i++)
                pos += (size_t)snprintf(buf + pos, cap - pos, "w%zu O\n\n", i);
        c = enr_conll_parse(buf, pos, err, sizeof(err));
        cr_assert_not_null(c, "%s", err);
        cr_expect_eq(c->ndocs, 2);
        cr_expect_eq(c->docs[0].ntoks, 2000);
        cr_expect_eq(c->docs[1].ntoks, 1000);
        cr_expect_str_eq(c->docs[1].toks[0], "w2000");
        enr_conll_destroy(c);
        free(buf);
}

Test(conll, text_and_offsets) {
        enr_conll_t *c = parse("UN I-ORG\nobjects O\n.\tO\n\nMaria I-PER\n");
        const enr_conll_doc_t *d = &c->docs[0];
        uint32_t               off[4];
        size_t                 len = 0;
        char                  *s   = enr_conll_text(d, off, &len);

        cr_assert_not_null(s);
        cr_expect_str_eq(s, "UN objects .\nMaria");
        cr_expect_eq(len, strlen(s));
        cr_expect_eq(off[0], 0);
        cr_expect_eq(off[1], 3);
        cr_expect_eq(off[2], 11);
        cr_expect_eq(off[3], 13);
        free(s);
        enr_conll_destroy(c);
}

Test(conll, malformed) {
        const char *bad[] = {"word\n", "w X-PER\n", "w B-\n", "w I\n",
                             "w B-VERYLONGTYPE\n"};
        size_t      i;
        char        err[256];

        for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                enr_conll_t *c;

                err[0] = '\0';
                c = enr_conll_parse(bad[i], strlen(bad[i]), err, sizeof(err));
                cr_expect_null(c, "accepted \"%s\"", bad[i]);
                cr_expect_neq(err[0], '\0');
                enr_conll_destroy(c);
        }
        cr_expect_null(
            enr_conll_read("/nonexistent/x.conll", err, sizeof(err)));
}

Test(conll, empty_input) {
        enr_conll_t *c = parse("\n\n-DOCSTART- -X- O O\n\n");

        cr_expect_eq(c->ndocs, 0);
        enr_conll_destroy(c);
}

/* Spans of every document of a corpus, for comparing two copies. */
static void compare_corpora(const char *p1, const char *p2) {
        char         err[256];
        enr_conll_t *a = enr_conll_read(p1, err, sizeof(err));
        enr_conll_t *b;
        size_t       i, nspans = 0;

        cr_assert_not_null(a, "%s", err);
        b = enr_conll_read(p2, err, sizeof(err));
        cr_assert_not_null(b, "%s", err);
        cr_assert_eq(a->ndocs, b->ndocs);
        for (i = 0; i < a->ndocs; i++) {
                const enr_conll_doc_t *x = &a->docs[i], *y = &b->docs[i];
                uint32_t               k;

                cr_assert_eq(x->ntoks, y->ntoks, "doc %zu", i);
                cr_assert_eq(x->nsents, y->nsents, "doc %zu", i);
                cr_assert_eq(x->nspans, y->nspans, "doc %zu", i);
                for (k = 0; k < x->nspans; k++) {
                        cr_assert_eq(x->spans[k].start, y->spans[k].start);
                        cr_assert_eq(x->spans[k].end, y->spans[k].end);
                        cr_assert_str_eq(x->spans[k].type, y->spans[k].type);
                }
                for (k = 0; k < x->ntoks; k++)
                        cr_assert_str_eq(x->tags[k], y->tags[k]);
                nspans += x->nspans;
        }
        /* CoNLL-2003's development set: 216 documents, 5,942 names. */
        cr_expect_eq(a->ndocs, 216);
        cr_expect_eq(nspans, 5942);
        enr_conll_destroy(a);
        enr_conll_destroy(b);
}

Test(conll, shared_iob1_equals_iob2) {
        char  p1[512], p2[512];
        FILE *fp;

        snprintf(p1, sizeof(p1), "%s/data/conll2003/eng.testa", ENR_SHARED_DIR);
        snprintf(p2, sizeof(p2), "%s/data/conll2003/dev.iob2", ENR_SHARED_DIR);
        fp = fopen(p1, "r");
        if (!fp)
                cr_skip("shared CoNLL data not present");
        fclose(fp);
        compare_corpora(p1, p2);
}
