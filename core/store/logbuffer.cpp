// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "store/logbuffer.h"

#include <atomic>

namespace kw {

namespace {

// The first room of a buffer's block texts, between 256 and 511 bytes, and
// different for each buffer (the golden ratio spreads consecutive ones).
int nextFirstRoom() {
    static std::atomic<quint32> buffers{0};
    return 256 + int((buffers.fetch_add(1, std::memory_order_relaxed) * 2654435769u) >> 24);
}

} // namespace

LogBuffer::LogBuffer(qint64 maxLines)
    : m_maxLines(qMax<qint64>(kLinesPerBlock, maxLines))
    , m_firstRoom(nextFirstRoom()) {}

void LogBuffer::setMaxLines(qint64 maxLines) {
    m_maxLines = qMax<qint64>(kLinesPerBlock, maxLines);
    evict();
}

// A block's text grows by doubling, from a first room of this buffer's own.
// Qt's growth (powers of two) made sessions written at one pace (200 jobs
// started by one timer) copy their texts in the same turn of the event
// loop: 200 texts of 128 KiB every 4,096 lines, a stall of 50-74 ms in
// benchmark 3. Each buffer's sizes are now its first room times a power of
// two, so the copies of 200 buffers are spread over a factor of two of
// their sizes; the memory they hold is as before (at most twice the text).
qsizetype LogBuffer::grownTextCapacity(const Block &block, qsizetype length) const {
    const qsizetype needed = block.text.size() + length;
    qsizetype room = block.text.capacity() > 0 ? 2 * block.text.capacity() : m_firstRoom;
    while (room < needed)
        room *= 2;
    return room;
}

void LogBuffer::append(qint64 timestampMs, LogLevel level, QByteArrayView text) {
    if (m_blocks.empty() || qint64(m_blocks.back().records.size()) == kLinesPerBlock) {
        // A full block never grows again: give back its growth slack.
        if (!m_blocks.empty())
            m_blocks.back().text.squeeze();
        m_blocks.emplace_back();
        m_blocks.back().records.reserve(size_t(kLinesPerBlock));
    }
    Block &block = m_blocks.back();
    // Lines are cut below 1 MiB (the protocol's line limit is 1 MiB anyway),
    // so 4096 of them always fit the 32-bit offsets.
    const quint32 length = quint32(qMin<qsizetype>(text.size(), kMaxLineLength));
    if (block.text.size() + qsizetype(length) > block.text.capacity())
        block.text.reserve(grownTextCapacity(block, qsizetype(length)));
    block.records.push_back(
        Record{timestampMs, quint32(block.text.size()), length | (quint32(level) << 24)});
    block.text.append(text.data(), length);
    ++m_count;
    evict();
}

void LogBuffer::shrinkToFit() {
    if (m_blocks.empty())
        return;
    m_blocks.back().text.squeeze();
    m_blocks.back().records.shrink_to_fit();
}

void LogBuffer::evict() {
    // Drop whole blocks, and only while what remains still holds maxLines.
    while (m_blocks.size() > 1 && m_count - qint64(m_blocks.front().records.size()) >= m_maxLines) {
        const qint64 dropped = qint64(m_blocks.front().records.size());
        m_blocks.erase(m_blocks.begin());
        m_firstSeq += dropped;
        m_count -= dropped;
    }
}

LogBuffer::Line LogBuffer::line(qint64 seq) const {
    Q_ASSERT(seq >= firstSeq() && seq < endSeq());
    // Every block but the last is full, so the block index is a division.
    const qint64 index = seq - m_firstSeq;
    const Block &block = m_blocks[size_t(index / kLinesPerBlock)];
    const Record &r = block.records[size_t(index % kLinesPerBlock)];
    return Line{r.timestampMs, LogLevel(r.lengthAndLevel >> 24),
                QByteArrayView(block.text.constData() + r.offset,
                               qsizetype(r.lengthAndLevel & kLengthMask))};
}

LogBuffer::Run LogBuffer::run(size_t block, int first, int end) const {
    const Block &b = m_blocks[block];
    Run r;
    r.m_firstSeq = m_firstSeq + qint64(block) * kLinesPerBlock + first;
    r.m_records = b.records.data() + first;
    r.m_count = end - first;
    r.m_base = b.records[size_t(first)].offset;
    const Record &last = b.records[size_t(end - 1)];
    const quint32 textEnd = last.offset + (last.lengthAndLevel & kLengthMask);
    r.m_text = QByteArrayView(b.text.constData() + r.m_base, qsizetype(textEnd - r.m_base));
    return r;
}

qint64 LogBuffer::overheadBytes() const {
    qint64 bytes = qint64(sizeof(*this));
    for (const Block &b : m_blocks)
        bytes += qint64(sizeof(Block)) + qint64(b.records.capacity() * sizeof(Record))
                 + (b.text.capacity() - b.text.size());
    return bytes;
}

qint64 LogBuffer::textBytes() const {
    qint64 bytes = 0;
    for (const Block &b : m_blocks)
        bytes += b.text.size();
    return bytes;
}

} // namespace kw
