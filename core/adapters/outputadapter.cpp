// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "adapters/outputadapter.h"

#include "tools/borg/borgadapter.h"
#include "tools/commandline.h"
#include "tools/generic/genericadapter.h"
#include "tools/restic/resticadapter.h"
#include "tools/rsync/rsyncadapter.h"

#include <QFileInfo>
#include <csignal>
#include <cstring>

namespace kw {

void OutputAdapter::start(AdapterSink &) {}

QList<std::pair<QByteArray, QByteArray>> OutputAdapter::defaultEnvironment() const {
    return {};
}

OutputAdapter::IoMeasure OutputAdapter::ioMeasure() const {
    return IoMeasure::None;
}

int OutputAdapter::cancelSignal() const {
    return SIGTERM;
}

Outcome OutputAdapter::outcome(const ExitStatus &status) const {
    Outcome o;
    o.summary = describeExit(status);
    if (status.cancelRequested && status.exitCode != 0)
        o.state = SessionState::Cancelled;
    else if (status.exitCode == 0)
        o.state = SessionState::Succeeded;
    else
        o.state = SessionState::Failed;
    return o;
}

QString signalName(int signal) {
    switch (signal) {
    case SIGHUP:
        return QStringLiteral("SIGHUP");
    case SIGINT:
        return QStringLiteral("SIGINT");
    case SIGQUIT:
        return QStringLiteral("SIGQUIT");
    case SIGABRT:
        return QStringLiteral("SIGABRT");
    case SIGKILL:
        return QStringLiteral("SIGKILL");
    case SIGSEGV:
        return QStringLiteral("SIGSEGV");
    case SIGPIPE:
        return QStringLiteral("SIGPIPE");
    case SIGTERM:
        return QStringLiteral("SIGTERM");
    case SIGUSR1:
        return QStringLiteral("SIGUSR1");
    case SIGUSR2:
        return QStringLiteral("SIGUSR2");
    default:
        return QStringLiteral("signal %1").arg(signal);
    }
}

QString describeExit(const ExitStatus &status) {
    QString text;
    if (status.signal)
        text = QStringLiteral("killed by %1").arg(signalName(*status.signal));
    else if (status.exitCode)
        text = QStringLiteral("exit code %1").arg(*status.exitCode);
    else
        text = QStringLiteral("ended");
    if (status.cancelRequested)
        text += QStringLiteral(" after a cancel request");
    return text;
}

QStringList AdapterRegistry::names() {
    return {QStringLiteral("generic"), QStringLiteral("restic"), QStringLiteral("borg"),
            QStringLiteral("rsync")};
}

bool AdapterRegistry::has(const QString &name) {
    return names().contains(name);
}

std::unique_ptr<OutputAdapter> AdapterRegistry::create(const QString &tool,
                                                       const QStringList &command) {
    const QStringList effective = CommandLineInfo::effectiveCommand(command);
    const QString name = has(tool) ? tool : CommandLineInfo::programName(command);
    if (name == QLatin1String("restic"))
        return std::make_unique<ResticAdapter>(effective);
    if (name == QLatin1String("borg"))
        return std::make_unique<BorgAdapter>(effective);
    if (name == QLatin1String("rsync"))
        return std::make_unique<RsyncAdapter>(effective);
    return std::make_unique<GenericAdapter>();
}

} // namespace kw
