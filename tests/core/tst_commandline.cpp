// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "testmain.h"
#include "testsupport.h"
#include "tools/commandline.h"

#include <QTest>

using namespace kw;

namespace {
QStringList words(const char *text) {
    return QString::fromUtf8(text).split(QLatin1Char(' '));
}
} // namespace

class TestCommandLine final : public QObject {
    Q_OBJECT

private slots:
    void inspect_data() {
        QTest::addColumn<QStringList>("argv");
        QTest::addColumn<QString>("tool");
        QTest::addColumn<QString>("subcommand");
        QTest::addColumn<SessionKind>("kind");
        QTest::addColumn<QString>("target");
        using K = SessionKind;
        // As seen in /proc/PID/cmdline of the real tools (tests/fixtures).
        QTest::newRow("restic backup, captured") << words(
            "restic backup --json -vv --limit-upload 2000 --tag spike --host spikehost data")
                                                 << "restic"
                                                 << "backup" << K::Backup << "";
        QTest::newRow("restic -r before subcommand")
            << words("/usr/bin/restic -r /srv/repo --limit-upload 100 backup /home") << "restic"
            << "backup" << K::Backup << "/srv/repo";
        QTest::newRow("restic --repo=")
            << words("restic --repo=sftp:nas:/repo restore latest --target /tmp/r") << "restic"
            << "restore" << K::Restore << "sftp:nas:/repo";
        QTest::newRow("restic rest url with password")
            << words("restic -r rest:https://u:hunter2@nas:8000/r check") << "restic"
            << "check" << K::Verify << "rest:https://u:***@nas:8000/r";
        QTest::newRow("restic forget") << words("restic forget --keep-last 1 --prune") << "restic"
                                       << "forget" << K::Prune << "";
        QTest::newRow("restic prune") << words("restic -p /etc/pw prune") << "restic"
                                      << "prune" << K::Prune << "";
        QTest::newRow("restic snapshots") << words("restic snapshots --json") << "restic"
                                          << "snapshots" << K::Other << "";
        QTest::newRow("borg via python, captured")
            << words("/usr/bin/python3 /usr/bin/borg create --log-json --progress --stats --json "
                     "--show-rc --compression lzma,1 ::arch1 data")
            << "borg"
            << "create" << K::Backup << "";
        QTest::newRow("borg repo::archive")
            << words("borg create --stats /srv/borg::{hostname}-{now} /home") << "borg"
            << "create" << K::Backup << "/srv/borg";
        QTest::newRow("borg ssh repo")
            << words("borg extract ssh://backup@nas/./repo::arch1") << "borg"
            << "extract" << K::Restore << "ssh://backup@nas/./repo";
        QTest::newRow("borg check repo") << words("borg check --lock-wait 5 /srv/borg") << "borg"
                                         << "check" << K::Verify << "/srv/borg";
        QTest::newRow("borg prune") << words("borg prune --keep-daily 7 /srv/borg") << "borg"
                                    << "prune" << K::Prune << "/srv/borg";
        QTest::newRow("rsync") << words(
            "rsync -a --info=progress2 --bwlimit=40m src/data rsync-dst/")
                               << "rsync"
                               << "" << K::Backup << "rsync-dst/";
        QTest::newRow("rsync remote")
            << words("/usr/bin/rsync -az --delete /home/ backup@nas:/srv/home/") << "rsync"
            << "" << K::Backup << "backup@nas:/srv/home/";
        QTest::newRow("cron style")
            << words("nice -n 19 ionice -c3 restic -r /srv/r backup /etc") << "restic"
            << "backup" << K::Backup << "/srv/r";
        QTest::newRow("unprivileged")
            << words("setpriv --reuid=nobody --regid=nogroup --clear-groups borg create /r::a /x")
            << "borg"
            << "create" << K::Backup << "/r";
        QTest::newRow("env and timeout")
            << words("env LANG=C.UTF-8 timeout -s INT 2h rsync -a /a /b") << "rsync"
            << "" << K::Backup << "/b";
        QTest::newRow("sudo -u") << words("sudo -u backup restic restore latest --target /r")
                                 << "restic"
                                 << "restore" << K::Restore << "";
        QTest::newRow("flock") << words("flock -w 10 /run/lock/backup restic check") << "restic"
                               << "check" << K::Verify << "";
        QTest::newRow("secret value is not the subcommand")
            << words("restic --password hunter2 -r /r restore latest") << "restic"
            << "restore" << K::Restore << "/r";
        QTest::newRow("tar create") << words("tar czf /backup/etc.tgz /etc") << "tar"
                                    << "" << K::Backup << "/backup/etc.tgz";
        QTest::newRow("tar extract") << words("tar -xvf /backup/etc.tgz -C /") << "tar"
                                     << "" << K::Restore << "/backup/etc.tgz";
        QTest::newRow("tar long") << words("tar --create --file=/b/x.tar /home") << "tar"
                                  << "" << K::Backup << "/b/x.tar";
        QTest::newRow("rclone sync")
            << words("rclone sync --transfers 8 /srv b2:bucket/srv") << "rclone"
            << "sync" << K::Backup << "b2:bucket/srv";
        QTest::newRow("kopia snapshot") << words("kopia snapshot create /home") << "kopia"
                                        << "snapshot create" << K::Backup << "";
        QTest::newRow("kopia restore") << words("kopia snapshot restore k1 /tmp/r") << "kopia"
                                       << "snapshot restore" << K::Restore << "";
        QTest::newRow("duplicity backup")
            << words("duplicity /home sftp://u:pw@nas/dup") << "duplicity"
            << "" << K::Backup << "sftp://u:***@nas/dup";
        QTest::newRow("duplicity restore")
            << words("duplicity restore sftp://nas/dup /tmp/r") << "duplicity"
            << "restore" << K::Restore << "sftp://nas/dup";
        QTest::newRow("rdiff-backup")
            << words("rdiff-backup /home /mnt/backup/home") << "rdiff-backup"
            << "" << K::Backup << "/mnt/backup/home";
        QTest::newRow("rdiff-backup restore")
            << words("rdiff-backup -r now /mnt/backup/home /tmp/r") << "rdiff-backup"
            << "" << K::Restore << "/tmp/r";
        QTest::newRow("unknown program") << words("/usr/local/bin/pg_dump -Fc db") << "pg_dump"
                                         << "" << K::Other << "";
    }
    void inspect() {
        QFETCH(QStringList, argv);
        QFETCH(QString, tool);
        QFETCH(QString, subcommand);
        QFETCH(SessionKind, kind);
        QFETCH(QString, target);
        const CommandLineInfo info = CommandLineInfo::inspect(argv);
        QCOMPARE(info.tool, tool);
        QCOMPARE(info.subcommand, subcommand);
        QCOMPARE(info.kind, kind);
        QCOMPARE(info.target, target);
        QCOMPARE(info.knownTool, tool != QLatin1String("pg_dump"));
    }
};

KW_TEST_GUILESS_MAIN(TestCommandLine)
#include "tst_commandline.moc"
