// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "protocol/event.h"

namespace kw {

QLatin1String wireName(EventType type) {
    switch (type) {
    case EventType::Start:
        return QLatin1String("start");
    case EventType::State:
        return QLatin1String("state");
    case EventType::Progress:
        return QLatin1String("progress");
    case EventType::Log:
        return QLatin1String("log");
    case EventType::End:
        return QLatin1String("end");
    }
    return QLatin1String("unknown");
}

QString SourceError::toString() const {
    QString text = source;
    if (!location.isEmpty())
        text += QLatin1Char(':') + location;
    if (line > 0)
        text += QLatin1Char(':') + QString::number(line);
    return text + QLatin1String(": ") + message;
}

} // namespace kw
