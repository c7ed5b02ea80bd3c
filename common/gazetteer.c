/*
 * Gazetteers: the name lists under the resources directory's gazetteer/ lists
 * loaded once into two open-addressing hash tables keyed by token sequences.
 *
 * A key is the text of an entry's tokens (as the tokenizer splits them)
 * joined by single spaces, so a look-up builds the same key from the tokens
 * of an article in a stack buffer and never allocates. The exact table keys
 * the text as written; the folded table keys its lower-cased form (for
 * ALL-CAPS headlines and datelines). Every multi-token entry also records,
 * under its first token, the length of the longest entry starting there, so
 * a longest-match look-up tries only the lengths that can match.
 *
 * Files are "name<TAB>classes<TAB>code<TAB>canonical" lines; classes is a
 * comma-separated list of class names (country, region, city, loc, norp,
 * org, title, org_suffix, first_name, common, person, fac, event,
 * event_word, fac_word, product, product_line, work_of_art, law, language). An
 * entry listed twice merges its classes; its code and canonical name come from
 * the first file that gives them, so curated lists, loaded first, win over
 * derived ones.
 *
 * The type lists (products, works of art, languages, and named facilities,
 * events and laws: products.tsv, works.tsv, languages.tsv, named.tsv) go
 * into two tables of their own: the learned tagger's features read the main
 * tables only, so these lists can grow without changing a trained model's
 * features, and enr_gazetteer_size() does not count them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enricher/gazetteer.h"

/* Limits on the lists: a key's bytes, an entry's tokens, a line's length and
 * the number of entries. */
#define GAZ_KEY_MAX     256
#define GAZ_TOKS_MAX    12
#define GAZ_LINE_MAX    1024
#define GAZ_ENTRIES_MAX 2000000

/*
 * A slot of a table is 32 bits: the entry's index + 1 in the low
 * GAZ_SLOT_IDX_BITS (room for GAZ_ENTRIES_MAX) and the top bits of the
 * key's hash above them, or 0 for an empty slot. A probe compares those
 * hash bits without touching the entries, and keys only when they match
 * (one time in 2048 for a different key).
 */
#define GAZ_SLOT_IDX_BITS 21
#define GAZ_SLOT_IDX_MASK ((1u << GAZ_SLOT_IDX_BITS) - 1)
_Static_assert(GAZ_ENTRIES_MAX <= GAZ_SLOT_IDX_MASK,
               "entry indices must fit a slot's low bits");

/* One key of one table (24 bytes). */
typedef struct gaz_entry {
        uint32_t key_off;   /* Key bytes in the arena. */
        uint32_t canon_off; /* Canonical name in the arena, or UINT32_MAX. */
        uint32_t classes;   /* ENR_GAZ_* bits; 0 for a prefix-only key. */
        uint32_t curated;   /* The bits the curated lists give. */
        uint8_t  key_len;   /* Under GAZ_KEY_MAX. */
        uint8_t  ntoks;     /* Tokens of the key. */
        uint8_t  maxlen;    /* Longest entry (tokens) starting with this key
                               when the key is one token; else ntoks. */
        char code[4];
} gaz_entry_t;

typedef struct gaz_table {
        gaz_entry_t *v;
        size_t       n, cap;
        uint32_t    *slots;  /* See GAZ_SLOT_IDX_BITS. */
        size_t       nslots; /* A power of two, at least twice n. */
} gaz_table_t;

/*
 * The single words of the exact table with their classes, keys inline: a
 * word look-up reads one slot (one cache line, prefetchable) instead of
 * a slot, an entry and the key's bytes in the arena. Longer words are
 * looked up in the exact table.
 */
#define GAZ_WORD_INLINE 15 /* A slot of 24 bytes; few words are longer. */
typedef struct gaz_word {
        uint32_t hash;
        uint32_t classes;
        uint8_t  len; /* 0: an empty slot. */
        char     key[GAZ_WORD_INLINE];
} gaz_word_t;

struct enr_gazetteer {
        char       *arena; /* Keys and canonical names, NUL-terminated. */
        size_t      arena_len, arena_cap;
        gaz_table_t exact;
        gaz_table_t folded;
        gaz_word_t *words; /* A power of two of slots, at most 3/4 full. */
        size_t      words_mask;
        gaz_table_t types;        /* The type lists, as written. */
        gaz_table_t types_folded; /* The type lists, lower-cased. */
};

