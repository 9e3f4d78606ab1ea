// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "systemd/unitcontrol.h"

#include "systemd/systemdbus.h"
#include "systemd/unitrun.h"

#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QTimer>
#include <csignal>

namespace kw {

using namespace SystemdBus;

UnitControl::UnitControl(QObject *parent)
    : QObject(parent) {}

UnitControl::~UnitControl() {
    for (const QString &name : std::as_const(m_connectionNames))
        QDBusConnection::disconnectFromBus(name);
}

QDBusConnection UnitControl::busOf(const QString &source, QString *error) {
    const auto which = source == SystemdSource::identity(SystemdSourceOptions::Bus::System)
                           ? SystemdSourceOptions::Bus::System
                           : SystemdSourceOptions::Bus::User;
    const QString name = QStringLiteral("keepwatch-control-%1").arg(source);
    if (!m_connectionNames.contains(name)) {
        const QString address = SystemdSource::busAddress(which);
        if (address.isEmpty()) {
            *error = QStringLiteral("no D-Bus for %1 here").arg(source);
            return QDBusConnection(QString());
        }
        QDBusConnection bus = QDBusConnection::connectToBus(address, name);
        m_connectionNames << name;
        // Without a subscriber the manager sends no signals; JobRemoved
        // says how a start or stop went.
        bus.call(QDBusMessage::createMethodCall(kService, kManagerPath, kManagerInterface,
                                                QStringLiteral("Subscribe")));
        bus.connect(kService, kManagerPath, kManagerInterface, QStringLiteral("JobRemoved"), this,
                    SLOT(onJobRemoved(uint, QDBusObjectPath, QString, QString)));
    }
    QDBusConnection bus(name);
    if (!bus.isConnected())
        *error = bus.lastError().message();
    return bus;
}

void UnitControl::call(Action action, const QString &source, const QString &unit,
                       const QString &method, const QVariantList &arguments, const QString &done) {
    QString error;
    const QDBusConnection bus = busOf(source, &error);
    if (!error.isEmpty()) {
        emit finished(action, unit, false, QStringLiteral("%1: %2").arg(unit, error));
        return;
    }
    QDBusMessage message =
        QDBusMessage::createMethodCall(kService, kManagerPath, kManagerInterface, method);
    message.setArguments(arguments);
    // polkit may ask for an administrator's password (system units).
    message.setInteractiveAuthorizationAllowed(true);
    // Long enough for a person to type a password.
    auto *watcher = new QDBusPendingCallWatcher(bus.asyncCall(message, 5 * 60 * 1000), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, [this, watcher, action, unit, done] {
        watcher->deleteLater();
        const QDBusMessage reply = watcher->reply();
        if (reply.type() == QDBusMessage::ErrorMessage) {
            const bool refused =
                reply.errorName().contains(QLatin1String("AccessDenied"))
                || reply.errorName().contains(QLatin1String("InteractiveAuthorizationRequired"));
            emit finished(action, unit, false,
                          QStringLiteral("%1 %2: %3")
                              .arg(refused ? QStringLiteral("refused") : QStringLiteral("failed"),
                                   unit, reply.errorMessage()));
            return;
        }
        // StartUnit and StopUnit answer with their job: its end is the answer.
        const QVariant job = reply.arguments().value(0);
        if (!job.canConvert<QDBusObjectPath>()) {
            emit finished(action, unit, true, done);
            return;
        }
        const QString path = job.value<QDBusObjectPath>().path();
        const Job waiting{action, unit, done};
        if (m_jobResults.contains(path)) {
            jobEnded(waiting, m_jobResults.take(path));
        } else {
            m_jobs.insert(path, waiting);
        }
    });
}

void UnitControl::onJobRemoved(uint, const QDBusObjectPath &job, const QString &,
                               const QString &result) {
    if (m_jobs.contains(job.path())) {
        jobEnded(m_jobs.take(job.path()), result);
        return;
    }
    // Perhaps ours, before the method's answer; kept a while, bounded.
    if (m_jobResults.size() > 256)
        m_jobResults.clear();
    m_jobResults.insert(job.path(), result);
}

void UnitControl::jobEnded(const Job &job, const QString &result) {
    if (result == QLatin1String("done")) {
        emit finished(job.action, job.unit, true, job.done);
        return;
    }
    // systemd's job results (org.freedesktop.systemd1(5)).
    QString why = result;
    if (result == QLatin1String("failed"))
        why = QStringLiteral("the unit failed (see its log)");
    else if (result == QLatin1String("canceled"))
        why = QStringLiteral("the job was cancelled before it ran");
    else if (result == QLatin1String("dependency"))
        why = QStringLiteral("a unit it depends on failed");
    else if (result == QLatin1String("skipped"))
        why = QStringLiteral("nothing to do");
    emit finished(job.action, job.unit, false,
                  QStringLiteral("%1 %2: %3")
                      .arg(job.action == Action::Start ? QStringLiteral("starting")
                                                       : QStringLiteral("stopping"),
                           job.unit, why));
}

void UnitControl::start(const QString &source, const QString &unit) {
    call(Action::Start, source, unit, QStringLiteral("StartUnit"),
         {unit, QStringLiteral("replace")}, QStringLiteral("%1 started").arg(unit));
}

void UnitControl::stop(const QString &source, const QString &unit) {
    call(Action::Stop, source, unit, QStringLiteral("StopUnit"), {unit, QStringLiteral("replace")},
         QStringLiteral("%1 stopped").arg(unit));
}

void UnitControl::cancel(const QString &source, const QString &unit, const QString &invocationId) {
    // SIGINT, so that restic and borg remove their repository locks; to
    // every process of the run, as Ctrl-C in a terminal does: the main one
    // may be a shell or a front-end with the tool below it.
    call(Action::Cancel, source, unit, QStringLiteral("KillUnit"),
         {unit, QStringLiteral("all"), int(SIGINT)},
         QStringLiteral("%1: asked to stop (SIGINT)").arg(unit));
    QTimer::singleShot(m_cancelGraceMs, this, [this, source, unit, invocationId] {
        QString error;
        const QDBusConnection bus = busOf(source, &error);
        if (!error.isEmpty())
            return;
        const UnitRun now = UnitRun::read(bus, unit);
        if (now.invocationId == invocationId && now.isRunning())
            stop(source, unit);
    });
}

} // namespace kw
