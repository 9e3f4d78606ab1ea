// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "baculadirector.h"

#include "mosquittobroker.h" // freeLoopbackPort()
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <arpa/inet.h>
#include <csignal>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace kw::test {

namespace {

const char *const kSchema =
    "/usr/share/dbconfig-common/data/bacula-director-sqlite3/install/sqlite3";

QString randomPassword() {
    QByteArray bytes(24, Qt::Uninitialized);
    for (char &c : bytes)
        c = char(QRandomGenerator::system()->bounded(256));
    return QString::fromLatin1(
        bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

bool writeFile(const QString &path, const QByteArray &bytes) {
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size()
           && file.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
}

bool acceptsConnections(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(quint16(port));
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0;
    ::close(fd);
    return ok;
}

QByteArray quoted(const QString &text) {
    return '"' + text.toUtf8() + '"';
}

} // namespace

QString BaculaDirector::unavailableReason() {
    for (const char *program : {"bacula-dir", "bacula-sd", "bacula-fd", "bconsole", "sqlite3"}) {
        if (QStandardPaths::findExecutable(QString::fromLatin1(program),
                                           {QStringLiteral("/usr/sbin"), QStringLiteral("/usr/bin"),
                                            QStringLiteral("/sbin"), QStringLiteral("/bin")})
                .isEmpty())
            return QStringLiteral(
                       "%1 is not installed (scripts/install-deps.sh test: bacula-director "
                       "bacula-director-sqlite3 bacula-sd bacula-fd bacula-console)")
                .arg(QLatin1String(program));
    }
    if (!QFile::exists(QString::fromLatin1(kSchema)))
        return QStringLiteral("the catalog schema %1 is missing (bacula-director-sqlite3)")
            .arg(QLatin1String(kSchema));
    return {};
}

BaculaDirector::BaculaDirector() = default;

BaculaDirector::~BaculaDirector() {
    stop();
}

QString BaculaDirector::sourceDirectory() const {
    return m_dir.filePath(QStringLiteral("src"));
}

QString BaculaDirector::bconsoleConfig() const {
    return m_dir.filePath(QStringLiteral("etc/bconsole.conf"));
}

QString BaculaDirector::bconsoleConfigWithPassword(const QString &password) const {
    const QString path = m_dir.filePath(QStringLiteral("etc/bconsole-other.conf"));
    writeFile(path, "Director {\n  Name = " + name().toUtf8()
                        + "\n  DIRport = " + QByteArray::number(m_dirPort)
                        + "\n  address = 127.0.0.1\n  Password = " + quoted(password) + "\n}\n");
    return path;
}

qint64 BaculaDirector::directorPid() const {
    return m_daemons.size() == 3 ? m_daemons[2]->processId() : 0;
}

bool BaculaDirector::writeConfiguration(QString *error, int bandwidthMbPerSecond) {
    const QString work = m_dir.path();
    for (const char *sub : {"dir", "sd", "fd", "run", "volumes", "restore", "etc", "log", "src"})
        QDir().mkpath(m_dir.filePath(QString::fromLatin1(sub)));
    m_dirPort = freeLoopbackPort();
    m_fdPort = freeLoopbackPort();
    m_sdPort = freeLoopbackPort();
    const QByteArray dirPass = quoted(randomPassword());
    const QByteArray fdPass = quoted(randomPassword());
    const QByteArray sdPass = quoted(randomPassword());
    const QByteArray w = work.toUtf8();
    const QByteArray dirName = name().toUtf8();
    const QByteArray fdName = clientName().toUtf8();
    const QByteArray dir =
        "Director {\n Name = " + dirName + "\n DIRport = " + QByteArray::number(m_dirPort)
        + "\n DirAddress = 127.0.0.1\n QueryFile = \"/etc/bacula/scripts/query.sql\"\n"
          " WorkingDirectory = \""
        + w + "/dir\"\n PidDirectory = \"" + w
        + "/run\"\n"
          " Maximum Concurrent Jobs = 10\n Password = "
        + dirPass
        + "\n Messages = Daemon\n}\n"
          "Catalog {\n Name = MyCatalog\n dbname = \"bacula\"; dbuser = \"\"; dbpassword = "
          "\"\"\n}\n"
          "Client {\n Name = "
        + fdName + "\n Address = 127.0.0.1\n FDPort = " + QByteArray::number(m_fdPort)
        + "\n Catalog = MyCatalog\n Password = " + fdPass
        + "\n File Retention = 30 days\n Job Retention = 6 months\n AutoPrune = yes\n"
          " Maximum Concurrent Jobs = 1\n}\n"
          "Storage {\n Name = File1\n Address = 127.0.0.1\n SDPort = "
        + QByteArray::number(m_sdPort) + "\n Password = " + sdPass
        + "\n Device = FileDev1\n Media Type = File1\n"
          " Maximum Concurrent Jobs = 10\n}\n"
          "Pool {\n Name = Default\n Pool Type = Backup\n}\n"
          "Pool {\n Name = File\n Pool Type = Backup\n Recycle = yes\n AutoPrune = yes\n"
          " Volume Retention = 365 days\n Maximum Volume Bytes = 2G\n Maximum Volumes = 20\n"
          " Label Format = \"Vol-\"\n}\n"
          "FileSet {\n Name = \"SpikeSet\"\n Include {\n  Options {\n   signature = MD5\n  }\n"
          "  File = \""
        + w
        + "/src\"\n }\n}\n"
          "FileSet {\n Name = \"WarnSet\"\n Include {\n  Options {\n   signature = MD5\n  }\n"
          "  File = \""
        + w + "/src\"\n  File = \"" + w
        + "/does-not-exist\"\n }\n}\n"
          "Messages {\n Name = Standard\n console = all, !skipped, !saved\n append = \""
        + w
        + "/log/bacula.log\" = all, !skipped\n catalog = all\n}\n"
          "Messages {\n Name = Daemon\n console = all, !skipped, !saved\n append = \""
        + w
        + "/log/bacula.log\" = all, !skipped\n}\n"
          "JobDefs {\n Name = Spike\n Client = "
        + fdName
        + "\n FileSet = \"SpikeSet\"\n"
          " Storage = File1\n Pool = File\n Messages = Standard\n Priority = 10\n"
          " Write Bootstrap = \""
        + w
        + "/dir/%c_%n.bsr\"\n}\n"
          "Job {\n Name = \"BackupSpike\"\n JobDefs = Spike\n Type = Backup\n Level = Full\n"
          " Maximum Bandwidth = "
        + QByteArray::number(bandwidthMbPerSecond)
        + " mb/s\n}\n"
          "Job {\n Name = \"RestoreSpike\"\n JobDefs = Spike\n Type = Restore\n Where = \""
        + w
        + "/restore\"\n}\n"
          "Job {\n Name = \"VerifySpike\"\n JobDefs = Spike\n Type = Verify\n"
          " Level = VolumeToCatalog\n}\n"
          "Job {\n Name = \"FailSpike\"\n JobDefs = Spike\n Type = Backup\n Level = Full\n"
          " ClientRunBeforeJob = \"/bin/false\"\n}\n"
          "Job {\n Name = \"WarnSpike\"\n JobDefs = Spike\n Type = Backup\n Level = Full\n"
          " FileSet = \"WarnSet\"\n}\n";
    const QByteArray fd = "FileDaemon {\n Name = " + fdName
                          + "\n FDport = " + QByteArray::number(m_fdPort)
                          + "\n FDAddress = 127.0.0.1\n"
                            " WorkingDirectory = \""
                          + w + "/fd\"\n Pid Directory = \"" + w
                          + "/run\"\n Maximum Concurrent Jobs = 20\n"
                            " Plugin Directory = /usr/lib/bacula\n}\n"
                            "Director {\n Name = "
                          + dirName + "\n Password = " + fdPass
                          + "\n}\n"
                            "Messages {\n Name = Standard\n director = "
                          + dirName + " = all, !skipped, !restored\n}\n";
    const QByteArray sd =
        "Storage {\n Name = kwtest-sd\n SDPort = " + QByteArray::number(m_sdPort)
        + "\n SDAddress = 127.0.0.1\n WorkingDirectory = \"" + w + "/sd\"\n Pid Directory = \"" + w
        + "/run\"\n"
          " Plugin Directory = /usr/lib/bacula\n Maximum Concurrent Jobs = 20\n}\n"
          "Director {\n Name = "
        + dirName + "\n Password = " + sdPass
        + "\n}\n"
          "Device {\n Name = FileDev1\n Media Type = File1\n Archive Device = \""
        + w
        + "/volumes\"\n LabelMedia = yes\n Random Access = yes\n"
          " AutomaticMount = yes\n RemovableMedia = no\n AlwaysOpen = no\n"
          " Maximum Concurrent Jobs = 5\n}\n"
          "Messages {\n Name = Standard\n director = "
        + dirName + " = all\n}\n";
    const QByteArray console = "Director {\n Name = " + dirName
                               + "\n DIRport = " + QByteArray::number(m_dirPort)
                               + "\n address = 127.0.0.1\n Password = " + dirPass + "\n}\n";
    if (!writeFile(m_dir.filePath(QStringLiteral("etc/bacula-dir.conf")), dir)
        || !writeFile(m_dir.filePath(QStringLiteral("etc/bacula-fd.conf")), fd)
        || !writeFile(m_dir.filePath(QStringLiteral("etc/bacula-sd.conf")), sd)
        || !writeFile(bconsoleConfig(), console)) {
        *error = QStringLiteral("cannot write the Bacula configuration in %1").arg(work);
        return false;
    }
    QByteArray output;
    QFile schema(QString::fromLatin1(kSchema));
    if (!schema.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1").arg(schema.fileName());
        return false;
    }
    QProcess sqlite;
    sqlite.start(QStringLiteral("sqlite3"), {m_dir.filePath(QStringLiteral("dir/bacula.db"))});
    sqlite.write(schema.readAll());
    sqlite.closeWriteChannel();
    if (!sqlite.waitForFinished(30000) || sqlite.exitCode() != 0) {
        *error = QStringLiteral("cannot make the catalog: ")
                 + QString::fromLocal8Bit(sqlite.readAllStandardError());
        return false;
    }
    for (const auto &[program, conf] :
         {std::pair{"bacula-dir", "dir"}, std::pair{"bacula-sd", "sd"},
          std::pair{"bacula-fd", "fd"}}) {
        if (!runProgram(
                QString::fromLatin1(program),
                {QStringLiteral("-t"), QStringLiteral("-c"),
                 m_dir.filePath(QStringLiteral("etc/bacula-%1.conf").arg(QLatin1String(conf)))},
                QProcessEnvironment::systemEnvironment(), &output, 30000)) {
            *error = QStringLiteral("%1 -t refused the configuration: %2")
                         .arg(QLatin1String(program), QString::fromLocal8Bit(output));
            return false;
        }
    }
    return true;
}

bool BaculaDirector::start(QString *error, int bandwidthMbPerSecond) {
    QString why;
    if (!m_dir.isValid() || !writeConfiguration(&why, bandwidthMbPerSecond)) {
        if (error)
            *error = why;
        return false;
    }
    for (const char *daemon : {"sd", "fd", "dir"}) {
        if (!startDaemon(QLatin1String(daemon), error))
            return false;
    }
    return waitForDirector(error);
}

bool BaculaDirector::startDaemon(QLatin1String daemon, QString *error) {
    auto process = std::make_unique<QProcess>();
    process->setProcessChannelMode(QProcess::MergedChannels);
    // A test killed outright (a timeout) takes its daemons with it.
    process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
    process->setStandardOutputFile(m_dir.filePath(QStringLiteral("log/%1.out").arg(daemon)),
                                   QIODevice::Append);
    process->start(QStringLiteral("bacula-%1").arg(daemon),
                   {QStringLiteral("-f"), QStringLiteral("-c"),
                    m_dir.filePath(QStringLiteral("etc/bacula-%1.conf").arg(daemon))});
    if (!process->waitForStarted(10000)) {
        if (error)
            *error =
                QStringLiteral("bacula-%1 did not start: %2").arg(daemon, process->errorString());
        return false;
    }
    m_daemons.push_back(std::move(process));
    return true;
}

bool BaculaDirector::waitForDirector(QString *error) {
    // bconsole sleeps 5 s before retrying a refused connection: wait for
    // the port first.
    const bool listening = waitFor([&] { return acceptsConnections(m_dirPort); }, 10000);
    if (!listening || !bconsole(QStringLiteral("version")).contains("Version:")) {
        if (error)
            *error =
                QStringLiteral("the director does not answer: ") + QString::fromLocal8Bit(log());
        return false;
    }
    return true;
}

void BaculaDirector::killDirector() {
    // The director is the last daemon started (and started again).
    QProcess &director = *m_daemons.back();
    director.kill();
    director.waitForFinished(5000);
    m_daemons.pop_back();
}

bool BaculaDirector::startDirector(QString *error) {
    return startDaemon(QLatin1String("dir"), error) && waitForDirector(error);
}

void BaculaDirector::stop() {
    for (auto it = m_daemons.rbegin(); it != m_daemons.rend(); ++it) {
        QProcess &p = **it;
        if (p.state() == QProcess::NotRunning)
            continue;
        ::kill(pid_t(p.processId()), SIGTERM);
        if (!p.waitForFinished(5000)) {
            p.kill();
            p.waitForFinished();
        }
    }
    m_daemons.clear();
}

QByteArray BaculaDirector::bconsole(const QString &commands, int timeoutMs) const {
    QProcess console;
    console.setProcessChannelMode(QProcess::MergedChannels);
    console.start(QStringLiteral("bconsole"), {QStringLiteral("-c"), bconsoleConfig()});
    console.write(commands.toUtf8() + '\n');
    console.closeWriteChannel();
    if (!console.waitForFinished(timeoutMs)) {
        console.kill();
        console.waitForFinished();
    }
    return console.readAll();
}

QByteArray BaculaDirector::log() const {
    QByteArray all;
    for (const char *name : {"log/dir.out", "log/sd.out", "log/fd.out", "log/bacula.log"}) {
        QFile file(m_dir.filePath(QString::fromLatin1(name)));
        if (file.open(QIODevice::ReadOnly))
            all += "== " + QByteArray(name) + "\n" + file.readAll().right(4000);
    }
    return all;
}

} // namespace kw::test
