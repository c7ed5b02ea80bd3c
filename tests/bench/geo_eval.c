/*
 * Evaluator of the geocoder on a gold set of toponyms (LGL in the shared
 * geo/lgl.jsonl: {"id", "text", "toponyms": [{"start", "end" (code
 * points), "name", "lat", "lon", "geonameid"}]}). Runs the whole
 * extraction path (the program's default model) over each text as an
 * article body and matches each gold toponym to the place mention (GPE,
 * LOC, FAC, NORP, or an ORG whose name holds a place name:
 * enr_geo_place_span(), resolved or not) that overlaps it. An ORG mention
 * is matched as a whole, so a gold toponym anywhere in "Huntsville Police
 * Department" meets its place.
 *
 * Scoring as Gritta et al. (2018): the error of a toponym is the
 * great-circle distance from the gold point to the place given, or
 * 20,039 km (half the Earth's circumference) when none is given;
 * accuracy@161 is the share within 161 km; AUC is the area under the
 * sorted ln(1 + error) curve, normalised by ln(20039) (lower is better).
 * Printed: acc@161 over all gold toponyms (unrecognised ones miss), over
 * the recognised ones (an abstention misses), over the resolved ones;
 * AUC over the recognised; median and mean error over the resolved.
 *
 * Usage: geo_eval [--resources DIR] [--errors FILE] [--dump FILE] [--no-url]
 *                 DATA.jsonl
 * Each item's "url" is passed as the article's web address (a hint to
 * where it is from) unless --no-url.
 * --errors writes one line per recognised toponym placed > 161 km off;
 * --dump one line per gold toponym (for error analysis): id, name, gold
 * feature code, outcome (unrecognised, abstained, ok, far), the type and
 * text of the mention of any type that overlaps it, and the place given.
 */
#include <jansson.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enricher/config.h"
#include "enricher/dates.h"
#include "enricher/enricher.h"
#include "enricher/geo.h"

#define MAX_ERROR_KM 20039.0
#define ACC_KM       161.0

typedef struct errs {
        double *v;
        size_t  n, cap;
} errs_t;

static void push(errs_t *e, double x) {
        if (e->n == e->cap) {
                e->cap = e->cap ? e->cap * 2 : 1024;
                e->v   = realloc(e->v, e->cap * sizeof(*e->v));
                if (!e->v)
                        abort();
        }
        e->v[e->n++] = x;
}

static int cmp_double(const void *a, const void *b) {
        double x = *(const double *)a, y = *(const double *)b;
        return x < y ? -1 : x > y;
}

static double acc(const errs_t *e, size_t total) {
        size_t k = 0;
        for (size_t i = 0; i < e->n; i++)
                k += e->v[i] <= ACC_KM;
        return total ? (double)k / (double)total : 0;
}

/* Gritta et al.'s AUC: trapezoids over the sorted ln(1 + error). */
static double auc(errs_t *e) {
        double s = 0, mx = log(MAX_ERROR_KM);

        if (e->n < 2)
                return 0;
        qsort(e->v, e->n, sizeof(*e->v), cmp_double);
        for (size_t i = 1; i < e->n; i++)
                s += (log1p(e->v[i - 1]) + log1p(e->v[i])) / 2;
        return s / (mx * (double)(e->n - 1));
}

static double median(errs_t *e) {
        if (!e->n)
                return 0;
        qsort(e->v, e->n, sizeof(*e->v), cmp_double);
        return e->n % 2 ? e->v[e->n / 2]
                        : (e->v[e->n / 2 - 1] + e->v[e->n / 2]) / 2;
}

static bool place_type(unsigned t) {
        return t == ENR_ENT_GPE || t == ENR_ENT_LOC || t == ENR_ENT_FAC ||
               t == ENR_ENT_NORP;
}

/* A mention that names a place: a GPE, LOC, FAC or NORP one, or an
 * ORG's whose name holds a place name (enr_geo_place_span(), resolved or
 * not). */
