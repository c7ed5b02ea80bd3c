/*
 * The learned name tagger at run time: the model and per-thread scratch
 * objects, and the mapping of decoded PER/ORG/LOC/MISC spans to entity
 * mentions. The rest of the tagger is split by concern, sharing
 * tagger_int.h: tagger_features.c (token analysis and the hashed feature
 * function shared with training), tagger_decode.c (constrained Viterbi
 * over BILOU tags), tagger_model.c (the model file and its CRC),
 * tagger_score.c (CoNLL documents and span scoring) and tagger_train.c
 * (the averaged perceptron).
 *
 * Features are hashed into 2^log2 buckets; a bucket holds one int16
 * weight per tag. Every per-token array lives in the per-thread scratch and
 * only grows when a longer field arrives, so tagging allocates nothing per
 * token.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enricher/log.h"
#include "tagger_int.h"

static const char *const type_names[ENR__TG_NTYPES] = {"PER", "ORG", "LOC",
                                                       "MISC"};

int enr__tagger_type_parse(const char *name) {
        for (int i = 0; i < ENR__TG_NTYPES; i++)
                if (strcmp(name, type_names[i]) == 0)
                        return i;
        return -1;
}

enr_err_t enr__tagger_reserve(enr_tagger_scratch_t *s, size_t n, size_t bytes) {
        size_t    cap;
        enr_err_t err;

        if (n > ENR_TAGGER_MAX_TOKENS)
                return ENR_ERR_LIMIT;
        if ((err = enr_grow((void **)&s->tok, &s->tok_cap, n + 1,
                            sizeof(*s->tok), 256)) ||
            (err = enr_grow((void **)&s->seg, &s->seg_cap, n + 1,
                            sizeof(*s->seg), 256)) ||
            (err = enr_grow((void **)&s->lower, &s->lower_cap,
                            bytes + 2 * n + 1, 1, 256)))
                return err;
        if (n + 1 > s->lat_cap) {
                cap = s->lat_cap ? s->lat_cap : 256;
                while (cap < n + 1)
                        cap *= 2;
                float *em = realloc(s->em, cap * ENR__TG_NTAGS * 4);
                if (em)
                        s->em = em;
                float *vs = realloc(s->vs, cap * ENR__TG_NTAGS * 4);
                if (vs)
                        s->vs = vs;
                uint8_t *bp = realloc(s->bp, cap * ENR__TG_NTAGS);
                if (bp)
                        s->bp = bp;
                uint8_t *tg = realloc(s->tags, cap);
                if (tg)
                        s->tags = tg;
                float *bw = realloc(s->bw, cap * ENR__TG_NTAGS * 4);
                if (bw)
                        s->bw = bw;
                float *mg = realloc(s->margin, cap * 4);
                if (mg)
                        s->margin = mg;
                uint32_t *fc =
                    realloc(s->fcache, cap * ENR__TG_MAXF * sizeof(uint32_t));
                if (fc)
                        s->fcache = fc;
                uint8_t *fn = realloc(s->fcount, cap);
                if (fn)
                        s->fcount = fn;
                if (!em || !vs || !bp || !tg || !mg || !fc || !fn || !bw)
                        return ENR_ERR_NOMEM;
                s->lat_cap = cap;
        }
        /* The document table stays at most half full. */
        cap = 1024;
        while (cap < 2 * n)
                cap *= 2;
        if (cap > s->doc_cap) {
                enr__tg_docslot_t *d = realloc(s->doc, cap * sizeof(*d));
                if (!d)
                        return ENR_ERR_NOMEM;
                s->doc     = d;
                s->doc_cap = cap;
        }
        return ENR_OK;
}

enr_tagger_t *enr__tagger_alloc(uint32_t log2, uint32_t npass, bool dense) {
        enr_tagger_t *tg = calloc(1, sizeof(*tg));
        if (!tg)
                return NULL;
        tg->log2  = log2;
        tg->npass = npass;
        for (uint32_t p = 0; p < npass; p++) {
                tg->pass[p].scale = 1;
                if (dense && enr__tagger_dense_pass(&tg->pass[p], log2)) {
                        enr_tagger_destroy(tg);
                        return NULL;
                }
        }
        return tg;
}

