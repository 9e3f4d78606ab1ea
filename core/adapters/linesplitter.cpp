// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "adapters/linesplitter.h"

namespace kw {

LineSplitter::LineSplitter(qsizetype maxBytes, CarriageReturn cr)
    : m_maxBytes(maxBytes)
    , m_cr(cr) {}

QByteArray LineSplitter::stripControls(QByteArrayView line) {
    QByteArray out;
    out.reserve(line.size());
    for (qsizetype i = 0; i < line.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(line[i]);
        if (c == 0x1b) { // ESC
            if (i + 1 < line.size() && line[i + 1] == '[') {
                // CSI: parameters and intermediates, then one final byte 0x40..0x7e
                i += 2;
                while (i < line.size()
                       && (static_cast<unsigned char>(line[i]) < 0x40
                           || static_cast<unsigned char>(line[i]) > 0x7e))
                    ++i;
            } else if (i + 1 < line.size() && line[i + 1] == ']') {
                // OSC: up to BEL or ESC '\'
                i += 2;
                while (i < line.size() && line[i] != '\a'
                       && !(line[i] == 0x1b && i + 1 < line.size() && line[i + 1] == '\\'))
                    ++i;
                if (i < line.size() && line[i] == 0x1b)
                    ++i;
            } else {
                ++i; // a two-byte escape
            }
            continue;
        }
        if (c < 0x20 && c != '\t')
            continue;
        if (c == 0x7f)
            continue;
        out.append(char(c));
    }
    return out;
}

void LineSplitter::deliver(const std::function<void(QByteArrayView)> &onLine) {
    // What a terminal shows after carriage returns: the last redraw.
    QByteArrayView view(m_line);
    while (view.endsWith('\r'))
        view.chop(1);
    const qsizetype cr = view.lastIndexOf('\r');
    if (cr >= 0)
        view = view.sliced(cr + 1);
    const QByteArray clean = stripControls(view);
    if (!clean.trimmed().isEmpty())
        onLine(clean);
    m_line.clear();
}

void LineSplitter::feed(QByteArrayView bytes, const std::function<void(QByteArrayView)> &onLine) {
    qsizetype pos = 0;
    while (pos < bytes.size()) {
        qsizetype nl = bytes.indexOf('\n', pos);
        if (m_cr == CarriageReturn::EndsRecord) {
            const qsizetype cr = bytes.indexOf('\r', pos);
            if (cr >= 0 && (nl < 0 || cr < nl))
                nl = cr;
        }
        const qsizetype end = nl < 0 ? bytes.size() : nl;
        // Bounded: a line without end is delivered in pieces of maxBytes.
        const qsizetype room = m_maxBytes - m_line.size();
        if (end - pos > room) {
            m_line.append(bytes.data() + pos, room);
            pos += room;
            deliver(onLine);
            continue;
        }
        m_line.append(bytes.data() + pos, end - pos);
        pos = end;
        if (nl >= 0) {
            deliver(onLine);
            pos = nl + 1;
        }
    }
}

void LineSplitter::finish(const std::function<void(QByteArrayView)> &onLine) {
    if (!m_line.isEmpty())
        deliver(onLine);
}

} // namespace kw
