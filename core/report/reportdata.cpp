// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "report/reportdata.h"

#include "history/historydatabase.h"
#include "store/logbuffer.h"
#include "store/sessionstore.h"

#include <QSet>
#include <algorithm>

namespace kw {

ReportData ReportData::build(const SessionStore &store, const ReportSelection &selection) {
    QList<int> rows;
    rows.reserve(store.count());
    for (int i = 0; i < store.count(); ++i) {
        if (!store.at(i).joined) // the wrapper's session stands for the unit's run
            rows.append(i);
    }
    return build(store, rows, selection);
}

ReportData ReportData::build(const SessionStore &store, const QList<int> &rows,
                             const ReportSelection &selection) {
    ReportData data;
    data.generatedMs = selection.nowMs;
    data.selection = selection;
    for (int row : rows) {
        if (row < 0 || row >= store.count() || !selection.matches(store.at(row)))
            continue;
        Entry entry;
        entry.session = store.at(row);
        const LogBuffer &log = store.log(row);
        entry.logLinesKept = log.size();
        for (qint64 seq = log.firstSeq(); seq < log.endSeq(); ++seq) {
            const LogBuffer::Line line = log.line(seq);
            if (!selection.includesLevel(line.level))
                continue;
            entry.log.append({line.timestampMs, line.level,
                              QString::fromUtf8(line.text.data(), line.text.size())});
        }
        data.sessions.push_back(std::move(entry));
    }
    data.sortChronologically();
    return data;
}

ReportData ReportData::build(HistoryDatabase &db, const ReportSelection &selection) {
    ReportData data;
    data.generatedMs = selection.nowMs;
    data.selection = selection;
    for (HistoryDatabase::StoredSession &stored : db.storedSessions()) {
        if (!selection.matches(stored.session))
            continue;
        Entry entry;
        entry.session = std::move(stored.session);
        const QList<HistoryDatabase::LogLine> lines = db.logLines(stored.pk);
        entry.logLinesKept = lines.size();
        for (const HistoryDatabase::LogLine &line : lines) {
            if (selection.includesLevel(line.level))
                entry.log.append({line.timestampMs, line.level, QString::fromUtf8(line.message)});
        }
        data.sessions.push_back(std::move(entry));
    }
    data.leaveOutJoinedRuns();
    data.sortChronologically();
    return data;
}

void ReportData::merge(ReportData other) {
    QSet<SessionKey> fresh;
    for (const Entry &entry : other.sessions)
        fresh.insert(entry.session.key);
    sessions.erase(std::remove_if(sessions.begin(), sessions.end(),
                                  [&](const Entry &e) { return fresh.contains(e.session.key); }),
                   sessions.end());
    for (Entry &entry : other.sessions)
        sessions.push_back(std::move(entry));
    leaveOutJoinedRuns();
    sortChronologically();
}

void ReportData::leaveOutJoinedRuns() {
    QSet<QString> wrapped;
    for (const Entry &entry : sessions) {
        if (!Session::isUnitRunSource(entry.session.key.source)
            && !entry.session.invocationId.isEmpty())
            wrapped.insert(entry.session.invocationId);
    }
    sessions.erase(std::remove_if(sessions.begin(), sessions.end(),
                                  [&](const Entry &e) {
                                      return Session::isUnitRunSource(e.session.key.source)
                                             && wrapped.contains(e.session.key.id);
                                  }),
                   sessions.end());
}

void ReportData::sortChronologically() {
    std::stable_sort(sessions.begin(), sessions.end(), [](const Entry &a, const Entry &b) {
        return a.session.effectiveStartMs() < b.session.effectiveStartMs();
    });
}

bool ReportData::anyFailed() const {
    return std::any_of(sessions.begin(), sessions.end(),
                       [](const Entry &e) { return isFailure(e.session.state); });
}

QList<int> ReportData::summaryOrder() const {
    auto rank = [](SessionState s) {
        switch (s) {
        case SessionState::Failed:
            return 0;
        case SessionState::Interrupted:
            return 1;
        case SessionState::Warning:
            return 2;
        case SessionState::Stalled:
            return 3;
        case SessionState::Cancelled:
            return 4;
        default:
            return 5;
        }
    };
    QList<int> order;
    for (int i = 0; i < int(sessions.size()); ++i)
        order.append(i);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
        return rank(sessions[size_t(a)].session.state) < rank(sessions[size_t(b)].session.state);
    });
    return order;
}

QMap<SessionState, int> ReportData::countsByState() const {
    QMap<SessionState, int> counts;
    for (const Entry &e : sessions)
        ++counts[e.session.state];
    return counts;
}

qint64 ReportData::totalBytes() const {
    qint64 total = 0;
    for (const Entry &e : sessions)
        total += e.session.progress.bytesDone.value_or(0);
    return total;
}

qint64 ReportData::totalDurationMs() const {
    qint64 total = 0;
    for (const Entry &e : sessions)
        total += std::max<qint64>(0, e.session.durationMs(generatedMs));
    return total;
}

int ReportData::longestSession() const {
    int best = -1;
    qint64 bestMs = -1;
    for (int i = 0; i < int(sessions.size()); ++i) {
        const qint64 d = sessions[size_t(i)].session.durationMs(generatedMs);
        if (d > bestMs) {
            bestMs = d;
            best = i;
        }
    }
    return best;
}

} // namespace kw
