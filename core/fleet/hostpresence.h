// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QHash>
#include <QList>
#include <QString>
#include <optional>

namespace kw {

// What a collector knows of a host's agent (docs/fleet.md, "Hosts"): online
// or offline by the host's retained status (its last will when it vanished),
// since when this collector has known that, when it last heard anything
// from the host, the version the agent says it is and whether it takes
// remote cancels. Times are the collector's clock; version and remote cancel
// are the agent's word, shown and never trusted (the agent checks a cancel
// itself).
struct HostPresence {
    QString host;
    bool online = false;
    qint64 sinceMs = 0;
    qint64 lastSeenMs = 0;
    QString agentVersion;
    bool remoteCancel = false;

    bool operator==(const HostPresence &o) const {
        return host == o.host && online == o.online && sinceMs == o.sinceMs
               && lastSeenMs == o.lastSeenMs && agentVersion == o.agentVersion
               && remoteCancel == o.remoteCancel;
    }
};

// The presence of each host mirrored under a remote root, kept beside its
// mirrors as ROOT/<host>/presence.json (not a session file: the spool
// reading takes only *.jsonl), so that the window and `list` on the
// collecting machine know it without a broker connection of their own.
namespace HostPresenceFile {

QString path(const QString &root, const QString &host);
// Written whole (a temporary file renamed): a reader never sees half.
// Empty, or what failed with the file's name.
QString write(const QString &root, const HostPresence &presence);
// The host's presence; nullopt with `error` naming the file when it is
// missing, too large (4 KiB), no JSON object or without a status.
std::optional<HostPresence> read(const QString &root, const QString &host, QString *error);
// Every mirrored host's (RemoteSpools::hosts), in host order; a host
// without a readable file is offline and never seen, its reason in `problems`.
QList<HostPresence> readAll(const QString &root, QStringList *problems = nullptr);
// The agent's version as shown: at most 40 printable characters.
QString cleanVersion(const QString &claimed);

} // namespace HostPresenceFile

// The collector's book of presences: what it heard, written when a status
// changes and at most every kSeenWriteMs for "last seen" alone.
class HostPresenceBook final {
public:
    static constexpr qint64 kSeenWriteMs = 10 * 1000;

    explicit HostPresenceBook(QString root);
    // A message of `host` arrived (any topic of its own): last seen. Empty,
    // or the write's failure.
    QString seen(const QString &host, qint64 nowMs);
    // Its retained status: online or offline, its agent's version, and
    // whether it takes remote cancels (an offline host takes none).
    QString status(const QString &host, bool online, const QString &version, bool remoteCancel,
                   qint64 nowMs);

private:
    HostPresence &entry(const QString &host);
    QString save(HostPresence &presence, qint64 nowMs);

    QString m_root;
    QHash<QString, HostPresence> m_hosts;
    QHash<QString, qint64> m_writtenMs;
};

} // namespace kw
