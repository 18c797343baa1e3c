/* paths.h - finding bundled data (templates/, fonts/) without any setup, the build clock, and
 * the test suite's hooks in the environment. */
#ifndef HU_PATHS_H
#define HU_PATHS_H
#include <stdbool.h>
#include <stddef.h>

/* Directory holding `sub` ("fonts" or "templates"), looked up in order: $HUIBAO_DATA_DIR/sub,
 * <exe>/../share/huibao/sub (installed), the source tree the binary was built from (developer
 * builds only: CMake option HU_DEV_SOURCE_LOOKUP, off in packages), and the configured install
 * prefix. Returns a malloc'd path or NULL when none exists. */
char *hu_data_dir(const char *sub);
/* The same without $HUIBAO_DATA_DIR: the installation's or the source tree's own folder (the
 * built-in templates, which a test's data folder must not hide). */
char *hu_builtin_dir(const char *sub);

/* The folder of the running executable (BIN; /proc/self/exe, symbolic links resolved) in dir,
 * without a trailing '/': cutting it at its last '/' gives the installation's prefix (BIN/..).
 * False when it cannot be read. hu_builtin_dir and dynlib.c's libhuibao-md5.so start here. */
bool hu_exe_dir(char *dir, size_t size);

/* Is item[0..n) one of the comma-separated names in environment variable var? For the test
 * suite's hooks (HU_TEST_NO_LIB, HU_TEST_FSYNC_FAIL: packaging/huibao.1.in); false when unset. */
bool hu_env_list_has(const char *var, const char *item, size_t n);

/* Seconds since the epoch for "generated at" stamps: SOURCE_DATE_EPOCH when set (reproducible
 * builds), else the clock. *from_env tells which (may be NULL). */
long long hu_build_time(bool *from_env);

#endif
