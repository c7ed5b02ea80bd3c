/*
 * `enricher eval`: runs extraction, exactly as `pipe` does, over gold data
 * and prints precision, recall and F1 per type (conlleval's exact-match
 * rules, see eval.h).
 *
 * Two formats:
 * - conll: CoNLL-2003 files (IOB1 or IOB2). Each document's text is rebuilt
 *   from its tokens (enr_conll_text) and given as the body; predicted
 *   mentions score only when they start and end at token boundaries with
 *   the gold type. OntoNotes types map to CoNLL's: PERSON->PER; GPE, LOC,
 *   FAC->LOC; ORG->ORG; NORP, EVENT, WORK_OF_ART, LAW, LANGUAGE,
 *   PRODUCT->MISC; the rest is not scored.
 * - spans: JSON lines with "text", an optional publication time
 *   ("date_time", "published" or "date") and gold "entities" with "start"
 *   and "end" in code points and "onto_type" or "type". Predicted GPE and
 *   LOC count as LOC_OR_GPE when the gold data uses that merged type.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "commands.h"
#include "enricher/article.h"
#include "enricher/conll.h"
#include "enricher/dates.h"
#include "enricher/enricher.h"
#include "enricher/eval.h"
#include "enricher/text.h"

/* The largest spans file read, and its longest line. */
#define EVAL_MAX_FILE_BYTES ((size_t)1 << 30)
#define EVAL_MAX_LINE_BYTES ((size_t)64 << 20)

/* The state of one evaluation. */
typedef struct eval_run {
        enr_enricher_t *e;
        enr_scratch_t  *s;
        enr_eval_t     *ev;
        /* Every type named so far (--types, or the gold types of a spans
         * file), and which of them the current file scores: --types, or
         * else for a spans file its own gold types, for CoNLL all. */
        char         *types[ENR_EVAL_MAX_TYPES];
        unsigned char active[ENR_EVAL_MAX_TYPES];
        size_t        ntypes;
        int           filter;      /* Score only the active types. */
        int           types_given; /* --types was given. */
        int           loc_or_gpe;  /* The gold data merges LOC and GPE. */
        uint64_t      skipped;     /* Gold spans that could not be used. */
        uint64_t      failed;      /* Documents extraction refused. */
} eval_run_t;

/* Whether type is one of those scored. */
static const char *scored(const eval_run_t *r, const char *type) {
        size_t i;

        for (i = 0; i < r->ntypes; i++)
                if (r->active[i] && !strcmp(r->types[i], type))
                        return r->types[i];
        return NULL;
}

/* Names type and makes it scored in the current file. */
static int add_type(eval_run_t *r, const char *type) {
        for (size_t i = 0; i < r->ntypes; i++)
                if (!strcmp(r->types[i], type)) {
                        r->active[i] = 1;
                        return 0;
                }
        if (r->ntypes == ENR_EVAL_MAX_TYPES)
                return -1;
        r->types[r->ntypes] = strdup(type);
        if (!r->types[r->ntypes])
                return -1;
        r->active[r->ntypes++] = 1;
        return 0;
}

/* Splits a comma-separated --types list. */
static int parse_types(eval_run_t *r, const char *list) {
        char *copy = strdup(list), *tok, *save = NULL;
        int   rc = 0;

        if (!copy)
                return -1;
        for (tok = strtok_r(copy, ", ", &save); tok && !rc;
             tok = strtok_r(NULL, ", ", &save))
                rc = add_type(r, tok);
        free(copy);
        r->filter = r->types_given = 1;
        return rc;
}

/* The CoNLL type of an OntoNotes type, or NULL when not scored. */
static const char *conll_type(enr_ent_type_t t) {
        switch (t) {
        case ENR_ENT_PERSON:
                return "PER";
        case ENR_ENT_GPE:
        case ENR_ENT_LOC:
        case ENR_ENT_FAC:
                return "LOC";
        case ENR_ENT_ORG:
                return "ORG";
        case ENR_ENT_NORP:
        case ENR_ENT_EVENT:
        case ENR_ENT_WORK_OF_ART:
        case ENR_ENT_LAW:
        case ENR_ENT_LANGUAGE:
        case ENR_ENT_PRODUCT:
                return "MISC";
        default:
                return NULL;
        }
}

