// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "spool/spoolsource.h"

#include "logging/logging.h"
#include "platform/processprobe.h"
#include "protocol/timestamp.h"
#include "spool/spoollocation.h"
#include "spool/spooltailer.h"

#include <QDir>
#include <QFileInfo>

namespace kw {

// Decodes the lines of one file into the batch.
class SpoolSource::Sink final : public LineSink {
public:
    Sink(SpoolSource &source, const QString &path, File &file, EventBatch &out)
        : m_source(source)
        , m_path(path)
        , m_file(file)
        , m_out(out) {}

    void line(QByteArrayView line, qint64 lineNumber) override {
        // Decoded in place: an Event is a few hundred bytes, and moving
        // millions of them into the batch showed in the ingest profile.
        // (resize, not emplaceBack: GCC 12 warns of a maybe-uninitialized
        // temporary in QList::emplaceBack of a variant.)
        m_out.events.resize(m_out.events.size() + 1);
        Event &event = m_out.events.last();
        const DecodeResult result = m_source.m_decoder.decode(line, event);
        if (!result.ok) {
            m_out.events.removeLast();
            if (!result.blank)
                problem(lineNumber, result.error);
            return;
        }
        event.source = m_source.name();
        // The decoder shares one QString per ID, so the set is keyed by the
        // string's data: a pointer hash per line instead of a string hash
        // (which was a seventh of the ingest with 200 interleaved sessions).
        // The value keeps that data alive, so the address is never reused.
        if (!m_file.sessions.contains(event.session.constData()))
            m_file.sessions.insert(event.session.constData(), event.session);
        if (const auto *start = event.as<StartPayload>()) {
            if (start->producerPid && start->producerStartTicks
                && (start->host.isEmpty() || start->host == m_source.m_localHost)) {
                Producer &p = m_source.m_producers[event.session];
                p.pid = *start->producerPid;
                p.startTicks = *start->producerStartTicks;
                p.bootId = start->bootId;
                p.file = m_path;
            }
        } else if (event.type() == EventType::End) {
            m_source.m_endedSessions.insert(event.session);
            if (auto it = m_source.m_producers.find(event.session);
                it != m_source.m_producers.end())
                it->ended = true;
        }
    }

