/*
 * Tests of the scorer: a hand-made example with known precision, recall and
 * F1, duplicate predictions, the error classes and their order, the JSON.
 */
#include <math.h>
#include <string.h>

#include <criterion/criterion.h>

#include "enricher/eval.h"

#define NEAR(a, b) (fabs((a) - (b)) < 1e-9)

/* "John Smith visited New York and Acme Corp in Paris ." */
static const char TEXT[] = "John Smith visited New York and Acme Corp in Paris";

Test(eval, hand_made_scores) {
        /* Gold: PER John Smith [0,10), LOC New York [19,27), ORG Acme Corp
         * [32,41), LOC Paris [45,50). */
        enr_eval_span_t gold[] = {
            {0, 10, "PER"}, {19, 27, "LOC"}, {32, 41, "ORG"}, {45, 50, "LOC"}};
        /* Predicted: John Smith PER (right), New York LOC (right), Acme
         * Corp LOC (type confusion), "Smith" alone PER (spurious? it
         * overlaps John Smith, already matched), visited MISC (spurious);
         * Paris missed. */
        enr_eval_span_t   pred[] = {{0, 10, "PER"},
                                    {19, 27, "LOC"},
                                    {32, 41, "LOC"},
                                    {5, 10, "PER"},
                                    {11, 18, "MISC"}};
        enr_eval_t       *ev     = enr_eval_new();
        enr_eval_counts_t c;

        cr_assert_not_null(ev);
        cr_assert_eq(enr_eval_add_doc(ev, gold, 4, pred, 5, TEXT, strlen(TEXT)),
                     ENR_OK);
        c = enr_eval_overall(ev);
        /* tp 2, fp 3 (Acme as LOC, Smith, visited), fn 2 (Acme ORG, Paris):
         * P = 2/5, R = 2/4, F1 = 2*2/(2*2+3+2) = 4/9. */
        cr_expect_eq(c.tp, 2);
        cr_expect_eq(c.fp, 3);
        cr_expect_eq(c.fn, 2);
        cr_expect(NEAR(enr_eval_precision(&c), 0.4));
        cr_expect(NEAR(enr_eval_recall(&c), 0.5));
        cr_expect(NEAR(enr_eval_f1(&c), 4.0 / 9.0));
        cr_assert(enr_eval_type(ev, "LOC", &c));
        /* LOC: New York tp; Acme as LOC fp; Paris fn. */
        cr_expect_eq(c.tp, 1);
        cr_expect_eq(c.fp, 1);
        cr_expect_eq(c.fn, 1);
        cr_expect(NEAR(enr_eval_f1(&c), 0.5));
        cr_assert(enr_eval_type(ev, "ORG", &c));
        cr_expect_eq(c.tp, 0);
        cr_expect_eq(c.fn, 1);
        cr_expect(NEAR(enr_eval_f1(&c), 0.0));
        cr_assert(enr_eval_type(ev, "PER", &c));
        cr_expect_eq(c.tp, 1);
        cr_expect_eq(c.fp, 1);
        cr_expect_not(enr_eval_type(ev, "DATE", &c));
        enr_eval_destroy(ev);
}

Test(eval, accumulates_and_dedups) {
        enr_eval_span_t   gold[] = {{0, 4, "DATE"}};
        enr_eval_span_t   pred[] = {{0, 4, "DATE"}, {0, 4, "DATE"}};
        enr_eval_t       *ev     = enr_eval_new();
        enr_eval_counts_t c;

        cr_assert_eq(enr_eval_add_doc(ev, gold, 1, pred, 2, NULL, 0), ENR_OK);
        cr_assert_eq(enr_eval_add_doc(ev, gold, 1, NULL, 0, NULL, 0), ENR_OK);
        cr_assert_eq(enr_eval_add_doc(ev, NULL, 0, pred, 1, NULL, 0), ENR_OK);
        cr_expect_eq(enr_eval_docs(ev), 3);
        c = enr_eval_overall(ev);
        cr_expect_eq(c.tp, 1);
        cr_expect_eq(c.fp, 1);
        cr_expect_eq(c.fn, 1);
        /* The caller's arrays are not reordered. */
        enr_eval_span_t p2[] = {{9, 12, "B"}, {1, 2, "A"}};
        cr_assert_eq(enr_eval_add_doc(ev, NULL, 0, p2, 2, NULL, 0), ENR_OK);
        cr_expect_eq(p2[0].start, 9);
        enr_eval_destroy(ev);
}

Test(eval, empty_and_declared_types) {
        enr_eval_t       *ev = enr_eval_new();
        enr_eval_counts_t c  = enr_eval_overall(ev);
        size_t            n;

        cr_expect(NEAR(enr_eval_f1(&c), 0.0));
        cr_expect(NEAR(enr_eval_precision(&c), 0.0));
        cr_assert_eq(enr_eval_add_type(ev, "PERCENT"), ENR_OK);
        cr_assert_eq(enr_eval_add_type(ev, "MONEY"), ENR_OK);
        cr_assert_eq(enr_eval_add_type(ev, "MONEY"), ENR_OK);
        const char *const *t = enr_eval_types(ev, &n);
        cr_assert_eq(n, 2);
        cr_expect_str_eq(t[0], "MONEY");
        cr_expect_str_eq(t[1], "PERCENT");
        enr_eval_destroy(ev);
        enr_eval_destroy(NULL);
}

