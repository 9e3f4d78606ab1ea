// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "collector/sessionsource.h"
#include "protocol/eventcodec.h"
#include "spool/spooltailer.h"

#include <QElapsedTimer>
#include <QHash>
#include <QSet>
#include <map>
#include <memory>
#include <optional>

namespace kw {

// Reads every session file in a spool directory: new files are found on each
// poll, each file is followed with a SpoolTailer, lines are decoded into
// events. Bad lines become SourceErrors (file, line, reason) and are skipped.
//
// It also notices producers that died without an end event: a session whose
// producer process (pid + start time + boot id, on this host) is gone ends as
// `interrupted` — but only once its file has been read to the end, so an end
// event that was written just before the exit is never overtaken.
//
// With an owner (Options::ownerUid: a user's directory of the system spool)
// it trusts the kernel, never the payload: the directory must pass
// SystemSpool::directoryProblem() on every scan; a new entry that is a
// symbolic link, a FIFO, a socket, a device, a hard link or a file of
// someone else is skipped and reported once; and the user of every session
// is the file's owner (a start event claiming another user gets a warning
// in its session's log).
class SpoolSource final : public SessionSource {
public:
    struct Options {
        // What one poll reads, the batch the window's thread then folds in
        // one turn of its event loop: 4 MiB is about 27,000 lines of 155
        // bytes, ~12 ms of store work (docs/performance.md, 1 and 8).
        // 16 MiB held the window 200-250 ms when a hundred hosts' sessions
        // started together on a busy machine (bench_fleet).
        qint64 maxBytesPerPoll = 4 * 1024 * 1024;
        qint64 maxBytesPerFile = 4 * 1024 * 1024;
        qint64 livenessIntervalMs = 500;
        // A spool of thousands of sessions is taken in steps: files read for
        // the first time in one poll, so that no batch brings the window
        // thousands of sessions at once (bench_systemspool: 20,000 in one
        // batch held the window's event loop for half a second).
        int maxNewFilesPerPoll = 1000;
        // While catching up (the last poll left bytes unread), the directory
        // and the files of finished sessions are looked at again at most this
        // often, and at most a fifth of the time: the polls in between follow
        // only the files still open, not thousands of finished ones.
        qint64 sweepIntervalMs = 250;
        // The source's identity (SessionSource::name): "spool" for the
        // user's own spool, SourceSet::spoolIdentity() for any other.
        QString identity = QStringLiteral("spool");
        // The uid that owns the directory and every file in it; unset for a
        // spool of one's own, where only regular files are required.
        std::optional<uint> ownerUid;
        // The owner's name (the password database's name of ownerUid): the
        // `user` of every session read here. Empty: looked up from ownerUid.
        QString ownerName;
        // Set: the directory mirrors another host's spool (docs/fleet.md).
        // Its sessions run there: their producers are never looked for on
        // this machine (a producer that died there is its agent's word,
        // ProducerGone), and their host is this one (the broker topic's),
        // whatever a start event claims (a claim of another host gets a
        // warning in its session's log).
        QString remoteHost;
    };

    explicit SpoolSource(QString directory);
    SpoolSource(QString directory, Options options);
    ~SpoolSource() override;

    QString name() const override { return m_options.identity; }
    void poll(EventBatch &out) override;
    // A poll that reads at most about `maxBytes` (capped by the options'
    // maxBytesPerPoll); returns the bytes read. For a source that shares
    // one budget between several spools (SystemSpoolSource).
    qint64 pollWithin(EventBatch &out, qint64 maxBytes);
    QStringList watchPaths() const override;
    bool hasPendingData() const override { return m_pending; }

    QString directory() const { return m_directory; }

    // For a reader that persists where it stopped (the history database):
    // the position in every file, and, before the first poll, where to go on
    // and which producers of unfinished sessions to keep watching (positions
    // of files in other directories are ignored).
    QHash<QString, SpoolTailer::Position> positions() const;
    void resume(const QHash<QString, SpoolTailer::Position> &positions);
    void watchProducer(const QString &sessionId, const QString &file, qint64 pid,
                       quint64 startTicks, const QString &bootId);

private:
    struct Producer {
        qint64 pid = 0;
        quint64 startTicks = 0;
        QString bootId;
        QString file;
        bool ended = false;
    };
    struct File {
        std::unique_ptr<SpoolTailer> tailer;
        // The sessions seen in the file, by the address of their ID's data
        // (see Sink::line).
        QHash<const QChar *, QString> sessions;
        bool released = false;
        bool started = false; // read at least once
    };
    class Sink;

    QString directoryProblem() const;
    // Finds new files; false when the directory may not be read now.
    bool scanDirectory(EventBatch &out);
    // Whether the directory may hold other names than at the last listing.
    bool directoryChanged();
    void follow(const QString &path);
    void readFile(const QString &path, File &file, qint64 budget, EventBatch &out);
    void checkProducers(EventBatch &out);
    bool allSessionsEnded(const File &file) const;

    QString m_directory;
    Options m_options;
    EventDecoder m_decoder;
    std::map<QString, File> m_files;      // by path, sorted (move-only values)
    QHash<QString, Producer> m_producers; // by session ID
    QSet<QString> m_endedSessions;
    QSet<QString> m_skipped; // names of entries skipped and reported (owner mode)
    QString m_localHost;
    QString m_lastDirectoryError;
    qint64 m_lastLivenessCheck = 0;
    int m_roundRobin = 0;
    bool m_pending = false;
    QElapsedTimer m_sinceSweep;            // the last look at the directory and every file
    qint64 m_lastSweepCostMs = 0;          // how long it took
    bool m_directoryReadable = false;      // what that look found
    std::optional<qint64> m_listedMtimeNs; // the directory's mtime at a trusted listing
};

} // namespace kw
