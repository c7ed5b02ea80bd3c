/*
 * The scorer behind `enricher eval`: exact-match precision, recall and F1
 * per type (conlleval's rules) over gold and predicted spans of many
 * documents, and a classification of the errors by what went wrong
 * (confused type, wrong boundary, missed, spurious) with a few examples of
 * each, quoted from the document text.
 *
 * Per document the spans are sorted and matched by a merge; the unmatched
 * ones are then compared pairwise for overlaps, which is quadratic only in
 * the number of errors of one document.
 */
#include <stdlib.h>
#include <string.h>

#include "enricher/eval.h"

/* The most error classes kept: every pair of types for three kinds, plus
 * the missed and spurious of each type. */
#define EVAL_MAX_ERRORS (3 * ENR_EVAL_MAX_TYPES * ENR_EVAL_MAX_TYPES + 64)

/* The longest quotation of a span in an example. */
#define EVAL_QUOTE_MAX 60

struct enr_eval {
        char             *types[ENR_EVAL_MAX_TYPES]; /* Owned names. */
        enr_eval_counts_t counts[ENR_EVAL_MAX_TYPES];
        size_t            ntypes;
        const char       *sorted[ENR_EVAL_MAX_TYPES]; /* For callers. */
        enr_eval_error_t *errors; /* Error classes, sorted on demand. */
        size_t            nerrors, errors_cap;
        int               errors_sorted;
        size_t            ndocs;
        /* Per-document work arrays, reused. */
        enr_eval_span_t *g, *p;
        int             *gtype, *ptype; /* Type indices. */
        uint8_t         *gmatch, *pmatch;
        size_t           work_cap;
};

enr_eval_t *enr_eval_new(void) {
        return calloc(1, sizeof(enr_eval_t));
}

void enr_eval_destroy(enr_eval_t *ev) {
        size_t i;

        if (!ev)
                return;
        for (i = 0; i < ev->ntypes; i++)
                free(ev->types[i]);
        free(ev->errors);
        free(ev->g);
        free(ev->p);
        free(ev->gtype);
        free(ev->ptype);
        free(ev->gmatch);
        free(ev->pmatch);
        free(ev);
}

/* The index of type, added when new; -1 when the table is full, -2 when out
 * of memory. */
static int type_index(enr_eval_t *ev, const char *type) {
        size_t i;

        for (i = 0; i < ev->ntypes; i++)
                if (!strcmp(ev->types[i], type))
                        return (int)i;
        if (ev->ntypes == ENR_EVAL_MAX_TYPES)
                return -1;
        ev->types[ev->ntypes] = strdup(type);
        if (!ev->types[ev->ntypes])
                return -2;
        return (int)ev->ntypes++;
}

enr_err_t enr_eval_add_type(enr_eval_t *ev, const char *type) {
        int t = type_index(ev, type);

        if (t == -1)
                return ENR_ERR_LIMIT;
        return t < 0 ? ENR_ERR_NOMEM : ENR_OK;
}

static int work_reserve(enr_eval_t *ev, size_t n) {
        size_t ncap;
        void  *a, *b, *c, *d, *e, *f;

        if (n <= ev->work_cap)
                return 0;
        ncap = ev->work_cap ? ev->work_cap : 64;
        while (ncap < n)
                ncap *= 2;
        a = realloc(ev->g, ncap * sizeof(*ev->g));
        if (a)
                ev->g = a;
        b = realloc(ev->p, ncap * sizeof(*ev->p));
        if (b)
                ev->p = b;
        c = realloc(ev->gtype, ncap * sizeof(int));
        if (c)
                ev->gtype = c;
        d = realloc(ev->ptype, ncap * sizeof(int));
        if (d)
                ev->ptype = d;
        e = realloc(ev->gmatch, ncap);
        if (e)
                ev->gmatch = e;
        f = realloc(ev->pmatch, ncap);
        if (f)
                ev->pmatch = f;
        if (!a || !b || !c || !d || !e || !f)
                return -1;
        ev->work_cap = ncap;
        return 0;
}

