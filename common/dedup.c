/*
 * The near-duplicate index (see dedup.h): compact entries in insertion
 * order, in chunks of CHUNK entries that are freed as the window slides
 * past them, and two chained hash tables whose links are entry sequence
 * numbers.
 *
 * Entries are never unlinked: a chain is in decreasing sequence order (new
 * entries go in at its head) and entries leave in sequence order (expiry
 * and the cap both pop the oldest), so a walk stops at the first link to
 * an entry that is gone. Replaced entries are only marked dead. Keys are
 * not stored: every candidate a bucket yields is verified on the whole
 * entry, so a bucket collision costs time, never a wrong answer.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "enricher/dedup.h"

/* Entries per chunk. */
#define CHUNK 4096
/* Sequence numbers kept in links (modulo 2^30; max_entries is far less). */
#define SEQ_MASK ((1ULL << 30) - 1)
/* The most entries one chain walk visits (a flood of one article). */
#define WALK_MAX 256
/* Inline id bytes; idlen LONG_ID means a pointer to [len][bytes]. */
#define ID_INLINE 20
#define LONG_ID   0x7f
#define DEAD      0x80

/* One entry: 60 bytes. */
typedef struct entry {
        uint32_t sim_lo, sim_hi; /* the SimHash */
        uint32_t next[3];        /* links: lead chain, mins[0], mins[1] */
        uint32_t ts_lo;          /* ts in ms, 48 bits, two's complement */
        uint16_t ts_hi;
        uint16_t exact16; /* low 16 bits of the exact hash */
        uint16_t nterms;  /* term count, saturated at 65535 */
        uint16_t lead16;  /* low 16 bits of the lead hash */
        uint8_t  prefix[ENR_FP_LEVELS];
        uint8_t  idlen;         /* 0..ID_INLINE, LONG_ID; | DEAD */
        char     id[ID_INLINE]; /* the id, or a pointer to a long one */
} entry_t;

struct enr_dedup {
        pthread_mutex_t lock;
        int64_t         window_ms;
        size_t          max_entries;
        uint64_t        head;   /* next sequence number */
        uint64_t        tail;   /* oldest entry kept */
        size_t          live;   /* entries not dead */
        int64_t         newest; /* newest ts added */
        int             any;    /* whether newest is set */
        entry_t       **chunks; /* chunk of seq: (seq / CHUNK) % nchunks */
        size_t          nchunks, chunks_alloc;
        uint32_t       *lead_heads, *sh_heads; /* bucket heads (links) */
        uint32_t        lead_mask, sh_mask;
        size_t          long_id_bytes;
};

static uint64_t pow2_at_least(uint64_t n) {
        uint64_t p = 16;

        while (p < n)
                p <<= 1;
        return p;
}

enr_dedup_t *enr_dedup_new(int64_t window_ms, size_t max_entries) {
        enr_dedup_t *d;
        uint64_t     nl, ns;

        if (window_ms <= 0 || window_ms > ((int64_t)1 << 46) ||
            max_entries == 0 || max_entries > ENR_DEDUP_MAX_ENTRIES)
                return NULL;
        d = calloc(1, sizeof(*d));
        if (!d)
                return NULL;
        d->window_ms   = window_ms;
        d->max_entries = max_entries;
        d->nchunks     = max_entries / CHUNK + 2;
        nl             = pow2_at_least(max_entries / 4);
        ns             = pow2_at_least(max_entries / 2);
        d->lead_mask   = (uint32_t)(nl - 1);
        d->sh_mask     = (uint32_t)(ns - 1);
        d->chunks      = calloc(d->nchunks, sizeof(*d->chunks));
        d->lead_heads  = calloc(nl, sizeof(uint32_t));
        d->sh_heads    = calloc(ns, sizeof(uint32_t));
        if (!d->chunks || !d->lead_heads || !d->sh_heads ||
            pthread_mutex_init(&d->lock, NULL)) {
                free(d->chunks);
                free(d->lead_heads);
                free(d->sh_heads);
                free(d);
                return NULL;
        }
        return d;
}

static entry_t *entry_at(const enr_dedup_t *d, uint64_t seq) {
        return &d->chunks[(seq / CHUNK) % d->nchunks][seq % CHUNK];
}

static void entry_id(const entry_t *e, const char **id, size_t *len) {
        if ((e->idlen & ~DEAD) == LONG_ID) {
                const unsigned char *p;

                memcpy(&p, e->id, sizeof(p));
                *len = p[0];
                *id  = (const char *)p + 1;
        } else {
                *len = e->idlen & ~DEAD;
                *id  = e->id;
        }
}

static int64_t entry_ts(const entry_t *e) {
        uint64_t x = ((uint64_t)e->ts_hi << 32) | e->ts_lo;

        return (int64_t)(x << 16) >> 16;
}

