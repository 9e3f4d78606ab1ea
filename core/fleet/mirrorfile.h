// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QByteArray>
#include <QFile>
#include <QSet>
#include <QString>
#include <map>
#include <optional>
#include <utility>

namespace kw {

// Where a chunk of a remote spool file [offset, offset + length) goes in a
// mirror that holds the file's first `mirrorSize` bytes. Chunks arrive at
// least once, in any order (QoS 1 redelivery, replays): only the part past
// the mirror's end is new.
struct ChunkPlacement {
    enum class Action {
        Append,    // write the chunk's bytes from `skip` on (skip > 0: an overlap trimmed)
        Duplicate, // everything is in the mirror already: drop it
        Gap,       // it starts past the end: hold it, ask for [mirrorSize, offset)
    };
    Action action = Action::Append;
    qint64 skip = 0;

    static ChunkPlacement of(qint64 mirrorSize, qint64 offset, qint64 length);
    bool operator==(const ChunkPlacement &o) const { return action == o.action && skip == o.skip; }
};

// One session's byte-identical mirror of a remote spool file
// (<state>/remote/<host>/<session>.jsonl), with the identity (epoch) of the
// remote file it copies in <file>.epoch. Chunks that start past its end are
// held in memory (bounded) until the gap before them has come; a chunk of
// another epoch at offset 0 means the remote file was replaced or truncated:
// the mirror starts again, and chunks of the old epoch are dropped from then
// on.
class MirrorFile final {
public:
    // Bytes held out of order per session; beyond, later chunks are
    // dropped (the retained end offset brings them back by replay).
    static constexpr qint64 kMaxHeldBytes = 8 * 1024 * 1024;

    explicit MirrorFile(QString path);
    MirrorFile(const MirrorFile &) = delete;
    MirrorFile &operator=(const MirrorFile &) = delete;

    // Creates the file or reads its size and epoch; an error message, empty
    // on success.
    QString open();
    QString path() const { return m_path; }
    qint64 size() const { return m_size; }
    QString epoch() const { return m_epoch; }

    struct Result {
        enum class Outcome { Appended, Duplicate, Held, StaleEpoch, Error };
        Outcome outcome = Outcome::Duplicate;
        qint64 written = 0; // bytes appended (held chunks that fitted included)
        QString error;
        // Not an error, worth a word: the mirror was changed under the
        // collector (removed, truncated or replaced by hand) and what it
        // lacks now is asked for again.
        QString notice;
    };
    Result apply(const QString &epoch, qint64 offset, const QByteArray &bytes);
    // A retained state: the remote file (epoch) has `end` bytes. An error
    // message, empty on success.
    QString setRemoteEnd(const QString &epoch, qint64 end);
    std::optional<qint64> remoteEnd() const { return m_remoteEnd; }

    // The first range the mirror lacks: before the first held chunk, or up
    // to the remote end. Nothing when it is complete as far as it knows.
    std::optional<std::pair<qint64, qint64>> missing() const;

    // Appends keep the file open (a descriptor saved per chunk: an open, a
    // stat and a close, two thirds of a collector's system time with a
    // thousand live sessions) until closeOutput(); its owner bounds how many
    // stay open (OpenMirrors).
    bool isOutputOpen() const { return m_out.isOpen(); }
    void closeOutput() { m_out.close(); }
    // Whether the path still leads to the file open for appends, as long
    // as the mirror says (an lstat, for a periodic look): one removed,
    // replaced or truncated by hand is closed here (true), and the next
    // chunk opens what the path holds then and asks for what it lacks; a
    // removed mirror of a live session comes back whole, one of a finished
    // session stays removed.
    bool closeIfChanged();

private:
    // Another remote file than the mirror's.
    QString switchTo(const QString &epoch);
    // Switches to a new remote file: the mirror starts empty.
    QString restart(const QString &epoch);
    QString writeEpoch();
    QString append(const char *data, qint64 size);
    // Opens the file for appends and takes the bytes it holds as the
    // mirror's, as far as they go: fewer (removed or truncated by hand) end
    // the mirror sooner, more (written by someone else) are cut off.
    QString openOutput(QString *notice);
    qint64 drainHeld(QString *error);

    QString m_path;
    QFile m_out; // opened by the first append, write-only, appending
    // The device and inode of m_out when it was opened (an lstat of the path).
    std::optional<std::pair<quint64, quint64>> m_outIdentity;
    qint64 m_size = 0;
    QString m_epoch;
    QSet<QString> m_superseded;
    std::map<qint64, QByteArray> m_held; // by offset
    qint64 m_heldBytes = 0;
    std::optional<qint64> m_remoteEnd;
};

} // namespace kw
