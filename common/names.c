/*
 * Rule-based names: finds capitalised spans in one analysed field and
 * decides what each is (PERSON, ORG, GPE, LOC, NORP, FAC, EVENT) from the
 * gazetteers, the words around it and its shape.
 *
 * The pass over a field goes line by line. A line whose words are all in
 * capitals (a headline) is read with case-folded look-ups, and any word the
 * dictionary does not know starts a span. The first lines of a body may
 * hold a dateline ("TEHRAN –", "LONDON 1996-08-30"), whose place is marked
 * ENR_MENTF_DATELINE. Elsewhere a span is a run of capitalised words, with
 * connectors inside (bin, al, de, van, "of" after an organisation or title
 * word); possessive clitics and lower-case hyphen tails ("Israeli-led") end
 * it. Each span is then:
 *   1. stripped of leading titles (remembered as evidence of a PERSON),
 *      sentence-initial common words ("Additionally", "The") and connectors;
 *   2. taken whole when the gazetteer knows it, or when its shape says ORG
 *      (an organisation suffix: "Foreign Ministry", "Bank of England"),
 *      EVENT ("Operation …", "… Cup") or FAC ("… Airport");
 *   3. otherwise cut into gazetteer pieces and runs of unknown words; a run
 *      is a PERSON after a title, with a known given name, before "said",
 *      or when it is the surname of a person named earlier; an unknown
 *      acronym is an ORG; a lone capitalised common word is dropped; any
 *      other lone word is guessed ORG with a low score.
 * Titles are not part of a person's name ("Sheikh Mohammed bin …" gives
 * "Mohammed bin …"). Nothing is allocated: spans are token ranges, keys are
 * built in stack buffers, and the surnames seen so far live in a fixed
 * array on the stack.
 */
#include <stdlib.h>
#include <string.h>

#include "enricher/names.h"

/* The score of a mention whose type is a guess: a lone unknown capitalised
 * word is an organisation more often than not (people are introduced by
 * their full names), and enr_entities_build() may relink it to a person. */
#define ENR_NAMES_GUESS 0.3f

/* Limits: tokens in a span, surnames remembered per field, lines at the top
 * of a body searched for a dateline and at its end for boilerplate. */
#define NAMES_SPAN_MAX       16
#define NAMES_SURNAMES_MAX   64
#define NAMES_DATELINE_LINES 3
#define NAMES_TAIL_LINES     8
#define NAMES_TAIL_TOKENS    400
#define NAMES_WORD_MAX       64

struct enr_names {
        const enr_gazetteer_t *g; /* Borrowed. */
};

/* Lower-case words that may join the capitalised words of a name. */
static const char *const name_connectors[] = {
    "bin", "bint", "ibn", "abu", "al",  "el", "de",  "da",  "van", "von", "der",
    "den", "la",   "le",  "du",  "del", "di", "dos", "das", "y",   NULL};

/* Verbs of speech after a person's name. */
static const char *const speech_verbs[] = {
    "said",      "says",     "told",      "added", "stated",  "noted",
    "explained", "argued",   "warned",    "wrote", "asked",   "replied",
    "insisted",  "stressed", "announced", "urged", "tweeted", NULL};

/* Phrases that start trailing boilerplate, as lower-case token sequences
 * (at most four tokens). */
static const char *const boilerplate[][5] = {
    {"source", "link", NULL},
    {"click", "to", NULL},
    {"click", "here", NULL},
    {"follow", "us", NULL},
    {"read", "more", NULL},
    {"subscribe", NULL},
    {"copyright", NULL},
    {"©", NULL},
    {"all", "rights", "reserved", NULL},
    {"share", "this", NULL},
    {"sign", "up", NULL},
    {"related", "articles", NULL},
    {"this", "news", "has", "been", NULL},
    {"download", "our", "app", NULL},
    {"join", "our", NULL},
};

/* The state of one pass over one field. */
typedef struct names_ctx {
        const enr_names_t *n;
        const enr_text_t  *t;
        enr_field_t        field;
        enr_mentions_t    *out;
        size_t             max;
        enr_err_t          err;
        int                fold;  /* The current line is ALL CAPS. */
        int                table; /* The line is a results table row:
                                     places there are teams (ORG). */
        /* First and last tokens of the PERSON names found so far. */
        uint32_t surnames[NAMES_SURNAMES_MAX];
        size_t   nsurnames;
} names_ctx_t;

static bool is_connector(const names_ctx_t *c, size_t i);

enr_names_t *enr_names_new(const enr_gazetteer_t *g, char *errstr,
                           size_t errstr_size) {
        enr_names_t *n;

        if (!g) {
                enr_set_errstr(errstr, errstr_size, "names: no gazetteer");
                return NULL;
        }
        n = calloc(1, sizeof(*n));
        if (!n) {
                enr_set_errstr(errstr, errstr_size, "out of memory");
                return NULL;
        }
        n->g = g;
        return n;
}

void enr_names_destroy(enr_names_t *n) {
        free(n);
}

static bool is_word(const enr_text_t *t, size_t i) {
        return t->toks[i].kind == ENR_TOK_WORD &&
               !(t->toks[i].flags & ENR_TOKF_CLITIC);
}