/* Predicted spans of the body field, as types the gold data uses. */
static int predictions(eval_run_t *r, const enr_mentions_t *m, int conll,
                       enr_eval_span_t **out, size_t *n, size_t *cap) {
        size_t i;

        *n = 0;
        for (i = 0; i < m->n; i++) {
                const enr_mention_t *x = &m->v[i];
                const char          *t;

                if (x->field != ENR_FIELD_BODY)
                        continue;
                if (conll) {
                        t = conll_type((enr_ent_type_t)x->type);
                } else {
                        t = enr_ent_type_name((enr_ent_type_t)x->type);
                        if (r->loc_or_gpe &&
                            (x->type == ENR_ENT_GPE || x->type == ENR_ENT_LOC))
                                t = "LOC_OR_GPE";
                }
                if (!t || (r->filter && !(t = scored(r, t))))
                        continue;
                if (*n == *cap) {
                        size_t           nc = *cap ? *cap * 2 : 64;
                        enr_eval_span_t *nv = realloc(*out, nc * sizeof(*nv));

                        if (!nv)
                                return -1;
                        *out = nv;
                        *cap = nc;
                }
                (*out)[*n].start = x->start;
                (*out)[*n].end   = x->end;
                (*out)[*n].type  = t;
                (*n)++;
        }
        return 0;
}

/*
 * Extracts the entities of one document's text and scores them against
 * its gold spans (pred is the caller's reused buffer). Returns 0, or -1
 * after printing why.
 */
static int score_doc(eval_run_t *r, const enr_eval_span_t *gold, size_t ngold,
                     const char *text, size_t len, int64_t published, int conll,
                     enr_eval_span_t **pred, size_t *pred_cap) {
        const enr_mentions_t *m;
        size_t                npred = 0;
        enr_err_t             err;

        err = enr_enricher_extract(r->e, r->s, NULL, 0, text, len, published,
                                   NULL, 0, &m);
        if (err) {
                r->failed++;
        } else if (predictions(r, m, conll, pred, &npred, pred_cap)) {
                fprintf(stderr, "enricher eval: out of memory\n");
                return -1;
        }
        err = enr_eval_add_doc(r->ev, gold, ngold, *pred, npred, text, len);
        if (err) {
                fprintf(stderr, "enricher eval: %s\n", enr_err_str(err));
                return -1;
        }
        return 0;
}

static int eval_conll(eval_run_t *r, const char *path) {
        char             errstr[512];
        enr_conll_t     *c    = enr_conll_read(path, errstr, sizeof(errstr));
        enr_eval_span_t *gold = NULL, *pred = NULL;
        size_t           pred_cap = 0, d;
        uint32_t        *off      = NULL;
        int              rc       = -1;

        if (!c) {
                fprintf(stderr, "enricher eval: %s\n", errstr);
                return -1;
        }
        r->filter = r->types_given;
        for (d = 0; d < c->ndocs; d++) {
                const enr_conll_doc_t *doc = &c->docs[d];
                uint32_t              *noff;
                enr_eval_span_t       *ng;
                size_t                 len, k, ngold = 0;
                char                  *text;
                enr_err_t              err;

                noff = realloc(off, (doc->ntoks + 1) * sizeof(*off));
                ng   = noff ? realloc(gold, (doc->nspans + 1) * sizeof(*ng))
                            : NULL;
                if (noff)
                        off = noff;
                if (ng)
                        gold = ng;
                if (!noff || !ng)
                        goto nomem;
                text = enr_conll_text(doc, off, &len);
                if (!text)
                        goto nomem;
                for (k = 0; k < doc->nspans; k++) {
                        const enr_conll_span_t *sp = &doc->spans[k];
                        const char             *t  = sp->type;

                        if (r->filter && !(t = scored(r, t)))
                                continue;
                        gold[ngold].start = off[sp->start];
                        gold[ngold].end =
                            off[sp->end - 1] +
                            (uint32_t)strlen(doc->toks[sp->end - 1]);
                        gold[ngold].type = t;
                        ngold++;
                }
                err = score_doc(r, gold, ngold, text, len, ENR_NO_TIME, 1,
                                &pred, &pred_cap);
                free(text);
                if (err)
                        goto out;
        }
        rc = 0;
        goto out;
nomem:
        fprintf(stderr, "enricher eval: out of memory\n");
out:
        free(off);
        free(gold);
        free(pred);
        enr_conll_destroy(c);
        return rc;
}