static bool place_mention(const enr_mention_t *m, const enr_geo_scratch_t *gs) {
        uint32_t a, b;

        return place_type(m->type) ||
               (m->type == ENR_ENT_ORG && m->entity >= 0 &&
                enr_geo_place_span(gs, (size_t)m->entity, &a, &b));
}

/* The byte offset of code point cp in text. */
static size_t cp_byte(const char *text, int64_t cp) {
        size_t b = 0;

        for (int64_t k = 0; text[b] && k < cp; k++)
                do
                        b++;
                while (((unsigned char)text[b] & 0xC0) == 0x80);
        return b;
}

/* One --dump line for gold toponym t of article o. */
static void dump(FILE *df, json_t *o, json_t *t, const char *text,
                 const enr_mentions_t *ms, int64_t gs0, int64_t ge0,
                 const char *outcome, const enr_place_t *p) {
        const enr_mention_t *any = NULL;
        int                  len = 0;
        size_t               b   = 0;

        for (size_t i = 0; i < ms->n; i++) {
                const enr_mention_t *m = &ms->v[i];
                if (m->field == ENR_FIELD_BODY && (int64_t)m->cp_start < ge0 &&
                    (int64_t)m->cp_end > gs0 && (!any || place_type(m->type))) {
                        any = m;
                        if (place_type(m->type))
                                break;
                }
        }
        if (any) {
                b   = cp_byte(text, any->cp_start);
                len = (int)(cp_byte(text, any->cp_end) - b);
        }
        fprintf(df, "%s\t%s\t%s\t%s\t%s\t%.*s\t%s %s %s\n",
                json_string_value(json_object_get(o, "id")),
                json_string_value(json_object_get(t, "name")),
                json_string_value(json_object_get(t, "fcode")), outcome,
                any ? enr_ent_type_name((enr_ent_type_t)any->type) : "-", len,
                text + b, p ? p->country : "-", p ? p->admin1 : "-",
                p ? enr_geo_feature_name((enr_geo_feature_t)p->feature) : "-");
}

