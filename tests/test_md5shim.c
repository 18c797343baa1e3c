/* test_md5shim.c - libhuibao-md5.so (src/shim/md5.c), libxlsxwriter's MD5 functions under
 * libcrypto's soname, and libzip beside it (dynlib.c hu_dynlib_open_crypto).
 *
 * In this order, in one process: the replacement is loaded by its path (beside $HUIBAO, the
 * build folder) and, as for libxlsxwriter's DT_NEEDED, answers to its soname; its MD5 equals
 * RFC 1321's vectors and nettle's whole md5 for every length to 700 bytes in several splits,
 * and across the 32-bit carry of the bit count. Then libzip is loaded through huibao (a zip
 * written): the real libcrypto comes with it, in the global scope, whose MD5 the replacement's
 * equals too; and libzip's own libcrypto calls (an AES-256 encrypted entry: RAND_bytes, PBKDF2,
 * HMAC, AES) reach the real library, not the replacement, which would end the process with
 * "symbol lookup error". Whether huibao loads the replacement and not the real libcrypto for a
 * workbook, and still writes it without it, is tests/e2e_dlopen.sh's. */
#define _GNU_SOURCE /* dl_iterate_phdr */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <dlfcn.h>
#include <link.h>
#include <nettle/md5.h>
#include <zip.h>

#include "buf.h"
#include "error.h"
#include "ooxml.h"

#ifdef HU_LIBCRYPTO_PATH
/* OpenSSL 3's MD5_CTX (openssl/md5.h) */
typedef struct {
    uint32_t a, b, c, d, nl, nh, data[16];
    unsigned num;
} md5_ctx3;

typedef struct {
    int (*init)(md5_ctx3 *);
    int (*update)(md5_ctx3 *, const void *, size_t);
    int (*final)(unsigned char *, md5_ctx3 *);
} md5_fns;

static void *shim;
static md5_fns shim_fns;

static void fns_from(md5_fns *f, void *h) {
    *(void **)&f->init = dlsym(h, "MD5_Init");
    *(void **)&f->update = dlsym(h, "MD5_Update");
    *(void **)&f->final = dlsym(h, "MD5_Final");
    assert_non_null(f->init);
    assert_non_null(f->update);
    assert_non_null(f->final);
}

static void hex(const unsigned char *md, char *out) {
    for (int i = 0; i < 16; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
}

/* fed in pieces: split 0 whole, 1 a byte at a time, 2 in thirds, 3 in pieces of 1..70 bytes */
static void digest(const md5_fns *f, const uint8_t *p, size_t n, int split, unsigned char *md) {
    md5_ctx3 c;
    assert_int_equal(f->init(&c), 1);
    size_t off = 0, k = 0;
    while (off < n || (off == 0 && k == 0)) {
        size_t len = split == 0   ? n
                     : split == 1 ? 1
                     : split == 2 ? n / 3 + 1
                                  : (k * 37 + 11) % 70 + 1;
        if (len > n - off) len = n - off;
        assert_int_equal(f->update(&c, p + off, len), 1);
        off += len, k++;
    }
    assert_int_equal(f->final(md, &c), 1);
}

static void nettle_digest(const uint8_t *p, size_t n, unsigned char *md) {
    struct md5_ctx c;
    md5_init(&c);
    md5_update(&c, n, p);
    md5_digest(&c, MD5_DIGEST_SIZE, md);
}

static uint8_t data[700];

static void test_shim(void **state) {
    (void)state;
    const char *exe = getenv("HUIBAO");
    assert_non_null(exe);
    char path[4096];
    snprintf(path, sizeof path, "%s", exe);
    char *slash = strrchr(path, '/');
    assert_non_null(slash);
    snprintf(slash + 1, sizeof path - (size_t)(slash + 1 - path), "libhuibao-md5.so");
    shim = dlopen(path, RTLD_LAZY | RTLD_LOCAL);
    assert_non_null(shim);
    /* a later DT_NEEDED (or dlopen) of the soname finds it */
    void *again = dlopen(HU_LIBCRYPTO_SONAME, RTLD_LAZY | RTLD_NOLOAD);
    assert_ptr_equal(again, shim);
    dlclose(again);
    assert_null(dlsym(shim, "OPENSSL_init_crypto")); /* nothing of libcrypto but the three */
    fns_from(&shim_fns, shim);

    static const char *const rfc1321[][2] = {
        {"", "d41d8cd98f00b204e9800998ecf8427e"},
        {"a", "0cc175b9c0f1b6a831c399e269772661"},
        {"abc", "900150983cd24fb0d6963f7d28e17f72"},
        {"message digest", "f96b697d7cb7938d525a2f31aaf161d0"},
        {"abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"},
        {"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
         "d174ab98d277d9f5a5611c2c9f419d9f"},
        {"12345678901234567890123456789012345678901234567890123456789012345678901234567890",
         "57edf4a22be3c955ac49da2e2107b67a"},
    };
    for (size_t i = 0; i < sizeof rfc1321 / sizeof *rfc1321; i++)
        for (int split = 0; split < 4; split++) {
            unsigned char md[16];
            char h[33];
            digest(&shim_fns, (const uint8_t *)rfc1321[i][0], strlen(rfc1321[i][0]), split, md);
            hex(md, h);
            assert_string_equal(h, rfc1321[i][1]);
        }

    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)(i * 131 + 7 + (i >> 8));
    for (size_t n = 0; n <= sizeof data; n++) {
        unsigned char want[16], md[16];
        nettle_digest(data, n, want);
        for (int split = 0; split < 4; split++) {
            digest(&shim_fns, data, n, split, md);
            assert_memory_equal(md, want, 16);
        }
    }

    /* past 2^32 bits: the low word of the count carries into the high one (2^29 - 64 bytes
     * taken as already hashed, in both) */
    md5_ctx3 c;
    shim_fns.init(&c);
    c.nl = 0xfffffe00u;
    shim_fns.update(&c, data, 200);
    unsigned char md[16], want[16];
    shim_fns.final(md, &c);
    struct md5_ctx nc;
    md5_init(&nc);
    nc.count = ((1u << 29) - 64) / 64;
    md5_update(&nc, 200, data);
    md5_digest(&nc, MD5_DIGEST_SIZE, want);
    assert_memory_equal(md, want, 16);
    for (size_t i = 0; i < sizeof c; i++)
        assert_int_equal(((unsigned char *)&c)[i], 0); /* MD5_Final clears the context */
}

