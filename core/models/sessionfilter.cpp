#include "models/sessionfilter.h"

namespace kw {

void SessionFilter::setText(const QString &text) {
    m_text = text;
    m_words.clear();
    const QStringList words = text.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    for (const QString &word : words)
        m_words.emplace_back(word.trimmed());
}

void SessionFilter::setStates(std::initializer_list<SessionState> states) {
    m_states.reset();
    for (SessionState s : states)
        m_states.set(size_t(s));
}

void SessionFilter::setStateEnabled(SessionState state, bool enabled) {
    m_states.set(size_t(state), enabled);
}

bool SessionFilter::isStateEnabled(SessionState state) const {
    return m_states.none() || m_states.test(size_t(state));
}

bool SessionFilter::matches(const Session &s) const {
    if (m_states.any() && !m_states.test(size_t(s.state)))
        return false;
    for (const TextMatcher &word : m_words) {
        const bool found = word.matches(QStringView(s.key.id)) || word.matches(QStringView(s.title))
                           || word.matches(QStringView(s.tool)) || word.matches(QStringView(s.host))
                           || word.matches(QStringView(s.user))
                           || word.matches(QStringView(s.target))
                           || word.matches(QStringView(QString(wireName(s.kind))))
                           || word.matches(QStringView(QString(wireName(s.state))));
        if (!found)
            return false;
    }
    return true;
}

} // namespace kw
