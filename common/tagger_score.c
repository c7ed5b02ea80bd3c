/*
 * The tagger on CoNLL documents: rebuilding a document's text so it is
 * tokenised as an article would be, its gold spans, tagging it, and the
 * exact-span precision, recall and F1 per type that evaluation and
 * training report.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enricher/log.h"
#include "tagger_int.h"

enr_err_t enr__tagger_conll_text(enr_tagger_scratch_t  *s,
                                 const enr_conll_doc_t *doc) {
        size_t    len = 0, o = 0, si = 0;
        enr_err_t err;

        if (doc->ntoks > ENR_TAGGER_MAX_TOKENS)
                return ENR_ERR_LIMIT;
        for (uint32_t i = 0; i < doc->ntoks; i++)
                len += strlen(doc->toks[i]) + 1;
        if (enr_grow((void **)&s->syn_s, &s->syn_cap, len + 1, 1, 256) ||
            enr_grow((void **)&s->syn_off, &s->syn_off_cap, doc->ntoks + 1,
                     sizeof(*s->syn_off), 256))
                return ENR_ERR_NOMEM;
        /* The text enr_conll_text() makes: tokens joined by spaces,
         * sentences by newlines. */
        for (uint32_t i = 0; i < doc->ntoks; i++) {
                size_t n   = strlen(doc->toks[i]);
                bool   brk = false;
                while (si < doc->nsents && doc->sent_end[si] <= i) {
                        si++;
                        brk = true;
                }
                if (i > 0)
                        s->syn_s[o++] = brk ? '\n' : ' ';
                s->syn_off[i] = (uint32_t)o;
                memcpy(s->syn_s + o, doc->toks[i], n);
                o += n;
        }
        s->syn_off[doc->ntoks] = (uint32_t)o;
        s->syn_s[o]            = '\0';
        s->syn_ntoks           = doc->ntoks;
        err = enr_text_analyze(&s->syn, s->syn_s, o, ENR_TAGGER_MAX_TOKENS,
                               NULL, 0);
        return err;
}

/* The CoNLL token starting at byte b (end: ending at b), or -1. */
static int64_t conll_tok_at(const enr_tagger_scratch_t *s,
                            const enr_conll_doc_t *doc, uint32_t b, bool end) {
        size_t lo = 0, hi = s->syn_ntoks;
        while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                if (s->syn_off[mid] <= b)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        /* lo - 1 is the last token starting at or before b. */
        if (lo == 0)
                return -1;
        size_t k = lo - 1;
        if (!end)
                return s->syn_off[k] == b ? (int64_t)k : -1;
        /* For an end, the token must end exactly at b. */
        if (s->syn_off[k] + strlen(doc->toks[k]) == b)
                return (int64_t)k;
        if (k > 0 && s->syn_off[k - 1] + strlen(doc->toks[k - 1]) == b)
                return (int64_t)(k - 1);
        return -1;
}

enr_err_t enr__tagger_gold(const enr_tagger_scratch_t *s,
                           const enr_conll_doc_t *doc, uint8_t *g) {
        const enr_text_t *t = &s->syn;
        size_t            j = 0;

        memset(g, 0, t->ntoks);
        for (uint32_t k = 0; k < doc->nspans; k++) {
                const enr_conll_span_t *sp = &doc->spans[k];
                int                     ty = enr__tagger_type_parse(sp->type);
                if (ty < 0 || sp->start >= sp->end || sp->end > doc->ntoks)
                        continue;
                uint32_t bs = s->syn_off[sp->start];
                uint32_t be = s->syn_off[sp->end - 1] +
                              (uint32_t)strlen(doc->toks[sp->end - 1]);
                while (j < t->ntoks && t->toks[j].start < bs)
                        j++;
                size_t a = j;
                while (j < t->ntoks && t->toks[j].end <= be)
                        j++;
                if (j == a)
                        continue;
                if (j - a == 1) {
                        g[a] = ENR__TG_TAG(ty, ENR__TG_U);
                        continue;
                }
                g[a] = ENR__TG_TAG(ty, ENR__TG_B);
                for (size_t i = a + 1; i + 1 < j; i++)
                        g[i] = ENR__TG_TAG(ty, ENR__TG_I);
                g[j - 1] = ENR__TG_TAG(ty, ENR__TG_L);
        }
        return ENR_OK;
}

