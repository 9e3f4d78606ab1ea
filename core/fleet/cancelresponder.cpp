// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "fleet/cancelresponder.h"

#include "fleet/fleettopics.h"
#include "fleet/mqttclient.h"
#include "protocol/sessionid.h"
#include "protocol/timestamp.h"

#include <QtConcurrent/QtConcurrentRun>

namespace kw {

namespace {
// An answer nobody reads for a minute is read by nobody.
constexpr quint32 kReplyExpirySeconds = 60;
} // namespace

CancelResponder::CancelResponder(MqttClient &client, QString host, FileOf fileOf, Cancel cancel,
                                 QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_host(std::move(host))
    , m_fileOf(std::move(fileOf))
    , m_cancel(std::move(cancel))
    , m_now(&Timestamp::nowMs) {
    connect(&m_client, &MqttClient::connected, this, &CancelResponder::subscribe);
    connect(&m_client, &MqttClient::messageReceived, this,
            [this](const QString &topic, const QByteArray &payload) {
                const FleetTopics::Parsed parsed = FleetTopics::parse(topic);
                if (parsed.kind == FleetTopics::Parsed::Kind::Cancel && parsed.host == m_host)
                    received(payload);
            });
    connect(&m_running, &QFutureWatcher<QString>::finished, this, &CancelResponder::finished);
    if (m_client.isConnected())
        subscribe();
}

CancelResponder::~CancelResponder() {
    m_running.waitForFinished();
}

void CancelResponder::subscribe() {
    m_client.subscribe(FleetTopics::cancelTopic(m_host), 1);
}

void CancelResponder::received(const QByteArray &payload) {
    QString error;
    const std::optional<RemoteCancel::Request> request =
        RemoteCancel::Request::decode(payload, &error);
    if (!request) {
        // No request ID to answer to: the log is all there is.
        Q_EMIT decided(QStringLiteral("a cancel request on %1 was ignored: %2")
                           .arg(FleetTopics::cancelTopic(m_host), error));
        return;
    }
    if (const auto done = m_answered.constFind(request->requestId); done != m_answered.cend()) {
        Q_EMIT decided(QStringLiteral("cancel request %1 came again: answered as before, "
                                      "nothing run")
                           .arg(request->requestId));
        m_client.publish(FleetTopics::repliesTopic(m_host), done->encode(), 1, false,
                         kReplyExpirySeconds);
        return;
    }
    const bool queued = std::any_of(m_queue.cbegin(), m_queue.cend(), [&](const auto &r) {
        return r.requestId == request->requestId;
    });
    if (queued || (m_running.isRunning() && m_current.requestId == request->requestId)) {
        Q_EMIT decided(QStringLiteral("cancel request %1 came again while it is handled: its "
                                      "answer is coming, nothing more run")
                           .arg(request->requestId));
        return;
    }
    m_queue.push_back(*request);
    if (!m_running.isRunning())
        runNext();
}

void CancelResponder::runNext() {
    while (!m_queue.empty()) {
        RemoteCancel::Request request = m_queue.front();
        m_queue.pop_front();
        // Checked when its turn comes, not when it arrived.
        const qint64 now = m_now();
        if (now > request.expiresMs) {
            answer(request, false,
                   QStringLiteral("the cancel of session %1 expired at %2 (this host's clock: "
                                  "%3); not run")
                       .arg(SessionId::quoted(request.sessionId),
                            QString::fromLatin1(Timestamp::formatIsoMs(request.expiresMs)),
                            QString::fromLatin1(Timestamp::formatIsoMs(now))));
            continue;
        }
        const QString file = m_fileOf(request.sessionId);
        if (file.isEmpty()) {
            answer(request, false,
                   QStringLiteral("%1 publishes no session %2")
                       .arg(m_host, SessionId::quoted(request.sessionId)));
            continue;
        }
        m_current = request;
        m_running.setFuture(QtConcurrent::run(m_cancel, request.sessionId, file));
        return;
    }
}

void CancelResponder::finished() {
    const QString refusal = m_running.result();
    if (refusal.isEmpty())
        answer(m_current, true,
               QStringLiteral("%1 asked the wrapper of session %2 to stop its command")
                   .arg(m_host, SessionId::quoted(m_current.sessionId)));
    else
        answer(m_current, false, refusal);
    runNext();
}

void CancelResponder::answer(const RemoteCancel::Request &request, bool accepted,
                             const QString &message) {
    const RemoteCancel::Reply reply{request.requestId, request.sessionId, accepted, message};
    m_answered.insert(request.requestId, reply);
    m_answeredOrder.push_back(request.requestId);
    while (m_answeredOrder.size() > size_t(kRememberedRequests)) {
        m_answered.remove(m_answeredOrder.front());
        m_answeredOrder.pop_front();
    }
    Q_EMIT decided(
        QStringLiteral("cancel request %1: %2%3")
            .arg(request.requestId, accepted ? QString() : QStringLiteral("refused: "), message));
    if (m_client.isConnected())
        m_client.publish(FleetTopics::repliesTopic(m_host), reply.encode(), 1, false,
                         kReplyExpirySeconds);
}

} // namespace kw
