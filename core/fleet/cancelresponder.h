// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "fleet/remotecancel.h"

#include <QFutureWatcher>
#include <QHash>
#include <QObject>
#include <QString>
#include <deque>
#include <functional>

namespace kw {

class MqttClient;

// The agent's side of remote cancel (`keepwatch-cli agent
// --allow-remote-cancel`, docs/fleet.md): requests on keepwatch/v1/<host>/
// cmd/cancel, one at a time, each answered on keepwatch/v1/<host>/replies.
// - Only a session this agent publishes (fileOf) can be named, and it is
//   cancelled by `cancel`, which runs the checks of a local cancel
//   (SpoolSessionCancel) off this thread.
// - A request past its expiry (by this host's clock) is refused unread: a
//   cancel queued through an outage never fires later.
// - A repeated request ID (a QoS 1 redelivery, a second click) gets the
//   first answer again and runs nothing.
class CancelResponder final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CancelResponder)

public:
    // The file a session is published from; empty when it is none of ours.
    using FileOf = std::function<QString(const QString &sessionId)>;
    // Checks and cancels: empty when the wrapper was asked to stop, else
    // why not. Called on a pool thread.
    using Cancel = std::function<QString(const QString &sessionId, const QString &file)>;
    using Clock = std::function<qint64()>;

    CancelResponder(MqttClient &client, QString host, FileOf fileOf, Cancel cancel,
                    QObject *parent = nullptr);
    ~CancelResponder() override;

    // For tests: the clock requests' expiry is compared with.
    void setClock(Clock clock) { m_now = std::move(clock); }

    // How many answered request IDs are remembered against repeats.
    static constexpr int kRememberedRequests = 1024;

Q_SIGNALS:
    // Each decision, for the agent's log.
    void decided(const QString &message);

private:
    void subscribe();
    void received(const QByteArray &payload);
    void runNext();
    void finished();
    void answer(const RemoteCancel::Request &request, bool accepted, const QString &message);

    MqttClient &m_client;
    QString m_host;
    FileOf m_fileOf;
    Cancel m_cancel;
    Clock m_now;
    std::deque<RemoteCancel::Request> m_queue;
    QFutureWatcher<QString> m_running;
    RemoteCancel::Request m_current;
    QHash<QString, RemoteCancel::Reply> m_answered; // by request ID
    std::deque<QString> m_answeredOrder;            // oldest first, to forget
};

} // namespace kw
