/*
 * The facade over the enrichment path. enr_enricher_new() loads the
 * gazetteers, compiles the patterns and loads the tagger model and the
 * language model once; enr_enricher_process() runs one article through
 *
 *   bytes -> article -> text (title, body) -> language, fingerprint
 *         -> names (tagger or rules) -> numbers, dates -> entity table
 *         -> stats -> record
 *
 * The stages from names on are English: an article whose language is not in
 * --languages skips them (or is refused, with --other-languages dlq) and its
 * record says so. Marking duplicates needs the index shared by the program
 * (dedup.h) and is the caller's step after this one (record.h).
 *
 * using only the caller's per-thread scratch, so any number of threads can
 * share one enricher.
 */
#include <stdlib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "enricher/article.h"
#include "enricher/clock.h"
#include "enricher/dates.h"
#include "enricher/enricher.h"
#include "enricher/gazetteer.h"
#include "enricher/langid.h"
#include "enricher/names.h"
#include "enricher/numbers.h"
#include "enricher/quotes.h"
#include "enricher/record.h"
#include "enricher/resolve.h"
#include "enricher/stats.h"
#include "enricher/tagger.h"
#include "enricher/text.h"
#include "enricher/tone.h"

struct enr_enricher {
        enr_article_rules_t rules;
        int                 article_mode;
        size_t              max_tokens;
        size_t              max_entities;
        size_t              nkeywords;
        double              wpm;
        bool                timestamps;
        enr_gazetteer_t    *gaz;
        enr_names_t        *names;
        enr_numbers_t      *numbers;
        enr_dates_t        *dates;
        enr_tagger_t       *tagger; /**< NULL: rules only. */
        enr_resolve_t      *resolve;
        enr_langid_t       *langid;
        enr_tone_t         *tone; /**< VADER's lexicons (English). */
        enr_geo_t          *geo;
        enr_quotes_t       *quotes;
        char              **languages; /**< --languages; NULL: all. */
        size_t              nlanguages;
        char               *languages_text; /**< As given, for messages. */
        bool                other_dlq;      /**< --other-languages dlq. */
        char                extractor[64];  /**< For meta.extractor. */
};

struct enr_scratch {
        const enr_enricher_t  *e;
        enr_article_t          article;
        enr_text_t             title;
        enr_text_t             body;
        enr_mentions_t         mentions;
        enr_entities_t         entities;
        enr_stats_scratch_t   *stats;
        enr_numbers_scratch_t *numbers;
        enr_dates_scratch_t   *dates;
        enr_tagger_scratch_t  *tagger;
        enr_resolve_scratch_t *resolve;
        enr_tone_scratch_t    *tone;
        enr_geo_scratch_t     *geo;
        size_t                 geo_resolved;   /**< Of the last article. */
        size_t                 geo_unresolved; /**< Of the last article. */
        enr_quotes_scratch_t  *quotes;
        size_t                 retyped; /**< Of the last article. */
        enr_keyword_t         *keywords;
        enr_buf_t              out;
};

static const char *stage_names[ENR_STAGE__COUNT] = {
    "parse", "tokenize",  "names",    "numbers",     "entities",
    "stats", "serialize", "language", "fingerprint", "duplicates",
    "tone",  "geo",       "quotes"};

const char *enr_stage_name(enr_stage_t st) {
        return (unsigned)st < ENR_STAGE__COUNT ? stage_names[st] : "?";
}

