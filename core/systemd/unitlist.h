// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QDBusConnection>
#include <QList>
#include <QString>

namespace kw {

// One unit the manager has loaded (Manager.ListUnits).
struct ListedUnit {
    QString name; // "borgmatic.timer"
    QString path; // its object path
    QString activeState;

    // The loaded units whose name ends in `suffix` (".service", ".timer").
    static QList<ListedUnit> list(const QDBusConnection &bus, const QString &suffix,
                                  QString *error = nullptr);
};

} // namespace kw
