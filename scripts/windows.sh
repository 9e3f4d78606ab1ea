#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# SPDX-FileCopyrightText: 2026 The Keepwatch developers
#
# Keepwatch for Windows, cross-built on Debian 12 and tested under wine.
# Opt-in: scripts/test.sh runs the Windows stage only when the Qt this script
# caches exists. See docs/windows.md.
#
#   scripts/windows.sh            everything below, in order
#   scripts/windows.sh qt         only the Qt cache (once: ~40 min on 2 cores)
#   scripts/windows.sh build      cross-build Keepwatch against the cached Qt
#   scripts/windows.sh test       run the core and CLI suites and the window
#                                 smoke test under wine
#   scripts/windows.sh package    the zip and Keepwatch-setup.exe (NSIS)
#   scripts/windows.sh smoke      install it into a fresh wine prefix and run
#                                 the installed CLI and window
#
# Debian ships no Qt for MinGW, so the Qt subset Keepwatch uses is built once
# from Debian's own source (qt6-base) with Debian's MinGW-w64 and
# Debian's Qt host tools, into KEEPWATCH_WINDOWS_QT (default
# ~/.cache/keepwatch/qt-6.4.2-mingw). Debian's +dfsg Qt source lacks the
# bundled SQLite, so SQLite is built from Debian's sqlite3 source into the
# same prefix as a DLL that both Qt's driver and Keepwatch's history link:
# Keepwatch prepares statements on the connection QtSql opened, which needs
# one SQLite in the process. simdjson (the event decoder) comes from Debian's
# source as well. The sources are fetched with apt's deb-src index kept in the
# cache, so nothing in /etc/apt changes and root is not needed for this part.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

cache=${KEEPWATCH_WINDOWS_CACHE:-$HOME/.cache/keepwatch}
qt_prefix=${KEEPWATCH_WINDOWS_QT:-$cache/qt-6.4.2-mingw}
work=$cache/windows-work
build=${KEEPWATCH_WINDOWS_BUILD:-$repo/build/windows}
jobs=${JOBS:-$(nproc)}
triplet=x86_64-w64-mingw32

qt_version=6.4.2
sqlite_version=3.40.1
simdjson_version=3.0.1
mosquitto_version=2.0.11

say() { printf '== %s ==\n' "$*"; }
die() {
    printf 'windows.sh: %s\n' "$*" >&2
    exit 1
}

# ---------------------------------------------------------------- packages
# The cross tool chain, wine, NSIS, tclsh (SQLite's amalgamation is generated
# by a Tcl script), and Debian's Qt host tools (moc, rcc, uic) the cross build
# runs.
ensure_packages() {
    local wanted=(g++-mingw-w64-x86-64-posix wine wine64 nsis tcl dpkg-dev
        cmake ninja-build qt6-base-dev qt6-base-dev-tools librsvg2-bin xvfb xauth zip unzip)
    local missing=()
    local p
    for p in "${wanted[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
            missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    say "installing ${missing[*]}"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
}

# ---------------------------------------------------------------- sources
# apt with its own deb-src list and state under $work/apt.
apt_private() {
    local tool=$1
    shift
    "$tool" -q -o Dir::Etc::SourceList="$work/apt/none.list" \
        -o Dir::Etc::SourceParts="$work/apt/sources.list.d" \
        -o Dir::State::Lists="$work/apt/lists" \
        -o Dir::Cache="$work/apt/cache" \
        -o Debug::NoLocking=1 "$@"
}

