// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "protocol/sessiontypes.h"

#include <QIcon>
#include <QString>

namespace kw {

// The window's own icons, compiled in from resources/ (no icon theme needed).
//
// Icons are rendered from SVG with QSvgRenderer rather than loaded through
// QIcon(path), which would need the SVG icon-engine plugin at run time.
// These are factories: callers that paint often keep the result (a QIcon is
// implicitly shared), and no QIcon outlives the application in a static.
class Icons final {
public:
    Icons() = delete;

    // One icon per state group: queued and starting share one.
    static QIcon state(SessionState state);
    // The resource the state's icon comes from (":/keepwatch/icons/...").
    static QString statePath(SessionState state);
    static QIcon application();
    // A padlock: a session this user cannot cancel (another user's).
    static QIcon locked();

    // Renders an SVG resource at each of `sizes` (device-independent pixels).
    static QIcon fromSvg(const QString &path, std::initializer_list<int> sizes);
};

} // namespace kw
