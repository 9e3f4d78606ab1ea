// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QString>
#include <optional>

namespace kw::ProducerCheck {

// The wrapper that writes a spool file, as its start event (the file's
// first line) names it: only a `keepwatch-cli run` of this host says its
// pid, start time and boot.
struct Producer {
    qint64 pid = 0;
    quint64 startTicks = 0;
    QString bootId;
};
std::optional<Producer> producerOf(const QString &path, std::optional<uint> requiredOwner);

// Whether the file's last complete line is an end event: a session that
// ended as it should.
bool endsWithEndEvent(const QString &path, std::optional<uint> requiredOwner);

// Whether the producer died without its end event, as SpoolSource decides
// for its own spool: gone (pid, start time and boot no longer match a
// process), and the file, read after that, does not end with an end event
// (an end written just before the exit is never overlooked).
bool diedWithoutEnd(const QString &path, std::optional<uint> requiredOwner,
                    const Producer &producer);

} // namespace kw::ProducerCheck
