/*
 * Unit tests of the contiguous-prefix watermark (common/offsets.c): out of
 * order acknowledgements, gaps in offsets, limits, reassignment, and a
 * randomised comparison with a naive model.
 */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "enricher/offsets.h"

Test(offsets, in_order) {
        enr_offsets_t *o = enr_offsets_new(100);
        int64_t        off;

        cr_assert_not_null(o);
        cr_assert_eq(enr_offsets_assign(o, 0), ENR_OK);
        cr_assert_eq(enr_offsets_committable(o, 0), -1);
        cr_assert_not(enr_offsets_take_advance(o, 0, &off));
        for (int64_t i = 10; i < 15; i++)
                cr_assert_eq(enr_offsets_track(o, 0, i), ENR_OK);
        cr_assert_eq(enr_offsets_pending(o, 0), 5);
        cr_assert_eq(enr_offsets_ack(o, 0, 10), ENR_OK);
        cr_assert_eq(enr_offsets_committable(o, 0), 11);
        cr_assert(enr_offsets_take_advance(o, 0, &off));
        cr_assert_eq(off, 11);
        cr_assert_not(enr_offsets_take_advance(o, 0, &off));
        enr_offsets_destroy(o);
}

Test(offsets, out_of_order_keeps_prefix) {
        enr_offsets_t *o = enr_offsets_new(100);

        enr_offsets_assign(o, 3);
        for (int64_t i = 0; i < 5; i++)
                enr_offsets_track(o, 3, i);
        /* Later outputs acknowledged first: nothing is committable. */
        cr_assert_eq(enr_offsets_ack(o, 3, 4), ENR_OK);
        cr_assert_eq(enr_offsets_ack(o, 3, 2), ENR_OK);
        cr_assert_eq(enr_offsets_ack(o, 3, 1), ENR_OK);
        cr_assert_eq(enr_offsets_committable(o, 3), -1);
        cr_assert_eq(enr_offsets_pending(o, 3), 5);
        /* The hole at 0 fills: the prefix jumps to 3 (3 is still out). */
        cr_assert_eq(enr_offsets_ack(o, 3, 0), ENR_OK);
        cr_assert_eq(enr_offsets_committable(o, 3), 3);
        cr_assert_eq(enr_offsets_pending(o, 3), 2);
        cr_assert_eq(enr_offsets_ack(o, 3, 3), ENR_OK);
        cr_assert_eq(enr_offsets_committable(o, 3), 5);
        cr_assert_eq(enr_offsets_pending_total(o), 0);
        enr_offsets_destroy(o);
}

Test(offsets, gaps_in_offsets) {
        enr_offsets_t *o = enr_offsets_new(100);

        /* Transaction markers leave holes in a partition's offsets. */
        enr_offsets_assign(o, 0);
        enr_offsets_track(o, 0, 5);
        enr_offsets_track(o, 0, 7);
        enr_offsets_track(o, 0, 20);
        cr_assert_eq(enr_offsets_ack(o, 0, 6), ENR_ERR_INVALID_ARG);
        cr_assert_eq(enr_offsets_ack(o, 0, 7), ENR_OK);
        cr_assert_eq(enr_offsets_committable(o, 0), -1);
        cr_assert_eq(enr_offsets_ack(o, 0, 5), ENR_OK);
        cr_assert_eq(enr_offsets_committable(o, 0), 8);
        cr_assert_eq(enr_offsets_ack(o, 0, 20), ENR_OK);
        cr_assert_eq(enr_offsets_committable(o, 0), 21);
        enr_offsets_destroy(o);
}

Test(offsets, refuses_bad_input) {
        enr_offsets_t *o = enr_offsets_new(100);

        cr_assert_eq(enr_offsets_track(o, 1, 0), ENR_ERR_INVALID_ARG);
        cr_assert_eq(enr_offsets_assign(o, -1), ENR_ERR_INVALID_ARG);
        cr_assert_eq(enr_offsets_assign(o, ENR_OFFSETS_MAX_PARTITIONS),
                     ENR_ERR_INVALID_ARG);
        enr_offsets_assign(o, 1);
        cr_assert_eq(enr_offsets_track(o, 1, 4), ENR_OK);
        cr_assert_eq(enr_offsets_track(o, 1, 4), ENR_ERR_INVALID_ARG);
        cr_assert_eq(enr_offsets_track(o, 1, 3), ENR_ERR_INVALID_ARG);
        cr_assert_eq(enr_offsets_ack(o, 1, 4), ENR_OK);
        /* A second acknowledgement is refused, the prefix stays. */
        cr_assert_eq(enr_offsets_ack(o, 1, 4), ENR_ERR_INVALID_ARG);
        cr_assert_eq(enr_offsets_committable(o, 1), 5);
        cr_assert_eq(enr_offsets_ack(o, 2, 0), ENR_ERR_INVALID_ARG);
        enr_offsets_destroy(o);
        enr_offsets_destroy(NULL);
}