/* The lists loaded, in priority order: curated first. Optional lists are
 * the ones derived from CoNLL's training labels; their classes are not
 * curated (enr_gaz_match_t.curated). */
static const struct {
        const char *file;
        int         required;
} gaz_files[] = {
    {"countries.tsv", 1},    {"demonyms.tsv", 1},      {"orgs.tsv", 1},
    {"locs.tsv", 1},         {"cities.tsv", 1},        {"titles.tsv", 1},
    {"org_suffixes.tsv", 1}, {"first_names.tsv", 1},   {"events.tsv", 1},
    {"nonames.tsv", 1},      {"tz_cities.tsv", 1},     {"regions.tsv", 1},
    {"conll_names.tsv", 0},  {"conll_nonames.tsv", 0}, {"common_words.tsv", 1},
};

/* The type lists, loaded into the tables the tagger does not read. */
static const char *const gaz_type_files[] = {"named.tsv", "products.tsv",
                                             "works.tsv", "languages.tsv"};

static const struct {
        const char *name;
        uint32_t    bit;
} gaz_class_names[] = {
    {"country", ENR_GAZ_COUNTRY},
    {"region", ENR_GAZ_REGION},
    {"city", ENR_GAZ_CITY},
    {"loc", ENR_GAZ_LOC},
    {"norp", ENR_GAZ_NORP},
    {"org", ENR_GAZ_ORG},
    {"title", ENR_GAZ_TITLE},
    {"org_suffix", ENR_GAZ_ORG_SUFFIX},
    {"first_name", ENR_GAZ_FIRST_NAME},
    {"common", ENR_GAZ_COMMON},
    {"person", ENR_GAZ_PERSON},
    {"fac", ENR_GAZ_FAC},
    {"event", ENR_GAZ_EVENT},
    {"event_word", ENR_GAZ_EVENT_WORD},
    {"fac_word", ENR_GAZ_FAC_WORD},
    {"product", ENR_GAZ_PRODUCT},
    {"product_line", ENR_GAZ_PRODUCT_LINE},
    {"work_of_art", ENR_GAZ_WORK_OF_ART},
    {"law", ENR_GAZ_LAW},
    {"language", ENR_GAZ_LANGUAGE},
};

static uint32_t hash_bytes(const char *s, size_t len) {
        uint32_t h = 2166136261u;
        size_t   i;

        for (i = 0; i < len; i++) {
                h ^= (uint8_t)s[i];
                h *= 16777619u;
        }
        return h;
}

static const gaz_entry_t *table_find(const enr_gazetteer_t *g,
                                     const gaz_table_t *tb, const char *key,
                                     size_t len) {
        size_t   mask, i;
        uint32_t h;

        if (!tb->nslots)
                return NULL;
        mask = tb->nslots - 1;
        h    = hash_bytes(key, len);
        for (i = h & mask; tb->slots[i]; i = (i + 1) & mask) {
                const gaz_entry_t *e;

                if ((tb->slots[i] ^ h) & ~GAZ_SLOT_IDX_MASK)
                        continue;
                e = &tb->v[(tb->slots[i] & GAZ_SLOT_IDX_MASK) - 1];
                if (e->key_len == len &&
                    !memcmp(g->arena + e->key_off, key, len))
                        return e;
        }
        return NULL;
}

static int arena_add(enr_gazetteer_t *g, const char *s, size_t len,
                     uint32_t *off) {
        if (g->arena_len + len + 1 > g->arena_cap) {
                size_t cap = g->arena_cap ? g->arena_cap * 2 : 1 << 20;
                char  *p;
                while (cap < g->arena_len + len + 1)
                        cap *= 2;
                if (cap > UINT32_MAX)
                        return -1;
                p = realloc(g->arena, cap);
                if (!p)
                        return -1;
                g->arena     = p;
                g->arena_cap = cap;
        }
        memcpy(g->arena + g->arena_len, s, len);
        g->arena[g->arena_len + len] = '\0';
        *off                         = (uint32_t)g->arena_len;
        g->arena_len += len + 1;
        return 0;
}

