// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "bacula/baculacodes.h"

namespace kw::BaculaCodes {

QString statusWords(QChar status) {
    switch (status.unicode()) {
    case 'C':
        return QStringLiteral("created, not yet running");
    case 'R':
        return QStringLiteral("running");
    case 'B':
        return QStringLiteral("blocked");
    case 'T':
        return QStringLiteral("completed successfully");
    case 'W':
        return QStringLiteral("terminated with warnings");
    case 'E':
        return QStringLiteral("terminated with errors");
    case 'e':
        return QStringLiteral("non-fatal error");
    case 'f':
        return QStringLiteral("fatal error");
    case 'D':
        return QStringLiteral("verify found differences");
    case 'A':
        return QStringLiteral("canceled by user");
    case 'I':
        return QStringLiteral("incomplete job");
    case 'F':
        return QStringLiteral("waiting for client");
    case 'S':
        return QStringLiteral("waiting for storage daemon");
    case 'm':
        return QStringLiteral("waiting for new media");
    case 'M':
        return QStringLiteral("waiting for media mount");
    case 's':
        return QStringLiteral("waiting for storage resource");
    case 'j':
        return QStringLiteral("waiting for job resource");
    case 'c':
        return QStringLiteral("waiting for client resource");
    case 'd':
        return QStringLiteral("waiting on maximum jobs");
    case 't':
        return QStringLiteral("waiting on start time");
    case 'p':
        return QStringLiteral("waiting on higher priority jobs");
    case 'q':
        return QStringLiteral("queued waiting for device");
    case 'a':
        return QStringLiteral("SD despooling attributes");
    case 'i':
        return QStringLiteral("doing batch insert file records");
    case 'L':
        return QStringLiteral("committing data");
    case 'l':
        return QStringLiteral("despooling data");
    case 'u':
        return QStringLiteral("cloud upload");
    case 'w':
        return QStringLiteral("cloud download");
    default:
        return QStringLiteral("unknown JobStatus '%1'").arg(status);
    }
}

State stateOf(QChar status, qint64 errors, bool running) {
    switch (status.unicode()) {
    case 'R':
    case 'a': // despooling attributes, inserting file records, committing:
    case 'i': // the job still works
    case 'L':
    case 'l':
    case 'u':
    case 'w':
        return {SessionState::Running, status == u'R' ? QString() : statusWords(status)};
    case 'B':
        return {SessionState::Stalled, statusWords(status)};
    case 'C':
    case 'F':
    case 'S':
    case 'm':
    case 'M':
    case 's':
    case 'j':
    case 'c':
    case 'd':
    case 't':
    case 'p':
    case 'q':
        return {SessionState::Queued, statusWords(status)};
    case 'T':
        return errors > 0 ? State{SessionState::Warning,
                                  QStringLiteral("completed with %1 error%2")
                                      .arg(errors)
                                      .arg(errors == 1 ? QLatin1String("") : QLatin1String("s"))}
                          : State{SessionState::Succeeded, QString()};
    case 'W':
    case 'D':
        return {SessionState::Warning, statusWords(status)};
    case 'E':
    case 'e':
    case 'f':
        return {SessionState::Failed, statusWords(status)};
    case 'A':
        return {SessionState::Cancelled, statusWords(status)};
    case 'I':
        return {SessionState::Interrupted, statusWords(status)};
    default:
        return {running ? SessionState::Running : SessionState::Failed, statusWords(status)};
    }
}

SessionKind kindOf(QChar type) {
    switch (type.unicode()) {
    case 'B':
        return SessionKind::Backup;
    case 'R':
        return SessionKind::Restore;
    case 'V':
        return SessionKind::Verify;
    default:
        return SessionKind::Other; // copy, migration, admin, archive...
    }
}

QString typeWords(QChar type) {
    switch (type.unicode()) {
    case 'B':
        return QStringLiteral("Backup");
    case 'R':
        return QStringLiteral("Restore");
    case 'V':
        return QStringLiteral("Verify");
    case 'C':
        return QStringLiteral("Copy (of a job)");
    case 'c':
        return QStringLiteral("Copy");
    case 'M':
        return QStringLiteral("Migrated (a job moved by a migration)");
    case 'g':
        return QStringLiteral("Migration");
    case 'D':
        return QStringLiteral("Admin");
    case 'A':
        return QStringLiteral("Archive");
    case 'U':
        return QStringLiteral("Console");
    case 'I':
        return QStringLiteral("Internal");
    case 'S':
        return QStringLiteral("Scan");
    default:
        return QStringLiteral("unknown type '%1'").arg(type);
    }
}

QString levelWords(QChar level) {
    switch (level.unicode()) {
    case 'F':
        return QStringLiteral("Full");
    case 'I':
        return QStringLiteral("Incremental");
    case 'D':
        return QStringLiteral("Differential");
    case 'S':
        return QStringLiteral("Since");
    case 'f':
        return QStringLiteral("VirtualFull");
    case 'B':
        return QStringLiteral("Base");
    case 'C':
        return QStringLiteral("Catalog");
    case 'V':
        return QStringLiteral("InitCatalog");
    case 'O':
        return QStringLiteral("VolumeToCatalog");
    case 'd':
        return QStringLiteral("DiskToCatalog");
    case 'A':
        return QStringLiteral("Data");
    case ' ':
    case 0:
        return {};
    default:
        return QStringLiteral("unknown level '%1'").arg(level);
    }
}

} // namespace kw::BaculaCodes
