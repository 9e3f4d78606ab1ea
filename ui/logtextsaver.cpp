// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "logtextsaver.h"

#include "format/format.h"

#include <QDir>
#include <QSaveFile>
#include <QThread>
#include <algorithm>
#include <memory>

namespace kw {

namespace {
// Lines formatted per write: big enough for few system calls, small enough
// that a 100,000-line log never sits in memory twice as text.
constexpr size_t kLinesPerChunk = 4096;
} // namespace

LogTextSaver::LogTextSaver(QObject *parent)
    : QObject(parent) {}

// A running worker needs nothing from this object (it owns its copy of the
// lines and deletes itself when done): it is left to finish.
LogTextSaver::~LogTextSaver() = default;

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
    // Shared by the worker (writes it) and the finished handler (reads it
    // after the thread ended): never touched by both at once.
    m_fileName = fileName;
    auto result = std::make_shared<Result>();
    auto input = std::make_shared<LogLines>(std::move(lines));
    QThread *thread =
        QThread::create([fileName, input, result] { *result = write(fileName, *input); });
    thread->setObjectName(QStringLiteral("keepwatch-log-save"));
    m_thread = thread;
    connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    connect(thread, &QThread::finished, this, [this, result] {
        m_thread.clear();
        emit finished(result->ok, result->lines, result->error);
    });
    thread->start(QThread::LowPriority);
    return true;
}

} // namespace kw
