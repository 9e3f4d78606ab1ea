// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "brokeroptions.h"
#include "cli.h"
#include "commands.h"
#include "fleet/fleetmirror.h"
#include "fleet/remotespools.h"
#include "spool/spoollocation.h"

#include <QDir>
#include <QLockFile>
#include <QSysInfo>

namespace kw::cli {

// Every host's sessions mirrored from an MQTT broker into this machine's
// state directory until SIGTERM or SIGINT (docs/fleet.md).
int collectCommand(const Command &self, const QStringList &args) {
    CommandLine cl(self);
    const BrokerOptions brokerOptions;
    brokerOptions.addTo(cl);
    const QCommandLineOption clientIdOption(
        QStringLiteral("client-id"),
        QStringLiteral("The broker session to resume, where messages wait while this is "
                       "offline (default: the user name, else keepwatch-collect-HOSTNAME)."),
        QStringLiteral("ID"));
    cl.add(clientIdOption);
    if (const auto done = cl.parse(args))
        return *done;
    if (!cl.positional().isEmpty())
        return cl.usage(QStringLiteral("unexpected argument %1").arg(cl.positional().first()));
    MqttClient::Options clientOptions;
    if (const auto done = brokerOptions.read(cl, clientOptions))
        return *done;
    clientOptions.clientId =
        cl.isSet(clientIdOption) ? cl.value(clientIdOption)
        : !clientOptions.username.isEmpty()
            ? clientOptions.username
            : QStringLiteral("keepwatch-collect-") + QSysInfo::machineHostName().toLower();
    FleetMirror::prepareClient(clientOptions);

    FleetMirror::Options options;
    options.directory = RemoteSpools::root(brokerOptions.stateDirectory(cl));
    const QString directoryError = SpoolLocation::ensureDirectory(options.directory);
    if (!directoryError.isEmpty())
        return fail(Failure, directoryError);

    const auto app = makeApplication();
    // One writer per mirror: the window with its own broker connection
    // takes the same lock.
    QLockFile lock(RemoteSpools::lockPath(options.directory));
    lock.setStaleLockTime(0);
    if (!lock.tryLock(0)) {
        qint64 pid = 0;
        QString host, holder;
        lock.getLockInfo(&pid, &host, &holder);
        return fail(Failure,
                    QStringLiteral("%1 (pid %2) already mirrors into %3; stop it first")
                        .arg(holder.isEmpty() ? QStringLiteral("another collector") : holder)
                        .arg(pid)
                        .arg(options.directory));
    }
    MqttClient client(clientOptions);
    FleetMirror mirror(client, options);
    reportConnection(client);
    QObject::connect(&mirror, &FleetMirror::problem, &warn);
    QObject::connect(&client, &MqttClient::connected, [&] {
        std::fprintf(stderr, "keepwatch-cli: collecting from %s into %s\n",
                     clientOptions.broker.toString().toLocal8Bit().constData(),
                     options.directory.toLocal8Bit().constData());
    });
    QObject::connect(
        &mirror, &FleetMirror::hostStatus, [](const QString &host, const QString &status) {
            std::fprintf(stderr, "keepwatch-cli: host %s is %s\n", host.toLocal8Bit().constData(),
                         status.toLocal8Bit().constData());
        });
    client.start();
    return runUntilStopSignal([&] {
        client.stop();
        QCoreApplication::exit(Ok);
    });
}

} // namespace kw::cli
