/*
 * Unit tests of langid.c with the shipped model: scripts and their names,
 * two dozen languages in short news-like sentences written for this test
 * (including the hard pairs nb/nn/da, bs/hr/sr, id/ms, ru/uk/bg/mk),
 * "und" on digits and punctuation, the confidence range, title + body,
 * robustness to invalid UTF-8, knows()/count()/code(), load errors, and the
 * second stage for close pairs (its tables, their parser and their errors).
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "enricher/common.h"
#include "enricher/langid.h"
#include "langid_int.h"

static enr_langid_t *lid;

static void setup(void) {
        char err[256];

        lid = enr_langid_new(ENR_RESOURCE_DIR, NULL, err, sizeof(err));
        cr_assert_not_null(lid, "%s", err);
}

static void teardown(void) {
        enr_langid_destroy(lid);
}

TestSuite(langid, .init = setup, .fini = teardown);

static enr_lang_guess_t guess(const char *title, const char *body) {
        enr_lang_guess_t g;

        memset(&g, 0x55, sizeof(g));
        enr_langid_detect(lid, title, title ? strlen(title) : 0, body,
                          body ? strlen(body) : 0, &g);
        cr_assert(g.confidence >= 0 && g.confidence <= 1, "confidence %g",
                  g.confidence);
        return g;
}

static void expect(const char *text, const char *code, const char *script) {
        enr_lang_guess_t g = guess(NULL, text);

        cr_expect_str_eq(g.code, code, "%s: got %s (%.3f)", text, g.code,
                         g.confidence);
        cr_expect_str_eq(g.script, script, "%s: script %s", text, g.script);
}

Test(langid, latin_languages) {
        expect("The government announced on Tuesday that the new railway "
               "line will open next spring.",
               "en", "Latn");
        expect("Die Regierung hat am Dienstag angekündigt, dass die neue "
               "Bahnstrecke im Frühjahr eröffnet wird.",
               "de", "Latn");
        expect("Le gouvernement a annoncé mardi que la nouvelle ligne de "
               "chemin de fer ouvrira au printemps.",
               "fr", "Latn");
        expect("El gobierno anunció el martes que la nueva línea de "
               "ferrocarril se abrirá en primavera.",
               "es", "Latn");
        expect("O governo anunciou na terça-feira que a nova linha "
               "ferroviária será inaugurada na primavera.",
               "pt", "Latn");
        expect("Il governo ha annunciato martedì che la nuova linea "
               "ferroviaria sarà aperta in primavera.",
               "it", "Latn");
        expect("De regering heeft dinsdag aangekondigd dat de nieuwe "
               "spoorlijn in het voorjaar opengaat.",
               "nl", "Latn");
        expect("Rząd ogłosił we wtorek, że nowa linia kolejowa zostanie "
               "otwarta wiosną.",
               "pl", "Latn");
        expect("Hükümet salı günü yeni demiryolu hattının ilkbaharda "
               "açılacağını duyurdu.",
               "tr", "Latn");
        expect("Chính phủ thông báo hôm thứ Ba rằng tuyến đường sắt mới "
               "sẽ mở cửa vào mùa xuân.",
               "vi", "Latn");
}

Test(langid, hard_pairs) {
        expect("Jeg vet ikke hva vi skal gjøre nå, men regjeringen har "
               "sagt at skolene blir stengt.",
               "nb", "Latn");
        expect("Eg veit ikkje kva vi skal gjere no, men regjeringa har "
               "sagt at skulane blir stengde.",
               "nn", "Latn");
        expect("Jeg ved ikke, hvad vi skal gøre nu, men regeringen har "
               "sagt, at skolerne bliver lukket.",
               "da", "Latn");
        expect("Pemerintah mengumumkan pada hari Selasa bahwa jalur kereta "
               "api baru akan segera dibuka.",
               "id", "Latn");
        expect("Kerajaan mengumumkan pada hari Selasa bahawa laluan kereta "
               "api baharu akan dibuka tidak lama lagi.",
               "ms", "Latn");
        expect("Vlada je u utorak objavila da će nova željeznička pruga "
               "biti otvorena sljedećeg tjedna.",
               "hr", "Latn");
        expect("Влада је у уторак саопштила да ће нова пруга бити "
               "отворена следеће недеље.",
               "sr", "Cyrl");
        expect("Владата во вторникот објави дека новата пруга ќе биде "
               "отворена следната недела.",
               "mk", "Cyrl");
        expect("Правительство объявило во вторник, что новая железная "
               "дорога откроется весной.",
               "ru", "Cyrl");
        expect("Уряд оголосив у вівторок, що нова залізниця відкриється "
               "навесні.",
               "uk", "Cyrl");
        expect("Правителството обяви във вторник, че новата железница ще "
               "бъде открита през пролетта.",
               "bg", "Cyrl");
}

Test(langid, other_scripts) {
        expect("أعلنت الحكومة يوم الثلاثاء أن خط السكك الحديدية الجديد "
               "سيفتتح في الربيع.",
               "ar", "Arab");
        /* Persian, with its zero-width non-joiners (U+200C). */
        expect("دولت روز سه\u200cشنبه اعلام کرد که خط "
               "راه\u200cآهن جدید در بهار افتتاح می\u200cشود.",
               "fa", "Arab");
        expect("सरकार ने मंगलवार को घोषणा की कि नई रेल लाइन वसंत में "
               "खुलेगी।",
               "hi", "Deva");
        expect("Η κυβέρνηση ανακοίνωσε την Τρίτη ότι η νέα γραμμή θα "
               "ανοίξει την άνοιξη.",
               "el", "Grek");
        expect("הממשלה הודיעה ביום שלישי כי קו הרכבת החדש ייפתח באביב.", "he",
               "Hebr");
        expect("รัฐบาลประกาศเมื่อวันอังคารว่าเส้นทางรถไฟสายใหม่จะเปิดในฤดูใบไม้ผลิ", "th",
               "Thai");
        expect("政府は火曜日、新しい鉄道路線が春に開通すると発表した。", "ja",
               "Jpan");
        expect("政府星期二宣布，新铁路线将于春季开通。", "zh", "Hani");
        expect("정부는 화요일 새 철도 노선이 봄에 개통된다고 발표했다.", "ko",
               "Hang");
        expect("정부는 火曜日 새 철도 노선이 봄에 개통된다고 발표했다.", "ko",
               "Kore");
        expect("Կառավարությունը հայտարարեց, որ նոր երկաթուղին կբացվի "
               "գարնանը։",
               "hy", "Armn");
        expect("მთავრობამ გამოაცხადა, რომ ახალი რკინიგზა გაზაფხულზე "
               "გაიხსნება.",
               "ka", "Geor");
}

