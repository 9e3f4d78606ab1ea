// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "testsupport.h"

#include "protocol/eventcodec.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTest>
#ifndef Q_OS_WIN
#include <grp.h>
#include <pwd.h>
#endif
#include <utility>

#ifdef Q_OS_WIN
#include "platform/privateacl_windows.h"

#include <aclapi.h>
#include <qt_windows.h>
#include <sddl.h>
#include <string>
#else
#include <utime.h>
#endif

namespace kw::test {

TempSpool::TempSpool()
    : m_path(m_dir.path() + QLatin1String("/spool")) {
    m_hadPrevious = qEnvironmentVariableIsSet("KEEPWATCH_SPOOL");
    m_previous = qgetenv("KEEPWATCH_SPOOL");
    QDir().mkpath(m_path);
    QFile::setPermissions(m_path, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    qputenv("KEEPWATCH_SPOOL", QFile::encodeName(m_path));
    // Its own history too: the CLI records what it reads from the spool.
    m_hadPreviousHistory = qEnvironmentVariableIsSet("KEEPWATCH_HISTORY");
    m_previousHistory = qgetenv("KEEPWATCH_HISTORY");
    qputenv("KEEPWATCH_HISTORY", QFile::encodeName(historyPath()));
}

TempSpool::~TempSpool() {
    if (m_hadPrevious)
        qputenv("KEEPWATCH_SPOOL", m_previous);
    else
        qunsetenv("KEEPWATCH_SPOOL");
    if (m_hadPreviousHistory)
        qputenv("KEEPWATCH_HISTORY", m_previousHistory);
    else
        qunsetenv("KEEPWATCH_HISTORY");
}

QString TempSpool::historyPath() const {
    return m_dir.path() + QLatin1String("/history.db");
}

QString TempSpool::file(const QString &sessionId) const {
    return m_path + QLatin1Char('/') + sessionId + QLatin1String(".jsonl");
}

void TempSpool::append(const QString &fileName, const QByteArray &bytes) const {
    QFile f(m_path + QLatin1Char('/') + fileName);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Append))
        qFatal("cannot open %s", qPrintable(f.fileName()));
    f.write(bytes);
}

Event startEvent(const QString &session, qint64 ts, SessionKind kind, const QString &tool,
                 const QString &title) {
    StartPayload p;
    p.kind = kind;
    p.tool = tool;
    p.title = title;
    p.host = QStringLiteral("testhost");
    return Event{session, {}, ts, p};
}

Event logEvent(const QString &session, qint64 ts, const QByteArray &message, LogLevel level) {
    return Event{session, {}, ts, LogPayload{level, message, QString()}};
}

Event progressEvent(const QString &session, qint64 ts, double percent) {
    ProgressPayload p;
    p.percent = percent;
    return Event{session, {}, ts, p};
}

Event stateEvent(const QString &session, qint64 ts, SessionState state) {
    return Event{session, {}, ts, StatePayload{state, QString()}};
}

Event endEvent(const QString &session, qint64 ts, SessionState state, int exitCode) {
    return Event{session, {}, ts, EndPayload{state, exitCode, std::nullopt, QString()}};
}

QByteArray encode(const QList<Event> &events) {
    QByteArray out;
    for (const Event &e : events)
        EventEncoder::encodeInto(out, e);
    return out;
}

EventBatch spoolBatch(QList<Event> events) {
    for (Event &e : events)
        e.source = QStringLiteral("spool");
    EventBatch batch;
    batch.events = std::move(events);
    return batch;
}

EventBatch sessionFrom(const QString &source, const QString &id,
                       std::optional<SessionState> ended) {
    EventBatch batch;
    batch.events << startEvent(id, 1000);
    if (ended)
        batch.events << endEvent(id, 2000, *ended, 1);
    for (Event &e : batch.events)
        e.source = source;
    return batch;
}

QSettings userSettings() {
    return QSettings(QStringLiteral("Keepwatch"), QStringLiteral("keepwatch"));
}

