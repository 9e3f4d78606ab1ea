// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "protocol/sessiontypes.h"

#include <QBrush>
#include <QIcon>
#include <QIdentityProxyModel>
#include <QPalette>
#include <array>

namespace kw {

// Adds what only a GUI knows to the session table: a state icon in the State
// column, a padlock in the User column of sessions this user cannot cancel
// (another user's; the tooltip says why and what to run) and a tinted
// background on rows the user must look at. The core's
// SessionTableModel stays QtCore-only; icons and colours live here.
//
// Tints are derived from the palette (a blend of Base towards an accent), so
// text stays readable in light and dark themes; call setPalette() when the
// palette changes.
class SessionDecorationProxy final : public QIdentityProxyModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SessionDecorationProxy)

public:
    explicit SessionDecorationProxy(QObject *parent = nullptr);

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    void setPalette(const QPalette &palette);
    const QPalette &palette() const { return m_palette; }

    const QIcon &stateIcon(SessionState state) const { return m_icons[size_t(state)]; }

    // The background for a row in `state`, or an invalid colour for none.
    static QColor tint(SessionState state, const QPalette &palette);

private:
    static constexpr size_t kStates = size_t(SessionState::Count);
    std::array<QIcon, kStates> m_icons;
    QIcon m_locked;
    std::array<QColor, kStates> m_tints;
    QPalette m_palette;
};

} // namespace kw
