// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "fleet/mqttclient.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QSocketNotifier>
#include <QThread>
#include <QtConcurrent/QtConcurrentRun>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <mosquitto.h>
#include <mqtt_protocol.h>
#include <mutex>

namespace kw {

namespace {

constexpr int kMiscIntervalMs = 1000;

void initLibrary() {
    static std::once_flag once;
    std::call_once(once, [] { mosquitto_lib_init(); });
}

QByteArray utf8(const QString &text) {
    return text.toUtf8();
}

bool isRefusal(int rc) {
    switch (rc) {
    case MQTT_RC_CLIENTID_NOT_VALID:
    case MQTT_RC_BAD_USERNAME_OR_PASSWORD:
    case MQTT_RC_NOT_AUTHORIZED:
    case MQTT_RC_BANNED:
    case MQTT_RC_BAD_AUTHENTICATION_METHOD:
    // MQTT 3.1.1's codes, which libmosquitto passes on for an older broker
    case CONNACK_REFUSED_IDENTIFIER_REJECTED:
    case CONNACK_REFUSED_BAD_USERNAME_PASSWORD:
    case CONNACK_REFUSED_NOT_AUTHORIZED:
        return true;
    default:
        return false;
    }
}

} // namespace

// libmosquitto calls these inside its loop functions, holding its own
// locks: what they report reaches the listeners through the event loop, so
// a listener that publishes (an agent answering a connect with its status)
// never calls into libmosquitto from inside a callback (ThreadSanitizer saw
// the lock-order inversion that makes).
struct MqttCallbacks {
    template<typename Function>
    static void later(MqttClient *client, Function &&function) {
        QMetaObject::invokeMethod(client, std::forward<Function>(function), Qt::QueuedConnection);
    }

    static void onConnect(mosquitto *, void *self, int rc, int flags, const mosquitto_property *) {
        auto *client = static_cast<MqttClient *>(self);
        if (rc == 0) {
            client->m_connected = true;
            client->m_retryMs = 0;
            const bool sessionPresent = (flags & 1) != 0;
            later(client, [client, sessionPresent] { Q_EMIT client->connected(sessionPresent); });
            return;
        }
        const QString why =
            QStringLiteral("the broker %1 refused the connection: %2")
                .arg(client->m_options.broker.toString(), MqttClient::reasonText(rc));
        if (isRefusal(rc)) {
            client->m_refused = true;
            client->m_running = false;
            client->dropNotifiers();
            later(client, [client, why] { Q_EMIT client->refused(why); });
            return;
        }
        client->lost(why);
    }

    static void onDisconnect(mosquitto *, void *self, int rc, const mosquitto_property *) {
        auto *client = static_cast<MqttClient *>(self);
        if (!client->m_running)
            return; // our own DISCONNECT
        QString why =
            QStringLiteral("connection to %1 lost").arg(client->m_options.broker.toString());
        if (rc == MQTT_RC_SESSION_TAKEN_OVER)
            // A broker with use_username_as_clientid (docs/fleet.md) makes the
            // user name the client ID, whatever this client asked for.
            why = QStringLiteral("another client connected to %1 as the same client (%2): two "
                                 "agents for one host, or two programs under one broker user?")
                      .arg(client->m_options.broker.toString(),
                           client->m_options.clientId.isEmpty()
                               ? QStringLiteral("user ") + client->m_options.username
                               : client->m_options.clientId);
        else if (rc != 0 && rc != MOSQ_ERR_CONN_LOST)
            why += QStringLiteral(": ") + MqttClient::reasonText(rc);
        client->lost(why);
    }

    // Called on whichever thread is in libmosquitto (the connecting one for
    // TLS): keeps the last error for the failure it explains.
    static void onLog(mosquitto *, void *self, int level, const char *text) {
        if ((level & MOSQ_LOG_ERR) == 0 || !text)
            return;
        auto *client = static_cast<MqttClient *>(self);
        const std::lock_guard<std::mutex> lock(client->m_libraryErrorLock);
        client->m_libraryError = QString::fromUtf8(text);
    }

    // An encrypted key: no prompt on a terminal (a service has none), a
    // clear failure instead.
    static int noKeyPassphrase(char *, int, int, void *) { return 0; }

