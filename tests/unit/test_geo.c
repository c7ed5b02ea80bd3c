/*
 * Unit tests of geo.c: the shipped place table through the whole
 * extraction path (enr_enricher_extract(), then the entities' places):
 * "Paris" in Texas and in France, "Georgia" the state beside Atlanta and
 * the country beside Tbilisi, "Alexandria, La.", a NORP's country, no
 * place for a small place of an ambiguous name that nothing else in the
 * article supports; places named inside organisations' and facilities'
 * names; AP abbreviations without their final period; "X-based"; names
 * that agree on a region; and the loader refusing a corrupt, truncated or
 * foreign table with a reason.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "enricher/config.h"
#include "enricher/dates.h"
#include "enricher/enricher.h"
#include "enricher/geo.h"
#include "geo_int.h"
#include "unit.h"

static enr_enricher_t *enr;
static enr_scratch_t  *scr;

static void setup(void) {
        enr_config_t cfg;
        char         err[512];

        cr_assert_eq(enr_config_init(&cfg), ENR_OK);
        cr_assert_eq(enr_config_set(&cfg, "resources", ENR_RESOURCE_DIR, err,
                                    sizeof(err)),
                     ENR_OK, "%s", err);
        enr = enr_enricher_new(&cfg, err, sizeof(err));
        enr_config_clear(&cfg);
        cr_assert_not_null(enr, "%s", err);
        scr = enr_scratch_new(enr);
        cr_assert_not_null(scr);
}

static void teardown(void) {
        enr_scratch_destroy(scr);
        enr_enricher_destroy(enr);
}

TestSuite(geo, .init = setup, .fini = teardown);

static const enr_place_t *span_of(const char *body, const char *name,
                                  char *span, size_t cap);
static const enr_place_t *span_of_url(const char *body, const char *url,
                                      const char *name, char *span, size_t cap);

/* The place of the first entity whose text is name in body, or NULL (the
 * test fails when no such entity exists). */
static const enr_place_t *place_of(const char *body, const char *name) {
        char span[64];

        return span_of(body, name, span, sizeof(span));
}

/* Expects entity name of body, in an article from url (may be NULL), in
 * country cc (and admin1 unless NULL), of feature. */
static void expect_place_url(const char *url, const char *body,
                             const char *name, const char *cc,
                             const char *admin1, enr_geo_feature_t feature) {
        char               span[64];
        const enr_place_t *p = span_of_url(body, url, name, span, sizeof(span));

        cr_assert_not_null(p, "%s: no place in \"%s\"", name, body);
        cr_expect_str_eq(p->country, cc, "%s: country %s, want %s", name,
                         p->country, cc);
        if (admin1)
                cr_expect_str_eq(p->admin1, admin1, "%s: admin1 %s, want %s",
                                 name, p->admin1, admin1);
        cr_expect_eq(p->feature, feature, "%s: feature %s, want %s", name,
                     enr_geo_feature_name((enr_geo_feature_t)p->feature),
                     enr_geo_feature_name(feature));
        cr_expect(p->lat >= -90 && p->lat <= 90 && p->lon >= -180 &&
                  p->lon <= 180);
}

static void expect_place(const char *body, const char *name, const char *cc,
                         const char *admin1, enr_geo_feature_t feature) {
        expect_place_url(NULL, body, name, cc, admin1, feature);
}

Test(geo, paris_texas_and_paris_france) {
        expect_place("The storm reached Paris, Texas, on Monday. Officials in "
                     "Dallas said the damage in Paris was light.",
                     "Paris", "US", "TX", ENR_GEO_PPL);
        expect_place("Thousands marched in Paris on Saturday. The French "
                     "government said Lyon and Marseille were calm.",
                     "Paris", "FR", NULL, ENR_GEO_PPLC);
}

Test(geo, georgia_state_or_country) {
        expect_place("Voters in Georgia went to the polls. In Atlanta, "
                     "lines were long.",
                     "Georgia", "US", "GA", ENR_GEO_ADM1);
        expect_place("Protesters gathered in Tbilisi. Georgia's president "
                     "addressed them as Georgia faced Russia.",
                     "Georgia", "GE", NULL, ENR_GEO_PCLI);
}

Test(geo, alexandria_la) {
        expect_place("A woman from Alexandria, La., was arrested on Friday.",
                     "Alexandria", "US", "LA", ENR_GEO_PPL);
        /* Without the state, the largest Alexandria. */
        expect_place("Egyptian officials in Cairo and Alexandria met.",
                     "Alexandria", "EG", NULL, ENR_GEO_PPL);
}

Test(geo, norp_gets_its_country) {
        const enr_place_t *p =
            place_of("The French government and German officials met on "
                     "Monday.",
                     "French");

        cr_assert_not_null(p);
        cr_expect_str_eq(p->country, "FR");
        cr_expect_eq(p->feature, ENR_GEO_PCLI);
        cr_expect_eq(p->geonameid, 3017382u);
}

/* Peoples of a region within a country carry that country
 * (resources/gazetteer/demonyms.tsv). */
/* A people of a region the table holds is that region ("Abkhaz":
 * Abkhazia); of one it does not, its country ("South Ossetian"). */
/* A facility or area named after the place it opens with, through words
 * between ("Spartanburg International Airport") or before a site's word
 * ("Glendale Galleria"); not a two-word landmark named after another
 * place ("Leicester Square" is in London). A name found only without two
 * direction words is a guess the article's places confirm. */
Test(geo, facilities_named_after_their_place) {
        char               span[64];
        const enr_place_t *p;

        p = span_of("Flights at Spartanburg International Airport resumed on "
                    "Monday, officials in Greenville, S.C., said.",
                    "Spartanburg International Airport", span, sizeof(span));
        cr_expect_str_eq(span, "Spartanburg");
        cr_assert_not_null(p);
        cr_expect_str_eq(p->admin1, "SC");
        p = span_of("Shoppers filled the Glendale Galleria on Saturday, police "
                    "in Pasadena and Burbank, Calif., said.",
                    "Glendale Galleria", span, sizeof(span));
        cr_expect_str_eq(span, "Glendale");
        cr_assert_not_null(p);
        cr_expect_str_eq(p->admin1, "CA");
        p = span_of("Crowds gathered in Leicester Square for the premiere, "
                    "police in London said.",
                    "Leicester Square", span, sizeof(span));
        cr_expect_str_eq(span, "");
        cr_expect_null(p);
        expect_place("The council backed homes in North West Bicester. "
                     "Residents of Kidlington and Oxford objected.",
                     "North West Bicester", "GB", "ENG", ENR_GEO_PPL);
}

/* A town named like a capital or a far bigger city is that town when
 * the article names its region more than anything else; not when the
 * region is one place among others, nor for a town named like a
 * country. */
Test(geo, town_of_a_big_name_in_its_named_region) {
        static const char *const markets =
            "Shares fell in London, Paris and Frankfurt on Monday. In New "
            "York, a fund based in Ohio sold its stake.";

        expect_place("The Paris Public Library will offer a workshop for job "
                     "seekers. Illinois residents can sign up for the "
                     "Illinois Skills Match service.",
                     "Paris Public Library", "US", "IL", ENR_GEO_PPL);
        expect_place(markets, "London", "GB", "ENG", ENR_GEO_PPLC);
        expect_place(markets, "Paris", "FR", NULL, ENR_GEO_PPLC);
        expect_place("Troops from Texas arrived in Italy on Monday. Texas "
                     "officials said they would stay a year.",
                     "Italy", "IT", NULL, ENR_GEO_PCLI);
}

