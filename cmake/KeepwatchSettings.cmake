# SPDX-License-Identifier: MIT
# SPDX-FileCopyrightText: 2026 The Keepwatch developers

# One INTERFACE target that carries the project's compiler settings, so every
# target opts in with a single target_link_libraries() instead of global flags.
add_library(keepwatch_settings INTERFACE)
add_library(Keepwatch::settings ALIAS keepwatch_settings)

target_compile_options(keepwatch_settings INTERFACE
    $<$<CXX_COMPILER_ID:GNU,Clang>:-Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
        -Wcast-align -Woverloaded-virtual -Wformat=2 -Wimplicit-fallthrough>
    $<$<BOOL:${KEEPWATCH_WERROR}>:-Werror>)

# Qt hygiene: no silent char* -> QString conversions, QStringBuilder everywhere,
# and no narrowing in signal/slot connections.
target_compile_definitions(keepwatch_settings INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_CAST_FROM_BYTEARRAY
    QT_USE_QSTRINGBUILDER
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_NO_URL_CAST_FROM_STRING
    QT_STRICT_ITERATORS
    QT_DISABLE_DEPRECATED_BEFORE=0x060400)

option(KEEPWATCH_WERROR "Treat warnings as errors" OFF)
option(KEEPWATCH_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
option(KEEPWATCH_TSAN "Build with ThreadSanitizer" OFF)
if(KEEPWATCH_SANITIZE)
    target_compile_options(keepwatch_settings INTERFACE
        -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    target_link_options(keepwatch_settings INTERFACE -fsanitize=address,undefined)
endif()
if(KEEPWATCH_TSAN)
    target_compile_options(keepwatch_settings INTERFACE -fsanitize=thread -fno-omit-frame-pointer)
    target_link_options(keepwatch_settings INTERFACE -fsanitize=thread)
endif()
