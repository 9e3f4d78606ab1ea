// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "cancel/wrappercancel.h"

#include "format/shellquote.h"
#include "logging/logging.h"
#include "platform/processprobe.h"
#include "platform/useraccounts.h"
#include "protocol/eventcodec.h"
#include "protocol/sessionid.h"
#include "spool/sessionowner.h"
#include "spool/spoollocation.h"
#include "spool/spooltailer.h"
#include "spool/systemspool.h"
#include "store/sessionstore.h"

#include <QDeadlineTimer>
#include <QThread>

namespace kw {

namespace {
// `sudo keepwatch-cli cancel ID`, with the source when root would not find
// it in its own spool.
QString sudoCancel(const QString &sessionId, const QString &source) {
    QString command =
        QStringLiteral("sudo keepwatch-cli cancel ") + ShellQuote::quoteIfNeeded(sessionId);
    if (!source.isEmpty() && source != QLatin1String("spool"))
        command += QStringLiteral(" --source ") + ShellQuote::quoteIfNeeded(source);
    return command;
}
} // namespace

WrapperCancel::Target WrapperCancel::target(const SessionStore &store, int row,
                                            const QString &sessionFile) {
    const Session &s = store.at(row);
    Target t;
    t.sessionFile = sessionFile;
    t.sessionId = s.id();
    t.source = s.key.source;
    t.spoolOwner = SystemSpool::userOfIdentity(s.key.source);
    t.owner = SessionOwner::of(s);
    t.state = s.state;
    t.producerPid = s.producerPid;
    t.producerStartTicks = s.producerStartTicks;
    t.bootId = s.bootId;
    for (int other = 0; other < store.count(); ++other) {
        const Session &o = store.at(other);
        if (other != row && o.producerPid && o.producerStartTicks)
            t.otherProducers.append({o.id(), *o.producerPid, *o.producerStartTicks});
    }
    return t;
}

QString WrapperCancel::ownerRefusal(const QString &sessionId, const QString &source,
                                    const QString &owner) {
    if (owner.isEmpty() || owner == SessionOwner::me() || UserAccounts::effectiveUid() == 0)
        return {};
    const QString id = SessionId::quoted(sessionId);
    const QString who = owner == QLatin1String("root") ? owner : owner + QStringLiteral(" or root");
    if (!SpoolLocation::isSpoolIdentity(source))
        // Not started by keepwatch-cli run: no wrapper to ask, and the
        // kernel lets only its owner and root signal the process.
        return QStringLiteral("session %1 is %2's: only %3 can stop it").arg(id, owner, who);
    return QStringLiteral("session %1 is %2's: only %3 can cancel it (%4)")
        .arg(id, owner, who, sudoCancel(sessionId, source));
}

QString WrapperCancel::ownerRefusal(const Session &session) {
    // A systemd unit's run is stopped through its manager, which asks
    // polkit: whose it is decides nothing here.
    if (!isActive(session.state) || Session::isUnitRunSource(session.key.source))
        return {};
    return ownerRefusal(session.id(), session.key.source, SessionOwner::of(session));
}

QString WrapperCancel::refusal(const Target &t) {
    const QString id = SessionId::quoted(t.sessionId);
    if (isTerminal(t.state))
        return QStringLiteral("session %1 has already ended (%2)").arg(id, wireName(t.state));
    // Another user's session: the kernel would refuse the signal anyway
    // (and hidepid may hide the wrapper), so say what to do instead.
    if (QString why =
            ownerRefusal(t.sessionId, t.source, t.owner.isEmpty() ? t.spoolOwner : t.owner);
        !why.isEmpty())
        return why;
    if (!t.producerPid || !t.producerStartTicks)
        return QStringLiteral("session %1 was not started by keepwatch-cli run; stop its "
                              "producer another way")
            .arg(id);
    const uint me = UserAccounts::effectiveUid();
    const QString sudo = sudoCancel(t.sessionId, t.source);
    const qint64 pid = *t.producerPid;
    if (ProcessProbe::liveness(pid, *t.producerStartTicks, t.bootId)
        != ProcessProbe::Liveness::Alive)
        return QStringLiteral("the wrapper of session %1 (pid %2) is no longer running")
            .arg(id)
            .arg(pid);
    // Who may signal whom, before anything is read that another user's
    // process may hide (its command line under hidepid).
    const std::optional<uint> wrapperUid = ProcessProbe::ownerUid(pid);
    const QString runsAs =
        wrapperUid ? UserAccounts::nameOf(*wrapperUid) : QStringLiteral("an unknown user");
    if (me != 0 && wrapperUid != me)
        return QStringLiteral("session %1 runs as %2 (its wrapper, pid %3): only %2 or root may "
                              "cancel it; run `%4`")
            .arg(id, runsAs)
            .arg(pid)
            .arg(sudo);
    // Trust the kernel: the wrapper must be the process of the session's
    // owner: its file's owner, or for a system-spool session named without
    // a file, the user whose directory holds it (whose files SpoolSource
    // accepts only from that user).
    std::optional<uint> owner = ProcessProbe::fileOwnerUid(t.sessionFile);
    if (!owner && !t.sessionFile.isEmpty() && me == 0)
        return QStringLiteral("cannot tell who owns %1, the file of session %2; refusing to "
                              "signal pid %3 as root")
            .arg(t.sessionFile, id)
            .arg(pid);
    if (!owner && !t.spoolOwner.isEmpty())
        owner = UserAccounts::uidOf(t.spoolOwner);
    if ((!owner && !t.spoolOwner.isEmpty()) || (owner && wrapperUid != owner))
        return QStringLiteral("the wrapper of session %1 (pid %2) runs as %3, but the session is "
                              "%4's; refusing to signal it")
            .arg(id)
            .arg(pid)
            .arg(runsAs, owner ? UserAccounts::nameOf(*owner) : t.spoolOwner);
    // argv[1] must be "run": any other keepwatch-cli would die of the signal.
    const QStringList argv = ProcessProbe::arguments(pid);
    if (ProcessProbe::name(pid) != ProcessProbe::wrapperName() || argv.size() < 2
        || argv.at(1) != QLatin1String("run"))
        return QStringLiteral("pid %1 is not a keepwatch-cli wrapper; refusing to signal it")
            .arg(pid);
    for (const Target::Producer &other : t.otherProducers) {
        if (other.pid == pid && other.startTicks == *t.producerStartTicks)
            return QStringLiteral("pid %1 is also named as the wrapper of session %2; refusing "
                                  "to signal it")
                .arg(pid)
                .arg(SessionId::quoted(other.sessionId));
    }
    return {};
}

QString WrapperCancel::request(const Target &t) {
    if (QString why = refusal(t); !why.isEmpty()) {
        qCInfo(log::cancel).noquote() << "refused:" << why;
        return why;
    }
    if (const QString error = ProcessProbe::sendCancelRequest(*t.producerPid); !error.isEmpty())
        return QStringLiteral("cannot signal pid %1: %2").arg(*t.producerPid).arg(error);
    qCInfo(log::cancel).noquote() << "asked the wrapper of session"
                                  << SessionId::quoted(t.sessionId) << "(pid" << *t.producerPid
                                  << ") to stop its command";
    return {};
}

namespace {

// Decodes the lines of one session's file and keeps its end event's state.
class EndSink final : public LineSink {
public:
    explicit EndSink(const QString &sessionId)
        : m_sessionId(sessionId) {}
    void line(QByteArrayView bytes, qint64) override {
        Event event;
        if (m_decoder.decode(bytes, event).ok && event.session == m_sessionId)
            if (const auto *end = event.as<EndPayload>())
                state = end->state;
    }
    void problem(qint64, const QString &) override {}
    std::optional<SessionState> state;

private:
    QString m_sessionId;
    EventDecoder m_decoder;
};

} // namespace

std::optional<SessionState> WrapperCancel::waitForEnd(const QString &file, const QString &sessionId,
                                                      int timeoutMs) {
    // Only this session's file, read on from where the last look stopped:
    // a spool of thousands of sessions costs nothing more.
    SpoolTailer tailer(file, Protocol::kMaxLineBytes);
    EndSink sink(sessionId);
    QDeadlineTimer deadline(timeoutMs);
    for (;;) {
        do {
            tailer.poll(sink, 4 * 1024 * 1024);
        } while (tailer.hasMore() && !sink.state);
        if (sink.state || deadline.hasExpired())
            return sink.state;
        QThread::msleep(50);
    }
}

} // namespace kw
