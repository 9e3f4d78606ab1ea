// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "fleet/mqttclient.h"

#include <QCommandLineOption>
#include <QCoreApplication>
#include <functional>
#include <memory>
#include <optional>

namespace kw::cli {

class CommandLine;

// The options `agent` and `collect` share to reach the broker, worded once:
// --broker URL, --username, --password-file, --ca, --cert, --key and
// --state-dir. A
// password is never taken on the command line (ps, shell history, the
// unit's logs): only from a file, whose first line is the password.
class BrokerOptions final {
public:
    BrokerOptions();
    void addTo(CommandLine &cl) const;

    // Fills the client's broker, credentials and CA from the parsed line;
    // a value (the usage error or failure reported) when they are wrong.
    std::optional<int> read(const CommandLine &cl, MqttClient::Options &options) const;
    // Whether --broker was given (a command that may go without one).
    bool given(const CommandLine &cl) const;
    // --state-dir, else Keepwatch's state directory.
    QString stateDirectory(const CommandLine &cl) const;

private:
    QCommandLineOption m_broker;
    QCommandLineOption m_username;
    QCommandLineOption m_passwordFile;
    QCommandLineOption m_ca;
    QCommandLineOption m_cert;
    QCommandLineOption m_key;
    QCommandLineOption m_stateDir;
};

// Warnings for the client's problems and lost connections; a refused login
// ends the event loop with Failure (retrying a wrong password only fills
// the broker's log).
void reportConnection(MqttClient &client);

// The event loop `agent` and `collect` run in (the other commands have none).
std::unique_ptr<QCoreApplication> makeApplication();

// Runs the application's event loop; SIGTERM or SIGINT call `stop`, which
// ends it (QCoreApplication::exit) when it has wound down; a second signal
// ends it at once. Returns the loop's exit code.
int runUntilStopSignal(const std::function<void()> &stop);

} // namespace kw::cli