/* "Indiana", whose rivals are towns that need their neighbourhood
 * (Indiana, Pennsylvania) or of unknown size, anchors the article from
 * the start, so one mention of Illinois does not carry its counties; a
 * "Republic of" is the country, not a US state. */
Test(geo, region_anchors_and_republics) {
        static const char *const jobs =
            "Boone County's unemployment rate rose in February. Neighboring "
            "counties include Montgomery County, at 9.1 percent. Indiana's "
            "rate grew to 9.4 percent, and Indiana officials expect more "
            "layoffs. Illinois reported the largest increase.";

        expect_place(jobs, "Montgomery County", "US", "IN", ENR_GEO_ADM2);
        expect_place(jobs, "Boone County", "US", "IN", ENR_GEO_ADM2);
        expect_place("Irakli Labadze of the Republic of Georgia beat Andy "
                     "Roddick in San Jose, California, on Wednesday.",
                     "Republic of Georgia", "GE", NULL, ENR_GEO_PCLI);
}

Test(geo, peoples_of_regions_get_their_country) {
        static const struct {
                const char *body, *name, *cc, *admin1;
        } cases[] = {
            {"Sinhalese nationalists marched on Sunday.", "Sinhalese", "LK",
             NULL},
            {"The South Ossetian leader spoke on Monday.", "South Ossetian",
             "GE", NULL},
            {"Abkhaz leaders met on Monday.", "Abkhaz", "GE", "02"},
            {"Chechen rebels said the talks failed.", "Chechen", "RU", "12"},
            {"Many Texans voted on Tuesday.", "Texans", "US", "TX"},
            {"Scottish voters went to the polls.", "Scottish", "GB", "SCT"},
            {"Tibetan monks marched in Lhasa.", "Tibetan", "CN", "14"},
        };

        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                const enr_place_t *p = place_of(cases[i].body, cases[i].name);
                cr_assert_not_null(p, "%s: no place", cases[i].name);
                cr_expect_str_eq(p->country, cases[i].cc, "%s: %s, want %s",
                                 cases[i].name, p->country, cases[i].cc);
                if (!cases[i].admin1) {
                        cr_expect_eq(p->feature, ENR_GEO_PCLI, "%s",
                                     cases[i].name);
                        continue;
                }
                cr_expect_eq(p->feature, ENR_GEO_ADM1, "%s", cases[i].name);
                cr_expect_str_eq(p->admin1, cases[i].admin1, "%s: %s, want %s",
                                 cases[i].name, p->admin1, cases[i].admin1);
        }
        /* A continent's people: the continent. */
        {
                const enr_place_t *p =
                    place_of("European leaders met in Brussels.", "European");
                cr_assert_not_null(p);
                cr_expect_eq(p->feature, ENR_GEO_CONT);
        }
}

Test(geo, abstains_on_weak_candidates) {
        /* Neukirchen: eight small German and Austrian villages, none over
         * 8,000 people; nothing in the article says which. */
        cr_expect_null(place_of("The mayor of Neukirchen resigned on "
                                "Tuesday after a long dispute.",
                                "Neukirchen"));
        /* Not a place at all: never a place. */
        cr_expect_null(place_of("Officials in Xqzville resigned.", "Xqzville"));
        /* A small town, the only place of its name, that nothing else in
         * the article supports: none (Heathrow the airport is not
         * Heathrow, Florida, the one Heathrow in the table). */
        cr_expect_null(place_of("Flights from Heathrow were delayed on Monday "
                                "because of fog.",
                                "Heathrow"));
        cr_expect_null(place_of("The annual festival in Flumeri drew large "
                                "crowds on Sunday.",
                                "Flumeri"));
        /* A compass name, or a name found without its direction, needs
         * its country: "South West" is not Cameroon's South-West, "East
         * Midlands" not Zimbabwe's Midlands; a city so named is itself. */
        cr_expect_null(place_of("Heavy rain caused flooding across the South "
                                "West on Monday.",
                                "South West"));
        cr_expect_null(place_of("House prices rose fastest in the East "
                                "Midlands last year.",
                                "East Midlands"));
        expect_place("A man was shot in South Los Angeles on Friday night.",
                     "South Los Angeles", "US", "CA", ENR_GEO_PPL);
        /* A small region named by a common word needs its country: the
         * Gulf is not Papua New Guinea's Gulf province; Wales is Wales. */
        cr_expect_null(place_of("Tankers crossed the Gulf on Monday.", "Gulf"));
        expect_place("Rain fell across Wales on Monday.", "Wales", "GB", "WLS",
                     ENR_GEO_ADM1);
        /* ... but its region or its country said: the town. */
        expect_place("The annual festival in Flumeri, Italy, drew large "
                     "crowds on Sunday.",
                     "Flumeri", "IT", "04", ENR_GEO_PPL);
        expect_place("The annual festival in Flumeri drew large crowds on "
                     "Sunday. Visitors came from Naples and Avellino.",
                     "Flumeri", "IT", "04", ENR_GEO_PPL);
}

/* The place of the first entity whose text is name in an article from
 * url (may be NULL), and the place name inside it (enr_geo_place_span())
 * in span. */
static const enr_place_t *span_of_url(const char *body, const char *url,
                                      const char *name, char *span,
                                      size_t cap) {
        const enr_mentions_t    *ms;
        const enr_entities_t    *es;
        const enr_geo_scratch_t *gs;

        span[0] = '\0';
        cr_assert_eq(enr_enricher_extract(enr, scr, NULL, 0, body, strlen(body),
                                          ENR_NO_TIME, url,
                                          url ? strlen(url) : 0, &ms),
                     ENR_OK);
        es = enr_enricher_entities(scr, &gs);
        for (size_t i = 0; i < es->n; i++) {
                const enr_entity_t *e = &es->v[i];
                uint32_t            a, b;
                if (e->field != ENR_FIELD_BODY ||
                    e->end - e->start != strlen(name) ||
                    memcmp(body + e->start, name, strlen(name)))
                        continue;
                if (enr_geo_place_span(gs, i, &a, &b)) {
                        cr_assert(a >= e->start && b <= e->end && a < b);
                        snprintf(span, cap, "%.*s", (int)(b - a), body + a);
                }
                return enr_geo_place(gs, i);
        }
        cr_assert_fail("no entity \"%s\" in \"%s\"", name, body);
        return NULL;
}

static const enr_place_t *span_of(const char *body, const char *name,
                                  char *span, size_t cap) {
        return span_of_url(body, NULL, name, span, cap);
}

static const enr_place_t *place_of_url(const char *body, const char *url,
                                       const char *name) {
        char span[64];

        return span_of_url(body, url, name, span, sizeof(span));
}

/* Expects the entity name of body to hold the US place span, placed in
 * admin1. */
static void expect_in_name(const char *body, const char *name, const char *span,
                           const char *admin1) {
        char               got[64];
        const enr_place_t *p = span_of(body, name, got, sizeof(got));

        cr_expect_str_eq(got, span, "%s: span \"%s\", want \"%s\"", name, got,
                         span);
        cr_assert_not_null(p, "%s: no place", name);
        cr_expect_str_eq(p->country, "US");
        if (admin1)
                cr_expect_str_eq(p->admin1, admin1);
}

