// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>

namespace kw::test {

// A real Mosquitto broker for one test, on 127.0.0.1 and a free port, with
// its own configuration, password file and ACL in a temporary directory:
// the setup of docs/fleet.md (per-host users that may write only under
// their own name, a desk-admin that reads everything and writes
// commands), loopback and plain TCP. It is this object's child (no -d),
// stopped by its pid; a restart keeps the port, the users and (with
// persistence) the store.
class MosquittoBroker final {
public:
    // Why there can be no broker here (mosquitto or mosquitto_passwd not
    // installed), or empty.
    static QString unavailableReason();

    MosquittoBroker();
    ~MosquittoBroker();
    MosquittoBroker(const MosquittoBroker &) = delete;
    MosquittoBroker &operator=(const MosquittoBroker &) = delete;

    // Before start(): a user of the password file (mosquitto_passwd -b).
    bool addUser(const QString &name, const QString &password, QString *error);
    // A file (0600) holding `password`, for --password-file.
    QString passwordFile(const QString &name, const QString &password) const;

    // Before start(): the listener speaks TLS with the certificates of
    // packaging/fleet/keepwatch-fleet-certs.sh in `directory` (ca.pem,
    // broker.pem, broker.key) and wants a client certificate, whose CN is
    // the user name (use_identity_as_username): the setup of docs/fleet.md
    // for production.
    void useTls(const QString &directory) { m_tlsDirectory = directory; }
    // Before start(): lines appended to docs/fleet.md's ACL (a user the
    // documented setup does not have).
    void addAcl(const QByteArray &lines) { m_extraAcl += lines; }

    // Writes the configuration (persistence on or off) and starts the
    // broker; true when it accepts connections.
    // `maxQueuedMessages`: how many QoS 1 messages it keeps for a client
    // that is away; the rest it drops (silently for the client).
    bool start(QString *error, bool persistence = true, int maxQueuedMessages = 100000);
    // Sends `signal` (SIGKILL: a crash; SIGTERM: a clean stop that writes
    // the store) and waits for the exit.
    void stop(int signal = 15);
    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }

    int port() const { return m_port; }
    QString url() const {
        return QStringLiteral("%1://127.0.0.1:%2")
            .arg(m_tlsDirectory.isEmpty() ? QStringLiteral("mqtt") : QStringLiteral("mqtts"))
            .arg(m_port);
    }
    QString directory() const { return m_dir.path(); }
    // What the broker wrote (stderr), for a failing test's message.
    QByteArray log();

private:
    QTemporaryDir m_dir;
    QProcess m_process;
    QByteArray m_log;
    int m_port = 0;
    QString m_tlsDirectory;
    QByteArray m_extraAcl;
};

// A TCP port on 127.0.0.1 nobody listens on now (bind port 0, then close).
int freeLoopbackPort();

} // namespace kw::test