Test(langid, undetermined) {
        enr_lang_guess_t g = guess(NULL, "12345 67.89 !!! --- (2026) 42%");

        cr_assert_str_eq(g.code, "und");
        cr_assert_str_eq(g.script, "Zyyy");
        cr_assert_eq(g.confidence, 0);
        g = guess(NULL, NULL);
        cr_assert_str_eq(g.code, "und");
        g = guess("", "");
        cr_assert_str_eq(g.code, "und");
        enr_langid_detect(NULL, "text", 4, NULL, 0, &g);
        cr_assert_str_eq(g.code, "und");
}

Test(langid, title_and_body) {
        enr_lang_guess_t g;

        g = guess("Regierung kündigt neue Bahnstrecke an", NULL);
        cr_assert_str_eq(g.code, "de");
        g = guess("Regierung kündigt neue Bahnstrecke an",
                  "Die neue Strecke soll im Frühjahr eröffnet werden, "
                  "teilte das Ministerium mit.");
        cr_assert_str_eq(g.code, "de");
        cr_assert_gt(g.confidence, 0.9);
        /* The majority script wins; Latin names in Russian text do not. */
        g = guess(NULL, "Компания Apple представила новый iPhone в "
                        "Калифорнии во вторник вечером.");
        cr_assert_str_eq(g.code, "ru");
        cr_assert_str_eq(g.script, "Cyrl");
}

