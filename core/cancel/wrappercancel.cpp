// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "cancel/wrappercancel.h"

#include "logging/logging.h"
#include "platform/processprobe.h"
#include "platform/useraccounts.h"
#include "protocol/eventcodec.h"
#include "protocol/sessionid.h"
#include "spool/spooltailer.h"
#include "spool/systemspool.h"
#include "store/sessionstore.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QThread>

namespace kw {

namespace {

// The real uid of process `pid` (/proc/PID/status), if it can be read.
std::optional<uint> realUidOf(qint64 pid) {
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return std::nullopt;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("Uid:")) {
            bool ok = false;
            const uint uid = line.mid(4).simplified().split(' ').value(0).toUInt(&ok);
            return ok ? std::optional<uint>(uid) : std::nullopt;
        }
    }
    return std::nullopt;
}

} // namespace

WrapperCancel::Target WrapperCancel::target(const SessionStore &store, int row) {
    const Session &s = store.at(row);
    Target t;
    t.sessionId = s.id();
    t.source = s.key.source;
    t.spoolOwner = SystemSpool::userOfIdentity(s.key.source);
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

QString WrapperCancel::refusal(const Target &t) {
    const QString id = SessionId::quoted(t.sessionId);
    if (isTerminal(t.state))
        return QStringLiteral("session %1 has already ended (%2)").arg(id, wireName(t.state));
    if (!t.producerPid || !t.producerStartTicks)
        return QStringLiteral("session %1 was not started by keepwatch-cli run; stop its "
                              "producer another way")
            .arg(id);
    if (!t.spoolOwner.isEmpty()) {
        // Another user's session: the kernel would refuse the signal anyway
        // (and hidepid may hide the wrapper), so say what to do instead.
        const std::optional<uint> owner = UserAccounts::uidOf(t.spoolOwner);
        const uint me = UserAccounts::effectiveUid();
        if (me != 0 && (!owner || me != *owner))
            return QStringLiteral("session %1 is %2's: only %3 can cancel it (sudo "
                                  "keepwatch-cli cancel %4 --source %5)")
                .arg(id, t.spoolOwner,
                     t.spoolOwner == QLatin1String("root")
                         ? QStringLiteral("root")
                         : t.spoolOwner + QStringLiteral(" or root"),
                     t.sessionId, t.source);
    }
    const qint64 pid = *t.producerPid;
    if (ProcessProbe::liveness(pid, *t.producerStartTicks, t.bootId)
        != ProcessProbe::Liveness::Alive)
        return QStringLiteral("the wrapper of session %1 (pid %2) is no longer running")
            .arg(id)
            .arg(pid);
    // argv[1] must be "run": any other keepwatch-cli would die of the signal.
    const QStringList argv = ProcessProbe::arguments(pid);
    if (ProcessProbe::name(pid) != QLatin1String("keepwatch-cli") || argv.size() < 2
        || argv.at(1) != QLatin1String("run"))
        return QStringLiteral("pid %1 is not a keepwatch-cli wrapper; refusing to signal it")
            .arg(pid);
    if (!t.spoolOwner.isEmpty()) {
        // Trust the kernel: the wrapper must be the file owner's process.
        const std::optional<uint> owner = UserAccounts::uidOf(t.spoolOwner);
        const std::optional<uint> runsAs = realUidOf(pid);
        if (!owner || !runsAs || *runsAs != *owner)
            return QStringLiteral("pid %1 runs as %2, but the session %3 is in %4's system "
                                  "spool; refusing to signal it")
                .arg(pid)
                .arg(runsAs ? UserAccounts::nameOf(*runsAs) : QStringLiteral("an unknown user"), id,
                     t.spoolOwner);
    }
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
