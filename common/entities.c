/*
 * Entities: the mention list every extractor appends to, and the per-article
 * entity table built from it.
 *
 * enr_entities_build() works in four passes over the mentions of one
 * article: it drops invalid spans and resolves overlaps (a mention that
 * contains another wins, so "Al-Aqsa 2" stays a name and "Ebrahim Raisi"
 * beats "Raisi"; otherwise the longer, then the higher-scored), fills
 * code-point offsets from the fields' tokens, sorts the survivors by field
 * and offset (title before body), and merges them into entities: the same
 * text and type, a later (or earlier) short form of a full PERSON name
 * ("Raisi" -> "Ebrahim Raisi"), or an acronym defined in parentheses after
 * its long form ("Organisation of Islamic Cooperation (OIC)"). Everything is
 * deterministic: ties are broken by offsets and types, never by addresses.
 */
#include <stdlib.h>
#include <string.h>

#include "enricher/entities.h"

/* Limits: mentions per article the table accepts, and the longest text (in
 * bytes) compared when merging. */
#define ENT_MENTIONS_MAX 1000000
#define ENT_TEXT_MAX     1024

/* Mentions scored below this have a guessed type that a merge may change. */
#define ENT_SURE 0.5f

static const char *const ent_type_names[ENR_ENT__COUNT] = {
    "PERSON",  "NORP",    "FAC",         "ORG",      "GPE",      "LOC",
    "PRODUCT", "EVENT",   "WORK_OF_ART", "LAW",      "LANGUAGE", "DATE",
    "TIME",    "PERCENT", "MONEY",       "QUANTITY", "ORDINAL",  "CARDINAL",
};

const char *enr_ent_type_name(enr_ent_type_t type) {
        if ((int)type < 0 || type >= ENR_ENT__COUNT)
                return "?";
        return ent_type_names[type];
}

int enr_ent_type_parse(const char *name) {
        int i;

        if (!name)
                return -1;
        for (i = 0; i < ENR_ENT__COUNT; i++)
                if (!strcmp(ent_type_names[i], name))
                        return i;
        return -1;
}

bool enr_ent_type_is_name(enr_ent_type_t type) {
        return type <= ENR_ENT_LANGUAGE;
}

const char *enr_approx_name(enr_approx_t a) {
        switch (a) {
        case ENR_APPROX_ABOUT:
                return "about";
        case ENR_APPROX_MORE_THAN:
                return "more_than";
        case ENR_APPROX_LESS_THAN:
                return "less_than";
        default:
                return NULL;
        }
}

void enr_mentions_init(enr_mentions_t *m) {
        memset(m, 0, sizeof(*m));
}

void enr_mentions_clear(enr_mentions_t *m) {
        free(m->v);
        memset(m, 0, sizeof(*m));
}

void enr_mentions_reset(enr_mentions_t *m) {
        m->n = 0;
}

enr_mention_t *enr_mentions_push(enr_mentions_t *m, enr_field_t field,
                                 uint32_t start, uint32_t end,
                                 enr_ent_type_t type, size_t max) {
        enr_mention_t *x;

        if ((max && m->n >= max) || m->n >= ENT_MENTIONS_MAX)
                return NULL;
        if (m->n == m->cap) {
                size_t         cap = m->cap ? m->cap * 2 : 64;
                enr_mention_t *v   = realloc(m->v, cap * sizeof(*v));
                if (!v)
                        return NULL;
                m->v   = v;
                m->cap = cap;
        }
        x = &m->v[m->n++];
        memset(x, 0, sizeof(*x));
        x->field    = (uint8_t)field;
        x->start    = start;
        x->end      = end;
        x->type     = (uint8_t)type;
        x->entity   = -1;
        x->cp_start = start;
        x->cp_end   = end;
        return x;
}

void enr_entities_init(enr_entities_t *e) {
        memset(e, 0, sizeof(*e));
}

void enr_entities_clear(enr_entities_t *e) {
        free(e->v);
        free(e->order);
        free(e->tmp);
        free(e->remap);
        memset(e, 0, sizeof(*e));
}

/* The text a mention's field holds, or NULL. */
static const enr_text_t *field_text(const enr_fields_t *f, unsigned field) {
        if (!f || field > ENR_FIELD_BODY)
                return NULL;
        return f->text[field];
}