fetch_sources() {
    mkdir -p "$work/apt/sources.list.d" "$work/apt/lists/partial" \
        "$work/apt/cache/archives/partial" "$work/src"
    : >"$work/apt/none.list"
    cat >"$work/apt/sources.list.d/debian-src.sources" <<'EOF'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    say "fetching Debian's sources of qt6-base, sqlite3, simdjson, mosquitto"
    apt_private apt-get update >/dev/null
    local pkg
    for pkg in qt6-base sqlite3 simdjson mosquitto; do
        if ! compgen -G "$work/src/${pkg}_*.dsc" >/dev/null; then
            (cd "$work/src" && apt_private apt-get source --only-source "$pkg" >/dev/null)
        fi
    done
    qtbase_src=$(find "$work/src" -maxdepth 1 -type d -name "qt6-base-$qt_version*" | head -1)
    sqlite_src=$(find "$work/src" -maxdepth 1 -type d -name "sqlite3-$sqlite_version*" | head -1)
    simdjson_src=$(find "$work/src" -maxdepth 1 -type d -name "simdjson-$simdjson_version*" | head -1)
    mosquitto_src=$(find "$work/src" -maxdepth 1 -type d -name "mosquitto-$mosquitto_version*" | head -1)
    [ -n "$mosquitto_src" ] || die "Debian's mosquitto source is not $mosquitto_version any more"
    [ -n "$qtbase_src" ] || die "Debian's qt6-base source is not $qt_version any more: see docs/windows.md"
    [ -n "$sqlite_src" ] || die "Debian's sqlite3 source is not $sqlite_version any more"
    [ -n "$simdjson_src" ] || die "Debian's simdjson source is not $simdjson_version any more"
}

# ---------------------------------------------------------------- tool chain
# Written into the prefix: the installed Qt's CMake files record this path,
# so it must stay where the Qt is (a path inside the repository would move
# with every clone).
write_toolchain() {
    mkdir -p "$qt_prefix"
    # Written only when it changed: the Qt build depends on its time stamp.
    local file=$qt_prefix/toolchain.cmake
    toolchain_text >"$file.new"
    if cmp -s "$file.new" "$file"; then
        rm "$file.new"
    else
        mv "$file.new" "$file"
    fi
}

toolchain_text() {
    cat <<EOF
# Written by Keepwatch's scripts/windows.sh: MinGW-w64 (posix threads) for
# 64-bit Windows, finding libraries only in MinGW's root and this prefix.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR AMD64)
set(CMAKE_C_COMPILER $triplet-gcc-posix)
set(CMAKE_CXX_COMPILER $triplet-g++-posix)
set(CMAKE_RC_COMPILER $triplet-windres)
set(CMAKE_AR /usr/bin/$triplet-gcc-ar-posix CACHE FILEPATH "")
set(CMAKE_RANLIB /usr/bin/$triplet-gcc-ranlib-posix CACHE FILEPATH "")
set(CMAKE_FIND_ROOT_PATH /usr/$triplet "$qt_prefix")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
EOF
}

# ---------------------------------------------------------------- SQLite
build_sqlite() {
    [ -f "$qt_prefix/bin/sqlite3.dll" ] && return 0
    say "SQLite $sqlite_version: the amalgamation from Debian's source, as a DLL"
    local b=$work/sqlite-build
    rm -rf "$b" && mkdir -p "$b"
    (cd "$b" && "$sqlite_src/configure" >/dev/null && make -s sqlite3.c >/dev/null)
    # The options Qt's bundled copy is compiled with (FTS5 is what the
    # history's search uses), as one DLL with an import library.
    "$triplet-gcc-posix" -O2 -shared -o "$b/sqlite3.dll" "$b/sqlite3.c" \
        -DSQLITE_API='__declspec(dllexport)' -DSQLITE_THREADSAFE=1 \
        -DSQLITE_ENABLE_COLUMN_METADATA -DSQLITE_OMIT_COMPLETE -DSQLITE_ENABLE_FTS3 \
        -DSQLITE_ENABLE_FTS3_PARENTHESIS -DSQLITE_ENABLE_FTS5 -DSQLITE_ENABLE_RTREE \
        -Wl,--out-implib,"$b/libsqlite3.dll.a"
    mkdir -p "$qt_prefix/bin" "$qt_prefix/lib" "$qt_prefix/include"
    cp "$b/sqlite3.dll" "$qt_prefix/bin/"
    cp "$b/libsqlite3.dll.a" "$qt_prefix/lib/"
    cp "$b/sqlite3.h" "$sqlite_src/src/sqlite3ext.h" "$qt_prefix/include/" 2>/dev/null ||
        cp "$b/sqlite3.h" "$qt_prefix/include/"
}

