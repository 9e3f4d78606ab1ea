// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "fleet/remotecancel.h"

#include "protocol/sessionid.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QUuid>

namespace kw::RemoteCancel {

namespace {

constexpr qsizetype kMaxRequestIdLength = 64;
constexpr qsizetype kMaxMessageLength = 1000;

std::optional<QJsonObject> object(const QByteArray &payload, QString *error) {
    auto fail = [&](const QString &why) {
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (payload.size() > kMaxPayloadBytes)
        return fail(
            QStringLiteral("%1 bytes (at most %2)").arg(payload.size()).arg(kMaxPayloadBytes));
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(payload, &parseError);
    if (!doc.isObject())
        return fail(parseError.error == QJsonParseError::NoError
                        ? QStringLiteral("not a JSON object")
                        : QStringLiteral("not JSON (%1 at byte %2)")
                              .arg(parseError.errorString())
                              .arg(parseError.offset));
    const QJsonObject o = doc.object();
    if (o.value(QLatin1String("v")).toInt() != 1)
        return fail(QStringLiteral("not version 1"));
    return o;
}

// The request and session IDs both kinds carry, checked.
bool readIds(const QJsonObject &o, QString &requestId, QString &sessionId, QString *error) {
    requestId = o.value(QLatin1String("request")).toString();
    sessionId = o.value(QLatin1String("session")).toString();
    QString why = requestIdProblem(requestId);
    if (why.isEmpty())
        why = SessionId::validationError(sessionId);
    if (!why.isEmpty() && error)
        *error = why;
    return why.isEmpty();
}

} // namespace

QString requestIdProblem(const QString &requestId) {
    if (requestId.isEmpty() || requestId.size() > kMaxRequestIdLength)
        return QStringLiteral("the request ID must have 1 to %1 characters")
            .arg(kMaxRequestIdLength);
    for (const QChar c : requestId) {
        const char16_t u = c.unicode();
        if (!((u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9')
              || u == u'-'))
            return QStringLiteral("the request ID %1 may hold only A-Z, a-z, 0-9 and '-'")
                .arg(SessionId::quoted(requestId));
    }
    return {};
}

QString newRequestId() {
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

QByteArray Request::encode() const {
    return QJsonDocument(QJsonObject{{QLatin1String("v"), 1},
                                     {QLatin1String("request"), requestId},
                                     {QLatin1String("session"), sessionId},
                                     {QLatin1String("expires_ms"), expiresMs}})
        .toJson(QJsonDocument::Compact);
}

std::optional<Request> Request::decode(const QByteArray &payload, QString *error) {
    const std::optional<QJsonObject> o = object(payload, error);
    if (!o)
        return std::nullopt;
    Request r;
    if (!readIds(*o, r.requestId, r.sessionId, error))
        return std::nullopt;
    r.expiresMs = o->value(QLatin1String("expires_ms")).toInteger(0);
    if (r.expiresMs <= 0) {
        // A request that never expires could fire after any outage.
        if (error)
            *error = QStringLiteral("no expires_ms: a cancel must say until when it holds");
        return std::nullopt;
    }
    return r;
}

QByteArray Reply::encode() const {
    return QJsonDocument(QJsonObject{{QLatin1String("v"), 1},
                                     {QLatin1String("request"), requestId},
                                     {QLatin1String("session"), sessionId},
                                     {QLatin1String("accepted"), accepted},
                                     {QLatin1String("message"), message.left(kMaxMessageLength)}})
        .toJson(QJsonDocument::Compact);
}

std::optional<Reply> Reply::decode(const QByteArray &payload, QString *error) {
    const std::optional<QJsonObject> o = object(payload, error);
    if (!o)
        return std::nullopt;
    Reply r;
    if (!readIds(*o, r.requestId, r.sessionId, error))
        return std::nullopt;
    r.accepted = o->value(QLatin1String("accepted")).toBool(false);
    // Shown to a person: printable characters only, bounded.
    for (const QChar c : o->value(QLatin1String("message")).toString().left(kMaxMessageLength))
        r.message += c.isPrint() ? c : QChar(u' ');
    return r;
}

} // namespace kw::RemoteCancel