enr_err_t enr_tagger_tag_conll(const enr_tagger_t *tg, enr_tagger_scratch_t *s,
                               const enr_conll_doc_t    *doc,
                               const enr_tagger_span_t **spans,
                               size_t                   *nspans) {
        enr_err_t err = enr__tagger_conll_text(s, doc);
        if (err)
                return err;
        if ((err = enr_tagger_tag(tg, s, &s->syn, spans, nspans)))
                return err;
        /* Back to CoNLL token indices; a span cutting a CoNLL token is
         * kept, widened, but marked as not aligned. */
        for (size_t i = 0; i < *nspans; i++) {
                enr_tagger_span_t *sp = &s->spans[i];
                uint32_t           bs = s->syn.toks[sp->start].start;
                uint32_t           be = s->syn.toks[sp->end - 1].end;
                int64_t            a  = conll_tok_at(s, doc, bs, false);
                int64_t            b  = conll_tok_at(s, doc, be, true);
                sp->aligned           = a >= 0 && b >= 0 && b >= a;
                if (!sp->aligned) {
                        size_t k = 0;
                        while (k + 1 < doc->ntoks && s->syn_off[k + 1] <= bs)
                                k++;
                        a = (int64_t)k;
                        while (k + 1 < doc->ntoks && s->syn_off[k + 1] < be)
                                k++;
                        b = (int64_t)k;
                }
                sp->start = (uint32_t)a;
                sp->end   = (uint32_t)b + 1;
        }
        return ENR_OK;
}

void enr__tagger_score_doc(enr_tagger_score_t *sc, const enr_tagger_span_t *sp,
                           size_t nsp, const enr_conll_doc_t *doc) {
        size_t j = 0;
        /* Both lists are in token order and do not overlap. */
        for (size_t i = 0; i < nsp; i++) {
                int  ty    = sp[i].type;
                bool match = false;
                while (j < doc->nspans && doc->spans[j].end <= sp[i].start)
                        j++;
                for (size_t k = j;
                     k < doc->nspans && doc->spans[k].start < sp[i].end; k++) {
                        if (sp[i].aligned &&
                            doc->spans[k].start == sp[i].start &&
                            doc->spans[k].end == sp[i].end &&
                            enr__tagger_type_parse(doc->spans[k].type) == ty)
                                match = true;
                }
                if (match)
                        sc->tp[ty]++;
                else
                        sc->fp[ty]++;
        }
        for (size_t k = 0; k < doc->nspans; k++) {
                int ty = enr__tagger_type_parse(doc->spans[k].type);
                if (ty >= 0)
                        sc->fn[ty]++;
        }
        sc->tokens += doc->ntoks;
}

static double f1_of(uint64_t tp, uint64_t fp, uint64_t fn, double *p,
                    double *r) {
        double pp = tp + fp ? 100.0 * tp / (tp + fp) : 0;
        double rr = tp + fn ? 100.0 * tp / (tp + fn) : 0;
        if (p)
                *p = pp;
        if (r)
                *r = rr;
        return pp + rr > 0 ? 2 * pp * rr / (pp + rr) : 0;
}

void enr__tagger_score_finish(enr_tagger_score_t *sc) {
        uint64_t tp = 0, fp = 0, fn = 0;
        /* fn counted every gold span; true positives are not misses. */
        for (int ty = 0; ty < ENR__TG_NTYPES; ty++) {
                sc->fn[ty] -= sc->tp[ty] <= sc->fn[ty] ? sc->tp[ty] : 0;
                sc->f1[ty] =
                    f1_of(sc->tp[ty], sc->fp[ty], sc->fn[ty], NULL, NULL);
                tp += sc->tp[ty];
                fp += sc->fp[ty];
                fn += sc->fn[ty];
        }
        sc->f1_all = f1_of(tp, fp, fn, &sc->precision, &sc->recall);
}

enr_err_t enr_tagger_evaluate(const enr_tagger_t *tg, const enr_conll_t *c,
                              enr_tagger_score_t *score) {
        enr_tagger_scratch_t *s   = enr_tagger_scratch_new(tg);
        enr_err_t             err = ENR_OK;

        memset(score, 0, sizeof(*score));
        if (!s)
                return ENR_ERR_NOMEM;
        for (size_t d = 0; d < c->ndocs; d++) {
                const enr_tagger_span_t *sp;
                size_t                   nsp;
                if ((err = enr_tagger_tag_conll(tg, s, &c->docs[d], &sp, &nsp)))
                        goto out;
                enr__tagger_score_doc(score, sp, nsp, &c->docs[d]);
        }
        enr__tagger_score_finish(score);
out:
        enr_tagger_scratch_destroy(s);
        return err;
}
