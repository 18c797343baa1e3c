/* jobresult.h - a report's result as a -j worker hands it to the batch's parent.
 *
 * With -j each report is built in a worker process, which writes its result into a socket. The
 * result is a sequence of records, each a tag byte, the payload's length in decimal, ':' and
 * the payload, ending with an empty 'Z' record, so no text inside a title, file name or message
 * (newlines, NULs, digits, colons included) can end a record early or forge another, and a
 * result cut short (a killed child) has no end and is refused. */
#ifndef HU_JOBRESULT_H
#define HU_JOBRESULT_H
#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "error.h"
#include "report.h"

/* A result larger than this is not a result (the diagnostics are capped at 200 entries). */
#define HU_JOBRESULT_MAX (16u << 20)

/* Append the records of (status, r, d) to b. Only what the parent uses travels: the status,
 * the diagnostics with their counts, outputs, dependencies, title, org, period, template,
 * the figures' workbook, history months and pages. */
void hu_jobresult_write(hu_buf *b, int status, const hu_report_result *r, const hu_diags *d);

/* Whether the parent expects `path` as an output of this child (ctx is the caller's). */
typedef bool (*hu_jobresult_accept)(const char *path, void *ctx);

/* Read a result of n bytes into *status, r (zeroed by the caller) and d (diagnostics added).
 * False when it is not a whole, well-formed result, or names an output accept() refuses: then
 * r->outputs is emptied (the caller treats the report as failed) and *status is untouched. */
bool hu_jobresult_read(const char *s, size_t n, hu_jobresult_accept accept, void *ctx, int *status,
                       hu_report_result *r, hu_diags *d);

/* Where the first whole result in s[0..n) ends: its length (through the 'Z' record) when all
 * of it is there, 0 while it is still arriving, HU_JOBRESULT_BAD when no more bytes can make it
 * a result (a record header that is not one). A batch worker builds report after report on one
 * connection; this is how the parent knows a result is complete before reading it. */
#define HU_JOBRESULT_BAD ((size_t)-1)
size_t hu_jobresult_frame(const char *s, size_t n);

#endif
