// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "sources/spoolsessioncancel.h"

#include "cancel/wrappercancel.h"
#include "protocol/sessionid.h"
#include "sources/sourceset.h"
#include "spool/spoollocation.h"
#include "store/sessionstore.h"

#include <QFileInfo>

namespace kw::SpoolSessionCancel {

QString request(const SourceSetConfig &spools, const QString &sessionId, const QString &file) {
    const SourceSet sources(spools);
    SessionStore store;
    const SourceSet::Loaded loaded = sources.loadInto(store);
    if (!loaded.fatal.isEmpty())
        return loaded.fatal;
    const QString wanted = QFileInfo(file).canonicalFilePath();
    for (const int row : store.rowsWithId(sessionId)) {
        const QString directory = sources.spoolDirectoryOf(store.at(row).key.source);
        if (directory.isEmpty()
            || QFileInfo(SpoolLocation::fileForSession(directory, sessionId)).canonicalFilePath()
                   != wanted)
            continue;
        return WrapperCancel::request(WrapperCancel::target(store, row, file));
    }
    return QStringLiteral("no session %1 is read from %2").arg(SessionId::quoted(sessionId), file);
}

} // namespace kw::SpoolSessionCancel
