// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "spool/spoolsource.h"

#include "logging/logging.h"
#include "platform/nativefile.h"
#include "platform/processprobe.h"
#include "platform/useraccounts.h"
#include "protocol/sessionid.h"
#include "protocol/timestamp.h"
#include "spool/producergone.h"
#include "spool/spoollocation.h"
#include "spool/spooltailer.h"
#include "spool/systemspool.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <utility>
#include <vector>

namespace kw {

namespace {

// Whether there is an entry at `path` at all: a dangling link or a FIFO is
// still there (to be reported once), not a file that went away.
bool entryExists(const QString &path) {
    return NativeFile::statPath(path).has_value();
}

} // namespace

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
        if (auto *start = event.as<StartPayload>()) {
            const QString &remoteHost = m_source.m_options.remoteHost;
            if (!remoteHost.isEmpty()) {
                // Its producer runs there: its agent says when it is gone.
                Producer &p = m_source.m_producers[event.session];
                p.pid = start->producerPid.value_or(0);
                p.file = m_path;
                const QString claimed = std::exchange(start->host, remoteHost);
                if (!claimed.isEmpty() && claimed != remoteHost)
                    warnOfClaim(event.session, event.timestampMs, // `event` dangles
                                QStringLiteral("the session came from host %1 but claims host "
                                               "%2; it is %1's")
                                    .arg(remoteHost, SessionId::quoted(claimed)));
            } else if (start->producerPid && start->producerStartTicks
                       && (start->host.isEmpty() || start->host == m_source.m_localHost)) {
                Producer &p = m_source.m_producers[event.session];
                p.pid = *start->producerPid;
                p.startTicks = *start->producerStartTicks;
                p.bootId = start->bootId;
                p.file = m_path;
            }
            if (m_source.m_options.ownerUid) {
                // The user is the file's owner, whatever the payload claims.
                const QString &owner = m_source.m_options.ownerName;
                const QString claimed = std::exchange(start->user, owner);
                if (!claimed.isEmpty() && claimed != owner)
                    warnOfClaim(event.session, event.timestampMs, // `event` dangles
                                QStringLiteral("the file %1 belongs to %2 but claims user %3; "
                                               "the session is %2's")
                                    .arg(m_path, owner, claimed));
            }
        } else if (event.type() == EventType::End) {
            m_source.m_endedSessions.insert(event.session);
            if (auto it = m_source.m_producers.find(event.session);
                it != m_source.m_producers.end())
                it->ended = true;
        }
    }

    // A warning in the session's log, right after its start event: the file
    // said the session is another user's, or another host's.
    void warnOfClaim(QString session, qint64 timestampMs, const QString &message) {
        Event warning;
        warning.session = std::move(session);
        warning.source = m_source.name();
        warning.timestampMs = timestampMs;
        LogPayload &log = warning.emplace<LogPayload>();
        log.level = LogLevel::Warning;
        log.message = message.toUtf8();
        m_out.events.append(std::move(warning));
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
    , m_localHost(ProcessProbe::hostName()) {
    if (m_options.ownerUid && m_options.ownerName.isEmpty())
        m_options.ownerName = UserAccounts::nameOf(*m_options.ownerUid);
}

SpoolSource::~SpoolSource() = default;

QString SpoolSource::directoryProblem() const {
    if (m_options.ownerUid) {
        // Checked on every scan: the directory could be replaced or opened up.
        QString problem = SystemSpool::directoryProblem(m_directory, *m_options.ownerUid);
        if (problem.isEmpty() && !NativeFile::canList(m_directory))
            problem = QStringLiteral("directory is not readable");
        return problem;
    }
    if (!QDir(m_directory).exists()) {
        // Not an error on a first start: the first producer creates it.
        return QFileInfo::exists(m_directory) ? QStringLiteral("not a directory") : QString();
    }
    if (!QFileInfo(m_directory).isReadable())
        return QStringLiteral("directory is not readable");
    return {};
}

bool SpoolSource::scanDirectory(EventBatch &out) {
    const QString error = directoryProblem();
    if (error != m_lastDirectoryError && !error.isEmpty())
        out.errors.append(SourceError{name(), m_directory, 0, error});
    m_lastDirectoryError = error;
    if (!error.isEmpty())
        return !m_options.ownerUid; // an untrusted system directory is not read at all
    const QDir dir(m_directory);
    if (!dir.exists())
        return true;
    if (!directoryChanged())
        return true; // the same names as at the last listing

    const QString pattern = QLatin1String("*") + QLatin1String(SpoolLocation::kFileSuffix);
    if (!m_options.ownerUid) {
        const QStringList names =
            dir.entryList({pattern}, QDir::Files | QDir::Hidden | QDir::System, QDir::Name);
        for (const QString &fileName : names)
            follow(m_directory + QLatin1Char('/') + fileName);
        return true;
    }
    // Owner mode: every entry, links and directories too, so that whatever
    // is not the owner's own regular file is said, once.
    const QStringList names = dir.entryList(
        {pattern}, QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System,
        QDir::Name);
    QSet<QString> skipped;
    for (const QString &fileName : names) {
        const QString path = m_directory + QLatin1Char('/') + fileName;
        if (m_files.find(path) != m_files.end())
            continue;
        if (m_skipped.contains(fileName)) {
            skipped.insert(fileName);
            continue;
        }
        // lstat'ed once, before anything opens it; the tailer's fstat guards
        // against a swap after this.
        if (const QString problem = SpoolTailer::entryProblem(path, m_options.ownerUid);
            !problem.isEmpty()) {
            out.errors.append(SourceError{name(), path, 0, QStringLiteral("skipped: ") + problem});
            skipped.insert(fileName);
            continue;
        }
        follow(path);
    }
    // A name that went away may come back as a proper file: looked at again.
    m_skipped = std::move(skipped);
    return true;
}

bool SpoolSource::directoryChanged() {
    // Names come and go only with a change of the directory's mtime, so a
    // spool of 20,000 files is listed again only then. An mtime within a
    // second of the listing that saw it is not trusted: a file created in
    // the same clock tick, just after the listing, leaves the mtime as it
    // was (git's "racily clean" entries).
    const auto st = NativeFile::statTarget(m_directory);
    if (!st)
        return true; // listing will tell what is wrong
    const qint64 mtimeNs = st->modifiedNs;
    if (m_listedMtimeNs && *m_listedMtimeNs == mtimeNs)
        return false;
    constexpr qint64 kTrustAfterNs = 1000000000;
    const qint64 nowNs = QDateTime::currentMSecsSinceEpoch() * 1000000;
    if (nowNs - mtimeNs >= kTrustAfterNs)
        m_listedMtimeNs = mtimeNs;
    else
        m_listedMtimeNs.reset();
    return true;
}

void SpoolSource::follow(const QString &path) {
    if (m_files.find(path) != m_files.end())
        return;
    qCDebug(log::spool).noquote() << name() << "follows" << path;
    m_files.emplace(
        path, File{std::make_unique<SpoolTailer>(path, Protocol::kMaxLineBytes, m_options.ownerUid),
                   {},
                   false});
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
    pollWithin(out, m_options.maxBytesPerPoll);
}

qint64 SpoolSource::pollWithin(EventBatch &out, qint64 maxBytes) {
    const bool catchingUp = m_pending;
    m_pending = false;
    // A sweep of 20,000 finished files costs a stat each: while catching up,
    // at most every sweepIntervalMs and never more than a fifth of the time.
    const bool sweep =
        !catchingUp || !m_sinceSweep.isValid()
        || m_sinceSweep.elapsed() >= qMax(m_options.sweepIntervalMs, 4 * m_lastSweepCostMs);
    QElapsedTimer sweepCost;
    if (sweep) {
        sweepCost.start();
        m_directoryReadable = scanDirectory(out);
    }
    if (!m_directoryReadable)
        return 0; // an untrusted directory is not read at all

    // Iterators stay valid in a std::map while other elements are erased.
    std::vector<std::map<QString, File>::iterator> files;
    files.reserve(m_files.size());
    for (auto it = m_files.begin(); it != m_files.end(); ++it)
        files.push_back(it);
    const qint64 allowed = qMin(maxBytes, m_options.maxBytesPerPoll);
    qint64 budget = allowed;
    int newFiles = 0;
    const int count = int(files.size());
    // Start where the last over-budget poll stopped, so no file starves.
    for (int i = 0; i < count && budget > 0; ++i) {
        const auto it = files[size_t((m_roundRobin + i) % count)];
        const QString &path = it->first;
        File &file = it->second;
        if (file.released && !sweep)
            continue; // a finished session's file: at the next sweep
        if (!file.started) {
            if (newFiles == m_options.maxNewFilesPerPoll) {
                m_pending = true; // the next poll goes on with the rest
                continue;
            }
            ++newFiles;
            file.started = true;
        }
        const qint64 before = file.tailer->offset();
        readFile(path, file, qMin(budget, m_options.maxBytesPerFile), out);
        budget -= qMax<qint64>(0, file.tailer->offset() - before);
        if (budget <= 0) {
            m_pending = true;
            m_roundRobin = (m_roundRobin + i + 1) % qMax(1, count);
        }
        if (file.released && !entryExists(path))
            m_files.erase(it); // vanished: its sessions stay known to the store
    }
    if (sweep) {
        m_lastSweepCostMs = sweepCost.elapsed(); // with this poll's reading: an upper bound
        m_sinceSweep.start();
    }
    checkProducers(out);
    return allowed - qMax<qint64>(0, budget);
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
        Event event;
        event.session = it.key();
        event.source = name();
        event.timestampMs = now;
        EndPayload end;
        end.state = SessionState::Interrupted;
        if (m_options.remoteHost.isEmpty()) {
            if (ProcessProbe::liveness(p.pid, p.startTicks, p.bootId)
                != ProcessProbe::Liveness::Gone) {
                ++it;
                continue;
            }
            end.summary = QStringLiteral("producer process %1 ended without writing an end event "
                                         "(killed, crashed or the machine stopped)")
                              .arg(p.pid);
        } else {
            // The agent's word, once the mirror holds every byte it had then.
            const auto gone = ProducerGone::read(ProducerGone::markerFor(p.file));
            if (!gone || file == m_files.end()
                || file->second.tailer->position().offset < gone->endOffset) {
                ++it;
                continue;
            }
            event.timestampMs = gone->atMs;
            end.summary = QStringLiteral("producer process %1 on %2 ended without writing an end "
                                         "event (killed, crashed or the machine stopped), as its "
                                         "agent saw")
                              .arg(gone->pid)
                              .arg(m_options.remoteHost);
        }
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
    // A history records several spools' positions side by side (the own
    // spool's, every mirrored host's): only this directory's are ours.
    const QString directory = QDir::cleanPath(m_directory);
    for (auto it = positions.cbegin(); it != positions.cend(); ++it) {
        if (QDir::cleanPath(QFileInfo(it.key()).path()) != directory)
            continue;
        auto tailer =
            std::make_unique<SpoolTailer>(it.key(), Protocol::kMaxLineBytes, m_options.ownerUid);
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