static bool is_cap(const enr_text_t *t, size_t i) {
        return is_word(t, i) && (t->toks[i].flags & ENR_TOKF_UPPER_INITIAL);
}

static bool in_list(const enr_text_t *t, size_t i, const char *const *list) {
        size_t k;

        for (k = 0; list[k]; k++)
                if (enr_tok_ieq(t, i, list[k]))
                        return true;
        return false;
}

/* Whether token i starts a sentence, a line, or follows an opening quote or
 * bracket that does. */
static bool sentence_initial(const enr_text_t *t, size_t i) {
        const uint16_t starts =
            ENR_TOKF_SENT_START | ENR_TOKF_LINE_START | ENR_TOKF_PARA_START;

        if (t->toks[i].flags & starts)
                return true;
        return i > 0 && t->toks[i - 1].kind == ENR_TOK_PUNCT &&
               (t->toks[i - 1].flags & starts);
}

/* The classes of token i's lower-cased form (0 when too long). */
static uint32_t folded_classes(const names_ctx_t *c, size_t i) {
        char   buf[NAMES_WORD_MAX];
        size_t len;

        if (enr_tok_len(c->t, i) >= sizeof(buf))
                return 0;
        len = enr_tok_lower(c->t, i, buf, sizeof(buf));
        return enr_gazetteer_word_folded(c->n->g, buf, len);
}

static uint32_t exact_classes(const names_ctx_t *c, size_t i) {
        return enr_gazetteer_word(c->n->g, enr_tok_ptr(c->t, i),
                                  enr_tok_len(c->t, i));
}

/* Token classes: exact, or folded on ALL-CAPS lines and words. */
static uint32_t tok_classes(const names_ctx_t *c, size_t i) {
        uint32_t cl = c->fold ? 0 : exact_classes(c, i);

        if (!cl && (c->fold || ((c->t->toks[i].flags & ENR_TOKF_ALL_UPPER) &&
                                enr_tok_len(c->t, i) > 3)))
                cl = folded_classes(c, i);
        return cl;
}

/* Whether token i is a lower-case common word with no name reading. */
static bool is_common(const names_ctx_t *c, size_t i) {
        uint32_t cl = folded_classes(c, i);

        return (cl & ENR_GAZ_COMMON) &&
               !(exact_classes(c, i) &
                 (ENR_GAZ_NAME_CLASSES | ENR_GAZ_FIRST_NAME));
}

/* The longest gazetteer entry at i within [i, end). */
static bool gaz_at(const names_ctx_t *c, size_t i, size_t end,
                   enr_gaz_match_t *m) {
        if (!c->fold && enr_gazetteer_match(c->n->g, c->t, i, end, m)) {
                /* Capitalised entries of the non-name lists ("Wednesday")
                 * override any name reading of the same text. */
                if (m->classes & ENR_GAZ_COMMON)
                        m->classes &= ~(uint32_t)ENR_GAZ_NAME_CLASSES;
                return true;
        }
        if (c->fold || ((c->t->toks[i].flags & ENR_TOKF_ALL_UPPER) &&
                        enr_tok_len(c->t, i) > 3))
                return enr_gazetteer_match_folded(c->n->g, c->t, i, end, m);
        return false;
}

/* The entity type of gazetteer classes, or -1 when none is a name. */
static int type_of_classes(uint32_t cl) {
        if (cl & (ENR_GAZ_COUNTRY | ENR_GAZ_REGION))
                return ENR_ENT_GPE;
        if (cl & ENR_GAZ_LOC)
                return ENR_ENT_LOC;
        if (cl & ENR_GAZ_CITY)
                return ENR_ENT_GPE;
        if (cl & ENR_GAZ_NORP)
                return ENR_ENT_NORP;
        if (cl & ENR_GAZ_ORG)
                return ENR_ENT_ORG;
        if (cl & ENR_GAZ_PERSON)
                return ENR_ENT_PERSON;
        if (cl & ENR_GAZ_FAC)
                return ENR_ENT_FAC;
        if (cl & ENR_GAZ_EVENT)
                return ENR_ENT_EVENT;
        return -1;
}

/*
 * The type of a gazetteer match: in a results table a city or region is a
 * team ("Derbyshire 22 points", "CHICAGO 72 60 .545"); countries stay
 * places.
 */
static int match_type(const names_ctx_t *c, const enr_gaz_match_t *m) {
        int type = type_of_classes(m->classes);

        if (c->table && type == ENR_ENT_GPE && !(m->classes & ENR_GAZ_COUNTRY))
                return ENR_ENT_ORG;
        return type;
}

static enr_mention_t *emit_bytes(names_ctx_t *c, uint32_t start, uint32_t end,
                                 int type, float score, const char *code) {
        enr_mention_t *m;

        if (c->err || type < 0 || start >= end)
                return NULL;

        m = enr_mentions_push(c->out, c->field, start, end,
                              (enr_ent_type_t)type, c->max);
        if (!m) {
                c->err = c->max && c->out->n >= c->max ? ENR_ERR_LIMIT
                                                       : ENR_ERR_NOMEM;
                return NULL;
        }
        m->source = ENR_SRC_RULES;
        m->score  = score;
        if (code && code[0] &&
            (type == ENR_ENT_GPE || type == ENR_ENT_NORP ||
             type == ENR_ENT_LOC || type == ENR_ENT_FAC))
                memcpy(m->code, code, 3);
        return m;
}

