// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <optional>
#include <string_view>

namespace kw {

// Appends one flat JSON object to a byte buffer, field by field. Used for the
// protocol's lines and the CLI's output, where the field order is fixed and
// QJsonDocument's allocations and key sorting buy nothing.
class JsonWriter final {
public:
    explicit JsonWriter(QByteArray &out)
        : m_out(out) {}

    void beginObject();
    void endObject();
    void beginArray(std::string_view key = {});
    void endArray();

    void field(std::string_view key, std::string_view utf8Value);
    void field(std::string_view key, const QString &value) { field(key, utf8(value)); }
    void field(std::string_view key, const QByteArray &utf8Value) {
        field(key, std::string_view(utf8Value.constData(), size_t(utf8Value.size())));
    }
    void field(std::string_view key, qint64 value);
    void field(std::string_view key, int value) { field(key, qint64(value)); }
    void field(std::string_view key, double value, int decimals);
    void field(std::string_view key, bool value);
    void field(std::string_view key, const QStringList &values);
    void nullField(std::string_view key);
    void rawField(std::string_view key, std::string_view json); // already valid JSON

    template<typename T>
    void optionalField(std::string_view key, const std::optional<T> &value) {
        if (value)
            field(key, *value);
    }
    void optionalField(std::string_view key, const std::optional<double> &value, int decimals) {
        if (value)
            field(key, *value, decimals);
    }
    // Writes the value, or null when unknown (the CLI's output keeps every key).
    template<typename T>
    void fieldOrNull(std::string_view key, const std::optional<T> &value) {
        if (value)
            field(key, *value);
        else
            nullField(key);
    }
    void stringOrNull(std::string_view key, const QString &value) {
        if (value.isEmpty())
            nullField(key);
        else
            field(key, value);
    }

    void arrayString(std::string_view utf8Value);

    // Escapes a UTF-8 string as a JSON string literal (with the quotes).
    // Invalid UTF-8 is replaced with U+FFFD so the output is always valid.
    static void appendString(QByteArray &out, std::string_view utf8Value);

private:
    std::string_view utf8(const QString &s); // valid until the next call
    void key(std::string_view name);
    void separator();

    QByteArray &m_out;
    bool m_first = true;
    QByteArray m_scratch;
};

} // namespace kw