static int table_grow(gaz_table_t *tb) {
        size_t    nslots = tb->nslots ? tb->nslots * 2 : 1 << 12;
        uint32_t *slots  = calloc(nslots, sizeof(*slots));

        if (!slots)
                return -1;
        free(tb->slots);
        tb->slots  = slots;
        tb->nslots = nslots;
        return 0;
}

/* Re-inserts every entry after the slot array grew. */
static void table_rehash(const enr_gazetteer_t *g, gaz_table_t *tb) {
        size_t mask = tb->nslots - 1, k, i;

        for (k = 0; k < tb->n; k++) {
                const gaz_entry_t *e = &tb->v[k];
                uint32_t h = hash_bytes(g->arena + e->key_off, e->key_len);

                for (i = h & mask; tb->slots[i]; i = (i + 1) & mask)
                        ;
                tb->slots[i] = (h & ~GAZ_SLOT_IDX_MASK) | (uint32_t)(k + 1);
        }
}

/*
 * Finds or adds key in tb; returns the entry or NULL when out of memory.
 * A new key reuses the arena bytes of the same key in share (the exact
 * table when tb is the folded one: most words are lower-case already), if
 * share is not NULL and has it.
 */
static gaz_entry_t *table_get(enr_gazetteer_t *g, gaz_table_t *tb,
                              const gaz_table_t *share, const char *key,
                              size_t len, uint8_t ntoks) {
        gaz_entry_t       *e = (gaz_entry_t *)table_find(g, tb, key, len);
        const gaz_entry_t *same;
        size_t             mask, i;
        uint32_t           h;

        if (e)
                return e;
        if (tb->n >= GAZ_ENTRIES_MAX)
                return NULL;
        if ((tb->n + 1) * 2 > tb->nslots) {
                if (table_grow(tb))
                        return NULL;
                table_rehash(g, tb);
        }
        if (tb->n == tb->cap) {
                size_t       cap = tb->cap ? tb->cap * 2 : 1024;
                gaz_entry_t *v   = realloc(tb->v, cap * sizeof(*v));
                if (!v)
                        return NULL;
                tb->v   = v;
                tb->cap = cap;
        }
        e = &tb->v[tb->n];
        memset(e, 0, sizeof(*e));
        if (share && (same = table_find(g, share, key, len)))
                e->key_off = same->key_off;
        else if (arena_add(g, key, len, &e->key_off))
                return NULL;
        e->key_len   = (uint8_t)len;
        e->canon_off = UINT32_MAX;
        e->ntoks     = ntoks;
        e->maxlen    = ntoks;
        mask         = tb->nslots - 1;
        h            = hash_bytes(key, len);
        for (i = h & mask; tb->slots[i]; i = (i + 1) & mask)
                ;
        tb->slots[i] = (h & ~GAZ_SLOT_IDX_MASK) | (uint32_t)++tb->n;
        return &tb->v[tb->n - 1];
}

/*
 * Builds the key of tokens [i, i + n) of t into buf, lower-cased when fold.
 * Returns the key length, or 0 when it does not fit.
 */
static size_t build_key(const enr_text_t *t, size_t i, size_t n, int fold,
                        char *buf, size_t size, size_t *first_len) {
        size_t len = 0, k;

        for (k = 0; k < n; k++) {
                size_t tl = enr_tok_len(t, i + k);
                if (k) {
                        if (len + 1 >= size)
                                return 0;
                        buf[len++] = ' ';
                }
                if (fold) {
                        char   tmp[GAZ_KEY_MAX];
                        size_t w;
                        if (tl >= sizeof(tmp))
                                return 0;
                        w = enr_tok_lower(t, i + k, tmp, sizeof(tmp));
                        if (len + w >= size)
                                return 0;
                        memcpy(buf + len, tmp, w);
                        len += w;
                } else {
                        if (len + tl >= size)
                                return 0;
                        memcpy(buf + len, enr_tok_ptr(t, i + k), tl);
                        len += tl;
                }
                if (k == 0 && first_len)
                        *first_len = len;
        }
        return len;
}

