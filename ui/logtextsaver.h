// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "models/logmodel.h"

#include <QFutureWatcher>
#include <QObject>
#include <QString>

namespace kw {

// Saves log lines as a text file without blocking the window: the GUI thread
// only copies the lines (LogModel::copyLines, one memcpy per line); a worker
// thread formats them in chunks and writes them through QSaveFile, so the
// file appears whole or not at all, never half-written.
//
// One-shot work, so the project's idiom for it: QtConcurrent::run, watched by
// a QFutureWatcher this object owns; a save still running when this object is
// destroyed is waited for (the file is written whole), never left behind.
//
// One line per log line: local date and time with milliseconds, the level,
// the message, e.g. "2024-05-01 21:04:05.120 WARNING file changed while read".
class LogTextSaver final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogTextSaver)

public:
    struct Result {
        bool ok = false;
        qint64 lines = 0;
        QString error; // what went wrong, naming the file, when !ok
    };

    explicit LogTextSaver(QObject *parent = nullptr);
    // A save still running goes on to its end (waited for); nobody hears of it.
    ~LogTextSaver() override;

    bool isRunning() const { return m_running; }
    // Starts writing; false (and nothing started) while a save is running.
    bool start(const QString &fileName, LogLines lines);
    // The file being (or last) written.
    QString fileName() const { return m_fileName; }

    // What the worker does, synchronous.
    static Result write(const QString &fileName, const LogLines &lines);
    static QByteArray formatLine(qint64 timestampMs, LogLevel level, QByteArrayView message);

signals:
    void finished(bool ok, qint64 lines, const QString &error);

private:
    QFutureWatcher<Result> m_watcher;
    bool m_running = false; // until finished() is emitted
    QString m_fileName;
};

} // namespace kw
