// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "models/regexliterals.h"

#include <algorithm>
#include <bitset>
#include <limits>
#include <optional>

namespace kw {

namespace {

using Set = RegexLiterals::Alternatives;
constexpr qsizetype kMaxAlternatives = RegexLiterals::kMaxAlternatives;
// Sets kept per part of a pattern: the line is checked for each of them.
constexpr qsizetype kMaxRequired = 4;
// A repeat {n} of an exact part is spelled out up to this n.
constexpr int kMaxSpelledRepeat = 16;

// What is known of a part of a pattern.
struct Info {
    // Every match of the part is one of these strings (lower-cased), when
    // there are few enough to list; "" among them means it can match nothing.
    std::optional<Set> exact;
    // Every match of the part holds a string of each of these sets.
    QList<Set> all;
};

Info unknown() {
    return {};
}

Info matchesEmpty() {
    return {Set{QByteArray()}, {}};
}

Info literal(char16_t c) {
    const char lower = char(c >= u'A' && c <= u'Z' ? c + 32 : c);
    return {Set{QByteArray(1, lower)}, {}};
}

Set normalized(Set s) {
    std::sort(s.begin(), s.end());
    s.erase(std::unique(s.begin(), s.end()), s.end());
    return s;
}

bool holdsEmpty(const Set &s) {
    return std::any_of(s.cbegin(), s.cend(), [](const QByteArray &b) { return b.isEmpty(); });
}

qsizetype shortest(const Set &s) {
    qsizetype n = std::numeric_limits<qsizetype>::max();
    for (const QByteArray &b : s)
        n = std::min(n, b.size());
    return n;
}

Set product(const Set &a, const Set &b) {
    Set out;
    for (const QByteArray &x : a)
        for (const QByteArray &y : b)
            out.append(x + y);
    return normalized(out);
}

// Bytes other than letters and digits: rarer in text, so a string with more
// of them is found less often by chance.
qsizetype punctuation(const Set &s) {
    qsizetype n = 0;
    for (const QByteArray &b : s)
        n += std::count_if(b.cbegin(), b.cend(), [](char c) {
            return !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'));
        });
    return n;
}

// The best sets first: longer strings are found less often by chance; then
// fewer strings, fewer scans; then more punctuation (file[0-9]{6}\.log: .log
// before file). Duplicates and sets that demand nothing go.
QList<Set> best(QList<Set> sets) {
    sets.removeIf([](const Set &s) { return s.isEmpty() || holdsEmpty(s); });
    for (Set &s : sets)
        s = normalized(s);
    std::stable_sort(sets.begin(), sets.end(), [](const Set &a, const Set &b) {
        const qsizetype la = shortest(a), lb = shortest(b);
        if (la != lb)
            return la > lb;
        if (a.size() != b.size())
            return a.size() < b.size();
        return punctuation(a) > punctuation(b);
    });
    sets.erase(std::unique(sets.begin(), sets.end()), sets.end());
    if (sets.size() > kMaxRequired)
        sets.resize(kMaxRequired);
    return sets;
}

// The sets every match of `info` satisfies, best first.
QList<Set> requirements(const Info &info) {
    QList<Set> sets = info.all;
    if (info.exact)
        sets.append(*info.exact);
    return best(sets);
}

// Parts one after the other: neighbouring exact parts join into longer
// strings while there are few enough of them (dir4 + [0-9] + /sub1).
Info sequence(const QList<Info> &items) {
    Info out;
    Set run{QByteArray()};
    bool exact = true;
    for (const Info &item : items) {
        out.all.append(item.all);
        if (item.exact && run.size() * item.exact->size() <= kMaxAlternatives) {
            run = product(run, *item.exact);
            continue;
        }
        exact = false;
        out.all.append(run);
        run =
            item.exact && item.exact->size() <= kMaxAlternatives ? *item.exact : Set{QByteArray()};
    }
    out.all.append(run);
    if (exact)
        out.exact = run;
    out.all = best(out.all);
    return out;
}

// a|b: a match is a match of one branch, so it holds one of the branches'
// strings: the best set of each branch, together.
Info alternation(const QList<Info> &branches) {
    if (branches.size() == 1)
        return branches.front();
    Info out;
    Set exact, any;
    bool allExact = true, allRequire = true;
    for (const Info &branch : branches) {
        if (branch.exact)
            exact.append(*branch.exact);
        else
            allExact = false;
        const QList<Set> sets = requirements(branch);
        if (sets.isEmpty())
            allRequire = false;
        else
            any.append(sets.front());
    }
    exact = normalized(exact);
    if (allExact && exact.size() <= kMaxAlternatives)
        out.exact = exact;
    any = normalized(any);
    if (allRequire && any.size() <= kMaxAlternatives)
        out.all = {any};
    return out;
}

// x{min,max} (max < 0: no limit).
Info repeat(const Info &item, int min, int max) {
    if (min == 0) {
        // x? may be absent: colou?r is "colour" or "color".
        if (max == 1 && item.exact && item.exact->size() < kMaxAlternatives)
            return {normalized(*item.exact + Set{QByteArray()}), {}};
        return unknown();
    }
    // At least once: what one match of x needs, the repeat needs.
    Info out;
    out.all = requirements(item);
    if (item.exact && min == max && min <= kMaxSpelledRepeat) {
        Set spelled{QByteArray()};
        for (int i = 0; i < min && spelled.size() <= kMaxAlternatives; ++i)
            spelled = product(spelled, *item.exact);
        if (spelled.size() <= kMaxAlternatives)
            out.exact = spelled;
    }
    return out;
}

bool isAsciiAlnum(char16_t c) {
    return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z');
}

bool isDigit(char16_t c) {
    return c >= u'0' && c <= u'9';
}

// A recursive descent over PCRE2's syntax, as much of it as is needed to
// be sure where each part starts and ends; anything else fails the whole.
class Parser {
public:
    explicit Parser(const QString &pattern)
        : m_p(pattern) {}

