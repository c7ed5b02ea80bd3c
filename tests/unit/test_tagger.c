/*
 * Tests of the name tagger: the feature function, constrained Viterbi
 * decoding on hand-set scores, training on a tiny made-up corpus until it
 * reproduces its labels, the model file's save/load round trip, rejection
 * of corrupt, truncated and wrong-version files, the mapping to entity
 * mentions and (when the shared data and the shipped model exist) the
 * dev-set F1 of the shipped model.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "enricher/conll.h"
#include "enricher/entities.h"
#include "enricher/gazetteer.h"
#include "enricher/tagger.h"
#include "tagger_int.h"
#include "unit.h"

/* A hand-made analysis: space-separated tokens, '\n' ends a sentence. */
typedef struct fake_text {
        enr_text_t  t;
        enr_token_t toks[64];
        enr_range_t sents[8];
} fake_text_t;

static void fake(fake_text_t *f, const char *s) {
        size_t i = 0, n = strlen(s), start;

        memset(f, 0, sizeof(*f));
        f->t.s                = s;
        f->t.len              = n;
        f->t.toks             = f->toks;
        f->t.sents            = f->sents;
        f->sents[0].tok_start = 0;
        while (i < n) {
                while (i < n && (s[i] == ' ' || s[i] == '\n')) {
                        if (s[i] == '\n' && f->t.ntoks > 0) {
                                f->sents[f->t.nsents].tok_end =
                                    (uint32_t)f->t.ntoks;
                                f->t.nsents++;
                                f->sents[f->t.nsents].tok_start =
                                    (uint32_t)f->t.ntoks;
                        }
                        i++;
                }
                if (i >= n)
                        break;
                start = i;
                while (i < n && s[i] != ' ' && s[i] != '\n')
                        i++;
                cr_assert_lt(f->t.ntoks, 64);
                f->toks[f->t.ntoks].start = (uint32_t)start;
                f->toks[f->t.ntoks].end   = (uint32_t)i;
                f->toks[f->t.ntoks].sent  = (uint32_t)f->t.nsents;
                f->t.ntoks++;
        }
        if (f->sents[f->t.nsents].tok_start < f->t.ntoks) {
                f->sents[f->t.nsents].tok_end = (uint32_t)f->t.ntoks;
                f->t.nsents++;
        }
}

Test(tagger, features) {
        fake_text_t           f;
        enr_tagger_scratch_t *s = enr_tagger_scratch_new(NULL);
        uint32_t              a[ENR__TG_MAXF], b[ENR__TG_MAXF];
        uint32_t              fs = ENR_TAGGER_FS_BASE | ENR_TAGGER_FS_DOC;

        cr_assert_not_null(s);
        fake(&f, "Apple sold 1,200 apple trees to IBM .\n"
                 "THE HEADLINE HERE\nSaid Apple to José");
        cr_assert_eq(f.t.ntoks, 15);
        cr_assert_eq(f.t.nsents, 3);
        cr_assert_eq(enr__tagger_prepare(s, &f.t, NULL, fs, NULL), ENR_OK);
        /* Capitalisation, digits, sentence starts, headlines. */
        cr_expect(s->tok[0].cap & ENR__TK_INIT_UPPER);
        cr_expect(s->tok[0].cap & ENR__TK_SENT_START);
        cr_expect(s->tok[1].cap & ENR__TK_LOWER);
        cr_expect(s->tok[2].cap & ENR__TK_DIGIT);
        cr_expect(s->tok[6].cap & ENR__TK_ALL_UPPER);
        cr_expect(s->tok[9].cap & ENR__TK_HEADLINE);
        cr_expect_not(s->tok[0].cap & ENR__TK_HEADLINE);
        cr_expect(s->tok[14].cap & ENR__TK_INIT_UPPER); /* José */
        /* Lower-cased forms and their hashes are shared across case. */
        cr_expect_eq(s->tok[0].lh, s->tok[3].lh);
        cr_expect_neq(s->tok[0].wh, s->tok[3].wh);
        cr_expect_eq(s->tok[0].sh, s->tok[11].sh); /* Xx */
        cr_expect_eq(memcmp(s->lower + s->tok[14].lo_off, "josé", 5), 0);
        /* Document evidence: "apple" also occurs lower-cased; "Apple"
         * occurs capitalised inside a sentence (token 12). */
        cr_expect(s->tok[0].doc & ENR__DOC_LOWER);
        cr_expect(s->tok[0].doc & ENR__DOC_CAP_MID);
        cr_expect_not(s->tok[5].doc & ENR__DOC_CAP_MID); /* "to" */
        /* Feature vectors: within bounds, deterministic, and differing
         * between contexts. */
        size_t na = enr__tagger_features(s, &f.t, 0, fs, 0, 7, 20, a);
        size_t nb = enr__tagger_features(s, &f.t, 0, fs, 0, 7, 20, b);
        cr_assert_gt(na, 25);
        cr_assert_leq(na, ENR__TG_MAXF);
        cr_assert_eq(na, nb);
        cr_expect_eq(memcmp(a, b, na * sizeof(*a)), 0);
        for (size_t i = 0; i < na; i++)
                cr_expect_lt(a[i], 1u << 20);
        nb = enr__tagger_features(s, &f.t, 12, fs, 0, 7, 20, b);
        cr_expect_neq(memcmp(a, b, (na < nb ? na : nb) * sizeof(*a)), 0);
        /* The lean set drops four: full shape, length, the neighbours'
         * case classes (these two only with case profiles). */
        uint32_t fsc = fs | ENR_TAGGER_FS_CASE;
        nb = enr__tagger_features(s, &f.t, 0, fsc | ENR_TAGGER_FS_LEAN, 0, 7,
                                  20, b);
        cr_expect_eq(nb + 4,
                     enr__tagger_features(s, &f.t, 0, fsc, 0, 7, 20, b));
        nb = enr__tagger_features(s, &f.t, 0, fs | ENR_TAGGER_FS_LEAN, 0, 7, 20,
                                  b);
        cr_expect_eq(nb + 2, na);
        /* The base set alone has fewer features. */
        nb = enr__tagger_features(s, &f.t, 0, ENR_TAGGER_FS_BASE, 0, 7, 20, b);
        cr_expect_lt(nb, na);
        /* The second pass adds the stacked features to the first's. */
        fs |= ENR_TAGGER_FS_STACK;
        memset(s->tags, 0, f.t.ntoks);
        enr__tagger_aggregate(s, f.t.ntoks);
        size_t n1 = enr__tagger_features(s, &f.t, 0, fs, 0, 7, 20, a);
        size_t n2 = enr__tagger_features(s, &f.t, 0, fs, 1, 7, 20, b);
        size_t ns = enr__tagger_features(s, &f.t, 0, fs, ENR__TG_STACK_ONLY, 7,
                                         20, b + n2);
        cr_expect_gt(n2, n1);
        cr_expect_eq(n1 + ns, n2);
        cr_expect_eq(memcmp(a, b, n1 * sizeof(*a)), 0);
        cr_expect_eq(memcmp(b + n1, b + n2, ns * sizeof(*a)), 0);
        enr_tagger_scratch_destroy(s);
}

