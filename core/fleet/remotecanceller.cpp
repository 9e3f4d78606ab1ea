// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "fleet/remotecanceller.h"

#include "fleet/fleettopics.h"
#include "fleet/mqttclient.h"
#include "fleet/remotecancel.h"
#include "protocol/timestamp.h"

namespace kw {

namespace {
constexpr int kFirstFailure = 0x80; // v5 reason codes from here on are refusals
constexpr int kNoMatchingSubscribers = 0x10;
constexpr int kExpiryMarginMs = 1000;

QString brokerRefusal(const QString &host, int reasonCode) {
    return QStringLiteral("the broker refused this desktop's command to %1: %2 (its ACL lets "
                          "only admin desktops write %3; docs/fleet.md)")
        .arg(host, MqttClient::reasonText(reasonCode), FleetTopics::cancelTopic(host));
}
} // namespace

struct RemoteCanceller::Pending {
    QString host;
    QString sessionId;
    int expirySeconds = 0;
    QTimer timeout;
};

RemoteCanceller::RemoteCanceller(MqttClient &client, QObject *parent)
    : QObject(parent)
    , m_client(client) {
    connect(&m_client, &MqttClient::connected, this, &RemoteCanceller::subscribe);
    connect(&m_client, &MqttClient::published, this, &RemoteCanceller::published);
    connect(&m_client, &MqttClient::messageReceived, this,
            [this](const QString &topic, const QByteArray &payload) {
                const FleetTopics::Parsed parsed = FleetTopics::parse(topic);
                if (parsed.kind == FleetTopics::Parsed::Kind::Replies)
                    replied(parsed.host, payload);
            });
    if (m_client.isConnected())
        subscribe();
}

RemoteCanceller::~RemoteCanceller() = default;

void RemoteCanceller::subscribe() {
    // Before any request on this connection: the broker handles a
    // connection's packets in order, so no answer can come first.
    m_client.subscribe(FleetTopics::allRepliesFilter(), 1);
}

QString RemoteCanceller::cancel(const QString &host, const QString &sessionId, int expirySeconds) {
    QString requestId = RemoteCancel::newRequestId();
    auto pending = std::make_shared<Pending>();
    pending->host = host;
    pending->sessionId = sessionId;
    pending->expirySeconds = expirySeconds;
    m_pending.insert(requestId, pending);
    if (!m_client.isConnected()) {
        // Through a queued call: the caller connects finished() after this returns.
        QMetaObject::invokeMethod(
            this,
            [this, requestId] {
                end(requestId, false,
                    QStringLiteral("not connected to the broker %1")
                        .arg(m_client.options().broker.toString()));
            },
            Qt::QueuedConnection);
        return requestId;
    }
    const RemoteCancel::Request request{requestId, sessionId,
                                        Timestamp::nowMs() + qint64(expirySeconds) * 1000};
    const int messageId = m_client.publish(FleetTopics::cancelTopic(host), request.encode(), 1,
                                           false, quint32(expirySeconds));
    if (messageId < 0) {
        QMetaObject::invokeMethod(
            this,
            [this, requestId, host] {
                end(requestId, false, QStringLiteral("could not send the cancel to %1").arg(host));
            },
            Qt::QueuedConnection);
        return requestId;
    }
    m_requestOfMessage.insert(messageId, requestId);
    // "Will not run" must be true when said: a precise timer (a coarse one
    // may fire 5 % early), a second after the request's own expiry.
    pending->timeout.setSingleShot(true);
    pending->timeout.setTimerType(Qt::PreciseTimer);
    connect(&pending->timeout, &QTimer::timeout, this, [this, requestId] {
        const auto p = m_pending.value(requestId);
        if (!p)
            return;
        end(requestId, false,
            QStringLiteral("%1 did not answer within %2 s; the cancel has expired and will not "
                           "run (is its agent online?)")
                .arg(p->host)
                .arg(p->expirySeconds));
    });
    pending->timeout.start(expirySeconds * 1000 + kExpiryMarginMs);
    return requestId;
}

void RemoteCanceller::probe(const QString &host) {
    if (!m_client.isConnected()) {
        Q_EMIT commandAccess(host, QStringLiteral("not connected to the broker"));
        return;
    }
    // Nobody subscribes to cmd/probe: the broker's PUBACK is the whole answer.
    const int messageId = m_client.publish(FleetTopics::probeTopic(host), {}, 1, false, 1);
    if (messageId < 0)
        Q_EMIT commandAccess(host, QStringLiteral("could not ask the broker"));
    else
        m_probeOfMessage.insert(messageId, host);
}

void RemoteCanceller::published(int messageId, int reasonCode) {
    if (const QString host = m_probeOfMessage.take(messageId); !host.isEmpty()) {
        Q_EMIT commandAccess(host, reasonCode >= kFirstFailure ? brokerRefusal(host, reasonCode)
                                                               : QString());
        return;
    }
    const QString requestId = m_requestOfMessage.take(messageId);
    const auto pending = m_pending.value(requestId);
    if (!pending)
        return;
    if (reasonCode >= kFirstFailure)
        end(requestId, false, brokerRefusal(pending->host, reasonCode));
    else if (reasonCode == kNoMatchingSubscribers)
        end(requestId, false,
            QStringLiteral("no agent of %1 takes cancels (it is offline, or its agent was "
                           "started without --allow-remote-cancel)")
                .arg(pending->host));
}

void RemoteCanceller::replied(const QString &host, const QByteArray &payload) {
    QString error;
    const std::optional<RemoteCancel::Reply> reply = RemoteCancel::Reply::decode(payload, &error);
    if (!reply)
        return; // not an answer to anything of ours we could match
    const auto pending = m_pending.value(reply->requestId);
    // The answer counts only from the host asked (the topic's, never the payload's).
    if (!pending || pending->host != host || pending->sessionId != reply->sessionId)
        return;
    end(reply->requestId, reply->accepted, reply->message);
}

void RemoteCanceller::end(const QString &requestId, bool accepted, const QString &message) {
    const std::shared_ptr<Pending> pending = m_pending.take(requestId);
    if (!pending)
        return;
    pending->timeout.stop();
    for (auto it = m_requestOfMessage.begin(); it != m_requestOfMessage.end();)
        it = it.value() == requestId ? m_requestOfMessage.erase(it) : std::next(it);
    Q_EMIT finished(requestId, pending->host, pending->sessionId, accepted, message);
}

} // namespace kw