/* Emits tokens [a, b) as one mention. */
static void emit(names_ctx_t *c, size_t a, size_t b, int type, float score,
                 const char *code) {
        if (a >= b)
                return;
        emit_bytes(c, c->t->toks[a].start, c->t->toks[b - 1].end, type, score,
                   code);
        /* Remember the given name and the surname of a full name. */
        if (type == ENR_ENT_PERSON && b - a >= 2 &&
            c->nsurnames + 2 <= NAMES_SURNAMES_MAX) {
                c->surnames[c->nsurnames++] = (uint32_t)(b - 1);
                c->surnames[c->nsurnames++] = (uint32_t)a;
        }
}

/* Whether token i has the text of the first or last token of a person
 * named earlier in the field ("Fidan" after "Hakan Fidan"). */
static bool known_surname(const names_ctx_t *c, size_t i) {
        size_t   k;
        uint32_t len = enr_tok_len(c->t, i);

        for (k = c->nsurnames; k-- > 0;) {
                size_t   j  = c->surnames[k];
                uint32_t jl = enr_tok_len(c->t, j);
                size_t   x;
                if (jl != len)
                        continue;
                for (x = 0; x < len; x++) {
                        char a = enr_tok_ptr(c->t, i)[x];
                        char b = enr_tok_ptr(c->t, j)[x];
                        if (a >= 'A' && a <= 'Z')
                                a = (char)(a + 32);
                        if (b >= 'A' && b <= 'Z')
                                b = (char)(b + 32);
                        if (a != b)
                                break;
                }
                if (x == len)
                        return true;
        }
        return false;
}

/* Whether a verb of speech follows the span ending before token b. */
static bool speech_after(const names_ctx_t *c, size_t b) {
        const enr_text_t *t = c->t;

        if (b < t->ntoks && t->toks[b].kind == ENR_TOK_PUNCT &&
            enr_tok_len(t, b) == 1 && *enr_tok_ptr(t, b) == ',')
                b++;
        return b < t->ntoks && is_word(t, b) && in_list(t, b, speech_verbs);
}

/* Whether "according to" precedes token a. */
static bool according_before(const names_ctx_t *c, size_t a) {
        return a >= 2 && enr_tok_ieq(c->t, a - 1, "to") &&
               enr_tok_ieq(c->t, a - 2, "according");
}

/* Whether token i is an initial ("M." of "M. Butcher"). */
static bool is_initial(const names_ctx_t *c, size_t i) {
        const char *p = enr_tok_ptr(c->t, i);

        return enr_tok_len(c->t, i) == 2 && p[0] >= 'A' && p[0] <= 'Z' &&
               p[1] == '.';
}

/* Whether a preposition of place precedes token a ("in Tavildara"). */
static bool place_before(const names_ctx_t *c, size_t a) {
        static const char *const preps[] = {"in",      "near",   "from",
                                            "outside", "across", "around",
                                            "towards", "into",   NULL};

        return a >= 1 && is_word(c->t, a - 1) && in_list(c->t, a - 1, preps);
}

static bool is_acronym(const names_ctx_t *c, size_t i) {
        uint32_t len = enr_tok_len(c->t, i);

        return !c->fold && (c->t->toks[i].flags & ENR_TOKF_ALL_UPPER) &&
               len >= 2 && len <= 6;
}

/*
 * Decides a run of tokens [a, b) the gazetteer does not know as a whole.
 * title: a title came just before.
 */
static void flush_run(names_ctx_t *c, size_t a, size_t b, bool title) {
        const enr_text_t *t = c->t;
        uint32_t          cl;

        while (a < b && !is_cap(t, a) && !c->fold)
                a++;
        while (b > a && !is_cap(t, b - 1) && !c->fold)
                b--;
        if (a >= b)
                return;
        cl = tok_classes(c, a);
        /* Evidence of a person does not make an acronym ("WSJ said") or a
         * lone common word ("General Election") one. */
        if (b - a == 1 && is_acronym(c, a)) {
                emit(c, a, b, ENR_ENT_ORG, 0.5f, NULL);
                return;
        }
        if (b - a == 1 && is_common(c, a) &&
            !(cl & (ENR_GAZ_FIRST_NAME | ENR_GAZ_PERSON)))
                return;
        if (title || (cl & (ENR_GAZ_FIRST_NAME | ENR_GAZ_PERSON)) ||
            speech_after(c, b) || according_before(c, a) ||
            (b - a >= 2 && is_initial(c, a))) {
                emit(c, a, b, ENR_ENT_PERSON, 0.7f, NULL);
                return;
        }
        if (b - a == 1) {
                if (known_surname(c, a))
                        emit(c, a, b, ENR_ENT_PERSON, 0.7f, NULL);
                else if (is_acronym(c, a))
                        emit(c, a, b, ENR_ENT_ORG, 0.5f, NULL);
                else if (!is_common(c, a) && !(cl & ENR_GAZ_COMMON) &&
                         enr_tok_len(t, a) > (c->fold ? 3u : 1u))
                        emit(c, a, b,
                             place_before(c, a) && !c->table ? ENR_ENT_GPE
                                                             : ENR_ENT_ORG,
                             ENR_NAMES_GUESS, NULL);
                return;
        }
        /* Several unknown words: a person's name when neither the first nor
         * the last is a common word ("Hen Vipheak"), else an organisation
         * ("Purchasing Managers", "Jupiter Research"). Surnames that are
         * nouns ("Miller") need a listed given name or other evidence. */
        emit(c, a, b,
             b - a <= 3 && (!is_common(c, a) || is_connector(c, a)) &&
                     !is_common(c, b - 1)
                 ? ENR_ENT_PERSON
                 : ENR_ENT_ORG,
             0.5f, NULL);
}

