// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QByteArray>
#include <QString>

namespace kw::BrokerSecrets {

// The files a client reads to reach a broker, checked the same way for
// keepwatch-cli's options and the window's Settings (docs/fleet.md). A
// password is only ever read from a file (or the keyring): never an
// argument, never logged.

// The password: the file's first line, without its line end. Empty, or
// what is wrong, naming the file. `warning` gets a file readable by everyone.
QString readPasswordFile(const QString &path, QByteArray &password, QString *warning);

// The CA, the client's certificate and its key (each may be empty): each
// one readable, named before libmosquitto's "invalid function arguments".
// Empty, or what is wrong; `warning` gets a key readable by everyone.
QString checkTlsFiles(const QString &caFile, const QString &certFile, const QString &keyFile,
                      QString *warning);

} // namespace kw::BrokerSecrets
