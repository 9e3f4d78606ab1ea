// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "adapters/outputadapter.h"

#include "platform/signalnumbers.h"

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
    case PosixSignal::Hup:
        return QStringLiteral("SIGHUP");
    case PosixSignal::Int:
        return QStringLiteral("SIGINT");
    case PosixSignal::Quit:
        return QStringLiteral("SIGQUIT");
    case PosixSignal::Abrt:
        return QStringLiteral("SIGABRT");
    case PosixSignal::Kill:
        return QStringLiteral("SIGKILL");
    case PosixSignal::Segv:
        return QStringLiteral("SIGSEGV");
    case PosixSignal::Pipe:
        return QStringLiteral("SIGPIPE");
    case PosixSignal::Term:
        return QStringLiteral("SIGTERM");
    case PosixSignal::Usr1:
        return QStringLiteral("SIGUSR1");
    case PosixSignal::Usr2:
        return QStringLiteral("SIGUSR2");
    default:
        return QStringLiteral("signal %1").arg(signal);
    }
}

} // namespace kw