static int span_cmp(const void *x, const void *y) {
        const enr_eval_span_t *a = x, *b = y;
        int                    c;

        if (a->start != b->start)
                return a->start < b->start ? -1 : 1;
        if (a->end != b->end)
                return a->end < b->end ? -1 : 1;
        c = strcmp(a->type, b->type);
        return c;
}

/* Quotes text[start, end) into buf, newlines flattened, long spans cut. */
static void quote(char *buf, size_t size, const char *text, size_t text_len,
                  uint32_t start, uint32_t end) {
        size_t i, n = 0;

        if (!text || end > text_len || start > end) {
                snprintf(buf, size, "[%u,%u)", start, end);
                return;
        }
        for (i = start; i < end && n + 4 < size; i++) {
                char ch = text[i];

                if (i - start >= EVAL_QUOTE_MAX &&
                    ((unsigned char)ch & 0xC0) != 0x80) {
                        memcpy(buf + n, "...", 3);
                        n += 3;
                        break;
                }
                buf[n++] = (ch == '\n' || ch == '\r' || ch == '\t') ? ' ' : ch;
        }
        buf[n] = '\0';
}

/* Records one error of class (kind, gold type, predicted type). */
static int add_error(enr_eval_t *ev, enr_eval_error_kind_t kind, int gt, int pt,
                     uint64_t cost, const char *text, size_t text_len,
                     const enr_eval_span_t *g, const enr_eval_span_t *p) {
        const char       *gname = gt >= 0 ? ev->types[gt] : NULL;
        const char       *pname = pt >= 0 ? ev->types[pt] : NULL;
        enr_eval_error_t *e     = NULL;
        size_t            i;

        for (i = 0; i < ev->nerrors; i++) {
                enr_eval_error_t *x = &ev->errors[i];

                if (x->kind == kind && x->gold_type == gname &&
                    x->pred_type == pname) {
                        e = x;
                        break;
                }
        }
        if (!e) {
                if (ev->nerrors == EVAL_MAX_ERRORS)
                        return 0;
                if (ev->nerrors == ev->errors_cap) {
                        size_t ncap = ev->errors_cap ? ev->errors_cap * 2 : 16;
                        enr_eval_error_t *ne =
                            realloc(ev->errors, ncap * sizeof(*ne));

                        if (!ne)
                                return -1;
                        ev->errors     = ne;
                        ev->errors_cap = ncap;
                }
                e = &ev->errors[ev->nerrors++];
                memset(e, 0, sizeof(*e));
                e->kind      = kind;
                e->gold_type = gname;
                e->pred_type = pname;
        }
        ev->errors_sorted = 0;
        e->count++;
        e->cost += cost;
        if (e->nexamples < ENR_EVAL_MAX_EXAMPLES) {
                char  gq[EVAL_QUOTE_MAX + 8], pq[EVAL_QUOTE_MAX + 8];
                char *ex = e->examples[e->nexamples++];

                if (g)
                        quote(gq, sizeof(gq), text, text_len, g->start, g->end);
                if (p)
                        quote(pq, sizeof(pq), text, text_len, p->start, p->end);
                if (g && p && kind != ENR_EVAL_ERR_TYPE)
                        snprintf(ex, sizeof(e->examples[0]),
                                 "gold \"%s\" / predicted \"%s\"", gq, pq);
                else
                        snprintf(ex, sizeof(e->examples[0]), "\"%s\"",
                                 g ? gq : pq);
        }
        return 0;
}

static int overlaps(const enr_eval_span_t *a, const enr_eval_span_t *b) {
        return a->start < b->end && b->start < a->end;
}