/* Reads the JSON lines of path into an array. */
static json_t *read_jsonl(const char *path) {
        FILE   *fp = !strcmp(path, "-") ? stdin : fopen(path, "r");
        json_t *docs;
        char   *line = NULL;
        size_t  cap = 0, total = 0, lineno = 0;
        ssize_t n;

        if (!fp) {
                fprintf(stderr, "enricher eval: %s: %s\n", path,
                        strerror(errno));
                return NULL;
        }
        docs = json_array();
        while (docs && (n = getline(&line, &cap, fp)) >= 0) {
                json_error_t jerr;
                json_t      *doc;

                lineno++;
                total += (size_t)n;
                if ((size_t)n > EVAL_MAX_LINE_BYTES ||
                    total > EVAL_MAX_FILE_BYTES) {
                        fprintf(stderr,
                                "enricher eval: %s:%zu: over the "
                                "size limit\n",
                                path, lineno);
                        goto fail;
                }
                if (strspn(line, " \t\r\n") == (size_t)n)
                        continue;
                doc = json_loadb(line, (size_t)n, 0, &jerr);
                if (!doc || !json_is_object(doc) ||
                    !json_is_string(json_object_get(doc, "text"))) {
                        fprintf(stderr, "enricher eval: %s:%zu: %s\n", path,
                                lineno,
                                doc ? "not an object with a \"text\" string"
                                    : jerr.text);
                        json_decref(doc);
                        goto fail;
                }
                if (json_array_append_new(docs, doc))
                        goto fail;
        }
        free(line);
        if (fp != stdin)
                fclose(fp);
        return docs;
fail:
        free(line);
        if (fp != stdin)
                fclose(fp);
        json_decref(docs);
        return NULL;
}

/* The gold type of an entity object, or NULL. */
static const char *gold_type(json_t *ent) {
        const char *t = json_string_value(json_object_get(ent, "onto_type"));

        return t ? t : json_string_value(json_object_get(ent, "type"));
}

/* Fills cp2b[i] with the byte offset of code point i (i <= ncp). */
static size_t cp_offsets(const char *s, size_t len, uint32_t *cp2b) {
        size_t pos = 0, n = 0;

        while (pos < len) {
                cp2b[n++] = (uint32_t)pos;
                (void)enr_utf8_next(s, len, &pos);
        }
        cp2b[n] = (uint32_t)len;
        return n;
}