Test(tagger, rejects_bad_tokens) {
        fake_text_t           f;
        enr_tagger_scratch_t *s = enr_tagger_scratch_new(NULL);

        fake(&f, "one two three");
        f.toks[1].start = 1; /* Overlaps token 0. */
        cr_expect_eq(
            enr__tagger_prepare(s, &f.t, NULL, ENR_TAGGER_FS_BASE, NULL),
            ENR_ERR_INVALID_ARG);
        fake(&f, "one two three");
        f.toks[2].end = 100; /* Past the text. */
        cr_expect_eq(
            enr__tagger_prepare(s, &f.t, NULL, ENR_TAGGER_FS_BASE, NULL),
            ENR_ERR_INVALID_ARG);
        fake(&f, "");
        cr_expect_eq(
            enr__tagger_prepare(s, &f.t, NULL, ENR_TAGGER_FS_BASE, NULL),
            ENR_OK);
        cr_expect_eq(s->nseg, 0);
        enr_tagger_scratch_destroy(s);
}

Test(tagger, document_aggregates) {
        fake_text_t           f;
        enr_tagger_scratch_t *s    = enr_tagger_scratch_new(NULL);
        uint32_t              fs   = ENR_TAGGER_FS_BASE | ENR_TAGGER_FS_STACK;
        uint8_t               uorg = ENR__TG_TAG(1, ENR__TG_U);

        /* "Apple" is tagged ORG twice and O once; "pie" never a name. */
        fake(&f, "Apple rose .\nApple pie .\nAPPLE fell");
        cr_assert_eq(enr__tagger_prepare(s, &f.t, NULL, fs, NULL), ENR_OK);
        memset(s->tags, 0, f.t.ntoks);
        s->tags[0] = uorg;
        s->tags[6] = uorg;
        enr__tagger_aggregate(s, f.t.ntoks);
        cr_expect_eq(s->tok[0].p1, uorg);
        /* Others of token 0: one O (token 3), one ORG (token 6). */
        cr_expect_eq(s->tok[0].agg_ent, 2);
        /* Others of token 3: two ORG. */
        cr_expect_eq(s->tok[3].agg, 2);
        cr_expect_eq(s->tok[3].agg_ent, 2);
        /* "pie" occurs once: no other occurrence. */
        cr_expect_eq(s->tok[4].agg, 5);
        cr_expect_eq(s->tok[4].agg_ent, 0);
        enr_tagger_scratch_destroy(s);
}

Test(tagger, bilou_constraints) {
        const unsigned NT   = ENR__TG_NTAGS;
        unsigned       bper = ENR__TG_TAG(0, ENR__TG_B);
        unsigned       iper = ENR__TG_TAG(0, ENR__TG_I);
        unsigned       lper = ENR__TG_TAG(0, ENR__TG_L);
        unsigned       uorg = ENR__TG_TAG(1, ENR__TG_U);
        unsigned       lorg = ENR__TG_TAG(1, ENR__TG_L);

        cr_expect(enr__tagger_allowed(NT, bper));
        cr_expect_not(enr__tagger_allowed(NT, iper));
        cr_expect(enr__tagger_allowed(bper, lper));
        cr_expect_not(enr__tagger_allowed(bper, lorg));
        cr_expect_not(enr__tagger_allowed(bper, 0));
        cr_expect(enr__tagger_allowed(lper, uorg));
        cr_expect(enr__tagger_allowed(0, 0));
        cr_expect_not(enr__tagger_final(bper));
        cr_expect(enr__tagger_final(uorg));
}

