// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <string>
#include <vector>

namespace kw::vss {

// keepwatch-vss's command line, parsed without Windows so it is tested on
// Linux.
struct Options {
    enum class Command { None, Writers, Snapshot, Help };
    Command command = Command::None;
    std::vector<std::string> volumes; // snapshot: volumes to shadow, default C:\ .
    bool restore = false;             // snapshot --restore: a restore session
    std::string document;             // --document FILE: the backup components document
    std::string error;                // set when the command line is wrong

    static Options parse(const std::vector<std::string> &args); // args without argv[0]
    static std::string usage();
};

} // namespace kw::vss