static int eval_spans(eval_run_t *r, const char *path) {
        json_t          *docs = read_jsonl(path), *doc;
        enr_eval_span_t *gold = NULL, *pred = NULL;
        size_t           pred_cap = 0, i;
        uint32_t        *cp2b     = NULL;
        int              rc       = -1;

        if (!docs)
                return -1;
        r->loc_or_gpe = 0;
        if (!r->types_given) {
                memset(r->active, 0, sizeof(r->active));
                r->filter = 1;
        }
        /* The types present in the gold data: scored by default, and the
         * merged LOC_OR_GPE type when the data uses it. */
        json_array_foreach(docs, i, doc) {
                size_t  k;
                json_t *ent;

                json_array_foreach(json_object_get(doc, "entities"), k, ent) {
                        const char *t = gold_type(ent);

                        if (!t)
                                continue;
                        if (!strcmp(t, "LOC_OR_GPE"))
                                r->loc_or_gpe = 1;
                        if (!r->types_given && add_type(r, t)) {
                                fprintf(stderr,
                                        "enricher eval: more than %d "
                                        "types\n",
                                        ENR_EVAL_MAX_TYPES);
                                goto out;
                        }
                }
        }
        for (i = 0; i < r->ntypes; i++)
                if (r->active[i])
                        enr_eval_add_type(r->ev, r->types[i]);
        json_array_foreach(docs, i, doc) {
                json_t     *ents = json_object_get(doc, "entities");
                const char *text =
                    json_string_value(json_object_get(doc, "text"));
                size_t len = json_string_length(json_object_get(doc, "text"));
                const char *when      = NULL;
                int64_t     published = ENR_NO_TIME, t;
                size_t      ncp, k, ngold = 0;
                json_t     *ent;
                void       *p;

                p = realloc(cp2b, (len + 1) * sizeof(*cp2b));
                if (!p)
                        goto nomem;
                cp2b = p;
                p = realloc(gold, (json_array_size(ents) + 1) * sizeof(*gold));
                if (!p)
                        goto nomem;
                gold = p;
                ncp  = cp_offsets(text, len, cp2b);
                when = json_string_value(json_object_get(doc, "date_time"));
                if (!when)
                        when = json_string_value(
                            json_object_get(doc, "published"));
                if (!when)
                        when = json_string_value(json_object_get(doc, "date"));
                if (when && enr_parse_time(when, strlen(when), &t))
                        published = t;
                json_array_foreach(ents, k, ent) {
                        const char *ty = gold_type(ent);
                        json_t     *js = json_object_get(ent, "start");
                        json_t     *je = json_object_get(ent, "end");
                        json_int_t  st, en;

                        if (!ty || !(ty = scored(r, ty)))
                                continue;
                        st = json_integer_value(js);
                        en = json_integer_value(je);
                        if (!json_is_integer(js) || !json_is_integer(je) ||
                            st < 0 || en < st || (size_t)en > ncp) {
                                r->skipped++;
                                continue;
                        }
                        gold[ngold].start = cp2b[st];
                        gold[ngold].end   = cp2b[en];
                        gold[ngold].type  = ty;
                        ngold++;
                }
                if (score_doc(r, gold, ngold, text, len, published, 0, &pred,
                              &pred_cap))
                        goto out;
        }
        rc = 0;
        goto out;
nomem:
        fprintf(stderr, "enricher eval: out of memory\n");
out:
        free(cp2b);
        free(gold);
        free(pred);
        json_decref(docs);
        return rc;
}

static const char SYNOPSIS[] =
    "Usage: enricher eval [OPTIONS] FILE...\n\n"
    "Runs extraction over gold-annotated documents and prints precision,\n"
    "recall and F1 per entity type and overall (exact span and type, as\n"
    "conlleval scores).\n\n"
    "Formats (--format; default: spans for *.jsonl/*.json, else conll):\n"
    "  conll  CoNLL-2003 files, IOB1 or IOB2 (token first, NER tag last;\n"
    "         -DOCSTART- separates documents). Our types map to PER, ORG,\n"
    "         LOC (GPE, LOC, FAC) and MISC (NORP, EVENT, WORK_OF_ART, LAW,\n"
    "         LANGUAGE, PRODUCT); a prediction must start and end at token\n"
    "         boundaries.\n"
    "  spans  JSON lines: {\"text\", \"date_time\", \"entities\": "
    "[{\"start\",\n"
    "         \"end\" (code points), \"onto_type\" or \"type\"}]}. Dates are\n"
    "         resolved against date_time.\n\n"
    "Examples:\n"
    "  enricher eval --format conll eng.testa\n"
    "  enricher eval --types DATE,CARDINAL,MONEY,PERCENT ieer.jsonl\n"
    "  enricher eval --json --errors 10 dev.iob2";

