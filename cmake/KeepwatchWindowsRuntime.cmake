# SPDX-License-Identifier: MIT
# SPDX-FileCopyrightText: 2026 The Keepwatch developers

# The Windows cross build's run-time DLLs, found once: the directories wine
# must search (scripts/wine-run.sh, for the tests) and the DLLs a package
# ships beside the executables (scripts/windows.sh package).
#
#   KEEPWATCH_WINDOWS_DLL_DIRS  Qt's bin (Qt, SQLite, libmosquitto) and
#                               MinGW's runtime directories
#   KEEPWATCH_WINE_RUN          the command a test runs under

set(_kw_runtime_dlls libstdc++-6.dll libgcc_s_seh-1.dll libwinpthread-1.dll)
set(KEEPWATCH_WINDOWS_DLL_DIRS "${QT6_INSTALL_PREFIX}/${QT6_INSTALL_BINS}")
foreach(dll IN LISTS _kw_runtime_dlls)
    execute_process(COMMAND ${CMAKE_CXX_COMPILER} -print-file-name=${dll}
        OUTPUT_VARIABLE _kw_path OUTPUT_STRIP_TRAILING_WHITESPACE)
    if(NOT IS_ABSOLUTE "${_kw_path}")
        # GCC prints the bare name when it is not in its own directories.
        find_file(_kw_found_${dll} ${dll} PATHS /usr/${CMAKE_CXX_LIBRARY_ARCHITECTURE}
            /usr/x86_64-w64-mingw32/lib NO_CMAKE_FIND_ROOT_PATH NO_DEFAULT_PATH)
        set(_kw_path "${_kw_found_${dll}}")
    endif()
    if(NOT EXISTS "${_kw_path}")
        message(FATAL_ERROR "MinGW's ${dll} not found: is g++-mingw-w64-x86-64-posix installed?")
    endif()
    get_filename_component(_kw_dir "${_kw_path}" DIRECTORY)
    list(APPEND KEEPWATCH_WINDOWS_DLL_DIRS "${_kw_dir}")
endforeach()
list(REMOVE_DUPLICATES KEEPWATCH_WINDOWS_DLL_DIRS)
set(KEEPWATCH_WINE_RUN ${PROJECT_SOURCE_DIR}/scripts/wine-run.sh)
