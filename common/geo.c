/*
 * The geocoder (see geo.h): the GeoNames place table and the per-article
 * choice of one place per place entity.
 *
 * The table file (geo_int.h) is kept as read, after its checks: places and
 * names are read from it in place, little-endian, so loading costs one
 * allocation the size of the file. A name is found by binary search of the
 * FNV-1a 32 hashes of the folded names; its candidates are the places of
 * equal hash, largest first.
 *
 * Resolution runs in three rounds over the article's place entities:
 *   1. anchors: names that need no context (a country, a people, a name
 *      with one place, a name qualified by a state or country after a
 *      comma) are placed first;
 *   2. every name is scored against the anchors' countries, admin1 regions
 *      and points (plus the dateline's, weighted up);
 *   3. it is scored again against every other name's round-2 place.
 * A candidate's score is its prior (population, feature) plus its support
 * (a country or region the article is about, a nearby place); a winner
 * with little support and a small population is not reported.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "enricher/common.h"
#include "enricher/geo.h"
#include "geo_int.h"

/* Largest table file accepted. */
#define GEO_MAX_FILE (64u << 20)
/* Candidates considered for one name (largest first); more are ignored. */
#define GEO_CANDS 32
/* Bytes of a folded name; longer names are not looked up. */
#define GEO_NAME_MAX 96
/* Context entries kept per article (countries, regions, points). */
#define GEO_CTX 64

/* Weights of the score (log10 population units). */
#define W_COUNTRY   2.5f /* times the share of the article's country votes */
#define W_ADMIN1    3.0f /* the candidate lies in a region the article names */
#define W_ADM_SHARE 0.5f /* times the share of the votes in its region */
#define W_NEAR      2.0f /* within 161 km of another of its places */
#define W_CODE      1.0f /* the gazetteer's country for the name */
#define W_SOURCE    1.0f /* weight of a source hint in the context */
#define W_DATELINE  3.0f /* weight of the dateline's place in the context */
#define W_CLUSTER   3.0f /* times the names sharing its region, at most 1 */
#define W_CONTAIN   3.0f /* a town in a county named, or that county */
#define PRIOR_ADM1  6.5f /* prior of an admin1 region (no population) */
#define PRIOR_PCLI  7.0f /* least prior of a country */
#define PRIOR_CONT  8.0f /* prior of a continent */
#define PRIOR_ADM2  5.0f /* prior of a county (no population) */
#define BONUS_PPLC  1.0f /* a capital over a town of its name */
/* A place this small (or of unknown size) with no support is not
 * reported when its name is ambiguous or a common word. */
#define WEAK_POP        20000u
#define WEAK_POP_ONE    1000u /* ... and a name's only place this small. */
#define NEAR_KM         161.0
#define BIG_POP         100000u /* see mark_local() */
#define BIG_RATIO       20u
#define REGION_TOWN_POP 20000u
#define AFFIXED_POP     15000u /* least town for "X-based", "X-born" */
#define COMMON_REGION_SIZE                                                     \
        60 /* 10 log10 people: a region named by a common word and this big    \
              needs no support ("Wales") */
#define SOURCE_POP 15000u /* least town a web address names */
#define ORG_TOWN_POP                                                           \
        100000u /* a town this small in an ORG's name needs                    \
                   its region's support */

static const char *const feature_names[ENR_GEO__COUNT] = {
    "P.PPL", "P.PPLC", "A.PCLI", "A.ADM1", "L.CONT", "A.ADM2"};

const char *enr_geo_feature_name(enr_geo_feature_t f) {
        return (unsigned)f < ENR_GEO__COUNT ? feature_names[f] : "?";
}

/* The country (A.PCLI) and admin1 (A.ADM1) places by code, for qualifiers
 * and NORP entities. */
typedef struct geo_adm {
        char     cc[2];
        uint16_t admin1;
        uint32_t place;
} geo_adm_t;

struct enr_geo {
        unsigned char         *buf; /* The file, checked. */
        size_t                 size;
        uint32_t               nplaces, nnames, nadmin1;
        const unsigned char   *places, *names, *admin1;
        uint32_t               country[26 * 26]; /* Place + 1, 0: none. */
        geo_adm_t             *adm;              /* Sorted by (cc, admin1). */
        size_t                 nadm;
        uint32_t              *adm2; /* The A.ADM2 places in table order. */
        uint32_t               nadm2;
        const enr_gazetteer_t *gaz;
};

/* One place entity of the article being resolved. */
typedef struct geo_ent {
        uint32_t cand;   /* First candidate in the scratch's cands. */
        uint32_t ncand;  /* Candidates left after the qualifier. */
        int32_t  pick;   /* Chosen candidate (absolute index), or -1. */
        int32_t  pick2;  /* The round-2 choice, for round 3's context. */
        float    weight; /* Its weight in the context (mentions). */
        float    support;
        uint32_t pstart; /* An ORG: the place name in its name, as */
        uint32_t pend;   /* byte offsets in its field (0, 0: none). */
        bool     anchor;
        bool     weak_name; /* A common word: needs support. */
        bool     guess;     /* A compass name, or found without its
                               direction: needs its country's support. */
        bool org;           /* The place is named in its name (an ORG's,
                               a facility's): pstart, pend. */
        bool surname;       /* ... as all of it or after "of": maybe a
                               person's name ("Reynolds", "House of
                               Fraser"), not a town's. */
        bool     qualified; /* A state or country after a comma. */
        bool     region;    /* An anchor as the region (region_anchor()). */
        char     code[2];   /* The gazetteer's country for it, or "". */
        uint32_t base;      /* Hash of its folded name less " county" (0:
                               none): "Alexandria" and "Alexandria County"
                               do not contain each other. */
} geo_ent_t;

/* One candidate place. */
typedef struct geo_cand {
        enr_place_t p;
        uint32_t    index;   /* Place index in the table. */
        uint16_t    admin1;  /* Its admin1 code's index (0: none). */
        uint32_t    county;  /* A town's county: its place + 1 (0: none). */
        uint8_t     size;    /* An admin1 region's: see geo_int.h. */
        float       cluster; /* Other names with a candidate in its
                                region, each 1 / its regions. */
        bool local;          /* A town named like a country ("Lebanon, Ind."):
                                only with the article's places around it. */
        bool excluded;       /* A town named like a region of its country. */
        bool contain;        /* A town in a county another name of the
                                article may be, or such a county. */
} geo_cand_t;

/* A county one of an entity's candidates is or lies in. */
typedef struct geo_link {
        uint32_t place; /* The county's place index. */
        uint32_t ent;
} geo_link_t;

/* A region (country, admin1) one of an entity's candidates lies in. */
typedef struct geo_reg {
        char     cc[2];
        uint16_t admin1;
        uint32_t ent;
        float    w; /* 1 / the number of regions of the entity. */
} geo_reg_t;

/* Context votes: countries, admin1 regions, points. */
typedef struct geo_vote {
        char     cc[2];
        uint16_t admin1;
        float    w;
        int32_t  ent;  /* Entity that cast it (to leave itself out). */
        bool     hint; /* Cast by the web address (add_source()). */
        double   lat, lon;
} geo_vote_t;

struct enr_geo_scratch {
        const enr_geo_t *g;
        geo_ent_t       *ents;
        size_t           ents_cap, nents;
        geo_cand_t      *cands;
        size_t           ncands, cands_cap;
        enr_place_t     *out; /* Per entity. */
        uint8_t         *has; /* Per entity: out is set. */
        size_t           out_cap;
        geo_reg_t       *regs;
        size_t           nregs, regs_cap;
        geo_link_t      *links[2]; /* Counties named; counties towns lie in. */
        size_t           nlinks[2], links_cap[2];
        geo_vote_t       votes[GEO_CTX];
        size_t           nvotes;
        int32_t          src;       /* The source town's entity, or -1. */
        size_t           hints;     /* The first of add_source()'s entities. */
        char             src_cc[2]; /* The web address's country, or "". */
};

/* ---- Reading the file ---- */

static uint32_t rd32(const unsigned char *p) {
        return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
               (uint32_t)p[3] << 24;
}

