// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "protocol/sessiontypes.h"
#include "settings/appsettings.h"
#include "store/session.h"

#ifdef KEEPWATCH_WITH_DBUS
#include <QDBusConnection>
#endif
#include <QHash>
#include <QObject>
#include <QStringList>
#include <QTimer>
#include <vector>

namespace kw {

struct HostRow;
struct ScheduleStatus;
class SessionStore;
struct StoreChange;

// Desktop notifications (freedesktop.org org.freedesktop.Notifications over
// D-Bus) when sessions enter a state the user asked to hear about: failed,
// stalled, interrupted, finished with warnings, and, if wanted, succeeded.
// Of the user's own sessions, that is; of other users' (root's and service
// users' backups in the system spool) only failures and interruptions
// (AppSettings::notifies).
//
// - One notification per transition, not per event: a session that stays
//   failed is not announced again; one that stalls, moves and stalls again is.
// - Only what happens while Keepwatch watches: sessions read from the spool or
//   the history that were already failed (or stalled, or interrupted) when the
//   window started are not news. "When" is the session's own time: its end,
//   the moment its progress stopped plus the stall timeout, or for an
//   interrupted one the last sign of life its producer gave.
// - Transitions arriving together (within kCoalesceMs) are coalesced per
//   state: "5 sessions failed" instead of five bubbles.
// - A clean no-op without a session bus; without a notification service the
//   calls fail asynchronously and are recorded in lastError(), never shown.
//   Calls are asynchronous: the GUI thread never waits on D-Bus.
// - Where there is no D-Bus (Windows) the notifier only decides: the tray
//   icon shows what sent() carries (MainWindow connects the two).
class Notifier final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Notifier)

public:
    static constexpr int kCoalesceMs = 250;
    static constexpr int kMaxListed = 5; // sessions named in a coalesced body
    static constexpr QLatin1String kService{"org.freedesktop.Notifications"};
    static constexpr QLatin1String kPath{"/org/freedesktop/Notifications"};
    static constexpr QLatin1String kInterface{"org.freedesktop.Notifications"};

    // What one bubble says.
    struct Message {
        QString summary;
        QString body;
        SessionState state = SessionState::Failed;
        int sessions = 1;
    };

    // Watches `store` from now on, over the session bus.
    explicit Notifier(const SessionStore *store, QObject *parent = nullptr);
#ifdef KEEPWATCH_WITH_DBUS
    Notifier(const SessionStore *store, const QDBusConnection &bus, QObject *parent = nullptr);
#endif
    ~Notifier() override;

    // Which states notify (the notify* fields of the settings).
    void setRules(const AppSettings &rules) {
        m_rules = rules;
    }
    // False without a session bus, or after the service answered with an error.
    bool isAvailable() const {
        return hasDelivery() && m_lastError.isEmpty();
    }
    QString lastError() const {
        return m_lastError;
    }
    // Sends what is waiting for the coalescing window now.
    void flush();
    // A systemd timer's backup became overdue (no successful run for longer
    // than its period and the grace): one bubble, when failures notify.
#ifdef KEEPWATCH_WITH_SYSTEMD
    void notifyOverdue(const kw::ScheduleStatus &status);
#endif
    // A host went offline while backups ran on it (their end is unknown):
    // one bubble, when failures notify.
    void notifyHostOffline(const kw::HostRow &row);

signals:
    // A notification was handed to the bus.
    void sent(const kw::Notifier::Message &message);
    // The bus or the service refused one (no service, bad reply).
    void failed(const QString &error);

private:
    struct Pending {
        SessionState state = SessionState::Failed;
        QString title;
        QString id;
        QString tool;
        SessionKind kind = SessionKind::Other;
        QString detail;
    };

    void onStoreChanged(const StoreChange &change);
    void consider(int row);
    bool happenedWhileWatching(const Session &session, qint64 lastActiveMs) const;
    QList<Message> compose() const;
    void send(const Message &message);
    void queryCapabilities();
    QString bodyText(const QString &text) const;
    bool hasDelivery() const;

    const SessionStore *m_store;
#ifdef KEEPWATCH_WITH_DBUS
    QDBusConnection m_bus;
#endif
    AppSettings m_rules = AppSettings::defaults();
    qint64 m_sinceMs = 0;
    // The state each session had when last seen, and when it last was seen
    // active (its newest event then): a transition is a change of the former.
    // By store row (the store only appends, rows never move): two hash
    // lookups by key per session were 4% of a 100,000-session start.
    struct Seen {
        bool known = false;
        SessionState state = SessionState::Running;
        qint64 lastActiveMs = 0;
    };
    std::vector<Seen> m_seen;
    QList<Pending> m_pending;
    QTimer m_coalesce;
    QString m_lastError;
    // Until the server says otherwise, bodies are escaped as if it read markup.
    bool m_bodyMarkup = true;
};

} // namespace kw

Q_DECLARE_METATYPE(kw::Notifier::Message)
