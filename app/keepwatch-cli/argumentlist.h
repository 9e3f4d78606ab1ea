// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QString>
#include <QStringList>
#include <optional>

namespace kw::cli {

// A subcommand's arguments, consumed front to back. Options take their value
// as `--name VALUE` or `--name=VALUE`; `--` ends the options.
class ArgumentList final {
public:
    explicit ArgumentList(QStringList args)
        : m_args(std::move(args)) {}

    bool atEnd() const { return m_pos >= m_args.size(); }
    // The next argument is an option (and not the `--` separator).
    bool nextIsOption() const;
    bool takeSeparator(); // consumes `--` if it is next
    QString peek() const { return atEnd() ? QString() : m_args[m_pos]; }
    QString take() { return atEnd() ? QString() : m_args[m_pos++]; }
    // If the next argument is option `name`, consumes it and its value.
    // `error` is set when the value is missing.
    std::optional<QString> takeOption(const QString &name, QString &error);
    bool takeFlag(const QString &name);
    QStringList rest() {
        QStringList r = m_args.mid(m_pos);
        m_pos = m_args.size();
        return r;
    }

private:
    QStringList m_args;
    qsizetype m_pos = 0;
};

} // namespace kw::cli