Test(langid, confidence_orders_evidence) {
        enr_lang_guess_t a = guess(NULL, "Stad");
        enr_lang_guess_t b =
            guess(NULL, "The government announced on Tuesday that the new "
                        "railway line will open next spring, and that "
                        "tickets would go on sale in March.");

        cr_assert_str_eq(b.code, "en");
        cr_assert_gt(b.confidence, 0.99);
        cr_assert_lt(a.confidence, b.confidence);
}

Test(langid, robust_to_bad_bytes) {
        static const char bad[] = "\xff\xfe caf\xc3 \xe2\x82 na\xc3\xafve "
                                  "\xf4\x90\x80\x80 \xed\xa0\x80 "
                                  "the house of the people";
        enr_lang_guess_t  g;
        char              big[3 * ENR_LANGID_MAX_BYTES];

        g = guess(NULL, bad);
        cr_assert_str_eq(g.code, "en");
        for (size_t i = 0; i < sizeof(big); i++)
                big[i] = (char)(0x80 | (i * 7 % 64));
        enr_langid_detect(lid, big, sizeof(big), big, sizeof(big), &g);
        cr_assert_str_eq(g.code, "und");
}

Test(langid, knows_and_lists) {
        size_t n = enr_langid_count(lid), found = 0;

        cr_assert_geq(n, 75);
        cr_assert(enr_langid_knows(lid, "en"));
        cr_assert(enr_langid_knows(lid, "nn"));
        cr_assert(enr_langid_knows(lid, "bs"));
        cr_assert(enr_langid_knows(lid, "zh"));
        cr_assert_not(enr_langid_knows(lid, "xx"));
        cr_assert_not(enr_langid_knows(lid, ""));
        cr_assert_not(enr_langid_knows(lid, "e"));
        cr_assert_not(enr_langid_knows(lid, NULL));
        cr_assert_null(enr_langid_code(lid, n));
        cr_assert_null(enr_langid_script(lid, n));
        for (size_t i = 0; i < n; i++) {
                const char *c = enr_langid_code(lid, i);
                cr_assert_not_null(c);
                cr_assert(enr_langid_knows(lid, c));
                found += !strcmp(c, "ja") || !strcmp(c, "ko");
        }
        cr_assert_eq(found, 2);
}

Test(langid, load_errors) {
        char          err[256] = "";
        enr_langid_t *l;
        FILE         *f;
        char          path[] = "/tmp/enr_langid_testXXXXXX";
        int           fd     = mkstemp(path);

        cr_assert_null(
            enr_langid_new(NULL, "/nonexistent/langid.bin", err, sizeof(err)));
        cr_assert(strstr(err, "nonexistent"), "%s", err);
        cr_assert_geq(fd, 0);
        f = fdopen(fd, "wb");
        fputs("ENRLANG1 but nothing else of a model", f);
        fclose(f);
        l = enr_langid_new(NULL, path, err, sizeof(err));
        remove(path);
        cr_assert_null(l);
        cr_assert(strstr(err, "model:"), "%s", err);
        enr_langid_destroy(NULL);
}

/* A model file image in memory, laid out as langid_int.h says. */
typedef struct img {
        unsigned char b[4096];
        size_t        n;
} img_t;

static void put(img_t *m, const void *p, size_t n) {
        cr_assert_leq(m->n + n, sizeof(m->b));
        memcpy(m->b + m->n, p, n);
        m->n += n;
}

static void put_u32(img_t *m, uint32_t v) {
        unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8),
                              (unsigned char)(v >> 16),
                              (unsigned char)(v >> 24)};
        put(m, b, 4);
}

static uint32_t fnv1(uint32_t c) {
        return (2166136261u ^ c) * 16777619u;
}

