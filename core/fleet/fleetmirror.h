// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "fleet/hostpresence.h"
#include "fleet/mqttclient.h"
#include "fleet/openmirrors.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QSet>
#include <QString>
#include <QTimer>
#include <map>
#include <memory>
#include <optional>
#include <utility>

namespace kw {

class MirrorFile;
class MqttClient;

// The collecting side of many hosts (`keepwatch-cli collect`, later the
// window; docs/fleet.md): every session of every host, mirrored byte for
// byte into <directory>/<host>/<session>.jsonl, which the ordinary spool
// reading can then read.
//
// - Subscribes at QoS 1 to every host's events, states and status (the
//   client's session survives disconnections: Clean Start 0, an expiry).
// - Each chunk goes through its session's MirrorFile: appended, trimmed,
//   dropped as a duplicate, or held with a replay of the gap asked for.
// - The retained states say how long each remote file is; at connect and
//   every checkIntervalMs, a mirror that is shorter and has not grown since
//   the last look asks for the rest (keepwatch/v1/<host>/cmd/replay).
// - The host is the topic's: a payload saying otherwise is reported and
//   filed under the topic's host all the same. Each host's presence
//   (online or offline since, last seen, agent version) is kept beside its
//   mirrors (HostPresenceFile); an online status that runs out without a
//   new one (a host that died while the broker was down leaves no will)
//   makes the host offline. Payloads are untrusted:
//   the session ID is checked (it becomes a file name), a chunk's size is
//   capped, and what is wrong is reported with its topic, never a crash.
class FleetMirror final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FleetMirror)

public:
    // Mosquitto's message_size_limit of the documented setup; a chunk is
    // whole lines of at most 1 MiB each, in 256 KiB.
    static constexpr qint64 kMaxChunkBytes = 2 * 1024 * 1024;
    // An agent's online status without an expiry_s (FleetAgent's default).
    static constexpr qint64 kDefaultStatusExpirySeconds = 120;

    struct Options {
        QString directory; // <state>/remote
        int checkIntervalMs = 2000;
        int replayRepeatMs = 2000; // the same range is not asked for again sooner
        quint32 replayExpirySeconds = 60;
        // Mirrors kept open between chunks (0: OpenMirrors::defaultCapacity()).
        int maxOpenMirrors = 0;
    };

    // What a collector's connection needs, for `collect` and the window
    // alike: a broker session that keeps its messages for a week offline
    // (what the broker drops is asked for again from the agents), and a
    // Receive Maximum that lets a hundred hosts' chunks flow.
    static void prepareClient(MqttClient::Options &options);

    FleetMirror(MqttClient &client, Options options, QObject *parent = nullptr);
    ~FleetMirror() override;

    // The mirror file of a session ("<directory>/<host>/<session>.jsonl").
    QString mirrorPath(const QString &host, const QString &sessionId) const;

Q_SIGNALS:
    void problem(const QString &message);
    // Bytes of a session were appended to its mirror.
    void mirrored(const QString &host, const QString &sessionId, qint64 size);
    // A host's retained status ("online", "offline").
    void hostStatus(const QString &host, const QString &status);

private:
    struct Session {
        std::unique_ptr<MirrorFile> file;
        qint64 sizeAtLastCheck = -1;
        qint64 lastAskedFrom = -1;
        qint64 lastAskedAtMs = 0;
        // The epoch of the ProducerGone marker beside the mirror (empty:
        // none), once looked at.
        std::optional<QString> goneEpoch;
    };
    using Key = std::pair<QString, QString>; // host, session ID

    void connected();
    void received(const QString &topic, const QByteArray &payload);
    void chunk(const QString &host, const QString &sessionId, const QString &topic,
               const QByteArray &payload, const QHash<QByteArray, QByteArray> &properties);
    void state(const QString &host, const QString &sessionId, const QString &topic,
               const QByteArray &payload);
    void status(const QString &host, const QString &topic, const QByteArray &payload);
    // Keeps the agent's word that the session's wrapper died (the state's
    // producer_gone_ms) beside the mirror, for its reader; a new epoch
    // drops it.
    void noteProducer(const QString &host, const QString &sessionId, Session &s,
                      const QJsonObject &state, const QString &epoch, qint64 end);
    void hostSeen(const QString &host);
    // Hosts whose online status ran out without a new word: offline.
    void expireStatuses(qint64 nowMs);
    // The session's mirror, opened; nullptr (reported) when it cannot be.
    Session *session(const QString &host, const QString &sessionId);
    void checkMissing(bool all);
    void askForMissing(const Key &key, Session &s, bool evenIfGrowing);
    // Reports a payload whose `host` field is not the topic's.
    void checkClaimedHost(const QString &host, const QString &topic, const QString &claimed);

    MqttClient &m_client;
    Options m_options;
    HostPresenceBook m_presence;
    QSet<QString> m_hostDirectories; // hosts whose mirror directory was made
    std::map<Key, Session> m_sessions;
    OpenMirrors m_openMirrors;               // of m_sessions' files, which are never removed
    std::map<int, QString> m_replayRequests; // by message ID, until PUBACK: the host
    bool m_replayRefusalSaid = false;        // since connected
    // When each online host's status runs out (its expiry_s, or
    // kDefaultStatusExpirySeconds) unless it says it again.
    std::map<QString, qint64> m_onlineUntilMs;
    QTimer m_checkTimer;
};

} // namespace kw