static uint16_t rd16(const unsigned char *p) {
        return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t name_hash(const enr_geo_t *g, size_t i) {
        return rd32(g->names + i * GEO_NAME_SIZE);
}

static uint32_t name_place(const enr_geo_t *g, size_t i) {
        return rd32(g->names + i * GEO_NAME_SIZE + 4);
}

/* Decodes place i of the table. */
static void place_at(const enr_geo_t *g, uint32_t i, enr_place_t *p) {
        const unsigned char *r = g->places + (size_t)i * GEO_PLACE_SIZE;
        uint16_t             a = rd16(r + 18);

        p->geonameid  = rd32(r);
        p->lat        = (int32_t)rd32(r + 4) / 1e5;
        p->lon        = (int32_t)rd32(r + 8) / 1e5;
        p->population = rd32(r + 12);
        p->country[0] = (char)r[16];
        p->country[1] = (char)r[17];
        p->country[2] = '\0';
        memcpy(p->admin1, g->admin1 + (size_t)a * GEO_ADMIN1_SIZE, 8);
        p->admin1[8] = '\0';
        p->feature   = r[20];
}

static int cmp_adm(const void *a, const void *b) {
        const geo_adm_t *x = a, *y = b;
        int              c = memcmp(x->cc, y->cc, 2);

        if (c)
                return c;
        return x->admin1 < y->admin1 ? -1 : x->admin1 > y->admin1;
}

static bool is_upper_ascii(unsigned char c) {
        return c >= 'A' && c <= 'Z';
}

/* Checks one place record; a message in errstr when it is wrong. */
static bool check_place(const enr_geo_t *g, uint32_t i, char *errstr,
                        size_t errstr_size) {
        const unsigned char *r       = g->places + (size_t)i * GEO_PLACE_SIZE;
        int32_t              lat     = (int32_t)rd32(r + 4);
        int32_t              lon     = (int32_t)rd32(r + 8);
        unsigned             feature = r[20], county = rd16(r + 22);
        bool cc_ok = (is_upper_ascii(r[16]) && is_upper_ascii(r[17])) ||
                     (!r[16] && !r[17] && feature == ENR_GEO_CONT);

        if (lat < -9000000 || lat > 9000000 || lon < -18000000 ||
            lon > 18000000 || feature >= ENR_GEO__COUNT || !cc_ok ||
            rd16(r + 18) >= g->nadmin1 ||
            (r[21] && feature != ENR_GEO_ADM1 &&
             !(r[21] == 1 &&
               (feature == ENR_GEO_PPL || feature == ENR_GEO_PPLC))) ||
            county > g->nadm2 ||
            (county && feature != ENR_GEO_PPL && feature != ENR_GEO_PPLC)) {
                enr_set_errstr(errstr, errstr_size,
                               "geo table: place %u is malformed", i);
                return false;
        }
        return true;
}

/* Indexes the countries and admin1 regions by code. */
static enr_err_t index_codes(enr_geo_t *g) {
        size_t n = 0;

        for (uint32_t i = 0; i < g->nplaces; i++) {
                const unsigned char *r = g->places + (size_t)i * GEO_PLACE_SIZE;
                if (r[20] == ENR_GEO_PCLI)
                        g->country[(r[16] - 'A') * 26 + (r[17] - 'A')] = i + 1;
                else if (r[20] == ENR_GEO_ADM1)
                        n++;
        }
        g->adm = calloc(n ? n : 1, sizeof(*g->adm));
        if (!g->adm)
                return ENR_ERR_NOMEM;
        for (uint32_t i = 0; i < g->nplaces; i++) {
                const unsigned char *r = g->places + (size_t)i * GEO_PLACE_SIZE;
                if (r[20] != ENR_GEO_ADM1)
                        continue;
                memcpy(g->adm[g->nadm].cc, r + 16, 2);
                g->adm[g->nadm].admin1  = rd16(r + 18);
                g->adm[g->nadm++].place = i;
        }
        qsort(g->adm, g->nadm, sizeof(*g->adm), cmp_adm);
        return ENR_OK;
}

/* Checks the image in g->buf and sets the section pointers. */
static bool check_table(enr_geo_t *g, char *errstr, size_t errstr_size) {
        const unsigned char *p = g->buf;
        uint64_t             need;

        if (g->size < GEO_HEADER_SIZE + 4 || memcmp(p, GEO_MAGIC, 8)) {
                enr_set_errstr(errstr, errstr_size,
                               "geo table: not a place table (bad magic)");
                return false;
        }
        if (enr_crc32(p, g->size - 4) != rd32(p + g->size - 4)) {
                enr_set_errstr(errstr, errstr_size,
                               "geo table: checksum mismatch (corrupt)");
                return false;
        }
        g->nplaces = rd32(p + 8);
        g->nnames  = rd32(p + 12);
        g->nadmin1 = rd32(p + 16);
        need       = GEO_HEADER_SIZE + (uint64_t)g->nplaces * GEO_PLACE_SIZE +
               (uint64_t)g->nnames * GEO_NAME_SIZE +
               (uint64_t)g->nadmin1 * GEO_ADMIN1_SIZE + 4;
        if (need != g->size || rd32(p + 20) || !g->nadmin1 ||
            g->nadmin1 > 65536) {
                enr_set_errstr(errstr, errstr_size,
                               "geo table: section sizes do not add up");
                return false;
        }
        g->places = p + GEO_HEADER_SIZE;
        g->names  = g->places + (size_t)g->nplaces * GEO_PLACE_SIZE;
        g->admin1 = g->names + (size_t)g->nnames * GEO_NAME_SIZE;
        if (memcmp(g->admin1, "\0\0\0\0\0\0\0\0", 8)) {
                enr_set_errstr(errstr, errstr_size,
                               "geo table: admin1 code 0 is not empty");
                return false;
        }
        for (uint32_t i = 0; i < g->nplaces; i++)
                if (g->places[(size_t)i * GEO_PLACE_SIZE + 20] == ENR_GEO_ADM2)
                        g->nadm2++;
        if (g->nadm2 > 65535) {
                enr_set_errstr(errstr, errstr_size,
                               "geo table: too many counties");
                return false;
        }
        if (!(g->adm2 = malloc((g->nadm2 ? g->nadm2 : 1) * sizeof(*g->adm2)))) {
                enr_set_errstr(errstr, errstr_size, "out of memory");
                return false;
        }
        for (uint32_t i = 0, k = 0; i < g->nplaces; i++)
                if (g->places[(size_t)i * GEO_PLACE_SIZE + 20] == ENR_GEO_ADM2)
                        g->adm2[k++] = i;
        for (uint32_t i = 0; i < g->nplaces; i++)
                if (!check_place(g, i, errstr, errstr_size))
                        return false;
        for (uint32_t i = 0; i < g->nnames; i++) {
                if (name_place(g, i) >= g->nplaces ||
                    (i && name_hash(g, i) < name_hash(g, i - 1))) {
                        enr_set_errstr(errstr, errstr_size,
                                       "geo table: name %u is out of order "
                                       "or names no place",
                                       i);
                        return false;
                }
        }
        return true;
}

/* Takes ownership of buf (size n). */
static enr_geo_t *parse_owned(unsigned char *buf, size_t n, char *errstr,
                              size_t errstr_size) {
        enr_geo_t *g = calloc(1, sizeof(*g));

        if (!g) {
                free(buf);
                enr_set_errstr(errstr, errstr_size, "out of memory");
                return NULL;
        }
        g->buf  = buf;
        g->size = n;
        if (!check_table(g, errstr, errstr_size))
                goto fail;
        if (index_codes(g)) {
                enr_set_errstr(errstr, errstr_size, "out of memory");
                goto fail;
        }
        return g;
fail:
        enr_geo_destroy(g);
        return NULL;
}

enr_geo_t *enr__geo_parse(const void *buf, size_t n, char *errstr,
                          size_t errstr_size) {
        unsigned char *copy = malloc(n ? n : 1);

        if (!copy) {
                enr_set_errstr(errstr, errstr_size, "out of memory");
                return NULL;
        }
        if (n)
                memcpy(copy, buf, n);
        return parse_owned(copy, n, errstr, errstr_size);
}

enr_geo_t *enr_geo_new(const char *resources_dir, const char *path,
                       const enr_gazetteer_t *gaz, char *errstr,
                       size_t errstr_size) {
        char           pathbuf[4096];
        unsigned char *buf = NULL;
        enr_geo_t     *g   = NULL;
        FILE          *f   = NULL;
        long           size;

        if (!path) {
                if (!resources_dir)
                        resources_dir = ENR_RESOURCE_DIR;
                if ((size_t)snprintf(pathbuf, sizeof(pathbuf), "%s/%s",
                                     resources_dir,
                                     ENR_GEO_DEFAULT_FILE) >= sizeof(pathbuf)) {
                        enr_set_errstr(errstr, errstr_size, "path too long");
                        return NULL;
                }
                path = pathbuf;
        }
        if (!(f = fopen(path, "rb"))) {
                enr_set_errstr(errstr, errstr_size, "%s: %s", path,
                               strerror(errno));
                goto out;
        }
        if (fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0 ||
            fseek(f, 0, SEEK_SET)) {
                enr_set_errstr(errstr, errstr_size, "%s: cannot size", path);
                goto out;
        }
        if ((unsigned long)size > GEO_MAX_FILE) {
                enr_set_errstr(errstr, errstr_size, "%s: geo table: too large",
                               path);
                goto out;
        }
        if (!(buf = malloc((size_t)size + 1))) {
                enr_set_errstr(errstr, errstr_size, "out of memory");
                goto out;
        }
        if (fread(buf, 1, (size_t)size, f) != (size_t)size) {
                enr_set_errstr(errstr, errstr_size, "%s: read error", path);
                goto out;
        }
        g   = parse_owned(buf, (size_t)size, errstr, errstr_size);
        buf = NULL;
        if (!g && errstr && errstr_size) {
                char why[256];
                snprintf(why, sizeof(why), "%s", errstr);
                enr_set_errstr(errstr, errstr_size, "%s: %s", path, why);
        }
        if (g)
                g->gaz = gaz;
out:
        if (f)
                fclose(f);
        free(buf);
        return g;
}

void enr_geo_destroy(enr_geo_t *g) {
        if (!g)
                return;
        free(g->adm);
        free(g->adm2);
        free(g->buf);
        free(g);
}

void enr_geo_set_gazetteer(enr_geo_t *g, const enr_gazetteer_t *gaz) {
        g->gaz = gaz;
}

size_t enr_geo_count(const enr_geo_t *g) {
        return g->nplaces;
}

/* ---- Names ---- */

size_t enr__geo_fold(const char *s, size_t n, char *out, size_t cap) {
        size_t o     = 0;
        bool   space = false;

        for (size_t i = 0; i < n; i++) {
                unsigned char c = (unsigned char)s[i];
                if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
                    (unsigned char)s[i + 2] == 0x99) {
                        c = '\'';
                        i += 2;
                }
                if (c == '.')
                        continue;
                if (c == '-' || c == ' ' || (c >= '\t' && c <= '\r')) {
                        space = o > 0;
                        continue;
                }
                if (space) {
                        if (o + 1 >= cap)
                                return 0;
                        out[o++] = ' ';
                        space    = false;
                }
                if (o + 1 >= cap)
                        return 0;
                out[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
        }
        out[o] = '\0';
        return o;
}

uint32_t enr__geo_hash(const char *s, size_t n) {
        uint32_t h = 0x811C9DC5u;

        for (size_t i = 0; i < n; i++) {
                h ^= (unsigned char)s[i];
                h *= 0x01000193u;
        }
        return h;
}

/* The first name entry of hash h, and how many there are. */
static size_t find_hash(const enr_geo_t *g, uint32_t h, size_t *first) {
        size_t lo = 0, hi = g->nnames, n = 0;

        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (name_hash(g, mid) < h)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        *first = lo;
        while (lo + n < g->nnames && name_hash(g, lo + n) == h)
                n++;
        return n;
}

/* The entries of the folded form of s[0..n). */
static size_t find_name(const enr_geo_t *g, const char *s, size_t n,
                        size_t *first) {
        char   key[GEO_NAME_MAX];
        size_t kl = enr__geo_fold(s, n, key, sizeof(key));

        if (!kl)
                return 0;
        return find_hash(g, enr__geo_hash(key, kl), first);
}

size_t enr__geo_lookup(const enr_geo_t *g, const char *s, size_t n,
                       enr_place_t *out) {
        size_t first, k = find_name(g, s, n, &first);

        if (k && out)
                place_at(g, name_place(g, first), out);
        return k;
}

/* The admin1 index of code a (n bytes) in the table, or 0. */
static uint16_t admin1_index(const enr_geo_t *g, const char *a, size_t n) {
        if (!n || n > 8)
                return 0;
        for (uint32_t i = 1; i < g->nadmin1; i++) {
                const char *c = (const char *)g->admin1 + (size_t)i * 8;
                if (!memcmp(c, a, n) && (n == 8 || !c[n]))
                        return (uint16_t)i;
        }
        return 0;
}

/* The admin1 place of (cc, admin1), or -1. */
static int64_t admin1_place(const enr_geo_t *g, const char *cc,
                            uint16_t admin1) {
        geo_adm_t key, *hit;

        memcpy(key.cc, cc, 2);
        key.admin1 = admin1;
        hit        = bsearch(&key, g->adm, g->nadm, sizeof(*g->adm), cmp_adm);
        return hit ? (int64_t)hit->place : -1;
}

/* The country place of cc, or -1. */
static int64_t country_place(const enr_geo_t *g, const char *cc) {
        if (!is_upper_ascii((unsigned char)cc[0]) ||
            !is_upper_ascii((unsigned char)cc[1]))
                return -1;
        return (int64_t)g->country[(cc[0] - 'A') * 26 + (cc[1] - 'A')] - 1;
}

/* ---- Qualifiers: "Paris, Texas", "Alexandria, La.", "Tbilisi, Georgia" */

/* US states as the AP stylebook abbreviates them, with their postal
 * codes (GeoNames' admin1 codes for the US). */
static const struct {
        const char *ap;
        const char *code;
} AP_STATES[] = {
    {"Ala.", "AL"},  {"Ariz.", "AZ"},  {"Ark.", "AR"},  {"Calif.", "CA"},
    {"Colo.", "CO"}, {"Conn.", "CT"},  {"Del.", "DE"},  {"Fla.", "FL"},
    {"Ga.", "GA"},   {"Ill.", "IL"},   {"Ind.", "IN"},  {"Kan.", "KS"},
    {"Kans.", "KS"}, {"Ky.", "KY"},    {"La.", "LA"},   {"Md.", "MD"},
    {"Mass.", "MA"}, {"Mich.", "MI"},  {"Minn.", "MN"}, {"Miss.", "MS"},
    {"Mo.", "MO"},   {"Mont.", "MT"},  {"Neb.", "NE"},  {"Nebr.", "NE"},
    {"Nev.", "NV"},  {"N.H.", "NH"},   {"N.J.", "NJ"},  {"N.M.", "NM"},
    {"N.Y.", "NY"},  {"N.C.", "NC"},   {"N.D.", "ND"},  {"Okla.", "OK"},
    {"Ore.", "OR"},  {"Oreg.", "OR"},  {"Pa.", "PA"},   {"Penn.", "PA"},
    {"R.I.", "RI"},  {"S.C.", "SC"},   {"S.D.", "SD"},  {"Tenn.", "TN"},
    {"Tex.", "TX"},  {"Vt.", "VT"},    {"Va.", "VA"},   {"Wash.", "WA"},
    {"W.Va.", "WV"}, {"W. Va.", "WV"}, {"Wis.", "WI"},  {"Wisc.", "WI"},
    {"Wyo.", "WY"},  {"D.C.", "DC"},
};

/* The US state the AP abbreviation or postal code s[0..n) names (exactly),
 * as the admin1 place's index, or -1. Postal codes count after a comma
 * only (after_comma), where "IN" and "OR" are not words. */
static int64_t us_state_abbrev(const enr_geo_t *g, const char *s, size_t n,
                               bool after_comma) {
        for (size_t k = 0; k < sizeof(AP_STATES) / sizeof(AP_STATES[0]); k++)
                if (strlen(AP_STATES[k].ap) == n &&
                    !memcmp(s, AP_STATES[k].ap, n))
                        return admin1_place(
                            g, "US", admin1_index(g, AP_STATES[k].code, 2));
        if (after_comma && n == 2 && is_upper_ascii((unsigned char)s[0]) &&
            is_upper_ascii((unsigned char)s[1]))
                return admin1_place(g, "US", admin1_index(g, s, 2));
        return -1;
}

/* A place a qualifier allows: a country, or one of its admin1 regions. */
typedef struct geo_qual {
        char     cc[2];
        uint16_t admin1; /* 0: any region of cc. */
} geo_qual_t;

#define GEO_QUALS 4

static bool is_alpha(unsigned char c) {
        return (c | 32) >= 'a' && (c | 32) <= 'z';
}

/* Adds the qualifiers named by s[0..n) (a state or country name). */
static size_t quals_of_name(const enr_geo_t *g, const char *s, size_t n,
                            geo_qual_t *q, size_t nq) {
        size_t          first, k = find_name(g, s, n, &first);
        enr_gaz_match_t gm;

        for (size_t i = 0; i < k && nq < GEO_QUALS; i++) {
                enr_place_t p;
                place_at(g, name_place(g, first + i), &p);
                if (p.feature != ENR_GEO_PCLI && p.feature != ENR_GEO_ADM1)
                        continue;
                memcpy(q[nq].cc, p.country, 2);
                q[nq].admin1 = p.feature == ENR_GEO_ADM1
                                   ? admin1_index(g, p.admin1, strlen(p.admin1))
                                   : 0;
                nq++;
        }
        if (!nq && g->gaz && enr_gazetteer_find(g->gaz, s, n, false, &gm) &&
            (gm.curated & ENR_GAZ_COUNTRY) && gm.code[0]) {
                memcpy(q[0].cc, gm.code, 2);
                q[0].admin1 = 0;
                nq          = 1;
        }
        return nq;
}

/* The qualifiers in s[0..n), the text right after a ", ": an AP state
 * abbreviation, a postal code, or a state or country of one to three
 * capitalised words. */
static size_t parse_qualifier(const enr_geo_t *g, const char *s, size_t n,
                              geo_qual_t *q) {
        size_t ends[3], nw = 0, i = 0;

        for (size_t k = 0; k < sizeof(AP_STATES) / sizeof(AP_STATES[0]); k++) {
                size_t l = strlen(AP_STATES[k].ap);
                if (l <= n && !memcmp(s, AP_STATES[k].ap, l) &&
                    (l == n || !is_alpha((unsigned char)s[l]))) {
                        memcpy(q[0].cc, "US", 2);
                        q[0].admin1 = admin1_index(g, AP_STATES[k].code, 2);
                        return q[0].admin1 ? 1 : 0;
                }
        }
        if (n >= 2 && is_upper_ascii((unsigned char)s[0]) &&
            is_upper_ascii((unsigned char)s[1]) &&
            (n == 2 || !is_alpha((unsigned char)s[2]))) {
                uint16_t a = admin1_index(g, s, 2);
                if (a && admin1_place(g, "US", a) >= 0) {
                        memcpy(q[0].cc, "US", 2);
                        q[0].admin1 = a;
                        return 1;
                }
        }
        /* Up to three capitalised words. */
        while (nw < 3 && i < n && is_upper_ascii((unsigned char)s[i])) {
                while (i < n && (is_alpha((unsigned char)s[i]) || s[i] == '.'))
                        i++;
                ends[nw++] = i;
                if (i + 1 < n && s[i] == ' ' &&
                    is_upper_ascii((unsigned char)s[i + 1]))
                        i++;
                else
                        break;
        }
        while (nw > 0) {
                size_t l = ends[--nw], nq;
                while (l > 0 && s[l - 1] == '.')
                        l--;
                nq = quals_of_name(g, s, l, q, 0);
                if (nq)
                        return nq;
        }
        return 0;
}

static bool qual_allows(const geo_qual_t *q, size_t nq, const enr_geo_t *g,
                        const enr_place_t *p) {
        for (size_t i = 0; i < nq; i++) {
                if (memcmp(q[i].cc, p->country, 2))
                        continue;
                if (!q[i].admin1 && p->feature != ENR_GEO_PCLI)
                        return true;
                if (q[i].admin1 && p->feature != ENR_GEO_ADM1 &&
                    !strncmp(p->admin1,
                             (const char *)g->admin1 + q[i].admin1 * 8, 8))
                        return true;
        }
        return false;
}

/* ---- Scratch ---- */

enr_geo_scratch_t *enr_geo_scratch_new(const enr_geo_t *g) {
        enr_geo_scratch_t *s = calloc(1, sizeof(*s));

        if (s)
                s->g = g;
        return s;
}

void enr_geo_scratch_destroy(enr_geo_scratch_t *s) {
        if (!s)
                return;
        free(s->ents);
        free(s->cands);
        free(s->regs);
        free(s->links[0]);
        free(s->links[1]);
        free(s->out);
        free(s->has);
        free(s);
}

const enr_place_t *enr_geo_place(const enr_geo_scratch_t *s, size_t entity) {
        if (!s || entity >= s->out_cap || !s->has[entity])
                return NULL;
        return &s->out[entity];
}

bool enr_geo_place_span(const enr_geo_scratch_t *s, size_t entity,
                        uint32_t *start, uint32_t *end) {
        if (!s || entity >= s->nents || !s->ents[entity].org)
                return false;
        *start = s->ents[entity].pstart;
        *end   = s->ents[entity].pend;
        return true;
}

double enr_geo_distance_km(double lat1, double lon1, double lat2, double lon2) {
        const double r  = M_PI / 180.0;
        double       dl = (lat2 - lat1) * r, dn = (lon2 - lon1) * r;
        double       a = sin(dl / 2) * sin(dl / 2) +
                   cos(lat1 * r) * cos(lat2 * r) * sin(dn / 2) * sin(dn / 2);

        if (a > 1)
                a = 1;
        return 2 * 6371.0 * asin(sqrt(a));
}

static bool is_place_type(unsigned t) {
        return t == ENR_ENT_GPE || t == ENR_ENT_LOC || t == ENR_ENT_FAC ||
               t == ENR_ENT_NORP;
}

static enr_err_t add_cand(enr_geo_scratch_t *s, const enr_geo_t *g,
                          uint32_t place) {
        enr_err_t err = enr_grow((void **)&s->cands, &s->cands_cap,
                                 s->ncands + 1, sizeof(*s->cands), 64);
        unsigned  county;

        if (err)
                return err;
        place_at(g, place, &s->cands[s->ncands].p);
        s->cands[s->ncands].admin1 =
            rd16(g->places + (size_t)place * GEO_PLACE_SIZE + 18);
        county = rd16(g->places + (size_t)place * GEO_PLACE_SIZE + 22);
        s->cands[s->ncands].county = county ? g->adm2[county - 1] + 1 : 0;
        s->cands[s->ncands].size =
            g->places[(size_t)place * GEO_PLACE_SIZE + 21];
        s->cands[s->ncands].local    = false;
        s->cands[s->ncands].excluded = false;
        s->cands[s->ncands].contain  = false;
        s->cands[s->ncands++].index  = place;
        return ENR_OK;
}

/* The text of the entity's canonical span. */
static const char *ent_text(const enr_entity_t *en, const enr_fields_t *f,
                            size_t *n) {
        const enr_text_t *t = f->text[en->field & 1];

        *n = en->end - en->start;
        return t->s + en->start;
}

/* Whether the gazetteer calls s[0..n) a country; its code in cc. An
 * abbreviation missing its final period ("U.S billionaire", or "U.S" of
 * "U.S." ending a sentence) is looked up with it. */
static bool gaz_country(const enr_geo_t *g, const char *s, size_t n, char *cc) {
        enr_gaz_match_t gm;
        char            abbr[16];
        bool            found;

        if (!g->gaz)
                return false;
        found = enr_gazetteer_find(g->gaz, s, n, false, &gm);
        if (!found && n >= 3 && n + 1 < sizeof(abbr) && s[n - 2] == '.' &&
            s[n - 1] != '.') {
                memcpy(abbr, s, n);
                abbr[n] = '.';
                found   = enr_gazetteer_find(g->gaz, abbr, n + 1, false, &gm);
        }
        if (!found || !(gm.curated & ENR_GAZ_COUNTRY) || !gm.code[0])
                return false;
        memcpy(cc, gm.code, 2);
        return true;
}

/* The qualifiers after any mention of entity i (", Texas"). */
static size_t mention_quals(const enr_geo_t *g, const enr_entities_t *e,
                            const enr_mentions_t *m, const enr_fields_t *f,
                            size_t i, geo_qual_t *q) {
        const enr_entity_t *en = &e->v[i];

        for (uint32_t k = 0; k < en->count; k++) {
                const enr_mention_t *mm = &m->v[e->order[en->first + k]];
                const enr_text_t    *t  = f->text[mm->field & 1];
                size_t               p  = mm->end, nq;
                if (p + 2 >= t->len || t->s[p] != ',' || t->s[p + 1] != ' ')
                        continue;
                p += 2;
                nq = parse_qualifier(g, t->s + p,
                                     t->len - p < 40 ? t->len - p : 40, q);
                if (nq)
                        return nq;
        }
        return 0;
}

/* The length of name s[0..n) without a possessive ("Moscow's"). */
static size_t strip_name(const char *s, size_t n) {
        if (n > 2 && s[n - 2] == '\'' && s[n - 1] == 's')
                return n - 2;
        if (n > 4 && !memcmp(s + n - 4, "\xE2\x80\x99s", 4))
                return n - 4;
        return n;
}

/* Where the place name after a leading compass word starts ("North
 * Texas", "Southern California"), or n when there is none. */
/* Whether s[0..n) is only compass words ("West", "South West",
 * "North-East"): a region of some country, named the way every
 * country's are. */
static bool compass_name(const char *s, size_t n) {
        static const char *const words[] = {
            "north",     "south",     "east",      "west",    "northern",
            "southern",  "eastern",   "western",   "central", "northeast",
            "northwest", "southeast", "southwest", "mid"};
        size_t i = 0;

        while (i < n) {
                size_t j = i, k;
                while (j < n && s[j] != ' ' && s[j] != '-')
                        j++;
                for (k = 0; k < sizeof(words) / sizeof(words[0]); k++)
                        if (strlen(words[k]) == j - i &&
                            !strncasecmp(s + i, words[k], j - i))
                                break;
                if (k == sizeof(words) / sizeof(words[0]))
                        return false;
                i = j + 1;
        }
        return n > 0;
}

static size_t strip_direction(const char *s, size_t n) {
        static const char *const dirs[] = {
            "North ",     "South ",     "East ",      "West ",    "Northern ",
            "Southern ",  "Eastern ",   "Western ",   "Central ", "Northeast ",
            "Northwest ", "Southeast ", "Southwest ", "Upstate ", "Downtown ",
            "Metro ",     "Greater "};

        for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
                size_t l = strlen(dirs[i]);
                if (n > l && !memcmp(s, dirs[i], l))
                        return l;
        }
        return n;
}

