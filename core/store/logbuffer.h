#pragma once

#include "protocol/sessiontypes.h"

#include <QByteArray>
#include <QByteArrayView>
#include <deque>
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

    void evict();

    std::deque<Block> m_blocks;
    qint64 m_firstSeq = 0; // seq of m_blocks.front().records.front()
    qint64 m_count = 0;
    qint64 m_maxLines;
};

} // namespace kw
