// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "fleet/mqttclient.h"

#include <QObject>
#include <QString>
#include <QThread>

class QLockFile;

namespace kw {

class FleetMirror;
class RemoteCanceller;

// The window's own connection to the broker (Settings, docs/fleet.md, "The
// window's broker"): one MqttClient on a worker thread of its own, never
// the GUI thread, that
// - mirrors every host into the remote root like `keepwatch-cli collect`,
//   unless a collector already holds that root's lock (then the window
//   reads what it writes, and connects for commands only: two writers of
//   one mirror would corrupt it);
// - asks agents for remote cancels and the broker whether it may (probe).
// Every call returns at once; answers come as signals on the caller's thread.
class FleetLink final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FleetLink)

public:
    // What the window's Settings name, checked and read (the password from
    // its file): the client's options, or nullopt with `error` saying what
    // is wrong, naming the field or the file.
    struct Access {
        QString url;
        QString username;
        QString passwordFile;
        QByteArray password; // from the keyring, when there is no file
        QString caFile;
        QString certFile;
        QString keyFile;
    };
    static std::optional<MqttClient::Options> clientOptions(const Access &access, QString *error,
                                                            QString *warning = nullptr);

    FleetLink(MqttClient::Options options, QString remoteRoot, QObject *parent = nullptr);
    // Disconnects cleanly and joins the worker thread.
    ~FleetLink() override;

    void start();
    void cancel(const QString &host, const QString &sessionId, int expirySeconds);
    void probe(const QString &host);

    bool isConnected() const { return m_connected; }
    // Whether this window writes the mirrors (false: a collector does).
    bool isMirroring() const { return m_mirroring; }
    // For the status bar: "broker mqtt://…: connected", "… refused: …".
    QString stateText() const { return m_stateText; }

Q_SIGNALS:
    void stateChanged();
    void cancelFinished(const QString &host, const QString &sessionId, bool accepted,
                        const QString &message);
    void commandAccess(const QString &host, const QString &refusal);
    void problem(const QString &message);

private:
    void setState(bool connected, const QString &text);

    MqttClient::Options m_options;
    QString m_remoteRoot;
    QThread m_thread;
    // Live on m_thread; made and destroyed there.
    QObject *m_context = nullptr;
    MqttClient *m_client = nullptr;
    FleetMirror *m_mirror = nullptr;
    RemoteCanceller *m_canceller = nullptr;
    QLockFile *m_lock = nullptr;
    // The GUI thread's view, set from queued signals.
    bool m_connected = false;
    bool m_mirroring = false;
    QString m_stateText;
};

} // namespace kw
