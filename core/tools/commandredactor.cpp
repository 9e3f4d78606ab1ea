// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "tools/commandredactor.h"

#include <QRegularExpression>
#include <algorithm>

namespace kw {

bool CommandRedactor::isSecretOption(QStringView name) {
    // name without leading dashes, lower case
    static const QStringList harmlessSuffixes = {QStringLiteral("-file"), QStringLiteral("_file"),
                                                 QStringLiteral("-fd")};
    for (const QString &suffix : harmlessSuffixes) {
        if (name.endsWith(suffix))
            return false;
    }
    static const QStringList secretWords = {
        QStringLiteral("password"),  QStringLiteral("passwd"),     QStringLiteral("passphrase"),
        QStringLiteral("secret"),    QStringLiteral("token"),      QStringLiteral("api-key"),
        QStringLiteral("apikey"),    QStringLiteral("access-key"), QStringLiteral("auth"),
        QStringLiteral("credential")};
    for (const QString &word : secretWords) {
        if (name.contains(word))
            return true;
    }
    return name == u"pass" || name == u"key";
}

bool CommandRedactor::isSecretVariable(QStringView name) {
    for (QChar c : name) {
        if (!(c.isLetterOrNumber() || c == u'_'))
            return false;
    }
    static const QStringList words = {QStringLiteral("PASSWORD"), QStringLiteral("PASSPHRASE"),
                                      QStringLiteral("SECRET"),   QStringLiteral("TOKEN"),
                                      QStringLiteral("KEY"),      QStringLiteral("PASSWD")};
    const QString upper = name.toString().toUpper();
    if (upper.endsWith(QLatin1String("_FILE")) || upper.endsWith(QLatin1String("_COMMAND")))
        return upper.endsWith(QLatin1String("_COMMAND")); // a command may embed a secret
    for (const QString &w : words) {
        if (upper.contains(w))
            return true;
    }
    return false;
}

QString CommandRedactor::redactUrlCredentials(const QString &text) {
    // scheme://user:password@ -> scheme://user:***@ (the password never
    // contains '@' or '/' unescaped in a valid URL)
    static const QRegularExpression credentials(
        QStringLiteral("([A-Za-z][A-Za-z0-9+.-]*://[^/@:\\s]*):[^/@\\s]*@"));
    QString out = text;
    out.replace(credentials, QStringLiteral("\\1:***@"));
    return out;
}

QString CommandRedactor::redactScript(const QString &script) {
    // The words of a shell script (`sh -c "restic --password=x ..."`), each
    // judged as an argument would be, the whitespace between them kept.
    QStringList words, gaps;
    qsizetype i = 0;
    while (i < script.size()) {
        const qsizetype start = i;
        while (i < script.size() && script.at(i).isSpace())
            ++i;
        gaps.append(script.mid(start, i - start));
        const qsizetype wordStart = i;
        while (i < script.size() && !script.at(i).isSpace())
            ++i;
        words.append(script.mid(wordStart, i - wordStart));
    }
    const QStringList redacted = redact(words);
    QString out;
    out.reserve(script.size());
    for (qsizetype w = 0; w < redacted.size(); ++w)
        out += gaps.at(w) + redacted.at(w);
    return out;
}

QStringList CommandRedactor::redact(const QStringList &argv) {
    QStringList out;
    out.reserve(argv.size());
    bool maskNext = false;
    for (const QString &arg : argv) {
        if (maskNext) {
            out.append(QLatin1String(kMask));
            maskNext = false;
            continue;
        }
        if (std::any_of(arg.cbegin(), arg.cend(), [](QChar c) { return c.isSpace(); })) {
            out.append(redactScript(arg));
            continue;
        }
        if (arg.startsWith(QLatin1Char('-')) && arg.size() > 1) {
            const QString body = arg.mid(arg.startsWith(QLatin1String("--")) ? 2 : 1);
            const qsizetype eq = body.indexOf(QLatin1Char('='));
            const QString name = (eq >= 0 ? body.left(eq) : body).toLower();
            if (isSecretOption(name)) {
                if (eq >= 0)
                    out.append(arg.left(arg.size() - body.size() + eq + 1) + QLatin1String(kMask));
                else {
                    out.append(arg);
                    maskNext = true;
                }
                continue;
            }
        } else if (const qsizetype eq = arg.indexOf(QLatin1Char('='));
                   eq > 0 && isSecretVariable(QStringView(arg).left(eq))) {
            out.append(arg.left(eq + 1) + QLatin1String(kMask));
            continue;
        }
        out.append(redactUrlCredentials(arg));
    }
    return out;
}

} // namespace kw
