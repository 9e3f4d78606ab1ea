// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "platform/processend.h"
#include "platform/processprobe.h"
#include "protocol/eventcodec.h"
#include "wrapper/windowscommandline.h"
#include "wrapper/wrappedcommand.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <functional>
#include <thread>
#include <windows.h>
// After windows.h, which it needs.
#include <shellapi.h>

using namespace kw;

// The Windows wrapper on real processes (run under wine here, on Windows
// alike): cmd.exe's output and exit code in the spool, the session's
// variables, a program that is not there, and cancels through the named event
// (platform/cancelchannel.h) and Ctrl-C, with this program itself as the
// long-running command (see main(): `--child`).

namespace {

// ---- the child: this program run as `tst_wrapperwindows --child MODE`.

std::atomic<bool> g_stop{false};

BOOL WINAPI childOnBreak(DWORD type) {
    if (type != CTRL_BREAK_EVENT && type != CTRL_C_EVENT)
        return FALSE;
    g_stop = true;
    return TRUE;
}

BOOL WINAPI childIgnoresBreak(DWORD type) {
    return type == CTRL_BREAK_EVENT || type == CTRL_C_EVENT;
}

// Every byte value and a few line ends, as raw bytes (no C runtime text mode).
QByteArray allBytes() {
    QByteArray bytes;
    for (int i = 0; i < 256; ++i)
        bytes.append(char(i));
    return bytes + "\r\n\n\r";
}

// bytes: writes allBytes() to stdout; polite: stops on Ctrl-Break within 30 s (exit 130, as a tool
// that cleans up would); stubborn: ignores it and starts a grandchild, so that only the job's end
// stops both; sleeper: the grandchild.
int childMain(const char *mode) {
    if (std::strcmp(mode, "bytes") == 0) {
        const QByteArray bytes = allBytes();
        DWORD written = 0;
        return ::WriteFile(::GetStdHandle(STD_OUTPUT_HANDLE), bytes.constData(),
                           DWORD(bytes.size()), &written, nullptr)
                       && written == DWORD(bytes.size())
                   ? 0
                   : 1;
    }
    const bool stubborn = std::strcmp(mode, "stubborn") == 0;
    const bool ignores = stubborn || std::strcmp(mode, "sleeper") == 0;
    ::SetConsoleCtrlHandler(ignores ? childIgnoresBreak : childOnBreak, TRUE);
    if (stubborn) {
        std::wstring line =
            L"\"" + QCoreApplication::applicationFilePath().toStdWString() + L"\" --child sleeper";
        STARTUPINFOW startup{};
        startup.cb = sizeof startup;
        PROCESS_INFORMATION info{};
        if (::CreateProcessW(nullptr, line.data(), nullptr, nullptr, FALSE, 0, nullptr, nullptr,
                             &startup, &info)) {
            std::printf("grandchild %lu\n", info.dwProcessId);
            ::CloseHandle(info.hThread);
            ::CloseHandle(info.hProcess);
        }
    }
    std::printf("child %lu running\n", ::GetCurrentProcessId());
    std::fflush(stdout);
    for (int i = 0; i < 300 && !g_stop; ++i)
        ::Sleep(100);
    if (g_stop) {
        std::printf("stopping on Ctrl-Break\n");
        std::fflush(stdout);
        return 130;
    }
    return 0;
}

// ---- the test's side

struct Recorded {
    QList<Event> events;
    const StartPayload *start() const {
        return events.isEmpty() ? nullptr : events.first().as<StartPayload>();
    }
    const EndPayload *end() const {
        return events.isEmpty() ? nullptr : events.last().as<EndPayload>();
    }
    QList<QByteArray> logLines() const {
        QList<QByteArray> lines;
        for (const Event &e : events) {
            if (const auto *log = e.as<LogPayload>())
                lines << log->message;
        }
        return lines;
    }
    bool logHas(const QByteArray &part) const {
        for (const QByteArray &line : logLines()) {
            if (line.contains(part))
                return true;
        }
        return false;
    }
    QString states() const {
        QStringList states;
        for (const Event &e : events) {
            if (const auto *s = e.as<StatePayload>())
                states << QString::number(int(s->state)) + QLatin1Char(':') + s->reason;
        }
        return states.join(QLatin1String(" | "));
    }
};

Recorded readSpool(const QString &file) {
    Recorded r;
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return r;
    EventDecoder decoder;
    for (const QByteArray &line : f.readAll().split('\n')) {
        Event e;
        if (decoder.decode(line, e).ok)
            r.events << e;
    }
    return r;
}

QString dump(const Recorded &r) {
    QStringList lines;
    for (const QByteArray &line : r.logLines())
        lines << QString::fromUtf8(line);
    return QStringLiteral("log: [%1] states: [%2]")
        .arg(lines.join(QLatin1String(" / ")), r.states());
}

bool processEnded(DWORD pid) {
    HANDLE h = ::OpenProcess(SYNCHRONIZE, FALSE, pid);
    if (!h)
        return true; // no such process any more
    const bool ended = ::WaitForSingleObject(h, 0) == WAIT_OBJECT_0;
    ::CloseHandle(h);
    return ended;
}

} // namespace

