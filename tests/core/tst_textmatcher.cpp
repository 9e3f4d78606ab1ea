// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "models/regexliterals.h"
#include "models/textmatcher.h"
#include "models/utf8regex.h"
#include "testmain.h"

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

// Lines for the prefilter to be wrong on: pieces of the patterns below, in
// both cases, beside the non-ASCII letters PCRE2 folds to ASCII ones (K
// KELVIN SIGN, LONG S) and some it does not (é, dotless i, dotted I).
QList<QByteArray> trickyLines() {
    static const char *const kPieces[] = {
        "warn",
        "WARN",
        "error",
        "Error",
        "snap",
        "shot",
        "SNAPSHOT",
        "colo",
        "u",
        "r",
        "disk",
        "dis",
        "full",
        " ",
        "file",
        ".",
        "log",
        "xlog",
        "ab",
        "a",
        "b",
        "c",
        "x",
        "12",
        "0",
        "[",
        "]",
        "dir4",
        "/sub1",
        "/",
        "-",
        "ing",
        "key",
        "\\",
        "\n",
        "\t",
        "caf",
        "\xc3\xa9",         // é
        "\xc3\x89",         // É
        "\xe2\x84\xaa",     // K KELVIN SIGN (k)
        "\xc5\xbf",         // ſ LONG S (s)
        "\xc4\xb1",         // ı dotless i
        "\xc4\xb0",         // İ dotted I
        "\xf0\x9f\x98\x80", // an emoji, two UTF-16 units
        "\xff",             // not UTF-8
    };
    const int pieces = int(std::size(kPieces));
    QList<QByteArray> lines = {QByteArray(),
                               "warning",
                               "ERROR in snapshot",
                               "colour",
                               "color",
                               "disk full",
                               "DIS\xe2\x84\xaa",
                               "\xc5\xbfnapshot",
                               "caf\xc3\xa9",
                               "CAF\xc3\x89",
                               "file.log",
                               "filexlog",
                               "[12] done",
                               "dir40/sub1",
                               "dir4x/sub1",
                               "abab",
                               "ac",
                               "abbbc",
                               "abbbbc",
                               "keY",
                               "\xe2\x84\xaa"
                               "ey",
                               "a{,3}",
                               "\tx\n"};
    QRandomGenerator random(5);
    for (int i = 0; i < 4000; ++i) {
        QByteArray line;
        const int n = int(random.bounded(6));
        for (int j = 0; j < n; ++j)
            line += kPieces[random.bounded(pieces)];
        lines.append(line);
    }
    return lines;
}

