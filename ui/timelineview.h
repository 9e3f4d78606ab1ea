// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "models/timelinelayout.h"
#include "protocol/sessiontypes.h"

#include <QAbstractScrollArea>
#include <QItemSelectionModel>
#include <QPointer>
#include <QTimer>
#include <functional>

class QAbstractItemModel;
class QItemSelectionModel;
class QModelIndex;

namespace kw {

struct Session;

// Parallel sessions as bars along time, so that overlaps and long runners
// show at a glance: one lane per concurrent session (TimelineLayout), a bar
// per session coloured by state, running bars growing to the "now" line, and
// a time axis on top.
//
// It shows the rows of any model whose rows are sessions (the window gives
// it the table's filtered, sorted model and shares the table's selection
// model), so it shows what the filter shows and selects what the table
// selects. Sessions are read through the proxies down to SessionTableModel.
//
// Painted by hand: only the lanes and bars in view are painted, and the
// layout is redone only when rows or states change, so thousands of sessions
// cost no more than the few dozen that fit on screen.
//
// Mouse: click selects (Ctrl+click toggles), double-click opens, Ctrl+wheel
// zooms around the pointer, wheel and Shift+wheel scroll. Keys: Ctrl++ /
// Ctrl+- zoom, Ctrl+0 fits, arrows scroll, Home goes to the first session,
// End follows now again, Enter opens the current session.
class TimelineView final : public QAbstractScrollArea {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TimelineView)

public:
    static constexpr double kMinMsPerPixel = 10;              // 1 s in 100 px
    static constexpr double kMaxMsPerPixel = 6 * 3600 * 1000; // four weeks in 112 px
    // Until the user zooms: at most this much history in view.
    static constexpr qint64 kDefaultSpanMs = 24 * 3600 * 1000;

    explicit TimelineView(QWidget *parent = nullptr);
    ~TimelineView() override;

    void setModel(QAbstractItemModel *model);
    QAbstractItemModel *model() const { return m_model; }
    void setSelectionModel(QItemSelectionModel *selection);
    QItemSelectionModel *selectionModel() const { return m_selection; }

    // The clock the now line and running bars follow (tests set their own).
    void setClock(std::function<qint64()> clock);
    qint64 nowMs() const;
    // Moves the now line to the clock's time; runs every second while shown.
    void refreshNow();

    double msPerPixel() const { return m_msPerPixel; }
    // Zooms keeping the time at viewport x `anchorX` in place (-1: the middle).
    void setMsPerPixel(double msPerPixel, int anchorX = -1);
    void zoomIn();
    void zoomOut();
    // Everything (or the last kDefaultSpanMs of it) in view, following now.
    void zoomToFit();
    // Whether the view scrolls along with the now line.
    bool followsNow() const { return m_followNow; }

    // Geometry in viewport coordinates, for tests and tooltips.
    QModelIndex indexAt(const QPoint &viewportPos) const;
    // The bar of model row `row`, clipped to nothing when out of view.
    QRect barRect(int row) const;
    int nowX() const;
    // The time at the viewport's left edge.
    qint64 viewStartMs() const { return m_viewStartMs; }
    int laneCount() const;

    // Fill colours per state: the table's accents (failed and interrupted
    // red, stalled orange, warning amber) on the palette's base, plus the
    // palette's highlight for running sessions.
    static QColor stateColor(SessionState state, const QPalette &palette);
    QColor nowLineColor() const;

signals:
    // Double-click or Enter on a session: the window opens its log.
    void activated(const QModelIndex &index);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void scrollContentsBy(int dx, int dy) override;
    bool viewportEvent(QEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void invalidateLayout();
    void onDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight);
    void ensureLayout() const;
    // Layout, zoom, scroll bars and a repaint, after rows or the clock changed.
    void relayout();
    void applyFit();
    void updateScrollBars();
    const Session *sessionAt(int row) const;
    TimeScale scale() const { return TimeScale(m_viewStartMs, m_msPerPixel); }
    int axisHeight() const;
    int laneHeight() const;
    int laneTop(int lane) const; // viewport y
    // The range the horizontal scroll bar spans.
    qint64 rangeStartMs() const;
    qint64 rangeEndMs() const;
    void setViewStart(qint64 ms);
    void followNowIfWanted();
    void selectRow(int row, bool toggle);
    void scrollToRow(int row);
    int currentRow() const;
    void paintAxis(QPainter &painter, const QRect &rect) const;
    void paintBars(QPainter &painter, const QRect &rect) const;
    QString toolTipFor(int row) const;

    QPointer<QAbstractItemModel> m_model;
    QPointer<QItemSelectionModel> m_selection;
    QList<QMetaObject::Connection> m_modelConnections;
    QList<QMetaObject::Connection> m_selectionConnections;
    std::function<qint64()> m_clock;

    mutable TimelineLayout m_layout;
    mutable bool m_layoutDirty = true;
    // State per model row at the last layout: a changed state repaints, a
    // changed end relayouts.
    mutable QList<quint8> m_rowStates;

    double m_msPerPixel = 60000;
    qint64 m_viewStartMs = 0;
    qint64 m_nowMs = 0;
    bool m_fitting = true;   // the user has not zoomed yet
    bool m_followNow = true; // the now line stays in view
    bool m_settingScrollBars = false;
    QTimer m_nowTimer;
    QTimer m_relayoutTimer; // coalesces bursts of row changes
};

} // namespace kw
