// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "systemd/unitlist.h"

#include "systemd/systemdbus.h"

#include <QDBusArgument>
#include <QDBusMessage>
#include <QDBusObjectPath>

namespace kw {

QList<ListedUnit> ListedUnit::list(const QDBusConnection &bus, const QString &suffix,
                                   QString *error) {
    using namespace SystemdBus;
    const QDBusMessage reply = bus.call(QDBusMessage::createMethodCall(
        kService, kManagerPath, kManagerInterface, QStringLiteral("ListUnits")));
    QList<ListedUnit> units;
    if (reply.type() != QDBusMessage::ReplyMessage || reply.arguments().isEmpty()) {
        if (error)
            *error = reply.errorMessage();
        return units;
    }
    // a(ssssssouso): name, description, load state, active state, sub
    // state, followed unit, object path, job id, job type, job path.
    const QDBusArgument arg = reply.arguments().first().value<QDBusArgument>();
    arg.beginArray();
    while (!arg.atEnd()) {
        QString name, description, load, active, sub, following, jobType;
        QDBusObjectPath path, jobPath;
        quint32 jobId = 0;
        arg.beginStructure();
        arg >> name >> description >> load >> active >> sub >> following >> path >> jobId >> jobType
            >> jobPath;
        arg.endStructure();
        if (name.endsWith(suffix))
            units.append({name, path.path(), active});
    }
    arg.endArray();
    return units;
}

} // namespace kw