class TestWrapperWindows final : public QObject {
    Q_OBJECT

    QTemporaryDir m_spool;

    WrapOptions options(const QString &id, const QStringList &command) const {
        WrapOptions o;
        o.command = command;
        o.sessionId = id;
        o.spoolDirectory = m_spool.path();
        return o;
    }
    QString spoolFile(const QString &id) const {
        return m_spool.filePath(id + QStringLiteral(".jsonl"));
    }

    // Runs `o` with `action` started on another thread once the command is
    // ready: once a log line containing `readyLine` is in the spool (this
    // test's own children say "child N running" when they reach their Sleep
    // loop), or, for a command that prints nothing first, 500 ms after the
    // session's start event. A fixed wait alone was not enough: in a fresh
    // wine prefix a Qt child took longer than 500 ms to start, so the cancel
    // came before it had started its grandchild. `action` says what went
    // wrong, if anything.
    int runWith(const WrapOptions &o, const std::function<QString()> &action, qint64 &elapsedMs,
                QString &actionError, const QByteArray &readyLine = "running") {
        std::atomic<bool> done{false};
        std::thread helper([&] {
            const auto ready = [&] {
                const Recorded r = readSpool(spoolFile(o.sessionId));
                return readyLine.isEmpty() ? !r.events.isEmpty() : r.logHas(readyLine);
            };
            for (int i = 0; i < 400 && !done && !ready(); ++i)
                ::Sleep(50);
            if (readyLine.isEmpty())
                ::Sleep(500); // the command reaches its loop
            if (!done)
                actionError = action();
        });
        QElapsedTimer timer;
        timer.start();
        WrappedCommand command(o);
        const int status = command.run();
        elapsedMs = timer.elapsed();
        done = true;
        helper.join();
        return status;
    }

    // What keepwatch-cli cancel does (ProcessProbe opens and sets the event
    // platform/cancelchannel.h names): both sides agree on the name.
    static QString setCancelEvent() {
        return ProcessProbe::sendCancelRequest(QCoreApplication::applicationPid());
    }

    QStringList self(const char *mode) const {
        return {QCoreApplication::applicationFilePath(), QStringLiteral("--child"),
                QString::fromLatin1(mode)};
    }

private slots:
    void initTestCase() { QVERIFY(m_spool.isValid()); }

    void cmdExitCodeAndOutput() {
        const WrapOptions o =
            options(QStringLiteral("win-exit"), {QStringLiteral("cmd"), QStringLiteral("/c"),
                                                 QStringLiteral("echo hi & exit 3")});
        WrappedCommand command(o);
        QCOMPARE(command.validate(), QString());
        QCOMPARE(command.run(), 3);
        const Recorded r = readSpool(spoolFile(o.sessionId));
        QVERIFY2(r.start(), "no start event first");
        QVERIFY(r.start()->pid.has_value());
        QCOMPARE(r.start()->command, o.command);
        QCOMPARE(r.start()->producerPid.value_or(-1), QCoreApplication::applicationPid());
        QVERIFY2(r.logLines().contains("hi ") || r.logLines().contains("hi"), qPrintable(dump(r)));
        QVERIFY2(r.end(), "no end event last");
        QCOMPARE(r.end()->state, SessionState::Failed);
        QCOMPARE(r.end()->exitCode.value_or(-1), 3);
        QVERIFY(!r.end()->signal);
    }

    void stderrIsItsOwnStream() {
        const WrapOptions o =
            options(QStringLiteral("win-stderr"), {QStringLiteral("cmd"), QStringLiteral("/c"),
                                                   QStringLiteral("echo to-stderr 1>&2")});
        QCOMPARE(WrappedCommand(o).run(), 0);
        const Recorded r = readSpool(spoolFile(o.sessionId));
        bool found = false;
        for (const Event &e : r.events) {
            if (const auto *log = e.as<LogPayload>(); log && log->message.startsWith("to-stderr"))
                found = log->stream == QLatin1String("stderr");
        }
        QVERIFY2(found, qPrintable(dump(r)));
        QCOMPARE(r.end()->state, SessionState::Succeeded);
    }