/* Bytewise id order, a shorter prefix first. */
static int id_cmp(const char *a, size_t al, const char *b, size_t bl) {
        int c = memcmp(a, b, al < bl ? al : bl);

        if (c)
                return c;
        return al < bl ? -1 : al > bl;
}

static void free_entry_id(enr_dedup_t *d, entry_t *e) {
        if ((e->idlen & ~DEAD) == LONG_ID) {
                unsigned char *p;

                memcpy(&p, e->id, sizeof(p));
                d->long_id_bytes -= (size_t)p[0] + 1;
                free(p);
                e->idlen = DEAD;
        }
}

void enr_dedup_destroy(enr_dedup_t *d) {
        size_t i;

        if (!d)
                return;
        for (; d->tail < d->head; d->tail++)
                free_entry_id(d, entry_at(d, d->tail));
        for (i = 0; i < d->nchunks; i++)
                free(d->chunks[i]);
        free(d->chunks);
        free(d->lead_heads);
        free(d->sh_heads);
        pthread_mutex_destroy(&d->lock);
        free(d);
}

static uint32_t bucket(uint32_t key, uint32_t mask) {
        return (uint32_t)(((uint64_t)key * 0x9e3779b1u) >> 7) & mask;
}

static uint32_t make_link(uint64_t seq, unsigned k) {
        return (uint32_t)(1 + (((seq & SEQ_MASK) << 1) | k));
}

/* Decodes a link into a live sequence number; 0 when the chain ends. */
static int decode_link(const enr_dedup_t *d, uint32_t link, uint64_t *seq,
                       unsigned *k) {
        uint64_t s, last = d->head - 1;

        if (!link || d->head == d->tail)
                return 0;
        s    = (uint64_t)(link - 1) >> 1;
        *k   = (link - 1) & 1;
        *seq = last - ((last - s) & SEQ_MASK);
        return *seq >= d->tail && *seq <= last;
}

/* Rebuilds the fingerprint an entry keeps (exact and lead: 16 bits). */
static void entry_fp(const entry_t *e, enr_fingerprint_t *fp) {
        memset(fp, 0, sizeof(*fp));
        fp->simhash = ((uint64_t)e->sim_hi << 32) | e->sim_lo;
        fp->exact   = e->exact16;
        fp->nterms  = e->nterms;
        fp->lead    = e->lead16;
        memcpy(fp->prefix, e->prefix, sizeof(fp->prefix));
}

/* The query in the same reduced form. */
static void query_fp(const enr_fingerprint_t *in, enr_fingerprint_t *fp) {
        *fp        = *in;
        fp->exact  = in->exact & 0xffff;
        fp->lead   = in->lead & 0xffff;
        fp->nterms = in->nterms > 0xffff ? 0xffff : in->nterms;
}

/* A search in progress. */
typedef struct search {
        const enr_fingerprint_t *q; /* reduced query */
        const char              *id;
        size_t                   id_len;
        int64_t                  ts;
        int                      found, exact;
        double                   sim;
        uint64_t                 seq; /* best entry */
        int64_t                  best_ts;
        int                      replace; /* add(): find the same id only */
        uint64_t                 same;    /* add(): its sequence number */
        int                      has_same;
} search_t;

static void consider(enr_dedup_t *d, search_t *s, uint64_t seq) {
        entry_t          *e = entry_at(d, seq);
        enr_fingerprint_t fp;
        const char       *eid;
        size_t            elen;
        int64_t           ets;
        double            sim;
        int               ex;

        if (e->idlen & DEAD)
                return;
        entry_id(e, &eid, &elen);
        if (s->replace) {
                if (!s->has_same && id_cmp(eid, elen, s->id, s->id_len) == 0) {
                        s->has_same = 1;
                        s->same     = seq;
                }
                return;
        }
        if (id_cmp(eid, elen, s->id, s->id_len) == 0) {
                /* Not a copy of itself; remembered for check_add's add. */
                if (!s->has_same) {
                        s->has_same = 1;
                        s->same     = seq;
                }
                return;
        }
        ets = entry_ts(e);
        /* Both within 48 bits (add clamps), so the difference cannot
           overflow; a query ts far out of that range matches nothing. */
        if (ets > s->ts || s->ts - d->window_ms > ets)
                return;
        if (ets == s->ts && id_cmp(eid, elen, s->id, s->id_len) > 0)
                return;
        entry_fp(e, &fp);
        if (!enr_fingerprint_match(&fp, s->q, &sim, &ex))
                return;
        /* The earliest copy wins, so every copy of a story names the same
         * first article; at one time, exact before near, then the most
         * similar. */
        if (s->found) {
                if (ets != s->best_ts) {
                        if (ets > s->best_ts)
                                return;
                } else if (ex != s->exact) {
                        if (!ex)
                                return;
                } else if (sim != s->sim) {
                        if (sim < s->sim)
                                return;
                } else if (seq > s->seq) {
                        return;
                }
        }
        s->found   = 1;
        s->exact   = ex;
        s->sim     = sim;
        s->seq     = seq;
        s->best_ts = ets;
}