/* Picks and loads the tagger model the configuration asks for. */
static enr_err_t load_model(enr_enricher_t *e, const enr_config_t *cfg,
                            char *errstr, size_t errstr_size) {
        char        path[4096];
        const char *base;
        struct stat st;

        if (!strcmp(cfg->model, "none")) {
                snprintf(e->extractor, sizeof(e->extractor), "rules");
                return ENR_OK;
        }
        if (!strcmp(cfg->model, "auto")) {
                snprintf(path, sizeof(path), "%s/model/conll03.model",
                         cfg->resources);
                if (stat(path, &st) != 0) {
                        snprintf(e->extractor, sizeof(e->extractor), "rules");
                        return ENR_OK;
                }
        } else {
                snprintf(path, sizeof(path), "%s", cfg->model);
        }
        e->tagger = enr_tagger_load(path, e->gaz, errstr, errstr_size);
        if (!e->tagger)
                return ENR_ERR_MODEL;
        base = strrchr(path, '/');
        base = base ? base + 1 : path;
        snprintf(e->extractor, sizeof(e->extractor), "tagger:%.*s",
                 (int)strcspn(base, "."), base);
        return ENR_OK;
}

/* Splits --languages into e->languages, checking each against the model. */
static enr_err_t load_languages(enr_enricher_t *e, const char *list,
                                char *errstr, size_t errstr_size) {
        const char *p = list;

        e->languages_text = strdup(list);
        if (!e->languages_text)
                return ENR_ERR_NOMEM;
        if (!strcmp(list, "all"))
                return ENR_OK;
        while (*p) {
                size_t n = strcspn(p, ", ");
                char **v;
                if (n) {
                        char code[16];
                        if (n >= sizeof(code))
                                n = sizeof(code) - 1;
                        memcpy(code, p, n);
                        code[n] = 0;
                        if (!enr_langid_knows(e->langid, code)) {
                                enr_set_errstr(errstr, errstr_size,
                                               "--languages: \"%s\" is not "
                                               "a language code the "
                                               "detector knows (e.g. en, "
                                               "fr, de; or all)",
                                               code);
                                return ENR_ERR_CONFIG;
                        }
                        v = realloc(e->languages,
                                    (e->nlanguages + 1) * sizeof(*v));
                        if (!v)
                                return ENR_ERR_NOMEM;
                        e->languages = v;
                        if (!(v[e->nlanguages] = strdup(code)))
                                return ENR_ERR_NOMEM;
                        e->nlanguages++;
                }
                p += strcspn(p, ",");
                p += *p == ',';
                p += strspn(p, " ");
        }
        if (!e->nlanguages) {
                enr_set_errstr(errstr, errstr_size,
                               "--languages: empty (give codes, or all)");
                return ENR_ERR_CONFIG;
        }
        return ENR_OK;
}

/* Whether the English stages run on an article in language code. An
 * undetermined language (no letters) runs them: nothing is lost. */
static bool language_supported(const enr_enricher_t *e, const char *code) {
        size_t i;

        if (!e->languages || !strcmp(code, "und"))
                return true;
        for (i = 0; i < e->nlanguages; i++)
                if (!strcmp(e->languages[i], code))
                        return true;
        return false;
}

enr_err_t enr_enricher_mark_duplicate(enr_scratch_t *s, enr_dedup_t *idx,
                                      enr_result_t *res, enr_dup_t *dup) {
        enr_err_t err;

        enr_dedup_check_add(idx, &res->fingerprint, res->id, strlen(res->id),
                            res->time_ms, dup);
        if (!dup->found)
                return ENR_OK;
        err         = enr_record_set_duplicate(&s->out, res->duplicate_at, dup);
        res->record = s->out.p;
        res->record_len = s->out.len;
        return err;
}

const enr_langid_t *enr_enricher_langid(const enr_enricher_t *e) {
        return e->langid;
}