    void problem(qint64 lineNumber, const QString &message) override {
        m_out.errors.append(SourceError{m_source.name(), m_path, lineNumber, message});
    }

private:
    SpoolSource &m_source;
    const QString &m_path;
    File &m_file;
    EventBatch &m_out;
};

SpoolSource::SpoolSource(QString directory)
    : SpoolSource(std::move(directory), Options{}) {}

SpoolSource::SpoolSource(QString directory, Options options)
    : m_directory(std::move(directory))
    , m_options(std::move(options))
    , m_localHost(ProcessProbe::hostName()) {}

SpoolSource::~SpoolSource() = default;

void SpoolSource::scanDirectory(EventBatch &out) {
    const QDir dir(m_directory);
    QString error;
    if (!dir.exists()) {
        // Not an error on a first start: the first producer creates it.
        if (QFileInfo::exists(m_directory))
            error = QStringLiteral("not a directory");
    } else if (!QFileInfo(m_directory).isReadable()) {
        error = QStringLiteral("directory is not readable");
    }
    if (error != m_lastDirectoryError && !error.isEmpty())
        out.errors.append(SourceError{name(), m_directory, 0, error});
    m_lastDirectoryError = error;
    if (!error.isEmpty() || !dir.exists())
        return;

    const QStringList names =
        dir.entryList({QLatin1String("*") + QLatin1String(SpoolLocation::kFileSuffix)},
                      QDir::Files | QDir::Hidden | QDir::System, QDir::Name);
    for (const QString &fileName : names) {
        const QString path = m_directory + QLatin1Char('/') + fileName;
        if (m_files.find(path) == m_files.end()) {
            qCDebug(log::spool).noquote() << name() << "follows" << path;
            m_files.emplace(
                path,
                File{std::make_unique<SpoolTailer>(path, Protocol::kMaxLineBytes), {}, false});
        }
    }
}

bool SpoolSource::allSessionsEnded(const File &file) const {
    if (file.sessions.isEmpty())
        return false;
    for (const QString &id : file.sessions) { // an ID may be there twice: harmless
        if (!m_endedSessions.contains(id))
            return false;
    }
    return true;
}

void SpoolSource::readFile(const QString &path, File &file, qint64 budget, EventBatch &out) {
    Sink sink(*this, path, file, out);
    file.released = false;
    const SpoolTailer::Status status = file.tailer->poll(sink, budget);
    if (status == SpoolTailer::Status::Vanished) {
        file.released = true;
        return;
    }
    if (file.tailer->hasMore()) {
        m_pending = true;
    } else if (allSessionsEnded(file)) {
        // Finished sessions rarely grow again: hold no descriptor for them.
        file.tailer->release();
        file.released = true;
    }
}

void SpoolSource::poll(EventBatch &out) {
    m_pending = false;
    scanDirectory(out);

    QStringList paths;
    for (const auto &entry : m_files)
        paths.append(entry.first);
    qint64 budget = m_options.maxBytesPerPoll;
    const int count = int(paths.size());
    // Start where the last over-budget poll stopped, so no file starves.
    for (int i = 0; i < count && budget > 0; ++i) {
        const QString &path = paths[(m_roundRobin + i) % count];
        auto it = m_files.find(path);
        const qint64 before = it->second.tailer->offset();
        readFile(path, it->second, qMin(budget, m_options.maxBytesPerFile), out);
        budget -= qMax<qint64>(0, it->second.tailer->offset() - before);
        if (budget <= 0) {
            m_pending = true;
            m_roundRobin = (m_roundRobin + i + 1) % qMax(1, count);
        }
        if (it->second.released && !QFileInfo::exists(path))
            m_files.erase(it); // vanished: its sessions stay known to the store
    }
    checkProducers(out);
}

void SpoolSource::checkProducers(EventBatch &out) {
    const qint64 now = Timestamp::nowMs();
    if (now - m_lastLivenessCheck < m_options.livenessIntervalMs)
        return;
    m_lastLivenessCheck = now;
    for (auto it = m_producers.begin(); it != m_producers.end();) {
        Producer &p = it.value();
        const auto file = m_files.find(p.file);
        const bool fileReadToEnd = file == m_files.end() || !file->second.tailer->hasMore();
        if (p.ended || !fileReadToEnd) {
            it = p.ended ? m_producers.erase(it) : std::next(it);
            continue;
        }
        if (ProcessProbe::liveness(p.pid, p.startTicks, p.bootId) != ProcessProbe::Liveness::Gone) {
            ++it;
            continue;
        }
        Event event;
        event.session = it.key();
        event.source = name();
        event.timestampMs = now;
        EndPayload end;
        end.state = SessionState::Interrupted;
        end.summary = QStringLiteral("producer process %1 ended without writing an end event "
                                     "(killed, crashed or the machine stopped)")
                          .arg(p.pid);
        event.payload = std::move(end);
        out.events.append(std::move(event));
        m_endedSessions.insert(it.key());
        it = m_producers.erase(it);
    }
}

QHash<QString, SpoolTailer::Position> SpoolSource::positions() const {
    QHash<QString, SpoolTailer::Position> out;
    for (const auto &[path, file] : m_files)
        out.insert(path, file.tailer->position());
    return out;
}

void SpoolSource::resume(const QHash<QString, SpoolTailer::Position> &positions) {
    for (auto it = positions.cbegin(); it != positions.cend(); ++it) {
        auto tailer = std::make_unique<SpoolTailer>(it.key(), Protocol::kMaxLineBytes);
        tailer->resume(it.value());
        m_files[it.key()] = File{std::move(tailer), {}, false};
    }
}

void SpoolSource::watchProducer(const QString &sessionId, const QString &file, qint64 pid,
                                quint64 startTicks, const QString &bootId) {
    m_producers.insert(sessionId, Producer{pid, startTicks, bootId, file, false});
}

QStringList SpoolSource::watchPaths() const {
    QStringList paths{m_directory};
    for (const auto &[path, file] : m_files) {
        if (!file.released)
            paths.append(path);
    }
    return paths;
}

} // namespace kw
