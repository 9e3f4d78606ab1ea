// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "fleet/brokerurl.h"

#include <QByteArray>
#include <QFutureWatcher>
#include <QHash>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <memory>
#include <mutex>

struct mosquitto;
struct mosquitto_message;
class QSocketNotifier;

namespace kw {

// One MQTT v5 connection through libmosquitto, driven by the event loop of
// the thread that owns it (docs/fleet.md, "The client"):
// - the blocking part, mosquitto_connect_bind_v5 (DNS, TCP, TLS), runs on a
//   pool thread while nothing else touches the handle; reading, writing
//   and keep-alive then run here, from a read notifier, a write notifier
//   enabled while libmosquitto has bytes to send, and a 1 s timer;
// - a lost connection is taken up again after a back-off that doubles up to
//   a ceiling, with new notifiers for the new socket;
// - a refusal of the credentials or of the client ID (CONNACK 0x85, 0x86,
//   0x87, 0x8C) is final: refused(), no retry, since retrying a wrong
//   password only fills the broker's log;
// - every QoS 1 message is acknowledged through published(message ID, v5
//   reason code): a code of 0x80 or more is the broker's refusal.
//
// The password is held in memory only: never in an argument, never logged.
class MqttClient final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MqttClient)

public:
    using UserProperties = QHash<QByteArray, QByteArray>;

    struct Options {
        BrokerUrl broker;
        QString clientId; // empty: made up by libmosquitto (clean start only)
        QString username;
        QByteArray password;
        QString caFile; // mqtts://: the CA that signed the broker (empty: the system's)
        // mqtts://: this client's certificate and its key (PEM, the key not
        // encrypted: a service has nobody to ask), for a broker that takes
        // the certificate's CN as the user name (use_identity_as_username).
        QString certFile;
        QString keyFile;
        bool cleanStart = true;
        quint32 sessionExpirySeconds = 0;
        int keepAliveSeconds = 30;
        // A last will (empty topic: none), retained, sent after willDelaySeconds.
        QString willTopic;
        QByteArray willPayload;
        quint32 willDelaySeconds = 0;
        quint32 willExpirySeconds = 0;
        // How many QoS 1 messages the broker may send before this client
        // has acknowledged them (MQTT v5 Receive Maximum; 0: libmosquitto's
        // 20). A collector of many hosts needs more: at 20, each round trip
        // through its event loop caps what it receives, the broker's queue
        // for it grows, and past max_queued_messages the broker drops.
        int receiveMaximum = 0;
        int firstRetryMs = 250;
        int maxRetryMs = 8000;
    };

    explicit MqttClient(Options options, QObject *parent = nullptr);
    ~MqttClient() override;

    // Connects, and keeps reconnecting after losses until stop().
    void start();
    // A clean DISCONNECT (the broker then discards the will) after what is
    // queued has been written, or at most `timeoutMs`.
    void stop(int timeoutMs = 2000);

    bool isConnected() const { return m_connected; }
    const Options &options() const { return m_options; }

    // The message ID, or -1 with problem() emitted. Only while connected.
    int publish(const QString &topic, const QByteArray &payload, int qos, bool retain,
                quint32 expirySeconds = 0, const UserProperties &properties = {});
    bool subscribe(const QString &filter, int qos);

    // What a v5 reason code means, for messages ("not authorized (0x87)").
    static QString reasonText(int reasonCode);

Q_SIGNALS:
    void connected(bool sessionPresent);
    void disconnected(const QString &why);
    // The broker refused this client's identity: no more attempts.
    void refused(const QString &why);
    void published(int messageId, int reasonCode);
    void messageReceived(const QString &topic, const QByteArray &payload, bool retained,
                         const kw::MqttClient::UserProperties &properties);
    void problem(const QString &message);

private:
    // libmosquitto's callbacks (C functions) call back into this object.
    friend struct MqttCallbacks;

    void connectNow();
    void connectFinished();
    // After a turn of libmosquitto's loop: its result, then what it wants to write.
    void afterLoop(int rc);
    void lost(const QString &why);
    void dropNotifiers();
    void updateWriteNotifier();
    void check(int rc, const char *what);
    // The constructor's check: kept for start(), which refuses to connect.
    void setUp(int rc, const char *what);
    // What libmosquitto last logged as an error, as " (…)" to append; then forgotten.
    QString takeLibraryError();

    Options m_options;
    mosquitto *m_handle = nullptr;
    std::unique_ptr<QSocketNotifier> m_readNotifier;
    std::unique_ptr<QSocketNotifier> m_writeNotifier;
    QTimer m_miscTimer;
    QTimer m_retryTimer;
    QFutureWatcher<int> m_connecting;
    int m_retryMs = 0;
    bool m_running = false;
    bool m_connected = false;
    bool m_refused = false;
    QStringList m_setupProblems;
    // What libmosquitto last logged as an error (OpenSSL's reason for a
    // failed handshake), from the thread that connects: said with the failure.
    std::mutex m_libraryErrorLock;
    QString m_libraryError;
    int m_connectErrno = 0; // errno of that thread, for MOSQ_ERR_ERRNO
};

} // namespace kw
