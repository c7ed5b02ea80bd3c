/*
 * Unit tests of dedup.c: an earlier copy is found and named, exact beats
 * near, a replayed id is not a copy of itself, the window and the order of
 * time stamps (and ids at equal times) are respected, replacement, expiry
 * and the cap keep the size right, and concurrent use is safe.
 */
#include <criterion/criterion.h>
#include <stdatomic.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "enricher/dedup.h"

#define HOUR (3600LL * 1000)

static const char *BODY =
    "The city council approved a plan on Thursday to build 1,200 homes on "
    "the former Greenfield airfield, ending a dispute that lasted almost "
    "nine years. Council leader Amira Doyle said the scheme would include "
    "a primary school, a health centre and a new bus link to Westgate.\n\n"
    "Residents' groups had objected to the loss of open land and to the "
    "traffic the estate would bring, and 3,400 people signed a petition "
    "against it. The developer, Northvale Homes, agreed to set aside 30% "
    "of the site as a park and to pay \xc2\xa3"
    "6m towards road "
    "improvements.\n\nBuilding work is expected to begin next summer and "
    "the first families could move in by 2027, the council said.";

static const char *OTHER =
    "A rare orchid not seen in the county for more than a century has been "
    "found growing beside a railway line near Ashby Mill, botanists said. "
    "Volunteers spotted 14 flowering plants during a survey in June, and "
    "the site will now be protected while seeds are collected for a "
    "national seed bank. Experts believe the plants may have grown from "
    "seeds carried by passing trains.";

static enr_text_t        text;
static enr_fingerprint_t fp_body, fp_trunc, fp_edit, fp_other;
static enr_dedup_t      *d;
static enr_dup_t         dup;

static void fp_of(const char *s, enr_fingerprint_t *fp) {
        char err[128];

        cr_assert_eq(enr_text_analyze(&text, s, strlen(s), 0, err, sizeof(err)),
                     ENR_OK, "%s", err);
        enr_fingerprint_compute(&text, fp);
}

static void setup(void) {
        char  buf[4096];
        char *p;

        enr_text_init(&text);
        fp_of(BODY, &fp_body);
        fp_of(OTHER, &fp_other);
        snprintf(buf, sizeof(buf), "%s", BODY);
        *strstr(buf, "\n\nResidents") = '\0';
        fp_of(buf, &fp_trunc);
        snprintf(buf, sizeof(buf), "%s", BODY);
        p = strstr(buf, "approved");
        memcpy(p, "endorsed", 8);
        p = strstr(buf, "families");
        memcpy(p, "tenants ", 8);
        fp_of(buf, &fp_edit);
        d = enr_dedup_new(ENR_DEDUP_WINDOW_MS, 1000);
        cr_assert_not_null(d);
}

static void teardown(void) {
        enr_dedup_destroy(d);
        enr_text_clear(&text);
}

TestSuite(dedup, .init = setup, .fini = teardown);

static enr_err_t add(const enr_fingerprint_t *fp, const char *id, int64_t ts) {
        return enr_dedup_add(d, fp, id, strlen(id), ts);
}

static int check(const enr_fingerprint_t *fp, const char *id, int64_t ts) {
        return enr_dedup_check(d, fp, id, strlen(id), ts, &dup);
}

Test(dedup, new_rejects_bad_arguments) {
        cr_assert_null(enr_dedup_new(0, 10));
        cr_assert_null(enr_dedup_new(INT64_MAX, 10));
        cr_assert_null(enr_dedup_new(1000, 0));
        cr_assert_null(enr_dedup_new(1000, (size_t)ENR_DEDUP_MAX_ENTRIES + 1));
        enr_dedup_destroy(NULL);
        cr_assert_eq(enr_dedup_size(NULL), 0);
}

Test(dedup, finds_earlier_copies_of_each_kind) {
        cr_assert_eq(add(&fp_body, "a1", 1000), ENR_OK);
        cr_assert_eq(add(&fp_other, "b1", 2000), ENR_OK);
        cr_assert(check(&fp_body, "a2", 5000));
        cr_assert_str_eq(dup.of, "a1");
        cr_assert_eq(dup.exact, 1);
        cr_assert_float_eq(dup.similarity, 1.0, 1e-9);
        cr_assert(check(&fp_trunc, "a3", 5000));
        cr_assert_str_eq(dup.of, "a1");
        cr_assert_eq(dup.exact, 0);
        cr_assert(dup.similarity > 0 && dup.similarity < 1);
        cr_assert(check(&fp_edit, "a4", 5000));
        cr_assert_str_eq(dup.of, "a1");
        cr_assert_eq(dup.exact, 0);
        cr_assert(check(&fp_other, "b2", 5000));
        cr_assert_str_eq(dup.of, "b1");
        cr_assert_eq(enr_dedup_size(d), 2);
        cr_assert_gt(enr_dedup_memory(d), 0);
}

