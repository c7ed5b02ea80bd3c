/*
 * Document-level entity resolution (see resolve.h): every name of an
 * article gets one entity and one type, chosen from all its mentions'
 * evidence.
 *
 * The name mentions are sorted by a hash of their case-folded text, so the
 * mentions of one name are adjacent; each run is one vote among the
 * entities that hold the name, plus the entities it links to (a person's
 * surname, an acronym's long form). Nothing here allocates per article
 * beyond the scratch's item array, which grows to the largest article.
 */
#include <stdlib.h>
#include <string.h>

#include "enricher/resolve.h"

/* Candidates considered for one name; more are ignored. */
#define RES_CANDS 16

/* Weights of the vote. A mention votes its confidence (at least
 * RES_MIN_VOTE) for its entity's type; a context cue adds RES_CUE for the
 * type it indicates; a one-word name that ends a multi-word PERSON adds
 * RES_SURNAME for that person. */
#define RES_MIN_VOTE 0.05f
#define RES_CUE      1.0f
#define RES_SURNAME  1.5f

/* A PERSON entity named by one word only, never with a given name or a
 * title, is doubtful in news, which introduces people by their full name:
 * its votes count this much ("Yukos", "Rosneft" tagged as people). */
#define RES_LONE_PERSON 0.5f

/* Classes of the whole name in the curated gazetteers that vote for a
 * type, and how much: a country is a GPE even as a sports team. Cities do
 * not vote: clubs and people are named after them ("Newcastle", "Denzel
 * Washington"). */
#define RES_COUNTRY 2.0f
static const struct {
        uint32_t classes;
        uint8_t  type;
        float    weight;
} RES_PRIORS[] = {
    {ENR_GAZ_COUNTRY, ENR_ENT_GPE, RES_COUNTRY},
    {ENR_GAZ_NORP, ENR_ENT_NORP, 1.0f},
    {ENR_GAZ_ORG, ENR_ENT_ORG, 1.5f},
    {ENR_GAZ_PERSON, ENR_ENT_PERSON, 1.0f},
    {ENR_GAZ_LOC, ENR_ENT_LOC, 1.0f},
    {ENR_GAZ_FAC, ENR_ENT_FAC, 1.0f},
    {ENR_GAZ_EVENT, ENR_ENT_EVENT, 1.0f},
};

/* A name ending in a word for an administrative unit ("Henry County",
 * "Rapides Parish", "Jerome Township") is a place, whatever the tagger
 * says: no person is named so, and an organisation named after one has
 * more words after it ("Henry County Sheriff's Office"). Its votes for
 * GPE. */
#define RES_ADMIN_UNIT 8.0f
static const char *const ADMIN_UNITS[] = {" County", " Parish", " Township",
                                          " Borough", NULL};

/* Classes that make a one-word name a country, continent, people or
 * organisation in its own right rather than a person's surname. */
#define RES_NOT_SURNAME                                                        \
        (ENR_GAZ_COUNTRY | ENR_GAZ_LOC | ENR_GAZ_NORP | ENR_GAZ_ORG)

struct enr_resolve {
        const enr_gazetteer_t *g;
};

/* One name mention: where it is and the hash of its case-folded text. */
typedef struct res_item {
        uint64_t key;
        uint32_t m;
} res_item_t;

struct enr_resolve_scratch {
        res_item_t *items;
        size_t      cap;
};

/* One entity competing for a name. */
typedef struct res_cand {
        int32_t entity;
        float   weight;  /* Votes of its own mentions of the name. */
        int     acronym; /* It holds the long form the name spells. */
} res_cand_t;

enr_resolve_t *enr_resolve_new(const enr_gazetteer_t *g) {
        enr_resolve_t *r = calloc(1, sizeof(*r));

        if (r)
                r->g = g;
        return r;
}

void enr_resolve_destroy(enr_resolve_t *r) {
        free(r);
}

enr_resolve_scratch_t *enr_resolve_scratch_new(void) {
        return calloc(1, sizeof(enr_resolve_scratch_t));
}

