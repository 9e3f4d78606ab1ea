// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <functional>

namespace kw {

// Splits a byte stream into lines as a terminal would show them: '\n' ends
// a line, a '\r' inside a line restarts it (progress bars redraw that way),
// ANSI escape sequences are dropped. A line that grows past `maxBytes`
// without a newline is delivered in pieces so memory stays bounded.
class LineSplitter final {
public:
    enum class CarriageReturn {
        Redraws,   // '\r' redraws the line: keep what was finally shown
        EndsRecord // '\r' ends a record too (rsync --info=progress2)
    };

    explicit LineSplitter(qsizetype maxBytes, CarriageReturn cr = CarriageReturn::Redraws);

    void feed(QByteArrayView bytes, const std::function<void(QByteArrayView)> &onLine);
    void finish(const std::function<void(QByteArrayView)> &onLine);

    // Removes ANSI/VT100 escape sequences (CSI and OSC) and other control
    // characters except tab.
    static QByteArray stripControls(QByteArrayView line);

private:
    void deliver(const std::function<void(QByteArrayView)> &onLine);

    qsizetype m_maxBytes;
    CarriageReturn m_cr;
    QByteArray m_line;
};

} // namespace kw
