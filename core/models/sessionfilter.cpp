// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "models/sessionfilter.h"

#include "spool/sessionowner.h"

namespace kw {

namespace {
SessionFilter::StateSet stateSet(std::initializer_list<SessionState> states) {
    SessionFilter::StateSet set;
    for (const SessionState s : states)
        set.set(size_t(s));
    return set;
}
} // namespace

bool SessionFilter::setText(const QString &text, bool regularExpression) {
    m_text = text;
    m_regex = regularExpression;
    m_error.clear();
    m_words.clear();
    QStringList patterns;
    if (regularExpression) {
        if (!text.isEmpty())
            patterns << text;
    } else {
        patterns = text.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    }
    for (const QString &pattern : std::as_const(patterns)) {
        Word word{TextMatcher(regularExpression ? pattern : pattern.trimmed(), regularExpression),
                  {},
                  {}};
        if (!word.matcher.isValid()) {
            m_error = word.matcher.errorString();
            m_words.clear();
            m_words.push_back(std::move(word)); // matches nothing, as promised
            return false;
        }
        // A dozen names: matched here once rather than once per session.
        for (size_t i = 0; i < size_t(SessionState::Count); ++i)
            word.states.set(i,
                            word.matcher.matches(QStringView(QString(wireName(SessionState(i))))));
        for (size_t i = 0; i < size_t(SessionKind::Count); ++i)
            word.kinds.set(i, word.matcher.matches(QStringView(QString(wireName(SessionKind(i))))));
        m_words.push_back(std::move(word));
    }
    return true;
}

void SessionFilter::setStates(std::initializer_list<SessionState> states) {
    m_states = stateSet(states);
}

void SessionFilter::setStateEnabled(SessionState state, bool enabled) {
    m_states.set(size_t(state), enabled);
}

bool SessionFilter::isStateEnabled(SessionState state) const {
    return m_states.none() || m_states.test(size_t(state));
}

void SessionFilter::setKinds(std::initializer_list<SessionKind> kinds) {
    m_kinds.reset();
    for (const SessionKind k : kinds)
        m_kinds.set(size_t(k));
}

void SessionFilter::setTimeRange(std::optional<qint64> fromMs, std::optional<qint64> toMs) {
    m_fromMs = fromMs;
    m_toMs = toMs;
}

bool SessionFilter::isEmpty() const {
    return m_text.isEmpty() && m_states.none() && m_kinds.none() && m_owners == Owners::Anyone
           && m_tool.isEmpty() && m_host.isEmpty() && !m_fromMs && !m_toMs;
}

SessionFilter::StateSet SessionFilter::activeStates() {
    using S = SessionState;
    return stateSet({S::Queued, S::Starting, S::Running, S::Stalled, S::Cancelling});
}

SessionFilter::StateSet SessionFilter::finishedStates() {
    using S = SessionState;
    return stateSet({S::Succeeded, S::Warning, S::Failed, S::Cancelled, S::Interrupted, S::Exited});
}

SessionFilter::StateSet SessionFilter::problemStates() {
    using S = SessionState;
    return stateSet({S::Failed, S::Stalled, S::Interrupted, S::Warning});
}

bool SessionFilter::matchesText(const Word &word, const Session &s) const {
    const TextMatcher &m = word.matcher;
    return word.states.test(size_t(s.state)) || word.kinds.test(size_t(s.kind))
           || m.matches(QStringView(s.key.id)) || m.matches(QStringView(s.title))
           || m.matches(QStringView(s.tool)) || m.matches(QStringView(s.host))
           || m.matches(QStringView(s.user)) || m.matches(QStringView(s.target));
}

bool SessionFilter::matches(const Session &s, qint64 nowMs) const {
    if (s.joined)
        return false; // the wrapper's session inside the unit stands for it
    // Cheapest tests first: most sessions of a big history fail on state or time.
    if (m_states.any() && !m_states.test(size_t(s.state)))
        return false;
    if (m_kinds.any() && !m_kinds.test(size_t(s.kind)))
        return false;
    if (m_fromMs || m_toMs) {
        const qint64 begin = s.effectiveStartMs();
        const qint64 end = s.effectiveEndMs(nowMs);
        if (m_toMs && begin > *m_toMs)
            return false;
        if (m_fromMs && qMax(begin, end) < *m_fromMs)
            return false;
    }
    if (m_owners != Owners::Anyone && SessionOwner::isMine(s) != (m_owners == Owners::Mine))
        return false;
    if (!m_tool.isEmpty() && s.tool.compare(m_tool, Qt::CaseInsensitive) != 0)
        return false;
    if (!m_host.isEmpty() && s.host.compare(m_host, Qt::CaseInsensitive) != 0)
        return false;
    if (!m_error.isEmpty())
        return false;
    for (const Word &word : m_words) {
        if (!matchesText(word, s))
            return false;
    }
    return true;
}

} // namespace kw