Test(tagger, viterbi_hand_set) {
        const unsigned        NT = ENR__TG_NTAGS;
        enr_tagger_scratch_t *s  = enr_tagger_scratch_new(NULL);
        float                 trans[(ENR__TG_NTAGS + 1) * ENR__TG_NTAGS] = {0};
        unsigned              bper = ENR__TG_TAG(0, ENR__TG_B);
        unsigned              iper = ENR__TG_TAG(0, ENR__TG_I);
        unsigned              lper = ENR__TG_TAG(0, ENR__TG_L);
        unsigned              uloc = ENR__TG_TAG(2, ENR__TG_U);
        size_t                nsp;

        cr_assert_eq(enr__tagger_reserve(s, 4, 0), ENR_OK);
        memset(s->em, 0, 4 * NT * sizeof(float));
        memset(s->margin, 0, 4 * sizeof(float));
        /* Token 0 prefers I-PER (not allowed first), then B-PER; token 1
         * prefers O but a strong L-PER follows token 0's B-PER only if
         * token 1 continues the name; token 3 is U-LOC. */
        s->em[0 * NT + iper] = 5;
        s->em[0 * NT + bper] = 3;
        s->em[1 * NT + iper] = 2;
        s->em[1 * NT + 0]    = 2.5f;
        s->em[2 * NT + lper] = 4;
        s->em[3 * NT + uloc] = 1;
        enr__tagger_viterbi(s, trans, 0, 4);
        cr_expect_eq(s->tags[0], bper);
        cr_expect_eq(s->tags[1], iper);
        cr_expect_eq(s->tags[2], lper);
        cr_expect_eq(s->tags[3], uloc);
        cr_assert_eq(enr__tagger_spans(s, 4, &nsp), ENR_OK);
        cr_assert_eq(nsp, 2);
        cr_expect_eq(s->spans[0].start, 0);
        cr_expect_eq(s->spans[0].end, 3);
        cr_expect_eq(s->spans[0].type, 0);
        cr_expect_eq(s->spans[1].start, 3);
        cr_expect_eq(s->spans[1].type, 2);
        /* A transition penalty can change the path: O -> O made costly. */
        trans[0 * NT + 0] = -10;
        memset(s->em, 0, 4 * NT * sizeof(float));
        enr__tagger_viterbi(s, trans, 0, 3);
        for (int i = 0; i + 1 < 3; i++)
                cr_expect(!(s->tags[i] == 0 && s->tags[i + 1] == 0));
        enr_tagger_scratch_destroy(s);
}

/* A tiny made-up corpus (written here, not from shared data). */
static const char tiny[] =
    "-DOCSTART- -X- O O\n\n"
    "Alice NNP I-NP B-PER\nSmith NNP I-NP I-PER\nvisited VBD I-VP O\n"
    "Paris NNP I-NP B-LOC\nfor IN I-PP O\nAcme NNP I-NP B-ORG\n"
    "Corp NNP I-NP I-ORG\n. . O O\n\n"
    "The DT I-NP O\nFrench JJ I-NP B-MISC\nteam NN I-NP O\nmet VBD I-VP O\n"
    "Bob NNP I-NP B-PER\nin IN I-PP O\nLondon NNP I-NP B-LOC\n. . O O\n\n"
    "-DOCSTART- -X- O O\n\n"
    "Acme NNP I-NP B-ORG\nCorp NNP I-NP I-ORG\nhired VBD I-VP O\n"
    "Alice NNP I-NP B-PER\n. . O O\n\n"
    "Bob NNP I-NP B-PER\nJones NNP I-NP I-PER\nflew VBD I-VP O\nto TO I-PP O\n"
    "Berlin NNP I-NP B-LOC\nwith IN I-PP O\nFrench JJ I-NP B-MISC\n"
    "friends NNS I-NP O\n. . O O\n\n"
    "They PRP I-NP O\nflew VBD I-VP O\nto TO I-PP O\nthe DT I-NP O\n"
    "old JJ I-NP O\ncity NN I-NP O\n. . O O\n\n"
    "Friends NNS I-NP O\nmet VBD I-VP O\nin IN I-PP O\nthe DT I-NP O\n"
    "team NN I-NP O\noffice NN I-NP O\n. . O O\n";

static enr_tagger_t *train_tiny(enr_conll_t **cp) {
        enr_tagger_train_opts_t o;
        enr_tagger_score_t      best;
        char                    err[256] = "";
        enr_conll_t *c = enr_conll_parse(tiny, strlen(tiny), err, sizeof(err));

        cr_assert_not_null(c, "%s", err);
        enr_tagger_train_opts_init(&o);
        o.epochs       = 10;
        o.buckets_log2 = 16;
        enr_tagger_t *tg =
            enr_tagger_train(c, c, NULL, &o, &best, err, sizeof(err));
        cr_assert_not_null(tg, "%s", err);
        cr_expect_float_eq(best.f1_all, 100.0, 1e-9, "F1 %.2f", best.f1_all);
        *cp = c;
        return tg;
}

Test(tagger, train_tiny_reaches_labels) {
        enr_conll_t       *c;
        enr_tagger_t      *tg = train_tiny(&c);
        enr_tagger_score_t sc;

        cr_assert_eq(enr_tagger_evaluate(tg, c, &sc), ENR_OK);
        cr_expect_eq(sc.tp[0] + sc.tp[1] + sc.tp[2] + sc.tp[3], 11);
        cr_expect_eq(sc.fp[0] + sc.fp[1] + sc.fp[2] + sc.fp[3], 0);
        cr_expect_float_eq(sc.f1_all, 100.0, 1e-9);
        cr_expect_eq(enr_tagger_features(tg),
                     ENR_TAGGER_FS_BASE | ENR_TAGGER_FS_DOC |
                         ENR_TAGGER_FS_STACK | ENR_TAGGER_FS_RUNS |
                         ENR_TAGGER_FS_LEAN);
        enr_tagger_destroy(tg);
        enr_conll_destroy(c);
}

