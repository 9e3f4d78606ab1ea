// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "protocol/sessiontypes.h"

#include <QStyledItemDelegate>

namespace kw {

// Paints one log line on one row: time, a coloured level tag, the message,
// in the font of the view (monospace, so columns line up). One delegate for
// millions of rows: nothing is cached per line, only QStrings for the rows
// being painted are built. A message too long for the row is elided; its
// tooltip shows it whole.
//
// Where the pane's search matches, the message gets a highlight behind the
// text (LogModel::MatchRangesRole), the way a browser's find bar marks it.
class LogLineDelegate final : public QStyledItemDelegate {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogLineDelegate)

public:
    // What a row shows: the log pane shows the time of day; Search All
    // Logs has the date and time in a column of its own.
    enum class Parts { TimeLevelMessage, LevelMessage };

    explicit LogLineDelegate(QObject *parent = nullptr);
    LogLineDelegate(Parts parts, QObject *parent);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    bool helpEvent(QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &option,
                   const QModelIndex &index) override;

    // Readable on the palette's Base (lighter shades on a dark one).
    static QColor levelColor(LogLevel level, const QPalette &palette);
    static QString levelTag(LogLevel level);
    // Behind matched text; opaque, so the text on it keeps its contrast.
    static QColor matchColor(const QPalette &palette);
    // The rectangles painted behind the matches of `index`'s message, as
    // laid out in `option` (only the part left after eliding).
    static QList<QRect> matchRects(const QStyleOptionViewItem &option, const QModelIndex &index,
                                   Parts parts = Parts::TimeLevelMessage);

private:
    struct Layout {
        QRect time;
        QRect level;
        QRect message;
    };
    static Layout layout(const QStyleOptionViewItem &option, Parts parts);

    Parts m_parts = Parts::TimeLevelMessage;
};

} // namespace kw