    static void onPublish(mosquitto *, void *self, int mid, int reasonCode,
                          const mosquitto_property *) {
        auto *client = static_cast<MqttClient *>(self);
        later(client, [client, mid, reasonCode] { Q_EMIT client->published(mid, reasonCode); });
    }

    static void onMessage(mosquitto *, void *self, const mosquitto_message *message,
                          const mosquitto_property *props) {
        MqttClient::UserProperties properties;
        bool skipFirst = false;
        for (const mosquitto_property *p = props; p; skipFirst = true) {
            char *name = nullptr;
            char *value = nullptr;
            p = mosquitto_property_read_string_pair(p, MQTT_PROP_USER_PROPERTY, &name, &value,
                                                    skipFirst);
            if (!p)
                break;
            properties.insert(QByteArray(name), QByteArray(value));
            std::free(name);
            std::free(value);
        }
        const QByteArray payload(static_cast<const char *>(message->payload), message->payloadlen);
        auto *client = static_cast<MqttClient *>(self);
        later(client, [client, topic = QString::fromUtf8(message->topic), payload,
                       retained = message->retain, properties] {
            Q_EMIT client->messageReceived(topic, payload, retained, properties);
        });
    }
};

MqttClient::MqttClient(Options options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options)) {
    initLibrary();
    const QByteArray id = utf8(m_options.clientId);
    m_handle = mosquitto_new(id.isEmpty() ? nullptr : id.constData(), m_options.cleanStart, this);
    Q_ASSERT(m_handle); // only fails out of memory or with an empty ID and no clean start
    mosquitto_int_option(m_handle, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5);
    mosquitto_int_option(m_handle, MOSQ_OPT_TCP_NODELAY, 1);
    if (m_options.receiveMaximum > 0)
        setUp(mosquitto_int_option(m_handle, MOSQ_OPT_RECEIVE_MAXIMUM, m_options.receiveMaximum),
              "setting the receive maximum");
    mosquitto_connect_v5_callback_set(m_handle, &MqttCallbacks::onConnect);
    mosquitto_disconnect_v5_callback_set(m_handle, &MqttCallbacks::onDisconnect);
    mosquitto_publish_v5_callback_set(m_handle, &MqttCallbacks::onPublish);
    mosquitto_message_v5_callback_set(m_handle, &MqttCallbacks::onMessage);
    mosquitto_log_callback_set(m_handle, &MqttCallbacks::onLog);
    if (!m_options.username.isEmpty())
        setUp(mosquitto_username_pw_set(
                  m_handle, utf8(m_options.username).constData(),
                  m_options.password.isEmpty() ? nullptr : m_options.password.constData()),
              "setting the credentials");
    if (m_options.broker.tls) {
        const QByteArray ca = QFile::encodeName(m_options.caFile);
        const QByteArray cert = QFile::encodeName(m_options.certFile);
        const QByteArray key = QFile::encodeName(m_options.keyFile);
        setUp(mosquitto_tls_set(m_handle, ca.isEmpty() ? nullptr : ca.constData(),
                                ca.isEmpty() ? "/etc/ssl/certs" : nullptr,
                                cert.isEmpty() ? nullptr : cert.constData(),
                                key.isEmpty() ? nullptr : key.constData(),
                                &MqttCallbacks::noKeyPassphrase),
              "setting up TLS");
    }
    if (!m_options.willTopic.isEmpty()) {
        mosquitto_property *props = nullptr;
        if (m_options.willDelaySeconds > 0)
            mosquitto_property_add_int32(&props, MQTT_PROP_WILL_DELAY_INTERVAL,
                                         m_options.willDelaySeconds);
        if (m_options.willExpirySeconds > 0)
            mosquitto_property_add_int32(&props, MQTT_PROP_MESSAGE_EXPIRY_INTERVAL,
                                         m_options.willExpirySeconds);
        const int rc = mosquitto_will_set_v5(m_handle, utf8(m_options.willTopic).constData(),
                                             int(m_options.willPayload.size()),
                                             m_options.willPayload.constData(), 1, true, props);
        if (rc != MOSQ_ERR_SUCCESS)
            mosquitto_property_free_all(&props); // taken only on success
        setUp(rc, "setting the last will");
    }

    m_miscTimer.setInterval(kMiscIntervalMs);
    connect(&m_miscTimer, &QTimer::timeout, this, [this] {
        if (m_connecting.isRunning())
            return;
        afterLoop(mosquitto_loop_misc(m_handle));
    });
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &MqttClient::connectNow);
    connect(&m_connecting, &QFutureWatcher<int>::finished, this, &MqttClient::connectFinished);
}