/* Whether a mention of entity en follows a ", " (a qualifier's place). */
static bool after_comma(const enr_entity_t *en, const enr_fields_t *f) {
        const enr_text_t *t = f->text[en->field & 1];

        return en->start >= 2 && en->start <= t->len &&
               t->s[en->start - 2] == ',' && t->s[en->start - 1] == ' ';
}

/* Words that, after a place name, make the name a local institution's
 * ("Huntsville Police Department", "Laurel County Fiscal Court", "Texas
 * Department of ..."): government, services, schools, courts, local
 * papers. Sorted (bsearch). */
static const char *const INSTITUTION_WORDS[] = {
    "Adult",       "Airport",       "Area",      "Arts",           "Assembly",
    "Attorney",    "Board",         "Borough",   "Chamber",        "Chronicle",
    "Circuit",     "City",          "Civic",     "Clerk",          "College",
    "Commission",  "Commissioners", "Community", "Constabulary",   "Coroner",
    "Council",     "County",        "Court",     "Daily",          "Democratic",
    "Department",  "Dept",          "Detention", "District",       "Elementary",
    "Emergency",   "Fire",          "Fiscal",    "Gazette",        "Health",
    "Herald",      "High",          "Highway",   "Historical",     "Hospital",
    "Housing",     "Jail",          "Journal",   "Legislature",    "Library",
    "Magistrates", "Mayor",         "Medical",   "Memorial",       "Middle",
    "Municipal",   "Museum",        "National",  "Parish",         "Parks",
    "Patrol",      "Planning",      "Police",    "Public",         "Recreation",
    "Regional",    "Republican",    "Rescue",    "School",         "Schools",
    "Senior",      "Sheriff",       "State",     "Superior",       "Times",
    "Town",        "Township",      "Transit",   "Transportation", "Tribune",
    "University",  "Utilities",     "Volunteer", "Water",          "Zoo",
};

static int cmp_word(const void *key, const void *elem) {
        const char *k = key, *w = *(const char *const *)elem;
        size_t      n = strlen(w);
        int         c = strncmp(k, w, n);

        return c ? c : (k[n] != '\0');
}

/* Whether the word w[0..n) is one of the sorted list (as written). */
static bool word_in(const char *const *list, size_t nlist, const char *w,
                    size_t n) {
        char buf[24];

        if (n >= sizeof(buf))
                return false;
        memcpy(buf, w, n);
        buf[n] = '\0';
        return bsearch(buf, list, nlist, sizeof(list[0]), cmp_word) != NULL;
}

#define WORD_IN(list, w, n) word_in(list, sizeof(list) / sizeof(list[0]), w, n)

/* Whether the word w[0..n) (a possessive dropped) is an institution word. */
static bool institution_word(const char *w, size_t n) {
        return WORD_IN(INSTITUTION_WORDS, w, strip_name(w, n));
}

/* Peoples of a region ("Texan", "Abkhaz", "Scottish") or a continent
 * ("European"), with the region's country ("" for a continent) and its
 * name in the table. A people's name with an "s" added is its plural
 * ("Texans"). Standard English demonyms; left out where the word names
 * more than one region or a people of a country too ("Georgian",
 * "Indian", "Punjabi", "Galician", "Victorian", "Washingtonian", "New
 * Yorker"), and "English", also the language and a university's
 * department. Sorted by name (bsearch). */
static const struct region_people {
        const char *name;
        const char  cc[3];
        const char *region;
} REGION_PEOPLES[] = {
    {"Abkhaz", "GE", "Abkhazia"},
    {"Abkhazian", "GE", "Abkhazia"},
    {"Acehnese", "ID", "Aceh"},
    {"African", "", "Africa"},
    {"Alabamian", "US", "Alabama"},
    {"Alaskan", "US", "Alaska"},
    {"Albertan", "CA", "Alberta"},
    {"Andalusian", "ES", "Andalusia"},
    {"Arizonan", "US", "Arizona"},
    {"Arkansan", "US", "Arkansas"},
    {"Asian", "", "Asia"},
    {"Assamese", "IN", "Assam"},
    {"Basque", "ES", "Basque Country"},
    {"Bavarian", "DE", "Bavaria"},
    {"Breton", "FR", "Brittany"},
    {"British Columbian", "CA", "British Columbia"},
    {"Calabrian", "IT", "Calabria"},
    {"Californian", "US", "California"},
    {"Catalan", "ES", "Catalonia"},
    {"Chechen", "RU", "Chechnya"},
    {"Coloradan", "US", "Colorado"},
    {"Corsican", "FR", "Corsica"},
    {"Crimean", "UA", "Crimea"},
    {"Dagestani", "RU", "Dagestan"},
    {"Delawarean", "US", "Delaware"},
    {"European", "", "Europe"},
    {"Flemish", "BE", "Flanders"},
    {"Floridian", "US", "Florida"},
    {"Gujarati", "IN", "Gujarat"},
    {"Hawaiian", "US", "Hawaii"},
    {"Hoosier", "US", "Indiana"},
    {"Idahoan", "US", "Idaho"},
    {"Illinoisan", "US", "Illinois"},
    {"Indianan", "US", "Indiana"},
    {"Ingush", "RU", "Ingushetiya"},
    {"Iowan", "US", "Iowa"},
    {"Kansan", "US", "Kansas"},
    {"Kashmiri", "IN", "Kashmir"},
    {"Kentuckian", "US", "Kentucky"},
    {"Louisianan", "US", "Louisiana"},
    {"Louisianian", "US", "Louisiana"},
    {"Manitoban", "CA", "Manitoba"},
    {"Marylander", "US", "Maryland"},
    {"Michigander", "US", "Michigan"},
    {"Minnesotan", "US", "Minnesota"},
    {"Mississippian", "US", "Mississippi"},
    {"Missourian", "US", "Missouri"},
    {"Montanan", "US", "Montana"},
    {"Nebraskan", "US", "Nebraska"},
    {"Nevadan", "US", "Nevada"},
    {"New Hampshirite", "US", "New Hampshire"},
    {"New Jerseyan", "US", "New Jersey"},
    {"New Mexican", "US", "New Mexico"},
    {"Newfoundlander", "CA", "Newfoundland and Labrador"},
    {"North Carolinian", "US", "North Carolina"},
    {"North Dakotan", "US", "North Dakota"},
    {"Northern Irish", "GB", "Northern Ireland"},
    {"Nova Scotian", "CA", "Nova Scotia"},
    {"Ohioan", "US", "Ohio"},
    {"Oklahoman", "US", "Oklahoma"},
    {"Ontarian", "CA", "Ontario"},
    {"Oregonian", "US", "Oregon"},
    {"Pennsylvanian", "US", "Pennsylvania"},
    {"Quebecer", "CA", "Quebec"},
    {"Quebecker", "CA", "Quebec"},
    {"Queenslander", "AU", "Queensland"},
    {"Rhode Islander", "US", "Rhode Island"},
    {"Sardinian", "IT", "Sardinia"},
    {"Scot", "GB", "Scotland"},
    {"Scottish", "GB", "Scotland"},
    {"Sicilian", "IT", "Sicily"},
    {"Sindhi", "PK", "Sindh"},
    {"South Carolinian", "US", "South Carolina"},
    {"South Dakotan", "US", "South Dakota"},
    {"Tasmanian", "AU", "Tasmania"},
    {"Tennessean", "US", "Tennessee"},
    {"Texan", "US", "Texas"},
    {"Tibetan", "CN", "Tibet Autonomous Region"},
    {"Tuscan", "IT", "Tuscany"},
    {"Utahn", "US", "Utah"},
    {"Vermonter", "US", "Vermont"},
    {"Virginian", "US", "Virginia"},
    {"Walloon", "BE", "Wallonia"},
    {"Welsh", "GB", "Wales"},
    {"West Virginian", "US", "West Virginia"},
    {"Wisconsinite", "US", "Wisconsin"},
    {"Wyomingite", "US", "Wyoming"},
};

static int cmp_people(const void *key, const void *elem) {
        return strcmp(key, ((const struct region_people *)elem)->name);
}

/* The place of the region or continent whose people s[0..n) names (see
 * REGION_PEOPLES), given the people's country code (may be empty) from
 * the gazetteer; -1 when none. */
static int64_t region_people(const enr_geo_t *g, const char *s, size_t n,
                             const char *code) {
        const struct region_people *r;
        char                        buf[GEO_NAME_MAX];
        size_t                      first, k;

        if (n < 3 || n >= sizeof(buf))
                return -1;
        memcpy(buf, s, n);
        buf[n] = '\0';
        r      = bsearch(buf, REGION_PEOPLES,
                         sizeof(REGION_PEOPLES) / sizeof(REGION_PEOPLES[0]),
                         sizeof(REGION_PEOPLES[0]), cmp_people);
        if (!r && buf[n - 1] == 's') { /* "Texans" */
                buf[n - 1] = '\0';
                r          = bsearch(buf, REGION_PEOPLES,
                                     sizeof(REGION_PEOPLES) / sizeof(REGION_PEOPLES[0]),
                                     sizeof(REGION_PEOPLES[0]), cmp_people);
        }
        if (!r || (code[0] && r->cc[0] && memcmp(code, r->cc, 2)))
                return -1;
        k = find_name(g, r->region, strlen(r->region), &first);
        for (size_t j = 0; j < k; j++) {
                enr_place_t p;
                place_at(g, name_place(g, first + j), &p);
                if (r->cc[0] ? p.feature == ENR_GEO_ADM1 &&
                                   !memcmp(p.country, r->cc, 2)
                             : p.feature == ENR_GEO_CONT)
                        return (int64_t)name_place(g, first + j);
        }
        return -1;
}

/* Marks the towns of ge that the name's far better known places outrank:
 * a town under REGION_TOWN_POP people when the name is also a country,
 * region or capital, or one under BIG_POP when it is also a city over
 * BIG_POP and BIG_RATIO times its size. Such a
 * town needs the article's places around it (local()): "Washington" is
 * not Washington, Pennsylvania, nor "Athens" Athens, Illinois, unless the
 * story is about their neighbourhood. */
static void mark_local(enr_geo_scratch_t *s, const geo_ent_t *ge) {
        uint32_t big    = 0;
        bool     region = false;

        for (uint32_t k = 0; k < ge->ncand; k++) {
                const enr_place_t *p = &s->cands[ge->cand + k].p;
                if (p->feature == ENR_GEO_PCLI || p->feature == ENR_GEO_ADM1 ||
                    p->feature == ENR_GEO_CONT || p->feature == ENR_GEO_PPLC)
                        region = true;
                else if (p->feature == ENR_GEO_PPL && p->population > big)
                        big = p->population;
        }
        for (uint32_t k = 0; k < ge->ncand; k++) {
                geo_cand_t *c = &s->cands[ge->cand + k];
                if (c->p.feature != ENR_GEO_PPL || !c->p.population)
                        continue; /* Unknown: not known to be small. */
                if ((region && c->p.population < REGION_TOWN_POP) ||
                    (big >= BIG_POP && c->p.population < BIG_POP &&
                     (uint64_t)c->p.population * BIG_RATIO < big))
                        c->local = true;
                /* A town named like a region of its own country is that
                 * region unless a qualifier says otherwise ("Wales", not
                 * the Yorkshire village; "Virginia", not Virginia,
                 * Minnesota). */
                for (uint32_t j = 0; c->local && j < ge->ncand; j++) {
                        const enr_place_t *r = &s->cands[ge->cand + j].p;
                        if (r->feature == ENR_GEO_ADM1 &&
                            !memcmp(r->country, c->p.country, 2))
                                c->excluded = true;
                }
        }
}

static bool common_word(const enr_geo_t *g, const char *s, size_t n);
static bool not_a_town(const enr_geo_t *g, const char *s, size_t n);
static bool county_name(const char *s, size_t n);
static bool county_named(const enr_geo_t *g, const char *s, size_t n);

/* Whether s[0..n) ends like a people's name or an adjective ("Olympic",
 * "Sudanese", "Cornish", "Haitian"), not a town's. */
static bool people_form(const char *s, size_t n) {
        static const char *const ends[] = {"ic", "ian", "ians", "ese", "ish"};
        for (size_t i = 0; i < sizeof(ends) / sizeof(ends[0]); i++) {
                size_t l = strlen(ends[i]);
                if (n > l && !memcmp(s + n - l, ends[i], l))
                        return true;
        }
        return false;
}
static bool     named_as_town(const enr_geo_t *g, const char *s, size_t n);
static bool     known_name(const enr_geo_t *g, const char *s, size_t n);
static uint32_t base_hash(const char *s, size_t n);

/* Whether mention x is one of a list of counties ("Clarke, Madison,
 * Oconee and Oglethorpe counties", "Jackson and Barrow counties"): after
 * it, capitalised words joined by ", ", "and" or "or", then "counties". */
static bool counties_list(const enr_text_t *t, const enr_mention_t *x) {
        size_t i = x->end, n = t->len;

        for (int items = 0; items < 12; items++) {
                size_t j = i;
                if (j + 9 <= n && (!memcmp(t->s + j, " counties", 9) ||
                                   !memcmp(t->s + j, " Counties", 9))) {
                        if (j + 9 < n && is_alpha((unsigned char)t->s[j + 9]))
                                return false;
                        /* A list, not "Indiana counties" or "the metro
                         * Athens counties": another name after this one,
                         * or this one after "and", "or" or a comma. */
                        return items > 0 ||
                               (x->start >= 2 &&
                                !memcmp(t->s + x->start - 2, ", ", 2)) ||
                               (x->start >= 4 &&
                                !memcmp(t->s + x->start - 4, "and ", 4)) ||
                               (x->start >= 3 &&
                                !memcmp(t->s + x->start - 3, "or ", 3));
                }
                if (j + 2 <= n && !memcmp(t->s + j, ", ", 2))
                        j += 2;
                if (j + 4 <= n && !memcmp(t->s + j, "and ", 4))
                        j += 4;
                else if (j + 3 <= n && !memcmp(t->s + j, "or ", 3))
                        j += 3;
                else if (j == i && j + 5 <= n && !memcmp(t->s + j, " and ", 5))
                        j += 5;
                else if (j == i && j + 4 <= n && !memcmp(t->s + j, " or ", 4))
                        j += 4;
                if (j == i || j >= n || !is_upper_ascii((unsigned char)t->s[j]))
                        return false;
                while (j < n && (is_alpha((unsigned char)t->s[j]) ||
                                 t->s[j] == '.' || t->s[j] == '\''))
                        j++;
                i = j;
        }
        return false;
}