/* Two Latin languages, "xa" scoring the letter x and "yb" the letter y,
 * among filler n-grams with the smallest and largest hashes and a run of
 * neighbours of x's and y's hashes (one bucket holds several): lookups must
 * find exactly their own n-gram at either end of the index and inside a
 * crowded bucket. keys must be sorted; swap makes them not. */
static void tiny_model(img_t *m, int swap) {
        uint32_t keys[16], n = 0, hx = fnv1('x'), hy = fnv1('y');
        uint8_t  post[16][2];
        char     names[2][16] = {"xa\0\0\0\0\0\0Latn", "yb\0\0\0\0\0\0Latn"};

        keys[n++] = 0;
        for (uint32_t d = 3; d > 0; d--)
                keys[n++] = hx - d, keys[n++] = hy - d;
        keys[n++] = hx, keys[n++] = hy;
        for (uint32_t d = 1; d <= 3; d++)
                keys[n++] = hx + d, keys[n++] = hy + d;
        keys[n++] = 0xFFFFFFFFu;
        /* Sort (insertion) and give each key its posting. */
        for (uint32_t i = 1; i < n; i++)
                for (uint32_t j = i; j > 0 && keys[j - 1] > keys[j]; j--) {
                        uint32_t t  = keys[j];
                        keys[j]     = keys[j - 1];
                        keys[j - 1] = t;
                }
        for (uint32_t i = 0; i < n; i++) {
                post[i][0] = keys[i] == hy || (keys[i] != hx && i % 2);
                post[i][1] = keys[i] == hx || keys[i] == hy ? 200 : 1;
        }
        if (swap) {
                uint32_t t = keys[3];
                keys[3]    = keys[4];
                keys[4]    = t;
        }
        m->n = 0;
        put(m, "ENRLANG1", 8);
        put_u32(m, 2), put_u32(m, 0), put_u32(m, n), put_u32(m, n);
        put_u32(m, 16), put_u32(m, (uint32_t)-192);
        put(m, names, sizeof(names));
        for (uint32_t i = 0; i < n; i++)
                put_u32(m, keys[i]);
        for (uint32_t i = 0; i < n; i++)
                put(m, "\1", 1);
        put(m, post, (size_t)n * 2);
        put_u32(m, enr_crc32(m->b, m->n));
}

Test(langid, index_finds_its_ngrams) {
        char             err[256] = "";
        img_t            m;
        enr_langid_t    *l;
        enr_lang_guess_t g;

        tiny_model(&m, 0);
        l = enr__langid_parse(m.b, m.n, err, sizeof(err));
        cr_assert_not_null(l, "%s", err);
        enr_langid_detect(l, NULL, 0, "x x x x", 7, &g);
        cr_expect_str_eq(g.code, "xa");
        enr_langid_detect(l, NULL, 0, "y y y y", 7, &g);
        cr_expect_str_eq(g.code, "yb");
        enr_langid_destroy(l);
        tiny_model(&m, 1);
        cr_assert_null(enr__langid_parse(m.b, m.n, err, sizeof(err)));
        cr_expect(strstr(err, "bad n-gram entry"), "%s", err);
}

/* The shipped file read through mmap() and the same bytes parsed from
 * memory give the same model. */
Test(langid, mapped_equals_parsed) {
        static const char *const texts[] = {
            "The government announced on Tuesday that the new line opens.",
            "Die Regierung hat am Dienstag angekündigt, dass sie eröffnet.",
            "Правительство объявило во вторник об открытии новой линии."};
        char             path[4096], err[256] = "";
        static char      buf[16 << 20];
        size_t           n;
        FILE            *f;
        enr_langid_t    *l;
        enr_lang_guess_t a, b;

        snprintf(path, sizeof(path), "%s/%s", ENR_RESOURCE_DIR,
                 ENR_LANGID_DEFAULT_FILE);
        cr_assert_not_null(f = fopen(path, "rb"));
        n = fread(buf, 1, sizeof(buf), f);
        fclose(f);
        cr_assert_not_null(l = enr__langid_parse(buf, n, err, sizeof(err)),
                           "%s", err);
        for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
                enr_langid_detect(lid, NULL, 0, texts[i], strlen(texts[i]), &a);
                enr_langid_detect(l, NULL, 0, texts[i], strlen(texts[i]), &b);
                cr_expect_str_eq(a.code, b.code);
                cr_expect_eq(a.confidence, b.confidence);
        }
        enr_langid_destroy(l);
}