static void walk(enr_dedup_t *d, search_t *s, const uint32_t *heads, uint32_t b,
                 int lead) {
        uint32_t link = heads[b];
        uint64_t seq;
        unsigned k;
        int      n;

        for (n = 0; n < WALK_MAX && decode_link(d, link, &seq, &k); n++) {
                consider(d, s, seq);
                link = entry_at(d, seq)->next[lead ? 0 : 1 + k];
        }
}

/* Visits every candidate of fp: its lead chain and its shingle chains. */
static void search(enr_dedup_t *d, search_t *s, const enr_fingerprint_t *fp) {
        int k;

        if (fp->nterms >= ENR_FP_MIN_PREFIX_TERMS)
                walk(d, s, d->lead_heads, bucket(fp->lead, d->lead_mask), 1);
        for (k = 0; k < ENR_FP_K && fp->mins[k] != UINT32_MAX; k++)
                walk(d, s, d->sh_heads, bucket(fp->mins[k], d->sh_mask), 0);
}

/* Searches for the best earlier copy; *sp (may be NULL) receives the search,
 * with the entry of the same id if one was met. */
static int check_locked(enr_dedup_t *d, const enr_fingerprint_t *fp,
                        const char *id, size_t id_len, int64_t ts_ms,
                        enr_dup_t *out, search_t *sp) {
        enr_fingerprint_t q;
        search_t          s;

        memset(out, 0, sizeof(*out));
        memset(&s, 0, sizeof(s));
        if (sp)
                *sp = s;
        if (!fp || (!id && id_len))
                return 0;
        /* Entries hold 48-bit time stamps; beyond that nothing is near. */
        if (ts_ms > ((int64_t)1 << 47) + d->window_ms ||
            ts_ms < -((int64_t)1 << 47))
                return 0;
        query_fp(fp, &q);
        s.q      = &q;
        s.id     = id ? id : "";
        s.id_len = id_len > 255 ? 255 : id_len;
        s.ts     = ts_ms;
        search(d, &s, fp);
        if (sp)
                *sp = s;
        if (s.found) {
                const char *eid;
                size_t      elen;

                entry_id(entry_at(d, s.seq), &eid, &elen);
                if (elen >= sizeof(out->of))
                        elen = sizeof(out->of) - 1;
                memcpy(out->of, eid, elen);
                out->of[elen]   = '\0';
                out->found      = 1;
                out->exact      = s.exact;
                out->similarity = s.sim;
        }
        return out->found;
}

int enr_dedup_check(enr_dedup_t *d, const enr_fingerprint_t *fp, const char *id,
                    size_t id_len, int64_t ts_ms, enr_dup_t *out) {
        int r;

        if (!out)
                return 0;
        if (!d) {
                memset(out, 0, sizeof(*out));
                return 0;
        }
        pthread_mutex_lock(&d->lock);
        r = check_locked(d, fp, id, id_len, ts_ms, out, NULL);
        pthread_mutex_unlock(&d->lock);
        return r;
}

/* Drops the oldest entry, freeing its chunk when it was the last there. */
static void pop_tail(enr_dedup_t *d) {
        entry_t *e = entry_at(d, d->tail);

        if (!(e->idlen & DEAD))
                d->live--;
        free_entry_id(d, e);
        d->tail++;
        if (d->tail % CHUNK == 0) {
                size_t c = ((d->tail - 1) / CHUNK) % d->nchunks;

                free(d->chunks[c]);
                d->chunks[c] = NULL;
                d->chunks_alloc--;
        }
}

/* Adds an entry; pre (may be NULL) is a search already made for this fp
 * and id, whose same-id finding is reused. */
