# The Debian package: `bash tools/deb.sh` (configure with -DCMAKE_INSTALL_PREFIX=/usr
# -DHU_DEV_SOURCE_LOOKUP=OFF, build, cpack). Why CPack and not a debian/ folder, and why the
# fonts are Recommends: packaging/README.md.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME huibao)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "The huibao authors")
set(CPACK_PACKAGE_CONTACT "huibao dev <dev@huibao.local>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Chinese work reports (工作情况汇报) from monthly YAML/JSON data")
set(CPACK_PACKAGE_DESCRIPTION
  "huibao turns a month's structured data (YAML or JSON) into the formatted Chinese work
report (工作情况汇报): a print-ready PDF in the GB/T 9704-2012 layout, an editable
Word document (DOCX), an XLSX workbook of the figures and Markdown. It computes
year-on-year and month-on-month changes, cumulative figures and completion rates,
and reports input mistakes in Chinese at file:line:col.")
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_STRIP_FILES ON)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION text)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CPACK_PACKAGE_CONTACT}")
# Depends: the shared libraries' packages, as dpkg-shlibdeps finds them from the binary, and
# the packages dpkg-shlibdeps cannot see: hyphen-en-us, the hyphenation patterns the
# typesetter reads at run time (HU_HYPHEN_DICT, src/linebreak.c), and the libraries huibao
# loads with dlopen on first use (libzip, libxml2: src/ooxml.c; libxlsxwriter: src/xlsxlib.c;
# ICU: src/segment.c; HarfBuzz: src/hblib.c; libhyphen, libunibreak: src/linebreak.c; libharu:
# src/hpdflib.h; their packages found by CMakeLists.txt's hu_dlopen_lib)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "hyphen-en-us")
# (and libcrypto: libxlsxwriter's is replaced by libhuibao-md5.so, but huibao loads the real
# one itself, by its path, for libzip when the replacement is loaded: src/dynlib.c)
foreach(pkg ${ZIP_PACKAGE} ${XML2_PACKAGE} ${XLSX_PACKAGE} ${ICU_PACKAGE} ${HBSUB_PACKAGE}
    ${HYPHEN_PACKAGE} ${UNIBREAK_PACKAGE} ${HPDF_PACKAGE} ${CRYPTO_PACKAGE})
  if(pkg MATCHES "^[a-z0-9][a-z0-9.+-]+$")
    string(APPEND CPACK_DEBIAN_PACKAGE_DEPENDS ", ${pkg}")
  else()
    message(WARNING "no Debian package found for a library loaded with dlopen (${pkg}): "
      "a .deb made here would not depend on it")
  endif()
endforeach()
# Libraries linked from static archives (CMakeLists.txt, HU_STATIC_DEPS: cmark-gfm, libfyaml,
# nettle, libdeflate, ICU's libicuuc with libstdc++ and libgcc_eh; tools/deb.sh insists on it)
# are not seen by dpkg-shlibdeps, so they leave Depends by themselves (libcmark-gfm0.29.0.gfm.6,
# libcmark-gfm-extensions0.29.0.gfm.6, libfyaml0, libnettle8, libdeflate0; libhuibao-md5.so takes
# its MD5 function from nettle's archive too); the fields below name them instead. libicu72 stays
# in Depends (ICU_PACKAGE above): it ships libicudata.so.72, ICU's data, which segment.c loads
# at run time even when ICU's code is linked (and libxml2 needs it anyway).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# --- the static archives' source packages (CMakeLists.txt HU_STATIC_DEPS) ---
# Static-Built-Using (deb-control(5), dpkg >= 1.21.3) names the source package and exact version
# of every archive linked in, so that the archive's tools can tell this package needs a rebuild
# when one of them gets a (security) update: the price of the faster start, since libfyaml parses
# every input. Built-Using (Debian Policy 7.8) names those whose licence makes the archive keep
# their source for this binary: nettle (LGPL-3+ or GPL-2+; cmark-gfm, libfyaml, libdeflate and
# ICU are BSD-2-clause and Expat, their notices in packaging/copyright; gcc-12's libstdc++ and
# libgcc_eh are GPL-3+ with the GCC Runtime Library Exception, which lifts that for programs
# compiled with GCC, as it does for the libgcc.a every C program links). CPack 3.25 has no variable for
# either field, nor for custom fields; it writes each control field as "Name: value", so the
# two ride on the Source field's value after a newline (tools/deb_test.sh checks that dpkg-deb
# reads both fields and that they name exactly the archives' packages).
if(HU_STATIC_LINKED)
  string(REPLACE ";" ", " hu_static_using "${HU_STATIC_SOURCES}")
  set(hu_built_using)
  foreach(src ${HU_STATIC_SOURCES})
    if(src MATCHES "^nettle ")
      list(APPEND hu_built_using "${src}")
    endif()
  endforeach()
  set(CPACK_DEBIAN_PACKAGE_SOURCE "huibao\nStatic-Built-Using: ${hu_static_using}")
  if(hu_built_using)
    string(REPLACE ";" ", " hu_built_using "${hu_built_using}")
    string(APPEND CPACK_DEBIAN_PACKAGE_SOURCE "\nBuilt-Using: ${hu_built_using}")
  endif()
endif()
# Recommends: the default fallback font packages, read from tools/deps.sh's build list (the one
# list of them; src/fonts.c names the same packages, tools/deb_test.sh checks all three agree)
file(READ ${CMAKE_SOURCE_DIR}/tools/deps.sh hu_deps_sh)
string(REGEX MATCH "BUILD_PKGS=\"[^\"]*\"" hu_build_pkgs "${hu_deps_sh}")
string(REGEX MATCHALL "fonts-[a-z0-9-]+" hu_font_pkgs "${hu_build_pkgs}")
if(NOT hu_font_pkgs)
  message(FATAL_ERROR "no fonts-* package in tools/deps.sh BUILD_PKGS")
endif()
string(REPLACE ";" ", " CPACK_DEBIAN_PACKAGE_RECOMMENDS "${hu_font_pkgs}")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "man-db, bash-completion")

# cpack refuses a build that would put this machine's paths into the package
set(CPACK_HU_DEV_SOURCE_LOOKUP ${HU_DEV_SOURCE_LOOKUP})
set(CPACK_HU_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_PROJECT_CONFIG_FILE ${CMAKE_SOURCE_DIR}/packaging/cpack-check.cmake)
set(CPACK_SOURCE_GENERATOR "")
include(CPack)