enr_enricher_t *enr_enricher_new(const enr_config_t *cfg, char *errstr,
                                 size_t errstr_size) {
        enr_enricher_t *e = calloc(1, sizeof(*e));

        if (!e) {
                enr_set_errstr(errstr, errstr_size, "out of memory");
                return NULL;
        }
        if (enr_article_rules_init(&e->rules, cfg, errstr, errstr_size))
                goto fail;
        e->article_mode = cfg->article_mode;
        e->max_tokens   = (size_t)cfg->max_tokens;
        e->max_entities = (size_t)cfg->max_entities;
        e->nkeywords    = (size_t)cfg->keywords;
        e->wpm          = (double)cfg->words_per_minute;
        e->timestamps   = cfg->timestamps;

        e->gaz = enr_gazetteer_new(cfg->resources, errstr, errstr_size);
        if (!e->gaz)
                goto fail;
        e->names = enr_names_new(e->gaz, errstr, errstr_size);
        if (!e->names)
                goto fail;
        e->numbers = enr_numbers_new(errstr, errstr_size);
        if (!e->numbers)
                goto fail;
        e->dates = enr_dates_new(errstr, errstr_size);
        if (!e->dates)
                goto fail;
        if (load_model(e, cfg, errstr, errstr_size))
                goto fail;
        e->resolve = enr_resolve_new(e->gaz);
        if (!e->resolve) {
                enr_set_errstr(errstr, errstr_size, "out of memory");
                goto fail;
        }
        e->langid = enr_langid_new(cfg->resources, NULL, errstr, errstr_size);
        if (!e->langid)
                goto fail;
        e->tone = enr_tone_new(cfg->resources, errstr, errstr_size);
        if (!e->tone)
                goto fail;
        e->geo = enr_geo_new(cfg->resources, NULL, e->gaz, errstr, errstr_size);
        if (!e->geo)
                goto fail;
        e->quotes = enr_quotes_new(cfg->resources, errstr, errstr_size);
        if (!e->quotes)
                goto fail;
        e->other_dlq = cfg->other_languages == ENR_OTHER_LANG_DLQ;
        switch (load_languages(e, cfg->languages, errstr, errstr_size)) {
        case ENR_OK:
                break;
        case ENR_ERR_NOMEM:
                enr_set_errstr(errstr, errstr_size, "out of memory");
                goto fail;
        default:
                goto fail;
        }
#ifdef __GLIBC__
        /* Loading freed its read buffers and outgrown tables in the middle
         * of the heap, where glibc keeps them resident: give those pages
         * back, since nothing of that size is allocated again. */
        malloc_trim(0);
#endif
        return e;
fail:
        enr_enricher_destroy(e);
        return NULL;
}

void enr_enricher_destroy(enr_enricher_t *e) {
        if (!e)
                return;
        for (size_t i = 0; i < e->nlanguages; i++)
                free(e->languages[i]);
        free(e->languages);
        free(e->languages_text);
        enr_langid_destroy(e->langid);
        enr_tone_destroy(e->tone);
        enr_geo_destroy(e->geo);
        enr_quotes_destroy(e->quotes);
        enr_resolve_destroy(e->resolve);
        enr_tagger_destroy(e->tagger);
        enr_dates_destroy(e->dates);
        enr_numbers_destroy(e->numbers);
        enr_names_destroy(e->names);
        enr_gazetteer_destroy(e->gaz);
        enr_article_rules_clear(&e->rules);
        free(e);
}

const enr_entities_t *enr_enricher_entities(const enr_scratch_t      *s,
                                            const enr_geo_scratch_t **geo) {
        *geo = s->geo;
        return &s->entities;
}

int enr_enricher_has_tagger(const enr_enricher_t *e) {
        return e->tagger != NULL;
}

