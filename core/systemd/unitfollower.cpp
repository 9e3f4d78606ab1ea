// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "systemd/unitfollower.h"

#include "systemd/systemdbus.h"

#include <QDBusError>
#include <QDBusMessage>
#include <QDBusObjectPath>
#include <QDBusReply>
#include <utility>

namespace kw {

using namespace SystemdBus;

UnitFollower::UnitFollower(const QDBusConnection &bus, QString unit, QObject *parent)
    : QObject(parent)
    , m_bus(bus) {
    m_run.unit = std::move(unit);
}

UnitFollower::~UnitFollower() {
    if (!m_path.isEmpty())
        m_bus.disconnect(kService, m_path, kProperties, QStringLiteral("PropertiesChanged"), this,
                         SLOT(onPropertiesChanged(QString, QVariantMap, QStringList)));
}

bool UnitFollower::start(QString *error) {
    // Without Subscribe the manager sends no change signals at all.
    const QDBusMessage subscribe = m_bus.call(QDBusMessage::createMethodCall(
        kService, kManagerPath, kManagerInterface, QStringLiteral("Subscribe")));
    // One subscription per connection: a second follower on the same bus
    // is told "already subscribed", which is as good.
    if (subscribe.type() == QDBusMessage::ErrorMessage
        && !subscribe.errorName().endsWith(QLatin1String("AlreadySubscribed"))
        && !subscribe.errorMessage().contains(QLatin1String("already subscribed"),
                                              Qt::CaseInsensitive)) {
        *error = subscribe.errorMessage();
        return false;
    }
    QDBusMessage load = QDBusMessage::createMethodCall(kService, kManagerPath, kManagerInterface,
                                                       QStringLiteral("LoadUnit"));
    load << m_run.unit;
    const QDBusReply<QDBusObjectPath> path = m_bus.call(load);
    if (!path.isValid()) {
        *error = path.error().message();
        return false;
    }
    m_path = path.value().path();
    // Connected before the first read: a change in between is folded in
    // after it, never lost.
    if (!m_bus.connect(kService, m_path, kProperties, QStringLiteral("PropertiesChanged"), this,
                       SLOT(onPropertiesChanged(QString, QVariantMap, QStringList)))) {
        *error = m_bus.lastError().message();
        return false;
    }
    QString readError;
    const UnitRun now = UnitRun::read(m_bus, m_run.unit, &readError);
    if (!readError.isEmpty()) {
        *error = readError;
        return false;
    }
    m_run = now;
    return true;
}

void UnitFollower::onPropertiesChanged(const QString &interface, const QVariantMap &properties,
                                       const QStringList &) {
    m_run.apply(interface, properties);
    emit changed();
}

} // namespace kw