Test(tagger, train_is_deterministic) {
        enr_conll_t  *c1, *c2;
        enr_tagger_t *a = train_tiny(&c1), *b = train_tiny(&c2);

        cr_assert_eq(a->npass, 2);
        cr_assert_eq(b->npass, 2);
        for (int p = 0; p < 2; p++) {
                cr_expect_eq(
                    memcmp(a->pass[p].w, b->pass[p].w,
                           ((size_t)ENR__TG_NTAGS << 16) * sizeof(int16_t)),
                    0);
                cr_expect_eq(memcmp(a->pass[p].trans, b->pass[p].trans,
                                    sizeof(a->pass[p].trans)),
                             0);
        }
        enr_tagger_destroy(a);
        enr_tagger_destroy(b);
        enr_conll_destroy(c1);
        enr_conll_destroy(c2);
}

static char tmp_path[256];

static void tmp_name(const char *what) {
        snprintf(tmp_path, sizeof(tmp_path), "/tmp/enr_test_tagger_%d_%s",
                 (int)getpid(), what);
}

Test(tagger, save_load_round_trip) {
        enr_conll_t          *c;
        enr_tagger_t         *tg       = train_tiny(&c), *tg2;
        char                  err[256] = "";
        enr_tagger_score_t    a, b;
        enr_tagger_scratch_t *s;

        tmp_name("rt");
        cr_assert_eq(enr_tagger_save(tg, tmp_path, err, sizeof(err)), ENR_OK,
                     "%s", err);
        tg2 = enr_tagger_load(tmp_path, NULL, err, sizeof(err));
        cr_assert_not_null(tg2, "%s", err);
        cr_expect_eq(tg2->log2, tg->log2);
        cr_expect_eq(tg2->seed, tg->seed);
        cr_expect_eq(tg2->fs, tg->fs);
        cr_assert_eq(tg2->npass, tg->npass);
        for (uint32_t p = 0; p < tg->npass; p++) {
                cr_expect_eq(tg2->pass[p].scale, tg->pass[p].scale);
                /* Loaded: only the non-zero rows, every bucket's the
                 * same as trained. */
                uint32_t ndiff = 0;
                cr_expect_null(tg2->pass[p].w);
                for (uint32_t k = 0; k < (1u << tg->log2); k++)
                        ndiff += memcmp(enr__tg_row(&tg2->pass[p], k),
                                        enr__tg_row(&tg->pass[p], k),
                                        ENR__TG_NTAGS * 2) != 0;
                cr_expect_eq(ndiff, 0, "pass %u: %u buckets differ", p, ndiff);
                cr_expect_eq(memcmp(tg2->pass[p].trans, tg->pass[p].trans,
                                    sizeof(tg->pass[p].trans)),
                             0);
        }
        cr_assert_eq(enr_tagger_evaluate(tg, c, &a), ENR_OK);
        cr_assert_eq(enr_tagger_evaluate(tg2, c, &b), ENR_OK);
        cr_expect_eq(memcmp(a.tp, b.tp, sizeof(a.tp)), 0);
        /* Extraction maps PER to PERSON, LOC to GPE without a gazetteer
         * and MISC "French" to NORP; spans are byte offsets. */
        fake_text_t    f;
        enr_mentions_t m;
        fake(&f, "Bob Jones flew to Berlin with French friends .");
        enr_mentions_init(&m);
        s = enr_tagger_scratch_new(tg2);
        cr_assert_eq(enr_tagger_extract(tg2, s, &f.t, ENR_FIELD_BODY, &m, 0),
                     ENR_OK);
        cr_assert_eq(m.n, 3);
        cr_expect_eq(m.v[0].type, ENR_ENT_PERSON);
        cr_expect_eq(m.v[0].start, 0);
        cr_expect_eq(m.v[0].end, 9);
        cr_expect_eq(m.v[0].source, ENR_SRC_TAGGER);
        cr_expect(m.v[0].score > 0 && m.v[0].score <= 1);
        cr_expect_eq(m.v[1].type, ENR_ENT_GPE);
        cr_expect_eq(m.v[2].type, ENR_ENT_NORP);
        cr_expect_eq(m.v[2].field, ENR_FIELD_BODY);
        /* The limit on mentions is honoured. */
        enr_mentions_reset(&m);
        cr_expect_eq(enr_tagger_extract(tg2, s, &f.t, ENR_FIELD_BODY, &m, 1),
                     ENR_ERR_LIMIT);
        cr_expect_eq(m.n, 1);
        enr_mentions_clear(&m);
        enr_tagger_scratch_destroy(s);
        unlink(tmp_path);
        enr_tagger_destroy(tg);
        enr_tagger_destroy(tg2);
        enr_conll_destroy(c);
}

