// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "models/textmatcher.h"

#include <QRandomGenerator>
#include <QTest>

using namespace kw;

namespace {

// What indexIn must answer: the first position at or after `from` where the
// needle occurs, with only A-Z folded (as matches() folds).
qsizetype reference(const QByteArray &hay, const QByteArray &lowerNeedle, qsizetype from) {
    const QByteArray lower = hay.toLower(); // QByteArray::toLower folds ASCII only
    return lower.indexOf(lowerNeedle, from);
}

} // namespace

// TextMatcher::indexIn searches many log lines at once (the log pane's
// filter); it has a SIMD path sixteen bytes at a time and a byte loop for
// what is left, so both, and the seam between them, are compared with a
// plain search on random text.
class TestTextMatcher final : public QObject {
    Q_OBJECT

private slots:
    void indexInAgreesWithAPlainSearch_data() {
        QTest::addColumn<QByteArray>("alphabet");
        QTest::addColumn<QString>("needle");
        // Letters in both cases, and the bytes that OR 0x20 confuses with
        // letters or each other ('@' and '`', '[' and '{'), and UTF-8.
        const QByteArray tricky = QByteArray("aAbB@`[{") + "\xc3\xa9";
        QTest::newRow("one letter") << tricky << QStringLiteral("b");
        QTest::newRow("one symbol") << tricky << QStringLiteral("@");
        QTest::newRow("two, upper-case needle") << tricky << QStringLiteral("AB");
        QTest::newRow("symbols and letters") << tricky << QStringLiteral("a`[b");
        QTest::newRow("17 bytes: longer than a SIMD step")
            << QByteArray("aAbB") << QStringLiteral("abababababababab");
        QTest::newRow("path-like") << QByteArray("/dirfle0123456789.") << QStringLiteral("FILE12");
    }
    void indexInAgreesWithAPlainSearch() {
        QFETCH(QByteArray, alphabet);
        QFETCH(QString, needle);
        const TextMatcher matcher(needle);
        QVERIFY(matcher.searchesBytes());
        QCOMPARE(matcher.byteLength(), needle.size());
        const QByteArray lowerNeedle = needle.toLatin1().toLower();
        QRandomGenerator random(11);
        int found = 0;
        for (int round = 0; round < 3000; ++round) {
            QByteArray hay;
            const int length = int(random.bounded(70));
            for (int i = 0; i < length; ++i)
                hay += alphabet[random.bounded(int(alphabet.size()))];
            if (random.bounded(3) == 0 && hay.size() >= needle.size()) {
                // Plant the needle (in upper case) at a random place.
                const int at = int(random.bounded(int(hay.size() - needle.size()) + 1));
                hay.replace(at, needle.size(), needle.toLatin1().toUpper());
            }
            for (qsizetype from = 0; from <= hay.size(); ++from) {
                const qsizetype expected = reference(hay, lowerNeedle, from);
                const qsizetype actual = matcher.indexIn(hay, from);
                if (actual != expected)
                    QFAIL(qPrintable(QStringLiteral("in \"%1\" from %2: %3, expected %4")
                                         .arg(QString::fromLatin1(hay.toPercentEncoding()))
                                         .arg(from)
                                         .arg(actual)
                                         .arg(expected)));
                found += expected >= 0;
            }
            // matches() says the same about a whole line.
            QCOMPARE(matcher.matches(QByteArrayView(hay)), reference(hay, lowerNeedle, 0) >= 0);
        }
        QVERIFY(found > 100); // the planted needles were found
    }

    // A pattern with non-ASCII letters or a regular expression is matched per
    // line on decoded text; the byte search is not offered for it.
    void byteSearchOnlyForAsciiSubstrings_data() {
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<bool>("regex");
        QTest::addColumn<bool>("bytes");
        QTest::newRow("ascii") << QStringLiteral("Disk full") << false << true;
        QTest::newRow("non-ascii") << QStringLiteral("café") << false << false;
        QTest::newRow("regex") << QStringLiteral("dis[k]") << true << false;
        QTest::newRow("empty") << QString() << false << false;
    }
    void byteSearchOnlyForAsciiSubstrings() {
        QFETCH(QString, pattern);
        QFETCH(bool, regex);
        QFETCH(bool, bytes);
        QCOMPARE(TextMatcher(pattern, regex).searchesBytes(), bytes);
    }
};

QTEST_GUILESS_MAIN(TestTextMatcher)
#include "tst_textmatcher.moc"