/* Sort order of the final list: field, start, longer first, type. */
static int cmp_pos(const void *a, const void *b) {
        const enr_mention_t *x = a, *y = b;

        if (x->field != y->field)
                return x->field < y->field ? -1 : 1;
        if (x->start != y->start)
                return x->start < y->start ? -1 : 1;
        if (x->end != y->end)
                return x->end > y->end ? -1 : 1;
        if (x->type != y->type)
                return x->type < y->type ? -1 : 1;
        return (int)x->source - (int)y->source;
}

/*
 * Resolves overlaps in a list sorted by cmp_pos: a mention survives unless
 * it overlaps a kept one. Among overlapping mentions the container wins;
 * for a partial overlap the longer, then the higher-scored, then the
 * earlier one.
 */
static void resolve_overlaps(enr_mentions_t *m) {
        size_t kept = 0, i;

        for (i = 0; i < m->n; i++) {
                enr_mention_t *x = &m->v[i];
                if (kept) {
                        enr_mention_t *p = &m->v[kept - 1];
                        if (p->field == x->field && x->start < p->end) {
                                uint32_t lp = p->end - p->start;
                                uint32_t lx = x->end - x->start;
                                int      x_wins;
                                if (x->end <= p->end)
                                        x_wins = 0; /* Inside p. */
                                else if (lx != lp)
                                        x_wins = lx > lp;
                                else
                                        x_wins = x->score > p->score;
                                if (x_wins)
                                        m->v[kept - 1] = *x;
                                continue;
                        }
                }
                m->v[kept++] = *x;
        }
        m->n = kept;
}

/* The code-point offset of byte offset off in text t. */
static uint32_t cp_of(const enr_text_t *t, uint32_t off) {
        size_t lo = 0, hi;

        if (!t || !t->ntoks || !t->toks)
                return off;
        hi = t->ntoks;
        /* The last token starting at or before off. */
        while (hi - lo > 1) {
                size_t mid = (lo + hi) / 2;
                if (t->toks[mid].start <= off)
                        lo = mid;
                else
                        hi = mid;
        }
        if (t->toks[lo].start > off)
                return (uint32_t)enr_utf8_count(t->s, off);
        return t->toks[lo].cp_start +
               (uint32_t)enr_utf8_count(t->s + t->toks[lo].start,
                                        off - t->toks[lo].start);
}

/* Whether short_ is a proper word-aligned suffix of long_ ("Raisi" of
 * "Ebrahim Raisi"). */
static bool is_name_suffix(const char *s, size_t slen, const char *l,
                           size_t llen) {
        if (slen == 0 || slen >= llen)
                return false;
        if (!enr_ascii_ieq(l + llen - slen, slen, s, slen))
                return false;
        return l[llen - slen - 1] == ' ';
}

/*
 * Whether acr (all capitals, 2-8 letters) is the initials of the capitalised
 * words of long_ ("OIC" of "Organisation of Islamic Cooperation").
 */
static bool is_acronym_of(const char *acr, size_t alen, const char *l,
                          size_t llen) {
        char   ini[16];
        size_t n = 0, i;

        if (alen < 2 || alen > 8)
                return false;
        for (i = 0; i < alen; i++)
                if (acr[i] < 'A' || acr[i] > 'Z')
                        return false;
        for (i = 0; i < llen; i++) {
                bool word_start = i == 0 || l[i - 1] == ' ' || l[i - 1] == '-';
                if (word_start && l[i] >= 'A' && l[i] <= 'Z') {
                        if (n == sizeof(ini))
                                return false;
                        ini[n++] = l[i];
                }
        }
        return n == alen && !memcmp(ini, acr, n);
}

/* Whether the mention at x is "(ACR)" right after the mention at p. */
static bool in_parens_after(const enr_text_t *t, const enr_mention_t *p,
                            const enr_mention_t *x) {
        uint32_t i;

        if (!t || p->field != x->field || x->start < p->end)
                return false;
        for (i = p->end; i < x->start; i++) {
                char c = t->s[i];
                if (c != ' ' && c != '(')
                        return false;
        }
        return x->start > p->end && t->s[x->start - 1] == '(' &&
               x->end < t->len && t->s[x->end] == ')';
}

/* Sets the type of the mentions before index upto that belong to entity. */
static void retype_entity(enr_mentions_t *m, size_t upto, int32_t entity,
                          uint8_t type) {
        size_t k;

        for (k = 0; k < upto; k++)
                if (m->v[k].entity == entity)
                        m->v[k].type = type;
}

