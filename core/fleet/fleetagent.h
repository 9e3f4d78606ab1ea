// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "fleet/agentoffsets.h"
#include "fleet/mqttclient.h"
#include "fleet/producercheck.h"
#include "fleet/spoolchunkreader.h"

#include <QFileSystemWatcher>
#include <QHash>
#include <QObject>
#include <QSet>
#include <QString>
#include <QTimer>
#include <deque>
#include <map>
#include <memory>
#include <optional>

namespace kw {

class MqttClient;

// The publishing side of many hosts (`keepwatch-cli agent`, docs/fleet.md):
// this host's spool files, byte for byte, through the broker.
//
// - Every session file of the spools it reads (the user's own; the system
//   spool's user directories, each file checked against its directory's
//   owner) is published from where the broker last acknowledged it, as
//   chunks of whole lines at QoS 1 on keepwatch/v1/<host>/sessions/<sid>/
//   events, each tagged with the file's epoch (device, inode, generation)
//   and its byte offset (user properties kw-epoch, kw-offset).
// - A chunk's end is committed (AgentOffsets: temp file, fsync, rename) only
//   once the broker has acknowledged it and every chunk before it, so a
//   restart publishes again from there: duplicates possible, loss not.
// - After commits (at most every second per file, and every 30 s again
//   while a file was active in the last 10 minutes), and after every
//   (re)connect for every file, the
//   retained .../state says how far the broker has the file: a collector
//   that lacks bytes (offline, a full queue, a broker that lost messages
//   in a crash) asks for them again on .../cmd/replay.
// - A session whose wrapper (a `keepwatch-cli run` of this host) died
//   without its end event, once the broker has the whole file, is said so
//   in its state (producer_gone_ms): a collector cannot look at this
//   host's processes, and would show it running for ever.
// - Presence: a retained `online` status with a Message Expiry, refreshed
//   well before it expires; a retained `offline` last will (with a delay,
//   to hide short flaps) for a crash; stop() publishes `offline` itself
//   since a clean DISCONNECT discards the will.
class FleetAgent final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FleetAgent)

public:
    struct Options {
        QString host;
        QString ownSpool;        // the user's spool directory (empty: none)
        QString systemSpoolRoot; // the system spool, read as root (empty: none)
        QString offsetsPath;     // where the acknowledged offsets are kept
        QString version;
        // Changes are seen through inotify (QFileSystemWatcher: the spool
        // directories, and each file while it grows); this look at every
        // file is the fallback for what inotify cannot say (its watch limit
        // reached, a file replaced under a watched name).
        int scanIntervalMs = 2000;
        // A file that has not grown this long is no longer watched (the
        // scan and its directory's watch still see it).
        int idleUnwatchMs = 60 * 1000;
        qint64 maxChunkBytes = 256 * 1024;
        int maxInFlightPerFile = 8;
        // Files that grow kept open between reads, at most (0: what the
        // open-file limit allows, heldFilesBudget).
        int maxHeldFiles = 0;
        int commitDelayMs = 500;
        quint32 statusExpirySeconds = 120;
        int statusRefreshMs = 50000;
        qint64 maxReplayBytes = 16 * 1024 * 1024;
        // A file's retained state after new bytes: at most this often.
        int stateIntervalMs = 1000;
        // ... and again this often while the file was active in the last
        // stateHealWindowMs (see publishDueStates).
        int stateHealMs = 30 * 1000;
        qint64 stateHealWindowMs = 10 * 60 * 1000;
        // Said in the online status, so a desktop knows before it asks
        // (the answering is CancelResponder's).
        bool remoteCancel = false;
    };

    FleetAgent(MqttClient &client, Options options, QObject *parent = nullptr);
    ~FleetAgent() override;

    // Loads the offsets and starts the client; an error message (the
    // offsets unreadable: everything is published again) or empty.
    QString start();
    // Publishes `offline`, waits (bounded) for the broker to have it, then
    // disconnects cleanly; stopped() follows.
    void stop();

    // What an agent's connection needs: its host name as client ID, a
    // broker session that outlives short outages, a last will that waits a
    // little before saying offline (a flap is no alarm), and a Receive
    // Maximum that lets a returning collector's replay requests in at once.
    static void prepareClient(MqttClient::Options &options, const QString &host,
                              const QString &version);

    // The payload of a retained status message.
    // An online one says its expiry: a collector that hears nothing more
    // for so long takes the host as offline (the retained message is gone
    // from the broker by then, and no will may come: a host that died while
    // the broker was down).
    static QByteArray statusPayload(const QString &host, bool online, const QString &version,
                                    bool remoteCancel = false, quint32 expirySeconds = 0);

    // The file `sessionId` is published from; empty when it is none of this agent's.
    QString fileOf(const QString &sessionId) const { return m_pathOfSession.value(sessionId); }

