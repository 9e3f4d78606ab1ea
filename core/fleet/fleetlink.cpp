// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "fleet/fleetlink.h"

#include "fleet/brokersecrets.h"
#include "fleet/brokerurl.h"
#include "fleet/fleetmirror.h"
#include "fleet/remotecanceller.h"
#include "fleet/remotespools.h"
#include "platform/useraccounts.h"
#include "spool/spoollocation.h"

#include <QLockFile>
#include <QSysInfo>

namespace kw {

std::optional<MqttClient::Options> FleetLink::clientOptions(const Access &access, QString *error,
                                                            QString *warning) {
    auto fail = [&](const QString &why) {
        if (error)
            *error = why;
        return std::nullopt;
    };
    QString urlError;
    const std::optional<BrokerUrl> url = BrokerUrl::parse(access.url, &urlError);
    if (!url)
        return fail(QStringLiteral("the broker: %1").arg(urlError));
    if (!url->tls && !QString(access.caFile + access.certFile + access.keyFile).isEmpty())
        return fail(QStringLiteral("certificates need a TLS broker (mqtts://)"));
    MqttClient::Options options;
    options.broker = *url;
    options.caFile = access.caFile;
    options.certFile = access.certFile;
    options.keyFile = access.keyFile;
    options.username = access.username;
    if (const QString tlsError =
            BrokerSecrets::checkTlsFiles(access.caFile, access.certFile, access.keyFile, warning);
        !tlsError.isEmpty())
        return fail(tlsError);
    if (access.passwordFile.isEmpty()) {
        options.password = access.password;
    } else {
        if (access.username.isEmpty())
            return fail(QStringLiteral("a password file needs a user name"));
        if (const QString passwordError =
                BrokerSecrets::readPasswordFile(access.passwordFile, options.password, warning);
            !passwordError.isEmpty())
            return fail(passwordError);
    }
    options.clientId = !access.username.isEmpty()
                           ? access.username
                           : QStringLiteral("keepwatch-window-%1-%2")
                                 .arg(UserAccounts::nameOf(UserAccounts::effectiveUid()),
                                      QSysInfo::machineHostName().toLower());
    FleetMirror::prepareClient(options); // like `collect`
    return options;
}

FleetLink::FleetLink(MqttClient::Options options, QString remoteRoot, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_remoteRoot(std::move(remoteRoot)) {
    m_thread.setObjectName(QStringLiteral("keepwatch-broker"));
}

FleetLink::~FleetLink() {
    if (m_context) {
        QMetaObject::invokeMethod(
            m_context,
            [this] {
                m_client->stop();
                delete m_mirror;
                delete m_canceller;
                delete m_client;
                delete m_lock;
                delete m_context;
            },
            Qt::BlockingQueuedConnection);
    }
    m_thread.quit();
    m_thread.wait();
}

void FleetLink::setState(bool connected, const QString &text) {
    m_connected = connected;
    m_stateText = text;
    Q_EMIT stateChanged();
}

void FleetLink::start() {
    if (m_context)
        return;
    m_thread.start();
    m_context = new QObject;
    m_context->moveToThread(&m_thread);
    const QString broker = m_options.broker.toString();
    QMetaObject::invokeMethod(
        m_context,
        [this, broker] {
            m_client = new MqttClient(m_options);
            m_canceller = new RemoteCanceller(*m_client);
            // One writer per mirror: `collect` or this window, whoever came first.
            bool mirroring = false;
            QString why;
            if (const QString error = SpoolLocation::ensureDirectory(m_remoteRoot);
                !error.isEmpty()) {
                why = error;
            } else {
                m_lock = new QLockFile(RemoteSpools::lockPath(m_remoteRoot));
                m_lock->setStaleLockTime(0);
                mirroring = m_lock->tryLock(0);
                if (!mirroring) {
                    qint64 pid = 0;
                    QString host, app;
                    m_lock->getLockInfo(&pid, &host, &app);
                    why = QStringLiteral("mirrored by %1 (pid %2)").arg(app).arg(pid);
                }
            }
            if (mirroring) {
                FleetMirror::Options mirrorOptions;
                mirrorOptions.directory = m_remoteRoot;
                m_mirror = new FleetMirror(*m_client, mirrorOptions);
                connect(m_mirror, &FleetMirror::problem, this, &FleetLink::problem);
            }
            const QString how = mirroring ? QStringLiteral("mirroring every host")
                                          : QStringLiteral("commands only; hosts %1").arg(why);
            connect(m_client, &MqttClient::connected, this, [this, broker, how, mirroring] {
                m_mirroring = mirroring;
                setState(true, tr("Broker %1: connected, %2").arg(broker, how));
            });
            connect(m_client, &MqttClient::disconnected, this,
                    [this, broker](const QString &reason) {
                        setState(false, tr("Broker %1: %2").arg(broker, reason));
                    });
            connect(m_client, &MqttClient::refused, this, [this, broker](const QString &reason) {
                setState(false, tr("Broker %1 refused this desktop: %2").arg(broker, reason));
            });
            connect(m_client, &MqttClient::problem, this, &FleetLink::problem);
            connect(m_canceller, &RemoteCanceller::finished, this,
                    [this](const QString &, const QString &host, const QString &sessionId,
                           bool accepted, const QString &message) {
                        Q_EMIT cancelFinished(host, sessionId, accepted, message);
                    });
            connect(m_canceller, &RemoteCanceller::commandAccess, this, &FleetLink::commandAccess);
            m_client->start();
        },
        Qt::BlockingQueuedConnection);
    setState(false, tr("Broker %1: connecting…").arg(broker));
}

void FleetLink::cancel(const QString &host, const QString &sessionId, int expirySeconds) {
    if (!m_context) {
        Q_EMIT cancelFinished(host, sessionId, false, tr("not connected to a broker"));
        return;
    }
    QMetaObject::invokeMethod(m_context, [this, host, sessionId, expirySeconds] {
        m_canceller->cancel(host, sessionId, expirySeconds);
    });
}

void FleetLink::probe(const QString &host) {
    if (m_context)
        QMetaObject::invokeMethod(m_context, [this, host] { m_canceller->probe(host); });
}

} // namespace kw