/* The second stage on text written for this test: words that the two
 * standards of a close pair spell or choose differently. Each text is
 * checked with the shipped tables, whose words (with the table's bias)
 * must be at least a nat of evidence for the right language; the n-grams
 * alone choose it too. */
static void expect_pair(const char *text, const char *code) {
        enr__langid_params_t p, words_off;
        enr_lang_guess_t     with, without;
        enr__langid_trace_t  tr;

        expect(text, code, "Latn");
        enr__langid_detect_trace(lid, NULL, 0, text, strlen(text), &with, &tr);
        cr_expect_str_eq(with.code, code, "%s", text);
        cr_expect(!strcmp(tr.a, code) || !strcmp(tr.b, code), "%s: pair %s-%s",
                  text, tr.a, tr.b);
        cr_expect_gt(strcmp(tr.a, code) ? -tr.words : tr.words, 1.0,
                     "%s: words %.2f for %s", text, tr.words, tr.a);
        enr__langid_get_params(lid, &p);
        words_off            = p;
        words_off.pair_words = 0;
        with                 = guess(NULL, text);
        enr__langid_set_params(lid, &words_off);
        without = guess(NULL, text);
        enr__langid_set_params(lid, &p);
        cr_expect_str_eq(without.code, code, "%s", text);
        cr_expect_geq(with.confidence, without.confidence, "%s: %.3f, %.3f",
                      text, with.confidence, without.confidence);
}

Test(langid, pair_tables_separate_close_pairs) {
        expect_pair(
            "Kerajaan negeri berkata projek itu boleh disiapkan tahun "
            "hadapan kerana peruntukan sudah diluluskan. Menteri Besar "
            "menegaskan bahawa penduduk tidak perlu bimbang. Kerja-kerja "
            "pembinaan akan bermula selepas musim tengkujuh sahaja.",
            "ms");
        expect_pair(
            "Pemerintah daerah mengatakan proyek itu bisa selesai tahun "
            "depan karena anggaran sudah disetujui. Gubernur menegaskan "
            "bahwa warga tidak perlu khawatir. Pekerjaan pembangunan "
            "akan dimulai setelah musim hujan saja.",
            "id");
        expect_pair(
            "Eg trur ikkje at dei kjem tilbake i år, sa ho. Det er mykje "
            "meir arbeid enn vi trudde, og kommunen har ikkje pengar til "
            "det. Difor må fleire av elevane gå på ein annan skule.",
            "nn");
        /* Here Danish, not Nynorsk, is the runner-up: no second stage. */
        expect("Jeg tror ikke at de kommer tilbake i år, sa hun. Det er mye "
               "mer arbeid enn vi trodde, og kommunen har ikke penger til "
               "det. Derfor må flere av elevene gå på en annen skole.",
               "nb", "Latn");
        expect_pair("Tokom prošle sedmice hiljade ljudi okupile su se ispred "
                    "univerziteta. Historija ovog grada poznata je po saradnji "
                    "porodica iz cijele zemlje, rekao je profesor hemije.",
                    "bs");
        expect_pair("Tijekom prošlog tjedna tisuće ljudi okupile su se ispred "
                    "sveučilišta. Povijest ovog grada poznata je po suradnji "
                    "obitelji iz cijele zemlje, rekao je profesor kemije.",
                    "hr");
}

/* Adds a pair table given as a string; returns the error. */
static enr_err_t add_pairs(enr_langid_t *l, const char *text, char *err,
                           size_t errsz) {
        err[0] = '\0';
        return enr__langid_add_pairs(l, text, strlen(text), err, errsz);
}

