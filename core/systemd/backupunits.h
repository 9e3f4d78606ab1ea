// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "protocol/sessiontypes.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

namespace kw {

// What makes a service unit a backup, and what its runs are.
struct BackupUnit {
    QString tool; // "restic", "borg", "borgmatic", ...; the program's name otherwise
    SessionKind kind = SessionKind::Other;
    QString target;      // repository or destination, secrets removed
    QStringList command; // the tool's argv as ExecStart gives it
    // ExecStart runs `keepwatch-cli run`: the wrapper records the run in a
    // spool under the unit's invocation ID, and the two are one session.
    bool wrapped = false;
    QString why; // "runs restic", "name matches *backup*", "chosen in Settings"
};

// Tells backup units from the others (issue 15): any ExecStart argument that
// starts a known tool (the tool profiles, behind launchers such as
// systemd-inhibit, nice or a shell's -c), a backup front-end (borgmatic,
// resticprofile, autorestic), a name that says so (borgmatic*,
// resticprofile-*, *backup*), or a unit the user chose in Settings.
class BackupUnits final {
public:
    explicit BackupUnits(const QStringList &chosenUnits = {});

    // Only services are runs; `unit` with its suffix ("x.service").
    std::optional<BackupUnit> match(const QString &unit, const QList<QStringList> &execStart) const;
    // Whether the name alone decides (no need to ask for its ExecStart).
    bool matchesByName(const QString &unit) const;
    // "x" and "x.service" are the same service.
    static QString serviceName(const QString &unit);

private:
    QStringList m_chosen; // with ".service"
};

} // namespace kw
