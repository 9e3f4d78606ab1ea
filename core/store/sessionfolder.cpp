// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "store/sessionfolder.h"

namespace kw {

namespace {

// Takes a value the event carries; says whether it differs from the old one.
template<typename T>
bool merge(std::optional<T> &into, const std::optional<T> &from) {
    if (!from || into == from)
        return false;
    into = from;
    return true;
}

// Milestone texts are for one line of a timeline, not for whole log lines.
constexpr int kMilestoneTextChars = 200;

struct Folder {
    Session &s;
    qint64 ts;

    void milestone(SessionMilestone::Type type, SessionState state, const QString &text) const {
        if (s.milestones.size() >= Session::kMaxMilestones) {
            // Keep the start (the first entry): what is dropped is the oldest
            // of the rest.
            s.milestones.remove(1);
            ++s.droppedMilestones;
        }
        s.milestones.append({ts, type, state, text.left(kMilestoneTextChars)});
    }

    bool locked() const { return isTerminal(s.state) && s.state != SessionState::Interrupted; }
    bool finished() const { return isTerminal(s.state); }

    bool operator()(const StartPayload &p) const {
        s.hasStart = true;
        s.kind = p.kind;
        s.tool = p.tool;
        s.host = p.host;
        s.user = p.user;
        s.target = p.target;
        s.title = p.title;
        s.cwd = p.cwd;
        s.unit = p.unit;
        s.invocationId = p.invocationId;
        s.command = p.command;
        s.pid = p.pid;
        s.producerPid = p.producerPid;
        s.producerStartTicks = p.producerStartTicks;
        s.bootId = p.bootId;
        s.startedMs = ts;
        if (!finished())
            s.state = p.state;
        milestone(SessionMilestone::Type::Started, p.state, {});
        return true;
    }
    bool operator()(const StatePayload &p) const {
        if (finished())
            return false;
        // A repeated state (a producer re-announcing "running") is no milestone.
        if (p.state != s.state || p.reason != s.stateReason)
            milestone(SessionMilestone::Type::State, p.state, p.reason);
        s.state = p.state;
        s.stateReason = p.reason;
        if (isTerminal(p.state))
            s.endedMs = ts;
        return true;
    }
    bool operator()(const ProgressPayload &p) const {
        if (finished())
            return false;
        ProgressPayload &q = s.progress;
        // "Moved" means the work advanced; a new rate or ETA alone is not
        // progress (tools repeat identical records while stuck).
        bool moved = merge(q.percent, p.percent);
        moved |= merge(q.bytesDone, p.bytesDone);
        moved |= merge(q.filesDone, p.filesDone);
        bool changed = moved;
        changed |= merge(q.bytesTotal, p.bytesTotal);
        changed |= merge(q.filesTotal, p.filesTotal);
        changed |= merge(q.rate, p.rate);
        changed |= merge(q.etaSeconds, p.etaSeconds);
        if (!p.current.isEmpty() && p.current != q.current) {
            q.current = p.current;
            moved = changed = true;
        }
        s.lastProgressMs = ts;
        if (moved || s.lastProgressChangeMs == 0)
            s.lastProgressChangeMs = ts;
        if (moved
            && (s.state == SessionState::Stalled || s.state == SessionState::Queued
                || s.state == SessionState::Starting)) {
            s.state = SessionState::Running;
            s.stateReason.clear();
            milestone(SessionMilestone::Type::State, SessionState::Running,
                      QStringLiteral("progress moved"));
            changed = true;
        }
        return changed;
    }
    bool operator()(const LogPayload &p) const {
        ++s.logLines;
        // Only the first of each: the counters tell how many followed.
        if (p.level == LogLevel::Warning && ++s.warnings == 1)
            milestone(SessionMilestone::Type::FirstWarning, s.state,
                      QString::fromUtf8(p.message.left(kMilestoneTextChars * 4)));
        else if (p.level == LogLevel::Error && ++s.errors == 1)
            milestone(SessionMilestone::Type::FirstError, s.state,
                      QString::fromUtf8(p.message.left(kMilestoneTextChars * 4)));
        return true; // the counters are visible
    }
    bool operator()(const EndPayload &p) const {
        if (locked())
            return false;
        s.state = p.state;
        s.stateReason.clear();
        s.exitCode = p.exitCode;
        s.signal = p.signal;
        s.summary = p.summary;
        s.endedMs = ts;
        milestone(SessionMilestone::Type::Ended, p.state, p.summary);
        return true;
    }
};

} // namespace

bool SessionFolder::fold(Session &session, const Event &event) {
    session.lastEventMs = qMax(session.lastEventMs, event.timestampMs);
    if (session.firstEventMs == 0)
        session.firstEventMs = event.timestampMs;
    return event.visit(Folder{session, event.timestampMs});
}

} // namespace kw
