# CPack: a Debian package and a plain tarball (house-style §10). Included from packaging/CMakeLists.txt;
# CPack writes CPackConfig.cmake into the top build directory, so `cpack --config build/release/CPackConfig.cmake`
# or `cmake --build --preset release --target package` both work.

set(CPACK_PACKAGE_NAME "threadbench")
set(CPACK_PACKAGE_VENDOR "Threadbench contributors")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_VERSION_MAJOR "${PROJECT_VERSION_MAJOR}")
set(CPACK_PACKAGE_VERSION_MINOR "${PROJECT_VERSION_MINOR}")
set(CPACK_PACKAGE_VERSION_PATCH "${PROJECT_VERSION_PATCH}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_DESCRIPTION
    "Threadbench is a Qt desktop workbench for the SQLite session databases written by the OpenAI
Agents SDK: browse conversations with their tool calls and token usage, branch from any turn,
run new turns against OpenAI-compatible endpoints and compare the branches.")
set(CPACK_PACKAGE_HOMEPAGE_URL "https://github.com/threadbench/threadbench")
set(CPACK_PACKAGE_CONTACT "Threadbench contributors <threadbench@users.noreply.github.com>")
set(CPACK_PACKAGE_INSTALL_DIRECTORY "threadbench")
set(CPACK_PACKAGE_CHECKSUM SHA256)
set(CPACK_STRIP_FILES ON)
if(EXISTS "${PROJECT_SOURCE_DIR}/LICENSE")
    set(CPACK_RESOURCE_FILE_LICENSE "${PROJECT_SOURCE_DIR}/LICENSE")
endif()

# Values reach CPackConfig.cmake exactly as written here (no second round of unescaping).
set(CPACK_VERBATIM_VARIABLES ON)
set(CPACK_GENERATOR "DEB;TGZ")

# Debian. The install prefix of the .deb defaults to /usr. Runtime library dependencies are found by
# dpkg-shlibdeps; Qt plugins are loaded with dlopen and invisible to it, so the SQLite driver (without
# which no session file opens) is listed by hand.
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CPACK_PACKAGE_CONTACT}")
set(CPACK_DEBIAN_PACKAGE_SECTION "devel")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libqt6sql6-sqlite")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "libqt6svg6")

# Source tarball (cpack --config CPackSourceConfig.cmake): the tree without build output or VCS data.
set(CPACK_SOURCE_GENERATOR "TGZ")
set(CPACK_SOURCE_PACKAGE_FILE_NAME "threadbench-${PROJECT_VERSION}")
set(CPACK_SOURCE_IGNORE_FILES "/\\.git/" "/build/" "/build-.*/" "/\\.cache/" "\\.user$")

include(CPack)