enr_err_t enr_eval_add_doc(enr_eval_t *ev, const enr_eval_span_t *gold,
                           size_t ngold, const enr_eval_span_t *pred,
                           size_t npred, const char *text, size_t text_len) {
        size_t i, j, np = 0;

        if (work_reserve(ev, ngold > npred ? ngold : npred))
                return ENR_ERR_NOMEM;
        for (i = 0; i < ngold; i++)
                if (gold[i].end < gold[i].start || !gold[i].type)
                        return ENR_ERR_INVALID_ARG;
        for (i = 0; i < npred; i++)
                if (pred[i].end < pred[i].start || !pred[i].type)
                        return ENR_ERR_INVALID_ARG;
        if (ngold) {
                memcpy(ev->g, gold, ngold * sizeof(*gold));
                qsort(ev->g, ngold, sizeof(*ev->g), span_cmp);
        }
        if (npred) {
                memcpy(ev->p, pred, npred * sizeof(*pred));
                qsort(ev->p, npred, sizeof(*ev->p), span_cmp);
        }
        /* Drop duplicate predictions. */
        for (i = 0; i < npred; i++)
                if (np == 0 || span_cmp(&ev->p[np - 1], &ev->p[i]) != 0)
                        ev->p[np++] = ev->p[i];
        for (i = 0; i < ngold; i++) {
                int t = type_index(ev, ev->g[i].type);

                if (t < 0)
                        return t == -1 ? ENR_ERR_LIMIT : ENR_ERR_NOMEM;
                ev->gtype[i]  = t;
                ev->gmatch[i] = 0;
        }
        for (i = 0; i < np; i++) {
                int t = type_index(ev, ev->p[i].type);

                if (t < 0)
                        return t == -1 ? ENR_ERR_LIMIT : ENR_ERR_NOMEM;
                ev->ptype[i]  = t;
                ev->pmatch[i] = 0;
        }
        /* Exact matches by a merge of the two sorted lists. */
        for (i = 0, j = 0; i < ngold && j < np;) {
                int c = span_cmp(&ev->g[i], &ev->p[j]);

                if (c == 0) {
                        ev->gmatch[i] = ev->pmatch[j] = 1;
                        ev->counts[ev->gtype[i]].tp++;
                        i++;
                        j++;
                } else if (c < 0) {
                        i++;
                } else {
                        j++;
                }
        }
        for (i = 0; i < ngold; i++)
                if (!ev->gmatch[i])
                        ev->counts[ev->gtype[i]].fn++;
        for (j = 0; j < np; j++)
                if (!ev->pmatch[j])
                        ev->counts[ev->ptype[j]].fp++;
        /* Classify the errors: each unmatched gold span is explained by the
         * first unmatched prediction overlapping it (which is then used up),
         * and the rest are missed or spurious. */
        for (i = 0; i < ngold; i++) {
                const enr_eval_span_t *g    = &ev->g[i];
                size_t                 best = np;

                if (ev->gmatch[i])
                        continue;
                for (j = 0; j < np; j++) {
                        if (ev->pmatch[j] || !overlaps(g, &ev->p[j]))
                                continue;
                        /* Prefer the same span, then the same type. */
                        if (best == np ||
                            (ev->p[j].start == g->start &&
                             ev->p[j].end == g->end) ||
                            (ev->ptype[j] == ev->gtype[i] &&
                             ev->ptype[best] != ev->gtype[i]))
                                best = j;
                        if (ev->p[best].start == g->start &&
                            ev->p[best].end == g->end)
                                break;
                }
                if (best == np) {
                        if (add_error(ev, ENR_EVAL_ERR_MISSED, ev->gtype[i], -1,
                                      1, text, text_len, g, NULL))
                                return ENR_ERR_NOMEM;
                        continue;
                }
                ev->pmatch[best] = 2;
                {
                        const enr_eval_span_t *p = &ev->p[best];
                        enr_eval_error_kind_t  kind;

                        if (p->start == g->start && p->end == g->end)
                                kind = ENR_EVAL_ERR_TYPE;
                        else if (ev->ptype[best] == ev->gtype[i])
                                kind = ENR_EVAL_ERR_BOUNDARY;
                        else
                                kind = ENR_EVAL_ERR_BOUNDARY_TYPE;
                        if (add_error(ev, kind, ev->gtype[i], ev->ptype[best],
                                      2, text, text_len, g, p))
                                return ENR_ERR_NOMEM;
                }
        }
        for (j = 0; j < np; j++) {
                if (ev->pmatch[j])
                        continue;
                if (add_error(ev, ENR_EVAL_ERR_SPURIOUS, -1, ev->ptype[j], 1,
                              text, text_len, NULL, &ev->p[j]))
                        return ENR_ERR_NOMEM;
        }
        ev->ndocs++;
        return ENR_OK;
}

size_t enr_eval_docs(const enr_eval_t *ev) {
        return ev->ndocs;
}