    std::optional<Info> parse() {
        Info info = alternatives();
        if (m_failed || m_i != m_p.size()) // a stray ')' would have ended it early
            return std::nullopt;
        return info;
    }

private:
    bool atEnd() const { return m_i >= m_p.size(); }
    char16_t peek(qsizetype ahead = 0) const {
        return m_i + ahead < m_p.size() ? m_p[m_i + ahead].unicode() : u'\0';
    }
    Info fail() {
        m_failed = true;
        return unknown();
    }

    Info alternatives() {
        QList<Info> branches{items()};
        while (!m_failed && !atEnd() && peek() == u'|') {
            ++m_i;
            branches.append(items());
        }
        return alternation(branches);
    }

    Info items() {
        QList<Info> parts;
        while (!m_failed && !atEnd() && peek() != u'|' && peek() != u')') {
            Info part = atom();
            if (!m_failed && !atEnd() && isQuantifier(peek())) {
                int min = 0, max = -1;
                if (!quantifier(&min, &max))
                    return fail();
                part = repeat(part, min, max);
                if (peek() == u'?' || peek() == u'+') // lazy or possessive: the same text
                    ++m_i;
                if (isQuantifier(peek())) // PCRE2 may read a second one as it likes
                    return fail();
            }
            parts.append(part);
        }
        return sequence(parts);
    }

    static bool isQuantifier(char16_t c) {
        return c == u'*' || c == u'+' || c == u'?' || c == u'{';
    }

    // *, +, ?, or braces of exactly {n}, {n,} or {n,m}: other braces are
    // literal text in one PCRE2 version and a quantifier in the next.
    bool quantifier(int *min, int *max) {
        const char16_t c = m_p[m_i++].unicode();
        if (c != u'{') {
            *min = c == u'+' ? 1 : 0;
            *max = c == u'?' ? 1 : -1;
            return true;
        }
        if (!number(min))
            return false;
        *max = *min;
        if (peek() == u',') {
            ++m_i;
            *max = -1;
            if (isDigit(peek()) && !number(max))
                return false;
        }
        if (peek() != u'}')
            return false;
        ++m_i;
        return *max < 0 || *min <= *max;
    }

    bool number(int *value) {
        if (!isDigit(peek()))
            return false;
        *value = 0;
        while (isDigit(peek())) {
            *value = std::min(*value * 10 + int(m_p[m_i++].unicode() - u'0'), 1 << 20);
        }
        return true;
    }

    Info atom() {
        const char16_t c = m_p[m_i++].unicode();
        switch (c) {
        case u'(':
            return group();
        case u'[':
            return characterClass();
        case u'\\':
            return escape();
        case u'.':
            return unknown();
        case u'^':
        case u'$':
            return matchesEmpty();
        case u'*':
        case u'+':
        case u'?':
        case u'{':
            return fail(); // braces that are no quantifier: see quantifier()
        default:
            return c < 0x80 ? literal(c) : unknown(); // é also matches É
        }
    }

    Info group() {
        bool lookaround = false;
        if (peek() == u'*') // (*VERB) and (*positive_lookahead:...)
            return fail();
        if (peek() == u'?') {
            ++m_i;
            const char16_t c = peek();
            if (c == u':' || c == u'>' || c == u'|') {
                ++m_i;
            } else if (c == u'=' || c == u'!') {
                ++m_i;
                lookaround = true;
            } else if (c == u'<' && (peek(1) == u'=' || peek(1) == u'!')) {
                m_i += 2;
                lookaround = true;
            } else if (c == u'<' || c == u'\'' || (c == u'P' && peek(1) == u'<')) {
                m_i += c == u'P' ? 2 : 1;
                if (!groupName(c == u'\'' ? u'\'' : u'>'))
                    return fail();
            } else {
                return fail(); // options, comments, conditionals, recursion, callouts
            }
        }
        const Info inner = alternatives();
        if (m_failed || peek() != u')')
            return fail();
        ++m_i;
        // What a lookaround looks at is not part of the match: it adds nothing.
        return lookaround ? matchesEmpty() : inner;
    }

