// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "brokeroptions.h"

#include "cli.h"
#include "fleet/brokersecrets.h"
#include "spool/spoollocation.h"

#include <QCoreApplication>
#ifdef Q_OS_WIN
#include <qt_windows.h>
#else
#include <QSocketNotifier>
#include <csignal>
#include <fcntl.h>
#include <unistd.h>
#endif

namespace kw::cli {

namespace {

#ifdef Q_OS_WIN
const std::function<void()> *g_onStop = nullptr;

// Ctrl-C, Ctrl-Break or the console closing, on a thread the system makes:
// the event loop does the work.
BOOL WINAPI onConsoleControl(DWORD) {
    QMetaObject::invokeMethod(
        QCoreApplication::instance(),
        [] {
            if (g_onStop)
                (*g_onStop)();
        },
        Qt::QueuedConnection);
    return TRUE;
}
#else
int g_stopPipe[2] = {-1, -1};

// The handler only writes to a pipe; the event loop does the work.
void onStopSignal(int signal) {
    const char byte = char(signal);
    [[maybe_unused]] const ssize_t n = ::write(g_stopPipe[1], &byte, 1);
}
#endif

} // namespace

BrokerOptions::BrokerOptions()
    : m_broker(QStringLiteral("broker"),
               QStringLiteral("The MQTT broker: mqtt://HOST[:PORT] (default port 1883) or "
                              "mqtts://HOST[:PORT] (TLS, default port 8883)."),
               QStringLiteral("URL"))
    , m_username(QStringLiteral("username"), QStringLiteral("The user name at the broker."),
                 QStringLiteral("USER"))
    , m_passwordFile(QStringLiteral("password-file"),
                     QStringLiteral("A file whose first line is the password at the broker "
                                    "(never a password on the command line)."),
                     QStringLiteral("FILE"))
    , m_ca(QStringLiteral("ca"),
           QStringLiteral("With mqtts://: the CA certificate that signed the broker's "
                          "(default: the system's CAs)."),
           QStringLiteral("FILE"))
    , m_cert(QStringLiteral("cert"),
             QStringLiteral("With mqtts://: this client's certificate (PEM), for a broker that "
                            "takes its CN as the user name; with --key."),
             QStringLiteral("FILE"))
    , m_key(QStringLiteral("key"),
            QStringLiteral("With --cert: its private key (PEM, not encrypted; chmod 600)."),
            QStringLiteral("FILE"))
    , m_stateDir(QStringLiteral("state-dir"),
                 QStringLiteral("Where the offsets and mirrors are kept (default: Keepwatch's "
                                "state directory, $XDG_STATE_HOME/keepwatch)."),
                 QStringLiteral("DIR")) {}

void BrokerOptions::addTo(CommandLine &cl) const {
    for (const QCommandLineOption &o :
         {m_broker, m_username, m_passwordFile, m_ca, m_cert, m_key, m_stateDir})
        cl.add(o);
}

bool BrokerOptions::given(const CommandLine &cl) const {
    return cl.isSet(m_broker);
}

std::optional<int> BrokerOptions::read(const CommandLine &cl, MqttClient::Options &options) const {
    if (!cl.isSet(m_broker))
        return cl.usage(QStringLiteral("which broker? (--broker mqtt://HOST:PORT)"));
    QString error;
    const auto url = BrokerUrl::parse(cl.value(m_broker), &error);
    if (!url)
        return cl.usage(error);
    options.broker = *url;
    for (const QCommandLineOption *tlsOnly : {&m_ca, &m_cert, &m_key}) {
        if (cl.isSet(*tlsOnly) && !url->tls)
            return cl.usage(QStringLiteral("--%1 needs a TLS broker (mqtts://)")
                                .arg(tlsOnly->names().constFirst()));
    }
    if (cl.isSet(m_cert) != cl.isSet(m_key))
        return cl.usage(QStringLiteral("--cert and --key go together"));
    options.caFile = cl.value(m_ca);
    options.certFile = cl.value(m_cert);
    options.keyFile = cl.value(m_key);
    QString warning;
    if (const QString tlsError = BrokerSecrets::checkTlsFiles(options.caFile, options.certFile,
                                                              options.keyFile, &warning);
        !tlsError.isEmpty())
        return fail(Failure, tlsError);
    if (!warning.isEmpty())
        warn(warning);
    if (cl.isSet(m_passwordFile) && !cl.isSet(m_username))
        return cl.usage(QStringLiteral("--password-file needs --username"));
    options.username = cl.value(m_username);
    if (cl.isSet(m_passwordFile)) {
        QString passwordWarning;
        if (const QString passwordError = BrokerSecrets::readPasswordFile(
                cl.value(m_passwordFile), options.password, &passwordWarning);
            !passwordError.isEmpty())
            return fail(Failure, passwordError);
        if (!passwordWarning.isEmpty())
            warn(passwordWarning);
    }
    return std::nullopt;
}

QString BrokerOptions::stateDirectory(const CommandLine &cl) const {
    return cl.isSet(m_stateDir) ? cl.value(m_stateDir) : SpoolLocation::stateDirectory();
}

void reportConnection(MqttClient &client) {
    QObject::connect(&client, &MqttClient::problem, &warn);
    QObject::connect(&client, &MqttClient::disconnected, &warn);
    QObject::connect(&client, &MqttClient::refused, [](const QString &why) {
        fail(Failure, why);
        QCoreApplication::exit(Failure);
    });
}

std::unique_ptr<QCoreApplication> makeApplication() {
    static int argc = 1;
    static char name[] = "keepwatch-cli";
    static char *argv[] = {name, nullptr};
    return std::make_unique<QCoreApplication>(argc, argv);
}

int runUntilStopSignal(const std::function<void()> &stop) {
#ifdef Q_OS_WIN
    bool stopping = false;
    const std::function<void()> onStop = [&] {
        if (stopping) // a second Ctrl-C: stop now
            QCoreApplication::exit(Failure);
        stopping = true;
        stop();
    };
    g_onStop = &onStop;
    ::SetConsoleCtrlHandler(onConsoleControl, TRUE);
    const int status = QCoreApplication::exec();
    ::SetConsoleCtrlHandler(onConsoleControl, FALSE);
    g_onStop = nullptr;
    return status;
#else
    if (::pipe2(g_stopPipe, O_CLOEXEC | O_NONBLOCK) != 0)
        return fail(Failure, QStringLiteral("cannot create a pipe"));
    struct sigaction sa {};
    sa.sa_handler = onStopSignal;
    sigemptyset(&sa.sa_mask);
    ::sigaction(SIGTERM, &sa, nullptr);
    ::sigaction(SIGINT, &sa, nullptr);
    QSocketNotifier notifier(g_stopPipe[0], QSocketNotifier::Read);
    bool stopping = false;
    QObject::connect(&notifier, &QSocketNotifier::activated, [&] {
        char byte = 0;
        while (::read(g_stopPipe[0], &byte, 1) > 0) {
        }
        if (stopping) // a second signal: stop now
            QCoreApplication::exit(Failure);
        stopping = true;
        stop();
    });
    return QCoreApplication::exec();
#endif
}

} // namespace kw::cli