Test(tagger, case_profiles) {
        static const char corpus[] =
            "{\"title\": \"Made up\", \"body\": \"We saw the apple and "
            "Acme there. Then the apple and Acme again. Later the apple met "
            "Acme too.\"}\n"
            "not json\n"
            "{\"body\": \"So an apple or an Apple and Acme.\"}\n";
        enr_tagger_train_opts_t o;
        enr_tagger_score_t      best;
        enr_tagger_scratch_t   *s;
        fake_text_t             f;
        char                    err[256] = "", path[300];
        enr_conll_t *c = enr_conll_parse(tiny, strlen(tiny), err, sizeof(err));

        cr_assert_not_null(c, "%s", err);
        unit_temp_file("tagger-case", corpus, path, sizeof(path));
        enr_tagger_train_opts_init(&o);
        o.epochs       = 10;
        o.buckets_log2 = 16;
        o.case_corpus  = path;
        enr_tagger_t *tg =
            enr_tagger_train(c, c, NULL, &o, &best, err, sizeof(err));
        cr_assert_not_null(tg, "%s", err);
        cr_expect(enr_tagger_features(tg) & ENR_TAGGER_FS_CASE);
        /* "apple": 4 of 5 lower case (class 3, share 0.2); "acme": always
         * capitalised (class 7); "the": seen 3 times, never capitalised
         * (class 1); "there" once (unknown). */
        cr_expect_eq(tg->ncase, 4, "%u words", tg->ncase); /* and "and" */
        s = enr_tagger_scratch_new(tg);
        fake(&f, "An apple at Acme there and the");
        cr_assert_eq(enr__tagger_prepare(s, &f.t, NULL, tg->fs, tg), ENR_OK);
        cr_expect_eq(s->tok[1].wcase, 3);
        cr_expect_eq(s->tok[3].wcase, 7);
        cr_expect_eq(s->tok[4].wcase, 0);
        cr_expect_eq(s->tok[5].wcase, 1);
        cr_expect_eq(s->tok[6].wcase, 1);
        /* The table survives a save and load. */
        tmp_name("case.model");
        cr_assert_eq(enr_tagger_save(tg, tmp_path, err, sizeof(err)), ENR_OK);
        enr_tagger_t *tg2 = enr_tagger_load(tmp_path, NULL, err, sizeof(err));
        cr_assert_not_null(tg2, "%s", err);
        cr_assert_eq(tg2->ncase, tg->ncase);
        cr_expect_eq(memcmp(tg2->case_keys, tg->case_keys,
                            tg->ncase * sizeof(*tg->case_keys)),
                     0);
        cr_expect_eq(memcmp(tg2->case_cls, tg->case_cls, tg->ncase), 0);
        enr_tagger_score_t sc;
        cr_assert_eq(enr_tagger_evaluate(tg2, c, &sc), ENR_OK);
        cr_expect_float_eq(sc.f1_all, best.f1_all, 1e-9);
        unlink(tmp_path);
        unlink(path);
        /* A missing corpus is an error. */
        o.case_corpus = "/nonexistent/case.jsonl";
        cr_expect_null(
            enr_tagger_train(c, NULL, NULL, &o, NULL, err, sizeof(err)));
        cr_expect(strstr(err, "/nonexistent/case.jsonl") != NULL, "%s", err);
        enr_tagger_scratch_destroy(s);
        enr_tagger_destroy(tg);
        enr_tagger_destroy(tg2);
        enr_conll_destroy(c);
}

Test(tagger, runs_of_capitals) {
        fake_text_t           f;
        enr_tagger_scratch_t *s  = enr_tagger_scratch_new(NULL);
        uint32_t              fs = ENR_TAGGER_FS_BASE | ENR_TAGGER_FS_DOC;
        uint32_t              a[ENR__TG_MAXF], b[ENR__TG_MAXF];

        /* "Yesterday Bill Clinton" is a run; "Clinton" alone later is in none
         * but its word was last of a run; "New York Stock" first/inner/last;
         * headlines make no runs. */
        fake(&f, "Yesterday Bill Clinton met New York Stock traders .\n"
                 "Clinton left .\nBIG NEWS TODAY");
        cr_assert_eq(
            enr__tagger_prepare(s, &f.t, NULL, fs | ENR_TAGGER_FS_RUNS, NULL),
            ENR_OK);
        /* A sentence's first word joins a run (it may be a name). */
        cr_expect_eq(s->tok[0].run, ENR__RUN_FIRST);
        cr_expect_eq(s->tok[1].run, ENR__RUN_INNER);
        cr_expect_eq(s->tok[2].run, ENR__RUN_LAST);
        cr_expect_eq(s->tok[4].run, ENR__RUN_FIRST);
        cr_expect_eq(s->tok[5].run, ENR__RUN_INNER);
        cr_expect_eq(s->tok[6].run, ENR__RUN_LAST);
        cr_expect_eq(s->tok[9].run, 0);
        cr_expect_eq(s->tok[12].run, 0); /* Headline. */
        cr_expect(s->tok[9].doc & (ENR__DOC_RUN << (ENR__RUN_LAST - 1)));
        cr_expect_not(s->tok[9].doc & (ENR__DOC_RUN << (ENR__RUN_FIRST - 1)));
        size_t na = enr__tagger_features(s, &f.t, 9, fs | ENR_TAGGER_FS_RUNS, 0,
                                         7, 20, a);
        /* Without the bit: no run features, and the document features
         * are those of a model before runs existed. */
        size_t nb = enr__tagger_features(s, &f.t, 9, fs, 0, 7, 20, b);
        cr_expect_eq(na, nb + 2);
        cr_expect_eq(memcmp(a, b, nb * sizeof(*a)), 0);
        cr_assert_eq(enr__tagger_prepare(s, &f.t, NULL, fs, NULL), ENR_OK);
        cr_expect_eq(s->tok[1].run, 0);
        size_t nc = enr__tagger_features(s, &f.t, 9, fs, 0, 7, 20, a);
        cr_expect_eq(nc, nb);
        cr_expect_eq(memcmp(a, b, nb * sizeof(*a)), 0);
        enr_tagger_scratch_destroy(s);
}