Test(offsets, limit_and_growth) {
        enr_offsets_t *o = enr_offsets_new(300);

        enr_offsets_assign(o, 0);
        for (int64_t i = 0; i < 300; i++)
                cr_assert_eq(enr_offsets_track(o, 0, i), ENR_OK);
        cr_assert_eq(enr_offsets_track(o, 0, 300), ENR_ERR_LIMIT);
        /* Acknowledge in reverse: nothing moves until the first. */
        for (int64_t i = 299; i > 0; i--)
                enr_offsets_ack(o, 0, i);
        cr_assert_eq(enr_offsets_committable(o, 0), -1);
        enr_offsets_ack(o, 0, 0);
        cr_assert_eq(enr_offsets_committable(o, 0), 300);
        /* The ring wraps around without losing order. */
        for (int64_t i = 300; i < 1002; i++) {
                cr_assert_eq(enr_offsets_track(o, 0, i), ENR_OK);
                if (i % 3 == 2) {
                        for (int64_t j = i - 2; j <= i; j++)
                                cr_assert_eq(enr_offsets_ack(o, 0, j), ENR_OK);
                }
        }
        cr_assert_eq(enr_offsets_committable(o, 0), 1002);
        enr_offsets_destroy(o);
}

Test(offsets, unassign_forgets) {
        enr_offsets_t *o = enr_offsets_new(10);

        enr_offsets_assign(o, 0);
        enr_offsets_assign(o, 1);
        enr_offsets_track(o, 0, 1);
        enr_offsets_track(o, 1, 1);
        enr_offsets_track(o, 1, 2);
        cr_assert_eq(enr_offsets_pending_total(o), 3);
        enr_offsets_unassign(o, 1);
        cr_assert_not(enr_offsets_assigned(o, 1));
        cr_assert_eq(enr_offsets_pending_total(o), 1);
        /* A late acknowledgement of a lost partition is ignored. */
        cr_assert_eq(enr_offsets_ack(o, 1, 1), ENR_ERR_INVALID_ARG);
        cr_assert_eq(enr_offsets_committable(o, 1), -1);
        /* Reassigned, it starts afresh at any offset. */
        enr_offsets_assign(o, 1);
        cr_assert_eq(enr_offsets_track(o, 1, 0), ENR_OK);
        cr_assert_eq(enr_offsets_pending_total(o), 2);
        enr_offsets_destroy(o);
}

Test(offsets, random_against_model) {
        enum { N = 5000, P = 4 };
        static int64_t order[P][N];
        static bool    acked[P][N];
        enr_offsets_t *o = enr_offsets_new(N);
        size_t         k;

        srand(42);
        for (int p = 0; p < P; p++) {
                enr_offsets_assign(o, p);
                for (int i = 0; i < N; i++) {
                        enr_offsets_track(o, p, (int64_t)i * 2);
                        order[p][i] = i;
                }
                /* Shuffle the acknowledgement order. */
                for (int i = N - 1; i > 0; i--) {
                        int     j   = rand() % (i + 1);
                        int64_t t   = order[p][i];
                        order[p][i] = order[p][j];
                        order[p][j] = t;
                }
        }
        for (k = 0; k < N; k++) {
                for (int p = 0; p < P; p++) {
                        int64_t i = order[p][k], want = -1;

                        cr_assert_eq(enr_offsets_ack(o, p, i * 2), ENR_OK);
                        acked[p][i] = true;
                        for (int j = 0; j < N && acked[p][j]; j++)
                                want = (int64_t)j * 2 + 1;
                        cr_assert_eq(enr_offsets_committable(o, p), want,
                                     "partition %d after %zu acks", p, k);
                }
        }
        cr_assert_eq(enr_offsets_pending_total(o), 0);
        enr_offsets_destroy(o);
}
