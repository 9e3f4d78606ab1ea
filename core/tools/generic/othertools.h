// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "tools/toolprofile.h"

namespace kw {

// Backup tools Keepwatch recognises in /proc (kind and target from the
// command line) but has no adapter nor exit-code table for: rclone,
// duplicity, rdiff-backup, kopia, tar. Run through keepwatch-cli they are
// generic commands. One that gets an adapter moves to a folder of its own.
class OtherTools final {
public:
    OtherTools() = delete;

    static const ToolProfile &rclone();
    static const ToolProfile &duplicity();
    static const ToolProfile &rdiffBackup();
    static const ToolProfile &kopia();
    static const ToolProfile &tar();
};

} // namespace kw
