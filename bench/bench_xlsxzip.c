/* bench_xlsxzip.c - the level of a workbook's zip entries (src/xlsxzip.c): every part of the
 * given .xlsx files deflated whole by libdeflate at levels 1-12, and by zlib at level 6 as
 * minizip did (raw deflate, windowBits -15, memLevel 8), with their compressed sizes and the
 * CPU time of compressing all the parts, best of --iter runs (callgrind counts the same work:
 * bench/README.md, Session 9). Built and run by bench_xlsxzip.sh. */
#define _POSIX_C_SOURCE 200809L
#include <libdeflate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

typedef struct {
    unsigned char *data;
    size_t len;
} part;

static double cpu_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static size_t zlib6(const part *p, unsigned char *out, size_t cap) {
    z_stream s;
    memset(&s, 0, sizeof s);
    if (deflateInit2(&s, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY))
        exit(1);
    s.next_in = p->data;
    s.avail_in = (uInt)p->len;
    s.next_out = out;
    s.avail_out = (uInt)cap;
    if (deflate(&s, Z_FINISH) != Z_STREAM_END) exit(1);
    size_t n = s.total_out;
    deflateEnd(&s);
    return n;
}

int main(int argc, char **argv) {
    int iter = 20, nparts = 0;
    part *parts = NULL;
    size_t total = 0, maxlen = 0;
    for (int i = 1; i < argc; i++) { /* the parts, one file each (bench_xlsxzip.sh unzips) */
        if (!strcmp(argv[i], "--iter") && i + 1 < argc) {
            iter = atoi(argv[++i]);
            continue;
        }
        FILE *f = fopen(argv[i], "rb");
        if (!f) return perror(argv[i]), 1;
        parts = realloc(parts, (nparts + 1) * sizeof *parts);
        part *p = &parts[nparts++];
        fseek(f, 0, SEEK_END);
        p->len = (size_t)ftell(f);
        rewind(f);
        p->data = malloc(p->len ? p->len : 1);
        if (fread(p->data, 1, p->len, f) != p->len) return 1;
        fclose(f);
        total += p->len;
        if (p->len > maxlen) maxlen = p->len;
    }
    size_t cap = maxlen * 2 + 1024;
    unsigned char *out = malloc(cap);
    printf("%d parts, %zu bytes\n%-10s %10s %12s\n", nparts, total, "level", "bytes", "ms (all)");
    for (int level = 0; level <= 12; level++) { /* 0: zlib 6, the reference */
        struct libdeflate_compressor *z = level ? libdeflate_alloc_compressor(level) : NULL;
        size_t bytes = 0;
        double best = 1e9;
        for (int it = 0; it < iter; it++) {
            double t0 = cpu_ms();
            bytes = 0;
            for (int i = 0; i < nparts; i++)
                bytes += z ? libdeflate_deflate_compress(z, parts[i].data, parts[i].len, out, cap)
                           : zlib6(&parts[i], out, cap);
            double t = cpu_ms() - t0;
            if (t < best) best = t;
        }
        char name[16];
        snprintf(name, sizeof name, level ? "libdeflate %d" : "zlib 6", level);
        printf("%-14s %6zu %10.3f\n", name, bytes, best);
        libdeflate_free_compressor(z);
    }
    return 0;
}
