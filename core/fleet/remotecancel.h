// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QByteArray>
#include <QString>
#include <optional>

namespace kw {

// Remote cancel through the broker (docs/fleet.md, "Remote cancel"): a
// desktop the broker's ACL lets write keepwatch/v1/<host>/cmd/# asks the
// host's agent (started with --allow-remote-cancel) to cancel one of its
// wrapped sessions on .../cmd/cancel; the agent runs the checks of a local
// cancel and answers on keepwatch/v1/<host>/replies.
//
// MQTT tells a subscriber nothing about who published: the ACL is the only
// guard of who may ask, and every field here is untrusted input, checked
// on decoding.
namespace RemoteCancel {

// How long a request stays valid unless the requester says otherwise.
constexpr int kDefaultExpirySeconds = 30;
constexpr qsizetype kMaxPayloadBytes = 4096;

struct Request {
    // The requester's, to match the answer and to run a repeated request
    // (a QoS 1 redelivery, a second click) once.
    QString requestId;
    QString sessionId;
    // The requester's clock: the agent never acts on it later. The broker
    // drops a request queued longer than its Message Expiry as well; this
    // covers the time it spends in a socket or a stopped agent.
    qint64 expiresMs = 0;

    QByteArray encode() const;
    // nullopt with `error` saying what is wrong with the payload.
    static std::optional<Request> decode(const QByteArray &payload, QString *error);
};

struct Reply {
    QString requestId;
    QString sessionId;
    bool accepted = false; // the wrapper was asked to stop its command
    QString message;       // what was done, or why not, in a sentence

    QByteArray encode() const;
    static std::optional<Reply> decode(const QByteArray &payload, QString *error);
};

// A request ID: 1 to 64 of [A-Za-z0-9-].
QString requestIdProblem(const QString &requestId);
QString newRequestId();

} // namespace RemoteCancel

} // namespace kw