/* Tries the whole span [a, b) against the shape rules; true if emitted. */
static bool whole_span(names_ctx_t *c, size_t a, size_t b) {
        enr_gaz_match_t m;
        uint32_t        first, last;
        size_t          k;
        int             type;

        if (gaz_at(c, a, b, &m) && m.ntoks == b - a &&
            (type = match_type(c, &m)) >= 0) {
                emit(c, a, b, type, 0.9f, m.code);
                return true;
        }
        if (b - a < 2)
                return false;
        first = tok_classes(c, a);
        last  = tok_classes(c, b - 1);
        if (last & ENR_GAZ_ORG_SUFFIX) {
                emit(c, a, b, ENR_ENT_ORG, 0.7f, NULL);
                return true;
        }
        for (k = a + 1; k + 1 < b; k++) {
                if (enr_tok_ieq(c->t, k, "of") &&
                    (tok_classes(c, k - 1) & ENR_GAZ_ORG_SUFFIX)) {
                        emit(c, a, b, ENR_ENT_ORG, 0.7f, NULL);
                        return true;
                }
        }
        if (last & ENR_GAZ_FAC_WORD) {
                emit(c, a, b, ENR_ENT_FAC, 0.6f, NULL);
                return true;
        }
        if ((first | last) & ENR_GAZ_EVENT_WORD) {
                emit(c, a, b, ENR_ENT_EVENT, 0.6f, NULL);
                return true;
        }
        return false;
}

/* Cuts a span into gazetteer pieces and runs of unknown words. */
static void segment(names_ctx_t *c, size_t a, size_t b, bool title) {
        size_t k = a, run = SIZE_MAX;

        while (k < b && !c->err) {
                enr_gaz_match_t m;
                int             type = -1;
                bool            hit  = gaz_at(c, k, b, &m);

                if (hit)
                        type = match_type(c, &m);
                /* A given name or person entry that goes on with unknown
                 * words is the start of a person's name ("Jordan Smith"). */
                if (hit && m.ntoks == 1 &&
                    (m.classes & (ENR_GAZ_FIRST_NAME | ENR_GAZ_PERSON)) &&
                    k + 1 < b && !(tok_classes(c, k + 1) & ENR_GAZ_TITLE))
                        type = -1, hit = !!(m.classes & ENR_GAZ_TITLE);
                /* A known person's name joins the run around it ("Naina"
                 * before "Yeltsin"). */
                if (hit && type == ENR_ENT_PERSON && m.ntoks == 1)
                        type = -1, hit = false;
                if (hit && type >= 0) {
                        if (run != SIZE_MAX)
                                flush_run(c, run, k, title);
                        run = SIZE_MAX;
                        emit(c, k, k + m.ntoks, type, m.ntoks > 1 ? 0.9f : 0.8f,
                             m.code);
                        title = false;
                        k += m.ntoks;
                        continue;
                }
                if (hit && (m.classes & ENR_GAZ_TITLE) &&
                    !(m.classes & ENR_GAZ_FIRST_NAME)) {
                        if (run != SIZE_MAX)
                                flush_run(c, run, k, title);
                        run   = SIZE_MAX;
                        title = true;
                        k += m.ntoks;
                        continue;
                }
                if (hit && (m.classes & ENR_GAZ_COMMON) && m.ntoks == 1 &&
                    !(m.classes & ENR_GAZ_FIRST_NAME)) {
                        if (run != SIZE_MAX)
                                flush_run(c, run, k, title);
                        run = SIZE_MAX;
                        k++;
                        continue;
                }
                if (run == SIZE_MAX)
                        run = k;
                k++;
        }
        if (run != SIZE_MAX)
                flush_run(c, run, b, title);
}

/* Whether token i is a connector inside a name. */
static bool is_connector(const names_ctx_t *c, size_t i) {
        return is_word(c->t, i) && in_list(c->t, i, name_connectors);
}

