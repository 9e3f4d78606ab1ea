// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "spool/sessionowner.h"

#include "platform/processprobe.h"
#include "spool/systemspool.h"
#include "store/session.h"

namespace kw::SessionOwner {

QString of(const Session &session) {
    const QString &source = session.key.source;
    if (source == QLatin1String("spool"))
        return me();
    if (SystemSpool::isSystemIdentity(source))
        return SystemSpool::userOfIdentity(source);
    return session.user;
}

const QString &me() {
    // The uid of a process does not change under it: once is enough, and
    // the filter asks for every row.
    static const QString name = ProcessProbe::userName();
    return name;
}

bool isMine(const Session &session) {
    const QString owner = of(session);
    return owner.isEmpty() || owner == me();
}

} // namespace kw::SessionOwner