// Every code point beyond ASCII (no surrogates), one after the other.
QString allNonAscii() {
    QString out;
    for (char32_t c = 0x80; c <= 0x10FFFF; ++c) {
        if (c < 0xD800 || c > 0xDFFF)
            out += QStringView(QChar::fromUcs4(c));
    }
    return out;
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

    // A regular expression's prefilter (issue 18 item 4) only ever saves
    // work: with it and without it, every line gets the same answer. The
    // patterns are the ones a literal reader gets wrong; `prefiltered` says
    // whether the pattern gets one (what is not understood gets none).
    void prefilterGivesTheSameAnswers_data() {
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<bool>("prefiltered");
        QTest::newRow("alternation in a group") << QStringLiteral("(warn|error)") << true;
        QTest::newRow("alternation at the top") << QStringLiteral("warn|error") << true;
        QTest::newRow("empty alternative") << QStringLiteral("(|warn)ing") << true;
        QTest::newRow("empty branch at the top") << QStringLiteral("warn|") << false;
        QTest::newRow("optional letter") << QStringLiteral("colou?r") << true;
        QTest::newRow("optional group") << QStringLiteral("disk( full)?") << true;
        QTest::newRow("dot star") << QStringLiteral("error.*snapshot") << true;
        QTest::newRow("lazy and possessive") << QStringLiteral("a.*?b++c") << true;
        QTest::newRow("class") << QStringLiteral("dir4[0-9]/sub1") << true;
        QTest::newRow("class of letters") << QStringLiteral("[k]ey") << true;
        QTest::newRow("negated class") << QStringLiteral("[^a]b") << true;
        QTest::newRow("posix class") << QStringLiteral("[[:digit:]]2") << true;
        QTest::newRow("] first in a class") << QStringLiteral("[]a]b") << true;
        QTest::newRow("range of punctuation") << QStringLiteral("[--/]log") << true;
        QTest::newRow("escaped dot") << QStringLiteral("file\\.log") << true;
        QTest::newRow("digits") << QStringLiteral("\\d+\\]") << true;
        QTest::newRow("anchored, escaped brackets") << QStringLiteral("^\\[[0-9]+\\]") << true;
        QTest::newRow("word boundaries") << QStringLiteral("\\bdisk\\b") << true;
        QTest::newRow("case") << QStringLiteral("ERROR") << true;
        QTest::newRow("k: KELVIN SIGN") << QStringLiteral("DISK") << true;
        QTest::newRow("s: LONG S") << QStringLiteral("snapshot") << true;
        QTest::newRow("non-ASCII letter") << QStringLiteral("caf\u00e9") << true;
        QTest::newRow("non-ASCII only") << QStringLiteral("\u00e9+") << false;
        QTest::newRow("dotless i") << QStringLiteral("\u0131") << false;
        QTest::newRow("emoji") << QStringLiteral("\U0001F600x") << true;
        QTest::newRow("lookahead") << QStringLiteral("warn(?=ing)") << true;
        QTest::newRow("negative lookahead") << QStringLiteral("(?!error)[a-z]+ing") << true;
        QTest::newRow("lookbehind") << QStringLiteral("(?<=a)b") << true;
        QTest::newRow("back reference") << QStringLiteral("(a|b)\\1") << true;
        QTest::newRow("octal or back reference") << QStringLiteral("\\12b") << true;
        QTest::newRow("up to three") << QStringLiteral("ab{0,3}c") << true;
        QTest::newRow("exactly twice") << QStringLiteral("(ab){2}") << true;
        QTest::newRow("atomic and named groups") << QStringLiteral("(?>ab|a)(?<n>c)") << true;
        QTest::newRow("tab and newline escapes") << QStringLiteral("\\tx\\n") << true;
        QTest::newRow("no literal") << QStringLiteral("[0-9]{2}") << false;
        QTest::newRow("dot star alone") << QStringLiteral(".*") << false;
        QTest::newRow("brace that is no quantifier") << QStringLiteral("a{,3}") << false;
        QTest::newRow("inline option") << QStringLiteral("(?-i)ERROR") << false;
        QTest::newRow("extended syntax") << QStringLiteral("(?x) e r r o r") << false;
        QTest::newRow("quoting") << QStringLiteral("\\Qfile.log\\E") << false;
        QTest::newRow("unicode property") << QStringLiteral("\\p{Lu}ab") << false;
        QTest::newRow("named reference") << QStringLiteral("(?P<n>a)(?P=n)") << false;
    }
    void prefilterGivesTheSameAnswers() {
        QFETCH(QString, pattern);
        QFETCH(bool, prefiltered);
        // What the window did before both: every line decoded to UTF-16
        // for QRegularExpression.
        const TextMatcher decoded(pattern, true, TextMatcher::Prefilter::NoUtf8Regex);
        const TextMatcher with(pattern, true);
        const TextMatcher utf8Only(pattern, true, TextMatcher::Prefilter::None);
        QVERIFY2(with.isValid(), qPrintable(with.errorString()));
        QCOMPARE(with.prefilter() != nullptr, prefiltered);
        QVERIFY(!utf8Only.prefilter());
        QVERIFY(!decoded.prefilter());
        int matched = 0;
        for (const QByteArray &line : trickyLines()) {
            const bool expected = decoded.matches(QByteArrayView(line));
            for (const auto *matcher : {&with, &utf8Only}) {
                if (matcher->matches(QByteArrayView(line)) != expected)
                    QFAIL(qPrintable(
                        QStringLiteral("\"%1\": %2 %3")
                            .arg(QString::fromUtf8(line))
                            .arg(expected ? QStringLiteral("no match") : QStringLiteral("a match"))
                            .arg(matcher == &with ? QStringLiteral("with the prefilter")
                                                  : QStringLiteral("on UTF-8 bytes"))));
            }
            matched += expected;
        }
        QVERIFY(matched > 0); // the lines do test the pattern
    }

    // Valid UTF-8 is answered on the bytes, without decoding; a line that
    // is not, by the decoded way (Unknown). Where PCRE2's 8-bit library is
    // not built in (Windows), everything is Unknown and the decoded way
    // answers all.
    void utf8RegexAnswersValidLinesItself() {
        using Answer = Utf8Regex::Answer;
        const Utf8Regex dots(QStringLiteral("a.b"));
        QVERIFY(!Utf8Regex(QStringLiteral("(open")).isAvailable());
#ifdef KEEPWATCH_TEST_HAVE_PCRE2_8
        QVERIFY(dots.isAvailable());
        QCOMPARE(dots.matches("axb"), Answer::Yes);
        QCOMPARE(dots.matches("AXB", Utf8Regex::Text::ValidUtf8), Answer::Yes);
        QCOMPARE(dots.matches("ayc"), Answer::No);
        QCOMPARE(dots.matches("a\xc3\xa9"
                              "b"),
                 Answer::Yes); // é is one character
        QCOMPARE(dots.matches("a\xff"
                              "b"),
                 Answer::Unknown);
#else
        QVERIFY(!dots.isAvailable());
        QCOMPARE(dots.matches("axb"), Answer::Unknown);
#endif
    }

    // A line that is not valid UTF-8 is read as before, with U+FFFD for the
    // bad byte (which `.` and a negated class match), not as PCRE2 reads
    // bytes; valid lines are matched on their bytes.
    void linesThatAreNotUtf8MatchAsDecoded_data() {
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<bool>("matches");
        QTest::newRow("dot") << QStringLiteral("a.b")
                             << QByteArray("a\xff"
                                           "b")
                             << true;
        QTest::newRow("negated class") << QStringLiteral("x[^y]z") << QByteArray("x\xc3z") << true;
        QTest::newRow("replacement character")
            << QStringLiteral("\\x{fffd}") << QByteArray("cut \xe2\x84") << true;
        QTest::newRow("truncated, no match")
            << QStringLiteral("^[a-z]+$") << QByteArray("abc\xe2") << false;
        QTest::newRow("valid, case folded")
            << QStringLiteral("^CAF\u00c9$") << QByteArray("caf\xc3\xa9") << true;
    }
    void linesThatAreNotUtf8MatchAsDecoded() {
        QFETCH(QString, pattern);
        QFETCH(QByteArray, line);
        QFETCH(bool, matches);
        const TextMatcher matcher(pattern, true, TextMatcher::Prefilter::None);
        QVERIFY2(matcher.isValid(), qPrintable(matcher.errorString()));
        QCOMPARE(matcher.matches(QByteArrayView(line)), matches);
        QCOMPARE(matcher.matches(QStringView(QString::fromUtf8(line))), matches);
    }

    // The prefilter is read from patterns that compile; one that does not
    // still says where and why, and matches nothing.
    void invalidPatternsKeepTheirError_data() {
        QTest::addColumn<QString>("pattern");
        QTest::newRow("open group") << QStringLiteral("(warn");
        QTest::newRow("stray close") << QStringLiteral("warn)");
        QTest::newRow("open class") << QStringLiteral("[a-");
        QTest::newRow("range backwards") << QStringLiteral("[z-a]");
        QTest::newRow("repeat backwards") << QStringLiteral("a{3,1}");
        QTest::newRow("nothing to repeat") << QStringLiteral("*a");
        QTest::newRow("trailing backslash") << QStringLiteral("a\\");
        QTest::newRow("missing reference") << QStringLiteral("(a)\\k<b>");
    }
    void invalidPatternsKeepTheirError() {
        QFETCH(QString, pattern);
        const QRegularExpression expression(pattern,
                                            QRegularExpression::CaseInsensitiveOption
                                                | QRegularExpression::UseUnicodePropertiesOption);
        QVERIFY(!expression.isValid());
        const TextMatcher matcher(pattern, true);
        QVERIFY(!matcher.isValid());
        QCOMPARE(matcher.errorString(),
                 QStringLiteral("invalid regular expression at offset %1: %2")
                     .arg(expression.patternErrorOffset())
                     .arg(expression.errorString()));
        QVERIFY(!matcher.prefilter());
        QVERIFY(!matcher.matches(QByteArrayView("warn a z")));
    }

    // What RegexLiterals reads from some patterns: the sets, best first, a
    // string of each of which a matching line holds.
    void literalsReadFromPatterns_data() {
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<QList<QList<QByteArray>>>("sets");
        using Sets = QList<QList<QByteArray>>;
        QTest::newRow("one literal") << QStringLiteral("Error") << Sets{{"error"}};
        QTest::newRow("two, longer first")
            << QStringLiteral("error.*snapshot") << Sets{{"snapshot", "\xc5\xbf"}, {"error"}};
        QTest::newRow("class joined to its neighbours")
            << QStringLiteral("a[bc]d") << Sets{{"abd", "acd"}};
        QTest::newRow("too many to join")
            << QStringLiteral("dir4[0-9]/sub1") << Sets{{"/sub1", "\xc5\xbf"}, {"dir4"}};
        QTest::newRow("alternatives") << QStringLiteral("(warn|error)") << Sets{{"error", "warn"}};
        QTest::newRow("optional") << QStringLiteral("colou?r") << Sets{{"color", "colour"}};
        QTest::newRow("k's twin") << QStringLiteral("ok") << Sets{{"ok", "\xe2\x84\xaa"}};
        QTest::newRow("punctuation breaks a tie")
            << QStringLiteral("file[0-9]{6}\\.log$") << Sets{{".log"}, {"file"}};
        QTest::newRow("nothing") << QStringLiteral("[0-9]+") << Sets{};
    }
    void literalsReadFromPatterns() {
        QFETCH(QString, pattern);
        QFETCH(QList<QList<QByteArray>>, sets);
        QCOMPARE(RegexLiterals::required(pattern), sets);
    }

    // The prefilter folds ASCII letters only, and adds the UTF-8 of K
    // KELVIN SIGN and LONG S where k and s are asked for: because those two
    // are the only characters beyond ASCII that PCRE2, case-insensitive with
    // Unicode properties, takes for an ASCII character. Asked of the PCRE2
    // this Qt uses, for every printable ASCII character.
    void onlyKelvinAndLongSFoldToAscii() {
        const QString others = allNonAscii();
        for (char16_t c = 0x20; c < 0x7f; ++c) {
            const QRegularExpression expression(
                QRegularExpression::escape(QString(QChar(c))),
                QRegularExpression::CaseInsensitiveOption
                    | QRegularExpression::UseUnicodePropertiesOption);
            QList<char32_t> twins;
            QRegularExpressionMatchIterator it = expression.globalMatch(others);
            while (it.hasNext())
                twins.append(it.next().captured().toUcs4().value(0));
            QList<char32_t> expected;
            if (c == u'k' || c == u'K')
                expected = {0x212A};
            else if (c == u's' || c == u'S')
                expected = {0x017F};
            QCOMPARE(twins, expected);
        }
    }
};

KW_TEST_GUILESS_MAIN(TestTextMatcher)
#include "tst_textmatcher.moc"