MqttClient::~MqttClient() {
    m_running = false;
    m_connecting.waitForFinished(); // the pool thread uses the handle
    dropNotifiers();
    mosquitto_destroy(m_handle);
}

void MqttClient::setUp(int rc, const char *what) {
    // Said by start(): nothing is connected to problem() yet.
    if (rc != MOSQ_ERR_SUCCESS)
        m_setupProblems.append(QStringLiteral("%1: %2").arg(
            QLatin1String(what), QString::fromUtf8(mosquitto_strerror(rc))));
}

void MqttClient::check(int rc, const char *what) {
    if (rc != MOSQ_ERR_SUCCESS)
        Q_EMIT problem(QStringLiteral("MQTT: %1: %2")
                           .arg(QLatin1String(what), QString::fromUtf8(mosquitto_strerror(rc))));
}

QString MqttClient::reasonText(int reasonCode) {
    return QStringLiteral("%1 (0x%2)")
        .arg(QString::fromUtf8(mosquitto_reason_string(reasonCode)))
        .arg(reasonCode, 2, 16, QLatin1Char('0'));
}

void MqttClient::start() {
    if (m_running)
        return;
    // A connection that cannot be made as asked (mqtts:// with a libmosquitto
    // built without TLS, as the Windows build's is) is never made otherwise.
    if (!m_setupProblems.isEmpty()) {
        Q_EMIT refused(
            QStringLiteral("cannot connect to %1 as asked: %2")
                .arg(m_options.broker.toString(), m_setupProblems.join(QStringLiteral("; "))));
        return;
    }
    m_running = true;
    m_refused = false;
    m_miscTimer.start();
    connectNow();
}

void MqttClient::connectNow() {
    if (!m_running || m_connecting.isRunning())
        return;
    dropNotifiers();
    mosquitto_property *props = nullptr;
    if (m_options.sessionExpirySeconds > 0)
        mosquitto_property_add_int32(&props, MQTT_PROP_SESSION_EXPIRY_INTERVAL,
                                     m_options.sessionExpirySeconds);
    const QByteArray host = utf8(m_options.broker.host);
    const int port = m_options.broker.port;
    const int keepAlive = m_options.keepAliveSeconds;
    mosquitto *handle = m_handle;
    // Blocks on DNS, TCP and TLS: never on this thread.
    // (stop() waits for it: `this` outlives it.)
    m_connecting.setFuture(
        QtConcurrent::run([this, handle, host, port, keepAlive, props]() mutable {
            const int rc = mosquitto_connect_bind_v5(handle, host.constData(), port, keepAlive,
                                                     nullptr, props);
            const int error = errno; // this thread's
            mosquitto_property_free_all(&props);
            const std::lock_guard<std::mutex> lock(m_libraryErrorLock);
            m_connectErrno = error;
            return rc;
        }));
}

void MqttClient::connectFinished() {
    const int rc = m_connecting.result();
    if (!m_running)
        return;
    if (rc != MOSQ_ERR_SUCCESS) {
        QString why;
        {
            const std::lock_guard<std::mutex> lock(m_libraryErrorLock);
            why = rc == MOSQ_ERR_ERRNO ? QString::fromLocal8Bit(std::strerror(m_connectErrno))
                                       : QString::fromUtf8(mosquitto_strerror(rc));
        }
        why += takeLibraryError();
        lost(QStringLiteral("cannot connect to %1: %2").arg(m_options.broker.toString(), why));
        return;
    }
    const int fd = mosquitto_socket(m_handle);
    m_readNotifier = std::make_unique<QSocketNotifier>(fd, QSocketNotifier::Read);
    connect(m_readNotifier.get(), &QSocketNotifier::activated, this,
            [this] { afterLoop(mosquitto_loop_read(m_handle, 1)); });
    m_writeNotifier = std::make_unique<QSocketNotifier>(fd, QSocketNotifier::Write);
    connect(m_writeNotifier.get(), &QSocketNotifier::activated, this,
            [this] { afterLoop(mosquitto_loop_write(m_handle, 1)); });
    updateWriteNotifier();
}

