// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QString>
#include <optional>

namespace kw {

// What a backup tool's exit status means, in the tool's own documented terms,
// for people reading a finished session ("3: some source files could not be
// read"), by the name a session gives its tool. The tables themselves are the
// tools' profiles (core/tools/*/, ToolProfile::exitCodes()): the details pane,
// the end event's summary (the state's tooltip, the reports) and the adapters
// all read the same one.
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