    void theCommandKnowsItsSession() {
        const WrapOptions o =
            options(QStringLiteral("win-env"),
                    {QStringLiteral("cmd"), QStringLiteral("/c"),
                     QStringLiteral(
                         "echo id=%KEEPWATCH_SESSION_ID% & echo spool=%KEEPWATCH_SESSION_SPOOL%")});
        QCOMPARE(WrappedCommand(o).run(), 0);
        const Recorded r = readSpool(spoolFile(o.sessionId));
        QVERIFY2(r.logHas("id=win-env"), qPrintable(dump(r)));
        // As the wrapper was given it, separators aside.
        const QString want = QDir::toNativeSeparators(m_spool.path());
        QString seen;
        for (const QByteArray &line : r.logLines()) {
            if (line.startsWith("spool="))
                seen = QDir::toNativeSeparators(QString::fromUtf8(line.mid(6).trimmed()));
        }
        QCOMPARE(seen, want);
    }

    // What the command writes reaches our stdout unchanged.
    void passesOutputThroughByteForByte() {
        const QString path = m_spool.filePath(QStringLiteral("stdout.bin"));
        HANDLE file = ::CreateFileW(reinterpret_cast<const wchar_t *>(path.utf16()), GENERIC_WRITE,
                                    FILE_SHARE_READ, nullptr, CREATE_ALWAYS, 0, nullptr);
        QVERIFY(file != INVALID_HANDLE_VALUE);
        const HANDLE stdoutHandle = ::GetStdHandle(STD_OUTPUT_HANDLE);
        ::SetStdHandle(STD_OUTPUT_HANDLE, file);
        const int status =
            WrappedCommand(options(QStringLiteral("win-bytes"), self("bytes"))).run();
        ::SetStdHandle(STD_OUTPUT_HANDLE, stdoutHandle);
        ::CloseHandle(file);
        QCOMPARE(status, 0);
        QFile written(path);
        QVERIFY(written.open(QIODevice::ReadOnly));
        QCOMPARE(written.readAll(), allBytes());
    }

    void aMissingProgramIs127() {
        const WrapOptions o =
            options(QStringLiteral("win-missing"), {QStringLiteral("keepwatch-no-such-program")});
        QCOMPARE(WrappedCommand(o).run(), 127);
        const Recorded r = readSpool(spoolFile(o.sessionId));
        QVERIFY(r.start());
        QVERIFY(!r.start()->pid.has_value());
        QCOMPARE(r.end()->state, SessionState::Failed);
        QCOMPARE(r.end()->exitCode.value_or(-1), 127);
    }

    // The C runtime of a real program reads back the line the wrapper made.
    void argumentsArriveUnchanged() {
        const QStringList args{QStringLiteral("a b"), QStringLiteral("C:\\dir\\"),
                               QStringLiteral("say \"hi\""), QString(), QStringLiteral("a\\\\\"b")};
        const std::wstring line =
            windowsCommandLine(QStringList{QStringLiteral("prog")} + args).toStdWString();
        int argc = 0;
        wchar_t **argv = ::CommandLineToArgvW(line.c_str(), &argc);
        QVERIFY(argv);
        QStringList back;
        for (int i = 1; i < argc; ++i)
            back << QString::fromWCharArray(argv[i]);
        ::LocalFree(argv);
        QCOMPARE(back, args);
    }

    // keepwatch-cli cancel's way in: the named event. The command stops on
    // the Ctrl-Break it is sent, long before its 30 s (under wine, which
    // cannot send Ctrl-Break, the job is ended instead: said as a warning).
    void cancelThroughTheEventIsPolite() {
        WrapOptions o = options(QStringLiteral("win-cancel-polite"), self("polite"));
        o.cancelGraceMs = 5000;
        qint64 elapsed = 0;
        QString error;
        const int status = runWith(o, setCancelEvent, elapsed, error);
        QCOMPARE(error, QString());
        const Recorded r = readSpool(spoolFile(o.sessionId));
        qInfo("cancel (polite): status %d after %lld ms; %s", status, elapsed, qPrintable(dump(r)));
        QVERIFY2(r.end(), qPrintable(dump(r)));
        QCOMPARE(r.end()->state, SessionState::Cancelled);
        QVERIFY2(r.states().contains(QLatin1String("cancel requested; sent Ctrl-Break")),
                 qPrintable(r.states()));
        QVERIFY2(elapsed < 20000, qPrintable(QString::number(elapsed)));
        if (!r.logHas("stopping on Ctrl-Break"))
            qWarning("the command never saw Ctrl-Break: the job was ended instead");
    }

