/*
 * Offsets: the contiguous-prefix watermark per input partition (see
 * include/enricher/offsets.h). Each partition keeps its pending inputs in a
 * ring buffer ordered by offset, each with an "acknowledged" flag; an
 * acknowledgement finds its entry by binary search, and the acknowledged
 * head of the ring is popped, moving the committable offset. The ring grows
 * by doubling up to the configured limit, so the steady state allocates
 * nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "enricher/offsets.h"

/* One tracked input. */
typedef struct pending {
        int64_t offset;
        bool    acked;
} pending_t;

/* The state of one assigned partition. */
typedef struct part {
        pending_t *ring; /* Capacity cap, count entries from head. */
        size_t     cap;
        size_t     head;
        size_t     count;
        int64_t    last;     /* The last tracked offset, or -1. */
        int64_t    done;     /* Committable offset, or -1. */
        int64_t    reported; /* The last offset take_advance returned. */
        bool       assigned;
} part_t;

struct enr_offsets {
        size_t  max_pending;
        size_t  total; /* Pending inputs over all partitions. */
        part_t *parts[ENR_OFFSETS_MAX_PARTITIONS];
};

enr_offsets_t *enr_offsets_new(size_t max_pending) {
        enr_offsets_t *o;

        if (max_pending < 1)
                max_pending = 1;
        o = calloc(1, sizeof(*o));
        if (!o)
                return NULL;
        o->max_pending = max_pending;
        return o;
}

void enr_offsets_destroy(enr_offsets_t *o) {
        size_t i;

        if (!o)
                return;
        for (i = 0; i < ENR_OFFSETS_MAX_PARTITIONS; i++) {
                if (o->parts[i]) {
                        free(o->parts[i]->ring);
                        free(o->parts[i]);
                }
        }
        free(o);
}

/* The state of an assigned partition, or NULL. */
static part_t *get(const enr_offsets_t *o, int32_t partition) {
        part_t *p;

        if (partition < 0 || partition >= ENR_OFFSETS_MAX_PARTITIONS)
                return NULL;
        p = o->parts[partition];
        return p && p->assigned ? p : NULL;
}

static pending_t *at(part_t *p, size_t i) {
        return &p->ring[(p->head + i) % p->cap];
}

enr_err_t enr_offsets_assign(enr_offsets_t *o, int32_t partition) {
        part_t *p;

        if (partition < 0 || partition >= ENR_OFFSETS_MAX_PARTITIONS)
                return ENR_ERR_INVALID_ARG;
        p = o->parts[partition];
        if (!p) {
                p = calloc(1, sizeof(*p));
                if (!p)
                        return ENR_ERR_NOMEM;
                o->parts[partition] = p;
        }
        o->total -= p->assigned ? p->count : 0;
        p->head     = 0;
        p->count    = 0;
        p->last     = -1;
        p->done     = -1;
        p->reported = -1;
        p->assigned = true;
        return ENR_OK;
}

void enr_offsets_unassign(enr_offsets_t *o, int32_t partition) {
        part_t *p = get(o, partition);

        if (!p)
                return;
        o->total -= p->count;
        p->count    = 0;
        p->assigned = false;
}

bool enr_offsets_assigned(const enr_offsets_t *o, int32_t partition) {
        return get(o, partition) != NULL;
}

/* Doubles the ring (up to max_pending), keeping the entries in order. */
static enr_err_t grow(enr_offsets_t *o, part_t *p) {
        size_t     ncap = p->cap ? p->cap * 2 : 64, i;
        pending_t *nring;

        if (ncap > o->max_pending)
                ncap = o->max_pending;
        if (ncap <= p->cap)
                return ENR_ERR_LIMIT;
        nring = malloc(ncap * sizeof(*nring));
        if (!nring)
                return ENR_ERR_NOMEM;
        for (i = 0; i < p->count; i++)
                nring[i] = *at(p, i);
        free(p->ring);
        p->ring = nring;
        p->cap  = ncap;
        p->head = 0;
        return ENR_OK;
}

enr_err_t enr_offsets_track(enr_offsets_t *o, int32_t partition,
                            int64_t offset) {
        part_t   *p = get(o, partition);
        enr_err_t err;

        if (!p || offset < 0 || offset <= p->last)
                return ENR_ERR_INVALID_ARG;
        if (p->count == p->cap && (err = grow(o, p)) != ENR_OK)
                return err;
        *at(p, p->count) = (pending_t){offset, false};
        p->count++;
        p->last = offset;
        o->total++;
        return ENR_OK;
}

enr_err_t enr_offsets_ack(enr_offsets_t *o, int32_t partition, int64_t offset) {
        part_t *p  = get(o, partition);
        size_t  lo = 0, hi, mid;

        if (!p)
                return ENR_ERR_INVALID_ARG;
        /* Binary search for the entry: offsets rise along the ring. */
        hi = p->count;
        while (lo < hi) {
                mid = lo + (hi - lo) / 2;
                if (at(p, mid)->offset < offset)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        if (lo == p->count || at(p, lo)->offset != offset || at(p, lo)->acked)
                return ENR_ERR_INVALID_ARG;
        at(p, lo)->acked = true;
        /* Pop the acknowledged prefix. */
        while (p->count > 0 && at(p, 0)->acked) {
                p->done = at(p, 0)->offset + 1;
                p->head = (p->head + 1) % p->cap;
                p->count--;
                o->total--;
        }
        return ENR_OK;
}

size_t enr_offsets_pending(const enr_offsets_t *o, int32_t partition) {
        const part_t *p = get(o, partition);

        return p ? p->count : 0;
}

size_t enr_offsets_pending_total(const enr_offsets_t *o) {
        return o->total;
}

int64_t enr_offsets_committable(const enr_offsets_t *o, int32_t partition) {
        const part_t *p = get(o, partition);

        return p ? p->done : -1;
}

bool enr_offsets_take_advance(enr_offsets_t *o, int32_t partition,
                              int64_t *offset) {
        part_t *p = get(o, partition);

        if (!p || p->done < 0 || p->done == p->reported)
                return false;
        p->reported = p->done;
        *offset     = p->done;
        return true;
}
