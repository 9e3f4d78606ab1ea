// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QString>
#include <optional>

namespace kw {

// What a backup tool's exit status means, in the tool's own documented terms,
// for people reading a finished session ("3: some source files could not be
// read"). Pure lookup tables, one per tool:
// - restic (restic's "Exit codes" documentation): 0, 1, 3, 10, 11, 12, 130;
// - borg (borg's "Return codes"): 0, 1, 2, and 128+N for signal N;
// - rsync (rsync(1), "EXIT VALUES"): 0-6, 10-14, 20-25, 30, 35.
// A signal that killed the process wins over any code: "killed by SIGTERM".
class ExitCodes final {
public:
    ExitCodes() = delete;

    // `tool` as a session names it ("restic", "/usr/bin/rsync", "Borg").
    // Empty when there is nothing to explain (no code and no signal).
    static QString meaning(const QString &tool, std::optional<int> exitCode,
                           std::optional<int> signal = std::nullopt);

    // The tool's documented meaning of `code`, or empty when it has none.
    static QString documented(const QString &tool, int code);
};

} // namespace kw
