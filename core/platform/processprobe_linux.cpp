// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "platform/processprobe.h"
#include "platform/useraccounts.h"

#include <QFile>
#include <QSysInfo>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

namespace kw {

std::optional<quint64> ProcessProbe::startTicks(qint64 pid) {
    if (pid <= 0)
        return std::nullopt;
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QByteArray text = stat.readAll();
    // Field 2 (comm) may hold spaces and parentheses: count fields after the last ')'.
    const qsizetype close = text.lastIndexOf(')');
    if (close < 0)
        return std::nullopt;
    const QList<QByteArray> fields = text.mid(close + 2).split(' ');
    // fields[0] is field 3 (state); starttime is field 22.
    constexpr int kStartTimeIndex = 22 - 3;
    if (fields.size() <= kStartTimeIndex)
        return std::nullopt;
    // A zombie (Z) or dead (X) process has ended; only its parent has not reaped it yet.
    if (fields[0] == "Z" || fields[0] == "X")
        return std::nullopt;
    bool ok = false;
    const quint64 ticks = fields[kStartTimeIndex].toULongLong(&ok);
    return ok ? std::optional<quint64>(ticks) : std::nullopt;
}

QString ProcessProbe::bootId() {
    static const QString id = [] {
        QFile f(QStringLiteral("/proc/sys/kernel/random/boot_id"));
        return f.open(QIODevice::ReadOnly) ? QString::fromLatin1(f.readAll().trimmed()) : QString();
    }();
    return id;
}

QString ProcessProbe::hostName() {
    return QSysInfo::machineHostName();
}

std::optional<uint> ProcessProbe::ownerUid(qint64 pid) {
    if (pid <= 0)
        return std::nullopt;
    return fileOwnerUid(QStringLiteral("/proc/%1").arg(pid));
}

std::optional<uint> ProcessProbe::fileOwnerUid(const QString &path) {
    struct stat st;
    if (path.isEmpty() || ::lstat(QFile::encodeName(path).constData(), &st) != 0)
        return std::nullopt;
    return uint(st.st_uid);
}

QString ProcessProbe::systemdUnit(qint64 pid) {
    QFile file(QStringLiteral("/proc/%1/cgroup").arg(pid));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    // cgroup v2: "0::/system.slice/backup.service"; v1: "1:name=systemd:/...".
    // The innermost service: a user unit sits below user@UID.service.
    for (const QByteArray &line : file.readAll().split('\n')) {
        const qsizetype colon = line.indexOf(':', line.indexOf(':') + 1);
        if (colon < 0 || !(line.startsWith("0::") || line.contains(":name=systemd:")))
            continue;
        const QList<QByteArray> parts = line.mid(colon + 1).split('/');
        for (auto it = parts.crbegin(); it != parts.crend(); ++it) {
            if (it->endsWith(".service"))
                return QString::fromUtf8(*it);
        }
    }
    return {};
}

QString ProcessProbe::userName() {
    return UserAccounts::nameOf(UserAccounts::effectiveUid());
}

ProcessProbe::Liveness ProcessProbe::liveness(qint64 pid, quint64 ticks, const QString &boot) {
    const QString currentBoot = bootId();
    if (currentBoot.isEmpty())
        return Liveness::Unknown;
    if (!boot.isEmpty() && boot != currentBoot)
        return Liveness::Gone; // the machine rebooted since: every process of then is gone
    if (pid <= 0)
        return Liveness::Gone;
    const auto now = startTicks(pid);
    if (!now) {
        // A readable stat without a start time is a zombie: ended. One that
        // cannot be opened is not proof of death: under a hidepid mount
        // another user's process is invisible (ENOENT) or unreadable
        // (EACCES) while it runs. Only the kernel's "no such process" is;
        // a process that exists but cannot be looked at is unknown.
        QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
        if (stat.open(QIODevice::ReadOnly))
            return Liveness::Gone;
        return ::kill(pid_t(pid), 0) != 0 && errno == ESRCH ? Liveness::Gone : Liveness::Unknown;
    }
    return *now == ticks ? Liveness::Alive : Liveness::Gone; // else the pid was reused
}

QString ProcessProbe::name(qint64 pid) {
    if (pid <= 0)
        return {};
    QFile comm(QStringLiteral("/proc/%1/comm").arg(pid));
    if (!comm.open(QIODevice::ReadOnly))
        return {};
    return QString::fromLocal8Bit(comm.readAll().trimmed());
}

QStringList ProcessProbe::arguments(qint64 pid) {
    if (pid <= 0)
        return {};
    QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(pid));
    if (!cmdline.open(QIODevice::ReadOnly))
        return {};
    QByteArray bytes = cmdline.readAll();
    if (bytes.endsWith('\0'))
        bytes.chop(1);
    QStringList argv;
    if (bytes.isEmpty())
        return argv;
    for (const QByteArray &arg : bytes.split('\0'))
        argv.append(QString::fromLocal8Bit(arg));
    return argv;
}

QString ProcessProbe::wrapperName() {
    return QStringLiteral("keepwatch-cli");
}

QString ProcessProbe::sendCancelRequest(qint64 pid) {
    if (pid <= 0)
        return QStringLiteral("no process %1").arg(pid);
    if (::kill(pid_t(pid), SIGUSR1) != 0)
        return QString::fromLocal8Bit(std::strerror(errno));
    return {};
}

} // namespace kw
