/* fileio.h - reading the files a report is made from, and path helpers.
 *
 * Every input file huibao reads (month files, history, templates, partials, style.yaml,
 * index.json) goes through hu_file_read, so that one rule holds everywhere: only regular files
 * are read. A FIFO, device or socket named like a month file in an archive folder would block
 * a batch forever (open() of a FIFO waits for a writer); it is refused with a located error. */
#ifndef HU_FILEIO_H
#define HU_FILEIO_H
#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "buf.h"
#include "error.h"

/* Read the whole regular file `path` into out (appended; NUL-terminated). `display` names the
 * file in messages (NULL: path); `what` says what it is ("文件", "模板文件"); more than `max`
 * bytes is an error. Returns false after adding an error to d. */
bool hu_file_read(const char *path, const char *display, const char *what, size_t max, hu_buf *out,
                  hu_diags *d);

/* Write data[0..len) to path (created or truncated), flushed to the file system. display names
 * it in messages (NULL: path). Returns false after adding an error with the system's reason
 * (a full disk: 设备上没有空间) to d. */
bool hu_file_write(const char *path, const char *display, const void *data, size_t len,
                   hu_diags *d);

/* True when path names a regular file (following links), without opening it. */
bool hu_file_is_regular(const char *path);

/* True for the name of an input file: .yaml, .yml or .json in any letter case, not hidden. */
bool hu_path_is_input(const char *name);

/* True when path, with every link resolved, lies inside dir (also resolved). False when either
 * does not exist. */
bool hu_path_inside(const char *path, const char *dir);

/* The last component of a path ("a/b/c.yaml" → "c.yaml"); a pointer into p. */
const char *hu_path_base(const char *p);

/* The folder part of a path, in a ("a/b/c.yaml" → "a/b", "/c.yaml" → "/"); NULL when p names
 * no folder ("c.yaml": the working directory; callers that join names to it keep them as
 * they are). */
char *hu_path_dir(hu_arena *a, const char *p);

/* The file name without folder and without its last extension, malloc'd ("a/2026-10.yaml" →
 * "2026-10"; a leading dot is part of the name). */
char *hu_path_stem(const char *p);

#endif