Test(geo, place_inside_an_organisation) {
        static const char *const ap =
            "The S.C. Highway Patrol said the crash closed the road. Several "
            "Mass. legislators attended.";
        static const char *const states =
            "Officers of the Indiana State Police arrested two men on Friday. "
            "The Florida Division of Forestry warned of fires.";
        char               span[64];
        const enr_place_t *p;

        p = span_of("Officers of the Huntsville Police Department arrested "
                    "two men in Madison, Ala., on Friday.",
                    "Huntsville Police Department", span, sizeof(span));
        cr_expect_str_eq(span, "Huntsville");
        cr_assert_not_null(p);
        cr_expect_str_eq(p->country, "US");
        cr_expect_str_eq(p->admin1, "AL");

        /* The place and the institution word after it that name a place
         * together: Kansas City, not Kansas. */
        p = span_of("Kansas City Power & Light raised its rates in Kansas "
                    "and Missouri on Monday.",
                    "Kansas City Power & Light", span, sizeof(span));
        cr_expect_str_eq(span, "Kansas City");
        cr_assert_not_null(p);
        cr_expect_eq(p->feature, ENR_GEO_PPL);

        /* An AP state abbreviation opening a longer entity (the tagger's
         * "Mass. legislators"): the state, named by the abbreviation. */
        expect_in_name(ap, "S.C. Highway Patrol", "S.C.", "SC");
        expect_in_name(ap, "Mass. legislators", "Mass.", "MA");

        /* A US state's name opening an organisation's or a facility's
         * name: that state, with no other support ("Indiana Jones" and
         * other two-word names of their own are not). */
        expect_in_name(states, "Indiana State Police", "Indiana", "IN");
        expect_in_name(states, "Florida Division of Forestry", "Florida", "FL");

        /* A region too needs the article's support. */
        p = span_of("The University of North Carolina raised its fees, "
                    "officials said on Monday.",
                    "University of North Carolina", span, sizeof(span));
        cr_expect_str_eq(span, "North Carolina");
        cr_expect_null(p);
        p = span_of("The University of North Carolina raised its fees, "
                    "officials in Charlotte and Atlanta said on Monday.",
                    "University of North Carolina", span, sizeof(span));
        cr_expect_str_eq(span, "North Carolina");
        cr_assert_not_null(p);
        cr_expect_str_eq(p->admin1, "NC");
        cr_expect_eq(p->feature, ENR_GEO_ADM1);

        /* A town in an organisation's name that nothing in the article
         * supports: named, but not placed. */
        p = span_of("The Springfield Police Department said the suspect had "
                    "fled.",
                    "Springfield Police Department", span, sizeof(span));
        cr_expect_str_eq(span, "Springfield");
        cr_expect_null(p);

        /* One common or institution word is no place ("Superior",
         * Wisconsin). */
        p = span_of("A judge at Superior Court in Santa Barbara, Calif., "
                    "ruled on Monday.",
                    "Superior Court", span, sizeof(span));
        cr_expect_str_eq(span, "");
        cr_expect_null(p);

        /* A small town after "of" (a person's name, often) needs more
         * than its country: Fraser, Michigan is not named in Chicago. */
        p = span_of("Shares in House of Fraser rose after the department "
                    "store chain opened a store in Chicago.",
                    "House of Fraser", span, sizeof(span));
        cr_expect_str_eq(span, "Fraser");
        cr_expect_null(p);

        /* No place name inside: no span. */
        p = span_of("Acme Widgets Corporation reported a loss on Monday.",
                    "Acme Widgets Corporation", span, sizeof(span));
        cr_expect_str_eq(span, "");
        cr_expect_null(p);
}

Test(geo, place_inside_a_facility) {
        char               span[64];
        const enr_place_t *p;

        p = span_of("Flights resumed at Long Beach Airport after the storm "
                    "passed Los Angeles, Calif., on Sunday.",
                    "Long Beach Airport", span, sizeof(span));
        cr_expect_str_eq(span, "Long Beach");
        cr_assert_not_null(p);
        cr_expect_str_eq(p->country, "US");
        cr_expect_str_eq(p->admin1, "CA");
}

Test(geo, ap_state_without_its_final_period) {
        /* The sentence's full stop is the abbreviation's period: the
         * entity is "Tenn". */
        expect_place("The plant will close in Memphis, Tenn. Workers said "
                     "they were not told.",
                     "Tenn", "US", "TN", ENR_GEO_ADM1);
}

Test(geo, names_agree_on_a_region) {
        /* Gainesville, Florida is the largest; Hall County has several
         * states; only Georgia holds both. */
        expect_place("Firefighters from Gainesville and Hall County fought the "
                     "blaze on Tuesday.",
                     "Gainesville", "US", "GA", ENR_GEO_PPL);
}

/* Two states named, a county of the name in each: the state the article
 * names more often wins ("Kentucky" three times, "Missouri" once). */
Test(geo, the_region_named_more_often) {
        expect_place("Boone County's jobless rate rose, Kentucky officials "
                     "said. Kentucky's rate grew faster than in Missouri, and "
                     "the state of Kentucky expects more.",
                     "Boone County", "US", "KY", ENR_GEO_ADM2);
        expect_place("Boone County's jobless rate rose, Missouri officials "
                     "said. Missouri's rate grew faster than in Kentucky, and "
                     "the state of Missouri expects more.",
                     "Boone County", "US", "MO", ENR_GEO_ADM2);
}

/* A town and a county the article names that contain each other: the
 * one pair of those names where the town lies in the county, whatever
 * the bigger namesakes. */
Test(geo, town_in_a_county_the_article_names) {
        const char *paris = "Within the next week, all residents of Paris and "
                            "Henry County will be receiving a letter from the "
                            "rescue squad.";
        const char *hunts = "Two inmates escaped from a prison near Huntsville "
                            "on Sunday, the Walker County sheriff said.";

        expect_place(paris, "Paris", "US", "TN", ENR_GEO_PPL);
        expect_place(paris, "Henry County", "US", "TN", ENR_GEO_ADM2);
        expect_place(hunts, "Huntsville", "US", "TX", ENR_GEO_PPL);
        expect_place(hunts, "Walker County", "US", "TX", ENR_GEO_ADM2);
        /* A town named like a country, in a county the article names. */
        expect_place("A Lebanon man was arrested on Thursday. He had no prior "
                     "arrest record in Boone County, police said.",
                     "Lebanon", "US", "IN", ENR_GEO_PPL);
        /* Without the county: the bigger namesake. */
        expect_place("Two inmates escaped from a prison near Huntsville on "
                     "Sunday, the sheriff said.",
                     "Huntsville", "US", "AL", ENR_GEO_PPL);
}

/* One sense per discourse: the place in an organisation's name is the
 * place the article gave that name on its own. */
Test(geo, organisation_takes_its_towns_place) {
        const char *body = "The Arlington Chamber of Commerce met on Monday. "
                           "Officials in Arlington said the budget was tight.";

        /* On its own the chamber would need other places of the article
         * (another mention of Arlington is no evidence); it takes the
         * place the town's own name was given. */
        expect_place(body, "Arlington", "US", "TX", ENR_GEO_PPL);
        expect_place(body, "Arlington Chamber of Commerce", "US", "TX",
                     ENR_GEO_PPL);
}

/* A region named by its own city's name is the city when the city holds
 * a tenth or more of its people; a region by its people against a town
 * abroad. */
Test(geo, city_or_region_of_its_name) {
        expect_place("The bank opened a new office in Zurich on Monday.",
                     "Zurich", "CH", "ZH", ENR_GEO_PPL);
        expect_place("Snow closed roads across Quebec on Monday.", "Quebec",
                     "CA", "10", ENR_GEO_ADM1);
        /* Oklahoma City's own name is not Oklahoma. */
        expect_place("Storms hit Oklahoma on Monday.", "Oklahoma", "US", "OK",
                     ENR_GEO_ADM1);
        /* Nicaragua's Granada department gives way to its town, which is
         * smaller than Granada, Spain. */
        expect_place("Tourists crowded the Alhambra in Granada this summer.",
                     "Granada", "ES", "51", ENR_GEO_PPL);
}