/* Adds one entry (already tokenised in t) to one table. */
static int add_entry(enr_gazetteer_t *g, gaz_table_t *tb,
                     const gaz_table_t *share, const enr_text_t *t, int fold,
                     uint32_t classes, int curated, const char *code,
                     const char *canon) {
        char         key[GAZ_KEY_MAX];
        size_t       len, first_len = 0;
        gaz_entry_t *e;
        uint8_t      n = (uint8_t)t->ntoks;

        len = build_key(t, 0, n, fold, key, sizeof(key), &first_len);
        if (!len)
                return 0; /* Too long to ever match: skipped. */
        e = table_get(g, tb, share, key, len, n);
        if (!e)
                return -1;
        e->classes |= classes;
        if (curated)
                e->curated |= classes;
        if (!e->code[0] && code && *code)
                memcpy(e->code, code, strnlen(code, 3));
        if (e->canon_off == UINT32_MAX && canon && *canon) {
                uint32_t off;
                if (arena_add(g, canon, strlen(canon), &off))
                        return -1;
                e->canon_off = off;
        }
        if (n > 1) {
                gaz_entry_t *p = table_get(g, tb, share, key, first_len, 1);
                if (!p)
                        return -1;
                if (p->maxlen < n)
                        p->maxlen = n;
        }
        return 0;
}

static uint32_t parse_classes(const char *s) {
        uint32_t bits = 0;

        while (*s) {
                size_t len = strcspn(s, ",");
                size_t k;
                for (k = 0;
                     k < sizeof(gaz_class_names) / sizeof(gaz_class_names[0]);
                     k++) {
                        if (strlen(gaz_class_names[k].name) == len &&
                            !strncmp(gaz_class_names[k].name, s, len))
                                bits |= gaz_class_names[k].bit;
                }
                s += len;
                if (*s == ',')
                        s++;
        }
        return bits;
}

/* Loads one list into the tables exact and folded. */
static enr_err_t load_file(enr_gazetteer_t *g, gaz_table_t *exact,
                           gaz_table_t *folded, enr_text_t *t, const char *path,
                           int required, int curated, char *errstr,
                           size_t errstr_size) {
        FILE     *fp = fopen(path, "r");
        char      line[GAZ_LINE_MAX];
        size_t    lineno = 0;
        enr_err_t err    = ENR_OK;

        if (!fp) {
                if (!required && errno == ENOENT)
                        return ENR_OK;
                enr_set_errstr(errstr, errstr_size, "%s: %s", path,
                               strerror(errno));
                return ENR_ERR_IO;
        }
        while (fgets(line, sizeof(line), fp)) {
                char    *f[4] = {NULL, NULL, NULL, NULL};
                char    *p    = line;
                size_t   nf   = 0;
                uint32_t classes;

                lineno++;
                line[strcspn(line, "\r\n")] = '\0';
                if (!line[0] || line[0] == '#')
                        continue;
                while (nf < 4) {
                        f[nf++] = p;
                        p       = strchr(p, '\t');
                        if (!p)
                                break;
                        *p++ = '\0';
                }
                if (nf < 2 || !(classes = parse_classes(f[1]))) {
                        enr_set_errstr(errstr, errstr_size,
                                       "%s:%zu: expected name<TAB>classes",
                                       path, lineno);
                        err = ENR_ERR_PARSE;
                        goto out;
                }
                if (enr_text_analyze(t, f[0], strlen(f[0]), GAZ_TOKS_MAX, NULL,
                                     0) != ENR_OK ||
                    t->ntoks == 0)
                        continue; /* Not valid UTF-8 or too many tokens. */
                if (add_entry(g, exact, NULL, t, 0, classes, curated, f[2],
                              f[3]) ||
                    add_entry(g, folded, exact, t, 1, classes, curated, f[2],
                              f[3])) {
                        enr_set_errstr(errstr, errstr_size, "%s: out of memory",
                                       path);
                        err = ENR_ERR_NOMEM;
                        goto out;
                }
        }
        if (ferror(fp)) {
                enr_set_errstr(errstr, errstr_size, "%s: read error", path);
                err = ENR_ERR_IO;
        }
out:
        fclose(fp);
        return err;
}

