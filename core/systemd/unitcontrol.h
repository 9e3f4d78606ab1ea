// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "systemd/systemdsource.h"

#include <QDBusConnection>
#include <QDBusObjectPath>
#include <QHash>
#include <QObject>
#include <QString>

namespace kw {

// Starts, stops and cancels units through their manager's D-Bus API
// (Manager.StartUnit, StopUnit, KillUnit). For system units the manager asks
// polkit, which may ask the user for an administrator's password: calls
// allow interactive authorization and never block the caller. Every answer
// ("started", "refused: ...") comes back as `finished`.
class UnitControl final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UnitControl)

public:
    enum class Action : quint8 { Start, Stop, Cancel };

    explicit UnitControl(QObject *parent = nullptr);
    ~UnitControl() override;

    // How long a cancelled run may take to stop on SIGINT (restic and borg
    // remove their locks on it) before the unit is stopped.
    static constexpr int kDefaultCancelGraceMs = 10000;
    void setCancelGraceMs(int ms) { m_cancelGraceMs = ms; }

    // `source` is the unit's bus ("systemd" or "systemd:user").
    void start(const QString &source, const QString &unit);
    void stop(const QString &source, const QString &unit);
    // SIGINT to the main process first (KillUnit), then StopUnit after the
    // grace if the same run still goes on.
    void cancel(const QString &source, const QString &unit, const QString &invocationId);

signals:
    // `message` is for the status bar: "restic-backup.service started",
    // "stopping restic-backup.service refused: ...".
    void finished(kw::UnitControl::Action action, const QString &unit, bool ok,
                  const QString &message);

private slots:
    void onJobRemoved(uint id, const QDBusObjectPath &job, const QString &unit,
                      const QString &result);

private:
    struct Job {
        Action action;
        QString unit;
        QString done; // the message when its result is "done"
    };
    QDBusConnection busOf(const QString &source, QString *error);
    void jobEnded(const Job &job, const QString &result);
    void call(Action action, const QString &source, const QString &unit, const QString &method,
              const QVariantList &arguments, const QString &done);

    int m_cancelGraceMs = kDefaultCancelGraceMs;
    QStringList m_connectionNames;
    // Start and stop are jobs: the method's answer is only that the job is
    // queued; the manager's JobRemoved says how it went. Either may come
    // first.
    QHash<QString, Job> m_jobs;           // job path -> waiting for its result
    QHash<QString, QString> m_jobResults; // job path -> result that came first
};

} // namespace kw
