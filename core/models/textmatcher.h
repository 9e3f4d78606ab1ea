#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QRegularExpression>
#include <QString>

namespace kw {

// Case-insensitive substring (or, on request, regular expression) matching
// on UTF-8 bytes. Log lines are stored as UTF-8, and converting each to a
// QString just to search it would cost more than the search: an ASCII
// needle is matched on the bytes directly, only a non-ASCII one decodes.
class TextMatcher final {
public:
    TextMatcher() = default;
    explicit TextMatcher(const QString &pattern, bool regularExpression = false);

    bool isEmpty() const { return m_empty; }
    bool isValid() const { return m_error.isEmpty(); }
    QString errorString() const { return m_error; }

    bool matches(QByteArrayView utf8) const;
    bool matches(QStringView text) const;

private:
    bool m_empty = true;
    bool m_ascii = true;
    bool m_regex = false;
    QByteArray m_lowerAscii; // the needle, lower-cased, when ASCII
    QString m_needle;
    QRegularExpression m_expression;
    QString m_error;
};

} // namespace kw
