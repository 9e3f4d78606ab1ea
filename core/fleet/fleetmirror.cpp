// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "fleet/fleetmirror.h"

#include "fleet/fleettopics.h"
#include "fleet/mirrorfile.h"
#include "fleet/mqttclient.h"
#include "protocol/sessionid.h"
#include "protocol/timestamp.h"
#include "spool/producergone.h"
#include "spool/spoollocation.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

namespace kw {

namespace {

constexpr qsizetype kMaxEpochLength = 64;
constexpr qsizetype kMaxStatePayload = 4096;
// Far beyond any spool file (1 PiB), and far from overflowing offset + length.
constexpr qint64 kMaxOffset = qint64(1) << 50;

bool isEpoch(const QString &epoch) {
    if (epoch.isEmpty() || epoch.size() > kMaxEpochLength)
        return false;
    for (const QChar c : epoch) {
        if (!c.isDigit() && c != u'-')
            return false;
    }
    return true;
}

QJsonObject smallJsonObject(const QByteArray &payload) {
    if (payload.size() > kMaxStatePayload)
        return {};
    return QJsonDocument::fromJson(payload).object();
}

} // namespace

void FleetMirror::prepareClient(MqttClient::Options &options) {
    options.cleanStart = false;
    options.sessionExpirySeconds = 7 * 24 * 3600;
    options.receiveMaximum = FleetTopics::kReceiveMaximum;
}

FleetMirror::FleetMirror(MqttClient &client, Options options, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_options(std::move(options))
    , m_presence(m_options.directory)
    , m_openMirrors(m_options.maxOpenMirrors > 0 ? m_options.maxOpenMirrors
                                                 : OpenMirrors::defaultCapacity()) {
    connect(&m_client, &MqttClient::connected, this, &FleetMirror::connected);
    connect(&m_client, &MqttClient::messageReceived, this,
            [this](const QString &topic, const QByteArray &payload, bool,
                   const MqttClient::UserProperties &properties) {
                const FleetTopics::Parsed parsed = FleetTopics::parse(topic);
                switch (parsed.kind) {
                case FleetTopics::Parsed::Kind::Events:
                    chunk(parsed.host, parsed.sessionId, topic, payload, properties);
                    hostSeen(parsed.host);
                    break;
                case FleetTopics::Parsed::Kind::State:
                    state(parsed.host, parsed.sessionId, topic, payload);
                    hostSeen(parsed.host);
                    break;
                case FleetTopics::Parsed::Kind::Status:
                    status(parsed.host, topic, payload);
                    break;
                case FleetTopics::Parsed::Kind::Replay:
                case FleetTopics::Parsed::Kind::Cancel:
                case FleetTopics::Parsed::Kind::Probe:
                case FleetTopics::Parsed::Kind::Replies:
                    break; // requests and answers: RemoteCanceller's
                case FleetTopics::Parsed::Kind::Invalid:
                    Q_EMIT problem(parsed.problem + QStringLiteral("; ignored"));
                    break;
                }
            });
    // A replay the broker refuses (the ACL) leaves a mirror incomplete for
    // good: said once per connection, with what to change.
    connect(&m_client, &MqttClient::published, this, [this](int messageId, int reasonCode) {
        const auto asked = m_replayRequests.find(messageId);
        if (asked == m_replayRequests.end())
            return;
        const QString host = asked->second;
        m_replayRequests.erase(asked);
        if (reasonCode < 0x80 || m_replayRefusalSaid)
            return;
        m_replayRefusalSaid = true;
        Q_EMIT problem(
            QStringLiteral("the broker refuses this desktop's replay requests (%1: "
                           "%2): what was published before it connected stays "
                           "missing from the mirrors; let its user write "
                           "keepwatch/v1/+/cmd/replay (docs/fleet.md)")
                .arg(FleetTopics::replayTopic(host), MqttClient::reasonText(reasonCode)));
    });
    m_checkTimer.setInterval(m_options.checkIntervalMs);
    connect(&m_checkTimer, &QTimer::timeout, this, [this] {
        checkMissing(false);
        expireStatuses(Timestamp::nowMs());
    });
    m_checkTimer.start();
}

FleetMirror::~FleetMirror() = default;

QString FleetMirror::mirrorPath(const QString &host, const QString &sessionId) const {
    return SpoolLocation::fileForSession(QDir(m_options.directory).filePath(host), sessionId);
}

void FleetMirror::connected() {
    m_replayRequests.clear();
    m_replayRefusalSaid = false;
    // Hosts an earlier run knew online: their retained status comes again
    // now, unless it ran out while nobody listened.
    const qint64 now = Timestamp::nowMs();
    for (const HostPresence &p : HostPresenceFile::readAll(m_options.directory)) {
        if (p.online)
            m_onlineUntilMs.try_emplace(p.host, now + kDefaultStatusExpirySeconds * 1000);
    }
    // Events first: once a retained state or status has come, the live
    // chunks are coming too. What the retained states show missing is asked
    // for at the next check.
    m_client.subscribe(FleetTopics::allEventsFilter(), 1);
    m_client.subscribe(FleetTopics::allStatesFilter(), 1);
    m_client.subscribe(FleetTopics::allStatusFilter(), 1);
}

FleetMirror::Session *FleetMirror::session(const QString &host, const QString &sessionId) {
    const Key key{host, sessionId};
    auto it = m_sessions.find(key);
    if (it != m_sessions.end())
        return &it->second;
    const QString directory = QDir(m_options.directory).filePath(host);
    QString error = SpoolLocation::ensureDirectory(directory);
    // host and session ID were checked by FleetTopics::parse: a valid path.
    auto file = std::make_unique<MirrorFile>(mirrorPath(host, sessionId));
    if (error.isEmpty())
        error = file->open();
    if (!error.isEmpty()) {
        Q_EMIT problem(error);
        return nullptr;
    }
    m_hostDirectories.insert(host);
    Session s;
    s.sizeAtLastCheck = file->size();
    s.file = std::move(file);
    return &m_sessions.emplace(key, std::move(s)).first->second;
}

void FleetMirror::chunk(const QString &host, const QString &sessionId, const QString &topic,
                        const QByteArray &payload,
                        const QHash<QByteArray, QByteArray> &properties) {
    const QString epoch = QString::fromUtf8(properties.value(QByteArrayLiteral("kw-epoch")));
    bool ok = false;
    const qint64 offset = properties.value(QByteArrayLiteral("kw-offset")).toLongLong(&ok);
    QString why;
    if (!isEpoch(epoch))
        why = QStringLiteral("no valid kw-epoch property");
    else if (!ok || offset < 0 || offset > kMaxOffset)
        why = QStringLiteral("no valid kw-offset property");
    else if (payload.size() > kMaxChunkBytes)
        why = QStringLiteral("a chunk of %1 bytes (at most %2)")
                  .arg(payload.size())
                  .arg(kMaxChunkBytes);
    else if (payload.isEmpty())
        why = QStringLiteral("an empty chunk");
    if (!why.isEmpty()) {
        Q_EMIT problem(QStringLiteral("%1: %2; ignored").arg(topic, why));
        return;
    }
    Session *s = session(host, sessionId);
    if (!s)
        return;
    const MirrorFile::Result result = s->file->apply(epoch, offset, payload);
    m_openMirrors.used(s->file.get());
    if (!result.notice.isEmpty())
        Q_EMIT problem(result.notice);
    switch (result.outcome) {
    case MirrorFile::Result::Outcome::Appended:
        Q_EMIT mirrored(host, sessionId, s->file->size());
        break;
    case MirrorFile::Result::Outcome::Held:
        askForMissing(Key{host, sessionId}, *s, true);
        break;
    case MirrorFile::Result::Outcome::Error:
        Q_EMIT problem(QStringLiteral("%1: %2").arg(topic, result.error));
        break;
    case MirrorFile::Result::Outcome::Duplicate:
    case MirrorFile::Result::Outcome::StaleEpoch:
        break;
    }
}

void FleetMirror::state(const QString &host, const QString &sessionId, const QString &topic,
                        const QByteArray &payload) {
    if (payload.isEmpty())
        return; // a retained state deleted
    const QJsonObject o = smallJsonObject(payload);
    const QString epoch = o.value(QLatin1String("epoch")).toString();
    const qint64 end = o.value(QLatin1String("end")).toInteger(-1);
    if (!isEpoch(epoch) || end < 0 || end > kMaxOffset) {
        Q_EMIT problem(
            QStringLiteral("%1: not a session state (epoch and end); ignored").arg(topic));
        return;
    }
    checkClaimedHost(host, topic, o.value(QLatin1String("host")).toString());
    Session *s = session(host, sessionId);
    if (!s)
        return;
    const QString error = s->file->setRemoteEnd(epoch, end);
    m_openMirrors.used(s->file.get()); // a new epoch closes it
    if (!error.isEmpty())
        Q_EMIT problem(QStringLiteral("%1: %2").arg(topic, error));
    noteProducer(host, sessionId, *s, o, epoch, end);
}

void FleetMirror::noteProducer(const QString &host, const QString &sessionId, Session &s,
                               const QJsonObject &state, const QString &epoch, qint64 end) {
    const QString marker = ProducerGone::markerFor(mirrorPath(host, sessionId));
    if (!s.goneEpoch) {
        const auto existing = ProducerGone::read(marker);
        s.goneEpoch = existing ? existing->epoch : QString();
    }
    const qint64 goneMs = state.value(QLatin1String("producer_gone_ms")).toInteger(0);
    if (goneMs > 0) {
        if (*s.goneEpoch == epoch)
            return;
        ProducerGone gone;
        gone.pid = qMax<qint64>(0, state.value(QLatin1String("producer_pid")).toInteger(0));
        gone.atMs = goneMs;
        gone.endOffset = end;
        gone.epoch = epoch;
        if (const QString error = gone.write(marker); !error.isEmpty()) {
            Q_EMIT problem(error);
            return;
        }
        s.goneEpoch = epoch;
    } else if (!s.goneEpoch->isEmpty() && *s.goneEpoch != epoch) {
        QFile::remove(marker); // of an earlier file under the same name
        s.goneEpoch = QString();
    }
}

void FleetMirror::status(const QString &host, const QString &topic, const QByteArray &payload) {
    if (payload.isEmpty())
        return;
    const QJsonObject o = smallJsonObject(payload);
    const QString status = o.value(QLatin1String("status")).toString();
    if (status != QLatin1String("online") && status != QLatin1String("offline")) {
        Q_EMIT problem(QStringLiteral("%1: not a host status; ignored").arg(topic));
        return;
    }
    checkClaimedHost(host, topic, o.value(QLatin1String("host")).toString());
    // A host online with no session yet is a host all the same.
    if (const QString error =
            SpoolLocation::ensureDirectory(QDir(m_options.directory).filePath(host));
        !error.isEmpty()) {
        Q_EMIT problem(error);
        return;
    }
    m_hostDirectories.insert(host);
    const bool online = status == QLatin1String("online");
    const qint64 now = Timestamp::nowMs();
    if (online) {
        const qint64 expiry = o.value(QLatin1String("expiry_s")).toInteger(-1);
        m_onlineUntilMs[host] =
            now
            + (expiry >= 1 && expiry <= 24 * 3600 ? expiry : kDefaultStatusExpirySeconds) * 1000;
    } else {
        m_onlineUntilMs.erase(host);
    }
    if (const QString error =
            m_presence.status(host, online, o.value(QLatin1String("version")).toString(),
                              o.value(QLatin1String("remote_cancel")).toBool(false), now);
        !error.isEmpty())
        Q_EMIT problem(error);
    Q_EMIT hostStatus(host, status);
}

void FleetMirror::expireStatuses(qint64 nowMs) {
    for (auto it = m_onlineUntilMs.begin(); it != m_onlineUntilMs.end();) {
        if (it->second > nowMs) {
            ++it;
            continue;
        }
        const QString host = it->first;
        const qint64 since = it->second;
        it = m_onlineUntilMs.erase(it);
        if (const QString error = m_presence.status(host, false, {}, false, since);
            !error.isEmpty())
            Q_EMIT problem(error);
        Q_EMIT problem(QStringLiteral("host %1 said nothing more before its online status ran "
                                      "out (%2): taken as offline")
                           .arg(host, QString::fromLatin1(Timestamp::formatIsoMs(since))));
        Q_EMIT hostStatus(host, QStringLiteral("offline"));
    }
}

void FleetMirror::hostSeen(const QString &host) {
    // Its directory exists once a session or its status came (a lookup per
    // message, no stat).
    if (!m_hostDirectories.contains(host))
        return;
    if (const QString error = m_presence.seen(host, Timestamp::nowMs()); !error.isEmpty())
        Q_EMIT problem(error);
}

void FleetMirror::checkClaimedHost(const QString &host, const QString &topic,
                                   const QString &claimed) {
    if (!claimed.isEmpty() && claimed != host)
        Q_EMIT problem(QStringLiteral("%1: the payload claims host %2; kept as %3's, the host "
                                      "of the topic")
                           .arg(topic, SessionId::quoted(claimed), host));
}

void FleetMirror::checkMissing(bool all) {
    for (auto &[key, s] : m_sessions) {
        // A mirror removed or truncated by hand under an open descriptor
        // would take the next chunks out of everyone's sight.
        if (s.file->closeIfChanged())
            m_openMirrors.used(s.file.get());
        askForMissing(key, s, all);
    }
}

void FleetMirror::askForMissing(const Key &key, Session &s, bool evenIfGrowing) {
    const qint64 size = s.file->size();
    const bool growing = size != s.sizeAtLastCheck;
    s.sizeAtLastCheck = size;
    const auto missing = s.file->missing();
    // A mirror still growing gets the rest by the live stream.
    if (!missing || (growing && !evenIfGrowing) || !m_client.isConnected())
        return;
    const qint64 now = Timestamp::nowMs();
    if (s.lastAskedFrom == missing->first && now - s.lastAskedAtMs < m_options.replayRepeatMs)
        return;
    s.lastAskedFrom = missing->first;
    s.lastAskedAtMs = now;
    const QJsonObject request{{QLatin1String("session"), key.second},
                              {QLatin1String("epoch"), s.file->epoch()},
                              {QLatin1String("from"), missing->first},
                              {QLatin1String("to"), missing->second}};
    const int id = m_client.publish(FleetTopics::replayTopic(key.first),
                                    QJsonDocument(request).toJson(QJsonDocument::Compact), 1, false,
                                    m_options.replayExpirySeconds);
    if (id >= 0)
        m_replayRequests[id] = key.first;
}

} // namespace kw