enr_err_t enr__tagger_dense_pass(enr__tg_weights_t *wp, uint32_t log2) {
        size_t nb = (size_t)1 << log2;

        wp->rows = calloc((nb + 1) * ENR__TG_NTAGS, sizeof(int16_t));
        wp->idx  = malloc(nb * sizeof(uint32_t));
        if (!wp->rows || !wp->idx)
                return ENR_ERR_NOMEM;
        for (size_t b = 0; b < nb; b++)
                wp->idx[b] = (uint32_t)(b + 1);
        wp->w = wp->rows + ENR__TG_NTAGS;
        return ENR_OK;
}

void enr_tagger_destroy(enr_tagger_t *tg) {
        if (!tg)
                return;
        for (uint32_t p = 0; p < ENR__TG_MAX_PASS; p++) {
                free(tg->pass[p].rows);
                free(tg->pass[p].idx);
        }
        free(tg->case_keys);
        free(tg->case_cls);
        free(tg->cl_keys);
        free(tg->cl_rows);
        free(tg->cl_tree);
        free(tg->lex);
        free(tg);
}

uint32_t enr_tagger_features(const enr_tagger_t *tg) {
        return tg->fs;
}

enr_tagger_scratch_t *enr_tagger_scratch_new(const enr_tagger_t *tg) {
        enr_tagger_scratch_t *s = calloc(1, sizeof(*s));

        /* Arrays grow on first use; nothing depends on the model. */
        (void)tg;
        if (!s)
                return NULL;
        /* The tags BILOU allows after each tag, for the backward pass. */
        for (unsigned c = 0; c < ENR__TG_NTAGS; c++)
                for (unsigned o = 0; o < ENR__TG_NTAGS; o++)
                        if (enr__tagger_allowed(c, o))
                                s->next_of[c][s->n_next[c]++] = (uint8_t)o;
        return s;
}

void enr_tagger_scratch_destroy(enr_tagger_scratch_t *s) {
        if (!s)
                return;
        free(s->tok);
        free(s->lower);
        free(s->doc);
        free(s->em);
        free(s->vs);
        free(s->bp);
        free(s->tags);
        free(s->margin);
        free(s->bw);
        free(s->fcache);
        free(s->seg);
        free(s->fcount);
        free(s->spans);
        enr_text_clear(&s->syn);
        free(s->syn_s);
        free(s->syn_off);
        free(s);
}

/* Words that make a MISC span an event or a law (lower case). */
static const char *const event_words[] = {
    "cup",        "championship", "championships",
    "olympics",   "olympic",      "games",
    "war",        "open",         "league",
    "tournament", "festival",     "series",
    "prix",       "rally",        "marathon",
    "trophy",     "masters",      "classic",
    "election",   "summit",       "conference",
    NULL};
static const char *const law_words[] = {"act",          "treaty",  "accord",
                                        "convention",   "charter", "law",
                                        "constitution", NULL};

static bool tok_is(const enr_text_t *t, size_t i, const char *const *words) {
        for (size_t k = 0; words[k]; k++)
                if (enr_tok_ieq(t, i, words[k]))
                        return true;
        return false;
}

/* Words after a law word that keep it the head ("Treaty of Rome"). */
static const char *const law_links[] = {"of", "on", NULL};

/* Whether a span has an event word. */
static bool has_event_word(const enr_text_t *t, const enr_tagger_span_t *sp) {
        for (size_t i = sp->start; i < sp->end; i++)
                if (tok_is(t, i, event_words))
                        return true;
        return false;
}

/* Whether a single word ends like a demonym or nationality. */
static bool demonym_like(const enr_text_t *t, size_t i) {
        static const char *const suf[] = {"an", "ese", "ish", "i", "ic",
                                          "ch", "ss",  "ean", NULL};
        const char              *p     = t->s + t->toks[i].start;
        size_t                   n     = t->toks[i].end - t->toks[i].start;
        for (size_t k = 0; suf[k]; k++) {
                size_t m = strlen(suf[k]);
                if (n > m + 2 && strncmp(p + n - m, suf[k], m) == 0)
                        return true;
        }
        return false;
}

/* Whether a single word is the plural of a demonym ("Lankans"). */
static bool demonyms_like(const enr_text_t *t, size_t i) {
        const char *p = t->s + t->toks[i].start;
        size_t      n = t->toks[i].end - t->toks[i].start;

        return n > 5 && (strncmp(p + n - 3, "ans", 3) == 0 ||
                         strncmp(p + n - 3, "ics", 3) == 0);
}

/*
 * The entity type of a decoded span (see enr_tagger_extract() in
 * tagger.h); *guess is set when a MISC span became NORP for want of a
 * better type.
 */
