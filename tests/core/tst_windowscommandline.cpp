// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "testmain.h"
#include "wrapper/windowscommandline.h"

#include <QTest>

using namespace kw;

namespace {

bool isBlank(QChar c) {
    return c == u' ' || c == u'\t';
}

// How the Microsoft C runtime splits a command line into argv ("Parsing C++
// command-line arguments", Microsoft's C++ documentation), written from the
// documented rules and independent of the code under test.
QStringList msvcrtSplit(const QString &line) {
    QStringList argv;
    qsizetype i = 0;
    // The program's name: up to the first blank outside quotes; quotes only
    // switch quoting, backslashes are plain.
    QString program;
    bool quoted = false;
    for (; i < line.size() && (quoted || !isBlank(line[i])); ++i) {
        if (line[i] == u'"')
            quoted = !quoted;
        else
            program += line[i];
    }
    argv << program;
    while (true) {
        while (i < line.size() && isBlank(line[i]))
            ++i;
        if (i >= line.size())
            return argv;
        QString arg;
        quoted = false;
        while (i < line.size() && (quoted || !isBlank(line[i]))) {
            qsizetype backslashes = 0;
            while (i < line.size() && line[i] == u'\\') {
                ++backslashes;
                ++i;
            }
            if (i < line.size() && line[i] == u'"') {
                // 2n backslashes and a quote: n backslashes, and the quote
                // switches quoting; 2n+1: n backslashes and a quote.
                arg += QString(backslashes / 2, u'\\');
                if (backslashes % 2) {
                    arg += u'"';
                } else if (quoted && i + 1 < line.size() && line[i + 1] == u'"') {
                    arg += u'"'; // "" inside quotes: a quote
                    ++i;
                } else {
                    quoted = !quoted;
                }
                ++i;
            } else {
                arg += QString(backslashes, u'\\');
                if (i < line.size() && (quoted || !isBlank(line[i])))
                    arg += line[i++];
            }
        }
        argv << arg;
    }
}

// Every string of up to `length` characters from `alphabet`.
QStringList allStrings(const QString &alphabet, int length) {
    QStringList result{QString()};
    QStringList previous{QString()};
    for (int n = 1; n <= length; ++n) {
        QStringList next;
        for (const QString &s : std::as_const(previous))
            for (QChar c : alphabet)
                next << s + c;
        result << next;
        previous = next;
    }
    return result;
}

} // namespace

class TestWindowsCommandLine final : public QObject {
    Q_OBJECT

    // The strings below are escaped by hand: moc 6.4 misreads raw string
    // literals holding quotes and drops the slots after them.
private slots:
    void quotedArgument_data() {
        QTest::addColumn<QString>("argument");
        QTest::addColumn<QString>("quoted");
        auto row = [](const char *name, const char *argument, const char *quoted) {
            QTest::newRow(name) << QString::fromUtf8(argument) << QString::fromUtf8(quoted);
        };
        row("plain", "backup", "backup");
        row("empty", "", "\"\"");
        row("space", "a b", "\"a b\"");
        row("tab", "a\tb", "\"a\tb\"");
        row("newline", "a\nb", "\"a\nb\"");
        row("vertical tab", "a\vb", "\"a\vb\"");
        row("quote", "a\"b", "\"a\\\"b\"");
        row("only a quote", "\"", "\"\\\"\"");
        row("path, left as it is", "C:\\dir\\file.txt", "C:\\dir\\file.txt");
        row("trailing backslashes, no quotes needed", "C:\\dir\\\\", "C:\\dir\\\\");
        row("path with a space", "C:\\Program Files\\x", "\"C:\\Program Files\\x\"");
        row("trailing backslash before the closing quote", "C:\\my dir\\", "\"C:\\my dir\\\\\"");
        row("two trailing backslashes", "a b\\\\", "\"a b\\\\\\\\\"");
        row("backslash before a quote", "a\\\"b", "\"a\\\\\\\"b\"");
        row("two backslashes before a quote", "a\\\\\"b", "\"a\\\\\\\\\\\"b\"");
        row("cmd's command", "echo hi & exit 3", "\"echo hi & exit 3\"");
        row("not ASCII", "café", "café");
        row("not ASCII with a space", "Sauvegarde été", "\"Sauvegarde été\"");
    }
    void quotedArgument() {
        QFETCH(QString, argument);
        QFETCH(QString, quoted);
        QCOMPARE(windowsQuotedArgument(argument), quoted);
        // And the C runtime reads back what was meant.
        QCOMPARE(msvcrtSplit(QStringLiteral("x ") + quoted),
                 (QStringList{QStringLiteral("x"), argument}));
    }

    void commandLine_data() {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("line");
        QTest::newRow("cmd /c") << QStringList{QStringLiteral("cmd"), QStringLiteral("/c"),
                                               QStringLiteral("echo hi & exit 3")}
                                << QStringLiteral("cmd /c \"echo hi & exit 3\"");
        QTest::newRow("program with a space")
            << QStringList{QStringLiteral("C:\\Program Files\\restic\\restic.exe"),
                           QStringLiteral("backup"), QStringLiteral("D:\\My Documents\\")}
            << QStringLiteral(
                   "\"C:\\Program Files\\restic\\restic.exe\" backup \"D:\\My Documents\\\\\"");
        QTest::newRow("program's backslashes are never doubled")
            << QStringList{QStringLiteral("C:\\my tools\\"), QStringLiteral("a")}
            << QStringLiteral("\"C:\\my tools\\\" a");
        QTest::newRow("empty arguments") << QStringList{QStringLiteral("x"), QString(), QString()}
                                         << QStringLiteral("x \"\" \"\"");
        QTest::newRow("program alone")
            << QStringList{QStringLiteral("ping.exe")} << QStringLiteral("ping.exe");
    }
    void commandLine() {
        QFETCH(QStringList, arguments);
        QFETCH(QString, line);
        QCOMPARE(windowsCommandLine(arguments), line);
        QCOMPARE(msvcrtSplit(line), arguments);
    }

    // Every argument of up to 5 characters from the ones that matter reads
    // back unchanged, alone and next to another.
    void everyShortArgumentRoundTrips() {
        const QStringList all = allStrings(QStringLiteral("a \t\"\\"), 5);
        QCOMPARE(all.size(), 1 + 5 + 25 + 125 + 625 + 3125);
        for (const QString &arg : all) {
            const QStringList argv{QStringLiteral("prog"), arg, QStringLiteral("b\\\"")};
            const QString line = windowsCommandLine(argv);
            QVERIFY2(msvcrtSplit(line) == argv, qPrintable(line));
        }
    }
};

KW_TEST_GUILESS_MAIN(TestWindowsCommandLine)
#include "tst_windowscommandline.moc"