void MqttClient::afterLoop(int rc) {
    if (rc != MOSQ_ERR_SUCCESS)
        lost(QStringLiteral("connection to %1 lost: %2")
                 .arg(m_options.broker.toString(),
                      QString::fromUtf8(mosquitto_strerror(rc)) + takeLibraryError()));
    else
        updateWriteNotifier();
}

QString MqttClient::takeLibraryError() {
    // A TLS handshake may fail in connect or in the first reads after it.
    const std::lock_guard<std::mutex> lock(m_libraryErrorLock);
    QString said =
        m_libraryError.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(m_libraryError);
    m_libraryError.clear();
    return said;
}

void MqttClient::lost(const QString &why) {
    const bool wasConnected = m_connected;
    m_connected = false;
    dropNotifiers();
    if (!m_running || m_refused)
        return;
    if (wasConnected || m_retryMs == 0)
        Q_EMIT disconnected(why);
    // Back off: first retry soon (a broker restart), then less and less often.
    m_retryMs = m_retryMs == 0 ? m_options.firstRetryMs : qMin(m_retryMs * 2, m_options.maxRetryMs);
    if (!m_retryTimer.isActive() && !m_connecting.isRunning())
        m_retryTimer.start(m_retryMs);
}

void MqttClient::dropNotifiers() {
    // deleteLater: this may run inside one of their own activated() signals.
    if (m_readNotifier) {
        m_readNotifier->setEnabled(false);
        m_readNotifier.release()->deleteLater();
    }
    if (m_writeNotifier) {
        m_writeNotifier->setEnabled(false);
        m_writeNotifier.release()->deleteLater();
    }
}

void MqttClient::updateWriteNotifier() {
    if (m_writeNotifier)
        m_writeNotifier->setEnabled(mosquitto_want_write(m_handle));
}

int MqttClient::publish(const QString &topic, const QByteArray &payload, int qos, bool retain,
                        quint32 expirySeconds, const UserProperties &properties) {
    if (!m_connected) {
        Q_EMIT problem(QStringLiteral("MQTT: not connected, cannot publish to %1").arg(topic));
        return -1;
    }
    mosquitto_property *props = nullptr;
    if (expirySeconds > 0)
        mosquitto_property_add_int32(&props, MQTT_PROP_MESSAGE_EXPIRY_INTERVAL, expirySeconds);
    for (auto it = properties.cbegin(); it != properties.cend(); ++it)
        mosquitto_property_add_string_pair(&props, MQTT_PROP_USER_PROPERTY, it.key().constData(),
                                           it.value().constData());
    int mid = -1;
    const int rc =
        mosquitto_publish_v5(m_handle, &mid, utf8(topic).constData(), int(payload.size()),
                             payload.constData(), qos, retain, props);
    mosquitto_property_free_all(&props);
    if (rc != MOSQ_ERR_SUCCESS) {
        check(rc, "publishing");
        return -1;
    }
    updateWriteNotifier();
    return mid;
}

bool MqttClient::subscribe(const QString &filter, int qos) {
    const int rc =
        mosquitto_subscribe_v5(m_handle, nullptr, utf8(filter).constData(), qos, 0, nullptr);
    check(rc, "subscribing");
    updateWriteNotifier();
    return rc == MOSQ_ERR_SUCCESS;
}

void MqttClient::stop(int timeoutMs) {
    if (!m_running)
        return;
    m_running = false;
    m_retryTimer.stop();
    m_connecting.waitForFinished();
    if (m_connected) {
        mosquitto_disconnect_v5(m_handle, MQTT_RC_NORMAL_DISCONNECTION, nullptr);
        // Write what is queued (the offline status, the DISCONNECT).
        const QDeadlineTimer deadline(timeoutMs);
        while (mosquitto_want_write(m_handle) && !deadline.hasExpired()) {
            if (mosquitto_loop_write(m_handle, 1) != MOSQ_ERR_SUCCESS)
                break;
            if (mosquitto_want_write(m_handle))
                QThread::msleep(5);
        }
    }
    m_connected = false;
    m_miscTimer.stop();
    dropNotifiers();
}

} // namespace kw
