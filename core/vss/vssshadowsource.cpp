// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "vss/vssshadowsource.h"

#include "protocol/timestamp.h"
#include "vss/vssadminparser.h"
#include "vss/vsssource.h"

#include <QSysInfo>

namespace kw {

namespace {

// The host's name as it may stand in a session ID (letters, digits, . _ -,
// never "..": SessionId's rules).
QString idSafe(const QString &host) {
    QString out;
    for (const QChar c : host.left(64)) {
        const bool ok = (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z')
                        || (c >= u'0' && c <= u'9') || c == u'_' || c == u'-'
                        || (c == u'.' && !out.endsWith(u'.'));
        out += ok ? c : QChar(u'_');
    }
    return out.isEmpty() ? QStringLiteral("localhost") : out;
}

// What vssadmin said when it failed: the lines after its two header lines
// ("vssadmin 1.1 - ...", "(C) Copyright ...") and the blank one, joined;
// the layout, not the words, as for the listing. Bounded.
QString failureText(const QByteArray &output, const QByteArray &errorOutput) {
    QStringList lines;
    for (const QByteArray &bytes : {output, errorOutput}) {
        const QStringList all = QString::fromLocal8Bit(bytes).split(QLatin1Char('\n'));
        qsizetype from = 0;
        for (qsizetype i = 0; i < qMin<qsizetype>(all.size(), 4); ++i) {
            if (all[i].trimmed().isEmpty() && i > 0) {
                from = i + 1; // after the header
                break;
            }
        }
        for (qsizetype i = from; i < all.size(); ++i) {
            const QString line = all[i].simplified();
            if (!line.isEmpty())
                lines << line;
        }
    }
    QString text = lines.join(QLatin1Char(' '));
    if (text.size() > 400)
        text = text.left(400) + QStringLiteral("...");
    return text;
}

QString plural(qsizetype n) {
    return n == 1 ? QStringLiteral("1 shadow copy") : QStringLiteral("%1 shadow copies").arg(n);
}

} // namespace

VssShadowSource::VssShadowSource()
    : VssShadowSource(Options{}) {}

VssShadowSource::VssShadowSource(const Options &options)
    : m_host(options.host.isEmpty() ? QSysInfo::machineHostName() : options.host)
    , m_program(PeriodicProgram::Options{options.program, options.arguments, options.intervalMs,
                                         options.timeoutMs},
                [this] { requestPoll(); }) {}

VssShadowSource::~VssShadowSource() = default;

QString VssShadowSource::sessionId(const QString &host, qint64 timestampMs) {
    return QStringLiteral("vss-shadows@%1:%2").arg(idSafe(host)).arg(timestampMs);
}

QList<Event> VssShadowSource::sessionEvents(const QString &sessionId, const QString &host,
                                            const QStringList &command, const Run &run,
                                            qint64 timestampMs) {
    QList<Event> events;
    auto add = [&](auto payload) {
        Event event;
        event.session = sessionId;
        event.timestampMs = timestampMs;
        event.payload = std::move(payload);
        events.append(std::move(event));
    };
    auto log = [&](LogLevel level, const QString &message) {
        LogPayload p;
        p.level = level;
        p.message = message.toUtf8();
        add(p);
    };

    StartPayload start;
    start.kind = SessionKind::Snapshot;
    start.tool = QStringLiteral("vssadmin");
    start.host = host;
    start.title = QStringLiteral("VSS shadow copies");
    start.command = command;
    add(start);

    EndPayload end;
    const VssAdminResult<VssAdminShadow> listing =
        VssAdminParser::parseShadows(QString::fromLocal8Bit(run.output));
    QStringList volumes;
    for (const VssAdminShadow &s : listing.items) {
        const QString volume = s.originalVolume.isEmpty() ? s.volumeName : s.originalVolume;
        if (!volumes.contains(volume))
            volumes << volume;
        log(LogLevel::Info,
            QStringLiteral("shadow copy %1 of %2 %3, created %4, set %5, device %6, type %7")
                .arg(s.shadowId, volume, s.volumeName, s.creationTime, s.setId, s.deviceObject,
                     s.type));
    }
    for (const QString &error : listing.errors)
        log(LogLevel::Warning, QStringLiteral("vssadmin's output, %1").arg(error));
    QString summary = listing.items.isEmpty() ? QStringLiteral("no shadow copies")
                                              : QStringLiteral("%1 on %2")
                                                    .arg(plural(listing.items.size()),
                                                         volumes.join(QLatin1String(", ")));
    if (!listing.errors.isEmpty())
        summary += QStringLiteral(" (%1 not read: see the log)")
                       .arg(listing.errors.size() == 1
                                ? QStringLiteral("1 line")
                                : QStringLiteral("%1 lines").arg(listing.errors.size()));
    ProgressPayload progress;
    progress.current = summary;
    add(progress);
    end.state = listing.errors.isEmpty() ? SessionState::Succeeded : SessionState::Warning;
    end.exitCode = run.exitCode;
    end.summary = summary;
    add(end);
    return events;
}

QString VssShadowSource::failure(const Run &run) {
    QString failure = run.failure;
    if (failure.isEmpty() && run.exitCode && *run.exitCode != 0) {
        // vssadmin exits non-zero when it refuses (not an administrator) or
        // fails; what it printed says why.
        failure = QStringLiteral("exit code %1").arg(*run.exitCode);
        const QString said = failureText(run.output, run.errorOutput);
        if (!said.isEmpty())
            failure += QStringLiteral(": ") + said;
    }
    return failure.isEmpty() ? failure : QStringLiteral("vssadmin failed: ") + failure;
}

void VssShadowSource::deliver(const Run &run, EventBatch &out) {
    const qint64 now = Timestamp::nowMs();
    const PeriodicProgram::Options &program = m_program.options();
    if (const QString failed = failure(run); !failed.isEmpty()) {
        // Said once while it stays the same (a notice: what this user
        // cannot see), not a failed session at every start of the window.
        if (failed == m_lastKey)
            return;
        m_lastKey = failed;
        SourceError notice{name(), program.program, 0,
                           QStringLiteral("VSS shadow copies are not shown: %1").arg(failed)};
        notice.notice = true;
        out.errors.append(notice);
        return;
    }
    const QList<Event> made = sessionEvents(
        sessionId(m_host, now), m_host, QStringList{program.program} + program.arguments, run, now);
    // What vssadmin printed is untrusted: through the encoder and the
    // decoder, as any producer's events (UTF-8 repaired, lengths bounded).
    QList<Event> events;
    for (const Event &event : made) {
        const QByteArray line = EventEncoder::encode(event);
        Event decoded;
        const DecodeResult result = m_decoder.decode(QByteArrayView(line).chopped(1), decoded);
        if (!result.ok) {
            out.errors.append(SourceError{name(), program.program, 0, result.error});
            continue;
        }
        decoded.source = name();
        events.append(std::move(decoded));
    }
    const QString key = VssSource::pollKey(events);
    if (key == m_lastKey)
        return;
    m_lastKey = key;
    out.events.append(events);
}

void VssShadowSource::poll(EventBatch &out) {
    if (const std::optional<Run> run = m_program.poll())
        deliver(*run, out);
}

} // namespace kw
