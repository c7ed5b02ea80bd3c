/*
 * Decoding for the tagger: the BILOU transition constraints, constrained
 * Viterbi over one segment (vectorised over tags), the confidence margins
 * of the decoded tags, the decoded spans, and enr_tagger_tag(), which runs
 * one or two passes of the model over a text.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enricher/log.h"
#include "tagger_int.h"

bool enr__tagger_allowed(unsigned prev, unsigned cur) {
        bool prev_open = prev != ENR__TG_NTAGS && prev != 0 &&
                         (ENR__TG_PART(prev) == ENR__TG_B ||
                          ENR__TG_PART(prev) == ENR__TG_I);
        if (prev_open)
                return cur != 0 && ENR__TG_TYPE(cur) == ENR__TG_TYPE(prev) &&
                       (ENR__TG_PART(cur) == ENR__TG_I ||
                        ENR__TG_PART(cur) == ENR__TG_L);
        return cur == 0 || ENR__TG_PART(cur) == ENR__TG_B ||
               ENR__TG_PART(cur) == ENR__TG_U;
}

bool enr__tagger_final(unsigned tag) {
        return tag == 0 || ENR__TG_PART(tag) == ENR__TG_L ||
               ENR__TG_PART(tag) == ENR__TG_U;
}

/* Tags rounded up to whole vectors of four floats, for the decoder. */
#define TG_NV  ((ENR__TG_NTAGS + 3) / 4)
#define TG_NTP (TG_NV * 4)

/* Four floats or four integers (GCC and clang vector extensions). */
typedef float   tg_v4f __attribute__((vector_size(16)));
typedef int32_t tg_v4i __attribute__((vector_size(16)));

void enr__tagger_viterbi(enr_tagger_scratch_t *s, const float *trans, size_t a,
                         size_t b) {
        const unsigned NT  = ENR__TG_NTAGS;
        const float    NEG = -1e30f;
        /* The transitions with the ones BILOU forbids at NEG, rows padded:
         * the inner loop then runs over all tags four at a time without a
         * branch. A forbidden step scores at most NEG (the scores are far
         * smaller than NEG's precision), so it never beats the NEG a
         * maximum starts from: the result is the same as visiting only
         * the allowed predecessors, in the same order. */
        union {
                tg_v4f v[TG_NV];
                float  f[TG_NTP];
        } tm[ENR__TG_NTAGS];

        if (a >= b)
                return;
        for (unsigned p = 0; p < NT; p++)
                for (unsigned c = 0; c < TG_NTP; c++)
                        tm[p].f[c] = c < NT && enr__tagger_allowed(p, c)
                                         ? trans[p * NT + c]
                                         : NEG;
        for (unsigned c = 0; c < NT; c++)
                s->vs[a * NT + c] = enr__tagger_allowed(NT, c)
                                        ? trans[NT * NT + c] + s->em[a * NT + c]
                                        : NEG;
        for (size_t i = a + 1; i < b; i++) {
                const float *prev = &s->vs[(i - 1) * NT];
                union {
                        tg_v4f v[TG_NV];
                        float  f[TG_NTP];
                } best;
                union {
                        tg_v4i  v[TG_NV];
                        int32_t i[TG_NTP];
                } arg;

                for (unsigned k = 0; k < TG_NV; k++) {
                        best.v[k] = (tg_v4f){NEG, NEG, NEG, NEG};
                        arg.v[k]  = (tg_v4i){0, 0, 0, 0};
                }
                for (unsigned p = 0; p < NT; p++) {
                        const float  pv = prev[p];
                        const tg_v4i pp = {(int32_t)p, (int32_t)p, (int32_t)p,
                                           (int32_t)p};

                        if (pv <= NEG)
                                continue;
                        for (unsigned k = 0; k < TG_NV; k++) {
                                tg_v4f v  = pv + tm[p].v[k];
                                tg_v4i gt = v > best.v[k];
                                best.v[k] = (tg_v4f)(((tg_v4i)v & gt) |
                                                     ((tg_v4i)best.v[k] & ~gt));
                                arg.v[k]  = (pp & gt) | (arg.v[k] & ~gt);
                        }
                }
                for (unsigned c = 0; c < NT; c++) {
                        s->vs[i * NT + c] = best.f[c] <= NEG
                                                ? NEG
                                                : best.f[c] + s->em[i * NT + c];
                        s->bp[i * NT + c] = (uint8_t)arg.i[c];
                }
        }
        float   best = NEG;
        uint8_t arg  = 0;
        for (unsigned c = 0; c < NT; c++)
                if (enr__tagger_final(c) && s->vs[(b - 1) * NT + c] > best) {
                        best = s->vs[(b - 1) * NT + c];
                        arg  = (uint8_t)c;
                }
        for (size_t i = b; i-- > a;) {
                s->tags[i] = arg;
                if (i > a)
                        arg = s->bp[i * NT + arg];
        }
}