/* On the two-language model of tiny_model(), a table whose words are
 * evidence for "yb" overturns the n-grams' "xa" once the words outweigh
 * the n-gram lead; more evidence gives more confidence. */
Test(langid, pair_table_decides_between_two) {
        char                 err[256];
        img_t                m;
        enr_langid_t        *l;
        enr_lang_guess_t     g, g2;
        enr__langid_params_t p;
        const char          *text = "xxxx xxxx xxxx xxxx";

        tiny_model(&m, 0);
        cr_assert_not_null(l = enr__langid_parse(m.b, m.n, err, sizeof(err)),
                           "%s", err);
        enr_langid_detect(l, NULL, 0, text, strlen(text), &g);
        cr_assert_str_eq(g.code, "xa");
        cr_assert_eq(add_pairs(l,
                               "# a comment\npair\txa\tyb\nxxxx\t-1000\n"
                               "yyyy\t1000\n",
                               err, sizeof(err)),
                     ENR_OK, "%s", err);
        enr_langid_detect(l, NULL, 0, text, strlen(text), &g);
        cr_expect_str_eq(g.code, "yb");
        enr_langid_detect(l, NULL, 0, text, 9, &g2);
        cr_expect_lt(g2.confidence, g.confidence, "%g %g", g2.confidence,
                     g.confidence);
        /* The n-gram lead alone, when the words are not weighed. */
        enr__langid_get_params(l, &p);
        p.pair_words = 0;
        enr__langid_set_params(l, &p);
        enr_langid_detect(l, NULL, 0, text, strlen(text), &g);
        cr_expect_str_eq(g.code, "xa");
        /* The same pair again, in either order, is refused. */
        cr_expect_eq(add_pairs(l, "pair\tyb\txa\nxy\t5\n", err, sizeof(err)),
                     ENR_ERR_MODEL);
        cr_expect(strstr(err, "repeated pair"), "%s", err);
        enr_langid_destroy(l);
}

/* The bias of a pair line is added to every text's word sum: here it
 * overturns the n-grams' "xa" for a text without any listed word, and is
 * not weighed with the words off. */
Test(langid, pair_table_bias) {
        char                 err[256];
        img_t                m;
        enr_langid_t        *l;
        enr_lang_guess_t     g;
        enr__langid_params_t p;

        tiny_model(&m, 0);
        cr_assert_not_null(l = enr__langid_parse(m.b, m.n, err, sizeof(err)),
                           "%s", err);
        enr_langid_detect(l, NULL, 0, "x", 1, &g);
        cr_assert_str_eq(g.code, "xa");
        cr_assert_eq(
            add_pairs(l, "pair\txa\tyb\t-1000\nyyyy\t5\n", err, sizeof(err)),
            ENR_OK, "%s", err);
        enr_langid_detect(l, NULL, 0, "x", 1, &g);
        cr_expect_str_eq(g.code, "yb");
        enr__langid_get_params(l, &p);
        p.pair_words = 0;
        enr__langid_set_params(l, &p);
        enr_langid_detect(l, NULL, 0, "x", 1, &g);
        cr_expect_str_eq(g.code, "xa");
        enr_langid_destroy(l);
}

/* Suffix entries ("-suffix") add their weight for every word longer than
 * the suffix that ends with it, the empty suffix ("-") for every word, on
 * top of the word's own weight; the pair line's fifth field replaces the
 * parameter pair_ngram for the pair (0: the words alone decide). */
