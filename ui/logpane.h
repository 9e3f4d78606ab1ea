#pragma once

#include "store/session.h"

#include <QTimer>
#include <QWidget>
#include <array>

class QAction;
class QCheckBox;
class QLabel;
class QLineEdit;
class QListView;
class QToolButton;

namespace kw {

class LogModel;
class SessionStore;

// One session's log: level toggles, a search field (substring, or a regular
// expression on request), "Follow", and a QListView over a LogModel.
//
// Follow sticks to the newest line only while the user is at the bottom:
// scrolling up to read pauses it without touching the checkbox, scrolling
// back down resumes it. Scrolling is coalesced to once per event-loop pass,
// however many inserts arrive in it.
//
// A hidden pane (a background tab) deactivates its model, which then does no
// work and catches up from its sequence number when shown again.
class LogPane final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogPane)

public:
    static constexpr int kSearchDebounceMs = 300;

    LogPane(SessionStore *store, const SessionKey &key, QWidget *parent = nullptr);
    ~LogPane() override;

    const SessionKey &sessionKey() const;
    LogModel *model() const { return m_model; }
    QListView *view() const { return m_view; }

    bool isFollowEnabled() const;
    void setFollowEnabled(bool enabled);
    // True when the view shows its last line (or everything fits).
    bool isAtBottom() const;
    QString statusText() const;

    // Gives the search field the keyboard focus, with its text selected.
    void focusSearch();

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void applySearch();
    void setSearchError(const QString &error);
    void beforeRowsChange();
    void afterRowsChange();
    void scheduleScrollToBottom();
    void updateStatus();
    void copySelection() const;

    LogModel *m_model;
    QListView *m_view;
    std::array<QToolButton *, 4> m_levelButtons{};
    QLineEdit *m_search;
    QAction *m_searchErrorAction;
    QCheckBox *m_regex;
    QCheckBox *m_follow;
    QLabel *m_status;
    QTimer m_searchTimer;
    QPalette m_searchPalette; // the field's normal look, restored after an error
    // Whether the view was at the bottom before the current batch of
    // inserts; decided once per pending scroll, not per insert.
    bool m_stickToBottom = true;
    bool m_scrollPending = false;
};

} // namespace kw