    bool groupName(char16_t close) {
        const qsizetype start = m_i;
        while (!atEnd() && (isAsciiAlnum(peek()) || peek() == u'_'))
            ++m_i;
        if (m_i == start || peek() != close)
            return false;
        ++m_i;
        return true;
    }

    Info escape() {
        if (atEnd())
            return fail();
        const char16_t c = m_p[m_i++].unicode();
        if (c >= 0x80)
            return unknown();
        if (!isAsciiAlnum(c))
            return literal(c); // \. \/ \[ \\ ...
        if (isDigit(c)) {
            // A back reference, or an octal character: which one depends on
            // the number of groups. Either way nothing to search for.
            while (isDigit(peek()))
                ++m_i;
            return unknown();
        }
        switch (c) {
        case u'b':
        case u'B':
        case u'A':
        case u'z':
        case u'Z':
        case u'G':
            return matchesEmpty();
        case u'N':
            return peek() == u'{' ? fail() : unknown();
        case u'd':
        case u'D':
        case u'w':
        case u'W':
        case u's':
        case u'S':
        case u'h':
        case u'H':
        case u'v':
        case u'V':
        case u'R':
        case u'X':
        case u'n':
        case u't':
        case u'r':
        case u'f':
        case u'e':
        case u'a':
            return unknown();
        default:
            return fail();
        }
    }

    // One member of a class: an ASCII character (>= 0), or -1 for one that
    // stands for many (\d, [:alpha:]) or is not ASCII.
    int classMember() {
        const char16_t c = m_p[m_i++].unicode();
        if (c == u'[' && (peek() == u'.' || peek() == u'='))
            return fail(), -1;
        if (c == u'[' && peek() == u':') {
            const qsizetype close = m_p.indexOf(QLatin1String(":]"), m_i + 1);
            if (close < 0)
                return fail(), -1;
            for (qsizetype j = m_i + 1; j < close; ++j) {
                const char16_t n = m_p[j].unicode();
                if (!(n == u'^' || (n >= u'a' && n <= u'z')))
                    return fail(), -1;
            }
            m_i = close + 2;
            return -1;
        }
        if (c == u'\\') {
            if (atEnd())
                return fail(), -1;
            const char16_t e = m_p[m_i++].unicode();
            if (e < 0x80 && !isAsciiAlnum(e))
                return int(e);
            if (QStringView(u"dDwWsShHvVbntrfea").contains(QChar(e)))
                return -1;
            return fail(), -1;
        }
        return c < 0x80 ? int(c) : -1;
    }

    Info characterClass() {
        const bool negated = peek() == u'^';
        if (negated)
            ++m_i;
        std::bitset<128> members;
        bool many = negated;
        for (bool first = true;; first = false) {
            if (atEnd())
                return fail();
            if (peek() == u']' && !first) {
                ++m_i;
                break;
            }
            const int low = classMember();
            if (m_failed)
                return unknown();
            if (low >= 0 && peek() == u'-' && peek(1) != u']' && m_i + 1 < m_p.size()) {
                ++m_i;
                if (peek() == u'[')
                    return fail();
                const int high = classMember();
                if (m_failed)
                    return unknown();
                if (high < 0) {
                    many = true; // up to a character beyond ASCII
                    continue;
                }
                if (high < low)
                    return fail();
                for (int m = low; m <= high; ++m)
                    members.set(size_t(m));
                continue;
            }
            if (low < 0)
                many = true;
            else
                members.set(size_t(low));
        }
        if (many)
            return unknown();
        Set s;
        for (int m = 0; m < 128; ++m) {
            if (members.test(size_t(m)))
                s.append(literal(char16_t(m)).exact->front());
        }
        s = normalized(s);
        if (s.isEmpty() || s.size() > kMaxAlternatives)
            return unknown();
        return {s, {}};
    }

    const QString &m_p;
    qsizetype m_i = 0;
    bool m_failed = false;
};

} // namespace

QList<RegexLiterals::Alternatives> RegexLiterals::required(const QString &pattern) {
    const std::optional<Info> info = Parser(pattern).parse();
    if (!info)
        return {};
    QList<Alternatives> sets = requirements(*info);
    for (Alternatives &set : sets) {
        // PCRE2 folds K KELVIN SIGN to k and LONG S to s: a line holding
        // one of them may match where the ASCII letter is asked for.
        const bool k = std::any_of(set.cbegin(), set.cend(),
                                   [](const QByteArray &b) { return b.contains('k'); });
        const bool s = std::any_of(set.cbegin(), set.cend(),
                                   [](const QByteArray &b) { return b.contains('s'); });
        if (k)
            set.append(QByteArray("\xe2\x84\xaa"));
        if (s)
            set.append(QByteArray("\xc5\xbf"));
    }
    return sets;
}

} // namespace kw
