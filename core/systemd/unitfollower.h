// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "systemd/unitrun.h"

#include <QDBusConnection>
#include <QObject>

namespace kw {

// Follows one service unit's runs on its manager's bus: reads the unit once,
// asks the manager for change signals (Manager.Subscribe) and folds every
// PropertiesChanged of the unit into run(). The manager forgets a run once
// the unit has gone inactive (it even unloads the unit), so a run's end,
// exit status and whether somebody stopped it are only known to a follower
// that watched it end.
class UnitFollower final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UnitFollower)

public:
    UnitFollower(const QDBusConnection &bus, QString unit, QObject *parent = nullptr);
    ~UnitFollower() override;

    // False, with `error`, when the manager does not answer.
    bool start(QString *error);
    const UnitRun &run() const { return m_run; }

signals:
    // run() changed.
    void changed();

private slots:
    void onPropertiesChanged(const QString &interface, const QVariantMap &properties,
                             const QStringList &invalidated);

private:
    QDBusConnection m_bus;
    QString m_path; // the unit's object path
    UnitRun m_run;
};

} // namespace kw
