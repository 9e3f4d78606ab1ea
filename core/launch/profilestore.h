// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "launch/launchprofile.h"

#include <QString>
#include <QStringList>
#include <optional>

class QSettings;

namespace kw {

// Keeps launch profiles in QSettings, under the group "profiles", one child
// group per profile (its name percent-encoded, since QSettings reads "/" as a
// separator). A profile has no password field, so nothing secret can be
// written: a password source is stored as its kind and its reference (a file
// path or a command), never as the password.
class ProfileStore final {
public:
    explicit ProfileStore(QSettings &settings);
    ProfileStore(const ProfileStore &) = delete;
    ProfileStore &operator=(const ProfileStore &) = delete;

    // Names of the saved profiles, sorted for people (case-insensitive).
    QStringList names() const;
    std::optional<LaunchProfile> load(const QString &name) const;
    QList<LaunchProfile> loadAll() const;
    // Saves (or replaces) the profile under its name. Returns an error
    // message, empty on success.
    QString save(const LaunchProfile &profile);
    // Returns false when there was no such profile.
    bool remove(const QString &name);

    // Every key a saved profile may have, for tests and reviewers.
    static QStringList keys();
    static QString groupName() { return QStringLiteral("profiles"); }

private:
    QSettings &m_settings;
};

} // namespace kw
