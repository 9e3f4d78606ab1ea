// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "fleet/fleetagent.h"

#include "fleet/fleettopics.h"
#include "fleet/mqttclient.h"
#include "fleet/spoolchunkreader.h"
#include "platform/nativefile.h"
#include "platform/openfilelimit.h"
#include "platform/processprobe.h"
#include "platform/useraccounts.h"
#include "protocol/sessionid.h"
#include "protocol/timestamp.h"
#include "spool/spoollocation.h"
#include "spool/systemspool.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

namespace kw {

namespace {

constexpr int kStopTimeoutMs = 2000;
// A burst of writes (a tool's lines, the wrapper's progress) wakes the agent
// once: the first change starts this delay, the rest join it.
constexpr int kWakeDelayMs = 100;
constexpr int kFirstFailure = 0x80; // v5 reason codes from here on are refusals

QString epochOf(quint64 dev, quint64 ino, int generation) {
    return QStringLiteral("%1-%2-%3").arg(dev).arg(ino).arg(generation);
}

// The generation of a saved epoch when it is of the file (dev, ino).
std::optional<int> generationIn(const QString &epoch, quint64 dev, quint64 ino) {
    const QStringList parts = epoch.split(u'-');
    if (parts.size() != 3 || parts[0] != QString::number(dev) || parts[1] != QString::number(ino))
        return std::nullopt;
    bool ok = false;
    const int generation = parts[2].toInt(&ok);
    return ok ? std::optional<int>(generation) : std::nullopt;
}

} // namespace

FleetAgent::FleetAgent(MqttClient &client, Options options, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_options(std::move(options))
    , m_offsets(m_options.offsetsPath)
    , m_heldBudget(m_options.maxHeldFiles > 0 ? m_options.maxHeldFiles : heldFilesBudget()) {
    m_scanTimer.setInterval(m_options.scanIntervalMs);
    connect(&m_scanTimer, &QTimer::timeout, this, &FleetAgent::scan);
    m_wakeTimer.setSingleShot(true);
    m_wakeTimer.setInterval(kWakeDelayMs);
    connect(&m_wakeTimer, &QTimer::timeout, this, &FleetAgent::wake);
    connect(&m_watcher, &QFileSystemWatcher::fileChanged, this, [this](const QString &path) {
        m_dirtyFiles.insert(path);
        if (!m_wakeTimer.isActive())
            m_wakeTimer.start();
    });
    connect(&m_watcher, &QFileSystemWatcher::directoryChanged, this, [this](const QString &path) {
        m_dirtyDirectories.insert(path);
        if (!m_wakeTimer.isActive())
            m_wakeTimer.start();
    });
    m_commitTimer.setSingleShot(true);
    m_commitTimer.setInterval(m_options.commitDelayMs);
    connect(&m_commitTimer, &QTimer::timeout, this, &FleetAgent::commit);
    m_statusTimer.setInterval(m_options.statusRefreshMs);
    connect(&m_statusTimer, &QTimer::timeout, this, [this] {
        if (m_client.isConnected() && !m_stopping)
            publishStatus(true);
    });
    m_stateTimer.setInterval(m_options.stateIntervalMs);
    connect(&m_stateTimer, &QTimer::timeout, this, &FleetAgent::publishDueStates);
    m_stopTimer.setSingleShot(true);
    connect(&m_stopTimer, &QTimer::timeout, this, [this] {
        m_client.stop();
        Q_EMIT stopped();
    });

    connect(&m_client, &MqttClient::connected, this, &FleetAgent::connected);
    connect(&m_client, &MqttClient::published, this, &FleetAgent::acknowledged);
    connect(&m_client, &MqttClient::messageReceived, this,
            [this](const QString &topic, const QByteArray &payload) {
                const FleetTopics::Parsed parsed = FleetTopics::parse(topic);
                if (parsed.kind == FleetTopics::Parsed::Kind::Replay
                    && parsed.host == m_options.host)
                    replayRequested(payload);
            });
}

FleetAgent::~FleetAgent() = default;

QString FleetAgent::start() {
    QString error = m_offsets.load();
    if (!error.isEmpty())
        m_offsets = AgentOffsets(m_options.offsetsPath);
    const QString directoryError =
        SpoolLocation::ensureDirectory(QFileInfo(m_options.offsetsPath).absolutePath());
    if (!directoryError.isEmpty())
        error = directoryError;
    scan();
    m_scanTimer.start();
    m_stateTimer.start();
    m_client.start();
    return error;
}

void FleetAgent::stop() {
    m_stopping = true;
    m_scanTimer.stop();
    m_statusTimer.stop();
    m_stateTimer.stop();
    if (m_commitTimer.isActive()) {
        m_commitTimer.stop();
        commit();
    }
    if (!m_client.isConnected()) {
        m_stopTimer.start(0);
        return;
    }
    m_offlineMessage =
        m_client.publish(FleetTopics::statusTopic(m_options.host),
                         statusPayload(m_options.host, false, m_options.version), 1, true);
    m_stopTimer.start(m_offlineMessage < 0 ? 0 : kStopTimeoutMs);
}

void FleetAgent::prepareClient(MqttClient::Options &options, const QString &host,
                               const QString &version) {
    options.clientId = host;
    options.cleanStart = false;
    options.sessionExpirySeconds = 60;
    options.willTopic = FleetTopics::statusTopic(host);
    options.willPayload = statusPayload(host, false, version);
    options.willDelaySeconds = 5;
    options.receiveMaximum = FleetTopics::kReceiveMaximum;
}

QByteArray FleetAgent::statusPayload(const QString &host, bool online, const QString &version,
                                     bool remoteCancel, quint32 expirySeconds) {
    QJsonObject o{
        {QLatin1String("v"), 1},
        {QLatin1String("host"), host},
        {QLatin1String("status"), online ? QLatin1String("online") : QLatin1String("offline")},
        {QLatin1String("ts"), QString::fromLatin1(Timestamp::formatIsoMs(Timestamp::nowMs()))}};
    if (!version.isEmpty())
        o.insert(QLatin1String("version"), version);
    if (online)
        o.insert(QLatin1String("remote_cancel"), remoteCancel);
    if (online && expirySeconds > 0)
        o.insert(QLatin1String("expiry_s"), qint64(expirySeconds));
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

void FleetAgent::publishStatus(bool online) {
    m_client.publish(FleetTopics::statusTopic(m_options.host),
                     statusPayload(m_options.host, online, m_options.version,
                                   m_options.remoteCancel, m_options.statusExpirySeconds),
                     1, true, online ? m_options.statusExpirySeconds : 0);
}

void FleetAgent::connected() {
    if (m_stopping)
        return;
    m_client.subscribe(FleetTopics::replayTopic(m_options.host), 1);
    publishStatus(true);
    m_statusTimer.start();
    // What was in flight may or may not have reached the broker: publish it
    // again from the last acknowledged offset (a collector drops what it
    // has). The states go again too: a broker that crashed may have lost
    // messages it had acknowledged, and a collector learns of the gap from them.
    m_messages.clear();
    for (auto &[path, file] : m_files) {
        file.inFlight.clear();
        file.sent = file.committed;
        file.refused = false;
        if (!file.epoch.isEmpty())
            publishState(file);
    }
    scan();
}

void FleetAgent::scan() {
    if (!m_options.ownSpool.isEmpty())
        scanDirectory(m_options.ownSpool, std::nullopt);
    if (!m_options.systemSpoolRoot.isEmpty()) {
        watchDirectory(m_options.systemSpoolRoot); // a user's directory added
        const QDir root(m_options.systemSpoolRoot);
        for (const QString &user :
             root.entryList(QDir::Dirs | QDir::NoDotAndDotDot | QDir::NoSymLinks, QDir::Name)) {
            // The directory's name is a user's, checked against its owner
            // like the system spool source does.
            const std::optional<uint> uid = UserAccounts::uidOf(user);
            const QString directory = root.filePath(user);
            if (uid && SystemSpool::directoryProblem(directory, *uid).isEmpty())
                scanDirectory(directory, uid);
        }
    }
    if (!m_client.isConnected() || m_stopping)
        return;
    const qint64 now = Timestamp::nowMs();
    for (auto &[path, file] : m_files) {
        pump(path, file, PathCheck::Look);
        // Inotify watches and descriptors are limited: only files that grow.
        if (now - file.grewAtMs > m_options.idleUnwatchMs) {
            if (file.watched)
                m_watcher.removePath(path);
            file.watched = false;
            release(file);
        }
    }
    if (now - m_producersCheckedAtMs >= m_options.scanIntervalMs) {
        m_producersCheckedAtMs = now;
        checkProducers();
    }
}

void FleetAgent::checkProducers() {
    using Wrapper = Tracked::Wrapper;
    for (auto &[path, file] : m_files) {
        // Only once the broker has every byte read so far: the state that
        // says "gone" then says the whole file.
        if (file.epoch.isEmpty() || file.wrapper == Wrapper::Settled || file.committed != file.sent)
            continue;
        if (file.wrapper == Wrapper::NotLooked) {
            // Most files are finished sessions: their last line says so.
            const auto producer = ProducerCheck::endsWithEndEvent(path, file.owner)
                                      ? std::nullopt
                                      : ProducerCheck::producerOf(path, file.owner);
            file.wrapper = producer ? Wrapper::Watched : Wrapper::Settled;
            if (producer)
                file.producer = *producer;
            continue; // looked at again next time, with its end published
        }
        if (ProcessProbe::liveness(file.producer.pid, file.producer.startTicks,
                                   file.producer.bootId)
            != ProcessProbe::Liveness::Gone)
            continue;
        // Gone; read after that, the file shows whether it ended first.
        const auto st = NativeFile::statPath(path);
        if (!st || st->size != file.committed)
            continue; // bytes still to publish (the end event, maybe): next time
        file.wrapper = Wrapper::Settled;
        if (ProducerCheck::endsWithEndEvent(path, file.owner))
            continue;
        file.goneAtMs = Timestamp::nowMs();
        publishState(file);
    }
}

void FleetAgent::wake() {
    const QSet<QString> files = std::exchange(m_dirtyFiles, {});
    if (!std::exchange(m_dirtyDirectories, {}).isEmpty()) {
        // A file (or a user's directory) created, removed or renamed: rare,
        // and a name may now be another file, so everything is looked at.
        scan();
        return;
    }
    if (!m_client.isConnected() || m_stopping)
        return;
    for (const QString &path : files) {
        const auto found = m_files.find(path);
        if (found != m_files.end())
            pump(path, found->second, PathCheck::HeldIsEnough);
    }
}

void FleetAgent::watchDirectory(const QString &directory) {
    // Once; a directory that cannot be watched is still scanned.
    if (!m_directories.contains(directory) && QFileInfo::exists(directory)) {
        m_directories.insert(directory);
        m_watcher.addPath(directory);
    }
}

void FleetAgent::scanDirectory(const QString &directory, std::optional<uint> owner) {
    watchDirectory(directory);
    const QString pattern = QLatin1String("*") + QLatin1String(SpoolLocation::kFileSuffix);
    const QDir dir(directory);
    for (const QString &name : dir.entryList({pattern}, QDir::Files | QDir::NoSymLinks)) {
        const QString path = dir.filePath(name);
        if (m_files.count(path) == 0 && !m_skipped.contains(path))
            track(path, owner);
    }
}

void FleetAgent::track(const QString &path, std::optional<uint> owner) {
    const QString name = QFileInfo(path).fileName();
    const QString sessionId =
        name.left(name.size() - qsizetype(qstrlen(SpoolLocation::kFileSuffix)));
    QString why = SessionId::validationError(sessionId);
    if (why.isEmpty() && m_pathOfSession.contains(sessionId))
        why = QStringLiteral("session %1 is published from %2 already")
                  .arg(sessionId, m_pathOfSession.value(sessionId));
    if (!why.isEmpty()) {
        m_skipped.insert(path);
        Q_EMIT problem(QStringLiteral("%1: not published: %2").arg(path, why));
        return;
    }
    Tracked file;
    file.sessionId = sessionId;
    file.owner = owner;
    m_pathOfSession.insert(sessionId, path);
    m_files.emplace(path, std::move(file));
}

void FleetAgent::report(Tracked &file, const QString &message) {
    if (message == file.reported)
        return;
    file.reported = message;
    if (!message.isEmpty())
        Q_EMIT problem(message);
}

void FleetAgent::pump(const QString &path, Tracked &file, PathCheck check) {
    if (file.held && check == PathCheck::Look) {
        // What is held stays that file: another one under its name (or none)
        // is found here, and read by the path.
        const auto st = NativeFile::statPath(path);
        if (!st || st->inode != file.ino || st->device != file.dev)
            release(file);
    }
    if (!file.held) {
        // Most files are finished sessions: one lstat says nothing is new.
        const auto st = file.epoch.isEmpty() ? std::nullopt : NativeFile::statPath(path);
        if (st && st->inode == file.ino && st->device == file.dev && st->size == file.sent)
            return;
    }
    while (!file.refused && file.inFlight.size() < size_t(m_options.maxInFlightPerFile)) {
        SpoolChunkReader::Chunk chunk = file.held
                                            ? file.held->read(file.sent, m_options.maxChunkBytes)
                                            : readByPath(path, file);
        if (!chunk.error.isEmpty()) {
            release(file);
            // A finished session's file removed by retention is no news.
            if (QFileInfo::exists(path))
                report(file, QStringLiteral("%1: %2").arg(path, chunk.error));
            return;
        }
        report(file, {});
        const bool sameFile =
            !file.epoch.isEmpty() && chunk.dev == file.dev && chunk.ino == file.ino;
        if (!sameFile || chunk.size < file.sent) {
            // A new file (first read, or replaced under the same name) or a
            // truncated one: a new epoch, published from its start. The
            // first read goes on from the saved offset when it is this file.
            int generation = 0;
            qint64 from = 0;
            const auto saved = m_offsets.entries().constFind(path);
            if (file.epoch.isEmpty() && saved != m_offsets.entries().cend()) {
                if (const auto g = generationIn(saved->epoch, chunk.dev, chunk.ino)) {
                    generation = *g;
                    from = saved->offset;
                    if (chunk.size < from) {
                        ++generation;
                        from = 0;
                    }
                }
            } else if (sameFile) {
                generation = file.generation + 1; // truncated
            }
            for (const InFlight &f : file.inFlight)
                m_messages.remove(f.messageId);
            file.inFlight.clear();
            file.dev = chunk.dev;
            file.ino = chunk.ino;
            file.generation = generation;
            file.epoch = epochOf(chunk.dev, chunk.ino, generation);
            file.committed = file.sent = from;
            file.wrapper = Tracked::Wrapper::NotLooked; // another file: its own wrapper
            file.goneAtMs = 0;
            // The offsets file must learn the new epoch: after a restart the
            // old one's offset would skip the new file's first bytes.
            file.savedEnd = -1;
            if (!m_commitTimer.isActive())
                m_commitTimer.start();
            publishState(file);
            continue; // read again from the right place
        }
        if (chunk.bytes.isEmpty())
            return;
        file.grewAtMs = Timestamp::nowMs();
        // Watched from now on: what was written since the read but before
        // the watch has no event, so the end is read once more.
        const bool newlyWatched = !file.watched && m_watcher.addPath(path);
        file.watched = file.watched || newlyWatched;
        const MqttClient::UserProperties properties{
            {QByteArrayLiteral("kw-epoch"), file.epoch.toUtf8()},
            {QByteArrayLiteral("kw-offset"), QByteArray::number(file.sent)}};
        const int id = m_client.publish(FleetTopics::eventsTopic(m_options.host, file.sessionId),
                                        chunk.bytes, 1, false, 0, properties);
        if (id < 0)
            return;
        file.sent += chunk.bytes.size();
        file.inFlight.push_back(InFlight{id, file.sent, false});
        m_messages.insert(id, path);
        if (file.sent >= chunk.size && !newlyWatched)
            return; // all of it, as far as the fstat said: inotify says when there is more
    }
}

SpoolChunkReader::Chunk FleetAgent::readByPath(const QString &path, Tracked &file) {
    auto opened = std::make_unique<SpoolChunkReader::File>();
    if (QString error = opened->open(path, file.owner); !error.isEmpty())
        return SpoolChunkReader::Chunk{{}, 0, 0, 0, std::move(error)};
    SpoolChunkReader::Chunk chunk = opened->read(file.sent, m_options.maxChunkBytes);
    // A file that grows is kept open while it is watched (inotify says when
    // it grows; then an fstat and a pread read it), within the budget of
    // descriptors; the others are opened for each read.
    if (chunk.error.isEmpty() && (!chunk.bytes.isEmpty() || file.watched)
        && m_heldFiles < m_heldBudget) {
        file.held = std::move(opened);
        ++m_heldFiles;
    }
    return chunk;
}

void FleetAgent::release(Tracked &file) {
    if (!file.held)
        return;
    file.held.reset();
    --m_heldFiles;
}

void FleetAgent::acknowledged(int messageId, int reasonCode) {
    if (messageId == m_offlineMessage && m_stopping) {
        m_stopTimer.start(0);
        return;
    }
    if (!m_messages.contains(messageId)) {
        // A status, a state or a replay: nothing to commit, but a refusal
        // (the ACL) is worth a word.
        if (reasonCode >= kFirstFailure)
            Q_EMIT problem(QStringLiteral("the broker refused a status, state or replay message "
                                          "of host %1: %2")
                               .arg(m_options.host, MqttClient::reasonText(reasonCode)));
        return;
    }
    const QString path = m_messages.take(messageId);
    const auto found = m_files.find(path);
    if (found == m_files.end())
        return;
    Tracked &file = found->second;
    if (reasonCode >= kFirstFailure) {
        // Not sent again until the next connection: a refusal by the ACL or
        // the size limit would come back at once.
        Q_EMIT problem(QStringLiteral("the broker refused session %1 of %2 from byte %3: %4")
                           .arg(file.sessionId, path)
                           .arg(file.committed)
                           .arg(MqttClient::reasonText(reasonCode)));
        for (const InFlight &f : file.inFlight)
            m_messages.remove(f.messageId);
        file.inFlight.clear();
        file.sent = file.committed;
        file.refused = true;
        return;
    }
    // A full window left bytes unread: they go now. Otherwise the read
    // stopped at the file's end, and inotify says when it grows (the scan,
    // for a file it does not watch).
    const bool waiting =
        file.inFlight.size() >= size_t(m_options.maxInFlightPerFile) || !file.watched;
    for (InFlight &f : file.inFlight) {
        if (f.messageId == messageId)
            f.acknowledged = true;
    }
    // Only what the broker has *in order* is committed.
    while (!file.inFlight.empty() && file.inFlight.front().acknowledged) {
        file.committed = file.inFlight.front().end;
        file.inFlight.pop_front();
    }
    if (file.committed != file.savedEnd && !m_commitTimer.isActive())
        m_commitTimer.start();
    if (waiting && !m_stopping)
        pump(path, file, PathCheck::HeldIsEnough);
}

void FleetAgent::commit() {
    const qint64 now = Timestamp::nowMs();
    bool changed = false;
    for (auto &[path, file] : m_files) {
        if (file.epoch.isEmpty() || file.committed == file.savedEnd)
            continue;
        m_offsets.set(path, AgentOffsets::Entry{file.epoch, file.committed});
        changed = true;
    }
    if (!changed)
        return;
    const QString error = m_offsets.save();
    if (!error.isEmpty()) {
        Q_EMIT problem(error);
        m_commitTimer.start(); // try again; nothing counts as committed meanwhile
        return;
    }
    for (auto &[path, file] : m_files) {
        if (file.epoch.isEmpty() || file.committed == file.savedEnd)
            continue;
        file.savedEnd = file.committed;
        file.statePending = true;
        file.committedAtMs = now;
        Q_EMIT committed(file.sessionId, file.committed);
    }
    publishDueStates();
}

void FleetAgent::publishDueStates() {
    if (!m_client.isConnected() || m_stopping)
        return;
    const qint64 now = Timestamp::nowMs();
    for (auto &[path, file] : m_files) {
        if (file.epoch.isEmpty())
            continue;
        const qint64 sinceState = now - file.stateSentMs;
        // New bytes: said at most every stateIntervalMs (a state per commit
        // would double the messages a collector gets). A file active
        // lately: said again every stateHealMs, since a collector whose
        // broker queue overflowed lost states too, and only a state tells
        // it that the tail of a file is missing.
        const bool due = (file.statePending && sinceState >= m_options.stateIntervalMs)
                         || (sinceState >= m_options.stateHealMs
                             && now - file.committedAtMs < m_options.stateHealWindowMs);
        if (due)
            publishState(file);
    }
}

void FleetAgent::publishState(Tracked &file) {
    if (!m_client.isConnected())
        return;
    file.statePending = false;
    file.stateSentMs = Timestamp::nowMs();
    QJsonObject state{{QLatin1String("v"), 1},
                      {QLatin1String("host"), m_options.host},
                      {QLatin1String("session"), file.sessionId},
                      {QLatin1String("epoch"), file.epoch},
                      {QLatin1String("end"), file.committed}};
    if (file.goneAtMs > 0) {
        state.insert(QLatin1String("producer_gone_ms"), file.goneAtMs);
        state.insert(QLatin1String("producer_pid"), file.producer.pid);
    }
    m_client.publish(FleetTopics::stateTopic(m_options.host, file.sessionId),
                     QJsonDocument(state).toJson(QJsonDocument::Compact), 1, true);
}

void FleetAgent::replayRequested(const QByteArray &payload) {
    const QJsonObject request = QJsonDocument::fromJson(payload).object();
    const QString sessionId = request.value(QLatin1String("session")).toString();
    const qint64 from = request.value(QLatin1String("from")).toInteger(-1);
    const qint64 to = request.value(QLatin1String("to")).toInteger(-1);
    const QString path = m_pathOfSession.value(sessionId);
    const auto found = m_files.find(path);
    if (path.isEmpty() || found == m_files.end() || from < 0 || to <= from) {
        Q_EMIT problem(QStringLiteral("a replay request for %1 bytes %2-%3: no such session "
                                      "or range; ignored")
                           .arg(SessionId::quoted(sessionId))
                           .arg(from)
                           .arg(to));
        return;
    }
    Tracked &file = found->second;
    if (request.value(QLatin1String("epoch")).toString() != file.epoch) {
        publishState(file); // the requester has an old file: tell it the new one
        return;
    }
    // What the broker has acknowledged; the rest comes by the live stream.
    const qint64 end = qMin(qMin(to, file.committed), from + m_options.maxReplayBytes);
    const QString topic = FleetTopics::eventsTopic(m_options.host, file.sessionId);
    for (qint64 offset = from; offset < end;) {
        const SpoolChunkReader::Chunk chunk = SpoolChunkReader::read(
            path, file.owner, offset, qMin(m_options.maxChunkBytes, end - offset));
        if (!chunk.error.isEmpty() || chunk.bytes.isEmpty()
            || epochOf(chunk.dev, chunk.ino, file.generation) != file.epoch)
            return;
        const MqttClient::UserProperties properties{
            {QByteArrayLiteral("kw-epoch"), file.epoch.toUtf8()},
            {QByteArrayLiteral("kw-offset"), QByteArray::number(offset)}};
        if (m_client.publish(topic, chunk.bytes, 1, false, 0, properties) < 0)
            return;
        offset += chunk.bytes.size();
    }
}

} // namespace kw