enr_scratch_t *enr_scratch_new(const enr_enricher_t *e) {
        enr_scratch_t *s = calloc(1, sizeof(*s));

        if (!s)
                return NULL;
        s->e = e;
        enr_article_init(&s->article);
        enr_text_init(&s->title);
        enr_text_init(&s->body);
        enr_mentions_init(&s->mentions);
        enr_entities_init(&s->entities);
        enr_buf_init(&s->out);
        s->stats   = enr_stats_scratch_new();
        s->numbers = enr_numbers_scratch_new(e->numbers);
        s->dates   = enr_dates_scratch_new(e->dates);
        s->resolve = enr_resolve_scratch_new();
        s->tone    = enr_tone_scratch_new();
        s->geo     = enr_geo_scratch_new(e->geo);
        s->quotes  = enr_quotes_scratch_new();
        s->keywords =
            calloc(e->nkeywords ? e->nkeywords : 1, sizeof(*s->keywords));
        if (e->tagger)
                s->tagger = enr_tagger_scratch_new(e->tagger);
        if (!s->stats || !s->numbers || !s->dates || !s->resolve || !s->tone ||
            !s->geo || !s->quotes || !s->keywords ||
            (e->tagger && !s->tagger)) {
                enr_scratch_destroy(s);
                return NULL;
        }
        return s;
}

void enr_scratch_destroy(enr_scratch_t *s) {
        if (!s)
                return;
        enr_article_clear(&s->article);
        enr_text_clear(&s->title);
        enr_text_clear(&s->body);
        enr_mentions_clear(&s->mentions);
        enr_entities_clear(&s->entities);
        enr_buf_clear(&s->out);
        enr_stats_scratch_destroy(s->stats);
        enr_numbers_scratch_destroy(s->numbers);
        enr_dates_scratch_destroy(s->dates);
        enr_tagger_scratch_destroy(s->tagger);
        enr_resolve_scratch_destroy(s->resolve);
        enr_tone_scratch_destroy(s->tone);
        enr_geo_scratch_destroy(s->geo);
        enr_quotes_scratch_destroy(s->quotes);
        free(s->keywords);
        free(s);
}

/* Runs every extractor over one analysed field. */
static enr_err_t extract_field(const enr_enricher_t *e, enr_scratch_t *s,
                               const enr_text_t *t, enr_field_t field,
                               int64_t published, uint64_t *stage_ns) {
        enr_err_t err;
        uint64_t  t0 = enr_clock_mono_ns(), t1;

        if (e->tagger) {
                size_t from = s->mentions.n;
                err         = enr_tagger_extract(e->tagger, s->tagger, t, field,
                                                 &s->mentions, e->max_entities);
                if (!err)
                        enr_names_refine(e->names, t, field, &s->mentions, from,
                                         e->max_entities);
        } else
                err = enr_names_extract(e->names, t, field, &s->mentions,
                                        e->max_entities);
        t1 = enr_clock_mono_ns();
        stage_ns[ENR_STAGE_NAMES] += t1 - t0;
        if (err)
                return err;
        err = enr_numbers_extract(e->numbers, s->numbers, t, field,
                                  &s->mentions, e->max_entities);
        if (!err)
                err = enr_dates_extract(e->dates, s->dates, t, field, published,
                                        &s->mentions, e->max_entities);
        stage_ns[ENR_STAGE_NUMBERS] += enr_clock_mono_ns() - t1;
        return err;
}

/* Analyses title and body into tokens, sentences and paragraphs. */
static enr_err_t tokenize(const enr_enricher_t *e, enr_scratch_t *s,
                          const char *title, size_t title_len, const char *body,
                          size_t body_len, uint64_t *stage_ns, char *errstr,
                          size_t errstr_size) {
        enr_err_t err;
        uint64_t  t0 = enr_clock_mono_ns();

        err = enr_text_analyze(&s->title, title, title_len, e->max_tokens,
                               errstr, errstr_size);
        if (!err)
                err = enr_text_analyze(&s->body, body, body_len, e->max_tokens,
                                       errstr, errstr_size);
        stage_ns[ENR_STAGE_TOKENIZE] += enr_clock_mono_ns() - t0;
        return err;
}

/* Extracts and merges the entities of the analysed title and body, and
 * places them (url: the article's web address, or NULL). */