/* Two towns' names joined: the first, where the two lie together. */
Test(geo, twin_towns) {
        expect_place("Unemployment in the Fargo-Moorhead area rose in March.",
                     "Fargo-Moorhead", "US", "ND", ENR_GEO_PPL);
}

Test(geo, town_named_like_a_country) {
        /* Lebanon, Indiana, among the article's Indiana places; the
         * country where nothing local surrounds the name. */
        expect_place("Lebanon schedules spring clean-up. The board of Boone "
                     "County met in Zionsville. Lebanon residents may take "
                     "part.",
                     "Lebanon", "US", "IN", ENR_GEO_PPL);
        expect_place("Rockets were fired from Lebanon into Israel, officials "
                     "in Jerusalem said.",
                     "Lebanon", "LB", NULL, ENR_GEO_PCLI);
        /* Indiana places alone are not enough: a country named in a
         * local story is still the country without a town's region and
         * neighbours both. */
        expect_place("A soldier from Indianapolis returned from Lebanon.",
                     "Lebanon", "LB", NULL, ENR_GEO_PCLI);
}

Test(geo, abbreviation_missing_its_period) {
        /* Not the French commune "Us". */
        expect_place("A Soyuz capsule carried a U.S billionaire to orbit.",
                     "U.S", "US", NULL, ENR_GEO_PCLI);
}

Test(geo, small_towns_named_like_better_known_places) {
        /* The region, not the Yorkshire village of Wales. */
        expect_place("England beat Wales at Twickenham as Leeds and "
                     "Sheffield fans watched.",
                     "Wales", "GB", "WLS", ENR_GEO_ADM1);
        /* The capital, not Washington, Pennsylvania, for all the
         * Pittsburgh in the story. */
        expect_place("Officials in Washington said Pittsburgh would get "
                     "the money.",
                     "Washington", "US", "DC", ENR_GEO_PPLC);
        /* Athens, Greece, not Athens, Illinois, beside Chicago. */
        expect_place("The team flew from Chicago to Athens for the games.",
                     "Athens", "GR", NULL, ENR_GEO_PPLC);
}

Test(geo, names_that_are_not_towns) {
        /* A holiday and a region no table holds: no town of the name. */
        cr_expect_null(place_of("Sales in the US rose before Christmas, "
                                "retailers in Orlando said.",
                                "Christmas"));
        cr_expect_null(place_of("Oil from the Middle East reached "
                                "Baltimore.",
                                "Middle East"));
}

Test(geo, a_list_is_not_a_qualifier) {
        /* "Kiev" after "Moscow, " names no region Moscow lies in. */
        expect_place("It hopes to start flights between New York and Moscow, "
                     "Kiev, Minsk and Riga next year.",
                     "Moscow", "RU", NULL, ENR_GEO_PPLC);
}

/* The article's web address: the town its site's name begins with is
 * the article's neighbourhood; its country-code domain, one mention of
 * its country. */
/* A country-code domain weighs like the gazetteer's country for a name:
 * a Canadian paper's "London" is London, Ontario; with no address, or a
 * British one, London is the capital. */
Test(geo, paper_country_over_famous_namesake) {
        static const char *const body =
            "Two artists sat in a store window in downtown London on "
            "Saturday to mark the anniversary of the bed-in.";

        expect_place_url("http://lfpress.ca/newsstand/News/Local/1.html", body,
                         "London", "CA", "08", ENR_GEO_PPL);
        expect_place_url("https://www.bbc.co.uk/news/1", body, "London", "GB",
                         "ENG", ENR_GEO_PPLC);
        expect_place(body, "London", "GB", "ENG", ENR_GEO_PPLC);
}

Test(geo, where_the_article_is_from) {
        const char *dublin    = "The Dublin school board approved a new budget "
                                "on Monday. Dublin residents will vote on the "
                                "levy in May.";
        const char *hamilton  = "Council members in Hamilton approved the new "
                                "budget on Tuesday after a long debate.";
        const char *tripoli   = "Fighting broke out in Tripoli on Sunday, "
                                "officials said.";
        const char *hopkinton = "Hopkinton police said the fire started in a "
                                "barn on Tuesday. Hopkinton residents helped.";

        expect_place(dublin, "Dublin", "IE", NULL, ENR_GEO_PPLC);
        expect_place_url("https://www.columbusherald.com/news/2009/03/18/a1",
                         dublin, "Dublin", "US", "OH", ENR_GEO_PPL);
        /* Host names in any case, a port, user and query. */
        expect_place_url("HTTP://reader@COLUMBUSHERALD.COM:8080?id=7", dublin,
                         "Dublin", "US", "OH", ENR_GEO_PPL);
        expect_place(hamilton, "Hamilton", "CA", "08", ENR_GEO_PPL);
        expect_place_url("https://www.nzherald.co.nz/nz/a1", hamilton,
                         "Hamilton", "NZ", NULL, ENR_GEO_PPL);
        expect_place(tripoli, "Tripoli", "LY", NULL, ENR_GEO_PPLC);
        /* The site under a country's second-level domain ("co.uk"). */
        expect_place_url("http://www.thisisoxfordshire.co.uk/news/a1", hamilton,
                         "Hamilton", "GB", NULL, ENR_GEO_PPL);
        expect_place_url("http://www.columbusherald.co.uk/news/a1", dublin,
                         "Dublin", "US", "OH", ENR_GEO_PPL);
        /* The paper's country weighs like the gazetteer's country for
         * the name: a Lebanese paper's Tripoli is Lebanon's, not the
         * capital of Libya. */
        expect_place_url("http://www.dailystar.com.lb/News/Local-News/a1",
                         tripoli, "Tripoli", "LB", NULL, ENR_GEO_PPL);
        /* A town named by a common word, before a newspaper's word
         * ("concord" + "monitor"); alone, no hint. */
        expect_place_url("https://www.concordmonitor.com/a1", hopkinton,
                         "Hopkinton", "US", "NH", ENR_GEO_PPL);
        cr_expect_null(
            place_of_url(hopkinton, "https://www.concord.com/a1", "Hopkinton"));
        cr_expect_null(place_of_url(hopkinton, NULL, "Hopkinton"));
        /* No hint: generic two-letter domains, addresses without a host;
         * a town far from the name's namesakes is no neighbourhood. */
        expect_place_url("https://bit.ly/3xY", tripoli, "Tripoli", "LY", NULL,
                         ENR_GEO_PPLC);
        expect_place_url("http://127.0.0.1:8080/a", tripoli, "Tripoli", "LY",
                         NULL, ENR_GEO_PPLC);
        expect_place_url("not a web address", dublin, "Dublin", "IE", NULL,
                         ENR_GEO_PPLC);
        expect_place_url("", dublin, "Dublin", "IE", NULL, ENR_GEO_PPLC);
        expect_place_url("https://www.bostonglobe.com/metro/a1", dublin,
                         "Dublin", "IE", NULL, ENR_GEO_PPLC);
}

/* Names opened by a particle, written joined or apart: GeoNames' "De Soto
 * Parish" is the "DeSoto Parish" of local papers, and its town Mansfield
 * is then the one in Louisiana. */