enr_err_t enr__tagger_spans(enr_tagger_scratch_t *s, size_t n, size_t *nspans) {
        size_t ns = 0;
        for (size_t i = 0; i < n; i++) {
                unsigned tag = s->tags[i];
                if (tag == 0 || (ENR__TG_PART(tag) != ENR__TG_B &&
                                 ENR__TG_PART(tag) != ENR__TG_U))
                        continue;
                size_t j = i + 1;
                float  m = s->margin[i];
                if (ENR__TG_PART(tag) == ENR__TG_B) {
                        while (j < n && s->tags[j] != 0 &&
                               ENR__TG_TYPE(s->tags[j]) == ENR__TG_TYPE(tag) &&
                               (ENR__TG_PART(s->tags[j]) == ENR__TG_I ||
                                ENR__TG_PART(s->tags[j]) == ENR__TG_L)) {
                                if (s->margin[j] < m)
                                        m = s->margin[j];
                                j++;
                                if (ENR__TG_PART(s->tags[j - 1]) == ENR__TG_L)
                                        break;
                        }
                }
                if (enr_grow((void **)&s->spans, &s->spans_cap, ns + 1,
                             sizeof(*s->spans), 256))
                        return ENR_ERR_NOMEM;
                s->spans[ns].start = (uint32_t)i;
                s->spans[ns].end   = (uint32_t)j;
                s->spans[ns].type  = (uint8_t)ENR__TG_TYPE(tag);
                /* Calibrated on CoNLL-2003 dev for the shipped model: a
                 * span's score is about the precision of spans with its
                 * margin (margin 5: 0.5, 45: 0.8, 95: 0.96). */
                s->spans[ns].score = 1.0f / (1.0f + expf(-(m - 5.0f) / 29.0f));
                s->spans[ns].aligned = 1;
                ns++;
                i = j - 1;
        }
        *nspans = ns;
        return ENR_OK;
}

/*
 * Confidence of the decoded tags of segment [a, b): for each token tagged
 * other than O, the best score of a whole path through a tag of the
 * decoded type (B, I, L or U of PER, say) minus the best through any other
 * type or O (max-marginals, from the forward scores in s->vs and a
 * backward pass).
 */
static void max_margins(enr_tagger_scratch_t *s, const float *trans, size_t a,
                        size_t b) {
        const unsigned NT  = ENR__TG_NTAGS;
        const float    NEG = -1e30f;
        float         *bw  = s->bw;

        /* Only the tokens of spans need a margin (enr__tagger_spans reads
         * no other): a segment without one needs no backward pass, and
         * the pass stops at its first span token. */
        while (a < b && s->tags[a] == 0)
                a++;
        if (a >= b)
                return;
        for (unsigned c = 0; c < NT; c++)
                bw[(b - 1) * NT + c] = enr__tagger_final(c) ? 0 : NEG;
        for (size_t i = b - 1; i-- > a;) {
                const float *next = &bw[(i + 1) * NT];
                const float *em   = &s->em[(i + 1) * NT];
                for (unsigned c = 0; c < NT; c++) {
                        float best = NEG;
                        for (unsigned k = 0; k < s->n_next[c]; k++) {
                                unsigned n = s->next_of[c][k];
                                if (next[n] <= NEG)
                                        continue;
                                float v = trans[c * NT + n] + em[n] + next[n];
                                if (v > best)
                                        best = v;
                        }
                        bw[i * NT + c] = best;
                }
        }
        for (size_t i = a; i < b; i++) {
                unsigned tag  = s->tags[i];
                float    mine = NEG, other = NEG;

                if (tag == 0)
                        continue;
                for (unsigned c = 0; c < NT; c++) {
                        float f = s->vs[i * NT + c], r = bw[i * NT + c];
                        float v    = f <= NEG || r <= NEG ? NEG : f + r;
                        bool  same = tag == 0 ? c == 0
                                              : c != 0 && ENR__TG_TYPE(c) ==
                                                             ENR__TG_TYPE(tag);
                        if (same && v > mine)
                                mine = v;
                        if (!same && v > other)
                                other = v;
                }
                s->margin[i] = other <= NEG ? 1e6f : mine - other;
        }
}

