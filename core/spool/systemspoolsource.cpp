// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "spool/systemspoolsource.h"

#include "logging/logging.h"
#include "platform/useraccounts.h"
#include "spool/spoolsource.h"
#include "spool/systemspool.h"

#include <QFile>
#include <QSet>
#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>
#include <vector>

namespace kw {

SystemSpoolSource::SystemSpoolSource()
    : SystemSpoolSource(Options{}) {}

SystemSpoolSource::SystemSpoolSource(Options options)
    : m_root(SystemSpool::root())
    , m_options(options) {}

SystemSpoolSource::~SystemSpoolSource() = default;

QString SystemSpoolSource::rootProblem(int error) {
    if (error == ENOENT)
        return {};
    const QString group = QString::fromLatin1(SystemSpool::kGroup);
    if (error == EACCES) {
        const std::optional<uint> gid = UserAccounts::gidOf(group);
        if (gid && !UserAccounts::processHasGroup(*gid)) {
            const QString user = UserAccounts::nameOf(UserAccounts::effectiveUid());
            if (UserAccounts::isListedMember(user, group))
                return QStringLiteral("%1 joined group %2 since logging in: root's and service "
                                      "users' backups stay hidden until %1 logs in again")
                    .arg(user, group);
            return QStringLiteral("not in group %2: root's and service users' backups are "
                                  "hidden (sudo adduser %1 %2, then log in again)")
                .arg(user, group);
        }
    }
    return QStringLiteral("cannot read the system spool: %1")
        .arg(QString::fromLocal8Bit(std::strerror(error)));
}

QString SystemSpoolSource::entryProblem(const QString &userName, uint *uid) const {
    const std::optional<uint> owner = UserAccounts::uidOf(userName);
    if (!owner)
        return QStringLiteral("skipped: no user %1 in the password database").arg(userName);
    const QString directory = m_root + QLatin1Char('/') + userName;
    if (const QString problem = SystemSpool::directoryProblem(directory, *owner);
        !problem.isEmpty())
        return QStringLiteral("skipped: ") + problem;
    if (::faccessat(AT_FDCWD, QFile::encodeName(directory).constData(), R_OK | X_OK, AT_EACCESS)
        != 0)
        return QStringLiteral("skipped: %1 cannot read it (%2)")
            .arg(UserAccounts::nameOf(UserAccounts::effectiveUid()),
                 QString::fromLocal8Bit(std::strerror(errno)));
    *uid = *owner;
    return {};
}

bool SystemSpoolSource::scanRoot(EventBatch &out) {
    DIR *dir = ::opendir(QFile::encodeName(m_root).constData());
    if (!dir) {
        const int why = errno;
        const QString error = rootProblem(why);
        // Lacking the group is a fact about this user, not a fault.
        if (!error.isEmpty() && error != m_lastRootError)
            out.errors.append(SourceError{name(), m_root, 0, error, why == EACCES || why == EPERM});
        m_lastRootError = error;
        m_rootListed = false;
        // Nothing under it can be read now. The children keep their
        // positions, so a root that comes back is not read twice.
        return false;
    }
    m_lastRootError.clear();
    m_rootListed = true;
    QSet<QString> listed;
    while (const dirent *entry = ::readdir(dir)) {
        const QString entryName = QFile::decodeName(entry->d_name);
        if (entryName == QLatin1String(".") || entryName == QLatin1String(".."))
            continue;
        listed.insert(entryName);
    }
    ::closedir(dir);

    // Sorted, so that users are added (and reported) in a stable order.
    QStringList names(listed.cbegin(), listed.cend());
    names.sort();
    for (const QString &entryName : std::as_const(names)) {
        if (m_children.count(entryName))
            continue; // the child checks its directory on each of its scans
        uint uid = 0;
        const QString problem = entryProblem(entryName, &uid);
        if (!problem.isEmpty()) {
            if (m_entryProblems.value(entryName) != problem)
                out.errors.append(
                    SourceError{name(), m_root + QLatin1Char('/') + entryName, 0, problem});
            m_entryProblems.insert(entryName, problem);
            continue;
        }
        m_entryProblems.remove(entryName);
        SpoolSource::Options options;
        options.identity = SystemSpool::identityFor(entryName);
        options.ownerUid = uid;
        options.ownerName = entryName;
        options.maxBytesPerPoll = m_options.maxBytesPerPoll;
        options.maxBytesPerFile = m_options.maxBytesPerFile;
        options.livenessIntervalMs = m_options.livenessIntervalMs;
        qCDebug(log::spool).noquote() << name() << "reads" << options.identity;
        m_children.emplace(entryName, std::make_unique<SpoolSource>(
                                          m_root + QLatin1Char('/') + entryName, options));
    }
    // Directories that went away: their sessions stay known to the store.
    for (auto it = m_children.begin(); it != m_children.end();)
        it = listed.contains(it->first) ? std::next(it) : m_children.erase(it);
    for (auto it = m_entryProblems.begin(); it != m_entryProblems.end();)
        it = listed.contains(it.key()) ? std::next(it) : m_entryProblems.erase(it);
    return true;
}

void SystemSpoolSource::poll(EventBatch &out) {
    m_pending = false;
    if (!scanRoot(out) || m_children.empty())
        return;
    std::vector<SpoolSource *> children;
    children.reserve(m_children.size());
    for (const auto &entry : m_children)
        children.push_back(entry.second.get());
    m_pending = m_budget.poll(children, m_options.maxBytesPerPoll, out);
}

QStringList SystemSpoolSource::watchPaths() const {
    QStringList paths;
    if (!m_rootListed)
        return paths;
    paths.append(m_root);
    for (const auto &entry : m_children)
        paths.append(entry.second->watchPaths());
    return paths;
}

QStringList SystemSpoolSource::identities() const {
    QStringList out;
    for (const auto &entry : m_children)
        out.append(entry.second->name());
    return out;
}

} // namespace kw