void enr_resolve_scratch_destroy(enr_resolve_scratch_t *s) {
        if (!s)
                return;
        free(s->items);
        free(s);
}

static int lower_ascii(int c) {
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static bool is_upper(char c) {
        return c >= 'A' && c <= 'Z';
}

/* FNV-1a over the case-folded bytes. */
static uint64_t fold_hash(const char *s, size_t n) {
        uint64_t h = 14695981039346656037ULL;
        size_t   i;

        for (i = 0; i < n; i++) {
                h ^= (uint64_t)lower_ascii((unsigned char)s[i]);
                h *= 1099511628211ULL;
        }
        return h;
}

static int cmp_item(const void *a, const void *b) {
        const res_item_t *x = a, *y = b;

        if (x->key != y->key)
                return x->key < y->key ? -1 : 1;
        return x->m < y->m ? -1 : x->m > y->m;
}

/* The text of span [start, end) of field, or NULL. */
static const char *span_text(const enr_fields_t *f, unsigned field,
                             uint32_t start, uint32_t end) {
        const enr_text_t *t;

        if (field > ENR_FIELD_BODY || !(t = f->text[field]) || end > t->len)
                return NULL;
        return t->s + start;
}

/*
 * Acronyms.
 */

/* Whether acr[ai..) spells words w[wi..) (see enr_resolve_is_acronym). */
static bool spells(const char *acr, size_t alen, size_t ai,
                   const char *const *w, const size_t *wl, size_t nw,
                   size_t wi) {
        size_t k;

        if (wi == nw)
                return ai == alen;
        if (wl[wi] == 1 && w[wi][0] == '&') {
                if (ai < alen && acr[ai] == '&' &&
                    spells(acr, alen, ai + 1, w, wl, nw, wi + 1))
                        return true;
                return spells(acr, alen, ai, w, wl, nw, wi + 1);
        }
        if (!is_upper(w[wi][0]))
                return spells(acr, alen, ai, w, wl, nw, wi + 1);
        /* A prefix of the word: its initial, or more letters while the
         * word is in capitals ("UK" of "UK Independence Party"). */
        for (k = 1; k <= wl[wi] && ai + k <= alen; k++) {
                if (acr[ai + k - 1] != w[wi][k - 1])
                        break;
                if (k > 1 && !is_upper(w[wi][k - 1]))
                        break;
                if (spells(acr, alen, ai + k, w, wl, nw, wi + 1))
                        return true;
        }
        return false;
}

bool enr_resolve_is_acronym(const char *acr, size_t alen, const char *l,
                            size_t llen) {
        const char *w[12];
        size_t      wl[12], nw = 0, i, caps = 0, cap_words = 0;

        if (alen < 2 || alen > 8 || llen <= alen)
                return false;
        for (i = 0; i < alen; i++) {
                if (!is_upper(acr[i]) && acr[i] != '&')
                        return false;
                caps += is_upper(acr[i]);
        }
        if (caps < 2)
                return false;
        for (i = 0; i < llen;) {
                size_t j = i;
                while (j < llen && l[j] != ' ' && l[j] != '-')
                        j++;
                if (j > i) {
                        if (nw == 12)
                                return false;
                        cap_words += is_upper(l[i]);
                        w[nw]    = l + i;
                        wl[nw++] = j - i;
                }
                i = j + 1;
        }
        return cap_words >= 2 && spells(acr, alen, 0, w, wl, nw, 0);
}

/*
 * Context cues.
 */

/* The index of the token starting at byte off in t, or t->ntoks. */
static size_t tok_at(const enr_text_t *t, uint32_t off) {
        size_t lo = 0, hi = t->ntoks;

        while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                if (t->toks[mid].start < off)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        return lo;
}

/* Words right after a company's name, also after "'s" ("Yukos shares",
 * "BA's chief executive", "Rosneft officials"). */
static const char *const ORG_AFTER[] = {
    "shares",     "shareholders", "shareholder", "stock",
    "chairman",   "chairwoman",   "chief",       "boss",
    "bosses",     "board",        "profits",     "profit",
    "revenues",   "revenue",      "subsidiary",  "takeover",
    "executives", "officials",    "owner",       "owners",
    "unit",       "staff",        "employees",   "workers",
    "customers",  "subscribers",  NULL};
/* Words that put a company's name in apposition ("oil giant Yukos",
 * "state-owned Rosneft", "carrier Alitalia"). */
static const char *const ORG_BEFORE[] = {
    "giant",    "firm",         "company",     "carrier",      "airline",
    "bank",     "maker",        "retailer",    "operator",     "broadcaster",
    "insurer",  "chain",        "supermarket", "manufacturer", "producer",
    "lender",   "conglomerate", "state-owned", "publisher",    "developer",
    "provider", "brewer",       "group",       "firms",        "companies",
    NULL};
/* Words before "in"/"of" before a company's name ("shares in Yukos"). */
static const char *const ORG_STAKE[] = {
    "shares", "stake", "stakes", "holding", "takeover", "bid", NULL};
static const char *const HONORIFICS[] = {"mr",    "mrs", "ms",   "miss", "dr",
                                         "prof",  "mr.", "mrs.", "ms.",  "dr.",
                                         "prof.", "sir", "dame", NULL};
static const char *const IN[]         = {"in", NULL};
static const char *const LIST_WORDS[] = {"and", ",", "or", NULL};
static const char *const IN_OF[]      = {"in", "of", "for", NULL};
static const char *const CLITIC_S[]   = {"'s", "\xe2\x80\x99s", "'",
                                         "\xe2\x80\x99", NULL};

/* The type the context of mention x suggests, or -1. */
static int cue(const enr_resolve_t *r, const enr_text_t *t,
               const enr_mention_t *x, uint32_t classes) {
        size_t i = tok_at(t, x->start), j;

        if (i >= t->ntoks || t->toks[i].start != x->start)
                return -1;
        /* An honorific opening the name ("Mr Ebbers"; not "Queen's Park"
         * or "Major League Baseball"), or a title before it. */
        if (i + 1 < t->ntoks && t->toks[i + 1].end <= x->end &&
            enr_tok_in(t, i, HONORIFICS))
                return ENR_ENT_PERSON;
        if (i > 0 && r->g) {
                const enr_token_t *p = &t->toks[i - 1];
                if (enr_gazetteer_word(r->g, t->s + p->start,
                                       p->end - p->start) &
                    ENR_GAZ_TITLE)
                        return ENR_ENT_PERSON;
        }
        /* A listed place after "in", alone or in a list ("in Lyon and
         * Marseille"). */
        if (classes & (ENR_GAZ_COUNTRY | ENR_GAZ_REGION | ENR_GAZ_CITY)) {
                size_t k = i, steps = 0;
                while (k > 0 && steps++ < 8) {
                        const enr_token_t *p = &t->toks[k - 1];
                        if (p->sent != t->toks[i].sent)
                                break;
                        if (enr_tok_in(t, k - 1, IN))
                                return ENR_ENT_GPE;
                        if (!enr_tok_in(t, k - 1, LIST_WORDS) &&
                            !(p->flags & ENR_TOKF_UPPER_INITIAL))
                                break;
                        k--;
                }
        }
        if (i >= 2 && enr_tok_in(t, i - 1, IN_OF) &&
            enr_tok_in(t, i - 2, ORG_STAKE))
                return ENR_ENT_ORG;
        if (i >= 1 && t->toks[i - 1].sent == t->toks[i].sent &&
            enr_tok_in(t, i - 1, ORG_BEFORE))
                return ENR_ENT_ORG;
        j = tok_at(t, x->end);
        if (enr_tok_in(t, j, CLITIC_S))
                j++;
        if (j < t->ntoks && t->toks[j].sent == t->toks[i].sent &&
            enr_tok_in(t, j, ORG_AFTER))
                return ENR_ENT_ORG;
        return -1;
}

/*
 * The vote.
 */

/* Whether s[0..sl) is a name and an administrative unit's word: a
 * capitalised word, then " County" etc. */
static bool admin_unit(const char *s, size_t sl) {
        for (size_t i = 0; ADMIN_UNITS[i]; i++) {
                size_t n = strlen(ADMIN_UNITS[i]);
                if (sl > n && is_upper(s[0]) &&
                    !memcmp(s + sl - n, ADMIN_UNITS[i], n))
                        return true;
        }
        return false;
}

/* Adds entity to cands (once); returns its slot or -1 when full. */
/* The weight of candidate c's votes (see RES_LONE_PERSON). */
static float cand_weight(const res_cand_t *c, const enr_entities_t *e,
                         const enr_fields_t *f) {
        const enr_entity_t *en = &e->v[c->entity];
        const char         *es = span_text(f, en->field, en->start, en->end);

        if (en->type == ENR_ENT_PERSON && es &&
            !memchr(es, ' ', en->end - en->start))
                return c->weight * RES_LONE_PERSON;
        return c->weight;
}

static int cand_add(res_cand_t *c, size_t *n, int32_t entity) {
        size_t i;

        for (i = 0; i < *n; i++)
                if (c[i].entity == entity)
                        return (int)i;
        if (*n == RES_CANDS)
                return -1;
        c[*n].entity  = entity;
        c[*n].weight  = 0;
        c[*n].acronym = 0;
        return (int)(*n)++;
}

/* The curated gazetteer classes of the name s[0..sl), as written, else
 * folded ("NEW YORK" in a headline); *gm holds the entry found. Only the
 * curated lists vote: the lists derived from CoNLL's training labels would
 * only echo the tagger. */
static uint32_t curated_classes(const enr_resolve_t *r, const char *s,
                                size_t sl, enr_gaz_match_t *gm) {
        char folded[64];
        bool found;

        if (!r->g || sl >= sizeof(folded))
                return 0;
        found = enr_gazetteer_find(r->g, s, sl, false, gm) && gm->curated;
        if (!found) {
                for (size_t i = 0; i < sl; i++)
                        folded[i] = (char)lower_ascii((unsigned char)s[i]);
                found = enr_gazetteer_find(r->g, folded, sl, true, gm) &&
                        gm->curated;
        }
        return found ? gm->curated : 0;
}

/* Links of the one-word name s[0..sl) to other entities: a person whose
 * name ends with this word; a long form this acronym spells. */
static void add_links(const enr_entities_t *e, const enr_fields_t *f,
                      const char *s, size_t sl, uint32_t classes,
                      bool acronym_like, res_cand_t *cand, size_t *nc) {
        for (size_t i = 0; i < e->n; i++) {
                const enr_entity_t *en = &e->v[i];
                const char *es = span_text(f, en->field, en->start, en->end);
                size_t      el = en->end - en->start;
                int         c;
                if (!es || el <= sl ||
                    !enr_ent_type_is_name((enr_ent_type_t)en->type))
                        continue;
                if (en->type == ENR_ENT_PERSON &&
                    !(classes & RES_NOT_SURNAME) && es[el - sl - 1] == ' ' &&
                    enr_ascii_ieq(es + el - sl, sl, s, sl)) {
                        c = cand_add(cand, nc, (int32_t)i);
                        if (c >= 0)
                                cand[c].weight += RES_SURNAME;
                } else if (acronym_like &&
                           enr_resolve_is_acronym(s, sl, es, el)) {
                        c = cand_add(cand, nc, (int32_t)i);
                        if (c >= 0)
                                cand[c].acronym = 1;
                }
        }
}

/* Of two or more candidate entities of a name of sl bytes, the one that
 * takes it, and its type in *best_type: an acronym's long form (the first
 * one named), else the strongest entity of the type with the most votes,
 * failing one the strongest that is the name itself; -1 when none. */
static int pick_candidate(const res_cand_t *cand, size_t nc,
                          const enr_entities_t *e, const enr_fields_t *f,
                          size_t sl, float *votes, int *best_type) {
        float  best = -1;
        int    win  = -1;
        size_t i;

        for (i = 0; i < nc && win < 0; i++)
                if (cand[i].acronym)
                        win = (int)i;
        if (win >= 0) {
                *best_type = e->v[cand[win].entity].type;
                return win;
        }
        for (i = 0; i < nc; i++)
                votes[e->v[cand[i].entity].type] += cand_weight(&cand[i], e, f);
        for (i = 0; i < ENR_ENT__COUNT; i++)
                if (votes[i] > best) {
                        best       = votes[i];
                        *best_type = (int)i;
                }
        best = -1;
        for (i = 0; i < nc; i++)
                if (e->v[cand[i].entity].type == *best_type &&
                    cand[i].weight > best) {
                        best = cand[i].weight;
                        win  = (int)i;
                }
        for (i = 0; win < 0 && i < nc; i++) {
                const enr_entity_t *en = &e->v[cand[i].entity];
                if (en->end - en->start == sl &&
                    (best < 0 || cand[i].weight > best)) {
                        best = cand[i].weight;
                        win  = (int)i;
                }
        }
        return win;
}

/* Resolves the name whose mentions are items[a..b). Returns the number of
 * mentions that changed type. */
static size_t resolve_name(const enr_resolve_t *r, const res_item_t *items,
                           size_t a, size_t b, enr_entities_t *e,
                           enr_mentions_t *m, const enr_fields_t *f) {
        res_cand_t           cand[RES_CANDS];
        float                votes[ENR_ENT__COUNT] = {0};
        float                alone[ENR_ENT__COUNT] = {0};
        size_t               nc = 0, i, changed = 0;
        const enr_mention_t *x0 = &m->v[items[a].m];
        const char          *s  = span_text(f, x0->field, x0->start, x0->end);
        size_t               sl = x0->end - x0->start;
        bool                 one_word, acronym_like, admin;
        int                  best_type = -1, win = -1;
        uint32_t             classes = 0;
        enr_gaz_match_t      gm;

        if (!s)
                return 0;
        classes = curated_classes(r, s, sl, &gm);
        for (i = 0; i < sizeof(RES_PRIORS) / sizeof(RES_PRIORS[0]); i++)
                if (classes & RES_PRIORS[i].classes)
                        votes[RES_PRIORS[i].type] += RES_PRIORS[i].weight;
        /* A name with one entity is retyped by cues and by being a
         * country, not by the weaker lists ("Gaza Strip" stays a GPE). */
        if (classes & ENR_GAZ_COUNTRY)
                alone[ENR_ENT_GPE] += RES_COUNTRY;
        if ((admin = admin_unit(s, sl))) {
                votes[ENR_ENT_GPE] += RES_ADMIN_UNIT;
                alone[ENR_ENT_GPE] += RES_ADMIN_UNIT;
        }
        one_word     = memchr(s, ' ', sl) == NULL;
        acronym_like = one_word && sl >= 2 && sl <= 8 && is_upper(s[0]);
        for (i = 0; acronym_like && i < sl; i++)
                if (!is_upper(s[i]) && s[i] != '&')
                        acronym_like = false;

        /* The entities holding the name, and the cues around it. */
        for (i = a; i < b; i++) {
                const enr_mention_t *x = &m->v[items[i].m];
                const char *xs = span_text(f, x->field, x->start, x->end);
                int         c, ct;
                if (!xs || !enr_ascii_ieq(xs, x->end - x->start, s, sl))
                        continue; /* A hash collision: left alone. */
                c = cand_add(cand, &nc, x->entity);
                if (c < 0)
                        continue;
                cand[c].weight +=
                    x->score > RES_MIN_VOTE ? x->score : RES_MIN_VOTE;
                ct = cue(r, f->text[x->field], x, classes);
                if (ct >= 0) {
                        votes[ct] += RES_CUE;
                        alone[ct] += RES_CUE;
                }
        }
        /* Links: a person whose name ends with this word; a long form
         * this acronym spells. */
        if (one_word)
                add_links(e, f, s, sl, classes, acronym_like, cand, &nc);
        /* A city's name may name a place and a club in one story ("Milan"
         * and AC Milan, "Birmingham 2 Norwich 1" under a Birmingham
         * dateline): when the only readings are a place and an
         * organisation, the two entities stay apart. */
        if (nc >= 2 && (classes & (ENR_GAZ_CITY | ENR_GAZ_REGION))) {
                bool place_or_org = true;
                for (i = 0; i < nc; i++) {
                        unsigned t = e->v[cand[i].entity].type;
                        if (t != ENR_ENT_GPE && t != ENR_ENT_LOC &&
                            t != ENR_ENT_ORG)
                                place_or_org = false;
                }
                if (place_or_org)
                        return 0;
        }
        if (nc < 2) {
                if (nc == 0)
                        return 0;
                /* One entity: only cues against its type may retype it,
                 * when they outweigh its own votes; never a person's full
                 * name ("rival Maria Mutola") unless it is a county's. */
                const enr_entity_t *en = &e->v[cand[0].entity];
                if (en->type == ENR_ENT_PERSON && !admin &&
                    cand_weight(&cand[0], e, f) == cand[0].weight)
                        return 0;
                best_type = en->type;
                for (i = 0; i < ENR_ENT__COUNT; i++)
                        if (alone[i] > cand_weight(&cand[0], e, f) &&
                            alone[i] > alone[best_type])
                                best_type = (int)i;
                if (best_type == e->v[cand[0].entity].type)
                        return 0;
                win = 0;
        } else {
                win = pick_candidate(cand, nc, e, f, sl, votes, &best_type);
                if (win < 0)
                        return 0;
        }
        /* The winner takes every mention of the name. */
        {
                enr_entity_t *w = &e->v[cand[win].entity];
                if (w->end - w->start == sl)
                        w->type = (uint8_t)best_type;
                if (classes && !w->code[0] && gm.code[0] &&
                    enr_ent_type_has_code((enr_ent_type_t)w->type))
                        memcpy(w->code, gm.code, sizeof(w->code));
                for (i = a; i < b; i++) {
                        enr_mention_t *x = &m->v[items[i].m];
                        const char    *xs =
                            span_text(f, x->field, x->start, x->end);
                        if (!xs || !enr_ascii_ieq(xs, x->end - x->start, s, sl))
                                continue;
                        if (x->type != w->type)
                                changed++;
                        x->entity = cand[win].entity;
                        x->type   = w->type;
                }
        }
        return changed;
}

enr_err_t enr_resolve_apply(const enr_resolve_t *r, enr_resolve_scratch_t *s,
                            enr_entities_t *e, enr_mentions_t *m,
                            const enr_fields_t *f, size_t *changed) {
        size_t n = 0, i, a, total = 0;

        if (changed)
                *changed = 0;
        if (m->n > s->cap) {
                res_item_t *v = realloc(s->items, m->n * sizeof(*v));
                if (!v)
                        return ENR_ERR_NOMEM;
                s->items = v;
                s->cap   = m->n;
        }
        for (i = 0; i < m->n; i++) {
                const enr_mention_t *x = &m->v[i];
                const char          *xs;
                /* A dateline names the place the story was filed from,
                 * whatever else the same word names in the story (a
                 * club). */
                if (!enr_ent_type_is_name((enr_ent_type_t)x->type) ||
                    x->entity < 0 || (x->flags & ENR_MENTF_DATELINE))
                        continue;
                xs = span_text(f, x->field, x->start, x->end);
                if (!xs)
                        continue;
                s->items[n].key = fold_hash(xs, x->end - x->start);
                s->items[n].m   = (uint32_t)i;
                n++;
        }
        if (n == 0)
                return ENR_OK;
        qsort(s->items, n, sizeof(*s->items), cmp_item);
        for (a = 0; a < n; a = i) {
                for (i = a + 1; i < n && s->items[i].key == s->items[a].key;
                     i++)
                        ;
                total += resolve_name(r, s->items, a, i, e, m, f);
        }
        if (changed)
                *changed = total;
        return enr_entities_regroup(e, m);
}