int main(int argc, char **argv) {
        const char *resources = NULL, *errors_path = NULL, *dump_path = NULL,
                   *data = NULL;
        FILE           *f, *ef = NULL, *df = NULL;
        char           *line = NULL, errstr[512];
        size_t          cap = 0, ngold = 0, nrec = 0, nres = 0, narts = 0;
        bool            no_url = false;
        errs_t          rec = {0}, res = {0};
        double          sum_res = 0;
        enr_config_t    cfg;
        enr_enricher_t *e;
        enr_scratch_t  *s;

        for (int i = 1; i < argc; i++) {
                if (!strcmp(argv[i], "--resources") && i + 1 < argc)
                        resources = argv[++i];
                else if (!strcmp(argv[i], "--errors") && i + 1 < argc)
                        errors_path = argv[++i];
                else if (!strcmp(argv[i], "--dump") && i + 1 < argc)
                        dump_path = argv[++i];
                else if (!strcmp(argv[i], "--no-url"))
                        no_url = true;
                else
                        data = argv[i];
        }
        if (!data) {
                fprintf(stderr, "usage: geo_eval [--resources DIR] "
                                "[--errors FILE] [--dump FILE] [--no-url] "
                                "DATA.jsonl\n");
                return 2;
        }
        if (enr_config_init(&cfg))
                return 1;
        if (resources && enr_config_set(&cfg, "resources", resources, errstr,
                                        sizeof(errstr))) {
                fprintf(stderr, "geo_eval: %s\n", errstr);
                return 2;
        }
        e = enr_enricher_new(&cfg, errstr, sizeof(errstr));
        enr_config_clear(&cfg);
        if (!e || !(s = enr_scratch_new(e))) {
                fprintf(stderr, "geo_eval: %s\n", errstr);
                return 1;
        }
        if (!(f = fopen(data, "r"))) {
                perror(data);
                return 2;
        }
        if (errors_path && !(ef = fopen(errors_path, "w"))) {
                perror(errors_path);
                return 2;
        }
        if (dump_path && !(df = fopen(dump_path, "w"))) {
                perror(dump_path);
                return 2;
        }
        while (getline(&line, &cap, f) > 0) {
                json_error_t             jerr;
                json_t                  *o = json_loads(line, 0, &jerr), *t;
                const char              *text, *url;
                const enr_mentions_t    *ms;
                const enr_entities_t    *es;
                const enr_geo_scratch_t *gs;
                size_t                   k;

                if (!o)
                        continue;
                text = json_string_value(json_object_get(o, "text"));
                url  = no_url ? NULL
                              : json_string_value(json_object_get(o, "url"));
                if (!text || enr_enricher_extract(
                                 e, s, NULL, 0, text, strlen(text), ENR_NO_TIME,
                                 url, url ? strlen(url) : 0, &ms)) {
                        json_decref(o);
                        continue;
                }
                narts++;
                es = enr_enricher_entities(s, &gs);
                json_array_foreach(json_object_get(o, "toponyms"), k, t) {
                        int64_t gs0 =
                            json_integer_value(json_object_get(t, "start"));
                        int64_t ge0 =
                            json_integer_value(json_object_get(t, "end"));
                        double glat =
                            json_number_value(json_object_get(t, "lat"));
                        double glon =
                            json_number_value(json_object_get(t, "lon"));
                        const enr_mention_t *hit = NULL;
                        const enr_place_t   *p   = NULL;
                        double               err = MAX_ERROR_KM;

                        ngold++;
                        for (size_t i = 0; i < ms->n; i++) {
                                const enr_mention_t *m = &ms->v[i];
                                if (m->field == ENR_FIELD_BODY &&
                                    place_mention(m, gs) &&
                                    (int64_t)m->cp_start < ge0 &&
                                    (int64_t)m->cp_end > gs0) {
                                        hit = m;
                                        break;
                                }
                        }
                        if (!hit) {
                                if (df)
                                        dump(df, o, t, text, ms, gs0, ge0,
                                             "unrecognised", NULL);
                                continue;
                        }
                        nrec++;
                        if (hit->entity >= 0 && (size_t)hit->entity < es->n)
                                p = enr_geo_place(gs, (size_t)hit->entity);
                        if (p) {
                                err = enr_geo_distance_km(glat, glon, p->lat,
                                                          p->lon);
                                nres++;
                                push(&res, err);
                                sum_res += err;
                        }
                        push(&rec, err);
                        if (df)
                                dump(df, o, t, text, ms, gs0, ge0,
                                     !p              ? "abstained"
                                     : err <= ACC_KM ? "ok"
                                                     : "far",
                                     p);
                        if (ef && err > ACC_KM)
                                fprintf(
                                    ef,
                                    "%s\t%s\t%.0f km\tgold %.3f,%.3f\t"
                                    "got %s %s %s\n",
                                    json_string_value(json_object_get(o, "id")),
                                    json_string_value(
                                        json_object_get(t, "name")),
                                    err, glat, glon, p ? p->country : "-",
                                    p ? p->admin1 : "-",
                                    p ? enr_geo_feature_name(
                                            (enr_geo_feature_t)p->feature)
                                      : "none");
                }
                json_decref(o);
        }
        printf("articles %zu, gold toponyms %zu, recognised %zu (%.3f), "
               "resolved %zu\n",
               narts, ngold, nrec, ngold ? (double)nrec / ngold : 0, nres);
        printf("acc@161 all gold     %.4f\n", acc(&rec, ngold));
        printf("acc@161 recognised   %.4f\n", acc(&rec, nrec));
        printf("acc@161 resolved     %.4f\n", acc(&res, nres));
        printf("AUC recognised       %.4f\n", auc(&rec));
        printf("AUC resolved         %.4f\n", auc(&res));
        printf("median km resolved   %.1f\n", median(&res));
        printf("mean km resolved     %.1f\n", nres ? sum_res / nres : 0);
        if (ef)
                fclose(ef);
        if (df)
                fclose(df);
        fclose(f);
        free(line);
        free(rec.v);
        free(res.v);
        enr_scratch_destroy(s);
        enr_enricher_destroy(e);
        return 0;
}
