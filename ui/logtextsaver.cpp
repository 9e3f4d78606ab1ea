// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "logtextsaver.h"

#include "format/format.h"

#include <QDir>
#include <QSaveFile>
#include <QtConcurrent/QtConcurrentRun>
#include <algorithm>
#include <memory>

namespace kw {

namespace {
// Lines formatted per write: big enough for few system calls, small enough
// that a 100,000-line log never sits in memory twice as text.
constexpr size_t kLinesPerChunk = 4096;
} // namespace

LogTextSaver::LogTextSaver(QObject *parent)
    : QObject(parent) {
    connect(&m_watcher, &QFutureWatcherBase::finished, this, [this] {
        m_running = false;
        const Result result = m_watcher.result();
        emit finished(result.ok, result.lines, result.error);
    });
}

// A running save needs nothing from this object (it owns its copy of the
// lines): it is waited for, so that no write outlives the window.
LogTextSaver::~LogTextSaver() {
    m_watcher.disconnect(this);
    m_watcher.waitForFinished();
}

QByteArray LogTextSaver::formatLine(qint64 timestampMs, LogLevel level, QByteArrayView message) {
    QByteArray line = Format::dateTimeMs(timestampMs).toLatin1();
    line += ' ';
    line += QByteArray(wireName(level).data(), wireName(level).size()).toUpper().leftJustified(7);
    line += ' ';
    line += message;
    line += '\n';
    return line;
}

LogTextSaver::Result LogTextSaver::write(const QString &fileName, const LogLines &lines) {
    Result result;
    const QString shown = QDir::toNativeSeparators(fileName);
    QSaveFile file(fileName);
    if (!file.open(QIODevice::WriteOnly)) {
        result.error = tr("Cannot write %1: %2").arg(shown, file.errorString());
        return result;
    }
    QByteArray chunk;
    for (size_t first = 0; first < lines.lines.size(); first += kLinesPerChunk) {
        chunk.clear();
        const size_t end = std::min(lines.lines.size(), first + kLinesPerChunk);
        for (size_t i = first; i < end; ++i) {
            const LogLines::Line &line = lines.lines[i];
            chunk += formatLine(line.timestampMs, line.level, lines.textOf(line));
        }
        if (file.write(chunk) != chunk.size()) {
            result.error = tr("Cannot write %1: %2").arg(shown, file.errorString());
            file.cancelWriting();
            return result;
        }
    }
    if (!file.commit()) {
        result.error = tr("Cannot write %1: %2").arg(shown, file.errorString());
        return result;
    }
    result.ok = true;
    result.lines = qint64(lines.lines.size());
    return result;
}

bool LogTextSaver::start(const QString &fileName, LogLines lines) {
    if (isRunning())
        return false;
    m_fileName = fileName;
    m_running = true;
    // The task owns its copy of the lines; the result comes back through the future.
    m_watcher.setFuture(
        QtConcurrent::run([fileName, input = std::move(lines)] { return write(fileName, input); }));
    return true;
}

} // namespace kw
