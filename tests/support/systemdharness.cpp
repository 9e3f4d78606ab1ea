// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "systemdharness.h"

#include "testsupport.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QThread>
#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

namespace kw::test {

namespace {

// Set by enterPrivateMountNamespace(): empty when the process is in one.
QString &namespaceProblem() {
    static QString problem = QStringLiteral("enterPrivateMountNamespace() was not called");
    return problem;
}

const QStringList &mountPoints() {
    static const QStringList points{QStringLiteral("/run/systemd"), QStringLiteral("/run/user"),
                                    QStringLiteral("/run/log"), QStringLiteral("/var/log/journal")};
    return points;
}

constexpr const char *kManager = "/lib/systemd/systemd";
constexpr const char *kJournald = "/lib/systemd/systemd-journald";
constexpr const char *kUserBusSocket = "/usr/lib/systemd/user/dbus.socket";
constexpr const char *kSessionPolicyDirectory = "/etc/dbus-1/session.d";

} // namespace

bool SystemdHarness::enterPrivateMountNamespace() {
    if (::geteuid() != 0) {
        namespaceProblem() = QStringLiteral("needs root");
        return false;
    }
    if (::unshare(CLONE_NEWNS) != 0
        || ::mount("none", "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
        namespaceProblem() = QStringLiteral("no private mount namespace: %1")
                                 .arg(QString::fromLocal8Bit(std::strerror(errno)));
        return false;
    }
    namespaceProblem().clear();
    return true;
}

QString SystemdHarness::unavailableReason() {
    if (::geteuid() != 0)
        return QStringLiteral("needs root: mounts tmpfs over /run/systemd and runs a systemd "
                              "user manager and journald (CI runs the tests as root)");
    if (!namespaceProblem().isEmpty())
        return namespaceProblem();
    for (const char *program : {kManager, kJournald}) {
        if (!QFileInfo(QString::fromLatin1(program)).isExecutable())
            return QStringLiteral("%1 is missing (Debian package systemd)")
                .arg(QString::fromLatin1(program));
    }
    if (!QFileInfo::exists(QString::fromLatin1(kUserBusSocket)))
        return QStringLiteral("%1 is missing (Debian package dbus-user-session)")
            .arg(QString::fromLatin1(kUserBusSocket));
    return {};
}

SystemdHarness::~SystemdHarness() {
    stop();
}

bool SystemdHarness::waitFor(const std::function<bool()> &ready, int timeoutMs) {
    QDeadlineTimer deadline(timeoutMs);
    while (!ready()) {
        if (deadline.hasExpired())
            return false;
        QThread::msleep(20);
    }
    return true;
}

bool SystemdHarness::mountTmpfs(const QString &path, QString *error) {
    QDir().mkpath(path);
    if (::mount("tmpfs", QFile::encodeName(path).constData(), "tmpfs", MS_NOSUID | MS_NODEV,
                "mode=0755")
        == 0)
        return true;
    *error = QStringLiteral("cannot mount tmpfs on %1: %2")
                 .arg(path, QString::fromLocal8Bit(std::strerror(errno)));
    return false;
}

bool SystemdHarness::makeCgroups(QString *error) {
    // journald takes a line's unit from the component after user@0.service
    // and its invocation ID from /run/user/0/systemd/units/invocation:*, because
    // the innermost slice is user-0.slice. A prefix of this process's own lets
    // several harnesses run side by side.
    m_cgroup = QStringLiteral("/keepwatch-%1.slice/user.slice/user-0.slice/user@0.service")
                   .arg(QCoreApplication::applicationPid());
    QStringList hierarchies;
    if (QFileInfo::exists(QStringLiteral("/sys/fs/cgroup/cgroup.procs"))) {
        hierarchies << QStringLiteral("/sys/fs/cgroup"); // unified only
    } else {
        // Hybrid or legacy: every mounted hierarchy (cpu, memory, name=systemd, unified...).
        const QDir root(QStringLiteral("/sys/fs/cgroup"));
        for (const QString &name : root.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
            const QString path = root.filePath(name);
            if (QFileInfo::exists(path + QStringLiteral("/cgroup.procs")))
                hierarchies << path;
        }
    }
    for (const QString &hierarchy : std::as_const(hierarchies)) {
        const QString directory = hierarchy + m_cgroup;
        if (QDir().mkpath(directory))
            m_cgroupDirectories << directory;
    }
    if (m_cgroupDirectories.isEmpty()) {
        *error = QStringLiteral("cannot make the cgroup %1 in /sys/fs/cgroup").arg(m_cgroup);
        return false;
    }
    return true;
}

bool SystemdHarness::start(QString *error) {
    if (const QString why = unavailableReason(); !why.isEmpty()) {
        *error = why;
        return false;
    }
    if (QFileInfo::exists(QStringLiteral("/run/systemd/system"))) {
        *error = QStringLiteral("PID 1 is systemd here (/run/systemd/system exists): the harness "
                                "is for machines without it");
        return false;
    }
    m_started = true; // from here on, stop() undoes what was done
    for (const QString &point : mountPoints()) {
        if (!mountTmpfs(point, error))
            return false;
    }
    QDir().mkpath(QStringLiteral("/run/systemd/system"));
    QDir().mkpath(unitDirectory());
    QDir().mkpath(QStringLiteral("/run/systemd/journald.conf.d"));
    QDir().mkpath(runtimeDirectory());
    QFile::setPermissions(
        runtimeDirectory(),
        QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner
            | (m_busOpenToEveryUser ? QFile::ExeGroup | QFile::ExeOther : QFile::Permissions()));
    if (m_busOpenToEveryUser) {
        // dbus-daemon lets only its own user connect unless a policy says
        // otherwise (dbus-daemon(1), <allow user="*"/>).
        if (!mountTmpfs(QString::fromLatin1(kSessionPolicyDirectory), error))
            return false;
        QFile policy(QString::fromLatin1(kSessionPolicyDirectory)
                     + QStringLiteral("/keepwatch-test.conf"));
        if (!policy.open(QIODevice::WriteOnly)
            || policy.write("<busconfig><policy context=\"default\"><allow user=\"*\"/>"
                            "</policy></busconfig>\n")
                   < 0) {
            *error = QStringLiteral("cannot write %1").arg(policy.fileName());
            return false;
        }
    }
    QFile conf(QStringLiteral("/run/systemd/journald.conf.d/keepwatch-test.conf"));
    if (!conf.open(QIODevice::WriteOnly)
        || conf.write("[Journal]\nStorage=volatile\nReadKMsg=no\nForwardToSyslog=no\n"
                      "ForwardToKMsg=no\nForwardToConsole=no\nForwardToWall=no\n")
               < 0) {
        *error = QStringLiteral("cannot write %1").arg(conf.fileName());
        return false;
    }
    conf.close();
    if (!makeCgroups(error))
        return false;

    // journald: without CAP_AUDIT_CONTROL/READ, or journald 252 switches the
    // host's kernel auditing on and logs to its kernel log.
    QProcessEnvironment journaldEnvironment;
    journaldEnvironment.insert(QStringLiteral("PATH"), qEnvironmentVariable("PATH"));
    journaldEnvironment.insert(QStringLiteral("SYSTEMD_LOG_TARGET"), QStringLiteral("console"));
    m_journald.setProcessEnvironment(journaldEnvironment);
    m_journald.setStandardOutputFile(QProcess::nullDevice());
    m_journald.setStandardErrorFile(QProcess::nullDevice());
    m_journald.start(QStringLiteral("setpriv"), {QStringLiteral("--bounding-set"),
                                                 QStringLiteral("-audit_control,-audit_read"),
                                                 QString::fromLatin1(kJournald)});
    if (!m_journald.waitForStarted()
        || !waitFor([] { return QFileInfo::exists(QStringLiteral("/run/systemd/journal/socket")); },
                    10000)) {
        *error = QStringLiteral("journald did not start");
        return false;
    }

    // The manager, moved into the cgroups before it runs (a shell writes its
    // own pid, then becomes the manager), with a clean environment. Its own
    // dbus.socket makes the bus; starting a dbus-daemon here would be
    // replaced and orphaned.
    QStringList procs;
    for (const QString &directory : std::as_const(m_cgroupDirectories))
        procs << directory + QStringLiteral("/cgroup.procs");
    QProcessEnvironment managerEnvironment;
    managerEnvironment.insert(QStringLiteral("PATH"),
                              QStringLiteral("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:"
                                             "/sbin:/bin"));
    managerEnvironment.insert(QStringLiteral("HOME"), QStringLiteral("/root"));
    managerEnvironment.insert(QStringLiteral("LANG"), QStringLiteral("C.UTF-8"));
    managerEnvironment.insert(QStringLiteral("XDG_RUNTIME_DIR"), runtimeDirectory());
    m_manager.setProcessEnvironment(managerEnvironment);
    m_manager.setStandardOutputFile(QProcess::nullDevice());
    m_manager.setStandardErrorFile(QProcess::nullDevice());
    m_manager.start(QStringLiteral("/bin/sh"),
                    QStringList{QStringLiteral("-c"),
                                QStringLiteral("for f in \"$@\"; do echo $$ > \"$f\" 2>/dev/null; "
                                               "done; exec %1 --user --log-target=journal")
                                    .arg(QString::fromLatin1(kManager)),
                                QStringLiteral("sh")}
                        + procs);
    const QString socket = runtimeDirectory() + QStringLiteral("/bus");
    if (!m_manager.waitForStarted()
        || !waitFor(
            [&] {
                return QFileInfo::exists(socket)
                       && run({QStringLiteral("busctl"), QStringLiteral("--user"),
                               QStringLiteral("status")});
            },
            15000)
        || !run({QStringLiteral("systemctl"), QStringLiteral("--user"),
                 QStringLiteral("is-system-running"), QStringLiteral("--wait")},
                nullptr, 15000)) {
        *error = QStringLiteral("the systemd user manager did not come up");
        return false;
    }
    return true;
}

void SystemdHarness::stop() {
    if (!m_started)
        return;
    m_started = false;
    for (QProcess *process : {&m_manager, &m_journald}) {
        if (process->state() == QProcess::NotRunning)
            continue;
        process->terminate();
        if (!process->waitForFinished(5000)) {
            process->kill();
            process->waitForFinished(5000);
        }
    }
    removeCgroups();
    // The namespace's mounts go with the process; unmounted here so that a
    // second harness in the same test starts clean.
    for (auto it = mountPoints().crbegin(); it != mountPoints().crend(); ++it)
        ::umount2(QFile::encodeName(*it).constData(), MNT_DETACH);
    if (m_busOpenToEveryUser)
        ::umount2(kSessionPolicyDirectory, MNT_DETACH);
}

void SystemdHarness::removeCgroups() {
    // Whatever the manager left running in its cgroups (units it had no
    // time to stop) is killed, then the directories go, deepest first.
    for (const QString &directory : std::as_const(m_cgroupDirectories)) {
        QStringList all{directory};
        QDirIterator it(directory, QDir::Dirs | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
        while (it.hasNext())
            all << it.next();
        for (const QString &group : std::as_const(all)) {
            QFile procs(group + QStringLiteral("/cgroup.procs"));
            if (!procs.open(QIODevice::ReadOnly))
                continue;
            for (const QByteArray &pid : procs.readAll().split('\n')) {
                if (pid.toInt() > 0)
                    ::kill(pid.toInt(), SIGKILL);
            }
        }
        waitFor(
            [&] {
                QFile procs(directory + QStringLiteral("/cgroup.procs"));
                return procs.open(QIODevice::ReadOnly) && procs.readAll().trimmed().isEmpty();
            },
            3000);
        std::sort(all.begin(), all.end(),
                  [](const QString &a, const QString &b) { return a.size() > b.size(); });
        for (const QString &group : std::as_const(all))
            QDir().rmdir(group);
        // The prefix slices above user@0.service.
        QString up = directory;
        for (int i = 0; i < 3; ++i) {
            up = QFileInfo(up).path();
            QDir().rmdir(up);
        }
    }
    m_cgroupDirectories.clear();
}

QString SystemdHarness::busAddress() {
    return QStringLiteral("unix:path=") + runtimeDirectory() + QStringLiteral("/bus");
}

QProcessEnvironment SystemdHarness::environment() {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_RUNTIME_DIR"), runtimeDirectory());
    env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), busAddress());
    return env;
}

bool SystemdHarness::run(const QStringList &command, QByteArray *output, int timeoutMs) {
    return runProgram(command.first(), command.mid(1), environment(), output, timeoutMs);
}

} // namespace kw::test