Test(tagger, cv_split_by_document) {
        char         err[256] = "";
        enr_conll_t *c = enr_conll_parse(tiny, strlen(tiny), err, sizeof(err));
        enr_conll_t  in, out;

        cr_assert_not_null(c, "%s", err);
        cr_assert_eq(c->ndocs, 2);
        for (unsigned f = 0; f < 2; f++) {
                cr_assert_eq(enr_tagger_cv_split(c, 2, f, false, &in), ENR_OK);
                cr_assert_eq(enr_tagger_cv_split(c, 2, f, true, &out), ENR_OK);
                /* Document d is held out in fold d mod 2, trained on in the
                 * other: the two views partition the corpus. */
                cr_expect_eq(in.ndocs, 1);
                cr_expect_eq(out.ndocs, 1);
                cr_expect_eq(out.docs[0].toks, c->docs[f].toks);
                cr_expect_eq(in.docs[0].toks, c->docs[1 - f].toks);
                free(in.docs);
                free(out.docs);
        }
        cr_expect_eq(enr_tagger_cv_split(c, 1, 0, true, &in),
                     ENR_ERR_INVALID_ARG);
        cr_expect_eq(enr_tagger_cv_split(c, 3, 3, true, &in),
                     ENR_ERR_INVALID_ARG);
        /* Three folds of two documents: the third is empty. */
        cr_assert_eq(enr_tagger_cv_split(c, 3, 2, true, &out), ENR_OK);
        cr_expect_eq(out.ndocs, 0);
        free(out.docs);
        enr_conll_destroy(c);
}

Test(tagger, cv_scores_every_fold_and_epoch) {
        char         err[256] = "";
        enr_conll_t *c = enr_conll_parse(tiny, strlen(tiny), err, sizeof(err));
        enr_tagger_train_opts_t o;
        enr_tagger_score_t      folds[2], curve[2 * 3];

        cr_assert_not_null(c, "%s", err);
        enr_tagger_train_opts_init(&o);
        o.epochs       = 3;
        o.buckets_log2 = 16;
        o.features &= ~(uint32_t)ENR_TAGGER_FS_STACK;
        memset(folds, 0xff, sizeof(folds));
        memset(curve, 0xff, sizeof(curve));
        cr_assert_eq(
            enr_tagger_cv(c, NULL, &o, 2, folds, curve, err, sizeof(err)),
            ENR_OK, "%s", err);
        for (unsigned f = 0; f < 2; f++) {
                /* The fold's figure is its last epoch's; every fold scores
                 * its own gold spans (document 0: 6, document 1: 5). */
                cr_expect_eq(
                    memcmp(&folds[f], &curve[f * 3 + 2], sizeof(folds[f])), 0);
                uint64_t gold = 0;
                for (int ty = 0; ty < 4; ty++)
                        gold += folds[f].tp[ty] + folds[f].fn[ty];
                cr_expect_eq(gold, f == 0 ? 6u : 5u, "fold %u: %llu", f,
                             (unsigned long long)gold);
                for (unsigned e = 0; e < 3; e++)
                        cr_expect(curve[f * 3 + e].f1_all >= 0 &&
                                  curve[f * 3 + e].f1_all <= 100);
        }
        cr_expect_eq(
            enr_tagger_cv(c, NULL, &o, 1, folds, NULL, err, sizeof(err)),
            ENR_ERR_INVALID_ARG);
        enr_conll_destroy(c);
}

Test(tagger, keep_last_epoch) {
        char         err[256] = "";
        enr_conll_t *c = enr_conll_parse(tiny, strlen(tiny), err, sizeof(err));
        enr_tagger_train_opts_t o;
        enr_tagger_score_t      best, ep[4];

        cr_assert_not_null(c, "%s", err);
        enr_tagger_train_opts_init(&o);
        o.epochs       = 4;
        o.buckets_log2 = 16;
        o.features &= ~(uint32_t)ENR_TAGGER_FS_STACK;
        o.keep_last    = true;
        o.epoch_scores = ep;
        memset(ep, 0xff, sizeof(ep));
        enr_tagger_t *tg =
            enr_tagger_train(c, c, NULL, &o, &best, err, sizeof(err));
        cr_assert_not_null(tg, "%s", err);
        /* The kept model is the last epoch's, scored as it reports. */
        enr_tagger_score_t sc;
        cr_assert_eq(enr_tagger_evaluate(tg, c, &sc), ENR_OK);
        cr_expect_float_eq(sc.f1_all, ep[3].f1_all, 1e-9);
        cr_expect_float_eq(best.f1_all, ep[3].f1_all, 1e-9);
        for (int e = 0; e < 4; e++)
                cr_expect(ep[e].f1_all >= 0 && ep[e].f1_all <= 100);
        enr_tagger_destroy(tg);
        enr_conll_destroy(c);
}