QString cliPath() {
    const QString path = qEnvironmentVariable("KEEPWATCH_CLI");
    if (path.isEmpty())
        qFatal("KEEPWATCH_CLI is not set: run the tests through ctest");
    return path;
}

CliResult runCli(const QStringList &args, int timeoutMs, const QByteArray &stdinData) {
    QProcess p;
    p.start(cliPath(), args);
    CliResult r;
    if (!p.waitForStarted(timeoutMs))
        return r;
    if (!stdinData.isEmpty())
        p.write(stdinData);
    p.closeWriteChannel();
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.exitCode = p.exitCode();
    r.exitStatus = p.exitStatus();
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

int timeoutScale() {
    bool ok = false;
    const int scale = qEnvironmentVariableIntValue("KEEPWATCH_TEST_TIMEOUT_SCALE", &ok);
    return ok && scale > 1 ? scale : 1;
}

bool makeSymbolicLink(const QString &target, const QString &link) {
#ifdef Q_OS_WIN
    const DWORD flags = QFileInfo(target).isDir() ? SYMBOLIC_LINK_FLAG_DIRECTORY : 0;
    return ::CreateSymbolicLinkW(
        reinterpret_cast<const wchar_t *>(QDir::toNativeSeparators(link).utf16()),
        reinterpret_cast<const wchar_t *>(QDir::toNativeSeparators(target).utf16()),
        flags | SYMBOLIC_LINK_FLAG_ALLOW_UNPRIVILEGED_CREATE);
#else
    return QFile::link(target, link);
#endif
}

QString privacyProblem(const QString &path) {
#ifdef Q_OS_WIN
    PSECURITY_DESCRIPTOR descriptor = nullptr;
    PACL dacl = nullptr;
    const std::wstring name = QDir::toNativeSeparators(path).toStdWString();
    if (::GetNamedSecurityInfoW(name.c_str(), SE_FILE_OBJECT, DACL_SECURITY_INFORMATION, nullptr,
                                nullptr, &dacl, nullptr, &descriptor)
        != ERROR_SUCCESS)
        return QStringLiteral("no security descriptor");
    LPWSTR text = nullptr;
    QString sddl;
    if (::ConvertSecurityDescriptorToStringSecurityDescriptorW(
            descriptor, SDDL_REVISION_1, DACL_SECURITY_INFORMATION, &text, nullptr)) {
        sddl = QString::fromWCharArray(text);
        ::LocalFree(text);
    }
    ::LocalFree(descriptor);
    // Every entry allows this user or SYSTEM, nobody else, and this user has
    // full access. (Keepwatch sets "D:P(A;;FA;;;<user>)"; wine keeps no
    // DACL on its files and reads one back from the Unix mode, as
    // "D:(A;;FA;;;SY)(A;;FA;;;<user>)" for 0600 and with an Everyone (WD)
    // entry for 0644, so the check is on who is let in.)
    const QString sid = currentUserSid();
    if (sid.isEmpty() || !sddl.startsWith(QStringLiteral("D:")))
        return QStringLiteral("DACL ") + sddl;
    bool userHasAll = false;
    const QStringList aces = sddl.mid(sddl.indexOf(u'(')).split(u')', Qt::SkipEmptyParts);
    for (QString ace : aces) {
        ace.remove(0, 1); // "("
        const QStringList f = ace.split(u';');
        if (f.size() < 6 || f[0] != QLatin1String("A")
            || (f[5] != sid && f[5] != QLatin1String("SY")))
            return QStringLiteral("DACL ") + sddl;
        userHasAll = userHasAll || (f[5] == sid && f[2] == QLatin1String("FA"));
    }
    return userHasAll ? QString() : QStringLiteral("DACL ") + sddl;
#else
    const QFileInfo info(path);
    if (!info.exists())
        return QStringLiteral("no such file");
    const int mode = int(info.permissions()
                         & (QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner
                            | QFile::ReadGroup | QFile::WriteGroup | QFile::ExeGroup
                            | QFile::ReadOther | QFile::WriteOther | QFile::ExeOther));
    const int expected = int(QFile::ReadOwner | QFile::WriteOwner);
    return mode == expected ? QString() : QStringLiteral("permissions 0x%1").arg(mode, 0, 16);
#endif
}

bool setModificationTime(const QString &path, qint64 secondsSinceEpoch) {
#ifdef Q_OS_WIN
    // FILE_FLAG_BACKUP_SEMANTICS: a directory opens too (utime() cannot).
    HANDLE h =
        ::CreateFileW(reinterpret_cast<const wchar_t *>(QDir::toNativeSeparators(path).utf16()),
                      FILE_WRITE_ATTRIBUTES, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                      nullptr, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, nullptr);
    if (h == INVALID_HANDLE_VALUE)
        return false;
    // 100 ns intervals since 1601-01-01.
    const quint64 ticks = (quint64(secondsSinceEpoch) + 11644473600ULL) * 10000000ULL;
    FILETIME time{DWORD(ticks & 0xffffffffU), DWORD(ticks >> 32)};
    const bool ok = ::SetFileTime(h, nullptr, nullptr, &time);
    ::CloseHandle(h);
    return ok;
#else
    utimbuf times{time_t(secondsSinceEpoch), time_t(secondsSinceEpoch)};
    return ::utime(QFile::encodeName(path).constData(), &times) == 0;
#endif
}

bool waitFor(const std::function<bool()> &condition, int timeoutMs) {
    // Sanitizer builds run 5-20 times slower: scripts/test.sh scales the
    // waits there ($KEEPWATCH_TEST_TIMEOUT_SCALE), not the assertions.
    QDeadlineTimer deadline(qint64(timeoutMs) * timeoutScale());
    while (!condition()) {
        if (deadline.hasExpired())
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        QTest::qSleep(10);
    }
    return true;
}

QByteArray readResource(const QString &path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing resource %s", qPrintable(path));
    return f.readAll();
}

bool runProgram(const QString &program, const QStringList &args, const QProcessEnvironment &env,
                QByteArray *output, int timeoutMs) {
    QProcess p;
    p.setProcessEnvironment(env);
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(program, args);
    const bool finished = p.waitForFinished(timeoutMs);
    if (!finished) {
        p.kill();
        p.waitForFinished();
    }
    if (output)
        *output = p.readAll();
    return finished && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

#ifndef Q_OS_WIN
ThrowawayUsers::ThrowawayUsers(QString prefix)
    : m_prefix(std::move(prefix)) {}

ThrowawayUsers::~ThrowawayUsers() {
    for (const QString &user : std::as_const(m_made))
        runProgram(QStringLiteral("userdel"), {user});
}

QString ThrowawayUsers::add(const QString &name, const QStringList &groups) {
    const QString user =
        QStringLiteral("%1-%2-%3").arg(m_prefix).arg(QCoreApplication::applicationPid()).arg(name);
    QStringList args{QStringLiteral("--system"), QStringLiteral("--no-create-home")};
    if (!groups.isEmpty())
        args << QStringLiteral("-G") << groups.join(QLatin1Char(','));
    if (!runProgram(QStringLiteral("useradd"), args << user))
        return {};
    m_made << user;
    return user;
}

bool ThrowawayUsers::ensureGroup(const QString &group) {
    if (!::getgrnam(QFile::encodeName(group).constData()))
        runProgram(QStringLiteral("groupadd"), {QStringLiteral("--system"), group});
    return ::getgrnam(QFile::encodeName(group).constData()) != nullptr;
}

QStringList asUser(const QString &user, const QStringList &command) {
    const passwd *pw = ::getpwnam(QFile::encodeName(user).constData());
    if (!pw)
        return {};
    return QStringList{QStringLiteral("setpriv"), QStringLiteral("--reuid=%1").arg(pw->pw_uid),
                       QStringLiteral("--regid=%1").arg(pw->pw_gid),
                       QStringLiteral("--init-groups")}
           + command;
}
#endif

} // namespace kw::test