enr_eval_counts_t enr_eval_overall(const enr_eval_t *ev) {
        enr_eval_counts_t c = {0, 0, 0};
        size_t            i;

        for (i = 0; i < ev->ntypes; i++) {
                c.tp += ev->counts[i].tp;
                c.fp += ev->counts[i].fp;
                c.fn += ev->counts[i].fn;
        }
        return c;
}

bool enr_eval_type(const enr_eval_t *ev, const char *type,
                   enr_eval_counts_t *out) {
        size_t i;

        for (i = 0; i < ev->ntypes; i++) {
                if (!strcmp(ev->types[i], type)) {
                        *out = ev->counts[i];
                        return true;
                }
        }
        return false;
}

static int str_ptr_cmp(const void *a, const void *b) {
        return strcmp(*(const char *const *)a, *(const char *const *)b);
}

const char *const *enr_eval_types(const enr_eval_t *ev, size_t *n) {
        enr_eval_t *mut = (enr_eval_t *)ev;
        size_t      i;

        /* The sorted view is a cache of the names; refreshing it does not
         * change what the scorer holds. */
        for (i = 0; i < ev->ntypes; i++)
                mut->sorted[i] = ev->types[i];
        if (ev->ntypes > 1)
                qsort(mut->sorted, ev->ntypes, sizeof(mut->sorted[0]),
                      str_ptr_cmp);
        *n = ev->ntypes;
        return ev->sorted;
}

double enr_eval_precision(const enr_eval_counts_t *c) {
        return c->tp + c->fp ? (double)c->tp / (double)(c->tp + c->fp) : 0.0;
}

double enr_eval_recall(const enr_eval_counts_t *c) {
        return c->tp + c->fn ? (double)c->tp / (double)(c->tp + c->fn) : 0.0;
}

double enr_eval_f1(const enr_eval_counts_t *c) {
        uint64_t d = 2 * c->tp + c->fp + c->fn;

        return d ? 2.0 * (double)c->tp / (double)d : 0.0;
}

void enr_eval_error_label(const enr_eval_error_t *err, char *buf, size_t size) {
        switch (err->kind) {
        case ENR_EVAL_ERR_TYPE:
                snprintf(buf, size, "%s→%s", err->gold_type, err->pred_type);
                break;
        case ENR_EVAL_ERR_BOUNDARY:
                snprintf(buf, size, "boundary %s", err->gold_type);
                break;
        case ENR_EVAL_ERR_BOUNDARY_TYPE:
                snprintf(buf, size, "boundary %s→%s", err->gold_type,
                         err->pred_type);
                break;
        case ENR_EVAL_ERR_MISSED:
                snprintf(buf, size, "missed %s", err->gold_type);
                break;
        case ENR_EVAL_ERR_SPURIOUS:
        default:
                snprintf(buf, size, "spurious %s", err->pred_type);
                break;
        }
}

static int error_cmp(const void *x, const void *y) {
        const enr_eval_error_t *a = x, *b = y;
        char                    la[64], lb[64];

        if (a->cost != b->cost)
                return a->cost > b->cost ? -1 : 1;
        enr_eval_error_label(a, la, sizeof(la));
        enr_eval_error_label(b, lb, sizeof(lb));
        return strcmp(la, lb);
}

const enr_eval_error_t *enr_eval_errors(const enr_eval_t *ev, size_t *n) {
        enr_eval_t *mut = (enr_eval_t *)ev;

        /* Sorting reorders the classes but changes none of them. */
        if (!ev->errors_sorted && ev->nerrors) {
                qsort(mut->errors, ev->nerrors, sizeof(*ev->errors), error_cmp);
                mut->errors_sorted = 1;
        }
        *n = ev->nerrors;
        return ev->errors;
}

static void print_row(FILE *fp, const char *name, const enr_eval_counts_t *c) {
        fprintf(fp, "%-12s %9.2f %9.2f %9.2f %8llu %8llu %8llu\n", name,
                100.0 * enr_eval_precision(c), 100.0 * enr_eval_recall(c),
                100.0 * enr_eval_f1(c), (unsigned long long)c->tp,
                (unsigned long long)c->fp, (unsigned long long)c->fn);
}