/* Builds g->words from the single words of the exact table. */
static int build_words(enr_gazetteer_t *g) {
        const gaz_table_t *tb = &g->exact;
        size_t             n = 0, nslots = 1024;

        for (size_t k = 0; k < tb->n; k++)
                n += tb->v[k].ntoks == 1 && tb->v[k].classes &&
                     tb->v[k].key_len <= GAZ_WORD_INLINE;
        while (nslots / 4 * 3 < n)
                nslots *= 2;
        free(g->words);
        g->words = calloc(nslots, sizeof(*g->words));
        if (!g->words)
                return -1;
        g->words_mask = nslots - 1;
        for (size_t k = 0; k < tb->n; k++) {
                const gaz_entry_t *e   = &tb->v[k];
                const char        *key = g->arena + e->key_off;
                uint32_t           h;
                size_t             i;

                if (e->ntoks != 1 || !e->classes ||
                    e->key_len > GAZ_WORD_INLINE)
                        continue;
                h = hash_bytes(key, e->key_len);
                for (i = h & g->words_mask; g->words[i].len;
                     i = (i + 1) & g->words_mask)
                        ;
                g->words[i].hash    = h;
                g->words[i].classes = e->classes;
                g->words[i].len     = (uint8_t)e->key_len;
                memcpy(g->words[i].key, key, e->key_len);
        }
        return 0;
}

enr_gazetteer_t *enr_gazetteer_new(const char *dir, char *errstr,
                                   size_t errstr_size) {
        enr_gazetteer_t *g = calloc(1, sizeof(*g));
        enr_text_t       t;
        size_t           k;
        char             path[4096];

        enr_text_init(&t);
        if (!g) {
                enr_set_errstr(errstr, errstr_size, "out of memory");
                goto fail;
        }
        if (!dir) {
                enr_set_errstr(errstr, errstr_size, "no resources directory");
                goto fail;
        }
        for (k = 0; k < sizeof(gaz_files) / sizeof(gaz_files[0]); k++) {
                int n = snprintf(path, sizeof(path), "%s/gazetteer/%s", dir,
                                 gaz_files[k].file);
                if (n < 0 || (size_t)n >= sizeof(path)) {
                        enr_set_errstr(errstr, errstr_size,
                                       "resources path too long");
                        goto fail;
                }
                /* The optional lists are the derived ones. */
                if (load_file(g, &g->exact, &g->folded, &t, path,
                              gaz_files[k].required, gaz_files[k].required,
                              errstr, errstr_size) != ENR_OK)
                        goto fail;
        }
        /* The type lists are optional: without them the rules still find
         * the types by their shapes and cues. */
        for (k = 0; k < sizeof(gaz_type_files) / sizeof(gaz_type_files[0]);
             k++) {
                int n = snprintf(path, sizeof(path), "%s/gazetteer/%s", dir,
                                 gaz_type_files[k]);
                if (n < 0 || (size_t)n >= sizeof(path)) {
                        enr_set_errstr(errstr, errstr_size,
                                       "resources path too long");
                        goto fail;
                }
                if (load_file(g, &g->types, &g->types_folded, &t, path, 0, 1,
                              errstr, errstr_size) != ENR_OK)
                        goto fail;
        }
        enr_text_clear(&t);
        if (build_words(g)) {
                enr_set_errstr(errstr, errstr_size, "out of memory");
                goto fail;
        }
        return g;
fail:
        enr_text_clear(&t);
        enr_gazetteer_destroy(g);
        return NULL;
}

void enr_gazetteer_destroy(enr_gazetteer_t *g) {
        if (!g)
                return;
        free(g->exact.v);
        free(g->exact.slots);
        free(g->folded.v);
        free(g->folded.slots);
        free(g->arena);
        free(g->words);
        free(g->types.v);
        free(g->types.slots);
        free(g->types_folded.v);
        free(g->types_folded.slots);
        free(g);
}