Test(tagger, word_clusters) {
        /* Rows 0..2 at three levels; "acme" and "globex" share row 1,
         * "Paris" (keyed lower-cased) is row 2; "bob" twice: first kept. */
        static const char       table[] = "# test\n"
                                          "levels 3 rows 3\n"
                                          "0 0 0\n"
                                          "5 1 0\n"
                                          "7 2 1\n"
                                          "acme\t1\n"
                                          "globex\t1\n"
                                          "Paris\t2\n"
                                          "bob\t0\n"
                                          "bob\t2\n";
        enr_tagger_train_opts_t o;
        enr_tagger_score_t      best;
        enr_tagger_scratch_t   *s;
        fake_text_t             f;
        char                    err[256] = "", path[300];
        enr_conll_t *c = enr_conll_parse(tiny, strlen(tiny), err, sizeof(err));

        cr_assert_not_null(c, "%s", err);
        unit_temp_file("tagger-clusters", table, path, sizeof(path));
        enr_tagger_train_opts_init(&o);
        o.epochs       = 10;
        o.buckets_log2 = 16;
        o.features &= ~(uint32_t)ENR_TAGGER_FS_STACK;
        o.clusters = path;
        enr_tagger_t *tg =
            enr_tagger_train(c, c, NULL, &o, &best, err, sizeof(err));
        cr_assert_not_null(tg, "%s", err);
        cr_expect(enr_tagger_features(tg) & ENR_TAGGER_FS_CLUSTER);
        cr_expect_eq(tg->ncl, 4, "%u words", tg->ncl);
        cr_expect_eq(tg->ncl_rows, 3);
        s = enr_tagger_scratch_new(tg);
        fake(&f, "ACME and Globex in PARIS with Bob");
        cr_assert_eq(enr__tagger_prepare(s, &f.t, NULL, tg->fs, tg), ENR_OK);
        /* Row plus one, then the levels plus one; 0 for unknown words. */
        cr_expect_eq(s->tok[0].cl[0], 2);
        cr_expect_eq(s->tok[0].cl[1], 6);
        cr_expect_eq(s->tok[0].cl[2], 2);
        cr_expect_eq(s->tok[0].cl[3], 1);
        cr_expect_eq(memcmp(s->tok[0].cl, s->tok[2].cl, sizeof(s->tok[0].cl)),
                     0);
        cr_expect_eq(s->tok[4].cl[0], 3);
        cr_expect_eq(s->tok[4].cl[3], 2);
        cr_expect_eq(s->tok[6].cl[0], 1); /* bob: the first line. */
        cr_expect_eq(s->tok[1].cl[0], 0);
        cr_expect_eq(s->tok[1].cl[1], 0);
        /* Cluster features: words of one cluster share them. */
        uint32_t a[ENR__TG_MAXF], b[ENR__TG_MAXF];
        size_t   na = enr__tagger_features(s, &f.t, 0, tg->fs, 0, 7, 20, a);
        size_t   nb = enr__tagger_features(
              s, &f.t, 0, tg->fs & ~(uint32_t)ENR_TAGGER_FS_CLUSTER, 0, 7, 20, b);
        cr_expect_eq(na, nb + 5);
        /* The table survives a save and load. */
        tmp_name("clusters.model");
        cr_assert_eq(enr_tagger_save(tg, tmp_path, err, sizeof(err)), ENR_OK);
        enr_tagger_t *tg2 = enr_tagger_load(tmp_path, NULL, err, sizeof(err));
        cr_assert_not_null(tg2, "%s", err);
        cr_assert_eq(tg2->ncl, tg->ncl);
        cr_assert_eq(tg2->ncl_rows, tg->ncl_rows);
        cr_expect_eq(
            memcmp(tg2->cl_keys, tg->cl_keys, tg->ncl * sizeof(*tg->cl_keys)),
            0);
        cr_expect_eq(
            memcmp(tg2->cl_rows, tg->cl_rows, tg->ncl * sizeof(*tg->cl_rows)),
            0);
        cr_expect_eq(memcmp(tg2->cl_tree, tg->cl_tree, 9 * sizeof(uint16_t)),
                     0);
        enr_tagger_score_t sc;
        cr_assert_eq(enr_tagger_evaluate(tg2, c, &sc), ENR_OK);
        cr_expect_float_eq(sc.f1_all, best.f1_all, 1e-9);
        /* A row out of range in the file is rejected. */
        tg->cl_rows[0] = 3;
        cr_assert_eq(enr_tagger_save(tg, tmp_path, err, sizeof(err)), ENR_OK);
        cr_expect_null(enr_tagger_load(tmp_path, NULL, err, sizeof(err)));
        cr_expect(strstr(err, "row out of range") != NULL, "%s", err);
        tg->cl_rows[0] = 0;
        unlink(tmp_path);
        /* A malformed table is an error naming the line. */
        unlink(path);
        unit_temp_file("tagger-clusters",
                       "levels 3 rows 2\n0 0 0\n1 1 1\nacme 1\n", path,
                       sizeof(path));
        cr_expect_null(
            enr_tagger_train(c, NULL, NULL, &o, NULL, err, sizeof(err)));
        cr_expect(strstr(err, ":4:") != NULL, "%s", err);
        unlink(path);
        enr_tagger_scratch_destroy(s);
        enr_tagger_destroy(tg);
        enr_tagger_destroy(tg2);
        enr_conll_destroy(c);
}

/* Loads buf from memory and expects a failure mentioning why. */
static void expect_rejected(const unsigned char *buf, size_t len,
                            const char *why) {
        char          err[256] = "";
        enr_tagger_t *tg =
            enr_tagger_load_mem(buf, len, NULL, err, sizeof(err));
        cr_expect_null(tg, "accepted a bad model (%s)", why);
        cr_expect(strstr(err, why) != NULL, "error \"%s\" lacks \"%s\"", err,
                  why);
        enr_tagger_destroy(tg);
}