Q_SIGNALS:
    void problem(const QString &message);
    // The broker has every byte of `sessionId` before `offset`, on disk.
    void committed(const QString &sessionId, qint64 offset);
    void stopped();

private:
    struct InFlight {
        int messageId = 0;
        qint64 end = 0;
        bool acknowledged = false;
    };
    struct Tracked {
        QString sessionId;
        std::optional<uint> owner;
        QString epoch; // "<dev>-<ino>-<generation>", empty until first read
        quint64 dev = 0;
        quint64 ino = 0;
        int generation = 0;
        qint64 committed = 0; // acknowledged by the broker, in order
        qint64 sent = 0;      // published
        qint64 savedEnd = -1; // what the offsets file holds (-1: not this epoch yet)
        std::deque<InFlight> inFlight;
        bool refused = false;      // the broker refused it: not again until a reconnect
        bool statePending = false; // committed bytes the retained state does not say yet
        qint64 stateSentMs = 0;
        qint64 committedAtMs = 0;
        qint64 grewAtMs = 0; // when a read last found new bytes
        bool watched = false;
        // Open while it grows and is watched (within Options::maxHeldFiles).
        std::unique_ptr<SpoolChunkReader::File> held;
        QString reported; // the last problem reported about it
        // The session's wrapper (ProducerCheck), looked for once per epoch
        // when the file is not finished; goneAtMs set when it died without
        // its end event, said in every state from then on.
        enum class Wrapper { NotLooked, Watched, Settled } wrapper = Wrapper::NotLooked;
        ProducerCheck::Producer producer;
        qint64 goneAtMs = 0;
    };

    void connected();
    void scan();
    // What inotify said, pumped together a moment later (one wake-up for a
    // burst of writes).
    void wake();
    void watchDirectory(const QString &directory);
    void scanDirectory(const QString &directory, std::optional<uint> owner);
    void track(const QString &path, std::optional<uint> owner);
    // Whether pump looks at the path first (the scan does: a held file may
    // have been replaced or removed under its name) or trusts what is held
    // (inotify's wake-ups and PUBACKs: many a second).
    enum class PathCheck { Look, HeldIsEnough };
    void pump(const QString &path, Tracked &file, PathCheck check);
    // A read of a file not held: opened for it, and kept when it grows.
    SpoolChunkReader::Chunk readByPath(const QString &path, Tracked &file);
    void release(Tracked &file);
    void acknowledged(int messageId, int reasonCode);
    void commit();
    void publishState(Tracked &file);
    // Finds the wrappers of this host that died without their end event
    // (as SpoolSource does for a local reader): a remote reader cannot.
    void checkProducers();
    void publishDueStates();
    void publishStatus(bool online);
    void replayRequested(const QByteArray &payload);
    void report(Tracked &file, const QString &message);

    MqttClient &m_client;
    Options m_options;
    AgentOffsets m_offsets;
    std::map<QString, Tracked> m_files;      // by path
    QSet<QString> m_directories;             // the spool directories scanned
    QHash<QString, QString> m_pathOfSession; // session ID -> the path publishing it
    QHash<int, QString> m_messages;          // message ID -> path, for PUBACKs
    QSet<QString> m_skipped;                 // paths reported and left out
    int m_heldFiles = 0;                     // Tracked::held that are open
    int m_heldBudget = 0;
    QTimer m_scanTimer;
    QTimer m_wakeTimer;
    QFileSystemWatcher m_watcher;
    QSet<QString> m_dirtyFiles;
    QSet<QString> m_dirtyDirectories;
    QTimer m_commitTimer;
    QTimer m_statusTimer;
    QTimer m_stateTimer;
    QTimer m_stopTimer;
    qint64 m_producersCheckedAtMs = 0;
    int m_offlineMessage = -1;
    bool m_stopping = false;
};

} // namespace kw