/* Whether a span may go on over "of" at token i ("Bank of England"). */
static bool of_continues(const names_ctx_t *c, size_t span_start, size_t i) {
        uint32_t prev;

        if ((!enr_tok_ieq(c->t, i, "of") && !enr_tok_ieq(c->t, i, "for")) ||
            i == span_start)
                return false;
        prev = tok_classes(c, i - 1);
        if (prev & (ENR_GAZ_ORG_SUFFIX | ENR_GAZ_TITLE | ENR_GAZ_EVENT_WORD |
                    ENR_GAZ_FAC_WORD))
                return true;
        {
                enr_gaz_match_t m;
                return gaz_at(c, span_start, c->t->ntoks, &m) &&
                       span_start + m.ntoks > i;
        }
}

/*
 * "and" inside an organisation's name ("Securities and Exchange
 * Commission"): when the capitalised words after it end with an
 * organisation suffix within three words and the span before it is not a
 * known name ("Iran and Qatar Airways" stays apart). Returns the new end of
 * the span, or b.
 */
static size_t and_org(const names_ctx_t *c, size_t a, size_t b, size_t le) {
        enr_gaz_match_t m;
        size_t          k;

        if (c->fold || !enr_tok_ieq(c->t, b, "and") || b == a ||
            (gaz_at(c, a, b, &m) && type_of_classes(m.classes) >= 0))
                return b;
        for (k = b + 1; k < le && k <= b + 3 && is_cap(c->t, k); k++)
                if (tok_classes(c, k) & ENR_GAZ_ORG_SUFFIX)
                        return k + 1;
        return b;
}

/* Whether token i can begin or continue a span. */
static bool span_word(const names_ctx_t *c, size_t i) {
        const enr_text_t *t = c->t;

        if (!is_word(t, i))
                return false;
        if (c->fold) {
                uint32_t cl = folded_classes(c, i);
                if (cl &
                    (ENR_GAZ_NAME_CLASSES | ENR_GAZ_TITLE | ENR_GAZ_ORG_SUFFIX))
                        return true;
                return !(cl & ENR_GAZ_COMMON) &&
                       !(t->toks[i].flags & ENR_TOKF_HAS_DIGIT);
        }
        if (!is_cap(t, i))
                return false;
        /* "Israeli-led": a lower-case tail after a hyphen ends names. */
        if (t->toks[i].flags & ENR_TOKF_HAS_HYPHEN) {
                const char *p = enr_tok_ptr(t, i);
                const char *h = memchr(p, '-', enr_tok_len(t, i));
                if (h && h + 1 < p + enr_tok_len(t, i) && h[1] >= 'a' &&
                    h[1] <= 'z')
                        return false;
        }
        return true;
}

/* The name in front of a lower-case hyphen tail ("Israeli" of
 * "Israeli-led"). */
static void hyphen_prefix(names_ctx_t *c, size_t i) {
        const enr_text_t *t = c->t;
        const char       *p = enr_tok_ptr(t, i);
        const char       *h = memchr(p, '-', enr_tok_len(t, i));
        enr_gaz_match_t   m;
        int               type;

        if (!h)
                return;
        if (!enr_gazetteer_find(c->n->g, p, (size_t)(h - p), false, &m))
                return;
        type = type_of_classes(m.classes);
        if (type == ENR_ENT_NORP || type == ENR_ENT_GPE || type == ENR_ENT_ORG)
                emit_bytes(c, t->toks[i].start,
                           t->toks[i].start + (uint32_t)(h - p), type, 0.7f,
                           m.code);
}

/* Processes the span [a, b): strips, then decides it whole or in pieces. */
static void span(names_ctx_t *c, size_t a, size_t b) {
        bool title = false;

        /* A lone word that names a person seen before is that person, even
         * when it is also a title ("King" after "Larry King"). */
        if (b - a == 1 && is_cap(c->t, a) && known_surname(c, a)) {
                emit(c, a, b, ENR_ENT_PERSON, 0.7f, NULL);
                return;
        }


        while (a < b && !c->err) {
                enr_gaz_match_t m;
                bool            hit = gaz_at(c, a, b, &m);
                if (hit && (m.classes & ENR_GAZ_TITLE) &&
                    !(m.classes & ENR_GAZ_FIRST_NAME) &&
                    !(m.ntoks == b - a && type_of_classes(m.classes) >= 0)) {
                        title = true;
                        a += m.ntoks;
                        continue;
                }
                if (!is_cap(c->t, a) && !c->fold) {
                        a++; /* A connector left in front. */
                        continue;
                }
                if (hit && m.ntoks > 1 && type_of_classes(m.classes) >= 0)
                        break;
                if ((hit && (m.classes & ENR_GAZ_COMMON) &&
                     !(m.classes &
                       (ENR_GAZ_NAME_CLASSES | ENR_GAZ_FIRST_NAME))) ||
                    (sentence_initial(c->t, a) && is_common(c, a) &&
                     !(tok_classes(c, a) &
                       (ENR_GAZ_NAME_CLASSES | ENR_GAZ_FIRST_NAME)))) {
                        a++;
                        continue;
                }
                break;
        }
        /* Trailing titles and connectors ("Iran FM"). */
        while (b > a) {
                uint32_t cl = tok_classes(c, b - 1);
                /* A title after a given name is a surname ("John
                 * Major"). */
                if ((!is_cap(c->t, b - 1) && !c->fold) ||
                    ((cl & ENR_GAZ_TITLE) &&
                     !(cl & (ENR_GAZ_NAME_CLASSES | ENR_GAZ_FIRST_NAME)) &&
                     !(b - 1 > a &&
                       (tok_classes(c, b - 2) & ENR_GAZ_FIRST_NAME))))
                        b--;
                else
                        break;
        }
        if (a >= b)
                return;
        /* A lone word that names a person seen before is that person, even
         * when it is also a place ("Washington"). */
        if (b - a == 1 && known_surname(c, a)) {
                emit(c, a, b, ENR_ENT_PERSON, 0.7f, NULL);
                return;
        }
        if (!title && whole_span(c, a, b))
                return;
        if (title || (tok_classes(c, a) & ENR_GAZ_FIRST_NAME)) {
                enr_gaz_match_t m;
                /* A given name opens a person's name unless the gazetteer
                 * reads the start otherwise ("Jordan" the country alone). */
                if (title || !gaz_at(c, a, b, &m) || m.ntoks < b - a ||
                    type_of_classes(m.classes) < 0) {
                        flush_run(c, a, b, true);
                        return;
                }
        }
        segment(c, a, b, false);
}

