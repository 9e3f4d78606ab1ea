#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# SPDX-FileCopyrightText: 2026 The Keepwatch developers
"""What scripts/tidy.sh would check, each file with the key of its check.

    tidy-keys.py BUILD JOBS SALT_FILE... -- FILE_REGEX...

Prints one line per source file of BUILD/compile_commands.json that matches
one of the regular expressions: the key, a tab, the file's absolute path.

The key is a SHA-256 of everything clang-tidy's verdict on that file depends
on: the file as the compiler sees it (preprocessed: every header counts), the
project's own files among them byte for byte (the preprocessor drops comments,
and a NOLINT comment changes the verdict; gcc's -C keeps them but takes 7
times as long), the flags it is compiled with, and the SALT_FILEs
(.clang-tidy, scripts/tidy.sh, clang-tidy's version). The checkout's own path
is replaced by a placeholder first: a clean clone elsewhere (as CI's) gets
the same keys as this one.
"""
import os
import concurrent.futures
import hashlib
import json
import re
import shlex
import subprocess
import sys


def preprocess_command(entry):
    """The compile command, made to print the preprocessed file."""
    args = shlex.split(entry["command"]) if "command" in entry else list(entry["arguments"])
    out = []
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg in ("-o", "-MF", "-MT", "-MQ"):
            skip = True
        elif arg in ("-c", "-MD", "-MMD"):
            pass
        else:
            out.append(arg)
    return out + ["-E"]


def key_of(entry, root, salt):
    command = preprocess_command(entry)
    result = subprocess.run(command, cwd=entry["directory"], capture_output=True, check=False)
    if result.returncode != 0:
        # Not cacheable: an empty key makes tidy.sh check the file, and
        # clang-tidy says what is wrong with it.
        return ""
    digest = hashlib.sha256(salt)
    digest.update(" ".join(command).replace(root, "@ROOT@").encode())
    digest.update(b"\0")
    digest.update(result.stdout.replace(root.encode(), b"@ROOT@"))
    # The files the line markers name (# 12 "path" flags), the project's own.
    named = set(LINE_MARKER.findall(result.stdout))
    paths = {os.path.normpath(os.path.join(entry["directory"], path.decode()))
             for path in named}
    own = sorted(path for path in paths
                 if path.startswith(root + os.sep) and os.path.isfile(path))
    for path in own:
        with open(path, "rb") as f:
            digest.update(b"\0" + path.replace(root, "@ROOT@").encode() + b"\0")
            digest.update(f.read().replace(root.encode(), b"@ROOT@"))
    return digest.hexdigest()


LINE_MARKER = re.compile(rb'^# [0-9]+ "([^"]+)"', re.MULTILINE)


def main():
    if "--" not in sys.argv or len(sys.argv) < 5:
        sys.exit(__doc__)
    split = sys.argv.index("--")
    build, jobs = sys.argv[1], int(sys.argv[2])
    salt_files, patterns = sys.argv[3:split], [re.compile(p) for p in sys.argv[split + 1:]]
    root = subprocess.run(["git", "rev-parse", "--show-toplevel"], capture_output=True,
                          text=True, check=True).stdout.strip()

    salt = hashlib.sha256()
    for path in salt_files:
        with open(path, "rb") as f:
            salt.update(f.read().replace(root.encode(), b"@ROOT@"))
    salt.update(subprocess.run(["clang-tidy-14", "--version"], capture_output=True,
                               check=True).stdout)
    salt_bytes = salt.digest()

    with open(f"{build}/compile_commands.json", encoding="utf-8") as f:
        entries = [e for e in json.load(f) if any(p.search(e["file"]) for p in patterns)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        keys = pool.map(lambda e: key_of(e, root, salt_bytes), entries)
        for entry, key in zip(entries, keys):
            print(f"{key or '-'}\t{entry['file']}")


if __name__ == "__main__":
    main()