static enr_ent_type_t map_type(const enr_tagger_t *tg, const enr_text_t *t,
                               const enr_tagger_span_t *sp, char code[4],
                               bool *guess) {
        enr_gaz_match_t m;
        bool            whole = false;

        code[0] = '\0';
        /* The whole span as listed, else case-folded (headlines). */
        if (tg->map_g &&
            ((enr_gazetteer_match(tg->map_g, t, sp->start, sp->end, &m) &&
              m.ntoks == sp->end - sp->start) ||
             (enr_gazetteer_match_folded(tg->map_g, t, sp->start, sp->end,
                                         &m) &&
              m.ntoks == sp->end - sp->start)))
                whole = true;
        else
                memset(&m, 0, sizeof(m));
        switch (sp->type) {
        case 0:
                return ENR_ENT_PERSON;
        case 1:
                return ENR_ENT_ORG;
        case 2:
                if (whole && (m.classes & (ENR_GAZ_COUNTRY | ENR_GAZ_REGION |
                                           ENR_GAZ_CITY))) {
                        memcpy(code, m.code, 3);
                        code[3] = '\0';
                        return ENR_ENT_GPE;
                }
                if (!tg->map_g)
                        return ENR_ENT_GPE;
                return ENR_ENT_LOC;
        default:
                break;
        }
        if (whole && (m.classes & ENR_GAZ_NORP)) {
                memcpy(code, m.code, 3);
                code[3] = '\0';
                return ENR_ENT_NORP;
        }
        /* A law word heads a law's name: it ends it or comes before "of"
         * or "on" ("Terrorism Act", "Treaty of Rome"); elsewhere it does
         * not ("Law Lords"), nor in an award ("Best Dance Act"). */
        for (size_t i = sp->start; i < sp->end; i++)
                if (tok_is(t, i, law_words) &&
                    (i + 1 == sp->end || tok_is(t, i + 1, law_links)) &&
                    !enr_tok_ieq(t, sp->start, "best"))
                        return ENR_ENT_LAW;
        /* Names of several words listed as events that end like a demonym
         * are groups ("Sri Lankans", "Roman Catholic"). */
        if (whole && (m.classes & ENR_GAZ_EVENT) && sp->end - sp->start > 1 &&
            (demonym_like(t, sp->end - 1) || demonyms_like(t, sp->end - 1)) &&
            !has_event_word(t, sp))
                return ENR_ENT_NORP;
        /* An organisation word at the end makes an organisation, whatever
         * event word comes before ("Hellenic Olympic Committee"). */
        if (tg->map_g && sp->end - sp->start > 1 &&
            !tok_is(t, sp->end - 1, event_words) &&
            (enr_gazetteer_word(tg->map_g, t->s + t->toks[sp->end - 1].start,
                                t->toks[sp->end - 1].end -
                                    t->toks[sp->end - 1].start) &
             ENR_GAZ_ORG_SUFFIX))
                return ENR_ENT_ORG;
        if (whole && (m.classes & ENR_GAZ_EVENT))
                return ENR_ENT_EVENT;
        if (has_event_word(t, sp))
                return ENR_ENT_EVENT;
        *guess = !(sp->end - sp->start == 1 && demonym_like(t, sp->start));
        return ENR_ENT_NORP;
}

enr_err_t enr_tagger_extract(const enr_tagger_t *tg, enr_tagger_scratch_t *s,
                             const enr_text_t *t, enr_field_t field,
                             enr_mentions_t *out, size_t max) {
        const enr_tagger_span_t *sp;
        size_t                   nsp;
        enr_err_t                err;

        if ((err = enr_tagger_tag(tg, s, t, &sp, &nsp)))
                return err;
        for (size_t i = 0; i < nsp; i++) {
                char           code[4];
                bool           guess = false;
                enr_ent_type_t type  = map_type(tg, t, &sp[i], code, &guess);
                enr_mention_t *m =
                    enr_mentions_push(out, field, t->toks[sp[i].start].start,
                                      t->toks[sp[i].end - 1].end, type, max);
                if (!m)
                        return max && out->n >= max ? ENR_ERR_LIMIT
                                                    : ENR_ERR_NOMEM;
                /* A guessed type lowers the confidence. */
                m->score  = guess ? 0.8f * sp[i].score : sp[i].score;
                m->source = ENR_SRC_TAGGER;
                memcpy(m->code, code, sizeof(m->code));
        }
        return ENR_OK;
}
