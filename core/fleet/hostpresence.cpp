// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "fleet/hostpresence.h"

#include "fleet/remotespools.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace kw {

namespace {

constexpr qint64 kMaxFileBytes = 4096;
constexpr qsizetype kMaxVersionChars = 40;

} // namespace

QString HostPresenceFile::path(const QString &root, const QString &host) {
    return QDir(root).filePath(host + QStringLiteral("/presence.json"));
}

QString HostPresenceFile::write(const QString &root, const HostPresence &presence) {
    const QString file = path(root, presence.host);
    QJsonObject o{{QLatin1String("status"),
                   presence.online ? QLatin1String("online") : QLatin1String("offline")},
                  {QLatin1String("since_ms"), presence.sinceMs},
                  {QLatin1String("last_seen_ms"), presence.lastSeenMs}};
    if (!presence.agentVersion.isEmpty())
        o.insert(QLatin1String("agent_version"), presence.agentVersion);
    if (presence.remoteCancel)
        o.insert(QLatin1String("remote_cancel"), true);
    QSaveFile out(file);
    if (!out.open(QIODevice::WriteOnly)
        || out.write(QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n') < 0 || !out.commit())
        return QStringLiteral("cannot write %1: %2").arg(file, out.errorString());
    return {};
}

std::optional<HostPresence> HostPresenceFile::read(const QString &root, const QString &host,
                                                   QString *error) {
    const QString file = path(root, host);
    auto fail = [&](const QString &why) {
        if (error)
            *error = QStringLiteral("%1: %2").arg(file, why);
        return std::nullopt;
    };
    QFile in(file);
    if (!in.open(QIODevice::ReadOnly))
        return fail(in.errorString());
    const QByteArray bytes = in.read(kMaxFileBytes + 1);
    if (bytes.size() > kMaxFileBytes)
        return fail(QStringLiteral("larger than %1 bytes").arg(kMaxFileBytes));
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &parseError);
    if (!doc.isObject())
        return fail(parseError.error == QJsonParseError::NoError
                        ? QStringLiteral("not a JSON object")
                        : QStringLiteral("not JSON (%1 at byte %2)")
                              .arg(parseError.errorString())
                              .arg(parseError.offset));
    const QJsonObject o = doc.object();
    const QString status = o.value(QLatin1String("status")).toString();
    if (status != QLatin1String("online") && status != QLatin1String("offline"))
        return fail(QStringLiteral("no status (online or offline)"));
    HostPresence p;
    p.host = host;
    p.online = status == QLatin1String("online");
    p.sinceMs = o.value(QLatin1String("since_ms")).toInteger();
    p.lastSeenMs = o.value(QLatin1String("last_seen_ms")).toInteger();
    p.agentVersion = cleanVersion(o.value(QLatin1String("agent_version")).toString());
    p.remoteCancel = p.online && o.value(QLatin1String("remote_cancel")).toBool(false);
    return p;
}

QList<HostPresence> HostPresenceFile::readAll(const QString &root, QStringList *problems) {
    QList<HostPresence> all;
    for (const QString &host : RemoteSpools::hosts(root)) {
        QString error;
        if (auto p = read(root, host, &error)) {
            all << *p;
            continue;
        }
        if (problems)
            *problems << error;
        HostPresence unknown;
        unknown.host = host;
        all << unknown;
    }
    return all;
}

QString HostPresenceFile::cleanVersion(const QString &claimed) {
    QString clean;
    for (const QChar c : claimed.left(kMaxVersionChars)) {
        if (c.isPrint())
            clean += c;
    }
    return clean;
}

HostPresenceBook::HostPresenceBook(QString root)
    : m_root(std::move(root)) {}

HostPresence &HostPresenceBook::entry(const QString &host) {
    auto it = m_hosts.find(host);
    if (it != m_hosts.end())
        return *it;
    // What an earlier run of the collector knew (its "since" goes on while
    // the status stays).
    HostPresence p = HostPresenceFile::read(m_root, host, nullptr).value_or(HostPresence{});
    p.host = host;
    return *m_hosts.insert(host, p);
}

QString HostPresenceBook::seen(const QString &host, qint64 nowMs) {
    HostPresence &p = entry(host);
    p.lastSeenMs = nowMs;
    if (nowMs - m_writtenMs.value(host, 0) < kSeenWriteMs)
        return {};
    return save(p, nowMs);
}

QString HostPresenceBook::status(const QString &host, bool online, const QString &version,
                                 bool remoteCancel, qint64 nowMs) {
    HostPresence &p = entry(host);
    const QString cleanVersion = HostPresenceFile::cleanVersion(version);
    remoteCancel = remoteCancel && online;
    const bool statusChanged =
        p.online != online || p.sinceMs == 0 || p.remoteCancel != remoteCancel;
    const bool versionChanged = !cleanVersion.isEmpty() && cleanVersion != p.agentVersion;
    if (p.online != online || p.sinceMs == 0)
        p.sinceMs = nowMs;
    p.online = online;
    p.remoteCancel = remoteCancel;
    if (versionChanged)
        p.agentVersion = cleanVersion;
    if (online) // an offline status is the broker's word (the will), not the host's
        p.lastSeenMs = nowMs;
    if (!statusChanged && !versionChanged && nowMs - m_writtenMs.value(host, 0) < kSeenWriteMs)
        return {};
    return save(p, nowMs);
}

QString HostPresenceBook::save(HostPresence &presence, qint64 nowMs) {
    m_writtenMs.insert(presence.host, nowMs);
    return HostPresenceFile::write(m_root, presence);
}

} // namespace kw
