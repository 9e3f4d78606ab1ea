#pragma once

#include "models/textmatcher.h"
#include "store/session.h"

#include <QString>
#include <bitset>

namespace kw {

// What the user asked to see, as a plain value: unit-tested alone, and the
// proxy's filterAcceptsRow is one call to matches().
class SessionFilter final {
public:
    // Every whitespace-separated word must appear (case-insensitively) in the
    // session's ID, title, tool, kind, state, host, user or target.
    void setText(const QString &text);
    QString text() const { return m_text; }

    // No state selected means every state.
    void setStates(std::initializer_list<SessionState> states);
    void setStateEnabled(SessionState state, bool enabled);
    bool isStateEnabled(SessionState state) const;
    void clearStates() { m_states.reset(); }

    bool isEmpty() const { return m_words.empty() && m_states.none(); }
    bool matches(const Session &session) const;

    friend bool operator==(const SessionFilter &a, const SessionFilter &b) {
        return a.m_text == b.m_text && a.m_states == b.m_states;
    }
    friend bool operator!=(const SessionFilter &a, const SessionFilter &b) { return !(a == b); }

private:
    QString m_text;
    std::vector<TextMatcher> m_words;
    std::bitset<size_t(SessionState::Count)> m_states;
};

} // namespace kw
