// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "adapters/outputadapter.h"

#include <csignal>

namespace kw {

void OutputAdapter::start(AdapterSink &) {}

QList<std::pair<QByteArray, QByteArray>> OutputAdapter::defaultEnvironment() const {
    return {};
}

OutputAdapter::IoMeasure OutputAdapter::ioMeasure() const {
    return IoMeasure::None;
}

std::optional<int> OutputAdapter::reportedStopSignal() const {
    return std::nullopt;
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

} // namespace kw