static enr_err_t add_locked(enr_dedup_t *d, const enr_fingerprint_t *fp,
                            const char *id, size_t id_len, int64_t ts_ms,
                            const search_t *pre) {
        search_t s;
        entry_t *e;
        size_t   c;
        uint64_t seq, ts48;
        uint32_t b;
        int      k;

        if (id_len > 255)
                id_len = 255;
        /* Replace an entry of the same id that the keys reach. */
        if (pre) {
                s = *pre;
        } else {
                memset(&s, 0, sizeof(s));
                s.id      = id;
                s.id_len  = id_len;
                s.replace = 1;
                search(d, &s, fp);
        }
        if (s.has_same) {
                entry_at(d, s.same)->idlen |= DEAD;
                d->live--;
        }
        if (d->head - d->tail >= d->max_entries)
                pop_tail(d);
        seq = d->head;
        c   = (seq / CHUNK) % d->nchunks;
        if (!d->chunks[c]) {
                d->chunks[c] = malloc(CHUNK * sizeof(entry_t));
                if (!d->chunks[c])
                        return ENR_ERR_NOMEM;
                d->chunks_alloc++;
        }
        e = &d->chunks[c][seq % CHUNK];
        memset(e, 0, sizeof(*e));
        if (id_len > ID_INLINE) {
                unsigned char *p = malloc(id_len + 1);

                if (!p)
                        return ENR_ERR_NOMEM;
                p[0] = (unsigned char)id_len;
                memcpy(p + 1, id, id_len);
                memcpy(e->id, &p, sizeof(p));
                e->idlen = LONG_ID;
                d->long_id_bytes += id_len + 1;
        } else {
                memcpy(e->id, id, id_len);
                e->idlen = (uint8_t)id_len;
        }
        if (ts_ms > ((int64_t)1 << 47) - 1)
                ts_ms = ((int64_t)1 << 47) - 1;
        if (ts_ms < -((int64_t)1 << 47))
                ts_ms = -((int64_t)1 << 47);
        ts48       = (uint64_t)ts_ms & 0xffffffffffffULL;
        e->ts_lo   = (uint32_t)ts48;
        e->ts_hi   = (uint16_t)(ts48 >> 32);
        e->sim_lo  = (uint32_t)fp->simhash;
        e->sim_hi  = (uint32_t)(fp->simhash >> 32);
        e->exact16 = (uint16_t)fp->exact;
        e->nterms  = (uint16_t)(fp->nterms > 0xffff ? 0xffff : fp->nterms);
        e->lead16  = (uint16_t)fp->lead;
        memcpy(e->prefix, fp->prefix, sizeof(e->prefix));
        if (fp->nterms >= ENR_FP_MIN_PREFIX_TERMS) {
                b                = bucket(fp->lead, d->lead_mask);
                e->next[0]       = d->lead_heads[b];
                d->lead_heads[b] = make_link(seq, 0);
        }
        for (k = 0; k < 2 && fp->mins[k] != UINT32_MAX; k++) {
                b              = bucket(fp->mins[k], d->sh_mask);
                e->next[1 + k] = d->sh_heads[b];
                d->sh_heads[b] = make_link(seq, (unsigned)k);
        }
        d->head++;
        d->live++;
        if (!d->any || ts_ms > d->newest)
                d->newest = ts_ms;
        d->any = 1;
        while (d->tail < d->head &&
               entry_ts(entry_at(d, d->tail)) < d->newest - d->window_ms)
                pop_tail(d);
        return ENR_OK;
}

enr_err_t enr_dedup_add(enr_dedup_t *d, const enr_fingerprint_t *fp,
                        const char *id, size_t id_len, int64_t ts_ms) {
        enr_err_t err;

        if (!d || !fp || (!id && id_len))
                return ENR_ERR_INVALID_ARG;
        pthread_mutex_lock(&d->lock);
        err = add_locked(d, fp, id ? id : "", id_len, ts_ms, NULL);
        pthread_mutex_unlock(&d->lock);
        return err;
}

int enr_dedup_check_add(enr_dedup_t *d, const enr_fingerprint_t *fp,
                        const char *id, size_t id_len, int64_t ts_ms,
                        enr_dup_t *out) {
        search_t s;
        int      r;

        if (!out)
                return 0;
        if (!d || !fp || (!id && id_len)) {
                memset(out, 0, sizeof(*out));
                return 0;
        }
        pthread_mutex_lock(&d->lock);
        r = check_locked(d, fp, id, id_len, ts_ms, out, &s);
        (void)add_locked(d, fp, id ? id : "", id_len, ts_ms, &s);
        pthread_mutex_unlock(&d->lock);
        return r;
}

size_t enr_dedup_size(const enr_dedup_t *d) {
        enr_dedup_t *m = (enr_dedup_t *)d;
        size_t       n;

        if (!d)
                return 0;
        pthread_mutex_lock(&m->lock);
        n = d->live;
        pthread_mutex_unlock(&m->lock);
        return n;
}

size_t enr_dedup_memory(const enr_dedup_t *d) {
        enr_dedup_t *m = (enr_dedup_t *)d;
        size_t       n;

        if (!d)
                return 0;
        pthread_mutex_lock(&m->lock);
        n = sizeof(*d) + d->nchunks * sizeof(*d->chunks) +
            ((size_t)d->lead_mask + 1 + (size_t)d->sh_mask + 1) *
                sizeof(uint32_t) +
            d->chunks_alloc * CHUNK * sizeof(entry_t) + d->long_id_bytes;
        pthread_mutex_unlock(&m->lock);
        return n;
}
