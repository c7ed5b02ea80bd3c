/*
 * Offsets: the per-partition contiguous-prefix watermark of an
 * at-least-once consumer. Inputs are tracked in consumption order (offsets
 * rise within a partition, with gaps where the log has transaction markers
 * or compacted records); acknowledgements arrive in any order, because one
 * input partition's outputs go to many output partitions. The committable
 * offset of a partition is one past the last input of the longest fully
 * acknowledged prefix: committing it never skips an unacknowledged input.
 * Pure logic, no Kafka; used only by the thread that owns it.
 */
#ifndef ENRICHER_OFFSETS_H
#define ENRICHER_OFFSETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "enricher/common.h"

/** The largest partition id the tracker accepts, plus one. */
#define ENR_OFFSETS_MAX_PARTITIONS 4096

typedef struct enr_offsets enr_offsets_t;

/**
 * @brief A new tracker with no partition.
 * @param max_pending Limit on tracked, unacknowledged inputs per partition
 *                    (at least 1).
 * @returns NULL when out of memory; free with enr_offsets_destroy().
 */
enr_offsets_t *enr_offsets_new(size_t max_pending);

/** @brief Frees the tracker; NULL is a no-op. */
void enr_offsets_destroy(enr_offsets_t *o);

/**
 * @brief Starts tracking a partition (an assignment). Forgets whatever was
 *        tracked for it before.
 * @returns ENR_ERR_INVALID_ARG for a partition out of range.
 */
enr_err_t enr_offsets_assign(enr_offsets_t *o, int32_t partition);

/**
 * @brief Stops tracking a partition (revoked or lost): its pending inputs
 *        are forgotten and later acknowledgements for it are ignored.
 */
void enr_offsets_unassign(enr_offsets_t *o, int32_t partition);

/** @brief Whether the partition is tracked. */
bool enr_offsets_assigned(const enr_offsets_t *o, int32_t partition);

/**
 * @brief Records that an input was consumed and is now pending.
 * @returns ENR_OK; ENR_ERR_INVALID_ARG when the partition is not assigned or
 *          the offset is not above the last tracked one; ENR_ERR_LIMIT when
 *          max_pending inputs are pending; ENR_ERR_NOMEM.
 */
enr_err_t enr_offsets_track(enr_offsets_t *o, int32_t partition,
                            int64_t offset);

/**
 * @brief Records that an input's output (or dead letter) was acknowledged.
 * @returns ENR_OK; ENR_ERR_INVALID_ARG when the partition is not assigned
 *          or the offset is not pending (unknown or already acknowledged).
 */
enr_err_t enr_offsets_ack(enr_offsets_t *o, int32_t partition, int64_t offset);

/** @brief Inputs of a partition tracked but not yet acknowledged. */
size_t enr_offsets_pending(const enr_offsets_t *o, int32_t partition);

/** @brief Unacknowledged inputs over every partition. */
size_t enr_offsets_pending_total(const enr_offsets_t *o);

/**
 * @brief The offset to commit for a partition: one past the last input of
 *        the acknowledged prefix.
 * @returns The offset, or -1 when nothing was acknowledged since the
 *          partition was assigned.
 */
int64_t enr_offsets_committable(const enr_offsets_t *o, int32_t partition);

/**
 * @brief Like enr_offsets_committable(), but only when it moved since the
 *        last call for this partition (so each advance is stored once).
 * @returns true with *offset set when there is a new offset to commit.
 */
bool enr_offsets_take_advance(enr_offsets_t *o, int32_t partition,
                              int64_t *offset);

#endif
