// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "fleet/brokersecrets.h"

#include <QFile>
#include <sys/stat.h>

namespace kw::BrokerSecrets {

namespace {

constexpr qint64 kMaxPasswordBytes = 4096;

// A secret others may read (a password, a key): said, not refused.
void warnIfReadableByEveryone(const QFile &file, const QString &what, QString *warning) {
    struct stat st {};
    if (warning && ::fstat(file.handle(), &st) == 0 && (st.st_mode & S_IROTH) != 0)
        *warning = QStringLiteral("the %1 %2 is readable by everyone (chmod 600 it)")
                       .arg(what, file.fileName());
}

} // namespace

QString readPasswordFile(const QString &path, QByteArray &password, QString *warning) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return QStringLiteral("cannot read the password file %1: %2").arg(path, file.errorString());
    warnIfReadableByEveryone(file, QStringLiteral("password file"), warning);
    password = file.readLine(kMaxPasswordBytes);
    while (password.endsWith('\n') || password.endsWith('\r'))
        password.chop(1);
    if (password.isEmpty())
        return QStringLiteral("the password file %1 is empty").arg(path);
    return {};
}

QString checkTlsFiles(const QString &caFile, const QString &certFile, const QString &keyFile,
                      QString *warning) {
    struct TlsFile {
        QString path;
        QString what;
        bool secret;
    };
    for (const TlsFile &f : {TlsFile{caFile, QStringLiteral("CA certificate"), false},
                             TlsFile{certFile, QStringLiteral("client certificate"), false},
                             TlsFile{keyFile, QStringLiteral("key file"), true}}) {
        if (f.path.isEmpty())
            continue;
        QFile file(f.path);
        if (!file.open(QIODevice::ReadOnly))
            return QStringLiteral("cannot read the %1 %2: %3")
                .arg(f.what, f.path, file.errorString());
        if (f.secret)
            warnIfReadableByEveryone(file, f.what, warning);
    }
    return {};
}

} // namespace kw::BrokerSecrets
