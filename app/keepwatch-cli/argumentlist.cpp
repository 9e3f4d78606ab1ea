// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "argumentlist.h"

namespace kw::cli {

bool ArgumentList::nextIsOption() const {
    const QString next = peek();
    return next.size() > 1 && next.startsWith(QLatin1Char('-')) && next != QLatin1String("--");
}

bool ArgumentList::takeSeparator() {
    if (peek() != QLatin1String("--"))
        return false;
    ++m_pos;
    return true;
}

std::optional<QString> ArgumentList::takeOption(const QString &name, QString &error) {
    const QString next = peek();
    if (next == name) {
        ++m_pos;
        if (atEnd()) {
            error = QStringLiteral("option %1 needs a value").arg(name);
            return std::nullopt;
        }
        return take();
    }
    if (next.startsWith(name + QLatin1Char('='))) {
        ++m_pos;
        return next.mid(name.size() + 1);
    }
    return std::nullopt;
}

bool ArgumentList::takeFlag(const QString &name) {
    if (peek() != name)
        return false;
    ++m_pos;
    return true;
}

} // namespace kw::cli
