/*
 * The near-duplicate index: the fingerprints of the articles seen within a
 * time window, and the search for an earlier copy of a new one.
 *
 * Entries are kept compactly (about 60 bytes with a 20-byte id) in
 * insertion order; candidates come from two chained hash tables, one keyed
 * by the lead hash (truncated copies, and every copy that keeps the first
 * 16 terms), one by the two smallest shingle hashes of each entry, which a
 * query probes with its own 8 smallest (resemblance copies: MinHash's
 * bottom-k). Every candidate is verified by enr_fingerprint_match()'s
 * rules on what the entry keeps (its SimHash, term count, the low 16 bits
 * of its exact and lead hashes, its prefix checkpoints).
 *
 * Thread-safe: one mutex inside; every function may be called from any
 * thread.
 */
#ifndef ENRICHER_DEDUP_H
#define ENRICHER_DEDUP_H

#include <stddef.h>
#include <stdint.h>

#include "enricher/common.h"
#include "enricher/fingerprint.h"

/** The default dedup window: 72 hours. */
#define ENR_DEDUP_WINDOW_MS (72LL * 3600 * 1000)
/** The largest max_entries accepted. */
#define ENR_DEDUP_MAX_ENTRIES (1u << 28)

typedef struct enr_dedup enr_dedup_t;

/** The result of a search. */
typedef struct enr_dup {
        int    found;      /**< 1 when an earlier copy was found. */
        int    exact;      /**< Kind: 1 exact, 0 near. */
        double similarity; /**< 0..1 (see enr_fingerprint_match()). */
        char   of[256];    /**< Id of the earlier article (truncated if
                                longer), NUL-terminated. */
} enr_dup_t;

/**
 * @brief A new, empty index.
 * @param window_ms   The dedup window (1 ms .. 2^46 ms).
 * @param max_entries A hard cap (1..ENR_DEDUP_MAX_ENTRIES); the oldest
 *                    entries are evicted first. The hash tables are sized
 *                    from it once (about 3 bytes per entry).
 * @returns NULL on bad arguments or no memory; free with
 *          enr_dedup_destroy().
 */
enr_dedup_t *enr_dedup_new(int64_t window_ms, size_t max_entries);

/** @brief Frees d; NULL is a no-op. */
void enr_dedup_destroy(enr_dedup_t *d);

/**
 * @brief Looks for an earlier copy of fp.
 *
 * Only entries with ts < ts_ms (or the same ts and a smaller id, bytewise),
 * at most window_ms before ts_ms, and never the same id. The earliest
 * match wins (so all copies of a story name its first article); at equal
 * times an exact copy, then the highest similarity.
 *
 * @param fp, id Borrowed during the call (id need not be terminated).
 * @param out    Out: the result (zeroed when nothing is found).
 * @returns out->found.
 */
int enr_dedup_check(enr_dedup_t *d, const enr_fingerprint_t *fp, const char *id,
                    size_t id_len, int64_t ts_ms, enr_dup_t *out);

/**
 * @brief Adds an entry, replacing a previous one of the same id when the
 *        index finds it through its keys (a replay, or a revision that
 *        keeps its lead or shingles); then expires entries older than the
 *        newest ts seen minus the window, and the oldest beyond the cap.
 * @param fp, id Copied; borrowed during the call only. Ids up to 20 bytes
 *               are kept inline, longer ones (up to 255 bytes; longer are
 *               truncated) in a separate allocation.
 * @returns ENR_OK; ENR_ERR_INVALID_ARG for NULL arguments; ENR_ERR_NOMEM.
 */
enr_err_t enr_dedup_add(enr_dedup_t *d, const enr_fingerprint_t *fp,
                        const char *id, size_t id_len, int64_t ts_ms);

/**
 * @brief enr_dedup_check() then enr_dedup_add() under one lock.
 * @returns out->found (an add failing for lack of memory is not reported:
 *          the article is just not remembered).
 */
int enr_dedup_check_add(enr_dedup_t *d, const enr_fingerprint_t *fp,
                        const char *id, size_t id_len, int64_t ts_ms,
                        enr_dup_t *out);

/** @brief The number of live entries. */
size_t enr_dedup_size(const enr_dedup_t *d);

/** @brief The bytes the index holds (entries, tables, long ids). */
size_t enr_dedup_memory(const enr_dedup_t *d);

#endif
