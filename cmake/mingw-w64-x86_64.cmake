# SPDX-License-Identifier: MIT
# SPDX-FileCopyrightText: 2026 The Keepwatch developers

# Cross-compiles for 64-bit Windows with Debian's MinGW-w64 (package
# g++-mingw-w64-x86-64-posix). There is no Qt for MinGW here, so with this
# file the top-level CMakeLists.txt builds only keepwatch-vss.exe:
#
#   cmake -S . -B build/mingw -G Ninja \
#         -DCMAKE_TOOLCHAIN_FILE=cmake/mingw-w64-x86_64.cmake
#   cmake --build build/mingw
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

set(_kw_mingw x86_64-w64-mingw32)
# The -posix variant: std::thread and friends (winpthreads), which the
# -win32 variant of GCC 12 lacks.
set(CMAKE_C_COMPILER ${_kw_mingw}-gcc-posix)
set(CMAKE_CXX_COMPILER ${_kw_mingw}-g++-posix)
set(CMAKE_RC_COMPILER ${_kw_mingw}-windres)

set(CMAKE_FIND_ROOT_PATH /usr/${_kw_mingw})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# Tests of the cross build (tests/vss/wine) run the .exe under wine.
find_program(_kw_wine NAMES wine wine64)
if(_kw_wine)
    set(CMAKE_CROSSCOMPILING_EMULATOR ${_kw_wine})
endif()
