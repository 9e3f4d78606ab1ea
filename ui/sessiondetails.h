// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "store/session.h"

#include <QHash>
#include <QTimer>
#include <QWidget>
#include <functional>
#include <optional>
#include <tuple>

class QFormLayout;
class QLabel;
class QLineEdit;
class QStackedWidget;
class QToolButton;
class QTreeWidget;

namespace kw {

class SessionStore;
struct StoreChange;

// Everything about the selected session, for reading and copying: the full
// ID (with a copy button), the command line with its secrets removed, the
// repository, times, counters, the exit code and what it means for the tool,
// the summary, and the events timeline (start, state changes, first warning
// and error, end).
//
// Follows the store live: one store change costs a hash lookup and two
// binary searches unless it touched the shown session; a running session's
// duration ticks once a second while the area is visible.
class SessionDetails final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SessionDetails)

public:
    explicit SessionDetails(SessionStore *store, QWidget *parent = nullptr);
    ~SessionDetails() override;

    // The session to show; none shows a hint.
    void setSession(const std::optional<SessionKey> &key);
    const std::optional<SessionKey> &session() const { return m_key; }

    // The clock durations follow (tests set their own).
    void setClock(std::function<qint64()> clock);
    // The words for a session's state, as the table says them (an offline
    // host's running session is "unknown since …"); default: its wire name.
    void setStateText(std::function<QString(const Session &)> stateText);
    // Draws the shown session again (its state's words changed elsewhere).
    void refresh();

    // The text a field shows, by the field's object name ("detailCommand"),
    // as a person would read it (for tests and accessibility checks).
    QString fieldText(const QString &objectName) const;
    QTreeWidget *eventsView() const { return m_events; }
    // How often the shown session was redrawn (tests check that unrelated
    // changes cost nothing).
    int refreshCount() const { return m_refreshes; }

    // The command line as shown: secrets removed again (a script may write
    // events by hand), words quoted where a shell would need it.
    static QString commandText(const QStringList &command);
    // "12 — wrong password", "killed by SIGTERM", or empty while running.
    static QString exitText(const Session &session);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void buildUi();
    void onStoreChanged(const StoreChange &change);
    void refreshTimes(const Session &s);
    void refreshEvents(const Session &s);
    void updateTimer();
    QLabel *addField(const QString &objectName, const QString &label);

    SessionStore *m_store;
    std::optional<SessionKey> m_key;
    std::function<qint64()> m_clock;
    std::function<QString(const Session &)> m_stateText;
    QTimer m_tick;
    int m_refreshes = 0;
    // What the events list shows: rebuilt only when this changes.
    std::tuple<qsizetype, qint64, qint64> m_eventsShown{-1, -1, -1};

    QStackedWidget *m_stack = nullptr;
    QLabel *m_placeholder = nullptr;
    QLabel *m_title = nullptr;
    QLineEdit *m_id = nullptr;
    QToolButton *m_copyId = nullptr;
    QTreeWidget *m_events = nullptr;
    QHash<QString, QLabel *> m_fields;
    QFormLayout *m_form = nullptr;
};

} // namespace kw
