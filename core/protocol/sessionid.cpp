// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "protocol/sessionid.h"

#include <QUuid>

namespace kw::SessionId {

namespace {
bool isAllowed(QChar c) {
    const char16_t u = c.unicode();
    if ((u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9'))
        return true;
    switch (u) {
    case u'.':
    case u'_':
    case u'-':
    case u':':
    case u'@':
    case u'+':
    case u'=':
    case u'{':
    case u'}':
        return true;
    default:
        return false;
    }
}
} // namespace

QString validationError(QStringView id) {
    if (id.isEmpty())
        return QStringLiteral("session ID is empty");
    if (id.size() > kMaxLength)
        return QStringLiteral("session ID is %1 characters long (at most %2)")
            .arg(id.size())
            .arg(kMaxLength);
    if (id.front() == u'.' || id.front() == u'-')
        return QStringLiteral("session ID %1 starts with '%2'").arg(quoted(id), id.front());
    if (id.contains(u"..")) // not a path component, but never look like one either
        return QStringLiteral("session ID %1 contains '..'").arg(quoted(id));
    for (QChar c : id) {
        if (!isAllowed(c))
            return QStringLiteral("session ID %1 contains a character that is not allowed (U+%2)")
                .arg(quoted(id))
                .arg(c.unicode(), 4, 16, QLatin1Char('0'));
    }
    return {};
}

bool isInvocationId(QStringView text) {
    if (text.size() != 32)
        return false;
    for (QChar c : text) {
        if (!((c >= QLatin1Char('0') && c <= QLatin1Char('9'))
              || (c >= QLatin1Char('a') && c <= QLatin1Char('f'))))
            return false;
    }
    return true;
}

QString generate() {
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

QString quoted(QStringView untrusted) {
    constexpr qsizetype kShown = 64;
    QString out;
    out.reserve(qMin(untrusted.size(), kShown) + 8);
    out += QLatin1Char('\'');
    for (qsizetype i = 0; i < untrusted.size() && i < kShown; ++i) {
        const QChar c = untrusted[i];
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            out += QStringLiteral("\\x%1").arg(c.unicode(), 2, 16, QLatin1Char('0'));
        else
            out += c;
    }
    out += QLatin1Char('\'');
    if (untrusted.size() > kShown)
        out += QStringLiteral("... (%1 characters)").arg(untrusted.size());
    return out;
}

} // namespace kw::SessionId