static enr_err_t extract(const enr_enricher_t *e, enr_scratch_t *s,
                         int64_t published, const char *url, size_t url_len,
                         uint64_t *stage_ns, char *errstr, size_t errstr_size) {
        enr_fields_t fields;
        enr_err_t    err;
        uint64_t     t0;
        size_t       n = 0, split = 0;

        enr_mentions_reset(&s->mentions);
        if ((err = extract_field(e, s, &s->title, ENR_FIELD_TITLE, published,
                                 stage_ns)) ||
            (err = extract_field(e, s, &s->body, ENR_FIELD_BODY, published,
                                 stage_ns))) {
                enr_set_errstr(errstr, errstr_size, "extraction failed: %s",
                               enr_err_str(err));
                return err;
        }

        t0                           = enr_clock_mono_ns();
        fields.text[ENR_FIELD_TITLE] = &s->title;
        fields.text[ENR_FIELD_BODY]  = &s->body;
        err = enr_geo_split_pairs(e->geo, &s->mentions, &fields,
                                  e->max_entities, &split);
        if (!err)
                err = enr_entities_build(&s->entities, &s->mentions, &fields);
        if (!err)
                err = enr_resolve_apply(e->resolve, s->resolve, &s->entities,
                                        &s->mentions, &fields, &s->retyped);
        s->retyped += split; /* after enr_resolve_apply() sets it */
        stage_ns[ENR_STAGE_ENTITIES] += enr_clock_mono_ns() - t0;
        if (err) {
                enr_set_errstr(errstr, errstr_size, "entity table: %s",
                               enr_err_str(err));
                return err;
        }
        t0  = enr_clock_mono_ns();
        err = enr_geo_retype_places(e->geo, &s->entities, &s->mentions, &fields,
                                    &n);
        s->retyped += n;
        if (!err)
                err = enr_geo_resolve(e->geo, s->geo, &s->entities,
                                      &s->mentions, &fields, url, url_len,
                                      &s->geo_resolved, &s->geo_unresolved);
        stage_ns[ENR_STAGE_GEO] += enr_clock_mono_ns() - t0;
        if (err)
                enr_set_errstr(errstr, errstr_size, "geo: %s",
                               enr_err_str(err));
        return err;
}

/* Analyses title and body and extracts and merges their entities. */
static enr_err_t analyse(const enr_enricher_t *e, enr_scratch_t *s,
                         const char *title, size_t title_len, const char *body,
                         size_t body_len, int64_t published, const char *url,
                         size_t url_len, uint64_t *stage_ns, char *errstr,
                         size_t errstr_size) {
        enr_err_t err = tokenize(e, s, title, title_len, body, body_len,
                                 stage_ns, errstr, errstr_size);

        return err ? err
                   : extract(e, s, published, url, url_len, stage_ns, errstr,
                             errstr_size);
}

/* The language of the parsed article and whether it is one the English
 * stages run on; an error when it is not and such articles are refused. */
static enr_err_t identify(const enr_enricher_t *e, const enr_article_t *a,
                          enr_result_t *res) {
        uint64_t t0 = enr_clock_mono_ns();

        enr_langid_detect(e->langid, a->title, a->title_len, a->body,
                          a->body_len, &res->language);
        res->extracted = language_supported(e, res->language.code);
        res->stage_ns[ENR_STAGE_LANGUAGE] = enr_clock_mono_ns() - t0;
        if (res->extracted || !e->other_dlq)
                return ENR_OK;
        enr_set_errstr(res->errstr, sizeof(res->errstr),
                       "language %s (confidence %.2f) is not in --languages "
                       "%s",
                       res->language.code, res->language.confidence,
                       e->languages_text);
        return ENR_ERR_UNSUPPORTED_LANGUAGE;
}

/* The tone of an English article's body and title (VADER is English);
 * *scored false, nothing scored, for another language. */
