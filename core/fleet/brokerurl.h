// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QString>
#include <optional>

namespace kw {

// Where the broker is: mqtt://HOST[:PORT] (plain TCP, default port 1883)
// or mqtts://HOST[:PORT] (TLS, default 8883). Nothing else is accepted: no
// path, no credentials in the URL (they would show in `ps` and logs).
struct BrokerUrl {
    bool tls = false;
    QString host;
    int port = 0;

    // The URL, or nothing with `error` saying what is wrong with `text`.
    static std::optional<BrokerUrl> parse(const QString &text, QString *error);
    QString toString() const;
};

} // namespace kw