/* Whether some mention of entity en is in a list of counties. */
static bool in_counties_list(const enr_entities_t *e, const enr_mentions_t *m,
                             const enr_fields_t *f, const enr_entity_t *en) {
        for (uint32_t k = 0; k < en->count; k++) {
                const enr_mention_t *x = &m->v[e->order[en->first + k]];
                if (counties_list(f->text[x->field & 1], x))
                        return true;
        }
        return false;
}

/* The places named s[0..n) + " County" (into buf), their count and
 * *first as find_name() gives them; 0 when none or too long. */
/* Whether every mention of en is followed by " County". */
static bool county_after(const enr_entities_t *e, const enr_mentions_t *m,
                         const enr_fields_t *f, const enr_entity_t *en) {
        for (uint32_t k = 0; k < en->count; k++) {
                const enr_mention_t *x = &m->v[e->order[en->first + k]];
                const enr_text_t    *t = f->text[x->field & 1];
                if (x->end + 7 > t->len || memcmp(t->s + x->end, " County", 7))
                        return false;
        }
        return en->count > 0;
}

static size_t county_lookup(const enr_geo_t *g, const char *s, size_t n,
                            char *buf, size_t cap, size_t *first) {
        if (n + 7 >= cap)
                return 0;
        memcpy(buf, s, n);
        memcpy(buf + n, " County", 7);
        return find_name(g, buf, n + 7, first);
}

/* The offset of the name in s[0..*n) joined to lower-case words by
 * hyphens ("non-Russians", "U.S.-led", "Atlanta-area"; not
 * "Winston-Salem"), with *n cut to its end; (size_t)-1 when there are
 * none. */
static size_t unaffixed(const char *s, size_t *n) {
        size_t a = 0, b = *n, i;

        while (a < b && s[a] >= 'a' && s[a] <= 'z')
                a++;
        if (a && a + 1 < b && s[a] == '-' &&
            is_upper_ascii((unsigned char)s[a + 1]))
                a++;
        else
                a = 0;
        for (i = b; i > a && s[i - 1] >= 'a' && s[i - 1] <= 'z'; i--)
                ;
        if (i < b && i > a + 1 && s[i - 1] == '-' && b - i >= 2)
                b = i - 1;
        if (!a && b == *n)
                return (size_t)-1;
        *n = b - a;
        return a;
}

/* The length of the country or people that opens organisation name
 * s[0..n) ("U.S. House of Representatives", "Canadian Coast Guard",
 * "Palestinian Authority": one or two words the curated lists call a
 * country or a people of one country), its code in cc; 0 when none. */
static size_t lead_country(const enr_geo_t *g, const char *s, size_t n,
                           char *cc) {
        enr_gaz_match_t gm;
        size_t          e = 0;
        char            tmp[2];

        if (!g->gaz)
                return 0;
        for (int w = 0; w < 2; w++) {
                while (e < n && s[e] != ' ')
                        e++;
                if (e >= n)
                        return 0; /* the whole name: not an opening */
                if (enr_gazetteer_find(g->gaz, s, e, false, &gm) &&
                    (gm.curated & (ENR_GAZ_COUNTRY | ENR_GAZ_NORP)) &&
                    gm.code[0] &&
                    /* A nationality, whose canonical name is its
                     * country's; not a party ("Conservative": the
                     * Conservatives). */
                    ((gm.curated & ENR_GAZ_COUNTRY) ||
                     (gm.canon &&
                      gaz_country(g, gm.canon, strlen(gm.canon), tmp)))) {
                        size_t e2 = e + 1;
                        while (e2 < n && s[e2] != ' ')
                                e2++;
                        /* "Indian Orchard Citizens Council": a place of
                         * two words opens it, not a people. */
                        if (e2 < n && known_name(g, s, e2))
                                return 0;
                        /* A country by name goes the way of countries
                         * ("Georgia Modular Systems": the state or the
                         * country, as the article says). */
                        if (gm.curated & ENR_GAZ_COUNTRY)
                                cc[0] = '\0';
                        else
                                memcpy(cc, gm.code, 2);
                        return e;
                }
                e++;
        }
        return 0;
}

/* Whether s[0..n) ends with a word of the land or water ("English
 * Channel", "Indian Ocean", "Swiss Alps"): a feature its opening
 * people's name describes, not a country's. Sorted (bsearch). */
static const char *const NATURE_WORDS[] = {
    "Alps",      "Basin",  "Bay",    "Channel",   "Coast",
    "Current",   "Desert", "Gulf",   "Highlands", "Island",
    "Islands",   "Lake",   "Lakes",  "Mountains", "Ocean",
    "Peninsula", "Plain",  "Plains", "Plateau",   "Range",
    "River",     "Sea",    "Strait", "Straits",   "Valley"};

static bool nature_name(const char *s, size_t n) {
        size_t b = n;

        while (b > 0 && s[b - 1] != ' ')
                b--;
        return b > 0 && WORD_IN(NATURE_WORDS, s + b, n - b);
}

/* Whether the last word of s[0..n) is a people of the United States
 * ("Irish Americans", "Arab American"): the whole is a people of the US,
 * not of the country its name opens with. */
static bool people_of_americans(const enr_geo_t *g, const char *s, size_t n) {
        enr_gaz_match_t gm;
        size_t          b = n;

        while (b > 0 && s[b - 1] != ' ')
                b--;
        return b > 0 && g->gaz &&
               enr_gazetteer_find(g->gaz, s + b, n - b, false, &gm) &&
               (gm.curated & ENR_GAZ_NORP) && !memcmp(gm.code, "US", 2);
}

/* Whether the curated lists know s[0..n) as something other than a city,
 * region or country: an event ("Christmas"), a region no table holds
 * ("Middle East", "Atlantic"), a person, organisation ("Everton"), work or
 * product. Such a name is a continent, country, region or capital of the
 * table or nothing, never a town that happens to bear it (Christmas,
 * Florida; Middle East, Maryland). */
static bool not_a_town(const enr_geo_t *g, const char *s, size_t n) {
        enr_gaz_match_t gm;
        uint32_t        c;

        if (!g->gaz || !enr_gazetteer_find(g->gaz, s, n, false, &gm))
                return false;
        c = gm.curated;
        /* An event outweighs a city of the same name (tzdata's
         * "Indian/Christmas" names an island, not a city). */
        if (c & ENR_GAZ_EVENT)
                return true;
        return (c & (ENR_GAZ_LOC | ENR_GAZ_PERSON | ENR_GAZ_ORG |
                     ENR_GAZ_WORK_OF_ART | ENR_GAZ_PRODUCT)) &&
               !(c & (ENR_GAZ_CITY | ENR_GAZ_REGION | ENR_GAZ_COUNTRY));
}

/* Whether s[0..n) ends in " County" or " Parish" (a county's name). */
static bool county_name(const char *s, size_t n) {
        return n > 7 && (!memcmp(s + n - 7, " County", 7) ||
                         !memcmp(s + n - 7, " Parish", 7));
}

/* Whether s[0..n) is one word that is an institution word or a common
 * English word ("Superior" of "Superior Court", "Mobile"): in a name,
 * not a place's. */
static bool plain_word(const enr_geo_t *g, const char *s, size_t n) {
        if (memchr(s, ' ', n))
                return false;
        return institution_word(s, n) || common_word(g, s, n);
}

/* Whether s[0..n) names a place of the table, directly or after a
 * compass word. */
static bool known_name(const enr_geo_t *g, const char *s, size_t n) {
        size_t first, l;

        if (find_name(g, s, n, &first))
                return true;
        l = strip_direction(s, n);
        return l < n && find_name(g, s + l, n - l, &first);
}

/* The place an organisation's name s[0..n) names, as *off and *len:
 * the whole name when it is a place's and not a known organisation's (a
 * tagger's "Richmond"); a place name of one to four words before an
 * institution word, or any word after a county's name ("Huntsville Police
 * Department", "Laurel County Fiscal Court"); or the place after its last
 * " of " ("University of North Carolina"). One common or institution word
 * is never the place ("Superior Court"). */
/* Whether s[0..ne) names a town or region that its first e bytes do not:
 * "Kansas City" (not a Kansas), not "Springfield City" (Springfield,
 * Massachusetts, by another name) nor "Dublin City" (Dublin's county). */
static bool names_more(const enr_geo_t *g, const char *s, size_t e, size_t ne) {
        size_t fl, fs, kl = find_name(g, s, ne, &fl),
                       ks = find_name(g, s, e, &fs);

        for (size_t i = 0; i < kl; i++) {
                uint32_t    pl = name_place(g, fl + i);
                enr_place_t p;
                bool        same = false;
                place_at(g, pl, &p);
                if (p.feature == ENR_GEO_ADM2)
                        continue;
                for (size_t j = 0; j < ks && !same; j++)
                        same = name_place(g, fs + j) == pl;
                if (!same)
                        return true;
        }
        return false;
}

/* The length of place name s[0..n) less a final " City" that names no
 * more than the rest ("Springfield City Council", "Dublin City": the
 * town; not "Kansas City"). */
static size_t city_less(const enr_geo_t *g, const char *s, size_t n) {
        if (n > 5 && !memcmp(s + n - 5, " City", 5) &&
            known_name(g, s, n - 5) && !names_more(g, s, n - 5, n))
                return n - 5;
        return n;
}

static bool org_place(const enr_geo_t *g, const char *s, size_t n, size_t *off,
                      size_t *len) {
        size_t          ends[5], nw = 0;
        const char     *of;
        enr_gaz_match_t gm;

        n = strip_name(s, n);
        if (known_name(g, s, n) && !plain_word(g, s, n)) {
                if (g->gaz && enr_gazetteer_find(g->gaz, s, n, false, &gm) &&
                    (gm.curated & ENR_GAZ_ORG))
                        return false;
                *off = 0;
                *len = city_less(g, s, n);
                return true;
        }
        for (size_t i = 0; i < n && nw < 5; i++)
                if (s[i] == ' ')
                        ends[nw++] = i;
        for (size_t w = nw < 4 ? nw : 4; w > 0; w--) {
                size_t e = ends[w - 1], ne = w < nw ? ends[w] : n;
                if (e + 1 >= n || !is_upper_ascii((unsigned char)s[e + 1]))
                        continue;
                if (!county_name(s, e) &&
                    !institution_word(s + e + 1, ne - e - 1))
                        continue;
                if (known_name(g, s, e) && !plain_word(g, s, e)) {
                        *off = 0;
                        /* "Kansas City Power & Light": the place is
                         * Kansas City, its name and the word after. */
                        *len = city_less(g, s, known_name(g, s, ne) ? ne : e);
                        return true;
                }
        }
        for (of = n > 4 ? s + n - 4 : s; of > s; of--)
                if (!memcmp(of, " of ", 4))
                        break;
        if (of > s && of + 4 < s + n && is_upper_ascii((unsigned char)of[4]) &&
            known_name(g, of + 4, (size_t)(s + n - of - 4)) &&
            !plain_word(g, of + 4, (size_t)(s + n - of - 4))) {
                *off = (size_t)(of + 4 - s);
                *len = (size_t)(s + n - of - 4);
                return true;
        }
        return false;
}

/* Words that end the name of a facility or area named after a place
 * beside head_word()'s ("Glendale Galleria", "Miami Beach Marina").
 * Sorted (bsearch). */
static const char *const SITE_WORDS[] = {
    "Arena", "Cemetery", "Galleria", "Harbor",  "Harbour", "Mall",    "Marina",
    "Park",  "Pier",     "Plaza",    "Theater", "Theatre", "Turnpike"};

static const char *const TWO_WORD_SITES[] = {
    "Airport", "Arena",  "Galleria", "Harbor",  "Harbour",
    "Mall",    "Marina", "Pier",     "Stadium", "Turnpike"};

static bool head_word(const enr_geo_t *g, const char *w, size_t n);

/* The length of the place name (one to three words, the longest) that
 * opens a facility's or area's name s[0..n) of three words or more
 * ending in an institution's, organisation's or facility's word
 * ("Spartanburg" of "Spartanburg International Airport", "Dublin" of
 * "Dublin Veterans Park"); 0 when none. */
static size_t lead_place(const enr_geo_t *g, const char *s, size_t n) {
        size_t ends[4], nw = 0, b;

        n = strip_name(s, n);
        for (size_t i = 0; i < n && nw < 4; i++)
                if (s[i] == ' ')
                        ends[nw++] = i;
        if (nw < 1)
                return 0;
        for (b = n; b > 0 && s[b - 1] != ' ';)
                b--;
        /* Two words: a site's that a place's name rarely opens unless it
         * is there ("Glendale Galleria", "Wembley Stadium"; not
         * "Leicester Square", "Buckingham Palace", "Upton Park"); an
         * institution's are org_place()'s. */
        if (nw < 2 ? !WORD_IN(TWO_WORD_SITES, s + b, n - b)
                   : !head_word(g, s + b, n - b) &&
                         !WORD_IN(SITE_WORDS, s + b, n - b))
                return 0;
        for (size_t w = nw < 3 ? nw : 3; w > 0; w--) {
                size_t e = ends[w - 1];
                if (e + 1 < n && is_upper_ascii((unsigned char)s[e + 1]) &&
                    known_name(g, s, e) && !plain_word(g, s, e))
                        return e;
        }
        return 0;
}

/* A region named like its own city, the city a tenth or more of its
 * people ("Zurich", "Tel Aviv", "Kyoto"; not "Quebec"; not "Oklahoma",
 * whose city is Oklahoma City by its own name): the city. */
static void city_over_region(enr_geo_scratch_t *s, const geo_ent_t *ge) {
        for (uint32_t k = 0; k < ge->ncand; k++) {
                geo_cand_t *r = &s->cands[ge->cand + k];
                if (r->p.feature != ENR_GEO_ADM1 || !r->size)
                        continue;
                for (uint32_t j = 0; j < ge->ncand; j++) {
                        const geo_cand_t *c = &s->cands[ge->cand + j];
                        if ((c->p.feature == ENR_GEO_PPL ||
                             c->p.feature == ENR_GEO_PPLC) &&
                            c->size == 1 && c->admin1 == r->admin1 &&
                            !memcmp(c->p.country, r->p.country, 2) &&
                            c->p.population &&
                            10.0f * log10f((float)c->p.population) + 10.0f >=
                                (float)r->size) {
                                r->excluded = true;
                                break;
                        }
                }
        }
}

/* "Fargo-Moorhead", "Watertown-Mayer": two towns' names joined, the
 * metropolitan area or district of both. Adds the candidates of the first
 * that lie within NEAR_KM of a place of the second's name; *len is the
 * first name's length, or 0 when txt[0..n) is not so joined. */
static enr_err_t twin_town(const enr_geo_t *g, enr_geo_scratch_t *s,
                           geo_ent_t *ge, const char *txt, size_t n,
                           size_t *len) {
        const char *dash = memchr(txt, '-', n);
        size_t      la, ka, kb, fa, fb;
        enr_err_t   err;

        *len = 0;
        if (!dash || dash == txt || (size_t)(dash - txt) + 2 > n ||
            !is_upper_ascii((unsigned char)dash[1]) ||
            memchr(dash + 1, '-', (size_t)(txt + n - dash - 1)))
                return ENR_OK;
        la = (size_t)(dash - txt);
        if (!(kb = find_name(g, dash + 1, n - la - 1, &fb)) ||
            !(ka = find_name(g, txt, la, &fa)) || plain_word(g, txt, la) ||
            plain_word(g, dash + 1, n - la - 1))
                return ENR_OK;
        /* One of the two is the largest town of its name: "Washington-
         * Moscow" is not the Washington near a Moscow of New Jersey. */
        for (size_t j = 0, ia = 0; j < ka && ge->ncand < GEO_CANDS; j++) {
                enr_place_t a;
                place_at(g, name_place(g, fa + j), &a);
                if (a.feature != ENR_GEO_PPL && a.feature != ENR_GEO_PPLC)
                        continue;
                ia++;
                for (size_t k = 0, ib = 0; k < kb; k++) {
                        enr_place_t b;
                        place_at(g, name_place(g, fb + k), &b);
                        if (b.feature != ENR_GEO_PPL &&
                            b.feature != ENR_GEO_PPLC)
                                continue;
                        if (++ib > 1 && ia > 1)
                                break;
                        if (enr_geo_distance_km(a.lat, a.lon, b.lat, b.lon) <
                            NEAR_KM) {
                                if ((err =
                                         add_cand(s, g, name_place(g, fa + j))))
                                        return err;
                                ge->ncand++;
                                break;
                        }
                }
        }
        *len = ge->ncand ? la : 0;
        return ENR_OK;
}