Test(geo, particle_joined_or_apart) {
        const char *body = "The DeSoto Parish Police Jury met on Monday. "
                           "Mansfield police said the new jail would open "
                           "in May.";

        expect_in_name(body, "DeSoto Parish Police Jury", "DeSoto Parish",
                       "LA");
        expect_place(body, "Mansfield", "US", "LA", ENR_GEO_PPL);
        expect_place("Rain is expected in De Kalb and Sycamore on Sunday.",
                     "De Kalb", "US", "IL", ENR_GEO_PPL);
}

/* "City" after a town's name in an organisation's is part of the place's
 * name only when "X City" names a place X does not ("Kansas City"); else
 * the place is the town X, whichever the article says ("Springfield City
 * Council" beside Dayton is Ohio's, though only Springfield,
 * Massachusetts, is also called "Springfield City"). */
Test(geo, city_after_a_towns_name) {
        expect_in_name("The Springfield City Council met on Monday. Dayton "
                       "officials and Ohio lawmakers attended.",
                       "Springfield City Council", "Springfield", "OH");
        /* "Dublin City" by itself is Dublin too, so it is no evidence
         * for Dublin, Ireland, in a Columbus paper. */
        expect_place_url("https://www.columbusherald.com/a1",
                         "Dublin City will pave the road, the council said. "
                         "Dublin residents will vote on the levy in May.",
                         "Dublin", "US", "OH", ENR_GEO_PPL);
        expect_in_name("Kansas City Power & Light raised its rates in "
                       "Missouri on Monday.",
                       "Kansas City Power & Light", "Kansas City", NULL);
}

/* "City of Richmond" (Virginia's county-equivalent by that name) is no
 * other place than Richmond, so it does not contain it: the Richmond in
 * the Madison County the article names is Kentucky's. */
Test(geo, city_of_a_town_is_the_town) {
        expect_place("The City of Richmond will repave the road, officials "
                     "said. Richmond police took the man to the Madison "
                     "County Detention Center.",
                     "Richmond", "US", "KY", ENR_GEO_PPL);
}

/* "Metro Vancouver", "Greater Vancouver": Vancouver, with its country's
 * support. */
Test(geo, metro_and_greater) {
        expect_place("Home prices in Metro Vancouver fell, the Canadian "
                     "Real Estate Association said.",
                     "Metro Vancouver", "CA", "02", ENR_GEO_PPL);
}

Test(geo, fold_and_distance) {
        char out[32];

        cr_expect_eq(enr__geo_fold("St. Louis", 9, out, sizeof(out)), 8u);
        cr_expect_str_eq(out, "st louis");
        cr_expect_eq(enr__geo_fold("Winston-Salem", 13, out, sizeof(out)), 13u);
        cr_expect_str_eq(out, "winston salem");
        cr_expect_eq(enr__geo_fold("a very long name indeed", 23, out, 8), 0u);
        cr_expect(fabs(enr_geo_distance_km(48.8566, 2.3522, 51.5074, -0.1278) -
                       343.5) < 2.0);
        cr_expect_eq(enr_geo_distance_km(10, 20, 10, 20), 0.0);
}

/* Loads buf[0..n) as a table file through enr_geo_new(); expects a
 * refusal whose message contains why. */
static void expect_refused(const unsigned char *buf, size_t n,
                           const char *why) {
        char       path[64], err[512] = "";
        FILE      *fp;
        int        fd;
        enr_geo_t *g;

        snprintf(path, sizeof(path), "/tmp/enr-unit-geo-XXXXXX");
        fd = mkstemp(path);
        cr_assert(fd >= 0);
        fp = fdopen(fd, "wb");
        cr_assert_not_null(fp);
        cr_assert_eq(fwrite(buf, 1, n, fp), n);
        fclose(fp);
        g = enr_geo_new(NULL, path, NULL, err, sizeof(err));
        unlink(path);
        cr_expect_null(g, "a table with %s was accepted", why);
        enr_geo_destroy(g);
        cr_expect(strstr(err, why) != NULL, "error \"%s\" lacks \"%s\"", err,
                  why);
}

Test(geo, corrupt_table_refused) {
        char           path[4096], err[256];
        size_t         n;
        unsigned char *buf;
        enr_geo_t     *g;

        snprintf(path, sizeof(path), "%s/%s", ENR_RESOURCE_DIR,
                 ENR_GEO_DEFAULT_FILE);
        buf = (unsigned char *)unit_read_file(path, &n);
        g   = enr__geo_parse(buf, n, err, sizeof(err));
        cr_assert_not_null(g, "%s", err);
        cr_expect_gt(enr_geo_count(g), 100000u);
        enr_geo_destroy(g);

        buf[n / 2] ^= 0x40;
        expect_refused(buf, n, "checksum");
        buf[n / 2] ^= 0x40;
        expect_refused(buf, n - 100, "checksum");
        expect_refused(buf, 10, "bad magic");
        /* A place whose county is past the last county. */
        {
                unsigned char *r = buf + GEO_HEADER_SIZE;
                uint32_t       crc;
                r[22] = r[23] = 0xff;
                crc           = enr_crc32(buf, n - 4);
                for (int k = 0; k < 4; k++)
                        buf[n - 4 + (size_t)k] =
                            (unsigned char)(crc >> (8 * k));
                expect_refused(buf, n, "place 0 is malformed");
        }
        buf[0] = 'X';
        expect_refused(buf, n, "bad magic");
        free(buf);

        cr_expect_null(enr_geo_new(NULL, "/nonexistent/places.bin", NULL, err,
                                   sizeof(err)));
        cr_expect(strstr(err, "/nonexistent/places.bin") != NULL);
}

/*
 * enr_geo_retype_places() on hand-made PERSON mentions: the tagger's
 * reading of a lone town name as a surname.
 */
static enr_gazetteer_t *rgaz;
static enr_geo_t       *rgeo;
static enr_text_t       rtitle, rbody;
static enr_mentions_t   rms;
static enr_entities_t   rents;
static enr_fields_t     rfields;

static void rsetup(void) {
        char err[256] = "";

        rgaz = unit_gazetteer();
        rgeo = enr_geo_new(ENR_RESOURCE_DIR, NULL, rgaz, err, sizeof(err));
        cr_assert_not_null(rgeo, "%s", err);
        unit_article_init(&rtitle, &rbody, &rms, &rents, &rfields);
}

static void rteardown(void) {
        unit_article_clear(&rtitle, &rbody, &rms, &rents);
        enr_geo_destroy(rgeo);
        enr_gazetteer_destroy(rgaz);
}

TestSuite(geo_retype, .init = rsetup, .fini = rteardown);

/* The type body's word (every occurrence a mention of type from) ends
 * up with. */
static enr_ent_type_t retyped_from(enr_ent_type_t from, const char *body,
                                   const char *word) {
        const char *p = body;

        enr_mentions_reset(&rms);
        unit_article_texts(&rtitle, &rbody, "", body);
        while ((p = strstr(p, word)) != NULL) {
                enr_mention_t *m = enr_mentions_push(
                    &rms, ENR_FIELD_BODY, (uint32_t)(p - body),
                    (uint32_t)(p - body + strlen(word)), from, 0);
                cr_assert_not_null(m);
                m->score = 0.8f;
                p += strlen(word);
        }
        cr_assert_eq(enr_entities_build(&rents, &rms, &rfields), ENR_OK);
        cr_assert_eq(enr_geo_retype_places(rgeo, &rents, &rms, &rfields, NULL),
                     ENR_OK);
        cr_assert_eq(rents.n, 1u);
        for (size_t i = 0; i < rms.n; i++)
                cr_assert_eq(rms.v[i].type, rents.v[0].type);
        return (enr_ent_type_t)rents.v[0].type;
}