int enr_cmd_eval(int argc, char **argv) {
        enr_config_t    cfg;
        eval_run_t      r;
        char          **args  = NULL, errstr[512];
        int             nargs = 0, i, rc = 0, conll;
        long            nerrors = 0;
        const char     *format = NULL, *types = NULL, *json = NULL;
        const char     *errors   = NULL;
        enr_cli_extra_t extras[] = {
            {"format", 0, 1, &format, "conll or spans"},
            {"types", 0, 1, &types,
             "Comma-separated types to score (default: all the gold data "
             "has)"},
            {"json", 0, 0, &json, "Print the scores as one JSON object"},
            {"errors", 0, 1, &errors,
             "Show the N costliest error classes with examples"},
            {NULL, 0, 0, NULL, NULL}};

        memset(&r, 0, sizeof(r));
        if (enr_config_init(&cfg))
                return 2;
        rc = enr_cli_exit_status(enr_cli_parse(&cfg, argc, argv,
                                               ENR_OPT_SCOPE_ENRICH, extras,
                                               SYNOPSIS, &args, &nargs));
        if (rc >= 0) {
                enr_config_clear(&cfg);
                return rc;
        }
        rc = 0;
        if (nargs == 0) {
                fprintf(stderr, "enricher eval: no input file (see --help)\n");
                rc = 2;
                goto out;
        }
        if (format && strcmp(format, "conll") && strcmp(format, "spans")) {
                fprintf(stderr, "enricher eval: --format must be conll or "
                                "spans\n");
                rc = 2;
                goto out;
        }
        if (errors) {
                char *end;

                errno   = 0;
                nerrors = strtol(errors, &end, 10);
                if (errno || *end || nerrors < 0 || nerrors > 10000) {
                        fprintf(stderr, "enricher eval: --errors wants a "
                                        "number from 0 to 10000\n");
                        rc = 2;
                        goto out;
                }
        }
        if (types && parse_types(&r, types)) {
                fprintf(stderr, "enricher eval: bad --types\n");
                rc = 2;
                goto out;
        }
        r.ev = enr_eval_new();
        r.e  = enr_enricher_new(&cfg, errstr, sizeof(errstr));
        if (!r.e || !r.ev) {
                fprintf(stderr, "enricher eval: %s\n",
                        r.e ? "out of memory" : errstr);
                rc = 2;
                goto out;
        }
        r.s = enr_scratch_new(r.e);
        if (!r.s) {
                fprintf(stderr, "enricher eval: out of memory\n");
                rc = 2;
                goto out;
        }
        for (i = 0; i < (int)r.ntypes; i++)
                enr_eval_add_type(r.ev, r.types[i]);
        for (i = 0; i < nargs; i++) {
                size_t n = strlen(args[i]);

                if (format)
                        conll = !strcmp(format, "conll");
                else
                        conll =
                            !((n > 6 && !strcmp(args[i] + n - 6, ".jsonl")) ||
                              (n > 5 && !strcmp(args[i] + n - 5, ".json")));
                if ((conll ? eval_conll(&r, args[i])
                           : eval_spans(&r, args[i])) != 0) {
                        rc = 2;
                        goto out;
                }
        }
        if (json) {
                json_t *j = enr_eval_json(r.ev, (size_t)nerrors);
                char   *s =
                    j ? json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
                                            JSON_REAL_PRECISION(6))
                        : NULL;

                if (!s) {
                        fprintf(stderr, "enricher eval: out of memory\n");
                        rc = 2;
                } else {
                        printf("%s\n", s);
                }
                free(s);
                json_decref(j);
        } else {
                enr_eval_print(r.ev, stdout);
                if (nerrors)
                        enr_eval_print_errors(r.ev, stdout, (size_t)nerrors);
        }
        if (r.skipped)
                fprintf(stderr,
                        "enricher eval: %llu gold spans out of range "
                        "were skipped\n",
                        (unsigned long long)r.skipped);
        if (r.failed)
                fprintf(stderr,
                        "enricher eval: extraction refused %llu "
                        "documents (scored as empty)\n",
                        (unsigned long long)r.failed);
        if (fflush(stdout) == EOF)
                rc = 2;
out:
        for (i = 0; i < (int)r.ntypes; i++)
                free(r.types[i]);
        enr_scratch_destroy(r.s);
        enr_enricher_destroy(r.e);
        enr_eval_destroy(r.ev);
        free(args);
        enr_config_clear(&cfg);
        return rc;
}