/* The length of an AP state abbreviation ("Mass.", "S.C.") that opens
 * s[0..n) and is followed by more words, and its place in *place; 0 when
 * there is none. */
static size_t lead_abbrev(const enr_geo_t *g, const char *s, size_t n,
                          int64_t *place) {
        const char *sp = memchr(s, ' ', n);
        size_t      w  = sp ? (size_t)(sp - s) : n;

        if (!sp || w < 3 || s[w - 1] != '.' || w + 1 >= n)
                return 0;
        *place = us_state_abbrev(g, s, w, false);
        return *place >= 0 ? w : 0;
}

/* Whether w[0..n) heads an organisation's or a facility's name
 * ("Police", "Turnpike", "Inc."). */
static bool head_word(const enr_geo_t *g, const char *w, size_t n) {
        if (institution_word(w, n))
                return true;
        return g->gaz && (enr_gazetteer_word(g->gaz, w, n) &
                          (ENR_GAZ_ORG_SUFFIX | ENR_GAZ_FAC_WORD));
}

/* The length of a US state's name (one to three words) that opens
 * s[0..n) before another capitalised word, its place in *place; 0 when
 * there is none, or when the name is also a large US town's or a
 * country's ("Washington", "New York", "Georgia"), or with the next word a
 * place's ("Kansas City"). */
static size_t lead_state(const enr_geo_t *g, const char *s, size_t n,
                         int64_t *place) {
        size_t ends[4], nw = 0;

        for (size_t i = 0; i < n && nw < 4; i++)
                if (s[i] == ' ')
                        ends[nw++] = i;
        for (size_t w = nw < 3 ? nw : 3; w > 0; w--) {
                size_t  e = ends[w - 1], ne = w < nw ? ends[w] : n, first, k;
                int64_t st  = -1;
                bool    big = false;
                if (e + 1 >= n || !is_upper_ascii((unsigned char)s[e + 1]))
                        continue;
                if (known_name(g, s, ne))
                        return 0;
                k = find_name(g, s, e, &first);
                for (size_t j = 0; j < k; j++) {
                        enr_place_t p;
                        place_at(g, name_place(g, first + j), &p);
                        if (p.feature == ENR_GEO_ADM1 &&
                            !memcmp(p.country, "US", 2))
                                st = name_place(g, first + j);
                        else if (p.feature == ENR_GEO_PCLI ||
                                 (p.population >= BIG_POP &&
                                  !memcmp(p.country, "US", 2)))
                                big = true;
                }
                /* "Indiana Jones", "Tennessee Williams": two words, the
                 * second no institution's, are a name of their own. */
                if (st >= 0 && !big && nw == 1 &&
                    !head_word(g, s + e + 1, ne - e - 1))
                        return 0;
                if (st >= 0 && !big) {
                        *place = st;
                        return e;
                }
        }
        return 0;
}

/* A US state or other region whose only rivals are towns that need their
 * neighbourhood or of unknown size ("Indiana" and Indiana, Pennsylvania,
 * or a hamlet of Peru) is an anchor: the region, until the article shows
 * the neighbourhood. */
static void region_anchor(enr_geo_scratch_t *s, geo_ent_t *ge) {
        uint32_t free = 0, adm1 = 0;

        for (uint32_t j = 0; j < ge->ncand; j++) {
                const geo_cand_t *cj = &s->cands[ge->cand + j];
                if (cj->local || cj->excluded ||
                    (cj->p.feature == ENR_GEO_PPL && !cj->p.population))
                        continue;
                free++;
                adm1 += cj->p.feature == ENR_GEO_ADM1;
        }
        if (free == 1 && adm1 == 1)
                ge->anchor = ge->region = true;
}

/* Marks ge's place as the name s[start, start + len) inside its entity's
 * name, maybe a person's (surname). */
static void name_span(geo_ent_t *ge, uint32_t start, size_t len, bool surname) {
        ge->org     = true;
        ge->pstart  = start;
        ge->pend    = start + (uint32_t)len;
        ge->surname = surname;
}

/* Gathers the candidates of entity i; anchors what needs no context. */
static enr_err_t gather(const enr_geo_t *g, enr_geo_scratch_t *s,
                        const enr_entities_t *e, const enr_mentions_t *m,
                        const enr_fields_t *f, size_t i) {
        const enr_entity_t *en = &e->v[i];
        geo_ent_t          *ge = &s->ents[i];
        geo_qual_t          q[GEO_QUALS];
        size_t              n, nq = 0, first, k, l;
        const char         *txt = ent_text(en, f, &n);
        const enr_text_t   *t   = f->text[en->field & 1];
        const char         *comma;
        char                cc[2];
        int64_t             c;
        enr_err_t           err;
        bool norp = en->type == ENR_ENT_NORP, whole = true, not_town,
             affixed = false, from_ment = false, republic = false;
        char ncode[2], lead[2] = {0, 0}, cbuf[GEO_NAME_MAX];

        memset(ge, 0, sizeof(*ge));
        ge->pick = ge->pick2 = -1;
        ge->cand             = (uint32_t)s->ncands;
        ge->weight           = (float)en->count;
        /* "Mass. legislators", "S.C. Highway Patrol": an AP state
         * abbreviation opening a longer entity is that state; so is a US
         * state's name opening an organisation's or facility's name
         * ("Indiana State Police", "Florida Division of Forestry"). */
        if (((is_place_type(en->type) || en->type == ENR_ENT_ORG) &&
             (l = lead_abbrev(g, txt, n, &c)) > 0) ||
            ((en->type == ENR_ENT_ORG || en->type == ENR_ENT_LOC ||
              en->type == ENR_ENT_FAC) &&
             !known_name(g, txt, strip_name(txt, n)) &&
             (l = lead_state(g, txt, n, &c)) > 0)) {
                if ((err = add_cand(s, g, (uint32_t)c)))
                        return err;
                ge->ncand  = 1;
                ge->anchor = ge->qualified = ge->org = true;
                ge->pstart                           = en->start;
                ge->pend                             = en->start + (uint32_t)l;
                ge->base                             = base_hash(txt, l);
                return ENR_OK;
        }
        /* An organisation, or a facility or area not known by its whole
         * name ("Long Beach Airport"): the place its name holds. */
        if (en->type == ENR_ENT_ORG ||
            ((en->type == ENR_ENT_LOC || en->type == ENR_ENT_FAC ||
              (en->type == ENR_ENT_GPE && memchr(txt, ' ', n) &&
               !gaz_country(g, txt, strip_name(txt, n), cc))) &&
             !known_name(g, txt, strip_name(txt, n)))) {
                size_t off, len;
                if (org_place(g, txt, n, &off, &len)) {
                        ge->org     = true;
                        ge->pstart  = en->start + (uint32_t)off;
                        ge->pend    = ge->pstart + (uint32_t)len;
                        whole       = off == 0 && len == strip_name(txt, n);
                        ge->surname = whole || off > 0;
                        republic    = off >= 12 &&
                                   !memcmp(txt + off - 12, "Republic of ", 12);
                        txt += off;
                        n = len;
                } else if (en->type != ENR_ENT_ORG &&
                           (len = lead_place(g, txt, n)) > 0) {
                        /* "Spartanburg International Airport", "Glendale
                         * Galleria": the place its name opens with, maybe
                         * a person's name ("Jackson Memorial Park"). */
                        name_span(ge, en->start, len, true);
                        whole = false;
                        n     = len;
                } else if ((en->type == ENR_ENT_ORG || !nature_name(txt, n)) &&
                           (len = lead_country(g, txt, n, lead)) > 0) {
                        /* "Canadian Coast Guard", "U.S. Department of
                         * Labor", "U.S. Fish": the country it belongs
                         * to. */
                        name_span(ge, en->start, len, false);
                        n = len;
                } else if (en->type == ENR_ENT_ORG)
                        return ENR_OK;
        } else if (en->type == ENR_ENT_NORP && !en->code[0] &&
                   !people_of_americans(g, txt, n) &&
                   (l = lead_country(g, txt, n, lead)) > 0) {
                /* A people of no country of its own whose name opens
                 * with one's ("American Legion", "U.S. Geological
                 * Survey", "Russian Empire"): that country, as an
                 * organisation's. */
                name_span(ge, en->start, l, false);
                n = l;
        } else if (!is_place_type(en->type))
                return ENR_OK;
        if (en->code[0])
                memcpy(ge->code, en->code, 2);
        memcpy(ncode, en->code, 2);
        if (lead[0]) {
                memcpy(ncode, lead, 2);
                norp = true;
        }
        n = strip_name(txt, n);
        while (n > 1 && txt[n - 1] == ',') /* "Ill.," */
                n--;
        /* "California-based", "U.S.-led", "Georgian-controlled",
         * "non-Russians": the name without the lower-case word joined to
         * it; a people's country, else the place. */
        if (!ge->org && (l = unaffixed(txt, &n)) != (size_t)-1) {
                enr_gaz_match_t gm;
                txt += l;
                if (norp && g->gaz &&
                    enr_gazetteer_find(g->gaz, txt, n, false, &gm) &&
                    (gm.curated & (ENR_GAZ_NORP | ENR_GAZ_COUNTRY)) &&
                    gm.code[0])
                        memcpy(ncode, gm.code, 2);
                else if (common_word(g, txt, n))
                        return ENR_OK; /* "God-like", "anti-Bush" */
                else
                        norp = false;
                affixed = true;
        }
        /* "W.Va.", "Kan.": a state, as an AP abbreviation; the tokens may
         * leave the final period out of the entity ("Tenn" of "Tenn."). */
        if ((c = us_state_abbrev(g, txt, n, after_comma(en, f))) < 0 &&
            !ge->org && n == en->end - en->start && en->end < t->len &&
            t->s[en->end] == '.')
                c = us_state_abbrev(g, txt, n + 1, false);
        if (c >= 0) {
                if ((err = add_cand(s, g, (uint32_t)c)))
                        return err;
                ge->ncand  = 1;
                ge->anchor = true;
                return ENR_OK;
        }
        /* The people of a region or continent ("Texans", "Abkhaz",
         * "Europeans"): that region. */
        if (norp && (c = region_people(g, txt, n, ncode)) >= 0) {
                if ((err = add_cand(s, g, (uint32_t)c)))
                        return err;
                ge->ncand  = 1;
                ge->anchor = ge->qualified = true;
                return ENR_OK;
        }
        /* A people of no country the tagger found where a town's name
         * stands ("New Concord", "Woodstock District Chamber of
         * Commerce"): the place its name holds, with the article's
         * support, as an organisation's; a name only towns or a county
         * bear, not shaped like a people's ("Olympic"). */
        if (norp && !ncode[0]) {
                size_t off, len;
                if (affixed || people_form(txt, n) ||
                    !org_place(g, txt, n, &off, &len) ||
                    not_a_town(g, txt + off, len) ||
                    !(named_as_town(g, txt + off, len) ||
                      county_name(txt + off, len)))
                        return ENR_OK;
                ge->org     = true;
                ge->pstart  = (uint32_t)(txt + off - t->s);
                ge->pend    = ge->pstart + (uint32_t)len;
                whole       = off == 0 && len == n;
                ge->surname = whole || off > 0;
                txt += off;
                n    = len;
                norp = false;
        }
        /* A people, or a name the gazetteer calls a country ("Georgia"
         * also competes with the US state); not one the tagger cut
         * before its "County" ("Guernsey" of "Guernsey County"). */
        if (norp || (gaz_country(g, txt, n, cc) &&
                     !(whole && !ge->org && county_after(e, m, f, en) &&
                       county_named(g, txt, n)))) {
                if (norp)
                        memcpy(cc, ncode, 2);
                if (!ncode[0] && norp)
                        return ENR_OK;
                if ((c = country_place(g, cc)) < 0)
                        return ENR_OK;
                if ((err = add_cand(s, g, (uint32_t)c)))
                        return err;
                ge->ncand  = 1;
                ge->anchor = true;
                /* "Republic of Georgia": the country. */
                if (norp || republic)
                        return ENR_OK;
                /* Regions of the name compete with the country; towns
                 * too, but only where the article's places are
                 * ("Lebanon" beside Zionsville and Boone County,
                 * Indiana: see local()). */
                k        = find_name(g, txt, n, &first);
                ge->base = base_hash(txt, n);
                for (size_t j = 0; j < k && ge->ncand < GEO_CANDS; j++) {
                        enr_place_t p;
                        place_at(g, name_place(g, first + j), &p);
                        if (p.feature != ENR_GEO_ADM1 &&
                            p.feature != ENR_GEO_PPL)
                                continue;
                        if ((err = add_cand(s, g, name_place(g, first + j))))
                                return err;
                        ge->ncand++;
                        if (p.feature == ENR_GEO_PPL)
                                s->cands[s->ncands - 1].local = true;
                        else
                                ge->anchor = false;
                }
                return ENR_OK;
        }
        /* "Paris, Texas" as one span. */
        comma = memchr(txt, ',', n);
        if (comma && comma + 2 < txt + n && comma[1] == ' ') {
                nq = parse_qualifier(g, comma + 2,
                                     (size_t)(txt + n - comma - 2), q);
                n  = (size_t)(comma - txt);
        } else if (whole) {
                nq        = mention_quals(g, e, m, f, i, q);
                from_ment = nq > 0;
        }
        k = 0;
        /* "Clarke" of "Clarke, Madison and Oconee counties", and a name
         * the tagger cut before its "County" ("Richmond" of "Richmond
         * County investigators"): the county. */
        if (whole && !memchr(txt, ' ', n) &&
            ((!ge->org && in_counties_list(e, m, f, en)) ||
             county_after(e, m, f, en)))
                k = county_lookup(g, txt, n, cbuf, sizeof(cbuf), &first);
        if (k) {
                txt = cbuf;
                n += 7;
        } else
                k = find_name(g, txt, n, &first);
        /* "East Midlands" as "Midlands", "Metro Vancouver" as
         * "Vancouver": a guess that needs the article's support. */
        if (!k) { /* "North West Bicester", "South Central Tennessee" */
                size_t l0 = 0;
                while (!k && (l = strip_direction(txt + l0, n - l0)) < n - l0) {
                        l0 += l;
                        k = find_name(g, txt + l0, n - l0, &first);
                }
                ge->guess = k > 0;
        }
        if (!k) {
                if ((err = twin_town(g, s, ge, txt, n, &l)))
                        return err;
                if (l) {
                        ge->base      = base_hash(txt, l);
                        ge->qualified = ge->anchor = true;
                        return ENR_OK;
                }
        }
        ge->base = base_hash(txt, n);
        /* A qualifier found after another mention that allows none of
         * the name's places was a list ("Moscow, Kiev, Minsk and Riga"),
         * not a qualifier. */
        if (from_ment) {
                size_t j = 0;
                for (; j < k; j++) {
                        enr_place_t p;
                        place_at(g, name_place(g, first + j), &p);
                        if (qual_allows(q, nq, g, &p))
                                break;
                }
                if (j == k)
                        nq = 0;
        }
        not_town = !nq && not_a_town(g, txt, n);
        for (size_t j = 0; j < k && ge->ncand < GEO_CANDS; j++) {
                enr_place_t p;
                place_at(g, name_place(g, first + j), &p);
                if (nq && !qual_allows(q, nq, g, &p))
                        continue;
                if (not_town &&
                    (p.feature == ENR_GEO_PPL || p.feature == ENR_GEO_ADM2))
                        continue;
                /* "Booker-shortlisted": a name so joined is a known
                 * town's ("Ballymena-born"), not a village's. */
                if (affixed && p.feature == ENR_GEO_PPL &&
                    p.population < AFFIXED_POP)
                        continue;
                if ((err = add_cand(s, g, name_place(g, first + j))))
                        return err;
                ge->ncand++;
        }
        city_over_region(s, ge);
        ge->qualified = nq && ge->ncand > 0;
        ge->anchor    = ge->ncand == 1 || ge->qualified;
        if (!ge->qualified)
                mark_local(s, ge);
        if ((ge->org || n == en->end - en->start) &&
            memchr(txt, ' ', n) == NULL)
                ge->weak_name = common_word(g, txt, n);
        if (compass_name(txt, n))
                ge->guess = true;
        if (!ge->qualified && !ge->guess && !ge->org && !ge->weak_name)
                region_anchor(s, ge);
        return ENR_OK;
}

/* ---- Scoring ---- */

static float prior(const enr_place_t *p) {
        float lp = p->population ? log10f((float)p->population) : 2.0f;

        switch (p->feature) {
        case ENR_GEO_ADM1:
                return PRIOR_ADM1;
        case ENR_GEO_PCLI:
                return lp > PRIOR_PCLI ? lp : PRIOR_PCLI;
        case ENR_GEO_CONT:
                return PRIOR_CONT;
        case ENR_GEO_ADM2:
                return PRIOR_ADM2;
        case ENR_GEO_PPLC:
                return lp + BONUS_PPLC;
        default:
                return lp;
        }
}

