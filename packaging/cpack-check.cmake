# Run by cpack before packaging (CPACK_PROJECT_CONFIG_FILE): a package is built by
# tools/deb.sh's configuration, never from a developer build.
if(CPACK_HU_DEV_SOURCE_LOOKUP)
  message(FATAL_ERROR "这个构建打开了 HU_DEV_SOURCE_LOOKUP（程序会在源码树里找模板和字体），"
    "不能打包：请用 bash tools/deb.sh 生成软件包")
endif()
if(NOT CPACK_HU_INSTALL_PREFIX STREQUAL "/usr")
  message(FATAL_ERROR "Debian 软件包的安装前缀应为 /usr（现为 ${CPACK_HU_INSTALL_PREFIX}）："
    "请用 bash tools/deb.sh 生成软件包")
endif()