Test(eval, bad_spans) {
        enr_eval_t     *ev  = enr_eval_new();
        enr_eval_span_t bad = {5, 2, "X"};

        cr_expect_eq(enr_eval_add_doc(ev, &bad, 1, NULL, 0, NULL, 0),
                     ENR_ERR_INVALID_ARG);
        cr_expect_eq(enr_eval_add_doc(ev, NULL, 0, &bad, 1, NULL, 0),
                     ENR_ERR_INVALID_ARG);
        enr_eval_destroy(ev);
}

Test(eval, error_classes) {
        /* Gold ORG "Acme Corp" predicted LOC twice (two documents), a PER
         * boundary error, a missed LOC, a spurious MISC. */
        enr_eval_span_t gold[] = {
            {0, 10, "PER"}, {32, 41, "ORG"}, {45, 50, "LOC"}};
        enr_eval_span_t pred[] = {
            {5, 10, "PER"}, {32, 41, "LOC"}, {11, 18, "MISC"}};
        enr_eval_t             *ev = enr_eval_new();
        const enr_eval_error_t *e;
        size_t                  n, i;
        char                    label[64];
        int                     seen = 0;

        cr_assert_eq(enr_eval_add_doc(ev, gold, 3, pred, 3, TEXT, strlen(TEXT)),
                     ENR_OK);
        cr_assert_eq(
            enr_eval_add_doc(ev, gold + 1, 1, pred + 1, 1, TEXT, strlen(TEXT)),
            ENR_OK);
        e = enr_eval_errors(ev, &n);
        cr_assert_eq(n, 4);
        /* The costliest first: ORG→LOC twice (cost 4). */
        enr_eval_error_label(&e[0], label, sizeof(label));
        cr_expect_str_eq(label, "ORG→LOC");
        cr_expect_eq(e[0].count, 2);
        cr_expect_eq(e[0].cost, 4);
        cr_expect_eq(e[0].nexamples, 2);
        cr_expect_str_eq(e[0].examples[0], "\"Acme Corp\"");
        enr_eval_error_label(&e[1], label, sizeof(label));
        cr_expect_str_eq(label, "boundary PER");
        cr_expect_str_eq(e[1].examples[0],
                         "gold \"John Smith\" / predicted \"Smith\"");
        for (i = 2; i < n; i++) {
                enr_eval_error_label(&e[i], label, sizeof(label));
                if (!strcmp(label, "missed LOC")) {
                        cr_expect_str_eq(e[i].examples[0], "\"Paris\"");
                        seen |= 1;
                }
                if (!strcmp(label, "spurious MISC")) {
                        cr_expect_str_eq(e[i].examples[0], "\"visited\"");
                        seen |= 2;
                }
        }
        cr_expect_eq(seen, 3);
        enr_eval_destroy(ev);
}

Test(eval, json) {
        enr_eval_span_t gold[] = {{0, 10, "PER"}, {45, 50, "LOC"}};
        enr_eval_span_t pred[] = {{0, 10, "PER"}};
        enr_eval_t     *ev     = enr_eval_new();
        json_t         *j, *o;

        cr_assert_eq(enr_eval_add_doc(ev, gold, 2, pred, 1, TEXT, strlen(TEXT)),
                     ENR_OK);
        j = enr_eval_json(ev, 5);
        cr_assert_not_null(j);
        o = json_object_get(j, "overall");
        cr_assert_not_null(o);
        cr_expect(
            NEAR(json_real_value(json_object_get(o, "precision")), 100.0));
        cr_expect(NEAR(json_real_value(json_object_get(o, "recall")), 50.0));
        cr_expect(NEAR(json_real_value(json_object_get(o, "f1")), 200.0 / 3.0));
        cr_expect_eq(json_integer_value(json_object_get(o, "fn")), 1);
        o = json_object_get(json_object_get(j, "types"), "LOC");
        cr_assert_not_null(o);
        cr_expect_eq(json_integer_value(json_object_get(o, "fn")), 1);
        o = json_array_get(json_object_get(j, "errors"), 0);
        cr_assert_not_null(o);
        cr_expect_str_eq(json_string_value(json_object_get(o, "error")),
                         "missed LOC");
        json_decref(j);
        j = enr_eval_json(ev, 0);
        cr_expect_null(json_object_get(j, "errors"));
        json_decref(j);
        enr_eval_destroy(ev);
}

Test(eval, print) {
        enr_eval_span_t gold[] = {{0, 10, "PER"}};
        enr_eval_t     *ev     = enr_eval_new();
        char           *buf    = NULL;
        size_t          len    = 0;
        FILE           *fp     = open_memstream(&buf, &len);

        cr_assert_eq(enr_eval_add_doc(ev, gold, 1, gold, 1, TEXT, strlen(TEXT)),
                     ENR_OK);
        enr_eval_print(ev, fp);
        enr_eval_print_errors(ev, fp, 3);
        fclose(fp);
        cr_expect_not_null(strstr(buf, "PER"));
        cr_expect_not_null(strstr(buf, "100.00"));
        cr_expect_not_null(strstr(buf, "overall"));
        free(buf);
        enr_eval_destroy(ev);
}
