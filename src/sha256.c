/* nettle rather than our own SHA-256: a well-kept Debian library (nettle-dev). */
#include "sha256.h"

#include <nettle/sha2.h>
#include <stdio.h>

static void to_hex(const unsigned char *d, char hex[65]) {
    static const char digits[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) {
        hex[2 * i] = digits[d[i] >> 4];
        hex[2 * i + 1] = digits[d[i] & 15];
    }
    hex[64] = 0;
}

void hu_sha256_hex(const unsigned char digest[32], char hex[65]) {
    to_hex(digest, hex);
}

bool hu_sha256_file(const char *path, char hex[65]) {
    FILE *f = fopen(path, "rb");
    if (!f) return false;
    struct sha256_ctx c;
    sha256_init(&c);
    unsigned char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        sha256_update(&c, n, buf);
    bool ok = !ferror(f);
    fclose(f);
    unsigned char d[SHA256_DIGEST_SIZE];
    sha256_digest(&c, sizeof d, d);
    to_hex(d, hex);
    return ok;
}

void hu_sha256_buf(const void *data, size_t len, char hex[65]) {
    struct sha256_ctx c;
    sha256_init(&c);
    sha256_update(&c, len, data);
    unsigned char d[SHA256_DIGEST_SIZE];
    sha256_digest(&c, sizeof d, d);
    to_hex(d, hex);
}