/* Whether the line starting at token i is written in capitals. */
static bool caps_line(const enr_text_t *t, size_t i, size_t end) {
        size_t words = 0, k;

        for (k = i; k < end; k++) {
                if (k > i && (t->toks[k].flags & ENR_TOKF_LINE_START))
                        break;
                if (t->toks[k].kind != ENR_TOK_WORD)
                        continue;
                if (!(t->toks[k].flags & ENR_TOKF_ALL_UPPER) ||
                    !(t->toks[k].flags & ENR_TOKF_UPPER_INITIAL))
                        return false;
                words++;
        }
        return words >= 2;
}

/*
 * Whether the line [i, le) is a row of a results table: at least two
 * numbers, a capitalised word right before a number, and at most three
 * lower-case words.
 */
static bool table_line(const enr_text_t *t, size_t i, size_t le) {
        size_t k, numbers = 0, lower = 0;
        bool   name_num = false;

        for (k = i; k < le; k++) {
                if (t->toks[k].kind == ENR_TOK_NUMBER) {
                        numbers++;
                        if (k > i &&
                            (t->toks[k - 1].flags & ENR_TOKF_UPPER_INITIAL) &&
                            t->toks[k - 1].kind == ENR_TOK_WORD)
                                name_num = true;
                } else if (t->toks[k].kind == ENR_TOK_WORD &&
                           !(t->toks[k].flags & ENR_TOKF_UPPER_INITIAL)) {
                        lower++;
                }
        }
        return numbers >= 2 && name_num && lower <= 3;
}

static size_t line_end(const enr_text_t *t, size_t i, size_t end) {
        for (i++; i < end; i++)
                if (t->toks[i].flags & ENR_TOKF_LINE_START)
                        break;
        return i;
}

static bool is_dash(const enr_text_t *t, size_t i) {
        const char *p   = enr_tok_ptr(t, i);
        uint32_t    len = enr_tok_len(t, i);

        return (t->toks[i].kind == ENR_TOK_PUNCT) &&
               ((len == 1 && *p == '-') ||
                (len == 3 && !memcmp(p, "\xe2\x80", 2) &&
                 ((unsigned char)p[2] == 0x93 ||
                  (unsigned char)p[2] == 0x94)) ||
                (len == 2 && !memcmp(p, "--", 2)));
}

/*
 * A dateline at token i: 1-3 capitalised words in capitals followed by a
 * dash, a date or an opening bracket, with the rest of the line not a
 * headline. Returns the number of place tokens, or 0.
 */
static size_t dateline_at(const names_ctx_t *c, size_t i, size_t le) {
        const enr_text_t *t = c->t;
        size_t            k = i, rest_lower = 0, rest = 0, j;

        while (k < le && k - i < 3 && is_word(t, k) &&
               (t->toks[k].flags & ENR_TOKF_ALL_UPPER) &&
               (t->toks[k].flags & ENR_TOKF_UPPER_INITIAL) &&
               enr_tok_len(t, k) >= 2)
                k++;
        if (k == i || k >= le)
                return 0;
        if (!is_dash(t, k) && t->toks[k].kind != ENR_TOK_NUMBER &&
            !(enr_tok_len(t, k) == 1 && *enr_tok_ptr(t, k) == '(') &&
            !(enr_tok_len(t, k) == 1 && *enr_tok_ptr(t, k) == ','))
                return 0;
        for (j = k + 1; j < le; j++) {
                if (t->toks[j].kind == ENR_TOK_WORD) {
                        rest++;
                        if (!(t->toks[j].flags & ENR_TOKF_ALL_UPPER))
                                rest_lower++;
                }
        }
        if (rest && !rest_lower && rest > 1)
                return 0; /* A headline ("CRICKET - LEICESTERSHIRE TAKE …"). */
        /* Before a dash only a known place makes a dateline ("GOLF - …" is
         * a headline's topic). */
        if (is_dash(t, k)) {
                enr_gaz_match_t m;
                int             type;
                if (!enr_gazetteer_match_folded(c->n->g, t, i, k, &m) ||
                    m.ntoks != k - i)
                        return 0;
                type = type_of_classes(m.classes);
                if (type != ENR_ENT_GPE && type != ENR_ENT_LOC)
                        return 0;
        }
        /* After a date the line ends ("LONDON 1996-08-30"); a row of
         * numbers is a table ("CHICAGO 72 60 .545"). */
        if (t->toks[k].kind == ENR_TOK_NUMBER && le - k > 2)
                return 0;
        return k - i;
}

