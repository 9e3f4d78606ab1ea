// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QByteArray>
#include <QObject>
#include <QProcess>
#include <QString>
#include <QTimer>
#include <deque>
#include <functional>
#include <optional>

namespace kw {

// Where a director's console is: the bconsole program and its bconsole.conf
// (whose password Keepwatch never reads), and how long an answer may take.
struct BconsoleProgram {
    QString bconsole = QStringLiteral("/usr/sbin/bconsole");
    QString configPath;
    int timeoutMs = 10000; // a bconsole that has not answered by then is killed
};

// Commands to one director, each through its own `bconsole -c CONF` run, one
// at a time, in order: the one place that knows how bconsole is started, fed
// and cut short. Asynchronous (a child process of this object's thread; no
// wait), or, for keepwatch-cli, blocking: queued, then run to the end at
// once (runAllNow).
class BconsoleQueue final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BconsoleQueue)

public:
    // What bconsole said to one command.
    struct Result {
        // Its answer (Bconsole::answerTo: after the echo of the command);
        // none when the director did not answer (not started, timed out,
        // refused, too large).
        std::optional<QByteArray> answer;
        QString error; // why not, in words, when there is no answer
    };
    using Answered = std::function<void(const Result &)>;

    enum class Mode { Asynchronous, Blocking };
    explicit BconsoleQueue(BconsoleProgram program, Mode mode = Mode::Asynchronous,
                           QObject *parent = nullptr);
    ~BconsoleQueue() override; // kills a bconsole still running

    const BconsoleProgram &program() const { return m_program; }

    // Runs `command` after those queued (`.api 2` first when `api`);
    // `answered` is called once, on this object's thread, and may queue more.
    void enqueue(const QString &command, bool api, Answered answered);
    // Whether `command` waits in the queue (not counting the one running).
    bool isQueued(const QString &command) const;
    // Nothing running or waiting.
    bool isIdle() const { return !m_running && m_queue.empty(); }
    // Forgets what waits (the one running still answers).
    void clearQueued() { m_queue.clear(); }
    // Blocking mode: runs everything queued, and what the answers queue,
    // waiting for each.
    void runAllNow();

signals:
    // Asynchronous mode: the last command answered and nothing waits.
    void idle();

private:
    struct Command {
        QString text; // without the .api prefix
        bool api = false;
        Answered answered;
    };
    void startNext();
    void launch(); // starts bconsole with m_current
    void processEnded();
    Result resultOf(const QByteArray &output) const;
    void deliver(const Result &result);

    BconsoleProgram m_program;
    QProcess m_process;
    QTimer m_timeout;
    std::deque<Command> m_queue;
    Command m_current;
    bool m_running = false;
    bool m_timedOut = false;
    bool m_tooLarge = false;
    bool m_blocking = false;
};

} // namespace kw
