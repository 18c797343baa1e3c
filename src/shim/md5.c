/* shim/md5.c - libhuibao-md5.so: the three MD5 functions libxlsxwriter imports from libcrypto,
 * in a library that stands in for libcrypto when huibao loads libxlsxwriter.
 *
 * Why: Debian 12's libxlsxwriter.so.4 (1.1.4, linked with -z now) names libcrypto.so.3 in its
 * DT_NEEDED but imports only MD5_Init, MD5_Update and MD5_Final (version OPENSSL_3.0.0), for
 * the MD5 of inserted images, which huibao never inserts. Mapping and relocating the 4.7 MB
 * libcrypto (21,000 relocations) for them cost 3.5 ms of CPU and ~130 page faults single-
 * threaded, ~6 ms of CPU in a report (bench/README.md, Session 11), with the dynamic loader's
 * lock held meanwhile. This library's soname is libcrypto.so.3 (CMakeLists.txt: the soname
 * libxlsxwriter needs); loaded first (src/dynlib.c hu_dynlib_open_md5), it satisfies
 * libxlsxwriter's DT_NEEDED, since the dynamic loader matches a needed name against the sonames
 * of the objects already loaded, and the real libcrypto is never mapped. md5.map gives the
 * functions libcrypto's symbol version and hides everything else. A libxlsxwriter that needs
 * more of libcrypto fails to load beside it (-z now binds every import at load time) and is
 * loaded again without it (dynlib.c), so the worst case is the old cost.
 *
 * The functions work on OpenSSL 3's MD5_CTX (openssl/md5.h), which the caller allocates: four
 * 32-bit chaining words, the length in bits as two 32-bit halves (Nl low, Nh high), a 64-byte
 * block buffer and its fill count; 92 bytes. The compression function is nettle's (public in
 * <nettle/md5.h>), which huibao links anyway; the padding and length are RFC 1321's. Results
 * equal libcrypto's (tests/test_md5shim.c: RFC 1321's vectors, nettle and libcrypto for many
 * lengths and splits). Not part of huibao_core (src/shim/ is outside its glob): it is a shared
 * library of its own, installed to ${libdir}/huibao/ (docs/architecture.md). */
#include <nettle/md5.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* OpenSSL 3's layout, with A..D as an array (the same bytes) so that nettle can update them */
typedef struct hu_md5_ctx {
    uint32_t h[4];
    uint32_t nl, nh;
    uint32_t data[16];
    unsigned num;
} hu_md5_ctx;

_Static_assert(sizeof(hu_md5_ctx) == 92, "OpenSSL 3's MD5_CTX is 92 bytes");

int MD5_Init(hu_md5_ctx *c);
int MD5_Update(hu_md5_ctx *c, const void *data, size_t len);
int MD5_Final(unsigned char *md, hu_md5_ctx *c);

int MD5_Init(hu_md5_ctx *c) {
    memset(c, 0, sizeof *c);
    c->h[0] = 0x67452301;
    c->h[1] = 0xefcdab89;
    c->h[2] = 0x98badcfe;
    c->h[3] = 0x10325476;
    return 1;
}

int MD5_Update(hu_md5_ctx *c, const void *data, size_t len) {
    const uint8_t *p = data;
    uint8_t *blk = (uint8_t *)c->data;
    /* the length in bits, modulo 2^64 as RFC 1321 says */
    uint64_t bits = ((uint64_t)c->nh << 32 | c->nl) + ((uint64_t)len << 3);
    c->nl = (uint32_t)bits;
    c->nh = (uint32_t)(bits >> 32);
    if (c->num) { /* complete the buffered block first */
        size_t k = 64 - c->num < len ? 64 - c->num : len;
        memcpy(blk + c->num, p, k);
        c->num += (unsigned)k;
        p += k;
        len -= k;
        if (c->num < 64) return 1;
        nettle_md5_compress(c->h, blk);
        c->num = 0;
    }
    for (; len >= 64; p += 64, len -= 64)
        nettle_md5_compress(c->h, p);
    if (len) memcpy(blk, p, len);
    c->num = (unsigned)len;
    return 1;
}

int MD5_Final(unsigned char *md, hu_md5_ctx *c) {
    uint8_t *blk = (uint8_t *)c->data;
    blk[c->num++] = 0x80;
    if (c->num > 56) { /* no room for the length: a block of padding first */
        memset(blk + c->num, 0, 64 - c->num);
        nettle_md5_compress(c->h, blk);
        c->num = 0;
    }
    memset(blk + c->num, 0, 56 - c->num);
    for (int i = 0; i < 4; i++) { /* little-endian, as MD5 is */
        blk[56 + i] = (uint8_t)(c->nl >> (8 * i));
        blk[60 + i] = (uint8_t)(c->nh >> (8 * i));
    }
    nettle_md5_compress(c->h, blk);
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            md[4 * i + j] = (uint8_t)(c->h[i] >> (8 * j));
    memset(c, 0, sizeof *c); /* as OpenSSL does: no digest state left behind */
    return 1;
}