static void emit_dateline(names_ctx_t *c, size_t a, size_t b) {
        enr_gaz_match_t m;
        int             type = ENR_ENT_GPE;
        const char     *code = NULL;
        enr_mention_t  *x;
        int             saved = c->fold;

        c->fold = 1;
        if (gaz_at(c, a, b, &m) && m.ntoks == b - a) {
                int ty = type_of_classes(m.classes);
                if (ty == ENR_ENT_LOC || ty == ENR_ENT_GPE)
                        type = ty;
                code = m.code;
        }
        c->fold = saved;
        x = emit_bytes(c, c->t->toks[a].start, c->t->toks[b - 1].end, type,
                       0.8f, code);
        if (x)
                x->flags |= ENR_MENTF_DATELINE;
}

enr_err_t enr_names_extract(const enr_names_t *n, const enr_text_t *t,
                            enr_field_t field, enr_mentions_t *out,
                            size_t max) {
        names_ctx_t c;
        size_t      end, i, le = 0, lines = 0;
        bool        dateline_done = field != ENR_FIELD_BODY;

        if (!n || !t || !out)
                return ENR_ERR_INVALID_ARG;
        memset(&c, 0, sizeof(c));
        c.n     = n;
        c.t     = t;
        c.field = field;
        c.out   = out;
        c.max   = max;
        end     = field == ENR_FIELD_BODY ? enr_names_boilerplate(t) : t->ntoks;

        for (i = 0; i < end && !c.err;) {
                size_t b, gaz_end, k;

                if (i >= le) {
                        le      = line_end(t, i, end);
                        c.fold  = caps_line(t, i, le);
                        c.table = table_line(t, i, le);
                        lines++;
                        if (!dateline_done && lines <= NAMES_DATELINE_LINES) {
                                k = dateline_at(&c, i, le);
                                if (k) {
                                        emit_dateline(&c, i, i + k);
                                        dateline_done = true;
                                        i += k;
                                        continue;
                                }
                        }
                }
                gaz_end = i;
                if (is_word(t, i) && (c.fold || is_cap(t, i))) {
                        enr_gaz_match_t m;
                        if (gaz_at(&c, i, le, &m) && m.ntoks > 1 &&
                            type_of_classes(m.classes) >= 0)
                                gaz_end = i + m.ntoks;
                }
                if (gaz_end == i && !span_word(&c, i)) {
                        if (is_cap(t, i) &&
                            (t->toks[i].flags & ENR_TOKF_HAS_HYPHEN))
                                hyphen_prefix(&c, i);
                        i++;
                        continue;
                }
                /* Extend the span within the line and sentence. */
                b = i + 1;
                while (b < le && b - i < NAMES_SPAN_MAX &&
                       t->toks[b].sent == t->toks[i].sent) {
                        if (b < gaz_end || span_word(&c, b)) {
                                b++;
                                continue;
                        }
                        if (b + 1 < le && is_connector(&c, b) &&
                            span_word(&c, b + 1)) {
                                b += 2;
                                continue;
                        }
                        if (b + 1 < le && of_continues(&c, i, b)) {
                                if (span_word(&c, b + 1)) {
                                        b += 2;
                                        continue;
                                }
                                if (b + 2 < le &&
                                    enr_tok_ieq(t, b + 1, "the") &&
                                    span_word(&c, b + 2)) {
                                        b += 3;
                                        continue;
                                }
                        }
                        if (b + 1 < le && t->toks[b].kind == ENR_TOK_SYMBOL &&
                            enr_tok_len(t, b) == 1 &&
                            *enr_tok_ptr(t, b) == '&' && span_word(&c, b + 1)) {
                                b += 2;
                                continue;
                        }
                        if ((k = and_org(&c, i, b, le)) > b) {
                                b = k;
                                continue;
                        }
                        break;
                }
                span(&c, i, b);
                i = b;
        }
        return c.err == ENR_ERR_LIMIT ? ENR_OK : c.err;
}

/* Whether the boilerplate phrase p starts at token i. */
/* The index of the first token starting at or after byte off. */
static size_t tok_from(const enr_text_t *t, uint32_t off) {
        size_t lo = 0, hi = t->ntoks;

        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (t->toks[mid].start < off)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        return lo;
}

/* The index of the token starting at byte off, or t->ntoks. */
static size_t tok_at(const enr_text_t *t, uint32_t off) {
        size_t i = tok_from(t, off);

        return i < t->ntoks && t->toks[i].start == off ? i : t->ntoks;
}

/* Whether the word of token i also appears capitalised in t at a place
 * that does not start a sentence: evidence that it is a name. */
