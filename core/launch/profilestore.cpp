// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "launch/profilestore.h"

#include <QCoreApplication>
#include <QSettings>
#include <QUrl>
#include <algorithm>

namespace kw {

namespace {

namespace key {
const QString name = QStringLiteral("name");
const QString tool = QStringLiteral("tool");
const QString kind = QStringLiteral("kind");
const QString repository = QStringLiteral("repository");
const QString paths = QStringLiteral("paths");
const QString restoreTarget = QStringLiteral("restoreTarget");
const QString extraArgs = QStringLiteral("extraArgs");
const QString title = QStringLiteral("title");
const QString passwordSource = QStringLiteral("passwordSource");
const QString passwordFile = QStringLiteral("passwordFile");
const QString passwordCommand = QStringLiteral("passwordCommand");
} // namespace key

QString encode(const QString &name) {
    return QString::fromLatin1(QUrl::toPercentEncoding(name));
}

QString decode(const QString &group) {
    return QUrl::fromPercentEncoding(group.toLatin1());
}

QString tr(const char *text) {
    return QCoreApplication::translate("kw::ProfileStore", text);
}

LaunchProfile read(const QSettings &s) {
    LaunchProfile p;
    p.name = s.value(key::name).toString();
    p.tool = s.value(key::tool, p.tool).toString();
    // An unknown kind becomes Other, which LaunchCommand refuses with a message.
    p.kind = sessionKindFromString(s.value(key::kind).toString()).value_or(SessionKind::Other);
    p.repository = s.value(key::repository).toString();
    p.paths = s.value(key::paths).toStringList();
    p.restoreTarget = s.value(key::restoreTarget).toString();
    p.extraArgs = s.value(key::extraArgs).toString();
    p.title = s.value(key::title).toString();
    const auto type = passwordSourceTypeFromString(s.value(key::passwordSource).toString())
                          .value_or(PasswordSource::Type::None);
    p.password = PasswordSource::of(type, s.value(key::passwordFile).toString(),
                                    s.value(key::passwordCommand).toString());
    return p;
}

} // namespace

ProfileStore::ProfileStore(QSettings &settings)
    : m_settings(settings) {}

QStringList ProfileStore::keys() {
    return {key::name,           key::tool,          key::kind,           key::repository,
            key::paths,          key::restoreTarget, key::extraArgs,      key::title,
            key::passwordSource, key::passwordFile,  key::passwordCommand};
}

QStringList ProfileStore::names() const {
    QStringList names;
    m_settings.beginGroup(groupName());
    const QStringList groups = m_settings.childGroups();
    m_settings.endGroup();
    for (const QString &group : groups)
        names.append(decode(group));
    std::sort(names.begin(), names.end(), [](const QString &a, const QString &b) {
        const int c = QString::compare(a, b, Qt::CaseInsensitive);
        return c != 0 ? c < 0 : a < b;
    });
    return names;
}

std::optional<LaunchProfile> ProfileStore::load(const QString &name) const {
    if (name.isEmpty())
        return std::nullopt;
    m_settings.beginGroup(groupName());
    const bool exists = m_settings.childGroups().contains(encode(name));
    std::optional<LaunchProfile> profile;
    if (exists) {
        m_settings.beginGroup(encode(name));
        profile = read(m_settings);
        profile->name = name; // the group is the truth
        m_settings.endGroup();
    }
    m_settings.endGroup();
    return profile;
}

QList<LaunchProfile> ProfileStore::loadAll() const {
    QList<LaunchProfile> all;
    for (const QString &name : names()) {
        if (auto p = load(name))
            all.append(*p);
    }
    return all;
}

QString ProfileStore::save(const LaunchProfile &p) {
    if (p.name.trimmed().isEmpty())
        return tr("Give the profile a name.");
    m_settings.beginGroup(groupName());
    m_settings.remove(encode(p.name)); // no stale keys from an earlier version
    m_settings.beginGroup(encode(p.name));
    m_settings.setValue(key::name, p.name);
    m_settings.setValue(key::tool, p.tool);
    m_settings.setValue(key::kind, QString(wireName(p.kind)));
    m_settings.setValue(key::repository, p.repository);
    m_settings.setValue(key::paths, p.paths);
    m_settings.setValue(key::restoreTarget, p.restoreTarget);
    m_settings.setValue(key::extraArgs, p.extraArgs);
    m_settings.setValue(key::title, p.title);
    m_settings.setValue(key::passwordSource, QString(wireName(p.password.type)));
    if (p.password.type == PasswordSource::Type::File)
        m_settings.setValue(key::passwordFile, p.password.reference);
    else if (p.password.type == PasswordSource::Type::Command)
        m_settings.setValue(key::passwordCommand, p.password.reference);
    m_settings.endGroup();
    m_settings.endGroup();
    m_settings.sync();
    if (m_settings.status() != QSettings::NoError)
        return tr("Cannot write the settings file %1.").arg(m_settings.fileName());
    return {};
}

bool ProfileStore::remove(const QString &name) {
    if (name.isEmpty())
        return false;
    m_settings.beginGroup(groupName());
    const bool exists = m_settings.childGroups().contains(encode(name));
    if (exists)
        m_settings.remove(encode(name));
    m_settings.endGroup();
    m_settings.sync();
    return exists;
}

} // namespace kw
