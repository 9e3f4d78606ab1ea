// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "models/textmatcher.h"

#include "models/regexliterals.h"

namespace kw {

namespace {
// The same ASCII-only folding as indexIn (ByteNeedle), so that a
// highlight never disagrees with what matches() said about the line.
qsizetype indexOfAsciiCaseInsensitive(QStringView hay, const QByteArray &lowerNeedle,
                                      qsizetype from) {
    const qsizetype n = lowerNeedle.size();
    for (qsizetype i = from; i + n <= hay.size(); ++i) {
        qsizetype j = 0;
        while (j < n) {
            const char16_t c = hay[i + j].unicode();
            const char16_t lower = (c >= u'A' && c <= u'Z') ? char16_t(c + 32) : c;
            if (lower != char16_t(lowerNeedle[j]))
                break;
            ++j;
        }
        if (j == n)
            return i;
    }
    return -1;
}
} // namespace

TextMatcher::TextMatcher(const QString &pattern, bool regularExpression, Prefilter prefilter)
    : m_empty(pattern.isEmpty())
    , m_regex(regularExpression)
    , m_needle(pattern) {
    if (m_empty)
        return;
    if (m_regex) {
        m_expression =
            QRegularExpression(pattern, QRegularExpression::CaseInsensitiveOption
                                            | QRegularExpression::UseUnicodePropertiesOption);
        if (!m_expression.isValid())
            m_error = QStringLiteral("invalid regular expression at offset %1: %2")
                          .arg(m_expression.patternErrorOffset())
                          .arg(m_expression.errorString());
        else
            m_expression.optimize();
        if (m_error.isEmpty() && prefilter != Prefilter::NoUtf8Regex)
            m_utf8Expression = Utf8Regex(pattern);
        if (m_error.isEmpty() && prefilter == Prefilter::Literals)
            m_prefilter = LiteralFilter(RegexLiterals::required(pattern));
        return;
    }
    for (QChar c : pattern) {
        if (c.unicode() >= 0x80) {
            m_ascii = false;
            break;
        }
    }
    if (!m_ascii)
        return;
    m_lowerAscii = pattern.toLatin1().toLower();
    m_bytes = ByteNeedle(m_lowerAscii);
}

qsizetype TextMatcher::indexIn(QByteArrayView utf8, qsizetype from) const {
    Q_ASSERT(searchesBytes());
    return m_bytes.indexIn(utf8, from);
}

bool TextMatcher::matches(QByteArrayView utf8, Utf8Regex::Text text) const {
    if (m_empty)
        return true;
    if (!m_error.isEmpty())
        return false;
    if (!m_regex && m_ascii)
        return indexIn(utf8) >= 0;
    if (m_regex && !m_prefilter.isEmpty() && !m_prefilter.admits(utf8))
        return false;
    if (m_regex) {
        const Utf8Regex::Answer answer = m_utf8Expression.matches(utf8, text);
        if (answer != Utf8Regex::Answer::Unknown)
            return answer == Utf8Regex::Answer::Yes;
    }
    return matches(QStringView(QString::fromUtf8(utf8)));
}

bool TextMatcher::matches(QStringView text) const {
    if (m_empty)
        return true;
    if (!m_error.isEmpty())
        return false;
    if (m_regex)
        return m_expression.match(text).hasMatch();
    return text.contains(m_needle, Qt::CaseInsensitive);
}

QList<TextRange> TextMatcher::ranges(QStringView text, qsizetype limit) const {
    QList<TextRange> out;
    if (m_empty || !m_error.isEmpty())
        return out;
    if (m_regex) {
        QRegularExpressionMatchIterator it = m_expression.globalMatch(text);
        while (it.hasNext() && out.size() < limit) {
            const QRegularExpressionMatch match = it.next();
            if (match.capturedLength() > 0)
                out.append({match.capturedStart(), match.capturedLength()});
        }
        return out;
    }
    qsizetype from = 0;
    while (out.size() < limit) {
        const qsizetype at = m_ascii ? indexOfAsciiCaseInsensitive(text, m_lowerAscii, from)
                                     : text.indexOf(m_needle, from, Qt::CaseInsensitive);
        if (at < 0)
            break;
        out.append({at, m_needle.size()});
        from = at + m_needle.size();
    }
    return out;
}

} // namespace kw