static bool capitalised_mid_sentence(const enr_text_t *t, size_t i) {
        size_t j, len = enr_tok_len(t, i);

        for (j = 0; j < t->ntoks; j++)
                if (j != i && enr_tok_len(t, j) == len &&
                    (t->toks[j].flags & ENR_TOKF_UPPER_INITIAL) &&
                    !sentence_initial(t, j) &&
                    !memcmp(enr_tok_ptr(t, j), enr_tok_ptr(t, i), len))
                        return true;
        return false;
}

/* Finds the dateline in the first lines of a body; returns its token
 * count and sets *at to its first token, or returns 0. */
static size_t find_dateline(const names_ctx_t *c, size_t *at) {
        const enr_text_t *t = c->t;
        size_t            i = 0, lines = 0, le, k;

        while (i < t->ntoks && lines < NAMES_DATELINE_LINES) {
                le = line_end(t, i, t->ntoks);
                k  = dateline_at(c, i, le);
                if (k) {
                        *at = i;
                        return k;
                }
                i = le;
                lines++;
        }
        return 0;
}

void enr_names_refine(const enr_names_t *n, const enr_text_t *t,
                      enr_field_t field, enr_mentions_t *out, size_t from,
                      size_t max) {
        names_ctx_t c;
        size_t      i, w, at = 0, nd;

        memset(&c, 0, sizeof(c));
        c.n     = n;
        c.t     = t;
        c.field = field;
        c.out   = out;
        c.max   = max;

        /* Join PERSON + connector(s) + PERSON. */
        for (i = from; i + 1 < out->n; i++) {
                enr_mention_t *a = &out->v[i], *b = &out->v[i + 1];
                size_t         ea, sb, k;
                if (a->type != ENR_ENT_PERSON || b->type != ENR_ENT_PERSON)
                        continue;
                ea = tok_from(t, a->end);
                sb = tok_at(t, b->start);
                if (ea == t->ntoks || sb == t->ntoks || sb <= ea || sb - ea > 2)
                        continue;
                for (k = ea; k < sb && is_connector(&c, k); k++)
                        ;
                if (k != sb)
                        continue;
                a->end   = b->end;
                a->score = a->score < b->score ? a->score : b->score;
                memmove(b, b + 1, (out->n - i - 2) * sizeof(*b));
                out->n--;
                i--; /* The joined mention may join the next one too. */
        }

        /* Drop sentence-initial common words taken for names. */
        for (i = w = from; i < out->n; i++) {
                const enr_mention_t *m = &out->v[i];
                size_t               k = tok_at(t, m->start);
                if (enr_ent_type_is_name((enr_ent_type_t)m->type) &&
                    k < t->ntoks && t->toks[k].end == m->end &&
                    sentence_initial(t, k) &&
                    !(t->toks[k].flags & ENR_TOKF_ALL_UPPER) &&
                    is_common(&c, k) && !capitalised_mid_sentence(t, k))
                        continue;
                out->v[w++] = *m;
        }
        out->n = w;

        /* The dateline: the rules' reading replaces the tagger's. */
        if (field != ENR_FIELD_BODY || !(nd = find_dateline(&c, &at)))
                return;
        for (i = w = from; i < out->n; i++) {
                const enr_mention_t *m = &out->v[i];
                if (enr_ent_type_is_name((enr_ent_type_t)m->type) &&
                    m->start < t->toks[at + nd - 1].end &&
                    m->end > t->toks[at].start)
                        continue;
                out->v[w++] = *m;
        }
        out->n = w;
        emit_dateline(&c, at, at + nd);
}

static bool phrase_at(const enr_text_t *t, size_t i, const char *const *p) {
        size_t k;

        for (k = 0; p[k]; k++) {
                if (i + k >= t->ntoks)
                        return false;
                if (!strcmp(p[k], "\xc2\xa9")) {
                        if (enr_tok_len(t, i + k) != 2 ||
                            memcmp(enr_tok_ptr(t, i + k), p[k], 2))
                                return false;
                } else if (!enr_tok_ieq(t, i + k, p[k])) {
                        return false;
                }
        }
        return true;
}

size_t enr_names_boilerplate(const enr_text_t *t) {
        size_t i, from, lines = 0, best;

        if (!t || !t->ntoks)
                return t ? t->ntoks : 0;
        /* The start of the tail searched: the last lines, bounded. */
        from = t->ntoks;
        while (from > 0 && lines < NAMES_TAIL_LINES &&
               t->ntoks - from < NAMES_TAIL_TOKENS) {
                from--;
                if (t->toks[from].flags & ENR_TOKF_LINE_START)
                        lines++;
        }
        best = t->ntoks;
        for (i = from; i < t->ntoks && best == t->ntoks; i++) {
                size_t k;
                if (!(t->toks[i].flags &
                      (ENR_TOKF_LINE_START | ENR_TOKF_SENT_START)))
                        continue;
                for (k = 0; k < sizeof(boilerplate) / sizeof(boilerplate[0]);
                     k++) {
                        if (phrase_at(t, i, boilerplate[k])) {
                                best = i;
                                break;
                        }
                }
        }
        return best;
}