static enr_ent_type_t retyped(const char *body, const char *word) {
        return retyped_from(ENR_ENT_PERSON, body, word);
}

Test(geo_retype, towns_where_places_stand) {
        cr_expect_eq(retyped("An 80-year-old woman was killed in Arlington.",
                             "Arlington"),
                     ENR_ENT_GPE);
        cr_expect_eq(retyped("Christopher Bowers, 19, of Cottonport, was held.",
                             "Cottonport"),
                     ENR_ENT_GPE);
        cr_expect_eq(
            retyped("He rode from his hometown of Norman, Okla. to D.C.",
                    "Norman"),
            ENR_ENT_GPE);
        /* A given name stays a person, whatever the cue. */
        cr_expect_eq(retyped("Officials in Madison said so.", "Madison"),
                     ENR_ENT_PERSON);
        cr_expect_eq(
            retyped("A Danbury stonework mason was arraigned.", "Danbury"),
            ENR_ENT_GPE);
        cr_expect_eq(retyped("The Torrington police responded.", "Torrington"),
                     ENR_ENT_GPE);
        cr_expect_eq(
            retyped("Greer, South Carolina offers small-town charm.", "Greer"),
            ENR_ENT_GPE);
        /* Two words, when towns alone bear the name. */
        cr_expect_eq(retyped("The fire started in Rock Hill.", "Rock Hill"),
                     ENR_ENT_GPE);
        cr_expect_eq(
            retyped("He met her in Paris Hilton's suite.", "Paris Hilton"),
            ENR_ENT_PERSON);
}

/* The type a one-word PERSON name ends up with beside an organisation
 * named by it and one more word: "Henderson" beside the "Henderson
 * Police Department" is the town; beside "Henderson Associates" a
 * person. */
static enr_ent_type_t retyped_beside(const char *org_word) {
        char           body[160];
        const char    *org;
        enr_mention_t *x;

        snprintf(body, sizeof(body),
                 "Henderson has money for the range, said a spokesman for "
                 "the Henderson %s.",
                 org_word);
        org = strstr(body + 1, "Henderson");
        enr_mentions_reset(&rms);
        unit_article_texts(&rtitle, &rbody, "", body);
        x = enr_mentions_push(&rms, ENR_FIELD_BODY, 0, 9, ENR_ENT_PERSON, 0);
        cr_assert_not_null(x);
        x->score = 0.8f;
        x = enr_mentions_push(&rms, ENR_FIELD_BODY, (uint32_t)(org - body),
                              (uint32_t)(strlen(body) - 1), ENR_ENT_ORG, 0);
        cr_assert_not_null(x);
        x->score = 0.8f;
        cr_assert_eq(enr_entities_build(&rents, &rms, &rfields), ENR_OK);
        cr_assert_eq(enr_geo_retype_places(rgeo, &rents, &rms, &rfields, NULL),
                     ENR_OK);
        cr_assert_eq(rents.n, 2u);
        for (size_t i = 0; i < rents.n; i++)
                if (rents.v[i].end - rents.v[i].start == 9)
                        return (enr_ent_type_t)rents.v[i].type;
        cr_assert_fail("no entity \"Henderson\"");
        return ENR_ENT_PERSON;
}

Test(geo_retype, town_named_by_its_institutions) {
        cr_expect_eq(retyped_beside("Police Department"), ENR_ENT_GPE);
        cr_expect_eq(retyped_beside("Fire Department"), ENR_ENT_GPE);
        cr_expect_eq(retyped_beside("Associates"), ENR_ENT_PERSON);
}

/* A name the tagger cut before its "County" is the county. */
static const enr_place_t *hand_place(enr_geo_scratch_t *gs, const char *body,
                                     const char *word, enr_ent_type_t type);

Test(geo_retype, name_cut_before_county) {
        const char *const body =
            "Richmond County investigators said the fire in Augusta, Ga., was "
            "set.";
        enr_geo_scratch_t *gs = enr_geo_scratch_new(rgeo);
        const enr_place_t *p;
        enr_mention_t     *x;

        cr_assert_not_null(gs);
        enr_mentions_reset(&rms);
        unit_article_texts(&rtitle, &rbody, "", body);
        x = enr_mentions_push(&rms, ENR_FIELD_BODY, 0, 8, ENR_ENT_ORG, 0);
        cr_assert_not_null(x);
        x->score = 0.8f;
        x        = enr_mentions_push(
                   &rms, ENR_FIELD_BODY, (uint32_t)(strstr(body, "Augusta") - body),
                   (uint32_t)(strstr(body, "Augusta") - body + 7), ENR_ENT_GPE, 0);
        cr_assert_not_null(x);
        x->score = 0.8f;
        cr_assert_eq(enr_entities_build(&rents, &rms, &rfields), ENR_OK);
        cr_assert_eq(enr_geo_resolve(rgeo, gs, &rents, &rms, &rfields, NULL, 0,
                                     NULL, NULL),
                     ENR_OK);
        p = enr_geo_place(gs, 0);
        cr_assert_not_null(p);
        cr_expect_eq(p->feature, ENR_GEO_ADM2);
        cr_expect_str_eq(p->admin1, "GA");
        /* A name the gazetteer calls a country too: the county
         * ("Guernsey" of "Guernsey County", Ohio). */
        p = hand_place(gs, "Guernsey County deputies said the road was closed.",
                       "Guernsey", ENR_ENT_GPE);
        cr_assert_not_null(p);
        cr_expect_eq(p->feature, ENR_GEO_ADM2);
        cr_expect_str_eq(p->country, "US");
        cr_expect_str_eq(p->admin1, "OH");
        enr_geo_scratch_destroy(gs);
}

Test(geo_retype, people_stay_people) {
        /* No place cue: a footballer, a band, a possessive. */
        cr_expect_eq(
            retyped("A half-break from Paterson sparked them.", "Paterson"),
            ENR_ENT_PERSON);
        cr_expect_eq(
            retyped("She and members of Abba, the band, sang.", "Abba"),
            ENR_ENT_PERSON);
        cr_expect_eq(
            retyped("The award was given in Anderson's hometown.", "Anderson"),
            ENR_ENT_PERSON);
        /* A common word ("a Kilo of plutonium") is not a town. */
        cr_expect_eq(
            retyped("A Kilo of plutonium will flatten a city.", "Kilo"),
            ENR_ENT_PERSON);
}

/* A town's name the tagger took for an organisation or a people becomes a
 * place only where nothing but a town fits: residents, police, a mayor, a
 * state after a comma; "in" is said of companies too. */
Test(geo_retype, organisations_and_peoples_named_as_towns) {
        cr_expect_eq(retyped_from(ENR_ENT_ORG,
                                  "About 55 Gainesville residents marched.",
                                  "Gainesville"),
                     ENR_ENT_GPE);
        cr_expect_eq(retyped_from(ENR_ENT_ORG,
                                  "A Gainesville man was arrested Saturday.",
                                  "Gainesville"),
                     ENR_ENT_GPE);
        cr_expect_eq(retyped_from(ENR_ENT_NORP,
                                  "Olin Wethington of McLean, Virginia, and "
                                  "his son survive her.",
                                  "McLean"),
                     ENR_ENT_GPE);
        cr_expect_eq(retyped_from(ENR_ENT_ORG,
                                  "Shanda has bought a 20% stake in Sina.",
                                  "Sina"),
                     ENR_ENT_ORG);
        cr_expect_eq(
            retyped_from(ENR_ENT_ORG, "Sina officials said so.", "Sina"),
            ENR_ENT_ORG);
        /* A people's name after "in" where a phrase ends; not "in
         * Olympic year" (Olympic is a town of Hong Kong). */
        cr_expect_eq(retyped_from(ENR_ENT_NORP,
                                  "The mayoral election in Sochi, which is "
                                  "in May, drew 22 candidates.",
                                  "Sochi"),
                     ENR_ENT_GPE);
        cr_expect_eq(retyped_from(ENR_ENT_NORP,
                                  "Her form in Olympic year was poor.",
                                  "Olympic"),
                     ENR_ENT_NORP);
        /* A country's name is its people or state, never retyped here. */
        cr_expect_eq(
            retyped_from(ENR_ENT_ORG, "Jordan residents voted.", "Jordan"),
            ENR_ENT_ORG);
}