/* How many tokens ahead the weight rows are prefetched. */
#define TAGGER_PREFETCH 2

/* Adds a row of weights to the sums. */
static inline void add_row(int32_t *restrict acc, const int16_t *restrict w) {
        for (unsigned c = 0; c < ENR__TG_NTAGS; c++)
                acc[c] += w[c];
}

/* GCC's unroll-and-jam (-O3) would fuse two features' rows into one scalar
 * loop over the tags: twice the instructions of adding each row in whole
 * vectors. */
#if defined(__GNUC__) && !defined(__clang__)
#define TG_NO_JAM __attribute__((optimize("no-loop-unroll-and-jam")))
#else
#define TG_NO_JAM
#endif

/* Computes the emissions of one pass and decodes every sentence. */
static TG_NO_JAM void run_pass(const enr_tagger_t *tg, enr_tagger_scratch_t *s,
                               const enr_text_t *t, unsigned pass,
                               bool margins) {
        const unsigned           NT = ENR__TG_NTAGS;
        const enr__tg_weights_t *wp = &tg->pass[pass];
        /* enr__tg_row() with the pointers held in registers (its calls
         * reload them: 0.6 % more instructions an article). */
        const int16_t *restrict rows = wp->rows;
        const uint32_t *restrict idx = wp->idx;
        uint32_t f[ENR__TG_MAXF];
        float    trans[(ENR__TG_NTAGS + 1) * ENR__TG_NTAGS];
        float    inv = 1.0f / wp->scale;

        for (size_t i = 0; i < (NT + 1) * NT; i++)
                trans[i] = wp->trans[i] * inv;
        /* The first pass computes the base features of every token once
         * (the second reuses them and adds the stacked ones), before any
         * summing, so that the weight rows of the tokens ahead can be
         * prefetched: the tables are far larger than the caches, and the
         * loads, not the additions, are what tagging waits for. */
        if (pass == 0)
                for (size_t i = 0; i < t->ntoks; i++)
                        s->fcount[i] = (uint8_t)enr__tagger_features(
                            s, t, i, tg->fs, 0, tg->seed, tg->log2,
                            s->fcache + i * ENR__TG_MAXF);
        for (size_t i = 0; i < t->ntoks; i++) {
                int32_t         acc[ENR__TG_NTAGS] = {0};
                const uint32_t *base = s->fcache + i * ENR__TG_MAXF;
                size_t          nb = s->fcount[i], nf = 0;

                if (i + TAGGER_PREFETCH < t->ntoks) {
                        const uint32_t *ahead =
                            s->fcache + (i + TAGGER_PREFETCH) * ENR__TG_MAXF;
                        for (size_t j = 0; j < s->fcount[i + TAGGER_PREFETCH];
                             j++) {
                                const int16_t *w =
                                    rows + (size_t)idx[ahead[j]] * NT;
                                __builtin_prefetch(w);
                                __builtin_prefetch(w + NT - 1);
                        }
                }
                if (pass > 0)
                        nf = enr__tagger_features(s, t, i, tg->fs,
                                                  ENR__TG_STACK_ONLY, tg->seed,
                                                  tg->log2, f);
                for (size_t j = 0; j < nb; j++)
                        add_row(acc, rows + (size_t)idx[base[j]] * NT);
                for (size_t j = 0; j < nf; j++)
                        add_row(acc, rows + (size_t)idx[f[j]] * NT);
                for (unsigned c = 0; c < NT; c++)
                        s->em[i * NT + c] = (float)acc[c] * inv;
        }
        for (size_t si = 0; si < s->nseg; si++) {
                enr__tagger_viterbi(s, trans, s->seg[si].tok_start,
                                    s->seg[si].tok_end);
                if (margins)
                        max_margins(s, trans, s->seg[si].tok_start,
                                    s->seg[si].tok_end);
        }
}

enr_err_t enr_tagger_tag(const enr_tagger_t *tg, enr_tagger_scratch_t *s,
                         const enr_text_t *t, const enr_tagger_span_t **spans,
                         size_t *nspans) {
        enr_err_t err;

        *spans  = NULL;
        *nspans = 0;
        if ((err = enr__tagger_prepare(s, t, tg->g, tg->fs, tg)))
                return err;
        run_pass(tg, s, t, 0, tg->npass == 1);
        if (tg->npass > 1) {
                enr__tagger_aggregate(s, t->ntoks);
                run_pass(tg, s, t, 1, true);
        }
        if ((err = enr__tagger_spans(s, t->ntoks, nspans)))
                return err;
        *spans = s->spans;
        return ENR_OK;
}
