// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "protocol/event.h"
#include "qtestprinters.h"
#include "store/eventbatch.h"

#include <QByteArray>
#include <QProcess>
#include <QSettings>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <functional>
#include <optional>

namespace kw::test {

// A private spool directory for one test, exported as KEEPWATCH_SPOOL so that
// keepwatch-cli processes started by the test use it too.
class TempSpool final {
public:
    TempSpool();
    ~TempSpool();
    QString path() const { return m_path; }
    // $KEEPWATCH_HISTORY while it lives: beside the spool, not the user's.
    QString historyPath() const;
    QString file(const QString &sessionId) const;
    // Appends raw bytes to <spool>/<name> (creating it), as a producer would.
    void append(const QString &fileName, const QByteArray &bytes) const;

private:
    QTemporaryDir m_dir;
    QString m_path;
    QByteArray m_previous;
    bool m_hadPrevious = false;
    QByteArray m_previousHistory;
    bool m_hadPreviousHistory = false;
};

// Events built the way producers build them, for tests that need a spool.
Event startEvent(const QString &session, qint64 ts, SessionKind kind = SessionKind::Backup,
                 const QString &tool = QStringLiteral("restic"), const QString &title = {});
Event logEvent(const QString &session, qint64 ts, const QByteArray &message,
               LogLevel level = LogLevel::Info);
Event progressEvent(const QString &session, qint64 ts, double percent);
Event stateEvent(const QString &session, qint64 ts, SessionState state);
Event endEvent(const QString &session, qint64 ts, SessionState state, int exitCode);
QByteArray encode(const QList<Event> &events);
// The events as one batch from the spool source, as the collector delivers them.
EventBatch spoolBatch(QList<Event> events);
// One session from `source` (its start at 1000 ms) and, when `ended` is
// given, its end in that state (exit code 1) at 2000 ms.
EventBatch sessionFrom(const QString &source, const QString &id,
                       std::optional<SessionState> ended = std::nullopt);

// The keepwatch-cli built with the tests (ctest passes its path in KEEPWATCH_CLI).
QString cliPath();
// The window's settings file (QSettings "Keepwatch"/"keepwatch"): under
// QStandardPaths' test mode when the test enabled it.
QSettings userSettings();

struct CliResult {
    int exitCode = -1;
    QProcess::ExitStatus exitStatus = QProcess::NormalExit;
    QByteArray out;
    QByteArray err;
};
// Runs a program to its end (bounded by `timeoutMs`; killed past it): true
// on exit 0. `output` gets stdout and stderr, merged.
bool runProgram(const QString &program, const QStringList &args,
                const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment(),
                QByteArray *output = nullptr, int timeoutMs = 60000);

// Runs keepwatch-cli to the end (bounded by `timeoutMs`).
CliResult runCli(const QStringList &args, int timeoutMs = 30000, const QByteArray &stdinData = {});

// How much slower this build runs than a plain one ($KEEPWATCH_TEST_TIMEOUT_SCALE,
// set by scripts/test.sh for sanitizer builds; 1 otherwise): deadlines and
// latency bounds are multiplied by it.
int timeoutScale();

// Polls `condition` while processing events, up to `timeoutMs`.
bool waitFor(const std::function<bool()> &condition, int timeoutMs = 10000);

// A symbolic link at `link` to `target`: symlink() on POSIX, a real
// symbolic link on Windows (CreateSymbolicLinkW: QFile::link makes a .lnk
// shortcut there, which is no link at all). False when it cannot be made.
bool makeSymbolicLink(const QString &target, const QString &link);

// Empty when the file is its owner's alone (mode 0600 on POSIX; on Windows
// a protected DACL with one entry, the current user's), else what it is
// instead ("mode 0644", "DACL D:(A;;FA;;;WD)...").
QString privacyProblem(const QString &path);

// Sets a file's or a directory's modification time.
bool setModificationTime(const QString &path, qint64 secondsSinceEpoch);

#ifndef Q_OS_WIN
// Users made for one test program (root only): `useradd --system
// --no-create-home`, named "<prefix>-<pid>-<name>", removed with userdel when
// this goes. For tests of what other users may see and do.
class ThrowawayUsers final {
public:
    explicit ThrowawayUsers(QString prefix);
    ~ThrowawayUsers();
    ThrowawayUsers(const ThrowawayUsers &) = delete;
    ThrowawayUsers &operator=(const ThrowawayUsers &) = delete;

    // Makes the user, in `groups` (which must exist); its full name, or
    // empty when useradd failed.
    QString add(const QString &name, const QStringList &groups = {});
    // Makes the system group when it is missing (another test may make it at
    // the same moment: then groupadd fails and the group is there all the
    // same); false when it is not there afterwards.
    static bool ensureGroup(const QString &group);

private:
    QString m_prefix;
    QStringList m_made;
};

// `command` as `user` under setpriv, with the groups the group database
// gives them (as at login); empty when there is no such user.
QStringList asUser(const QString &user, const QStringList &command);
#endif

// Reads a Qt resource (fixtures are compiled into the test binaries).
QByteArray readResource(const QString &path);

} // namespace kw::test
