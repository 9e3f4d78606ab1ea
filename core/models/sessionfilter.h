// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "models/textmatcher.h"
#include "store/session.h"

#include <QString>
#include <QStringList>
#include <bitset>
#include <initializer_list>
#include <optional>
#include <vector>

namespace kw {

// What the user asked to see, as a plain value: unit-tested alone, and the
// proxy's filterAcceptsRow is one call to matches(). The table may hold
// thousands of finished sessions from the history, so matches() allocates
// nothing: everything that can be worked out once is worked out in the
// setters.
class SessionFilter final {
public:
    using StateSet = std::bitset<size_t(SessionState::Count)>;
    using KindSet = std::bitset<size_t(SessionKind::Count)>;

    // Plain text: every whitespace-separated word must appear
    // (case-insensitively) in the session's ID, title, tool, kind, state,
    // host, user or target. Regular expression: the whole text is one
    // expression, found in one of those fields (case-insensitively). Returns false, and keeps the
    // text with an errorString(), for an invalid expression: such a filter matches nothing, so
    // callers should not apply it.
    bool setText(const QString &text, bool regularExpression = false);
    QString text() const { return m_text; }
    bool isRegularExpression() const { return m_regex; }
    bool isValid() const { return m_error.isEmpty(); }
    QString errorString() const { return m_error; }

    // No state selected means every state.
    void setStates(std::initializer_list<SessionState> states);
    void setStates(const StateSet &states) { m_states = states; }
    StateSet states() const { return m_states; }
    void setStateEnabled(SessionState state, bool enabled);
    bool isStateEnabled(SessionState state) const;
    void clearStates() { m_states.reset(); }

    // No kind selected means every kind.
    void setKinds(std::initializer_list<SessionKind> kinds);
    void setKinds(const KindSet &kinds) { m_kinds = kinds; }
    KindSet kinds() const { return m_kinds; }

    // Whose sessions (SessionOwner): everybody's, this user's own, or those
    // of root and service users (every other user's).
    enum class Owners : quint8 { Anyone, Mine, Others };
    void setOwners(Owners owners) { m_owners = owners; }
    Owners owners() const { return m_owners; }

    // One tool or host (compared case-insensitively); empty means any.
    void setTool(const QString &tool) { m_tool = tool; }
    QString tool() const { return m_tool; }
    void setHost(const QString &host) { m_host = host; }
    QString host() const { return m_host; }

    // Sessions whose run overlaps [from, to] (milliseconds since the epoch,
    // both ends included; a missing end is open). A running session runs
    // until `nowMs`; a finished one until its end (or its last event when
    // no end event came).
    void setTimeRange(std::optional<qint64> fromMs, std::optional<qint64> toMs);
    std::optional<qint64> fromMs() const { return m_fromMs; }
    std::optional<qint64> toMs() const { return m_toMs; }

    bool isEmpty() const;
    bool matches(const Session &session, qint64 nowMs) const;

    // The state groups the filter bar and its presets offer.
    static StateSet activeStates();   // not ended yet: queued .. cancelling
    static StateSet finishedStates(); // every ended state
    static StateSet problemStates();  // failed, stalled, interrupted, warning

    friend bool operator==(const SessionFilter &a, const SessionFilter &b) {
        return a.m_text == b.m_text && a.m_regex == b.m_regex && a.m_states == b.m_states
               && a.m_kinds == b.m_kinds && a.m_owners == b.m_owners && a.m_tool == b.m_tool
               && a.m_host == b.m_host && a.m_fromMs == b.m_fromMs && a.m_toMs == b.m_toMs;
    }
    friend bool operator!=(const SessionFilter &a, const SessionFilter &b) { return !(a == b); }

private:
    // One word of the text (or the whole expression), with the states and
    // kinds whose names it matches worked out in advance.
    struct Word {
        TextMatcher matcher;
        StateSet states;
        KindSet kinds;
    };
    bool matchesText(const Word &word, const Session &s) const;

    QString m_text;
    bool m_regex = false;
    QString m_error;
    std::vector<Word> m_words;
    StateSet m_states;
    KindSet m_kinds;
    Owners m_owners = Owners::Anyone;
    QString m_tool;
    QString m_host;
    std::optional<qint64> m_fromMs;
    std::optional<qint64> m_toMs;
};

} // namespace kw