void enr_eval_print(const enr_eval_t *ev, FILE *fp) {
        const char *const *types;
        size_t             n, i;
        enr_eval_counts_t  all = enr_eval_overall(ev);

        types = enr_eval_types(ev, &n);
        fprintf(fp, "%-12s %9s %9s %9s %8s %8s %8s\n", "type", "precision",
                "recall", "F1", "tp", "fp", "fn");
        for (i = 0; i < n; i++) {
                enr_eval_counts_t c = {0, 0, 0};

                enr_eval_type(ev, types[i], &c);
                print_row(fp, types[i], &c);
        }
        print_row(fp, "overall", &all);
        fprintf(fp, "(%zu documents, %llu gold spans, %llu predicted)\n",
                ev->ndocs, (unsigned long long)(all.tp + all.fn),
                (unsigned long long)(all.tp + all.fp));
}

void enr_eval_print_errors(const enr_eval_t *ev, FILE *fp, size_t n) {
        const enr_eval_error_t *errs;
        size_t                  ne, i, k;

        errs = enr_eval_errors(ev, &ne);
        if (n > ne)
                n = ne;
        fprintf(fp, "\nCostliest errors (cost = false positives + false "
                    "negatives):\n");
        for (i = 0; i < n; i++) {
                char label[64];

                enr_eval_error_label(&errs[i], label, sizeof(label));
                fprintf(fp, "  %-24s %6llu  (cost %llu)\n", label,
                        (unsigned long long)errs[i].count,
                        (unsigned long long)errs[i].cost);
                for (k = 0; k < errs[i].nexamples; k++)
                        fprintf(fp, "      %s\n", errs[i].examples[k]);
        }
}

/* {"precision", "recall", "f1", "tp", "fp", "fn"} of c. */
static json_t *counts_json(const enr_eval_counts_t *c) {
        return json_pack("{s:f, s:f, s:f, s:I, s:I, s:I}", "precision",
                         100.0 * enr_eval_precision(c), "recall",
                         100.0 * enr_eval_recall(c), "f1",
                         100.0 * enr_eval_f1(c), "tp", (json_int_t)c->tp, "fp",
                         (json_int_t)c->fp, "fn", (json_int_t)c->fn);
}

json_t *enr_eval_json(const enr_eval_t *ev, size_t nerrors) {
        json_t            *root = NULL, *types = NULL, *errs = NULL;
        enr_eval_counts_t  all = enr_eval_overall(ev);
        const char *const *names;
        size_t             n, i, k;

        root  = json_object();
        types = json_object();
        if (!root || !types)
                goto fail;
        if (json_object_set_new(root, "overall", counts_json(&all)))
                goto fail;
        names = enr_eval_types(ev, &n);
        for (i = 0; i < n; i++) {
                enr_eval_counts_t c = {0, 0, 0};

                enr_eval_type(ev, names[i], &c);
                if (json_object_set_new(types, names[i], counts_json(&c)))
                        goto fail;
        }
        if (json_object_set_new(root, "types", types)) {
                types = NULL;
                goto fail;
        }
        types = NULL;
        if (json_object_set_new(root, "documents",
                                json_integer((json_int_t)ev->ndocs)))
                goto fail;
        if (nerrors) {
                const enr_eval_error_t *e = enr_eval_errors(ev, &n);

                errs = json_array();
                if (!errs)
                        goto fail;
                for (i = 0; i < n && i < nerrors; i++) {
                        char    label[64];
                        json_t *ex = json_array(), *o;

                        enr_eval_error_label(&e[i], label, sizeof(label));
                        for (k = 0; ex && k < e[i].nexamples; k++)
                                json_array_append_new(
                                    ex, json_string(e[i].examples[k]));
                        o = json_pack("{s:s, s:I, s:I, s:o*}", "error", label,
                                      "count", (json_int_t)e[i].count, "cost",
                                      (json_int_t)e[i].cost, "examples", ex);
                        if (!o || json_array_append_new(errs, o))
                                goto fail;
                }
                if (json_object_set_new(root, "errors", errs)) {
                        errs = NULL;
                        goto fail;
                }
        }
        return root;
fail:
        json_decref(errs);
        json_decref(types);
        json_decref(root);
        return NULL;
}