    // A real console program: ping, 30 s of it (wine 8 has ping but no
    // timeout.exe). Windows' ping prints its statistics on Ctrl-Break and
    // goes on, so the job is ended after the grace period.
    void cancelPingThroughTheEvent() {
        WrapOptions o = options(QStringLiteral("win-cancel-ping"),
                                {QStringLiteral("ping"), QStringLiteral("-n"), QStringLiteral("30"),
                                 QStringLiteral("127.0.0.1")});
        o.cancelGraceMs = 2000;
        qint64 elapsed = 0;
        QString error;
        const int status = runWith(o, setCancelEvent, elapsed, error, {});
        QCOMPARE(error, QString());
        const Recorded r = readSpool(spoolFile(o.sessionId));
        qInfo("cancel (ping): status %d after %lld ms; %s", status, elapsed, qPrintable(dump(r)));
        QVERIFY2(r.end(), qPrintable(dump(r)));
        QCOMPARE(r.end()->state, SessionState::Cancelled);
        QVERIFY2(elapsed < 15000, qPrintable(QString::number(elapsed)));
    }

    // A command that ignores Ctrl-Break is ended with everything it started
    // once the grace period is over (at once where Ctrl-Break cannot be sent:
    // wine 8 does not implement it).
    void cancelEndsTheWholeJob() {
        WrapOptions o = options(QStringLiteral("win-cancel-stubborn"), self("stubborn"));
        o.cancelGraceMs = 2000;
        qint64 elapsed = 0;
        QString error;
        const int status = runWith(o, setCancelEvent, elapsed, error);
        QCOMPARE(error, QString());
        const Recorded r = readSpool(spoolFile(o.sessionId));
        qInfo("cancel (stubborn): status %d after %lld ms; %s", status, elapsed,
              qPrintable(dump(r)));
        QVERIFY2(r.end(), qPrintable(dump(r)));
        QCOMPARE(r.end()->state, SessionState::Cancelled);
        QCOMPARE(r.end()->signal.value_or(0), 9);
        QCOMPARE(status, 128 + 9);
        QVERIFY2(elapsed < 20000, qPrintable(QString::number(elapsed)));
        QVERIFY2(r.logHas("ending its processes"), qPrintable(dump(r)));
        // The grandchild was in the job too.
        DWORD grandchild = 0;
        for (const QByteArray &line : r.logLines()) {
            if (line.startsWith("grandchild "))
                grandchild = DWORD(line.mid(11).trimmed().toULong());
        }
        QVERIFY2(grandchild, qPrintable(dump(r)));
        QTRY_VERIFY_WITH_TIMEOUT(processEnded(grandchild), 5000);
    }

    // Ctrl-C reaches the wrapper (every process of the console gets it; the
    // command's own group ignores it): recorded as a cancel, passed on as
    // Ctrl-Break.
    void ctrlCToTheWrapperCancels() {
        WrapOptions o = options(QStringLiteral("win-ctrl-c"), self("polite"));
        o.cancelGraceMs = 5000;
        qint64 elapsed = 0;
        std::atomic<DWORD> sendError{0};
        QString error;
        const int status = runWith(
            o,
            [&] {
                if (::GenerateConsoleCtrlEvent(CTRL_C_EVENT, 0))
                    return QString();
                // Not sent (no console): end the run the other way.
                sendError = ::GetLastError();
                return setCancelEvent();
            },
            elapsed, error);
        const Recorded r = readSpool(spoolFile(o.sessionId));
        qInfo("Ctrl-C: status %d after %lld ms (GenerateConsoleCtrlEvent error %lu); %s", status,
              elapsed, sendError.load(), qPrintable(dump(r)));
        if (sendError)
            QSKIP("GenerateConsoleCtrlEvent(CTRL_C_EVENT) failed here: no console to send on");
        QVERIFY2(r.states().contains(QLatin1String("received Ctrl-C")), qPrintable(r.states()));
        QCOMPARE(r.end()->state, SessionState::Cancelled);
        QVERIFY2(elapsed < 20000, qPrintable(QString::number(elapsed)));
    }
};

// Ends like testmain.h's KW_TEST_MAIN (platform/processend.h).
int main(int argc, char **argv) {
    int status = 0;
    {
        QCoreApplication app(argc, argv);
        if (argc == 3 && std::strcmp(argv[1], "--child") == 0) {
            status = childMain(argv[2]);
        } else {
            TestWrapperWindows test;
            status = QTest::qExec(&test, argc, argv);
        }
    }
    return kw::endProcess(status);
}

#include "tst_wrapperwindows.moc"