# ---------------------------------------------------------------- simdjson
build_simdjson() {
    [ -f "$qt_prefix/lib/cmake/simdjson/simdjson-config.cmake" ] && return 0
    say "simdjson $simdjson_version from Debian's source, static"
    cmake -S "$simdjson_src" -B "$work/simdjson-build" -G Ninja \
        -DCMAKE_TOOLCHAIN_FILE="$qt_prefix/toolchain.cmake" -DCMAKE_BUILD_TYPE=Release \
        -DCMAKE_INSTALL_PREFIX="$qt_prefix" -DBUILD_SHARED_LIBS=OFF \
        -DSIMDJSON_DEVELOPER_MODE=OFF -DSIMDJSON_ENABLE_THREADS=ON >/dev/null
    cmake --build "$work/simdjson-build" -j "$jobs"
    cmake --install "$work/simdjson-build" >/dev/null
}

# ---------------------------------------------------------------- libmosquitto
# The MQTT client of many hosts (core/fleet), as a DLL. Without TLS: Debian
# has no OpenSSL for MinGW, so a Windows desktop reaches a broker by mqtt://
# only and says so for mqtts:// (docs/windows.md). No threads: Keepwatch
# drives the client from Qt's event loop.
build_mosquitto() {
    [ -f "$qt_prefix/lib/pkgconfig/libmosquitto.pc" ] && return 0
    say "libmosquitto $mosquitto_version from Debian's source (no TLS)"
    cmake -S "$mosquitto_src" -B "$work/mosquitto-build" -G Ninja \
        -DCMAKE_TOOLCHAIN_FILE="$qt_prefix/toolchain.cmake" -DCMAKE_BUILD_TYPE=Release \
        -DCMAKE_INSTALL_PREFIX="$qt_prefix" -DWITH_TLS=OFF -DWITH_TLS_PSK=OFF -DWITH_EC=OFF \
        -DWITH_THREADING=OFF -DWITH_CJSON=OFF -DWITH_BROKER=OFF -DWITH_APPS=OFF \
        -DWITH_CLIENTS=OFF -DWITH_PLUGINS=OFF -DDOCUMENTATION=OFF -DWITH_LIB_CPP=OFF \
        -DWITH_UNIX_SOCKETS=OFF -DWITH_SRV=OFF >"$work/mosquitto-configure.log" 2>&1 ||
        die "libmosquitto's configure failed: see $work/mosquitto-configure.log"
    cmake --build "$work/mosquitto-build" -j "$jobs"
    cmake --install "$work/mosquitto-build" >/dev/null
    # Its install rule names no ARCHIVE destination: the import library the
    # linker needs stays in the build tree.
    cp "$work/mosquitto-build/lib/libmosquitto.dll.a" "$qt_prefix/lib/"
}

# ---------------------------------------------------------------- Qt
qt_common_args() {
    echo -G Ninja \
        -DCMAKE_TOOLCHAIN_FILE="$qt_prefix/toolchain.cmake" \
        -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$qt_prefix"
}

