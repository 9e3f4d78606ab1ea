// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <list>
#include <unordered_map>

namespace kw {

class MirrorFile;

// Which mirrors keep their file open between chunks: the most recently
// used, at most `capacity`; the least recently used beyond that is closed. A collector of a
// thousand live sessions then opens nothing per chunk, and one of a hundred thousand finished ones
// holds no descriptor for them.
class OpenMirrors final {
public:
    explicit OpenMirrors(int capacity);
    // What this process can afford: heldFilesBudget() (platform/openfilelimit.h).
    static int defaultCapacity();

    // A chunk or a state reached `file` (which may have opened, or closed
    // for a new epoch, its output): the most recently used stay open.
    void used(MirrorFile *file);
    int openCount() const { return int(m_order.size()); }
    int capacity() const { return m_capacity; }

private:
    int m_capacity;
    std::list<MirrorFile *> m_order; // most recently used first
    std::unordered_map<MirrorFile *, std::list<MirrorFile *>::iterator> m_where;
};

} // namespace kw