Test(langid, pair_table_suffixes) {
        char                err[256];
        img_t               m;
        enr_langid_t       *l;
        enr_lang_guess_t    g;
        enr__langid_trace_t tr;
        const char         *text = "xxxy yy y";

        tiny_model(&m, 0);
        cr_assert_not_null(l = enr__langid_parse(m.b, m.n, err, sizeof(err)),
                           "%s", err);
        cr_assert_eq(add_pairs(l,
                               "pair\txa\tyb\t0\t0\n-xy\t100\n-\t-3\n"
                               "-y\t10\nxxxy\t1000\n-xxxxxxxy\t7\n",
                               err, sizeof(err)),
                     ENR_OK, "%s", err);
        enr__langid_detect_trace(l, NULL, 0, text, strlen(text), &g, &tr);
        cr_assert_str_eq(tr.a, "xa");
        /* xxxy: 1000 + 10 + 100 - 3; yy: 10 - 3; y (not longer than -y):
         * -3. */
        cr_expect_float_eq(tr.words, 11.11, 1e-9, "%g", tr.words);
        cr_expect_str_eq(g.code, "xa");
        enr_langid_destroy(l);

        /* Only the every-word weight, against the n-gram lead: with the
         * pair's n-gram weight 0 the words decide; with the parameter's
         * 0.25 (no fifth field) the lead does. */
        cr_assert_not_null(l = enr__langid_parse(m.b, m.n, err, sizeof(err)),
                           "%s", err);
        cr_assert_eq(add_pairs(l, "pair\txa\tyb\t0\t0\n-\t-1\nyyyy\t5\n", err,
                               sizeof(err)),
                     ENR_OK, "%s", err);
        text = "xxxx xxxx xxxx xxxx";
        enr__langid_detect_trace(l, NULL, 0, text, strlen(text), &g, &tr);
        cr_expect_float_eq(tr.words, -0.04, 1e-9, "%g", tr.words);
        cr_assert_gt(tr.ngram_lead, 0.16, "%g", tr.ngram_lead);
        cr_expect_str_eq(g.code, "yb");
        enr_langid_destroy(l);
        cr_assert_not_null(l = enr__langid_parse(m.b, m.n, err, sizeof(err)),
                           "%s", err);
        cr_assert_eq(
            add_pairs(l, "pair\txa\tyb\n-\t-1\nyyyy\t5\n", err, sizeof(err)),
            ENR_OK, "%s", err);
        enr_langid_detect(l, NULL, 0, text, strlen(text), &g);
        cr_expect_str_eq(g.code, "xa");
        enr_langid_destroy(l);
}

/* A corrupt pair table is refused with the line at fault; the model is
 * left as it was. */