Test(geo_retype, party_letter_and_home_town) {
        const enr_entity_t *en;

        cr_expect_eq(
            retyped("said Rep. Carrie Webster, D-Charleston, on Monday.",
                    "D-Charleston"),
            ENR_ENT_GPE);
        en = &rents.v[0];
        cr_expect_eq(en->end - en->start, strlen("Charleston"));
        cr_expect(!memcmp(rbody.s + en->start, "Charleston", 10));
        cr_expect_eq(rms.v[0].start, en->start);
        /* Not a place after the letter: left alone. */
        cr_expect_eq(retyped("said Sen. Jo Bloggs, R-Xqzville, on Monday.",
                             "R-Xqzville"),
                     ENR_ENT_PERSON);
}

/* The mentions enr_geo_split_pairs() leaves of body's word, one mention
 * of type, written "TYPE:text:code" each, space-separated, into out. */
static void split_of(const char *body, const char *word, enr_ent_type_t type,
                     char *out, size_t cap) {
        const char    *p = strstr(body, word);
        enr_mention_t *m;
        size_t         n = 0, split = 9;

        cr_assert_not_null(p);
        enr_mentions_reset(&rms);
        unit_article_texts(&rtitle, &rbody, "", body);
        m = enr_mentions_push(&rms, ENR_FIELD_BODY, (uint32_t)(p - body),
                              (uint32_t)(p - body + strlen(word)), type, 0);
        cr_assert_not_null(m);
        cr_assert_eq(enr_geo_split_pairs(rgeo, &rms, &rfields, 0, &split),
                     ENR_OK);
        cr_assert_eq(split, rms.n - 1);
        out[0] = '\0';
        for (size_t i = 0; i < rms.n; i++)
                n += (size_t)snprintf(
                    out + n, cap - n, "%s%s:%.*s:%s", i ? " " : "",
                    enr_ent_type_name((enr_ent_type_t)rms.v[i].type),
                    (int)(rms.v[i].end - rms.v[i].start), body + rms.v[i].start,
                    rms.v[i].code);
}

Test(geo_retype, pairs_of_places_split) {
        char out[128];

        split_of("The US-China talks began.", "US-China", ENR_ENT_NORP, out,
                 sizeof(out));
        cr_expect_str_eq(out, "GPE:US:US GPE:China:CN");
        split_of("Israeli-Egyptian relations improved.", "Israeli-Egyptian",
                 ENR_ENT_NORP, out, sizeof(out));
        cr_expect_str_eq(out, "NORP:Israeli:IL NORP:Egyptian:EG");
        split_of("A London-Frankfurt flight.", "London-Frankfurt", ENR_ENT_LOC,
                 out, sizeof(out));
        cr_expect_str_eq(out, "GPE:London:GB GPE:Frankfurt:DE");
        /* An organisation by its capitals beside a country. */
        split_of("EU-Israel relations improved.", "EU-Israel", ENR_ENT_NORP,
                 out, sizeof(out));
        cr_expect_str_eq(out, "ORG:EU: GPE:Israel:IL");
}

/* No room for the second mention under the article's limit: the pair
 * stays whole, and that is no error. */
Test(geo_retype, pair_left_whole_at_the_mention_limit) {
        size_t split = 9;

        enr_mentions_reset(&rms);
        unit_article_texts(&rtitle, &rbody, "", "US-China talks.");
        cr_assert_not_null(
            enr_mentions_push(&rms, ENR_FIELD_BODY, 0, 8, ENR_ENT_NORP, 0));
        cr_assert_eq(enr_geo_split_pairs(rgeo, &rms, &rfields, 1, &split),
                     ENR_OK);
        cr_expect_eq(split, 0u);
        cr_expect_eq(rms.n, 1u);
        cr_expect_eq(rms.v[0].end, 8u);
        cr_expect_eq(rms.v[0].type, ENR_ENT_NORP);
        /* With room, it splits. */
        cr_assert_eq(enr_geo_split_pairs(rgeo, &rms, &rfields, 2, &split),
                     ENR_OK);
        cr_expect_eq(split, 1u);
        cr_expect_eq(rms.n, 2u);
}

Test(geo_retype, names_with_a_hyphen_stay_whole) {
        char out[128];

        /* Names of their own: a city, a country, a county. */
        split_of("Winston-Salem is in North Carolina.", "Winston-Salem",
                 ENR_ENT_GPE, out, sizeof(out));
        cr_expect_str_eq(out, "GPE:Winston-Salem:");
        split_of("He flew to Guinea-Bissau.", "Guinea-Bissau", ENR_ENT_GPE, out,
                 sizeof(out));
        cr_expect_str_eq(out, "GPE:Guinea-Bissau:");
        split_of("Miami-Dade police said.", "Miami-Dade", ENR_ENT_LOC, out,
                 sizeof(out));
        cr_expect_str_eq(out, "LOC:Miami-Dade:");
        /* One people; a double-barrelled surname; an organisation. */
        split_of("An Irish-American family.", "Irish-American", ENR_ENT_NORP,
                 out, sizeof(out));
        cr_expect_str_eq(out, "NORP:Irish-American:");
        split_of("Simpson-Daniel scored.", "Simpson-Daniel", ENR_ENT_LOC, out,
                 sizeof(out));
        cr_expect_str_eq(out, "LOC:Simpson-Daniel:");
        split_of("Kimberly-Clark shares rose.", "Kimberly-Clark", ENR_ENT_ORG,
                 out, sizeof(out));
        cr_expect_str_eq(out, "ORG:Kimberly-Clark:");
        /* Two organisations' capitals: one name ("AFL-CIO"). */
        split_of("The NATO-EU meeting ended.", "NATO-EU", ENR_ENT_NORP, out,
                 sizeof(out));
        cr_expect_str_eq(out, "NORP:NATO-EU:");
}

/* The place enr_geo_resolve() gives body's word, a mention of type. */
static const enr_place_t *hand_place(enr_geo_scratch_t *gs, const char *body,
                                     const char *word, enr_ent_type_t type) {
        const char    *p = strstr(body, word);
        enr_mention_t *m;

        cr_assert_not_null(p);
        enr_mentions_reset(&rms);
        unit_article_texts(&rtitle, &rbody, "", body);
        m = enr_mentions_push(&rms, ENR_FIELD_BODY, (uint32_t)(p - body),
                              (uint32_t)(p - body + strlen(word)), type, 0);
        cr_assert_not_null(m);
        m->score = 0.9f;
        cr_assert_eq(enr_entities_build(&rents, &rms, &rfields), ENR_OK);
        cr_assert_eq(enr_geo_resolve(rgeo, gs, &rents, &rms, &rfields, NULL, 0,
                                     NULL, NULL),
                     ENR_OK);
        return enr_geo_place(gs, 0);
}