build_qtbase() {
    [ -f "$qt_prefix/lib/cmake/Qt6Widgets/Qt6WidgetsConfig.cmake" ] && return 0
    say "Qt $qt_version (qtbase) for MinGW-w64: ~36 min on 2 cores"
    local b=$work/qtbase-build
    rm -rf "$b"
    # What Keepwatch uses: Core, Gui, Widgets, Sql (SQLite), Concurrent,
    # Test, PrintSupport (reports). Off: what MinGW has no system library for
    # (the bundled zlib, libpng, freetype, harfbuzz and PCRE2 are built in),
    # OpenGL (INPUT_opengl as well, or dynamic OpenGL stays on), D-Bus,
    # network, Vulkan, ICU, JPEG, zstd, and tablets (the wintab headers are
    # not in Debian's source). direct2d stays on: 6.4.2 does not link
    # without it.
    # shellcheck disable=SC2046
    cmake -S "$qtbase_src" -B "$b" $(qt_common_args) \
        -DQT_HOST_PATH=/usr -DQT_HOST_PATH_CMAKE_DIR=/usr/lib/x86_64-linux-gnu/cmake \
        -DQT_QMAKE_TARGET_MKSPEC=win32-g++ -DBUILD_SHARED_LIBS=ON \
        -DQT_BUILD_EXAMPLES=OFF -DQT_BUILD_TESTS=OFF -DQT_BUILD_BENCHMARKS=OFF \
        -DINPUT_opengl=no -DFEATURE_opengl=OFF -DFEATURE_dbus=OFF -DFEATURE_network=OFF \
        -DFEATURE_vulkan=OFF -DFEATURE_icu=OFF -DFEATURE_jpeg=OFF -DFEATURE_zstd=OFF \
        -DFEATURE_tabletevent=OFF \
        -DFEATURE_system_zlib=OFF -DFEATURE_system_png=OFF -DFEATURE_system_jpeg=OFF \
        -DFEATURE_system_freetype=OFF -DFEATURE_system_harfbuzz=OFF \
        -DFEATURE_system_pcre2=OFF -DFEATURE_system_doubleconversion=OFF \
        -DFEATURE_system_libb2=OFF -DFEATURE_system_textmarkdownreader=OFF \
        -DFEATURE_sql=ON -DFEATURE_sql_sqlite=ON -DFEATURE_system_sqlite=ON \
        -DSQLite3_INCLUDE_DIR="$qt_prefix/include" \
        -DSQLite3_LIBRARY="$qt_prefix/lib/libsqlite3.dll.a" \
        -DFEATURE_sql_odbc=OFF -DFEATURE_sql_psql=OFF -DFEATURE_sql_mysql=OFF \
        -DFEATURE_sql_ibase=OFF -DFEATURE_sql_oci=OFF -DFEATURE_sql_db2=OFF \
        >"$work/qtbase-configure.log" 2>&1 ||
        die "qtbase's configure failed: see $work/qtbase-configure.log"
    grep -qi 'Using system provided SQLite.*yes' "$b/config.summary" ||
        die "qtbase did not take the SQLite DLL: see $b/config.summary"
    cmake --build "$b" -j "$jobs"
    cmake --install "$b" >/dev/null
}

# Each piece is built once and kept; the stamp says the whole cache is there.
stage_qt() {
    if [ -f "$qt_prefix/keepwatch-qt.stamp" ] &&
        [ -f "$qt_prefix/lib/pkgconfig/libmosquitto.pc" ]; then
        echo "Qt for MinGW-w64 is cached at $qt_prefix"
        return 0
    fi
    ensure_packages
    local started=$SECONDS
    fetch_sources
    write_toolchain
    build_sqlite
    build_simdjson
    build_mosquitto
    build_qtbase
    printf 'qt %s from Debian %s, built %s in %d s\n' "$qt_version" \
        "$(basename "$qtbase_src")" "$(date -u +%FT%TZ)" $((SECONDS - started)) \
        >"$qt_prefix/keepwatch-qt.stamp"
    say "Qt cached at $qt_prefix ($((SECONDS - started)) s)"
}

# ---------------------------------------------------------------- Keepwatch
require_qt() {
    [ -f "$qt_prefix/keepwatch-qt.stamp" ] ||
        die "no Qt for MinGW-w64 at $qt_prefix: run scripts/windows.sh qt first (~40 min)"
}

stage_build() {
    require_qt
    say "cross-building Keepwatch for Windows into $build"
    # ccache (when CMake finds it) keys on paths relative to the checkout, so
    # a fresh clone elsewhere (CI's) reuses what an earlier build compiled.
    export CCACHE_BASEDIR=$repo
    # pkg-config finds libmosquitto of the prefix, never the host's.
    PKG_CONFIG_LIBDIR="$qt_prefix/lib/pkgconfig" cmake -S "$repo" -B "$build" -G Ninja \
        -DCMAKE_TOOLCHAIN_FILE="$qt_prefix/toolchain.cmake" -DCMAKE_PREFIX_PATH="$qt_prefix" \
        -DQT_HOST_PATH=/usr -DQT_HOST_PATH_CMAKE_DIR=/usr/lib/x86_64-linux-gnu/cmake \
        -DCMAKE_BUILD_TYPE=Release -DKEEPWATCH_WERROR=ON -DKEEPWATCH_BUILD_BENCHMARKS=OFF \
        >/dev/null
    cmake --build "$build" -j "$jobs"
}

