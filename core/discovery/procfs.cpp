// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "discovery/procfs.h"

#include <QFile>
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace kw {

namespace {

// Reads up to `capacity` bytes of a small file with plain syscalls: no
// QFile, no allocation, because stat is read for every process on every poll.
qsizetype readSmall(const char *path, char *buffer, size_t capacity) {
    const int fd = ::open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return -1;
    size_t used = 0;
    while (used < capacity) {
        const ssize_t n = ::read(fd, buffer + used, capacity - used);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        used += size_t(n);
    }
    ::close(fd);
    return qsizetype(used);
}

// A whole file up to `maxBytes` (cmdline can be long).
QByteArray readAll(const char *path, qsizetype maxBytes) {
    const int fd = ::open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return {};
    QByteArray out;
    char chunk[4096];
    while (out.size() < maxBytes) {
        const ssize_t n = ::read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        out.append(chunk, qsizetype(n));
    }
    ::close(fd);
    if (out.size() > maxBytes)
        out.truncate(maxBytes);
    return out;
}

QString readLink(const char *path) {
    char target[4096];
    const ssize_t n = ::readlink(path, target, sizeof target);
    if (n <= 0 || size_t(n) >= sizeof target)
        return {};
    return QFile::decodeName(QByteArray(target, qsizetype(n)));
}

// A decimal number at the start of `text`; advances past it.
std::optional<quint64> takeNumber(QByteArrayView &text) {
    qsizetype i = 0;
    quint64 value = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
        value = value * 10 + quint64(text[i] - '0');
        ++i;
    }
    if (i == 0)
        return std::nullopt;
    text = text.sliced(i);
    return value;
}

bool isPidName(const char *name, qint64 &pid) {
    if (*name < '1' || *name > '9')
        return false;
    qint64 value = 0;
    for (const char *c = name; *c; ++c) {
        if (*c < '0' || *c > '9')
            return false;
        value = value * 10 + (*c - '0');
    }
    pid = value;
    return true;
}

// The value after "key:" on a line of a "key: value" file, or -1.
qint64 keyValue(QByteArrayView text, QByteArrayView key) {
    qsizetype at = 0;
    while (at < text.size()) {
        qsizetype end = text.indexOf('\n', at);
        if (end < 0)
            end = text.size();
        QByteArrayView line = text.sliced(at, end - at);
        if (line.startsWith(key) && line.size() > key.size() && line[key.size()] == ':') {
            line = line.sliced(key.size() + 1).trimmed();
            if (const auto n = takeNumber(line))
                return qint64(*n);
            return -1;
        }
        at = end + 1;
    }
    return -1;
}

} // namespace

ProcFs::ProcFs(const QString &root)
    : m_root(QFile::encodeName(root)) {
    while (m_root.size() > 1 && m_root.endsWith('/'))
        m_root.chop(1);
    if (const long ticks = ::sysconf(_SC_CLK_TCK); ticks > 0)
        m_ticksPerSecond = ticks;
}

QString ProcFs::root() const {
    return QFile::decodeName(m_root);
}

QByteArray ProcFs::path(qint64 pid, const char *leaf) const {
    return m_root + '/' + QByteArray::number(pid) + '/' + leaf;
}

bool ProcFs::listPids(std::vector<qint64> &out, QString &error) const {
    DIR *dir = ::opendir(m_root.constData());
    if (!dir) {
        error = QString::fromLocal8Bit(std::strerror(errno));
        return false;
    }
    while (const dirent *entry = ::readdir(dir)) {
        qint64 pid = 0;
        if (isPidName(entry->d_name, pid))
            out.push_back(pid);
    }
    ::closedir(dir);
    return true;
}

std::optional<ProcStat> ProcFs::stat(qint64 pid) const {
    // One line of ~300 bytes; comm is at most 64 characters.
    char buffer[1024];
    char file[512];
    std::snprintf(file, sizeof file, "%s/%lld/stat", m_root.constData(),
                  static_cast<long long>(pid));
    const qsizetype n = readSmall(file, buffer, sizeof buffer);
    if (n <= 0)
        return std::nullopt;
    return parseStat(QByteArrayView(buffer, n));
}

QStringList ProcFs::cmdline(qint64 pid) const {
    constexpr qsizetype kMaxBytes = 256 * 1024;
    return parseCmdline(readAll(path(pid, "cmdline").constData(), kMaxBytes));
}

std::optional<uint> ProcFs::realUid(qint64 pid) const {
    char buffer[4096];
    const qsizetype n = readSmall(path(pid, "status").constData(), buffer, sizeof buffer);
    if (n <= 0)
        return std::nullopt;
    return parseRealUid(QByteArrayView(buffer, n));
}

std::optional<ProcIo> ProcFs::io(qint64 pid) const {
    char buffer[512];
    const qsizetype n = readSmall(path(pid, "io").constData(), buffer, sizeof buffer);
    if (n <= 0)
        return std::nullopt;
    return parseIo(QByteArrayView(buffer, n));
}

QString ProcFs::cwd(qint64 pid) const {
    return readLink(path(pid, "cwd").constData());
}