static enr_err_t score_tone(const enr_enricher_t *e, enr_scratch_t *s,
                            const enr_article_t *a, enr_result_t *res,
                            enr_tone_result_t *body, double *title_compound,
                            bool *scored) {
        enr_tone_result_t title;
        enr_err_t         err = ENR_OK;
        uint64_t          t0  = enr_clock_mono_ns();

        *scored = !strcmp(res->language.code, "en");
        if (*scored &&
            !(err = enr_tone_score(e->tone, s->tone, a->body, a->body_len,
                                   body)) &&
            !(err = enr_tone_score(e->tone, s->tone, a->title ? a->title : "",
                                   a->title_len, &title)))
                *title_compound = title.compound;
        res->stage_ns[ENR_STAGE_TONE] = enr_clock_mono_ns() - t0;
        if (err)
                enr_set_errstr(res->errstr, sizeof(res->errstr), "tone: %s",
                               enr_err_str(err));
        return err;
}

/* The time duplicate detection orders articles by (Unix ms). */
static int64_t article_time_ms(const enr_article_t *a, const enr_source_t *src,
                               bool *is_now) {
        *is_now = false;
        if (a->has_time && a->published > INT64_MIN / 1000 &&
            a->published < INT64_MAX / 1000)
                return a->published * 1000;
        if (src && src->timestamp >= 0)
                return src->timestamp;
        *is_now = true;
        return enr_clock_wall_ms();
}

/* The quotations of the article whose entity table s holds (stage
 * quotes), counted by speaker kind in res. */
static enr_err_t find_quotes(const enr_enricher_t *e, enr_scratch_t *s,
                             enr_result_t *res, const enr_quote_t **quotes,
                             size_t *nquotes) {
        enr_fields_t fields;
        enr_err_t    err;
        uint64_t     t0 = enr_clock_mono_ns();

        fields.text[ENR_FIELD_TITLE] = &s->title;
        fields.text[ENR_FIELD_BODY]  = &s->body;
        err =
            enr_quotes_extract(e->quotes, s->quotes, &fields, &s->mentions,
                               &s->entities, e->max_entities, quotes, nquotes);
        res->stage_ns[ENR_STAGE_QUOTES] = enr_clock_mono_ns() - t0;
        if (err) {
                enr_set_errstr(res->errstr, sizeof(res->errstr), "quotes: %s",
                               enr_err_str(err));
                return err;
        }
        for (size_t i = 0; i < *nquotes; i++)
                res->quotes_by_speaker[(*quotes)[i].kind & 3]++;
        return ENR_OK;
}

