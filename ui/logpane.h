// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "store/session.h"

#include <QTimer>
#include <QWidget>
#include <array>
#include <optional>

class QAction;
class QCheckBox;
class QLabel;
class QLineEdit;
class QToolButton;

namespace kw {

class LogLineView;
class LogModel;
class LogTextSaver;
class SessionStore;

// One session's log: level toggles, a search field (substring, or a regular
// expression on request) whose matches are highlighted and stepped through
// (Enter / F3 next, Shift+Enter / Shift+F3 previous, "3 of 1,204"), "Only
// matching" to hide the other lines, "Follow", and a LogLineView over a
// LogModel. Ctrl+C copies the selected lines; "Save as Text…" writes the
// shown lines on a worker thread.
//
// Follow sticks to the newest line only while the user is at the bottom:
// scrolling up to read (or stepping to a match) pauses it without touching
// the checkbox, scrolling back down resumes it. Scrolling is coalesced to
// once per event-loop pass, however many inserts arrive in it.
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
    LogLineView *view() const { return m_view; }

    bool isFollowEnabled() const;
    void setFollowEnabled(bool enabled);
    // True when the view shows its last line (or everything fits).
    bool isAtBottom() const;
    QString statusText() const;

    // Gives the search field the keyboard focus, with its text selected.
    void focusSearch();
    // Applies a search still being typed, then makes the next (previous)
    // matching line current, wrapping around at the end (start).
    void findNext();
    void findPrevious();
    // "3 of 1,204", "1,204 matches", "No matches", or empty without a search.
    QString matchCounterText() const;
    // Whether the last step wrapped around.
    bool searchWrapped() const { return m_wrapped; }

    // Shows the line a search of the history found (Search All Logs): the
    // pane searches for `match` (plain text), and the line with sequence
    // number `seq` whose text is `line` becomes the current, selected row,
    // centred. A log still being read from the history is waited for; a line
    // the pane no longer holds is said in the message line.
    void revealLine(qint64 seq, const QString &line, const QString &match);
    // Whether a revealLine() still waits for the log.
    bool isRevealPending() const { return m_reveal.has_value(); }

    // Writes the shown lines to `fileName` in the background; the result
    // shows in the pane's message line (and through saver()->finished).
    void saveAsText(const QString &fileName);
    LogTextSaver *saver() const { return m_saver; }
    // The message line: the last save's outcome, empty when hidden.
    QString messageText() const;
    bool messageIsError() const { return m_messageIsError; }

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void applySearch();
    void setSearchError(const QString &error);
    void beforeRowsChange();
    void afterRowsChange();
    void scheduleScrollToBottom();
    void updateStatus();
    void updateMatchCounter();
    void step(bool forward);
    // Makes the row current and selected, centred, and stops following.
    void showRow(int row);
    void copySelection() const;
    void askSaveAsText();
    void showMessage(const QString &text, bool error);
    void tryReveal();

    LogModel *m_model;
    LogLineView *m_view;
    std::array<QToolButton *, 4> m_levelButtons{};
    QLineEdit *m_search;
    QAction *m_searchErrorAction;
    QToolButton *m_previous;
    QToolButton *m_next;
    QLabel *m_matchCounter;
    QCheckBox *m_regex;
    QCheckBox *m_onlyMatching;
    QCheckBox *m_follow;
    QLabel *m_status;
    QToolButton *m_save;
    QWidget *m_messageBar;
    QLabel *m_messageIcon;
    QLabel *m_message;
    LogTextSaver *m_saver;
    QTimer m_searchTimer;
    QPalette m_searchPalette; // the field's normal look, restored after an error
    // Whether the view was at the bottom before the current batch of
    // inserts; decided once per pending scroll, not per insert.
    bool m_stickToBottom = true;
    bool m_scrollPending = false;
    bool m_wrapped = false;
    bool m_stepping = false; // the current row moves because of a step
    bool m_messageIsError = false;
    struct Reveal {
        qint64 seq = 0;
        QString line;
    };
    std::optional<Reveal> m_reveal;
};

} // namespace kw
