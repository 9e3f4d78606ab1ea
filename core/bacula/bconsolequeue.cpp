// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "bacula/bconsolequeue.h"

#include "bacula/bconsoleoutput.h"

#include <algorithm>
#include <utility>

namespace kw {

namespace {
// bconsole's answer is bounded: a director cannot fill this process' memory.
constexpr qint64 kMaxAnswerBytes = 16 * 1024 * 1024;
} // namespace

BconsoleQueue::BconsoleQueue(BconsoleProgram program, Mode mode, QObject *parent)
    : QObject(parent)
    , m_program(std::move(program))
    , m_blocking(mode == Mode::Blocking) {
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    if (m_blocking)
        return; // runAllNow() waits for each bconsole itself
    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, [this] {
        m_timedOut = true;
        m_process.kill(); // processEnded() says it
    });
    connect(&m_process, &QProcess::finished, this, &BconsoleQueue::processEnded);
    // Queued: QProcess may say it inside start(), before startNext() is done.
    connect(
        &m_process, &QProcess::errorOccurred, this,
        [this](QProcess::ProcessError error) {
            if (error == QProcess::FailedToStart && m_running)
                processEnded();
        },
        Qt::QueuedConnection);
    connect(&m_process, &QProcess::readyRead, this, [this] {
        if (m_process.bytesAvailable() > kMaxAnswerBytes) {
            m_tooLarge = true;
            m_process.kill();
        }
    });
}

BconsoleQueue::~BconsoleQueue() {
    m_process.disconnect(this);
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(1000);
    }
}

void BconsoleQueue::enqueue(const QString &command, bool api, Answered answered) {
    m_queue.push_back({command, api, std::move(answered)});
    if (!m_running && !m_blocking)
        startNext();
}

bool BconsoleQueue::isQueued(const QString &command) const {
    return std::any_of(m_queue.cbegin(), m_queue.cend(),
                       [&](const Command &c) { return c.text == command; });
}

void BconsoleQueue::startNext() {
    if (m_queue.empty()) {
        emit idle();
        return;
    }
    m_current = std::move(m_queue.front());
    m_queue.pop_front();
    m_running = true;
    launch();
    m_timeout.start(m_program.timeoutMs);
}

void BconsoleQueue::launch() {
    m_timedOut = false;
    m_tooLarge = false;
    m_process.start(m_program.bconsole, {QStringLiteral("-c"), m_program.configPath});
    // One command, then end of input: bconsole quits after answering.
    const QString input = (m_current.api ? QStringLiteral(".api 2\n") : QString()) + m_current.text
                          + QLatin1Char('\n');
    m_process.write(input.toUtf8());
    m_process.closeWriteChannel();
}

void BconsoleQueue::processEnded() {
    m_timeout.stop();
    const Result result = resultOf(m_process.readAll().left(kMaxAnswerBytes));
    m_running = false;
    deliver(result);
    if (!m_running)
        startNext();
}

BconsoleQueue::Result BconsoleQueue::resultOf(const QByteArray &output) const {
    Result result;
    if (m_process.error() == QProcess::FailedToStart) {
        result.error = QStringLiteral("%1 cannot be started: %2")
                           .arg(m_program.bconsole, m_process.errorString());
    } else if (m_timedOut) {
        result.error = QStringLiteral("bconsole got no answer to %1 in %2 s (the director is "
                                      "down, unreachable or too slow)")
                           .arg(m_current.text)
                           .arg(m_program.timeoutMs / 1000);
    } else if (m_tooLarge) {
        result.error = QStringLiteral("bconsole's answer to %1 is larger than %2 MiB")
                           .arg(m_current.text)
                           .arg(kMaxAnswerBytes >> 20);
    } else {
        result.answer = Bconsole::answerTo(output, m_current.text.toUtf8(), &result.error);
    }
    return result;
}

void BconsoleQueue::deliver(const Result &result) {
    // Moved out first: the callback may queue more, or clear the queue.
    const Answered answered = std::exchange(m_current.answered, {});
    if (answered)
        answered(result);
}

void BconsoleQueue::runAllNow() {
    Q_ASSERT(m_blocking);
    while (!m_queue.empty()) {
        m_current = std::move(m_queue.front());
        m_queue.pop_front();
        launch();
        QByteArray output;
        if (m_process.waitForStarted(m_program.timeoutMs)) {
            if (!m_process.waitForFinished(m_program.timeoutMs)) {
                m_timedOut = true;
                m_process.kill();
                m_process.waitForFinished(1000);
            }
            output = m_process.readAll();
            m_tooLarge = output.size() > kMaxAnswerBytes;
        }
        deliver(resultOf(output));
    }
}

} // namespace kw