/* Types that carry an ISO 3166 country code; a mention merged into an entity
 * of another type (a "Christmas" guessed GPE inside a DATE) leaves its code
 * behind. */
bool enr_ent_type_has_code(enr_ent_type_t type) {
        return type == ENR_ENT_GPE || type == ENR_ENT_NORP ||
               type == ENR_ENT_LOC;
}

static bool type_has_code(unsigned type) {
        return enr_ent_type_has_code((enr_ent_type_t)type);
}

/* The order array: mention indices grouped by entity, each group in text
 * order (a counting sort over entity indices); sets each entity's first. */
static enr_err_t build_order(enr_entities_t *e, const enr_mentions_t *m) {
        size_t   i;
        uint32_t cursor;

        if (m->n > e->order_cap) {
                uint32_t *o = realloc(e->order, m->n * sizeof(*o));
                if (!o)
                        return ENR_ERR_NOMEM;
                e->order     = o;
                e->order_cap = m->n;
        }
        /* first doubles as a cursor during the fill. */
        for (i = 0, cursor = 0; i < e->n; i++) {
                e->v[i].first = cursor;
                cursor += e->v[i].count;
        }
        for (i = 0; i < m->n; i++)
                e->order[e->v[m->v[i].entity].first++] = (uint32_t)i;
        for (i = 0; i < e->n; i++)
                e->v[i].first -= e->v[i].count;
        return ENR_OK;
}

static enr_err_t grow_entities(enr_entities_t *e) {
        size_t        cap;
        enr_entity_t *v;

        if (e->n < e->cap)
                return ENR_OK;
        cap = e->cap ? e->cap * 2 : 32;
        v   = realloc(e->v, cap * sizeof(*v));
        if (!v)
                return ENR_ERR_NOMEM;
        e->v   = v;
        e->cap = cap;
        return ENR_OK;
}

/* Gives entity en, which mention i of m now joins, the type of that
 * mention; a code its new type cannot have is dropped. */
static void take_type(enr_mentions_t *m, size_t i, enr_entities_t *e, int32_t j,
                      uint8_t type) {
        enr_entity_t *en = &e->v[j];

        retype_entity(m, i, j, type);
        en->type = type;
        if (!type_has_code(en->type))
                en->code[0] = '\0';
}

/* The earlier entity that mention i (text xs[0..xl)) names again: the same
 * text, or a person's name it ends or is ended by; -1 when none. *longer
 * when the mention's text is the fuller form. */
static int32_t match_earlier(enr_entities_t *e, enr_mentions_t *m,
                             const enr_fields_t *f, size_t i, const char *xs,
                             size_t xl, bool *longer) {
        enr_mention_t *x = &m->v[i];

        for (size_t j = e->n; j-- > 0;) {
                enr_entity_t     *en = &e->v[j];
                const enr_text_t *te = field_text(f, en->field);
                const char       *es;
                size_t            el = en->end - en->start;
                if (!te)
                        continue;
                es = te->s + en->start;
                if (enr_ascii_ieq(xs, xl, es, el) &&
                    (en->type == x->type || x->score < ENT_SURE ||
                     en->score < ENT_SURE)) {
                        /* The same text with a guessed type takes the
                         * surer type ("Bolz" guessed ORG in a title, a
                         * PERSON in the body). */
                        if (en->type != x->type && x->score > en->score)
                                take_type(m, i, e, (int32_t)j, x->type);
                        return (int32_t)j;
                }
                /* A guessed type yields to a person's name that ends with
                 * the same word ("Raisi" in a title). */
                if (x->type == ENR_ENT_PERSON && en->type != ENR_ENT_PERSON &&
                    en->score < ENT_SURE && en->count == 1 &&
                    is_name_suffix(es, el, xs, xl)) {
                        take_type(m, i, e, (int32_t)j, x->type);
                        *longer = true;
                        return (int32_t)j;
                }
                if (x->type != ENR_ENT_PERSON && x->score < ENT_SURE &&
                    en->type == ENR_ENT_PERSON &&
                    is_name_suffix(xs, xl, es, el))
                        return (int32_t)j;
                if (x->type != ENR_ENT_PERSON || en->type != ENR_ENT_PERSON ||
                    xl > ENT_TEXT_MAX)
                        continue;
                if (is_name_suffix(xs, xl, es, el))
                        return (int32_t)j;
                if (is_name_suffix(es, el, xs, xl)) {
                        *longer = true;
                        return (int32_t)j;
                }
        }
        return -1;
}

