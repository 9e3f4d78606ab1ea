// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "format/format.h"
#include "testmain.h"

#include <QTest>

using namespace kw;

namespace {

constexpr qint64 kKiB = 1024;
constexpr qint64 kMiB = kKiB * 1024;
constexpr qint64 kGiB = kMiB * 1024;
constexpr qint64 kSecond = 1000;
constexpr qint64 kMinute = 60 * kSecond;
constexpr qint64 kHour = 60 * kMinute;

// 2025-12-02T08:00:00.123Z; the test runs with TZ=Asia/Kolkata (UTC+05:30,
// no daylight saving), so that "local" is neither UTC nor a whole hour off.
constexpr qint64 kMorning = 1764662400123;

} // namespace

// kw::Format: the strings the table, details pane, timeline, CLI and reports
// show. Exact strings: users, scripts reading the CLI and the report tests
// depend on them.
class TestFormat final : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QCOMPARE(qgetenv("TZ"), QByteArray("Asia/Kolkata")); }

    void bytes_data() {
        QTest::addColumn<qint64>("bytes");
        QTest::addColumn<QString>("text");
        QTest::newRow("zero") << qint64(0) << "0 bytes";
        QTest::newRow("below a KiB") << qint64(900) << "900 bytes";
        QTest::newRow("one byte short of a KiB") << kKiB - 1 << "1023 bytes";
        QTest::newRow("a KiB") << kKiB << "1.0 KiB";
        QTest::newRow("2 KiB") << 2 * kKiB << "2.0 KiB";
        QTest::newRow("rounded down") << qint64(5000) << "4.9 KiB";
        QTest::newRow("MiB") << 512 * kMiB << "512.0 MiB";
        QTest::newRow("GiB and a half") << kGiB + kGiB / 2 << "1.5 GiB";
        QTest::newRow("16 GiB") << 16 * kGiB << "16.0 GiB";
        QTest::newRow("TiB") << 3 * kGiB * 1024 << "3.0 TiB";
        QTest::newRow("2^53, the protocol's cap") << (qint64(1) << 53) << "8.0 PiB";
    }
    void bytes() {
        QFETCH(qint64, bytes);
        QFETCH(QString, text);
        QCOMPARE(Format::bytes(bytes), text);
    }

    void bytesProgress_data() {
        QTest::addColumn<std::optional<qint64>>("done");
        QTest::addColumn<std::optional<qint64>>("total");
        QTest::addColumn<QString>("text");
        const std::optional<qint64> none;
        QTest::newRow("nothing known") << none << none << "";
        QTest::newRow("a total, nothing done") << none << std::optional(kGiB) << "";
        QTest::newRow("done, no total") << std::optional<qint64>(900) << none << "900 bytes";
        QTest::newRow("done of total")
            << std::optional<qint64>(900) << std::optional(2 * kKiB) << "900 bytes / 2.0 KiB";
        QTest::newRow("GiB of GiB")
            << std::optional(kGiB + kGiB / 2) << std::optional(16 * kGiB) << "1.5 GiB / 16.0 GiB";
    }
    void bytesProgress() {
        QFETCH(std::optional<qint64>, done);
        QFETCH(std::optional<qint64>, total);
        QFETCH(QString, text);
        QCOMPARE(Format::bytesProgress(done, total), text);
    }

    void rate_data() {
        QTest::addColumn<double>("bytesPerSecond");
        QTest::addColumn<QString>("text");
        QTest::newRow("idle") << 0.0 << "0 bytes/s";
        QTest::newRow("below a byte") << 0.9 << "0 bytes/s";
        QTest::newRow("whole bytes") << 2048.9 << "2.0 KiB/s";
        QTest::newRow("MiB") << double(10 * kMiB) << "10.0 MiB/s";
        QTest::newRow("average") << double(kMiB) << "1.0 MiB/s";
    }
    void rate() {
        QFETCH(double, bytesPerSecond);
        QFETCH(QString, text);
        QCOMPARE(Format::rate(bytesPerSecond), text);
    }

    void duration_data() {
        QTest::addColumn<qint64>("ms");
        QTest::addColumn<QString>("text");
        QTest::newRow("unknown") << qint64(-1) << "";
        QTest::newRow("zero") << qint64(0) << "0s";
        QTest::newRow("under a second") << qint64(999) << "0s";
        QTest::newRow("seconds") << 9 * kSecond << "9s";
        QTest::newRow("10 s") << 10 * kSecond << "10s";
        QTest::newRow("last second of a minute") << kMinute - 1 << "59s";
        QTest::newRow("a minute") << kMinute << "1m 00s";
        QTest::newRow("padded seconds") << kMinute + 5 * kSecond << "1m 05s";
        QTest::newRow("2m 30s") << 2 * kMinute + 30 * kSecond << "2m 30s";
        QTest::newRow("last second of an hour") << kHour - kSecond << "59m 59s";
        QTest::newRow("an hour") << kHour << "1h 00m";
        QTest::newRow("padded minutes, seconds dropped")
            << 2 * kHour + 3 * kMinute + 59 * kSecond << "2h 03m";
        QTest::newRow("days stay hours") << 100 * kHour << "100h 00m";
    }
    void duration() {
        QFETCH(qint64, ms);
        QFETCH(QString, text);
        QCOMPARE(Format::duration(ms), text);
    }

    void timestamps_data() {
        QTest::addColumn<qint64>("ms");
        QTest::addColumn<QString>("dateTime");
        QTest::addColumn<QString>("dateTimeMs");
        QTest::addColumn<QString>("timeMs");
        QTest::newRow("epoch") << qint64(0) << "1970-01-01 05:30:00"
                               << "1970-01-01 05:30:00.000"
                               << "05:30:00.000";
        QTest::newRow("morning") << kMorning << "2025-12-02 13:30:00"
                                 << "2025-12-02 13:30:00.123"
                                 << "13:30:00.123";
        QTest::newRow("across midnight") << kMorning + 11 * kHour << "2025-12-03 00:30:00"
                                         << "2025-12-03 00:30:00.123"
                                         << "00:30:00.123";
    }
    void timestamps() {
        QFETCH(qint64, ms);
        QFETCH(QString, dateTime);
        QFETCH(QString, dateTimeMs);
        QFETCH(QString, timeMs);
        QCOMPARE(Format::dateTime(ms), dateTime);
        QCOMPARE(Format::dateTimeMs(ms), dateTimeMs);
        QCOMPARE(Format::timeMs(ms), timeMs);
    }
};

KW_TEST_GUILESS_MAIN(TestFormat)
#include "tst_format.moc"
