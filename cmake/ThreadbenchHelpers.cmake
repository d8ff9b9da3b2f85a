# Helpers shared by every target: one place for warnings, Qt string strictness and sanitizers.

function(tb_enable_warnings target)
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow)
    if(TB_WARNINGS_AS_ERRORS)
        # GCC 12 reports false -Warray-bounds hits inside Qt's QStringBuilder (memcpy from
        # QString::_empty); keep them visible as warnings but do not fail the build on them.
        target_compile_options(${target} PRIVATE -Werror -Wno-error=array-bounds)
    endif()
    if(TB_ENABLE_ASAN)
        target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer)
        target_link_options(${target} PRIVATE -fsanitize=address,undefined)
    endif()
endfunction()

# tb_add_library(name SOURCES ...): a static layer library with the project's strict Qt defines.
function(tb_add_library name)
    cmake_parse_arguments(ARG "" "" "SOURCES" ${ARGN})
    add_library(${name} STATIC ${ARG_SOURCES})
    target_include_directories(${name} PUBLIC "${PROJECT_SOURCE_DIR}/src")
    target_compile_definitions(${name} PRIVATE
        QT_NO_CAST_FROM_ASCII QT_NO_CAST_TO_ASCII QT_NO_URL_CAST_FROM_STRING QT_USE_QSTRINGBUILDER)
    tb_enable_warnings(${name})
endfunction()

# tb_add_gtest(name SOURCES ... LIBS ... [GUI]): one GoogleTest binary registered with CTest.
function(tb_add_gtest name)
    cmake_parse_arguments(ARG "GUI" "" "SOURCES;LIBS" ${ARGN})
    add_executable(${name} ${ARG_SOURCES})
    if(ARG_GUI)
        target_sources(${name} PRIVATE "${PROJECT_SOURCE_DIR}/tests/support/gtest_qt_gui_main.cpp")
    else()
        target_sources(${name} PRIVATE "${PROJECT_SOURCE_DIR}/tests/support/gtest_qt_core_main.cpp")
    endif()
    target_link_libraries(${name} PRIVATE tb_test_support ${ARG_LIBS} GTest::gtest GTest::gmock Qt6::Test)
    target_compile_definitions(${name} PRIVATE QT_NO_CAST_TO_ASCII QT_USE_QSTRINGBUILDER)
    tb_enable_warnings(${name})
    gtest_discover_tests(${name}
        DISCOVERY_MODE PRE_TEST
        PROPERTIES ENVIRONMENT "QT_QPA_PLATFORM=offscreen;LANG=C.UTF-8" TIMEOUT 300)
endfunction()