/* The earlier ORG entity whose long form the acronym xs[0..xl) spells, or
 * whose acronym it spells out (*longer: it becomes canonical); -1 when
 * none. */
static int32_t match_acronym(const enr_entities_t *e, const enr_fields_t *f,
                             const char *xs, size_t xl, bool *longer) {
        for (size_t j = e->n; j-- > 0;) {
                const enr_entity_t *en = &e->v[j];
                const enr_text_t   *te = field_text(f, en->field);
                if (en->type != ENR_ENT_ORG || !te)
                        continue;
                if (is_acronym_of(xs, xl, te->s + en->start,
                                  en->end - en->start))
                        return (int32_t)j;
                if (is_acronym_of(te->s + en->start, en->end - en->start, xs,
                                  xl)) {
                        *longer = true;
                        return (int32_t)j;
                }
        }
        return -1;
}

/* The entity mention i of m joins, or -1 for a new one. */
static int32_t find_entity(enr_entities_t *e, enr_mentions_t *m,
                           const enr_fields_t *f, size_t i, bool *longer) {
        enr_mention_t    *x  = &m->v[i];
        const enr_text_t *tx = field_text(f, x->field);
        const char       *xs = tx ? tx->s + x->start : NULL;
        size_t            xl = x->end - x->start;
        int32_t           found;

        *longer = false;
        if (!xs)
                return -1;
        if ((found = match_earlier(e, m, f, i, xs, xl, longer)) >= 0)
                return found;
        /* An acronym in parentheses right after its long form, or
         * matching the initials of an earlier ORG. */
        if (i > 0 &&
            (x->type == ENR_ENT_ORG || enr_ent_type_is_name(x->type))) {
                const enr_mention_t *p  = &m->v[i - 1];
                const enr_text_t    *tp = field_text(f, p->field);
                if (p->entity >= 0 && p->type == ENR_ENT_ORG &&
                    in_parens_after(tx, p, x) && tp &&
                    is_acronym_of(xs, xl, tp->s + p->start, p->end - p->start))
                        return p->entity;
        }
        /* An acronym of an earlier long form, or a long form of an
         * earlier acronym (which then becomes canonical). */
        if (x->type == ENR_ENT_ORG)
                return match_acronym(e, f, xs, xl, longer);
        return -1;
}

/* Mention i (x) joins entity found. */
static void join_entity(enr_entities_t *e, enr_mention_t *x, size_t i,
                        int32_t found, bool longer) {
        enr_entity_t *en = &e->v[found];

        x->entity = found;
        x->type   = en->type;
        en->count++;
        if (x->score > en->score)
                en->score = x->score;
        if (longer) {
                en->field = x->field;
                en->start = x->start;
                en->end   = x->end;
        }
        if (!en->code[0] && x->code[0] && type_has_code(en->type))
                memcpy(en->code, x->code, sizeof(en->code));
        if (en->value_of < 0 &&
            (x->flags & (ENR_MENTF_HAS_NUM | ENR_MENTF_HAS_DATE)))
                en->value_of = (int32_t)i;
}

/* Mention i (x) starts a new entity. */
static enr_err_t new_entity(enr_entities_t *e, enr_mention_t *x, size_t i) {
        enr_entity_t *en;
        enr_err_t     err;

        if ((err = grow_entities(e)) != ENR_OK)
                return err;
        en = &e->v[e->n];
        memset(en, 0, sizeof(*en));
        en->type     = x->type;
        en->field    = x->field;
        en->start    = x->start;
        en->end      = x->end;
        en->count    = 1;
        en->score    = x->score;
        en->value_of = (x->flags & (ENR_MENTF_HAS_NUM | ENR_MENTF_HAS_DATE))
                           ? (int32_t)i
                           : -1;
        if (type_has_code(en->type))
                memcpy(en->code, x->code, sizeof(en->code));
        x->entity = (int32_t)e->n++;
        return ENR_OK;
}