# Ends wine's server for a prefix: nothing of the tests keeps running.
stop_wine() {
    WINEPREFIX=$1 wineserver -k 2>/dev/null || true
    WINEPREFIX=$1 wineserver -w 2>/dev/null || true
}

stage_test() {
    say "core, CLI and window tests under wine"
    local status=0
    ctest --test-dir "$build" --output-on-failure -j "$jobs" || status=$?
    stop_wine "$build/wineprefix"
    return $status
}

# The DLLs a PE file imports that are ours to ship (Qt's, SQLite's,
# libmosquitto's, MinGW's runtime), found in the prefix and MinGW's
# directories; Windows' own are left out. Recursive through what it finds.
dll_dirs() {
    echo "$qt_prefix/bin"
    local dll
    for dll in libstdc++-6.dll libgcc_s_seh-1.dll libwinpthread-1.dll; do
        dirname "$("$triplet-g++-posix" -print-file-name=$dll)"
    done
}

copy_dependencies() {
    local file=$1 to=$2 name dir
    for name in $("$triplet-objdump" -p "$file" | sed -n 's/^\s*DLL Name: //p'); do
        [ -e "$to/$name" ] && continue
        for dir in $(dll_dirs); do
            if [ -f "$dir/$name" ]; then
                cp "$dir/$name" "$to/$name"
                copy_dependencies "$dir/$name" "$to"
                break
            fi
        done
    done
}

version() {
    sed -n 's/^ *VERSION \([0-9.]*\)$/\1/p' "$repo/CMakeLists.txt" | head -1
}

stage_package() {
    local out=$build/package stage=$build/package/Keepwatch v
    v=$(version)
    say "packaging Keepwatch $v for Windows: a zip and Keepwatch-setup.exe"
    rm -rf "$out"
    mkdir -p "$stage"
    local exe file
    for exe in keepwatch keepwatch-cli keepwatch-vss keepwatch-report-pdf; do
        file=$(find "$build" -maxdepth 3 -name "$exe.exe" -not -path "$out/*" -print -quit)
        [ -n "$file" ] || die "$exe.exe was not built"
        cp "$file" "$stage/"
    done
    # windeployqt's layout: plugins in folders beside the executables, which
    # Qt searches (the application's directory is on its library path).
    local plugin
    for plugin in platforms/qwindows platforms/qoffscreen platforms/qminimal \
        sqldrivers/qsqlite styles/qwindowsvistastyle imageformats/qico imageformats/qgif; do
        [ -f "$qt_prefix/plugins/$plugin.dll" ] || die "Qt's plugin $plugin.dll is missing"
        mkdir -p "$stage/$(dirname "$plugin")"
        cp "$qt_prefix/plugins/$plugin.dll" "$stage/$plugin.dll"
    done
    while IFS= read -r file; do
        copy_dependencies "$file" "$stage"
    done < <(find "$stage" -name '*.exe' -o -name '*.dll')
    find "$stage" \( -name '*.exe' -o -name '*.dll' \) -exec "$triplet-strip" --strip-unneeded {} +
    cp "$repo/LICENSE" "$stage/LICENSE.txt" 2>/dev/null || true
    (cd "$out" && zip -qr "Keepwatch-$v-windows-x64.zip" Keepwatch)
    makensis -V2 -DSTAGE="$stage" -DOUTFILE="$out/Keepwatch-setup.exe" -DVERSION="$v" \
        "$repo/packaging/windows/keepwatch.nsi"
    echo "$out/Keepwatch-$v-windows-x64.zip ($(du -h "$out/Keepwatch-$v-windows-x64.zip" | cut -f1))"
    echo "$out/Keepwatch-setup.exe ($(du -h "$out/Keepwatch-setup.exe" | cut -f1))"
}

