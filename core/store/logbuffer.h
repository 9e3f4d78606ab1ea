// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "protocol/sessiontypes.h"

#include <QByteArray>
#include <QByteArrayView>
#include <algorithm>
#include <vector>

namespace kw {

// One session's most recent log lines, bounded, with sequence numbers.
//
// Lines live in blocks of kLinesPerBlock: the text of a block in one byte
// array, each line an offset/length/level/time record (16 bytes) beside it,
// so a line costs its text plus 16 bytes instead of a QString (~200 bytes
// measured). Eviction drops whole blocks from the front. A reader remembers
// the sequence number it has seen and asks for what came after; `firstSeq()`
// tells it what was evicted meanwhile.
class LogBuffer final {
public:
    static constexpr qint64 kLinesPerBlock = 4096;

    struct Line {
        qint64 timestampMs = 0;
        LogLevel level = LogLevel::Info;
        QByteArrayView text; // UTF-8; valid until the buffer changes
    };

    explicit LogBuffer(qint64 maxLines = 100000);

    void append(qint64 timestampMs, LogLevel level, QByteArrayView text);

    // Sequence numbers of the lines held: [firstSeq, endSeq).
    qint64 firstSeq() const { return m_firstSeq; }
    qint64 endSeq() const { return m_firstSeq + m_count; }
    qint64 size() const { return m_count; }
    bool isEmpty() const { return m_count == 0; }

    // Precondition: firstSeq() <= seq < endSeq().
    Line line(qint64 seq) const;

    class Run;
    // Calls `f(const Run &)` for the lines [from, to) (clipped to what is
    // held), one run per block: consecutive lines whose text lies back to
    // back in one array, so a search can scan a run's text at once instead
    // of calling a matcher per line.
    template<typename F>
    void forEachRun(qint64 from, qint64 to, F &&f) const;

    // Gives back the room held for more lines (a session that ended).
    void shrinkToFit();

    qint64 maxLines() const { return m_maxLines; }
    void setMaxLines(qint64 maxLines);
    // Memory held beyond the text itself, for the benchmark's per-line figure.
    qint64 overheadBytes() const;
    qint64 textBytes() const;

private:
    struct Record {
        qint64 timestampMs;
        quint32 offset;
        quint32 lengthAndLevel; // low 24 bits: length, high 8 bits: level
    };
    // What a line costs beyond its text (the target is at most 64 bytes).
    static_assert(sizeof(Record) == 16);
    struct Block {
        QByteArray text;
        std::vector<Record> records;
    };
    static constexpr quint32 kMaxLineLength = (1u << 20) - 1;
    static constexpr quint32 kLengthMask = (1u << 24) - 1;

    qsizetype grownTextCapacity(const Block &block, qsizetype length) const;
    void evict();
    Run run(size_t block, int first, int end) const;

    // A vector, not a deque: an empty one allocates nothing (libstdc++'s
    // deque allocates a map and a 512-byte node at once), and a session
    // seeded from the history usually has no line in memory. Dropping the
    // first block moves the others' handles: a few dozen, once per block.
    std::vector<Block> m_blocks;
    qint64 m_firstSeq = 0; // seq of m_blocks.front().records.front()
    qint64 m_count = 0;
    qint64 m_maxLines;
    int m_firstRoom; // see grownTextCapacity()
};

// Lines [first, first + count()) of one block. Their texts lie back to back
// in text(), without separators: a match found there belongs to a line only
// if it ends within that line (lineEnd).
class LogBuffer::Run {
public:
    qint64 firstSeq() const { return m_firstSeq; }
    int count() const { return m_count; }
    QByteArrayView text() const { return m_text; }
    // Where line `i` (0-based within the run) lies in text().
    qsizetype lineStart(int i) const { return qsizetype(record(i).offset - m_base); }
    qsizetype lineEnd(int i) const {
        return lineStart(i) + qsizetype(record(i).lengthAndLevel & kLengthMask);
    }
    QByteArrayView line(int i) const {
        return m_text.sliced(lineStart(i), lineEnd(i) - lineStart(i));
    }
    LogLevel level(int i) const { return LogLevel(record(i).lengthAndLevel >> 24); }
    // The line holding byte `offset` of text(), searching from line `from`
    // on (matches are found left to right).
    int lineAt(qsizetype offset, int from) const {
        const Record *begin = m_records + from, *end = m_records + m_count;
        const Record *after =
            std::upper_bound(begin, end, quint32(offset) + m_base,
                             [](quint32 value, const Record &r) { return value < r.offset; });
        return int(after - m_records) - 1;
    }

private:
    friend class LogBuffer;
    const Record &record(int i) const { return m_records[i]; }

    qint64 m_firstSeq = 0;
    const Record *m_records = nullptr;
    int m_count = 0;
    quint32 m_base = 0; // the block offset of the first line
    QByteArrayView m_text;
};

template<typename F>
void LogBuffer::forEachRun(qint64 from, qint64 to, F &&f) const {
    from = std::max(from, firstSeq());
    to = std::min(to, endSeq());
    while (from < to) {
        const qint64 index = from - m_firstSeq;
        const size_t block = size_t(index / kLinesPerBlock);
        const int first = int(index % kLinesPerBlock);
        const int end = int(std::min<qint64>(kLinesPerBlock, first + (to - from)));
        const Run r = run(block, first, end);
        f(r);
        from += end - first;
    }
}

} // namespace kw
