// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "store/session.h"

namespace kw {

qint64 Session::durationMs(qint64 nowMs) const {
    const qint64 begin = startedMs.value_or(firstEventMs);
    if (begin <= 0)
        return -1;
    const qint64 end = endedMs ? *endedMs : (isTerminal(state) ? lastEventMs : nowMs);
    return qMax<qint64>(0, end - begin);
}

QString Session::displayTitle() const {
    if (!title.isEmpty())
        return title;
    if (!tool.isEmpty())
        return tool + QLatin1Char(' ') + wireName(kind);
    return key.id;
}

} // namespace kw