static void vote(enr_geo_scratch_t *s, const geo_cand_t *c, float w,
                 int32_t ent) {
        const enr_place_t *p = &c->p;
        geo_vote_t        *v;

        if (s->nvotes >= GEO_CTX || p->feature == ENR_GEO_CONT)
                return;
        v = &s->votes[s->nvotes++];
        memcpy(v->cc, p->country, 2);
        v->admin1 = c->admin1;
        v->w      = w;
        v->ent    = ent;
        v->hint   = (size_t)ent >= s->hints;
        v->lat    = p->lat;
        v->lon    = p->lon;
        /* A country or region says where, not a point. */
        if (p->feature == ENR_GEO_PCLI || p->feature == ENR_GEO_ADM1)
                v->lat = 1e9;
}

/* Whether entities a and b are one or name one place: another mention
 * of the same name is no evidence for it ("Newcastle" the club does not
 * vote for "Newcastle" the city). */
static bool same_name(const enr_geo_scratch_t *s, int32_t a, int32_t b) {
        return a == b ||
               (s->ents[a].base && s->ents[a].base == s->ents[b].base);
}

/* The support the context gives place p of entity ent. */
static float support(const enr_geo_scratch_t *s, const geo_cand_t *c,
                     int32_t ent) {
        const enr_place_t *p     = &c->p;
        float              total = 0, same_cc = 0, same_adm = 0;
        bool               near = false;
        uint16_t           a    = p->feature == ENR_GEO_PCLI ? 0 : c->admin1;

        for (size_t i = 0; i < s->nvotes; i++) {
                const geo_vote_t *v = &s->votes[i];
                if (same_name(s, v->ent, ent))
                        continue;
                /* A hint supports its country and takes no share from
                 * the article's own places ("bbc.co.uk" leaves Georgia
                 * beside the US the state). */
                if (memcmp(v->cc, p->country, 2)) {
                        if (!v->hint)
                                total += v->w;
                        continue;
                }
                total += v->w;
                same_cc += v->w;
                if (a && v->admin1 == a)
                        same_adm += v->w;
                if (!near && v->lat < 1e8 && p->feature != ENR_GEO_PCLI &&
                    enr_geo_distance_km(v->lat, v->lon, p->lat, p->lon) <
                        NEAR_KM)
                        near = true;
        }
        if (total <= 0)
                return 0;
        return W_COUNTRY * same_cc / total + (same_adm > 0 ? W_ADMIN1 : 0) +
               W_ADM_SHARE * same_adm / total + (near ? W_NEAR : 0);
}

/* Whether the article's other places surround candidate c of entity
 * ent: two in its admin1 region, one of them within NEAR_KM of it, or the
 * town of the article's web address within NEAR_KM of it. A town
 * named like a country needs that to beat the country ("a soldier from
 * Indianapolis returned from Lebanon" is not about Lebanon, Indiana). */
static bool local(const enr_geo_scratch_t *s, const geo_cand_t *c,
                  int32_t ent) {
        const geo_ent_t *ge    = &s->ents[ent];
        int32_t          first = -1;
        bool  same_adm = false, near = false, country = false, region = false;
        float in_adm = 0, total = 0;

        for (uint32_t k = 0; k < ge->ncand && !country; k++)
                country = s->cands[ge->cand + k].p.feature == ENR_GEO_PCLI;
        for (size_t i = 0; i < s->nvotes; i++) {
                const geo_vote_t *v = &s->votes[i];
                if (v->hint || same_name(s, v->ent, ent))
                        continue;
                total += v->w;
                if (c->admin1 && v->admin1 == c->admin1 &&
                    !memcmp(v->cc, c->p.country, 2))
                        in_adm += v->w;
        }
        for (size_t i = 0; i < s->nvotes && !(same_adm && near); i++) {
                const geo_vote_t *v = &s->votes[i];
                if (same_name(s, v->ent, ent) || memcmp(v->cc, c->p.country, 2))
                        continue;
                if (c->admin1 && v->admin1 == c->admin1) {
                        if (v->lat > 1e8 && !v->hint && !country &&
                            !s->ents[v->ent].org)
                                region = true;
                        if (first >= 0 && v->ent != first)
                                same_adm = true;
                        else
                                first = v->ent;
                }
                if (v->lat < 1e8 &&
                    enr_geo_distance_km(v->lat, v->lon, c->p.lat, c->p.lon) <
                        NEAR_KM) {
                        /* The paper's own town is neighbourhood enough. */
                        if (v->ent == s->src)
                                return true;
                        near = true;
                }
        }
        /* The region itself named by most of the article's places: enough
         * for a town named like a bigger city or a capital ("Manhattan"
         * beside Kansas), not like a country ("Italy" beside Texas). */
        return (same_adm && near) || (region && in_adm * 2 >= total);
}

static int cmp_reg(const void *a, const void *b) {
        const geo_reg_t *x = a, *y = b;
        int              c = memcmp(x->cc, y->cc, 2);

        if (c)
                return c;
        if (x->admin1 != y->admin1)
                return x->admin1 < y->admin1 ? -1 : 1;
        return x->ent < y->ent ? -1 : x->ent > y->ent;
}

/* Sets each candidate's cluster: the names of the article with a
 * candidate in its region (country, admin1), each counted 1 / the number
 * of regions its candidates span, so that "Gainesville" and "Hall County"
 * agree on Georgia while a name found in every state says little
 * (spatial minimality, after Leidner's). */
static enr_err_t cluster(enr_geo_scratch_t *s, size_t n) {
        enr_err_t err;

        s->nregs = 0;
        for (size_t i = 0; i < n; i++) {
                const geo_ent_t *ge    = &s->ents[i];
                size_t           first = s->nregs;
                if (ge->weak_name)
                        continue;
                for (uint32_t k = 0; k < ge->ncand; k++) {
                        const geo_cand_t *c   = &s->cands[ge->cand + k];
                        bool              dup = false;
                        if (!c->admin1 || c->p.feature == ENR_GEO_PCLI ||
                            (ge->region && c->p.feature != ENR_GEO_ADM1))
                                continue;
                        for (size_t j = first; j < s->nregs && !dup; j++)
                                dup = s->regs[j].admin1 == c->admin1 &&
                                      !memcmp(s->regs[j].cc, c->p.country, 2);
                        if (dup)
                                continue;
                        if ((err =
                                 enr_grow((void **)&s->regs, &s->regs_cap,
                                          s->nregs + 1, sizeof(*s->regs), 64)))
                                return err;
                        memcpy(s->regs[s->nregs].cc, c->p.country, 2);
                        s->regs[s->nregs].admin1 = c->admin1;
                        s->regs[s->nregs++].ent  = (uint32_t)i;
                }
                for (size_t j = first; j < s->nregs; j++)
                        s->regs[j].w = 1.0f / (float)(s->nregs - first);
        }
        if (s->nregs)
                qsort(s->regs, s->nregs, sizeof(*s->regs), cmp_reg);
        for (size_t i = 0; i < n; i++) {
                const geo_ent_t *ge = &s->ents[i];
                for (uint32_t k = 0; k < ge->ncand; k++) {
                        geo_cand_t *c = &s->cands[ge->cand + k];
                        geo_reg_t   key;
                        size_t      lo = 0, hi = s->nregs;
                        c->cluster = 0;
                        if (!c->admin1 || c->p.feature == ENR_GEO_PCLI)
                                continue;
                        memcpy(key.cc, c->p.country, 2);
                        key.admin1 = c->admin1;
                        key.ent    = 0;
                        while (lo < hi) {
                                size_t mid = lo + (hi - lo) / 2;
                                if (cmp_reg(&s->regs[mid], &key) < 0)
                                        lo = mid + 1;
                                else
                                        hi = mid;
                        }
                        for (;
                             lo < s->nregs && s->regs[lo].admin1 == c->admin1 &&
                             !memcmp(s->regs[lo].cc, c->p.country, 2);
                             lo++)
                                if (s->regs[lo].ent != i)
                                        c->cluster += s->regs[lo].w;
                }
        }
        return ENR_OK;
}

/* The hash of s[0..n) folded, less a final " county", " parish" or
 * " borough" and a leading "city of " or the like ("City of Richmond",
 * Virginia's county-equivalent, is no other place than Richmond to
 * contain it); 0 when it does not fold. */
static uint32_t base_hash(const char *s, size_t n) {
        static const char *const sfx[] = {" county", " parish", " borough"};
        static const char *const pfx[] = {"city of ", "town of ", "village of ",
                                          "borough of ", "township of "};
        char                     buf[GEO_NAME_MAX];
        size_t                   k = enr__geo_fold(s, n, buf, sizeof(buf));
        const char              *b = buf;

        for (size_t i = 0; k && i < sizeof(sfx) / sizeof(sfx[0]); i++) {
                size_t l = strlen(sfx[i]);
                if (k > l && !memcmp(buf + k - l, sfx[i], l)) {
                        k -= l;
                        break;
                }
        }
        for (size_t i = 0; k && i < sizeof(pfx) / sizeof(pfx[0]); i++) {
                size_t l = strlen(pfx[i]);
                if (k > l && !memcmp(b, pfx[i], l)) {
                        b += l;
                        k -= l;
                        break;
                }
        }
        return k ? enr__geo_hash(b, k) | 1u : 0;
}

static int cmp_link(const void *a, const void *b) {
        const geo_link_t *x = a, *y = b;

        if (x->place != y->place)
                return x->place < y->place ? -1 : 1;
        return x->ent < y->ent ? -1 : x->ent > y->ent;
}

/* Whether links (sorted) hold place for an entity of another name than
 * ent's. */
static bool linked(const enr_geo_scratch_t *s, const geo_link_t *v, size_t n,
                   uint32_t place, uint32_t ent) {
        size_t lo = 0, hi = n;

        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (v[mid].place < place)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        for (; lo < n && v[lo].place == place; lo++)
                if (s->ents[v[lo].ent].base != s->ents[ent].base)
                        return true;
        return false;
}

/* Marks the candidates that contain or lie in another name's candidate:
 * "Paris" and "Henry County" are Paris, Tennessee and Henry County,
 * Tennessee, the one pair of those names where the town lies in the
 * county (containment, as the Edinburgh Geoparser and Leidner use it). */
static enr_err_t contain(enr_geo_scratch_t *s, size_t n) {
        enr_err_t err;

        s->nlinks[0] = s->nlinks[1] = 0;
        for (size_t i = 0; i < n; i++) {
                const geo_ent_t *ge = &s->ents[i];
                if (ge->weak_name || !ge->base)
                        continue;
                for (uint32_t k = 0; k < ge->ncand; k++) {
                        const geo_cand_t *c = &s->cands[ge->cand + k];
                        int               w = c->p.feature == ENR_GEO_ADM2 ? 0
                                              : c->county                  ? 1
                                                                           : -1;
                        if (w < 0)
                                continue;
                        if ((err = enr_grow((void **)&s->links[w],
                                            &s->links_cap[w], s->nlinks[w] + 1,
                                            sizeof(*s->links[w]), 64)))
                                return err;
                        s->links[w][s->nlinks[w]].place =
                            w ? c->county - 1 : c->index;
                        s->links[w][s->nlinks[w]++].ent = (uint32_t)i;
                }
        }
        if (!s->nlinks[0] || !s->nlinks[1])
                return ENR_OK;
        for (int w = 0; w < 2; w++)
                qsort(s->links[w], s->nlinks[w], sizeof(*s->links[w]),
                      cmp_link);
        for (size_t i = 0; i < n; i++) {
                const geo_ent_t *ge = &s->ents[i];
                if (!ge->base)
                        continue;
                for (uint32_t k = 0; k < ge->ncand; k++) {
                        geo_cand_t *c = &s->cands[ge->cand + k];
                        if (c->p.feature == ENR_GEO_ADM2)
                                c->contain =
                                    linked(s, s->links[1], s->nlinks[1],
                                           c->index, (uint32_t)i);
                        else if (c->county)
                                c->contain =
                                    linked(s, s->links[0], s->nlinks[0],
                                           c->county - 1, (uint32_t)i);
                }
        }
        return ENR_OK;
}

/* Whether another entity's pick is the county entity i's pick lies in,
 * or a town in the county it is. */
static bool confirmed(const enr_geo_scratch_t *s, size_t n, size_t i) {
        const geo_cand_t *c = &s->cands[s->ents[i].pick];

        for (size_t j = 0; j < n; j++) {
                const geo_cand_t *o;
                if (j == i || s->ents[j].pick < 0 ||
                    s->ents[j].base == s->ents[i].base)
                        continue;
                o = &s->cands[s->ents[j].pick];
                if (c->p.feature == ENR_GEO_ADM2
                        ? o->county == c->index + 1
                        : o->p.feature == ENR_GEO_ADM2 &&
                              c->county == o->index + 1)
                        return true;
        }
        return false;
}

/* One sense per discourse: the place in an organisation's or a
 * facility's name is the place given to the article's entity of that name
 * ("Paris Police Department" beside "Paris", Texas), when it is one of its
 * candidates. Sets its pick; false when no such entity was placed. */
static bool align(enr_geo_scratch_t *s, size_t n, size_t i) {
        geo_ent_t *ge = &s->ents[i];

        if (!ge->base)
                return false;
        for (size_t j = 0; j < n; j++) {
                const geo_ent_t *o = &s->ents[j];
                if (j == i || o->org || !s->has[j] || o->base != ge->base)
                        continue;
                for (uint32_t k = 0; k < ge->ncand; k++)
                        if (s->cands[ge->cand + k].index ==
                            s->cands[o->pick].index) {
                                ge->pick = (int32_t)(ge->cand + k);
                                return true;
                        }
        }
        return false;
}

/* Picks the best candidate of entity i against the current votes. */
static void pick(enr_geo_scratch_t *s, size_t i) {
        geo_ent_t *ge   = &s->ents[i];
        float      best = -1e9f, sup_best = 0;
        int32_t    bi = -1;

        for (uint32_t k = 0; k < ge->ncand; k++) {
                const geo_cand_t  *c = &s->cands[ge->cand + k];
                const enr_place_t *p = &c->p;
                float              sp, sc;
                if (c->excluded ||
                    (c->local && !c->contain && !local(s, c, (int32_t)i)))
                        continue;
                sp = support(s, c, (int32_t)i) +
                     W_CLUSTER * (c->cluster < 1 ? c->cluster : 1) +
                     (c->contain ? W_CONTAIN : 0);
                sc = prior(p) + sp;
                /* The gazetteer's country for the name, or else the
                 * country of the web address: a paper's own country
                 * over the famous namesake's ("London" of lfpress.ca). */
                if ((ge->code[0] && !memcmp(ge->code, p->country, 2)) ||
                    (s->src_cc[0] && !memcmp(s->src_cc, p->country, 2) &&
                     memcmp(ge->code, s->src_cc, 2)))
                        sc += W_CODE;
                if (sc > best) {
                        best     = sc;
                        bi       = (int32_t)(ge->cand + k);
                        sup_best = sp;
                }
        }
        ge->pick    = bi;
        ge->support = sup_best;
}

/* Whether the pick of ge is too weak to report (output) or to vote in
 * the last round. */
