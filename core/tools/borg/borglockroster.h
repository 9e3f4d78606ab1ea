// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <optional>

namespace kw {

// borg's repository lock roster (<repo>/lock.roster): plain JSON, no secret,
// readable by anyone who can read the repository directory, e.g.
//   {"exclusive": [["vm@3281355014145", 18979, 0]]}
//   {"shared": [["vm@3281355014145", 21869, 0]]}
// Each holder is [host id, pid, thread]; host id = <fqdn>@<uuid.getnode()>.
struct BorgLockRoster {
    struct Holder {
        bool exclusive = false;
        QString hostId;
        qint64 pid = 0;
        qint64 thread = 0;
    };
    QList<Holder> holders;

    // None when the text is not a roster; an empty roster (no holder) is valid.
    static std::optional<BorgLockRoster> parse(const QByteArray &json);
    // One sentence for the session log, e.g. "borg repository lock (lock.roster):
    // exclusive, held by pid 18979 on vm@3281355014145".
    QString describe() const;
};

} // namespace kw
