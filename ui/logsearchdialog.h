// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "history/historysearch.h"

#include <QDialog>
#include <QSet>
#include <functional>
#include <memory>

class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

namespace kw {

class HistorySearchRunner;
class SearchHitModel;

// Search All Logs (Ctrl+Shift+F): every log line the history holds, found
// through its full-text index (HistorySearch: words, "phrases", prefix*,
// paths). The list fills while the search runs on a pool thread; Stop (or
// a new search, or closing) ends it. Enter or a double-click on a line asks
// the window to open its session's log at that line (lineActivated).
//
// The window's filter bar applies: the window says which sessions it lets
// through when a search starts, and only their lines are found.
class LogSearchDialog final : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogSearchDialog)

public:
    // At most this many lines are listed; more says to narrow the search.
    static constexpr int kMaxHits = 10000;
    // The sessions a search may find lines of; null: every session.
    using Scope = std::function<std::shared_ptr<const QSet<SessionKey>>()>;

    LogSearchDialog(const QString &historyPath, Scope scope, QWidget *parent = nullptr);
    ~LogSearchDialog() override;

    QLineEdit *queryField() const { return m_query; }
    QTableView *results() const { return m_results; }
    SearchHitModel *model() const { return m_model; }
    HistorySearchRunner *runner() const { return m_runner; }
    QPushButton *stopButton() const { return m_stop; }
    // "Searching… 250 lines", "1,204 lines in 37 sessions", a malformed
    // query's error, …
    QString statusText() const;
    bool statusIsError() const { return m_statusIsError; }
    // What the window's filter bar limits the search to, or empty.
    QString scopeText() const;

    // Searches for what the field says (what Enter in it does).
    void search();
    void stop();

signals:
    void lineActivated(const kw::SearchHit &hit);

protected:
    void hideEvent(QHideEvent *event) override;

private:
    void setStatus(const QString &text, bool error);
    void onFinished(int hits, bool more, bool stopped, const QString &error);

    Scope m_scope;
    QLineEdit *m_query;
    QPushButton *m_search;
    QPushButton *m_stop;
    QLabel *m_scopeLabel;
    QTableView *m_results;
    QLabel *m_status;
    SearchHitModel *m_model;
    HistorySearchRunner *m_runner;
    bool m_statusIsError = false;
};

} // namespace kw
