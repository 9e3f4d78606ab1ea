// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "fleet/fleettopics.h"

#include "protocol/sessionid.h"

#include <QStringList>

namespace kw::FleetTopics {

namespace {

constexpr qsizetype kMaxHostLength = 63;

QString root() {
    return QLatin1String(kRoot);
}

QString sessionTopic(const QString &host, const QString &sessionId, QLatin1String leaf) {
    return root() + u'/' + host + QLatin1String("/sessions/") + escapeSessionId(sessionId) + u'/'
           + leaf;
}

// The characters escaped in a session ID's segment, with their codes.
struct Escape {
    char16_t character;
    QLatin1String code;
};
constexpr Escape kEscapes[] = {
    {u'%', QLatin1String("%25")},
    {u'+', QLatin1String("%2B")},
    {u'#', QLatin1String("%23")},
    {u'/', QLatin1String("%2F")},
};

} // namespace

QString hostProblem(QStringView host) {
    if (host.isEmpty())
        return QStringLiteral("host name is empty");
    if (host.size() > kMaxHostLength)
        return QStringLiteral("host name is %1 characters long (at most %2)")
            .arg(host.size())
            .arg(kMaxHostLength);
    for (qsizetype i = 0; i < host.size(); ++i) {
        const char16_t c = host[i].unicode();
        const bool alnum = (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9');
        if (alnum || (i > 0 && (c == u'.' || c == u'-')))
            continue;
        return QStringLiteral("host name %1 may hold only a-z, 0-9, '.' and '-', and must start "
                              "with a letter or digit")
            .arg(SessionId::quoted(host));
    }
    return {};
}

QString escapeSessionId(QStringView sessionId) {
    QString result;
    result.reserve(sessionId.size());
    for (const QChar c : sessionId) {
        bool escaped = false;
        for (const Escape &e : kEscapes) {
            if (c.unicode() == e.character) {
                result += e.code;
                escaped = true;
                break;
            }
        }
        if (!escaped)
            result += c;
    }
    return result;
}

QString unescapeSessionId(QStringView segment, QString *error) {
    QString result;
    for (qsizetype i = 0; i < segment.size(); ++i) {
        if (segment[i] != u'%') {
            result += segment[i];
            continue;
        }
        bool known = false;
        for (const Escape &e : kEscapes) {
            if (segment.mid(i, 3).compare(e.code, Qt::CaseInsensitive) == 0) {
                result += QChar(e.character);
                i += 2;
                known = true;
                break;
            }
        }
        if (!known) {
            if (error)
                *error = QStringLiteral("session segment %1 has an unknown escape at %2")
                             .arg(SessionId::quoted(segment))
                             .arg(i);
            return {};
        }
    }
    const QString problem = SessionId::validationError(result);
    if (!problem.isEmpty()) {
        if (error)
            *error = problem;
        return {};
    }
    return result;
}

QString statusTopic(const QString &host) {
    return root() + u'/' + host + QLatin1String("/status");
}

QString eventsTopic(const QString &host, const QString &sessionId) {
    return sessionTopic(host, sessionId, QLatin1String("events"));
}

QString stateTopic(const QString &host, const QString &sessionId) {
    return sessionTopic(host, sessionId, QLatin1String("state"));
}

QString replayTopic(const QString &host) {
    return root() + u'/' + host + QLatin1String("/cmd/replay");
}

QString cancelTopic(const QString &host) {
    return root() + u'/' + host + QLatin1String("/cmd/cancel");
}

QString probeTopic(const QString &host) {
    return root() + u'/' + host + QLatin1String("/cmd/probe");
}

QString repliesTopic(const QString &host) {
    return root() + u'/' + host + QLatin1String("/replies");
}

QString allEventsFilter() {
    return root() + QLatin1String("/+/sessions/+/events");
}

QString allStatesFilter() {
    return root() + QLatin1String("/+/sessions/+/state");
}

QString allStatusFilter() {
    return root() + QLatin1String("/+/status");
}

QString allRepliesFilter() {
    return root() + QLatin1String("/+/replies");
}

Parsed parse(QStringView topic) {
    Parsed parsed;
    const auto fail = [&](const QString &why) {
        parsed = Parsed{};
        parsed.problem = QStringLiteral("topic %1: %2").arg(SessionId::quoted(topic), why);
        return parsed;
    };
    const QStringList parts = topic.toString().split(u'/');
    // keepwatch / v1 / host / ...
    if (parts.size() < 4 || parts[0] != QLatin1String("keepwatch")
        || parts[1] != QLatin1String("v1"))
        return fail(QStringLiteral("not under %1/").arg(root()));
    parsed.host = parts[2];
    const QString hostError = hostProblem(parsed.host);
    if (!hostError.isEmpty())
        return fail(hostError);
    if (parts.size() == 4 && parts[3] == QLatin1String("status")) {
        parsed.kind = Parsed::Kind::Status;
        return parsed;
    }
    if (parts.size() == 4 && parts[3] == QLatin1String("replies")) {
        parsed.kind = Parsed::Kind::Replies;
        return parsed;
    }
    if (parts.size() == 5 && parts[3] == QLatin1String("cmd")) {
        if (parts[4] == QLatin1String("replay"))
            parsed.kind = Parsed::Kind::Replay;
        else if (parts[4] == QLatin1String("cancel"))
            parsed.kind = Parsed::Kind::Cancel;
        else if (parts[4] == QLatin1String("probe"))
            parsed.kind = Parsed::Kind::Probe;
        else
            return fail(QStringLiteral("unknown command %1").arg(parts[4]));
        return parsed;
    }
    if (parts.size() == 6 && parts[3] == QLatin1String("sessions")) {
        QString error;
        parsed.sessionId = unescapeSessionId(parts[4], &error);
        if (parsed.sessionId.isEmpty())
            return fail(error);
        if (parts[5] == QLatin1String("events"))
            parsed.kind = Parsed::Kind::Events;
        else if (parts[5] == QLatin1String("state"))
            parsed.kind = Parsed::Kind::State;
        else
            return fail(QStringLiteral("unknown session topic %1").arg(parts[5]));
        return parsed;
    }
    return fail(QStringLiteral("unknown topic"));
}

} // namespace kw::FleetTopics