Test(langid, pair_table_errors) {
        static const struct {
                const char *text, *msg;
        } bad[] = {
            {"", "no pair line"},
            {"# only a comment\n", "no pair line"},
            {"pair\txa\n", "line 1: bad or repeated pair"},
            {"pair\txa\tzz\n", "line 1: bad or repeated pair"},
            {"pair\txa\txa\n", "line 1: bad or repeated pair"},
            {"pair\txa\tyb\t\nxy\t5\n", "line 1: bad or repeated pair"},
            {"pair\txa\tyb\t1001\nxy\t5\n", "line 1: bad or repeated pair"},
            {"pair\txa\tyb\t-\nxy\t5\n", "line 1: bad or repeated pair"},
            {"pair\txa\tyb\t5\t6\t7\nxy\t5\n", "line 1: bad or repeated pair"},
            {"pair\txa\tyb\t5\t-6\nxy\t5\n", "line 1: bad or repeated pair"},
            {"pair\txa\tyb\t5\t\nxy\t5\n", "line 1: bad or repeated pair"},
            {"pair\txa\tyb\t\t6\nxy\t5\n", "line 1: bad or repeated pair"},
            {"pair\txa\tyb\t5\t1001\nxy\t5\n", "line 1: bad or repeated pair"},
            {"pair\txa\tyb\t5a\nxy\t5\n", "line 1: bad or repeated pair"},
            {"pair\txa\tyb\n", "no words"},
            {"pair\txa\tyb\nxy\n", "line 2: bad word line"},
            {"pair\txa\tyb\nxy\t0\n", "line 2: bad word line"},
            {"pair\txa\tyb\nxy\t1001\n", "line 2: bad word line"},
            {"pair\txa\tyb\nxy\t-\n", "line 2: bad word line"},
            {"pair\txa\tyb\nxy\t12a\n", "line 2: bad word line"},
            {"pair\txa\tyb\nx y\t5\n", "line 2: bad word line"},
            {"pair\txa\tyb\nx\xc3\t5\n", "line 2: bad word line"},
            {"pair\txa\tyb\n\xd0\xb4\t5\n", "line 2: bad word line"},
            {"pair\txa\tyb\n\t5\n", "line 2: bad word line"},
            {"pair\txa\tyb\nxy\t5\nyx\t-5\nxy\t7\n", "a word twice"},
            {"pair\txa\tyb\nxy\t5\n-xy\t5\n-xy\t7\n", "a word twice"},
            {"pair\txa\tyb\n-xxxxyyyyx\t5\n", "line 2: bad word line"},
            {"pair\txa\tyb\n-x-\t5\n", "line 2: bad word line"},
            {"pair\txa\tyb\n--x\t5\n", "line 2: bad word line"},
            {"pair\txa\tyb\n-\t0\n", "line 2: bad word line"},
            {"pair\txa\tyb\nxy\t5\n-\t5\n-\t6\n", "line 4: bad word line"},
            {"pair\txa\tyb\n-\t5\n", "no words"},
        };
        char          err[256];
        img_t         m;
        enr_langid_t *l;

        tiny_model(&m, 0);
        cr_assert_not_null(l = enr__langid_parse(m.b, m.n, err, sizeof(err)),
                           "%s", err);
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                cr_expect_eq(add_pairs(l, bad[i].text, err, sizeof(err)),
                             ENR_ERR_MODEL, "table %zu", i);
                cr_expect(strstr(err, "model: pair table") &&
                              strstr(err, bad[i].msg),
                          "table %zu: %s", i, err);
        }
        /* None of them was kept: a good table for the pair is accepted. */
        cr_expect_eq(add_pairs(l, "pair\txa\tyb\nxy\t5", err, sizeof(err)),
                     ENR_OK, "%s", err);
        enr_langid_destroy(l);
}

/* A corrupt pair-*.txt beside a model file (here a word that is not
 * lower-case under the model's case map) makes loading fail, naming the
 * file and the line. */
Test(langid, corrupt_pair_file_refused) {
        char          dir[] = "/tmp/enr_langpair_testXXXXXX", model[4096];
        char          table[4096], err[512] = "", src[4096];
        static char   buf[16 << 20];
        size_t        n;
        FILE         *f;
        enr_langid_t *l;

        cr_assert_not_null(mkdtemp(dir));
        snprintf(src, sizeof(src), "%s/%s", ENR_RESOURCE_DIR,
                 ENR_LANGID_DEFAULT_FILE);
        cr_assert_not_null(f = fopen(src, "rb"));
        n = fread(buf, 1, sizeof(buf), f);
        fclose(f);
        snprintf(model, sizeof(model), "%s/langid.bin", dir);
        snprintf(table, sizeof(table), "%s/pair-ms-id.txt", dir);
        cr_assert_not_null(f = fopen(model, "wb"));
        cr_assert_eq(fwrite(buf, 1, n, f), n);
        fclose(f);
        cr_assert_not_null(f = fopen(table, "wb"));
        fputs("pair\tms\tid\nkerana\t300\nKarena\t-300\n", f);
        fclose(f);
        l = enr_langid_new(NULL, model, err, sizeof(err));
        cr_expect_null(l);
        cr_expect(strstr(err, "pair-ms-id.txt") && strstr(err, "line 3"), "%s",
                  err);
        enr_langid_destroy(l);
        cr_assert_not_null(f = fopen(table, "wb"));
        fputs("pair\tms\tid\nkerana\t300\nkarena\t-300\n", f);
        fclose(f);
        l = enr_langid_new(NULL, model, err, sizeof(err));
        cr_expect_not_null(l, "%s", err);
        enr_langid_destroy(l);
        remove(table);
        remove(model);
        rmdir(dir);
}
