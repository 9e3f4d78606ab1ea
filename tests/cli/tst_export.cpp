// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "testmain.h"
#include "testsupport.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

using namespace kw;
using namespace kw::test;

namespace {

const char *const kHostileTitle = "nightly <script>alert(1)</script>";
const char *const kFormula = "=cmd|' /C calc'!A0";
const char *const kImg = "\"><img src=x onerror=alert(1)>";

QStringList exportArgs(const char *format, const QStringList &more = {}) {
    return QStringList{QStringLiteral("export"), QStringLiteral("--format"),
                       QString::fromUtf8(format)}
           + more;
}

// RFC 4180 records (CRLF, quoted fields with doubled quotes).
QList<QStringList> parseCsv(const QString &text) {
    QList<QStringList> rows;
    QStringList row;
    QString field;
    bool inQuotes = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (inQuotes) {
            if (c == QLatin1Char('"') && i + 1 < text.size() && text[i + 1] == QLatin1Char('"')) {
                field += c;
                ++i;
            } else if (c == QLatin1Char('"')) {
                inQuotes = false;
            } else {
                field += c;
            }
        } else if (c == QLatin1Char('"')) {
            inQuotes = true;
        } else if (c == QLatin1Char(',')) {
            row << field;
            field.clear();
        } else if (c == QLatin1Char('\r') && i + 1 < text.size()
                   && text[i + 1] == QLatin1Char('\n')) {
            row << field;
            rows << row;
            row.clear();
            field.clear();
            ++i;
        } else {
            field += c;
        }
    }
    return rows;
}

QString helperPath() {
    return QFileInfo(cliPath()).absolutePath() + QStringLiteral("/keepwatch-report-pdf");
}

} // namespace

// keepwatch-cli export end to end: sessions made by the real `run`, reports
// parsed back.
class TestExport final : public QObject {
    Q_OBJECT

    TempSpool *m_spool = nullptr;
    QString m_okId, m_failedId;

private slots:
    void initTestCase() {
        m_spool = new TempSpool;
        // A session that succeeded, with hostile output and title...
        const CliResult ok = runCli(
            {QStringLiteral("run"), QStringLiteral("--title"), QString::fromUtf8(kHostileTitle),
             QStringLiteral("--"), QStringLiteral("sh"), QStringLiteral("-c"),
             QStringLiteral("printf '%s\\n' \"$1\" \"$2\" 'all files saved'"), QStringLiteral("sh"),
             QString::fromUtf8(kFormula), QString::fromUtf8(kImg)});
        QCOMPARE(ok.exitCode, 0);
        // ...and one that failed, with an error line logged by the script.
        const CliResult failed =
            runCli({QStringLiteral("run"), QStringLiteral("--title"), QStringLiteral("etc to NAS"),
                    QStringLiteral("--kind"), QStringLiteral("backup"), QStringLiteral("--"),
                    QStringLiteral("sh"), QStringLiteral("-c"),
                    QStringLiteral("\"$0\" log --level error 'Repository /mnt/nas does not exist'; "
                                   "echo some debug; exit 2"),
                    cliPath()});
        QCOMPARE(failed.exitCode, 2);
        const QJsonArray list =
            QJsonDocument::fromJson(runCli({QStringLiteral("list"), QStringLiteral("--json")}).out)
                .array();
        QCOMPARE(list.size(), 2);
        m_okId = list[0].toObject().value(QLatin1String("id")).toString();
        m_failedId = list[1].toObject().value(QLatin1String("id")).toString();
    }
    void cleanupTestCase() { delete m_spool; }