static int find_libzip(struct dl_phdr_info *info, size_t size, void *out) {
    (void)size;
    if (strstr(info->dlpi_name, "/libzip.so")) {
        snprintf(out, 4096, "%s", info->dlpi_name);
        return 1;
    }
    return 0;
}

static void test_libzip_beside(void **state) {
    (void)state;
    if (!shim) skip();
    /* libzip loaded by huibao, with the replacement loaded */
    hu_diags d = HU_DIAGS_INIT;
    hu_zip_writer *w = hu_zipw_new(0);
    hu_zipw_add(w, "a.txt", "hello", 5);
    hu_buf out = HU_BUF_INIT;
    assert_true(hu_zipw_finish(w, &out, &d)); /* (frees w) */
    hu_buf_free(&out);
    assert_int_equal(d.n, 0);
    hu_diags_free(&d);

    /* the real libcrypto is in the global scope: its MD5 is the replacement's */
    md5_fns real;
    fns_from(&real, RTLD_DEFAULT);
    assert_ptr_not_equal(real.init, shim_fns.init);
    assert_non_null(dlsym(RTLD_DEFAULT, "OPENSSL_init_crypto"));
    for (size_t n = 0; n <= sizeof data; n += 7) {
        unsigned char want[16], md[16];
        digest(&real, data, n, 0, want);
        for (int split = 0; split < 4; split++) {
            digest(&shim_fns, data, n, split, md);
            assert_memory_equal(md, want, 16);
        }
    }

    /* libzip's libcrypto calls: an encrypted entry written and read back */
    char lib[4096] = "";
    assert_int_not_equal(dl_iterate_phdr(find_libzip, lib), 0);
    void *zh = dlopen(lib, RTLD_LAZY | RTLD_NOLOAD);
    assert_non_null(zh);
#define Z(f)                                                                                       \
    __typeof__(f) *p_##f = (__typeof__(f) *)dlsym(zh, #f);                                         \
    assert_non_null(p_##f)
    Z(zip_open);
    Z(zip_source_buffer);
    Z(zip_file_add);
    Z(zip_file_set_encryption);
    Z(zip_close);
    Z(zip_fopen_encrypted);
    Z(zip_fread);
    Z(zip_fclose);
    Z(zip_discard);
#undef Z
    char tmp[] = "md5shim-XXXXXX.zip";
    int fd = mkstemps(tmp, 4);
    assert_true(fd >= 0);
    close(fd);
    int err = 0;
    zip_t *za = p_zip_open(tmp, ZIP_CREATE | ZIP_TRUNCATE, &err);
    assert_non_null(za);
    static const char secret[] = "机密：AES-256";
    zip_source_t *src = p_zip_source_buffer(za, secret, sizeof secret, 0);
    assert_non_null(src);
    zip_int64_t i = p_zip_file_add(za, "s.txt", src, 0);
    assert_true(i >= 0);
    assert_int_equal(p_zip_file_set_encryption(za, (zip_uint64_t)i, ZIP_EM_AES_256, "口令"), 0);
    assert_int_equal(p_zip_close(za), 0);
    za = p_zip_open(tmp, ZIP_RDONLY, &err);
    assert_non_null(za);
    zip_file_t *zf = p_zip_fopen_encrypted(za, "s.txt", 0, "口令");
    assert_non_null(zf);
    char back[64] = "";
    assert_int_equal(p_zip_fread(zf, back, sizeof back), sizeof secret);
    assert_memory_equal(back, secret, sizeof secret);
    p_zip_fclose(zf);
    p_zip_discard(za);
    unlink(tmp);
    dlclose(zh);
}
#else
static void test_shim(void **state) {
    (void)state;
    skip(); /* not built: libxlsxwriter needs no libcrypto (CMakeLists.txt) */
}
static void test_libzip_beside(void **state) {
    (void)state;
    skip();
}
#endif

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shim),
        cmocka_unit_test(test_libzip_beside),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