static bool match_table(const enr_gazetteer_t *g, const gaz_table_t *tb,
                        int fold, const enr_text_t *t, size_t i, size_t end,
                        enr_gaz_match_t *out) {
        char               key[GAZ_KEY_MAX];
        const gaz_entry_t *first, *e;
        size_t             len, n, maxn;

        if (i >= end || end > t->ntoks)
                return false;
        len = build_key(t, i, 1, fold, key, sizeof(key), NULL);
        if (!len || !(first = table_find(g, tb, key, len)))
                return false;
        maxn = first->maxlen;
        if (maxn > end - i)
                maxn = end - i;
        for (n = maxn; n >= 1; n--) {
                if (n == 1) {
                        e = first;
                } else {
                        len = build_key(t, i, n, fold, key, sizeof(key), NULL);
                        if (!len)
                                continue;
                        e = table_find(g, tb, key, len);
                }
                if (!e || !e->classes)
                        continue;
                out->ntoks   = (uint32_t)n;
                out->classes = e->classes;
                out->curated = e->curated;
                memcpy(out->code, e->code, sizeof(out->code));
                out->canon =
                    e->canon_off == UINT32_MAX ? NULL : g->arena + e->canon_off;
                return true;
        }
        return false;
}

bool enr_gazetteer_match(const enr_gazetteer_t *g, const enr_text_t *t,
                         size_t i, size_t end, enr_gaz_match_t *out) {
        return match_table(g, &g->exact, 0, t, i, end, out);
}

bool enr_gazetteer_match_folded(const enr_gazetteer_t *g, const enr_text_t *t,
                                size_t i, size_t end, enr_gaz_match_t *out) {
        return match_table(g, &g->folded, 1, t, i, end, out);
}

bool enr_gazetteer_match_types(const enr_gazetteer_t *g, const enr_text_t *t,
                               size_t i, size_t end, bool folded,
                               enr_gaz_match_t *out) {
        return folded ? match_table(g, &g->types_folded, 1, t, i, end, out)
                      : match_table(g, &g->types, 0, t, i, end, out);
}

bool enr_gazetteer_find_types(const enr_gazetteer_t *g, const char *key,
                              size_t len, bool folded, enr_gaz_match_t *out) {
        const gaz_entry_t *e =
            table_find(g, folded ? &g->types_folded : &g->types, key, len);

        if (!e || !e->classes)
                return false;
        out->ntoks   = e->ntoks;
        out->classes = e->classes;
        memcpy(out->code, e->code, sizeof(out->code));
        out->canon =
            e->canon_off == UINT32_MAX ? NULL : g->arena + e->canon_off;
        return true;
}

bool enr_gazetteer_find(const enr_gazetteer_t *g, const char *key, size_t len,
                        bool folded, enr_gaz_match_t *out) {
        const gaz_entry_t *e =
            table_find(g, folded ? &g->folded : &g->exact, key, len);

        if (!e || !e->classes)
                return false;
        out->ntoks   = e->ntoks;
        out->classes = e->classes;
        out->curated = e->curated;
        memcpy(out->code, e->code, sizeof(out->code));
        out->canon =
            e->canon_off == UINT32_MAX ? NULL : g->arena + e->canon_off;
        return true;
}

uint32_t enr_gazetteer_hash(const char *w, size_t len) {
        return hash_bytes(w, len);
}

void enr_gazetteer_word_prefetch(const enr_gazetteer_t *g, uint32_t hash) {
        if (g->words)
                __builtin_prefetch(&g->words[hash & g->words_mask]);
}

uint32_t enr_gazetteer_word_hashed(const enr_gazetteer_t *g, const char *w,
                                   size_t len, uint32_t hash) {
        const gaz_entry_t *e;

        if (g->words && len <= GAZ_WORD_INLINE) {
                for (size_t i = hash & g->words_mask; g->words[i].len;
                     i        = (i + 1) & g->words_mask) {
                        const gaz_word_t *s = &g->words[i];
                        if (s->hash == hash && s->len == len &&
                            !memcmp(s->key, w, len))
                                return s->classes;
                }
                return 0;
        }
        e = table_find(g, &g->exact, w, len);
        return e ? e->classes : 0;
}

uint32_t enr_gazetteer_word(const enr_gazetteer_t *g, const char *w,
                            size_t len) {
        return enr_gazetteer_word_hashed(g, w, len, hash_bytes(w, len));
}

uint32_t enr_gazetteer_word_folded(const enr_gazetteer_t *g, const char *w,
                                   size_t len) {
        const gaz_entry_t *e = table_find(g, &g->folded, w, len);

        return e ? e->classes : 0;
}

size_t enr_gazetteer_size(const enr_gazetteer_t *g) {
        return g->exact.n;
}
