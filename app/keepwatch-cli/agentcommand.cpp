// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "brokeroptions.h"
#include "cli.h"
#include "commands.h"
#include "fleet/cancelresponder.h"
#include "fleet/fleetagent.h"
#include "fleet/fleettopics.h"
#include "platform/useraccounts.h"
#include "sources/sourceset.h"
#include "sources/spoolsessioncancel.h"
#include "spool/spoollocation.h"
#include "spool/systemspool.h"

#include <QDir>
#include <QSysInfo>
#include <memory>

namespace kw::cli {

// This host's sessions, published through an MQTT broker until SIGTERM or
// SIGINT (docs/fleet.md).
int agentCommand(const Command &self, const QStringList &args) {
    CommandLine cl(self);
    const BrokerOptions brokerOptions;
    brokerOptions.addTo(cl);
    const QCommandLineOption hostOption(
        QStringLiteral("host"),
        QStringLiteral("This host's name in the topics: a-z, 0-9, '.' and '-', at most 63 "
                       "(default: the machine's host name). With per-host credentials it is "
                       "also the user name the broker's ACL expects."),
        QStringLiteral("NAME"));
    cl.add(hostOption);
    const QCommandLineOption allowCancel(
        QStringLiteral("allow-remote-cancel"),
        QStringLiteral("Let desktops cancel this host's wrapped sessions through the broker "
                       "(its ACL decides who may write commands; each cancel gets the checks of "
                       "a local one). Off by default."));
    cl.add(allowCancel);
    const QCommandLineOption stateHeal(
        QStringLiteral("state-heal"),
        QStringLiteral("How often the end of each file written in the last 10 minutes is said "
                       "again (default 30 s): a collector whose broker queue overflowed learns "
                       "from it what it lacks."),
        QStringLiteral("SECONDS"));
    cl.add(stateHeal);
    const QCommandLineOption statusExpiry(
        QStringLiteral("status-expiry"),
        QStringLiteral("How long the broker keeps this host's `online` status without a word "
                       "from it (default 120 s; said again every 5/12 of it): a host that died "
                       "while the broker was down is offline once it is over."),
        QStringLiteral("SECONDS"));
    cl.add(statusExpiry);
    if (const auto done = cl.parse(args))
        return *done;
    if (!cl.positional().isEmpty())
        return cl.usage(QStringLiteral("unexpected argument %1").arg(cl.positional().first()));

    const QString host =
        cl.isSet(hostOption) ? cl.value(hostOption) : QSysInfo::machineHostName().toLower();
    const QString hostError = FleetTopics::hostProblem(host);
    if (!hostError.isEmpty())
        return cl.usage(
            hostError
            + (cl.isSet(hostOption) ? QString() : QStringLiteral(" (name one with --host)")));
    MqttClient::Options clientOptions;
    if (const auto done = brokerOptions.read(cl, clientOptions))
        return *done;
    FleetAgent::prepareClient(clientOptions, host, QStringLiteral(KEEPWATCH_VERSION));

    FleetAgent::Options options;
    options.host = host;
    options.ownSpool = SpoolLocation::defaultDirectory();
    if (UserAccounts::effectiveUid() == 0)
        options.systemSpoolRoot = SystemSpool::root();
    options.offsetsPath = QDir(brokerOptions.stateDirectory(cl))
                              .filePath(QStringLiteral("agent/%1.offsets.json").arg(host));
    options.version = QStringLiteral(KEEPWATCH_VERSION);
    options.remoteCancel = cl.isSet(allowCancel);
    if (cl.isSet(stateHeal)) {
        bool ok = false;
        const int seconds = cl.value(stateHeal).toInt(&ok);
        if (!ok || seconds < 1 || seconds > 3600)
            return cl.usage(QStringLiteral("--state-heal takes seconds (1 to 3600)"));
        options.stateHealMs = seconds * 1000;
    }
    if (cl.isSet(statusExpiry)) {
        bool ok = false;
        const int seconds = cl.value(statusExpiry).toInt(&ok);
        if (!ok || seconds < 2 || seconds > 3600)
            return cl.usage(QStringLiteral("--status-expiry takes seconds (2 to 3600)"));
        options.statusExpirySeconds = quint32(seconds);
        options.statusRefreshMs = seconds * 1000 * 5 / 12;
    }

    const auto app = makeApplication();
    MqttClient client(clientOptions);
    FleetAgent agent(client, options);
    reportConnection(client);
    QObject::connect(&agent, &FleetAgent::problem, &warn);
    QObject::connect(&client, &MqttClient::connected, [&] {
        std::fprintf(stderr, "keepwatch-cli: agent %s connected to %s\n",
                     host.toLocal8Bit().constData(),
                     clientOptions.broker.toString().toLocal8Bit().constData());
    });
    QObject::connect(&agent, &FleetAgent::stopped, [] { QCoreApplication::exit(Ok); });
    std::unique_ptr<CancelResponder> cancels;
    if (options.remoteCancel) {
        // The spools this agent publishes, read whole for each request.
        SourceSetConfig spools;
        spools.spoolDirectory = options.ownSpool;
        spools.discovery = false;
        spools.systemd = false;
        spools.systemSpool = !options.systemSpoolRoot.isEmpty();
        cancels = std::make_unique<CancelResponder>(
            client, host, [&agent](const QString &id) { return agent.fileOf(id); },
            [spools](const QString &id, const QString &file) {
                return SpoolSessionCancel::request(spools, id, file);
            });
        QObject::connect(cancels.get(), &CancelResponder::decided, [](const QString &message) {
            std::fprintf(stderr, "keepwatch-cli: %s\n", message.toLocal8Bit().constData());
        });
    }
    const QString error = agent.start();
    if (!error.isEmpty())
        warn(error);
    return runUntilStopSignal([&] { agent.stop(); });
}

} // namespace kw::cli
