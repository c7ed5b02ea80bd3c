/*
 * A main() for fuzz targets outside libFuzzer: runs LLVMFuzzerTestOneInput
 * on every file named on the command line and on every regular file of the
 * directories named there (in name order, so runs are reproducible). Used
 * by ctest to replay each target's corpus in ordinary and sanitizer builds.
 *
 * Exits 0 after running at least one input; 1 when an argument is missing
 * or unreadable, a directory holds no input, or nothing was given. A bug
 * the target finds aborts the process.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The largest input replayed (libFuzzer's default -max_len is far less). */
#define REPLAY_MAX_INPUT (16u << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

/* Reads and runs one file; returns 0 on success. */
static int run_file(const char *path) {
        FILE    *f   = fopen(path, "rb");
        uint8_t *buf = NULL;
        long     n;
        int      rc = 1;

        if (!f) {
                fprintf(stderr, "replay: cannot open %s\n", path);
                return 1;
        }
        if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
            (unsigned long)n > REPLAY_MAX_INPUT || fseek(f, 0, SEEK_SET) != 0) {
                fprintf(stderr, "replay: cannot size %s\n", path);
                goto out;
        }
        /* One extra byte so an empty file still gets a valid pointer. */
        buf = malloc((size_t)n + 1);
        if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
                fprintf(stderr, "replay: cannot read %s\n", path);
                goto out;
        }
        (void)LLVMFuzzerTestOneInput(buf, (size_t)n);
        rc = 0;
out:
        free(buf);
        fclose(f);
        return rc;
}

static int cmp_names(const void *a, const void *b) {
        return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs every regular file of dir; adds to *count; returns 0 on success. */
static int run_dir(const char *dir, size_t *count) {
        DIR           *d = opendir(dir);
        struct dirent *e;
        char         **names = NULL, path[4096];
        size_t         n = 0, cap = 0, i, ran = 0;
        int            rc = 0;

        if (!d) {
                fprintf(stderr, "replay: cannot open directory %s\n", dir);
                return 1;
        }
        while ((e = readdir(d)) != NULL) {
                if (e->d_name[0] == '.')
                        continue;
                if (n == cap) {
                        char **p;

                        cap = cap ? cap * 2 : 64;
                        p   = realloc(names, cap * sizeof(*names));
                        if (!p) {
                                rc = 1;
                                goto out;
                        }
                        names = p;
                }
                if (!(names[n] = strdup(e->d_name))) {
                        rc = 1;
                        goto out;
                }
                n++;
        }
        if (n)
                qsort(names, n, sizeof(*names), cmp_names);
        for (i = 0; i < n; i++) {
                struct stat sb;

                snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
                if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
                        continue;
                if (run_file(path) != 0) {
                        rc = 1;
                        goto out;
                }
                ran++;
        }
        if (ran == 0) {
                fprintf(stderr, "replay: no inputs in %s\n", dir);
                rc = 1;
        }
        *count += ran;
out:
        for (i = 0; i < n; i++)
                free(names[i]);
        free(names);
        closedir(d);
        return rc;
}

int main(int argc, char **argv) {
        size_t count = 0;
        int    i;

        if (LLVMFuzzerInitialize)
                LLVMFuzzerInitialize(&argc, &argv);
        if (argc < 2) {
                fprintf(stderr, "usage: %s DIR|FILE...\n", argv[0]);
                return 1;
        }
        for (i = 1; i < argc; i++) {
                struct stat sb;

                if (stat(argv[i], &sb) != 0) {
                        fprintf(stderr, "replay: %s does not exist\n", argv[i]);
                        return 1;
                }
                if (S_ISDIR(sb.st_mode)) {
                        if (run_dir(argv[i], &count) != 0)
                                return 1;
                } else if (run_file(argv[i]) == 0) {
                        count++;
                } else {
                        return 1;
                }
        }
        printf("replay: %zu inputs ran\n", count);
        return count ? 0 : 1;
}