Test(tagger, rejects_bad_files) {
        enr_conll_t   *c;
        enr_tagger_t  *tg       = train_tiny(&c);
        char           err[256] = "";
        size_t         len;
        unsigned char *buf, *copy;

        tmp_name("bad");
        cr_assert_eq(enr_tagger_save(tg, tmp_path, err, sizeof(err)), ENR_OK);
        buf  = (unsigned char *)unit_read_file(tmp_path, &len);
        copy = malloc(len + 8);
        /* Truncated anywhere: header, tag names, rows. */
        expect_rejected(buf, 0, "magic");
        expect_rejected(buf, 20, "magic");
        expect_rejected(buf, 100, "truncated");
        expect_rejected(buf, len - 1, "truncated");
        /* Trailing garbage. */
        memcpy(copy, buf, len);
        memset(copy + len, 0, 8);
        expect_rejected(copy, len + 8, "trailing");
        /* A flipped payload bit. */
        memcpy(copy, buf, len);
        copy[len - 3] ^= 0x10;
        expect_rejected(copy, len, "checksum");
        /* A flipped header bit (the seed). */
        memcpy(copy, buf, len);
        copy[29] ^= 1;
        expect_rejected(copy, len, "checksum");
        /* Wrong version, wrong magic, unknown features, bad dimensions. */
        memcpy(copy, buf, len);
        copy[8] = 9;
        expect_rejected(copy, len, "version 9");
        memcpy(copy, buf, len);
        copy[0] = 'X';
        expect_rejected(copy, len, "magic");
        memcpy(copy, buf, len);
        copy[13] = 1;
        expect_rejected(copy, len, "unsupported");
        memcpy(copy, buf, len);
        copy[20] = 40;
        expect_rejected(copy, len, "unsupported");
        memcpy(copy, buf, len);
        copy[24] = 1; /* One pass for a two-pass feature set. */
        expect_rejected(copy, len, "unsupported");
        /* Missing file. */
        cr_expect_null(
            enr_tagger_load("/nonexistent/x.model", NULL, err, sizeof(err)));
        cr_expect(strstr(err, "/nonexistent/x.model") != NULL, "%s", err);
        /* A model needing a gazetteer when none is given. */
        tg->fs |= ENR_TAGGER_FS_GAZ;
        cr_assert_eq(enr_tagger_save(tg, tmp_path, err, sizeof(err)), ENR_OK);
        cr_expect_null(enr_tagger_load(tmp_path, NULL, err, sizeof(err)));
        cr_expect(strstr(err, "gazetteer") != NULL, "%s", err);
        unlink(tmp_path);
        free(buf);
        free(copy);
        enr_tagger_destroy(tg);
        enr_conll_destroy(c);
}

Test(tagger, shipped_model_dev_f1, .timeout = 300) {
        char               path[1024], err[512] = "";
        enr_conll_t       *dev;
        enr_tagger_t      *tg;
        enr_tagger_score_t sc;

        snprintf(path, sizeof(path), "%s/conll2003/eng.testa",
                 ENR_SHARED_DIR "/data");
        if (access(path, R_OK) != 0)
                cr_skip_test("no shared CoNLL data");
        enr_gazetteer_t *g =
            enr_gazetteer_new(ENR_RESOURCE_DIR, err, sizeof(err));
        cr_assert_not_null(g, "%s", err);
        tg = enr_tagger_load(ENR_RESOURCE_DIR "/model/conll03.model", g, err,
                             sizeof(err));
        cr_assert_not_null(tg, "%s", err);
        dev = enr_conll_read(path, err, sizeof(err));
        cr_assert_not_null(dev, "%s", err);
        cr_assert_eq(enr_tagger_evaluate(tg, dev, &sc), ENR_OK);
        cr_expect_geq(sc.f1_all, 90.0, "dev F1 %.2f", sc.f1_all);
        enr_conll_destroy(dev);
        enr_tagger_destroy(tg);
        enr_gazetteer_destroy(g);
}

Test(tagger, shipped_model_extracts, .timeout = 120) {
        static const char body[] =
            "German Chancellor Angela Merkel met French President Emmanuel "
            "Macron in Paris on Monday.\n\nSiemens AG said it would cut "
            "3,000 jobs.";
        char                  err[512] = "";
        enr_text_t            t;
        enr_mentions_t        m;
        enr_tagger_scratch_t *s;
        enr_gazetteer_t      *g =
            enr_gazetteer_new(ENR_RESOURCE_DIR, err, sizeof(err));

        cr_assert_not_null(g, "%s", err);
        enr_tagger_t *tg = enr_tagger_load(
            ENR_RESOURCE_DIR "/model/conll03.model", g, err, sizeof(err));
        cr_assert_not_null(tg, "%s", err);
        enr_text_init(&t);
        enr_mentions_init(&m);
        s = enr_tagger_scratch_new(tg);
        cr_assert_eq(
            enr_text_analyze(&t, body, strlen(body), 0, err, sizeof(err)),
            ENR_OK, "%s", err);
        cr_assert_eq(enr_tagger_extract(tg, s, &t, ENR_FIELD_BODY, &m, 0),
                     ENR_OK);
        /* Expected: German, Angela Merkel, French, Emmanuel Macron, Paris,
         * Siemens AG, each once and in order. */
        static const struct {
                const char    *text;
                enr_ent_type_t type;
                const char    *code;
        } want[] = {{"German", ENR_ENT_NORP, NULL},
                    {"Angela Merkel", ENR_ENT_PERSON, ""},
                    {"French", ENR_ENT_NORP, NULL},
                    {"Emmanuel Macron", ENR_ENT_PERSON, ""},
                    {"Paris", ENR_ENT_GPE, "FR"},
                    {"Siemens AG", ENR_ENT_ORG, ""}};
        cr_assert_eq(m.n, sizeof(want) / sizeof(want[0]), "%zu mentions", m.n);
        for (size_t i = 0; i < m.n; i++) {
                size_t n = m.v[i].end - m.v[i].start;
                cr_expect(n == strlen(want[i].text) &&
                              memcmp(body + m.v[i].start, want[i].text, n) == 0,
                          "mention %zu is \"%.*s\"", i, (int)n,
                          body + m.v[i].start);
                cr_expect_eq(m.v[i].type, want[i].type, "mention %zu type %d",
                             i, m.v[i].type);
                if (want[i].code)
                        cr_expect_str_eq(m.v[i].code, want[i].code);
                cr_expect(m.v[i].score > 0.5f && m.v[i].score <= 1.0f,
                          "score %f", m.v[i].score);
                cr_expect_eq(m.v[i].source, ENR_SRC_TAGGER);
        }
        enr_mentions_clear(&m);
        enr_text_clear(&t);
        enr_tagger_scratch_destroy(s);
        enr_tagger_destroy(tg);
        enr_gazetteer_destroy(g);
}
