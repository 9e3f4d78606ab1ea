// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "notifier.h"

#include "models/hostmodel.h"
#include "protocol/timestamp.h"
#include "spool/sessionowner.h"
#include "store/sessionstore.h"
#ifdef KEEPWATCH_WITH_SYSTEMD
#include "systemd/timerschedule.h"
#endif

#ifdef KEEPWATCH_WITH_DBUS
#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#endif
#include <QLoggingCategory>
#include <QThread>
#include <algorithm>
#include <map>

Q_LOGGING_CATEGORY(lcNotifier, "keepwatch.notifier")

namespace kw {

namespace {

constexpr int kShortIdChars = 8;
// The name of the .desktop file: lets the server show the app's icon and
// group its notifications.
const QString kDesktopEntry = QStringLiteral("io.github.keepwatch.Keepwatch");

// freedesktop urgency levels: a failure stays until the user sees it.
#ifdef KEEPWATCH_WITH_DBUS
uchar urgencyOf(SessionState state) {
    switch (state) {
    case SessionState::Failed:
    case SessionState::Interrupted:
        return 2; // critical
    case SessionState::Succeeded:
        return 0; // low
    default:
        return 1; // normal
    }
}

QString categoryOf(SessionState state) {
    return state == SessionState::Succeeded ? QStringLiteral("transfer.complete")
                                            : QStringLiteral("transfer.error");
}
#endif

// "failed", as in "“Photos to NAS” failed".
QString stateWords(SessionState state) {
    switch (state) {
    case SessionState::Failed:
        return Notifier::tr("failed");
    case SessionState::Stalled:
        return Notifier::tr("stalled");
    case SessionState::Interrupted:
        return Notifier::tr("was interrupted");
    case SessionState::Warning:
        return Notifier::tr("finished with warnings");
    case SessionState::Succeeded:
        return Notifier::tr("succeeded");
    default:
        return QString(wireName(state));
    }
}

// "5 sessions failed".
QString manyWords(SessionState state, int n) {
    switch (state) {
    case SessionState::Failed:
        return Notifier::tr("%1 sessions failed").arg(n);
    case SessionState::Stalled:
        return Notifier::tr("%1 sessions stalled").arg(n);
    case SessionState::Interrupted:
        return Notifier::tr("%1 sessions were interrupted").arg(n);
    case SessionState::Warning:
        return Notifier::tr("%1 sessions finished with warnings").arg(n);
    case SessionState::Succeeded:
        return Notifier::tr("%1 sessions succeeded").arg(n);
    default:
        return Notifier::tr("%1 sessions are %2").arg(n).arg(wireName(state));
    }
}

} // namespace

#ifdef KEEPWATCH_WITH_DBUS
Notifier::Notifier(const SessionStore *store, QObject *parent)
    : Notifier(store, QDBusConnection::sessionBus(), parent) {}

Notifier::Notifier(const SessionStore *store, const QDBusConnection &bus, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_bus(bus)
    , m_sinceMs(Timestamp::nowMs()) {
#else
Notifier::Notifier(const SessionStore *store, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_sinceMs(Timestamp::nowMs()) {
#endif
    qRegisterMetaType<kw::Notifier::Message>();
    // What the store holds already is what was there before we watched.
    m_seen.resize(size_t(m_store->count()));
    for (int row = 0; row < m_store->count(); ++row)
        m_seen[size_t(row)] = Seen{true, m_store->at(row).state, 0};
    connect(m_store, &SessionStore::changed, this, &Notifier::onStoreChanged);
    m_coalesce.setSingleShot(true);
    m_coalesce.setInterval(kCoalesceMs);
    connect(&m_coalesce, &QTimer::timeout, this, &Notifier::flush);
#ifdef KEEPWATCH_WITH_DBUS
    if (m_bus.isConnected())
        queryCapabilities();
    else
        qCInfo(lcNotifier) << "no D-Bus session bus: desktop notifications are off";
#endif
}

bool Notifier::hasDelivery() const {
#ifdef KEEPWATCH_WITH_DBUS
    return m_bus.isConnected();
#else
    return true; // the tray icon, through sent()
#endif
}

Notifier::~Notifier() = default;

#ifdef KEEPWATCH_WITH_DBUS
void Notifier::queryCapabilities() {
    const QDBusMessage call = QDBusMessage::createMethodCall(kService, kPath, kInterface,
                                                             QStringLiteral("GetCapabilities"));
    auto *watcher = new QDBusPendingCallWatcher(m_bus.asyncCall(call), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, [this, watcher] {
        watcher->deleteLater();
        const QDBusPendingReply<QStringList> reply = *watcher;
        if (!reply.isError())
            m_bodyMarkup = reply.value().contains(QLatin1String("body-markup"));
    });
}
#endif

void Notifier::onStoreChanged(const StoreChange &change) {
    Q_ASSERT(QThread::currentThread() == thread());
    for (const int row : change.changedRows)
        consider(row);
    for (int i = 0; i < change.newRows; ++i)
        consider(change.firstNewRow + i);
    if (!m_pending.isEmpty() && !m_coalesce.isActive())
        m_coalesce.start();
}

void Notifier::consider(int row) {
    const Session &s = m_store->at(row);
    if (size_t(row) >= m_seen.size())
        m_seen.resize(size_t(row) + 1);
    Seen &seen = m_seen[size_t(row)];
    const bool changed = !seen.known || seen.state != s.state;
    const qint64 lastActive = seen.lastActiveMs;
    seen.known = true;
    seen.state = s.state;
    if (isActive(s.state))
        seen.lastActiveMs = s.lastEventMs;
    const auto owner =
        SessionOwner::isMine(s) ? AppSettings::Owner::Mine : AppSettings::Owner::Others;
    if (!changed || !m_rules.notifies(s.state, owner) || !happenedWhileWatching(s, lastActive))
        return;
    Pending p;
    p.state = s.state;
    p.title = s.displayTitle();
    p.id = s.key.id;
    p.tool = s.tool;
    p.kind = s.kind;
    p.detail = s.summary.isEmpty() ? s.stateReason : s.summary;
    m_pending.append(p);
}

bool Notifier::happenedWhileWatching(const Session &s, qint64 lastActiveMs) const {
    switch (s.state) {
    case SessionState::Stalled:
        // It became stalled when its progress stopped, plus the timeout.
        return s.lastProgressChangeMs + m_store->stallTimeoutMs() >= m_sinceMs;
    case SessionState::Interrupted: {
        // The end is made up when the producer is found gone, so its time says
        // nothing; the producer's last sign of life does.
        const qint64 alive = std::max({s.effectiveStartMs(), s.lastProgressMs, lastActiveMs});
        return alive >= m_sinceMs;
    }
    default:
        return s.knownEndMs().value_or(s.lastEventMs) >= m_sinceMs;
    }
}

QList<Notifier::Message> Notifier::compose() const {
    // Per state, in the order the states first fired.
    std::map<int, QList<Pending>> byState;
    QList<SessionState> order;
    for (const Pending &p : m_pending) {
        if (!byState.count(int(p.state)))
            order.append(p.state);
        byState[int(p.state)].append(p);
    }
    QList<Message> out;
    for (const SessionState state : order) {
        const QList<Pending> &group = byState[int(state)];
        Message m;
        m.state = state;
        m.sessions = int(group.size());
        if (group.size() == 1) {
            const Pending &p = group.first();
            m.summary = tr("“%1” %2").arg(p.title, stateWords(state));
            QString body = tr("%1 %2, session %3").arg(p.tool, wireName(p.kind), p.id);
            if (!p.detail.isEmpty())
                body += QLatin1Char('\n') + p.detail;
            m.body = bodyText(body);
        } else {
            m.summary = manyWords(state, int(group.size()));
            QStringList lines;
            for (qsizetype i = 0; i < group.size() && i < kMaxListed; ++i)
                lines << tr("• %1 (%2)").arg(group[i].title, group[i].id.left(kShortIdChars));
            if (group.size() > kMaxListed)
                lines << tr("and %1 more").arg(group.size() - kMaxListed);
            m.body = bodyText(lines.join(QLatin1Char('\n')));
        }
        out.append(m);
    }
    return out;
}

QString Notifier::bodyText(const QString &text) const {
    // Titles and summaries are untrusted: a server that reads markup must not
    // get links or images out of a session title.
    return m_bodyMarkup ? text.toHtmlEscaped() : text;
}

void Notifier::flush() {
    m_coalesce.stop();
    if (m_pending.isEmpty())
        return;
    const QList<Message> messages = compose();
    m_pending.clear();
    if (!hasDelivery())
        return;
    for (const Message &m : messages)
        send(m);
}

#ifdef KEEPWATCH_WITH_SYSTEMD
void Notifier::notifyOverdue(const ScheduleStatus &status) {
    if (!m_rules.notifyOnFailed)
        return;
    Message m;
    m.state = SessionState::Failed;
    m.summary = tr("Backup overdue: %1").arg(status.schedule.service);
    m.body = bodyText(tr("%1: %2").arg(status.schedule.timer, status.why));
    send(m);
}
#endif

void Notifier::notifyHostOffline(const HostRow &row) {
    if (!m_rules.notifyOnFailed)
        return;
    Message m;
    m.state = SessionState::Interrupted;
    m.sessions = row.running;
    m.summary = tr("Host offline: %1").arg(row.presence.host);
    m.body =
        bodyText(tr("%n backup(s) were running; their end is not known yet", nullptr, row.running));
    send(m);
}

void Notifier::send(const Message &m) {
#ifdef KEEPWATCH_WITH_DBUS
    QDBusMessage call =
        QDBusMessage::createMethodCall(kService, kPath, kInterface, QStringLiteral("Notify"));
    QVariantMap hints;
    hints.insert(QStringLiteral("urgency"), QVariant::fromValue(urgencyOf(m.state)));
    hints.insert(QStringLiteral("category"), categoryOf(m.state));
    hints.insert(QStringLiteral("desktop-entry"), kDesktopEntry);
    call << QStringLiteral("Keepwatch") << uint(0) << kDesktopEntry << m.summary << m.body
         << QStringList() << hints << int(-1);
    auto *watcher = new QDBusPendingCallWatcher(m_bus.asyncCall(call), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, [this, watcher] {
        watcher->deleteLater();
        const QDBusPendingReply<uint> reply = *watcher;
        if (!reply.isError()) {
            m_lastError.clear();
            return;
        }
        // Logged once per kind of failure, not per notification.
        const QString error = reply.error().name() + QLatin1String(": ") + reply.error().message();
        if (error != m_lastError)
            qCInfo(lcNotifier) << "desktop notification not shown:" << error;
        m_lastError = error;
        emit failed(error);
    });
#endif
    emit sent(m);
}

} // namespace kw
