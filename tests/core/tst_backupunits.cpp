// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "systemd/backupunits.h"
#include "testmain.h"

#include <QProcess>
#include <QTest>

using namespace kw;

// Which systemd services are backups, and what their runs are: the unit
// files admins and Debian's packages really write.
class TestBackupUnits final : public QObject {
    Q_OBJECT

private slots:
    void recognisesBackupUnits_data() {
        QTest::addColumn<QString>("unit");
        QTest::addColumn<QString>("execStart"); // as in the unit file
        QTest::addColumn<QStringList>("chosen");
        QTest::addColumn<QString>("tool"); // empty: not a backup
        QTest::addColumn<SessionKind>("kind");
        QTest::addColumn<bool>("wrapped");

        // Debian 12's borgmatic 1.7.7 package, unpacked.
        QTest::newRow("Debian's borgmatic.service")
            << "borgmatic.service"
            << "systemd-inhibit --who=borgmatic --what=sleep:shutdown --why=\"Prevent "
               "interrupting scheduled backup\" /usr/bin/borgmatic --verbosity -1 "
               "--syslog-verbosity 1"
            << QStringList() << "borgmatic" << SessionKind::Backup << false;
        QTest::newRow("hand-written restic backup")
            << "nightly.service"
            << "/usr/bin/restic -r /srv/repo backup --json /home" << QStringList() << "restic"
            << SessionKind::Backup << false;
        QTest::newRow("restic restore is a restore")
            << "getback.service"
            << "/usr/bin/restic -r /srv/repo restore latest --target /x" << QStringList()
            << "restic" << SessionKind::Restore << false;
        QTest::newRow("borg through nice and ionice")
            << "archive.service"
            << "/usr/bin/nice -n 19 /usr/bin/ionice -c3 /usr/bin/borg create /r::a /etc"
            << QStringList() << "borg" << SessionKind::Backup << false;
        QTest::newRow("a shell's script")
            << "sync-photos.service"
            << "/bin/sh -c \"cd /srv && rsync -a photos/ nas:/photos/\"" << QStringList() << "rsync"
            << SessionKind::Backup << false;
        QTest::newRow("keepwatch-cli run wraps restic")
            << "wrapped.service"
            << "/usr/bin/keepwatch-cli run -- restic -r /r backup /etc" << QStringList() << "restic"
            << SessionKind::Backup << true;
        QTest::newRow("resticprofile's generated unit")
            << "resticprofile-backup@profile-home.service"
            << "/usr/local/bin/resticprofile --no-prio --no-ansi --config profiles.yaml "
               "run-schedule backup@home"
            << QStringList() << "resticprofile" << SessionKind::Backup << false;
        QTest::newRow("a script whose unit's name says backup")
            << "db-backup.service"
            << "/usr/local/sbin/dump-databases --all" << QStringList() << "dump-databases"
            << SessionKind::Backup << false;
        QTest::newRow("a unit the user chose")
            << "dumper.service"
            << "/usr/local/sbin/dump-databases" << QStringList{QStringLiteral("dumper")}
            << "dump-databases" << SessionKind::Backup << false;
        QTest::newRow("not a backup")
            << "cron.service"
            << "/usr/sbin/cron -f" << QStringList() << "" << SessionKind::Other << false;
        QTest::newRow("a timer is no run")
            << "restic-backup.timer"
            << "" << QStringList() << "" << SessionKind::Other << false;
        QTest::newRow("a word that only contains a tool's name")
            << "resticulous.service"
            << "/usr/bin/resticulous --serve" << QStringList() << "" << SessionKind::Other << false;
    }
    void recognisesBackupUnits() {
        QFETCH(QString, unit);
        QFETCH(QString, execStart);
        QFETCH(QStringList, chosen);
        QFETCH(QString, tool);
        QFETCH(SessionKind, kind);
        QFETCH(bool, wrapped);
        const BackupUnits units(chosen);
        QList<QStringList> commands;
        if (!execStart.isEmpty())
            commands << QProcess::splitCommand(execStart);
        const std::optional<BackupUnit> match = units.match(unit, commands);
        if (tool.isEmpty()) {
            QVERIFY2(!match, match ? qPrintable(match->why) : "");
            return;
        }
        QVERIFY(match);
        QCOMPARE(match->tool, tool);
        QCOMPARE(match->kind, kind);
        QCOMPARE(match->wrapped, wrapped);
        QVERIFY(!match->why.isEmpty());
    }

    void theRepositoryIsTheTarget() {
        const auto match = BackupUnits().match(
            QStringLiteral("x.service"),
            {QProcess::splitCommand(QStringLiteral("restic -r sftp:user@nas:/r backup /etc"))});
        QVERIFY(match);
        QCOMPARE(match->target, QStringLiteral("sftp:user@nas:/r"));
    }
};

KW_TEST_GUILESS_MAIN(TestBackupUnits)
#include "tst_backupunits.moc"