static bool weak(const enr_geo_scratch_t *s, const geo_ent_t *ge, bool output) {
        const enr_place_t *p;

        if (ge->pick < 0)
                return true;
        p = &s->cands[ge->pick].p;
        /* A town, county or region in an organisation's name needs the
         * article's support (its country) unless a state after a comma
         * names it ("Berea Police" is not Lesotho's Berea district). */
        if (ge->org && !ge->qualified &&
            (p->feature == ENR_GEO_PPL || p->feature == ENR_GEO_PPLC ||
             p->feature == ENR_GEO_ADM2 || p->feature == ENR_GEO_ADM1) &&
            ge->support < W_COUNTRY * 0.5f)
                return true;
        /* A small town named by all of an organisation's name or after
         * its "of" needs more than its country: its region or a place
         * near it. */
        if (ge->surname && !ge->qualified && p->feature == ENR_GEO_PPL &&
            p->population < ORG_TOWN_POP && ge->support < W_ADMIN1)
                return true;
        /* A town under WEAK_POP that nothing else in the article
         * supports is not reported even when its name has no other place
         * ("Sega" is not Sega, Kenya; "Heathrow" not Heathrow, Florida);
         * it still votes for its region. */
        if (output && !ge->qualified && p->feature == ENR_GEO_PPL &&
            p->population < WEAK_POP && ge->support < W_COUNTRY * 0.5f)
                return true;
        /* A region named by a common word ("Gulf", "Midlands") of fewer
         * than a million people, whose country the article does not
         * support: not Papua New Guinea's Gulf province. */
        if (output && ge->weak_name && p->feature == ENR_GEO_ADM1 &&
            s->cands[ge->pick].size < COMMON_REGION_SIZE &&
            ge->support < W_COUNTRY * 0.5f)
                return true;
        if (ge->anchor && !ge->weak_name)
                return false;
        /* A compass name ("West", "South West") or a name found without
         * its direction ("East Midlands" as Zimbabwe's Midlands): a region
         * or a town under BIG_POP only with its country's support ("South
         * Los Angeles" is Los Angeles). */
        if (ge->guess && p->feature != ENR_GEO_PCLI &&
            p->feature != ENR_GEO_CONT && p->population < BIG_POP &&
            ge->support < W_COUNTRY * 0.5f)
                return true;
        if (p->feature == ENR_GEO_ADM2)
                return ge->ncand > 1 && ge->support < W_COUNTRY * 0.5f;
        if (p->feature != ENR_GEO_PPL || ge->support >= W_COUNTRY * 0.5f)
                return false;
        if (ge->ncand == 1 && !ge->weak_name)
                return p->population < WEAK_POP_ONE;
        return p->population < WEAK_POP;
}

/* The weight of entity i's place in the context: its mentions, more for
 * the dateline's. */
static float ent_weight(const enr_entities_t *e, const enr_mentions_t *m,
                        size_t i) {
        const enr_entity_t *en = &e->v[i];
        float               w  = 1.0f;

        for (uint32_t k = 0; k < en->count; k++)
                if (m->v[e->order[en->first + k]].flags & ENR_MENTF_DATELINE)
                        w = W_DATELINE;
        return w + 0.25f * (float)(en->count > 4 ? 4 : en->count - 1);
}

/* ---- People who are places ---- */

/* Whether s[0..n), lower-cased, is a common English word. */
static bool common_word(const enr_geo_t *g, const char *s, size_t n) {
        char   low[GEO_NAME_MAX];
        size_t ll = g->gaz ? enr__geo_fold(s, n, low, sizeof(low)) : 0;

        return ll && (enr_gazetteer_word(g->gaz, low, ll) & ENR_GAZ_COMMON);
}

/* Words before a name that say it is where something is or happens
 * ("in" first: said of an organisation too, "a stake in Sina"). */
static const char *const PLACE_BEFORE[] = {"in", "near", "outside", NULL};
/* Words after a name that make it a town's ("Danbury police", "Lindsay
 * residents", "the Torrington area"). */
static const char *const PLACE_AFTER[] = {
    "police",     "residents", "officials", "firefighters", "schools",
    "area",       "native",    "mayor",     "council",      "city",
    "township",   "village",   "neighbors", "neighbours",   "resident",
    "homeowners", NULL};
/* Words after a name that make it a town's even when the tagger took it
 * for an organisation or a people: an organisation has members, staff or
 * shares ("stake in Sina", "Holyrood officials"), never residents. */
static const char *const TOWN_AFTER[] = {
    "residents",  "resident",   "native",   "natives", "neighbors",
    "neighbours", "homeowners", "township", "police",  "firefighters",
    "mayor",      "man",        "woman",    NULL};

/* Whether the word at t->s[i..] (after one space) is one of list. */
static bool word_after_in(const enr_text_t *t, uint32_t i,
                          const char *const *list) {
        size_t b, e;

        if (i >= t->len || t->s[i] != ' ')
                return false;
        b = e = i + 1;
        while (e < t->len && is_alpha((unsigned char)t->s[e]))
                e++;
        for (size_t k = 0; list[k]; k++)
                if (strlen(list[k]) == e - b &&
                    !memcmp(t->s + b, list[k], e - b))
                        return true;
        return false;
}

/* The word of t ending at or before byte i (skipping spaces), lower-cased
 * into w (cap bytes); its length, 0 when none fits. */
static size_t word_before(const enr_text_t *t, uint32_t i, char *w,
                          size_t cap) {
        size_t e, b;

        while (i > 0 && t->s[i - 1] == ' ')
                i--;
        e = i;
        while (i > 0 && is_alpha((unsigned char)t->s[i - 1]))
                i--;
        b = i;
        if (e == b || e - b >= cap)
                return 0;
        for (size_t k = b; k < e; k++)
                w[k - b] = (char)(t->s[k] | 32);
        return e - b;
}

/* Whether mention x stands where a place does: after "in", "near",
 * "from" ...; after "of" and before a comma or full stop ("Bowers, 19, of
 * Martinez, was ..."); or before a comma and a US state ("Norman,
 * Okla."). */
static bool place_cue(const enr_geo_t *g, const enr_text_t *t,
                      const enr_mention_t *x, enr_ent_type_t type) {
        bool   person = type == ENR_ENT_PERSON;
        char   w[16];
        size_t n    = word_before(t, x->start, w, sizeof(w));
        char   next = x->end < t->len ? t->s[x->end] : '\0';

        /* Not "in Anderson's hometown". */
        if (next == '\'' ||
            (t->len - x->end >= 3 && !memcmp(t->s + x->end, "\xe2\x80\x99", 3)))
                return false;
        /* A people's name (a tagger's "Sochi") after "in" only where it
         * ends a phrase: "in Sochi, which", not "in Olympic year". */
        for (size_t k = type == ENR_ENT_ORG ? 1 : 0; n && PLACE_BEFORE[k]; k++)
                if (strlen(PLACE_BEFORE[k]) == n &&
                    !memcmp(w, PLACE_BEFORE[k], n) &&
                    (person || k > 0 || next == '\0' || next == ',' ||
                     next == '.' || next == ';' || next == ':'))
                        return true;
        /* "Bowers, 19, of Martinez," (not "members of Abba,"). */
        if (n == 2 && !memcmp(w, "of", 2) && (next == ',' || next == '.') &&
            x->start >= 6 && !memcmp(t->s + x->start - 5, ", of ", 5) &&
            t->s[x->start - 6] >= '0' && t->s[x->start - 6] <= '9')
                return true;
        if (word_after_in(t, x->end, person ? PLACE_AFTER : TOWN_AFTER))
                return true;
        /* "A Danbury stonework mason", "an Alton funeral director": no
         * person is "a Smith" (but "a Kilo of"); an organisation or a
         * people is ("a Harvard professor", "an Olympic champion"). */
        if (person &&
            ((n == 1 && w[0] == 'a') || (n == 2 && !memcmp(w, "an", 2))) &&
            next == ' ' && x->end + 1 < t->len &&
            (t->s[x->end + 1] | 32) == t->s[x->end + 1] &&
            is_alpha((unsigned char)t->s[x->end + 1]) &&
            !(x->end + 4 <= t->len && !memcmp(t->s + x->end, " of", 3) &&
              !is_alpha((unsigned char)t->s[x->end + 3])))
                return true;
        if (next == ',' && x->end + 2 < t->len && t->s[x->end + 1] == ' ') {
                geo_qual_t q[GEO_QUALS];
                size_t     rest = t->len - x->end - 2;
                size_t     nq   = parse_qualifier(g, t->s + x->end + 2,
                                            rest < 40 ? rest : 40, q);
                /* "Norman, Okla.", "Greer, South Carolina": a US state. */
                for (size_t k = 0; k < nq; k++)
                        if (!memcmp(q[k].cc, "US", 2) && q[k].admin1)
                                return true;
        }
        return false;
}

/* The length of a party prefix opening s[0..n) ("D-", "R-", "I-",
 * "DFL-": "Sen. Tom Bakk, DFL-Cook"), 0 when none. */
static size_t party_prefix(const char *s, size_t n) {
        static const char *const P[] = {"D-", "R-", "I-", "DFL-", NULL};

        for (size_t k = 0; P[k]; k++) {
                size_t l = strlen(P[k]);
                if (n > l + 2 && !memcmp(s, P[k], l) &&
                    is_upper_ascii((unsigned char)s[l]))
                        return l;
        }
        return 0;
}

/* The entity other than skip whose canonical text is s[0..n) and whose
 * type names a place, or -1. */
static int32_t place_entity(const enr_entities_t *e, const enr_fields_t *f,
                            size_t skip, const char *s, size_t n) {
        for (size_t i = 0; i < e->n; i++) {
                const enr_entity_t *en = &e->v[i];
                size_t              l;
                const char         *t = ent_text(en, f, &l);
                if (i != skip && l == n && !memcmp(t, s, n) &&
                    (en->type == ENR_ENT_GPE || en->type == ENR_ENT_LOC))
                        return (int32_t)i;
        }
        return -1;
}

/* "Rep. Ron Young, D-Leavenworth": the legislator's home town after the
 * party letter, which the tokens keep in one word and the tagger reads
 * as a name. Every mention of such an entity loses the prefix and the
 * entity becomes a GPE, or joins the article's entity of that place. */
static enr_err_t party_places(const enr_geo_t *g, enr_entities_t *e,
                              enr_mentions_t *m, const enr_fields_t *f,
                              size_t *changed) {
        bool moved = false;

        for (size_t i = 0; i < e->n; i++) {
                enr_entity_t *en = &e->v[i];
                size_t        n, first, l;
                const char   *txt = ent_text(en, f, &n);
                int32_t       to;
                bool          all = true;
                if (!enr_ent_type_is_name((enr_ent_type_t)en->type) ||
                    !(l = party_prefix(txt, n)) ||
                    !find_name(g, txt + l, n - l, &first))
                        continue;
                for (uint32_t k = 0; k < en->count && all; k++) {
                        const enr_mention_t *x = &m->v[e->order[en->first + k]];
                        const char *xs = f->text[x->field & 1]->s + x->start;
                        all = x->end - x->start == n && !memcmp(xs, txt, n);
                }
                if (!all)
                        continue;
                to = place_entity(e, f, i, txt + l, n - l);
                for (uint32_t k = 0; k < en->count; k++) {
                        enr_mention_t *x = &m->v[e->order[en->first + k]];
                        x->start += (uint32_t)l;
                        x->cp_start += (uint32_t)l; /* ASCII prefix */
                        x->type = ENR_ENT_GPE;
                        if (to >= 0) {
                                x->entity = to;
                                moved     = true;
                        }
                }
                en->start += (uint32_t)l;
                en->type    = ENR_ENT_GPE;
                en->code[0] = '\0';
                (*changed)++;
        }
        return moved ? enr_entities_regroup(e, m) : ENR_OK;
}

/* ---- Pairs of places ---- */

/* Whether the table has a county of the name s[0..n) ("Miami-Dade"). */
static bool county_named(const enr_geo_t *g, const char *s, size_t n) {
        char   buf[GEO_NAME_MAX];
        size_t first;

        return county_lookup(g, s, n, buf, sizeof(buf), &first) > 0;
}

/* Whether s[0..n) is all capital letters (two or more). */
static bool all_caps(const char *s, size_t n) {
        if (n < 2)
                return false;
        for (size_t i = 0; i < n; i++)
                if (!is_upper_ascii((unsigned char)s[i]))
                        return false;
        return true;
}

/* The type a part of a hyphenated pair takes (GPE, NORP, or ORG for an
 * organisation's capitals), or -1 when
 * s[0..n) is no country, region, city or people the gazetteer knows
 * ("US", "Israeli", "Frankfurt"; not "Simpson" of "Simpson-Daniel", though
 * towns bear it). The code of a country or people goes into code. */
static int pair_part(const enr_geo_t *g, const char *s, size_t n,
                     char code[4]) {
        enr_gaz_match_t gm;

        code[0] = '\0';
        if (n < 2 || !is_upper_ascii((unsigned char)s[0]))
                return -1;
        if (g->gaz && enr_gazetteer_find(g->gaz, s, n, false, &gm)) {
                /* An organisation by its capitals ("EU" of "EU-Israel",
                 * "NATO"): the other part must be a place or people. */
                if ((gm.curated & ENR_GAZ_ORG) &&
                    !(gm.curated & (ENR_GAZ_PERSON | ENR_GAZ_EVENT)) &&
                    all_caps(s, n))
                        return ENR_ENT_ORG;
                if (gm.curated & (ENR_GAZ_ORG | ENR_GAZ_PERSON | ENR_GAZ_EVENT))
                        return -1;
                if (gm.curated & ENR_GAZ_NORP) {
                        memcpy(code, gm.code, 4);
                        return ENR_ENT_NORP;
                }
                if (gm.curated &
                    (ENR_GAZ_COUNTRY | ENR_GAZ_REGION | ENR_GAZ_CITY)) {
                        memcpy(code, gm.code, 4);
                        return ENR_ENT_GPE;
                }
        }
        return -1;
}

enr_err_t enr_geo_split_pairs(const enr_geo_t *g, enr_mentions_t *m,
                              const enr_fields_t *f, size_t max,
                              size_t *split) {
        size_t    n0 = m->n, nsplit = 0;
        enr_err_t err = ENR_OK;

        if (!g || !g->gaz)
                n0 = 0;
        for (size_t i = 0; i < n0; i++) {
                enr_mention_t    *x = &m->v[i];
                const enr_text_t *t;
                const char       *s, *h;
                size_t            n, first;
                enr_gaz_match_t   gm;
                char              ca[4], cb[4];
                int               ta, tb;
                enr_mention_t    *y;
                uint32_t          cut;
                if (x->field > ENR_FIELD_BODY ||
                    (x->type != ENR_ENT_GPE && x->type != ENR_ENT_LOC &&
                     x->type != ENR_ENT_NORP) ||
                    !(t = f->text[x->field]) || x->end > t->len ||
                    x->start >= x->end)
                        continue;
                s = t->s + x->start;
                n = x->end - x->start;
                /* One hyphen between two words: "US-China",
                 * "Israeli-Egyptian". */
                if (!(h = memchr(s, '-', n)) ||
                    memchr(h + 1, '-', (size_t)(s + n - h - 1)) ||
                    memchr(s, ' ', n))
                        continue;
                /* A name of its own: "Winston-Salem", "Guinea-Bissau",
                 * "Schleswig-Holstein". */
                if (find_name(g, s, n, &first) ||
                    enr_gazetteer_find(g->gaz, s, n, false, &gm) ||
                    county_named(g, s, n))
                        continue;
                ta = pair_part(g, s, (size_t)(h - s), ca);
                tb = pair_part(g, h + 1, (size_t)(s + n - h - 1), cb);
                if (ta < 0 || tb < 0 ||
                    (ta == ENR_ENT_ORG && tb == ENR_ENT_ORG))
                        continue;
                /* "African-American", "Irish-American": one people. */
                if (ta == ENR_ENT_NORP && tb == ENR_ENT_NORP &&
                    !strcmp(cb, "US"))
                        continue;
                cut = (uint32_t)(h - t->s);
                if (!(y = enr_mentions_push(m, (enr_field_t)x->field, cut + 1,
                                            x->end, (enr_ent_type_t)tb, max))) {
                        /* Over the limit: the rest stay whole. */
                        if (!max || m->n < max)
                                err = ENR_ERR_NOMEM;
                        break;
                }
                x         = &m->v[i]; /* the push may move the array */
                y->source = x->source;
                y->score  = x->score;
                y->flags  = x->flags;
                memcpy(y->code, cb, 4);
                x->end  = cut;
                x->type = (uint8_t)ta;
                memcpy(x->code, ca, 4);
                nsplit++;
        }
        if (split)
                *split = nsplit;
        return err;
}

/* Whether an organisation's or a people's name s[0..n) may be a town's:
 * the lists know it as no organisation and no people, and the table's
 * places of the name are towns ("Gainesville"), not a country or region
 * whose people the name may mean. */
static bool named_as_town(const enr_geo_t *g, const char *s, size_t n) {
        enr_gaz_match_t gm;
        size_t          first, k = find_name(g, s, n, &first);

        if (g->gaz && enr_gazetteer_find(g->gaz, s, n, false, &gm) &&
            (gm.curated &
             (ENR_GAZ_ORG | ENR_GAZ_NORP | ENR_GAZ_COUNTRY | ENR_GAZ_REGION)))
                return false;
        for (size_t j = 0; j < k; j++) {
                enr_place_t p;
                place_at(g, name_place(g, first + j), &p);
                if (p.feature != ENR_GEO_PPL && p.feature != ENR_GEO_PPLC)
                        return false;
        }
        return k > 0;
}

/* Whether the article has an organisation or facility named s[0..n) and
 * a word only a town's institutions bear ("Henderson Police Department",
 * "Lindsay Fire", "Rock Hill City Council"): the article's s is that town. */
