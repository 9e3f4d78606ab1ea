// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "fleet/brokerurl.h"

#include <QUrl>

namespace kw {

namespace {
constexpr int kPlainPort = 1883;
constexpr int kTlsPort = 8883;
} // namespace

std::optional<BrokerUrl> BrokerUrl::parse(const QString &text, QString *error) {
    const auto fail = [&](const QString &why) -> std::optional<BrokerUrl> {
        if (error)
            *error = QStringLiteral("broker URL '%1': %2").arg(text, why);
        return std::nullopt;
    };
    const QUrl url(text, QUrl::StrictMode);
    if (text.isEmpty())
        return fail(QStringLiteral("empty (mqtt://HOST:PORT or mqtts://HOST:PORT)"));
    if (!url.isValid())
        return fail(url.errorString());
    BrokerUrl result;
    if (url.scheme() == QLatin1String("mqtts"))
        result.tls = true;
    else if (url.scheme() != QLatin1String("mqtt"))
        return fail(QStringLiteral("the scheme must be mqtt:// or mqtts://"));
    if (!url.userInfo().isEmpty())
        return fail(QStringLiteral("no credentials in the URL: use --username and "
                                   "--password-file"));
    if (url.host().isEmpty())
        return fail(QStringLiteral("no host"));
    if (!url.path().isEmpty() && url.path() != QLatin1String("/"))
        return fail(QStringLiteral("no path after the port"));
    if (url.hasQuery() || url.hasFragment())
        return fail(QStringLiteral("no query or fragment"));
    result.host = url.host();
    result.port = url.port(result.tls ? kTlsPort : kPlainPort);
    if (result.port <= 0)
        return fail(QStringLiteral("bad port"));
    return result;
}

QString BrokerUrl::toString() const {
    const QString shown = host.contains(u':') ? u'[' + host + u']' : host;
    return (tls ? QLatin1String("mqtts://") : QLatin1String("mqtt://")) + shown + u':'
           + QString::number(port);
}

} // namespace kw