enr_err_t enr_entities_build(enr_entities_t *e, enr_mentions_t *m,
                             const enr_fields_t *f) {
        size_t    i, kept = 0;
        enr_err_t err = ENR_OK;

        e->n = 0;

        /* Pass 1: drop spans outside their field. */
        for (i = 0; i < m->n; i++) {
                enr_mention_t    *x = &m->v[i];
                const enr_text_t *t = field_text(f, x->field);
                if (x->field > ENR_FIELD_BODY || x->start >= x->end ||
                    x->type >= ENR_ENT__COUNT || (t && x->end > t->len))
                        continue;
                x->entity    = -1;
                x->tagged    = x->type;
                m->v[kept++] = *x;
        }
        m->n = kept;
        if (!m->n)
                return ENR_OK;

        /* Pass 2: sort and resolve overlaps. */
        qsort(m->v, m->n, sizeof(*m->v), cmp_pos);
        resolve_overlaps(m);

        /* Pass 3: code points. */
        for (i = 0; i < m->n; i++) {
                enr_mention_t    *x = &m->v[i];
                const enr_text_t *t = field_text(f, x->field);
                x->cp_start         = cp_of(t, x->start);
                x->cp_end           = cp_of(t, x->end);
        }

        /* Pass 4: merge. */
        for (i = 0; i < m->n; i++) {
                bool    longer;
                int32_t found = find_entity(e, m, f, i, &longer);

                if (found >= 0)
                        join_entity(e, &m->v[i], i, found, longer);
                else if ((err = new_entity(e, &m->v[i], i)) != ENR_OK)
                        return err;
        }

        return build_order(e, m);
}

enr_err_t enr_entities_regroup(enr_entities_t *e, enr_mentions_t *m) {
        size_t   i, j, n = 0;
        int32_t *remap;

        if (!e->n)
                return ENR_OK;
        if (e->n > e->tmp_cap) {
                enr_entity_t *t = realloc(e->tmp, e->n * sizeof(*t));
                int32_t      *r;
                if (!t)
                        return ENR_ERR_NOMEM;
                e->tmp = t;
                r      = realloc(e->remap, e->n * sizeof(*r));
                if (!r)
                        return ENR_ERR_NOMEM;
                e->remap   = r;
                e->tmp_cap = e->n;
        }
        remap = e->remap;
        for (j = 0; j < e->n; j++) {
                remap[j]         = -1;
                e->v[j].count    = 0;
                e->v[j].first    = 0; /* Whether the canonical span stays. */
                e->v[j].value_of = -1;
                e->v[j].score    = 0;
        }
        /* Entities in order of first mention; counts; canonical spans. */
        for (i = 0; i < m->n; i++) {
                enr_mention_t *x  = &m->v[i];
                enr_entity_t  *en = &e->v[x->entity];
                if (remap[x->entity] < 0)
                        remap[x->entity] = (int32_t)n++;
                en->count++;
                if (x->field == en->field && x->start == en->start &&
                    x->end == en->end)
                        en->first = 1;
        }
        /* An entity that lost its canonical mention takes its longest
         * remaining one. */
        for (i = 0; i < m->n; i++) {
                enr_mention_t *x  = &m->v[i];
                enr_entity_t  *en = &e->v[x->entity];
                if (en->first == 1)
                        continue;
                if (en->first == 0 || x->end - x->start > en->end - en->start) {
                        en->field = x->field;
                        en->start = x->start;
                        en->end   = x->end;
                        en->first = 2;
                }
        }
        for (j = 0; j < e->n; j++)
                if (remap[j] >= 0)
                        e->tmp[remap[j]] = e->v[j];
        memcpy(e->v, e->tmp, n * sizeof(*e->v));
        e->n = n;
        for (j = 0; j < n; j++)
                if (!type_has_code(e->v[j].type))
                        e->v[j].code[0] = '\0';
        /* Mentions take their entity's new index, type, code and value. */
        for (i = 0; i < m->n; i++) {
                enr_mention_t *x  = &m->v[i];
                enr_entity_t  *en = &e->v[remap[x->entity]];
                x->entity         = remap[x->entity];
                x->type           = en->type;
                if (x->score > en->score)
                        en->score = x->score;
                if (!en->code[0] && x->code[0] && type_has_code(en->type))
                        memcpy(en->code, x->code, sizeof(en->code));
                if (en->value_of < 0 &&
                    (x->flags & (ENR_MENTF_HAS_NUM | ENR_MENTF_HAS_DATE)))
                        en->value_of = (int32_t)i;
        }
        return build_order(e, m);
}
