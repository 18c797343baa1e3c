/* paths.h - finding bundled data (templates/, fonts/) without any setup, and the build clock. */
#ifndef HU_PATHS_H
#define HU_PATHS_H
#include <stdbool.h>

/* Directory holding `sub` ("fonts" or "templates"), looked up in order: $HUIBAO_DATA_DIR/sub,
 * <exe>/../share/huibao/sub (installed), the source tree the binary was built from (developer
 * builds only: CMake option HU_DEV_SOURCE_LOOKUP, off in packages), and the configured install
 * prefix. Returns a malloc'd path or NULL when none exists. */
char *hu_data_dir(const char *sub);
/* The same without $HUIBAO_DATA_DIR: the installation's or the source tree's own folder (the
 * built-in templates, which a test's data folder must not hide). */
char *hu_builtin_dir(const char *sub);

/* Seconds since the epoch for "generated at" stamps: SOURCE_DATE_EPOCH when set (reproducible
 * builds), else the clock. *from_env tells which (may be NULL). */
long long hu_build_time(bool *from_env);

#endif