# The installer in a fresh wine prefix, then what the issue's "done when"
# says, with the installed programs only (no build directory on the path).
stage_smoke() {
    local prefix=$build/wineprefix-smoke
    # Each program gets 2 minutes: one that hangs fails the stage, saying so.
    local wine=(timeout 120 "$repo/scripts/wine-run.sh")
    say "the installer and the installed programs under wine (a fresh prefix)"
    stop_wine "$prefix"
    rm -rf "$prefix"
    export WINEPREFIX=$prefix
    unset KEEPWATCH_WINE_DLL_PATH KEEPWATCH_SPOOL
    "${wine[@]}" "$build/package/Keepwatch-setup.exe" /S
    local installed="$prefix/drive_c/Program Files/Keepwatch"
    [ -f "$installed/keepwatch.exe" ] || die "the installer did not install keepwatch.exe"
    local menu="$prefix/drive_c/ProgramData/Microsoft/Windows/Start Menu/Programs/Keepwatch"
    [ -f "$menu/Keepwatch.lnk" ] || die "the installer made no Start-menu entry"
    local cli='C:\Program Files\Keepwatch\keepwatch-cli.exe'
    local app='C:\Program Files\Keepwatch\keepwatch.exe'

    local out status=0
    out=$("${wine[@]}" "$cli" run -- cmd /c "echo hi & exit 3") || status=$?
    [ "$status" != 124 ] || die "keepwatch-cli.exe run did not end within 120 s"
    [ "$status" = 3 ] || die "keepwatch-cli.exe run returned $status, not the command's 3"
    printf '%s\n' "$out" | grep -q '^hi' || die "the command's output did not pass through: $out"
    local list
    list=$("${wine[@]}" "$cli" list --json) || die "keepwatch-cli.exe list --json failed or did not end within 120 s"
    local id
    id=$(printf '%s' "$list" | python3 -c '
import json, sys
sessions = [s for s in json.load(sys.stdin) if s.get("state") == "failed" and s.get("exit_code") == 3]
assert len(sessions) == 1, sessions
print(sessions[0]["id"])') || die "keepwatch-cli.exe list does not show one failed session with exit code 3: $list"
    "${wine[@]}" "$cli" list | grep -q "$id" || die "keepwatch-cli.exe list does not name $id"
    "${wine[@]}" "$cli" show "$id" | grep -q 'hi' || die "keepwatch-cli.exe show $id lacks the line hi"
    local spool="$prefix/drive_c/users/${USER:-$(id -un)}/AppData/Local/Keepwatch/spool"
    [ -f "$spool/$id.jsonl" ] || die "the session is not in %LOCALAPPDATA%\\Keepwatch\\spool"
    echo "installed keepwatch-cli.exe: session $id failed with 3, its line hi recorded in $spool"

    # The window: offscreen, then the windows plugin on an X display.
    local shots=$build/screenshots
    mkdir -p "$shots"
    rm -f "$shots"/*.png
    QT_QPA_PLATFORM=offscreen "${wine[@]}" "$app" --open "$id" \
        --screenshot "$shots/offscreen.png" --screenshot-delay 3000 ||
        die "the window (offscreen) failed or did not quit within 120 s"
    [ -s "$shots/offscreen.png" ] || die "the window (offscreen) saved no screenshot"
    # wine's desktop (explorer.exe) was started by the programs above without
    # an X display and outlives them: a window shown on that desktop with the
    # windows plugin spun at full CPU after its screenshot and never quit.
    # A real Windows has no such thing; here the prefix starts again on Xvfb.
    stop_wine "$prefix"
    xvfb-run -a -s "-screen 0 1280x800x24" "${wine[@]}" "$app" -platform windows --open "$id" \
        --screenshot "$shots/windows.png" --screenshot-delay 4000 ||
        die "the window (windows plugin, Xvfb) failed or did not quit within 120 s"
    [ -s "$shots/windows.png" ] || die "the window (windows plugin, Xvfb) saved no screenshot"
    echo "the installed window started offscreen and with the windows plugin: $shots"
    stop_wine "$prefix"
}

stage=${1:-all}
case "$stage" in
qt) stage_qt ;;
build) stage_build ;;
test) stage_test ;;
package) stage_package ;;
smoke) stage_smoke ;;
all)
    ensure_packages
    stage_qt
    stage_build
    stage_test
    stage_package
    stage_smoke
    ;;
*) die "unknown stage '$stage' (qt, build, test, package, smoke or nothing for all)" ;;
esac
