// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "mosquittobroker.h"

#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <arpa/inet.h>
#include <csignal>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace kw::test {

namespace {

constexpr int kReadyTimeoutMs = 5000;

bool acceptsConnections(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return false;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(quint16(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0;
    ::close(fd);
    return ok;
}

bool writeFile(const QString &path, const QByteArray &bytes) {
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size()
           && f.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
}

// The ACL of docs/fleet.md: %u is the user name, which is the host.
constexpr const char *kAcl = "pattern write keepwatch/v1/%u/status\n"
                             "pattern write keepwatch/v1/%u/sessions/+/events\n"
                             "pattern write keepwatch/v1/%u/sessions/+/state\n"
                             "pattern write keepwatch/v1/%u/replies\n"
                             "pattern read  keepwatch/v1/%u/cmd/#\n"
                             "user desk-admin\n"
                             "topic read  keepwatch/v1/#\n"
                             "topic write keepwatch/v1/+/cmd/#\n"
                             "user desk-viewer\n"
                             "topic read  keepwatch/v1/#\n"
                             "topic write keepwatch/v1/+/cmd/replay\n";

} // namespace

int freeLoopbackPort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    int port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0
        && ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length) == 0)
        port = ntohs(address.sin_port);
    ::close(fd);
    return port;
}

QString MosquittoBroker::unavailableReason() {
    for (const char *program : {"mosquitto", "mosquitto_passwd", "mosquitto_pub"}) {
        const QString name = QString::fromLatin1(program);
        if (QStandardPaths::findExecutable(name).isEmpty()
            && QStandardPaths::findExecutable(name, {QStringLiteral("/usr/sbin")}).isEmpty())
            return QStringLiteral("%1 is not installed (Debian: mosquitto mosquitto-clients)")
                .arg(name);
    }
    return {};
}

MosquittoBroker::MosquittoBroker() {
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    QDir(m_dir.path()).mkpath(QStringLiteral("db"));
}

MosquittoBroker::~MosquittoBroker() {
    stop(SIGKILL);
}

bool MosquittoBroker::addUser(const QString &name, const QString &password, QString *error) {
    const QString file = m_dir.filePath(QStringLiteral("passwd"));
    QStringList args;
    if (!QFile::exists(file))
        args << QStringLiteral("-c");
    args << QStringLiteral("-b") << file << name << password;
    QByteArray output;
    if (runProgram(QStringLiteral("mosquitto_passwd"), args,
                   QProcessEnvironment::systemEnvironment(), &output))
        return true;
    if (error)
        *error = QStringLiteral("mosquitto_passwd failed: %1").arg(QString::fromLocal8Bit(output));
    return false;
}

QString MosquittoBroker::passwordFile(const QString &name, const QString &password) const {
    const QString path = m_dir.filePath(name + QLatin1String(".password"));
    writeFile(path, password.toUtf8() + '\n');
    return path;
}

bool MosquittoBroker::start(QString *error, bool persistence, int maxQueuedMessages) {
    if (m_port == 0)
        m_port = freeLoopbackPort();
    const QString dir = m_dir.path();
    // Tests run as root: the broker would drop to user mosquitto and then
    // could not read the private password file ("user root" keeps it).
    QByteArray config = "per_listener_settings false\n"
                        "user root\n"
                        "allow_anonymous false\n"
                        + (QFile::exists(m_dir.filePath(QStringLiteral("passwd")))
                               ? "password_file " + QFile::encodeName(dir) + "/passwd\n"
                               : QByteArray())
                        + "acl_file " + QFile::encodeName(dir) + "/acl\n" + "persistence "
                        + (persistence ? "true" : "false") + "\n" + "persistence_location "
                        + QFile::encodeName(dir) + "/db/\n" + "autosave_interval 1\n"
                        + "max_queued_messages " + QByteArray::number(maxQueuedMessages)
                        + "\n"
                          "message_size_limit 2097152\n"
                          "log_dest stderr\n"
                          "log_type error\nlog_type warning\nlog_type notice\n"
                          "listener "
                        + QByteArray::number(m_port)
                        + " 127.0.0.1\n"
                          "use_username_as_clientid true\n";
    if (!m_tlsDirectory.isEmpty()) {
        const QByteArray tls = QFile::encodeName(m_tlsDirectory);
        config += "cafile " + tls + "/ca.pem\n" + "certfile " + tls + "/broker.pem\n" + "keyfile "
                  + tls + "/broker.key\n"
                  + "require_certificate true\n"
                    "use_identity_as_username true\n";
    }
    if (!writeFile(m_dir.filePath(QStringLiteral("mosquitto.conf")), config)
        || !writeFile(m_dir.filePath(QStringLiteral("acl")), QByteArray(kAcl) + m_extraAcl)) {
        if (error)
            *error = QStringLiteral("cannot write the broker's configuration in %1").arg(dir);
        return false;
    }
    // A test killed outright (a timeout) takes its broker with it.
    m_process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
    m_process.start(QStringLiteral("mosquitto"),
                    {QStringLiteral("-c"), m_dir.filePath(QStringLiteral("mosquitto.conf"))});
    m_process.waitForStarted(kReadyTimeoutMs);
    // Ready when it accepts connections (it may also exit on a bad config).
    const bool ready = waitFor(
        [&] { return m_process.state() == QProcess::NotRunning || acceptsConnections(m_port); },
        kReadyTimeoutMs);
    if (ready && m_process.state() == QProcess::Running)
        return true;
    if (error)
        *error = QStringLiteral("mosquitto did not start on port %1: %2")
                     .arg(m_port)
                     .arg(QString::fromLocal8Bit(log()));
    stop(SIGKILL);
    return false;
}

void MosquittoBroker::stop(int signal) {
    if (m_process.state() == QProcess::NotRunning)
        return;
    ::kill(pid_t(m_process.processId()), signal);
    if (!m_process.waitForFinished(kReadyTimeoutMs)) {
        m_process.kill();
        m_process.waitForFinished();
    }
    m_log += m_process.readAll();
}

QByteArray MosquittoBroker::log() {
    m_log += m_process.readAll();
    return m_log;
}

} // namespace kw::test
