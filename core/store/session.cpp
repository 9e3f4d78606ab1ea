// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "store/session.h"

namespace kw {

qint64 Session::durationMs(qint64 nowMs) const {
    const qint64 begin = effectiveStartMs();
    if (begin <= 0)
        return -1;
    return qMax<qint64>(0, effectiveEndMs(nowMs) - begin);
}

QString Session::displayTitle() const {
    if (!title.isEmpty())
        return title;
    if (!tool.isEmpty())
        return tool + QLatin1Char(' ') + wireName(kind);
    return key.id;
}

} // namespace kw