enr_err_t enr_enricher_process(const enr_enricher_t *e, enr_scratch_t *s,
                               const char *buf, size_t len,
                               const enr_source_t *src, enr_result_t *res) {
        enr_article_t     *a = &s->article;
        enr_record_input_t in;
        enr_stats_t        stats;
        enr_tone_result_t  tone;
        double             title_compound = 0;
        bool               toned          = false;
        size_t             nkw = 0, boiler = 0, i, nquotes = 0;
        const enr_quote_t *quotes = NULL;
        uint64_t           t0;

        memset(res, 0, sizeof(*res));
        res->id = "";

        t0       = enr_clock_mono_ns();
        res->err = enr_article_parse(a, &e->rules, buf, len, res->errstr,
                                     sizeof(res->errstr));
        res->stage_ns[ENR_STAGE_PARSE] = enr_clock_mono_ns() - t0;
        if (res->err)
                return res->err;
        res->id = a->id;

        if ((res->err = identify(e, a, res)))
                return res->err;
        res->err = tokenize(e, s, a->title, a->title_len, a->body, a->body_len,
                            res->stage_ns, res->errstr, sizeof(res->errstr));
        if (res->err)
                return res->err;
        t0 = enr_clock_mono_ns();
        enr_fingerprint_compute(&s->body, &res->fingerprint);
        res->time_ms = article_time_ms(a, src, &res->time_is_now);
        res->stage_ns[ENR_STAGE_FINGERPRINT] = enr_clock_mono_ns() - t0;

        enr_mentions_reset(&s->mentions);
        s->entities.n     = 0;
        s->retyped        = 0;
        s->geo_resolved   = 0;
        s->geo_unresolved = 0;
        if (res->extracted) {
                res->err =
                    extract(e, s, a->has_time ? a->published : ENR_NO_TIME,
                            a->url, a->url_len, res->stage_ns, res->errstr,
                            sizeof(res->errstr));
                if (res->err)
                        return res->err;
        }
        res->tokens         = s->title.ntoks + s->body.ntoks;
        res->retyped        = (uint32_t)s->retyped;
        res->geo_resolved   = (uint32_t)s->geo_resolved;
        res->geo_unresolved = (uint32_t)s->geo_unresolved;
        if (res->extracted &&
            (res->err = find_quotes(e, s, res, &quotes, &nquotes)))
                return res->err;

        t0 = enr_clock_mono_ns();
        if (res->extracted)
                boiler = enr_names_boilerplate(&s->body);
        else
                boiler = s->body.ntoks;
        res->err = enr_stats_compute(s->stats, &s->title, &s->body, boiler,
                                     e->wpm, &stats, s->keywords,
                                     res->extracted ? e->nkeywords : 0, &nkw);
        res->stage_ns[ENR_STAGE_STATS] = enr_clock_mono_ns() - t0;
        if (res->err) {
                enr_set_errstr(res->errstr, sizeof(res->errstr),
                               "statistics: %s", enr_err_str(res->err));
                return res->err;
        }

        if ((res->err =
                 score_tone(e, s, a, res, &tone, &title_compound, &toned)))
                return res->err;

        t0 = enr_clock_mono_ns();
        memset(&in, 0, sizeof(in));
        in.article                         = a;
        in.article_mode                    = e->article_mode;
        in.title                           = &s->title;
        in.body                            = &s->body;
        in.mentions                        = &s->mentions;
        in.entities                        = &s->entities;
        in.stats                           = &stats;
        in.keywords                        = s->keywords;
        in.nkeywords                       = nkw;
        in.boilerplate_tok                 = boiler;
        in.src                             = src;
        in.timestamps                      = e->timestamps;
        in.extractor                       = e->extractor;
        in.language                        = &res->language;
        in.extracted                       = res->extracted;
        in.languages                       = e->languages_text;
        in.fingerprint                     = &res->fingerprint;
        in.duplicate_at                    = &res->duplicate_at;
        in.tone                            = toned ? &tone : NULL;
        in.tone_title_compound             = title_compound;
        in.geo                             = res->extracted ? s->geo : NULL;
        in.quotes                          = quotes;
        in.nquotes                         = nquotes;
        res->err                           = enr_record_build(&s->out, &in);
        res->stage_ns[ENR_STAGE_SERIALIZE] = enr_clock_mono_ns() - t0;
        if (res->err) {
                enr_set_errstr(res->errstr, sizeof(res->errstr), "record: %s",
                               enr_err_str(res->err));
                return res->err;
        }
        for (i = 0; i < s->entities.n; i++)
                res->entities_by_type[s->entities.v[i].type]++;
        res->record     = s->out.p;
        res->record_len = s->out.len;
        return ENR_OK;
}

enr_err_t enr_enricher_extract(const enr_enricher_t *e, enr_scratch_t *s,
                               const char *title, size_t title_len,
                               const char *body, size_t body_len,
                               int64_t published, const char *url,
                               size_t                 url_len,
                               const enr_mentions_t **mentions) {
        uint64_t  stage_ns[ENR_STAGE__COUNT] = {0};
        char      errstr[256];
        enr_err_t err;

        err = analyse(e, s, title ? title : "", title ? title_len : 0, body,
                      body_len, published, url, url_len, stage_ns, errstr,
                      sizeof(errstr));
        if (err)
                return err;
        *mentions = &s->mentions;
        return ENR_OK;
}