static bool town_institution(const enr_entities_t *e, const enr_fields_t *f,
                             const char *s, size_t n) {
        static const char *const words[] = {"police", "fire",     "mayor",
                                            "city",   "township", "village"};

        for (size_t j = 0; j < e->n; j++) {
                const enr_entity_t *o = &e->v[j];
                const char         *t;
                size_t              l, w = 0;
                if (o->type != ENR_ENT_ORG && o->type != ENR_ENT_FAC)
                        continue;
                t = ent_text(o, f, &l);
                if (l <= n + 1 || memcmp(t, s, n) || t[n] != ' ')
                        continue;
                while (n + 1 + w < l && t[n + 1 + w] != ' ')
                        w++;
                for (size_t k = 0; k < sizeof(words) / sizeof(words[0]); k++)
                        if (strlen(words[k]) == w &&
                            !strncasecmp(t + n + 1, words[k], w))
                                return true;
        }
        return false;
}

enr_err_t enr_geo_retype_places(const enr_geo_t *g, enr_entities_t *e,
                                enr_mentions_t *m, const enr_fields_t *f,
                                size_t *retyped) {
        size_t    changed = 0;
        enr_err_t err;

        if (retyped)
                *retyped = 0;
        if (!g)
                return ENR_OK;
        if ((err = party_places(g, e, m, f, &changed)))
                return err;
        for (size_t i = 0; i < e->n; i++) {
                enr_entity_t *en = &e->v[i];
                const char   *txt;
                size_t        n, first;
                bool          cue = false;
                char          cbuf[GEO_NAME_MAX];
                if (en->type != ENR_ENT_PERSON && en->type != ENR_ENT_ORG &&
                    en->type != ENR_ENT_NORP)
                        continue;
                txt = ent_text(en, f, &n);
                /* "Clarke, Madison, Oconee and Oglethorpe counties": even
                 * a given name, when a county has it. */
                if (n >= 3 && !memchr(txt, ' ', n) &&
                    is_upper_ascii((unsigned char)txt[0]) &&
                    in_counties_list(e, m, f, en) &&
                    county_lookup(g, txt, n, cbuf, sizeof(cbuf), &first)) {
                        en->type = ENR_ENT_GPE;
                        for (uint32_t k = 0; k < en->count; k++)
                                m->v[e->order[en->first + k]].type =
                                    ENR_ENT_GPE;
                        changed++;
                        continue;
                }
                if (n < 3 || memchr(txt, '-', n) ||
                    !is_upper_ascii((unsigned char)txt[0]) ||
                    !find_name(g, txt, n, &first))
                        continue;
                /* A one-word person's name of the table's; a longer one,
                 * an organisation's or a people's name only when towns
                 * alone bear it ("in Rock Hill", "Gainesville residents
                 * marched", "of McLean, Virginia"). */
                if ((en->type != ENR_ENT_PERSON || memchr(txt, ' ', n)) &&
                    !named_as_town(g, txt, n))
                        continue;
                /* A given name alone ("Madison", "Douglas") is a person
                 * as often as a place; a common word ("Kilo") or a name
                 * the lists know as something else ("Christmas") is not
                 * a town. */
                if (g->gaz && en->type == ENR_ENT_PERSON &&
                    (enr_gazetteer_word(g->gaz, txt, n) & ENR_GAZ_FIRST_NAME))
                        continue;
                if (not_a_town(g, txt, n) || common_word(g, txt, n))
                        continue;
                for (uint32_t k = 0; k < en->count && !cue; k++) {
                        const enr_mention_t *x = &m->v[e->order[en->first + k]];
                        /* Every mention is the one word: no "Mr Greer",
                         * no "Greer" joined to "Jane Greer". */
                        if (x->end - x->start != n)
                                break;
                        cue = place_cue(g, f->text[x->field & 1], x,
                                        (enr_ent_type_t)en->type);
                }
                if (!cue && !(en->type == ENR_ENT_PERSON &&
                              town_institution(e, f, txt, n)))
                        continue;
                en->type = ENR_ENT_GPE;
                for (uint32_t k = 0; k < en->count; k++)
                        m->v[e->order[en->first + k]].type = ENR_ENT_GPE;
                changed++;
        }
        if (retyped)
                *retyped = changed;
        return ENR_OK;
}

/* ---- The article's web address ---- */

/* Two-letter top-level domains sold as generic names ("bit.ly",
 * "example.tv"): they say nothing of a country. Sorted. */
static const char *const GENERIC_TLDS[] = {"ag", "ai", "am", "cc", "co", "fm",
                                           "gg", "io", "la", "ly", "me", "nu",
                                           "sh", "st", "to", "tv", "vc", "ws"};
/* Labels under a country's domain that are not the site's ("co.uk",
 * "com.lb"). Sorted. */
static const char *const SECOND_LEVEL[] = {"ac",  "co",  "com", "edu", "gov",
                                           "ltd", "net", "or",  "org", "plc"};

/* Whether s[0..n), lower case, is one of the sorted words of list. */
static bool in_list(const char *const *list, size_t nlist, const char *s,
                    size_t n) {
        char w[8];

        if (!n || n >= sizeof(w))
                return false;
        for (size_t i = 0; i < n; i++)
                w[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
        w[n] = '\0';
        return bsearch(w, list, nlist, sizeof(list[0]), cmp_word) != NULL;
}

/* The host of url[0..n): after "scheme://" and any "user@", up to the
 * port, path, query or fragment. Its length; *host its start. */
static size_t url_host(const char *url, size_t n, const char **host) {
        const char *h = url, *end = url + n, *p;

        for (p = url; p + 2 < end; p++)
                if (p[0] == ':' && p[1] == '/' && p[2] == '/') {
                        h = p + 3;
                        break;
                } else if (!is_alpha((unsigned char)*p) && *p != '+' &&
                           *p != '-' && *p != '.')
                        break;
        if (h == url && n > 2 && url[0] == '/' && url[1] == '/')
                h = url + 2;
        for (p = h; p < end && *p != '/' && *p != '?' && *p != '#'; p++)
                ;
        end = p;
        for (p = h; p < end; p++)
                if (*p == '@')
                        h = p + 1;
        for (p = h; p < end && *p != ':'; p++)
                ;
        *host = h;
        return (size_t)(p - h);
}

/* The site of a web address: the label its owner chose ("columbustelegram"
 * of www.columbustelegram.com, "dailystar" of www.dailystar.com.lb), in
 * *name, and the country of its country-code domain ("LB"; "GB" for .uk),
 * in cc ("" for none). False when the address has no such host. */
static bool url_site(const char *url, size_t n, const char **name,
                     size_t *name_len, char cc[2]) {
        const char *h, *lab[8];
        size_t      hl = url_host(url, n, &h), len[8], nl = 0, i, tl;

        cc[0] = cc[1] = '\0';
        while (hl && h[hl - 1] == '.') /* "example.com." */
                hl--;
        for (i = 0; i < hl;) {
                size_t j = i;
                while (j < hl && h[j] != '.')
                        j++;
                if (j == i || nl == sizeof(lab) / sizeof(lab[0]))
                        return false;
                lab[nl]   = h + i;
                len[nl++] = j - i;
                i         = j + 1;
        }
        if (nl < 2)
                return false;
        tl = len[nl - 1];
        for (i = 0; i < tl; i++)
                if (!is_alpha((unsigned char)lab[nl - 1][i]))
                        return false; /* An IP address. */
        i = nl - 2;
        if (tl == 2) {
                if (!in_list(GENERIC_TLDS,
                             sizeof(GENERIC_TLDS) / sizeof(GENERIC_TLDS[0]),
                             lab[nl - 1], 2)) {
                        cc[0] = (char)(lab[nl - 1][0] & ~0x20);
                        cc[1] = (char)(lab[nl - 1][1] & ~0x20);
                        if (cc[0] == 'U' && cc[1] == 'K')
                                cc[0] = 'G', cc[1] = 'B';
                }
                if (nl > 2 &&
                    in_list(SECOND_LEVEL,
                            sizeof(SECOND_LEVEL) / sizeof(SECOND_LEVEL[0]),
                            lab[i], len[i]))
                        i--;
        }
        *name     = lab[i];
        *name_len = len[i];
        return true;
}

/* Words a newspaper's name is made of, after its town's ("concord" +
 * "monitor"). */
static const char *const PRESS_WORDS[] = {
    "advertiser", "advocate",    "bee",      "bulletin",  "chronicle",
    "citizen",    "courant",     "courier",  "daily",     "democrat",
    "dispatch",   "enquirer",    "examiner", "express",   "gazette",
    "herald",     "independent", "journal",  "leader",    "ledger",
    "mercury",    "messenger",   "monitor",  "news",      "observer",
    "post",       "press",       "record",   "register",  "reporter",
    "republican", "review",      "sentinel", "standard",  "star",
    "statesman",  "sun",         "telegram", "telegraph", "times",
    "today",      "tribune",     "weekly"};

/* Whether s[0..n) begins with one of PRESS_WORDS. */
static bool press_word(const char *s, size_t n) {
        for (size_t i = 0; i < sizeof(PRESS_WORDS) / sizeof(PRESS_WORDS[0]);
             i++) {
                size_t l = strlen(PRESS_WORDS[i]);
                if (n >= l && !strncasecmp(s, PRESS_WORDS[i], l))
                        return true;
        }
        return false;
}

/* The longest start of site (letters only) that names a town of
 * SOURCE_POP people or more ("columbus" of "columbustelegram", "augusta"
 * of "augusta"), a common word only before a newspaper's word
 * ("concordmonitor"; not "metro"): its length, and its entries in the
 * table (*first, *k); 0 when none. */
static size_t source_town(const enr_geo_t *g, const char *site, size_t n,
                          size_t *first, size_t *k) {
        size_t l = 0;

        while (l < n && l + 1 < GEO_NAME_MAX &&
               is_alpha((unsigned char)site[l]))
                l++;
        for (; l >= 4; l--) {
                size_t f, kn = find_name(g, site, l, &f);
                for (size_t j = 0; j < kn; j++) {
                        enr_place_t p;
                        place_at(g, name_place(g, f + j), &p);
                        if ((p.feature == ENR_GEO_PPL ||
                             p.feature == ENR_GEO_PPLC) &&
                            p.population >= SOURCE_POP &&
                            (!common_word(g, site, l) ||
                             press_word(site + l, n - l))) {
                                *first = f;
                                *k     = kn;
                                return l;
                        }
                }
        }
        return 0;
}

/* A context-only entity past the article's (never given a place). */
static geo_ent_t *hint_ent(enr_geo_scratch_t *s) {
        geo_ent_t *ge = &s->ents[s->nents++];

        memset(ge, 0, sizeof(*ge));
        ge->pick = ge->pick2 = -1;
        ge->cand             = (uint32_t)s->ncands;
        ge->weight           = W_SOURCE;
        return ge;
}

/* Adds what the article's web address says of where it is from to the
 * context, as entities past the article's (room for two): the country of
 * its country-code domain, and the town its site's name begins with,
 * which the article's places resolve like one of its own names (of the
 * Columbus papers, the one beside Ohio's towns is Ohio's). The local
 * press of a town names its neighbours without their state ("Dublin"
 * beside Columbus is Dublin, Ohio). */
static enr_err_t add_source(const enr_geo_t *g, enr_geo_scratch_t *s,
                            const char *url, size_t url_len) {
        const char *site;
        size_t      sl, l, first, k;
        char        cc[2];
        int64_t     c;
        geo_ent_t  *ge;
        enr_err_t   err;

        if (!url || !url_site(url, url_len, &site, &sl, cc))
                return ENR_OK;
        if (cc[0] && (c = country_place(g, cc)) >= 0) {
                memcpy(s->src_cc, cc, 2);
                ge = hint_ent(s);
                if ((err = add_cand(s, g, (uint32_t)c)))
                        return err;
                ge->ncand  = 1;
                ge->anchor = true;
        }
        if ((l = source_town(g, site, sl, &first, &k)) == 0)
                return ENR_OK;
        ge       = hint_ent(s);
        ge->base = base_hash(site, l);
        for (size_t j = 0; j < k && ge->ncand < GEO_CANDS; j++) {
                enr_place_t p;
                place_at(g, name_place(g, first + j), &p);
                if (p.feature != ENR_GEO_PPL && p.feature != ENR_GEO_PPLC)
                        continue;
                if ((err = add_cand(s, g, name_place(g, first + j))))
                        return err;
                ge->ncand++;
        }
        ge->anchor = ge->ncand == 1;
        s->src     = (int32_t)(s->nents - 1);
        return ENR_OK;
}

enr_err_t enr_geo_resolve(const enr_geo_t *g, enr_geo_scratch_t *s,
                          const enr_entities_t *e, const enr_mentions_t *m,
                          const enr_fields_t *f, const char *url,
                          size_t url_len, size_t *resolved,
                          size_t *unresolved) {
        size_t    nres = 0, nun = 0;
        enr_err_t err;

        if (resolved)
                *resolved = 0;
        if (unresolved)
                *unresolved = 0;
        s->ncands = 0;
        s->nvotes = 0;
        s->nents  = 0;
        s->src    = -1;
        memset(s->src_cc, 0, sizeof(s->src_cc));
        /* Room for add_source()'s two. */
        if ((err = enr_grow((void **)&s->ents, &s->ents_cap, e->n + 2,
                            sizeof(*s->ents), 16)))
                return err;
        if (s->out_cap < e->n) {
                size_t       cap = e->n < 16 ? 16 : e->n * 2;
                enr_place_t *o   = realloc(s->out, cap * sizeof(*o));
                uint8_t     *h;
                if (!o)
                        return ENR_ERR_NOMEM;
                s->out = o;
                if (!(h = realloc(s->has, cap)))
                        return ENR_ERR_NOMEM;
                s->has     = h;
                s->out_cap = cap;
        }
        if (s->out_cap) /* NULL before the first article with entities. */
                memset(s->has, 0, s->out_cap);
        for (size_t i = 0; i < e->n; i++) {
                if ((err = gather(g, s, e, m, f, i)))
                        return err;
                s->ents[i].weight = ent_weight(e, m, i);
        }
        s->nents = s->hints = e->n;
        if ((err = add_source(g, s, url, url_len)) ||
            (err = cluster(s, s->nents)) || (err = contain(s, s->nents)))
                return err;
        /* Round 1: anchors vote. */
        for (size_t i = 0; i < s->nents; i++) {
                geo_ent_t *ge = &s->ents[i];
                if (!ge->anchor || ge->weak_name || ge->org)
                        continue;
                pick(s, i);
                vote(s, &s->cands[ge->pick], ge->weight, (int32_t)i);
        }
        /* Round 2: every name against the anchors. */
        for (size_t i = 0; i < s->nents; i++)
                if (s->ents[i].ncand)
                        pick(s, i);
        /* Round 3: against every other name's round-2 place. */
        s->nvotes = 0;
        for (size_t i = 0; i < s->nents; i++) {
                geo_ent_t *ge = &s->ents[i];
                ge->pick2     = ge->pick;
                if (ge->pick >= 0 && !weak(s, ge, false))
                        vote(s, &s->cands[ge->pick], ge->weight, (int32_t)i);
        }
        s->nents = e->n; /* The hints have voted. */
        for (size_t i = 0; i < e->n; i++)
                if ((is_place_type(e->v[i].type) || s->ents[i].org) &&
                    s->ents[i].ncand)
                        pick(s, i);
        /* A county's town or town's county counts only when the other
         * name was placed there too ("Kentish Town" beside Sheffield is
         * not Tasmania's Kentish, whose town Sheffield is). */
        for (size_t i = 0; i < e->n; i++) {
                geo_ent_t *ge = &s->ents[i];
                if (ge->pick >= 0 && s->cands[ge->pick].contain &&
                    !confirmed(s, e->n, i))
                        ge->support -= W_CONTAIN;
        }
        /* The places named by themselves first, then those inside names,
         * which take the place their name was given on its own. */
        for (int pass = 0; pass < 2; pass++)
                for (size_t i = 0; i < e->n; i++) {
                        geo_ent_t *ge = &s->ents[i];
                        if ((!is_place_type(e->v[i].type) && !ge->org) ||
                            ge->org != (pass == 1))
                                continue;
                        if (!(ge->org && align(s, e->n, i)) &&
                            weak(s, ge, true)) {
                                nun++;
                                continue;
                        }
                        s->out[i] = s->cands[ge->pick].p;
                        s->has[i] = 1;
                        nres++;
                }
        if (resolved)
                *resolved = nres;
        if (unresolved)
                *unresolved = nun;
        return ENR_OK;
}