    void json() {
        const CliResult r = runCli(exportArgs("json"));
        QCOMPARE(r.exitCode, 3); // a failed session is in it
        QVERIFY(r.err.isEmpty());
        QJsonParseError error;
        const QJsonObject root = QJsonDocument::fromJson(r.out, &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(root.value(QLatin1String("format")).toString(),
                 QStringLiteral("keepwatch-report"));
        QCOMPARE(root.value(QLatin1String("version")).toInt(), 1);
        QVERIFY(QDateTime::fromString(root.value(QLatin1String("generated")).toString(),
                                      Qt::ISODateWithMs)
                    .isValid());
        const QJsonObject summary = root.value(QLatin1String("summary")).toObject();
        QCOMPARE(summary.value(QLatin1String("sessions")).toInt(), 2);
        QCOMPARE(summary.value(QLatin1String("failed")).toArray(), QJsonArray{m_failedId});
        const QJsonArray sessions = root.value(QLatin1String("sessions")).toArray();
        QCOMPARE(sessions.size(), 2);
        const QJsonObject ok = sessions[0].toObject();
        QCOMPARE(ok.value(QLatin1String("title")).toString(), QString::fromUtf8(kHostileTitle));
        QCOMPARE(ok.value(QLatin1String("state")).toString(), QStringLiteral("succeeded"));
        QStringList messages;
        for (const QJsonValue &l : ok.value(QLatin1String("log")).toArray())
            messages << l.toObject().value(QLatin1String("msg")).toString();
        QCOMPARE(messages, (QStringList{QString::fromUtf8(kFormula), QString::fromUtf8(kImg),
                                        QStringLiteral("all files saved")}));
        const QJsonObject failed = sessions[1].toObject();
        QCOMPARE(failed.value(QLatin1String("state")).toString(), QStringLiteral("failed"));
        QCOMPARE(failed.value(QLatin1String("exit_code")).toInt(), 2);
    }

    void csv() {
        const CliResult r = runCli(exportArgs("csv"));
        QCOMPARE(r.exitCode, 3);
        QVERIFY(r.out.endsWith("\r\n"));
        const QList<QStringList> rows = parseCsv(QString::fromUtf8(r.out));
        QCOMPARE(rows.size(), 3);
        const QStringList &h = rows[0];
        QCOMPARE(rows[1][h.indexOf(QLatin1String("id"))], m_okId);
        QCOMPARE(rows[1][h.indexOf(QLatin1String("title"))], QString::fromUtf8(kHostileTitle));
        QCOMPARE(rows[2][h.indexOf(QLatin1String("state"))], QStringLiteral("failed"));
        QCOMPARE(rows[2][h.indexOf(QLatin1String("exit_code"))], QStringLiteral("2"));
        // The command line starts with sh; the formula is only an argument of it.
        QVERIFY(rows[1][h.indexOf(QLatin1String("command"))].startsWith(QLatin1String("sh -c")));
    }

    void html() {
        const CliResult r = runCli(
            exportArgs("html", {QStringLiteral("--levels"), QStringLiteral("info,warning,error")}));
        QCOMPARE(r.exitCode, 3);
        for (const char *bad : {"<script", "<img", "http:", "https:"})
            QVERIFY2(!r.out.contains(bad), bad);
        QXmlStreamReader xml(r.out);
        QString text;
        while (!xml.atEnd()) {
            xml.readNext();
            if (xml.isCharacters())
                text += xml.text();
            if (xml.isStartElement())
                QVERIFY(xml.name() != u"script" && xml.name() != u"img");
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        for (const QString &s :
             {QString::fromUtf8(kHostileTitle), QString::fromUtf8(kFormula),
              QString::fromUtf8(kImg), QStringLiteral("etc to NAS"),
              QStringLiteral("Repository /mnt/nas does not exist"), m_okId, m_failedId,
              QStringLiteral("Needs attention"), QStringLiteral("Timeline")})
            QVERIFY2(text.contains(s), qPrintable(s));
    }

    void pdf() {
        if (!QFileInfo(helperPath()).isExecutable()) {
            // A core-only build: one clear error line, not a broken file.
            const CliResult r = runCli(exportArgs("pdf"));
            QCOMPARE(r.exitCode, 1);
            QVERIFY2(r.err.contains("PDF reports need keepwatch-report-pdf, built with the window"),
                     r.err.constData());
            QCOMPARE(r.err.count('\n'), 1);
            QVERIFY(r.out.isEmpty());
            // That is all a core-only build can do; the dev build (CI's
            // second stage) makes and reads back a real PDF below.
            return;
        }
        if (QStandardPaths::findExecutable(QStringLiteral("pdftotext")).isEmpty())
            QSKIP("pdftotext (Debian poppler-utils) is not installed");
        QTemporaryDir dir;
        const QString pdf = dir.filePath(QStringLiteral("report.pdf"));
        const CliResult r = runCli(exportArgs("pdf", {QStringLiteral("-o"), pdf}));
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.isEmpty(), r.err.constData());
        QVERIFY(r.out.isEmpty());
        QFile file(pdf);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.read(5) == "%PDF-");
        QProcess p;
        p.start(QStringLiteral("pdftotext"), {QStringLiteral("-layout"), pdf, QStringLiteral("-")});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 0);
        const QString text = QString::fromUtf8(p.readAllStandardOutput());
        for (const char *s : {"Keepwatch report", "etc to NAS", "nightly <script>alert(1)</script>",
                              "Repository /mnt/nas does not exist", "all files saved"})
            QVERIFY2(text.contains(QString::fromUtf8(s)), s);
        // To stdout as well.
        const CliResult out = runCli(exportArgs("pdf"));
        QCOMPARE(out.exitCode, 3);
        QVERIFY(out.out.startsWith("%PDF-"));
    }

    void selection_data() {
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<int>("sessions");
        QTest::addColumn<int>("exitCode");
        QTest::newRow("failed") << QStringList{QStringLiteral("--state"), QStringLiteral("failed")}
                                << 1 << 3;
        QTest::newRow("succeeded")
            << QStringList{QStringLiteral("--state"), QStringLiteral("succeeded")} << 1 << 0;
        QTest::newRow("since 24h")
            << QStringList{QStringLiteral("--since"), QStringLiteral("24h")} << 2 << 3;
        QTest::newRow("since 24h, succeeded")
            << QStringList{QStringLiteral("--since"), QStringLiteral("24h"),
                           QStringLiteral("--state"), QStringLiteral("succeeded")}
            << 1 << 0;
        QTest::newRow("from tomorrow")
            << QStringList{QStringLiteral("--from"),
                           QDateTime::currentDateTime().addDays(1).toString(Qt::ISODate)}
            << 0 << 0;
        QTest::newRow("from/to last year")
            << QStringList{QStringLiteral("--from"),
                           QDateTime::currentDateTimeUtc().addYears(-1).toString(Qt::ISODate),
                           QStringLiteral("--to"),
                           QDateTime::currentDateTimeUtc().addDays(-1).toString(Qt::ISODate)}
            << 0 << 0;
        QTest::newRow("from yesterday to now")
            << QStringList{QStringLiteral("--from"), QStringLiteral("yesterday"),
                           QStringLiteral("--to"), QStringLiteral("now")}
            << 2 << 3;
        QTest::newRow("tool sh") << QStringList{QStringLiteral("--tool"), QStringLiteral("sh")} << 2
                                 << 3;
        QTest::newRow("tool restic")
            << QStringList{QStringLiteral("--tool"), QStringLiteral("restic")} << 0 << 0;
    }
    void selection() {
        QFETCH(QStringList, options);
        QFETCH(int, sessions);
        QFETCH(int, exitCode);
        const CliResult r = runCli(exportArgs("json", options));
        QCOMPARE(r.exitCode, exitCode);
        const QJsonObject root = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(root.value(QLatin1String("sessions")).toArray().size(), sessions);
    }

    void sessionById() {
        const CliResult r = runCli(exportArgs("json", {QStringLiteral("--session"), m_okId}));
        QCOMPARE(r.exitCode, 0);
        const QJsonArray s =
            QJsonDocument::fromJson(r.out).object().value(QLatin1String("sessions")).toArray();
        QCOMPARE(s.size(), 1);
        QCOMPARE(s[0].toObject().value(QLatin1String("id")).toString(), m_okId);
        const CliResult missing =
            runCli(exportArgs("json", {QStringLiteral("--session"), QStringLiteral("nope")}));
        QCOMPARE(missing.exitCode, 1);
        QVERIFY(missing.err.contains("no session"));
    }

    void output() {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("digest.html"));
        const CliResult r =
            runCli(exportArgs("html", {QStringLiteral("--since"), QStringLiteral("24h"),
                                       QStringLiteral("-o"), file}));
        QCOMPARE(r.exitCode, 3);
        QVERIFY(r.out.isEmpty());
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(f.readAll().contains("etc to NAS"));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files),
                 QStringList{QStringLiteral("digest.html")});
    }

    void errors_data() {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QByteArray>("message");
        QTest::newRow("unwritable -o")
            << exportArgs("html", {QStringLiteral("-o"), QStringLiteral("/nonexistent/dir/r.html")})
            << 1 << QByteArray("cannot write /nonexistent/dir/r.html");
        QTest::newRow("unknown format") << exportArgs("docx") << 2 << QByteArray("unknown format");
        QTest::newRow("no format")
            << QStringList{QStringLiteral("export")} << 2 << QByteArray("which format");
        QTest::newRow("bad duration")
            << exportArgs("csv", {QStringLiteral("--since"), QStringLiteral("yesterday")}) << 2
            << QByteArray("--since takes a duration");
        QTest::newRow("bad time") << exportArgs(
            "csv", {QStringLiteral("--from"), QStringLiteral("last tuesday")})
                                  << 2 << QByteArray("is not a time");
        QTest::newRow("since and from")
            << exportArgs("csv", {QStringLiteral("--since"), QStringLiteral("1h"),
                                  QStringLiteral("--from"), QStringLiteral("today")})
            << 2 << QByteArray("not both");
        QTest::newRow("bad state")
            << exportArgs("csv", {QStringLiteral("--state"), QStringLiteral("exploded")}) << 2
            << QByteArray("unknown state");
        QTest::newRow("bad levels")
            << exportArgs("csv", {QStringLiteral("--levels"), QStringLiteral("loud")}) << 2
            << QByteArray("--levels");
        QTest::newRow("unknown option") << exportArgs("csv", {QStringLiteral("--frob")}) << 2
                                        << QByteArray("unknown option --frob");
    }
    void errors() {
        QFETCH(QStringList, arguments);
        QFETCH(int, exitCode);
        QFETCH(QByteArray, message);
        const CliResult r = runCli(arguments);
        QCOMPARE(r.exitCode, exitCode);
        QVERIFY2(r.err.contains(message), r.err.constData());
        QCOMPARE(r.err.count('\n'), 1); // one clear line
        QVERIFY(r.out.isEmpty());
    }
};

KW_TEST_GUILESS_MAIN(TestExport)
#include "tst_export.moc"
