// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "protocol/jsonwriter.h"

#include <QLocale>
#include <cmath>
#include <simdjson.h>

namespace kw {

namespace {
void appendEscaped(QByteArray &out, std::string_view s) {
    static const char hex[] = "0123456789abcdef";
    out.append('"');
    size_t runStart = 0;
    for (size_t i = 0; i < s.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f)
            continue;
        out.append(s.data() + runStart, qsizetype(i - runStart));
        runStart = i + 1;
        switch (c) {
        case '"':
            out.append("\\\"", 2);
            break;
        case '\\':
            out.append("\\\\", 2);
            break;
        case '\n':
            out.append("\\n", 2);
            break;
        case '\r':
            out.append("\\r", 2);
            break;
        case '\t':
            out.append("\\t", 2);
            break;
        default: {
            const char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            out.append(esc, 6);
        }
        }
    }
    out.append(s.data() + runStart, qsizetype(s.size() - runStart));
    out.append('"');
}
} // namespace

void JsonWriter::appendString(QByteArray &out, std::string_view s) {
    if (simdjson::validate_utf8(s.data(), s.size())) {
        appendEscaped(out, s);
        return;
    }
    // Child processes print whatever bytes they like; the protocol is UTF-8.
    const QByteArray repaired = QString::fromUtf8(s.data(), qsizetype(s.size())).toUtf8();
    appendEscaped(out, std::string_view(repaired.constData(), size_t(repaired.size())));
}

std::string_view JsonWriter::utf8(const QString &s) {
    m_scratch = s.toUtf8();
    return std::string_view(m_scratch.constData(), size_t(m_scratch.size()));
}

void JsonWriter::separator() {
    if (!m_first)
        m_out.append(',');
    m_first = false;
}

void JsonWriter::key(std::string_view name) {
    separator();
    m_out.append('"');
    m_out.append(name.data(), qsizetype(name.size()));
    m_out.append("\":", 2);
}

void JsonWriter::beginObject() {
    if (!m_first)
        m_out.append(',');
    m_out.append('{');
    m_first = true;
}

void JsonWriter::endObject() {
    m_out.append('}');
    m_first = false;
}

void JsonWriter::beginArray(std::string_view name) {
    if (name.empty())
        separator();
    else
        key(name);
    m_out.append('[');
    m_first = true;
}

void JsonWriter::endArray() {
    m_out.append(']');
    m_first = false;
}

void JsonWriter::field(std::string_view name, std::string_view utf8Value) {
    key(name);
    appendString(m_out, utf8Value);
}

void JsonWriter::field(std::string_view name, qint64 value) {
    key(name);
    m_out.append(QByteArray::number(value));
}

void JsonWriter::field(std::string_view name, double value, int decimals) {
    key(name);
    if (!qIsFinite(value)) {
        m_out.append("null", 4);
        return;
    }
    if (std::abs(value) >= 1e15) {
        // Fixed notation would print an integer of up to 309 digits, which
        // JSON readers (simdjson among them) refuse as too big: the
        // shortest exponent form that reads back as the same double.
        m_out.append(QByteArray::number(value, 'g', QLocale::FloatingPointShortest));
        return;
    }
    QByteArray number = QByteArray::number(value, 'f', decimals);
    if (number.contains('.')) { // "42.50" -> "42.5", "3.00" -> "3"
        while (number.endsWith('0'))
            number.chop(1);
        if (number.endsWith('.'))
            number.chop(1);
    }
    if (number == "-0")
        number = "0";
    m_out.append(number);
}

void JsonWriter::field(std::string_view name, bool value) {
    key(name);
    m_out.append(value ? "true" : "false");
}

void JsonWriter::field(std::string_view name, const QStringList &values) {
    beginArray(name);
    for (const QString &v : values)
        arrayString(utf8(v));
    endArray();
}

void JsonWriter::nullField(std::string_view name) {
    key(name);
    m_out.append("null", 4);
}

void JsonWriter::rawField(std::string_view name, std::string_view json) {
    key(name);
    m_out.append(json.data(), qsizetype(json.size()));
}

void JsonWriter::arrayString(std::string_view utf8Value) {
    separator();
    appendString(m_out, utf8Value);
}

} // namespace kw
