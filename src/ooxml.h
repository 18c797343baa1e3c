/* ooxml.h - the zip and XML layer under Office Open XML files (.docx written, .docx and .xlsx
 * read), on Debian's libzip and libxml2.
 *
 * Writing: members in the order they are added, one fixed timestamp, one deflate level, so the
 * same parts give the same bytes (reproducible builds). XML is written by the caller as text
 * through hu_xml_esc, which escapes markup and keeps characters XML 1.0 forbids (or Word
 * refuses) out of the file; libxml2's xmlwriter passes U+0001, U+FFFE and invalid UTF-8
 * straight through, so it would need the same filter around every call, and the fixed markup
 * of a WordprocessingML part reads better as the literal text it is.
 *
 * Reading: a zip from someone else (a reference .docx, a workbook handed back) is opened only
 * within caps — entry count, per-entry and total uncompressed size, compression ratio (zip
 * bombs), member names (no absolute paths, no "..", no backslashes, no duplicates), stored or
 * deflated members only, no encryption — and every member's CRC is checked as it is read. Its
 * XML is parsed by libxml2 with no DTD, no entities, no network and a node cap, into a small
 * read-mostly tree API (hu_xml_*) that the DOCX style reader and the XLSX reader share. */
#ifndef HU_OOXML_H
#define HU_OOXML_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "error.h"

/* ---------------------------------------------------------------- writing a zip */

typedef struct hu_zip_writer hu_zip_writer;

/* A new archive whose members all carry mtime (epoch seconds, written as the UTC calendar
 * time; clamped to the DOS range 1980-2107, so 0 gives 1980-01-01 00:00). */
hu_zip_writer *hu_zipw_new(long long mtime);
/* Appends a member (data is copied). Members keep this order. */
void hu_zipw_add(hu_zip_writer *w, const char *name, const void *data, size_t len);
void hu_zipw_add_buf(hu_zip_writer *w, const char *name, const hu_buf *b);
/* The archive's bytes into out (deflate level 6 for every member). Frees w. */
bool hu_zipw_finish(hu_zip_writer *w, hu_buf *out, hu_diags *d);
void hu_zipw_free(hu_zip_writer *w);

/* ---------------------------------------------------------------- reading a zip */

typedef struct hu_zip_limits {
    size_t max_entries;       /* members, directories included */
    uint64_t max_entry_bytes; /* uncompressed size of one member */
    uint64_t max_total_bytes; /* all members together, and the archive file itself */
    unsigned max_ratio;       /* uncompressed / compressed, for members over 64 KiB */
    size_t max_name_bytes;    /* longest member name */
} hu_zip_limits;

/* 4096 entries, 64 MiB a member, 256 MiB in all, ratio 200, names up to 1024 bytes. */
void hu_zip_limits_default(hu_zip_limits *l);

typedef struct hu_zip_reader hu_zip_reader;

/* Opens the zip at path (read whole into memory, so a file larger than max_total_bytes is
 * refused before it is read). Every central-directory entry is checked against the limits
 * and the name rules here; one bad entry refuses the whole file, with a message naming it.
 * lim may be NULL (defaults). Returns NULL on error (reported in d against path). */
hu_zip_reader *hu_zip_open(const char *path, const hu_zip_limits *lim, hu_diags *d);
/* The same over bytes in memory (copied); name is what messages call it. */
hu_zip_reader *hu_zip_open_mem(const void *data, size_t len, const char *name,
                               const hu_zip_limits *lim, hu_diags *d);
void hu_zip_close(hu_zip_reader *z);
size_t hu_zip_count(const hu_zip_reader *z);
const char *hu_zip_name(const hu_zip_reader *z, size_t i);
/* True when the archive has a member of that exact name. */
bool hu_zip_has(const hu_zip_reader *z, const char *name);
/* Reads a member whole into out (cleared first, NUL-terminated). Never more than its declared
 * size is accepted, and the bytes read so far from this archive count against
 * max_total_bytes; a CRC mismatch or a truncated member is an error. */
bool hu_zip_read(hu_zip_reader *z, const char *name, hu_buf *out, hu_diags *d);

/* True when name is acceptable as a member name: relative, '/'-separated, no empty, "." or
 * ".." segment, no backslash, colon or control character, valid UTF-8. */
bool hu_zip_name_ok(const char *name);

/* ---------------------------------------------------------------- writing XML */

/* Appends s to b escaped for XML text and attribute values (& < > " ' and tab, LF, CR as
 * character references). Every character XML 1.0 does not allow, or allows but Word rejects
 * or shows as garbage — C0 controls, DEL, C1 controls, surrogates, U+FFFE/U+FFFF — and every
 * invalid UTF-8 sequence becomes U+3013 〓, the mark the PDF draws for a missing character,
 * so nothing vanishes unseen. Characters above U+FFFF are kept. */
void hu_xml_esc(hu_buf *b, const char *s);
void hu_xml_esc_n(hu_buf *b, const char *s, size_t n);

/* ---------------------------------------------------------------- reading XML */

typedef struct hu_xml hu_xml;
typedef struct hu_xml_node hu_xml_node; /* an element of a hu_xml */

/* Parses one XML part. Refused: a document type declaration (so no entity can be defined),
 * more than max_nodes nodes (0: 2 000 000), nesting deeper than libxml2's 256, malformed XML.
 * name is what messages call the part ("ref.docx:word/styles.xml"). NULL on error. */
hu_xml *hu_xml_parse(const char *data, size_t len, const char *name, size_t max_nodes, hu_diags *d);
void hu_xml_free(hu_xml *x);
hu_xml_node *hu_xml_root(const hu_xml *x);
/* Local name and namespace URI (NULL when none) of an element. */
const char *hu_xml_local(const hu_xml_node *n);
const char *hu_xml_ns(const hu_xml_node *n);
/* The first element child of n, and the next element sibling, with that local name (NULL:
 * any element). */
hu_xml_node *hu_xml_child(const hu_xml_node *n, const char *local);
hu_xml_node *hu_xml_next(const hu_xml_node *n, const char *local);
/* The value of n's attribute with that local name (any namespace), or NULL. The string lives
 * until hu_xml_free. */
const char *hu_xml_attr(hu_xml *x, const hu_xml_node *n, const char *local);
/* The text of n and its descendants, concatenated (lives until hu_xml_free). */
const char *hu_xml_text(hu_xml *x, const hu_xml_node *n);

/* Editing, for merging one part into another. */
/* Sets the attribute of that local name (keeps its namespace); adds it in the element's own
 * namespace when absent. */
void hu_xml_set_attr(hu_xml_node *n, const char *local, const char *value);
/* Unlinks and frees n and its subtree. */
void hu_xml_remove(hu_xml_node *n);
/* Appends a deep copy of src (from another document) as the last child of parent; returns
 * the copy. */
hu_xml_node *hu_xml_append_copy(hu_xml *x, hu_xml_node *parent, const hu_xml_node *src);
/* The document as UTF-8 XML with its declaration (standalone="yes"). */
void hu_xml_serialize(const hu_xml *x, hu_buf *out);

#endif
