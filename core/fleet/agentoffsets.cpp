// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "fleet/agentoffsets.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace kw {

namespace {

QString errnoText() {
    return QString::fromLocal8Bit(std::strerror(errno));
}

bool writeAll(int fd, const QByteArray &bytes) {
    qsizetype done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.constData() + done, size_t(bytes.size() - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        done += n;
    }
    return true;
}

} // namespace

QString AgentOffsets::load() {
    m_entries.clear();
    QFile file(m_path);
    if (!file.exists())
        return {};
    if (!file.open(QIODevice::ReadOnly))
        return QStringLiteral("cannot read %1: %2").arg(m_path, file.errorString());
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &error);
    if (!doc.isObject())
        return QStringLiteral("%1 is not the agent's offsets (%2): publishing everything again")
            .arg(m_path, error.errorString());
    const QJsonObject files = doc.object();
    for (auto it = files.begin(); it != files.end(); ++it) {
        const QJsonObject o = it.value().toObject();
        const qint64 offset = o.value(QLatin1String("offset")).toInteger(-1);
        const QString epoch = o.value(QLatin1String("epoch")).toString();
        if (offset >= 0 && !epoch.isEmpty())
            m_entries.insert(it.key(), Entry{epoch, offset});
    }
    return {};
}

QString AgentOffsets::save() const {
    QJsonObject files;
    for (auto it = m_entries.cbegin(); it != m_entries.cend(); ++it)
        files.insert(it.key(), QJsonObject{{QLatin1String("epoch"), it->epoch},
                                           {QLatin1String("offset"), it->offset}});
    const QByteArray bytes = QJsonDocument(files).toJson(QJsonDocument::Compact) + '\n';
    const QByteArray target = QFile::encodeName(m_path);
    const QByteArray temporary = target + ".tmp";
    const int fd = ::open(temporary.constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return QStringLiteral("cannot write %1: %2").arg(QFile::decodeName(temporary), errnoText());
    // Durable before it replaces the old file: a commit the agent relies on
    // after a power cut must be on disk.
    const bool written = writeAll(fd, bytes) && ::fsync(fd) == 0;
    const QString why = errnoText();
    ::close(fd);
    if (!written || ::rename(temporary.constData(), target.constData()) != 0) {
        const QString error = written ? errnoText() : why;
        ::unlink(temporary.constData());
        return QStringLiteral("cannot write %1: %2").arg(m_path, error);
    }
    const int dir = ::open(QFile::encodeName(QFileInfo(m_path).absolutePath()).constData(),
                           O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
        ::fsync(dir);
        ::close(dir);
    }
    return {};
}

} // namespace kw