Test(dedup, unrelated_article_is_not_a_copy) {
        add(&fp_body, "a1", 1000);
        cr_assert_not(check(&fp_other, "b1", 2000));
        cr_assert_eq(dup.found, 0);
        cr_assert_str_eq(dup.of, "");
}

Test(dedup, same_id_is_not_a_copy_of_itself) {
        add(&fp_body, "a1", 1000);
        cr_assert_not(check(&fp_body, "a1", 2000));
        /* Replayed: replaced, not added twice. */
        cr_assert_eq(add(&fp_body, "a1", 2000), ENR_OK);
        cr_assert_eq(enr_dedup_size(d), 1);
        cr_assert(check(&fp_body, "a2", 3000));
        cr_assert_str_eq(dup.of, "a1");
}

Test(dedup, window_is_respected) {
        add(&fp_body, "a1", 0);
        cr_assert(check(&fp_body, "a2", ENR_DEDUP_WINDOW_MS));
        cr_assert_not(check(&fp_body, "a2", ENR_DEDUP_WINDOW_MS + 1));
        /* Time stamps at the ends of the range are no trouble. */
        cr_assert_not(check(&fp_body, "a2", INT64_MAX));
        cr_assert_not(check(&fp_body, "a2", INT64_MIN));
        /* Adding a newer article expires the old one. */
        add(&fp_other, "b1", ENR_DEDUP_WINDOW_MS + 10);
        cr_assert_eq(enr_dedup_size(d), 1);
        cr_assert_not(check(&fp_body, "a3", ENR_DEDUP_WINDOW_MS));
}

Test(dedup, later_entry_is_never_of_an_earlier_one) {
        add(&fp_body, "m", 5000);
        /* An article from before m is not a copy of m. */
        cr_assert_not(check(&fp_body, "a", 4000));
        /* At the same time stamp the smaller id is the earlier one. */
        cr_assert_not(check(&fp_body, "a", 5000));
        cr_assert(check(&fp_body, "z", 5000));
        cr_assert_str_eq(dup.of, "m");
}

Test(dedup, earliest_first_then_exact) {
        add(&fp_body, "late", 3000);
        add(&fp_body, "early", 2000);
        cr_assert(check(&fp_body, "q", 4000));
        cr_assert_eq(dup.exact, 1);
        cr_assert_str_eq(dup.of, "early");
        /* An earlier near copy is the story's first article. */
        add(&fp_edit, "edit", 1000);
        cr_assert(check(&fp_body, "q", 4000));
        cr_assert_eq(dup.exact, 0);
        cr_assert_str_eq(dup.of, "edit");
        /* At one time, the exact copy. */
        add(&fp_edit, "edit2", 500);
        add(&fp_body, "same", 500);
        cr_assert(check(&fp_body, "q", 4000));
        cr_assert_eq(dup.exact, 1);
        cr_assert_str_eq(dup.of, "same");
}

Test(dedup, check_add_is_check_then_add) {
        cr_assert_not(enr_dedup_check_add(d, &fp_body, "a1", 2, 1000, &dup));
        cr_assert(enr_dedup_check_add(d, &fp_body, "a2", 2, 2000, &dup));
        cr_assert_str_eq(dup.of, "a1");
        cr_assert_eq(enr_dedup_size(d), 2);
}

Test(dedup, cap_evicts_the_oldest) {
        enr_dedup_t *small = enr_dedup_new(ENR_DEDUP_WINDOW_MS, 2);

        cr_assert_not_null(small);
        enr_dedup_add(small, &fp_body, "a1", 2, 1000);
        enr_dedup_add(small, &fp_other, "b1", 2, 2000);
        enr_dedup_add(small, &fp_edit, "c1", 2, 3000);
        cr_assert_eq(enr_dedup_size(small), 2);
        /* a1 is gone; c1 (the edited copy) still answers for the body. */
        cr_assert(enr_dedup_check(small, &fp_body, "q", 1, 4000, &dup));
        cr_assert_str_eq(dup.of, "c1");
        enr_dedup_destroy(small);
}

