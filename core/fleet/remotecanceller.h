// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QHash>
#include <QObject>
#include <QString>
#include <QTimer>
#include <memory>

namespace kw {

class MqttClient;

// The desktop's side of remote cancel (docs/fleet.md): asks a host's agent
// to cancel a session, over a connected MqttClient, and says how it ended:
// - the broker refused the request (the ACL grants writing commands to
//   admin desktops only): said at once, from the PUBACK's reason code;
// - nobody listens (no agent of that host takes cancels: the PUBACK's "no
//   matching subscribers");
// - the agent's answer, accepted or why not;
// - no answer within the request's expiry: it will never run.
// `probe` asks the broker the first question alone, with a message nobody
// receives, so a button can say why not before anybody presses it.
class RemoteCanceller final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RemoteCanceller)

public:
    explicit RemoteCanceller(MqttClient &client, QObject *parent = nullptr);
    ~RemoteCanceller() override;

    // The request ID; finished() follows in any case (at once when not
    // connected).
    QString cancel(const QString &host, const QString &sessionId, int expirySeconds);
    // commandAccess() follows.
    void probe(const QString &host);

Q_SIGNALS:
    void finished(const QString &requestId, const QString &host, const QString &sessionId,
                  bool accepted, const QString &message);
    // Whether the broker lets this client write `host`'s commands: `refusal`
    // empty when it does.
    void commandAccess(const QString &host, const QString &refusal);

private:
    struct Pending;
    void subscribe();
    void published(int messageId, int reasonCode);
    void replied(const QString &host, const QByteArray &payload);
    void end(const QString &requestId, bool accepted, const QString &message);

    MqttClient &m_client;
    QHash<QString, std::shared_ptr<Pending>> m_pending; // by request ID
    QHash<int, QString> m_requestOfMessage;             // message ID -> request ID
    QHash<int, QString> m_probeOfMessage;               // message ID -> host
};

} // namespace kw
