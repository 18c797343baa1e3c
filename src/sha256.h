/* sha256.h - SHA-256 of files and buffers (nettle), as lowercase hex. */
#ifndef HU_SHA256_H
#define HU_SHA256_H
#include <stdbool.h>
#include <stddef.h>

bool hu_sha256_file(const char *path, char hex[65]);
void hu_sha256_buf(const void *data, size_t len, char hex[65]);
/* A digest (32 bytes) as hex, for callers that hash as they write (pdf_write.c). */
void hu_sha256_hex(const unsigned char digest[32], char hex[65]);

#endif
