/*
 * Fuzz target: the CoNLL reader, the text rebuilt from its documents and
 * the scorer. Gold spans must lie within their document and in order; the
 * rebuilt text must place each token at its offset; scoring a document
 * against itself must give no errors.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "enricher/conll.h"
#include "enricher/eval.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        char              errstr[256];
        enr_conll_t      *c;
        enr_eval_t       *ev;
        enr_eval_counts_t all;
        size_t            d;

        c = enr_conll_parse((const char *)data, size, errstr, sizeof(errstr));
        if (!c)
                return 0;
        ev = enr_eval_new();
        if (!ev)
                abort();
        for (d = 0; d < c->ndocs; d++) {
                const enr_conll_doc_t *doc = &c->docs[d];
                uint32_t              *off = malloc((doc->ntoks + 1) * 4);
                enr_eval_span_t *sp = malloc((doc->nspans + 1) * sizeof(*sp));
                size_t           len, k;
                char            *text;

                if (!off || !sp)
                        abort();
                text = enr_conll_text(doc, off, &len);
                if (!text || strlen(text) != len)
                        abort();
                for (k = 0; k < doc->ntoks; k++) {
                        size_t n = strlen(doc->toks[k]);

                        if (off[k] + n > len ||
                            memcmp(text + off[k], doc->toks[k], n) != 0)
                                abort();
                }
                for (k = 0; k < doc->nsents; k++)
                        if (doc->sent_end[k] > doc->ntoks ||
                            (k && doc->sent_end[k] <= doc->sent_end[k - 1]))
                                abort();
                for (k = 0; k < doc->nspans; k++) {
                        const enr_conll_span_t *s = &doc->spans[k];

                        if (s->start >= s->end || s->end > doc->ntoks ||
                            (k && s->start < doc->spans[k - 1].end))
                                abort();
                        sp[k].start = off[s->start];
                        sp[k].end   = off[s->end - 1] +
                                    (uint32_t)strlen(doc->toks[s->end - 1]);
                        sp[k].type = s->type;
                }
                if (enr_eval_add_doc(ev, sp, doc->nspans, sp, doc->nspans, text,
                                     len) == ENR_ERR_NOMEM)
                        abort();
                free(text);
                free(sp);
                free(off);
        }
        all = enr_eval_overall(ev);
        if (all.fp || all.fn)
                abort();
        enr_eval_destroy(ev);
        enr_conll_destroy(c);
        return 0;
}