/* A NORP entity of no country (the tagger's) that names a town holds
 * that town's place, as an organisation's name does. */
Test(geo_retype, people_of_no_country_named_as_towns) {
        enr_geo_scratch_t *gs = enr_geo_scratch_new(rgeo);
        const enr_place_t *p;

        cr_assert_not_null(gs);
        p = hand_place(gs, "Rain fell on New Concord, Ohio, on Monday.",
                       "New Concord", ENR_ENT_NORP);
        cr_assert_not_null(p);
        cr_expect_str_eq(p->country, "US");
        cr_expect_str_eq(p->admin1, "OH");
        p = hand_place(gs, "Two men from Godfrey, Ill., were hurt.", "Godfrey",
                       ENR_ENT_NORP);
        cr_assert_not_null(p);
        cr_expect_str_eq(p->admin1, "IL");
        /* Shaped like a people's name or an adjective: none. */
        cr_expect_null(hand_place(gs, "The Olympic, Hong Kong, team won.",
                                  "Olympic", ENR_ENT_NORP));
        enr_geo_scratch_destroy(gs);
}

Test(geo_retype, names_joined_to_lower_case_words) {
        enr_geo_scratch_t *gs = enr_geo_scratch_new(rgeo);
        const enr_place_t *p;

        cr_assert_not_null(gs);
        p = hand_place(gs, "The U.S.-led coalition struck.", "U.S.-led",
                       ENR_ENT_NORP);
        cr_assert_not_null(p);
        cr_expect_str_eq(p->country, "US");
        cr_expect_eq(p->feature, ENR_GEO_PCLI);
        p = hand_place(gs, "Shelling hit Georgian-controlled villages.",
                       "Georgian-controlled", ENR_ENT_NORP);
        cr_assert_not_null(p);
        cr_expect_str_eq(p->country, "GE");
        p = hand_place(gs, "Talks on non-Russians began.", "non-Russians",
                       ENR_ENT_NORP);
        cr_assert_not_null(p);
        cr_expect_str_eq(p->country, "RU");
        /* A hyphenated place name keeps its hyphen. */
        p = hand_place(gs, "Police in Winston-Salem said so.", "Winston-Salem",
                       ENR_ENT_GPE);
        cr_assert_not_null(p);
        cr_expect_str_eq(p->admin1, "NC");
        enr_geo_scratch_destroy(gs);
}

/* The English spelling of a town GeoNames names by its transliteration
 * ("Janīn"): one of its alternates, kept in the table. */
Test(geo_retype, english_spelling_of_a_transliterated_name) {
        enr_geo_scratch_t *gs = enr_geo_scratch_new(rgeo);
        const enr_place_t *p;

        cr_assert_not_null(gs);
        p = hand_place(gs, "Troops entered Jenin at dawn.", "Jenin",
                       ENR_ENT_GPE);
        cr_assert_not_null(p);
        cr_expect_str_eq(p->country, "PS");
        cr_expect_eq(p->geonameid, 283506u);
        enr_geo_scratch_destroy(gs);
}

Test(geo_retype, organisation_opened_by_a_country) {
        enr_geo_scratch_t *gs = enr_geo_scratch_new(rgeo);
        const enr_place_t *p;

        cr_assert_not_null(gs);
        p = hand_place(gs, "The Canadian Coast Guard said so.",
                       "Canadian Coast Guard", ENR_ENT_ORG);
        cr_assert_not_null(p);
        cr_expect_str_eq(p->country, "CA");
        cr_expect_eq(p->feature, ENR_GEO_PCLI);
        p = hand_place(gs, "The U.S. Department of Labor said so.",
                       "U.S. Department of Labor", ENR_ENT_ORG);
        cr_assert_not_null(p);
        cr_expect_str_eq(p->country, "US");
        /* A party's people are not a country's. */
        cr_expect_null(hand_place(gs, "The Conservative Party said so.",
                                  "Conservative Party", ENR_ENT_ORG));
        /* The tagger's people, areas and facilities so named too
         * ("American Legion", "U.S. Fish"), and a region's people: the
         * region ("Scottish Parliament"). */
        p = hand_place(gs, "The American Legion met on Monday.",
                       "American Legion", ENR_ENT_NORP);
        cr_assert_not_null(p);
        cr_expect_str_eq(p->country, "US");
        cr_expect_eq(p->feature, ENR_GEO_PCLI);
        p = hand_place(gs, "The U.S. Fish and Wildlife Service said so.",
                       "U.S. Fish", ENR_ENT_LOC);
        cr_assert_not_null(p);
        cr_expect_str_eq(p->country, "US");
        p = hand_place(gs, "The Scottish Parliament voted on Monday.",
                       "Scottish Parliament", ENR_ENT_ORG);
        cr_assert_not_null(p);
        cr_expect_str_eq(p->admin1, "SCT");
        cr_expect_eq(p->feature, ENR_GEO_ADM1);
        /* A GPE not known by its whole name is read the same way ("Arts
         * Center of Cannon County", "Oakport Township"); a country's
         * longer name stays whole ("Czech Republic"). */
        {
                static const char *const body =
                    "The Arts Center of Cannon County opened in Tennessee.";
                enr_mention_t *x;
                enr_mentions_reset(&rms);
                unit_article_texts(&rtitle, &rbody, "", body);
                x = enr_mentions_push(&rms, ENR_FIELD_BODY, 4, 32, ENR_ENT_GPE,
                                      0);
                cr_assert_not_null(x);
                x->score = 0.9f;
                x = enr_mentions_push(&rms, ENR_FIELD_BODY, 43, 52, ENR_ENT_GPE,
                                      0);
                cr_assert_not_null(x);
                x->score = 0.9f;
                cr_assert_eq(enr_entities_build(&rents, &rms, &rfields),
                             ENR_OK);
                cr_assert_eq(enr_geo_resolve(rgeo, gs, &rents, &rms, &rfields,
                                             NULL, 0, NULL, NULL),
                             ENR_OK);
                p = enr_geo_place(gs, 0);
                cr_assert_not_null(p);
                cr_expect_eq(p->feature, ENR_GEO_ADM2);
                cr_expect_str_eq(p->admin1, "TN");
        }
        {
                uint32_t a, b;
                p = hand_place(gs, "The Czech Republic joined in 2004.",
                               "Czech Republic", ENR_ENT_GPE);
                cr_assert_not_null(p);
                cr_expect_str_eq(p->country, "CZ");
                cr_expect_not(enr_geo_place_span(gs, 0, &a, &b));
        }
        /* Americans of another people's origin are a people of the US;
         * a sea or ocean a people's name opens is no country. */
        cr_expect_null(hand_place(gs, "Irish Americans marched on Sunday.",
                                  "Irish Americans", ENR_ENT_NORP));
        cr_expect_null(hand_place(gs, "Ships crossed the English Channel.",
                                  "English Channel", ENR_ENT_LOC));
        cr_expect_null(hand_place(gs, "Ships crossed the Indian Ocean.",
                                  "Indian Ocean", ENR_ENT_LOC));
        enr_geo_scratch_destroy(gs);
}

Test(geo, counties_in_a_list) {
        /* "Madison", a given name, and "Clarke" are Georgia's counties
         * here; "Indiana counties" is not a list of counties. */
        expect_place("The unemployment rate for the metro area - Clarke, "
                     "Madison, Oconee and Oglethorpe counties - rose.",
                     "Clarke", "US", "GA", ENR_GEO_ADM2);
}