Test(dedup, long_ids_are_kept_and_truncated_in_of) {
        char id[400];

        memset(id, 'x', sizeof(id));
        id[0] = 'L';
        cr_assert_eq(enr_dedup_add(d, &fp_body, id, 300, 1000), ENR_OK);
        cr_assert(check(&fp_body, "q", 2000));
        cr_assert_eq(strlen(dup.of), 255);
        cr_assert_eq(dup.of[0], 'L');
}

/* Many threads adding and checking at once. What a copy found must be is
 * certain: an entry of the same text (ids of the same parity). That one is
 * found at all is not: the walk of a chain is bounded (WALK_MAX, newest
 * first) and skips entries later than the query, so a thread that ran
 * ahead can fill the newest part of a chain with entries a slower thread's
 * query skips (an assertion that every query after the first two finds a
 * copy failed in CI now and then). The times come from one clock shared
 * by the threads, as a worker's do. */
static atomic_llong shared_clock = 1000;
static atomic_int   found_count;

static void *worker(void *arg) {
        int  t = (int)(intptr_t)arg, i;
        char id[32];

        for (i = 0; i < 200; i++) {
                enr_dup_t r;
                int       ot, oi;

                snprintf(id, sizeof(id), "t%d-%d", t, i);
                enr_dedup_check_add(
                    d, (i & 1) ? &fp_body : &fp_other, id, strlen(id),
                    (int64_t)atomic_fetch_add(&shared_clock, 1), &r);
                if (!r.found)
                        continue;
                atomic_fetch_add(&found_count, 1);
                cr_assert_eq(sscanf(r.of, "t%d-%d", &ot, &oi), 2, "%s", r.of);
                cr_assert_eq(oi & 1, i & 1, "%s found %s", id, r.of);
        }
        return NULL;
}

Test(dedup, concurrent_use) {
        pthread_t th[4];
        int       t;

        for (t = 0; t < 4; t++)
                pthread_create(&th[t], NULL, worker, (void *)(intptr_t)t);
        for (t = 0; t < 4; t++)
                pthread_join(th[t], NULL);
        cr_assert_eq(enr_dedup_size(d), 800);
        cr_assert_gt(atomic_load(&found_count), 0);
}

/* Thousands of entries through a small cap: the ring wraps, chunks are
 * freed and reused, and only the newest entries answer. */
Test(dedup, cap_wraps_over_many_chunks) {
        enr_dedup_t      *small = enr_dedup_new(ENR_DEDUP_WINDOW_MS, 5000);
        enr_fingerprint_t fp    = fp_other;
        char              id[32];
        int               i;

        cr_assert_not_null(small);
        for (i = 0; i < 20000; i++) {
                /* Distinct fingerprints: another SimHash, lead and keys. */
                fp.simhash =
                    fp_other.simhash ^ ((uint64_t)i * 0x9e3779b97f4a7c15ULL);
                fp.exact   = (uint64_t)i;
                fp.lead    = (uint32_t)i * 2654435761u;
                fp.mins[0] = (uint32_t)i;
                fp.mins[1] = (uint32_t)i + 20000;
                snprintf(id, sizeof(id), "n%d", i);
                cr_assert_eq(enr_dedup_add(small, &fp, id, strlen(id), i),
                             ENR_OK);
        }
        cr_assert_eq(enr_dedup_size(small), 5000);
        cr_assert_lt(enr_dedup_memory(small), 5000 * 100 + (1 << 20));
        /* The newest is found, the oldest evicted. */
        fp.simhash = fp_other.simhash ^ (19999ULL * 0x9e3779b97f4a7c15ULL);
        fp.exact   = 19999;
        fp.lead    = 19999u * 2654435761u;
        fp.mins[0] = 19999;
        fp.mins[1] = 19999 + 20000;
        cr_assert(enr_dedup_check(small, &fp, "q", 1, 30000, &dup));
        cr_assert_str_eq(dup.of, "n19999");
        cr_assert_eq(dup.exact, 1);
        fp.simhash = fp_other.simhash;
        fp.exact   = 0;
        fp.lead    = 0;
        fp.mins[0] = 0;
        fp.mins[1] = 20000;
        cr_assert_not(enr_dedup_check(small, &fp, "q", 1, 30000, &dup));
        enr_dedup_destroy(small);
}