QList<ProcOpenFile> ProcFs::readOnlyFiles(qint64 pid,
                                          const std::function<bool(const QString &)> &wanted,
                                          int maxFds) const {
    QList<ProcOpenFile> files;
    const QByteArray fdDir = path(pid, "fd");
    DIR *dir = ::opendir(fdDir.constData());
    if (!dir)
        return files;
    int looked = 0;
    while (const dirent *entry = ::readdir(dir)) {
        qint64 fd = 0;
        if (!isPidName(entry->d_name, fd) && std::strcmp(entry->d_name, "0") != 0)
            continue;
        if (++looked > maxFds)
            break;
        const QByteArray link = fdDir + '/' + entry->d_name;
        const QString target = readLink(link.constData());
        if (target.isEmpty() || !wanted(target))
            continue;
        // Open for reading only (fdinfo's flags), and a regular file (stat
        // through the fd link reaches the open file itself, not the path).
        char info[256];
        const QByteArray infoPath = path(pid, "fdinfo") + '/' + entry->d_name;
        const qsizetype n = readSmall(infoPath.constData(), info, sizeof info);
        const auto mode = n > 0 ? parseAccessMode(QByteArrayView(info, n)) : std::nullopt;
        if (!mode || *mode != O_RDONLY)
            continue;
        struct stat st;
        if (::stat(link.constData(), &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        files.append(ProcOpenFile{int(fd), target});
    }
    ::closedir(dir);
    std::sort(files.begin(), files.end(),
              [](const ProcOpenFile &a, const ProcOpenFile &b) { return a.fd < b.fd; });
    return files;
}

std::optional<qint64> ProcFs::bootTimeMs() const {
    const QByteArray text = readAll(QByteArray(m_root + "/stat").constData(), 1024 * 1024);
    if (const auto seconds = parseBootTime(text))
        return *seconds * 1000;
    return std::nullopt;
}

std::optional<qint64> ProcFs::startTimeMs(quint64 startTicks) const {
    if (!m_bootTimeMs)
        m_bootTimeMs = bootTimeMs();
    if (!*m_bootTimeMs)
        return std::nullopt;
    return **m_bootTimeMs + qint64(startTicks * 1000 / quint64(m_ticksPerSecond));
}

std::optional<ProcStat> ProcFs::parseStat(QByteArrayView text) {
    // "pid (comm) S ppid ...": comm may hold spaces and ')', so the fields
    // after it are counted from the last ')'.
    const qsizetype open = text.indexOf('(');
    const qsizetype close = text.lastIndexOf(')');
    if (open <= 0 || close < open || close + 2 >= text.size())
        return std::nullopt;
    ProcStat s;
    QByteArrayView head = text.first(open).trimmed();
    const auto pid = takeNumber(head);
    if (!pid)
        return std::nullopt;
    s.pid = qint64(*pid);
    s.comm = text.sliced(open + 1, close - open - 1).toByteArray();
    QByteArrayView rest = text.sliced(close + 2);
    s.state = rest[0];
    // Fields 4 (ppid) to 22 (starttime); field 3 is the state just read.
    int field = 3;
    qsizetype at = 1;
    while (field < 22) {
        while (at < rest.size() && rest[at] == ' ')
            ++at;
        if (at >= rest.size())
            return std::nullopt;
        ++field;
        QByteArrayView word = rest.sliced(at);
        const bool negative = !word.isEmpty() && word[0] == '-';
        if (negative)
            word = word.sliced(1);
        const auto value = takeNumber(word);
        if (!value)
            return std::nullopt;
        at = rest.size() - word.size();
        if (field == 4)
            s.ppid = negative ? 0 : qint64(*value);
        else if (field == 9)
            s.flags = *value;
        else if (field == 22)
            s.startTicks = *value;
    }
    return s;
}

std::optional<ProcIo> ProcFs::parseIo(QByteArrayView text) {
    ProcIo io;
    io.rchar = keyValue(text, "rchar");
    io.wchar = keyValue(text, "wchar");
    io.readBytes = keyValue(text, "read_bytes");
    io.writeBytes = keyValue(text, "write_bytes");
    if (io.rchar < 0 && io.wchar < 0 && io.readBytes < 0 && io.writeBytes < 0)
        return std::nullopt;
    return io;
}

QStringList ProcFs::parseCmdline(QByteArrayView bytes) {
    QStringList argv;
    // NUL-separated and NUL-terminated. A process that rewrote its argv
    // (setproctitle) may leave one long word: it is kept as it is.
    while (!bytes.isEmpty() && bytes.back() == '\0')
        bytes.chop(1);
    if (bytes.isEmpty())
        return argv;
    qsizetype at = 0;
    while (at <= bytes.size()) {
        qsizetype end = bytes.indexOf('\0', at);
        if (end < 0)
            end = bytes.size();
        argv.append(QFile::decodeName(bytes.sliced(at, end - at).toByteArray()));
        at = end + 1;
    }
    return argv;
}

std::optional<uint> ProcFs::parseRealUid(QByteArrayView status) {
    const qint64 uid = keyValue(status, "Uid");
    return uid >= 0 ? std::optional<uint>(uint(uid)) : std::nullopt;
}

std::optional<qint64> ProcFs::parseBootTime(QByteArrayView stat) {
    qsizetype at = 0;
    while (at < stat.size()) {
        qsizetype end = stat.indexOf('\n', at);
        if (end < 0)
            end = stat.size();
        QByteArrayView line = stat.sliced(at, end - at);
        if (line.startsWith("btime ")) {
            line = line.sliced(6).trimmed();
            if (const auto n = takeNumber(line))
                return qint64(*n);
            return std::nullopt;
        }
        at = end + 1;
    }
    return std::nullopt;
}

std::optional<int> ProcFs::parseAccessMode(QByteArrayView fdinfo) {
    qsizetype at = 0;
    while (at < fdinfo.size()) {
        qsizetype end = fdinfo.indexOf('\n', at);
        if (end < 0)
            end = fdinfo.size();
        QByteArrayView line = fdinfo.sliced(at, end - at);
        if (line.startsWith("flags:")) {
            line = line.sliced(6).trimmed();
            bool ok = false;
            const int flags = line.toByteArray().toInt(&ok, 8);
            return ok ? std::optional<int>(flags & O_ACCMODE) : std::nullopt;
        }
        at = end + 1;
    }
    return std::nullopt;
}

} // namespace kw
