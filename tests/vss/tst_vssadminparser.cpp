// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

// vssadmin output in English and French, recorded on real machines
// (tests/fixtures/vss/README.md), and what is left of it when it is cut,
// mangled or not vssadmin at all.

#include "testmain.h"
#include "testsupport.h"
#include "vss/vssadminparser.h"

#include <QtTest>

using namespace kw;

namespace {

QString fixture(const QString &name) {
    return QString::fromUtf8(test::readResource(QStringLiteral(":/fixtures/vss/") + name));
}

QString dumpWriters(const QList<VssAdminWriter> &writers) {
    QStringList out;
    for (const VssAdminWriter &w : writers) {
        out << QStringLiteral("%1|%2|%3|[%4] %5|%6")
                   .arg(w.name, w.writerId, w.instanceId)
                   .arg(w.state)
                   .arg(w.stateText, w.lastError);
    }
    return out.join(u'\n');
}

} // namespace

class TestVssAdminParser final : public QObject {
    Q_OBJECT

private slots:
    void writers_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<bool>("lfOnly"); // the same output with LF line ends
        QTest::addColumn<QString>("expected");
        const QString exchangeFailed =
            QStringLiteral("System "
                           "Writer|{e8132975-6f93-4464-a53e-1050253ae220}|{eb6b4c30-aa48-486a-9618-"
                           "0d1934d180ca}|[1] Stable|No error\n"
                           "Registry "
                           "Writer|{afbab4a2-367d-4d15-a586-71dbb18f8485}|{d3faa119-61c1-4ec4-b163-"
                           "68b43efad58b}|[1] Stable|No error\n"
                           "IIS Metabase "
                           "Writer|{59b1f0cf-90ef-465f-9609-6ca8b2938366}|{d46610d4-d9a9-42c5-87c0-"
                           "246aa1e352ad}|[1] Stable|No error\n"
                           "Event Log "
                           "Writer|{eee8c692-67ed-4250-8d86-390603070d00}|{8e45b579-b747-4967-9b4d-"
                           "17f126bff3bb}|[1] Stable|No error\n"
                           "Microsoft Exchange "
                           "Writer|{76fe1ac4-15f7-4bcd-987e-8e1acb462fb7}|{728c7e4c-d8fa-46cc-999d-"
                           "e20573e08a08}|[7] Failed|Retryable error");
        QTest::newRow("english, exchange failed")
            << "writers-en-exchange-failed.txt" << false << exchangeFailed;
        QTest::newRow("english, LF") << "writers-en-exchange-failed.txt" << true << exchangeFailed;
        QTest::newRow("french") << "writers-fr.txt" << false
                                << QStringLiteral(
                                       "Task Scheduler "
                                       "Writer|{d61d61c8-d73a-4eee-8cdd-f6f9786b7124}|{1bddd48e-"
                                       "5052-49db-9b07-b96f96727e6b}|[1] Stable|Aucune erreur\n"
                                       "VSS Metadata Store "
                                       "Writer|{75dfb225-e2e4-4d39-9ac9-ffaff65ddf06}|{088e7a7d-"
                                       "09a8-4cc6-a609-ad90e75ddc93}|[1] Stable|Aucune erreur\n"
                                       "Performance Counters "
                                       "Writer|{0bada1de-01a9-4625-8278-69e735f39dd2}|{f0086dda-"
                                       "9efc-47c5-8eb6-a944c3d09381}|[1] Stable|Aucune erreur\n"
                                       "System "
                                       "Writer|{e8132975-6f93-4464-a53e-1050253ae220}|{3a440350-"
                                       "edf0-4b35-bbc0-2af9898666f7}|[1] Stable|Aucune erreur");
    }
    void writers() {
        QFETCH(QString, file);
        QFETCH(bool, lfOnly);
        QFETCH(QString, expected);
        QString text = fixture(file);
        if (lfOnly)
            text.remove(u'\r');
        const auto result = VssAdminParser::parseWriters(text);
        QCOMPARE(result.errors, QStringList());
        QCOMPARE(dumpWriters(result.items), expected);
    }

    // Only the layout, [N] and the GUIDs count: another language (German,
    // double quotes; Japanese, full-width colon) reads the same.
    void writersInOtherWordings_data() {
        QTest::addColumn<QString>("text");
        QTest::newRow("german") << QStringLiteral(
            "Verfassername: \"System Writer\"\r\n"
            "   Verfasserkennung: {e8132975-6f93-4464-a53e-1050253ae220}\r\n"
            "   Verfasserinstanzkennung: {eb6b4c30-aa48-486a-9618-0d1934d180ca}\r\n"
            "   Status: [9] Fehlgeschlagen\r\n"
            "   Letzter Fehler: Zeitüberschreitung\r\n");
        QTest::newRow("full-width colon") << QStringLiteral(
            "\u30e9\u30a4\u30bf\u30fc\u540d\uff1a'System Writer'\n"
            "   \u30e9\u30a4\u30bf\u30fc ID\uff1a{E8132975-6F93-4464-A53E-1050253AE220}\n"
            "   \u30e9\u30a4\u30bf\u30fc \u30a4\u30f3\u30b9\u30bf\u30f3\u30b9 "
            "ID\uff1a{EB6B4C30-AA48-486A-9618-0D1934D180CA}\n"
            "   \u72b6\u614b\uff1a[9] \u5931\u6557\n"
            "   \u6700\u5f8c\u306e\u30a8\u30e9\u30fc\uff1a\u30bf\u30a4\u30e0\u30a2\u30a6\u30c8\n");
    }
    void writersInOtherWordings() {
        QFETCH(QString, text);
        const auto result = VssAdminParser::parseWriters(text);
        QCOMPARE(result.errors, QStringList());
        QCOMPARE(result.items.size(), 1);
        const VssAdminWriter &w = result.items.front();
        QCOMPARE(w.name, QStringLiteral("System Writer"));
        QCOMPARE(w.writerId, QStringLiteral("{e8132975-6f93-4464-a53e-1050253ae220}"));
        QCOMPARE(w.instanceId, QStringLiteral("{eb6b4c30-aa48-486a-9618-0d1934d180ca}"));
        QCOMPARE(w.state, 9);
        QVERIFY(!w.lastError.isEmpty());
    }

    void badWriterOutput_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("writers");
        QTest::addColumn<QStringList>("errors");
        const QString en = fixture(QStringLiteral("writers-en-exchange-failed.txt"));
        // Cut inside the last writer, after its instance ID (line 28).
        const QString cut = en.left(en.indexOf(QStringLiteral("   State: [7]")));
        QTest::newRow("cut before the last state")
            << cut << 4
            << QStringList{QStringLiteral("line 25: writer 'Microsoft Exchange Writer' has no "
                                          "state [N] (output cut short?)")};
        QTest::newRow("cut after a name")
            << en.left(en.indexOf(QStringLiteral("   Writer Id: {afbab4a2"))) << 1
            << QStringList{QStringLiteral(
                   "line 7: writer 'Registry Writer' has no writer ID (output cut short?)")};
        QTest::newRow("empty") << QString() << 0 << QStringList{};
        QTest::newRow("vssadmin error") << QStringLiteral(
            "vssadmin 1.1 - Volume Shadow Copy Service administrative command-line tool\r\n"
            "(C) Copyright 2001-2013 Microsoft Corp.\r\n\r\n"
            "Error: You don't have the correct permissions to run this command.  Please run this "
            "utility\r\n"
            "from a command window that has elevated administrator privileges.\r\n")
                                        << 0 << QStringList{};
        QTest::newRow("garbage") << QStringLiteral(
            "\u0001\u0002zz:\n   [x] {not-a-guid}\n\u00ff\u00fe")
                                 << 0
                                 << QStringList{QStringLiteral(
                                        "line 2: detail line outside a writer: [x] {not-a-guid}")};
        QTest::newRow("stray line inside a writer")
            << QStringLiteral("Writer name: 'A'\n   Writer Id: "
                              "{e8132975-6f93-4464-a53e-1050253ae220}\n   nonsense\n"
                              "   Writer Instance Id: {eb6b4c30-aa48-486a-9618-0d1934d180ca}\n   "
                              "State: [1] Stable\n   Last error: No error\n")
            << 1 << QStringList{QStringLiteral("line 3: not understood in writer 'A': nonsense")};
    }
    void badWriterOutput() {
        QFETCH(QString, text);
        QFETCH(int, writers);
        QFETCH(QStringList, errors);
        const auto result = VssAdminParser::parseWriters(text);
        QCOMPARE(result.items.size(), writers);
        QCOMPARE(result.errors, errors);
    }

    void shadows_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("count");
        QTest::addColumn<QString>("first");
        QTest::newRow("english, two sets")
            << "shadows-en.txt" << 2
            << QStringLiteral(
                   "{43dd2d4b-3a58-487a-842d-564143d0501f}|{eef18c41-c6bc-40bb-9863-5491249d2458}|"
                   "9/10/2021 5:49:26 PM|C:|"
                   "\\\\?\\Volume{67a44989-8413-4a7c-a616-79385dae8605}\\|\\\\?"
                   "\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy3|"
                   "ampersand.redmond.corp.microsoft.com|ampersand.redmond.corp.microsoft.com|"
                   "Microsoft Software Shadow Copy provider 1.0|ClientAccessibleWriters|"
                   "Persistent, Client-accessible, No auto release, Differential, Auto recovered");
        QTest::newRow("english, day-first date")
            << "shadows-en-day-first-date.txt" << 1
            << QStringLiteral("{cdf70d69-615e-4c56-9359-c9ca584f0d3e}|{7c036cc7-93e5-4fcd-af60-"
                              "7b6962dd711f}|25-08-2022 12:16:16|C:|"
                              "\\\\?\\Volume{93e4830a-3122-41fd-acfa-b6c2e7f186ec}\\|\\\\?"
                              "\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy1|"
                              "winwork.misthios.ncg.in|winwork.misthios.ncg.in|Microsoft Software "
                              "Shadow Copy provider 1.0|"
                              "ClientAccessible|Persistent, Client-accessible, No auto release, No "
                              "writers, Differential");
    }
    void shadows() {
        QFETCH(QString, file);
        QFETCH(int, count);
        QFETCH(QString, first);
        const auto result = VssAdminParser::parseShadows(fixture(file));
        QCOMPARE(result.errors, QStringList());
        QCOMPARE(result.items.size(), count);
        const VssAdminShadow &s = result.items.front();
        QCOMPARE(QStringList({s.setId, s.shadowId, s.creationTime, s.originalVolume, s.volumeName,
                              s.deviceObject, s.originatingMachine, s.serviceMachine, s.provider,
                              s.type, s.attributes})
                     .join(u'|'),
                 first);
    }

    void badShadowOutput_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("shadows");
        QTest::addColumn<QStringList>("errors");
        const QString en = fixture(QStringLiteral("shadows-en.txt"));
        QTest::newRow("cut before the second device")
            << en.left(en.indexOf(
                   QStringLiteral("         Shadow Copy Volume: "
                                  "\\\\?\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy5")))
            << 1
            << QStringList{
                   QStringLiteral("line 17: shadow copy {c17ebda1-5da3-4f4a-a3dc-f5920c30ed0f} has "
                                  "no device (output cut short?)"),
                   QStringLiteral("line 15: shadow copy set {3872a791-51b6-4d10-813f-64b4beb9f935} "
                                  "announces 1 shadow copies, 0 read")};
        QTest::newRow("no shadow copies") << QStringLiteral(
            "vssadmin 1.1 - Volume Shadow Copy Service administrative command-line tool\r\n"
            "(C) Copyright 2001-2013 Microsoft Corp.\r\n\r\nNo items found that satisfy the "
            "query.\r\n") << 0 << QStringList{};
        QTest::newRow("garbage")
            << QStringLiteral("%%%\n      {43dd2d4b-3a58-487a-842d-564143d0501f}\n") << 0
            << QStringList{QStringLiteral("line 2: detail line outside a shadow copy set: "
                                          "{43dd2d4b-3a58-487a-842d-564143d0501f}")};
    }
    void badShadowOutput() {
        QFETCH(QString, text);
        QFETCH(int, shadows);
        QFETCH(QStringList, errors);
        const auto result = VssAdminParser::parseShadows(text);
        QCOMPARE(result.items.size(), shadows);
        QCOMPARE(result.errors, errors);
    }
};

KW_TEST_GUILESS_MAIN(TestVssAdminParser)
#include "tst_vssadminparser.moc"
